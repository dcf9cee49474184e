//! Reading one file: its bytes through the file-access module, then its frontend.

use crate::discover::{self, Format};
use crate::model::{self, Model, Notice};
use crate::source::SourceFile;
use crate::{frontend, fs};
use std::path::Path;

/// Files larger than this are skipped with a notice.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// One file read: its source (empty when skipped), its model pieces, whether it was scanned,
/// and, for Terraform, its parsed body (and whether it is a tfvars file).
pub(super) struct Read {
    pub(super) source: SourceFile,
    pub(super) model: Model,
    pub(super) scanned: bool,
    pub(super) hcl: Option<(hcl_edit::structure::Body, bool)>,
    /// For `.tf.json`: the HCL text the body was parsed from, and its map back to the file.
    pub(super) generated: Option<(String, frontend::terraform::json_syntax::SpanMap)>,
    /// A `.tf` (false) or tfvars (true) file, read but not parsed yet.
    pub(super) terraform: Option<bool>,
    /// A file that looks like it holds a policy but gave the rules nothing: why.
    pub(super) skipped: Option<String>,
}

impl Read {
    /// A file its frontend has read completely (nothing left for the Terraform stage).
    fn done(source: SourceFile, model: Model, scanned: bool, skipped: Option<String>) -> Read {
        Read {
            source,
            model,
            scanned,
            hcl: None,
            generated: None,
            terraform: None,
            skipped,
        }
    }
}

/// A Jinja/Nunjucks template (see [`frontend::jinja`]): read with its expressions unknown;
/// what does not parse, or parses to nothing, is skipped without a word.
fn read_jinja(id: u32, path: &Path, display: String, text: String, format: Option<Format>) -> Read {
    let (prepared, exprs) = frontend::jinja::prepare(&text);
    let masked = Some((exprs.as_slice(), text.as_str()));
    // A policy kept as `policy.j2`: JSON, whatever the name says.
    let format = match format {
        Some(Format::Yaml) if prepared.trim_start().starts_with('{') => Some(Format::Json),
        f => f,
    };
    let mut model = match format {
        Some(Format::Json) => frontend::json::read_file_masked(id, &display, &prepared, masked),
        Some(Format::Yaml) => {
            let source = SourceFile::new(path.to_path_buf(), display.clone(), prepared);
            frontend::cloudformation::read_yaml_masked(id, &source, masked)
        }
        _ => Model::default(),
    };
    model.parse_errors.clear();
    model.notices.clear();
    let empty = model.is_empty();
    Read::done(
        // Snippets show the template as written: the positions are the same.
        SourceFile::new(
            path.to_path_buf(),
            display,
            if empty { String::new() } else { text.clone() },
        ),
        model,
        true,
        (empty && policy_looking(&text)).then(|| {
            "a Jinja template that is not a CloudFormation template or policy once its expressions are unknown".to_string()
        }),
    )
}

/// Whether a text looks like it holds a CloudTrail-related policy (for `--explain-reach`).
fn policy_looking(text: &str) -> bool {
    text.contains("cloudtrail.amazonaws.com") || text.contains("\"Statement\"")
}

/// Reads one file and runs its frontend.
pub(super) fn read_one(roots: &fs::Roots, id: u32, path: &Path, explicit: bool) -> Read {
    let display = discover::display_path(path);
    let mut model = Model::default();
    let skipped = |mut model: Model, message: String| {
        model.notices.push(Notice::new(display.clone(), message));
        let source = SourceFile::new(path.to_path_buf(), display.clone(), String::new());
        Read::done(source, model, false, None)
    };
    let bytes = match roots.read(path, MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(e) => return skipped(model, format!("skipped: {e}")),
    };
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return skipped(model, "skipped: binary file (it contains NUL bytes)".into());
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            return skipped(
                model,
                format!("skipped: the file is not UTF-8 (invalid byte at offset {at})"),
            );
        }
    };
    let format = discover::format_of(path).or_else(|| {
        // A file named explicitly with another name: JSON if it looks like JSON.
        (explicit && text.trim_start().starts_with('{')).then_some(Format::Json)
    });
    if discover::is_jinja_name(&display) {
        return read_jinja(id, path, display, text, format);
    }
    let mut hcl = None;
    let mut generated = None;
    let mut terraform = None;
    let scanned = match format {
        Some(Format::Json) => {
            if frontend::json::may_matter(&text, &display) {
                model = frontend::json::read_file(id, &display, &text);
            }
            if model.is_empty() {
                // Nothing here for the rules (another tool's JSON): keep no copy of the text.
                let why = policy_looking(&text).then(|| {
                    "JSON, but no bucket or key policy, template, plan or CLI output: a document without a principal, or with no s3:/kms: actions, is an identity or other service's policy".to_string()
                });
                let source = SourceFile::new(path.to_path_buf(), display, String::new());
                return Read::done(source, model, true, why);
            }
            true
        }
        Some(Format::Terraform | Format::TerraformVars) => {
            // Parsed later, and only in directories that can hold what the rules read.
            terraform = Some(format == Some(Format::TerraformVars));
            true
        }
        Some(Format::TerraformJson) => {
            let offsets = frontend::json_nodes::OffsetMap {
                file: id,
                base: 0,
                map: None,
            };
            match frontend::json_nodes::parse_nodes(&text, offsets) {
                Ok(root) => {
                    let (hcl_text, map) =
                        frontend::terraform::json_syntax::to_hcl(&root, &text, id);
                    let mut scratch = Model::default();
                    hcl =
                        frontend::terraform::parse(id, &hcl_text, &mut scratch).map(|b| (b, false));
                    if hcl.is_none() && !scratch.parse_errors.is_empty() {
                        // Valid JSON that is not Terraform's JSON syntax: said, not skipped.
                        model.notices.push(Notice::new(
                            display.clone(),
                            "not read: the file is JSON but not Terraform's JSON syntax",
                        ));
                    }
                    generated = Some((hcl_text, map));
                }
                Err((span, message)) => {
                    if frontend::json::has_trigger_word(&text) {
                        model.parse_errors.push(model::ParseError {
                            span,
                            message: format!("the file cannot be parsed as JSON: {message}"),
                        });
                    }
                }
            }
            true
        }
        Some(Format::Yaml) => {
            let mut source = SourceFile::new(path.to_path_buf(), display.clone(), text);
            let model = frontend::cloudformation::read_yaml(id, &source);
            let mut skipped = None;
            if model.is_empty() {
                if policy_looking(&source.text) {
                    skipped = Some(
                        "YAML, but not a CloudFormation template (no AWSTemplateFormatVersion, no resource of an AWS:: type), or a template with no bucket, key, trail or policy".to_string(),
                    );
                }
                source.forget_text();
            }
            return Read::done(source, model, true, skipped);
        }
        None => {
            if explicit {
                model.notices.push(Notice::new(
                    display.clone(),
                    "skipped: trailguard does not read this kind of file yet",
                ));
            }
            false
        }
    };
    Read {
        source: SourceFile::new(path.to_path_buf(), display, text),
        model,
        scanned,
        hcl,
        generated,
        terraform,
        skipped: None,
    }
}
