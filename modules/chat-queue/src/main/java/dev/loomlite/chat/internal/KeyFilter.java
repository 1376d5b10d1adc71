package dev.loomlite.chat.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which {@code (authorId, clientId)} keys may be stored in one shard: a scalable Bloom filter (a list of
 * layers, each twice the size of the one before, the newest taking the adds). It lets the client-id screen
 * of the other shards ({@link ClientIdScreen}) skip the read of a shard that cannot hold a key, which is nearly
 * always the case: that read cost about as much CPU as the write itself, on every batch and for every other
 * shard. A false positive (about 1 % per layer) only costs that read; there are no false negatives once the
 * filter is {@linkplain #loaded() loaded}, and before that every key "may" be stored.
 *
 * <p>Completeness: the filter exists before the service accepts a send; every new row adds its key inside
 * its write transaction, before the commit ({@link MessageStore#persist}, on the shard's writer thread), and
 * the loader adds every key already stored ({@link KeyLoader}, pages by row id). A key committed before the
 * load's page was read is in that page; one written later was added by its write. Rolled-back writes only
 * leave extra bits, which cost a read, never a wrong answer. Memory: 10 bits per key of layer
 * capacity, which is 1.25 to 2.5 bytes per stored message (at most 25 MB for ten million).
 *
 * <pre>{@code
 * KeyFilter keys = KeyFilter.sized(rowsAtOpen);
 * keys.add(authorId, clientId);        // writer thread, before the insert
 * keys.loaded();                       // loader, after the last page
 * if (keys.mightContain(authorId, clientId)) { ... read the shard ... }
 * }</pre>
 */
final class KeyFilter {
    private static final int BITS_PER_KEY = 10;
    private static final int PROBES = 7;
    /** Keys the first layer holds at least, so small shards do not grow layer after layer. */
    private static final long MIN_CAPACITY = 1L << 16;

    // Replaced (copy on write, under this) when the newest layer is full; read without a lock by checks.
    private volatile Layer[] layers;
    // Set once by the loader; read by every check.
    private volatile boolean loaded;

    private KeyFilter(long capacity) {
        this.layers = new Layer[] {new Layer(Math.max(MIN_CAPACITY, capacity))};
    }

    /** A filter whose first layer holds twice the keys already stored, so the load and early growth fit. */
    static KeyFilter sized(long storedKeys) {
        return new KeyFilter(2 * Math.max(0, storedKeys));
    }

    /** Marks the load complete: from now on a key not in the filter is not in the shard. */
    void loaded() {
        loaded = true;
    }

    boolean isLoaded() {
        return loaded;
    }

    /** Whether the key may be stored in this shard: true until loaded, then true for added keys (and ~1 % others). */
    boolean mightContain(String authorId, String clientId) {
        if (!loaded) {
            return true;
        }
        long h1 = hash(authorId, clientId, 0x9E3779B97F4A7C15L);
        long h2 = hash(authorId, clientId, 0xC2B2AE3D27D4EB4FL) | 1;
        for (Layer layer : layers) {
            if (layer.contains(h1, h2)) {
                return true;
            }
        }
        return false;
    }

    /** Adds a key. Called by the shard's writer (before an insert) and the loader, possibly at once. */
    void add(String authorId, String clientId) {
        long h1 = hash(authorId, clientId, 0x9E3779B97F4A7C15L);
        long h2 = hash(authorId, clientId, 0xC2B2AE3D27D4EB4FL) | 1;
        Layer[] current = layers;
        Layer newest = current[current.length - 1];
        if (newest.count.incrementAndGet() > newest.capacity) {
            newest = grow(newest);
        }
        newest.add(h1, h2);
    }

    /** Appends a layer twice the size of {@code full} unless another adder did already; returns the newest. */
    private synchronized Layer grow(Layer full) {
        Layer[] current = layers;
        Layer newest = current[current.length - 1];
        if (newest == full) {
            newest = new Layer(full.capacity * 2);
            Layer[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = newest;
            layers = next;
        }
        newest.count.incrementAndGet();
        return newest;
    }

    /** Layers in use (for tests and metrics). */
    int layers() {
        return layers.length;
    }

    /** A 64-bit hash of the key's UTF-16 units (FNV-1a style mixing, splitmix64 finaliser), seeded. */
    static long hash(String authorId, String clientId, long seed) {
        long h = seed;
        for (int i = 0; i < authorId.length(); i++) {
            h = (h ^ authorId.charAt(i)) * 0x100000001B3L;
        }
        h = (h ^ 0x1F) * 0x100000001B3L; // a separator: ("ab", "c") and ("a", "bc") differ
        for (int i = 0; i < clientId.length(); i++) {
            h = (h ^ clientId.charAt(i)) * 0x100000001B3L;
        }
        h ^= h >>> 30;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 27;
        h *= 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }

    /** One fixed-size Bloom filter; bits are set with atomic ORs, so the writer and the loader may add at once. */
    private static final class Layer {
        private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
        final long capacity;
        final AtomicLong count = new AtomicLong();
        private final long[] words;
        private final long bits;

        Layer(long capacity) {
            this.capacity = capacity;
            long words = Math.max(1, (capacity * BITS_PER_KEY + 63) / 64);
            if (words > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("client-id filter layer of " + capacity + " keys is too large");
            }
            this.words = new long[(int) words];
            this.bits = words * 64;
        }

        void add(long h1, long h2) {
            for (int i = 0; i < PROBES; i++) {
                long bit = Math.floorMod(h1 + i * h2, bits);
                int word = (int) (bit >>> 6);
                long mask = 1L << bit;
                // Skip the locked OR (and its cache-line write) when the bit is set already.
                if (((long) WORDS.getAcquire(words, word) & mask) == 0) {
                    WORDS.getAndBitwiseOr(words, word, mask);
                }
            }
        }

        boolean contains(long h1, long h2) {
            for (int i = 0; i < PROBES; i++) {
                long bit = Math.floorMod(h1 + i * h2, bits);
                if (((long) WORDS.getAcquire(words, (int) (bit >>> 6)) & (1L << bit)) == 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
