import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError, createApi, eventsUrl, isRetryableStatus } from '../../main/resources/public/api.js';
import { fakeClock, settle } from './fakes.mjs';

/** A fetch that answers every call with `respond(url, init)` and records the calls. */
function fakeFetch(respond) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init, body: init.body ? JSON.parse(init.body) : undefined });
    return respond(url, init);
  };
  return { fetch, calls };
}

const jsonResponse = (status, body, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

function apiWith(respond, clock = fakeClock()) {
  const wire = fakeFetch(respond);
  const api = createApi({ fetch: wire.fetch, now: clock.now, setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout, timeoutMs: 15_000 });
  return { api, wire, clock };
}

async function failure(promise) {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApiError, `expected ApiError, got ${error}`);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('api', () => {
  test('posts a message as JSON and returns the stored body', async () => {
    const stored = { messageId: 41, seq: 1 };
    const { api, wire } = apiWith(() => jsonResponse(201, stored));
    assert.deepEqual(await api.postMessage({ roomId: 'general', clientId: 'c1', content: 'hi', replyToId: null }), stored);
    assert.equal(wire.calls[0].url, '/api/rooms/general/messages');
    assert.equal(wire.calls[0].init.method, 'POST');
    assert.equal(wire.calls[0].init.headers['Content-Type'], 'application/json');
    assert.deepEqual(wire.calls[0].body, { clientId: 'c1', content: 'hi' }, 'no replyToId when there is none');
    await api.postMessage({ roomId: 'general', clientId: 'c2', content: 're', replyToId: 41 });
    assert.deepEqual(wire.calls[1].body, { clientId: 'c2', content: 're', replyToId: 41 }, 'the id keeps its JSON type');
  });

  test('builds history queries', async () => {
    const { api, wire } = apiWith(() => jsonResponse(200, { messages: [], hasMore: false }));
    await api.getMessages('general');
    await api.getMessages('general', { after: 5, limit: 200 });
    await api.getMessages('general', { before: 40, limit: 50 });
    assert.deepEqual(wire.calls.map((c) => c.url), [
      '/api/rooms/general/messages',
      '/api/rooms/general/messages?after=5&limit=200',
      '/api/rooms/general/messages?before=40&limit=50',
    ]);
  });

  test('a 4xx is not retryable and carries the server reason and field', async () => {
    const { api } = apiWith(() => jsonResponse(400, { error: 'content too long', field: 'content' }));
    const error = await failure(api.postMessage({ roomId: 'general', clientId: 'c1', content: 'x' }));
    assert.equal(error.status, 400);
    assert.equal(error.retryable, false);
    assert.equal(error.field, 'content');
    assert.match(error.message, /content too long.*400/);
  });

  test('429 and 503 are retryable with their Retry-After', async () => {
    for (const status of [429, 503]) {
      const { api } = apiWith(() => jsonResponse(status, { error: 'busy' }, { 'Retry-After': '3' }));
      const error = await failure(api.listRooms());
      assert.equal(error.retryable, true, `status ${status}`);
      assert.equal(error.retryAfterMs, 3000);
    }
  });

  test('a 5xx without a JSON body is retryable and still explained', async () => {
    const { api } = apiWith(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    const error = await failure(api.listRooms());
    assert.equal(error.retryable, true);
    assert.equal(error.retryAfterMs, null);
    assert.match(error.message, /HTTP 502/);
  });

  test('a network failure is retryable with status 0', async () => {
    const { api } = apiWith(() => {
      throw new TypeError('Failed to fetch');
    });
    const error = await failure(api.getSession());
    assert.equal(error.status, 0);
    assert.equal(error.retryable, true);
    assert.match(error.message, /network/);
  });

  test('a request with no answer is aborted after the timeout and is retryable', async () => {
    const clock = fakeClock();
    const { api } = apiWith((url, init) => new Promise((resolve, reject) => {
      init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    }), clock);
    const pending = failure(api.listRooms());
    await settle();
    await clock.advance(15_000);
    const error = await pending;
    assert.equal(error.retryable, true);
    assert.match(error.message, /no answer within 15 s/);
    assert.deepEqual(clock.pending(), [], 'timer cleared');
  });

  test('401 from GET /api/session is reported as such', async () => {
    const { api } = apiWith(() => jsonResponse(401, { error: 'no valid session' }));
    const error = await failure(api.getSession());
    assert.equal(error.status, 401);
    assert.equal(error.retryable, false);
  });

  test('deleteSession sends DELETE /api/session and resolves on 204', async () => {
    const { api, wire } = apiWith(() => new Response(null, { status: 204 }));
    assert.equal(await api.deleteSession(), null);
    assert.equal(wire.calls[0].url, '/api/session');
    assert.equal(wire.calls[0].init.method, 'DELETE');
    assert.equal(wire.calls[0].init.body, undefined);
  });

  test('deleteSession with a userId ends only that user\'s session', async () => {
    const { api, wire } = apiWith(() => new Response(null, { status: 204 }));
    assert.equal(await api.deleteSession({ userId: 'u 1&x' }), null);
    assert.equal(wire.calls[0].url, '/api/session?userId=u%201%26x');
    assert.equal(wire.calls[0].init.method, 'DELETE');
  });

  test('retryable statuses are exactly: none, 408, 429 and 5xx', () => {
    assert.deepEqual([0, 200, 400, 401, 404, 408, 409, 413, 415, 429, 500, 503, 599].filter(isRetryableStatus),
      [0, 408, 429, 500, 503, 599]);
  });

  test('the event stream URL follows the page protocol', () => {
    assert.equal(eventsUrl({ protocol: 'http:', host: 'localhost:8080' }, 'general', 12, 1), 'ws://localhost:8080/api/rooms/general/events?after=12&epoch=1');
    assert.equal(eventsUrl({ protocol: 'https:', host: 'chat.example' }, 'a-b', 0, 1), 'wss://chat.example/api/rooms/a-b/events?after=0&epoch=1');
  });

  test('the event stream URL carries the epoch of the cursor', () => {
    assert.equal(eventsUrl({ protocol: 'http:', host: 'localhost:8080' }, 'general', 12, 3), 'ws://localhost:8080/api/rooms/general/events?after=12&epoch=3');
  });

  test('the event stream URL states epoch 1 when given none or one the server would refuse', () => {
    const at = (epoch) => eventsUrl({ protocol: 'http:', host: 'h' }, 'r', 5, epoch);
    assert.deepEqual([undefined, 0, -2, 1.5].map(at), Array(4).fill('ws://h/api/rooms/r/events?after=5&epoch=1'));
  });
});
