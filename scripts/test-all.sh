#!/usr/bin/env bash
# The project's single test command (CI runs it through .ci/run on a fresh clone).
#
# Installs what is missing (scripts/install-toolchains.sh), then runs, in order, stopping at
# the first failure:
#   toolchains  install/check kotlinc, JNA, the Python venv, cargo-fuzz
#   fmt         cargo fmt --check (workspace and fuzz/)
#   clippy      cargo clippy --workspace --all-targets -- -D warnings
#   doc         cargo doc --workspace --no-deps with warnings as errors
#   test        cargo test --workspace
#   bench       every criterion benchmark runs once in test mode on a 10k directory
#   cdylib      build the release libpasserelle (cdylib) and the workspace's uniffi-bindgen
#   bindgen     generate Python / Kotlin / Swift bindings (library mode) into target/test-all/gen
#   wheel       maturin build --release the Python wheel, pip install it into the venv
#   pytest      pytest bindings/tests/python against the installed wheel
#   kotlin      kotlinc + run bindings/tests/kotlin/*.kt on the JVM with JNA
#   swift       tree-sitter syntax check, C header compiles (gcc), header symbols == cdylib
#               exports; compile + run bindings/tests/swift/*.swift only if swiftc exists
#   fuzz        build every target listed by `cargo fuzz list`, run each FUZZ_SECONDS (ASan)
#
# Each step's output goes to target/test-all/logs/<step>.log; the terminal gets one summary line
# per step, the log tail of a failing step, and a final table with results and durations.
#
# Usage: scripts/test-all.sh [--quick] [--skip a,b] [--only a,b] [--verbose] [--list]
#   --quick     skip `bench` and `fuzz` (local iteration; CI runs everything)
#   --skip/--only  by step name; later steps need earlier ones' outputs (e.g. `kotlin` needs
#               `cdylib` and `bindgen` to have run, in this or an earlier invocation)
#   --verbose   also stream every step's output to the terminal
# Env: FUZZ_SECONDS (default 30, per target), CARGO_TARGET_DIR, PASSERELLE_VENV, KOTLIN_HOME
# Needs bash >= 4 (macOS: brew bash).
set -euo pipefail

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$REPO"

ALL_STEPS=(toolchains fmt clippy doc test bench cdylib bindgen wheel pytest kotlin swift fuzz)
FUZZ_SECONDS="${FUZZ_SECONDS:-30}"
skip=() only=() verbose=0 quick=0
split() { local IFS=,; read -ra _out <<<"$1"; printf '%s\n' "${_out[@]}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; skip+=(bench fuzz) ;;
    --skip) mapfile -t -O "${#skip[@]}" skip < <(split "${2:?--skip needs a list}"); shift ;;
    --only) mapfile -t -O "${#only[@]}" only < <(split "${2:?--only needs a list}"); shift ;;
    -v|--verbose) verbose=1 ;;
    --list) printf '%s\n' "${ALL_STEPS[@]}"; exit 0 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "test-all: unknown argument: $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
for s in "${skip[@]}" "${only[@]}"; do
  [[ " ${ALL_STEPS[*]} " == *" $s "* ]] || { echo "test-all: unknown step '$s' (steps: ${ALL_STEPS[*]})" >&2; exit 2; }
done
[[ "$FUZZ_SECONDS" =~ ^[0-9]+$ ]] || { echo "test-all: FUZZ_SECONDS must be a whole number" >&2; exit 2; }

TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
case "$TARGET" in /*) ;; *) TARGET="$REPO/$TARGET" ;; esac
OUT="$TARGET/test-all"
LOGS="$OUT/logs"
GEN="$OUT/gen"
LIB="$TARGET/release/libpasserelle.$DYLIB_EXT"   # what apps ship; the wheel reuses its build
BINDGEN="$TARGET/debug/uniffi-bindgen"
mkdir -p "$LOGS"
export CARGO_TERM_COLOR=never   # logs are files; keep them readable
# A one-off build gains nothing from incremental caches and they double target/ (CI disk is small).
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

# ------------------------------------------------------------------ steps
# Each step runs with stdout+stderr in $STEP_LOG and prints its summary as `SUMMARY: ...`.

step_toolchains() {
  local args=()
  [[ " ${skip[*]} " == *" fuzz "* ]] && args+=(--no-fuzz)
  [ "${#only[@]}" -gt 0 ] && [[ " ${only[*]} " != *" fuzz "* ]] && args+=(--no-fuzz)
  "$REPO/scripts/install-toolchains.sh" "${args[@]}"
  echo "SUMMARY: $(tail -n1 "$STEP_LOG")"
}

step_fmt() {
  cargo fmt --all -- --check --color never
  cargo fmt --manifest-path fuzz/Cargo.toml --all -- --check --color never
  echo "SUMMARY: rustfmt clean (workspace + fuzz)"
}

step_clippy() {
  cargo clippy --locked --workspace --all-targets -- -D warnings
  echo "SUMMARY: clippy clean, $(grep -c '^ *Checking ' "$STEP_LOG" || true) crates checked, -D warnings"
}

step_doc() {
  RUSTDOCFLAGS="-D warnings" cargo doc --locked --workspace --no-deps
  echo "SUMMARY: cargo doc clean (workspace, -D warnings)"
}

step_test() {
  cargo test --locked --workspace
  awk '/^test result:/ { suites++; p += $4; f += $6; i += $8 }
       END { printf "SUMMARY: cargo test: %d passed, %d failed, %d ignored (%d suites)\n", p, f, i, suites }' \
    "$STEP_LOG"
}

step_bench() {
  # Smoke run: every criterion benchmark (and every peer) runs once, in test mode, on a 10k
  # directory, reusing the debug build of the `test` step. Timings come from `cargo bench`
  # (benches/RESULTS.md), never from CI.
  PASSERELLE_BENCH_SIZES=10k PASSERELLE_BENCH_ROUNDS=1 PASSERELLE_BENCH_REPORT=0 \
    RULES_BENCH_PEER_PROFILES=200 cargo test --locked -p passerelle-benches --benches
  local n; n="$(grep -c '^Success' "$STEP_LOG" || true)"
  [ "$n" -gt 0 ] || { echo "no benchmark ran"; return 1; }
  echo "SUMMARY: $n benchmarks ran once each in test mode (4 bench targets, 10k directory)"
}

step_cdylib() {
  # The bindgen is a dev build (maturin runs the same one); the library is the release
  # cdylib apps ship, so Kotlin/Swift test it and the release wheel reuses its dependencies.
  cargo build --locked -p passerelle-ffi --features cli --bin uniffi-bindgen
  cargo build --locked --release -p passerelle-ffi --lib
  [ -f "$LIB" ] || { echo "missing $LIB"; return 1; }
  echo "SUMMARY: ${LIB#"$REPO/"} ($(du -h "$LIB" | cut -f1)) + uniffi-bindgen $("$BINDGEN" --version | awk '{print $2}')"
}

step_bindgen() {
  rm -rf "$GEN"
  local lang
  for lang in python kotlin swift; do
    "$BINDGEN" generate --no-format --library "$LIB" --language "$lang" --out-dir "$GEN/$lang"
  done
  # uniffi.toml must have been picked up (Kotlin package, Swift module name).
  [ -f "$GEN/kotlin/org/passerelle/passerelle.kt" ] || { echo "Kotlin not in package org.passerelle: is bindings/uniffi.toml read?"; find "$GEN/kotlin"; return 1; }
  [ -f "$GEN/swift/Passerelle.swift" ] && [ -f "$GEN/swift/PasserelleFFI.h" ] \
    || { echo "Swift files not named after module Passerelle"; ls "$GEN/swift"; return 1; }
  echo "SUMMARY: $(for l in python kotlin swift; do printf '%s %s files, ' "$l" "$(find "$GEN/$l" -type f | wc -l)"; done | sed 's/, $//') in ${GEN#"$REPO/"}"
}

step_wheel() {
  local wheels="$OUT/wheels"
  rm -rf "$wheels"
  # A release wheel, as users get it: the Dask tests run 200 000 rows through it (a debug
  # build is ~10x slower). maturin runs the workspace's uniffi-bindgen itself.
  ( cd bindings && "$VENV/bin/maturin" build --release --locked -o "$wheels" )
  local whl
  whl="$(find "$wheels" -name 'passerelle-*.whl' | head -n1)"
  [ -n "$whl" ] || { echo "maturin produced no wheel"; return 1; }
  "$PY" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$whl"
  echo "SUMMARY: built and installed $(basename "$whl") into ${VENV#"$REPO/"}"
}

step_pytest() {
  # Run from the test dir so neither bindings/ nor bindings/python/ is on sys.path:
  # the tests must import the installed wheel (test_install.py checks).
  ( cd bindings/tests/python && "$PY" -m pytest -q -p no:cacheprovider )
  echo "SUMMARY: pytest: $(grep -E '^=* ?[0-9]+ (passed|failed)' "$STEP_LOG" | tail -n1 | tr -d '=' | sed 's/^ *//; s/ *$//' )"
}

step_kotlin() {
  local out="$OUT/kotlin" gen_kt
  rm -rf "$out"; mkdir -p "$out"
  mapfile -t gen_kt < <(find "$GEN/kotlin" -name '*.kt')
  "$KOTLINC" -nowarn "${gen_kt[@]}" bindings/tests/kotlin/*.kt -cp "$JNA_JAR" -d "$out/tests.jar"
  java -Djna.library.path="$(dirname "$LIB")" -cp "$out/tests.jar:$JNA_JAR:$KOTLIN_STDLIB" MainKt
  echo "SUMMARY: kotlin/JVM: $(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$STEP_LOG" | tail -n1)"
}

exported_symbols() {
  if [ "$DYLIB_EXT" = dylib ]; then nm -gU "$LIB" | awk '{print $3}' | sed 's/^_//'
  else nm -D --defined-only "$LIB" | awk '{print $3}'; fi
}

step_swift() {
  local dir="$GEN/swift" checker="$REPO/scripts/swift-syntax-check.py"
  # 1. The checker itself must still catch errors (guards against a vacuous check).
  printf 'func broken( {\n' >"$OUT/broken.swift"
  if "$PY" "$checker" "$OUT/broken.swift" >/dev/null; then echo "swift-syntax-check accepted broken Swift"; return 1; fi
  # 2. Generated Swift parses.
  "$PY" "$checker" "$dir"/*.swift
  # 3. The C header compiles (clang nullability attributes defined away for gcc).
  echo '#include "PasserelleFFI.h"' | gcc -fsyntax-only -Wall -Werror -x c -D_Nullable= -D_Nonnull= -I"$dir" -
  # 4. Every C function the Swift code calls is exported by the cdylib, and vice versa.
  local hdr lib
  hdr="$(grep -oE '\b(uniffi|ffi)_passerelle_[A-Za-z0-9_]+\(' "$dir/PasserelleFFI.h" | tr -d '(' | sort -u)"
  lib="$(exported_symbols | grep -E '^(uniffi|ffi)_passerelle_' | sort -u)"
  if [ "$hdr" != "$lib" ]; then
    echo "header symbols != cdylib exports:"; diff <(echo "$hdr") <(echo "$lib") || true; return 1
  fi
  local n_sym; n_sym="$(echo "$hdr" | wc -l)"
  # 5. Runtime tests where a Swift compiler exists.
  local run="swiftc not found: runtime tests skipped (static checks only)"
  if command -v swiftc >/dev/null 2>&1; then
    swiftc -module-name PasserelleSwiftTests -I "$dir" \
      -Xcc -fmodule-map-file="$dir/PasserelleFFI.modulemap" \
      -L "$(dirname "$LIB")" -lpasserelle \
      "$dir/Passerelle.swift" bindings/tests/swift/*.swift -o "$OUT/swift-tests"
    LD_LIBRARY_PATH="$(dirname "$LIB")" DYLD_LIBRARY_PATH="$(dirname "$LIB")" "$OUT/swift-tests"
    run="swiftc: $(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$STEP_LOG" | tail -n1)"
  else
    echo "SKIP: swiftc not found; generated Swift checked statically only"
  fi
  echo "SUMMARY: swift: syntax ok, header compiles, $n_sym FFI symbols match cdylib; $run"
}

step_fuzz() {
  export RUSTC_BOOTSTRAP=1   # cargo-fuzz's ASan build passes -Z flags; stable only otherwise
  cd fuzz
  cargo fetch --locked   # fuzz/Cargo.lock must be committed up to date, like the root one
  local targets t f
  mapfile -t targets < <(cargo fuzz list)
  [ "${#targets[@]}" -gt 0 ] || { echo "cargo fuzz list: no targets"; return 1; }
  for f in fuzz_targets/*.rs; do
    t="$(basename "$f" .rs)"
    if [[ " ${targets[*]} " != *" $t "* ]]; then
      printf '%s has no [[bin]] in fuzz/Cargo.toml; add:\n[[bin]]\nname = "%s"\npath = "%s"\ntest = false\ndoc = false\nbench = false\n' "$f" "$t" "$f"
      return 1
    fi
  done
  cargo fuzz build
  local stats=()
  for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    echo "=== fuzz $t for ${FUZZ_SECONDS}s"
    if ! cargo fuzz run "$t" -- -max_total_time="$FUZZ_SECONDS" 2>&1; then
      echo "fuzz target $t FAILED; reproduce with:"
      grep -oE 'artifacts/[^ ]+' "$STEP_LOG" | tail -n1 | sed "s|^|  RUSTC_BOOTSTRAP=1 cargo fuzz run $t fuzz/|"
      return 1
    fi
    stats+=("$t $(grep -oE '^Done [0-9]+ runs' "$STEP_LOG" | tail -n1 | awk '{print $2}') runs")
  done
  echo "SUMMARY: fuzz ${FUZZ_SECONDS}s each: $(IFS=';'; echo "${stats[*]}" | sed 's/;/; /g')"
}

# ------------------------------------------------------------------ runner
RESULTS=()
now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
fmt_secs() { awk -v s="$1" 'BEGIN { if (s >= 60) printf "%dm%02ds", s / 60, s % 60; else printf "%.1fs", s }'; }

print_table() {
  local row name res dur total=0
  echo
  printf '%-11s %-6s %9s\n' step result time
  printf '%-11s %-6s %9s\n' ----------- ------ ---------
  for row in "${RESULTS[@]}"; do
    IFS='|' read -r name res dur <<<"$row"
    printf '%-11s %-6s %9s\n' "$name" "$res" "$([ "$res" = skip ] && echo - || fmt_secs "$dur")"
    total="$(awk -v a="$total" -v b="$dur" 'BEGIN { print a + b }')"
  done
  printf '%-11s %-6s %9s\n' total "" "$(fmt_secs "$total")"
}

run_step() {
  local name="$1"
  if [[ " ${skip[*]} " == *" $name "* ]] || { [ "${#only[@]}" -gt 0 ] && [[ " ${only[*]} " != *" $name "* ]]; }; then
    RESULTS+=("$name|skip|0"); printf '%-11s skipped\n' "$name"; return 0
  fi
  export STEP_LOG="$LOGS/$name.log"
  : >"$STEP_LOG"
  local start rc=0 dur
  start="$(now)"
  # Not `( step ) || rc=$?`: bash ignores `set -e` inside anything tested by `||`/`if`, so a
  # failing command in the middle of a step would go unnoticed. Test the status afterwards.
  set +e
  if [ "$verbose" = 1 ]; then
    ( set -euo pipefail; "step_$name" ) 2>&1 | tee -a "$STEP_LOG"
    rc="${PIPESTATUS[0]}"
  else
    ( set -euo pipefail; "step_$name" ) >>"$STEP_LOG" 2>&1
    rc=$?
  fi
  set -e
  dur="$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')"
  if [ "$rc" -ne 0 ]; then
    RESULTS+=("$name|FAIL|$dur")
    printf '%-11s FAILED after %s (exit %d). Last 60 lines of %s:\n' "$name" "$(fmt_secs "$dur")" "$rc" "${STEP_LOG#"$REPO/"}" >&2
    tail -n 60 "$STEP_LOG" | sed 's/^/  | /' >&2
    print_table >&2
    printf '\ntest-all: FAILED at step "%s" (full log: %s)\n' "$name" "$STEP_LOG" >&2
    exit 1
  fi
  RESULTS+=("$name|ok|$dur")
  printf '%-11s ok %8s  %s\n' "$name" "$(fmt_secs "$dur")" \
    "$(grep '^SUMMARY: ' "$STEP_LOG" | tail -n1 | sed 's/^SUMMARY: //')"
}

echo "test-all: $REPO (logs in ${LOGS#"$REPO/"}/)"
for step in "${ALL_STEPS[@]}"; do run_step "$step"; done
print_table
echo
echo "test-all: all steps passed"
