//! A TFTP client (RFC 1350, octet mode) with the blksize and tsize options (RFC 2347–2349):
//! how phones fetch trust lists, and how ctlkit fetches the server's copy.
//!
//! Everything the server sends is untrusted: packets are parsed with checked slicing, the
//! transfer is bounded by a size limit, and a silent server ends in a timeout, not a hang.

use std::fmt;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};
use std::time::Duration;

/// The well-known TFTP port.
pub const DEFAULT_PORT: u16 = 69;
/// RFC 1350's block size, used when the server ignores options.
const CLASSIC_BLOCK_SIZE: u16 = 512;

const OPCODE_RRQ: u16 = 1;
const OPCODE_DATA: u16 = 3;
const OPCODE_ACK: u16 = 4;
const OPCODE_ERROR: u16 = 5;
const OPCODE_OACK: u16 = 6;

/// `tftp://HOST[:PORT]/NAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TftpUrl {
    /// Host name or address (IPv6 in brackets in the URL, without them here).
    pub host: String,
    /// UDP port.
    pub port: u16,
    /// The file name to request.
    pub name: String,
}

impl TftpUrl {
    /// Parses `tftp://HOST[:PORT]/NAME`.
    ///
    /// # Errors
    ///
    /// [`TftpError::Url`] for anything else.
    pub fn parse(url: &str) -> Result<Self, TftpError> {
        let bad = |why: &str| TftpError::Url(format!("{url}: {why}"));
        let rest = url
            .strip_prefix("tftp://")
            .ok_or_else(|| bad("not a tftp:// URL"))?;
        let (authority, name) = rest
            .split_once('/')
            .ok_or_else(|| bad("no file name after the host"))?;
        if name.is_empty() {
            return Err(bad("no file name after the host"));
        }
        let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
            let (host, after) = bracketed
                .split_once(']')
                .ok_or_else(|| bad("unclosed [ in the host"))?;
            (host, after.strip_prefix(':'))
        } else {
            match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        let port = match port {
            Some(port) => port.parse().map_err(|_| bad("the port is not a number"))?,
            None => DEFAULT_PORT,
        };
        Ok(TftpUrl {
            host: host.to_owned(),
            port,
            name: name.to_owned(),
        })
    }
}

impl fmt::Display for TftpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "tftp://[{}]:{}/{}", self.host, self.port, self.name)
        } else {
            write!(f, "tftp://{}:{}/{}", self.host, self.port, self.name)
        }
    }
}

/// How to fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchOptions {
    /// How long to wait for each packet before sending the last one again.
    pub timeout: Duration,
    /// How many times to send a packet again before giving up.
    pub retries: u32,
    /// The block size to ask for (blksize option, 8–65464); 512 asks for none.
    pub block_size: u16,
    /// Refuse transfers larger than this.
    pub max_size: u64,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(2),
            retries: 5,
            // Fits an Ethernet frame with IP, UDP and TFTP headers.
            block_size: 1428,
            max_size: crate::input::DEFAULT_MAX_SIZE,
        }
    }
}

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TftpError {
    /// The URL is not `tftp://HOST[:PORT]/NAME`.
    #[error("{0}")]
    Url(String),
    /// The host name does not resolve, or a socket cannot be made.
    #[error("{url}: {source}")]
    Network {
        /// The URL.
        url: String,
        /// The reason.
        source: io::Error,
    },
    /// The server answered with an ERROR packet (1 file not found, 2 access violation…).
    #[error("{url}: the server says: {message} (TFTP error {code})")]
    Server {
        /// The URL.
        url: String,
        /// The TFTP error code.
        code: u16,
        /// The server's message.
        message: String,
    },
    /// No answer after every retry.
    #[error("{url}: no answer after {attempts} tries of {seconds} s")]
    Timeout {
        /// The URL.
        url: String,
        /// Tries made.
        attempts: u32,
        /// Seconds each.
        seconds: u64,
    },
    /// The server broke the protocol.
    #[error("{url}: {what}")]
    Protocol {
        /// The URL.
        url: String,
        /// What it did.
        what: String,
    },
    /// The file is larger than the limit.
    #[error("{url}: larger than the {limit}-byte limit (raise it with --max-size)")]
    TooLarge {
        /// The URL.
        url: String,
        /// The limit.
        limit: u64,
    },
    /// The transfer ended with another size than the server announced (tsize).
    #[error("{url}: received {received} bytes, the server announced {announced}")]
    SizeMismatch {
        /// The URL.
        url: String,
        /// Bytes received.
        received: u64,
        /// tsize.
        announced: u64,
    },
}

/// A received packet, parsed.
enum Packet<'p> {
    Data { block: u16, payload: &'p [u8] },
    OptionAck(Vec<(String, String)>),
    Error { code: u16, message: String },
    Other(u16),
}

fn parse_packet(packet: &[u8]) -> Option<Packet<'_>> {
    let (opcode, rest) = packet.split_first_chunk::<2>()?;
    let opcode = u16::from_be_bytes(*opcode);
    Some(match opcode {
        OPCODE_DATA => {
            let (block, payload) = rest.split_first_chunk::<2>()?;
            Packet::Data {
                block: u16::from_be_bytes(*block),
                payload,
            }
        }
        OPCODE_ERROR => {
            let (code, message) = rest.split_first_chunk::<2>()?;
            let message = crate::text::until_nul(message);
            Packet::Error {
                code: u16::from_be_bytes(*code),
                message: crate::text::printable(message).into_owned(),
            }
        }
        OPCODE_OACK => {
            let strings: Vec<String> = rest
                .split(|&byte| byte == 0)
                .map(|text| String::from_utf8_lossy(text).to_ascii_lowercase())
                .collect();
            let pairs = strings
                .chunks_exact(2)
                .filter_map(|pair| match pair {
                    [name, value] => Some((name.clone(), value.clone())),
                    _ => None,
                })
                .collect();
            Packet::OptionAck(pairs)
        }
        other => Packet::Other(other),
    })
}

fn read_request(name: &str, block_size: u16) -> Vec<u8> {
    let mut packet = OPCODE_RRQ.to_be_bytes().to_vec();
    for field in [name, "octet"] {
        packet.extend_from_slice(field.as_bytes());
        packet.push(0);
    }
    if block_size != CLASSIC_BLOCK_SIZE {
        for field in ["blksize", &block_size.to_string(), "tsize", "0"] {
            packet.extend_from_slice(field.as_bytes());
            packet.push(0);
        }
    }
    packet
}

fn ack(block: u16) -> Vec<u8> {
    let mut packet = OPCODE_ACK.to_be_bytes().to_vec();
    packet.extend_from_slice(&block.to_be_bytes());
    packet
}

fn error_packet(code: u16, message: &str) -> Vec<u8> {
    let mut packet = OPCODE_ERROR.to_be_bytes().to_vec();
    packet.extend_from_slice(&code.to_be_bytes());
    packet.extend_from_slice(message.as_bytes());
    packet.push(0);
    packet
}

/// Fetches a file over TFTP into memory.
///
/// Asks for `blksize` and `tsize`; a server that ignores them (answers with DATA) or refuses
/// them (ERROR 8) gets a plain RFC 1350 transfer. Block numbers wrap past 65,535.
///
/// # Errors
///
/// [`TftpError`] for a bad URL, a name that does not resolve, a server error, silence after
/// every retry, a protocol violation, a file over the size limit or shorter than announced.
pub fn fetch(url: &TftpUrl, options: &FetchOptions) -> Result<Vec<u8>, TftpError> {
    let shown = url.to_string();
    let network = |source| TftpError::Network {
        url: shown.clone(),
        source,
    };
    let server = (url.host.as_str(), url.port)
        .to_socket_addrs()
        .map_err(network)?
        .next()
        .ok_or_else(|| network(io::Error::other("the host name has no address")))?;
    let local: SocketAddr = if server.is_ipv4() {
        (std::net::Ipv4Addr::UNSPECIFIED, 0).into()
    } else {
        (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
    };
    let socket = UdpSocket::bind(local).map_err(network)?;
    socket
        .set_read_timeout(Some(options.timeout))
        .map_err(network)?;
    match transfer(&socket, server, url, options, options.block_size) {
        Err(TftpError::Server { code: 8, .. }) if options.block_size != CLASSIC_BLOCK_SIZE => {
            transfer(&socket, server, url, options, CLASSIC_BLOCK_SIZE)
        }
        other => other,
    }
}

fn transfer(
    socket: &UdpSocket,
    server: SocketAddr,
    url: &TftpUrl,
    options: &FetchOptions,
    requested_block_size: u16,
) -> Result<Vec<u8>, TftpError> {
    let shown = url.to_string();
    let protocol = |what: String| TftpError::Protocol {
        url: shown.clone(),
        what,
    };
    let mut last_sent = read_request(&url.name, requested_block_size);
    let mut destination = server;
    socket
        .send_to(&last_sent, destination)
        .map_err(|source| TftpError::Network {
            url: shown.clone(),
            source,
        })?;
    // The server answers from a new port (its transfer ID); only that port counts after.
    let mut peer: Option<SocketAddr> = None;
    let mut block_size = usize::from(CLASSIC_BLOCK_SIZE);
    let mut announced: Option<u64> = None;
    let mut expected: u16 = 1;
    let mut received: Vec<u8> = Vec::new();
    let mut silent_tries: u32 = 0;
    let mut buffer = vec![0u8; usize::from(u16::MAX)];
    loop {
        let (length, from) = match socket.recv_from(&mut buffer) {
            Ok(answer) => answer,
            Err(error)
                if matches!(
                    error.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                silent_tries = silent_tries.saturating_add(1);
                if silent_tries > options.retries {
                    return Err(TftpError::Timeout {
                        url: shown,
                        attempts: silent_tries,
                        seconds: options.timeout.as_secs(),
                    });
                }
                let _ = socket.send_to(&last_sent, destination);
                continue;
            }
            Err(source) => return Err(TftpError::Network { url: shown, source }),
        };
        if from.ip() != server.ip() || peer.is_some_and(|peer| peer != from) {
            // RFC 1350: a packet from a stranger gets an error, and the transfer goes on.
            let _ = socket.send_to(&error_packet(5, "unknown transfer ID"), from);
            continue;
        }
        if peer.is_none() {
            peer = Some(from);
            destination = from;
        }
        let packet = buffer.get(..length).unwrap_or_default();
        match parse_packet(packet) {
            Some(Packet::Error { code, message }) => {
                return Err(TftpError::Server {
                    url: shown,
                    code,
                    message,
                });
            }
            Some(Packet::OptionAck(pairs)) if expected == 1 && received.is_empty() => {
                for (name, value) in pairs {
                    match name.as_str() {
                        "blksize" => {
                            let size: u16 = value
                                .parse()
                                .map_err(|_| protocol(format!("bad blksize {value}")))?;
                            if size < 8 || size > requested_block_size {
                                return Err(protocol(format!("the server chose blksize {size}")));
                            }
                            block_size = usize::from(size);
                        }
                        "tsize" => {
                            let size: u64 = value
                                .parse()
                                .map_err(|_| protocol(format!("bad tsize {value}")))?;
                            if size > options.max_size {
                                let _ =
                                    socket.send_to(&error_packet(3, "file too large"), destination);
                                return Err(TftpError::TooLarge {
                                    url: shown,
                                    limit: options.max_size,
                                });
                            }
                            announced = Some(size);
                        }
                        _ => {}
                    }
                }
                last_sent = ack(0);
                silent_tries = 0;
                let _ = socket.send_to(&last_sent, destination);
            }
            Some(Packet::Data { block, payload }) => {
                if block == expected {
                    if payload.len() > block_size {
                        return Err(protocol(format!(
                            "block {block} holds {} bytes, more than the {block_size}-byte block size",
                            payload.len()
                        )));
                    }
                    let total = u64::try_from(received.len().saturating_add(payload.len()))
                        .unwrap_or(u64::MAX);
                    if total > options.max_size {
                        let _ = socket.send_to(&error_packet(3, "file too large"), destination);
                        return Err(TftpError::TooLarge {
                            url: shown,
                            limit: options.max_size,
                        });
                    }
                    received.extend_from_slice(payload);
                    last_sent = ack(block);
                    silent_tries = 0;
                    let _ = socket.send_to(&last_sent, destination);
                    if payload.len() < block_size {
                        break;
                    }
                    expected = expected.wrapping_add(1);
                } else if block == expected.wrapping_sub(1) {
                    // Our ACK was lost: say it again.
                    let _ = socket.send_to(&ack(block), destination);
                }
            }
            Some(Packet::Other(opcode)) => {
                return Err(protocol(format!("unexpected packet with opcode {opcode}")));
            }
            Some(Packet::OptionAck(_)) => {
                return Err(protocol(
                    "option acknowledgement in the middle of a transfer".to_owned(),
                ));
            }
            None => {
                return Err(protocol(format!(
                    "a {length}-byte packet too short to read"
                )));
            }
        }
    }
    let received_length = u64::try_from(received.len()).unwrap_or(u64::MAX);
    if let Some(announced) = announced.filter(|&announced| announced != received_length) {
        return Err(TftpError::SizeMismatch {
            url: shown,
            received: received_length,
            announced,
        });
    }
    Ok(received)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let url = TftpUrl::parse("tftp://cucm-pub/CTLFile.tlv").unwrap();
        assert_eq!(
            (url.host.as_str(), url.port, url.name.as_str()),
            ("cucm-pub", 69, "CTLFile.tlv")
        );
        let url = TftpUrl::parse("tftp://127.0.0.1:6969/dir/ITLSEP001122334455.tlv").unwrap();
        assert_eq!(
            (url.port, url.name.as_str()),
            (6969, "dir/ITLSEP001122334455.tlv")
        );
        let url = TftpUrl::parse("tftp://[::1]:69/ITLFile.tlv").unwrap();
        assert_eq!(url.host, "::1");
        assert_eq!(url.to_string(), "tftp://[::1]:69/ITLFile.tlv");
        for bad in [
            "http://x/y",
            "tftp://host",
            "tftp://host/",
            "tftp:///x",
            "tftp://h:port/x",
            "tftp://[::1/x",
        ] {
            assert!(TftpUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn packets() {
        let request = read_request("ITLFile.tlv", 1428);
        assert_eq!(
            request,
            b"\x00\x01ITLFile.tlv\0octet\0blksize\x001428\0tsize\x000\0"
        );
        assert_eq!(read_request("a", 512), b"\x00\x01a\0octet\0");
        assert!(matches!(
            parse_packet(b"\x00\x03\x00\x07abc"),
            Some(Packet::Data {
                block: 7,
                payload: b"abc"
            })
        ));
        assert!(matches!(
            parse_packet(b"\x00\x05\x00\x01File not found\0"),
            Some(Packet::Error { code: 1, .. })
        ));
        assert!(parse_packet(b"\x00").is_none());
        assert!(parse_packet(b"\x00\x03\x00").is_none());
        match parse_packet(b"\x00\x06BLKSIZE\x00512\0tsize\x0010\0") {
            Some(Packet::OptionAck(pairs)) => assert_eq!(
                pairs,
                [
                    ("blksize".to_owned(), "512".to_owned()),
                    ("tsize".to_owned(), "10".to_owned())
                ]
            ),
            _ => panic!("not an OACK"),
        }
    }
}
