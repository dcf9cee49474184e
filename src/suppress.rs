//! Suppressions: inline `trailguard:ignore TG003 -- reason` comments (collected by the
//! frontends as line ranges) and TG000 for those that match nothing.

use crate::model::Suppression;
use crate::report::Finding;
use crate::rules::TG000;
use crate::source::SourceMap;

/// Parses the rule list of a `trailguard:ignore` comment body, if the comment is one.
pub fn parse_comment(comment: &str) -> Option<Vec<String>> {
    let at = comment.find("trailguard:ignore")?;
    let rest = &comment[at + "trailguard:ignore".len()..];
    let rest = rest.split("--").next().unwrap_or("");
    let rules: Vec<String> = rest
        .split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .take_while(|s| s.len() == 5 && s.starts_with("TG"))
        .map(str::to_string)
        .collect();
    (!rules.is_empty()).then_some(rules)
}

/// Removes suppressed findings and appends TG000 for suppressions of selected rules that
/// matched nothing. `selected` tells whether a rule ID is reported at all.
pub fn apply(
    findings: Vec<Finding>,
    suppressions: &[Suppression],
    sources: &SourceMap,
    selected: &dyn Fn(&str) -> bool,
) -> Vec<Finding> {
    let mut used = vec![vec![false; 0]; suppressions.len()];
    for (u, s) in used.iter_mut().zip(suppressions) {
        *u = vec![false; s.rules.len()];
    }
    let mut kept = Vec::with_capacity(findings.len());
    for f in findings {
        let line = sources.start(f.span).line;
        let mut hit = false;
        for (si, s) in suppressions.iter().enumerate() {
            if s.span.file != f.span.file || !s.lines.iter().any(|&(a, b)| a <= line && line <= b) {
                continue;
            }
            if let Some(ri) = s.rules.iter().position(|r| r == f.rule.id) {
                used[si][ri] = true;
                hit = true;
            }
        }
        if !hit {
            kept.push(f);
        }
    }
    if selected(TG000.id) {
        for (si, s) in suppressions.iter().enumerate() {
            let unused: Vec<&str> = s
                .rules
                .iter()
                .zip(&used[si])
                .filter(|(r, u)| !**u && selected(r))
                .map(|(r, _)| r.as_str())
                .collect();
            if !unused.is_empty() {
                kept.push(
                    Finding::new(
                        &TG000,
                        s.span,
                        format!(
                            "this suppression of {} matches no finding",
                            unused.join(", ")
                        ),
                    )
                    .hint("remove the suppression, or move it to the line of the finding"),
                );
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_forms() {
        assert_eq!(
            parse_comment("# trailguard:ignore TG003 -- reason"),
            Some(vec!["TG003".into()])
        );
        assert_eq!(
            parse_comment("// trailguard:ignore TG003,TG004"),
            Some(vec!["TG003".into(), "TG004".into()])
        );
        assert_eq!(parse_comment("# nothing here"), None);
        assert_eq!(parse_comment("# trailguard:ignore"), None);
    }
}
