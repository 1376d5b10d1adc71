package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatException;
import dev.loomlite.chat.ChatMessage;

/** What storing one send came to, decided inside the batch's write transaction. */
sealed interface Outcome {
    /** A new message. */
    record Stored(ChatMessage message) implements Outcome {
    }

    /** The send had been stored before: its original message. */
    record Replayed(ChatMessage message) implements Outcome {
    }

    /** Refused (a client id conflict, a reply to a message not in the room): nothing stored. */
    record Refused(ChatException error) implements Outcome {
    }
}
