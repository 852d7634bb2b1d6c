//! The `show` reports, rendered by the library with a fixed clock and modification time, and
//! compared against snapshots a person has read (`tests/snapshots/`).

use std::fs;

use ctlkit::inspect::Inspection;
use ctlkit::report::{Render, ReportContext, ShowReport};
use ctlkit::{Kind, TrustList};
use time::OffsetDateTime;
use time::macros::datetime;

fn show_text(inspection: &Inspection<'_, '_>, context: &ReportContext<'_>) -> String {
    ShowReport {
        inspection,
        context: *context,
    }
    .text(false)
}

fn show_json(
    inspection: &Inspection<'_, '_>,
    context: &ReportContext<'_>,
) -> ctlkit::report::ShowJson {
    ShowReport {
        inspection,
        context: *context,
    }
    .json()
}

/// The clock the reports judge expiry against.
const NOW: OffsetDateTime = datetime!(2026-11-29 12:00:00 UTC);
const MODIFIED: OffsetDateTime = datetime!(2026-01-15 10:05:00 UTC);

fn render(name: &str, kind: Option<Kind>) -> (String, serde_json::Value) {
    let bytes = fs::read(format!("fixtures/{name}")).unwrap();
    let list = TrustList::parse(&bytes).unwrap();
    let inspection = Inspection::of(&list);
    let context = ReportContext {
        kind: kind.or(list.kind()).unwrap_or(Kind::Ctl),
        path: name,
        modified: Some(MODIFIED),
        now: NOW,
    };
    let json = serde_json::to_value(show_json(&inspection, &context)).unwrap();
    crate::support::schema::assert_valid("show", &json);
    (show_text(&inspection, &context), json)
}

#[test]
fn text_reports() {
    for name in [
        "ITLFile-csptechnologies.tlv",
        "CTLFile-etoken-sha1.tlv",
        "CTLFile-nonsecure.tlv",
        "CTLFile-tokenless-sha512.tlv",
        "ITLFile-sha1.tlv",
        "ITLFile-sha512.tlv",
    ] {
        let (text, _) = render(name, None);
        insta::assert_snapshot!(format!("text-{name}"), text);
    }
}

#[test]
fn json_reports() {
    for name in ["ITLFile-csptechnologies.tlv", "CTLFile-nonsecure.tlv"] {
        let (_, json) = render(name, None);
        insta::assert_json_snapshot!(format!("json-{name}"), json);
    }
}

#[test]
fn kind_override_changes_the_wording_only() {
    let (as_itl, _) = render("CTLFile-nonsecure.tlv", Some(Kind::Itl));
    let (as_ctl, _) = render("CTLFile-nonsecure.tlv", None);
    assert!(as_itl.contains("Parse ITL File") && as_itl.contains("ITL Record #:1"));
    assert!(as_ctl.contains("Parse CTL File") && as_ctl.contains("CTL Record #:1"));
    assert_eq!(as_itl.replace("ITL", "CTL"), as_ctl);
}

#[test]
fn json_has_the_documented_keys_and_formats() {
    let (_, json) = render("ITLFile-csptechnologies.tlv", None);
    assert_eq!(json["kind"], "ITL");
    assert_eq!(json["file"]["length"], 10_370);
    assert_eq!(json["file"]["md5"], "dbf86422cbab7859f3b850c2375814f7");
    assert_eq!(json["header"]["timestamp"], "2025-12-30T17:25:42Z");
    assert_eq!(json["header"]["digest"], "SHA-1");
    assert_eq!(json["header"]["signature_length"], 256);
    assert_eq!(
        json["header"]["signer"]["serial"],
        "6B:A5:DE:3A:26:0B:06:93:37:C7:5B:38:BE:3C:2D:74"
    );
    let records = json["records"].as_array().unwrap();
    assert_eq!(records.len(), 5);
    assert_eq!(records[0]["index"], 1);
    assert_eq!(records[0]["function"], "SAST");
    assert_eq!(records[3]["function"], "APP-SERVER");
    assert_eq!(records[3]["function_code"], 7);
    assert_eq!(
        records[4]["certificate"]["sha1"],
        "e58c1cc4913b38634be9106ee3ad8e6b9dd9814a"
    );
    assert_eq!(records[4]["certificate"]["key"], "RSA 4096");
    assert!(json["warnings"].as_array().unwrap().is_empty());
}

#[test]
fn records_without_certificates_report_null_and_say_so_in_text() {
    let (text, json) = render("CTLFile-nonsecure.tlv", None);
    let placeholder = &json["records"][2];
    // docs/FORMAT.md's placeholder shape: RECORDLENGTH, DNSNAME, FUNCTION, IPADDRESS only (its
    // "33 bytes" is this shape with a 13-byte DNSNAME; ours is "cucm-pub\0").
    let list_bytes = fs::read("fixtures/CTLFile-nonsecure.tlv").unwrap();
    let list = TrustList::parse(&list_bytes).unwrap();
    let tags: Vec<u8> = list.records()[2]
        .elements()
        .iter()
        .map(|element| element.tag)
        .collect();
    assert_eq!(tags, [1, 2, 4, 10]);
    assert_eq!(placeholder["length"], 20 + "cucm-pub\0".len());
    assert_eq!(placeholder["function"], "CCM+TFTP");
    assert_eq!(placeholder["ip_address"], "10.10.10.10");
    assert!(placeholder["certificate"].is_null());
    assert!(text.contains("  ctlkit: CCM+TFTP, IP 10.10.10.10, no certificate"));
}

#[test]
fn certificates_past_not_after_are_flagged_expired() {
    let bytes = fs::read("fixtures/CTLFile-etoken-sha1.tlv").unwrap();
    let list = TrustList::parse(&bytes).unwrap();
    let inspection = Inspection::of(&list);
    // The eToken certificates end 2030-06-01, the cluster's 2044-01-01.
    let context = ReportContext {
        kind: Kind::Ctl,
        path: "x",
        modified: None,
        now: datetime!(2031-01-01 00:00:00 UTC),
    };
    let text = show_text(&inspection, &context);
    assert_eq!(text.matches("(EXPIRED)").count(), 2);
    assert!(text.contains("The CTL File was last modified on (unknown)"));
    let json = serde_json::to_value(show_json(&inspection, &context)).unwrap();
    crate::support::schema::assert_valid("show", &json);
    let expired: Vec<bool> = json["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|record| record["certificate"]["expired"].as_bool().unwrap())
        .collect();
    assert_eq!(expired, [true, true, false, false, false]);
}

#[test]
fn a_tampered_file_ends_with_cucms_failure_line_and_no_token_used() {
    let mut bytes = fs::read("fixtures/CTLFile-etoken-sha1.tlv").unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    let list = TrustList::parse(&bytes).unwrap();
    let context = ReportContext {
        kind: Kind::Ctl,
        path: "x",
        modified: None,
        now: NOW,
    };
    let text = show_text(&Inspection::of(&list), &context);
    assert_eq!(
        text.lines().last(),
        Some("Verification of the CTL File Failed")
    );
    assert!(
        text.contains("  ctlkit: signature invalid: the signature does not match record 1's key")
    );
    assert_eq!(
        text.matches("This etoken was not used to sign the CTL file.")
            .count(),
        2
    );
    assert!(!text.contains("This etoken was used"));
}

fn element(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    out.extend_from_slice(&u16::try_from(value.len()).unwrap().to_be_bytes());
    out.extend_from_slice(value);
    out
}

/// A file with one of every oddity the model reports: the header has an unknown tag, a
/// duplicate FILENAME, a 3-byte TIMESTAMP and a length that is not a multiple of 4; record 1
/// has no FUNCTION and a certificate that is not X.509; record 2 a certificate followed by
/// two stray bytes.
fn odd_file() -> Vec<u8> {
    let mut signer_id = element(4, b"CN=odd\0");
    signer_id.extend(element(5, &[1, 2]));
    signer_id.extend(element(6, b"CN=odd\0"));
    let mut algorithm = element(10, &[0]);
    algorithm.extend(element(11, &[2]));
    let mut signature_info = element(8, &[1]);
    signature_info.extend(element(9, &algorithm));
    let mut rest = element(3, &signer_id);
    rest.extend(element(7, &signature_info));
    rest.extend(element(12, &[0; 4]));
    rest.extend(element(14, b"ITLFile.tlv\0"));
    rest.extend(element(14, b"again\0"));
    rest.extend(element(15, &[0, 0, 1]));
    rest.extend(element(40, b"vendor"));
    let header_length = u16::try_from(10 + rest.len()).unwrap();
    assert_ne!(header_length % 4, 0, "the header must stay unpadded");
    let mut file = element(1, &[1, 2]);
    file.extend(element(2, &header_length.to_be_bytes()));
    file.extend(rest);

    let record = |body: Vec<u8>| {
        let mut out = element(1, &u16::try_from(body.len() + 5).unwrap().to_be_bytes());
        out.extend(body);
        out
    };
    file.extend(record(element(9, b"not a certificate")));
    let mut certificate = crate::support::certificate("CAPF-cucm-pub");
    certificate.extend([0xde, 0xad]);
    let mut second = element(4, &[0, 4]);
    second.extend(element(9, &certificate));
    file.extend(record(second));
    file
}

#[test]
fn every_warning_kind_is_reported_in_text_and_json() {
    let bytes = odd_file();
    let list = TrustList::parse(&bytes).unwrap();
    let inspection = Inspection::of(&list);
    let context = ReportContext {
        kind: Kind::Itl,
        path: "odd.tlv",
        modified: None,
        now: NOW,
    };
    let expected = [
        (
            "header_not_padded",
            "header at offset 0: HEADERLENGTH 102 is not a multiple of 4",
        ),
        (
            "duplicate_element",
            "header at offset 78: second FILENAME element; the first one is used",
        ),
        (
            "unexpected_length",
            "header at offset 87: TIMESTAMP is 3 bytes long, expected 4",
        ),
        (
            "unknown_tag",
            "header at offset 93: unknown tag 40 (6 bytes), kept as found",
        ),
        (
            "missing_element",
            "record 1 at offset 102: no FUNCTION element",
        ),
        (
            "certificate_unparseable",
            "record 1 at offset 107: CERTIFICATE does not parse as X.509: Parsing Error: NomError(Eof)",
        ),
        (
            "certificate_trailing_bytes",
            "record 2 at offset 137: CERTIFICATE has 2 bytes after the certificate",
        ),
    ];
    let json = show_json(&inspection, &context);
    let found: Vec<(&str, &str)> = json
        .warnings
        .iter()
        .map(|warning| (warning.code.as_str(), warning.message.as_str()))
        .collect();
    assert_eq!(found, expected);
    let text = show_text(&inspection, &context);
    let section = text.split("\nWarnings:\n").nth(1).unwrap();
    for (_, message) in expected {
        assert!(
            section.contains(&format!("  {message}\n")),
            "{message} in:\n{section}"
        );
    }
    assert_eq!(json.header.unknown_tags.len(), 1);
    assert_eq!(json.header.unknown_tags[0].tag, 40);
    assert_eq!(json.header.unknown_tags[0].value, hex::encode(b"vendor"));
    assert!(
        text.contains("40      UNKNOWN                 6       76656e646f72"),
        "{text}"
    );
}

#[test]
fn html_page() {
    use ctlkit::report::html::{InputFacts, InputKind, PageFacts, page};
    let name = "ITLFile-expired-capf-sha1.tlv";
    let bytes = fs::read(format!("fixtures/{name}")).unwrap();
    let list = TrustList::parse(&bytes).unwrap();
    let inspection = Inspection::of(&list);
    let report = ShowReport {
        inspection: &inspection,
        context: ReportContext {
            kind: Kind::Itl,
            path: name,
            modified: Some(MODIFIED),
            now: NOW,
        },
    };
    let checksums = ctlkit::Checksums::of(&bytes);
    let facts = PageFacts {
        command: format!("ctlkit show {name} --format html"),
        command_name: "show".to_owned(),
        version: "0.1.0".to_owned(),
        generated: NOW,
        inputs: vec![InputFacts {
            path: name.to_owned(),
            what: InputKind::File {
                length: bytes.len() as u64,
                md5: checksums.md5_hex(),
                sha1: checksums.sha1_hex(),
                sha256: checksums.sha256_hex(),
            },
        }],
    };
    // The stylesheet is its own file; the page's markup is what is read here, a tag a line.
    let html = page(&facts, &report.html());
    let style_start = html.find("<style>").unwrap();
    let style_end = html.find("</style>").unwrap();
    let markup = format!(
        "{}<style>…</style>{}",
        &html[..style_start],
        &html[style_end + 8..]
    );
    insta::assert_snapshot!(
        "html-ITLFile-expired-capf-sha1.tlv",
        markup.replace("><", ">\n<")
    );
}
