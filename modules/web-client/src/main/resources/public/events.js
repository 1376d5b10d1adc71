/**
 * One WebSocket connection to a room's event stream, reduced to three callbacks. It parses frames,
 * swallows the browser's separate `error` event (a `close` always follows it) and guarantees that
 * `onClose` fires exactly once and nothing fires after close(): the reconnect logic in room.js can
 * then treat "the stream ended" as a single, simple fact.
 *
 * Pure module: the WebSocket constructor is injected.
 * @module events
 */

/**
 * @typedef {{type: 'message', message: import('./api.js').Message}
 *   | {type: 'messages', messages: import('./api.js').Message[]} | {type: 'reset', reason?: string}
 *   | {type: 'resync', lastSeq: number, epoch?: number, reason?: string}} Frame
 */

/**
 * @param {object} options
 * @param {new (url: string) => WebSocket} options.WebSocket
 * @param {string} options.url
 * @param {() => void} options.onOpen
 * @param {(frame: Frame) => void} options.onFrame
 * @param {(info: {code: number, reason: string, opened: boolean}) => void} options.onClose
 * @returns {{close(): void}}
 */
export function openEvents({ WebSocket: Socket, url, onOpen, onFrame, onClose }) {
  let done = false;
  let opened = false;
  let socket;
  try {
    socket = new Socket(url);
  } catch (error) {
    // A refused URL (bad scheme, blocked by policy) ends the stream like a failed connection would:
    // asynchronously, so the caller's reconnect logic runs after it got the handle back.
    queueMicrotask(() => {
      if (done) return;
      done = true;
      onClose({ code: 1006, reason: String(error?.message ?? error), opened: false });
    });
    return { close: () => void (done = true) };
  }

  socket.onopen = () => {
    if (done) return;
    opened = true;
    onOpen();
  };
  socket.onmessage = (event) => {
    if (done || typeof event.data !== 'string') return;
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return; // Not ours to crash on; the seq cursor will recover anything we miss.
    }
    if (frame && typeof frame.type === 'string') onFrame(frame);
  };
  socket.onerror = () => {};
  socket.onclose = (event) => {
    if (done) return;
    done = true;
    onClose({ code: event?.code ?? 1006, reason: event?.reason ?? '', opened });
  };

  return {
    close() {
      if (done) return;
      done = true;
      try {
        socket.close(1000, 'client closed');
      } catch {
        // Already closing: nothing to do.
      }
    },
  };
}
