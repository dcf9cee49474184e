//! IAM wildcard matching over values with unknown parts, answering yes / no / unknown.
//!
//! A pattern (`arn:aws:s3:::logs/*`) is matched against a subject. The subject may itself hold
//! wildcards, which then mean "any string here": the pattern must cover every such string
//! (inclusion), so `logs/*` covers `logs/AWSLogs/111111111111/*` but `logs/AWSLogs/*/x` does not.
//! Symbols (unknown values) on either side are handled twice: a strict pass that only lets a
//! symbol match itself or be swallowed by a wildcard (a "yes" that holds whatever the value),
//! and a permissive pass that lets a symbol stand for any string its kind allows (a "no" that
//! holds whatever the value). Between the two lies "unknown".

use super::Truth;
use super::{Kind, Part, Symbol, Text};

/// One token of a pattern or subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    Ch(char),
    /// `*` in a pattern; "any string" in a subject.
    Star,
    /// `?` in a pattern; "any one character" in a subject.
    Quest,
    Sym(Symbol),
}

/// How to compare.
#[derive(Clone, Copy, Debug, Default)]
pub struct MatchOpts {
    /// Compare letters without case (actions, `…IgnoreCase` operators).
    pub ignore_case: bool,
    /// ARN matching: wildcards never match across `:`.
    pub arn: bool,
}

/// Tokens of a text; with `wildcards`, `*` and `?` are wildcards, else plain characters.
pub fn tokens(text: &Text, wildcards: bool) -> Vec<Tok> {
    if text.len_hint() > MAX_TOKENS {
        // No ARN or action is this long; an unknown stands in rather than a huge match.
        // Identical texts stay equal: the symbol is named by a hash of the value.
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        text.hash(&mut h);
        wildcards.hash(&mut h);
        let name = format!("<value too long to compare #{:x}>", h.finish());
        return vec![Tok::Sym(Symbol::new(Kind::Any, name))];
    }
    let mut out = Vec::with_capacity(text.len_hint());
    for p in text.parts() {
        match p {
            Part::Lit(s) => out.extend(s.chars().map(|c| match c {
                '*' if wildcards => Tok::Star,
                '?' if wildcards => Tok::Quest,
                c => Tok::Ch(c),
            })),
            Part::Sym(s) => out.push(Tok::Sym(s.clone())),
        }
    }
    out
}

/// Tokens of a plain string (no wildcards).
/// Tokens as messages show them (symbols as `${NAME}`).
pub fn shown(toks: &[Tok]) -> String {
    toks.iter()
        .map(|t| match t {
            Tok::Ch(c) => c.to_string(),
            Tok::Star => "*".into(),
            Tok::Quest => "?".into(),
            Tok::Sym(s) => s.shown(),
        })
        .collect()
}

/// The text tokens stand for (`*` and `?` as the characters).
pub fn text_of(toks: &[Tok]) -> Text {
    let mut t = Text::default();
    for tok in toks {
        match tok {
            Tok::Ch(c) => t.push_str(c.encode_utf8(&mut [0; 4])),
            Tok::Star => t.push_str("*"),
            Tok::Quest => t.push_str("?"),
            Tok::Sym(s) => t.push_sym(s.clone()),
        }
    }
    t
}

pub fn lit_tokens(s: &str) -> Vec<Tok> {
    s.chars().map(Tok::Ch).collect()
}

/// Longer values are not compared (they are unknown).
const MAX_TOKENS: usize = 16 * 1024;

/// Above this many DP cells the answer is `Unknown` rather than slow.
const MAX_CELLS: usize = 4_000_000;

/// Does `pattern` match (cover) `subject`?
pub fn matches(pattern: &[Tok], subject: &[Tok], opts: MatchOpts) -> Truth {
    if opts.arn && pattern == [Tok::Star] {
        // IAM treats a lone `*` as every resource, colons included.
        return Truth::Yes;
    }
    let plain = |t: &[Tok]| t.iter().all(|x| matches!(x, Tok::Ch(_)));
    if plain(pattern) && plain(subject) {
        // The common case: two known strings without wildcards.
        let eq = pattern.len() == subject.len()
            && pattern.iter().zip(subject).all(|(a, b)| match (a, b) {
                (Tok::Ch(x), Tok::Ch(y)) => ch_eq(*x, *y, opts),
                _ => false,
            });
        return Truth::from_bool(eq);
    }
    // Literal characters at either end must meet literal characters of the subject one to one
    // (nothing else can consume them, nothing may be left over): compare those directly and
    // leave only the middle to the quadratic passes.
    let (mut pattern, mut subject) = (pattern, subject);
    while let ([Tok::Ch(a), p_rest @ ..], [Tok::Ch(b), s_rest @ ..]) = (pattern, subject) {
        if !ch_eq(*a, *b, opts) {
            return Truth::No;
        }
        (pattern, subject) = (p_rest, s_rest);
    }
    while let ([p_rest @ .., Tok::Ch(a)], [s_rest @ .., Tok::Ch(b)]) = (pattern, subject) {
        if !ch_eq(*a, *b, opts) {
            return Truth::No;
        }
        (pattern, subject) = (p_rest, s_rest);
    }
    if opts.arn && pattern == [Tok::Star] && !subject.iter().any(|t| matches!(t, Tok::Ch(':'))) {
        // What is left is one wildcard over a colon-free middle.
        if subject
            .iter()
            .all(|t| matches!(t, Tok::Ch(_) | Tok::Star | Tok::Quest))
        {
            return Truth::Yes;
        }
    }
    if (pattern.len() + 1).saturating_mul(subject.len() + 1) > MAX_CELLS {
        return Truth::Unknown;
    }
    if run(pattern, subject, opts, false) {
        Truth::Yes
    } else if run(pattern, subject, opts, true) {
        Truth::Unknown
    } else {
        Truth::No
    }
}

/// Equality of two texts (no wildcards on either side).
pub fn text_eq(a: &Text, b: &Text) -> Truth {
    tokens_eq(&tokens(a, false), &tokens(b, false))
}

/// [`text_eq`] of texts already tokenized without wildcards.
pub fn tokens_eq(a: &[Tok], b: &[Tok]) -> Truth {
    matches(a, b, MatchOpts::default())
}

fn ch_eq(a: char, b: char, opts: MatchOpts) -> bool {
    a == b
        || (opts.ignore_case
            && if a.is_ascii() && b.is_ascii() {
                a.eq_ignore_ascii_case(&b)
            } else {
                a.to_lowercase().eq(b.to_lowercase())
            })
}

fn kind_allows(k: Kind, c: char, opts: MatchOpts) -> bool {
    if opts.ignore_case {
        k.allows(c) || k.allows(c.to_ascii_lowercase()) || k.allows(c.to_ascii_uppercase())
    } else {
        k.allows(c)
    }
}

/// One DP pass. `permissive` lets symbols stand for any value of their kind.
///
/// Cell `(i, j)` answers whether `p[i..]` covers `s[j..]`; it depends only on cells with a
/// larger `i + j`. Only the cells reachable from `(0, 0)` are computed, on demand: a pattern
/// of literals with a wildcard or two reaches a thin band of the table, not all of it.
fn run(p: &[Tok], s: &[Tok], opts: MatchOpts, permissive: bool) -> bool {
    let w = s.len() + 1;
    // 0: not computed yet; 1: false; 2: true.
    let mut cells = vec![0u8; (p.len() + 1) * w];
    let pass = Pass {
        w,
        p,
        s,
        opts,
        permissive,
    };
    if p.iter().filter(|t| !matches!(t, Tok::Ch(_))).count() > DENSE {
        // Many wildcards reach most of the table: compute all of it, each cell once, in an
        // order where what a cell needs is known before it.
        for i in (0..=p.len()).rev() {
            for j in (0..w).rev() {
                let v = pass.cell(&cells, i, j).unwrap_or(false);
                cells[i * w + j] = 1 + u8::from(v);
            }
        }
        return cells[0] == 2;
    }
    let mut todo = vec![(0usize, 0usize)];
    while let Some(&(i, j)) = todo.last() {
        if cells[i * w + j] != 0 {
            todo.pop();
            continue;
        }
        match pass.cell(&cells, i, j) {
            Ok(v) => {
                cells[i * w + j] = 1 + u8::from(v);
                todo.pop();
            }
            Err(needed) => todo.push(needed),
        }
    }
    cells[0] == 2
}

/// Above this many wildcards and symbols in a pattern, [`run`] computes the whole table.
const DENSE: usize = 8;

/// What one pass compares: the table's width, pattern, subject and options. A cell's answer,
/// from the cells computed so far, is `Err(cell)` while a cell it needs is not computed yet.
#[derive(Clone, Copy)]
struct Pass<'a> {
    w: usize,
    p: &'a [Tok],
    s: &'a [Tok],
    opts: MatchOpts,
    permissive: bool,
}

type Cell = Result<bool, (usize, usize)>;

impl Pass<'_> {
    #[inline(always)]
    fn d(&self, cells: &[u8], i: usize, j: usize) -> Cell {
        match cells[i * self.w + j] {
            0 => Err((i, j)),
            v => Ok(v == 2),
        }
    }

    #[inline(always)]
    fn cell(&self, cells: &[u8], i: usize, j: usize) -> Cell {
        let (p, s, permissive) = (self.p, self.s, self.permissive);
        if i == p.len() {
            return Ok(j == s.len()
                || (permissive
                    && s[j..]
                        .iter()
                        .all(|t| matches!(t, Tok::Sym(x) if x.kind.may_be_empty()))));
        }
        let pi = &p[i];
        // A subject symbol that may be empty can be skipped.
        let aligned = matches!((pi, s.get(j)), (Tok::Sym(a), Some(Tok::Sym(b))) if a == b);
        if permissive
            && !aligned
            && matches!(s.get(j), Some(Tok::Sym(x)) if x.kind.may_be_empty())
            && self.d(cells, i, j + 1)?
        {
            return Ok(true);
        }
        self.step(cells, i, j, pi)
    }

    #[inline(always)]
    fn step(&self, cells: &[u8], i: usize, j: usize, pi: &Tok) -> Cell {
        let (s, opts, permissive) = (self.s, self.opts, self.permissive);
        let m = s.len();
        let sj = s.get(j);
        Ok(match pi {
            Tok::Star => {
                if self.d(cells, i + 1, j)? {
                    return Ok(true);
                }
                let Some(t) = sj else { return Ok(false) };
                let absorbable = match t {
                    Tok::Ch(c) => !(opts.arn && *c == ':'),
                    Tok::Quest | Tok::Star => true,
                    Tok::Sym(x) => permissive || !(opts.arn && x.kind.allows(':')),
                };
                absorbable && self.d(cells, i, j + 1)?
            }
            Tok::Quest => match sj {
                Some(Tok::Ch(c)) => !(opts.arn && *c == ':') && self.d(cells, i + 1, j + 1)?,
                Some(Tok::Quest) => self.d(cells, i + 1, j + 1)?,
                Some(Tok::Sym(_)) if permissive => {
                    self.d(cells, i + 1, j)? || self.d(cells, i + 1, j + 1)?
                }
                _ => false,
            },
            Tok::Ch(c) => match sj {
                Some(Tok::Ch(x)) => ch_eq(*c, *x, opts) && self.d(cells, i + 1, j + 1)?,
                Some(Tok::Sym(x)) if permissive && kind_allows(x.kind, *c, opts) => {
                    self.d(cells, i + 1, j)? || self.d(cells, i + 1, j + 1)?
                }
                _ => false,
            },
            Tok::Sym(ps) => {
                if let Some(Tok::Sym(ss)) = sj
                    && ss == ps
                {
                    // The same value on both sides lines up with itself.
                    return self.d(cells, i + 1, j + 1);
                }
                if !permissive {
                    return Ok(false);
                }
                if ps.kind == Kind::Any {
                    // An unknown pattern part may be anything, wildcards included.
                    return Ok(self.d(cells, i + 1, j)? || (j < m && self.d(cells, i, j + 1)?));
                }
                match sj {
                    Some(Tok::Ch(c)) if kind_allows(ps.kind, *c, opts) => {
                        self.d(cells, i, j + 1)? || self.d(cells, i + 1, j + 1)?
                    }
                    Some(Tok::Sym(ss)) if ss.kind == Kind::Any || ss.kind == ps.kind => {
                        self.d(cells, i + 1, j + 1)?
                            || self.d(cells, i, j + 1)?
                            || self.d(cells, i + 1, j)?
                    }
                    _ => false,
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Symbol;

    fn t(s: &str) -> Text {
        // `{kind:name}` marks a symbol in test strings.
        let mut out = Text::default();
        let mut rest = s;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let j = rest[i..].find('}').unwrap() + i;
            let inner = &rest[i + 1..j];
            let (k, name) = inner.split_once(':').unwrap();
            let kind = match k {
                "acct" => Kind::Account,
                "region" => Kind::Region,
                "part" => Kind::Partition,
                "bucket" => Kind::Bucket,
                "org" => Kind::OrgId,
                "name" => Kind::TrailName,
                _ => Kind::Any,
            };
            out.push_sym(Symbol::new(kind, name));
            rest = &rest[j + 1..];
        }
        out.push_str(rest);
        out
    }

    fn arn() -> MatchOpts {
        MatchOpts {
            arn: true,
            ..Default::default()
        }
    }

    fn cover(p: &str, s: &str) -> Truth {
        let mut subject = tokens(&t(s), false);
        if subject.last() == Some(&Tok::Ch('*')) {
            subject.pop();
            subject.push(Tok::Star);
        }
        matches(&tokens(&t(p), true), &subject, arn())
    }

    #[test]
    fn literal_patterns() {
        assert_eq!(
            cover("arn:aws:s3:::b/*", "arn:aws:s3:::b/AWSLogs/1/*"),
            Truth::Yes
        );
        assert_eq!(
            cover("arn:aws:s3:::b", "arn:aws:s3:::b/AWSLogs/1/*"),
            Truth::No
        );
        assert_eq!(
            cover("arn:aws:s3:::b/AWSLogs/1/x", "arn:aws:s3:::b/AWSLogs/1/*"),
            Truth::No
        );
        assert_eq!(
            cover("arn:aws:s3:::b/AWSLogs/*/*", "arn:aws:s3:::b/AWSLogs/1/*"),
            Truth::Yes
        );
        assert_eq!(cover("*", "arn:aws:s3:::b/AWSLogs/1/*"), Truth::Yes);
        // `*` never crosses `:` in an ARN.
        assert_eq!(cover("arn:*:b", "arn:aws:s3:::b"), Truth::No);
        assert_eq!(cover("arn:aws:s3:::b?", "arn:aws:s3:::bx"), Truth::Yes);
    }

    #[test]
    fn symbols_match_themselves_and_are_unknown_otherwise() {
        let s = "arn:{part:P}:s3:::{bucket:B}/AWSLogs/{acct:A}/*";
        assert_eq!(cover("arn:{part:P}:s3:::{bucket:B}/*", s), Truth::Yes);
        assert_eq!(cover("arn:aws:s3:::logs/*", s), Truth::Unknown);
        assert_eq!(
            cover("arn:aws:s3:::logs/AWSLogs/111111111111/*", s),
            Truth::Unknown
        );
        // An account is digits: a name can never be it.
        assert_eq!(cover("arn:aws:s3:::logs/AWSLogs/abc/*", s), Truth::No);
        // Known parts decide: a different trail name can never match.
        assert_eq!(
            text_eq(
                &t("arn:{part:P}:cloudtrail:{region:R}:{acct:A}:trail/audit-trail"),
                &t("arn:aws:cloudtrail:us-east-1:{any:x}:trail/security-trail")
            ),
            Truth::No
        );
        // A user variable may be anything.
        assert_eq!(cover("{any:v}", s), Truth::Unknown);
        // …but it is the same value wherever it stands.
        assert_eq!(
            cover(
                "arn:aws:s3:::{any:b}/AWSLogs/*",
                "arn:aws:s3:::{any:b}/logs/AWSLogs/1/*"
            ),
            Truth::No
        );
        assert_eq!(
            cover("arn:aws:s3:::{any:v}/*", "arn:aws:s3:::b/AWSLogs/1/*"),
            Truth::Unknown
        );
    }

    #[test]
    fn string_equals_is_literal() {
        let subject = tokens(
            &t("arn:{part:P}:cloudtrail:{region:R}:{acct:A}:trail/{name:N}"),
            false,
        );
        let lit = |p: &str| matches(&tokens(&t(p), false), &subject, MatchOpts::default());
        let like = |p: &str| matches(&tokens(&t(p), true), &subject, MatchOpts::default());
        assert_eq!(lit("arn:aws:cloudtrail:*:111111111111:trail/*"), Truth::No);
        assert_eq!(
            like("arn:aws:cloudtrail:*:111111111111:trail/*"),
            Truth::Unknown
        );
        assert_eq!(
            lit("arn:aws:cloudtrail:us-east-1:111111111111:trail/t"),
            Truth::Unknown
        );
        assert_eq!(
            like("arn:{part:P}:cloudtrail:*:{acct:A}:trail/*"),
            Truth::Yes
        );
    }

    #[test]
    fn ignore_case() {
        let o = MatchOpts {
            ignore_case: true,
            ..Default::default()
        };
        assert_eq!(
            matches(&tokens(&t("S3:put*"), true), &lit_tokens("s3:PutObject"), o),
            Truth::Yes
        );
        assert_eq!(
            matches(&tokens(&t("s3:put*"), true), &lit_tokens("s3:GetObject"), o),
            Truth::No
        );
    }

    /// The answer without the literal-ends shortcut or the on-demand table: both passes over
    /// the whole table.
    fn reference(p: &[Tok], s: &[Tok], opts: MatchOpts) -> Truth {
        if opts.arn && p == [Tok::Star] {
            return Truth::Yes;
        }
        if run_table(p, s, opts, false) {
            Truth::Yes
        } else if run_table(p, s, opts, true) {
            Truth::Unknown
        } else {
            Truth::No
        }
    }

    /// One DP pass over the whole table, bottom-up: the oracle for [`run`].
    fn run_table(p: &[Tok], s: &[Tok], opts: MatchOpts, permissive: bool) -> bool {
        let (n, m) = (p.len(), s.len());
        let w = m + 1;
        let mut dp = vec![false; (n + 1) * w];
        let at = |i: usize, j: usize| i * w + j;
        for i in (0..=n).rev() {
            for j in (0..=m).rev() {
                let v = if i == n {
                    j == m
                        || (permissive
                            && s[j..]
                                .iter()
                                .all(|t| matches!(t, Tok::Sym(x) if x.kind.may_be_empty())))
                } else {
                    let pi = &p[i];
                    let mut r = false;
                    // A subject symbol that may be empty can be skipped.
                    let aligned =
                        matches!((pi, s.get(j)), (Tok::Sym(a), Some(Tok::Sym(b))) if a == b);
                    if permissive
                        && !aligned
                        && j < m
                        && matches!(&s[j], Tok::Sym(x) if x.kind.may_be_empty())
                        && dp[at(i, j + 1)]
                    {
                        r = true;
                    }
                    if !r {
                        r = step(p, s, i, j, pi, opts, permissive, &dp, w);
                    }
                    r
                };
                dp[at(i, j)] = v;
            }
        }
        dp[0]
    }

    #[allow(clippy::too_many_arguments)]
    fn step(
        _p: &[Tok],
        s: &[Tok],
        i: usize,
        j: usize,
        pi: &Tok,
        opts: MatchOpts,
        permissive: bool,
        dp: &[bool],
        w: usize,
    ) -> bool {
        let m = s.len();
        let d = |a: usize, b: usize| dp[a * w + b];
        let sj = s.get(j);
        match pi {
            Tok::Star => {
                if d(i + 1, j) {
                    return true;
                }
                let Some(t) = sj else { return false };
                let absorbable = match t {
                    Tok::Ch(c) => !(opts.arn && *c == ':'),
                    Tok::Quest | Tok::Star => true,
                    Tok::Sym(x) => permissive || !(opts.arn && x.kind.allows(':')),
                };
                absorbable && d(i, j + 1)
            }
            Tok::Quest => match sj {
                Some(Tok::Ch(c)) => !(opts.arn && *c == ':') && d(i + 1, j + 1),
                Some(Tok::Quest) => d(i + 1, j + 1),
                Some(Tok::Sym(_)) if permissive => d(i + 1, j) || d(i + 1, j + 1),
                _ => false,
            },
            Tok::Ch(c) => match sj {
                Some(Tok::Ch(x)) => ch_eq(*c, *x, opts) && d(i + 1, j + 1),
                Some(Tok::Sym(x)) if permissive && kind_allows(x.kind, *c, opts) => {
                    d(i + 1, j) || d(i + 1, j + 1)
                }
                _ => false,
            },
            Tok::Sym(ps) => {
                if let Some(Tok::Sym(ss)) = sj
                    && ss == ps
                {
                    // The same value on both sides lines up with itself.
                    return d(i + 1, j + 1);
                }
                if !permissive {
                    return false;
                }
                if ps.kind == Kind::Any {
                    // An unknown pattern part may be anything, wildcards included.
                    return d(i + 1, j) || (j < m && d(i, j + 1));
                }
                match sj {
                    Some(Tok::Ch(c)) if kind_allows(ps.kind, *c, opts) => {
                        d(i, j + 1) || d(i + 1, j + 1)
                    }
                    Some(Tok::Sym(ss)) if ss.kind == Kind::Any || ss.kind == ps.kind => {
                        d(i + 1, j + 1) || d(i, j + 1) || d(i + 1, j)
                    }
                    _ => false,
                }
            }
        }
    }

    /// Random token strings (`wild`: with wildcards) of fewer than `max` tokens, from a seed.
    fn generator(mut seed: u64) -> impl FnMut(u64, bool) -> Vec<Tok> {
        let syms = [
            Symbol::new(Kind::Account, "a"),
            Symbol::new(Kind::Any, "x"),
            Symbol::new(Kind::Region, "r"),
            Symbol::new(Kind::Bucket, "b"),
        ];
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        move |max, wild| {
            (0..next(max))
                .map(|_| match next(if wild { 10 } else { 8 }) {
                    0 | 1 => Tok::Ch('a'),
                    2 => Tok::Ch('B'),
                    3 => Tok::Ch(':'),
                    4 => Tok::Ch('1'),
                    5 => Tok::Ch('-'),
                    6 | 7 => Tok::Sym(syms[next(4) as usize].clone()),
                    8 => Tok::Star,
                    _ => Tok::Quest,
                })
                .collect()
        }
    }

    #[test]
    fn trimming_literal_ends_changes_no_answer() {
        let mut make = generator(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let p = make(7, true);
            let s = make(7, p.len().is_multiple_of(2));
            for opts in [
                MatchOpts::default(),
                arn(),
                MatchOpts {
                    ignore_case: true,
                    arn: false,
                },
            ] {
                assert_eq!(
                    matches(&p, &s, opts),
                    reference(&p, &s, opts),
                    "{p:?} / {s:?} / {opts:?}"
                );
            }
        }
    }

    #[test]
    fn the_on_demand_table_answers_as_the_whole_table() {
        let mut make = generator(0x9e37_79b9_7f4a_7c15);
        for _ in 0..30_000 {
            let p = make(15, true);
            let s = make(15, !p.len().is_multiple_of(3));
            for opts in [MatchOpts::default(), arn()] {
                for permissive in [false, true] {
                    assert_eq!(
                        run(&p, &s, opts, permissive),
                        run_table(&p, &s, opts, permissive),
                        "{p:?} / {s:?} / {opts:?} / {permissive}"
                    );
                }
            }
        }
    }
}
