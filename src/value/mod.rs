//! Values as the frontends produce them: known strings, typed symbols standing for values that
//! only exist at deploy time, templates mixing both, and the JSON-like trees policies are made of.
//! Every tree node carries the span of the text it came from. [`glob`] matches such values
//! against IAM wildcard patterns, answering in [`Truth`] when symbols leave it open.

pub mod glob;
pub mod truth;

pub use truth::Truth;

use crate::source::Span;
use std::fmt;
use std::sync::Arc;

/// What AWS says a symbol can be. Values of different kinds never match; `Any` is a user's
/// variable, parameter or module input, which may equal anything (even a wildcard pattern).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Any,
    /// A 12-digit AWS account ID.
    Account,
    /// An AWS Organizations ID, `o-` and 10 to 32 lowercase letters or digits.
    OrgId,
    /// A Region name such as `us-east-1`.
    Region,
    /// A partition such as `aws`, `aws-cn`, `aws-us-gov`.
    Partition,
    /// An S3 bucket name.
    Bucket,
    /// A KMS key ID (a UUID or `mrk-…`).
    KeyId,
    /// A CloudTrail trail name.
    TrailName,
    /// The legacy per-Region CloudTrail account of a Region (Terraform's
    /// `data.aws_cloudtrail_service_account`): 12 digits.
    LegacyCloudTrailAccount,
}

impl Kind {
    /// Whether a value of this kind may hold the character `c`.
    pub fn allows(self, c: char) -> bool {
        match self {
            Kind::Any => true,
            Kind::Account | Kind::LegacyCloudTrailAccount => c.is_ascii_digit(),
            Kind::OrgId | Kind::Region | Kind::KeyId => {
                c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
            }
            Kind::Partition => c.is_ascii_lowercase() || c == '-',
            Kind::Bucket => c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.',
            Kind::TrailName => c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'),
        }
    }

    /// Whether a value of this kind may be the empty string.
    pub fn may_be_empty(self) -> bool {
        self == Kind::Any
    }
}

/// A named unknown value. The same symbol equals itself.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol {
    pub kind: Kind,
    pub name: Arc<str>,
    /// Where the name means something: 0 for the whole scan (`AWS::AccountId`), else one file
    /// (a template's `${bucket}` is not another template's).
    pub scope: u32,
}

impl Symbol {
    pub fn new(kind: Kind, name: impl Into<Arc<str>>) -> Symbol {
        Symbol {
            kind,
            name: name.into(),
            scope: 0,
        }
    }

    pub fn scoped(kind: Kind, name: impl Into<Arc<str>>, scope: u32) -> Symbol {
        Symbol {
            kind,
            name: name.into(),
            scope,
        }
    }

    /// The symbol as messages show it: `${NAME}` (a Terraform symbol is named
    /// `DIR#ADDRESS`: the address).
    pub fn shown(&self) -> String {
        // A Terraform provider's account, Region or partition (no syntax names them): `<region>`.
        let address = self.name.rsplit('#').next().unwrap_or(&self.name);
        if let Some(rest) = address.strip_prefix("aws")
            && let Some((alias, what)) = rest.rsplit_once('.')
            && (alias.is_empty() || alias.starts_with('['))
            && matches!(what, "partition" | "region" | "account_id")
        {
            return format!("<{what}>");
        }
        // Placeholders and fill-in tokens are shown as written.
        const AS_WRITTEN: [&str; 7] = ["${", "{{", "<", "[", "__", "%", "@"];
        if AS_WRITTEN.iter().any(|p| self.name.starts_with(p)) {
            self.name.to_string()
        } else {
            // `each.key@997`: the offset only tells iterations apart.
            let address = match address.rsplit_once('@') {
                Some((a, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => a,
                _ => address,
            };
            // A CloudFormation bucket's unnamed name is what `!Ref Bucket` (`${Bucket}`) gives.
            let name = address
                .strip_suffix(".BucketName")
                .filter(|id| !id.contains('.'))
                .unwrap_or(address);
            format!("${{{name}}}")
        }
    }
}

/// A piece of a [`Text`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    Lit(String),
    Sym(Symbol),
}

/// A string value, possibly with unknown parts: `arn:${AWS::Partition}:s3:::logs/*`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Text {
    parts: smallvec::SmallVec<[Part; 1]>,
}

impl Text {
    pub fn lit(s: impl Into<String>) -> Text {
        let s = s.into();
        if s.is_empty() {
            return Text::default();
        }
        Text {
            parts: smallvec::smallvec![Part::Lit(s)],
        }
    }

    pub fn sym(sym: Symbol) -> Text {
        Text {
            parts: smallvec::smallvec![Part::Sym(sym)],
        }
    }

    /// A fully unknown value of no kind.
    pub fn unknown(name: impl Into<Arc<str>>) -> Text {
        Text::sym(Symbol::new(Kind::Any, name))
    }

    /// The text itself when it is one literal (or empty), without copying it; else the text.
    pub fn into_literal(self) -> Result<String, Text> {
        let mut parts = self.parts;
        match (parts.len(), parts.pop()) {
            (0, _) => Ok(String::new()),
            (1, Some(Part::Lit(s))) => Ok(s),
            (_, last) => {
                parts.extend(last);
                Err(Text { parts })
            }
        }
    }

    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    pub fn push_str(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if let Some(Part::Lit(last)) = self.parts.last_mut() {
            last.push_str(s);
        } else {
            self.parts.push(Part::Lit(s.to_string()));
        }
    }

    pub fn push_sym(&mut self, sym: Symbol) {
        self.parts.push(Part::Sym(sym));
    }

    pub fn push_text(&mut self, other: &Text) {
        for p in &other.parts {
            match p {
                Part::Lit(s) => self.push_str(s),
                Part::Sym(s) => self.push_sym(s.clone()),
            }
        }
    }

    /// The string, when every part is known.
    pub fn as_str(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [] => Some(""),
            [Part::Lit(s)] => Some(s),
            _ => None,
        }
    }

    /// Certain equality whatever the unknown parts stand for: the same literal text and the
    /// same symbols in the same places (parts are kept merged, so this is structural equality).
    /// It agrees with `glob::text_eq(a, b).is_yes()`.
    pub fn certainly_eq(&self, other: &Text) -> bool {
        self == other
    }

    pub fn is_known(&self) -> bool {
        self.as_str().is_some()
    }

    pub fn has_symbols(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Sym(_)))
    }

    /// The known text before the first symbol.
    pub fn known_prefix(&self) -> &str {
        match self.parts.first() {
            Some(Part::Lit(s)) => s,
            _ => "",
        }
    }

    /// Splits at every literal occurrence of `sep` (symbols never split).
    pub fn split(&self, sep: char) -> Vec<Text> {
        let mut out = vec![Text::default()];
        for p in &self.parts {
            match p {
                Part::Lit(s) => {
                    let mut first = true;
                    for piece in s.split(sep) {
                        if !first {
                            out.push(Text::default());
                        }
                        first = false;
                        out.last_mut().expect("non-empty").push_str(piece);
                    }
                }
                Part::Sym(s) => out.last_mut().expect("non-empty").push_sym(s.clone()),
            }
        }
        out
    }

    /// Lowercases the known parts.
    pub fn to_lowercase(&self) -> Text {
        let mut t = Text::default();
        for p in &self.parts {
            match p {
                Part::Lit(s) => t.push_str(&s.to_lowercase()),
                Part::Sym(s) => t.push_sym(s.clone()),
            }
        }
        t
    }

    pub fn len_hint(&self) -> usize {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Lit(s) => s.len(),
                Part::Sym(_) => 1,
            })
            .sum()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.parts {
            match p {
                Part::Lit(s) => f.write_str(s)?,
                Part::Sym(s) => f.write_str(&s.shown())?,
            }
        }
        Ok(())
    }
}

/// A node of a policy-shaped tree (JSON, `jsonencode(…)`, a CloudFormation mapping).
#[derive(Clone, Debug)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
}

#[derive(Clone, Debug)]
pub enum NodeKind {
    Str(Text),
    Bool(bool),
    Num(String),
    Null,
    List(Vec<Node>),
    Map(Vec<Entry>),
    /// A value the frontend could not evaluate (an unknown list, a function we do not model).
    Unknown,
    /// A JSON-encoded document (`jsonencode(…)`, a policy document data source's `json`, a file
    /// read by `file()`) whose tree is kept, with the span of its policy-level text.
    Doc(Box<Node>),
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    pub fn new(span: Span, kind: NodeKind) -> Node {
        Node { span, kind }
    }

    pub fn get(&self, key: &str) -> Option<&Entry> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// Structural equality of two evaluated values (spans ignored).
    pub fn same_value(&self, other: &Node) -> bool {
        match (&self.kind, &other.kind) {
            (NodeKind::Str(x), NodeKind::Str(y)) => x == y,
            (NodeKind::Bool(x), NodeKind::Bool(y)) => x == y,
            (NodeKind::Num(x), NodeKind::Num(y)) => x == y,
            (NodeKind::Null, NodeKind::Null) => true,
            (NodeKind::List(x), NodeKind::List(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(a, b)| a.same_value(b))
            }
            (NodeKind::Map(x), NodeKind::Map(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .zip(y)
                        .all(|(a, b)| a.key == b.key && a.value.same_value(&b.value))
            }
            (NodeKind::Doc(x), NodeKind::Doc(y)) => x.same_value(y),
            _ => false,
        }
    }

    /// Null, an empty list or map, or the empty string.
    pub fn is_empty_value(&self) -> bool {
        match &self.kind {
            NodeKind::Null => true,
            NodeKind::List(l) => l.is_empty(),
            NodeKind::Map(m) => m.is_empty(),
            NodeKind::Str(t) => t.as_str() == Some(""),
            _ => false,
        }
    }

    /// A scalar as text: strings as they are, booleans and numbers as JSON writes them.
    /// Every scalar text in the value (at most `limit`).
    pub fn scalar_texts(&self, limit: usize, out: &mut Vec<Text>) {
        if out.len() >= limit {
            return;
        }
        match &self.kind {
            NodeKind::List(items) => items.iter().for_each(|i| i.scalar_texts(limit, out)),
            NodeKind::Map(entries) => entries
                .iter()
                .for_each(|e| e.value.scalar_texts(limit, out)),
            NodeKind::Doc(d) => d.scalar_texts(limit, out),
            _ => out.extend(self.scalar_text()),
        }
    }

    pub fn scalar_text(&self) -> Option<Text> {
        match &self.kind {
            NodeKind::Str(t) => Some(t.clone()),
            NodeKind::Bool(b) => Some(Text::lit(b.to_string())),
            NodeKind::Num(n) => Some(Text::lit(n.clone())),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_merges_and_splits() {
        let mut t = Text::lit("arn:");
        t.push_sym(Symbol::new(Kind::Partition, "AWS::Partition"));
        t.push_str(":s3:::");
        t.push_str("b/x");
        assert_eq!(t.parts().len(), 3);
        let segs = t.split(':');
        assert_eq!(segs.len(), 6);
        assert!(!segs[1].is_known());
        assert_eq!(segs[5].as_str(), Some("b/x"));
        assert_eq!(t.to_string(), "arn:${AWS::Partition}:s3:::b/x");
        assert_eq!(
            t.clone().into_literal().map_err(|t| t.to_string()),
            Err("arn:${AWS::Partition}:s3:::b/x".to_string())
        );
        assert_eq!(Text::lit("b/x").into_literal(), Ok("b/x".to_string()));
        assert_eq!(Text::lit("").into_literal(), Ok(String::new()));
        let sym = Text::sym(Symbol::new(Kind::Partition, "AWS::Partition"));
        assert_eq!(sym.clone().into_literal(), Err(sym));
    }
}
