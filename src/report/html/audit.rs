//! The `audit` page: the fleet's standings as one bar, then each group of phones holding the
//! same files — its standing, reason and remedy, its files' checksums, its phones folded away.

use maud::html;

use super::svg::count_bar;
use super::{HtmlBody, shown, status, tone};
use crate::report::audit::AuditJson;

/// The page for an audit of `json.phones` phones against `against`.
pub(crate) fn audit_page(json: &AuditJson, against: &str) -> HtmlBody {
    let parts: Vec<(String, usize)> = json
        .standings
        .iter()
        .map(|(standing, count)| ((*standing).to_owned(), *count))
        .collect();
    let worst = json
        .groups
        .iter()
        .map(|group| group.standing)
        .find(|standing| *standing != "in_sync")
        .unwrap_or("in_sync");
    HtmlBody {
        title: Some(format!("{} phones", json.phones)),
        body: html! {
            p class={ "verdict " (tone(worst)) } {
                (json.in_sync) " of " (json.phones) " phones in sync with " (shown(against))
            }
            h2 { "Standings" }
            (count_bar(&parts))
            h2 { "Groups of phones holding the same files" }
            @for (number, group) in json.groups.iter().enumerate() {
                section class={ "group " (tone(group.standing)) } {
                    h3 {
                        "Group " (number + 1) ": " (group.count) " phone" @if group.count != 1 { "s" } " "
                        (status(group.standing)) " " code { (shown(&group.code)) }
                    }
                    p { (shown(&group.reason)) }
                    div.table-wrap { table {
                        thead { tr { th { "File" } th { "MD5" } th { "Kind" } th { "Same as the server's" } } }
                        tbody { @for (slot, file) in &group.files { tr {
                            th scope="row" { (slot.to_uppercase()) }
                            @match file {
                                Some(file) => {
                                    td.mono { (shown(&file.md5)) } td { (file.kind) }
                                    td { @if file.matches_server { (status("ok")) " yes" } @else { (status("different")) " no" } }
                                }
                                None => { td colspan="3" { span.muted { "none" } } }
                            }
                        } } }
                    } }
                    // On paper, the phones that need nothing stay a count: a fleet's in-sync
                    // thousands would fill hundreds of pages.
                    details class=[(group.standing == "in_sync").then_some("stays-folded-in-print")] {
                        summary { (group.phones.len()) " phone" @if group.phones.len() != 1 { "s" } }
                        ul.names { @for phone in &group.phones { li { code { (shown(phone)) } } } }
                    }
                }
            }
            @if !json.ignored.is_empty() {
                h2 { "Ignored" }
                p { "Not trust lists or signed configs:" }
                ul.names { @for path in &json.ignored { li { code { (shown(path)) } } } }
            }
        },
    }
}
