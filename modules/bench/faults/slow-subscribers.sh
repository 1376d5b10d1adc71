#!/usr/bin/env bash
# Slow and vanishing subscribers fault run: paced load with healthy WebSocket subscribers against the packaged server;
# after a baseline phase, stuck subscribers join every room and stay until the end:
#   - "stalled": raw sockets that complete the WebSocket upgrade and never read again (a client stuck in its code);
#   - "frozen": subscribers that read and answer pings until their process is stopped with SIGSTOP (a client that
#     vanished without closing). Simulated on loopback: the stopped process's kernel still acknowledges data until
#     its receive buffer is full, where a vanished host would acknowledge nothing (the server's kernel would then
#     retransmit, and reset the connection after ~15 minutes); the server sees the same thing either way, a peer
#     that takes no more bytes and answers no ping. Both ask for an 8 KiB receive buffer so that buffers fill in
#     seconds rather than minutes, and the messages are 4000 characters (MESSAGE_SIZE) for the same reason.
# Passes (exit 0) only if:
#   - the load tool's verdict is OK (every acknowledged message reached every healthy subscriber once, in order)
#     and no healthy subscriber was reset;
#   - the healthy subscribers' delivery p99 after the stuck ones joined is at most P99_FACTOR (2) times the baseline
#     phase's plus P99_SLACK_MS (25): on 2 shared cores a few ms either way is noise;
#   - the server let go of every stuck connection (its side of them, seen with ss) by RELEASE_WAIT (30) s after the
#     load ended, and its open event streams are back to the healthy ones (/metrics);
#   - memory stays bounded: the anonymous RSS (heap and native; not the SQLite files it maps, which grow with the
#     data) stays under RSS_LIMIT_MIB (450: the heap may reach 256 MiB, the JVM adds ~120), and grows no faster
#     while the stuck subscribers are there than in the baseline (where the heap still grows towards its limit),
#     plus 1 MiB/s.
#
#   modules/bench/faults/slow-subscribers.sh       # 10 s warm-up, 15 s baseline, 60 s with 100 stuck subscribers
#   WARMUP=5 BASELINE=8 STUCK=35 STUCK_PER_ROOM=2 modules/bench/faults/slow-subscribers.sh   # the CI form
#
# Builds the packaged server and the bench jar when missing; free loopback port, temporary data folder; stops only
# the processes it started. Output (tool log, summary, samples.txt with RSS and counts each second) stays in $OUT.
set -euo pipefail
fault=slow-subscribers
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
baseline="${BASELINE:-15}"
stuck_seconds="${STUCK:-60}"
rate="${RATE:-500}"
size="${MESSAGE_SIZE:-4000}"
warmup="${WARMUP:-10}"
per_room="${STUCK_PER_ROOM:-5}"
p99_factor="${P99_FACTOR:-2}"
p99_slack="${P99_SLACK_MS:-25}"
rss_limit="${RSS_LIMIT_MIB:-450}"
release_wait="${RELEASE_WAIT:-30}"
rooms=10
healthy_per_room=10

tool_pid=""
sampler_pid=""
stalled_pid=""
frozen_pid=""
cleanup() {
  for pid in "$tool_pid" "$sampler_pid" "$stalled_pid" "$server_pid"; do
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
  done
  # A stopped process only dies of SIGKILL (or after SIGCONT): it holds the frozen subscribers.
  [[ -n "$frozen_pid" ]] && kill -9 "$frozen_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

start_server run

metric() { # the value of a /metrics sample, 0 when missing
  curl -s -m 5 "$url/metrics" | awk -v name="$1" '$1 == name {print $2; found=1} END {if (!found) print 0}'
}
# The server's side of the stuck connections: sockets on the server's port whose peer is a helper's socket and that
# the server still holds (ss lists its process; a socket the server closed is an orphan of the kernel).
held_by_server() {
  [[ -s "$out/helper-ports.txt" ]] || { echo 0; return; }
  ss -Htnp "( sport = :$port )" | awk -v p="pid=$server_pid," 'index($0, p) {n = split($5, a, ":"); print a[n]}' \
    | sort -u | comm -12 - "$out/helper-ports.txt" | wc -l
}
# Every second: seconds since start, phase (0 baseline, 1 stuck subscribers joined, 2 the load is over), server RSS
# and its anonymous part (KiB: heap, native memory; the rest is mostly the SQLite files mapped by mmap, which grow
# with the data), open event streams, subscriptions dropped as too slow, stuck connections the server still holds.
(
  t=0
  while true; do
    phase=0
    [[ -e "$out/stuck-joined" ]] && phase=1
    [[ -e "$out/load-over" ]] && phase=2
    rss=$(awk '/^(VmRSS|RssAnon):/ {printf "%s ", $2}' "/proc/$server_pid/status" 2>/dev/null || echo "0 0 ")
    echo "$t $phase $rss$(metric loomlite_ws_subscribers) $(metric loomlite_chat_subscribers_dropped_total) $(held_by_server)" >> "$out/samples.txt"
    t=$((t + 1))
    sleep 1
  done
) &
sampler_pid=$!

"$jdk/bin/java" --enable-preview -XX:+UseSerialGC -Xmx512m -cp "$jar" dev.loomlite.bench.load.E2eLoad \
  --url "$url" --duration $((baseline + stuck_seconds)) --warmup "$warmup" --http socket --rate "$rate" --message-size "$size" \
  --rooms "$rooms" --senders 20 --subscribers-per-room "$healthy_per_room" --server-pid "$server_pid" \
  --phase-mark "$out/stuck-joined" --out "$out/report" > "$out/tool.log" 2>&1 &
tool_pid=$!

# The stuck subscribers join 2 s before the baseline's end (a JVM start and the upgrades), so that the second phase
# begins with all of them there.
join_at=$((warmup + baseline - 2))
for _ in $(seq 1 600); do
  grep -Eq "^\[ *$join_at""s " "$out/tool.log" 2>/dev/null && break
  kill -0 "$tool_pid" 2>/dev/null || { echo "$fault: FAILED: the load tool ended early; see $out/tool.log" >&2; exit 1; }
  sleep 0.2
done
room_list=$(seq -s, -f "load-%g" 0 $((rooms - 1)))
helper() {
  "$jdk/bin/java" -XX:+UseSerialGC -Xmx128m -cp "$jar" dev.loomlite.bench.faults.StuckSubscribers \
    --url "$url" --mode "$1" --rooms "$room_list" --per-room "$per_room" > "$out/$1.log" 2>&1 &
}
helper stalled
stalled_pid=$!
helper frozen
frozen_pid=$!
for _ in $(seq 1 150); do
  grep -q '^ready' "$out/stalled.log" && grep -q '^ready' "$out/frozen.log" && break
  sleep 0.2
done
grep -q '^ready' "$out/stalled.log" && grep -q '^ready' "$out/frozen.log" \
  || { echo "$fault: FAILED: the stuck subscribers did not connect; see $out/stalled.log, $out/frozen.log" >&2; exit 1; }
kill -STOP "$frozen_pid"
touch "$out/stuck-joined"
stuck=$((2 * rooms * per_room))
echo "$fault: $stuck stuck subscribers joined ($((rooms * per_room)) stalled, $((rooms * per_room)) frozen with SIGSTOP)" >&2

# The helpers' local ports: the peers of the stuck connections.
ss -Htnp | awk -v a="pid=$stalled_pid," -v b="pid=$frozen_pid," 'index($0, a) || index($0, b) {n = split($4, p, ":"); print p[n]}' \
  | sort -u > "$out/helper-ports.txt"
held_start=$(held_by_server)

status=0
wait "$tool_pid" || status=$?
tool_pid=""
touch "$out/load-over"
# The last stuck ones may be in the middle of their send timeout and close grace: give them RELEASE_WAIT seconds.
for _ in $(seq 1 "$release_wait"); do
  [[ $(held_by_server) -eq 0 ]] && break
  sleep 1
done
held_end=$(held_by_server)
streams_end=$(metric loomlite_ws_subscribers)
dropped_end=$(metric loomlite_chat_subscribers_dropped_total)
kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
sampler_pid=""
sed -n '/^=== Loomlite/,$p' "$out/tool.log"

check_tool "$status"
resets=$(sed -n 's/.* \([0-9]*\) reconnects, \([0-9]*\) resets.*/\2/p' "$out/tool.log")
[[ "${resets:-x}" == 0 ]] || fail "healthy subscribers were reset ${resets:-?} times"
# "phase 1 (before)  seconds 4-18: delivery p50 1.23 p99 4.56 ms (...)"
p99() { sed -n "s/^phase $1 .*delivery p50 [0-9.]* p99 \([0-9.]*\) ms.*/\1/p" "$out/tool.log"; }
before=$(p99 1)
after=$(p99 2)
if [[ -z "$before" || -z "$after" ]]; then
  fail "the tool did not report both phases; see $out/tool.log"
else
  limit=$(awk -v b="$before" -v f="$p99_factor" -v s="$p99_slack" 'BEGIN {printf "%.2f", b * f + s}')
  awk -v a="$after" -v l="$limit" 'BEGIN {exit !(a <= l)}' \
    || fail "healthy delivery p99 rose from $before ms to $after ms (limit $limit ms)"
fi
[[ $held_start -eq $stuck ]] || fail "the server held $held_start connections of the $stuck stuck subscribers when they joined (expected all)"
[[ $held_end -eq 0 ]] || fail "the server still held $held_end of $stuck stuck connections $release_wait s after the load"
expected_streams=$((rooms * healthy_per_room))
# The tool closes its subscribers at the end; what remains open must not be more than the healthy ones.
[[ $streams_end -le $expected_streams ]] || fail "$streams_end event streams open at the end (healthy: $expected_streams)"
# Memory: the anonymous RSS's peak, and its growth per second in the baseline and in the stuck phase.
growth() { # MiB/s of anonymous RSS over the samples of phase $1
  awk -v p="$1" '$2 == p {if (!n++) {t0 = $1; r0 = $4}; t1 = $1; r1 = $4} END {printf "%.2f", (n > 1 ? (r1 - r0) / 1024 / (t1 - t0) : 0)}' "$out/samples.txt"
}
base_growth=$(growth 0)
stuck_growth=$(growth 1)
anon_peak=$(awk '$4 > m {m = $4} END {printf "%d", m / 1024}' "$out/samples.txt")
rss_peak=$(awk '$2 <= 1 && $3 > m {m = $3} END {printf "%d", m / 1024}' "$out/samples.txt")
[[ $anon_peak -le $rss_limit ]] || fail "anonymous RSS reached $anon_peak MiB (limit $rss_limit MiB)"
awk -v s="$stuck_growth" -v b="$base_growth" 'BEGIN {exit !(s <= b + 1)}' \
  || fail "memory grew faster with the stuck subscribers: $stuck_growth MiB/s against $base_growth MiB/s in the baseline"
# When the server let go of the stuck connections: seconds from the join to the first sample with none held.
joined=$(awk '$2 == 1 {print $1; exit}' "$out/samples.txt")
released_at=$(awk '$2 >= 1 && $7 > 0 {seen = 1} seen && $7 == 0 {print $1; exit}' "$out/samples.txt")
[[ $failed -eq 0 ]] || exit 1
echo "$fault: OK: all $stuck stuck connections let go by the server about $(( ${released_at:-0} - ${joined:-0} )) s after they" \
  "joined ($dropped_end of them dropped by the chat buffer, the rest by the 10 s frame timeout), healthy delivery p99 $before ms before and $after ms with" \
  "them; anonymous RSS peak $anon_peak MiB (RSS $rss_peak MiB), growing $base_growth MiB/s in the baseline and" \
  "$stuck_growth MiB/s with them; output in $out"
