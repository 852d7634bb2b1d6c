//! The `verify` page: counts by verdict as one bar, files by signer, then every file's row.

use std::collections::BTreeMap;

use maud::html;

use super::show::optional;
use super::svg::count_bar;
use super::{HtmlBody, shown, status};
use crate::report::verify::VerifyJson;

/// The page of a verify run over `json.files` files.
pub(crate) fn verify_page(json: &VerifyJson) -> HtmlBody {
    let counts = &json.counts;
    let parts: Vec<(String, usize)> = [
        ("accepted", counts.accepted),
        ("accepted_if_tvs_vouches", counts.accepted_if_tvs_vouches),
        ("rejected", counts.rejected),
        ("firmware", counts.firmware),
        ("not_signed", counts.not_signed),
        ("unusable", counts.unusable),
    ]
    .into_iter()
    .map(|(word, count)| (word.to_owned(), count))
    .collect();
    let mut signers: BTreeMap<(String, String), BTreeMap<String, usize>> = BTreeMap::new();
    for row in &json.rows {
        let signer = (
            row.signer_name
                .clone()
                .unwrap_or_else(|| "no signer".to_owned()),
            row.signer_serial.clone().unwrap_or_default(),
        );
        let outcome = row
            .acceptance
            .or(row.problem_code)
            .unwrap_or(row.kind)
            .to_owned();
        let entry = signers
            .entry(signer)
            .or_default()
            .entry(outcome)
            .or_default();
        *entry = entry.saturating_add(1);
    }
    HtmlBody {
        title: Some(format!(
            "{} file{}",
            json.files,
            if json.files == 1 { "" } else { "s" }
        )),
        body: html! {
            h2 { "Verdicts" }
            (count_bar(&parts))
            @if !json.held.is_empty() {
                p { "Judged as a phone holding: " @for (number, held) in json.held.iter().enumerate() {
                    @if number > 0 { ", " } code { (shown(held)) }
                } }
            }
            h2 { "By signer" }
            div.table-wrap { table {
                thead { tr { th { "Signer" } th { "Serial" } th { "Files" } } }
                tbody { @for ((name, serial), outcomes) in &signers { tr {
                    td { (shown(name)) } td.mono { (shown(serial)) }
                    td { @for (outcome, count) in outcomes { (status(outcome)) " " (count) " " } }
                } } }
            } }
            h2 { "Files" }
            div.table-wrap { table {
                thead { tr { th { "File" } th { "Kind" } th { "Signer" } th { "Signature" } th { "Verdict" } th { "Why" } } }
                tbody { @for row in &json.rows { tr {
                    td { code { (shown(&row.path)) } }
                    td { (row.kind) @if let Some(kind) = row.payload_type { " (" (kind) ")" } }
                    td { (optional(row.signer_name.as_deref())) }
                    td { @match &row.signature { Some(signature) => { (status(&signature.status)) }, None => { span.muted { "none" } } } }
                    td { @match row.acceptance.or(row.problem_code) { Some(word) => { (status(word)) }, None => { span.muted { "none" } } } }
                    td { (shown(&row.summary)) }
                } } }
            } }
        },
    }
}
