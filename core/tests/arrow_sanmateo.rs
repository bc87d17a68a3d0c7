//! The Arrow batch path (feature `arrow`) on the full San Mateo County feed
//! (`smc-ohana-full`): a batch answers each row as a single search does, row errors stay in
//! their row, and malformed streams are typed errors, never a panic.
#![cfg(feature = "arrow")]

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt32Type};
use arrow_array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_ipc::reader::StreamReader;
use arrow_ipc::writer::StreamWriter;
use passerelle::matching::arrow::{ArrowBatchError, QueryBatch};
use passerelle::matching::{NeedInput, QueryInput, ResultRow};
use passerelle::rules::FactValue;
use passerelle::{import_path, Error, ImportOptions, Navigator, NavigatorOptions};

const SAN_MATEO: (f64, f64) = (37.5630, -122.3255);
const REDWOOD_CITY: (f64, f64) = (37.4852, -122.2364);
/// Wednesday 2026-11-18 12:00 in San Mateo County.
const AT: i64 = 1_795_032_000;

fn nav() -> &'static Navigator {
    static NAV: OnceLock<Navigator> = OnceLock::new();
    NAV.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/hsds/smc-ohana-full");
        let imported = import_path(dir, &ImportOptions::default()).unwrap();
        Navigator::build(imported.directory, NavigatorOptions::default())
            .unwrap()
            .0
    })
}

fn defaults() -> QueryInput {
    QueryInput {
        limit: 4,
        at_epoch_seconds: Some(AT),
        ..QueryInput::default()
    }
}

const NEEDS: [Option<&str>; 6] = [
    Some("food pantry"),
    Some("counseling"),
    Some("emergency shelter"),
    Some("zzqx wug"),
    None,
    Some("legal aid"),
];

/// Six rows: four needs near two towns (one with an age, one with facts as JSON), a need
/// nobody understands, and a row without need (an error row).
fn queries() -> RecordBatch {
    let n = NEEDS.len();
    let (lat, lon): (Vec<f64>, Vec<f64>) = (0..n)
        .map(|i| {
            if i.is_multiple_of(2) {
                SAN_MATEO
            } else {
                REDWOOD_CITY
            }
        })
        .unzip();
    RecordBatch::try_from_iter(vec![
        (
            "id",
            Arc::new(StringArray::from_iter_values(
                (0..n).map(|i| format!("q{i}")),
            )) as ArrayRef,
        ),
        (
            "need_text",
            Arc::new(StringArray::from(NEEDS.to_vec())) as ArrayRef,
        ),
        ("lat", Arc::new(Float64Array::from(lat)) as ArrayRef),
        ("lon", Arc::new(Float64Array::from(lon)) as ArrayRef),
        (
            "radius_km",
            Arc::new(Float64Array::from(vec![8.0; n])) as ArrayRef,
        ),
        (
            "age",
            Arc::new(Int64Array::from(vec![
                Some(70),
                None,
                Some(30),
                None,
                None,
                None,
            ])) as ArrayRef,
        ),
        (
            "facts_json",
            Arc::new(StringArray::from(vec![
                None,
                Some(r#"{"age": 66, "province": null}"#),
                None,
                None,
                None,
                None,
            ])) as ArrayRef,
        ),
    ])
    .unwrap()
}

fn ipc(batch: &RecordBatch) -> Vec<u8> {
    let mut w = StreamWriter::try_new(Vec::new(), &batch.schema()).unwrap();
    w.write(batch).unwrap();
    w.into_inner().unwrap()
}

fn read(bytes: &[u8]) -> RecordBatch {
    let reader = StreamReader::try_new(std::io::Cursor::new(bytes), None).unwrap();
    let schema = reader.schema();
    let batches: Vec<RecordBatch> = reader.collect::<Result<_, _>>().unwrap();
    arrow_select::concat::concat_batches(&schema, &batches).unwrap()
}

/// The single search of row `i`, as a plain-data query.
fn single(i: usize) -> Vec<ResultRow> {
    let mut facts = std::collections::BTreeMap::new();
    match i {
        0 => {
            facts.insert("age".to_owned(), FactValue::Number(70.0));
        }
        1 => {
            facts.insert("age".to_owned(), FactValue::Number(66.0));
        }
        2 => {
            facts.insert("age".to_owned(), FactValue::Number(30.0));
        }
        _ => {}
    }
    let (lat, lon) = if i.is_multiple_of(2) {
        SAN_MATEO
    } else {
        REDWOOD_CITY
    };
    let q = QueryInput {
        needs: vec![NeedInput {
            text: NEEDS[i].map(str::to_owned),
            terms: vec![],
        }],
        lat: Some(lat),
        lon: Some(lon),
        max_distance_km: Some(8.0),
        facts,
        ..defaults()
    }
    .to_query(nav().catalog())
    .unwrap();
    nav().search(&q).unwrap().rows()
}

#[test]
fn a_batch_answers_each_row_as_its_single_search() {
    let out = read(&nav().search_arrow(&ipc(&queries()), &defaults()).unwrap());
    let col = |name: &str| out.column_by_name(name).unwrap().clone();
    let query = col("query_index");
    let query = query.as_primitive::<UInt32Type>();
    let (ids, sid, sal, err, elig, reason, via) = (
        col("need_id"),
        col("service_id"),
        col("service_at_location_id"),
        col("error"),
        col("eligibility"),
        col("reason"),
        col("via"),
    );
    let (rank, score, dist) = (col("rank"), col("score"), col("distance_m"));
    let missing = col("missing_facts");
    let missing = missing.as_list::<i32>();
    let text =
        |a: &ArrayRef, r: usize| (!a.is_null(r)).then(|| a.as_string::<i32>().value(r).to_owned());
    let mut matched = 0;
    for i in [0usize, 1, 2, 3, 5] {
        let rows: Vec<usize> = (0..out.num_rows())
            .filter(|&r| query.value(r) as usize == i)
            .collect();
        let expected = single(i);
        assert_eq!(rows.len(), expected.len(), "row {i}");
        for (&r, e) in rows.iter().zip(&expected) {
            assert_eq!(text(&ids, r).as_deref(), Some(format!("q{i}").as_str()));
            assert_eq!(text(&sid, r), e.service_id, "row {i}");
            assert_eq!(text(&sal, r), e.service_at_location_id, "row {i}");
            assert_eq!(text(&elig, r).as_deref(), e.eligibility, "row {i}");
            assert_eq!(text(&via, r).as_deref(), e.via, "row {i}");
            assert_eq!(text(&reason, r).as_deref(), e.reason, "row {i}");
            // a list column: the row's facts one by one, null where there is no eligibility
            let facts = (!missing.is_null(r)).then(|| {
                let v = missing.value(r);
                let v = v.as_string::<i32>();
                (0..v.len())
                    .map(|k| v.value(k).to_owned())
                    .collect::<Vec<_>>()
            });
            assert_eq!(facts.is_some(), e.eligibility.is_some(), "row {i}");
            assert_eq!(facts.unwrap_or_default(), e.missing_facts, "row {i}");
            assert!(err.is_null(r));
            let rank =
                (!rank.is_null(r)).then(|| rank.as_primitive::<UInt32Type>().value(r) as usize);
            assert_eq!(rank, e.rank, "row {i}");
            let score = (!score.is_null(r)).then(|| score.as_primitive::<Float64Type>().value(r));
            assert_eq!(score, e.score, "row {i}");
            let d = (!dist.is_null(r)).then(|| dist.as_primitive::<Float64Type>().value(r));
            assert_eq!(d, e.distance_m, "row {i}");
            matched += usize::from(e.rank.is_some());
        }
    }
    assert!(matched >= 8, "real answers, not empty lists: {matched}");
    assert_eq!(
        text(
            &reason,
            (0..out.num_rows()).find(|&r| query.value(r) == 3).unwrap()
        )
        .as_deref(),
        Some("need_not_understood")
    );
    // The row without need: one row with its error, the others answered.
    let bad: Vec<usize> = (0..out.num_rows())
        .filter(|&r| query.value(r) == 4)
        .collect();
    assert_eq!(bad.len(), 1);
    assert!(text(&err, bad[0]).unwrap().contains("need"));
    assert!(col("total").is_null(bad[0]));
}

#[test]
fn the_steps_give_the_queries_the_results_and_the_same_stream() {
    let bytes = ipc(&queries());
    let batch = QueryBatch::from_ipc(&bytes, nav().catalog(), &defaults()).unwrap();
    assert_eq!(batch.len(), NEEDS.len());
    assert!(
        batch.queries().iter().all(Result::is_ok),
        "the need check runs at search time"
    );
    let results = batch.search(nav());
    assert_eq!(results.results()[0].as_ref().unwrap().rows(), single(0));
    assert!(results.results()[4].is_err());
    assert_eq!(
        results.to_ipc().unwrap(),
        nav().search_arrow(&bytes, &defaults()).unwrap()
    );
}

#[test]
fn several_needs_in_a_row_and_several_record_batches() {
    let mut needs = ListBuilder::new(StringBuilder::new());
    needs.values().append_value("food pantry");
    needs.values().append_value("counseling");
    needs.append(true);
    let batch = RecordBatch::try_from_iter(vec![
        ("need_text", Arc::new(needs.finish()) as ArrayRef),
        (
            "lat",
            Arc::new(Float64Array::from(vec![SAN_MATEO.0])) as ArrayRef,
        ),
        (
            "lon",
            Arc::new(Float64Array::from(vec![SAN_MATEO.1])) as ArrayRef,
        ),
    ])
    .unwrap();
    let mut w = StreamWriter::try_new(Vec::new(), &batch.schema()).unwrap();
    w.write(&batch).unwrap();
    w.write(&batch).unwrap();
    let out = read(
        &nav()
            .search_arrow(&w.into_inner().unwrap(), &defaults())
            .unwrap(),
    );
    let q = out
        .column_by_name("query_index")
        .unwrap()
        .as_primitive::<UInt32Type>()
        .clone();
    let need = out
        .column_by_name("need_index")
        .unwrap()
        .as_primitive::<UInt32Type>()
        .clone();
    for query in 0..2 {
        for n in 0..2 {
            assert!((0..out.num_rows()).any(|r| q.value(r) == query && need.value(r) == n));
        }
    }
}

#[test]
fn malformed_streams_of_real_queries_are_typed_errors() {
    let bytes = ipc(&queries());
    let typed = |r: Result<Vec<u8>, Error>| match r {
        Ok(_) | Err(Error::Arrow(ArrowBatchError::NotIpc { .. })) => {}
        Err(e) => panic!("{e:?}"),
    };
    for n in (0..bytes.len()).step_by(7) {
        typed(nav().search_arrow(&bytes[..n], &defaults()));
    }
    for i in (0..bytes.len()).step_by(5) {
        for v in [0x00, 0x7F, 0xFF] {
            let mut m = bytes.clone();
            m[i] = v;
            match nav().search_arrow(&m, &defaults()) {
                Ok(_) | Err(Error::Arrow(_)) => {}
                Err(e) => panic!("byte {i} = {v:#x}: {e:?}"),
            }
        }
    }
}
