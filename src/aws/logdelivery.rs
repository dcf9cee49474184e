//! Who delivers the other logs a shared bucket receives (logdelivery.md): each log source's
//! service principal, and whether a Principal names it.

use super::truth::Truth;
use crate::model::SourceKind;
use crate::policy::PrincipalElement;

/// The service principal that writes a source's logs into the bucket, where AWS documents one
/// principal for it (ALB and Classic LB may also write as the Region's legacy ELB account).
pub fn service_principal(kind: SourceKind) -> Option<&'static str> {
    Some(match kind {
        SourceKind::Config => "config.amazonaws.com",
        SourceKind::Nlb | SourceKind::FlowLogs => "delivery.logs.amazonaws.com",
        SourceKind::S3AccessLogs => "logging.s3.amazonaws.com",
        SourceKind::Alb | SourceKind::ClassicElb => {
            "logdelivery.elasticloadbalancing.amazonaws.com"
        }
        SourceKind::Redshift | SourceKind::CloudFront => return None,
    })
}

/// Whether a (not negated) Principal names `service` as a service principal.
pub fn names_service(p: &PrincipalElement, service: &str) -> Truth {
    if p.negated {
        return Truth::No;
    }
    Truth::any(p.entries.iter().map(|e| {
        if e.ptype != "Service" {
            return Truth::No;
        }
        match e.item.text.as_str() {
            Some(s) => Truth::from_bool(s.eq_ignore_ascii_case(service)),
            None => Truth::Unknown,
        }
    }))
}
