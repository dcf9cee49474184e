//! The rule pages (rules/TGnnn.md), embedded in the binary for `explain` and SARIF help.

macro_rules! pages {
    ($($id:literal),* $(,)?) => {
        /// The Markdown page of a rule.
        pub fn page(id: &str) -> &'static str {
            match id {
                $($id => include_str!(concat!("../../rules/", $id, ".md")),)*
                _ => "",
            }
        }
    };
}

pages!(
    "TG000", "TG001", "TG002", "TG003", "TG004", "TG005", "TG006", "TG007", "TG008", "TG009",
    "TG010", "TG011", "TG012", "TG013", "TG100", "TG101", "TG102", "TG103", "TG104", "TG105",
);

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
