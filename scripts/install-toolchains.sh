#!/usr/bin/env bash
# Install what scripts/test-all.sh needs on Debian 12 (bookworm), from the registries CI can
# reach (crates.io, PyPI, npm, Debian apt). Idempotent: each step checks first and installs
# only what is missing, so a second run takes about a second and prints one line.
#
#   apt    : libjna-java (JNA for Kotlin/JVM), maven + libmaven-{jar,antrun,install,resources,compiler}-
#            plugin-java and junit5 (its BOM; the JVM artifact, built offline), plus openjdk-17-jdk-headless, npm, gcc,
#            g++, binutils (nm), python3-venv when missing
#   Kotlin : kotlinc from the npm package `kotlin-compiler` -> $KOTLIN_HOME (/opt/kotlinc-<ver>)
#            (Debian's `kotlin` 1.3 is far too old for uniffi's generated code)
#   Python : venv $VENV (default <repo>/.venv) with scripts/requirements-dev.txt
#   Fuzz   : cargo-fuzz via `cargo install --locked` (skipped with --no-fuzz)
#
# Usage: scripts/install-toolchains.sh [--no-fuzz] [--print-env]
# Env:   PASSERELLE_VENV, KOTLIN_HOME, KOTLIN_VERSION, CARGO_FUZZ_VERSION, SKIP_APT=1
set -euo pipefail

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

want_fuzz=1 print_env=0
for arg in "$@"; do
  case "$arg" in
    --no-fuzz) want_fuzz=0 ;;
    --print-env) print_env=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "install-toolchains: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { printf '[install-toolchains] %s\n' "$*" >&2; }
die() { printf '[install-toolchains] ERROR: %s\n' "$*" >&2; exit 1; }
trap 'rc=$?; [ $rc -eq 0 ] || log "FAILED (exit $rc) at line $LINENO: $BASH_COMMAND"' EXIT
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
did=()   # what this run installed (for the one-line report)

# ------------------------------------------------------------------ apt
apt_need=()
command -v java  >/dev/null 2>&1 || apt_need+=(openjdk-17-jdk-headless)
command -v javac >/dev/null 2>&1 || apt_need+=(openjdk-17-jdk-headless)
[ -f "$JNA_JAR" ]                || apt_need+=(libjna-java)
command -v gcc   >/dev/null 2>&1 || apt_need+=(gcc)
command -v g++   >/dev/null 2>&1 || apt_need+=(g++)     # libfuzzer-sys compiles libFuzzer (C++)
command -v nm    >/dev/null 2>&1 || apt_need+=(binutils)
command -v npm   >/dev/null 2>&1 || apt_need+=(npm)
# Maven and the plugins bindings/jvm/pom.xml and examples/kotlin/pom.xml pin (Debian's versions,
# served from /usr/share/maven-repo: Maven Central is not reachable from CI).
command -v mvn   >/dev/null 2>&1 || apt_need+=(maven)
for p in jar:3.3.0 antrun:3.1.0 install:3.1.0 resources:3.3.0 compiler:3.10.1; do
  [ -d "$MAVEN_REPO_DEBIAN/org/apache/maven/plugins/maven-${p%%:*}-plugin/${p#*:}" ] || apt_need+=("libmaven-${p%%:*}-plugin-java")
done
# maven-compiler-plugin's POMs import org.junit:junit-bom, which only the junit5 package installs.
[ -d "$MAVEN_REPO_DEBIAN/org/junit/junit-bom" ] || apt_need+=(junit5)
[ -x "$VENV/bin/python" ] || python3 -m venv --help >/dev/null 2>&1 || apt_need+=(python3-venv)
if [ "${#apt_need[@]}" -gt 0 ]; then
  if [ "${SKIP_APT:-0}" = 1 ]; then
    die "missing system packages and SKIP_APT=1: ${apt_need[*]}"
  fi
  mapfile -t apt_need < <(printf '%s\n' "${apt_need[@]}" | sort -u)
  log "apt-get install ${apt_need[*]}"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${apt_need[@]}" >/dev/null
  did+=("apt:${apt_need[*]}")
fi
[ -f "$JNA_JAR" ] || die "$JNA_JAR still missing after installing libjna-java"

# ------------------------------------------------------------------ kotlinc (npm)
if [ -x "$KOTLINC" ] && [ "$(cat "$KOTLIN_HOME/build.txt" 2>/dev/null)" = "$KOTLIN_VERSION" ]; then
  :
else
  log "npm kotlin-compiler@$KOTLIN_VERSION (~90 MB) -> $KOTLIN_HOME"
  tmp="$(mktemp -d)"
  ( cd "$tmp" && npm pack --silent "kotlin-compiler@$KOTLIN_VERSION" >/dev/null )
  tar -xzf "$tmp"/kotlin-compiler-*.tgz -C "$tmp"
  [ -f "$tmp/package/lib/kotlin-compiler.jar" ] || die "npm package has no lib/kotlin-compiler.jar"
  chmod +x "$tmp"/package/bin/*
  $SUDO mkdir -p "$(dirname "$KOTLIN_HOME")"
  # Atomic-ish: another clone may be installing the same version right now.
  $SUDO rm -rf "$KOTLIN_HOME.partial"
  $SUDO mv "$tmp/package" "$KOTLIN_HOME.partial"
  if [ -d "$KOTLIN_HOME" ]; then $SUDO rm -rf "$KOTLIN_HOME"; fi
  $SUDO mv "$KOTLIN_HOME.partial" "$KOTLIN_HOME"
  rm -rf "$tmp"
  did+=("kotlinc $KOTLIN_VERSION")
fi
[ -f "$KOTLIN_STDLIB" ] || die "kotlin-stdlib.jar missing in $KOTLIN_HOME/lib"

# ------------------------------------------------------------------ Python venv
if [ ! -x "$PY" ]; then
  log "python3 -m venv $VENV"
  python3 -m venv "$VENV"
  did+=("venv")
fi
stamp="$VENV/.passerelle-requirements"
wanted="$(cat "$REQUIREMENTS" "$(dirname "$REQUIREMENTS")/requirements-test.txt")"
if [ "$wanted" != "$(cat "$stamp" 2>/dev/null)" ]; then
  log "pip install -r scripts/requirements-dev.txt"
  "$PY" -m pip install -q --disable-pip-version-check -r "$REQUIREMENTS"
  printf '%s' "$wanted" > "$stamp"
  did+=("python requirements")
fi

# ------------------------------------------------------------------ cargo-fuzz
if [ "$want_fuzz" = 1 ]; then
  if ! cargo fuzz --version 2>/dev/null | grep -qx "cargo-fuzz $CARGO_FUZZ_VERSION"; then
    log "cargo install --locked cargo-fuzz $CARGO_FUZZ_VERSION (~2.5 min on 2 cores)"
    cargo install --locked --quiet cargo-fuzz --version "$CARGO_FUZZ_VERSION"
    did+=("cargo-fuzz $CARGO_FUZZ_VERSION")
  fi
fi

# ------------------------------------------------------------------ report
if [ "${#did[@]}" -eq 0 ]; then
  echo "toolchains: up to date (venv $VENV, kotlinc $KOTLIN_VERSION, jna, maven, cargo-fuzz$([ $want_fuzz = 1 ] || echo ' skipped'))"
else
  echo "toolchains: installed $(IFS=', '; echo "${did[*]}")"
fi
if [ "$print_env" = 1 ]; then
  printf 'VENV=%s\nPYTHON=%s\nKOTLIN_HOME=%s\nKOTLINC=%s\nKOTLIN_STDLIB=%s\nJNA_JAR=%s\nCARGO_FUZZ=%s\n' \
    "$VENV" "$PY" "$KOTLIN_HOME" "$KOTLINC" "$KOTLIN_STDLIB" "$JNA_JAR" \
    "$(command -v cargo-fuzz || echo 'not installed')"
fi
