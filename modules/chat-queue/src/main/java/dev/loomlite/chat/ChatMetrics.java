package dev.loomlite.chat;

/**
 * The pipeline's counters.
 *
 * <pre>{@code
 * ChatMetrics m = chat.metrics();
 * System.out.println(m.accepted() + " accepted, " + m.queued() + " queued");
 * }</pre>
 *
 * @param accepted       sends stored as new messages
 * @param replayed       sends answered from an earlier identical send
 * @param rejected       sends refused by saturation or shutdown
 * @param failed         sends that failed in storage
 * @param timedOut       sends whose caller stopped waiting before the commit ({@link SendTimeoutException}): each
 *                       may or may not be stored
 * @param queued         sends waiting now, over all rooms
 * @param activeRooms    rooms whose loop is running
 * @param subscribers    open subscriptions
 * @param droppedSubscribers subscriptions dropped for being too slow
 */
public record ChatMetrics(long accepted, long replayed, long rejected, long failed, long timedOut, int queued,
                          int activeRooms, int subscribers, long droppedSubscribers) {
}
