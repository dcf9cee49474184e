//! Terraform's built-in functions over evaluated values (all but `file()`, `templatefile()`
//! and `try()`, which need the module evaluation): one function per family. What cannot be
//! computed with certainty is unknown.

use crate::source::Span;
use crate::value::{Entry, Node, NodeKind, Text};
use std::path::Path;

/// Longest list a `for` expression or `formatlist` builds.
pub const MAX_ITEMS: usize = 10_000;

pub fn unknown(span: Span) -> Node {
    Node::new(span, NodeKind::Unknown)
}

pub fn str_node(span: Span, t: Text) -> Node {
    Node::new(span, NodeKind::Str(t))
}

/// A value as text, when it is a scalar.
pub fn text_of(n: &Node) -> Option<Text> {
    n.scalar_text()
}

pub fn known_str(n: &Node) -> Option<String> {
    text_of(n).and_then(|t| t.as_str().map(str::to_string))
}

pub fn index(v: &Node, k: &Node) -> Option<Node> {
    match (&v.kind, &k.kind) {
        (NodeKind::List(l), NodeKind::Num(n)) => l.get(n.parse::<usize>().ok()?).cloned(),
        (NodeKind::List(l), NodeKind::Str(t)) => l.get(t.as_str()?.parse::<usize>().ok()?).cloned(),
        (NodeKind::Map(m), _) => {
            let key = known_str(k)?;
            m.iter().find(|e| e.key == key).map(|e| e.value.clone())
        }
        _ => None,
    }
}

/// `format(fmt, args…)` for `%s`, `%d`, `%v` and `%%`.
pub fn format_text(args: &[Text]) -> Option<Text> {
    let fmt = args.first()?.as_str()?;
    let mut out = Text::default();
    let mut rest = args[1..].iter();
    let mut chars = fmt.chars().peekable();
    let mut lit = String::new();
    while let Some(c) = chars.next() {
        if c != '%' {
            lit.push(c);
            continue;
        }
        match chars.next()? {
            '%' => lit.push('%'),
            's' | 'd' | 'v' => {
                out.push_str(&lit);
                lit.clear();
                out.push_text(rest.next()?);
            }
            _ => return None,
        }
    }
    out.push_str(&lit);
    Some(out)
}

/// The value of `name(args…)`.
pub fn call(name: &str, args: &[Node], span: Span) -> Node {
    encoding(name, args, span)
        .or_else(|| strings(name, args, span))
        .or_else(|| lists(name, args, span))
        .or_else(|| maps(name, args, span))
        .or_else(|| paths(name, args, span))
        .unwrap_or_else(|| unknown(span))
}

fn list(n: &Node) -> Option<Vec<Node>> {
    match &n.kind {
        NodeKind::List(l) => Some(l.clone()),
        _ => None,
    }
}

fn known_all(args: &[Node]) -> Option<Vec<String>> {
    args.iter().map(known_str).collect()
}

/// `jsonencode`, `jsondecode`, and the type conversions that keep the value.
fn encoding(name: &str, args: &[Node], span: Span) -> Option<Node> {
    Some(match name {
        "jsonencode" => match args.first() {
            Some(v) => Node::new(
                span,
                NodeKind::Doc(Box::new(Node::new(span, v.kind.clone()))),
            ),
            None => unknown(span),
        },
        "jsondecode" => match args.first().map(|a| &a.kind) {
            Some(NodeKind::Doc(d)) => (**d).clone(),
            _ => unknown(span),
        },
        "distinct" | "toset" | "tolist" | "tomap" | "tostring" | "sort" | "compact"
        | "nonsensitive" | "sensitive" => args.first().cloned().unwrap_or_else(|| unknown(span)),
        _ => return None,
    })
}

/// `format`, `formatlist`, `join`, `split`, `lower`/`upper`, `replace` and the trims.
fn strings(name: &str, args: &[Node], span: Span) -> Option<Node> {
    Some(match name {
        "format" => match args.iter().map(text_of).collect::<Option<Vec<Text>>>() {
            Some(t) => format_text(&t)
                .map(|t| str_node(span, t))
                .unwrap_or_else(|| unknown(span)),
            None => unknown(span),
        },
        "formatlist" => formatlist(args, span),
        "join" => join(args, span),
        "split" => match known_all(args) {
            Some(k) if k.len() == 2 => Node::new(
                span,
                NodeKind::List(
                    k[1].split(k[0].as_str())
                        .map(|s| str_node(span, Text::lit(s)))
                        .collect(),
                ),
            ),
            _ => unknown(span),
        },
        "lower" | "upper" => match args.first().and_then(text_of) {
            Some(t) => match t.as_str() {
                Some(s) => str_node(
                    span,
                    Text::lit(if name == "lower" {
                        s.to_lowercase()
                    } else {
                        s.to_uppercase()
                    }),
                ),
                None => str_node(span, Text::unknown(format!("{name}({t})"))),
            },
            None => unknown(span),
        },
        "replace" => match known_all(args) {
            Some(k) if k.len() == 3 && !k[1].starts_with('/') => {
                str_node(span, Text::lit(k[0].replace(&k[1], &k[2])))
            }
            _ => unknown(span),
        },
        "trimspace" | "chomp" | "trimprefix" | "trimsuffix" | "trim" => trim(name, args, span),
        _ => return None,
    })
}

fn formatlist(args: &[Node], span: Span) -> Node {
    let Some(fmt) = args.first().and_then(text_of) else {
        return unknown(span);
    };
    let n = args[1..]
        .iter()
        .filter_map(|a| list(a).map(|l| l.len()))
        .max()
        .unwrap_or(1);
    if n > MAX_ITEMS
        || args[1..]
            .iter()
            .any(|a| matches!(a.kind, NodeKind::Unknown))
    {
        return unknown(span);
    }
    let mut out = vec![];
    for i in 0..n {
        let mut parts = vec![fmt.clone()];
        for a in &args[1..] {
            let item = match list(a) {
                Some(l) => l.get(i).and_then(text_of),
                None => text_of(a),
            };
            let Some(item) = item else {
                return unknown(span);
            };
            parts.push(item);
        }
        match format_text(&parts) {
            Some(t) => out.push(str_node(span, t)),
            None => return unknown(span),
        }
    }
    Node::new(span, NodeKind::List(out))
}

fn join(args: &[Node], span: Span) -> Node {
    let (Some(sep), Some(l)) = (args.first().and_then(text_of), args.get(1).and_then(list)) else {
        return unknown(span);
    };
    let mut t = Text::default();
    for (i, x) in l.iter().enumerate() {
        if i > 0 {
            t.push_text(&sep);
        }
        match text_of(x) {
            Some(x) => t.push_text(&x),
            None => return unknown(span),
        }
    }
    str_node(span, t)
}

fn trim(name: &str, args: &[Node], span: Span) -> Node {
    let Some(k) = known_all(args).filter(|k| !k.is_empty()) else {
        return unknown(span);
    };
    let s = match (name, k.get(1)) {
        ("trimspace", _) => k[0].trim().to_string(),
        ("chomp", _) => k[0].trim_end_matches(['\n', '\r']).to_string(),
        ("trimprefix", Some(p)) => k[0].strip_prefix(p.as_str()).unwrap_or(&k[0]).to_string(),
        ("trimsuffix", Some(p)) => k[0].strip_suffix(p.as_str()).unwrap_or(&k[0]).to_string(),
        ("trim", Some(p)) => k[0].trim_matches(|c| p.contains(c)).to_string(),
        _ => return unknown(span),
    };
    str_node(span, Text::lit(s))
}

/// `concat`, `flatten`, `coalesce`, `coalescelist`, `element` and `one`.
fn lists(name: &str, args: &[Node], span: Span) -> Option<Node> {
    Some(match name {
        "concat" => {
            let mut out = vec![];
            for a in args {
                match &a.kind {
                    NodeKind::List(l) => out.extend(l.iter().cloned()),
                    // Unknown elements keep the list open.
                    _ => out.push(unknown(a.span)),
                }
            }
            Node::new(span, NodeKind::List(out))
        }
        "flatten" => match args.first() {
            Some(a) => {
                fn flat(n: &Node, out: &mut Vec<Node>) {
                    match &n.kind {
                        NodeKind::List(l) => l.iter().for_each(|x| flat(x, out)),
                        _ => out.push(n.clone()),
                    }
                }
                let mut out = vec![];
                flat(a, &mut out);
                Node::new(span, NodeKind::List(out))
            }
            None => unknown(span),
        },
        "coalesce" => {
            for a in args {
                match &a.kind {
                    NodeKind::Null => continue,
                    NodeKind::Str(t) if t.as_str() == Some("") => continue,
                    NodeKind::Str(t) if t.is_known() => return Some(a.clone()),
                    _ => return Some(unknown(span)),
                }
            }
            unknown(span)
        }
        "coalescelist" => {
            for a in args {
                match &a.kind {
                    NodeKind::List(l) if l.is_empty() => continue,
                    NodeKind::List(_) => return Some(a.clone()),
                    _ => return Some(unknown(span)),
                }
            }
            unknown(span)
        }
        "element" => match (args.first(), args.get(1)) {
            (Some(l), Some(i)) => index(l, i).unwrap_or_else(|| unknown(span)),
            _ => unknown(span),
        },
        "one" => match args.first().and_then(list) {
            Some(l) if l.len() == 1 => l[0].clone(),
            Some(l) if l.is_empty() => Node::new(span, NodeKind::Null),
            _ => unknown(span),
        },
        _ => return None,
    })
}

/// `merge` and `lookup`.
fn maps(name: &str, args: &[Node], span: Span) -> Option<Node> {
    Some(match name {
        "merge" => {
            let mut out: Vec<Entry> = vec![];
            for a in args {
                let NodeKind::Map(m) = &a.kind else {
                    return Some(unknown(span));
                };
                for e in m {
                    out.retain(|x| x.key != e.key);
                    out.push(e.clone());
                }
            }
            Node::new(span, NodeKind::Map(out))
        }
        "lookup" => match (args.first(), args.get(1).and_then(known_str)) {
            (
                Some(Node {
                    kind: NodeKind::Map(m),
                    ..
                }),
                Some(k),
            ) => match m.iter().find(|e| e.key == k) {
                Some(e) => e.value.clone(),
                None => args.get(2).cloned().unwrap_or_else(|| unknown(span)),
            },
            _ => unknown(span),
        },
        _ => return None,
    })
}

/// `abspath`, `pathexpand`, `dirname` and `basename`.
fn paths(name: &str, args: &[Node], span: Span) -> Option<Node> {
    Some(match name {
        "abspath" | "pathexpand" => args.first().cloned().unwrap_or_else(|| unknown(span)),
        "dirname" | "basename" => match args.first().and_then(known_str) {
            Some(p) => {
                let p = Path::new(&p);
                let s = if name == "dirname" {
                    p.parent().map(|x| x.to_string_lossy().to_string())
                } else {
                    p.file_name().map(|x| x.to_string_lossy().to_string())
                };
                s.map(|s| str_node(span, Text::lit(s)))
                    .unwrap_or_else(|| unknown(span))
            }
            None => unknown(span),
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Node {
        str_node(Span::new(0, 0, 0), Text::lit(v))
    }

    fn l(items: &[&str]) -> Node {
        Node::new(
            Span::new(0, 0, 0),
            NodeKind::List(items.iter().map(|x| s(x)).collect()),
        )
    }

    fn sym(name: &str) -> Node {
        str_node(Span::new(0, 0, 0), Text::unknown(name))
    }

    fn text(n: &Node) -> String {
        text_of(n)
            .map(|t| t.to_string())
            .unwrap_or_else(|| format!("{:?}", n.kind))
    }

    fn at() -> Span {
        Span::new(0, 0, 0)
    }

    #[test]
    fn strings_of_known_values_are_computed() {
        assert_eq!(
            text(&call(
                "format",
                &[s("arn:%s:s3:::%s/*"), s("aws"), s("b")],
                at()
            )),
            "arn:aws:s3:::b/*"
        );
        assert_eq!(text(&call("join", &[s("/"), l(&["a", "b"])], at())), "a/b");
        assert_eq!(text(&call("lower", &[s("AbC")], at())), "abc");
        assert_eq!(
            text(&call("trimsuffix", &[s("logs/"), s("/")], at())),
            "logs"
        );
        assert_eq!(
            text(&call("trimprefix", &[s("/logs"), s("/")], at())),
            "logs"
        );
        assert_eq!(
            text(&call("replace", &[s("a-b"), s("-"), s("_")], at())),
            "a_b"
        );
        let parts = call("split", &[s("/"), s("a/b")], at());
        assert!(matches!(&parts.kind, NodeKind::List(v) if v.len() == 2));
    }

    #[test]
    fn unknown_arguments_keep_the_result_unknown_or_symbolic() {
        // A regular-expression replace is not computed.
        assert!(matches!(
            call("replace", &[s("a"), s("/a/"), s("b")], at()).kind,
            NodeKind::Unknown
        ));
        // A symbol inside format stays a symbol in the text.
        let t = text_of(&call("format", &[s("%s/AWSLogs"), sym("var.prefix")], at())).unwrap();
        assert!(!t.is_known());
        assert!(matches!(
            call("trimspace", &[sym("var.x")], at()).kind,
            NodeKind::Unknown
        ));
        assert!(matches!(
            call("no_such_function", &[s("x")], at()).kind,
            NodeKind::Unknown
        ));
    }

    #[test]
    fn formatlist_pairs_lists_and_refuses_unknowns() {
        let out = call(
            "formatlist",
            &[s("arn:aws:s3:::%s/*"), l(&["a", "b"])],
            at(),
        );
        let NodeKind::List(items) = &out.kind else {
            panic!("{out:?}")
        };
        assert_eq!(
            items.iter().map(text).collect::<Vec<_>>(),
            ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]
        );
        let open = Node::new(at(), NodeKind::Unknown);
        assert!(matches!(
            call("formatlist", &[s("%s"), open], at()).kind,
            NodeKind::Unknown
        ));
    }

    #[test]
    fn collections() {
        let c = call("concat", &[l(&["a"]), l(&["b", "c"])], at());
        assert!(matches!(&c.kind, NodeKind::List(v) if v.len() == 3));
        assert_eq!(text(&call("element", &[l(&["a", "b"]), s("1")], at())), "b");
        assert_eq!(text(&call("one", &[l(&["x"])], at())), "x");
        assert!(matches!(call("one", &[l(&[])], at()).kind, NodeKind::Null));
        assert_eq!(text(&call("coalesce", &[s(""), s("x")], at())), "x");
        // An unknown before any known value: which one wins is not known.
        assert!(matches!(
            call("coalesce", &[sym("var.a"), s("x")], at()).kind,
            NodeKind::Unknown
        ));
        let m = |k: &str, v: &str| {
            Node::new(
                at(),
                NodeKind::Map(vec![Entry {
                    key: k.into(),
                    key_span: at(),
                    value: s(v),
                }]),
            )
        };
        let merged = call("merge", &[m("a", "1"), m("a", "2")], at());
        assert_eq!(text(&call("lookup", &[merged, s("a")], at())), "2");
    }

    #[test]
    fn paths() {
        assert_eq!(text(&call("dirname", &[s("a/b/c.json")], at())), "a/b");
        assert_eq!(text(&call("basename", &[s("a/b/c.json")], at())), "c.json");
    }

    #[test]
    fn format_verbs() {
        let t = |a: &[&str]| {
            format_text(&a.iter().map(|x| Text::lit(*x)).collect::<Vec<_>>()).map(|t| t.to_string())
        };
        assert_eq!(t(&["%s-%d%%", "a", "1"]).as_deref(), Some("a-1%"));
        // Too few arguments, or a verb not handled: no value.
        assert_eq!(t(&["%s %s", "a"]), None);
        assert_eq!(t(&["%q", "a"]), None);
    }
}
