#!/usr/bin/env bash
# Builds what users install, on this Linux x86_64 machine, into target/dist/ (or $DIST_DIR):
#
#   wheel   wheels/passerelle-<ver>-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
#           maturin --release --zig --compatibility manylinux2014: zig (PyPI `ziglang`) links
#           against glibc 2.17 symbols, so the wheel installs on RHEL/CentOS 7+, Debian 9+,
#           Amazon Linux 2... `auditwheel show` must report manylinux_2_17.
#           The cdylib of this build (stripped, glibc 2.17) is also lib/libpasserelle.so.
#   sdist   sdist/passerelle-<ver>.tar.gz (maturin sdist: the workspace crates needed, no tests)
#   jar     jvm/passerelle-<ver>.jar: Kotlin bindings (package org.passerelle) + the cdylib as
#           the JNA resource linux-x86-64/libpasserelle.so. Needs JNA and kotlin-stdlib at run
#           time (not bundled: apps pick their versions).
#   mobile  lib/mobile/libpasserelle.so: `--profile mobile --no-default-features` (no Arrow,
#           gap analysis, sample directory, bundled tzdb or regex DFA; LTO, opt-level z, 1 codegen unit,
#           packed relative relocations), what an Android AAR would ship per ABI.
#
# Usage: scripts/build-dist.sh [wheel] [sdist] [jar] [mobile]   (none given: all four, in order)
# The jar needs the wheel step's cdylib and the workspace's uniffi-bindgen (built if missing).
# Each step prints one line `dist: <artifact> <size> <seconds>s`.
# Other platforms (macOS, Windows, Linux aarch64) are built by .github/workflows/release.yml,
# which is not run on this machine.
set -euo pipefail

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$REPO"

TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
case "$TARGET" in /*) ;; *) TARGET="$REPO/$TARGET" ;; esac
DIST="${DIST_DIR:-$TARGET/dist}"
# The cdylib of the wheel, taken out of the wheel itself: what pip installs is what the jar and
# the Kotlin/Swift checks use.
PORTABLE_LIB="$DIST/lib/libpasserelle.so"
# The same library before stripping: uniffi-bindgen reads its UNIFFI_META symbols.
SYMBOLS_LIB="$DIST/lib/symbols/libpasserelle.so"
MOBILE_LIB="$TARGET/mobile/libpasserelle.so"
BINDGEN="$TARGET/debug/uniffi-bindgen"
VERSION="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)"
export PATH="$VENV/bin:$PATH"   # maturin, python-zig (the `ziglang` package), auditwheel

steps=("$@")
[ "${#steps[@]}" -gt 0 ] || steps=(wheel sdist jar mobile)

log() { printf 'dist: %s\n' "$*"; }
size_of() { du -h "$1" | cut -f1; }
elapsed() { awk -v a="$1" -v b="${EPOCHREALTIME/,/.}" 'BEGIN { printf "%.0f", b - a }'; }

build_wheel() {
  [ "$(uname -sm)" = "Linux x86_64" ] || { echo "build-dist: wheel step is for Linux x86_64 (other platforms: release workflow)" >&2; return 1; }
  local t0="${EPOCHREALTIME/,/.}" out="$DIST/wheels" whl tags
  rm -rf "$out"
  ( cd bindings && maturin build --release --locked --zig --compatibility manylinux2014 -o "$out" )
  whl="$(find "$out" -name "passerelle-$VERSION-*.whl" | head -n1)"
  [ -n "$whl" ] || { echo "maturin produced no wheel in $out" >&2; return 1; }
  # The cdylib was linked with its symbol table (uniffi-bindgen reads it; see Cargo.toml).
  # Keep that copy for generating bindings (lib/symbols/), ship it stripped (`strip
  # --strip-unneeded`: no debug info, no static symbol table; exports intact) and repack the
  # wheel with a new RECORD.
  mkdir -p "$DIST/lib/symbols"
  "$PY" - "$whl" "$SYMBOLS_LIB" <<'PYEOF'
import base64, hashlib, os, shutil, subprocess, sys, tempfile, zipfile
whl = sys.argv[1]
with zipfile.ZipFile(whl) as z:
    items = [(i, z.read(i.filename)) for i in z.infolist()]
libs = [i.filename for i, _ in items if i.filename.endswith("/libpasserelle.so")]
if len(libs) != 1:
    sys.exit(f"expected one libpasserelle.so in the wheel, found {libs}")
with tempfile.TemporaryDirectory() as d:
    so = os.path.join(d, "lib.so")
    with open(so, "wb") as f:
        f.write(dict((i.filename, b) for i, b in items)[libs[0]])
    shutil.copyfile(so, sys.argv[2])
    subprocess.run(["strip", "--strip-unneeded", so], check=True)
    with open(so, "rb") as f:
        stripped = f.read()
def digest(b):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(b).digest()).rstrip(b"=").decode()
tmp = whl + ".tmp"
with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
    for info, data in items:
        if info.filename == libs[0]:
            data = stripped
        elif info.filename.endswith(".dist-info/RECORD"):
            lines = []
            for line in data.decode().splitlines():
                path = line.split(",")[0]
                if path == libs[0]:
                    line = f"{path},{digest(stripped)},{len(stripped)}"
                lines.append(line)
            data = ("\n".join(lines) + "\n").encode()
        z.writestr(info, data)
os.replace(tmp, whl)
PYEOF
  # auditwheel reads the symbol versions the library needs: the tag must be glibc 2.17.
  tags="$(auditwheel show "$whl")"
  echo "$tags"
  if ! grep -q 'manylinux_2_17_x86_64' <<<"$tags" || ! grep -q 'is consistent with' <<<"$tags"; then
    echo "build-dist: $whl is not manylinux_2_17 (see auditwheel output above)" >&2; return 1
  fi
  mkdir -p "$DIST/lib"
  "$PY" - "$whl" "$PORTABLE_LIB" <<'PYEOF'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    libs = [n for n in z.namelist() if n.endswith("/libpasserelle.so")]
    if len(libs) != 1:
        sys.exit(f"expected one libpasserelle.so in the wheel, found {libs}")
    with z.open(libs[0]) as src, open(sys.argv[2], "wb") as dst:
        shutil.copyfileobj(src, dst)
PYEOF
  log "$(basename "$whl") $(size_of "$whl") $(elapsed "$t0")s"
  log "lib/libpasserelle.so $(size_of "$PORTABLE_LIB") (glibc >= 2.17, stripped)"
}

build_sdist() {
  local t0="${EPOCHREALTIME/,/.}" out="$DIST/sdist" sd
  rm -rf "$out"
  ( cd bindings && maturin sdist -o "$out" )
  sd="$(find "$out" -name "passerelle-$VERSION.tar.gz" | head -n1)"
  [ -n "$sd" ] || { echo "maturin produced no sdist in $out" >&2; return 1; }
  # The sdist must hold the Rust sources pip needs, and not the 10 MB of test directories.
  local files; files="$(tar -tzf "$sd")"
  grep -q '/core/src/lib.rs$' <<<"$files" || { echo "sdist lacks core/src/lib.rs" >&2; return 1; }
  # ... and the bindgen crate, a workspace member of the sdist: maturin runs it to generate the
  # Python module (without it a source install fails: "Failed to run uniffi-bindgen").
  grep -q '/bindgen/src/main.rs$' <<<"$files" || { echo "sdist lacks bindgen/src/main.rs" >&2; return 1; }
  tar -xzOf "$sd" "passerelle-$VERSION/Cargo.toml" | grep -q '"bindgen"' || { echo "sdist workspace does not list bindgen" >&2; return 1; }
  if grep -q '/tests/data/' <<<"$files"; then echo "sdist holds test data" >&2; return 1; fi
  log "$(basename "$sd") $(size_of "$sd") $(elapsed "$t0")s"
}

build_jar() {
  local t0="${EPOCHREALTIME/,/.}" out="$DIST/jvm" work="$TARGET/dist-jar" jar
  [ -f "$PORTABLE_LIB" ] || { echo "build-dist: run the wheel step first ($PORTABLE_LIB missing)" >&2; return 1; }
  [ -x "$BINDGEN" ] || cargo build --locked --bin uniffi-bindgen
  rm -rf "$work" "$out"; mkdir -p "$work/gen" "$work/classes/linux-x86-64" "$out"
  "$BINDGEN" generate --no-format --library "$SYMBOLS_LIB" --language kotlin --out-dir "$work/gen"
  local kt; mapfile -t kt < <(find "$work/gen" -name '*.kt')
  "$KOTLINC" -nowarn "${kt[@]}" -cp "$JNA_JAR" -d "$work/classes"
  # JNA looks up <os>-<arch>/lib<name>.so on the classpath when no system library is found.
  cp "$PORTABLE_LIB" "$work/classes/linux-x86-64/libpasserelle.so"
  cp LICENSE-MIT LICENSE-APACHE "$work/classes/"
  # kotlinc's META-INF/main.kotlin_module stays: Kotlin callers resolve top-level functions
  # (libraryVersion, localized ...) through it.
  [ -f "$work/classes/META-INF/main.kotlin_module" ] || { echo "kotlinc wrote no main.kotlin_module" >&2; return 1; }
  printf 'Manifest-Version: 1.0\nImplementation-Title: passerelle\nImplementation-Version: %s\nImplementation-Vendor: passerelle contributors\n' \
    "$VERSION" >"$work/MANIFEST.MF"
  jar="$out/passerelle-$VERSION.jar"
  ( cd "$work/classes" && jar --create --file "$jar" --manifest "$work/MANIFEST.MF" . )
  jar --list --file "$jar" | grep -qx 'linux-x86-64/libpasserelle.so' || { echo "jar lacks the native library" >&2; return 1; }
  jar --list --file "$jar" | grep -qx 'org/passerelle/Navigator.class' || { echo "jar lacks org/passerelle/Navigator.class" >&2; return 1; }
  log "jvm/$(basename "$jar") $(size_of "$jar") $(elapsed "$t0")s"
}

build_mobile() {
  local t0="${EPOCHREALTIME/,/.}" link=()
  # Relative relocations packed (RELR): ~17,000 pointer fix-ups take 4 KB instead of 390 KB of
  # `.rela.dyn`. Loads with glibc >= 2.36 and Android API >= 30 (API 23-29: the Android recipe
  # packs with `--pack-dyn-relocs=android`; bindings/README.md); Mach-O (iOS) packs its own.
  # A link argument of the final library only: `cargo rustc` passes it to passerelle-ffi alone.
  # Identical code folding (`--icf=all`, LLD, the linker of Rust on Linux and of the Android
  # NDK): generic instances that compiled to the same bytes are kept once, 71 KB less. Rust gives
  # no guarantee that distinct functions have distinct addresses, so nothing may rely on it.
  [ "$(uname -s)" = Linux ] && link=(-C link-arg=-Wl,-z,pack-relative-relocs -C link-arg=-Wl,--icf=all)
  cargo rustc --locked -p passerelle-ffi --lib --profile mobile --no-default-features -- ${link[@]+"${link[@]}"}
  mkdir -p "$DIST/lib/mobile"
  # As shipped in an app: exports kept, static symbol table dropped (the Android NDK's and
  # Xcode's packaging steps strip the same way).
  strip --strip-unneeded -o "$DIST/lib/mobile/libpasserelle.so" "$MOBILE_LIB"
  log "lib/mobile/libpasserelle.so $(size_of "$DIST/lib/mobile/libpasserelle.so") $(elapsed "$t0")s"
}

for s in "${steps[@]}"; do
  case "$s" in
    wheel) build_wheel ;;
    sdist) build_sdist ;;
    jar) build_jar ;;
    mobile) build_mobile ;;
    *) echo "build-dist: unknown step '$s' (wheel sdist jar mobile)" >&2; exit 2 ;;
  esac
done
