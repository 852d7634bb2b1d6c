//! The TFTP client against a real, independently written server: Debian's tftpd-hpa on
//! 127.0.0.1 (`.ci/run` installs it). Never a mock.

use std::fs;
use std::net::UdpSocket;
use std::time::{Duration, Instant};

use crate::support::ctlkit;
use crate::support::tftpd::Server;
use ctlkit::evidence::tftp::{FetchOptions, TftpError, TftpUrl, fetch};
use predicates::prelude::*;

fn itl() -> Vec<u8> {
    fs::read("fixtures/ITLFile-csptechnologies.tlv").unwrap()
}

#[test]
fn a_small_file_with_options_and_without() {
    let Some(server) = Server::start() else {
        return;
    };
    server.put("ITLFile.tlv", &itl());
    let negotiated = fetch(&server.url("ITLFile.tlv"), &FetchOptions::default()).unwrap();
    assert_eq!(negotiated, itl());
    let plain = FetchOptions {
        block_size: 512,
        ..FetchOptions::default()
    };
    assert_eq!(fetch(&server.url("ITLFile.tlv"), &plain).unwrap(), itl());
    // A file whose size is an exact multiple of the block size ends with an empty block.
    server.put("exact", &[7u8; 1024]);
    assert_eq!(
        fetch(&server.url("exact"), &plain).unwrap(),
        vec![7u8; 1024]
    );
    server.put("empty", b"");
    assert_eq!(
        fetch(&server.url("empty"), &FetchOptions::default()).unwrap(),
        b""
    );
}

#[test]
fn more_than_65535_blocks_wrap_the_block_number() {
    let Some(server) = Server::start() else {
        return;
    };
    // 65,536 full 512-byte blocks and a short one: block numbers wrap from 65535 to 0.
    let bytes: Vec<u8> = (0..65_536usize * 512 + 300)
        .map(|at| (at % 251) as u8)
        .collect();
    server.put("big.bin", &bytes);
    let options = FetchOptions {
        block_size: 512,
        max_size: 64 * 1024 * 1024,
        ..FetchOptions::default()
    };
    let fetched = fetch(&server.url("big.bin"), &options).unwrap();
    assert_eq!(fetched.len(), bytes.len());
    assert!(fetched == bytes);
}

#[test]
fn a_missing_file_is_the_servers_error_and_leaves_no_file() {
    let Some(server) = Server::start() else {
        return;
    };
    let error = fetch(&server.url("CTLFile.tlv"), &FetchOptions::default()).unwrap_err();
    assert!(
        matches!(error, TftpError::Server { code: 1, .. }),
        "{error}"
    );
    let directory = tempfile::tempdir().unwrap();
    let output = directory.path().join("CTLFile.tlv");
    ctlkit()
        .arg("fetch")
        .arg(server.url("CTLFile.tlv").to_string())
        .arg("-o")
        .arg(&output)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("File not found (TFTP error 1)"));
    assert!(fs::read_dir(directory.path()).unwrap().next().is_none());
}

#[test]
fn a_server_that_does_not_answer_times_out_after_the_retries() {
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let url = TftpUrl::parse(&format!("tftp://127.0.0.1:{port}/ITLFile.tlv")).unwrap();
    let options = FetchOptions {
        timeout: Duration::from_millis(200),
        retries: 2,
        ..FetchOptions::default()
    };
    let started = Instant::now();
    let error = fetch(&url, &options).unwrap_err();
    assert!(
        matches!(error, TftpError::Timeout { attempts: 3, .. }),
        "{error}"
    );
    assert!(
        started.elapsed() >= Duration::from_millis(600),
        "waited for each retry"
    );
    // The request was sent once and retransmitted twice.
    silent
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let mut buffer = [0u8; 600];
    let mut requests = 0;
    while let Ok((length, _)) = silent.recv_from(&mut buffer) {
        assert!(buffer[..length].starts_with(b"\x00\x01ITLFile.tlv\0octet\0"));
        requests += 1;
    }
    assert_eq!(requests, 3);
}

#[test]
fn a_file_over_the_limit_is_refused() {
    let Some(server) = Server::start() else {
        return;
    };
    server.put("ITLFile.tlv", &itl());
    let options = FetchOptions {
        max_size: 5000,
        ..FetchOptions::default()
    };
    assert!(matches!(
        fetch(&server.url("ITLFile.tlv"), &options),
        Err(TftpError::TooLarge { limit: 5000, .. })
    ));
    let plain = FetchOptions {
        max_size: 5000,
        block_size: 512,
        ..FetchOptions::default()
    };
    assert!(matches!(
        fetch(&server.url("ITLFile.tlv"), &plain),
        Err(TftpError::TooLarge { .. })
    ));
}

#[test]
fn the_cli_fetches_atomically_and_every_command_takes_a_url() {
    let Some(server) = Server::start() else {
        return;
    };
    server.put("ITLFile.tlv", &itl());
    let directory = tempfile::tempdir().unwrap();
    let output = directory.path().join("ITLFile.tlv");
    let url = server.url("ITLFile.tlv").to_string();
    ctlkit()
        .args(["fetch", &url, "-o"])
        .arg(&output)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "dbf86422cbab7859f3b850c2375814f7(MD5)",
        ));
    assert_eq!(fs::read(&output).unwrap(), itl());
    ctlkit()
        .args(["fetch", &url, "-o"])
        .arg(&output)
        .assert()
        .code(2);
    ctlkit()
        .args(["diff", "fixtures/ITLFile-csptechnologies.tlv", &url])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("byte-identical"));
    ctlkit().args(["verify", &url]).assert().code(0);
}
