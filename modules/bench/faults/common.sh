# Sourced by the fault runs after they set $fault (their name): finds a JDK 25, builds the packaged server and the
# bench jar when missing, picks a free loopback port, and defines start_server. Output goes to $OUT (default a new
# /tmp/loomlite-$fault.XXXXXX folder), the server's data to $out/data.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
# shellcheck source=../jdk25.sh
source "$root/modules/bench/jdk25.sh"
out="${OUT:-$(mktemp -d "/tmp/loomlite-$fault.XXXXXX")}"
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

# Starts the packaged server the README's way on $port and $data, with the load's limits raised; logs to
# $out/server-$1.log; returns once /health answers, exits 1 if it does not within 30 s.
start_server() {
  LOOMLITE_SEND_RATE=100000 LOOMLITE_SEND_BURST=100000 LOOMLITE_SIGN_IN_RATE=10000 LOOMLITE_SIGN_IN_BURST=10000 \
  LOOMLITE_GLOBAL_SIGN_IN_RATE=10000 LOOMLITE_GLOBAL_SIGN_IN_BURST=10000 \
    "$jdk/bin/java" "@$root/modules/server/loomlite.args" -p "$lib" -m dev.loomlite.server \
    --port "$port" --data "$data" >> "$out/server-$1.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    if curl -sf "$url/health" > /dev/null; then
      return 0
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "$fault: the server ($1) exited at start; see $out/server-$1.log" >&2
      exit 1
    fi
    sleep 0.25
  done
  echo "$fault: the server ($1) did not come up within 30 s; see $out/server-$1.log" >&2
  exit 1
}

# Checks record failures and the run goes on, so that one run reports every check that failed; the script then
# exits 1 if any did (`[[ $failed -eq 0 ]] || exit 1`).
failed=0
fail() {
  echo "$fault: FAILED: $*" >&2
  failed=1
}

# The load tool's exit status: 0, or 1 when its verdict failed.
check_tool() {
  [[ $1 -eq 0 ]] || fail "the load tool exited with $1 (1: the verdict failed); see $out/tool.log"
}
