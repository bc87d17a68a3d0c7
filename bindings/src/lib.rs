//! uniffi bindings for passerelle (filled by the bindings issue).
