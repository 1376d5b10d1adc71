/**
 * A minimal synchronous event emitter. Listeners run in registration order, inside the call that
 * emits, so a view that listens sees every state change before the emitting method returns (the page
 * relies on this to show a queued message in the same frame the composer is cleared).
 * @module emitter
 */

/**
 * @template {string} T
 * @returns {{on(type: T, listener: (detail: any) => void): () => void, emit(type: T, detail?: any): void}}
 */
export function createEmitter() {
  /** @type {Map<string, Set<Function>>} */
  const listeners = new Map();
  return {
    on(type, listener) {
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type).add(listener);
      return () => listeners.get(type)?.delete(listener);
    },
    emit(type, detail) {
      // Copy first: a listener may unsubscribe (itself or another) while we iterate.
      for (const listener of [...(listeners.get(type) ?? [])]) {
        try {
          listener(detail);
        } catch (error) {
          // One broken listener must not stop the others nor corrupt the emitter's caller state.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    },
  };
}
