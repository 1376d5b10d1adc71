package dev.loomlite.sqlite;

/**
 * SQLite's {@code PRAGMA synchronous} level for the pool's WAL databases: whether a commit waits for the disk.
 *
 * <pre>{@code
 * PoolConfig.builder(dir).synchronous(Synchronous.NORMAL).build();   // trade the last commits on power loss for speed
 * }</pre>
 *
 * <p>What a write that returned (committed) survives:
 * <table>
 * <caption>Durability of a committed write</caption>
 * <tr><th>level</th><th>process crash</th><th>OS crash, power loss</th><th>disk loss</th></tr>
 * <tr><td>{@link #FULL}</td><td>kept</td><td>kept</td><td>lost (needs a copy elsewhere)</td></tr>
 * <tr><td>{@link #NORMAL}</td><td>kept</td><td>the last commits, made since the WAL was last fsynced, may be
 *     lost (whole transactions; the file stays consistent)</td><td>lost</td></tr>
 * </table>
 */
public enum Synchronous {
    /**
     * A commit returns once its WAL frames are written to the OS (not to the disk); the WAL is fsynced by
     * checkpoints only, which the pool runs every {@code checkpointInterval} while writes come (in direct mode,
     * SQLite's automatic checkpoint every 1000 pages). Survives a process
     * crash; an OS crash or power loss may lose the commits made since the WAL was last fsynced (typically the last
     * {@code checkpointInterval} of writes, more while a reader holds checkpoints back), never corrupts the file.
     */
    NORMAL,
    /**
     * A commit returns after an fsync of the WAL (one per group-committed batch, not per write): it survives an OS
     * crash and a power loss too, on a disk that honours flushes. The default.
     */
    FULL
}
