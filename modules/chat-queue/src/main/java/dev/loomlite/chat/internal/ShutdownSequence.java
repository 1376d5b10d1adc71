package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatClosedException;
import java.time.Duration;
import java.util.Collection;

/**
 * The ordered, bounded shutdown of {@link ChatServiceImpl#close()}: stop accepting (sends and new tasks of
 * the supervisor: a send whose room loop cannot start fails with {@link ChatClosedException}); let every room loop
 * drain its queue (persist, answer, fan out) within the grace; let subscribers deliver what they buffered and
 * end; join the supervisor's scope; past the grace, cancel it (interrupting what still runs);
 * finally fail whatever is still queued with {@link ChatClosedException} and log what was abandoned.
 */
final class ShutdownSequence {
    private static final System.Logger LOG = System.getLogger(ShutdownSequence.class.getName());
    /** How long a cancelled scope may take to unwind before its stragglers are reported as abandoned. */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(2);

    private ShutdownSequence() {
    }

    static void run(Duration grace, Collection<Room> rooms, Collection<FollowedRoom> followed, Counters counters,
            Scopes.Supervisor supervisor) {
        long deadline = Counters.deadline(grace.toNanos());
        boolean interrupted = false;
        // First no new task, so no room can start a loop after the rooms below are told to drain and end.
        supervisor.stop();
        rooms.forEach(Room::close);
        // Followers only relay other nodes' commits: they stop at once, their subscribers end with what they hold.
        followed.forEach(FollowedRoom::stop);
        try {
            if (!counters.awaitNoRooms(deadline)) {
                LOG.log(System.Logger.Level.WARNING, counters.activeRooms() + " room loops still running after the "
                        + grace.toMillis() + " ms shutdown grace; cancelling them");
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        rooms.forEach(r -> r.hub.forEach(s -> s.endAfterBuffered("chat service is closing")));
        followed.forEach(r -> r.hub.forEach(s -> s.endAfterBuffered("chat service is closing")));
        try {
            if (interrupted || !supervisor.awaitTermination(remaining(deadline))) {
                supervisor.cancel();
                if (!supervisor.awaitTermination(CANCEL_WAIT)) {
                    LOG.log(System.Logger.Level.ERROR, "chat tasks did not end " + CANCEL_WAIT.toMillis()
                            + " ms after cancellation; abandoning them");
                }
            }
        } catch (InterruptedException e) {
            interrupted = true;
            supervisor.cancel();
        }
        int failed = 0;
        for (Room room : rooms) {
            failed += room.failAll(new ChatClosedException("chat service closed before the send to room '" + room.id
                    + "' was stored; nothing was stored"));
            room.hub.forEach(s -> s.abandon("chat service is closing"));
        }
        followed.forEach(r -> r.hub.forEach(s -> s.abandon("chat service is closing")));
        counters.rejected.add(failed);
        if (failed > 0) {
            LOG.log(System.Logger.Level.WARNING, failed + " queued sends failed: the shutdown grace of "
                    + grace.toMillis() + " ms passed");
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }
}
