//! Empty: the crate is the `uniffi-bindgen` binary (src/main.rs). The library target exists so
//! `passerelle-ffi` can name the crate as a (never built) path dependency, which puts it in the
//! Python sdist.
