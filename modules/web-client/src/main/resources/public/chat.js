/**
 * The chat screen: room list, the open room's conversation, the composer and the connection indicator.
 * It wires the pure modules (room.js, outbox.js) to the page; the decisions live in those modules.
 *
 * DOM glue: touches the document only when openChat() is called.
 * @module chat
 */
import { eventsUrl } from './api.js';
import { createComposer } from './composer.js';
import { openEvents } from './events.js';
import { preview, renderMessages } from './message-view.js';
import { readJsonPref, readPref, writePref } from './prefs.js';
import { createRoom } from './room.js';
import { renderRoomList, roomRows } from './room-list.js';
import { isValidRoomId, normalizeRoomId, roomIdProblem } from './validate.js';

const ROOMS_REFRESH_MS = 30_000;
/** Closer than this to the top of the conversation loads the previous page. */
const LOAD_OLDER_PX = 150;
/** Closer than this to the bottom counts as "reading the latest": new messages keep it in view. */
const STICK_PX = 80;
const LAST_ROOM_KEY = 'loomlite.room';

/**
 * Shows a connection state in `#connection`.
 * @param {Document} doc
 * @param {'connected'|'reconnecting'|'offline'} state
 * @param {string} label what the user reads
 */
export function showConnection(doc, state, label) {
  const indicator = doc.getElementById('connection');
  indicator.dataset.state = state;
  doc.getElementById('connection-label').textContent = label;
}

/**
 * @param {object} deps
 * @param {Window} deps.win
 * @param {{userId: string, name: string}} deps.self
 * @param {{getMessages: Function, listRooms: Function}} deps.api
 * @param {ReturnType<import('./outbox.js').createOutbox>} deps.outbox
 * @param {Storage} deps.storage
 * @param {() => void} deps.onSignedOut the server ended the session (the open room's stream said so)
 * @returns {{close(): void, focus(): void}}
 */
export function openChat({ win, self, api, outbox, storage, onSignedOut }) {
  const doc = win.document;
  const $ = (id) => doc.getElementById(id);
  const ui = {
    scroller: $('scroller'), list: $('messages'), title: $('current-room'), history: $('history-text'),
    loadOlder: $('load-older'), roomList: $('room-list'), roomForm: $('room-form'), roomInput: $('room-input'),
    roomError: $('room-error'), announcer: $('announcer'),
  };
  const readKey = `loomlite.read.v1.${self.userId}`;
  /** Highest seq seen per room, to mark other rooms as having news. Written only on this page. */
  const readSeqs = readJsonPref(storage, readKey);
  const cleanups = [];
  /** @type {{roomId: string, lastSeq: number}[]} */
  let serverRooms = [];
  /** @type {ReturnType<typeof createRoom>|null} */
  let room = null;
  /** Set when loading older messages failed: stops automatic loading until the user asks again. */
  let olderError = null;

  const composer = createComposer({
    form: $('composer-form'), textarea: $('composer'), send: $('send'), counter: $('char-count'),
    error: $('composer-error'), label: $('composer-label'), replyBar: $('reply-bar'),
    replyText: $('reply-text'), replyCancel: $('reply-cancel'),
  }, (content, replyToId) => {
    outbox.enqueue(room.roomId, content, { replyToId });
    scrollToBottom();
  });

  function listen(target, type, handler) {
    target.addEventListener(type, handler);
    cleanups.push(() => target.removeEventListener(type, handler));
  }

  const subscribe = (roomId, after, handlers, epoch) =>
    openEvents({ WebSocket: win.WebSocket, url: eventsUrl(win.location, roomId, after, epoch), ...handlers });

  /**
   * @param {string} roomId
   * @param {{focus?: boolean, history?: 'push'|'replace'|'none'}} [options] history: how the address bar
   *   follows; 'push' lets Back return to the previous room, 'none' when Back/Forward brought us here
   */
  function showRoom(roomId, { focus = false, history = 'push' } = {}) {
    if (room?.roomId === roomId) {
      if (focus) composer.focus();
      return;
    }
    room?.close();
    olderError = null;
    room = createRoom({ roomId, self, api, outbox, subscribe, online: win.navigator.onLine !== false });
    room.on('change', onRoomChange);
    room.on('connection', () => connectionChanged());
    room.on('signed-out', () => onSignedOut());
    ui.list.replaceChildren();
    ui.title.textContent = `#${roomId}`;
    doc.title = `#${roomId} · Loomlite`;
    composer.setRoom(roomId);
    writePref(storage, LAST_ROOM_KEY, roomId);
    if (history !== 'none' && win.location.hash !== `#${roomId}`) {
      if (history === 'push') win.history.pushState(null, '', `#${roomId}`);
      else win.history.replaceState(null, '', `#${roomId}`);
    }
    connectionChanged();
    room.start();
    render();
    renderRooms();
    refreshRooms();
    if (focus) composer.focus();
  }

  function connectionChanged() {
    const state = room.connection;
    const label = state === 'connected' ? 'Connected'
      : state === 'offline' ? 'Offline'
        : room.connectedOnce ? 'Reconnecting…' : 'Connecting…';
    showConnection(doc, state, label);
  }

  function onRoomChange(change) {
    const stick = change.reset || nearBottom() || change.added.some((m) => m.authorId === self.userId);
    render();
    if (stick) scrollToBottom();
    if (change.live) announceMessages(change.added.filter((m) => m.authorId !== self.userId));
    markRead();
    fillViewport();
  }

  function render() {
    renderMessages(ui.list, room.items(), { now: () => new Date(), replyPreview });
    renderHistoryStatus();
  }

  function replyPreview(messageId) {
    const target = room.message(messageId);
    return target ? `↪ ${target.author}: ${preview(target.content, 80)}` : '↪ in reply to an earlier message';
  }

  function renderHistoryStatus() {
    const empty = ui.list.childElementCount === 0;
    let text;
    if (!room.loaded) text = 'Loading messages…';
    else if (room.loadingOlder) text = 'Loading older messages…';
    else if (olderError) text = `Could not load older messages: ${olderError}`;
    else if (room.hasOlder) text = '';
    else if (empty) text = `No messages in #${room.roomId} yet. Send the first one to create it.`;
    else text = `This is the beginning of #${room.roomId}.`;
    ui.history.textContent = text;
    ui.loadOlder.hidden = !(room.loaded && room.hasOlder && !room.loadingOlder);
    ui.loadOlder.textContent = olderError ? 'Try again' : 'Load older messages';
  }

  async function loadOlder() {
    const current = room;
    const before = { height: ui.scroller.scrollHeight, top: ui.scroller.scrollTop };
    olderError = null;
    try {
      await current.loadOlder();
    } catch (error) {
      if (current === room) olderError = error?.message ?? 'unknown error';
    }
    if (current !== room) return;
    // Keep the message the user was reading where it was, above the page just added.
    ui.scroller.scrollTop = before.top + (ui.scroller.scrollHeight - before.height);
    renderHistoryStatus();
  }

  /** Short rooms never scroll, so "scroll up for more" would never fire: load until the view is full. */
  function fillViewport() {
    if (!room.loaded || !room.hasOlder || room.loadingOlder || olderError) return;
    if (ui.scroller.scrollHeight <= ui.scroller.clientHeight + LOAD_OLDER_PX) loadOlder();
  }

  const nearBottom = () =>
    ui.scroller.scrollHeight - ui.scroller.scrollTop - ui.scroller.clientHeight < STICK_PX;

  function scrollToBottom() {
    ui.scroller.scrollTop = ui.scroller.scrollHeight;
  }

  function announceMessages(messages) {
    if (messages.length === 0) return;
    ui.announcer.textContent = messages.length > 3
      ? `${messages.length} new messages in #${room.roomId}`
      : messages.map((m) => `${m.author}: ${preview(m.content, 140)}`).join('. ');
  }

  function markRead() {
    const seq = room.lastSeq;
    if (seq <= (readSeqs[room.roomId] ?? 0)) return;
    readSeqs[room.roomId] = seq;
    writePref(storage, readKey, JSON.stringify(readSeqs));
    const known = serverRooms.find((r) => r.roomId === room.roomId);
    if (known) known.lastSeq = Math.max(known.lastSeq, seq);
  }

  function renderRooms() {
    renderRoomList(ui.roomList, roomRows(serverRooms, {
      current: room?.roomId ?? null,
      readSeq: (roomId) => readSeqs[roomId] ?? 0,
      outbox: outbox.entries(),
    }));
  }

  async function refreshRooms() {
    try {
      const rooms = await api.listRooms();
      if (Array.isArray(rooms)) serverRooms = rooms;
      renderRooms();
    } catch {
      // Keep the list we have; the next refresh or reconnect tries again.
    }
  }

  function showRoomError(message) {
    ui.roomError.textContent = message ?? '';
    ui.roomError.hidden = !message;
    if (message) ui.roomInput.setAttribute('aria-invalid', 'true');
    else ui.roomInput.removeAttribute('aria-invalid');
  }

  function roomFromHash() {
    try {
      return normalizeRoomId(decodeURIComponent(win.location.hash.slice(1)));
    } catch {
      return ''; // a malformed %-escape typed into the address bar: ignore it
    }
  }

  // Conversation actions: one delegated listener for every row's buttons.
  listen(ui.list, 'click', (event) => {
    const button = event.target.closest('button');
    const row = button?.closest('li.message');
    if (!row) return;
    if (button.classList.contains('retry')) {
      outbox.retry(row.dataset.clientId);
      composer.focus();
    } else if (button.classList.contains('delete')) {
      outbox.discard(row.dataset.clientId);
      composer.focus();
    } else if (button.classList.contains('reply')) {
      // From the timeline, not the data attribute: the id must keep its JSON type (a number).
      const item = room.items().find((i) => i.key === row.dataset.key);
      if (item?.messageId != null) composer.setReply(item.messageId, `${item.author}: ${preview(item.content, 80)}`);
    }
  });
  listen(ui.scroller, 'scroll', () => {
    if (ui.scroller.scrollTop < LOAD_OLDER_PX && room.hasOlder && !room.loadingOlder && !olderError) loadOlder();
  });
  listen(ui.loadOlder, 'click', () => loadOlder());
  listen(ui.roomList, 'click', (event) => {
    const button = event.target.closest('button[data-room-id]');
    if (button) showRoom(button.dataset.roomId, { focus: true });
  });
  listen(ui.roomInput, 'input', () => showRoomError(null));
  listen(ui.roomForm, 'submit', (event) => {
    event.preventDefault();
    const roomId = normalizeRoomId(ui.roomInput.value);
    const problem = roomIdProblem(roomId);
    if (problem) {
      showRoomError(problem);
      ui.roomInput.focus();
      return;
    }
    ui.roomInput.value = '';
    showRoomError(null);
    showRoom(roomId, { focus: true });
  });
  listen(win, 'popstate', () => {
    const roomId = roomFromHash();
    if (isValidRoomId(roomId)) showRoom(roomId, { history: 'none' });
  });
  listen(win, 'online', () => {
    room.setOnline(true);
    outbox.wake();
    refreshRooms();
  });
  listen(win, 'offline', () => room.setOnline(false));
  listen(win, 'focus', () => refreshRooms());

  const outboxChanged = () => renderRooms();
  const onFailed = ({ entry, error }) => {
    ui.announcer.textContent = `Message to #${entry.roomId} failed: ${error.message}`;
    renderRooms();
  };
  cleanups.push(
    outbox.on('queued', outboxChanged),
    outbox.on('sent', outboxChanged),
    outbox.on('discarded', outboxChanged),
    outbox.on('failed', onFailed),
  );
  const refresher = win.setInterval(refreshRooms, ROOMS_REFRESH_MS);
  cleanups.push(() => win.clearInterval(refresher));

  const initial = [roomFromHash(), readPref(storage, LAST_ROOM_KEY)].find((id) => isValidRoomId(id)) ?? 'general';
  showRoom(initial, { history: 'replace' });

  return Object.freeze({
    close() {
      composer.close();
      room?.close();
      room = null;
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
    focus: () => composer.focus(),
  });
}
