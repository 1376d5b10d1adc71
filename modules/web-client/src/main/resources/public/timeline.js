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

  return {
    /**
     * Merges server messages in any order. Our own message replaces its local echo.
     * @param {Iterable<import('./api.js').Message>} messages
     * @returns {import('./api.js').Message[]} the ones that were new, ascending by seq
     */
    addMessages(messages) {
      const added = [];
      for (const message of messages) {
        if (!message || !Number.isFinite(message.seq) || bySeq.has(message.seq)) continue;
        const key = messageKey(message);
        if (byKey.has(key)) continue;
        sent.splice(insertionIndex(message.seq), 0, message);
        bySeq.set(message.seq, message);
        byKey.set(key, message);
        if (message.messageId != null) byId.set(message.messageId, message);
        if (message.authorId === selfId) locals.delete(message.clientId);
        added.push(message);
      }
      return added.sort((a, b) => a.seq - b.seq);
    },

    /**
     * Shows or updates the echo of one of our unsent messages.
     * @param {import('./outbox.js').OutboxEntry} entry
     * @returns {import('./api.js').Message|null} the stored message when the server already has this
     *   one (the caller should acknowledge it in the outbox instead), else null
     */
    setLocal(entry) {
      const stored = byKey.get(keyOf(selfId, entry.clientId));
      if (stored) return stored;
      locals.set(entry.clientId, entry);
      return null;
    },

    /** @param {string} clientId */
    removeLocal(clientId) {
      return locals.delete(clientId);
    },

    /** Forgets the server messages (kept: echoes), before reloading the newest page after a too-large gap. */
    clearSent() {
      sent = [];
      bySeq = new Map();
      byKey = new Map();
      byId = new Map();
    },

    /** @returns {TimelineItem[]} sent by seq, then unsent in enqueue order */
    items() {
      const unsent = [...locals.values()].sort((a, b) => a.order - b.order);
      return [...sent.map(toItem), ...unsent.map(localItem)];
    },

    /** @param {number|string} messageId @returns {import('./api.js').Message|undefined} */
    message: (messageId) => byId.get(messageId),

    /** Highest seq held, 0 when none: the cursor for "everything after". */
    get lastSeq() {
      return sent.length ? sent[sent.length - 1].seq : 0;
    },

    /** Lowest seq held, null when none: the cursor for "the page before". */
    get firstSeq() {
      return sent.length ? sent[0].seq : null;
    },

    get size() {
      return sent.length + locals.size;
    },
  };
}
