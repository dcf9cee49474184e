//! `trailguard explain`: a rule's Markdown page rendered for a terminal (headings, wrapped
//! paragraphs, indented code blocks), optionally narrowed to the examples of one input format.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// Which examples of a page to keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExampleFormat {
    Terraform,
    Cloudformation,
    Json,
}

impl ExampleFormat {
    /// The words that open this format's example paragraphs in the pages.
    fn lead(self) -> &'static str {
        match self {
            ExampleFormat::Terraform => "Terraform (",
            ExampleFormat::Cloudformation => "CloudFormation (",
            ExampleFormat::Json => "Policy JSON (",
        }
    }
}

const LEADS: [&str; 3] = ["Terraform (", "CloudFormation (", "Policy JSON ("];

/// The page with, in its example sections, only the examples of `keep` (all when `None`).
/// An example runs from its lead line ("Terraform (`main.tf`):") to the next lead line or
/// heading; text outside examples is kept as it is.
pub fn narrow(page: &str, keep: Option<ExampleFormat>) -> String {
    let Some(keep) = keep else {
        return page.to_string();
    };
    let mut out = String::with_capacity(page.len());
    let mut dropping = false;
    let mut fenced = false;
    for line in page.split_inclusive('\n') {
        if line.starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            if line.starts_with('#') {
                dropping = false;
            } else if LEADS.iter().any(|l| line.starts_with(l)) {
                dropping = !line.starts_with(keep.lead());
            }
        }
        if !dropping {
            out.push_str(line);
        }
    }
    out
}

/// Styles of the rendering; empty strings without colour.
struct Styles {
    heading: &'static str,
    code: &'static str,
    strong: &'static str,
    reset: &'static str,
}

const COLOR: Styles = Styles {
    heading: "\x1b[1;4m",
    code: "\x1b[36m",
    strong: "\x1b[1m",
    reset: "\x1b[0m",
};
const PLAIN: Styles = Styles {
    heading: "",
    code: "",
    strong: "",
    reset: "",
};

/// The Markdown `page` rendered for a terminal `width` columns wide: the title and section
/// headings on lines of their own (underlined in colour, capitalised without), paragraphs
/// and list items wrapped, code blocks indented by four spaces and never wrapped, inline
/// code in colour (or kept in backticks without colour), links followed by their address.
pub fn render(page: &str, color: bool, width: usize) -> String {
    let st = if color { &COLOR } else { &PLAIN };
    let width = width.clamp(40, 120);
    let mut out = String::with_capacity(page.len());
    let mut text = String::new(); // the paragraph or item being gathered
    let mut code: Option<String> = None;
    let mut heading: Option<HeadingLevel> = None;
    let mut link: Option<String> = None;
    let mut item_depth = 0usize;
    for event in Parser::new(page) {
        if let Some(block) = code.as_mut() {
            match event {
                Event::Text(t) => block.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    for line in block.lines() {
                        out.push_str("    ");
                        out.push_str(st.code);
                        out.push_str(line);
                        out.push_str(st.reset);
                        out.push('\n');
                    }
                    out.push('\n');
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(_)) => code = Some(String::new()),
            Event::Start(Tag::Heading { level, .. }) => heading = Some(level),
            Event::End(TagEnd::Heading(_)) => {
                let title = std::mem::take(&mut text);
                let title = if color || heading != Some(HeadingLevel::H2) {
                    title
                } else {
                    title.to_uppercase()
                };
                out.push_str(st.heading);
                out.push_str(title.trim());
                out.push_str(st.reset);
                out.push_str("\n\n");
                heading = None;
            }
            Event::Start(Tag::Item) => item_depth += 1,
            Event::End(TagEnd::Item) => {
                flush(&mut out, &mut text, width, item_depth);
                item_depth -= 1;
            }
            Event::End(TagEnd::List(_)) if item_depth == 0 => out.push('\n'),
            Event::End(TagEnd::Paragraph) => {
                flush(&mut out, &mut text, width, item_depth);
                if item_depth == 0 {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Strong) => text.push_str(st.strong),
            Event::End(TagEnd::Strong) => text.push_str(st.reset),
            Event::Start(Tag::Link { dest_url, .. }) => link = Some(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = link.take().filter(|u| !text.ends_with(u.as_str())) {
                    text.push_str(&format!(" <{url}>"));
                }
            }
            Event::Code(c) if color => {
                text.push_str(st.code);
                text.push_str(&c);
                text.push_str(st.reset);
            }
            Event::Code(c) => {
                text.push('`');
                text.push_str(&c);
                text.push('`');
            }
            Event::Text(t) => text.push_str(&t),
            Event::SoftBreak => text.push(' '),
            Event::HardBreak => text.push('\n'),
            _ => {}
        }
    }
    flush(&mut out, &mut text, width, item_depth);
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Writes the gathered `text` wrapped to `width`, as a list item at `depth` when inside one.
fn flush(out: &mut String, text: &mut String, width: usize, depth: usize) {
    let t = std::mem::take(text);
    let t = t.trim();
    if t.is_empty() {
        return;
    }
    let (first, rest) = if depth == 0 {
        (String::new(), String::new())
    } else {
        let pad = "  ".repeat(depth - 1);
        (format!("{pad}- "), format!("{pad}  "))
    };
    let opts = textwrap::Options::new(width)
        .initial_indent(&first)
        .subsequent_indent(&rest)
        .break_words(false);
    for line in textwrap::wrap(t, opts) {
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "# TG999 demo\n\n## What it does\nChecks `a` and **b**, see [AWS](https://docs.aws/x).\n\n## Example\nTerraform (`main.tf`):\n\n```hcl\nresource \"x\" \"y\" {}\n```\n\nCloudFormation (`template.yaml`):\n\n```yaml\nResources: {}\n```\n\nPolicy JSON (`policy.json`):\n\n```json\n{}\n```\n\n## References\n- [One](https://one)\n- two\n";

    #[test]
    fn narrowing_keeps_only_the_chosen_examples_and_the_prose() {
        let t = narrow(PAGE, Some(ExampleFormat::Cloudformation));
        assert!(t.contains("Resources: {}"), "{t}");
        assert!(!t.contains("resource \"x\""), "{t}");
        assert!(!t.contains("{}\n```\n\n## References") || t.contains("Resources"));
        assert!(!t.contains("Policy JSON"), "{t}");
        assert!(t.contains("## References"), "{t}");
        assert!(t.contains("Checks `a`"), "{t}");
        assert_eq!(narrow(PAGE, None), PAGE);
    }

    #[test]
    fn rendering_has_no_markdown_markup_and_indents_code() {
        let r = render(PAGE, false, 80);
        assert!(r.starts_with("TG999 demo\n\nWHAT IT DOES\n"), "{r}");
        assert!(!r.contains("```"), "{r}");
        assert!(!r.contains("**"), "{r}");
        assert!(!r.contains("## "), "{r}");
        assert!(r.contains("\n    resource \"x\" \"y\" {}\n"), "{r}");
        assert!(r.contains("AWS <https://docs.aws/x>"), "{r}");
        assert!(r.contains("- One <https://one>\n- two"), "{r}");
        assert!(r.lines().all(|l| l == l.trim_end()), "{r}");
    }

    #[test]
    fn paragraphs_wrap_at_the_width_but_code_does_not() {
        let long = format!(
            "# T\n\n{}\n\n```\n{}\n```\n",
            "word ".repeat(60),
            "x".repeat(200)
        );
        let r = render(&long, false, 50);
        for l in r.lines().filter(|l| !l.starts_with("    ")) {
            assert!(l.chars().count() <= 50, "{l}");
        }
        assert!(r.contains(&"x".repeat(200)));
    }

    #[test]
    fn colour_uses_escapes_only_when_asked() {
        assert!(render(PAGE, true, 80).contains("\x1b["));
        assert!(!render(PAGE, false, 80).contains('\x1b'));
    }
}
