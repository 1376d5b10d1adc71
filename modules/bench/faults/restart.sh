#!/usr/bin/env bash
# Restart durability fault run: against the packaged server, a user signs in and sends messages (the answers are
# kept), the server is stopped cleanly (SIGTERM, which must end it with status 143 within the grace), then started
# again on the same data and port. Passes (exit 0) only if, after the restart:
#   - the session cookie still works: GET /api/session answers 200 with the same user;
#   - the history is the same, byte for byte;
#   - re-sending a message with its clientId and content answers 200 with the body of its original 201, byte for
#     byte (an idempotent replay), and the same clientId with other content answers 409 with a JSON error;
#   - a new message gets the next seq (201), and a second SIGTERM stops the server cleanly again.
#
#   modules/bench/faults/restart.sh                   # MESSAGES=20 by default
#
# Builds the packaged server and the bench jar when missing; free loopback port, temporary data folder; stops only
# the processes it started. Output (server logs, answers) stays in $OUT.
set -euo pipefail
fault=restart
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
messages="${MESSAGES:-20}"
room=durable

cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

# request METHOD PATH [BODY]: writes the body to $out/answer, prints the status.
request() {
  local args=(-s -o "$out/answer" -w '%{http_code}' -b "$out/cookies" -c "$out/cookies" -X "$1" "$url$2")
  [[ $# -ge 3 ]] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
  curl "${args[@]}"
}
send() { # send N [CONTENT]: message N of this run, answer in $out/sent-N
  local status
  status=$(request POST "/api/rooms/$room/messages" "{\"clientId\":\"restart-$1\",\"content\":\"${2:-message $1, é 😀 before the restart}\"}")
  cp "$out/answer" "$out/sent-$1"
  echo "$status"
}
stop_server() { # SIGTERM, then the exit status must be 143 (shutdown hooks ran) within the grace plus 10 s
  local status=0
  kill -TERM "$server_pid"
  for _ in $(seq 1 80); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.25
  done
  kill -0 "$server_pid" 2>/dev/null && fail "the server did not stop within 20 s of SIGTERM"
  wait "$server_pid" || status=$?
  server_pid=""
  [[ $status -eq 143 ]] || fail "the server exited with $status after SIGTERM (expected 143)"
}

start_server first
[[ $(request POST /api/session '{"name":"durable-user"}') == 200 ]] || { echo "$fault: FAILED: sign-in: $(cat "$out/answer")" >&2; exit 1; }
cp "$out/answer" "$out/user-before"
for i in $(seq 1 "$messages"); do
  [[ $(send "$i") == 201 ]] || fail "message $i before the restart answered $(cat "$out/sent-$i")"
done
request GET "/api/rooms/$room/messages?after=0&limit=500" > /dev/null
cp "$out/answer" "$out/history-before"
stop_server
echo "$fault: $messages messages sent, server stopped with SIGTERM; starting it again on the same data" >&2

start_server second
status=$(request GET /api/session)
[[ $status == 200 ]] || fail "the session after the restart answered $status: $(cat "$out/answer")"
cmp -s "$out/answer" "$out/user-before" || fail "the session's user changed: $(cat "$out/user-before") then $(cat "$out/answer")"
request GET "/api/rooms/$room/messages?after=0&limit=500" > /dev/null
cmp -s "$out/answer" "$out/history-before" || fail "the history changed across the restart (see $out/history-before, $out/answer)"
replayed=0
for i in $(seq 1 "$messages"); do
  cp "$out/sent-$i" "$out/original-$i"
  status=$(send "$i")
  if [[ $status == 200 ]] && cmp -s "$out/sent-$i" "$out/original-$i"; then
    replayed=$((replayed + 1))
  else
    fail "replay of message $i answered $status: $(cat "$out/sent-$i") (original: $(cat "$out/original-$i"))"
  fi
done
status=$(send 1 "other content under a used clientId")
[[ $status == 409 ]] || fail "a used clientId with other content answered $status (expected 409)"
grep -q '^{"error":' "$out/sent-1" || fail "the 409 has no JSON error body: $(cat "$out/sent-1")"
next=$((messages + 1))
status=$(send "$next" "after the restart")
[[ $status == 201 ]] && grep -q "\"seq\":$next," "$out/sent-$next" \
  || fail "a new message after the restart answered $status: $(cat "$out/sent-$next") (expected 201 with seq $next)"
stop_server
[[ $failed -eq 0 ]] || exit 1
echo "$fault: OK: across a SIGTERM and restart the session kept its user, the history of $messages messages was" \
  "identical, all $replayed replays answered 200 with their original bodies, a changed one 409, the next seq $next; output in $out"
