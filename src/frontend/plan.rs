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
    let sym = |kind: Kind, name: String| Text::sym(Symbol::scoped(kind, name, file + 1));
    let partition = sym(Kind::Partition, "plan.partition".into());
    let region = sym(Kind::Region, "plan.region".into());
    let account = sym(Kind::Account, "plan.account_id".into());
    for r in resources {
        let span = r.node.span;
        let Some(v) = r.values else { continue };
        let get = |k: &str| text_at(v, k);
        let policy = |model: &mut Model,
                      kind: PolicyKind,
                      bucket: Option<Text>,
                      key: Option<usize>,
                      key_ref: Option<Text>| {
            let Some(e) = v.get("policy") else { return };
            let (doc, pspan) = match &e.value.kind {
                NodeKind::Str(t) if t.as_str() == Some("") => return,
                NodeKind::Str(_) => match embedded_document(file, text, &e.value) {
                    Some(Ok(d)) => (read_document(&d, true), e.value.span),
                    Some(Err((s, m))) => {
                        model.parse_errors.push(ParseError {
                            span: s,
                            message: format!(
                                "the planned policy is not a JSON policy document: {m}"
                            ),
                        });
                        return;
                    }
                    None => return,
                },
                _ => (
                    Document {
                        open: true,
                        ..Default::default()
                    },
                    e.value.span,
                ),
            };
            model.policies.push(Policy {
                kind,
                address: r.address.clone(),
                span: pspan,
                doc,
                bucket,
                key,
                standalone: false,
                key_ref,
            });
        };
        match r.ty.as_str() {
            "aws_s3_bucket" => {
                let name = get("bucket")
                    .map(|(t, _)| t)
                    .unwrap_or_else(|| sym(Kind::Bucket, format!("{}.bucket", r.address)));
                model.buckets.push(Bucket::new(
                    r.address.clone(),
                    span,
                    name.clone(),
                    Truth::No,
                ));
                policy(model, PolicyKind::Bucket, Some(name), None, None);
            }
            "aws_s3_bucket_policy" => {
                let bucket = get("bucket")
                    .map(|(t, _)| t)
                    .unwrap_or_else(|| sym(Kind::Any, format!("{}.bucket", r.address)));
                policy(model, PolicyKind::Bucket, Some(bucket), None, None);
            }
            "aws_s3_bucket_ownership_controls" => {
                let Some((bucket, _)) = get("bucket") else {
                    continue;
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
                    at: span,
                    guard: Default::default(),
                    key: None,
                });
                model.ownership.push((bucket, enforced, span));
            }
            "aws_kms_key" => {
                let id = get("key_id")
                    .map(|(t, _)| t)
                    .unwrap_or_else(|| sym(Kind::KeyId, format!("{}.key_id", r.address)));
                let mut idents = vec![id];
                if let Some((arn, _)) = get("arn") {
                    idents.push(arn);
                }
                let has_policy = matches!(v.get("policy").map(|e| &e.value.kind), Some(NodeKind::Str(t)) if t.as_str() != Some(""));
                let idx = model.keys.len();
                model.keys.push(Key {
                    address: r.address.clone(),
                    span,
                    idents,
                    has_policy,
                });
                policy(model, PolicyKind::Key, None, Some(idx), None);
            }
            "aws_kms_key_policy" => {
                let key = get("key_id").map(|(t, _)| t);
                policy(model, PolicyKind::Key, None, None, key);
            }
            "aws_kms_alias" => {
                if let (Some((name, _)), Some((target, _))) = (get("name"), get("target_key_id")) {
                    let arn = get("arn")
                        .map(|(t, _)| t)
                        .unwrap_or_else(|| sym(Kind::Any, format!("{}.arn", r.address)));
                    model.key_aliases.push((name, arn, target));
                }
            }
            "aws_cloudtrail" => {
                let name = get("name")
                    .map(|(t, _)| t)
                    .unwrap_or_else(|| sym(Kind::TrailName, format!("{}.name", r.address)));
                let (arn, acct, part) = match get("arn").map(|(t, _)| t) {
                    Some(arn) if let Some(a) = Arn::of_text(&arn) => {
                        (arn.clone(), a.account, a.partition)
                    }
                    _ => (
                        trail_arn(&partition, &region, &account, &name),
                        account.clone(),
                        partition.clone(),
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
                    _ => sym(Kind::Any, format!("{}.s3_key_prefix", r.address)),
                };
                let key = v.get("kms_key_id").and_then(|e| match &e.value.kind {
                    NodeKind::Str(t) if t.as_str() != Some("") => Some((t.clone(), e.value.span)),
                    _ => None,
                });
                model.trails.push(Trail {
                    address: r.address.clone(),
                    span,
                    name,
                    arn,
                    account: acct,
                    partition: part,
                    org_id: Some(sym(Kind::OrgId, "plan.organization_id".into())),
                    is_org,
                    prefix,
                    bucket: get("s3_bucket_name"),
                    key,
                    standalone_only: false,
                    no_key: false,
                    guard: Default::default(),
                });
            }
            _ => super::plan_logs::read(
                model,
                &r.ty,
                &r.address,
                v,
                span,
                &format!("plan {file}"),
                &account,
                &partition,
            ),
        }
    }
}
