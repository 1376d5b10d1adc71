import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createOutbox } from '../../main/resources/public/outbox.js';
import { SESSION_GONE_CODE, createRoom } from '../../main/resources/public/room.js';
import {
  fakeClock, fakeStreams, httpError, memoryStorage, message, networkError, scriptedSend, sequentialIds, settle,
} from './fakes.mjs';

const self = { userId: 'u-me', name: 'me' };

/** History served from an array, with the server's after/before/limit semantics, and failures on demand. */
function fakeHistory(stored = []) {
  const history = {
    stored,
    queries: [],
    failNext: 0,
    async getMessages(roomId, { after, before, limit = 100 } = {}) {
      history.queries.push({ after, before, limit });
      if (history.failNext > 0) {
        history.failNext -= 1;
        throw networkError();
      }
      const list = history.stored.filter((m) => m.roomId === roomId);
      if (after != null) {
        const newer = list.filter((m) => m.seq > after);
        return { messages: newer.slice(0, limit), hasMore: newer.length > limit };
      }
      const older = before == null ? list : list.filter((m) => m.seq < before);
      return { messages: older.slice(-limit), hasMore: older.length > limit };
    },
  };
  return history;
}

function setup({ stored = [], storage = memoryStorage(), startOutbox = true, pageSize = 50 } = {}) {
  const clock = fakeClock();
  const wire = scriptedSend();
  const outbox = createOutbox({
    send: wire.send, storage, storageKey: 'k', newClientId: sequentialIds(),
    setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout, now: clock.now, random: () => 0.5,
  });
  const history = fakeHistory(stored);
  const streams = fakeStreams();
  const states = [];
  const room = createRoom({
    roomId: 'general', self, api: history, outbox, subscribe: streams.subscribe,
    setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout, now: clock.now, random: () => 0.5,
    pageSize, catchUpPageSize: 10, catchUpPages: 2,
  });
  room.on('connection', (state) => states.push(state));
  room.start();
  if (startOutbox) outbox.start();
  return { room, outbox, wire, history, streams, clock, states };
}

const view = (room) => room.items().map((i) => `${i.status}:${i.seq ?? '-'}:${i.content}`);
const many = (from, to, extra = {}) =>
  Array.from({ length: to - from + 1 }, (_, i) => message({ seq: from + i, authorId: 'u-bob', content: `m${from + i}`, ...extra }));

describe('room', () => {
  test('loads the newest page, then streams from its last seq', async () => {
    const { room, history, streams, states } = setup({ stored: many(1, 60) });
    await settle();
    assert.deepEqual(history.queries, [{ after: undefined, before: undefined, limit: 50 }]);
    assert.equal(streams.last().after, 60);
    assert.equal(room.items().length, 50);
    assert.equal(room.hasOlder, true);
    streams.last().open();
    assert.deepEqual(states, ['connected']);
  });

  test('a broadcast before the HTTP answer shows the message once, as sent', async () => {
    const { room, outbox, wire, streams } = setup();
    await settle();
    streams.last().open();
    outbox.enqueue('general', 'hello');
    assert.deepEqual(view(room), ['pending:-:hello']);
    const stored = message({ seq: 1, clientId: 'c1', authorId: 'u-me', content: 'hello' });
    streams.last().frame({ type: 'message', message: stored });
    assert.deepEqual(view(room), ['sent:1:hello']);
    wire.calls[0].answer.resolve(stored);
    await settle();
    assert.deepEqual(view(room), ['sent:1:hello']);
    assert.deepEqual(outbox.entries(), []);
  });

  test('the HTTP answer before the broadcast: the late broadcast is a duplicate', async () => {
    const { room, outbox, wire, streams } = setup();
    await settle();
    outbox.enqueue('general', 'hello');
    const stored = message({ seq: 1, clientId: 'c1', authorId: 'u-me', content: 'hello' });
    wire.calls[0].answer.resolve(stored);
    await settle();
    streams.last().frame({ type: 'message', message: stored });
    assert.deepEqual(view(room), ['sent:1:hello']);
  });

  test('pending messages stay after sent ones as others keep talking', async () => {
    const { room, outbox, streams } = setup({ stored: many(1, 2) });
    await settle();
    outbox.enqueue('general', 'mine');
    streams.last().frame({ type: 'message', message: message({ seq: 3, authorId: 'u-bob', content: 'bob' }) });
    assert.deepEqual(view(room), ['sent:1:m1', 'sent:2:m2', 'sent:3:bob', 'pending:-:mine']);
  });

  test('a messages frame shows each of its messages in seq order and acknowledges ours', async () => {
    const { room, outbox, streams } = setup({ stored: many(1, 2) });
    await settle();
    outbox.enqueue('general', 'mine');
    const mine = message({ seq: 4, clientId: 'c1', authorId: 'u-me', content: 'mine' });
    streams.last().frame({ type: 'messages', messages: [message({ seq: 3, authorId: 'u-bob', content: 'bob' }), mine] });
    assert.deepEqual(view(room), ['sent:1:m1', 'sent:2:m2', 'sent:3:bob', 'sent:4:mine']);
    assert.deepEqual(outbox.entries(), []);
  });

  test('after a reload, a restored message found in history is shown once and not sent again', async () => {
    const storage = memoryStorage();
    const before = createOutbox({ send: () => new Promise(() => {}), storage, storageKey: 'k', newClientId: () => 'c1' });
    before.start();
    before.enqueue('general', 'went out');
    before.close();
    const stored = message({ seq: 1, clientId: 'c1', authorId: 'u-me', content: 'went out' });

    const { room, outbox, wire } = setup({ stored: [stored], storage, startOutbox: false });
    assert.deepEqual(view(room), ['pending:-:went out'], 'shown as unsent until history answers');
    await settle();
    outbox.start();
    assert.deepEqual(view(room), ['sent:1:went out']);
    assert.equal(wire.calls.length, 0);
  });

  test('a restored message not yet in history is re-sent with its clientId and shown once', async () => {
    const storage = memoryStorage();
    const before = createOutbox({ send: () => new Promise(() => {}), storage, storageKey: 'k', newClientId: () => 'c1' });
    before.start();
    before.enqueue('general', 'lost answer');
    before.close();

    const { room, wire, streams } = setup({ storage });
    await settle();
    assert.equal(wire.calls[0].request.clientId, 'c1');
    const replay = message({ seq: 4, clientId: 'c1', authorId: 'u-me', content: 'lost answer' });
    streams.last().frame({ type: 'message', message: replay });
    wire.calls[0].answer.resolve(replay); // the server's 200 replay
    await settle();
    assert.deepEqual(view(room), ['sent:4:lost answer']);
  });

  test('a lost stream reconnects after a jittered backoff and catches up from the last seq', async () => {
    const { room, history, streams, clock, states } = setup({ stored: many(1, 3) });
    await settle();
    streams.last().open();
    history.stored.push(...many(4, 5));
    streams.last().drop();
    assert.equal(room.connection, 'reconnecting');
    assert.deepEqual(clock.pending(), [250], 'half of the first 500 ms ceiling');
    await clock.advance(250);
    assert.deepEqual(history.queries.at(-1), { after: 3, before: undefined, limit: 10 });
    assert.equal(streams.last().after, 5);
    streams.last().open();
    assert.deepEqual(states, ['connected', 'reconnecting', 'connected']);
    assert.deepEqual(room.items().map((i) => i.seq), [1, 2, 3, 4, 5]);
  });

  test('reconnect delays grow to a cap of about 10 s while the server stays away', async () => {
    const { history, streams, clock } = setup();
    await settle();
    streams.last().drop();
    history.failNext = 100;
    const delays = [];
    for (let i = 0; i < 8; i += 1) {
      const [delay] = clock.pending();
      delays.push(delay);
      await clock.advance(delay);
    }
    assert.deepEqual(delays, [250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  test('a reset frame reconnects at once from the last seq', async () => {
    const { streams, clock } = setup({ stored: many(1, 2) });
    await settle();
    const first = streams.last();
    first.open();
    first.frame({ type: 'message', message: message({ seq: 3, authorId: 'u-bob' }) });
    first.frame({ type: 'reset', reason: 'too slow' });
    assert.equal(first.closed, true);
    await settle();
    assert.deepEqual(clock.pending(), []);
    assert.equal(streams.last().after, 3);
    assert.notEqual(streams.last(), first);
  });

  test('a resync frame drops the messages the server no longer has and reloads the room', async () => {
    const { room, history, streams, clock } = setup({ stored: many(1, 5) });
    await settle();
    const first = streams.last();
    first.open();
    // The server was restored to seq 3, then stored another message as seq 4.
    history.stored = [...many(1, 3), message({ seq: 4, authorId: 'u-bob', content: 'after the restore' })];
    first.frame({ type: 'resync', lastSeq: 3, reason: 'cursor after=5 is past the room\'s last seq 3' });
    await settle();
    assert.deepEqual(view(room), ['sent:1:m1', 'sent:2:m2', 'sent:3:m3', 'sent:4:after the restore']);
    assert.deepEqual(clock.pending(), []);
    assert.equal(streams.last().after, 4);
  });

  test('a close with 4409 without its resync frame reloads the room too', async () => {
    const { room, history, streams, clock } = setup({ stored: many(1, 5) });
    await settle();
    history.stored = many(1, 2);
    streams.last().end(4409, "cursor ahead");
    await clock.advance(clock.pending()[0]);
    await settle();
    assert.deepEqual(view(room), ['sent:1:m1', 'sent:2:m2']);
    assert.equal(streams.last().after, 2);
  });

  test('the stream states the highest epoch held', async () => {
    const { streams } = setup({ stored: [...many(1, 2), ...many(3, 4, { epoch: 3 })] });
    await settle();
    assert.equal(streams.last().epoch, 3);
  });

  test('the stream states epoch 1 for an empty room or messages without an epoch', async () => {
    const empty = setup();
    const old = setup({ stored: many(1, 2) });
    await settle();
    assert.equal(empty.streams.last().epoch, 1);
    assert.equal(old.streams.last().epoch, 1);
  });

  test('a stream frame of a higher epoch drops what is held and reloads the room, streaming in the new epoch', async () => {
    const { room, history, streams, clock } = setup({ stored: many(1, 5) });
    await settle();
    const first = streams.last();
    first.open();
    // Another node took the room over from a replica that had only seqs 1-3; it went on at seq 4 in epoch 2.
    const after = message({ seq: 4, authorId: 'u-bob', content: 'after the takeover', epoch: 2 });
    history.stored = [...many(1, 3), after];
    first.frame({ type: 'message', message: after });
    assert.equal(first.closed, true);
    await settle();
    assert.deepEqual(view(room), ['sent:1:m1', 'sent:2:m2', 'sent:3:m3', 'sent:4:after the takeover']);
    assert.deepEqual(clock.pending(), []);
    assert.deepEqual([streams.last().after, streams.last().epoch], [4, 2]);
  });

  test('a messages frame with one message of a higher epoch is not shown in part', async () => {
    const { room, history, streams } = setup({ stored: many(1, 2) });
    await settle();
    history.stored = [...many(1, 2), ...many(3, 4, { epoch: 2 })];
    const changes = [];
    room.on('change', (change) => changes.push(change.added.map((m) => m.seq)));
    streams.last().frame({ type: 'messages', messages: [message({ seq: 3, authorId: 'u-bob' }), history.stored[3]] });
    assert.deepEqual(changes, [], 'seq 3 of epoch 1 is not shown before the reload');
    await settle();
    assert.deepEqual(room.items().map((i) => i.seq), [1, 2, 3, 4]);
    assert.equal(streams.last().epoch, 2);
  });

  test('a catch-up page of a higher epoch after a reconnect reloads the room instead of adding to it', async () => {
    const { room, history, streams, clock } = setup({ stored: many(1, 5) });
    await settle();
    streams.last().open();
    streams.last().drop();
    history.stored = [...many(1, 3), ...many(4, 6, { epoch: 2, content: 'new' })];
    await clock.advance(clock.pending()[0]);
    assert.deepEqual(history.queries.slice(1).map((q) => q.after ?? 'newest'), [5, 'newest']);
    assert.deepEqual(view(room), ['sent:1:m1', 'sent:2:m2', 'sent:3:m3', 'sent:4:new', 'sent:5:new', 'sent:6:new']);
    assert.deepEqual([streams.last().after, streams.last().epoch], [6, 2]);
  });

  test('a gap page of a higher epoch reloads the room', async () => {
    const { room, history, streams } = setup({ stored: many(1, 40) });
    await settle();
    const stream = streams.last();
    stream.open();
    // 43 went out before the takeover; the new owner's history goes on from 41 in epoch 2 without it.
    history.stored = [...many(1, 40), ...many(41, 42, { epoch: 2, content: 'new' })];
    stream.frame({ type: 'message', message: message({ seq: 43, authorId: 'u-bob', content: 'lost' }) });
    await settle();
    assert.deepEqual(history.queries.slice(1).map((q) => q.after ?? 'newest'), [40, 'newest']);
    assert.equal(stream.closed, true);
    assert.deepEqual(view(room).slice(-3), ['sent:40:m40', 'sent:41:new', 'sent:42:new']);
    assert.deepEqual([streams.last().after, streams.last().epoch], [42, 2]);
  });

  test('a stream frame of the same epoch as the held messages is shown without a reload', async () => {
    const { room, history, streams } = setup({ stored: many(1, 2, { epoch: 2 }) });
    await settle();
    streams.last().frame({ type: 'message', message: message({ seq: 3, authorId: 'u-bob', epoch: 2 }) });
    await settle();
    assert.deepEqual(room.items().map((i) => i.seq), [1, 2, 3]);
    assert.equal(streams.streams.length, 1);
    assert.equal(history.queries.length, 1);
  });

  test('a stream frame without an epoch is shown without a reload', async () => {
    const { room, history, streams } = setup({ stored: many(1, 2, { epoch: 1 }) });
    await settle();
    streams.last().frame({ type: 'message', message: message({ seq: 3, authorId: 'u-bob' }) });
    await settle();
    assert.deepEqual(room.items().map((i) => i.seq), [1, 2, 3]);
    assert.equal(streams.streams.length, 1);
    assert.equal(history.queries.length, 1);
  });

  test('our own message stored in a higher epoch reloads the room, which shows it once', async () => {
    const { room, outbox, wire, history, streams } = setup({ stored: many(1, 3) });
    await settle();
    outbox.enqueue('general', 'mine');
    const mine = message({ seq: 3, clientId: 'c1', authorId: 'u-me', content: 'mine', epoch: 2 });
    history.stored = [...many(1, 2), mine];
    wire.calls[0].answer.resolve(mine);
    await settle();
    assert.deepEqual(view(room), ['sent:1:m1', 'sent:2:m2', 'sent:3:mine']);
    assert.deepEqual(outbox.entries(), []);
    assert.equal(streams.last().epoch, 2);
  });

  test('an older page of a higher epoch reloads the room instead of adding to it', async () => {
    const { room, history, streams } = setup({ stored: many(1, 60) });
    await settle();
    history.stored = many(1, 60, { epoch: 2, content: 'new' });
    assert.equal(await room.loadOlder(), false);
    await settle();
    assert.deepEqual(history.queries.slice(1).map((q) => q.before ?? 'newest'), [11, 'newest']);
    assert.deepEqual([room.items().length, view(room).at(-1)], [50, 'sent:60:new']);
    assert.deepEqual([streams.last().after, streams.last().epoch], [60, 2]);
  });

  test('the reconnect after a resync frame states the frame\'s epoch', async () => {
    const { history, streams } = setup({ stored: many(1, 5) });
    await settle();
    streams.last().open();
    // The new owner kept seqs 1-3 of epoch 1 and has stored nothing since.
    history.stored = many(1, 3);
    streams.last().frame({ type: 'resync', lastSeq: 3, epoch: 2, reason: 'the room\'s history changed (epoch 2)' });
    await settle();
    assert.deepEqual([streams.last().after, streams.last().epoch], [3, 2]);
  });

  test('after a resync, a message of the frame\'s epoch is shown without another reload', async () => {
    const { room, history, streams } = setup({ stored: many(1, 5) });
    await settle();
    history.stored = many(1, 3);
    streams.last().frame({ type: 'resync', lastSeq: 3, epoch: 2, reason: 'the room\'s history changed (epoch 2)' });
    await settle();
    const queries = history.queries.length;
    streams.last().frame({ type: 'message', message: message({ seq: 4, authorId: 'u-bob', content: 'next', epoch: 2 }) });
    await settle();
    assert.deepEqual(view(room).at(-1), 'sent:4:next');
    assert.equal(history.queries.length, queries);
    assert.equal(streams.streams.length, 2);
  });

  test('signed out: the "signed out" reset stops the room at once; the 1008 that follows changes nothing', async () => {
    const { room, history, streams, clock, states } = setup({ stored: many(1, 2) });
    const signedOut = [];
    room.on('signed-out', () => signedOut.push('signed-out'));
    await settle();
    const first = streams.last();
    first.open();
    first.frame({ type: 'reset', reason: 'signed out' });
    assert.deepEqual(signedOut, ['signed-out'], 'the close may never arrive: the reset is enough');
    assert.equal(first.closed, true);
    first.end(1008, 'signed out');
    await settle();
    assert.deepEqual(signedOut, ['signed-out']);
    assert.deepEqual(states, ['connected', 'offline']);
    assert.deepEqual(clock.pending(), [], 'no reconnect scheduled');
    room.setOnline(true); // the browser coming back online must not restart it either
    await clock.advance(60_000);
    assert.equal(streams.streams.length, 1);
    assert.equal(history.queries.length, 1, 'no catch-up: its 401 would renew the session');
  });

  test('signed out: a 1008 close without a reset frame stops the room too', async () => {
    const { room, streams, clock } = setup();
    const signedOut = [];
    room.on('signed-out', () => signedOut.push('signed-out'));
    await settle();
    streams.last().end(1008, 'signed out');
    await clock.advance(60_000);
    assert.deepEqual(signedOut, ['signed-out']);
    assert.equal(streams.streams.length, 1);
    assert.equal(room.connection, 'offline');
  });

  test('a 4401 close (no valid session, e.g. expired) is no sign-out: the room catches up, whose 401 renews', async () => {
    const { room, history, streams, clock } = setup({ stored: many(1, 2) });
    const signedOut = [];
    room.on('signed-out', () => signedOut.push('signed-out'));
    await settle();
    streams.last().open();
    streams.last().end(SESSION_GONE_CODE, 'no valid session');
    await clock.advance(clock.pending()[0]);
    assert.deepEqual(signedOut, []);
    assert.deepEqual(history.queries.at(-1), { after: 2, before: undefined, limit: 10 }, 'the catch-up went out');
    assert.equal(streams.streams.length, 2);
    assert.notEqual(room.connection, 'offline');
  });

  test('any other close code reconnects as before, without a signed-out event', async () => {
    const { room, streams, clock } = setup();
    const signedOut = [];
    room.on('signed-out', () => signedOut.push('signed-out'));
    await settle();
    streams.last().end(1013, 'subscription failed, reconnect later');
    await clock.advance(clock.pending()[0]);
    assert.equal(streams.streams.length, 2);
    assert.deepEqual(signedOut, []);
  });

  test('a gap too large to replay reloads the newest page instead', async () => {
    const { room, history, streams, clock } = setup({ stored: many(1, 5), pageSize: 5 });
    await settle();
    streams.last().drop();
    history.stored.push(...many(6, 100));
    await clock.advance(clock.pending()[0]);
    assert.deepEqual(history.queries.slice(1).map((q) => q.after ?? 'newest'), [5, 15, 'newest']);
    assert.deepEqual(room.items().map((i) => i.seq), [96, 97, 98, 99, 100]);
    assert.equal(room.hasOlder, true);
    assert.equal(streams.last().after, 100);
  });

  test('scrolling up loads pages before the first seq until the beginning', async () => {
    const { room, history } = setup({ stored: many(1, 120) });
    await settle();
    assert.equal(await room.loadOlder(), true);
    assert.deepEqual(history.queries.at(-1), { after: undefined, before: 71, limit: 50 });
    await room.loadOlder();
    assert.equal(room.items().length, 120);
    assert.equal(room.items()[0].seq, 1);
    assert.equal(room.hasOlder, false);
    assert.equal(await room.loadOlder(), false, 'nothing more to ask for');
    assert.equal(history.queries.length, 3);
  });

  test('offline stops reconnecting; online reconnects at once', async () => {
    const { room, streams, clock } = setup();
    await settle();
    streams.last().open();
    room.setOnline(false);
    assert.equal(room.connection, 'offline');
    assert.equal(streams.last().closed, true);
    await clock.advance(60_000);
    assert.equal(streams.streams.length, 1);
    room.setOnline(true);
    assert.equal(room.connection, 'reconnecting');
    await settle();
    assert.equal(streams.streams.length, 2);
  });

  test('a room the server does not know yet is an empty room', async () => {
    const { room, history, streams } = setup();
    history.getMessages = async () => {
      throw httpError(404);
    };
    await settle();
    assert.equal(room.loaded, true);
    assert.deepEqual(room.items(), []);
    assert.equal(streams.last().after, 0);
  });

  test('messages of other rooms and after close() are ignored', async () => {
    const { room, outbox, streams } = setup();
    await settle();
    outbox.enqueue('random', 'elsewhere');
    assert.deepEqual(room.items(), []);
    room.close();
    assert.equal(streams.last().closed, true);
    outbox.enqueue('general', 'after close');
    assert.deepEqual(room.items(), []);
  });
  test('catch-up cursor: our HTTP-acked message does not hide one stored before it while the stream was down', async () => {
    const { room, outbox, wire, history, streams, clock } = setup({ stored: many(1, 40) });
    await settle();
    streams.last().open();
    streams.last().drop(); // a blip: reconnect waits for its backoff
    outbox.enqueue('general', 'mine');
    const bob = message({ seq: 41, authorId: 'u-bob', content: 'bob' });
    const mine = message({ seq: 42, clientId: 'c1', authorId: 'u-me', content: 'mine' });
    history.stored.push(bob, mine);
    wire.calls[0].answer.resolve(mine); // our 201, while the stream is down
    await settle();
    assert.equal(room.lastSeq, 42);
    assert.equal(room.cursor, 40, 'the ack alone does not move the cursor');
    await clock.advance(clock.pending()[0]);
    assert.deepEqual(history.queries.at(-1), { after: 40, before: undefined, limit: 10 });
    assert.equal(streams.last().after, 42);
    assert.deepEqual(view(room).slice(-2), ['sent:41:bob', 'sent:42:mine']);
  });

  test('catch-up cursor: a reset frame after our ack resumes the stream from the contiguous cursor', async () => {
    const { room, outbox, wire, streams } = setup({ stored: many(1, 40) });
    await settle();
    const first = streams.last();
    first.open();
    outbox.enqueue('general', 'mine');
    wire.calls[0].answer.resolve(message({ seq: 42, clientId: 'c1', authorId: 'u-me', content: 'mine' }));
    await settle();
    first.frame({ type: 'reset', reason: 'too slow' }); // the broadcast of 41 was dropped with it
    await settle();
    assert.notEqual(streams.last(), first);
    assert.equal(streams.last().after, 40);
    streams.last().frame({ type: 'message', message: message({ seq: 41, authorId: 'u-bob', content: 'bob' }) });
    assert.equal(room.cursor, 42, 'walks over our acked 42 once 41 is in');
    assert.deepEqual(view(room).slice(-2), ['sent:41:bob', 'sent:42:mine']);
  });

  test('catch-up cursor: the stream delivering 41 after our acked 42 moves it to 42 without a fetch', async () => {
    const { room, outbox, wire, history, streams } = setup({ stored: many(1, 40) });
    await settle();
    streams.last().open();
    outbox.enqueue('general', 'mine');
    const mine = message({ seq: 42, clientId: 'c1', authorId: 'u-me', content: 'mine' });
    wire.calls[0].answer.resolve(mine);
    await settle();
    streams.last().frame({ type: 'message', message: message({ seq: 41, authorId: 'u-bob' }) });
    streams.last().frame({ type: 'message', message: mine });
    await settle();
    assert.equal(room.cursor, 42);
    assert.equal(history.queries.length, 1, 'no gap fetch');
    assert.deepEqual(room.items().map((i) => i.seq).slice(-2), [41, 42]);
  });

  test('catch-up cursor: a frame beyond cursor + 1 fetches the gap over HTTP, stream kept open', async () => {
    const { room, history, streams } = setup({ stored: many(1, 40) });
    await settle();
    const stream = streams.last();
    stream.open();
    history.stored.push(...many(41, 44));
    stream.frame({ type: 'message', message: history.stored.at(-1) }); // 44: 41-43 went missing
    assert.equal(room.cursor, 40, 'not advanced past the hole');
    assert.deepEqual(view(room).at(-1), 'sent:44:m44', 'shown at once');
    await settle();
    assert.deepEqual(history.queries.at(-1), { after: 40, before: undefined, limit: 10 });
    assert.equal(room.cursor, 44);
    assert.deepEqual(room.items().map((i) => i.seq).slice(-4), [41, 42, 43, 44]);
    assert.equal(stream.closed, false);
    assert.equal(streams.streams.length, 1);
    assert.equal(room.connection, 'connected');
  });

  test('catch-up cursor: a failed gap fetch falls back to the reconnect loop from the cursor', async () => {
    const { room, history, streams, clock } = setup({ stored: many(1, 40) });
    await settle();
    const stream = streams.last();
    stream.open();
    history.stored.push(...many(41, 43));
    history.failNext = 1;
    stream.frame({ type: 'message', message: history.stored.at(-1) });
    await settle();
    assert.equal(stream.closed, true);
    assert.equal(room.connection, 'reconnecting');
    await clock.advance(clock.pending()[0]);
    assert.deepEqual(history.queries.at(-1), { after: 40, before: undefined, limit: 10 });
    assert.equal(streams.last().after, 43);
  });
  test('a message of the former user (session renewed) found in history is settled, not offered again', async () => {
    const storage = memoryStorage({ k: JSON.stringify({ version: 1, entries: [
      { clientId: 'o1', roomId: 'general', content: 'went out', order: 0, status: 'failed',
        error: { message: 'session expired: send again?', status: 401 }, formerAuthorId: 'u-old' },
      { clientId: 'o2', roomId: 'general', content: 'did not', order: 1, status: 'failed',
        error: { message: 'session expired: send again?', status: 401 }, formerAuthorId: 'u-old' },
    ] }) });
    const stored = message({ seq: 1, clientId: 'o1', authorId: 'u-old', author: 'me', content: 'went out' });
    const { room, outbox, wire } = setup({ stored: [stored], storage });
    await settle();
    assert.deepEqual(view(room), ['sent:1:went out', 'failed:-:did not']);
    assert.deepEqual(outbox.entries().map((e) => e.clientId), ['o2']);
    assert.equal(wire.calls.length, 0);
  });
});
