//! Arrow IPC query batches from a data team's tooling (`Navigator.search_batch_arrow`).
//!
//! Input: the IPC stream bytes themselves (seeded with a pyarrow stream of queries).
//!
//! Properties (beyond "never panics"): every input gives results or a typed input error
//! (`InvalidInput`, `LimitExceeded`), never `Internal` (which is what a panic caught by the
//! bindings' guard becomes); results are themselves a readable Arrow stream.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use passerelle_ffi::{BatchOptions, Navigator, PasserelleError};

fn nav() -> &'static Arc<Navigator> {
    static NAV: OnceLock<Arc<Navigator>> = OnceLock::new();
    NAV.get_or_init(|| Navigator::sample().expect("the sample loads"))
}

fuzz_target!(|data: &[u8]| {
    let options = BatchOptions {
        limit: 3,
        at_epoch_seconds: Some(1_760_968_800),
        ..BatchOptions::default()
    };
    match nav().search_batch_arrow(data.to_vec(), options.clone()) {
        Ok(out) => {
            // what comes out goes back in as input and is refused as queries, typed
            match nav().search_batch_arrow(out, options) {
                Ok(_)
                | Err(PasserelleError::InvalidInput { .. })
                | Err(PasserelleError::LimitExceeded { .. }) => {}
                Err(e) => panic!("output read back: {e:?}"),
            }
        }
        Err(PasserelleError::InvalidInput { .. }) | Err(PasserelleError::LimitExceeded { .. }) => {}
        Err(e) => panic!("{e:?}"),
    }
});
