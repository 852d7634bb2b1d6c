//! What a file is when it is not the Cisco file a command expected: a certificate, a key, a
//! capture, an archive, pasted text, a signed config or firmware. Errors name it and say where
//! it belongs, instead of "expected VERSION (tag 1), found tag 45" for a PEM certificate.

use x509_parser::prelude::FromDer;

use crate::evidence::capture::is_capture;
use crate::evidence::pasted::is_pasted_show;
use ctlkit_format::file::signed_file::CiscoFile;

/// What some bytes are, for a file that is not what was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Recognised {
    /// A trust list (CTL or ITL).
    TrustList,
    /// A signed config or another signed file that is not firmware.
    SignedFile,
    /// Cisco firmware (`.sgn` / `.sbn` / `.cop.sgn`).
    Firmware,
    /// A PEM certificate (or a chain).
    PemCertificate,
    /// A PEM private key.
    PemKey,
    /// A certificate in DER.
    DerCertificate,
    /// A pcap or pcapng capture.
    Capture,
    /// gzip-compressed data (a `.tar.gz`, a `.tgz`).
    Gzip,
    /// A tar archive.
    Tar,
    /// A zip archive.
    Zip,
    /// Text pasted from `show ctl` / `show itl`.
    PastedShow,
    /// Other text (a plain config, XML).
    Text,
}

impl Recognised {
    /// A stable machine-readable name.
    pub fn code(self) -> &'static str {
        match self {
            Recognised::TrustList => "trust_list",
            Recognised::SignedFile => "signed_file",
            Recognised::Firmware => "firmware",
            Recognised::PemCertificate => "pem_certificate",
            Recognised::PemKey => "pem_key",
            Recognised::DerCertificate => "der_certificate",
            Recognised::Capture => "capture",
            Recognised::Gzip => "gzip",
            Recognised::Tar => "tar",
            Recognised::Zip => "zip",
            Recognised::PastedShow => "pasted_show",
            Recognised::Text => "text",
        }
    }
}

/// What `bytes` are, or `None` when ctlkit cannot tell.
pub fn recognise(bytes: &[u8]) -> Option<Recognised> {
    if let Ok(file) = CiscoFile::parse(bytes) {
        return Some(match file {
            CiscoFile::TrustList(_) => Recognised::TrustList,
            CiscoFile::Signed(signed) if signed.is_firmware() => Recognised::Firmware,
            CiscoFile::Signed(_) => Recognised::SignedFile,
        });
    }
    let start = bytes.get(..bytes.len().min(4096)).unwrap_or(bytes);
    if contains(start, b"-----BEGIN CERTIFICATE-----") {
        return Some(Recognised::PemCertificate);
    }
    if contains(start, b"-----BEGIN ") && contains(start, b"PRIVATE KEY-----") {
        return Some(Recognised::PemKey);
    }
    if is_capture(start) {
        return Some(Recognised::Capture);
    }
    if start.starts_with(&[0x1f, 0x8b]) {
        return Some(Recognised::Gzip);
    }
    if start.get(257..262) == Some(b"ustar".as_slice()) {
        return Some(Recognised::Tar);
    }
    if start.starts_with(b"PK\x03\x04") {
        return Some(Recognised::Zip);
    }
    if start.first() == Some(&0x30)
        && x509_parser::certificate::X509Certificate::from_der(bytes).is_ok()
    {
        return Some(Recognised::DerCertificate);
    }
    if is_pasted_show(bytes) {
        return Some(Recognised::PastedShow);
    }
    let is_text = std::str::from_utf8(start).is_ok_and(|text| {
        !text.is_empty()
            && text
                .chars()
                .all(|character| !character.is_control() || character.is_whitespace())
    });
    is_text.then_some(Recognised::Text)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}
