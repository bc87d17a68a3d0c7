//! FFI mirrors of core's rules types: resident facts, explained eligibility, next questions,
//! and the stateless rule helpers [`validate_rule`] / [`explain_rule`].

use std::collections::HashMap;

use passerelle::rules::{
    CompiledRule, FactCatalog, FactValue as CoreFactValue, Outcome, Profile,
    Question as CoreQuestion, Tables,
};

use crate::eligibility::catalog_of;
use crate::error::guard;
use crate::PasserelleError;

/// The value of one resident fact (`age`, `household_income`, `province`, `population` …).
///
/// Facts are given as a map from fact name to value; the fact catalogue decides which names
/// exist and which kind each expects. Values never appear in errors.
///
/// Python callers can pass a plain `dict` (`{"age": 70, "province": "ON"}`): the `passerelle`
/// package converts it.
#[derive(Clone, PartialEq, uniffi::Enum)]
#[uniffi::export(Debug, Display)]
pub enum FactValue {
    /// For yes/no facts (`disability`, `caregiver`, `income_drop`).
    Bool {
        /// The value.
        value: bool,
    },
    /// For number facts (`age`, `household_size`, `household_income`); must be finite.
    Number {
        /// The value.
        value: f64,
    },
    /// For text, enumerated (`province`, `housing_status`) and date (`YYYY-MM-DD`) facts.
    Text {
        /// The value.
        value: String,
    },
    /// For list facts (`population`, `benefits`, `documents`).
    TextList {
        /// The values.
        values: Vec<String>,
    },
}

/// Like core's `FactValue`: the value itself is never printed.
impl std::fmt::Debug for FactValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            Self::Bool { .. } => "Bool",
            Self::Number { .. } => "Number",
            Self::Text { .. } => "Text",
            Self::TextList { .. } => "TextList",
        };
        write!(f, "{kind}(<redacted>)")
    }
}

impl From<FactValue> for CoreFactValue {
    fn from(v: FactValue) -> Self {
        match v {
            FactValue::Bool { value } => CoreFactValue::Bool(value),
            FactValue::Number { value } => CoreFactValue::Number(value),
            FactValue::Text { value } => CoreFactValue::Text(value),
            FactValue::TextList { values } => CoreFactValue::List(values),
        }
    }
}

/// Builds a profile of `catalog` from FFI facts. Errors name the fact, never the value.
pub(crate) fn profile_from(
    catalog: &FactCatalog,
    facts: HashMap<String, FactValue>,
) -> Result<Profile, PasserelleError> {
    let mut profile = catalog.profile();
    // Sorted, so the first bad fact reported is the same on every run.
    let mut facts: Vec<_> = facts.into_iter().collect();
    facts.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, value) in facts {
        profile.set(&name, value.into())?;
    }
    Ok(profile)
}

/// Three-valued eligibility of a resident for a service or rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum EligibilityStatus {
    /// The facts satisfy the rule (or there is no rule).
    Eligible,
    /// Facts the rule needs are missing: ask the resident (see `missing_facts`).
    Unknown,
    /// The facts fail the rule (see `failed`).
    Ineligible,
}

impl From<passerelle::matching::EligibilityStatus> for EligibilityStatus {
    fn from(s: passerelle::matching::EligibilityStatus) -> Self {
        match s {
            passerelle::matching::EligibilityStatus::Eligible => Self::Eligible,
            passerelle::matching::EligibilityStatus::Ineligible => Self::Ineligible,
            // Unknown, and any future core status: not decided.
            _ => Self::Unknown,
        }
    }
}

/// One condition of an eligibility rule as it applies to a resident.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RuleCondition {
    /// The condition as written in the rule (`age >= 65`).
    pub rule_text: String,
    /// What it requires, in English ("minimum age is 65").
    pub en: String,
    /// What it requires, in French ("l'âge minimum est de 65 ans").
    pub fr: String,
}

/// The explained eligibility of a resident for one service or rule.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EligibilityOutcome {
    /// The verdict.
    pub status: EligibilityStatus,
    /// When `Ineligible`: the conditions that failed, in rule order.
    pub failed: Vec<RuleCondition>,
    /// When `Unknown`: the conditions left open by missing facts, in rule order.
    pub open: Vec<RuleCondition>,
    /// When `Unknown`: the facts to ask for, in catalogue order.
    pub missing_facts: Vec<String>,
}

impl EligibilityOutcome {
    /// The outcome of a service without rule.
    pub(crate) fn eligible() -> Self {
        Self {
            status: EligibilityStatus::Eligible,
            failed: Vec::new(),
            open: Vec::new(),
            missing_facts: Vec::new(),
        }
    }
}

impl From<Outcome<'_>> for EligibilityOutcome {
    fn from(o: Outcome<'_>) -> Self {
        let cond = |c: &passerelle::rules::Condition<'_>| RuleCondition {
            rule_text: c.text().to_owned(),
            en: c.en(),
            fr: c.fr(),
        };
        match o {
            Outcome::Ineligible { failed } => Self {
                status: EligibilityStatus::Ineligible,
                failed: failed.iter().map(cond).collect(),
                ..Self::eligible()
            },
            Outcome::Unknown { missing, open } => Self {
                status: EligibilityStatus::Unknown,
                open: open.iter().map(cond).collect(),
                missing_facts: missing.iter().map(|m| m.fact().to_owned()).collect(),
                ..Self::eligible()
            },
            // Eligible, and any future core outcome without conditions.
            _ => Self::eligible(),
        }
    }
}

/// A question to ask the resident next: a fact several services' eligibility depends on.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Question {
    /// The fact it settles (`age`, `household_income` …); use it as the key in `facts`.
    pub fact: String,
    /// The question in English ("How old are you?").
    pub en: String,
    /// The question in French ("Quel âge avez-vous ?").
    pub fr: String,
    /// How many services (or results) miss this fact.
    pub affects: u32,
}

impl From<CoreQuestion> for Question {
    fn from(q: CoreQuestion) -> Self {
        Self {
            fact: q.fact,
            en: q.question_en,
            fr: q.question_fr,
            affects: u32::try_from(q.affects).unwrap_or(u32::MAX),
        }
    }
}

impl From<passerelle::matching::NextQuestion> for Question {
    fn from(q: passerelle::matching::NextQuestion) -> Self {
        Self {
            fact: q.fact,
            en: q.en,
            fr: q.fr,
            affects: u32::try_from(q.affects).unwrap_or(u32::MAX),
        }
    }
}

/// What [`validate_rule`] found out about a valid rule.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RuleInfo {
    /// The facts the rule reads, in catalogue order, without duplicates.
    pub facts: Vec<String>,
    /// The rule in canonical printed form (normalised spacing and parentheses).
    pub printed: String,
    /// The rule as JSON AST (the form stored by directory tools).
    pub json: String,
}

fn compile(
    text: &str,
    tables_csv: Option<String>,
    catalog_json: Option<&str>,
) -> Result<CompiledRule, PasserelleError> {
    let catalog = catalog_of(catalog_json)?;
    let tables = match tables_csv {
        Some(csv) => Tables::from_csv(&csv)?,
        None => Tables::new(),
    };
    Ok(catalog.compile(text, &tables)?)
}

/// Checks eligibility-rule text against a fact catalogue: `catalog_json` in its JSON form
/// (the one `EligibilitySettings.catalog_json` gives a navigator, so a declared fact such as
/// `has_pet` checks), or the standard catalogue without it.
///
/// `tables_csv` gives the lookup tables `threshold(..)` may use, as CSV with a header
/// `table,key,value` (for example the directory's `eligibility_tables.csv`); without it, a
/// rule using `threshold` fails with "unknown table".
///
/// Errors with `InvalidRule { reason, line, column }` (1-based, the reason names the problem
/// and shows the rule line with a caret; a fact the catalogue lacks is named with a "did
/// you mean"), `LimitExceeded` beyond 64 KiB of text, and `InvalidInput` for malformed
/// `tables_csv` or `catalog_json`.
#[uniffi::export(default(tables_csv = None, catalog_json = None))]
pub fn validate_rule(
    text: String,
    tables_csv: Option<String>,
    catalog_json: Option<String>,
) -> Result<RuleInfo, PasserelleError> {
    guard("validate_rule", || {
        let rule = compile(&text, tables_csv, catalog_json.as_deref())?;
        Ok(RuleInfo {
            facts: rule.facts().into_iter().map(str::to_owned).collect(),
            printed: rule.rule().to_string(),
            json: rule.rule().to_json(),
        })
    })
}

/// Evaluates eligibility-rule text for a resident's facts, with the reasons in English and
/// French: failed conditions when ineligible, open conditions and missing facts when unknown.
/// The rule and the facts are checked against `catalog_json` (as [`validate_rule`]).
///
/// Errors as [`validate_rule`], plus `InvalidInput` for a fact name the catalogue lacks (with a
/// suggestion) or a value of the wrong kind (the value is never echoed).
#[uniffi::export(default(tables_csv = None, catalog_json = None))]
pub fn explain_rule(
    text: String,
    facts: HashMap<String, FactValue>,
    tables_csv: Option<String>,
    catalog_json: Option<String>,
) -> Result<EligibilityOutcome, PasserelleError> {
    guard("explain_rule", || {
        let rule = compile(&text, tables_csv, catalog_json.as_deref())?;
        let profile = profile_from(rule.catalog(), facts)?;
        Ok(rule.explain(&profile).into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(v: f64) -> FactValue {
        FactValue::Number { value: v }
    }

    #[test]
    fn explain_in_both_languages() {
        let rule = "age >= 65 or (disability and age >= 18)".to_owned();
        let out = explain_rule(
            rule.clone(),
            HashMap::from([("age".into(), num(40.0))]),
            None,
            None,
        )
        .unwrap();
        assert_eq!(out.status, EligibilityStatus::Unknown);
        assert_eq!(out.missing_facts, ["disability"]);
        let facts = HashMap::from([
            ("age".into(), num(40.0)),
            ("disability".into(), FactValue::Bool { value: false }),
        ]);
        let out = explain_rule(rule, facts, None, None).unwrap();
        assert_eq!(out.status, EligibilityStatus::Ineligible);
        assert_eq!(out.failed[0].en, "minimum age is 65");
        assert_eq!(out.failed[0].fr, "l'âge minimum est de 65 ans");
        assert_eq!(out.failed[0].rule_text, "age >= 65");
    }

    #[test]
    fn validate_reports_facts_and_errors() {
        let info = validate_rule("disability and age>=18".into(), None, None).unwrap();
        assert_eq!(info.facts, ["age", "disability"]);
        assert_eq!(info.printed, "disability and age >= 18");
        assert!(matches!(
            validate_rule("age >= ".into(), None, None),
            Err(PasserelleError::InvalidRule { line: 1, .. })
        ));
        let csv = "table,key,value\nlim_on,1,27000\n".to_owned();
        assert!(validate_rule(
            "household_income <= threshold(\"lim_on\", household_size)".into(),
            Some(csv),
            None
        )
        .is_ok());
    }

    #[test]
    fn text_rules_check_against_a_declared_catalogue() {
        let catalog = r#"{"base": "standard", "facts": [
            {"name": "has_pet", "type": "bool", "question": {"en": "Pet?", "fr": "Animal ?"}}]}"#;
        let info =
            validate_rule("has_pet and age >= 18".into(), None, Some(catalog.into())).unwrap();
        assert_eq!(info.facts, ["age", "has_pet"]);
        let err = validate_rule("has_pet".into(), None, None).unwrap_err();
        assert!(
            matches!(err, PasserelleError::InvalidRule { .. }),
            "{err:?}"
        );
        let err = validate_rule("has_pte".into(), None, Some(catalog.into())).unwrap_err();
        assert!(err.to_string().contains("has_pet"), "did you mean: {err}");
        let facts = HashMap::from([
            ("age".into(), num(30.0)),
            ("has_pet".into(), FactValue::Bool { value: false }),
        ]);
        let out = explain_rule(
            "has_pet and age >= 18".into(),
            facts,
            None,
            Some(catalog.into()),
        )
        .unwrap();
        assert_eq!(out.status, EligibilityStatus::Ineligible);
        assert!(matches!(
            validate_rule("age >= 1".into(), None, Some("{".into())),
            Err(PasserelleError::InvalidInput { .. })
        ));
    }

    #[test]
    fn fact_values_never_in_errors() {
        let facts = HashMap::from([(
            "province".into(),
            FactValue::Text {
                value: "Secretland".into(),
            },
        )]);
        let err = explain_rule("province in [\"ON\"]".into(), facts, None, None).unwrap_err();
        assert!(matches!(err, PasserelleError::InvalidInput { .. }));
        assert!(!err.to_string().contains("Secretland"), "{err}");
        assert!(!format!("{:?}", FactValue::Number { value: 123.0 }).contains("123"));
    }
}
