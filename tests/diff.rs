//! `diff`: the phone's copy against the server's, and a checksum read off a phone.

use std::fs;

use assert_cmd::Command;
use ctlkit::report::{DiffSides, diff_text};
use ctlkit::{Checksums, PhoneChecksum, TrustList, diff};
use predicates::prelude::*;

fn pair(phone: &str, server: &str) -> (Vec<u8>, Vec<u8>) {
    (
        fs::read(format!("fixtures/{phone}")).unwrap(),
        fs::read(format!("fixtures/{server}")).unwrap(),
    )
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
            change.phone.serial.as_deref(),
            Some("5C:1D:0A:91:22:47:8E:01")
        );
        assert_eq!(
            change.server.serial.as_deref(),
            Some("6D:02:E1:58:9C:33:70:07")
        );
        assert_eq!(
            change.fields,
            ["SERIALNUMBER", "PUBLICKEY", "SIGNATURE", "CERTIFICATE"]
        );
    }
    let fields: Vec<&str> = difference
        .header_changes
        .iter()
        .map(|change| change.field)
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
    let changed: Vec<(&str, Option<&str>)> = difference
        .changed
        .iter()
        .map(|change| {
            (
                change.phone.function.as_str(),
                change.server.serial.as_deref(),
            )
        })
        .collect();
    assert_eq!(changed, [("CCM+TFTP", None), ("CCM+TFTP", None)]);
    assert!(
        difference.changed[0]
            .fields
            .contains(&"CERTIFICATE".to_owned())
    );
    assert_eq!(difference.removed.len(), 1);
    assert_eq!(difference.removed[0].function, "CAPF");
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
        "server.tlv",
        &server_list,
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
    insta::assert_snapshot!(diff_text(&sides, &difference, verdict.as_ref(), false));
}

#[test]
fn phone_checksums_in_any_spelling() {
    let sums = Checksums::of(&fs::read("fixtures/ITLFile-csptechnologies.tlv").unwrap());
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
    assert!(PhoneChecksum::parse("dbf86422").is_err());
    assert!(PhoneChecksum::parse("not hex at all").is_err());
}

fn ctlkit() -> Command {
    Command::cargo_bin("ctlkit").unwrap()
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
    let bytes = fs::read("fixtures/ITLFile-sha1.tlv").unwrap();
    let output = ctlkit()
        .args([
            "diff",
            "--format",
            "json",
            "-",
            "fixtures/ITLFile-regenerated-sha1.tlv",
        ])
        .write_stdin(bytes)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
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
    assert_eq!(json["accepts"], "accepted_if_tvs_vouches");
    assert!(
        json["accepts_reason"]
            .as_str()
            .unwrap()
            .contains("asks TVS")
    );
}
