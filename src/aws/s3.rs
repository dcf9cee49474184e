//! S3 names as other resources write them: a bucket's domain name, an S3 ARN with a key
//! prefix.

use super::arn::{self, Arn};
use crate::model::Policy;
use crate::value::{Part, Text};

/// The bucket of an S3 domain name (`NAME.s3.amazonaws.com`, `NAME.s3.REGION.amazonaws.com`).
pub fn bucket_of_domain(domain: &Text) -> Option<Text> {
    let parts = domain.parts();
    let Some(Part::Lit(last)) = parts.last() else {
        return None;
    };
    let i = last.find(".s3.")?;
    if !last.ends_with(".amazonaws.com") && !last.ends_with(".amazonaws.com.cn") {
        return None;
    }
    let mut t = Text::default();
    for p in &parts[..parts.len() - 1] {
        match p {
            Part::Lit(s) => t.push_str(s),
            Part::Sym(s) => t.push_sym(s.clone()),
        }
    }
    t.push_str(&last[..i]);
    (!t.parts().is_empty()).then_some(t)
}

/// The bucket and key prefix of an S3 ARN (`arn:PARTITION:s3:::BUCKET[/PREFIX]`).
pub fn bucket_of_arn(arn: &Text) -> Option<(Text, Text)> {
    let arn = Arn::of_text(arn).filter(|a| a.is("s3"))?;
    let rest = arn.resource.split('/');
    let bucket = rest.first()?.clone();
    let mut prefix = Text::default();
    for (i, p) in rest.iter().enumerate().skip(1) {
        if i > 1 {
            prefix.push_str("/");
        }
        prefix.push_text(p);
    }
    Some((bucket, prefix))
}

/// `arn:PARTITION:s3:::BUCKET`.
pub fn bucket_arn(partition: &Text, bucket: &Text) -> Text {
    arn::write(partition, "s3", &Text::default(), &Text::default(), bucket)
}

/// `arn:P:s3:::NAME[/…]` → NAME, when the name is known and has no wildcard.
pub fn bucket_name_of_arn(arn: &Text) -> Option<Text> {
    // What is known of it, up to its first symbol.
    let known = Arn::parse(arn.known_prefix()).filter(|a| a.is("s3"))?;
    let res = known.resource;
    let name = match res.find('/') {
        Some(i) => &res[..i],
        None if arn.is_known() => res,
        None => return None,
    };
    if name.is_empty() || name.contains(['*', '?']) {
        return None;
    }
    Some(Text::lit(name))
}

/// The bucket named by a standalone policy's S3 resources, when they name exactly one.
pub fn bucket_from_resources(policy: &Policy) -> Option<Text> {
    let mut found: Option<Text> = None;
    for s in &policy.doc.statements {
        let Some(r) = &s.resource else { continue };
        if r.negated {
            continue;
        }
        for it in &r.items {
            let Some(name) = bucket_name_of_arn(&it.text) else {
                continue;
            };
            match &found {
                None => found = Some(name),
                Some(f) if *f == name => {}
                Some(_) => return None,
            }
        }
    }
    found
}
