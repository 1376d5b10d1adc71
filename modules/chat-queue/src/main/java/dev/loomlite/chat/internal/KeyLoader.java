package dev.loomlite.chat.internal;

import dev.loomlite.sqlite.PoolException;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Fills a shard's {@link KeyFilter} with the keys already stored, then marks it loaded. A task of the
 * service's supervisor (a virtual thread); it reads in pages of {@value #PAGE} rows by row id, each page one
 * short read task, so it never holds a reader or a snapshot for long (a long snapshot would stop checkpoints).
 * Until it is done, the screen reads the shard for every key, as it would without a filter. A load that
 * fails leaves it so (logged), which costs speed, never correctness.
 *
 * <pre>{@code
 * supervisor.fork(new KeyLoader(store, closing::get));
 * }</pre>
 */
final class KeyLoader implements Runnable {
    private static final System.Logger LOG = System.getLogger(KeyLoader.class.getName());
    static final int PAGE = 10_000;
    private static final String PAGE_SQL = "SELECT id, author_id, client_id FROM messages WHERE id > ? ORDER BY id LIMIT ?";

    private record Row(long id, String authorId, String clientId) {
    }

    private final MessageStore store;
    private final BooleanSupplier stopped;

    KeyLoader(MessageStore store, BooleanSupplier stopped) {
        this.store = store;
        this.stopped = stopped;
    }

    @Override
    public void run() {
        String name = store.database().name();
        Thread.currentThread().setName("chat-keys-" + name);
        KeyFilter keys = store.keys();
        long start = System.nanoTime();
        long after = 0;
        long loaded = 0;
        try {
            while (!stopped.getAsBoolean()) {
                List<Row> page = store.database().query(PAGE_SQL,
                        rs -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3)), after, PAGE);
                for (Row row : page) {
                    keys.add(row.authorId(), row.clientId());
                }
                loaded += page.size();
                if (page.size() < PAGE) {
                    keys.loaded();
                    LOG.log(System.Logger.Level.DEBUG, () -> "client-id filter of '" + name + "' loaded: "
                            + keys.layers() + " layer(s) after reading keys in "
                            + (System.nanoTime() - start) / 1_000_000 + " ms");
                    return;
                }
                after = page.getLast().id();
            }
        } catch (PoolException e) {
            if (!stopped.getAsBoolean()) {
                LOG.log(System.Logger.Level.WARNING, "client-id filter of '" + name + "' not loaded after " + loaded
                        + " keys; the client-id screen reads this shard for every send instead: " + e.getMessage());
            }
        }
    }
}
