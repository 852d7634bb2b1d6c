//! What a capture shows was transferred: one file per request, whole or not, and why not.

use std::net::SocketAddr;

/// How the file travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// TFTP (UDP 69 and the server's transfer port).
    Tftp,
    /// HTTP (CUCM's TFTP service on TCP 6970).
    Http,
}

impl Protocol {
    /// A stable name for reports.
    pub fn code(self) -> &'static str {
        match self {
            Protocol::Tftp => "tftp",
            Protocol::Http => "http",
        }
    }
}

/// Why a transfer's bytes are not the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Incomplete {
    /// Blocks or segments are missing from the capture; the bytes before the first gap are kept.
    Gap {
        /// How many bytes were received after the gap (kept aside, not in `bytes`).
        after_gap: u64,
    },
    /// The capture ends before the transfer does.
    Unfinished,
    /// The server refused or gave up (a TFTP ERROR, an HTTP status other than 200).
    Refused {
        /// The TFTP error code or the HTTP status.
        code: u16,
        /// The server's message.
        message: String,
    },
    /// The client gave up (a TFTP ERROR from the client, a reset connection).
    Aborted,
    /// More than the per-transfer limit was sent; what was past it is dropped.
    TooLarge {
        /// The limit.
        limit: u64,
    },
}

impl Incomplete {
    /// A stable code for reports.
    pub fn code(&self) -> &'static str {
        match self {
            Incomplete::Gap { .. } => "gap",
            Incomplete::Unfinished => "unfinished",
            Incomplete::Refused { .. } => "refused",
            Incomplete::Aborted => "aborted",
            Incomplete::TooLarge { .. } => "too_large",
        }
    }
}

/// One file requested in the capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// TFTP or HTTP.
    pub protocol: Protocol,
    /// The requester (a phone).
    pub client: SocketAddr,
    /// The server it asked.
    pub server: SocketAddr,
    /// The file name as requested (raw bytes: the capture decides, not us).
    pub name: Vec<u8>,
    /// What arrived: the whole file, or the part before the damage.
    pub bytes: Vec<u8>,
    /// `None` when the whole file arrived.
    pub incomplete: Option<Incomplete>,
    /// The packet that requested it, counted from 0: transfers are reported in this order.
    pub first_packet: u64,
}

impl Transfer {
    /// Whether the whole file arrived.
    pub fn is_complete(&self) -> bool {
        self.incomplete.is_none()
    }

    /// The requested name's last path component (TFTP names may carry folders, HTTP paths
    /// always do), printable: what a file written from it may be called.
    pub fn base_name(&self) -> String {
        let name = self
            .name
            .rsplit(|&byte| byte == b'/' || byte == b'\\')
            .next()
            .unwrap_or_default();
        ctlkit_format::text::printable(name).into_owned()
    }
}
