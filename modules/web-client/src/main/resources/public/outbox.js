/**
 * The outbox: every message the user composed that the server has not yet acknowledged.
 *
 * Rules (see "Chat send pipelines" in the project notes):
 * - One FIFO per room. Only a room's head is on the wire; the next waits for its acknowledgement, so
 *   the server assigns seqs in the order the user typed. Rooms never wait for each other.
 * - Every try of a message reuses its clientId; the server replays the stored result for a repeat,
 *   so a retry after a lost answer never makes a duplicate.
 * - Network errors, 408, 429 and 5xx are retried with exponential backoff and full jitter (never
 *   sooner than Retry-After) up to `maxAttempts` tries in all; any other failure is final at once.
 * - A failed head stays at the head: its room holds until the user chooses Retry or Delete, because
 *   sending the next one would reorder the conversation.
 * - The queue is saved to storage on every change and restored on construction, so a reload or a
 *   closed tab loses nothing; restored pending messages are sent again under their own clientIds.
 * - Several tabs of one user share the stored queue. A save re-reads storage and merges by clientId:
 *   entries of other tabs are kept, and ids lately sent or deleted (by any tab, listed in the saved
 *   `removed`) are never written back. `sync()` (on the page's `storage` event) adopts the other tabs'
 *   entries and drops those they sent or deleted. A message may then go out from two tabs: the server's
 *   idempotent replay makes that one stored message, and the timeline shows it once.
 *
 * Events (synchronous, see emitter.js), each with a frozen {@link OutboxEntry} snapshot:
 * - `queued`    `{entry}` a message was enqueued, or a failed one was put back by retry()
 * - `sending`   `{entry}` a try is going on the wire (entry.attempts counts it)
 * - `retrying`  `{entry, error, delayMs}` a try failed and another is scheduled
 * - `sent`      `{entry, message}` the server acknowledged it (HTTP answer or acknowledge())
 * - `failed`    `{entry, error}` no more automatic tries; entry.error says why
 * - `discarded` `{entry, remote}` the user dropped it (remote: another tab sent or dropped it)
 *
 * Pure module: sending, storage, timers, randomness and ids are injected.
 * @module outbox
 */
import { createEmitter } from './emitter.js';
import { retryDelay } from './backoff.js';
import { loadState, saveEntries } from './outbox-store.js';
import { contentProblem, isValidClientId, isValidRoomId } from './validate.js';

/**
 * @typedef {object} OutboxEntry
 * @property {string} clientId idempotency key, the same for every try
 * @property {string} roomId
 * @property {string} content
 * @property {number|string|null} replyToId the answered message's id, with the type the server gave it
 * @property {number} enqueuedAt local wall-clock ms, for display only (order comes from `order`)
 * @property {number} order global enqueue order, to list a room's unsent messages as typed
 * @property {'pending'|'failed'} status
 * @property {number} attempts tries made since it was (re)queued
 * @property {{message: string, status: number}|null} error why the last try failed
 * @property {string} [formerAuthorId] set on a message queued by a user whose session ended (see
 *   outbox-store.js adoptOrphans): that user storing it also settles it
 */

/**
 * @typedef {object} OutboxOptions
 * @property {(request: {roomId: string, clientId: string, content: string, replyToId: number|string|null}) => Promise<any>} send
 *   resolves with the stored message; rejects with an error carrying `retryable` (default true when
 *   absent: an unknown failure is more likely transient than permanent) and optional `retryAfterMs`
 * @property {{getItem(key: string): string|null, setItem(key: string, value: string): void}|null} [storage]
 * @property {string} [storageKey] required with storage; one per user
 * @property {(fn: () => void, ms: number) => any} [setTimeout]
 * @property {(handle: any) => void} [clearTimeout]
 * @property {() => number} [now]
 * @property {() => number} [random]
 * @property {() => string} newClientId
 * @property {number} [maxAttempts] tries in all before a message is failed, default 3
 * @property {number} [baseDelayMs] first backoff ceiling, default 1000
 * @property {number} [maxDelayMs] backoff cap, default 30000
 * @property {(onChange: () => void) => () => void} [watchStorage] calls onChange when another tab may
 *   have written the key (the page's `storage` event); returns the unsubscribe function
 * @property {(error: unknown) => void} [onStorageError] e.g. quota exceeded: the outbox keeps working
 *   in memory, the page should say that unsent messages may not survive a reload
 */

/** @param {OutboxOptions} options */
export function createOutbox({
  send,
  storage = null,
  storageKey = '',
  setTimeout: setTimer = globalThis.setTimeout,
  clearTimeout: clearTimer = globalThis.clearTimeout,
  now = () => Date.now(),
  random = Math.random,
  newClientId,
  maxAttempts = 3,
  baseDelayMs = 1000,
  maxDelayMs = 30_000,
  onStorageError = () => {},
  watchStorage = null,
}) {
  if (!(maxAttempts >= 1)) throw new RangeError(`maxAttempts must be at least 1, was ${maxAttempts}`);
  if (storage && !storageKey) throw new TypeError('storageKey is required with storage');
  const policy = { baseMs: baseDelayMs, capMs: maxDelayMs, random };
  const events = createEmitter();

  /**
   * Per room: its FIFO, the clientId on the wire (null when none) and the pending backoff timer.
   * All state lives on the page's single thread; `inFlight` is also the token that lets a late
   * answer recognise it is stale (the entry was acknowledged or discarded meanwhile).
   * @type {Map<string, {entries: OutboxEntry[], inFlight: string|null, timer: any}>}
   */
  const rooms = new Map();
  let nextOrder = 1;
  let started = false;
  let closed = false;
  /**
   * Client ids sent or deleted, by this tab or (read from storage) another one, newest last: never
   * written back or adopted again. Kept for the page's lifetime; storage keeps the last MAX_REMOVED.
   */
  const removed = new Set();

  restore();
  const unwatch = storage && watchStorage ? watchStorage(() => sync()) : () => {};

  function room(roomId) {
    let state = rooms.get(roomId);
    if (!state) {
      state = { entries: [], inFlight: null, timer: null };
      rooms.set(roomId, state);
    }
    return state;
  }

  /** @returns {{state: ReturnType<typeof room>, entry: OutboxEntry, index: number}|null} */
  function find(clientId) {
    for (const state of rooms.values()) {
      const index = state.entries.findIndex((e) => e.clientId === clientId);
      if (index >= 0) return { state, entry: state.entries[index], index };
    }
    return null;
  }

  const snapshot = (entry) => Object.freeze({ ...entry, error: entry.error && Object.freeze({ ...entry.error }) });

  function remove(state, entry) {
    state.entries.splice(state.entries.indexOf(entry), 1);
    removed.delete(entry.clientId);
    removed.add(entry.clientId);
    if (state.entries.length === 0 && !state.inFlight && !state.timer) rooms.delete(entry.roomId);
  }

  /** Sends the room's head if nothing holds the room: a try on the wire, a backoff wait, a failed head. */
  function pump(roomId) {
    const state = rooms.get(roomId);
    if (!started || closed || !state || state.inFlight || state.timer) return;
    const head = state.entries[0];
    if (!head || head.status !== 'pending') return;
    head.attempts += 1;
    state.inFlight = head.clientId;
    persist();
    events.emit('sending', { entry: snapshot(head) });
    let answer;
    try {
      answer = Promise.resolve(send({ roomId, clientId: head.clientId, content: head.content, replyToId: head.replyToId }));
    } catch (error) {
      answer = Promise.reject(error);
    }
    answer.then(
      (message) => settle(state, head, () => succeed(state, head, message)),
      (error) => settle(state, head, () => fail(state, head, error)),
    );
  }

  /** Runs `then` only if this answer is still the one the room is waiting for. */
  function settle(state, entry, then) {
    if (closed || state.inFlight !== entry.clientId || !state.entries.includes(entry)) return;
    state.inFlight = null;
    then();
  }

  function succeed(state, entry, message) {
    remove(state, entry);
    persist();
    events.emit('sent', { entry: snapshot(entry), message });
    pump(entry.roomId);
  }

  function fail(state, entry, error) {
    const reason = describe(error);
    entry.error = reason;
    const retryable = error?.retryable !== false;
    if (retryable && entry.attempts < maxAttempts) {
      const delayMs = retryDelay(entry.attempts - 1, error?.retryAfterMs, policy);
      state.timer = setTimer(() => {
        state.timer = null;
        pump(entry.roomId);
      }, delayMs);
      persist();
      events.emit('retrying', { entry: snapshot(entry), error: reason, delayMs });
      return;
    }
    entry.status = 'failed';
    persist();
    events.emit('failed', { entry: snapshot(entry), error: reason });
  }

  function cancelTimer(state) {
    if (state.timer) clearTimer(state.timer);
    state.timer = null;
  }

  /** What storage holds now (another tab may have written since), or null when unreadable. */
  function readStored() {
    try {
      return loadState(storage, storageKey);
    } catch {
      return null; // unreadable: ours replaces it
    }
  }

  /**
   * Saves ours merged with what other tabs saved: theirs kept, removed ones left out. Never once closed:
   * the page may have removed the key since (signing out), and nothing may write it back.
   */
  function persist() {
    if (!storage || closed) return;
    const stored = readStored();
    for (const id of stored?.removed ?? []) if (!removed.has(id)) removed.add(id);
    // Ours win over the stored copy; anything some tab sent or deleted is left out, even if this tab
    // still holds it until its next sync().
    const mine = [...rooms.values()].flatMap((s) => s.entries);
    const held = new Set(mine.map((e) => e.clientId));
    const theirs = (stored?.entries ?? []).filter((e) => !held.has(e.clientId));
    const entries = [...mine, ...theirs].filter((e) => !removed.has(e.clientId)).sort((a, b) => a.order - b.order);
    try {
      saveEntries(storage, storageKey, entries, [...removed]);
    } catch (error) {
      onStorageError(error);
    }
  }

  /** Puts an entry in its room's line by enqueue order, behind a head that is busy or failed. */
  function insert(entry) {
    const state = room(entry.roomId);
    const head = state.entries[0];
    const locked = head && (state.inFlight || state.timer || head.status === 'failed') ? 1 : 0;
    let index = state.entries.findIndex((e, i) => i >= locked && e.order > entry.order);
    if (index < 0) index = state.entries.length;
    state.entries.splice(index, 0, entry);
    nextOrder = Math.max(nextOrder, entry.order + 1);
  }

  /** Takes over what a previous page left (see outbox-store.js for what survives). */
  function restore() {
    if (!storage) return;
    let stored;
    try {
      stored = loadState(storage, storageKey);
    } catch (error) {
      onStorageError(error);
      return;
    }
    for (const id of stored.removed) removed.add(id);
    for (const entry of stored.entries) insert(entry);
  }

  /**
   * Follows what other tabs saved: adopts their entries (sent from here too once started) and drops the
   * ones they sent or deleted, unless on the wire here (that answer settles it).
   */
  function sync() {
    if (!storage || closed) return;
    const stored = readStored();
    if (!stored) return;
    const touched = new Set();
    for (const id of stored.removed) {
      if (!removed.has(id)) removed.add(id);
      const found = find(id);
      if (!found || found.state.inFlight === id) continue;
      if (found.index === 0) cancelTimer(found.state);
      remove(found.state, found.entry);
      touched.add(found.entry.roomId);
      events.emit('discarded', { entry: snapshot(found.entry), remote: true });
    }
    for (const entry of stored.entries) {
      if (removed.has(entry.clientId) || find(entry.clientId)) continue;
      insert(entry);
      touched.add(entry.roomId);
      events.emit('queued', { entry: snapshot(entry) });
    }
    for (const roomId of touched) pump(roomId);
  }

  return Object.freeze({
    /**
     * Queues a message and returns its clientId at once; the `queued` event has fired when this
     * returns. Throws on invalid input: the page validates first and shows why.
     * @param {string} roomId
     * @param {string} content
     * @param {{replyToId?: number|string|null}} [options]
     */
    enqueue(roomId, content, { replyToId = null } = {}) {
      if (closed) throw new Error('outbox is closed');
      if (!isValidRoomId(roomId)) throw new RangeError(`invalid room id: ${JSON.stringify(roomId)}`);
      const problem = contentProblem(content);
      if (problem) throw new RangeError(problem);
      const clientId = newClientId();
      if (!isValidClientId(clientId)) throw new RangeError(`newClientId gave an invalid id: ${clientId}`);
      const entry = {
        clientId, roomId, content, replyToId: replyToId ?? null,
        enqueuedAt: now(), order: nextOrder++, status: 'pending', attempts: 0, error: null,
      };
      room(roomId).entries.push(entry);
      persist();
      events.emit('queued', { entry: snapshot(entry) });
      pump(roomId);
      return clientId;
    },

    /** Puts a failed message back in line (at the head, same clientId) with a fresh attempt budget. */
    retry(clientId) {
      if (closed) return false;
      const found = find(clientId);
      if (!found || found.entry.status !== 'failed') return false;
      Object.assign(found.entry, { status: 'pending', attempts: 0, error: null });
      persist();
      events.emit('queued', { entry: snapshot(found.entry) });
      pump(found.entry.roomId);
      return true;
    },

    /**
     * Drops a message that is not on the wire (a failed head, or one still waiting behind it) and lets
     * the room move on. A try in flight cannot be recalled, so that case returns false.
     */
    discard(clientId) {
      if (closed) return false;
      const found = find(clientId);
      if (!found || found.state.inFlight === clientId) return false;
      if (found.index === 0) cancelTimer(found.state);
      remove(found.state, found.entry);
      persist();
      events.emit('discarded', { entry: snapshot(found.entry) });
      pump(found.entry.roomId);
      return true;
    },

    /**
     * Reports that the server already holds this message (seen in a broadcast or a history page),
     * possibly before the HTTP answer arrived, or after a reload for one that had gone out. The entry
     * leaves the outbox as `sent`; a later HTTP answer for it is ignored.
     * @param {string} clientId
     * @param {import('./api.js').Message} message
     */
    acknowledge(clientId, message) {
      if (closed) return false;
      const found = find(clientId);
      if (!found) return false;
      if (found.state.inFlight === clientId) found.state.inFlight = null;
      if (found.index === 0) cancelTimer(found.state);
      succeed(found.state, found.entry, message);
      return true;
    },

    /** Begins sending, restored entries first. Separate from construction so the page can subscribe and
     *  render the restored entries (and reconcile them) before any answer comes back. */
    start() {
      if (started || closed) return;
      started = true;
      for (const roomId of [...rooms.keys()]) pump(roomId);
    },

    /** Skips backoff waits now (e.g. the browser came back online). Attempts still count. */
    wake() {
      for (const [roomId, state] of [...rooms]) {
        if (!state.timer) continue;
        cancelTimer(state);
        pump(roomId);
      }
    },

    /**
     * Stops timers and ignores answers still on the way; from now on it never writes to storage (a room's
     * late history page that settles a message, say), so the stored queue is left as it is: for the next
     * page, or for the page to remove.
     */
    close() {
      closed = true;
      unwatch();
      for (const state of rooms.values()) cancelTimer(state);
    },

    /** Adopts what other tabs of this user saved (see the module notes); the page calls it on `storage`. */
    sync,

    /** @param {string} [roomId] one room's entries, or all, in enqueue order */
    entries(roomId) {
      const list = roomId === undefined ? [...rooms.values()].flatMap((s) => s.entries) : rooms.get(roomId)?.entries ?? [];
      return list.slice().sort((a, b) => a.order - b.order).map(snapshot);
    },

    /** @param {string} clientId */
    has: (clientId) => find(clientId) !== null,

    /** @param {string} clientId @returns {Readonly<OutboxEntry>|null} */
    get: (clientId) => {
      const found = find(clientId);
      return found ? snapshot(found.entry) : null;
    },

    on: events.on,
  });
}

/** @returns {{message: string, status: number}} */
function describe(error) {
  const message = error instanceof Error ? error.message : String(error ?? 'unknown error');
  return { message, status: typeof error?.status === 'number' ? error.status : 0 };
}
