//! Benchmark support: synthetic directory generator and peers.
