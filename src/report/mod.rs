//! Reports: the findings of a scan in every output format.

pub mod finding;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod sarif;
pub mod text;

pub use finding::{Finding, Level, Related};
