//! Eligibility rules: a small three-valued rules language over typed resident facts.
//!
//! A rule is written as text or as a JSON AST ([`Rule`]); both convert to each other. It
//! is compiled against a [`FactCatalog`] (the facts rules may use, conventions §4) and
//! [`Tables`] (lookup tables for `threshold(..)`, conventions §3) into a [`CompiledRule`],
//! which evaluates a resident [`Profile`] to a [`Verdict`]: a rule about a fact nobody has
//! told us yet is **unknown**, not false. [`CompiledRule::explain`] says why (failed or
//! open conditions, with sentences in English and French to read out), and
//! [`next_questions`] says which question would settle the most programs.
//!
//! # The language
//!
//! | form | meaning |
//! |---|---|
//! | `age >= 65`, `== != < <= > >=` | compare a number (or date `"YYYY-MM-DD"`) fact; `==`/`!=` for enum, text, bool |
//! | `disability` | a bool fact as a condition |
//! | `province in ["ON", "QC"]` | equals one of the values |
//! | `age in 16..29` | range, **inclusive on both ends**: `16 <= age <= 29` |
//! | `population has_any ["black", "indigenous"]`, `has_all [..]` | list facts |
//! | `has("provincial_health_card")` | `documents has_any ["provincial_health_card"]` |
//! | `household_income <= threshold("lim_on", household_size)` | lookup table: row with the largest key ≤ the argument |
//! | `known(age)` | the fact has a value (never unknown) |
//! | `not`, `and`, `or`, `( )`, `true`, `false` | `not` binds tightest, then `and`, then `or` |
//!
//! Logic is Kleene's: `false and unknown` is false, `true or unknown` is true, `not unknown`
//! is unknown. Text is at most 64 KiB and nests at most 64 levels; beyond, a typed error.
//!
//! # Examples
//! ```
//! use passerelle::rules::{FactCatalog, Outcome, Tables, Verdict};
//!
//! let catalog = FactCatalog::standard();
//! let tables = Tables::from_csv("table,key,value\nlim_on,1,30000\nlim_on,2,42000\n").unwrap();
//! let rule = catalog
//!     .compile(r#"age >= 18 and household_income <= threshold("lim_on", household_size)"#, &tables)
//!     .unwrap();
//!
//! let mut resident = catalog.profile();
//! resident.set("age", 34.into()).unwrap();
//! resident.set("household_size", 2.into()).unwrap();
//! assert_eq!(rule.evaluate(&resident), Verdict::Unknown);
//! assert_eq!(rule.partial(&resident).to_string(), "household_income <= 42000");
//!
//! resident.set("household_income", 50_000.into()).unwrap();
//! let Outcome::Ineligible { failed } = rule.explain(&resident) else { unreachable!() };
//! assert_eq!(failed[0].en(), "household income must be at most $42,000 for a household of 2");
//! assert_eq!(failed[0].fr(), "le revenu du ménage doit être d'au plus 42 000 $ pour un ménage de 2 personnes");
//! ```

mod ast;
mod catalog;
mod catalog_file;
mod compile;
mod error;
mod eval;
mod explain;
mod fact_input;
mod infer;
mod parse;
mod places;
mod print;
#[cfg(feature = "rule-set")]
mod set;
mod tables;

pub use ast::{Cmp, Literal, Operand, Rule, Threshold, ThresholdKey};
pub use catalog::{FactCatalog, FactDef, FactKind, FactValue, Profile};
pub use compile::CompiledRule;
pub use error::{RuleError, RuleErrorKind, SourceLocation, Span};
pub use eval::{evaluate_batch, Verdict};
pub(crate) use explain::rank_questions;
pub use explain::{next_questions, Condition, MissingFact, Outcome, Question};
pub use fact_input::FactInputError;
pub(crate) use infer::usable_conditions;
pub use infer::{infer_conditions, infer_conditions_in, ConditionKind, InferredCondition};
pub use places::KnownPlaces;
/// Many rules evaluated together over shared conditions: a benchmark and test surface, not
/// used by the navigator, so behind the off-by-default `rule-set` feature.
#[cfg(feature = "rule-set")]
pub use set::{Explanations, RuleSet};
pub use tables::Tables;
