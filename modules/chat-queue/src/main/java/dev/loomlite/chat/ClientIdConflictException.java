package dev.loomlite.chat;

import java.io.Serial;

/**
 * A client id was reused by the same author with different content (or room): nothing was stored.
 *
 * <pre>{@code
 * catch (ClientIdConflictException e) { respond(409, e.getMessage()); }
 * }</pre>
 */
public final class ClientIdConflictException extends ChatException {
    @Serial
    private static final long serialVersionUID = 1L;

    public ClientIdConflictException(String message) {
        super(message);
    }
}
