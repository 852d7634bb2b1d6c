//! TFTP packets (RFC 1350, options RFC 2347–2349): parsing what a server sends, with checked
//! slicing only, and building what the client sends.

/// RFC 1350's block size, used when the server ignores options.
pub(crate) const CLASSIC_BLOCK_SIZE: u16 = 512;

const OPCODE_RRQ: u16 = 1;
const OPCODE_DATA: u16 = 3;
const OPCODE_ACK: u16 = 4;
const OPCODE_ERROR: u16 = 5;
const OPCODE_OACK: u16 = 6;

/// A packet from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Packet<'p> {
    /// A block of the file.
    Data { block: u16, payload: &'p [u8] },
    /// The options the server accepted, names lower-cased.
    OptionAck(Vec<(String, String)>),
    /// The server gives up.
    Error { code: u16, message: String },
    /// Anything else (a server never sends RRQ, WRQ or ACK to a reading client).
    Other(u16),
}

/// Parses a received datagram; `None` when it is too short to have an opcode and its fields.
pub(crate) fn parse(packet: &[u8]) -> Option<Packet<'_>> {
    let (opcode, rest) = packet.split_first_chunk::<2>()?;
    Some(match u16::from_be_bytes(*opcode) {
        OPCODE_DATA => {
            let (block, payload) = rest.split_first_chunk::<2>()?;
            Packet::Data {
                block: u16::from_be_bytes(*block),
                payload,
            }
        }
        OPCODE_ERROR => {
            let (code, message) = rest.split_first_chunk::<2>()?;
            let message = ctlkit_format::text::until_nul(message);
            Packet::Error {
                code: u16::from_be_bytes(*code),
                message: ctlkit_format::text::printable(message).into_owned(),
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

/// A read request as a client sends it, read back (from a capture).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReadRequest<'p> {
    /// The file name, raw bytes.
    pub name: &'p [u8],
    /// Options, names lower-cased.
    pub options: Vec<(String, String)>,
}

/// Parses a read request (opcode 1): file name, mode, then option pairs, NUL-terminated.
pub(crate) fn parse_read_request(packet: &[u8]) -> Option<ReadRequest<'_>> {
    let (opcode, rest) = packet.split_first_chunk::<2>()?;
    if u16::from_be_bytes(*opcode) != OPCODE_RRQ {
        return None;
    }
    let mut fields = rest.split(|&byte| byte == 0);
    let name = fields.next()?;
    let _mode = fields.next()?;
    let strings: Vec<String> = fields
        .map(|text| String::from_utf8_lossy(text).to_ascii_lowercase())
        .collect();
    let options = strings
        .chunks_exact(2)
        .filter_map(|pair| match pair {
            [name, value] => Some((name.clone(), value.clone())),
            _ => None,
        })
        .collect();
    Some(ReadRequest { name, options })
}

/// A read request, octet mode; options (blksize, tsize) unless the block size is RFC 1350's.
pub(crate) fn read_request(name: &str, block_size: u16) -> Vec<u8> {
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

/// An acknowledgement of `block` (0 acknowledges the options).
pub(crate) fn ack(block: u16) -> Vec<u8> {
    let mut packet = OPCODE_ACK.to_be_bytes().to_vec();
    packet.extend_from_slice(&block.to_be_bytes());
    packet
}

/// An ERROR packet.
pub(crate) fn error(code: u16, message: &str) -> Vec<u8> {
    let mut packet = OPCODE_ERROR.to_be_bytes().to_vec();
    packet.extend_from_slice(&code.to_be_bytes());
    packet.extend_from_slice(message.as_bytes());
    packet.push(0);
    packet
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packets() {
        assert_eq!(
            read_request("ITLFile.tlv", 1428),
            b"\x00\x01ITLFile.tlv\0octet\0blksize\x001428\0tsize\x000\0"
        );
        assert_eq!(read_request("a", 512), b"\x00\x01a\0octet\0");
        let request = read_request("ITLSEP001122334455.tlv", 1428);
        let parsed = parse_read_request(&request).unwrap();
        assert_eq!(parsed.name, b"ITLSEP001122334455.tlv");
        assert_eq!(
            parsed.options,
            [
                ("blksize".to_owned(), "1428".to_owned()),
                ("tsize".to_owned(), "0".to_owned())
            ]
        );
        assert_eq!(parse_read_request(&ack(1)), None);
        assert_eq!(parse_read_request(b"\x00\x01name-without-mode"), None);
        assert_eq!(
            parse(b"\x00\x03\x00\x07abc"),
            Some(Packet::Data {
                block: 7,
                payload: b"abc"
            })
        );
        assert!(matches!(
            parse(b"\x00\x05\x00\x01File not found\0"),
            Some(Packet::Error { code: 1, .. })
        ));
        assert_eq!(parse(b"\x00"), None);
        assert_eq!(parse(b"\x00\x03\x00"), None);
        assert_eq!(
            parse(b"\x00\x06BLKSIZE\x00512\0tsize\x0010\0"),
            Some(Packet::OptionAck(vec![
                ("blksize".to_owned(), "512".to_owned()),
                ("tsize".to_owned(), "10".to_owned())
            ]))
        );
    }
}
