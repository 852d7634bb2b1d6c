//! `extract`: files out of real packet captures. The tests start tftpd-hpa and an HTTP server
//! on a loopback address of their own, capture with tcpdump (Ethernet on `lo`, Linux cooked v1
//! and v2 on `any`, nanosecond timestamps), fetch with ctlkit, tftp-hpa and curl, then extract
//! and compare bytes; the same capture is rewritten into pcapng, big-endian, raw IP, BSD
//! loopback and VLAN-tagged shapes, which must give the same files.

use std::fs;
use std::net::IpAddr;
use std::path::Path;
use std::process::Command as Process;

use crate::support::capture::{
    Frame, HttpServer, Tcpdump, as_bsd_loopback, as_raw_ip, frames, tftp_data, tftp_read_request,
    tool, udp_frame, with_vlan_tag, write_pcap, write_pcapng,
};
use crate::support::tftpd::Server;
use crate::support::{ctlkit, fixture, json_output, text_output};

/// What a transfer in `extract --format json` must say.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Expected {
    protocol: &'static str,
    name: String,
    complete: bool,
    bytes: Vec<u8>,
    content: &'static str,
}

fn expected(protocol: &'static str, name: &str, bytes: &[u8], content: &'static str) -> Expected {
    Expected {
        protocol,
        name: name.to_owned(),
        complete: true,
        bytes: bytes.to_vec(),
        content,
    }
}

/// Extracts `capture` into a fresh folder and checks every transfer, in order, against
/// `wanted`: protocol, name, completeness, size, MD5, content, and the written bytes.
fn check_extraction(capture: &Path, tftp_port: u16, wanted: &[Expected], client: &str) {
    let out = tempfile::tempdir().unwrap();
    let code = if wanted.iter().all(|transfer| transfer.complete) {
        0
    } else {
        1
    };
    let json = json_output(
        ctlkit()
            .arg("extract")
            .arg(capture)
            .args(["--tftp-port", &tftp_port.to_string()])
            .arg("-o")
            .arg(out.path())
            .args(["--format", "json"]),
        code,
    );
    let transfers = json["transfers"].as_array().unwrap();
    let seen: Vec<String> = transfers
        .iter()
        .map(|transfer| format!("{} {}", transfer["protocol"], transfer["name"]))
        .collect();
    assert_eq!(
        transfers.len(),
        wanted.len(),
        "{}: {seen:?}",
        capture.display()
    );
    for (transfer, wanted) in transfers.iter().zip(wanted) {
        let context = format!("{}: {}", capture.display(), wanted.name);
        assert_eq!(transfer["protocol"], wanted.protocol, "{context}");
        assert_eq!(transfer["name"], wanted.name.as_str(), "{context}");
        assert_eq!(
            transfer["complete"], wanted.complete,
            "{context}: {transfer}"
        );
        assert!(
            transfer["client"].as_str().unwrap().starts_with(client),
            "{context}: {transfer}"
        );
        if !wanted.complete {
            assert!(transfer["written"].is_null(), "{context}");
            continue;
        }
        assert_eq!(transfer["size"], wanted.bytes.len(), "{context}");
        assert_eq!(
            transfer["md5"],
            ctlkit::Checksums::of(&wanted.bytes).md5_hex().as_str(),
            "{context}"
        );
        assert_eq!(transfer["content"], wanted.content, "{context}");
        let written = transfer["written"].as_str().unwrap();
        assert_eq!(fs::read(written).unwrap(), wanted.bytes, "{context}");
    }
}

/// A file whose TFTP transfer at 8-byte blocks needs 65,538 blocks: block numbers wrap.
fn wrapping_file() -> Vec<u8> {
    (0..65_537 * 8 + 3)
        .map(|index| (index % 251) as u8)
        .collect()
}

#[test]
fn files_fetched_over_tftp_and_http_come_out_of_every_capture_shape_byte_for_byte() {
    let ip: IpAddr = "127.0.77.1".parse().unwrap();
    let Some(tftp) = Server::start_on(ip) else {
        return;
    };
    let (Some(tftp_client), Some(curl)) = (tool("tftp", "tftp-hpa"), tool("curl", "curl")) else {
        return;
    };
    let itl = fixture("ITLFile-sha1.tlv");
    let ctl = fixture("CTLFile-etoken-sha1.tlv");
    let config = fixture("signed/SEP001122334455.cnf.xml.sgn");
    let wrap = wrapping_file();
    tftp.put("ITLSEP001122334455.tlv", &itl);
    tftp.put("CTLSEP001122334455.tlv", &ctl);
    tftp.put("wrap.bin", &wrap);
    let http = HttpServer::start(
        ip,
        6970,
        vec![
            ("SEP001122334455.cnf.xml.sgn".into(), config.clone()),
            ("CTLFile.tlv".into(), ctl.clone()),
        ],
    );

    let folder = tempfile::tempdir().unwrap();
    let filter = format!("host {ip}");
    let Some(ethernet) = Tcpdump::start(&folder.path().join("lo.pcap"), "lo", &filter, &[]) else {
        return;
    };
    let cooked = Tcpdump::start(
        &folder.path().join("sll.pcap"),
        "any",
        &filter,
        &["-y", "LINUX_SLL"],
    )
    .unwrap();
    let cooked2 = Tcpdump::start(
        &folder.path().join("sll2.pcap"),
        "any",
        &filter,
        &["-y", "LINUX_SLL2", "--time-stamp-precision=nano"],
    )
    .unwrap();

    let fetched = folder.path().join("fetched");
    fs::create_dir(&fetched).unwrap();
    // A phone's way: ctlkit fetch negotiates blksize 1428.
    ctlkit()
        .arg("fetch")
        .arg(tftp.url("ITLSEP001122334455.tlv").to_string())
        .arg("-o")
        .arg(fetched.join("itl"))
        .assert()
        .code(0);
    // tftp-hpa's client: no options, 512-byte blocks.
    let status = Process::new(&tftp_client)
        .args([&ip.to_string(), &tftp.address.port().to_string()])
        .args(["-m", "octet", "-c", "get", "CTLSEP001122334455.tlv"])
        .arg(fetched.join("ctl"))
        .status()
        .unwrap();
    assert!(status.success());
    ctlkit()
        .arg("fetch")
        .arg(tftp.url("wrap.bin").to_string())
        .args(["--block-size", "8"])
        .arg("-o")
        .arg(fetched.join("wrap"))
        .assert()
        .code(0);
    // A name the server does not have: refused.
    ctlkit()
        .arg("fetch")
        .arg(tftp.url("SEP0000000000AA.cnf.xml.sgn").to_string())
        .assert()
        .code(2);
    // curl over HTTP: two files on one kept-alive connection (length, then chunked), then a 404.
    let status = Process::new(&curl)
        .args(["-s", "-f"])
        .arg(format!(
            "http://{}/SEP001122334455.cnf.xml.sgn",
            http.address
        ))
        .arg("-o")
        .arg(fetched.join("config"))
        .arg(format!("http://{}/chunked/CTLFile.tlv", http.address))
        .arg("-o")
        .arg(fetched.join("ctl-http"))
        .status()
        .unwrap();
    assert!(status.success());
    let _ = Process::new(&curl)
        .args(["-s", "-o", "/dev/null"])
        .arg(format!("http://{}/ITLFile.tlv", http.address))
        .status()
        .unwrap();

    let marker = std::net::SocketAddr::new(ip, 9);
    let captures = [
        ethernet.stop(marker),
        cooked.stop(marker),
        cooked2.stop(marker),
    ];
    let refused = |protocol, name: &str| Expected {
        protocol,
        name: name.to_owned(),
        complete: false,
        bytes: Vec::new(),
        content: "other",
    };
    let wanted = [
        expected("tftp", "ITLSEP001122334455.tlv", &itl, "itl"),
        expected("tftp", "CTLSEP001122334455.tlv", &ctl, "ctl"),
        expected("tftp", "wrap.bin", &wrap, "other"),
        refused("tftp", "SEP0000000000AA.cnf.xml.sgn"),
        expected("http", "/SEP001122334455.cnf.xml.sgn", &config, "signed"),
        expected("http", "/chunked/CTLFile.tlv", &ctl, "ctl"),
        refused("http", "/ITLFile.tlv"),
    ];
    let port = tftp.address.port();
    for capture in &captures {
        check_extraction(capture, port, &wanted, "127.0.0.1");
    }

    // The Ethernet capture in every other shape.
    let ethernet_frames: Vec<Frame> = frames(&captures[0]);
    assert!(ethernet_frames.iter().all(|frame| frame.linktype == 1));
    let shapes: [(&str, Vec<u8>); 6] = [
        ("pcapng", write_pcapng(&ethernet_frames, 1)),
        ("big-endian", write_pcap(&ethernet_frames, 1, true, false)),
        ("nanosecond", write_pcap(&ethernet_frames, 1, false, true)),
        (
            "raw-ip",
            write_pcap(&as_raw_ip(&ethernet_frames), 101, false, false),
        ),
        (
            "bsd-loopback",
            write_pcap(&as_bsd_loopback(&ethernet_frames), 0, false, false),
        ),
        (
            "vlan",
            write_pcap(&with_vlan_tag(&ethernet_frames), 1, true, true),
        ),
    ];
    for (shape, bytes) in shapes {
        let path = folder.path().join(format!("{shape}.cap"));
        fs::write(&path, bytes).unwrap();
        check_extraction(&path, port, &wanted, "127.0.0.1");
    }
}

#[test]
fn ipv6_transfers_are_extracted_too() {
    let ip: IpAddr = "::1".parse().unwrap();
    if std::net::UdpSocket::bind((ip, 0)).is_err() {
        eprintln!("skipping: this machine has no IPv6 loopback");
        return;
    }
    let Some(tftp) = Server::start_on(ip) else {
        return;
    };
    let Some(curl) = tool("curl", "curl") else {
        return;
    };
    let itl = fixture("ITLFile-sha512.tlv");
    tftp.put("ITLFile.tlv", &itl);
    let http = HttpServer::start(
        ip,
        0,
        vec![(
            "CTLFile.tlv".into(),
            fixture("CTLFile-tokenless-sha512.tlv"),
        )],
    );
    let folder = tempfile::tempdir().unwrap();
    let filter = format!("ip6 and (udp or tcp port {})", http.address.port());
    let Some(dump) = Tcpdump::start(&folder.path().join("v6.pcap"), "lo", &filter, &[]) else {
        return;
    };
    ctlkit()
        .arg("fetch")
        .arg(tftp.url("ITLFile.tlv").to_string())
        .arg("-o")
        .arg(folder.path().join("fetched.tlv"))
        .assert()
        .code(0);
    let status = Process::new(&curl)
        .args(["-s", "-f", "-o", "/dev/null"])
        .arg(format!("http://{}/CTLFile.tlv", http.address))
        .status()
        .unwrap();
    assert!(status.success());
    let capture = dump.stop(http.address);
    let out = tempfile::tempdir().unwrap();
    let json = json_output(
        ctlkit()
            .arg("extract")
            .arg(&capture)
            .args(["--tftp-port", &tftp.address.port().to_string()])
            .args(["--http-port", &http.address.port().to_string()])
            .arg("-o")
            .arg(out.path())
            .args(["--format", "json"]),
        0,
    );
    let transfers = json["transfers"].as_array().unwrap();
    assert_eq!(transfers.len(), 2, "{json}");
    assert!(
        transfers[0]["client"]
            .as_str()
            .unwrap()
            .starts_with("[::1]:")
    );
    assert_eq!(transfers[0]["content"], "itl");
    assert_eq!(transfers[1]["protocol"], "http");
    assert_eq!(transfers[1]["content"], "ctl");
    assert_eq!(
        fs::read(out.path().join("::1").join("ITLFile.tlv")).unwrap(),
        itl
    );
}

#[test]
fn packets_cut_by_the_snap_length_leave_a_transfer_incomplete_and_unwritten() {
    let ip: IpAddr = "127.0.77.2".parse().unwrap();
    let Some(tftp) = Server::start_on(ip) else {
        return;
    };
    tftp.put("ITLSEP001122334455.tlv", &fixture("ITLFile-sha1.tlv"));
    let folder = tempfile::tempdir().unwrap();
    let Some(dump) = Tcpdump::start(
        &folder.path().join("cut.pcap"),
        "lo",
        &format!("host {ip}"),
        &["-s", "200"],
    ) else {
        return;
    };
    ctlkit()
        .arg("fetch")
        .arg(tftp.url("ITLSEP001122334455.tlv").to_string())
        .arg("-o")
        .arg(folder.path().join("fetched.tlv"))
        .assert()
        .code(0);
    let capture = dump.stop(std::net::SocketAddr::new(ip, 9));
    let out = tempfile::tempdir().unwrap();
    let json = json_output(
        ctlkit()
            .arg("extract")
            .arg(&capture)
            .args(["--tftp-port", &tftp.address.port().to_string()])
            .arg("-o")
            .arg(out.path())
            .args(["--format", "json"]),
        1,
    );
    let transfer = &json["transfers"][0];
    assert_eq!(transfer["complete"], false, "{json}");
    assert_eq!(transfer["incomplete"]["code"], "unfinished", "{json}");
    assert!(transfer["written"].is_null());
    assert!(json["undecoded"].as_u64().unwrap() >= 4, "{json}");
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0);
}

const PHONE: ([u8; 4], u16) = ([10, 0, 0, 50], 50_000);
const SERVER: ([u8; 4], u16) = ([10, 0, 0, 1], 69);
const TRANSFER_PORT: ([u8; 4], u16) = ([10, 0, 0, 1], 40_000);

/// A phone asking for `name` and the server answering with `blocks` (block number, bytes)
/// in the order given.
fn synthetic_transfer(name: &[u8], blocks: &[(u16, Vec<u8>)]) -> Vec<Frame> {
    let mut frames = vec![udp_frame(PHONE, SERVER, &tftp_read_request(name, None))];
    for (block, bytes) in blocks {
        frames.push(udp_frame(TRANSFER_PORT, PHONE, &tftp_data(*block, bytes)));
    }
    frames
}

fn extract_json(
    frames: &[Frame],
    extra: &[&str],
    code: i32,
) -> (serde_json::Value, tempfile::TempDir) {
    let folder = tempfile::tempdir().unwrap();
    let capture = folder.path().join("synthetic.pcap");
    fs::write(&capture, write_pcap(frames, 1, false, false)).unwrap();
    let out = folder.path().join("out");
    let json = json_output(
        ctlkit()
            .arg("extract")
            .arg(&capture)
            .arg("-o")
            .arg(&out)
            .args(["--format", "json"])
            .args(extra),
        code,
    );
    (json, folder)
}

#[test]
fn blocks_out_of_order_and_repeated_make_the_same_file() {
    let block = |fill: u8| vec![fill; 512];
    let frames = synthetic_transfer(
        b"ITLSEP001122334455.tlv",
        &[
            (1, block(1)),
            (3, block(3)),
            (2, block(2)),
            (2, block(2)),
            (1, block(1)),
            (4, vec![4; 100]),
        ],
    );
    let (json, folder) = extract_json(&frames, &[], 0);
    let transfer = &json["transfers"][0];
    assert_eq!(transfer["complete"], true, "{json}");
    let mut whole = [block(1), block(2), block(3)].concat();
    whole.extend_from_slice(&[4; 100]);
    assert_eq!(transfer["size"], whole.len());
    let written = folder.path().join("out/10.0.0.50/ITLSEP001122334455.tlv");
    assert_eq!(fs::read(written).unwrap(), whole);
}

#[test]
fn a_missing_block_keeps_what_came_before_and_writes_nothing() {
    let frames = synthetic_transfer(
        b"ITLSEP001122334455.tlv",
        &[(1, vec![1; 512]), (3, vec![3; 10])],
    );
    let (json, folder) = extract_json(&frames, &[], 1);
    let transfer = &json["transfers"][0];
    assert_eq!(transfer["complete"], false);
    assert_eq!(transfer["incomplete"]["code"], "gap");
    assert_eq!(transfer["size"], 512);
    assert!(!folder.path().join("out/10.0.0.50").exists());
}

#[test]
fn a_transfer_that_never_ends_stops_at_the_limit() {
    let frames: Vec<Frame> = synthetic_transfer(
        b"endless.bin",
        &(1..=4000u16)
            .map(|block| (block, vec![0xAB; 512]))
            .collect::<Vec<_>>(),
    );
    let (json, _folder) = extract_json(&frames, &["--max-size", "100000"], 1);
    let transfer = &json["transfers"][0];
    assert_eq!(transfer["incomplete"]["code"], "too_large", "{json}");
    assert!(transfer["written"].is_null());
}

#[test]
fn names_that_would_leave_the_folder_are_cut_to_their_last_part() {
    let mut frames = synthetic_transfer(b"../../../tmp/evil.tlv", &[(1, vec![1; 10])]);
    let third_phone = ([10, 0, 0, 52], 50_002);
    let long_name = "x".repeat(400);
    frames.push(udp_frame(
        third_phone,
        SERVER,
        &tftp_read_request(long_name.as_bytes(), None),
    ));
    frames.push(udp_frame(
        TRANSFER_PORT,
        third_phone,
        &tftp_data(1, &[3; 10]),
    ));
    let other_phone = ([10, 0, 0, 51], 50_001);
    frames.push(udp_frame(
        other_phone,
        SERVER,
        &tftp_read_request(b"..", None),
    ));
    frames.push(udp_frame(
        TRANSFER_PORT,
        other_phone,
        &tftp_data(1, &[2; 10]),
    ));
    let (json, folder) = extract_json(&frames, &[], 0);
    let written: Vec<&str> = json["transfers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|transfer| transfer["written"].as_str().unwrap())
        .collect();
    let out = folder.path().join("out");
    assert_eq!(
        written,
        [
            out.join("10.0.0.50/evil.tlv").display().to_string(),
            // Too long for a file system: cut, and marked.
            out.join(format!("10.0.0.52/{}~", "x".repeat(200)))
                .display()
                .to_string(),
            out.join("10.0.0.51/transfer-3").display().to_string(),
        ]
    );
}

#[test]
fn a_capture_cut_short_names_the_damage_and_keeps_what_came_before() {
    let whole = fs::read("fixtures/captures/phone-boot.pcap").unwrap();
    let folder = tempfile::tempdir().unwrap();
    let cut = folder.path().join("cut.pcap");
    // Inside the packets of the last transfer (the HTTP config).
    fs::write(&cut, &whole[..whole.len() - 700]).unwrap();
    let json = json_output(
        ctlkit().arg("extract").arg(&cut).args(["--format", "json"]),
        1,
    );
    assert_eq!(json["transfers"][0]["complete"], true, "{json}");
    assert_eq!(json["transfers"][1]["complete"], true, "{json}");
    assert_eq!(json["transfers"][2]["complete"], false, "{json}");
    let damage = &json["damage"];
    assert!(damage["offset"].as_u64().unwrap() < (whole.len() - 700) as u64);
    assert_eq!(damage["message"], "the capture ends inside a packet");
    ctlkit()
        .arg("extract")
        .arg(&cut)
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "the capture file stops making sense at byte",
        ));
}

#[test]
fn lying_lengths_and_other_protocols_are_counted_not_trusted() {
    let mut frames = synthetic_transfer(b"a.tlv", &[(1, vec![7; 20])]);
    // An IPv4 total length past the frame's end, and a UDP length past the packet's.
    let mut lying_ip = udp_frame(TRANSFER_PORT, PHONE, &tftp_data(1, &[9; 5]));
    lying_ip.data[16..18].copy_from_slice(&1000u16.to_be_bytes());
    let mut lying_udp = udp_frame(TRANSFER_PORT, PHONE, &tftp_data(1, &[9; 5]));
    lying_udp.data[38..40].copy_from_slice(&900u16.to_be_bytes());
    let arp = Frame {
        data: [vec![0xff; 6], vec![2; 6], vec![0x08, 0x06], vec![0; 28]].concat(),
        ..lying_ip.clone()
    };
    frames.insert(1, lying_ip);
    frames.insert(2, lying_udp);
    frames.insert(3, arp);
    let (json, folder) = extract_json(&frames, &[], 0);
    assert_eq!(json["undecoded"], 3, "{json}");
    assert_eq!(
        fs::read(folder.path().join("out/10.0.0.50/a.tlv")).unwrap(),
        vec![7; 20]
    );
}

#[test]
fn what_is_not_a_capture_is_refused_in_one_line() {
    ctlkit()
        .arg("extract")
        .arg("fixtures/ITLFile-sha1.tlv")
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicates::str::is_match(
                "^error: fixtures/ITLFile-sha1.tlv: not a pcap or pcapng capture: .*\n$",
            )
            .unwrap(),
        );
}

#[test]
fn the_committed_captures_give_back_the_fixture_files() {
    let json = json_output(
        ctlkit().args([
            "extract",
            "fixtures/captures/phone-boot.pcap",
            "--format",
            "json",
        ]),
        0,
    );
    let md5 = |name: &str| ctlkit::Checksums::of(&fixture(name)).md5_hex();
    let got: Vec<(String, String, String)> = json["transfers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|transfer| {
            (
                transfer["protocol"].as_str().unwrap().to_owned(),
                transfer["name"].as_str().unwrap().to_owned(),
                transfer["md5"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "tftp".into(),
                "CTLSEP001122334455.tlv".into(),
                md5("CTLFile-etoken-sha1.tlv")
            ),
            (
                "tftp".into(),
                "ITLSEP001122334455.tlv".into(),
                md5("ITLFile-sha1.tlv")
            ),
            (
                "http".into(),
                "/SEP001122334455.cnf.xml.sgn".into(),
                md5("signed/SEP001122334455.cnf.xml.sgn")
            ),
        ]
    );
    insta::assert_snapshot!(text_output(
        ctlkit().args(["extract", "fixtures/captures/reset-wave.pcap"]),
        0
    ));
}

/// (`tests/audit.rs` audits captures phone by phone.)
#[test]
fn a_capture_is_each_phones_copy_for_diff() {
    ctlkit()
        .args([
            "diff",
            "fixtures/captures/phone-boot.pcap",
            "fixtures/ITLFile-sha1.tlv",
        ])
        .assert()
        .code(0)
        .stdout(predicates::str::starts_with(
            "identical: fixtures/captures/phone-boot.pcap#127.0.0.1/ITLSEP001122334455.tlv and",
        ));
    ctlkit()
        .args([
            "diff",
            "fixtures/captures/reset-wave.pcap",
            "fixtures/ITLFile-regenerated-sha1.tlv",
        ])
        .assert()
        .code(2)
        .stderr(
            "error: fixtures/captures/reset-wave.pcap: 3 complete transfers of a file like \
             fixtures/ITLFile-regenerated-sha1.tlv (itl); pick one with --client ADDR \
             (127.0.78.11:59288, 127.0.78.12:37526, 127.0.78.13:38506)\n",
        );
    ctlkit()
        .args([
            "diff",
            "fixtures/captures/reset-wave.pcap",
            "fixtures/ITLFile-regenerated-sha1.tlv",
            "--client",
            "127.0.78.13",
        ])
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "phone   fixtures/captures/reset-wave.pcap#127.0.78.13/ITLSEP0011223344A3.tlv",
        ));
}

#[test]
fn a_million_tiny_packets_and_a_flood_of_requests_are_read_in_bounded_memory() {
    let folder = tempfile::tempdir().unwrap();
    // One million 60-byte datagrams to a port nobody serves.
    let tiny = udp_frame(PHONE, ([10, 0, 0, 1], 5060), b"x");
    let header = write_pcap(&[], 1, false, false);
    let record = &write_pcap(std::slice::from_ref(&tiny), 1, false, false)[header.len()..];
    let mut million = header.clone();
    million.reserve(record.len() * 1_000_000);
    for _ in 0..1_000_000 {
        million.extend_from_slice(record);
    }
    let path = folder.path().join("million.pcap");
    fs::write(&path, &million).unwrap();
    let json = json_output(
        ctlkit()
            .arg("extract")
            .arg(&path)
            .args(["--format", "json"]),
        0,
    );
    assert_eq!(json["packets"], 1_000_000);
    assert_eq!(json["transfers"].as_array().unwrap().len(), 0);

    // 70,000 phones asking at once and never answered: more than the transfers kept open, so
    // the oldest are closed early; every one is still reported, none as complete.
    let mut flood = header;
    for phone in 0..70_000u32 {
        let address = (10u32 << 24 | phone).to_be_bytes();
        let request = udp_frame(
            (address, 40_000),
            SERVER,
            &tftp_read_request(b"ITLFile.tlv", None),
        );
        flood.extend_from_slice(&write_pcap(std::slice::from_ref(&request), 1, false, false)[24..]);
    }
    let path = folder.path().join("flood.pcap");
    fs::write(&path, &flood).unwrap();
    let json = json_output(
        ctlkit()
            .arg("extract")
            .arg(&path)
            .args(["--format", "json"]),
        1,
    );
    let transfers = json["transfers"].as_array().unwrap();
    assert_eq!(transfers.len(), 70_000);
    assert!(
        transfers
            .iter()
            .all(|transfer| transfer["incomplete"]["code"] == "unfinished")
    );
}
