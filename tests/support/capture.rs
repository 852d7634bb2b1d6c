//! Real packet captures for the tests: tcpdump on loopback (started and stopped here), an HTTP
//! server of the tests' own, and a rewriter that turns one capture into the other shapes
//! captures come in (pcapng, the other byte order, raw IP, BSD loopback, VLAN tags).

use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use pcap_parser::pcapng::Block;
use pcap_parser::{Linktype, PcapBlockOwned, PcapError, create_reader};

/// Where a program the capture tests need lives; `None` with a note when it is missing,
/// except under CI, where .ci/run installs it.
pub fn tool(program: &str, package: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/sbin")])
            .map(|folder| folder.join(program))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install {package} (.ci/run does)"
        );
        eprintln!("skipping: {program} is not installed (apt-get install {package})");
    }
    found
}

/// tcpdump writing what it sees to a file, until stopped.
pub struct Tcpdump {
    child: Child,
    /// The capture file.
    pub path: PathBuf,
}

impl Tcpdump {
    /// Starts capturing on `interface` (`lo`, `any`) what `filter` lets through, with any
    /// extra arguments (`-y LINUX_SLL`, `--time-stamp-precision=nano`, `-s 200`); returns
    /// once tcpdump says it is listening.
    pub fn start(path: &Path, interface: &str, filter: &str, extra: &[&str]) -> Option<Tcpdump> {
        let program = tool("tcpdump", "tcpdump")?;
        let mut child = Command::new(program)
            .args(["-i", interface, "-U", "-n", "-Z", "root", "-w"])
            .arg(path)
            .args(extra)
            .arg(filter)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr).lines();
        loop {
            let line = lines
                .next()
                .expect("tcpdump ended before listening")
                .unwrap();
            if line.contains("listening on") {
                break;
            }
        }
        // Keep draining its stderr so it never blocks on a full pipe.
        thread::spawn(move || for _ in lines {});
        Some(Tcpdump {
            child,
            path: path.to_owned(),
        })
    }

    /// Stops it (SIGINT, as a person would with Ctrl-C) once it has written everything sent
    /// so far: a marker datagram is sent to `marker` (an address the filter lets through)
    /// and the file is watched until the marker is in it.
    pub fn stop(mut self, marker: SocketAddr) -> PathBuf {
        let nonce = format!(
            "ctlkit-capture-end-{}-{}",
            std::process::id(),
            self.child.id()
        );
        let socket = UdpSocket::bind(SocketAddr::new(marker.ip(), 0)).unwrap();
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            socket.send_to(nonce.as_bytes(), marker).unwrap();
            thread::sleep(Duration::from_millis(50));
            let written = std::fs::read(&self.path).unwrap_or_default();
            if written
                .windows(nonce.len())
                .any(|window| window == nonce.as_bytes())
            {
                break;
            }
            assert!(Instant::now() < deadline, "tcpdump never wrote the marker");
        }
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
        self.path.clone()
    }
}

/// A minimal HTTP/1.1 server: GET /NAME answers the file with Content-Length, GET
/// /chunked/NAME with chunked encoding (in chunks of 1,000 bytes); connections are kept alive.
pub struct HttpServer {
    /// Where it listens.
    pub address: SocketAddr,
}

impl HttpServer {
    /// Serves `files` (name, bytes) on `ip`:`port` in background threads.
    pub fn start(ip: IpAddr, port: u16, files: Vec<(String, Vec<u8>)>) -> HttpServer {
        let listener = TcpListener::bind(SocketAddr::new(ip, port)).unwrap();
        let address = listener.local_addr().unwrap();
        let files = Arc::new(files);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let files = Arc::clone(&files);
                thread::spawn(move || serve(stream, &files));
            }
        });
        HttpServer { address }
    }
}

fn serve(stream: TcpStream, files: &[(String, Vec<u8>)]) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                break;
            }
        }
        let path = request_line.split_whitespace().nth(1).unwrap_or("/");
        let (chunked, name) = match path.strip_prefix("/chunked/") {
            Some(name) => (true, name),
            None => (false, path.trim_start_matches('/')),
        };
        let Some((_, body)) = files.iter().find(|(file, _)| file == name) else {
            let _ = writer.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
            continue;
        };
        let mut response = Vec::new();
        if chunked {
            response.extend_from_slice(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for chunk in body.chunks(1000) {
                response.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                response.extend_from_slice(chunk);
                response.extend_from_slice(b"\r\n");
            }
            response.extend_from_slice(b"0\r\n\r\n");
        } else {
            response.extend_from_slice(
                format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len()).as_bytes(),
            );
            response.extend_from_slice(body);
        }
        if writer.write_all(&response).is_err() {
            return;
        }
    }
}

/// One captured packet: link type, timestamp (seconds, nanoseconds), its bytes.
#[derive(Debug, Clone)]
pub struct Frame {
    pub linktype: i32,
    pub seconds: u32,
    pub nanos: u32,
    pub data: Vec<u8>,
}

/// Every frame of a pcap or pcapng file.
pub fn frames(path: &Path) -> Vec<Frame> {
    let file = std::fs::File::open(path).unwrap();
    let mut reader = create_reader(1 << 20, file).unwrap();
    let mut frames = Vec::new();
    let mut linktype = Linktype::ETHERNET;
    let mut nano = false;
    loop {
        match reader.next() {
            Ok((length, block)) => {
                match block {
                    PcapBlockOwned::LegacyHeader(header) => {
                        linktype = header.network;
                        nano = header.is_nanosecond_precision();
                    }
                    PcapBlockOwned::Legacy(packet) => frames.push(Frame {
                        linktype: linktype.0,
                        seconds: packet.ts_sec,
                        nanos: if nano {
                            packet.ts_usec
                        } else {
                            packet.ts_usec * 1000
                        },
                        data: packet.data[..packet.caplen as usize].to_vec(),
                    }),
                    PcapBlockOwned::NG(Block::InterfaceDescription(interface)) => {
                        linktype = interface.linktype;
                    }
                    PcapBlockOwned::NG(Block::EnhancedPacket(packet)) => frames.push(Frame {
                        linktype: linktype.0,
                        seconds: 0,
                        nanos: 0,
                        data: packet.data[..packet.caplen as usize].to_vec(),
                    }),
                    _ => {}
                }
                reader.consume(length);
            }
            Err(PcapError::Eof) => break,
            Err(PcapError::Incomplete(_)) => reader.refill().unwrap(),
            Err(error) => panic!("{error:?}"),
        }
    }
    frames
}

/// A classic pcap file: big- or little-endian, micro- or nanosecond timestamps.
pub fn write_pcap(frames: &[Frame], linktype: i32, big_endian: bool, nano: bool) -> Vec<u8> {
    let u32_bytes = |value: u32| {
        if big_endian {
            value.to_be_bytes()
        } else {
            value.to_le_bytes()
        }
    };
    let u16_bytes = |value: u16| {
        if big_endian {
            value.to_be_bytes()
        } else {
            value.to_le_bytes()
        }
    };
    let mut out = Vec::new();
    out.extend_from_slice(&u32_bytes(if nano { 0xa1b2_3c4d } else { 0xa1b2_c3d4 }));
    out.extend_from_slice(&u16_bytes(2));
    out.extend_from_slice(&u16_bytes(4));
    out.extend_from_slice(&u32_bytes(0));
    out.extend_from_slice(&u32_bytes(0));
    out.extend_from_slice(&u32_bytes(262_144));
    out.extend_from_slice(&u32_bytes(linktype as u32));
    for frame in frames {
        out.extend_from_slice(&u32_bytes(frame.seconds));
        out.extend_from_slice(&u32_bytes(if nano {
            frame.nanos
        } else {
            frame.nanos / 1000
        }));
        out.extend_from_slice(&u32_bytes(frame.data.len() as u32));
        out.extend_from_slice(&u32_bytes(frame.data.len() as u32));
        out.extend_from_slice(&frame.data);
    }
    out
}

/// A pcapng file: one section, one interface, enhanced packet blocks.
pub fn write_pcapng(frames: &[Frame], linktype: i32) -> Vec<u8> {
    fn block(out: &mut Vec<u8>, kind: u32, body: &[u8]) {
        let padded = body.len().div_ceil(4) * 4;
        let length = (12 + padded) as u32;
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&length.to_le_bytes());
        out.extend_from_slice(body);
        out.resize(out.len() + padded - body.len(), 0);
        out.extend_from_slice(&length.to_le_bytes());
    }
    let mut out = Vec::new();
    let mut section = Vec::new();
    section.extend_from_slice(&0x1a2b_3c4du32.to_le_bytes());
    section.extend_from_slice(&1u16.to_le_bytes());
    section.extend_from_slice(&0u16.to_le_bytes());
    section.extend_from_slice(&u64::MAX.to_le_bytes());
    block(&mut out, 0x0a0d_0d0a, &section);
    let mut interface = Vec::new();
    interface.extend_from_slice(&(linktype as u16).to_le_bytes());
    interface.extend_from_slice(&0u16.to_le_bytes());
    interface.extend_from_slice(&262_144u32.to_le_bytes());
    block(&mut out, 1, &interface);
    for frame in frames {
        let micros = u64::from(frame.seconds) * 1_000_000 + u64::from(frame.nanos / 1000);
        let mut packet = Vec::new();
        packet.extend_from_slice(&0u32.to_le_bytes());
        packet.extend_from_slice(&((micros >> 32) as u32).to_le_bytes());
        packet.extend_from_slice(&(micros as u32).to_le_bytes());
        packet.extend_from_slice(&(frame.data.len() as u32).to_le_bytes());
        packet.extend_from_slice(&(frame.data.len() as u32).to_le_bytes());
        packet.extend_from_slice(&frame.data);
        block(&mut out, 6, &packet);
    }
    out
}

/// Ethernet frames without their 14-byte header: LINKTYPE_RAW (101).
pub fn as_raw_ip(frames: &[Frame]) -> Vec<Frame> {
    frames
        .iter()
        .map(|frame| Frame {
            linktype: 101,
            data: frame.data[14..].to_vec(),
            ..frame.clone()
        })
        .collect()
}

/// Ethernet frames as BSD loopback (LINKTYPE_NULL): a 4-byte address family, host order.
pub fn as_bsd_loopback(frames: &[Frame]) -> Vec<Frame> {
    frames
        .iter()
        .map(|frame| {
            let ipv6 = frame.data[12..14] == [0x86, 0xdd];
            let family: u32 = if ipv6 { 30 } else { 2 };
            let mut data = family.to_le_bytes().to_vec();
            data.extend_from_slice(&frame.data[14..]);
            Frame {
                linktype: 0,
                data,
                ..frame.clone()
            }
        })
        .collect()
}

/// Ethernet frames with an 802.1Q VLAN tag (VLAN 42) after the addresses.
pub fn with_vlan_tag(frames: &[Frame]) -> Vec<Frame> {
    frames
        .iter()
        .map(|frame| {
            let mut data = frame.data[..12].to_vec();
            data.extend_from_slice(&[0x81, 0x00, 0x00, 42]);
            data.extend_from_slice(&frame.data[12..]);
            Frame {
                data,
                ..frame.clone()
            }
        })
        .collect()
}

/// An Ethernet / IPv4 / UDP frame from `source` to `destination` (IPv4 addresses and ports).
pub fn udp_frame(source: ([u8; 4], u16), destination: ([u8; 4], u16), payload: &[u8]) -> Frame {
    let builder = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
        .ipv4(source.0, destination.0, 64)
        .udp(source.1, destination.1);
    let mut data = Vec::with_capacity(builder.size(payload.len()));
    builder.write(&mut data, payload).unwrap();
    Frame {
        linktype: 1,
        seconds: 0,
        nanos: 0,
        data,
    }
}

/// A TFTP read request for `name`, octet mode, asking for `block_size` when given.
pub fn tftp_read_request(name: &[u8], block_size: Option<u16>) -> Vec<u8> {
    let mut packet = vec![0, 1];
    packet.extend_from_slice(name);
    packet.extend_from_slice(b"\0octet\0");
    if let Some(size) = block_size {
        packet.extend_from_slice(format!("blksize\0{size}\0").as_bytes());
    }
    packet
}

/// A TFTP DATA packet.
pub fn tftp_data(block: u16, payload: &[u8]) -> Vec<u8> {
    let mut packet = vec![0, 3];
    packet.extend_from_slice(&block.to_be_bytes());
    packet.extend_from_slice(payload);
    packet
}
