#!/usr/bin/env bash
# Runs the end-to-end load tool (dev.loomlite.bench.load.E2eLoad) against a running Loomlite server, on a JDK 25
# found where the build's toolchain discovery looks: JAVA_HOME* variables, /usr/lib/jvm, /opt/java, /usr/java,
# SDKMAN, ~/.jdks. Builds modules/bench/target/benchmarks.jar first when it is missing.
#
#   modules/bench/e2e-load.sh --url http://127.0.0.1:7070 --duration 20 --server-pid "$(pgrep -f dev.loomlite.server)"
#   modules/bench/e2e-load.sh --url http://127.0.0.1:7071,http://127.0.0.1:7072,http://127.0.0.1:7073 --shards 12 --server-pid "$p1,$p2,$p3"
#   modules/bench/e2e-load.sh --help
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/modules/bench/target/benchmarks.jar"

# shellcheck source=jdk25.sh
source "$root/modules/bench/jdk25.sh"
if [[ ! -f "$jar" ]]; then
  echo "building $jar first" >&2
  (cd "$root" && ./mvnw -q -pl modules/bench -am package -DskipTests)
fi
exec "$jdk/bin/java" --enable-preview -XX:+UseSerialGC -Xmx512m -cp "$jar" dev.loomlite.bench.load.E2eLoad "$@"
