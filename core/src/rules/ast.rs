//! The rule AST: the JSON form of a rule, and the value the parser produces.

use serde::{Deserialize, Serialize};

use super::error::RuleError;

/// Deepest nesting of parentheses and `not` accepted, in text and in JSON.
pub(crate) const MAX_DEPTH: usize = 64;

/// Longest rule text accepted, in bytes (64 KiB). Applies to the JSON form too.
pub(crate) const MAX_LEN: usize = 64 * 1024;

/// An eligibility rule, as an abstract syntax tree.
///
/// The text form (the language of the README, "Eligibility rules") and this tree are two equal views:
/// [`Rule::parse`] reads text, [`Display`](std::fmt::Display) prints it back, and
/// `Rule::parse(&r.to_string()) == Ok(r)` for every rule the parser produces. The serde
/// form is the JSON AST (`{"op": "compare", ...}`).
///
/// # Examples
/// ```
/// use passerelle::rules::Rule;
/// let rule = Rule::parse("age >= 65 or (disability and age >= 18)").unwrap();
/// assert_eq!(rule.to_string(), "age >= 65 or (disability and age >= 18)");
/// let json = rule.to_json();
/// assert_eq!(Rule::from_json(&json).unwrap(), rule);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rule {
    /// `true` or `false`.
    Const {
        /// The constant.
        value: bool,
    },
    /// A bare bool fact used as a condition: `disability`.
    Fact {
        /// The fact.
        fact: String,
    },
    /// `known(fact)`: true when the fact has a value, never unknown.
    Known {
        /// The fact.
        fact: String,
    },
    /// `not rule`.
    Not {
        /// The negated rule.
        rule: Box<Rule>,
    },
    /// `a and b and …`.
    And {
        /// The conjuncts.
        rules: Vec<Rule>,
    },
    /// `a or b or …`.
    Or {
        /// The disjuncts.
        rules: Vec<Rule>,
    },
    /// `fact <op> value`, e.g. `age >= 65`, `household_income <= threshold("lim_on", household_size)`.
    Compare {
        /// The fact on the left.
        fact: String,
        /// The comparison.
        cmp: Cmp,
        /// The right-hand side.
        value: Operand,
    },
    /// `fact in [v1, v2, …]`: the fact equals one of the values.
    In {
        /// The fact.
        fact: String,
        /// The values.
        values: Vec<Literal>,
    },
    /// `fact in lo..hi`: `lo <= fact <= hi`, **inclusive on both ends**.
    Range {
        /// The fact (a number).
        fact: String,
        /// Lower bound, included.
        min: f64,
        /// Upper bound, included.
        max: f64,
    },
    /// `fact has_any [..]`: the list fact contains at least one of the values.
    HasAny {
        /// The fact (a list of text).
        fact: String,
        /// The values.
        values: Vec<String>,
    },
    /// `fact has_all [..]`: the list fact contains every value.
    HasAll {
        /// The fact (a list of text).
        fact: String,
        /// The values.
        values: Vec<String>,
    },
    /// `has("x")`: sugar for `documents has_any ["x"]`.
    Has {
        /// The document.
        document: String,
    },
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Cmp {
    /// `==`
    #[serde(rename = "==")]
    Eq,
    /// `!=`
    #[serde(rename = "!=")]
    Ne,
    /// `<`
    #[serde(rename = "<")]
    Lt,
    /// `<=`
    #[serde(rename = "<=")]
    Le,
    /// `>`
    #[serde(rename = ">")]
    Gt,
    /// `>=`
    #[serde(rename = ">=")]
    Ge,
}

impl Cmp {
    /// The operator as written in rule text.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Eq => "==",
            Self::Ne => "!=",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
        }
    }

    /// The operator of the negated comparison (`not a < b` is `a >= b`).
    pub(crate) fn negate(self) -> Self {
        match self {
            Self::Eq => Self::Ne,
            Self::Ne => Self::Eq,
            Self::Lt => Self::Ge,
            Self::Le => Self::Gt,
            Self::Gt => Self::Le,
            Self::Ge => Self::Lt,
        }
    }

    pub(crate) fn apply(self, a: f64, b: f64) -> bool {
        match self {
            Self::Eq => a == b,
            Self::Ne => a != b,
            Self::Lt => a < b,
            Self::Le => a <= b,
            Self::Gt => a > b,
            Self::Ge => a >= b,
        }
    }
}

/// A literal value in a rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Literal {
    /// `true` / `false`.
    Bool(bool),
    /// A finite number.
    Number(f64),
    /// A string (`"ON"`; dates as `"2024-01-31"`).
    Text(String),
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Operand {
    /// A literal.
    Literal(Literal),
    /// `threshold("table", key)`: the value of a lookup table row.
    Threshold {
        /// The lookup.
        threshold: Threshold,
    },
}

/// `threshold("table", key)`: looks up `key` in a [`Tables`](crate::rules::Tables) table (largest
/// row key ≤ `key`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Threshold {
    /// The table name.
    pub table: String,
    /// The key: a fact (usually `household_size`) or a number.
    pub key: ThresholdKey,
}

/// The key of a [`Threshold`] lookup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ThresholdKey {
    /// A constant key.
    Number(f64),
    /// A number fact.
    Fact(String),
}

impl Rule {
    /// Parses rule text. Facts are not checked here; [`FactCatalog::compile`](crate::rules::FactCatalog::compile)
    /// checks names, types and allowed values.
    ///
    /// # Errors
    /// [`RuleError::TooLong`] beyond 64 KiB, [`RuleError::Invalid`] with line,
    /// column and a caret excerpt for syntax errors and nesting beyond 64 levels.
    ///
    /// # Examples
    /// ```
    /// use passerelle::rules::Rule;
    /// assert!(Rule::parse("province in [\"ON\", \"QC\"]").is_ok());
    /// let err = Rule::parse("age >= ").unwrap_err();
    /// assert_eq!(err.location().unwrap().column, 8);
    /// ```
    pub fn parse(text: &str) -> Result<Rule, RuleError> {
        super::parse::parse(text).map(|(rule, _)| rule)
    }

    /// Reads the JSON AST form.
    ///
    /// # Errors
    /// [`RuleError::Json`] if the JSON is malformed, not a rule, or nested beyond
    /// 64 levels; [`RuleError::TooLong`] beyond 64 KiB.
    ///
    /// # Examples
    /// ```
    /// use passerelle::rules::Rule;
    /// let r = Rule::from_json(r#"{"op":"range","fact":"age","min":16,"max":29}"#).unwrap();
    /// assert_eq!(r.to_string(), "age in 16..29");
    /// ```
    pub fn from_json(json: &str) -> Result<Rule, RuleError> {
        if json.len() > MAX_LEN {
            return Err(RuleError::TooLong {
                len: json.len(),
                max: MAX_LEN,
            });
        }
        // serde_json refuses nesting beyond 128 levels before our types recurse.
        let rule: Rule = serde_json::from_str(json).map_err(|e| RuleError::Json {
            reason: e.to_string(),
        })?;
        if rule.depth() > MAX_DEPTH {
            return Err(RuleError::Json {
                reason: format!("rule nested deeper than {MAX_DEPTH} levels"),
            });
        }
        Ok(rule)
    }

    /// The JSON AST form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Nesting depth as the parser counts it: one level per `not` and per pair of
    /// parentheses the printed text needs. Computed without recursion.
    pub fn depth(&self) -> usize {
        let mut max = 0;
        let mut stack: Vec<(&Rule, usize)> = vec![(self, 0)];
        while let Some((rule, d)) = stack.pop() {
            max = max.max(d);
            match rule {
                Rule::Not { rule } => {
                    let extra = usize::from(matches!(**rule, Rule::And { .. } | Rule::Or { .. }));
                    stack.push((rule, d + 1 + extra));
                }
                Rule::And { rules } | Rule::Or { rules } => {
                    for r in rules {
                        let extra = usize::from(matches!(r, Rule::And { .. } | Rule::Or { .. }));
                        stack.push((r, d + extra));
                    }
                }
                _ => {}
            }
        }
        max
    }

    /// The conjunction of `rules`: `true` for none, the rule itself for one.
    ///
    /// # Examples
    /// ```
    /// use passerelle::rules::Rule;
    /// let r = Rule::all(vec![Rule::age_between(Some(18.0), None), Rule::population_any(&["youth"])]);
    /// assert_eq!(r.to_string(), r#"age >= 18 and population has_any ["youth"]"#);
    /// ```
    pub fn all(rules: Vec<Rule>) -> Rule {
        let mut flat = Vec::with_capacity(rules.len());
        for r in rules {
            match r {
                Rule::Const { value: true } => {}
                Rule::And { rules } => flat.extend(rules),
                other => flat.push(other),
            }
        }
        match flat.len() {
            0 => Rule::Const { value: true },
            1 => flat.pop().unwrap_or(Rule::Const { value: true }),
            _ => Rule::And { rules: flat },
        }
    }

    /// The disjunction of `rules`: `false` for none, the rule itself for one.
    pub fn any(rules: Vec<Rule>) -> Rule {
        let mut flat = Vec::with_capacity(rules.len());
        for r in rules {
            match r {
                Rule::Const { value: false } => {}
                Rule::Or { rules } => flat.extend(rules),
                other => flat.push(other),
            }
        }
        match flat.len() {
            0 => Rule::Const { value: false },
            1 => flat.pop().unwrap_or(Rule::Const { value: false }),
            _ => Rule::Or { rules: flat },
        }
    }

    /// The HSDS `minimum_age` / `maximum_age` condition, in decimal years, both inclusive:
    /// `age in min..max`, `age >= min`, `age <= max`, or `true` when both are absent.
    ///
    /// # Examples
    /// ```
    /// use passerelle::rules::Rule;
    /// assert_eq!(Rule::age_between(Some(16.0), Some(29.0)).to_string(), "age in 16..29");
    /// assert_eq!(Rule::age_between(None, Some(17.5)).to_string(), "age <= 17.5");
    /// ```
    pub fn age_between(min: Option<f64>, max: Option<f64>) -> Rule {
        let fact = "age".to_owned();
        match (min, max) {
            (Some(min), Some(max)) => Rule::Range { fact, min, max },
            (Some(min), None) => Rule::compare(&fact, Cmp::Ge, min),
            (None, Some(max)) => Rule::compare(&fact, Cmp::Le, max),
            (None, None) => Rule::Const { value: true },
        }
    }

    /// `population has_any [...]`: restricted to residents in one of these populations
    /// (HSDS eligibility attributes, conventions §5). `true` for an empty list.
    pub fn population_any(populations: &[&str]) -> Rule {
        if populations.is_empty() {
            return Rule::Const { value: true };
        }
        Rule::HasAny {
            fact: "population".to_owned(),
            values: populations.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// `fact <cmp> number`.
    pub fn compare(fact: &str, cmp: Cmp, value: f64) -> Rule {
        Rule::Compare {
            fact: fact.to_owned(),
            cmp,
            value: Operand::Literal(Literal::Number(value)),
        }
    }

    /// `not rule`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(rule: Rule) -> Rule {
        Rule::Not {
            rule: Box::new(rule),
        }
    }
}

impl std::str::FromStr for Rule {
    type Err = RuleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rule::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_is_stable() {
        let r = Rule::parse(r#"household_income <= threshold("lim_on", household_size)"#).unwrap();
        assert_eq!(
            r.to_json(),
            r#"{"op":"compare","fact":"household_income","cmp":"<=","value":{"threshold":{"table":"lim_on","key":"household_size"}}}"#
        );
        assert_eq!(Rule::from_json(&r.to_json()).unwrap(), r);
    }

    #[test]
    fn deep_json_is_a_typed_error() {
        let n = 100_000;
        let json = format!(
            "{}{}{}",
            r#"{"op":"not","rule":"#.repeat(n),
            r#"{"op":"const","value":true}"#,
            "}".repeat(n)
        );
        assert!(matches!(
            Rule::from_json(&json),
            Err(RuleError::TooLong { .. })
        ));
        for n in [100, 200, 3000] {
            // 100: our depth check; 200 and 3000: serde_json's recursion limit.
            let json = format!(
                "{}{}{}",
                r#"{"op":"not","rule":"#.repeat(n),
                r#"{"op":"const","value":true}"#,
                "}".repeat(n)
            );
            assert!(
                matches!(Rule::from_json(&json), Err(RuleError::Json { .. })),
                "{n}"
            );
        }
        let ok = format!(
            "{}{}{}",
            r#"{"op":"not","rule":"#.repeat(30),
            r#"{"op":"const","value":true}"#,
            "}".repeat(30)
        );
        assert_eq!(Rule::from_json(&ok).unwrap().depth(), 30);
    }

    #[test]
    fn helpers_flatten() {
        let r = Rule::all(vec![
            Rule::Const { value: true },
            Rule::all(vec![
                Rule::compare("age", Cmp::Ge, 1.0),
                Rule::compare("age", Cmp::Le, 2.0),
            ]),
        ]);
        assert!(matches!(r, Rule::And { ref rules } if rules.len() == 2));
        assert_eq!(Rule::all(vec![]), Rule::Const { value: true });
        assert_eq!(Rule::any(vec![]), Rule::Const { value: false });
    }
}
