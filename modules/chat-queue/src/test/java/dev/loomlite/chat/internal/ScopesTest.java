package dev.loomlite.chat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScopesTest {
    @Test
    void run_all_waits_for_every_fork() throws Exception {
        AtomicInteger ran = new AtomicInteger();

        boolean inTime = Scopes.runAll(List.of(ran::incrementAndGet, ran::incrementAndGet, ran::incrementAndGet),
                Duration.ofSeconds(10));

        assertThat(inTime).isTrue();
        assertThat(ran).hasValue(3);
    }

    @Test
    void run_all_cancels_stragglers_at_the_deadline() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        Runnable stuck = () -> {
            try {
                new CountDownLatch(1).await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        };

        assertThat(Scopes.runAll(List.of(stuck), Duration.ofMillis(20))).isFalse();
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void run_alongside_runs_the_task_on_the_calling_thread_in_parallel_with_the_fork() throws Exception {
        Thread caller = Thread.currentThread();
        CountDownLatch both = new CountDownLatch(2);
        Callable<Thread> task = () -> {
            both.countDown();
            return both.await(10, TimeUnit.SECONDS) ? Thread.currentThread() : null;
        };
        Callable<Object> alongside = () -> {
            both.countDown();
            return both.await(10, TimeUnit.SECONDS);
        };

        assertThat(Scopes.runAlongside(task, alongside)).isSameAs(caller);
    }

    @Test
    void run_alongside_rethrows_the_task_failure_and_keeps_the_result_when_only_the_side_task_fails() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");

        assertThatThrownBy(() -> Scopes.runAlongside(() -> { throw boom; }, () -> null))
                .isInstanceOf(ExecutionException.class).hasCause(boom);
        assertThat(Scopes.runAlongside(() -> 42, () -> { throw boom; })).isEqualTo(42);
    }

    @Test
    void run_alongside_keeps_the_task_result_of_an_interrupted_caller_and_sets_its_interrupt_status_again()
            throws Exception {
        CountDownLatch sideDone = new CountDownLatch(1);
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                result.set(Scopes.runAlongside(() -> {
                    Thread.currentThread().interrupt(); // as a shutdown would, while the write runs
                    return "committed";
                }, () -> {
                    sideDone.countDown();
                    return null;
                }));
            } catch (ExecutionException e) {
                result.set(e);
            }
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });

        assertThat(caller.join(Duration.ofSeconds(10))).isTrue();
        assertThat(result.get()).isEqualTo("committed");
        assertThat(interruptedAfter.get()).isTrue();
        assertThat(sideDone.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void the_supervisor_joins_its_tasks_when_stopped_and_refuses_new_ones() throws Exception {
        Scopes.Supervisor supervisor = Scopes.Supervisor.start("test-supervisor");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(2);
        Runnable task = () -> {
            try {
                release.await(10, TimeUnit.SECONDS);
                done.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        assertThat(supervisor.fork(task)).isTrue();
        assertThat(supervisor.fork(task)).isTrue();

        supervisor.stop();
        assertThat(supervisor.fork(task)).isFalse();
        assertThat(supervisor.awaitTermination(Duration.ofMillis(20))).isFalse();
        release.countDown();

        assertThat(supervisor.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(done.getCount()).isZero();
    }

    @Test
    void cancelling_the_supervisor_interrupts_its_tasks() throws Exception {
        Scopes.Supervisor supervisor = Scopes.Supervisor.start("test-supervisor");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        supervisor.fork(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        supervisor.cancel();

        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(supervisor.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }
}
