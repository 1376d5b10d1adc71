/**
 * One room's visible conversation: server messages (history pages, broadcasts, HTTP acks) merged with
 * the local echoes of our own unsent messages.
 *
 * Identity: a message is known by (authorId, clientId), the same key the server uses for idempotency,
 * so a local echo and the stored message it becomes share one key and one row on screen. Content is
 * never used to match. A server message is also unique by seq, which drops duplicate deliveries
 * (a broadcast that overlaps a history page, a backlog replayed after a reconnect).
 *
 * Order: server messages by seq (never by clock), then unsent echoes in the order they were typed.
 *
 * Two cursors. `lastSeq` is the highest seq held, whatever its source (for read markers). `cursor` is
 * the catch-up point ("everything up to here is held"): only history pages and stream frames move it,
 * and only while contiguous. Our own messages that arrived as an HTTP answer are shown but never move
 * it past a seq we have not seen: another user's message stored just before ours may still be on its
 * way, and asking for "after our seq" would skip it for good. Seqs are gapless on the server, so the
 * cursor walks over every held seq that directly follows it (an acknowledged message included once
 * the one before it arrived).
 *
 * Epoch: the room's history generation each message carries (absent: 1). The timeline keeps the highest one
 * it holds; a message of a higher epoch arriving while it holds messages means the server replaced the room's
 * history after them (a failover that lost a tail): what is held can no longer be trusted and the room must
 * reload. The timeline only answers whether messages would replace what it holds (`replacedBy`); room.js
 * then reloads instead of adding them.
 *
 * Pure module.
 * @module timeline
 */

/**
 * What the view renders; one shape for both kinds.
 * @typedef {object} TimelineItem
 * @property {string} key stable across the pending -> sent transition
 * @property {'pending'|'failed'|'sent'} status
 * @property {number|null} seq null until sent
 * @property {string} clientId
 * @property {number|string|null} messageId
 * @property {string} author
 * @property {string} authorId
 * @property {string} content
 * @property {number|string|null} replyToId
 * @property {string|number} createdAt server time, or the local enqueue time for an echo
 * @property {boolean} own written by this user
 * @property {{message: string, status: number}|null} error why sending failed
 * @property {number} attempts tries so far, for an echo
 */

/** A message's epoch; one from a server that predates epochs has none and is of the first. */
const epochOf = (message) => (Number.isInteger(message?.epoch) && message.epoch >= 1 ? message.epoch : 1);

/**
 * @param {{selfId: string, selfName: string}} self the signed-in user, to own and label local echoes
 */
export function createTimeline({ selfId, selfName }) {
  /** Server messages, ascending by seq. */
  let sent = [];
  /** seq -> message, for duplicate delivery. */
  let bySeq = new Map();
  /** key -> message, to match echoes. */
  let byKey = new Map();
  /** messageId -> message, for reply previews. */
  let byId = new Map();
  /** clientId -> outbox entry snapshot, for our unsent messages. */
  const locals = new Map();
  /** Every seq up to this one is held (or older than the loaded window): the `after=` of a catch-up. */
  let cursor = 0;
  /** Highest epoch of the server messages held, 0 when none. */
  let epoch = 0;

  /** Moves the cursor over the held seqs that directly follow it. */
  function walk() {
    while (bySeq.has(cursor + 1)) cursor += 1;
  }

  const keyOf = (authorId, clientId, messageId) => (clientId ? `${authorId}:${clientId}` : `id:${messageId}`);
  const messageKey = (m) => keyOf(m.authorId, m.clientId, m.messageId);

  /** Index at which a message with this seq belongs (binary search; appends are the common case). */
  function insertionIndex(seq) {
    if (sent.length === 0 || sent[sent.length - 1].seq < seq) return sent.length;
    let low = 0;
    let high = sent.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (sent[mid].seq < seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** @param {import('./api.js').Message} message */
  function toItem(message) {
    return {
      key: messageKey(message),
      status: 'sent',
      seq: message.seq,
      clientId: message.clientId,
      messageId: message.messageId,
      author: message.author,
      authorId: message.authorId,
      content: message.content,
      replyToId: message.replyToId ?? null,
      createdAt: message.createdAt,
      own: message.authorId === selfId,
      error: null,
      attempts: 0,
    };
  }

  /** @param {import('./outbox.js').OutboxEntry} entry */
  function localItem(entry) {
    return {
      key: keyOf(selfId, entry.clientId),
      status: entry.status,
      seq: null,
      clientId: entry.clientId,
      messageId: null,
      author: selfName,
      authorId: selfId,
      content: entry.content,
      replyToId: entry.replyToId,
      createdAt: entry.enqueuedAt,
      own: true,
      error: entry.error,
      attempts: entry.attempts,
    };
  }

  /**
   * Merges server messages in any order. Our own message replaces its local echo. Leaves the cursor.
   * @param {Iterable<import('./api.js').Message>} messages
   * @returns {import('./api.js').Message[]} the ones that were new, ascending by seq
   */
  function addMessages(messages) {
    const added = [];
    for (const message of messages) {
      if (!message || !Number.isFinite(message.seq) || bySeq.has(message.seq)) continue;
      const key = messageKey(message);
      if (byKey.has(key)) continue;
      sent.splice(insertionIndex(message.seq), 0, message);
      bySeq.set(message.seq, message);
      byKey.set(key, message);
      if (message.messageId != null) byId.set(message.messageId, message);
      epoch = Math.max(epoch, epochOf(message));
      if (message.authorId === selfId || locals.get(message.clientId)?.formerAuthorId === message.authorId) {
        locals.delete(message.clientId);
      }
      added.push(message);
    }
    return added.sort((a, b) => a.seq - b.seq);
  }

  return {
    /** For messages that say nothing about what lies between them: HTTP answers, older pages. */
    addMessages,

    /**
     * Merges a history page that holds every message after `after` up to its last one: an `after=`
     * page, or the newest page (`after` null). The cursor moves to the page's end.
     * @param {import('./api.js').Message[]} messages
     * @param {number|null} after the page's `after=`, null for the newest page
     * @returns {import('./api.js').Message[]} the new ones
     */
    addPage(messages, after) {
      const added = addMessages(messages);
      const last = messages.reduce((max, m) => (Number.isFinite(m?.seq) ? Math.max(max, m.seq) : max), 0);
      // A page asked for after a point we have since dropped (clearSent) covers nothing we can vouch for.
      if (last > cursor && (after === null || after <= cursor)) cursor = last;
      walk();
      return added;
    },

    /**
     * Merges messages from the stream. The cursor moves only while contiguous.
     * @param {import('./api.js').Message[]} messages
     * @returns {{added: import('./api.js').Message[], gap: boolean}} gap: one of them lies beyond the
     *   cursor, so some seq before it is missing; fetch `after=cursor` before trusting the stream
     */
    addStreamed(messages) {
      const added = addMessages(messages);
      walk();
      return { added, gap: messages.some((m) => Number.isFinite(m?.seq) && m.seq > cursor) };
    },

    /**
     * Shows or updates the echo of one of our unsent messages.
     * @param {import('./outbox.js').OutboxEntry} entry
     * @returns {import('./api.js').Message|null} the stored message when the server already has this
     *   one (the caller should acknowledge it in the outbox instead), else null
     */
    setLocal(entry) {
      // A message queued before our session was renewed as a new user may be stored under the old one.
      const stored = byKey.get(keyOf(selfId, entry.clientId))
        ?? (entry.formerAuthorId ? byKey.get(keyOf(entry.formerAuthorId, entry.clientId)) : undefined);
      if (stored) return stored;
      locals.set(entry.clientId, entry);
      return null;
    },

    /** @param {string} clientId */
    removeLocal(clientId) {
      return locals.delete(clientId);
    },

    /**
     * Whether these messages prove the room's history was replaced after the held ones: one of them has an
     * epoch above both the highest held and `known` (an epoch the server said the held messages belong to,
     * from a resync frame). Always false while no server message is held: there is nothing to replace.
     * @param {Iterable<import('./api.js').Message>} messages
     * @param {number} [known]
     */
    replacedBy(messages, known = 0) {
      if (sent.length === 0) return false;
      const held = Math.max(epoch, known);
      for (const message of messages) if (message && epochOf(message) > held) return true;
      return false;
    },

    /** Forgets the server messages (kept: echoes), before reloading the newest page after a too-large gap. */
    clearSent() {
      sent = [];
      bySeq = new Map();
      byKey = new Map();
      byId = new Map();
      cursor = 0;
      epoch = 0;
    },

    /** @returns {TimelineItem[]} sent by seq, then unsent in enqueue order */
    items() {
      const unsent = [...locals.values()].sort((a, b) => a.order - b.order);
      return [...sent.map(toItem), ...unsent.map(localItem)];
    },

    /** @param {number|string} messageId @returns {import('./api.js').Message|undefined} */
    message: (messageId) => byId.get(messageId),

    /** Highest seq held, 0 when none (our acknowledged messages included): not a catch-up point. */
    get lastSeq() {
      return sent.length ? sent[sent.length - 1].seq : 0;
    },

    /** Every seq up to this one is held: the `after=` for history catch-up and the stream. */
    get cursor() {
      return cursor;
    },

    /** Lowest seq held, null when none: the cursor for "the page before". */
    get firstSeq() {
      return sent.length ? sent[0].seq : null;
    },

    /** Highest epoch of the server messages held, 0 when none: the stream's `epoch=`. */
    get epoch() {
      return epoch;
    },

    get size() {
      return sent.length + locals.size;
    },
  };
}
