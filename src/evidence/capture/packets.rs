//! From a pcap / pcapng stream to UDP datagrams and TCP segments, with pcap-parser reading the
//! file and etherparse decoding link, IP and transport headers: no packet format is parsed
//! here. A packet that does not decode (cut by the snap length, a lying length, not IP) is
//! counted and skipped; a file that stops making sense ends the reading with its offset.

use std::io::Read;
use std::net::{IpAddr, SocketAddr};

use etherparse::{NetSlice, SlicedPacket, TransportSlice};
use pcap_parser::data::{PacketData, get_packetdata};
use pcap_parser::pcapng::Block;
use pcap_parser::{Linktype, PcapBlockOwned, PcapError, create_reader};

/// The read buffer to start with, and the largest it may grow to for one block: pcap blocks
/// are at most a jumbo frame (256 KiB in libpcap); anything larger is damage.
const FIRST_BUFFER: usize = 1 << 20;
const LARGEST_BUFFER: usize = 4 << 20;

/// One transport-layer payload, with its addresses.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Packet<'p> {
    /// Its position among the capture's packets, from 0.
    pub index: u64,
    pub source: SocketAddr,
    pub destination: SocketAddr,
    pub transport: Transport,
    pub payload: &'p [u8],
}

/// UDP, or TCP with what reassembly needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transport {
    Udp,
    Tcp {
        sequence: u32,
        syn: bool,
        fin: bool,
        rst: bool,
    },
}

/// What reading the capture came to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ReadSummary {
    /// Packets read.
    pub packets: u64,
    /// Packets skipped: not IPv4 / IPv6 UDP or TCP, fragments, cut short, lying lengths.
    pub undecoded: u64,
    /// Where and why the file stopped making sense, if it did.
    pub damage: Option<(u64, String)>,
}

/// Why a capture could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum CaptureReadError {
    /// Not a pcap or pcapng file.
    #[error("not a pcap or pcapng capture: {0}")]
    NotACapture(String),
}

/// Reads every block, calling `each` with every UDP / TCP payload in capture order.
pub(crate) fn read_packets(
    reader: impl Read + Send,
    each: &mut dyn FnMut(Packet<'_>),
) -> Result<ReadSummary, CaptureReadError> {
    let mut pcap = create_reader(FIRST_BUFFER, reader)
        .map_err(|error| CaptureReadError::NotACapture(error.to_string()))?;
    let mut summary = ReadSummary::default();
    let mut linktypes: Vec<Linktype> = Vec::new();
    let mut consumed: u64 = 0;
    let mut buffer_size = FIRST_BUFFER;
    loop {
        match pcap.next() {
            Ok((length, block)) => {
                match block {
                    PcapBlockOwned::LegacyHeader(header) => {
                        linktypes = vec![header.network];
                    }
                    PcapBlockOwned::Legacy(packet) if packet.caplen < packet.origlen => {
                        count_undecoded(&mut summary);
                    }
                    PcapBlockOwned::Legacy(packet) => {
                        let caplen = usize::try_from(packet.caplen).unwrap_or(usize::MAX);
                        let linktype = linktypes.first().copied().unwrap_or(Linktype::ETHERNET);
                        decode(linktype, packet.data, caplen, &mut summary, each);
                    }
                    PcapBlockOwned::NG(Block::SectionHeader(_)) => linktypes.clear(),
                    PcapBlockOwned::NG(Block::InterfaceDescription(interface)) => {
                        linktypes.push(interface.linktype);
                    }
                    // Cut by the snap length: what is missing would make a short block look like
                    // the last one.
                    PcapBlockOwned::NG(Block::EnhancedPacket(packet))
                        if packet.caplen < packet.origlen =>
                    {
                        count_undecoded(&mut summary);
                    }
                    PcapBlockOwned::NG(Block::EnhancedPacket(packet)) => {
                        let caplen = usize::try_from(packet.caplen).unwrap_or(usize::MAX);
                        let linktype = usize::try_from(packet.if_id)
                            .ok()
                            .and_then(|interface| linktypes.get(interface))
                            .copied();
                        match linktype {
                            Some(linktype) => {
                                decode(linktype, packet.data, caplen, &mut summary, each);
                            }
                            None => count_undecoded(&mut summary),
                        }
                    }
                    PcapBlockOwned::NG(Block::SimplePacket(packet)) => {
                        let linktype = linktypes.first().copied();
                        let length = packet.data.len();
                        match linktype {
                            Some(linktype) => {
                                decode(linktype, packet.data, length, &mut summary, each)
                            }
                            None => count_undecoded(&mut summary),
                        }
                    }
                    PcapBlockOwned::NG(_) => {}
                }
                consumed = consumed.saturating_add(u64::try_from(length).unwrap_or(u64::MAX));
                pcap.consume(length);
            }
            Err(PcapError::Eof) => break,
            Err(PcapError::Incomplete(_)) => {
                if let Err(error) = pcap.refill() {
                    summary.damage = Some((consumed, format!("reading failed: {error}")));
                    break;
                }
            }
            Err(PcapError::BufferTooSmall) => {
                let bigger = buffer_size.saturating_mul(2);
                if bigger > LARGEST_BUFFER || !pcap.grow(bigger) {
                    summary.damage = Some((
                        consumed,
                        format!("a block claims more than {LARGEST_BUFFER} bytes"),
                    ));
                    break;
                }
                buffer_size = bigger;
                if let Err(error) = pcap.refill() {
                    summary.damage = Some((consumed, format!("reading failed: {error}")));
                    break;
                }
            }
            Err(PcapError::UnexpectedEof) => {
                summary.damage = Some((consumed, "the capture ends inside a packet".to_owned()));
                break;
            }
            Err(error) => {
                summary.damage = Some((consumed, error.to_string()));
                break;
            }
        }
    }
    Ok(summary)
}

fn count_undecoded(summary: &mut ReadSummary) {
    summary.packets = summary.packets.saturating_add(1);
    summary.undecoded = summary.undecoded.saturating_add(1);
}

/// Decodes one packet's link, IP and transport headers and hands on its payload.
fn decode(
    linktype: Linktype,
    data: &[u8],
    caplen: usize,
    summary: &mut ReadSummary,
    each: &mut dyn FnMut(Packet<'_>),
) {
    let index = summary.packets;
    summary.packets = summary.packets.saturating_add(1);
    let sliced = match get_packetdata(data, linktype, caplen) {
        Some(PacketData::L2(frame)) => SlicedPacket::from_ethernet(frame).ok(),
        Some(PacketData::L3(_, packet)) => SlicedPacket::from_ip(packet).ok(),
        _ => None,
    };
    let Some(packet) = sliced.and_then(|sliced| as_packet(index, &sliced)) else {
        summary.undecoded = summary.undecoded.saturating_add(1);
        return;
    };
    each(packet);
}

fn as_packet<'p>(index: u64, sliced: &SlicedPacket<'p>) -> Option<Packet<'p>> {
    let (source, destination): (IpAddr, IpAddr) = match sliced.net.as_ref()? {
        NetSlice::Ipv4(ip) => {
            if ip.payload().fragmented {
                return None;
            }
            (
                ip.header().source_addr().into(),
                ip.header().destination_addr().into(),
            )
        }
        NetSlice::Ipv6(ip) => {
            if ip.payload().fragmented {
                return None;
            }
            (
                ip.header().source_addr().into(),
                ip.header().destination_addr().into(),
            )
        }
        NetSlice::Arp(_) => return None,
    };
    let (source_port, destination_port, transport, payload) = match sliced.transport.as_ref()? {
        TransportSlice::Udp(udp) => (
            udp.source_port(),
            udp.destination_port(),
            Transport::Udp,
            udp.payload(),
        ),
        TransportSlice::Tcp(tcp) => (
            tcp.source_port(),
            tcp.destination_port(),
            Transport::Tcp {
                sequence: tcp.sequence_number(),
                syn: tcp.syn(),
                fin: tcp.fin(),
                rst: tcp.rst(),
            },
            tcp.payload(),
        ),
        _ => return None,
    };
    Some(Packet {
        index,
        source: SocketAddr::new(source, source_port),
        destination: SocketAddr::new(destination, destination_port),
        transport,
        payload,
    })
}
