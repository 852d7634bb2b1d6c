//! An audit against a server known only from pasted `show ctl` / `show itl` text: the phones'
//! copies grouped by content and compared with the checksums the text printed. The text holds
//! no certificates, so a copy that differs cannot be judged — the phone-by-phone audit
//! (`super::audit`) does that against the server's files.

use std::collections::HashMap;
use std::io;
use std::path::PathBuf;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::AuditProblem;
use crate::evidence::pasted::PastedList;
use crate::evidence::phone_copy::PhoneCopy;
use crate::files::input::LoadError;
use crate::judge::acceptance::Acceptance;
use ctlkit_format::checksum::Checksums;
use ctlkit_format::file::trust_list::TrustList;

/// One phone's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneFile {
    /// The phone's name (`SEP001122334455`, or the folder or file name).
    pub phone: String,
    /// Where the file is.
    pub path: PathBuf,
}

/// Where a group of phones stands against the text, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ContentStanding {
    /// Byte-identical to the server's file: every checksum the text printed agrees.
    MatchesServer,
    /// Another trust list: whether the phones would take the server's cannot be judged from
    /// text, which holds no certificates.
    Differs,
    /// Their file could not be read or is not a trust list.
    Unusable,
}

impl ContentStanding {
    /// Every standing, best first.
    pub const ALL: [ContentStanding; 3] = [
        ContentStanding::MatchesServer,
        ContentStanding::Differs,
        ContentStanding::Unusable,
    ];

    /// A stable machine-readable name.
    pub fn code(self) -> &'static str {
        match self {
            ContentStanding::MatchesServer => "matches_server",
            ContentStanding::Differs => "differs",
            ContentStanding::Unusable => "unusable",
        }
    }
}

/// Phones whose files have the same content (or the same problem).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentGroup {
    /// MD5 and SHA-1 of the content; `None` when it could not be read.
    pub checksums: Option<(String, String)>,
    /// The phones, in path order.
    pub phones: Vec<PhoneFile>,
    /// Where they stand.
    pub standing: ContentStanding,
    /// Why the content is unusable.
    pub problem: Option<AuditProblem>,
}

impl ContentGroup {
    /// The content's MD5, when it was read.
    pub fn md5(&self) -> Option<&str> {
        self.checksums.as_ref().map(|(md5, _)| md5.as_str())
    }

    /// The content's SHA-1, when it was read.
    pub fn sha1(&self) -> Option<&str> {
        self.checksums.as_ref().map(|(_, sha1)| sha1.as_str())
    }

    /// Byte-identical to the server's file.
    pub fn matches_server(&self) -> bool {
        self.standing == ContentStanding::MatchesServer
    }

    /// Whether a phone holding this content would install the server's file: yes when it is
    /// the server's; `None` otherwise, as text cannot say.
    pub fn accepts_server(&self) -> Option<Acceptance> {
        (self.standing == ContentStanding::MatchesServer).then_some(Acceptance::Accepted)
    }
}

/// The whole fleet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastedAudit {
    /// How many phone files were examined.
    pub phones: usize,
    /// How many are identical to the server's.
    pub matching: usize,
    /// The groups, largest first.
    pub groups: Vec<ContentGroup>,
}

impl PastedAudit {
    /// How many phones stand where.
    pub fn count(&self, standing: ContentStanding) -> usize {
        self.groups
            .iter()
            .filter(|group| group.standing == standing)
            .map(|group| group.phones.len())
            .sum()
    }
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

/// Groups the phones' copies by content and compares each content with the checksums `text`
/// printed, calling `progress` once per copy hashed.
///
/// Each file is read and hashed once, in parallel, and its bytes dropped; each distinct
/// content is then read once more from one of its files, so memory stays at a few files' worth
/// however large the fleet.
pub fn audit_against_pasted(
    copies: &[PhoneCopy],
    text: &PastedList,
    max_size: u64,
    progress: &(dyn Fn() + Sync),
) -> PastedAudit {
    let keys: Vec<(Key, Option<AuditProblem>)> = copies
        .par_iter()
        .map(|copy| {
            let key = match copy.read(max_size) {
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
    let mut groups: Vec<ContentGroup> = grouped
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
                (Some(problem), _) => unusable(phones, problem, None),
                (None, Some(representative)) => compare(phones, representative, text, max_size),
                (None, None) => unusable(phones, AuditProblem::IsDirectory, None),
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
            .then_with(|| left.sha1().cmp(&right.sha1()))
    });
    let matching = groups
        .iter()
        .filter(|group| group.matches_server())
        .map(|group| group.phones.len())
        .sum();
    PastedAudit {
        phones: copies.len(),
        matching,
        groups,
    }
}

fn unusable(
    phones: Vec<PhoneFile>,
    problem: AuditProblem,
    checksums: Option<(String, String)>,
) -> ContentGroup {
    ContentGroup {
        checksums,
        phones,
        standing: ContentStanding::Unusable,
        problem: Some(problem),
    }
}

/// Every checksum the text printed must agree (and it printed at least one).
fn matches_printed(text: &PastedList, copy: &Checksums) -> bool {
    (text.md5.is_some() || text.sha1.is_some())
        && text.md5.is_none_or(|md5| md5 == copy.md5)
        && text.sha1.is_none_or(|sha1| sha1 == copy.sha1)
}

fn compare(
    phones: Vec<PhoneFile>,
    representative: &PhoneCopy,
    text: &PastedList,
    max_size: u64,
) -> ContentGroup {
    // Read again: the file may have changed or vanished since it was hashed.
    let bytes = match representative.read(max_size) {
        Ok(bytes) => bytes,
        Err(error) => {
            let problem = AuditProblem::of_load(&error);
            return unusable(phones, problem, None);
        }
    };
    let checksums = Checksums::of(&bytes);
    let hex = Some((checksums.md5_hex(), checksums.sha1_hex()));
    let standing = if matches_printed(text, &checksums) {
        ContentStanding::MatchesServer
    } else if let Err(error) = TrustList::parse(&bytes) {
        return unusable(phones, AuditProblem::NotTrustList(error), hex);
    } else {
        ContentStanding::Differs
    };
    ContentGroup {
        checksums: hex,
        phones,
        standing,
        problem: None,
    }
}
