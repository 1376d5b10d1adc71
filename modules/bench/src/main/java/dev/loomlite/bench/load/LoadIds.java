package dev.loomlite.bench.load;

/**
 * The run's client ids, shaped like {@code ClientIds.timeOrdered} (32 hex digits, the first 12 the time in
 * milliseconds, so the server's index on them still grows at its end) but with the 80 bits after the time
 * carrying the run (16 bits), the sender (12 bits) and the enqueue time (52 bits of nanoseconds since the run's
 * origin). A delivery's latency is then read from the id it carries: no table of sent ids, nothing to look up
 * or remove. Ids of other runs or clients do not match the run's token and are ignored for latency.
 */
final class LoadIds {
    static final int LENGTH = 32;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final int run;
    private final long origin;

    /** {@code run} is 16 random bits; {@code originNanos} a {@link System#nanoTime()} before any send. */
    LoadIds(int run, long originNanos) {
        this.run = run & 0xFFFF;
        this.origin = originNanos;
    }

    /** A new id for {@code sender} enqueued at {@code nowNanos}; unique as long as one sender's times increase. */
    String make(int sender, long nowNanos) {
        char[] c = new char[LENGTH];
        hex(c, 0, 12, System.currentTimeMillis() & 0xFFFF_FFFF_FFFFL);
        hex(c, 12, 4, run);
        hex(c, 16, 3, sender & 0xFFF);
        hex(c, 19, 13, (nowNanos - origin) & 0xF_FFFF_FFFF_FFFFL);
        return new String(c);
    }

    /** The enqueue time ({@link System#nanoTime()}) carried by this run's id at {@code text[start, end)}, or -1. */
    long sentNanos(CharSequence text, int start, int end) {
        if (end - start != LENGTH || parse(text, start + 12, 4) != run) {
            return -1;
        }
        long offset = parse(text, start + 19, 13);
        return offset < 0 ? -1 : origin + offset;
    }

    long sentNanos(String id) {
        return sentNanos(id, 0, id.length());
    }

    /** A 64-bit hash of the id at {@code text[start, end)} (FNV-1a): the same for a frame's and a page's copy. */
    static long hash(CharSequence text, int start, int end) {
        long h = 0xcbf29ce484222325L;
        for (int i = start; i < end; i++) {
            h ^= text.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** One message's share of a room's fingerprint: sums of these over a seq range compare two copies of it. */
    static long fingerprint(long seq, long idHash) {
        long z = seq * 0x9E3779B97F4A7C15L ^ idHash;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void hex(char[] c, int at, int digits, long value) {
        for (int i = digits - 1; i >= 0; i--) {
            c[at + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }

    /** The hex number of {@code digits} characters at {@code at}, or -1 if one is not a lower-case hex digit. */
    private static long parse(CharSequence text, int at, int digits) {
        long v = 0;
        for (int i = at; i < at + digits; i++) {
            char ch = text.charAt(i);
            int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }
}
