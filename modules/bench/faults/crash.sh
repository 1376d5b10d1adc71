#!/usr/bin/env bash
# Crash fault run: the end-to-end load against the packaged server, which is killed with SIGKILL mid-run and
# restarted on the same data and port. Passes (exit 0) only if, after the run:
#   - the load tool's verdict is OK: every acknowledged message is in the room's history exactly once, at the seq its
#     acknowledgement gave, seq is gapless in every room, and every subscriber got that history once, in seq order
#     (they reconnect after the crash with their last seq);
#   - every message the senders' outboxes enqueued was acknowledged: the ones whose answer the crash swallowed were
#     retried under their client ids and stored once (a replay answers the original).
#
#   modules/bench/faults/crash.sh                     # 20 s of load, the kill 8 s after the load began
#   DURATION=10 KILL_AFTER=4 modules/bench/faults/crash.sh
#
# Builds the packaged server and the bench jar when missing. Uses a free loopback port and a temporary data folder;
# stops only the processes it started. Output (tool log, summary.json, report.html, server logs) stays in $OUT.
set -euo pipefail
fault=crash
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
duration="${DURATION:-20}"
kill_after="${KILL_AFTER:-8}"

tool_pid=""
cleanup() {
  [[ -n "$tool_pid" ]] && kill "$tool_pid" 2>/dev/null || true
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

start_server first
"$jdk/bin/java" --enable-preview -XX:+UseSerialGC -Xmx512m -cp "$jar" dev.loomlite.bench.load.E2eLoad \
  --url "$url" --duration "$duration" --warmup 2 --http socket --on-failure retry --out "$out/report" > "$out/tool.log" 2>&1 &
tool_pid=$!

# The kill must land in the load, not in the setup (sign-ins, subscribers): wait for the first progress line.
for _ in $(seq 1 240); do
  grep -Eq '^\[ *[0-9]+s ' "$out/tool.log" 2>/dev/null && break
  kill -0 "$tool_pid" 2>/dev/null || break
  sleep 0.5
done
sleep "$kill_after"
kill -9 "$server_pid"
wait "$server_pid" 2>/dev/null || true
echo "crash: killed the server (SIGKILL) after ${kill_after} s of load; restarting it on the same data" >&2
start_server second

status=0
wait "$tool_pid" || status=$?
tool_pid=""
sed -n '/^=== Loomlite/,$p' "$out/tool.log"
if [[ $status -ne 0 ]]; then
  echo "crash: FAILED: the load tool exited with $status (1: the verdict failed); see $out/tool.log" >&2
  exit 1
fi
# The summary's line "acknowledged ... (whole run: A of E enqueued)".
whole="$(sed -n 's/.*(whole run: \([0-9,]*\) of \([0-9,]*\) enqueued).*/\1 \2/p' "$out/tool.log" | tr -d ,)"
read -r acked enqueued <<< "$whole"
if [[ "$acked" != "$enqueued" ]]; then
  echo "crash: FAILED: $acked of $enqueued enqueued messages were acknowledged" >&2
  exit 1
fi
echo "crash: OK: $acked messages acknowledged across a SIGKILL of the server, each stored once, seq gapless; output in $out"
