import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  contentProblem, isValidClientId, isValidRoomId, nameProblem, newClientId, normalizeContent, normalizeRoomId,
  roomIdProblem,
} from '../../main/resources/public/validate.js';

describe('validate', () => {
  test('room ids follow [a-z0-9][a-z0-9-]{0,63}', () => {
    for (const ok of ['general', 'a', '0', 'dev-team', `a${'b'.repeat(63)}`]) assert.ok(isValidRoomId(ok), ok);
    for (const bad of ['', '-lead', 'Upper', 'sp ace', 'ümlaut', `a${'b'.repeat(64)}`, 'a/b']) {
      assert.ok(!isValidRoomId(bad), bad);
      assert.ok(roomIdProblem(bad), bad);
    }
  });

  test('typed room names are offered as slugs', () => {
    assert.equal(normalizeRoomId('  #Random Stuff '), 'random-stuff');
    assert.equal(roomIdProblem(normalizeRoomId('#Dev Team')), null);
  });

  test('names are 1 to 32 characters after trim, without control characters', () => {
    assert.equal(nameProblem(' alice '), null);
    assert.equal(nameProblem('x'.repeat(32)), null);
    assert.ok(nameProblem('   '));
    assert.ok(nameProblem('x'.repeat(33)));
    assert.ok(nameProblem('a\u0000b'));
    assert.ok(nameProblem('a\nb'));
  });

  test('content: not blank, at most 4000 code units, no control characters but \\n and \\t', () => {
    assert.equal(contentProblem('line\n\tindented'), null);
    assert.equal(contentProblem('x'.repeat(4000)), null);
    assert.match(contentProblem('x'.repeat(4001)), /4001.*4000/);
    assert.ok(contentProblem(' \n\t '));
    assert.ok(contentProblem('bell\u0007'));
    assert.ok(contentProblem('c1\u0085'));
    assert.equal(contentProblem('<img src=x onerror=alert(1)>'), null, 'markup is just text');
  });

  test('content with an unpaired surrogate is refused, a paired one (emoji) is fine', () => {
    assert.equal(contentProblem('smile \uD83D\uDE00'), null);
    assert.match(contentProblem('broken \uD83D end'), /unpaired surrogate/);
    assert.match(contentProblem('\uDE00 leading low half'), /unpaired surrogate/);
  });

  test('content is trimmed and CRLF becomes LF', () => {
    assert.equal(normalizeContent('  a\r\nb\rc  \n'), 'a\nb\nc');
  });

  test('client ids are 32 hex digits, valid for the server and unique', () => {
    let counter = 0;
    const cryptoLike = { getRandomValues: (array) => array.fill(++counter) };
    const a = newClientId(cryptoLike);
    const b = newClientId(cryptoLike);
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.ok(isValidClientId(a));
    assert.notEqual(a, b);
    assert.ok(!isValidClientId('has space'));
    assert.ok(!isValidClientId('x'.repeat(65)));
  });

  test('client ids start with the time, so later ids sort after earlier ones', () => {
    const cryptoLike = { getRandomValues: (array) => array.fill(0xff) };
    const earlier = newClientId(cryptoLike, Date.UTC(2026, 10, 27, 9, 0, 0, 0));
    const later = newClientId({ getRandomValues: (array) => array.fill(0) }, Date.UTC(2026, 10, 27, 9, 0, 0, 1));
    assert.equal(earlier.slice(0, 12), Date.UTC(2026, 10, 27, 9, 0, 0, 0).toString(16).padStart(12, '0'));
    assert.ok(earlier < later, `${earlier} < ${later}`);
  });
});
