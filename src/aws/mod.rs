//! AWS facts the rules encode: the action catalog, the legacy CloudTrail
//! accounts, condition evaluation and what CloudTrail's own requests look like.

pub mod actions;
pub mod arn;
pub mod cloudtrail;
pub mod conditions;
pub mod legacy_accounts;
pub mod logdelivery;
pub mod s3;
