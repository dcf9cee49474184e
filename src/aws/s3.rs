//! S3 names as other resources write them: a bucket's domain name, an S3 ARN with a key
//! prefix.

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
    let segs = arn.split(':');
    if segs.len() != 6 || segs[0].as_str() != Some("arn") || segs[2].as_str() != Some("s3") {
        return None;
    }
    let rest = segs[5].split('/');
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
