//! The real `ctlkit` binary: exit codes, stdout and stderr.

use std::fs;
use std::io::Read;
use std::process::{Command as StdCommand, Stdio};

use crate::support::{ctlkit, json_output};
use predicates::prelude::*;

const REAL: &str = "fixtures/ITLFile-csptechnologies.tlv";

#[test]
fn show_prints_the_show_itl_report() {
    let output = ctlkit()
        .args(["show", REAL])
        .assert()
        .success()
        .get_output()
        .clone();
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "The checksum value of the ITL file:");
    assert_eq!(lines[1], "dbf86422cbab7859f3b850c2375814f7(MD5)");
    assert_eq!(lines[2], "01e2cb144975e4b33c9af6ad75712c07a3b19cc7(SHA1)");
    assert!(text.contains("Length of ITL file: 10370\n"));
    assert!(text.contains("The ITL File was last modified on "));
    assert!(text.contains("HeaderLength:   388 (BYTES)\n"));
    assert!(text.contains(
        "9       CERTIFICATE             868     27 7B 36 21 55 2A 59 34 56 A6 3D 59 56 45 F4 F0 90 A3 5D 9C (SHA1 Hash HEX)\n"
    ));
    assert_eq!(text.matches("ITL Record #:").count(), 5);
    // CUCM's closing line; the real file verifies (shared/fixtures/README.md: "signature: valid").
    assert_eq!(
        *lines.last().unwrap(),
        "The ITL file was verified successfully."
    );
    assert_eq!(
        text.matches("This etoken was used to sign the ITL file.")
            .count(),
        1
    );
    assert!(output.stderr.is_empty());
}

#[test]
fn show_kind_flag_overrides_the_file_name() {
    ctlkit()
        .args(["show", "--kind", "ctl", REAL])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Parse CTL File")
                .and(predicate::str::contains("CTL Record #:1")),
        );
}

#[test]
fn show_json_is_valid_json_with_the_documented_top_level_keys() {
    let json = json_output(ctlkit().args(["show", "--format", "json", REAL]), 0);
    for key in [
        "kind",
        "file",
        "header",
        "records",
        "warnings",
        "verification",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert_eq!(json["file"]["path"], REAL);
    assert_eq!(json["verification"]["status"], "valid");
    assert_eq!(json["verification"]["signer_record"], 1);
    assert_eq!(json["verification"]["signer_match"], "serial_and_issuer");
}

#[test]
fn show_reads_standard_input() {
    let bytes = fs::read(REAL).unwrap();
    let json = json_output(
        ctlkit()
            .args(["show", "--format", "json", "-"])
            .write_stdin(bytes),
        0,
    );
    assert_eq!(json["file"]["path"], "-");
    assert!(json["file"]["modified"].is_null());
}

/// A broken header leaves nothing to trust: one line, no report. (A file damaged after an
/// intact header is shown up to the damage: tests/damaged.rs.)
#[test]
fn a_broken_header_gives_one_error_line_exit_2_and_no_report() {
    let mut bytes = fs::read("fixtures/CTLFile-nonsecure.tlv").unwrap();
    bytes.truncate(100);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.tlv");
    fs::write(&path, &bytes).unwrap();
    let output = ctlkit()
        .arg("show")
        .arg(&path)
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        format!(
            "error: {}: header at offset 5: HEADERLENGTH 296 runs past the end of the file (100 bytes)",
            path.display()
        )
    );
}

#[test]
fn missing_file_and_directory_exit_2() {
    ctlkit()
        .args(["show", "no/such/file.tlv"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with("error: no/such/file.tlv: "));
    ctlkit()
        .args(["show", "fixtures"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a directory"));
}

#[test]
fn usage_errors_exit_2() {
    ctlkit().assert().code(2);
    ctlkit().args(["show"]).assert().code(2);
    ctlkit()
        .args(["show", "--format", "yaml", REAL])
        .assert()
        .code(2);
    ctlkit().args(["frobnicate"]).assert().code(2);
}

#[test]
fn files_over_the_size_limit_are_refused_before_reading() {
    ctlkit()
        .args(["show", "--max-size", "1000", REAL])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("larger than the 1000-byte limit"));
    let bytes = fs::read(REAL).unwrap();
    ctlkit()
        .args(["--max-size", "1000", "show", "-"])
        .write_stdin(bytes)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("larger than the 1000-byte limit"));
}

#[test]
fn hash_prints_md5_sha1_sha256_and_the_name() {
    ctlkit()
        .args(["hash", REAL])
        .assert()
        .success()
        .stdout(format!(
            "dbf86422cbab7859f3b850c2375814f7  01e2cb144975e4b33c9af6ad75712c07a3b19cc7  17156172182b66cbb4f8a4c51463702c8fa62ebea47ffe86ad66543c20d744eb  {REAL}\n"
        ));
}

#[test]
fn hash_json_and_a_bad_file_among_good_ones() {
    let output = ctlkit()
        .args([
            "hash",
            "--format",
            "json",
            REAL,
            "missing.tlv",
            "fixtures/ITLFile-sha1.tlv",
        ])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    crate::support::schema::assert_valid("hash", &json);
    let entries = json.as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["md5"], "dbf86422cbab7859f3b850c2375814f7");
    assert_eq!(entries[0]["length"], 10_370);
    assert_eq!(entries[1]["path"], "fixtures/ITLFile-sha1.tlv");
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .starts_with("error: missing.tlv: ")
    );
}

#[test]
fn a_closed_pipe_is_a_normal_end() {
    // A report far larger than a pipe's buffer, so the writer really meets the closed pipe.
    let mut bytes = fs::read("fixtures/CTLFile-nonsecure.tlv").unwrap();
    let placeholder = &bytes[bytes.len() - 30..].to_vec();
    for _ in 0..4000 {
        bytes.extend_from_slice(placeholder);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("CTLFile.tlv");
    fs::write(&path, &bytes).unwrap();
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("ctlkit"))
        .arg("show")
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte, then hang up, as `| head -c1` would.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(status.success(), "{status:?} {stderr}");
}

#[test]
fn completions_for_every_shell_come_from_the_clap_definitions() {
    for (shell, marker) in [
        ("bash", "_ctlkit()"),
        ("zsh", "#compdef ctlkit"),
        ("fish", "complete -c ctlkit"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let output = ctlkit()
            .args(["completions", shell])
            .assert()
            .code(0)
            .get_output()
            .clone();
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(script.contains(marker), "{shell}");
        assert!(script.contains("no-tvs"), "{shell} knows every flag");
    }
    let directory = tempfile::tempdir().unwrap();
    let script = directory.path().join("ctlkit.bash");
    let output = ctlkit().args(["completions", "bash"]).output().unwrap();
    fs::write(&script, output.stdout).unwrap();
    let syntax = StdCommand::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
        .unwrap();
    assert!(syntax.success(), "the bash script parses");
    ctlkit().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn the_man_page_has_a_section_per_command() {
    let output = ctlkit().arg("man").assert().code(0).get_output().clone();
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(page.contains(".TH ctlkit 1"));
    for command in [
        "show", "verify", "check", "diff", "audit", "fetch", "build", "hash",
    ] {
        assert!(
            page.contains(&format!(".TH ctlkit-{command} ")),
            "{command} has its page"
        );
    }
    assert!(page.contains("no\\-tvs"));
}

#[test]
fn hash_certhash_is_the_base64_digest_of_the_certificate_der() {
    use base64::Engine as _;
    use sha2::Digest as _;
    let pem_path = "fixtures/cluster/CallManager-cucm-pub.pem";
    let der = crate::support::certificate("CallManager-cucm-pub");
    let encode = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    for (digest, expected) in [
        ("sha1", encode(&sha1::Sha1::digest(&der))),
        ("sha256", encode(&sha2::Sha256::digest(&der))),
        ("sha512", encode(&sha2::Sha512::digest(&der))),
    ] {
        ctlkit()
            .args(["hash", "--certhash", digest, pem_path])
            .assert()
            .success()
            .stdout(format!("{expected}  {pem_path}\n"));
    }
    // A DER certificate is read too; JSON carries the hash beside the file's checksums.
    let folder = tempfile::tempdir().unwrap();
    let der_path = folder.path().join("cert.der");
    fs::write(&der_path, &der).unwrap();
    let json = json_output(
        ctlkit()
            .args(["hash", "--certhash", "sha1", "--format", "json"])
            .arg(&der_path),
        0,
    );
    assert_eq!(
        json[0]["certificate_hash"],
        encode(&sha1::Sha1::digest(&der))
    );
    assert_eq!(json[0]["certificate_hash_digest"], "sha1");
    // What `ctlkit cert --curve p256` writes: the certificate with its EC key beside it (the
    // key was once read too, and refused as not RSA).
    let ec_path = folder.path().join("https.pem");
    crate::support::make_ec_certificate(&ec_path);
    let ec_der = pem::parse_many(fs::read(&ec_path).unwrap())
        .unwrap()
        .into_iter()
        .find(|block| block.tag() == "CERTIFICATE")
        .unwrap()
        .into_contents();
    ctlkit()
        .args(["hash", "--certhash", "sha256"])
        .arg(&ec_path)
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!(
            "{}  ",
            encode(&sha2::Sha256::digest(&ec_der))
        )));
    // Not a certificate: exit 2, named.
    ctlkit()
        .args(["hash", "--certhash", "sha1", "fixtures/ITLFile-sha1.tlv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no certificate in it"));
}
