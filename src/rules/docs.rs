//! The rule pages (rules/TGnnn.md), embedded in the binary for `explain` and SARIF help.

/// The Markdown page of a rule (empty for an unknown ID).
pub fn page(id: &str) -> &'static str {
    super::ALL
        .iter()
        .find(|r| r.meta.id == id)
        .map_or("", |r| r.page)
}

/// The first paragraph of the page's "What it does" section.
pub fn description(id: &str) -> &'static str {
    let p = page(id);
    let Some(at) = p.find("## What it does") else {
        return "";
    };
    let rest = p[at + "## What it does".len()..].trim_start();
    let end = rest.find("\n\n").unwrap_or(rest.len());
    rest[..end].trim()
}
