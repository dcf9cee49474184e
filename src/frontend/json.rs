//! Raw JSON input: bare policy documents, `aws s3api get-bucket-policy` / `aws kms
//! get-key-policy` output (a document inside a JSON string, positions mapped back to the file),
//! and `templatefile()` templates kept as `.json`/`.json.tpl`/`.tpl` whose `${…}` placeholders
//! are unknown values.

use super::json_nodes::*;
use crate::model::{Model, Notice, ParseError, Policy};
use crate::policy::{PolicyKind, read_document};
use crate::source::{FileId, Span};
use crate::value::{Node, NodeKind, Text};
use std::ops::Range;

/// Words whose presence makes an unparsable file ours to report (spec: "Which files are read").
pub const TRIGGER_WORDS: [&str; 7] = [
    "Statement",
    "AWSTemplateFormatVersion",
    "AWS::",
    "aws_s3_bucket",
    "aws_kms_key",
    "aws_cloudtrail",
    "aws_iam_policy_document",
];

pub fn has_trigger_word(text: &str) -> bool {
    TRIGGER_WORDS.iter().any(|w| text.contains(w))
}

/// Whether a JSON file can hold anything for the rules (or a parse error worth reporting), by
/// a byte search before parsing: a policy (`Statement`), a template, a plan, `get-bucket-policy`
/// output (`Policy`), a template file; an escape (`\u…`) could spell any key, so it keeps the
/// file too. Package locks and other tools' JSON are not parsed at all.
pub fn may_matter(text: &str, display: &str) -> bool {
    has_trigger_word(text)
        || [
            "\"planned_values\"",
            "\"Policy\"",
            "\"TrailARN\"",
            "\\u",
            "%{",
        ]
        .iter()
        .any(|w| text.contains(w))
        || crate::discover::is_template_name(display)
}

/// What a JSON file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonKind {
    PolicyDocument,
    CliOutput,
    /// `aws cloudtrail describe-trails` (`trailList`) or `get-trail` (`Trail`) output.
    CliTrails,
    CloudFormation,
    TerraformPlan,
    Other,
}

fn classify(root: &Node) -> JsonKind {
    let NodeKind::Map(entries) = &root.kind else {
        return JsonKind::Other;
    };
    let has = |k: &str| entries.iter().any(|e| e.key == k);
    if has("Statement") {
        return JsonKind::PolicyDocument;
    }
    if has("AWSTemplateFormatVersion") {
        return JsonKind::CloudFormation;
    }
    if let Some(r) = root.get("Resources")
        && let NodeKind::Map(res) = &r.value.kind
        && res.iter().any(|e| {
            e.value
                .get("Type")
                .and_then(|t| t.value.scalar_text())
                .is_some_and(|t| t.known_prefix().starts_with("AWS::"))
        })
    {
        return JsonKind::CloudFormation;
    }
    if has("planned_values") {
        return JsonKind::TerraformPlan;
    }
    if let Some(p) = root.get("Policy")
        && matches!(p.value.kind, NodeKind::Str(_) | NodeKind::Map(_))
    {
        return JsonKind::CliOutput;
    }
    let trail_like = |n: &Node| n.get("TrailARN").is_some() && n.get("S3BucketName").is_some();
    match root.get("trailList").map(|e| &e.value.kind) {
        Some(NodeKind::List(items)) if items.iter().any(trail_like) => return JsonKind::CliTrails,
        _ => {}
    }
    if root.get("Trail").is_some_and(|e| trail_like(&e.value)) {
        return JsonKind::CliTrails;
    }
    JsonKind::Other
}

/// The trails of `describe-trails` / `get-trail` output: live trails, literal values. Like the
/// configuration's `[[trails]]`, they are checked against the standalone policies of the scan
/// (`get-bucket-policy` / `get-key-policy` output, policy files): those of their bucket, and
/// every key policy.
fn read_cli_trails(model: &mut Model, file: FileId, root: &Node) {
    use crate::value::{Kind, Symbol};
    let items: Vec<&Node> = match root.get("trailList").map(|e| &e.value.kind) {
        Some(NodeKind::List(items)) => items.iter().collect(),
        _ => root.get("Trail").map(|e| &e.value).into_iter().collect(),
    };
    for (i, t) in items.into_iter().enumerate() {
        let text = |k: &str| {
            t.get(k)
                .and_then(|e| e.value.scalar_text().map(|x| (x, e.value.span)))
                .filter(|(x, _)| x.as_str() != Some(""))
        };
        let Some((arn_text, _)) = text("TrailARN") else {
            continue;
        };
        let arn = arn_text.as_str().unwrap_or_default().to_string();
        let sym =
            |k: Kind, what: &str| Text::sym(Symbol::new(k, format!("cli{file}.trail{i}.{what}")));
        let crate::aws::arn::TrailParts {
            partition,
            region,
            account,
            name,
        } = crate::aws::arn::TrailParts::of(Some(&arn), &sym);
        let name = name.unwrap_or_else(|| {
            text("Name").map_or_else(|| sym(Kind::TrailName, "name"), |(n, _)| n)
        });
        let is_org = matches!(
            t.get("IsOrganizationTrail").map(|e| &e.value.kind),
            Some(NodeKind::Bool(true))
        );
        let key = text("KmsKeyId");
        model.trails.push(crate::model::Trail {
            address: arn.clone(),
            span: t.span,
            arn: crate::aws::cloudtrail::trail_arn(&partition, &region, &account, &name),
            name,
            account,
            partition,
            org_id: is_org.then(|| sym(Kind::OrgId, "org_id")),
            is_org: crate::value::Truth::from_bool(is_org),
            prefix: text("S3KeyPrefix")
                .map(|(p, _)| Text::lit(p.as_str().unwrap_or_default().trim_end_matches('/')))
                .unwrap_or_default(),
            bucket: text("S3BucketName"),
            no_key: key.is_none(),
            key,
            standalone_only: true,
            guard: Default::default(),
        });
    }
}

/// Reads a JSON file into the model. `display` is the path as reported.
/// Larger policy documents are not analysed: AWS accepts at most 20 KB (bucket) and 32 KB
/// (key); past this size the file cannot be a policy AWS would take.
pub const MAX_POLICY_BYTES: usize = 8 * 1024 * 1024;

/// For a large file, whether its top level is a policy document or `aws` CLI output, from a
/// byte scan of its top-level keys (no tree is built: a large file's tree costs many times its
/// size).
fn large_policy(text: &str) -> Option<bool> {
    let keys = top_level_keys(text)?;
    let has = |k: &str| keys.iter().any(|x| x == k);
    Some(
        (has("Statement") || has("Policy"))
            && !has("planned_values")
            && !has("Resources")
            && !has("AWSTemplateFormatVersion"),
    )
}

/// The keys of a top-level JSON object (strings followed by `:` at depth 1).
fn top_level_keys(text: &str) -> Option<Vec<String>> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut keys = vec![];
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if depth == 1 {
                    let mut j = i + 1;
                    while j < b.len() && b[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    if b.get(j) == Some(&b':') {
                        keys.push(text.get(start..i.min(b.len()))?.to_string());
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    Some(keys)
}

pub fn read_file(file: FileId, display: &str, text: &str) -> Model {
    read_file_masked(file, display, text, None)
}

/// [`read_file`] of a prepared Jinja template: strings touching the expressions (ranges of
/// `original`) are unknown values.
pub fn read_file_masked(
    file: FileId,
    display: &str,
    text: &str,
    masked: Option<(&[Range<usize>], &str)>,
) -> Model {
    let masking = |mut root: Node| {
        if let Some((exprs, original)) = masked {
            crate::frontend::jinja::mask(&mut root, exprs, original);
        }
        root
    };
    let mut model = Model::default();
    if text.len() > MAX_POLICY_BYTES && large_policy(text) == Some(true) {
        model.notices.push(Notice {
            at: None,
            path: display.to_string(),
            message: format!(
                "not analysed: a {} MB policy document (AWS accepts at most 20 KB for a bucket policy, 32 KB for a key policy)",
                text.len() / (1024 * 1024)
            ),
        });
        return model;
    }
    let offsets = OffsetMap {
        file,
        base: 0,
        map: None,
    };
    // A CloudFormation template's strings are literal (`Fn::Sub` reads its own `${…}`).
    let literal = (text.contains("AWSTemplateFormatVersion") || text.contains("\"AWS::"))
        .then(|| parse_literal(text, offsets).ok())
        .flatten()
        .filter(|root| classify(root) == JsonKind::CloudFormation)
        .map(masking);
    if let Some(root) = literal {
        let source =
            crate::source::SourceFile::new(display.into(), display.into(), text.to_string());
        return crate::frontend::cloudformation::template::read(file, &source, &root, true);
    }
    let root = match parse_nodes(text, offsets) {
        Ok(n) => masking(n),
        Err((span, message)) => {
            // A template's directives (`%{ for … }`) are not JSON until rendered: said, not
            // judged (its caller's `templatefile()` renders it in context).
            if (crate::discover::is_template_name(display) && text.contains("${"))
                || text.contains("%{")
            {
                model.notices.push(Notice {
                    at: None,
                    path: display.to_string(),
                    message: format!(
                        "template skipped: it is not JSON once its placeholders are read as values ({message})"
                    ),
                });
            } else if has_trigger_word(text) {
                model.parse_errors.push(ParseError {
                    span,
                    message: format!("the file cannot be parsed as JSON: {message}"),
                });
            }
            return model;
        }
    };
    match classify(&root) {
        JsonKind::PolicyDocument => {
            let whole = Span::whole(file, text);
            if let Some(kind) = standalone_kind(&root) {
                push_policy(&mut model, kind, whole, &root);
            }
        }
        JsonKind::CliOutput => read_cli_output(&mut model, file, text, &root, display),
        JsonKind::CliTrails => read_cli_trails(&mut model, file, &root),
        JsonKind::TerraformPlan => crate::frontend::plan::read(&mut model, file, text, &root),
        JsonKind::CloudFormation => {
            let source =
                crate::source::SourceFile::new(display.into(), display.into(), text.to_string());
            model = crate::frontend::cloudformation::template::read(file, &source, &root, true);
        }
        JsonKind::Other => {}
    }
    model
}

fn push_policy(model: &mut Model, kind: PolicyKind, span: Span, doc: &Node) {
    model.policies.push(Policy {
        kind,
        address: String::new(),
        span,
        doc: read_document(doc, true),
        bucket: None,
        key: None,
        standalone: true,
        key_ref: None,
    });
}

/// A bare document is a bucket policy when it has `s3:` actions, a key policy when all its
/// actions are `kms:`, and neither (an identity, trust or other service's policy) otherwise —
/// including when no statement names a principal.
pub fn standalone_kind(doc: &Node) -> Option<PolicyKind> {
    let statements: Vec<&Node> = match doc.get("Statement").map(|e| &e.value.kind) {
        Some(NodeKind::List(l)) => l.iter().collect(),
        Some(NodeKind::Map(_)) => vec![&doc.get("Statement")?.value],
        _ => return None,
    };
    let names_principal = statements
        .iter()
        .any(|s| s.get("Principal").is_some() || s.get("NotPrincipal").is_some());
    if !names_principal {
        return None;
    }
    let mut services = vec![];
    for s in &statements {
        for k in ["Action", "NotAction"] {
            if let Some(e) = s.get(k) {
                for it in crate::policy::items(&e.value) {
                    services.push(crate::aws::actions::service_of(&it.text));
                }
            }
        }
    }
    if services.iter().any(|s| s.as_deref() == Some("s3")) {
        Some(PolicyKind::Bucket)
    } else if !services.is_empty() && services.iter().all(|s| s.as_deref() == Some("kms")) {
        Some(PolicyKind::Key)
    } else {
        None
    }
}

fn read_cli_output(model: &mut Model, file: FileId, text: &str, root: &Node, display: &str) {
    let first = model.policies.len();
    read_cli_policy(model, file, text, root);
    // `get-key-policy` output names no key: the file's name may (`key-<KEY-ID>.json`, as the
    // README's collection script writes it). Kept as the key reference, for live trails.
    let stem = std::path::Path::new(display)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    for p in &mut model.policies[first..] {
        if p.kind == PolicyKind::Key && !stem.is_empty() {
            p.key_ref = Some(Text::lit(stem.clone()));
        }
    }
}

fn read_cli_policy(model: &mut Model, file: FileId, text: &str, root: &Node) {
    let kind = if root.get("PolicyName").is_some() {
        PolicyKind::Key
    } else {
        PolicyKind::Bucket
    };
    let Some(policy) = root.get("Policy") else {
        return;
    };
    match &policy.value.kind {
        NodeKind::Map(_) => push_policy(model, kind, policy.value.span, &policy.value),
        NodeKind::Str(_) => match embedded_document(file, text, &policy.value) {
            Some(Ok(doc)) => push_policy(model, kind, policy.value.span, &doc),
            Some(Err((span, message))) => model.parse_errors.push(ParseError {
                span,
                message: format!("the Policy string is not a JSON policy document: {message}"),
            }),
            None => {}
        },
        _ => {}
    }
}
