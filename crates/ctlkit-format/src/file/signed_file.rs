//! Signed files other than trust lists — configs (`.sgn`), encrypted configs (`.enc.sgn`),
//! firmware (`.loads`, `.sbn`, `.zz.sgn`, `.cop.sgn`): the signed header, then a payload that
//! runs to the end of the file (docs/FORMAT.md §9).
//!
//! The payload is never parsed, only sniffed for its kind, so any payload bytes are accepted;
//! the header is parsed and verified exactly as a trust list's is.

use crate::file::header::{DigestAlgorithm, Header, tag};
use crate::file::trust_list::TrustList;
use crate::tlv::error::ParseError;
use crate::tlv::warning::Warning;

/// What a payload is, judged from its first bytes (and, for encrypted configs, the header).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PayloadKind {
    /// An XML config (`<?xml`, or `<` after a byte-order mark or white space).
    Xml,
    /// An encrypted config: the header carries an encryption block (tags 16–27).
    Encrypted,
    /// gzip (`.cop.sgn`: the payload is exactly the `.tar.gz`).
    Gzip,
    /// A `CNU_File_Archive` (`.sbn` firmware).
    CnuArchive,
    /// A text load list (`.loads`): `#` comments, then image names.
    LoadList,
    /// Anything else.
    Binary,
}

impl PayloadKind {
    /// `xml`, `encrypted`, `gzip`, `cnu-archive`, `load-list`, `binary`: the JSON spelling.
    pub fn code(self) -> &'static str {
        match self {
            PayloadKind::Xml => "xml",
            PayloadKind::Encrypted => "encrypted",
            PayloadKind::Gzip => "gzip",
            PayloadKind::CnuArchive => "cnu_archive",
            PayloadKind::LoadList => "load_list",
            PayloadKind::Binary => "binary",
        }
    }

    /// Whether the payload is text whose lines a diff can compare.
    pub fn is_text(self) -> bool {
        matches!(self, PayloadKind::Xml | PayloadKind::LoadList)
    }

    fn sniff(payload: &[u8], encrypted: bool) -> Self {
        if encrypted {
            return PayloadKind::Encrypted;
        }
        let text = payload
            .strip_prefix(b"\xef\xbb\xbf")
            .unwrap_or(payload)
            .trim_ascii_start();
        if text.starts_with(b"<") {
            PayloadKind::Xml
        } else if payload.starts_with(&[0x1f, 0x8b]) {
            PayloadKind::Gzip
        } else if payload.starts_with(b"CNU_File_Archive") {
            PayloadKind::CnuArchive
        } else if looks_like_load_list(payload) {
            PayloadKind::LoadList
        } else {
            PayloadKind::Binary
        }
    }
}

/// A load list is short printable text: lines of image names, `#` comments.
fn looks_like_load_list(payload: &[u8]) -> bool {
    !payload.is_empty()
        && payload.iter().all(|&byte| {
            byte == b'\n' || byte == b'\r' || byte == b'\t' || (0x20..0x7f).contains(&byte)
        })
        && payload
            .split(|&byte| byte == b'\n')
            .map(<[u8]>::trim_ascii)
            .any(|line| !line.is_empty() && !line.starts_with(b"#"))
}

/// An encrypted config's encryption block (header tags 16–27), as far as it is present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Encryption<'a> {
    /// Tag 19: the AES-CBC initialisation vector.
    pub iv: Option<&'a [u8]>,
    /// Tag 20: how many padding bytes the plaintext was given.
    pub padding: Option<u16>,
    /// Tag 23: the wrapped key's size in bits (the phone's RSA key size).
    pub wrapped_key_bits: Option<u16>,
    /// Tag 24: the key algorithm code.
    pub key_algorithm: Option<u8>,
    /// Tag 25: the AES key, RSA-encrypted to the phone's certificate.
    pub wrapped_key: Option<&'a [u8]>,
    /// Tag 26: the digest of the plaintext hash.
    pub plaintext_digest: Option<DigestAlgorithm>,
    /// Tag 27: the plaintext's hash (before padding).
    pub plaintext_hash: Option<&'a [u8]>,
}

impl<'a> Encryption<'a> {
    /// The block in `header`, `None` when it has none of tags 16–27.
    fn of(header: &Header<'a>) -> Option<Self> {
        let has_any = header
            .elements()
            .iter()
            .any(|element| (tag::ENCRYPTIONINFO..=tag::PLAINTEXTHASH).contains(&element.tag));
        if !has_any {
            return None;
        }
        let value = |wanted| header.find(wanted).map(|element| element.value);
        Some(Encryption {
            iv: value(tag::IV),
            padding: header
                .find(tag::PADDINGCOUNT)
                .and_then(|element| element.as_u16()),
            wrapped_key_bits: header
                .find(tag::KEYSIZE)
                .and_then(|element| element.as_u16()),
            key_algorithm: header
                .find(tag::KEYALGORITHM)
                .and_then(|element| element.as_u8()),
            wrapped_key: value(tag::ENCRYPTEDKEY),
            plaintext_digest: header
                .find(tag::PLAINTEXTDIGEST)
                .and_then(|element| element.as_u8())
                .map(DigestAlgorithm::from_code),
            plaintext_hash: value(tag::PLAINTEXTHASH),
        })
    }
}

/// A signed file that is not a trust list: the header and its payload, borrowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedFile<'a> {
    header: Header<'a>,
    payload: &'a [u8],
    kind: PayloadKind,
    encryption: Option<Encryption<'a>>,
}

impl<'a> SignedFile<'a> {
    /// Parses `input` as a signed header followed by a payload of any bytes.
    ///
    /// # Errors
    ///
    /// A [`ParseError`] when the header is broken; the payload cannot be.
    pub fn parse(input: &'a [u8]) -> Result<Self, ParseError> {
        let header = Header::parse(input)?;
        Ok(SignedFile::with_header(header))
    }

    fn with_header(header: Header<'a>) -> Self {
        let payload = header
            .file()
            .get(usize::from(header.length())..)
            .unwrap_or_default();
        let encryption = Encryption::of(&header);
        SignedFile {
            kind: PayloadKind::sniff(payload, encryption.is_some()),
            header,
            payload,
            encryption,
        }
    }

    /// The header.
    pub fn header(&self) -> &Header<'a> {
        &self.header
    }

    /// The payload: every byte from HEADERLENGTH to the end of the file.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// Where the payload starts (HEADERLENGTH).
    pub fn payload_offset(&self) -> usize {
        usize::from(self.header.length())
    }

    /// What the payload is.
    pub fn payload_kind(&self) -> PayloadKind {
        self.kind
    }

    /// The encryption block of an encrypted config.
    pub fn encryption(&self) -> Option<&Encryption<'a>> {
        self.encryption.as_ref()
    }

    /// The bytes of the whole file.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.header.file()
    }

    /// Oddities of the header.
    pub fn warnings(&self) -> &[Warning] {
        self.header.warnings()
    }

    /// For a load list: the image names it lists (lines that are not comments), in order.
    pub fn load_list_images(&self) -> Vec<&'a [u8]> {
        if self.kind != PayloadKind::LoadList {
            return Vec::new();
        }
        self.payload
            .split(|&byte| byte == b'\n')
            .map(<[u8]>::trim_ascii)
            .filter(|line| !line.is_empty() && !line.starts_with(b"#"))
            .collect()
    }

    /// Whether this is Cisco firmware, signed by the key phones carry in their firmware rather
    /// than by a key any trust list names: VERSION 1.1, or a firmware payload, or a placeholder
    /// or product-type signer name.
    pub fn is_firmware(&self) -> bool {
        let placeholder = self
            .header
            .signer_name()
            .is_some_and(|name| name.starts_with(b"CN=someSigner") || name.starts_with(b"PT="));
        self.header.version() == (1, 1)
            || placeholder
            || matches!(
                self.kind,
                PayloadKind::CnuArchive | PayloadKind::LoadList | PayloadKind::Gzip
            )
    }
}

/// A file a phone checks before use: a trust list, or another signed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CiscoFile<'a> {
    /// `CTLFile.tlv`, `ITLFile.tlv` and the phones' copies.
    TrustList(TrustList<'a>),
    /// A config, an encrypted config, a firmware file.
    Signed(SignedFile<'a>),
}

impl<'a> CiscoFile<'a> {
    /// Parses `input`, telling a trust list from another signed file by content.
    ///
    /// A trust list's records start right after the header with RECORDLENGTH (tag 1, length
    /// 2), and its FILENAME ends in `.tlv`; anything else after a valid header is a payload.
    /// A damaged trust list therefore still reports its damage rather than passing for a
    /// signed file with a strange payload.
    ///
    /// # Errors
    ///
    /// A [`ParseError`] when the header is broken, or when a trust list's records are.
    pub fn parse(input: &'a [u8]) -> Result<Self, ParseError> {
        let header = Header::parse(input)?;
        let after_header = input
            .get(usize::from(header.length())..)
            .unwrap_or_default();
        let records_follow = after_header.is_empty() || after_header.starts_with(&[1, 0, 2]);
        let named_as_trust_list = header.filename().is_some_and(|name| {
            name.len() >= 4
                && name
                    .get(name.len().saturating_sub(4)..)
                    .is_some_and(|end| end.eq_ignore_ascii_case(b".tlv"))
        });
        if records_follow || named_as_trust_list {
            TrustList::parse(input).map(CiscoFile::TrustList)
        } else {
            Ok(CiscoFile::Signed(SignedFile::with_header(header)))
        }
    }

    /// The header.
    pub fn header(&self) -> &Header<'a> {
        match self {
            CiscoFile::TrustList(list) => list.header(),
            CiscoFile::Signed(file) => file.header(),
        }
    }

    /// The bytes of the whole file.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.header().file()
    }
}
