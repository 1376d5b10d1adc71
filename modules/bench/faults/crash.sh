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
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
# shellcheck source=../jdk25.sh
source "$root/modules/bench/jdk25.sh"
duration="${DURATION:-20}"
kill_after="${KILL_AFTER:-8}"
out="${OUT:-$(mktemp -d /tmp/loomlite-crash.XXXXXX)}"
data="$out/data"
mkdir -p "$data"

lib="$root/modules/server/target/lib"
jar="$root/modules/bench/target/benchmarks.jar"
if [[ ! -d "$lib" || ! -f "$jar" ]]; then
  echo "building the server and the bench jar first" >&2
  (cd "$root" && ./mvnw -q -DskipTests package)
fi
port="$("$jdk/bin/java" "$root/modules/bench/faults/FreePort.java")"
url="http://127.0.0.1:$port"

server_pid=""
tool_pid=""
cleanup() {
  [[ -n "$tool_pid" ]] && kill "$tool_pid" 2>/dev/null || true
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

start_server() {
  LOOMLITE_SEND_RATE=100000 LOOMLITE_SEND_BURST=100000 LOOMLITE_SIGN_IN_RATE=10000 LOOMLITE_SIGN_IN_BURST=10000 \
    "$jdk/bin/java" "@$root/modules/server/loomlite.args" -p "$lib" -m dev.loomlite.server \
    --port "$port" --data "$data" >> "$out/server-$1.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    if curl -sf "$url/health" > /dev/null; then
      return 0
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "crash: the server ($1) exited at start; see $out/server-$1.log" >&2
      exit 1
    fi
    sleep 0.25
  done
  echo "crash: the server ($1) did not come up within 30 s; see $out/server-$1.log" >&2
  exit 1
}

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
