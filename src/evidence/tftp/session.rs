//! One TFTP read transfer as a state machine: events in (a datagram from some address, or a
//! timeout), packets to send and progress out. No sockets, no clocks: the socket loop in
//! `mod.rs` drives it, and the fuzz target plays a malicious server against it.
//!
//! Every datagram is untrusted. The machine never holds more than the size limit, and never
//! waits forever: silence ends after the retries, and a server that keeps talking without
//! delivering the next block is cut off after a fixed number of useless packets.

use std::fmt;
use std::net::SocketAddr;

use super::packet::{self, CLASSIC_BLOCK_SIZE, Packet};

/// Packets that bring nothing new (duplicates, strangers) tolerated in a row before the
/// transfer is abandoned: far above what retransmission produces, far below "forever".
pub const MAX_USELESS_PACKETS: u32 = 1_000;

/// How a server broke the protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TftpViolation {
    /// A blksize option that is not a number.
    BadBlockSize(String),
    /// A blksize outside 8 and what was asked for.
    BlockSizeRefused(u16),
    /// A tsize option that is not a number.
    BadTransferSize(String),
    /// A DATA packet larger than the block size.
    BlockTooLarge {
        /// Its block number.
        block: u16,
        /// Its payload's size.
        length: usize,
        /// The agreed block size.
        block_size: usize,
    },
    /// A packet with an opcode a server never sends to a reader.
    UnexpectedOpcode(u16),
    /// An option acknowledgement after the transfer started.
    OptionAckMidTransfer,
    /// A datagram too short to read.
    TooShort(usize),
    /// Too many packets in a row that brought nothing new.
    NoProgress(u32),
}

impl fmt::Display for TftpViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TftpViolation::BadBlockSize(value) => write!(f, "bad blksize {value}"),
            TftpViolation::BlockSizeRefused(size) => write!(f, "the server chose blksize {size}"),
            TftpViolation::BadTransferSize(value) => write!(f, "bad tsize {value}"),
            TftpViolation::BlockTooLarge {
                block,
                length,
                block_size,
            } => write!(
                f,
                "block {block} holds {length} bytes, more than the {block_size}-byte block size"
            ),
            TftpViolation::UnexpectedOpcode(opcode) => {
                write!(f, "unexpected packet with opcode {opcode}")
            }
            TftpViolation::OptionAckMidTransfer => {
                f.write_str("option acknowledgement in the middle of a transfer")
            }
            TftpViolation::TooShort(length) => {
                write!(f, "a {length}-byte packet too short to read")
            }
            TftpViolation::NoProgress(count) => write!(
                f,
                "{count} packets in a row without the next block; giving up"
            ),
        }
    }
}

/// Why a transfer ended without the file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TftpTransferError {
    /// The server sent an ERROR packet.
    Server {
        /// The TFTP error code (1 file not found, 2 access violation, 8 options refused…).
        code: u16,
        /// The server's message, made printable.
        message: String,
    },
    /// Silence after every retry.
    Timeout {
        /// Tries made.
        attempts: u32,
    },
    /// The server broke the protocol.
    Protocol(TftpViolation),
    /// The file would exceed the size limit.
    TooLarge,
    /// The transfer ended with another size than the server announced (tsize).
    SizeMismatch {
        /// Bytes received.
        received: u64,
        /// Bytes announced.
        announced: u64,
    },
}

/// What the socket loop does after an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TftpProgress {
    /// Keep receiving.
    Continue,
    /// The whole file.
    Done(Vec<u8>),
    /// The transfer is over without it.
    Failed(TftpTransferError),
}

/// A packet to send (if any), then what comes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TftpStep {
    /// A datagram to send, and where.
    pub send: Option<(SocketAddr, Vec<u8>)>,
    /// What comes next.
    pub progress: TftpProgress,
}

impl TftpStep {
    fn wait() -> Self {
        TftpStep {
            send: None,
            progress: TftpProgress::Continue,
        }
    }

    fn send(to: SocketAddr, packet: Vec<u8>) -> Self {
        TftpStep {
            send: Some((to, packet)),
            progress: TftpProgress::Continue,
        }
    }

    fn fail(error: TftpTransferError) -> Self {
        TftpStep {
            send: None,
            progress: TftpProgress::Failed(error),
        }
    }
}

/// The limits a transfer runs under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TftpLimits {
    /// Refuse files larger than this.
    pub max_size: u64,
    /// Resend the last packet this many times on silence before giving up.
    pub retries: u32,
}

/// One read transfer in progress: feed it every datagram and every timeout, send what it
/// says, stop when it is done or has failed.
#[derive(Debug)]
pub struct TftpTransfer {
    server: SocketAddr,
    /// Where packets go: the server's port 69 until it answers from its transfer port.
    destination: SocketAddr,
    peer: Option<SocketAddr>,
    requested_block_size: u16,
    block_size: usize,
    announced: Option<u64>,
    expected: u16,
    received: Vec<u8>,
    last_sent: Vec<u8>,
    limits: TftpLimits,
    silent_tries: u32,
    useless_packets: u32,
    options_acknowledged: bool,
    over: bool,
}

impl TftpTransfer {
    /// A transfer of `name` from `server`, and the read request to send first.
    pub fn start(
        server: SocketAddr,
        name: &str,
        requested_block_size: u16,
        limits: TftpLimits,
    ) -> (TftpTransfer, Vec<u8>) {
        let request = packet::read_request(name, requested_block_size);
        let session = TftpTransfer {
            server,
            destination: server,
            peer: None,
            requested_block_size,
            block_size: usize::from(CLASSIC_BLOCK_SIZE),
            announced: None,
            expected: 1,
            received: Vec::new(),
            last_sent: request.clone(),
            limits,
            silent_tries: 0,
            useless_packets: 0,
            options_acknowledged: false,
            over: false,
        };
        (session, request)
    }

    /// Bytes received so far.
    pub fn received(&self) -> usize {
        self.received.len()
    }

    /// Nothing arrived in time: send the last packet again, or give up.
    pub fn on_timeout(&mut self) -> TftpStep {
        if self.over {
            return TftpStep::wait();
        }
        self.silent_tries = self.silent_tries.saturating_add(1);
        if self.silent_tries > self.limits.retries {
            return self.finish(TftpStep::fail(TftpTransferError::Timeout {
                attempts: self.silent_tries,
            }));
        }
        TftpStep::send(self.destination, self.last_sent.clone())
    }

    /// A datagram arrived from `from`.
    pub fn on_packet(&mut self, from: SocketAddr, bytes: &[u8]) -> TftpStep {
        if self.over {
            return TftpStep::wait();
        }
        if from.ip() != self.server.ip() || self.peer.is_some_and(|peer| peer != from) {
            // RFC 1350: a packet from a stranger gets an error, and the transfer goes on.
            return match self.useless() {
                Some(failed) => failed,
                None => TftpStep::send(from, packet::error(5, "unknown transfer ID")),
            };
        }
        if self.peer.is_none() {
            self.peer = Some(from);
            self.destination = from;
        }
        match packet::parse(bytes) {
            Some(Packet::Error { code, message }) => {
                self.finish(TftpStep::fail(TftpTransferError::Server { code, message }))
            }
            // Options are acknowledged once, before any data: a second OACK would restart the
            // patience counters forever.
            Some(Packet::OptionAck(pairs))
                if !self.options_acknowledged && self.expected == 1 && self.received.is_empty() =>
            {
                self.options_acknowledged = true;
                self.on_options(pairs)
            }
            Some(Packet::Data { block, payload }) => self.on_data(block, payload),
            Some(Packet::Other(opcode)) => self.violation(TftpViolation::UnexpectedOpcode(opcode)),
            Some(Packet::OptionAck(_)) => self.violation(TftpViolation::OptionAckMidTransfer),
            None => self.violation(TftpViolation::TooShort(bytes.len())),
        }
    }

    fn on_options(&mut self, pairs: Vec<(String, String)>) -> TftpStep {
        for (name, value) in pairs {
            match name.as_str() {
                "blksize" => {
                    let Ok(size) = value.parse::<u16>() else {
                        return self.violation(TftpViolation::BadBlockSize(value));
                    };
                    if size < 8 || size > self.requested_block_size {
                        return self.violation(TftpViolation::BlockSizeRefused(size));
                    }
                    self.block_size = usize::from(size);
                }
                "tsize" => {
                    let Ok(size) = value.parse::<u64>() else {
                        return self.violation(TftpViolation::BadTransferSize(value));
                    };
                    if size > self.limits.max_size {
                        return self.too_large();
                    }
                    self.announced = Some(size);
                }
                _ => {}
            }
        }
        self.progressed(packet::ack(0))
    }

    fn on_data(&mut self, block: u16, payload: &[u8]) -> TftpStep {
        if block != self.expected {
            if block == self.expected.wrapping_sub(1) {
                // Our ACK was lost: say it again.
                return match self.useless() {
                    Some(failed) => failed,
                    None => TftpStep::send(self.destination, packet::ack(block)),
                };
            }
            return self.useless().unwrap_or_else(TftpStep::wait);
        }
        if payload.len() > self.block_size {
            return self.violation(TftpViolation::BlockTooLarge {
                block,
                length: payload.len(),
                block_size: self.block_size,
            });
        }
        let total =
            u64::try_from(self.received.len().saturating_add(payload.len())).unwrap_or(u64::MAX);
        if total > self.limits.max_size {
            return self.too_large();
        }
        self.received.extend_from_slice(payload);
        let step = self.progressed(packet::ack(block));
        if payload.len() < self.block_size {
            return self.complete(step);
        }
        self.expected = self.expected.wrapping_add(1);
        step
    }

    /// The last block arrived: the file is whole if its size is the announced one.
    fn complete(&mut self, step: TftpStep) -> TftpStep {
        let received = u64::try_from(self.received.len()).unwrap_or(u64::MAX);
        let progress = match self.announced.filter(|&announced| announced != received) {
            Some(announced) => TftpProgress::Failed(TftpTransferError::SizeMismatch {
                received,
                announced,
            }),
            None => TftpProgress::Done(std::mem::take(&mut self.received)),
        };
        self.finish(TftpStep {
            send: step.send,
            progress,
        })
    }

    /// Something new arrived: acknowledge it and reset the patience counters.
    fn progressed(&mut self, acknowledgement: Vec<u8>) -> TftpStep {
        self.silent_tries = 0;
        self.useless_packets = 0;
        self.last_sent = acknowledgement.clone();
        TftpStep::send(self.destination, acknowledgement)
    }

    /// Counts a packet that brought nothing new; `Some` when patience is exhausted.
    fn useless(&mut self) -> Option<TftpStep> {
        self.useless_packets = self.useless_packets.saturating_add(1);
        (self.useless_packets > MAX_USELESS_PACKETS).then(|| {
            self.finish(TftpStep::fail(TftpTransferError::Protocol(
                TftpViolation::NoProgress(self.useless_packets),
            )))
        })
    }

    fn too_large(&mut self) -> TftpStep {
        let step = TftpStep {
            send: Some((self.destination, packet::error(3, "file too large"))),
            progress: TftpProgress::Failed(TftpTransferError::TooLarge),
        };
        self.finish(step)
    }

    fn violation(&mut self, violation: TftpViolation) -> TftpStep {
        self.finish(TftpStep::fail(TftpTransferError::Protocol(violation)))
    }

    fn finish(&mut self, step: TftpStep) -> TftpStep {
        self.over = true;
        step
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server() -> SocketAddr {
        "127.0.0.1:69".parse().unwrap()
    }

    fn transfer_port() -> SocketAddr {
        "127.0.0.1:40000".parse().unwrap()
    }

    fn data(block: u16, payload: &[u8]) -> Vec<u8> {
        let mut packet = vec![0, 3];
        packet.extend_from_slice(&block.to_be_bytes());
        packet.extend_from_slice(payload);
        packet
    }

    fn session(max_size: u64) -> TftpTransfer {
        TftpTransfer::start(
            server(),
            "ITLFile.tlv",
            512,
            TftpLimits {
                max_size,
                retries: 2,
            },
        )
        .0
    }

    #[test]
    fn a_classic_transfer_acknowledges_each_block_and_ends_on_a_short_one() {
        let mut session = session(10_000);
        let step = session.on_packet(transfer_port(), &data(1, &[7; 512]));
        assert_eq!(step, TftpStep::send(transfer_port(), packet::ack(1)));
        let step = session.on_packet(transfer_port(), &data(2, b"end"));
        assert_eq!(step.send, Some((transfer_port(), packet::ack(2))));
        let TftpProgress::Done(file) = step.progress else {
            panic!("not done: {step:?}");
        };
        assert_eq!(file.len(), 515);
    }

    #[test]
    fn strangers_get_an_error_and_the_transfer_goes_on() {
        let mut session = session(10_000);
        session.on_packet(transfer_port(), &data(1, &[1; 512]));
        let stranger: SocketAddr = "127.0.0.1:40001".parse().unwrap();
        let step = session.on_packet(stranger, &data(2, b"evil"));
        assert_eq!(
            step,
            TftpStep::send(stranger, packet::error(5, "unknown transfer ID"))
        );
        assert_eq!(session.received(), 512);
    }

    #[test]
    fn a_server_repeating_an_old_block_forever_is_cut_off() {
        let mut session = session(10_000);
        session.on_packet(transfer_port(), &data(1, &[1; 512]));
        let mut steps = 0;
        loop {
            steps += 1;
            let step = session.on_packet(transfer_port(), &data(1, &[1; 512]));
            if let TftpProgress::Failed(error) = step.progress {
                assert_eq!(
                    error,
                    TftpTransferError::Protocol(TftpViolation::NoProgress(MAX_USELESS_PACKETS + 1))
                );
                break;
            }
            assert!(steps <= MAX_USELESS_PACKETS, "never gave up");
        }
    }

    #[test]
    fn options_are_acknowledged_once() {
        let mut session = TftpTransfer::start(
            server(),
            "ITLFile.tlv",
            1428,
            TftpLimits {
                max_size: 10_000,
                retries: 2,
            },
        )
        .0;
        let oack = b"\x00\x06blksize\x00512\x00";
        let step = session.on_packet(transfer_port(), oack);
        assert_eq!(step, TftpStep::send(transfer_port(), packet::ack(0)));
        assert_eq!(
            session.on_packet(transfer_port(), oack).progress,
            TftpProgress::Failed(TftpTransferError::Protocol(
                TftpViolation::OptionAckMidTransfer
            ))
        );
    }

    #[test]
    fn silence_ends_after_the_retries() {
        let mut session = session(10_000);
        assert!(session.on_timeout().send.is_some());
        assert!(session.on_timeout().send.is_some());
        assert_eq!(
            session.on_timeout().progress,
            TftpProgress::Failed(TftpTransferError::Timeout { attempts: 3 })
        );
    }

    #[test]
    fn never_holds_more_than_the_limit() {
        let mut session = session(1000);
        session.on_packet(transfer_port(), &data(1, &[1; 512]));
        let step = session.on_packet(transfer_port(), &data(2, &[1; 512]));
        assert_eq!(
            step.progress,
            TftpProgress::Failed(TftpTransferError::TooLarge)
        );
        assert_eq!(session.received(), 512);
    }
}
