//! Terraform's JSON syntax (`*.tf.json`): the document is rewritten as equivalent HCL text
//! (strings are templates, `"${expr}"` alone is the expression itself, objects under
//! `statement`, `principals`, `condition`, `rule` are nested blocks), which the HCL frontend
//! evaluates like any module file; a segment map takes positions in that text back to the JSON
//! file.

use crate::source::{FileId, Span};
use crate::value::{Node, NodeKind};

/// A piece of the generated text and the JSON text it came from.
#[derive(Clone, Debug)]
struct Segment {
    generated: (usize, usize),
    json: (usize, usize),
    /// Byte-for-byte the same text: offsets inside map one to one.
    linear: bool,
}

/// Positions in a generated HCL text, back in the JSON file.
#[derive(Clone, Debug, Default)]
pub struct SpanMap {
    pub real: FileId,
    segments: Vec<Segment>,
}

impl SpanMap {
    fn point(&self, o: usize, is_end: bool) -> usize {
        let best = self
            .segments
            .iter()
            .filter(|s| {
                let (a, b) = s.generated;
                if is_end {
                    a < o && o <= b
                } else {
                    a <= o && o < b
                }
            })
            .min_by_key(|s| s.generated.1 - s.generated.0);
        match best {
            Some(s) if s.linear => s.json.0 + (o - s.generated.0).min(s.json.1 - s.json.0),
            Some(s) if is_end && o == s.generated.1 => s.json.1,
            Some(s) => s.json.0,
            None => 0,
        }
    }

    pub fn translate(&self, span: Span) -> Span {
        let start = self.point(span.start as usize, false);
        let end = self.point(span.end as usize, true).max(start);
        Span::new(self.real, start, end)
    }
}

const BLOCK_KEYS: [&str; 5] = [
    "statement",
    "principals",
    "not_principals",
    "condition",
    "rule",
];

struct Gen<'a> {
    json: &'a str,
    out: String,
    segments: Vec<Segment>,
}

impl Gen<'_> {
    fn mark(&mut self, start: usize, n: &Node, linear: bool) {
        self.segments.push(Segment {
            generated: (start, self.out.len()),
            json: (n.span.start as usize, n.span.end as usize),
            linear,
        });
    }

    fn raw(&self, n: &Node) -> &str {
        self.json.get(n.span.range()).unwrap_or("")
    }

    /// `(body)`, with body's generated range mapped to `json` (byte for byte when `linear`).
    fn expression(&mut self, body: &str, json: (usize, usize), linear: bool) {
        let gstart = self.out.len();
        self.out.push('(');
        self.out.push_str(body);
        self.out.push(')');
        self.segments.push(Segment {
            generated: (gstart + 1, gstart + 1 + body.len()),
            json,
            linear,
        });
    }

    /// A value where Terraform reads an expression (strings are templates).
    fn expr(&mut self, n: &Node, depth: usize) {
        let start = self.out.len();
        if depth > 64 {
            self.out.push_str("null");
            self.mark(start, n, false);
            return;
        }
        match &n.kind {
            NodeKind::Str(t) => {
                let raw = self.raw(n).to_string();
                let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
                let value = t.to_string();
                let single = value.starts_with("${")
                    && value.ends_with('}')
                    && value[2..].find("${").is_none()
                    && crate::frontend::json_nodes::closing_brace(&value[2..])
                        == Some(value.len() - 3);
                if single && !inner.contains('\\') {
                    // `"${expr}"` is the expression itself (a document stays a document).
                    let body = &inner[2..inner.len() - 1];
                    let at = n.span.start as usize + 3;
                    self.expression(body, (at, at + body.len()), true);
                    self.mark(start, n, false);
                } else if value.starts_with("${")
                    && crate::frontend::json_nodes::closing_brace(&value[2..])
                        == Some(value.len() - 3)
                {
                    // `"${file(\"p.json\")}"`: JSON escapes inside the expression. The
                    // unescaped expression, its positions mapped to the string as a whole.
                    let body = &value[2..value.len() - 1];
                    let whole = (n.span.start as usize + 1, n.span.end as usize - 1);
                    self.expression(body, whole, false);
                    self.mark(start, n, false);
                } else if hcl_compatible(inner) {
                    self.out.push_str(&raw);
                    self.mark(start, n, true);
                } else {
                    self.out.push('"');
                    for c in value.chars() {
                        match c {
                            '"' => self.out.push_str("\\\""),
                            '\\' => self.out.push_str("\\\\"),
                            '\n' => self.out.push_str("\\n"),
                            '\r' => self.out.push_str("\\r"),
                            '\t' => self.out.push_str("\\t"),
                            c if (c as u32) < 0x20 => {}
                            c => self.out.push(c),
                        }
                    }
                    self.out.push('"');
                    self.mark(start, n, false);
                }
            }
            NodeKind::Num(x) => {
                self.out.push_str(x);
                self.mark(start, n, true);
            }
            NodeKind::Bool(b) => {
                self.out.push_str(if *b { "true" } else { "false" });
                self.mark(start, n, true);
            }
            NodeKind::Null | NodeKind::Unknown | NodeKind::Doc(_) => {
                self.out.push_str("null");
                self.mark(start, n, false);
            }
            NodeKind::List(l) => {
                self.out.push('[');
                for (i, x) in l.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.expr(x, depth + 1);
                }
                self.out.push(']');
                self.mark(start, n, false);
            }
            NodeKind::Map(m) => {
                self.out.push_str("{\n");
                for e in m {
                    let kstart = self.out.len();
                    self.out.push('"');
                    self.out
                        .push_str(&e.key.replace('\\', "\\\\").replace('"', "\\\""));
                    self.out.push('"');
                    self.segments.push(Segment {
                        generated: (kstart, self.out.len()),
                        json: (e.key_span.start as usize, e.key_span.end as usize),
                        linear: false,
                    });
                    self.out.push_str(" = ");
                    self.expr(&e.value, depth + 1);
                    self.out.push('\n');
                }
                self.out.push('}');
                self.mark(start, n, false);
            }
        }
    }

    /// The body of a block: attributes and nested blocks.
    fn body(&mut self, n: &Node, depth: usize) {
        let NodeKind::Map(m) = &n.kind else { return };
        for e in m {
            if e.key == "//" || depth > 32 {
                continue;
            }
            let is_block = BLOCK_KEYS.contains(&e.key.as_str())
                && match &e.value.kind {
                    NodeKind::Map(_) => true,
                    NodeKind::List(l) => l.iter().all(|x| matches!(x.kind, NodeKind::Map(_))),
                    _ => false,
                };
            if is_block {
                let items: Vec<&Node> = match &e.value.kind {
                    NodeKind::List(l) => l.iter().collect(),
                    _ => vec![&e.value],
                };
                for item in items {
                    let start = self.out.len();
                    self.out.push_str(&e.key);
                    self.out.push_str(" {\n");
                    self.body(item, depth + 1);
                    self.out.push_str("}\n");
                    self.mark(start, item, false);
                }
            } else {
                let start = self.out.len();
                self.out.push_str(&e.key);
                self.out.push_str(" = ");
                self.expr(&e.value, depth + 1);
                self.segments.push(Segment {
                    generated: (start, self.out.len()),
                    json: (e.key_span.start as usize, e.value.span.end as usize),
                    linear: false,
                });
                self.out.push('\n');
            }
        }
    }

    fn labeled(&mut self, kw: &str, labels: &[&str], body: &Node) {
        let start = self.out.len();
        self.out.push_str(kw);
        for l in labels {
            self.out.push_str(" \"");
            self.out.push_str(&l.replace('"', ""));
            self.out.push('"');
        }
        self.out.push_str(" {\n");
        self.body(body, 0);
        self.out.push_str("}\n");
        self.mark(start, body, false);
    }
}

/// Whether the raw text of a JSON string reads the same as an HCL quoted string.
fn hcl_compatible(inner: &str) -> bool {
    let b = inner.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            match b.get(i + 1) {
                Some(b'n' | b'r' | b't' | b'"' | b'\\' | b'u') => i += 2,
                _ => return false,
            }
        } else {
            i += 1;
        }
    }
    true
}

fn entries(n: &Node) -> &[crate::value::Entry] {
    match &n.kind {
        NodeKind::Map(m) => m,
        _ => &[],
    }
}

/// Rewrites a `.tf.json` document as HCL, with the map back to `file`.
pub fn to_hcl(root: &Node, json: &str, file: FileId) -> (String, SpanMap) {
    let mut g = Gen {
        json,
        out: String::new(),
        segments: vec![],
    };
    for top in entries(root) {
        match top.key.as_str() {
            kw @ ("resource" | "data") => {
                for ty in entries(&top.value) {
                    for name in entries(&ty.value) {
                        match &name.value.kind {
                            NodeKind::List(l) => {
                                for b in l {
                                    g.labeled(kw, &[&ty.key, &name.key], b);
                                }
                            }
                            _ => g.labeled(kw, &[&ty.key, &name.key], &name.value),
                        }
                    }
                }
            }
            kw @ ("variable" | "output" | "module") => {
                for name in entries(&top.value) {
                    g.labeled(kw, &[&name.key], &name.value);
                }
            }
            "locals" => {
                let items: Vec<&Node> = match &top.value.kind {
                    NodeKind::List(l) => l.iter().collect(),
                    _ => vec![&top.value],
                };
                for l in items {
                    g.labeled("locals", &[], l);
                }
            }
            _ => {}
        }
    }
    (
        g.out,
        SpanMap {
            real: file,
            segments: g.segments,
        },
    )
}
