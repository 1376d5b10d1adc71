/**
 * How the outbox is written to storage (localStorage in the page). Kept apart from the state machine so
 * the format is in one place: versioned, and read defensively, because what a previous page (or an
 * older version of this page) left behind must never wedge a room or throw at startup.
 *
 * Pure module.
 * @module outbox-store
 */
import { contentProblem, isValidClientId, isValidRoomId } from './validate.js';

const VERSION = 1;
/** How many recently removed client ids the saved outbox remembers for other tabs. */
export const MAX_REMOVED = 200;

/**
 * Writes the outbox. `removed` lists client ids lately sent or deleted (newest last): several tabs of one
 * user share the key, and a tab that still holds one of them must not write it back as unsent. The
 * field is optional in the format, so what older pages saved still loads.
 * @param {{setItem(key: string, value: string): void}} storage
 * @param {string} key
 * @param {import('./outbox.js').OutboxEntry[]} entries in enqueue order
 * @param {string[]} [removed]
 * @throws whatever storage throws (quota exceeded, storage disabled)
 */
export function saveEntries(storage, key, entries, removed = []) {
  storage.setItem(key, JSON.stringify({ version: VERSION, entries, removed: removed.slice(-MAX_REMOVED) }));
}

/**
 * Reads what a previous page saved. Pending entries get a fresh attempt budget (the earlier tries were
 * that page's business); failed ones stay failed until the user decides. Malformed entries, duplicates
 * and unknown versions are dropped.
 * @param {{getItem(key: string): string|null}} storage
 * @param {string} key
 * @returns {import('./outbox.js').OutboxEntry[]} in enqueue order
 * @throws whatever storage throws, or a SyntaxError for unreadable JSON
 */
export function loadEntries(storage, key) {
  return loadState(storage, key).entries;
}

/**
 * Like {@link loadEntries}, with the recently removed client ids; an entry listed as removed is dropped.
 * @returns {{entries: import('./outbox.js').OutboxEntry[], removed: string[]}}
 * @throws whatever storage throws, or a SyntaxError for unreadable JSON
 */
export function loadState(storage, key) {
  const saved = JSON.parse(storage.getItem(key) ?? 'null');
  if (!saved || saved.version !== VERSION || !Array.isArray(saved.entries)) return { entries: [], removed: [] };
  const removed = Array.isArray(saved.removed) ? saved.removed.filter(isValidClientId).slice(-MAX_REMOVED) : [];
  const seen = new Set(removed);
  const entries = [];
  for (const raw of saved.entries) {
    const entry = revive(raw);
    if (!entry || seen.has(entry.clientId)) continue;
    seen.add(entry.clientId);
    entries.push(entry);
  }
  return { entries: entries.sort((a, b) => a.order - b.order), removed };
}

/** @returns {import('./outbox.js').OutboxEntry|null} */
function revive(raw) {
  if (!raw || typeof raw !== 'object') return null;
  const { clientId, roomId, content, replyToId, enqueuedAt, order, status, error, formerAuthorId } = raw;
  if (!isValidClientId(clientId) || !isValidRoomId(roomId) || contentProblem(content)) return null;
  if (!Number.isFinite(order) || (status !== 'pending' && status !== 'failed')) return null;
  return {
    clientId,
    roomId,
    content,
    replyToId: Number.isFinite(replyToId) || (typeof replyToId === 'string' && replyToId) ? replyToId : null,
    enqueuedAt: Number.isFinite(enqueuedAt) ? enqueuedAt : 0,
    order,
    status,
    attempts: 0,
    error: status === 'failed' && error && typeof error.message === 'string'
      ? { message: error.message, status: Number(error.status) || 0 }
      : null,
    ...(typeof formerAuthorId === 'string' && formerAuthorId ? { formerAuthorId } : {}),
  };
}

/**
 * Moves the unsent messages of a user whose session ended (the server gave a new userId) into the new
 * user's outbox. They cannot be sent as the old user any more, and sending them as the new one makes new
 * messages, so each becomes `failed` with `reason` ("send again?") until the user chooses Retry or
 * Delete; they go before the new user's own, as they were typed first. `formerAuthorId` lets the page
 * recognise one that the old user's last try did store, and settle it instead of offering it again.
 * The old key is removed. Unreadable storage moves nothing.
 * @param {{getItem: Function, setItem: Function, removeItem?: Function}} storage
 * @param {{fromKey: string, toKey: string, formerAuthorId: string, reason: string}} move
 * @returns {number} how many messages moved
 */
export function adoptOrphans(storage, { fromKey, toKey, formerAuthorId, reason }) {
  if (fromKey === toKey) return 0;
  let from;
  let to;
  try {
    from = loadState(storage, fromKey);
    to = loadState(storage, toKey);
  } catch {
    return 0;
  }
  const known = new Set([...to.entries.map((e) => e.clientId), ...to.removed]);
  const orphans = from.entries.filter((e) => !known.has(e.clientId));
  const first = to.entries.reduce((min, e) => Math.min(min, e.order), 1);
  const moved = orphans.map((entry, i) => ({
    ...entry,
    order: first - orphans.length + i,
    status: 'failed',
    attempts: 0,
    error: { message: reason, status: 401 },
    formerAuthorId: entry.formerAuthorId ?? formerAuthorId,
  }));
  try {
    if (moved.length > 0) saveEntries(storage, toKey, [...moved, ...to.entries], to.removed);
  } catch {
    return 0; // storage full: leave them where they are rather than lose them
  }
  if (typeof storage.removeItem === 'function') storage.removeItem(fromKey);
  else saveEntries(storage, fromKey, [], from.entries.map((e) => e.clientId));
  return moved.length;
}
