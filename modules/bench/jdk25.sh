# Sourced by the bench scripts: sets $jdk to a JDK 25 found where the build's toolchain discovery looks
# (JAVA_HOME* variables, /usr/lib/jvm, /opt/java, /usr/java, SDKMAN, ~/.jdks), or exits 2 saying what to install.
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
