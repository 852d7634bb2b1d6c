//! Files transferred in a packet capture (pcap / pcapng), as a phone received them: TFTP
//! (UDP 69 and the transfer port) and HTTP (CUCM's TFTP service on TCP 6970). The capture is
//! read as a stream, transfers are handed on as each ends, and each transfer's memory is
//! bounded by a limit, so a capture of any size is read in one pass.

mod http_flows;
mod packets;
mod tftp_flows;
mod transfer;

use std::io::Read;

pub use packets::CaptureReadError;
pub use transfer::{Incomplete, Protocol, Transfer};

use http_flows::HttpFlows;
use packets::{Transport, read_packets};
use tftp_flows::TftpFlows;

/// The well-known TFTP port.
pub const TFTP_PORT: u16 = 69;

/// CUCM's HTTP port for TFTP files.
pub const HTTP_TFTP_PORT: u16 = 6970;

/// How to read a capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureOptions {
    /// The most one transfer may hold; past it, the transfer is reported too large and its
    /// bytes dropped.
    pub max_transfer: u64,
    /// UDP ports where TFTP read requests are looked for.
    pub tftp_ports: Vec<u16>,
    /// TCP ports where HTTP file transfers are looked for.
    pub http_ports: Vec<u16>,
}

impl Default for CaptureOptions {
    fn default() -> Self {
        CaptureOptions {
            max_transfer: crate::files::input::DEFAULT_MAX_SIZE,
            tftp_ports: vec![TFTP_PORT],
            http_ports: vec![HTTP_TFTP_PORT],
        }
    }
}

/// What reading a capture came to, besides its transfers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaptureSummary {
    /// Packets read.
    pub packets: u64,
    /// Packets that did not decode as IPv4 / IPv6 UDP or TCP (other protocols, fragments,
    /// packets cut by the snap length, lying lengths).
    pub undecoded: u64,
    /// Where the capture file stopped making sense, and why (a capture cut short ends inside a
    /// packet); everything before it was read.
    pub damage: Option<CaptureDamage>,
}

/// Damage to the capture file itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureDamage {
    /// The byte offset of the block that could not be read.
    pub offset: u64,
    /// What was wrong.
    pub message: String,
}

/// Whether `prefix` (a file's first bytes) starts a pcap or pcapng capture: either byte order,
/// microsecond or nanosecond timestamps.
pub fn is_capture(prefix: &[u8]) -> bool {
    const MAGICS: [[u8; 4]; 5] = [
        [0xa1, 0xb2, 0xc3, 0xd4],
        [0xd4, 0xc3, 0xb2, 0xa1],
        [0xa1, 0xb2, 0x3c, 0x4d],
        [0x4d, 0x3c, 0xb2, 0xa1],
        [0x0a, 0x0d, 0x0d, 0x0a],
    ];
    prefix
        .first_chunk::<4>()
        .is_some_and(|magic| MAGICS.contains(magic))
}

/// Reads a capture and hands every transfer to `each` as it ends (the ones still open when the
/// capture ends, last, marked incomplete).
///
/// # Errors
///
/// [`CaptureReadError`] when the input is not a capture at all; damage after a valid start is
/// reported in [`CaptureSummary::damage`] instead, with everything before it read.
pub fn extract_transfers(
    reader: impl Read + Send,
    options: &CaptureOptions,
    each: &mut dyn FnMut(Transfer),
) -> Result<CaptureSummary, CaptureReadError> {
    let mut tftp = TftpFlows::default();
    let mut http = HttpFlows::default();
    let limit = options.max_transfer;
    let summary = read_packets(reader, &mut |packet| match packet.transport {
        Transport::Udp => tftp.datagram(&packet, &options.tftp_ports, limit, each),
        Transport::Tcp { .. } => {
            if options.http_ports.contains(&packet.destination.port()) {
                http.segment(&packet, true, limit, each);
            } else if options.http_ports.contains(&packet.source.port()) {
                http.segment(&packet, false, limit, each);
            }
        }
    })?;
    tftp.finish(each);
    http.finish(each);
    Ok(CaptureSummary {
        packets: summary.packets,
        undecoded: summary.undecoded,
        damage: summary
            .damage
            .map(|(offset, message)| CaptureDamage { offset, message }),
    })
}
