//! Pasted `show ctl` / `show itl` text wherever a trust list is taken: `show`, `diff`, `check`,
//! `lint`, `audit --against`. The text holds checksums, names, serials and certificate hashes,
//! never certificates, and the reports say so.

use std::fs;
use std::path::Path;

use crate::support::{ctlkit, json_output, pem_path, text_output};
use predicates::prelude::*;

/// ctlkit's own `show` text of a file.
fn shown(path: &Path) -> String {
    let output = ctlkit().arg("show").arg(path).output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

/// What a terminal and a ticket system do to it: wrapped at `width` columns, CRLF, trailing
/// spaces, a prompt before it.
fn pasted(text: &str, width: usize) -> String {
    let mut out = String::from("admin:show itl\r\n");
    for line in text.lines() {
        let characters: Vec<char> = line.chars().collect();
        if characters.is_empty() {
            out.push_str("  \r\n");
        }
        for piece in characters.chunks(width) {
            out.push_str(&piece.iter().collect::<String>());
            out.push_str("  \r\n");
        }
    }
    out
}

fn without_checksums(text: &str) -> String {
    text.lines()
        .filter(|line| !line.ends_with("(MD5)") && !line.ends_with("(SHA1)"))
        .map(|line| format!("{line}\n"))
        .collect()
}

#[test]
fn for_every_fixture_its_show_text_diffs_identical_with_it_even_pasted_and_without_checksums() {
    let folder = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for entry in fs::read_dir("fixtures").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|extension| extension != "tlv") {
            continue;
        }
        let text = shown(&path);
        for (shape, variant) in [
            ("as shown", text.clone()),
            ("pasted", pasted(&text, 80)),
            (
                "without checksums, wrapped at 80",
                pasted(&without_checksums(&text), 80),
            ),
            (
                "without checksums, wrapped at 57",
                pasted(&without_checksums(&text), 57),
            ),
        ] {
            let saved = folder.path().join("show.txt");
            fs::write(&saved, &variant).unwrap();
            let json = json_output(
                ctlkit()
                    .arg("diff")
                    .arg(&saved)
                    .arg(&path)
                    .args(["--format", "json"]),
                0,
            );
            assert_eq!(
                json["identical"],
                true,
                "{} {shape}: {json}",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 40, "{checked}");
}

#[test]
fn a_pasted_itl_against_the_server_after_a_certificate_was_regenerated() {
    let folder = tempfile::tempdir().unwrap();
    let saved = folder.path().join("show-itl.txt");
    fs::write(
        &saved,
        without_checksums(&shown(Path::new("fixtures/ITLFile-sha1.tlv"))),
    )
    .unwrap();
    let json = json_output(
        ctlkit()
            .arg("diff")
            .arg(&saved)
            .arg("fixtures/ITLFile-regenerated-sha1.tlv")
            .args(["--format", "json"]),
        1,
    );
    assert_eq!(json["identical"], false);
    assert_eq!(json["checksums"], "not_printed");
    let changes: Vec<&str> = json["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|change| change["change"].as_str().unwrap())
        .collect();
    // The CallManager certificate's two records moved to a new serial; TVS and CAPF did not.
    assert_eq!(
        changes,
        [
            "only_in_text",
            "only_in_text",
            "same",
            "same",
            "only_in_file",
            "only_in_file"
        ]
    );
    // The file may come first, too.
    ctlkit()
        .arg("diff")
        .arg("fixtures/ITLFile-regenerated-sha1.tlv")
        .arg(&saved)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "only in the file: record 1 SAST CN=cucm-pub",
        ))
        .stdout(predicate::str::contains(
            "pasted text holds no certificates",
        ));
}

#[test]
fn show_reads_every_output_in_a_paste() {
    let json = json_output(
        ctlkit().args([
            "show",
            "fixtures/pasted/show-ctl-and-itl.txt",
            "--format",
            "json",
        ]),
        0,
    );
    let outputs = json["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), 2);
    assert_eq!(outputs[0]["kind"], "CTL");
    assert_eq!(outputs[1]["kind"], "ITL");
    assert_eq!(outputs[0]["first_line"], 2);
    assert_eq!(outputs[1]["records"].as_array().unwrap().len(), 4);
    assert_eq!(outputs[1]["records"][0]["function"], "SAST");
    assert_eq!(
        outputs[1]["records"][0]["serial"],
        "6D:02:E1:58:9C:33:70:07"
    );
    assert_eq!(json["source"], "pasted_show_output");
    // Diff picks the output of the file's kind.
    ctlkit()
        .args([
            "diff",
            "fixtures/pasted/show-ctl-and-itl.txt",
            "fixtures/ITLFile-regenerated-sha1.tlv",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "identical: the `show itl` output",
        ));
    ctlkit()
        .args([
            "diff",
            "fixtures/pasted/show-ctl-and-itl.txt",
            "fixtures/CTLFile-updated-sha1.tlv",
        ])
        .assert()
        .code(0);
    // Two outputs of one kind: which one is meant is not guessed.
    let folder = tempfile::tempdir().unwrap();
    let doubled = folder.path().join("two.txt");
    let itl = shown(Path::new("fixtures/ITLFile-sha1.tlv"));
    fs::write(&doubled, format!("{itl}{itl}")).unwrap();
    ctlkit()
        .arg("diff")
        .arg(&doubled)
        .arg("fixtures/ITLFile-sha1.tlv")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "2 outputs of `show itl` in it (from lines 1, ",
        ));
}

#[test]
fn a_pasted_cucm_layout_wrapped_with_crlf_is_the_fixture() {
    ctlkit()
        .args([
            "diff",
            "fixtures/pasted/show-itl-cucm-wrapped.txt",
            "fixtures/ITLFile-sha1.tlv",
        ])
        .assert()
        .code(0);
    insta::assert_snapshot!(text_output(
        ctlkit().args(["show", "fixtures/pasted/show-itl-cucm-wrapped.txt"]),
        0
    ));
}

#[test]
fn check_compares_serials_and_certificate_hashes() {
    let json = json_output(
        ctlkit()
            .args(["check", "fixtures/pasted/show-itl-cucm-wrapped.txt"])
            .args(["--callmanager", &pem_path("CallManager-cucm-pub")])
            .args([
                "--callmanager",
                &pem_path("CallManager-cucm-pub-regenerated"),
            ])
            .args(["--tvs", &pem_path("TVS-cucm-pub")])
            .args(["--format", "json"]),
        1,
    );
    let statuses: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["match", "missing", "match"]);
    assert_eq!(json["findings"][0]["records"], serde_json::json!([1, 2]));
    assert_eq!(json["in_sync"], false);
    // The same serial with another certificate: a text whose hash was edited.
    let folder = tempfile::tempdir().unwrap();
    let edited = folder.path().join("edited.txt");
    let text =
        shown(Path::new("fixtures/ITLFile-sha1.tlv")).replacen("13 D6 0B 63", "00 00 00 00", 2);
    fs::write(&edited, text).unwrap();
    ctlkit()
        .arg("check")
        .arg(&edited)
        .args(["--callmanager", &pem_path("CallManager-cucm-pub")])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("mismatch"))
        .stdout(predicate::str::contains(
            "has its serial but another (or no printed) certificate SHA-1",
        ));
}

#[test]
fn lint_checks_what_text_can_tell_and_says_what_it_cannot() {
    let folder = tempfile::tempdir().unwrap();
    let no_tvs = folder.path().join("no-tvs.txt");
    let text = shown(Path::new("fixtures/ITLFile-sha1.tlv")).replace(
        "FUNCTION                2       TVS",
        "FUNCTION                2       CAPF",
    );
    fs::write(&no_tvs, text).unwrap();
    let json = json_output(
        ctlkit()
            .arg("lint")
            .arg(&no_tvs)
            .args(["--deny", "warning", "--format", "json"]),
        1,
    );
    let rules: Vec<&str> = json[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"ROL001"), "{json}");
    // The length the text prints is checked against what phones load (SIZ001).
    let too_large = folder.path().join("too-large.txt");
    let text = shown(Path::new("fixtures/ITLFile-sha1.tlv"))
        .replace("Length of ITL file: 6656", "Length of ITL file: 70000");
    fs::write(&too_large, text).unwrap();
    let json = json_output(
        ctlkit()
            .arg("lint")
            .arg(&too_large)
            .args(["--format", "json"]),
        1,
    );
    assert_eq!(json[0]["findings"][0]["rule"], "SIZ001", "{json}");
    ctlkit()
        .arg("lint")
        .arg(&no_tvs)
        .assert()
        .stderr(predicate::str::contains(
            "holds no certificates: only SIZ001, SIZ002, SIZ003, SIG003, ROL001, ROL002, ROL004, ROL006 can be checked",
        ));
}

#[test]
fn audit_against_pasted_text_compares_by_its_checksums() {
    let folder = tempfile::tempdir().unwrap();
    let server = folder.path().join("show-itl-server.txt");
    fs::write(
        &server,
        shown(Path::new("fixtures/ITLFile-regenerated-sha1.tlv")),
    )
    .unwrap();
    let json = json_output(
        ctlkit()
            .args(["audit", "fixtures/captures/reset-wave.pcap", "--against"])
            .arg(&server)
            .args(["--format", "json"]),
        1,
    );
    assert_eq!(json["phones"], 3);
    assert_eq!(json["matching"], 2);
    assert_eq!(json["groups"][1]["standing"], "differs", "{json}");
    assert!(
        json["groups"][1]["reason"].as_str().unwrap().contains(
            "cannot be judged from this comparison (pasted show text holds no certificates"
        ),
        "{json}"
    );
}

#[test]
fn a_lying_length_column_does_not_make_lines_join_without_end() {
    // A name whose LENGTH says far more than any value holds, then many lines that could be
    // its continuation: read in one pass, the name capped at what a TLV value can hold.
    let mut text =
        String::from("Parse ITL File\n4       SIGNERNAME              999999999  CN=a\n");
    for _ in 0..100_000 {
        text.push_str("bcdefghijk\n");
    }
    let outputs = ctlkit::pasted::parse_pasted(&text);
    let name = outputs[0].signer_name.as_deref().unwrap();
    assert!(name.len() <= 65_535 + 10, "{}", name.len());
    assert!(name.starts_with("CN=abcdefghijk"));
}

#[test]
fn a_paste_whose_checksums_disagree_with_each_other_is_not_the_file() {
    // The MD5 of the file, the SHA-1 of another: edited, or two pastes spliced.
    let folder = tempfile::tempdir().unwrap();
    let spliced = folder.path().join("spliced.txt");
    let other = shown(Path::new("fixtures/ITLFile-regenerated-sha1.tlv"));
    let other_sha1 = other.lines().find(|line| line.ends_with("(SHA1)")).unwrap();
    let text = shown(Path::new("fixtures/ITLFile-sha1.tlv"));
    let own_sha1 = text.lines().find(|line| line.ends_with("(SHA1)")).unwrap();
    fs::write(&spliced, text.replace(own_sha1, other_sha1)).unwrap();
    let json = json_output(
        ctlkit()
            .arg("diff")
            .arg(&spliced)
            .arg("fixtures/ITLFile-sha1.tlv")
            .args(["--format", "json"]),
        1,
    );
    assert_eq!(json["checksums"], "different");
}

/// A cluster certificate that does not parse is the same error against pasted text as against
/// the file: one error type, one wording.
#[test]
fn a_broken_cluster_certificate_is_one_error_for_text_and_file() {
    let text = fs::read_to_string("fixtures/pasted/show-itl-cucm-wrapped.txt").unwrap();
    let outputs = ctlkit::pasted::parse_pasted(&text);
    let broken = [ctlkit::check::ServerCertificate {
        path: "CallManager.pem".to_owned(),
        role: ctlkit::check::Role::CallManager,
        der: b"not a certificate".to_vec(),
    }];
    let from_text = ctlkit::pasted::check_pasted(&outputs[0], &broken).unwrap_err();
    let bytes = crate::support::fixture("ITLFile-sha1.tlv");
    let list = ctlkit::TrustList::parse(&bytes).unwrap();
    let from_file = ctlkit::check(
        &list,
        ctlkit::Kind::Itl,
        &broken,
        time::OffsetDateTime::UNIX_EPOCH,
        0,
    )
    .unwrap_err();
    assert!(matches!(
        from_text,
        ctlkit::check::CheckError::Certificate { .. }
    ));
    assert_eq!(
        from_text.to_string().split(": ").next(),
        from_file.to_string().split(": ").next()
    );
    assert!(
        from_text
            .to_string()
            .starts_with("CallManager.pem: not an X.509 certificate"),
        "{from_text}"
    );
}

/// `lint` judges pasted text by the same role rules as the file: one multi-server SAN
/// certificate in a record per node is not a duplicate there either.
#[test]
fn pasted_text_of_a_multi_server_ctl_has_no_duplicate_records() {
    let folder = tempfile::tempdir().unwrap();
    let ctl = folder.path().join("CTLFile.tlv");
    fs::write(
        &ctl,
        crate::support::generate::multi_server_ctl(&crate::support::generate::Cluster::new()),
    )
    .unwrap();
    let outputs = ctlkit::pasted::parse_pasted(&shown(&ctl));
    let rules: Vec<&str> = ctlkit::lint::lint_pasted(&outputs[0])
        .iter()
        .map(|finding| finding.lint.rule())
        .collect();
    assert!(!rules.contains(&"ROL004"), "{rules:?}");
    // The same certificate twice for the same host still is one.
    let mut doubled = shown(&ctl);
    let record_3 = doubled.find("CTL Record #:3").unwrap();
    let record_4 = doubled.find("CTL Record #:4").unwrap();
    let copy = doubled[record_3..record_4].replace("#:3", "#:6");
    doubled.insert_str(doubled.find("The CTL file was verified").unwrap(), &copy);
    let rules: Vec<&str> = ctlkit::lint::lint_pasted(&ctlkit::pasted::parse_pasted(&doubled)[0])
        .iter()
        .map(|finding| finding.lint.rule())
        .collect();
    assert!(rules.contains(&"ROL004"), "{rules:?}");
}

/// Text that lost every line break (a chat, a PDF, a ticket system) reads as the original:
/// labels and rows found by their words, names un-wrapped by their LENGTH.
#[test]
fn flattened_text_reads_like_the_original() {
    for name in ["show-itl-cucm-wrapped.txt", "show-ctl-and-itl.txt"] {
        let original = std::fs::read_to_string(format!("fixtures/pasted/{name}")).unwrap();
        let flattened = original.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(flattened.lines().count(), 1);
        let as_pasted = ctlkit::pasted::parse_pasted(&original);
        let as_flattened = ctlkit::pasted::parse_pasted(&flattened);
        assert!(!as_pasted.is_empty(), "{name}");
        assert_eq!(as_pasted.len(), as_flattened.len(), "{name}");
        for (pasted, flat) in as_pasted.iter().zip(&as_flattened) {
            // Only the line an output starts on differs: everything is on line 1 now.
            let flat = ctlkit::pasted::PastedList {
                first_line: pasted.first_line,
                ..flat.clone()
            };
            assert_eq!(pasted, &flat, "{name}");
        }
    }
    // The same through the binary: a flattened paste is checked like the original.
    let folder = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string("fixtures/pasted/show-itl-cucm-wrapped.txt").unwrap();
    let flattened_path = folder.path().join("ticket.txt");
    std::fs::write(
        &flattened_path,
        original.split_whitespace().collect::<Vec<_>>().join(" "),
    )
    .unwrap();
    let from_original = json_output(
        ctlkit().args([
            "check",
            "--format",
            "json",
            "fixtures/pasted/show-itl-cucm-wrapped.txt",
            "--callmanager",
            "fixtures/cluster/CallManager-cucm-pub.pem",
        ]),
        0,
    );
    let from_flattened = json_output(
        ctlkit()
            .args(["check", "--format", "json"])
            .arg(&flattened_path)
            .args(["--callmanager", "fixtures/cluster/CallManager-cucm-pub.pem"]),
        0,
    );
    assert_eq!(from_original["findings"], from_flattened["findings"]);
}
