//! Applying fixes to a file's text: fixes whose edits would overlap are left for the next
//! round (like ruff), a file's edits are applied from the end backwards.

use super::{Edit, Fix};

/// The fixes of one file that can be applied together, in order: each one whose edits touch
/// none of an earlier one's.
pub fn compatible<'a>(fixes: impl IntoIterator<Item = &'a Fix>) -> Vec<&'a Fix> {
    let mut taken: Vec<&Fix> = vec![];
    let mut ranges: Vec<(u32, u32)> = vec![];
    for f in fixes {
        let clash = f.edits.iter().any(|e| {
            ranges
                .iter()
                .any(|&(s, t)| e.span.start <= t && s <= e.span.end)
        });
        if !clash {
            ranges.extend(f.edits.iter().map(|e| (e.span.start, e.span.end)));
            taken.push(f);
        }
    }
    taken
}

/// The text with the edits applied (they must not overlap).
pub fn apply(text: &str, edits: &[&Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| std::cmp::Reverse((e.span.start, e.span.end)));
    let mut out = text.to_string();
    for e in sorted {
        let (s, t) = (e.span.start as usize, e.span.end as usize);
        if t <= out.len() && out.is_char_boundary(s) && out.is_char_boundary(t) {
            out.replace_range(s..t, &e.text);
        }
    }
    out
}

/// A unified diff of one file (`a/PATH`, `b/PATH` headers, for `patch -p1`).
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Whether `text` with `edits` applied still parses as its kind of file. `yaml_lined`: `text`
/// is line-shaped YAML ([`crate::source::SourceFile::yaml_lined`]), so that one edit of it can
/// be judged from its line instead of parsing the edited text again. (Such an edit keeps the
/// first character that is not white space, so the edited text is of the same kind.)
pub fn still_parses(path: &std::path::Path, text: &str, edits: &[&Edit], yaml_lined: bool) -> bool {
    if let [e] = edits
        && yaml_lined
        && kind(path, text) == Kind::Yaml
        && crate::frontend::cloudformation::yaml::line_edit_keeps_parse(
            text,
            e.span.start as usize,
            e.span.end as usize,
            &e.text,
        )
    {
        return true;
    }
    parses(path, &apply(text, edits))
}

/// How a text is checked to parse.
#[derive(PartialEq)]
enum Kind {
    Hcl,
    Json,
    Yaml,
    Other,
}

fn kind(path: &std::path::Path, text: &str) -> Kind {
    let name = path.to_string_lossy().to_ascii_lowercase();
    let t = text.trim_start();
    if name.ends_with(".tf") || name.ends_with(".hcl") || name.ends_with(".tfvars") {
        Kind::Hcl
    } else if t.starts_with('{') || t.starts_with('[') {
        Kind::Json
    } else if name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".template") {
        Kind::Yaml
    } else {
        Kind::Other
    }
}

/// Whether an edited text still parses as its kind of file.
pub fn parses(path: &std::path::Path, text: &str) -> bool {
    match kind(path, text) {
        Kind::Hcl => hcl_edit::parser::parse_body(text).is_ok(),
        // Strict JSON first (fast, and JSON with comments is a superset of it), where that
        // check cannot let through what the frontend refuses.
        Kind::Json => {
            crate::frontend::json::surely_parses(text)
                || jsonc_parser::parse_to_value(text, &Default::default()).is_ok()
        }
        Kind::Yaml => crate::frontend::cloudformation::yaml::check(text),
        Kind::Other => true,
    }
}
