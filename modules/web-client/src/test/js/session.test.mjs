import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NAME_KEY, createSessionManager } from '../../main/resources/public/session.js';
import { httpError, memoryStorage } from './fakes.mjs';

function fakeApi({ cookie = null } = {}) {
  const api = {
    posts: [],
    cookie,
    async getSession() {
      if (!api.cookie) throw httpError(401);
      return api.cookie;
    },
    async createSession(name) {
      api.posts.push(name);
      api.cookie = { userId: `u-${name}`, name };
      return api.cookie;
    },
  };
  return api;
}

describe('session', () => {
  test('a valid cookie is used as is', async () => {
    const api = fakeApi({ cookie: { userId: 'u-1', name: 'alice' } });
    const sessions = createSessionManager({ api, storage: memoryStorage() });
    assert.deepEqual(await sessions.resume(), { userId: 'u-1', name: 'alice' });
    assert.deepEqual(api.posts, []);
  });

  test('without a cookie, the remembered name signs in again', async () => {
    const api = fakeApi();
    const sessions = createSessionManager({ api, storage: memoryStorage({ [NAME_KEY]: 'alice' }) });
    assert.equal((await sessions.resume()).name, 'alice');
    assert.deepEqual(api.posts, ['alice']);
  });

  test('without a cookie or a usable name, the user is asked', async () => {
    for (const stored of [{}, { [NAME_KEY]: '   ' }, { [NAME_KEY]: 'x'.repeat(33) }]) {
      const sessions = createSessionManager({ api: fakeApi(), storage: memoryStorage(stored) });
      assert.equal(await sessions.resume(), null);
    }
  });

  test('a server that cannot be reached is an error, not "no session"', async () => {
    const api = fakeApi();
    api.getSession = async () => {
      throw httpError(503);
    };
    const sessions = createSessionManager({ api, storage: memoryStorage({ [NAME_KEY]: 'alice' }) });
    await assert.rejects(sessions.resume(), (error) => error.status === 503);
  });

  test('signIn trims and remembers the name', async () => {
    const storage = memoryStorage();
    const sessions = createSessionManager({ api: fakeApi(), storage });
    await sessions.signIn('  bob ');
    assert.equal(storage.getItem(NAME_KEY), 'bob');
    assert.equal(sessions.current.name, 'bob');
  });

  test('concurrent renewals after a 401 share one sign-in', async () => {
    const api = fakeApi();
    const sessions = createSessionManager({ api, storage: memoryStorage({ [NAME_KEY]: 'alice' }) });
    const [a, b] = await Promise.all([sessions.renew(), sessions.renew()]);
    assert.equal(a, b);
    assert.deepEqual(api.posts, ['alice']);
  });
});
