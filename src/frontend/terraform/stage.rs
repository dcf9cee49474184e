//! The scan's Terraform stage: once every file is read, the `.tf` and tfvars files (held as
//! text) and the `.tf.json` files (parsed from the HCL they stand for) are evaluated module by
//! module ([`super::units::evaluate_scan`]); files read in a module's context replace their
//! standalone reading, and files nothing can matter in drop their text.

use super::TextFacts;
use super::json_syntax::SpanMap;
use super::units::{TfFile, evaluate_scan};
use crate::frontend::json::has_trigger_word;
use crate::frontend::json_nodes::{OffsetMap, parse_nodes};
use crate::fs::Roots;
use crate::model::{Model, Notice, ParseError};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use hcl_edit::structure::Body;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// What reading a file left for this stage.
pub enum Pending {
    /// A `.tf` (`vars: false`) or tfvars (`vars: true`) file, read but not parsed yet, and
    /// what its text says before parsing. A `.tf` file that cannot inform its module keeps
    /// no text.
    Text { vars: bool, facts: TextFacts },
    /// A `.tf.json` file: the HCL it stands for, parsed, and the map of that text back to the
    /// file.
    Generated {
        body: Body,
        text: String,
        map: SpanMap,
    },
}

/// Reads a `.tf.json` file as the HCL it stands for, parsed here and evaluated in the stage.
/// JSON that is not Terraform's JSON syntax is a notice; broken JSON naming what the rules
/// read is a parse error.
pub fn read_json_syntax(id: FileId, source: &SourceFile, model: &mut Model) -> Option<Pending> {
    let offsets = OffsetMap {
        file: id,
        base: 0,
        map: None,
    };
    match parse_nodes(&source.text, offsets) {
        Ok(root) => {
            let (text, map) = super::json_syntax::to_hcl(&root, &source.text, id);
            let mut scratch = Model::default();
            let body = super::parse(id, &text, &mut scratch);
            if body.is_none() && !scratch.parse_errors.is_empty() {
                // Valid JSON that is not Terraform's JSON syntax: said, not skipped.
                model.notices.push(Notice::new(
                    source.display.clone(),
                    "not read: the file is JSON but not Terraform's JSON syntax",
                ));
            }
            body.map(|body| Pending::Generated { body, text, map })
        }
        Err((span, message)) => {
            if has_trigger_word(&source.text) {
                model.parse_errors.push(ParseError {
                    span,
                    message: format!("the file cannot be parsed as JSON: {message}"),
                });
            }
            None
        }
    }
}

/// The Terraform files of the scan, as reading found them.
#[derive(Default)]
pub struct Stage {
    /// `.tf` and tfvars files, unparsed.
    text: Vec<TfFile>,
    /// `.tf.json` files.
    generated: Vec<Generated>,
}

/// A `.tf.json` file read as the HCL it stands for.
struct Generated {
    path: PathBuf,
    /// The path as shown.
    display: String,
    body: Body,
    text: String,
    map: SpanMap,
}

/// Where findings in generated files are taken back to: the `.tf.json` file's positions.
pub type SpanMaps = HashMap<FileId, SpanMap>;

/// What the rest of the scan hears from the stage.
pub struct Outcome {
    pub span_maps: SpanMaps,
    /// Files read in a module's context (paths as shown): they are not skipped files.
    pub read_in_context: HashSet<String>,
    /// Files with `cloudtrail.amazonaws.com` that were not parsed, with why.
    pub skipped: Vec<(String, String)>,
}

impl Stage {
    /// Takes what reading the file `id` (shown as `display`, at `path`) left.
    pub fn add(&mut self, id: FileId, path: PathBuf, display: String, pending: Pending) {
        match pending {
            Pending::Text { vars, facts } => self.text.push(TfFile::Unparsed {
                id,
                is_vars: vars,
                facts,
            }),
            Pending::Generated { body, text, map } => self.generated.push(Generated {
                path,
                display,
                body,
                text,
                map,
            }),
        }
    }

    /// Evaluates the scan's Terraform into `model`. `reported` tells which files are reported
    /// (not read only as context).
    pub fn run(
        self,
        sources: &mut SourceMap,
        roots: &Roots,
        model: &mut Model,
        reported: &dyn Fn(FileId) -> bool,
    ) -> Outcome {
        let unparsed: Vec<(FileId, bool)> = self
            .text
            .iter()
            .map(|f| match f {
                TfFile::Unparsed { id, facts, .. } => (*id, facts.principal),
                TfFile::Parsed { id, .. } => (*id, false),
            })
            .collect();
        let mut tf_files: Vec<(PathBuf, TfFile)> = self
            .text
            .into_iter()
            .map(|f| (sources.get(f.id()).path.clone(), f))
            .collect();
        // `.tf.json` files are read as the HCL they stand for, in files of their own after the
        // scanned ones; findings there are taken back to the JSON file.
        let mut span_maps = HashMap::new();
        for Generated {
            path,
            display,
            body,
            text,
            map,
        } in self.generated
        {
            let id = sources.files.len() as FileId;
            sources
                .files
                .push(SourceFile::new(path.clone(), display, text));
            let is_vars = false;
            tf_files.push((path, TfFile::Parsed { id, body, is_vars }));
            span_maps.insert(id, map);
        }
        let mut outcome = Outcome {
            span_maps,
            read_in_context: HashSet::new(),
            skipped: vec![],
        };
        if tf_files.is_empty() {
            return outcome;
        }
        let files_by_path: HashMap<PathBuf, FileId> = sources
            .files
            .par_iter()
            .enumerate()
            .map(|(i, f)| (crate::fs::lexical_absolute(&f.path), i as FileId))
            .collect();
        let tf = evaluate_scan(sources, roots, tf_files, &files_by_path);
        let consumed = tf.found.consumed.into_inner().unwrap_or_default();
        outcome.skipped = forget_unparsed(&unparsed, &tf.parsed, &consumed, sources, reported);
        let extra = tf.found.extra.into_inner().unwrap_or_default();
        let refused = tf.found.refused.into_inner().unwrap_or_default();
        // A file read in a module's context: that result replaces the standalone one.
        model
            .policies
            .retain(|p| !(p.standalone && consumed.contains(&p.span.file)));
        // Nor is a template that could not be read on its own worth a word when its caller
        // reads it.
        let consumed_paths: HashSet<String> = consumed
            .iter()
            .map(|&id| sources.get(id).display.clone())
            .collect();
        model.notices.retain(|n| {
            !(n.message.starts_with("template skipped") && consumed_paths.contains(&n.path))
        });
        // Nor is a file read in a module's context one that was not read.
        outcome.read_in_context = consumed_paths;
        outcome
            .read_in_context
            .extend(extra.iter().map(|f| f.display.clone()));
        model.extend(tf.model);
        sources.files.extend(extra);
        refused_notices(refused, sources, &outcome.span_maps, model);
        outcome
    }
}

/// Terraform files that were not parsed (nothing in their directories can matter): their text
/// is not needed any more. (Files that were parsed keep it, broken ones too: TG012 points
/// there; so do files a module read with `file()`: findings may point there.) Reported files
/// that name CloudTrail's principal are listed as skipped, with why.
fn forget_unparsed(
    unparsed: &[(FileId, bool)],
    parsed: &HashSet<FileId>,
    consumed: &HashSet<FileId>,
    sources: &mut SourceMap,
    reported: &dyn Fn(FileId) -> bool,
) -> Vec<(String, String)> {
    let mut skipped = vec![];
    for &(id, principal) in unparsed {
        if parsed.contains(&id) || consumed.contains(&id) {
            continue;
        }
        let file = &mut sources.files[id as usize];
        if reported(id) && principal {
            skipped.push((
                file.display.clone(),
                "Terraform not parsed: nothing in its directory is a bucket, key, trail or policy document, or calls a local module".into(),
            ));
        }
        file.forget_text();
    }
    skipped
}

/// The references `file()`/`templatefile()` were refused, as notices at their positions.
fn refused_notices(
    mut refused: Vec<(Span, String)>,
    sources: &SourceMap,
    span_maps: &SpanMaps,
    model: &mut Model,
) {
    refused.sort_by(|(a, m), (b, n)| (a.file, a.start, m).cmp(&(b.file, b.start, n)));
    refused.dedup();
    for (span, message) in refused {
        let span = span_maps
            .get(&span.file)
            .map_or(span, |m| m.translate(span));
        model.notices.push(Notice {
            path: sources.get(span.file).display.clone(),
            message,
            at: Some(sources.start(span)),
        });
    }
}
