use super::apply::{apply, compatible};
use super::*;

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
