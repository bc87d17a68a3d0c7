//! FFI mirrors for declared fact catalogues, rules in their JSON form and conditions read
//! from eligibility text. Conversion and error mapping only; the logic is core's.

use std::collections::HashMap;

use passerelle::{
    rules::{FactCatalog, FactKind, Rule, Tables},
    NavigatorOptions,
};

use crate::error::guard;
use crate::rules::{profile_from, EligibilityOutcome, FactValue};
use crate::PasserelleError;

/// How a navigator reads eligibility: the fact catalogue and whether conditions are read
/// from listing text.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EligibilitySettings {
    /// A fact catalogue in its JSON form (`{"base": "standard", "currency": "USD",
    /// "facts": [...]}`, see the README "The standard fact catalogue"); `None`: the standard
    /// catalogue. Resident facts and directory rules are checked against it.
    #[uniffi(default = None)]
    pub catalog_json: Option<String>,
    /// Read conditions (age, gender, residency, income, insurance, veteran, pregnancy,
    /// homelessness) from each service's eligibility text into its rule; explanations then
    /// quote the listing ("to confirm: the listing says '…'"). A service's own rule wins.
    #[uniffi(default = false)]
    pub infer_from_text: bool,
}

/// The catalogue of `catalog_json` (`"<catalog_json>"` names it in errors), or the standard.
pub(crate) fn catalog_of(catalog_json: Option<&str>) -> Result<FactCatalog, PasserelleError> {
    match catalog_json {
        Some(json) => Ok(FactCatalog::from_json(json, "<catalog_json>")?),
        None => Ok(FactCatalog::standard()),
    }
}

/// Navigator options for `settings` (the defaults without).
pub(crate) fn navigator_options(
    settings: Option<&EligibilitySettings>,
) -> Result<NavigatorOptions, PasserelleError> {
    let mut options = NavigatorOptions::default();
    if let Some(s) = settings {
        options.catalog = catalog_of(s.catalog_json.as_deref())?;
        options.infer_eligibility = s.infer_from_text;
    }
    Ok(options)
}

/// One fact of a catalogue: what to ask and which values it takes.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FactInfo {
    /// The name used in rules and facts.
    pub name: String,
    /// `bool`, `number`, `text`, `enum`, `date` or `list`.
    pub kind: String,
    /// The unit of a number (`years`, a currency code …).
    pub unit: Option<String>,
    /// Allowed values of an enum or list (empty: any).
    pub values: Vec<String>,
    /// The question in English.
    pub question_en: String,
    /// The question in French.
    pub question_fr: String,
}

/// The facts of a catalogue given in its JSON form (`None`: the standard catalogue), in
/// declaration order.
///
/// Errors with `InvalidInput` naming the line and the field when the catalogue is malformed,
/// declares a fact twice or gives a value outside its type.
#[uniffi::export(default(catalog_json = None))]
pub fn catalog_facts(catalog_json: Option<String>) -> Result<Vec<FactInfo>, PasserelleError> {
    guard("catalog_facts", || {
        let catalog = catalog_of(catalog_json.as_deref())?;
        Ok(catalog
            .facts()
            .map(|f| FactInfo {
                name: f.name().to_owned(),
                kind: match f.kind() {
                    FactKind::Bool => "bool",
                    FactKind::Number => "number",
                    FactKind::Text => "text",
                    FactKind::Enum => "enum",
                    FactKind::Date => "date",
                    _ => "list",
                }
                .to_owned(),
                unit: f.unit().map(str::to_owned),
                values: f.allowed().to_vec(),
                question_en: f.question_en().to_owned(),
                question_fr: f.question_fr().to_owned(),
            })
            .collect())
    })
}

/// Evaluates a rule given in its JSON form (`{"op": "compare", "fact": "age", "cmp": ">=",
/// "value": 65}`, as `validate_rule` returns it) for a resident's facts, against a catalogue
/// (`None`: the standard one).
///
/// Errors with `InvalidRule` for JSON that is not a rule or a rule the catalogue rejects,
/// `InvalidInput` for a bad catalogue or tables, or a fact value of the wrong kind (never
/// echoed).
#[uniffi::export(default(catalog_json = None, tables_csv = None))]
pub fn explain_rule_json(
    rule_json: String,
    facts: HashMap<String, FactValue>,
    catalog_json: Option<String>,
    tables_csv: Option<String>,
) -> Result<EligibilityOutcome, PasserelleError> {
    guard("explain_rule_json", || {
        let catalog = catalog_of(catalog_json.as_deref())?;
        let tables = match tables_csv {
            Some(csv) => Tables::from_csv(&csv)?,
            None => Tables::new(),
        };
        let rule = catalog.compile_rule(&Rule::from_json(&rule_json)?, &tables)?;
        let profile = profile_from(rule.catalog(), facts)?;
        Ok(rule.explain(&profile).into())
    })
}

/// A condition read from eligibility text.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct InferredConditionInfo {
    /// `age`, `gender`, `residency`, `income`, `insurance`, `veteran`, `pregnancy`, `housing`.
    pub kind: String,
    /// The condition as rule text (`age in 19..64`).
    pub rule_text: String,
    /// The condition as JSON AST.
    pub rule_json: String,
    /// The sentence it was read from.
    pub quote: String,
    /// Byte offsets of the words read, in the text given.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

/// The conditions a listing's eligibility text states ("Men ages 19-64 who are uninsured"),
/// in English or French; text not understood yields none (never a guess).
#[uniffi::export]
pub fn read_eligibility_text(text: String) -> Vec<InferredConditionInfo> {
    passerelle::rules::infer_conditions(&text)
        .iter()
        .map(|c| InferredConditionInfo {
            kind: c.kind().name().to_owned(),
            rule_text: c.rule().to_string(),
            rule_json: c.rule().to_json(),
            quote: c.quote().to_owned(),
            start: u32::try_from(c.span().start).unwrap_or(u32::MAX),
            end: u32::try_from(c.span().end).unwrap_or(u32::MAX),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_catalogue_and_rule_json() {
        let catalog = r#"{"base": "standard", "currency": "USD", "facts": [
            {"name": "has_pet", "type": "bool", "question": {"en": "Pet?", "fr": "Animal ?"}}]}"#;
        let facts = catalog_facts(Some(catalog.into())).unwrap();
        assert!(facts
            .iter()
            .any(|f| f.name == "has_pet" && f.kind == "bool"));
        let income = facts.iter().find(|f| f.name == "household_income").unwrap();
        assert_eq!(income.unit.as_deref(), Some("USD"));
        let json = Rule::parse("has_pet and age >= 18").unwrap().to_json();
        let out = explain_rule_json(
            json.clone(),
            HashMap::from([("age".into(), FactValue::Number { value: 12.0 })]),
            Some(catalog.into()),
            None,
        )
        .unwrap();
        assert_eq!(out.failed[0].en, "minimum age is 18");
        // The standard catalogue has no has_pet.
        assert!(matches!(
            explain_rule_json(json, HashMap::new(), None, None),
            Err(PasserelleError::InvalidRule { .. })
        ));
        let bad = catalog_facts(Some("{\"facts\": [\n{\"name\": 1}]}".into())).unwrap_err();
        let PasserelleError::InvalidInput { reason } = bad else {
            panic!("{bad:?}")
        };
        assert!(
            reason.contains("line 2") && reason.contains("facts[0]"),
            "{reason}"
        );
    }

    #[test]
    fn reads_text() {
        let found = read_eligibility_text("Men ages 19-64 who are uninsured".into());
        let kinds: Vec<&str> = found.iter().map(|c| c.kind.as_str()).collect();
        assert_eq!(kinds, ["gender", "age", "insurance"]);
        assert_eq!(found[1].rule_text, "age in 19..64");
        assert!(read_eligibility_text("Age 62 or over or disabled".into()).is_empty());
    }
}
