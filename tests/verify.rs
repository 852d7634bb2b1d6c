//! Signature verification and the phone's acceptance rule (docs/FORMAT.md §4, §5).

use std::fs;

use crate::support::{certificate, ctlkit, fixture, generate, held, json_output, key, verify_one};
use ctlkit::acceptance::AcceptanceReason;
use ctlkit::format::{
    Outcome, RecordBuilder, SignatureStatus, SignerInfo, SignerMatch, TrustListBuilder,
};
use ctlkit::{
    Acceptance, DigestAlgorithm, Function, HeldList, Kind, TrustList, Verification, verify,
    would_accept,
};
use predicates::prelude::*;

/// The sentence the report gives for a verification.
fn sentence(verification: &Verification) -> String {
    verify_one("f", verification, None)
        .1
        .signature
        .unwrap()
        .reason
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
            "{name}: {verification:?}"
        );
        assert_eq!(verification.signer_record(), Some(signer), "{name}");
        assert_eq!(
            verification.signer_match(),
            Some(SignerMatch::SerialAndIssuer),
            "{name}"
        );
        assert_eq!(verification.outcome.code(), "signed");
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
        signer_version: None,
        signer: info,
        filename: "CTLFile.tlv".to_owned(),
        timestamp: 1_768_471_200,
        records: vec![
            RecordBuilder::from_certificate(&named_certificate, Function::Sast, "", [0; 4])
                .unwrap(),
        ],
    }
    .build(|data| ctlkit::format::sign(&signer_key, DigestAlgorithm::Sha1, data))
    .unwrap()
}

#[test]
fn a_signature_by_another_key_under_a_known_serial_is_invalid() {
    let bytes = ctl_signed_by("eToken-A", "eToken-C");
    let list = TrustList::parse(&bytes).unwrap();
    let verification = verify(&list);
    assert_eq!(verification.status, SignatureStatus::Invalid);
    assert_eq!(verification.outcome, Outcome::SignatureMismatch);
    assert_eq!(verification.signer_record(), Some(1));
    let text = sentence(&verification);
    assert!(text.contains("does not match record 1's key"), "{text}");

    let held_bytes = fixture("CTLFile-etoken-sha1.tlv");
    let held_list = TrustList::parse(&held_bytes).unwrap();
    let holding = [HeldList {
        name: "held.tlv",
        kind: Kind::Ctl,
        list: &held_list,
    }];
    let verdict = would_accept(&list, Kind::Ctl, &verification, &holding, true).unwrap();
    assert_eq!(verdict.acceptance, Acceptance::Rejected);
    assert_eq!(verdict.reason, AcceptanceReason::HeldKeyMismatch);
    let (text, _) = verify_one("new.tlv", &verification, Some(&verdict));
    assert!(
        text.contains("does not verify with that record's key"),
        "{text}"
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
    assert_eq!(verification.signer_record(), None);
    assert!(matches!(
        verification.outcome,
        Outcome::SignerNotFound { ref allowed, .. } if allowed == &[Function::Sast]
    ));
    let text = sentence(&verification);
    assert!(
        text.starts_with("no SAST record has the signer's serial"),
        "{text}"
    );
}

#[test]
fn a_missing_digest_element_is_named_as_missing_not_as_code_0() {
    let mut bytes = fixture("ITLFile-sha1.tlv");
    let list = TrustList::parse(&bytes).unwrap();
    let digest = list.header().find(8).unwrap().offset;
    // Same length, another tag: the header still parses, but has no DIGESTALGORTITHM.
    bytes[digest] = 99;
    let verification = verify(&TrustList::parse(&bytes).unwrap());
    assert_eq!(verification.outcome, Outcome::DigestMissing);
    assert_eq!(verification.signer_record(), Some(1));
    assert_eq!(
        sentence(&verification),
        "the header has no DIGESTALGORTITHM element"
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
    assert_eq!(verification.outcome, Outcome::DigestUnsupported { code: 9 });
    assert!(sentence(&verification).contains("digest code 9"));

    // A 1024-bit token key cannot have made the 256-byte signature of a 2048-bit file.
    let token_signed = ctl_signed_by("eToken-A", "eToken-A");
    let good = verify(&TrustList::parse(&token_signed).unwrap());
    assert_eq!(good.status, SignatureStatus::Valid, "{good:?}");
    let mut info =
        SignerInfo::from_certificate(&certificate("eToken-A"), DigestAlgorithm::Sha1, 2048)
            .unwrap();
    info.name = b"x".to_vec();
    let callmanager_key = key("CallManager-cucm-pub");
    let oversized = TrustListBuilder {
        signer_version: None,
        signer: info,
        filename: "CTLFile.tlv".to_owned(),
        timestamp: 0,
        records: vec![
            RecordBuilder::from_certificate(&certificate("eToken-A"), Function::Sast, "", [0; 4])
                .unwrap(),
        ],
    }
    .build(|data| ctlkit::format::sign(&callmanager_key, DigestAlgorithm::Sha1, data))
    .unwrap();
    let verification = verify(&TrustList::parse(&oversized).unwrap());
    assert_eq!(verification.status, SignatureStatus::Unverifiable);
    assert_eq!(
        verification.outcome,
        Outcome::SignatureSizeMismatch {
            signature_bytes: 256,
            key_bits: 1024
        }
    );
    assert!(
        sentence(&verification).contains("256-byte signature does not fit record 1's 1024-bit key")
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
        serial: list.header().signer_serial().unwrap().as_bytes().to_vec(),
        issuer: list.header().signer_issuer().unwrap().to_vec(),
        digest: DigestAlgorithm::Sha1,
        signature_bits: 1024,
    };
    let token_a = key("eToken-A");
    let bytes = TrustListBuilder {
        signer_version: None,
        signer: info,
        filename: "CTLFile.tlv".to_owned(),
        timestamp: 0,
        records: vec![rebuilt],
    }
    .build(|data| ctlkit::format::sign(&token_a, DigestAlgorithm::Sha1, data))
    .unwrap();
    let verification = verify(&TrustList::parse(&bytes).unwrap());
    assert_eq!(
        verification.status,
        SignatureStatus::Valid,
        "{verification:?}"
    );
}

/// What a phone holding the `held` fixtures does with the `new` fixture, and the sentence the
/// report gives for it.
fn acceptance(new: &str, held_names: &[&str], has_tvs: bool) -> (Acceptance, String, String) {
    let new_bytes = fixture(new);
    let new_list = TrustList::parse(&new_bytes).unwrap();
    let held_bytes: Vec<Vec<u8>> = held_names.iter().map(|name| fixture(name)).collect();
    let held_lists: Vec<TrustList<'_>> = held_bytes
        .iter()
        .map(|bytes| TrustList::parse(bytes).unwrap())
        .collect();
    let holding: Vec<HeldList<'_, '_>> = held_names
        .iter()
        .zip(&held_lists)
        .map(|(name, list)| held(name, list))
        .collect();
    let own = verify(&new_list);
    let verdict =
        would_accept(&new_list, new_list.kind().unwrap(), &own, &holding, has_tvs).unwrap();
    let (_, json) = verify_one(new, &own, Some(&verdict));
    (
        verdict.acceptance,
        verdict.reason.code().to_owned(),
        json.acceptance_reason.unwrap(),
    )
}

/// Every held-set shape (CTL only, ITL only, both) against each kind of new file, with the
/// rules of docs/FORMAT.md §5.
#[test]
fn the_acceptance_rules_for_every_held_set_and_file_kind() {
    use Acceptance::{Accepted, AcceptedIfTvsVouches, Rejected};
    let ctl = "CTLFile-etoken-sha1.tlv";
    let itl = "ITLFile-sha1.tlv";
    let rollback = "ITLFile-rollback-sha1.tlv";
    let cases: [(&str, &[&str], bool, Acceptance, &str); 24] = [
        // CTL only.
        (
            "CTLFile-etoken-b-sha1.tlv",
            &[ctl],
            true,
            Accepted,
            "signed_by_held_record",
        ),
        (
            "CTLFile-etoken-c-sha1.tlv",
            &[ctl],
            true,
            Rejected,
            "no_tvs_listed",
        ),
        // Classic mixed mode: the ITL's signer is the CTL's CCM+TFTP record, not a SAST one.
        (itl, &[ctl], true, Accepted, "signed_by_held_record"),
        (
            "ITLFile-regenerated-sha1.tlv",
            &[ctl],
            true,
            Rejected,
            "no_tvs_listed",
        ),
        // ITL only.
        (itl, &[itl], true, Accepted, "signed_by_held_record"),
        (
            "ITLFile-regenerated-sha1.tlv",
            &[itl],
            true,
            AcceptedIfTvsVouches,
            "tvs_may_vouch",
        ),
        (
            "ITLFile-regenerated-sha1.tlv",
            &[itl],
            false,
            Rejected,
            "phone_cannot_ask_tvs",
        ),
        // A phone without a CTL checks a first CTL against its ITL, then asks TVS.
        (ctl, &[itl], true, AcceptedIfTvsVouches, "tvs_may_vouch"),
        (
            "CTLFile-tokenless-sha512.tlv",
            &["ITLFile-sha512.tlv"],
            true,
            Accepted,
            "signed_by_held_record",
        ),
        // Both.
        (itl, &[ctl, itl], true, Accepted, "signed_by_held_record"),
        (itl, &[itl, ctl], true, Accepted, "signed_by_held_record"),
        // A new ITL signed by ITLRecovery, which neither list holds: the ITL's TVS decides.
        (
            "ITLFile-sha512.tlv",
            &[ctl, itl],
            true,
            AcceptedIfTvsVouches,
            "tvs_may_vouch",
        ),
        (
            "ITLFile-sha512.tlv",
            &[ctl, itl],
            false,
            Rejected,
            "phone_cannot_ask_tvs",
        ),
        // … and when the held ITL is that very ITL, its SAST record signs it.
        (
            "ITLFile-sha512.tlv",
            &[ctl, "ITLFile-sha512.tlv"],
            true,
            Accepted,
            "signed_by_held_record",
        ),
        (
            "CTLFile-etoken-b-sha1.tlv",
            &[ctl, itl],
            true,
            Accepted,
            "signed_by_held_record",
        ),
        // A new CTL answers to the held CTL's SAST records; an unknown token goes to TVS.
        (
            "CTLFile-etoken-c-sha1.tlv",
            &[ctl, itl],
            true,
            AcceptedIfTvsVouches,
            "tvs_may_vouch",
        ),
        (
            "ITLFile-sha512.tlv",
            &["CTLFile-tokenless-sha512.tlv"],
            true,
            Accepted,
            "signed_by_held_record",
        ),
        // A rollback ITL held: any new ITL, with or without TVS …
        (
            "ITLFile-regenerated-sha1.tlv",
            &[rollback],
            true,
            Accepted,
            "held_itl_is_rollback",
        ),
        (
            "ITLFile-sha512.tlv",
            &[rollback],
            false,
            Accepted,
            "held_itl_is_rollback",
        ),
        // … and with a CTL beside it, still any new ITL …
        (
            "ITLFile-regenerated-sha1.tlv",
            &[ctl, rollback],
            false,
            Accepted,
            "held_itl_is_rollback",
        ),
        // … but the CTL still governs a new CTL, and the rollback ITL's TVS record, which
        // carries no certificate, cannot be asked.
        (
            "CTLFile-etoken-c-sha1.tlv",
            &[ctl, rollback],
            true,
            Rejected,
            "no_tvs_listed",
        ),
        (
            "CTLFile-etoken-b-sha1.tlv",
            &[ctl, rollback],
            true,
            Accepted,
            "signed_by_held_record",
        ),
        // Holding no CTL, the phone takes a CTL as it takes any file.
        (
            "CTLFile-etoken-c-sha1.tlv",
            &[rollback],
            false,
            Accepted,
            "held_itl_is_rollback",
        ),
        // The rollback ITL's own signer still signs the next ITL as a held record.
        (itl, &[rollback], true, Accepted, "signed_by_held_record"),
    ];
    for (new, holding, has_tvs, expected, code) in cases {
        let (acceptance, reason_code, sentence) = acceptance(new, holding, has_tvs);
        assert_eq!(
            (acceptance, reason_code.as_str()),
            (expected, code),
            "{new} held {holding:?} tvs {has_tvs}: {sentence}"
        );
    }
}

#[test]
fn the_classic_mixed_mode_itl_is_accepted_through_the_ctls_ccm_tftp_record() {
    let (acceptance, _, sentence) =
        acceptance("ITLFile-sha1.tlv", &["CTLFile-etoken-sha1.tlv"], true);
    assert_eq!(acceptance, Acceptance::Accepted);
    assert!(
        sentence.ends_with("which CTLFile-etoken-sha1.tlv lists as CCM+TFTP record 3"),
        "{sentence}"
    );
}

#[test]
fn a_ctl_signed_by_an_unknown_token_is_rejected_with_a_remedy() {
    let (verdict, _, reason) = acceptance(
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
    assert!(reason.contains("delete the CTL on each phone"), "{reason}");
}

#[test]
fn an_itl_resigned_after_callmanager_regeneration_depends_on_tvs() {
    let (verdict, _, reason) =
        acceptance("ITLFile-regenerated-sha1.tlv", &["ITLFile-sha1.tlv"], true);
    assert_eq!(verdict, Acceptance::AcceptedIfTvsVouches, "{reason}");
    assert!(reason.contains("asks TVS (cucm-pub)"), "{reason}");
    let (verdict, _, reason) =
        acceptance("ITLFile-regenerated-sha1.tlv", &["ITLFile-sha1.tlv"], false);
    assert_eq!(verdict, Acceptance::Rejected, "{reason}");
    assert!(reason.contains("utils itl reset"), "{reason}");
}

/// A list signed by `identity`, listing it as `function`, named `filename`.
fn signed_by(identity: &generate::Identity, function: Function, filename: &str) -> Vec<u8> {
    let bits = rsa::traits::PublicKeyParts::size(&identity.key) * 8;
    TrustListBuilder {
        signer_version: None,
        signer: SignerInfo::from_certificate(&identity.certificate, DigestAlgorithm::Sha1, bits)
            .unwrap(),
        filename: filename.to_owned(),
        timestamp: generate::SIGNED_AT,
        records: vec![
            RecordBuilder::from_certificate(&identity.certificate, function, "", [0; 4]).unwrap(),
        ],
    }
    .build(|data| ctlkit::format::sign(&identity.key, DigestAlgorithm::Sha1, data))
    .unwrap()
}

/// A new ITL signed by a self-signed certificate (`subject` is also its issuer) of its own that
/// has the serial of `ITLFile-sha1.tlv`'s CallManager record.
fn itl_under_callmanagers_serial(label: &'static str, subject: &str, bits: usize) -> Vec<u8> {
    let callmanager_serial = [0x5c, 0x1d, 0x0a, 0x91, 0x22, 0x47, 0x8e, 0x01];
    let signer = generate::self_signed(label, subject, &callmanager_serial, bits);
    signed_by(&signer, Function::Sast, "ITLFile.tlv")
}

/// A held record with the signer's serial but a key of another size: the phone finds the
/// signer and cannot verify with that key, so it refuses; it does not ask TVS, and the reason
/// is not "signer not among the records".
#[test]
fn a_held_record_with_the_signers_serial_and_another_key_size_rejects() {
    // The ITL holds CallManager-cucm-pub (2048-bit) as SAST and names TVS.
    let new_bytes = itl_under_callmanagers_serial(
        "same-serial-1024",
        "CN=cucm-pub,OU=VOICE,O=Example Corp,L=Austin,ST=Texas,C=US",
        1024,
    );
    let new_list = TrustList::parse(&new_bytes).unwrap();
    let own = verify(&new_list);
    assert!(own.is_valid(), "its own record verifies it: {own:?}");

    let held_bytes = fixture("ITLFile-sha1.tlv");
    let held_list = TrustList::parse(&held_bytes).unwrap();
    let holding = [held("ITLFile.tlv", &held_list)];
    for has_tvs in [true, false] {
        let verdict = would_accept(&new_list, Kind::Itl, &own, &holding, has_tvs).unwrap();
        assert_eq!(verdict.acceptance, Acceptance::Rejected);
        assert_eq!(verdict.reason, AcceptanceReason::HeldRecordCannotVerify);
        assert_eq!(verdict.with_held_keys.signer_record(), Some(1));
        assert_eq!(
            verdict.with_held_keys.outcome,
            Outcome::SignatureSizeMismatch {
                signature_bytes: 128,
                key_bits: 2048
            }
        );
        let sentence = verify_one("new.tlv", &own, Some(&verdict))
            .1
            .acceptance_reason
            .unwrap();
        assert!(
            sentence.contains("has the serial of ITLFile.tlv's SAST record 1, but that record's key cannot check the signature (the 128-byte signature does not fit record 1's 2048-bit key)"),
            "{sentence}"
        );
    }
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
    // Classic mixed mode: accepted, so 0.
    ctlkit()
        .args([
            "verify",
            "fixtures/ITLFile-sha1.tlv",
            "--trust",
            "fixtures/CTLFile-etoken-sha1.tlv",
        ])
        .assert()
        .code(0);
}

/// A phone holding a rollback ITL takes a new ITL, and the answer says why and that the
/// enterprise parameter must be set back; the command exits 0, with or without TVS.
#[test]
fn a_rollback_itl_held_accepts_a_new_itl_and_says_to_undo_the_parameter() {
    for no_tvs in [false, true] {
        let mut command = ctlkit();
        command.args([
            "verify",
            "fixtures/ITLFile-regenerated-sha1.tlv",
            "--trust",
            "fixtures/ITLFile-rollback-sha1.tlv",
            "--format",
            "json",
        ]);
        if no_tvs {
            command.arg("--no-tvs");
        }
        let json = json_output(&mut command, 0);
        let row = &json["rows"][0];
        assert_eq!(row["acceptance"], "accepted");
        assert_eq!(row["acceptance_code"], "held_itl_is_rollback");
        let reason = row["acceptance_reason"].as_str().unwrap();
        assert!(reason.contains("is a rollback ITL"), "{reason}");
        assert!(
            reason.contains("\"Prepare Cluster for Rollback to pre-8.0\" back to False"),
            "{reason}"
        );
    }
}

/// A phone holds one CTL and one ITL at most: two of one kind would merge records no phone
/// holds together, so it is a usage error naming both.
#[test]
fn two_trust_lists_of_one_kind_are_a_usage_error() {
    ctlkit()
        .args([
            "verify",
            "fixtures/ITLFile-regenerated-sha1.tlv",
            "--trust",
            "fixtures/ITLFile-sha1.tlv",
            "--trust",
            "fixtures/ITLFile-regenerated-sha1.tlv",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("fixtures/ITLFile-sha1.tlv")
                .and(predicate::str::contains(
                    "fixtures/ITLFile-regenerated-sha1.tlv",
                ))
                .and(predicate::str::contains("one ITL at most")),
        );
    // The same for a sweep.
    ctlkit()
        .args([
            "verify",
            "fixtures/ITLFile-sha1.tlv",
            "fixtures/ITLFile-sha512.tlv",
            "--trust",
            "fixtures/CTLFile-etoken-sha1.tlv",
            "--trust",
            "fixtures/CTLFile-tokenless-sha512.tlv",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("one CTL at most"));
    let (ctl, itl) = (
        fixture("CTLFile-etoken-sha1.tlv"),
        fixture("ITLFile-sha1.tlv"),
    );
    let (ctl, itl) = (
        TrustList::parse(&ctl).unwrap(),
        TrustList::parse(&itl).unwrap(),
    );
    assert_eq!(
        ctlkit::acceptance::check_held_set(&[held("CTLFile.tlv", &ctl), held("ITLFile.tlv", &itl)]),
        Ok(())
    );
    assert_eq!(
        ctlkit::acceptance::check_held_set(&[
            held("a/ITLFile.tlv", &itl),
            held("CTLFile.tlv", &ctl),
            held("b/ITLFile.tlv", &itl)
        ]),
        Err(ctlkit::acceptance::HeldSetError::TwoOfOneKind {
            kind: Kind::Itl,
            first: "a/ITLFile.tlv".to_owned(),
            second: "b/ITLFile.tlv".to_owned()
        })
    );
}

/// A signer with a held record's serial but another issuer is another certificate: the phone
/// does not hold it, so the TVS path decides — not "held key mismatch".
#[test]
fn a_held_serial_under_another_issuer_is_another_certificate() {
    let new_bytes = itl_under_callmanagers_serial(
        "same-serial-other-issuer",
        "CN=cucm-pub,OU=VOICE,O=Other Corp,L=Denver,ST=Colorado,C=US",
        2048,
    );
    let new_list = TrustList::parse(&new_bytes).unwrap();
    let own = verify(&new_list);
    assert!(own.is_valid(), "{own:?}");
    let held_bytes = fixture("ITLFile-sha1.tlv");
    let held_list = TrustList::parse(&held_bytes).unwrap();
    let holding = [held("ITLFile.tlv", &held_list)];
    let verdict = would_accept(&new_list, Kind::Itl, &own, &holding, true).unwrap();
    assert_eq!(verdict.acceptance, Acceptance::AcceptedIfTvsVouches);
    assert_eq!(verdict.reason.code(), "tvs_may_vouch");
    assert!(matches!(
        verdict.with_held_keys.outcome,
        Outcome::SignerNotFound { .. }
    ));
    let verdict = would_accept(&new_list, Kind::Itl, &own, &holding, false).unwrap();
    assert_eq!(verdict.reason.code(), "phone_cannot_ask_tvs");
    // Its own record still signs it: the issuer matches there.
    assert_eq!(
        own.signer_match(),
        Some(ctlkit::format::SignerMatch::SerialAndIssuer)
    );
}

#[test]
fn cli_json() {
    let json = json_output(
        ctlkit().args([
            "verify",
            "--format",
            "json",
            "fixtures/CTLFile-etoken-c-sha1.tlv",
            "--trust",
            "fixtures/CTLFile-etoken-sha1.tlv",
        ]),
        1,
    );
    assert_eq!(json["files"], 1);
    assert_eq!(json["counts"]["rejected"], 1);
    let row = &json["rows"][0];
    assert_eq!(row["signature"]["status"], "valid");
    assert_eq!(row["signature"]["signer_record"], 1);
    assert_eq!(row["signature"]["code"], "signed");
    assert_eq!(row["acceptance"], "rejected");
    assert_eq!(row["acceptance_code"], "no_tvs_listed");
    assert!(
        row["acceptance_reason"]
            .as_str()
            .unwrap()
            .contains("rejects")
    );
    assert!(
        row["signature"]["reason"]
            .as_str()
            .unwrap()
            .starts_with("signed by record 1")
    );

    let json = json_output(
        ctlkit().args(["verify", "--format", "json", "fixtures/ITLFile-sha1.tlv"]),
        0,
    );
    assert!(json["rows"][0]["acceptance"].is_null());
    assert_eq!(json["counts"]["accepted"], 1);
}

/// A held list that fails its own signature is not what any phone installed: nothing is
/// judged against it, and the command says so with exit 2, for one file and for a sweep.
#[test]
fn a_held_copy_that_fails_its_own_signature_is_not_judged_against() {
    let folder = tempfile::tempdir().unwrap();
    let altered = folder.path().join("CTLFile.tlv");
    let mut bytes = fixture("CTLFile-etoken-sha1.tlv");
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    fs::write(&altered, bytes).unwrap();
    let json = json_output(
        ctlkit()
            .args(["verify", "fixtures/CTLFile-etoken-b-sha1.tlv", "--trust"])
            .arg(&altered)
            .args(["--format", "json"]),
        2,
    );
    assert_eq!(json["rows"][0]["acceptance"], "cannot_judge", "{json}");
    assert_eq!(
        json["rows"][0]["acceptance_code"],
        "held_copy_fails_its_signature"
    );
    ctlkit()
        .args([
            "verify",
            "fixtures/CTLFile-etoken-b-sha1.tlv",
            "fixtures/CTLFile-etoken-c-sha1.tlv",
            "--trust",
        ])
        .arg(&altered)
        .assert()
        .code(2);
}

#[test]
fn a_phone_holding_a_pbxs_list_is_given_the_pbxs_remedy_and_a_cucm_phone_cucms() {
    let reasons = |held: &str, extra: &[&str]| {
        let json = json_output(
            ctlkit()
                .args(["verify", "--format", "json", "--trust", held])
                .args(extra)
                .args([
                    "fixtures/signed/SEP001122334455-other-cluster.cnf.xml.sgn",
                    "fixtures/ITLFile-regenerated-sha1.tlv",
                ]),
            1,
        );
        let rows = json["rows"].as_array().unwrap();
        assert!(
            rows.iter().all(|row| row["acceptance"] == "rejected"),
            "{json}"
        );
        rows.iter()
            .map(|row| row["acceptance_reason"].as_str().unwrap().to_owned())
            .collect::<Vec<String>>()
    };
    // A list a PBX built (signed by a key of its own): its own tools, no CUCM to turn to.
    let pbx = reasons("fixtures/ITLFile-csptechnologies.tlv", &[]);
    for reason in &pbx {
        assert!(
            !reason.contains("Cisco TFTP") && !reason.contains("utils itl reset"),
            "{reason}"
        );
        assert!(reason.contains("delete the ITL on each phone"), "{reason}");
    }
    assert!(
        pbx[0].contains("ctlkit build --from ITLFile.tlv --tftp"),
        "{}",
        pbx[0]
    );
    assert!(
        pbx[1].contains("no ITL recovery or bulk reset"),
        "{}",
        pbx[1]
    );
    // CUCM's own ITL, on a phone that cannot ask its TVS: CUCM's remedies.
    let cucm = reasons("fixtures/ITLFile-sha1.tlv", &["--no-tvs"]);
    assert!(cucm[0].contains("restart Cisco TFTP"), "{}", cucm[0]);
    assert!(cucm[1].contains("utils itl reset"), "{}", cucm[1]);
}
