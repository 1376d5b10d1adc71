package dev.loomlite.chat.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every use of the {@link StructuredTaskScope} preview API (JDK 25, JEP 505) lives in this file, so the
 * JDK 26 renames touch nothing else. Three shapes: one long-lived scope and two short ones.
 *
 * <ul>
 * <li>{@link Supervisor}: the application-level scope ({@code Joiner.awaitAll()}) that owns every long-lived
 *     task of the service (room loops, subscription deliveries). Its owner thread forks what other threads
 *     hand it, and joins when stopped, so shutdown is structured: nothing outlives the service.</li>
 * <li>{@link #runAlongside}: the short scope of one room-loop step: the loop's thread runs a blocking task
 *     (the batch's write) while a fork runs a side task (answering and fanning out the previous batch), and
 *     joins the fork.</li>
 * <li>{@link #runAll}: a short scope that forks parallel side effects (one per group of subscribers) and
 *     joins them with a deadline.</li>
 * </ul>
 *
 * <pre>{@code
 * Scopes.Supervisor s = Scopes.Supervisor.start("chat-supervisor");
 * s.fork(() -> roomLoop());
 * List<Outcome> written = Scopes.runAlongside(() -> db.write(work), () -> fanOut(previous));
 * boolean inTime = Scopes.runAll(List.of(a, b), Duration.ofSeconds(2));
 * s.stop();
 * s.awaitTermination(Duration.ofSeconds(5));
 * }</pre>
 */
final class Scopes {
    private static final System.Logger LOG = System.getLogger(Scopes.class.getName());
    private static final ThreadFactory FORKS = Thread.ofVirtual().name("chat-fork-", 0).factory();

    private Scopes() {
    }

    /**
     * Runs {@code task} on the calling thread while {@code alongside} runs in a fork of a new scope, then
     * joins the fork. Neither cancels the other, and the scope has no deadline of its own (each must bound
     * itself: the pool's write deadline, the fan-out's {@link #runAll} deadline). {@code alongside} handles its
     * own failures: one that escapes it is logged and never costs {@code task}'s result.
     *
     * <p>An interrupt never loses {@code task}'s outcome: it is returned (or thrown) as usual, with the
     * interrupt status set again. The fork, though, is cancelled (interrupted and awaited) when the caller was
     * interrupted before or while joining: a caller being shut down should not wait for side work. Running
     * {@code task} here rather than in a second fork saves a thread start and, more, the wait for a carrier
     * behind whatever virtual threads became runnable just before.
     *
     * @return what {@code task} returned
     * @throws ExecutionException with what {@code task} threw, {@link Error}s included (the fork is joined or
     *                            cancelled first, so nothing outlives the call)
     */
    static <T> T runAlongside(Callable<T> task, Callable<?> alongside) throws ExecutionException {
        try (var scope = StructuredTaskScope.open(Joiner.<Object>awaitAll(), cf -> cf.withThreadFactory(FORKS))) {
            StructuredTaskScope.Subtask<?> side = scope.fork(alongside);
            T result = null;
            Throwable failure = null;
            try {
                result = task.call();
            } catch (Throwable t) {
                failure = t;
            }
            boolean joined = false;
            try {
                scope.join();
                joined = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // closing the scope cancels the fork and waits for it
            }
            if (joined && side.state() == StructuredTaskScope.Subtask.State.FAILED) {
                LOG.log(System.Logger.Level.ERROR, "a side task failed; its main task's result is kept",
                        side.exception());
            }
            if (failure != null) {
                throw new ExecutionException(failure);
            }
            return result;
        }
    }

    /**
     * Forks every task in a new scope and waits for all of them up to {@code timeout}.
     *
     * @return true when every task finished in time; false when the deadline cancelled the stragglers
     * @throws InterruptedException when the calling thread was interrupted (the tasks are cancelled)
     */
    static boolean runAll(List<Runnable> tasks, Duration timeout) throws InterruptedException {
        try (var scope = StructuredTaskScope.open(Joiner.<Object>awaitAll(),
                cf -> cf.withTimeout(timeout).withThreadFactory(FORKS))) {
            for (Runnable task : tasks) {
                scope.fork(task);
            }
            scope.join();
            return true;
        } catch (StructuredTaskScope.TimeoutException e) {
            return false;
        }
    }

    /**
     * The scope that owns the service's long-lived tasks. Any thread may {@link #fork} into it; its owner
     * thread does the forking, in submission order.
     */
    static final class Supervisor {
        private final String name;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition work = lock.newCondition();
        // Guarded by lock. Written by fork() callers (add) and the owner (poll); read by both.
        private final ArrayDeque<Runnable> submitted = new ArrayDeque<>();
        // Guarded by lock. Written once by stop(); read by fork() callers and the owner.
        private boolean stopped;
        // Counted down by the owner thread when its scope is closed; awaited by awaitTermination callers.
        private final CountDownLatch terminated = new CountDownLatch(1);
        // Written once by start() before the thread runs; read by cancel() from any thread.
        private Thread owner;

        private Supervisor(String name) {
            this.name = name;
        }

        /** Starts the owner thread (a virtual thread named {@code name}). */
        static Supervisor start(String name) {
            Supervisor s = new Supervisor(name);
            s.owner = Thread.ofVirtual().name(name)
                    .uncaughtExceptionHandler((t, e) -> LOG.log(System.Logger.Level.ERROR, t.getName() + " died", e))
                    .unstarted(s::run);
            s.owner.start();
            return s;
        }

        /**
         * Hands a task to the scope. The task's thread is named by the task itself.
         *
         * @return false when the supervisor has been stopped: the task will not run
         */
        boolean fork(Runnable task) {
            lock.lock();
            try {
                if (stopped) {
                    return false;
                }
                submitted.add(task);
                work.signal();
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** Forks nothing more; the owner joins the tasks already forked. Idempotent. */
        void stop() {
            lock.lock();
            try {
                stopped = true;
                work.signal();
            } finally {
                lock.unlock();
            }
        }

        /** Cancels the scope: every task still running is interrupted, then joined. */
        void cancel() {
            stop();
            owner.interrupt();
        }

        /** Waits for the scope to close, at most {@code timeout}; true when it did. */
        boolean awaitTermination(Duration timeout) throws InterruptedException {
            return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        private void run() {
            try (var scope = StructuredTaskScope.open(Joiner.<Object>awaitAll(),
                    cf -> cf.withName(name).withThreadFactory(FORKS))) {
                for (Runnable task = next(); task != null; task = next()) {
                    scope.fork(task);
                }
                scope.join();
            } catch (InterruptedException e) {
                // cancel(): closing the scope interrupted and joined every task.
                LOG.log(System.Logger.Level.WARNING, name + " cancelled: running tasks were interrupted");
            } finally {
                terminated.countDown();
            }
        }

        /** The next task to fork, or null once stopped and empty. */
        private Runnable next() throws InterruptedException {
            lock.lock();
            try {
                while (submitted.isEmpty() && !stopped) {
                    work.await();
                }
                return submitted.poll();
            } finally {
                lock.unlock();
            }
        }
    }
}
