//! A typed view of an IAM policy document over [`Node`] trees: statements with their Effect,
//! Principal/NotPrincipal, Action/NotAction, Resource/NotResource and Condition, each element
//! with its span, plus the grammar violations TG012 reports.

use crate::source::Span;
use crate::value::{Node, NodeKind, Text};

/// A scalar element of a policy: one action, resource, principal or condition value.
#[derive(Clone, Debug)]
pub struct Item {
    pub text: Text,
    pub span: Span,
}

/// `Action`/`NotAction` or `Resource`/`NotResource`.
#[derive(Clone, Debug)]
pub struct Element {
    pub negated: bool,
    pub key_span: Span,
    pub value_span: Span,
    pub items: Vec<Item>,
}

impl Element {
    /// Key through value: `"Resource": [...]`.
    pub fn span(&self) -> Span {
        self.key_span.to(self.value_span)
    }
}

/// One principal of a `Principal` map: `{"Service": "cloudtrail.amazonaws.com"}`.
#[derive(Clone, Debug)]
pub struct PrincipalEntry {
    /// `AWS`, `Service`, `Federated`, `CanonicalUser`, or `*` for the bare `"*"` form.
    pub ptype: String,
    pub item: Item,
}

#[derive(Clone, Debug)]
pub struct PrincipalElement {
    pub negated: bool,
    pub key_span: Span,
    pub value_span: Span,
    pub entries: Vec<PrincipalEntry>,
}

impl PrincipalElement {
    pub fn span(&self) -> Span {
        self.key_span.to(self.value_span)
    }
}

/// Where an object's members are written (a statement, a Condition block, an operator's
/// keys), for fixes that add one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    pub span: Span,
    /// Key through value of each member written in the object's own text.
    pub members: Box<[Span]>,
}

impl Shape {
    pub fn of(node: &Node) -> Shape {
        let members = match &node.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .filter(|e| {
                    e.key_span != node.span
                        && e.key_span.file == node.span.file
                        && e.value.span.file == node.span.file
                        && e.key_span.start >= node.span.start
                        && e.value.span.end <= node.span.end
                })
                .map(|e| e.key_span.to(e.value.span))
                .collect(),
            _ => vec![],
        };
        Shape {
            span: node.span,
            members: members.into_boxed_slice(),
        }
    }
}

/// One `Operator: {Key: values}` test of a Condition block.
#[derive(Clone, Debug)]
pub struct Condition {
    pub op: String,
    pub op_span: Span,
    pub key: String,
    pub key_span: Span,
    pub values: Vec<Item>,
    pub value_span: Span,
}

impl Condition {
    pub fn key_is(&self, key: &str) -> bool {
        self.key.eq_ignore_ascii_case(key)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

#[derive(Clone, Debug)]
pub struct Statement {
    pub index: usize,
    pub span: Span,
    pub sid: Option<String>,
    /// `None` when the Effect is missing, invalid or unknown.
    pub effect: Option<Effect>,
    pub principal: Option<PrincipalElement>,
    pub action: Option<Element>,
    pub resource: Option<Element>,
    pub conditions: Vec<Condition>,
    /// Part of the Condition block could not be read (an unknown value).
    pub conditions_open: bool,
    /// The statement's members, for fixes.
    pub shape: Shape,
    /// The Condition block's value, when there is one.
    pub condition_block: Option<Shape>,
    /// Each operator's map of keys, for fixes.
    pub operators: Vec<(String, Shape)>,
    /// The deploy-time condition the statement exists under.
    pub guard: crate::guard::Guard,
}

impl Statement {
    pub fn is_allow(&self) -> bool {
        self.effect == Some(Effect::Allow)
    }

    pub fn is_deny(&self) -> bool {
        self.effect == Some(Effect::Deny)
    }

    /// The statement's logical name: its Sid, else its index.
    pub fn label(&self) -> String {
        match &self.sid {
            Some(s) if !s.is_empty() => s.clone(),
            _ => format!("#{}", self.index),
        }
    }
}

/// Whether a policy is attached to a bucket or a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    Bucket,
    Key,
}

/// A grammar violation (TG012).
#[derive(Clone, Debug)]
pub struct GrammarError {
    pub span: Span,
    pub message: String,
}

/// The statements of a document and what could not be read.
#[derive(Clone, Debug, Default)]
pub struct Document {
    pub statements: Vec<Statement>,
    /// The `Statement` value, for fixes that add one: its span and whether it is a list
    /// (else one statement).
    pub statement_list: Option<(Span, bool)>,
    /// Some statements are unknown (an unevaluated expression): conclusions about the whole
    /// policy ("no statement grants …") are then not certain.
    pub open: bool,
    pub grammar: Vec<GrammarError>,
}

impl Document {
    /// Every value of its statements' actions, resources, principals and condition values,
    /// with its span (how a file spells what these evaluated to).
    pub fn values(&self) -> Vec<(Span, crate::value::Text)> {
        let mut out = vec![];
        for s in &self.statements {
            let elements = s.action.iter().chain(&s.resource);
            for it in elements.flat_map(|e| &e.items) {
                out.push((it.span, it.text.clone()));
            }
            if let Some(p) = &s.principal {
                out.extend(p.entries.iter().map(|e| (e.item.span, e.item.text.clone())));
            }
            for c in &s.conditions {
                out.extend(c.values.iter().map(|v| (v.span, v.text.clone())));
            }
        }
        out
    }
}

const VERSIONS: [&str; 2] = ["2012-10-17", "2008-10-17"];

/// Reads a policy document. `needs_principal`: bucket and key policies must name a principal.
pub fn read_document(doc: &Node, needs_principal: bool) -> Document {
    if let NodeKind::Doc(inner) = &doc.kind {
        return read_document(inner, needs_principal);
    }
    let mut d = Document::default();
    let entries = match &doc.kind {
        NodeKind::Map(e) => e,
        NodeKind::Unknown => {
            d.open = true;
            return d;
        }
        _ => {
            d.grammar.push(GrammarError {
                span: doc.span,
                message: "the policy document is not a JSON object".into(),
            });
            return d;
        }
    };
    if let Some(v) = entries.iter().find(|e| e.key == "Version")
        && let NodeKind::Str(t) = &v.value.kind
        && let Some(s) = t.as_str()
        && !VERSIONS.contains(&s)
    {
        d.grammar.push(GrammarError {
            span: v.value.span,
            message: format!("Version \"{s}\" is not one IAM accepts (2012-10-17 or 2008-10-17)"),
        });
    }
    let Some(st) = entries.iter().find(|e| e.key == "Statement") else {
        d.grammar.push(GrammarError {
            span: doc.span,
            message: "the policy document has no Statement".into(),
        });
        return d;
    };
    d.statement_list = Some((st.value.span, matches!(st.value.kind, NodeKind::List(_))));
    let nodes: Vec<&Node> = match &st.value.kind {
        NodeKind::List(items) => items.iter().collect(),
        NodeKind::Map(_) => vec![&st.value],
        NodeKind::Unknown => {
            d.open = true;
            vec![]
        }
        _ => {
            d.grammar.push(GrammarError {
                span: st.value.span,
                message: "Statement must be an object or a list of objects".into(),
            });
            vec![]
        }
    };
    d.statements.reserve_exact(nodes.len());
    for (index, node) in nodes.into_iter().enumerate() {
        match &node.kind {
            NodeKind::Map(_) => {
                let s = read_statement(node, index, needs_principal, &mut d.grammar);
                d.statements.push(s);
            }
            NodeKind::Unknown => d.open = true,
            _ => d.grammar.push(GrammarError {
                span: node.span,
                message: "a statement must be an object".into(),
            }),
        }
    }
    d
}

fn read_statement(
    node: &Node,
    index: usize,
    needs_principal: bool,
    grammar: &mut Vec<GrammarError>,
) -> Statement {
    let mut err = |span: Span, message: String| grammar.push(GrammarError { span, message });
    let sid = node
        .get("Sid")
        .and_then(|e| e.value.scalar_text())
        .map(|t| t.to_string());
    let effect = match node.get("Effect") {
        None => {
            err(node.span, "the statement has no Effect".into());
            None
        }
        Some(e) => match &e.value.kind {
            NodeKind::Str(t) => match t.as_str() {
                Some(s) if s.eq_ignore_ascii_case("allow") => Some(Effect::Allow),
                Some(s) if s.eq_ignore_ascii_case("deny") => Some(Effect::Deny),
                Some(s) => {
                    err(
                        e.value.span,
                        format!("Effect \"{s}\" is neither Allow nor Deny"),
                    );
                    None
                }
                None => None,
            },
            NodeKind::Unknown => None,
            _ => {
                err(e.value.span, "Effect must be Allow or Deny".into());
                None
            }
        },
    };
    let pair = |a: &str, b: &str, err: &mut dyn FnMut(Span, String)| {
        let x = node.get(a);
        let y = node.get(b);
        if let (Some(_), Some(y)) = (x, y) {
            err(
                y.key_span,
                format!("a statement cannot have both {a} and {b}"),
            );
        }
        x.map(|e| (false, e)).or(y.map(|e| (true, e)))
    };
    let principal = pair("Principal", "NotPrincipal", &mut err).map(|(neg, e)| PrincipalElement {
        negated: neg,
        key_span: e.key_span,
        value_span: e.value.span,
        entries: principal_entries(&e.value),
    });
    let action = pair("Action", "NotAction", &mut err).map(|(neg, e)| element(neg, e));
    let resource = pair("Resource", "NotResource", &mut err).map(|(neg, e)| element(neg, e));
    if action.is_none() {
        err(
            node.span,
            "the statement has neither Action nor NotAction".into(),
        );
    }
    if needs_principal && principal.is_none() {
        err(
            node.span,
            "a statement of a bucket or key policy needs Principal or NotPrincipal".into(),
        );
    }
    let (conditions, conditions_open, operators) = match node.get("Condition") {
        None => (vec![], false, vec![]),
        Some(c) => read_conditions(&c.value),
    };
    let condition_block = node.get("Condition").map(|c| Shape::of(&c.value));
    Statement {
        index,
        span: node.span,
        sid,
        effect,
        principal,
        action,
        resource,
        conditions,
        conditions_open,
        shape: Shape::of(node),
        condition_block,
        operators,
        guard: Default::default(),
    }
}

/// The scalars of a value that may be one scalar or a list of them.
pub fn items(node: &Node) -> Vec<Item> {
    match &node.kind {
        NodeKind::List(list) => list.iter().map(item).collect(),
        _ => vec![item(node)],
    }
}

fn item(node: &Node) -> Item {
    let text = node
        .scalar_text()
        .unwrap_or_else(|| Text::unknown(format!("?{}:{}", node.span.file, node.span.start)));
    Item {
        text,
        span: node.span,
    }
}

fn element(negated: bool, e: &crate::value::Entry) -> Element {
    Element {
        negated,
        key_span: e.key_span,
        value_span: e.value.span,
        items: items(&e.value),
    }
}

fn principal_entries(v: &Node) -> Vec<PrincipalEntry> {
    match &v.kind {
        NodeKind::Map(entries) => {
            let mut out: Vec<PrincipalEntry> = entries
                .iter()
                .flat_map(|e| {
                    items(&e.value).into_iter().map(|item| PrincipalEntry {
                        ptype: e.key.clone(),
                        item,
                    })
                })
                .collect();
            out.shrink_to_fit();
            out
        }
        _ => vec![PrincipalEntry {
            ptype: "*".into(),
            item: item(v),
        }],
    }
}

/// The tests of a Condition block, whether part of it is unknown, and each operator's shape.
fn read_conditions(v: &Node) -> (Vec<Condition>, bool, Vec<(String, Shape)>) {
    let NodeKind::Map(ops) = &v.kind else {
        return (vec![], true, vec![]);
    };
    // Exactly the room needed: a policy's statements are kept for the whole scan.
    let keys = |op: &crate::value::Entry| match &op.value.kind {
        NodeKind::Map(keys) => keys.len(),
        _ => 0,
    };
    let mut out = Vec::with_capacity(ops.iter().map(keys).sum());
    let mut open = false;
    let mut shapes = Vec::with_capacity(
        ops.iter()
            .filter(|op| matches!(op.value.kind, NodeKind::Map(_)))
            .count(),
    );
    for op in ops {
        let NodeKind::Map(keys) = &op.value.kind else {
            open = true;
            continue;
        };
        shapes.push((op.key.clone(), Shape::of(&op.value)));
        for k in keys {
            out.push(Condition {
                op: op.key.clone(),
                op_span: op.key_span,
                key: k.key.clone(),
                key_span: k.key_span,
                values: items(&k.value),
                value_span: k.value.span,
            });
        }
    }
    (out, open, shapes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::json_nodes::{OffsetMap, parse_nodes};

    fn doc(json: &str) -> Document {
        let n = parse_nodes(
            json,
            OffsetMap {
                file: 0,
                base: 0,
                map: None,
            },
        )
        .unwrap();
        read_document(&n, true)
    }

    #[test]
    fn statements_as_object_or_list() {
        let one = doc(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}"#,
        );
        assert_eq!(one.statements.len(), 1);
        assert!(one.grammar.is_empty(), "{:?}", one.grammar);
        let two = doc(r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"A","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":["s3:PutObject"],"Resource":"*"},
            {"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::1:root"},"NotAction":"s3:*","Resource":"*"}]}"#);
        assert_eq!(two.statements.len(), 2);
        assert_eq!(two.statements[0].label(), "A");
        assert_eq!(two.statements[1].label(), "#1");
        assert!(two.statements[1].is_deny());
        assert!(two.statements[1].action.as_ref().unwrap().negated);
    }

    #[test]
    fn conditions_read_operator_key_and_values() {
        let d = doc(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",
            "Action":"s3:PutObject","Resource":"*",
            "Condition":{"StringEqualsIfExists":{"aws:SourceAccount":["1","2"]}}}]}"#,
        );
        let c = &d.statements[0].conditions[0];
        assert!(c.key_is("AWS:SOURCEACCOUNT"));
        assert_eq!(c.values.len(), 2);
        assert!(!d.statements[0].conditions_open);
    }

    #[test]
    fn grammar_violations_are_reported() {
        // No Effect; a bucket policy without a principal; an unknown Version.
        let d = doc(r#"{"Version":"2013-01-01","Statement":[{"Action":"s3:*","Resource":"*"}]}"#);
        assert!(d.grammar.len() >= 2, "{:?}", d.grammar);
        assert_eq!(d.statements[0].effect, None);
        let not_object = doc(r#"["Statement"]"#);
        assert_eq!(not_object.grammar.len(), 1);
    }
}
