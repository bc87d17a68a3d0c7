//! Rules evaluation: 1 000 program rules of realistic shape × 10 000 resident profiles,
//! passerelle against two peers (datalogic-rs, JSONLogic; cel, Common Expression Language)
//! on the same rules, each compiled once. Before timing, the eligible sets are cross-checked
//! on complete profiles, and on profiles with ~30 % of facts missing the "false eligible"
//! verdicts (eligible with facts missing, ineligible once they are known) are counted.
//!
//! Run: `cargo bench -p passerelle-benches --bench rules_eval -- --warm-up-time 1 --measurement-time 3`
//! (set `RULES_BENCH_PEER_PROFILES=10000` to cross-check the peers on every profile; the
//! default is the first 2 000, the peers being slow).
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use criterion::{criterion_group, Criterion};
use passerelle::rules::{
    Explanations, FactCatalog, FactValue, Outcome, Profile, RuleSet, Tables, Verdict,
};

const RULES: usize = 1_000;
const PROFILES: usize = 10_000;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn some<'a>(&mut self, xs: &[&'a str], max: usize) -> Vec<&'a str> {
        let n = 1 + self.below(max);
        let mut out: Vec<&str> = Vec::new();
        for _ in 0..n {
            let x = self.pick(xs);
            if !out.contains(&x) {
                out.push(x);
            }
        }
        out
    }
}

const PROVINCES: &[&str] = &[
    "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT",
];
const RESIDENCY: &[&str] = &[
    "citizen",
    "permanent_resident",
    "refugee_claimant",
    "protected_person",
    "temporary_resident",
    "no_status",
];
const STUDENT: &[&str] = &["full_time", "part_time", "none"];
const BENEFITS: &[&str] = &[
    "ei", "ow", "odsp", "oas", "gis", "cpp", "ccb", "cerb", "none",
];
const POPULATION: &[&str] = &[
    "indigenous",
    "black",
    "racialized",
    "south_asian",
    "newcomer",
    "lgbtq2s",
    "francophone",
    "veteran",
    "reentry",
    "senior",
    "youth",
];
/// Income thresholds by household size 1..=6 (largest key ≤ size), three tables.
const TABLES: &[(&str, [f64; 6])] = &[
    (
        "lim_on",
        [30_000.0, 42_000.0, 51_000.0, 60_000.0, 67_000.0, 73_000.0],
    ),
    (
        "lico",
        [25_000.0, 31_000.0, 38_000.0, 47_000.0, 53_000.0, 60_000.0],
    ),
    (
        "mbm",
        [27_000.0, 38_000.0, 47_000.0, 54_000.0, 61_000.0, 67_000.0],
    ),
];

/// One program's conditions, rendered for each engine.
struct Program {
    passerelle: String,
    jsonlogic: String,
    cel: String,
}

fn list_json(xs: &[&str]) -> String {
    format!(
        "[{}]",
        xs.iter()
            .map(|x| format!("\"{x}\""))
            .collect::<Vec<_>>()
            .join(",")
    )
}
fn list_text(xs: &[&str]) -> String {
    format!(
        "[{}]",
        xs.iter()
            .map(|x| format!("\"{x}\""))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn program(rng: &mut Rng) -> Program {
    let (mut p, mut j, mut c): (Vec<String>, Vec<String>, Vec<String>) = (vec![], vec![], vec![]);
    // Age range (HSDS minimum_age / maximum_age, inclusive).
    if rng.chance(0.7) {
        let (min, max) = match rng.below(5) {
            0 => (Some(65.0), None),
            1 => (Some(18.0), None),
            2 => (Some(16.0), Some(29.0)),
            3 => (None, Some(17.0)),
            _ => (Some(55.0), Some(64.0)),
        };
        match (min, max) {
            (Some(a), Some(b)) => {
                p.push(format!("age in {a}..{b}"));
                j.push(format!(r#"{{"<=":[{a},{{"var":"age"}},{b}]}}"#));
                c.push(format!("(age >= {a:.1} && age <= {b:.1})"));
            }
            (Some(a), None) => {
                p.push(format!("age >= {a}"));
                j.push(format!(r#"{{">=":[{{"var":"age"}},{a}]}}"#));
                c.push(format!("age >= {a:.1}"));
            }
            (None, Some(b)) => {
                p.push(format!("age <= {b}"));
                j.push(format!(r#"{{"<=":[{{"var":"age"}},{b}]}}"#));
                c.push(format!("age <= {b:.1}"));
            }
            (None, None) => {}
        }
    }
    // Income ceiling by household size.
    if rng.chance(0.5) {
        let (name, rows) = TABLES[rng.below(TABLES.len())];
        p.push(format!(
            r#"household_income <= threshold("{name}", household_size)"#
        ));
        let mut ifs = String::new();
        let mut cel = String::new();
        for k in (2..=6).rev() {
            ifs.push_str(&format!(
                r#"{{">=":[{{"var":"household_size"}},{k}]}},{},"#,
                rows[k - 1]
            ));
            cel.push_str(&format!("household_size >= {k}.0 ? {:.1} : ", rows[k - 1]));
        }
        j.push(format!(
            r#"{{"<=":[{{"var":"household_income"}},{{"if":[{ifs}{}]}}]}}"#,
            rows[0]
        ));
        c.push(format!("household_income <= ({cel}{:.1})", rows[0]));
    }
    if rng.chance(0.15) {
        let n = 2 + rng.below(3);
        p.push(format!("household_size >= {n}"));
        j.push(format!(r#"{{">=":[{{"var":"household_size"}},{n}]}}"#));
        c.push(format!("household_size >= {n}.0"));
    }
    if rng.chance(0.2) {
        if rng.chance(0.5) {
            p.push("disability".into());
            j.push(r#"{"==":[{"var":"disability"},true]}"#.into());
            c.push("disability".into());
        } else {
            p.push("(age >= 65 or disability)".into());
            j.push(
                r#"{"or":[{">=":[{"var":"age"},65]},{"==":[{"var":"disability"},true]}]}"#.into(),
            );
            c.push("(age >= 65.0 || disability)".into());
        }
    }
    if rng.chance(0.6) {
        let provs = rng.some(PROVINCES, 3);
        p.push(format!("province in {}", list_text(&provs)));
        j.push(format!(
            r#"{{"in":[{{"var":"province"}},{}]}}"#,
            list_json(&provs)
        ));
        c.push(format!("province in {}", list_text(&provs)));
    }
    if rng.chance(0.25) {
        let res = rng.some(&RESIDENCY[..4], 3);
        p.push(format!("residency_status in {}", list_text(&res)));
        j.push(format!(
            r#"{{"in":[{{"var":"residency_status"}},{}]}}"#,
            list_json(&res)
        ));
        c.push(format!("residency_status in {}", list_text(&res)));
    }
    if rng.chance(0.15) {
        p.push(r#"student != "none""#.into());
        j.push(r#"{"!=":[{"var":"student"},"none"]}"#.into());
        c.push(r#"student != "none""#.into());
    }
    if rng.chance(0.25) {
        let b = rng.some(&BENEFITS[..8], 3);
        p.push(format!("benefits has_any {}", list_text(&b)));
        j.push(format!(
            r#"{{"some":[{{"var":"benefits"}},{{"in":[{{"var":""}},{}]}}]}}"#,
            list_json(&b)
        ));
        c.push(format!("benefits.exists(b, b in {})", list_text(&b)));
    }
    if rng.chance(0.2) {
        let pops = rng.some(POPULATION, 3);
        p.push(format!("population has_any {}", list_text(&pops)));
        j.push(format!(
            r#"{{"some":[{{"var":"population"}},{{"in":[{{"var":""}},{}]}}]}}"#,
            list_json(&pops)
        ));
        c.push(format!("population.exists(p, p in {})", list_text(&pops)));
    }
    if p.is_empty() {
        p.push("true".into());
        j.push("true".into());
        c.push("true".into());
    }
    Program {
        passerelle: p.join(" and "),
        jsonlogic: format!(r#"{{"and":[{}]}}"#, j.join(",")),
        cel: c.join(" && "),
    }
}

/// A resident; `None` = not told.
#[derive(Clone)]
struct Resident {
    age: Option<f64>,
    household_size: Option<f64>,
    household_income: Option<f64>,
    disability: Option<bool>,
    province: Option<&'static str>,
    residency_status: Option<&'static str>,
    student: Option<&'static str>,
    benefits: Option<Vec<&'static str>>,
    population: Option<Vec<&'static str>>,
}

fn resident(rng: &mut Rng) -> Resident {
    let age = rng.below(95) as f64;
    let size = 1 + rng.below(7);
    Resident {
        age: Some(age),
        household_size: Some(size as f64),
        household_income: Some((rng.below(100) * 1_000) as f64),
        disability: Some(rng.chance(0.2)),
        province: Some(if rng.chance(0.5) {
            "ON"
        } else {
            rng.pick(PROVINCES)
        }),
        residency_status: Some(rng.pick(RESIDENCY)),
        student: Some(rng.pick(STUDENT)),
        benefits: Some(if rng.chance(0.4) {
            rng.some(&BENEFITS[..8], 2)
        } else {
            vec![]
        }),
        population: Some(if rng.chance(0.5) {
            rng.some(POPULATION, 2)
        } else {
            vec![]
        }),
    }
}

fn forget(r: &Resident, rng: &mut Rng, p: f64) -> Resident {
    let mut r = r.clone();
    macro_rules! maybe {
        ($($f:ident),*) => { $( if rng.chance(p) { r.$f = None; } )* };
    }
    maybe!(
        age,
        household_size,
        household_income,
        disability,
        province,
        residency_status,
        student,
        benefits,
        population
    );
    r
}

fn to_profile(c: &FactCatalog, r: &Resident) -> Profile {
    let mut p = c.profile();
    if let Some(v) = r.age {
        p.set("age", v.into()).unwrap();
    }
    if let Some(v) = r.household_size {
        p.set("household_size", v.into()).unwrap();
    }
    if let Some(v) = r.household_income {
        p.set("household_income", v.into()).unwrap();
    }
    if let Some(v) = r.disability {
        p.set("disability", v.into()).unwrap();
    }
    if let Some(v) = r.province {
        p.set("province", v.into()).unwrap();
    }
    if let Some(v) = r.residency_status {
        p.set("residency_status", v.into()).unwrap();
    }
    if let Some(v) = r.student {
        p.set("student", v.into()).unwrap();
    }
    if let Some(v) = &r.benefits {
        p.set(
            "benefits",
            FactValue::List(v.iter().map(|s| s.to_string()).collect()),
        )
        .unwrap();
    }
    if let Some(v) = &r.population {
        p.set(
            "population",
            FactValue::List(v.iter().map(|s| s.to_string()).collect()),
        )
        .unwrap();
    }
    p
}

fn to_json(r: &Resident) -> String {
    let mut m = serde_json::Map::new();
    if let Some(v) = r.age {
        m.insert("age".into(), v.into());
    }
    if let Some(v) = r.household_size {
        m.insert("household_size".into(), v.into());
    }
    if let Some(v) = r.household_income {
        m.insert("household_income".into(), v.into());
    }
    if let Some(v) = r.disability {
        m.insert("disability".into(), v.into());
    }
    if let Some(v) = r.province {
        m.insert("province".into(), v.into());
    }
    if let Some(v) = r.residency_status {
        m.insert("residency_status".into(), v.into());
    }
    if let Some(v) = r.student {
        m.insert("student".into(), v.into());
    }
    if let Some(v) = &r.benefits {
        m.insert("benefits".into(), v.clone().into());
    }
    if let Some(v) = &r.population {
        m.insert("population".into(), v.clone().into());
    }
    serde_json::Value::Object(m).to_string()
}

fn to_cel(r: &Resident) -> cel::Context<'static, 'static> {
    use cel::objects::Value;
    let mut ctx = cel::Context::default();
    let list = |v: &[&str]| {
        Value::List(Arc::new(
            v.iter()
                .map(|s| Value::String(Arc::new(s.to_string())))
                .collect(),
        ))
    };
    if let Some(v) = r.age {
        ctx.add_variable_from_value("age", Value::Float(v));
    }
    if let Some(v) = r.household_size {
        ctx.add_variable_from_value("household_size", Value::Float(v));
    }
    if let Some(v) = r.household_income {
        ctx.add_variable_from_value("household_income", Value::Float(v));
    }
    if let Some(v) = r.disability {
        ctx.add_variable_from_value("disability", Value::Bool(v));
    }
    if let Some(v) = r.province {
        ctx.add_variable_from_value("province", Value::String(Arc::new(v.into())));
    }
    if let Some(v) = r.residency_status {
        ctx.add_variable_from_value("residency_status", Value::String(Arc::new(v.into())));
    }
    if let Some(v) = r.student {
        ctx.add_variable_from_value("student", Value::String(Arc::new(v.into())));
    }
    if let Some(v) = &r.benefits {
        ctx.add_variable_from_value("benefits", list(v));
    }
    if let Some(v) = &r.population {
        ctx.add_variable_from_value("population", list(v));
    }
    ctx
}

struct Workload {
    programs: Vec<Program>,
    full: Vec<Resident>,
    partial: Vec<Resident>,
    tables: Tables,
}

fn workload() -> Workload {
    let mut rng = Rng(0x5eed_2024_0211_abcd);
    let programs = (0..RULES).map(|_| program(&mut rng)).collect();
    let full: Vec<Resident> = (0..PROFILES).map(|_| resident(&mut rng)).collect();
    let partial = full.iter().map(|r| forget(r, &mut rng, 0.3)).collect();
    let mut tables = Tables::new();
    for (name, rows) in TABLES {
        for (i, v) in rows.iter().enumerate() {
            tables.insert(name, (i + 1) as f64, *v).unwrap();
        }
    }
    Workload {
        programs,
        full,
        partial,
        tables,
    }
}

/// Eligible rule indices per engine.
fn eligible_passerelle(rules: &[passerelle::rules::CompiledRule], p: &Profile, out: &mut Vec<u32>) {
    out.clear();
    for (i, r) in rules.iter().enumerate() {
        if r.evaluate(p) == Verdict::Eligible {
            out.push(i as u32);
        }
    }
}

fn eligible_datalogic(
    engine: &datalogic_rs::Engine,
    rules: &[datalogic_rs::Logic],
    data: &datalogic_rs::ParsedData,
    arena: &mut datalogic_rs::bumpalo::Bump,
    out: &mut Vec<u32>,
) {
    out.clear();
    for (i, r) in rules.iter().enumerate() {
        if let Ok(v) = engine.evaluate(r, data, arena) {
            if engine.truthy(v) {
                out.push(i as u32);
            }
        }
    }
    arena.reset();
}

fn eligible_cel(rules: &[cel::Program], ctx: &cel::Context<'_, '_>, out: &mut Vec<u32>) {
    out.clear();
    for (i, r) in rules.iter().enumerate() {
        if let Ok(cel::objects::Value::Bool(true)) = r.execute(ctx) {
            out.push(i as u32);
        }
    }
}

fn bench(c: &mut Criterion) {
    let w = workload();
    let catalog = FactCatalog::standard();

    // ---- compile ----
    let t = Instant::now();
    let rules: Vec<_> = w
        .programs
        .iter()
        .map(|p| catalog.compile(&p.passerelle, &w.tables).unwrap())
        .collect();
    println!(
        "passerelle: compiled {RULES} rules once in {:?}",
        t.elapsed()
    );
    let engine = datalogic_rs::Engine::new();
    let dl_rules: Vec<_> = w
        .programs
        .iter()
        .map(|p| engine.compile(p.jsonlogic.as_str()).unwrap())
        .collect();
    let cel_rules: Vec<_> = w
        .programs
        .iter()
        .map(|p| cel::Program::compile(&p.cel).unwrap())
        .collect();

    let mut g = c.benchmark_group("rules_compile_1000");
    g.sample_size(10);
    g.bench_function("passerelle", |b| {
        b.iter(|| {
            w.programs
                .iter()
                .map(|p| catalog.compile(&p.passerelle, &w.tables).unwrap())
                .collect::<Vec<_>>()
        })
    });
    g.bench_function("datalogic", |b| {
        b.iter(|| {
            w.programs
                .iter()
                .map(|p| engine.compile(p.jsonlogic.as_str()).unwrap())
                .collect::<Vec<_>>()
        })
    });
    g.bench_function("cel", |b| {
        b.iter(|| {
            w.programs
                .iter()
                .map(|p| cel::Program::compile(&p.cel).unwrap())
                .collect::<Vec<_>>()
        })
    });
    g.finish();

    // ---- inputs, prepared once ----
    let full_p: Vec<Profile> = w.full.iter().map(|r| to_profile(&catalog, r)).collect();
    let part_p: Vec<Profile> = w.partial.iter().map(|r| to_profile(&catalog, r)).collect();
    let peer_n: usize = std::env::var("RULES_BENCH_PEER_PROFILES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2_000)
        .min(PROFILES);
    let full_dl: Vec<_> = w.full[..peer_n]
        .iter()
        .map(|r| datalogic_rs::ParsedData::from_json(&to_json(r)).unwrap())
        .collect();
    let part_dl: Vec<_> = w.partial[..peer_n]
        .iter()
        .map(|r| datalogic_rs::ParsedData::from_json(&to_json(r)).unwrap())
        .collect();
    let full_cel: Vec<_> = w.full[..peer_n].iter().map(to_cel).collect();
    let part_cel: Vec<_> = w.partial[..peer_n].iter().map(to_cel).collect();

    // ---- cross-check and false eligibles (untimed by criterion; wall times printed) ----
    let mut arena = datalogic_rs::bumpalo::Bump::new();
    let (mut a, mut b, mut d) = (Vec::new(), Vec::new(), Vec::new());
    let t = Instant::now();
    let mut total_eligible = 0usize;
    let mut pass_full: Vec<Vec<u32>> = Vec::with_capacity(PROFILES);
    for p in &full_p {
        eligible_passerelle(&rules, p, &mut a);
        total_eligible += a.len();
        pass_full.push(a.clone());
    }
    println!(
        "passerelle: {PROFILES} complete profiles x {RULES} rules in {:?}; {total_eligible} eligible pairs",
        t.elapsed()
    );
    let (mut dl_mismatch, mut cel_mismatch) = (0, 0);
    for i in 0..peer_n {
        eligible_datalogic(&engine, &dl_rules, &full_dl[i], &mut arena, &mut b);
        eligible_cel(&cel_rules, &full_cel[i], &mut d);
        dl_mismatch += usize::from(b != pass_full[i]);
        cel_mismatch += usize::from(d != pass_full[i]);
    }
    println!("cross-check on {peer_n} complete profiles: datalogic differs on {dl_mismatch}, cel differs on {cel_mismatch}");

    let (mut pass_false, mut dl_false, mut cel_false, mut pass_unknown) =
        (0usize, 0usize, 0usize, 0usize);
    for (i, p) in part_p.iter().enumerate() {
        for (r, rule) in rules.iter().enumerate() {
            match rule.evaluate(p) {
                Verdict::Eligible if pass_full[i].binary_search(&(r as u32)).is_err() => {
                    pass_false += 1
                }
                Verdict::Unknown => pass_unknown += 1,
                _ => {}
            }
        }
    }
    for i in 0..peer_n {
        eligible_datalogic(&engine, &dl_rules, &part_dl[i], &mut arena, &mut b);
        eligible_cel(&cel_rules, &part_cel[i], &mut d);
        dl_false += b
            .iter()
            .filter(|r| pass_full[i].binary_search(r).is_err())
            .count();
        cel_false += d
            .iter()
            .filter(|r| pass_full[i].binary_search(r).is_err())
            .count();
    }
    println!(
        "~30% facts missing: false eligible: passerelle {pass_false}/{} pairs ({pass_unknown} unknown); \
         datalogic {dl_false}/{} pairs; cel {cel_false}/{} pairs (cel: missing variable = error = not eligible)",
        PROFILES * RULES,
        peer_n * RULES,
        peer_n * RULES
    );

    // ---- RuleSet: shared conditions, one flat program; checked against the rules ----
    let t = Instant::now();
    let set = RuleSet::new(rules.iter().cloned());
    println!(
        "passerelle: RuleSet of {RULES} rules built in {:?}: {} distinct conditions",
        t.elapsed(),
        set.conditions()
    );
    let mut verdicts = Vec::with_capacity(RULES);
    let mut ex = Explanations::new();
    for ps in [&full_p, &part_p] {
        let t = Instant::now();
        for p in ps.iter() {
            set.evaluate_into(p, &mut verdicts);
            black_box(&verdicts);
        }
        let dt = t.elapsed();
        for p in ps.iter().step_by(10) {
            set.evaluate_into(p, &mut verdicts);
            assert!(verdicts
                .iter()
                .zip(&rules)
                .all(|(v, r)| *v == r.evaluate(p)));
            set.explain_into(p, &mut ex);
            assert!((0..RULES).all(|i| ex.outcome(i) == Some(rules[i].explain(p))));
        }
        println!("passerelle RuleSet: {PROFILES} profiles x {RULES} rules in {dt:?}; agrees with CompiledRule::evaluate/explain on every 10th profile");
    }

    // ---- per-profile evaluation: one profile x 1 000 rules ----
    for (name, ps, dls, cels) in [
        ("full", &full_p, &full_dl, &full_cel),
        ("missing30", &part_p, &part_dl, &part_cel),
    ] {
        let mut g = c.benchmark_group(format!("rules_eval_1000_per_profile_{name}"));
        let mut i = 0usize;
        let mut out = Vec::with_capacity(RULES);
        g.bench_function("passerelle", |bch| {
            bch.iter(|| {
                i = (i + 1) % PROFILES;
                eligible_passerelle(&rules, &ps[i], &mut out);
                black_box(out.len())
            })
        });
        g.bench_function("passerelle_explain", |bch| {
            bch.iter(|| {
                i = (i + 1) % PROFILES;
                let mut missing = 0usize;
                for r in &rules {
                    match r.explain(&ps[i]) {
                        Outcome::Unknown { missing: m, .. } => missing += m.len(),
                        Outcome::Ineligible { failed } => missing += failed.len(),
                        _ => {}
                    }
                }
                black_box(missing)
            })
        });
        g.bench_function("passerelle_set", |bch| {
            bch.iter(|| {
                i = (i + 1) % PROFILES;
                set.evaluate_into(&ps[i], &mut verdicts);
                black_box(verdicts.len())
            })
        });
        g.bench_function("passerelle_set_explain", |bch| {
            bch.iter(|| {
                i = (i + 1) % PROFILES;
                set.explain_into(&ps[i], &mut ex);
                black_box(ex.len())
            })
        });
        g.bench_function("datalogic", |bch| {
            bch.iter(|| {
                i = (i + 1) % peer_n;
                eligible_datalogic(&engine, &dl_rules, &dls[i], &mut arena, &mut out);
                black_box(out.len())
            })
        });
        g.bench_function("cel", |bch| {
            bch.iter(|| {
                i = (i + 1) % peer_n;
                eligible_cel(&cel_rules, &cels[i], &mut out);
                black_box(out.len())
            })
        });
        g.finish();
    }
}

/// Instruction counting: `RULES_BENCH_COUNT=<path>` runs one path over the first
/// `COUNT_PROFILES` profiles inside `count_region` and exits, for
/// `valgrind --tool=callgrind --toggle-collect='*count_region*'` (load-independent).
const COUNT_PROFILES: usize = 200;

#[inline(never)]
fn count_region<F: FnMut() -> usize>(mut f: F) -> usize {
    f()
}

fn count_mode(mode: &str) {
    let w = workload();
    let catalog = FactCatalog::standard();
    let rules: Vec<_> = w
        .programs
        .iter()
        .map(|p| catalog.compile(&p.passerelle, &w.tables).unwrap())
        .collect();
    let (kind, set) = mode.split_once('_').unwrap_or((mode, "full"));
    let src = if set == "missing30" {
        &w.partial
    } else {
        &w.full
    };
    let ps: Vec<Profile> = src[..COUNT_PROFILES]
        .iter()
        .map(|r| to_profile(&catalog, r))
        .collect();
    let mut out = Vec::with_capacity(RULES);
    let set = RuleSet::new(rules.iter().cloned());
    let mut verdicts = Vec::with_capacity(RULES);
    let mut ex = Explanations::new();
    let n = match kind {
        "seteval" => count_region(|| {
            let mut n = 0;
            for p in &ps {
                set.evaluate_into(p, &mut verdicts);
                n += verdicts.iter().filter(|v| **v == Verdict::Eligible).count();
            }
            n
        }),
        "setexplain" => count_region(|| {
            let mut n = 0;
            for p in &ps {
                set.explain_into(p, &mut ex);
                n += ex.len();
            }
            n
        }),
        "eval" => count_region(|| {
            let mut n = 0;
            for p in &ps {
                eligible_passerelle(&rules, p, &mut out);
                n += out.len();
            }
            n
        }),
        "explain" => count_region(|| {
            let mut n = 0;
            for p in &ps {
                for r in &rules {
                    match r.explain(p) {
                        Outcome::Unknown { missing: m, .. } => n += m.len(),
                        Outcome::Ineligible { failed } => n += failed.len(),
                        _ => {}
                    }
                }
            }
            n
        }),
        other => panic!("unknown RULES_BENCH_COUNT path {other}"),
    };
    println!("{mode}: {COUNT_PROFILES} profiles, checksum {n}");
}

criterion_group!(benches, bench);

fn main() {
    if let Ok(mode) = std::env::var("RULES_BENCH_COUNT") {
        count_mode(&mode);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
