import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTimeline } from '../../main/resources/public/timeline.js';
import { message } from './fakes.mjs';

const me = { selfId: 'u-me', selfName: 'me' };
const entry = (clientId, order, extra = {}) => ({
  clientId, roomId: 'general', content: `local ${clientId}`, replyToId: null, enqueuedAt: 0, order,
  status: 'pending', attempts: 1, error: null, ...extra,
});
const view = (timeline) => timeline.items().map((i) => `${i.status}:${i.seq ?? '-'}:${i.clientId}`);

describe('timeline', () => {
  test('history pages and broadcasts merge by seq without duplicates', () => {
    const timeline = createTimeline(me);
    const m = [1, 2, 3, 4].map((seq) => message({ seq, authorId: 'u-bob' }));
    assert.deepEqual(timeline.addMessages([m[2], m[3]]).map((x) => x.seq), [3, 4]);
    assert.deepEqual(timeline.addMessages([m[3]]), [], 'a broadcast overlapping the page');
    assert.deepEqual(timeline.addMessages([m[1], m[0], m[2]]).map((x) => x.seq), [1, 2], 'older page, any order');
    assert.deepEqual(timeline.items().map((i) => i.seq), [1, 2, 3, 4]);
    assert.equal(timeline.firstSeq, 1);
    assert.equal(timeline.lastSeq, 4);
  });

  test('order is by seq, never by clock', () => {
    const timeline = createTimeline(me);
    timeline.addMessages([
      { ...message({ seq: 20 }), createdAt: '2020-01-01T00:00:00Z' },
      { ...message({ seq: 10 }), createdAt: '2030-01-01T00:00:00Z' },
    ]);
    assert.deepEqual(timeline.items().map((i) => i.seq), [10, 20]);
  });

  test('our stored message replaces its echo under the same key', () => {
    const timeline = createTimeline(me);
    timeline.setLocal(entry('c1', 1));
    const [echo] = timeline.items();
    timeline.addMessages([message({ seq: 7, clientId: 'c1', authorId: 'u-me' })]);
    const items = timeline.items();
    assert.equal(items.length, 1);
    assert.equal(items[0].status, 'sent');
    assert.equal(items[0].key, echo.key, 'the row is reused, not redrawn');
  });

  test('a broadcast that beat the echo is reported back, and no echo is added', () => {
    const timeline = createTimeline(me);
    const stored = message({ seq: 3, clientId: 'c1', authorId: 'u-me' });
    timeline.addMessages([stored]);
    assert.equal(timeline.setLocal(entry('c1', 1)), stored);
    assert.deepEqual(view(timeline), ['sent:3:c1']);
  });

  test("another user's message with the same clientId does not replace our echo", () => {
    const timeline = createTimeline(me);
    timeline.setLocal(entry('c1', 1));
    timeline.addMessages([message({ seq: 5, clientId: 'c1', authorId: 'u-bob' })]);
    assert.deepEqual(view(timeline), ['sent:5:c1', 'pending:-:c1']);
  });

  test('unsent messages come after all sent ones, in enqueue order', () => {
    const timeline = createTimeline(me);
    timeline.setLocal(entry('c2', 2));
    timeline.setLocal(entry('c1', 1, { status: 'failed', error: { message: 'boom', status: 503 } }));
    timeline.addMessages([message({ seq: 9, authorId: 'u-bob', clientId: 'b9' })]);
    assert.deepEqual(view(timeline), ['sent:9:b9', 'failed:-:c1', 'pending:-:c2']);
    const failed = timeline.items()[1];
    assert.equal(failed.author, 'me');
    assert.equal(failed.own, true);
    assert.equal(failed.error.message, 'boom');
  });

  test('setLocal updates an echo in place and removeLocal drops it', () => {
    const timeline = createTimeline(me);
    timeline.setLocal(entry('c1', 1));
    timeline.setLocal(entry('c1', 1, { status: 'failed' }));
    assert.deepEqual(view(timeline), ['failed:-:c1']);
    assert.equal(timeline.removeLocal('c1'), true);
    assert.deepEqual(view(timeline), []);
  });

  test('clearSent keeps the echoes', () => {
    const timeline = createTimeline(me);
    timeline.addMessages([message({ seq: 1 })]);
    timeline.setLocal(entry('c9', 1));
    timeline.clearSent();
    assert.deepEqual(view(timeline), ['pending:-:c9']);
    assert.equal(timeline.lastSeq, 0);
    assert.equal(timeline.firstSeq, null);
  });

  test('messages are found by id for reply previews', () => {
    const timeline = createTimeline(me);
    const stored = message({ seq: 4 });
    timeline.addMessages([stored]);
    assert.equal(timeline.message(stored.messageId), stored);
  });
  test('the cursor moves with pages and contiguous stream frames, never with an HTTP answer', () => {
    const timeline = createTimeline(me);
    timeline.addPage([1, 2, 3].map((seq) => message({ seq, authorId: 'u-bob' })), null);
    assert.equal(timeline.cursor, 3);
    timeline.addMessages([message({ seq: 5, clientId: 'c1', authorId: 'u-me' })]); // our 201
    assert.equal(timeline.lastSeq, 5);
    assert.equal(timeline.cursor, 3);
    assert.deepEqual(timeline.addStreamed([message({ seq: 4, authorId: 'u-bob' })]).gap, false);
    assert.equal(timeline.cursor, 5, 'walks over the acked 5 once 4 is held');
    const { gap } = timeline.addStreamed([message({ seq: 8, authorId: 'u-bob' })]);
    assert.equal(gap, true);
    assert.equal(timeline.cursor, 5);
    timeline.addPage([6, 7, 8].map((seq) => message({ seq, authorId: 'u-bob' })), 5);
    assert.equal(timeline.cursor, 8);
  });

  test('an after= page covers its range; a stale one (asked before clearSent) does not', () => {
    const timeline = createTimeline(me);
    timeline.addPage([message({ seq: 10 })], null);
    timeline.addPage([message({ seq: 12 }), message({ seq: 14 })], 10); // the server says 11, 13 do not exist
    assert.equal(timeline.cursor, 14);
    timeline.clearSent();
    assert.equal(timeline.cursor, 0);
    timeline.addPage([message({ seq: 20 })], 14);
    assert.equal(timeline.cursor, 0);
  });

  test('the epoch is the highest held; a message without one counts as 1', () => {
    const timeline = createTimeline(me);
    timeline.addMessages([message({ seq: 1 })]);
    assert.equal(timeline.epoch, 1);
    timeline.addMessages([message({ seq: 3, epoch: 4 }), message({ seq: 2, epoch: 2 })]);
    assert.equal(timeline.epoch, 4);
  });

  test('an empty timeline, or one cleared, has epoch 0', () => {
    const timeline = createTimeline(me);
    assert.equal(timeline.epoch, 0);
    timeline.addMessages([message({ seq: 1, epoch: 3 })]);
    timeline.clearSent();
    assert.equal(timeline.epoch, 0);
  });

  test('a message of a higher epoch than the held ones replaces them', () => {
    const timeline = createTimeline(me);
    timeline.addPage([message({ seq: 1, epoch: 2 })], null);
    assert.equal(timeline.replacedBy([message({ seq: 2, epoch: 2 }), message({ seq: 3, epoch: 3 })]), true);
  });

  test('messages of an equal, lower or no epoch replace nothing', () => {
    const timeline = createTimeline(me);
    timeline.addPage([message({ seq: 1, epoch: 2 })], null);
    assert.equal(timeline.replacedBy([message({ seq: 2, epoch: 2 }), message({ seq: 3, epoch: 1 }), message({ seq: 4 })]), false);
  });

  test('nothing is replaced while no server message is held, echoes or not', () => {
    const timeline = createTimeline(me);
    timeline.setLocal(entry('c1', 1));
    assert.equal(timeline.replacedBy([message({ seq: 1, epoch: 5 })]), false);
  });

  test('an epoch the server said the held messages belong to is no replacement', () => {
    const timeline = createTimeline(me);
    timeline.addPage([message({ seq: 1 })], null);
    assert.equal(timeline.replacedBy([message({ seq: 2, epoch: 2 })], 2), false);
    assert.equal(timeline.replacedBy([message({ seq: 2, epoch: 3 })], 2), true);
  });
});
