//! The model the rules read: trails, buckets, keys and the policies attached to them, as the
//! frontends found them, with every value resolved as far as the input allows.

use crate::policy::{Document, PolicyKind};
use crate::source::Span;
use crate::value::Text;
use crate::value::Truth;

/// A bucket or key policy.
#[derive(Clone, Debug)]
pub struct Policy {
    pub kind: PolicyKind,
    /// Logical address: a Terraform resource address, a CloudFormation logical ID, or empty for
    /// a standalone document.
    pub address: String,
    /// Policy-level findings span this (the document expression, the whole file, …).
    pub span: Span,
    pub doc: Document,
    /// The bucket the policy is attached to, when the attachment says.
    pub bucket: Option<Text>,
    /// The key the policy is attached to (index into [`Model::keys`]).
    pub key: Option<usize>,
    /// A standalone document (raw JSON): its bucket comes from its own Resources.
    pub standalone: bool,
    /// The key reference of a separate key-policy resource (`aws_kms_key_policy.key_id`),
    /// resolved to [`Policy::key`] by [`Model::resolve`].
    pub key_ref: Option<Text>,
}

/// A CloudTrail trail defined in the scan.
#[derive(Clone, Debug)]
pub struct Trail {
    pub address: String,
    pub span: Span,
    pub name: Text,
    pub arn: Text,
    pub account: Text,
    pub partition: Text,
    pub org_id: Option<Text>,
    pub is_org: Truth,
    /// The S3 key prefix; empty when there is none.
    pub prefix: Text,
    /// The bucket name and the span of the attribute naming it.
    pub bucket: Option<(Text, Span)>,
    /// The KMS key reference (ARN, ID or alias) and its span.
    pub key: Option<(Text, Span)>,
    /// An expected trail from the configuration: it applies to standalone policies only (all of
    /// them when it names no bucket).
    pub standalone_only: bool,
    /// The trail certainly encrypts with no KMS key (a live trail without `KmsKeyId`): no key
    /// policy is one it needs.
    pub no_key: bool,
    /// The deploy-time condition the trail exists under.
    pub guard: crate::guard::Guard,
}

/// An S3 bucket defined in the scan.
#[derive(Clone, Debug)]
pub struct Bucket {
    pub address: String,
    pub span: Span,
    pub name: Text,
    /// Object Ownership is `BucketOwnerEnforced`.
    pub owner_enforced: Truth,
    /// Where the scan sets Object Ownership to `BucketOwnerEnforced`, and the condition that
    /// setting exists under.
    pub enforced_at: Option<(Span, crate::guard::Guard)>,
    /// The default encryption is SSE-KMS (`aws:kms`, `aws:kms:dsse`), where it is set, and
    /// under which condition.
    pub kms_default: Option<(Truth, Span, crate::guard::Guard)>,
    /// The bucket's ACL grants the S3 LogDelivery group, and under which condition (`No`
    /// when the scan sets no such ACL: a bucket's ACL is private by default).
    pub log_delivery_acl: (Truth, crate::guard::Guard),
    /// The key of an SSE-KMS default encryption, when the setting names one.
    pub kms_key: Option<Text>,
}

/// A bucket setting the log-delivery rules read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// Object Ownership is `BucketOwnerEnforced`.
    OwnerEnforced,
    /// Default encryption is SSE-KMS.
    KmsDefault,
    /// The ACL grants the LogDelivery group.
    LogDeliveryAcl,
}

/// A setting of a bucket the frontends could only name: resolved onto it with the model.
#[derive(Clone, Debug)]
pub struct BucketSetting {
    pub bucket: Text,
    pub setting: Setting,
    pub value: Truth,
    pub at: Span,
    pub guard: crate::guard::Guard,
    /// The KMS key a `KmsDefault` setting names (`kms_master_key_id`, `KMSMasterKeyID`).
    pub key: Option<Text>,
}

impl Bucket {
    pub fn new(address: String, span: Span, name: Text, owner_enforced: Truth) -> Bucket {
        Bucket {
            address,
            span,
            name,
            owner_enforced,
            enforced_at: None,
            kms_default: None,
            log_delivery_acl: (Truth::No, Default::default()),
            kms_key: None,
        }
    }
}

/// What delivers logs to a bucket, besides CloudTrail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// AWS Config's delivery channel.
    Config,
    /// Application Load Balancer access logs.
    Alb,
    /// Classic Load Balancer access logs.
    ClassicElb,
    /// Network Load Balancer access logs.
    Nlb,
    /// VPC Flow Logs to S3.
    FlowLogs,
    /// S3 server access logs.
    S3AccessLogs,
    /// Redshift audit logs.
    Redshift,
    /// CloudFront standard (legacy) logging.
    CloudFront,
}

impl SourceKind {
    pub fn describe(self) -> &'static str {
        match self {
            SourceKind::Config => "AWS Config delivery channel",
            SourceKind::Alb => "Application Load Balancer access logs",
            SourceKind::ClassicElb => "Classic Load Balancer access logs",
            SourceKind::Nlb => "Network Load Balancer access logs",
            SourceKind::FlowLogs => "VPC Flow Logs",
            SourceKind::S3AccessLogs => "S3 server access logs",
            SourceKind::Redshift => "Redshift audit logs",
            SourceKind::CloudFront => "CloudFront standard logging",
        }
    }
}

/// A log source: a resource in the scan that delivers logs to a bucket.
#[derive(Clone, Debug)]
pub struct LogSource {
    pub kind: SourceKind,
    pub address: String,
    pub span: Span,
    /// The bucket's name.
    pub bucket: Text,
    /// The prefix of the keys it writes (empty when none).
    pub prefix: Text,
    /// The account it delivers from, and its partition.
    pub account: Text,
    pub partition: Text,
    /// The bucket whose S3 server access logs these are (what `aws:SourceArn` names).
    pub origin: Option<Text>,
    /// The deployment unit it is deployed with (a Terraform root module, a template).
    pub unit: String,
    /// Its Region, when the scan states it literally (a Terraform provider's `region`).
    pub region: Option<String>,
    /// AWS Config: the unit's configuration recorder uses the service-linked role, so Config
    /// writes as its service principal (resolved by [`Model::resolve`]).
    pub service_linked: Truth,
    /// The deploy-time condition the source exists under.
    pub guard: crate::guard::Guard,
}

/// A KMS key defined in the scan.
#[derive(Clone, Debug)]
pub struct Key {
    pub address: String,
    pub span: Span,
    /// Every value that identifies the key: ID, ARN, alias ARNs and alias names built from
    /// symbols (a deployment unit's own).
    pub idents: Vec<Text>,
    /// Its literal alias names, each with the account the alias is in (such a name is unique
    /// only within one account and Region: a trail that names it uses this key only when it
    /// is in the same account).
    pub aliases: Vec<(Text, Text)>,
    /// Whether a policy is attached (in-line or by a separate resource).
    pub has_policy: bool,
}

/// A KMS alias, attached to its key when the model is resolved.
#[derive(Clone, Debug)]
pub struct KeyAlias {
    /// `alias/NAME`.
    pub name: Text,
    pub arn: Text,
    /// The account the alias is in, when it can be told.
    pub account: Option<Text>,
    /// The key it targets (an ID or ARN).
    pub target: Text,
}

/// A parse error or unreadable document (TG012).
#[derive(Clone, Debug)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
}

/// A `trailguard:ignore` comment (or CloudFormation Metadata entry).
#[derive(Clone, Debug)]
pub struct Suppression {
    /// Where the comment is (TG000 points here).
    pub span: Span,
    pub rules: Vec<String>,
    /// Findings starting on these line ranges (1-based, inclusive) of `span.file` are covered.
    pub lines: Vec<(usize, usize)>,
}

impl Suppression {
    /// Parses the rule list of a `trailguard:ignore` comment body, if the comment is one.
    pub fn parse_comment(comment: &str) -> Option<Vec<String>> {
        let at = comment.find("trailguard:ignore")?;
        let rest = &comment[at + "trailguard:ignore".len()..];
        let rest = rest.split("--").next().unwrap_or("");
        let rules: Vec<String> = rest
            .split([',', ' ', '\t'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .take_while(|s| s.len() == 5 && s.starts_with("TG"))
            .map(str::to_string)
            .collect();
        (!rules.is_empty()).then_some(rules)
    }

    /// The line ranges a comment on each line covers: its own line and the next, and every
    /// block of `blocks` (first and last line) starting on the next line or the line above, in
    /// the order of `blocks`. Blocks are looked up by their first line, so a file of many
    /// comments and blocks costs their number, not its product.
    pub fn ranges_of_comments(blocks: &[(usize, usize)]) -> impl Fn(usize) -> Vec<(usize, usize)> {
        let mut starting: std::collections::HashMap<usize, Vec<usize>> = Default::default();
        for (k, &(a, _)) in blocks.iter().enumerate() {
            starting.entry(a).or_default().push(k);
        }
        move |l| {
            let mut near: Vec<usize> = [l + 1, l.wrapping_sub(1)]
                .iter()
                .filter_map(|a| starting.get(a))
                .flatten()
                .copied()
                .collect();
            near.sort_unstable();
            let mut ranges = vec![(l, l + 1)];
            ranges.extend(near.iter().map(|&k| blocks[k]));
            ranges
        }
    }
}

/// A file that was skipped, or a reference that was not followed, with a reason the user
/// should hear.
#[derive(Clone, Debug, Default)]
pub struct Notice {
    pub path: String,
    pub message: String,
    /// Where in `path` the reference stands, when the notice is about one.
    pub at: Option<crate::source::Position>,
}

impl Notice {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Notice {
        Notice {
            path: path.into(),
            message: message.into(),
            at: None,
        }
    }

    /// `path` or `path:line:column`.
    pub fn location(&self) -> String {
        match self.at {
            Some(p) => format!("{}:{}:{}", self.path, p.line, p.column),
            None => self.path.clone(),
        }
    }
}

#[derive(Debug, Default)]
pub struct Model {
    pub policies: Vec<Policy>,
    pub trails: Vec<Trail>,
    pub buckets: Vec<Bucket>,
    pub keys: Vec<Key>,
    pub parse_errors: Vec<ParseError>,
    pub suppressions: Vec<Suppression>,
    pub notices: Vec<Notice>,
    /// KMS aliases to attach to keys.
    pub key_aliases: Vec<KeyAlias>,
    /// Object Ownership settings: bucket reference, whether it is BucketOwnerEnforced, and
    /// where that is written.
    pub ownership: Vec<(Text, Truth, Span)>,
    /// Default encryption and ACL settings (and Object Ownership again, with its condition).
    pub settings: Vec<BucketSetting>,
    /// Log sources other than trails.
    pub sources: Vec<LogSource>,
    /// AWS Config configuration recorders: their deployment unit, and whether they use the
    /// service-linked role.
    pub recorders: Vec<(String, Truth)>,
    /// The buckets by name (built by [`Model::resolve`]).
    pub buckets_by_name: crate::FastMap<Text, Vec<usize>>,
    /// The sources by the bucket they deliver to (built by [`Model::resolve`]).
    pub sources_by_bucket: crate::FastMap<Text, Vec<usize>>,
    /// Values handed to code the scan cannot see (a registry or git module, a nested stack):
    /// it may attach a bucket policy to any bucket they name.
    pub opaque: Vec<Text>,
}

impl Model {
    /// The buckets of the scan with this name (certainly equal names are equal values).
    pub fn buckets_named<'a>(&'a self, name: &Text) -> impl Iterator<Item = &'a Bucket> + 'a {
        self.buckets_by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| &self.buckets[i])
    }

    /// The log sources that deliver to a bucket.
    pub fn sources_to<'a>(&'a self, bucket: &Text) -> impl Iterator<Item = &'a LogSource> + 'a {
        self.sources_by_bucket
            .get(bucket)
            .into_iter()
            .flatten()
            .map(|&i| &self.sources[i])
    }

    /// Nothing a rule or a report could use.
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
            && self.trails.is_empty()
            && self.buckets.is_empty()
            && self.keys.is_empty()
            && self.parse_errors.is_empty()
            && self.suppressions.is_empty()
            && self.notices.is_empty()
            && self.key_aliases.is_empty()
            && self.ownership.is_empty()
            && self.settings.is_empty()
            && self.sources.is_empty()
            && self.recorders.is_empty()
            && self.opaque.is_empty()
    }

    /// Room for the pieces of these models, so [`Model::extend`] with each does not copy the
    /// growing vectors again and again.
    pub fn reserve_for<'a>(&mut self, models: impl Iterator<Item = &'a Model> + Clone) {
        let total = |n: fn(&Model) -> usize| models.clone().map(n).sum::<usize>();
        self.policies.reserve(total(|m| m.policies.len()));
        self.trails.reserve(total(|m| m.trails.len()));
        self.buckets.reserve(total(|m| m.buckets.len()));
        self.keys.reserve(total(|m| m.keys.len()));
        self.key_aliases.reserve(total(|m| m.key_aliases.len()));
        self.settings.reserve(total(|m| m.settings.len()));
        self.sources.reserve(total(|m| m.sources.len()));
        self.suppressions.reserve(total(|m| m.suppressions.len()));
    }

    /// Gives back the room its vectors grew into: a file's model is kept until every file is
    /// read, and a vector grown to four trails for one is most of that model's memory.
    pub fn shrink_to_fit(&mut self) {
        self.policies.shrink_to_fit();
        self.trails.shrink_to_fit();
        self.buckets.shrink_to_fit();
        self.keys.shrink_to_fit();
        self.parse_errors.shrink_to_fit();
        self.suppressions.shrink_to_fit();
        self.notices.shrink_to_fit();
        self.key_aliases.shrink_to_fit();
        self.ownership.shrink_to_fit();
        self.settings.shrink_to_fit();
        self.sources.shrink_to_fit();
        self.recorders.shrink_to_fit();
        self.opaque.shrink_to_fit();
    }

    pub fn extend(&mut self, other: Model) {
        let key_base = self.keys.len();
        let mut policies = other.policies;
        if key_base > 0 {
            for p in &mut policies {
                p.key = p.key.map(|k| k + key_base);
            }
        }
        append(&mut self.policies, policies);
        append(&mut self.trails, other.trails);
        append(&mut self.buckets, other.buckets);
        append(&mut self.keys, other.keys);
        append(&mut self.parse_errors, other.parse_errors);
        append(&mut self.suppressions, other.suppressions);
        append(&mut self.notices, other.notices);
        append(&mut self.key_aliases, other.key_aliases);
        append(&mut self.ownership, other.ownership);
        append(&mut self.settings, other.settings);
        append(&mut self.sources, other.sources);
        append(&mut self.recorders, other.recorders);
        append(&mut self.opaque, other.opaque);
    }

    /// Links what the frontends could only name: aliases and separate key policies to their
    /// keys, Object Ownership settings to their buckets.
    pub fn resolve(&mut self) {
        use std::collections::HashMap;
        let mut by_ident: crate::FastMap<Text, usize> = crate::FastMap::default();
        for (i, k) in self.keys.iter().enumerate() {
            for id in &k.idents {
                by_ident.entry(id.clone()).or_insert(i);
            }
        }
        // A literal alias name is unique only within one account and Region: it names its
        // key for a trail of the same account, and for a key policy when no other key of the
        // scan has an alias of that name. A name built from symbols is the unit's own.
        let mut literal_aliases: crate::FastMap<Text, Vec<usize>> = crate::FastMap::default();
        for a in std::mem::take(&mut self.key_aliases) {
            let Some(&i) = by_ident.get(&a.target) else {
                continue;
            };
            if a.name.is_known() {
                if let Some(account) = a.account {
                    self.keys[i].aliases.push((a.name.clone(), account));
                }
                literal_aliases.entry(a.name).or_default().push(i);
            } else {
                self.keys[i].idents.push(a.name.clone());
                by_ident.entry(a.name).or_insert(i);
            }
            self.keys[i].idents.push(a.arn.clone());
            by_ident.entry(a.arn).or_insert(i);
        }
        for p in &mut self.policies {
            if p.key.is_some() {
                continue;
            }
            let Some(r) = &p.key_ref else { continue };
            let one_alias = || match literal_aliases.get(r).map(Vec::as_slice) {
                Some([i]) => Some(i),
                _ => None,
            };
            if let Some(&i) = by_ident.get(r).or_else(one_alias) {
                p.key = Some(i);
                self.keys[i].has_policy = true;
            }
        }
        let mut by_name: crate::FastMap<Text, Vec<usize>> = crate::FastMap::default();
        for (i, b) in self.buckets.iter().enumerate() {
            by_name.entry(b.name.clone()).or_default().push(i);
        }
        self.buckets_by_name = by_name;
        let by_name = &self.buckets_by_name;
        for (bucket, enforced, _) in std::mem::take(&mut self.ownership) {
            for &i in by_name.get(&bucket).into_iter().flatten() {
                let b = &mut self.buckets[i];
                b.owner_enforced = b.owner_enforced.or(enforced);
            }
        }
        // Whether each unit's recorders use the service-linked role: all of them (Yes), any
        // not (No), else Unknown; a unit without one, Unknown.
        let mut recorders: HashMap<&str, Truth> = HashMap::new();
        for (unit, x) in &self.recorders {
            recorders
                .entry(unit.as_str())
                .and_modify(|t| *t = t.and(*x))
                .or_insert(*x);
        }
        for s in self
            .sources
            .iter_mut()
            .filter(|s| s.kind == SourceKind::Config)
        {
            s.service_linked = recorders
                .get(s.unit.as_str())
                .copied()
                .unwrap_or(Truth::Unknown);
        }
        self.sources_by_bucket.clear();
        for (i, s) in self.sources.iter().enumerate() {
            self.sources_by_bucket
                .entry(s.bucket.clone())
                .or_default()
                .push(i);
        }
        for st in std::mem::take(&mut self.settings) {
            for &i in by_name.get(&st.bucket).into_iter().flatten() {
                let b = &mut self.buckets[i];
                match st.setting {
                    Setting::OwnerEnforced => {
                        if st.value.is_yes() && b.enforced_at.is_none() {
                            b.enforced_at = Some((st.at, st.guard.clone()));
                        }
                    }
                    Setting::KmsDefault => {
                        let keep = b.kms_default.as_ref().is_none_or(|(k, _, _)| !k.is_yes());
                        if keep {
                            b.kms_default = Some((st.value, st.at, st.guard.clone()));
                            b.kms_key = st.key.clone();
                        }
                    }
                    Setting::LogDeliveryAcl => {
                        let (was, _) = &b.log_delivery_acl;
                        if !was.is_yes() && (st.value.is_yes() || !st.value.is_no()) {
                            b.log_delivery_acl = (st.value, st.guard.clone());
                        }
                    }
                }
            }
        }
    }
}

/// `to` followed by `more`: an empty vector without room takes `more` whole instead of copying
/// it.
fn append<T>(to: &mut Vec<T>, mut more: Vec<T>) {
    if to.is_empty() && to.capacity() < more.len() {
        *to = more;
    } else {
        to.append(&mut more);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppression_comment_forms() {
        let parse = Suppression::parse_comment;
        assert_eq!(
            parse("# trailguard:ignore TG003 -- reason"),
            Some(vec!["TG003".into()])
        );
        assert_eq!(
            parse("// trailguard:ignore TG003,TG004"),
            Some(vec!["TG003".into(), "TG004".into()])
        );
        assert_eq!(parse("# nothing here"), None);
        assert_eq!(parse("# trailguard:ignore"), None);
    }

    /// A template with one key and its key policy.
    fn one_key(file: u32) -> Model {
        let text = r#"{"Resources": {"K": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy":
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
             "Principal": {"Service": "cloudtrail.amazonaws.com"},
             "Action": "kms:GenerateDataKey*", "Resource": "*"}]}}}}}"#;
        crate::frontend::json::read_file(file, "t.json", text)
    }

    #[test]
    fn extending_renumbers_the_keys_of_key_policies() {
        let mut all = Model::default();
        all.extend(one_key(0));
        all.extend(one_key(1));
        all.extend(one_key(2));
        assert_eq!(all.keys.len(), 3);
        let keys: Vec<Option<usize>> = all.policies.iter().map(|p| p.key).collect();
        assert_eq!(keys, [Some(0), Some(1), Some(2)]);
        for (i, p) in all.policies.iter().enumerate() {
            assert_eq!(p.span.file, i as u32);
        }
    }
}
