//! A CloudFormation template to model pieces: intrinsic functions evaluated to symbolic values
//! (`Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap`,
//! `Fn::If`, `AWS::NoValue`; `Fn::ImportValue` and the rest are unknown), parameters and
//! pseudo parameters as symbols, and the resources that matter — buckets, bucket policies,
//! keys, aliases, trails — linked inside the template. Suppressions: `#` comments and a
//! resource's `Metadata: {trailguard: {ignore: [...]}}`.

use crate::aws::arn;
use crate::aws::cloudtrail::trail_arn;
use crate::aws::legacy_accounts::names_legacy_account;
use crate::frontend::json_nodes::{OffsetMap, embedded_document, parse_nodes};
use crate::guard::{Formula, Guard, Kept};
use crate::value::Truth;

#[path = "logs.rs"]
mod logs;
use crate::model::{Bucket, Key, KeyAlias, Model, Policy, Suppression, Trail};
use crate::policy::{Document, PolicyKind, read_document};
use crate::source::{FileId, SourceFile, Span};
use crate::value::{Entry, Kind, Node, NodeKind, Symbol, Text};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};

const MAX_DEPTH: usize = 64;
/// Most formula nodes a named condition read from the top may expand to (conditions naming
/// conditions): past this, or nested deeper than [`MAX_DEPTH`], it is unknown. Conditions
/// that share conditions would otherwise grow exponentially with their number.
const MAX_FORMULA: usize = 4096;

/// The entries of a mapping by key: the first of a repeated key, as [`Node::get`] finds it.
fn by_key(node: Option<&Node>) -> HashMap<&str, &Entry> {
    let mut out = HashMap::new();
    if let Some(NodeKind::Map(entries)) = node.map(|n| &n.kind) {
        for e in entries {
            out.entry(e.key.as_str()).or_insert(e);
        }
    }
    out
}

/// Whether a parsed document is a CloudFormation template.
pub fn is_template(root: &Node) -> bool {
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    match root.get("Resources").map(|e| &e.value.kind) {
        Some(NodeKind::Map(rs)) => rs.iter().any(|r| {
            r.value
                .get("Type")
                .and_then(|t| t.value.scalar_text())
                .is_some_and(|t| t.known_prefix().starts_with("AWS::"))
        }),
        _ => false,
    }
}

struct Cx<'a> {
    file: FileId,
    root: &'a Node,
    /// The resources by logical ID, and the named conditions (the first of a repeated name,
    /// as a search in order finds it).
    by_id: HashMap<&'a str, &'a Entry>,
    conditions: HashMap<&'a str, &'a Entry>,
    /// Named conditions, `Ref`s and `Fn::GetAtt`s already evaluated, by their `busy` key, when
    /// their value did not depend on where they were asked for (see `limits_met`): each is
    /// evaluated once, not once per path to it (shared names would cost exponential time).
    read_conditions: RefCell<HashMap<String, Formula>>,
    resolved: RefCell<HashMap<String, Text>>,
    /// How many times a value was cut short by what is being evaluated around it: a name met
    /// again while being evaluated (a cycle), nesting past [`MAX_DEPTH`], the formula budget.
    limits_met: Cell<usize>,
    /// Formula nodes left to the condition being read from the top, and the nesting reached.
    formula_budget: Cell<usize>,
    formula_depth: Cell<usize>,
    busy: RefCell<HashSet<String>>,
    depth: RefCell<usize>,
    /// The conditions `Fn::If` branches were taken under, by the span of the value kept.
    guards: Kept,
}

fn no_value(n: &Node) -> bool {
    matches!(n.get("Ref").map(|e| e.value.scalar_text()), Some(Some(t)) if t.as_str() == Some("AWS::NoValue"))
}

impl<'a> Cx<'a> {
    fn sym(&self, kind: Kind, name: &str) -> Text {
        Text::sym(Symbol::scoped(kind, name.to_string(), self.file + 1))
    }

    fn pseudo(&self, name: &str) -> Option<Text> {
        // Pseudo parameters are the stack's: a template is one deployment unit, and two stacks
        // may be deployed to two accounts or Regions, so each template has its own.
        Some(match name {
            "AWS::AccountId" => self.sym(Kind::Account, name),
            "AWS::Region" => self.sym(Kind::Region, name),
            "AWS::Partition" => self.sym(Kind::Partition, name),
            "AWS::URLSuffix" | "AWS::StackName" | "AWS::StackId" | "AWS::NotificationARNs" => {
                self.sym(Kind::Any, name)
            }
            _ => return None,
        })
    }

    fn resource(&self, id: &str) -> Option<&'a Entry> {
        self.by_id.get(id).copied()
    }

    fn rtype(r: &Entry) -> String {
        r.value
            .get("Type")
            .and_then(|t| t.value.scalar_text())
            .map(|t| t.to_string())
            .unwrap_or_default()
    }

    fn prop(&self, r: &Entry, name: &str) -> Option<Node> {
        let p = r.value.get("Properties")?.value.get(name)?;
        let v = self.eval(&p.value);
        (!no_value(&v)).then_some(v)
    }

    fn prop_text(&self, r: &Entry, name: &str) -> Option<Text> {
        self.prop(r, name).map(|n| {
            n.scalar_text()
                .unwrap_or_else(|| self.sym(Kind::Any, &format!("{}.{name}", r.key)))
        })
    }

    fn bucket_name(&self, r: &Entry) -> Text {
        self.prop_text(r, "BucketName")
            .unwrap_or_else(|| self.sym(Kind::Bucket, &format!("{}.BucketName", r.key)))
    }

    fn key_id(&self, r: &Entry) -> Text {
        self.sym(Kind::KeyId, &format!("{}.KeyId", r.key))
    }

    /// An ARN of this stack's partition, Region and account.
    fn arn_here(&self, service: &str, resource: &Text) -> Text {
        arn::write(
            &self.pseudo("AWS::Partition").expect("pseudo"),
            service,
            &self.pseudo("AWS::Region").expect("pseudo"),
            &self.pseudo("AWS::AccountId").expect("pseudo"),
            resource,
        )
    }

    fn key_arn(&self, r: &Entry) -> Text {
        self.arn_here("kms", &arn::resource("key/", &self.key_id(r)))
    }

    fn trail_name(&self, r: &Entry) -> Text {
        self.prop_text(r, "TrailName")
            .unwrap_or_else(|| self.sym(Kind::TrailName, &format!("{}.TrailName", r.key)))
    }

    fn trail_arn(&self, r: &Entry) -> Text {
        trail_arn(
            &self.pseudo("AWS::Partition").expect("pseudo"),
            &self.pseudo("AWS::Region").expect("pseudo"),
            &self.pseudo("AWS::AccountId").expect("pseudo"),
            &self.trail_name(r),
        )
    }

    /// `Ref` of a name: a parameter, a pseudo parameter or a resource.
    /// A named condition of the template's `Conditions`, as a formula over its parameters.
    fn condition(&self, name: &str) -> Formula {
        let Some(node) = self.conditions.get(name).map(|e| &e.value) else {
            return Formula::Unknown;
        };
        let top = self.formula_depth.get() == 0;
        if top {
            self.formula_budget.set(MAX_FORMULA);
        }
        let key = format!("Condition {name}");
        let known = self.read_conditions.borrow().get(&key).cloned();
        let f = match known {
            Some(f) => {
                // As much of the budget, and as deep, as reading it again would take.
                let (nodes, height) = f.measure();
                match self.formula_budget.get().checked_sub(nodes) {
                    Some(rest) if self.formula_depth.get() + height <= MAX_DEPTH => {
                        self.formula_budget.set(rest);
                    }
                    _ => self.cut_short(),
                }
                f
            }
            None => {
                if !self.busy.borrow_mut().insert(key.clone()) {
                    self.limits_met.set(self.limits_met.get() + 1);
                    return Formula::Unknown;
                }
                let met = self.limits_met.get();
                let f = self.formula(node);
                self.busy.borrow_mut().remove(&key);
                if self.limits_met.get() == met {
                    self.read_conditions.borrow_mut().insert(key, f.clone());
                }
                f
            }
        };
        if top && self.formula_budget.get() == 0 {
            return Formula::Unknown;
        }
        f
    }

    /// The formula budget is spent: the condition read from the top is unknown.
    fn cut_short(&self) {
        self.formula_budget.set(0);
        self.limits_met.set(self.limits_met.get() + 1);
    }

    /// A condition function, within the budget of the condition read from the top.
    fn formula(&self, n: &Node) -> Formula {
        let (left, depth) = (self.formula_budget.get(), self.formula_depth.get());
        if left == 0 || depth >= MAX_DEPTH {
            self.cut_short();
            return Formula::Unknown;
        }
        self.formula_budget.set(left - 1);
        self.formula_depth.set(depth + 1);
        let f = self.formula_of(n);
        self.formula_depth.set(depth);
        f
    }

    /// A condition function (`Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or`, `Condition`).
    fn formula_of(&self, n: &Node) -> Formula {
        let NodeKind::Map(entries) = &n.kind else {
            return match n.scalar_text().and_then(|t| t.as_str().map(str::to_string)) {
                Some(s) if s.eq_ignore_ascii_case("true") => Formula::Const(true),
                Some(s) if s.eq_ignore_ascii_case("false") => Formula::Const(false),
                _ => Formula::Unknown,
            };
        };
        let [e] = entries.as_slice() else {
            return Formula::Unknown;
        };
        let args = || match &e.value.kind {
            NodeKind::List(l) => l.clone(),
            _ => vec![e.value.clone()],
        };
        match e.key.as_str() {
            "Fn::Equals" => match args().as_slice() {
                [a, b] => match (self.text(a), self.text(b)) {
                    (Some(a), Some(b)) => Formula::Eq(a, b),
                    _ => Formula::Unknown,
                },
                _ => Formula::Unknown,
            },
            "Fn::Not" => match args().as_slice() {
                [x] => Formula::Not(Box::new(self.formula(x))),
                _ => Formula::Unknown,
            },
            "Fn::And" => Formula::And(args().iter().map(|x| self.formula(x)).collect()),
            "Fn::Or" => Formula::Or(args().iter().map(|x| self.formula(x)).collect()),
            "Condition" => match e
                .value
                .scalar_text()
                .and_then(|t| t.as_str().map(str::to_string))
            {
                Some(name) => self.condition(&name),
                None => Formula::Unknown,
            },
            _ => Formula::Unknown,
        }
    }

    fn resource_guard(&self, r: &Entry) -> Guard {
        match r
            .value
            .get("Condition")
            .and_then(|c| c.value.scalar_text())
            .and_then(|t| t.as_str().map(str::to_string))
        {
            Some(name) => Guard::new(self.condition(&name)),
            None => Guard::default(),
        }
    }

    /// The value of a `Ref` or `Fn::GetAtt` by its `busy` key: evaluated once when it does not
    /// depend on where it is asked for; a name met again while being evaluated is unknown.
    fn resolve(&self, key: String, value: impl FnOnce(&str) -> Text) -> Text {
        if let Some(t) = self.resolved.borrow().get(&key) {
            return t.clone();
        }
        if !self.busy.borrow_mut().insert(key.clone()) {
            self.limits_met.set(self.limits_met.get() + 1);
            return self.sym(Kind::Any, &key);
        }
        let met = self.limits_met.get();
        let t = value(&key);
        self.busy.borrow_mut().remove(&key);
        if self.limits_met.get() == met {
            self.resolved.borrow_mut().insert(key, t.clone());
        }
        t
    }

    fn reference(&self, name: &str) -> Text {
        if let Some(p) = self.pseudo(name) {
            return p;
        }
        if let Some(r) = self.resource(name) {
            return self.resolve(format!("Ref {name}"), |key| match Self::rtype(r).as_str() {
                "AWS::S3::Bucket" => self.bucket_name(r),
                "AWS::KMS::Key" => self.key_id(r),
                "AWS::CloudTrail::Trail" => self.trail_name(r),
                "AWS::KMS::Alias" => self
                    .prop_text(r, "AliasName")
                    .unwrap_or_else(|| self.sym(Kind::Any, key)),
                _ => self.sym(Kind::Any, key),
            });
        }
        // A parameter (with or without a Default: stacks override it) or a name we do not know.
        self.sym(Kind::Any, name)
    }

    fn get_att(&self, res: &str, attr: &str) -> Text {
        let Some(r) = self.resource(res) else {
            return self.sym(Kind::Any, &format!("{res}.{attr}"));
        };
        self.resolve(format!("GetAtt {res}.{attr}"), |key| {
            match (Self::rtype(r).as_str(), attr) {
                ("AWS::S3::Bucket", "Arn") => crate::aws::s3::bucket_arn(
                    &self.pseudo("AWS::Partition").expect("pseudo"),
                    &self.bucket_name(r),
                ),
                ("AWS::S3::Bucket", "DomainName") => {
                    let mut t = self.bucket_name(r);
                    t.push_str(".s3.amazonaws.com");
                    t
                }
                ("AWS::KMS::Key", "Arn") => self.key_arn(r),
                ("AWS::KMS::Key", "KeyId") => self.key_id(r),
                ("AWS::CloudTrail::Trail", "Arn") => self.trail_arn(r),
                _ => self.sym(Kind::Any, key),
            }
        })
    }

    fn unknown(&self, span: Span) -> Node {
        Node::new(span, NodeKind::Unknown)
    }

    /// Evaluates intrinsic functions throughout a value.
    fn eval(&self, n: &Node) -> Node {
        {
            let mut d = self.depth.borrow_mut();
            if *d > MAX_DEPTH {
                self.limits_met.set(self.limits_met.get() + 1);
                return self.unknown(n.span);
            }
            *d += 1;
        }
        let v = self.eval_inner(n);
        *self.depth.borrow_mut() -= 1;
        v
    }

    fn eval_inner(&self, n: &Node) -> Node {
        let span = n.span;
        match &n.kind {
            NodeKind::List(items) => {
                let out: Vec<Node> = items
                    .iter()
                    .map(|x| self.eval(x))
                    .filter(|x| !no_value(x))
                    .collect();
                Node::new(span, NodeKind::List(out))
            }
            NodeKind::Map(entries)
                if entries.len() == 1
                    && (entries[0].key == "Ref" || entries[0].key.starts_with("Fn::")) =>
            {
                self.intrinsic(&entries[0].key, &entries[0].value, span)
            }
            NodeKind::Map(entries) => {
                let out: Vec<Entry> = entries
                    .iter()
                    .map(|e| Entry {
                        key: e.key.clone(),
                        key_span: e.key_span,
                        value: self.eval(&e.value),
                    })
                    .filter(|e| !no_value(&e.value))
                    .collect();
                Node::new(span, NodeKind::Map(out))
            }
            _ => n.clone(),
        }
    }

    fn text(&self, n: &Node) -> Option<Text> {
        self.eval(n).scalar_text()
    }

    fn intrinsic(&self, f: &str, arg: &Node, span: Span) -> Node {
        match f {
            "Ref" => self.fn_ref(arg, span),
            "Fn::GetAtt" => self.fn_get_att(arg, span),
            "Fn::Sub" => self.fn_sub(arg, span),
            "Fn::Join" => self.fn_join(arg, span),
            "Fn::Select" => self.fn_select(arg, span),
            "Fn::Split" => self.fn_split(arg, span),
            "Fn::FindInMap" => self.find_in_map(arg, span),
            "Fn::If" => self.fn_if(arg, span),
            _ => self.unknown(span),
        }
    }

    /// `Ref`: a parameter, pseudo parameter or resource; `AWS::NoValue` stays itself.
    fn fn_ref(&self, arg: &Node, span: Span) -> Node {
        match arg
            .scalar_text()
            .and_then(|t| t.as_str().map(str::to_string))
        {
            Some(name) if name == "AWS::NoValue" => Node::new(
                span,
                NodeKind::Map(vec![Entry {
                    key: "Ref".into(),
                    key_span: span,
                    value: arg.clone(),
                }]),
            ),
            Some(name) => str_at(span, self.reference(&name)),
            None => self.unknown(span),
        }
    }

    /// `Fn::GetAtt`, as a list or `Resource.Attribute`.
    fn fn_get_att(&self, arg: &Node, span: Span) -> Node {
        let parts: Option<(String, String)> = match &arg.kind {
            NodeKind::List(l) if l.len() == 2 => {
                let a = l[0]
                    .scalar_text()
                    .and_then(|t| t.as_str().map(str::to_string));
                let b = self
                    .text(&l[1])
                    .and_then(|t| t.as_str().map(str::to_string));
                a.zip(b)
            }
            NodeKind::Str(t) => t
                .as_str()
                .and_then(|s| s.split_once('.'))
                .map(|(a, b)| (a.to_string(), b.to_string())),
            _ => None,
        };
        match parts {
            Some((r, a)) => str_at(span, self.get_att(&r, &a)),
            None => self.unknown(span),
        }
    }

    /// `Fn::Sub`, with or without its variable map.
    fn fn_sub(&self, arg: &Node, span: Span) -> Node {
        let (tpl, vars) = match &arg.kind {
            NodeKind::List(l) if !l.is_empty() => (l[0].scalar_text(), l.get(1).cloned()),
            _ => (arg.scalar_text(), None),
        };
        let Some(tpl) = tpl.and_then(|t| t.as_str().map(str::to_string)) else {
            return self.unknown(span);
        };
        let vars = vars.map(|v| self.eval(&v));
        str_at(span, self.sub(&tpl, vars.as_ref()))
    }

    /// `Fn::Join` of a list of scalars.
    fn fn_join(&self, arg: &Node, span: Span) -> Node {
        let Some(l) = list_of(arg) else {
            return self.unknown(span);
        };
        let (Some(sep), Some(items)) = (
            l.first().and_then(|s| self.text(s)),
            l.get(1).map(|x| self.eval(x)),
        ) else {
            return self.unknown(span);
        };
        let Some(items) = list_of(&items) else {
            return self.unknown(span);
        };
        let mut t = Text::default();
        for (i, x) in items.iter().enumerate() {
            if i > 0 {
                t.push_text(&sep);
            }
            match x.scalar_text() {
                Some(x) => t.push_text(&x),
                None => return self.unknown(span),
            }
        }
        str_at(span, t)
    }

    /// `Fn::Select` of a known index.
    fn fn_select(&self, arg: &Node, span: Span) -> Node {
        let Some(l) = list_of(arg) else {
            return self.unknown(span);
        };
        let idx = l
            .first()
            .and_then(|i| self.text(i))
            .and_then(|t| t.as_str().and_then(|s| s.parse::<usize>().ok()));
        let items = l.get(1).map(|x| self.eval(x)).and_then(|x| list_of(&x));
        match (idx, items) {
            (Some(i), Some(items)) => items.get(i).cloned().unwrap_or_else(|| self.unknown(span)),
            _ => self.unknown(span),
        }
    }

    /// `Fn::Split` of a known string.
    fn fn_split(&self, arg: &Node, span: Span) -> Node {
        let Some(l) = list_of(arg) else {
            return self.unknown(span);
        };
        let sep = l
            .first()
            .and_then(|s| self.text(s))
            .and_then(|t| t.as_str().map(str::to_string));
        let s = l
            .get(1)
            .and_then(|s| self.text(s))
            .and_then(|t| t.as_str().map(str::to_string));
        match (sep, s) {
            (Some(sep), Some(s)) if !sep.is_empty() => Node::new(
                span,
                NodeKind::List(
                    s.split(sep.as_str())
                        .map(|p| str_at(span, Text::lit(p)))
                        .collect(),
                ),
            ),
            _ => self.unknown(span),
        }
    }

    /// `Fn::If`: conditions are decided at deploy time, so both branches count, certain only
    /// where they agree; what exists only under the condition is judged as existing, and
    /// remembers the condition.
    fn fn_if(&self, arg: &Node, span: Span) -> Node {
        let Some(l) = list_of(arg) else {
            return self.unknown(span);
        };
        if l.len() != 3 {
            return self.unknown(span);
        }
        // Conditions are decided at deploy time: both branches, certain only where
        // they agree; what exists only under the condition is judged as existing, and
        // remembers the condition.
        let a = self.eval(&l[1]);
        let b = self.eval(&l[2]);
        let cond = || match l[0]
            .scalar_text()
            .and_then(|t| t.as_str().map(str::to_string))
        {
            Some(name) => self.condition(&name),
            None => Formula::Unknown,
        };
        if no_value(&b) || b.is_empty_value() {
            self.guards.record_once(a.span, cond());
            a
        } else if no_value(&a) || a.is_empty_value() {
            self.guards
                .record_once(b.span, Formula::Not(Box::new(cond())));
            b
        } else if a.same_value(&b) {
            b
        } else {
            self.unknown(span)
        }
    }

    fn sub(&self, tpl: &str, vars: Option<&Node>) -> Text {
        let mut t = Text::default();
        let mut rest = tpl;
        // The variables by name, for templates of many.
        let by_name = by_key(vars);
        while let Some(i) = rest.find("${") {
            t.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            if let Some(lit) = after.strip_prefix('!') {
                // `${!Literal}` is the text `${Literal}`.
                let end = lit.find('}').unwrap_or(lit.len());
                t.push_str("${");
                t.push_str(&lit[..end]);
                t.push_str("}");
                rest = lit.get(end + 1..).unwrap_or("");
                continue;
            }
            let Some(end) = after.find('}') else {
                t.push_str(&rest[i..]);
                return t;
            };
            let name = after[..end].trim();
            let from_vars = by_name.get(name).and_then(|e| e.value.scalar_text());
            let value = match from_vars {
                Some(v) => v,
                None => match name.split_once('.') {
                    Some((r, a)) if !name.starts_with("AWS::") => self.get_att(r, a),
                    _ => self.reference(name),
                },
            };
            t.push_text(&value);
            rest = &after[end + 1..];
        }
        t.push_str(rest);
        t
    }

    fn find_in_map(&self, arg: &Node, span: Span) -> Node {
        let NodeKind::List(l) = &arg.kind else {
            return self.unknown(span);
        };
        if l.len() < 3 {
            return self.unknown(span);
        }
        let keys: Vec<Option<String>> = l[..3]
            .iter()
            .map(|k| self.text(k).and_then(|t| t.as_str().map(str::to_string)))
            .collect();
        let Some(map_name) = &keys[0] else {
            return self.unknown(span);
        };
        let Some(mapping) = self
            .root
            .get("Mappings")
            .and_then(|m| m.value.get(map_name))
        else {
            return self.unknown(span);
        };
        // Every value a symbolic key may select.
        let NodeKind::Map(top) = &mapping.value.kind else {
            return self.unknown(span);
        };
        let firsts: Vec<&Node> = match &keys[1] {
            Some(k) => top
                .iter()
                .filter(|e| &e.key == k)
                .map(|e| &e.value)
                .collect(),
            None => top.iter().map(|e| &e.value).collect(),
        };
        let mut values = vec![];
        for f in firsts {
            let NodeKind::Map(second) = &f.kind else {
                continue;
            };
            for e in second {
                if keys[2].as_ref().is_none_or(|k| &e.key == k) {
                    values.push(e.value.clone());
                }
            }
        }
        match values.as_slice() {
            [] => self.unknown(span),
            [one] => one.clone(),
            many if many.iter().all(|v| v.same_value(&many[0])) => many[0].clone(),
            many => {
                // A mapping of legacy CloudTrail accounts (one per Region) stays one.
                let legacy = many.iter().all(|v| {
                    v.scalar_text()
                        .and_then(|t| t.as_str().map(names_legacy_account))
                        .unwrap_or(false)
                });
                if legacy {
                    Node::new(
                        span,
                        NodeKind::Str(Text::sym(Symbol::scoped(
                            Kind::LegacyCloudTrailAccount,
                            format!("FindInMap {map_name}"),
                            self.file + 1,
                        ))),
                    )
                } else {
                    self.unknown(span)
                }
            }
        }
    }
}

fn truth(n: &Node) -> Truth {
    match &n.kind {
        NodeKind::Bool(b) => Truth::from_bool(*b),
        NodeKind::Str(t) => match t.as_str().map(str::to_ascii_lowercase).as_deref() {
            Some("true") => Truth::Yes,
            Some("false") => Truth::No,
            _ => Truth::Unknown,
        },
        _ => Truth::Unknown,
    }
}

/// Reads a template into the model. `json_text` is the file's text when the template is JSON
/// (policies given as JSON strings then map into it).
pub fn read(file: FileId, source: &SourceFile, root: &Node, json: bool) -> Model {
    let mut m = Model::default();
    let resources: Vec<&Entry> = match root.get("Resources").map(|e| &e.value.kind) {
        Some(NodeKind::Map(rs)) => rs.iter().collect(),
        _ => return m,
    };
    let cx = Cx {
        file,
        root,
        by_id: by_key(root.get("Resources").map(|e| &e.value)),
        conditions: by_key(root.get("Conditions").map(|e| &e.value)),
        read_conditions: RefCell::default(),
        resolved: RefCell::default(),
        limits_met: Cell::new(0),
        formula_budget: Cell::new(0),
        formula_depth: Cell::new(0),
        busy: RefCell::default(),
        depth: RefCell::new(0),
        guards: Kept::default(),
    };
    for r in &resources {
        let span = r.value.span;
        let addr = r.key.clone();
        let guard = cx.resource_guard(r);
        // Each statement with the conditions it exists under.
        let policy_doc = |name: &str| -> Option<(Document, Span)> {
            let (mut doc, span) = cx.policy_property(r, name, source, json)?;
            for st in &mut doc.statements {
                st.guard = cx.guards.guard_at(st.span, &guard);
            }
            Some((doc, span))
        };
        match Cx::rtype(r).as_str() {
            "AWS::S3::Bucket" => {
                let name = cx.bucket_name(r);
                // Settings (Object Ownership among them) are resolved onto the bucket with the
                // model.
                cx.bucket_settings(&mut m, r, &name, &guard);
                m.buckets.push(Bucket::new(addr, span, name, Truth::No));
            }
            "AWS::S3::BucketPolicy" => {
                let bucket = cx.prop_text(r, "Bucket");
                if let Some((doc, pspan)) = policy_doc("PolicyDocument") {
                    m.policies.push(Policy {
                        kind: PolicyKind::Bucket,
                        address: addr,
                        span: pspan,
                        doc,
                        bucket,
                        key: None,
                        standalone: false,
                        key_ref: None,
                    });
                }
            }
            "AWS::KMS::Key" => {
                let idx = m.keys.len();
                let doc = policy_doc("KeyPolicy");
                m.keys.push(Key {
                    address: addr.clone(),
                    span,
                    idents: vec![cx.key_id(r), cx.key_arn(r)],
                    aliases: vec![],
                    has_policy: doc.is_some(),
                });
                if let Some((doc, pspan)) = doc {
                    m.policies.push(Policy {
                        kind: PolicyKind::Key,
                        address: addr,
                        span: pspan,
                        doc,
                        bucket: None,
                        key: Some(idx),
                        standalone: false,
                        key_ref: None,
                    });
                }
            }
            "AWS::CloudFormation::Stack" | "AWS::Serverless::Application" => {
                // A nested stack may attach a policy to any bucket its parameters name.
                if let Some(params) = cx.prop(r, "Parameters") {
                    params.scalar_texts(64, &mut m.opaque);
                }
            }
            "AWS::KMS::Alias" => m.key_aliases.extend(cx.key_alias(r)),
            "AWS::CloudTrail::Trail" => m.trails.push(cx.trail(r, &guard)),
            _ => {
                cx.log_source(&mut m, r, span, &guard);
            }
        }
        m.suppressions.extend(metadata_suppression(r, source));
    }
    m
}

fn str_at(span: Span, t: Text) -> Node {
    Node::new(span, NodeKind::Str(t))
}

fn list_of(n: &Node) -> Option<Vec<Node>> {
    match &n.kind {
        NodeKind::List(l) => Some(l.clone()),
        _ => None,
    }
}

/// `Metadata: trailguard: ignore: [...]` of a resource: a suppression covering all of it.
fn metadata_suppression(r: &Entry, source: &SourceFile) -> Option<Suppression> {
    let ig = r
        .value
        .get("Metadata")?
        .value
        .get("trailguard")?
        .value
        .get("ignore")?;
    let rules: Vec<String> = crate::policy::items(&ig.value)
        .into_iter()
        .filter_map(|i| i.text.as_str().map(|s| s.to_ascii_uppercase()))
        .collect();
    if rules.is_empty() {
        return None;
    }
    let first = source.line_of(r.key_span.start as usize);
    let last = source.line_of(r.value.span.end as usize);
    Some(Suppression {
        span: ig.value.span,
        rules,
        lines: vec![(first, last)],
    })
}

impl Cx<'_> {
    /// A policy-document property: an object, or JSON in a string (in a JSON template, mapped
    /// back through its escapes); what cannot be read is an open document.
    fn policy_property(
        &self,
        r: &Entry,
        name: &str,
        source: &SourceFile,
        json: bool,
    ) -> Option<(Document, Span)> {
        let p = r.value.get("Properties")?.value.get(name)?;
        let v = self.eval(&p.value);
        let open = || Document {
            open: true,
            ..Default::default()
        };
        let doc = match &v.kind {
            NodeKind::Map(_) => read_document(&v, true),
            NodeKind::Str(t) => match (t.as_str(), json) {
                (Some(_), true) => match embedded_document(self.file, &source.text, &p.value) {
                    Some(Ok(d)) => read_document(&d, true),
                    _ => open(),
                },
                (Some(s), false) => {
                    let zeros = vec![0usize; s.len() + 1];
                    let offsets = OffsetMap {
                        file: self.file,
                        base: p.value.span.start as usize,
                        map: Some(&zeros),
                    };
                    match parse_nodes(s, offsets) {
                        Ok(d) => read_document(&d, true),
                        Err(_) => open(),
                    }
                }
                _ => open(),
            },
            _ => open(),
        };
        Some((doc, p.value.span))
    }

    /// An `AWS::KMS::Alias`: its name, ARN and target key.
    fn key_alias(&self, r: &Entry) -> Option<KeyAlias> {
        let name = self.prop_text(r, "AliasName")?;
        let target = self.prop_text(r, "TargetKeyId")?;
        Some(KeyAlias {
            arn: self.arn_here("kms", &name),
            account: self.pseudo("AWS::AccountId"),
            name,
            target,
        })
    }

    /// An `AWS::CloudTrail::Trail`, with CloudFormation's defaults.
    fn trail(&self, r: &Entry, guard: &Guard) -> Trail {
        let addr = &r.key;
        let attr = |name: &str| r.value.get("Properties").and_then(|p| p.value.get(name));
        let text_or_sym = |name: &str| {
            attr(name).map(|e| {
                (
                    self.text(&e.value)
                        .unwrap_or_else(|| self.sym(Kind::Any, &format!("{addr}.{name}"))),
                    e.value.span,
                )
            })
        };
        let prefix = match self.prop(r, "S3KeyPrefix") {
            None => Text::default(),
            Some(v) => v
                .scalar_text()
                .unwrap_or_else(|| self.sym(Kind::Any, &format!("{addr}.S3KeyPrefix"))),
        };
        let is_org = self
            .prop(r, "IsOrganizationTrail")
            .map(|v| truth(&v))
            .unwrap_or(Truth::No);
        Trail {
            address: addr.clone(),
            span: r.value.span,
            name: self.trail_name(r),
            arn: self.trail_arn(r),
            account: self.pseudo("AWS::AccountId").expect("pseudo"),
            partition: self.pseudo("AWS::Partition").expect("pseudo"),
            org_id: Some(self.sym(Kind::OrgId, "AWS::OrganizationId")),
            is_org,
            prefix,
            bucket: text_or_sym("S3BucketName"),
            key: text_or_sym("KMSKeyId"),
            standalone_only: false,
            no_key: false,
            guard: guard.clone(),
        }
    }
}

/// `# trailguard:ignore …` comments of a YAML template: the comment's line, the next one, and a
/// resource or statement starting on the next line (or enclosing the comment as its first line).
pub fn comment_suppressions(
    file: FileId,
    source: &SourceFile,
    root: &Node,
    m: &Model,
) -> Vec<Suppression> {
    let text = &source.text;
    if !text.contains("trailguard:ignore") {
        return vec![];
    }
    let mut blocks: Vec<(usize, usize)> = vec![];
    if let Some(NodeKind::Map(rs)) = root.get("Resources").map(|e| &e.value.kind) {
        for r in rs {
            blocks.push((
                source.line_of(r.key_span.start as usize),
                source.line_of(r.value.span.end as usize),
            ));
        }
    }
    for p in &m.policies {
        for s in &p.doc.statements {
            if s.span.file == file {
                blocks.push((
                    source.line_of(s.span.start as usize),
                    source.line_of(s.span.end as usize),
                ));
            }
        }
    }
    let ranges_at = Suppression::ranges_of_comments(&blocks);
    let mut out = vec![];
    for (i, line) in text.lines().enumerate() {
        let Some(at) = line.find("trailguard:ignore") else {
            continue;
        };
        let Some(c) = line[..at].rfind('#') else {
            continue;
        };
        let Some(rules) = crate::model::Suppression::parse_comment(&line[c..]) else {
            continue;
        };
        let l = i + 1;
        let start = source.line_start(l) + c;
        out.push(Suppression {
            span: Span::new(file, start, source.line_start(l) + line.len()),
            rules,
            lines: ranges_at(l),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use crate::source::SourceFile;
    use crate::value::{Kind, Part, Truth};

    fn model_of(yaml: &str) -> Model {
        let source = SourceFile::new("t.yaml".into(), "t.yaml".into(), yaml.to_string());
        crate::frontend::cloudformation::read_yaml(0, &source)
    }

    const HEAD: &str = "AWSTemplateFormatVersion: '2010-09-09'\n";

    #[test]
    fn join_select_and_split_compute_known_strings() {
        let m = model_of(&format!(
            "{HEAD}Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      TrailName: main
      S3BucketName: !Join ['-', [logs, !Select [1, !Split [',', 'a,b,c']]]]
      S3KeyPrefix: !Sub 'audit/${{AWS::Region}}'
      IsLogging: true
"
        ));
        let t = &m.trails[0];
        assert_eq!(t.bucket.as_ref().unwrap().0.as_str(), Some("logs-b"));
        // A pseudo parameter stays a symbol inside the text.
        assert!(!t.prefix.is_known());
        assert!(t.prefix.to_string().starts_with("audit/"));
        // CloudFormation's defaults.
        assert_eq!(t.is_org, Truth::No);
        assert_eq!(t.name.as_str(), Some("main"));
    }

    #[test]
    fn fn_if_with_no_value_keeps_the_branch_and_its_condition() {
        let m = model_of(&format!(
            "{HEAD}Parameters:
  Strict: {{Type: String}}
Conditions:
  IsStrict: !Equals [!Ref Strict, 'yes']
Resources:
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: logs
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - !If
            - IsStrict
            - Effect: Deny
              Principal: '*'
              Action: s3:PutObject
              Resource: arn:aws:s3:::logs/*
            - !Ref AWS::NoValue
"
        ));
        let s = &m.policies[0].doc.statements[0];
        assert!(s.is_deny());
        assert_ne!(s.guard, crate::guard::Guard::default());
    }

    #[test]
    fn a_map_of_legacy_accounts_is_one_legacy_account() {
        let m = model_of(&format!(
            "{HEAD}Mappings:
  Accounts:
    us-east-1: {{Id: '086441151436'}}
    us-west-2: {{Id: '113285607260'}}
Resources:
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: logs
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              AWS: !FindInMap [Accounts, !Ref AWS::Region, Id]
            Action: s3:PutObject
            Resource: arn:aws:s3:::logs/*
"
        ));
        let p = m.policies[0].doc.statements[0].principal.as_ref().unwrap();
        let item = &p.entries[0].item;
        assert!(matches!(
            item.text.parts(),
            [Part::Sym(s)] if s.kind == Kind::LegacyCloudTrailAccount
        ));
    }

    #[test]
    fn get_att_names_a_key_by_its_arn() {
        let m = model_of(&format!(
            "{HEAD}Resources:
  Key:
    Type: AWS::KMS::Key
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      KMSKeyId: !GetAtt Key.Arn
      IsLogging: true
"
        ));
        let key = &m.trails[0].key.as_ref().unwrap().0;
        assert!(m.keys[0].idents.contains(key));
        assert!(key.to_string().contains(":kms:"));
    }

    /// A policy statement kept only under the condition `cond` (`Fn::If` with `NoValue`).
    fn statement_under(cond: &str) -> String {
        format!(
            "          - !If
            - {cond}
            - Effect: Deny
              Principal: '*'
              Action: s3:PutObject
              Resource: arn:aws:s3:::logs/*
            - !Ref AWS::NoValue
"
        )
    }

    /// The model of a template with these conditions (over the parameter `Env`) and one bucket
    /// policy, guarded by `guard` when given, of these statements.
    fn guarded_policy(conditions: &str, guard: Option<&str>, statements: &[String]) -> Model {
        let guard = guard
            .map(|c| format!("    Condition: {c}\n"))
            .unwrap_or_default();
        model_of(&format!(
            "{HEAD}Parameters:
  Env: {{Type: String}}
Conditions:
{conditions}Resources:
  Policy:
    Type: AWS::S3::BucketPolicy
{guard}    Properties:
      Bucket: logs
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
{}",
            statements.concat()
        ))
    }

    #[test]
    fn conditions_sharing_conditions_are_read_once_and_stay_exact() {
        // C40 names C39 twice, which names C38 twice…: 2^40 nodes when expanded. `Bad`
        // (C3 and not C0: 9 nodes once expanded) is certainly false.
        let mut conditions = String::from("  C0: !Equals [!Ref Env, prod]\n");
        for i in 1..=40 {
            conditions += &format!(
                "  C{i}: !And [!Condition C{}, !Condition C{}]\n",
                i - 1,
                i - 1
            );
        }
        conditions += "  Bad: !And [!Condition C3, !Not [!Condition C0]]\n";
        let m = guarded_policy(
            &conditions,
            None,
            &["Bad", "C40", "C3"].map(statement_under),
        );
        let st = &m.policies[0].doc.statements;
        assert_eq!(st.len(), 3);
        assert!(!st[0].guard.satisfiable(), "Bad can never hold");
        // Too large to read: it may hold.
        assert!(st[1].guard.satisfiable());
        assert!(st[2].guard.satisfiable());
        assert_ne!(st[1].guard, crate::guard::Guard::default());
    }

    #[test]
    fn a_long_chain_of_conditions_is_unknown_not_a_crash() {
        let mut conditions = String::from("  C0: !Equals [!Ref Env, prod]\n");
        for i in 1..25_000 {
            conditions += &format!("  C{i}: !Not [!Condition C{}]\n", i - 1);
        }
        let m = guarded_policy(&conditions, Some("C24999"), &[statement_under("C24999")]);
        assert!(m.policies[0].doc.statements[0].guard.satisfiable());
    }

    #[test]
    fn names_reached_along_many_paths_are_evaluated_once() {
        // B40's name is B39's, reached twice, which is B38's, reached twice…: 2^40
        // evaluations when each path is followed.
        let mut buckets = String::from(
            "  B0:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: logs\n",
        );
        for i in 1..=40 {
            buckets += &format!(
                "  B{i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Select [0, [!Ref B{p}, !Ref B{p}]]\n",
                p = i - 1
            );
        }
        let m = model_of(&format!(
            "{HEAD}Resources:
{buckets}  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: !Ref B40
      IsLogging: true
"
        ));
        assert_eq!(
            m.trails[0].bucket.as_ref().unwrap().0.as_str(),
            Some("logs")
        );
    }
}
