package dev.loomlite.server.internal;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON body of every error response: what went wrong and, for validation, which field. Never a stack
 * trace and never the raw input.
 *
 * @param error a sentence for people
 * @param field the request field at fault, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String field) {
    static ApiError of(String error) {
        return new ApiError(error, null);
    }
}
