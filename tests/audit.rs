//! `audit`: a fleet's files grouped by content, each group judged once.

mod support;

use std::fs;
use std::path::Path;

use predicates::prelude::*;
use support::{ctlkit, fixture_path, json_output};

const SERVER: &str = "fixtures/ITLFile-sha512.tlv";

fn copy(from: &str, to: &Path) {
    fs::create_dir_all(to.parent().unwrap()).unwrap();
    fs::copy(fixture_path(from), to).unwrap();
}

/// Six phones on the server's ITL, two on the old one, one on a token CTL, one broken file and
/// one over the size limit.
fn fleet() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    for phone in 0..6 {
        copy(
            "ITLFile-sha512.tlv",
            &root
                .path()
                .join(format!("site-a/ITLSEP00000000000{phone}.tlv")),
        );
    }
    copy(
        "ITLFile-sha1.tlv",
        &root.path().join("site-b/ITLSEP0000000000A1.tlv"),
    );
    copy(
        "ITLFile-sha1.tlv",
        &root.path().join("site-b/ITLSEP0000000000A2.tlv"),
    );
    copy(
        "CTLFile-etoken-c-sha1.tlv",
        &root.path().join("lobby/CTLFile.tlv"),
    );
    fs::write(
        root.path().join("site-b/ITLSEP0000000000B1.tlv"),
        b"not a trust list",
    )
    .unwrap();
    fs::write(root.path().join("site-b/huge.tlv"), vec![0u8; 300_000]).unwrap();
    root
}

#[test]
fn groups_by_content_and_judges_each_once() {
    let root = fleet();
    let json = json_output(
        ctlkit()
            .args([
                "--max-size",
                "200000",
                "audit",
                "--format",
                "json",
                "--against",
                SERVER,
            ])
            .arg(root.path()),
        1,
    );
    assert_eq!(json["phones"], 11);
    assert_eq!(json["matching"], 6);
    let groups = json["groups"].as_array().unwrap();
    let summary: Vec<(u64, bool, Option<&str>)> = groups
        .iter()
        .map(|group| {
            (
                group["count"].as_u64().unwrap(),
                group["matches_server"].as_bool().unwrap(),
                group["accepts_server"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (6, true, Some("accepted")),
            (2, false, Some("accepted_if_tvs_vouches")),
            (1, false, Some("rejected")),
            (1, false, None),
            (1, false, None),
        ]
    );
    let old = &groups[1];
    assert_eq!(old["md5"], "a7e22386c4820cced2142c1178e90834");
    let phones: Vec<&str> = old["phones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|phone| phone["phone"].as_str().unwrap())
        .collect();
    assert_eq!(phones, ["SEP0000000000A1", "SEP0000000000A2"]);
    assert_eq!(
        groups[2]["phones"][0]["phone"], "lobby",
        "named by its folder"
    );
    let errors: Vec<&str> = groups[3..]
        .iter()
        .map(|group| group["error"].as_str().unwrap())
        .collect();
    assert!(
        errors
            .iter()
            .any(|error| error.contains("larger than the 200000-byte limit")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|error| error.starts_with("not a trust list")),
        "{errors:?}"
    );
}

#[test]
fn text_and_csv() {
    let root = fleet();
    ctlkit()
        .args(["--max-size", "200000", "audit", "--against", SERVER])
        .arg(root.path())
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("11 phone files")
                .and(predicate::str::is_match(r"match the server +6\n").unwrap())
                .and(predicate::str::is_match(r"will update if TVS vouches +2\n").unwrap())
                .and(predicate::str::is_match(r"stuck: delete their trust list +1\n").unwrap())
                .and(predicate::str::is_match(r"unreadable or not a trust list +2\n").unwrap()),
        )
        .stderr("");
    let output = ctlkit()
        .args([
            "--max-size",
            "200000",
            "audit",
            "--format",
            "csv",
            "--against",
            SERVER,
        ])
        .arg(root.path())
        .assert()
        .code(1)
        .get_output()
        .clone();
    let csv = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "phone,path,md5,sha1,matches_server,accepts_server,error"
    );
    assert_eq!(lines.len(), 12, "a header and one row per phone");
    assert!(lines.iter().any(|line| line.starts_with("SEP0000000000A1,")
        && line.contains(",false,accepted_if_tvs_vouches,")));
}

#[test]
fn a_fleet_in_sync_exits_0() {
    let root = tempfile::tempdir().unwrap();
    copy(
        "ITLFile-sha512.tlv",
        &root.path().join("ITLSEP001122334455.tlv"),
    );
    ctlkit()
        .args(["audit", "--against", SERVER])
        .arg(root.path())
        .assert()
        .code(0);
    ctlkit()
        .args(["audit", "--against", "fixtures/cluster/eToken-A.pem"])
        .arg(root.path())
        .assert()
        .code(2);
    ctlkit()
        .args(["audit", "--against", SERVER, "no/such/dir"])
        .assert()
        .code(2);
}

#[test]
fn no_tvs_judges_phones_that_cannot_ask_tvs() {
    let root = tempfile::tempdir().unwrap();
    copy(
        "ITLFile-sha1.tlv",
        &root.path().join("ITLSEP0000000000A1.tlv"),
    );
    let audit = |extra: &[&str]| {
        json_output(
            ctlkit()
                .args(["audit", "--format", "json", "--against", SERVER])
                .args(extra)
                .arg(root.path()),
            1,
        )
    };
    let with_tvs = audit(&[]);
    assert_eq!(with_tvs["groups"][0]["standing"], "needs_tvs");
    assert_eq!(with_tvs["groups"][0]["code"], "tvs_may_vouch");
    let without = audit(&["--no-tvs"]);
    assert_eq!(without["groups"][0]["standing"], "stuck");
    assert_eq!(without["groups"][0]["accepts_server"], "rejected");
    assert_eq!(without["groups"][0]["code"], "phone_cannot_ask_tvs");
}

/// File names are bytes on Unix: one that is not UTF-8 is read and judged like any other.
#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_audits_like_any_other() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    let root = tempfile::tempdir().unwrap();
    let folder = root.path().join(OsStr::from_bytes(b"phone-\xff\xfe"));
    copy("ITLFile-sha512.tlv", &folder.join("ITLFile.tlv"));
    copy(
        "ITLFile-sha1.tlv",
        &root.path().join(OsStr::from_bytes(b"old-\xe9.tlv")),
    );
    let json = json_output(
        ctlkit()
            .args(["audit", "--format", "json", "--against", SERVER])
            .arg(root.path()),
        1,
    );
    assert_eq!(json["phones"], 2);
    assert_eq!(json["matching"], 1);
    let standings: Vec<(&str, &str)> = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| {
            (
                group["phones"][0]["phone"].as_str().unwrap(),
                group["standing"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        standings,
        [
            ("phone-\u{fffd}\u{fffd}", "matches_server"),
            ("old-\u{fffd}.tlv", "needs_tvs")
        ]
    );
}

/// A fleet's copies of a config group by content like trust lists; a copy that differs is
/// said to differ (the verdict needs the phone's ITL), one that is not a signed file is
/// unusable.
#[test]
fn copies_of_a_signed_config_group_by_content() {
    let root = tempfile::tempdir().unwrap();
    let server = "signed/SEP001122334455.cnf.xml.sgn";
    copy(server, &root.path().join("a/SEP001122334455.cnf.xml.sgn"));
    copy(server, &root.path().join("b/SEP001122334455.cnf.xml.sgn"));
    copy(
        "signed/SEP001122334455-regenerated.cnf.xml.sgn",
        &root.path().join("c/SEP001122334455.cnf.xml.sgn"),
    );
    copy("ITLFile-sha1.tlv", &root.path().join("d/ITLFile.tlv"));
    let json = json_output(
        ctlkit()
            .args(["audit", "--format", "json", "--against"])
            .arg(fixture_path(server))
            .arg(root.path()),
        1,
    );
    assert_eq!(json["phones"], 4);
    assert_eq!(json["matching"], 2);
    let standings: Vec<(u64, &str, &str)> = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| {
            (
                group["count"].as_u64().unwrap(),
                group["standing"].as_str().unwrap(),
                group["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        standings,
        [
            (2, "matches_server", "identical"),
            (1, "differs", "differs"),
            (1, "unusable", "not_a_signed_file")
        ]
    );
}
