//! The fact catalogue (what a rule may ask about) and the resident profile (what we know).

use std::fmt;
use std::sync::Arc;

use super::error::{suggest, RuleError};
use super::parse::is_fact_name;

/// The type of a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FactKind {
    /// `true` / `false`.
    Bool,
    /// A finite number, in the fact's [`unit`](FactDef::unit).
    Number,
    /// Free text, compared exactly.
    Text,
    /// One of the fact's [`allowed`](FactDef::allowed) values (at most 64).
    Enum,
    /// A calendar date, written `YYYY-MM-DD`, compared chronologically.
    Date,
    /// A list of text; with allowed values (at most 64) each item must be one of them.
    List,
}

impl FactKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Bool => "a bool",
            Self::Number => "a number",
            Self::Text => "text",
            Self::Enum => "an enum",
            Self::Date => "a date",
            Self::List => "a list of text",
        }
    }
}

/// Declaration of one fact: name, type, allowed values, sensitivity and the question to ask.
///
/// # Examples
/// ```
/// use passerelle::rules::{FactCatalog, FactDef};
/// let catalog = FactCatalog::standard()
///     .with(FactDef::bool("has_pet")
///         .labels("have a pet", "avoir un animal de compagnie")
///         .question("Do you have a pet?", "Avez-vous un animal de compagnie ?")
///         .sensitivity(20))
///     .unwrap();
/// assert!(catalog.compile("has_pet and age >= 65", &Default::default()).is_ok());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FactDef {
    name: String,
    kind: FactKind,
    unit: Option<String>,
    allowed: Vec<String>,
    sensitivity: u8,
    label_en: String,
    label_fr: String,
    question_en: String,
    question_fr: String,
    place: bool,
}

impl FactDef {
    fn new(name: &str, kind: FactKind) -> Self {
        let label = name.replace('_', " ");
        Self {
            name: name.to_owned(),
            kind,
            unit: None,
            allowed: Vec::new(),
            sensitivity: 50,
            label_en: label.clone(),
            label_fr: label,
            question_en: String::new(),
            question_fr: String::new(),
            place: false,
        }
    }

    /// A bool fact. Its labels are predicates ("have a disability" / "avoir un handicap").
    pub fn bool(name: &str) -> Self {
        Self::new(name, FactKind::Bool)
    }

    /// A number fact in `unit` (`"years"`, `"persons"`, `"CAD"` format specially in
    /// explanations).
    pub fn number(name: &str, unit: &str) -> Self {
        let mut d = Self::new(name, FactKind::Number);
        d.unit = Some(unit.to_owned());
        d
    }

    /// A free-text fact.
    pub fn text(name: &str) -> Self {
        Self::new(name, FactKind::Text)
    }

    /// A date fact (`YYYY-MM-DD`).
    pub fn date(name: &str) -> Self {
        Self::new(name, FactKind::Date)
    }

    /// An enum fact with its allowed values.
    pub fn enumeration(name: &str, allowed: &[&str]) -> Self {
        let mut d = Self::new(name, FactKind::Enum);
        d.allowed = allowed.iter().map(|s| (*s).to_owned()).collect();
        d
    }

    /// A list-of-text fact; `allowed` may be empty for free text items.
    pub fn list(name: &str, allowed: &[&str]) -> Self {
        let mut d = Self::new(name, FactKind::List);
        d.allowed = allowed.iter().map(|s| (*s).to_owned()).collect();
        d
    }

    /// Sets the resident-facing labels used in explanations (noun phrase with article in
    /// French, e.g. "household income" / "le revenu du ménage"; predicate for bools).
    pub fn labels(mut self, en: &str, fr: &str) -> Self {
        en.clone_into(&mut self.label_en);
        fr.clone_into(&mut self.label_fr);
        self
    }

    /// Sets the question to ask the resident, in English and French.
    pub fn question(mut self, en: &str, fr: &str) -> Self {
        en.clone_into(&mut self.question_en);
        fr.clone_into(&mut self.question_fr);
        self
    }

    /// Sets the sensitivity rank: lower is asked first (age before immigration status).
    pub fn sensitivity(mut self, rank: u8) -> Self {
        self.sensitivity = rank;
        self
    }

    /// Marks a text fact as a place of residence: `==`, `!=` and `in` then compare names
    /// loosely (case, accents, punctuation and the words "city", "county", "ville",
    /// "comté", "de", "of" do not count, so "Baltimore" is "Baltimore City"). Inside a
    /// navigator, a resident's place that matches none of the rule's places is a failed
    /// condition only when the directory names it (its addresses' cities and its service
    /// areas); otherwise the condition stays unknown, since it may lie inside the named
    /// place (a neighbourhood) and a wrong exclusion hides a service from someone
    /// entitled to it. `county`, `municipality` and `region` of the standard catalogue
    /// are places.
    ///
    /// # Examples
    /// ```
    /// use passerelle::rules::{FactCatalog, FactDef, Tables, Verdict};
    /// let catalog = FactCatalog::new().with(FactDef::text("home_town").place()).unwrap();
    /// let rule = catalog.compile(r#"home_town == "Ville de Québec""#, &Tables::new()).unwrap();
    /// let mut p = catalog.profile();
    /// p.set("home_town", "quebec".into()).unwrap();
    /// assert_eq!(rule.evaluate(&p), Verdict::Eligible);
    /// ```
    pub fn place(mut self) -> Self {
        self.place = true;
        self
    }

    /// True for a place of residence ([`FactDef::place`]).
    pub fn is_place(&self) -> bool {
        self.place && self.kind == FactKind::Text
    }

    /// The fact name used in rules.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The type.
    pub fn kind(&self) -> FactKind {
        self.kind
    }

    /// The unit of a number fact.
    pub fn unit(&self) -> Option<&str> {
        self.unit.as_deref()
    }

    /// The allowed values of an enum or list fact (empty: any).
    pub fn allowed(&self) -> &[String] {
        &self.allowed
    }

    /// The sensitivity rank (lower is asked first).
    pub fn sensitivity_rank(&self) -> u8 {
        self.sensitivity
    }

    /// The English label.
    pub fn label_en(&self) -> &str {
        &self.label_en
    }

    /// The French label.
    pub fn label_fr(&self) -> &str {
        &self.label_fr
    }

    /// The question in English.
    pub fn question_en(&self) -> &str {
        &self.question_en
    }

    /// The question in French.
    pub fn question_fr(&self) -> &str {
        &self.question_fr
    }

    /// Position of an allowed value.
    pub(crate) fn symbol(&self, value: &str) -> Option<u8> {
        self.allowed
            .iter()
            .position(|a| a == value)
            .and_then(|i| u8::try_from(i).ok())
    }

    fn fingerprint(&self, mut h: u64) -> u64 {
        let mut eat = |s: &str| {
            for b in s.bytes().chain([0xff]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        };
        eat(&self.name);
        eat(self.kind.name());
        for a in &self.allowed {
            eat(a);
        }
        h
    }
}

#[derive(Debug, Clone, PartialEq)]
struct CatalogInner {
    facts: Vec<FactDef>,
    /// ISO 4217 code of money facts (number facts whose unit is a currency code).
    currency: String,
    /// `prefix[i]`: fingerprint of `facts[..=i]`; a profile fits a rule compiled against a
    /// catalogue that is a prefix of the profile's.
    prefix: Vec<u64>,
}

/// The facts rules may use, each with its type, allowed values, sensitivity and question.
/// Cheap to clone (shared). Extending a catalogue only appends, so rules compiled against
/// the standard catalogue also evaluate profiles of an extended one.
///
/// # Examples
/// ```
/// use passerelle::rules::{FactCatalog, FactValue, Tables, Verdict};
/// let catalog = FactCatalog::standard();
/// let rule = catalog.compile("age >= 65", &Tables::new()).unwrap();
/// let mut p = catalog.profile();
/// assert_eq!(rule.evaluate(&p), Verdict::Unknown);
/// p.set("age", 70.into()).unwrap();
/// assert_eq!(rule.evaluate(&p), Verdict::Eligible);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FactCatalog {
    inner: Arc<CatalogInner>,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

impl Default for FactCatalog {
    fn default() -> Self {
        Self::new()
    }
}

impl FactCatalog {
    /// An empty catalogue.
    pub fn new() -> Self {
        Self {
            inner: Arc::new(CatalogInner {
                facts: Vec::new(),
                currency: "CAD".to_owned(),
                prefix: Vec::new(),
            }),
        }
    }

    /// The standard catalogue of conventions §4, with questions in English and French
    /// (listed in the README, "The standard fact catalogue"). Money is in CAD; see
    /// [`FactCatalog::with_currency`] for another currency.
    pub fn standard() -> Self {
        let mut c = Self::new();
        for def in standard_facts() {
            // The standard definitions are valid; a failure would be a bug caught by tests.
            let _ = c.add(def);
        }
        c
    }

    /// Adds a fact.
    ///
    /// # Errors
    /// [`RuleError::FactDef`] if the name is taken, is not an identifier, is a keyword, or
    /// an enum has no allowed values or more than 64.
    pub fn add(&mut self, def: FactDef) -> Result<(), RuleError> {
        let reject = |reason| RuleError::FactDef {
            name: def.name.clone(),
            reason,
        };
        if !is_fact_name(&def.name) {
            return Err(reject("not an identifier, or a reserved word"));
        }
        if self.get(&def.name).is_some() {
            return Err(reject("already declared"));
        }
        if def.kind == FactKind::Enum && def.allowed.is_empty() {
            return Err(reject("an enum needs allowed values"));
        }
        if def.allowed.len() > 64 {
            return Err(reject("at most 64 allowed values"));
        }
        let inner = Arc::make_mut(&mut self.inner);
        let prev = inner.prefix.last().copied().unwrap_or(FNV_OFFSET);
        inner.prefix.push(def.fingerprint(prev));
        inner.facts.push(def);
        Ok(())
    }

    /// Adds a fact, builder style. See [`FactCatalog::add`].
    ///
    /// # Errors
    /// As [`FactCatalog::add`].
    pub fn with(mut self, def: FactDef) -> Result<Self, RuleError> {
        self.add(def)?;
        Ok(self)
    }

    /// The currency of money facts (ISO 4217 code, `"CAD"` unless set).
    pub fn currency(&self) -> &str {
        &self.inner.currency
    }

    /// Sets the currency of money facts: every number fact whose unit is the current
    /// currency (`household_income` in the standard catalogue) takes `code`, and
    /// explanations format amounts in it (`US$30,000` / `30 000 $ US`).
    ///
    /// # Errors
    /// [`RuleError::FactDef`] when `code` is not three ASCII capital letters.
    ///
    /// # Examples
    /// ```
    /// use passerelle::rules::FactCatalog;
    /// let us = FactCatalog::standard().with_currency("USD").unwrap();
    /// assert_eq!(us.get("household_income").unwrap().unit(), Some("USD"));
    /// assert!(FactCatalog::standard().with_currency("dollars").is_err());
    /// ```
    pub fn with_currency(mut self, code: &str) -> Result<Self, RuleError> {
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(RuleError::FactDef {
                name: "currency".to_owned(),
                reason: "a currency is an ISO 4217 code such as USD",
            });
        }
        let inner = Arc::make_mut(&mut self.inner);
        for f in &mut inner.facts {
            if f.kind == FactKind::Number && f.unit.as_deref() == Some(inner.currency.as_str()) {
                f.unit = Some(code.to_owned());
            }
        }
        code.clone_into(&mut inner.currency);
        Ok(self)
    }

    /// The definition of a fact.
    pub fn get(&self, name: &str) -> Option<&FactDef> {
        self.inner.facts.iter().find(|f| f.name == name)
    }

    /// All facts, in declaration order.
    pub fn facts(&self) -> impl Iterator<Item = &FactDef> {
        self.inner.facts.iter()
    }

    /// An empty profile for this catalogue.
    pub fn profile(&self) -> Profile {
        Profile {
            catalog: self.clone(),
            values: vec![None; self.inner.facts.len()],
        }
    }

    pub(crate) fn slot(&self, name: &str) -> Option<(u32, &FactDef)> {
        self.inner
            .facts
            .iter()
            .enumerate()
            .find(|(_, f)| f.name == name)
            .and_then(|(i, f)| u32::try_from(i).ok().map(|i| (i, f)))
    }

    pub(crate) fn def(&self, slot: u32) -> Option<&FactDef> {
        self.inner.facts.get(slot as usize)
    }

    pub(crate) fn suggest(&self, name: &str) -> Option<String> {
        suggest(name, self.inner.facts.iter().map(|f| f.name.as_str()))
    }

    /// `(number of facts, fingerprint)` identifying this catalogue as a prefix.
    pub(crate) fn stamp(&self) -> (usize, u64) {
        (
            self.inner.facts.len(),
            self.inner.prefix.last().copied().unwrap_or(FNV_OFFSET),
        )
    }

    pub(crate) fn extends(&self, stamp: (usize, u64)) -> bool {
        stamp.0 == 0
            || stamp
                .0
                .checked_sub(1)
                .and_then(|i| self.inner.prefix.get(i))
                .is_some_and(|fp| *fp == stamp.1)
    }
}

fn standard_facts() -> Vec<FactDef> {
    let mut facts = person_and_household_facts();
    facts.extend(documents_income_and_community_facts());
    // Facts real eligibility text uses most, for any jurisdiction (README, "The standard
    // fact catalogue"). Appended, so rules compiled against the first sixteen still
    // evaluate profiles of this catalogue.
    facts.extend(common_eligibility_facts());
    facts
}

/// The first standard facts: place, age, household, studies, work and caregiving.
fn person_and_household_facts() -> Vec<FactDef> {
    vec![
        FactDef::enumeration(
            "province",
            &[
                "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT",
            ],
        )
        .labels("province or territory", "la province ou le territoire")
        .question(
            "Which province or territory do you live in?",
            "Dans quelle province ou quel territoire habitez-vous ?",
        )
        .sensitivity(1),
        FactDef::text("municipality")
            .labels("municipality", "la municipalité")
            .question(
                "Which city or town do you live in?",
                "Dans quelle ville habitez-vous ?",
            )
            .sensitivity(2)
            .place(),
        FactDef::number("age", "years")
            .labels("age", "l'âge")
            .question("How old are you?", "Quel âge avez-vous ?")
            .sensitivity(3),
        FactDef::number("household_size", "persons")
            .labels("household size", "la taille du ménage")
            .question(
                "How many people live in your household, including you?",
                "Combien de personnes vivent dans votre ménage, vous compris ?",
            )
            .sensitivity(4),
        FactDef::enumeration("student", &["full_time", "part_time", "none"])
            .labels("student status", "le statut d'étudiant")
            .question(
                "Are you a student, full time or part time?",
                "Êtes-vous aux études, à temps plein ou à temps partiel ?",
            )
            .sensitivity(5),
        FactDef::enumeration(
            "employment_status",
            &[
                "employed",
                "unemployed",
                "self_employed",
                "retired",
                "not_in_labour_force",
            ],
        )
        .labels("employment status", "la situation d'emploi")
        .question(
            "Are you currently working?",
            "Travaillez-vous en ce moment ?",
        )
        .sensitivity(6),
        FactDef::bool("caregiver")
            .labels("be a caregiver", "être proche aidant")
            .question(
                "Do you care for a family member or friend who needs support?",
                "Prenez-vous soin d'un proche qui a besoin de soutien ?",
            )
            .sensitivity(7),
    ]
}

/// The standard facts on documents, benefits, housing, income, health, community and status.
fn documents_income_and_community_facts() -> Vec<FactDef> {
    vec![
        FactDef::list(
            "documents",
            &["provincial_health_card", "sin", "photo_id", "proof_of_address", "immigration_document"],
        )
        .labels("documents", "les documents")
        .question(
            "Which of these documents do you have: health card, SIN, photo ID, proof of address, immigration document?",
            "Lesquels de ces documents avez-vous : carte santé, NAS, pièce d'identité avec photo, preuve d'adresse, document d'immigration ?",
        )
        .sensitivity(8),
        FactDef::list("benefits", &["ei", "ow", "odsp", "oas", "gis", "cpp", "ccb", "cerb", "none"])
            .labels("benefits received", "les prestations reçues")
            .question(
                "Do you receive any benefits, such as EI, Ontario Works, ODSP, OAS, GIS, CPP or the Canada Child Benefit?",
                "Recevez-vous des prestations, par exemple l'assurance-emploi, Ontario au travail, le POSPH, la SV, le SRG, le RPC ou l'Allocation canadienne pour enfants ?",
            )
            .sensitivity(9),
        FactDef::enumeration("housing_status", &["housed", "at_risk", "homeless", "shelter"])
            .labels("housing situation", "la situation de logement")
            .question(
                "Do you have a stable place to live right now?",
                "Avez-vous un logement stable en ce moment ?",
            )
            .sensitivity(10),
        FactDef::number("household_income", "CAD")
            .labels("household income", "le revenu du ménage")
            .question(
                "What is your household's total yearly income before tax?",
                "Quel est le revenu annuel total de votre ménage avant impôt ?",
            )
            .sensitivity(11),
        FactDef::bool("income_drop")
            .labels("have lost income recently", "avoir subi une perte de revenu récente")
            .question(
                "Have you lost income recently?",
                "Avez-vous perdu des revenus récemment ?",
            )
            .sensitivity(12),
        FactDef::bool("pregnant")
            .labels("be pregnant", "être enceinte")
            .question("Are you pregnant?", "Êtes-vous enceinte ?")
            .sensitivity(13),
        FactDef::bool("disability")
            .labels("have a disability", "avoir un handicap")
            .question("Do you have a disability?", "Avez-vous un handicap ?")
            .sensitivity(14),
        FactDef::list(
            "population",
            &[
                "indigenous", "black", "racialized", "south_asian", "newcomer", "lgbtq2s",
                "francophone", "veteran", "reentry", "senior", "youth",
            ],
        )
        .labels("community", "la communauté")
        .question(
            "Do you identify with any of these communities? (optional)",
            "Vous identifiez-vous à l'une de ces communautés ? (facultatif)",
        )
        .sensitivity(15),
        FactDef::enumeration(
            "residency_status",
            &[
                "citizen", "permanent_resident", "refugee_claimant", "protected_person",
                "temporary_resident", "no_status",
            ],
        )
        .labels("immigration status", "le statut d'immigration")
        .question(
            "What is your immigration status in Canada? (optional)",
            "Quel est votre statut d'immigration au Canada ? (facultatif)",
        )
        .sensitivity(16),
    ]
}

/// The facts eligibility text states most often, in any jurisdiction.
fn common_eligibility_facts() -> Vec<FactDef> {
    vec![
        FactDef::enumeration(
            "gender",
            &["female", "male", "non_binary", "two_spirit", "another_gender", "not_stated"],
        )
        .labels("gender", "le genre")
        .question(
            "What is your gender? You may choose not to say.",
            "Quel est votre genre ? Vous pouvez choisir de ne pas le dire.",
        )
        .sensitivity(17),
        FactDef::enumeration("health_insurance", &["none", "public", "private", "public_and_private", "not_stated"])
            .labels("health insurance", "l'assurance maladie")
            .question(
                "Do you have health insurance, public or private?",
                "Avez-vous une assurance maladie, publique ou privée ?",
            )
            .sensitivity(12),
        FactDef::enumeration(
            "immigration_status",
            &[
                "citizen", "permanent_resident", "refugee_or_asylum", "temporary_resident",
                "undocumented", "not_stated",
            ],
        )
        .labels("immigration status", "le statut d'immigration")
        .question(
            "What is your immigration status in this country? (optional)",
            "Quel est votre statut d'immigration dans ce pays ? (facultatif)",
        )
        .sensitivity(16),
        FactDef::bool("veteran")
            .labels("be a veteran", "être ancien combattant")
            .question(
                "Have you served in the armed forces (are you a veteran)?",
                "Avez-vous servi dans les forces armées (êtes-vous ancien combattant) ?",
            )
            .sensitivity(13),
        FactDef::bool("homeless")
            .labels("be homeless", "être sans abri")
            .question(
                "Are you without a home right now (on the street, in a shelter or a car)?",
                "Êtes-vous sans logement en ce moment (dans la rue, en refuge ou dans une voiture) ?",
            )
            .sensitivity(10),
        FactDef::text("county")
            .labels("county of residence", "le comté de résidence")
            .question(
                "Which county do you live in?",
                "Dans quel comté habitez-vous ?",
            )
            .sensitivity(2)
            .place(),
        FactDef::text("region")
            .labels("state, province or region of residence", "l'État, la province ou la région de résidence")
            .question(
                "Which state, province or region do you live in?",
                "Dans quel État, quelle province ou quelle région habitez-vous ?",
            )
            .sensitivity(1)
            .place(),
        FactDef::bool("low_income")
            .labels("have a low income", "avoir un faible revenu")
            .question(
                "Is your household's income low (for example, below your area's low-income line)?",
                "Le revenu de votre ménage est-il faible (par exemple, sous le seuil de faible revenu de votre région) ?",
            )
            .sensitivity(11),
    ]
}

/// A fact value given for a resident. Its `Debug` never shows the value.
///
/// # Examples
/// ```
/// use passerelle::rules::FactValue;
/// assert_eq!(FactValue::from(42), FactValue::Number(42.0));
/// assert_eq!(format!("{:?}", FactValue::from("ON")), "Text(<redacted>)");
/// ```
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub enum FactValue {
    /// For bool facts.
    Bool(bool),
    /// For number facts (finite).
    Number(f64),
    /// For text, enum and date (`YYYY-MM-DD`) facts.
    Text(String),
    /// For list facts.
    List(Vec<String>),
}

impl fmt::Debug for FactValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Self::Bool(_) => "Bool",
            Self::Number(_) => "Number",
            Self::Text(_) => "Text",
            Self::List(_) => "List",
        };
        write!(f, "{name}(<redacted>)")
    }
}

impl From<bool> for FactValue {
    fn from(v: bool) -> Self {
        Self::Bool(v)
    }
}
impl From<f64> for FactValue {
    fn from(v: f64) -> Self {
        Self::Number(v)
    }
}
impl From<i32> for FactValue {
    fn from(v: i32) -> Self {
        Self::Number(f64::from(v))
    }
}
impl From<&str> for FactValue {
    fn from(v: &str) -> Self {
        Self::Text(v.to_owned())
    }
}
impl From<String> for FactValue {
    fn from(v: String) -> Self {
        Self::Text(v)
    }
}
impl From<&[&str]> for FactValue {
    fn from(v: &[&str]) -> Self {
        Self::List(v.iter().map(|s| (*s).to_owned()).collect())
    }
}
impl<const N: usize> From<[&str; N]> for FactValue {
    fn from(v: [&str; N]) -> Self {
        Self::List(v.iter().map(|s| (*s).to_owned()).collect())
    }
}
impl From<Vec<String>> for FactValue {
    fn from(v: Vec<String>) -> Self {
        Self::List(v)
    }
}

/// A stored value, in the representation evaluation uses.
#[derive(Clone, PartialEq)]
pub(crate) enum Val {
    Bool(bool),
    /// Numbers, and dates as days since 1970-01-01.
    Num(f64),
    /// Index of an enum's allowed value.
    Sym(u8),
    Str(Box<str>),
    /// A list over allowed values, one bit per value.
    Set(u64),
    /// A list of free text.
    Strs(Box<[String]>),
}

/// What is known about one resident: fact values stored by catalogue slot.
///
/// Sensitive: `Debug` lists only the names of known facts, errors never echo values.
///
/// # Examples
/// ```
/// use passerelle::rules::FactCatalog;
/// let mut p = FactCatalog::standard().profile();
/// p.set("age", 70.into()).unwrap().set("province", "ON".into()).unwrap();
/// assert!(p.set("province", "Ontario".into()).is_err());
/// assert!(p.set("aeg", 3.into()).is_err());
/// assert_eq!(format!("{p:?}"), "Profile { province: <redacted>, age: <redacted> }");
/// ```
#[derive(Clone)]
pub struct Profile {
    catalog: FactCatalog,
    values: Vec<Option<Val>>,
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Profile");
        for (def, v) in self.catalog.facts().zip(&self.values) {
            if v.is_some() {
                s.field(def.name(), &format_args!("<redacted>"));
            }
        }
        s.finish()
    }
}

impl Profile {
    /// Sets a fact, checking its type and allowed values.
    ///
    /// # Errors
    /// [`RuleError::UnknownFact`] for a name the catalogue lacks, [`RuleError::FactValue`]
    /// for a value of the wrong type, not finite, or not allowed. Errors never contain the value.
    pub fn set(&mut self, fact: &str, value: FactValue) -> Result<&mut Self, RuleError> {
        let (slot, def) = self
            .catalog
            .slot(fact)
            .ok_or_else(|| RuleError::UnknownFact {
                name: fact.to_owned(),
                suggestion: self.catalog.suggest(fact),
            })?;
        let bad = |reason| RuleError::FactValue {
            fact: def.name().to_owned(),
            reason,
        };
        let val = match (def.kind(), value) {
            (FactKind::Bool, FactValue::Bool(b)) => Val::Bool(b),
            (FactKind::Number, FactValue::Number(n)) if n.is_finite() => Val::Num(n),
            (FactKind::Number, FactValue::Number(_)) => return Err(bad("expects a finite number")),
            // A place is kept as its key, compared with a condition's place keys.
            (FactKind::Text, FactValue::Text(s)) if def.is_place() => {
                Val::Str(super::places::place_key(&s).into_boxed_str())
            }
            (FactKind::Text, FactValue::Text(s)) => Val::Str(s.into_boxed_str()),
            (FactKind::Enum, FactValue::Text(s)) => Val::Sym(
                def.symbol(&s)
                    .ok_or_else(|| bad("expects one of its allowed values"))?,
            ),
            (FactKind::Date, FactValue::Text(s)) => {
                Val::Num(parse_date(&s).ok_or_else(|| bad("expects a date YYYY-MM-DD"))?)
            }
            (FactKind::List, FactValue::List(items)) if def.allowed().is_empty() => {
                Val::Strs(items.into_boxed_slice())
            }
            (FactKind::List, FactValue::List(items)) => {
                let mut mask = 0u64;
                for item in &items {
                    let sym = def
                        .symbol(item)
                        .ok_or_else(|| bad("expects a list of its allowed values"))?;
                    mask |= 1 << sym;
                }
                Val::Set(mask)
            }
            (kind, _) => {
                return Err(bad(match kind {
                    FactKind::Bool => "expects a bool",
                    FactKind::Number => "expects a number",
                    FactKind::Text | FactKind::Enum | FactKind::Date => "expects text",
                    FactKind::List => "expects a list of text",
                }))
            }
        };
        if let Some(v) = self.values.get_mut(slot as usize) {
            *v = Some(val);
        }
        Ok(self)
    }

    /// Forgets a fact (it becomes unknown again).
    ///
    /// # Errors
    /// [`RuleError::UnknownFact`] for a name the catalogue lacks.
    pub fn unset(&mut self, fact: &str) -> Result<&mut Self, RuleError> {
        let (slot, _) = self
            .catalog
            .slot(fact)
            .ok_or_else(|| RuleError::UnknownFact {
                name: fact.to_owned(),
                suggestion: self.catalog.suggest(fact),
            })?;
        if let Some(v) = self.values.get_mut(slot as usize) {
            *v = None;
        }
        Ok(self)
    }

    /// Whether the fact has a value.
    pub fn is_known(&self, fact: &str) -> bool {
        self.catalog
            .slot(fact)
            .is_some_and(|(slot, _)| self.get(slot).is_some())
    }

    /// The catalogue the profile was built against.
    pub fn catalog(&self) -> &FactCatalog {
        &self.catalog
    }

    #[inline]
    pub(crate) fn get(&self, slot: u32) -> Option<&Val> {
        self.values.get(slot as usize).and_then(Option::as_ref)
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian).
pub(crate) fn parse_date(s: &str) -> Option<f64> {
    let mut it = s.split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    if it.next().is_some() || s.len() != 10 || !(1..=12).contains(&m) {
        return None;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let dim = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if d < 1 || d > *dim.get(usize::try_from(m - 1).ok()?)? {
        return None;
    }
    // Days from civil (H. Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currency_is_a_catalogue_setting() {
        let c = FactCatalog::standard();
        assert_eq!(c.currency(), "CAD");
        let us = c.clone().with_currency("USD").unwrap();
        assert_eq!(us.currency(), "USD");
        assert_eq!(us.get("household_income").unwrap().unit(), Some("USD"));
        assert_eq!(us.get("age").unwrap().unit(), Some("years"));
        // Same facts and types: rules compiled against one evaluate profiles of the other.
        assert!(us.extends(c.stamp()));
        assert!(c.with_currency("usd").is_err());
    }

    #[test]
    fn standard_catalogue_matches_conventions() {
        let c = FactCatalog::standard();
        assert_eq!(c.facts().count(), 24);
        for f in c.facts() {
            assert!(
                !f.question_en().is_empty() && !f.question_fr().is_empty(),
                "{}",
                f.name()
            );
        }
        assert_eq!(c.get("benefits").unwrap().allowed().len(), 9);
        assert!(
            c.get("age").unwrap().sensitivity_rank()
                < c.get("residency_status").unwrap().sensitivity_rank()
        );
    }

    #[test]
    fn standard_catalogue_order_and_types_are_pinned() {
        // Rules compiled against the catalogue address facts by position: the order, kinds,
        // units, ranks, value counts and place flags must not change.
        let got: Vec<String> = FactCatalog::standard()
            .facts()
            .map(|f| {
                format!(
                    "{} {:?} {} {} {} {}",
                    f.name(),
                    f.kind(),
                    f.unit().unwrap_or("-"),
                    f.sensitivity_rank(),
                    f.allowed().len(),
                    f.is_place()
                )
            })
            .collect();
        let want = [
            "province Enum - 1 13 false",
            "municipality Text - 2 0 true",
            "age Number years 3 0 false",
            "household_size Number persons 4 0 false",
            "student Enum - 5 3 false",
            "employment_status Enum - 6 5 false",
            "caregiver Bool - 7 0 false",
            "documents List - 8 5 false",
            "benefits List - 9 9 false",
            "housing_status Enum - 10 4 false",
            "household_income Number CAD 11 0 false",
            "income_drop Bool - 12 0 false",
            "pregnant Bool - 13 0 false",
            "disability Bool - 14 0 false",
            "population List - 15 11 false",
            "residency_status Enum - 16 6 false",
            "gender Enum - 17 6 false",
            "health_insurance Enum - 12 5 false",
            "immigration_status Enum - 16 6 false",
            "veteran Bool - 13 0 false",
            "homeless Bool - 10 0 false",
            "county Text - 2 0 true",
            "region Text - 1 0 true",
            "low_income Bool - 11 0 false",
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0.0));
        assert_eq!(parse_date("2000-03-01"), Some(11_017.0));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024-02-29").map(|d| d > 0.0), Some(true));
    }

    #[test]
    fn extension_keeps_prefix_compatibility() {
        let std = FactCatalog::standard();
        let ext = std.clone().with(FactDef::bool("veteran_card")).unwrap();
        assert!(ext.extends(std.stamp()));
        assert!(!std.extends(ext.stamp()));
        assert!(ext.clone().with(FactDef::bool("age")).is_err());
        assert!(ext.with(FactDef::bool("and")).is_err());
    }
}
