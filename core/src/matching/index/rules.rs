//! Build step: eligibility rules. Each service's effective rule (ages, eligibility
//! population terms, the `eligibility_rule` text and, when asked, conditions read from its
//! `eligibility_description`) compiles once per distinct rule, services sharing the entry.

use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};

use crate::model::{Directory, DirectoryIndex, Service};
use crate::rules::{CompiledRule, FactCatalog, KnownPlaces, Rule, Tables};

use super::{len_u32, NONE};
use crate::matching::navigator::{BuildProblem, BuildReport};

/// The deployer's lookup tables merged with the directory's `eligibility_tables` (rows that
/// do not fit are reported).
pub(crate) fn merged_tables(base: &Tables, dir: &Directory, report: &mut BuildReport) -> Tables {
    let mut tables = base.clone();
    for (name, rows) in &dir.eligibility_tables {
        for &(key, value) in rows {
            if let Err(e) = tables.insert(name, key, value) {
                report.problems.push(BuildProblem {
                    record_id: format!("eligibility_tables/{name}"),
                    message: e.to_string(),
                });
            }
        }
    }
    tables
}

/// The distinct compiled rules and, per distinct [`RuleKey`], its entry and problem.
#[derive(Debug)]
pub(crate) struct RuleInterner<'a> {
    seen: HashMap<RuleKey<'a>, (u32, Option<String>)>,
    tables: Tables,
    infer: bool,
    /// Places the directory names, for residency read from text and compared with a
    /// resident's place.
    places: Arc<KnownPlaces>,
    /// The distinct compiled rules (`Index::rules`).
    pub(crate) rules: Vec<CompiledRule>,
    /// Per entry of `rules`, what it compiled from (`Sources::rules`).
    pub(crate) sources: Vec<RuleSource>,
}

impl<'a> RuleInterner<'a> {
    /// An empty interner compiling against `tables`; `infer` reads conditions from the
    /// eligibility descriptions of `dir`.
    pub(crate) fn new(tables: Tables, infer: bool, dir: &Directory) -> Self {
        Self {
            seen: HashMap::new(),
            tables,
            infer,
            places: Arc::new(KnownPlaces::of_directory(dir)),
            rules: Vec::new(),
            sources: Vec::new(),
        }
    }

    /// The rule entry of a service (`NONE` when it has no condition) and the problem with
    /// its rule text, if any.
    pub(crate) fn intern(
        &mut self,
        index: &DirectoryIndex<'a>,
        s: &'a Service,
        catalog: &FactCatalog,
    ) -> (u32, Option<String>) {
        let key = RuleKey::of(index, s, self.infer);
        if let Some(known) = self.seen.get(&key) {
            return known.clone();
        }
        let (compiled, problem) = key.compile(catalog, &self.tables, &self.places);
        let rule = match compiled {
            Some(rule) => {
                self.rules.push(rule);
                self.sources.push(RuleSource::of(&key));
                len_u32(self.rules.len() - 1)
            }
            None => NONE,
        };
        self.seen.insert(key, (rule, problem.clone()));
        (rule, problem)
    }
}

/// What the effective rule of a service is made of: `minimum_age`/`maximum_age`,
/// `eligibility` population attributes (`population has_any [...]`) and the
/// `eligibility_rule` extension. Services with equal keys have equal rules, so the key
/// interns compiled rules.
#[derive(Debug, PartialEq, Eq, Hash)]
struct RuleKey<'a> {
    /// `f64::to_bits` of the ages, so the key is `Eq + Hash` (equal bits ⇒ equal rule).
    min_age: Option<u64>,
    max_age: Option<u64>,
    populations: Vec<&'a str>,
    text: Option<&'a str>,
    /// The `eligibility_description` to read conditions from (inference on, no rule text).
    inferred: Option<&'a str>,
}

/// An owned [`RuleKey`]: what one distinct compiled rule is made of, kept so a snapshot
/// compiles it again at open (against the same catalogue and tables).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct RuleSource {
    min_age: Option<u64>,
    max_age: Option<u64>,
    populations: Vec<String>,
    text: Option<String>,
    inferred: Option<String>,
}

impl RuleSource {
    fn of(key: &RuleKey<'_>) -> Self {
        Self {
            min_age: key.min_age,
            max_age: key.max_age,
            populations: key.populations.iter().map(|&p| p.to_owned()).collect(),
            text: key.text.map(str::to_owned),
            inferred: key.inferred.map(str::to_owned),
        }
    }

    /// Compiles the rule again; `None` when it has no condition or does not compile (not
    /// the case for a source a build recorded with the same catalogue and tables).
    pub(crate) fn compile(
        &self,
        catalog: &FactCatalog,
        tables: &Tables,
        places: &Arc<KnownPlaces>,
    ) -> Option<CompiledRule> {
        let key = RuleKey {
            min_age: self.min_age,
            max_age: self.max_age,
            populations: self.populations.iter().map(String::as_str).collect(),
            text: self.text.as_deref(),
            inferred: self.inferred.as_deref(),
        };
        key.compile(catalog, tables, places).0
    }
}

impl<'a> RuleKey<'a> {
    fn of(index: &DirectoryIndex<'a>, s: &'a Service, infer: bool) -> Self {
        let text = s
            .eligibility_rule
            .as_deref()
            .filter(|t| !t.trim().is_empty());
        Self {
            min_age: s.minimum_age.map(f64::to_bits),
            max_age: s.maximum_age.map(f64::to_bits),
            populations: index
                .term_codes_of(&s.id, "eligibility")
                .map(|c| c.as_str().strip_prefix("population.").unwrap_or(c.as_str()))
                .collect(),
            text,
            inferred: Some(s.eligibility_description.value.as_str())
                .filter(|t| infer && text.is_none() && !t.trim().is_empty()),
        }
    }

    /// The rule these parts join with `and`; `None` when the service has no condition.
    ///
    /// An `eligibility_rule` text that does not parse or compile is left out and named in
    /// the second value (never resident data: rules are directory data); the service's other
    /// conditions still apply, so a broken rule text never drops a valid `minimum_age`.
    fn compile(
        &self,
        catalog: &FactCatalog,
        tables: &Tables,
        places: &Arc<KnownPlaces>,
    ) -> (Option<CompiledRule>, Option<String>) {
        let mut parts = Vec::new();
        if self.min_age.is_some() || self.max_age.is_some() {
            parts.push(Rule::age_between(
                self.min_age.map(f64::from_bits),
                self.max_age.map(f64::from_bits),
            ));
        }
        if !self.populations.is_empty() {
            parts.push(Rule::population_any(&self.populations));
        }
        let inferred = self.inferred.map_or_else(Vec::new, |text| {
            let has_ages = self.min_age.is_some() || self.max_age.is_some();
            crate::rules::usable_conditions(text, catalog, tables, has_ages, places)
        });
        parts.extend(inferred.iter().map(|c| c.rule().clone()));
        let compile = |parts: Vec<Rule>| -> Result<Option<CompiledRule>, String> {
            if parts.is_empty() {
                return Ok(None);
            }
            catalog
                .compile_rule(&Rule::all(parts), tables)
                .map(|rule| {
                    Some(
                        rule.with_inferred(inferred.clone())
                            .with_known_places(Arc::clone(places)),
                    )
                })
                .map_err(|e| format!("eligibility rule: {e}"))
        };
        let Some(text) = self.text else {
            return match compile(parts) {
                Ok(rule) => (rule, None),
                Err(message) => (None, Some(message)),
            };
        };
        let with_text = match Rule::parse(text) {
            Ok(extra) => {
                let mut all = parts.clone();
                all.push(extra);
                compile(all)
            }
            Err(e) => Err(format!("eligibility_rule: {e}")),
        };
        match with_text {
            Ok(rule) => (rule, None),
            // The text is at fault: keep the conditions from the service's other fields.
            Err(message) => match compile(parts) {
                Ok(rule) => (rule, Some(message)),
                Err(_) => (None, Some(message)),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Verdict;

    fn service(id: &str, min_age: Option<f64>, rule: Option<&str>) -> Service {
        Service {
            id: id.into(),
            minimum_age: min_age,
            eligibility_rule: rule.map(str::to_owned),
            ..Service::default()
        }
    }

    #[test]
    fn equal_rules_share_one_entry() {
        let dir = Directory::default();
        let index = DirectoryIndex::new(&dir);
        let catalog = FactCatalog::standard();
        let mut interner = RuleInterner::new(Tables::new(), false, &dir);
        let a = service("a", Some(65.0), None);
        let b = service("b", Some(65.0), None);
        let c = service("c", Some(18.0), None);
        let none = service("d", None, None);
        let (ra, _) = interner.intern(&index, &a, &catalog);
        let (rb, _) = interner.intern(&index, &b, &catalog);
        let (rc, _) = interner.intern(&index, &c, &catalog);
        assert_eq!(ra, rb);
        assert_ne!(ra, rc);
        assert_eq!(interner.intern(&index, &none, &catalog), (NONE, None));
        assert_eq!(interner.rules.len(), 2);
    }

    #[test]
    fn a_broken_rule_text_keeps_the_age_limit() {
        let dir = Directory::default();
        let index = DirectoryIndex::new(&dir);
        let catalog = FactCatalog::standard();
        let mut interner = RuleInterner::new(Tables::new(), false, &dir);
        let s = service("s", Some(65.0), Some("age >= ("));
        let (r, problem) = interner.intern(&index, &s, &catalog);
        assert!(problem.is_some_and(|p| p.starts_with("eligibility_rule")));
        let rule = interner.rules.get(r as usize).unwrap();
        let mut young = catalog.profile();
        young
            .set("age", crate::rules::FactValue::Number(30.0))
            .unwrap();
        assert_eq!(rule.evaluate(&young), Verdict::Ineligible);
    }
}
