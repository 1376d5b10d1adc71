/**
 * The open room: keeps its {@link module:timeline} complete and live, and the connection state honest.
 *
 * The connection loop, run at start, after every lost stream and when the browser comes back online:
 * 1. HTTP first. The first time, the newest page; afterwards "everything after the cursor" in bounded
 *    pages. A gap larger than `catchUpPages` pages is not worth replaying message by message: the
 *    room is reloaded from its newest page instead (older ones come back by scrolling up).
 * 2. Then the WebSocket with `after=cursor`, which delivers the few messages stored in between and
 *    then the live ones, in seq order. A frame beyond cursor + 1 means a seq went missing: the gap is
 *    fetched over HTTP (`after=cursor`) while the stream stays open.
 * 3. When the stream ends, wait an exponential, fully jittered delay (capped at ~10 s) and go to 1.
 *    A `reset` frame (we were too slow) skips the wait.
 * 4. Except when the session was signed out: the server sends `reset` "signed out", then closes with
 *    1008. Reconnecting would meet a 401, and its renewal would sign the user straight back in, as a
 *    new user. Either signal alone (the close may never arrive; a connection refused at connect gets
 *    the close only) stops the room ('offline', not trying) and emits `signed-out`; the page decides.
 *    A close with 4401 ("no valid session": expired, say) is no sign-out: the room goes to 1., whose
 *    401 renews the session like any other (see session.js).
 * 5. A `resync` frame (then close 4409) says our cursor is past the room's end: the server lost messages
 *    we hold (restored from a backup, or its last commits lost to a power loss). Our copies of them are
 *    dropped and the room reloads from its newest page, then reconnects at once. The frame names the room's
 *    epoch, which the new stream states (`epoch=`) even if the reloaded page holds only older messages.
 * 6. A message of a higher epoch than the timeline holds (see timeline.js), from the stream, a history page or
 *    our own send's answer, means the room's history was replaced after what we hold: the same reload as 5.,
 *    without showing that message first (its seq may collide with one we hold). The stream always says
 *    `after=cursor&epoch=E`, E the highest epoch held (at least 1, or the resync frame's), so a server that
 *    replaced the history while we were away answers with a resync.
 *
 * The cursor is the timeline's contiguous one (see timeline.js), never the highest seq held: our own
 * message acknowledged over HTTP may carry a seq above one that another user stored just before and
 * that we have not received yet.
 *
 * It also joins the outbox to the timeline: our unsent messages show as echoes, and any server message
 * that carries one of our pending clientIds acknowledges it in the outbox, whether it came from a
 * broadcast that beat the HTTP answer or from a history page after a reload.
 *
 * Events: `change` `{added, live, reset}` (added: new server messages; live: they are new to the user,
 * from the stream or the catch-up after a reconnect, not history), `connection` (the new state:
 * 'connected' | 'reconnecting' | 'offline'), `signed-out` (the server ended the session, see 4.).
 *
 * Pure module: api, outbox, the socket opener, timers and randomness are injected.
 * @module room
 */
import { createEmitter } from './emitter.js';
import { backoffDelay } from './backoff.js';
import { createTimeline } from './timeline.js';

/** How the server ends the streams of a session that signed out: the reset's reason, the close code. */
export const SIGNED_OUT_REASON = 'signed out';
export const SIGNED_OUT_CODE = 1008;
/** How the server refuses a stream whose cursor is past the room's end (after a `resync` frame). */
export const RESYNC_CODE = 4409;
/** How the server closes a stream whose session is gone without a sign-out (expired): renew, like a 401. */
export const SESSION_GONE_CODE = 4401;

/**
 * @typedef {object} RoomOptions
 * @property {string} roomId
 * @property {{userId: string, name: string}} self
 * @property {{getMessages: Function}} api see api.js
 * @property {ReturnType<import('./outbox.js').createOutbox>} outbox
 * @property {(roomId: string, after: number, handlers: {onOpen: Function, onFrame: Function, onClose: Function}, epoch: number) => {close(): void}} subscribe
 *   opens the room's event stream after seq `after` in epoch `epoch` (events.js in the page, a fake in tests)
 * @property {(fn: () => void, ms: number) => any} [setTimeout]
 * @property {(handle: any) => void} [clearTimeout]
 * @property {() => number} [now]
 * @property {() => number} [random]
 * @property {boolean} [online] whether the browser thinks it has a network
 * @property {number} [pageSize] history page size, default 50
 * @property {number} [catchUpPageSize] default 200
 * @property {number} [catchUpPages] pages of catch-up before reloading instead, default 5
 * @property {number} [reconnectBaseMs] default 500
 * @property {number} [reconnectCapMs] default 10000
 * @property {number} [stableMs] a stream open this long resets the backoff, default 5000: a server that
 *   accepts and at once drops us must not be hammered in a tight loop
 */

/** @param {RoomOptions} options */
export function createRoom({
  roomId,
  self,
  api,
  outbox,
  subscribe,
  setTimeout: setTimer = globalThis.setTimeout,
  clearTimeout: clearTimer = globalThis.clearTimeout,
  now = () => Date.now(),
  random = Math.random,
  online: initiallyOnline = true,
  pageSize = 50,
  catchUpPageSize = 200,
  catchUpPages = 5,
  reconnectBaseMs = 500,
  reconnectCapMs = 10_000,
  stableMs = 5_000,
}) {
  const events = createEmitter();
  const timeline = createTimeline({ selfId: self.userId, selfName: self.name });
  const policy = { baseMs: reconnectBaseMs, capMs: reconnectCapMs, random };

  // All fields below are written and read on the page's single thread; async continuations check
  // `generation` so that a connection attempt superseded by a newer one does nothing when it resumes.
  let state = initiallyOnline ? 'reconnecting' : 'offline';
  let online = initiallyOnline;
  let connectedOnce = false;
  let loaded = false;
  let hasOlder = true;
  let loadingOlder = false;
  let closed = false;
  let generation = 0;
  let attempt = 0;
  let timer = null;
  let stream = null;
  let unsubscribers = [];
  /** Highest seq the current stream delivered, and the generation whose gap is being fetched. */
  let streamHigh = 0;
  let gapFilling = null;
  /** The server said our cursor is past the room's end (a restore, or lost commits): reload, not catch up. */
  let mustReload = false;
  /** The epoch the last resync frame named (0: none yet): the epoch our reloaded messages belong to. */
  let resyncEpoch = 0;

  function setState(next) {
    if (state === next) return;
    state = next;
    if (next === 'connected') connectedOnce = true;
    events.emit('connection', next);
  }

  /** Settles any of ours that newly added server messages prove stored, and tells the page. */
  function report(added, live) {
    for (const message of added) {
      const entry = outbox.get(message.clientId);
      if (entry && (message.authorId === self.userId || message.authorId === entry.formerAuthorId)) {
        outbox.acknowledge(message.clientId, message);
      }
    }
    if (added.length > 0) events.emit('change', { added, live, reset: false });
  }

  function showEcho({ entry }) {
    if (entry.roomId !== roomId) return;
    const stored = timeline.setLocal(entry);
    if (stored) outbox.acknowledge(entry.clientId, stored);
    else events.emit('change', { added: [], live: false, reset: false });
  }

  /** The epoch the stream states with its cursor. */
  const streamEpoch = () => Math.max(1, timeline.epoch, resyncEpoch);

  /** What we hold is no longer the server's history: drop it and load the newest page (see catchUp). */
  function reload() {
    mustReload = true;
    connect();
  }

  async function fetchPage(query) {
    try {
      const page = await api.getMessages(roomId, query);
      if (!page || !Array.isArray(page.messages)) throw new TypeError('malformed history page');
      return page;
    } catch (error) {
      // A room exists once it has a message: until then the server may not know it at all.
      if (error?.status === 404) return { messages: [], hasMore: false };
      throw error;
    }
  }

  async function catchUp() {
    if (!loaded) {
      const page = await fetchPage({ limit: pageSize });
      report(timeline.addPage(page.messages, null), false);
      hasOlder = page.hasMore && timeline.firstSeq !== null;
      loaded = true;
      mustReload = false; // nothing was held yet: the newest page is the reload
      events.emit('change', { added: [], live: false, reset: true });
      return;
    }
    for (let i = 0; i < catchUpPages && !mustReload; i += 1) {
      const after = timeline.cursor;
      const page = await fetchPage({ after, limit: catchUpPageSize });
      if (timeline.replacedBy(page.messages, resyncEpoch)) {
        mustReload = true;
        break;
      }
      report(timeline.addPage(page.messages, after), true); // missed while disconnected: new to the user
      if (!page.hasMore) return;
    }
    // Too far behind, or the room no longer has messages we hold (restored, commits lost, or a new epoch): start over from
    // the newest page, dropping our copies. Fetch before clearing, so a failure here leaves the conversation on
    // screen as it was.
    const newest = await fetchPage({ limit: pageSize });
    mustReload = false;
    timeline.clearSent();
    report(timeline.addPage(newest.messages, null), false);
    hasOlder = newest.hasMore && timeline.firstSeq !== null;
    events.emit('change', { added: [], live: false, reset: true });
  }

  function stopConnection() {
    generation += 1;
    if (timer !== null) clearTimer(timer);
    timer = null;
    stream?.close();
    stream = null;
  }

  function connect() {
    stopConnection();
    if (closed) return;
    if (!online) return setState('offline');
    setState('reconnecting');
    run(generation);
  }

  async function run(gen) {
    try {
      await catchUp();
    } catch {
      if (gen === generation) scheduleReconnect();
      return;
    }
    if (gen !== generation) return;
    let openedAt = null;
    streamHigh = timeline.cursor;
    stream = subscribe(roomId, timeline.cursor, {
      onOpen() {
        if (gen !== generation) return;
        openedAt = now();
        setState('connected');
      },
      onFrame(frame) {
        if (gen !== generation) return;
        // One message, or several in seq order (what one commit brought, or a page of backlog).
        const messages = frame.type === 'message' && frame.message ? [frame.message]
          : frame.type === 'messages' && Array.isArray(frame.messages) ? frame.messages : null;
        if (messages !== null) {
          if (timeline.replacedBy(messages, resyncEpoch)) return reload();
          const { added, gap } = timeline.addStreamed(messages);
          for (const m of messages) if (Number.isFinite(m?.seq)) streamHigh = Math.max(streamHigh, m.seq);
          report(added, true);
          if (gap) fillGap(gen);
        }
        // Signed out: stop here, whether or not the 1008 follows.
        else if (frame.type === 'reset' && frame.reason === SIGNED_OUT_REASON) signedOut();
        // Too slow for the server: resume from our cursor at once rather than after a backoff.
        else if (frame.type === 'reset') connect();
        // Our cursor is past the room's end: what we hold above it is gone from the server.
        else if (frame.type === 'resync') {
          if (Number.isInteger(frame.epoch) && frame.epoch >= 1) resyncEpoch = frame.epoch;
          reload();
        }
      },
      onClose(info) {
        if (gen !== generation) return;
        stream = null;
        if (info?.code === SIGNED_OUT_CODE) return signedOut();
        if (info?.code === RESYNC_CODE) mustReload = true; // the resync frame was lost: same meaning
        // Any other end, 4401 (SESSION_GONE_CODE) included, goes round the loop: there the catch-up's
        // 401 renews the session (the api the page gives the room is wrapped in withSession).
        if (openedAt !== null && now() - openedAt >= stableMs) attempt = 0;
        scheduleReconnect();
      },
    }, streamEpoch());
  }

  /**
   * The stream skipped a seq: fetch `after=cursor` pages, stream still open, until the cursor reaches
   * what the stream delivered. One fill per connection at a time; frames arriving meanwhile are shown
   * and the running fill goes on until it has covered them. A gap bigger than the page budget, or a
   * failure, falls back to the connection loop (catch-up, then a new stream).
   */
  async function fillGap(gen) {
    if (gapFilling === gen) return;
    gapFilling = gen;
    try {
      for (let i = 0; i < catchUpPages; i += 1) {
        const after = timeline.cursor;
        const page = await fetchPage({ after, limit: catchUpPageSize });
        if (gen !== generation) return;
        if (timeline.replacedBy(page.messages, resyncEpoch)) return reload();
        report(timeline.addPage(page.messages, after), true);
        if (!page.hasMore && timeline.cursor >= streamHigh) return;
      }
      connect();
    } catch {
      if (gen !== generation) return;
      stopConnection();
      scheduleReconnect();
    } finally {
      if (gapFilling === gen) gapFilling = null;
    }
  }

  /** The session is over: nothing here may try again (a retry's 401 would renew it). */
  function signedOut() {
    closed = true;
    stopConnection();
    setState('offline');
    events.emit('signed-out');
  }

  function scheduleReconnect() {
    if (closed) return;
    if (!online) return setState('offline');
    setState('reconnecting');
    const delay = backoffDelay(attempt, policy);
    attempt += 1;
    timer = setTimer(() => {
      timer = null;
      connect();
    }, delay);
  }

  return Object.freeze({
    roomId,

    /** Shows this room's unsent messages, then loads history and opens the stream. */
    start() {
      const onLocal = (detail) => showEcho(detail);
      const onSent = ({ entry, message }) => {
        if (entry.roomId !== roomId) return;
        timeline.removeLocal(entry.clientId);
        // Stored in an epoch after the messages we hold: the reload's newest page brings it.
        if (message && timeline.replacedBy([message], resyncEpoch)) return reload();
        // Shown, but the cursor stays: messages stored before ours may not have reached us yet.
        report(timeline.addMessages(message ? [message] : []), true);
        events.emit('change', { added: [], live: false, reset: false });
      };
      const onDiscarded = ({ entry }) => {
        if (entry.roomId !== roomId || !timeline.removeLocal(entry.clientId)) return;
        events.emit('change', { added: [], live: false, reset: false });
      };
      unsubscribers = [
        outbox.on('queued', onLocal),
        outbox.on('sending', onLocal),
        outbox.on('retrying', onLocal),
        outbox.on('failed', onLocal),
        outbox.on('sent', onSent),
        outbox.on('discarded', onDiscarded),
      ];
      for (const entry of outbox.entries(roomId)) timeline.setLocal(entry);
      connect();
    },

    /**
     * Loads the page before the oldest message held.
     * @returns {Promise<boolean>} whether messages were added
     */
    async loadOlder() {
      if (!loaded || !hasOlder || loadingOlder || closed) return false;
      loadingOlder = true;
      events.emit('change', { added: [], live: false, reset: false });
      try {
        const page = await fetchPage({ before: timeline.firstSeq, limit: pageSize });
        if (closed) return false;
        if (timeline.replacedBy(page.messages, resyncEpoch)) {
          reload();
          return false;
        }
        hasOlder = page.hasMore && page.messages.length > 0;
        const before = timeline.size;
        report(timeline.addMessages(page.messages), false);
        return timeline.size > before;
      } finally {
        loadingOlder = false;
        if (!closed) events.emit('change', { added: [], live: false, reset: false });
      }
    },

    /** Follows the browser's online/offline events: offline stops trying, online tries at once. */
    setOnline(value) {
      online = value;
      attempt = 0;
      if (value) connect();
      else {
        stopConnection();
        setState('offline');
      }
    },

    /** Leaves the room: closes the stream, cancels timers, stops listening to the outbox. */
    close() {
      closed = true;
      stopConnection();
      for (const unsubscribe of unsubscribers) unsubscribe();
      unsubscribers = [];
    },

    items: () => timeline.items(),
    message: (messageId) => timeline.message(messageId),
    on: events.on,
    get connection() {
      return state;
    },
    /** False until the first connection: lets the page say "connecting" rather than "reconnecting". */
    get connectedOnce() {
      return connectedOnce;
    },
    get loaded() {
      return loaded;
    },
    get hasOlder() {
      return hasOlder;
    },
    get loadingOlder() {
      return loadingOlder;
    },
    /** Highest seq held (read markers). */
    get lastSeq() {
      return timeline.lastSeq;
    },
    /** Where catch-up and the stream resume from. */
    get cursor() {
      return timeline.cursor;
    },
  });
}
