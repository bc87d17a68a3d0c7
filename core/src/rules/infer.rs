//! Conditions read from a listing's free eligibility text ("Men ages 19-64 who are
//! uninsured", « femmes de 18 ans et plus »), in English and French.
//!
//! The reader prefers saying nothing to guessing: a sentence yields conditions only when
//! every part of it that is not a recognised condition is free of words that could change
//! their meaning: a disjunction or list ("or", "and", "ou", "et", "/", "&"), an exception or
//! preference ("except", "priority", "welcome", "especially"), a negation, or people other
//! than the one served ("families", "parents", "their"). "Age 62 or over or disabled" thus
//! yields nothing, not `age >= 62`. Text saying eligibility varies yields nothing at all, and
//! two sentences that disagree on a fact drop both conditions on it. A population word that
//! is one item of a list of groups ("seniors, disabled and low income residents") is not
//! read; "or" among the modifiers of the people served keeps what their head noun states
//! ("pregnant or parenting women ages 13-21": gender and age, not pregnancy).
//!
//! Vague age words map to bounds that exclude as few people as the usual meanings allow:
//! "seniors", "older adults", « aînés » → `age >= 55`; "adults" → `age >= 18`; "youth",
//! « jeunes » → `age <= 29`; "children", « enfants » → `age <= 17`; "teens" → `age in 12..19`.
//! A "women only" listing reads `gender != "male"` (and "men" reads `gender != "female"`), so
//! residents of another or an unstated gender are never excluded by inference.

use std::sync::LazyLock;

use regex::{Captures, Match, Regex};

use super::ast::Rule;
use super::error::Span;
use super::places::KnownPlaces;

/// A pattern compiled on first use (`None` if it does not compile, which the tests rule out).
type Re = LazyLock<Option<Regex>>;

macro_rules! lazy_re {
    ($pattern:expr $(,)?) => {
        LazyLock::new(|| re($pattern))
    };
}

/// Longest eligibility text read, in bytes; later sentences are left as display text.
pub const MAX_INFER_BYTES: usize = 4096;

/// What an inferred condition is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ConditionKind {
    /// An age bound or range (`age`).
    Age,
    /// A gender restriction (`gender`).
    Gender,
    /// Where the resident must live (`county`, `municipality`, `region`).
    Residency,
    /// Low income or a stated income ceiling (`low_income`, `household_income`).
    Income,
    /// Having no health insurance (`health_insurance`).
    Insurance,
    /// Being a veteran (`veteran`).
    Veteran,
    /// Being pregnant (`pregnant`).
    Pregnancy,
    /// Being homeless (`homeless`).
    Housing,
}

impl ConditionKind {
    /// All kinds, in order.
    pub const ALL: [ConditionKind; 8] = [
        Self::Age,
        Self::Gender,
        Self::Residency,
        Self::Income,
        Self::Insurance,
        Self::Veteran,
        Self::Pregnancy,
        Self::Housing,
    ];

    /// Lower-case name (`"age"`, `"gender"`, …), as used in label files.
    pub fn name(self) -> &'static str {
        match self {
            Self::Age => "age",
            Self::Gender => "gender",
            Self::Residency => "residency",
            Self::Income => "income",
            Self::Insurance => "insurance",
            Self::Veteran => "veteran",
            Self::Pregnancy => "pregnancy",
            Self::Housing => "housing",
        }
    }

    /// The kind with this [`name`](Self::name).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// One condition read from eligibility text, with where it was read.
///
/// # Examples
/// ```
/// use passerelle::rules::{infer_conditions, ConditionKind};
/// let text = "Men ages 19-64 who are uninsured.";
/// let found = infer_conditions(text);
/// let rules: Vec<String> = found.iter().map(|c| c.rule().to_string()).collect();
/// assert_eq!(rules, ["gender != \"female\"", "age in 19..64", "health_insurance == \"none\""]);
/// assert_eq!(found[0].kind(), ConditionKind::Gender);
/// assert_eq!(found[0].quote(), "Men ages 19-64 who are uninsured");
/// assert_eq!(&text[found[1].span().start..found[1].span().end], "ages 19-64");
///
/// // A disjunction is not read as a hard condition.
/// assert!(infer_conditions("Age 62 or over or disabled").is_empty());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct InferredCondition {
    kind: ConditionKind,
    rule: Rule,
    span: Span,
    quote: String,
}

impl InferredCondition {
    /// What the condition is about.
    pub fn kind(&self) -> ConditionKind {
        self.kind
    }

    /// The condition, as a rule over the standard catalogue's facts.
    pub fn rule(&self) -> &Rule {
        &self.rule
    }

    /// The fact the condition reads.
    pub fn fact(&self) -> &str {
        rule_fact(&self.rule)
    }

    /// Byte span of the words the condition was read from, in the text given.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The sentence the condition was read from, to quote to the resident
    /// ("to confirm: the listing says 'Men ages 19-64'").
    pub fn quote(&self) -> &str {
        &self.quote
    }

    /// "to confirm: the listing says '…'".
    pub fn to_confirm_en(&self) -> String {
        format!("to confirm: the listing says '{}'", self.quote)
    }

    /// « à confirmer : la fiche indique « … » ».
    pub fn to_confirm_fr(&self) -> String {
        format!("à confirmer : la fiche indique « {} »", self.quote)
    }
}

/// The fact a one-fact rule reads ("" for any other rule).
fn rule_fact(rule: &Rule) -> &str {
    match rule {
        Rule::Fact { fact }
        | Rule::Compare { fact, .. }
        | Rule::Range { fact, .. }
        | Rule::In { fact, .. } => fact,
        _ => "",
    }
}

fn re(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

/// Word boundary in front of a pattern that may start with a non-ASCII letter.
const B: &str = r"(?:^|[^\w])";

static VARIES: Re = lazy_re!(
    r"(?i)\b(?:var(?:y|ies|ied|iable|ie|ient)|depend(?:s|ing|ent)?\s+(?:on|upon)|dépend\w*|case[- ]by[- ]case|see notes for eligibility)\b",
);

/// Words that, left over in a sentence once its conditions are taken out, could change
/// what every condition of the sentence means: a disjunction, an exception, a preference,
/// examples, a modal, another population joined with "and".
static VETO: Re = lazy_re!(concat!(
    r"(?i)(?:\b(?:or|ou|nor|ni|either|except\w*|unless|sauf|exempt\w*|waive\w*|priorit\w*|prefer\w*|préf\w*|",
    r"especially|particularly|primarily|mainly|mostly|generally|usually|target\w*|focus\w*|emphasis|surtout|notamment|",
    r"welcome\w*|bienvenu\w*|encourag\w*|may|might|can|could|peut|peuvent|also|aussi|includ\w*|such|etc|",
    r"e\.g|i\.e|see|voir|if|si|some|certain|most|any|all|tous|toutes|their|leurs?|regardless|",
    r"other|others|autres?)\b|",
    r"(?:\b(?:and|et|plus)\s+|&\s*)(?:\w+\s+){0,2}?",
    r"(?:persons?|people|individuals?|adults?|children|child|kids|youth|teens?|adolescents?|famil(?:y|ies)|men|women|",
    r"girls|boys|seniors?|elderly|veterans?|spouses?|caregivers?|parents?|students?|anyone|those|residents?|",
    r"non-residents?|disabled|pregnant|homeless|infants?|newborns?|mothers|fathers|couples?|victims?|survivors?|",
    r"dependents?|guardians?|relatives?|personnes|femmes|hommes|enfants|jeunes|aînés)\b|",
    r",\s*(?:and|et|&)\s|\w\s*/\s*(?:families|family|children|women|men|girls|boys|youth|adults|seniors)\b)"
));

/// Words that, left over in the clause (between commas or brackets) of a condition, could
/// change what it means: a negation, a past state, someone other than the one served.
static CLAUSE_VETO: Re = lazy_re!(concat!(
    r"(?i)\b(?:not|non|no|cannot|can't|won't|unable|pas|aucun\w*|formerly|former|previously|ex|at\s+risk|à\s+risque|",
    r"spouses?|partners?|conjoint\w*|caregivers?|aidants?|parents?|parenting|parental|permission|relatives?|friends?|guardians?|",
    r"custodians?|foster|adoptive|volunteers?|mentors?|staff|accompan\w*|underinsured|under-insured|affairs|",
    r"administration|hospital|status|court|ordered|referr\w*|eligible|qualif\w*|interest\w*|adopt\w*)\b"
));

/// A list of places ("… County and Santa Clara County"): which one applies is unclear.
static PLACE_LIST: Re = lazy_re!(r"\b(?:and|et|or|ou)\s+(?:the\s+)?[A-Z]\w");

/// Words of a clause that move an age onto someone else ("women with children under 5").
static AGE_OWNER: Re = lazy_re!(concat!(
    r"(?i)\b(?:with|having|has|have|raising|of|for|avec|dont|de)\s+(?:\w+\s+){0,2}?",
    r"(?:child|children|kids|infants?|bab(?:y|ies)|toddlers?|grandchild\w*|dependents?|enfants?|minors?|sons?|daughters?)\b"
));

/// What comes before a vague age word that makes it someone else's ("families with children").
static OWNED_WORD: Re =
    lazy_re!(r"(?i)\b(?:with|of|have|has|having|raising|avec|minor|their|your)\s+(?:\w+\s+){0,2}$");

/// A vague age word at one end of a range ("birth through elderly", "adolescent to adult"):
/// the range may cover everyone.
static VAGUE_IN_RANGE: Re = lazy_re!(
    r"(?i)(?:(?:^|\s)(?:through|thru|to|à|-|–)\s*$|^\s*(?:\(\d+\)\s*)?(?:through|thru|to|à|-|–)\s)",
);

/// A vague age word naming a thing, not a person ("child care", "youth center").
static COMPOUND_AGE_WORD: Re = lazy_re!(
    r"(?i)^[\s-]*(?:care|support|welfare|development|abuse|protective|custody|center|centre|services?|programs?|education|day|court|probation|garde)\b",
);

/// A unit after a number that makes it no age in years ("less than 27 gallons", "under 3
/// months").
static NOT_YEARS: Re = lazy_re!(
    r"(?i)^\s*(?:%|percent|months?|mos?\.?|weeks?|days?|hours?|hrs?\.?|minutes?|gallons?|pounds?|lbs?\.?|miles?|dollars?|people|persons|units?|grade|th\b|st\b|nd\b|rd\b|mois|semaines|jours|heures|\d{3}\b|\$|€|£)",
);

/// What joins the items of a list and nothing else.
static LIST_JOIN: Re = lazy_re!(r"(?i)^(?:\s*(?:,|&|/|\band\b|\bet\b)\s*)+$");

/// Text that makes every condition it states negotiable.
static TEXT_VETO: Re = lazy_re!(concat!(
    r"(?i)\b(?:exemptions?|exceptions?|waiv\w*|case[- ]by[- ]case|",
    r"for\s+(?:most|some|many|certain|other)\s+(?:of\s+(?:the|our)\s+)?(?:services|programs)|",
    r"for\s+[\w\s]{1,60}?\s+only\))"
));

/// Text that admits people living elsewhere: no residency condition.
static NON_RESIDENTS: Re = lazy_re!(
    r"(?i)\b(?:non-?residents?|out[- ]of[- ](?:state|county|area|town)|regardless\s+of\s+(?:residence|where))\b",
);

/// An age: whole years, optionally a half ("4 1/2", "2.5").
const N: &str = r"(\d{1,3}(?:\s+1/2|\.5)?)";

type Make = fn(&Captures<'_>) -> Option<String>;

struct Pat {
    kind: ConditionKind,
    re: Option<Regex>,
    make: Make,
}

/// One pattern: `{N}` in it stands for an age, `{B}` for a word boundary.
fn pat(kind: ConditionKind, pattern: &str, make: Make) -> Pat {
    Pat {
        kind,
        re: re(&pattern.replace("{N}", N).replace("{B}", B)),
        make,
    }
}

/// A table of patterns of one kind.
fn table(kind: ConditionKind, rows: &[(&str, Make)]) -> Vec<Pat> {
    rows.iter()
        .map(|&(pattern, make)| pat(kind, pattern, make))
        .collect()
}

/// The age captured in group `i`, in years (at most 120).
fn num(c: &Captures<'_>, i: usize) -> Option<f64> {
    let t = c.get(i)?.as_str();
    let (whole, half) = match t.split_once(char::is_whitespace) {
        Some((w, _)) => (w, 0.5),
        None => (t, 0.0),
    };
    let n = whole.parse::<f64>().ok()? + half;
    (n <= 120.0).then_some(n)
}

/// An age as the rule language writes it ("18", "4.5").
fn years(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}

fn age_range(lo: f64, hi: f64) -> Option<String> {
    (lo <= hi).then(|| format!("age in {}..{}", years(lo), years(hi)))
}

fn range_1_2(c: &Captures<'_>) -> Option<String> {
    age_range(num(c, 1)?, num(c, 2)?)
}

fn at_least_1(c: &Captures<'_>) -> Option<String> {
    Some(format!("age >= {}", years(num(c, 1)?)))
}

fn at_most_1(c: &Captures<'_>) -> Option<String> {
    Some(format!("age <= {}", years(num(c, 1)?)))
}

fn under_1(c: &Captures<'_>) -> Option<String> {
    let n = num(c, 1)?;
    (n.fract() == 0.0 && n >= 1.0).then(|| format!("age <= {}", years(n - 1.0)))
}

fn birth_to_1(c: &Captures<'_>) -> Option<String> {
    age_range(0.0, num(c, 1)?)
}

static AGE: LazyLock<Vec<Pat>> = LazyLock::new(|| {
    table(
        ConditionKind::Age,
        &[
            (
                r"(?i)\b(?:between\s+(?:the\s+)?ages?\s+(?:of\s+)?){N}\s+(?:and|to)\s+{N}\b(?:\s+years(?:\s+old|\s+of\s+age)?)?",
                range_1_2,
            ),
            (
                r"(?i)\b(?:ages?|aged|âgée?s?\s+de|de)\s*(?:of\s+|from\s+)?{N}\s*(?:-|–|—|to|through|thru|à|a)\s*{N}\b(?:\s*(?:years?(?:\s+old|\s+of\s+age)?|yrs\.?|ans))?",
                range_1_2,
            ),
            (
                r"(?i)\b{N}\s*(?:-|–|to|à)\s*{N}\s*(?:years?(?:\s+old|\s+of\s+age)?|year-olds|yrs\.?|ans)",
                range_1_2,
            ),
            (
                r"(?i)(?:\b(?:ages?|aged|must\s+be|at\s+least)\s+)?\b{N}\s*(?:years?(?:\s+of\s+age|\s+old)?\s*|yrs\.?\s*|ans\s+)?(?:and|or|et|ou|&)\s+(?:older|over|above|up|plus)\b",
                at_least_1,
            ),
            (
                r"(?i)\b(?:ages?|aged|adults?|seniors?|persons?|people|individuals|anyone|youth|men|women)\s+{N}\s*\+",
                at_least_1,
            ),
            (r"(?i)^\W*{N}\s*\+", at_least_1),
            (
                r"(?i)\b(?:must\s+be\s+)?(?:at\s+least|over(?:\s+the\s+age\s+of)?|older\s+than|minimum\s+age(?:\s+for\s+[\w-]+)?(?:\s+(?:of|is))?|must\s+be)\s+(?:age\s+)?{N}\b(?:\s+(?:years?(?:\s+of\s+age|\s+old)?|yrs\.?))?",
                at_least_1,
            ),
            (
                r"(?i)\b(?:adolescents|children|youth|teens|persons|individuals|adults|kids|girls|boys|men|women|people|students)\s*,?\s*{N}\s*(?:-|–|to)\s*{N}\b(?:\s*(?:years?(?:\s+old|\s+of\s+age)?|yrs\.?))?",
                range_1_2,
            ),
            (
                r"(?i)\b(?:ages?\s+)?(?:from\s+)?(?:birth|newborns?)\s*(?:-|–|to|through|thru)\s*(?:age\s+)?{N}\b(?:\s+(?:years?(?:\s+old|\s+of\s+age)?))?",
                birth_to_1,
            ),
            (
                r"(?i)\b(?:under|younger\s+than|below|less\s+than|moins\s+de)\s+(?:the\s+age\s+of\s+)?(?:age\s+)?{N}\b(?:\s+(?:years?(?:\s+of\s+age|\s+old)?|yrs\.?|ans))?",
                under_1,
            ),
            (
                r"(?i)\b(?:up\s+to|through|jusqu'à)\s+(?:the\s+)?(?:age\s+(?:of\s+)?)?{N}\b(?:\s+(?:years?(?:\s+of\s+age|\s+old)?|ans))?",
                at_most_1,
            ),
            (
                r"(?i)\b(?:ages?\s+|aged\s+)?{N}\s*(?:years?(?:\s+old|\s+of\s+age)?\s*|ans\s+)?(?:and|or|et|ou)\s+(?:under|younger|below|moins)\b",
                at_most_1,
            ),
        ],
    )
});

/// Vague age words, read only when the sentence states no number.
static AGE_WORDS: Re = lazy_re!(&format!(
    r"(?i){B}(senior\s+citizens|seniors?|older\s+adults|elderly|elders|aînés|aînées|personnes\s+âgées|young\s+adults|youths?|young\s+people|jeunes|teens|teenagers|adolescents|adults?|adultes|children|child|kids|enfants)\b"
));

fn vague_age(word: &str) -> Option<&'static str> {
    let w = word.to_lowercase();
    let w = w.split_whitespace().next().unwrap_or_default().to_owned();
    Some(match w.as_str() {
        "senior" | "seniors" | "older" | "elderly" | "elders" | "aînés" | "aînées"
        | "personnes" => "age >= 55",
        "adult" | "adults" | "adultes" => "age >= 18",
        "youth" | "youths" | "young" | "jeunes" => "age <= 29",
        "teens" | "teenagers" | "adolescents" => "age in 12..19",
        "child" | "children" | "kids" | "enfants" => "age <= 17",
        _ => return None,
    })
}

/// An amount of money with its currency written before ("$40,000", "US$ 40,000", "€30,000")
/// or after ("30 000 $", "30 000 $ CA", "40,000 dollars"); the amount is group 1 or 2.
const MONEY: &str = concat!(
    r"(?:(?:\bUS\s?\$|\bCA?\s?\$|\$|€|£)\s?(\d{1,3}(?:[, \u{a0}\u{202f}]\d{3})+|\d{1,7})\b(?:\s?(?-i:USD|CAD|US|CAN)\b)?",
    r"|(\d{1,3}(?:[, \u{a0}\u{202f}]\d{3})+|\d{1,7})\s?(?:\$\s?(?-i:US|CA|CAN)\b|\$|€|£|(?-i:USD|CAD|EUR|GBP)\b|(?:dollars?|euros?)\b))",
    r"(?:\s*(?:per|a|/|par|each|chaque)\s*(?P<period>month|mo|week|wk|mois|semaine)\b)?",
    r"(?:\s*\(?(?:for|pour)\s+(?:a\s+|an\s+|une?\s+)?(?P<size>family|household|couple|single|individual|\d+|famille|ménage|personne)\b)?"
);

/// Words that make a stated amount something other than one yearly ceiling for every
/// household: a monthly or weekly amount, or a table by household size.
static NOT_YEARLY: Re = lazy_re!(r"(?i)\b(?:monthly|weekly|mensuel(?:le)?s?|hebdomadaire)\b");

/// `household_income <= amount` from a [`MONEY`] match: a yearly ceiling for any household;
/// a monthly amount or one for a stated household size reads nothing.
fn ceiling(c: &Captures<'_>) -> Option<String> {
    if c.name("period").is_some()
        || c.name("size").is_some()
        || NOT_YEARLY
            .as_ref()
            .is_none_or(|r| c.get(0).is_some_and(|m| r.is_match(m.as_str())))
    {
        return None;
    }
    let amount = c.get(1).or_else(|| c.get(2))?.as_str();
    let n: u64 = amount
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()?;
    Some(format!("household_income <= {n}"))
}

/// Stated income ceilings, read before ages so "under 30 000 $" is an amount, not an age.
static CEILINGS: LazyLock<Vec<Pat>> = LazyLock::new(|| {
    vec![
        pat(
            ConditionKind::Income,
            &format!(
                r"(?i)(?:\b(?:monthly|weekly)\s+(?:\w+\s+){{0,2}})?\bincome\b[^.;]{{0,40}}?\b(?:under|below|less\s+than|not\s+(?:to\s+)?exceed(?:ing)?|up\s+to|at\s+or\s+below|no\s+more\s+than|maximum\s+of)\s+{MONEY}"
            ),
            ceiling,
        ),
        pat(
            ConditionKind::Income,
            &format!(
                r"(?i)(?:\b(?:monthly|weekly)\s+(?:\w+\s+){{0,2}})?\bincome\b[^.;]{{0,40}}?{MONEY}\s+or\s+(?:less|below|under)\b"
            ),
            ceiling,
        ),
        pat(
            ConditionKind::Income,
            &format!(
                r"(?i)\brevenus?\b[^.;]{{0,40}}?(?:inférieure?s?\s+(?:ou\s+égale?s?\s+)?à|de\s+moins\s+de|sous|ne\s+dépass(?:ant|e)\s+pas|n'excéd(?:ant|e)\s+pas|d'au\s+plus|maximum\s+de|jusqu'à)\s+{MONEY}"
            ),
            ceiling,
        ),
        pat(
            ConditionKind::Income,
            &format!(r"(?i)\brevenus?\b[^.;]{{0,40}}?{MONEY}\s+(?:ou\s+moins|et\s+moins)\b"),
            ceiling,
        ),
    ]
});

static OTHER: LazyLock<Vec<Pat>> = LazyLock::new(|| {
    vec![
        pat(
            ConditionKind::Pregnancy,
            concat!(
                r"(?i)\b(?:pregnant(?:\s+(?:women|woman|females?|teens?|girls|mothers|people|persons|individuals|adolescents))?|",
                r"expectant\s+mothers?|expecting\s+mothers?|femmes?\s+enceintes?|enceintes?)\b"
            ),
            |_| Some("pregnant".into()),
        ),
        pat(
            ConditionKind::Income,
            concat!(
                r"(?i)\b(?:(?:very\s+)?low(?:-\s*|\s+)income|lower[- ]income|limited[- ]income|income[- ]eligible|income[- ]qualified|",
                r"income[- ]based|based\s+on\s+income|meet\s+(?:the\s+)?income\s+(?:guidelines|requirements|criteria|limits)|",
                r"(?:at\s+or\s+below\s+)?(?:[12]\d\d|300|[1-9]\d)\s*%\s*(?:of\s+)?(?:the\s+)?(?:federal\s+)?poverty(?:\s+(?:level|line|guidelines))?|",
                r"(?:hud|federal|state)\s+income\s+(?:limits|guidelines|requirements)|",
                r"income\s+must\s+(?:fall\s+within|meet|be\s+(?:within|below|under))|",
                r"meets?\s+(?:the\s+)?(?:\w+\s+){0,2}?income\s+(?:guidelines|requirements|criteria|limits|eligibility)|",
                r"max(?:imum)?\.?\s+(?:household\s+)?income|income\s+limits?|(?:little|low)\s+or\s+no\s+income|have\s+no\s+income|",
                r"(?:à\s+)?faible\s+revenu)\b"
            ),
            |_| Some("low_income".into()),
        ),
        pat(
            ConditionKind::Insurance,
            concat!(
                r"(?i)\b(?:uninsured|un-insured|no\s+(?:health\s+|medical\s+)?insurance|without\s+(?:health\s+|medical\s+)?insurance|",
                r"lack(?:s|ing)?\s+(?:of\s+)?(?:health\s+|medical\s+)?insurance|sans\s+assurance(?:\s+maladie)?)\b"
            ),
            |_| Some("health_insurance == \"none\"".into()),
        ),
        pat(
            ConditionKind::Veteran,
            r"(?i)\b(?:(?:military\s+)?veterans?|ancien(?:ne)?s?\s+combattant(?:e)?s?|vétérans?)\b",
            |_| Some("veteran".into()),
        ),
        pat(
            ConditionKind::Housing,
            r"(?i)\b(?:homeless|experiencing\s+homelessness|sans[- ]abris?|en\s+situation\s+d'itinérance|itinérant(?:e)?s?)\b",
            |_| Some("homeless".into()),
        ),
        pat(
            ConditionKind::Gender,
            r"(?i){B}(women|woman|females?|girls?|mothers|femmes?|filles|mères)\b",
            |_| Some("gender != \"male\"".into()),
        ),
        pat(
            ConditionKind::Gender,
            r"(?i){B}(men|man|males?|boys?|fathers|hommes?|garçons|pères)\b",
            |_| Some("gender != \"female\"".into()),
        ),
    ]
});

/// A capitalised place name of one to four words.
///
/// Letters beyond ASCII are listed (`À-ɏ`) rather than left to `\w`, so the pattern reads
/// "Montréal" whole with or without Unicode-aware classes.
const PLACE: &str = r"((?:[A-ZÀ-Þ][\wÀ-ɏ'.-]*|St\.)(?:\s+(?:[A-ZÀ-Þ][\wÀ-ɏ'.-]*))*)";

static RESIDENCY: LazyLock<Vec<Option<Regex>>> = LazyLock::new(|| {
    vec![
        re(&format!(
            r"(?i:\b(?:residents?|resident|live|lives|living|reside|resides|residing|domiciled)\s+(?:of|in|within)\s+(?:the\s+)?){PLACE}"
        )),
        re(&format!(r"{PLACE}\s+(?i:residents?|residency)\b")),
        re(&format!(
            r"(?i:{B}(?:résident(?:e)?s?|habitant(?:e)?s?)\s+(?:de|du|d'|des)\s*(?:la\s+|l')?){PLACE}"
        )),
        re(&format!(
            r"(?i:{B}(?:habiter|habitant|résidant|résider|vivre|vivant)\s+(?:à|a|en|au|dans)\s+(?:la\s+|le\s+|l')?){PLACE}"
        )),
    ]
});

const PLACE_STOP: &[&str] = &[
    "low",
    "income",
    "senior",
    "seniors",
    "adult",
    "adults",
    "all",
    "any",
    "local",
    "public",
    "housing",
    "eligible",
    "elderly",
    "disabled",
    "open",
    "must",
    "be",
    "only",
    "permanent",
    "legal",
    "current",
    "youth",
    "area",
    "resident",
    "residents",
    "community",
    "service",
    "services",
    "the",
    "our",
    "this",
    "qualified",
    "certain",
    "other",
    "low-income",
    "homeless",
    "veteran",
    "veterans",
    "women",
    "men",
    "family",
    "families",
    "persons",
    "people",
    "children",
    "ages",
    "age",
    "new",
    "non",
    "tenants",
    "section",
    "program",
    "is",
    "are",
    "who",
    "for",
    "must",
    "and",
    "or",
    "of",
    "in",
    "to",
    "ses",
    "catchment",
    "service",
    "facility",
    "building",
    "complex",
    "apartment",
    "apartments",
    "development",
    "property",
    "school",
    "district",
    "zip",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "greater",
    "code",
    "codes",
    "neighborhood",
    "neighbourhood",
    "see",
    "notes",
    "note",
    "n/a",
    "us",
    "u.s.",
    "u.s",
    "usa",
    "united",
    "states",
    "america",
    "canada",
    "mexico",
    "must",
    "pregnant",
    "disabled",
    "medicare",
    "medicaid",
    "ssi",
    "ssdi",
    "hud",
    "tanf",
    "snap",
    "wic",
    "english",
    "spanish",
];

/// Words that are no place on their own ("County residents").
const SOLO_STOP: &[&str] = &[
    "county", "city", "state", "province", "region", "town", "village", "ville", "comté",
];

const REGIONS: &[&str] = &[
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Delaware",
    "Florida",
    "Georgia",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Indiana",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maine",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Montana",
    "Nebraska",
    "Nevada",
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "New York State",
    "North Carolina",
    "North Dakota",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Rhode Island",
    "South Carolina",
    "South Dakota",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "Virginia",
    "Washington State",
    "West Virginia",
    "Wisconsin",
    "Wyoming",
    "District of Columbia",
    "Alberta",
    "British Columbia",
    "Manitoba",
    "New Brunswick",
    "Newfoundland and Labrador",
    "Nova Scotia",
    "Ontario",
    "Prince Edward Island",
    "Quebec",
    "Québec",
    "Saskatchewan",
    "Yukon",
    "Nunavut",
    "Northwest Territories",
];

/// The residency rule for a captured place, or `None` when it is not a place.
fn residency(place: &str, places: Option<&KnownPlaces>) -> Option<String> {
    let mut words: Vec<&str> = place
        .split_whitespace()
        .map(|w| w.trim_end_matches([',', '.', ':']))
        .collect();
    // Part of a region ("Northern California") is no place we can check.
    if words.iter().any(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "northern" | "southern" | "eastern" | "western" | "central" | "greater"
        )
    }) {
        return None;
    }
    // Leading words that are not part of a name ("All Ottawa residents").
    while words
        .first()
        .is_some_and(|w| PLACE_STOP.contains(&w.to_lowercase().as_str()) && words.len() > 1)
    {
        words.remove(0);
    }
    let stop = |w: &&str| PLACE_STOP.contains(&w.to_lowercase().as_str());
    let fact_value = match words.as_slice() {
        [] => return None,
        [only] if SOLO_STOP.contains(&only.to_lowercase().as_str()) => return None,
        [.., last] if last.eq_ignore_ascii_case("county") || *last == "Co" => {
            let name = words.get(..words.len() - 1)?;
            if name.is_empty() || name.iter().any(stop) {
                return None;
            }
            ("county", name.join(" "))
        }
        [first, rest @ ..] if (*first == "City" || *first == "Ville") && !rest.is_empty() => {
            let name: Vec<&str> = rest
                .iter()
                .copied()
                .skip_while(|w| matches!(*w, "of" | "de" | "d'"))
                .collect();
            if name.is_empty() || name.iter().any(stop) {
                return None;
            }
            let name = name.join(" ");
            if !places.is_none_or(|p| p.knows(&name)) {
                return None;
            }
            ("municipality", name)
        }
        _ => {
            if words.iter().any(stop) {
                return None;
            }
            let name = words.join(" ");
            if REGIONS.contains(&name.as_str()) {
                ("region", name)
            } else if places.is_none_or(|p| p.knows(&name)) {
                ("municipality", name)
            } else {
                return None;
            }
        }
    };
    let (fact, value) = fact_value;
    if value.len() > 60 || value.contains(['"', '\\']) {
        return None;
    }
    Some(format!("{fact} == \"{value}\""))
}

struct Hit {
    kind: ConditionKind,
    rule: String,
    start: usize,
    end: usize,
}

/// Sentences of `text` as byte ranges: split at `;`, `!`, `?`, line breaks, bullets, and
/// at `.` followed by a space or the end (so "U.S." and "1.5" stay whole).
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = text.char_indices().peekable();
    while let Some((i, ch)) = it.next() {
        let next = it.peek().map(|&(_, c)| c);
        let cut = match ch {
            ';' | '!' | '?' | '\n' | '\r' | '•' | '·' => true,
            '.' => next.is_none_or(char::is_whitespace),
            _ => false,
        };
        if cut {
            out.push((start, i));
            start = i + ch.len_utf8();
        }
    }
    out.push((start, text.len()));
    out.into_iter()
        .filter_map(|(s, e)| {
            let part = text.get(s..e)?;
            let lead = part.len() - part.trim_start().len();
            let trail = part.len() - part.trim_end().len();
            let (s, e) = (s + lead, e - trail);
            (s < e).then_some((s, e))
        })
        .collect()
}

fn overlaps(hits: &[Hit], start: usize, end: usize) -> bool {
    hits.iter().any(|h| start < h.end && h.start < end)
}

/// Words opening a qualifier of the people served ("adults *with* cerebral palsy or other
/// disabilities", "youth *in the* juvenile justice or child welfare system"): a list inside
/// it describes them and adds no one.
static QUALIFIER: Re = lazy_re!(concat!(
    r"(?i)(?:\b(?:with|who|whose|which|that|diagnosed|suffering|affected|facing|needing|showing|",
    r"addicted|at\s+risk|due\s+to|in\s+need|in\s+the|at\s+admission|referred|avec|qui|atteint\w*)\b|\bw/)"
));

/// Words opening examples of the people served ("low income residents, *including* senior
/// citizens"): a subset, so nothing read in it is a condition.
static EXAMPLES: Re =
    lazy_re!(r"(?i)\b(?:including|includes|include|such\s+as|e\.g\.?|notamment|dont)\b");

/// Examples that widen who is served ("including those under 60").
static WIDENING: Re = lazy_re!(
    r"(?i)\b(?:those|anyone|people|persons|non\w*|under|younger|others?|any|all|also|aussi)\b"
);

/// A list inside a qualifier that still names other people ("with children or seniors").
static QUALIFIER_LIST_OF_PEOPLE: Re = lazy_re!(concat!(
    r"(?i)(?:\b(?:or|and|ou|et|nor)|&|/)\s*(?:\w+\s+){0,2}?(?:their|persons?|people|individuals?|adults?|",
    r"children|youth|teens?|famil(?:y|ies)|men|women|seniors?|elderly|veterans?|spouses?|caregivers?|parents?|",
    r"students?|anyone|those|residents?|non-residents?|infants?|mothers|fathers|personnes|femmes|hommes|enfants|jeunes)\b"
));

/// Joining and example words a qualifier may hold without changing who is served.
static QUALIFIER_JOINS: Re = lazy_re!(
    r"(?i)(?:\b(?:or|and|ou|et|nor|etc|e\.g|i\.e|other|others|such|includ\w*|as|any)\b|&|/)"
);

/// "Any" before the people served ("Any adult with HIV") restricts nothing more.
static ANY_PERSON: Re = lazy_re!(concat!(
    r"(?i)\b(?:any(?:one)?|all)\s+(?:[\w-]+\s+)?(?:child|adult|female|male|woman|man|person|persons|individuals?|",
    r"youth|senior|veteran|teen|student|girl|boy|residents?|people)\b"
));

/// The other people a listing also serves beside its primary clients ("women ages 18 or
/// older and their children"): the conditions stay the primary clients'.
static AND_THEIR: Re = lazy_re!(concat!(
    r"(?i)\b(?:and|&|et)\s+(?:their|leurs?)\s+(?:families|family|children|child|parents|caregivers|guardians|familles|enfants)",
    r"(?:\s*(?:/|,|&|\band\b|\bor\b|\bet\b|\bou\b)\s*(?:families|family|children|child|parents|caregivers|guardians|familles|enfants))*\b"
));

/// Text opening with a family or household as the unit served ("Family, must have minor
/// children", "Low income families with children").
static FAMILY_UNIT: Re = lazy_re!(
    r"(?i)^\W*(?:[\w-]+\s+){0,2}?(?:famil(?:y|ies)|households?|parents|familles|ménages)\b",
);

/// An age stated with a number, whether or not a pattern read it.
static UNREAD_AGE: Re = lazy_re!(r"(?i)\b(?:ages?|aged)\s+\d|\d\s*(?:years?|yrs\.?|ans)\b");

/// School grades: an age stated another way, so the vague age word beside it is not read.
static GRADES: Re =
    lazy_re!(r"(?i)\b(?:grades?|kindergarten|pre-?k|k\s*-\s*12|\d{1,2}(?:st|nd|rd|th))\b");

/// A clause opening with people ("…, adult with disability"): another group served.
static PERSON_HEAD: Re = lazy_re!(concat!(
    r"(?i)^\s*(?:(?:and|or|&|et|ou)\s+)?(?:an?\s+|the\s+|any\s+|all\s+)?(?:adults?|persons?|people|individuals?|",
    r"child|children|youths?|seniors?|senior\s+citizens|men|women|man|woman|males?|females?|famil(?:y|ies)|",
    r"students?|girls?|boys?|teens?|teenagers|veterans?|clients?|patients?|parents?|caregivers?|personnes|",
    r"femmes|hommes|enfants|jeunes|adultes)\b"
));

/// The head noun of the people served, right before a stated age or place.
static HEAD_BEFORE: Re = lazy_re!(concat!(
    r"(?i)\b(adults?|persons?|people|individuals?|youths?|men|women|man|woman|males?|females?|girls?|boys?|",
    r"residents?|students?|clients?|patients?|children|child|teens?|adolescents?|seniors?|veterans?|mothers?|",
    r"fathers?|parents?)\s*,?\s*$"
));

/// A stated condition that opens with its own head noun ("resident of …", "adults 18+").
static HEAD_AT: Re = lazy_re!(concat!(
    r"(?i)^(?:adults?|persons?|people|individuals?|youths?|men|women|man|woman|males?|females?|girls?|boys?|",
    r"seniors?|residents?|resident|live|lives|living|reside|resides|residing|children|child|teens?|students?|",
    r"veterans?)\b"
));

/// People among the modifiers: alternatives between groups, not between modifiers.
static ZONE_PERSON: Re = lazy_re!(concat!(
    r"(?i)\b(?:seniors|adults|children|youths?|people|persons|individuals|families|men|women|veterans|students|",
    r"residents|girls|boys|teens|mothers|fathers|parents|caregivers)\b"
));

/// "or" between modifiers.
static OR_WORD: Re = lazy_re!(r"(?i)\b(?:or|ou|and/or)\b");

/// Adverbs joined before one adjective ("physically and mentally disabled"): no list.
static ADVERB_PAIR: Re =
    lazy_re!(r"(?i)\b\w+(?:ally|ively|ically)\s+(?:and/or|and|or|&)\s+\w+(?:ally|ively|ically)\b",);

/// The next item after a list join ("seniors*, disabled*").
static LIST_NEXT: Re = lazy_re!(r"(?i)^\s*(?:,\s*(?:and\b|&|et\b)?|&|/|and\b|et\b)");

/// The join before an item ("*residents and* senior citizens").
static LIST_PREV: Re = lazy_re!(r"(?i)\s*(?:,\s*(?:and|&|et)?|&|/|\band|\bet)\s*$");

/// What separates the items of a list.
static ITEM_SEP: Re = lazy_re!(r"(?i)[,;()&/:]|\b(?:and|or|et|ou)\b");

/// True when `item` reads as one more group of people (at most four words, none a number,
/// verb, preposition or age phrase), not as a requirement ("able to live independently").
fn item_is_group(item: &str) -> bool {
    let words: Vec<&str> = item
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    (1..=4).contains(&words.len())
        && words.iter().all(|w| {
            !is_not_an_item(w)
                && ![
                    "able", "by", "without", "not", "no", "proof", "required", "requires", "per",
                    "within", "as", "if", "when", "a", "an", "the", "any", "all", "par", "pour",
                    "sans", "dans",
                ]
                .contains(&w.to_lowercase().as_str())
        })
}

/// Words beside a join that make it no list of groups: a number or age phrase, a qualifier,
/// a verb, "their".
fn is_not_an_item(word: &str) -> bool {
    let w = word.to_lowercase();
    w.starts_with(|c: char| c.is_ascii_digit())
        || [
            "age",
            "ages",
            "aged",
            "âgé",
            "âgés",
            "âgée",
            "âgées",
            "de",
            "who",
            "whose",
            "that",
            "which",
            "with",
            "w",
            "avec",
            "qui",
            "have",
            "has",
            "had",
            "are",
            "is",
            "be",
            "must",
            "need",
            "needs",
            "their",
            "leurs",
            "leur",
            "including",
            "includes",
            "such",
            "only",
            "seulement",
            "in",
            "of",
            "at",
            "on",
            "for",
            "from",
            "to",
            "living",
            "residing",
            "older",
            "over",
            "up",
            "above",
            "under",
            "younger",
            "below",
            "plus",
            "years",
            "ans",
        ]
        .contains(&w.as_str())
}

/// The fact a rule text starts with (`"age"` for `"age in 13..21"`).
fn rule_fact_of(rule: &str) -> String {
    rule.split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Spans of modifiers joined by "or" before the head noun of a stated age or place
/// ("*pregnant or young parenting* women ages 13-21"): at most six words, no number, no
/// people among them, and at least one word between the last "or" and the head.
fn modifier_alternatives(s: &str, hits: &[Hit]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for h in hits {
        let stated = h.kind == ConditionKind::Residency
            || (h.kind == ConditionKind::Age && !vague_age_hit(s, h));
        let at_hit = s
            .get(h.start..)
            .is_some_and(|t| HEAD_AT.as_ref().is_some_and(|r| r.is_match(t)));
        let head = if at_hit {
            Some(h.start)
        } else if !stated {
            None
        } else {
            s.get(..h.start)
                .and_then(|t| HEAD_BEFORE.as_ref()?.captures(t))
                .and_then(|c| c.get(1))
                .map(|m| m.start())
        };
        let Some(head) = head else { continue };
        let zone_start = s
            .get(..head)
            .and_then(|t| t.rfind([',', ';', '(', ':', '.']))
            .map_or(0, |i| i + 1);
        let Some(zone) = s.get(zone_start..head) else {
            continue;
        };
        let Some(&(_, or_end)) = ranges(&OR_WORD, zone).last() else {
            continue;
        };
        let fits = !zone.bytes().any(|b| b.is_ascii_digit())
            && zone.split_whitespace().count() <= 6
            && zone.get(or_end..).is_some_and(|t| !t.trim().is_empty())
            && !ZONE_PERSON.as_ref().is_none_or(|r| r.is_match(zone));
        if fits {
            out.push((zone_start, head));
        }
    }
    out
}

/// `s` with the byte ranges `spans` replaced by spaces, keeping every offset.
fn leftover_same_len(s: &str, spans: &[(usize, usize)]) -> String {
    s.char_indices()
        .map(|(i, ch)| {
            if spans.iter().any(|&(a, b)| a <= i && i < b) {
                " ".repeat(ch.len_utf8())
            } else {
                ch.to_string()
            }
        })
        .collect()
}

/// A list of units served ("individuals/families", "persons and households"): it names no
/// one else when the conditions are about income, housing, insurance or residence.
static UNITS: Re = lazy_re!(concat!(
    r"(?i)\b(?:individuals?|persons?|people|famil(?:y|ies)|households?)\s*(?:/|and|&|or|et|ou)\s*",
    r"(?:individuals?|persons?|people|famil(?:y|ies)|households?|personnes|familles|ménages)\b"
));

/// Child age words, covered by a stated upper age ("children & adolescents, ages 2-18").
static CHILD_NOUNS: Re = lazy_re!(
    r"(?i)\b(?:children|child|kids|adolescents?|teens?|teenagers|youths?|infants?|toddlers|preschoolers|enfants|jeunes)\b",
);

/// Adult age words, covered by a stated lower age only ("adults 18 and over").
static ADULT_NOUNS: Re = lazy_re!(r"(?i)\b(?:adults?|adultes|seniors?|elderly|aînés)\b");

static NO_NOUNS: Re = LazyLock::new(|| None);

/// A sentence saying the rules about one topic vary: only that sentence is unread.
static VARIES_TOPIC: Re =
    lazy_re!(r"(?i)\b(?:income|fees?|costs?|prices?|documents?|hours|revenu|frais)\b");

/// Byte ranges of `s` matched by `r`.
fn ranges(r: &Option<Regex>, s: &str) -> Vec<(usize, usize)> {
    r.as_ref()
        .map(|r| r.find_iter(s).map(|m| (m.start(), m.end())).collect())
        .unwrap_or_default()
}

/// The conditions one sentence states, or none when anything left over could change them.
/// The rules of conditions found but not kept for the whole sentence (a disjunction, an
/// exception, a widening example) go to `contested`: the sentence speaks of their facts
/// without stating them plainly (ages from a word only, like "adults", contest nothing).
fn read_sentence(s: &str, places: Option<&KnownPlaces>, contested: &mut Vec<String>) -> Vec<Hit> {
    let mut hits = candidate_hits(s, places);
    if hits.is_empty() {
        return hits;
    }
    // An age given in school grades ("children 1st-12th grade") is not read from the vague
    // word beside it.
    if GRADES.as_ref().is_none_or(|r| r.is_match(s)) {
        hits.retain(|h| !vague_age_hit(s, h));
    }
    if names_people_anew(s, &hits) {
        contest(s, &hits, contested);
        return Vec::new();
    }
    let zone_blanks = drop_modifier_alternatives(s, &mut hits);
    if !zone_blanks.is_empty() && hits.is_empty() {
        return hits;
    }
    let hit_spans: Vec<(usize, usize)> = hits.iter().map(|h| (h.start, h.end)).collect();
    let subject_end = hits.iter().min_by_key(|h| h.start).map_or(0, |h| h.end);
    let mut blanks = Blanks {
        all: zone_blanks.clone(),
        clause: zone_blanks,
    };
    let Some(end) = drop_examples(s, &mut hits, &hit_spans, subject_end, &mut blanks.all) else {
        contest(s, &hits, contested);
        return Vec::new();
    };
    blank_qualifiers(s, &mut hits, &hit_spans, subject_end, end, &mut blanks);
    if hits.is_empty() {
        return hits;
    }
    blank_people_words(s, &hits, &mut blanks);
    let mut hits = drop_listed_groups(s, hits, &mut blanks, contested);
    if hits.is_empty() {
        return hits;
    }
    blanks.all.extend(ranges(&ADVERB_PAIR, s));
    if leftover_vetoes(s, &hits, &blanks.all) {
        contest(s, &hits, contested);
        return Vec::new();
    }
    drop_childrens_ages(s, &mut hits);
    keep_by_clause(s, &hits, &blanks.clause)
}

/// Spans taken out of a sentence, besides its conditions, before what is left is checked:
/// over the whole sentence (`all`) and clause by clause (`clause`).
struct Blanks {
    all: Vec<(usize, usize)>,
    clause: Vec<(usize, usize)>,
}

/// Records a condition read at `start..end` unless one read earlier overlaps it.
fn push_hit(hits: &mut Vec<Hit>, kind: ConditionKind, rule: String, start: usize, end: usize) {
    if !overlaps(hits, start, end) {
        hits.push(Hit {
            kind,
            rule,
            start,
            end,
        });
    }
}

/// The rules of `hits`, vague age words aside, for a fact the sentence speaks of without
/// stating it plainly.
fn contest(s: &str, hits: &[Hit], contested: &mut Vec<String>) {
    contested.extend(
        hits.iter()
            .filter(|h| !vague_age_hit(s, h))
            .map(|h| h.rule.clone()),
    );
}

/// Every condition the patterns find in a sentence, first come first kept: pregnancy, places,
/// income ceilings and ages, the other kinds, then vague age words when no age is stated.
fn candidate_hits(s: &str, places: Option<&KnownPlaces>) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    for pat in OTHER.iter().filter(|p| p.kind == ConditionKind::Pregnancy) {
        scan(pat, s, &mut hits, &mut push_hit);
    }
    residency_hits(s, places, &mut hits);
    for pat in CEILINGS.iter().chain(AGE.iter()) {
        scan(pat, s, &mut hits, &mut push_hit);
    }
    for pat in OTHER.iter().filter(|p| p.kind != ConditionKind::Pregnancy) {
        scan(pat, s, &mut hits, &mut push_hit);
    }
    // Vague words only when no age is stated, read or not ("children ages 3 and 4").
    if !hits.iter().any(|h| h.kind == ConditionKind::Age)
        && !UNREAD_AGE.as_ref().is_none_or(|r| r.is_match(s))
    {
        vague_age_hits(s, &mut hits);
    }
    hits
}

/// The places a sentence says residents live in.
fn residency_hits(s: &str, places: Option<&KnownPlaces>, hits: &mut Vec<Hit>) {
    for place_re in RESIDENCY.iter().flatten() {
        for c in place_re.captures_iter(s) {
            let (Some(all), Some(place)) = (c.get(0), c.get(1)) else {
                continue;
            };
            if let Some(rule) = residency(place.as_str(), places) {
                push_hit(hits, ConditionKind::Residency, rule, all.start(), all.end());
            }
        }
    }
}

/// Age words ("seniors", « jeunes ») that no other word owns, no range holds and no
/// compound continues.
fn vague_age_hits(s: &str, hits: &mut Vec<Hit>) {
    let Some(r) = AGE_WORDS.as_ref() else {
        return;
    };
    for c in r.captures_iter(s) {
        let owned = |w: &Match<'_>| {
            let before = s.get(..w.start()).unwrap_or_default();
            let after = s.get(w.end()..).unwrap_or_default();
            OWNED_WORD.as_ref().is_none_or(|r| r.is_match(before))
                || VAGUE_IN_RANGE
                    .as_ref()
                    .is_none_or(|r| r.is_match(before) || r.is_match(after))
                || COMPOUND_AGE_WORD.as_ref().is_none_or(|r| r.is_match(after))
        };
        if let Some((word, rule)) = c
            .get(1)
            .filter(|w| !owned(w))
            .and_then(|w| Some((w, vague_age(w.as_str())?)))
        {
            push_hit(
                hits,
                ConditionKind::Age,
                rule.into(),
                word.start(),
                word.end(),
            );
        }
    }
}

/// A later clause naming people anew, without a condition of its own ("Adult 50 or older,
/// adult with disability"), is a second group served: the sentence lists groups.
fn names_people_anew(s: &str, hits: &[Hit]) -> bool {
    let first_hit = hits.iter().map(|h| h.start).min().unwrap_or(0);
    clauses(s).into_iter().any(|(a, b)| {
        a > first_hit
            && s.get(a..b)
                .and_then(|c| {
                    PERSON_HEAD
                        .as_ref()
                        .map_or(Some(0), |r| r.find(c).map(|m| m.end()))
                })
                .is_some_and(|head_end| !overlaps(hits, a, a + head_end))
    })
}

/// Alternatives among the modifiers of the people served ("pregnant or young parenting
/// women ages 13-21", "disabled or frail elderly resident of San Mateo County"): what the
/// head noun states holds; what the modifiers state does not, nor anything else on their
/// facts. Returns the spans of those modifiers.
fn drop_modifier_alternatives(s: &str, hits: &mut Vec<Hit>) -> Vec<(usize, usize)> {
    let zone_blanks = modifier_alternatives(s, hits);
    if !zone_blanks.is_empty() {
        let in_zone = |h: &Hit| {
            zone_blanks
                .iter()
                .any(|&(a, b)| a <= h.start && h.start < b)
        };
        let dropped: Vec<String> = hits
            .iter()
            .filter(|h| in_zone(h))
            .map(|h| rule_fact_of(&h.rule))
            .collect();
        hits.retain(|h| !in_zone(h) && !dropped.contains(&rule_fact_of(&h.rule)));
    }
    zone_blanks
}

/// Whether byte `i` falls in one of `spans`.
fn within(spans: &[(usize, usize)], i: usize) -> bool {
    spans.iter().any(|&(a, b)| a <= i && i < b)
}

/// Examples of the people served after the first condition (which ends at `subject_end`):
/// nothing read in them is a condition. Drops the conditions read there, blanks the
/// examples, and returns where they start (the sentence's end when there are none), or
/// `None` when the examples widen who is served.
fn drop_examples(
    s: &str,
    hits: &mut Vec<Hit>,
    hit_spans: &[(usize, usize)],
    subject_end: usize,
    blanks: &mut Vec<(usize, usize)>,
) -> Option<usize> {
    let Some((a, _)) = ranges(&EXAMPLES, s)
        .into_iter()
        .find(|&(a, _)| a >= subject_end && !within(hit_spans, a))
    else {
        return Some(s.len());
    };
    let tail = s.get(a..).unwrap_or_default();
    if WIDENING.as_ref().is_none_or(|r| r.is_match(tail)) {
        return None;
    }
    hits.retain(|h| h.start < a);
    blanks.push((a, s.len()));
    Some(a)
}

/// A qualifier of the people served, between `subject_end` and `end`: a list inside it
/// describes them, and a vague age or a gender read in it is not theirs. Each qualifier runs
/// to the next comma, or to `end` when no condition follows it.
fn blank_qualifiers(
    s: &str,
    hits: &mut Vec<Hit>,
    hit_spans: &[(usize, usize)],
    subject_end: usize,
    end: usize,
    blanks: &mut Blanks,
) {
    let qualifiers = ranges(&QUALIFIER, s);
    let mut from = subject_end;
    while let Some(a) = qualifiers
        .iter()
        .map(|&(a, _)| a)
        .find(|&a| a >= from && a < end && !within(hit_spans, a))
    {
        let vague = |h: &Hit| {
            h.kind == ConditionKind::Gender
                || (h.kind == ConditionKind::Age
                    && !s
                        .get(h.start..h.end)
                        .is_some_and(|t| t.bytes().any(|b| b.is_ascii_digit())))
        };
        hits.retain(|h| h.start < a || !vague(h));
        let end = if hits.iter().any(|h| h.start >= a) {
            clause_end(s, a).min(end)
        } else {
            end
        };
        from = end.max(a + 1);
        let tail = s.get(a..end).unwrap_or_default();
        if !QUALIFIER_LIST_OF_PEOPLE
            .as_ref()
            .is_none_or(|r| r.is_match(tail))
        {
            blanks.all.extend(
                ranges(&QUALIFIER_JOINS, tail)
                    .into_iter()
                    .map(|(x, y)| (a + x, a + y)),
            );
            if !hits.iter().any(|h| h.start >= a) {
                blanks.clause.push((a, end));
            }
        }
    }
}

/// Words naming the people served that restrict no further: "any" before them, family
/// members sharing a household (not a veteran's service or a pregnancy), household units
/// when only household conditions are read, and age words a stated number covers.
fn blank_people_words(s: &str, hits: &[Hit], blanks: &mut Blanks) {
    for (a, b) in ranges(&ANY_PERSON, s) {
        let word = s
            .get(a..b)
            .and_then(|t| t.find(char::is_whitespace))
            .unwrap_or(0);
        blanks.all.push((a, a + word));
    }
    // Family members share a household's income, housing and address, not a veteran's
    // service or a pregnancy.
    if !hits
        .iter()
        .any(|h| matches!(h.kind, ConditionKind::Veteran | ConditionKind::Pregnancy))
    {
        let their = ranges(&AND_THEIR, s);
        blanks.all.extend(their.iter().copied());
        blanks.clause.extend(their);
    }
    if hits.iter().all(|h| {
        matches!(
            h.kind,
            ConditionKind::Income
                | ConditionKind::Housing
                | ConditionKind::Insurance
                | ConditionKind::Residency
        )
    }) {
        blanks.all.extend(ranges(&UNITS, s));
    }
    // With a number stated, age words it covers name no one else: child words when every
    // number bounds the age from above, adult words when none does.
    let numeric: Vec<&Hit> = hits
        .iter()
        .filter(|h| {
            h.kind == ConditionKind::Age
                && s.get(h.start..h.end)
                    .is_some_and(|t| t.bytes().any(|b| b.is_ascii_digit()))
        })
        .collect();
    if !numeric.is_empty() {
        let capped = |h: &&Hit| h.rule.contains("..") || h.rule.contains("<=");
        let covered = if numeric.iter().all(capped) {
            &CHILD_NOUNS
        } else if !numeric.iter().any(capped) {
            &ADULT_NOUNS
        } else {
            &NO_NOUNS
        };
        blanks.all.extend(ranges(covered, s));
    }
}

/// A population word that may be one item of a list of groups: numbers and places are
/// stated, not listed ("women, 18 and older").
fn listable(s: &str, h: &Hit) -> bool {
    !matches!(h.kind, ConditionKind::Residency)
        && !s
            .get(h.start..h.end)
            .is_some_and(|t| t.bytes().any(|b| b.is_ascii_digit()))
}

/// Whether the text at byte `at` opens with a verb ("… and *have* no income").
fn starts_with_verb(s: &str, at: usize) -> bool {
    s.get(at..).is_some_and(|t| {
        let w = t.split_whitespace().next().unwrap_or_default();
        ["have", "has", "are", "is", "be", "must"].contains(&w.to_ascii_lowercase().as_str())
    })
}

/// Two population words joined only by a comma, "and", "&" or "/" ("low income and
/// homeless individuals", "low-income, senior citizens"): a list of the groups served, not
/// a conjunction. Returns the spans of both.
fn joined_groups(s: &str, hits: &[Hit]) -> Vec<(usize, usize)> {
    let mut order: Vec<(usize, usize)> = hits.iter().map(|h| (h.start, h.end)).collect();
    order.sort_unstable();
    let mut in_list: Vec<(usize, usize)> = Vec::new();
    for w in order.windows(2) {
        let [(a0, a1), (b0, b1)] = w else { continue };
        let (Some(ha), Some(hb)) = (
            hits.iter().find(|h| h.start == *a0),
            hits.iter().find(|h| h.start == *b0),
        ) else {
            continue;
        };
        let joined = s
            .get(*a1..*b0)
            .is_some_and(|between| LIST_JOIN.as_ref().is_none_or(|r| r.is_match(between)));
        if listable(s, ha) && listable(s, hb) && joined && !starts_with_verb(s, *b0) {
            in_list.extend([(*a0, *a1), (*b0, *b1)]);
        }
    }
    in_list
}

/// A population word beside another item of a list ("seniors, disabled and low-moderate
/// income residents"): one group among several. Returns the spans of such words.
fn groups_beside_list_items(s: &str, hits: &[Hit]) -> Vec<(usize, usize)> {
    let stated_at = |i: usize| {
        hits.iter()
            .any(|h| h.start <= i && i < h.end && !listable(s, h))
    };
    // Not a clause with its own verb or preposition ("lack of health insurance and urgent
    // need", "uninsured and have no income").
    let word_like = |h: &Hit| {
        !starts_with_verb(s, h.start)
            && s.get(h.start..h.end).is_some_and(|t| {
                let first = t.split_whitespace().next().unwrap_or_default();
                ![
                    "lack", "lacks", "lacking", "no", "without", "meet", "meets", "sans",
                ]
                .contains(&first.to_lowercase().as_str())
            })
    };
    let mut in_list: Vec<(usize, usize)> = Vec::new();
    for h in hits.iter().filter(|h| listable(s, h) && word_like(h)) {
        let next = s
            .get(h.end..)
            .and_then(|t| Some((t, LIST_NEXT.as_ref()?.find(t)?.end())))
            .and_then(|(t, j)| t.get(j..))
            .is_some_and(|rest| {
                let end = ITEM_SEP
                    .as_ref()
                    .and_then(|r| r.find(rest))
                    .map_or(rest.len(), |m| m.start());
                rest.get(..end).is_some_and(item_is_group)
            });
        let prev = s
            .get(..h.start)
            .and_then(|t| Some((t, LIST_PREV.as_ref()?.find(t)?.start())))
            .is_some_and(|(t, j)| {
                let before = t.get(..j).unwrap_or_default();
                let start = ITEM_SEP
                    .as_ref()
                    .and_then(|r| r.find_iter(before).last())
                    .map_or(0, |m| m.end());
                before.get(start..).is_some_and(item_is_group) && !stated_at(j.saturating_sub(1))
            });
        let only = s.get(h.end..).is_some_and(|t| {
            t.trim_start()
                .get(..4)
                .is_some_and(|w| w.eq_ignore_ascii_case("only"))
        });
        if (next || prev) && !only {
            in_list.push((h.start, h.end));
        }
    }
    in_list
}

/// Drops the population words that are items of a list of groups served, contesting their
/// facts and blanking their spans; returns the conditions kept.
fn drop_listed_groups(
    s: &str,
    hits: Vec<Hit>,
    blanks: &mut Blanks,
    contested: &mut Vec<String>,
) -> Vec<Hit> {
    let mut in_list = joined_groups(s, &hits);
    in_list.extend(groups_beside_list_items(s, &hits));
    if in_list.is_empty() {
        return hits;
    }
    let (dropped, kept): (Vec<Hit>, Vec<Hit>) = hits
        .into_iter()
        .partition(|h| in_list.contains(&(h.start, h.end)));
    contest(s, &dropped, contested);
    blanks.all.extend(dropped.iter().map(|h| (h.start, h.end)));
    blanks
        .clause
        .extend(dropped.iter().map(|h| (h.start, h.end)));
    kept
}

/// Whether what is left of the sentence once its conditions and `blanks` are taken out holds
/// a disjunction, exception or list (or, with a place read, a list of places).
fn leftover_vetoes(s: &str, hits: &[Hit], blanks: &[(usize, usize)]) -> bool {
    let left = leftover(s, &spans(hits, blanks));
    let has_place = hits.iter().any(|h| h.kind == ConditionKind::Residency);
    VETO.as_ref().is_none_or(|v| v.is_match(&left))
        || (has_place && PLACE_LIST.as_ref().is_none_or(|v| v.is_match(&left)))
}

/// An age after "with children …" is the children's; one before it is the resident's
/// ("women 18 or over with an infant under 3 months").
fn drop_childrens_ages(s: &str, hits: &mut Vec<Hit>) {
    if let Some((owner, _)) = ranges(&AGE_OWNER, &leftover_same_len(s, &spans(hits, &[])))
        .into_iter()
        .next()
    {
        hits.retain(|h| h.kind != ConditionKind::Age || h.end <= owner);
    }
}

/// Clause by clause: a negation or another person in a clause drops its conditions, unless
/// it sits inside a qualifier after the people served ("adults with no minor children",
/// "woman referred by an agency"), where it speaks of the qualifier.
fn keep_by_clause(s: &str, hits: &[Hit], clause_blanks: &[(usize, usize)]) -> Vec<Hit> {
    let mut keep: Vec<Hit> = Vec::new();
    for (a, b) in clauses(s) {
        let mine: Vec<&Hit> = hits
            .iter()
            .filter(|h| h.start >= a && h.start < b)
            .collect();
        if mine.is_empty() {
            continue;
        }
        let qualifier = s
            .get(a..b)
            .map(|c| ranges(&QUALIFIER, c))
            .unwrap_or_default()
            .into_iter()
            .map(|(x, _)| a + x)
            .find(|&q| mine.iter().any(|h| h.end <= q));
        let vetoed = |from: usize, to: usize| {
            clause_leftover(s, from, to, &spans(hits, clause_blanks))
                .is_none_or(|left| CLAUSE_VETO.as_ref().is_none_or(|v| v.is_match(&left)))
        };
        let whole = vetoed(a, b);
        let head = qualifier.is_some_and(|q| !vetoed(a, q));
        for h in mine {
            let before_qualifier = qualifier.is_some_and(|q| h.end <= q);
            if whole && !(head && before_qualifier) {
                continue;
            }
            keep.push(Hit {
                kind: h.kind,
                rule: h.rule.clone(),
                start: h.start,
                end: h.end,
            });
        }
    }
    keep
}

/// Where the clause holding byte `at` ends: the next comma or semicolon outside brackets.
fn clause_end(s: &str, at: usize) -> usize {
    let mut depth = 0usize;
    for (i, ch) in s.get(at..).unwrap_or_default().char_indices() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            ',' | ';' if depth == 0 => return at + i,
            _ => {}
        }
    }
    s.len()
}

/// An age read from a word ("adults"), not a number: weaker than a number stated elsewhere.
fn vague_age_hit(s: &str, h: &Hit) -> bool {
    h.kind == ConditionKind::Age
        && !s
            .get(h.start..h.end)
            .is_some_and(|t| t.bytes().any(|b| b.is_ascii_digit()))
}

/// The spans of `hits` and `extra`.
fn spans(hits: &[Hit], extra: &[(usize, usize)]) -> Vec<(usize, usize)> {
    hits.iter()
        .map(|h| (h.start, h.end))
        .chain(extra.iter().copied())
        .collect()
}

/// `s` with the byte ranges `spans` blanked out (each replaced by one space).
fn leftover(s: &str, spans: &[(usize, usize)]) -> String {
    let mut left = String::with_capacity(s.len());
    let mut last = 0;
    let mut sorted: Vec<(usize, usize)> = spans.to_vec();
    sorted.sort_unstable();
    for (a, b) in sorted {
        if a >= last {
            left.push_str(s.get(last..a).unwrap_or_default());
            left.push(' ');
            last = b;
        } else if b > last {
            last = b;
        }
    }
    left.push_str(s.get(last..).unwrap_or_default());
    left
}

/// The clause `a..b` of `s` with `spans` (clipped to it) blanked out.
fn clause_leftover(s: &str, a: usize, b: usize, spans: &[(usize, usize)]) -> Option<String> {
    let clause = s.get(a..b)?;
    let clipped: Vec<(usize, usize)> = spans
        .iter()
        .filter(|&&(x, y)| x < b && y > a)
        .map(|&(x, y)| (x.max(a) - a, y.min(b) - a))
        .collect();
    Some(leftover(clause, &clipped))
}

/// Clauses of a sentence as byte ranges: split at commas, brackets, colons and dashes
/// between spaces.
fn clauses(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, ch) in s.char_indices() {
        if matches!(ch, ',' | '(' | ')' | ':' | '[' | ']') {
            out.push((start, i));
            start = i + ch.len_utf8();
        }
    }
    out.push((start, s.len()));
    out
}

fn scan(
    pat: &Pat,
    s: &str,
    hits: &mut Vec<Hit>,
    push: &mut impl FnMut(&mut Vec<Hit>, ConditionKind, String, usize, usize),
) {
    let Some(r) = &pat.re else { return };
    for c in r.captures_iter(s) {
        let Some(all) = c.get(0) else { continue };
        // "women's group", "veterans' memorial": a possessive names no one served.
        let after = s.get(all.end()..).and_then(|t| t.chars().next());
        if matches!(after, Some('\'' | '’')) {
            continue;
        }
        // Patterns starting with a boundary group keep the matched word only.
        let (start, end) = match c.get(1) {
            Some(w) if pat.kind == ConditionKind::Gender => (w.start(), w.end()),
            _ => (all.start(), all.end()),
        };
        // Money amounts, shares and durations are not ages ("$18 and up", "at least 25%
        // below", "for at least 2 years").
        if pat.kind == ConditionKind::Age
            && (s.get(..start).is_some_and(|h| {
                h.ends_with('$') || h.trim_end().to_ascii_lowercase().ends_with(" for")
            }) || s
                .get(end..)
                .is_some_and(|t| NOT_YEARS.as_ref().is_none_or(|r| r.is_match(t))))
        {
            continue;
        }
        if let Some(rule) = (pat.make)(&c) {
            push(hits, pat.kind, rule, start, end);
        }
    }
}

/// Reads the conditions stated by a listing's eligibility text.
///
/// Returns them in text order, each with its rule over the standard catalogue's facts, its
/// span and the sentence to quote. Only the first 4 KiB are read. Text not understood yields
/// nothing, never a guess, and callers keep it for display:
///
/// - a sentence yields conditions only when what is left of it once they are taken out holds
///   no disjunction or list of populations ("or", "ou", "&", "and their …", ", and …"), no
///   exception, preference or example ("except", "priority", "including", "may", "any"),
///   and, in the clause of a condition, no negation or other person ("not", "parents",
///   "volunteers"); "Age 62 or over or disabled" yields nothing;
/// - an age with "with children …" is the children's, not the resident's: dropped;
/// - text saying eligibility varies, or that exceptions exist, yields nothing; text admitting
///   non-residents yields no residency; two sentences disagreeing on a fact drop it;
/// - vague words map to bounds that exclude as few as their usual meanings allow: "seniors",
///   « aînés » → `age >= 55`; "adults" → `age >= 18`; "youth", « jeunes » → `age <= 29`;
///   "children", « enfants » → `age <= 17`; "teens" → `age in 12..19`;
/// - "women" reads `gender != "male"` and "men" `gender != "female"`, so residents of
///   another or an unstated gender are never excluded by inference;
/// - a place ending in "County" reads `county`, a state or province `region`, any other
///   capitalised place `municipality` (as written: "Baltimore City", "Ottawa"); with
///   [`infer_conditions_in`], only a municipality the directory knows.
///
/// # Examples
/// ```
/// use passerelle::rules::infer_conditions;
/// let rules = |t: &str| -> Vec<String> {
///     infer_conditions(t).iter().map(|c| c.rule().to_string()).collect()
/// };
/// assert_eq!(rules("Must be 18 or older."), ["age >= 18"]);
/// assert_eq!(rules("Women only"), ["gender != \"male\""]);
/// assert_eq!(rules("Baltimore City residents."), ["municipality == \"Baltimore City\""]);
/// assert_eq!(rules("Résidents d'Ottawa de 60 ans et plus"), ["municipality == \"Ottawa\"", "age >= 60"]);
/// assert!(rules("Open to anyone in need.").is_empty());
/// assert!(rules("Children up to age 19, and pregnant women of any age.").is_empty());
/// ```
pub fn infer_conditions(text: &str) -> Vec<InferredCondition> {
    infer(text, None)
}

/// [`infer_conditions`], reading a municipality only when `places` knows it (a
/// neighbourhood, district or housing complex named like a town is left as display text).
/// The navigator reads listings this way, with [`KnownPlaces::of_directory`].
///
/// # Examples
/// ```
/// use passerelle::rules::{infer_conditions_in, KnownPlaces};
/// let mut places = KnownPlaces::default();
/// places.insert("Foster City");
/// let read = |t: &str| infer_conditions_in(t, &places).len();
/// assert_eq!(read("Foster City residents"), 1);
/// assert_eq!(read("Resident of Lesley Terrace"), 0);
/// ```
pub fn infer_conditions_in(text: &str, places: &KnownPlaces) -> Vec<InferredCondition> {
    infer(text, Some(places))
}

fn infer(text: &str, places: Option<&KnownPlaces>) -> Vec<InferredCondition> {
    let mut end = text.len().min(MAX_INFER_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = text.get(..end).unwrap_or_default();
    if TEXT_VETO.as_ref().is_none_or(|r| r.is_match(text)) {
        return Vec::new();
    }
    // A sentence saying eligibility varies leaves every condition open, unless it says
    // what varies ("income requirements vary"): then only that sentence is unread.
    let varies = |sentence: &str| VARIES.as_ref().is_none_or(|r| r.is_match(sentence));
    let topic = |sentence: &str| VARIES_TOPIC.as_ref().is_some_and(|r| r.is_match(sentence));
    let parts = sentences(text);
    if parts
        .iter()
        .filter_map(|&(s, e)| text.get(s..e))
        .any(|p| varies(p) && !topic(p))
    {
        return Vec::new();
    }
    let residency_open = NON_RESIDENTS.as_ref().is_none_or(|r| r.is_match(text));
    // A listing serving families speaks of their members' ages, not of one person's.
    let family_unit = FAMILY_UNIT.as_ref().is_none_or(|r| r.is_match(text));
    let mut out: Vec<InferredCondition> = Vec::new();
    let mut conflicted: Vec<String> = Vec::new();
    for (s, e) in parts {
        let Some(sentence) = text.get(s..e).filter(|p| !varies(p)) else {
            continue;
        };
        let mut contested = Vec::new();
        let mut hits = read_sentence(sentence, places, &mut contested);
        // A fact another sentence speaks of without stating it plainly ("Age 50 or over,
        // spouse of any age. Age 60 or over for nutrition program") is not read.
        conflicted.extend(
            contested
                .iter()
                .filter_map(|r| Rule::parse(r).ok())
                .map(|r| rule_fact(&r).to_owned()),
        );
        hits.sort_by_key(|h| h.start);
        for h in hits {
            let Ok(rule) = Rule::parse(&h.rule) else {
                continue;
            };
            let cond = InferredCondition {
                kind: h.kind,
                rule,
                span: Span::new(s + h.start, s + h.end),
                quote: sentence.chars().take(160).collect(),
            };
            let fact = cond.fact().to_owned();
            if let Some(prev) = out.iter().find(|c| c.fact() == fact) {
                if prev.rule != cond.rule {
                    conflicted.push(fact);
                }
                continue;
            }
            out.push(cond);
        }
    }
    out.retain(|c| {
        let conflict = conflicted.iter().any(|f| f == c.fact());
        let open_residency = residency_open && c.kind == ConditionKind::Residency;
        let members_age = family_unit && c.kind == ConditionKind::Age;
        !(conflict || open_residency || members_age)
    });
    out
}

/// The conditions of `text` a navigator can evaluate with `catalog`: those on facts the
/// catalogue declares with a fitting type, municipalities only when `places` knows them.
/// With `has_ages` (the service gives
/// `minimum_age`/`maximum_age`), the explicit ages win and no age is inferred.
pub(crate) fn usable_conditions(
    text: &str,
    catalog: &super::FactCatalog,
    tables: &super::Tables,
    has_ages: bool,
    places: &KnownPlaces,
) -> Vec<InferredCondition> {
    let mut found = infer_conditions_in(text, places);
    found.retain(|c| {
        !(has_ages && c.kind == ConditionKind::Age)
            && amount_fits_currency(c, text, catalog)
            && catalog.compile_rule(&c.rule, tables).is_ok()
    });
    found
}

/// ISO 4217 codes of currencies written with a dollar sign.
const DOLLAR_CODES: [&str; 24] = [
    "USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD", "JMD", "TTD", "BSD", "BBD", "BZD", "BMD",
    "KYD", "XCD", "FJD", "LRD", "NAD", "SBD", "SRD", "GYD", "BND", "MXN", "ARS",
];

/// The currency a stated amount names: an ISO code, or `"$"` for a bare dollar sign.
static STATED_CURRENCY: Re = lazy_re!(concat!(
    r"(\bUS\s?\$|\$\s?US\b|\bUSD\b|\bCA?\s?\$|\$\s?CAN?\b|\bCAD\b|€|\bEUR\b|(?i:\beuros?\b)|£|\bGBP\b|",
    r"\$|(?i:\bdollars?\b))"
));

/// Whether an amount a condition states ("income of $40,000 or less", « revenu inférieur
/// à 30 000 $ ») is in the currency of the fact it compares (the catalogue's currency).
///
/// A named currency ("US$", "$ CA", "USD", "€", "£") must be the catalogue's. A bare `$` or
/// "dollars" means the catalogue's currency when that is written with a dollar sign (USD,
/// CAD, AUD, …), and nothing otherwise. A condition without an amount always fits; one whose
/// currency does not fit is dropped, so the service stays unknown on income and the text
/// stays display text rather than becoming a threshold in the wrong money.
fn amount_fits_currency(c: &InferredCondition, text: &str, catalog: &super::FactCatalog) -> bool {
    if !c.rule.to_string().contains("<=") || c.kind != ConditionKind::Income {
        return true;
    }
    let Some(words) = text.get(c.span.start..c.span.end) else {
        return false;
    };
    let Some(code) = catalog.get(c.fact()).and_then(|d| d.unit()) else {
        return false;
    };
    let Some(re) = STATED_CURRENCY.as_ref() else {
        return false;
    };
    let mut dollar = false;
    let mut named = Vec::new();
    for sign in re.find_iter(words) {
        let sign: String = sign
            .as_str()
            .chars()
            .filter(|ch| !ch.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        match sign.as_str() {
            "$" | "DOLLAR" | "DOLLARS" => dollar = true,
            "US$" | "$US" | "USD" => named.push("USD"),
            "CA$" | "C$" | "$CA" | "$CAN" | "CAD" => named.push("CAD"),
            "€" | "EUR" | "EURO" | "EUROS" => named.push("EUR"),
            _ => named.push("GBP"),
        }
    }
    if named.is_empty() {
        dollar && DOLLAR_CODES.contains(&code)
    } else {
        named.iter().all(|n| *n == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(t: &str) -> Vec<String> {
        infer_conditions(t)
            .iter()
            .map(|c| c.rule().to_string())
            .collect()
    }

    /// The rules of `hits` in text order.
    fn hit_rules(hits: &[Hit]) -> Vec<String> {
        let mut sorted: Vec<&Hit> = hits.iter().collect();
        sorted.sort_by_key(|h| h.start);
        sorted.iter().map(|h| h.rule.clone()).collect()
    }

    /// The spans of `hits` and the end of the first one, as the steps after the first take them.
    fn subject(hits: &[Hit]) -> (Vec<(usize, usize)>, usize) {
        let spans = hits.iter().map(|h| (h.start, h.end)).collect();
        let end = hits.iter().min_by_key(|h| h.start).map_or(0, |h| h.end);
        (spans, end)
    }

    #[test]
    fn candidate_hits_read_every_kind_before_any_check() {
        let read = |s: &str| hit_rules(&candidate_hits(s, None));
        assert_eq!(
            read("Men ages 19-64 who are uninsured"),
            [
                "gender != \"female\"",
                "age in 19..64",
                "health_insurance == \"none\""
            ]
        );
        assert_eq!(read("Must be 18 or older"), ["age >= 18"]);
        assert_eq!(read("femmes seulement"), ["gender != \"male\""]);
        // Both groups of a list are candidates; a later step drops them.
        assert_eq!(
            read("Low income and homeless individuals"),
            ["low_income", "homeless"]
        );
        // A vague age word only when no age is stated.
        assert_eq!(read("Seniors"), ["age >= 55"]);
        assert_eq!(read("Low-income children ages 3 and 4."), ["low_income"]);
    }

    #[test]
    fn residency_and_vague_age_steps() {
        let mut hits = Vec::new();
        residency_hits("Baltimore City residents.", None, &mut hits);
        assert_eq!(hit_rules(&hits), ["municipality == \"Baltimore City\""]);
        let mut places = KnownPlaces::default();
        places.insert("Foster City");
        let mut hits = Vec::new();
        residency_hits("Resident of Lesley Terrace", Some(&places), &mut hits);
        assert!(hits.is_empty());
        let mut hits = Vec::new();
        vague_age_hits("Jeunes et enfants", &mut hits);
        assert_eq!(hit_rules(&hits), ["age <= 29", "age <= 17"]);
        // A word overlapping one read earlier is not read again.
        let mut hits = Vec::new();
        vague_age_hits("Seniors", &mut hits);
        vague_age_hits("Seniors", &mut hits);
        assert_eq!(hit_rules(&hits), ["age >= 55"]);
    }

    #[test]
    fn a_later_clause_of_people_is_found() {
        let anew = |s: &str| names_people_anew(s, &candidate_hits(s, None));
        assert!(anew("Adult 50 or older, adult with disability"));
        assert!(!anew("Women, 18 and older"));
        assert!(!anew("Men ages 19-64 who are uninsured"));
    }

    #[test]
    fn modifier_alternatives_step_keeps_the_head() {
        let s = "Pregnant or young parenting women ages 13-21";
        let mut hits = candidate_hits(s, None);
        assert!(hit_rules(&hits).contains(&"pregnant".to_owned()));
        let zones = drop_modifier_alternatives(s, &mut hits);
        assert!(!zones.is_empty());
        for (a, b) in zones {
            assert_eq!(s.get(a..b), Some("Pregnant or young parenting "));
        }
        assert_eq!(hit_rules(&hits), ["gender != \"male\"", "age in 13..21"]);
        let s = "Men ages 19-64 who are uninsured";
        let mut hits = candidate_hits(s, None);
        assert!(drop_modifier_alternatives(s, &mut hits).is_empty());
        assert_eq!(hits.len(), 3);
    }

    #[test]
    fn examples_step_drops_what_follows_or_refuses_a_widening() {
        let s = "Low income residents, including senior citizens.";
        let mut hits = candidate_hits(s, None);
        let (spans, subject_end) = subject(&hits);
        let mut blanks = Vec::new();
        let at = drop_examples(s, &mut hits, &spans, subject_end, &mut blanks);
        assert_eq!(at, s.find("including"));
        assert_eq!(hit_rules(&hits), ["low_income"]);
        assert_eq!(blanks, [(s.find("including").unwrap(), s.len())]);
        let s = "Low income residents, including those under 60";
        let mut hits = candidate_hits(s, None);
        let (spans, subject_end) = subject(&hits);
        assert_eq!(
            drop_examples(s, &mut hits, &spans, subject_end, &mut blanks),
            None
        );
        let s = "Must be 18 or older";
        let mut hits = candidate_hits(s, None);
        let (spans, subject_end) = subject(&hits);
        assert_eq!(
            drop_examples(s, &mut hits, &spans, subject_end, &mut Vec::new()),
            Some(s.len())
        );
    }

    #[test]
    fn qualifier_step_blanks_its_joins() {
        let s = "Adults 21 and older with cerebral palsy or other disabilities.";
        let mut hits = candidate_hits(s, None);
        let (spans, subject_end) = subject(&hits);
        let mut blanks = Blanks {
            all: Vec::new(),
            clause: Vec::new(),
        };
        blank_qualifiers(s, &mut hits, &spans, subject_end, s.len(), &mut blanks);
        assert_eq!(hit_rules(&hits), ["age >= 21"]);
        let joins: Vec<&str> = blanks
            .all
            .iter()
            .filter_map(|&(a, b)| s.get(a..b))
            .collect();
        assert_eq!(joins, ["or", "other"]);
        assert_eq!(blanks.clause, [(s.find("with").unwrap(), s.len())]);
    }

    #[test]
    fn list_steps_find_groups_listed() {
        let texts = |s: &str, spans: Vec<(usize, usize)>| -> Vec<String> {
            let mut spans = spans;
            spans.sort_unstable();
            spans
                .iter()
                .filter_map(|&(a, b)| s.get(a..b))
                .map(str::to_owned)
                .collect()
        };
        let s = "Low income and homeless individuals";
        let hits = candidate_hits(s, None);
        assert_eq!(texts(s, joined_groups(s, &hits)).len(), 2);
        let s = "Women, 18 and older";
        assert!(joined_groups(s, &candidate_hits(s, None)).is_empty());
        let s = "Seniors, disabled and low-moderate income residents.";
        let hits = candidate_hits(s, None);
        assert!(!groups_beside_list_items(s, &hits).is_empty());
        let mut blanks = Blanks {
            all: Vec::new(),
            clause: Vec::new(),
        };
        let mut contested = Vec::new();
        let kept = drop_listed_groups(s, hits, &mut blanks, &mut contested);
        assert!(kept.is_empty());
        assert!(!blanks.all.is_empty() && blanks.all == blanks.clause);
        // "Homeless men only": "only" keeps the word.
        let s = "Homeless men only";
        assert!(groups_beside_list_items(s, &candidate_hits(s, None)).is_empty());
        let s = "Adults ages 18 years and older who are uninsured and have no income.";
        assert!(joined_groups(s, &candidate_hits(s, None)).is_empty());
    }

    #[test]
    fn leftover_owner_and_clause_steps() {
        let s = "Age 62 or over or disabled";
        let hits = candidate_hits(s, None);
        assert!(!hits.is_empty());
        assert!(leftover_vetoes(s, &hits, &[]));
        let s = "Must be 18 or older";
        assert!(!leftover_vetoes(s, &candidate_hits(s, None), &[]));
        let s = "Women 18 or over with an infant under 3 months";
        let mut hits = candidate_hits(s, None);
        drop_childrens_ages(s, &mut hits);
        assert_eq!(hit_rules(&hits), ["gender != \"male\"", "age >= 18"]);
        let s = "Men who are not veterans";
        let hits = candidate_hits(s, None);
        assert_eq!(
            hit_rules(&keep_by_clause(s, &hits, &[])),
            ["gender != \"female\""]
        );
        let s = "Men, not veterans";
        assert_eq!(
            hit_rules(&keep_by_clause(s, &candidate_hits(s, None), &[])),
            ["gender != \"female\""]
        );
    }

    #[test]
    fn income_amounts_carry_the_catalogue_currency() {
        use super::super::{FactCatalog, Tables};
        let read = |text: &str, code: &str| -> Vec<String> {
            let catalog = FactCatalog::standard().with_currency(code).unwrap();
            usable_conditions(
                text,
                &catalog,
                &Tables::new(),
                false,
                &KnownPlaces::default(),
            )
            .iter()
            .map(|c| c.rule().to_string())
            .collect()
        };
        let dollars = "Individuals and families with a yearly income of $40,000 or less.";
        assert_eq!(read(dollars, "USD"), ["household_income <= 40000"]);
        assert_eq!(read(dollars, "CAD"), ["household_income <= 40000"]);
        // A dollar amount read with a euro or pound catalogue: nothing, not a wrong threshold.
        assert!(read(dollars, "EUR").is_empty());
        assert!(read(dollars, "GBP").is_empty());
        let euros = "Household income under €30,000";
        assert_eq!(read(euros, "EUR"), ["household_income <= 30000"]);
        assert!(read(euros, "USD").is_empty());
        let pounds = "Household income under £18,000";
        assert_eq!(read(pounds, "GBP"), ["household_income <= 18000"]);
        assert!(read(pounds, "EUR").is_empty());
        // French amounts put the sign after the number, with spaces between thousands.
        let francs = "Ménages dont le revenu est inférieur à 30 000 $.";
        assert_eq!(read(francs, "CAD"), ["household_income <= 30000"]);
        assert!(read(francs, "EUR").is_empty());
        let nbsp = "Revenu familial de 25\u{a0}000 $ ou moins.";
        assert_eq!(read(nbsp, "CAD"), ["household_income <= 25000"]);
        assert_eq!(
            read("Household income under 30 000 $.", "CAD"),
            ["household_income <= 30000"]
        );
        // A named currency must be the catalogue's; a bare "$" is any dollar currency.
        let us = "Annual income under US$40,000.";
        assert_eq!(read(us, "USD"), ["household_income <= 40000"]);
        assert!(read(us, "CAD").is_empty());
        let ca = "Revenu inférieur à 30 000 $ CA.";
        assert_eq!(read(ca, "CAD"), ["household_income <= 30000"]);
        assert!(read(ca, "USD").is_empty());
        assert!(read("Income under $40,000 USD.", "CAD").is_empty());
        assert_eq!(read(dollars, "AUD"), ["household_income <= 40000"]);
        // Monthly amounts and tables by household size are not a yearly ceiling.
        assert!(rules("Must have a individual monthly income of less than $2000").is_empty());
        assert!(rules("Income under $2,000 per month.").is_empty());
        assert!(rules("Income cannot exceed $39,600 for 1 person.").is_empty());
        assert!(rules("Revenu inférieur à 2 000 $ par mois.").is_empty());
        assert!(rules("Income under 2 000 $ a month.").is_empty());
        // Conditions without an amount do not depend on the currency.
        assert_eq!(read("Low income persons.", "EUR"), ["low_income"]);
        assert_eq!(read("Personnes à faible revenu.", "EUR"), ["low_income"]);
        // The explanation states the threshold in the catalogue's currency.
        let catalog = FactCatalog::standard().with_currency("USD").unwrap();
        let found = usable_conditions(
            dollars,
            &catalog,
            &Tables::new(),
            false,
            &KnownPlaces::default(),
        );
        let rule = catalog
            .compile_rule(&found[0].rule, &Tables::new())
            .unwrap();
        let mut p = catalog.profile();
        p.set("household_income", 50_000.into()).unwrap();
        let super::super::Outcome::Ineligible { failed } = rule.explain(&p) else {
            panic!()
        };
        assert!(failed[0].en().contains("40,000"), "{}", failed[0].en());
    }

    #[test]
    fn french_income_insurance_pregnancy_veteran_and_homelessness() {
        // Income.
        assert_eq!(rules("Personnes à faible revenu."), ["low_income"]);
        assert_eq!(rules("Familles à faible revenu"), ["low_income"]);
        assert_eq!(
            rules("Revenu inférieur à 30 000 $."),
            ["household_income <= 30000"]
        );
        assert_eq!(
            rules("Ménages dont le revenu annuel ne dépasse pas 45 000 $."),
            ["household_income <= 45000"]
        );
        assert_eq!(
            rules("Revenu familial de 25 000 $ ou moins."),
            ["household_income <= 25000"]
        );
        // Insurance.
        assert_eq!(
            rules("Personnes sans assurance maladie."),
            ["health_insurance == \"none\""]
        );
        assert_eq!(
            rules("Adultes sans assurance"),
            ["age >= 18", "health_insurance == \"none\""]
        );
        // Pregnancy: « femmes enceintes » is a pregnancy, not only a gender.
        assert_eq!(rules("Femmes enceintes."), ["pregnant"]);
        assert_eq!(rules("Pour les femmes enceintes"), ["pregnant"]);
        // Veterans.
        assert_eq!(rules("Anciens combattants."), ["veteran"]);
        assert_eq!(rules("Anciennes combattantes"), ["veteran"]);
        assert_eq!(rules("Vétérans"), ["veteran"]);
        // Homelessness.
        assert_eq!(rules("Personnes en situation d'itinérance."), ["homeless"]);
        assert_eq!(rules("Sans-abri."), ["homeless"]);
        assert_eq!(rules("Personnes sans abri"), ["homeless"]);
        assert_eq!(
            rules("Hommes itinérants"),
            ["gender != \"female\"", "homeless"]
        );
        // Unclear French text stays display text.
        for unclear in [
            "Femmes enceintes ou familles à faible revenu.",
            "Anciens combattants et leurs familles.",
            "Priorité aux personnes en situation d'itinérance.",
            "Les critères de revenu varient selon la taille du ménage.",
            "Personnes à faible revenu, sauf exceptions.",
            "Aucune condition de revenu.",
        ] {
            assert!(rules(unclear).is_empty(), "{unclear}: {:?}", rules(unclear));
        }
    }

    #[test]
    fn ages() {
        assert_eq!(rules("Ages 18 and older."), ["age >= 18"]);
        assert_eq!(rules("Age 60 or over"), ["age >= 60"]);
        assert_eq!(rules("Age 6-18"), ["age in 6..18"]);
        assert_eq!(rules("18+"), ["age >= 18"]);
        assert_eq!(rules("Youth, ages 8-17."), ["age in 8..17"]);
        assert_eq!(rules("Seniors"), ["age >= 55"]);
        assert_eq!(rules("Youth"), ["age <= 29"]);
        assert_eq!(rules("Under 18"), ["age <= 17"]);
        assert_eq!(rules("Jeunes de 12 à 17 ans"), ["age in 12..17"]);
        assert_eq!(rules("Personnes de 65 ans et plus"), ["age >= 65"]);
        assert!(rules("Age 62 or over or disabled").is_empty());
        assert!(rules("Age 60 or over and spouse of any age").is_empty());
        assert!(rules("Women with children under 5")
            .iter()
            .all(|r| !r.contains("age")));
        assert!(rules("Fee is $18 and up").is_empty());
        assert!(rules("Vary according to program. Age 18 or over").is_empty());
    }

    #[test]
    fn gender_and_others() {
        assert_eq!(rules("Women only"), ["gender != \"male\""]);
        assert_eq!(rules("Femmes"), ["gender != \"male\""]);
        assert_eq!(rules("Retired man"), ["gender != \"female\""]);
        assert!(rules("Men and women").is_empty());
        assert!(rules("Women's support group open to all").is_empty());
        assert_eq!(rules("Pregnant women"), ["pregnant"]);
        assert_eq!(rules("Veterans"), ["veteran"]);
        assert!(rules("Veterans and their families").is_empty());
        assert_eq!(
            rules("Uninsured adults"),
            ["health_insurance == \"none\"", "age >= 18"]
        );
        assert_eq!(
            rules("Adults who are uninsured"),
            ["age >= 18", "health_insurance == \"none\""]
        );
        assert!(rules("Uninsured or underinsured").is_empty());
        assert_eq!(rules("Low income persons."), ["low_income"]);
        assert_eq!(
            rules("Household income under $30,000"),
            ["household_income <= 30000"]
        );
        assert_eq!(rules("Homeless men"), ["homeless", "gender != \"female\""]);
    }

    #[test]
    fn residency() {
        assert_eq!(
            rules("Residents of Baltimore City"),
            ["municipality == \"Baltimore City\""]
        );
        assert_eq!(
            rules("San Mateo County resident"),
            ["county == \"San Mateo\""]
        );
        assert_eq!(
            rules("Resident of California to obtain a library card"),
            ["region == \"California\""]
        );
        assert_eq!(rules("Ottawa residents"), ["municipality == \"Ottawa\""]);
        assert_eq!(
            rules("Résidents de Montréal"),
            ["municipality == \"Montréal\""]
        );
        assert_eq!(rules("Québec residents"), ["region == \"Québec\""]);
        assert!(rules("Resident of area served").is_empty());
        assert!(rules("Low Income residents")
            .iter()
            .all(|r| !r.contains("==")));
        assert!(rules("Residents of San Mateo County and Santa Clara County").is_empty());
        assert!(rules("Residents of the United States").is_empty());
    }

    #[test]
    fn sentences_disagreeing_drop_the_fact() {
        assert!(rules("Youth ages 12-18. Adults 18 and older in the evening program.").is_empty());
        assert_eq!(
            rules("Ages 18 and older. Must be 18 or older."),
            ["age >= 18"]
        );
    }

    #[test]
    fn qualifiers_and_examples_add_no_one() {
        assert_eq!(
            rules("Adults 21 and older with cerebral palsy or other disabilities."),
            ["age >= 21"]
        );
        assert_eq!(
            rules("Low income residents, including senior citizens."),
            ["low_income"]
        );
        assert!(rules("Seniors, including those under 60 with disabilities").is_empty());
        assert!(rules("Adults with disabilities or seniors").is_empty());
        assert!(rules("Adults with disabilities, or their families").is_empty());
        assert_eq!(rules("Any adult with HIV/AIDS."), ["age >= 18"]);
        assert_eq!(
            rules("Children & adolescents, ages 2-18."),
            ["age in 2..18"]
        );
        assert!(rules("Children, ages 0-21, special needs children and adults.").is_empty());
        assert_eq!(rules("Low income individuals/families."), ["low_income"]);
        assert!(rules("Veterans and their families").is_empty());
        assert_eq!(
            rules("Women ages 18 or older and their children."),
            ["gender != \"male\"", "age >= 18"]
        );
    }

    #[test]
    fn lists_of_groups_are_no_conjunction() {
        assert!(rules("Low income and homeless individuals and families.").is_empty());
        assert!(rules("Low-income, senior citizens, special needs").is_empty());
        assert_eq!(
            rules("Emotionally disturbed boys and girls, newborns to age 21."),
            ["age in 0..21"]
        );
        assert_eq!(
            rules("Adults ages 18 years and older who are uninsured and have no income."),
            ["age >= 18", "health_insurance == \"none\"", "low_income"]
        );
        assert_eq!(
            rules("Women, 18 and older."),
            ["gender != \"male\"", "age >= 18"]
        );
    }

    #[test]
    fn numbers_that_are_no_ages() {
        assert_eq!(rules("Age 4 1/2-18"), ["age in 4.5..18"]);
        assert!(rules("Infants under 3 months").is_empty());
        assert!(rules("Residents needing to dispose of less than 27 gallons").is_empty());
        assert!(rules("Must live in for at least 2 years").is_empty());
        assert!(rules("Child care providers").is_empty());
        assert!(rules("At-risk and high health risk, birth through elderly").is_empty());
        assert!(rules("Youth age 11 or under must have parental permission").is_empty());
    }

    #[test]
    fn a_fact_spoken_of_unclearly_is_not_read_elsewhere() {
        assert!(rules("Age 50 or over, spouse of any age. Age 60 or over for meals").is_empty());
        assert_eq!(
            rules("Ages 7 and up. Income requirements vary."),
            ["age >= 7"]
        );
        assert!(rules("Services vary. Ages 7 and up.").is_empty());
        assert_eq!(
            rules("Any child, age 18 or under, who is in the dependency system"),
            ["age <= 18"]
        );
    }

    #[test]
    fn population_words_among_other_groups_are_a_list() {
        assert!(rules("Seniors, disabled and low-moderate income residents.").is_empty());
        assert!(rules("Low-moderate income residents and senior citizens.").is_empty());
        assert!(rules("Students, senior citizens, disabled and low-income tax payers.").is_empty());
        assert!(rules("Women and children experiencing domestic violence.").is_empty());
        assert_eq!(rules("Homeless men and women"), ["homeless"]);
        // Requirements listed with commas are no groups.
        assert_eq!(
            rules("Age 62 or over, able to live independently, income limit of $47,520"),
            ["age >= 62", "low_income"]
        );
        assert_eq!(
            rules("Cancer diagnosis, California resident, adults only"),
            ["region == \"California\"", "age >= 18"]
        );
        assert_eq!(
            rules("Lack of health insurance and urgent need"),
            ["health_insurance == \"none\""]
        );
    }

    #[test]
    fn a_family_served_has_no_age() {
        assert!(rules("Family, must have minor children. Adults must pass drug test").is_empty());
        assert_eq!(
            rules("Low income families with children ages 0-5."),
            ["low_income"]
        );
    }

    #[test]
    fn a_clause_naming_people_anew_is_another_group() {
        assert!(rules("Adult 50 or older, adult with disability").is_empty());
        assert!(rules("Adults with disabilities, or seniors").is_empty());
    }

    #[test]
    fn ages_stated_otherwise_leave_vague_words_unread() {
        assert!(rules("Mentees are children 1st-12th grade.").is_empty());
        assert!(rules("Children in grades K-5").is_empty());
        assert_eq!(rules("Low-income children ages 3 and 4."), ["low_income"]);
    }

    #[test]
    fn alternatives_among_modifiers_keep_the_head() {
        assert_eq!(
            rules("Pregnant or young parenting women ages 13-21"),
            ["gender != \"male\"", "age in 13..21"]
        );
        assert_eq!(
            rules("Physically or developmentally impaired adults ages 50 or older."),
            ["age >= 50"]
        );
        assert_eq!(
            rules(
                "Uninsured or underinsured residents ages 50-64 at or below 250% of poverty level."
            ),
            ["age in 50..64", "low_income"]
        );
        assert_eq!(
            rules("Disabled or frail elderly resident of San Mateo County"),
            ["county == \"San Mateo\""]
        );
        // Alternatives between groups are no modifiers.
        assert!(rules("Men or women ages 18 and older").is_empty());
        assert!(rules("Seniors or residents of Foster City").is_empty());
    }

    #[test]
    fn qualifiers_after_the_people_served_speak_of_the_qualifier() {
        assert_eq!(
            rules("Disabled adults with no minor, dependent children in the home."),
            ["age >= 18"]
        );
        assert_eq!(rules("Men who are not veterans"), ["gender != \"female\""]);
        assert_eq!(
            rules("Woman referred by social service agency"),
            ["gender != \"male\""]
        );
        assert_eq!(
            rules("Students ages 12-21 with emotional, social or learning disability."),
            ["age in 12..21"]
        );
        assert_eq!(
            rules("Pregnant or parenting woman age 18 or over with an infant under 3 months"),
            ["gender != \"male\"", "age >= 18"]
        );
        assert_eq!(
            rules("Physically and mentally disabled adults, including mental illness."),
            ["age >= 18"]
        );
        assert_eq!(
            rules("Ages 3-18 years old and their families/caregivers."),
            ["age in 3..18"]
        );
    }

    #[test]
    fn any_or_all_before_the_people_served_restricts_nothing() {
        assert_eq!(rules("Open to any homeless person."), ["homeless"]);
        assert_eq!(
            rules("Open to any resident, ages 16-21."),
            ["age in 16..21"]
        );
        assert_eq!(rules("All persons age 21 or over"), ["age >= 21"]);
    }

    #[test]
    fn more_ways_of_stating_income_and_age() {
        assert_eq!(
            rules("Individuals and families with a yearly income of $40,000 or less."),
            ["household_income <= 40000"]
        );
        assert_eq!(
            rules("Senior age 62 or over. Income must fall within HUD guidelines"),
            ["age >= 62", "low_income"]
        );
        assert_eq!(rules("Minimum age for membership 13 years"), ["age >= 13"]);
        assert_eq!(rules("Minimum age of 16"), ["age >= 16"]);
    }

    #[test]
    fn a_municipality_must_be_known_when_places_are_given() {
        let mut places = KnownPlaces::default();
        places.insert("Baltimore");
        let known = |t: &str| -> Vec<String> {
            infer_conditions_in(t, &places)
                .iter()
                .map(|c| c.rule().to_string())
                .collect()
        };
        assert!(known("East Baltimore residents.").is_empty());
        assert!(known("Resident of the Flood Control Zone").is_empty());
        assert_eq!(
            known("Baltimore City residents."),
            ["municipality == \"Baltimore City\""]
        );
        assert_eq!(
            known("Residents of Anne Arundel County"),
            ["county == \"Anne Arundel\""]
        );
        assert_eq!(known("Maryland residents"), ["region == \"Maryland\""]);
    }

    #[test]
    fn every_pattern_compiles() {
        // `re` gives `None` for a pattern the regex engine rejects: none may.
        let all: [&Re; 36] = [
            &VARIES,
            &VETO,
            &CLAUSE_VETO,
            &PLACE_LIST,
            &AGE_OWNER,
            &OWNED_WORD,
            &VAGUE_IN_RANGE,
            &COMPOUND_AGE_WORD,
            &NOT_YEARS,
            &LIST_JOIN,
            &TEXT_VETO,
            &NON_RESIDENTS,
            &AGE_WORDS,
            &QUALIFIER,
            &EXAMPLES,
            &WIDENING,
            &QUALIFIER_LIST_OF_PEOPLE,
            &QUALIFIER_JOINS,
            &ANY_PERSON,
            &AND_THEIR,
            &UNITS,
            &CHILD_NOUNS,
            &ADULT_NOUNS,
            &VARIES_TOPIC,
            &UNREAD_AGE,
            &FAMILY_UNIT,
            &GRADES,
            &PERSON_HEAD,
            &HEAD_BEFORE,
            &HEAD_AT,
            &ZONE_PERSON,
            &OR_WORD,
            &ADVERB_PAIR,
            &LIST_NEXT,
            &LIST_PREV,
            &ITEM_SEP,
        ];
        assert!(all.iter().all(|r| r.is_some()));
        assert!(AGE
            .iter()
            .chain(OTHER.iter())
            .chain(CEILINGS.iter())
            .all(|p| p.re.is_some()));
        assert!(RESIDENCY.iter().all(Option::is_some));
    }

    #[test]
    fn long_and_odd_text_is_bounded() {
        let long = "Women only. ".repeat(2000);
        assert_eq!(rules(&long), ["gender != \"male\""]);
        assert!(rules("é".repeat(3000).as_str()).is_empty());
        assert!(rules("").is_empty());
    }
}
