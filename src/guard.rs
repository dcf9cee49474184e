//! Deploy-time conditions under which a statement or a trail exists (a CloudFormation
//! `Condition`, an `Fn::If` branch). Something under an unknown condition is judged as if it
//! exists; two facts whose conditions can never hold together (`Access = PublicWrite` and
//! `Access = CloudTrailWrite`) never combine into one finding.

use crate::value::Truth;
use crate::value::glob::text_eq;
use crate::value::{Part, Symbol, Text};
use std::collections::BTreeMap;

/// A condition over parameters (symbols) and literals.
#[derive(Clone, Debug, PartialEq)]
pub enum Formula {
    Const(bool),
    /// A condition that cannot be read: it may hold or not.
    Unknown,
    /// `Fn::Equals`.
    Eq(Text, Text),
    Not(Box<Formula>),
    And(Vec<Formula>),
    Or(Vec<Formula>),
}

impl Formula {
    /// How many nodes the formula has, and how deeply they nest.
    pub fn measure(&self) -> (usize, usize) {
        let of_all = |fs: &[Formula]| {
            fs.iter()
                .map(Formula::measure)
                .fold((1usize, 1usize), |(n, h), (m, k)| {
                    (n.saturating_add(m), h.max(k.saturating_add(1)))
                })
        };
        match self {
            Formula::Const(_) | Formula::Unknown | Formula::Eq(..) => (1, 1),
            Formula::Not(x) => {
                let (n, h) = x.measure();
                (n.saturating_add(1), h.saturating_add(1))
            }
            Formula::And(xs) | Formula::Or(xs) => of_all(xs),
        }
    }
}

/// The conjunction of the conditions something exists under; empty: always.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Guard(Vec<Formula>);

/// What a frontend learned while evaluating: the values kept from one branch of a condition,
/// by their span, with that condition.
#[derive(Default)]
pub struct Kept(std::cell::RefCell<Vec<(crate::source::Span, Formula)>>);

impl Kept {
    pub fn record(&self, span: crate::source::Span, f: Formula) {
        self.0.borrow_mut().push((span, f));
    }

    /// [`Kept::record`] unless this condition is recorded at `span` already (a value evaluated
    /// again, along another path to it, holds nothing new).
    pub fn record_once(&self, span: crate::source::Span, f: Formula) {
        let mut kept = self.0.borrow_mut();
        if !kept.iter().any(|(s, g)| *s == span && *g == f) {
            kept.push((span, f));
        }
    }

    /// `base` and every condition recorded at `span` (all of them, for nested branches).
    pub fn guard_at(&self, span: crate::source::Span, base: &Guard) -> Guard {
        let mut g = base.clone();
        for (s, f) in self.0.borrow().iter() {
            if *s == span {
                g = g.and(&Guard::new(f.clone()));
            }
        }
        g
    }

    /// `base` and every condition recorded for a value whose text holds `span` (a value inside
    /// a branch exists under the branch's condition).
    pub fn guard_within(&self, span: crate::source::Span, base: &Guard) -> Guard {
        let mut g = base.clone();
        for (s, f) in self.0.borrow().iter() {
            if s.file == span.file && s.start <= span.start && span.end <= s.end {
                g = g.and(&Guard::new(f.clone()));
            }
        }
        g
    }
}

/// Beyond this many cases, joint satisfiability is assumed (never a finding from it).
const MAX_CASES: usize = 4096;

impl Guard {
    pub fn new(f: Formula) -> Guard {
        Guard(vec![f])
    }

    pub fn is_always(&self) -> bool {
        self.0.is_empty()
    }

    /// Both guards at once.
    pub fn and(&self, other: &Guard) -> Guard {
        let mut v = self.0.clone();
        v.extend(other.0.iter().cloned());
        Guard(v)
    }

    /// Whether the two can hold at once: false only when that is certainly impossible.
    pub fn compatible(&self, other: &Guard) -> bool {
        if self.is_always() || other.is_always() {
            return true;
        }
        self.and(other).satisfiable()
    }

    /// Whether some assignment of the parameters makes every formula true. Comparisons of a
    /// parameter with literals are decided by the parameter's value (the literals it is
    /// compared with, or any other); other undecidable comparisons are free.
    pub fn satisfiable(&self) -> bool {
        let mut atoms = Atoms::default();
        let compiled: Vec<Compiled> = self.0.iter().map(|f| atoms.compile(f)).collect();
        let params: Vec<(&Symbol, &Vec<String>)> = atoms.params.iter().collect();
        let mut cases: usize = 1usize << atoms.free.min(16);
        for (_, values) in &params {
            cases = cases.saturating_mul(values.len() + 1);
        }
        if atoms.free > 12 || cases > MAX_CASES {
            return true;
        }
        (0..cases).any(|mut n| {
            let mut chosen: BTreeMap<&Symbol, Option<&str>> = BTreeMap::new();
            for (sym, values) in &params {
                let k = n % (values.len() + 1);
                n /= values.len() + 1;
                // The last choice stands for any value not compared with.
                chosen.insert(sym, values.get(k).map(String::as_str));
            }
            let bits = n;
            compiled.iter().all(|c| c.eval(&chosen, bits))
        })
    }
}

/// A formula with its comparisons sorted into decided, per-parameter and free ones.
enum Compiled {
    Const(bool),
    ParamIs(Symbol, String),
    Free(usize),
    Not(Box<Compiled>),
    And(Vec<Compiled>),
    Or(Vec<Compiled>),
}

impl Compiled {
    fn eval(&self, chosen: &BTreeMap<&Symbol, Option<&str>>, bits: usize) -> bool {
        match self {
            Compiled::Const(b) => *b,
            Compiled::ParamIs(s, v) => chosen.get(s).copied().flatten() == Some(v.as_str()),
            Compiled::Free(i) => bits >> i & 1 == 1,
            Compiled::Not(f) => !f.eval(chosen, bits),
            Compiled::And(fs) => fs.iter().all(|f| f.eval(chosen, bits)),
            Compiled::Or(fs) => fs.iter().any(|f| f.eval(chosen, bits)),
        }
    }
}

#[derive(Default)]
struct Atoms {
    /// Each parameter with the literals it is compared with.
    params: BTreeMap<Symbol, Vec<String>>,
    free: usize,
}

impl Atoms {
    fn compile(&mut self, f: &Formula) -> Compiled {
        match f {
            Formula::Const(b) => Compiled::Const(*b),
            Formula::Unknown => {
                self.free += 1;
                Compiled::Free(self.free - 1)
            }
            Formula::Not(x) => Compiled::Not(Box::new(self.compile(x))),
            Formula::And(xs) => Compiled::And(xs.iter().map(|x| self.compile(x)).collect()),
            Formula::Or(xs) => Compiled::Or(xs.iter().map(|x| self.compile(x)).collect()),
            Formula::Eq(a, b) => {
                let param = |t: &Text| match t.parts() {
                    [Part::Sym(s)] => Some(s.clone()),
                    _ => None,
                };
                match (param(a), b.as_str(), param(b), a.as_str()) {
                    (Some(s), Some(v), _, _) | (_, _, Some(s), Some(v)) => {
                        let values = self.params.entry(s.clone()).or_default();
                        if !values.iter().any(|x| x == v) {
                            values.push(v.to_string());
                        }
                        Compiled::ParamIs(s, v.to_string())
                    }
                    _ => match text_eq(a, b) {
                        Truth::Yes => Compiled::Const(true),
                        Truth::No => Compiled::Const(false),
                        Truth::Unknown => {
                            self.free += 1;
                            Compiled::Free(self.free - 1)
                        }
                    },
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Kind;

    fn access(v: &str) -> Formula {
        Formula::Eq(
            Text::sym(Symbol::scoped(Kind::Any, "Access", 1)),
            Text::lit(v),
        )
    }

    #[test]
    fn one_parameter_cannot_take_two_values() {
        let public = Guard::new(access("PublicWrite"));
        let trail = Guard::new(access("CloudTrailWrite"));
        assert!(!public.compatible(&trail));
        assert!(public.compatible(&public));
        assert!(public.compatible(&Guard::default()));
        let not_public = Guard::new(Formula::Not(Box::new(access("PublicWrite"))));
        assert!(!public.compatible(&not_public));
        assert!(trail.compatible(&not_public));
        let either = Guard::new(Formula::Or(vec![
            access("PublicWrite"),
            access("CloudTrailWrite"),
        ]));
        assert!(either.compatible(&trail));
        assert!(!either.and(&not_public).compatible(&public));
    }

    #[test]
    fn undecidable_comparisons_are_free() {
        let region = Text::sym(Symbol::scoped(Kind::Region, "AWS::Region", 1));
        let other = Text::sym(Symbol::scoped(Kind::Any, "Other", 1));
        let a = Guard::new(Formula::Eq(region.clone(), other.clone()));
        let b = Guard::new(Formula::Not(Box::new(Formula::Eq(region, other))));
        // The same comparison is one free atom per occurrence: never judged impossible.
        assert!(a.compatible(&b));
        assert!(!Guard::new(Formula::Eq(Text::lit("a"), Text::lit("b"))).satisfiable());
    }
}
