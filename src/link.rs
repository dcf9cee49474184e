//! Linking: which trails deliver to which bucket policy and encrypt with which key policy, by
//! resolved identity across the whole scan; and, where the scan has no trail for a policy, the
//! stand-in trails its own `aws:SourceArn` conditions name.

use crate::aws::cloudtrail::{
    TrailRef, allow_reaches_cloudtrail, allow_reaches_service, is_lake_grant, names_trail,
    principal_facts,
};
use crate::aws::conditions::Operator;
use crate::aws::s3::bucket_from_resources;
use crate::guard::Guard;
use crate::model::{Model, Policy, Trail};
use crate::policy::{PolicyKind, Statement};
use crate::value::Truth;
use crate::value::glob::{MatchOpts, Tok, matches, tokens};
use crate::value::{Kind, Symbol, Text};
use std::sync::Arc;

/// A policy with what the scan says about it.
pub struct PolicyCx<'m> {
    pub index: usize,
    pub policy: &'m Policy,
    /// The bucket's name (bucket policies), known or symbolic.
    pub bucket: Text,
    /// The bucket's name is certain (attached, or the only one the Resources name).
    pub bucket_known: bool,
    /// Trails of the scan that certainly deliver to this bucket or encrypt with this key.
    pub scan_trails: Vec<usize>,
    /// The trails rules check against: the scan's, else the stand-ins.
    pub trails: Vec<Arc<TrailRef>>,
    /// A statement names CloudTrail's service principal or a legacy CloudTrail account.
    pub names_cloudtrail: bool,
    /// What makes the policy a CloudTrail policy (the trails of the scan that use it, the
    /// statements written for CloudTrail), as the conditions each exists under.
    pub reasons: Vec<Guard>,
    /// The bucket's Object Ownership is BucketOwnerEnforced.
    pub owner_enforced: bool,
    /// The policy's values with their spans, for its fixes ([`PolicyCx::known`]).
    known: std::sync::OnceLock<Known>,
}

/// A policy's values with their spans, shared by the fixes offered on it.
pub type Known = std::sync::Arc<[(crate::source::Span, Text)]>;

impl PolicyCx<'_> {
    /// The policy's values with their spans (how its files spell symbols), found once and
    /// shared by every fix offered on the policy: a policy of thousands of statements with a
    /// finding on each holds one copy, not one per finding.
    pub fn known(&self) -> Known {
        self.known
            .get_or_init(|| self.policy.doc.values().into())
            .clone()
    }

    /// A bucket policy CloudTrail delivers through (spec: "CloudTrail log-bucket policy").
    pub fn is_log_bucket_policy(&self) -> bool {
        self.policy.kind == PolicyKind::Bucket
            && (!self.scan_trails.is_empty() || self.names_cloudtrail)
    }

    /// Whether it is one together with something that exists under `guard`.
    pub fn is_log_bucket_policy_with(&self, guard: &Guard) -> bool {
        self.is_log_bucket_policy() && self.reasons.iter().any(|r| r.compatible(guard))
    }

    /// A key policy CloudTrail encrypts with: a trail of the scan uses the key, a statement
    /// names the CloudTrail service, or a condition names a trail.
    pub fn is_trail_key_policy(&self) -> bool {
        self.policy.kind == PolicyKind::Key
            && (!self.scan_trails.is_empty()
                || self.policy.doc.statements.iter().any(|s| {
                    s.principal
                        .as_ref()
                        .is_some_and(|p| !p.negated && principal_facts(p).service.is_yes())
                        || names_trail(s)
                }))
    }

    pub fn statements(&self) -> &[Statement] {
        &self.policy.doc.statements
    }
}

/// The scan, linked: what one run of the rules sees. The rules run in parallel over parts of
/// the policies: a rule that checks policies one by one reads [`Analysis::policies`] (this
/// part's); one that looks across the scan (trails, keys, parse errors, all policies at once)
/// reads [`Analysis::all`] and [`Analysis::model`], and only in the first part.
pub struct Analysis<'m> {
    pub model: &'m Model,
    /// This part's policies.
    pub policies: &'m [PolicyCx<'m>],
    /// Every policy of the scan.
    pub all: &'m [PolicyCx<'m>],
    /// The part that also runs the scan-wide checks.
    pub first: bool,
}

/// Links every policy of the model (in parallel).
pub fn link(model: &Model) -> Vec<PolicyCx<'_>> {
    use rayon::prelude::*;
    let ix = Index::new(model);
    model
        .policies
        .par_iter()
        // A policy many trails deliver to links slowly: small jobs keep both threads busy.
        .with_max_len(crate::pipeline::PAR_CHUNK)
        .enumerate()
        .map(|(index, policy)| link_policy(model, &ix, index, policy))
        .collect()
}

/// The linked policies in parts of about `size` for the rules to run over in parallel.
pub fn parts<'m>(model: &'m Model, linked: &'m [PolicyCx<'m>], size: usize) -> Vec<Analysis<'m>> {
    let mut out: Vec<Analysis<'m>> = linked
        .chunks(size.max(1))
        .enumerate()
        .map(|(i, policies)| Analysis {
            model,
            policies,
            all: linked,
            first: i == 0,
        })
        .collect();
    if out.is_empty() {
        out.push(Analysis {
            model,
            policies: &[],
            all: linked,
            first: true,
        });
    }
    out
}

/// Indexes for linking by resolved identity. Linking needs certain equality, and two texts
/// are certainly equal exactly when they are the same literal parts and symbols (see
/// [`Text::certainly_eq`]), so hash maps replace pairwise comparison.
struct Index<'m> {
    trails_by_bucket: crate::FastMap<&'m Text, Vec<usize>>,
    trails_by_key: crate::FastMap<&'m Text, Vec<usize>>,
    /// Configured trails for standalone policies: (index, bucket or none).
    standalone: Vec<(usize, Option<&'m Text>)>,
    enforced: crate::FastSet<&'m Text>,
    /// Each trail of the scan as rules see it, made once: a trail many policies link to is
    /// shared by them, not copied into each.
    trail_refs: Vec<Arc<TrailRef>>,
}

impl<'m> Index<'m> {
    fn new(model: &'m Model) -> Index<'m> {
        let mut ix = Index {
            trails_by_bucket: crate::FastMap::default(),
            trails_by_key: crate::FastMap::default(),
            standalone: vec![],
            enforced: crate::FastSet::default(),
            trail_refs: model
                .trails
                .iter()
                .map(|t| Arc::new(trail_ref(t)))
                .collect(),
        };
        for (i, t) in model.trails.iter().enumerate() {
            if t.standalone_only {
                ix.standalone.push((i, t.bucket.as_ref().map(|(b, _)| b)));
                continue;
            }
            if let Some((b, _)) = &t.bucket {
                ix.trails_by_bucket.entry(b).or_default().push(i);
            }
            if let Some((k, _)) = &t.key {
                ix.trails_by_key.entry(k).or_default().push(i);
            }
        }
        for b in &model.buckets {
            if b.owner_enforced.is_yes() {
                ix.enforced.insert(&b.name);
            }
        }
        ix
    }
}

impl<'m> Analysis<'m> {
    /// The policies of known buckets, when the scan has log sources (TG100–TG104 judge them
    /// against the sources that deliver there).
    pub fn log_bucket_policies(&self) -> impl Iterator<Item = &PolicyCx<'m>> {
        let sources = !self.model.sources.is_empty();
        self.policies
            .iter()
            .filter(move |p| sources && p.policy.kind == PolicyKind::Bucket && p.bucket_known)
    }

    /// The whole scan as one part.
    pub fn whole(model: &'m Model, linked: &'m [PolicyCx<'m>]) -> Analysis<'m> {
        Analysis {
            model,
            policies: linked,
            all: linked,
            first: true,
        }
    }
}

fn link_policy<'m>(
    model: &'m Model,
    ix: &Index<'m>,
    index: usize,
    policy: &'m Policy,
) -> PolicyCx<'m> {
    let (bucket, bucket_known) = match (&policy.bucket, policy.kind) {
        (Some(b), _) => (b.clone(), true),
        (None, PolicyKind::Bucket) => match bucket_from_resources(policy) {
            Some(b) => (b, true),
            None => (
                Text::sym(Symbol::new(Kind::Bucket, format!("policy{index}.bucket"))),
                false,
            ),
        },
        (None, PolicyKind::Key) => (Text::default(), false),
    };
    let mut scan_trails: Vec<usize> = match policy.kind {
        PolicyKind::Bucket if bucket_known => ix
            .trails_by_bucket
            .get(&bucket)
            .cloned()
            .unwrap_or_default(),
        PolicyKind::Bucket => vec![],
        PolicyKind::Key => policy
            .key
            .map(|k| trails_of_key(model, ix, &model.keys[k]))
            .unwrap_or_default(),
    };
    if policy.standalone {
        for &(i, b) in &ix.standalone {
            let t = &model.trails[i];
            let applies = match policy.kind {
                // A live trail's key is a `get-key-policy` output's when the file's name holds
                // the key's ID; an expected trail of the configuration names no key.
                PolicyKind::Key => match &t.key {
                    Some((k, _)) => {
                        let id = k.as_str().map(|k| k.rsplit(['/', ':']).next().unwrap_or(k));
                        let stem = policy.key_ref.as_ref().and_then(|r| r.as_str());
                        matches!((id, stem), (Some(id), Some(stem)) if !id.is_empty() && stem.contains(id))
                    }
                    None => !t.no_key,
                },
                PolicyKind::Bucket => b.is_none_or(|b| bucket_known && *b == bucket),
            };
            if applies {
                scan_trails.push(i);
            }
        }
    }
    scan_trails.sort_unstable();
    scan_trails.dedup();
    // Written for CloudTrail: an Allow names its principal, or a condition names a trail (then
    // even a wrong principal was meant for CloudTrail).
    let written_for_cloudtrail = |s: &Statement| {
        names_trail(s)
            || (s.is_allow()
                && s.principal.as_ref().is_some_and(|p| {
                    let f = principal_facts(p);
                    !p.negated && (f.service.is_yes() || f.legacy.is_yes())
                }))
    };
    let mut reasons: Vec<Guard> = policy
        .doc
        .statements
        .iter()
        .filter(|s| written_for_cloudtrail(s))
        .map(|s| s.guard.clone())
        .collect();
    let names_cloudtrail = !reasons.is_empty();
    reasons.extend(scan_trails.iter().map(|&i| model.trails[i].guard.clone()));
    let owner_enforced =
        policy.kind == PolicyKind::Bucket && bucket_known && ix.enforced.contains(&bucket);
    let trails = if scan_trails.is_empty() {
        stand_ins(policy).into_iter().map(Arc::new).collect()
    } else {
        scan_trails
            .iter()
            .map(|&i| ix.trail_refs[i].clone())
            .collect()
    };
    PolicyCx {
        index,
        policy,
        bucket,
        bucket_known,
        scan_trails,
        trails,
        names_cloudtrail,
        reasons,
        owner_enforced,
        known: Default::default(),
    }
}

/// The trails of the scan that use a key: those naming one of its identities, and those
/// naming one of its literal aliases from the same account (an alias name is unique only
/// there): the same account value, or one that may be the same within one file (a plan that
/// knows the trail's account but not the alias's).
fn trails_of_key(model: &Model, ix: &Index<'_>, key: &crate::model::Key) -> Vec<usize> {
    let by_ident = key
        .idents
        .iter()
        .flat_map(|id| ix.trails_by_key.get(id).into_iter().flatten().copied());
    let same_account = move |t: &Trail, account: &Text| {
        t.account == *account
            || (t.span.file == key.span.file
                && !crate::value::glob::text_eq(&t.account, account).is_no())
    };
    let by_alias = key.aliases.iter().flat_map(move |(name, account)| {
        ix.trails_by_key
            .get(name)
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&i| same_account(&model.trails[i], account))
    });
    by_ident.chain(by_alias).collect()
}

/// A scan trail as the rules see it.
pub fn trail_ref(t: &Trail) -> TrailRef {
    let prefix = if t.prefix.as_str() == Some("") {
        vec![]
    } else {
        let mut p = tokens(&t.prefix, false);
        if p.last() != Some(&Tok::Ch('/')) {
            p.push(Tok::Ch('/'));
        }
        p
    };
    TrailRef {
        arn: t.arn.clone(),
        account: t.account.clone(),
        partition: t.partition.clone(),
        org_id: t.org_id.clone(),
        is_org: t.is_org,
        prefixes: vec![prefix],
        defined_at: Some(t.span),
        label: match t.name.as_str() {
            _ if t.address.is_empty() => t.name.to_string(),
            // A CloudFormation logical ID: the trail's own name first, when known.
            Some(name) if !t.address.contains(['.', ' ']) && name != t.address => {
                format!("{name} ({})", t.address)
            }
            _ => t.address.clone(),
        },
        stand_in: false,
        guard: t.guard.clone(),
    }
}

const MAX_STAND_INS: usize = 64;

/// Stand-in trails: one per trail named by the `aws:SourceArn` values of the policy's
/// CloudTrail grants — or of any Allow that names a trail —, with the prefixes its
/// `s3:PutObject` resources put before `AWSLogs/`.
fn stand_ins(policy: &Policy) -> Vec<TrailRef> {
    let mut out: Vec<TrailRef> = vec![];
    for s in &policy.doc.statements {
        if !s.is_allow() || !(allow_reaches_service(s).is_yes() || names_trail(s)) {
            continue;
        }
        for c in &s.conditions {
            if !c.key_is("aws:SourceArn") {
                continue;
            }
            let Some(op) = Operator::parse(&c.op) else {
                continue;
            };
            if !op.is_positive_string_or_arn() {
                continue;
            }
            for v in &c.values {
                if out.len() >= MAX_STAND_INS {
                    break;
                }
                let n = out.len();
                if let Some(mut t) = TrailRef::from_source_arn(&v.text, !op.is_literal(), n)
                    && !out.iter().any(|o| o.arn == t.arn && o.guard == s.guard)
                {
                    t.guard = s.guard.clone();
                    out.push(t);
                }
            }
        }
    }
    // Each stand-in is checked against every grant; a bounded number keeps hostile inputs
    // linear. Checking fewer trails only reports fewer (still certain) defects.
    out.truncate(MAX_STAND_INS);
    if policy.kind == PolicyKind::Bucket {
        let prefixes = resource_prefixes(policy);
        // An organization trail when the Resources put an organization ID after `AWSLogs/`.
        let org = resource_org(policy);
        for t in &mut out {
            t.prefixes = prefixes.clone();
            t.is_org = Truth::from_bool(org.is_some());
            t.org_id = org.clone();
        }
    }
    out
}

/// The organization ID the policy's CloudTrail `s3:PutObject` Resources put right after
/// `AWSLogs/` (`o-…` literally, or an organization-ID symbol), if any.
fn resource_org(policy: &Policy) -> Option<Text> {
    for toks in write_resources(policy) {
        let Some(at) = awslogs_at(&toks) else {
            continue;
        };
        let rest = &toks[at + AWSLOGS.len()..];
        match rest {
            [Tok::Sym(sym), ..] if sym.kind == Kind::OrgId => {
                return Some(Text::sym(sym.clone()));
            }
            [Tok::Ch('o'), Tok::Ch('-'), ..] => {
                let id: Option<String> = rest
                    .iter()
                    .take_while(|t| **t != Tok::Ch('/'))
                    .map(|t| match t {
                        Tok::Ch(c) => Some(*c),
                        _ => None,
                    })
                    .collect();
                return Some(id.map_or_else(
                    || Text::sym(Symbol::new(Kind::OrgId, "stand-in.org")),
                    Text::lit,
                ));
            }
            _ => {}
        }
    }
    None
}

/// The tokens of every Resource of the policy's CloudTrail `s3:PutObject` grants.
fn write_resources(policy: &Policy) -> impl Iterator<Item = Vec<Tok>> + '_ {
    policy
        .doc
        .statements
        .iter()
        .filter(|s| {
            s.is_allow()
                && allow_reaches_cloudtrail(s).is_yes()
                && covers_action(s, crate::aws::cloudtrail::PUT_OBJECT).maybe()
        })
        .filter_map(|s| s.resource.as_ref())
        .flat_map(|r| r.items.iter().map(|it| tokens(&it.text, true)))
}

const AWSLOGS: &str = "AWSLogs/";

/// Where `AWSLogs/` starts in a resource's tokens.
fn awslogs_at(toks: &[Tok]) -> Option<usize> {
    let needle: Vec<Tok> = AWSLOGS.chars().map(Tok::Ch).collect();
    toks.windows(needle.len())
        .position(|w| w == needle.as_slice())
}

/// What the policy's CloudTrail `s3:PutObject` resources put between the bucket and `AWSLogs/`.
fn resource_prefixes(policy: &Policy) -> Vec<Vec<Tok>> {
    let mut out: Vec<Vec<Tok>> = vec![];
    for toks in write_resources(policy) {
        let prefix = prefix_of(&toks).unwrap_or_default();
        if !out.contains(&prefix) && out.len() < MAX_STAND_INS {
            out.push(prefix);
        }
    }
    if out.is_empty() {
        out.push(vec![]);
    }
    out
}

/// In `arn:P:s3:::BUCKET/PREFIX/AWSLogs/…`, the tokens of `PREFIX/`.
fn prefix_of(toks: &[Tok]) -> Option<Vec<Tok>> {
    let at = awslogs_at(toks)?;
    // After the fifth colon comes BUCKET; the prefix starts after the first `/`.
    let mut colons = 0;
    let mut start = None;
    for (i, t) in toks[..at].iter().enumerate() {
        match t {
            Tok::Ch(':') => colons += 1,
            Tok::Ch('/') if colons >= 5 => {
                start = Some(i + 1);
                break;
            }
            _ => {}
        }
    }
    let start = start?;
    Some(toks[start..at].to_vec())
}

/// Does a statement's Action/NotAction cover `action`?
pub fn covers_action(s: &Statement, action: &str) -> Truth {
    let Some(a) = &s.action else { return Truth::No };
    let any = Truth::any(
        a.items
            .iter()
            .map(|i| crate::aws::actions::action_covers(&i.text, action)),
    );
    if a.negated { any.not() } else { any }
}

/// Does a statement's Resource/NotResource cover every resource in `subject`?
pub fn covers_resource(s: &Statement, subject: &[Tok]) -> Truth {
    Resources::of(s).covers(subject)
}

/// A statement's Resource/NotResource as patterns, tokenized once for a rule that asks about
/// many subjects.
pub struct Resources {
    /// `None` when the statement has neither (then coverage is unknown).
    patterns: Option<(bool, Vec<Vec<Tok>>)>,
}

impl Resources {
    pub fn of(s: &Statement) -> Resources {
        Resources {
            patterns: s.resource.as_ref().map(|r| {
                let items = r.items.iter().map(|i| tokens(&i.text, true)).collect();
                (r.negated, items)
            }),
        }
    }

    /// As [`covers_resource`].
    pub fn covers(&self, subject: &[Tok]) -> Truth {
        let Some((negated, items)) = &self.patterns else {
            return Truth::Unknown;
        };
        let any = Truth::any(items.iter().map(|p| arn_matches(p, subject)));
        if *negated {
            // Everything but the listed resources: certain only when a listed one covers it.
            if any.is_yes() {
                Truth::No
            } else {
                Truth::Unknown
            }
        } else {
            any
        }
    }

    /// Whether [`Resources::covers`] is not `No`, stopping at the first resource that may
    /// cover `subject`.
    pub fn may_cover(&self, subject: &[Tok]) -> bool {
        let Some((negated, items)) = &self.patterns else {
            return true;
        };
        if *negated {
            !items.iter().any(|p| arn_matches(p, subject).is_yes())
        } else {
            items.iter().any(|p| arn_matches(p, subject).maybe())
        }
    }
}

/// Whether a Resource pattern matches an ARN.
fn arn_matches(pattern: &[Tok], subject: &[Tok]) -> Truth {
    let opts = MatchOpts {
        arn: true,
        ..MatchOpts::default()
    };
    matches(pattern, subject, opts)
}

/// The effect is Allow (unknown when missing or unknown).
pub fn is_allow(s: &Statement) -> Truth {
    match s.effect {
        Some(crate::policy::Effect::Allow) => Truth::Yes,
        Some(crate::policy::Effect::Deny) => Truth::No,
        None => Truth::Unknown,
    }
}

/// The CloudTrail grants of `action` for trail delivery: Allow statements that certainly give
/// the action to CloudTrail (`service_only`: to the service principal; else also to a legacy
/// account), Lake grants excluded.
pub fn cloudtrail_grants<'a>(
    stmts: &'a [Statement],
    action: &str,
    service_only: bool,
) -> Vec<&'a Statement> {
    stmts
        .iter()
        .filter(|s| {
            s.is_allow()
                && covers_action(s, action).is_yes()
                && if service_only {
                    allow_reaches_service(s).is_yes()
                } else {
                    allow_reaches_cloudtrail(s).is_yes()
                }
                && !is_lake_grant(s)
        })
        .collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn may_cover_is_covers_not_no() {
        let mut rng = crate::testing::Rng(0xc0_7e55);
        let parts = ["a", "b", "*", "?", "/", "AWSLogs"];
        let text = |rng: &mut crate::testing::Rng| {
            let mut t = Text::default();
            for _ in 0..rng.below(5) {
                if rng.below(6) == 0 {
                    t.push_text(&Text::sym(Symbol::new(Kind::Account, "acct")));
                } else {
                    t.push_str(rng.pick(&parts));
                }
            }
            t
        };
        for _ in 0..5000 {
            let r = Resources {
                patterns: (rng.below(8) != 0).then(|| {
                    let items = (0..rng.below(4))
                        .map(|_| tokens(&text(&mut rng), true))
                        .collect();
                    (rng.below(3) == 0, items)
                }),
            };
            let subject = tokens(&text(&mut rng), false);
            assert_eq!(r.may_cover(&subject), r.covers(&subject).maybe());
        }
    }

    use super::*;
    use crate::source::SourceFile;

    fn model_of(yaml: &str) -> Model {
        let source = SourceFile::new("t.yaml".into(), "t.yaml".into(), yaml.to_string());
        let mut m = crate::frontend::cloudformation::read_yaml(0, &source);
        m.resolve();
        m
    }

    const STACK: &str = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties: {BucketName: audit-logs}
  Other:
    Type: AWS::S3::Bucket
    Properties: {BucketName: other}
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {AWS: '*'}, Action: 'kms:*', Resource: '*'}
  LogsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Logs
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {AWS: '*'}, Action: s3:GetObject, Resource: '*'}
  OtherPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Other
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - {Effect: Allow, Principal: {AWS: '*'}, Action: s3:GetObject, Resource: '*'}
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: !Ref Logs
      KMSKeyId: !GetAtt Key.Arn
      IsLogging: true
";

    #[test]
    fn policies_link_to_the_trails_that_use_their_bucket_or_key() {
        let m = model_of(STACK);
        let linked = link(&m);
        let by_addr = |a: &str| linked.iter().find(|p| p.policy.address == a).unwrap();
        let logs = by_addr("LogsPolicy");
        assert_eq!(logs.scan_trails.len(), 1);
        assert!(logs.bucket_known && logs.is_log_bucket_policy());
        assert_eq!(logs.bucket.as_str(), Some("audit-logs"));
        let other = by_addr("OtherPolicy");
        assert!(other.scan_trails.is_empty() && !other.is_log_bucket_policy());
        let key = by_addr("Key");
        assert!(key.is_trail_key_policy());
    }

    #[test]
    fn parts_cover_every_policy_once() {
        let m = model_of(STACK);
        let linked = link(&m);
        for size in [1, 2, 64] {
            let n: usize = parts(&m, &linked, size)
                .iter()
                .map(|p| p.policies.len())
                .sum();
            assert_eq!(n, linked.len(), "part size {size}");
        }
    }

    #[test]
    fn a_standalone_policy_takes_stand_in_trails_from_its_source_arn() {
        let json = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
          "Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject",
          "Resource":"arn:aws:s3:::logs/AWSLogs/111111111111/*",
          "Condition":{"StringEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111111111111:trail/main"}}}]}"#;
        let m = crate::frontend::json::read_file(0, "p.json", json);
        let linked = link(&m);
        let p = &linked[0];
        assert!(p.scan_trails.is_empty());
        assert_eq!(p.trails.len(), 1);
        assert!(p.trails[0].stand_in);
        assert_eq!(p.trails[0].account.as_str(), Some("111111111111"));
        // The bucket is the one the Resources name.
        assert_eq!(p.bucket.as_str(), Some("logs"));
    }
}
