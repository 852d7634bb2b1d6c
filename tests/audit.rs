//! `audit`: a fleet phone by phone. Each phone's CTL, ITL and config are gathered by MAC (or
//! folder, or a capture's address) and judged as the phone judges them: its CTL first, then its
//! ITL against the lists it would hold after that, then its config.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::support::tftpd::Server;
use crate::support::{ctlkit, fixture, fixture_path, json_output};

fn copy(from: &str, to: &Path) {
    fs::create_dir_all(to.parent().unwrap()).unwrap();
    fs::copy(fixture_path(from), to).unwrap();
}

/// A mixed-mode cluster's phones after `set cert regen CallManager` and `utils ctl update`:
/// some still on the lists from before, some current, some with a file missing from the
/// evidence, one migrated from another cluster, one broken copy, and files that are neither.
fn mixed_mode_fleet() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let phones = root.path().join("phones");
    let both = |mac: &str, ctl: &str, itl: &str| {
        copy(ctl, &phones.join(format!("CTLSEP{mac}.tlv")));
        copy(itl, &phones.join(format!("ITLSEP{mac}.tlv")));
    };
    // Before the regeneration: CTL and ITL from before.
    both(
        "0000000000B1",
        "CTLFile-etoken-sha1.tlv",
        "ITLFile-sha1.tlv",
    );
    both(
        "0000000000B2",
        "CTLFile-etoken-sha1.tlv",
        "ITLFile-sha1.tlv",
    );
    // Current.
    both(
        "0000000000C1",
        "CTLFile-updated-sha1.tlv",
        "ITLFile-regenerated-sha1.tlv",
    );
    // Current CTL, stale ITL.
    both(
        "0000000000D1",
        "CTLFile-updated-sha1.tlv",
        "ITLFile-sha1.tlv",
    );
    // A tokenless CTL (ITLRecovery and CallManager are its SAST records): the eToken that signs
    // the server's CTL is not among them.
    both(
        "0000000000E1",
        "CTLFile-tokenless-sha512.tlv",
        "ITLFile-regenerated-sha1.tlv",
    );
    // Moved from another cluster: that cluster's CTL, and an ITL naming no TVS to ask.
    both(
        "0000000000AB",
        "CTLFile-tokenless-sha512.tlv",
        "ITLFile-csptechnologies.tlv",
    );
    // No ITL in the evidence; no CTL in the evidence.
    copy(
        "CTLFile-updated-sha1.tlv",
        &phones.join("CTLSEP0000000000F1.tlv"),
    );
    copy(
        "ITLFile-regenerated-sha1.tlv",
        &phones.join("ITLSEP0000000000F2.tlv"),
    );
    // Its own folder, generic names, and its config.
    copy(
        "CTLFile-updated-sha1.tlv",
        &phones.join("lobby/CTLFile.tlv"),
    );
    copy(
        "ITLFile-regenerated-sha1.tlv",
        &phones.join("lobby/ITLFile.tlv"),
    );
    copy(
        "signed/SEP001122334455.cnf.xml.sgn",
        &phones.join("SEP001122334455.cnf.xml.sgn"),
    );
    copy(
        "CTLFile-updated-sha1.tlv",
        &phones.join("CTLSEP001122334455.tlv"),
    );
    copy(
        "ITLFile-regenerated-sha1.tlv",
        &phones.join("ITLSEP001122334455.tlv"),
    );
    // A copy cut short on its way: the phone's ITL all the same, unusable.
    copy(
        "CTLFile-updated-sha1.tlv",
        &phones.join("CTLSEP0000000000A7.tlv"),
    );
    fs::write(
        phones.join("ITLSEP0000000000A7.tlv"),
        &fixture("ITLFile-regenerated-sha1.tlv")[..3000],
    )
    .unwrap();
    // Neither a trust list nor a signed config: listed once, not a phone.
    fs::write(phones.join("notes.txt"), "collected on Monday\n").unwrap();
    fs::write(phones.join("SEP0000000000B1.cnf.xml"), "<device/>\n").unwrap();
    root
}

/// The server after the update: its CTL, ITL and the phone's config signed with the new key.
fn server_after_update() -> Vec<String> {
    [
        "fixtures/CTLFile-updated-sha1.tlv",
        "fixtures/ITLFile-regenerated-sha1.tlv",
        "fixtures/signed/SEP001122334455-regenerated.cnf.xml.sgn",
    ]
    .iter()
    .map(ToString::to_string)
    .collect()
}

/// Each phone's standing and reason code, from the CSV.
fn standings(csv: &str) -> BTreeMap<String, (String, String)> {
    csv.lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            (
                fields[0].to_owned(),
                (fields[1].to_owned(), fields[2].to_owned()),
            )
        })
        .collect()
}

fn audit_csv(root: &Path, against: &[String], extra: &[&str], code: i32) -> String {
    let mut command = ctlkit();
    command.arg("audit").arg(root.join("phones"));
    for server in against {
        command.args(["--against", server]);
    }
    let output = command
        .args(extra)
        .args(["--format", "csv"])
        .assert()
        .code(code)
        .get_output()
        .clone();
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn every_phone_is_judged_ctl_first_then_itl_then_config() {
    let root = mixed_mode_fleet();
    let csv = audit_csv(root.path(), &server_after_update(), &[], 1);
    assert_eq!(
        csv.lines().next().unwrap(),
        "phone,standing,code,ctl_md5,itl_md5,config_md5,paths"
    );
    let got = standings(&csv);
    let expect = |phone: &str, standing: &str, reason: &str| {
        assert_eq!(
            got.get(phone),
            Some(&(standing.to_owned(), reason.to_owned())),
            "{phone}: {csv}"
        );
    };
    // eToken A signed both CTLs: the old CTL takes the new one; then the new CTL's CCM+TFTP
    // record (the regenerated certificate) signs the new ITL.
    expect("SEP0000000000B1", "will_update", "ctl_updates");
    expect("SEP0000000000B2", "will_update", "ctl_updates");
    expect("SEP0000000000C1", "in_sync", "in_sync");
    expect("SEP0000000000D1", "will_update", "itl_updates");
    // The ITL it holds names TVS: the phone asks it about the eToken.
    expect("SEP0000000000E1", "needs_tvs", "ctl_needs_tvs");
    expect("SEP0000000000AB", "stuck", "ctl_rejected");
    expect("SEP0000000000F1", "incomplete", "itl_missing");
    expect("SEP0000000000A7", "incomplete", "itl_unusable");
    expect("SEP0000000000F2", "incomplete", "ctl_missing");
    expect("lobby", "in_sync", "in_sync");
    // Current lists, and the config from before: the new one is signed by the regenerated
    // CallManager key its lists hold.
    expect("SEP001122334455", "will_update", "config_updates");
    assert_eq!(got.len(), 11, "{csv}");
}

#[test]
fn before_the_ctl_update_phones_on_the_old_lists_need_tvs_or_are_stuck_without_it() {
    let root = mixed_mode_fleet();
    let before = vec![
        "fixtures/CTLFile-etoken-sha1.tlv".to_owned(),
        "fixtures/ITLFile-regenerated-sha1.tlv".to_owned(),
    ];
    let with_tvs = standings(&audit_csv(root.path(), &before, &[], 1));
    // The old CTL is the server's; the regenerated ITL's signer is in neither held list, and
    // the held ITL names TVS.
    assert_eq!(
        with_tvs["SEP0000000000B1"],
        ("needs_tvs".to_owned(), "itl_needs_tvs".to_owned())
    );
    let without = standings(&audit_csv(root.path(), &before, &["--no-tvs"], 1));
    assert_eq!(
        without["SEP0000000000B1"],
        ("stuck".to_owned(), "itl_rejected".to_owned())
    );
}

/// "Prepare Cluster for Rollback to pre-8.0" exists to get phones out of a stuck state: a phone
/// holding the rollback ITL takes the server's new ITL, with or without TVS, and its config.
#[test]
fn phones_holding_a_rollback_itl_take_the_new_itl_even_without_tvs() {
    let root = tempfile::tempdir().unwrap();
    let phones = root.path().join("phones");
    copy(
        "ITLFile-rollback-sha1.tlv",
        &phones.join("ITLSEP0000000000D7.tlv"),
    );
    copy(
        "CTLFile-etoken-sha1.tlv",
        &phones.join("CTLSEP0000000000D8.tlv"),
    );
    copy(
        "ITLFile-rollback-sha1.tlv",
        &phones.join("ITLSEP0000000000D8.tlv"),
    );
    let server = vec![
        "fixtures/ITLFile-regenerated-sha1.tlv".to_owned(),
        "fixtures/signed/SEP001122334455-regenerated.cnf.xml.sgn".to_owned(),
    ];
    for extra in [&[][..], &["--no-tvs"][..]] {
        let csv = audit_csv(root.path(), &server, extra, 1);
        let got = standings(&csv);
        for phone in ["SEP0000000000D7", "SEP0000000000D8"] {
            assert_eq!(got[phone].0, "will_update", "{phone} {extra:?}: {csv}");
        }
    }
    let text = String::from_utf8(
        ctlkit()
            .arg("audit")
            .arg(&phones)
            .args([
                "--against",
                "fixtures/ITLFile-regenerated-sha1.tlv",
                "--no-tvs",
            ])
            .assert()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert!(text.contains("rollback ITL"), "{text}");
}

#[test]
fn the_report_groups_phones_that_hold_the_same_files() {
    let root = mixed_mode_fleet();
    let mut command = ctlkit();
    command.arg("audit").arg(root.path().join("phones"));
    for server in server_after_update() {
        command.args(["--against", &server]);
    }
    let json = json_output(command.args(["--format", "json"]), 1);
    assert_eq!(json["phones"], 11);
    assert_eq!(json["in_sync"], 2);
    assert_eq!(
        json["standings"],
        serde_json::json!({
            "in_sync": 2, "will_update": 4, "needs_tvs": 1, "incomplete": 3, "stuck": 1
        })
    );
    let groups = json["groups"].as_array().unwrap();
    // Worst first: the stuck phone, with the file that blocks it and the remedy.
    assert_eq!(groups[0]["standing"], "stuck");
    assert_eq!(groups[0]["code"], "ctl_rejected");
    assert!(
        groups[0]["reason"].as_str().unwrap().starts_with("CTL: "),
        "{}",
        groups[0]["reason"]
    );
    assert_eq!(groups[0]["files"]["ctl"]["kind"], "ctl");
    assert!(groups[0]["files"]["config"].is_null());
    let old_lists = groups
        .iter()
        .find(|group| group["code"] == "ctl_updates")
        .unwrap();
    assert_eq!(old_lists["count"], 2);
    assert_eq!(
        old_lists["phones"],
        serde_json::json!(["SEP0000000000B1", "SEP0000000000B2"])
    );
    assert_eq!(
        old_lists["files"]["itl"]["md5"],
        ctlkit::Checksums::of(&fixture("ITLFile-sha1.tlv")).md5_hex()
    );
    let ignored: Vec<&str> = json["ignored"]
        .as_array()
        .unwrap()
        .iter()
        .map(|path| path.as_str().unwrap())
        .collect();
    assert_eq!(ignored.len(), 2, "{ignored:?}");
    assert!(ignored.iter().any(|path| path.ends_with("notes.txt")));

    let mut command = ctlkit();
    command.arg("audit").arg(root.path().join("phones"));
    for server in server_after_update() {
        command.args(["--against", &server]);
    }
    let text = String::from_utf8(command.assert().code(1).get_output().stdout.clone()).unwrap();
    let text = text.replace(&root.path().display().to_string(), "ROOT");
    insta::assert_snapshot!(text);
}

#[test]
fn a_non_secure_cluster_over_tftp_and_phones_migrated_from_another_cluster() {
    let Some(server) = Server::start() else {
        return;
    };
    // Not in mixed mode: the TFTP server has no CTLFile.tlv, which is fine.
    server.put("ITLFile.tlv", &fixture("ITLFile-regenerated-sha1.tlv"));
    let root = tempfile::tempdir().unwrap();
    let phones = root.path().join("phones");
    copy(
        "ITLFile-regenerated-sha1.tlv",
        &phones.join("ITLSEP0000000000A1.tlv"),
    );
    copy("ITLFile-sha1.tlv", &phones.join("ITLSEP0000000000A2.tlv"));
    // Moved from another cluster whose ITL names no TVS to ask: stuck, whatever TVS can do.
    copy(
        "ITLFile-csptechnologies.tlv",
        &phones.join("ITLSEP0000000000A3.tlv"),
    );
    let url = format!("tftp://{}/", server.address);
    let csv = audit_csv(root.path(), std::slice::from_ref(&url), &[], 1);
    let got = standings(&csv);
    assert_eq!(got["SEP0000000000A1"].0, "in_sync");
    assert_eq!(got["SEP0000000000A2"].1, "itl_needs_tvs");
    assert_eq!(
        got["SEP0000000000A3"],
        ("stuck".to_owned(), "itl_rejected".to_owned())
    );
    let without = standings(&audit_csv(root.path(), &[url], &["--no-tvs"], 1));
    assert_eq!(
        without["SEP0000000000A2"],
        ("stuck".to_owned(), "itl_rejected".to_owned())
    );
}

#[test]
fn a_fleet_in_sync_exits_0_and_nothing_to_audit_exits_2() {
    let root = tempfile::tempdir().unwrap();
    copy(
        "ITLFile-sha512.tlv",
        &root.path().join("phones/ITLSEP001122334455.tlv"),
    );
    ctlkit()
        .args(["audit", "--against", "fixtures/ITLFile-sha512.tlv"])
        .arg(root.path().join("phones"))
        .assert()
        .code(0);
    ctlkit()
        .args(["audit", "--against", "fixtures/cluster/eToken-A.pem"])
        .arg(root.path().join("phones"))
        .assert()
        .code(2);
    ctlkit()
        .args([
            "audit",
            "--against",
            "fixtures/ITLFile-sha512.tlv",
            "no/such/dir",
        ])
        .assert()
        .code(2);
    ctlkit()
        .args([
            "audit",
            "--against",
            "fixtures/ITLFile-sha512.tlv",
            "--against",
            "fixtures/ITLFile-sha1.tlv",
        ])
        .arg(root.path().join("phones"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("a second server ITL"));
}

#[test]
fn a_file_name_that_is_not_utf8_audits_like_any_other() {
    use std::os::unix::ffi::OsStrExt;
    let root = tempfile::tempdir().unwrap();
    let folder = root
        .path()
        .join(std::ffi::OsStr::from_bytes(b"caf\xe9-phones"));
    copy("ITLFile-sha1.tlv", &folder.join("ITLSEP0000000000A1.tlv"));
    copy(
        "ITLFile-sha1.tlv",
        &folder.join(std::ffi::OsStr::from_bytes(b"ITLSEP0000000000A2\xff.tlv")),
    );
    let json = json_output(
        ctlkit()
            .args([
                "audit",
                "--format",
                "json",
                "--against",
                "fixtures/ITLFile-sha1.tlv",
            ])
            .arg(root.path()),
        0,
    );
    assert_eq!(json["phones"], 2);
}

/// A TFTP transfer of `bytes` named `name` to the phone at `phone`, in 512-byte blocks.
fn tftp_frames(
    phone: ([u8; 4], u16),
    name: &str,
    bytes: &[u8],
) -> Vec<crate::support::capture::Frame> {
    use crate::support::capture::{tftp_data, tftp_read_request, udp_frame};
    let server = ([10, 0, 0, 1], 69);
    let transfer_port = ([10, 0, 0, 1], phone.1.wrapping_add(10_000));
    let mut frames = vec![udp_frame(
        phone,
        server,
        &tftp_read_request(name.as_bytes(), None),
    )];
    let mut blocks: Vec<&[u8]> = bytes.chunks(512).collect();
    if bytes.len().is_multiple_of(512) {
        blocks.push(&[]);
    }
    for (number, block) in blocks.iter().enumerate() {
        let number = u16::try_from(number + 1).unwrap();
        frames.push(udp_frame(transfer_port, phone, &tftp_data(number, block)));
    }
    frames
}

/// Within one capture, what one address fetched is one phone's, named by the MAC any of its
/// names carries; two MACs behind one address stay apart, and the files without a MAC say
/// the address is shared.
#[test]
fn one_address_in_a_capture_is_one_phone() {
    let ctl = fixture("CTLFile-etoken-sha1.tlv");
    let itl = fixture("ITLFile-sha1.tlv");
    let mut frames = Vec::new();
    // One phone: the generic CTL name, its own ITL name.
    frames.extend(tftp_frames(([10, 1, 2, 3], 50_000), "CTLFile.tlv", &ctl));
    frames.extend(tftp_frames(
        ([10, 1, 2, 3], 50_001),
        "ITLSEP00112233AA01.tlv",
        &itl,
    ));
    // Two phones behind one address (a NAT), and a generic name from it.
    frames.extend(tftp_frames(
        ([10, 1, 2, 4], 50_002),
        "ITLSEP00112233BB01.tlv",
        &itl,
    ));
    frames.extend(tftp_frames(
        ([10, 1, 2, 4], 50_003),
        "ITLSEP00112233BB02.tlv",
        &itl,
    ));
    frames.extend(tftp_frames(([10, 1, 2, 4], 50_004), "CTLFile.tlv", &ctl));
    let folder = tempfile::tempdir().unwrap();
    let capture = folder.path().join("boot.pcap");
    fs::write(
        &capture,
        crate::support::capture::write_pcap(&frames, 1, false, false),
    )
    .unwrap();
    let json = json_output(
        ctlkit().arg("audit").arg(&capture).args([
            "--against",
            "fixtures/CTLFile-etoken-sha1.tlv",
            "--against",
            "fixtures/ITLFile-sha1.tlv",
            "--format",
            "json",
        ]),
        1,
    );
    let groups = json["groups"].as_array().unwrap();
    let standing = |phone: &str| {
        groups
            .iter()
            .find(|group| {
                group["phones"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p == phone)
            })
            .map(|group| group["standing"].as_str().unwrap().to_owned())
    };
    let mut phones: Vec<String> = groups
        .iter()
        .flat_map(|group| group["phones"].as_array().unwrap().clone())
        .map(|phone| phone.as_str().unwrap().to_owned())
        .collect();
    phones.sort();
    assert_eq!(
        phones,
        [
            "10.1.2.4 (shared by SEP00112233BB01, SEP00112233BB02)",
            "SEP00112233AA01",
            "SEP00112233BB01",
            "SEP00112233BB02",
        ],
        "{json}"
    );
    assert_eq!(json["phones"], 4);
    // The phone at 10.1.2.3 holds both lists: one phone, in sync.
    assert_eq!(standing("SEP00112233AA01").as_deref(), Some("in_sync"));
    assert_eq!(standing("SEP00112233BB01").as_deref(), Some("incomplete"));
}

#[test]
fn a_capture_is_each_phones_evidence() {
    // The reset wave: two phones received the current ITL, the third the one from before.
    let json = json_output(
        ctlkit().args([
            "audit",
            "fixtures/captures/reset-wave.pcap",
            "--against",
            "fixtures/ITLFile-regenerated-sha1.tlv",
            "--format",
            "json",
        ]),
        1,
    );
    assert_eq!(json["phones"], 3, "{json}");
    assert_eq!(json["in_sync"], 2);
    let stale = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|group| group["standing"] != "in_sync")
        .unwrap();
    assert_eq!(stale["phones"], serde_json::json!(["SEP0011223344A3"]));
    assert_eq!(stale["code"], "itl_needs_tvs");
    // One phone's boot: its CTL, ITL and config, judged together.
    let boot = json_output(
        ctlkit().args([
            "audit",
            "fixtures/captures/phone-boot.pcap",
            "--against",
            "fixtures/CTLFile-etoken-sha1.tlv",
            "--against",
            "fixtures/ITLFile-sha1.tlv",
            "--against",
            "fixtures/signed/SEP001122334455.cnf.xml.sgn",
            "--format",
            "json",
        ]),
        0,
    );
    assert_eq!(boot["phones"], 1, "{boot}");
    assert_eq!(
        boot["groups"][0]["phones"],
        serde_json::json!(["SEP001122334455"])
    );
    assert_eq!(boot["groups"][0]["files"]["config"]["matches_server"], true);
}
