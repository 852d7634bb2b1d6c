//! `extract`: files out of real packet captures. The tests start tftpd-hpa and an HTTP server
//! on a loopback address of their own, capture with tcpdump (Ethernet on `lo`, Linux cooked v1
//! and v2 on `any`, nanosecond timestamps), fetch with ctlkit, tftp-hpa and curl, then extract
//! and compare bytes; the same capture is rewritten into pcapng, big-endian, raw IP, BSD
//! loopback and VLAN-tagged shapes, which must give the same files.

mod support;

use std::fs;
use std::net::IpAddr;
use std::path::Path;
use std::process::Command as Process;

use support::capture::{
    Frame, HttpServer, Tcpdump, as_bsd_loopback, as_raw_ip, frames, tool, with_vlan_tag,
    write_pcap, write_pcapng,
};
use support::tftpd::Server;
use support::{ctlkit, fixture, json_output};

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
