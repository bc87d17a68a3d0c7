# shellcheck shell=bash
# Shared settings for scripts/install-toolchains.sh and scripts/test-all.sh.
# Sourced, never executed. Every path can be overridden from the environment.

REPO="${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"

# Pinned tool versions (see scripts/README.md for why each one).
KOTLIN_VERSION="${KOTLIN_VERSION:-2.4.20}"        # npm `kotlin-compiler`: the full JetBrains kotlinc
CARGO_FUZZ_VERSION="${CARGO_FUZZ_VERSION:-0.13.2}"

# Python venv: per clone (gitignored `.venv/`), because the test run pip-installs this
# checkout's own wheel into it; a venv shared between clones/worktrees would let one
# branch's wheel be imported by another branch's tests.
VENV="${PASSERELLE_VENV:-$REPO/.venv}"
PY="$VENV/bin/python"
REQUIREMENTS="$REPO/scripts/requirements-dev.txt"

# kotlinc: shared, versioned and never modified after install (94 MB, no project state),
# so every clone on the machine reuses it. Falls back to the user cache when /opt is read-only.
if [ -z "${KOTLIN_HOME:-}" ]; then
  if [ -w /opt ] || [ -d "/opt/kotlinc-$KOTLIN_VERSION" ]; then
    KOTLIN_HOME="/opt/kotlinc-$KOTLIN_VERSION"
  else
    KOTLIN_HOME="${XDG_CACHE_HOME:-$HOME/.cache}/passerelle/kotlinc-$KOTLIN_VERSION"
  fi
fi
KOTLINC="$KOTLIN_HOME/bin/kotlinc"
KOTLIN_STDLIB="$KOTLIN_HOME/lib/kotlin-stdlib.jar"
JNA_JAR="${JNA_JAR:-/usr/share/java/jna.jar}"       # Debian libjna-java
MAVEN_REPO_DEBIAN=/usr/share/maven-repo             # Maven plugins from Debian packages

# Shared library naming per OS.
case "$(uname -s)" in
  Darwin) DYLIB_EXT=dylib ;;
  *)      DYLIB_EXT=so ;;
esac

export REPO VENV PY REQUIREMENTS KOTLIN_VERSION CARGO_FUZZ_VERSION KOTLIN_HOME KOTLINC \
  KOTLIN_STDLIB JNA_JAR MAVEN_REPO_DEBIAN DYLIB_EXT
