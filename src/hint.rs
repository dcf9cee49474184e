//! Fix hints written in the syntax of the file they point into: JSON in policy documents,
//! HCL object syntax inside `jsonencode(…)`, `condition`/`principals` blocks in an
//! `aws_iam_policy_document`, YAML in a CloudFormation template.

use std::fmt::Write as _;
use std::path::Path;

/// How the statement a hint is about is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Json,
    /// HCL object syntax (`jsonencode({ Effect = "Allow" … })`).
    Hcl,
    /// A `statement` block of a Terraform `aws_iam_policy_document` data source.
    PolicyDocument,
    Yaml,
}

/// How much of the Condition the statement already has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    /// No Condition block.
    Nothing,
    /// A Condition block, but not the operator.
    Block,
    /// The Condition block has the operator already.
    Operator,
}

#[derive(Clone, Debug)]
enum Piece {
    Text(String),
    /// A condition to add: operator, key, value.
    Condition {
        op: &'static str,
        key: &'static str,
        value: String,
        existing: Existing,
    },
    /// `{"Service": NAME}` as a Principal.
    ServicePrincipal(&'static str),
}

/// A hint made of prose and policy fragments, rendered once the file's syntax is known.
#[derive(Clone, Debug, Default)]
pub struct Hint {
    pieces: Vec<Piece>,
}

impl Hint {
    pub fn text(mut self, t: impl Into<String>) -> Hint {
        self.pieces.push(Piece::Text(t.into()));
        self
    }

    /// "add" the condition `op: {key: value}`, worded for what the statement already has.
    pub fn condition(
        mut self,
        op: &'static str,
        key: &'static str,
        value: impl Into<String>,
        existing: Existing,
    ) -> Hint {
        self.pieces.push(Piece::Condition {
            op,
            key,
            value: value.into(),
            existing,
        });
        self
    }

    pub fn service_principal(mut self, service: &'static str) -> Hint {
        self.pieces.push(Piece::ServicePrincipal(service));
        self
    }

    pub fn render(&self, syntax: Syntax) -> String {
        let mut s = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => s.push_str(t),
                Piece::Condition {
                    op,
                    key,
                    value,
                    existing,
                } => condition(&mut s, syntax, op, key, value, *existing),
                Piece::ServicePrincipal(service) => principal(&mut s, syntax, service),
            }
        }
        s
    }
}

fn condition(s: &mut String, syntax: Syntax, op: &str, key: &str, value: &str, e: Existing) {
    if syntax == Syntax::PolicyDocument {
        let _ = write!(
            s,
            "add a condition block {{ test = \"{op}\", variable = \"{key}\", values = [{}] }} to the statement",
            quoted(value)
        );
        return;
    }
    let pair = member(syntax, key, &scalar(syntax, value));
    let _ = match e {
        Existing::Nothing => {
            let inner = object(syntax, &[member(syntax, op, &object(syntax, &[pair]))]);
            write!(s, "add {}", member(syntax, "Condition", &inner))
        }
        Existing::Block => write!(
            s,
            "add {} to the statement's Condition",
            member(syntax, op, &object(syntax, &[pair]))
        ),
        Existing::Operator => write!(s, "add {pair} to the Condition's {op}"),
    };
}

fn principal(s: &mut String, syntax: Syntax, service: &str) {
    if syntax == Syntax::PolicyDocument {
        let _ = write!(
            s,
            "principals {{ type = \"Service\", identifiers = [{}] }}",
            quoted(service)
        );
        return;
    }
    s.push_str(&object(
        syntax,
        &[member(syntax, "Service", &scalar(syntax, service))],
    ));
}

fn member(syntax: Syntax, key: &str, value: &str) -> String {
    match syntax {
        Syntax::Json => format!("{}: {value}", quoted(key)),
        Syntax::Hcl | Syntax::PolicyDocument => {
            let plain = key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                && key.starts_with(|c: char| c.is_ascii_alphabetic());
            if plain {
                format!("{key} = {value}")
            } else {
                format!("{} = {value}", quoted(key))
            }
        }
        Syntax::Yaml => format!("{}: {value}", scalar(syntax, key)),
    }
}

fn object(syntax: Syntax, members: &[String]) -> String {
    match syntax {
        Syntax::Hcl | Syntax::PolicyDocument => format!("{{ {} }}", members.join(", ")),
        Syntax::Json | Syntax::Yaml => format!("{{{}}}", members.join(", ")),
    }
}

fn scalar(syntax: Syntax, v: &str) -> String {
    match syntax {
        Syntax::Yaml if yaml_plain(v) => v.to_string(),
        _ => quoted(v),
    }
}

/// A string that YAML reads as itself, unquoted, inside a flow mapping.
pub(crate) fn yaml_plain(v: &str) -> bool {
    !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/'))
        && v.starts_with(|c: char| c.is_ascii_alphabetic())
        && !matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        )
}

pub(crate) fn quoted(v: &str) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The syntax a statement is written in, from its file's name and the statement's text.
pub fn syntax_of(path: &Path, statement: &str) -> Syntax {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let t = statement.trim_start();
    let json_like = t.starts_with('{') && t.contains("\":");
    if name.ends_with(".tf") || name.ends_with(".hcl") {
        if t.starts_with("statement") || has_document_attribute(t) {
            Syntax::PolicyDocument
        } else if t.contains("\":") {
            Syntax::Json
        } else {
            Syntax::Hcl
        }
    } else if (name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".template"))
        && !json_like
    {
        Syntax::Yaml
    } else {
        Syntax::Json
    }
}

/// Whether the text has an `aws_iam_policy_document` statement's lower-case attributes.
fn has_document_attribute(t: &str) -> bool {
    ["actions", "effect", "resources", "principals", "sid"]
        .iter()
        .any(|a| {
            t.match_indices(a).any(|(i, _)| {
                let before = t[..i].chars().next_back();
                let after = t[i + a.len()..].trim_start();
                before.is_none_or(|c| c.is_whitespace() || c == '{')
                    && (after.starts_with('=') && !after.starts_with("==")
                        || after.starts_with('{'))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(e: Existing) -> Hint {
        Hint::default().condition("StringEquals", "aws:SourceArn", "arn:aws:x", e)
    }

    #[test]
    fn conditions_read_in_each_syntax() {
        assert_eq!(
            hint(Existing::Nothing).render(Syntax::Json),
            r#"add "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:x"}}"#
        );
        assert_eq!(
            hint(Existing::Nothing).render(Syntax::Hcl),
            r#"add Condition = { StringEquals = { "aws:SourceArn" = "arn:aws:x" } }"#
        );
        assert_eq!(
            hint(Existing::Nothing).render(Syntax::Yaml),
            r#"add Condition: {StringEquals: {"aws:SourceArn": "arn:aws:x"}}"#
        );
        assert_eq!(
            hint(Existing::Block).render(Syntax::Yaml),
            r#"add StringEquals: {"aws:SourceArn": "arn:aws:x"} to the statement's Condition"#
        );
        assert_eq!(
            hint(Existing::Operator).render(Syntax::Json),
            r#"add "aws:SourceArn": "arn:aws:x" to the Condition's StringEquals"#
        );
        assert!(
            hint(Existing::Block)
                .render(Syntax::PolicyDocument)
                .starts_with(r#"add a condition block { test = "StringEquals", variable = "aws:SourceArn", values = ["arn:aws:x"] }"#)
        );
    }

    #[test]
    fn yaml_quotes_what_it_must() {
        assert_eq!(
            scalar(Syntax::Yaml, "cloudtrail.amazonaws.com"),
            "cloudtrail.amazonaws.com"
        );
        assert_eq!(scalar(Syntax::Yaml, "aws:SourceArn"), "\"aws:SourceArn\"");
        assert_eq!(scalar(Syntax::Yaml, "true"), "\"true\"");
        assert_eq!(scalar(Syntax::Yaml, "arn:*"), "\"arn:*\"");
    }

    #[test]
    fn principals_read_in_each_syntax() {
        let h = Hint::default()
            .text("use ")
            .service_principal("cloudtrail.amazonaws.com");
        assert_eq!(
            h.render(Syntax::Json),
            r#"use {"Service": "cloudtrail.amazonaws.com"}"#
        );
        assert_eq!(
            h.render(Syntax::Hcl),
            r#"use { Service = "cloudtrail.amazonaws.com" }"#
        );
        assert_eq!(
            h.render(Syntax::Yaml),
            "use {Service: cloudtrail.amazonaws.com}"
        );
        assert_eq!(
            h.render(Syntax::PolicyDocument),
            r#"use principals { type = "Service", identifiers = ["cloudtrail.amazonaws.com"] }"#
        );
    }

    #[test]
    fn syntax_follows_the_file_and_the_statement() {
        let tf = Path::new("main.tf");
        assert_eq!(
            syntax_of(tf, "statement {\n effect = \"Allow\""),
            Syntax::PolicyDocument
        );
        assert_eq!(
            syntax_of(tf, "{\n    effect = \"Allow\"\n"),
            Syntax::PolicyDocument
        );
        assert_eq!(syntax_of(tf, "{\n Effect = \"Allow\"\n"), Syntax::Hcl);
        assert_eq!(syntax_of(tf, "{\n \"Effect\": \"Allow\"\n"), Syntax::Json);
        let y = Path::new("t.yaml");
        assert_eq!(syntax_of(y, "- Effect: Allow\n"), Syntax::Yaml);
        assert_eq!(syntax_of(y, "{\"Effect\": \"Allow\"}"), Syntax::Json);
        assert_eq!(
            syntax_of(Path::new("t.json"), "{\"Effect\": 1}"),
            Syntax::Json
        );
        assert_eq!(
            syntax_of(Path::new("main.tf.json"), "{\"Effect\": 1}"),
            Syntax::Json
        );
    }
}
