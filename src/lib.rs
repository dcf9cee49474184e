//! trailguard: lints the S3 bucket policies and KMS key policies AWS CloudTrail needs to deliver
//! logs. The pipeline: discover files → frontends build the model → link trails, buckets and
//! keys → rules → suppressions → report. [`scan`] runs all of it without the CLI.

pub mod aws;
pub mod cli;
pub mod config;
pub mod discover;
pub mod finding;
pub mod fix;
pub mod frontend;
pub mod fs;
/// Entry points for the fuzz targets (`fuzz/`), only in builds that ask for them.
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod generate;
pub mod guard;
pub mod hint;
pub mod link;
pub mod model;
pub mod pipeline;
pub mod policy;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
#[cfg(test)]
mod testing;
pub mod value;

pub use pipeline::{Config, scan};

/// A hash map by foldhash, randomly seeded per process (as std's SipHash maps are, so a crafted
/// input cannot choose its collisions), for keys hashed per module instance or per resource,
/// where SipHash showed in profiles.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// A hash set by foldhash (see [`FastMap`]).
pub type FastSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;
pub use report::{Reached, Report};
