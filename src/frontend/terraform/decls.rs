//! What a module declares, by name: worked out once per module and shared by every instance
//! of it (a module called by hundreds of roots was indexed, sorted and encoded hundreds of
//! times).

use super::Module;
use crate::FastMap;
use crate::source::FileId;
use hcl_edit::expr::Expression;
use hcl_edit::structure::Block;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The kept modules' declarations by directory (by hash: comparing paths component by
/// component in a tree showed in profiles).
pub type ByDir<'m> = FastMap<PathBuf, Decls<'m>>;

/// A block or expression of the module, with the file it is in.
pub type In<'m, T> = (&'m T, FileId);

/// The declarations of one module. Later declarations of a name replace earlier ones, as the
/// evaluation always read them.
pub struct Decls<'m> {
    pub module: &'m Module,
    pub locals: FastMap<&'m str, In<'m, Expression>>,
    pub variables: FastMap<&'m str, In<'m, Block>>,
    pub resources: FastMap<(&'m str, &'m str), In<'m, Block>>,
    pub data: FastMap<(&'m str, &'m str), In<'m, Block>>,
    pub calls: FastMap<&'m str, In<'m, Block>>,
    pub outputs: FastMap<&'m str, In<'m, Expression>>,
    /// `resources` by (type, name), in that order.
    pub resources_sorted: Vec<((&'m str, &'m str), In<'m, Block>)>,
    /// `calls` by name, in that order.
    pub calls_sorted: Vec<&'m str>,
    /// `data.aws_iam_policy_document.X` and `local.X` named in the text of a resource, data
    /// source, local or output (see [`Decls::used`]).
    used: OnceLock<HashSet<String>>,
    /// The locals and outputs whose text may hold a policy document, by name, in order.
    may_hold: OnceLock<(Vec<String>, Vec<String>)>,
    /// Whether every instance of the module builds nothing, whatever its arguments (see
    /// [`super::World::inert`]).
    pub inert: OnceLock<bool>,
}

fn label(b: &Block, i: usize) -> &str {
    b.labels.get(i).map(|l| l.as_str()).unwrap_or("")
}

impl<'m> Decls<'m> {
    pub fn of(module: &'m Module) -> Decls<'m> {
        let mut d = Decls {
            module,
            locals: FastMap::default(),
            variables: FastMap::default(),
            resources: FastMap::default(),
            data: FastMap::default(),
            calls: FastMap::default(),
            outputs: FastMap::default(),
            resources_sorted: vec![],
            calls_sorted: vec![],
            used: OnceLock::new(),
            may_hold: OnceLock::new(),
            inert: OnceLock::new(),
        };
        for (file, body) in &module.files {
            let file = *file;
            for b in body.blocks() {
                match b.ident.as_str() {
                    "locals" => {
                        for a in b.body.attributes() {
                            d.locals.insert(a.key.as_str(), (&a.value, file));
                        }
                    }
                    "variable" => {
                        d.variables.insert(label(b, 0), (b, file));
                    }
                    "resource" => {
                        d.resources.insert((label(b, 0), label(b, 1)), (b, file));
                    }
                    "data" => {
                        d.data.insert((label(b, 0), label(b, 1)), (b, file));
                    }
                    "module" => {
                        d.calls.insert(label(b, 0), (b, file));
                    }
                    "output" => {
                        if let Some(a) = b.body.get_attribute("value") {
                            d.outputs.insert(label(b, 0), (&a.value, file));
                        }
                    }
                    _ => {}
                }
            }
        }
        d.resources_sorted = d.resources.iter().map(|(k, v)| (*k, *v)).collect();
        d.resources_sorted.sort_by_key(|(k, _)| *k);
        d.calls_sorted = d.calls.keys().copied().collect();
        d.calls_sorted.sort_unstable();
        d
    }

    /// The `data.aws_iam_policy_document.NAME` and `local.NAME` references in this module's
    /// resources, data sources, locals and outputs: what uses a document or feeds it into
    /// another (`source_policy_documents`, `merge`), which is then checked there. (Module
    /// arguments are not counted: a module trailguard cannot read hands its arguments on
    /// unseen, and they are checked as documents themselves.)
    pub fn used(&self) -> &HashSet<String> {
        self.used.get_or_init(|| {
            let mut used = HashSet::new();
            let texts = self
                .resources
                .values()
                .chain(self.data.values())
                .map(|(b, _)| b.body.to_string())
                .chain(
                    self.locals
                        .values()
                        .chain(self.outputs.values())
                        .map(|(e, _)| e.to_string()),
                );
            for text in texts {
                for marker in ["data.aws_iam_policy_document.", "local."] {
                    for (at, _) in text.match_indices(marker) {
                        let rest = &text[at + marker.len()..];
                        let end = rest
                            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                            .unwrap_or(rest.len());
                        used.insert(format!("{marker}{}", &rest[..end]));
                    }
                }
            }
            used
        })
    }

    /// Whether an instance of the module builds nothing of its own, whatever its arguments:
    /// no resource of a type the frontends read, and no policy document that would be
    /// checked on its own (an `aws_iam_policy_document` nothing here uses, a local nothing
    /// uses or an output that may hold one). Its calls are not looked at here.
    pub fn builds_nothing_itself(&self) -> bool {
        if self
            .resources
            .keys()
            .any(|(ty, _)| super::resources::is_read(ty))
        {
            return false;
        }
        let used = self.used();
        let (locals, outputs) = self.may_hold();
        outputs.is_empty()
            && locals.iter().all(|n| used.contains(&format!("local.{n}")))
            && self.data.keys().all(|(ty, name)| {
                *ty != "aws_iam_policy_document"
                    || used.contains(&format!("data.aws_iam_policy_document.{name}"))
            })
    }

    /// The locals and the outputs (names, in order) that can hold a document, by their text:
    /// evaluating every value of every module instance would cost more than all the rest.
    pub fn may_hold(&self) -> &(Vec<String>, Vec<String>) {
        self.may_hold.get_or_init(|| {
            let words = |e: &Expression| {
                let t = e.to_string();
                ["Statement", "policy", "Policy", "templatefile", "file("]
                    .iter()
                    .any(|w| t.contains(w))
            };
            let pick = |m: &FastMap<&'m str, In<'m, Expression>>| {
                let mut names: Vec<String> = m
                    .iter()
                    .filter(|(_, (e, _))| words(e))
                    .map(|(n, _)| n.to_string())
                    .collect();
                names.sort_unstable();
                names
            };
            (pick(&self.locals), pick(&self.outputs))
        })
    }
}
