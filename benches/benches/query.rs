//! Query path at 211 scale: passerelle, SQLite (FTS5 + R*Tree) and tantivy on the same
//! synthetic province, the same questions, in the same run.
//!
//! `cargo bench -p passerelle-benches --bench query -- --warm-up-time 1 --measurement-time 3`
//!
//! Sizes: `PASSERELLE_BENCH_SIZES=10k,100k` (default; `1m` opt-in). Before the criterion groups
//! the bench prints, per size: build times, p50/p99 of the query mix for each engine
//! (custom timing loop over a fixed list of questions), candidates examined per query next to
//! the hardware floor, top-10 overlap between engines, and recall@10 against a brute-force
//! oracle. `PASSERELLE_BENCH_ROUNDS` (default 5) sets the rounds of the timing loop.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use passerelle::{Directory, Navigator, NavigatorOptions, SearchResults};
use passerelle_benches::peers::{sqlite::SqlitePeer, tantivy_peer::TantivyPeer};
use passerelle_benches::querymix::{
    self, code_mix, floor, machine, percentile, recall_at_10, size_label, text_mix, MixQuery,
    Oracle,
};
use passerelle_benches::synth;

/// Bytes of the navigator's columns read per candidate SAL (service, record, location, point,
/// modes, hours, always-open, languages, access, area) plus the per-service columns amortised
/// over ~1.5 SALs per service and the 4-byte posting: the "bytes a query must touch".
const BYTES_PER_CANDIDATE: usize = 4 + 4 + 4 + 24 + 1 + 4 + 1 + 8 + 4 + 4 + 30 + 4;

struct World {
    n: usize,
    dir: std::sync::Arc<Directory>,
    nav: Navigator,
    sqlite: SqlitePeer,
    tantivy: TantivyPeer,
}

fn world(n: usize) -> World {
    let t = Instant::now();
    let dir = std::sync::Arc::new(synth::generate(synth::SynthConfig::with_size(n)));
    let gen = t.elapsed();
    let t = Instant::now();
    let (nav, _) = Navigator::build(dir.clone(), NavigatorOptions::default()).unwrap();
    let t_nav = t.elapsed();
    let t = Instant::now();
    let sqlite = SqlitePeer::build(&dir).unwrap();
    let t_sql = t.elapsed();
    let t = Instant::now();
    let tantivy = TantivyPeer::build(&dir).unwrap();
    let t_tv = t.elapsed();
    println!(
        "\n=== {} SALs ({}) — generate {:.2?}; build: passerelle {:.2?}, sqlite {:.2?}, tantivy {:.2?}",
        n,
        machine(),
        gen,
        t_nav,
        t_sql,
        t_tv
    );
    World {
        n,
        dir,
        nav,
        sqlite,
        tantivy,
    }
}

fn ids(r: &SearchResults) -> Vec<String> {
    r.needs[0]
        .matches
        .iter()
        .filter_map(|m| m.service_at_location_id.clone())
        .collect()
}

fn rounds() -> usize {
    std::env::var("PASSERELLE_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5)
}

/// Runs `f` on every question `rounds` times (interleaved), returns sorted samples.
fn time_mix<T>(mix: &[MixQuery], mut f: impl FnMut(&MixQuery) -> T) -> Vec<Duration> {
    for q in mix {
        black_box(f(q)); // warm
    }
    let mut samples = Vec::with_capacity(mix.len() * rounds());
    for _ in 0..rounds() {
        for q in mix {
            let t = Instant::now();
            black_box(f(q));
            samples.push(t.elapsed());
        }
    }
    samples.sort();
    samples
}

fn fmt_us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn report(w: &mut World) {
    let catalog = w.nav.catalog().clone();
    for (name, mix) in [
        ("text (fuzzy fr/en)", text_mix()),
        ("no text (term code)", code_mix()),
    ] {
        let queries: Vec<_> = mix.iter().map(|q| q.to_query(&catalog)).collect();
        let peer_qs: Vec<_> = mix.iter().map(MixQuery::to_peer).collect();
        let idx = |q: &MixQuery| mix.iter().position(|m| m.label == q.label).unwrap();
        let nav = &w.nav;
        let p = time_mix(&mix, |q| nav.search(&queries[idx(q)]).unwrap());
        let sq = &w.sqlite;
        let s = time_mix(&mix, |q| sq.query(&peer_qs[idx(q)]).unwrap());
        let tv = &mut w.tantivy;
        let t = time_mix(&mix, |q| tv.query(&peer_qs[idx(q)]).unwrap());
        let results: Vec<SearchResults> = queries.iter().map(|q| nav.search(q).unwrap()).collect();
        let cands: Vec<usize> = results
            .iter()
            .map(|r| r.needs[0].counts.matched_need)
            .collect();
        let mean_c = cands.iter().sum::<usize>() as f64 / cands.len() as f64;
        let reach: Vec<usize> = results
            .iter()
            .map(|r| r.needs[0].counts.matched_need - r.needs[0].counts.too_far)
            .collect();
        let mean_reach = reach.iter().sum::<usize>() as f64 / reach.len() as f64;
        let max_c = cands.iter().copied().max().unwrap_or(0);
        let (fb, fc) = floor(mean_reach as usize, BYTES_PER_CANDIDATE);
        println!(
            "-- {} SALs, {name}: {} questions × {} rounds",
            size_label(w.n),
            mix.len(),
            rounds()
        );
        println!(
            "   passerelle p50 {} p99 {} | sqlite p50 {} p99 {} | tantivy p50 {} p99 {}",
            fmt_us(percentile(&p, 0.5)),
            fmt_us(percentile(&p, 0.99)),
            fmt_us(percentile(&s, 0.5)),
            fmt_us(percentile(&s, 0.99)),
            fmt_us(percentile(&t, 0.5)),
            fmt_us(percentile(&t, 0.99)),
        );
        println!(
            "   p50 ratios: sqlite/passerelle {:.1}×, tantivy/passerelle {:.1}×",
            percentile(&s, 0.5).as_secs_f64() / percentile(&p, 0.5).as_secs_f64(),
            percentile(&t, 0.5).as_secs_f64() / percentile(&p, 0.5).as_secs_f64(),
        );
        println!(
            "   SALs of matching services per query: mean {mean_c:.0}, max {max_c}; within reach (not too far: what \
             the spatial plan reads of filed services): mean {mean_reach:.0}; floor at that mean: {} bytes / 15 GB/s = {}, \
             candidates × 0.3 ns = {}",
            mean_reach as usize * BYTES_PER_CANDIDATE,
            fmt_us(fb),
            fmt_us(fc)
        );
        // overlap and recall
        let oracle = Oracle::new(&w.dir);
        let (mut r_p, mut r_t, mut r_s) = (Vec::new(), Vec::new(), Vec::new());
        let (mut r_pt, mut r_tt, mut r_st) = (Vec::new(), Vec::new(), Vec::new());
        let (mut ov_ps, mut ov_pt, mut ov_n) = (0usize, 0usize, 0usize);
        for (i, q) in mix.iter().enumerate() {
            let rel = oracle.relevant(q);
            let pi = ids(&results[i]);
            let si: Vec<String> = w
                .sqlite
                .query(&peer_qs[i])
                .unwrap()
                .into_iter()
                .map(|x| x.0)
                .collect();
            let ti: Vec<String> = w
                .tantivy
                .query(&peer_qs[i])
                .unwrap()
                .into_iter()
                .map(|x| x.0)
                .collect();
            ov_ps += pi.iter().filter(|x| si.contains(x)).count();
            ov_pt += pi.iter().filter(|x| ti.contains(x)).count();
            ov_n += pi.len();
            if let (Some(a), Some(b), Some(c)) = (
                recall_at_10(&pi, &rel),
                recall_at_10(&ti, &rel),
                recall_at_10(&si, &rel),
            ) {
                r_p.push(a);
                r_t.push(b);
                r_s.push(c);
                if q.typo {
                    r_pt.push(a);
                    r_tt.push(b);
                    r_st.push(c);
                }
            }
        }
        let mean = |v: &[f64]| {
            if v.is_empty() {
                f64::NAN
            } else {
                v.iter().sum::<f64>() / v.len() as f64
            }
        };
        println!(
            "   top-10 overlap with passerelle: sqlite {:.0} %, tantivy {:.0} % (of {ov_n} passerelle results)",
            100.0 * ov_ps as f64 / ov_n.max(1) as f64,
            100.0 * ov_pt as f64 / ov_n.max(1) as f64
        );
        println!(
            "   recall@10 vs oracle (all {} q): passerelle {:.2}, tantivy {:.2}, sqlite {:.2}; typo questions ({} q): passerelle {:.2}, tantivy {:.2}, sqlite {:.2}",
            r_p.len(),
            mean(&r_p),
            mean(&r_t),
            mean(&r_s),
            r_pt.len(),
            mean(&r_pt),
            mean(&r_tt),
            mean(&r_st)
        );
        if std::env::var("PASSERELLE_BENCH_VERBOSE").is_ok() {
            for (i, q) in mix.iter().enumerate() {
                let rel = oracle.relevant(q);
                let pi = ids(&results[i]);
                let ti: Vec<String> = w
                    .tantivy
                    .query(&peer_qs[i])
                    .unwrap()
                    .into_iter()
                    .map(|x| x.0)
                    .collect();
                println!(
                    "   {:60} cands {:6} rel {:6} recall p {:?} t {:?} understood {:?}",
                    q.label,
                    cands[i],
                    rel.len(),
                    recall_at_10(&pi, &rel),
                    recall_at_10(&ti, &rel),
                    results[i].needs[0]
                        .understood_as
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                );
            }
        }
    }
}

/// The question of the criterion groups and of the cost-growth curve.
fn probe(text: bool) -> MixQuery {
    let mix = if text { text_mix() } else { code_mix() };
    let want = if text {
        "banqe alimentaire | toronto-downtown | 10 km | open now"
    } else {
        "food.food-bank | toronto-downtown | 10 km | open now"
    };
    mix.into_iter()
        .find(|q| q.label == want)
        .expect("probe in the mix")
}

fn benches(c: &mut Criterion) {
    let sizes = querymix::sizes();
    let mut worlds: Vec<World> = sizes.iter().map(|&n| world(n)).collect();
    if std::env::var("PASSERELLE_BENCH_REPORT").as_deref() != Ok("0") {
        for w in &mut worlds {
            report(w);
        }
    }
    // cost growth: the same question at every size
    println!("\n-- cost growth ({}):", machine());
    for text in [true, false] {
        let probe = probe(text);
        for w in &worlds {
            let q = probe.to_query(w.nav.catalog());
            let r = w.nav.search(&q).unwrap();
            let c = r.needs[0].counts.matched_need;
            let mut s = time_mix(std::slice::from_ref(&probe), |_| w.nav.search(&q).unwrap());
            for _ in 0..200 {
                let t = Instant::now();
                black_box(w.nav.search(&q).unwrap());
                s.push(t.elapsed());
            }
            s.sort();
            // Sites beyond the radius are counted from per-service totals by the spatial
            // plan, not read: the floor is on the SALs within reach.
            let far = r.needs[0].counts.too_far;
            let (fb, fc) = floor(c.saturating_sub(far), BYTES_PER_CANDIDATE);
            println!(
                "   {:55} at {:>5}: p50 {} ; candidates {c} ; too far {far} ; within reach {} ; kept {} ; floor (within reach) {} / {}",
                probe.label,
                size_label(w.n),
                fmt_us(percentile(&s, 0.5)),
                c.saturating_sub(far),
                r.needs[0].counts.kept,
                fmt_us(fb),
                fmt_us(fc)
            );
        }
    }
    for text in [true, false] {
        let probe = probe(text);
        let mut g = c.benchmark_group(if text { "query_text" } else { "query_code" });
        for w in &mut worlds {
            let q = probe.to_query(w.nav.catalog());
            let pq = probe.to_peer();
            let label = size_label(w.n);
            g.bench_with_input(BenchmarkId::new("passerelle", &label), &q, |b, q| {
                b.iter(|| w.nav.search(q).unwrap())
            });
            g.bench_with_input(BenchmarkId::new("sqlite", &label), &pq, |b, pq| {
                b.iter(|| w.sqlite.query(pq).unwrap())
            });
            let tv = &mut w.tantivy;
            g.bench_with_input(BenchmarkId::new("tantivy", &label), &pq, |b, pq| {
                b.iter(|| tv.query(pq).unwrap())
            });
        }
        g.finish();
    }
}

/// The query code check's term lookup on the synthetic directory's codes and the standard
/// lexicon's, per term code a query names: a scan of every known code for one equal to the
/// query's or below it (the check before), against one lookup in the set of known codes and
/// their ancestors built with the index (`KnownCodes` in `core/src/matching/check.rs`, whose
/// construction this copies: the type is crate-private).
fn code_check(c: &mut Criterion) {
    let dir = synth::generate(synth::SynthConfig::with_size(10_000));
    let mut codes: Vec<String> = dir
        .taxonomy_terms
        .iter()
        .filter_map(|t| t.code.as_ref().map(|c| c.as_str().to_owned()))
        .collect();
    codes.extend(
        passerelle::text::Lexicon::standard()
            .codes()
            .into_iter()
            .map(|c| c.as_str().to_owned()),
    );
    let mut set: std::collections::HashSet<Box<str>, foldhash::fast::RandomState> =
        std::collections::HashSet::default();
    for code in &codes {
        for (i, _) in code
            .char_indices()
            .filter(|(_, c)| matches!(c, '.' | '-' | '/'))
        {
            set.insert(code[..i].into());
        }
        set.insert(code.as_str().into());
    }
    // Every branch the query mix names, and each one's top-level ancestor.
    let mut probes: Vec<String> = code_mix().iter().map(|q| q.branch.to_owned()).collect();
    let tops: Vec<String> = probes
        .iter()
        .filter_map(|p| p.split('.').next().map(str::to_owned))
        .collect();
    probes.extend(tops);
    probes.sort();
    probes.dedup();
    let scan = |code: &str| {
        codes.iter().any(|c| {
            c == code
                || c.strip_prefix(code)
                    .is_some_and(|rest| rest.starts_with(['.', '-', '/']))
        })
    };
    assert!(probes.iter().all(|p| scan(p) && set.contains(p.as_str())));
    let mut g = c.benchmark_group(format!(
        "code_check ({} known codes, {} probes)",
        codes.len(),
        probes.len()
    ));
    g.bench_function("scan", |b| {
        b.iter(|| probes.iter().filter(|p| scan(black_box(p))).count())
    });
    g.bench_function("set", |b| {
        b.iter(|| {
            probes
                .iter()
                .filter(|p| set.contains(black_box(p.as_str())))
                .count()
        })
    });
    g.finish();
}

criterion_group!(query, benches, code_check);
criterion_main!(query);
