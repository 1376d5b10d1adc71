import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backoffDelay, parseRetryAfter, retryDelay } from '../../main/resources/public/backoff.js';

const policy = (random) => ({ baseMs: 500, capMs: 10_000, random });

describe('backoff', () => {
  test('full jitter stays within [0, min(cap, base * 2^attempt))', () => {
    for (let attempt = 0; attempt < 40; attempt += 1) {
      const ceiling = Math.min(10_000, 500 * 2 ** attempt);
      assert.equal(backoffDelay(attempt, policy(() => 0)), 0);
      const high = backoffDelay(attempt, policy(() => 0.999999));
      assert.ok(high < ceiling && high >= ceiling - 1, `attempt ${attempt}: ${high}`);
    }
  });

  test('the ceiling doubles, then is capped', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy(() => 0.5)) * 2);
    assert.deepEqual(ceilings, [500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  test('Retry-After is a floor, with less than one base period of jitter on top', () => {
    assert.equal(retryDelay(0, 3000, policy(() => 0)), 3000);
    assert.equal(retryDelay(5, 3000, policy(() => 0.999)), 3499);
    assert.equal(retryDelay(1, null, policy(() => 0.5)), 500, 'no Retry-After: plain backoff');
  });

  test('Retry-After is read as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('5', now), 5000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now), 0, 'a past date means now');
    assert.equal(parseRetryAfter('soon', now), null);
    assert.equal(parseRetryAfter(null, now), null);
  });
});
