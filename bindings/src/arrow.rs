//! The columnar batch search (core's `passerelle::matching::arrow`, feature `arrow`, on by
//! default; mobile builds turn it off): its options record and the method.
//!
//! One call carries any number of queries: per-record FFI costs (~5 µs to lift a record in
//! Python) disappear, and pyarrow reads the result without copying into pandas, Polars or Dask.

use passerelle::matching::QueryInput;

use crate::error::guard;
use crate::matching::{Delivery, Navigator, Travel};
use crate::PasserelleError;

/// Most input rows (queries) in one `search_batch_arrow` call.
pub use passerelle::matching::arrow::MAX_ARROW_ROWS;

/// Options applied to every query of a `search_batch_arrow` call.
#[derive(Clone, PartialEq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct BatchOptions {
    /// Results per need, 1 to 100 (larger values are capped; 0 is an error).
    #[uniffi(default = 5)]
    pub limit: u32,
    /// Farthest in-person service in kilometres when a row has no `radius_km` (default 10).
    #[uniffi(default)]
    pub max_distance_km: Option<f64>,
    /// How residents can receive services (default `RemoteAcceptable`).
    #[uniffi(default)]
    pub delivery: Option<Delivery>,
    /// How residents travel (default `Transit`).
    #[uniffi(default)]
    pub travel: Option<Travel>,
    /// Languages residents speak, when a row has no `languages` column value.
    #[uniffi(default)]
    pub languages: Vec<String>,
    /// Also return services residents are ineligible for.
    #[uniffi(default)]
    pub include_ineligible: bool,
    /// Leave out services closed at the search instant.
    #[uniffi(default)]
    pub open_now: bool,
    /// Only free services.
    #[uniffi(default)]
    pub free_only: bool,
    /// The search instant for the whole batch (Unix seconds); default now.
    #[uniffi(default)]
    pub at_epoch_seconds: Option<i64>,
}

/// The same defaults as the foreign languages get (`limit` 5, everything else unset), for
/// Rust callers of the crate.
impl Default for BatchOptions {
    fn default() -> Self {
        Self {
            limit: 5,
            max_distance_km: None,
            delivery: None,
            travel: None,
            languages: vec![],
            include_ineligible: false,
            open_now: false,
            free_only: false,
            at_epoch_seconds: None,
        }
    }
}

impl BatchOptions {
    /// Core's batch defaults (field for field).
    fn into_input(self) -> QueryInput {
        QueryInput {
            limit: self.limit,
            max_distance_km: self.max_distance_km,
            delivery: self.delivery.map(Into::into),
            travel: self.travel.map(Into::into),
            languages: self.languages,
            include_ineligible: self.include_ineligible,
            open_now: self.open_now,
            free_only: self.free_only,
            at_epoch_seconds: self.at_epoch_seconds,
            ..QueryInput::default()
        }
    }
}

#[uniffi::export]
impl Navigator {
    /// Runs many searches in one call, columnar: queries in and results out as Apache Arrow
    /// IPC **stream** bytes (pyarrow: `pa.ipc.new_stream` / `pa.ipc.open_stream`). Python
    /// callers use `passerelle.search_batch(navigator, dataframe)`.
    ///
    /// Input columns (one row per query; only a need column is required):
    /// `id` (any type, copied to the output), `need_text` (text, or a list of texts for
    /// several needs), `need_terms` (term codes separated by commas or spaces), `lat`, `lon`
    /// (degrees), `radius_km`, `languages` (codes separated by commas), `facts_json` (a JSON
    /// object of facts), and any fact name of the catalogue as its own column (`age`,
    /// `household_size`, `household_income`, `disability`, `province`, `population` …;
    /// numbers, booleans, text or lists of text). Nulls are unknown. Any other column is an
    /// `InvalidInput` error naming it.
    ///
    /// Output: one row per match, columns `query_index` (input row, from 0), `need_id` (the
    /// input's `id`, when given), `need_index`, `rank`, `service_id`, `service_at_location_id`,
    /// `location_id`, `service_name`, `phone` (the first number to call, with its extension),
    /// `address` (the location's, on one line), `distance_m`, `via`, `eligibility`
    /// (`eligible`/`unknown`/`ineligible`), `missing_facts` (a list of text), `open_now`,
    /// `score`, `total`, `crisis`, `reason` (why a need has no match), `error`. A need
    /// without results gives one row with `rank` null and `reason` set; a row that is not a valid query gives one row with `error` set
    /// (the batch goes on). All queries run on one directory snapshot, at one instant.
    ///
    /// Errors: `InvalidInput` (not an Arrow stream, unknown column, wrong column type),
    /// `LimitExceeded` (`limit` 0, more than 2 000 000 rows).
    pub fn search_batch_arrow(
        &self,
        queries_ipc: Vec<u8>,
        options: BatchOptions,
    ) -> Result<Vec<u8>, PasserelleError> {
        guard("Navigator.search_batch_arrow", || {
            Ok(self
                .snapshot()
                .search_arrow(&queries_ipc, &options.into_input())?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Core's batch errors keep their FFI variants (the batch itself is tested in core).
    #[test]
    fn batch_errors_map_to_their_variants() {
        let nav = Navigator::sample().unwrap();
        let e = nav
            .search_batch_arrow(b"nope".to_vec(), BatchOptions::default())
            .unwrap_err();
        assert!(
            matches!(&e, PasserelleError::InvalidInput { reason } if reason.contains("Arrow IPC")),
            "{e:?}"
        );
        let zero = BatchOptions {
            limit: 0,
            ..BatchOptions::default()
        };
        assert!(matches!(
            nav.search_batch_arrow(b"nope".to_vec(), zero),
            Err(PasserelleError::LimitExceeded { .. })
        ));
    }
}
