//! CloudFormation templates (YAML or JSON; SAM; CDK output).

pub mod template;
pub mod yaml;

use crate::frontend::json::has_trigger_word;
use crate::model::{Model, ParseError};
use crate::source::{FileId, SourceFile};

/// Reads a YAML file: a CloudFormation template becomes model pieces; other YAML is skipped
/// without a word; a file that does not parse is TG012 when it names CloudFormation things.
pub fn read_yaml(file: FileId, source: &SourceFile) -> Model {
    read_yaml_lined(file, source).0
}

/// [`read_yaml`], and whether the text parsed and is line-shaped ([`yaml::parse_lined`]).
pub fn read_yaml_lined(file: FileId, source: &SourceFile) -> (Model, bool) {
    read(file, source, None)
}

/// [`read_yaml`] of a prepared Jinja template: strings touching the expressions (ranges of
/// `original`) are unknown values.
pub fn read_yaml_masked(
    file: FileId,
    source: &SourceFile,
    masked: Option<(&[std::ops::Range<usize>], &str)>,
) -> Model {
    read(file, source, masked).0
}

fn read(
    file: FileId,
    source: &SourceFile,
    masked: Option<(&[std::ops::Range<usize>], &str)>,
) -> (Model, bool) {
    // A template names `AWSTemplateFormatVersion` or an `AWS::` type; without those (or the
    // words that make a parse error worth reporting, or an escape that could spell them) the
    // YAML (Kubernetes manifests, CI files…) is not parsed at all.
    let text = &source.text;
    if !has_trigger_word(text) && !text.contains("\\") {
        return (Model::default(), false);
    }
    match yaml::parse_lined(&source.text, file) {
        Ok((mut root, lined)) => {
            if let Some((exprs, original)) = masked {
                crate::frontend::jinja::mask(&mut root, exprs, original);
            }
            if !template::is_template(&root) {
                return (Model::default(), lined);
            }
            let mut m = template::read(file, source, &root, false);
            let sup = template::comment_suppressions(file, source, &root, &m);
            m.suppressions.extend(sup);
            (m, lined)
        }
        Err((span, message)) => {
            let mut m = Model::default();
            if has_trigger_word(&source.text) {
                m.parse_errors.push(ParseError {
                    span,
                    message: format!("the file cannot be parsed as YAML: {message}"),
                });
            }
            (m, false)
        }
    }
}
