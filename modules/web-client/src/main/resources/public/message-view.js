/**
 * Renders timeline items as `li.message` rows and keeps a list in step with the timeline by key.
 *
 * Safety: every piece of user data goes through textContent or a data-* attribute, never innerHTML, so
 * `<img src=x onerror=...>` is shown as those characters. Rows are reused by key, so a pending echo
 * turns into its sent message in place (no flicker, no lost scroll position).
 *
 * Touches the DOM only when its functions are called, never at import.
 * @module message-view
 */

/** Remembers what each row was last drawn from, to skip rows that did not change. */
const drawn = new WeakMap();

/**
 * @param {HTMLElement} list the `ol#messages` element
 * @param {import('./timeline.js').TimelineItem[]} items in display order
 * @param {{replyPreview(replyToId: number|string): string, now(): Date}} context
 */
export function renderMessages(list, items, context) {
  const doc = list.ownerDocument;
  const existing = new Map();
  for (const row of list.children) existing.set(row.dataset.key, row);
  let next = list.firstElementChild;
  for (const item of items) {
    let row = existing.get(item.key);
    if (!row) {
      row = doc.createElement('li');
      row.className = 'message';
    }
    draw(row, item, context);
    if (row === next) next = next.nextElementSibling;
    else list.insertBefore(row, next);
  }
  // Every row still wanted now sits before `next`; what follows is gone from the timeline.
  while (next) {
    const stale = next;
    next = next.nextElementSibling;
    stale.remove();
  }
}

/** Redraws one row if what it shows changed. */
function draw(row, item, context) {
  const reply = item.replyToId != null ? context.replyPreview(item.replyToId) : '';
  const signature = JSON.stringify([item.status, item.seq, item.content, item.author, item.createdAt,
    item.error?.message, item.attempts, reply]);
  if (drawn.get(row) === signature) return;
  drawn.set(row, signature);

  row.dataset.key = item.key;
  row.dataset.clientId = item.clientId ?? '';
  row.dataset.seq = item.seq === null ? '' : String(item.seq);
  row.dataset.status = item.status;
  row.dataset.own = String(item.own);
  if (item.messageId != null) row.dataset.messageId = String(item.messageId);
  row.replaceChildren(...parts(row.ownerDocument, item, reply, context));
}

function parts(doc, item, reply, context) {
  const make = (tag, className, text) => {
    const node = doc.createElement(tag);
    node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const header = make('div', 'meta');
  header.append(make('span', 'author', item.author));
  const time = make('time', 'time', formatTime(item.createdAt, context.now()));
  const date = toDate(item.createdAt);
  if (date) {
    time.dateTime = date.toISOString();
    time.title = date.toLocaleString();
  }
  header.append(time);

  const status = make('span', 'status', statusText(item));
  const nodes = [header];
  if (reply) nodes.push(make('p', 'reply-to', reply));
  nodes.push(make('p', 'content', item.content));
  if (item.status === 'failed') {
    // A failed message needs a decision: its reason and both actions get a row of their own.
    const footer = make('div', 'footer');
    footer.append(status,
      button(make, 'retry', 'Retry', `Retry sending: ${preview(item.content)}`),
      button(make, 'delete', 'Delete', `Delete unsent message: ${preview(item.content)}`));
    nodes.push(footer);
  } else {
    header.append(status);
    if (item.status === 'sent') {
      header.append(button(make, 'reply', 'Reply', `Reply to ${item.author}: ${preview(item.content)}`));
    }
  }
  return nodes;
}

function button(make, className, text, label) {
  const node = make('button', className, text);
  node.type = 'button';
  node.setAttribute('aria-label', label);
  return node;
}

/** @param {import('./timeline.js').TimelineItem} item */
export function statusText(item) {
  switch (item.status) {
    case 'pending':
      if (item.error) return `Retrying: ${item.error.message}`;
      // Not tried yet: it waits for an earlier message of this room (maybe a failed one) to go first.
      return item.attempts === 0 ? 'Waiting to send…' : 'Sending…';
    case 'failed':
      return `Failed: ${item.error?.message ?? 'not sent'}`;
    default:
      return item.own ? 'Sent' : '';
  }
}

/** First words of a message, for labels and reply previews. */
export function preview(content, max = 60) {
  const flat = content.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function toDate(value) {
  if (value === null || value === undefined || value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * "14:05" today, "3 Mar, 14:05" on another day: enough to place a message without a wall of dates.
 * @param {string|number} value ISO-8601 text or epoch ms
 * @param {Date} now
 */
export function formatTime(value, now) {
  const date = toDate(value);
  if (!date) return '';
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (date.toDateString() === now.toDateString()) return time;
  const day = date.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
  return `${day}, ${time}`;
}
