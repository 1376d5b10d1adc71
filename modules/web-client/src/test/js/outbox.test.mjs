import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createOutbox } from '../../main/resources/public/outbox.js';
import { adoptOrphans } from '../../main/resources/public/outbox-store.js';
import { SESSION_EXPIRED } from '../../main/resources/public/session.js';
import {
  fakeClock, httpError, memoryStorage, message, networkError, scriptedSend, sequentialIds, settle,
} from './fakes.mjs';

const KEY = 'loomlite.outbox.v1.u-me';

/** An outbox over fakes; `random` 0.5 makes backoff delays predictable (half the ceiling). */
function setup({ storage = memoryStorage(), maxAttempts = 3, ids = sequentialIds(), start = true, watchStorage } = {}) {
  const clock = fakeClock();
  const wire = scriptedSend();
  const events = [];
  const outbox = createOutbox({
    send: wire.send, storage, storageKey: KEY, newClientId: ids, maxAttempts,
    setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout, now: clock.now, random: () => 0.5,
    baseDelayMs: 1000, maxDelayMs: 30_000, watchStorage,
  });
  for (const type of ['queued', 'sending', 'retrying', 'sent', 'failed', 'discarded']) {
    outbox.on(type, (detail) => events.push([type, detail.entry.clientId]));
  }
  if (start) outbox.start();
  return { outbox, clock, wire, events, storage };
}

const ack = (call, extra = {}) => call.answer.resolve(message({ clientId: call.request.clientId, roomId: call.request.roomId, ...extra }));
/** The page's `storage` event between tabs: `fire()` tells every open tab the key changed. */
function storageEvents() {
  const listeners = new Set();
  return {
    watchStorage: (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    fire: () => [...listeners].forEach((onChange) => onChange()),
    get count() {
      return listeners.size;
    },
  };
}
const stored = (storage) => JSON.parse(storage.getItem(KEY)).entries.map((e) => e.clientId);
const sentIds = (wire) => wire.calls.map((c) => c.request.clientId);

describe('outbox', () => {
  test('enqueue returns the clientId at once, after emitting queued, and sends it', () => {
    const { outbox, wire, events } = setup();
    const clientId = outbox.enqueue('general', 'hello');
    assert.equal(clientId, 'c1');
    assert.deepEqual(events[0], ['queued', 'c1']);
    assert.deepEqual(wire.calls.map((c) => c.request), [{ roomId: 'general', clientId: 'c1', content: 'hello', replyToId: null }]);
  });

  test('a room sends its next message only after the previous one is acknowledged', async () => {
    const { outbox, wire, events } = setup();
    outbox.enqueue('general', 'one');
    outbox.enqueue('general', 'two');
    outbox.enqueue('general', 'three');
    assert.deepEqual(sentIds(wire), ['c1']);
    ack(wire.calls[0]);
    await settle();
    assert.deepEqual(sentIds(wire), ['c1', 'c2']);
    ack(wire.calls[1]);
    await settle();
    ack(wire.calls[2]);
    await settle();
    assert.deepEqual(events.filter(([type]) => type === 'sent').map(([, id]) => id), ['c1', 'c2', 'c3']);
    assert.deepEqual(outbox.entries(), []);
  });

  test('rooms do not wait for each other', () => {
    const { outbox, wire } = setup();
    outbox.enqueue('general', 'a');
    outbox.enqueue('random', 'b');
    outbox.enqueue('general', 'c');
    assert.deepEqual(wire.calls.map((c) => `${c.request.roomId}:${c.request.content}`), ['general:a', 'random:b']);
  });

  test('every retry reuses the clientId, with growing jittered delays, until the attempt limit', async () => {
    const { outbox, wire, clock, events } = setup();
    outbox.enqueue('general', 'flaky');
    wire.calls[0].answer.reject(networkError());
    await settle();
    assert.deepEqual(clock.pending(), [500], 'first retry: half of the 1 s ceiling');
    await clock.advance(499);
    assert.equal(wire.calls.length, 1, 'not before the delay');
    await clock.advance(1);
    wire.calls[1].answer.reject(httpError(503));
    await settle();
    assert.deepEqual(clock.pending(), [1000], 'second retry: half of the 2 s ceiling');
    await clock.advance(1000);
    wire.calls[2].answer.reject(httpError(500));
    await settle();
    assert.deepEqual(sentIds(wire), ['c1', 'c1', 'c1']);
    assert.deepEqual(clock.pending(), [], 'no fourth try');
    const [entry] = outbox.entries('general');
    assert.equal(entry.status, 'failed');
    assert.equal(entry.error.status, 500);
    assert.match(entry.error.message, /500/);
    assert.deepEqual(events.at(-1), ['failed', 'c1']);
  });

  test('a 4xx other than 429 fails at once, without a retry', async () => {
    for (const status of [400, 401, 404, 409, 413, 415]) {
      const { outbox, wire, clock } = setup();
      outbox.enqueue('general', 'bad');
      wire.calls[0].answer.reject(httpError(status));
      await settle();
      assert.equal(outbox.entries()[0].status, 'failed', `status ${status}`);
      assert.deepEqual(clock.pending(), [], `status ${status}`);
      assert.equal(wire.calls.length, 1);
    }
  });

  test('429 waits at least Retry-After before trying again', async () => {
    const { outbox, wire, clock } = setup();
    outbox.enqueue('general', 'slow down');
    wire.calls[0].answer.reject(httpError(429, { retryAfterMs: 7000 }));
    await settle();
    const [delay] = clock.pending();
    assert.ok(delay >= 7000 && delay < 8000, `delay ${delay}`);
    await clock.advance(6999);
    assert.equal(wire.calls.length, 1);
    await clock.advance(delay - 6999);
    assert.deepEqual(sentIds(wire), ['c1', 'c1']);
  });

  test('a failed head holds its room, not the others', async () => {
    const { outbox, wire, clock } = setup({ maxAttempts: 1 });
    outbox.enqueue('general', 'first');
    outbox.enqueue('general', 'second');
    wire.calls[0].answer.reject(networkError());
    await settle();
    outbox.enqueue('random', 'elsewhere');
    await clock.advance(60_000);
    assert.deepEqual(wire.calls.map((c) => c.request.content), ['first', 'elsewhere']);
    assert.deepEqual(outbox.entries('general').map((e) => e.status), ['failed', 'pending']);
  });

  test('retry re-sends the failed head with its clientId, then the queue drains in order', async () => {
    const { outbox, wire } = setup({ maxAttempts: 1 });
    outbox.enqueue('general', 'first');
    outbox.enqueue('general', 'second');
    wire.calls[0].answer.reject(networkError());
    await settle();
    assert.equal(outbox.retry('c1'), true);
    assert.deepEqual(sentIds(wire), ['c1', 'c1']);
    ack(wire.calls[1]);
    await settle();
    assert.deepEqual(sentIds(wire), ['c1', 'c1', 'c2']);
    assert.equal(outbox.retry('c2'), false, 'only failed messages can be retried');
  });

  test('discard drops the failed head and lets the next one go', async () => {
    const { outbox, wire, events } = setup({ maxAttempts: 1 });
    outbox.enqueue('general', 'first');
    outbox.enqueue('general', 'second');
    wire.calls[0].answer.reject(httpError(400));
    await settle();
    assert.equal(outbox.discard('c1'), true);
    assert.deepEqual(events.filter(([t]) => t === 'discarded'), [['discarded', 'c1']]);
    assert.deepEqual(sentIds(wire), ['c1', 'c2']);
    assert.equal(outbox.discard('c2'), false, 'a message on the wire cannot be recalled');
  });

  test('discard during a backoff wait cancels the pending retry', async () => {
    const { outbox, wire, clock } = setup();
    outbox.enqueue('general', 'first');
    wire.calls[0].answer.reject(networkError());
    await settle();
    assert.equal(clock.pending().length, 1);
    outbox.discard('c1');
    assert.deepEqual(clock.pending(), []);
    await clock.advance(60_000);
    assert.equal(wire.calls.length, 1);
  });

  test('an acknowledgement seen before the HTTP answer settles the message once', async () => {
    const { outbox, wire, events } = setup();
    outbox.enqueue('general', 'first');
    outbox.enqueue('general', 'second');
    const stored = message({ clientId: 'c1' });
    assert.equal(outbox.acknowledge('c1', stored), true);
    assert.deepEqual(sentIds(wire), ['c1', 'c2'], 'the next one goes as soon as the first is known stored');
    ack(wire.calls[0]);
    await settle();
    assert.deepEqual(events.filter(([t]) => t === 'sent'), [['sent', 'c1']], 'late HTTP answer ignored');
    assert.deepEqual(outbox.entries().map((e) => e.clientId), ['c2']);
  });

  test('a late failure for an acknowledged message does not touch the next one', async () => {
    const { outbox, wire, clock } = setup();
    outbox.enqueue('general', 'first');
    outbox.enqueue('general', 'second');
    outbox.acknowledge('c1', message({ clientId: 'c1' }));
    wire.calls[0].answer.reject(networkError());
    await settle();
    assert.deepEqual(clock.pending(), []);
    assert.deepEqual(outbox.entries().map((e) => [e.clientId, e.status]), [['c2', 'pending']]);
  });

  test('the queue is saved on every change', async () => {
    const { outbox, wire, storage } = setup();
    outbox.enqueue('general', 'saved');
    const saved = JSON.parse(storage.getItem(KEY));
    assert.equal(saved.version, 1);
    assert.deepEqual(saved.entries.map((e) => [e.clientId, e.content, e.status]), [['c1', 'saved', 'pending']]);
    ack(wire.calls[0]);
    await settle();
    assert.deepEqual(JSON.parse(storage.getItem(KEY)).entries, []);
  });

  test('a new page restores the queue and re-sends pending messages under their clientIds', async () => {
    const storage = memoryStorage();
    const first = setup({ storage, maxAttempts: 1 });
    first.outbox.enqueue('general', 'failed one');
    first.outbox.enqueue('general', 'behind it');
    first.outbox.enqueue('random', 'never answered');
    first.wire.calls[0].answer.reject(networkError());
    await settle();
    first.outbox.close(); // the tab closes with 'never answered' on the wire

    const second = setup({ storage, start: false, ids: sequentialIds('new') });
    assert.deepEqual(second.outbox.entries().map((e) => [e.clientId, e.roomId, e.status]),
      [['c1', 'general', 'failed'], ['c2', 'general', 'pending'], ['c3', 'random', 'pending']]);
    assert.equal(second.wire.calls.length, 0, 'nothing is sent before start()');
    second.outbox.start();
    assert.deepEqual(second.wire.calls.map((c) => c.request), [
      { roomId: 'random', clientId: 'c3', content: 'never answered', replyToId: null },
    ], 'the failed head still holds general; random resumes with the same clientId');
    assert.equal(second.outbox.enqueue('general', 'after reload'), 'new1');
    assert.deepEqual(second.outbox.entries('general').map((e) => e.clientId), ['c1', 'c2', 'new1'], 'enqueue order kept');
  });

  test('a restored message the server already has is acknowledged, not sent again', async () => {
    const storage = memoryStorage();
    const first = setup({ storage });
    first.outbox.enqueue('general', 'went out');
    first.outbox.close();

    const second = setup({ storage, start: false });
    second.outbox.acknowledge('c1', message({ clientId: 'c1' })); // found in the history page
    second.outbox.start();
    assert.equal(second.wire.calls.length, 0);
    assert.deepEqual(second.outbox.entries(), []);
    assert.deepEqual(second.events.filter(([t]) => t === 'sent'), [['sent', 'c1']]);
  });

  test('a reply keeps its numeric replyToId across a reload', () => {
    const storage = memoryStorage();
    const first = setup({ storage });
    first.outbox.enqueue('general', 're', { replyToId: 41 });
    assert.equal(first.wire.calls[0].request.replyToId, 41);
    first.outbox.close();
    const second = setup({ storage });
    assert.deepEqual(second.wire.calls[0].request, { roomId: 'general', clientId: 'c1', content: 're', replyToId: 41 });
  });

  test('unreadable or foreign storage content is ignored', () => {
    for (const raw of ['not json', '{"version":99,"entries":[]}',
      '{"version":1,"entries":[{"clientId":"bad id!","roomId":"general","content":"x","order":1,"status":"pending"}]}']) {
      const { outbox } = setup({ storage: memoryStorage({ [KEY]: raw }), start: false });
      assert.deepEqual(outbox.entries(), [], raw);
    }
  });

  test('a full storage does not stop sending', async () => {
    const clock = fakeClock();
    const wire = scriptedSend();
    const errors = [];
    const storage = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    const outbox = createOutbox({
      send: wire.send, storage, storageKey: KEY, newClientId: sequentialIds(), onStorageError: (e) => errors.push(e),
      setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout, now: clock.now, random: () => 0,
    });
    outbox.start();
    outbox.enqueue('general', 'still goes');
    ack(wire.calls[0]);
    await settle();
    assert.ok(errors.length > 0);
    assert.deepEqual(outbox.entries(), []);
  });

  test('wake() skips a backoff wait', async () => {
    const { outbox, wire, clock } = setup();
    outbox.enqueue('general', 'x');
    wire.calls[0].answer.reject(networkError());
    await settle();
    outbox.wake();
    assert.deepEqual(sentIds(wire), ['c1', 'c1']);
    assert.deepEqual(clock.pending(), []);
  });

  test('invalid input is refused before it reaches the queue', () => {
    const { outbox, wire } = setup();
    assert.throws(() => outbox.enqueue('General!', 'x'), RangeError);
    assert.throws(() => outbox.enqueue('general', '   '), RangeError);
    assert.throws(() => outbox.enqueue('general', 'x'.repeat(4001)), RangeError);
    assert.throws(() => outbox.enqueue('general', 'bell\u0007'), RangeError);
    assert.equal(wire.calls.length, 0);
    assert.throws(() => createOutbox({ send: wire.send, newClientId: () => 'a', maxAttempts: 0 }), RangeError);
  });
  test('two tabs: a save keeps the entries the other tab saved (merge by clientId)', () => {
    const storage = memoryStorage();
    const a = setup({ storage, ids: sequentialIds('a') });
    const b = setup({ storage, ids: sequentialIds('b') }); // opened before A queued anything
    a.outbox.enqueue('general', 'from A'); // on the wire, unanswered
    b.outbox.enqueue('random', 'from B');
    assert.deepEqual(stored(storage).sort(), ['a1', 'b1'], "B's save did not erase A's message");
    a.outbox.close(); // tab A closes before its message was acknowledged
    const c = setup({ storage, start: false });
    assert.deepEqual(c.outbox.entries().map((e) => e.content).sort(), ['from A', 'from B']);
  });

  test('two tabs: a message one tab sent or deleted is never written back by the other', async () => {
    const storage = memoryStorage();
    const a = setup({ storage, ids: sequentialIds('a'), maxAttempts: 1 });
    a.outbox.enqueue('general', 'sent by A');
    a.outbox.enqueue('random', 'deleted in A');
    const b = setup({ storage, ids: sequentialIds('b'), start: false }); // restored both, not sending
    assert.deepEqual(b.outbox.entries().map((e) => e.clientId), ['a1', 'a2']);
    ack(a.wire.calls[0]);
    a.wire.calls[1].answer.reject(httpError(400));
    await settle();
    assert.equal(a.outbox.discard('a2'), true);
    assert.deepEqual(stored(storage), []);
    b.outbox.enqueue('general', 'from B');
    assert.deepEqual(stored(storage), ['b1'], 'B still holds a1 and a2 in memory, but does not save them back');
    a.outbox.enqueue('general', 'next from A');
    assert.deepEqual(stored(storage).sort(), ['a3', 'b1']);
    const reload = setup({ storage, start: false });
    assert.deepEqual(reload.outbox.entries().map((e) => e.clientId).sort(), ['a3', 'b1']);
  });

  test('two tabs: the storage event adopts the other tab\'s entries once and drops the ones it settled', async () => {
    const storage = memoryStorage();
    const tabs = storageEvents();
    const a = setup({ storage, ids: sequentialIds('a'), watchStorage: tabs.watchStorage });
    const b = setup({ storage, ids: sequentialIds('b'), watchStorage: tabs.watchStorage });
    a.outbox.enqueue('general', 'from A');
    tabs.fire();
    tabs.fire();
    assert.deepEqual(b.outbox.entries().map((e) => [e.clientId, e.content]), [['a1', 'from A']]);
    assert.deepEqual(b.events.filter(([t]) => t === 'queued'), [['queued', 'a1']], 'shown once');
    assert.deepEqual(sentIds(b.wire), ['a1'], 'B sends it too: the server replays the stored result');
    ack(a.wire.calls[0]);
    await settle();
    tabs.fire();
    assert.deepEqual(b.outbox.entries().map((e) => e.clientId), ['a1'], 'on the wire in B: its answer settles it');
    ack(b.wire.calls[0]);
    await settle();
    assert.deepEqual(b.outbox.entries(), []);
    a.outbox.enqueue('random', 'second');
    a.wire.calls[1].answer.reject(httpError(400));
    await settle();
    tabs.fire();
    assert.deepEqual(b.outbox.entries().map((e) => [e.clientId, e.status]), [['a2', 'failed']]);
    a.outbox.discard('a2');
    tabs.fire();
    assert.deepEqual(b.outbox.entries(), [], 'deleted in A, gone in B');
    assert.deepEqual(b.events.at(-1), ['discarded', 'a2']);
    b.outbox.close();
    a.outbox.close();
    assert.equal(tabs.count, 0, 'close() stops listening');
  });
  test('a closed outbox never writes its key again, whatever reaches it late (a sign-out removed it)', async () => {
    const storage = memoryStorage();
    const tab = setup({ storage, maxAttempts: 1 });
    tab.outbox.enqueue('general', 'on the wire'); // c1, unanswered
    tab.outbox.enqueue('random', 'will fail');
    tab.wire.calls[1].answer.reject(httpError(400)); // c2 failed: Retry and Delete offered
    await settle();
    tab.outbox.enqueue('random', 'waits behind it'); // c3
    storage.removeItem(KEY); // another tab signed out and removed the saved outbox
    tab.outbox.close(); // this tab heard of it

    ack(tab.wire.calls[0]); // the late answer
    await settle();
    assert.equal(tab.outbox.acknowledge('c3', message({ clientId: 'c3', roomId: 'random' })), false,
      "a closed room's late history page");
    assert.equal(tab.outbox.retry('c2'), false);
    assert.equal(tab.outbox.discard('c3'), false);
    tab.outbox.wake();
    await tab.clock.advance(60_000);

    assert.equal(storage.getItem(KEY), null, 'no text left behind');
    assert.equal(tab.wire.calls.length, 2, 'and nothing sent');
  });

  test('session renewed as a new user: the old outbox moves over as failed, and only Retry sends it', async () => {
    const storage = memoryStorage();
    const OLD = 'loomlite.outbox.v1.u-old';
    const oldTab = createOutbox({ send: () => new Promise(() => {}), storage, storageKey: OLD, newClientId: sequentialIds('o') });
    oldTab.start();
    oldTab.enqueue('general', 'first'); // on the wire when the 401 came
    oldTab.enqueue('general', 'second');
    oldTab.close();
    storage.setItem(KEY, JSON.stringify({ version: 1, entries: [{ clientId: 'n1', roomId: 'general', content: 'newer', order: 1, status: 'pending' }] }));

    const moved = adoptOrphans(storage, { fromKey: OLD, toKey: KEY, formerAuthorId: 'u-old', reason: SESSION_EXPIRED });
    assert.equal(moved, 2);
    assert.equal(storage.getItem(OLD), null);
    assert.equal(adoptOrphans(storage, { fromKey: OLD, toKey: KEY, formerAuthorId: 'u-old', reason: SESSION_EXPIRED }), 0,
      'a second tab doing the same moves nothing twice');

    const { outbox, wire } = setup({ storage });
    assert.deepEqual(outbox.entries().map((e) => [e.clientId, e.status, e.error?.message ?? null, e.formerAuthorId ?? null]), [
      ['o1', 'failed', SESSION_EXPIRED, 'u-old'],
      ['o2', 'failed', SESSION_EXPIRED, 'u-old'],
      ['n1', 'pending', null, null],
    ], 'typed first, shown first; the room holds behind them');
    assert.equal(wire.calls.length, 0, 'nothing goes out as the new user by itself');
    assert.equal(outbox.retry('o1'), true);
    assert.deepEqual(wire.calls.map((c) => c.request.clientId), ['o1']);
  });
});
