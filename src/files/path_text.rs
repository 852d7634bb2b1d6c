//! A path as text that leads back to its file.
//!
//! `Path::display` replaces bytes that are not UTF-8 with U+FFFD, so two files can print the
//! same and neither can be found again from what was printed. Every report (text, JSON, CSV,
//! `hash`) shows paths through [`path_text`] instead: valid UTF-8 is kept as it is, and each
//! byte that is not is written `\xNN` — the form `printf '%b'` and most shells' `$'…'`
//! quoting turn back into the byte.

use std::fmt::Write as _;
use std::path::Path;

/// The path's text, with every byte that is not UTF-8 written `\xNN`.
pub fn path_text(path: &Path) -> String {
    bytes_text(path.as_os_str().as_encoded_bytes())
}

/// Bytes as text, with every byte that is not part of valid UTF-8 written `\xNN`.
pub fn bytes_text(mut bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    loop {
        match std::str::from_utf8(bytes) {
            Ok(valid) => {
                text.push_str(valid);
                return text;
            }
            Err(error) => {
                let (valid, rest) = bytes.split_at(error.valid_up_to());
                text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                let bad = error.error_len().unwrap_or(rest.len()).min(rest.len());
                let (invalid, after) = rest.split_at(bad);
                for byte in invalid {
                    let _ = write!(text, "\\x{byte:02x}");
                }
                bytes = after;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_utf8_is_kept_and_each_invalid_byte_is_escaped() {
        assert_eq!(bytes_text("SEPé.cnf.xml".as_bytes()), "SEPé.cnf.xml");
        assert_eq!(bytes_text(b"a\xffb\xfe\xfdc"), "a\\xffb\\xfe\\xfdc");
        assert_eq!(bytes_text(b"\xe9t\xe9"), "\\xe9t\\xe9");
        assert_eq!(bytes_text(b"end\xc3"), "end\\xc3");
        assert_eq!(bytes_text(b""), "");
    }

    #[cfg(unix)]
    #[test]
    fn a_path_with_latin1_bytes_prints_each_byte() {
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(std::ffi::OsStr::from_bytes(b"/tftp/caf\xe9.cnf.xml"));
        assert_eq!(path_text(path), "/tftp/caf\\xe9.cnf.xml");
    }
}
