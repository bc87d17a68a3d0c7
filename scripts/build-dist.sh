#!/usr/bin/env bash
# Builds what users install, on this Linux x86_64 machine, into target/dist/ (or $DIST_DIR):
#
#   wheel   wheels/passerelle-<ver>-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
#           maturin --release --zig --compatibility manylinux2014: zig (PyPI `ziglang`) links
#           against glibc 2.17 symbols, so the wheel installs on RHEL/CentOS 7+, Debian 9+,
#           Amazon Linux 2... `auditwheel show` must report manylinux_2_17.
#           The cdylib of this build (stripped, glibc 2.17) is also lib/libpasserelle.so.
#   sdist   sdist/passerelle-<ver>.tar.gz (maturin sdist: the workspace crates needed, no tests)
#   jar     jvm/passerelle-<ver>.jar + .pom: the Maven artifact org.passerelle:passerelle:<ver>
#           (bindings/jvm/pom.xml): Kotlin bindings (package org.passerelle) + the cdylib as the
#           JNA resource linux-x86-64/libpasserelle.so; the POM declares JNA and kotlin-stdlib
#           (not bundled: apps pick their versions). Built by Maven offline (Debian's plugins,
#           kotlinc through maven-antrun-plugin) and installed into the local repository
#           target/m2 ($PASSERELLE_M2_REPO), where examples/kotlin resolves it by coordinates.
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
# Maven without Maven Central: plugins and JNA from Debian's /usr/share/maven-repo (mirror in
# bindings/jvm/settings.xml), everything installed into this local repository.
M2_REPO="${PASSERELLE_M2_REPO:-$TARGET/m2}"
mvn_offline() { mvn -B -q -Dstyle.color=never -s "$REPO/bindings/jvm/settings.xml" -Dmaven.repo.local="$M2_REPO" "$@"; }

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
  local t0="${EPOCHREALTIME/,/.}" out="$DIST/jvm" work="$TARGET/dist-jvm" jar pom_version
  [ -f "$PORTABLE_LIB" ] || { echo "build-dist: run the wheel step first ($PORTABLE_LIB missing)" >&2; return 1; }
  command -v mvn >/dev/null || { echo "build-dist: mvn missing (scripts/install-toolchains.sh installs Debian's maven)" >&2; return 1; }
  pom_version="$(sed -n '0,/<version>/s|^  <version>\(.*\)</version>|\1|p' bindings/jvm/pom.xml)"
  [ "$pom_version" = "$VERSION" ] || { echo "build-dist: bindings/jvm/pom.xml version $pom_version != workspace $VERSION" >&2; return 1; }
  # The installed POM names kotlin-stdlib by this property: it must be the stdlib installed below.
  grep -q "<kotlin.version>$KOTLIN_VERSION</kotlin.version>" bindings/jvm/pom.xml || { echo "build-dist: bindings/jvm/pom.xml kotlin.version != KOTLIN_VERSION $KOTLIN_VERSION" >&2; return 1; }
  [ -x "$BINDGEN" ] || cargo build --locked --bin uniffi-bindgen
  rm -rf "$work" "$out"; mkdir -p "$work/gen" "$work/native" "$out"
  "$BINDGEN" generate --no-format --library "$SYMBOLS_LIB" --language kotlin --out-dir "$work/gen"
  cp "$PORTABLE_LIB" "$work/native/libpasserelle.so"
  # kotlin-stdlib is on no repository this machine reaches: the kotlinc distribution's jar goes
  # into the local repository under its real coordinates (what Maven Central serves elsewhere).
  mvn_offline install:install-file -Dfile="$KOTLIN_STDLIB" -DgroupId=org.jetbrains.kotlin \
    -DartifactId=kotlin-stdlib -Dversion="$KOTLIN_VERSION" -Dpackaging=jar -DgeneratePom=true
  mvn_offline -f bindings/jvm/pom.xml install -Dkotlinc="$KOTLINC" \
    -Dpasserelle.kotlin.sources="$work/gen" -Dpasserelle.native.dir="$work/native" \
    -Dpasserelle.build.dir="$work/maven"
  jar="$M2_REPO/org/passerelle/passerelle/$VERSION/passerelle-$VERSION.jar"
  jar --list --file "$jar" | grep -qx 'linux-x86-64/libpasserelle.so' || { echo "jar lacks the native library" >&2; return 1; }
  jar --list --file "$jar" | grep -qx 'org/passerelle/Navigator.class' || { echo "jar lacks org/passerelle/Navigator.class" >&2; return 1; }
  jar --list --file "$jar" | grep -qx 'META-INF/main.kotlin_module' || { echo "jar lacks META-INF/main.kotlin_module" >&2; return 1; }
  # The jar and its POM (dependencies: JNA, kotlin-stdlib), ready for `mvn install:install-file
  # -Dfile=... -DpomFile=...` or `deploy:deploy-file` into an app's repository.
  cp "$jar" "${jar%.jar}.pom" "$out/"
  log "jvm/$(basename "$jar") $(size_of "$jar") $(elapsed "$t0")s (org.passerelle:passerelle:$VERSION in $M2_REPO)"
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
