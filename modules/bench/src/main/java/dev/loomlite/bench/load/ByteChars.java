package dev.loomlite.bench.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A frame's UTF-8 bytes seen as chars, one byte each, without decoding: enough for {@link FrameScanner}, which only
 * looks at ASCII (JSON structure, numbers and client ids); a multi-byte character shows as several chars above
 * 0x7F, which never look like JSON syntax. Reused for every frame of one connection; valid until the next wrap.
 */
final class ByteChars implements CharSequence {
    // Written and read by the one thread that owns this view.
    private ByteBuffer buffer = ByteBuffer.allocate(0);
    private int start;
    private int length;

    ByteChars wrap(ByteBuffer b) {
        buffer = b;
        start = b.position();
        length = b.remaining();
        return this;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return (char) (buffer.get(start + index) & 0xFF);
    }

    /** The bytes decoded as UTF-8 (allocates; for reasons and messages, not per frame). */
    @Override
    public CharSequence subSequence(int from, int to) {
        byte[] b = new byte[to - from];
        buffer.get(start + from, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return subSequence(0, length).toString();
    }
}
