//! Evaluation of Terraform expressions to symbolic values: literals, templates and heredocs,
//! `var`/`local`/`module`/`data`/resource references, `path.module`, the functions that shape
//! policies (`jsonencode`, `file`, `templatefile`, `format`, `join`, `concat`, …), conditionals
//! (both branches: certain only where they agree), `for` expressions and splats. Anything else
//! — cycles, unknown functions, registry modules — is an unknown value, never an error.

use super::decls::Decls;
use super::functions::{self, MAX_ITEMS, index, known_str, str_node, text_of, unknown};
use super::policy_document::{Evaluate, JsonTemplate};
use super::resources::Target;
use super::scope::Scope;
use super::span_of;
use super::{Module, World};
use crate::FastMap;
use crate::aws::arn;
use crate::aws::cloudtrail::trail_arn;
use crate::frontend::json_nodes::{OffsetMap, Placeholder, Slot, parse_nodes, parse_nodes_with};
use crate::guard::{Formula, Guard, Kept};
use crate::model::{Model, Policy};
use crate::policy::read_document;
use crate::source::{FileId, Span};
use crate::value::Truth;
use crate::value::{Entry, Kind, Node, NodeKind, Symbol, Text};
use hcl_edit::Span as _;
use hcl_edit::expr::{
    BinaryOp, BinaryOperator, Conditional, Expression, ForExpr, FuncCall, Object, ObjectKey,
    TraversalOperator, UnaryOp, UnaryOperator,
};
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::{Element, Template};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

#[path = "hcl_values.rs"]
mod hcl_values;
#[path = "logs.rs"]
mod logs;

/// How deep references may chain (locals through locals through outputs …).
const MAX_DEPTH: usize = 64;
/// How deep local modules may nest.
const MAX_MODULE_DEPTH: usize = 16;
/// The largest value (nodes, and text in 32-byte units) a local, output or input may hold;
/// a larger one is unknown. Values built by doubling (`l0 = [l1, l1]`, `"${s1}${s1}"`) would
/// otherwise grow exponentially.
const MAX_VALUE_WEIGHT: usize = 100_000;
/// The work (expressions evaluated, plus the weight of every value copied) one root module's
/// evaluation may do; past it every value is unknown and a notice says so.
const MAX_WORK: usize = 4_000_000;

/// What a local module instance costs to make, in units of work.
const INSTANCE_COST: usize = 1_000;
/// What reading a file for `file()`/`templatefile()` costs, beyond its length.
const LOAD_COST: usize = 1_000;

/// The work budget of one root module's evaluation, shared with its local modules.
#[derive(Default)]
struct Budget {
    spent: Cell<usize>,
    said: Cell<bool>,
}

/// A value's weight, counted up to `cap`.
fn weight(n: &Node, cap: usize) -> usize {
    let mut total = 0usize;
    let mut stack = vec![n];
    while let Some(n) = stack.pop() {
        total += 1;
        match &n.kind {
            NodeKind::Str(t) => {
                total += t
                    .parts()
                    .iter()
                    .map(|p| match p {
                        crate::value::Part::Lit(s) => 1 + s.len() / 32,
                        crate::value::Part::Sym(_) => 1,
                    })
                    .sum::<usize>()
            }
            NodeKind::List(items) => stack.extend(items.iter()),
            NodeKind::Map(entries) => stack.extend(entries.iter().map(|e| &e.value)),
            NodeKind::Doc(d) => stack.push(d),
            _ => {}
        }
        if total >= cap {
            return cap;
        }
    }
    total
}

/// The local module directories a module calls (`source = "./…"` or `"../…"`).
pub fn local_module_dirs(m: &Module) -> Vec<PathBuf> {
    let mut out = vec![];
    for (_, body) in &m.files {
        for b in body.blocks().filter(|b| b.ident.as_str() == "module") {
            if let Some(src) = local_source(b) {
                out.push(crate::fs::normalize(&m.dir.join(src)));
            }
        }
    }
    out
}

/// The local module sources called in a body, with the byte range of each `source` value.
pub fn local_sources(body: &Body) -> Vec<(String, Option<std::ops::Range<usize>>)> {
    use hcl_edit::Span as _;
    body.blocks()
        .filter(|b| b.ident.as_str() == "module")
        .filter_map(|b| {
            let src = local_source(b)?;
            let range = b.body.get_attribute("source").and_then(|a| a.value.span());
            Some((src, range))
        })
        .collect()
}

/// A module call's key in `.terraform/modules/modules.json`: the call names from the root,
/// dotted (`module.a.module.b.` and `c` give `a.b.c`).
pub fn module_key(prefix: &str, name: &str) -> String {
    let mut parts: Vec<&str> = prefix
        .split('.')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .chunks(2)
        .filter_map(|c| (c.len() == 2 && c[0] == "module").then_some(c[1]))
        .collect();
    parts.push(name);
    parts.join(".")
}

pub fn local_source(b: &Block) -> Option<String> {
    let a = b.body.get_attribute("source")?;
    let Expression::String(s) = &a.value else {
        return None;
    };
    let s = s.as_str();
    (s.starts_with("./") || s.starts_with("../")).then(|| s.to_string())
}

fn label(b: &Block, i: usize) -> &str {
    b.labels.get(i).map(|l| l.as_str()).unwrap_or("")
}

fn truth_of(n: &Node) -> Truth {
    match &n.kind {
        NodeKind::Bool(b) => Truth::from_bool(*b),
        NodeKind::Str(t) => match t.as_str() {
            Some("true") => Truth::Yes,
            Some("false") => Truth::No,
            _ => Truth::Unknown,
        },
        _ => Truth::Unknown,
    }
}

/// One evaluation of a module: the root module, or a local module with its caller's arguments.
pub struct Instance<'w> {
    w: &'w World<'w>,
    module: &'w Module,
    /// Address prefix: `""` for a root module, `module.logs.` inside one.
    prefix: String,
    /// What names symbols: the module's directory and the address prefix, so that
    /// `aws_kms_key.trail` of one root module is not that of another.
    scope: String,
    inputs: HashMap<String, Node>,
    /// Module directories from the root to here.
    stack: Vec<PathBuf>,
    /// What the module declares, shared by its instances.
    decls: &'w Decls<'w>,
    tfvars: HashMap<String, Node>,
    memo: RefCell<FastMap<String, Node>>,
    busy: RefCell<crate::FastSet<String>>,
    children: RefCell<FastMap<String, Option<Rc<Instance<'w>>>>>,
    depth: RefCell<usize>,
    budget: Rc<Budget>,
    /// The conditions values kept from one branch of an unknown conditional exist under, by
    /// the span of the value (each item's, for a list).
    guards: Kept,
}

impl<'w> Instance<'w> {
    pub fn root(w: &'w World<'w>, module: (&'w Module, &'w Decls<'w>)) -> Instance<'w> {
        let mut inst = Instance::new(
            w,
            module,
            String::new(),
            HashMap::new(),
            vec![module.0.dir.clone()],
        );
        let mut tfvars = HashMap::new();
        for (file, body) in &module.0.tfvars {
            for a in body.attributes() {
                tfvars.insert(
                    a.key.as_str().to_string(),
                    inst.eval(&a.value, *file, &Scope::default()),
                );
            }
        }
        inst.tfvars = tfvars;
        inst
    }

    fn new(
        w: &'w World<'w>,
        (module, decls): (&'w Module, &'w Decls<'w>),
        prefix: String,
        inputs: HashMap<String, Node>,
        stack: Vec<PathBuf>,
    ) -> Instance<'w> {
        let scope = format!("{}#{prefix}", module.dir.display());
        Instance {
            w,
            module,
            scope,
            prefix,
            inputs,
            stack,
            decls,
            tfvars: HashMap::new(),
            memo: RefCell::default(),
            busy: RefCell::default(),
            children: RefCell::default(),
            depth: RefCell::new(0),
            budget: Rc::default(),
            guards: Kept::default(),
        }
    }

    fn sym(&self, kind: Kind, name: &str) -> Text {
        Text::sym(Symbol::new(kind, format!("{}{name}", self.scope)))
    }

    /// Provider-level symbols (account, Region, partition), per provider alias and per root
    /// module: a root module with its local modules is one deployment unit, and two root
    /// modules may be applied to two accounts or Regions.
    fn provider_sym(&self, kind: Kind, what: &str, block: Option<&Block>) -> Text {
        let alias = block
            .and_then(|b| b.body.get_attribute("provider"))
            .map(|a| a.value.to_string().trim().to_string())
            .filter(|p| p != "aws")
            .map(|p| format!("[{p}]"))
            .unwrap_or_default();
        let root = self.root_dir();
        Text::sym(Symbol::new(
            kind,
            format!("{}#aws{alias}.{what}", root.display()),
        ))
    }

    fn partition(&self, b: Option<&Block>) -> Text {
        self.provider_sym(Kind::Partition, "partition", b)
    }
    fn region(&self, b: Option<&Block>) -> Text {
        self.provider_sym(Kind::Region, "region", b)
    }
    fn account(&self, b: Option<&Block>) -> Text {
        self.provider_sym(Kind::Account, "account_id", b)
    }

    // ---------------------------------------------------------------- expressions

    /// Spends `n` units of the budget; false (and a notice, once) when it is exhausted.
    fn spend(&self, n: usize, span: Span) -> bool {
        let b = &self.budget;
        b.spent.set(b.spent.get().saturating_add(n));
        if b.spent.get() <= MAX_WORK {
            return true;
        }
        if !b.said.replace(true)
            && let Ok(mut r) = self.w.found.refused.lock()
        {
            r.push((
                span,
                "evaluation stopped here: the module's values grow past trailguard's evaluation budget (values built by repeated doubling?); what depends on them is unknown".into(),
            ));
        }
        false
    }

    /// A condition as a formula over variables and literals (`var.access == "public"`, `!x`,
    /// `a && b`, a boolean variable).
    fn formula(&self, e: &Expression, file: FileId, scope: &Scope) -> Formula {
        match e {
            Expression::Parenthesis(p) => self.formula(p.inner(), file, scope),
            Expression::UnaryOp(u) if *u.operator.value() == UnaryOperator::Not => {
                Formula::Not(Box::new(self.formula(&u.expr, file, scope)))
            }
            Expression::BinaryOp(b) => {
                let (l, r) = (&b.lhs_expr, &b.rhs_expr);
                match b.operator.value() {
                    BinaryOperator::And => Formula::And(vec![
                        self.formula(l, file, scope),
                        self.formula(r, file, scope),
                    ]),
                    BinaryOperator::Or => Formula::Or(vec![
                        self.formula(l, file, scope),
                        self.formula(r, file, scope),
                    ]),
                    op @ (BinaryOperator::Eq | BinaryOperator::NotEq) => {
                        let eq = match (
                            text_of(&self.eval(l, file, scope)),
                            text_of(&self.eval(r, file, scope)),
                        ) {
                            (Some(a), Some(b)) => Formula::Eq(a, b),
                            _ => Formula::Unknown,
                        };
                        if *op == BinaryOperator::Eq {
                            eq
                        } else {
                            Formula::Not(Box::new(eq))
                        }
                    }
                    _ => Formula::Unknown,
                }
            }
            _ => match &self.eval(e, file, scope).kind {
                NodeKind::Bool(b) => Formula::Const(*b),
                // An unknown boolean (a variable) is the same wherever it is tested.
                NodeKind::Str(t) if !t.is_known() => Formula::Eq(t.clone(), Text::lit("true")),
                _ => Formula::Unknown,
            },
        }
    }

    /// Records that `v` (each item of it, for a list) exists under `f`.
    fn remember(&self, v: &Node, f: Formula) {
        match &v.kind {
            NodeKind::List(items) => items
                .iter()
                .for_each(|i| self.guards.record(i.span, f.clone())),
            _ => self.guards.record(v.span, f),
        }
    }

    /// A resource that exists only when `count = COND ? N : 0` (or `0 : N`) says so.
    fn resource_guard(&self, b: &Block, file: FileId) -> Guard {
        let Some(Expression::Conditional(c)) = b.body.get_attribute("count").map(|a| &a.value)
        else {
            return Guard::default();
        };
        let zero =
            |e: &Expression| matches!(e, Expression::Number(n) if n.value().as_u64() == Some(0));
        let f = self.formula(&c.cond_expr, file, &Scope::default());
        match (zero(&c.true_expr), zero(&c.false_expr)) {
            (false, true) => Guard::new(f),
            (true, false) => Guard::new(Formula::Not(Box::new(f))),
            _ => Guard::default(),
        }
    }

    /// `v`, or an unknown (and a notice) when it is too large to keep.
    fn bounded(&self, v: Node, what: &str) -> Node {
        if weight(&v, MAX_VALUE_WEIGHT) < MAX_VALUE_WEIGHT {
            return v;
        }
        if let Ok(mut r) = self.w.found.refused.lock() {
            r.push((
                v.span,
                format!("{what} is not evaluated: its value is larger than trailguard keeps ({MAX_VALUE_WEIGHT} elements); it is unknown"),
            ));
        }
        unknown(v.span)
    }

    /// A copy of a stored value, paid for by its weight.
    fn copy(&self, v: &Node, span: Span) -> Node {
        if self.spend(weight(v, MAX_VALUE_WEIGHT), span) {
            v.clone()
        } else {
            unknown(span)
        }
    }

    fn eval_inner(&self, e: &Expression, file: FileId, scope: &Scope, span: Span) -> Node {
        match e {
            Expression::Null(_) => Node::new(span, NodeKind::Null),
            Expression::Bool(b) => Node::new(span, NodeKind::Bool(*b.value())),
            Expression::Number(n) => Node::new(span, NodeKind::Num(n.value().to_string())),
            Expression::String(s) => str_node(span, Text::lit(s.as_str())),
            Expression::Array(a) => Node::new(
                span,
                NodeKind::List(a.iter().map(|x| self.eval(x, file, scope)).collect()),
            ),
            Expression::Object(o) => self.object(o, file, scope, span),
            Expression::StringTemplate(t) => self.template(t, file, scope, span),
            Expression::HeredocTemplate(h) => self.template(&h.template, file, scope, span),
            Expression::Parenthesis(p) => self.eval(p.inner(), file, scope),
            Expression::Variable(v) => match scope.get(v.as_str()) {
                Some(n) => n.clone(),
                None => str_node(span, Text::unknown(format!("{}{}", self.scope, v.as_str()))),
            },
            Expression::Conditional(c) => self.conditional(c, file, scope, span),
            Expression::FuncCall(f) => self.call(f, file, scope, span),
            Expression::Traversal(t) => self.traversal(t, file, scope, span),
            Expression::UnaryOp(u) => self.unary(u, file, scope, span),
            Expression::BinaryOp(b) => self.binary(b, file, scope, span),
            Expression::ForExpr(f) => self.for_expr(f, file, scope, span),
        }
    }

    /// An object; unknown when a computed key cannot be read.
    fn object(&self, o: &Object, file: FileId, scope: &Scope, span: Span) -> Node {
        let mut entries = vec![];
        for (k, v) in o.iter() {
            let (key, key_span) = match k {
                ObjectKey::Ident(id) => (id.as_str().to_string(), span_of(file, id.span())),
                ObjectKey::Expression(x) => {
                    let kv = self.eval(x, file, scope);
                    let key = match known_str(&kv) {
                        Some(s) => s,
                        // A computed key we cannot read: the object is not certain.
                        None => return unknown(span),
                    };
                    (key, span_of(file, x.span()))
                }
            };
            entries.push(Entry {
                key,
                key_span,
                value: self.eval(v.expr(), file, scope),
            });
        }
        Node::new(span, NodeKind::Map(entries))
    }

    /// `c ? t : f`: under an unknown condition, what exists on one side only is judged as
    /// if it exists, and remembers the condition.
    fn conditional(&self, c: &Conditional, file: FileId, scope: &Scope, span: Span) -> Node {
        let cond = self.eval(&c.cond_expr, file, scope);
        match truth_of(&cond) {
            Truth::Yes => self.eval(&c.true_expr, file, scope),
            Truth::No => self.eval(&c.false_expr, file, scope),
            Truth::Unknown => {
                let t = self.eval(&c.true_expr, file, scope);
                let f = self.eval(&c.false_expr, file, scope);
                if t.same_value(&f) {
                    t
                } else if f.is_empty_value() && !t.is_empty_value() {
                    // What exists only under an unknown condition is judged as if it
                    // exists, and remembers the condition.
                    self.remember(&t, self.formula(&c.cond_expr, file, scope));
                    t
                } else if t.is_empty_value() && !f.is_empty_value() {
                    let not = Formula::Not(Box::new(self.formula(&c.cond_expr, file, scope)));
                    self.remember(&f, not);
                    f
                } else {
                    unknown(span)
                }
            }
        }
    }

    fn unary(&self, u: &UnaryOp, file: FileId, scope: &Scope, span: Span) -> Node {
        let v = self.eval(&u.expr, file, scope);
        match u.operator.value() {
            UnaryOperator::Not => match truth_of(&v) {
                Truth::Unknown => unknown(span),
                t => Node::new(span, NodeKind::Bool(t.not().is_yes())),
            },
            _ => unknown(span),
        }
    }

    /// `==`, `!=`, `&&` and `||` (other operators are unknown).
    fn binary(&self, b: &BinaryOp, file: FileId, scope: &Scope, span: Span) -> Node {
        let l = self.eval(&b.lhs_expr, file, scope);
        let r = self.eval(&b.rhs_expr, file, scope);
        let t = match b.operator.value() {
            BinaryOperator::Eq | BinaryOperator::NotEq => {
                let eq = match (&l.kind, &r.kind) {
                    (NodeKind::Str(x), NodeKind::Str(y)) => crate::value::glob::text_eq(x, y),
                    _ if matches!(l.kind, NodeKind::Unknown)
                        || matches!(r.kind, NodeKind::Unknown) =>
                    {
                        Truth::Unknown
                    }
                    _ => Truth::from_bool(l.same_value(&r)),
                };
                if *b.operator.value() == BinaryOperator::Eq {
                    eq
                } else {
                    eq.not()
                }
            }
            BinaryOperator::And => truth_of(&l).and(truth_of(&r)),
            BinaryOperator::Or => truth_of(&l).or(truth_of(&r)),
            _ => Truth::Unknown,
        };
        match t {
            Truth::Unknown => unknown(span),
            t => Node::new(span, NodeKind::Bool(t.is_yes())),
        }
    }

    /// A `for` expression over a known list or map (at most [`MAX_ITEMS`] items).
    fn for_expr(&self, f: &ForExpr, file: FileId, scope: &Scope, span: Span) -> Node {
        let coll = self.eval(&f.intro.collection_expr, file, scope);
        let items: Vec<(Node, Node)> = match &coll.kind {
            NodeKind::List(l) => l
                .iter()
                .enumerate()
                .map(|(i, v)| (Node::new(v.span, NodeKind::Num(i.to_string())), v.clone()))
                .collect(),
            NodeKind::Map(m) => m
                .iter()
                .map(|e| {
                    (
                        str_node(e.key_span, Text::lit(e.key.clone())),
                        e.value.clone(),
                    )
                })
                .collect(),
            _ => return unknown(span),
        };
        if items.len() > MAX_ITEMS {
            return unknown(span);
        }
        let mut list = vec![];
        let mut map = vec![];
        for (k, v) in items {
            let mut s = scope.with(f.intro.value_var.as_str(), v);
            if let Some(kv) = &f.intro.key_var {
                s = s.with(kv.as_str(), k);
            }
            if let Some(c) = &f.cond
                && truth_of(&self.eval(&c.expr, file, &s)).is_no()
            {
                continue;
            }
            let value = self.eval(&f.value_expr, file, &s);
            match &f.key_expr {
                Some(ke) => {
                    let key = self.eval(ke, file, &s);
                    let Some(key) = known_str(&key) else {
                        return unknown(span);
                    };
                    map.push(Entry {
                        key,
                        key_span: value.span,
                        value,
                    });
                }
                None => list.push(value),
            }
        }
        if f.key_expr.is_some() {
            Node::new(span, NodeKind::Map(map))
        } else {
            Node::new(span, NodeKind::List(list))
        }
    }

    fn template(&self, t: &Template, file: FileId, scope: &Scope, span: Span) -> Node {
        let mut out = Text::default();
        for el in t.iter() {
            match el {
                Element::Literal(s) => out.push_str(s.value()),
                Element::Interpolation(i) => {
                    let v = self.eval(&i.expr, file, scope);
                    match text_of(&v) {
                        Some(t) => out.push_text(&t),
                        None => out.push_sym(Symbol::new(
                            Kind::Any,
                            format!("{}{}", self.scope, i.expr.to_string().trim()),
                        )),
                    }
                }
                Element::Directive(_) => return unknown(span),
            }
        }
        str_node(span, out)
    }

    // ---------------------------------------------------------------- references

    fn traversal(
        &self,
        t: &hcl_edit::expr::Traversal,
        file: FileId,
        scope: &Scope,
        span: Span,
    ) -> Node {
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
            _ => None,
        };
        let root = match &t.expr {
            Expression::Variable(v) => v.as_str().to_string(),
            other => {
                let base = self.eval(other, file, scope);
                return self.apply_ops(base, &ops, file, scope, span);
            }
        };
        if let Some(v) = scope.get(&root) {
            return self.apply_ops(v.clone(), &ops, file, scope, span);
        }
        match root.as_str() {
            "var" => {
                let Some(name) = attr(0) else {
                    return unknown(span);
                };
                let v = self.variable(name, span);
                self.apply_ops(v, &ops[1..], file, scope, span)
            }
            "local" => {
                let Some(name) = attr(0) else {
                    return unknown(span);
                };
                let v = self.local(name, span);
                self.apply_ops(v, &ops[1..], file, scope, span)
            }
            "path" => {
                let dir = match attr(0) {
                    Some("module") => self.module.dir.clone(),
                    // Terraform runs in the root module's directory.
                    Some("root" | "cwd") => self.root_dir(),
                    _ => return unknown(span),
                };
                str_node(span, Text::lit(dir.to_string_lossy().to_string()))
            }
            "module" => {
                let (Some(name), Some(out)) = (attr(0), attr(1)) else {
                    return unknown(span);
                };
                let v = match self.child(name) {
                    Some(c) => c.output(out, span),
                    None => str_node(span, self.sym(Kind::Any, &format!("module.{name}.{out}"))),
                };
                self.apply_ops(v, &ops[2..], file, scope, span)
            }
            "data" => {
                let (Some(ty), Some(name)) = (attr(0), attr(1)) else {
                    return unknown(span);
                };
                let (rest, _) = skip_instance_index(&ops[2..]);
                let Some(TraversalOperator::GetAttr(a)) = rest.first() else {
                    return unknown(span);
                };
                let v = self.data_attr(ty, name, a.as_str(), span);
                self.apply_ops(v, &rest[1..], file, scope, span)
            }
            "each" | "count" | "self" | "terraform" => str_node(
                span,
                Text::unknown(format!(
                    "{}{root}.{}@{}",
                    self.scope,
                    attr(0).unwrap_or(""),
                    span.start
                )),
            ),
            ty => {
                let Some(name) = attr(0) else {
                    return unknown(span);
                };
                let (rest, splat) = skip_instance_index(&ops[1..]);
                let Some(TraversalOperator::GetAttr(a)) = rest.first() else {
                    return unknown(span);
                };
                let v = self.resource_attr(ty, name, a.as_str(), span);
                let v = self.apply_ops(v, &rest[1..], file, scope, span);
                if splat {
                    Node::new(span, NodeKind::List(vec![v]))
                } else {
                    v
                }
            }
        }
    }

    /// Indexing, attribute access and splats on a value.
    fn apply_ops(
        &self,
        mut v: Node,
        ops: &[&TraversalOperator],
        file: FileId,
        scope: &Scope,
        span: Span,
    ) -> Node {
        for (i, op) in ops.iter().enumerate() {
            v = match op {
                TraversalOperator::GetAttr(a) => match &v.kind {
                    NodeKind::Map(m) => match m.iter().find(|e| e.key == a.as_str()) {
                        Some(e) => e.value.clone(),
                        None => return unknown(span),
                    },
                    _ => return unknown(span),
                },
                TraversalOperator::Index(ix) => {
                    let k = self.eval(ix, file, scope);
                    index(&v, &k).unwrap_or_else(|| unknown(span))
                }
                TraversalOperator::LegacyIndex(n) => {
                    let k = Node::new(span, NodeKind::Num(n.value().to_string()));
                    index(&v, &k).unwrap_or_else(|| unknown(span))
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let rest = &ops[i + 1..];
                    return match &v.kind {
                        NodeKind::List(l) => Node::new(
                            span,
                            NodeKind::List(
                                l.iter()
                                    .map(|x| self.apply_ops(x.clone(), rest, file, scope, span))
                                    .collect(),
                            ),
                        ),
                        NodeKind::Unknown => unknown(span),
                        _ => Node::new(
                            span,
                            NodeKind::List(vec![self.apply_ops(
                                v.clone(),
                                rest,
                                file,
                                scope,
                                span,
                            )]),
                        ),
                    };
                }
            };
        }
        v
    }

    fn variable(&self, name: &str, span: Span) -> Node {
        if let Some(v) = self.inputs.get(name) {
            return self.copy(v, span);
        }
        if let Some(v) = self.tfvars.get(name) {
            return self.copy(v, span);
        }
        if let Some((b, file)) = self.decls.variables.get(name)
            && let Some(d) = b.body.get_attribute("default")
        {
            let v = self.eval(&d.value, *file, &Scope::default());
            if !matches!(v.kind, NodeKind::Null) {
                return v;
            }
        }
        str_node(span, self.sym(Kind::Any, &format!("var.{name}")))
    }

    fn local(&self, name: &str, span: Span) -> Node {
        let found = self.decls.locals.get(name).copied();
        self.memoized(format!("local.{name}"), found, span)
    }

    fn output(&self, name: &str, span: Span) -> Node {
        let found = self.decls.outputs.get(name).copied();
        self.memoized(format!("output.{name}"), found, span)
    }

    /// An expression evaluated once per instance; a reference back to itself (a cycle) is
    /// unknown, never a loop.
    fn memoized(&self, key: String, found: Option<(&Expression, FileId)>, span: Span) -> Node {
        if let Some(v) = self.memo.borrow().get(&key) {
            return self.copy(v, span);
        }
        let Some((e, file)) = found else {
            return unknown(span);
        };
        if !self.busy.borrow_mut().insert(key.clone()) {
            return unknown(span);
        }
        let mut v = self.eval(e, file, &Scope::default());
        self.busy.borrow_mut().remove(&key);
        v = self.bounded(v, &key);
        self.memo.borrow_mut().insert(key, v.clone());
        v
    }

    /// The instance of a local module call, evaluated with this instance's arguments.
    fn child(&self, name: &str) -> Option<Rc<Instance<'w>>> {
        if let Some(c) = self.children.borrow().get(name) {
            return c.clone();
        }
        let made = self.make_child(name).map(Rc::new);
        self.children
            .borrow_mut()
            .insert(name.to_string(), made.clone());
        made
    }

    fn make_child(&self, name: &str) -> Option<Instance<'w>> {
        let (b, file) = self.decls.calls.get(name).copied()?;
        if !self.spend(INSTANCE_COST, span_of(file, b.ident.span())) {
            return None;
        }
        let dir = match local_source(b) {
            Some(src) => crate::fs::normalize(&self.module.dir.join(src)),
            // A registry or git module: where `terraform init` put it, if it did.
            None => {
                let key = module_key(&self.prefix, name);
                self.w
                    .registry
                    .get(&(self.stack.first()?.clone(), key))?
                    .clone()
            }
        };
        if self.stack.contains(&dir) || self.stack.len() >= MAX_MODULE_DEPTH {
            return None;
        }
        let module = self.w.module(&dir)?;
        let mut inputs = HashMap::new();
        for a in b.body.attributes() {
            let k = a.key.as_str();
            if matches!(
                k,
                "source" | "version" | "providers" | "count" | "for_each" | "depends_on"
            ) {
                continue;
            }
            let v = self.eval(&a.value, file, &Scope::default());
            inputs.insert(
                k.to_string(),
                self.bounded(v, &format!("module.{name}.{k}")),
            );
        }
        let mut stack = self.stack.clone();
        stack.push(dir);
        let mut child = Instance::new(
            self.w,
            module,
            format!("{}module.{name}.", self.prefix),
            inputs,
            stack,
        );
        child.budget = self.budget.clone();
        Some(child)
    }

    fn block_attr(&self, b: &Block, file: FileId, name: &str) -> Option<Node> {
        b.body
            .get_attribute(name)
            .map(|a| self.eval(&a.value, file, &Scope::default()))
    }

    fn attr_text(&self, b: &Block, file: FileId, name: &str) -> Option<Text> {
        self.block_attr(b, file, name).map(|n| {
            text_of(&n)
                .unwrap_or_else(|| Text::unknown(format!("{}{}.{name}", self.scope, label(b, 1))))
        })
    }

    /// A bucket's name: its `bucket` argument, else a bucket-name symbol.
    fn bucket_name(&self, name: &str) -> Text {
        match self.decls.resources.get(&("aws_s3_bucket", name)) {
            Some((b, file)) => match self.attr_text(b, *file, "bucket") {
                Some(t) => t,
                None => self.sym(Kind::Bucket, &format!("aws_s3_bucket.{name}.bucket")),
            },
            None => self.sym(Kind::Bucket, &format!("aws_s3_bucket.{name}.bucket")),
        }
    }

    fn key_id(&self, name: &str) -> Text {
        self.sym(Kind::KeyId, &format!("aws_kms_key.{name}.key_id"))
    }

    fn key_arn(&self, name: &str, b: Option<&Block>) -> Text {
        arn::write(
            &self.partition(b),
            "kms",
            &self.region(b),
            &self.account(b),
            &arn::resource("key/", &self.key_id(name)),
        )
    }

    fn trail_name(&self, name: &str) -> Text {
        match self.decls.resources.get(&("aws_cloudtrail", name)) {
            Some((b, file)) => self.attr_text(b, *file, "name").unwrap_or_else(|| {
                self.sym(Kind::TrailName, &format!("aws_cloudtrail.{name}.name"))
            }),
            None => self.sym(Kind::TrailName, &format!("aws_cloudtrail.{name}.name")),
        }
    }

    fn resource_attr(&self, ty: &str, name: &str, attr: &str, span: Span) -> Node {
        let block = self.decls.resources.get(&(ty, name)).copied();
        let b = block.map(|(b, _)| b);
        let t = match (ty, attr) {
            ("aws_s3_bucket", "id" | "bucket") => self.bucket_name(name),
            // A service-linked role's ARN names its service (AWS Config's recorder role).
            ("aws_iam_service_linked_role", "arn") => {
                let service = block.and_then(|(b, f)| {
                    let a = b.body.get_attribute("aws_service_name")?;
                    known_str(&self.eval(&a.value, f, &Scope::default()))
                });
                match service {
                    Some(svc) => {
                        let role = self.sym(
                            Kind::Any,
                            &format!("aws_iam_service_linked_role.{name}.role_name"),
                        );
                        arn::write(
                            &self.partition(b),
                            "iam",
                            &Text::default(),
                            &self.account(b),
                            &arn::resource(&format!("role/aws-service-role/{svc}/"), &role),
                        )
                    }
                    None => {
                        return str_node(span, self.sym(Kind::Any, &format!("{ty}.{name}.{attr}")));
                    }
                }
            }
            ("aws_s3_bucket", "bucket_domain_name") => {
                let mut t = self.bucket_name(name);
                t.push_str(".s3.amazonaws.com");
                t
            }
            ("aws_s3_bucket", "arn") => {
                crate::aws::s3::bucket_arn(&self.partition(b), &self.bucket_name(name))
            }
            ("aws_kms_key", "id" | "key_id") => self.key_id(name),
            ("aws_kms_key", "arn") => self.key_arn(name, b),
            ("aws_cloudtrail", "id" | "name") => self.trail_name(name),
            ("aws_cloudtrail", "arn") => trail_arn(
                &self.partition(b),
                &self.region(b),
                &self.account(b),
                &self.trail_name(name),
            ),
            ("aws_kms_alias", "arn") => {
                let n = block
                    .and_then(|(b, f)| self.attr_text(b, f, "name"))
                    .unwrap_or_else(|| self.sym(Kind::Any, &format!("aws_kms_alias.{name}.name")));
                arn::write(
                    &self.partition(b),
                    "kms",
                    &self.region(b),
                    &self.account(b),
                    &n,
                )
            }
            _ => {
                if let Some((blk, file)) = block
                    && let Some(v) = self.block_attr(blk, file, attr)
                {
                    return v;
                }
                if attr == "id"
                    && ty == "aws_kms_alias"
                    && let Some((blk, file)) = block
                    && let Some(v) = self.block_attr(blk, file, "name")
                {
                    return v;
                }
                self.sym(Kind::Any, &format!("{ty}.{name}.{attr}"))
            }
        };
        str_node(span, t)
    }

    fn data_attr(&self, ty: &str, name: &str, attr: &str, span: Span) -> Node {
        let block = self.decls.data.get(&(ty, name)).copied();
        let b = block.map(|(b, _)| b);
        let t = match (ty, attr) {
            ("aws_caller_identity", "account_id" | "id") => self.account(b),
            ("aws_partition", "partition" | "id") => self.partition(b),
            ("aws_region", "name" | "region" | "id") => match block {
                Some((blk, file)) => self
                    .attr_text(blk, file, "region")
                    .or_else(|| self.attr_text(blk, file, "name"))
                    .unwrap_or_else(|| self.region(b)),
                None => self.region(b),
            },
            ("aws_cloudtrail_service_account", "id" | "arn") => {
                let region = block
                    .and_then(|(blk, f)| self.attr_text(blk, f, "region"))
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                let id = Text::sym(Symbol::new(
                    Kind::LegacyCloudTrailAccount,
                    if region.is_empty() {
                        "data.aws_cloudtrail_service_account".to_string()
                    } else {
                        format!("data.aws_cloudtrail_service_account[{region}]")
                    },
                ));
                if attr == "id" {
                    id
                } else {
                    arn::write(
                        &self.partition(b),
                        "iam",
                        &Text::default(),
                        &id,
                        &Text::lit("root"),
                    )
                }
            }
            ("aws_organizations_organization", "id") => {
                self.provider_sym(Kind::OrgId, "organization_id", b)
            }
            ("aws_organizations_organization", "master_account_id") => {
                self.provider_sym(Kind::Account, "organization_master", b)
            }
            ("aws_iam_policy_document", "json" | "minified_json") => {
                return match block {
                    Some((blk, file)) => {
                        let key = format!("data.aws_iam_policy_document.{name}");
                        if let Some(v) = self.memo.borrow().get(&key) {
                            return v.clone();
                        }
                        if !self.busy.borrow_mut().insert(key.clone()) {
                            return unknown(span);
                        }
                        let doc = super::policy_document::render(self, blk, file);
                        self.busy.borrow_mut().remove(&key);
                        let v = Node::new(doc.span, NodeKind::Doc(Box::new(doc)));
                        self.memo.borrow_mut().insert(key, v.clone());
                        v
                    }
                    None => unknown(span),
                };
            }
            _ => self.sym(Kind::Any, &format!("data.{ty}.{name}.{attr}")),
        };
        str_node(span, t)
    }

    // ---------------------------------------------------------------- functions

    /// A function call: `file()`, `templatefile()` and `try()` here, the others in
    /// [`super::functions`].
    fn call(&self, f: &FuncCall, file: FileId, scope: &Scope, span: Span) -> Node {
        let name = f.name.name.as_str();
        match name {
            // Lazily evaluated: only the first argument that works counts.
            "try" => {
                for a in f.args.iter() {
                    let v = self.eval(a, file, scope);
                    if !matches!(v.kind, NodeKind::Unknown) {
                        return v;
                    }
                }
                return unknown(span);
            }
            "can" => return unknown(span),
            _ => {}
        }
        let args: Vec<Node> = f.args.iter().map(|a| self.eval(a, file, scope)).collect();
        match name {
            "file" => match args.first().and_then(known_str) {
                Some(p) => self.file_doc(&p, span),
                None => unknown(span),
            },
            "templatefile" => match (args.first().and_then(known_str), args.get(1)) {
                (Some(p), Some(vars)) => self.template_file(&p, vars, span),
                _ => unknown(span),
            },
            _ => functions::call(name, &args, span),
        }
    }

    /// The root module's directory, where Terraform runs.
    fn root_dir(&self) -> PathBuf {
        self.stack
            .first()
            .cloned()
            .unwrap_or_else(|| self.module.dir.clone())
    }

    /// A path as Terraform reads it: relative paths from the directory it runs in (the root
    /// module's), whatever trailguard's own working directory.
    fn resolve_path(&self, p: &str) -> PathBuf {
        let path = Path::new(p);
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.root_dir().join(path)
        }
    }

    /// `file(path)`: the file's JSON document (positions in that file), or an unknown string.
    fn file_doc(&self, p: &str, span: Span) -> Node {
        let reference = format!("file({p:?})");
        let Some((id, text)) = self.w.load(&self.resolve_path(p), &reference, span) else {
            return unknown(span);
        };
        if !self.spend(LOAD_COST + text.len() / 16, span) {
            return unknown(span);
        }
        let whole = Span::whole(id, &text);
        match parse_nodes(
            &text,
            OffsetMap {
                file: id,
                base: 0,
                map: None,
            },
        ) {
            Ok(doc) => Node::new(whole, NodeKind::Doc(Box::new(Node::new(whole, doc.kind)))),
            Err(_) => str_node(span, Text::unknown(format!("file({p})"))),
        }
    }

    /// `templatefile(path, vars)`: the template rendered with `vars`, as a JSON document.
    fn template_file(&self, p: &str, vars: &Node, span: Span) -> Node {
        let reference = format!("templatefile({p:?}, …)");
        let Some((id, text)) = self.w.load(&self.resolve_path(p), &reference, span) else {
            return unknown(span);
        };
        if !self.spend(LOAD_COST + text.len() / 16, span) {
            return unknown(span);
        }
        let NodeKind::Map(entries) = &vars.kind else {
            return unknown(span);
        };
        let mut scope = Scope::default();
        for e in entries {
            scope = scope.with(&e.key, e.value.clone());
        }
        let Ok(tpl) = hcl_edit::parser::parse_template(&text) else {
            return unknown(span);
        };
        let whole = Span::whole(id, &text);
        let json = JsonTemplate {
            tpl: &tpl,
            file: id,
            base: 0,
            text: &text,
        };
        match self.json_template(json, &scope) {
            Some(doc) => Node::new(whole, NodeKind::Doc(Box::new(Node::new(whole, doc.kind)))),
            None => unknown(span),
        }
    }

    /// The documents of a list of JSON fragments (each a rendered template or `jsonencode`d
    /// object), when all of them are.
    fn fragments(&self, v: &Node) -> Option<Vec<Node>> {
        let NodeKind::List(items) = &v.kind else {
            return None;
        };
        items
            .iter()
            .map(|n| match &n.kind {
                NodeKind::Doc(d) if matches!(d.kind, NodeKind::Map(_)) => Some((**d).clone()),
                NodeKind::Map(_) => Some(n.clone()),
                _ => None,
            })
            .collect()
    }

    /// `join(",", fragments)` over JSON fragments: their documents.
    fn joined_fragments(&self, e: &Expression, file: FileId, scope: &Scope) -> Option<Vec<Node>> {
        let Expression::FuncCall(f) = e else {
            return None;
        };
        let args: Vec<&Expression> = f.args.iter().collect();
        if f.name.name.as_str() != "join" || args.len() != 2 {
            return None;
        }
        let sep = self.eval(args[0], file, scope);
        if text_of(&sep).and_then(|t| t.as_str().map(|s| s.trim().to_string())) != Some(",".into())
        {
            return None;
        }
        self.fragments(&self.eval(args[1], file, scope))
    }

    /// A `for` directive whose body is just the loop value (and a comma) over JSON fragments:
    /// their documents, and whether the body ends each with a comma.
    fn looped_fragments(
        &self,
        f: &hcl_edit::template::ForDirective,
        file: FileId,
        scope: &Scope,
    ) -> Option<(Vec<Node>, bool)> {
        let fe = &f.for_expr;
        if fe.key_var.is_some() {
            return None;
        }
        let var = fe.value_var.as_str();
        let mut seen_value = false;
        let mut comma = false;
        for el in fe.template.iter() {
            match el {
                Element::Literal(l) => {
                    let t = l.as_str().trim();
                    match t {
                        "" => {}
                        "," if seen_value && !comma => comma = true,
                        _ => return None,
                    }
                }
                Element::Interpolation(i) if !seen_value => match &i.expr {
                    Expression::Variable(v) if v.as_str() == var => seen_value = true,
                    _ => return None,
                },
                _ => return None,
            }
        }
        if !seen_value {
            return None;
        }
        let items = self.fragments(&self.eval(&fe.collection_expr, file, scope))?;
        Some((items, comma))
    }

    // ---------------------------------------------------------------- model

    /// Builds the model of this instance and of the local modules it calls.
    pub fn build(&self) -> Model {
        let mut m = Model::default();
        for &((ty, name), (b, file)) in &self.decls.resources_sorted {
            self.build_resource(&mut m, ty, name, b, file);
        }
        self.build_documents(&mut m);
        for c in &self.decls.calls_sorted {
            if self.calls_inert(c) {
                continue;
            }
            match self.child(c) {
                Some(child) => m.extend(child.build()),
                None => {
                    // A registry or git module (or one not in the scan): it may attach a
                    // policy to any bucket its arguments name.
                    let (b, file) = self.decls.calls[*c];
                    for a in b.body.attributes() {
                        let v = self.eval(&a.value, file, &Scope::default());
                        v.scalar_texts(64, &mut m.opaque);
                        // A policy handed to it is still checked, as a document (unless the
                        // module makes nothing: `count = 0`).
                        if !self.no_instances(b, file) {
                            let address = format!("{}module.{c}.{}", self.prefix, a.key.as_str());
                            self.push_document(&mut m, address, &v);
                        }
                    }
                }
            }
        }
        m
    }

    /// Whether the call `name` would make an instance (a local module of the scan, not on
    /// the way here, within the depth limit) that builds nothing, whatever its arguments.
    fn calls_inert(&self, name: &str) -> bool {
        let Some((b, _)) = self.decls.calls.get(name) else {
            return false;
        };
        let Some(src) = local_source(b) else {
            return false;
        };
        let dir = crate::fs::normalize(&self.module.dir.join(src));
        !self.stack.contains(&dir) && self.stack.len() < MAX_MODULE_DEPTH && self.w.inert(&dir)
    }

    fn address(&self, ty: &str, name: &str) -> String {
        format!("{}{ty}.{name}", self.prefix)
    }

    fn push_policy(&self, m: &mut Model, b: &Block, file: FileId, attr: &str, target: Target) {
        let Target {
            kind,
            address,
            bucket,
            key,
            key_ref,
        } = target;
        let Some(a) = b.body.get_attribute(attr) else {
            return;
        };
        let (doc, span) = super::policy_document::policy_of(self, &a.value, file);
        let mut document = match &doc {
            Some(d) => read_document(d, true),
            None => crate::policy::Document {
                open: true,
                ..Default::default()
            },
        };
        let guard = self.resource_guard(b, file);
        for s in &mut document.statements {
            s.guard = self.guards.guard_at(s.span, &guard);
        }
        m.policies.push(Policy {
            kind,
            address,
            span,
            doc: document,
            bucket,
            key,
            standalone: false,
            key_ref,
        });
    }

    /// Whether `count` or `for_each` certainly makes no instance (`count = 0`, a condition
    /// known false, an empty collection).
    fn no_instances(&self, b: &Block, file: FileId) -> bool {
        if let Some(n) = self.block_attr(b, file, "count") {
            return matches!(&n.kind, NodeKind::Num(v) if v.trim() == "0");
        }
        if let Some(n) = self.block_attr(b, file, "for_each") {
            return match &n.kind {
                NodeKind::List(l) => l.is_empty(),
                NodeKind::Map(m) => m.is_empty(),
                _ => false,
            };
        }
        false
    }

    /// Every `aws_iam_policy_document` as a standalone document too, classified by content
    /// (a bucket policy with `s3:` actions, a key policy with only `kms:` ones, nothing without
    /// a principal): a document handed to a registry module, kept in an output or not used
    /// at all is still checked. One that is also attached somewhere is checked there only
    /// (see [`super::units::drop_attached_documents`]).
    fn build_documents(&self, m: &mut Model) {
        let has_documents = self
            .decls
            .data
            .keys()
            .any(|(ty, _)| *ty == "aws_iam_policy_document");
        let (locals, outputs) = self.decls.may_hold();
        if !has_documents && locals.is_empty() && outputs.is_empty() {
            return;
        }
        let used = self.decls.used();
        let mut docs: Vec<_> = self
            .decls
            .data
            .iter()
            .filter(|((ty, name), _)| {
                *ty == "aws_iam_policy_document"
                    && !used.contains(&format!("data.aws_iam_policy_document.{name}"))
            })
            .collect();
        docs.sort_by_key(|(k, _)| **k);
        for ((ty, name), (b, file)) in docs {
            if self.no_instances(b, *file) {
                continue;
            }
            let v = self.data_attr(ty, name, "json", span_of(*file, b.ident.span()));
            self.push_document(m, format!("{}data.{ty}.{name}", self.prefix), &v);
        }
        // Documents kept in locals and outputs (`jsonencode(…)`, a rendered template).
        for name in locals {
            if used.contains(&format!("local.{name}")) {
                continue;
            }
            let (e, file) = self.decls.locals[name.as_str()];
            let v = self.local(name, span_of(file, e.span()));
            self.push_document(m, format!("{}local.{name}", self.prefix), &v);
        }
        for name in outputs {
            let (e, file) = self.decls.outputs[name.as_str()];
            let v = self.output(name, span_of(file, e.span()));
            self.push_document(m, format!("{}output.{name}", self.prefix), &v);
        }
    }

    /// A value that is a resource policy document (classified by content), as a standalone
    /// document: unless a resource uses it (a bucket or key policy resource checks it in
    /// context; any other resource's policy — a VPC endpoint's, an access point's, a role's —
    /// is not a bucket or key policy).
    fn push_document(&self, m: &mut Model, address: String, v: &Node) {
        let NodeKind::Doc(doc) = &v.kind else {
            return;
        };
        let Some(kind) = crate::frontend::json::standalone_kind(doc) else {
            return;
        };
        let span = doc.span;
        let mut doc = crate::policy::read_document(doc, true);
        // It may be a part of what some resource or module makes of it (merged with other
        // statements): conclusions about the whole policy are not certain.
        doc.open = true;
        m.policies.push(Policy {
            kind,
            address,
            span,
            doc,
            bucket: None,
            key: None,
            standalone: true,
            key_ref: None,
        });
    }

    fn build_resource(&self, m: &mut Model, ty: &str, name: &str, b: &Block, file: FileId) {
        if !super::resources::is_read(ty) || self.no_instances(b, file) {
            return;
        }
        let hcl = hcl_values::Hcl::new(self, ty, name, b, file);
        if super::resources::map(ty, &hcl, m) {
            if ty == "aws_s3_bucket" {
                self.inline_bucket_settings(m, name, b, file);
            }
        } else {
            self.build_log_resource(m, ty, name, b, file);
        }
    }
}

/// Skips `[0]`, `["k"]` or `[*]` after a resource name (one instance stands for all).
fn skip_instance_index<'a, 'b>(
    ops: &'a [&'b TraversalOperator],
) -> (&'a [&'b TraversalOperator], bool) {
    match ops.first() {
        Some(TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_)) => (&ops[1..], false),
        Some(TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_)) => {
            (&ops[1..], true)
        }
        _ => (ops, false),
    }
}

impl Evaluate for Instance<'_> {
    fn eval(&self, e: &Expression, file: FileId, scope: &Scope) -> Node {
        let span = span_of(file, e.span());
        if !self.spend(1, span) {
            return unknown(span);
        }
        {
            let mut d = self.depth.borrow_mut();
            if *d > MAX_DEPTH {
                return unknown(span);
            }
            *d += 1;
        }
        let v = self.eval_inner(e, file, scope, span);
        *self.depth.borrow_mut() -= 1;
        v
    }

    /// A template whose text is a JSON document: interpolations are evaluated and substituted,
    /// positions stay those of the file.
    fn json_template(&self, json: JsonTemplate<'_>, scope: &Scope) -> Option<Node> {
        let JsonTemplate {
            tpl,
            file,
            base,
            text,
        } = json;
        let mut ph = vec![];
        for el in tpl.iter() {
            match el {
                Element::Literal(_) => {}
                Element::Interpolation(i) => {
                    let r = i.span()?;
                    if let Some(items) = self.joined_fragments(&i.expr, file, scope) {
                        ph.push(Placeholder {
                            range: r.start - base..r.end - base,
                            value: Slot::Splice {
                                items,
                                comma: false,
                            },
                        });
                        continue;
                    }
                    let v = self.eval(&i.expr, file, scope);
                    let value = match &v.kind {
                        NodeKind::Doc(d) => Slot::Node((**d).clone()),
                        NodeKind::List(_) | NodeKind::Map(_) => Slot::Node(v.clone()),
                        _ => Slot::Text(
                            text_of(&v).unwrap_or_else(|| Text::unknown(i.expr.to_string())),
                        ),
                    };
                    ph.push(Placeholder {
                        range: r.start - base..r.end - base,
                        value,
                    });
                }
                Element::Directive(d) => {
                    // `%{ for s in fragments }${s},%{ endfor }`: the fragments spliced in.
                    let hcl_edit::template::Directive::For(f) = &**d else {
                        return None;
                    };
                    let r = d.span()?;
                    let (items, comma) = self.looped_fragments(f, file, scope)?;
                    ph.push(Placeholder {
                        range: r.start - base..r.end - base,
                        value: Slot::Splice { items, comma },
                    });
                }
            }
        }
        parse_nodes_with(
            text,
            OffsetMap {
                file,
                base,
                map: None,
            },
            Some(&ph),
        )
        .ok()
    }

    /// The text of one of the scan's files (or one read by `file()`).
    fn file_text(&self, file: FileId) -> String {
        let n = self.w.sources.files.len() as u32;
        if file < n {
            return self.w.sources.get(file).text.clone();
        }
        self.w
            .found
            .extra
            .lock()
            .ok()
            .and_then(|e| e.get((file - n) as usize).map(|f| f.text.clone()))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use crate::value::Truth;

    /// One `main.tf` evaluated as a root module.
    fn model_of(text: &str) -> Model {
        crate::fuzzing::terraform_model(text).expect("parses")
    }

    #[test]
    fn locals_and_interpolations_are_evaluated() {
        let m = model_of(
            r#"
locals { prefix = "audit" }
resource "aws_cloudtrail" "t" {
  name           = "main"
  s3_bucket_name = "logs-${local.prefix}"
  s3_key_prefix  = format("%s/%s", local.prefix, "x")
}
"#,
        );
        let t = &m.trails[0];
        assert_eq!(t.name.as_str(), Some("main"));
        assert_eq!(t.prefix.as_str(), Some("audit/x"));
        assert_eq!(t.bucket.as_ref().unwrap().0.as_str(), Some("logs-audit"));
        // The provider's default: not an organization trail.
        assert_eq!(t.is_org, Truth::No);
        // Partition, Region and account are not known: the ARN holds symbols.
        assert!(!t.arn.is_known());
    }

    #[test]
    fn variables_stay_unknown_and_count_zero_makes_nothing() {
        let m = model_of(
            r#"
variable "prefix" {}
resource "aws_cloudtrail" "t" {
  name           = "main"
  s3_bucket_name = "logs"
  s3_key_prefix  = var.prefix
}
resource "aws_cloudtrail" "off" {
  count          = 0
  name           = "off"
  s3_bucket_name = "logs"
}
"#,
        );
        assert_eq!(m.trails.len(), 1);
        assert!(!m.trails[0].prefix.is_known());
    }

    #[test]
    fn conditionals_and_for_expressions() {
        let m = model_of(
            r#"
locals {
  services = ["a", "b"]
  on       = true
}
resource "aws_s3_bucket_policy" "p" {
  bucket = "logs"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [for s in local.services : {
      Sid       = s
      Effect    = local.on ? "Allow" : "Deny"
      Principal = { Service = "${s}.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "arn:aws:s3:::logs/*"
    }]
  })
}
"#,
        );
        let doc = &m.policies[0].doc;
        assert_eq!(doc.statements.len(), 2);
        assert_eq!(doc.statements[1].sid.as_deref(), Some("b"));
        assert!(doc.statements.iter().all(|s| s.is_allow()));
        assert!(!doc.open);
    }

    #[test]
    fn a_statement_under_an_unknown_condition_remembers_it() {
        let m = model_of(
            r#"
variable "strict" {}
resource "aws_s3_bucket_policy" "p" {
  bucket = "logs"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = var.strict ? [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:PutObject"
      Resource  = "arn:aws:s3:::logs/*"
    }] : []
  })
}
"#,
        );
        let s = &m.policies[0].doc.statements[0];
        assert!(s.is_deny());
        // It exists only when var.strict is true: not unconditionally.
        assert_ne!(s.guard, crate::guard::Guard::default());
    }
}
