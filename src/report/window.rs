//! Snippets of very long lines (plan JSON, `get-bucket-policy` output, minified templates) cut
//! around what the diagnostic points at, so a finding prints a screenful, not 50 MB.
//!
//! [`Window`] stands in for the scan's files when codespan renders one diagnostic: each file
//! with a long line under a label is replaced by a synthetic text holding only the labelled
//! lines, long ones cut to [`WIDTH`] characters with `…` at the cuts. Line and column numbers
//! are still the file's own.

use crate::source::{SourceFile, SourceMap, Span};
use codespan_reporting::files::{Error, Files};
use std::collections::HashMap;
use std::ops::Range;

/// Lines longer than this (in bytes) are cut.
pub const LONG: usize = 240;
/// Characters kept of a cut line.
const WIDTH: usize = 160;
/// Characters kept before the first labelled position of a cut line.
const LEAD: usize = 40;
const ELLIPSIS: &str = "…";

/// One kept line of the synthetic text.
struct Kept {
    /// 0-based line index in the original file.
    line: usize,
    /// Byte range of the original text that is kept.
    orig: Range<usize>,
    /// Where the kept text starts in the synthetic text (after a leading `…`).
    at: usize,
    /// Where the line starts in the synthetic text (its leading `…` included).
    line_at: usize,
}

struct Synthetic {
    text: String,
    lines: Vec<Kept>,
}

impl Synthetic {
    fn build(file: &SourceFile, spans: &[Range<usize>]) -> Option<Synthetic> {
        let mut lines: Vec<usize> = spans
            .iter()
            .flat_map(|r| [r.start, r.end.max(r.start + 1) - 1])
            .map(|b| file.line_of(b).saturating_sub(1))
            .collect();
        lines.sort_unstable();
        lines.dedup();
        let range = |l: usize| {
            let start = file.line_start(l + 1);
            let end = start + file.line_text(l + 1).len();
            start..end
        };
        if lines.iter().all(|&l| range(l).len() <= LONG) {
            return None;
        }
        let mut s = Synthetic {
            text: String::new(),
            lines: vec![],
        };
        for l in lines {
            let full = range(l);
            let line_at = s.text.len();
            let orig = if full.len() <= LONG {
                full.clone()
            } else {
                let first = spans
                    .iter()
                    .flat_map(|r| [r.start, r.end])
                    .filter(|b| full.contains(b))
                    .min()
                    .unwrap_or(full.start);
                let start = back(&file.text, first, LEAD).max(full.start);
                let end = forward(&file.text, start, WIDTH).min(full.end);
                start..end
            };
            if orig.start > full.start {
                s.text.push_str(ELLIPSIS);
            }
            let at = s.text.len();
            s.text.push_str(&file.text[orig.clone()]);
            if orig.end < full.end {
                s.text.push_str(ELLIPSIS);
            }
            s.text.push('\n');
            s.lines.push(Kept {
                line: l,
                orig,
                at,
                line_at,
            });
        }
        Some(s)
    }

    /// The synthetic offset of an original byte offset, clamped into its kept line.
    fn map(&self, file: &SourceFile, b: usize) -> usize {
        let l = file.line_of(b).saturating_sub(1);
        let Some(k) = self.lines.iter().find(|k| k.line == l) else {
            return 0;
        };
        k.at + b.clamp(k.orig.start, k.orig.end) - k.orig.start
    }

    fn kept_at(&self, synthetic: usize) -> usize {
        self.lines
            .partition_point(|k| k.line_at <= synthetic)
            .saturating_sub(1)
    }
}

/// Byte offset `n` characters before `b`.
fn back(text: &str, b: usize, n: usize) -> usize {
    text[..b]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// Byte offset `n` characters after `b`.
fn forward(text: &str, b: usize, n: usize) -> usize {
    text[b..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| b + i)
}

/// The scan's files as one diagnostic sees them.
pub struct Window<'a> {
    sources: &'a SourceMap,
    cut: HashMap<u32, Synthetic>,
}

impl<'a> Window<'a> {
    /// The view for a diagnostic with these labelled spans.
    pub fn new(sources: &'a SourceMap, spans: &[Span]) -> Window<'a> {
        let mut by_file: HashMap<u32, Vec<Range<usize>>> = HashMap::new();
        for s in spans {
            by_file.entry(s.file).or_default().push(s.range());
        }
        let cut = by_file
            .into_iter()
            .filter_map(|(id, ranges)| {
                let file = sources.files.get(id as usize)?;
                Synthetic::build(file, &ranges).map(|s| (id, s))
            })
            .collect();
        Window { sources, cut }
    }

    /// The range to give codespan for a span.
    pub fn range(&self, span: Span) -> Range<usize> {
        match self.cut.get(&span.file) {
            Some(s) => {
                let file = self.sources.get(span.file);
                let a = s.map(file, span.start as usize);
                let b = s.map(file, span.end as usize).max(a);
                a..b
            }
            None => span.range(),
        }
    }

    fn file(&self, id: u32) -> Result<&'a SourceFile, Error> {
        self.sources
            .files
            .get(id as usize)
            .ok_or(Error::FileMissing)
    }
}

impl<'a> Files<'a> for Window<'a> {
    type FileId = u32;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: u32) -> Result<&'a str, Error> {
        Ok(self.file(id)?.display.as_str())
    }

    fn source(&'a self, id: u32) -> Result<&'a str, Error> {
        match self.cut.get(&id) {
            Some(s) => Ok(s.text.as_str()),
            None => Ok(self.file(id)?.text.as_str()),
        }
    }

    fn line_index(&'a self, id: u32, byte_index: usize) -> Result<usize, Error> {
        match self.cut.get(&id) {
            Some(s) => Ok(s.kept_at(byte_index)),
            None => Ok(self.file(id)?.line_of(byte_index).saturating_sub(1)),
        }
    }

    fn line_number(&'a self, id: u32, line_index: usize) -> Result<usize, Error> {
        match self.cut.get(&id) {
            Some(s) => Ok(s.lines.get(line_index).map_or(line_index, |k| k.line) + 1),
            None => Ok(line_index + 1),
        }
    }

    fn column_number(
        &'a self,
        id: u32,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let file = self.file(id)?;
        let orig = match self.cut.get(&id).and_then(|s| s.lines.get(line_index)) {
            Some(k) => k.orig.start + byte_index.saturating_sub(k.at).min(k.orig.len()),
            None => byte_index,
        };
        Ok(file.position(orig).column)
    }

    fn line_range(&'a self, id: u32, line_index: usize) -> Result<Range<usize>, Error> {
        if let Some(s) = self.cut.get(&id) {
            let k = s.lines.get(line_index).ok_or(Error::LineTooLarge {
                given: line_index,
                max: s.lines.len().saturating_sub(1),
            })?;
            let end = s
                .lines
                .get(line_index + 1)
                .map_or(s.text.len(), |n| n.line_at);
            return Ok(k.line_at..end);
        }
        let f = self.file(id)?;
        if line_index >= f.line_count() {
            return Err(Error::LineTooLarge {
                given: line_index,
                max: f.line_count().saturating_sub(1),
            });
        }
        let start = f.line_start(line_index + 1);
        let end = if line_index + 1 < f.line_count() {
            f.line_start(line_index + 2)
        } else {
            f.text.len()
        };
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_of(text: &str) -> SourceMap {
        let mut m = SourceMap::default();
        m.files.push(SourceFile::new(
            "f.json".into(),
            "f.json".into(),
            text.to_string(),
        ));
        m
    }

    #[test]
    fn short_lines_are_left_alone() {
        let m = map_of("{\n  \"a\": 1\n}\n");
        let w = Window::new(&m, &[Span::new(0, 4, 10)]);
        assert!(w.cut.is_empty());
        assert_eq!(w.range(Span::new(0, 4, 10)), 4..10);
    }

    #[test]
    fn a_long_line_is_cut_around_the_span_with_its_own_numbers() {
        let text = format!("{}TARGET{}\nnext\n", "a".repeat(1000), "b".repeat(1000));
        let m = map_of(&text);
        let span = Span::new(0, 1000, 1006);
        let w = Window::new(&m, &[span]);
        let src = w.source(0).unwrap();
        assert!(
            src.starts_with('…') && src.trim_end().ends_with('…'),
            "{src}"
        );
        assert!(src.chars().count() <= WIDTH + 3, "{}", src.len());
        let r = w.range(span);
        assert_eq!(&src[r.clone()], "TARGET");
        let loc = w.location(0, r.start).unwrap();
        assert_eq!((loc.line_number, loc.column_number), (1, 1001));
    }

    #[test]
    fn cuts_respect_multibyte_characters() {
        let text = format!("{}é{}", "é".repeat(500), "ü".repeat(500));
        let m = map_of(&text);
        let at = "é".len() * 500;
        let w = Window::new(&m, &[Span::new(0, at, at + 2)]);
        let r = w.range(Span::new(0, at, at + 2));
        assert_eq!(&w.source(0).unwrap()[r.clone()], "é");
        assert_eq!(w.location(0, r.start).unwrap().column_number, 501);
    }
}
