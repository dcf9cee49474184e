//! The variables an expression sees besides the module's: those bound by `for` expressions
//! and `templatefile()`.

use crate::value::Node;

/// Variables bound by `for` expressions and `templatefile()`.
#[derive(Clone, Default)]
pub struct Scope {
    vars: Vec<(String, Node)>,
}

impl Scope {
    pub(super) fn get(&self, name: &str) -> Option<&Node> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    pub fn with(&self, name: &str, v: Node) -> Scope {
        let mut s = self.clone();
        s.vars.push((name.to_string(), v));
        s
    }
}
