/**
 * Who the user is. The server keeps the session in an HttpOnly cookie we cannot read; we only keep the
 * chosen name (localStorage) so that an expired or missing session can be re-created without asking
 * again. Several callers hitting 401 at once share one renewal.
 *
 * Signing out must not undo itself, in this tab or another: the server ends the user's event streams
 * before it answers the DELETE, and a room that reconnects then meets a 401 whose renewal would sign in
 * again, as a new user. So:
 * - only the remembered name renews a session: once a sign-out (here or in another tab) removed it,
 *   nothing renews;
 * - a sign-out under way refuses renewals;
 * - forgetting the session drops the answer of any sign-in still on its way, and ends the session that
 *   answer made: its cookie was set all the same, and a reload would resume it;
 * - a sign-out whose answer is lost is done if the server said so meanwhile (the room's 1008), or if the
 *   server, asked again, knows no session (401).
 * Sign-ins, and the DELETEs that end dropped ones, go out one at a time, so that a cookie is never
 * overwritten by an answer to an older request. A session is always ended by its userId, a sign-out's
 * too (`DELETE /api/session?userId=`): the server refuses (409) if the cookie has meanwhile become
 * another user's, so a late DELETE never ends the session the user has just made.
 *
 * The remembered name is stored with its user's id (`{"name", "userId"}`; a plain name stored by an
 * older page is read too), so that forgetting a user removes only that user's name, and another tab
 * reacts only to the removal of its own user's name (`concerns`): a sign-out whose answer comes
 * late must not remove the name of a user signed in meanwhile, nor end that user's session.
 *
 * Pure module: api and storage are injected.
 * @module session
 */
import { nameProblem } from './validate.js';

/** localStorage key of the remembered display name and its user: `{"name": ..., "userId": ...}`. */
export const NAME_KEY = 'loomlite.name';

/**
 * A stored NAME_KEY value as `{name, userId}`, userId null when unknown (a plain name stored by an
 * older page); null when nothing is stored.
 * @param {string|null} value
 * @returns {{name: string, userId: string|null}|null}
 */
export function readRemembered(value) {
  if (value == null) return null;
  try {
    const parsed = JSON.parse(value);
    if (parsed && typeof parsed === 'object' && typeof parsed.name === 'string') {
      return { name: parsed.name, userId: typeof parsed.userId === 'string' ? parsed.userId : null };
    }
  } catch {
    // a plain name
  }
  return { name: value, userId: null };
}

/**
 * @param {{api: {getSession: Function, createSession: Function, deleteSession: Function},
 *   storage: {getItem: Function, setItem: Function, removeItem: Function}}} deps
 */
export function createSessionManager({ api, storage }) {
  /** @type {{userId: string, name: string}|null} */
  let current = null;
  /** @type {Promise<{userId: string, name: string}|null>|null} the renewal in progress, shared */
  let renewing = null;
  /** Bumped by forget(): a sign-in begun before it compares after its await and drops its answer. */
  let epoch = 0;
  /** Set while signOut() waits for the server; no renewal may start meanwhile. */
  let ending = false;
  /** Set when the server said the session is over while signOut() waited (see confirmSignedOut). */
  let confirmed = false;
  /** The last of this tab's session requests in line (sign-ins, ends of dropped ones); never rejects. */
  let line = Promise.resolve();

  function remembered() {
    const name = readRemembered(storage.getItem(NAME_KEY))?.name;
    return name && !nameProblem(name) ? name.trim() : null;
  }

  /** Ends a session this tab no longer wants; best effort (a session left over expires unused). */
  function end(session) {
    return api.deleteSession({ userId: session.userId }).catch(() => null);
  }

  /** Resolves null when the session was forgotten before or while the answer was on its way. */
  function signIn(name) {
    const started = epoch;
    const attempt = line.then(async () => {
      if (started !== epoch) return { session: null }; // forgotten while waiting in line: nothing sent
      const session = await api.createSession(name.trim());
      // Signed out meanwhile, here or in another tab: the server's cookie is set all the same; end it.
      if (started !== epoch) return { session: null, dropped: session };
      storage.setItem(NAME_KEY, JSON.stringify({ name: session.name ?? name.trim(), userId: session.userId }));
      current = session;
      return { session };
    });
    line = attempt.then(({ dropped }) => dropped && end(dropped)).catch(() => null);
    return attempt.then(({ session }) => session);
  }

  /**
   * After a DELETE that failed: whether the session is nevertheless over. A 401 says so; so does the
   * server's sign-out signal received meanwhile; with no answer at all (status 0), the server is asked.
   */
  async function endedAnyway(error) {
    // 409: the cookie is another user's by now (signed in after ours ended): ours is not held any more.
    if (error?.status === 401 || error?.status === 409 || confirmed) return true;
    if (error?.status !== 0) return false;
    try {
      await api.getSession();
      return confirmed; // still signed in when asked: the DELETE had not got through (yet)
    } catch (check) {
      return check?.status === 401 || confirmed;
    }
  }

  const manager = Object.freeze({
    /**
     * The existing session, else one re-created from the remembered name, else null (ask the user).
     * Rejects on anything but "no session" (the server is down, say): the page shows that and retries.
     */
    async resume() {
      const started = epoch;
      try {
        const session = await api.getSession();
        if (started !== epoch) return null;
        current = session;
        return current;
      } catch (error) {
        if (error?.status !== 401) throw error;
      }
      const name = remembered();
      return name && started === epoch ? signIn(name) : null;
    },

    /** Starts a session under this name and remembers it; null if forgotten meanwhile. */
    signIn,

    /**
     * After a 401 mid-chat (cookie expired, server restarted with fresh sessions): sign in again with
     * the remembered name. Resolves null when there is none (never made up from the current session:
     * a name removed by another tab means that tab signed out), or while signing out.
     */
    renew() {
      if (ending) return Promise.resolve(null);
      if (!renewing) {
        const name = remembered();
        renewing = (name ? signIn(name) : Promise.resolve(null)).finally(() => {
          renewing = null;
        });
      }
      return renewing;
    },

    /**
     * Ends the session on the server, then forgets it here with {@link forget}. A session the server no
     * longer knows (401) counts as ended, and so does a DELETE whose answer was lost when the server
     * ended our streams meanwhile ({@link confirmSignedOut}) or, asked again, knows no session. Any other
     * failure rejects and nothing is forgotten, so the user can try again. The DELETE names the user
     * (`?userId=`): if the cookie has meanwhile become another user's, the server ends nothing (409)
     * and this user counts as signed out here.
     */
    async signOut() {
      ending = true;
      confirmed = false;
      let user = current;
      try {
        // A renewal under way would set a new cookie after the DELETE left with the old one, and the
        // new session would outlive the sign-out: let it land, so that the DELETE ends that one.
        await renewing?.catch(() => null);
        user = current;
        await api.deleteSession(user ? { userId: user.userId } : {});
      } catch (error) {
        if (!(await endedAnyway(error))) {
          ending = false;
          throw error;
        }
      }
      manager.forget(user?.userId);
    },

    /**
     * The server says the session is over (the room's "signed out" reset or 1008) while this tab's
     * signOut() waits: the sign-out is done, whatever becomes of the DELETE's answer.
     */
    confirmSignedOut() {
      if (ending) confirmed = true;
    },

    /**
     * Forgets the session and the remembered name, so that nothing signs in again by itself (also what
     * another tab's sign-out means for this one). The name goes only if it is `userId`'s (by default
     * the current user's) or of unknown user: one stored meanwhile by another user's sign-in, in
     * another tab, stays.
     * @param {string|null} [userId]
     */
    forget(userId = current?.userId) {
      epoch += 1;
      ending = false; // nothing is left to renew from
      confirmed = false;
      const stored = readRemembered(storage.getItem(NAME_KEY));
      if (stored && (stored.userId == null || stored.userId === userId)) storage.removeItem(NAME_KEY);
      current = null;
    },

    /**
     * Whether another tab's removal of the remembered name (its old value) is about this tab's session:
     * not when it was the name of a user other than this tab's (a late sign-out of an older user).
     * @param {string|null} oldValue
     */
    concerns(oldValue) {
      const old = readRemembered(oldValue);
      return !old || old.userId == null || !current || old.userId === current.userId;
    },

    /**
     * Another tab signed out: {@link forget}, and end the session this tab holds. Usually that is the
     * one the other tab ended (the server answers 401), but a renewal here may have made a new one after
     * that tab's DELETE: its cookie must not outlive the sign-out.
     */
    signedOutElsewhere() {
      const held = current;
      manager.forget(held?.userId);
      if (held) line = line.then(() => end(held));
    },

    /** The name to prefill the form with. */
    rememberedName: () => remembered() ?? '',

    get current() {
      return current;
    },

    /** True while this tab's signOut() waits for the server: the session ending now is its doing. */
    get ending() {
      return ending;
    },
  });
  return manager;
}

/** What a message of a user whose session ended shows: it was not sent, and may be sent again. */
export const SESSION_EXPIRED = 'session expired: send again?';

/**
 * Wraps an API call of one signed-in user's chat: after a 401 the session is re-created once from the
 * remembered name and the call is tried again, but only if it is still the same user. The server may
 * answer with a new userId; then the call is not repeated under it (a message retried under another
 * author is a new message, a duplicate if an earlier try was stored), `onUserChanged` is told (the page
 * rebuilds the chat for that user) and the call fails with {@link SESSION_EXPIRED}, not retryable.
 * A session another call renewed already counts: it is not renewed a second time.
 * @template {(...args: any[]) => Promise<any>} F
 * @param {F} call
 * @param {{sessions: ReturnType<typeof createSessionManager>, userId: string,
 *   onUserChanged: (session: {userId: string, name: string}) => void}} options
 * @returns {F}
 */
export function withSession(call, { sessions, userId, onUserChanged }) {
  return /** @type {F} */ (async (...args) => {
    try {
      return await call(...args);
    } catch (error) {
      if (error?.status !== 401) throw error;
      const current = sessions.current;
      const renewed = current && current.userId !== userId ? current : await sessions.renew().catch(() => null);
      if (!renewed) throw error;
      if (renewed.userId === userId) return call(...args);
      onUserChanged(renewed);
      throw Object.assign(new Error(SESSION_EXPIRED, { cause: error }), { status: 401, retryable: false });
    }
  });
}

