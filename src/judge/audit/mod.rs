//! A fleet audited phone by phone (docs/FORMAT.md §5): each phone's CTL, ITL and config are
//! gathered (by the MAC in their names, their folder, or the address a capture saw), and the
//! phone is judged as it judges itself — its CTL first (would it install the server's?), then
//! its ITL against the CTL and ITL it would hold after that, then its config against those.
//! Phones holding the same contents are judged once, so a fleet of thousands collapses into a
//! handful of groups.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::PathBuf;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::evidence::content::Content;
use crate::evidence::phone_copy::PhoneCopy;
use crate::files::input::LoadError;
use crate::judge::acceptance::{
    Acceptance, AcceptanceVerdict, FileKind, HeldList, Phone, TvsTrusted,
};
use ctlkit_format::checksum::Checksums;
use ctlkit_format::file::signed_file::{CiscoFile, SignedFile};
use ctlkit_format::file::trust_list::{Kind, TrustList};
use ctlkit_format::sign::signature::verify;
use ctlkit_format::tlv::error::ParseError;

pub mod pasted;

/// Why a group's content could not be judged.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuditProblem {
    /// The operating system refused the read.
    Unreadable {
        /// What kind of failure (files are grouped by it).
        kind: io::ErrorKind,
        /// The operating system's message for the first file.
        message: String,
    },
    /// A directory where a file was expected.
    IsDirectory,
    /// Over the size limit.
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// Read, but not a trust list.
    NotTrustList(ParseError),
    /// Read, but not a signed file (when the server's file is one).
    NotSignedFile,
    /// Given by name to be judged, but no Cisco file at all: what it is, when ctlkit can tell.
    NotCiscoFile {
        /// Where parsing it as a Cisco file stopped.
        error: ParseError,
        /// What it is instead.
        recognised: Option<crate::evidence::Recognised>,
    },
}

impl AuditProblem {
    pub(crate) fn of_load(error: &LoadError) -> Self {
        match error {
            LoadError::Io { source, .. } => AuditProblem::Unreadable {
                kind: source.kind(),
                message: source.to_string(),
            },
            LoadError::IsDirectory { .. } => AuditProblem::IsDirectory,
            LoadError::TooLarge { limit, .. } => AuditProblem::TooLarge { limit: *limit },
        }
    }

    /// A stable machine-readable name.
    pub fn code(&self) -> &'static str {
        match self {
            AuditProblem::Unreadable { .. } => "unreadable",
            AuditProblem::IsDirectory => "is_directory",
            AuditProblem::TooLarge { .. } => "too_large",
            AuditProblem::NotTrustList(_) => "not_a_trust_list",
            AuditProblem::NotSignedFile => "not_a_signed_file",
            AuditProblem::NotCiscoFile { .. } => "not_a_cisco_file",
        }
    }
}

/// A phone's file, by the role it plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Slot {
    /// `CTLSEP<MAC>.tlv` / `CTLFile.tlv`.
    Ctl,
    /// `ITLSEP<MAC>.tlv` / `ITLFile.tlv`.
    Itl,
    /// `SEP<MAC>.cnf.xml.sgn` (or `.enc.sgn`).
    Config,
}

impl Slot {
    /// `ctl`, `itl`, `config`.
    pub fn code(self) -> &'static str {
        match self {
            Slot::Ctl => "ctl",
            Slot::Itl => "itl",
            Slot::Config => "config",
        }
    }
}

/// The server's CTL, as far as the audit knows.
#[derive(Debug, Clone, Copy)]
pub enum ServerCtl<'s, 'a> {
    /// No CTL was given: phones' CTLs are not audited (they still count as held lists).
    NotGiven,
    /// The server has none (the cluster is not in mixed mode): fine, phones keep theirs.
    NonSecure,
    /// The server's CTL.
    Given(&'s TrustList<'a>),
}

/// The server's files a fleet is audited against.
#[derive(Debug, Clone)]
pub struct AuditServer<'s, 'a> {
    /// CTLFile.tlv.
    pub ctl: ServerCtl<'s, 'a>,
    /// ITLFile.tlv; `None` when not given (phones' ITLs are then not audited).
    pub itl: Option<&'s TrustList<'a>>,
    /// Signed configs by file name (lower-case, no folder): a phone's config is compared with
    /// the one of its own name.
    pub configs: Vec<(String, &'s SignedFile<'a>)>,
    /// False for phones without Security By Default (7940/7960, Jabber), which cannot ask TVS.
    pub has_tvs: bool,
    /// What the cluster's TVS trusts, when given: TVS's answers are then definitive. `None`
    /// leaves them open ("accepted only if TVS vouches").
    pub tvs_trusts: Option<&'s [TvsTrusted]>,
    /// Files larger than this are refused.
    pub max_size: u64,
}

/// Where a phone stands, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PhoneStanding {
    /// Every file it holds is the server's.
    InSync,
    /// It will take the server's files at its next download, by itself.
    WillUpdate,
    /// It takes them only if the cluster's TVS vouches for their signer.
    NeedsTvs,
    /// A file is missing from the evidence (or unreadable): it cannot be judged.
    Incomplete,
    /// It refuses a server file: something must be done on the phone or the server.
    Stuck,
}

impl PhoneStanding {
    /// Every standing, best first.
    pub const ALL: [PhoneStanding; 5] = [
        PhoneStanding::InSync,
        PhoneStanding::WillUpdate,
        PhoneStanding::NeedsTvs,
        PhoneStanding::Incomplete,
        PhoneStanding::Stuck,
    ];

    /// `in_sync`, `will_update`, `needs_tvs`, `incomplete`, `stuck`.
    pub fn code(self) -> &'static str {
        match self {
            PhoneStanding::InSync => "in_sync",
            PhoneStanding::WillUpdate => "will_update",
            PhoneStanding::NeedsTvs => "needs_tvs",
            PhoneStanding::Incomplete => "incomplete",
            PhoneStanding::Stuck => "stuck",
        }
    }
}

/// What decided a phone's standing: the file that decides it, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneReason {
    /// Every audited file is the server's.
    InSync,
    /// The phone holds no file of this kind in the evidence.
    Missing(Slot),
    /// Its file of this kind could not be read or is not what its name says.
    Unusable(Slot, AuditProblem),
    /// Its config has no copy of the same name among the server files given.
    NoServerConfig,
    /// Its config differs and it holds no list to judge the server's with.
    NothingToJudgeWith,
    /// The verdict on the server's file of this kind, by the lists the phone would hold.
    Verdict(Slot, Box<AcceptanceVerdict>),
}

impl PhoneReason {
    /// A stable code: `in_sync`, `ctl_missing`, `itl_rejected`, `config_needs_tvs`…
    pub fn code(&self) -> &'static str {
        use Acceptance::{Accepted, AcceptedIfTvsVouches, CannotJudge, Rejected};
        match self {
            PhoneReason::InSync => "in_sync",
            PhoneReason::Missing(Slot::Ctl) => "ctl_missing",
            PhoneReason::Missing(Slot::Itl) => "itl_missing",
            PhoneReason::Missing(Slot::Config) => "config_missing",
            PhoneReason::Unusable(Slot::Ctl, _) => "ctl_unusable",
            PhoneReason::Unusable(Slot::Itl, _) => "itl_unusable",
            PhoneReason::Unusable(Slot::Config, _) => "config_unusable",
            PhoneReason::NoServerConfig => "config_not_on_server",
            PhoneReason::NothingToJudgeWith => "config_no_lists",
            PhoneReason::Verdict(slot, verdict) => match (slot, verdict.acceptance) {
                (Slot::Ctl, Accepted) => "ctl_updates",
                (Slot::Ctl, AcceptedIfTvsVouches) => "ctl_needs_tvs",
                (Slot::Ctl, Rejected) => "ctl_rejected",
                (Slot::Ctl, CannotJudge) => "ctl_cannot_judge",
                (Slot::Itl, Accepted) => "itl_updates",
                (Slot::Itl, AcceptedIfTvsVouches) => "itl_needs_tvs",
                (Slot::Itl, Rejected) => "itl_rejected",
                (Slot::Itl, CannotJudge) => "itl_cannot_judge",
                (Slot::Config, Accepted) => "config_updates",
                (Slot::Config, AcceptedIfTvsVouches) => "config_needs_tvs",
                (Slot::Config, Rejected) => "config_rejected",
                (Slot::Config, CannotJudge) => "config_cannot_judge",
            },
        }
    }

    /// The file the reason is about.
    pub fn slot(&self) -> Option<Slot> {
        match self {
            PhoneReason::Missing(slot)
            | PhoneReason::Unusable(slot, _)
            | PhoneReason::Verdict(slot, _) => Some(*slot),
            PhoneReason::NoServerConfig | PhoneReason::NothingToJudgeWith => Some(Slot::Config),
            PhoneReason::InSync => None,
        }
    }
}

/// One of a phone's files, for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFacts {
    /// MD5, hex.
    pub md5: String,
    /// SHA-1, hex.
    pub sha1: String,
    /// What it is: `ctl`, `itl`, `signed`…
    pub content: &'static str,
    /// The same bytes as the server's file of its kind.
    pub matches_server: bool,
}

/// Phones holding the same contents, judged once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneGroup {
    /// Where they stand.
    pub standing: PhoneStanding,
    /// Why.
    pub reason: PhoneReason,
    /// Their CTL, ITL and config (`None` where the evidence has none).
    pub files: BTreeMap<Slot, FileFacts>,
    /// The phones, by name.
    pub phones: Vec<String>,
}

/// One phone, for a row per phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneRow {
    /// Its name: `SEP<MAC>`, a folder, an address.
    pub phone: String,
    /// Where it stands.
    pub standing: PhoneStanding,
    /// Why, as a code.
    pub reason_code: &'static str,
    /// Its files: MD5 and path by slot.
    pub files: BTreeMap<Slot, (String, PathBuf)>,
}

/// A fleet, phone by phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    /// Phones found.
    pub phones: usize,
    /// Groups, worst standing first, then largest.
    pub groups: Vec<PhoneGroup>,
    /// One row per phone, by name.
    pub rows: Vec<PhoneRow>,
    /// Files that are neither trust lists nor signed configs (listed once, not as phones).
    pub ignored: Vec<PathBuf>,
}

impl Audit {
    /// How many phones stand where.
    pub fn count(&self, standing: PhoneStanding) -> usize {
        self.rows
            .iter()
            .filter(|row| row.standing == standing)
            .count()
    }
}

/// What hashing a copy gave.
#[derive(Debug, Clone)]
struct Hashed {
    digest: Result<[u8; 32], AuditProblem>,
}

/// A distinct content: what it is, its checksums.
#[derive(Debug, Clone)]
struct Known {
    content: Content,
    checksums: Checksums,
}

/// The phone a copy belongs to: a MAC in its name or its phone label (`SEP001122334455`,
/// `SEP001122334455 (10.1.2.3)` from a capture), else the label as given.
fn phone_key(copy: &PhoneCopy) -> String {
    let label = copy.phone.as_str();
    let upper = label.to_ascii_uppercase();
    if let Some(rest) = upper.strip_prefix("SEP")
        && let Some(mac) = rest.get(..12)
        && mac.bytes().all(|byte| byte.is_ascii_hexdigit())
    {
        return format!("SEP{mac}");
    }
    label.to_owned()
}

/// The slot a content fills; `None` for what phones do not hold as a CTL, ITL or config.
fn slot_of(content: &Content, copy: &PhoneCopy) -> Option<Slot> {
    match content {
        Content::TrustList(Some(Kind::Ctl)) => Some(Slot::Ctl),
        Content::TrustList(Some(Kind::Itl)) => Some(Slot::Itl),
        Content::TrustList(None) => {
            let name = copy
                .path
                .file_name()?
                .to_string_lossy()
                .to_ascii_uppercase();
            Kind::from_file_name(name.as_bytes()).map(|kind| match kind {
                Kind::Ctl => Slot::Ctl,
                Kind::Itl => Slot::Itl,
            })
        }
        Content::Signed(
            ctlkit_format::file::signed_file::PayloadKind::Xml
            | ctlkit_format::file::signed_file::PayloadKind::Encrypted,
        ) => Some(Slot::Config),
        _ => None,
    }
}

/// The slot a file's name gives it: `CTL…` / `ITL…` names, `SEP<MAC>.cnf.xml…`.
fn slot_by_name(copy: &PhoneCopy) -> Option<Slot> {
    let name = copy
        .path
        .file_name()?
        .to_string_lossy()
        .to_ascii_uppercase();
    match Kind::from_file_name(name.as_bytes()) {
        Some(Kind::Ctl) => Some(Slot::Ctl),
        Some(Kind::Itl) => Some(Slot::Itl),
        None if name.starts_with("SEP") && name.contains(".CNF.XML") => Some(Slot::Config),
        None => None,
    }
}

/// Audits every phone the copies belong to against the server's files, calling `progress`
/// once per copy hashed.
///
/// Each copy is read and hashed once, in parallel; each distinct content is parsed once; each
/// distinct set of contents a phone holds is judged once (its files read again then).
pub fn audit(
    copies: &[PhoneCopy],
    server: &AuditServer<'_, '_>,
    progress: &(dyn Fn() + Sync),
) -> Audit {
    let hashed: Vec<Hashed> = copies
        .par_iter()
        .map(|copy| {
            let digest = copy
                .read(server.max_size)
                .map(|bytes| <[u8; 32]>::from(Sha256::digest(&bytes)))
                .map_err(|error| AuditProblem::of_load(&error));
            progress();
            Hashed { digest }
        })
        .collect();

    // Each distinct content parsed once, from the first copy holding it.
    let mut first_holder: HashMap<[u8; 32], usize> = HashMap::new();
    for (index, hashed) in hashed.iter().enumerate() {
        if let Ok(digest) = hashed.digest {
            first_holder.entry(digest).or_insert(index);
        }
    }
    let known: HashMap<[u8; 32], Known> = first_holder
        .par_iter()
        .filter_map(|(digest, index)| {
            let bytes = copies.get(*index)?.read(server.max_size).ok()?;
            Some((
                *digest,
                Known {
                    content: Content::of(&bytes),
                    checksums: Checksums::of(&bytes),
                },
            ))
        })
        .collect();

    // Copies to phones and slots; what fills no slot is ignored, listed once.
    let mut phones: BTreeMap<String, BTreeMap<Slot, usize>> = BTreeMap::new();
    let mut unusable: BTreeMap<String, BTreeMap<Slot, AuditProblem>> = BTreeMap::new();
    let mut ignored = Vec::new();
    for (index, (copy, hashed)) in copies.iter().zip(&hashed).enumerate() {
        let key = phone_key(copy);
        let problem = match &hashed.digest {
            Ok(digest) => match known.get(digest) {
                Some(known) => match slot_of(&known.content, copy) {
                    // A later copy of the same slot (a phone fetched twice) replaces it.
                    Some(slot) => {
                        phones.entry(key).or_default().insert(slot, index);
                        continue;
                    }
                    None => match &known.content {
                        Content::Damaged(error) => AuditProblem::NotTrustList(error.clone()),
                        _ => {
                            ignored.push(copy.path.clone());
                            continue;
                        }
                    },
                },
                None => {
                    ignored.push(copy.path.clone());
                    continue;
                }
            },
            Err(problem) => problem.clone(),
        };
        // Unreadable or damaged: still the phone's file when its name says which.
        match slot_by_name(copy) {
            Some(slot) => {
                phones.entry(key.clone()).or_default();
                unusable.entry(key).or_default().insert(slot, problem);
            }
            None => ignored.push(copy.path.clone()),
        }
    }

    // Phones grouped by what they hold: a content digest per slot (or how it failed).
    type Holding = Vec<(Slot, Result<[u8; 32], AuditProblem>)>;
    type HoldingKey = Vec<(Slot, Option<[u8; 32]>, &'static str)>;
    struct Members {
        holding: Holding,
        /// The first phone's slots, read when the group is judged.
        slots: BTreeMap<Slot, usize>,
        phones: Vec<String>,
    }
    let mut by_holding: BTreeMap<HoldingKey, Members> = BTreeMap::new();
    for (phone, slots) in &phones {
        let mut holding: Holding = slots
            .iter()
            .filter_map(|(slot, index)| {
                let digest = hashed.get(*index)?.digest.clone();
                Some((*slot, digest))
            })
            .collect();
        if let Some(problems) = unusable.get(phone) {
            for (slot, problem) in problems {
                if !slots.contains_key(slot) {
                    holding.push((*slot, Err(problem.clone())));
                }
            }
        }
        holding.sort_by_key(|(slot, _)| *slot);
        let key: HoldingKey = holding
            .iter()
            .map(|(slot, digest)| match digest {
                Ok(digest) => (*slot, Some(*digest), ""),
                Err(problem) => (*slot, None, problem.code()),
            })
            .collect();
        by_holding
            .entry(key)
            .or_insert_with(|| Members {
                holding,
                slots: slots.clone(),
                phones: Vec::new(),
            })
            .phones
            .push(phone.clone());
    }

    let mut groups: Vec<PhoneGroup> = by_holding
        .into_par_iter()
        .map(|(_, members)| {
            judge_phone(
                &members.holding,
                &members.slots,
                copies,
                &known,
                server,
                members.phones,
            )
        })
        .collect();

    let mut rows = Vec::new();
    for group in &groups {
        for phone in &group.phones {
            let files = phones
                .get(phone)
                .map(|slots| {
                    slots
                        .iter()
                        .filter_map(|(slot, index)| {
                            let copy = copies.get(*index)?;
                            let md5 = group
                                .files
                                .get(slot)
                                .map(|facts| facts.md5.clone())
                                .unwrap_or_default();
                            Some((*slot, (md5, copy.path.clone())))
                        })
                        .collect()
                })
                .unwrap_or_default();
            rows.push(PhoneRow {
                phone: phone.clone(),
                standing: group.standing,
                reason_code: group.reason.code(),
                files,
            });
        }
    }
    rows.sort_by(|left, right| left.phone.cmp(&right.phone));
    groups.sort_by(|left, right| {
        right
            .standing
            .cmp(&left.standing)
            .then_with(|| right.phones.len().cmp(&left.phones.len()))
            .then_with(|| left.phones.cmp(&right.phones))
    });
    Audit {
        phones: phones.len(),
        groups,
        rows,
        ignored,
    }
}

/// One step of a phone's judgement.
struct Step {
    standing: PhoneStanding,
    reason: PhoneReason,
}

/// Judges one set of holdings, as every phone holding it does.
fn judge_phone(
    holding: &[(Slot, Result<[u8; 32], AuditProblem>)],
    slots: &BTreeMap<Slot, usize>,
    copies: &[PhoneCopy],
    known: &HashMap<[u8; 32], Known>,
    server: &AuditServer<'_, '_>,
    phones: Vec<String>,
) -> PhoneGroup {
    let read = |slot: Slot| -> Option<Cow<'_, [u8]>> {
        copies.get(*slots.get(&slot)?)?.read(server.max_size).ok()
    };
    let problem = |slot: Slot| {
        holding.iter().find_map(|(held, digest)| match digest {
            Err(problem) if *held == slot => Some(problem.clone()),
            _ => None,
        })
    };
    let ctl_bytes = read(Slot::Ctl);
    let itl_bytes = read(Slot::Itl);
    let config_bytes = read(Slot::Config);
    let phone_ctl = ctl_bytes
        .as_deref()
        .and_then(|bytes| TrustList::parse(bytes).ok());
    let phone_itl = itl_bytes
        .as_deref()
        .and_then(|bytes| TrustList::parse(bytes).ok());
    let phone_config = config_bytes
        .as_deref()
        .and_then(|bytes| match CiscoFile::parse(bytes) {
            Ok(CiscoFile::Signed(file)) => Some(file),
            _ => None,
        });
    let config_name = phone_config.as_ref().map(|config| {
        let path_name = slots
            .get(&Slot::Config)
            .and_then(|index| copies.get(*index))
            .and_then(|copy| copy.path.file_name())
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        config_name(config, &path_name)
    });

    let mut files = BTreeMap::new();
    for (slot, digest) in holding {
        let Ok(digest) = digest else { continue };
        let Some(facts) = known.get(digest) else {
            continue;
        };
        let server_bytes: Option<&[u8]> = match slot {
            Slot::Ctl => match server.ctl {
                ServerCtl::Given(list) => Some(list.as_bytes()),
                _ => None,
            },
            Slot::Itl => server.itl.map(TrustList::as_bytes),
            Slot::Config => config_name.as_ref().and_then(|name| {
                server
                    .configs
                    .iter()
                    .find(|(server_name, _)| server_name == name)
                    .map(|(_, file)| file.as_bytes())
            }),
        };
        files.insert(
            *slot,
            FileFacts {
                md5: facts.checksums.md5_hex(),
                sha1: facts.checksums.sha1_hex(),
                content: facts.content.code(),
                matches_server: server_bytes
                    .is_some_and(|bytes| Checksums::of(bytes).sha256 == facts.checksums.sha256),
            },
        );
    }
    let same = |slot: Slot| files.get(&slot).is_some_and(|facts| facts.matches_server);

    let mut steps: Vec<Step> = Vec::new();
    let verdict_step = |slot: Slot, verdict: Option<AcceptanceVerdict>| match verdict {
        Some(verdict) => Step {
            standing: match verdict.acceptance {
                Acceptance::Accepted => PhoneStanding::WillUpdate,
                Acceptance::AcceptedIfTvsVouches => PhoneStanding::NeedsTvs,
                Acceptance::Rejected => PhoneStanding::Stuck,
                // The phone's copy changed after it was installed: collect it again.
                Acceptance::CannotJudge => PhoneStanding::Incomplete,
            },
            reason: PhoneReason::Verdict(slot, Box::new(verdict)),
        },
        None => Step {
            standing: PhoneStanding::Incomplete,
            reason: PhoneReason::NothingToJudgeWith,
        },
    };
    let missing = |slot: Slot| match problem(slot) {
        Some(problem) => Step {
            standing: PhoneStanding::Incomplete,
            reason: PhoneReason::Unusable(slot, problem),
        },
        None => Step {
            standing: PhoneStanding::Incomplete,
            reason: PhoneReason::Missing(slot),
        },
    };

    // 1. The CTL: a phone installs the server's only if its held lists accept it.
    let mut held_ctl = phone_ctl.as_ref();
    if let ServerCtl::Given(server_ctl) = server.ctl {
        match &phone_ctl {
            None => steps.push(missing(Slot::Ctl)),
            Some(_) if same(Slot::Ctl) => {}
            Some(ctl) => {
                let held = held_lists(Some(ctl), phone_itl.as_ref());
                let verdict = judge_for(
                    server,
                    &held,
                    server_ctl.header(),
                    FileKind::Ctl,
                    Some(&verify(server_ctl)),
                );
                if verdict
                    .as_ref()
                    .is_some_and(|verdict| verdict.acceptance == Acceptance::Accepted)
                {
                    held_ctl = Some(server_ctl);
                }
                steps.push(verdict_step(Slot::Ctl, verdict));
            }
        }
    }

    // 2. The ITL, against the CTL it would hold after step 1 and the ITL it holds.
    let mut held_itl = phone_itl.as_ref();
    if let Some(server_itl) = server.itl {
        match &phone_itl {
            None => steps.push(missing(Slot::Itl)),
            Some(_) if same(Slot::Itl) => {}
            Some(itl) => {
                let held = held_lists(held_ctl, Some(itl));
                let verdict = judge_for(
                    server,
                    &held,
                    server_itl.header(),
                    FileKind::Itl,
                    Some(&verify(server_itl)),
                );
                if verdict
                    .as_ref()
                    .is_some_and(|verdict| verdict.acceptance == Acceptance::Accepted)
                {
                    held_itl = Some(server_itl);
                }
                steps.push(verdict_step(Slot::Itl, verdict));
            }
        }
    }

    // 3. The config, against the lists it would hold.
    if let (Some(_), Some(name)) = (&phone_config, &config_name) {
        let server_config = server
            .configs
            .iter()
            .find(|(server_name, _)| server_name == name)
            .map(|(_, file)| *file);
        match server_config {
            None if !server.configs.is_empty() => steps.push(Step {
                standing: PhoneStanding::Incomplete,
                reason: PhoneReason::NoServerConfig,
            }),
            None => {}
            Some(_) if same(Slot::Config) => {}
            Some(config) => {
                let held = held_lists(held_ctl, held_itl);
                let verdict = judge_for(server, &held, config.header(), FileKind::Signed, None);
                steps.push(verdict_step(Slot::Config, verdict));
            }
        }
    } else if let Some(problem) = problem(Slot::Config) {
        steps.push(Step {
            standing: PhoneStanding::Incomplete,
            reason: PhoneReason::Unusable(Slot::Config, problem),
        });
    }

    // The worst step decides; among equals, the first (CTL, then ITL, then config).
    let decisive = steps
        .into_iter()
        .fold(None::<Step>, |worst, step| match worst {
            Some(worst) if worst.standing >= step.standing => Some(worst),
            _ => Some(step),
        });
    let (standing, reason) = decisive
        .map_or((PhoneStanding::InSync, PhoneReason::InSync), |step| {
            (step.standing, step.reason)
        });
    PhoneGroup {
        standing,
        reason,
        files,
        phones,
    }
}

/// The name a config is matched by: its header's FILENAME (without a TFTP folder), else the
/// name it was saved under; lower-case.
pub fn config_name(file: &SignedFile<'_>, saved_as: &str) -> String {
    let name = file
        .header()
        .filename()
        .map(|name| String::from_utf8_lossy(ctlkit_format::text::until_nul(name)).into_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| saved_as.to_owned());
    name.rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// The lists a phone holds, named for explanations.
fn held_lists<'h, 'a>(
    ctl: Option<&'h TrustList<'a>>,
    itl: Option<&'h TrustList<'a>>,
) -> Vec<HeldList<'h, 'a>> {
    let mut held = Vec::new();
    if let Some(list) = ctl {
        held.push(HeldList {
            name: "its CTL",
            kind: Kind::Ctl,
            list,
        });
    }
    if let Some(list) = itl {
        held.push(HeldList {
            name: "its ITL",
            kind: Kind::Itl,
            list,
        });
    }
    held
}

/// What a phone holding `held` does with a server file, knowing what the server's TVS trusts
/// when that was given.
fn judge_for(
    server: &AuditServer<'_, '_>,
    held: &[HeldList<'_, '_>],
    header: &ctlkit_format::file::header::Header<'_>,
    kind: FileKind,
    own: Option<&ctlkit_format::sign::signature::Verification>,
) -> Option<AcceptanceVerdict> {
    let phone = Phone::new(held, server.has_tvs)?;
    let phone = match server.tvs_trusts {
        Some(trusted) => phone.with_tvs_trusts(trusted),
        None => phone,
    };
    phone.judge(header, kind, own)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy(phone: &str, path: &str) -> PhoneCopy {
        PhoneCopy {
            phone: phone.to_owned(),
            path: PathBuf::from(path),
            bytes: None,
        }
    }

    #[test]
    fn a_phone_is_its_mac_wherever_the_evidence_came_from() {
        assert_eq!(phone_key(&copy("SEP001122AABBCC", "x")), "SEP001122AABBCC");
        assert_eq!(
            phone_key(&copy("sep001122aabbcc (10.1.2.3)", "x")),
            "SEP001122AABBCC"
        );
        assert_eq!(phone_key(&copy("10.1.2.3", "x")), "10.1.2.3");
        assert_eq!(phone_key(&copy("lobby", "x")), "lobby");
        assert_eq!(phone_key(&copy("SEP0011", "x")), "SEP0011");
    }

    #[test]
    fn standings_order_from_best_to_worst() {
        let mut all = PhoneStanding::ALL.to_vec();
        all.sort();
        assert_eq!(all, PhoneStanding::ALL);
        assert!(PhoneStanding::Stuck > PhoneStanding::Incomplete);
        assert!(PhoneStanding::Incomplete > PhoneStanding::NeedsTvs);
        assert_eq!(PhoneReason::Missing(Slot::Itl).code(), "itl_missing");
        assert_eq!(PhoneReason::NoServerConfig.slot(), Some(Slot::Config));
    }
}
