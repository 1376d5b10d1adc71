package dev.loomlite.bench.load;

import java.util.BitSet;

/**
 * What the run's senders were told about one room: the seq of every acknowledged message and a fingerprint of
 * (seq, client id) over them, to compare at the end with the room's history. Written by the outboxes' event
 * threads (synchronized: a few per second per room at most 10k/s in all), read by the verifier after the senders
 * stopped.
 */
final class RoomLedger {
    final String roomId;
    /** The room's last seq before the run (the subscribers' and the verifier's cursor). */
    final long startSeq;
    private final BitSet acked = new BitSet();
    private long count;
    private long sameSeqTwice;
    private long outOfRange;
    private long fingerprint;
    private long maxSeq;

    RoomLedger(String roomId, long startSeq) {
        this.roomId = roomId;
        this.startSeq = startSeq;
    }

    synchronized void acked(long seq, String clientId) {
        count++;
        long offset = seq - startSeq;
        if (offset <= 0 || offset > Integer.MAX_VALUE) {
            outOfRange++;
            return;
        }
        if (acked.get((int) offset)) {
            sameSeqTwice++;
        }
        acked.set((int) offset);
        fingerprint += LoadIds.fingerprint(seq, LoadIds.hash(clientId, 0, clientId.length()));
        maxSeq = Math.max(maxSeq, seq);
    }

    synchronized boolean isAcked(long seq) {
        long offset = seq - startSeq;
        return offset > 0 && offset <= Integer.MAX_VALUE && acked.get((int) offset);
    }

    synchronized long count() {
        return count;
    }

    synchronized long sameSeqTwice() {
        return sameSeqTwice;
    }

    synchronized long outOfRange() {
        return outOfRange;
    }

    synchronized long fingerprint() {
        return fingerprint;
    }

    synchronized long maxSeq() {
        return maxSeq;
    }
}
