package dev.loomlite.server.internal;

import dev.loomlite.chat.ChatClosedException;
import dev.loomlite.chat.ChatException;
import dev.loomlite.chat.ClientIdConflictException;
import dev.loomlite.chat.OwnerUnavailableException;
import dev.loomlite.chat.QueueSaturatedException;
import dev.loomlite.chat.SendTimeoutException;
import dev.loomlite.chat.ValidationException;
import dev.loomlite.server.spi.HomeUnavailableException;
import dev.loomlite.server.spi.InternalApi;
import dev.loomlite.sqlite.PoolClosedException;
import dev.loomlite.sqlite.PoolSaturatedException;
import dev.loomlite.sqlite.PoolTimeoutException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * Turns every failure into a small JSON {@link ApiError} with the right status: never an HTML page, never a
 * stack trace, never the raw input. Javalin picks the handler of the most specific exception class.
 */
final class ErrorMapping {
    private static final System.Logger LOG = System.getLogger(ErrorMapping.class.getName());
    private static final Duration BUSY_RETRY = Duration.ofSeconds(1);

    private ErrorMapping() {
    }

    static void install(RoutesConfig routes) {
        routes.exception(ApiException.class, (e, ctx) -> respond(ctx, e));
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            respond(ctx, ApiException.of(status, describe(status)));
        });
        // The chat module's messages name the field and the limit, never the value.
        routes.exception(ValidationException.class, (e, ctx) -> respond(ctx, ApiException.badRequest(e.field(), e.getMessage())));
        routes.exception(ClientIdConflictException.class, (e, ctx) ->
                respond(ctx, ApiException.of(409, "clientId was already used for a different message")));
        routes.exception(QueueSaturatedException.class, (e, ctx) -> respond(ctx, ApiException.retryLater(503,
                "the send queue is full, retry later", e.retryAfter() == null ? BUSY_RETRY : e.retryAfter())
                .outcome(InternalApi.NOT_STORED)));
        // Accepted but not committed in time: say so, so that the client retries under the same clientId (the retry
        // joins the send in flight or replays the stored message) instead of showing the message as failed.
        routes.exception(SendTimeoutException.class, (e, ctx) -> respond(ctx, ApiException.retryLater(503,
                "the message was not confirmed within " + e.timeout().toMillis() + " ms: it may or may not be stored;"
                        + " retry with the same clientId", BUSY_RETRY).outcome(InternalApi.UNKNOWN)));
        // A session's home node (in a cluster) did not answer a sign-in, rename or sign-out: never 401, retry.
        routes.exception(HomeUnavailableException.class, (e, ctx) -> respond(ctx, ApiException.retryLater(503,
                "the session's server is unavailable" + (e.outcomeUnknown() ? " (the change may or may not be done)"
                        : ": nothing was changed") + "; retry", SessionRoutes.UNAVAILABLE_RETRY)));
        // Another node owns the room and did not answer a read: nothing was read.
        routes.exception(OwnerUnavailableException.class, (e, ctx) -> respond(ctx, ApiException.retryLater(503,
                "the room's server is unavailable, retry", e.retryAfter())));
        routes.exception(PoolSaturatedException.class, (e, ctx) ->
                respond(ctx, ApiException.retryLater(503, "the database is busy, retry later", BUSY_RETRY)));
        routes.exception(PoolTimeoutException.class, (e, ctx) ->
                respond(ctx, ApiException.retryLater(503, "the database is busy, retry later", BUSY_RETRY)));
        routes.exception(ChatClosedException.class, (e, ctx) -> respond(ctx, closing()));
        routes.exception(PoolClosedException.class, (e, ctx) -> respond(ctx, closing()));
        // The chat service wraps pool failures of reads (history, rooms): a busy or closing pool is still a 503.
        routes.exception(ChatException.class, (e, ctx) -> respond(ctx, switch (e.getCause()) {
            case PoolSaturatedException busy -> ApiException.retryLater(503, "the database is busy, retry later", BUSY_RETRY);
            case PoolTimeoutException slow -> ApiException.retryLater(503, "the database is busy, retry later", BUSY_RETRY);
            case PoolClosedException closed -> closing();
            case null, default -> unexpected(ctx, e);
        }));
        routes.exception(Exception.class, (e, ctx) -> respond(ctx, unexpected(ctx, e)));
        for (int status : new int[] {400, 401, 403, 404, 405, 409, 413, 415, 429, 500, 503}) {
            routes.error(status, "*", ctx -> {
                // Error handlers also run after our own JSON errors: keep a body that is already set.
                if (ctx.result() == null || ctx.result().isEmpty() || !isJson(ctx)) {
                    ctx.json(ApiError.of(describe(status)));
                }
            });
        }
    }

    static void respond(Context ctx, ApiException e) {
        // Whole seconds, rounded up and at least one: a client that waits what it is told is never early.
        e.retryAfter().ifPresent(after -> ctx.header("Retry-After", Long.toString(Math.max(1, (after.toMillis() + 999) / 1000))));
        e.outcome().ifPresent(outcome -> ctx.header(InternalApi.OUTCOME, outcome));
        ctx.status(e.status()).json(e.body());
    }

    private static ApiException unexpected(Context ctx, Exception e) {
        LOG.log(Level.ERROR, "unexpected failure on " + ctx.method() + " " + ctx.path(), e);
        return ApiException.of(500, "internal error");
    }

    private static ApiException closing() {
        return ApiException.retryLater(503, "server is shutting down, retry later", Gate.RETRY_AFTER)
                .outcome(InternalApi.NOT_STORED);
    }

    private static boolean isJson(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith("application/json");
    }

    static String describe(int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 401 -> "no valid session: POST /api/session first";
            case 403 -> "forbidden";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 409 -> "conflict";
            case 413 -> "request body over " + Json.MAX_BODY_BYTES + " bytes";
            case 415 -> "content type must be application/json";
            case 429 -> "too many requests";
            case 503 -> "service unavailable, retry later";
            default -> "request failed with status " + status;
        };
    }
}
