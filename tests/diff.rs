//! `diff`: the phone's copy against the server's, and a checksum read off a phone.

use crate::support::{ctlkit, fixture, json_output};
use ctlkit::diff::{ChangedField, ChecksumParseError, PhoneChecksum};
use ctlkit::format::file::record::tag as record_tag;
use ctlkit::format::{ElementName, Section};
use ctlkit::report::{DiffReport, DiffSides, Render};
use ctlkit::{Checksums, Function, TrustList, diff};
use predicates::prelude::*;

fn pair(phone: &str, server: &str) -> (Vec<u8>, Vec<u8>) {
    (fixture(phone), fixture(server))
}

fn element(tag: u8) -> ChangedField {
    ChangedField::Element(ElementName::new(Section::Record, tag))
}

#[test]
fn identical_files() {
    let (phone, server) = pair("ITLFile-sha1.tlv", "ITLFile-sha1.tlv");
    let difference = diff(
        &TrustList::parse(&phone).unwrap(),
        &TrustList::parse(&server).unwrap(),
    );
    assert!(difference.identical);
    assert!(difference.header_changes.is_empty() && difference.changed.is_empty());
}

#[test]
fn a_reissued_certificate_is_one_changed_record_per_role() {
    let (phone, server) = pair("ITLFile-sha1.tlv", "ITLFile-regenerated-sha1.tlv");
    let difference = diff(
        &TrustList::parse(&phone).unwrap(),
        &TrustList::parse(&server).unwrap(),
    );
    assert!(!difference.identical);
    assert!(difference.added.is_empty() && difference.removed.is_empty());
    assert_eq!(difference.changed.len(), 2, "SAST and CCM+TFTP");
    for change in &difference.changed {
        assert_eq!(
            change
                .phone
                .serial
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("5C:1D:0A:91:22:47:8E:01")
        );
        assert_eq!(
            change
                .server
                .serial
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("6D:02:E1:58:9C:33:70:07")
        );
        assert_eq!(
            change.fields,
            [
                element(record_tag::SERIALNUMBER),
                element(record_tag::PUBLICKEY),
                element(record_tag::SIGNATURE),
                element(record_tag::CERTIFICATE)
            ]
        );
    }
    let fields: Vec<&str> = difference
        .header_changes
        .iter()
        .map(|change| change.field.code())
        .collect();
    assert_eq!(fields, ["signer_serial", "timestamp"]);
}

#[test]
fn a_cluster_going_non_secure_keeps_records_paired_by_host() {
    let (phone, server) = pair("CTLFile-etoken-sha1.tlv", "CTLFile-nonsecure.tlv");
    let difference = diff(
        &TrustList::parse(&phone).unwrap(),
        &TrustList::parse(&server).unwrap(),
    );
    let changed: Vec<(Option<Function>, bool)> = difference
        .changed
        .iter()
        .map(|change| (change.phone.function, change.server.serial.is_some()))
        .collect();
    assert_eq!(
        changed,
        [
            (Some(Function::CcmTftp), false),
            (Some(Function::CcmTftp), false)
        ]
    );
    assert!(
        difference.changed[0]
            .fields
            .contains(&element(record_tag::CERTIFICATE))
    );
    assert_eq!(difference.removed.len(), 1);
    assert_eq!(difference.removed[0].function, Some(Function::Capf));
    assert!(difference.added.is_empty());
    assert!(
        difference.header_changes.is_empty(),
        "same signer, same time: {:?}",
        difference.header_changes
    );
}

#[test]
fn different_signer_snapshot() {
    let (phone, server) = pair("CTLFile-etoken-sha1.tlv", "CTLFile-etoken-c-sha1.tlv");
    let phone_list = TrustList::parse(&phone).unwrap();
    let server_list = TrustList::parse(&server).unwrap();
    let difference = diff(&phone_list, &server_list);
    let held = [ctlkit::HeldList {
        name: "phone.tlv",
        kind: ctlkit::Kind::Ctl,
        list: &phone_list,
    }];
    let verdict = ctlkit::would_accept(
        &server_list,
        ctlkit::Kind::Ctl,
        &ctlkit::verify(&server_list),
        &held,
        true,
    );
    let (phone_sums, server_sums) = (Checksums::of(&phone), Checksums::of(&server));
    let sides = DiffSides {
        phone: "phone.tlv",
        phone_checksums: &phone_sums,
        server: "server.tlv",
        server_checksums: &server_sums,
    };
    let report = DiffReport {
        sides,
        diff: &difference,
        verdict: verdict.as_ref(),
    };
    insta::assert_snapshot!(report.text(false));
}

#[test]
fn phone_checksums_in_any_spelling() {
    let sums = Checksums::of(&fixture("ITLFile-csptechnologies.tlv"));
    for typed in [
        "dbf86422cbab7859f3b850c2375814f7",
        "DBF86422CBAB7859F3B850C2375814F7",
        "db:f8:64:22:cb:ab:78:59:f3:b8:50:c2:37:58:14:f7",
        "DB F8 64 22 CB AB 78 59 F3 B8 50 C2 37 58 14 F7",
        "01e2cb144975e4b33c9af6ad75712c07a3b19cc7",
    ] {
        assert!(
            PhoneChecksum::parse(typed).unwrap().matches(&sums),
            "{typed}"
        );
    }
    assert!(matches!(
        PhoneChecksum::parse("01e2cb144975e4b33c9af6ad75712c07a3b19cc7").unwrap(),
        PhoneChecksum::Sha1(_)
    ));
    assert!(
        !PhoneChecksum::parse("00f86422cbab7859f3b850c2375814f7")
            .unwrap()
            .matches(&sums)
    );
    assert_eq!(
        PhoneChecksum::parse("dbf86422"),
        Err(ChecksumParseError::WrongLength {
            text: "dbf86422".to_owned(),
            digits: 8
        })
    );
    assert!(matches!(
        PhoneChecksum::parse("not hex at all"),
        Err(ChecksumParseError::NotHex { .. })
    ));
}

#[test]
fn cli_exit_codes() {
    ctlkit()
        .args([
            "diff",
            "fixtures/ITLFile-sha1.tlv",
            "fixtures/ITLFile-sha1.tlv",
        ])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("byte-identical")
                .and(predicate::str::contains("a7e22386c4820cced2142c1178e90834")),
        );
    ctlkit()
        .args([
            "diff",
            "fixtures/ITLFile-sha1.tlv",
            "fixtures/ITLFile-regenerated-sha1.tlv",
        ])
        .assert()
        .code(1);
    ctlkit()
        .args([
            "diff",
            "--phone-checksum",
            "DB F8 64 22 CB AB 78 59 F3 B8 50 C2 37 58 14 F7",
            "fixtures/ITLFile-csptechnologies.tlv",
        ])
        .assert()
        .code(0);
    ctlkit()
        .args([
            "diff",
            "--phone-checksum",
            "a7e22386c4820cced2142c1178e90834",
            "fixtures/ITLFile-csptechnologies.tlv",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("different"));
    ctlkit()
        .args([
            "diff",
            "--phone-checksum",
            "123",
            "fixtures/ITLFile-sha1.tlv",
        ])
        .assert()
        .code(2);
    ctlkit()
        .args(["diff", "fixtures/ITLFile-sha1.tlv"])
        .assert()
        .code(2);
    ctlkit().args(["diff", "-", "-"]).assert().code(2);
    ctlkit()
        .args([
            "diff",
            "fixtures/ITLFile-sha1.tlv",
            "fixtures/cluster/CAPF-cucm-pub.pem",
        ])
        .assert()
        .code(2);
}

#[test]
fn cli_reads_the_phone_copy_from_standard_input() {
    let bytes = fixture("ITLFile-sha1.tlv");
    let json = json_output(
        ctlkit()
            .args([
                "diff",
                "--format",
                "json",
                "-",
                "fixtures/ITLFile-regenerated-sha1.tlv",
            ])
            .write_stdin(bytes),
        1,
    );
    assert_eq!(json["identical"], false);
    assert_eq!(json["phone"]["path"], "-");
    assert_eq!(json["phone"]["md5"], "a7e22386c4820cced2142c1178e90834");
    assert_eq!(
        json["server"]["sha1"],
        "a407541773c97515b61b82644bb8451db51b2b00"
    );
    assert_eq!(json["header_changes"][0]["field"], "signer_serial");
    assert_eq!(json["records"]["changed"].as_array().unwrap().len(), 2);
    assert_eq!(json["records"]["changed"][0]["fields"][0], "SERIALNUMBER");
    assert_eq!(json["acceptance"], "accepted_if_tvs_vouches");
    assert_eq!(json["acceptance_code"], "tvs_may_vouch");
    assert!(
        json["acceptance_reason"]
            .as_str()
            .unwrap()
            .contains("asks TVS")
    );
}

#[test]
fn cli_no_tvs_judges_a_phone_that_cannot_ask_tvs() {
    let json = json_output(
        ctlkit().args([
            "diff",
            "--no-tvs",
            "--format",
            "json",
            "fixtures/ITLFile-sha1.tlv",
            "fixtures/ITLFile-regenerated-sha1.tlv",
        ]),
        1,
    );
    assert_eq!(json["acceptance"], "rejected");
    assert_eq!(json["acceptance_code"], "phone_cannot_ask_tvs");
    ctlkit()
        .args([
            "diff",
            "--no-tvs",
            "fixtures/ITLFile-sha1.tlv",
            "fixtures/ITLFile-regenerated-sha1.tlv",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "the phone: rejected: a phone holding fixtures/ITLFile-sha1.tlv rejects",
        ));
}

/// A phone's copy that fails its own signature changed on its way to the administrator: it is
/// not what the phone installed, so the verdict says it cannot be judged and to fetch it again
/// (it used to be judged as held, and "accepted").
#[test]
fn a_phone_copy_that_fails_its_own_signature_cannot_be_judged() {
    let folder = tempfile::tempdir().unwrap();
    let altered = folder.path().join("CTLSEP001122334455.tlv");
    let mut bytes = fixture("CTLFile-etoken-sha1.tlv");
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&altered, bytes).unwrap();
    let mut command = ctlkit();
    command.arg("diff").arg(&altered).args([
        "fixtures/CTLFile-etoken-b-sha1.tlv",
        "--format",
        "json",
    ]);
    let json = json_output(&mut command, 1);
    assert_eq!(json["acceptance"], "cannot_judge", "{json}");
    assert_eq!(json["acceptance_code"], "held_copy_fails_its_signature");
    let reason = json["acceptance_reason"].as_str().unwrap();
    assert!(reason.contains("fails its own signature"), "{reason}");
    assert!(reason.contains("Fetch the phone's copy again"), "{reason}");
}
