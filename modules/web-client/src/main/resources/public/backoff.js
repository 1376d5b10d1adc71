/**
 * Retry timing. Both the outbox (sending) and the room feed (reconnecting) wait
 * "exponential backoff with full jitter": a uniformly random delay in [0, min(cap, base * 2^attempt)).
 * Full jitter spreads the retries of many clients that failed at the same moment (a server restart)
 * so they do not come back as a synchronized wave.
 *
 * Pure module: randomness and time are passed in.
 * @module backoff
 */

/**
 * @typedef {object} BackoffPolicy
 * @property {number} baseMs   ceiling of the first wait
 * @property {number} capMs    no wait is ever longer than this (Retry-After excepted)
 * @property {() => number} random  uniform in [0, 1), e.g. Math.random
 */

/**
 * @param {number} attempt 0 for the first retry, 1 for the second, ...
 * @param {BackoffPolicy} policy
 * @returns {number} milliseconds to wait, 0 <= result < min(capMs, baseMs * 2^attempt)
 */
export function backoffDelay(attempt, { baseMs, capMs, random }) {
  const exponent = Math.min(Math.max(0, attempt), 30); // 2^30 already dwarfs any sane cap
  const ceiling = Math.min(capMs, baseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}

/**
 * The wait before a retry when the server may have said how long to wait. Retry-After is a floor,
 * not a suggestion: we never come back earlier. A little jitter (under one base period) is added on
 * top so that all the clients told "1 second" do not return in the same millisecond.
 * @param {number} attempt see {@link backoffDelay}
 * @param {number|null|undefined} retryAfterMs from the response, when it had one
 * @param {BackoffPolicy} policy
 */
export function retryDelay(attempt, retryAfterMs, policy) {
  if (retryAfterMs != null && retryAfterMs > 0) {
    return retryAfterMs + Math.floor(policy.random() * Math.min(policy.baseMs, policy.capMs));
  }
  return backoffDelay(attempt, policy);
}

/**
 * Parses an HTTP Retry-After header: either delta-seconds ("120") or an HTTP date.
 * @param {string|null|undefined} value
 * @param {number} nowMs current time, for the date form
 * @returns {number|null} milliseconds to wait, or null when absent or unreadable
 */
export function parseRetryAfter(value, nowMs) {
  if (value == null) return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}
