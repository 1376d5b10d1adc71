package dev.loomlite.chat.internal;

import dev.loomlite.sqlite.PoolSaturatedException;
import dev.loomlite.sqlite.PoolTimeoutException;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Fills a shard's {@link KeyFilter} with the keys already stored, then marks it loaded. A task of the
 * service's supervisor (a virtual thread); it reads in pages of {@value #PAGE} rows by row id, each page one
 * short read task, so it never holds a reader or a snapshot for long (a long snapshot would stop checkpoints).
 * It reads up to the largest row id at open: every later row was added by its own write. Until it is done,
 * the screen reads the shard for every key, as it would without a filter. A full or slow read queue (a
 * burst at startup) is waited out with backoff; any other failure leaves the filter unloaded, which costs
 * speed, never correctness, and is logged.
 *
 * <pre>{@code
 * supervisor.fork(new KeyLoader(store, lastRowidAtOpen, closing::get));
 * }</pre>
 */
final class KeyLoader implements Runnable {
    private static final System.Logger LOG = System.getLogger(KeyLoader.class.getName());
    static final int PAGE = 10_000;
    private static final String PAGE_SQL = "SELECT id, author_id, client_id FROM messages WHERE id > ? AND id <= ?"
            + " ORDER BY id LIMIT ?";
    private static final long FIRST_BACKOFF_MILLIS = 50;
    // Short enough that a closing service never waits long for a loader between attempts.
    private static final long MAX_BACKOFF_MILLIS = 1_000;

    private record Row(long id, String authorId, String clientId) {
    }

    private final MessageStore store;
    private final long upTo;
    private final BooleanSupplier stopped;

    KeyLoader(MessageStore store, long upTo, BooleanSupplier stopped) {
        this.store = store;
        this.upTo = upTo;
        this.stopped = stopped;
    }

    @Override
    public void run() {
        String name = store.database().name();
        Thread.currentThread().setName("chat-keys-" + name);
        KeyFilter keys = store.keys();
        long start = System.nanoTime();
        long after = 0;
        long backoff = FIRST_BACKOFF_MILLIS;
        try {
            while (!stopped.getAsBoolean()) {
                List<Row> page;
                try {
                    page = store.database().query(PAGE_SQL,
                            rs -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3)), after, upTo, PAGE);
                } catch (PoolSaturatedException | PoolTimeoutException busy) {
                    Thread.sleep(backoff); // the readers are swamped: the screen reads the shard meanwhile
                    backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                    continue;
                }
                backoff = FIRST_BACKOFF_MILLIS;
                for (Row row : page) {
                    keys.add(row.authorId(), row.clientId());
                }
                if (page.size() < PAGE) {
                    keys.loaded();
                    LOG.log(System.Logger.Level.DEBUG, () -> "client-id filter of '" + name + "' loaded ("
                            + keys.layers() + " layer(s)) in " + (System.nanoTime() - start) / 1_000_000 + " ms");
                    return;
                }
                after = page.getLast().id();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the service is closing
        } catch (RuntimeException e) {
            if (!stopped.getAsBoolean()) {
                LOG.log(System.Logger.Level.WARNING, "client-id filter of '" + name + "' not loaded (read up to id "
                        + after + " of " + upTo + "); the client-id screen reads this shard for every send instead", e);
            }
        }
    }
}
