//! Signature verification and the phone's acceptance rule (FORMAT.md §4, §5).

use std::fs;

use assert_cmd::Command;
use ctlkit::{
    Acceptance, DigestAlgorithm, Function, HeldList, Kind, RecordBuilder, SignatureStatus,
    SignerInfo, SignerMatch, TrustList, TrustListBuilder, verify, would_accept,
};
use rsa::PrivateKey;
use rsa::pkcs8::DecodePrivateKey;

fn fixture(name: &str) -> Vec<u8> {
    fs::read(format!("fixtures/{name}")).unwrap()
}

fn key(label: &str) -> PrivateKey {
    PrivateKey::from_pkcs8_pem(
        &fs::read_to_string(format!("fixtures/cluster/{label}.key")).unwrap(),
    )
    .unwrap()
}

fn certificate(label: &str) -> Vec<u8> {
    let pem = pem::parse(fs::read(format!("fixtures/cluster/{label}.pem")).unwrap()).unwrap();
    pem.contents().to_vec()
}

#[test]
fn every_fixture_verifies_with_its_own_signer_record() {
    let expected = [
        ("ITLFile-csptechnologies.tlv", 1),
        ("CTLFile-etoken-sha1.tlv", 1),
        ("CTLFile-etoken-b-sha1.tlv", 2),
        ("CTLFile-etoken-c-sha1.tlv", 1),
        ("CTLFile-nonsecure.tlv", 1),
        ("CTLFile-tokenless-sha512.tlv", 1),
        ("ITLFile-sha1.tlv", 1),
        ("ITLFile-sha512.tlv", 1),
        ("ITLFile-regenerated-sha1.tlv", 1),
    ];
    for (name, signer) in expected {
        let bytes = fixture(name);
        let verification = verify(&TrustList::parse(&bytes).unwrap());
        assert_eq!(
            verification.status,
            SignatureStatus::Valid,
            "{name}: {}",
            verification.reason
        );
        assert_eq!(verification.signer_record, Some(signer), "{name}");
        assert_eq!(
            verification.signer_match,
            Some(SignerMatch::SerialAndIssuer),
            "{name}"
        );
    }
}

#[test]
fn every_single_byte_change_makes_the_file_not_valid() {
    let bytes = fixture("CTLFile-nonsecure.tlv");
    for offset in 0..bytes.len() {
        for flip in [0x01u8, 0x80] {
            let mut damaged = bytes.clone();
            damaged[offset] ^= flip;
            if let Ok(list) = TrustList::parse(&damaged) {
                let verification = verify(&list);
                assert_ne!(
                    verification.status,
                    SignatureStatus::Valid,
                    "byte {offset} ^ {flip:#x} still verifies"
                );
            }
        }
    }
}

/// A mixed-mode CTL whose header names `named`'s serial but which `signer` signs.
fn ctl_signed_by(named: &str, signer: &str) -> Vec<u8> {
    let named_certificate = certificate(named);
    let mut info =
        SignerInfo::from_certificate(&named_certificate, DigestAlgorithm::Sha1, 1024).unwrap();
    info.name = b"impostor".to_vec();
    let signer_key = key(signer);
    TrustListBuilder {
        signer: info,
        filename: "CTLFile.tlv".to_owned(),
        timestamp: 1_768_471_200,
        records: vec![
            RecordBuilder::from_certificate(&named_certificate, Function::Sast, "", [0; 4])
                .unwrap(),
        ],
    }
    .build(|data| ctlkit::sign(&signer_key, DigestAlgorithm::Sha1, data))
    .unwrap()
}

#[test]
fn a_signature_by_another_key_under_a_known_serial_is_invalid() {
    let bytes = ctl_signed_by("eToken-A", "eToken-C");
    let list = TrustList::parse(&bytes).unwrap();
    let verification = verify(&list);
    assert_eq!(verification.status, SignatureStatus::Invalid);
    assert_eq!(verification.signer_record, Some(1));
    assert!(
        verification
            .reason
            .contains("does not match record 1's key"),
        "{}",
        verification.reason
    );

    let held_bytes = fixture("CTLFile-etoken-sha1.tlv");
    let held_list = TrustList::parse(&held_bytes).unwrap();
    let held = [HeldList {
        name: "held.tlv",
        kind: Kind::Ctl,
        list: &held_list,
    }];
    let verdict = would_accept("new.tlv", &list, &verification, &held, true).unwrap();
    assert_eq!(verdict.acceptance, Acceptance::Rejected);
    assert!(
        verdict
            .reason
            .contains("does not verify with that record's key"),
        "{}",
        verdict.reason
    );
}

#[test]
fn unverifiable_when_no_sast_record_matches_the_signer() {
    let mut bytes = fixture("ITLFile-sha1.tlv");
    let list = TrustList::parse(&bytes).unwrap();
    let serial = list.header().find(5).unwrap().offset + 3;
    bytes[serial] ^= 0xff;
    let verification = verify(&TrustList::parse(&bytes).unwrap());
    assert_eq!(verification.status, SignatureStatus::Unverifiable);
    assert_eq!(verification.signer_record, None);
    assert!(
        verification
            .reason
            .starts_with("no SAST record has the signer's serial"),
        "{}",
        verification.reason
    );
}

#[test]
fn unverifiable_for_an_unknown_digest_code_and_a_signature_of_the_wrong_size() {
    let bytes = fixture("ITLFile-sha1.tlv");
    let list = TrustList::parse(&bytes).unwrap();
    let digest = list.header().find(8).unwrap().offset + 3;
    let mut unknown_digest = bytes.clone();
    unknown_digest[digest] = 9;
    let verification = verify(&TrustList::parse(&unknown_digest).unwrap());
    assert_eq!(verification.status, SignatureStatus::Unverifiable);
    assert!(
        verification.reason.contains("digest code 9"),
        "{}",
        verification.reason
    );

    // A 1024-bit token key cannot have made the 256-byte signature of a 2048-bit file.
    let token_signed = ctl_signed_by("eToken-A", "eToken-A");
    let good = verify(&TrustList::parse(&token_signed).unwrap());
    assert_eq!(good.status, SignatureStatus::Valid, "{}", good.reason);
    let mut info =
        SignerInfo::from_certificate(&certificate("eToken-A"), DigestAlgorithm::Sha1, 2048)
            .unwrap();
    info.name = b"x".to_vec();
    let callmanager_key = key("CallManager-cucm-pub");
    let oversized = TrustListBuilder {
        signer: info,
        filename: "CTLFile.tlv".to_owned(),
        timestamp: 0,
        records: vec![
            RecordBuilder::from_certificate(&certificate("eToken-A"), Function::Sast, "", [0; 4])
                .unwrap(),
        ],
    }
    .build(|data| ctlkit::sign(&callmanager_key, DigestAlgorithm::Sha1, data))
    .unwrap();
    let verification = verify(&TrustList::parse(&oversized).unwrap());
    assert_eq!(verification.status, SignatureStatus::Unverifiable);
    assert!(
        verification
            .reason
            .contains("256-byte signature does not fit record 1's 1024-bit key"),
        "{}",
        verification.reason
    );
}

#[test]
fn a_signer_record_without_certificate_is_checked_with_its_publickey() {
    let bytes = fixture("CTLFile-etoken-sha1.tlv");
    let list = TrustList::parse(&bytes).unwrap();
    // Rebuild token A's record without CERTIFICATE: PUBLICKEY alone must do.
    let record = &list.records()[0];
    let mut rebuilt = RecordBuilder::new();
    for element in &record.elements()[1..] {
        if element.tag != 9 {
            rebuilt = rebuilt.element(element.tag, element.value);
        }
    }
    let info = SignerInfo {
        name: list.header().signer_name().unwrap().to_vec(),
        serial: list.header().signer_serial().unwrap().to_vec(),
        issuer: list.header().signer_issuer().unwrap().to_vec(),
        digest: DigestAlgorithm::Sha1,
        signature_bits: 1024,
    };
    let token_a = key("eToken-A");
    let bytes = TrustListBuilder {
        signer: info,
        filename: "CTLFile.tlv".to_owned(),
        timestamp: 0,
        records: vec![rebuilt],
    }
    .build(|data| ctlkit::sign(&token_a, DigestAlgorithm::Sha1, data))
    .unwrap();
    let verification = verify(&TrustList::parse(&bytes).unwrap());
    assert_eq!(
        verification.status,
        SignatureStatus::Valid,
        "{}",
        verification.reason
    );
}

fn acceptance(new: &str, held: &[&str], has_tvs: bool) -> (Acceptance, String) {
    let new_bytes = fixture(new);
    let new_list = TrustList::parse(&new_bytes).unwrap();
    let held_bytes: Vec<Vec<u8>> = held.iter().map(|name| fixture(name)).collect();
    let held_lists: Vec<TrustList<'_>> = held_bytes
        .iter()
        .map(|bytes| TrustList::parse(bytes).unwrap())
        .collect();
    let held: Vec<HeldList<'_, '_>> = held
        .iter()
        .zip(&held_lists)
        .map(|(name, list)| HeldList {
            name,
            kind: list.kind().unwrap(),
            list,
        })
        .collect();
    let verdict = would_accept(new, &new_list, &verify(&new_list), &held, has_tvs).unwrap();
    (verdict.acceptance, verdict.reason)
}

#[test]
fn a_ctl_signed_by_the_other_known_token_is_accepted() {
    let (verdict, reason) = acceptance(
        "CTLFile-etoken-b-sha1.tlv",
        &["CTLFile-etoken-sha1.tlv"],
        true,
    );
    assert_eq!(verdict, Acceptance::Accepted, "{reason}");
    assert!(reason.contains("lists as SAST record 2"), "{reason}");
}

#[test]
fn a_ctl_signed_by_an_unknown_token_is_rejected_with_a_remedy() {
    let (verdict, reason) = acceptance(
        "CTLFile-etoken-c-sha1.tlv",
        &["CTLFile-etoken-sha1.tlv"],
        true,
    );
    assert_eq!(verdict, Acceptance::Rejected, "{reason}");
    assert!(
        reason.contains("SAST-ADN7a0c33d2"),
        "names the signer: {reason}"
    );
    assert!(
        reason.contains("SAST-ADN4e31f914") && reason.contains("SAST-ADN008580ef"),
        "names the anchors: {reason}"
    );
    assert!(reason.contains("Remedy:"), "{reason}");
}

#[test]
fn an_itl_resigned_after_callmanager_regeneration_depends_on_tvs() {
    let (verdict, reason) = acceptance("ITLFile-regenerated-sha1.tlv", &["ITLFile-sha1.tlv"], true);
    assert_eq!(verdict, Acceptance::AcceptedIfTvsVouches, "{reason}");
    assert!(reason.contains("asks TVS (cucm-pub)"), "{reason}");
    let (verdict, reason) =
        acceptance("ITLFile-regenerated-sha1.tlv", &["ITLFile-sha1.tlv"], false);
    assert_eq!(verdict, Acceptance::Rejected, "{reason}");
    assert!(reason.contains("utils itl reset"), "{reason}");
}

#[test]
fn a_held_ctl_takes_precedence_over_a_held_itl() {
    // The ITL signed by CallManager: a phone with only the ITL accepts it; a phone that also
    // holds the token-signed CTL checks it against the CTL, which does not list CallManager
    // as SAST, and has no TVS record, so it is rejected.
    let (alone, _) = acceptance("ITLFile-sha1.tlv", &["ITLFile-sha1.tlv"], true);
    assert_eq!(alone, Acceptance::Accepted);
    let (with_ctl, reason) = acceptance(
        "ITLFile-sha1.tlv",
        &["ITLFile-sha1.tlv", "CTLFile-etoken-sha1.tlv"],
        true,
    );
    assert_eq!(with_ctl, Acceptance::Rejected, "{reason}");
}

#[test]
fn the_tokenless_ctl_accepts_the_itlrecovery_signed_itl() {
    let (verdict, reason) = acceptance(
        "ITLFile-sha512.tlv",
        &["CTLFile-tokenless-sha512.tlv"],
        true,
    );
    assert_eq!(verdict, Acceptance::Accepted, "{reason}");
}

fn ctlkit() -> Command {
    Command::cargo_bin("ctlkit").unwrap()
}

#[test]
fn cli_exit_codes() {
    ctlkit()
        .args(["verify", "fixtures/ITLFile-csptechnologies.tlv"])
        .assert()
        .code(0);
    ctlkit()
        .args([
            "verify",
            "fixtures/CTLFile-etoken-b-sha1.tlv",
            "--trust",
            "fixtures/CTLFile-etoken-sha1.tlv",
        ])
        .assert()
        .code(0);
    ctlkit()
        .args([
            "verify",
            "fixtures/CTLFile-etoken-c-sha1.tlv",
            "--trust",
            "fixtures/CTLFile-etoken-sha1.tlv",
        ])
        .assert()
        .code(1);
    ctlkit()
        .args([
            "verify",
            "fixtures/ITLFile-regenerated-sha1.tlv",
            "--trust",
            "fixtures/ITLFile-sha1.tlv",
        ])
        .assert()
        .code(1);
    let dir = tempfile::tempdir().unwrap();
    let tampered = dir.path().join("CTLFile.tlv");
    let mut bytes = fixture("CTLFile-nonsecure.tlv");
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    fs::write(&tampered, bytes).unwrap();
    ctlkit().arg("verify").arg(&tampered).assert().code(1);
    ctlkit()
        .args(["verify", "fixtures/cluster/eToken-A.pem"])
        .assert()
        .code(2);
    ctlkit()
        .args([
            "verify",
            "fixtures/ITLFile-sha1.tlv",
            "--trust",
            "missing.tlv",
        ])
        .assert()
        .code(2);
    ctlkit()
        .args(["verify", "fixtures/ITLFile-sha1.tlv", "--no-tvs"])
        .assert()
        .code(2);
}

#[test]
fn cli_json() {
    let output = ctlkit()
        .args([
            "verify",
            "--format",
            "json",
            "fixtures/CTLFile-etoken-c-sha1.tlv",
            "--trust",
            "fixtures/CTLFile-etoken-sha1.tlv",
        ])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["status"], "valid");
    assert_eq!(json["signer_record"], 1);
    assert_eq!(json["accepted"], false);
    assert_eq!(json["acceptance"], "rejected");
    assert!(
        json["accepted_reason"]
            .as_str()
            .unwrap()
            .contains("rejects")
    );
    assert!(
        json["reason"]
            .as_str()
            .unwrap()
            .starts_with("signed by record 1")
    );

    let output = ctlkit()
        .args(["verify", "--format", "json", "fixtures/ITLFile-sha1.tlv"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(json["accepted"].is_null() && json["acceptance"].is_null());
}
