//! Reading one file: its bytes through the file-access module, then its frontend.

use crate::discover::{self, Format};
use crate::frontend::terraform::stage::Pending;
use crate::fs::MAX_FILE_BYTES;
use crate::model::{Model, Notice};
use crate::source::SourceFile;
use crate::{frontend, fs};
use std::path::Path;

/// One file read: its source (empty when skipped), its model pieces, whether it was scanned,
/// and what it leaves for the Terraform stage.
pub(super) struct Read {
    pub(super) source: SourceFile,
    pub(super) model: Model,
    pub(super) scanned: bool,
    pub(super) terraform: Option<Pending>,
    /// A file that looks like it holds a policy but gave the rules nothing: why.
    pub(super) skipped: Option<String>,
}

impl Read {
    /// A file its frontend has read completely (nothing left for the Terraform stage).
    fn done(source: SourceFile, mut model: Model, scanned: bool, skipped: Option<String>) -> Read {
        model.shrink_to_fit();
        Read {
            source,
            model,
            scanned,
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
    let text = match read_text(roots, path, explicit) {
        Ok(t) => t,
        Err(message) => {
            let mut model = Model::default();
            model.notices.push(Notice::new(display.clone(), message));
            let source = SourceFile::new(path.to_path_buf(), display, String::new());
            return Read::done(source, model, false, None);
        }
    };
    let format = discover::format_of(path).or_else(|| {
        // A file named explicitly with another name: JSON if it looks like JSON.
        (explicit && text.trim_start().starts_with('{')).then_some(Format::Json)
    });
    if discover::is_jinja_name(&display) {
        return read_jinja(id, path, display, text, format);
    }
    let source = |text: String| SourceFile::new(path.to_path_buf(), display.clone(), text);
    match format {
        Some(Format::Json) => read_json(id, path, display, text),
        Some(Format::Terraform | Format::TerraformVars) => {
            // Parsed later, and only in directories that can hold what the rules read.
            let vars = format == Some(Format::TerraformVars);
            let facts = frontend::terraform::TextFacts::of(&text);
            // A `.tf` file that cannot inform its module is never parsed: its text goes now
            // (`file()` reads it again should a module ask).
            let text = if vars || facts.informs {
                text
            } else {
                String::new()
            };
            Read {
                terraform: Some(Pending::Text { vars, facts }),
                ..Read::done(source(text), Model::default(), true, None)
            }
        }
        Some(Format::TerraformJson) => {
            let source = source(text);
            let mut model = Model::default();
            let pending = frontend::terraform::read_json_syntax(id, &source, &mut model);
            Read {
                terraform: pending,
                ..Read::done(source, model, true, None)
            }
        }
        Some(Format::Yaml) => read_yaml(id, source(text)),
        None => {
            let mut model = Model::default();
            if explicit {
                model.notices.push(Notice::new(
                    display.clone(),
                    "skipped: trailguard does not read this kind of file yet",
                ));
            }
            Read::done(source(text), model, false, None)
        }
    }
}

/// A file's text, or why it is skipped.
fn read_text(roots: &fs::Roots, path: &Path, explicit: bool) -> Result<String, String> {
    let bytes = if explicit {
        roots.read(path, MAX_FILE_BYTES)
    } else {
        roots.read_walked(path, MAX_FILE_BYTES)
    }
    .map_err(|e| format!("skipped: {e}"))?;
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err("skipped: binary file (it contains NUL bytes)".into());
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        format!("skipped: the file is not UTF-8 (invalid byte at offset {at})")
    })
}

/// A JSON file: a policy, template, plan or CLI output; another tool's JSON keeps no text.
fn read_json(id: u32, path: &Path, display: String, text: String) -> Read {
    let model = frontend::json::read_if_worth(id, &display, &text);
    if model.is_empty() {
        // Nothing here for the rules (another tool's JSON): keep no copy of the text.
        let why = policy_looking(&text).then(|| {
            "JSON, but no bucket or key policy, template, plan or CLI output: a document without a principal, or with no s3:/kms: actions, is an identity or other service's policy".to_string()
        });
        let source = SourceFile::new(path.to_path_buf(), display, String::new());
        return Read::done(source, model, true, why);
    }
    Read::done(
        SourceFile::new(path.to_path_buf(), display, text),
        model,
        true,
        None,
    )
}

/// A YAML file: a CloudFormation template; another YAML file keeps no text.
fn read_yaml(id: u32, mut source: SourceFile) -> Read {
    let (model, lined) = frontend::cloudformation::read_yaml_lined(id, &source);
    source.yaml_lined = lined;
    let mut skipped = None;
    if model.is_empty() {
        if policy_looking(&source.text) {
            skipped = Some(
                "YAML, but not a CloudFormation template (no AWSTemplateFormatVersion, no resource of an AWS:: type), or a template with no bucket, key, trail or policy".to_string(),
            );
        }
        source.forget_text();
    }
    Read::done(source, model, true, skipped)
}
