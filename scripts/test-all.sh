#!/usr/bin/env bash
# The project's single test command (CI runs it through .ci/run on a fresh clone).
#
# Installs what is missing (scripts/install-toolchains.sh), then runs, in order, stopping at
# the first failure:
#   toolchains  install/check kotlinc, JNA, the Python venv, cargo-fuzz
#   fmt         cargo fmt --check (workspace and fuzz/)
#   clippy      cargo clippy --workspace --all-targets -- -D warnings (incompatible_msrv included),
#               and no dependency declaring a newer rust-version than its user (scripts/lib/rust_versions.py)
#   doc         cargo doc --workspace --no-deps with warnings as errors
#   test        cargo test --workspace
#   bench       every criterion benchmark runs once in test mode on a 10k directory
#   cdylib      the workspace's uniffi-bindgen, then scripts/build-dist.sh wheel: the portable
#               manylinux2014 wheel (maturin --zig) whose stripped cdylib everything else tests
#   size        print artifact sizes, build the `mobile` library; fail past the budgets
#               (cdylib default features <= 10 MB, mobile <= 4 MB); load the mobile library;
#               the phone_build test without default features; Python generated from the
#               mobile library run against it (bindings/tests/mobile/check_mobile.py)
#   bindgen     generate Python / Kotlin / Swift bindings (library mode) into target/test-all/gen
#   wheel       sdist; install the wheel into a fresh venv (timed, smoke run) with the test tools
#   pytest      pytest bindings/tests/python against the installed wheel
#   mypy        mypy --strict-ish check of the stubs against the Python tests and examples
#   kotlin      kotlinc + run bindings/tests/kotlin/*.kt on the JVM with JNA
#   jvm         scripts/build-dist.sh jar (Maven artifact org.passerelle:passerelle, offline);
#               examples/kotlin depends on it by coordinates: `mvn package` (Debian's repo only) builds and runs it
#   package     cargo package -p passerelle (what crates.io would get builds on its own)
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

ALL_STEPS=(toolchains fmt clippy doc test bench cdylib size bindgen wheel pytest mypy kotlin jvm swift package fuzz)
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
# What apps ship. Linux x86_64: the cdylib inside the portable wheel (maturin --zig, glibc
# 2.17; scripts/build-dist.sh takes it out), so the wheel, the jar and the Kotlin/Swift checks
# all use one build.
DIST="${DIST_DIR:-$TARGET/dist}"
if [ "$(uname -sm)" = "Linux x86_64" ]; then
  LIB="$DIST/lib/libpasserelle.so"
  GEN_LIB="$DIST/lib/symbols/libpasserelle.so"   # unstripped copy: uniffi-bindgen reads symbols
else
  LIB="$TARGET/release/libpasserelle.$DYLIB_EXT"
  GEN_LIB="$LIB"
fi
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
  # `incompatible_msrv` (std APIs newer than a crate's rust-version) is on under -D warnings;
  # dependencies' own rust-version fields are checked against their users' below.
  cargo clippy --locked --workspace --all-targets -- -D warnings
  cargo metadata --locked --format-version 1 | python3 "$REPO/scripts/lib/rust_versions.py"
  echo "SUMMARY: clippy clean, $(grep -c '^ *Checking ' "$STEP_LOG" || true) crates checked, -D warnings; $(tail -n1 "$STEP_LOG")"
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
  echo "SUMMARY: $n benchmarks ran once each in test mode (5 bench targets, 10k directory)"
}

step_cdylib() {
  # The bindgen (crate `bindgen/`: uniffi's cli, none of the engine) is a dev build; maturin
  # runs the same one. The library is the release cdylib of the portable wheel: the engine is
  # compiled once, in release. Built as maturin runs it (`--bin`, from the workspace root), so
  # maturin finds it fresh.
  cargo build --locked --bin uniffi-bindgen
  if [ "$(uname -sm)" = "Linux x86_64" ]; then
    "$REPO/scripts/build-dist.sh" wheel
  else
    cargo build --locked --release -p passerelle-ffi --lib
  fi
  [ -f "$LIB" ] || { echo "missing $LIB"; return 1; }
  echo "SUMMARY: ${LIB#"$REPO/"} ($(du -h "$LIB" | cut -f1)) + uniffi-bindgen $("$BINDGEN" --version | awk '{print $2}')"
}

# Size budgets (bytes, decimal MB), the issue's targets: the library apps ship must stay small,
# phones count megabytes (benches/RESULTS.md "Library size").
SIZE_BUDGET_DEFAULT=10000000
SIZE_BUDGET_MOBILE=4000000

step_size() {
  "$REPO/scripts/build-dist.sh" mobile
  local mobile="$DIST/lib/mobile/libpasserelle.$DYLIB_EXT" over=0 f budget n
  printf '%-62s %12s %12s\n' artifact bytes budget
  for f in "$LIB" "$mobile" "$DIST"/wheels/*.whl; do
    [ -f "$f" ] || continue
    case "$f" in
      "$LIB") budget=$SIZE_BUDGET_DEFAULT ;;
      "$mobile") budget=$SIZE_BUDGET_MOBILE ;;
      *) budget=$SIZE_BUDGET_DEFAULT ;;
    esac
    n="$(stat -c %s "$f" 2>/dev/null || stat -f %z "$f")"
    printf '%-62s %12d %12d\n' "${f#"$REPO/"}" "$n" "$budget"
    [ "$n" -le "$budget" ] || { echo "OVER BUDGET: $f"; over=1; }
  done
  [ "$over" = 0 ] || return 1
  # The packed library loads (its uniffi contract version answers), and what a phone build keeps
  # works without the default features (real feed, system time-zone database, snapshot).
  [ "$(uname -s)" != Linux ] || "$PY" -c 'import ctypes, sys; print("mobile library loads, uniffi contract", ctypes.CDLL(sys.argv[1]).ffi_passerelle_uniffi_contract_version())' "$mobile"
  cargo test --locked -p passerelle --no-default-features --test phone_build
  # Python generated from the mobile library itself, run against it (real feed, snapshot).
  local mob_py="$OUT/mobile-py"
  rm -rf "$mob_py"
  "$BINDGEN" generate --library "$TARGET/mobile/libpasserelle.$DYLIB_EXT" --language python --out-dir "$mob_py"
  cp "$mobile" "$mob_py/"
  PYTHONPATH="$mob_py" "$PY" bindings/tests/mobile/check_mobile.py core/tests/data/hsds/smc-ohana-full
  echo "SUMMARY: cdylib $(stat -c %s "$LIB") B (budget $SIZE_BUDGET_DEFAULT), mobile $(stat -c %s "$mobile") B (budget $SIZE_BUDGET_MOBILE)"
}

step_bindgen() {
  rm -rf "$GEN"
  local lang
  for lang in python kotlin swift; do
    "$BINDGEN" generate --no-format --library "$GEN_LIB" --language "$lang" --out-dir "$GEN/$lang"
  done
  # uniffi.toml must have been picked up (Kotlin package, Swift module name).
  [ -f "$GEN/kotlin/org/passerelle/passerelle.kt" ] || { echo "Kotlin not in package org.passerelle: is bindings/uniffi.toml read?"; find "$GEN/kotlin"; return 1; }
  [ -f "$GEN/swift/Passerelle.swift" ] && [ -f "$GEN/swift/PasserelleFFI.h" ] \
    || { echo "Swift files not named after module Passerelle"; ls "$GEN/swift"; return 1; }
  echo "SUMMARY: $(for l in python kotlin swift; do printf '%s %s files, ' "$l" "$(find "$GEN/$l" -type f | wc -l)"; done | sed 's/, $//') in ${GEN#"$REPO/"}"
}

step_wheel() {
  # The wheel was built by the cdylib step (scripts/build-dist.sh wheel); this is the one
  # users install. Also the sdist, then: a fresh venv with nothing but the wheel (timed).
  "$REPO/scripts/build-dist.sh" sdist
  local whl fresh="$OUT/fresh-venv" t0 secs
  whl="$(find "$DIST/wheels" -name 'passerelle-*.whl' | head -n1)"
  [ -n "$whl" ] || { echo "no wheel in $DIST/wheels: run the cdylib step"; return 1; }
  rm -rf "$fresh"
  python3 -m venv "$fresh"
  t0="$(now)"
  "$fresh/bin/python" -m pip install -q --disable-pip-version-check --no-index "$whl"
  secs="$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')"
  ( cd "$OUT" && "$fresh/bin/python" -m passerelle --version && "$fresh/bin/python" -m passerelle search \
      --need "food bank" --lat 45.4292 --lon -75.6920 --limit 1 )
  # The Python tests and mypy run in this venv (steps pytest, mypy): only the wheel and the
  # test tools (scripts/requirements-test.txt, from pip's cache after the toolchains step).
  "$fresh/bin/python" -m pip install -q --disable-pip-version-check -r scripts/requirements-test.txt
  "$PY" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$whl"
  echo "SUMMARY: $(basename "$whl"): fresh venv install ${secs}s, python -m passerelle ok, test tools added; also installed into ${VENV#"$REPO/"}"
}

# The venv the Python tests run in: the wheel step's fresh one.
fresh_python() {
  FRESH_PY="$OUT/fresh-venv/bin/python"
  [ -x "$FRESH_PY" ] || { echo "no fresh venv at ${OUT#"$REPO/"}/fresh-venv: run the wheel step"; return 1; }
}

step_pytest() {
  # Run from the test dir so neither bindings/ nor bindings/python/ is on sys.path:
  # the tests must import the installed wheel (test_install.py checks).
  fresh_python || return 1
  ( cd bindings/tests/python && PASSERELLE_TEST_VENV="$OUT/fresh-venv" "$FRESH_PY" -m pytest -q -p no:cacheprovider )
  echo "SUMMARY: pytest: $(grep -E '^=* ?[0-9]+ (passed|failed)' "$STEP_LOG" | tail -n1 | tr -d '=' | sed 's/^ *//; s/ *$//' )"
}

step_mypy() {
  # The stubs (passerelle/*.pyi, py.typed) shipped in the wheel, checked against the tests and
  # examples as callers write them; config in bindings/tests/python/mypy.ini.
  fresh_python || return 1
  ( cd bindings/tests/python && "$FRESH_PY" -m mypy --config-file mypy.ini . ../../../examples/python )
  echo "SUMMARY: $(grep -E '^Success|^Found' "$STEP_LOG" | tail -n1)"
}

step_kotlin() {
  local out="$OUT/kotlin" gen_kt
  rm -rf "$out"; mkdir -p "$out"
  mapfile -t gen_kt < <(find "$GEN/kotlin" -name '*.kt')
  "$KOTLINC" -nowarn "${gen_kt[@]}" bindings/tests/kotlin/*.kt -cp "$JNA_JAR" -d "$out/tests.jar"
  java -Djna.library.path="$(dirname "$LIB")" -cp "$out/tests.jar:$JNA_JAR:$KOTLIN_STDLIB" MainKt
  echo "SUMMARY: kotlin/JVM: $(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$STEP_LOG" | tail -n1)"
}

step_jvm() {
  # The Maven artifact org.passerelle:passerelle (scripts/build-dist.sh jar), then the example
  # app examples/kotlin, which names it only by coordinates: `mvn package` resolves the jar, JNA
  # and kotlin-stdlib from the local repository (plugins: Debian's, through settings.xml; no
  # network), compiles the Kotlin and Java mains, packages and runs both (no jna.library.path:
  # JNA must find linux-x86-64/libpasserelle.so inside the jar). Bounded by timeouts.
  local m2="${PASSERELLE_M2_REPO:-$TARGET/m2}" version
  version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)"
  timeout 600 "$REPO/scripts/build-dist.sh" jar
  timeout 300 mvn -B -Dstyle.color=never -s bindings/jvm/settings.xml -Dmaven.repo.local="$m2" -f examples/kotlin/pom.xml \
    package -Dkotlinc="$KOTLINC" -Dpasserelle.version="$version" -Dexample.build.dir="$OUT/jvm-example"
  # antrun prefixes the apps' lines with `[java] `.
  grep -qE "\[java\] version ${version//./\\.}\$" "$STEP_LOG" || { echo "the Kotlin example did not print 'version $version'"; return 1; }
  grep -qE "\[java\] java version ${version//./\\.}\$" "$STEP_LOG" || { echo "the Java example did not print 'java version $version'"; return 1; }
  echo "SUMMARY: org.passerelle:passerelle:$version ($(du -h "$DIST/jvm/passerelle-$version.jar" | cut -f1)); examples/kotlin by coordinates (mvn package): Kotlin $(grep -cE '\[java\] [0-9]+\. ' "$STEP_LOG") matches, Java $(grep -cE '\[java\] java [0-9]+\. ' "$STEP_LOG") matches, version $version"
}

step_package() {
  # What crates.io would receive: packaged, then built on its own from the .crate.
  cargo package --locked -p passerelle --allow-dirty
  local crate; crate="$(find "$TARGET/package" -maxdepth 1 -name 'passerelle-[0-9]*.crate' | sort | tail -n1)"
  echo "SUMMARY: $(basename "$crate") ($(du -h "$crate" | cut -f1), $(tar -tzf "$crate" | wc -l) files) builds from the package"
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
  # 5. Records carrying a resident's situation print through Rust's redacted Display/Debug
  #    (`description`/`debugDescription`), never Swift's field-by-field reflection.
  local t
  for t in SearchQuery NeedInput FactValue BatchOptions; do
    grep -qE "^public (struct|enum) $t\b.*CustomDebugStringConvertible, CustomStringConvertible" "$dir/Passerelle.swift" \
      || { echo "Swift $t does not print through the redacted Rust Display/Debug"; return 1; }
  done
  # 6. Runtime tests where a Swift compiler exists.
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
  echo "SUMMARY: swift: syntax ok, header compiles, $n_sym FFI symbols match cdylib, resident records print redacted; $run"
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
  # (colour codes stripped: Maven's output can leave one in front of the step's summary line)
  printf '%-11s ok %8s  %s\n' "$name" "$(fmt_secs "$dur")" \
    "$(sed 's/\x1b\[[0-9;]*m//g' "$STEP_LOG" | grep '^SUMMARY: ' | tail -n1 | sed 's/^SUMMARY: //')"
}

echo "test-all: $REPO (logs in ${LOGS#"$REPO/"}/)"
for step in "${ALL_STEPS[@]}"; do run_step "$step"; done
print_table
echo
echo "test-all: all steps passed"
