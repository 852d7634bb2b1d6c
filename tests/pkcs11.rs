//! Signing with a key on a PKCS #11 token, against a real implementation: SoftHSM2, a token
//! made per test in its own folder, keys and certificates imported with the tools an
//! administrator would use (`softhsm2-util`, OpenSC's `pkcs11-tool`).

#![cfg(feature = "pkcs11")]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use crate::support::{CLUSTER, certificate, ctlkit, generate, pem_path};
use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
const PIN: &str = "4711";
const TOKEN: &str = "SAST eToken";

/// A SoftHSM2 installation of the test's own: its config and token folder in a temporary
/// directory, one token holding the keys the test imported.
struct SoftHsm {
    folder: TempDir,
    config: PathBuf,
}

impl SoftHsm {
    /// A fresh token labelled [`TOKEN`], or `None` (with a note) where SoftHSM2 or OpenSC is
    /// not installed, except under CI, where both must be.
    fn new() -> Option<Self> {
        let installed = Path::new(MODULE).exists()
            && which("softhsm2-util").is_some()
            && which("pkcs11-tool").is_some();
        if !installed {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install softhsm2 and opensc (.ci/run does)"
            );
            eprintln!(
                "skipping: SoftHSM2 / OpenSC not installed (apt-get install softhsm2 opensc)"
            );
            return None;
        }
        let folder = tempfile::tempdir().unwrap();
        let tokens = folder.path().join("tokens");
        fs::create_dir(&tokens).unwrap();
        let config = folder.path().join("softhsm2.conf");
        fs::write(
            &config,
            format!(
                "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
                tokens.display()
            ),
        )
        .unwrap();
        let hsm = SoftHsm { folder, config };
        hsm.run(
            "softhsm2-util",
            &[
                "--init-token",
                "--free",
                "--label",
                TOKEN,
                "--pin",
                PIN,
                "--so-pin",
                "12345678",
            ],
        );
        Some(hsm)
    }

    fn run(&self, program: &str, arguments: &[&str]) {
        let output = Process::new(program)
            .args(arguments)
            .env("SOFTHSM2_CONF", &self.config)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{program} {arguments:?}: {output:?}"
        );
    }

    /// Imports a cluster identity's private key (and, with `with_certificate`, its
    /// certificate) under `label` and `id`, as an administrator provisions a token.
    fn import(&self, identity: &str, label: &str, id: &str, with_certificate: bool) {
        let key = format!("{CLUSTER}/{identity}.key");
        self.run(
            "softhsm2-util",
            &[
                "--import", &key, "--token", TOKEN, "--label", label, "--id", id, "--pin", PIN,
            ],
        );
        if with_certificate {
            let der = self.folder.path().join(format!("{label}.der"));
            fs::write(&der, certificate(identity)).unwrap();
            self.run(
                "pkcs11-tool",
                &[
                    "--module",
                    MODULE,
                    "--token-label",
                    TOKEN,
                    "--login",
                    "--pin",
                    PIN,
                    "--write-object",
                    der.to_str().unwrap(),
                    "--type",
                    "cert",
                    "--id",
                    id,
                    "--label",
                    label,
                ],
            );
        }
    }

    /// ctlkit with this SoftHSM's config and module, the PIN in the environment.
    fn ctlkit(&self) -> Command {
        let mut command = ctlkit();
        command
            .env("SOFTHSM2_CONF", &self.config)
            .env("CTLKIT_PKCS11_MODULE", MODULE)
            .env("CTLKIT_PKCS11_PIN", PIN)
            .env_remove("CTLKIT_KEY_PASSPHRASE");
        command
    }

    fn path(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }
}

fn which(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|folder| folder.join(program))
        .find(|candidate| candidate.is_file())
}

fn sast_uri() -> String {
    format!("pkcs11:token={};object=sast-a", TOKEN.replace(' ', "%20"))
}

/// `build` arguments for a CTL listing the publisher's CallManager certificate.
fn build_arguments(output: &Path, digest: &str) -> Vec<String> {
    vec![
        "build".into(),
        "-o".into(),
        output.display().to_string(),
        "--ccm-tftp".into(),
        pem_path("CallManager-cucm-pub"),
        "--digest".into(),
        digest.into(),
        "--timestamp".into(),
        generate::SIGNED_AT.to_string(),
        "--filename".into(),
        "CTLFile.tlv".into(),
        "--allow".into(),
        "KNO001".into(),
    ]
}

#[test]
fn a_ctl_built_on_the_token_is_byte_for_byte_the_one_the_pem_key_builds() {
    let Some(hsm) = SoftHsm::new() else { return };
    hsm.import("eToken-A", "sast-a", "0a", true);
    // RSA PKCS #1 v1.5 is deterministic: the same key, digest and bytes sign the same way,
    // whether the token hashes (CKM_SHA*_RSA_PKCS) or ctlkit does (CKM_RSA_PKCS).
    for (digest, mechanism) in [
        ("sha1", "auto"),
        ("sha1", "rsa-pkcs"),
        ("sha256", "sha-rsa-pkcs"),
        ("sha512", "rsa-pkcs"),
        ("sha512", "sha-rsa-pkcs"),
    ] {
        let on_token = hsm.path(&format!("token-{digest}-{mechanism}.tlv"));
        hsm.ctlkit()
            .args(build_arguments(&on_token, digest))
            .args([
                "--signer-pkcs11",
                &sast_uri(),
                "--pkcs11-mechanism",
                mechanism,
            ])
            .assert()
            .code(0);
        let from_pem = hsm.path(&format!("pem-{digest}-{mechanism}.tlv"));
        ctlkit()
            .args(build_arguments(&from_pem, digest))
            .args(["--signer", &pem_path("eToken-A")])
            .args(["--signer-key", &format!("{CLUSTER}/eToken-A.key")])
            .assert()
            .code(0);
        assert_eq!(
            fs::read(&on_token).unwrap(),
            fs::read(&from_pem).unwrap(),
            "{digest} via {mechanism}"
        );
        ctlkit()
            .arg("verify")
            .arg(&on_token)
            .assert()
            .code(0)
            .stdout(predicate::str::contains("signature valid"));
    }
}

#[test]
fn a_config_signed_on_the_token_verifies_and_matches_the_pem_signature() {
    let Some(hsm) = SoftHsm::new() else { return };
    hsm.import("CallManager-cucm-pub", "callmanager", "01", true);
    let config = hsm.path("SEP001122334455.cnf.xml");
    fs::write(&config, "<device><fullConfig>true</fullConfig></device>\n").unwrap();
    let sign = |output: &Path| {
        let mut command = hsm.ctlkit();
        command
            .arg("sign")
            .arg(&config)
            .arg("-o")
            .arg(output)
            .args(["--timestamp", &generate::SIGNED_AT.to_string()])
            .args(["--digest", "sha512"])
            .args(["--filename", "SEP001122334455.cnf.xml.sgn"]);
        command
    };
    let on_token = hsm.path("token.cnf.xml.sgn");
    sign(&on_token)
        .args([
            "--signer-pkcs11",
            &format!("pkcs11:token={};id=%01", TOKEN.replace(' ', "%20")),
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("wrote"));
    let from_pem = hsm.path("pem.cnf.xml.sgn");
    sign(&from_pem)
        .args(["--signer", &pem_path("CallManager-cucm-pub")])
        .args([
            "--signer-key",
            &format!("{CLUSTER}/CallManager-cucm-pub.key"),
        ])
        .assert()
        .code(0);
    assert_eq!(fs::read(&on_token).unwrap(), fs::read(&from_pem).unwrap());
    // A phone holding the cluster's ITL accepts it.
    ctlkit()
        .arg("verify")
        .arg(&on_token)
        .arg("--trust")
        .arg("fixtures/ITLFile-sha1.tlv")
        .assert()
        .code(0);
}

#[test]
#[ignore = "needs certutils: CTLKIT_CERTUTILS=/path/to/certutils cargo test -- --ignored certutils"]
fn certutils_tlvfile_reads_and_verifies_a_token_built_ctl() {
    let tools = crate::support::outside("CTLKIT_CERTUTILS", "certutils' folder (tlvfile)");
    let Some(hsm) = SoftHsm::new() else { return };
    hsm.import("eToken-A", "sast-a", "0a", true);
    let ctl = hsm.path("CTLFile.tlv");
    hsm.ctlkit()
        .args(build_arguments(&ctl, "sha1"))
        .args(["--signer-pkcs11", &sast_uri()])
        .assert()
        .code(0);
    let parsed = Process::new("python3")
        .arg(Path::new(&tools).join("tlvfile"))
        .arg("-p")
        .arg(&ctl)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&parsed.stdout);
    assert!(parsed.status.success(), "{parsed:?}");
    assert!(text.contains("Role:             SAST"), "{text}");
    assert!(text.contains("Role:             CCM+TFTP"), "{text}");
    assert!(text.ends_with("Valid signature\n"), "{text}");

    // And `sgnfile` a config signed on the token.
    hsm.import("CallManager-cucm-pub", "callmanager", "01", true);
    let config = hsm.path("SEP001122334455.cnf.xml");
    fs::write(&config, "<device/>\n").unwrap();
    let signed = hsm.path("SEP001122334455.cnf.xml.sgn");
    hsm.ctlkit()
        .arg("sign")
        .arg(&config)
        .arg("-o")
        .arg(&signed)
        .args([
            "--signer-pkcs11",
            &format!(
                "pkcs11:token={};object=callmanager",
                TOKEN.replace(' ', "%20")
            ),
        ])
        .assert()
        .code(0);
    let parsed = Process::new("python3")
        .arg(Path::new(&tools).join("sgnfile"))
        .arg("-p")
        .arg(&signed)
        .arg("-t")
        .arg(pem_path("CallManager-cucm-pub"))
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&parsed.stdout).contains("Valid signature"),
        "{parsed:?}"
    );
}

#[test]
fn a_wrong_pin_fails_once_in_one_line_and_writes_nothing() {
    let Some(hsm) = SoftHsm::new() else { return };
    hsm.import("eToken-A", "sast-a", "0a", true);
    let output = hsm.path("CTLFile.tlv");
    let assert = hsm
        .ctlkit()
        .env("CTLKIT_PKCS11_PIN", "0000")
        .args(build_arguments(&output, "sha1"))
        .args(["--signer-pkcs11", &sast_uri()])
        .assert()
        .code(2)
        .stderr(
            predicate::str::is_match(
                r"^error: slot \d+, token 'SAST eToken': wrong PIN \(not retried",
            )
            .unwrap(),
        );
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!output.exists());
    // The token is still usable with the right PIN: one wrong try was spent, no more.
    hsm.ctlkit()
        .args(build_arguments(&output, "sha1"))
        .args(["--signer-pkcs11", &sast_uri()])
        .assert()
        .code(0);
}

#[test]
fn the_pin_comes_from_a_pin_source_file_and_never_from_the_uri() {
    let Some(hsm) = SoftHsm::new() else { return };
    hsm.import("eToken-A", "sast-a", "0a", true);
    let pin_file = hsm.path("pin");
    fs::write(&pin_file, format!("{PIN}\n")).unwrap();
    let output = hsm.path("CTLFile.tlv");
    hsm.ctlkit()
        .env_remove("CTLKIT_PKCS11_PIN")
        .args(build_arguments(&output, "sha1"))
        .arg("--signer-pkcs11")
        .arg(format!(
            "{}?pin-source=file:{}",
            sast_uri(),
            pin_file.display()
        ))
        .assert()
        .code(0);
    hsm.ctlkit()
        .args(build_arguments(&hsm.path("other.tlv"), "sha1"))
        .arg("--signer-pkcs11")
        .arg(format!("{}?pin-value={PIN}", sast_uri()))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "pin-value would put the PIN on the command line",
        ));
}

#[test]
fn without_a_pin_and_without_a_terminal_it_says_where_a_pin_can_come_from() {
    let Some(hsm) = SoftHsm::new() else { return };
    hsm.import("eToken-A", "sast-a", "0a", true);
    hsm.ctlkit()
        .env_remove("CTLKIT_PKCS11_PIN")
        .args(build_arguments(&hsm.path("CTLFile.tlv"), "sha1"))
        .args(["--signer-pkcs11", &sast_uri()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "token 'SAST eToken': the token needs a PIN: set CTLKIT_PKCS11_PIN, add ?pin-source=FILE",
        ));
}

#[test]
fn a_missing_key_token_or_certificate_is_named() {
    let Some(hsm) = SoftHsm::new() else { return };
    hsm.import("eToken-A", "sast-a", "0a", true);
    // A key imported without its certificate.
    hsm.import("eToken-B", "sast-b", "0b", false);
    let build = |uri: &str| {
        let mut command = hsm.ctlkit();
        command
            .args(build_arguments(&hsm.path("CTLFile.tlv"), "sha1"))
            .args(["--signer-pkcs11", uri]);
        command
    };
    let token = TOKEN.replace(' ', "%20");
    build(&format!("pkcs11:token={token};object=sast-z"))
        .assert()
        .code(2)
        .stderr(
            predicate::str::is_match(
                r"^error: slot \d+, token 'SAST eToken': no private key matches object=sast-z\n$",
            )
            .unwrap(),
        );
    build(&format!("pkcs11:token={token}"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "matches 2 private keys; add object= or id=",
        ));
    build("pkcs11:token=Another").assert().code(2).stderr(
        predicate::str::is_match(
            r"no token matches pkcs11:token=Another \(present: 'SAST eToken' in slot \d+\)",
        )
        .unwrap(),
    );
    build(&format!("pkcs11:token={token};object=sast-b"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no certificate beside key object=sast-b;id=%0b on the token; give --signer CERT.pem",
        ));
    // With its certificate given as a file, the same key signs.
    build(&format!("pkcs11:token={token};object=sast-b"))
        .args(["--signer", &pem_path("eToken-B")])
        .assert()
        .code(0);
    // The output exists now; that refusal would come first (before any token is opened).
    std::fs::remove_file(hsm.path("CTLFile.tlv")).unwrap();
    build(&format!("pkcs11:tokn={token}"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "attribute 'tokn' is not one ctlkit takes",
        ));
}

#[test]
fn a_certificate_that_is_not_the_tokens_key_is_refused() {
    let Some(hsm) = SoftHsm::new() else { return };
    hsm.import("eToken-A", "sast-a", "0a", true);
    let output = hsm.path("CTLFile.tlv");
    hsm.ctlkit()
        .args(build_arguments(&output, "sha1"))
        .args(["--signer-pkcs11", &sast_uri()])
        .args(["--signer", &pem_path("eToken-B")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the signer's private key does not match its certificate's public key",
        ));
    assert!(!output.exists());
}

#[test]
fn a_module_that_does_not_load_and_conflicting_flags_are_usage_errors() {
    let Some(hsm) = SoftHsm::new() else { return };
    hsm.ctlkit()
        .args(build_arguments(&hsm.path("CTLFile.tlv"), "sha1"))
        .args(["--signer-pkcs11", &sast_uri()])
        .args(["--pkcs11-module", "/nonexistent/libnothing.so"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "error: PKCS #11 module /nonexistent/libnothing.so: ",
        ));
    hsm.ctlkit()
        .env_remove("CTLKIT_PKCS11_MODULE")
        .args(build_arguments(&hsm.path("CTLFile.tlv"), "sha1"))
        .args(["--signer-pkcs11", &sast_uri()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no PKCS #11 module: give --pkcs11-module",
        ));
    hsm.ctlkit()
        .args(build_arguments(&hsm.path("CTLFile.tlv"), "sha1"))
        .args(["--signer-pkcs11", &sast_uri()])
        .args(["--signer-key", &format!("{CLUSTER}/eToken-A.key")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}

#[test]
fn tokens_lists_what_is_on_each_token_with_the_uri_to_use() {
    let Some(hsm) = SoftHsm::new() else { return };
    hsm.import("eToken-A", "sast-a", "0a", true);
    let without_login = crate::support::json_output(
        hsm.ctlkit()
            .env_remove("CTLKIT_PKCS11_PIN")
            .args(["tokens", "--format", "json"]),
        0,
    );
    let token = &without_login["tokens"][0];
    assert_eq!(without_login["tokens"].as_array().unwrap().len(), 1);
    assert_eq!(token["label"], TOKEN);
    assert_eq!(token["logged_in"], false);
    assert_eq!(token["signs"]["sha512"], true);
    assert_eq!(token["signs"]["rsa_pkcs"], true);
    let classes: Vec<&str> = token["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|object| object["class"].as_str().unwrap())
        .collect();
    assert!(!classes.contains(&"private_key"), "{classes:?}");
    let certificate = token["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|object| object["class"] == "certificate")
        .unwrap();
    assert_eq!(
        certificate["subject"],
        "CN=SAST-ADN4e31f914 ;OU=IPCBU;O=Cisco Systems"
    );
    assert_eq!(certificate["id"], "0a");
    assert_eq!(certificate["key_bits"], 1024);
    assert_eq!(
        certificate["uri"],
        "pkcs11:token=SAST%20eToken;object=sast-a;id=%0a"
    );

    let logged_in = crate::support::json_output(
        hsm.ctlkit().args(["tokens", "--login", "--format", "json"]),
        0,
    );
    assert_eq!(logged_in["tokens"][0]["logged_in"], true);
    assert!(
        logged_in["tokens"][0]["objects"]
            .as_array()
            .unwrap()
            .iter()
            .any(|object| object["class"] == "private_key" && object["uri"] == certificate["uri"])
    );

    // The printed URI is one --signer-pkcs11 takes.
    hsm.ctlkit()
        .args(build_arguments(&hsm.path("CTLFile.tlv"), "sha1"))
        .args(["--signer-pkcs11", certificate["uri"].as_str().unwrap()])
        .assert()
        .code(0);

    hsm.ctlkit()
        .env_remove("CTLKIT_PKCS11_PIN")
        .arg("tokens")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("token 'SAST eToken'"))
        .stdout(predicate::str::contains(
            "uri     pkcs11:token=SAST%20eToken;object=sast-a;id=%0a",
        ))
        .stdout(predicate::str::contains("add --login to list them"));
    hsm.ctlkit()
        .args(["tokens", "--token", "Another"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no token labelled 'Another'"));
}

#[test]
fn on_a_terminal_the_pin_is_asked_for_and_not_echoed() {
    let Some(hsm) = SoftHsm::new() else { return };
    let Some(script) = which("script") else {
        eprintln!("skipping: util-linux's script (a pseudo-terminal) is not installed");
        return;
    };
    hsm.import("eToken-A", "sast-a", "0a", true);
    let output = hsm.path("CTLFile.tlv");
    let command = format!(
        "{} {} --signer-pkcs11 '{}'",
        assert_cmd::cargo::cargo_bin("ctlkit").display(),
        build_arguments(&output, "sha1").join(" "),
        sast_uri()
    );
    // `script` runs ctlkit on a pseudo-terminal whose keyboard is this pipe; the PIN is typed
    // once the prompt is on the screen (typed earlier, the terminal would echo it itself).
    let mut child = Process::new(script)
        .args(["-qec", &command, "/dev/null"])
        .env("SOFTHSM2_CONF", &hsm.config)
        .env("CTLKIT_PKCS11_MODULE", MODULE)
        .env_remove("CTLKIT_PKCS11_PIN")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let (sender, received) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut screen = Vec::new();
        let mut buffer = [0u8; 256];
        while let Ok(count @ 1..) = std::io::Read::read(&mut stdout, &mut buffer) {
            screen.extend_from_slice(&buffer[..count]);
            let _ = sender.send(screen.clone());
        }
        screen
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let remaining = deadline.saturating_duration_since(std::time::Instant::now());
        let so_far = received
            .recv_timeout(remaining)
            .expect("no PIN prompt within 60 s");
        if String::from_utf8_lossy(&so_far).contains("PIN for slot ") {
            break;
        }
    }
    // The prompt is printed just before echo is turned off: wait for that too.
    wait_for_echo_off(child.id(), deadline);
    use std::io::Write;
    let mut keyboard = child.stdin.take().unwrap();
    keyboard.write_all(format!("{PIN}\n").as_bytes()).unwrap();
    let status = child.wait().unwrap();
    drop(keyboard);
    let screen = String::from_utf8_lossy(&reader.join().unwrap()).into_owned();
    assert!(status.success(), "{screen}");
    assert!(
        screen.contains("PIN for slot ") && screen.contains("token 'SAST eToken': "),
        "{screen}"
    );
    assert!(!screen.contains(PIN), "the PIN was echoed: {screen}");
    assert!(screen.contains("wrote "), "{screen}");
    ctlkit().arg("verify").arg(&output).assert().code(0);
}

/// Waits until the terminal of `script`'s child (ctlkit) no longer echoes, as `stty` reads it.
fn wait_for_echo_off(script: u32, deadline: std::time::Instant) {
    loop {
        assert!(
            std::time::Instant::now() < deadline,
            "echo never turned off"
        );
        let children = fs::read_to_string(format!("/proc/{script}/task/{script}/children"))
            .unwrap_or_default();
        let terminal = children
            .split_whitespace()
            .next()
            .and_then(|pid| fs::read_link(format!("/proc/{pid}/fd/0")).ok());
        if let Some(terminal) = terminal {
            let settings = Process::new("stty")
                .arg("-F")
                .arg(&terminal)
                .arg("-a")
                .output()
                .unwrap();
            let settings = String::from_utf8_lossy(&settings.stdout);
            if settings.split_whitespace().any(|flag| flag == "-echo") {
                return;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
