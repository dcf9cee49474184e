//! Terraform plan JSON (`terraform show -json plan.out`): the resources of `planned_values`
//! (root and child modules) and `prior_state`, with policies given as JSON strings mapped to
//! positions in the plan file. Values the plan does not know are omitted there, and are
//! symbols here.

use crate::aws::arn::Arn;
use crate::aws::cloudtrail::trail_arn;
use crate::frontend::json_nodes::embedded_document;
use crate::model::{Bucket, Key, Model, ParseError, Policy, Trail};
use crate::policy::{Document, PolicyKind, read_document};
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
        match r.ty.as_str() {
            "aws_s3_bucket" => {
                let name = plan.text_or(v, "bucket", Kind::Bucket, &r.address);
                model.buckets.push(Bucket::new(
                    r.address.clone(),
                    r.node.span,
                    name.clone(),
                    Truth::No,
                ));
                plan.policy(model, r, PolicyKind::Bucket, Some(name), None, None);
            }
            "aws_s3_bucket_policy" => {
                let bucket = plan.text_or(v, "bucket", Kind::Any, &r.address);
                plan.policy(model, r, PolicyKind::Bucket, Some(bucket), None, None);
            }
            "aws_s3_bucket_ownership_controls" => ownership(model, r, v),
            "aws_kms_key" => plan.key(model, r, v),
            "aws_kms_key_policy" => {
                let key = text_at(v, "key_id").map(|(t, _)| t);
                plan.policy(model, r, PolicyKind::Key, None, None, key);
            }
            "aws_kms_alias" => {
                if let (Some((name, _)), Some((target, _))) =
                    (text_at(v, "name"), text_at(v, "target_key_id"))
                {
                    let arn = plan.text_or(v, "arn", Kind::Any, &r.address);
                    model.key_aliases.push((name, arn, target));
                }
            }
            "aws_cloudtrail" => model.trails.push(plan.trail(r, v)),
            _ => super::plan_logs::read(
                model,
                &r.ty,
                &r.address,
                v,
                r.node.span,
                &format!("plan {file}"),
                &plan.account,
                &plan.partition,
            ),
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
    fn policy(
        &self,
        model: &mut Model,
        r: &Resource<'_>,
        kind: PolicyKind,
        bucket: Option<Text>,
        key: Option<usize>,
        key_ref: Option<Text>,
    ) {
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
            kind,
            address: r.address.clone(),
            span: e.value.span,
            doc,
            bucket,
            key,
            standalone: false,
            key_ref,
        });
    }

    /// An `aws_kms_key`: its ID (a symbol when not planned yet) and ARN, and its policy.
    fn key(&self, model: &mut Model, r: &Resource<'_>, v: &Node) {
        let mut idents = vec![self.text_or(v, "key_id", Kind::KeyId, &r.address)];
        if let Some((arn, _)) = text_at(v, "arn") {
            idents.push(arn);
        }
        let has_policy = matches!(v.get("policy").map(|e| &e.value.kind), Some(NodeKind::Str(t)) if t.as_str() != Some(""));
        let idx = model.keys.len();
        model.keys.push(Key {
            address: r.address.clone(),
            span: r.node.span,
            idents,
            has_policy,
        });
        self.policy(model, r, PolicyKind::Key, None, Some(idx), None);
    }

    /// An `aws_cloudtrail`, its ARN's parts read when the plan knows it.
    fn trail(&self, r: &Resource<'_>, v: &Node) -> Trail {
        let name = self.text_or(v, "name", Kind::TrailName, &r.address);
        let (arn, account, partition) = match text_at(v, "arn").map(|(t, _)| t) {
            Some(arn) if let Some(a) = Arn::of_text(&arn) => (arn.clone(), a.account, a.partition),
            _ => (
                trail_arn(&self.partition, &self.region, &self.account, &name),
                self.account.clone(),
                self.partition.clone(),
            ),
        };
        let is_org = match v.get("is_organization_trail").map(|e| &e.value.kind) {
            Some(NodeKind::Bool(b)) => Truth::from_bool(*b),
            None | Some(NodeKind::Null) => Truth::No,
            _ => Truth::Unknown,
        };
        let prefix = match v.get("s3_key_prefix").map(|e| &e.value.kind) {
            Some(NodeKind::Str(t)) => t.clone(),
            None | Some(NodeKind::Null) => Text::default(),
            _ => self.sym(Kind::Any, format!("{}.s3_key_prefix", r.address)),
        };
        let key = v.get("kms_key_id").and_then(|e| match &e.value.kind {
            NodeKind::Str(t) if t.as_str() != Some("") => Some((t.clone(), e.value.span)),
            _ => None,
        });
        Trail {
            address: r.address.clone(),
            span: r.node.span,
            name,
            arn,
            account,
            partition,
            org_id: Some(self.sym(Kind::OrgId, "plan.organization_id".into())),
            is_org,
            prefix,
            bucket: text_at(v, "s3_bucket_name"),
            key,
            standalone_only: false,
            no_key: false,
            guard: Default::default(),
        }
    }
}

/// An `aws_s3_bucket_ownership_controls`: whether ACLs are disabled (`BucketOwnerEnforced`).
fn ownership(model: &mut Model, r: &Resource<'_>, v: &Node) {
    let Some((bucket, _)) = text_at(v, "bucket") else {
        return;
    };
    let enforced = v
        .get("rule")
        .and_then(|e| match &e.value.kind {
            NodeKind::List(l) => l.first().and_then(|x| text_at(x, "object_ownership")),
            _ => None,
        })
        .map(|(t, _)| Truth::from_bool(t.as_str() == Some("BucketOwnerEnforced")))
        .unwrap_or(Truth::Unknown);
    model.settings.push(crate::model::BucketSetting {
        bucket: bucket.clone(),
        setting: crate::model::Setting::OwnerEnforced,
        value: enforced,
        at: r.node.span,
        guard: Default::default(),
        key: None,
    });
    model.ownership.push((bucket, enforced, r.node.span));
}
