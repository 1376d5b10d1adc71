package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.PoolClosedException;
import dev.loomlite.sqlite.PoolException;
import dev.loomlite.sqlite.SqlFailureException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The write path: claimed write tasks of one database run as one transaction on its write connection, on
 * the connection's owning thread. Work units get a savepoint each; single statements run bare (SQLite undoes a
 * failing statement by itself). One {@code COMMIT}, then every caller is answered: a write call returns only
 * once its transaction is committed. Where the caller runs its own write (direct mode, see
 * {@link Confinement}) the "group" is that one task.
 */
final class GroupCommit {
    private final Runner runner;
    /** Whether a group holds several callers' writes (worker mode) or one caller's own (direct mode). */
    private final boolean groupsCallers;
    /** Whether close() waits for the committing thread, or it must roll back after the grace (direct mode). */
    private final boolean closeAwaitsOwner;

    GroupCommit(Runner runner, Confinement confinement) {
        this.runner = runner;
        this.groupsCallers = confinement.groupsCallers();
        this.closeAwaitsOwner = confinement.closeAwaitsOwner();
    }

    /**
     * Runs claimed write tasks as one transaction: {@code BEGIN IMMEDIATE}, a savepoint per task, one
     * {@code COMMIT}, then completes every task. A failing task rolls back its savepoint only. If SQLite rolled
     * back the whole transaction under a failing task (an interrupt or I/O error can), the ones that had
     * succeeded are re-run once in a new transaction of their own ({@link #rerun}): nothing of theirs was
     * committed. When the group holds several callers' writes, a task whose turn comes too close to its
     * deadline is refused unstarted ({@link #margin}). If the COMMIT finds a deferred foreign-key violation, the
     * group is rolled back and bisected ({@link #isolate}) so that only the offending writes fail. Hence a work
     * unit may run more than once; only its last run counts (see {@code Work}).
     */
    void run(Conn conn, List<Task> tasks) {
        List<Task> todo = tasks;
        while (!todo.isEmpty()) {
            todo = attempt(conn, todo);
        }
    }

    private List<Task> attempt(Conn conn, List<Task> todo) {
        try {
            begin(conn);
        } catch (SQLException e) {
            checkBroken(conn, "BEGIN IMMEDIATE");
            for (Task t : todo) {
                runner.finish(t, null, new SqlFailureException(t.db.name, "cannot begin the write transaction: "
                        + e.getMessage(), e));
            }
            return List.of();
        }
        List<Task> ok = new ArrayList<>(todo.size());
        for (int i = 0; i < todo.size(); i++) {
            Task t = todo.get(i);
            long now = System.nanoTime();
            if (t.expired(now)) {
                runner.finish(t, null, t.timedOutQueued()); // its turn came after its deadline: never ran
                continue;
            }
            long margin = groupsCallers ? margin(conn, t) : 0;
            if (t.deadlineNanos - now < margin) {
                runner.finish(t, null, t.refused(t.deadlineNanos - now, margin, conn.writeRunNanos));
                continue;
            }
            boolean bare = t.work instanceof SingleStatement<?>;
            long changesBefore = bare ? conn.totalChanges() : 0;
            RuntimeException failure = bare ? runBare(conn, t) : runInSavepoint(conn, t);
            if (failure == null) {
                ok.add(t);
                conn.recordWriteRun(System.nanoTime() - now);
                continue;
            }
            // A failed bare statement that still changed rows (a FAIL conflict rule declared in the schema, or an
            // insert whose rowid query failed) left part of itself in the transaction: the group must not commit it.
            boolean transactionAlive = bare
                    ? conn.totalChanges() == changesBefore && transactionAlive(conn)
                    : undoSavepoint(conn);
            runner.finish(t, null, failure);
            if (!transactionAlive) {
                conn.rollbackQuietly();
                rerun(conn, ok);
                return new ArrayList<>(todo.subList(i + 1, todo.size()));
            }
        }
        if (!closeAwaitsOwner && runner.forced() && !ok.isEmpty()) {
            abandon(conn, ok); // close() returned or is returning: nothing commits behind it
        } else if (!commit(conn, ok)) {
            isolate(conn, ok);
        }
        return List.of();
    }

    /** After the shutdown grace, on a thread close() does not wait for: rolls back instead of committing, says so. */
    private void abandon(Conn conn, List<Task> ok) {
        conn.rollbackQuietly();
        for (Task t : ok) {
            runner.finish(t, null, new PoolClosedException(t.db + ": pool closed (shutdown grace over) before this"
                    + " write committed; it was rolled back (" + t.label + ")"));
        }
    }

    /**
     * How close to its deadline a write may start: twice what a write has recently taken on this connection,
     * but at most half the task's own timeout, so that a slow write once does not make the writer refuse all
     * short-deadline writes. A write started closer than that would likely be interrupted mid-statement, and
     * that rolls back the whole group under it.
     */
    private static long margin(Conn conn, Task t) {
        return Math.min(2 * conn.writeRunNanos, t.timeoutNanos / 2);
    }

    /**
     * How long after its deadline a statement of a grouped write may run before it is interrupted mid-way: a
     * tenth of its timeout. Interrupting a data-changing statement makes SQLite roll back the whole group's
     * transaction, so a write whose deadline passes is stopped at its next statement instead (the session
     * checks before each one; its savepoint alone is rolled back), and only a statement that runs on past the
     * slack is interrupted. A write in the last statement when its deadline passes may so still commit.
     */
    private static long slack(Task t) {
        return t.timeoutNanos / 10;
    }

    /**
     * After SQLite rolled back the whole transaction under a failing write: the writes that had succeeded in it
     * run again, as a group of their own committed before the rest of the batch runs. A write is re-run so at
     * most once: rolled back a second time, it fails ("nothing committed"). So a group of n writes runs at most
     * 2n work units, however many of them are interrupted at their deadline.
     */
    private void rerun(Conn conn, List<Task> victims) {
        List<Task> again = new ArrayList<>(victims.size());
        for (Task v : victims) {
            v.pending = null;
            if (v.reruns > 0) {
                runner.finish(v, null, new PoolException(v.db + ": write rolled back twice with its group, each time"
                        + " because another write failed in a way that undoes the whole transaction (an interrupt"
                        + " at a deadline, an I/O error); not run a third time, nothing of it was committed ("
                        + v.label + ")"));
            } else {
                v.reruns++;
                again.add(v);
            }
        }
        run(conn, again);
    }

    /**
     * After a deferred foreign-key violation stopped the COMMIT of {@code ok} (rolled back, no caller answered
     * yet): runs each half as a group of its own, first half first, so writes still take effect in submission
     * order. A half that commits answers its callers; a failing half is split again; a write whose COMMIT fails
     * alone is an offender, given what committed before it. With one offender among n writes that is about
     * 2 log2(n) more transactions, paid only when a violation happens.
     */
    private void isolate(Conn conn, List<Task> ok) {
        int mid = ok.size() / 2;
        run(conn, new ArrayList<>(ok.subList(0, mid)));
        run(conn, new ArrayList<>(ok.subList(mid, ok.size())));
    }

    /** BEGIN IMMEDIATE; if a transaction was left open (a task misused the raw connection), roll it back once. */
    private static void begin(Conn conn) throws SQLException {
        try {
            conn.exec("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            if (e.getMessage() == null || !e.getMessage().contains("within a transaction")) {
                throw e;
            }
            conn.rollbackQuietly();
            conn.exec("BEGIN IMMEDIATE");
        }
    }

    private RuntimeException runInSavepoint(Conn conn, Task t) {
        RuntimeException failure = null;
        conn.interrupter.begin(t, groupsCallers ? slack(t) : 0);
        try {
            conn.exec("SAVEPOINT loomlite_task");
            t.pending = t.work.run(conn.session);
            if (t.shouldStop()) {
                failure = runner.stopped(t);
            }
        } catch (SQLException | RuntimeException e) {
            failure = runner.translate(t, e);
        } finally {
            conn.interrupter.end();
        }
        checkBroken(conn, t.label);
        if (failure == null) {
            try {
                conn.exec("RELEASE loomlite_task");
            } catch (SQLException e) {
                failure = runner.translate(t, e);
            }
        }
        return failure;
    }

    /** A single statement: SQLite undoes it alone when it fails, no savepoint needed. */
    private RuntimeException runBare(Conn conn, Task t) {
        RuntimeException failure = null;
        conn.interrupter.begin(t, groupsCallers ? slack(t) : 0);
        try {
            t.pending = t.work.run(conn.session);
        } catch (SQLException | RuntimeException e) {
            failure = runner.translate(t, e);
        } finally {
            conn.interrupter.end();
        }
        checkBroken(conn, t.label);
        return failure;
    }

    /** After a bare statement failed: whether the group's transaction survived (BEGIN fails inside one). */
    private static boolean transactionAlive(Conn conn) {
        try {
            conn.exec("BEGIN");
        } catch (SQLException insideTransaction) {
            return true;
        }
        conn.rollbackQuietly(); // we just began a new one: the group's transaction was rolled back by SQLite
        return false;
    }

    /**
     * Commits and answers the group. False only when a deferred foreign-key violation stopped the COMMIT of
     * several writes: then it rolled back and answered no one, and the caller isolates the offenders.
     */
    private boolean commit(Conn conn, List<Task> ok) {
        ok.forEach(t -> t.committing = true);
        try {
            conn.exec("COMMIT");
        } catch (SQLException e) {
            return commitFailed(conn, ok, e);
        }
        ok.forEach(t -> t.committed = true);
        if (!ok.isEmpty()) {
            runner.batches.record(ok.size());
        }
        for (Task t : ok) {
            runner.finish(t, t.pending, null);
            t.pending = null;
        }
        return true;
    }

    /** The COMMIT failed: rolls back and tells each caller what is exact for that failure (see CommitFailure). */
    private boolean commitFailed(Conn conn, List<Task> ok, SQLException e) {
        checkBroken(conn, "COMMIT");
        conn.rollbackQuietly();
        CommitFailure kind = CommitFailure.of(e);
        if (kind == CommitFailure.FOREIGN_KEY && ok.size() > 1) {
            // Rolled back for certain: a worker dying during the re-runs must say "never committed".
            ok.forEach(t -> t.committing = false);
            return false;
        }
        String commit = ok.size() == 1 ? "the COMMIT of this write" : "the COMMIT of its group of " + ok.size()
                + " writes";
        for (Task t : ok) {
            String why = switch (kind) {
                case FOREIGN_KEY -> t.label + ": a deferred FOREIGN KEY constraint failed at the COMMIT of this"
                        + " write; it was rolled back alone";
                case OUTCOME_UNKNOWN -> commit + " failed with an I/O error or a full disk: the write may or may not"
                        + " be committed; read back before retrying (" + t.label + ")";
                case NOT_COMMITTED -> commit + " failed, nothing was committed (all rolled back)";
            };
            runner.finish(t, null, new SqlFailureException(t.db.name, why + ": " + e.getMessage(), e,
                    kind == CommitFailure.OUTCOME_UNKNOWN));
        }
        return true;
    }

    private static boolean undoSavepoint(Conn conn) {
        try {
            conn.exec("ROLLBACK TO loomlite_task");
            conn.exec("RELEASE loomlite_task");
            return true;
        } catch (SQLException e) {
            return false; // "no such savepoint": SQLite already rolled the whole transaction back
        }
    }

    private static void checkBroken(Conn conn, String during) {
        if (conn.broken()) {
            throw new WorkerDeath(conn.db + ": connection broke during " + during);
        }
    }
}
