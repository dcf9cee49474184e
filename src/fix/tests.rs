use super::apply::{apply, compatible};
use super::*;
use crate::policy::Shape;
use spell::Speller;

fn edit(start: usize, end: usize, text: &str) -> Edit {
    Edit {
        span: Span::new(0, start, end),
        text: text.into(),
    }
}

fn fix(edits: Vec<Edit>) -> Fix {
    Fix {
        title: "t".into(),
        applicability: Applicability::Safe,
        edits,
    }
}

#[test]
fn edits_apply_from_the_end_and_colliding_fixes_wait() {
    let a = fix(vec![edit(0, 1, "X"), edit(4, 4, "!")]);
    let b = fix(vec![edit(4, 5, "Y")]);
    let c = fix(vec![edit(2, 3, "Z")]);
    let taken = compatible([&a, &b, &c]);
    assert_eq!(taken.len(), 2);
    let edits: Vec<&Edit> = taken.iter().flat_map(|f| &f.edits).collect();
    assert_eq!(apply("abcdef", &edits), "XbZd!ef");
}

fn place(text: &str, syntax: crate::hint::Syntax, escaped: bool) -> write::Place<'_> {
    write::Place {
        text,
        syntax,
        dialect: Dialect::Plain,
        escaped,
        unit: Default::default(),
        short_tags: true,
        crlf: text.contains("\r\n"),
        speller: std::sync::Arc::new(Speller::new(Dialect::Plain, 0, &[])),
    }
}

/// An object's shape: its span and its members (`key` through the end of its value), found by
/// the given member texts.
fn shape(text: &str, object: &str, members: &[&str]) -> Shape {
    let start = text.find(object).unwrap();
    Shape {
        span: Span::new(0, start, start + object.len()),
        members: members
            .iter()
            .map(|m| {
                let s = start + text[start..].find(m).unwrap();
                Span::new(0, s, s + m.len())
            })
            .collect(),
    }
}

fn insert(
    text: &str,
    syntax: crate::hint::Syntax,
    escaped: bool,
    obj: &str,
    members: &[&str],
) -> String {
    let p = place(text, syntax, escaped);
    let sh = shape(text, obj, members);
    let v = V::Str(Text::lit("bucket-owner-full-control"));
    let e = p.insert_member(&sh, "s3:x-amz-acl", &v).unwrap();
    apply(text, &[&e])
}

#[test]
fn members_are_added_in_the_object_s_own_layout() {
    use crate::hint::Syntax;
    // JSON on several lines: after the last member, with its indentation.
    let t = "{\n    \"a\": 1,\n    \"b\": 2\n}\n";
    assert_eq!(
        insert(
            t,
            Syntax::Json,
            false,
            "{\n    \"a\": 1,\n    \"b\": 2\n}",
            &["\"a\": 1", "\"b\": 2"]
        ),
        "{\n    \"a\": 1,\n    \"b\": 2,\n    \"s3:x-amz-acl\": \"bucket-owner-full-control\"\n}\n"
    );
    // HCL on one line needs a comma.
    let t = "x = { a = 1 }\n";
    assert_eq!(
        insert(t, Syntax::Hcl, false, "{ a = 1 }", &["a = 1"]),
        "x = { a = 1, \"s3:x-amz-acl\" = \"bucket-owner-full-control\" }\n"
    );
    // HCL on several lines, a comment after the last member: a line of its own after it.
    let t = "{\n  a = 1 # one\n}\n";
    assert_eq!(
        insert(t, Syntax::Hcl, false, "{\n  a = 1 # one\n}", &["a = 1"]),
        "{\n  a = 1 # one\n  \"s3:x-amz-acl\" = \"bucket-owner-full-control\"\n}\n"
    );
    // YAML flow and block.
    let t = "c: {a: b}\n";
    assert_eq!(
        insert(t, Syntax::Yaml, false, "{a: b}", &["a: b"]),
        "c: {a: b, \"s3:x-amz-acl\": bucket-owner-full-control}\n"
    );
    let t = "c:\n\ta: b\nd: e\n";
    assert_eq!(
        insert(t, Syntax::Yaml, false, "a: b", &["a: b"]),
        "c:\n\ta: b\n\ts3:x-amz-acl: bucket-owner-full-control\nd: e\n"
    );
    // Inside a JSON string: escaped, on the same line.
    let t = r#"{"P": "{\"a\":1}"}"#;
    assert_eq!(
        insert(t, Syntax::Json, true, r#"{\"a\":1}"#, &[r#"\"a\":1"#]),
        r#"{"P": "{\"a\":1, \"s3:x-amz-acl\": \"bucket-owner-full-control\"}"}"#
    );
}

#[test]
fn indentation_units_are_read_from_the_file() {
    assert_eq!(write::indent_unit("a:\n    b:\n        c: 1\n"), "    ");
    assert_eq!(
        write::indent_unit("{\n  \"a\": {\n    \"b\": 1\n  }\n}\n"),
        "  "
    );
    assert_eq!(write::indent_unit("a {\n\tb = 1\n}\n"), "\t");
    assert_eq!(write::indent_unit("{}"), "  ");
}

#[test]
fn an_edited_json_text_parses_as_the_frontend_parses_it() {
    let p = std::path::Path::new("t.json");
    assert!(apply::parses(p, r#"{"a": [1, "x\u00e9"]}"#));
    // JSON with comments and trailing commas, as the frontend reads it.
    assert!(apply::parses(p, "{\"a\": 1, // note\n}"));
    // A lone surrogate escape: serde_json lets it pass, the frontend does not.
    assert!(!apply::parses(p, r#"{"a": "\ud800"}"#));
    assert!(!apply::parses(p, r#"{"a": 1"#));
}

#[test]
fn a_file_whose_fixes_would_parse_it_too_often_is_checked_by_fix_rounds_instead() {
    let file = |kb: usize| {
        crate::source::SourceFile::new(
            std::path::PathBuf::from(format!("t{kb}.yaml")),
            format!("t{kb}.yaml"),
            " ".repeat(kb * 1024),
        )
    };
    let sources = SourceMap {
        files: vec![file(100), file(100), file(10)],
    };
    // 40 fixes in 100 KB: 4 MB of parsing, the most allowed; 41 are one too many. 400 fixes
    // in 10 KB are as many bytes.
    let fixes = std::collections::HashMap::from([(0, 41), (1, 40), (2, 400)]);
    let scan = Scan::new(&sources, &fixes);
    assert!(scan.crowded.contains(&0));
    assert!(!scan.crowded.contains(&1));
    assert!(!scan.crowded.contains(&2));
    assert_eq!(MAX_CHECKED_PER_FILE, 4 * 1024 * 1024);
}
