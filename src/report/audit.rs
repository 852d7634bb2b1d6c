//! `ctlkit audit`: a fleet phone by phone — a summary by standing, then the groups of phones
//! holding the same files, each with its one-line reason; a row per phone for spreadsheets.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::Render;
use super::csv::csv_line;
use super::words::{acceptance_sentence, problem_sentence};
use crate::files::path_text;
use crate::judge::audit::{Audit, PhoneGroup, PhoneReason, PhoneStanding, Slot};
use ctlkit_format::text::printable;

/// How many phone names a text group lists before "and N more".
const PHONES_SHOWN: usize = 8;

/// The audit and the names of the server files it was judged against.
#[derive(Debug, Clone, Copy)]
pub struct AuditReport<'r> {
    /// The audit.
    pub audit: &'r Audit,
    /// The server's CTL's name, if one was given.
    pub ctl: Option<&'r str>,
    /// The server's ITL's name, if one was given.
    pub itl: Option<&'r str>,
    /// How many server configs were given.
    pub configs: usize,
}

/// `audit --format json`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditJson {
    /// Phones found.
    pub phones: usize,
    /// Phones in sync.
    pub in_sync: usize,
    /// Phones per standing.
    pub standings: BTreeMap<&'static str, usize>,
    /// Groups of phones holding the same files.
    pub groups: Vec<PhoneGroupJson>,
    /// Files that are not trust lists or signed configs.
    pub ignored: Vec<String>,
}

/// One group.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PhoneGroupJson {
    /// Phones in it.
    pub count: usize,
    /// `in_sync`, `will_update`, `needs_tvs`, `incomplete`, `stuck`.
    pub standing: &'static str,
    /// A stable code: `itl_rejected`, `ctl_missing`…
    pub code: String,
    /// The sentence, with the remedy when stuck.
    pub reason: String,
    /// Their CTL, ITL and config: null where the evidence has none.
    pub files: BTreeMap<&'static str, Option<PhoneFileJson>>,
    /// The phones.
    pub phones: Vec<String>,
}

/// One of the group's files.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PhoneFileJson {
    /// MD5, hex.
    pub md5: String,
    /// `ctl`, `itl`, `signed`.
    pub kind: &'static str,
    /// The same bytes as the server's.
    pub matches_server: bool,
}

impl AuditReport<'_> {
    fn server_name(&self, slot: Slot) -> String {
        match slot {
            Slot::Ctl => self.ctl.unwrap_or("the server's CTL").to_owned(),
            Slot::Itl => self.itl.unwrap_or("the server's ITL").to_owned(),
            Slot::Config => "the server's config".to_owned(),
        }
    }

    fn reason(&self, group: &PhoneGroup) -> String {
        phone_reason_sentence(&group.reason, &|slot| self.server_name(slot))
    }
}

impl Render for AuditReport<'_> {
    type Json = AuditJson;

    fn text(&self, _color: bool) -> String {
        let audit = self.audit;
        let mut against: Vec<String> = Vec::new();
        against.extend(self.ctl.map(str::to_owned));
        against.extend(self.itl.map(str::to_owned));
        if self.configs > 0 {
            against.push(format!("{} config(s)", self.configs));
        }
        let mut out = format!(
            "{} phones against {}: {} in sync\n",
            audit.phones,
            printable(against.join(", ").as_bytes()),
            audit.count(PhoneStanding::InSync)
        );
        for standing in PhoneStanding::ALL {
            let _ = writeln!(
                out,
                "  {:<40} {}",
                phone_standing_label(standing),
                audit.count(standing)
            );
        }
        for (number, group) in audit.groups.iter().enumerate() {
            let _ = writeln!(
                out,
                "\ngroup {}: {} phone(s), {}",
                number.saturating_add(1),
                group.phones.len(),
                phone_standing_label(group.standing)
            );
            let files: Vec<String> = [Slot::Ctl, Slot::Itl, Slot::Config]
                .iter()
                .map(|slot| match group.files.get(slot) {
                    Some(facts) => format!(
                        "{} {}(MD5){}",
                        slot_label(*slot),
                        facts.md5,
                        if facts.matches_server {
                            " = server"
                        } else {
                            ""
                        }
                    ),
                    None if matches!(&group.reason, PhoneReason::Unusable(bad, _) if bad == slot) =>
                    {
                        format!("{} unusable", slot_label(*slot))
                    }
                    None => format!("{} none", slot_label(*slot)),
                })
                .collect();
            let _ = writeln!(out, "  {}", files.join("  "));
            let _ = writeln!(out, "  {}", self.reason(group));
            let shown: Vec<String> = group
                .phones
                .iter()
                .take(PHONES_SHOWN)
                .map(|phone| printable(phone.as_bytes()).into_owned())
                .collect();
            let more = group.phones.len().saturating_sub(PHONES_SHOWN);
            let _ = write!(out, "  phones: {}", shown.join(", "));
            if more > 0 {
                let _ = write!(out, " and {more} more");
            }
            out.push('\n');
        }
        if !audit.ignored.is_empty() {
            let names: Vec<String> = audit
                .ignored
                .iter()
                .map(|path| printable(path_text(path).as_bytes()).into_owned())
                .collect();
            let _ = writeln!(
                out,
                "\nignored (not trust lists or signed configs): {}",
                names.join(", ")
            );
        }
        out
    }

    #[cfg(feature = "html")]
    fn html(&self) -> super::html::HtmlBody {
        let mut against: Vec<String> = Vec::new();
        against.extend(self.ctl.map(str::to_owned));
        against.extend(self.itl.map(str::to_owned));
        if self.configs > 0 {
            against.push(format!("{} config(s)", self.configs));
        }
        super::html::audit::audit_page(&self.json(), &against.join(", "))
    }

    fn json(&self) -> AuditJson {
        let audit = self.audit;
        AuditJson {
            phones: audit.phones,
            in_sync: audit.count(PhoneStanding::InSync),
            standings: PhoneStanding::ALL
                .iter()
                .map(|standing| (standing.code(), audit.count(*standing)))
                .collect(),
            groups: audit
                .groups
                .iter()
                .map(|group| PhoneGroupJson {
                    count: group.phones.len(),
                    standing: group.standing.code(),
                    code: group.reason.code().to_owned(),
                    reason: self.reason(group),
                    files: [Slot::Ctl, Slot::Itl, Slot::Config]
                        .iter()
                        .map(|slot| {
                            (
                                slot.code(),
                                group.files.get(slot).map(|facts| PhoneFileJson {
                                    md5: facts.md5.clone(),
                                    kind: facts.content,
                                    matches_server: facts.matches_server,
                                }),
                            )
                        })
                        .collect(),
                    phones: group.phones.clone(),
                })
                .collect(),
            ignored: audit.ignored.iter().map(|path| path_text(path)).collect(),
        }
    }

    /// `phone,standing,code,ctl_md5,itl_md5,config_md5,paths`.
    fn csv(&self) -> Option<String> {
        let mut out = String::from("phone,standing,code,ctl_md5,itl_md5,config_md5,paths\n");
        for row in &self.audit.rows {
            let md5 = |slot: Slot| {
                row.files
                    .get(&slot)
                    .map(|(md5, _)| md5.clone())
                    .unwrap_or_default()
            };
            let paths: Vec<String> = row
                .files
                .values()
                .map(|(_, path)| path_text(path))
                .collect();
            out.push_str(&csv_line(&[
                row.phone.clone(),
                row.standing.code().to_owned(),
                row.reason_code.to_owned(),
                md5(Slot::Ctl),
                md5(Slot::Itl),
                md5(Slot::Config),
                paths.join(";"),
            ]));
        }
        Some(out)
    }
}

/// `CTL`, `ITL`, `config`.
fn slot_label(slot: crate::judge::audit::Slot) -> &'static str {
    match slot {
        crate::judge::audit::Slot::Ctl => "CTL",
        crate::judge::audit::Slot::Itl => "ITL",
        crate::judge::audit::Slot::Config => "config",
    }
}

/// `in sync`, `will update by themselves`…: a phone standing in words.
fn phone_standing_label(standing: crate::judge::audit::PhoneStanding) -> &'static str {
    use crate::judge::audit::PhoneStanding;
    match standing {
        PhoneStanding::InSync => "in sync",
        PhoneStanding::WillUpdate => "will update by themselves",
        PhoneStanding::NeedsTvs => "will update if TVS vouches",
        PhoneStanding::Incomplete => "incomplete: a file missing or unusable",
        PhoneStanding::Stuck => "stuck",
    }
}

/// Why a group of phones stands where it does; `server` names the server's file of a slot.
fn phone_reason_sentence(
    reason: &crate::judge::audit::PhoneReason,
    server: &dyn Fn(crate::judge::audit::Slot) -> String,
) -> String {
    use crate::judge::audit::PhoneReason;
    match reason {
        PhoneReason::InSync => "every file they hold is the server's".to_owned(),
        PhoneReason::Missing(slot) => format!(
            "no {} of theirs in the evidence: collect it (ITLSEP<MAC>.tlv / CTLSEP<MAC>.tlv, or a capture of the phone fetching it) to judge them",
            slot_label(*slot)
        ),
        PhoneReason::Unusable(slot, problem) => format!(
            "their {} cannot be used: {}",
            slot_label(*slot),
            problem_sentence(problem)
        ),
        PhoneReason::NoServerConfig => {
            "their config has no copy of the same name among the server files given".to_owned()
        }
        PhoneReason::NothingToJudgeWith => {
            "they hold no trust list to judge the server's file with".to_owned()
        }
        PhoneReason::Verdict(slot, verdict) => format!(
            "{}: {}",
            slot_label(*slot),
            acceptance_sentence(&server(*slot), verdict)
        ),
    }
}
