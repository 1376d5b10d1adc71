/**
 * Entry point of the Loomlite chat page (loaded by index.html as an ES module). DOM glue only: the
 * behaviour lives in pure modules (api, outbox, timeline, room, session, backoff, validate) that run in
 * Node tests with injected fetch, storage, timers and randomness.
 *
 * DOM contract (browser tests rely on these; keep README.md in step):
 *   #name-form, #name-input, #name-submit, #name-error   pick a name (prefilled from localStorage)
 *   #name-cancel                                        back to the chat unchanged (when signed in)
 *   #user-name, #change-name                            who is signed in; switch name
 *   #sign-out                                           end the session; back to the name screen
 *   #connection[data-state=connected|reconnecting|offline], #connection-label
 *   #room-list                                          ul; each room is button.room[data-room-id],
 *                                                       aria-current="page" on the open one,
 *                                                       [data-unread=true|false], span.badge
 *   #room-form, #room-input, #room-join, #room-error     join or create a room
 *   #current-room                                       "#<roomId>" of the open room
 *   #scroller                                           the scrolling conversation pane
 *   #load-older, #history-text                          older pages / beginning-of-room notice
 *   #messages                                           ol; each message is li.message with
 *       [data-key] [data-client-id] [data-seq] (empty while unsent) [data-status=pending|sent|failed]
 *       [data-own=true|false] [data-message-id] (once sent), children .author, time.time, .content,
 *       .status (text; "Failed: <reason>" when failed), .reply-to (when a reply), and buttons
 *       button.retry + button.delete (failed only) or button.reply (sent only)
 *   #composer-form, #composer (textarea), #send, #char-count[data-level=ok|near|over], #composer-error
 *   #reply-bar, #reply-text, #reply-cancel              the message being answered
 *   #announcer                                          polite live region (new messages, failures)
 *   #notice                                             page-level problems (server unreachable, storage)
 *
 * @module app
 */
import { createApi } from './api.js';
import { backoffDelay } from './backoff.js';
import { openChat, showConnection } from './chat.js';
import { createOutbox } from './outbox.js';
import { adoptOrphans } from './outbox-store.js';
import { NAME_KEY, SESSION_EXPIRED, createSessionManager, withSession } from './session.js';
import { nameProblem, newClientId } from './validate.js';

const win = window;
const doc = document;
const $ = (id) => doc.getElementById(id);

const storage = openStorage();
const api = createApi({ fetch: (url, init) => win.fetch(url, init) });
const sessions = createSessionManager({ api, storage });

/** The signed-in chat and its user; replaced on "change name". Written only by enterChat/leaveChat. */
let chat = null;
let outbox = null;
let chatUser = null;

const outboxKey = (userId) => `loomlite.outbox.v1.${userId}`;

/**
 * A 401 was answered by a session with another userId (see session.js withSession): the open chat, its
 * outbox and its idea of "own" belong to a user that no longer exists. Rebuild for the new one; the old
 * user's unsent messages move to the new outbox as failed ("session expired: send again?"), so nothing
 * is sent twice without the user choosing Retry.
 */
function switchUser(renewed) {
  if (!chatUser || chatUser.userId === renewed.userId) return; // another call got here first
  const former = chatUser.userId;
  leaveChat(); // the old outbox stops; answers still on the way are ignored
  const moved = adoptOrphans(storage, {
    fromKey: outboxKey(former), toKey: outboxKey(renewed.userId), formerAuthorId: former, reason: SESSION_EXPIRED,
  });
  enterChat(renewed);
  if (moved > 0) {
    notice(`Your session expired. ${moved === 1 ? '1 message was' : `${moved} messages were`} not sent: `
      + 'choose Retry to send again, or Delete.');
  }
}

async function boot(attempt = 0) {
  showScreen('loading');
  showConnection(doc, 'reconnecting', 'Connecting…');
  let session;
  try {
    session = await sessions.resume();
  } catch (error) {
    const delay = backoffDelay(attempt, { baseMs: 1000, capMs: 10_000, random: Math.random });
    showConnection(doc, 'offline', 'Offline');
    notice(`Cannot reach the server (${error?.message ?? error}). Trying again…`);
    win.setTimeout(() => boot(attempt + 1), delay);
    return;
  }
  notice(null);
  if (session) enterChat(session);
  else showNameScreen();
}

function showScreen(which) {
  $('loading-screen').hidden = which !== 'loading';
  $('name-screen').hidden = which !== 'name';
  $('chat-screen').hidden = which !== 'chat';
  $('user-box').hidden = which !== 'chat';
  $('connection').hidden = which === 'name';
}

function showNameScreen() {
  showScreen('name');
  const input = $('name-input');
  input.value = sessions.current?.name ?? sessions.rememberedName();
  // Changing name is optional: whoever is already signed in can go back to the chat unchanged.
  $('name-cancel').hidden = !sessions.current;
  showNameError(null);
  input.focus();
  input.select();
}

function showNameError(message) {
  const error = $('name-error');
  error.textContent = message ?? '';
  error.hidden = !message;
  const input = $('name-input');
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

async function submitName(event) {
  event.preventDefault();
  const input = $('name-input');
  const problem = nameProblem(input.value);
  if (problem) {
    showNameError(problem);
    input.focus();
    return;
  }
  const button = $('name-submit');
  if (button.disabled) return;
  button.disabled = true;
  try {
    const session = await sessions.signIn(input.value);
    if (!session) return; // another tab signed out meanwhile; the screen says so
    notice(null); // e.g. "You signed out in another tab": no longer true
    enterChat(session);
  } catch (error) {
    showNameError(error?.status === 0 ? 'Cannot reach the server. Check your connection and try again.'
      : `Could not use this name: ${error?.message ?? error}`);
    input.focus();
  } finally {
    button.disabled = false;
  }
}

function enterChat(session) {
  leaveChat();
  const guard = (call) => withSession(call, { sessions, userId: session.userId, onUserChanged: switchUser });
  const storageKey = outboxKey(session.userId);
  let warned = false;
  chatUser = session;
  outbox = createOutbox({
    send: guard(api.postMessage),
    storage,
    storageKey,
    // Other tabs of this user share the key: adopt what they queue, drop what they send or delete.
    watchStorage: (onChange) => {
      const listener = (event) => {
        if (event.key === storageKey || event.key === null) onChange();
      };
      win.addEventListener('storage', listener);
      return () => win.removeEventListener('storage', listener);
    },
    newClientId: () => newClientId(win.crypto),
    onStorageError: () => {
      if (warned) return;
      warned = true;
      notice('Unsent messages cannot be saved on this device: keep this tab open until they are sent.');
    },
  });
  $('user-name').textContent = session.name;
  showScreen('chat');
  chat = openChat({
    win,
    self: session,
    api: { getMessages: guard(api.getMessages), listRooms: guard(api.listRooms) },
    outbox,
    storage,
    onSignedOut: signedOutElsewhere,
  });
  // Only now: the open room is listening, so restored messages it already holds are reconciled
  // rather than shown twice, and acknowledgements have somewhere to go.
  outbox.start();
  chat.focus();
}

function leaveChat() {
  chat?.close();
  outbox?.close();
  chat = null;
  outbox = null;
  chatUser = null;
}

/**
 * Ends the session on the server and on this device: the remembered name goes, and so does the saved
 * outbox, whose messages could never be sent again (a new sign-in is a new user) and whose text should
 * not stay behind on a shared device. A DELETE whose answer is lost still counts when the server is
 * known to be done with the session (see session.js signOut): otherwise the room, already stopped by
 * the server's "signed out", would stay offline, and the next Retry's 401 would sign in a new user.
 */
async function signOut() {
  const button = $('sign-out');
  if (button.disabled) return;
  button.disabled = true;
  const before = chatUser?.userId;
  try {
    await sessions.signOut();
  } catch (error) {
    notice(`Could not sign out: ${error?.message ?? error}`);
    return;
  } finally {
    button.disabled = false;
  }
  // A renewal that was under way when the user clicked may have moved the chat, and its outbox, to a
  // new user (switchUser) before the DELETE ended that user's session: both outboxes go.
  const userIds = new Set([before, chatUser?.userId]);
  leaveChat();
  for (const userId of userIds) if (userId) storage.removeItem(outboxKey(userId));
  notice(null);
  showNameScreen();
}

/**
 * Another tab signed out: this tab's session is gone too. We hear it twice, in either order: the
 * server ends the open room's stream ("signed out", 1008) and that tab removes the remembered name
 * (the storage event). Whatever this tab shows, the chat or "Change name", it must keep nothing of
 * the session: no name, no Cancel back into a chat whose 401 would renew it, no session a renewal
 * here made meanwhile (see session.js), and no unsent text: this tab's outbox may have saved its key
 * again after the other tab removed it, so it is closed (a closed outbox writes nothing more) and then
 * its key removed.
 */
function signedOutElsewhere() {
  if (sessions.ending) {
    // This tab is the one signing out: signOut() finishes the job, and now knows the server is done
    // with the session even if the answer to its DELETE never arrives.
    sessions.confirmSignedOut();
    return;
  }
  const userIds = new Set([chatUser?.userId, sessions.current?.userId]);
  leaveChat();
  sessions.signedOutElsewhere();
  for (const userId of userIds) if (userId) storage.removeItem(outboxKey(userId));
  notice('You signed out in another tab.');
  showNameScreen();
}

/** Another tab removed the remembered name: its sign-out, unless the name was another user's. */
function nameRemovedElsewhere(event) {
  if (event.key === NAME_KEY && event.newValue === null && sessions.concerns(event.oldValue)) {
    signedOutElsewhere();
  }
}

function notice(message) {
  const box = $('notice');
  box.textContent = message ?? '';
  box.hidden = !message;
}

/**
 * localStorage when usable, else an in-memory stand-in: some browsers throw on access (storage
 * disabled, some private modes) and the page must still work, only forgetting more on reload.
 */
function openStorage() {
  try {
    const probe = '__loomlite_probe__';
    win.localStorage.setItem(probe, probe);
    win.localStorage.removeItem(probe);
    return win.localStorage;
  } catch {
    const memory = new Map();
    return {
      getItem: (key) => (memory.has(key) ? memory.get(key) : null),
      setItem: (key, value) => void memory.set(key, String(value)),
      removeItem: (key) => void memory.delete(key),
    };
  }
}

$('name-form').addEventListener('submit', submitName);
$('name-input').addEventListener('input', () => showNameError(null));
$('name-cancel').addEventListener('click', () => {
  if (sessions.current) enterChat(sessions.current);
});
$('change-name').addEventListener('click', () => {
  leaveChat();
  showNameScreen();
});
$('sign-out').addEventListener('click', signOut);
win.addEventListener('storage', nameRemovedElsewhere);
boot();
