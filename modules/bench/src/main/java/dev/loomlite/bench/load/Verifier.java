package dev.loomlite.bench.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The correctness verdict, from the room histories read at the end ({@code GET /api/rooms/{room}/messages}, pages
 * of 500 after the run's starting seq): each room's seq is gapless; every acknowledged message is in the history
 * at the seq its acknowledgement gave, under its client id; every subscriber got exactly the history's messages,
 * each once and in seq order, up to the room's last seq (it checked contiguity frame by frame, and its fingerprint
 * of (seq, client id) must equal the history's over the same range); no subscriber saw a room's epoch change.
 */
final class Verifier {
    /** History page size: the server's largest. */
    static final int PAGE = 500;
    private static final int MAX_PROBLEMS = 50;

    /** The verdict: ok, or what was wrong (at most 50 lines). */
    record Verdict(boolean ok, List<String> problems, long historyMessages, long ackedMessages) {
    }

    private final List<String> problems = new ArrayList<>();
    private long historyMessages;
    private long ackedMessages;

    private Verifier() {
    }

    static Verdict verify(Api api, String cookie, List<RoomLedger> rooms, Map<String, List<Subscriber>> subscribers,
                          List<Sender> senders) {
        Verifier v = new Verifier();
        for (RoomLedger room : rooms) {
            v.room(api, cookie, room, subscribers.getOrDefault(room.roomId, List.of()));
        }
        long stuck = senders.stream().filter(Sender::stuck).count();
        if (stuck > 0) {
            v.problem(stuck + " senders got no outcome for their last message before giving up");
        }
        return new Verdict(v.problems.isEmpty(), List.copyOf(v.problems), v.historyMessages, v.ackedMessages);
    }

    private void room(Api api, String cookie, RoomLedger ledger, List<Subscriber> subs) {
        String r = ledger.roomId;
        History h = new History(ledger);
        for (Subscriber s : subs) {
            h.prefix.put(s.lastSeq(), null);
        }
        h.prefix.put(ledger.startSeq, 0L);
        FrameScanner scanner = new FrameScanner();
        long after = ledger.startSeq;
        while (true) {
            boolean more = api.history(cookie, r, after, PAGE, scanner, h);
            if (h.last == after || !more) {
                break;
            }
            after = h.last;
        }
        historyMessages += h.count;
        ackedMessages += ledger.count();
        if (h.gaps > 0) {
            problem("room " + r + ": seq not gapless, " + h.gaps + " gaps, the first before seq " + h.firstGap);
        }
        if (ledger.sameSeqTwice() > 0 || ledger.outOfRange() > 0) {
            problem("room " + r + ": " + ledger.sameSeqTwice() + " acknowledgements repeated another's seq, "
                    + ledger.outOfRange() + " gave a seq at or before the run's start " + ledger.startSeq);
        }
        if (h.ackedSeen != ledger.count() || h.ackedFingerprint != ledger.fingerprint()) {
            problem("room " + r + ": " + ledger.count() + " messages acknowledged, " + h.ackedSeen
                    + " of their seqs in the history" + (h.ackedFingerprint != ledger.fingerprint()
                    ? ", and some hold another client id than the one acknowledged" : ""));
        }
        for (int i = 0; i < subs.size(); i++) {
            subscriber("room " + r + " subscriber " + i, subs.get(i), ledger, h);
        }
    }

    private void subscriber(String name, Subscriber s, RoomLedger ledger, History h) {
        if (s.gaps() > 0 || s.duplicates() > 0 || s.malformed() > 0) {
            problem(name + ": " + s.gaps() + " gaps, " + s.duplicates() + " duplicates, " + s.malformed() + " unreadable frames"
                    + (s.failure() == null ? "" : " (last: " + s.failure() + ")"));
        }
        if (s.lastSeq() < h.last) {
            problem(name + ": stopped at seq " + s.lastSeq() + ", the room's history goes to " + h.last
                    + (s.lastSeq() < ledger.maxSeq() ? " (acknowledged messages missing)" : ""));
        }
        Long expected = h.prefix.get(s.lastSeq());
        if (expected == null || expected != s.fingerprint()) {
            problem(name + ": the messages it received up to seq " + s.lastSeq() + " differ from the history's");
        }
        if (s.epochChanges() > 0) {
            // Epochs stay 1 on one node: no room's history may be replaced during a run.
            problem(name + ": " + s.epochChanges() + " epoch changes (reloads of the room), the last on "
                    + s.epochChange());
        }
        if (s.signedOut()) {
            problem(name + ": " + s.failure());
        }
    }

    private void problem(String p) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(p);
        }
    }

    /** One room's history as it is read, page by page. */
    private static final class History implements FrameScanner.Sink {
        final RoomLedger ledger;
        /** The fingerprint of (start, seq] at each seq a subscriber stopped at (null until reached). */
        final Map<Long, Long> prefix = new HashMap<>();
        long last;
        long count;
        long fingerprint;
        long gaps;
        long firstGap;
        long ackedSeen;
        long ackedFingerprint;

        History(RoomLedger ledger) {
            this.ledger = ledger;
            this.last = ledger.startSeq;
        }

        @Override
        public void message(long seq, long epoch, CharSequence text, int idStart, int idEnd) {
            if (seq != last + 1) {
                if (gaps++ == 0) {
                    firstGap = seq;
                }
            }
            last = seq;
            count++;
            long f = LoadIds.fingerprint(seq, LoadIds.hash(text, idStart, idEnd));
            fingerprint += f;
            if (ledger.isAcked(seq)) {
                ackedSeen++;
                ackedFingerprint += f;
            }
            if (prefix.containsKey(seq)) {
                prefix.put(seq, fingerprint);
            }
        }
    }
}
