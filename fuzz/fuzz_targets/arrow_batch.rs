//! Arrow IPC query batches from a data team's tooling (`Navigator::search_arrow`, feature
//! `arrow`; the bindings' `Navigator.search_batch_arrow` calls it).
//!
//! Input: the IPC stream bytes themselves (seeded with a pyarrow stream of queries).
//!
//! Properties (beyond "never panics"): every input gives results or a typed batch error
//! (not an IPC stream, unknown column, wrong column type, no need column, too many rows),
//! never a failure to write the result; results are themselves a readable Arrow stream,
//! which read back as queries is refused, typed, or answered.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use passerelle::matching::arrow::ArrowBatchError;
use passerelle::matching::QueryInput;
use passerelle::{Directory, Error, Navigator, NavigatorOptions};

fn nav() -> &'static Navigator {
    static NAV: OnceLock<Navigator> = OnceLock::new();
    NAV.get_or_init(|| {
        Navigator::build(Directory::sample(), NavigatorOptions::sample())
            .expect("the sample builds")
            .0
    })
}

fn typed(e: &Error) -> bool {
    matches!(
        e,
        Error::Arrow(
            ArrowBatchError::NotIpc { .. }
                | ArrowBatchError::UnknownColumn { .. }
                | ArrowBatchError::ColumnType { .. }
                | ArrowBatchError::NoNeedColumn
                | ArrowBatchError::TooManyRows { .. }
        )
    )
}

fuzz_target!(|data: &[u8]| {
    let defaults = QueryInput {
        limit: 3,
        at_epoch_seconds: Some(1_760_968_800),
        ..QueryInput::default()
    };
    match nav().search_arrow(data, &defaults) {
        Ok(out) => {
            // what comes out goes back in as input and is refused as queries, typed
            if let Err(e) = nav().search_arrow(&out, &defaults) {
                assert!(typed(&e), "output read back: {e:?}");
            }
        }
        Err(e) => assert!(typed(&e), "{e:?}"),
    }
});
