#!/usr/bin/env bash
# Runs the end-to-end load tool (dev.loomlite.bench.load.E2eLoad) against a running Loomlite server, on a JDK 25
# found where the build's toolchain discovery looks: JAVA_HOME* variables, /usr/lib/jvm, /opt/java, /usr/java,
# SDKMAN, ~/.jdks. Builds modules/bench/target/benchmarks.jar first when it is missing.
#
#   modules/bench/e2e-load.sh --url http://127.0.0.1:7070 --duration 20 --server-pid "$(pgrep -f dev.loomlite.server)"
#   modules/bench/e2e-load.sh --help
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/modules/bench/target/benchmarks.jar"

is_jdk25() {
  [[ -x "$1/bin/java" && -f "$1/release" ]] && grep -Eq '^JAVA_VERSION="25("|\.)' "$1/release"
}

find_jdk25() {
  local candidate
  for candidate in $(env | sed -n 's/^JAVA_HOME[^=]*=//p') /usr/lib/jvm/* /opt/java/* /usr/java/* \
      "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    if is_jdk25 "$candidate"; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

jdk="$(find_jdk25)" || {
  echo "No JDK 25 found (looked at JAVA_HOME*, /usr/lib/jvm, /opt/java, SDKMAN, ~/.jdks): install one, e.g. temurin-25-jdk." >&2
  exit 2
}
if [[ ! -f "$jar" ]]; then
  echo "building $jar first" >&2
  (cd "$root" && ./mvnw -q -pl modules/bench -am package -DskipTests)
fi
exec "$jdk/bin/java" --enable-preview -XX:+UseSerialGC -Xmx512m -cp "$jar" dev.loomlite.bench.load.E2eLoad "$@"
