#!/usr/bin/env bash
# Build PasserelleFFI.xcframework + the generated Swift source for Package.swift.
# macOS only (needs Xcode: xcodebuild, lipo). Not run by scripts/test-all.sh.
#
#   bindings/swift/build-xcframework.sh            # release, iOS device + simulator + macOS
#   PROFILE=debug bindings/swift/build-xcframework.sh
#
# Steps: build the staticlib for each Apple target, generate Swift + header + modulemap with the
# workspace's uniffi-bindgen (library mode, same uniffi version as the crate), merge simulator and
# macOS architectures with lipo, wrap everything with `xcodebuild -create-xcframework`.
set -euo pipefail
[ "$(uname -s)" = Darwin ] || { echo "build-xcframework.sh: macOS only (needs Xcode)" >&2; exit 1; }

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PROFILE="${PROFILE:-release}"
# Mobile builds leave out the default features (`arrow`, `gaps`, `sample`, `tzdb-bundle`; README
# "Mobile builds"). The host build that Swift is generated from uses the same features, so the
# Swift API matches the library. FEATURES="--features arrow,sample" (for instance) keeps some.
read -r -a FEATURES <<<"${FEATURES:---no-default-features}"
TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
OUT="$HERE"
TARGETS=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)
profile_flag=(); [ "$PROFILE" = release ] && profile_flag=(--release)

cd "$REPO"
rustup target add "${TARGETS[@]}" >/dev/null
for t in "${TARGETS[@]}"; do
  cargo build --locked -p passerelle-ffi --lib --target "$t" "${profile_flag[@]}" "${FEATURES[@]}"
done

# Generate Swift from a host build (the metadata is the same for every target).
cargo build --locked --bin uniffi-bindgen
cargo build --locked -p passerelle-ffi --lib "${profile_flag[@]}" "${FEATURES[@]}"
gen="$(mktemp -d)"
"$TARGET_DIR/debug/uniffi-bindgen" generate --no-format --language swift \
  --library "$TARGET_DIR/$PROFILE/libpasserelle.dylib" --out-dir "$gen"
mkdir -p "$OUT/Sources/Passerelle" "$gen/headers"
cp "$gen/Passerelle.swift" "$OUT/Sources/Passerelle/"
cp "$gen/PasserelleFFI.h" "$gen/headers/"
cp "$gen/PasserelleFFI.modulemap" "$gen/headers/module.modulemap"

lib() { echo "$TARGET_DIR/$1/$PROFILE/libpasserelle.a"; }
mkdir -p "$gen/ios-sim" "$gen/macos"
lipo -create "$(lib aarch64-apple-ios-sim)" "$(lib x86_64-apple-ios)" -output "$gen/ios-sim/libpasserelle.a"
lipo -create "$(lib aarch64-apple-darwin)" "$(lib x86_64-apple-darwin)" -output "$gen/macos/libpasserelle.a"

rm -rf "$OUT/PasserelleFFI.xcframework"
xcodebuild -create-xcframework \
  -library "$(lib aarch64-apple-ios)" -headers "$gen/headers" \
  -library "$gen/ios-sim/libpasserelle.a" -headers "$gen/headers" \
  -library "$gen/macos/libpasserelle.a" -headers "$gen/headers" \
  -output "$OUT/PasserelleFFI.xcframework"
rm -rf "$gen"
echo "built $OUT/PasserelleFFI.xcframework and $OUT/Sources/Passerelle/Passerelle.swift"
