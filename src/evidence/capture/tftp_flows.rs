//! TFTP transfers rebuilt from a capture: a read request to port 69 opens one, the server's
//! DATA (from its own transfer port) fills it, block numbers counted past 65535, retransmitted
//! blocks dropped, blocks that arrive early kept until the gap closes.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::SocketAddr;

use super::packets::Packet;
use super::transfer::{Incomplete, Protocol, Transfer};
use crate::evidence::tftp::packet::{
    CLASSIC_BLOCK_SIZE, Packet as TftpPacket, parse, parse_read_request,
};

/// One block number's span, and the bits below it.
const BLOCK_NUMBERS: u64 = 1 << 16;
const BLOCK_BITS: u64 = 0xffff;

/// A transfer in progress.
#[derive(Debug)]
struct Flow {
    client: SocketAddr,
    server: SocketAddr,
    /// The server's transfer port, fixed by its first reply.
    transfer_port: Option<u16>,
    name: Vec<u8>,
    block_size: usize,
    options_acknowledged: bool,
    received: Vec<u8>,
    /// The absolute number of the next block `received` needs.
    next_block: u64,
    /// Blocks that came before the ones missing ahead of them.
    early: BTreeMap<u64, Vec<u8>>,
    early_bytes: usize,
    /// The absolute number of the short block that ends the file.
    last_block: Option<u64>,
    first_packet: u64,
}

impl Flow {
    fn into_transfer(self, incomplete: Option<Incomplete>) -> Transfer {
        Transfer {
            protocol: Protocol::Tftp,
            client: self.client,
            server: self.server,
            name: self.name,
            bytes: self.received,
            incomplete,
            first_packet: self.first_packet,
        }
    }

    fn total(&self) -> usize {
        self.received.len().saturating_add(self.early_bytes)
    }
}

/// Every TFTP transfer in a capture, fed one UDP datagram at a time.
#[derive(Debug, Default)]
pub(crate) struct TftpFlows {
    open: HashMap<SocketAddr, Flow>,
    /// Open flows in the order they opened (entries of flows since closed are skipped), so
    /// the oldest is found without a search when too many are open.
    opened: VecDeque<(u64, SocketAddr)>,
}

/// The most transfers kept open at once: a reset wave of thousands of phones fits; a flood of
/// requests cannot make memory grow without bound (the oldest is closed as unfinished).
pub(crate) const MAX_OPEN_TRANSFERS: usize = 65_536;

/// The absolute block number nearest to `expected` whose low 16 bits are `block` (servers
/// wrap from 65535 to 0).
fn absolute_block(block: u16, expected: u64) -> u64 {
    let base = expected & !BLOCK_BITS;
    let candidate = base.saturating_add(u64::from(block));
    let lower = candidate.checked_sub(BLOCK_NUMBERS);
    let higher = candidate.saturating_add(BLOCK_NUMBERS);
    [lower, Some(candidate), Some(higher)]
        .into_iter()
        .flatten()
        .min_by_key(|number| number.abs_diff(expected))
        .unwrap_or(candidate)
}

impl TftpFlows {
    /// Takes one datagram; `finished` receives every transfer that ends with it.
    pub(crate) fn datagram(
        &mut self,
        packet: &Packet<'_>,
        tftp_ports: &[u16],
        limit: u64,
        finished: &mut dyn FnMut(Transfer),
    ) {
        let (index, source, destination, payload) = (
            packet.index,
            packet.source,
            packet.destination,
            packet.payload,
        );
        if tftp_ports.contains(&destination.port())
            && let Some(request) = parse_read_request(payload)
        {
            self.request(index, source, destination, request.name, finished);
            return;
        }
        // The server's replies go to the client's port; the client's ACKs and ERRORs come from it.
        if let Some(flow) = self.open.get_mut(&destination) {
            if flow.server.ip() == source.ip()
                && flow.transfer_port.is_none_or(|port| port == source.port())
            {
                flow.transfer_port = Some(source.port());
                let outcome = from_server(flow, payload, limit);
                if let Some(outcome) = outcome
                    && let Some(flow) = self.open.remove(&destination)
                {
                    finished(flow.into_transfer(outcome));
                }
            }
            return;
        }
        if let Some(flow) = self.open.get(&source) {
            let from_client_to_server = flow.server.ip() == destination.ip()
                && flow
                    .transfer_port
                    .is_none_or(|port| port == destination.port());
            if from_client_to_server
                && matches!(parse(payload), Some(TftpPacket::Error { .. }))
                && let Some(flow) = self.open.remove(&source)
            {
                finished(flow.into_transfer(Some(Incomplete::Aborted)));
            }
        }
    }

    fn request(
        &mut self,
        index: u64,
        client: SocketAddr,
        server: SocketAddr,
        name: &[u8],
        finished: &mut dyn FnMut(Transfer),
    ) {
        if let Some(open) = self.open.get(&client) {
            // The same request again before any answer: a retransmission, not a new transfer.
            if open.name == name && open.transfer_port.is_none() {
                return;
            }
        }
        if let Some(previous) = self.open.remove(&client) {
            finished(previous.into_transfer(Some(Incomplete::Unfinished)));
        }
        while self.open.len() >= MAX_OPEN_TRANSFERS {
            let Some((first_packet, oldest)) = self.opened.pop_front() else {
                break;
            };
            if self
                .open
                .get(&oldest)
                .is_some_and(|flow| flow.first_packet == first_packet)
                && let Some(flow) = self.open.remove(&oldest)
            {
                finished(flow.into_transfer(Some(Incomplete::Unfinished)));
            }
        }
        // Entries of flows closed since are dropped now and then: amortised, linear.
        if self.opened.len() > self.open.len().saturating_mul(2).saturating_add(1024) {
            let open = &self.open;
            self.opened.retain(|(first_packet, client)| {
                open.get(client)
                    .is_some_and(|flow| flow.first_packet == *first_packet)
            });
        }
        self.opened.push_back((index, client));
        self.open.insert(
            client,
            Flow {
                client,
                server,
                transfer_port: None,
                name: name.to_vec(),
                block_size: usize::from(CLASSIC_BLOCK_SIZE),
                options_acknowledged: false,
                received: Vec::new(),
                next_block: 1,
                early: BTreeMap::new(),
                early_bytes: 0,
                last_block: None,
                first_packet: index,
            },
        );
    }

    /// Every transfer still open when the capture ends.
    pub(crate) fn finish(self, finished: &mut dyn FnMut(Transfer)) {
        let mut flows: Vec<Flow> = self.open.into_values().collect();
        flows.sort_by_key(|flow| flow.first_packet);
        for flow in flows {
            let incomplete = if flow.early.is_empty() {
                Incomplete::Unfinished
            } else {
                Incomplete::Gap {
                    after_gap: u64::try_from(flow.early_bytes).unwrap_or(u64::MAX),
                }
            };
            finished(flow.into_transfer(Some(incomplete)));
        }
    }
}

/// Applies one server packet; `Some(outcome)` when the transfer is over.
fn from_server(flow: &mut Flow, payload: &[u8], limit: u64) -> Option<Option<Incomplete>> {
    match parse(payload)? {
        TftpPacket::OptionAck(options) => {
            if !flow.options_acknowledged {
                flow.options_acknowledged = true;
                if let Some(size) = options
                    .iter()
                    .find(|(name, _)| name == "blksize")
                    .and_then(|(_, value)| value.parse::<usize>().ok())
                {
                    flow.block_size = size;
                }
            }
            None
        }
        TftpPacket::Error { code, message } => Some(Some(Incomplete::Refused { code, message })),
        TftpPacket::Data { block, payload } => data(flow, block, payload, limit),
        TftpPacket::Other(_) => None,
    }
}

fn data(flow: &mut Flow, block: u16, payload: &[u8], limit: u64) -> Option<Option<Incomplete>> {
    // Without a captured OACK, a first block longer than 512 bytes shows the size agreed.
    if !flow.options_acknowledged && flow.received.is_empty() && flow.early.is_empty() {
        flow.block_size = flow.block_size.max(payload.len());
    }
    if payload.len() > flow.block_size {
        return None;
    }
    let number = absolute_block(block, flow.next_block);
    if number < flow.next_block || number == 0 || flow.early.contains_key(&number) {
        return None;
    }
    if payload.len() < flow.block_size {
        flow.last_block = Some(flow.last_block.map_or(number, |last| last.min(number)));
    }
    let total = u64::try_from(flow.total().saturating_add(payload.len())).unwrap_or(u64::MAX);
    if total > limit {
        flow.early.clear();
        flow.early_bytes = 0;
        return Some(Some(Incomplete::TooLarge { limit }));
    }
    if number == flow.next_block {
        flow.received.extend_from_slice(payload);
        flow.next_block = flow.next_block.saturating_add(1);
        while let Some(block) = flow.early.remove(&flow.next_block) {
            flow.early_bytes = flow.early_bytes.saturating_sub(block.len());
            flow.received.extend_from_slice(&block);
            flow.next_block = flow.next_block.saturating_add(1);
        }
    } else {
        flow.early_bytes = flow.early_bytes.saturating_add(payload.len());
        flow.early.insert(number, payload.to_vec());
    }
    match flow.last_block {
        Some(last) if flow.next_block > last => Some(None),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_numbers_count_on_past_65535() {
        assert_eq!(absolute_block(1, 1), 1);
        assert_eq!(absolute_block(65535, 65535), 65535);
        assert_eq!(absolute_block(0, 65536), 65536);
        assert_eq!(absolute_block(1, 65537), 65537);
        // A late retransmission of the block before the wrap.
        assert_eq!(absolute_block(65535, 65537), 65535);
        assert_eq!(absolute_block(3, 131_074), 131_075);
        assert_eq!(absolute_block(0, 1), 0);
    }
}
