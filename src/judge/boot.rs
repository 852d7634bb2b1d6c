//! A virtual phone: what a secure phone fetches at boot, in its order and with its fallbacks,
//! each file judged as the phone judges it (docs/FORMAT.md §5, §14) — CTL first, then the ITL
//! against what it would then hold, then its config, then the load the config names and the
//! files that load lists. The answer says which step fails and why, and what the phone holds
//! afterwards.

use ctlkit_format::checksum::Checksums;
use ctlkit_format::file::decrypt::decrypt_config;
use ctlkit_format::file::signed_file::{CiscoFile, PayloadKind};
use ctlkit_format::file::trust_list::{Kind, TrustList};
use ctlkit_format::sign::signature::verify;

use crate::evidence::phone_server::{PhoneServer, Protocol, Try};
use crate::judge::acceptance::{
    Acceptance, AcceptanceVerdict, FileKind, HeldList, Phone, TvsTrusted,
};
use crate::judge::audit::PhoneStanding;
use crate::judge::https_trust::phone_certificate_check;

/// The most files a load may list that the phone then fetches (real loads list a handful).
const MOST_LOAD_FILES: usize = 64;

/// The longest image name asked for (real ones are under 64 characters; a TFTP request must
/// fit one packet).
const LONGEST_NAME: usize = 255;

/// What the phone holds in flash.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flash {
    /// Its CTL's bytes.
    pub ctl: Option<Vec<u8>>,
    /// Its ITL's bytes.
    pub itl: Option<Vec<u8>>,
}

/// Who the phone is and what it can do.
#[derive(Debug, Clone, Copy)]
pub struct PhoneProfile<'o> {
    /// Its MAC, twelve upper-case hex digits.
    pub mac: &'o str,
    /// Whether it can ask TVS (Security By Default).
    pub has_tvs: bool,
    /// What the cluster's TVS trusts, when known: TVS's answers are then definitive.
    pub tvs_trusts: Option<&'o [TvsTrusted]>,
    /// The phone's own private key (its LSC's or MIC's): with it the phone asks for its
    /// encrypted config first and decrypts it, as a phone with an encrypted config does.
    pub phone_key: Option<&'o rsa::PrivateKey>,
}

/// Which step of the boot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// The CTL.
    Ctl,
    /// The ITL.
    Itl,
    /// The phone's config.
    Config,
    /// The firmware load the config names.
    Load,
    /// A file the load lists.
    LoadFile,
}

impl StepKind {
    /// `ctl`, `itl`, `config`, `load`, `load_file`.
    pub fn code(self) -> &'static str {
        match self {
            StepKind::Ctl => "ctl",
            StepKind::Itl => "itl",
            StepKind::Config => "config",
            StepKind::Load => "load",
            StepKind::LoadFile => "load_file",
        }
    }
}

/// What came of a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepOutcome {
    /// The file is the one the phone holds: nothing to do.
    AlreadyHeld,
    /// The phone installs it (its lists accept it).
    Installed,
    /// The phone held no list, so it takes this one on faith.
    TakenOnFaith,
    /// The phone asks TVS; it installs it only if TVS vouches.
    NeedsTvs,
    /// The phone refuses it.
    Refused,
    /// No file by any of the names, over any protocol (a CTL: the cluster is not in mixed
    /// mode, which is fine).
    NotFound,
    /// Found, but not what the step needs (not a trust list, not a config, damaged).
    NotUsable(String),
    /// A config or load the phone takes (signature accepted, or nothing to check).
    Loaded,
    /// A config the phone cannot read (encrypted, and no key to decrypt it with).
    Unreadable,
}

impl StepOutcome {
    /// A stable machine-readable name.
    pub fn code(&self) -> &'static str {
        match self {
            StepOutcome::AlreadyHeld => "already_held",
            StepOutcome::Installed => "installed",
            StepOutcome::TakenOnFaith => "taken_on_faith",
            StepOutcome::NeedsTvs => "needs_tvs",
            StepOutcome::Refused => "refused",
            StepOutcome::NotFound => "not_found",
            StepOutcome::NotUsable(_) => "not_usable",
            StepOutcome::Loaded => "loaded",
            StepOutcome::Unreadable => "unreadable",
        }
    }
}

/// One step: what was asked for, what came back, what the phone did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BootStep {
    /// Which step.
    pub kind: StepKind,
    /// Every request, in order (a name not found, then the next name; HTTP, then TFTP).
    pub tries: Vec<Try>,
    /// The name that answered.
    pub file: Option<String>,
    /// Its checksums.
    pub checksums: Option<Checksums>,
    /// Its size.
    pub size: Option<usize>,
    /// What a phone holding its lists does with it (trust lists and signed configs).
    pub verdict: Option<AcceptanceVerdict>,
    /// What came of it.
    pub outcome: StepOutcome,
}

/// The whole boot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Boot {
    /// The steps, in the phone's order.
    pub steps: Vec<BootStep>,
    /// Where the phone stands, as `audit` names it.
    pub standing: PhoneStanding,
    /// What it holds afterwards.
    pub flash: Flash,
}

/// Boots a phone holding `flash` against `server`.
pub fn boot(server: &PhoneServer, profile: &PhoneProfile<'_>, flash: Flash) -> Boot {
    let mut steps = Vec::new();
    let mut flash = flash;
    let mac = profile.mac;

    let ctl = list_step(
        server,
        profile,
        &flash,
        StepKind::Ctl,
        &[format!("CTLSEP{mac}.tlv"), "CTLFile.tlv".to_owned()],
    );
    if let (Some(bytes), true) = (&ctl.1, installs(&ctl.0.outcome)) {
        flash.ctl = Some(bytes.clone());
    }
    steps.push(ctl.0);

    let itl = list_step(
        server,
        profile,
        &flash,
        StepKind::Itl,
        &[format!("ITLSEP{mac}.tlv"), "ITLFile.tlv".to_owned()],
    );
    if let (Some(bytes), true) = (&itl.1, installs(&itl.0.outcome)) {
        flash.itl = Some(bytes.clone());
    }
    steps.push(itl.0);

    let (config, load) = config_step(server, profile, &flash);
    steps.push(config);
    if let Some(load) = load {
        steps.extend(load_steps(server, &load));
    }
    let standing = standing(&steps);
    Boot {
        steps,
        standing,
        flash,
    }
}

fn installs(outcome: &StepOutcome) -> bool {
    matches!(outcome, StepOutcome::Installed | StepOutcome::TakenOnFaith)
}

/// The first of `names` the server has: its tries, its name and bytes.
fn first_found(server: &PhoneServer, names: &[String]) -> (Vec<Try>, Option<(String, Vec<u8>)>) {
    let mut tries = Vec::new();
    for name in names {
        let (mut tried, bytes) = server.fetch(name);
        tries.append(&mut tried);
        if let Some(bytes) = bytes {
            return (tries, Some((name.clone(), bytes)));
        }
    }
    (tries, None)
}

fn step(kind: StepKind, tries: Vec<Try>, found: Option<(&str, &[u8])>) -> BootStep {
    BootStep {
        kind,
        tries,
        file: found.map(|(name, _)| name.to_owned()),
        checksums: found.map(|(_, bytes)| Checksums::of(bytes)),
        size: found.map(|(_, bytes)| bytes.len()),
        verdict: None,
        outcome: StepOutcome::NotFound,
    }
}

/// The CTL or ITL step; the bytes come back when the phone installs them.
fn list_step(
    server: &PhoneServer,
    profile: &PhoneProfile<'_>,
    flash: &Flash,
    kind: StepKind,
    names: &[String],
) -> (BootStep, Option<Vec<u8>>) {
    let (tries, found) = first_found(server, names);
    let Some((name, bytes)) = found else {
        return (step(kind, tries, None), None);
    };
    let mut this = step(kind, tries, Some((&name, &bytes)));
    let list_kind = if kind == StepKind::Ctl {
        Kind::Ctl
    } else {
        Kind::Itl
    };
    let held_bytes = match list_kind {
        Kind::Ctl => flash.ctl.as_deref(),
        Kind::Itl => flash.itl.as_deref(),
    };
    if held_bytes == Some(bytes.as_slice()) {
        this.outcome = StepOutcome::AlreadyHeld;
        return (this, None);
    }
    let list = match TrustList::parse(&bytes) {
        Ok(list) => list,
        Err(error) => {
            this.outcome = StepOutcome::NotUsable(format!("not a trust list: {error}"));
            return (this, None);
        }
    };
    let verdict = judge(flash, profile, |phone| {
        phone.judge(list.header(), list_kind.into(), Some(&verify(&list)))
    });
    this.outcome = match verdict.as_ref().map(|verdict| verdict.acceptance) {
        None => StepOutcome::TakenOnFaith,
        Some(Acceptance::Accepted) => StepOutcome::Installed,
        Some(Acceptance::AcceptedIfTvsVouches) => StepOutcome::NeedsTvs,
        Some(Acceptance::Rejected | Acceptance::CannotJudge) => StepOutcome::Refused,
    };
    this.verdict = verdict;
    (this, Some(bytes))
}

/// What a phone holding `flash` answers; `None` when it holds no list.
fn judge(
    flash: &Flash,
    profile: &PhoneProfile<'_>,
    decide: impl Fn(&Phone<'_, '_>) -> Option<AcceptanceVerdict>,
) -> Option<AcceptanceVerdict> {
    let ctl = flash
        .ctl
        .as_deref()
        .and_then(|bytes| TrustList::parse(bytes).ok());
    let itl = flash
        .itl
        .as_deref()
        .and_then(|bytes| TrustList::parse(bytes).ok());
    let mut held = Vec::new();
    if let Some(list) = &ctl {
        held.push(HeldList {
            name: "its CTL",
            kind: Kind::Ctl,
            list,
        });
    }
    if let Some(list) = &itl {
        held.push(HeldList {
            name: "its ITL",
            kind: Kind::Itl,
            list,
        });
    }
    let phone = Phone::new(&held, profile.has_tvs)?;
    let phone = match profile.tvs_trusts {
        Some(trusted) => phone.with_tvs_trusts(trusted),
        None => phone,
    };
    decide(&phone)
}

/// The config step, and the load its config names.
fn config_step(
    server: &PhoneServer,
    profile: &PhoneProfile<'_>,
    flash: &Flash,
) -> (BootStep, Option<String>) {
    let mac = profile.mac;
    let mut names = Vec::new();
    if profile.phone_key.is_some() {
        names.push(format!("SEP{mac}.cnf.xml.enc.sgn"));
    }
    names.extend([
        format!("SEP{mac}.cnf.xml.sgn"),
        format!("SEP{mac}.cnf.xml"),
        "XMLDefault.cnf.xml.sgn".to_owned(),
        "XMLDefault.cnf.xml".to_owned(),
    ]);
    let (https_try, over_https) = https_config(server, profile, flash);
    let (tries, found) = match over_https {
        Some(bytes) => (Vec::new(), Some((format!("SEP{mac}.cnf.xml.sgn"), bytes))),
        None => first_found(server, &names),
    };
    let tries: Vec<Try> = https_try.into_iter().chain(tries).collect();
    let Some((name, bytes)) = found else {
        return (step(StepKind::Config, tries, None), None);
    };
    let mut this = step(StepKind::Config, tries, Some((&name, &bytes)));
    let via_https = this
        .tries
        .last()
        .is_some_and(|last| last.protocol == Protocol::Https);
    let xml = match CiscoFile::parse(&bytes) {
        Ok(CiscoFile::Signed(file)) if file.payload_kind() == PayloadKind::Encrypted => {
            this.verdict = judge(flash, profile, |phone| {
                phone.judge(file.header(), FileKind::Signed, None)
            });
            let Some(key) = profile.phone_key else {
                this.outcome = signed_outcome(this.verdict.as_ref(), StepOutcome::Unreadable);
                return (this, None);
            };
            match decrypt_config(&file, key) {
                Ok(plaintext) => {
                    this.outcome = signed_outcome(this.verdict.as_ref(), StepOutcome::Loaded);
                    plaintext
                }
                Err(error) => {
                    this.outcome = StepOutcome::NotUsable(format!(
                        "does not decrypt with the phone's key: {error}"
                    ));
                    return (this, None);
                }
            }
        }
        Ok(CiscoFile::Signed(file)) => {
            this.verdict = judge(flash, profile, |phone| {
                phone.judge(file.header(), FileKind::Signed, None)
            });
            this.outcome = signed_outcome(this.verdict.as_ref(), StepOutcome::Loaded);
            file.payload().to_vec()
        }
        Ok(CiscoFile::TrustList(_)) => {
            this.outcome = StepOutcome::NotUsable("a trust list, not a config".to_owned());
            return (this, None);
        }
        // An unsigned config: nothing to check it with (over HTTPS, the channel was checked).
        Err(_) if name.ends_with(".cnf.xml") || via_https => {
            this.outcome = StepOutcome::Loaded;
            bytes
        }
        Err(error) => {
            this.outcome = StepOutcome::NotUsable(format!("not a signed file: {error}"));
            return (this, None);
        }
    };
    let load = (this.outcome == StepOutcome::Loaded)
        .then(|| element_text(&xml, "loadInformation"))
        .flatten();
    if this.outcome == StepOutcome::Loaded
        && !name.ends_with(".enc.sgn")
        && element_text(&xml, "encrConfig").is_some_and(|flag| flag.eq_ignore_ascii_case("true"))
    {
        let this = follow_companion(server, profile, flash, this);
        // The companion names the load too, so the phone goes on once it has the real config.
        let load =
            load.filter(|_| matches!(this.outcome, StepOutcome::Loaded | StepOutcome::Unreadable));
        return (this, load);
    }
    (this, load)
}

/// A config whose `encrConfig` is true is the companion CUCM writes beside an encrypted config:
/// it holds only what the phone needs to fetch the encrypted one (docs/FORMAT.md §9), which the
/// phone asks for next. The step then stands for the encrypted config.
fn follow_companion(
    server: &PhoneServer,
    profile: &PhoneProfile<'_>,
    flash: &Flash,
    companion: BootStep,
) -> BootStep {
    let encrypted = format!("SEP{}.cnf.xml.enc.sgn", profile.mac);
    let companion_name = companion.file.clone().unwrap_or_default();
    // With the phone's key it was asked for first already.
    let asked = companion.tries.iter().any(|tried| tried.name == encrypted);
    let (more, found) = if asked {
        (Vec::new(), None)
    } else {
        first_found(server, std::slice::from_ref(&encrypted))
    };
    let tries: Vec<Try> = companion.tries.iter().cloned().chain(more).collect();
    let Some((name, bytes)) = found else {
        return BootStep {
            tries,
            outcome: StepOutcome::NotUsable(format!(
                "{companion_name} says the config is encrypted (encrConfig), but the server has no {encrypted}"
            )),
            ..companion
        };
    };
    let mut this = step(StepKind::Config, tries, Some((&name, &bytes)));
    match CiscoFile::parse(&bytes) {
        Ok(CiscoFile::Signed(file)) if file.payload_kind() == PayloadKind::Encrypted => {
            this.verdict = judge(flash, profile, |phone| {
                phone.judge(file.header(), FileKind::Signed, None)
            });
            this.outcome = signed_outcome(this.verdict.as_ref(), StepOutcome::Unreadable);
        }
        _ => {
            this.outcome = StepOutcome::NotUsable(format!(
                "{companion_name} points to {name}, which is not an encrypted config"
            ));
        }
    }
    this
}

/// A phone holding an ITL of signer version 1.1 first asks for its config over HTTPS, and is
/// answered with the unsigned config once it takes the server's certificate (docs/FORMAT.md
/// §15). The try, and the config when it came.
fn https_config(
    server: &PhoneServer,
    profile: &PhoneProfile<'_>,
    flash: &Flash,
) -> (Option<Try>, Option<Vec<u8>>) {
    let Some(itl) = flash
        .itl
        .as_deref()
        .and_then(|bytes| TrustList::parse(bytes).ok())
    else {
        return (None, None);
    };
    if itl.header().signer_version() != Some((1, 1)) {
        return (None, None);
    }
    let check = phone_certificate_check(&itl, profile.has_tvs, profile.tvs_trusts);
    let name = format!("SEP{}.cnf.xml.sgn", profile.mac);
    match server.fetch_https(&name, check) {
        Some((tried, bytes)) => (Some(tried), bytes),
        None => (None, None),
    }
}

/// What the phone does with a signed config: `taken` when its lists accept it (or it holds
/// none).
fn signed_outcome(verdict: Option<&AcceptanceVerdict>, taken: StepOutcome) -> StepOutcome {
    match verdict.map(|verdict| verdict.acceptance) {
        None | Some(Acceptance::Accepted) => taken,
        Some(Acceptance::AcceptedIfTvsVouches) => StepOutcome::NeedsTvs,
        Some(Acceptance::Rejected | Acceptance::CannotJudge) => StepOutcome::Refused,
    }
}

/// The text of the first `<tag …>text</tag>` in an XML config, trimmed; `None` when absent or
/// empty. A config names its load in one simple element, so no XML tree is built.
fn element_text(xml: &[u8], tag: &str) -> Option<String> {
    let text = String::from_utf8_lossy(xml);
    let open = format!("<{tag}");
    let start = text.find(&open)?;
    let after_open = text.get(start..)?;
    let content_start = after_open.find('>')?.checked_add(1)?;
    let content = after_open.get(content_start..)?;
    let end = content.find(&format!("</{tag}>"))?;
    let value = content.get(..end)?.trim();
    (!value.is_empty() && !value.contains('<')).then(|| value.to_owned())
}

/// The load (`NAME.loads`, else `NAME` as given) and the files it lists.
fn load_steps(server: &PhoneServer, load: &str) -> Vec<BootStep> {
    // Load names carry dots of their own (`sip88xx.14-2-1-0101-20`): the load list is always
    // NAME.loads; older phones ask for the name itself.
    let names = [format!("{load}.loads"), load.to_owned()];
    let (tries, found) = first_found(server, &names);
    let Some((name, bytes)) = found else {
        return vec![step(StepKind::Load, tries, None)];
    };
    let mut this = step(StepKind::Load, tries, Some((&name, &bytes)));
    let listed: Vec<String> = match CiscoFile::parse(&bytes) {
        Ok(CiscoFile::Signed(file)) if file.is_firmware() => {
            this.outcome = StepOutcome::Loaded;
            file.load_list_images()
                .into_iter()
                // A name no TFTP request can carry is not asked for.
                .filter(|image| image.len() <= LONGEST_NAME)
                .take(MOST_LOAD_FILES)
                .map(|image| String::from_utf8_lossy(image).into_owned())
                .collect()
        }
        Ok(_) => {
            this.outcome = StepOutcome::NotUsable("not Cisco firmware".to_owned());
            Vec::new()
        }
        Err(error) => {
            this.outcome = StepOutcome::NotUsable(format!("not a signed load: {error}"));
            Vec::new()
        }
    };
    let mut steps = vec![this];
    for image in listed {
        let (tries, found) = first_found(server, std::slice::from_ref(&image));
        let mut file = step(
            StepKind::LoadFile,
            tries,
            found
                .as_ref()
                .map(|(name, bytes)| (name.as_str(), bytes.as_slice())),
        );
        if found.is_some() {
            file.outcome = StepOutcome::Loaded;
        }
        steps.push(file);
    }
    steps
}

/// Where one step leaves the phone, as `audit` names it: stuck when it refuses a file, needs
/// TVS when it must ask, incomplete when a file it needs is missing or unusable, will update
/// when it installed a new list, else in sync.
fn step_standing(step: &BootStep) -> PhoneStanding {
    match (&step.outcome, step.kind) {
        (StepOutcome::Refused, _) => PhoneStanding::Stuck,
        (StepOutcome::NeedsTvs, _) => PhoneStanding::NeedsTvs,
        (StepOutcome::NotFound, StepKind::Ctl) => PhoneStanding::InSync,
        (StepOutcome::NotFound | StepOutcome::NotUsable(_) | StepOutcome::Unreadable, _) => {
            PhoneStanding::Incomplete
        }
        (StepOutcome::Installed | StepOutcome::TakenOnFaith, _) => PhoneStanding::WillUpdate,
        (StepOutcome::AlreadyHeld | StepOutcome::Loaded, _) => PhoneStanding::InSync,
    }
}

/// The worst step decides.
fn standing(steps: &[BootStep]) -> PhoneStanding {
    steps
        .iter()
        .map(step_standing)
        .max()
        .unwrap_or(PhoneStanding::InSync)
}

impl Boot {
    /// The step that decides the standing: the first one as bad as the whole boot (`None` when
    /// the phone is in sync).
    pub fn decisive_step(&self) -> Option<&BootStep> {
        if self.standing == PhoneStanding::InSync {
            return None;
        }
        self.steps
            .iter()
            .find(|step| step_standing(step) == self.standing)
    }
}

/// One phone of a fleet: its MAC and what its flash holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetPhone {
    /// Twelve upper-case hex digits.
    pub mac: String,
    /// What it holds before booting.
    pub flash: Flash,
}

/// How politely a fleet boots.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FleetPace {
    /// Phones booting at once.
    pub jobs: usize,
    /// Phones started per second, at most.
    pub rate: f64,
}

/// Boots every phone against `server` (`profile` gives what they share; each its own MAC),
/// `pace.jobs` at a time and no faster than `pace.rate` per second. Boots come back in the
/// order of `phones`.
pub fn boot_fleet(
    server: &PhoneServer,
    profile: &PhoneProfile<'_>,
    phones: &[FleetPhone],
    pace: FleetPace,
) -> Vec<Boot> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    let interval = if pace.rate.is_finite() && pace.rate > 0.0 {
        Duration::try_from_secs_f64(pace.rate.recip()).unwrap_or(Duration::ZERO)
    } else {
        Duration::ZERO
    };
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Option<Boot>>> = Mutex::new(vec![None; phones.len()]);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..pace.jobs.clamp(1, phones.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(phone) = phones.get(index) else {
                        return;
                    };
                    let offset = interval.saturating_mul(u32::try_from(index).unwrap_or(u32::MAX));
                    if let Some(due) = started.checked_add(offset) {
                        std::thread::sleep(due.saturating_duration_since(Instant::now()));
                    }
                    let own = PhoneProfile {
                        mac: &phone.mac,
                        ..*profile
                    };
                    let result = boot(server, &own, phone.flash.clone());
                    if let Ok(mut done) = done.lock()
                        && let Some(slot) = done.get_mut(index)
                    {
                        *slot = Some(result);
                    }
                }
            });
        }
    });
    done.into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_load_is_read_from_its_element() {
        let xml = b"<device><loadInformation model=\"x\"> SIP88xx.14-2-1-0101-20 </loadInformation></device>";
        assert_eq!(
            element_text(xml, "loadInformation").as_deref(),
            Some("SIP88xx.14-2-1-0101-20")
        );
        assert_eq!(
            element_text(b"<loadInformation></loadInformation>", "loadInformation"),
            None
        );
        assert_eq!(element_text(b"<loadInformation>x", "loadInformation"), None);
        assert_eq!(element_text(b"", "loadInformation"), None);
    }
}
