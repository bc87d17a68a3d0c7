//! A fact catalogue declared by the deployer, read from JSON.
//!
//! ```json
//! {
//!   "base": "standard",
//!   "currency": "USD",
//!   "facts": [
//!     {"name": "has_pet", "type": "bool",
//!      "label": {"en": "have a pet", "fr": "avoir un animal de compagnie"},
//!      "question": {"en": "Do you have a pet?", "fr": "Avez-vous un animal de compagnie ?"},
//!      "sensitivity": 20}
//!   ]
//! }
//! ```
//!
//! `base` is `"standard"` (the facts of [`FactCatalog::standard`] come first, so rules
//! written for it keep working) or `"empty"` (the default). `type` is one of `bool`,
//! `number`, `text`, `enum`, `date`, `list`; `unit` is for numbers only (`"years"`, or the
//! catalogue's currency for money); `values` are the allowed values of an enum (required)
//! or a list (optional); `"place": true` marks a text fact as a place of residence,
//! compared loosely ([`FactDef::place`]).

use std::path::Path;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::catalog::{FactCatalog, FactDef, FactKind};
use super::error::RuleError;

/// Largest catalogue text accepted (1 MiB).
const MAX_CATALOG_BYTES: usize = 1 << 20;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileForm<'a> {
    #[serde(default)]
    base: Option<String>,
    #[serde(default)]
    currency: Option<String>,
    #[serde(borrow, default)]
    facts: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Bilingual {
    en: String,
    fr: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactForm {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    values: Option<Vec<String>>,
    #[serde(default)]
    label: Option<Bilingual>,
    question: Bilingual,
    #[serde(default)]
    sensitivity: Option<u8>,
    #[serde(default)]
    place: bool,
}

/// 1-based line of byte `offset` of `text`.
fn line_at(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |head| head.bytes().filter(|&b| b == b'\n').count() + 1)
}

struct Loader<'a> {
    file: &'a str,
    text: &'a str,
}

impl Loader<'_> {
    fn err(&self, line: usize, field: String, reason: impl Into<String>) -> RuleError {
        RuleError::Catalog {
            file: self.file.to_owned(),
            line,
            field,
            reason: reason.into(),
        }
    }

    /// Offset of `part` (a slice of the text) in the text.
    fn offset_of(&self, part: &str) -> usize {
        (part.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize)
    }

    /// Line of the key `"field"` inside the raw fact, or of the fact itself.
    fn line_of_key(&self, raw: &str, field: &str) -> usize {
        let at = raw.find(&format!("\"{field}\"")).unwrap_or(0);
        line_at(self.text, self.offset_of(raw) + at)
    }

    fn top_line(&self, field: &str) -> usize {
        self.text
            .find(&format!("\"{field}\""))
            .map_or(1, |at| line_at(self.text, at))
    }

    fn load(&self) -> Result<FactCatalog, RuleError> {
        if self.text.len() > MAX_CATALOG_BYTES {
            return Err(self.err(
                1,
                "(file)".into(),
                format!("longer than {MAX_CATALOG_BYTES} bytes"),
            ));
        }
        let form: FileForm<'_> = serde_json::from_str(self.text)
            .map_err(|e| self.err(e.line().max(1), "(top level)".into(), e.to_string()))?;
        let mut catalog = match form.base.as_deref() {
            None | Some("empty") => FactCatalog::new(),
            Some("standard") => FactCatalog::standard(),
            Some(_) => {
                return Err(self.err(
                    self.top_line("base"),
                    "base".into(),
                    "expected \"standard\" or \"empty\"",
                ))
            }
        };
        for (i, raw) in form.facts.iter().enumerate() {
            let raw = raw.get();
            let start = line_at(self.text, self.offset_of(raw));
            let fact: FactForm = serde_json::from_str(raw).map_err(|e| {
                self.err(
                    start + e.line().saturating_sub(1),
                    format!("facts[{i}]"),
                    e.to_string(),
                )
            })?;
            let def = self.def(i, raw, fact, catalog.currency())?;
            let name_line = self.line_of_key(raw, "name");
            catalog
                .add(def)
                .map_err(|e| self.err(name_line, format!("facts[{i}].name"), e.to_string()))?;
        }
        if let Some(code) = form.currency {
            catalog = catalog.with_currency(&code).map_err(|_| {
                self.err(
                    self.top_line("currency"),
                    "currency".into(),
                    "expected an ISO 4217 code such as \"USD\"",
                )
            })?;
        }
        Ok(catalog)
    }

    fn def(&self, i: usize, raw: &str, f: FactForm, currency: &str) -> Result<FactDef, RuleError> {
        let bad = |field: &str, reason: &str| {
            self.err(
                self.line_of_key(raw, field),
                format!("facts[{i}].{field}"),
                reason,
            )
        };
        let values: Vec<&str> = f
            .values
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(String::as_str)
            .collect();
        let kind = match f.kind.as_str() {
            "bool" => FactKind::Bool,
            "number" => FactKind::Number,
            "text" => FactKind::Text,
            "enum" => FactKind::Enum,
            "date" => FactKind::Date,
            "list" => FactKind::List,
            _ => {
                return Err(bad(
                    "type",
                    "expected one of bool, number, text, enum, date, list",
                ))
            }
        };
        if f.unit.is_some() && kind != FactKind::Number {
            return Err(bad("unit", "only a number fact has a unit"));
        }
        if f.place && kind != FactKind::Text {
            return Err(bad("place", "only a text fact is a place of residence"));
        }
        if f.values.is_some() && !matches!(kind, FactKind::Enum | FactKind::List) {
            return Err(bad(
                "values",
                "only an enum or list fact has allowed values",
            ));
        }
        if kind == FactKind::Enum && values.is_empty() {
            return Err(bad("values", "an enum needs at least one allowed value"));
        }
        if let Some(dup) = values
            .iter()
            .enumerate()
            .find(|(k, v)| values.get(..*k).is_some_and(|before| before.contains(v)))
        {
            return Err(bad(
                "values",
                &format!("allowed value {:?} is given twice", dup.1),
            ));
        }
        if f.question.en.trim().is_empty() || f.question.fr.trim().is_empty() {
            return Err(bad(
                "question",
                "the question needs English and French text",
            ));
        }
        let mut def = match kind {
            FactKind::Bool => FactDef::bool(&f.name),
            FactKind::Number => FactDef::number(&f.name, f.unit.as_deref().unwrap_or(currency)),
            FactKind::Text => FactDef::text(&f.name),
            FactKind::Enum => FactDef::enumeration(&f.name, &values),
            FactKind::Date => FactDef::date(&f.name),
            FactKind::List => FactDef::list(&f.name, &values),
        };
        if kind == FactKind::Number && f.unit.is_none() {
            return Err(bad(
                "unit",
                "a number fact needs a unit (\"years\", \"persons\", or a currency code)",
            ));
        }
        if let Some(l) = &f.label {
            def = def.labels(&l.en, &l.fr);
        }
        def = def.question(&f.question.en, &f.question.fr);
        if let Some(s) = f.sensitivity {
            def = def.sensitivity(s);
        }
        if f.place {
            def = def.place();
        }
        Ok(def)
    }
}

impl FactCatalog {
    /// Reads a catalogue from its JSON form (see below). `file` names the source in errors.
    ///
    /// The JSON is an object with `base` (`"standard"` to start from
    /// [`FactCatalog::standard`], or `"empty"`, the default), `currency` (ISO 4217 code of
    /// money facts) and `facts`, each with `name`, `type` (`bool`, `number`, `text`, `enum`,
    /// `date`, `list`), `unit` (numbers only, required), `values` (enum: required; list:
    /// optional), `label` and `question` (`{"en": …, "fr": …}`) and `sensitivity` (0–255,
    /// lower is asked first).
    ///
    /// # Errors
    /// [`RuleError::Catalog`] naming `file`, the line and the field, when the JSON is
    /// malformed, a field is unknown or of the wrong type, a fact is declared twice, or a
    /// value is outside its type (a unit on a bool, an enum without values …).
    ///
    /// # Examples
    /// ```
    /// use passerelle::rules::{FactCatalog, RuleError, Tables};
    /// let json = r#"{
    ///   "base": "standard",
    ///   "currency": "USD",
    ///   "facts": [
    ///     {"name": "has_pet", "type": "bool",
    ///      "question": {"en": "Do you have a pet?", "fr": "Avez-vous un animal ?"}}
    ///   ]
    /// }"#;
    /// let catalog = FactCatalog::from_json(json, "deploy/catalog.json").unwrap();
    /// assert_eq!(catalog.currency(), "USD");
    /// assert!(catalog.compile("has_pet and gender != \"male\"", &Tables::new()).is_ok());
    ///
    /// let twice = r#"{"facts": [
    ///   {"name": "a", "type": "bool", "question": {"en": "A?", "fr": "A ?"}},
    ///   {"name": "a", "type": "bool", "question": {"en": "A?", "fr": "A ?"}}
    /// ]}"#;
    /// let err = FactCatalog::from_json(twice, "c.json").unwrap_err();
    /// let RuleError::Catalog { file, line, field, .. } = &err else { panic!() };
    /// assert_eq!((file.as_str(), *line, field.as_str()), ("c.json", 3, "facts[1].name"));
    /// ```
    pub fn from_json(text: &str, file: &str) -> Result<Self, RuleError> {
        Loader { file, text }.load()
    }

    /// Reads a catalogue from a JSON file; see [`FactCatalog::from_json`].
    ///
    /// # Errors
    /// As [`FactCatalog::from_json`], and [`RuleError::Catalog`] (line 0) when the file
    /// cannot be read.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, RuleError> {
        let path = path.as_ref();
        let file = path.display().to_string();
        let too_big = std::fs::metadata(path)
            .map(|m| m.len() > MAX_CATALOG_BYTES as u64)
            .unwrap_or(false);
        if too_big {
            return Err(RuleError::Catalog {
                file,
                line: 0,
                field: "(file)".into(),
                reason: format!("longer than {MAX_CATALOG_BYTES} bytes"),
            });
        }
        let text = std::fs::read_to_string(path).map_err(|e| RuleError::Catalog {
            file: file.clone(),
            line: 0,
            field: "(file)".into(),
            reason: e.to_string(),
        })?;
        Self::from_json(&text, &file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(json: &str) -> (usize, String, String) {
        match FactCatalog::from_json(json, "t.json") {
            Err(RuleError::Catalog {
                file,
                line,
                field,
                reason,
            }) => {
                assert_eq!(file, "t.json");
                (line, field, reason)
            }
            other => panic!("expected a catalogue error, got {other:?}"),
        }
    }

    const Q: &str = r#""question": {"en": "Q?", "fr": "Q ?"}"#;

    #[test]
    fn declared_catalogue_loads() {
        let json = format!(
            r#"{{"currency": "EUR", "facts": [
  {{"name": "age", "type": "number", "unit": "years", {Q}}},
  {{"name": "income", "type": "number", "unit": "EUR", {Q}, "sensitivity": 9}},
  {{"name": "zone", "type": "enum", "values": ["a", "b"], {Q}}},
  {{"name": "tags", "type": "list", {Q}}},
  {{"name": "commune", "type": "text", "place": true, {Q}}}
]}}"#
        );
        let c = FactCatalog::from_json(&json, "t.json").unwrap();
        assert_eq!(c.facts().count(), 5);
        assert!(c.get("commune").unwrap().is_place());
        assert!(!c.get("zone").unwrap().is_place());
        assert_eq!(c.get("income").unwrap().unit(), Some("EUR"));
        assert_eq!(c.get("income").unwrap().sensitivity_rank(), 9);
        assert_eq!(c.get("zone").unwrap().allowed(), ["a", "b"]);
        assert!(c
            .compile("zone == \"b\" and age >= 3", &Default::default())
            .is_ok());
        assert!(c.compile("zone == \"c\"", &Default::default()).is_err());
        let std = FactCatalog::from_json(r#"{"base": "standard"}"#, "s").unwrap();
        assert_eq!(std, FactCatalog::standard());
    }

    #[test]
    fn bad_catalogues_name_file_line_and_field() {
        let (line, field, _) = err("{\n  \"facts\": [\n    {\"name\": 3}\n  ]\n}");
        assert_eq!((line, field.as_str()), (3, "facts[0]"));
        let (line, field, reason) = err("{\"facts\": [],\n \"colour\": 1}");
        assert_eq!(line, 2);
        assert_eq!(field, "(top level)");
        assert!(reason.contains("colour"), "{reason}");
        let (line, field, _) = err("{\"facts\": [\n");
        assert_eq!((line, field.as_str()), (2, "(top level)"));
        let (line, field, reason) = err(&format!(
            "{{\"facts\": [\n {{\"name\": \"x\",\n  \"type\": \"bool\",\n  \"unit\": \"kg\", {Q}}}]}}"
        ));
        assert_eq!((line, field.as_str()), (4, "facts[0].unit"));
        assert!(reason.contains("only a number"), "{reason}");
        let (_, field, _) = err(&format!(
            r#"{{"facts": [{{"name": "x", "type": "enum", {Q}}}]}}"#
        ));
        assert_eq!(field, "facts[0].values");
        let (_, field, _) = err(&format!(
            r#"{{"facts": [{{"name": "x", "type": "colour", {Q}}}]}}"#
        ));
        assert_eq!(field, "facts[0].type");
        let (_, field, _) = err(&format!(
            r#"{{"facts": [{{"name": "x", "type": "enum", "values": ["a", "a"], {Q}}}]}}"#
        ));
        assert_eq!(field, "facts[0].values");
        let (line, field, reason) = err(&format!(
            "{{\"base\": \"standard\", \"facts\": [\n{{\"name\": \"gender\", \"type\": \"bool\", {Q}}}]}}"
        ));
        assert_eq!((line, field.as_str()), (2, "facts[0].name"));
        assert!(reason.contains("already declared"), "{reason}");
        let (line, field, _) = err(&format!(
            "{{\"facts\": [\n{{\"name\": \"x\", \"type\": \"bool\",\n\"place\": true, {Q}}}]}}"
        ));
        assert_eq!((line, field.as_str()), (3, "facts[0].place"));
        let (line, field, _) = err("{\"facts\": [],\n\"currency\": \"dollars\"}");
        assert_eq!((line, field.as_str()), (2, "currency"));
        let (_, field, _) = err(r#"{"base": "canadian"}"#);
        assert_eq!(field, "base");
        let (_, field, _) = err(&format!(
            r#"{{"facts": [{{"name": "n", "type": "number", {Q}}}]}}"#
        ));
        assert_eq!(field, "facts[0].unit");
    }

    #[test]
    fn unreadable_file_is_a_catalogue_error() {
        let e = FactCatalog::from_path("/nonexistent/catalog.json").unwrap_err();
        assert!(e.to_string().contains("/nonexistent/catalog.json"), "{e}");
    }
}
