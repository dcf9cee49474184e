//! Condition evaluation against a request: every operator family (String*, Arn*, Bool, Null,
//! Numeric*, Date*, IpAddress, Binary, `…IfExists`, `ForAnyValue:`/`ForAllValues:`), keys
//! compared without case, and IAM's missing-key rules (a positive test on an absent key is
//! false, a negated one true). Answers are three-valued.

use crate::policy::{Condition, Statement};
use crate::value::Text;
use crate::value::Truth;
use crate::value::glob::{MatchOpts, Tok, matches, tokens};

/// What a request carries for one condition key.
#[derive(Clone, Debug, PartialEq)]
pub enum KeyValue {
    Absent,
    Unknown,
    Present(Text),
}

/// The request context a condition block is evaluated against.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// Key → value (keys compare without regard to case). Keys not listed are unknown.
    values: Vec<(&'static str, KeyValue)>,
    /// Key prefixes that are absent (`aws:PrincipalTag/`), compared without regard to case.
    absent_prefixes: Vec<&'static str>,
}

static ABSENT: KeyValue = KeyValue::Absent;
static UNKNOWN: KeyValue = KeyValue::Unknown;

impl Request {
    pub fn set(&mut self, key: &'static str, v: KeyValue) -> &mut Self {
        match self
            .values
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            Some(slot) => *slot = (key, v),
            None => {
                // A request has a score of keys: room for them at once.
                if self.values.capacity() == 0 {
                    self.values.reserve_exact(24);
                }
                self.values.push((key, v));
            }
        }
        self
    }

    pub fn absent_prefix(&mut self, prefix: &'static str) -> &mut Self {
        self.absent_prefixes.push(prefix);
        self
    }

    pub fn get(&self, key: &str) -> &KeyValue {
        if let Some((_, v)) = self
            .values
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            return v;
        }
        let has_prefix = |p: &str| {
            key.as_bytes()
                .get(..p.len())
                .is_some_and(|b| b.eq_ignore_ascii_case(p.as_bytes()))
        };
        if self.absent_prefixes.iter().any(|p| has_prefix(p)) {
            return &ABSENT;
        }
        &UNKNOWN
    }
}

/// The parts of a condition operator name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operator {
    /// Lowercased base name without set prefix or `IfExists`: `stringequals`.
    pub base: String,
    pub if_exists: bool,
    pub for_any: bool,
    pub for_all: bool,
}

const KNOWN_BASES: [&str; 26] = [
    "stringequals",
    "stringnotequals",
    "stringequalsignorecase",
    "stringnotequalsignorecase",
    "stringlike",
    "stringnotlike",
    "arnequals",
    "arnlike",
    "arnnotequals",
    "arnnotlike",
    "bool",
    "null",
    "numericequals",
    "numericnotequals",
    "numericlessthan",
    "numericlessthanequals",
    "numericgreaterthan",
    "numericgreaterthanequals",
    "dateequals",
    "datenotequals",
    "datelessthan",
    "datelessthanequals",
    "dategreaterthan",
    "dategreaterthanequals",
    "ipaddress",
    "notipaddress",
];

impl Operator {
    pub fn parse(op: &str) -> Option<Operator> {
        let mut s = op.to_ascii_lowercase();
        let mut for_any = false;
        let mut for_all = false;
        if let Some(rest) = s.strip_prefix("foranyvalue:") {
            for_any = true;
            s = rest.to_string();
        } else if let Some(rest) = s.strip_prefix("forallvalues:") {
            for_all = true;
            s = rest.to_string();
        }
        let mut if_exists = false;
        if let Some(rest) = s.strip_suffix("ifexists") {
            if_exists = true;
            s = rest.to_string();
        }
        if !KNOWN_BASES.contains(&s.as_str()) && s != "binaryequals" {
            return None;
        }
        Some(Operator {
            base: s,
            if_exists,
            for_any,
            for_all,
        })
    }

    /// A negated test (`StringNotEquals`, `ArnNotLike`, `NotIpAddress`, …).
    pub fn is_negated(&self) -> bool {
        self.base.contains("not")
    }

    /// A positive String or Arn comparison (equals or like, any case form).
    pub fn is_positive_string_or_arn(&self) -> bool {
        matches!(
            self.base.as_str(),
            "stringequals" | "stringequalsignorecase" | "stringlike" | "arnequals" | "arnlike"
        )
    }

    /// Whether the operator compares literally (`*` and `?` are plain characters).
    pub fn is_literal(&self) -> bool {
        matches!(
            self.base.as_str(),
            "stringequals"
                | "stringnotequals"
                | "stringequalsignorecase"
                | "stringnotequalsignorecase"
        )
    }
}

/// A positive String/Arn test of `aws:SourceArn` or `aws:SourceAccount`: the conditions that
/// pin which source a service writes for (the confused-deputy keys).
pub fn pins_source(c: &Condition) -> bool {
    (c.key_is("aws:SourceArn") || c.key_is("aws:SourceAccount"))
        && Operator::parse(&c.op).is_some_and(|o| o.is_positive_string_or_arn())
}

/// Does one value of a positive comparison match the request's value?
pub fn value_matches(op: &Operator, pattern: &Text, actual: &Text) -> Truth {
    matches_tokens(op, pattern, &tokens(actual, false))
}

/// [`value_matches`] with the request's value already split into tokens.
fn matches_tokens(op: &Operator, pattern: &Text, actual: &[Tok]) -> Truth {
    let arn = op.base.starts_with("arn");
    let wildcards = arn || op.base.contains("like");
    let opts = MatchOpts {
        ignore_case: op.base.contains("ignorecase") || op.base == "bool",
        arn,
    };
    matches(&tokens(pattern, wildcards), actual, opts)
}

/// Evaluates one condition test against a request.
pub fn eval_condition(c: &Condition, req: &Request) -> Truth {
    let Some(op) = Operator::parse(&c.op) else {
        return Truth::Unknown;
    };
    match req.get(&c.key) {
        KeyValue::Unknown => Truth::Unknown,
        KeyValue::Absent => {
            if op.base == "null" {
                return Truth::any(c.values.iter().map(|v| match v.text.as_str() {
                    Some(s) if s.eq_ignore_ascii_case("true") => Truth::Yes,
                    Some(s) if s.eq_ignore_ascii_case("false") => Truth::No,
                    _ => Truth::Unknown,
                }));
            }
            if op.if_exists || op.for_all {
                Truth::Yes
            } else if op.for_any {
                Truth::No
            } else {
                Truth::from_bool(op.is_negated())
            }
        }
        KeyValue::Present(actual) => {
            if op.base == "null" {
                return Truth::any(c.values.iter().map(|v| match v.text.as_str() {
                    Some(s) if s.eq_ignore_ascii_case("false") => Truth::Yes,
                    Some(s) if s.eq_ignore_ascii_case("true") => Truth::No,
                    _ => Truth::Unknown,
                }));
            }
            let comparable =
                op.base.starts_with("string") || op.base.starts_with("arn") || op.base == "bool";
            if !comparable || c.values.is_empty() {
                return Truth::Unknown;
            }
            let positive_op = Operator {
                base: op.base.replace("not", ""),
                ..op.clone()
            };
            let actual = tokens(actual, false);
            let any = Truth::any(
                c.values
                    .iter()
                    .map(|v| matches_tokens(&positive_op, &v.text, &actual)),
            );
            if op.is_negated() { any.not() } else { any }
        }
    }
}

/// All of a statement's conditions hold (conditions for which `skip` is true are taken as
/// holding).
pub fn conditions_hold(
    stmt: &Statement,
    req: &Request,
    skip: impl Fn(&Condition) -> bool,
) -> Truth {
    let t = Truth::all(
        stmt.conditions
            .iter()
            .filter(|c| !skip(c))
            .map(|c| eval_condition(c, req)),
    );
    if stmt.conditions_open {
        t.and(Truth::Unknown)
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Item;
    use crate::source::Span;

    fn cond(op: &str, key: &str, values: &[&str]) -> Condition {
        Condition {
            op: op.into(),
            op_span: Span::default(),
            key: key.into(),
            key_span: Span::default(),
            values: values
                .iter()
                .map(|v| Item {
                    text: Text::lit(*v),
                    span: Span::default(),
                })
                .collect(),
            value_span: Span::default(),
        }
    }

    fn req() -> Request {
        let mut r = Request::default();
        r.set(
            "aws:SourceArn",
            KeyValue::Present(Text::lit(
                "arn:aws:cloudtrail:us-east-1:111111111111:trail/t",
            )),
        )
        .set(
            "aws:SourceAccount",
            KeyValue::Present(Text::lit("111111111111")),
        )
        .set("aws:SecureTransport", KeyValue::Present(Text::lit("true")))
        .set(
            "aws:PrincipalIsAWSService",
            KeyValue::Present(Text::lit("true")),
        )
        .set("aws:PrincipalOrgID", KeyValue::Absent)
        .absent_prefix("aws:PrincipalTag/");
        r
    }

    #[test]
    fn string_operators() {
        let r = req();
        let e = |op, key, v: &[&str]| eval_condition(&cond(op, key, v), &r);
        assert_eq!(
            e("StringEquals", "aws:sourceaccount", &["111111111111"]),
            Truth::Yes
        );
        assert_eq!(
            e("StringEquals", "aws:SourceAccount", &["222222222222"]),
            Truth::No
        );
        assert_eq!(
            e("StringEquals", "aws:SourceAccount", &["2", "111111111111"]),
            Truth::Yes
        );
        assert_eq!(
            e(
                "StringNotEquals",
                "aws:SourceAccount",
                &["2", "111111111111"]
            ),
            Truth::No
        );
        assert_eq!(
            e(
                "StringEquals",
                "aws:SourceArn",
                &["arn:aws:cloudtrail:*:111111111111:trail/*"]
            ),
            Truth::No
        );
        assert_eq!(
            e(
                "StringLike",
                "aws:SourceArn",
                &["arn:aws:cloudtrail:*:111111111111:trail/*"]
            ),
            Truth::Yes
        );
        assert_eq!(
            e(
                "ArnLike",
                "aws:SourceArn",
                &["arn:aws:cloudtrail:*:111111111111:trail/*"]
            ),
            Truth::Yes
        );
        assert_eq!(
            e(
                "ArnEquals",
                "aws:SourceArn",
                &["arn:aws:cloudtrail:*:*:trail/t"]
            ),
            Truth::Yes
        );
        assert_eq!(
            e(
                "StringEqualsIgnoreCase",
                "aws:SourceArn",
                &["ARN:AWS:cloudtrail:us-east-1:111111111111:trail/T"]
            ),
            Truth::Yes
        );
        assert_eq!(
            e("StringEquals", "aws:SomethingElse", &["x"]),
            Truth::Unknown
        );
        assert_eq!(e("FooBar", "aws:SourceAccount", &["x"]), Truth::Unknown);
    }

    #[test]
    fn missing_keys() {
        let r = req();
        let e = |op, key, v: &[&str]| eval_condition(&cond(op, key, v), &r);
        assert_eq!(
            e("StringEquals", "aws:PrincipalOrgID", &["o-abc"]),
            Truth::No
        );
        assert_eq!(
            e("StringNotEquals", "aws:PrincipalOrgID", &["o-abc"]),
            Truth::Yes
        );
        assert_eq!(
            e("StringEqualsIfExists", "aws:PrincipalOrgID", &["o-abc"]),
            Truth::Yes
        );
        assert_eq!(
            e("StringNotEqualsIfExists", "aws:PrincipalOrgID", &["o-abc"]),
            Truth::Yes
        );
        assert_eq!(
            e("ForAnyValue:StringEquals", "aws:PrincipalOrgID", &["o-abc"]),
            Truth::No
        );
        assert_eq!(
            e(
                "ForAllValues:StringEquals",
                "aws:PrincipalOrgID",
                &["o-abc"]
            ),
            Truth::Yes
        );
        assert_eq!(e("Null", "aws:PrincipalOrgID", &["true"]), Truth::Yes);
        assert_eq!(e("Null", "aws:PrincipalOrgID", &["false"]), Truth::No);
        assert_eq!(e("Null", "aws:SourceArn", &["false"]), Truth::Yes);
        assert_eq!(
            e("StringNotEquals", "aws:PrincipalTag/team", &["x"]),
            Truth::Yes
        );
        assert_eq!(
            e("NumericLessThan", "aws:PrincipalOrgID", &["1"]),
            Truth::No
        );
        assert_eq!(
            e("NotIpAddress", "aws:PrincipalOrgID", &["1.2.3.4/32"]),
            Truth::Yes
        );
    }

    #[test]
    fn bool_and_others() {
        let r = req();
        let e = |op, key, v: &[&str]| eval_condition(&cond(op, key, v), &r);
        assert_eq!(e("Bool", "aws:SecureTransport", &["false"]), Truth::No);
        assert_eq!(e("Bool", "aws:SecureTransport", &["True"]), Truth::Yes);
        assert_eq!(
            e("Bool", "aws:PrincipalIsAWSService", &["false"]),
            Truth::No
        );
        assert_eq!(
            e("NumericLessThan", "aws:SourceAccount", &["1"]),
            Truth::Unknown
        );
        assert_eq!(
            e("ForAnyValue:StringLike", "aws:SourceAccount", &["111*"]),
            Truth::Yes
        );
    }

    #[test]
    fn operator_parsing() {
        let op = Operator::parse("ForAnyValue:StringNotEqualsIgnoreCaseIfExists").unwrap();
        assert_eq!(op.base, "stringnotequalsignorecase");
        assert!(op.if_exists && op.for_any && op.is_negated());
        assert!(Operator::parse("StringEqualz").is_none());
    }
}
