package dev.loomlite.sqlite.internal;

/**
 * Thrown on a worker when its connection broke under a task (the task closed it, or SQLite lost it): the
 * worker treats it like an {@link Error}, fails its in-flight tasks and is replaced.
 */
final class WorkerDeath extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WorkerDeath(String message) {
        super(message, null, false, false);
    }
}
