//! `ctlkit boot`: a phone's boot as its console and status screen would show it — each
//! request, what came back, the verdict and the phone's message — then its standing and what it
//! holds afterwards.

use std::fmt::Write as _;

use serde::Serialize;

use super::Render;
use super::words::{acceptance_sentence, acceptance_words};
use crate::evidence::phone_server::{Try, TryOutcome};
use crate::judge::boot::{Boot, BootStep, StepKind, StepOutcome};
use ctlkit_format::checksum::Checksums;
use ctlkit_format::text::printable;

/// A boot, with what it was run against.
#[derive(Debug, Clone, Copy)]
pub struct BootReport<'r> {
    /// The phone's name, `SEP<MAC>`.
    pub phone: &'r str,
    /// The TFTP server, as given.
    pub server: &'r str,
    /// The HTTP service, when the phone tries HTTP first.
    pub http: Option<&'r str>,
    /// The HTTPS service, when a phone holding a signer-version-1.1 ITL would ask it first.
    pub https: Option<&'r str>,
    /// The boot.
    pub boot: &'r Boot,
}

/// `ctlkit boot --format json`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BootJson {
    /// `SEP<MAC>`.
    pub phone: String,
    /// The TFTP server.
    pub server: String,
    /// `HOST:PORT` of the HTTP service, or null.
    pub http: Option<String>,
    /// `HOST:PORT` of the HTTPS service (asked first by a phone holding an ITL of signer
    /// version 1.1), or null.
    pub https: Option<String>,
    /// The steps, in the phone's order.
    pub steps: Vec<BootStepJson>,
    /// `in_sync`, `will_update`, `needs_tvs`, `incomplete`, `stuck`, as `audit` names them.
    pub standing: &'static str,
    /// MD5 of the CTL and ITL it holds afterwards (null for none).
    pub holds: HoldsJson,
}

/// What the phone holds afterwards.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HoldsJson {
    /// Its CTL's MD5, or null.
    pub ctl_md5: Option<String>,
    /// Its ITL's MD5, or null.
    pub itl_md5: Option<String>,
}

/// One step.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BootStepJson {
    /// `ctl`, `itl`, `config`, `load`, `load_file`.
    pub step: &'static str,
    /// Every request, in order.
    pub requests: Vec<RequestJson>,
    /// The name that answered, or null.
    pub file: Option<String>,
    /// Its size, or null.
    pub length: Option<usize>,
    /// MD5, lower-case hex, or null.
    pub md5: Option<String>,
    /// SHA-1, lower-case hex, or null.
    pub sha1: Option<String>,
    /// `installed`, `already_held`, `taken_on_faith`, `needs_tvs`, `refused`, `not_found`,
    /// `not_usable`, `loaded`, `unreadable`.
    pub code: &'static str,
    /// The phone's verdict, when it judged the file: `accepted`, `accepted_if_tvs_vouches`,
    /// `rejected`, `cannot_judge`.
    pub acceptance: Option<&'static str>,
    /// Why, as a stable name, or null.
    pub acceptance_code: Option<&'static str>,
    /// The step in one sentence.
    pub reason: String,
    /// What the phone shows or logs, or null.
    pub phone_message: Option<String>,
}

/// One request.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RequestJson {
    /// The name asked for.
    pub name: String,
    /// `http`, `https` or `tftp`.
    pub protocol: &'static str,
    /// `found`, `not_found`, `failed`.
    pub outcome: &'static str,
    /// Bytes received, or null.
    pub length: Option<usize>,
    /// Why it failed, or null.
    pub error: Option<String>,
    /// Over HTTPS, why the phone took the server's certificate (a refusal is the error), else
    /// null.
    pub server_certificate: Option<String>,
}

fn step_label(kind: StepKind) -> &'static str {
    match kind {
        StepKind::Ctl => "CTL",
        StepKind::Itl => "ITL",
        StepKind::Config => "config",
        StepKind::Load => "load",
        StepKind::LoadFile => "load file",
    }
}

/// The step in one sentence.
fn step_reason(step: &BootStep) -> String {
    let name = step.file.as_deref().unwrap_or_default();
    let what = step_label(step.kind);
    // A file the phone could not use says why, even when its signature was judged (a config
    // that does not decrypt, a companion pointing nowhere).
    if let StepOutcome::NotUsable(why) = &step.outcome {
        return format!("{name}: {why}");
    }
    if let Some(verdict) = &step.verdict {
        let sentence = acceptance_sentence(name, verdict);
        if step.outcome == StepOutcome::Unreadable {
            return format!(
                "{sentence}; it is encrypted for the phone's own certificate, which the phone decrypts with its key (ctlkit reads it only with --phone-key)"
            );
        }
        return sentence;
    }
    match &step.outcome {
        StepOutcome::AlreadyHeld => format!("{name} is the {what} the phone holds: nothing to do"),
        StepOutcome::TakenOnFaith => format!(
            "the phone holds no trust list, so it takes {name} on faith (the first list a phone downloads is trusted unchecked)"
        ),
        StepOutcome::NotFound if step.kind == StepKind::Ctl => {
            "no CTL on the server: the cluster is not in mixed mode (harmless)".to_owned()
        }
        StepOutcome::NotFound => format!("the server has no {what} by any name the phone asks for"),
        StepOutcome::NotUsable(why) => format!("{name}: {why}"),
        StepOutcome::Loaded => format!("the phone takes {name}"),
        StepOutcome::Unreadable => format!(
            "{name} is encrypted for the phone's own certificate; the phone decrypts it with its key (ctlkit needs that key to read it)"
        ),
        StepOutcome::Installed | StepOutcome::NeedsTvs | StepOutcome::Refused => String::new(),
    }
}

/// What the phone shows (status screen) or logs (console), as phones word it.
fn phone_message(step: &BootStep) -> Option<String> {
    let name = step.file.as_deref().unwrap_or_default();
    let list = matches!(step.kind, StepKind::Ctl | StepKind::Itl);
    Some(match (&step.outcome, list) {
        (StepOutcome::Installed | StepOutcome::TakenOnFaith, true) => {
            "Trust List Updated".to_owned()
        }
        (StepOutcome::Refused | StepOutcome::NotUsable(_), true) => {
            "Trust List Update Failed".to_owned()
        }
        (StepOutcome::NotFound, true) => format!(
            "File Not Found <{}>",
            if step.kind == StepKind::Ctl {
                "CTLFile.tlv"
            } else {
                "ITLFile.tlv"
            }
        ),
        (StepOutcome::Refused, false) => format!("invalid file {name}, authenticated fail"),
        (StepOutcome::NotFound, false) if step.kind == StepKind::Config => {
            "no config: the phone stays unregistered or uses its defaults".to_owned()
        }
        _ => return None,
    })
}

fn request_json(request: &Try) -> RequestJson {
    let (outcome, length, error) = match &request.outcome {
        TryOutcome::Found(length) => ("found", Some(*length), None),
        TryOutcome::NotFound => ("not_found", None, None),
        TryOutcome::Failed(why) => ("failed", None, Some(why.clone())),
    };
    RequestJson {
        name: request.name.clone(),
        protocol: request.protocol.code(),
        outcome,
        length,
        error,
        server_certificate: request.certificate.clone(),
    }
}

fn step_json(step: &BootStep) -> BootStepJson {
    BootStepJson {
        step: step.kind.code(),
        requests: step.tries.iter().map(request_json).collect(),
        file: step.file.clone(),
        length: step.size,
        md5: step.checksums.as_ref().map(Checksums::md5_hex),
        sha1: step.checksums.as_ref().map(Checksums::sha1_hex),
        code: step.outcome.code(),
        acceptance: step
            .verdict
            .as_ref()
            .map(|verdict| verdict.acceptance.as_str()),
        acceptance_code: step.verdict.as_ref().map(|verdict| verdict.reason.code()),
        reason: step_reason(step),
        phone_message: phone_message(step),
    }
}

impl Render for BootReport<'_> {
    type Json = BootJson;

    /// The timeline: each step's requests, then its verdict and the phone's message.
    fn text(&self, _color: bool) -> String {
        let json = self.json();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} booting against {}{}",
            printable(json.phone.as_bytes()),
            printable(json.server.as_bytes()),
            json.http
                .as_deref()
                .map(|http| format!(" (HTTP {} first)", printable(http.as_bytes())))
                .unwrap_or_default()
        );
        for (number, (step, facts)) in json.steps.iter().zip(&self.boot.steps).enumerate() {
            let _ = writeln!(
                out,
                "\n{}. {}",
                number.saturating_add(1),
                step_label(facts.kind)
            );
            for request in &step.requests {
                let result = match (request.outcome, request.length, &request.error) {
                    ("found", Some(length), _) => format!("found, {length} bytes"),
                    (_, _, Some(error)) => format!("failed: {error}"),
                    _ => "not found".to_owned(),
                };
                let _ = writeln!(
                    out,
                    "   {:<5} {}: {}",
                    request.protocol,
                    printable(request.name.as_bytes()),
                    printable(result.as_bytes())
                );
                if let Some(certificate) = &request.server_certificate {
                    let _ = writeln!(
                        out,
                        "         server certificate taken: {}",
                        printable(certificate.as_bytes())
                    );
                }
            }
            if let (Some(md5), Some(sha1)) = (&step.md5, &step.sha1) {
                let _ = writeln!(out, "   MD5 {md5}  SHA1 {sha1}");
            }
            let verdict = facts
                .verdict
                .as_ref()
                .map(|verdict| format!("{}: ", acceptance_words(verdict.acceptance)))
                .unwrap_or_default();
            let _ = writeln!(out, "   {verdict}{}", printable(step.reason.as_bytes()));
            if let Some(message) = &step.phone_message {
                let _ = writeln!(out, "   phone: {}", printable(message.as_bytes()));
            }
        }
        let _ = writeln!(
            out,
            "\nstanding: {}\nholds afterwards: CTL {}, ITL {}",
            json.standing,
            json.holds.ctl_md5.as_deref().unwrap_or("none"),
            json.holds.itl_md5.as_deref().unwrap_or("none")
        );
        out
    }

    #[cfg(feature = "html")]
    fn html(&self) -> super::html::HtmlBody {
        super::html::boot::boot_page(&self.json())
    }

    fn json(&self) -> BootJson {
        BootJson {
            phone: self.phone.to_owned(),
            server: self.server.to_owned(),
            http: self.http.map(str::to_owned),
            https: self.https.map(str::to_owned),
            steps: self.boot.steps.iter().map(step_json).collect(),
            standing: self.boot.standing.code(),
            holds: HoldsJson {
                ctl_md5: self
                    .boot
                    .flash
                    .ctl
                    .as_deref()
                    .map(|bytes| Checksums::of(bytes).md5_hex()),
                itl_md5: self
                    .boot
                    .flash
                    .itl
                    .as_deref()
                    .map(|bytes| Checksums::of(bytes).md5_hex()),
            },
        }
    }
}

/// A fleet of virtual phones booted against one server.
#[derive(Debug, Clone, Copy)]
pub struct BootFleetReport<'r> {
    /// The TFTP server, as given.
    pub server: &'r str,
    /// The HTTP service, when the phones try HTTP first.
    pub http: Option<&'r str>,
    /// The HTTPS service, when phones holding a signer-version-1.1 ITL would ask it first.
    pub https: Option<&'r str>,
    /// Each phone's name and boot, in the order given.
    pub boots: &'r [(String, Boot)],
}

/// `ctlkit boot --macs FILE --format json`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BootFleetJson {
    /// Phones booted.
    pub phones: usize,
    /// The TFTP server.
    pub server: String,
    /// `HOST:PORT` of the HTTP service, or null.
    pub http: Option<String>,
    /// `HOST:PORT` of the HTTPS service, or null.
    pub https: Option<String>,
    /// Phones per standing.
    pub standings: std::collections::BTreeMap<&'static str, usize>,
    /// Phones grouped by standing and the step that decides it, worst first.
    pub groups: Vec<BootGroupJson>,
    /// Every phone's boot.
    pub boots: Vec<BootJson>,
}

/// Phones that ended the same way.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BootGroupJson {
    /// Their standing.
    pub standing: &'static str,
    /// The step that decides it (`ctl`, `itl`, `config`, `load`, `load_file`), or null when in
    /// sync.
    pub step: Option<&'static str>,
    /// What came of that step (`refused`, `needs_tvs`, `not_found`…), or null.
    pub code: Option<&'static str>,
    /// Why the phone decided so, as a stable name, or null.
    pub acceptance_code: Option<&'static str>,
    /// That step in one sentence (the first phone's), or null.
    pub reason: Option<String>,
    /// How many phones.
    pub count: usize,
    /// Their names.
    pub phones: Vec<String>,
}

impl BootFleetReport<'_> {
    fn groups(&self) -> Vec<BootGroupJson> {
        let mut groups: Vec<(GroupKey, BootGroupJson)> = Vec::new();
        for (phone, boot) in self.boots {
            let decisive = boot.decisive_step();
            let key = (
                boot.standing,
                decisive.map(|step| step.kind.code()),
                decisive.map(|step| step.outcome.code()),
                decisive
                    .and_then(|step| step.verdict.as_ref())
                    .map(|verdict| verdict.reason.code()),
            );
            match groups.iter_mut().find(|(known, _)| *known == key) {
                Some((_, group)) => {
                    group.count = group.count.saturating_add(1);
                    group.phones.push(phone.clone());
                }
                None => groups.push((
                    key,
                    BootGroupJson {
                        standing: boot.standing.code(),
                        step: key.1,
                        code: key.2,
                        acceptance_code: key.3,
                        reason: decisive.map(step_reason),
                        count: 1,
                        phones: vec![phone.clone()],
                    },
                )),
            }
        }
        // Worst standing first, then the larger group.
        groups.sort_by(|(a, a_group), (b, b_group)| {
            b.0.cmp(&a.0).then(b_group.count.cmp(&a_group.count))
        });
        groups.into_iter().map(|(_, group)| group).collect()
    }
}

/// The grouping key: standing, step, outcome, acceptance code.
type GroupKey = (
    crate::judge::audit::PhoneStanding,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

impl Render for BootFleetReport<'_> {
    type Json = BootFleetJson;

    /// The counts by standing, then one group per way of ending, worst first.
    fn text(&self, _color: bool) -> String {
        let json = self.json();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} phones booted against {}{}",
            json.phones,
            printable(json.server.as_bytes()),
            json.http
                .as_deref()
                .map(|http| format!(" (HTTP {} first)", printable(http.as_bytes())))
                .unwrap_or_default()
        );
        for (standing, count) in &json.standings {
            let _ = writeln!(out, "  {standing:<16}{count:>8}");
        }
        for group in &json.groups {
            let _ = write!(out, "\n{}: {} phone(s)", group.standing, group.count);
            if let (Some(step), Some(code)) = (group.step, group.code) {
                let _ = write!(out, ", decided by the {step} step ({code})");
            }
            out.push('\n');
            if let Some(reason) = &group.reason {
                let _ = writeln!(out, "  {}", printable(reason.as_bytes()));
            }
            let shown: Vec<&str> = group.phones.iter().take(8).map(String::as_str).collect();
            let more = group.phones.len().saturating_sub(shown.len());
            let _ = write!(out, "  phones: {}", printable(shown.join(", ").as_bytes()));
            if more > 0 {
                let _ = write!(out, " and {more} more");
            }
            out.push('\n');
        }
        out
    }

    #[cfg(feature = "html")]
    fn html(&self) -> super::html::HtmlBody {
        super::html::boot::fleet_page(&self.json())
    }

    fn json(&self) -> BootFleetJson {
        let mut standings = std::collections::BTreeMap::new();
        for standing in crate::judge::audit::PhoneStanding::ALL {
            standings.insert(standing.code(), 0usize);
        }
        for (_, boot) in self.boots {
            if let Some(count) = standings.get_mut(boot.standing.code()) {
                *count = count.saturating_add(1);
            }
        }
        BootFleetJson {
            phones: self.boots.len(),
            server: self.server.to_owned(),
            http: self.http.map(str::to_owned),
            https: self.https.map(str::to_owned),
            standings,
            groups: self.groups(),
            boots: self
                .boots
                .iter()
                .map(|(phone, boot)| {
                    BootReport {
                        phone,
                        server: self.server,
                        http: self.http,
                        https: self.https,
                        boot,
                    }
                    .json()
                })
                .collect(),
        }
    }
}
