package dev.loomlite.chat;

import java.io.Serial;

/**
 * A field of a request is out of bounds. The message names the field and the limit, never the raw value.
 *
 * <pre>{@code
 * catch (ValidationException e) { respond(400, e.getMessage(), e.field()); }
 * }</pre>
 */
public final class ValidationException extends ChatException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String field;

    public ValidationException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request field at fault. */
    public String field() {
        return field;
    }
}
