//! Reports: the findings of a scan in every output format.

pub mod finding;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod sarif;

pub use finding::{Finding, Level, Related};
