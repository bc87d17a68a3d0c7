//! Explained evaluation: which conditions failed or are open, sentences for the resident in
//! English and French, missing facts, and which question to ask next.

use std::collections::BTreeMap;

use super::ast::Cmp;
use super::catalog::{FactDef, Profile};
use super::compile::{CompiledRule, Key, Node};
use super::error::Span;
use super::eval::{Force, Verdict};
use crate::model::LangCode;

/// The explained result of a rule for a profile.
///
/// # Examples
/// ```
/// use passerelle::rules::{FactCatalog, Outcome, Tables};
/// let c = FactCatalog::standard();
/// let rule = c.compile("age >= 65 or (disability and age >= 18)", &Tables::new()).unwrap();
/// let mut p = c.profile();
/// p.set("age", 40.into()).unwrap();
/// let Outcome::Unknown { missing, open } = rule.explain(&p) else { panic!() };
/// assert_eq!(missing[0].fact(), "disability");
/// assert_eq!(open[0].en(), "you must have a disability");
/// p.set("disability", false.into()).unwrap();
/// let Outcome::Ineligible { failed } = rule.explain(&p) else { panic!() };
/// assert_eq!(failed[0].en(), "minimum age is 65");
/// assert_eq!(failed[0].fr(), "l'âge minimum est de 65 ans");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Outcome<'r> {
    /// The rule holds.
    Eligible,
    /// The rule fails; the conditions that made it fail.
    Ineligible {
        /// Failed conditions, in rule order.
        failed: Vec<Condition<'r>>,
    },
    /// Missing facts leave the rule undecided.
    Unknown {
        /// The facts whose absence leaves the rule open, in catalogue order.
        missing: Vec<MissingFact<'r>>,
        /// The open conditions, in rule order.
        open: Vec<Condition<'r>>,
    },
}

impl Outcome<'_> {
    /// The verdict without explanation.
    pub fn verdict(&self) -> Verdict {
        match self {
            Outcome::Eligible => Verdict::Eligible,
            Outcome::Ineligible { .. } => Verdict::Ineligible,
            Outcome::Unknown { .. } => Verdict::Unknown,
        }
    }
}

/// One condition of a rule, as it applies to a profile: where it is in the rule text and
/// what it requires, phrased for the resident.
///
/// `Debug` shows the condition's rule text, never the profile value it was looked up with
/// (a `threshold(…, household_size)` key is the resident's own household size).
#[derive(Clone, PartialEq)]
pub struct Condition<'r> {
    rule: &'r CompiledRule,
    node: u32,
    negated: bool,
    key: Option<f64>,
    threshold: Option<f64>,
}

impl std::fmt::Debug for Condition<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Condition")
            .field("text", &self.text())
            .field("negated", &self.negated)
            .field("key", &self.key.map(|_| "<redacted>"))
            .field("threshold", &self.threshold)
            .finish()
    }
}

/// A fact missing from a profile that a rule needs.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingFact<'r> {
    def: &'r FactDef,
    settles: bool,
}

impl<'r> MissingFact<'r> {
    #[cfg(feature = "rule-set")]
    pub(crate) fn new(def: &'r FactDef, settles: bool) -> Self {
        Self { def, settles }
    }

    /// The fact name.
    pub fn fact(&self) -> &'r str {
        self.def.name()
    }

    /// Whether knowing this fact alone can decide the rule (for some value of the fact).
    pub fn settles(&self) -> bool {
        self.settles
    }

    /// The fact's definition (question, sensitivity …).
    pub fn def(&self) -> &'r FactDef {
        self.def
    }
}

/// A question to ask the resident next, from [`next_questions`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The fact the question settles.
    pub fact: String,
    /// How many of the outcomes knowing this fact alone can decide.
    pub settles: usize,
    /// How many of the outcomes miss this fact.
    pub affects: usize,
    /// The fact's sensitivity rank (lower is asked first).
    pub sensitivity: u8,
    /// The question in English.
    pub question_en: String,
    /// The question in French.
    pub question_fr: String,
}

/// Ranks the missing facts of `Unknown` outcomes (e.g. one per service) by how many
/// outcomes each would settle; ties go to the less sensitive fact, then by name.
///
/// A fact *settles* an outcome when some answer to it alone decides the rule (each
/// condition on the fact is tried all-true and all-false; other missing facts stay
/// unknown).
///
/// # Examples
/// ```
/// use passerelle::rules::{next_questions, FactCatalog, Tables};
/// let c = FactCatalog::standard();
/// let t = Tables::new();
/// let rules = [
///     c.compile("age >= 65", &t).unwrap(),
///     c.compile("age >= 18 and disability", &t).unwrap(),
///     c.compile("disability", &t).unwrap(),
///     c.compile("household_income < 30000", &t).unwrap(),
/// ];
/// let p = c.profile();
/// let outcomes: Vec<_> = rules.iter().map(|r| r.explain(&p)).collect();
/// let q = next_questions(&outcomes);
/// assert_eq!((q[0].fact.as_str(), q[0].settles), ("age", 2)); // age before disability: less sensitive
/// assert_eq!((q[1].fact.as_str(), q[1].settles), ("disability", 2));
/// assert_eq!(q[0].question_en, "How old are you?");
/// ```
pub fn next_questions(outcomes: &[Outcome<'_>]) -> Vec<Question> {
    rank_questions(outcomes.iter().filter_map(|o| match o {
        Outcome::Unknown { missing, .. } => Some(missing.as_slice()),
        _ => None,
    }))
}

/// [`next_questions`] over the missing facts of each unknown outcome.
pub(crate) fn rank_questions<'a, 'r: 'a>(
    outcomes: impl Iterator<Item = &'a [MissingFact<'r>]>,
) -> Vec<Question> {
    let mut by_fact: BTreeMap<&str, Question> = BTreeMap::new();
    for missing in outcomes {
        {
            for m in missing {
                let q = by_fact.entry(m.fact()).or_insert_with(|| Question {
                    fact: m.fact().to_owned(),
                    settles: 0,
                    affects: 0,
                    sensitivity: m.def.sensitivity_rank(),
                    question_en: m.def.question_en().to_owned(),
                    question_fr: m.def.question_fr().to_owned(),
                });
                q.affects += 1;
                q.settles += usize::from(m.settles);
            }
        }
    }
    let mut out: Vec<Question> = by_fact.into_values().collect();
    out.sort_by(|a, b| {
        b.settles
            .cmp(&a.settles)
            .then(a.sensitivity.cmp(&b.sensitivity))
            .then_with(|| a.fact.cmp(&b.fact))
    });
    out
}

impl CompiledRule {
    /// Evaluates with explanation: the failed conditions, or the open conditions and
    /// missing facts, each condition with its span and sentences in English and French.
    /// See [`Outcome`].
    pub fn explain(&self, profile: &Profile) -> Outcome<'_> {
        if !self.fits(profile) {
            // Conditions hold no reference to the profile, so they outlive this one.
            return self.explain_fitting(&self.catalog.profile());
        }
        self.explain_fitting(profile)
    }

    fn explain_fitting(&self, p: &Profile) -> Outcome<'_> {
        match self.eval::<false>(0, p, None) {
            Some(true) => Outcome::Eligible,
            Some(false) => {
                let mut failed = Vec::new();
                self.collect(0, p, false, false, &mut failed);
                Outcome::Ineligible { failed }
            }
            None => {
                let mut open = Vec::new();
                self.collect_open(0, p, false, &mut open);
                let mut slots: Vec<u32> = Vec::new();
                for c in &open {
                    if let Some(node) = self.nodes.get(c.node as usize) {
                        let (a, b) = node.slots();
                        slots.extend(a.into_iter().chain(b).filter(|s| p.get(*s).is_none()));
                    }
                }
                slots.sort_unstable();
                slots.dedup();
                let missing = slots
                    .into_iter()
                    .filter_map(|slot| {
                        let settles = [true, false].into_iter().any(|value| {
                            self.eval::<true>(0, p, Some(Force { slot, value }))
                                .is_some()
                        });
                        self.catalog
                            .def(slot)
                            .map(|def| MissingFact { def, settles })
                    })
                    .collect();
                Outcome::Unknown { missing, open }
            }
        }
    }

    #[inline]
    pub(crate) fn condition(&self, id: u32, p: &Profile, negated: bool) -> Condition<'_> {
        let (key, threshold) = match self.nodes.get(id as usize) {
            Some(Node::Threshold { table, key, .. }) => (
                match key {
                    Key::Num(n) => Some(*n),
                    Key::Slot(s) => match p.get(*s) {
                        Some(super::catalog::Val::Num(n)) => Some(*n),
                        _ => None,
                    },
                },
                self.threshold_value(*table, *key, p),
            ),
            _ => (None, None),
        };
        Condition {
            rule: self,
            node: id,
            negated,
            key,
            threshold,
        }
    }

    /// Collects the atoms that make node `id` (whose value is `want`) take that value.
    fn collect<'r>(
        &'r self,
        id: u32,
        p: &Profile,
        want: bool,
        negated: bool,
        out: &mut Vec<Condition<'r>>,
    ) {
        let Some(node) = self.nodes.get(id as usize) else {
            return;
        };
        match *node {
            Node::And { start, len } | Node::Or { start, len } => {
                // An `and` that is true / an `or` that is false: every child counts.
                let every = matches!(node, Node::And { .. }) == want;
                for &k in self.kid_ids(start, len) {
                    if every || self.eval::<false>(k, p, None) == Some(want) {
                        self.collect(k, p, want, negated, out);
                    }
                }
            }
            Node::Not(k) => self.collect(k, p, !want, !negated, out),
            _ => out.push(self.condition(id, p, negated)),
        }
    }

    fn collect_open<'r>(
        &'r self,
        id: u32,
        p: &Profile,
        negated: bool,
        out: &mut Vec<Condition<'r>>,
    ) {
        let Some(node) = self.nodes.get(id as usize) else {
            return;
        };
        match *node {
            Node::And { start, len } | Node::Or { start, len } => {
                for &k in self.kid_ids(start, len) {
                    if self.eval::<false>(k, p, None).is_none() {
                        self.collect_open(k, p, negated, out);
                    }
                }
            }
            Node::Not(k) => self.collect_open(k, p, !negated, out),
            _ => out.push(self.condition(id, p, negated)),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    Fr,
}

impl<'r> Condition<'r> {
    #[cfg(feature = "rule-set")]
    pub(crate) fn node(&self) -> u32 {
        self.node
    }

    /// Byte span of the condition in [`CompiledRule::source`].
    pub fn span(&self) -> Span {
        self.rule
            .spans
            .get(self.node as usize)
            .map(|s| s.whole)
            .unwrap_or_default()
    }

    /// The condition's rule text.
    pub fn text(&self) -> &'r str {
        let s = self.span();
        self.rule.source.get(s.start..s.end).unwrap_or_default()
    }

    /// Whether the requirement is the negation of the condition text (it sits under `not`).
    pub fn negated(&self) -> bool {
        self.negated
    }

    /// The requirement, in English, phrased for the resident ("minimum age is 65").
    pub fn en(&self) -> String {
        self.sentence_in(Lang::En)
    }

    /// The requirement, in French ("l'âge minimum est de 65 ans").
    pub fn fr(&self) -> String {
        self.sentence_in(Lang::Fr)
    }

    /// The requirement in `lang` (French for `fr`, English otherwise).
    pub fn sentence(&self, lang: &LangCode) -> String {
        if lang.primary() == "fr" {
            self.fr()
        } else {
            self.en()
        }
    }

    /// The fact the condition reads (`None` for a constant).
    pub fn fact(&self) -> Option<&'r str> {
        let slot = self.rule.nodes.get(self.node as usize)?.slots().0?;
        self.rule
            .catalog
            .def(slot)
            .map(super::catalog::FactDef::name)
    }

    /// The listing text this condition was read from, when it was inferred from
    /// eligibility text rather than written as a rule (see
    /// [`CompiledRule::with_inferred`](super::CompiledRule::with_inferred)).
    pub fn inferred(&self) -> Option<&'r super::InferredCondition> {
        let fact = self.fact()?;
        self.rule.inferred.iter().find(|c| c.fact() == fact)
    }

    /// The requirement, with "to confirm: the listing says '…'" when it was inferred.
    fn sentence_in(&self, lang: Lang) -> String {
        let plain = self.plain_sentence_in(lang);
        match (self.inferred(), lang) {
            (Some(c), Lang::En) => format!("{plain} ({})", c.to_confirm_en()),
            (Some(c), Lang::Fr) => format!("{plain} ({})", c.to_confirm_fr()),
            (None, _) => plain,
        }
    }

    fn plain_sentence_in(&self, lang: Lang) -> String {
        let Some(node) = self.rule.nodes.get(self.node as usize) else {
            return String::new();
        };
        let neg = self.negated;
        let Some(d) = node.slots().0.and_then(|slot| self.rule.catalog.def(slot)) else {
            return match *node {
                Node::Const(b) => in_lang(const_sentence(b != neg), lang),
                _ => String::new(),
            };
        };
        match *node {
            Node::Known(_) => in_lang(known_sentence(d, neg), lang),
            Node::Bool { want, .. } => in_lang(bool_sentence(d, want != neg), lang),
            Node::Num { cmp, rhs, .. } => {
                let cmp = if neg { cmp.negate() } else { cmp };
                compare_sentence(d, cmp, &num_value(d, rhs, lang), lang)
            }
            Node::Threshold { cmp, key, .. } => {
                let cmp = if neg { cmp.negate() } else { cmp };
                self.threshold_sentence(d, cmp, key, lang)
            }
            Node::Range { min, max, .. } => in_lang(range_sentence(d, min, max, neg), lang),
            Node::NumIn { start, len, .. } => {
                let values: Vec<String> = self
                    .rule
                    .nums
                    .get(start as usize..(start + len) as usize)
                    .unwrap_or_default()
                    .iter()
                    .map(|n| num_value(d, *n, lang))
                    .collect();
                one_of(d, &values, neg, lang)
            }
            Node::Sym { mask, negate, .. } => one_of(d, &allowed_in(d, mask), negate != neg, lang),
            Node::Str {
                start, len, negate, ..
            } => one_of(d, &self.strs(start, len), negate != neg, lang),
            Node::SetAny { mask, .. } | Node::SetAll { mask, .. } => {
                let all = matches!(node, Node::SetAll { .. });
                includes(d, &allowed_in(d, mask), all, neg, lang)
            }
            Node::StrsAny { start, len, .. } | Node::StrsAll { start, len, .. } => {
                let all = matches!(node, Node::StrsAll { .. });
                includes(d, &self.strs(start, len), all, neg, lang)
            }
            Node::Const(_) | Node::And { .. } | Node::Or { .. } | Node::Not(_) => String::new(),
        }
    }

    /// The `len` strings of the rule's pool from `start`.
    fn strs(&self, start: u32, len: u32) -> Vec<String> {
        self.rule
            .strs
            .get(start as usize..(start + len) as usize)
            .unwrap_or_default()
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    /// A comparison with a limit looked up in a table: the limit and its key when the
    /// condition was evaluated with them, else "the limit for your …".
    fn threshold_sentence(&self, d: &FactDef, cmp: Cmp, key: Key, lang: Lang) -> String {
        let key_def = match key {
            Key::Slot(s) => self.rule.catalog.def(s),
            Key::Num(_) => None,
        };
        let (Some(t), Some(k)) = (self.threshold, self.key) else {
            let (en_k, fr_k) = key_def.map_or(("", ""), |k| (k.label_en(), k.label_fr()));
            return match lang {
                Lang::En => compare_sentence(d, cmp, &format!("the limit for your {en_k}"), lang),
                Lang::Fr => compare_sentence(d, cmp, &format!("la limite selon {fr_k}"), lang),
            };
        };
        let base = compare_sentence(d, cmp, &num_value(d, t, lang), lang);
        let k = fmt_number(k, lang);
        match (key_def.map(FactDef::name), lang) {
            (Some("household_size"), Lang::En) => format!("{base} for a household of {k}"),
            (Some("household_size"), Lang::Fr) => {
                format!("{base} pour un ménage de {k} personnes")
            }
            (Some(_), Lang::En) => {
                format!("{base} for {} {k}", key_def.map_or("", FactDef::label_en))
            }
            (Some(_), Lang::Fr) => format!(
                "{base} pour {} de {k}",
                key_def.map_or("", FactDef::label_fr)
            ),
            (None, _) => base,
        }
    }
}

/// The English or the French of a sentence given in both.
fn in_lang((en, fr): (String, String), lang: Lang) -> String {
    match lang {
        Lang::En => en,
        Lang::Fr => fr,
    }
}

/// A constant condition: none when it holds, else the program is not offered.
fn const_sentence(holds: bool) -> (String, String) {
    if holds {
        ("no condition".to_owned(), "aucune condition".to_owned())
    } else {
        (
            "this program is not available".to_owned(),
            "ce programme n'est pas offert".to_owned(),
        )
    }
}

/// A fact that must (or must not) be given.
fn known_sentence(d: &FactDef, neg: bool) -> (String, String) {
    if neg {
        (
            format!("{} must not be given", d.label_en()),
            format!("{} ne doit pas être indiqué", d.label_fr()),
        )
    } else {
        (
            format!("{} must be given", d.label_en()),
            format!("{} doit être indiqué", d.label_fr()),
        )
    }
}

/// A yes/no fact that must hold (`want`) or must not.
fn bool_sentence(d: &FactDef, want: bool) -> (String, String) {
    if want {
        (
            format!("you must {}", d.label_en()),
            format!("vous devez {}", d.label_fr()),
        )
    } else {
        (
            format!("you must not {}", d.label_en()),
            format!("vous ne devez pas {}", d.label_fr()),
        )
    }
}

/// A number that must (or must not) lie between `min` and `max`.
fn range_sentence(d: &FactDef, min: f64, max: f64, neg: bool) -> (String, String) {
    let not = if neg { " not" } else { "" };
    let ne = if neg { "ne " } else { "" };
    let pas = if neg { " pas" } else { "" };
    let years = d.unit() == Some("years");
    (
        format!(
            "{} must{not} be between {} and {}",
            d.label_en(),
            num_value(d, min, Lang::En),
            num_value(d, max, Lang::En)
        ),
        format!(
            "{} {ne}doit{pas} être entre {} et {}{}",
            d.label_fr(),
            num_value(d, min, Lang::Fr),
            num_value(d, max, Lang::Fr),
            if years { " ans" } else { "" }
        ),
    )
}

/// The allowed values of `d` whose bits are set in `mask`.
fn allowed_in(d: &FactDef, mask: u64) -> Vec<String> {
    d.allowed()
        .iter()
        .enumerate()
        .filter(|(i, _)| (mask >> i) & 1 == 1)
        .map(|(_, v)| v.clone())
        .collect()
}

fn compare_sentence(d: &FactDef, cmp: Cmp, v: &str, lang: Lang) -> String {
    let years = d.unit() == Some("years");
    let (l_en, l_fr) = (d.label_en(), d.label_fr());
    match (lang, years) {
        (Lang::En, true) => match cmp {
            Cmp::Ge => format!("minimum {l_en} is {v}"),
            Cmp::Le => format!("maximum {l_en} is {v}"),
            Cmp::Gt => format!("{l_en} must be over {v}"),
            Cmp::Lt => format!("{l_en} must be under {v}"),
            Cmp::Eq => format!("{l_en} must be {v}"),
            Cmp::Ne => format!("{l_en} must not be {v}"),
        },
        (Lang::Fr, true) => match cmp {
            Cmp::Ge => format!("{l_fr} minimum est de {v} ans"),
            Cmp::Le => format!("{l_fr} maximum est de {v} ans"),
            Cmp::Gt => format!("{l_fr} doit être de plus de {v} ans"),
            Cmp::Lt => format!("{l_fr} doit être de moins de {v} ans"),
            Cmp::Eq => format!("{l_fr} doit être de {v} ans"),
            Cmp::Ne => format!("{l_fr} ne doit pas être de {v} ans"),
        },
        (Lang::En, false) => match cmp {
            Cmp::Ge => format!("{l_en} must be at least {v}"),
            Cmp::Le => format!("{l_en} must be at most {v}"),
            Cmp::Gt => format!("{l_en} must be more than {v}"),
            Cmp::Lt => format!("{l_en} must be less than {v}"),
            Cmp::Eq => format!("{l_en} must be {v}"),
            Cmp::Ne => format!("{l_en} must not be {v}"),
        },
        (Lang::Fr, false) => match cmp {
            Cmp::Ge => format!("{l_fr} doit être d'au moins {v}"),
            Cmp::Le => format!("{l_fr} doit être d'au plus {v}"),
            Cmp::Gt => format!("{l_fr} doit être supérieur à {v}"),
            Cmp::Lt => format!("{l_fr} doit être inférieur à {v}"),
            Cmp::Eq => format!("{l_fr} doit être {v}"),
            Cmp::Ne => format!("{l_fr} ne doit pas être {v}"),
        },
    }
}

fn one_of(d: &FactDef, values: &[String], neg: bool, lang: Lang) -> String {
    let list = values.join(", ");
    match (lang, values.len() == 1, neg) {
        (Lang::En, true, false) => format!("{} must be {list}", d.label_en()),
        (Lang::En, true, true) => format!("{} must not be {list}", d.label_en()),
        (Lang::En, false, false) => format!("{} must be one of: {list}", d.label_en()),
        (Lang::En, false, true) => format!("{} must not be any of: {list}", d.label_en()),
        (Lang::Fr, true, false) => format!("{} doit être {list}", d.label_fr()),
        (Lang::Fr, true, true) => format!("{} ne doit pas être {list}", d.label_fr()),
        (Lang::Fr, false, false) => format!(
            "{} doit être l'une des valeurs suivantes : {list}",
            d.label_fr()
        ),
        (Lang::Fr, false, true) => format!(
            "{} ne doit être aucune des valeurs suivantes : {list}",
            d.label_fr()
        ),
    }
}

fn includes(d: &FactDef, values: &[String], all: bool, neg: bool, lang: Lang) -> String {
    let list = values.join(", ");
    if d.name() == "documents" && values.len() == 1 {
        return match (lang, neg) {
            (Lang::En, false) => format!("you must have this document: {list}"),
            (Lang::En, true) => format!("you must not have this document: {list}"),
            (Lang::Fr, false) => format!("vous devez avoir ce document : {list}"),
            (Lang::Fr, true) => format!("vous ne devez pas avoir ce document : {list}"),
        };
    }
    match (lang, all, neg) {
        (Lang::En, false, false) => {
            format!("{} must include at least one of: {list}", d.label_en())
        }
        (Lang::En, false, true) => format!("{} must include none of: {list}", d.label_en()),
        (Lang::En, true, false) => format!("{} must include all of: {list}", d.label_en()),
        (Lang::En, true, true) => format!("{} must not include all of: {list}", d.label_en()),
        (Lang::Fr, false, false) => format!(
            "{} doit comprendre au moins l'un des éléments suivants : {list}",
            d.label_fr()
        ),
        (Lang::Fr, false, true) => format!(
            "{} ne doit comprendre aucun des éléments suivants : {list}",
            d.label_fr()
        ),
        (Lang::Fr, true, false) => format!(
            "{} doit comprendre tous les éléments suivants : {list}",
            d.label_fr()
        ),
        (Lang::Fr, true, true) => format!(
            "{} ne doit pas comprendre tous les éléments suivants : {list}",
            d.label_fr()
        ),
    }
}

/// A number of `d`'s unit, for reading out: `$42,000` / `42 000 $` for CAD, dates as
/// `YYYY-MM-DD`, other units spelled out after the number (years are added by the
/// sentence in French).
fn num_value(d: &FactDef, n: f64, lang: Lang) -> String {
    if d.kind() == super::catalog::FactKind::Date {
        return date_string(n);
    }
    let num = fmt_number(n, lang);
    match (d.unit(), lang) {
        (Some("CAD"), Lang::En) => format!("${num}"),
        (Some("CAD"), Lang::Fr) => format!("{num} $"),
        (Some("USD"), Lang::En) => format!("US${num}"),
        (Some("USD"), Lang::Fr) => format!("{num} $ US"),
        (Some("EUR"), Lang::En) => format!("€{num}"),
        (Some("EUR"), Lang::Fr) => format!("{num} €"),
        (Some("years" | "persons") | None, _) => num,
        (Some(u), _) => format!("{num} {u}"),
    }
}

/// `42000` → `42,000` (en) / `42 000` (fr); up to two decimals.
fn fmt_number(n: f64, lang: Lang) -> String {
    let cents = (n.abs() * 100.0).round();
    let int = (cents / 100.0).trunc();
    let frac = (cents - int * 100.0) as u64;
    let digits = format!("{int:.0}");
    let (sep, dec) = match lang {
        Lang::En => (',', '.'),
        Lang::Fr => (' ', ','),
    };
    let mut out = String::new();
    if n < 0.0 && cents > 0.0 {
        out.push('-');
    }
    let len = digits.len();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i) % 3 == 0 && len > 4 {
            out.push(sep);
        }
        out.push(c);
    }
    if frac > 0 {
        out.push(dec);
        if frac.is_multiple_of(10) {
            out.push_str(&(frac / 10).to_string());
        } else {
            out.push_str(&format!("{frac:02}"));
        }
    }
    out
}

fn date_string(days: f64) -> String {
    // Civil from days (H. Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_out() {
        assert_eq!(fmt_number(42000.0, Lang::En), "42,000");
        assert_eq!(fmt_number(42000.0, Lang::Fr), "42 000");
        assert_eq!(fmt_number(1234.0, Lang::En), "1234");
        assert_eq!(fmt_number(17.5, Lang::Fr), "17,5");
        assert_eq!(fmt_number(1_234_567.25, Lang::En), "1,234,567.25");
    }

    #[test]
    fn sentence_steps_word_each_kind() {
        let c = super::super::FactCatalog::standard();
        let (age, pregnant) = (c.get("age").unwrap(), c.get("pregnant").unwrap());
        assert_eq!(in_lang(const_sentence(true), Lang::En), "no condition");
        assert_eq!(in_lang(const_sentence(true), Lang::Fr), "aucune condition");
        assert_eq!(
            in_lang(const_sentence(false), Lang::Fr),
            "ce programme n'est pas offert"
        );
        assert_eq!(known_sentence(age, false).0, "age must be given");
        assert_eq!(
            known_sentence(age, true).1,
            "l'âge ne doit pas être indiqué"
        );
        assert_eq!(
            bool_sentence(pregnant, true),
            (
                "you must be pregnant".to_owned(),
                "vous devez être enceinte".to_owned()
            )
        );
        assert_eq!(bool_sentence(pregnant, false).0, "you must not be pregnant");
        assert_eq!(
            range_sentence(age, 19.0, 64.0, false),
            (
                "age must be between 19 and 64".to_owned(),
                "l'âge doit être entre 19 et 64 ans".to_owned()
            )
        );
        assert_eq!(
            range_sentence(age, 19.0, 64.0, true).1,
            "l'âge ne doit pas être entre 19 et 64 ans"
        );
        let size = c.get("household_size").unwrap();
        assert_eq!(
            range_sentence(size, 1.0, 4.0, true),
            (
                "household size must not be between 1 and 4".to_owned(),
                "la taille du ménage ne doit pas être entre 1 et 4".to_owned()
            )
        );
        let student = c.get("student").unwrap();
        assert_eq!(allowed_in(student, 0b101), ["full_time", "none"]);
        assert!(allowed_in(student, 0).is_empty());
    }

    #[test]
    fn dates_round_trip() {
        for d in ["1970-01-01", "2024-02-29", "1999-12-31"] {
            let days = super::super::catalog::parse_date(d).unwrap();
            assert_eq!(date_string(days), d);
        }
    }
}
