//! `check`: the cluster's certificates against the trust list, and expiry.

use crate::support::{certificate, ctlkit, fixture, generate, json_output, pem_path};
use ctlkit::check::{Cause, CheckStatus, Finding, Role, ServerCertificate};
use ctlkit::report::{CheckJson, CheckReport, Render};
use ctlkit::{TrustList, check};
use predicates::prelude::*;
use time::OffsetDateTime;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2026-11-29 12:00:00 UTC);

fn server(role: Role, label: &str) -> ServerCertificate {
    ServerCertificate {
        path: pem_path(label),
        role,
        der: certificate(label),
    }
}

fn findings(file: &str, certificates: &[ServerCertificate], warn_days: u32) -> Vec<Finding> {
    let bytes = fixture(file);
    let list = TrustList::parse(&bytes).unwrap();
    check(&list, list.kind().unwrap(), certificates, NOW, warn_days).unwrap()
}

/// What the report makes of the findings: roles, details and advice in words.
fn rendered(findings: &[Finding]) -> CheckJson {
    CheckReport {
        file: "file.tlv",
        findings,
    }
    .json()
}

fn text(file: &str, findings: &[Finding], color: bool) -> String {
    CheckReport { file, findings }.text(color)
}

fn statuses(findings: &[Finding]) -> Vec<(String, CheckStatus, Option<usize>)> {
    findings
        .iter()
        .zip(rendered(findings).findings)
        .map(|(finding, json)| (json.role, finding.status, finding.record))
        .collect()
}

#[test]
fn a_multi_node_cluster_in_sync() {
    let found = findings(
        "CTLFile-etoken-sha1.tlv",
        &[
            server(Role::CallManager, "CallManager-cucm-pub"),
            server(Role::CallManager, "CallManager-cucm-sub1"),
            server(Role::Capf, "CAPF-cucm-pub"),
        ],
        30,
    );
    assert_eq!(
        statuses(&found),
        [
            ("CallManager".to_owned(), CheckStatus::Match, Some(3)),
            ("CallManager".to_owned(), CheckStatus::Match, Some(4)),
            ("CAPF".to_owned(), CheckStatus::Match, Some(5)),
        ]
    );
    assert!(
        found
            .iter()
            .all(|finding| finding.cause == Cause::HoldsCertificate)
    );
    let json = rendered(&found);
    assert!(json.findings.iter().all(|finding| finding.advice.is_none()));
    assert!(json.in_sync);
}

#[test]
fn a_ctl_signed_before_callmanager_was_regenerated_is_stale() {
    let found = findings(
        "CTLFile-etoken-sha1.tlv",
        &[server(
            Role::CallManager,
            "CallManager-cucm-pub-regenerated",
        )],
        30,
    );
    assert_eq!(found.len(), 1);
    let finding = &found[0];
    assert_eq!(finding.status, CheckStatus::Stale);
    assert_eq!(finding.record, Some(3));
    assert!(matches!(
        finding.cause,
        Cause::OtherCertificate {
            signed_before: Some(_),
            ..
        }
    ));
    let json = rendered(&found);
    let finding = &json.findings[0];
    assert_eq!(finding.code, "signed_before_certificate");
    assert_eq!(
        finding.file_serial.as_deref(),
        Some("5C:1D:0A:91:22:47:8E:01")
    );
    assert_eq!(
        finding.server_serial.as_deref(),
        Some("6D:02:E1:58:9C:33:70:07")
    );
    assert!(
        finding.detail.contains("generated 2024-01-01")
            && finding.detail.contains("generated 2026-03-01"),
        "{}",
        finding.detail
    );
    let advice = finding.advice.as_deref().unwrap_or_default();
    assert!(advice.contains("utils ctl update CTLFile"), "{advice}");
    assert!(!json.in_sync);
}

#[test]
fn after_the_ctl_update_the_regenerated_certificate_matches() {
    let found = findings(
        "CTLFile-updated-sha1.tlv",
        &[
            server(Role::CallManager, "CallManager-cucm-pub-regenerated"),
            server(Role::CallManager, "CallManager-cucm-sub1"),
        ],
        30,
    );
    assert!(
        found
            .iter()
            .all(|finding| finding.status == CheckStatus::Match),
        "{found:#?}"
    );
}

#[test]
fn an_old_certificate_against_an_updated_ctl_is_a_mismatch() {
    // The CTL is newer than the certificate: not stale, just another certificate.
    let found = findings(
        "CTLFile-updated-sha1.tlv",
        &[server(Role::CallManager, "CallManager-cucm-pub")],
        30,
    );
    assert_eq!(
        statuses(&found),
        [("CallManager".to_owned(), CheckStatus::Mismatch, Some(3))]
    );
}

#[test]
fn a_non_secure_ctl_is_missing_the_certificates() {
    let found = findings(
        "CTLFile-nonsecure.tlv",
        &[server(Role::CallManager, "CallManager-cucm-pub")],
        30,
    );
    assert_eq!(
        statuses(&found),
        [("CallManager".to_owned(), CheckStatus::Missing, Some(3))]
    );
    let json = rendered(&found);
    assert_eq!(json.findings[0].code, "record_without_certificate");
    assert!(json.findings[0].detail.contains("without a certificate"));
    assert!(
        json.findings[0]
            .advice
            .as_deref()
            .is_some_and(|advice| advice.contains("mixed mode"))
    );
}

#[test]
fn a_certificate_with_no_record_is_missing() {
    // The ITL of 8.0–11.x lists the publisher's TVS only.
    let found = findings(
        "ITLFile-sha1.tlv",
        &[server(Role::Tvs, "TVS-cucm-sub1")],
        30,
    );
    assert_eq!(
        statuses(&found),
        [("TVS".to_owned(), CheckStatus::Missing, None)]
    );
}

/// Each list is judged by what CUCM puts in that kind: a CTL never carries TVS, and a TFTP
/// node's ITL carries its own CallManager certificate, not the other nodes'.
#[test]
fn each_kind_of_list_is_judged_by_what_cucm_puts_in_it() {
    let found = findings(
        "CTLFile-etoken-sha1.tlv",
        &[server(Role::Tvs, "TVS-cucm-pub")],
        30,
    );
    assert_eq!(
        statuses(&found),
        [("TVS".to_owned(), CheckStatus::NotExpected, None)]
    );
    assert_eq!(found[0].cause, Cause::NotCarriedByKind);
    assert!(ctlkit::check::in_sync(&found));

    // ITLFile-sha1.tlv is cucm-pub's; the README gives every node's CallManager.pem.
    let found = findings(
        "ITLFile-sha1.tlv",
        &[
            server(Role::CallManager, "CallManager-cucm-pub"),
            server(Role::CallManager, "CallManager-cucm-sub1"),
        ],
        30,
    );
    assert_eq!(
        statuses(&found),
        [
            ("CallManager".to_owned(), CheckStatus::Match, Some(1)),
            ("CallManager".to_owned(), CheckStatus::Match, Some(2)),
            ("CallManager".to_owned(), CheckStatus::NotExpected, None),
        ]
    );
    assert_eq!(
        found[2].cause,
        Cause::OtherNodesItl {
            nodes: vec!["cucm-pub".to_owned()]
        }
    );
    let json = rendered(&found);
    assert_eq!(json.findings[2].code, "other_nodes_itl");
    assert!(
        json.findings[2]
            .advice
            .as_deref()
            .is_some_and(|advice| advice.contains("its own node")),
        "{:?}",
        json.findings[2].advice
    );
    for list in ["CTLFile-etoken-sha1.tlv", "ITLFile-sha1.tlv"] {
        ctlkit()
            .args(["check", &format!("fixtures/{list}")])
            .args(["--callmanager", &pem_path("CallManager-cucm-pub")])
            .args(["--callmanager", &pem_path("CallManager-cucm-sub1")])
            .args(["--tvs", &pem_path("TVS-cucm-pub")])
            .args(["--capf", &pem_path("CAPF-cucm-pub")])
            .assert()
            .code(0)
            .stdout(predicate::str::contains("in sync").and(predicate::str::contains("NOT").not()));
    }
    // A regenerated certificate of the ITL's own node is stale or a mismatch, never another
    // node's.
    let found = findings(
        "ITLFile-sha1.tlv",
        &[server(
            Role::CallManager,
            "CallManager-cucm-pub-regenerated",
        )],
        30,
    );
    assert!(
        found
            .iter()
            .all(|finding| matches!(finding.status, CheckStatus::Stale | CheckStatus::Mismatch)),
        "{found:?}"
    );
}

/// CUCM 14's multi-server SAN certificate: one CallManager certificate serves every node, so
/// a CTL carries it in one record per node. That is normal: every record matches, and `lint`
/// does not call the records duplicates.
#[test]
fn one_multi_server_certificate_in_a_record_per_node_is_normal() {
    let cluster = generate::Cluster::new();
    let shared = &cluster.callmanager_pub;
    let bytes = generate::multi_server_ctl(&cluster);
    let list = TrustList::parse(&bytes).unwrap();
    let given = [ServerCertificate {
        path: "CallManager.pem".to_owned(),
        role: Role::CallManager,
        der: shared.certificate.clone(),
    }];
    let found = check(
        &list,
        ctlkit::Kind::Ctl,
        &given,
        datetime!(2026-11-29 0:00 UTC),
        0,
    )
    .unwrap();
    assert_eq!(
        statuses(&found),
        [
            ("CallManager".to_owned(), CheckStatus::Match, Some(3)),
            ("CallManager".to_owned(), CheckStatus::Match, Some(4)),
        ]
    );
    let options = ctlkit::lint::LintOptions {
        certificates: &given,
        release: Some(ctlkit::lint::Release::V14),
        now: datetime!(2026-11-29 0:00 UTC),
        warn_days: 0,
        expect_rollback: false,
        recovery_signed_itl: None,
    };
    let rules: Vec<&str> = ctlkit::lint(
        &ctlkit::CiscoFile::TrustList(list),
        ctlkit::Kind::Ctl,
        &options,
    )
    .unwrap()
    .iter()
    .map(|finding| finding.lint.rule())
    .collect();
    assert!(!rules.contains(&"ROL004"), "{rules:?}");
    assert!(!rules.contains(&"CER001"), "{rules:?}");
}

#[test]
fn in_an_itl_callmanager_is_also_the_signing_sast_record() {
    let found = findings(
        "ITLFile-sha1.tlv",
        &[
            server(Role::CallManager, "CallManager-cucm-pub"),
            server(Role::Tvs, "TVS-cucm-pub"),
            server(Role::Capf, "CAPF-cucm-pub"),
        ],
        30,
    );
    assert_eq!(
        statuses(&found),
        [
            ("CallManager".to_owned(), CheckStatus::Match, Some(1)),
            ("CallManager".to_owned(), CheckStatus::Match, Some(2)),
            ("TVS".to_owned(), CheckStatus::Match, Some(3)),
            ("CAPF".to_owned(), CheckStatus::Match, Some(4)),
        ]
    );
    let itl_recovery = findings(
        "ITLFile-sha512.tlv",
        &[server(Role::ItlRecovery, "ITLRecovery-cucm-pub")],
        30,
    );
    assert_eq!(
        statuses(&itl_recovery),
        [("ITLRecovery".to_owned(), CheckStatus::Match, Some(1))]
    );
}

#[test]
fn expired_and_expiring_record_certificates() {
    let found = findings(
        "ITLFile-expired-capf-sha1.tlv",
        &[server(Role::Capf, "CAPF-cucm-pub")],
        30,
    );
    assert_eq!(
        statuses(&found),
        [
            ("CAPF".to_owned(), CheckStatus::Mismatch, Some(4)),
            ("CAPF".to_owned(), CheckStatus::Expired, Some(4)),
        ]
    );
    // The eToken certificates end 2030-06-01: expiring within 1,400 days of 2026-11-29, which
    // is only a warning.
    let found = findings("CTLFile-etoken-sha1.tlv", &[], 1_400);
    assert_eq!(
        statuses(&found),
        [
            ("SAST".to_owned(), CheckStatus::Expiring, Some(1)),
            ("SAST".to_owned(), CheckStatus::Expiring, Some(2))
        ]
    );
    assert!(rendered(&found).in_sync);
    assert!(findings("CTLFile-etoken-sha1.tlv", &[], 1_200).is_empty());
}

#[test]
fn text_table_snapshot() {
    let found = findings(
        "CTLFile-etoken-sha1.tlv",
        &[
            server(Role::CallManager, "CallManager-cucm-pub-regenerated"),
            server(Role::CallManager, "CallManager-cucm-sub1"),
            server(Role::Capf, "CAPF-cucm-pub"),
            server(Role::Tvs, "TVS-cucm-pub"),
        ],
        1_400,
    );
    insta::assert_snapshot!(text("CTLFile.tlv", &found, false));
    assert!(text("CTLFile.tlv", &found, true).contains("\u{1b}[31mstale"));
}

#[test]
fn expired_itl_snapshot() {
    let found = findings(
        "ITLFile-expired-capf-sha1.tlv",
        &[
            server(Role::CallManager, "CallManager-cucm-pub"),
            server(Role::Capf, "CAPF-cucm-pub"),
        ],
        30,
    );
    insta::assert_snapshot!(text("ITLFile.tlv", &found, false));
}

#[test]
fn cli_exit_codes_and_json() {
    ctlkit()
        .args(["check", "fixtures/CTLFile-etoken-sha1.tlv"])
        .args(["--callmanager", "fixtures/cluster/CallManager-cucm-pub.pem"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("in sync").and(predicate::str::contains("\u{1b}[").not()));
    let json = json_output(
        ctlkit()
            .args([
                "check",
                "--format",
                "json",
                "fixtures/CTLFile-etoken-sha1.tlv",
            ])
            .args([
                "--callmanager",
                "fixtures/cluster/CallManager-cucm-pub-regenerated.pem",
            ]),
        1,
    );
    assert_eq!(json["in_sync"], false);
    let finding = &json["findings"][0];
    assert_eq!(
        finding["certificate"],
        "fixtures/cluster/CallManager-cucm-pub-regenerated.pem"
    );
    assert_eq!(finding["role"], "CallManager");
    assert_eq!(finding["status"], "stale");
    assert_eq!(finding["record"], 3);
    assert_eq!(finding["file_serial"], "5C:1D:0A:91:22:47:8E:01");
    assert_eq!(finding["server_serial"], "6D:02:E1:58:9C:33:70:07");
    assert_eq!(finding["not_before"], "2026-03-01T00:00:00Z");
    assert_eq!(finding["not_after"], "2046-03-01T00:00:00Z");
    assert!(
        finding["advice"]
            .as_str()
            .unwrap()
            .contains("restart Cisco TFTP")
    );
    ctlkit()
        .args(["check", "fixtures/ITLFile-expired-capf-sha1.tlv"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("expired"));
    ctlkit()
        .args([
            "check",
            "fixtures/CTLFile-etoken-sha1.tlv",
            "--capf",
            "fixtures/ITLFile-sha1.tlv",
        ])
        .assert()
        .code(2);
    ctlkit()
        .args([
            "check",
            "fixtures/cluster/CAPF-cucm-pub.pem",
            "--capf",
            "fixtures/cluster/CAPF-cucm-pub.pem",
        ])
        .assert()
        .code(2);
    ctlkit().args(["check", "missing.tlv"]).assert().code(2);
}

#[test]
fn a_certificate_with_another_subject_still_pairs_by_host_name() {
    // CallManager.pem re-issued for cucm-pub with another organisation: its subject differs from
    // what record 3 holds, but the record's DNSNAME is the certificate's CN, so it is that
    // record's certificate, and the record holds another one.
    let reissued = generate::self_signed(
        "reissued-other-subject",
        "CN=cucm-pub,O=Other Org",
        &[0x77],
        2048,
    );
    let certificate = ServerCertificate {
        path: "CallManager.pem".to_owned(),
        role: Role::CallManager,
        der: reissued.certificate,
    };
    let found = findings("CTLFile-etoken-sha1.tlv", &[certificate], 30);
    assert_eq!(
        statuses(&found),
        [("CallManager".to_owned(), CheckStatus::Mismatch, Some(3))]
    );
}
