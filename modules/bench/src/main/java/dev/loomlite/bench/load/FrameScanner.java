package dev.loomlite.bench.load;

/**
 * Reads the server's JSON frames and history pages without building a tree or any object: it walks the text
 * once and hands each message's {@code seq}, its {@code epoch} (1 when absent, as from a server that predates
 * epochs) and the position of its {@code clientId} to a {@link Sink}. Understands
 * {@code {"type":"message","message":{...}}}, {@code {"type":"messages","messages":[...]}},
 * {@code {"type":"reset","reason":"..."}}, {@code {"type":"resync","lastSeq":L,"epoch":E,"reason":"..."}} and
 * {@code {"messages":[...],"hasMore":b}} (a history page); other
 * fields are skipped whatever their order. The text may be a {@link String} or the frame's UTF-8 bytes seen one byte
 * per char ({@link ByteChars}): only ASCII matters to the structure. One instance per reading thread: it keeps the
 * last frame's results.
 */
final class FrameScanner {
    /** Receives each message of a frame, in the frame's order. */
    interface Sink {
        /** {@code text[idStart, idEnd)} is the client id (never escaped: ids are {@code [A-Za-z0-9_-]}). */
        void message(long seq, long epoch, CharSequence text, int idStart, int idEnd);
    }

    // All fields: written and read by the one thread that owns this scanner.
    private CharSequence s;
    private int p;
    private boolean reset;
    private boolean resync;
    private long frameEpoch;
    private boolean hasMore;
    private int reasonStart;
    private int reasonEnd;
    // The message being read: its seq (-1 until seen), its epoch (1 until seen) and where its client id lies.
    private long seq;
    private long epoch;
    private int idStart;
    private int idEnd;

    /** Scans one frame or page; throws {@link IllegalArgumentException} when it is not such JSON. */
    void scan(CharSequence text, Sink sink) {
        s = text;
        p = 0;
        reset = false;
        resync = false;
        frameEpoch = 1;
        hasMore = false;
        reasonStart = reasonEnd = 0;
        try {
            members((keyStart, keyEnd) -> topValue(sink, keyStart, keyEnd));
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated JSON frame of " + text.length() + " characters");
        }
    }

    /** Whether the last frame was a {@code reset}. */
    boolean reset() {
        return reset;
    }

    /** Whether the last frame was a {@code resync}: the cursor is past what the room's history keeps. */
    boolean resync() {
        return resync;
    }

    /** The last resync frame's {@code epoch}, the room's current one (1 when it named none). */
    long epoch() {
        return frameEpoch;
    }

    /** The last reset's or resync's reason. */
    String reason() {
        return s.subSequence(reasonStart, reasonEnd).toString();
    }

    /** The last history page's {@code hasMore}. */
    boolean hasMore() {
        return hasMore;
    }

    /** What {@link #members} does with one member: its key is {@code s[keyStart, keyEnd)}; it reads the value. */
    private interface Member {
        void value(int keyStart, int keyEnd);
    }

    /** Reads an object, handing each member to {@code member}, which reads its value. */
    private void members(Member member) {
        ws();
        expect('{');
        ws();
        if (s.charAt(p) == '}') {
            p++;
            return;
        }
        while (true) {
            ws();
            int keyStart = p + 1;
            int keyEnd = string();
            ws();
            expect(':');
            ws();
            member.value(keyStart, keyEnd);
            if (next('}')) {
                return;
            }
        }
    }

    /** Reads an array, calling {@code element} to read each element. */
    private void elements(Runnable element) {
        ws();
        expect('[');
        ws();
        if (s.charAt(p) == ']') {
            p++;
            return;
        }
        while (true) {
            ws();
            element.run();
            if (next(']')) {
                return;
            }
        }
    }

    /** After a member or element: true at the container's {@code end}, false after a comma. */
    private boolean next(char end) {
        ws();
        char c = s.charAt(p++);
        if (c == end) {
            return true;
        }
        if (c != ',') {
            throw malformed();
        }
        return false;
    }

    private void topValue(Sink sink, int keyStart, int keyEnd) {
        if (is(keyStart, keyEnd, "message")) {
            message(sink);
        } else if (is(keyStart, keyEnd, "messages")) {
            elements(() -> message(sink));
        } else if (is(keyStart, keyEnd, "type")) {
            int start = p + 1;
            int end = string();
            reset = is(start, end, "reset");
            resync = is(start, end, "resync");
        } else if (is(keyStart, keyEnd, "epoch")) {
            frameEpoch = number();
        } else if (is(keyStart, keyEnd, "reason")) {
            reasonStart = p + 1;
            reasonEnd = string();
        } else if (is(keyStart, keyEnd, "hasMore")) {
            hasMore = matches(p, "true");
            skipValue();
        } else {
            skipValue();
        }
    }

    private void message(Sink sink) {
        seq = -1;
        epoch = 1;
        idStart = 0;
        idEnd = 0;
        members(this::messageValue);
        if (seq < 0) {
            throw new IllegalArgumentException("message without a seq in a frame");
        }
        sink.message(seq, epoch, s, idStart, idEnd);
    }

    private void messageValue(int keyStart, int keyEnd) {
        if (is(keyStart, keyEnd, "seq")) {
            seq = number();
        } else if (is(keyStart, keyEnd, "epoch")) {
            epoch = number();
        } else if (is(keyStart, keyEnd, "clientId")) {
            idStart = p + 1;
            idEnd = string();
        } else {
            skipValue();
        }
    }

    private void skipValue() {
        switch (s.charAt(p)) {
            case '"' -> string();
            case '{' -> members((keyStart, keyEnd) -> skipValue());
            case '[' -> elements(this::skipValue);
            default -> {
                while (p < s.length() && ",}] \t\r\n".indexOf(s.charAt(p)) < 0) {
                    p++;
                }
            }
        }
    }

    /** Skips a string starting at {@code p} (its opening quote); returns the index of its closing quote. */
    private int string() {
        expect('"');
        while (true) {
            char c = s.charAt(p);
            if (c == '"') {
                return p++;
            }
            p += c == '\\' ? 2 : 1;
        }
    }

    private long number() {
        long v = 0;
        int start = p;
        while (p < s.length() && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
            v = v * 10 + (s.charAt(p++) - '0');
        }
        if (p == start) {
            throw malformed();
        }
        return v;
    }

    private boolean is(int start, int end, String literal) {
        return end - start == literal.length() && matches(start, literal);
    }

    private boolean matches(int at, String literal) {
        if (at + literal.length() > s.length()) {
            return false;
        }
        for (int i = 0; i < literal.length(); i++) {
            if (s.charAt(at + i) != literal.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void expect(char c) {
        if (s.charAt(p) != c) {
            throw malformed();
        }
        p++;
    }

    private void ws() {
        while (p < s.length() && s.charAt(p) <= ' ') {
            p++;
        }
    }

    private IllegalArgumentException malformed() {
        return new IllegalArgumentException("malformed JSON frame at character " + p + " of " + s.length());
    }
}
