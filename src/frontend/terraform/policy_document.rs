//! Policy documents in Terraform: `jsonencode(…)`, heredocs and strings holding JSON (with
//! their interpolations evaluated, positions kept), `file()`/`templatefile()`, and
//! `data "aws_iam_policy_document"` rendered as the provider renders it — every block and
//! attribute, `not_*` forms, and `source_policy_documents` / `override_policy_documents` merged
//! by Sid.

use super::scope::Scope;
use super::span_of;
use crate::frontend::json_nodes::{OffsetMap, parse_nodes};
use crate::source::{FileId, Span};
use crate::value::{Entry, Node, NodeKind, Text};
use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::Block;
use hcl_edit::template::Template;

/// A template (a heredoc, a file read by `templatefile()`) whose text is a JSON document:
/// `text` starts at byte `base` of `file`.
pub struct JsonTemplate<'a> {
    pub tpl: &'a Template,
    pub file: FileId,
    pub base: usize,
    pub text: &'a str,
}

/// What rendering a document needs of the module evaluation it happens in.
pub trait Evaluate {
    /// The value of an expression of `file`.
    fn eval(&self, e: &Expression, file: FileId, scope: &Scope) -> Node;
    /// The document a template holding JSON stands for, its interpolations evaluated.
    fn json_template(&self, json: JsonTemplate<'_>, scope: &Scope) -> Option<Node>;
    /// The text of a file of the scan.
    fn file_text(&self, file: FileId) -> String;
}

/// The document a `policy` argument holds, and the span policy-level findings use.
pub fn policy_of(inst: &dyn Evaluate, e: &Expression, file: FileId) -> (Option<Node>, Span) {
    let span = span_of(file, e.span());
    match e {
        Expression::HeredocTemplate(h) => {
            let Some(r) = h.template.span() else {
                return (None, span);
            };
            let text = &inst_text(inst, file);
            let Some(raw) = text.get(r.clone()) else {
                return (None, span);
            };
            (
                inst.json_template(
                    JsonTemplate {
                        tpl: &h.template,
                        file,
                        base: r.start,
                        text: raw,
                    },
                    &Scope::default(),
                ),
                span,
            )
        }
        _ => {
            let v = inst.eval(e, file, &Scope::default());
            match v.kind {
                NodeKind::Doc(d) => {
                    let s = d.span;
                    (
                        Some(*d),
                        if s.file == file && s.start == 0 && s.end == 0 {
                            span
                        } else {
                            s
                        },
                    )
                }
                NodeKind::Str(t) => match t.as_str() {
                    // JSON held in a plain string: every position collapses onto the string.
                    Some(s) => {
                        let zeros = vec![0usize; s.len() + 1];
                        let doc = parse_nodes(
                            s,
                            OffsetMap {
                                file,
                                base: span.start as usize,
                                map: Some(&zeros),
                            },
                        )
                        .ok();
                        (doc, span)
                    }
                    None => (None, span),
                },
                _ => (None, span),
            }
        }
    }
}

fn inst_text(inst: &dyn Evaluate, file: FileId) -> String {
    inst.file_text(file)
}

/// Renders a `data "aws_iam_policy_document"` block to the document the provider produces.
pub fn render(inst: &dyn Evaluate, b: &Block, file: FileId) -> Node {
    let span = span_of(file, b.span());
    let scope = Scope::default();
    let attr = |name: &str| {
        b.body
            .get_attribute(name)
            .map(|a| (a, inst.eval(&a.value, file, &scope)))
    };
    let mut entries = vec![];
    let version = attr("version");
    entries.push(match &version {
        Some((a, v)) => Entry {
            key: "Version".into(),
            key_span: span_of(file, a.key.span()),
            value: v.clone(),
        },
        None => Entry {
            key: "Version".into(),
            key_span: span,
            value: Node::new(span, NodeKind::Str(Text::lit("2012-10-17"))),
        },
    });
    if let Some((a, v)) = attr("policy_id") {
        entries.push(Entry {
            key: "Id".into(),
            key_span: span_of(file, a.key.span()),
            value: v,
        });
    }
    // Statements by Sid: sources first, then this document's, then overrides.
    let mut statements: Vec<(Option<String>, Node)> = vec![];
    // Where each Sid's statement is (Sids stay unique in `statements`).
    let mut by_sid: std::collections::HashMap<String, usize> = Default::default();
    let mut open = false;
    let mut merge = |statements: &mut Vec<(Option<String>, Node)>,
                     incoming: Vec<(Option<String>, Node)>,
                     replace: bool| {
        for (sid, st) in incoming {
            match sid.as_ref().and_then(|s| by_sid.get(s).copied()) {
                Some(i) if replace => statements[i] = (sid, st),
                Some(_) => {}
                None => {
                    if let Some(s) = &sid {
                        by_sid.insert(s.clone(), statements.len());
                    }
                    statements.push((sid, st));
                }
            }
        }
    };
    for name in ["source_policy_documents", "source_json"] {
        if let Some((_, v)) = attr(name) {
            let (st, o) = doc_statements(&v);
            open |= o;
            merge(&mut statements, st, true);
        }
    }
    let own: Vec<(Option<String>, Node)> = b
        .body
        .blocks()
        .filter(|s| s.ident.as_str() == "statement")
        .map(|s| render_statement(inst, s, file, &scope))
        .collect();
    merge(&mut statements, own, true);
    for d in b.body.blocks().filter(|s| {
        s.ident.as_str() == "dynamic" && s.labels.first().map(|l| l.as_str()) == Some("statement")
    }) {
        statements.extend(render_dynamic_statement(inst, d, file, &scope).map(|n| (None, n)));
    }
    for name in ["override_policy_documents", "override_json"] {
        if let Some((_, v)) = attr(name) {
            let (st, o) = doc_statements(&v);
            open |= o;
            merge(&mut statements, st, true);
        }
    }
    let mut list: Vec<Node> = statements.into_iter().map(|(_, n)| n).collect();
    if open {
        list.push(Node::new(span, NodeKind::Unknown));
    }
    entries.push(Entry {
        key: "Statement".into(),
        key_span: span,
        value: Node::new(span, NodeKind::List(list)),
    });
    Node::new(span, NodeKind::Map(entries))
}

/// A `dynamic "statement"`: its content with an unknown iterator, judged as if it exists.
fn render_dynamic_statement(
    inst: &dyn Evaluate,
    d: &Block,
    file: FileId,
    scope: &Scope,
) -> Option<Node> {
    let content = d.body.blocks().find(|c| c.ident.as_str() == "content")?;
    let it = d
        .body
        .get_attribute("iterator")
        .map(|a| a.value.to_string().trim().to_string())
        .unwrap_or_else(|| "statement".into());
    let s = scope.with(&it, Node::new(span_of(file, d.span()), NodeKind::Unknown));
    let (_, mut node) = render_statement_in(inst, content, file, &s, span_of(file, d.span()));
    // Unless `for_each` certainly has elements, the statement may not exist: its
    // effect is unknown (an Allow counts as a possible grant, a Deny blocks nothing
    // for certain).
    let exists = d
        .body
        .get_attribute("for_each")
        .is_some_and(|a| match &a.value {
            Expression::Array(items) => !items.is_empty(),
            Expression::Object(o) => !o.is_empty(),
            _ => false,
        });
    if !exists && let NodeKind::Map(entries) = &mut node.kind {
        for e in entries.iter_mut().filter(|e| e.key == "Effect") {
            e.value = Node::new(e.value.span, NodeKind::Unknown);
        }
    }
    Some(node)
}

/// The statements of evaluated documents (a list of them, or one), with their Sids; `true`
/// when some could not be read.
fn doc_statements(v: &Node) -> (Vec<(Option<String>, Node)>, bool) {
    let docs: Vec<&Node> = match &v.kind {
        NodeKind::List(l) => l.iter().collect(),
        _ => vec![v],
    };
    let mut out = vec![];
    let mut open = false;
    for d in docs {
        let d = match &d.kind {
            NodeKind::Doc(inner) => inner.as_ref(),
            _ => d,
        };
        match d.get("Statement").map(|e| &e.value.kind) {
            Some(NodeKind::List(l)) => {
                for s in l {
                    let sid = s
                        .get("Sid")
                        .and_then(|e| e.value.scalar_text())
                        .and_then(|t| t.as_str().map(str::to_string));
                    out.push((sid, s.clone()));
                }
            }
            Some(NodeKind::Map(_)) => {
                let s = &d.get("Statement").expect("checked").value;
                let sid = s
                    .get("Sid")
                    .and_then(|e| e.value.scalar_text())
                    .and_then(|t| t.as_str().map(str::to_string));
                out.push((sid, s.clone()));
            }
            _ => open = true,
        }
    }
    (out, open)
}

fn render_statement(
    inst: &dyn Evaluate,
    s: &Block,
    file: FileId,
    scope: &Scope,
) -> (Option<String>, Node) {
    render_statement_in(inst, s, file, scope, span_of(file, s.span()))
}

fn render_statement_in(
    inst: &dyn Evaluate,
    s: &Block,
    file: FileId,
    scope: &Scope,
    span: Span,
) -> (Option<String>, Node) {
    let mut entries = vec![];
    let mut sid = None;
    let attr = |name: &str| {
        s.body.get_attribute(name).map(|a| {
            (
                span_of(file, a.key.span()),
                inst.eval(&a.value, file, scope),
            )
        })
    };
    if let Some((k, v)) = attr("sid") {
        sid = v.scalar_text().and_then(|t| t.as_str().map(str::to_string));
        entries.push(Entry {
            key: "Sid".into(),
            key_span: k,
            value: v,
        });
    }
    entries.push(match attr("effect") {
        Some((k, v)) => Entry {
            key: "Effect".into(),
            key_span: k,
            value: v,
        },
        // The provider's default.
        None => Entry {
            key: "Effect".into(),
            key_span: span,
            value: Node::new(span, NodeKind::Str(Text::lit("Allow"))),
        },
    });
    for (hcl, json) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        if let Some((k, v)) = attr(hcl) {
            entries.push(Entry {
                key: json.into(),
                key_span: k,
                value: v,
            });
        }
    }
    for (hcl, json) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        if let Some((key_span, value)) = render_principals(inst, s, file, scope, span, hcl) {
            entries.push(Entry {
                key: json.into(),
                key_span,
                value,
            });
        }
    }
    dynamic_principals(s, file, &mut entries);
    entries.extend(render_conditions(inst, s, file, scope, span));
    dynamic_condition(s, file, &mut entries);
    (sid, Node::new(span, NodeKind::Map(entries)))
}

/// A `dynamic` block of the statement generating `label` blocks.
fn dynamic<'a>(s: &'a Block, label: &str) -> Option<&'a Block> {
    s.body.blocks().find(|b| {
        b.ident.as_str() == "dynamic" && b.labels.first().map(|l| l.as_str()) == Some(label)
    })
}

/// `dynamic "principals"`: the principal it adds cannot be read.
fn dynamic_principals(s: &Block, file: FileId, entries: &mut Vec<Entry>) {
    for (label, json) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        if let Some(d) = dynamic(s, label) {
            let dspan = span_of(file, d.span());
            entries.retain(|e| e.key != json);
            entries.push(Entry {
                key: json.into(),
                key_span: dspan,
                value: Node::new(dspan, NodeKind::Unknown),
            });
        }
    }
}

/// `dynamic "condition"`: the tests it adds cannot be read.
fn dynamic_condition(s: &Block, file: FileId, entries: &mut Vec<Entry>) {
    let Some(d) = dynamic(s, "condition") else {
        return;
    };
    let dspan = span_of(file, d.span());
    let mut ops = vec![Entry {
        key: "?".into(),
        key_span: dspan,
        value: Node::new(dspan, NodeKind::Unknown),
    }];
    if let Some(i) = entries.iter().position(|e| e.key == "Condition") {
        if let NodeKind::Map(m) = &mut entries[i].value.kind {
            m.append(&mut ops);
        }
    } else {
        entries.push(Entry {
            key: "Condition".into(),
            key_span: dspan,
            value: Node::new(dspan, NodeKind::Map(ops)),
        });
    }
}

/// The `principals` (or `not_principals`) blocks of a statement as the provider renders them:
/// identifiers merged by type, `*`/`*` as `"*"`; an unknown type makes the principal unknown.
/// Returns the element and the span of its first block's name.
fn render_principals(
    inst: &dyn Evaluate,
    s: &Block,
    file: FileId,
    scope: &Scope,
    span: Span,
    hcl: &str,
) -> Option<(Span, Node)> {
    let blocks: Vec<&Block> = s
        .body
        .blocks()
        .filter(|b| b.ident.as_str() == hcl)
        .collect();
    let first = blocks.first()?;
    let whole = blocks
        .iter()
        .map(|b| span_of(file, b.span()))
        .reduce(|a, b| a.to(b))
        .unwrap_or(span);
    let mut by_type: Vec<Entry> = vec![];
    let mut star = false;
    for b in &blocks {
        let ty = b
            .body
            .get_attribute("type")
            .map(|a| inst.eval(&a.value, file, scope));
        let ids = b
            .body
            .get_attribute("identifiers")
            .map(|a| inst.eval(&a.value, file, scope));
        let (Some(ty), Some(ids)) = (ty, ids) else {
            continue;
        };
        let ty_s = ty
            .scalar_text()
            .and_then(|t| t.as_str().map(str::to_string));
        let ids_list = match &ids.kind {
            NodeKind::List(l) => l.clone(),
            _ => vec![ids.clone()],
        };
        match ty_s.as_deref() {
            Some("*")
                if ids_list.iter().all(|i| {
                    i.scalar_text().and_then(|t| t.as_str().map(|s| s == "*")) == Some(true)
                }) =>
            {
                star = true;
            }
            Some(t) => match by_type.iter_mut().find(|e| e.key == t) {
                Some(e) => {
                    if let NodeKind::List(l) = &mut e.value.kind {
                        l.extend(ids_list);
                    }
                }
                None => by_type.push(Entry {
                    key: t.to_string(),
                    key_span: span_of(file, b.span()),
                    value: Node::new(ids.span, NodeKind::List(ids_list)),
                }),
            },
            // An unknown principal type: the principal is unknown.
            None => by_type.push(Entry {
                key: "*".into(),
                key_span: span_of(file, b.span()),
                value: Node::new(ids.span, NodeKind::Unknown),
            }),
        }
    }
    let value = if star && by_type.is_empty() {
        Node::new(whole, NodeKind::Str(Text::lit("*")))
    } else if by_type.iter().any(|e| e.key == "*") {
        Node::new(whole, NodeKind::Unknown)
    } else {
        if star {
            by_type.push(Entry {
                key: "AWS".into(),
                key_span: whole,
                value: Node::new(whole, NodeKind::Str(Text::lit("*"))),
            });
        }
        Node::new(whole, NodeKind::Map(by_type))
    };
    Some((span_of(file, first.ident.span()), value))
}

/// The `condition` blocks of a statement: operators, keys and values, repeated blocks merged
/// as the provider merges them; a test whose operator or key cannot be read is unknown.
fn render_conditions(
    inst: &dyn Evaluate,
    s: &Block,
    file: FileId,
    scope: &Scope,
    span: Span,
) -> Option<Entry> {
    let conds: Vec<&Block> = s
        .body
        .blocks()
        .filter(|b| b.ident.as_str() == "condition")
        .collect();
    if conds.is_empty() {
        return None;
    }
    let mut ops: Vec<Entry> = vec![];
    for c in conds {
        let cspan = span_of(file, c.span());
        let test = c
            .body
            .get_attribute("test")
            .map(|a| inst.eval(&a.value, file, scope));
        let var = c.body.get_attribute("variable").map(|a| {
            (
                span_of(file, a.value.span()),
                inst.eval(&a.value, file, scope),
            )
        });
        let vals = c
            .body
            .get_attribute("values")
            .map(|a| inst.eval(&a.value, file, scope));
        let (Some(test), Some((vspan, var)), Some(vals)) = (test, var, vals) else {
            continue;
        };
        let (Some(test), Some(var)) = (
            test.scalar_text()
                .and_then(|t| t.as_str().map(str::to_string)),
            var.scalar_text()
                .and_then(|t| t.as_str().map(str::to_string)),
        ) else {
            // An unknown operator or key: a test we cannot read.
            ops.push(Entry {
                key: "?".into(),
                key_span: cspan,
                value: Node::new(cspan, NodeKind::Unknown),
            });
            continue;
        };
        let entry = Entry {
            key: var,
            key_span: vspan,
            value: vals,
        };
        match ops.iter_mut().find(|e| e.key == test) {
            Some(op) => {
                if let NodeKind::Map(m) = &mut op.value.kind {
                    merge_condition(m, entry);
                }
            }
            None => ops.push(Entry {
                key: test,
                key_span: cspan,
                value: Node::new(cspan, NodeKind::Map(vec![entry])),
            }),
        }
    }
    let first = s
        .body
        .blocks()
        .find(|b| b.ident.as_str() == "condition")
        .map(|b| span_of(file, b.span()))
        .unwrap_or(span);
    Some(Entry {
        key: "Condition".into(),
        key_span: first,
        value: Node::new(first, NodeKind::Map(ops)),
    })
}

/// Adds a condition block's variable to its operator's map; the provider merges the values of
/// blocks with the same test and variable.
fn merge_condition(m: &mut Vec<Entry>, entry: Entry) {
    let Some(same) = m.iter_mut().find(|e| e.key == entry.key) else {
        m.push(entry);
        return;
    };
    let mut values = match std::mem::replace(&mut same.value.kind, NodeKind::Null) {
        NodeKind::List(l) => l,
        other => vec![Node::new(same.value.span, other)],
    };
    match entry.value.kind {
        NodeKind::List(l) => values.extend(l),
        other => values.push(Node::new(entry.value.span, other)),
    }
    same.value.kind = NodeKind::List(values);
}
