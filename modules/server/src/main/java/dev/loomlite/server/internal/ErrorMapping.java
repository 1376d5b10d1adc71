package dev.loomlite.server.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.lang.System.Logger.Level;

/**
 * Turns every failure into a small JSON {@link ApiError} with the right status: never an HTML page, never a
 * stack trace, never the raw input.
 */
final class ErrorMapping {
    private static final System.Logger LOG = System.getLogger(ErrorMapping.class.getName());

    private ErrorMapping() {
    }

    static void install(RoutesConfig routes) {
        routes.exception(ApiException.class, (e, ctx) -> respond(ctx, e));
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            respond(ctx, ApiException.of(status, describe(status)));
        });
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.log(Level.ERROR, "unexpected failure on " + ctx.method() + " " + ctx.path(), e);
            respond(ctx, ApiException.of(500, "internal error"));
        });
        for (int status : new int[] {400, 404, 405, 413, 415, 500, 503}) {
            routes.error(status, "*", ctx -> {
                // Error handlers also run after our own JSON errors: keep a body that is already set.
                if (ctx.result() == null || ctx.result().isEmpty() || !isJson(ctx)) {
                    ctx.json(ApiError.of(describe(status)));
                }
            });
        }
    }

    static void respond(Context ctx, ApiException e) {
        e.retryAfter().ifPresent(after -> ctx.header("Retry-After", Long.toString(Math.max(1, after.toSeconds()))));
        ctx.status(e.status()).json(e.body());
    }

    private static boolean isJson(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith("application/json");
    }

    static String describe(int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 401 -> "no valid session: POST /api/session first";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 413 -> "request body over " + ServerImpl.MAX_BODY_BYTES + " bytes";
            case 415 -> "content type must be application/json";
            case 429 -> "too many requests";
            case 503 -> "service unavailable, retry later";
            default -> "request failed with status " + status;
        };
    }
}
