//! What every test module shares: the binary, the fixtures, the cluster's keys and
//! certificates.

pub mod browser;
pub mod capture;
pub mod generate;
pub mod https;
pub mod schema;
pub mod tftpd;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use ctlkit::keys::{PemBundle, read_pem_bundle};
use ctlkit::{HeldList, Kind, TrustList};
use rsa::PrivateKey;

/// The folder of the fixture cluster's certificates (`.pem`) and keys (`.key`).
pub const CLUSTER: &str = "fixtures/cluster";

/// The real binary, as a user runs it.
pub fn ctlkit() -> Command {
    Command::cargo_bin("ctlkit").unwrap()
}

/// `ctlkit sign INPUT -o OUTPUT` with the fixture publisher's CallManager certificate and key,
/// the TFTP signer of every config the fixture cluster serves; the caller adds the rest.
pub fn sign_as_publisher(input: &Path, output: &Path) -> Command {
    let mut command = ctlkit();
    command
        .arg("sign")
        .arg(input)
        .arg("-o")
        .arg(output)
        .args(["--signer", "fixtures/cluster/CallManager-cucm-pub.pem"])
        .args(["--signer-key", "fixtures/cluster/CallManager-cucm-pub.key"]);
    command
}

/// What `ctlkit cert --curve p256` writes at `path`: a certificate with its EC key beside it, as
/// a PBX's HTTPS service or a new user's signer holds them.
pub fn make_ec_certificate(path: &Path) {
    ctlkit()
        .args(["cert", "--common", "pbx.example", "--organization", "PBX"])
        .args(["--unit", "VOICE", "--curve", "p256", "-o"])
        .arg(path)
        .assert()
        .success();
}

/// A committed fixture's bytes, by file name under `fixtures/`.
pub fn fixture(name: &str) -> Vec<u8> {
    fs::read(fixture_path(name)).unwrap()
}

/// A fixture's path, by file name under `fixtures/`.
pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from("fixtures").join(name)
}

/// Every committed trust-list fixture, sorted by name.
pub fn all_fixtures() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir("fixtures")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "tlv"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read(path).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// A cluster identity's PEM file, by label (`CallManager-cucm-pub`).
pub fn pem_path(label: &str) -> String {
    format!("{CLUSTER}/{label}.pem")
}

fn bundle(path: &str) -> PemBundle {
    read_pem_bundle(&fs::read(path).unwrap(), None).unwrap()
}

/// A cluster identity's certificate, DER.
pub fn certificate(label: &str) -> Vec<u8> {
    bundle(&pem_path(label)).certificates.remove(0)
}

/// A cluster identity's private key.
pub fn key(label: &str) -> PrivateKey {
    bundle(&format!("{CLUSTER}/{label}.key"))
        .private_key
        .unwrap()
}

/// A parsed list the phone holds, named by its fixture name, kind from its FILENAME.
pub fn held<'h, 'a>(name: &'h str, list: &'h TrustList<'a>) -> HeldList<'h, 'a> {
    HeldList {
        name,
        kind: list.kind().unwrap_or(Kind::Ctl),
        list,
    }
}

/// Runs `command`, expects exit `code`, and parses its stdout as JSON.
pub fn json_output(command: &mut Command, code: i32) -> serde_json::Value {
    let output = command.assert().code(code).get_output().clone();
    let document = serde_json::from_slice(&output.stdout).unwrap();
    let name = schema::command_of(command).expect("a command that writes JSON");
    schema::assert_valid(&name, &document);
    document
}

/// Runs `command`, expects exit `code`, and returns its stdout as text.
pub fn text_output(command: &mut Command, code: i32) -> String {
    let output = command.assert().code(code).get_output().clone();
    String::from_utf8(output.stdout).unwrap()
}

/// The folder an environment variable names, for a test that needs what this repository cannot
/// hold (certutils, Cisco's firmware). Such tests are `#[ignore]`d; run on purpose without the
/// variable, they fail saying what is missing instead of passing without checking anything.
pub fn outside(variable: &str, what: &str) -> std::ffi::OsString {
    std::env::var_os(variable)
        .unwrap_or_else(|| panic!("set {variable} to {what}: this test checks against it"))
}

/// The `verify` report of one file with this signature and verdict: its text and its JSON row.
pub fn verify_one(
    file: &str,
    verification: &ctlkit::Verification,
    verdict: Option<&ctlkit::AcceptanceVerdict>,
) -> (String, ctlkit::report::VerifyRowJson) {
    use ctlkit::report::Render;
    let rows = [ctlkit::sweep::SweepRow {
        path: std::path::PathBuf::from(file),
        file: ctlkit::sweep::SweptFile::TrustList(ctlkit::Kind::Ctl),
        signer_name: None,
        signer_serial: None,
        signature: Some(verification.clone()),
        verdict: verdict.cloned(),
        damage: None,
        named: true,
    }];
    let report = ctlkit::report::VerifyReport {
        rows: &rows,
        held: &[],
    };
    let mut json = report.json();
    (report.text(false), json.rows.remove(0))
}
