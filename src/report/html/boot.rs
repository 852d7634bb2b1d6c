//! The `boot` page: the phone's boot as a timeline — each step's requests, the file's
//! checksums, the verdict and what the phone shows — then its standing; a fleet's as one bar
//! and its groups.

use maud::{Markup, html};

use super::show::optional;
use super::svg::count_bar;
use super::{HtmlBody, shown, status, tone};
use crate::report::boot::{BootFleetJson, BootJson};

fn timeline(json: &BootJson) -> Markup {
    html! {
        p class={ "verdict " (tone(json.standing)) } {
            (shown(&json.phone)) ": " (status(json.standing))
            " — holds afterwards CTL " (optional(json.holds.ctl_md5.as_deref()))
            ", ITL " (optional(json.holds.itl_md5.as_deref())) " (MD5)"
        }
        p {
            "Against " code { (shown(&json.server)) }
            @if let Some(http) = &json.http { ", HTTP " code { (shown(http)) } " first" }
            @if let Some(https) = &json.https { ", HTTPS " code { (shown(https)) } " for a phone holding an ITL of signer version 1.1" }
        }
        ol {
            @for step in &json.steps {
                li {
                    h3 { (step.step.replace('_', " ").to_uppercase()) " " (status(step.code)) }
                    div.table-wrap { table {
                        thead { tr { th { "Asked for" } th { "Over" } th { "Answer" } } }
                        tbody { @for request in &step.requests { tr {
                            td { code { (shown(&request.name)) } }
                            td { (request.protocol) }
                            td {
                                (status(request.outcome))
                                @if let Some(length) = request.length { " " (length) " bytes" }
                                @if let Some(error) = &request.error { " " (shown(error)) }
                                @if let Some(certificate) = &request.server_certificate { br; "server certificate taken: " (shown(certificate)) }
                            }
                        } } }
                    } }
                    @if let (Some(md5), Some(sha1)) = (&step.md5, &step.sha1) {
                        p.mono { "MD5 " (md5) " · SHA-1 " (sha1) }
                    }
                    p {
                        @if let Some(acceptance) = step.acceptance { (status(acceptance)) " " }
                        (shown(&step.reason))
                    }
                    @if let Some(message) = &step.phone_message {
                        p { "The phone shows: " strong { (shown(message)) } }
                    }
                }
            }
        }
    }
}

/// The page of one phone's boot.
pub(crate) fn boot_page(json: &BootJson) -> HtmlBody {
    HtmlBody {
        title: Some(shown(&json.phone)),
        body: timeline(json),
    }
}

/// The page of a fleet's boots.
pub(crate) fn fleet_page(json: &BootFleetJson) -> HtmlBody {
    let parts: Vec<(String, usize)> = json
        .standings
        .iter()
        .map(|(standing, count)| ((*standing).to_owned(), *count))
        .collect();
    HtmlBody {
        title: Some(format!("{} phones", json.phones)),
        body: html! {
            h2 { "Standings" }
            (count_bar(&parts))
            h2 { "Groups" }
            div.table-wrap { table {
                thead { tr { th { "Phones" } th { "Standing" } th { "Decided by" } th { "Why" } } }
                tbody { @for group in &json.groups { tr {
                    td { (group.count) }
                    td { (status(group.standing)) }
                    td { (optional(group.step)) " " (optional(group.code)) }
                    td { (optional(group.reason.as_deref())) }
                } } }
            } }
            h2 { "Each phone" }
            @for boot in &json.boots {
                details {
                    summary { (shown(&boot.phone)) " " (status(boot.standing)) }
                    (timeline(boot))
                }
            }
        },
    }
}
