/**
 * The pool's implementation; not exported. Worker mode: {@code WorkerBackend} starts the
 * {@code sqlite-reader-N} and {@code sqlite-writer-N} threads ({@code ReaderWorker}, {@code WriterWorker}) and
 * the {@code sqlite-deadlines} sweeper; a JVM-wide {@code sqlite-cursor-cleaner} releases cursors dropped without
 * {@code close()}; callers hand {@code Task}s over lock-free queues and park. Direct
 * mode: {@code DirectBackend} runs the same {@code Runner} on the caller's thread under a fair lock per
 * connection.
 *
 * <p>Ownership: every {@code Conn} (connection, statement cache, progress handler) belongs to one thread for
 * its whole life; fields say in a comment which threads write and read them. Happens-before edges: a caller's
 * enqueue happens-before the worker's dequeue (concurrent queue); the worker's outcome writes happen-before
 * the volatile {@code Task.state = DONE} that the caller reads.
 *
 * <pre>{@code
 * // The public entry point is SqlitePool.open(config), which calls:
 * SqlitePool pool = Pools.open(config);
 * }</pre>
 */
package dev.loomlite.sqlite.internal;
