//! `ctlkit audit` output: a summary a person reads first, then the groups; JSON; CSV.

use std::fmt::Write as _;

use serde::Serialize;

use super::Render;
use super::csv::csv_line;
use super::words::problem_sentence;
use crate::files::path_text;
use crate::judge::audit::pasted::{ContentGroup, ContentStanding, PastedAudit};
use ctlkit_format::text::printable;

/// `ctlkit audit`: a fleet's files grouped by content, each group's standing.
#[derive(Debug, Clone, Copy)]
pub struct PastedAuditReport<'r> {
    /// The audit.
    pub audit: &'r PastedAudit,
    /// The server's file as given.
    pub server: &'r str,
}

impl Render for PastedAuditReport<'_> {
    type Json = PastedAuditJson;

    fn text(&self, _color: bool) -> String {
        audit_text(self.audit, self.server)
    }

    fn json(&self) -> PastedAuditJson {
        audit_json(self.audit, self.server)
    }

    fn csv(&self) -> Option<String> {
        Some(audit_csv(self.audit))
    }
}

/// How many phone names a text group lists before "and N more".
const PHONES_SHOWN: usize = 8;

/// `ctlkit audit --format json`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PastedAuditJson {
    /// Phone files examined.
    pub phones: usize,
    /// Phones whose file is identical to the server's.
    pub matching: usize,
    /// Groups of identical content, largest first.
    pub groups: Vec<ContentGroupJson>,
}

/// A group.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ContentGroupJson {
    /// MD5, lower-case hex (empty when unreadable).
    pub md5: String,
    /// SHA-1, lower-case hex.
    pub sha1: String,
    /// Phones in it.
    pub count: usize,
    /// Identical to the server's file.
    pub matches_server: bool,
    /// `"accepted"`, `"accepted_if_tvs_vouches"`, `"rejected"`, or null when unusable.
    pub acceptance: Option<String>,
    /// `matches_server`, `will_update`, `needs_tvs`, `stuck` or `unusable`.
    pub standing: String,
    /// A stable name for the reason (`identical`, an acceptance code, or a problem's code).
    pub code: String,
    /// Why.
    pub reason: String,
    /// Why the content is unusable, or null.
    pub error: Option<String>,
    /// The phones: `{ "phone", "path" }`.
    pub phones: Vec<PhoneJson>,
}

/// A phone in a group.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PhoneJson {
    /// Its name.
    pub phone: String,
    /// Its file.
    pub path: String,
}

fn audit_json(audit: &PastedAudit, server: &str) -> PastedAuditJson {
    PastedAuditJson {
        phones: audit.phones,
        matching: audit.matching,
        groups: audit
            .groups
            .iter()
            .map(|group| ContentGroupJson {
                md5: group.md5().unwrap_or_default().to_owned(),
                sha1: group.sha1().unwrap_or_default().to_owned(),
                count: group.phones.len(),
                matches_server: group.matches_server(),
                acceptance: group
                    .accepts_server()
                    .map(|acceptance| acceptance.as_str().to_owned()),
                standing: group.standing.code().to_owned(),
                code: match &group.problem {
                    Some(problem) => problem.code(),
                    None if group.matches_server() => "identical",
                    None => group.standing.code(),
                }
                .to_owned(),
                reason: group_reason(group, server),
                error: group.problem.as_ref().map(problem_sentence),
                phones: group
                    .phones
                    .iter()
                    .map(|phone| PhoneJson {
                        phone: phone.phone.clone(),
                        path: path_text(&phone.path),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The summary, then each group.
fn audit_text(audit: &PastedAudit, server: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} phone files against {}: {} distinct contents",
        audit.phones,
        printable(server.as_bytes()),
        audit.groups.len()
    );
    for standing in ContentStanding::ALL {
        let label = standing_label(standing);
        let _ = writeln!(out, "  {label:<32}{:>8}", audit.count(standing));
    }
    for (number, group) in audit.groups.iter().enumerate() {
        let _ = writeln!(
            out,
            "\ngroup {}: {} phone(s), {}",
            number.saturating_add(1),
            group.phones.len(),
            standing_label(group.standing)
        );
        if let Some((md5, sha1)) = &group.checksums {
            let _ = writeln!(out, "  {md5}(MD5)  {sha1}(SHA1)");
        }
        if !group.matches_server() {
            let _ = writeln!(
                out,
                "  {}",
                printable(group_reason(group, server).as_bytes())
            );
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

/// One row per phone: `phone,path,md5,sha1,matches_server,acceptance,error`.
fn audit_csv(audit: &PastedAudit) -> String {
    let mut out = String::from("phone,path,md5,sha1,matches_server,acceptance,error\n");
    for group in &audit.groups {
        let accepts = group
            .accepts_server()
            .map_or("", |acceptance| acceptance.as_str());
        let error = group
            .problem
            .as_ref()
            .map(problem_sentence)
            .unwrap_or_default();
        for phone in &group.phones {
            out.push_str(&csv_line(&[
                phone.phone.clone(),
                path_text(&phone.path),
                group.md5().unwrap_or_default().to_owned(),
                group.sha1().unwrap_or_default().to_owned(),
                group.matches_server().to_string(),
                accepts.to_owned(),
                error.clone(),
            ]));
        }
    }
    out
}

/// The label of a standing in audit summaries.
fn standing_label(standing: ContentStanding) -> &'static str {
    match standing {
        ContentStanding::MatchesServer => "match the server",
        ContentStanding::Differs => "differ from the server's copy",
        ContentStanding::Unusable => "unreadable or not a trust list",
    }
}

/// The sentence behind a group's standing.
fn group_reason(group: &ContentGroup, server_name: &str) -> String {
    if let Some(problem) = &group.problem {
        return problem_sentence(problem);
    }
    if group.matches_server() {
        return format!("identical to {}", printable(server_name.as_bytes()));
    }
    format!(
        "differs from {}: not the server's copy, and whether these phones would take it cannot be judged from this comparison (pasted show text holds no certificates; a config is judged by the lists a phone holds): audit against the server's files, --against CTLFile.tlv --against ITLFile.tlv",
        printable(server_name.as_bytes())
    )
}
