//! JSON text as value nodes: every node with the span of its text, documents embedded in JSON
//! strings (`aws` CLI output, plan attributes) with positions mapped back into the file, and
//! the `${…}` placeholders of templates as unknown values.

use crate::source::{FileId, Span};
use crate::value::{Entry, Node, NodeKind, Text};
use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};
use std::ops::Range;

fn strict() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// Maps byte offsets of a parsed text back to the file.
#[derive(Clone, Copy)]
pub struct OffsetMap<'a> {
    pub file: FileId,
    /// Offset of the parsed text in the file.
    pub base: usize,
    /// For text unescaped from a string: file offset (relative to `base`) of each byte.
    pub map: Option<&'a [usize]>,
}

impl OffsetMap<'_> {
    pub fn span(&self, r: Range<usize>) -> Span {
        match self.map {
            None => Span::new(self.file, self.base + r.start, self.base + r.end),
            Some(m) => {
                let at = |i: usize| m.get(i).or(m.last()).copied().unwrap_or(0);
                Span::new(self.file, self.base + at(r.start), self.base + at(r.end))
            }
        }
    }
}

/// What a template placeholder (`${…}`) stands for.
#[derive(Clone, Debug)]
pub enum Slot {
    Text(Text),
    Node(Node),
    /// Array elements spliced in where the placeholder stands as one (statement fragments
    /// joined into a document: `${join(",", fragments)}`, `%{ for s in fragments }${s},%{ endfor }`);
    /// `comma`: the placeholder's text ends with the comma that separates it from what follows.
    Splice {
        items: Vec<Node>,
        comma: bool,
    },
}

/// A placeholder: its byte range in the parsed text and its value.
#[derive(Clone, Debug)]
pub struct Placeholder {
    pub range: Range<usize>,
    pub value: Slot,
}

/// A parsed JSON text converted to [`Node`]s, or the parse error's span and message. `${…}`
/// placeholders are unknown values.
pub fn parse_nodes(text: &str, offsets: OffsetMap<'_>) -> Result<Node, (Span, String)> {
    parse_nodes_with(text, offsets, None)
}

/// A parsed JSON text whose strings are taken literally: `${…}` is text, as CloudFormation's
/// `Fn::Sub` needs it.
pub fn parse_literal(text: &str, offsets: OffsetMap<'_>) -> Result<Node, (Span, String)> {
    parse(text, offsets, Some(&[]), true)
}

/// Like [`parse_nodes`], with the placeholders given (ranges in `text`) and their values.
pub fn parse_nodes_with(
    text: &str,
    offsets: OffsetMap<'_>,
    given: Option<&[Placeholder]>,
) -> Result<Node, (Span, String)> {
    parse(text, offsets, given, false)
}

fn parse(
    text: &str,
    offsets: OffsetMap<'_>,
    given: Option<&[Placeholder]>,
    literal: bool,
) -> Result<Node, (Span, String)> {
    let skip = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[skip..];
    let placeholders: Vec<Placeholder> = match given {
        Some(g) => g
            .iter()
            .filter(|p| p.range.start >= skip && p.range.end <= text.len())
            .map(|p| Placeholder {
                range: p.range.start - skip..p.range.end - skip,
                value: p.value.clone(),
            })
            .collect(),
        None => template_placeholders(body)
            .into_iter()
            .map(|range| Placeholder {
                value: Slot::Text(Text::unknown(body[range.clone()].to_string())),
                range,
            })
            .collect(),
    };
    let mut placeholders = placeholders;
    placeholders.sort_by_key(|p| p.range.start);
    let masked;
    let input = if placeholders.is_empty() {
        body
    } else {
        masked = mask_placeholders(body, &placeholders);
        masked.as_str()
    };
    let shift = |r: Range<usize>| r.start + skip..r.end + skip;
    match jsonc_parser::parse_to_ast(input, &CollectOptions::default(), &strict()) {
        Err(e) => {
            let r = e.range();
            let end = r.end.max(r.start + 1).min(input.len().max(r.start));
            Err((offsets.span(shift(r.start..end)), e.kind().to_string()))
        }
        Ok(res) => match res.value {
            None => Err((
                offsets.span(shift(0..0)),
                "the file holds no JSON value".into(),
            )),
            Some(v) => {
                let conv = Conv {
                    offsets,
                    skip,
                    placeholders: &placeholders,
                    raw: body,
                    literal,
                    plan: !literal && body.contains("\"planned_values\""),
                };
                Ok(conv.node(&v))
            }
        },
    }
}

struct Conv<'a> {
    offsets: OffsetMap<'a>,
    skip: usize,
    placeholders: &'a [Placeholder],
    /// The text before masking.
    raw: &'a str,
    /// Strings are literal text (no `${…}` placeholders).
    literal: bool,
    /// A Terraform plan or state: the values of resources no rule reads are not converted
    /// (a plan of 20,000 instances holds a few dozen policies).
    plan: bool,
}

impl Conv<'_> {
    fn span(&self, r: jsonc_parser::common::Range) -> Span {
        self.offsets.span(r.start + self.skip..r.end + self.skip)
    }

    /// A string literal's value, with the placeholders inside it substituted.
    fn string_text(&self, lit: &jsonc_parser::ast::StringLit<'_>) -> Option<Text> {
        let (start, end) = (lit.range.start, lit.range.end);
        // Placeholders are sorted by start.
        let from = self
            .placeholders
            .partition_point(|p| p.range.start <= start);
        let to = self.placeholders.partition_point(|p| p.range.start < end);
        let inner: Vec<&Placeholder> = self.placeholders[from..to.max(from)]
            .iter()
            .filter(|p| p.range.end < end)
            .collect();
        if inner.is_empty() {
            return None;
        }
        let mut t = Text::default();
        let mut at = start + 1;
        let lit_part = |t: &mut Text, raw: &str| match unescape_with_map(raw) {
            Some((s, _)) => t.push_str(&s),
            None => t.push_str(raw),
        };
        for p in inner {
            lit_part(&mut t, &self.raw[at..p.range.start]);
            match &p.value {
                Slot::Text(x) => t.push_text(x),
                Slot::Splice { .. } => {
                    t.push_text(&Text::unknown(self.raw[p.range.clone()].to_string()))
                }
                Slot::Node(n) => match n.scalar_text() {
                    Some(x) => t.push_text(&x),
                    None => t.push_text(&Text::unknown(self.raw[p.range.clone()].to_string())),
                },
            }
            at = p.range.end;
        }
        lit_part(&mut t, &self.raw[at..end - 1]);
        Some(t)
    }

    /// The nodes a splice placeholder standing as this array element brings.
    fn splice_at(&self, v: &Value<'_>) -> Option<&Vec<Node>> {
        let Value::StringLit(s) = v else { return None };
        let at = self
            .placeholders
            .partition_point(|p| p.range.start < s.range.start);
        match self.placeholders.get(at) {
            Some(Placeholder {
                range,
                value: Slot::Splice { items, .. },
            }) if range.start == s.range.start => Some(items),
            _ => None,
        }
    }

    fn node(&self, v: &Value<'_>) -> Node {
        let span = self.span(v.range());
        let kind = match v {
            Value::StringLit(s) if self.literal => NodeKind::Str(Text::lit(s.value.as_ref())),
            Value::StringLit(s) => {
                let at = self
                    .placeholders
                    .partition_point(|p| p.range.start < s.range.start);
                if let Some(p) = self
                    .placeholders
                    .get(at)
                    .filter(|p| p.range.start == s.range.start && p.range.end == s.range.end)
                {
                    match &p.value {
                        Slot::Node(n) => return n.clone(),
                        Slot::Splice { .. } => NodeKind::Unknown,
                        Slot::Text(t) if t.is_known() => NodeKind::Str(t.clone()),
                        Slot::Text(_) => NodeKind::Unknown,
                    }
                } else if let Some(t) = self.string_text(s) {
                    NodeKind::Str(t)
                } else {
                    NodeKind::Str(template_text(&s.value, self.offsets.file + 1))
                }
            }
            Value::NumberLit(n) => NodeKind::Num(n.value.to_string()),
            Value::BooleanLit(b) => NodeKind::Bool(b.value),
            Value::NullKeyword(_) => NodeKind::Null,
            Value::Array(a) => NodeKind::List(
                a.elements
                    .iter()
                    .flat_map(|e| match self.splice_at(e) {
                        Some(items) => items.clone(),
                        None => vec![self.node(e)],
                    })
                    .collect(),
            ),
            Value::Object(o) => NodeKind::Map(
                o.properties
                    .iter()
                    .filter(|p| !self.plan || !skipped_resource_value(o, p))
                    .map(|p| {
                        let (key, key_range) = match &p.name {
                            ObjectPropName::String(s) => (s.value.to_string(), s.range),
                            ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                        };
                        Entry {
                            key,
                            key_span: self.span(key_range),
                            value: self.node(&p.value),
                        }
                    })
                    .collect(),
            ),
        };
        Node::new(span, kind)
    }
}

/// In a plan or state, a property of a resource of a type no rule reads, other than what
/// names the resource.
fn skipped_resource_value(
    o: &jsonc_parser::ast::Object<'_>,
    p: &jsonc_parser::ast::ObjectProp<'_>,
) -> bool {
    let name = |p: &jsonc_parser::ast::ObjectProp<'_>| match &p.name {
        ObjectPropName::String(s) => s.value.to_string(),
        ObjectPropName::Word(w) => w.value.to_string(),
    };
    if matches!(
        name(p).as_str(),
        "address" | "type" | "mode" | "name" | "index"
    ) {
        return false;
    }
    let ty = o.properties.iter().find(|q| name(q) == "type");
    let Some(Value::StringLit(ty)) = ty.map(|q| &q.value) else {
        return false;
    };
    o.properties.iter().any(|q| name(q) == "address")
        && !crate::frontend::resource_types::relevant_type(&ty.value)
}

/// A string with `${…}` placeholders and fill-in tokens (see [`fill_in_tokens`]) as unknown
/// values (`$${` is a literal `${`).
pub fn template_text(s: &str, scope: u32) -> Text {
    if !s.contains("${") {
        let mut t = Text::default();
        push_with_tokens(&mut t, s, scope);
        return t;
    }
    let mut t = Text::default();
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        if i > 0 && rest.as_bytes()[i - 1] == b'$' {
            push_with_tokens(&mut t, &rest[..i - 1], scope);
            t.push_str("${");
            rest = &rest[i + 2..];
            continue;
        }
        push_with_tokens(&mut t, &rest[..i], scope);
        match closing_brace(&rest[i + 2..]) {
            Some(j) => {
                t.push_sym(crate::value::Symbol::scoped(
                    crate::value::Kind::Any,
                    &rest[i..i + 2 + j + 1],
                    scope,
                ));
                rest = &rest[i + 2 + j + 1..];
            }
            None => {
                t.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    push_with_tokens(&mut t, rest, scope);
    t
}

/// Literal text with its fill-in tokens as unknown values.
fn push_with_tokens(t: &mut Text, s: &str, scope: u32) {
    let mut at = 0;
    for r in fill_in_tokens(s) {
        t.push_str(&s[at..r.start]);
        t.push_sym(crate::value::Symbol::scoped(
            crate::value::Kind::Any,
            &s[r.clone()],
            scope,
        ));
        at = r.end;
    }
    t.push_str(&s[at..]);
}

/// The fill-in tokens of the common template conventions in a string, which a script replaces
/// before the policy reaches AWS (spec: "Unknown values"): `{{…}}`; `<…>` and `[…]` standing
/// for a whole value or an ARN segment (`<account-id>`, `[CLOUDTRAIL_ARN]`); `__NAME__`,
/// `%NAME%` and `@NAME@`. Words that merely look like names (`myAccountID`) are not tokens.
pub fn fill_in_tokens(s: &str) -> Vec<Range<usize>> {
    let b = s.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let name_char = |c: u8| word(c) || c == b'-' || c == b'.' || c == b' ';
    // A segment boundary: the string's ends or a character that is not part of a word.
    let boundary_before = |i: usize| i == 0 || !word(b[i - 1]);
    let boundary_after = |j: usize| j >= b.len() || !word(b[j]);
    let mut out: Vec<Range<usize>> = vec![];
    let mut i = 0;
    while i < b.len() {
        let found: Option<usize> = match b[i] {
            b'{' if b.get(i + 1) == Some(&b'{') => s[i + 2..]
                .find("}}")
                .filter(|&n| n > 0 && !s[i + 2..i + 2 + n].contains(['\n', '{']))
                .map(|n| i + 2 + n + 2),
            open @ (b'<' | b'[') if boundary_before(i) => {
                let close = if open == b'<' { b'>' } else { b']' };
                let n = b[i + 1..].iter().take_while(|&&c| name_char(c)).count();
                let j = i + 1 + n;
                (n > 0
                    && b.get(j) == Some(&close)
                    && b[i + 1..j].iter().any(|c| c.is_ascii_alphabetic())
                    && boundary_after(j + 1))
                .then_some(j + 1)
            }
            b'_' if b.get(i + 1) == Some(&b'_') && boundary_before(i) => {
                // `__NAME__`: a run of word characters that ends with `__`.
                let n = b[i + 2..].iter().take_while(|&&c| word(c)).count();
                let run = &b[i + 2..i + 2 + n];
                (n > 2 && run.ends_with(b"__") && run[0].is_ascii_alphanumeric())
                    .then_some(i + 2 + n)
            }
            mark @ (b'%' | b'@') => {
                let n = b[i + 1..].iter().take_while(|&&c| word(c)).count();
                let j = i + 1 + n;
                (n > 0 && b[i + 1].is_ascii_alphabetic() && b.get(j) == Some(&mark))
                    .then_some(j + 1)
            }
            _ => None,
        };
        match found {
            Some(end) => {
                out.push(i..end);
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// The offset of the `}` that closes a `${`, in the text after the `${`.
pub fn closing_brace(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// `${…}` and `%{…}` sequences outside JSON strings (template placeholders where a value goes).
fn template_placeholders(text: &str) -> Vec<Range<usize>> {
    if !text.contains("${") {
        return vec![];
    }
    let b = text.as_bytes();
    let mut out = vec![];
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        let c = b[i];
        if in_str {
            match c {
                b'\\' => i += 1,
                b'"' => in_str = false,
                _ => {}
            }
        } else if c == b'"' {
            in_str = true;
        } else if c == b'$'
            && b.get(i + 1) == Some(&b'{')
            && let Some(j) = closing_brace(&text[i + 2..])
        {
            let end = i + 2 + j + 1;
            out.push(i..end);
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

/// Replaces each placeholder with text of the same byte length that keeps the JSON valid: a
/// JSON string where a value stands, plain letters inside a string.
fn mask_placeholders(text: &str, ph: &[Placeholder]) -> String {
    let inside = strings_at(text, ph);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (p, in_str) in ph.iter().zip(inside) {
        let r = &p.range;
        if r.start < last || r.end > text.len() {
            continue;
        }
        out.push_str(&text[last..r.start]);
        if in_str {
            out.extend(std::iter::repeat_n('_', r.len()));
        } else if let Slot::Splice { comma: true, .. } = &p.value {
            // `"___",`: one array element, and the comma the loop body wrote after each.
            out.push('"');
            out.extend(std::iter::repeat_n('_', r.len().saturating_sub(3)));
            out.push_str("\",");
        } else {
            out.push('"');
            out.extend(std::iter::repeat_n('_', r.len().saturating_sub(2)));
            out.push('"');
        }
        last = r.end;
    }
    out.push_str(&text[last..]);
    out
}

/// For each placeholder, whether it starts inside a JSON string.
fn strings_at(text: &str, ph: &[Placeholder]) -> Vec<bool> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(ph.len());
    let mut i = 0;
    let mut in_str = false;
    for p in ph {
        while i < p.range.start.min(b.len()) {
            match b[i] {
                b'\\' if in_str => i += 1,
                b'"' => in_str = !in_str,
                _ => {}
            }
            i += 1;
        }
        out.push(in_str);
        i = i.max(p.range.end);
    }
    out
}

/// Unescapes the raw text of a JSON string (without its quotes), recording for every output
/// byte the offset in `raw` of the escape sequence that produced it (plus one entry for the end).
pub fn unescape_with_map(raw: &str) -> Option<(String, Vec<usize>)> {
    let b = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut map = Vec::with_capacity(raw.len() + 1);
    let mut i = 0;
    let push = |out: &mut String, map: &mut Vec<usize>, c: char, at: usize| {
        let n = c.len_utf8();
        out.push(c);
        map.extend(std::iter::repeat_n(at, n));
    };
    while i < b.len() {
        if b[i] != b'\\' {
            let c = raw[i..].chars().next()?;
            push(&mut out, &mut map, c, i);
            i += c.len_utf8();
            continue;
        }
        let esc = *b.get(i + 1)?;
        let c = match esc {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = u32::from_str_radix(raw.get(i + 2..i + 6)?, 16).ok()?;
                if (0xD800..0xDC00).contains(&hi) && raw.get(i + 6..i + 8) == Some("\\u") {
                    let lo = u32::from_str_radix(raw.get(i + 8..i + 12)?, 16).ok()?;
                    let c =
                        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00)))
                            .unwrap_or('\u{fffd}');
                    push(&mut out, &mut map, c, i);
                    i += 12;
                    continue;
                }
                let c = char::from_u32(hi).unwrap_or('\u{fffd}');
                push(&mut out, &mut map, c, i);
                i += 6;
                continue;
            }
            _ => return None,
        };
        push(&mut out, &mut map, c, i);
        i += 2;
    }
    map.push(raw.len());
    Some((out, map))
}

/// The JSON document held in a JSON string node of `text`, positions mapped back into the file.
pub fn embedded_document(
    file: FileId,
    text: &str,
    string: &Node,
) -> Option<Result<Node, (Span, String)>> {
    let r = string.span.range();
    // The raw string body, without its quotes.
    let raw_start = r.start + 1;
    let raw_end = r.end.saturating_sub(1).max(raw_start);
    let raw = text.get(raw_start..raw_end)?;
    let (inner, map) = unescape_with_map(raw)?;
    let offsets = OffsetMap {
        file,
        base: raw_start,
        map: Some(&map),
    };
    Some(parse_nodes(&inner, offsets))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_maps_back() {
        let raw = r#"{\"a\":\"x\/y\u00e9\"}"#;
        let (s, map) = unescape_with_map(raw).unwrap();
        assert_eq!(s, "{\"a\":\"x/y\u{e9}\"}");
        // 'x' is the 7th char of the output; in raw it follows `{\"a\":\"`.
        let x = s.find('x').unwrap();
        assert_eq!(&raw[map[x]..map[x] + 1], "x");
        let slash = s.find('/').unwrap();
        assert_eq!(&raw[map[slash]..map[slash] + 2], "\\/");
        assert_eq!(*map.last().unwrap(), raw.len());
    }

    #[test]
    fn fill_in_tokens_are_found_and_look_alikes_are_not() {
        let found = |s: &str| -> Vec<String> {
            fill_in_tokens(s)
                .into_iter()
                .map(|r| s[r].to_string())
                .collect()
        };
        assert_eq!(found("[CLOUDTRAIL_ARN]"), ["[CLOUDTRAIL_ARN]"]);
        assert_eq!(
            found("arn:aws:cloudtrail:<region>:<account-id>:trail/<trail name>"),
            ["<region>", "<account-id>", "<trail name>"]
        );
        assert_eq!(
            found("arn:aws:s3:::__BUCKET__/AWSLogs/__ACCOUNT_ID__/*"),
            ["__BUCKET__", "__ACCOUNT_ID__"]
        );
        assert_eq!(found("{{ account_id }}"), ["{{ account_id }}"]);
        assert_eq!(found("%ACCOUNT%-@REGION@"), ["%ACCOUNT%", "@REGION@"]);
        for literal in [
            "arn:aws:cloudtrail:region:myAccountID:trail/trailName",
            "arn:aws:s3:::my_bucket__x/AWSLogs/*",
            "a<b",
            "x[1]",
            "100%",
            "user@example.com",
            "[*]",
        ] {
            assert_eq!(found(literal), Vec::<String>::new(), "{literal}");
        }
        let t = template_text("arn:aws:s3:::[BUCKET]/AWSLogs/*", 1);
        assert!(!t.is_known());
        assert_eq!(t.to_string(), "arn:aws:s3:::[BUCKET]/AWSLogs/*");
    }

    #[test]
    fn templates() {
        let t = template_text("arn:aws:s3:::${bucket}/$${x}/*", 1);
        assert_eq!(t.parts().len(), 3);
        assert_eq!(t.to_string(), "arn:aws:s3:::${bucket}/${x}/*");
        assert_ne!(t, template_text("arn:aws:s3:::${bucket}/$${x}/*", 2));
        let text = r#"{"Statement": ${statements}, "x": "${y}"}"#;
        let ph = template_placeholders(text);
        assert_eq!(ph.len(), 1);
        let n = parse_nodes(
            text,
            OffsetMap {
                file: 0,
                base: 0,
                map: None,
            },
        )
        .unwrap();
        assert!(matches!(
            &n.get("Statement").unwrap().value.kind,
            NodeKind::Unknown
        ));
        assert!(matches!(&n.get("x").unwrap().value.kind, NodeKind::Str(t) if !t.is_known()));
    }
}
