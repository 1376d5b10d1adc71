#!/usr/bin/env bash
# Starts a local three-node Loomlite cluster (its own core NATS broker, 12 shards, shard s on node s % 3) from the
# cluster module's layout, runs the end-to-end load tool against all three nodes, then stops everything. What
# BENCHMARKS.md's "Several nodes" section reports; extra arguments go to the load tool.
#
#   modules/bench/cluster-load.sh --duration 20 --warmup 20 --send-via non-owner
#
# Needs nats-server (Debian: apt-get install nats-server; /usr/sbin is searched) and the packaged layout
# (./mvnw -q -DskipTests package builds modules/cluster/target/lib). Ports: 7070-7072 public, 7171-7173 internal,
# 4333 NATS; data in a fresh temporary folder. NODE_JAVA_OPTS adds JVM flags to every node (e.g. JFR: use %p in file
# names).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=jdk25.sh
source "$root/modules/bench/jdk25.sh"
lib="$root/modules/cluster/target/lib"
[[ -d "$lib" ]] || (cd "$root" && ./mvnw -q -DskipTests package)
nats=$(command -v nats-server || echo /usr/sbin/nats-server)
[[ -x "$nats" ]] || { echo "cluster-load: nats-server not found (apt-get install nats-server)" >&2; exit 2; }

work=$(mktemp -d /tmp/loomlite-cluster.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

printf 'listen: 127.0.0.1:4333\n' > "$work/nats.conf"
"$nats" -c "$work/nats.conf" > "$work/nats.log" 2>&1 &
pids+=($!)

{
  printf '{"format":1,"version":1,"shards":12,"nats":["nats://127.0.0.1:4333"],"nodes":{'
  printf '"n1":{"internal":"http://127.0.0.1:7171","public":"http://127.0.0.1:7070"},'
  printf '"n2":{"internal":"http://127.0.0.1:7172","public":"http://127.0.0.1:7071"},'
  printf '"n3":{"internal":"http://127.0.0.1:7173","public":"http://127.0.0.1:7072"}},"assignments":['
  for s in $(seq 0 11); do
    printf '%s{"shard":%d,"node":"n%d","since":1}' "$([[ $s -gt 0 ]] && echo ,)" "$s" "$((s % 3 + 1))"
  done
  printf ']}\n'
} > "$work/cluster.json"

export LOOMLITE_CLUSTER_TOKEN=cluster-load-token-of-at-least-32-characters
export LOOMLITE_SEND_RATE=100000 LOOMLITE_SEND_BURST=100000 LOOMLITE_SIGN_IN_RATE=10000 LOOMLITE_SIGN_IN_BURST=10000
server_pids=()
for i in 1 2 3; do
  # shellcheck disable=SC2086 # NODE_JAVA_OPTS holds several flags (e.g. a JFR recording per node)
  "$jdk/bin/java" "@$root/modules/server/loomlite.args" ${NODE_JAVA_OPTS:-} -p "$lib" -m dev.loomlite.server --port $((7069 + i)) \
      --data "$work/n$i" --shards 12 --cluster-map "$work/cluster.json" --node-id "n$i" > "$work/n$i.log" 2>&1 &
  pids+=($!)
  server_pids+=($!)
done
for port in 7070 7071 7072; do
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.1; done
  curl -sf "http://127.0.0.1:$port/health" > /dev/null || { echo "cluster-load: node on $port did not start; logs in $work" >&2; exit 1; }
done
echo "cluster-load: 3 nodes up (pids ${server_pids[*]}), logs in $work" >&2
"$root/modules/bench/e2e-load.sh" --url http://127.0.0.1:7070,http://127.0.0.1:7071,http://127.0.0.1:7072 \
    --shards 12 --server-pid "$(IFS=,; echo "${server_pids[*]}")" "$@"
