//! A fleet's trust lists against the server's: group the phones' files by content, judge each
//! distinct content once (parse, checksum, would it take the server's file), and say which
//! phones match, which will update by themselves, and which are stuck.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::checksum::Checksums;
use crate::input::read_input;
use crate::signature::verify;
use crate::trust::{Acceptance, HeldList, would_accept};
use crate::trust_list::{Kind, TrustList};

/// One phone's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneFile {
    /// The phone's name (`SEP001122334455`, or the folder or file name).
    pub phone: String,
    /// Where the file is.
    pub path: PathBuf,
}

/// Phones whose files have the same content (or the same problem).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// MD5 of the content (empty for unreadable files).
    pub md5: String,
    /// SHA-1 of the content.
    pub sha1: String,
    /// The phones, in path order.
    pub phones: Vec<PhoneFile>,
    /// Byte-identical to the server's file.
    pub matches_server: bool,
    /// Whether a phone holding this content would install the server's file; `None` when
    /// the content is unusable.
    pub accepts_server: Option<Acceptance>,
    /// The sentence behind `accepts_server`, or the error.
    pub reason: String,
    /// Why the content is unusable (unreadable, not a trust list).
    pub error: Option<String>,
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

/// The phone a collected file belongs to: `CTLSEP<MAC>.tlv` and `ITLSEP<MAC>.tlv` name it;
/// otherwise the folder it sits in (one folder per phone), else the file name.
pub fn phone_name(path: &Path) -> String {
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let upper = file_name.to_ascii_uppercase();
    for prefix in ["CTLSEP", "ITLSEP"] {
        if let Some(rest) = upper.strip_prefix(prefix) {
            let mac = rest.strip_suffix(".TLV").unwrap_or(rest);
            if mac.len() == 12 && mac.bytes().all(|byte| byte.is_ascii_hexdigit()) {
                return format!("SEP{mac}");
            }
        }
    }
    let is_generic = ["CTLFILE.TLV", "ITLFILE.TLV"].contains(&upper.as_str());
    match path.parent().and_then(Path::file_name) {
        Some(folder) if is_generic => folder.to_string_lossy().into_owned(),
        _ => file_name,
    }
}

/// Every regular file under `paths` (files as given, folders recursively), in sorted order.
///
/// # Errors
///
/// A sentence naming a path that cannot be walked.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
            let entry = entry.map_err(|error| format!("{}: {error}", path.display()))?;
            if entry.file_type().is_file() {
                files.push(entry.into_path());
            }
        }
    }
    Ok(files)
}

/// What hashing one file gave: its content's SHA-256, or why it could not be read.
type Key = Result<[u8; 32], String>;

/// Audits `files` against the server's trust list, calling `progress` once per file hashed.
///
/// Each file is read and hashed once, in parallel, and its bytes dropped; each distinct
/// content is then read once more from one of its files and judged, so memory stays at a few
/// files' worth however large the fleet.
pub fn audit(
    files: &[PathBuf],
    server: &TrustList<'_>,
    server_name: &str,
    max_size: u64,
    progress: &(dyn Fn() + Sync),
) -> Audit {
    let keys: Vec<Key> = files
        .par_iter()
        .map(|path| {
            let key = read_input(&path.to_string_lossy(), max_size)
                .map(|input| <[u8; 32]>::from(Sha256::digest(&input.bytes)))
                .map_err(|error| error.to_string());
            progress();
            key
        })
        .collect();

    let mut grouped: HashMap<Result<[u8; 32], String>, Vec<PhoneFile>> = HashMap::new();
    for (path, key) in files.iter().zip(keys) {
        // Unreadable files group by the kind of failure, not by their path.
        let key = key.map_err(|error| error.rsplit(": ").next().unwrap_or_default().to_owned());
        grouped.entry(key).or_default().push(PhoneFile {
            phone: phone_name(path),
            path: path.clone(),
        });
    }
    let server_checksums = Checksums::of(server.as_bytes());
    let server_own = verify(server);
    let mut groups: Vec<Group> = grouped
        .into_par_iter()
        .map(|(key, phones)| {
            judge(
                key,
                phones,
                server,
                server_name,
                &server_checksums,
                &server_own,
                max_size,
            )
        })
        .collect();
    // Largest first; among equals, from best to worst standing, then by checksum.
    groups.sort_by(|left, right| {
        right
            .phones
            .len()
            .cmp(&left.phones.len())
            .then_with(|| standing_rank(left).cmp(&standing_rank(right)))
            .then_with(|| left.sha1.cmp(&right.sha1))
    });
    let matching = groups
        .iter()
        .filter(|group| group.matches_server)
        .map(|group| group.phones.len())
        .sum();
    Audit {
        phones: files.len(),
        matching,
        groups,
    }
}

fn standing_rank(group: &Group) -> u8 {
    match (group.matches_server, group.accepts_server) {
        (true, _) => 0,
        (_, Some(Acceptance::Accepted)) => 1,
        (_, Some(Acceptance::AcceptedIfTvsVouches)) => 2,
        (_, Some(Acceptance::Rejected)) => 3,
        (_, None) => 4,
    }
}

fn judge(
    key: Result<[u8; 32], String>,
    phones: Vec<PhoneFile>,
    server: &TrustList<'_>,
    server_name: &str,
    server_checksums: &Checksums,
    server_own: &crate::signature::Verification,
    max_size: u64,
) -> Group {
    let unusable = |phones, error: String, md5: String, sha1: String| Group {
        md5,
        sha1,
        phones,
        matches_server: false,
        accepts_server: None,
        reason: error.clone(),
        error: Some(error),
    };
    if let Err(error) = key {
        return unusable(phones, error, String::new(), String::new());
    }
    let Some(representative) = phones.first().map(|phone| phone.path.clone()) else {
        return unusable(phones, "no files".to_owned(), String::new(), String::new());
    };
    let input = match read_input(&representative.to_string_lossy(), max_size) {
        Ok(input) => input,
        Err(error) => return unusable(phones, error.to_string(), String::new(), String::new()),
    };
    let checksums = Checksums::of(&input.bytes);
    let (md5, sha1) = (checksums.md5_hex(), checksums.sha1_hex());
    if checksums.sha256 == server_checksums.sha256 {
        return Group {
            md5,
            sha1,
            phones,
            matches_server: true,
            accepts_server: Some(Acceptance::Accepted),
            reason: format!("identical to {server_name}"),
            error: None,
        };
    }
    let list = match TrustList::parse(&input.bytes) {
        Ok(list) => list,
        Err(error) => return unusable(phones, format!("not a trust list: {error}"), md5, sha1),
    };
    let held_name = representative.to_string_lossy().into_owned();
    let held = [HeldList {
        name: &held_name,
        kind: list.kind().unwrap_or(Kind::Ctl),
        list: &list,
    }];
    let verdict = would_accept(server_name, server, server_own, &held, true);
    Group {
        md5,
        sha1,
        phones,
        matches_server: false,
        accepts_server: verdict.as_ref().map(|verdict| verdict.acceptance),
        reason: verdict.map(|verdict| verdict.reason).unwrap_or_default(),
        error: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_names() {
        assert_eq!(
            phone_name(Path::new("x/ITLSEP001122AABBCC.tlv")),
            "SEP001122AABBCC"
        );
        assert_eq!(
            phone_name(Path::new("ctlsep001122aabbcc.tlv")),
            "SEP001122AABBCC"
        );
        assert_eq!(
            phone_name(Path::new("fleet/SEP00AA/ITLFile.tlv")),
            "SEP00AA"
        );
        assert_eq!(
            phone_name(Path::new("fleet/lobby-phone.tlv")),
            "lobby-phone.tlv"
        );
        assert_eq!(phone_name(Path::new("ITLSEP12.tlv")), "ITLSEP12.tlv");
    }
}
