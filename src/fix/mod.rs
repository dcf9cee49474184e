//! Fixes: what a rule knows the correct text to be, as edits to the file in its own syntax.
//! A rule states an [`Intent`] (add this condition, add this resource); once the file's text is
//! at hand [`Intent::resolve`] writes it as [`Edit`]s, or offers nothing when the replacement
//! is not certain (a symbol the file has no spelling for, an unusual layout).

pub mod apply;
pub mod spell;
pub mod write;

use crate::hint::{Syntax, syntax_of};
use crate::policy::Shape;
use crate::source::{SourceMap, Span};
use crate::value::Text;
use spell::{Dialect, Speller};
use write::Place;
pub use write::V;

pub use write::Edit;

/// Whether a fix only repairs (safe) or also changes who may do what (unsafe).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Safe,
    Unsafe,
}

/// A fix: edits in one file.
#[derive(Clone, Debug)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// What a fix changes, in terms of the policy.
#[derive(Clone, Debug)]
pub enum Change {
    /// Add `op: {key: values}` to a statement.
    AddCondition {
        statement: Shape,
        block: Option<Shape>,
        operator: Option<Shape>,
        op: String,
        key: String,
        values: Vec<Text>,
    },
    /// Add values to an element that holds one value or a list (`items` are its values' spans).
    AddValues {
        value: Span,
        items: Vec<Span>,
        add: Vec<Text>,
    },
    /// Replace one value.
    Replace { at: Span, with: Text },
    /// Rename an operator (`StringEquals` → `StringLike`) where it is written.
    RenameOperator { at: Span, from: String, to: String },
    /// Replace a Principal's value by `{"Service": service}`.
    ServicePrincipal { value: Span, service: String },
    /// Add a statement to the policy's `Statement` value (`items`: its statements' spans).
    AddStatement {
        list: Span,
        /// The value is a list (else one statement).
        is_list: bool,
        items: Vec<Span>,
        statement: V,
    },
}

impl Change {
    /// Adds `op: {key: values}` to a statement, into the operator or Condition block it has.
    pub fn add_condition(
        s: &crate::policy::Statement,
        op: &str,
        key: &str,
        values: Vec<Text>,
    ) -> Change {
        Change::AddCondition {
            statement: s.shape.clone(),
            block: s.condition_block.clone(),
            operator: s
                .operators
                .iter()
                .find(|(o, _)| o == op)
                .map(|(_, shape)| shape.clone()),
            op: op.into(),
            key: key.into(),
            values,
        }
    }
}

/// A fix a rule offers, still to be written in the file's syntax.
#[derive(Clone, Debug)]
pub struct Intent {
    pub title: String,
    pub applicability: Applicability,
    /// The statement the change is in (its text tells the syntax).
    pub within: Span,
    pub change: Change,
    /// The policy's values with their spans: how its files spell symbols (shared by the
    /// policy's fixes).
    known: crate::link::Known,
    standalone: bool,
    address: String,
    /// The change is the same wherever the policy is used (a constant, a typo): it may be made
    /// in a template that several callers fill in.
    portable: bool,
    /// Terraform attributes the written value comes from (a trail's `name`, `s3_key_prefix`),
    /// in the block at the span: they must be written as literals, else the value is only this
    /// configuration's (a variable another tfvars file sets otherwise).
    from_attributes: Vec<(Span, &'static str)>,
}

impl Intent {
    pub fn new(
        title: impl Into<String>,
        applicability: Applicability,
        policy: &crate::link::PolicyCx<'_>,
        within: Span,
        change: Change,
    ) -> Intent {
        Intent {
            title: title.into(),
            applicability,
            within,
            change,
            known: policy.known(),
            standalone: policy.policy.standalone,
            address: policy.policy.address.clone(),
            portable: false,
            from_attributes: vec![],
        }
    }

    /// The value written comes from attribute `name` of the Terraform block at `block`.
    pub fn from_attribute(mut self, block: Option<Span>, name: &'static str) -> Intent {
        if let Some(b) = block {
            self.from_attributes.push((b, name));
        }
        self
    }

    /// Marks a change that is right for every user of the policy's text.
    pub fn portable(mut self) -> Intent {
        self.portable = true;
        self
    }

    /// The edits, when the change can be written with certainty in the file's syntax.
    pub fn resolve(&self, sources: &SourceMap, scan: &Scan) -> Option<Fix> {
        let file = sources.get(self.within.file);
        let text = file.text.as_str();
        if text.is_empty() || self.within.end as usize > text.len() || !self.spans_inside() {
            return None;
        }
        let statement = &text[self.within.range()];
        // White space after the brace, escaped too (a pretty-printed policy in a string).
        let after_brace = statement.trim_start().strip_prefix('{').map(|mut r| {
            loop {
                let t = r.trim_start();
                match ["\\n", "\\r", "\\t"].iter().find_map(|e| t.strip_prefix(e)) {
                    Some(rest) => r = rest,
                    None => return t,
                }
            }
        });
        let escaped = after_brace.is_some_and(|r| r.starts_with('\\'));
        if escaped && !after_brace.is_some_and(|r| r.starts_with("\\\"")) {
            return None;
        }
        let syntax = syntax_of(&file.path, statement);
        let facts = scan.facts(self.within.file, text);
        let dialect = self.dialect(&file.path, facts.plan);
        if !self.certain(sources, scan, syntax, dialect) {
            return None;
        }
        let place = Place {
            text,
            syntax,
            dialect,
            escaped,
            unit: std::borrow::Cow::Borrowed(&facts.unit),
            short_tags: facts.short_tags,
            crlf: facts.crlf,
            speller: scan.speller(&self.known, self.within.file, dialect, || {
                let known: Vec<(&str, &Text)> = self
                    .known
                    .iter()
                    .filter(|(s, _)| s.file == self.within.file && (s.end as usize) <= text.len())
                    .map(|(s, t)| (&text[s.range()], t))
                    .collect();
                Speller::new(dialect, self.within.file, &known)
                    .naming(scan.provider_names(sources, &file.path, dialect))
            }),
        };
        let edits: Vec<Edit> = self
            .edits(&place)?
            .into_iter()
            .map(|e| place.line_breaks(e))
            .collect();
        // Not offered when the file would no longer parse (a large file, such as a plan, or
        // one with so many fixes that checking each would parse it too often, is checked once
        // per round by `--fix` instead of once per fix here).
        let refs: Vec<&Edit> = edits.iter().collect();
        if text.len() <= MAX_CHECKED
            && !scan.crowded.contains(&self.within.file)
            && !apply::still_parses(&file.path, text, &refs, file.yaml_lined)
        {
            return None;
        }
        Some(Fix {
            title: self.title.clone(),
            applicability: self.applicability,
            edits,
        })
    }

    /// Whether the change is right wherever the text is used: not in a called module, not over
    /// a caller's or a variable's value, not inside a YAML anchor used elsewhere.
    fn certain(&self, sources: &SourceMap, scan: &Scan, syntax: Syntax, dialect: Dialect) -> bool {
        let file = sources.get(self.within.file);
        let text = file.text.as_str();
        // A policy inside a called module: its values come from the callers, and the repair
        // may belong there.
        if dialect == Dialect::Terraform && self.address.starts_with("module.") {
            return false;
        }
        // A file `file()` or `templatefile()` reads may serve several callers: only changes
        // that are right for all of them.
        let tf_source = file.path.extension().is_some_and(|e| e == "tf");
        if dialect == Dialect::Terraform && !tf_source && !self.portable {
            return false;
        }
        // Values this configuration gives an attribute through a variable or an expression.
        if !self
            .from_attributes
            .iter()
            .all(|(block, name)| literal_attribute(sources, *block, name))
        {
            return false;
        }
        // A YAML anchor aliased elsewhere: an edit inside it would change the other places too.
        if syntax == Syntax::Yaml && scan.facts(self.within.file, text).aliased_anchor {
            return false;
        }
        // Text replaced in a template that callers fill in must not be one of their values.
        if !tf_source
            && dialect == Dialect::Terraform
            && self
                .replaced()
                .is_some_and(|at| text[at.range()].contains("${"))
        {
            return false;
        }
        // Nor is a value written from a variable replaced by the literal it has here (another
        // tfvars file gives another).
        if let Change::Replace { at, .. } = &self.change
            && dialect == Dialect::Terraform
            && text[at.range()].contains("var.")
        {
            return false;
        }
        true
    }

    /// The text a change replaces, when it replaces one.
    fn replaced(&self) -> Option<Span> {
        match &self.change {
            Change::Replace { at, .. }
            | Change::RenameOperator { at, .. }
            | Change::ServicePrincipal { value: at, .. } => Some(*at),
            _ => None,
        }
    }

    fn spans_inside(&self) -> bool {
        let w = self.within;
        // What is replaced or added to is some text (a span that lost its text, such as a
        // value inside a quoted string that maps to the string's start, gives no fix).
        if self.replaced().is_some_and(|s| s.start == s.end)
            || matches!(&self.change, Change::AddValues { value, .. } if value.start == value.end)
        {
            return false;
        }
        let inside = |s: &Span| s.file == w.file && s.start >= w.start && s.end <= w.end;
        match &self.change {
            Change::AddCondition {
                statement,
                block,
                operator,
                ..
            } => inside(&statement.span) && block.iter().chain(operator).all(|b| inside(&b.span)),
            Change::AddValues { value, items, .. } => {
                inside(value)
                    && items
                        .iter()
                        .all(|i| i.file == w.file && i.start >= value.start && i.end <= value.end)
            }
            // (A YAML sequence's first item may start at its dash, before the sequence.)
            Change::AddStatement { list, items, .. } => {
                items.contains(&w)
                    && list.file == w.file
                    && items.iter().all(|i| i.file == w.file && i.end <= list.end)
            }
            Change::Replace { at, .. }
            | Change::RenameOperator { at, .. }
            | Change::ServicePrincipal { value: at, .. } => inside(at),
        }
    }

    fn dialect(&self, path: &std::path::Path, plan: bool) -> Dialect {
        let name = path.to_string_lossy();
        if self.standalone || plan {
            Dialect::Plain
        } else if name.ends_with(".tf") || self.address.contains('.') {
            Dialect::Terraform
        } else {
            Dialect::CloudFormation
        }
    }

    fn edits(&self, place: &Place<'_>) -> Option<Vec<Edit>> {
        let strs = |vs: &[Text]| vs.iter().cloned().map(V::Str).collect::<Vec<_>>();
        let edit = match &self.change {
            Change::AddCondition {
                statement,
                block,
                operator,
                op,
                key,
                values,
            } => {
                let value = if values.len() == 1 {
                    V::Str(values[0].clone())
                } else {
                    V::List(strs(values))
                };
                if place.syntax == Syntax::PolicyDocument {
                    place.condition_block(statement, op, key, &strs(values))?
                } else if let Some(operator) = operator {
                    place.insert_member(operator, key, &value)?
                } else if let Some(block) = block {
                    place.insert_member(block, op, &V::Map(vec![(key.clone(), value)]))?
                } else {
                    let inner = V::Map(vec![(key.clone(), value)]);
                    place.insert_member(
                        statement,
                        "Condition",
                        &V::Map(vec![(op.clone(), inner)]),
                    )?
                }
            }
            Change::AddValues { value, items, add } => {
                place.add_items(*value, items, &strs(add))?
            }
            Change::Replace { at, with } => place.replace(*at, &V::Str(with.clone()))?,
            Change::RenameOperator { at, from, to } => {
                let raw = &place.text[at.range()];
                let mut found = raw.match_indices(from.as_str());
                let (i, _) = found.next()?;
                if found.next().is_some() {
                    return None;
                }
                let start = at.start as usize + i;
                Edit {
                    span: Span::new(at.file, start, start + from.len()),
                    text: to.clone(),
                }
            }
            Change::AddStatement {
                list,
                is_list,
                items,
                statement,
            } => place.add_statement(*list, *is_list, items, statement)?,
            Change::ServicePrincipal { value, service } => {
                if place.syntax == Syntax::PolicyDocument {
                    place.principals_block(*value, service)?
                } else {
                    let v = V::Map(vec![("Service".into(), V::Str(Text::lit(service.clone())))]);
                    place.replace(*value, &v)?
                }
            }
        };
        Some(vec![edit])
    }
}

/// Whether attribute `name` of the Terraform block at `block` is absent or a plain literal.
fn literal_attribute(sources: &SourceMap, block: Span, name: &str) -> bool {
    let file = sources.get(block.file);
    if file.path.extension().is_none_or(|e| e != "tf") {
        return true;
    }
    let Some(text) = file.text.get(block.range()) else {
        return false;
    };
    // Attributes of the block itself, not of its nested blocks.
    let mut depth = 0i32;
    for line in text.lines() {
        let l = line.trim_start();
        let here = depth;
        depth += l.matches('{').count() as i32 - l.matches('}').count() as i32;
        if here != 1 {
            continue;
        }
        if let Some(rest) = l.strip_prefix(name)
            && let Some(value) = rest.trim_start().strip_prefix('=')
        {
            let v = value.trim();
            let v = v.split(" #").next().unwrap_or(v).trim();
            return v.len() >= 2
                && v.starts_with('"')
                && v.ends_with('"')
                && !v.contains("${")
                && !v[1..v.len() - 1].contains('"');
        }
    }
    true
}

/// Whether a YAML text has an anchor that an alias uses.
fn aliased_anchor(text: &str) -> bool {
    let names = |sigil: char| -> std::collections::HashSet<&str> {
        text.match_indices(sigil)
            .filter(|(i, _)| {
                text[..*i]
                    .chars()
                    .next_back()
                    .is_none_or(|c| c == ' ' || c == '[' || c == ',' || c == '\n')
            })
            .map(|(i, _)| {
                let rest = &text[i + 1..];
                let end = rest
                    .find(|c: char| c.is_whitespace() || ",[]{}".contains(c))
                    .unwrap_or(rest.len());
                &rest[..end]
            })
            .filter(|n| !n.is_empty())
            .collect()
    };
    let anchors = names('&');
    !anchors.is_empty() && names('*').iter().any(|a| anchors.contains(a))
}

/// Files larger than this are not parsed again for each fix offered.
const MAX_CHECKED: usize = 256 * 1024;
/// Nor are files whose fixes would have them parsed again more than this many bytes in all
/// (a template of a thousand policies, each with its fix): the checks would take quadratic time.
const MAX_CHECKED_PER_FILE: usize = 16 * MAX_CHECKED;

/// What fixes need to know of a whole file, found once per file.
#[derive(Clone, Debug)]
pub struct Facts {
    /// A Terraform plan (`planned_values`, `resource_changes`).
    plan: bool,
    /// The template writes `!Sub` (else `Fn::Sub`).
    short_tags: bool,
    crlf: bool,
    /// One level of indentation (found when a fix first needs it).
    unit: std::sync::OnceLock<String>,
    /// A YAML anchor that an alias uses.
    aliased_anchor: bool,
}

/// Spellings of whole symbols: symbol name and the interpolation that writes it.
type Spellings = std::sync::Arc<Vec<(String, String)>>;

/// What resolving fixes needs of the whole scan, built once: the `.tf` files of each directory.
#[derive(Default)]
pub struct Scan {
    tf_by_dir: std::collections::HashMap<std::path::PathBuf, Vec<crate::source::FileId>>,
    /// Provider spellings by directory, found once per directory.
    names: crate::fs::DirMemo<Spellings>,
    facts: crate::fs::Memo<crate::source::FileId, std::sync::Arc<Facts>>,
    /// Files whose fixes are not each checked to parse ([`MAX_CHECKED_PER_FILE`]).
    crowded: std::collections::HashSet<crate::source::FileId>,
    /// Spellers by policy (its shared values, by address), file and dialect: built once, not
    /// once per fix.
    spellers: crate::fs::Memo<SpellerKey, std::sync::Arc<Speller>>,
}

type SpellerKey = (usize, crate::source::FileId, Dialect);

impl Scan {
    /// `fixes`: how many fixes each file is to be offered.
    pub fn new(
        sources: &SourceMap,
        fixes: &std::collections::HashMap<crate::source::FileId, usize>,
    ) -> Scan {
        let mut tf_by_dir: std::collections::HashMap<_, Vec<_>> = Default::default();
        for (i, f) in sources.files.iter().enumerate() {
            if f.path.extension().is_some_and(|e| e == "tf")
                && let Some(dir) = f.path.parent()
            {
                tf_by_dir
                    .entry(dir.to_path_buf())
                    .or_default()
                    .push(i as u32);
            }
        }
        let crowded = fixes
            .iter()
            .filter(|&(&file, &n)| {
                n.saturating_mul(sources.get(file).text.len()) > MAX_CHECKED_PER_FILE
            })
            .map(|(&file, _)| file)
            .collect();
        Scan {
            tf_by_dir,
            names: Default::default(),
            facts: Default::default(),
            crowded,
            spellers: Default::default(),
        }
    }

    /// The speller of a policy's values (`known`, kept alive by the fixes that share it) in
    /// `file` and `dialect`, built by `build` the first time.
    fn speller(
        &self,
        known: &crate::link::Known,
        file: crate::source::FileId,
        dialect: Dialect,
        build: impl FnOnce() -> Speller,
    ) -> std::sync::Arc<Speller> {
        let key = (
            std::sync::Arc::as_ptr(known) as *const () as usize,
            file,
            dialect,
        );
        if let Some(s) = self.spellers.get(&key) {
            return s;
        }
        let built = std::sync::Arc::new(build());
        self.spellers.put(&key, built.clone());
        built
    }

    /// A file's facts (found once).
    fn facts(&self, file: crate::source::FileId, text: &str) -> std::sync::Arc<Facts> {
        if let Some(f) = self.facts.get(&file) {
            return f;
        }
        let f = std::sync::Arc::new(Facts {
            plan: text.contains("\"planned_values\"") || text.contains("\"resource_changes\""),
            short_tags: text.contains("!Sub") || !text.contains("Fn::Sub"),
            crlf: text.contains("\r\n"),
            unit: std::sync::OnceLock::new(),
            aliased_anchor: aliased_anchor(text),
        });
        self.facts.put(&file, f.clone());
        f
    }

    /// How the root module a `.tf` file belongs to names its provider's account, Region and
    /// partition.
    fn provider_names(
        &self,
        sources: &SourceMap,
        path: &std::path::Path,
        dialect: Dialect,
    ) -> Spellings {
        let Some(dir) = path.parent().filter(|_| dialect == Dialect::Terraform) else {
            return Default::default();
        };
        if let Some(found) = self.names.get(dir) {
            return found;
        }
        let texts: Vec<&str> = self
            .tf_by_dir
            .get(dir)
            .into_iter()
            .flatten()
            .map(|&id| sources.get(id).text.as_str())
            .collect();
        // Symbols name the root module by its absolute path.
        let mut out = spell::provider_spellings(&dir.to_string_lossy(), texts.iter().copied());
        let abs = crate::fs::lexical_absolute(dir);
        out.extend(spell::provider_spellings(
            &abs.to_string_lossy(),
            texts.iter().copied(),
        ));
        let out = std::sync::Arc::new(out);
        self.names.put(dir, out.clone());
        out
    }
}

#[cfg(test)]
mod tests;
