package dev.loomlite.server.spi;

import java.util.Collection;
import java.util.Map;

/**
 * Sessions homed on other nodes: each session lives in its home's database, the owner of the shard its token hash
 * falls in ({@code Placement.shardOf(tokenHash, shards)}); other nodes ask the home. Blocking, bounded by the
 * implementation's timeouts; called on request threads and the housekeeping thread.
 *
 * <pre>{@code
 * if (!homes.isLocal(hash)) { HomeAnswer answer = homes.lookup(List.of(hash), true).get(hash); }
 * }</pre>
 */
public interface SessionHomes {
    /** Whether this node is the home of the session with {@code tokenHash}. */
    boolean isLocal(String tokenHash);

    /**
     * What each session's home says of it; {@code use} counts the look-up as a use (it renews the session). A hash
     * whose home did not answer in time is missing from the answer.
     */
    Map<String, HomeAnswer> lookup(Collection<String> tokenHashes, boolean use);

    /**
     * Creates a session at its home.
     *
     * @throws HomeUnavailableException when the home did not confirm it
     */
    HomeAnswer create(String tokenHash, String userId, String name);

    /** Renames the session's user at its home. @throws HomeUnavailableException when the home did not answer */
    HomeAnswer rename(String tokenHash, String name);

    /** Signs the session out at its home. @throws HomeUnavailableException when the home did not answer */
    HomeAnswer revoke(String tokenHash, String userId);

    /** Tells every node, best effort and at most once. */
    void publish(SessionEvent event);
}
