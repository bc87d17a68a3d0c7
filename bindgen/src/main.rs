//! The workspace's `uniffi-bindgen`, built from the same uniffi version as the bindings.
//!
//! ```sh
//! cargo run --bin uniffi-bindgen -- \
//!     generate --no-format --library target/debug/libpasserelle.so --language kotlin --out-dir out
//! ```

fn main() {
    uniffi::uniffi_bindgen_main()
}
