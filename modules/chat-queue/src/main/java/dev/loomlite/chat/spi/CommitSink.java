package dev.loomlite.chat.spi;

/**
 * Where committed batches go beyond this process (a cluster node publishes them to the nodes that follow the room).
 * Called once per committed batch that stored new messages, on the room step's fork: after the batch's senders were
 * answered and before the local subscribers are offered the messages, in {@code seq} order per room. It must return
 * at once (hand the batch over to a queue of its own, never block and never do I/O here): the room's next batch waits
 * for this fork. A sink that throws is logged and counted; the room goes on.
 *
 * <pre>{@code
 * CommitSink sink = batch -> publisher.offer(batch);   // a bounded queue drained by the sink's own thread
 * }</pre>
 */
@FunctionalInterface
public interface CommitSink {
    /** Keeps nothing: a single node. */
    CommitSink NONE = batch -> { };

    void committed(CommittedBatch batch);
}
