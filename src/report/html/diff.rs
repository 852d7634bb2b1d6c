//! The `diff` page: the phone's copy and the server's side by side — header fields, then the
//! records that differ, aligned, with the changed fields marked.

use maud::{Markup, html};

use super::show::optional;
use super::{HtmlBody, shown, status, tone};
use crate::report::diff::{DiffJson, DiffRecordJson, SideJson};

fn side(title: &str, side: &SideJson) -> Markup {
    html! {
        div {
            h3 { (title) }
            p { code { (optional(side.path.as_deref())) } }
            p.mono { "MD5 " (optional(side.md5.as_deref())) br; "SHA-1 " (optional(side.sha1.as_deref())) }
        }
    }
}

/// The cells of one record (function, name, serial), the changed ones marked.
fn record_cells(record: Option<&DiffRecordJson>, changed: &[String]) -> Markup {
    // The changed fields are element names (`SERIALNUMBER`, `CERTIFICATE`…).
    let class = |column: &str| {
        let elements: &[&str] = match column {
            "function" => &["FUNCTION"],
            "name" => &["SUBJECTNAME", "DNSNAME"],
            _ => &["SERIALNUMBER"],
        };
        if changed.iter().any(|name| elements.contains(&name.as_str())) {
            "changed"
        } else {
            ""
        }
    };
    match record {
        Some(record) => html! {
            td { (record.index) }
            td class=(class("function")) { (shown(&record.function)) }
            td class=(class("name")) { (shown(&record.name)) }
            td class={ "mono " (class("serial")) } { (optional(record.serial.as_deref())) }
        },
        None => html! { td colspan="4" { span.muted { "not in this file" } } },
    }
}

/// The page comparing two trust lists.
pub(crate) fn diff_page(json: &DiffJson) -> HtmlBody {
    let verdict = json.acceptance.as_deref();
    let all_fields: Vec<String> = ["FUNCTION", "SUBJECTNAME", "SERIALNUMBER"]
        .iter()
        .map(|field| (*field).to_owned())
        .collect();
    HtmlBody {
        title: Some(format!(
            "{} against {}",
            shown(json.phone.path.as_deref().unwrap_or("phone")),
            shown(json.server.path.as_deref().unwrap_or("server"))
        )),
        body: html! {
            p class={ "verdict " (if json.identical { "ok" } else { verdict.map_or("warn", tone) }) } {
                @if json.identical { (status("ok")) " The two files are byte for byte the same." }
                @else { "The files differ." }
                @if let (Some(acceptance), Some(reason)) = (verdict, json.acceptance_reason.as_deref()) {
                    " " (status(acceptance)) " " (shown(reason))
                }
            }
            div.side-by-side { (side("Phone's copy", &json.phone)) (side("Server's file", &json.server)) }
            @if !json.header_changes.is_empty() {
                h2 { "Header fields that differ" }
                div.table-wrap { table {
                    thead { tr { th { "Field" } th { "Phone's copy" } th { "Server's file" } } }
                    tbody { @for change in &json.header_changes { tr.changed {
                        th scope="row" { (shown(&change.field)) }
                        td { (optional(change.phone.as_deref())) }
                        td { (optional(change.server.as_deref())) }
                    } } }
                } }
            }
            h2 { "Records that differ" }
            @if json.records.added.is_empty() && json.records.removed.is_empty() && json.records.changed.is_empty() {
                p.muted { "None: every record is in both files, unchanged." }
            } @else {
                div.table-wrap { table {
                    thead {
                        tr { th colspan="4" { "Phone's copy" } th colspan="4" { "Server's file" } th rowspan="2" { "What differs" } }
                        tr { @for _ in 0..2 { th { "#" } th { "Function" } th { "Name" } th { "Serial" } } }
                    }
                    tbody {
                        @for change in &json.records.changed { tr {
                            (record_cells(Some(&change.phone), &change.fields))
                            (record_cells(Some(&change.server), &change.fields))
                            td { (shown(&change.fields.join(", "))) }
                        } }
                        @for removed in &json.records.removed { tr {
                            (record_cells(Some(removed), &all_fields)) (record_cells(None, &[]))
                            td { "only on the phone" }
                        } }
                        @for added in &json.records.added { tr {
                            (record_cells(None, &[])) (record_cells(Some(added), &all_fields))
                            td { "only on the server" }
                        } }
                    }
                } }
                p.legend { span { "Marked cells differ." } span { "Changed: " (json.records.changed.len()) } span { "Only on the phone: " (json.records.removed.len()) } span { "Only on the server: " (json.records.added.len()) } }
            }
        },
    }
}
