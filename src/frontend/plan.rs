//! Terraform plan JSON (`terraform show -json plan.out`): the resources of `planned_values`
//! (root and child modules) and `prior_state`, with policies given as JSON strings mapped to
//! positions in the plan file. Values the plan does not know are omitted there, and are
//! symbols here.

use super::plan_logs::Planned;
use crate::aws::arn::Arn;
use crate::aws::cloudtrail::trail_arn;
use crate::frontend::json_nodes::embedded_document;
use crate::frontend::terraform::resources::{self, Target, TrailIds, Values, map};
use crate::guard::Guard;
use crate::model::{Model, ParseError, Policy};
use crate::policy::{Document, read_document};
use crate::source::{FileId, Span};
use crate::value::Truth;
use crate::value::{Kind, Node, NodeKind, Symbol, Text};
use std::collections::HashSet;

struct Resource<'a> {
    address: String,
    ty: String,
    node: &'a Node,
    values: Option<&'a Node>,
}

fn text_at(n: &Node, key: &str) -> Option<(Text, Span)> {
    let e = n.get(key)?;
    match &e.value.kind {
        NodeKind::Str(t) => Some((t.clone(), e.value.span)),
        _ => None,
    }
}

fn collect<'a>(
    module: &'a Node,
    out: &mut Vec<Resource<'a>>,
    seen: &mut HashSet<String>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    if let Some(e) = module.get("resources")
        && let NodeKind::List(rs) = &e.value.kind
    {
        for r in rs {
            let address = text_at(r, "address")
                .and_then(|(t, _)| t.as_str().map(str::to_string))
                .unwrap_or_default();
            let ty = text_at(r, "type")
                .and_then(|(t, _)| t.as_str().map(str::to_string))
                .unwrap_or_default();
            let mode = text_at(r, "mode").and_then(|(t, _)| t.as_str().map(str::to_string));
            if mode.as_deref() == Some("data") || !seen.insert(address.clone()) {
                continue;
            }
            out.push(Resource {
                address,
                ty,
                node: r,
                values: r.get("values").map(|e| &e.value),
            });
        }
    }
    if let Some(e) = module.get("child_modules")
        && let NodeKind::List(ms) = &e.value.kind
    {
        for m in ms {
            collect(m, out, seen, depth + 1);
        }
    }
}

pub fn read(model: &mut Model, file: FileId, text: &str, root: &Node) {
    let mut resources = vec![];
    let mut seen = HashSet::new();
    if let Some(pv) = root.get("planned_values")
        && let Some(rm) = pv.value.get("root_module")
    {
        collect(&rm.value, &mut resources, &mut seen, 0);
    }
    if let Some(ps) = root.get("prior_state")
        && let Some(v) = ps.value.get("values")
        && let Some(rm) = v.value.get("root_module")
    {
        collect(&rm.value, &mut resources, &mut seen, 0);
    }
    let sym = |kind: Kind, name: &str| Text::sym(Symbol::scoped(kind, name, file + 1));
    let plan = Plan {
        file,
        text,
        partition: sym(Kind::Partition, "plan.partition"),
        region: sym(Kind::Region, "plan.region"),
        account: sym(Kind::Account, "plan.account_id"),
    };
    for r in &resources {
        let Some(v) = r.values else { continue };
        let planned = PlannedResource {
            plan: &plan,
            r,
            v,
            values: Planned(v),
        };
        if !map(&r.ty, &planned, model) {
            super::plan_logs::read(
                model,
                &r.ty,
                &r.address,
                v,
                r.node.span,
                &format!("plan {file}"),
                &plan.account,
                &plan.partition,
            );
        }
    }
}

/// The plan being read: its file and text, and the symbols standing for its partition,
/// Region and account.
struct Plan<'t> {
    file: FileId,
    text: &'t str,
    partition: Text,
    region: Text,
    account: Text,
}

impl Plan<'_> {
    fn sym(&self, kind: Kind, name: String) -> Text {
        Text::sym(Symbol::scoped(kind, name, self.file + 1))
    }

    /// A string value, else a symbol named after the resource's attribute.
    fn text_or(&self, v: &Node, key: &str, kind: Kind, address: &str) -> Text {
        text_at(v, key)
            .map(|(t, _)| t)
            .unwrap_or_else(|| self.sym(kind, format!("{address}.{key}")))
    }

    /// The resource's `policy`, a JSON string mapped back into the plan file.
    fn policy(&self, model: &mut Model, r: &Resource<'_>, target: Target) {
        let Some(e) = r.values.and_then(|v| v.get("policy")) else {
            return;
        };
        let open = Document {
            open: true,
            ..Default::default()
        };
        let doc = match &e.value.kind {
            NodeKind::Str(t) if t.as_str() == Some("") => return,
            NodeKind::Str(_) => match embedded_document(self.file, self.text, &e.value) {
                Some(Ok(d)) => read_document(&d, true),
                Some(Err((s, m))) => {
                    model.parse_errors.push(ParseError {
                        span: s,
                        message: format!("the planned policy is not a JSON policy document: {m}"),
                    });
                    return;
                }
                None => return,
            },
            _ => open,
        };
        model.policies.push(Policy {
            kind: target.kind,
            address: target.address,
            span: e.value.span,
            doc,
            bucket: target.bucket,
            key: target.key,
            standalone: false,
            key_ref: target.key_ref,
        });
    }
}

/// A planned resource as the shared mapping reads it.
struct PlannedResource<'a> {
    plan: &'a Plan<'a>,
    r: &'a Resource<'a>,
    v: &'a Node,
    values: Planned<'a>,
}

/// A resource's own arguments are read as planned, empty strings too; a value of another
/// type than the argument's stands for what is not known.
impl Values for PlannedResource<'_> {
    fn text(&self, key: &str) -> Option<Text> {
        text_at(self.v, key).map(|(t, _)| t)
    }
    fn known(&self, key: &str) -> Option<Option<String>> {
        self.values.known(key)
    }
    fn truth(&self, key: &str) -> Option<Truth> {
        self.values.truth(key)
    }
    fn block<'s>(&'s self, name: &str) -> Option<Box<dyn Values + 's>> {
        self.values.block(name)
    }
    fn blocks<'s>(&'s self, name: &str) -> Vec<Box<dyn Values + 's>> {
        self.values.blocks(name)
    }
    fn spanned(&self, key: &str) -> Option<(Text, Span)> {
        let e = self.v.get(key)?;
        match &e.value.kind {
            NodeKind::Str(t) => Some((t.clone(), e.value.span)),
            NodeKind::Null => None,
            _ => Some((
                self.plan
                    .sym(Kind::Any, format!("{}.{key}", self.r.address)),
                e.value.span,
            )),
        }
    }
    fn value_span(&self, key: &str) -> Option<Span> {
        self.values.value_span(key)
    }
}

impl resources::Resource for PlannedResource<'_> {
    fn address(&self) -> String {
        self.r.address.clone()
    }

    fn span(&self) -> Span {
        self.r.node.span
    }

    /// A plan holds the instances that exist: no deploy-time condition.
    fn guard(&self) -> Guard {
        Guard::default()
    }

    fn attach_policy(&self, m: &mut Model, target: Target) {
        self.plan.policy(m, self.r, target);
    }

    fn has_policy(&self) -> bool {
        matches!(self.v.get("policy").map(|e| &e.value.kind), Some(NodeKind::Str(t)) if t.as_str() != Some(""))
    }

    fn bucket_name(&self) -> Text {
        self.plan
            .text_or(self.v, "bucket", Kind::Bucket, &self.r.address)
    }

    fn policy_bucket(&self) -> Option<Text> {
        Some(
            self.plan
                .text_or(self.v, "bucket", Kind::Any, &self.r.address),
        )
    }

    /// Its ID (a symbol when not planned yet), and its ARN when planned.
    fn key_idents(&self) -> Vec<Text> {
        let mut idents = vec![
            self.plan
                .text_or(self.v, "key_id", Kind::KeyId, &self.r.address),
        ];
        if let Some((arn, _)) = text_at(self.v, "arn") {
            idents.push(arn);
        }
        idents
    }

    fn alias_arn(&self) -> Option<Text> {
        Some(self.plan.text_or(self.v, "arn", Kind::Any, &self.r.address))
    }

    fn account(&self) -> Text {
        self.plan.account.clone()
    }

    /// The ARN's parts are read when the plan knows it.
    fn trail_ids(&self) -> TrailIds {
        let plan = self.plan;
        let name = plan.text_or(self.v, "name", Kind::TrailName, &self.r.address);
        let (arn, account, partition) = match text_at(self.v, "arn").map(|(t, _)| t) {
            Some(arn) if let Some(a) = Arn::of_text_loose(&arn) => {
                (arn.clone(), a.account, a.partition)
            }
            _ => (
                trail_arn(&plan.partition, &plan.region, &plan.account, &name),
                plan.account.clone(),
                plan.partition.clone(),
            ),
        };
        TrailIds {
            name,
            arn,
            account,
            partition,
            org_id: plan.sym(Kind::OrgId, "plan.organization_id".into()),
        }
    }
}
