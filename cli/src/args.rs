//! The command line: a command, an optional directory path, and flags.

use passerelle::{
    matching::DeliveryPreference, model::TermCode, rules::Profile, Navigator, Need, Query,
};

use crate::CliError;

/// The commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Command {
    /// The demo situations on the embedded sample (the default).
    #[default]
    Demo,
    /// One search.
    Search,
    /// The import report of a directory.
    Validate,
    /// Re-export a directory as HSDS.
    Export,
    /// Export a query's matches as an HSDS sub-directory.
    Subset,
    /// Gap analysis of unmet-need and referral records.
    Gaps,
    /// Write a navigator snapshot of a directory.
    Snapshot,
    /// The usage text.
    Help,
    /// The library's version (`passerelle::VERSION`, the one every artifact reports).
    Version,
}

/// Output format of `export`, `subset` and `gaps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A folder of HSDS CSV tables (`export`, `subset`) or CSV text (`gaps`).
    #[default]
    Csv,
    /// One HSDS JSON document.
    Json,
    /// GeoJSON (`gaps`).
    GeoJson,
}

/// The parsed command line.
#[derive(Debug, Default, Clone)]
pub struct Args {
    /// The command.
    pub command: Command,
    /// The directory (a CSV folder or a JSON file); `None`: the embedded sample.
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
    /// `--out`.
    pub out: Option<String>,
    /// `--format`.
    pub format: Option<Format>,
    /// `--unmet`.
    pub unmet: Option<String>,
    /// `--referrals`.
    pub referrals: Option<String>,
    /// `--min-records`.
    pub min_records: Option<u32>,
}

fn usage(msg: impl Into<String>) -> CliError {
    CliError::Usage(msg.into())
}

fn number(flag: &str, value: &str) -> Result<f64, CliError> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| usage(format!("{flag} expects a number, got {value:?}")))
}

fn command(name: &str) -> Option<Command> {
    Some(match name {
        "demo" => Command::Demo,
        "search" => Command::Search,
        "validate" => Command::Validate,
        "export" => Command::Export,
        "subset" => Command::Subset,
        "gaps" => Command::Gaps,
        "snapshot" => Command::Snapshot,
        "help" => Command::Help,
        "version" => Command::Version,
        _ => return None,
    })
}

/// Parses the command line (without the program name).
///
/// # Errors
/// [`CliError::Usage`] for an unknown command or flag, a missing or malformed value.
pub fn parse_args(args: &[String]) -> Result<Args, CliError> {
    let mut out = Args::default();
    let mut it = args.iter().peekable();
    if let Some(first) = it.peek() {
        if !first.starts_with('-') {
            out.command =
                command(first).ok_or_else(|| usage(format!("unknown command {first:?}")))?;
            it.next();
        }
    }
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .map(String::as_str)
                .ok_or_else(|| usage(format!("{flag} expects a value")))
        };
        match flag.as_str() {
            "--need" => out.needs.push(value()?.to_owned()),
            "--term" => out.terms.push(value()?.to_owned()),
            "--lat" => out.lat = Some(number(flag, value()?)?),
            "--lon" => out.lon = Some(number(flag, value()?)?),
            "--radius-km" => out.radius_km = Some(number(flag, value()?)?),
            "--fact" => {
                let v = value()?;
                let (name, val) = v
                    .split_once('=')
                    .ok_or_else(|| usage("--fact expects name=value"))?;
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
            "--delivery" => {
                out.delivery =
                    Some(value()?.parse().map_err(|_| {
                        usage("--delivery expects in-person, remote, home or phone")
                    })?);
            }
            "--open-now" => out.open_now = true,
            "--at" => {
                let v = value()?;
                out.at = Some(v.parse().map_err(|e| {
                    usage(format!("--at expects an RFC 3339 instant, got {v:?} ({e})"))
                })?);
            }
            "--json" => out.json = true,
            "--out" => out.out = Some(value()?.to_owned()),
            "--format" => {
                out.format = Some(match value()? {
                    "csv" => Format::Csv,
                    "json" => Format::Json,
                    "geojson" => Format::GeoJson,
                    other => {
                        return Err(usage(format!(
                            "--format expects csv, json or geojson, got {other:?}"
                        )))
                    }
                });
            }
            "--unmet" => out.unmet = Some(value()?.to_owned()),
            "--referrals" => out.referrals = Some(value()?.to_owned()),
            "--min-records" => {
                let v = value()?;
                out.min_records =
                    Some(v.parse::<u32>().ok().filter(|k| *k > 0).ok_or_else(|| {
                        usage(format!(
                            "--min-records expects a positive integer, got {v:?}"
                        ))
                    })?);
            }
            "--help" | "-h" => out.command = Command::Help,
            "--version" | "-V" => out.command = Command::Version,
            other if !other.starts_with('-') && out.dir.is_none() => {
                out.dir = Some(other.to_owned());
            }
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

/// The query of a command line with `--need` or `--term`, its facts typed by `nav`'s
/// catalogue.
///
/// # Errors
/// [`CliError::Usage`] for a bad term code, fact or coordinates, or no need at all.
pub fn query_from_args(nav: &Navigator, args: &Args) -> Result<Query, CliError> {
    let mut needs: Vec<Need> = args.needs.iter().map(Need::text).collect();
    for code in &args.terms {
        let term = TermCode::new(code).map_err(|e| usage(format!("--term {code:?}: {e}")))?;
        needs.push(Need::term(term));
    }
    if needs.is_empty() {
        return Err(usage("give at least one --need or --term"));
    }
    let mut query = Query::new(needs);
    if let (Some(lat), Some(lon)) = (args.lat, args.lon) {
        let point = passerelle::model::GeoPoint::new(lat, lon)
            .map_err(|e| usage(format!("bad coordinates: {e}")))?;
        query = query.near(point, args.radius_km.unwrap_or(10.0) * 1_000.0);
    }
    if !args.facts.is_empty() {
        query = query.profile(profile(nav, &args.facts)?);
    }
    if args.french {
        query = query.languages([passerelle::model::LangCode::fr()]);
    }
    Ok(apply_common(query, args))
}

/// Applies the options every query takes from the command line (limit, delivery, open now,
/// instant).
pub fn apply_common(mut query: Query, args: &Args) -> Query {
    if let Some(limit) = args.limit {
        query = query.limit(limit);
    }
    if let Some(d) = args.delivery {
        query = query.delivery(d);
    }
    if args.open_now {
        query = query.open_only();
    }
    query.at(args.at.unwrap_or_else(jiff::Timestamp::now))
}

/// A profile from `name=value` pairs. Errors name the fact, never its value.
fn profile(nav: &Navigator, facts: &[(String, String)]) -> Result<Profile, CliError> {
    let catalog = nav.catalog();
    let mut profile = catalog.profile();
    for (name, raw) in facts {
        let def = catalog.get(name).ok_or_else(|| {
            let known: Vec<&str> = catalog.facts().map(|f| f.name()).collect();
            usage(format!(
                "unknown fact {name:?} (known: {})",
                known.join(", ")
            ))
        })?;
        let value = passerelle::rules::FactValue::parse(def.kind(), raw)
            .map_err(|e| usage(format!("fact {name}: {e}")))?
            .ok_or_else(|| usage(format!("fact {name}: no value")))?;
        profile
            .set(name, value)
            .map_err(|e| usage(format!("fact {name}: {e}")))?;
    }
    Ok(profile)
}
