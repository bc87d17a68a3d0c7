use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int64Type, UInt32Type};
use arrow_array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_ipc::writer::StreamWriter;

use super::*;
use crate::{Directory, Error, NavigatorOptions};

fn nav() -> Navigator {
    Navigator::build(Directory::sample(), NavigatorOptions::sample())
        .unwrap()
        .0
}

fn defaults() -> QueryInput {
    QueryInput {
        limit: 3,
        at_epoch_seconds: Some(1_760_968_800),
        ..QueryInput::default()
    }
}

fn ipc(batch: &RecordBatch) -> Vec<u8> {
    let mut w = StreamWriter::try_new(Vec::new(), &batch.schema()).unwrap();
    w.write(batch).unwrap();
    w.into_inner().unwrap()
}

fn read(bytes: &[u8]) -> RecordBatch {
    let (schema, batches) = read::read_input(bytes).unwrap();
    arrow_select::concat::concat_batches(&schema, &batches).unwrap()
}

#[test]
fn batch_round_trip() {
    let nav = nav();
    let texts = StringArray::from(vec![
        Some("banque alimentaire"),
        Some("pensées suicidaires"),
        None,
        Some("zzqx wug"),
    ]);
    let batch = RecordBatch::try_from_iter(vec![
        (
            "id",
            Arc::new(Int64Array::from(vec![10, 11, 12, 13])) as ArrayRef,
        ),
        ("need_text", Arc::new(texts) as ArrayRef),
        (
            "lat",
            Arc::new(Float64Array::from(vec![Some(45.4292), None, None, None])) as ArrayRef,
        ),
        (
            "lon",
            Arc::new(Float64Array::from(vec![Some(-75.692), None, None, None])) as ArrayRef,
        ),
        (
            "age",
            Arc::new(Int64Array::from(vec![Some(70), None, None, None])) as ArrayRef,
        ),
    ])
    .unwrap();
    let out = read(&nav.search_arrow(&ipc(&batch), &defaults()).unwrap());
    let names: Vec<_> = out
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(names, super::OUTPUT_COLUMNS);
    // the result columns are the flattened row's, under the same names
    assert_eq!(
        &names[2..names.len() - 1],
        crate::matching::ResultRow::COLUMNS.as_slice()
    );
    assert!(matches!(
        out.schema().field_with_name("missing_facts").unwrap().data_type(),
        arrow_schema::DataType::List(f) if f.data_type() == &arrow_schema::DataType::Utf8
    ));
    let q = out.column(0).as_primitive::<UInt32Type>();
    let ids = out.column(1).as_primitive::<Int64Type>();
    let err = out.column_by_name("error").unwrap().as_string::<i32>();
    let crisis = out.column_by_name("crisis").unwrap().as_string::<i32>();
    let sid = out.column_by_name("service_id").unwrap().as_string::<i32>();
    let reason = out.column_by_name("reason").unwrap().as_string::<i32>();
    let mut saw = [false; 4];
    for r in 0..out.num_rows() {
        let qi = q.value(r) as usize;
        assert_eq!(ids.value(r), 10 + qi as i64);
        saw[qi] = true;
        match qi {
            0 => assert!(err.is_null(r) && !sid.is_null(r)),
            1 => assert_eq!(crisis.value(r), "suicide_or_self_harm"),
            2 => assert!(
                err.value(r).contains("neither text nor term"),
                "{}",
                err.value(r)
            ),
            _ => assert_eq!(reason.value(r), "need_not_understood"),
        }
    }
    assert_eq!(saw, [true; 4]);
    // the crisis line leads query 1
    let first = (0..out.num_rows()).find(|&r| q.value(r) == 1).unwrap();
    assert_eq!(sid.value(first), "svc-distress-line");
}

/// Ids of every type the batch path reads come back at their query's rows, across several input
/// batches: text, text views, lists of text, booleans.
#[test]
fn ids_of_every_kind_follow_their_query_across_batches() {
    use arrow_array::builder::{ListBuilder, StringBuilder};
    use arrow_array::{BooleanArray, StringViewArray};
    let nav = nav();
    let needs = ["food bank", "zzqx wug", "banque alimentaire"];
    type Ids = Box<dyn Fn(usize) -> ArrayRef>;
    let kinds: [(&str, Ids); 4] = [
        (
            "text",
            Box::new(|b| {
                Arc::new(StringArray::from_iter_values(
                    (0..3).map(|i| format!("{b}-{i}")),
                ))
            }),
        ),
        (
            "text view",
            Box::new(|b| {
                Arc::new(StringViewArray::from_iter_values(
                    (0..3).map(|i| format!("a longer id than twelve bytes {b}-{i}")),
                ))
            }),
        ),
        (
            "list of text",
            Box::new(|b| {
                let mut l = ListBuilder::new(StringBuilder::new());
                for i in 0..3 {
                    l.values().append_value(format!("case-{b}"));
                    l.values().append_value(format!("person-{i}"));
                    l.append(true);
                }
                Arc::new(l.finish())
            }),
        ),
        (
            "boolean",
            Box::new(|b| Arc::new(BooleanArray::from(vec![b == 0, true, false]))),
        ),
    ];
    for (kind, ids) in &kinds {
        let batches: Vec<RecordBatch> = (0..2)
            .map(|b| {
                RecordBatch::try_from_iter(vec![
                    ("id", ids(b)),
                    (
                        "need_text",
                        Arc::new(StringArray::from(needs.to_vec())) as ArrayRef,
                    ),
                ])
                .unwrap()
            })
            .collect();
        let mut w = StreamWriter::try_new(Vec::new(), &batches[0].schema()).unwrap();
        for b in &batches {
            w.write(b).unwrap();
        }
        let out = read(
            &nav.search_arrow(&w.into_inner().unwrap(), &defaults())
                .unwrap(),
        );
        let q = out.column(0).as_primitive::<UInt32Type>();
        let id_col = out.column(1);
        assert_eq!(
            id_col.data_type(),
            batches[0].column(0).data_type(),
            "{kind}"
        );
        let mut seen = [false; 6];
        for r in 0..out.num_rows() {
            let qi = q.value(r) as usize;
            seen[qi] = true;
            let want = batches[qi / 3].column(0).slice(qi % 3, 1);
            assert_eq!(
                id_col.slice(r, 1).to_data(),
                want.to_data(),
                "{kind}: row {r}, query {qi}"
            );
        }
        assert_eq!(seen, [true; 6], "{kind}: every query has a row");
    }
}

#[test]
fn list_needs_and_errors() {
    let nav = nav();
    let mut b = arrow_array::builder::ListBuilder::new(arrow_array::builder::StringBuilder::new());
    b.values().append_value("food bank");
    b.values().append_value("rent help");
    b.append(true);
    let batch =
        RecordBatch::try_from_iter(vec![("need_text", Arc::new(b.finish()) as ArrayRef)]).unwrap();
    let out = read(&nav.search_arrow(&ipc(&batch), &defaults()).unwrap());
    let needs = out
        .column_by_name("need_index")
        .unwrap()
        .as_primitive::<UInt32Type>();
    assert!((0..out.num_rows()).any(|r| needs.value(r) == 1));

    let bad = RecordBatch::try_from_iter(vec![(
        "agee",
        Arc::new(Int64Array::from(vec![1])) as ArrayRef,
    )])
    .unwrap();
    let e = nav.search_arrow(&ipc(&bad), &defaults()).unwrap_err();
    assert!(
        matches!(&e, Error::Arrow(ArrowBatchError::UnknownColumn { column, .. }) if column == "agee"),
        "{e:?}"
    );
    assert!(e.to_string().contains("\"agee\""), "{e}");
    let lat_only = RecordBatch::try_from_iter(vec![(
        "lat",
        Arc::new(Float64Array::from(vec![45.0])) as ArrayRef,
    )])
    .unwrap();
    assert!(matches!(
        nav.search_arrow(&ipc(&lat_only), &defaults()),
        Err(Error::Arrow(ArrowBatchError::NoNeedColumn))
    ));
    let text_lat = RecordBatch::try_from_iter(vec![
        (
            "need_text",
            Arc::new(StringArray::from(vec!["food"])) as ArrayRef,
        ),
        (
            "lat",
            Arc::new(StringArray::from(vec!["north"])) as ArrayRef,
        ),
    ])
    .unwrap();
    let e = nav.search_arrow(&ipc(&text_lat), &defaults()).unwrap_err();
    assert!(
        matches!(&e, Error::Arrow(ArrowBatchError::ColumnType { column, .. }) if column == "lat"),
        "{e:?}"
    );
    let zero = QueryInput {
        limit: 0,
        ..defaults()
    };
    assert!(matches!(
        nav.search_arrow(&ipc(&batch), &zero),
        Err(Error::Match(crate::MatchError::InvalidLimit { .. }))
    ));
    assert!(matches!(
        nav.search_arrow(b"nope", &defaults()),
        Err(Error::Arrow(ArrowBatchError::NotIpc { .. }))
    ));
}

#[test]
fn steps_equal_the_whole_trip_and_keep_row_errors() {
    let nav = nav();
    let batch = RecordBatch::try_from_iter(vec![
        (
            "need_text",
            Arc::new(StringArray::from(vec!["food bank", "rent help"])) as ArrayRef,
        ),
        (
            "facts_json",
            Arc::new(StringArray::from(vec![
                Some(r#"{"age": 70}"#),
                Some("[1, 2]"),
            ])) as ArrayRef,
        ),
    ])
    .unwrap();
    let bytes = ipc(&batch);
    let decoded = QueryBatch::from_ipc(&bytes, nav.catalog(), &defaults()).unwrap();
    assert_eq!(decoded.len(), 2);
    let debug = format!("{decoded:?}");
    assert!(!debug.contains("food") && !debug.contains("70"), "{debug}");
    assert!(decoded.queries()[0].is_ok());
    let bad = decoded.queries()[1].as_ref().unwrap_err();
    assert_eq!(bad.column, Some("facts_json"));
    assert!(bad.to_string().starts_with("facts_json: "), "{bad}");
    let results = decoded.search(&nav);
    let single = nav
        .search(
            &QueryInput {
                needs: vec![crate::matching::NeedInput {
                    text: Some("food bank".into()),
                    terms: vec![],
                }],
                facts: [("age".to_owned(), crate::rules::FactValue::Number(70.0))].into(),
                ..defaults()
            }
            .to_query(nav.catalog())
            .unwrap(),
        )
        .unwrap();
    assert_eq!(results.results()[0].as_ref().unwrap(), &single);
    assert!(results.results()[1].is_err());
    assert_eq!(
        results.to_ipc().unwrap(),
        nav.search_arrow(&bytes, &defaults()).unwrap()
    );
}
