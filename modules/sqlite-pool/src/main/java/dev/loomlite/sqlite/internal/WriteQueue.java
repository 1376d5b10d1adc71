package dev.loomlite.sqlite.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The write queue of one database in worker mode, and the writer-confined state of its write connection.
 * A database is assigned to exactly one writer for the pool's life.
 */
final class WriteQueue {
    final DbState db;
    final WriterWorker writer;
    /** Any caller offers; the writer polls. */
    final ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>();
    /** True while this queue sits in its writer's ready list: callers set it, the writer clears it. */
    final AtomicBoolean scheduled = new AtomicBoolean();
    // Writer thread only: the write connection (null until opened, and after the writer died).
    Conn conn;
    // Writer thread only: when it last wrote, and last checked the WAL's size.
    long lastWriteNanos;
    long lastCheckpointNanos;
    /** Group commits so far: written by the writer thread only, read by the {@link Checkpointer}. */
    volatile long commits;

    WriteQueue(DbState db, WriterWorker writer) {
        this.db = db;
        this.writer = writer;
    }

    /** Any thread, after offering a task: puts the queue in its writer's ready list once and wakes it. */
    void schedule() {
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            writer.ready.offer(this);
            writer.signal();
        }
    }
}
