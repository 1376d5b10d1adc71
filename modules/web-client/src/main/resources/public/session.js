/**
 * Who the user is. The server keeps the session in an HttpOnly cookie we cannot read; we only keep the
 * chosen name (localStorage) so that an expired or missing session can be re-created without asking
 * again. Several callers hitting 401 at once share one renewal.
 *
 * Signing out must not undo itself: the server ends our event streams before it answers the DELETE,
 * and a room that reconnects then meets a 401 whose renewal would sign in again, as a new user. So a
 * sign-out under way refuses renewals, and forgetting the session drops the answer of any sign-in
 * that was already on its way.
 *
 * Pure module: api and storage are injected.
 * @module session
 */
import { nameProblem } from './validate.js';

/** localStorage key of the remembered display name. */
export const NAME_KEY = 'loomlite.name';

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

  function remembered() {
    const name = storage.getItem(NAME_KEY);
    return name && !nameProblem(name) ? name.trim() : null;
  }

  /** Resolves null when the session was forgotten while the answer was on its way. */
  async function signIn(name) {
    const started = epoch;
    const session = await api.createSession(name.trim());
    if (started !== epoch) return null; // signed out meanwhile, here or in another tab
    storage.setItem(NAME_KEY, session.name ?? name.trim());
    current = session;
    return session;
  }

  return Object.freeze({
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
      return name ? signIn(name) : null;
    },

    /** Starts a session under this name and remembers it; null if forgotten meanwhile. */
    signIn,

    /**
     * After a 401 mid-chat (cookie expired, server restarted with fresh sessions): sign in again with
     * the remembered name. Resolves null when there is no usable name, or while signing out.
     */
    renew() {
      if (ending) return Promise.resolve(null);
      if (!renewing) {
        const name = remembered() ?? current?.name ?? null;
        renewing = (name ? signIn(name) : Promise.resolve(null)).finally(() => {
          renewing = null;
        });
      }
      return renewing;
    },

    /**
     * Ends the session on the server, then forgets it here with {@link forget}. A session the server no
     * longer knows (401) counts as ended; any other failure rejects and nothing is forgotten, so the user
     * can try again.
     */
    async signOut() {
      ending = true;
      try {
        // A renewal under way would set a new cookie after the DELETE left with the old one, and the
        // new session would outlive the sign-out: let it land, so that the DELETE ends that one.
        await renewing?.catch(() => null);
        await api.deleteSession();
      } catch (error) {
        if (error?.status !== 401) {
          ending = false;
          throw error;
        }
      }
      this.forget();
    },

    /**
     * Forgets the session and the remembered name, so that nothing signs in again by itself (also what
     * another tab's sign-out means for this one).
     */
    forget() {
      epoch += 1;
      ending = false; // nothing is left to renew from
      storage.removeItem(NAME_KEY);
      current = null;
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

