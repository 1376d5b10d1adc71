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

/**
 * @param {{setItem(key: string, value: string): void}} storage
 * @param {string} key
 * @param {import('./outbox.js').OutboxEntry[]} entries in enqueue order
 * @throws whatever storage throws (quota exceeded, storage disabled)
 */
export function saveEntries(storage, key, entries) {
  storage.setItem(key, JSON.stringify({ version: VERSION, entries }));
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
  const saved = JSON.parse(storage.getItem(key) ?? 'null');
  if (!saved || saved.version !== VERSION || !Array.isArray(saved.entries)) return [];
  const seen = new Set();
  const entries = [];
  for (const raw of saved.entries) {
    const entry = revive(raw);
    if (!entry || seen.has(entry.clientId)) continue;
    seen.add(entry.clientId);
    entries.push(entry);
  }
  return entries.sort((a, b) => a.order - b.order);
}

/** @returns {import('./outbox.js').OutboxEntry|null} */
function revive(raw) {
  if (!raw || typeof raw !== 'object') return null;
  const { clientId, roomId, content, replyToId, enqueuedAt, order, status, error } = raw;
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
  };
}
