//! Linking and the rules that need trails, buckets and keys defined in the scan (TG011, TG006 on
//! a key without a policy, TG002 against a trail's real prefix and organization path, TG004's
//! BucketOwnerEnforced exemption, TG007 against a trail's ARN) and suppressions (TG000), on
//! models built the way the Terraform and CloudFormation frontends build them.

use trailguard::finding::Finding;
use trailguard::link::Analysis;
use trailguard::model::{Bucket, Key, Model, Suppression, Trail};
use trailguard::rules;
use trailguard::source::{SourceMap, Span};
use trailguard::value::Truth;
use trailguard::value::{Kind, Symbol, Text};

fn policy_model(file: u32, json: &str) -> Model {
    trailguard::frontend::json::read_file(file, "policy.json", json)
}

fn run(model: &Model) -> Vec<Finding> {
    let linked = trailguard::link::link(model);
    let a = Analysis::whole(model, &linked);
    let mut out = vec![];
    for r in rules::ALL {
        if let Some(c) = r.check {
            c(&a, &mut out);
        }
    }
    // The rules run over parts of the policies give the same findings as over the whole.
    let mut parted = vec![];
    for part in trailguard::link::parts(model, &linked, 1) {
        for r in rules::ALL {
            if let Some(c) = r.check {
                c(&part, &mut parted);
            }
        }
    }
    let key = |f: &Finding| {
        (
            f.rule.id,
            f.span.file,
            f.span.start,
            f.span.end,
            f.message.clone(),
        )
    };
    let mut whole: Vec<_> = out.iter().map(key).collect();
    let mut parts: Vec<_> = parted.iter().map(key).collect();
    whole.sort();
    parts.sort();
    assert_eq!(whole, parts, "parts and whole differ");
    out
}

fn ids(f: &[Finding]) -> Vec<&'static str> {
    let mut v: Vec<_> = f.iter().map(|f| f.rule.id).collect();
    v.sort();
    v
}

fn trail(bucket: &str, prefix: &str, account: &str, is_org: bool) -> Trail {
    let partition = Text::lit("aws");
    let name = Text::lit("main");
    let region = Text::lit("us-east-1");
    let account = Text::lit(account);
    Trail {
        address: "aws_cloudtrail.main".into(),
        span: Span::new(9, 0, 10),
        arn: trailguard::aws::cloudtrail::trail_arn(&partition, &region, &account, &name),
        name,
        account,
        partition,
        org_id: is_org.then(|| Text::lit("o-a1b2c3d4e5")),
        is_org: Truth::from_bool(is_org),
        prefix: Text::lit(prefix),
        bucket: Some((Text::lit(bucket), Span::new(9, 20, 30))),
        key: None,
        standalone_only: false,
        no_key: false,
        guard: Default::default(),
    }
}

const GOOD: &str = r#"{"Statement": [
 {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl",
  "Resource": "arn:aws:s3:::logs"},
 {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject",
  "Resource": "arn:aws:s3:::logs/audit/AWSLogs/111111111111/*",
  "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control",
   "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111111111111:trail/main"}}}]}"#;

#[test]
fn trail_prefix_is_checked_against_the_policy() {
    let mut m = policy_model(0, GOOD);
    m.trails.push(trail("logs", "audit", "111111111111", false));
    assert!(run(&m).is_empty());

    let mut m = policy_model(0, GOOD);
    m.trails.push(trail("logs", "other", "111111111111", false));
    let f = run(&m);
    assert_eq!(ids(&f), ["TG002"]);
    assert!(
        f[0].message.contains("logs/other/AWSLogs/111111111111/*"),
        "{}",
        f[0].message
    );
    assert_eq!(f[0].related[0].span, Span::new(9, 0, 10));
}

#[test]
fn organization_trail_needs_the_org_path() {
    let mut m = policy_model(0, GOOD);
    m.trails.push(trail("logs", "audit", "111111111111", true));
    let f = run(&m);
    assert_eq!(ids(&f), ["TG002"]);
    assert!(f[0].message.contains("AWSLogs/o-a1b2c3d4e5/*"));
}

#[test]
fn source_arn_must_admit_the_trail() {
    let mut m = policy_model(0, &GOOD.replace("trail/main", "trail/renamed"));
    m.trails.push(trail("logs", "audit", "111111111111", false));
    assert_eq!(ids(&run(&m)), ["TG007"]);
}

#[test]
fn a_trail_bucket_without_policy_is_tg011_unless_a_policy_might_be_for_it() {
    let mut m = Model::default();
    m.trails
        .push(trail("orphan-logs", "", "111111111111", false));
    m.buckets.push(Bucket::new(
        "aws_s3_bucket.orphan".into(),
        Span::new(9, 40, 50),
        Text::lit("orphan-logs"),
        Truth::No,
    ));
    let f = run(&m);
    assert_eq!(ids(&f), ["TG011"]);
    assert_eq!(f[0].span, Span::new(9, 20, 30));
    // A policy for another, known bucket changes nothing; one whose bucket is unknown might be
    // the missing one.
    let mut with_other = policy_model(0, GOOD);
    with_other.extend(std::mem::take(&mut m));
    assert!(ids(&run(&with_other)).contains(&"TG011"));
    let mut unknown = policy_model(
        0,
        &GOOD.replace("arn:aws:s3:::logs", "arn:aws:s3:::${bucket}"),
    );
    unknown
        .trails
        .push(trail("orphan-logs", "", "111111111111", false));
    unknown.buckets.push(Bucket::new(
        "aws_s3_bucket.orphan".into(),
        Span::new(9, 40, 50),
        Text::lit("orphan-logs"),
        Truth::No,
    ));
    assert!(!ids(&run(&unknown)).contains(&"TG011"));
}

#[test]
fn bucket_owner_enforced_exempts_tg004() {
    let no_acl = GOOD.replace(r#""s3:x-amz-acl": "bucket-owner-full-control","#, "");
    let mut m = policy_model(0, &no_acl);
    m.trails.push(trail("logs", "audit", "111111111111", false));
    assert_eq!(ids(&run(&m)), ["TG004"]);
    m.buckets.push(Bucket::new(
        "aws_s3_bucket.logs".into(),
        Span::new(9, 40, 50),
        Text::lit("logs"),
        Truth::Yes,
    ));
    assert!(run(&m).is_empty());
}

#[test]
fn a_trail_key_without_policy_is_tg006_on_the_key() {
    let mut m = Model::default();
    let mut t = trail("logs", "", "111111111111", false);
    t.key = Some((
        Text::lit("arn:aws:kms:us-east-1:111111111111:key/k1"),
        Span::new(9, 60, 70),
    ));
    m.trails.push(t);
    m.keys.push(Key {
        address: "aws_kms_key.trail".into(),
        span: Span::new(9, 80, 90),
        idents: vec![
            Text::lit("k1"),
            Text::lit("arn:aws:kms:us-east-1:111111111111:key/k1"),
        ],
        aliases: vec![],
        has_policy: false,
    });
    let f = run(&m);
    assert_eq!(ids(&f), ["TG006"]);
    assert_eq!(f[0].span, Span::new(9, 80, 90));
}

#[test]
fn symbols_of_the_same_name_link_and_unknowns_stay_quiet() {
    // The trail's account is the same symbol the policy's resources use: linked and covered.
    let acct = Text::sym(Symbol::new(
        Kind::Account,
        "data.aws_caller_identity.current.account_id",
    ));
    let mut m = policy_model(
        0,
        &GOOD.replace("logs/audit/AWSLogs/111111111111/*", "logs/AWSLogs/*"),
    );
    let mut t = trail("logs", "", "111111111111", false);
    t.account = acct;
    t.arn = Text::unknown("aws_cloudtrail.main.arn");
    m.trails.push(t);
    // SourceArn names trail/main; the trail's ARN is unknown: nothing certain to report.
    assert!(run(&m).is_empty());
}

#[test]
fn suppressions_hide_findings_and_unused_ones_are_tg000() {
    let m = policy_model(0, &GOOD.replace("s3:PutObject", "s3:PutObjects"));
    let mut sources = SourceMap::default();
    sources.files.push(trailguard::source::SourceFile::new(
        "policy.json".into(),
        "policy.json".into(),
        GOOD.replace("s3:PutObject", "s3:PutObjects"),
    ));
    let findings = run(&m);
    assert_eq!(ids(&findings), ["TG001", "TG008"]);
    let tg008_line = sources
        .start(findings.iter().find(|f| f.rule.id == "TG008").unwrap().span)
        .line;
    let sup = |rules: &[&str], line: usize| Suppression {
        span: Span::new(0, 0, 1),
        rules: rules.iter().map(|s| s.to_string()).collect(),
        lines: vec![(line, line)],
    };
    let suppress = |findings: Vec<_>, s: &[Suppression], selected: &dyn Fn(&str) -> bool| {
        let (mut kept, unused) = trailguard::suppress::apply(findings, s, &sources, selected);
        trailguard::rules::unused_suppressions(&unused, &mut kept);
        kept
    };
    let kept = suppress(findings.clone(), &[sup(&["TG008"], tg008_line)], &|_| true);
    assert_eq!(ids(&kept), ["TG001"]);
    let kept = suppress(findings.clone(), &[sup(&["TG003"], tg008_line)], &|_| true);
    assert_eq!(ids(&kept), ["TG000", "TG001", "TG008"]);
    // A suppression of a rule that is not selected is not reported as unused.
    let kept = suppress(findings, &[sup(&["TG003"], tg008_line)], &|id| {
        id != "TG003"
    });
    assert_eq!(ids(&kept), ["TG001", "TG008"]);
}
