//! Writing new policy text into a file in its own syntax and style: JSON with the file's
//! indentation, HCL object syntax inside `jsonencode(…)`, blocks of an `aws_iam_policy_document`,
//! YAML in block or flow style — and, inside a JSON string (`get-bucket-policy` output, a plan,
//! a quoted Terraform string), escaped so the outer document stays valid.

use super::spell::{Dialect, Seg, Speller};
use crate::hint::{Syntax, quoted as json_quoted, yaml_plain};
use crate::policy::Shape;
use crate::source::Span;
use crate::value::Text;

/// A value to write.
#[derive(Clone, Debug)]
pub enum V {
    Str(Text),
    List(Vec<V>),
    Map(Vec<(String, V)>),
    /// Text of the file, kept as written.
    Raw(String),
}

/// Where an edit goes and how the text there is written.
pub struct Place<'a> {
    pub text: &'a str,
    pub syntax: Syntax,
    pub dialect: Dialect,
    /// The policy is a JSON string inside another document.
    pub escaped: bool,
    /// One level of indentation in this file, found when an edit first needs it
    /// ([`Place::unit`]): most fixes replace a value and never do.
    pub unit: std::borrow::Cow<'a, std::sync::OnceLock<String>>,
    /// The template writes `!Sub` (else `Fn::Sub`).
    pub short_tags: bool,
    /// The file breaks lines with CRLF.
    pub crlf: bool,
    pub speller: std::sync::Arc<Speller>,
}

/// A replacement of a byte range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

impl<'a> Place<'a> {
    /// One level of indentation in this file.
    pub fn unit(&self) -> &str {
        self.unit.get_or_init(|| indent_unit(self.text))
    }

    /// A scalar in this syntax (`None` when a symbol has no spelling here).
    pub fn scalar(&self, t: &Text) -> Option<String> {
        let segs = self.speller.spell(t)?;
        let interpolated = segs.iter().any(|s| matches!(s, Seg::Raw(_)));
        if self.escaped
            && segs
                .iter()
                .any(|s| matches!(s, Seg::Raw(r) if r.contains(['"', '\\'])))
        {
            return None;
        }
        if !interpolated {
            let lit = t.as_str()?;
            return Some(match self.syntax {
                Syntax::Yaml if yaml_plain(lit) => lit.to_string(),
                _ => json_quoted(lit),
            });
        }
        match self.dialect {
            Dialect::Plain => None,
            Dialect::Terraform => Some(quoted_segments(&segs)),
            Dialect::CloudFormation => {
                // A whole value one `Ref` or `GetAtt` gives.
                if let [Seg::Raw(r)] = segs.as_slice()
                    && let Some(name) = r.strip_prefix("${").and_then(|r| r.strip_suffix('}'))
                    && !name.starts_with("AWS::")
                {
                    let yaml = self.syntax == Syntax::Yaml && self.short_tags;
                    return Some(match (name.split_once('.'), yaml) {
                        (None, true) => format!("!Ref {name}"),
                        (None, false) => format!("{{\"Ref\": {}}}", json_quoted(name)),
                        (Some((id, att)), true) => format!("!GetAtt {id}.{att}"),
                        (Some((id, att)), false) => format!(
                            "{{\"Fn::GetAtt\": [{}, {}]}}",
                            json_quoted(id),
                            json_quoted(att)
                        ),
                    });
                }
                let sub = quoted_segments(&segs);
                Some(if self.syntax == Syntax::Yaml && self.short_tags {
                    format!("!Sub {sub}")
                } else {
                    format!("{{\"Fn::Sub\": {sub}}}")
                })
            }
        }
    }

    /// A value, laid out at `indent` (`compact`: on one line).
    pub fn render(&self, v: &V, indent: &str, compact: bool) -> Option<String> {
        let inner = format!("{indent}{}", self.unit());
        Some(match v {
            V::Raw(r) => r.clone(),
            V::Str(t) => self.scalar(t)?,
            V::List(items) => {
                let parts: Option<Vec<String>> =
                    items.iter().map(|i| self.render(i, &inner, true)).collect();
                let parts = parts?;
                if self.syntax == Syntax::Yaml && !compact {
                    parts
                        .iter()
                        .map(|p| format!("\n{inner}- {p}"))
                        .collect::<String>()
                } else {
                    format!("[{}]", parts.join(", "))
                }
            }
            V::Map(members) => {
                let parts: Option<Vec<String>> = members
                    .iter()
                    .map(|(k, v)| self.member(k, v, &inner, compact))
                    .collect();
                let parts = parts?;
                match (self.syntax, compact) {
                    (Syntax::Yaml, false) => parts
                        .iter()
                        .map(|p| format!("\n{inner}{p}"))
                        .collect::<String>(),
                    (Syntax::Yaml, true) | (Syntax::Json, true) => {
                        format!("{{{}}}", parts.join(", "))
                    }
                    (Syntax::Json, false) => {
                        format!(
                            "{{\n{inner}{}\n{indent}}}",
                            parts.join(&format!(",\n{inner}"))
                        )
                    }
                    (_, true) => format!("{{ {} }}", parts.join(", ")),
                    (_, false) => {
                        format!(
                            "{{\n{inner}{}\n{indent}}}",
                            parts.join(&format!("\n{inner}"))
                        )
                    }
                }
            }
        })
    }

    /// `key: value` / `"key": value` / `key = value`, the value laid out at `indent`.
    pub fn member(&self, key: &str, v: &V, indent: &str, compact: bool) -> Option<String> {
        let value = self.render(v, indent, compact)?;
        Some(match self.syntax {
            Syntax::Json => format!("{}: {value}", json_quoted(key)),
            Syntax::Hcl | Syntax::PolicyDocument => format!("{} = {value}", hcl_key(key)),
            Syntax::Yaml => {
                let k = if !compact && yaml_block_key(key) || yaml_plain(key) {
                    key.to_string()
                } else {
                    json_quoted(key)
                };
                let block = !compact && matches!(v, V::Map(_) | V::List(_));
                if block {
                    format!("{k}:{value}")
                } else {
                    format!("{k}: {value}")
                }
            }
        })
    }

    /// Inserted text as it must be written where it goes (escaped inside a string).
    pub fn finish(&self, s: String) -> String {
        if self.escaped {
            let q = json_quoted(&s);
            q[1..q.len() - 1].to_string()
        } else {
            s
        }
    }

    /// Line breaks as the file writes them.
    pub fn line_breaks(&self, e: Edit) -> Edit {
        if self.crlf && !e.text.contains("\r\n") {
            Edit {
                text: e.text.replace('\n', "\r\n"),
                ..e
            }
        } else {
            e
        }
    }

    /// Adds the member `key: value` to an object.
    pub fn insert_member(&self, shape: &Shape, key: &str, v: &V) -> Option<Edit> {
        let last = *shape.members.last()?;
        let t = self.text;
        let start = shape.span.start as usize;
        // A sequence item's span may start at its dash, and a YAML node's at its tag or anchor.
        let mut object = t[start..].trim_start_matches('-').trim_start();
        while self.syntax == Syntax::Yaml && object.starts_with(['!', '&']) {
            let end = object.find(char::is_whitespace).unwrap_or(object.len());
            object = object[end..].trim_start();
        }
        let flow_yaml = self.syntax == Syntax::Yaml && object.starts_with('{');
        let block_yaml = self.syntax == Syntax::Yaml && !flow_yaml;
        let multi_line = !self.escaped
            && !flow_yaml
            && (block_yaml || !same_line(t, last.start as usize, start));
        let indent = if multi_line {
            member_indent(t, last.start as usize)
        } else {
            String::new()
        };
        let member = self.member(key, v, &indent, !multi_line)?;
        let (at, text) = match (self.syntax, multi_line) {
            (Syntax::Json, true) => {
                let at = last.end as usize;
                let end = line_end(t, at + 1).max(at);
                let comment = t[at..end].contains('#') || t[at..end].contains("//");
                if comment && !t[at..end].trim_start().starts_with(',') {
                    // HCL with `:` (a comment is no JSON): a member on a line of its own
                    // after the comment.
                    (end, format!("\n{indent}{member}"))
                } else {
                    (at, format!(",\n{indent}{member}"))
                }
            }
            (Syntax::Json, false) => (last.end as usize, format!(", {member}")),
            (Syntax::Yaml, false) => (last.end as usize, format!(", {member}")),
            (_, false) => {
                // HCL on one line: members separated by commas.
                (last.end as usize, format!(", {member}"))
            }
            (_, true) => (
                line_end(t, last.end as usize),
                format!("\n{indent}{member}"),
            ),
        };
        Some(Edit {
            span: Span::new(shape.span.file, at, at),
            text: self.finish(text),
        })
    }

    /// Adds values to an element holding one value or a list of them.
    pub fn add_items(&self, value: Span, items: &[Span], add: &[V]) -> Option<Edit> {
        let t = self.text;
        let raw = &t[value.range()];
        let is_list = items.len() != 1 || items[0] != value;
        let file = value.file;
        if is_list {
            let last = *items.last()?;
            let block_seq = self.syntax == Syntax::Yaml && !raw.starts_with('[');
            if block_seq {
                let dash = dash_indent(t, last.start as usize)?;
                let mut s = String::new();
                for v in add {
                    s.push_str(&format!("\n{dash}- {}", self.render(v, &dash, true)?));
                }
                let at = line_end(t, last.end as usize);
                return Some(Edit {
                    span: Span::new(file, at, at),
                    text: s,
                });
            }
            let multi = !self.escaped && !same_line(t, last.start as usize, value.start as usize);
            let indent = member_indent(t, last.start as usize);
            let mut s = String::new();
            for v in add {
                let r = self.render(v, &indent, true)?;
                if multi {
                    s.push_str(&format!(",\n{indent}{r}"));
                } else {
                    s.push_str(&format!(", {r}"));
                }
            }
            let at = last.end as usize;
            let end = line_end(t, at + 1).max(at);
            let after = &t[at..end];
            if multi && (after.contains('#') || after.contains("//")) {
                // A comment after the last value stays with it: the new values go on lines
                // of their own after it, behind the comma it has.
                if !after.trim_start().starts_with(',') {
                    return None;
                }
                let mut s = String::new();
                for v in add {
                    s.push_str(&format!("\n{indent}{},", self.render(v, &indent, true)?));
                }
                return Some(Edit {
                    span: Span::new(file, end, end),
                    text: s,
                });
            }
            return Some(Edit {
                span: Span::new(file, at, at),
                text: self.finish(s),
            });
        }
        // One value: it becomes a list of the old and the new.
        let mut all = vec![V::Raw(if self.escaped {
            unescape(raw)?
        } else {
            raw.to_string()
        })];
        all.extend(add.iter().cloned());
        if self.syntax == Syntax::Yaml && !self.escaped {
            // A block sequence under the key: plain scalars there may hold `{`, `:`, `,`.
            let key_line_indent = item_indent(t, value.start as usize);
            let rendered = self.render(&V::List(all), &key_line_indent, false)?;
            let from = t[..value.start as usize]
                .trim_end_matches([' ', '\t'])
                .len();
            return Some(Edit {
                span: Span::new(file, from, value.end as usize),
                text: rendered,
            });
        }
        let rendered = self.render(&V::List(all), "", true)?;
        Some(Edit {
            span: value,
            text: self.finish(rendered),
        })
    }

    /// Replaces one value.
    pub fn replace(&self, at: Span, v: &V) -> Option<Edit> {
        let indent = member_indent(self.text, at.start as usize);
        let raw = &self.text[at.range()];
        if let V::Map(members) = v
            && self.syntax == Syntax::Yaml
            && !self.escaped
            && !raw.starts_with(['{', '[', '!'])
        {
            // A block mapping stays one, its members at the old one's column.
            let parts: Option<Vec<String>> = members
                .iter()
                .map(|(k, v)| self.member(k, v, &indent, false))
                .collect();
            return Some(Edit {
                span: at,
                text: parts?.join(&format!("\n{indent}")),
            });
        }
        let r = self.render(v, &indent, true)?;
        Some(Edit {
            span: at,
            text: self.finish(r),
        })
    }

    /// Adds a statement after the policy's last one, laid out like it.
    pub fn add_statement(&self, list: Span, is_list: bool, items: &[Span], v: &V) -> Option<Edit> {
        let last = *items.last()?;
        let t = self.text;
        let file = list.file;
        let at = last.end as usize;
        if self.syntax == Syntax::PolicyDocument {
            let indent = member_indent(t, last.start as usize);
            let block = self.document_statement(v, &indent)?;
            let at = line_end(t, at);
            return Some(Edit {
                span: Span::new(file, at, at),
                text: format!("\n\n{indent}{block}"),
            });
        }
        if !is_list {
            // One statement, not in a list: it becomes a list of the two.
            let old = V::Raw(if self.escaped {
                unescape(&t[list.range()])?
            } else {
                t[list.range()].to_string()
            });
            let compact = self.escaped || self.syntax == Syntax::Yaml;
            let r = self.render(&V::List(vec![old, v.clone()]), "", compact)?;
            return Some(Edit {
                span: list,
                text: self.finish(r),
            });
        }
        let raw = &t[list.range()];
        if self.syntax == Syntax::Yaml && !raw.starts_with('[') {
            let dash = dash_indent(t, last.start as usize)?;
            let item_indent = item_indent(t, last.start as usize);
            let V::Map(members) = v else { return None };
            let parts: Option<Vec<String>> = members
                .iter()
                .map(|(k, v)| self.member(k, v, &item_indent, false))
                .collect();
            let at = line_end(t, at);
            return Some(Edit {
                span: Span::new(file, at, at),
                text: format!("\n{dash}- {}", parts?.join(&format!("\n{item_indent}"))),
            });
        }
        let multi = !self.escaped && !same_line(t, last.start as usize, list.start as usize);
        let indent = member_indent(t, last.start as usize);
        let text = if multi {
            format!(",\n{indent}{}", self.render(v, &indent, false)?)
        } else {
            format!(", {}", self.render(v, "", true)?)
        };
        Some(Edit {
            span: Span::new(file, at, at),
            text: self.finish(text),
        })
    }

    /// A statement as an `aws_iam_policy_document` `statement` block.
    fn document_statement(&self, v: &V, indent: &str) -> Option<String> {
        let V::Map(members) = v else { return None };
        let inner = format!("{indent}{}", self.unit());
        let inner2 = format!("{inner}{}", self.unit());
        let list = |v: &V| -> Option<String> {
            match v {
                V::List(items) => {
                    let parts: Option<Vec<String>> =
                        items.iter().map(|i| self.render(i, "", true)).collect();
                    Some(format!("[{}]", parts?.join(", ")))
                }
                other => Some(format!("[{}]", self.render(other, "", true)?)),
            }
        };
        let mut lines = vec!["statement {".to_string()];
        for (k, v) in members {
            match (k.as_str(), v) {
                ("Sid", v) => {
                    lines.push(format!("{inner}sid       = {}", self.render(v, "", true)?))
                }
                ("Effect", v) => {
                    lines.push(format!("{inner}effect    = {}", self.render(v, "", true)?))
                }
                ("Action", v) => lines.push(format!("{inner}actions   = {}", list(v)?)),
                ("Resource", v) => lines.push(format!("{inner}resources = {}", list(v)?)),
                ("Principal", V::Map(ps)) => {
                    for (ty, ids) in ps {
                        lines.push(format!("{inner}principals {{"));
                        lines.push(format!("{inner2}type        = {}", json_quoted(ty)));
                        lines.push(format!("{inner2}identifiers = {}", list(ids)?));
                        lines.push(format!("{inner}}}"));
                    }
                }
                ("Condition", V::Map(ops)) => {
                    for (op, keys) in ops {
                        let V::Map(keys) = keys else { return None };
                        for (key, vals) in keys {
                            lines.push(format!("{inner}condition {{"));
                            lines.push(format!("{inner2}test     = {}", json_quoted(op)));
                            lines.push(format!("{inner2}variable = {}", json_quoted(key)));
                            lines.push(format!("{inner2}values   = {}", list(vals)?));
                            lines.push(format!("{inner}}}"));
                        }
                    }
                }
                _ => return None,
            }
        }
        lines.push(format!("{indent}}}"));
        Some(lines.join("\n"))
    }

    /// Replaces the one `principals` block of an `aws_iam_policy_document` statement by one
    /// naming a service.
    pub fn principals_block(&self, at: Span, service: &str) -> Option<Edit> {
        let raw = &self.text[at.range()];
        if !raw.starts_with("principals") || raw.matches("principals").count() != 1 {
            return None;
        }
        let indent = member_indent(self.text, at.start as usize);
        let inner = format!("{indent}{}", self.unit());
        Some(Edit {
            span: at,
            text: format!(
                "principals {{\n{inner}type        = \"Service\"\n{inner}identifiers = [{}]\n{indent}}}",
                json_quoted(service)
            ),
        })
    }

    /// Adds a `condition { test, variable, values }` block to an `aws_iam_policy_document`
    /// statement block.
    pub fn condition_block(
        &self,
        statement: &Shape,
        op: &str,
        key: &str,
        values: &[V],
    ) -> Option<Edit> {
        let last = *statement.members.last()?;
        let t = self.text;
        if same_line(t, last.start as usize, statement.span.start as usize) {
            return None;
        }
        let indent = member_indent(t, last.start as usize);
        let inner = format!("{indent}{}", self.unit());
        let vals: Option<Vec<String>> = values
            .iter()
            .map(|v| self.render(v, &inner, true))
            .collect();
        let text = format!(
            "\n\n{indent}condition {{\n{inner}test     = {}\n{inner}variable = {}\n{inner}values   = [{}]\n{indent}}}",
            json_quoted(op),
            json_quoted(key),
            vals?.join(", ")
        );
        let at = line_end(t, last.end as usize);
        Some(Edit {
            span: Span::new(statement.span.file, at, at),
            text,
        })
    }
}

fn quoted_segments(segs: &[Seg]) -> String {
    let mut s = String::from("\"");
    for seg in segs {
        match seg {
            Seg::Lit(l) => {
                let q = json_quoted(l);
                s.push_str(&q[1..q.len() - 1]);
            }
            Seg::Raw(r) => s.push_str(r),
        }
    }
    s.push('"');
    s
}

fn unescape(raw: &str) -> Option<String> {
    serde_json::from_str::<String>(&format!("\"{raw}\"")).ok()
}

fn hcl_key(k: &str) -> String {
    let plain = k.starts_with(|c: char| c.is_ascii_alphabetic())
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain { k.to_string() } else { json_quoted(k) }
}

/// A block mapping key such as `aws:SourceArn` (a colon not followed by a space is part of a
/// plain scalar).
fn yaml_block_key(k: &str) -> bool {
    let (a, b) = k.split_once(':').unwrap_or((k, ""));
    yaml_plain(a) && (b.is_empty() || yaml_plain(b)) && !k.ends_with(':')
}

/// How far the layout functions look for a line's ends: a longer line (a plan, a minified
/// policy) is not laid out line by line anyway.
const WINDOW: usize = 64 * 1024;

fn floor_boundary(t: &str, mut at: usize) -> usize {
    while !t.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(t: &str, mut at: usize) -> usize {
    while !t.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// The start of the line holding `at` (at most [`WINDOW`] bytes back).
fn line_start(t: &str, at: usize) -> usize {
    let from = ceil_boundary(t, at.saturating_sub(WINDOW));
    t[from..at].rfind('\n').map_or(from, |i| from + i + 1)
}

/// Whether two offsets lie on one line (looking only between them).
pub fn same_line(t: &str, a: usize, b: usize) -> bool {
    let (lo, hi) = (a.min(b).min(t.len()), a.max(b).min(t.len()));
    !t.as_bytes()[lo..hi].contains(&b'\n')
}

/// The end of the line holding the character before `at` (before its newline).
pub fn line_end(t: &str, at: usize) -> usize {
    let from = at.saturating_sub(1).min(t.len());
    let end = if t.as_bytes().get(from) == Some(&b'\n') {
        from
    } else {
        let window = floor_boundary(t, from.saturating_add(WINDOW).min(t.len()));
        t[from..window].find('\n').map_or(window, |i| from + i)
    };
    // Before a CRLF's CR.
    if end > 0 && t.as_bytes().get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    }
}

/// The indentation a member at `at` is written with: the white space before it on its line,
/// or as many spaces as its column (after `- ` in a YAML sequence).
pub fn member_indent(t: &str, at: usize) -> String {
    let start = line_start(t, at);
    let before = &t[start..at];
    if before.chars().all(|c| c == ' ' || c == '\t') {
        before.to_string()
    } else {
        " ".repeat(before.chars().count())
    }
}

/// The indentation of the `- ` before a YAML sequence item at `at`.
fn dash_indent(t: &str, at: usize) -> Option<String> {
    let start = line_start(t, at);
    let before = &t[start..at];
    if t[at..].starts_with('-') && before.chars().all(|c| c == ' ') {
        // The item's span starts at its dash.
        return Some(before.to_string());
    }
    let dash = before.trim_end().strip_suffix('-')?;
    dash.chars().all(|c| c == ' ').then(|| dash.to_string())
}

/// The column a YAML sequence item's content starts at (after `- `), as spaces.
/// Else the line's own indentation.
fn item_indent(t: &str, at: usize) -> String {
    let start = line_start(t, at);
    let line = &t[start..];
    let after_dash = line
        .trim_start_matches(' ')
        .strip_prefix("- ")
        .map(|r| line.len() - r.trim_start_matches(' ').len());
    match after_dash {
        Some(n) => " ".repeat(n),
        None => line[..line.len() - line.trim_start_matches([' ', '\t']).len()].to_string(),
    }
}

/// One level of indentation in this text: the commonest step between a line and a more
/// indented next line (two spaces when there is none).
pub fn indent_unit(t: &str) -> String {
    let mut end = t.len().min(64 * 1024);
    while !t.is_char_boundary(end) {
        end -= 1;
    }
    let t = &t[..end];
    // (step, count): a text has few distinct steps, so a short list beats a hash map.
    let mut counts: Vec<(usize, usize)> = Vec::new();
    let mut prev: Option<usize> = None;
    let mut tabs = false;
    for line in t.lines().take(400) {
        if line.trim().is_empty() {
            continue;
        }
        tabs |= line.starts_with('\t');
        let n = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(p) = prev
            && n > p
        {
            match counts.iter_mut().find(|(step, _)| *step == n - p) {
                Some((_, c)) => *c += 1,
                None => counts.push((n - p, 1)),
            }
        }
        prev = Some(n);
    }
    if tabs {
        return "\t".into();
    }
    let step = counts
        .into_iter()
        .max_by_key(|&(step, n)| (n, std::cmp::Reverse(step)))
        .map_or(2, |(s, _)| s.clamp(1, 8));
    " ".repeat(step)
}
