//! Errors of the rules stage: parsing, compiling, building catalogues, profiles and tables.

use std::fmt;

/// A byte range `start..end` in a rule's source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    pub(crate) fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    pub(crate) fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// Where an error is in the rule text: 1-based line and column (in characters) and a
/// two-line excerpt, the source line and a caret line (`^^^`) under the offending part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLocation {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The source line followed by a line of carets under the span.
    pub excerpt: String,
}

/// Longest source line shown in an excerpt, in characters.
const EXCERPT_WIDTH: usize = 80;

impl SourceLocation {
    pub(crate) fn new(src: &str, span: Span) -> Self {
        let start = floor_char_boundary(src, span.start.min(src.len()));
        let end = floor_char_boundary(src, span.end.clamp(start, src.len()));
        let line_start = src
            .get(..start)
            .and_then(|s| s.rfind('\n'))
            .map_or(0, |i| i + 1);
        let line_end = src
            .get(start..)
            .and_then(|s| s.find('\n'))
            .map_or(src.len(), |i| start + i);
        let line = src.get(..start).map_or(0, |s| s.matches('\n').count()) + 1;
        let before = src.get(line_start..start).unwrap_or_default();
        let column = before.chars().count() + 1;
        let text = src.get(line_start..line_end).unwrap_or_default();
        let width = src
            .get(start..end.min(line_end))
            .map_or(0, |s| s.chars().count())
            .max(1);
        // Window the line so that long rules still give a short excerpt.
        let skip = (column - 1).saturating_sub(EXCERPT_WIDTH / 2);
        let shown: String = text.chars().skip(skip).take(EXCERPT_WIDTH).collect();
        let prefix = if skip > 0 { "…" } else { "" };
        let pad = column - 1 - skip + prefix.chars().count();
        let carets = width.min(EXCERPT_WIDTH.saturating_sub(pad).max(1));
        let excerpt = format!(
            "  {prefix}{shown}\n  {}{}",
            " ".repeat(pad),
            "^".repeat(carets)
        );
        Self {
            line,
            column,
            excerpt,
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// What is wrong with a rule at a given [`SourceLocation`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuleErrorKind {
    /// A character that starts no token.
    UnexpectedChar(char),
    /// A token other than the ones the grammar allows here.
    Unexpected {
        /// The token found, as written (rule text, not resident data).
        found: String,
        /// What the grammar expected.
        expected: &'static str,
    },
    /// The text ended where more was expected.
    UnexpectedEnd {
        /// What the grammar expected.
        expected: &'static str,
    },
    /// A string literal without its closing quote, or with a bad escape.
    BadString,
    /// A number that does not parse or is not finite.
    BadNumber,
    /// Parentheses / `not` nested deeper than the limit.
    TooDeep {
        /// The nesting limit.
        max: usize,
    },
    /// A fact the catalogue does not declare.
    UnknownFact {
        /// The name used in the rule.
        name: String,
        /// The closest declared fact, if one is close.
        suggestion: Option<String>,
    },
    /// A lookup table that is not loaded.
    UnknownTable {
        /// The table name used in the rule.
        name: String,
        /// The closest loaded table, if one is close.
        suggestion: Option<String>,
    },
    /// The operation does not apply to the fact's type.
    TypeMismatch {
        /// The fact.
        fact: String,
        /// The fact's declared type (`"number"`, `"bool"` …).
        fact_type: &'static str,
        /// Why, e.g. "cannot be compared with text".
        reason: &'static str,
    },
    /// A literal is not among the fact's allowed values.
    NotAllowed {
        /// The fact.
        fact: String,
        /// The literal used in the rule (rule text, not resident data).
        value: String,
        /// The allowed values, comma-separated.
        allowed: String,
    },
    /// A range `lo..hi` with `lo > hi`.
    EmptyRange,
}

impl fmt::Display for RuleErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnexpectedChar(c) => write!(f, "unexpected character {c:?}"),
            Self::Unexpected { found, expected } => {
                write!(f, "expected {expected}, found {found}")
            }
            Self::UnexpectedEnd { expected } => write!(f, "expected {expected}, found end of rule"),
            Self::BadString => f.write_str("unterminated string or invalid escape"),
            Self::BadNumber => f.write_str("invalid number"),
            Self::TooDeep { max } => write!(f, "rule nested deeper than {max} levels"),
            Self::UnknownFact { name, suggestion } => {
                write!(f, "unknown fact \"{name}\"")?;
                if let Some(s) = suggestion {
                    write!(f, " — did you mean \"{s}\"?")?;
                }
                Ok(())
            }
            Self::UnknownTable { name, suggestion } => {
                write!(f, "unknown lookup table \"{name}\"")?;
                if let Some(s) = suggestion {
                    write!(f, " — did you mean \"{s}\"?")?;
                }
                Ok(())
            }
            Self::TypeMismatch {
                fact,
                fact_type,
                reason,
            } => write!(f, "fact \"{fact}\" is {fact_type}: {reason}"),
            Self::NotAllowed {
                fact,
                value,
                allowed,
            } => write!(
                f,
                "{value:?} is not an allowed value of \"{fact}\" (allowed: {allowed})"
            ),
            Self::EmptyRange => f.write_str("range lower bound is above its upper bound"),
        }
    }
}

/// An error of the rules stage.
///
/// Messages name facts, rule positions and limits; they never contain a value taken from a
/// resident's [`Profile`](crate::rules::Profile).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleError {
    /// The rule is invalid at a position of its text (for a rule given as AST, of its
    /// printed text).
    #[error("{kind} at line {}, column {}\n{}", location.line, location.column, location.excerpt)]
    Invalid {
        /// What is wrong.
        kind: RuleErrorKind,
        /// Where.
        location: SourceLocation,
    },
    /// The rule text exceeds the length limit.
    #[error("rule text is {len} bytes long; the limit is {max}")]
    TooLong {
        /// Length of the text in bytes.
        len: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// The JSON form of a rule does not parse or nests too deeply.
    #[error("invalid rule JSON: {reason}")]
    Json {
        /// The JSON parser's message, or the nesting limit exceeded.
        reason: String,
    },
    /// A profile or catalogue lookup used a fact the catalogue does not declare.
    #[error("unknown fact \"{name}\"{}", suggestion.as_ref().map(|s| format!(" — did you mean \"{s}\"?")).unwrap_or_default())]
    UnknownFact {
        /// The name used.
        name: String,
        /// The closest declared fact, if one is close.
        suggestion: Option<String>,
    },
    /// A value given for a fact does not fit its declared type or allowed values.
    /// The value itself is deliberately not included.
    #[error("invalid value for fact \"{fact}\": {reason}")]
    FactValue {
        /// The fact.
        fact: String,
        /// What the fact expects.
        reason: &'static str,
    },
    /// A fact definition cannot be added to a catalogue.
    #[error("invalid fact definition \"{name}\": {reason}")]
    FactDef {
        /// The fact name.
        name: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// A catalogue file is malformed, declares a fact twice, or gives a value outside its
    /// type. Names the file, the 1-based line and the field (`facts[2].values`).
    #[error("invalid fact catalogue {file}, line {line}, field {field}: {reason}")]
    Catalog {
        /// The file name given when loading (or `<json>`).
        file: String,
        /// 1-based line of the catalogue text.
        line: usize,
        /// The field concerned, as a path (`currency`, `facts[3].name`).
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// Lookup table data is malformed.
    #[error("invalid lookup table data at line {line}: {reason}")]
    Table {
        /// 1-based line of the CSV text (0 for row input).
        line: usize,
        /// Why it was rejected.
        reason: &'static str,
    },
}

impl RuleError {
    pub(crate) fn at(src: &str, span: Span, kind: RuleErrorKind) -> Self {
        Self::Invalid {
            kind,
            location: SourceLocation::new(src, span),
        }
    }

    /// The location in the rule text, for errors that have one.
    pub fn location(&self) -> Option<&SourceLocation> {
        match self {
            Self::Invalid { location, .. } => Some(location),
            _ => None,
        }
    }
}

/// The closest of `candidates` to `name` (edit distance with transpositions, or
/// Jaro-Winkler for long shared prefixes), if close enough.
pub(crate) fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    candidates
        .map(|c| {
            let dl = strsim::normalized_damerau_levenshtein(name, c);
            let jw = strsim::jaro_winkler(name, c);
            (
                if dl >= 0.5 || jw >= 0.85 {
                    dl.max(jw)
                } else {
                    0.0
                },
                c,
            )
        })
        .filter(|(score, _)| *score > 0.0)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_points_at_span() {
        let src = "age >= 65\nor aeg < 3";
        let loc = SourceLocation::new(src, Span::new(13, 16));
        assert_eq!((loc.line, loc.column), (2, 4));
        assert_eq!(loc.excerpt, "  or aeg < 3\n     ^^^");
    }

    #[test]
    fn suggestion_finds_close_name() {
        let names = ["age", "province", "household_size"];
        assert_eq!(suggest("aeg", names.into_iter()).as_deref(), Some("age"));
        assert_eq!(suggest("zzzzzz", names.into_iter()), None);
    }
}
