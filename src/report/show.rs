//! The text report, laid out like CUCM's `show ctl` / `show itl` (docs/FORMAT.md §7), with a few
//! `ctlkit:` lines for what Cisco leaves out.

use std::fmt::Write as _;

use super::ReportContext;
use super::words::{
    signer_class_words, verification_sentence, warning_kind_sentence, warning_sentence,
};
use crate::judge::inspect::{Inspection, RecordCertificate};
use ctlkit_format::cert::serial::Serial;
use ctlkit_format::checksum::Checksums;
use ctlkit_format::file::header::{DigestAlgorithm, Header, tag as header_tag};
use ctlkit_format::file::record::{Function, Record, tag as record_tag};
use ctlkit_format::text::printable;
use ctlkit_format::timefmt::{day, from_timestamp, unix_date};
use ctlkit_format::tlv::element::{Element, ElementName, Encoding, Section};

/// `ctlkit show`: a trust list laid out as CUCM's `show ctl` / `show itl` does.
#[derive(Debug, Clone, Copy)]
pub struct ShowReport<'r, 'a> {
    /// The file and what was worked out about it.
    pub inspection: &'r Inspection<'r, 'a>,
    /// Wording, path, times.
    pub context: ReportContext<'r>,
}

/// Bytes of an unknown element's value shown before the dump is cut short.
const UNKNOWN_PREVIEW: usize = 16;

/// Renders the `show ctl` style report.
pub(crate) fn show_text(inspection: &Inspection<'_, '_>, context: &ReportContext<'_>) -> String {
    let list = inspection.trust_list;
    let kind = context.kind;
    let mut out = String::new();
    header_section(
        &mut out,
        &kind.to_string(),
        &inspection.checksums,
        list.header(),
        context.modified,
    );
    header_note(&mut out, inspection);

    for (record, certificate) in list.records().iter().zip(&inspection.certificates) {
        out.push('\n');
        let _ = writeln!(out, "{kind} Record #:{}", record.index());
        out.push_str("----\n");
        table_heading(&mut out);
        for element in record.elements() {
            record_row(&mut out, record, element);
        }
        record_note(&mut out, record, certificate.as_ref(), context);
        if record.function() == Some(Function::Sast) {
            // Only a signature that verifies shows a token was used; a header that merely
            // names it proves nothing.
            let used = inspection.verification.is_valid()
                && inspection.verification.signer_record() == Some(record.index());
            let _ = writeln!(
                out,
                "This etoken was {}used to sign the {kind} file.",
                if used { "" } else { "not " }
            );
        }
    }

    if !inspection.warnings.is_empty() {
        out.push_str("\nWarnings:\n");
        for warning in &inspection.warnings {
            let _ = writeln!(out, "  {}", warning_sentence(warning));
        }
    }
    let verification = &inspection.verification;
    let _ = writeln!(
        out,
        "\n  ctlkit: signature {}: {}",
        verification.status.as_str(),
        verification_sentence(verification)
    );
    if verification.is_valid() {
        let _ = writeln!(out, "The {kind} file was verified successfully.");
    } else {
        let _ = writeln!(out, "Verification of the {kind} File Failed");
    }
    out
}

/// What `show ctl` prints before the records: checksums, length, modification time, version,
/// header length and the header's table. `word` is `CTL`, `ITL` or `signed`.
pub(crate) fn header_section(
    out: &mut String,
    word: &str,
    sums: &Checksums,
    header: &Header<'_>,
    modified: Option<time::OffsetDateTime>,
) {
    let _ = writeln!(out, "The checksum value of the {word} file:");
    let _ = writeln!(out, "{}(MD5)", sums.md5_hex());
    let _ = writeln!(out, "{}(SHA1)", sums.sha1_hex());
    out.push_str("\n\n");
    let _ = writeln!(out, "Length of {word} file: {}", header.file().len());
    // `show ctl` capitalises the word before "File": `Parse CTL File`, `Parse Signed File`.
    let mut title = word.to_owned();
    if let Some(first) = title.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    let modified = modified.map_or_else(|| "(unknown)".to_owned(), unix_date);
    let _ = writeln!(out, "The {title} File was last modified on {modified}");
    out.push('\n');
    let _ = writeln!(out, "Parse {title} File");
    out.push_str("----------------\n\n");
    let (major, minor) = header.version();
    let _ = writeln!(out, "Version:        {major}.{minor}");
    let _ = writeln!(out, "HeaderLength:   {} (BYTES)", header.length());
    out.push('\n');
    table_heading(out);
    for element in header.elements() {
        header_row(out, element);
    }
}

fn table_heading(out: &mut String) {
    row(out, "BYTEPOS", "TAG", "LENGTH", "VALUE");
    row(out, "-------", "---", "------", "-----");
}

fn row(out: &mut String, tag: &str, name: &str, length: &str, value: &str) {
    let line = format!("{tag:<8}{name:<24}{length:<8}{value}");
    out.push_str(line.trim_end());
    out.push('\n');
}

fn element_row(out: &mut String, section: Section, element: &Element<'_>, value: &str) {
    let name = ElementName::new(section, element.tag);
    let name = name.known().unwrap_or("UNKNOWN");
    row(
        out,
        &element.tag.to_string(),
        name,
        &element.length.to_string(),
        value,
    );
}

fn header_row(out: &mut String, element: &Element<'_>) {
    let value = match element.encoding {
        Encoding::Padding => return,
        Encoding::Container => {
            row(
                out,
                &element.tag.to_string(),
                ElementName::new(Section::Header, element.tag)
                    .known()
                    .unwrap_or("UNKNOWN"),
                "2",
                &element.length.to_string(),
            );
            return;
        }
        Encoding::Value => match element.tag {
            header_tag::VERSION | header_tag::HEADERLENGTH => return,
            header_tag::SIGNERNAME | header_tag::CANAME => {
                printable(ctlkit_format::text::until_nul(element.value)).into_owned()
            }
            header_tag::SERIALNUMBER => Serial::from_stored(element.value).to_string(),
            header_tag::SIGNERVERSION => match element.value {
                [major, minor] => format!("{major}.{minor}"),
                _ => String::new(),
            },
            header_tag::SIGNATURE => {
                element_row(out, Section::Header, element, "");
                signature_dump(out, element.value);
                return;
            }
            tag if header_tag::name(tag).is_none() => hex_preview(element.value),
            _ => String::new(),
        },
    };
    element_row(out, Section::Header, element, &value);
}

/// The header SIGNATURE as `show ctl` dumps it: lower-case hex without zero padding, eight
/// bytes to a line.
fn signature_dump(out: &mut String, signature: &[u8]) {
    for chunk in signature.chunks(8) {
        let line: Vec<String> = chunk.iter().map(|byte| format!("{byte:x}")).collect();
        out.push_str(&line.join(" "));
        out.push('\n');
    }
}

fn hex_preview(value: &[u8]) -> String {
    let shown = value.get(..UNKNOWN_PREVIEW).unwrap_or(value);
    let mut text = hex::encode(shown);
    if shown.len() < value.len() {
        text.push_str("...");
    }
    text
}

fn header_note(out: &mut String, inspection: &Inspection<'_, '_>) {
    header_facts(out, inspection.trust_list.header());
    let _ = writeln!(
        out,
        "  ctlkit: signer: {}",
        signer_class_words(inspection.signer_class)
    );
}

/// The `ctlkit:` line under a header table: file name, signing time, digest and key size.
pub(crate) fn header_facts(out: &mut String, header: &Header<'_>) {
    let mut facts = Vec::new();
    if let Some(name) = header.filename() {
        facts.push(format!("file name {}", printable(name)));
    }
    if let Some(signed) = header.timestamp().and_then(from_timestamp) {
        facts.push(format!("signed {}", unix_date(signed)));
    }
    let digest = header
        .digest_algorithm()
        .map_or_else(|| "unknown digest".to_owned(), |digest| digest.to_string());
    let algorithm = match header.signature_algorithm() {
        Some(0) => "RSA".to_owned(),
        Some(code) => format!("signature algorithm {code}"),
        None => "unknown algorithm".to_owned(),
    };
    let bits = header
        .signature_modulus_bits()
        .map_or_else(String::new, |bits| format!(" {bits}"));
    facts.push(format!("{digest} with {algorithm}{bits}"));
    let _ = writeln!(out, "  ctlkit: {}", facts.join(", "));
}

fn record_row(out: &mut String, record: &Record<'_>, element: &Element<'_>) {
    let value = match element.tag {
        record_tag::RECORDLENGTH => record.length().to_string(),
        record_tag::DNSNAME | record_tag::SUBJECTNAME | record_tag::ISSUERNAME => {
            printable(ctlkit_format::text::until_nul(element.value)).into_owned()
        }
        record_tag::FUNCTION => element
            .as_u16()
            .map(|code| Function::from_code(code).show_ctl_name())
            .unwrap_or_default(),
        record_tag::SERIALNUMBER => Serial::from_stored(element.value).to_string(),
        record_tag::CERTIFICATE => format!(
            "{} (SHA1 Hash HEX)",
            spaced_upper_hex(&ctlkit_format::checksum::sha1(element.value))
        ),
        record_tag::CERTHASH => spaced_upper_hex(element.value),
        record_tag::HASHALGORITHM => element
            .as_u8()
            .map(|code| DigestAlgorithm::from_code(code).to_string())
            .unwrap_or_default(),
        tag if record_tag::name(tag).is_none() => hex_preview(element.value),
        _ => String::new(),
    };
    element_row(out, Section::Record, element, &value);
}

fn spaced_upper_hex(bytes: &[u8]) -> String {
    let pairs: Vec<String> = bytes.iter().map(|byte| format!("{byte:02X}")).collect();
    pairs.join(" ")
}

fn record_note(
    out: &mut String,
    record: &Record<'_>,
    certificate: Option<&RecordCertificate>,
    context: &ReportContext<'_>,
) {
    let mut facts = Vec::new();
    if let Some(function) = record.function() {
        facts.push(function.to_string());
    }
    if let Some(address) = record.ip_address() {
        facts.push(format!("IP {address}"));
    }
    match certificate.map(|certificate| &certificate.info) {
        None => facts.push("no certificate".to_owned()),
        Some(Err(problem)) => facts.push(warning_kind_sentence(problem)),
        Some(Ok(info)) => {
            facts.push(format!("{} key", info.key));
            facts.push(info.signature_algorithm.clone());
            let mut validity = format!("valid {} to {}", day(info.not_before), day(info.not_after));
            if info.is_expired_at(context.now) {
                validity.push_str(" (EXPIRED)");
            }
            facts.push(validity);
        }
    }
    let _ = writeln!(out, "  ctlkit: {}", facts.join(", "));
}
