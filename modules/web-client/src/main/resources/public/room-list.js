/**
 * The room list: what the server knows, plus the open room and rooms holding our unsent messages
 * (a room only exists on the server once it has a message, so a new room would otherwise vanish from
 * the list while its first message is still queued).
 *
 * DOM glue: touches the list it is given, only when called.
 * @module room-list
 */
import { isValidRoomId } from './validate.js';

/**
 * @typedef {object} RoomRow
 * @property {string} roomId
 * @property {boolean} current
 * @property {boolean} unread messages newer than the last one seen here
 * @property {number} unsent pending messages in the outbox
 * @property {number} failed failed messages in the outbox
 */

/**
 * Builds the rows in display order: `general` first, then by name.
 * @param {{roomId: string, lastSeq: number}[]} serverRooms
 * @param {{current: string|null, readSeq: (roomId: string) => number, outbox: {status: string, roomId: string}[]}} state
 * @returns {RoomRow[]}
 */
export function roomRows(serverRooms, { current, readSeq, outbox }) {
  const known = serverRooms.filter((r) => isValidRoomId(r?.roomId));
  const lastSeq = new Map(known.map((r) => [r.roomId, Number(r.lastSeq) || 0]));
  const ids = new Set(['general', ...lastSeq.keys(), ...outbox.map((e) => e.roomId)]);
  if (current) ids.add(current);
  return [...ids]
    .sort((a, b) => (a === 'general' ? -1 : b === 'general' ? 1 : a.localeCompare(b)))
    .map((roomId) => ({
      roomId,
      current: roomId === current,
      unread: roomId !== current && (lastSeq.get(roomId) ?? 0) > readSeq(roomId),
      unsent: outbox.filter((e) => e.roomId === roomId && e.status === 'pending').length,
      failed: outbox.filter((e) => e.roomId === roomId && e.status === 'failed').length,
    }));
}

/**
 * @param {HTMLElement} list `ul#room-list`
 * @param {RoomRow[]} rows
 */
export function renderRoomList(list, rows) {
  const doc = list.ownerDocument;
  const focusedRoom = doc.activeElement?.closest?.('#room-list button')?.dataset.roomId;
  list.replaceChildren(...rows.map((row) => {
    const item = doc.createElement('li');
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'room';
    button.dataset.roomId = row.roomId;
    button.dataset.unread = String(row.unread);
    if (row.current) button.setAttribute('aria-current', 'page');

    const name = doc.createElement('span');
    name.className = 'room-name';
    name.textContent = `#${row.roomId}`;
    button.append(name);

    const notes = [];
    if (row.failed > 0) notes.push(['failed', `${row.failed} failed`]);
    else if (row.unsent > 0) notes.push(['unsent', `${row.unsent} unsent`]);
    if (row.unread) notes.push(['unread', 'new']);
    for (const [kind, text] of notes) {
      const badge = doc.createElement('span');
      badge.className = `badge badge-${kind}`;
      badge.textContent = text;
      button.append(badge);
    }
    item.append(button);
    return item;
  }));
  // Rebuilding the list must not throw keyboard users back to the top of the page.
  if (focusedRoom) list.querySelector(`button[data-room-id="${focusedRoom}"]`)?.focus();
}
