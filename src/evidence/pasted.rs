//! The text of CUCM's `show ctl` / `show itl` (and ctlkit's own `show`), as admins paste it into
//! tickets: what it says about a trust list, taken from it line by line. It holds checksums,
//! the length, header fields, the signature's bytes and each record's role, names, serial and
//! certificate SHA-1 — never the certificates themselves, which reports must say where a
//! verdict would need them.
//!
//! Tolerant of what pasting does: CRLF, trailing spaces, a leading `admin:` prompt, lines
//! wrapped by a terminal, several outputs one after another (each read on its own), and text
//! that lost every line break on the way (`pasted_flat`).

use ctlkit_format::cert::serial::Serial;
use ctlkit_format::file::record::Function;
use ctlkit_format::file::trust_list::Kind;

/// One `show ctl` / `show itl` output read from text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastedList {
    /// CTL or ITL, from the labels.
    pub kind: Kind,
    /// The line (from 1) this output starts on.
    pub first_line: usize,
    /// `The checksum value…`: MD5.
    pub md5: Option<[u8; 16]>,
    /// SHA-1.
    pub sha1: Option<[u8; 20]>,
    /// `Length of CTL file: N`.
    pub length: Option<usize>,
    /// `Version:`.
    pub version: Option<String>,
    /// `HeaderLength: N (BYTES)`.
    pub header_length: Option<u16>,
    /// SIGNERNAME.
    pub signer_name: Option<String>,
    /// The header's SERIALNUMBER.
    pub signer_serial: Option<Serial<'static>>,
    /// CANAME.
    pub ca_name: Option<String>,
    /// The SIGNATURE bytes, when printed in hex.
    pub signature: Option<Vec<u8>>,
    /// The records, in order.
    pub records: Vec<PastedRecord>,
    /// `The CTL file was verified successfully.` (true) or `Verification of the CTL File
    /// Failed` (false), when printed.
    pub verified: Option<bool>,
}

/// One record as printed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PastedRecord {
    /// `CTL Record #:N`.
    pub index: usize,
    /// RECORDLENGTH.
    pub length: Option<u16>,
    /// DNSNAME (empty when the row had no value).
    pub dns_name: Option<String>,
    /// SUBJECTNAME.
    pub subject: Option<String>,
    /// FUNCTION.
    pub function: Option<Function>,
    /// ISSUERNAME.
    pub issuer: Option<String>,
    /// SERIALNUMBER.
    pub serial: Option<Serial<'static>>,
    /// The certificate's SHA-1, from `… (SHA1 Hash HEX)`.
    pub certificate_sha1: Option<[u8; 20]>,
    /// `This etoken was used to sign…` (true) / `…was not used…` (false).
    pub signed_this_file: Option<bool>,
}

/// Whether `bytes` look like pasted `show ctl` / `show itl` text: readable text holding one of
/// the output's own labels near its start.
pub fn is_pasted_show(bytes: &[u8]) -> bool {
    let start = bytes.get(..bytes.len().min(16 * 1024)).unwrap_or_default();
    let Ok(text) = std::str::from_utf8(start).or_else(|error| {
        // A multi-byte character cut by the 16 KiB window is still text.
        std::str::from_utf8(start.get(..error.valid_up_to()).unwrap_or_default())
    }) else {
        return false;
    };
    !text.contains('\0')
        && [
            "The checksum value of the CTL file:",
            "The checksum value of the ITL file:",
            "Parse CTL File",
            "Parse ITL File",
        ]
        .iter()
        .any(|label| text.contains(label))
}

/// The longest a TLV value can be (a 2-byte length): no printed value is longer, so a lying
/// LENGTH column cannot make the reader join lines without end.
const LONGEST_VALUE: usize = 65_535;

/// The longest a certificate hash line can be: 20 bytes as `XX ` and the label.
const LONGEST_HASH_LINE: usize = 80;

/// Which table a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Header,
    Record,
}

/// The value a wrapped line continues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Nothing,
    /// A value of this tag expected to be this many characters long when whole.
    Value(&'static str, usize),
    /// A certificate's hash, whole when `(SHA1 Hash HEX)` is reached.
    Certificate,
    /// The signature's hex lines, whole at this many bytes.
    Signature(usize),
}

/// Reads every output in `text`, in order; text that holds none gives an empty list. Text
/// whose line breaks were lost is laid out again first (`pasted_flat`).
pub fn parse_pasted(text: &str) -> Vec<PastedList> {
    if crate::evidence::pasted_flat::is_flattened(text) {
        return parse_lines(&crate::evidence::pasted_flat::unflatten(text));
    }
    parse_lines(text)
}

/// Reads every output in text laid out as CUCM prints it.
fn parse_lines(text: &str) -> Vec<PastedList> {
    let mut outputs: Vec<PastedList> = Vec::new();
    let mut section = Section::Header;
    let mut open = Open::Nothing;
    let mut pending = String::new();
    for (number, raw) in text.split('\n').enumerate() {
        let line = raw.trim_end_matches(['\r', ' ', '\t']);
        let line_number = number.saturating_add(1);
        if line.trim_start().starts_with("admin:") {
            continue;
        }
        // A wrapped value: the terminal broke a long line, the rest is on this one.
        if let Some(output) = outputs.last_mut()
            && continues(open, line)
        {
            match open {
                Open::Signature(expected) => {
                    let signature = output.signature.get_or_insert_with(Vec::new);
                    signature.extend(hex_bytes(line));
                    if signature.len() >= expected {
                        open = Open::Nothing;
                    }
                }
                Open::Certificate | Open::Value(..) => {
                    pending.push_str(line.trim_start());
                    if finish_value(output, section, open, &pending) {
                        open = Open::Nothing;
                        pending.clear();
                    }
                }
                Open::Nothing => {}
            }
            continue;
        }
        open = Open::Nothing;
        pending.clear();
        let trimmed = line.trim();
        if let Some(kind) = starts_output(trimmed) {
            let fresh = outputs.last().is_none_or(|last| {
                trimmed.starts_with("The checksum value") || !last.records.is_empty()
            });
            let reuse = !fresh
                && outputs
                    .last()
                    .is_some_and(|last| last.kind == kind && last.records.is_empty());
            if !reuse {
                outputs.push(PastedList::new(kind, line_number));
            }
            section = Section::Header;
            continue;
        }
        let Some(output) = outputs.last_mut() else {
            continue;
        };
        if let Some(hex) = trimmed.strip_suffix("(MD5)") {
            output.md5 = fixed_hex(hex);
        } else if let Some(hex) = trimmed.strip_suffix("(SHA1)") {
            output.sha1 = fixed_hex(hex);
        } else if let Some(rest) =
            label_value(trimmed, &["Length of CTL file:", "Length of ITL file:"])
        {
            output.length = rest.parse().ok();
        } else if let Some(rest) = label_value(trimmed, &["Version:"]) {
            output.version = Some(rest.to_owned());
        } else if let Some(rest) = label_value(trimmed, &["HeaderLength:"]) {
            output.header_length = rest.split_whitespace().next().and_then(|n| n.parse().ok());
        } else if let Some(index) = record_start(trimmed) {
            section = Section::Record;
            output.records.push(PastedRecord {
                index,
                ..PastedRecord::default()
            });
        } else if trimmed.starts_with("This etoken was used to sign") {
            if let Some(record) = output.records.last_mut() {
                record.signed_this_file = Some(true);
            }
        } else if trimmed.starts_with("This etoken was not used to sign") {
            if let Some(record) = output.records.last_mut() {
                record.signed_this_file = Some(false);
            }
        } else if trimmed.ends_with("file was verified successfully.") {
            output.verified = Some(true);
        } else if trimmed.starts_with("Verification of the") && trimmed.ends_with("Failed") {
            output.verified = Some(false);
        } else if let Some((tag, length, value)) = table_row(trimmed) {
            open = row(output, section, tag, length, value, &mut pending);
        }
    }
    outputs
}

impl PastedList {
    fn new(kind: Kind, first_line: usize) -> Self {
        PastedList {
            kind,
            first_line,
            md5: None,
            sha1: None,
            length: None,
            version: None,
            header_length: None,
            signer_name: None,
            signer_serial: None,
            ca_name: None,
            signature: None,
            records: Vec::new(),
            verified: None,
        }
    }
}

/// `The checksum value of the CTL file:` or `Parse CTL File`: a new output, of this kind.
fn starts_output(line: &str) -> Option<Kind> {
    for (label, kind) in [
        ("The checksum value of the CTL file:", Kind::Ctl),
        ("The checksum value of the ITL file:", Kind::Itl),
        ("Parse CTL File", Kind::Ctl),
        ("Parse ITL File", Kind::Itl),
    ] {
        if line.starts_with(label) {
            return Some(kind);
        }
    }
    None
}

fn label_value<'l>(line: &'l str, labels: &[&str]) -> Option<&'l str> {
    labels
        .iter()
        .find_map(|label| line.strip_prefix(label))
        .map(str::trim)
}

/// `CTL Record #:3` → 3.
fn record_start(line: &str) -> Option<usize> {
    ["CTL Record #:", "ITL Record #:"]
        .iter()
        .find_map(|label| line.strip_prefix(label))
        .and_then(|rest| rest.trim().parse().ok())
}

/// `BYTEPOS TAG LENGTH [VALUE]` with a numeric position and length and an upper-case tag.
fn table_row(line: &str) -> Option<(&str, usize, &str)> {
    let mut parts = line.split_whitespace();
    let position = parts.next()?;
    let tag = parts.next()?;
    let length = parts.next()?;
    if !position.bytes().all(|byte| byte.is_ascii_digit())
        || !tag
            .bytes()
            .all(|byte| byte.is_ascii_uppercase() || byte == b'+' || byte == b'_')
    {
        return None;
    }
    let length_value = length.parse().ok()?;
    // The value is what follows the length, spaces inside it kept.
    let after_position = line.trim_start().get(position.len()..)?.trim_start();
    let after_tag = after_position.get(tag.len()..)?.trim_start();
    let value = after_tag.get(length_text_len(after_tag)..)?.trim();
    Some((tag, length_value, value))
}

/// How many leading characters of `text` are the length's digits.
fn length_text_len(text: &str) -> usize {
    text.find(|character: char| !character.is_ascii_digit())
        .unwrap_or(text.len())
}

/// Takes one table row; says which value may continue on the next line.
fn row(
    output: &mut PastedList,
    section: Section,
    tag: &str,
    length: usize,
    value: &str,
    pending: &mut String,
) -> Open {
    let open = match (section, tag) {
        (Section::Header, "SIGNATURE") => {
            output.signature = Some(Vec::new());
            return Open::Signature(length);
        }
        (Section::Record, "CERTIFICATE") => Open::Certificate,
        // Names are printed without their NUL; serials as `XX:` per byte.
        (_, "SIGNERNAME" | "CANAME")
        | (Section::Record, "SUBJECTNAME" | "ISSUERNAME" | "DNSNAME") => {
            Open::Value(tag_name(tag), length.min(LONGEST_VALUE).saturating_sub(1))
        }
        (_, "SERIALNUMBER") => Open::Value(
            "SERIALNUMBER",
            length
                .min(LONGEST_VALUE)
                .saturating_mul(3)
                .saturating_sub(1),
        ),
        (Section::Record, "RECORDLENGTH") => {
            if let Some(record) = output.records.last_mut() {
                record.length = value.parse().ok();
            }
            return Open::Nothing;
        }
        (Section::Record, "FUNCTION") => {
            if let Some(record) = output.records.last_mut() {
                record.function = function_named(value);
            }
            return Open::Nothing;
        }
        _ => return Open::Nothing,
    };
    pending.push_str(value);
    if finish_value(output, section, open, pending) || value.is_empty() {
        pending.clear();
        Open::Nothing
    } else {
        open
    }
}

/// The tag names values are kept under.
fn tag_name(tag: &str) -> &'static str {
    match tag {
        "SIGNERNAME" => "SIGNERNAME",
        "CANAME" => "CANAME",
        "SUBJECTNAME" => "SUBJECTNAME",
        "ISSUERNAME" => "ISSUERNAME",
        _ => "DNSNAME",
    }
}

/// Stores a (possibly joined) value; true when it is whole. A value shorter than expected is
/// stored as it is, and may be completed by the next line.
fn finish_value(output: &mut PastedList, section: Section, open: Open, value: &str) -> bool {
    match open {
        Open::Certificate => {
            let Some(hex) = value.strip_suffix("(SHA1 Hash HEX)") else {
                // Past any hash line's length: not a wrapped hash, stop joining.
                return value.len() > LONGEST_HASH_LINE;
            };
            if let Some(record) = output.records.last_mut() {
                record.certificate_sha1 = fixed_hex(hex);
            }
            true
        }
        Open::Value(tag, expected) => {
            let text = Some(value.to_owned());
            match (section, tag) {
                (Section::Header, "CANAME") => output.ca_name = text,
                (Section::Header, "SIGNERNAME") => output.signer_name = text,
                (Section::Header, _) => output.signer_serial = value.parse().ok(),
                (Section::Record, _) => {
                    if let Some(record) = output.records.last_mut() {
                        match tag {
                            "SUBJECTNAME" => record.subject = text,
                            "ISSUERNAME" => record.issuer = text,
                            "DNSNAME" => record.dns_name = text,
                            _ => record.serial = value.parse().ok(),
                        }
                    }
                }
            }
            value.chars().count() >= expected
        }
        _ => true,
    }
}

/// Whether `line` continues the value left open (it is not a row, a label or a record start).
fn continues(open: Open, line: &str) -> bool {
    let trimmed = line.trim();
    if trimmed.is_empty() || open == Open::Nothing {
        return false;
    }
    match open {
        Open::Signature(_) => {
            !trimmed.is_empty()
                && trimmed.split_whitespace().all(|byte| {
                    byte.len() <= 2 && byte.bytes().all(|digit| digit.is_ascii_hexdigit())
                })
        }
        _ => {
            table_row(trimmed).is_none()
                && record_start(trimmed).is_none()
                && starts_output(trimmed).is_none()
                && !trimmed.starts_with("ctlkit:")
                && !trimmed.starts_with("This etoken")
        }
    }
}

/// `a2 5d 9 0` → bytes (CUCM prints bytes without leading zeros).
fn hex_bytes(line: &str) -> impl Iterator<Item = u8> + '_ {
    line.split_whitespace()
        .filter_map(|byte| u8::from_str_radix(byte, 16).ok())
}

/// Hex of exactly N bytes, spaces and colons allowed, any case.
fn fixed_hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let digits: String = text
        .chars()
        .filter(|character| !character.is_whitespace() && *character != ':')
        .collect();
    hex::decode(digits).ok()?.try_into().ok()
}

/// `System Administrator Security Token`, `CCM+TFTP`, `TFTP`… or a number.
fn function_named(value: &str) -> Option<Function> {
    let value = value.trim();
    if value.eq_ignore_ascii_case("System Administrator Security Token") {
        return Some(Function::Sast);
    }
    if let Ok(code) = value.parse::<u16>() {
        return Some(Function::from_code(code));
    }
    [
        Function::Sast,
        Function::Ccm,
        Function::CcmTftp,
        Function::Tftp,
        Function::Capf,
        Function::AppServer,
        Function::Tvs,
    ]
    .into_iter()
    .find(|function| {
        function
            .short_name()
            .is_some_and(|name| name.eq_ignore_ascii_case(value))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CUCM: &str = "admin:show itl\r
The checksum value of the ITL file:\r
b331e5bfb450926e816be37f2d8c24a2(MD5)\r
96929fe7e0b9e4d7e3b0f1b5d0c4f4c2f7e2a1b0(SHA1)\r
\r
Length of ITL file: 5438   \r
The ITL File was last modified on Wed Jul 09 10:21:16 EDT 2014\r
\r
Parse ITL File\r
----------------\r
\r
Version:        1.2\r
HeaderLength:   324 (BYTES)\r
\r
BYTEPOS TAG                     LENGTH  VALUE\r
------- ---                     ------  -----\r
3       SIGNERID                2       117\r
4       SIGNERNAME              76      CN=CUCM8-Publisher.bbbburns.lab;OU=TAC;O=Cisco;L=RTP;ST\r
=North Carolina;C=US\r
5       SERIALNUMBER            16      70:CA:F6:4E:09:07:51:B9:DF:22:F4:9F:75:4F:C5:BB\r
6       CANAME                  76      CN=CUCM8-Publisher.bbbburns.lab;OU=TAC;O=Cisco;L=RTP;ST=North Carolina;C=US\r
12      SIGNATURE               4\r
a2 5d 9 0\r
14      FILENAME                12\r
15      TIMESTAMP               4\r
\r
ITL Record #:1\r
----\r
BYTEPOS TAG                     LENGTH  VALUE\r
------- ---                     ------  -----\r
1       RECORDLENGTH            2       1972\r
2       DNSNAME                 2\r
3       SUBJECTNAME             76      CN=CUCM8-Publisher.bbbburns.lab;OU=TAC;O=Cisco;L=RTP;ST=North Carolina;C=US\r
4       FUNCTION                2       System Administrator Security Token\r
5       ISSUERNAME              76      CN=CUCM8-Publisher.bbbburns.lab;OU=TAC;O=Cisco;L=RTP;ST=North Carolina;C=US\r
6       SERIALNUMBER            16      70:CA:F6:4E:09:07:51:B9:DF:22:F4:9F:75:4F:C5:BB\r
7       PUBLICKEY               140\r
8       SIGNATURE               128\r
9       CERTIFICATE             694     E0 CD 34 46 57 7B AF 28 8E 2C 45 63 F2 B0 B7 ED 1A 65 A6 7D\r
 (SHA1 Hash HEX)\r
This etoken was not used to sign the ITL file.\r
\r
ITL Record #:2\r
----\r
4       FUNCTION                2       TVS\r
6       SERIALNUMBER            8       01:02\r
\r
The ITL file was verified successfully.\r
";

    #[test]
    fn cucm_output_pasted_with_crlf_a_prompt_and_wrapped_lines() {
        assert!(is_pasted_show(CUCM.as_bytes()));
        let outputs = parse_pasted(CUCM);
        assert_eq!(outputs.len(), 1);
        let itl = &outputs[0];
        assert_eq!(itl.kind, Kind::Itl);
        assert_eq!(itl.first_line, 2);
        assert_eq!(
            hex::encode(itl.md5.unwrap()),
            "b331e5bfb450926e816be37f2d8c24a2"
        );
        assert_eq!(itl.length, Some(5438));
        assert_eq!(itl.header_length, Some(324));
        assert_eq!(
            itl.signer_name.as_deref(),
            Some("CN=CUCM8-Publisher.bbbburns.lab;OU=TAC;O=Cisco;L=RTP;ST=North Carolina;C=US")
        );
        assert_eq!(
            itl.signature.as_deref(),
            Some(&[0xa2, 0x5d, 0x09, 0x00][..])
        );
        assert_eq!(itl.verified, Some(true));
        assert_eq!(itl.records.len(), 2);
        let sast = &itl.records[0];
        assert_eq!(sast.function, Some(Function::Sast));
        assert_eq!(sast.length, Some(1972));
        assert_eq!(
            sast.serial.as_ref().unwrap().to_string(),
            "70:CA:F6:4E:09:07:51:B9:DF:22:F4:9F:75:4F:C5:BB"
        );
        assert_eq!(
            hex::encode(sast.certificate_sha1.unwrap()),
            "e0cd3446577baf288e2c4563f2b0b7ed1a65a67d"
        );
        assert_eq!(sast.signed_this_file, Some(false));
        assert_eq!(itl.records[1].function, Some(Function::Tvs));
    }

    #[test]
    fn several_outputs_in_one_paste_are_each_read() {
        let two = format!("{CUCM}\nadmin:show ctl\n{}", CUCM.replace("ITL", "CTL"));
        let outputs = parse_pasted(&two);
        assert_eq!(outputs.len(), 2);
        assert_eq!(outputs[0].kind, Kind::Itl);
        assert_eq!(outputs[1].kind, Kind::Ctl);
        assert_eq!(outputs[1].records.len(), 2);
        assert!(parse_pasted("just some words").is_empty());
        assert!(!is_pasted_show(b"\x01\x00\x02Parse CTL File\0"));
    }
}
