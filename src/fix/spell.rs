//! Values written with the symbols the file already uses: a value the rules know as
//! `arn:${partition}:s3:::${bucket}/AWSLogs/${account}/*` is spelled from the interpolations
//! the policy's own strings use for the same symbols (`${data.aws_caller_identity.current.account_id}`,
//! `${AWS::AccountId}`), never from a guess.

use crate::source::FileId;
use crate::value::{Part, Symbol, Text};

/// How a file spells symbols inside strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// Terraform strings (and files `templatefile()` reads): `${expression}`.
    Terraform,
    /// CloudFormation `Fn::Sub`: `${Name}`, `${Resource.Attribute}`.
    CloudFormation,
    /// A policy as AWS returns it, a plan: literals only.
    Plain,
}

/// One piece of a spelled string: literal text (still to be escaped for the string it goes
/// in) or an interpolation written as the file writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Lit(String),
    Raw(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Atom {
    Ch(char),
    Sym(Symbol),
}

fn atoms(t: &Text) -> Vec<Atom> {
    let mut out = vec![];
    for p in t.parts() {
        match p {
            Part::Lit(s) => out.extend(s.chars().map(Atom::Ch)),
            Part::Sym(s) => out.push(Atom::Sym(s.clone())),
        }
    }
    out
}

#[derive(Debug)]
enum Piece {
    Lit(String),
    Interp(String),
}

/// Spells values in one file from the interpolations its known values use.
#[derive(Debug)]
pub struct Speller {
    dialect: Dialect,
    file: FileId,
    /// A run of a known value and the interpolation that wrote it.
    entries: Vec<(Vec<Atom>, String)>,
    /// Symbols the file's module names directly (a Terraform provider's account, Region and
    /// partition through its data sources).
    named: std::sync::Arc<Vec<(String, String)>>,
}

/// Longest value aligned (atoms), to keep backtracking small.
const MAX_ATOMS: usize = 400;

impl Speller {
    /// `known`: the raw text of values in the file with what they evaluated to.
    pub fn new(dialect: Dialect, file: FileId, known: &[(&str, &Text)]) -> Speller {
        let mut entries: Vec<(Vec<Atom>, String)> = vec![];
        for (raw, text) in known {
            let Some(pieces) = pieces_of(raw, dialect) else {
                continue;
            };
            let a = atoms(text);
            if a.len() > MAX_ATOMS {
                continue;
            }
            let mut found = vec![];
            if align(&pieces, &a, 0, 0, &mut found) {
                for (frag, raw) in found {
                    let useful = frag.iter().any(|x| matches!(x, Atom::Sym(_))) || frag.len() >= 3;
                    if useful && !entries.iter().any(|(f, r)| *f == frag && *r == raw) {
                        entries.push((frag, raw));
                    }
                }
            }
        }
        // Longest runs first; ties keep the file's first spelling.
        entries.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
        Speller {
            dialect,
            file,
            entries,
            named: Default::default(),
        }
    }

    /// Adds spellings of whole symbols (by symbol name).
    pub fn naming(mut self, named: std::sync::Arc<Vec<(String, String)>>) -> Speller {
        self.named = named;
        self
    }

    /// The value as string pieces, or `None` when one of its symbols has no spelling here (or
    /// a literal would read as an interpolation).
    pub fn spell(&self, t: &Text) -> Option<Vec<Seg>> {
        let a = atoms(t);
        let mut out: Vec<Seg> = vec![];
        let mut lit = String::new();
        let mut i = 0;
        while i < a.len() {
            if let Some((frag, raw)) = self
                .entries
                .iter()
                .find(|(f, _)| a.len() - i >= f.len() && a[i..i + f.len()] == f[..])
            {
                if !lit.is_empty() {
                    out.push(Seg::Lit(std::mem::take(&mut lit)));
                }
                out.push(Seg::Raw(raw.clone()));
                i += frag.len();
                continue;
            }
            match &a[i] {
                Atom::Ch(c) => lit.push(*c),
                Atom::Sym(s) => {
                    if !lit.is_empty() {
                        out.push(Seg::Lit(std::mem::take(&mut lit)));
                    }
                    out.push(Seg::Raw(self.fallback(s)?));
                }
            }
            i += 1;
        }
        if !lit.is_empty() {
            out.push(Seg::Lit(lit));
        }
        let literal_interpolation = out.iter().any(|s| match s {
            Seg::Lit(l) => l.contains("${") || l.contains("%{"),
            Seg::Raw(_) => false,
        });
        (!literal_interpolation).then_some(out)
    }

    /// A CloudFormation symbol of this template that `Fn::Sub` names directly: a parameter or
    /// pseudo parameter, a resource (`Ref`), a bucket's name, an ARN attribute.
    fn fallback(&self, s: &Symbol) -> Option<String> {
        if let Some((_, raw)) = self.named.iter().find(|(n, _)| **n == *s.name) {
            return Some(raw.clone());
        }
        if self.dialect != Dialect::CloudFormation || s.scope != self.file + 1 {
            return None;
        }
        let name: &str = &s.name;
        let name = name.strip_suffix(".BucketName").unwrap_or(name);
        let ok = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric());
        let valid = match name.split_once('.') {
            None => ok(name),
            Some(("AWS", rest)) => ok(rest.trim_start_matches(':')),
            Some((id, "Arn")) => ok(id),
            Some(_) => false,
        } || name.strip_prefix("AWS::").is_some_and(ok);
        valid.then(|| format!("${{{name}}}"))
    }
}

/// Aligns a string's pieces with the atoms of its value, recording what each interpolation
/// stands for.
fn align(
    pieces: &[Piece],
    a: &[Atom],
    pi: usize,
    ai: usize,
    found: &mut Vec<(Vec<Atom>, String)>,
) -> bool {
    let Some(piece) = pieces.get(pi) else {
        return ai == a.len();
    };
    match piece {
        Piece::Lit(l) => {
            let mut j = ai;
            for c in l.chars() {
                if a.get(j) != Some(&Atom::Ch(c)) {
                    return false;
                }
                j += 1;
            }
            align(pieces, a, pi + 1, j, found)
        }
        Piece::Interp(raw) => {
            for end in ai + 1..=a.len() {
                let mark = found.len();
                if align(pieces, a, pi + 1, end, found) {
                    found.push((a[ai..end].to_vec(), raw.clone()));
                    return true;
                }
                found.truncate(mark);
            }
            false
        }
    }
}

/// The pieces of a value's source text: literal runs and interpolations.
fn pieces_of(raw: &str, dialect: Dialect) -> Option<Vec<Piece>> {
    let raw = raw.trim();
    match dialect {
        Dialect::Plain => None,
        Dialect::Terraform => {
            if let Some(content) = quoted_content(raw) {
                template(&content, Dialect::Terraform)
            } else if !raw.contains('\n') && !raw.is_empty() && !raw.starts_with(['[', '{']) {
                // A bare expression: the whole value.
                Some(vec![Piece::Interp(format!("${{{raw}}}"))])
            } else {
                None
            }
        }
        Dialect::CloudFormation => {
            let (tag, rest) = cfn_function(raw)?;
            match tag {
                "Sub" => template(&yaml_scalar(rest)?, Dialect::CloudFormation),
                "Ref" | "GetAtt" => {
                    let name = yaml_scalar(rest)?;
                    let ok = name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == ':');
                    (ok && !name.is_empty()).then(|| vec![Piece::Interp(format!("${{{name}}}"))])
                }
                _ => Some(vec![Piece::Lit(yaml_scalar(raw)?)]),
            }
        }
    }
}

/// `!Sub x`, `{"Fn::Sub": x}`, `Fn::Sub: x`, `!Ref X`, `{"Ref": "X"}`: the function and its
/// argument text; `("", raw)` for a literal.
fn cfn_function(raw: &str) -> Option<(&'static str, &str)> {
    for (short, name) in [("!Sub", "Sub"), ("!Ref", "Ref"), ("!GetAtt", "GetAtt")] {
        if let Some(rest) = raw.strip_prefix(short)
            && rest.starts_with([' ', '\t'])
        {
            return Some((name, rest.trim()));
        }
    }
    let inner = raw
        .strip_prefix('{')
        .and_then(|r| r.strip_suffix('}'))
        .unwrap_or(raw)
        .trim();
    for (long, name) in [("Fn::Sub", "Sub"), ("Ref", "Ref")] {
        for key in [format!("\"{long}\""), long.to_string()] {
            if let Some(rest) = inner.strip_prefix(key.as_str()) {
                let rest = rest.trim_start().strip_prefix(':')?.trim();
                return Some((name, rest));
            }
        }
    }
    if raw.starts_with(['{', '[', '!']) || raw.contains('\n') {
        return None;
    }
    Some(("", raw))
}

/// A YAML (or JSON) scalar's value: quoted or plain, on one line.
fn yaml_scalar(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.contains('\n') {
        return None;
    }
    if raw.starts_with('"') {
        return serde_json::from_str(raw).ok();
    }
    if let Some(inner) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        return Some(inner.replace("''", "'"));
    }
    (!raw.starts_with(['[', '{', '!', '&', '*', '|', '>'])).then(|| raw.to_string())
}

/// The text between a string's quotes, unescaped: `"…"` or, inside another string, `\"…\"`.
fn quoted_content(raw: &str) -> Option<String> {
    let inner = if let Some(r) = raw.strip_prefix("\\\"") {
        r.strip_suffix("\\\"")?
    } else {
        raw.strip_prefix('"')?.strip_suffix('"')?
    };
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                '\\' => {
                    // `\\\"` inside another string stands for one quote.
                    out.push('\\');
                }
                c => out.push(c),
            }
        } else {
            out.push(c);
        }
    }
    // What stood for a quote inside another string.
    Some(out.replace("\\\"", "\"").replace("\\\\", "\\"))
}

/// Splits a string's content into literal runs and `${…}` interpolations (`None` for a
/// template directive).
fn template(s: &str, dialect: Dialect) -> Option<Vec<Piece>> {
    let mut out = vec![];
    let mut lit = String::new();
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if dialect == Dialect::Terraform && (rest.starts_with("$${") || rest.starts_with("%%{")) {
            lit.push_str(&rest[1..3]);
            i += 3;
            continue;
        }
        if dialect == Dialect::CloudFormation && rest.starts_with("${!") {
            lit.push_str("${");
            i += 3;
            continue;
        }
        if dialect == Dialect::Terraform && rest.starts_with("%{") {
            return None;
        }
        if let Some(body) = rest.strip_prefix("${") {
            let close = crate::frontend::json_nodes::closing_brace(body)? + 2;
            if !lit.is_empty() {
                out.push(Piece::Lit(std::mem::take(&mut lit)));
            }
            out.push(Piece::Interp(rest[..=close].to_string()));
            i += close + 1;
            continue;
        }
        let c = rest.chars().next()?;
        lit.push(c);
        i += c.len_utf8();
    }
    if !lit.is_empty() {
        out.push(Piece::Lit(lit));
    }
    Some(out)
}

/// `${data.aws_region.NAME.name}` and the like for the data sources of the default provider
/// a root module's `.tf` files declare (`texts`), by the symbols they evaluate to (`DIR#aws.region`).
pub fn provider_spellings<'a>(
    dir: &str,
    texts: impl Iterator<Item = &'a str>,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![];
    for text in texts {
        for (ty, what, attr) in [
            ("aws_region", "region", "name"),
            ("aws_caller_identity", "account_id", "account_id"),
            ("aws_partition", "partition", "partition"),
        ] {
            let symbol = format!("{dir}#aws.{what}");
            if out.iter().any(|(s, _)| *s == symbol) {
                continue;
            }
            let head = format!("data \"{ty}\" \"");
            for (i, _) in text.match_indices(&head) {
                let at_line_start = text[..i].ends_with('\n') || i == 0;
                let rest = &text[i + head.len()..];
                let Some((name, body)) = rest.split_once('"') else {
                    continue;
                };
                let body = body.trim_start();
                let Some(end) = body
                    .strip_prefix('{')
                    .and_then(crate::frontend::json_nodes::closing_brace)
                else {
                    continue;
                };
                let plain = name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                // Another provider's data source tells another account or Region.
                if at_line_start && plain && !body[..end].contains("provider") {
                    let attr = if ty == "aws_region"
                        && text.contains(&format!("data.aws_region.{name}.region"))
                    {
                        "region"
                    } else {
                        attr
                    };
                    out.push((symbol.clone(), format!("${{data.{ty}.{name}.{attr}}}")));
                    break;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Kind;

    fn sym(kind: Kind, name: &str) -> Text {
        Text::sym(Symbol::new(kind, name))
    }

    fn arn(bucket: &Text, rest: &str, account: &Text) -> Text {
        let mut t = Text::lit("arn:aws:s3:::");
        t.push_text(bucket);
        t.push_str(rest);
        t.push_text(account);
        t.push_str("/*");
        t
    }

    #[test]
    fn terraform_interpolations_spell_the_same_symbols() {
        let b = sym(Kind::Bucket, "m#aws_s3_bucket.logs.id");
        let acct = sym(Kind::Account, "m#aws.account_id");
        let known = arn(&b, "/AWSLogs/", &acct);
        let raw = r#""arn:aws:s3:::${aws_s3_bucket.logs.id}/AWSLogs/${data.aws_caller_identity.current.account_id}/*""#;
        let sp = Speller::new(Dialect::Terraform, 0, &[(raw, &known)]);
        let want = arn(&b, "/prod/AWSLogs/", &acct);
        assert_eq!(
            sp.spell(&want).unwrap(),
            vec![
                Seg::Lit("arn:aws:s3:::".into()),
                Seg::Raw("${aws_s3_bucket.logs.id}".into()),
                Seg::Lit("/prod/AWSLogs/".into()),
                Seg::Raw("${data.aws_caller_identity.current.account_id}".into()),
                Seg::Lit("/*".into()),
            ]
        );
        // A symbol no string of the file spells: no spelling.
        let other = arn(&b, "/x/", &sym(Kind::Account, "m#var.other"));
        assert_eq!(sp.spell(&other), None);
    }

    #[test]
    fn a_bare_expression_spells_its_whole_value() {
        let b = sym(Kind::Bucket, "m#aws_s3_bucket.logs.id");
        let mut bucket_arn = Text::lit("arn:aws:s3:::");
        bucket_arn.push_text(&b);
        let sp = Speller::new(
            Dialect::Terraform,
            0,
            &[("aws_s3_bucket.logs.arn", &bucket_arn)],
        );
        let mut want = bucket_arn.clone();
        want.push_str("/AWSLogs/123456789012/*");
        assert_eq!(
            sp.spell(&want).unwrap(),
            vec![
                Seg::Raw("${aws_s3_bucket.logs.arn}".into()),
                Seg::Lit("/AWSLogs/123456789012/*".into())
            ]
        );
    }

    #[test]
    fn cloudformation_names_its_own_symbols() {
        let acct = Text::sym(Symbol::scoped(Kind::Account, "AWS::AccountId", 3));
        let bucket = Text::sym(Symbol::scoped(Kind::Bucket, "Logs.BucketName", 3));
        let sp = Speller::new(Dialect::CloudFormation, 2, &[]);
        let mut t = Text::lit("arn:aws:s3:::");
        t.push_text(&bucket);
        t.push_str("/AWSLogs/");
        t.push_text(&acct);
        let segs = sp.spell(&t).unwrap();
        assert_eq!(segs[1], Seg::Raw("${Logs}".into()));
        assert_eq!(segs[3], Seg::Raw("${AWS::AccountId}".into()));
        // Another template's symbol is not this one's.
        let foreign = Text::sym(Symbol::scoped(Kind::Account, "AWS::AccountId", 9));
        assert_eq!(sp.spell(&foreign), None);
        // An attribute Fn::Sub cannot name.
        let name = Text::sym(Symbol::scoped(Kind::TrailName, "Trail.TrailName", 3));
        assert_eq!(sp.spell(&name), None);
    }

    #[test]
    fn sub_strings_are_read_in_each_form() {
        let acct = Text::sym(Symbol::scoped(Kind::Account, "Acct", 1));
        let mut known = Text::lit("arn:aws:s3:::b/AWSLogs/");
        known.push_text(&acct);
        for raw in [
            r#"!Sub "arn:aws:s3:::b/AWSLogs/${AccountParam}""#,
            "!Sub arn:aws:s3:::b/AWSLogs/${AccountParam}",
            r#"{"Fn::Sub": "arn:aws:s3:::b/AWSLogs/${AccountParam}"}"#,
        ] {
            let sp = Speller::new(Dialect::CloudFormation, 5, &[(raw, &known)]);
            assert_eq!(
                sp.spell(&acct).unwrap(),
                vec![Seg::Raw("${AccountParam}".into())],
                "{raw}"
            );
        }
    }

    #[test]
    fn literals_that_read_as_interpolations_are_refused() {
        let sp = Speller::new(Dialect::Terraform, 0, &[]);
        assert_eq!(sp.spell(&Text::lit("a${b}")), None);
        assert_eq!(
            sp.spell(&Text::lit("plain")).unwrap(),
            vec![Seg::Lit("plain".into())]
        );
    }
}
