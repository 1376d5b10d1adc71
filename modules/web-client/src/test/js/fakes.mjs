/**
 * Hand-written fakes for the page's pure modules: a clock whose timers fire only when the test says
 * so, storage, a scripted send, a scripted API and a controllable event stream. No real sleeps.
 */
import { ApiError } from '../../main/resources/public/api.js';

/** Lets every pending promise callback run (a macrotask boundary; not a sleep). */
export const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A fake clock: `setTimeout` records, `advance(ms)` fires what is due in time order. */
export function fakeClock(start = 1_000_000) {
  let now = start;
  let nextId = 1;
  const timers = new Map();
  const clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout: (id) => void timers.delete(id),
    /** Delays of the timers still waiting, soonest first. */
    pending: () => [...timers.values()].map((t) => t.at - now).sort((a, b) => a - b),
    /** Moves time forward, running due timers (and the promise work they start) in order. */
    async advance(ms) {
      const until = now + ms;
      for (;;) {
        await settle();
        const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
      await settle();
    },
  };
  return clock;
}

export function memoryStorage(initial = {}) {
  const map = new Map(Object.entries(initial));
  return {
    getItem: (key) => (map.has(key) ? map.get(key) : null),
    setItem: (key, value) => void map.set(key, String(value)),
    removeItem: (key) => void map.delete(key),
    dump: () => Object.fromEntries(map),
  };
}

/** A promise the test settles by hand. */
export function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * A send function whose every call waits until the test answers it.
 * `calls` lists {request, answer: deferred} in call order.
 */
export function scriptedSend() {
  const calls = [];
  const send = (request) => {
    const answer = deferred();
    calls.push({ request, answer });
    return answer.promise;
  };
  return { send, calls };
}

let seqCounter = 0;
/** A stored message as the server returns it; without `epoch`, as a server that predates epochs does. */
export function message({ roomId = 'general', seq, clientId, authorId = 'u-me', author = 'me', content = 'hi', replyToId = null, epoch } = {}) {
  const s = seq ?? ++seqCounter;
  const stored = {
    messageId: 1000 + s, roomId, seq: s, clientId: clientId ?? `c-${s}`, author, authorId,
    content, replyToId, createdAt: '2026-01-01T12:00:00Z',
  };
  return epoch === undefined ? stored : { ...stored, epoch };
}

export const networkError = () => new ApiError('network error', { status: 0, retryable: true });
export const httpError = (status, { retryAfterMs = null } = {}) =>
  new ApiError(`failed (HTTP ${status})`, { status, retryable: status === 429 || status >= 500, retryAfterMs });

/** Predictable ids: c1, c2, ... */
export function sequentialIds(prefix = 'c') {
  let n = 0;
  return () => `${prefix}${++n}`;
}

/**
 * A room event stream the test drives: `open()`, `frame(f)`, `drop()`, `end(code, reason)`.
 * `subscribe` is what room.js expects; `streams` lists every opened stream.
 */
export function fakeStreams() {
  const streams = [];
  const subscribe = (roomId, after, handlers, epoch) => {
    const stream = {
      roomId, after, epoch, handlers, closed: false,
      open: () => handlers.onOpen(),
      frame: (f) => handlers.onFrame(f),
      drop: () => {
        stream.closed = true;
        handlers.onClose({ code: 1006, reason: '', opened: true });
      },
      /** The server closes the stream with this code (e.g. 1008 after signing the session out). */
      end: (code, reason = '') => {
        stream.closed = true;
        handlers.onClose({ code, reason, opened: true });
      },
      close: () => {
        stream.closed = true;
      },
    };
    streams.push(stream);
    return stream;
  };
  return { subscribe, streams, last: () => streams.at(-1) };
}
