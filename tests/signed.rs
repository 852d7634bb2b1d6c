//! Signed files other than trust lists (docs/FORMAT.md §9): recognised by content, shown,
//! verified against the phone's lists or a certificate, swept by folder, stripped and signed.

use std::fs;
use std::path::Path;

use crate::support::{certificate, ctlkit, fixture, json_output, key, sign_as_publisher};
use ctlkit::format::{
    Outcome, ParseErrorKind, PayloadKind, SignRequest, SignerCandidate, sign_payload,
    verify_signed_file,
};
use ctlkit::report::{Render, SignedShowReport};
use ctlkit::{CiscoFile, DigestAlgorithm, SignedFile, TrustList};
use predicates::prelude::*;

fn signed(name: &str) -> String {
    format!("fixtures/signed/{name}")
}

fn parse_signed(bytes: &[u8]) -> SignedFile<'_> {
    match CiscoFile::parse(bytes).unwrap() {
        CiscoFile::Signed(file) => file,
        CiscoFile::TrustList(_) => panic!("parsed as a trust list"),
    }
}

#[test]
fn content_decides_between_trust_lists_and_signed_files() {
    let expected = [
        ("SEP001122334455.cnf.xml.sgn", PayloadKind::Xml, false),
        (
            "SEP001122334455-sha512.cnf.xml.sgn",
            PayloadKind::Xml,
            false,
        ),
        ("g3-tones.xml.sgn", PayloadKind::Xml, false),
        (
            "SEP001122334455.cnf.xml.enc.sgn",
            PayloadKind::Encrypted,
            false,
        ),
        ("SIP88xx.14-2-1-0101-20.loads", PayloadKind::LoadList, true),
        ("cmterm-lookalike.cop.sgn", PayloadKind::Gzip, true),
        ("term-lookalike.sbn", PayloadKind::CnuArchive, true),
    ];
    for (name, kind, firmware) in expected {
        let bytes = fs::read(signed(name)).unwrap();
        let file = parse_signed(&bytes);
        assert_eq!(file.payload_kind(), kind, "{name}");
        assert_eq!(file.is_firmware(), firmware, "{name}");
        assert_eq!(file.warnings(), &[], "{name}");
        assert_eq!(
            file.payload_offset() + file.payload().len(),
            bytes.len(),
            "{name}: the payload runs to the end"
        );
    }
    for (name, bytes) in crate::support::all_fixtures() {
        assert!(
            matches!(CiscoFile::parse(&bytes), Ok(CiscoFile::TrustList(_))),
            "{name}"
        );
    }
}

#[test]
fn a_damaged_trust_list_still_reports_its_damage() {
    // Record 1's RECORDLENGTH tag broken: the FILENAME says .tlv, so it is a trust list with a
    // broken record, not a signed file with a strange payload.
    let mut bytes = fixture("ITLFile-sha1.tlv");
    let header_length = usize::from(TrustList::parse(&bytes).unwrap().header().length());
    bytes[header_length] = 60;
    let error = CiscoFile::parse(&bytes).unwrap_err();
    assert!(
        matches!(error.kind, ParseErrorKind::WrongFirstTag { found: 60, .. }),
        "{error}"
    );
}

#[test]
fn the_header_of_a_firmware_file_has_no_timestamp_and_opaque_names() {
    let bytes = fs::read(signed("SIP88xx.14-2-1-0101-20.loads")).unwrap();
    let file = parse_signed(&bytes);
    assert_eq!(file.header().version(), (1, 1));
    assert_eq!(file.header().timestamp(), None);
    assert_eq!(
        file.header().signer_name(),
        Some(&b"CN=someSigner;OU=someOrgUnit;O=someOrg"[..])
    );
    let images: Vec<&[u8]> = file.load_list_images();
    assert_eq!(
        images,
        [
            &b"sip88xx.14-2-1-0101-20"[..],
            b"kern88xx.14-2-1-0101-20.sebn",
            b"rootfs88xx.14-2-1-0101-20.sebn"
        ]
    );
}

#[test]
fn show_reports_header_payload_and_encryption() {
    let bytes = fs::read(signed("SEP001122334455.cnf.xml.enc.sgn")).unwrap();
    let file = parse_signed(&bytes);
    let report = SignedShowReport {
        file: &file,
        path: "SEP001122334455.cnf.xml.enc.sgn",
        modified: None,
    };
    insta::assert_snapshot!("enc-sgn-text", report.text(false));
    let json = serde_json::to_value(report.json()).unwrap();
    crate::support::schema::assert_valid("show", &json);
    assert_eq!(json["kind"], "signed");
    assert_eq!(json["header"]["version"], "2.0");
    assert_eq!(json["payload"]["type"], "encrypted");
    assert_eq!(json["payload"]["offset"], 804);
    assert_eq!(json["encryption"]["iv_length"], 16);
    // The config was padded with `\r` to whole AES blocks.
    let padding = 16 - crate::support::generate::CONFIG.len() % 16;
    assert_eq!(json["encryption"]["padding"], padding);
    assert_eq!(json["encryption"]["wrapped_key_bits"], 2048);
    assert_eq!(json["encryption"]["plaintext_digest"], "SHA-1");
    assert_eq!(
        json["encryption"]["plaintext_hash"].as_str().unwrap().len(),
        40
    );

    let json = json_output(
        ctlkit().args(["show", "--format", "json", &signed("g3-tones.xml.sgn")]),
        0,
    );
    assert!(json["header"]["timestamp"].is_null());
    assert_eq!(json["header"]["filename"], "Poland/g3-tones.xml.sgn");
    assert_eq!(json["payload"]["type"], "xml");
    assert!(json["encryption"].is_null());
    for key in [
        "file",
        "header",
        "payload",
        "encryption",
        "firmware",
        "warnings",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    ctlkit()
        .args(["show", &signed("SEP001122334455.cnf.xml.sgn")])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("Parse Signed File")
                .and(predicate::str::contains("Type:           xml"))
                .and(predicate::str::contains("5C:1D:0A:91:22:47:8E:01")),
        );
}

/// The phone's verdict on each config, held ITL and exit code.
#[test]
fn verify_judges_configs_as_a_phone_holding_the_itl() {
    let cases: [(&str, &[&str], i32, &str, &str); 8] = [
        (
            "SEP001122334455.cnf.xml.sgn",
            &[],
            0,
            "accepted",
            "signed_by_held_record",
        ),
        (
            "SEP001122334455-sha512.cnf.xml.sgn",
            &[],
            0,
            "accepted",
            "signed_by_held_record",
        ),
        (
            "SEP001122334455.cnf.xml.enc.sgn",
            &[],
            0,
            "accepted",
            "signed_by_held_record",
        ),
        (
            "SEP001122334455-regenerated.cnf.xml.sgn",
            &[],
            1,
            "accepted_if_tvs_vouches",
            "tvs_may_vouch",
        ),
        (
            "SEP001122334455-regenerated.cnf.xml.sgn",
            &["--no-tvs"],
            1,
            "rejected",
            "phone_cannot_ask_tvs",
        ),
        (
            "SEP001122334455-other-cluster.cnf.xml.sgn",
            &[],
            1,
            "accepted_if_tvs_vouches",
            "tvs_may_vouch",
        ),
        (
            "SEP001122334455-altered.cnf.xml.sgn",
            &[],
            1,
            "rejected",
            "held_key_mismatch",
        ),
        (
            "g3-tones.xml.sgn",
            &[],
            0,
            "accepted",
            "signed_by_held_record",
        ),
    ];
    for (name, extra, code, acceptance, reason) in cases {
        let json = json_output(
            ctlkit()
                .args(["verify", "--format", "json", &signed(name)])
                .args(["--trust", "fixtures/ITLFile-sha1.tlv"])
                .args(extra),
            code,
        );
        let row = &json["rows"][0];
        assert_eq!(row["acceptance"], acceptance, "{name} {extra:?}");
        assert_eq!(row["acceptance_code"], reason, "{name} {extra:?}");
    }
    // The CTL's CCM+TFTP record signs configs too.
    let json = json_output(
        ctlkit().args([
            "verify",
            "--format",
            "json",
            &signed("SEP001122334455.cnf.xml.sgn"),
            "--trust",
            "fixtures/CTLFile-etoken-sha1.tlv",
        ]),
        0,
    );
    assert_eq!(json["rows"][0]["signature"]["signer_record"], 3);
}

#[test]
fn without_keys_a_signed_file_says_what_would_verify_it() {
    let json = json_output(
        ctlkit().args([
            "verify",
            "--format",
            "json",
            &signed("SEP001122334455.cnf.xml.sgn"),
        ]),
        1,
    );
    let signature = &json["rows"][0]["signature"];
    assert_eq!(signature["status"], "unverifiable");
    assert_eq!(signature["code"], "no_keys_given");
    let reason = signature["reason"].as_str().unwrap();
    assert!(
        reason.contains("--trust") && reason.contains("serial 5C:1D:0A:91:22:47:8E:01"),
        "{reason}"
    );

    let firmware = signed("SIP88xx.14-2-1-0101-20.loads");
    let json = json_output(
        ctlkit()
            .args(["verify", "--format", "json", &firmware])
            .args(["--trust", "fixtures/ITLFile-sha1.tlv"]),
        1,
    );
    assert_eq!(
        json["rows"][0]["signature"]["code"],
        "firmware_key_not_given"
    );
    assert!(
        json["rows"][0]["acceptance"].is_null(),
        "firmware is not judged by trust lists"
    );
    let json = json_output(
        ctlkit()
            .args(["verify", "--format", "json", &firmware])
            .args(["--cert", "fixtures/cluster/Firmware-lookalike.pem"]),
        0,
    );
    assert_eq!(json["rows"][0]["signature"]["status"], "valid");
    ctlkit()
        .args(["verify", "fixtures/ITLFile-sha1.tlv"])
        .args(["--cert", "fixtures/cluster/CallManager-cucm-pub.pem"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--cert is for signed files"));
    ctlkit()
        .args(["verify", &firmware])
        .args(["--cert", "fixtures/cluster/CallManager-cucm-pub.pem"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("signature unverifiable"));
}

#[test]
fn every_single_byte_change_of_a_signed_config_breaks_it() {
    let bytes = fs::read(signed("g3-tones.xml.sgn")).unwrap();
    let der = certificate("CallManager-cucm-pub");
    let candidate = SignerCandidate::from_certificate(&der).unwrap();
    let good = verify_signed_file(&parse_signed(&bytes), std::slice::from_ref(&candidate));
    assert!(good.is_valid(), "{good:?}");
    for offset in 0..bytes.len() {
        let mut damaged = bytes.clone();
        damaged[offset] ^= 0x20;
        if let Ok(CiscoFile::Signed(file)) = CiscoFile::parse(&damaged) {
            let verification = verify_signed_file(&file, std::slice::from_ref(&candidate));
            assert!(!verification.is_valid(), "byte {offset} still verifies");
        }
    }
    let nothing = verify_signed_file(&parse_signed(&bytes), &[]);
    assert!(matches!(
        nothing.outcome,
        Outcome::NoKeysGiven {
            firmware: false,
            ..
        }
    ));
}

/// Phones holding a rollback ITL have no TFTP certificate to check a config with: they take
/// every signed config, whoever signed it (another cluster's, an altered one), so a sweep of the
/// TFTP folder finds nothing they refuse.
#[test]
fn phones_holding_a_rollback_itl_take_every_signed_config() {
    let json = json_output(
        ctlkit().args([
            "verify",
            "--format",
            "json",
            "--trust",
            "fixtures/ITLFile-rollback-sha1.tlv",
            "fixtures/signed",
        ]),
        0,
    );
    assert_eq!(
        json["counts"],
        serde_json::json!({
            "accepted": 7, "accepted_if_tvs_vouches": 0, "rejected": 0,
            "firmware": 3, "not_signed": 0, "unusable": 0
        })
    );
    // One file: accepted and exit 0, as in the sweep (the phone's verdict decides; it takes
    // what it cannot check while it holds a rollback ITL).
    let one = json_output(
        ctlkit().args([
            "verify",
            "--format",
            "json",
            "--no-tvs",
            "--trust",
            "fixtures/ITLFile-rollback-sha1.tlv",
            "fixtures/signed/SEP001122334455-other-cluster.cnf.xml.sgn",
        ]),
        0,
    );
    assert_eq!(one["rows"][0]["acceptance"], "accepted", "{one}");
    assert_eq!(one["rows"][0]["acceptance_code"], "held_itl_is_rollback");
}

#[test]
fn a_sweep_groups_a_tftp_folder_by_verdict_and_exits_1_on_a_rejection() {
    let folder = tempfile::tempdir().unwrap();
    for entry in fs::read_dir("fixtures/signed").unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, folder.path().join(path.file_name().unwrap())).unwrap();
    }
    fs::write(folder.path().join("plain.xml"), "<device/>").unwrap();
    let json = json_output(
        ctlkit()
            .args([
                "verify",
                "--format",
                "json",
                "--trust",
                "fixtures/ITLFile-sha1.tlv",
            ])
            .arg(folder.path()),
        1,
    );
    assert_eq!(json["files"], 11);
    assert_eq!(
        json["counts"],
        serde_json::json!({
            "accepted": 4, "accepted_if_tvs_vouches": 2, "rejected": 1,
            "firmware": 3, "not_signed": 1, "unusable": 0
        })
    );
    let output = ctlkit()
        .args([
            "verify",
            "--format",
            "csv",
            "--trust",
            "fixtures/ITLFile-sha1.tlv",
        ])
        .arg(folder.path())
        .assert()
        .code(1)
        .get_output()
        .clone();
    let csv = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "path,kind,type,signer_name,signer_serial,signature,signature_code,acceptance,acceptance_code,problem_code,damaged"
    );
    assert_eq!(lines.len(), 12);
    assert!(
        lines
            .iter()
            .any(|line| line.contains("-altered.cnf.xml.sgn,signed,xml,")
                && line.ends_with(",rejected,held_key_mismatch,,false"))
    );
    // Without the rejected file, the two that need TVS still make it a "no" (only if TVS
    // vouches is not a yes); without them too, the folder passes.
    fs::remove_file(folder.path().join("SEP001122334455-altered.cnf.xml.sgn")).unwrap();
    ctlkit()
        .args(["verify", "--trust", "fixtures/ITLFile-sha1.tlv"])
        .arg(folder.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("10 files against a phone holding"));
    for needs_tvs in ["-regenerated", "-other-cluster"] {
        fs::remove_file(
            folder
                .path()
                .join(format!("SEP001122334455{needs_tvs}.cnf.xml.sgn")),
        )
        .unwrap();
    }
    ctlkit()
        .args(["verify", "--trust", "fixtures/ITLFile-sha1.tlv"])
        .arg(folder.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("8 files against a phone holding"));
    // Without --trust, each file is checked by its own signature alone, as one file is: a
    // config has no key to check it with, so the answer is a "no" that says what to give.
    ctlkit()
        .arg("verify")
        .arg(folder.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "each by its own signature (give --trust for a phone's verdict)",
        ));
}

#[test]
fn sign_then_verify_then_strip_gives_the_payload_back() {
    let config = b"<?xml version=\"1.0\"?>\n<device><fullConfig>true</fullConfig></device>\n";
    let der = certificate("CallManager-cucm-pub");
    let signer_key = key("CallManager-cucm-pub");
    let built = sign_payload(&SignRequest {
        signer_certificate: &der,
        signer_key: &signer_key,
        digest: DigestAlgorithm::Sha512,
        filename: "SEP001122334455.cnf.xml.sgn".to_owned(),
        timestamp: Some(crate::support::generate::SIGNED_AT),
        payload: config,
    })
    .unwrap();
    let file = parse_signed(&built.bytes);
    assert_eq!(file.payload(), config);
    assert_eq!(file.header().version(), (1, 0));
    assert_eq!(file.header().length() % 4, 0);

    let directory = tempfile::tempdir().unwrap();
    let input = directory.path().join("SEP001122334455.cnf.xml");
    fs::write(&input, config).unwrap();
    let output = directory.path().join("SEP001122334455.cnf.xml.sgn");
    let sign = || {
        let mut command = sign_as_publisher(&input, &output);
        command.args(["--timestamp", "1768471200"]);
        command
    };
    sign()
        .assert()
        .code(0)
        .stderr(predicate::str::contains("SHA-1 is weak"));
    sign()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("exists; use --force"));
    ctlkit()
        .args(["verify", "--trust", "fixtures/ITLFile-sha1.tlv"])
        .arg(&output)
        .assert()
        .code(0);
    // Stripping writes X for X.sgn, never over an existing file.
    fs::remove_file(&input).unwrap();
    ctlkit().arg("strip").arg(&output).assert().code(0);
    assert_eq!(fs::read(&input).unwrap(), config);
    ctlkit().arg("strip").arg(&output).assert().code(2);
    let stdout = ctlkit()
        .arg("strip")
        .arg(&output)
        .args(["-o", "-"])
        .assert()
        .code(0)
        .get_output()
        .clone()
        .stdout;
    assert_eq!(stdout, config);
    // A .cop.sgn becomes its .tar.gz; a trust list has no payload.
    let cop = directory.path().join("cmterm-lookalike.cop.sgn");
    fs::copy(signed("cmterm-lookalike.cop.sgn"), &cop).unwrap();
    ctlkit().arg("strip").arg(&cop).assert().code(0);
    assert!(
        directory
            .path()
            .join("cmterm-lookalike.cop.tar.gz")
            .exists()
    );
    ctlkit()
        .args(["strip", "fixtures/ITLFile-sha1.tlv", "-o", "-"])
        .assert()
        .code(2)
        .stdout("");
}

/// The TFTP node's certificate and key in one PEM, as certutils takes them.
fn tftp_pem(directory: &Path) -> std::path::PathBuf {
    let combined = directory.join("tftp.pem");
    let mut pem = fs::read("fixtures/cluster/CallManager-cucm-pub.pem").unwrap();
    pem.extend(fs::read("fixtures/cluster/CallManager-cucm-pub.key").unwrap());
    fs::write(&combined, pem).unwrap();
    combined
}

/// The non-Cisco builder (certutils' `sgnfile`, GPL: run, never copied) accepts what `ctlkit
/// sign` writes, and ctlkit verifies what it builds. It runs where CTLKIT_CERTUTILS names a
/// folder holding `sgnfile` (and Python's `cryptography` is installed); it is not part of
/// this repository.
#[test]
#[ignore = "needs certutils: CTLKIT_CERTUTILS=/path/to/certutils cargo test -- --ignored certutils"]
fn certutils_sgnfile_and_ctlkit_read_each_other() {
    let tools = crate::support::outside("CTLKIT_CERTUTILS", "certutils' folder (sgnfile)");
    let sgnfile = Path::new(&tools).join("sgnfile");
    let directory = tempfile::tempdir().unwrap();
    let combined = tftp_pem(directory.path());
    let input = directory.path().join("ours.cnf.xml");
    fs::write(&input, "<device/>\n").unwrap();
    let ours = directory.path().join("ours.cnf.xml.sgn");
    ctlkit()
        .arg("sign")
        .arg(&input)
        .arg("-o")
        .arg(&ours)
        .arg("--signer")
        .arg(&combined)
        .assert()
        .code(0);
    let parsed = std::process::Command::new("python3")
        .arg(&sgnfile)
        .arg("-p")
        .arg(&ours)
        .arg("-t")
        .arg(&combined)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&parsed.stdout).contains("Valid signature"),
        "{parsed:?}"
    );
    let theirs_input = directory.path().join("theirs.cnf.xml");
    fs::write(&theirs_input, "<device/>\n").unwrap();
    let built = std::process::Command::new("python3")
        .arg(&sgnfile)
        .arg("-b")
        .arg(&theirs_input)
        .arg("-t")
        .arg(&combined)
        .args(["-d", "sha512"])
        .current_dir(directory.path())
        .status()
        .unwrap();
    assert!(built.success());
    ctlkit()
        .args(["verify", "--trust", "fixtures/ITLFile-sha1.tlv"])
        .arg(directory.path().join("theirs.cnf.xml.sgn"))
        .assert()
        .code(0);
}

#[test]
fn an_encrypted_config_decrypts_with_the_phones_key_and_nothing_else() {
    let bytes = fs::read(signed("SEP001122334455.cnf.xml.enc.sgn")).unwrap();
    let file = parse_signed(&bytes);
    let phone = key("Phone-SEP001122334455");
    assert_eq!(
        ctlkit::format::decrypt_config(&file, &phone).unwrap(),
        crate::support::generate::CONFIG.as_bytes()
    );
    // Another key unwraps to garbage or fails; either way, no plaintext comes back.
    assert!(ctlkit::format::decrypt_config(&file, &key("CallManager-cucm-pub")).is_err());
    // A changed ciphertext block decrypts to something without the header's hash.
    let mut damaged = bytes.clone();
    let first_block = file.payload_offset() + 3;
    damaged[first_block] ^= 1;
    assert!(matches!(
        ctlkit::format::decrypt_config(&parse_signed(&damaged), &phone),
        Err(ctlkit::format::DecryptError::HashMismatch { .. })
    ));
    let plain = fs::read(signed("SEP001122334455.cnf.xml.sgn")).unwrap();
    assert_eq!(
        ctlkit::format::decrypt_config(&parse_signed(&plain), &phone),
        Err(ctlkit::format::DecryptError::NotEncrypted)
    );

    let directory = tempfile::tempdir().unwrap();
    let encrypted = directory.path().join("SEP001122334455.cnf.xml.enc.sgn");
    fs::write(&encrypted, &bytes).unwrap();
    ctlkit()
        .arg("strip")
        .arg(&encrypted)
        .args(["--key", "fixtures/cluster/Phone-SEP001122334455.key"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("decrypted config"));
    assert_eq!(
        fs::read(directory.path().join("SEP001122334455.cnf.xml")).unwrap(),
        crate::support::generate::CONFIG.as_bytes()
    );
    ctlkit()
        .arg("strip")
        .arg(&encrypted)
        .args(["--key", "fixtures/cluster/TVS-cucm-pub.key", "-o", "-"])
        .assert()
        .code(2)
        .stdout("");
}

/// certutils' `enccnf` (GPL: run, never copied) decrypts what the fixture generator encrypts,
/// and ctlkit decrypts what `enccnf` encrypts. Runs where CTLKIT_CERTUTILS names its folder
/// (with Python's `cryptography` and `lxml`).
#[test]
#[ignore = "needs certutils: CTLKIT_CERTUTILS=/path/to/certutils cargo test -- --ignored certutils"]
fn certutils_enccnf_and_ctlkit_decrypt_each_other() {
    let tools = crate::support::outside("CTLKIT_CERTUTILS", "certutils' folder (enccnf)");
    let enccnf = Path::new(&tools).join("enccnf");
    let directory = tempfile::tempdir().unwrap();
    let tftp = tftp_pem(directory.path());
    // enccnf parses the config (a namespace-clean one: CUCM's undeclared `xsi:` prefix stops
    // its XML parser) and encrypts its own serialisation of it.
    let config = directory.path().join("SEP001122334455.cnf.xml");
    fs::write(&config, "<device><fullConfig>true</fullConfig></device>").unwrap();
    let built = std::process::Command::new("python3")
        .arg(&enccnf)
        .arg("-b")
        .arg(&config)
        .arg("-t")
        .arg(&tftp)
        .arg("-c")
        .arg(fs::canonicalize("fixtures/cluster/Phone-SEP001122334455.pem").unwrap())
        .current_dir(directory.path())
        .output()
        .unwrap();
    assert!(built.status.success(), "{built:?}");
    let encrypted = directory.path().join("SEP001122334455.cnf.xml.enc.sgn");
    let output = ctlkit()
        .arg("strip")
        .arg(&encrypted)
        .args([
            "--key",
            "fixtures/cluster/Phone-SEP001122334455.key",
            "-o",
            "-",
        ])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let plaintext = String::from_utf8(output.stdout).unwrap();
    assert!(
        plaintext.contains("<fullConfig>true</fullConfig>"),
        "{plaintext}"
    );
    ctlkit()
        .args(["verify", "--trust", "fixtures/ITLFile-sha1.tlv"])
        .arg(&encrypted)
        .assert()
        .code(0);
}

#[test]
fn diff_of_two_configs_shows_header_changes_and_the_changed_lines() {
    let json = json_output(
        ctlkit().args([
            "diff",
            "--format",
            "json",
            &signed("SEP001122334455.cnf.xml.sgn"),
            &signed("SEP001122334455-altered.cnf.xml.sgn"),
        ]),
        1,
    );
    assert_eq!(json["identical"], false);
    assert_eq!(json["header_changes"], serde_json::json!([]));
    assert_eq!(json["payload"]["same"], false);
    let unified = json["payload"]["unified_diff"].as_str().unwrap();
    assert!(
        unified.contains("\n-<name>Default</name>\n+<name>default</name>\n"),
        "{unified}"
    );

    let json = json_output(
        ctlkit().args([
            "diff",
            "--format",
            "json",
            &signed("SEP001122334455.cnf.xml.sgn"),
            &signed("SEP001122334455-regenerated.cnf.xml.sgn"),
        ]),
        1,
    );
    let fields: Vec<&str> = json["header_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|change| change["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["signer_serial", "timestamp"]);
    assert_eq!(json["payload"]["same"], true);
    assert!(json["payload"]["unified_diff"].is_null());

    // Binary payloads are compared by checksum only.
    ctlkit()
        .args([
            "diff",
            &signed("term-lookalike.sbn"),
            &signed("cmterm-lookalike.cop.sgn"),
        ])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("payload: cnu_archive (").and(
                predicate::str::contains("-> gzip (").and(predicate::str::contains("@@").not()),
            ),
        );
    ctlkit()
        .args([
            "diff",
            &signed("g3-tones.xml.sgn"),
            &signed("g3-tones.xml.sgn"),
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("identical"));
    ctlkit()
        .args([
            "diff",
            &signed("g3-tones.xml.sgn"),
            "fixtures/ITLFile-sha1.tlv",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("compare like with like"));
}

#[test]
fn hash_takes_signed_files_like_any_other() {
    let output = ctlkit()
        .args(["hash", &signed("SEP001122334455.cnf.xml.sgn")])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let bytes = fs::read(signed("SEP001122334455.cnf.xml.sgn")).unwrap();
    let sums = ctlkit::Checksums::of(&bytes);
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .starts_with(&format!(
                "{}  {}  {}",
                sums.md5_hex(),
                sums.sha1_hex(),
                sums.sha256_hex()
            ))
    );
}

/// Genuine Cisco firmware from a public phone-provisioning repository. The files are Cisco's
/// and carry no licence, so they are not in this repository: the test runs where
/// CTLKIT_FIRMWARE_DIR names a folder holding them, and checks the facts recorded here.
#[test]
#[ignore = "needs Cisco firmware files: CTLKIT_FIRMWARE_DIR=/path cargo test -- --ignored genuine_cisco_firmware"]
fn genuine_cisco_firmware_files_read_as_their_facts_say() {
    let folder = crate::support::outside("CTLKIT_FIRMWARE_DIR", "a folder of Cisco firmware files");
    // name, file size, header length, payload type, payload MD5
    let facts = [
        (
            "term06.default.loads",
            662,
            408,
            PayloadKind::LoadList,
            "acf3dc787dcab444c0ab23bd217f6d4c",
        ),
        (
            "SCCP11.9-4-2SR1-1S.loads",
            666,
            412,
            PayloadKind::LoadList,
            "acf3dc787dcab444c0ab23bd217f6d4c",
        ),
        (
            "SCCP69xx.9-4-1-3SR2.loads",
            499,
            412,
            PayloadKind::LoadList,
            "c6c9774a7d0e6ad222ec0254f7b37632",
        ),
        (
            "P0030801SR02.loads",
            458,
            404,
            PayloadKind::LoadList,
            "a100cd01dfc7058bfa2087162fa512b3",
        ),
        (
            "P0030801SR02.sbn",
            130_956,
            404,
            PayloadKind::Binary,
            "dc9fc12337310959514c854eb5474678",
        ),
        (
            "cnu11.9-4-2ES9.sbn",
            559_855,
            404,
            PayloadKind::CnuArchive,
            "a3e55c848809c1313a6aa64e86bab8f7",
        ),
        (
            "BOOT69xx.0-0-0-14.zz.sgn",
            45_308,
            412,
            PayloadKind::Binary,
            "4c6c8efa688450283d800b49b9b60347",
        ),
        (
            "DSP69xx.12-4-122-99.131025.zz.sgn",
            227_828,
            420,
            PayloadKind::Binary,
            "665e60de400e95f398f1416f3f997b2a",
        ),
        (
            "SCCP69xx.9-4-1-3SR2.zz.sgn",
            2_872_108,
            412,
            PayloadKind::Binary,
            "c094e811e13696fb2efcb48fdbc8c189",
        ),
    ];
    for (name, size, header_length, kind, payload_md5) in facts {
        let bytes = fs::read(Path::new(&folder).join(name)).unwrap();
        assert_eq!(bytes.len(), size, "{name}");
        let file = parse_signed(&bytes);
        let header = file.header();
        assert_eq!(header.version(), (1, 1), "{name}");
        assert_eq!(usize::from(header.length()), header_length, "{name}");
        assert_eq!(
            header.timestamp(),
            None,
            "{name}: firmware has no TIMESTAMP"
        );
        assert_eq!(header.filename(), Some(name.as_bytes()), "{name}");
        assert_eq!(
            header.signer_name(),
            Some(&b"CN=someSigner;OU=someOrgUnit;O=someOrg"[..]),
            "{name}"
        );
        assert_eq!(
            header.signer_serial().unwrap().to_string(),
            "12:34:56:78:90:AB:CD:EF",
            "{name}"
        );
        assert_eq!(
            header.digest_algorithm(),
            Some(DigestAlgorithm::Sha1),
            "{name}"
        );
        assert_eq!(header.signature().map(<[u8]>::len), Some(256), "{name}");
        assert_eq!(file.warnings(), &[], "{name}");
        assert_eq!(file.payload_kind(), kind, "{name}");
        assert!(file.is_firmware(), "{name}");
        assert_eq!(
            ctlkit::Checksums::of(file.payload()).md5_hex(),
            payload_md5,
            "{name}"
        );
        let verification = verify_signed_file(&file, &[]);
        assert_eq!(
            verification.outcome.code(),
            "firmware_key_not_given",
            "{name}"
        );
    }
    // A `.loads` that is not signed at all: an XML manifest for Cisco IP Communicator.
    let manifest = fs::read(Path::new(&folder).join("CIPC_Locale.loads")).unwrap();
    assert!(CiscoFile::parse(&manifest).is_err());
}

#[test]
fn an_ec_signer_is_refused_by_what_it_is_and_nothing_is_written() {
    let folder = tempfile::tempdir().unwrap();
    let ec = folder.path().join("https.pem");
    crate::support::make_ec_certificate(&ec);
    let config = folder.path().join("SEP001122334455.cnf.xml");
    fs::write(&config, "<device/>").unwrap();
    let signed = folder.path().join("SEP001122334455.cnf.xml.sgn");
    ctlkit()
        .arg("sign")
        .arg(&config)
        .arg("-o")
        .arg(&signed)
        .arg("--signer")
        .arg(&ec)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "holds an EC key: ctlkit signs and decrypts with RSA keys only",
        ));
    assert!(!signed.exists());
}

#[test]
fn sign_encrypt_for_makes_a_config_only_that_phone_reads_and_strip_gives_it_back() {
    let folder = tempfile::tempdir().unwrap();
    let config = folder.path().join("SEP001122334455.cnf.xml");
    let xml = b"<device><loadInformation>sip88xx.14-2-1-0101-20</loadInformation></device>\n";
    fs::write(&config, xml).unwrap();
    let encrypt = |output: &std::path::Path| {
        sign_as_publisher(&config, output)
            .args([
                "--encrypt-for",
                "fixtures/cluster/Phone-SEP001122334455.pem",
            ])
            .args(["--allow", "KNO001", "--digest", "sha512"])
            .assert()
            .success();
        fs::read(output).unwrap()
    };
    let first_path = folder.path().join("SEP001122334455.cnf.xml.enc.sgn");
    let first = encrypt(&first_path);
    let second = encrypt(&folder.path().join("again.cnf.xml.enc.sgn"));
    let parsed = match ctlkit::CiscoFile::parse(&first).unwrap() {
        ctlkit::CiscoFile::Signed(file) => file,
        _ => panic!("not a signed file"),
    };
    assert_eq!(parsed.header().version(), (2, 0));
    assert_eq!(
        parsed.payload_kind(),
        ctlkit::format::PayloadKind::Encrypted
    );
    // A fresh key and IV each time: the same config never encrypts the same way twice.
    let payload_of = |bytes: &[u8]| match ctlkit::CiscoFile::parse(bytes).unwrap() {
        ctlkit::CiscoFile::Signed(file) => file.payload().to_vec(),
        _ => unreachable!(),
    };
    assert_ne!(payload_of(&first), payload_of(&second));
    assert!(
        !first.windows(12).any(|window| window == b"sip88xx.14-2"),
        "plaintext leaked"
    );
    // A phone holding the cluster's ITL takes it; the phone's key gives the config back.
    ctlkit()
        .args(["verify", "--trust", "fixtures/ITLFile-sha1.tlv"])
        .arg(&first_path)
        .assert()
        .success();
    let back = folder.path().join("back.xml");
    ctlkit()
        .arg("strip")
        .arg(&first_path)
        .args(["--key", "fixtures/cluster/Phone-SEP001122334455.key", "-o"])
        .arg(&back)
        .assert()
        .success();
    assert_eq!(fs::read(&back).unwrap(), xml);
    // Another key does not.
    ctlkit()
        .arg("strip")
        .arg(&first_path)
        .args(["--key", "fixtures/cluster/CAPF-cucm-pub.key", "-o"])
        .arg(folder.path().join("never.xml"))
        .assert()
        .code(2);
    // A phone certificate that is not one: exit 2, nothing written.
    let refused = folder.path().join("refused.cnf.xml.enc.sgn");
    sign_as_publisher(&config, &refused)
        .args(["--encrypt-for", "fixtures/ITLFile-sha1.tlv"])
        .assert()
        .code(2);
    assert!(!refused.exists());
}

/// certutils' `enccnf` (run, never copied) parses and decrypts what `ctlkit sign --encrypt-for`
/// writes, and ctlkit verifies and decrypts what `enccnf -b` builds. Runs where
/// CTLKIT_CERTUTILS names certutils' folder (with Python's `cryptography` and `lxml`).
#[test]
#[ignore = "needs certutils: CTLKIT_CERTUTILS=/path/to/certutils cargo test -- --ignored certutils"]
fn certutils_enccnf_and_ctlkit_read_each_other() {
    let tools = crate::support::outside("CTLKIT_CERTUTILS", "certutils' folder (enccnf)");
    let enccnf = Path::new(&tools).join("enccnf");
    let directory = tempfile::tempdir().unwrap();
    let combined = tftp_pem(directory.path());
    let xml = b"<device><loadInformation>sip88xx.14-2-1-0101-20</loadInformation></device>\n";
    // Ours, read by enccnf: the signature holds (-p) and the phone's key decrypts it (-r).
    let config = directory.path().join("SEP001122334455.cnf.xml");
    fs::write(&config, xml).unwrap();
    let ours = directory.path().join("SEP001122334455.cnf.xml.enc.sgn");
    ctlkit()
        .arg("sign")
        .arg(&config)
        .arg("-o")
        .arg(&ours)
        .arg("--signer")
        .arg(&combined)
        .args([
            "--encrypt-for",
            "fixtures/cluster/Phone-SEP001122334455.pem",
        ])
        .args(["--allow", "KNO001"])
        .assert()
        .success();
    fs::remove_file(&config).unwrap();
    let python = |arguments: &[&std::ffi::OsStr]| {
        std::process::Command::new("python3")
            .arg(&enccnf)
            .args(arguments)
            .current_dir(directory.path())
            .output()
            .unwrap()
    };
    let parsed = python(&[
        "-p".as_ref(),
        ours.as_os_str(),
        "-t".as_ref(),
        combined.as_os_str(),
    ]);
    assert!(
        String::from_utf8_lossy(&parsed.stdout).contains("Valid signature"),
        "{parsed:?}"
    );
    let removed = python(&[
        "-r".as_ref(),
        ours.as_os_str(),
        "-k".as_ref(),
        Path::new("fixtures/cluster/Phone-SEP001122334455.key")
            .canonicalize()
            .unwrap()
            .as_os_str(),
    ]);
    assert!(removed.status.success(), "{removed:?}");
    assert_eq!(fs::read(&config).unwrap(), xml);
    // Theirs, read by ctlkit.
    let built = python(&[
        "-b".as_ref(),
        config.as_os_str(),
        "-t".as_ref(),
        combined.as_os_str(),
        "-c".as_ref(),
        Path::new("fixtures/cluster/Phone-SEP001122334455.pem")
            .canonicalize()
            .unwrap()
            .as_os_str(),
    ]);
    assert!(built.status.success(), "{built:?}");
    let theirs = directory.path().join("SEP001122334455.cnf.xml.enc.sgn");
    ctlkit()
        .args(["verify", "--trust", "fixtures/ITLFile-sha1.tlv"])
        .arg(&theirs)
        .assert()
        .success();
    let back = directory.path().join("back.xml");
    ctlkit()
        .arg("strip")
        .arg(&theirs)
        .args(["--key", "fixtures/cluster/Phone-SEP001122334455.key", "-o"])
        .arg(&back)
        .assert()
        .success();
    let back = fs::read(&back).unwrap();
    assert!(
        back.windows(22)
            .any(|window| window == b"sip88xx.14-2-1-0101-20")
    );
    // Its companion, which points the phone to the encrypted one.
    let companion = fs::read(directory.path().join("SEP001122334455.cnf.xml.sgn")).unwrap();
    assert!(companion.windows(10).any(|window| window == b"encrConfig"));
}
