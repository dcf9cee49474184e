//! Reports: the findings of a scan in every output format.

pub mod finding;
pub mod github;
pub mod gitlab;
pub mod hint;
pub mod human;
pub mod json;
pub mod page;
pub mod rdjson;
pub mod sarif;
pub mod window;

pub use finding::{Finding, Level, Related};
