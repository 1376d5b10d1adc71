/**
 * The message box. Its one promise: a composed message is handed over exactly once. The text is taken
 * and the box cleared in the same synchronous step, before anything is awaited, so a second Enter or
 * click lands on an empty box and does nothing.
 *
 * Keys: Enter sends; Shift+Enter inserts a line break; Enter while an input method is composing (CJK)
 * confirms the composition as the user expects, and sends nothing; Escape cancels a reply.
 *
 * DOM glue: touches the elements it is given, only when called.
 * @module composer
 */
import { MAX_CONTENT_LENGTH, contentProblem, normalizeContent } from './validate.js';

/** Counter turns to a warning this close to the limit. */
const WARN_AT = MAX_CONTENT_LENGTH - 200;

/**
 * @param {object} elements
 * @param {HTMLFormElement} elements.form
 * @param {HTMLTextAreaElement} elements.textarea `#composer`
 * @param {HTMLButtonElement} elements.send `#send`
 * @param {HTMLElement} elements.counter `#char-count`
 * @param {HTMLElement} elements.error `#composer-error`
 * @param {HTMLElement} elements.label the textarea's label
 * @param {HTMLElement} elements.replyBar `#reply-bar`
 * @param {HTMLElement} elements.replyText `#reply-text`
 * @param {HTMLButtonElement} elements.replyCancel `#reply-cancel`
 * @param {(content: string, replyToId: number|string|null) => void} onSubmit
 */
export function createComposer(elements, onSubmit) {
  const { form, textarea, send, counter, error, label, replyBar, replyText, replyCancel } = elements;
  /** Unsent drafts of the rooms the user left, so switching rooms does not eat a half-typed message. */
  const drafts = new Map();
  let roomId = null;
  /** @type {{messageId: number|string, label: string}|null} */
  let reply = null;

  function update() {
    const length = textarea.value.length;
    const over = length > MAX_CONTENT_LENGTH;
    counter.textContent = over
      ? `${length} / ${MAX_CONTENT_LENGTH} (${length - MAX_CONTENT_LENGTH} over the limit)`
      : `${length} / ${MAX_CONTENT_LENGTH}`;
    counter.dataset.level = over ? 'over' : length >= WARN_AT ? 'near' : 'ok';
    send.disabled = roomId === null || normalizeContent(textarea.value) === '' || over;
    if (!over && !error.hidden) showError(null);
  }

  function showError(message) {
    error.textContent = message ?? '';
    error.hidden = !message;
    if (message) textarea.setAttribute('aria-invalid', 'true');
    else textarea.removeAttribute('aria-invalid');
  }

  function submit() {
    const content = normalizeContent(textarea.value);
    if (roomId === null || content === '') return; // nothing composed, or already handed over
    const problem = contentProblem(content);
    if (problem) {
      showError(problem);
      textarea.focus();
      return;
    }
    const replyToId = reply?.messageId ?? null;
    textarea.value = '';
    clearReply();
    update();
    onSubmit(content, replyToId);
  }

  function clearReply() {
    reply = null;
    replyBar.hidden = true;
    replyText.textContent = '';
  }

  const listeners = [
    [textarea, 'input', update],
    [textarea, 'keydown', (event) => {
      if (event.key === 'Escape' && reply) {
        clearReply();
        return;
      }
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
      event.preventDefault();
      submit();
    }],
    [form, 'submit', (event) => {
      event.preventDefault();
      submit();
    }],
    [replyCancel, 'click', () => {
      clearReply();
      textarea.focus();
    }],
  ];
  for (const [target, type, handler] of listeners) target.addEventListener(type, handler);
  update();

  return Object.freeze({
    /** Switches to another room, keeping the draft of the one left. */
    setRoom(nextRoomId) {
      if (roomId !== null) drafts.set(roomId, textarea.value);
      roomId = nextRoomId;
      textarea.value = drafts.get(nextRoomId) ?? '';
      drafts.delete(nextRoomId);
      textarea.placeholder = `Message #${nextRoomId}`;
      label.textContent = `Message #${nextRoomId}`;
      clearReply();
      showError(null);
      update();
    },

    /** Starts a reply to a sent message; the user sees whom they answer and can cancel. */
    setReply(messageId, text) {
      reply = { messageId, label: text };
      replyText.textContent = text;
      replyBar.hidden = false;
      textarea.focus();
    },

    focus: () => textarea.focus(),

    /** Detaches from the elements (they outlive one signed-in user) and empties the box. */
    close() {
      for (const [target, type, handler] of listeners) target.removeEventListener(type, handler);
      drafts.clear();
      textarea.value = '';
      clearReply();
      showError(null);
    },
  });
}
