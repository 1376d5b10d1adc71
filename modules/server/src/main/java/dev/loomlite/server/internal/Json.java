package dev.loomlite.server.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * The one JSON mapper of the server, and the strict reading of request bodies: JSON only (415), at most
 * {@link #MAX_BODY_BYTES} (413), a JSON object of the expected shape (400 naming the field). Error messages
 * never quote the input.
 */
final class Json {
    /** Request bodies above this are refused with 413. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** How much of a body over the limit is read and dropped so that its 413 arrives; see {@link #tooLarge}. */
    private static final long DRAIN_LIMIT = 1L << 20;

    /**
     * Buffers Jackson's parsers and generators reuse, shared by all request threads. Jackson's default keeps them in
     * a thread-local: with a virtual thread per request, every request allocated its own (~90 KiB of char and byte
     * arrays) and kept them while it waited for its commit, so 2000 waiting sends held ~180 MiB and the heap
     * thrashed. A bounded shared pool keeps at most this many sets.
     */
    private static final int RECYCLED_BUFFER_SETS = 64;

    /** Unknown fields are ignored (an old server accepts a newer client); types are not coerced. */
    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.newBoundedPool(RECYCLED_BUFFER_SETS)).build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .withCoercionConfig(LogicalType.Textual, text -> text
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private Json() {
    }

    /** Serializes a response value; our own records never fail to serialize. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Reads the request body as {@code type}.
     *
     * @throws ApiException 415 when not JSON, 413 when too large, 400 when malformed or of the wrong shape
     */
    static <T> T read(Context ctx, Class<T> type) {
        requireJsonContentType(ctx.header("Content-Type"));
        byte[] body = readLimited(ctx);
        if (body.length == 0) {
            throw ApiException.badRequest(null, "request body must be a JSON object");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw ApiException.badRequest(null, "request body must be a JSON object");
            }
            return value;
        } catch (MismatchedInputException e) {
            String field = fieldOf(e);
            throw field == null
                    ? ApiException.badRequest(null, "request body must be a JSON object")
                    : ApiException.badRequest(field, field + " has the wrong type");
        } catch (JacksonException e) {
            throw ApiException.badRequest(null, "request body is not valid JSON");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void requireJsonContentType(String header) {
        if (header == null) {
            throw ApiException.of(415, ErrorMapping.describe(415));
        }
        List<String> parts = List.of(header.split(";"));
        String mediaType = parts.getFirst().strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw ApiException.of(415, ErrorMapping.describe(415));
        }
        for (String parameter : parts.subList(1, parts.size())) {
            String p = parameter.strip().toLowerCase(Locale.ROOT).replace("\"", "");
            if (p.startsWith("charset=") && !p.equals("charset=utf-8")) {
                throw ApiException.of(415, "JSON must be encoded as UTF-8");
            }
        }
    }

    /** Reads at most one byte past the limit, whatever Content-Length claims (chunked bodies have none). */
    private static byte[] readLimited(Context ctx) {
        String declared = ctx.header("Content-Length");
        long length = declared != null && declared.length() > 0 ? parseLength(declared) : -1;
        try (InputStream in = ctx.req().getInputStream()) {
            if (length > MAX_BODY_BYTES) {
                throw tooLarge(ctx, in, length <= DRAIN_LIMIT);
            }
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw tooLarge(ctx, in, true);
            }
            return body;
        } catch (IOException e) {
            throw ApiException.badRequest(null, "request body could not be read");
        }
    }

    /**
     * The 413 for a body over the limit. A client is usually still sending it: answering and closing with its bytes
     * unread makes the kernel reset the connection, and the client may lose the answer. So up to
     * {@link #DRAIN_LIMIT} of it is read and dropped first (the connection then stays usable); beyond that, or when
     * the declared length is larger, the answer says {@code Connection: close}.
     */
    private static ApiException tooLarge(Context ctx, InputStream in, boolean drain) throws IOException {
        if (!drain || !drained(in)) {
            ctx.header("Connection", "close");
        }
        return ApiException.of(413, ErrorMapping.describe(413));
    }

    /** Reads and drops the rest of the body; false if more than {@link #DRAIN_LIMIT} remained. */
    private static boolean drained(InputStream in) throws IOException {
        byte[] sink = new byte[8192];
        long total = 0;
        for (int n = in.read(sink); n >= 0; n = in.read(sink)) {
            total += n;
            if (total > DRAIN_LIMIT) {
                return false;
            }
        }
        return true;
    }

    private static long parseLength(String declared) {
        try {
            return Long.parseLong(declared.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The JSON field at fault, from the innermost named path element. */
    private static String fieldOf(JsonMappingException e) {
        String field = null;
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                field = reference.getFieldName();
            }
        }
        return field;
    }
}
