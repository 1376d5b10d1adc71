package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.Cursor;
import dev.loomlite.sqlite.PoolClosedException;
import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.PoolException;
import dev.loomlite.sqlite.PoolMetrics;
import dev.loomlite.sqlite.RowMapper;
import dev.loomlite.sqlite.Work;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Worker mode: reader threads share one lock-free read queue (plus a private inbox each, for cursor pages),
 * writer threads each serve the write queues of the databases assigned to them. Callers enqueue and park;
 * there is no pool-wide lock on the hot path, only a semaphore CAS per lane and a queue CAS.
 */
final class WorkerBackend implements Backend<WriteQueue> {
    static final int OPEN = 0;
    static final int DRAINING = 1;
    static final int FORCED = 2;
    static final int TERMINATED = 3;
    private static final System.Logger LOG = System.getLogger("dev.loomlite.sqlite");
    private static final long OPEN_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(10);

    final PoolConfig config;
    final Runner runner;
    /** Reads of every database; callers offer, readers poll. */
    final ConcurrentLinkedQueue<Task> reads = new ConcurrentLinkedQueue<>();
    /** The pool's bound on open cursors. */
    final CursorSlots cursorSlots;
    private final ReaderWorker[] readers;
    private final WriterWorker[] writers;
    private final Lane control;
    // Any opening thread increments; round-robin assignment of databases to writers.
    private final AtomicInteger nextWriter = new AtomicInteger();
    // Added by opening threads, read by close()'s sweep.
    private final List<WriteQueue> writeQueues = new CopyOnWriteArrayList<>();
    private final AtomicLong replaced = new AtomicLong();
    private final Thread sweeper;
    /** The background checkpointer; writers await its exit before their closing checkpoint. */
    final Checkpointer checkpointer;
    /** Counted down by each reader when it has closed its connections; writers close theirs after. */
    final CountDownLatch readersExited;
    // Written by close(); read by every caller and worker.
    volatile int phase = OPEN;
    // Written by close() before phase leaves OPEN (so a worker that sees DRAINING sees it); read by writers.
    volatile long graceEndNanos = Long.MAX_VALUE;

    WorkerBackend(PoolConfig config) {
        this.config = config;
        this.runner = new Runner(config.slowTaskThreshold().toNanos(), this::forced, Confinement.WORKER);
        this.cursorSlots = new CursorSlots(config.maxOpenCursors());
        this.control = new Lane("(control)", PoolMetrics.Kind.WRITE, Integer.MAX_VALUE, config.saturation());
        this.readersExited = new CountDownLatch(config.readers());
        this.readers = new ReaderWorker[config.readers()];
        this.writers = new WriterWorker[config.writers()];
        for (int i = 0; i < readers.length; i++) {
            readers[i] = new ReaderWorker("sqlite-reader-" + i, this);
            readers[i].start();
        }
        for (int i = 0; i < writers.length; i++) {
            writers[i] = new WriterWorker("sqlite-writer-" + i, this);
            writers[i].start();
        }
        this.sweeper = Threads.start(new DeadlineSweeper(this), "sqlite-deadlines");
        this.checkpointer = Checkpointer.start(this, writeQueues);
    }

    /** Visits every queue a task can wait in: the shared reads, each worker's inbox, each write queue. */
    void forEachQueue(Consumer<ConcurrentLinkedQueue<Task>> visitor) {
        visitor.accept(reads);
        for (Worker w : readers) {
            visitor.accept(w.inbox);
        }
        for (Worker w : writers) {
            visitor.accept(w.inbox);
        }
        for (WriteQueue q : writeQueues) {
            visitor.accept(q.queue);
        }
    }

    boolean forced() {
        return phase >= FORCED;
    }

    @Override
    public Runner runner() {
        return runner;
    }

    @Override
    public WriteQueue attach(DbState db) {
        refuseNested(db);
        WriterWorker writer = writers[Math.floorMod(nextWriter.getAndIncrement(), writers.length)];
        WriteQueue queue = new WriteQueue(db, writer);
        Task open = new Task(db, control, "open " + db.name, s -> {
            writer.attach(queue);
            return null;
        }, OPEN_TIMEOUT_NANOS, Task.Mode.PARK);
        pin(writer, open);
        open.await();
        writeQueues.add(queue);
        return queue;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T call(WriteQueue q, PoolMetrics.Kind kind, String label, Work<T> work, long timeoutNanos) {
        return (T) submit(q, kind, label, work, timeoutNanos, Task.Mode.PARK).await();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> callAsync(WriteQueue q, PoolMetrics.Kind kind, String label, Work<T> work,
                                              long timeoutNanos) {
        Task task;
        try {
            task = submit(q, kind, label, work, timeoutNanos, Task.Mode.FUTURE);
        } catch (PoolException e) {
            // Saturated or closed: an async call reports it through its future, as direct mode does.
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Object> future = task.future;
        future.whenComplete((v, e) -> {
            if (future.isCancelled()) {
                task.cancel();
            }
        });
        return (CompletableFuture<T>) (CompletableFuture<?>) future;
    }

    @Override
    public <T> Cursor<T> cursor(WriteQueue q, String sql, RowMapper<T> mapper, int pageSize, Object[] params,
                                long timeoutNanos) {
        return WorkerCursor.open(this, q.db, sql, mapper, pageSize, params, timeoutNanos);
    }

    /**
     * Admits and enqueues a task on its lane: a read on the shared read queue, a write on the database's write
     * queue {@code q}; throws when closed or saturated. Any caller thread.
     */
    Task submit(WriteQueue q, PoolMetrics.Kind kind, String label, Work<?> work, long timeoutNanos, Task.Mode mode) {
        if (kind == PoolMetrics.Kind.READ) {
            return submitRead(q.db, label, work, timeoutNanos, mode);
        }
        Task task = admit(q.db, q.db.write, label, work, timeoutNanos, mode);
        q.queue.offer(task);
        q.schedule();
        recheckTerminated(task);
        return task;
    }

    /** Admits and enqueues a read of {@code db} (a call, a cursor's opening); as {@link #submit}. */
    Task submitRead(DbState db, String label, Work<?> work, long timeoutNanos, Task.Mode mode) {
        Task task = admit(db, db.read, label, work, timeoutNanos, mode);
        reads.offer(task);
        signalReader();
        recheckTerminated(task);
        return task;
    }

    private Task admit(DbState db, Lane lane, String label, Work<?> work, long timeoutNanos, Task.Mode mode) {
        refuseNested(db);
        if (phase != OPEN) {
            throw closed(db);
        }
        Task task = new Task(db, lane, label, work, timeoutNanos, mode);
        lane.admit(task.deadlineNanos);
        task.admitted = true;
        return task;
    }

    /** Hands a task to one worker's inbox (cursor pages, control steps); no admission. */
    void pin(Worker worker, Task task) {
        if (phase >= FORCED) {
            throw closed(task.db);
        }
        worker.inbox.offer(task);
        worker.signal();
        recheckTerminated(task);
    }

    private void recheckTerminated(Task task) {
        // close() sets TERMINATED, then sweeps the queues: either it sees this task or we see TERMINATED.
        if (phase == TERMINATED && task.drop()) {
            throw closed(task.db);
        }
    }

    private void signalReader() {
        for (ReaderWorker r : readers) {
            if (r.parked) {
                r.signal();
                return;
            }
        }
    }

    /** A task calling back into the pool would wait for a worker it may be blocking itself. */
    private static void refuseNested(DbState db) {
        if (Threads.currentWorkerOrNull() != null) {
            throw new IllegalStateException(db + ": called from inside a task on "
                    + Thread.currentThread().getName() + "; use the task's Session instead of calling the pool again");
        }
    }

    static PoolClosedException closed(DbState db) {
        return new PoolClosedException(db + ": the pool is closed");
    }

    PoolClosedException abandoned(Task t) {
        return new PoolClosedException(t.db + ": the pool closed and its shutdown grace of "
                + config.shutdownGrace().toMillis() + " ms ended before this " + t.lane.laneName() + " task ran");
    }

    /** Called on a dying worker's thread: starts its replacement unless the pool has terminated. */
    void replace(Worker worker) {
        if (phase == TERMINATED) {
            return;
        }
        replaced.incrementAndGet();
        worker.start();
    }

    @Override
    public int liveWorkers() {
        int live = 0;
        for (Worker w : readers) {
            live += w.thread.isAlive() ? 1 : 0;
        }
        for (Worker w : writers) {
            live += w.thread.isAlive() ? 1 : 0;
        }
        return live;
    }

    @Override
    public long replacedWorkers() {
        return replaced.get();
    }

    @Override
    public synchronized void close() {
        if (phase != OPEN) {
            return;
        }
        long graceEnd = System.nanoTime() + config.shutdownGrace().toNanos();
        graceEndNanos = graceEnd;
        phase = DRAINING;
        // Each writer waits for it to end before its closing TRUNCATE, which a PASSIVE still running would block.
        checkpointer.requestStop();
        signalAll();
        if (!awaitWorkers(graceEnd)) {
            LOG.log(Level.WARNING, "sqlite pool: shutdown grace of " + config.shutdownGrace().toMillis()
                    + " ms ended; failing what is still queued and interrupting what runs");
            phase = FORCED;
            signalAll();
            if (!awaitWorkers(System.nanoTime() + TimeUnit.SECONDS.toNanos(5))) {
                LOG.log(Level.ERROR, "sqlite pool: some workers did not stop within 5 s after the grace period;"
                        + " leaving their connections open rather than closing them from another thread");
            }
        }
        phase = TERMINATED;
        LockSupport.unpark(sweeper);
        int abandoned = sweep();
        if (abandoned > 0) {
            LOG.log(Level.WARNING, "sqlite pool: " + abandoned + " queued task(s) failed with PoolClosedException");
        }
    }

    private void signalAll() {
        for (Worker w : readers) {
            w.signal();
        }
        for (Worker w : writers) {
            w.signal();
        }
    }

    private boolean awaitWorkers(long deadline) {
        boolean all = true;
        for (Worker w : readers) {
            all &= w.awaitExit(deadline);
        }
        for (Worker w : writers) {
            all &= w.awaitExit(deadline);
        }
        return all;
    }

    /** After TERMINATED: fails whatever is left in any queue. */
    private int sweep() {
        int[] n = {0};
        forEachQueue(queue -> n[0] += drain(queue));
        return n[0];
    }

    private int drain(ConcurrentLinkedQueue<Task> queue) {
        int n = 0;
        for (Task t = queue.poll(); t != null; t = queue.poll()) {
            if (t.start()) {
                runner.finish(t, null, abandoned(t));
                n++;
            }
        }
        return n;
    }
}
