//! YAML to [`Node`] trees with byte spans (granit-parser events). CloudFormation's short-form
//! tags (`!Ref X`, `!Sub …`, `!GetAtt A.B`, …) become the long form (`{"Ref": "X"}`,
//! `{"Fn::Sub": …}`) on scalars, sequences and mappings alike, so YAML and JSON templates are
//! evaluated the same way. Anchors and aliases are expanded with a bound on the total size
//! (alias bombs), and nesting is bounded.

use crate::source::{FileId, Span};
use crate::value::{Entry, Node, NodeKind, Text};
use granit_parser::{Event, Parser, ScalarStyle, StructureStyle};
use std::collections::HashMap;

/// Most nodes a document may expand to (aliases included).
const MAX_NODES: usize = 2_000_000;
/// Deepest nesting of collections.
const MAX_DEPTH: usize = 256;

/// The long form of a short-form tag.
fn long_form(tag: &str) -> Option<&'static str> {
    Some(match tag {
        "!Ref" => "Ref",
        "!Condition" => "Condition",
        "!GetAtt" => "Fn::GetAtt",
        "!Sub" => "Fn::Sub",
        "!Join" => "Fn::Join",
        "!Select" => "Fn::Select",
        "!Split" => "Fn::Split",
        "!FindInMap" => "Fn::FindInMap",
        "!If" => "Fn::If",
        "!Equals" => "Fn::Equals",
        "!Not" => "Fn::Not",
        "!And" => "Fn::And",
        "!Or" => "Fn::Or",
        "!ImportValue" => "Fn::ImportValue",
        "!Base64" => "Fn::Base64",
        "!GetAZs" => "Fn::GetAZs",
        "!Cidr" => "Fn::Cidr",
        "!Transform" => "Fn::Transform",
        "!ToJsonString" => "Fn::ToJsonString",
        "!Length" => "Fn::Length",
        _ => return None,
    })
}

enum Frame {
    Seq {
        start: usize,
        tag: Option<(String, usize)>,
        items: Vec<Node>,
        anchor: usize,
    },
    Map {
        start: usize,
        tag: Option<(String, usize)>,
        entries: Vec<Entry>,
        key: Option<(String, Span)>,
        anchor: usize,
    },
}

fn count(n: &Node) -> usize {
    match &n.kind {
        NodeKind::List(l) => 1 + l.iter().map(count).sum::<usize>(),
        NodeKind::Map(m) => 1 + m.iter().map(|e| count(&e.value)).sum::<usize>(),
        NodeKind::Doc(d) => count(d),
        _ => 1,
    }
}

/// Wraps a node in its intrinsic's long form when it carries a short-form tag.
fn tagged(node: Node, tag: Option<(String, usize)>, file: FileId) -> Node {
    let Some((tag, tag_start)) = tag else {
        return node;
    };
    let Some(name) = long_form(&tag) else {
        return node;
    };
    let span = Span::new(file, tag_start, node.span.end as usize);
    Node::new(
        span,
        NodeKind::Map(vec![Entry {
            key: name.to_string(),
            key_span: Span::new(file, tag_start, tag_start + tag.len()),
            value: node,
        }]),
    )
}

/// Parses the first YAML document of `text`. Errors carry a span and a message.
pub fn parse(text: &str, file: FileId) -> Result<Node, (Span, String)> {
    parse_lined(text, file).map(|(root, _)| root)
}

/// [`parse`], and whether the text is *line-shaped*: one document (nothing after it but
/// comments), no plain or quoted scalar and no flow collection running over a line break, no
/// alias, and room for a few more nodes. Every line of such a text starts in block context or inside a
/// block scalar, so [`line_edit_keeps_parse`] can judge a one-line edit from its line.
pub fn parse_lined(text: &str, file: FileId) -> Result<(Node, bool), (Span, String)> {
    let breaks = |r: &std::ops::Range<usize>| {
        text.as_bytes()
            .get(r.clone())
            .is_none_or(|b| b.iter().any(|&c| c == b'\n' || c == b'\r'))
    };
    let mut lined = true;
    // Per open collection: where it starts when it is a flow collection.
    let mut flows: Vec<Option<usize>> = vec![];
    let mut tree = Tree {
        text,
        file,
        stack: vec![],
        anchors: HashMap::new(),
        nodes: 0,
        root: None,
    };
    for item in Parser::new_from_str(text) {
        let (ev, span) = match item {
            Ok(x) => x,
            Err(e) => {
                let at = e.marker().byte_offset().unwrap_or(0).min(text.len());
                return tree.err_at(at, e.info());
            }
        };
        let range = span.byte_range().unwrap_or(0..0);
        let tag_start = span
            .tag_span()
            .and_then(|t| t.byte_range())
            .map(|r| r.start);
        let tag_of = |t: &Option<std::borrow::Cow<'_, granit_parser::Tag>>| {
            t.as_ref()
                .map(|t| (t.to_string(), tag_start.unwrap_or(range.start)))
        };
        let is_sequence = matches!(ev, Event::SequenceStart(..));
        let finished: Option<(Node, usize)> = match ev {
            Event::StreamStart | Event::StreamEnd | Event::DocumentStart(..) => None,
            Event::DocumentEnd => break,
            Event::Scalar(value, style, anchor, tag) => {
                if !matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) && breaks(&range) {
                    lined = false;
                }
                let node = Node::new(
                    Span::new(file, range.start, range.end),
                    NodeKind::Str(Text::lit(value.into_owned())),
                );
                Some((tagged(node, tag_of(&tag), file), anchor))
            }
            Event::SequenceStart(style, anchor, tag) | Event::MappingStart(style, anchor, tag) => {
                let start = tag_start.unwrap_or(range.start).min(range.start);
                flows.push((style == StructureStyle::Flow).then_some(range.start));
                tree.open(is_sequence, start, tag_of(&tag), anchor, range.start)?;
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(Some(start)) = flows.pop()
                    && breaks(&(start..range.end.max(start)))
                {
                    lined = false;
                }
                Some(tree.close(&range)?)
            }
            Event::Alias(id) => {
                // (An entry added inside an anchored node would count once per alias.)
                lined = false;
                Some((tree.alias(id, range.start)?, 0))
            }
            _ => None,
        };
        if let Some((node, anchor)) = finished {
            tree.add(node, anchor, range.start)?;
        }
    }
    let root = tree.root.ok_or((
        Span::new(file, 0, 0),
        "the file holds no YAML document".to_string(),
    ))?;
    // After the document: only comments and blank lines (no end marker, no other document).
    let after = text.get(root.span.end as usize..).unwrap_or("");
    lined &= after.split(['\n', '\r']).all(|l| {
        matches!(
            l.trim_start_matches([' ', '\t']).bytes().next(),
            None | Some(b'#')
        )
    }) && tree.nodes + 16 <= MAX_NODES;
    Ok((root, lined))
}

/// Whether [`parse`] accepts `text`, found from the parser's events without building the tree
/// (a fix's edited text is checked this way). It refuses exactly what `parse` refuses: a
/// scanner or parser error in the first document, nesting deeper than [`MAX_DEPTH`], an alias
/// of no anchor met (anchors count once their node is complete), more than [`MAX_NODES`] nodes
/// (an alias counted as the nodes of its anchor's tree, as `count` counts them: a mapping's
/// values but not its keys, and the wrapper a short-form tag becomes), and no document.
pub fn check(text: &str) -> bool {
    /// An open collection: `count`'s total so far, whether it is a mapping awaiting a value
    /// (else a key, or a sequence), its anchor and whether a short-form tag wraps it.
    struct Open {
        mapping: bool,
        value_next: bool,
        total: usize,
        anchor: usize,
        wrapped: bool,
    }
    let mut stack: Vec<Open> = vec![];
    let mut anchors: HashMap<usize, usize> = HashMap::new();
    let mut nodes = 0usize;
    let mut root = false;
    for item in Parser::new_from_str(text) {
        let Ok((ev, _)) = item else {
            return false;
        };
        let wraps = |t: &Option<std::borrow::Cow<'_, granit_parser::Tag>>| {
            t.as_ref()
                .is_some_and(|t| long_form(&t.to_string()).is_some())
        };
        let mapping = matches!(ev, Event::MappingStart(..));
        // A finished node: its `count` and its anchor.
        let finished: Option<(usize, usize)> = match ev {
            Event::StreamStart | Event::StreamEnd | Event::DocumentStart(..) => None,
            Event::DocumentEnd => break,
            Event::Scalar(_, _, anchor, tag) => Some((1 + usize::from(wraps(&tag)), anchor)),
            Event::SequenceStart(_, anchor, tag) | Event::MappingStart(_, anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return false;
                }
                stack.push(Open {
                    mapping,
                    value_next: false,
                    total: 1,
                    anchor,
                    wrapped: wraps(&tag),
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(o) => Some((o.total + usize::from(o.wrapped), o.anchor)),
                None => return false,
            },
            Event::Alias(id) => {
                let Some(&n) = anchors.get(&id) else {
                    return false;
                };
                nodes += n;
                if nodes > MAX_NODES {
                    return false;
                }
                Some((n, 0))
            }
            _ => None,
        };
        let Some((n, anchor)) = finished else {
            continue;
        };
        nodes += 1;
        if nodes > MAX_NODES {
            return false;
        }
        if anchor != 0 {
            anchors.insert(anchor, n);
        }
        match stack.last_mut() {
            None => root = true,
            Some(o) if o.mapping => {
                // A mapping's keys are not counted, its values are.
                if o.value_next {
                    o.total += n;
                }
                o.value_next = !o.value_next;
            }
            Some(o) => o.total += n,
        }
    }
    root
}

/// Whether replacing `text[start..end]` by `new` leaves a text [`check`] accepts, judged from
/// the edit's line alone. `text` must be one [`parse_lined`] found line-shaped; then every line
/// starts in block context or inside a block scalar. Two edits are judged (any other: `false`,
/// check the whole text):
/// - a quoted scalar, after an optional short tag, that ends its line (a comment may follow)
///   and follows `- ` items and a `KEY: ` (or nothing) on it, replaced by another quoted
///   scalar with the same quotes and tag: in block context one single-line scalar token
///   becomes another that is not a key either; in a block scalar, content stays content;
/// - a line `KEY: VALUE` (a plain or quoted scalar, optionally tagged) added just after a line
///   `[- …]KEY: VALUE` that ends there, at the column of that line's key, when the next line
///   that is not blank or a comment is indented no deeper: one more entry of the same block
///   mapping (or more content of a block scalar).
///
/// Quoted text is printable ASCII without quotes or backslashes, keys and plain values are
/// words of `A-Za-z0-9_./:-`: nothing to escape, nothing that ends a scalar early, no
/// anchor, alias, tag handle or indicator. The node count grows by at most two (room for
/// which line-shaped texts have), and the nesting not at all.
pub fn line_edit_keeps_parse(text: &str, start: usize, end: usize, new: &str) -> bool {
    let bytes = text.as_bytes();
    if start > end
        || end > text.len()
        || !text.is_char_boundary(start)
        || !text.is_char_boundary(end)
    {
        return false;
    }
    let is_break = |b: u8| b == b'\n' || b == b'\r';
    let line_start = bytes[..start]
        .iter()
        .rposition(|&b| is_break(b))
        .map_or(0, |i| i + 1);
    let line_end = bytes[end..]
        .iter()
        .position(|&b| is_break(b))
        .map_or(text.len(), |i| i + end);
    if start < end {
        // A quoted scalar replaced.
        let (Some((old_tag, old)), Some((new_tag, new))) =
            (tagged_word(&text[start..end]), tagged_word(new))
        else {
            return false;
        };
        let suffix = &text[end..line_end];
        let rest = suffix.trim_start_matches(' ');
        old_tag == new_tag
            && quoted(old).is_some()
            && quoted(old) == quoted(new)
            && (rest.is_empty() || (rest.starts_with('#') && rest.len() < suffix.len()))
            && value_prefix(&text[line_start..start])
    } else {
        // A `KEY: VALUE` line added after one.
        let Some(line) = new
            .strip_prefix("\r\n")
            .or_else(|| new.strip_prefix('\n'))
            .filter(|l| !l.bytes().any(is_break))
        else {
            return false;
        };
        let Some((column, value)) = entry(&text[line_start..start]) else {
            return false;
        };
        let indent = line.len() - line.trim_start_matches(' ').len();
        let added = &line[indent..];
        let Some((key, added_value)) = added.split_once(": ") else {
            return false;
        };
        if line_end != start
            || indent != column
            || !word(key)
            || !scalar(value.trim_end_matches(' '))
            || !scalar(added_value)
        {
            return false;
        }
        // The next line with content is indented no deeper than the key (and not by a tab).
        text[line_end..]
            .split(['\n', '\r'])
            .map(|l| {
                (
                    l.len() - l.trim_start_matches(' ').len(),
                    l.trim_start_matches(' '),
                )
            })
            .find(|(_, l)| !l.is_empty() && !l.starts_with('#'))
            .is_none_or(|(n, l)| n <= column && !l.starts_with('\t'))
    }
}

/// A word of a key or plain value: `A-Za-z0-9_./:-`, starting with a letter or digit, not
/// ending with `:`.
fn word(s: &str) -> bool {
    s.len() <= 256
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && !s.ends_with(':')
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_./:-".contains(&b))
}

/// A quoted scalar's quote, when it is one quoted scalar of printable ASCII with no quote
/// or backslash inside.
fn quoted(s: &str) -> Option<u8> {
    let b = s.as_bytes();
    let q = *b.first()?;
    (b.len() >= 2
        && (q == b'"' || q == b'\'')
        && b[b.len() - 1] == q
        && b[1..b.len() - 1]
            .iter()
            .all(|&c| (0x20..=0x7e).contains(&c) && !b"\"'\\".contains(&c)))
    .then_some(q)
}

/// A short tag (`!Sub `, letters and digits) and the rest, or no tag and all of it.
fn tagged_word(s: &str) -> Option<(&str, &str)> {
    match s.strip_prefix('!') {
        None => Some(("", s)),
        Some(r) => {
            let (name, rest) = r.split_once(' ')?;
            (!name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric()))
                .then(|| (&s[..name.len() + 1], rest))
        }
    }
}

/// A plain word or a quoted scalar, optionally after a short tag.
fn scalar(s: &str) -> bool {
    tagged_word(s).is_some_and(|(_, v)| word(v) || quoted(v).is_some())
}

/// A line's text after its indentation and `- ` items.
fn after_items(line: &str) -> &str {
    let mut rest = line.trim_start_matches(' ');
    while let Some(r) = rest.strip_prefix("- ") {
        rest = r.trim_start_matches(' ');
    }
    rest
}

/// Spaces and `- ` items, then `KEY: ` or nothing: what may come before a value on its line.
fn value_prefix(p: &str) -> bool {
    let rest = after_items(p);
    rest.is_empty()
        || rest
            .trim_end_matches(' ')
            .strip_suffix(':')
            .is_some_and(|k| word(k) && rest.ends_with(' '))
}

/// A line `[spaces][- …]KEY: VALUE`: the key's column and the value.
fn entry(line: &str) -> Option<(usize, &str)> {
    let rest = after_items(line);
    let column = line.len() - rest.len();
    let (key, value) = rest.split_once(": ")?;
    word(key).then_some((column, value.trim_start_matches(' ')))
}

/// The tree being built from the parser's events: the collections still open, the anchors
/// met, and how many nodes there are (aliases counted as expanded).
struct Tree<'t> {
    text: &'t str,
    file: FileId,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    nodes: usize,
    root: Option<Node>,
}

impl Tree<'_> {
    fn err_at<T>(&self, at: usize, msg: String) -> Result<T, (Span, String)> {
        Err((Span::new(self.file, at, at + 1), msg))
    }

    /// A sequence or mapping starts.
    fn open(
        &mut self,
        is_sequence: bool,
        start: usize,
        tag: Option<(String, usize)>,
        anchor: usize,
        at: usize,
    ) -> Result<(), (Span, String)> {
        if self.stack.len() >= MAX_DEPTH {
            return self.err_at(at, format!("nesting deeper than {MAX_DEPTH} levels"));
        }
        self.stack.push(if is_sequence {
            Frame::Seq {
                start,
                tag,
                items: vec![],
                anchor,
            }
        } else {
            Frame::Map {
                start,
                tag,
                entries: vec![],
                key: None,
                anchor,
            }
        });
        Ok(())
    }

    /// The innermost collection ends: its node and anchor.
    fn close(&mut self, range: &std::ops::Range<usize>) -> Result<(Node, usize), (Span, String)> {
        let file = self.file;
        // A block collection's end event is empty: it ends with its last child.
        let end = |start: usize, last: Option<usize>| {
            let last = last.unwrap_or(start);
            if range.is_empty() {
                last
            } else {
                range.end.max(last)
            }
        };
        match self.stack.pop() {
            Some(Frame::Seq {
                start,
                tag,
                items,
                anchor,
            }) => {
                let end = end(start, items.last().map(|n| n.span.end as usize));
                let node = Node::new(Span::new(file, start, end), NodeKind::List(items));
                Ok((tagged(node, tag, file), anchor))
            }
            Some(Frame::Map {
                start,
                tag,
                entries,
                anchor,
                ..
            }) => {
                let end = end(start, entries.last().map(|e| e.value.span.end as usize));
                let node = Node::new(Span::new(file, start, end), NodeKind::Map(entries));
                Ok((tagged(node, tag, file), anchor))
            }
            None => self.err_at(range.start, "unbalanced collection".into()),
        }
    }

    /// An alias: a copy of its anchor's node, counted as expanded.
    fn alias(&mut self, id: usize, at: usize) -> Result<Node, (Span, String)> {
        let Some(n) = self.anchors.get(&id) else {
            return self.err_at(at, "unknown alias".into());
        };
        self.nodes += count(n);
        if self.nodes > MAX_NODES {
            return self.err_at(
                at,
                "aliases expand to too many nodes (an alias bomb?)".into(),
            );
        }
        Ok(n.clone())
    }

    /// A finished node joins its collection (or becomes the document).
    fn add(&mut self, node: Node, anchor: usize, at: usize) -> Result<(), (Span, String)> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return self.err_at(at, "the document has too many nodes".into());
        }
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let text = self.text;
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
            }
            Some(Frame::Seq { items, .. }) => {
                let mut node = node;
                // A mapping item of a block sequence starts at its `- `, also when the dash
                // stands alone on the line above.
                if matches!(node.kind, NodeKind::Map(_)) {
                    let start = node.span.start as usize;
                    let before =
                        text[..start.min(text.len())].trim_end_matches([' ', '\t', '\n', '\r']);
                    let indicator = before
                        .strip_suffix('-')
                        .is_some_and(|b| b.is_empty() || b.ends_with([' ', '\t', '\n', '\r']));
                    if indicator {
                        node.span.start = (before.len() - 1) as u32;
                    }
                }
                items.push(node)
            }
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => {
                    let span = node.span;
                    let k = match node.kind {
                        NodeKind::Str(t) => t.into_literal().unwrap_or_else(|t| t.to_string()),
                        _ => format!("?{}", span.start),
                    };
                    *key = Some((k, span));
                }
                Some((k, key_span)) => entries.push(Entry {
                    key: k,
                    key_span,
                    value: node,
                }),
            },
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_run_of_comments_where_a_value_is_awaited_parses() {
        // granit-parser with its `comments` feature stopped at 97 comments buffered while
        // looking ahead ("too many buffered comments"): a commented-out block of old resources
        // under `Resources:` was TG012.
        let old: String = (0..200).map(|i| format!("#  Old{i}: x\n")).collect();
        let text = format!("Resources:\n{old}  B:\n    Type: AWS::S3::Bucket\n");
        let root = parse(&text, 0).expect("parses");
        let resources = root.get("Resources").expect("Resources");
        assert!(matches!(&resources.value.kind, NodeKind::Map(m) if m.len() == 1));
    }

    #[test]
    fn a_mapping_item_starts_at_its_dash_even_alone_on_its_line() {
        let text = "Statement:\n  -\n    Effect: Allow\n  - Effect: Deny\n  - x: a-\n";
        let root = parse(text, 0).unwrap();
        let NodeKind::List(items) = &root.get("Statement").unwrap().value.kind else {
            panic!("a list");
        };
        let starts: Vec<usize> = items.iter().map(|n| n.span.start as usize).collect();
        assert_eq!(starts, [13, 35, 52]);
        assert!(starts.iter().all(|&s| &text[s..s + 1] == "-"));
    }

    #[test]
    fn short_forms_become_long_forms_with_spans() {
        let text = "A: !Ref Bucket\nB: !GetAtt [Key, Arn]\nC: !Sub\n  - 'x${Y}'\n  - {Y: !Ref Z}\n";
        let n = parse(text, 0).unwrap();
        let a = &n.get("A").unwrap().value;
        assert_eq!(&text[a.span.range()], "!Ref Bucket");
        assert_eq!(
            a.get("Ref").unwrap().value.scalar_text().unwrap().as_str(),
            Some("Bucket")
        );
        let b = &n.get("B").unwrap().value;
        assert!(
            matches!(&b.get("Fn::GetAtt").unwrap().value.kind, NodeKind::List(l) if l.len() == 2)
        );
        assert!(n.get("C").unwrap().value.get("Fn::Sub").is_some());
    }

    #[test]
    fn alias_bombs_are_bounded() {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            s.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n", p = i - 1));
        }
        let e = parse(&s, 0).unwrap_err();
        assert!(e.1.contains("too many nodes"), "{}", e.1);
        assert!(!check(&s));
    }

    /// `check` answers what `parse` answers, on every YAML file of the repository's fixtures
    /// and examples, on many edits of each (cut short, a YAML indicator slipped in, a stretch
    /// taken out), and on texts made for each refusal.
    #[test]
    fn check_agrees_with_parse() {
        let mut texts: Vec<String> = vec![
            String::new(),
            "---\n...\n".into(),
            "a: 1\n---\nb: [\n".into(),
            "a: *nowhere\n".into(),
            "a: &x [1, *x]\n".into(),
            "a: &x !Sub \"s\"\nb: *x\nc: [*x, *x]\n".into(),
            "a: &m {k: !Ref v, l: [1, 2]}\nb: *m\n".into(),
            "? [a, b]\n: c\n? &k {x: 1}\n: *k\n".into(),
            "- !GetAtt A.B\n- !Unknown x\n- !If [c, !Ref a, !Ref b]\n".into(),
            format!("{}{}", "[".repeat(255), "]".repeat(255)),
            format!("{}{}", "[".repeat(256), "]".repeat(256)),
            format!("{}{}", "[".repeat(257), "]".repeat(257)),
            format!("{}{}", "[".repeat(300), "]".repeat(300)),
        ];
        // Around the node limit: 10,005 + 10,002 m nodes (m aliases of a list of 10,000).
        for m in [198, 199] {
            let items = vec!["x"; 10_000].join(", ");
            let aliases = vec!["*x"; m].join(", ");
            texts.push(format!("a: &x [{items}]\nb: [{aliases}]\n"));
        }
        // Refused only because a short-form tag's wrapper counts: 2,000,987 nodes (1,998,993
        // without it).
        let items = vec!["x"; 1000].join(", ");
        let aliases = vec!["*x"; 1994].join(", ");
        texts.push(format!("a: &x !GetAtt [{items}]\nb: [{aliases}]\n"));
        // Accepted only because a mapping's keys do not count: 1,996,985 nodes.
        let members: Vec<String> = (0..1000).map(|i| format!("k{i}: v")).collect();
        let aliases = vec!["*x"; 1990].join(", ");
        texts.push(format!(
            "a: &x {{{}}}\nb: [{aliases}]\n",
            members.join(", ")
        ));
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![];
        for dir in ["testdata", "examples"] {
            for e in ignore::WalkBuilder::new(root.join(dir))
                .standard_filters(false)
                .build()
            {
                let p = e.unwrap().into_path();
                let name = p.to_string_lossy().to_string();
                if [".yaml", ".yml", ".template"]
                    .iter()
                    .any(|x| name.ends_with(x))
                {
                    files.push(std::fs::read_to_string(&p).unwrap_or_default());
                }
            }
        }
        assert!(files.len() > 20, "only {} YAML fixtures found", files.len());
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        };
        let bits = [
            ":",
            "- ",
            " ",
            "\n",
            "'",
            "\"",
            "&a ",
            "*a ",
            "!Ref ",
            "!Sub ",
            "{",
            "[",
            "]",
            "}",
            "#",
            "\t",
            "? ",
            "&b [",
            "*b",
            "---\n",
            "...\n",
            "|\n",
            "%YAML 1.2\n",
        ];
        for f in &files {
            texts.push(f.clone());
            let boundary = |t: &str, mut i: usize| {
                while !t.is_char_boundary(i) {
                    i -= 1;
                }
                i
            };
            for _ in 0..12 {
                let at = boundary(f, next(f.len() + 1));
                texts.push(f[..at].to_string());
                let bit = bits[next(bits.len())];
                texts.push(format!("{}{bit}{}", &f[..at], &f[at..]));
                let to = boundary(f, (at + next(40)).min(f.len()));
                texts.push(format!("{}{}", &f[..at], &f[to..]));
            }
        }
        let (mut ok, mut refused) = (0, 0);
        for t in &texts {
            let parsed = parse(t, 0).is_ok();
            assert_eq!(check(t), parsed, "check and parse disagree on:\n{t}");
            if parsed { ok += 1 } else { refused += 1 }
        }
        // Both answers are exercised many times.
        assert!(ok > 100 && refused > 100, "{ok} parsed, {refused} refused");
    }

    use crate::testing::Rng;

    /// Text for scalars: mostly safe, sometimes what ends or changes a scalar.
    fn chunk(r: &mut Rng) -> String {
        (0..r.below(6))
            .map(|_| {
                if r.below(4) > 0 {
                    r.pick(&[
                        "arn",
                        ":",
                        "${AWS::AccountId}",
                        "/",
                        "*",
                        "AWSLogs",
                        "x-y",
                        ".",
                    ])
                } else {
                    r.pick(&[
                        " ", "a b", "#", " #c", ": ", "\"", "'", "\\", "\\n", "{", "}", "[", "]",
                        ",", "\t", "é", "&a", "*a", "!", "|", ">", "%", "@", "`", "-", "? ", "\n",
                        "\r",
                    ])
                }
            })
            .collect()
    }

    fn quoted_value(r: &mut Rng) -> String {
        let tag = r.pick(&["", "", "!Sub ", "!Ref ", "!!str ", "! ", "!Sub  "]);
        let q = r.pick(&["\"", "'", "\"", "", "'"]);
        let end = if r.below(12) == 0 { "" } else { q };
        format!("{tag}{q}{}{end}", chunk(r))
    }

    fn value(r: &mut Rng, depth: usize, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent + 2);
        match r.below(if depth > 2 { 5 } else { 11 }) {
            0 => out.push_str(&format!(
                " {}\n",
                r.pick(&[
                    "word",
                    "a.b/c",
                    "s3:x-amz-acl",
                    "v:",
                    "foo \"x\"",
                    "a 'b'",
                    "[a, \"b\"]"
                ])
            )),
            1 | 2 => out.push_str(&format!(" {}\n", quoted_value(r))),
            3 => out.push_str(&format!(" {} # note\n", quoted_value(r))),
            // A block scalar whose lines look like entries and items.
            4 => {
                out.push_str(&format!(" {}\n", r.pick(&["|", ">", "|-", "|2"])));
                for _ in 0..1 + r.below(3) {
                    out.push_str(&format!(
                        "{pad}{}{}: {}\n",
                        r.pick(&["", "- ", "  "]),
                        r.pick(&["k", "Resource", "aws:SourceArn"]),
                        quoted_value(r)
                    ));
                }
            }
            // Scalars and flow collections over several lines.
            5 => out.push_str(&format!(
                " \"first\n{pad}k: {}\n{pad}last\"\n",
                quoted_value(r)
            )),
            6 => out.push_str(&format!(
                " 'first\n{pad}- {}\n{pad}last'\n",
                quoted_value(r)
            )),
            7 => out.push_str(&format!(" [a,\n{pad}{}\n{pad}]\n", quoted_value(r))),
            8 => out.push_str(&format!(" {{k: {},\n{pad}l: m}}\n", quoted_value(r))),
            9 => {
                out.push('\n');
                mapping(r, depth + 1, indent + 2, out);
            }
            _ => {
                out.push('\n');
                for _ in 0..1 + r.below(3) {
                    out.push_str(&format!("{pad}-"));
                    if r.below(2) == 0 {
                        out.push_str(&format!(" {}\n", quoted_value(r)));
                    } else {
                        out.push_str(&format!(" k{}:", r.below(3)));
                        value(r, depth + 1, indent + 4, out);
                    }
                }
            }
        }
    }

    fn mapping(r: &mut Rng, depth: usize, indent: usize, out: &mut String) {
        for i in 0..1 + r.below(4) {
            if r.below(8) == 0 {
                out.push_str(&format!("{}# a comment\n", " ".repeat(r.below(6))));
            }
            out.push_str(&format!(
                "{}{}{i}:",
                " ".repeat(indent),
                r.pick(&["Key", "s3:k", "a.b"])
            ));
            value(r, depth, indent, out);
        }
    }

    /// Every one-line edit [`line_edit_keeps_parse`] vouches for leaves a text [`check`] accepts,
    /// over generated texts (block scalars, comments, flow collections and scalars over several
    /// lines, tags) and edits (quotes, escapes, indicators, breaks, wrong indentation).
    #[test]
    fn line_edits_vouched_for_parse() {
        let mut r = Rng(0x9e37_79b9_7f4a_7c15);
        let (mut vouched, mut declined, mut texts_lined) = ([0, 0], 0, 0);
        for _ in 0..30_000 {
            let mut text = String::from(r.pick(&[
                "",
                "---\n",
                "# top\n",
                "%YAML 1.2\n---\n",
                "\u{feff}",
                "--- # c\n",
            ]));
            mapping(&mut r, 0, 0, &mut text);
            text.push_str(r.pick(&["", "", "...\n", "---\nb: [\n", "# end\n"]));
            let Ok((_, lined)) = parse_lined(&text, 0) else {
                continue;
            };
            if !lined {
                continue;
            }
            texts_lined += 1;
            // Edits: scalars replaced (at their spans, or a little off), lines added after
            // line ends (at the columns of keys nearby, or others).
            let mut edits: Vec<(usize, usize, String)> = vec![];
            let mut spans = vec![];
            let mut stack = vec![parse(&text, 0).unwrap()];
            while let Some(n) = stack.pop() {
                spans.push((n.span.start as usize, n.span.end as usize));
                match n.kind {
                    NodeKind::List(l) => stack.extend(l),
                    NodeKind::Map(m) => stack.extend(m.into_iter().map(|e| e.value)),
                    _ => {}
                }
            }
            for (s, e) in spans {
                let (s, e) = match r.below(8) {
                    0 => (s.saturating_sub(1), e),
                    1 => (s, (e + 1).min(text.len())),
                    2 => (s, e.saturating_sub(1).max(s)),
                    _ => (s, e),
                };
                if !text.is_char_boundary(s) || !text.is_char_boundary(e) || s == e {
                    continue;
                }
                // Mostly the same tag and quotes with other text, else anything.
                let old = &text[s..e];
                let head = old.find(['"', '\'']).map_or(0, |q| q + 1);
                let new = if r.below(3) > 0 && head > 0 {
                    format!("{}{}{}", &old[..head], chunk(&mut r), &old[head - 1..head])
                } else {
                    quoted_value(&mut r)
                };
                edits.push((s, e, new));
            }
            // And from each quote to the next one (inside other scalars too).
            for (i, c) in text.char_indices() {
                if let Some(j) = (c == '"' || c == '\'')
                    .then(|| text[i + 1..].find(c))
                    .flatten()
                {
                    let new = format!("{c}{}{c}", chunk(&mut r));
                    edits.push((i, i + j + 2, new));
                }
            }
            let mut line_start = 0;
            for (i, c) in text.char_indices() {
                if c != '\n' {
                    continue;
                }
                let line = &text[line_start..i];
                let key_at = line.len() - line.trim_start_matches([' ', '-']).len();
                line_start = i + 1;
                let key = r.pick(&["aws:SourceArn", "k", "k", "k", "-k", "a b", "s3:x", "k:"]);
                let indent = match r.below(4) {
                    0 => r.below(10),
                    1 => (key_at + 2).saturating_sub(r.below(5)),
                    _ => key_at,
                };
                let value = match r.below(4) {
                    0 => chunk(&mut r),
                    1 => r.pick(&["word", "v:", "a.b/c-d"]).to_string(),
                    _ => quoted_value(&mut r),
                };
                let brk = r.pick(&["\n", "\r\n", "\n", "\n", "\n", "\n\n", ""]);
                let at = if r.below(6) == 0 {
                    i.saturating_sub(1)
                } else {
                    i
                };
                if text.is_char_boundary(at) {
                    edits.push((at, at, format!("{brk}{}{key}: {value}", " ".repeat(indent))));
                }
            }
            for (start, end, new) in edits {
                if line_edit_keeps_parse(&text, start, end, &new) {
                    vouched[usize::from(start == end)] += 1;
                    let edited = format!("{}{new}{}", &text[..start], &text[end..]);
                    assert!(
                        check(&edited),
                        "vouched for, but does not parse:\n{edited}\n(from)\n{text}"
                    );
                } else {
                    declined += 1;
                }
            }
        }
        // Many texts, and both kinds of edits vouched for many times.
        assert!(texts_lined > 2000, "{texts_lined} line-shaped texts");
        assert!(
            vouched[0] > 1000 && vouched[1] > 100 && declined > 10_000,
            "{vouched:?} vouched (replaced, added), {declined} declined"
        );
    }

    #[test]
    fn line_shapes_and_line_edits() {
        let lined = |t: &str| parse_lined(t, 0).map(|(_, l)| l).unwrap_or(false);
        let template = "Resources:\n  P:\n    Properties:\n      Resource: !Sub \"${B.Arn}/x/*\"\n      Condition:\n        StringEquals:\n          s3:x-amz-acl: bucket-owner-full-control\n  T:\n    Type: X\n";
        assert!(lined(template));
        // Not line-shaped: a scalar or flow collection over lines, an alias, a second document.
        assert!(!lined("a: \"x\n  y\"\n"));
        assert!(!lined("a: x\n  y\n"));
        assert!(!lined("a: [1,\n  2]\n"));
        assert!(!lined("a: &x 1\nb: *x\n"));
        assert!(!lined("a: 1\n---\nb: 2\n"));
        assert!(lined("a: |\n  x: \"y\n  z\n"));
        let at = |s: &str| template.find(s).unwrap();
        let r = at("!Sub");
        let r_end = r + "!Sub \"${B.Arn}/x/*\"".len();
        let keeps = |s: usize, e: usize, new: &str| line_edit_keeps_parse(template, s, e, new);
        assert!(keeps(r, r_end, "!Sub \"${B.Arn}/y/AWSLogs/*\""));
        // Another tag, other quotes, a quote or backslash inside, a line break: not judged.
        assert!(!keeps(r, r_end, "!GetAtt \"B.Arn\""));
        assert!(!keeps(r, r_end, "!Sub '${B.Arn}/y/*'"));
        assert!(!keeps(r, r_end, "!Sub \"a\"b\""));
        assert!(!keeps(r, r_end, "!Sub \"a\\\"b\""));
        assert!(!keeps(r, r_end, "!Sub \"a\nb\""));
        let i = at("bucket-owner-full-control") + "bucket-owner-full-control".len();
        let line = "\n          aws:SourceArn: !Sub \"arn:${AWS::Partition}:cloudtrail:x\"";
        assert!(keeps(i, i, line));
        assert!(keeps(
            i,
            i,
            "\r\n          aws:SourceAccount: '111122223333'"
        ));
        // At another column, or not at a line's end, or two lines: not judged.
        assert!(!keeps(i, i, &line.replacen("          ", "        ", 1)));
        assert!(!keeps(i - 1, i - 1, line));
        assert!(!keeps(i, i, &format!("{line}{line}")));
        // After a key whose value is on the next lines: not judged.
        let c = at("StringEquals:") + "StringEquals:".len();
        assert!(!keeps(c, c, "\n        aws:SourceArn: x"));
        // A span that ends inside a character is no edit (and no panic).
        let t = "k: \"\u{e9}\"\n";
        assert!(lined(t) && !line_edit_keeps_parse(t, 3, 5, "\"y\""));
        // Lone CR line breaks: judged the same way, and right.
        let t = "a:\r  k: \"x\"\r  l: v\r";
        assert!(lined(t));
        let k = t.find("\"x\"").unwrap();
        assert!(line_edit_keeps_parse(t, k, k + 3, "\"y\""));
        assert!(check("a:\r  k: \"y\"\r  l: v\r"));
        let e = k + 3;
        assert!(line_edit_keeps_parse(t, e, e, "\n  m: \"z\""));
        assert!(check("a:\r  k: \"x\"\n  m: \"z\"\r  l: v\r"));
    }
}
