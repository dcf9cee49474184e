//! Jinja2 / Nunjucks templated CloudFormation and policy JSON (`*.j2`, `*.jinja`, `*.jinja2`,
//! `*.njk`, as Sceptre and OrgFormation keep them): `{% … %}` and `{# … #}` are blanked,
//! `{{ … }}` becomes same-length filler so the text still parses with every position in place,
//! and every string the filler touches is an unknown value afterwards. What does not parse as a
//! template or policy then is skipped without a word (it is not a broken policy: it is not a
//! policy until rendered).

use crate::value::{Kind, Node, NodeKind, Symbol, Text};
use std::ops::Range;

/// The text with directives and comments blanked and expressions filled, and the byte ranges
/// of the expressions.
pub fn prepare(text: &str) -> (String, Vec<Range<usize>>) {
    let mut out = text.as_bytes().to_vec();
    let mut exprs = vec![];
    let b = text.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        let close: &[u8] = match (b[i], b[i + 1]) {
            (b'{', b'{') => b"}}",
            (b'{', b'%') => b"%}",
            (b'{', b'#') => b"#}",
            _ => {
                i += 1;
                continue;
            }
        };
        let Some(len) = b[i + 2..].windows(2).position(|w| w == close) else {
            break;
        };
        let end = i + 2 + len + 2;
        // A tag alone on its line(s) goes; one inside a value makes the value unknown.
        let line_start = b[..i]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |p| p + 1);
        let line_end = b[end..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(b.len(), |p| end + p);
        let alone = b[line_start..i].iter().all(u8::is_ascii_whitespace)
            && b[end..line_end].iter().all(u8::is_ascii_whitespace);
        let fill = if close == b"}}" || !alone {
            exprs.push(i..end);
            b'J'
        } else {
            b' '
        };
        for c in &mut out[i..end] {
            // Line breaks stay, so line numbers do.
            if *c != b'\n' {
                *c = fill;
            }
        }
        i = end;
    }
    // Only ASCII bytes replaced whole runs of bytes: still UTF-8, same length.
    (String::from_utf8(out).unwrap_or_default(), exprs)
}

/// Every string that an expression touches becomes an unknown value, named by its text in the
/// template (the same expression is the same value).
pub fn mask(node: &mut Node, exprs: &[Range<usize>], original: &str) {
    if exprs.is_empty() {
        return;
    }
    let r = node.span.range();
    let touched = exprs.iter().any(|e| e.start < r.end && r.start < e.end);
    match &mut node.kind {
        NodeKind::Str(_) if touched => {
            let raw = original.get(r).unwrap_or("{{ … }}");
            node.kind = NodeKind::Str(Text::sym(Symbol::new(Kind::Any, raw.trim())));
        }
        NodeKind::List(items) => {
            for n in items {
                mask(n, exprs, original);
            }
        }
        NodeKind::Map(entries) => {
            // A key an expression writes: the whole map is unknown (a condition, a statement
            // whose element is not known).
            let keyed = entries.iter().any(|e| {
                let k = e.key_span.range();
                exprs.iter().any(|x| x.start < k.end && k.start < x.end)
            });
            if keyed {
                node.kind = NodeKind::Unknown;
                return;
            }
            for e in entries {
                mask(&mut e.value, exprs, original);
            }
        }
        NodeKind::Doc(inner) => mask(inner, exprs, original),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_blank_and_expressions_fill_in_place() {
        let t = "{% if x %}\nBucket: {{ name }}-logs\n{# note #}\n{% endif %}\n";
        let (p, e) = prepare(t);
        assert_eq!(p.len(), t.len());
        assert_eq!(p.lines().count(), t.lines().count());
        assert_eq!(p.lines().nth(1), Some("Bucket: JJJJJJJJJJ-logs"));
        assert!(p.lines().next().unwrap().trim().is_empty());
        assert_eq!(e, vec![19..29]);
        assert_eq!(&t[e[0].clone()], "{{ name }}");
    }

    #[test]
    fn tags_inside_a_value_make_it_unknown() {
        let t = "Action: {% if a %}s3:*{% else %}s3:PutObject{% endif %}\n";
        let (p, e) = prepare(t);
        assert_eq!(e.len(), 3, "{p}");
        assert!(!p.contains('{'));
    }
}
