package dev.loomlite.server.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error pages, for what never reaches Javalin (a malformed request line, an ambiguous path, a
 * servlet-level error): the same small JSON as {@link ErrorMapping} with the security headers, never HTML,
 * never Jetty's message (which may quote the request). Jetty has two layers with their own handler: the
 * server's (failures before or around the servlet context) and the servlet context's.
 */
final class JsonErrorPages {
    private JsonErrorPages() {
    }

    /** For {@code Server.setErrorHandler}. */
    static ErrorHandler server() {
        return new ServerPages();
    }

    /** For {@code ServletContextHandler.setErrorHandler}. */
    static ErrorHandler servlet() {
        return new ServletPages();
    }

    private static String body(int code) {
        return Json.write(ApiError.of(ErrorMapping.describe(code)));
    }

    private static void quiet(ErrorHandler handler) {
        handler.setShowStacks(false);
        handler.setShowCauses(false);
        handler.setShowMessageInTitle(false);
        handler.setShowOrigin(false);
        handler.setDefaultResponseMimeType("application/json");
    }

    private static final class ServerPages extends ErrorHandler {
        ServerPages() {
            quiet(this);
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                     List<Charset> charsets, int code, String message, Throwable cause)
                throws IOException {
            SecurityHeaders.apply(response.getHeaders());
            // Jetty closes the connection after an error it raised itself (a bad URI, a malformed request) but
            // does not say so; without the header a keep-alive client reuses the dead connection and fails.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            return super.generateAcceptableResponse(request, response, callback, "application/json",
                    List.of(StandardCharsets.UTF_8), code, null, null);
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
            writer.write(body(code));
        }

        @Override
        @SuppressWarnings("removal") // still called for requests Jetty cannot parse
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            SecurityHeaders.apply(fields);
            fields.put(HttpHeader.CONTENT_TYPE, "application/json");
            return ByteBuffer.wrap(body(status).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final class ServletPages extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
        ServletPages() {
            quiet(this);
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                     List<Charset> charsets, int code, String message, Throwable cause)
                throws IOException {
            SecurityHeaders.apply(response.getHeaders());
            return super.generateAcceptableResponse(request, response, callback, "application/json",
                    List.of(StandardCharsets.UTF_8), code, null, null);
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
            writer.write(body(code));
        }
    }
}
