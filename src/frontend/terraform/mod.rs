//! Terraform: `*.tf` modules read as a whole with `terraform.tfvars` / `*.auto.tfvars`,
//! evaluated to symbolic values (see [`eval`]); local modules evaluated with their caller's
//! arguments; the resources that matter turned into model trails, buckets, keys and policies.

pub mod decls;
pub mod eval;
pub mod functions;
pub mod json_syntax;
pub mod policy_document;
pub mod resources;
pub mod scope;
pub mod stage;

pub use stage::read_json_syntax;
pub mod units;

use crate::fs::{ReadError, Roots};
use crate::model::{Model, ParseError};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use decls::Decls;
use hcl_edit::structure::Body;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The span of a range hcl-edit gives (empty at the file's start when it gives none).
pub fn span_of(file: FileId, r: Option<std::ops::Range<usize>>) -> Span {
    let r = r.unwrap_or(0..0);
    Span::new(file, r.start, r.end)
}

/// The deepest bracket nesting parsed; deeper files are reported, not parsed (the HCL parser
/// recurses).
pub const MAX_NESTING: usize = 256;

/// One directory of Terraform files.
#[derive(Default)]
pub struct Module {
    pub dir: PathBuf,
    pub files: Vec<(FileId, Body)>,
    pub tfvars: Vec<(FileId, Body)>,
}

/// Parses one `.tf` or `.tfvars` file. A parse error is TG012 when the text names the
/// resources trailguard reads.
pub fn parse(file: FileId, text: &str, model: &mut Model) -> Option<Body> {
    if let Some(at) = too_deep(text) {
        if crate::frontend::json::has_trigger_word(text) {
            model.parse_errors.push(ParseError {
                span: Span::new(file, at, at + 1),
                message: format!("nesting deeper than {MAX_NESTING} levels; the file is not read"),
            });
        }
        return None;
    }
    match hcl_edit::parser::parse_body(text) {
        Ok(b) => Some(b),
        Err(e) => {
            if crate::frontend::json::has_trigger_word(text) {
                let at = e.location().offset().min(text.len());
                model.parse_errors.push(ParseError {
                    span: Span::new(file, at, (at + 1).min(text.len())),
                    message: format!("the file cannot be parsed as HCL: {}", e.message()),
                });
            }
            None
        }
    }
}

/// The offset where bracket nesting first exceeds [`MAX_NESTING`] (strings and comments are
/// not skipped: a generous over-estimate is fine for a guard).
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The words that make a file worth parsing ([`TextFacts::worth`]): a resource or data source
/// the rules read.
const WORDS: [&str; 12] = [
    "aws_s3_bucket",
    "aws_kms_",
    "aws_cloudtrail",
    "aws_iam_policy_document",
    "aws_organizations_organization",
    // Log sources (TG100–TG105).
    "aws_lb\"",
    "aws_alb\"",
    "aws_elb\"",
    "aws_cloudfront_distribution",
    "aws_config_delivery_channel",
    "aws_flow_log",
    "aws_redshift_",
];

/// What the Terraform stage needs to know of a `.tf` or tfvars file before parsing it, found
/// as the file is read (in parallel).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextFacts {
    /// Whether the file can matter: it names a resource or data source the rules read, or
    /// calls a local module (whose files may).
    pub worth: bool,
    /// Whether a `.tf` file of a module that matters can inform its evaluation. One that
    /// holds nothing but `resource` blocks of types no rule reads (instances, networks,
    /// functions…) and names nothing `worth` looks for cannot: its values could only reach a
    /// policy through a reference, which then stays unknown, and an unknown never makes a
    /// finding. Any line that opens another kind of block (`locals`, `variable`, `output`,
    /// `data`, `module`, `provider`, `terraform`, …), wherever it stands, keeps the file.
    pub informs: bool,
    /// [`units::textual_sources`], the local module sources it may call.
    pub sources: Vec<String>,
    /// It names CloudTrail's service principal.
    pub principal: bool,
}

impl TextFacts {
    pub fn of(text: &str) -> TextFacts {
        // Substring searches are SIMD: a pass per word is faster than one automaton.
        let module = text.contains("module");
        // Every word starts with `aws_`: one search for it, each find checked against them.
        let worth = memchr::memmem::find_iter(text.as_bytes(), "aws_")
            .any(|at| WORDS.iter().any(|w| text[at..].starts_with(w)))
            || (module && (text.contains("\"./") || text.contains("\"../")))
            || (module && text.contains("policy"));
        TextFacts {
            worth,
            informs: worth || opens_other_block(text),
            sources: units::textual_sources(text)
                .into_iter()
                .map(str::to_string)
                .collect(),
            principal: text.contains("cloudtrail.amazonaws.com"),
        }
    }
}

/// Whether a line opens a top-level block other than `resource`.
fn opens_other_block(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    // The lines of `str::lines` (a `\r` left at a line's end never decides: see `opens`).
    memchr::memchr_iter(b'\n', bytes)
        .chain([bytes.len()])
        .any(|end| {
            let line = &text[at..end];
            at = end + 1;
            line_opens_other_block(line)
        })
}

/// [`opens`], quickly for the lines most are: blank, or starting (after spaces and tabs) with
/// a visible ASCII character; a line that starts otherwise (other white space, non-ASCII) is
/// judged by [`opens`] itself.
fn line_opens_other_block(line: &str) -> bool {
    let b = line.as_bytes();
    let start = b
        .iter()
        .position(|&c| c != b' ' && c != b'\t')
        .unwrap_or(b.len());
    match b.get(start) {
        None => false,
        Some(&c) if TOP_LEVEL.iter().any(|w| w.as_bytes()[0] == c) => opens(&line[start..]),
        Some(c) if c.is_ascii_graphic() => false,
        Some(_) => opens(line),
    }
}

/// Whether a line opens a top-level block other than `resource`: its first word (after white
/// space) is a block type, followed by a label or `{`, not by `=`.
fn opens(line: &str) -> bool {
    let line = line.trim_start();
    let word_end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(line.len());
    let (word, rest) = line.split_at(word_end);
    let opens_block =
        rest.starts_with([' ', '\t', '"', '{']) && !rest.trim_start().starts_with('=');
    opens_block && !word.is_empty() && word != "resource" && TOP_LEVEL.contains(&word)
}

#[cfg(test)]
#[test]
fn only_files_of_unread_resources_are_left_out() {
    let filler =
        "resource \"aws_instance\" \"a\" {\n  ami = \"x\"\n  tags = {\n    Name = \"y\"\n  }\n}\n";
    let may_inform = |text: &str| TextFacts::of(text).informs;
    assert!(!may_inform(filler));
    for keep in [
        "locals {\n  a = 1\n}\n",
        "  variable \"x\" {}\n",
        "output \"o\" { value = 1 }\n",
        "data \"aws_caller_identity\" \"me\" {}\n",
        "module \"m\" {\n  source = \"terraform-aws-modules/x/aws\"\n}\n",
        "provider \"aws\" {\n  region = \"us-east-1\"\n}\n",
        "resource \"aws_s3_bucket\" \"b\" {}\n",
        "resource \"aws_iam_role\" \"r\" {\n  policy = data.aws_iam_policy_document.p.json\n}\n",
    ] {
        assert!(may_inform(&format!("{filler}{keep}")), "{keep}");
    }
    // An attribute that happens to be called like a block type is not one.
    assert!(!may_inform(
        "resource \"aws_instance\" \"a\" {\n  data = \"x\"\n  provider = aws.east\n}\n"
    ));
}

/// The quick searches of [`TextFacts::of`] answer as the plain ones they replaced (a pass
/// per word; `str::lines` with each line judged by [`opens`]) on generated texts: lines of
/// block types, near misses and attributes, indented with spaces, tabs, other white space or
/// none, ending in `\n`, `\r\n` or a lone `\r`, with non-ASCII text.
#[cfg(test)]
#[test]
fn text_facts_answer_as_the_plain_searches() {
    let mut r = crate::testing::Rng(0x51_7cc1_b727_220a);
    let (mut opened, mut worth) = (0, 0);
    // Block types, near misses, the words `worth` looks for.
    let words: Vec<&str> = TOP_LEVEL
        .iter()
        .copied()
        .chain([
            "resource",
            "dat",
            "datas",
            "local",
            "Data",
            "}",
            "#",
            "source",
            "aws_s3_bucket",
            "aws_kms_key",
            "aws_lb",
            "aws_elb\"",
            "aws_",
            "aws_alb\"",
            "aws_redshift_cluster",
            "aws_flow_log",
            "ami",
            "",
            "_x",
            "9",
        ])
        .collect();
    for _ in 0..20_000 {
        let mut text = String::new();
        for _ in 0..r.below(6) {
            text.push_str(r.pick(&[
                "", " ", "  ", "\t", " \t", "\u{b}", "\u{c}", "\r", "\u{a0}", "\u{3000}", "é",
            ]));
            text.push_str(r.pick(&words));
            text.push_str(r.pick(&[
                " ", "\t", "\"", "{", " {", " = 1", " =", "=", "\r", " \r", "\u{a0}", "",
                " \"a\" {", ".x",
            ]));
            text.push_str(r.pick(&["", "", " = \"./m\"", "\"", "}", "x"]));
            text.push_str(r.pick(&["\n", "\n", "\r\n", "\r", ""]));
        }
        let plain_opens = text.lines().any(opens);
        let plain_worth = WORDS.iter().any(|w| text.contains(w));
        assert_eq!(opens_other_block(&text), plain_opens, "{text:?}");
        let facts = TextFacts::of(&text);
        assert_eq!(
            facts.informs,
            plain_worth || facts.worth || plain_opens,
            "{text:?}"
        );
        if !text.contains("module") {
            assert_eq!(facts.worth, plain_worth, "{text:?}");
        }
        opened += usize::from(plain_opens);
        worth += usize::from(plain_worth);
    }
    // Both answers are reached often.
    assert!((2_000..18_000).contains(&opened), "{opened}");
    assert!((2_000..18_000).contains(&worth), "{worth}");
}

/// Terraform's top-level block types besides `resource`.
const TOP_LEVEL: [&str; 11] = [
    "data",
    "locals",
    "variable",
    "output",
    "module",
    "provider",
    "terraform",
    "moved",
    "import",
    "check",
    "removed",
];

/// Everything the evaluation of a scan's Terraform shares.
pub struct World<'a> {
    pub sources: &'a SourceMap,
    /// The modules kept for the whole evaluation (those some module may call), by what they
    /// declare.
    pub modules: &'a decls::ByDir<'a>,
    /// A root module evaluated on its own, dropped afterwards: looked up before `modules`.
    pub local: Option<&'a Decls<'a>>,
    pub files_by_path: &'a HashMap<PathBuf, FileId>,
    /// Where reads may go.
    pub roots: &'a Roots,
    /// What every evaluation adds to.
    pub found: &'a Found,
    /// Registry and git modules `terraform init` installed: (root module directory, module
    /// key) to the module's directory.
    pub registry: &'a HashMap<(PathBuf, String), PathBuf>,
}

/// What evaluations find beside their models, shared by all of them.
#[derive(Default)]
pub struct Found {
    /// Files read by `file()`/`templatefile()` that the scan did not hold.
    pub extra: Mutex<Vec<SourceFile>>,
    /// Where each of `extra` is, by path (locked after `extra`, and only with it).
    extra_index: Mutex<HashMap<PathBuf, usize>>,
    /// Files read in a module's context: their standalone result is replaced.
    pub consumed: Mutex<HashSet<FileId>>,
    /// References that were not read (outside the scan roots, not a regular file, too large),
    /// with why.
    pub refused: Mutex<Vec<(Span, String)>>,
}

/// The largest file `file()` and `templatefile()` read.
pub const MAX_LOADED_BYTES: u64 = 16 * 1024 * 1024;

impl<'a> World<'a> {
    /// The module in `dir` and what it declares, if the evaluation holds it.
    pub fn module(&self, dir: &Path) -> Option<(&'a Module, &'a Decls<'a>)> {
        let d = match self.local {
            Some(d) if d.module.dir == dir => d,
            _ => self.modules.get(dir)?,
        };
        Some((d.module, d))
    }

    /// Whether every instance of the module in `dir` builds nothing, whatever its arguments:
    /// it builds nothing itself (see [`Decls::builds_nothing_itself`]) and every module it
    /// calls is a local module of the scan that is inert too (a registry module, one not in
    /// the scan or a cycle is not). Its instances are then not made at all when it is called
    /// (they are still made, lazily, when the caller reads one of their outputs).
    pub fn inert(&self, dir: &Path) -> bool {
        self.inert_within(dir, &mut vec![])
    }

    fn inert_within(&self, dir: &Path, visiting: &mut Vec<PathBuf>) -> bool {
        let Some((module, decls)) = self.module(dir) else {
            return false;
        };
        if let Some(&known) = decls.inert.get() {
            return known;
        }
        if visiting.iter().any(|d| d == dir) || visiting.len() >= 16 {
            return false;
        }
        visiting.push(dir.to_path_buf());
        let inert = decls.builds_nothing_itself()
            && decls.calls.values().all(|(b, _)| {
                eval::local_source(b).is_some_and(|src| {
                    self.inert_within(&crate::fs::normalize(&module.dir.join(src)), visiting)
                })
            });
        visiting.pop();
        // Only an answer reached without meeting a cycle or the depth limit is kept.
        if visiting.is_empty() || inert {
            let _ = decls.inert.set(inert);
        }
        inert
    }

    /// The text of a file by path, reading it when the scan did not. `reference` (such as
    /// `file("…")`) at `at` names the read in a notice when it is refused.
    pub fn load(&self, path: &Path, reference: &str, at: Span) -> Option<(FileId, String)> {
        let abs = crate::fs::normalize(&std::path::absolute(path).ok()?);
        // Refused reads are said; a file that does not exist is just an unknown value.
        let read = |abs: &Path, limit: u64| match self.roots.read_text(abs, limit) {
            Ok(text) => text,
            Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                if let Ok(mut r) = self.found.refused.lock() {
                    r.push((at, format!("{reference} not read: {e}")));
                }
                None
            }
        };
        if let Some(&id) = self.files_by_path.get(&abs) {
            // A file of the scan (the walk admitted it): its text, or, when it was not kept
            // (nothing in it on its own), read again under the scan's own size limit and kept
            // beside the scan's files, shown as the scan shows it. A text let go after its read
            // is read again as the file it is, when it has not changed since.
            let source = self.sources.get(id);
            let kept = !source.text.is_empty() || source.is_released();
            let text = if source.is_released() {
                let text = read(&abs, crate::fs::MAX_FILE_BYTES)?;
                if !source.is_released_text(&text) {
                    if let Ok(mut r) = self.found.refused.lock() {
                        r.push((
                            at,
                            format!("{reference} not read: the file changed while it was scanned"),
                        ));
                    }
                    return None;
                }
                text
            } else if kept {
                source.text.clone()
            } else {
                read(&abs, crate::fs::MAX_FILE_BYTES)?
            };
            self.found.consumed.lock().ok()?.insert(id);
            if kept || text.is_empty() {
                return Some((id, text));
            }
            return self.load_extra(&abs, &source.display, text);
        }
        let text = read(&abs, MAX_LOADED_BYTES)?;
        self.load_extra(&abs, &crate::discover::display_path(&abs), text)
    }

    /// A file read for a module, kept beside the scan's own.
    fn load_extra(&self, abs: &Path, display: &str, text: String) -> Option<(FileId, String)> {
        let mut extra = self.found.extra.lock().ok()?;
        let mut index = self.found.extra_index.lock().ok()?;
        let base = self.sources.files.len() as u32;
        if let Some(&i) = index.get(abs) {
            return Some((base + i as u32, extra[i].text.clone()));
        }
        let abs = abs.to_path_buf();
        index.insert(abs.clone(), extra.len());
        let id = base + extra.len() as u32;
        extra.push(SourceFile::new(
            abs.clone(),
            display.to_string(),
            text.clone(),
        ));
        Some((id, text))
    }
}

/// Groups parsed files by directory.
pub fn group(parsed: Vec<(FileId, PathBuf, Body, bool)>) -> BTreeMap<PathBuf, Module> {
    let mut modules: BTreeMap<PathBuf, Module> = BTreeMap::new();
    for (id, path, body, is_vars) in parsed {
        let abs = crate::fs::lexical_absolute(&path);
        let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
        let m = modules.entry(dir.clone()).or_default();
        m.dir = dir;
        if is_vars {
            let name = abs.file_name().and_then(|n| n.to_str()).unwrap_or("");
            // Terraform loads these two automatically.
            if name == "terraform.tfvars" || name.ends_with(".auto.tfvars") {
                m.tfvars.push((id, body));
            }
        } else {
            m.files.push((id, body));
        }
    }
    modules.retain(|_, m| !m.files.is_empty());
    modules
}

/// `# trailguard:ignore …` and `// trailguard:ignore …` comments of one file, each covering its
/// own line, the next one, and every block or object (or policy statement in `extra`) that
/// starts on the next line or encloses the comment as its first line inside.
pub fn suppressions(
    file: FileId,
    source: &crate::source::SourceFile,
    body: &Body,
    extra: &[Span],
) -> Vec<crate::model::Suppression> {
    let text = &source.text;
    if !text.contains("trailguard:ignore") {
        return vec![];
    }
    let mut blocks: Vec<(usize, usize)> = vec![];
    collect_blocks(body, source, &mut blocks);
    for s in extra.iter().filter(|s| s.file == file) {
        blocks.push((
            source.line_of(s.start as usize),
            source.line_of(s.end as usize),
        ));
    }
    let ranges_at = crate::model::Suppression::ranges_of_comments(&blocks);
    let mut out = vec![];
    for (i, line) in text.lines().enumerate() {
        let Some(at) = line.find("trailguard:ignore") else {
            continue;
        };
        let before = &line[..at];
        let Some(c) = before.rfind('#').or_else(|| before.rfind("//")) else {
            continue;
        };
        let Some(rules) = crate::model::Suppression::parse_comment(&line[c..]) else {
            continue;
        };
        let l = i + 1;
        let start = source.line_start(l) + c;
        let span = Span::new(file, start, source.line_start(l) + line.len());
        out.push(crate::model::Suppression {
            span,
            rules,
            lines: ranges_at(l),
        });
    }
    out
}

fn collect_blocks(body: &Body, source: &crate::source::SourceFile, out: &mut Vec<(usize, usize)>) {
    use hcl_edit::Span as _;
    for st in body.iter() {
        match st {
            hcl_edit::structure::Structure::Block(b) => {
                if let Some(r) = b.span() {
                    out.push((
                        source.line_of(r.start),
                        source.line_of(r.end.saturating_sub(1)),
                    ));
                }
                collect_blocks(&b.body, source, out);
            }
            hcl_edit::structure::Structure::Attribute(a) => {
                collect_objects(&a.value, source, out, 0)
            }
        }
    }
}

fn collect_objects(
    e: &hcl_edit::expr::Expression,
    source: &crate::source::SourceFile,
    out: &mut Vec<(usize, usize)>,
    depth: usize,
) {
    use hcl_edit::Span as _;
    use hcl_edit::expr::Expression;
    if depth > MAX_NESTING {
        return;
    }
    match e {
        Expression::Object(o) => {
            if let Some(r) = o.span() {
                out.push((
                    source.line_of(r.start),
                    source.line_of(r.end.saturating_sub(1)),
                ));
            }
            for (_, v) in o.iter() {
                collect_objects(v.expr(), source, out, depth + 1);
            }
        }
        Expression::Array(a) => a
            .iter()
            .for_each(|x| collect_objects(x, source, out, depth + 1)),
        Expression::FuncCall(f) => f
            .args
            .iter()
            .for_each(|x| collect_objects(x, source, out, depth + 1)),
        Expression::Parenthesis(p) => collect_objects(p.inner(), source, out, depth + 1),
        _ => {}
    }
}
