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
    /// The text parsed as YAML and is line-shaped
    /// ([`crate::frontend::cloudformation::yaml::parse_lined`]): a one-line fix's edit can be
    /// judged from its line.
    pub yaml_lined: bool,
    /// Where lines start, found the first time a position is asked for (most files of a large
    /// scan never are).
    index: std::sync::OnceLock<LineIndex>,
    /// The text was let go once its frontend was done (nothing pointed into it yet): what it
    /// was, to know a text read again for a finding is the same.
    released: Option<Box<Seal>>,
}

/// A text's length and SHA-256: a file swapped for another during the scan cannot be made to
/// pass for the text that was analysed (a hash without collision resistance could be).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seal {
    len: usize,
    hash: [u8; 32],
}

impl Seal {
    fn of(text: &str) -> Seal {
        use sha2::Digest;
        Seal {
            len: text.len(),
            hash: sha2::Sha256::digest(text.as_bytes()).into(),
        }
    }
}

#[derive(Debug)]
struct LineIndex {
    /// Byte offsets of line starts (files are at most 256 MiB: 32 bits hold them).
    line_starts: Vec<u32>,
    /// For a text that is not all ASCII: the number of characters before every
    /// [`MARK_EVERY`]-th byte, so a column in a long line is found without counting the
    /// whole line (one-line plans and `get-bucket-policy` output are megabytes long).
    char_marks: Vec<u32>,
}

const MARK_EVERY: usize = 4096;

impl LineIndex {
    fn of(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        line_starts.extend(memchr_iter(b'\n', text.as_bytes()).map(|i| (i + 1) as u32));
        let mut char_marks = vec![];
        if !text.is_ascii() {
            let bytes = text.as_bytes();
            let mut chars = 0u32;
            for chunk in bytes.chunks(MARK_EVERY) {
                char_marks.push(chars);
                // Every byte that does not continue a UTF-8 sequence starts a character.
                chars += chunk.iter().filter(|&&b| (b as i8) >= -0x40).count() as u32;
            }
        }
        LineIndex {
            line_starts,
            char_marks,
        }
    }
}

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: String) -> SourceFile {
        SourceFile {
            path,
            display,
            text,
            yaml_lined: false,
            index: std::sync::OnceLock::new(),
            released: None,
        }
    }

    /// Drops the text of a file nothing points into (memory for large scans).
    pub fn forget_text(&mut self) {
        self.text = String::new();
        self.yaml_lined = false;
        self.index = std::sync::OnceLock::new();
    }

    /// Lets the text go while remembering what it was (length and SHA-256), so that it can be
    /// read again when a finding points into the file ([`SourceFile::restore_text`]); until then
    /// the file has no text. Memory for large scans: most modelled files have no finding.
    pub fn release_text(&mut self) {
        if self.text.is_empty() {
            return;
        }
        self.released = Some(Box::new(Seal::of(&self.text)));
        self.text = String::new();
        self.index = std::sync::OnceLock::new();
    }

    /// Whether the text was let go by [`SourceFile::release_text`] and not restored.
    pub fn is_released(&self) -> bool {
        self.released.is_some()
    }

    /// Whether `text`, read again, is the text that was let go.
    pub fn is_released_text(&self, text: &str) -> bool {
        self.released.as_deref() == Some(&Seal::of(text))
    }

    /// Takes back the text that was let go; false (and no change) when `text` is not it.
    pub fn restore_text(&mut self, text: String) -> bool {
        if !self.is_released_text(&text) {
            return false;
        }
        self.text = text;
        self.released = None;
        true
    }

    fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::of(&self.text))
    }

    fn line_starts(&self) -> &[u32] {
        &self.index().line_starts
    }

    /// Characters before byte `offset` (a char boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let marks = &self.index().char_marks;
        if marks.is_empty() {
            return offset;
        }
        let mark = (offset / MARK_EVERY).min(marks.len() - 1);
        let from = mark * MARK_EVERY;
        let counted = self.text.as_bytes()[from..offset]
            .iter()
            .filter(|&&b| (b as i8) >= -0x40)
            .count();
        marks[mark] as usize + counted
    }

    /// Position of a byte offset (clamped to the text and to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_index_of(offset);
        let start = self.line_starts()[line] as usize;
        let column = self.chars_before(offset) - self.chars_before(start) + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// 0-based index of the line holding byte `offset` (at most the text's length).
    fn line_index_of(&self, offset: usize) -> usize {
        match self.line_starts().binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// 1-based line number of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_index_of(offset.min(self.text.len())) + 1
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let starts = self.line_starts();
        if line == 0 || line > starts.len() {
            return "";
        }
        let start = starts[line - 1] as usize;
        let end = starts
            .get(line)
            .map(|&e| e as usize)
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts()
            .get(line.saturating_sub(1))
            .map(|&s| s as usize)
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
    fn a_text_let_go_comes_back_only_as_itself() {
        let text = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n";
        let mut f = SourceFile::new("a.yaml".into(), "a.yaml".into(), text.into());
        f.yaml_lined = true;
        assert_eq!(f.position(14).line, 2);
        f.release_text();
        assert!(f.is_released() && f.text.is_empty());
        // What it knew of the text stays; what it computed from it goes with it.
        assert!(f.yaml_lined);
        assert!(f.index.get().is_none());
        for other in [
            "",
            "Resources:\n  B:\n    Type: AWS::S3::Bucket\n\n",
            &text.replace('B', "C"),
        ] {
            assert!(!f.is_released_text(other));
            assert!(!f.restore_text(other.to_string()));
            assert!(f.is_released() && f.text.is_empty());
        }
        assert!(f.is_released_text(text));
        assert!(f.restore_text(text.to_string()));
        assert!(!f.is_released());
        assert_eq!((f.text.as_str(), f.position(14).line), (text, 2));
        // An empty text has nothing to let go.
        let mut empty = SourceFile::new("e".into(), "e".into(), String::new());
        empty.release_text();
        assert!(!empty.is_released());
    }

    #[test]
    fn columns_in_long_lines_match_a_plain_count() {
        let mut text = String::new();
        for i in 0..5000 {
            text.push_str(["a", "é", "€", "😀", "\n"][i % 7 % 5]);
            if i % 997 == 0 {
                text.push_str(&"x".repeat(3000));
            }
        }
        let f = SourceFile::new("a".into(), "a".into(), text.clone());
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let want = text[line_start..offset].chars().count() + 1;
            assert_eq!(f.position(offset).column, want, "at {offset}");
        }
        let exact = "é".repeat(MARK_EVERY);
        let f = SourceFile::new("a".into(), "a".into(), exact.clone());
        assert_eq!(f.position(exact.len()).column, MARK_EVERY + 1);
    }

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
