import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openEvents } from '../../main/resources/public/events.js';
import { settle } from './fakes.mjs';

/** Stands in for the browser's WebSocket: the test calls the handlers the page installed. */
class FakeSocket {
  static last = null;
  constructor(url) {
    this.url = url;
    this.closedWith = null;
    FakeSocket.last = this;
  }
  close(code) {
    this.closedWith = code;
  }
}

function open() {
  const seen = { opens: 0, frames: [], closes: [] };
  const handle = openEvents({
    WebSocket: FakeSocket, url: 'ws://host/api/rooms/general/events?after=0',
    onOpen: () => seen.opens++, onFrame: (f) => seen.frames.push(f), onClose: (info) => seen.closes.push(info),
  });
  return { handle, seen, socket: FakeSocket.last };
}

describe('events', () => {
  test('passes parsed frames on and drops what is not a frame', () => {
    const { seen, socket } = open();
    socket.onopen();
    socket.onmessage({ data: '{"type":"message","message":{"seq":1}}' });
    socket.onmessage({ data: 'not json' });
    socket.onmessage({ data: '{"no":"type"}' });
    socket.onmessage({ data: new ArrayBuffer(2) });
    assert.equal(seen.opens, 1);
    assert.deepEqual(seen.frames, [{ type: 'message', message: { seq: 1 } }]);
  });

  test('reports the end once, even after error then close', () => {
    const { seen, socket } = open();
    socket.onopen();
    socket.onerror();
    socket.onclose({ code: 1011, reason: 'bye' });
    socket.onclose({ code: 1011, reason: 'again' });
    assert.deepEqual(seen.closes, [{ code: 1011, reason: 'bye', opened: true }]);
  });

  test('after close() nothing more is reported', () => {
    const { handle, seen, socket } = open();
    handle.close();
    assert.equal(socket.closedWith, 1000);
    socket.onmessage({ data: '{"type":"message"}' });
    socket.onclose({ code: 1000 });
    assert.deepEqual(seen, { opens: 0, frames: [], closes: [] });
  });

  test('a socket that cannot even be created ends like a failed connection, asynchronously', async () => {
    const closes = [];
    openEvents({
      WebSocket: class { constructor() { throw new SyntaxError('bad url'); } },
      url: 'nope', onOpen() {}, onFrame() {}, onClose: (info) => closes.push(info),
    });
    assert.deepEqual(closes, []);
    await settle();
    assert.equal(closes.length, 1);
    assert.equal(closes[0].opened, false);
  });
});
