package dev.loomlite.chat;

import java.io.Serial;

/**
 * The root of the chat pipeline's failures.
 *
 * <pre>{@code
 * try { chat.send(r); } catch (QueueSaturatedException e) { retryLater(); } catch (ChatException e) { fail(e); }
 * }</pre>
 */
public class ChatException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public ChatException(String message) {
        super(message);
    }

    public ChatException(String message, Throwable cause) {
        super(message, cause);
    }
}
