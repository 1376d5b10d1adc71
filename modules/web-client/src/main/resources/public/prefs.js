/**
 * Small conveniences kept in storage: the last open room, and how far each room has been read. Losing
 * them costs nothing but convenience, so every failure (storage full, disabled) is swallowed here
 * rather than handled by every caller.
 *
 * Pure module: storage is passed in.
 * @module prefs
 */

/** @param {{getItem(key: string): string|null}} storage @param {string} key */
export function readPref(storage, key) {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}

/** @param {{setItem(key: string, value: string): void}} storage @param {string} key @param {string} value */
export function writePref(storage, key, value) {
  try {
    storage.setItem(key, value);
  } catch {
    // See the module comment: a convenience lost, nothing more.
  }
}

/** @returns {Record<string, any>} the stored object, or {} when absent or unreadable */
export function readJsonPref(storage, key) {
  try {
    const value = JSON.parse(readPref(storage, key) ?? '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}
