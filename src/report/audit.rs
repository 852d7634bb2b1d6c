//! `ctlkit audit` output: a summary a person reads first, then the groups; JSON; CSV.

use std::fmt::Write as _;

use serde::Serialize;

use crate::audit::{Audit, Group};
use crate::text::printable;
use crate::trust::Acceptance;

/// How many phone names a text group lists before "and N more".
const PHONES_SHOWN: usize = 8;

/// `ctlkit audit --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct AuditJson {
    /// Phone files examined.
    pub phones: usize,
    /// Phones whose file is identical to the server's.
    pub matching: usize,
    /// Groups of identical content, largest first.
    pub groups: Vec<GroupJson>,
}

/// A group.
#[derive(Debug, Clone, Serialize)]
pub struct GroupJson {
    /// MD5, lower-case hex (empty when unreadable).
    pub md5: String,
    /// SHA-1, lower-case hex.
    pub sha1: String,
    /// Phones in it.
    pub count: usize,
    /// Identical to the server's file.
    pub matches_server: bool,
    /// `"accepted"`, `"accepted_if_tvs_vouches"`, `"rejected"`, or null when unusable.
    pub accepts_server: Option<String>,
    /// Why.
    pub reason: String,
    /// Why the content is unusable, or null.
    pub error: Option<String>,
    /// The phones: `{ "phone", "path" }`.
    pub phones: Vec<PhoneJson>,
}

/// A phone in a group.
#[derive(Debug, Clone, Serialize)]
pub struct PhoneJson {
    /// Its name.
    pub phone: String,
    /// Its file.
    pub path: String,
}

/// Builds the JSON document.
pub fn audit_json(audit: &Audit) -> AuditJson {
    AuditJson {
        phones: audit.phones,
        matching: audit.matching,
        groups: audit
            .groups
            .iter()
            .map(|group| GroupJson {
                md5: group.md5.clone(),
                sha1: group.sha1.clone(),
                count: group.phones.len(),
                matches_server: group.matches_server,
                accepts_server: group
                    .accepts_server
                    .map(|acceptance| acceptance.as_str().to_owned()),
                reason: group.reason.clone(),
                error: group.error.clone(),
                phones: group
                    .phones
                    .iter()
                    .map(|phone| PhoneJson {
                        phone: phone.phone.clone(),
                        path: phone.path.to_string_lossy().into_owned(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Where a group's phones stand.
fn standing(group: &Group) -> &'static str {
    match (group.matches_server, group.accepts_server, &group.error) {
        (true, _, _) => "match the server",
        (_, _, Some(_)) => "unreadable or not a trust list",
        (_, Some(Acceptance::Accepted), _) => "will update by themselves",
        (_, Some(Acceptance::AcceptedIfTvsVouches), _) => "will update if TVS vouches",
        _ => "stuck: delete their trust list",
    }
}

/// The summary, then each group.
pub fn audit_text(audit: &Audit, server: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} phone files against {}: {} distinct contents",
        audit.phones,
        printable(server.as_bytes()),
        audit.groups.len()
    );
    for label in [
        "match the server",
        "will update by themselves",
        "will update if TVS vouches",
        "stuck: delete their trust list",
        "unreadable or not a trust list",
    ] {
        let count: usize = audit
            .groups
            .iter()
            .filter(|group| standing(group) == label)
            .map(|group| group.phones.len())
            .sum();
        let _ = writeln!(out, "  {label:<32}{count:>8}");
    }
    for (number, group) in audit.groups.iter().enumerate() {
        let _ = writeln!(
            out,
            "\ngroup {}: {} phone(s), {}",
            number.saturating_add(1),
            group.phones.len(),
            standing(group)
        );
        if !group.md5.is_empty() {
            let _ = writeln!(out, "  {}(MD5)  {}(SHA1)", group.md5, group.sha1);
        }
        if !group.matches_server {
            let _ = writeln!(out, "  {}", printable(group.reason.as_bytes()));
        }
        let names: Vec<String> = group
            .phones
            .iter()
            .take(PHONES_SHOWN)
            .map(|phone| printable(phone.phone.as_bytes()).into_owned())
            .collect();
        let more = group.phones.len().saturating_sub(PHONES_SHOWN);
        let _ = write!(out, "  phones: {}", names.join(", "));
        if more > 0 {
            let _ = write!(out, " and {more} more");
        }
        out.push('\n');
    }
    out
}

/// One row per phone: `phone,path,md5,sha1,matches_server,accepts_server,error`.
pub fn audit_csv(audit: &Audit) -> String {
    let mut out = String::from("phone,path,md5,sha1,matches_server,accepts_server,error\n");
    for group in &audit.groups {
        let accepts = group
            .accepts_server
            .map_or("", |acceptance| acceptance.as_str());
        for phone in &group.phones {
            let fields = [
                csv_field(&phone.phone),
                csv_field(&phone.path.to_string_lossy()),
                group.md5.clone(),
                group.sha1.clone(),
                group.matches_server.to_string(),
                accepts.to_owned(),
                csv_field(group.error.as_deref().unwrap_or_default()),
            ];
            out.push_str(&fields.join(","));
            out.push('\n');
        }
    }
    out
}

/// RFC 4180 quoting, when a field needs it.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
