//! The navigator demo: realistic situations on the embedded (fictional) Ottawa sample, or your
//! own query, with ranked and explained results in English or French.
//!
//! ```sh
//! cargo run -p passerelle --example navigator --release
//! cargo run -p passerelle --example navigator --release -- --lang fr
//! cargo run -p passerelle --example navigator --release -- \
//!     --need "food bank" --lat 45.4396 --lon -75.6641 --radius-km 3 --fact age=70 --open-now
//! cargo run -p passerelle --example navigator --release -- \
//!     --dir core/tests/data/hsds/ohana-smc-hsds3 --need food --lat 37.4852 --lon -122.2364
//! ```
//!
//! The situations live in `core/tests/data/matching/situations.json`; the golden test
//! `core/tests/matching_sample.rs` includes this file to run the same code.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};
use std::process::ExitCode;

use passerelle::{
    import_path, sample_directory, DeliveryMode, DeliveryPreference, EligibilityStatus, FactKind,
    FactValue, Factor, GeoPoint, ImportOptions, Imported, LangCode, Match, Navigator,
    NavigatorOptions, Need, Openness, Query, SearchResults, TermCode,
};
use serde_json::{json, Value};

/// The demo situations (shared with the golden tests).
const SITUATIONS: &str = include_str!("../tests/data/matching/situations.json");

const USAGE: &str = "\
usage: navigator [options]
  --dir <path>          HSDS directory (CSV folder or JSON file); default: the embedded sample
  --need <text>         a need in French or English (repeatable); without it, runs the demo situations
  --term <code>         a need as a taxonomy term code (repeatable)
  --lat <deg> --lon <deg> [--radius-km <km>]   where the resident is (default radius 10 km)
  --fact <name=value>   a fact about the resident (repeatable): age=78, disability=true,
                        benefits=ei,ow (lists), student=full_time
  --lang en|fr          output language (default en)
  --limit <n>           results per need (default 5)
  --delivery in-person|remote|home|phone
  --open-now            only services open now (or with unknown hours)
  --at <instant>        judge openness at this RFC 3339 instant (default: now)
  --json                print a JSON projection of the results instead of text
  --help                this help";

/// What went wrong: bad input (exit code 2) or a failure while running (exit code 1).
#[derive(Debug)]
pub enum CliError {
    /// The command line is wrong.
    Usage(String),
    /// Loading, building or searching failed.
    Failed(String),
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Usage(m) | Self::Failed(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for CliError {}

impl From<io::Error> for CliError {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            // The reader went away (`| head`): nothing more to say.
            Self::Failed(String::new())
        } else {
            Self::Failed(format!("cannot write the output: {e}"))
        }
    }
}

fn usage(msg: impl Into<String>) -> CliError {
    CliError::Usage(msg.into())
}

/// The parsed command line.
#[derive(Debug, Default, Clone)]
pub struct Args {
    /// `--dir`.
    pub dir: Option<String>,
    /// `--need`.
    pub needs: Vec<String>,
    /// `--term`.
    pub terms: Vec<String>,
    /// `--lat`.
    pub lat: Option<f64>,
    /// `--lon`.
    pub lon: Option<f64>,
    /// `--radius-km`.
    pub radius_km: Option<f64>,
    /// `--fact name=value`, raw.
    pub facts: Vec<(String, String)>,
    /// `--lang fr`.
    pub french: bool,
    /// `--limit`.
    pub limit: Option<i64>,
    /// `--delivery`.
    pub delivery: Option<DeliveryPreference>,
    /// `--open-now`.
    pub open_now: bool,
    /// `--at`.
    pub at: Option<jiff::Timestamp>,
    /// `--json`.
    pub json: bool,
    /// `--help`.
    pub help: bool,
}

fn number(flag: &str, value: &str) -> Result<f64, CliError> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| usage(format!("{flag} expects a number, got {value:?}")))
}

fn parse_delivery(value: &str) -> Result<DeliveryPreference, CliError> {
    match value {
        "in-person" => Ok(DeliveryPreference::InPersonOnly),
        "remote" => Ok(DeliveryPreference::RemoteAcceptable),
        "home" => Ok(DeliveryPreference::HomeVisit),
        "phone" => Ok(DeliveryPreference::PhoneOnly),
        other => Err(usage(format!(
            "--delivery expects in-person, remote, home or phone, got {other:?}"
        ))),
    }
}

/// Parses the command line (without the program name).
///
/// # Errors
/// [`CliError::Usage`] for an unknown flag, a missing or malformed value.
pub fn parse_args(args: &[String]) -> Result<Args, CliError> {
    let mut out = Args::default();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .map(String::as_str)
                .ok_or_else(|| usage(format!("{flag} expects a value")))
        };
        match flag.as_str() {
            "--dir" => out.dir = Some(value()?.to_owned()),
            "--need" => out.needs.push(value()?.to_owned()),
            "--term" => out.terms.push(value()?.to_owned()),
            "--lat" => out.lat = Some(number(flag, value()?)?),
            "--lon" => out.lon = Some(number(flag, value()?)?),
            "--radius-km" => out.radius_km = Some(number(flag, value()?)?),
            "--fact" => {
                let v = value()?;
                let (name, val) = v
                    .split_once('=')
                    .ok_or_else(|| usage(format!("--fact expects name=value, got {v:?}")))?;
                out.facts
                    .push((name.trim().to_owned(), val.trim().to_owned()));
            }
            "--lang" => {
                out.french = match value()? {
                    "fr" => true,
                    "en" => false,
                    other => return Err(usage(format!("--lang expects fr or en, got {other:?}"))),
                }
            }
            "--limit" => {
                let v = value()?;
                out.limit = Some(v.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                    usage(format!("--limit expects a positive integer, got {v:?}"))
                })?);
            }
            "--delivery" => out.delivery = Some(parse_delivery(value()?)?),
            "--open-now" => out.open_now = true,
            "--at" => {
                let v = value()?;
                out.at = Some(v.parse().map_err(|e| {
                    usage(format!("--at expects an RFC 3339 instant, got {v:?} ({e})"))
                })?);
            }
            "--json" => out.json = true,
            "--help" | "-h" => out.help = true,
            other => return Err(usage(format!("unknown argument {other:?}"))),
        }
    }
    if out.lat.is_some() != out.lon.is_some() {
        return Err(usage("--lat and --lon go together"));
    }
    if out.radius_km.is_some_and(|r| r < 0.0) {
        return Err(usage("--radius-km must not be negative"));
    }
    Ok(out)
}

/// One demo situation, as read from `situations.json`.
#[derive(Debug, Clone)]
pub struct Situation {
    /// Stable id (snapshot names).
    pub id: String,
    /// English title.
    pub title_en: String,
    /// French title.
    pub title_fr: String,
    /// The query (without `at`).
    pub query: Query,
}

fn fact_value(kind: FactKind, raw: &Value) -> Option<FactValue> {
    match raw {
        Value::Bool(b) => Some(FactValue::Bool(*b)),
        Value::Number(n) => n.as_f64().map(FactValue::Number),
        Value::String(s) if kind == FactKind::List => Some(FactValue::List(vec![s.clone()])),
        Value::String(s) => Some(FactValue::Text(s.clone())),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(FactValue::List),
        _ => None,
    }
}

/// A fact value from command-line text, typed by the navigator's fact catalogue.
fn fact_from_text(kind: FactKind, raw: &str) -> Option<FactValue> {
    match kind {
        FactKind::Bool => match raw {
            "true" | "yes" | "oui" => Some(FactValue::Bool(true)),
            "false" | "no" | "non" => Some(FactValue::Bool(false)),
            _ => None,
        },
        FactKind::Number => raw.parse::<f64>().ok().map(FactValue::Number),
        FactKind::List => Some(FactValue::List(
            raw.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        )),
        _ => Some(FactValue::Text(raw.to_owned())),
    }
}

fn set_fact(
    profile: &mut passerelle::Profile,
    name: &str,
    value: Option<FactValue>,
) -> Result<(), CliError> {
    let value = value.ok_or_else(|| usage(format!("fact {name}: value of the wrong type")))?;
    profile
        .set(name, value)
        .map(|_| ())
        .map_err(|e| usage(format!("fact {name}: {e}")))
}

fn point(lat: f64, lon: f64) -> Result<GeoPoint, CliError> {
    GeoPoint::new(lat, lon).map_err(|e| usage(format!("bad coordinates {lat}, {lon}: {e}")))
}

/// The demo situations, with their queries built against `nav`'s fact catalogue.
///
/// # Errors
/// [`CliError::Failed`] when `situations.json` is malformed.
pub fn situations(nav: &Navigator) -> Result<Vec<Situation>, CliError> {
    let bad = |m: &str| CliError::Failed(format!("situations.json: {m}"));
    let doc: Value = serde_json::from_str(SITUATIONS).map_err(|e| bad(&e.to_string()))?;
    let list = doc
        .get("situations")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no \"situations\" array"))?;
    let mut out = Vec::new();
    for s in list {
        let text = |k: &str| s.get(k).and_then(Value::as_str).map(str::to_owned);
        let num = |k: &str| s.get(k).and_then(Value::as_f64);
        let id = text("id").ok_or_else(|| bad("a situation has no id"))?;
        let title = |lang: &str| {
            s.get("title")
                .and_then(|t| t.get(lang))
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| bad(&format!("{id}: no title.{lang}")))
        };
        let needs: Vec<Need> = s
            .get("needs")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(Need::text).collect())
            .unwrap_or_default();
        let mut query = Query::new(needs);
        if let (Some(lat), Some(lon)) = (num("lat"), num("lon")) {
            query = query.near(point(lat, lon)?, num("radius_km").unwrap_or(10.0) * 1_000.0);
        }
        if let Some(d) = text("delivery") {
            query = query.delivery(parse_delivery(&d)?);
        }
        if let Some(limit) = s.get("limit").and_then(Value::as_i64) {
            query = query.limit(limit);
        }
        if let Some(langs) = s.get("languages").and_then(Value::as_array) {
            let langs = langs
                .iter()
                .filter_map(Value::as_str)
                .map(LangCode::new)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| bad(&format!("{id}: {e}")))?;
            query = query.languages(langs);
        }
        if let Some(facts) = s.get("facts").and_then(Value::as_object) {
            let mut profile = nav.catalog().profile();
            for (name, raw) in facts {
                let kind = nav
                    .catalog()
                    .get(name)
                    .map(|d| d.kind())
                    .ok_or_else(|| bad(&format!("{id}: unknown fact {name}")))?;
                set_fact(&mut profile, name, fact_value(kind, raw))
                    .map_err(|e| bad(&format!("{id}: {e}")))?;
            }
            query = query.profile(profile);
        }
        out.push(Situation {
            title_en: title("en")?,
            title_fr: title("fr")?,
            id,
            query,
        });
    }
    Ok(out)
}

/// The query of a command line with `--need` or `--term`.
///
/// # Errors
/// [`CliError::Usage`] for a bad term code, fact or coordinates.
pub fn query_from_args(nav: &Navigator, args: &Args) -> Result<Query, CliError> {
    let mut needs: Vec<Need> = args.needs.iter().map(Need::text).collect();
    for code in &args.terms {
        let term = TermCode::new(code).map_err(|e| usage(format!("--term {code:?}: {e}")))?;
        needs.push(Need::term(term));
    }
    let mut query = Query::new(needs);
    if let (Some(lat), Some(lon)) = (args.lat, args.lon) {
        query = query.near(point(lat, lon)?, args.radius_km.unwrap_or(10.0) * 1_000.0);
    }
    if !args.facts.is_empty() {
        let mut profile = nav.catalog().profile();
        for (name, raw) in &args.facts {
            let def = nav.catalog().get(name).ok_or_else(|| {
                let known: Vec<&str> = nav.catalog().facts().map(|f| f.name()).collect();
                usage(format!(
                    "unknown fact {name:?} (known: {})",
                    known.join(", ")
                ))
            })?;
            set_fact(&mut profile, name, fact_from_text(def.kind(), raw))?;
        }
        query = query.profile(profile);
    }
    if args.french {
        query = query.languages([LangCode::fr()]);
    }
    Ok(query)
}

/// Applies the options every query takes from the command line.
fn apply_common(mut query: Query, args: &Args, at: jiff::Timestamp) -> Query {
    if let Some(limit) = args.limit {
        query = query.limit(limit);
    }
    if let Some(d) = args.delivery {
        query = query.delivery(d);
    }
    if args.open_now {
        query = query.open_only();
    }
    query.at(at)
}

/// Output language helpers.
struct Lang {
    fr: bool,
    code: LangCode,
}

impl Lang {
    fn pick<'a>(&self, en: &'a str, fr: &'a str) -> &'a str {
        if self.fr {
            fr
        } else {
            en
        }
    }

    fn km(&self, m: f64) -> String {
        let s = format!("{:.1} km", m / 1_000.0);
        if self.fr {
            s.replace('.', ",")
        } else {
            s
        }
    }
}

fn via_text(lang: &Lang, mode: DeliveryMode) -> &'static str {
    match mode {
        DeliveryMode::InPerson => lang.pick("in person", "en personne"),
        DeliveryMode::Phone => lang.pick("by phone", "par téléphone"),
        DeliveryMode::Virtual => lang.pick("online", "en ligne"),
        DeliveryMode::HomeVisit => lang.pick("at home", "à domicile"),
        DeliveryMode::MobileOutreach => lang.pick("mobile outreach", "service mobile"),
        _ => lang.pick("other", "autre"),
    }
}

fn local_time(nav: &Navigator, lang: &Lang, t: jiff::Timestamp, now: jiff::Timestamp) -> String {
    let zone = nav.time_zone();
    let local = t.to_zoned(zone.clone());
    let same_day = local.date() == now.to_zoned(zone.clone()).date();
    let time = if lang.fr && local.minute() == 0 {
        format!("{} h", local.hour())
    } else if lang.fr {
        format!("{} h {:02}", local.hour(), local.minute())
    } else {
        format!("{:02}:{:02}", local.hour(), local.minute())
    };
    if same_day {
        time
    } else if lang.fr {
        let days = [
            "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        ];
        let d = days
            .get(usize::from(
                local.weekday().to_monday_zero_offset().unsigned_abs(),
            ))
            .copied()
            .unwrap_or_default();
        format!("{d} {time}")
    } else {
        format!("{} {time}", local.strftime("%a"))
    }
}

fn open_text(nav: &Navigator, lang: &Lang, m: &Match, at: jiff::Timestamp) -> String {
    if m.always_open {
        return lang
            .pick("open 24/7", "ouvert 24 h sur 24, 7 j sur 7")
            .to_owned();
    }
    match m.openness {
        Openness::Open { closes_at: Some(t) } => format!(
            "{} {}",
            lang.pick("open now, until", "ouvert, jusqu'à"),
            local_time(nav, lang, t, at)
        ),
        Openness::Open { closes_at: None } => lang.pick("open now", "ouvert").to_owned(),
        Openness::Closed {
            next_opens: Some(t),
        } => format!(
            "{} {}",
            lang.pick("closed, opens", "fermé, ouvre"),
            local_time(nav, lang, t, at)
        ),
        Openness::Closed { next_opens: None } => lang.pick("closed", "fermé").to_owned(),
        _ => lang.pick("hours unknown", "horaire inconnu").to_owned(),
    }
}

/// The facts' labels in the output language (`household_income` → "household income").
fn fact_labels(nav: &Navigator, lang: &Lang, facts: &[String]) -> String {
    let labels: Vec<&str> = facts
        .iter()
        .map(|f| {
            nav.catalog()
                .get(f)
                .map_or(f.as_str(), |d| lang.pick(d.label_en(), d.label_fr()))
        })
        .collect();
    labels.join(", ")
}

fn eligibility_text(nav: &Navigator, lang: &Lang, m: &Match) -> String {
    let e = &m.eligibility;
    match e.status {
        EligibilityStatus::Eligible => lang.pick("eligible", "admissible").to_owned(),
        EligibilityStatus::Unknown => format!(
            "{} {}",
            lang.pick("to confirm: ask about", "à confirmer : demander"),
            fact_labels(nav, lang, &e.missing_facts)
        ),
        _ => {
            let why: Vec<&str> = e.failed.iter().map(|r| r.text(&lang.code)).collect();
            format!(
                "{}: {}",
                lang.pick("not eligible", "non admissible"),
                why.join(" ")
            )
        }
    }
}

/// Reasons not already shown on the match's status line.
fn main_reasons<'a>(lang: &Lang, m: &'a Match) -> Vec<&'a str> {
    m.reasons
        .iter()
        .filter(|r| {
            !matches!(
                r.factor,
                Factor::Distance | Factor::Eligibility | Factor::Open
            )
        })
        .take(3)
        .map(|r| r.text(&lang.code))
        .collect()
}

fn write_match(
    out: &mut dyn Write,
    nav: &Navigator,
    lang: &Lang,
    m: &Match,
    at: jiff::Timestamp,
) -> io::Result<()> {
    let service = m.service_name.get(&lang.code);
    let org = m.organization_name.get(&lang.code);
    writeln!(out, "  {}. {service} — {org}", m.rank)?;
    let mut place = Vec::new();
    let location = m.location_name.get(&lang.code);
    if !location.is_empty() {
        place.push(location.to_owned());
    }
    if let Some(d) = m.distance_m {
        place.push(lang.km(d));
    }
    place.push(via_text(lang, m.via).to_owned());
    place.push(open_text(nav, lang, m, at));
    place.push(eligibility_text(nav, lang, m));
    writeln!(out, "     {}", place.join(" · "))?;
    let reasons = main_reasons(lang, m);
    if !reasons.is_empty() {
        writeln!(out, "     {}", reasons.join(" "))?;
    }
    Ok(())
}

/// Writes the results of one search as readable text.
fn write_results(
    out: &mut dyn Write,
    nav: &Navigator,
    lang: &Lang,
    query: &Query,
    res: &SearchResults,
) -> io::Result<()> {
    if let Some(c) = &res.crisis {
        writeln!(out, "  ! {}", c.message.text(&lang.code))?;
    }
    let many = res.needs.len() > 1;
    for need in &res.needs {
        if many {
            let text = query
                .needs
                .get(need.need_index)
                .and_then(|n| n.text.clone())
                .unwrap_or_default();
            writeln!(
                out,
                "  {} {} « {text} » ({} {}){}",
                lang.pick("Need", "Besoin"),
                need.need_index + 1,
                need.total,
                lang.pick("found", "trouvés"),
                lang.pick(":", " :")
            )?;
        }
        if need.matches.is_empty() {
            let why = need
                .no_match_text
                .as_ref()
                .map_or("", |r| r.text(&lang.code));
            writeln!(
                out,
                "  {} {why}",
                lang.pick("No result.", "Aucun résultat.")
            )?;
        }
        for m in &need.matches {
            write_match(out, nav, lang, m, res.at)?;
        }
    }
    if let Some(hub) = res.multi_need.first() {
        let needs: Vec<String> = hub.needs.iter().map(|i| (i + 1).to_string()).collect();
        let dist = hub
            .distance_m
            .map(|d| format!(", {}", lang.km(d)))
            .unwrap_or_default();
        let services: Vec<&str> = hub
            .service_ids
            .iter()
            .map(|id| {
                nav.directory()
                    .services
                    .iter()
                    .find(|s| &s.id == id)
                    .map_or(id.as_str(), |s| s.name.get(&lang.code))
            })
            .collect();
        writeln!(
            out,
            "  {} {}{dist}, {} {}{} {}",
            lang.pick(
                "One stop for all your needs:",
                "Guichet unique pour tous vos besoins :"
            ),
            hub.location_name.get(&lang.code),
            lang.pick("needs", "besoins"),
            needs.join(" + "),
            lang.pick(":", " :"),
            services.join(" + ")
        )?;
    }
    if !res.next_questions.is_empty() {
        writeln!(out, "  {}", lang.pick("Ask next:", "À demander ensuite :"))?;
        for q in res.next_questions.iter().take(3) {
            let plural = if q.affects > 1 { "s" } else { "" };
            writeln!(
                out,
                "   - {} ({} {}{plural})",
                lang.pick(&q.en, &q.fr),
                q.affects,
                lang.pick("result", "résultat")
            )?;
        }
    }
    Ok(())
}

fn round1(m: f64) -> f64 {
    (m / 100.0).round() / 10.0
}

/// A compact, stable JSON projection of search results (what `--json` prints and the golden
/// tests snapshot): ids, ranks, eligibility, rounded distance, delivery, openness and reasons.
pub fn projection(res: &SearchResults) -> Value {
    let needs: Vec<Value> = res
        .needs
        .iter()
        .map(|n| {
            let matches: Vec<Value> = n
                .matches
                .iter()
                .map(|m| {
                    json!({
                        "rank": m.rank,
                        "service": m.service_id,
                        "location": m.location_id,
                        "distance_km": m.distance_m.map(round1),
                        "via": m.via.as_str(),
                        "open": match m.openness {
                            Openness::Open { .. } => "open",
                            Openness::Closed { .. } => "closed",
                            _ => "unknown",
                        },
                        "crisis_line": m.crisis_line,
                        "need_match": m.need_match.as_str(),
                        "eligibility": m.eligibility.status.as_str(),
                        "missing_facts": m.eligibility.missing_facts,
                        "failed": m.eligibility.failed.iter().map(|r| json!({"en": r.en, "fr": r.fr})).collect::<Vec<_>>(),
                        "score": (m.score * 1000.0).round() / 1000.0,
                        "reasons": m.reasons.iter().map(|r| json!({"en": r.en, "fr": r.fr})).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({
                "need": n.need_index,
                "understood_as": n.understood_as.iter().map(TermCode::as_str).collect::<Vec<_>>(),
                "crisis": n.crisis.map(|c| format!("{c:?}")),
                "total": n.total,
                "no_match": n.no_match.map(|r| r.as_str()),
                "matches": matches,
            })
        })
        .collect();
    json!({
        "crisis": res.crisis.as_ref().map(|c| json!({"needs": c.needs, "en": c.message.en, "fr": c.message.fr})),
        "needs": needs,
        "one_stop": res.multi_need.iter().map(|h| json!({
            "location": h.location_id,
            "needs": h.needs,
            "services": h.service_ids,
            "distance_km": h.distance_m.map(round1),
        })).collect::<Vec<_>>(),
        "next_questions": res.next_questions.iter().map(|q| json!({"fact": q.fact, "affects": q.affects})).collect::<Vec<_>>(),
    })
}

fn load(args: &Args) -> Result<Imported, CliError> {
    match &args.dir {
        None => Ok(sample_directory()),
        Some(path) => import_path(path, &ImportOptions::default())
            .map_err(|e| CliError::Failed(format!("cannot load {path}: {e}"))),
    }
}

/// Builds the navigator over the directory the arguments name, writing the directory's notice
/// and import summary to `out` (unless `quiet`).
fn build(
    args: &Args,
    lang: &Lang,
    out: &mut dyn Write,
    quiet: bool,
) -> Result<Navigator, CliError> {
    let imported = load(args)?;
    let report = &imported.report;
    let meta = &imported.directory.meta;
    if !quiet {
        let notice_fr = meta.extra.get("notice@fr").and_then(Value::as_str);
        let notice = match (lang.fr, notice_fr) {
            (true, Some(fr)) => Some(fr),
            _ => meta.notice.as_deref(),
        };
        if let Some(notice) = notice {
            writeln!(out, "{notice}")?;
        }
        let loaded = report.loaded();
        let count = |t: &str| loaded.get(t).copied().unwrap_or_default();
        writeln!(
            out,
            "{}: {} services, {} organizations, {} locations; {} error(s), {} warning(s)",
            if meta.name.is_empty() {
                "directory"
            } else {
                &meta.name
            },
            count("services"),
            count("organizations"),
            count("locations"),
            report.errors().count(),
            report.warnings().count(),
        )?;
        let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
        for w in report.warnings() {
            *kinds.entry(format!("{:?}", w.kind)).or_default() += 1;
        }
        if !kinds.is_empty() {
            let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
            writeln!(out, "  warnings: {}", list.join(", "))?;
        }
    }
    // The fictional sample's named areas resolve with its own fictional gazetteer only.
    let options = match args.dir {
        None => NavigatorOptions::sample(),
        Some(_) => NavigatorOptions::default(),
    };
    let (nav, _build) = Navigator::build(imported.directory, options)
        .map_err(|e| CliError::Failed(format!("cannot build the navigator: {e}")))?;
    Ok(nav)
}

/// Runs the demo with `args` (without the program name), writing to `out`.
///
/// # Errors
/// [`CliError::Usage`] for bad input, [`CliError::Failed`] when loading or searching fails.
pub fn run(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let args = parse_args(args)?;
    if args.help {
        writeln!(out, "{USAGE}")?;
        return Ok(());
    }
    let lang = Lang {
        fr: args.french,
        code: if args.french {
            LangCode::fr()
        } else {
            LangCode::en()
        },
    };
    let nav = build(&args, &lang, out, args.json)?;
    let at = args.at.unwrap_or_else(jiff::Timestamp::now);
    let runs: Vec<(String, String, Query)> = if args.needs.is_empty() && args.terms.is_empty() {
        if args.dir.is_some() {
            return Err(usage("with --dir, give --need or --term"));
        }
        situations(&nav)?
            .into_iter()
            .map(|s| {
                let title = if lang.fr { s.title_fr } else { s.title_en };
                (s.id, title, s.query)
            })
            .collect()
    } else {
        vec![(
            "query".to_owned(),
            String::new(),
            query_from_args(&nav, &args)?,
        )]
    };
    let mut json_out = Vec::new();
    for (n, (id, title, query)) in runs.into_iter().enumerate() {
        let query = apply_common(query, &args, at);
        let res = nav
            .search(&query)
            .map_err(|e| usage(format!("search failed: {e}")))?;
        if args.json {
            json_out.push(json!({"id": id, "results": projection(&res)}));
            continue;
        }
        writeln!(out)?;
        if !title.is_empty() {
            writeln!(out, "{}. {title}", n + 1)?;
        }
        write_results(out, &nav, &lang, &query, &res)?;
    }
    if args.json {
        let text = serde_json::to_string_pretty(&json_out)
            .map_err(|e| CliError::Failed(format!("cannot write JSON: {e}")))?;
        writeln!(out, "{text}")?;
    }
    Ok(())
}

#[allow(dead_code)]
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match run(&args, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Usage(m)) => {
            eprintln!("error: {m}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(CliError::Failed(m)) => {
            if !m.is_empty() {
                eprintln!("error: {m}");
            }
            ExitCode::FAILURE
        }
    }
}
