//! Frontends: each turns one kind of input file into [`Model`](crate::model::Model) pieces.

pub mod cloudformation;
pub mod jinja;
pub mod json;
pub mod json_nodes;
pub mod plan;
pub mod plan_logs;
pub mod resource_types;
pub mod terraform;
