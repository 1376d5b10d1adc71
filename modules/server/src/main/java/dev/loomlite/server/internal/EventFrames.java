package dev.loomlite.server.internal;

import dev.loomlite.chat.ChatMessage;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The text of event-stream frames, with each message serialized once for all its subscribers: a room's fan-out
 * hands the same {@link ChatMessage} to every subscription, so the first subscriber to write it serializes it and
 * the others find its JSON here. A fixed table of recent messages (a slot per message id, the newest wins), lock
 * free: a miss only costs one serialization more, never a wrong frame (a message id names one stored message, which
 * never changes).
 *
 * <p>Frames: {@code {"type":"message","message":{...}}} for one message, {@code {"type":"messages","messages":
 * [{...},...]}} for several in ascending {@code seq}, exactly as Jackson writes {@link Wire.MessageView}.
 * Called by the subscribers' delivery threads, concurrently.
 */
final class EventFrames {
    /** Slots of the table: at 10,000 messages/s about 0.2 s of messages, ~1 MiB at 400 bytes each. */
    private static final int SLOTS = 2048;
    private static final int SHIFT = Long.SIZE - Integer.numberOfTrailingZeros(SLOTS);
    private static final String ONE = "{\"type\":\"message\",\"message\":";
    private static final String MANY = "{\"type\":\"messages\",\"messages\":[";

    /** One message's JSON and its single-message frame. */
    private record Entry(ChatMessage message, String json, String frame) {
    }

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

    /** The frame carrying {@code messages} (one or more, ascending seq). */
    String frame(List<ChatMessage> messages) {
        if (messages.size() == 1) {
            return entry(messages.getFirst()).frame();
        }
        int size = MANY.length() + 2;
        String[] jsons = new String[messages.size()];
        for (int i = 0; i < jsons.length; i++) {
            jsons[i] = entry(messages.get(i)).json();
            size += jsons[i].length() + 1;
        }
        StringBuilder text = new StringBuilder(size).append(MANY);
        for (int i = 0; i < jsons.length; i++) {
            text.append(i == 0 ? "" : ",").append(jsons[i]);
        }
        return text.append("]}").toString();
    }

    private Entry entry(ChatMessage message) {
        // Fibonacci hashing: message ids are rowid * 64 + shard, whose low bits are all alike.
        int slot = (int) ((message.messageId() * 0x9E3779B97F4A7C15L) >>> SHIFT);
        Entry cached = slots.getAcquire(slot);
        if (cached != null && cached.message().messageId() == message.messageId()) {
            return cached;
        }
        String json = Json.write(Wire.MessageView.of(message));
        Entry entry = new Entry(message, json, ONE + json + "}");
        // A racing writer of the same message stores an equal entry; of another message, the newer one: both fine.
        slots.setRelease(slot, entry);
        return entry;
    }
}
