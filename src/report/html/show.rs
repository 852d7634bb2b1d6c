//! The `show` page: the file's verdict and header, each record's certificate validity on one
//! time axis (today marked; expired and expiring ones flagged in words), then the records.

use maud::{Markup, html};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::svg::{Validity, validity_timeline, validity_word};
use super::{HtmlBody, shown, status, tone};
use crate::report::json::{RecordJson, ShowJson};

/// A certificate's validity from its JSON dates; `None` when either is missing or unreadable.
pub(crate) fn validity(
    label: String,
    not_before: Option<&str>,
    not_after: Option<&str>,
) -> Option<Validity> {
    Some(Validity {
        label,
        not_before: OffsetDateTime::parse(not_before?, &Rfc3339).ok()?,
        not_after: OffsetDateTime::parse(not_after?, &Rfc3339).ok()?,
    })
}

fn record_label(record: &RecordJson) -> String {
    // The list's own spelling (`CN=…;OU=…`) puts the common name first.
    let name = record
        .subject
        .clone()
        .or_else(|| {
            record
                .certificate
                .as_ref()
                .and_then(|certificate| certificate.subject_dn.clone())
        })
        .unwrap_or_default();
    format!(
        "#{} {} {}",
        record.index,
        record.function.as_deref().unwrap_or("?"),
        name
    )
}

/// The timeline of the records that carry a certificate with dates.
pub(crate) fn records_timeline(records: &[RecordJson], now: OffsetDateTime) -> Markup {
    let rows: Vec<Validity> = records
        .iter()
        .filter_map(|record| {
            let certificate = record.certificate.as_ref()?;
            validity(
                record_label(record),
                certificate.not_before.as_deref(),
                certificate.not_after.as_deref(),
            )
        })
        .collect();
    let expired = rows
        .iter()
        .filter(|row| validity_word(row.not_after, now) == "expired")
        .count();
    let expiring = rows
        .iter()
        .filter(|row| validity_word(row.not_after, now) == "expiring")
        .count();
    html! {
        h2 { "Certificate validity" }
        @if rows.is_empty() {
            p.muted { "No record carries a certificate with readable dates." }
        } @else {
            p {
                (rows.len()) " certificates: "
                (status("expired")) " " (expired) " · "
                (status("expiring")) " " (expiring) " (within " (super::svg::EXPIRING_DAYS) " days) · "
                (status("valid")) " " (rows.len().saturating_sub(expired).saturating_sub(expiring))
            }
            (validity_timeline(&rows, now))
        }
    }
}

/// The page of one trust list.
pub(crate) fn show_page(json: &ShowJson, now: OffsetDateTime) -> HtmlBody {
    let verification = &json.verification;
    let header = &json.header;
    HtmlBody {
        title: Some(format!("{} {}", json.kind, shown(&json.file.path))),
        body: html! {
            p class={ "verdict " (tone(&verification.status)) } {
                (status(&verification.status)) " " (shown(&verification.reason))
            }
            h2 { "File" }
            div.table-wrap { table { tbody {
                tr { th scope="row" { "Path" } td { code { (shown(&json.file.path)) } } }
                tr { th scope="row" { "Size" } td.nowrap { (json.file.length) " bytes" } }
                tr { th scope="row" { "MD5" } td.mono { (json.file.md5) } }
                tr { th scope="row" { "SHA-1" } td.mono { (json.file.sha1) } }
                tr { th scope="row" { "SHA-256" } td.mono { (json.file.sha256) } }
                tr { th scope="row" { "Version" } td { (shown(&header.version)) } }
                tr { th scope="row" { "Signer version (tag 28)" } td { (optional(header.signer_version.as_deref())) } }
                tr { th scope="row" { "Signer" } td { (optional(header.signer.name.as_deref())) } }
                tr { th scope="row" { "Signer serial" } td.mono { (optional(header.signer.serial.as_deref())) } }
                tr { th scope="row" { "Signer issuer" } td { (optional(header.signer.issuer.as_deref())) } }
                tr { th scope="row" { "Signed by" } td { (json.signer_class.replace('_', " ")) } }
                tr { th scope="row" { "Digest" } td { (optional(header.digest.as_deref())) } }
                tr { th scope="row" { "FILENAME" } td { (optional(header.filename.as_deref())) } }
                tr { th scope="row" { "TIMESTAMP" } td { (optional(header.timestamp.as_deref())) } }
            } } }
            (records_timeline(&json.records, now))
            h2 { (json.records.len()) " records" }
            div.table-wrap { table {
                thead { tr {
                    th { "#" } th { "Function" } th { "Subject" } th { "Issuer" } th { "Serial" }
                    th { "DNS name / IP" } th { "Key" } th { "Valid until" }
                } }
                tbody { @for record in &json.records {
                    @let certificate = record.certificate.as_ref();
                    tr {
                        td { (record.index) }
                        td { (optional(record.function.as_deref())) }
                        td { (optional(record.subject.as_deref())) }
                        td { (optional(record.issuer.as_deref())) }
                        td.mono { (optional(record.serial.as_deref())) }
                        td { (optional(record.dns_name.as_deref())) " " span.muted { (optional(record.ip_address.as_deref())) } }
                        td { (optional(certificate.and_then(|certificate| certificate.key.as_deref()))) }
                        td {
                            @match certificate.and_then(|certificate| certificate.not_after.as_deref()) {
                                Some(not_after) => {
                                    (shown(not_after)) " "
                                    @if let Ok(moment) = OffsetDateTime::parse(not_after, &Rfc3339) {
                                        (status(validity_word(moment, now)))
                                    }
                                }
                                None => { span.muted { "no certificate" } }
                            }
                        }
                    }
                } }
            } }
            @if !json.warnings.is_empty() {
                h2 { "Warnings" }
                ul { @for warning in &json.warnings {
                    li { (shown(&warning.place)) " at byte " (warning.offset) ": " (shown(&warning.message)) " " code { (shown(&warning.code)) } }
                } }
            }
        },
    }
}

/// A value or a muted "none".
pub(crate) fn optional(value: Option<&str>) -> Markup {
    match value {
        Some(value) => html! { (shown(value)) },
        None => html! { span.muted { "none" } },
    }
}
