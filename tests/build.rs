//! `build`: CUCM-layout files that verify, byte-identical for the same inputs, written
//! atomically and never over an existing file unless asked.

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{CLUSTER, certificate as der, ctlkit, generate, key};
use assert_cmd::Command;
use ctlkit::format::{BuildError, BuildRequest, BuildWarning, SignatureStatus, build_trust_list};
use ctlkit::{DigestAlgorithm, Function, Kind, TrustList, verify};
use predicates::prelude::*;
use rsa::PrivateKey;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{EncodePrivateKey, LineEnding};

fn request<'r>(
    signer: &'r [u8],
    signer_key: &'r PrivateKey,
    digest: DigestAlgorithm,
    certificates: Vec<(Function, Vec<u8>)>,
) -> BuildRequest<'r> {
    BuildRequest {
        signer_certificate: signer,
        signer_key,
        digest,
        certificates,
        existing: None,
        drop_serials: &[],
        filename: "CTLFile.tlv".to_owned(),
        timestamp: generate::SIGNED_AT,
        addresses: &[],
        signer_version: None,
    }
}

#[test]
fn every_function_and_digest_builds_parses_and_verifies() {
    let signer = der("ITLRecovery-cucm-pub");
    let signer_key = key("ITLRecovery-cucm-pub");
    let roles = [
        (Function::Sast, "CallManager-cucm-pub"),
        (Function::Ccm, "CallManager-cucm-sub1"),
        (Function::CcmTftp, "CallManager-cucm-pub"),
        (Function::Tftp, "CallManager-cucm-sub1"),
        (Function::Capf, "CAPF-cucm-pub"),
        (Function::Tvs, "TVS-cucm-pub"),
        (Function::AppServer, "TVS-cucm-sub1"),
    ];
    for digest in [
        DigestAlgorithm::Sha1,
        DigestAlgorithm::Sha256,
        DigestAlgorithm::Sha512,
    ] {
        let certificates: Vec<(Function, Vec<u8>)> = roles
            .iter()
            .map(|(function, label)| (*function, der(label)))
            .collect();
        let built =
            build_trust_list(&request(&signer, &signer_key, digest, certificates.clone())).unwrap();
        let list = TrustList::parse(&built.bytes).unwrap();
        assert_eq!(list.to_bytes(), built.bytes);
        assert_eq!(list.warnings(), &[]);
        assert_eq!(list.header().digest_algorithm(), Some(digest));
        assert_eq!(list.header().signature_modulus_bits(), Some(2048));
        assert_eq!(list.header().length() % 4, 0);
        let verification = verify(&list);
        assert_eq!(
            verification.status,
            SignatureStatus::Valid,
            "{digest}: {verification:?}"
        );
        assert_eq!(
            verification.signer_record(),
            Some(1),
            "the signer's SAST record comes first"
        );
        // Signer first, then every role in order, each with its certificate untouched.
        assert_eq!(list.records().len(), roles.len() + 1);
        assert_eq!(list.records()[0].certificate_der(), Some(signer.as_slice()));
        for (record, (function, certificate)) in list.records()[1..].iter().zip(&certificates) {
            assert_eq!(record.function(), Some(*function));
            assert_eq!(record.certificate_der(), Some(certificate.as_slice()));
            let tags: Vec<u8> = record
                .elements()
                .iter()
                .map(|element| element.tag)
                .collect();
            assert_eq!(tags, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "CUCM's record order");
        }
        assert_eq!(
            list.records()[3].subject_name(),
            Some(&b"CN=cucm-pub;OU=VOICE;O=Example Corp;L=Austin;ST=Texas;C=US"[..]),
            "names in CUCM's CN, OU, O, L, ST, C order joined by ;"
        );
        let expect_sha1_warning = digest == DigestAlgorithm::Sha1;
        assert_eq!(
            built.warnings.contains(&BuildWarning::WeakDigest),
            expect_sha1_warning
        );
    }
}

#[test]
fn same_inputs_give_identical_bytes() {
    let signer = der("eToken-A");
    let signer_key = key("eToken-A");
    let build = || {
        build_trust_list(&request(
            &signer,
            &signer_key,
            DigestAlgorithm::Sha1,
            vec![
                (Function::Sast, der("eToken-B")),
                (Function::CcmTftp, der("CallManager-cucm-pub")),
            ],
        ))
        .unwrap()
        .bytes
    };
    assert_eq!(build(), build());
}

#[test]
fn every_single_byte_change_of_a_built_file_breaks_it() {
    let signer = der("eToken-A");
    let signer_key = key("eToken-A");
    let built = build_trust_list(&request(
        &signer,
        &signer_key,
        DigestAlgorithm::Sha1,
        Vec::new(),
    ))
    .unwrap();
    assert!(
        built
            .warnings
            .contains(&BuildWarning::ShortSignerKey { bits: 1024 })
    );
    for offset in 0..built.bytes.len() {
        let mut damaged = built.bytes.clone();
        damaged[offset] ^= 0x04;
        if let Ok(list) = TrustList::parse(&damaged) {
            assert_ne!(
                verify(&list).status,
                SignatureStatus::Valid,
                "byte {offset}"
            );
        }
    }
}

#[test]
fn refuses_a_key_that_is_not_the_signers() {
    let signer = der("eToken-A");
    let other_key = key("eToken-B");
    let error = build_trust_list(&request(
        &signer,
        &other_key,
        DigestAlgorithm::Sha1,
        Vec::new(),
    ))
    .unwrap_err();
    assert_eq!(error, BuildError::KeyMismatch);
}

#[test]
fn refuses_a_signer_key_size_with_no_modulus_code() {
    let identity = generate::self_signed("odd-size-signer", "CN=odd", &[0x01], 1536);
    let error = build_trust_list(&request(
        &identity.certificate,
        &identity.key,
        DigestAlgorithm::Sha512,
        Vec::new(),
    ))
    .unwrap_err();
    assert_eq!(error, BuildError::UnsupportedModulus { bits: 1536 });
}

#[test]
fn refuses_a_record_certificate_that_does_not_parse() {
    let signer = der("eToken-A");
    let signer_key = key("eToken-A");
    let error = build_trust_list(&request(
        &signer,
        &signer_key,
        DigestAlgorithm::Sha1,
        vec![(Function::Capf, b"\x30\x03\x02\x01\x00".to_vec())],
    ))
    .unwrap_err();
    assert!(matches!(error, BuildError::Certificate(_)), "{error:?}");
}

fn entries(directory: &Path) -> Vec<PathBuf> {
    let mut names: Vec<PathBuf> = fs::read_dir(directory)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    names.sort();
    names
}

fn build_command(output: &Path) -> Command {
    let mut command = ctlkit();
    command
        .arg("build")
        // The fixtures' keys are published (lint rule KNO001): a test cluster, not a real one.
        .args(["--allow", "KNO001"])
        .arg("-o")
        .arg(output)
        .args(["--signer", &format!("{CLUSTER}/ITLRecovery-cucm-pub.pem")])
        .args([
            "--signer-key",
            &format!("{CLUSTER}/ITLRecovery-cucm-pub.key"),
        ])
        .args(["--ccm-tftp", &format!("{CLUSTER}/CallManager-cucm-pub.pem")])
        .args(["--capf", &format!("{CLUSTER}/CAPF-cucm-pub.pem")])
        .args([
            "--dns",
            "cucm-pub=10.10.10.10",
            "--digest",
            "sha512",
            "--timestamp",
            "1768471200",
        ]);
    command
}

#[test]
fn cli_builds_reproducibly_with_the_output_name_as_filename() {
    let directory = tempfile::tempdir().unwrap();
    let first = directory.path().join("CTLFile.tlv");
    let second_dir = directory.path().join("again");
    fs::create_dir(&second_dir).unwrap();
    let second = second_dir.join("CTLFile.tlv");
    build_command(&first)
        .assert()
        .success()
        .stdout(predicate::str::contains("(MD5)"));
    build_command(&second).assert().success();
    assert_eq!(fs::read(&first).unwrap(), fs::read(&second).unwrap());
    let bytes = fs::read(&first).unwrap();
    let list = TrustList::parse(&bytes).unwrap();
    assert_eq!(list.header().filename(), Some(&b"CTLFile.tlv"[..]));
    assert_eq!(list.records()[1].dns_name(), Some(&b"cucm-pub"[..]));
    assert_eq!(
        list.records()[1].ip_address(),
        Some("10.10.10.10".parse().unwrap())
    );
    ctlkit().arg("verify").arg(&first).assert().success();
}

#[test]
fn cli_never_clobbers_and_leaves_nothing_behind() {
    let directory = tempfile::tempdir().unwrap();
    let output = directory.path().join("CTLFile.tlv");
    fs::write(&output, b"the administrator's file").unwrap();
    build_command(&output)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("exists; use --force"));
    assert_eq!(fs::read(&output).unwrap(), b"the administrator's file");
    assert_eq!(
        entries(directory.path()),
        std::slice::from_ref(&output),
        "no temporary file left"
    );

    build_command(&output).arg("--force").assert().success();
    assert!(TrustList::parse(&fs::read(&output).unwrap()).is_ok());
    assert_eq!(entries(directory.path()), [output]);
}

#[test]
fn cli_errors_leave_no_file() {
    let directory = tempfile::tempdir().unwrap();
    let output = directory.path().join("CTLFile.tlv");
    // Signer certificate with another key.
    ctlkit()
        .arg("build")
        // The fixtures' keys are published (lint rule KNO001): a test cluster, not a real one.
        .args(["--allow", "KNO001"])
        .arg("-o")
        .arg(&output)
        .args([
            "--signer",
            &format!("{CLUSTER}/eToken-A.pem"),
            "--signer-key",
            &format!("{CLUSTER}/eToken-B.key"),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not match its certificate"));
    // A certificate file with no key and no --signer-key.
    ctlkit()
        .arg("build")
        // The fixtures' keys are published (lint rule KNO001): a test cluster, not a real one.
        .args(["--allow", "KNO001"])
        .arg("-o")
        .arg(&output)
        .args(["--signer", &format!("{CLUSTER}/eToken-A.pem")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--signer-key"));
    // A record certificate that is a trust list, not a certificate.
    build_command(&output)
        .args(["--tvs", "fixtures/ITLFile-sha1.tlv"])
        .assert()
        .code(2);
    assert!(entries(directory.path()).is_empty());
}

#[test]
fn cli_reads_pkcs1_pkcs8_combined_and_encrypted_keys() {
    let directory = tempfile::tempdir().unwrap();
    let signer_key = key("eToken-A");
    let certificate_pem = fs::read_to_string(format!("{CLUSTER}/eToken-A.pem")).unwrap();
    let pkcs1 = signer_key.to_pkcs1_pem(LineEnding::LF).unwrap();
    let combined = directory.path().join("signer.pem");
    fs::write(&combined, format!("{certificate_pem}{}", pkcs1.as_str())).unwrap();
    let encrypted = directory.path().join("encrypted.key");
    fs::write(
        &encrypted,
        signer_key
            .to_pkcs8_encrypted_pem("s3cret", LineEnding::LF)
            .unwrap()
            .as_bytes(),
    )
    .unwrap();

    let run = |output: &str, key_file: Option<&Path>, passphrase: Option<&str>| {
        let mut command = ctlkit();
        command
            .arg("build")
            // The fixtures' keys are published (lint rule KNO001): a test cluster, not a real one.
            .args(["--allow", "KNO001"])
            .arg("-o")
            .arg(directory.path().join(output))
            .arg("--signer");
        match key_file {
            Some(key_file) => command
                .arg(format!("{CLUSTER}/eToken-A.pem"))
                .arg("--signer-key")
                .arg(key_file),
            None => command.arg(&combined),
        };
        command.env_remove("CTLKIT_KEY_PASSPHRASE");
        if let Some(passphrase) = passphrase {
            command.env("CTLKIT_KEY_PASSPHRASE", passphrase);
        }
        command.assert()
    };
    run("CTLFile-a.tlv", None, None).success().stderr(
        predicate::str::contains("warning: SHA-1").and(predicate::str::contains("1024 bits")),
    );
    run("CTLFile-b.tlv", Some(&encrypted), Some("s3cret")).success();
    run("CTLFile-c.tlv", Some(&encrypted), None)
        .code(2)
        .stderr(predicate::str::contains("CTLKIT_KEY_PASSPHRASE"));
    run("CTLFile-d.tlv", Some(&encrypted), Some("wrong")).code(2);
    run(
        "CTLFile-e.tlv",
        Some(Path::new(&format!("{CLUSTER}/eToken-A.key"))),
        None,
    )
    .success();
}

#[test]
fn cli_updates_an_existing_file() {
    let directory = tempfile::tempdir().unwrap();
    let output = directory.path().join("CTLFile.tlv");
    // The cluster's CTL after cucm-sub1 left: drop its record, re-sign with token B.
    ctlkit()
        .arg("build")
        // The fixtures' keys are published (lint rule KNO001): a test cluster, not a real one.
        .args(["--allow", "KNO001"])
        .arg("-o")
        .arg(&output)
        .args([
            "--from",
            "fixtures/CTLFile-etoken-sha1.tlv",
            "--drop-serial",
            "41:7f:3b:06:c2:90:15:02",
        ])
        .args([
            "--signer",
            &format!("{CLUSTER}/eToken-B.pem"),
            "--signer-key",
            &format!("{CLUSTER}/eToken-B.key"),
        ])
        .args(["--timestamp", "1768471200"])
        .assert()
        .success()
        .stderr(predicate::str::contains("already listed"));
    let old_bytes = fs::read("fixtures/CTLFile-etoken-sha1.tlv").unwrap();
    let old = TrustList::parse(&old_bytes).unwrap();
    let new_bytes = fs::read(&output).unwrap();
    let new = TrustList::parse(&new_bytes).unwrap();
    assert_eq!(verify(&new).status, SignatureStatus::Valid);
    assert_eq!(
        verify(&new).signer_record(),
        Some(2),
        "token B's existing record signs"
    );
    assert_eq!(new.records().len(), old.records().len() - 1);
    let elements = |record: &ctlkit::Record<'_>| -> Vec<(u8, Vec<u8>)> {
        record
            .elements()
            .iter()
            .map(|element| (element.tag, element.value.to_vec()))
            .collect()
    };
    for record in new.records() {
        let original = old
            .records()
            .iter()
            .find(|candidate| candidate.serial_number() == record.serial_number())
            .unwrap();
        assert_eq!(
            elements(record),
            elements(original),
            "carried over element for element"
        );
    }
    assert!(
        new.records()
            .iter()
            .all(|record| record.dns_name() != Some(&b"cucm-sub1"[..])),
        "cucm-sub1's record was dropped"
    );
    // A phone holding the old CTL accepts the update.
    ctlkit()
        .arg("verify")
        .arg(&output)
        .args(["--trust", "fixtures/CTLFile-etoken-sha1.tlv"])
        .assert()
        .success();
    ctlkit()
        .arg("build")
        // The fixtures' keys are published (lint rule KNO001): a test cluster, not a real one.
        .args(["--allow", "KNO001"])
        .arg("-o")
        .arg(directory.path().join("CTLFile-x.tlv"))
        .args([
            "--from",
            "fixtures/CTLFile-etoken-sha1.tlv",
            "--drop-serial",
            "DE:AD",
        ])
        .args([
            "--signer",
            &format!("{CLUSTER}/eToken-B.pem"),
            "--signer-key",
            &format!("{CLUSTER}/eToken-B.key"),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no record has serial DE:AD"));
}

#[test]
fn cli_refuses_to_write_what_lint_finds_errors_in_unless_forced() {
    let directory = tempfile::tempdir().unwrap();
    let output = directory.path().join("CTLFile.tlv");
    let build = || {
        let mut command = ctlkit();
        command
            .arg("build")
            .arg("-o")
            .arg(&output)
            .args(["--signer", &format!("{CLUSTER}/ITLRecovery-cucm-pub.pem")])
            .args([
                "--signer-key",
                &format!("{CLUSTER}/ITLRecovery-cucm-pub.key"),
            ])
            .args(["--ccm-tftp", &format!("{CLUSTER}/CallManager-cucm-pub.pem")])
            .args(["--timestamp", "1768471200"]);
        command
    };
    build().assert().code(2).stderr(
        predicate::str::contains("error[KNO001]:")
            .and(predicate::str::contains("not written: 2 lint error(s)")),
    );
    assert!(entries(directory.path()).is_empty(), "nothing written");
    build().arg("--force").assert().success();
    assert_eq!(entries(directory.path()), vec![output]);
}

/// A signer that refuses (a token whose PIN is locked) keeps its own error as the build
/// error's source, so a program can tell why without parsing text.
#[test]
fn a_signer_that_refuses_keeps_its_error_as_the_source() {
    #[derive(Debug, thiserror::Error)]
    #[error("the token's PIN is locked")]
    struct PinLocked;

    let builder = ctlkit::format::TrustListBuilder {
        signer_version: None,
        signer: ctlkit::format::SignerInfo::from_certificate(
            &der("eToken-A"),
            DigestAlgorithm::Sha1,
            1024,
        )
        .unwrap(),
        filename: "CTLFile.tlv".to_owned(),
        timestamp: generate::SIGNED_AT,
        records: vec![
            ctlkit::format::RecordBuilder::from_certificate(
                &der("eToken-A"),
                Function::Sast,
                "",
                [0; 4],
            )
            .unwrap(),
        ],
    };
    let error = builder.build(|_| Err::<Vec<u8>, _>(PinLocked)).unwrap_err();
    assert!(matches!(error, BuildError::Signing(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "signing failed: the token's PIN is locked"
    );
    let source = std::error::Error::source(&error).unwrap();
    let inner = std::error::Error::source(source).unwrap();
    assert!(inner.downcast_ref::<PinLocked>().is_some(), "{inner:?}");
}

#[test]
fn cli_writes_the_signer_version_asked_for_where_tlvfile_writes_it() {
    let directory = tempfile::tempdir().unwrap();
    for (asked, expected) in [
        (None, None),
        (Some("1.0"), Some((1, 0))),
        (Some("1.1"), Some((1, 1))),
    ] {
        let output = directory
            .path()
            .join(format!("ITLFile-{}.tlv", asked.unwrap_or("none")));
        let mut command = build_command(&output);
        if let Some(version) = asked {
            command.args(["--signer-version", version]);
        }
        command.assert().success();
        let bytes = fs::read(&output).unwrap();
        let list = TrustList::parse(&bytes).unwrap();
        assert_eq!(list.header().signer_version(), expected, "{asked:?}");
        // Right after HEADERLENGTH, as certutils' tlvfile writes it (tests/real_file.rs).
        let tags: Vec<u8> = list
            .header()
            .elements()
            .iter()
            .map(|element| element.tag)
            .take(3)
            .collect();
        let third = if expected.is_some() { 28 } else { 3 };
        assert_eq!(tags, [1, 2, third], "{asked:?}");
        ctlkit().arg("verify").arg(&output).assert().success();
    }
}

#[test]
fn an_ec_record_makes_the_list_signer_version_1_1_and_lint_stays_quiet_about_it() {
    let folder = tempfile::tempdir().unwrap();
    let made = rcgen::generate_simple_self_signed(vec!["pbx.example".to_owned()]).unwrap();
    let ec = folder.path().join("tftp-ec.pem");
    fs::write(&ec, made.cert.pem()).unwrap();
    let output = folder.path().join("ITLFile.tlv");
    build_command(&output)
        .arg("--tftp")
        .arg(&ec)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "note: wrote SIGNERVERSION 1.1 (header tag 28): TFTP",
        ));
    let bytes = fs::read(&output).unwrap();
    assert_eq!(
        TrustList::parse(&bytes).unwrap().header().signer_version(),
        Some((1, 1))
    );
    let lint = ctlkit()
        .args(["lint", "--allow", "KNO001", "--format", "json"])
        .arg(&output)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&lint.stdout);
    assert!(!text.contains("KEY002"), "{text}");
    // Asked for 1.0, it writes 1.0, and lint says what phones are reported to do with it.
    let forced = folder.path().join("ITLFile-1.0.tlv");
    build_command(&forced)
        .arg("--tftp")
        .arg(&ec)
        .args(["--signer-version", "1.0"])
        .assert()
        .success();
    let lint = ctlkit()
        .args(["lint", "--allow", "KNO001"])
        .arg(&forced)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&lint.stdout).contains("KEY002"));
}

/// Where ctlkit's layout and a file's differ, element by element: `(place, tag)` for every
/// element present in one and not equal in the other. The signature and the timestamp are not
/// compared (a rebuild cannot reproduce them).
fn layout_differences(original: &TrustList<'_>, rebuilt: &TrustList<'_>) -> Vec<(String, u8)> {
    use std::collections::BTreeMap;
    let mut differences = Vec::new();
    let mut compare = |place: String,
                       ours: &[ctlkit::format::Element<'_>],
                       theirs: &[ctlkit::format::Element<'_>]| {
        let values = |elements: &[ctlkit::format::Element<'_>]| {
            let mut map: BTreeMap<u8, Vec<Vec<u8>>> = BTreeMap::new();
            for element in elements {
                map.entry(element.tag)
                    .or_default()
                    .push(element.value.to_vec());
            }
            map
        };
        let order = |elements: &[ctlkit::format::Element<'_>]| -> Vec<u8> {
            elements.iter().map(|element| element.tag).collect()
        };
        if order(ours) != order(theirs) {
            differences.push((place.clone(), 0));
        }
        let (ours, theirs) = (values(ours), values(theirs));
        let tags: std::collections::BTreeSet<u8> =
            ours.keys().chain(theirs.keys()).copied().collect();
        for tag in tags {
            // SIGNATURE (12) and TIMESTAMP (15) in the header; HEADERLENGTH (2) follows the
            // names' lengths and is compared through them.
            if place == "header" && matches!(tag, 2 | 12 | 15) {
                continue;
            }
            if ours.get(&tag) != theirs.get(&tag) {
                differences.push((place.clone(), tag));
            }
        }
    };
    compare(
        "header".to_owned(),
        original.header().elements(),
        rebuilt.header().elements(),
    );
    for (index, (ours, theirs)) in original.records().iter().zip(rebuilt.records()).enumerate() {
        compare(
            format!("record {}", index + 1),
            ours.elements(),
            theirs.elements(),
        );
    }
    differences
}

/// Rebuilds `original` from its own certificates, roles, names and addresses with ctlkit's
/// layout (signed by a stand-in: only the layout is compared).
fn rebuild(original: &TrustList<'_>) -> Vec<u8> {
    use ctlkit::format::{RecordBuilder, SignerInfo, TrustListBuilder};
    let header = original.header();
    let signer_serial = header.signer_serial().unwrap();
    let signer_record = original
        .records()
        .iter()
        .find(|record| record.serial_number().as_ref() == Some(&signer_serial))
        .unwrap();
    let bits = usize::try_from(header.signature_modulus_bits().unwrap()).unwrap();
    let signer = SignerInfo::from_certificate(
        signer_record.certificate_der().unwrap(),
        header.digest_algorithm().unwrap(),
        bits,
    )
    .unwrap();
    let records = original
        .records()
        .iter()
        .map(|record| {
            let ip = match record.ip_address() {
                Some(std::net::IpAddr::V4(ip)) => ip.octets(),
                _ => [0; 4],
            };
            let dns = String::from_utf8_lossy(record.dns_name().unwrap_or_default()).into_owned();
            RecordBuilder::from_certificate(
                record.certificate_der().unwrap(),
                record.function().unwrap(),
                &dns,
                ip,
            )
            .unwrap()
        })
        .collect();
    TrustListBuilder {
        signer,
        filename: String::from_utf8_lossy(header.filename().unwrap()).into_owned(),
        timestamp: header.timestamp().unwrap(),
        signer_version: header.signer_version(),
        records,
    }
    .build(|_| Ok::<_, std::io::Error>(vec![0; bits / 8]))
    .unwrap()
}

#[test]
fn the_real_itl_rebuilt_from_its_certificates_differs_only_where_its_builder_is_not_cucm() {
    let bytes = fs::read("fixtures/ITLFile-csptechnologies.tlv").unwrap();
    let original = TrustList::parse(&bytes).unwrap();
    let rebuilt_bytes = rebuild(&original);
    let rebuilt = TrustList::parse(&rebuilt_bytes).unwrap();
    assert_eq!(rebuilt.records().len(), original.records().len());
    // Equal: every certificate, serial, key, signature, role, the file name, the digest, the
    // modulus and SIGNERVERSION. Different, all from its builder (certutils' tlvfile), not from
    // CUCM: names in the certificate's own order joined by `,` (CUCM: `CN=…;OU=…`), so the
    // signer block and every record's names and length; no DNSNAME and no IPADDRESS in any
    // record; records in the order 3 5 6 4 7 8 9 and the signer block in 4 6 5 (tag 0 stands
    // for the element order).
    let mut expected: Vec<(String, u8)> = ["header"]
        .iter()
        .flat_map(|place| [0u8, 3, 4, 6].map(|tag| ((*place).to_owned(), tag)))
        .collect();
    for record in 1..=5 {
        for tag in [0u8, 1, 2, 3, 5, 10] {
            expected.push((format!("record {record}"), tag));
        }
    }
    expected.sort();
    let mut differences = layout_differences(&original, &rebuilt);
    differences.sort();
    assert_eq!(differences, expected);
}

#[test]
fn lists_in_cucm_s_layout_rebuild_element_for_element() {
    for name in [
        "ITLFile-sha1.tlv",
        "ITLFile-sha512.tlv",
        "CTLFile-tokenless-sha512.tlv",
    ] {
        // (eToken-signed CTLs are the CTL client's work: their token records spell names and
        // carry signatures as the token holds them, which `build` does not imitate.)
        let bytes = fs::read(format!("fixtures/{name}")).unwrap();
        let original = TrustList::parse(&bytes).unwrap();
        let rebuilt_bytes = rebuild(&original);
        let rebuilt = TrustList::parse(&rebuilt_bytes).unwrap();
        assert_eq!(
            layout_differences(&original, &rebuilt),
            Vec::<(String, u8)>::new(),
            "{name}"
        );
        assert_eq!(rebuilt_bytes.len(), bytes.len(), "{name}");
    }
}

#[test]
fn dns_names_every_record_of_a_node_as_cucm_does() {
    let folder = tempfile::tempdir().unwrap();
    let output = folder.path().join("ITLFile.tlv");
    let pem = |label: &str| format!("{CLUSTER}/{label}.pem");
    ctlkit()
        .arg("build")
        .args(["--allow", "KNO001", "-o"])
        .arg(&output)
        .args(["--signer", &pem("ITLRecovery-cucm-pub")])
        .args([
            "--signer-key",
            &format!("{CLUSTER}/ITLRecovery-cucm-pub.key"),
        ])
        .args(["--ccm-tftp", &pem("CallManager-cucm-pub")])
        .args(["--ccm", &pem("CallManager-cucm-sub1")])
        .args(["--tvs", &pem("TVS-cucm-pub")])
        .args(["--capf", &pem("CAPF-cucm-pub")])
        .args([
            "--dns",
            "cucm-pub=10.10.10.10",
            "--dns",
            "cucm-sub1=10.10.10.11",
        ])
        .assert()
        .success();
    let bytes = fs::read(&output).unwrap();
    let list = TrustList::parse(&bytes).unwrap();
    let named: Vec<(Function, String, String)> = list
        .records()
        .iter()
        .map(|record| {
            (
                record.function().unwrap(),
                String::from_utf8_lossy(record.dns_name().unwrap()).into_owned(),
                record.ip_address().unwrap().to_string(),
            )
        })
        .collect();
    let publisher = |function| (function, "cucm-pub".to_owned(), "10.10.10.10".to_owned());
    assert_eq!(
        named,
        [
            // ITLRECOVERY_cucm-pub, cucm-pub, cucm-pub-tvs and the CAPF: the publisher's.
            publisher(Function::Sast),
            (
                Function::Ccm,
                "cucm-sub1".to_owned(),
                "10.10.10.11".to_owned()
            ),
            publisher(Function::CcmTftp),
            publisher(Function::Capf),
            publisher(Function::Tvs),
        ]
    );
}

#[test]
fn cert_makes_a_pbx_certificate_that_signs_lists_and_never_overwrites() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().unwrap();
    let tftp = folder.path().join("tftp.pem");
    let make = |output: &Path, extra: &[&str]| {
        ctlkit()
            .args([
                "cert",
                "--common",
                "pbx.example.com",
                "--organization",
                "Example PBX",
            ])
            .args(["--unit", "VOICE", "--country", "NZ", "-o"])
            .arg(output)
            .args(extra)
            .assert()
    };
    make(&tftp, &[]).success();
    assert_eq!(
        fs::metadata(&tftp).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let pem = fs::read_to_string(&tftp).unwrap();
    assert!(pem.contains("BEGIN CERTIFICATE") && pem.contains("BEGIN PRIVATE KEY"));
    let bundle = ctlkit::keys::read_pem_bundle(pem.as_bytes(), None).unwrap();
    let info = ctlkit::format::CertificateInfo::from_der(&bundle.certificates[0]).unwrap();
    assert_eq!(info.key.to_string(), "RSA 2048");
    assert!(info.subject_dn.contains("CN=pbx.example.com"));
    assert_eq!(info.signature_algorithm, "sha256WithRSAEncryption");
    let days = (info.not_after - info.not_before).whole_days();
    assert!((3650..=3653).contains(&days), "{days}");
    // It signs an ITL ctlkit builds, alone in one file.
    let itl = folder.path().join("ITLFile.tlv");
    ctlkit()
        .args(["build", "-o"])
        .arg(&itl)
        .arg("--signer")
        .arg(&tftp)
        .arg("--ccm-tftp")
        .arg(&tftp)
        .assert()
        .success();
    ctlkit().arg("verify").arg(&itl).assert().success();
    // Never over an existing file, key or not.
    let before = fs::read(&tftp).unwrap();
    make(&tftp, &[])
        .code(2)
        .stderr(predicate::str::contains("never writes over a file"));
    assert_eq!(fs::read(&tftp).unwrap(), before);
    // EC for the HTTPS service; sizes phones cannot use are refused.
    let ec = folder.path().join("https.pem");
    make(&ec, &["--curve", "p384"]).success();
    let bundle = ctlkit::keys::read_pem_bundle(&fs::read(&ec).unwrap(), None);
    let certificate = match bundle {
        Ok(bundle) => bundle.certificates[0].clone(),
        // The PEM reader signs with RSA only; the certificate is still there.
        Err(_) => pem::parse_many(fs::read(&ec).unwrap()).unwrap()[0]
            .contents()
            .to_vec(),
    };
    let info = ctlkit::format::CertificateInfo::from_der(&certificate).unwrap();
    assert!(info.key.to_string().starts_with("EC 384"), "{}", info.key);
    // Its file, key and all, lists the certificate: the EC key beside it is not read (it was
    // refused as "not an RSA private key" before).
    let with_ec = folder.path().join("ITLFile-ec.tlv");
    ctlkit()
        .args(["build", "-o"])
        .arg(&with_ec)
        .arg("--signer")
        .arg(&tftp)
        .arg("--tftp")
        .arg(&ec)
        .assert()
        .success();
    let bytes = fs::read(&with_ec).unwrap();
    assert_eq!(
        TrustList::parse(&bytes).unwrap().header().signer_version(),
        Some((1, 1))
    );
    make(&folder.path().join("small.pem"), &["--key-size", "1024"])
        .code(2)
        .stderr(predicate::str::contains("2048"));
    assert!(!folder.path().join("small.pem").exists());
}

/// Every certutils tool against ctlkit's command for the same job (run, never copied): each
/// reads what the other writes. Runs where CTLKIT_CERTUTILS names certutils' folder (with
/// openssl and Python's `cryptography` and `lxml`); not part of this repository.
#[test]
#[ignore = "needs certutils: CTLKIT_CERTUTILS=/path/to/certutils cargo test -- --ignored certutils"]
fn certutils_every_tool_and_ctlkit_read_each_other() {
    let tools = PathBuf::from(crate::support::outside(
        "CTLKIT_CERTUTILS",
        "certutils' folder",
    ));
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    let run = |program: &str, arguments: &[&std::ffi::OsStr]| {
        let (interpreter, script) = if program == "mkcert" {
            ("bash", tools.join(program))
        } else {
            ("python3", tools.join(program))
        };
        let output = std::process::Command::new(interpreter)
            .arg(script)
            .args(arguments)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(output.status.success(), "{program}: {output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let os = |text: &str| std::ffi::OsString::from(text);

    // mkcert's certificate signs what ctlkit builds; ctlkit's signs what tlvfile builds.
    run(
        "mkcert",
        &[
            &os("-c"),
            &os("theirs.example"),
            &os("-o"),
            &os("Them"),
            &os("-u"),
            &os("VOICE"),
            &os("-f"),
            dir.join("theirs.pem").as_os_str(),
        ],
    );
    ctlkit()
        .arg("cert")
        .args([
            "--common",
            "ours.example",
            "--organization",
            "Us",
            "--unit",
            "VOICE",
            "-o",
        ])
        .arg(dir.join("ours.pem"))
        .assert()
        .success();
    ctlkit()
        .arg("cert")
        .args([
            "--common",
            "https.example",
            "--organization",
            "Us",
            "--unit",
            "VOICE",
            "--curve",
            "p256",
            "-o",
        ])
        .arg(dir.join("ec.pem"))
        .assert()
        .success();
    let ours_itl = dir.join("ITLFile.tlv");
    ctlkit()
        .args(["build", "-o"])
        .arg(&ours_itl)
        .arg("--signer")
        .arg(dir.join("theirs.pem"))
        .arg("--ccm-tftp")
        .arg(dir.join("ours.pem"))
        .arg("--tftp")
        .arg(dir.join("ec.pem"))
        .assert()
        .success();
    // tlvfile reads ours: valid, and the signer version ctlkit chose for the EC record.
    let parsed = run("tlvfile", &[&os("-p"), ours_itl.as_os_str()]);
    assert!(parsed.contains("Valid signature"), "{parsed}");
    assert!(parsed.contains("1.1"), "{parsed}");
    // ctlkit reads theirs.
    let theirs_itl = dir.join("theirs-ITLFile.tlv");
    run(
        "tlvfile",
        &[
            &os("-b"),
            theirs_itl.as_os_str(),
            &os("-s"),
            dir.join("ours.pem").as_os_str(),
            &os("-C"),
            dir.join("ours.pem").as_os_str(),
            &os("-t"),
            dir.join("ec.pem").as_os_str(),
            &os("-v"),
            &os("1.1"),
            &os("-d"),
            &os("sha512"),
        ],
    );
    ctlkit().arg("verify").arg(&theirs_itl).assert().success();
    let lint = ctlkit()
        .args(["lint", "--format", "json"])
        .arg(&theirs_itl)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&lint.stdout).contains("KEY002"));

    // stripsgn and strip give the same payload.
    let load = dir.join("g3-tones.xml.sgn");
    fs::copy("fixtures/signed/g3-tones.xml.sgn", &load).unwrap();
    ctlkit()
        .arg("strip")
        .arg(&load)
        .arg("-o")
        .arg(dir.join("ours-payload"))
        .assert()
        .success();
    run("stripsgn", &[load.as_os_str()]);
    assert_eq!(
        fs::read(dir.join("g3-tones.xml")).unwrap(),
        fs::read(dir.join("ours-payload")).unwrap()
    );

    // certhash and hash --certhash print the same.
    for digest in ["sha1", "sha512"] {
        let theirs = run(
            "certhash",
            &[&os("-d"), &os(digest), dir.join("ours.pem").as_os_str()],
        );
        let ours = ctlkit()
            .args(["hash", "--certhash", digest])
            .arg(dir.join("ours.pem"))
            .output()
            .unwrap();
        let ours = String::from_utf8_lossy(&ours.stdout)
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned();
        assert_eq!(theirs.trim(), ours, "{digest}");
    }
}

#[test]
fn a_name_that_says_neither_ctl_nor_itl_is_refused_before_signing() {
    let folder = tempfile::tempdir().unwrap();
    let build = |output: &Path, extra: &[&str]| {
        let mut command = build_command(output);
        command.args(extra);
        command
    };
    // It was built and linted as a CTL (a guess), warning that "the CTL" lacks an anchor.
    let unnamed = folder.path().join("new-list.tlv");
    build(&unnamed, &[])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "new-list.tlv: the name says neither CTL nor ITL",
        ))
        .stderr(predicate::str::contains("--filename ITLFile.tlv"));
    assert!(!unnamed.exists());
    // --filename names what phones will ask for; the file may be written anywhere.
    build(&unnamed, &["--filename", "ITLFile.tlv"])
        .assert()
        .success();
    let bytes = fs::read(&unnamed).unwrap();
    let list = TrustList::parse(&bytes).unwrap();
    assert_eq!(list.kind(), Some(Kind::Itl));
    // A TFTP sub-folder in FILENAME is kept; its last part decides.
    build(
        &folder.path().join("elsewhere.tlv"),
        &["--filename", "Poland/ITLFile.tlv"],
    )
    .assert()
    .success();
}
