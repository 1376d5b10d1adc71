/**
 * A thin wrapper over fetch for the Loomlite JSON API. Its one real job is to turn every failure into
 * an {@link ApiError} that says whether trying again could help, so callers never inspect raw
 * statuses: network errors, timeouts, 408, 429 and 5xx are retryable (with the server's Retry-After
 * when it sent one); every other 4xx means "this request will never succeed as is".
 *
 * Pure module: fetch, time and timers are injected.
 * @module api
 */
import { parseRetryAfter } from './backoff.js';

/** Failure of one API call, with what the caller needs to decide what to do next. */
export class ApiError extends Error {
  /**
   * @param {string} message human-readable reason, fit to show next to a failed message
   * @param {object} details
   * @param {number} details.status HTTP status, or 0 when no response arrived
   * @param {boolean} details.retryable whether the same request may succeed later
   * @param {number|null} [details.retryAfterMs] the server's Retry-After, in ms
   * @param {string|null} [details.field] the request field the server blamed
   * @param {unknown} [details.cause]
   */
  constructor(message, { status, retryable, retryAfterMs = null, field = null, cause }) {
    super(message, { cause });
    this.name = 'ApiError';
    this.status = status;
    this.retryable = retryable;
    this.retryAfterMs = retryAfterMs;
    this.field = field;
  }
}

/**
 * Whether a response status is worth retrying with the same request (and the same clientId).
 * @param {number} status 0 for "no response"
 */
export function isRetryableStatus(status) {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

/** What to tell the user when the server's body has no usable "error" text. */
const FALLBACK_REASONS = {
  400: 'rejected by the server',
  401: 'not signed in',
  404: 'not found',
  409: 'this message id was already used for different content',
  413: 'message too large',
  415: 'unsupported content type',
  429: 'too many requests, slow down',
  503: 'server busy',
};

/**
 * @typedef {object} Message
 * @property {number|string} messageId the server's id (a number today); kept as received, never reformatted,
 *   because the server reads replyToId strictly by type
 * @property {string} roomId
 * @property {number} seq
 * @property {string} clientId
 * @property {string} author
 * @property {string} authorId
 * @property {string} content
 * @property {number|string|null} replyToId
 * @property {string|number} createdAt
 * @property {number} [epoch] the room's history generation it belongs to, from 1 (absent from a server that
 *   predates epochs: 1); see timeline.js
 */

/**
 * @typedef {object} ApiOptions
 * @property {typeof fetch} fetch
 * @property {() => number} [now] wall clock in ms, for HTTP-date Retry-After values
 * @property {(fn: () => void, ms: number) => any} [setTimeout]
 * @property {(handle: any) => void} [clearTimeout]
 * @property {number} [timeoutMs] a request with no complete answer after this is aborted; without it,
 *   one hung request would hold a room's whole outbox forever
 * @property {string} [baseUrl] prefix for every path; '' means same origin
 */

/** @param {ApiOptions} options */
export function createApi({
  fetch: fetchFn,
  now = () => Date.now(),
  setTimeout: setTimer = globalThis.setTimeout,
  clearTimeout: clearTimer = globalThis.clearTimeout,
  timeoutMs = 15_000,
  baseUrl = '',
}) {
  /**
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body] JSON-serialized when present
   */
  async function request(method, path, body) {
    const controller = new AbortController();
    const timer = setTimer(() => controller.abort(), timeoutMs);
    try {
      const headers = { Accept: 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const response = await fetchFn(baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
        signal: controller.signal,
      });
      const text = await response.text();
      if (!response.ok) throw errorFrom(response, text);
      return parseBody(response.status, text);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      const reason = controller.signal.aborted
        ? `no answer within ${Math.round(timeoutMs / 1000)} s`
        : 'network error, the server could not be reached';
      throw new ApiError(reason, { status: 0, retryable: true, cause: error });
    } finally {
      clearTimer(timer);
    }
  }

  /** @param {Response} response @param {string} text */
  function errorFrom(response, text) {
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      // A proxy's HTML error page: the status alone tells us enough.
    }
    const status = response.status;
    const serverReason = body && typeof body.error === 'string' && body.error.trim() ? body.error.trim() : null;
    const reason = serverReason ?? FALLBACK_REASONS[status] ?? `request failed`;
    return new ApiError(`${reason} (HTTP ${status})`, {
      status,
      retryable: isRetryableStatus(status),
      retryAfterMs: parseRetryAfter(response.headers.get('Retry-After'), now()),
      field: body && typeof body.field === 'string' ? body.field : null,
    });
  }

  /** A 2xx whose body is not JSON is treated like a lost answer: a retry replays the stored result. */
  function parseBody(status, text) {
    try {
      return text === '' ? null : JSON.parse(text);
    } catch (cause) {
      throw new ApiError(`unreadable answer from the server (HTTP ${status})`, { status, retryable: true, cause });
    }
  }

  const room = (roomId) => `/api/rooms/${encodeURIComponent(roomId)}`;

  return Object.freeze({
    /** @returns {Promise<{userId: string, name: string}>} rejects with status 401 when there is no session */
    getSession: () => request('GET', '/api/session'),
    /** @param {string} name @returns {Promise<{userId: string, name: string}>} */
    createSession: (name) => request('POST', '/api/session', { name }),
    /**
     * Signs the session out (204); rejects with status 401 when there is none. With `userId`, only if the
     * session is that user's (409 otherwise, nothing signed out).
     * @param {{userId?: string}} [only]
     * @returns {Promise<null>}
     */
    deleteSession: ({ userId } = {}) =>
      request('DELETE', userId == null ? '/api/session' : `/api/session?userId=${encodeURIComponent(userId)}`),
    /** @returns {Promise<Array<{roomId: string, lastSeq: number}>>} */
    listRooms: () => request('GET', '/api/rooms'),
    /**
     * @param {{roomId: string, clientId: string, content: string, replyToId?: number|string|null}} message
     * @returns {Promise<Message>} once the server has stored it durably
     */
    postMessage: ({ roomId, clientId, content, replyToId }) =>
      request('POST', `${room(roomId)}/messages`,
        replyToId == null ? { clientId, content } : { clientId, content, replyToId }),
    /**
     * @param {string} roomId
     * @param {{after?: number, before?: number, limit?: number}} [page] neither after nor before: newest page
     * @returns {Promise<{messages: Message[], hasMore: boolean}>} ascending by seq
     */
    getMessages: (roomId, { after, before, limit } = {}) => {
      const query = new URLSearchParams();
      if (after != null) query.set('after', String(after));
      if (before != null) query.set('before', String(before));
      if (limit != null) query.set('limit', String(limit));
      const text = query.toString();
      const suffix = text ? `?${text}` : '';
      return request('GET', `${room(roomId)}/messages${suffix}`);
    },
  });
}

/**
 * The WebSocket URL of a room's event stream, on the page's own origin.
 * @param {{protocol: string, host: string}} location the page's location
 * @param {string} roomId
 * @param {number} after deliver messages with seq greater than this
 * @param {number} [epoch] the epoch of the messages held up to `after` (at least 1; the server refuses less):
 *   a server whose history was replaced since answers with a resync
 */
export function eventsUrl(location, roomId, after, epoch = 1) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const e = Number.isInteger(epoch) && epoch >= 1 ? epoch : 1;
  return `${scheme}//${location.host}/api/rooms/${encodeURIComponent(roomId)}/events?after=${after}&epoch=${e}`;
}
