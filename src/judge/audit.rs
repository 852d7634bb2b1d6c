//! A fleet's trust lists against the server's: group the phones' files by content, judge each
//! distinct content once (parse, checksum, would it take the server's file), and say which
//! phones match, which will update by themselves, and which are stuck.

use std::collections::HashMap;
use std::io;
use std::path::PathBuf;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::evidence::pasted::PastedList;
use crate::evidence::phone_copy::PhoneCopy;
use crate::files::input::LoadError;
use crate::judge::acceptance::{Acceptance, AcceptanceVerdict, HeldList, would_accept};
use ctlkit_format::checksum::Checksums;
use ctlkit_format::file::signed_file::CiscoFile;
use ctlkit_format::file::trust_list::{Kind, TrustList};
use ctlkit_format::sign::signature::{Verification, verify};
use ctlkit_format::tlv::error::ParseError;

/// One phone's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneFile {
    /// The phone's name (`SEP001122334455`, or the folder or file name).
    pub phone: String,
    /// Where the file is.
    pub path: PathBuf,
}

/// Where a group of phones stands, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Standing {
    /// Byte-identical to the server's file.
    MatchesServer,
    /// Their list accepts the server's file: they update at the next download.
    WillUpdate,
    /// They update only if the cluster's TVS vouches for the server file's signer.
    NeedsTvs,
    /// A signed file (a config) that differs from the server's copy: whether the phone takes
    /// the server's depends on the trust lists it holds, which the copies do not say.
    Differs,
    /// They refuse the server's file: their trust list must be reset or deleted.
    Stuck,
    /// Their file could not be read or is not a trust list.
    Unusable,
}

impl Standing {
    /// Every standing, best first.
    pub const ALL: [Standing; 6] = [
        Standing::MatchesServer,
        Standing::WillUpdate,
        Standing::NeedsTvs,
        Standing::Differs,
        Standing::Stuck,
        Standing::Unusable,
    ];

    /// A stable machine-readable name.
    pub fn code(self) -> &'static str {
        match self {
            Standing::MatchesServer => "matches_server",
            Standing::WillUpdate => "will_update",
            Standing::NeedsTvs => "needs_tvs",
            Standing::Differs => "differs",
            Standing::Stuck => "stuck",
            Standing::Unusable => "unusable",
        }
    }

    fn of(acceptance: Acceptance) -> Self {
        match acceptance {
            Acceptance::Accepted => Standing::WillUpdate,
            Acceptance::AcceptedIfTvsVouches => Standing::NeedsTvs,
            Acceptance::Rejected => Standing::Stuck,
            Acceptance::CannotJudge => Standing::Unusable,
        }
    }
}

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
        }
    }
}

/// Phones whose files have the same content (or the same problem).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// MD5 of the content (empty when unreadable).
    pub md5: String,
    /// SHA-1 of the content.
    pub sha1: String,
    /// The phones, in path order.
    pub phones: Vec<PhoneFile>,
    /// Where they stand.
    pub standing: Standing,
    /// What a phone holding this content does with the server's file; `None` when the content
    /// is the server's or unusable.
    pub verdict: Option<AcceptanceVerdict>,
    /// Why the content is unusable.
    pub problem: Option<AuditProblem>,
}

impl Group {
    /// Byte-identical to the server's file.
    pub fn matches_server(&self) -> bool {
        self.standing == Standing::MatchesServer
    }

    /// Whether a phone holding this content would install the server's file; `None` when the
    /// content is unusable.
    pub fn accepts_server(&self) -> Option<Acceptance> {
        match self.standing {
            Standing::MatchesServer => Some(Acceptance::Accepted),
            Standing::Unusable => None,
            _ => self.verdict.as_ref().map(|verdict| verdict.acceptance),
        }
    }
}

/// The whole fleet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    /// How many phone files were examined.
    pub phones: usize,
    /// How many are identical to the server's.
    pub matching: usize,
    /// The groups, largest first.
    pub groups: Vec<Group>,
}

impl Audit {
    /// How many phones stand where.
    pub fn count(&self, standing: Standing) -> usize {
        self.groups
            .iter()
            .filter(|group| group.standing == standing)
            .map(|group| group.phones.len())
            .sum()
    }
}

/// What the phones' copies are compared with.
#[derive(Debug, Clone, Copy)]
pub enum AuditServer<'s, 'a> {
    /// The server's trust list, or its copy of a signed file (a config): the phones' copies
    /// are grouped by content either way, and judged when it is a trust list.
    File(&'s CiscoFile<'a>),
    /// Pasted `show ctl` / `show itl` output of the server's list: copies are compared by its
    /// checksums only (it holds no certificates to judge with).
    Pasted(&'s PastedList),
}

/// The server's file and how phones may consult TVS: what every group is judged against.
#[derive(Debug, Clone, Copy)]
pub struct AuditTarget<'s, 'a> {
    /// The server's file, or pasted text describing it.
    pub server: AuditServer<'s, 'a>,
    /// Its name in explanations.
    pub server_name: &'s str,
    /// CTL or ITL: decides which held records may sign it.
    pub server_kind: Kind,
    /// False for phones without Security By Default (7940/7960, Jabber), which cannot ask TVS.
    pub has_tvs: bool,
    /// Files larger than this are refused.
    pub max_size: u64,
}

/// A path under an audit's arguments that cannot be walked.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct WalkError {
    /// The argument being walked.
    pub path: PathBuf,
    /// What went wrong.
    #[source]
    pub source: walkdir::Error,
}

/// Every regular file under `paths` (files as given, folders recursively), in sorted order.
///
/// # Errors
///
/// [`WalkError`] naming a path that cannot be walked.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, WalkError> {
    let mut files = Vec::new();
    for path in paths {
        for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
            let entry = entry.map_err(|source| WalkError {
                path: path.clone(),
                source,
            })?;
            if entry.file_type().is_file() {
                files.push(entry.into_path());
            }
        }
    }
    Ok(files)
}

/// How unreadable files group: by the kind of failure, not by their path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Failure {
    Io(io::ErrorKind),
    IsDirectory,
    TooLarge,
}

/// What hashing one file gave: its content's SHA-256, or how it failed.
type Key = Result<[u8; 32], Failure>;

/// Audits the phones' copies against the server's trust list, calling `progress` once per
/// copy hashed.
///
/// Each file is read and hashed once, in parallel, and its bytes dropped; each distinct
/// content is then read once more from one of its files and judged, so memory stays at a few
/// files' worth however large the fleet.
pub fn audit(
    copies: &[PhoneCopy],
    target: &AuditTarget<'_, '_>,
    progress: &(dyn Fn() + Sync),
) -> Audit {
    let keys: Vec<(Key, Option<AuditProblem>)> = copies
        .par_iter()
        .map(|copy| {
            let key = match copy.read(target.max_size) {
                Ok(bytes) => (Ok(<[u8; 32]>::from(Sha256::digest(&bytes))), None),
                Err(error) => {
                    let failure = match &error {
                        LoadError::Io { source, .. } => Failure::Io(source.kind()),
                        LoadError::IsDirectory { .. } => Failure::IsDirectory,
                        LoadError::TooLarge { .. } => Failure::TooLarge,
                    };
                    (Err(failure), Some(AuditProblem::of_load(&error)))
                }
            };
            progress();
            key
        })
        .collect();

    let mut grouped: HashMap<Key, (Vec<&PhoneCopy>, Option<AuditProblem>)> = HashMap::new();
    for (copy, (key, problem)) in copies.iter().zip(keys) {
        let entry = grouped.entry(key).or_default();
        entry.0.push(copy);
        if entry.1.is_none() {
            entry.1 = problem;
        }
    }
    let server_checksums = match target.server {
        AuditServer::File(file) => ServerSums::Sha256(Checksums::of(file.as_bytes()).sha256),
        AuditServer::Pasted(text) => ServerSums::Printed(text.md5, text.sha1),
    };
    let server_own = match target.server {
        AuditServer::File(CiscoFile::TrustList(list)) => Some(verify(list)),
        _ => None,
    };
    let mut groups: Vec<Group> = grouped
        .into_par_iter()
        .map(|(_, (copies, problem))| {
            let representative = copies.first().copied();
            let phones: Vec<PhoneFile> = copies
                .iter()
                .map(|copy| PhoneFile {
                    phone: copy.phone.clone(),
                    path: copy.path.clone(),
                })
                .collect();
            match (problem, representative) {
                (Some(problem), _) => unusable(phones, problem, String::new(), String::new()),
                (None, Some(representative)) => judge(
                    phones,
                    representative,
                    target,
                    &server_checksums,
                    server_own.as_ref(),
                ),
                (None, None) => unusable(
                    phones,
                    AuditProblem::IsDirectory,
                    String::new(),
                    String::new(),
                ),
            }
        })
        .collect();
    // Largest first; among equals, from best to worst standing, then by checksum.
    groups.sort_by(|left, right| {
        right
            .phones
            .len()
            .cmp(&left.phones.len())
            .then_with(|| left.standing.cmp(&right.standing))
            .then_with(|| left.sha1.cmp(&right.sha1))
    });
    let matching = groups
        .iter()
        .filter(|group| group.matches_server())
        .map(|group| group.phones.len())
        .sum();
    Audit {
        phones: copies.len(),
        matching,
        groups,
    }
}

fn unusable(phones: Vec<PhoneFile>, problem: AuditProblem, md5: String, sha1: String) -> Group {
    Group {
        md5,
        sha1,
        phones,
        standing: Standing::Unusable,
        verdict: None,
        problem: Some(problem),
    }
}

/// The server's checksums a copy is compared with.
#[derive(Debug, Clone, Copy)]
enum ServerSums {
    /// Of the server's file.
    Sha256([u8; 32]),
    /// As pasted text printed them.
    Printed(Option<[u8; 16]>, Option<[u8; 20]>),
}

impl ServerSums {
    fn matches(&self, copy: &Checksums) -> bool {
        match self {
            ServerSums::Sha256(sha256) => copy.sha256 == *sha256,
            // Every checksum the text printed must agree (and it printed at least one).
            ServerSums::Printed(md5, sha1) => {
                (md5.is_some() || sha1.is_some())
                    && md5.is_none_or(|md5| md5 == copy.md5)
                    && sha1.is_none_or(|sha1| sha1 == copy.sha1)
            }
        }
    }
}

fn judge(
    phones: Vec<PhoneFile>,
    representative: &PhoneCopy,
    target: &AuditTarget<'_, '_>,
    server_checksums: &ServerSums,
    server_own: Option<&Verification>,
) -> Group {
    // Read again: the file may have changed or vanished since it was hashed.
    let bytes = match representative.read(target.max_size) {
        Ok(bytes) => bytes,
        Err(error) => {
            let problem = AuditProblem::of_load(&error);
            return unusable(phones, problem, String::new(), String::new());
        }
    };
    let name = representative.path.to_string_lossy();
    let checksums = Checksums::of(&bytes);
    let (md5, sha1) = (checksums.md5_hex(), checksums.sha1_hex());
    if server_checksums.matches(&checksums) {
        return Group {
            md5,
            sha1,
            phones,
            standing: Standing::MatchesServer,
            verdict: None,
            problem: None,
        };
    }
    let (server, server_own) = match (target.server, server_own) {
        (AuditServer::File(CiscoFile::TrustList(server)), Some(own)) => (server, own),
        (AuditServer::Pasted(_), _) => {
            // No certificates to judge with: grouped by content, said to differ.
            return match TrustList::parse(&bytes) {
                Ok(_) => Group {
                    md5,
                    sha1,
                    phones,
                    standing: Standing::Differs,
                    verdict: None,
                    problem: None,
                },
                Err(error) => unusable(phones, AuditProblem::NotTrustList(error), md5, sha1),
            };
        }
        _ => {
            // A config's copies: grouped by content; the verdict needs the phone's lists.
            return match CiscoFile::parse(&bytes) {
                Ok(CiscoFile::Signed(_)) => Group {
                    md5,
                    sha1,
                    phones,
                    standing: Standing::Differs,
                    verdict: None,
                    problem: None,
                },
                _ => unusable(phones, AuditProblem::NotSignedFile, md5, sha1),
            };
        }
    };
    let list = match TrustList::parse(&bytes) {
        Ok(list) => list,
        Err(error) => return unusable(phones, AuditProblem::NotTrustList(error), md5, sha1),
    };
    let held = [HeldList {
        name: &name,
        kind: list.kind().unwrap_or(Kind::Ctl),
        list: &list,
    }];
    let verdict = would_accept(
        server,
        target.server_kind,
        server_own,
        &held,
        target.has_tvs,
    );
    Group {
        md5,
        sha1,
        phones,
        standing: verdict
            .as_ref()
            .map_or(Standing::Stuck, |verdict| Standing::of(verdict.acceptance)),
        verdict,
        problem: None,
    }
}
