#!/usr/bin/env bash
# Bad-input fault run: a seeded fuzzer (dev.loomlite.bench.faults.InputFuzzer) against the packaged server. Every
# request is wrong in at least one way: malformed JSON and wrong types, huge and unicode-heavy bodies (lone surrogates,
# invalid UTF-8), invalid room and client ids and cursors, missing and forged cookies, cross-origin WebSocket
# upgrades, forwarded /metrics requests, malformed HTTP. Passes (exit 0) only if:
#   - every answer is a 4xx with Content-Type application/json and a body of exactly {"error":...} or
#     {"error":...,"field":...}, without the request's canary (no reflected input) nor a stack trace, within 10 s;
#   - /health answers 200 within 1 s afterwards, and the rooms and the live session read back unchanged;
#   - after a clean stop (SIGTERM), the SQLite files hold as many messages and sessions as before the fuzzing.
#
#   modules/bench/faults/bad-input.sh                  # a random seed, 3000 cases
#   SEED=20261202 CASES=600 modules/bench/faults/bad-input.sh     # replay a seed (the run prints its seed)
#
# CI runs the short fixed-seed form as InputFuzzerTest (a server on port 0) instead. Builds the packaged server and the
# bench jar when missing; free loopback port, temporary data folder; stops only the processes it started.
set -euo pipefail
fault=bad-input
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cases="${CASES:-3000}"
seed="${SEED:-$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')}"

cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

fuzzer() {
  "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -cp "$jar" dev.loomlite.bench.faults.InputFuzzer "$@"
}
stop_server() {
  kill -TERM "$server_pid"
  local status=0
  wait "$server_pid" || status=$?
  server_pid=""
  [[ $status -eq 143 ]] || { echo "$fault: FAILED: the server exited with $status after SIGTERM (expected 143)" >&2; exit 1; }
}

start_server prepare
fuzzer prepare --url "$url" --cookie-file "$out/cookie"
stop_server
before=$(fuzzer count --data "$data")

start_server fuzz
status=0
fuzzer fuzz --url "$url" --cookie-file "$out/cookie" --seed "$seed" --cases "$cases" | tee "$out/fuzz.log" || status=$?
stop_server
after=$(fuzzer count --data "$data")
echo "$fault: rows before the fuzzing: $before; after it and a clean stop: $after"
if grep -qiE 'exception|error' "$out/server-fuzz.log"; then
  echo "$fault: the server logged errors (see $out/server-fuzz.log):" >&2
  grep -iE 'exception|error' "$out/server-fuzz.log" | head -5 >&2
  status=1
fi
[[ "$before" == "$after" ]] || { echo "$fault: FAILED: something was written (seed $seed)" >&2; exit 1; }
[[ $status -eq 0 ]] || { echo "$fault: FAILED (seed $seed; replay: SEED=$seed CASES=$cases $0); see $out/fuzz.log" >&2; exit 1; }
echo "$fault: OK: $cases bad requests (seed $seed) all answered 4xx JSON errors, nothing written; output in $out"
