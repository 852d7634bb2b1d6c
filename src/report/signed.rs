//! `ctlkit show` for signed files that are not trust lists: the header in the same
//! `BYTEPOS TAG LENGTH VALUE` layout, then the payload and, for encrypted configs, the
//! encryption block (docs/FORMAT.md §9).

use std::fmt::Write as _;

use serde::Serialize;

use super::Render;
use super::json::{FileJson, HeaderJson, WarningJson, lossy};
use super::show::{header_facts, header_section};
use super::words::warning_sentence;
use ctlkit_format::checksum::Checksums;
use ctlkit_format::file::signed_file::SignedFile;
use ctlkit_format::text::printable;
use ctlkit_format::timefmt::rfc3339;

/// A signed file shown as CUCM shows trust lists, with its payload described.
#[derive(Debug, Clone, Copy)]
pub struct SignedShowReport<'r, 'a> {
    /// The file.
    pub file: &'r SignedFile<'a>,
    /// The path as the user gave it.
    pub path: &'r str,
    /// The file's modification time, when known.
    pub modified: Option<time::OffsetDateTime>,
}

/// `ctlkit show --format json` for a signed file.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SignedJson {
    /// Always `"signed"`.
    pub kind: &'static str,
    /// The file as a whole.
    pub file: FileJson,
    /// The header.
    pub header: HeaderJson,
    /// What follows the header.
    pub payload: PayloadJson,
    /// An encrypted config's encryption block, or null.
    pub encryption: Option<EncryptionJson>,
    /// Firmware is signed by Cisco's own key, which no trust list names.
    pub firmware: bool,
    /// Oddities of the header.
    pub warnings: Vec<WarningJson>,
}

/// The payload.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PayloadJson {
    /// Where it starts (HEADERLENGTH).
    pub offset: usize,
    /// Its size in bytes.
    pub length: usize,
    /// MD5, lower-case hex.
    pub md5: String,
    /// SHA-1, lower-case hex.
    pub sha1: String,
    /// SHA-256, lower-case hex.
    pub sha256: String,
    /// `xml`, `encrypted`, `gzip`, `cnu-archive`, `load-list`, `binary`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// For a load list, the image names it lists; empty otherwise.
    pub images: Vec<String>,
}

/// An encrypted config's encryption block.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EncryptionJson {
    /// Size of the IV in bytes, or null.
    pub iv_length: Option<usize>,
    /// Padding bytes added to the plaintext, or null.
    pub padding: Option<u16>,
    /// The wrapped key's size in bits, as the header says, or null.
    pub wrapped_key_bits: Option<u16>,
    /// The wrapped key's size in bytes, or null.
    pub wrapped_key_length: Option<usize>,
    /// The key algorithm code, or null.
    pub key_algorithm: Option<u8>,
    /// The plaintext hash's digest (`SHA-1`, `SHA-512`…), or null.
    pub plaintext_digest: Option<String>,
    /// The plaintext hash, lower-case hex, or null.
    pub plaintext_hash: Option<String>,
}

impl SignedShowReport<'_, '_> {
    fn payload_json(&self) -> PayloadJson {
        let payload = self.file.payload();
        let sums = Checksums::of(payload);
        PayloadJson {
            offset: self.file.payload_offset(),
            length: payload.len(),
            md5: sums.md5_hex(),
            sha1: sums.sha1_hex(),
            sha256: sums.sha256_hex(),
            kind: self.file.payload_kind().code(),
            images: self
                .file
                .load_list_images()
                .into_iter()
                .map(lossy)
                .collect(),
        }
    }

    fn encryption_json(&self) -> Option<EncryptionJson> {
        self.file.encryption().map(|block| EncryptionJson {
            iv_length: block.iv.map(<[u8]>::len),
            padding: block.padding,
            wrapped_key_bits: block.wrapped_key_bits,
            wrapped_key_length: block.wrapped_key.map(<[u8]>::len),
            key_algorithm: block.key_algorithm,
            plaintext_digest: block.plaintext_digest.map(|digest| digest.to_string()),
            plaintext_hash: block.plaintext_hash.map(hex::encode),
        })
    }
}

impl Render for SignedShowReport<'_, '_> {
    type Json = SignedJson;

    fn text(&self, _color: bool) -> String {
        let file = self.file;
        let header = file.header();
        let sums = Checksums::of(file.as_bytes());
        let mut out = String::new();
        header_section(&mut out, "signed", &sums, header, self.modified);
        header_facts(&mut out, header);

        let payload = self.payload_json();
        out.push_str("\nPayload\n-------\n");
        let _ = writeln!(out, "Offset:         {}", payload.offset);
        let _ = writeln!(out, "Length:         {}", payload.length);
        let _ = writeln!(out, "Type:           {}", payload.kind);
        let _ = writeln!(out, "MD5:            {}", payload.md5);
        let _ = writeln!(out, "SHA1:           {}", payload.sha1);
        let _ = writeln!(out, "SHA256:         {}", payload.sha256);
        for image in &payload.images {
            let _ = writeln!(out, "Image:          {}", printable(image.as_bytes()));
        }
        if let Some(block) = self.encryption_json() {
            out.push_str("\nEncryption\n----------\n");
            let number =
                |value: Option<usize>| value.map_or_else(|| "-".to_owned(), |v| v.to_string());
            let _ = writeln!(out, "IV length:      {}", number(block.iv_length));
            let _ = writeln!(
                out,
                "Padding:        {}",
                number(block.padding.map(usize::from))
            );
            let _ = writeln!(
                out,
                "Wrapped key:    {} bits, {} bytes, algorithm {}",
                number(block.wrapped_key_bits.map(usize::from)),
                number(block.wrapped_key_length),
                number(block.key_algorithm.map(usize::from))
            );
            let _ = writeln!(
                out,
                "Plaintext hash: {} {}",
                block.plaintext_digest.as_deref().unwrap_or("-"),
                block.plaintext_hash.as_deref().unwrap_or("-")
            );
        }
        if file.is_firmware() {
            out.push_str(
                "\n  ctlkit: firmware: signed by Cisco's own key, which phones carry in their firmware; no trust list names it, and its signer fields are placeholders\n",
            );
        }
        if !file.warnings().is_empty() {
            out.push_str("\nWarnings:\n");
            for warning in file.warnings() {
                let _ = writeln!(out, "  {}", warning_sentence(warning));
            }
        }
        out
    }

    fn json(&self) -> SignedJson {
        let sums = Checksums::of(self.file.as_bytes());
        SignedJson {
            kind: "signed",
            file: FileJson {
                path: self.path.to_owned(),
                length: self.file.as_bytes().len(),
                md5: sums.md5_hex(),
                sha1: sums.sha1_hex(),
                sha256: sums.sha256_hex(),
                modified: self.modified.map(rfc3339),
            },
            header: HeaderJson::of(self.file.header()),
            payload: self.payload_json(),
            encryption: self.encryption_json(),
            firmware: self.file.is_firmware(),
            warnings: self.file.warnings().iter().map(WarningJson::of).collect(),
        }
    }
}
