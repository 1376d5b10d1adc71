import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NAME_KEY, SESSION_EXPIRED, createSessionManager, readRemembered, withSession } from '../../main/resources/public/session.js';
import { deferred, httpError, memoryStorage, networkError, settle } from './fakes.mjs';

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
    deletes: 0,
    /** Like the server: with a userId, only that user's session is ended (409 otherwise). */
    async deleteSession({ userId } = {}) {
      api.deletes += 1;
      if (!api.cookie) throw httpError(401);
      if (userId != null && api.cookie.userId !== userId) throw httpError(409);
      api.cookie = null;
      return null;
    },
  };
  return api;
}

/** fakeApi whose createSession and deleteSession answer only when the test says so (`answer()`). */
function slowApi(options) {
  const api = fakeApi(options);
  const slow = (method) => {
    const fast = api[method];
    api[method] = (...args) => {
      const gate = deferred();
      api.waiting.push({ method, answer: () => gate.resolve() });
      return gate.promise.then(() => fast(...args));
    };
  };
  api.waiting = [];
  slow('createSession');
  slow('deleteSession');
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
    assert.deepEqual(JSON.parse(storage.getItem(NAME_KEY)), { name: 'bob', userId: 'u-bob' });
    assert.deepEqual(readRemembered(storage.getItem(NAME_KEY)), { name: 'bob', userId: 'u-bob' });
    assert.equal(sessions.rememberedName(), 'bob');
    assert.equal(sessions.current.name, 'bob');
  });

  test('a name stored by an older page (a plain string) is still read, as of unknown user', async () => {
    assert.deepEqual(readRemembered('alice'), { name: 'alice', userId: null });
    assert.deepEqual(readRemembered('42'), { name: '42', userId: null });
    assert.equal(readRemembered(null), null);
    const storage = memoryStorage({ [NAME_KEY]: 'alice' });
    const sessions = createSessionManager({ api: fakeApi(), storage });
    assert.equal(sessions.rememberedName(), 'alice');
    sessions.forget('u-anyone');
    assert.equal(storage.getItem(NAME_KEY), null, 'a name of unknown user is forgotten');
  });

  test('signOut names its user: a cookie that has become another user\'s is left alone (409)', async () => {
    const api = fakeApi({ cookie: { userId: 'u-1', name: 'alice' } });
    const storage = memoryStorage();
    const sessions = createSessionManager({ api, storage });
    await sessions.resume();
    // Another tab signed in as bob after alice's session ended: the browser's cookie is bob's now.
    api.cookie = { userId: 'u-bob', name: 'bob' };
    storage.setItem(NAME_KEY, JSON.stringify({ name: 'bob', userId: 'u-bob' }));
    await sessions.signOut();
    assert.deepEqual(api.cookie, { userId: 'u-bob', name: 'bob' }, 'bob stays signed in');
    assert.equal(readRemembered(storage.getItem(NAME_KEY)).userId, 'u-bob', 'and remembered');
    assert.equal(sessions.current, null, 'alice is signed out here');
  });

  test('a sign-out answered late in one tab neither forgets nor ends the user signed in since in another', async () => {
    const api = slowApi({ cookie: { userId: 'u-1', name: 'alice' } });
    const storage = memoryStorage({ [NAME_KEY]: JSON.stringify({ name: 'alice', userId: 'u-1' }) });
    const tabA = createSessionManager({ api, storage });
    const tabB = createSessionManager({ api, storage });
    await tabA.resume();
    await tabB.resume();
    const out = tabA.signOut();
    await settle();
    api.cookie = null; // the server ended u-1 and told tab B's room (1008); tab A's answer is slow
    const removedBefore = storage.getItem(NAME_KEY);
    assert.equal(tabB.concerns(removedBefore), true);
    tabB.signedOutElsewhere();
    assert.equal(storage.getItem(NAME_KEY), null);
    const bob = tabB.signIn('bob'); // the user signs in again in tab B
    await settle();
    api.waiting[1].answer(); // tab B's end of u-1: 401, nothing to end
    await settle();
    api.waiting[2].answer(); // tab B's sign-in
    assert.equal((await bob).userId, 'u-bob');
    api.waiting[0].answer(); // at last, tab A's DELETE answer: u-1 only, so 409 for the cookie now bob's
    await out;
    assert.deepEqual(readRemembered(storage.getItem(NAME_KEY)), { name: 'bob', userId: 'u-bob' });
    assert.deepEqual(api.cookie, { userId: 'u-bob', name: 'bob' });
    assert.equal(tabA.current, null);
    assert.equal(tabB.current.userId, 'u-bob');
  });

  test('a removal of another user\'s remembered name does not concern this tab; its own user\'s does', async () => {
    const sessions = createSessionManager({ api: fakeApi(), storage: memoryStorage() });
    assert.equal(sessions.concerns(JSON.stringify({ name: 'alice', userId: 'u-1' })), true, 'no session here yet');
    await sessions.signIn('bob');
    assert.equal(sessions.concerns(JSON.stringify({ name: 'alice', userId: 'u-1' })), false);
    assert.equal(sessions.concerns(JSON.stringify({ name: 'bob', userId: 'u-bob' })), true);
    assert.equal(sessions.concerns('bob'), true, 'a plain name: of unknown user');
    assert.equal(sessions.concerns(null), true);
  });

  test('signOut ends the session on the server and forgets the name', async () => {
    const api = fakeApi({ cookie: { userId: 'u-1', name: 'alice' } });
    const storage = memoryStorage({ [NAME_KEY]: 'alice' });
    const sessions = createSessionManager({ api, storage });
    await sessions.resume();
    await sessions.signOut();
    assert.equal(api.deletes, 1);
    assert.equal(storage.getItem(NAME_KEY), null);
    assert.equal(sessions.current, null);
  });

  test('after signOut nothing signs in again by itself', async () => {
    const api = fakeApi({ cookie: { userId: 'u-1', name: 'alice' } });
    const sessions = createSessionManager({ api, storage: memoryStorage({ [NAME_KEY]: 'alice' }) });
    await sessions.resume();
    await sessions.signOut();
    assert.equal(await sessions.resume(), null);
    assert.equal(await sessions.renew(), null);
    assert.deepEqual(api.posts, []);
  });

  test('signOut of a session the server no longer knows still signs out here', async () => {
    const storage = memoryStorage({ [NAME_KEY]: 'alice' });
    const sessions = createSessionManager({ api: fakeApi(), storage });
    await sessions.signOut();
    assert.equal(storage.getItem(NAME_KEY), null);
  });

  test('signOut that fails for another reason forgets nothing', async () => {
    const api = fakeApi({ cookie: { userId: 'u-1', name: 'alice' } });
    api.deleteSession = async () => {
      throw httpError(503);
    };
    const storage = memoryStorage({ [NAME_KEY]: 'alice' });
    const sessions = createSessionManager({ api, storage });
    await sessions.resume();
    await assert.rejects(sessions.signOut(), (error) => error.status === 503);
    assert.equal(storage.getItem(NAME_KEY), 'alice');
    assert.equal(sessions.current.name, 'alice');
  });

  test('while signing out, a 401 renews nothing: the server ends our streams before it answers', async () => {
    const api = slowApi({ cookie: { userId: 'u-1', name: 'alice' } });
    const storage = memoryStorage({ [NAME_KEY]: 'alice' });
    const sessions = createSessionManager({ api, storage });
    await sessions.resume();
    const signingOut = sessions.signOut();
    await settle();
    assert.equal(sessions.ending, true);
    // The room's catch-up after the "signed out" reset, say: the server already revoked the session.
    const changes = [];
    const catchUp = withSession(async () => {
      throw httpError(401);
    }, { sessions, userId: 'u-1', onUserChanged: (s) => changes.push(s) });
    await assert.rejects(catchUp(), (error) => error.status === 401 && error.message !== SESSION_EXPIRED);
    assert.equal(await sessions.renew(), null);
    api.waiting.shift().answer(); // the late 204
    await signingOut;
    assert.deepEqual(api.posts, [], 'no sign-in');
    assert.deepEqual(changes, []);
    assert.equal(storage.getItem(NAME_KEY), null);
    assert.equal(sessions.current, null);
    assert.equal(sessions.ending, false);
  });

  test('forget drops the answer of a sign-in already on its way (another tab signed out) and ends its session', async () => {
    const api = slowApi();
    const storage = memoryStorage({ [NAME_KEY]: 'alice' });
    const sessions = createSessionManager({ api, storage });
    const renewal = sessions.renew();
    await settle();
    sessions.forget();
    api.waiting.shift().answer();
    assert.equal(await renewal, null);
    assert.equal(storage.getItem(NAME_KEY), null, 'the name is not written back');
    assert.equal(sessions.current, null);
    assert.equal(await sessions.renew(), null, 'and nothing is left to renew from');
    assert.deepEqual(api.posts, ['alice']);
    // The answer's cookie was set all the same (a reload would resume that session): it is ended.
    await settle();
    assert.deepEqual(api.waiting.map((w) => w.method), ['deleteSession']);
    api.waiting.shift().answer();
    await settle();
    assert.equal(api.cookie, null, 'the session the dropped answer made is deleted');
    assert.equal(api.deletes, 1);
  });

  test('a sign-in waits until a dropped one has been ended, so that no answer overwrites a newer cookie', async () => {
    const api = slowApi();
    const sessions = createSessionManager({ api, storage: memoryStorage({ [NAME_KEY]: 'alice' }) });
    const renewal = sessions.renew();
    await settle();
    sessions.forget(); // another tab signed out
    const fresh = sessions.signIn('bob'); // and the user here signs in again at once
    api.waiting.shift().answer();
    assert.equal(await renewal, null);
    await settle();
    assert.deepEqual(api.waiting.map((w) => w.method), ['deleteSession'], 'bob waits for the DELETE');
    api.waiting.shift().answer();
    await settle();
    assert.deepEqual(api.waiting.map((w) => w.method), ['createSession']);
    api.waiting.shift().answer();
    assert.equal((await fresh).userId, 'u-bob');
    assert.deepEqual(api.cookie, { userId: 'u-bob', name: 'bob' });
  });

  test('a 401 after another tab removed the name renews nothing: no fallback to the current name', async () => {
    const api = fakeApi({ cookie: { userId: 'u-1', name: 'alice' } });
    const storage = memoryStorage({ [NAME_KEY]: 'alice' });
    const sessions = createSessionManager({ api, storage });
    await sessions.resume();
    // Tab A signs out: the server ends the session and A removes the name. This tab has not heard of it
    // yet (neither the 1008 nor the storage event) when one of its requests gets a 401.
    api.cookie = null;
    storage.removeItem(NAME_KEY);
    const changes = [];
    const call = withSession(async () => {
      throw httpError(401);
    }, { sessions, userId: 'u-1', onUserChanged: (s) => changes.push(s) });
    await assert.rejects(call(), (error) => error.status === 401 && error.message !== SESSION_EXPIRED);
    assert.equal(await sessions.renew(), null);
    assert.deepEqual(api.posts, [], 'no new user');
    assert.deepEqual(changes, []);
    assert.equal(api.cookie, null);
  });

  test('another tab signing out ends the session a renewal here made after its DELETE', async () => {
    const api = fakeApi({ cookie: { userId: 'u-1', name: 'alice' } });
    const storage = memoryStorage({ [NAME_KEY]: 'alice' });
    const sessions = createSessionManager({ api, storage });
    await sessions.resume();
    api.cookie = null; // tab A's DELETE; A has not removed the name yet
    assert.equal((await sessions.renew()).userId, 'u-alice');
    storage.removeItem(NAME_KEY); // now it has; this tab hears of it
    sessions.signedOutElsewhere();
    await settle();
    assert.equal(api.cookie, null, 'the renewed session does not outlive the sign-out');
    assert.equal(sessions.current, null);
    assert.equal(storage.getItem(NAME_KEY), null);
  });

  test('another tab signing out never ends a session the cookie has meanwhile become another user\'s', async () => {
    const api = fakeApi({ cookie: { userId: 'u-1', name: 'alice' } });
    const sessions = createSessionManager({ api, storage: memoryStorage({ [NAME_KEY]: 'alice' }) });
    await sessions.resume();
    api.cookie = { userId: 'u-2', name: 'bob' }; // the user signed in again, as bob, in the other tab
    sessions.signedOutElsewhere();
    await settle();
    assert.deepEqual(api.cookie, { userId: 'u-2', name: 'bob' });
    assert.equal(api.deletes, 1);
  });

  test('a sign-out whose answer is lost is done when the server ended our streams meanwhile', async () => {
    const api = fakeApi({ cookie: { userId: 'u-1', name: 'alice' } });
    const storage = memoryStorage({ [NAME_KEY]: 'alice' });
    const sessions = createSessionManager({ api, storage });
    await sessions.resume();
    const answer = deferred();
    api.deleteSession = () => {
      api.cookie = null; // the server signs out, ends the streams, then its answer is lost
      return answer.promise;
    };
    api.getSession = async () => {
      throw networkError(); // and it cannot be asked again either
    };
    const signingOut = sessions.signOut();
    await settle();
    sessions.confirmSignedOut(); // the room's 1008, which the page hands over while signing out
    answer.reject(networkError());
    await signingOut;
    assert.equal(storage.getItem(NAME_KEY), null);
    assert.equal(sessions.current, null);
    assert.equal(sessions.ending, false);
    assert.equal(await sessions.renew(), null, 'nothing signs in again by itself');
    assert.deepEqual(api.posts, []);
  });

  test('a sign-out whose answer is lost asks the server: no session there (401) means it is done', async () => {
    const api = fakeApi({ cookie: { userId: 'u-1', name: 'alice' } });
    const storage = memoryStorage({ [NAME_KEY]: 'alice' });
    const sessions = createSessionManager({ api, storage });
    await sessions.resume();
    api.deleteSession = async () => {
      api.cookie = null;
      throw networkError(); // timed out after the server had signed out
    };
    await sessions.signOut();
    assert.equal(storage.getItem(NAME_KEY), null);
    assert.equal(sessions.current, null);
    assert.equal(await sessions.renew(), null);
    assert.deepEqual(api.posts, []);
  });

  test('a sign-out whose answer is lost while the session lives on fails, and forgets nothing', async () => {
    const api = fakeApi({ cookie: { userId: 'u-1', name: 'alice' } });
    const storage = memoryStorage({ [NAME_KEY]: 'alice' });
    const sessions = createSessionManager({ api, storage });
    await sessions.resume();
    api.deleteSession = async () => {
      throw networkError(); // never reached the server
    };
    await assert.rejects(sessions.signOut(), (error) => error.status === 0);
    assert.equal(storage.getItem(NAME_KEY), 'alice');
    assert.equal(sessions.current.name, 'alice');
    assert.equal(sessions.ending, false);
  });

  test('forget drops the answer of a resume on its way', async () => {
    const api = fakeApi({ cookie: { userId: 'u-1', name: 'alice' } });
    const answer = deferred();
    api.getSession = () => answer.promise;
    const sessions = createSessionManager({ api, storage: memoryStorage({ [NAME_KEY]: 'alice' }) });
    const resuming = sessions.resume();
    sessions.forget();
    answer.resolve({ userId: 'u-1', name: 'alice' });
    assert.equal(await resuming, null);
    assert.equal(sessions.current, null);
  });

  test('signOut waits for a renewal under way, so that its DELETE ends the session that renewal made', async () => {
    const api = slowApi();
    const storage = memoryStorage({ [NAME_KEY]: 'alice' });
    const sessions = createSessionManager({ api, storage });
    const renewal = sessions.renew();
    const signingOut = sessions.signOut();
    await settle();
    assert.deepEqual(api.waiting.map((w) => w.method), ['createSession'], 'no DELETE yet');
    api.waiting.shift().answer();
    assert.equal((await renewal).userId, 'u-alice');
    await settle();
    assert.deepEqual(api.waiting.map((w) => w.method), ['deleteSession']);
    api.waiting.shift().answer();
    await signingOut;
    assert.equal(api.cookie, null, 'the renewed session was the one signed out');
    assert.equal(api.deletes, 1);
    assert.equal(storage.getItem(NAME_KEY), null);
    assert.equal(sessions.current, null);
  });

  test('a sign-out that failed leaves renewals possible again', async () => {
    const api = fakeApi({ cookie: { userId: 'u-1', name: 'alice' } });
    api.deleteSession = async () => {
      throw httpError(503);
    };
    const sessions = createSessionManager({ api, storage: memoryStorage({ [NAME_KEY]: 'alice' }) });
    await sessions.resume();
    await assert.rejects(sessions.signOut());
    assert.equal(sessions.ending, false);
    api.cookie = null; // then the session expires
    assert.equal((await sessions.renew()).name, 'alice');
  });

  test('concurrent renewals after a 401 share one sign-in', async () => {
    const api = fakeApi();
    const sessions = createSessionManager({ api, storage: memoryStorage({ [NAME_KEY]: 'alice' }) });
    const [a, b] = await Promise.all([sessions.renew(), sessions.renew()]);
    assert.equal(a, b);
    assert.deepEqual(api.posts, ['alice']);
  });
  test('withSession: a 401 renewed as the same user repeats the call once', async () => {
    const api = fakeApi({ cookie: { userId: 'u-alice', name: 'alice' } });
    const sessions = createSessionManager({ api, storage: memoryStorage({ [NAME_KEY]: 'alice' }) });
    await sessions.resume();
    let calls = 0;
    const changes = [];
    const call = withSession(async () => {
      calls += 1;
      if (calls === 1) throw httpError(401);
      return 'ok';
    }, { sessions, userId: 'u-alice', onUserChanged: (s) => changes.push(s) });
    assert.equal(await call(), 'ok');
    assert.equal(calls, 2);
    assert.deepEqual(changes, []);
  });

  test('withSession: a 401 renewed as a NEW user is not repeated under it; the change is reported', async () => {
    const api = fakeApi({ cookie: { userId: 'u-old', name: 'alice' } });
    const sessions = createSessionManager({ api, storage: memoryStorage({ [NAME_KEY]: 'alice' }) });
    await sessions.resume(); // u-old; the server then forgets it and signs "alice" in as u-alice
    const sent = [];
    const changes = [];
    const post = withSession(async (body) => {
      sent.push(body);
      throw httpError(401);
    }, { sessions, userId: 'u-old', onUserChanged: (s) => changes.push(s.userId) });
    await assert.rejects(post({ clientId: 'c1' }), (error) =>
      error.status === 401 && error.retryable === false && error.message === SESSION_EXPIRED);
    assert.deepEqual(sent, [{ clientId: 'c1' }], 'never re-sent as the new user');
    assert.deepEqual(changes, ['u-alice']);
    // A second call of the old chat, answered 401 after the renewal: no second sign-in.
    await assert.rejects(post({ clientId: 'c2' }), (error) => error.message === SESSION_EXPIRED);
    assert.deepEqual(api.posts, ['alice']);
    assert.deepEqual(changes, ['u-alice', 'u-alice']);
  });
});
