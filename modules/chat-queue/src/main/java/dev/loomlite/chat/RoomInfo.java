package dev.loomlite.chat;

/**
 * A room and its newest {@code seq}.
 *
 * <pre>{@code
 * chat.rooms().forEach(r -> System.out.println(r.roomId() + " @ " + r.lastSeq()));
 * }</pre>
 *
 * @param roomId  the room
 * @param lastSeq its highest {@code seq} (0 when empty)
 */
public record RoomInfo(String roomId, long lastSeq) {
}
