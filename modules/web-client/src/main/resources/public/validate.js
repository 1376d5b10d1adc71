/**
 * Input rules shared by the page and the outbox. They mirror the server's checks so that a message the
 * server would refuse with 400 is caught while the user can still fix it, instead of turning into a
 * *failed* bubble later. The server stays the authority: these are a courtesy, not a defence.
 *
 * Pure module: no DOM, no globals at import time.
 * @module validate
 */

/** Longest message the server accepts, counted like Java's String.length() (UTF-16 code units). */
export const MAX_CONTENT_LENGTH = 4000;
/** Longest display name, after trimming. */
export const MAX_NAME_LENGTH = 32;

export const ROOM_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** C0 and C1 control characters (Java's Character.isISOControl), which names may not contain at all. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
/** The same set minus \n and \t, which message bodies may keep. */
const CONTENT_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
/** A UTF-16 surrogate without its pair: it has no UTF-8 form, so the server refuses it (SQLite stores UTF-8). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** @param {string} roomId */
export function isValidRoomId(roomId) {
  return typeof roomId === 'string' && ROOM_ID_PATTERN.test(roomId);
}

/** @param {string} clientId */
export function isValidClientId(clientId) {
  return typeof clientId === 'string' && CLIENT_ID_PATTERN.test(clientId);
}

/**
 * Turns what the user typed into a room id: rooms are lower-case slugs, so "Random Stuff" is offered
 * as "random-stuff" rather than refused. A leading "#" is dropped.
 * @param {string} text
 * @returns {string}
 */
export function normalizeRoomId(text) {
  return String(text ?? '')
    .trim()
    .replace(/^#+/, '')
    .toLowerCase()
    .replace(/\s+/g, '-');
}

/**
 * @param {string} roomId already normalized
 * @returns {string|null} why the id is unusable, or null when it is fine
 */
export function roomIdProblem(roomId) {
  if (roomId.length === 0) return 'Enter a room name.';
  if (roomId.length > 64) return 'Room names are at most 64 characters.';
  if (!ROOM_ID_PATTERN.test(roomId)) {
    return 'Use lower-case letters, digits and "-", starting with a letter or digit.';
  }
  return null;
}

/**
 * @param {string} name raw input; the server trims it, so we judge the trimmed text
 * @returns {string|null} why the name is unusable, or null when it is fine
 */
export function nameProblem(name) {
  const trimmed = String(name ?? '').trim();
  if (trimmed.length === 0) return 'Enter a name.';
  if (trimmed.length > MAX_NAME_LENGTH) return `Names are at most ${MAX_NAME_LENGTH} characters.`;
  if (CONTROL.test(trimmed)) return 'Names cannot contain control characters.';
  return null;
}

/**
 * Normalizes a message body before it is queued: browsers already give "\n" line ends from a textarea,
 * but pasted or restored text may carry "\r\n"; surrounding blank space is never meaningful in chat.
 * @param {string} content
 */
export function normalizeContent(content) {
  return String(content ?? '').replace(/\r\n?/g, '\n').trim();
}

/**
 * @param {string} content normalized content (see {@link normalizeContent})
 * @returns {string|null} why the message cannot be sent, or null when it is fine
 */
export function contentProblem(content) {
  if (typeof content !== 'string' || content.trim().length === 0) return 'Message is empty.';
  if (content.length > MAX_CONTENT_LENGTH) {
    return `Message is ${content.length} characters; the limit is ${MAX_CONTENT_LENGTH}.`;
  }
  if (CONTENT_CONTROL.test(content)) return 'Message contains control characters.';
  if (LONE_SURROGATE.test(content)) return 'Message contains a broken character (an unpaired surrogate).';
  return null;
}

/**
 * A new idempotency key for one composed message, 32 hex digits (within the server's [A-Za-z0-9_-]{1,64}):
 * the time in milliseconds (12 digits) then 80 random bits (20 digits), like a UUIDv7. Time first makes
 * new keys sort after old ones, so the server's unique index on them grows at its end instead of at random
 * places: a third of the storage work per message (BENCHMARKS.md). 80 random bits per millisecond keep keys
 * unique. crypto.getRandomValues is used rather than crypto.randomUUID because the latter only exists on
 * secure origins, and the page may be served over plain http on a LAN.
 * @param {{getRandomValues(array: Uint8Array): Uint8Array}} cryptoImpl
 * @param {number} [now] milliseconds since the epoch
 */
export function newClientId(cryptoImpl, now = Date.now()) {
  const time = Math.max(0, Math.floor(now)).toString(16).padStart(12, '0').slice(-12);
  const bytes = cryptoImpl.getRandomValues(new Uint8Array(10));
  return time + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
