//! A phone's copy of a file, wherever it came from (a folder of collected files, a transfer
//! out of a capture), and the phone it belongs to by its name or folder.

use crate::files::path_text;
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::files::input::{LoadError, read_file};

/// One phone's copy to audit: a file on disk, or bytes already in memory (a transfer out of a
/// packet capture).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneCopy {
    /// The phone's name.
    pub phone: String,
    /// Where the copy is, as reports show it (a path, or `capture.pcap#client/name`).
    pub path: PathBuf,
    /// The bytes, when they are not to be read from `path`.
    pub bytes: Option<Arc<[u8]>>,
}

impl PhoneCopy {
    /// A file on disk, its phone named by [`phone_name`].
    pub fn from_file(path: PathBuf) -> Self {
        PhoneCopy {
            phone: phone_name(&path),
            path,
            bytes: None,
        }
    }

    /// Its bytes: from memory, or read from disk under the limit.
    pub(crate) fn read(&self, max_size: u64) -> Result<Cow<'_, [u8]>, LoadError> {
        match &self.bytes {
            Some(bytes) => Ok(Cow::Borrowed(bytes)),
            None => read_file(&self.path, max_size).map(|input| Cow::Owned(input.bytes)),
        }
    }
}

/// The phone a collected file belongs to: `CTLSEP<MAC>.tlv` and `ITLSEP<MAC>.tlv` name it;
/// otherwise the folder it sits in (one folder per phone), else the file name.
pub fn phone_name(path: &Path) -> String {
    let file_name = path
        .file_name()
        .map(|name| path_text(Path::new(name)))
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
    // A phone's own config: SEP<MAC>.cnf.xml, .cnf.xml.sgn, .cnf.xml.enc.sgn.
    if let Some(rest) = upper.strip_prefix("SEP")
        && let Some((mac, extension)) = rest.split_at_checked(12)
        && mac.bytes().all(|byte| byte.is_ascii_hexdigit())
        && extension.starts_with(".CNF.XML")
    {
        return format!("SEP{mac}");
    }
    let is_generic = ["CTLFILE.TLV", "ITLFILE.TLV"].contains(&upper.as_str());
    match path.parent().and_then(Path::file_name) {
        Some(folder) if is_generic => path_text(Path::new(folder)),
        _ => file_name,
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
        assert_eq!(
            phone_name(Path::new("x/SEP001122AABBCC.cnf.xml.sgn")),
            "SEP001122AABBCC"
        );
        assert_eq!(
            phone_name(Path::new("x/SEP0011.cnf.xml.sgn")),
            "SEP0011.cnf.xml.sgn"
        );
    }
}
