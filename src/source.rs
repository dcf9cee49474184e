//! Source files and positions: every finding points at a byte span of a file we read, and this
//! module turns byte offsets into the 1-based line and code-point column the spec demands.

use std::path::PathBuf;

/// Index of a file in the [`SourceMap`].
pub type FileId = u32;

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    /// The smallest span holding both (same file assumed; otherwise `self`).
    /// A whole file's text, ending at its last character (not past a final newline).
    pub fn whole(file: FileId, text: &str) -> Span {
        Span::new(file, 0, text.trim_end().len())
    }

    pub fn to(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A 1-based line and column (columns count Unicode code points).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One file's text and its line index.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as given by the walk (used to read the file).
    pub path: PathBuf,
    /// The path as shown in reports: relative to the working directory with forward slashes,
    /// or absolute when the file lies outside it.
    pub display: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: String) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        SourceFile {
            path,
            display,
            text,
            line_starts,
        }
    }

    /// Drops the text of a file nothing points into (memory for large scans).
    pub fn forget_text(&mut self) {
        self.text = String::new();
        self.line_starts = vec![0];
    }

    /// Position of a byte offset (clamped to the text and to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = self.text[start..offset].chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// 1-based line number of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset.min(self.text.len())) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        if line == 0 || line > self.line_starts.len() {
            return "";
        }
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    pub fn slice(&self, span: Span) -> &str {
        let r = span.range();
        self.text.get(r).unwrap_or("")
    }
}

fn memchr_iter(needle: u8, hay: &[u8]) -> impl Iterator<Item = usize> + '_ {
    hay.iter()
        .enumerate()
        .filter(move |(_, b)| **b == needle)
        .map(|(i, _)| i)
}

/// Every file read in a scan, indexed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    pub files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id as usize]
    }

    pub fn start(&self, span: Span) -> Position {
        self.get(span.file).position(span.start as usize)
    }

    pub fn end(&self, span: Span) -> Position {
        self.get(span.file).position(span.end as usize)
    }

    pub fn slice(&self, span: Span) -> &str {
        self.get(span.file).slice(span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_code_points_and_lines() {
        let f = SourceFile::new("a".into(), "a".into(), "ab\n\u{e9}x\r\nz".into());
        assert_eq!(f.position(0), Position { line: 1, column: 1 });
        assert_eq!(f.position(3), Position { line: 2, column: 1 });
        // 'x' comes after a two-byte 'é': byte 5, column 2.
        assert_eq!(f.position(5), Position { line: 2, column: 2 });
        // Past the end of line 2's text.
        assert_eq!(f.position(6), Position { line: 2, column: 3 });
        assert_eq!(f.position(8), Position { line: 3, column: 1 });
        assert_eq!(f.position(999), Position { line: 3, column: 2 });
        // Inside a multi-byte char: clamps back to its start.
        assert_eq!(f.position(4), Position { line: 2, column: 1 });
        assert_eq!(f.line_text(2), "\u{e9}x");
        assert_eq!(f.line_of(8), 3);
    }
}
