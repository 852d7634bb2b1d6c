//! A TFTP client (RFC 1350, octet mode) with the blksize and tsize options (RFC 2347–2349):
//! how phones fetch trust lists, and how ctlkit fetches the server's copy.
//!
//! Everything the server sends is untrusted. The protocol lives in [`TftpTransfer`], a state
//! machine with no I/O (fuzzed by playing a malicious server against it); this module adds
//! the URL, the socket and the clock around it.

pub(crate) mod packet;
mod session;

pub use session::{
    MAX_USELESS_PACKETS, TftpLimits, TftpProgress, TftpStep, TftpTransfer, TftpTransferError,
    TftpViolation,
};

use std::fmt;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};
use std::time::Duration;

/// The well-known TFTP port.
pub const DEFAULT_PORT: u16 = 69;
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
            max_size: crate::files::input::DEFAULT_MAX_SIZE,
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
        /// Seconds each (fractions kept: `--timeout 0.2` is not 0 s).
        seconds: f64,
    },
    /// The server broke the protocol.
    #[error("{url}: {what}")]
    Protocol {
        /// The URL.
        url: String,
        /// What it did.
        what: TftpViolation,
    },
    /// The file is larger than the limit.
    #[error("{url}: larger than the {limit}-byte limit")]
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
        Err(TftpError::Server { code: 8, .. })
            if options.block_size != packet::CLASSIC_BLOCK_SIZE =>
        {
            transfer(&socket, server, url, options, packet::CLASSIC_BLOCK_SIZE)
        }
        other => other,
    }
}

/// Drives one transfer: the socket loop around the state machine.
fn transfer(
    socket: &UdpSocket,
    server: SocketAddr,
    url: &TftpUrl,
    options: &FetchOptions,
    requested_block_size: u16,
) -> Result<Vec<u8>, TftpError> {
    let shown = url.to_string();
    let limits = TftpLimits {
        max_size: options.max_size,
        retries: options.retries,
    };
    let (mut machine, request) =
        TftpTransfer::start(server, &url.name, requested_block_size, limits);
    socket
        .send_to(&request, server)
        .map_err(|source| TftpError::Network {
            url: shown.clone(),
            source,
        })?;
    let mut buffer = vec![0u8; usize::from(u16::MAX)];
    loop {
        let step = match socket.recv_from(&mut buffer) {
            Ok((length, from)) => machine.on_packet(from, buffer.get(..length).unwrap_or_default()),
            Err(error)
                if matches!(
                    error.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                machine.on_timeout()
            }
            Err(source) => return Err(TftpError::Network { url: shown, source }),
        };
        if let Some((to, packet)) = &step.send {
            // A lost packet is what retransmission is for; a send error is not fatal here.
            let _ = socket.send_to(packet, to);
        }
        match step.progress {
            TftpProgress::Continue => {}
            TftpProgress::Done(file) => return Ok(file),
            TftpProgress::Failed(error) => return Err(error_with_url(error, shown, options)),
        }
    }
}

fn error_with_url(error: TftpTransferError, url: String, options: &FetchOptions) -> TftpError {
    match error {
        TftpTransferError::Server { code, message } => TftpError::Server { url, code, message },
        TftpTransferError::Timeout { attempts } => TftpError::Timeout {
            url,
            attempts,
            seconds: options.timeout.as_secs_f64(),
        },
        TftpTransferError::Protocol(what) => TftpError::Protocol { url, what },
        TftpTransferError::TooLarge => TftpError::TooLarge {
            url,
            limit: options.max_size,
        },
        TftpTransferError::SizeMismatch {
            received,
            announced,
        } => TftpError::SizeMismatch {
            url,
            received,
            announced,
        },
    }
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
}
