//! YAML to [`Node`] trees with byte spans (granit-parser events). CloudFormation's short-form
//! tags (`!Ref X`, `!Sub …`, `!GetAtt A.B`, …) become the long form (`{"Ref": "X"}`,
//! `{"Fn::Sub": …}`) on scalars, sequences and mappings alike, so YAML and JSON templates are
//! evaluated the same way. Anchors and aliases are expanded with a bound on the total size
//! (alias bombs), and nesting is bounded.

use crate::source::{FileId, Span};
use crate::value::{Entry, Node, NodeKind, Text};
use granit_parser::{Event, Parser};
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
            Event::Scalar(value, _style, anchor, tag) => {
                let node = Node::new(
                    Span::new(file, range.start, range.end),
                    NodeKind::Str(Text::lit(value.into_owned())),
                );
                Some((tagged(node, tag_of(&tag), file), anchor))
            }
            Event::SequenceStart(_, anchor, tag) | Event::MappingStart(_, anchor, tag) => {
                let start = tag_start.unwrap_or(range.start).min(range.start);
                tree.open(is_sequence, start, tag_of(&tag), anchor, range.start)?;
                None
            }
            Event::SequenceEnd | Event::MappingEnd => Some(tree.close(&range)?),
            Event::Alias(id) => Some((tree.alias(id, range.start)?, 0)),
            _ => None,
        };
        if let Some((node, anchor)) = finished {
            tree.add(node, anchor, range.start)?;
        }
    }
    tree.root.ok_or((
        Span::new(file, 0, 0),
        "the file holds no YAML document".into(),
    ))
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
}
