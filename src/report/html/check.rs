//! The `check` page: whether the list holds the cluster's certificates, each certificate's
//! validity on one time axis, then the findings with their advice.

use maud::html;
use time::OffsetDateTime;

use super::show::{optional, validity};
use super::svg::validity_timeline;
use super::{HtmlBody, shown, status, tone};
use crate::report::check::CheckJson;

/// The page of a check of `path`.
pub(crate) fn check_page(json: &CheckJson, path: &str, now: OffsetDateTime) -> HtmlBody {
    let rows: Vec<_> = json
        .findings
        .iter()
        .filter_map(|finding| {
            validity(
                format!("{} {}", finding.role, finding.certificate),
                finding.not_before.as_deref(),
                finding.not_after.as_deref(),
            )
        })
        .collect();
    let verdict = if json.in_sync {
        "in_sync"
    } else {
        "out_of_sync"
    };
    HtmlBody {
        title: Some(shown(path)),
        body: html! {
            p class={ "verdict " (tone(verdict)) } {
                (status(verdict)) " "
                @if json.in_sync { "The list holds every certificate of the cluster given." }
                @else { "The list and the cluster's certificates differ: see the findings." }
            }
            h2 { "Certificate validity" }
            (validity_timeline(&rows, now))
            h2 { "Findings" }
            div.table-wrap { table {
                thead { tr { th { "Certificate" } th { "Role" } th { "Status" } th { "Record" }
                    th { "Serial in the list" } th { "Serial on the server" } th { "Detail" } th { "Advice" } } }
                tbody { @for finding in &json.findings { tr {
                    td { (shown(&finding.certificate)) }
                    td { (shown(&finding.role)) }
                    td { (status(&finding.status)) " " code { (shown(&finding.code)) } }
                    td { @if let Some(record) = finding.record { (record) } @else { span.muted { "none" } } }
                    td.mono { (optional(finding.file_serial.as_deref())) }
                    td.mono { (optional(finding.server_serial.as_deref())) }
                    td { (shown(&finding.detail)) }
                    td { (optional(finding.advice.as_deref())) }
                } } }
            } }
        },
    }
}
