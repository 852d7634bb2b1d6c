//! One contract for scripts and people: CSV that is safe to open, paths that lead back to
//! their files, errors that say what a misplaced file is, `-` and `-o` that do what they say,
//! man pages one per command.

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::support::capture::{tftp_data, tftp_read_request, udp_frame, write_pcap};
use crate::support::{ctlkit, fixture, json_output, text_output};
use predicates::prelude::*;

/// File names a hostile TFTP folder (or a phone folder) may hold: each formula start, a control
/// byte, a line break, and bytes that are not UTF-8.
fn hostile_names() -> Vec<Vec<u8>> {
    vec![
        b"=HYPERLINK(\"x\").cnf.xml.sgn".to_vec(),
        b"+SUM(1).cnf.xml.sgn".to_vec(),
        b"-2+3.cnf.xml.sgn".to_vec(),
        b"@SUM(1).cnf.xml.sgn".to_vec(),
        b"esc\x1b[31mred.cnf.xml.sgn".to_vec(),
        b"two\nlines.cnf.xml.sgn".to_vec(),
        b"caf\xe9.cnf.xml.sgn".to_vec(),
    ]
}

fn path_of(folder: &Path, name: &[u8]) -> PathBuf {
    folder.join(std::ffi::OsStr::from_bytes(name))
}

/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@`: every one starts with `'`.
fn assert_safe_cells(csv: &str, rows: usize) {
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), rows + 1, "a name broke a row:\n{csv}");
    for line in &lines[1..] {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "a formula cell in {line:?}"
            );
            assert!(
                !cell.chars().any(char::is_control),
                "a control byte in {line:?}"
            );
        }
    }
}

#[test]
fn verify_csv_json_and_hash_keep_hostile_names_safe_and_recoverable() {
    let folder = tempfile::tempdir().unwrap();
    let config = fixture("signed/SEP001122334455.cnf.xml.sgn");
    for name in hostile_names() {
        fs::write(path_of(folder.path(), &name), &config).unwrap();
    }
    // Named from inside the folder, so each path cell starts with the name itself.
    let held = fs::canonicalize("fixtures/ITLFile-sha1.tlv").unwrap();
    let output = ctlkit()
        .current_dir(folder.path())
        .args(["verify", "--format", "csv", "--trust"])
        .arg(&held)
        .arg("--")
        .args(
            hostile_names()
                .iter()
                .map(|name| std::ffi::OsStr::from_bytes(name).to_owned()),
        )
        .assert()
        .code(0)
        .get_output()
        .clone();
    let csv = String::from_utf8(output.stdout).expect("CSV is UTF-8 whatever the names");
    assert_safe_cells(&csv, hostile_names().len());
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"x\"\").cnf.xml.sgn\""),
        "{csv}"
    );
    for start in ["'+SUM(1)", "'-2+3", "'@SUM(1)"] {
        assert!(csv.contains(&format!("\n{start}")), "{start}: {csv}");
    }
    assert!(csv.contains("esc\\x1b[31mred"), "{csv}");
    assert!(csv.contains("two\\x0alines"), "{csv}");
    assert!(csv.contains("caf\\xe9.cnf.xml.sgn"), "{csv}");

    // JSON keeps the name recoverable: the byte that is not UTF-8 as \xNN, not U+FFFD.
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
        0,
    );
    let paths: Vec<&str> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["path"].as_str().unwrap())
        .collect();
    assert!(
        paths
            .iter()
            .any(|path| path.ends_with("/caf\\xe9.cnf.xml.sgn")),
        "{paths:?}"
    );
    assert!(paths.iter().all(|path| !path.contains('\u{fffd}')));

    let latin1 = path_of(folder.path(), b"caf\xe9.cnf.xml.sgn");
    let hashed = text_output(ctlkit().arg("hash").arg(&latin1), 0);
    assert!(
        hashed.trim_end().ends_with("caf\\xe9.cnf.xml.sgn"),
        "{hashed}"
    );
    let json = json_output(ctlkit().args(["hash", "--format", "json"]).arg(&latin1), 0);
    let shown = json[0]["path"].as_str().unwrap();
    // What was printed leads back to the file: undo each `\xNN` and it is the same path.
    assert!(shown.ends_with("caf\\xe9.cnf.xml.sgn"), "{shown}");
    assert_eq!(unescape(shown), latin1.as_os_str().as_bytes());
}

/// `\xNN` back to the byte it stands for (how a reader recovers a printed path).
fn unescape(shown: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut rest = shown.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        match (first, tail) {
            (b'\\', [b'x', high, low, after @ ..]) => {
                let hex = std::str::from_utf8(&[*high, *low]).unwrap().to_owned();
                bytes.push(u8::from_str_radix(&hex, 16).unwrap());
                rest = after;
            }
            _ => {
                bytes.push(first);
                rest = tail;
            }
        }
    }
    bytes
}

#[test]
fn audit_csv_neutralises_a_phone_folder_named_as_a_formula() {
    let folder = tempfile::tempdir().unwrap();
    for phone in ["=cmd|' -C calc'!A0", "@phone", "plain"] {
        let phone_folder = folder.path().join(phone);
        fs::create_dir(&phone_folder).unwrap();
        fs::copy(
            "fixtures/ITLFile-sha1.tlv",
            phone_folder.join("ITLFile.tlv"),
        )
        .unwrap();
    }
    let csv = text_output(
        ctlkit()
            .args([
                "audit",
                "--format",
                "csv",
                "--against",
                "fixtures/ITLFile-sha1.tlv",
            ])
            .arg(folder.path()),
        0,
    );
    assert_safe_cells(&csv, 3);
    assert!(csv.contains("'=cmd|' -C calc'!A0,in_sync"), "{csv}");
    assert!(csv.contains("'@phone,in_sync"), "{csv}");
}

#[test]
fn extract_csv_neutralises_a_file_name_sent_over_tftp() {
    let phone = ([10, 0, 0, 50], 50_000);
    let server = ([10, 0, 0, 1], 69);
    let transfer = ([10, 0, 0, 1], 40_000);
    let frames = vec![
        udp_frame(phone, server, &tftp_read_request(b"=1+1\x07.tlv", None)),
        udp_frame(transfer, phone, &tftp_data(1, &[1; 10])),
    ];
    let folder = tempfile::tempdir().unwrap();
    let capture = folder.path().join("hostile.pcap");
    fs::write(&capture, write_pcap(&frames, 1, false, false)).unwrap();
    let csv = text_output(
        ctlkit().args(["extract", "--format", "csv"]).arg(&capture),
        0,
    );
    assert_safe_cells(&csv, 1);
    assert!(csv.contains(",'=1+1\\x07.tlv,"), "{csv}");
}

#[test]
fn verify_answers_one_file_as_it_answers_many() {
    let one = ["fixtures/signed/SEP001122334455-regenerated.cnf.xml.sgn"];
    let two = [
        "fixtures/signed/SEP001122334455-regenerated.cnf.xml.sgn",
        "fixtures/signed/SEP001122334455.cnf.xml.sgn",
    ];
    let trust = ["--trust", "fixtures/ITLFile-sha1.tlv"];
    let verify = |format: &str, files: &[&str]| {
        let mut command = ctlkit();
        command
            .args(["verify", "--format", format])
            .args(trust)
            .args(files);
        command
    };
    // "Only if TVS vouches" is a no, for one file and in a folder of two.
    let single = json_output(&mut verify("json", &one), 1);
    let both = json_output(&mut verify("json", &two), 1);
    assert_eq!(single["rows"][0], both["rows"][0], "the same row object");
    let folder = tempfile::tempdir().unwrap();
    for path in two {
        fs::copy(
            path,
            folder.path().join(Path::new(path).file_name().unwrap()),
        )
        .unwrap();
    }
    ctlkit()
        .arg("verify")
        .args(trust)
        .arg(folder.path())
        .assert()
        .code(1);
    // CSV for one file too, with the same header as many.
    let csv_one = text_output(&mut verify("csv", &one), 1);
    let csv_two = text_output(&mut verify("csv", &two), 1);
    assert_eq!(csv_one.lines().count(), 2);
    assert_eq!(csv_one.lines().next(), csv_two.lines().next());
    assert_eq!(csv_one.lines().nth(1), csv_two.lines().nth(1));
}

/// What a user gives by mistake is named, with where it belongs, in one line, exit 2.
#[test]
fn errors_recognise_what_they_were_given() {
    let folder = tempfile::tempdir().unwrap();
    let der = {
        let pem = fs::read_to_string("fixtures/cluster/CallManager-cucm-pub.pem").unwrap();
        ::pem::parse(pem).unwrap().into_contents()
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "CallManager.pem",
            fs::read("fixtures/cluster/CallManager-cucm-pub.pem").unwrap(),
            "this is a certificate",
        ),
        ("CallManager.der", der, "this is a certificate"),
        (
            "CallManager.key",
            fs::read("fixtures/cluster/CallManager-cucm-pub.key").unwrap(),
            "this is a private key",
        ),
        (
            "boot.pcap",
            fs::read("fixtures/captures/phone-boot.pcap").unwrap(),
            "this is a packet capture",
        ),
        (
            "lists.tar.gz",
            vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0],
            "this is an archive",
        ),
        (
            "SEP.cnf.xml",
            b"<device></device>\n".to_vec(),
            "this is plain text",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = folder.path().join(name);
        fs::write(&path, bytes).unwrap();
        for command in [
            vec!["show"],
            vec!["lint"],
            vec!["verify", "--trust", "fixtures/ITLFile-sha1.tlv"],
        ] {
            let output = ctlkit().args(&command).arg(&path).output().unwrap();
            assert_eq!(output.status.code(), Some(2), "{name} {command:?}");
            let stderr = String::from_utf8(output.stderr).unwrap();
            assert_eq!(stderr.lines().count(), 1, "{name} {command:?}: {stderr}");
            assert!(stderr.contains(expected), "{name} {command:?}: {stderr}");
        }
    }
    // A signed config where a held trust list belongs.
    ctlkit()
        .args(["verify", "fixtures/ITLFile-sha1.tlv", "--trust"])
        .arg("fixtures/signed/SEP001122334455.cnf.xml.sgn")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "this is a signed file (a config or a load), not a trust list: --trust takes the CTL / ITL a phone holds",
        ));
}

#[test]
fn audit_reads_a_phone_copy_or_a_capture_on_standard_input() {
    let json = json_output(
        ctlkit()
            .args([
                "audit",
                "--format",
                "json",
                "--against",
                "fixtures/ITLFile-sha1.tlv",
                "-",
            ])
            .pipe_stdin("fixtures/ITLFile-sha1.tlv")
            .unwrap(),
        0,
    );
    assert_eq!(json["phones"], 1);
    assert_eq!(json["groups"][0]["phones"][0], "-");
    let json = json_output(
        ctlkit()
            .args([
                "audit",
                "--format",
                "json",
                "--against",
                "fixtures/ITLFile-sha1.tlv",
                "-",
            ])
            .pipe_stdin("fixtures/captures/phone-boot.pcap")
            .unwrap(),
        0,
    );
    assert_eq!(json["phones"], 1, "{json}");
}

#[test]
fn an_output_that_is_a_folder_is_refused_with_the_remedy() {
    let folder = tempfile::tempdir().unwrap();
    for force in [false, true] {
        let mut command = ctlkit();
        command
            .args(["sign", "fixtures/signed/SEP001122334455.cnf.xml.sgn", "-o"])
            .arg(folder.path())
            .args([
                "--signer",
                "fixtures/cluster/CallManager-cucm-pub.pem",
                "--signer-key",
                "fixtures/cluster/CallManager-cucm-pub.key",
            ]);
        if force {
            command.arg("--force");
        }
        command.assert().code(2).stderr(predicate::str::contains(
            "is a folder; -o names the file to write",
        ));
    }
    let file = folder.path().join("not-a-folder");
    fs::write(&file, b"x").unwrap();
    ctlkit()
        .args(["extract", "fixtures/captures/phone-boot.pcap", "-o"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("extract -o names the folder"));
}

#[test]
fn man_dir_writes_one_page_per_command_and_keeps_existing_pages() {
    let folder = tempfile::tempdir().unwrap();
    ctlkit()
        .args(["man", "--dir"])
        .arg(folder.path())
        .assert()
        .code(0);
    let top = fs::read_to_string(folder.path().join("ctlkit.1")).unwrap();
    assert!(
        top.contains("signed and encrypted configs"),
        "the NAME line describes the tool"
    );
    for command in [
        "show", "verify", "lint", "check", "diff", "audit", "extract", "sign",
    ] {
        let page = fs::read_to_string(folder.path().join(format!("ctlkit-{command}.1")))
            .unwrap_or_else(|error| panic!("ctlkit-{command}.1: {error}"));
        assert!(
            page.contains(&format!(".TH ctlkit-{command} 1")),
            "{command}"
        );
        assert!(
            page.contains(&format!("ctlkit\\-{command} \\-")),
            "{command}: NAME line"
        );
    }
    ctlkit()
        .args(["man", "--dir"])
        .arg(folder.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("exists; use --force"));
    ctlkit()
        .args(["man", "--force", "--dir"])
        .arg(folder.path())
        .assert()
        .code(0);
}
