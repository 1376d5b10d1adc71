#!/usr/bin/env bash
# Overload fault run: more closed-loop senders into one room than its queue holds (the chat pipeline accepts 1000
# waiting sends per room), against the packaged server, while /health is polled. Passes (exit 0) only if:
#   - the excess is refused fast and explicitly: some sends answered 503 with Retry-After (the outbox retries them),
#     none failed without an answer;
#   - /health stayed responsive: every poll answered 200 (none timed out at 5 s), never two polls in a row took over
#     1 s, and at most 5 % did. A Kubernetes liveness probe with its defaults (1 s timeout, 3 failures in a row) would
#     have kept the server; on 2 cores shared with the load tool a single poll can still queue past 1 s behind the
#     flood's requests and a full collection;
#   - the server's RSS stayed under its heap limit (-Xmx of loomlite.args) plus 192 MiB for the rest (RSS_LIMIT_MIB
#     overrides): metaspace, class-data sharing, code cache and compiler arenas ~90-110 MiB, SQLite ~30-50 MiB,
#     Jetty's direct buffers ~15 MiB, thread stacks. Under a flood the heap fills to its limit with promoted garbage
#     (each full collection brings it back to ~60 MiB), so the limit is what bounds it: more connections must not
#     push RSS past it;
#   - the load tool's verdict is OK (every acknowledged message stored once, seq gapless), and after the load the
#     server still serves a send (it recovered).
#
#   modules/bench/faults/overload.sh                   # 20 s, 2000 senders
#   DURATION=10 SENDERS=1500 modules/bench/faults/overload.sh
set -euo pipefail
fault=overload
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
duration="${DURATION:-20}"
senders="${SENDERS:-2000}"
heap_mib=$(sed -n 's/^-Xmx\([0-9]*\)m$/\1/p' "$root/modules/server/loomlite.args")
rss_limit="${RSS_LIMIT_MIB:-$(( heap_mib + 192 ))}"

prober_pid=""
cleanup() {
  [[ -n "$prober_pid" ]] && kill "$prober_pid" 2>/dev/null || true
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

start_server run

# /health every 200 ms: status, seconds taken; and the server's RSS (KiB).
(
  while true; do
    curl -s -o /dev/null -m 5 -w '%{http_code} %{time_total}\n' "$url/health" >> "$out/health.txt" || echo "000 5" >> "$out/health.txt"
    awk '/VmRSS/ {print $2}' "/proc/$server_pid/status" >> "$out/rss.txt" 2>/dev/null || true
    sleep 0.2
  done
) &
prober_pid=$!

status=0
"$jdk/bin/java" --enable-preview -XX:+UseSerialGC -Xmx768m -cp "$jar" dev.loomlite.bench.load.E2eLoad \
  --url "$url" --duration "$duration" --warmup 2 --http socket --rooms 1 --senders "$senders" \
  --subscribers-per-room 2 --server-pid "$server_pid" --out "$out/report" > "$out/tool.log" 2>&1 || status=$?
kill "$prober_pid" 2>/dev/null || true
wait "$prober_pid" 2>/dev/null || true
prober_pid=""
sed -n '/^=== Loomlite/,$p' "$out/tool.log"

check_tool "$status"
grep -Eq 'failed attempts \(retried or not\) \{.*503:' "$out/tool.log" || fail "no send was refused with 503: the load did not pass the queue's capacity"
grep -Eq 'failed attempts \(retried or not\) \{.*\b0:' "$out/tool.log" && fail "sends failed without an answer (status 0): the server dropped connections"
polls=$(wc -l < "$out/health.txt")
unanswered=$(awk '$1 != 200' "$out/health.txt" | wc -l)
slow=$(awk '$2 > 1.0' "$out/health.txt" | wc -l)
in_a_row=$(awk '{ run = ($2 > 1.0) ? run + 1 : 0; if (run > most) most = run } END { print most + 0 }' "$out/health.txt")
worst=$(sort -k2 -n "$out/health.txt" | tail -1)
p90=$(sort -k2 -n "$out/health.txt" | awk '{ t[NR] = $2 } END { i = int(NR * 0.9); if (i < 1) i = 1; print t[i] }')
[[ $unanswered -eq 0 ]] || fail "$unanswered of $polls /health polls were not answered 200 (worst: $worst)"
[[ $in_a_row -le 1 ]] || fail "$in_a_row /health polls in a row took over 1 s (worst: $worst)"
[[ $(( slow * 20 )) -le $polls ]] || fail "$slow of $polls /health polls took over 1 s, more than 5 % (worst: $worst)"
peak=$(sort -n "$out/rss.txt" | tail -1)
[[ $(( peak / 1024 )) -le $rss_limit ]] || fail "peak RSS $(( peak / 1024 )) MiB above $rss_limit MiB"
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$out/jar" -H 'Content-Type: application/json' -d '{"name":"after"}' "$url/api/session")
[[ $code == 200 ]] || fail "a sign-in after the load answered $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$out/jar" -H 'Content-Type: application/json' \
  -d '{"clientId":"after-overload-1","content":"still here"}' "$url/api/rooms/load-0/messages")
[[ $code == 201 ]] || fail "a send after the load answered $code"
[[ $failed -eq 0 ]] || exit 1
echo "overload: OK: excess refused with 503, /health 200 on all $polls polls (p90 $p90 s, $slow over 1 s, worst $worst s), peak RSS $(( peak / 1024 )) MiB, recovered; output in $out"
