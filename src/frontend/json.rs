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
        || MARKS.iter().any(|w| text.contains(w))
        || crate::discover::is_template_name(display)
}

/// What makes a JSON file worth parsing besides a trigger word.
const MARKS: [&str; 5] = [
    "\"planned_values\"",
    "\"Policy\"",
    "\"TrailARN\"",
    "\\u",
    "%{",
];

/// Whether a JSON file that [`may_matter`] gives the rules nothing once it parses, so that
/// only its syntax is worth checking (a file that does not parse is still reported): its only
/// reason to be read is `Statement`, and no statement can name a principal (no `Principal` in
/// its text, no escape that could spell one, no placeholder). Such a document is an identity
/// policy (see [`standalone_kind`]); nothing else the rules read holds a `Statement` without
/// one of the other words.
fn principal_free_policy(text: &str, display: &str) -> bool {
    // A large document is not read but said (`read_file`).
    text.len() <= MAX_POLICY_BYTES
        && !text.contains("Principal")
        && !text.contains("${")
        && TRIGGER_WORDS
            .iter()
            .all(|w| *w == "Statement" || !text.contains(w))
        && MARKS.iter().all(|w| !text.contains(w))
        && !crate::discover::is_template_name(display)
}

/// Whether a text is JSON, checked without building it: true only when the full parse
/// ([`parse_nodes`]) succeeds too; false may be wrong, so false means "parse it". This check
/// takes any depth and lone surrogate escapes (`\uD800`), both of which the full parse
/// refuses (past 512 levels): a text with a `\u` escape, or with more brackets than that
/// depth (bracket count bounds depth), is not judged here.
pub fn surely_parses(text: &str) -> bool {
    let openers = text.bytes().filter(|&b| b == b'[' || b == b'{').count();
    openers <= 256
        && !text.contains("\\u")
        && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

/// A JSON file's model as [`read_file`] gives it, without reading what cannot matter: a file
/// that [`may_matter`] not is not parsed, and a [`principal_free_policy`] is only checked to
/// parse (a package lock or identity policy keeps the scan no longer than reading it).
pub fn read_if_worth(file: FileId, display: &str, text: &str) -> Model {
    if !may_matter(text, display) || (principal_free_policy(text, display) && surely_parses(text)) {
        return Model::default();
    }
    read_file(file, display, text)
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

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::Rng;

    /// A JSON value, mostly well formed, at times not (what each parser might take alone).
    fn value(r: &mut Rng, depth: usize, out: &mut String) {
        let odd = |r: &mut Rng| {
            r.pick(&[
                "", ",", ":", "\\", "\"", "\t", "\n", "\u{c}", "\u{0}", "\u{1f}", "\u{a0}",
                "\u{feff}", "\u{2028}", "//c\n", "/*c*/", "'", "01", "-0", "1.", ".5", "+1", "1e",
                "1E+2", "-", "NaN", "Infinity", "0x1F", "tru", "nul", "\\x41", "\\/", "\\b",
                "\\u12", "\\uD800", "]", "}", "é", "\r",
            ])
            .to_string()
        };
        if r.below(25) == 0 {
            out.push_str(&odd(r));
        }
        let kind = if depth > 140 {
            2 + r.below(4)
        } else {
            r.below(6)
        };
        // Deeper down, mostly one member: the values stay small.
        let members = |r: &mut Rng| {
            if depth > 3 && r.below(3) > 0 {
                1
            } else {
                r.below(4)
            }
        };
        match kind {
            0 => {
                out.push('{');
                for i in 0..members(r) {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(r.pick(&["", " ", "\n  "]));
                    out.push('"');
                    out.push_str(r.pick(&[
                        "Statement",
                        "Effect",
                        "Action",
                        "Sid",
                        "a",
                        "",
                        "Resource",
                        // What makes other kinds of file, or a resource policy.
                        "Principal",
                        "NotPrincipal",
                        "Service",
                        "Policy",
                        "PolicyName",
                        "planned_values",
                        "Resources",
                        "Type",
                        "trailList",
                        "Trail",
                        "TrailARN",
                        "S3BucketName",
                        "AWSTemplateFormatVersion",
                    ]));
                    out.push('"');
                    out.push_str(r.pick(&[":", ": ", " : "]));
                    value(r, depth + 1, out);
                }
                if r.below(30) == 0 {
                    out.push(',');
                }
                out.push('}');
            }
            1 => {
                out.push('[');
                for i in 0..members(r) {
                    if i > 0 {
                        out.push_str(r.pick(&[",", ", ", ",\n"]));
                    }
                    value(r, depth + 1, out);
                }
                out.push(']');
            }
            2 => {
                out.push('"');
                for _ in 0..r.below(4) {
                    out.push_str(r.pick(&[
                        "s3:GetObject",
                        "arn:aws:s3:::b/*",
                        "Allow",
                        " ",
                        "\\n",
                        "\\\"",
                        "\\/",
                        "\\u00e9",
                        "\\ud83d\\ude00",
                        "é",
                        "\t",
                        "AWS::S3::Bucket",
                        "cloudtrail.amazonaws.com",
                        "kms:GenerateDataKey*",
                        "${x}",
                    ]));
                    if r.below(20) == 0 {
                        out.push_str(&odd(r));
                    }
                }
                out.push('"');
            }
            3 => out.push_str(r.pick(&[
                "0",
                "-1",
                "12.5",
                "1e400",
                "-0.0e-7",
                "123456789012345678901234567890",
            ])),
            4 => out.push_str(r.pick(&["true", "false", "null"])),
            _ => out.push_str(&odd(r)),
        }
        if r.below(25) == 0 {
            out.push_str(&odd(r));
        }
    }

    #[test]
    fn generated_texts_read_as_the_full_read_reads_them() {
        let mut r = Rng(0x2545_f491_4f6c_dd1d);
        let (mut both, mut neither, mut full_only, mut skipped) = (0, 0, 0, 0);
        let offsets = OffsetMap {
            file: 0,
            base: 0,
            map: None,
        };
        for i in 0..40_000 {
            let mut text = String::from(r.pick(&["", "", " ", "\n", "\u{feff}"]));
            if i % 50 == 0 {
                // Deep nesting, around and past the full parse's limit.
                let n = [120, 127, 128, 129, 256, 257, 511, 512, 513, 600, 5000][r.below(11)];
                text.push_str(&"[".repeat(n));
                text.push_str(&"]".repeat(n + r.below(2)));
            } else if i % 3 == 0 {
                // A policy document: its statements, other members at times.
                text.push_str("{\"Statement\": [");
                value(&mut r, 1, &mut text);
                text.push_str(r.pick(&["]", "], \"Version\": \"2012-10-17\"", "], \"Id\": "]));
                if text.ends_with(' ') {
                    value(&mut r, 1, &mut text);
                }
                text.push('}');
            } else {
                value(&mut r, 0, &mut text);
            }
            text.push_str(r.pick(&["", "", "\n", " ", "x", "{}", "\u{0}"]));
            // What the file gives the rules is what the full read gives (nothing, for those
            // taken as principal-free policies).
            let read = read_file(0, "p.json", &text);
            assert_eq!(
                format!("{:?}", read_if_worth(0, "p.json", &text)),
                format!("{read:?}"),
                "{text:?}"
            );
            if principal_free_policy(&text, "p.json") && surely_parses(&text) {
                skipped += 1;
            }
            let full = parse_nodes(&text, offsets).is_ok();
            match (surely_parses(&text), full) {
                (true, true) => both += 1,
                (true, false) => panic!("taken here, refused by the full parse: {text:?}"),
                (false, true) => full_only += 1,
                (false, false) => neither += 1,
            }
        }
        // The generator reaches all three agreeing cases in number, and the shortcut.
        assert!(
            both > 10_000 && neither > 5_000 && full_only > 50 && skipped > 2_000,
            "{both} {neither} {full_only} {skipped}"
        );
    }

    #[test]
    fn a_principal_free_policy_is_read_as_the_full_read_reads_it() {
        let cases = [
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
            r#"{"Statement": {"Effect": "Deny", "NotAction": "kms:*", "Resource": "*"}}"#,
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*",}]}"#,
            r#"{"Statement": [{"Effect": "Allow" "Action": "s3:*"}]}"#,
            r#"{"Statement": []"#,
            "{\"Statement\": [{\"Effect\": \"Allow\"}]}\n// note",
            "\u{feff}{\"Statement\": []}",
            r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/AWSLogs/1/*"}]}"#,
            r#"{"Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "*"}, "Action": "s3:PutObject", "Resource": "*"}]}"#,
            r#"{"Statement": [{"Effect": "Allow", "Princip\u0061l": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "*"}]}"#,
        ];
        let mut skipped = 0;
        for text in cases {
            let full = read_file(0, "p.json", text);
            let worth = read_if_worth(0, "p.json", text);
            assert_eq!(
                format!("{:?}", worth.parse_errors),
                format!("{:?}", full.parse_errors),
                "{text}"
            );
            assert_eq!(worth.policies.len(), full.policies.len(), "{text}");
            assert_eq!(worth.notices.len(), full.notices.len(), "{text}");
            if principal_free_policy(text, "p.json") && surely_parses(text) {
                assert!(full.is_empty(), "{text}");
                skipped += 1;
            }
        }
        assert_eq!(skipped, 2);
        // A broken one is still reported.
        let broken = read_if_worth(0, "p.json", cases[3]);
        assert_eq!(broken.parse_errors.len(), 1);
        // Other reasons to read a file keep it read.
        for text in [
            r#"{"Statement": [], "Policy": "{}"}"#,
            r#"{"Statement": [], "x": "${p}"}"#,
            r#"{"AWSTemplateFormatVersion": "2010-09-09", "Statement": []}"#,
        ] {
            assert!(!principal_free_policy(text, "p.json"), "{text}");
        }
        assert!(!principal_free_policy(r#"{"Statement": []}"#, "p.json.tpl"));
        // Files of other kinds with a `Statement` and no principal: read in full.
        for text in [
            r#"{"trailList": [{"Name": "t", "TrailARN": "arn:aws:cloudtrail:us-east-1:111111111111:trail/t", "S3BucketName": "b", "Note": "Statement"}]}"#,
            r#"{"planned_values": {"root_module": {"resources": [{"address": "aws_flow_log.f", "mode": "managed", "type": "aws_flow_log", "name": "f", "values": {"log_destination": "arn:aws:s3:::b", "log_destination_type": "s3", "traffic_type": "ALL"}}]}}, "Note": "Statement"}"#,
            r#"{"Policy": "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}"}"#,
        ] {
            assert!(!read_file(0, "p.json", text).is_empty(), "{text}");
            assert!(!read_if_worth(0, "p.json", text).is_empty(), "{text}");
        }
        // A document too large to analyse is said, principal or not.
        let large = format!(
            r#"{{"Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": [{}"x"]}}]}}"#,
            "\"arn:aws:s3:::b/k\", ".repeat(MAX_POLICY_BYTES / 18)
        );
        assert!(large.len() > MAX_POLICY_BYTES);
        let said = read_if_worth(0, "p.json", &large);
        assert_eq!(said.notices.len(), 1);
        assert!(said.notices[0].message.starts_with("not analysed"));
    }
}
