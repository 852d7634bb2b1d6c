//! The `lint` page: findings counted by severity, each file's findings worst first, and the
//! explain page of every rule that fired, on the same page (links stay inside it).

use std::collections::BTreeSet;

use maud::html;

use super::show::optional;
use super::svg::count_bar;
use super::{HtmlBody, shown, status, tone};
use crate::report::lint::{LintJson, RULES, explain};

fn severity_rank(severity: &str) -> u8 {
    match severity {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    }
}

fn worst_first(file: &LintJson) -> Vec<&crate::report::lint::LintFindingJson> {
    let mut findings: Vec<_> = file.findings.iter().collect();
    findings.sort_by_key(|finding| severity_rank(finding.severity));
    findings
}

/// The page of lint findings over one file or many.
pub(crate) fn lint_page(files: &[LintJson]) -> HtmlBody {
    let (errors, warnings, infos) =
        files
            .iter()
            .fold((0usize, 0usize, 0usize), |(e, w, i), file| {
                (
                    e.saturating_add(file.counts.error),
                    w.saturating_add(file.counts.warning),
                    i.saturating_add(file.counts.info),
                )
            });
    let parts = vec![
        ("error".to_owned(), errors),
        ("warning".to_owned(), warnings),
        ("info".to_owned(), infos),
    ];
    let rules: BTreeSet<&str> = files
        .iter()
        .flat_map(|file| file.findings.iter().map(|finding| finding.rule))
        .collect();
    let worst = if errors > 0 {
        "error"
    } else if warnings > 0 {
        "warning"
    } else {
        "ok"
    };
    HtmlBody {
        title: Some(match files {
            [one] => shown(&one.path),
            more => format!("{} files", more.len()),
        }),
        body: html! {
            p class={ "verdict " (tone(worst)) } {
                (errors) " errors, " (warnings) " warnings, " (infos) " notes in " (files.len()) " file"
                @if files.len() != 1 { "s" }
            }
            (count_bar(&parts))
            @for file in files {
                h2 { code { (shown(&file.path)) } }
                @if file.findings.is_empty() {
                    p { (status("ok")) " Nothing found." }
                } @else {
                    @let findings = worst_first(file);
                    div.table-wrap { table {
                        thead { tr { th { "Severity" } th { "Rule" } th { "Where" } th { "Finding" } th { "Fix" } } }
                        tbody { @for finding in findings { tr {
                            td { (status(finding.severity)) }
                            td { a href={ "#rule-" (finding.rule) } { code { (finding.rule) } } }
                            td {
                                @match (finding.record, finding.element.as_deref()) {
                                    (Some(record), Some(element)) => { "record " (record) ", " (shown(element)) }
                                    (Some(record), None) => { "record " (record) }
                                    (None, Some(element)) => { (shown(element)) }
                                    (None, None) => { "the file" }
                                }
                            }
                            td { (shown(&finding.message)) }
                            td { (optional(finding.fix.as_deref())) }
                        } } }
                    } }
                }
            }
            @if !rules.is_empty() {
                h2 { "The rules that fired" }
                @for rule in &rules {
                    details id={ "rule-" (rule) } {
                        summary {
                            code { (rule) }
                            @if let Some(page) = RULES.iter().find(|page| page.rule.as_str() == *rule) {
                                " " (page.title)
                            }
                        }
                        pre.page-text { (shown(&explain(rule).unwrap_or_default())) }
                    }
                }
            }
        },
    }
}
