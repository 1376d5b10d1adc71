package dev.loomlite.chat;

import java.io.Serial;

/**
 * The service is closing or closed: the send was not accepted, or was accepted but could not finish within
 * the shutdown grace. The message says whether nothing was stored or the write was cut off and may have
 * committed; either way a retry with the same client id is safe (it is answered as a replay if stored).
 *
 * <pre>{@code
 * catch (ChatClosedException e) { respond(503); }
 * }</pre>
 */
public final class ChatClosedException extends ChatException {
    @Serial
    private static final long serialVersionUID = 1L;

    public ChatClosedException(String message) {
        super(message);
    }
}
