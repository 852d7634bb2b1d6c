//! A definitive TVS answer: given what the cluster's TVS trusts (`--tvs-trusts`), "accepted only
//! if TVS vouches" becomes accepted (naming the certificate and its store) or rejected (saying
//! which store the signer must be imported into); without it the answer stays open.

use std::fs;

use crate::support::{ctlkit, json_output};

const REGENERATED_CONFIG: &str = "fixtures/signed/SEP001122334455-regenerated.cnf.xml.sgn";
const OTHER_CLUSTER_CONFIG: &str = "fixtures/signed/SEP001122334455-other-cluster.cnf.xml.sgn";

/// A folder laid out as OS Administration > Certificate Management exports: a
/// `CallManager-trust` folder holding the regenerated certificate, and TVS.pem beside it.
fn tvs_store() -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    let trust = folder.path().join("CallManager-trust");
    fs::create_dir(&trust).unwrap();
    fs::copy(
        "fixtures/cluster/CallManager-cucm-pub-regenerated.pem",
        trust.join("cucm-pub-regenerated.pem"),
    )
    .unwrap();
    fs::copy(
        "fixtures/cluster/TVS-cucm-pub.pem",
        folder.path().join("TVS.pem"),
    )
    .unwrap();
    fs::copy(
        "fixtures/cluster/TVS-cucm-pub.key",
        folder.path().join("TVS.key"),
    )
    .unwrap();
    folder
}

fn verify_row(file: &str, extra: &[&std::ffi::OsStr], code: i32) -> serde_json::Value {
    let json = json_output(
        ctlkit()
            .args([
                "verify",
                "--format",
                "json",
                "--trust",
                "fixtures/ITLFile-sha1.tlv",
                file,
            ])
            .args(extra),
        code,
    );
    json["rows"][0].clone()
}

#[test]
fn tvs_that_trusts_the_signer_makes_it_accepted_naming_the_store() {
    let store = tvs_store();
    let row = verify_row(
        REGENERATED_CONFIG,
        &["--tvs-trusts".as_ref(), store.path().as_os_str()],
        0,
    );
    assert_eq!(row["acceptance"], "accepted", "{row}");
    assert_eq!(row["acceptance_code"], "tvs_vouches");
    let reason = row["acceptance_reason"].as_str().unwrap();
    assert!(
        reason.contains("in its CallManager-trust store"),
        "{reason}"
    );
    // The signature shown is the one the phone checks: with the certificate TVS gave.
    assert_eq!(row["signature"]["status"], "valid");
    // Without the knowledge, the same file stays open — and a "no".
    let open = verify_row(REGENERATED_CONFIG, &[], 1);
    assert_eq!(open["acceptance"], "accepted_if_tvs_vouches");
}

#[test]
fn tvs_that_does_not_know_the_signer_makes_it_rejected_with_the_store_to_import_into() {
    let store = tvs_store();
    let row = verify_row(
        OTHER_CLUSTER_CONFIG,
        &["--tvs-trusts".as_ref(), store.path().as_os_str()],
        1,
    );
    assert_eq!(row["acceptance"], "rejected", "{row}");
    assert_eq!(row["acceptance_code"], "tvs_does_not_know_signer");
    let reason = row["acceptance_reason"].as_str().unwrap();
    assert!(reason.contains("Import the signer's certificate into the CallManager-trust store"));
    assert!(
        reason.contains("CN=cucm-b-pub"),
        "names the signer: {reason}"
    );
    // A phone that cannot ask TVS rejects whatever TVS knows.
    let no_tvs = verify_row(
        REGENERATED_CONFIG,
        &[
            "--no-tvs".as_ref(),
            "--tvs-trusts".as_ref(),
            store.path().as_os_str(),
        ],
        1,
    );
    assert_eq!(no_tvs["acceptance_code"], "phone_cannot_ask_tvs");
    // Its remedy does not send the admin to a TVS the phone cannot ask.
    let remedy = no_tvs["acceptance_reason"].as_str().unwrap();
    assert!(remedy.contains("Remedy: sign it with a key"), "{remedy}");
    assert!(!remedy.contains("TVS vouch"), "{remedy}");
}

#[test]
fn sweeps_diff_and_audit_take_the_same_answer() {
    let store = tvs_store();
    let json = json_output(
        ctlkit()
            .args([
                "verify",
                "--format",
                "json",
                "--trust",
                "fixtures/ITLFile-sha1.tlv",
            ])
            .args([REGENERATED_CONFIG, OTHER_CLUSTER_CONFIG, "--tvs-trusts"])
            .arg(store.path()),
        1,
    );
    assert_eq!(json["counts"]["accepted_if_tvs_vouches"], 0);
    assert_eq!(json["counts"]["accepted"], 1);
    assert_eq!(json["counts"]["rejected"], 1);

    let diff = |extra: &[&std::ffi::OsStr], code| {
        json_output(
            ctlkit()
                .args(["diff", "--format", "json"])
                .args([
                    "fixtures/ITLFile-sha1.tlv",
                    "fixtures/ITLFile-regenerated-sha1.tlv",
                ])
                .args(extra),
            code,
        )
    };
    assert_eq!(diff(&[], 1)["acceptance_code"], "tvs_may_vouch");
    let known = diff(&["--tvs-trusts".as_ref(), store.path().as_os_str()], 1);
    assert_eq!(known["acceptance"], "accepted");
    assert_eq!(known["acceptance_code"], "tvs_vouches");

    let audit = |extra: &[&std::ffi::OsStr]| {
        json_output(
            ctlkit()
                .args(["audit", "--format", "json", "fixtures/ITLFile-sha1.tlv"])
                .args(["--against", "fixtures/ITLFile-regenerated-sha1.tlv"])
                .args(extra),
            1,
        )
    };
    assert_eq!(audit(&[])["groups"][0]["standing"], "needs_tvs");
    let known = audit(&["--tvs-trusts".as_ref(), store.path().as_os_str()]);
    assert_eq!(known["groups"][0]["standing"], "will_update", "{known}");
}

#[test]
fn a_tvs_store_without_certificates_is_refused_not_taken_as_trusting_nothing() {
    let empty = tempfile::tempdir().unwrap();
    fs::copy(
        "fixtures/cluster/TVS-cucm-pub.key",
        empty.path().join("TVS.key"),
    )
    .unwrap();
    ctlkit()
        .args([
            "verify",
            "--trust",
            "fixtures/ITLFile-sha1.tlv",
            REGENERATED_CONFIG,
        ])
        .arg("--tvs-trusts")
        .arg(empty.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--tvs-trusts: no certificate found",
        ));
    ctlkit()
        .args([
            "verify",
            "--trust",
            "fixtures/ITLFile-sha1.tlv",
            REGENERATED_CONFIG,
        ])
        .args(["--tvs-trusts", "fixtures/cluster/TVS-cucm-pub.key"])
        .assert()
        .code(2);
}
