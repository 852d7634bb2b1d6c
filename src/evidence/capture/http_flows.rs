//! HTTP transfers rebuilt from a capture (CUCM serves its TFTP files over HTTP on TCP 6970):
//! each direction of a connection reassembled in sequence order (retransmissions dropped,
//! early segments kept until the gap closes), requests and responses read with `httparse`,
//! bodies by Content-Length, chunked encoding, or until the connection closes.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::SocketAddr;

use super::packets::{Packet, Transport};
use super::transfer::{Incomplete, Protocol, Transfer};

/// How far a stream may run ahead of the response being read: its headers and slack.
const HEADER_SLACK: u64 = 64 * 1024;

/// The first size at which a response is tried, and how the next try grows.
const FIRST_ATTEMPT: usize = 4096;

/// One direction of a connection, reassembled.
#[derive(Debug, Default)]
struct Stream {
    /// The sequence number of the first byte of `data`.
    start: Option<u32>,
    /// Contiguous bytes from `start`, what was consumed already removed.
    data: Vec<u8>,
    /// How many bytes were consumed from the front of `data`.
    consumed: u64,
    /// Segments past a gap, by offset from `start`.
    early: BTreeMap<u64, Vec<u8>>,
    early_bytes: u64,
    fin: bool,
}

impl Stream {
    /// Places one segment; returns false when it would hold more than `limit` bytes.
    fn segment(&mut self, sequence: u32, syn: bool, payload: &[u8], limit: u64) -> bool {
        if syn {
            self.start.get_or_insert(sequence.wrapping_add(1));
            return true;
        }
        if payload.is_empty() {
            return true;
        }
        let start = *self.start.get_or_insert(sequence);
        let offset = sequence.wrapping_sub(start);
        // Before the start (a retransmission of what came before the capture).
        if offset > u32::MAX / 2 {
            return true;
        }
        let offset = u64::from(offset);
        let end = self.end();
        if offset <= end {
            let skip = usize::try_from(end.saturating_sub(offset)).unwrap_or(usize::MAX);
            if let Some(new) = payload.get(skip..) {
                self.data.extend_from_slice(new);
            }
            self.drain_early();
        } else if !self.early.contains_key(&offset) {
            self.early_bytes = self
                .early_bytes
                .saturating_add(u64::try_from(payload.len()).unwrap_or(u64::MAX));
            self.early.insert(offset, payload.to_vec());
        }
        let held = u64::try_from(self.data.len())
            .unwrap_or(u64::MAX)
            .saturating_add(self.early_bytes);
        held <= limit.saturating_add(HEADER_SLACK)
    }

    /// The offset just past the contiguous bytes.
    fn end(&self) -> u64 {
        self.consumed
            .saturating_add(u64::try_from(self.data.len()).unwrap_or(u64::MAX))
    }

    fn drain_early(&mut self) {
        loop {
            let end = self.end();
            let Some(entry) = self.early.first_entry() else {
                break;
            };
            let offset = *entry.key();
            if offset > end {
                break;
            }
            let segment = entry.remove();
            self.early_bytes = self
                .early_bytes
                .saturating_sub(u64::try_from(segment.len()).unwrap_or(u64::MAX));
            let skip = usize::try_from(end.saturating_sub(offset)).unwrap_or(usize::MAX);
            if let Some(new) = segment.get(skip..) {
                self.data.extend_from_slice(new);
            }
        }
    }

    fn consume(&mut self, count: usize) {
        let count = count.min(self.data.len());
        self.data.drain(..count);
        self.consumed = self
            .consumed
            .saturating_add(u64::try_from(count).unwrap_or(u64::MAX));
    }
}

/// A request read from the client's stream.
#[derive(Debug)]
struct Request {
    path: Vec<u8>,
    first_packet: u64,
}

#[derive(Debug)]
struct Connection {
    client: SocketAddr,
    server: SocketAddr,
    to_server: Stream,
    to_client: Stream,
    requests: VecDeque<Request>,
    /// The packet that carried the latest bytes of the client's stream.
    last_client_packet: u64,
    next_attempt: usize,
    reset: bool,
    /// The packet that opened it.
    opened_at: u64,
    /// The server's stream outgrew the limit: the response in progress was reported too
    /// large, and the rest of the server's stream is ignored.
    overflowed: bool,
    limit: u64,
}

/// How reading one response from the front of a stream went.
#[derive(Debug, PartialEq, Eq)]
enum Response {
    /// A whole response: its length in the stream, status, reason, body.
    Whole {
        length: usize,
        status: u16,
        reason: String,
        body: Vec<u8>,
    },
    /// Not all there yet; at least this many bytes are needed, when known.
    Partial { needed: Option<usize> },
    /// Not HTTP.
    Malformed,
}

/// Every HTTP transfer in a capture, fed one TCP segment at a time.
#[derive(Debug, Default)]
pub(crate) struct HttpFlows {
    connections: HashMap<(SocketAddr, SocketAddr), Connection>,
    /// Connections in the order they opened (entries of closed ones are skipped).
    opened: VecDeque<(u64, (SocketAddr, SocketAddr))>,
}

impl HttpFlows {
    /// Takes one TCP segment between a client and a server on an HTTP port (`from_client`
    /// says which way it goes).
    pub(crate) fn segment(
        &mut self,
        packet: &Packet<'_>,
        from_client: bool,
        limit: u64,
        finished: &mut dyn FnMut(Transfer),
    ) {
        let Transport::Tcp {
            sequence,
            syn,
            fin,
            rst,
        } = packet.transport
        else {
            return;
        };
        let (index, payload) = (packet.index, packet.payload);
        let (client, server) = if from_client {
            (packet.source, packet.destination)
        } else {
            (packet.destination, packet.source)
        };
        let key = (client, server);
        if syn && from_client {
            // A new connection on a reused port ends the old one.
            if let Some(old) = self.connections.remove(&key) {
                close(old, finished);
            }
        }
        if !self.connections.contains_key(&key) {
            while self.connections.len() >= super::tftp_flows::MAX_OPEN_TRANSFERS {
                let Some((first, oldest)) = self.opened.pop_front() else {
                    break;
                };
                if self
                    .connections
                    .get(&oldest)
                    .is_some_and(|connection| connection.opened_at == first)
                    && let Some(connection) = self.connections.remove(&oldest)
                {
                    close(connection, finished);
                }
            }
            if self.opened.len()
                > self
                    .connections
                    .len()
                    .saturating_mul(2)
                    .saturating_add(1024)
            {
                let connections = &self.connections;
                self.opened.retain(|(first, key)| {
                    connections
                        .get(key)
                        .is_some_and(|connection| connection.opened_at == *first)
                });
            }
            self.opened.push_back((index, key));
        }
        let connection = self.connections.entry(key).or_insert_with(|| Connection {
            opened_at: index,
            client,
            server,
            to_server: Stream::default(),
            to_client: Stream::default(),
            requests: VecDeque::new(),
            last_client_packet: index,
            next_attempt: FIRST_ATTEMPT,
            reset: false,
            overflowed: false,
            limit,
        });
        if rst {
            connection.reset = true;
        }
        if from_client {
            if !payload.is_empty() {
                connection.last_client_packet = index;
            }
            connection
                .to_server
                .segment(sequence, syn, payload, HEADER_SLACK);
            connection.to_server.fin |= fin;
            read_requests(connection);
        } else if !connection.overflowed {
            let held = connection.to_client.segment(sequence, syn, payload, limit);
            connection.to_client.fin |= fin;
            read_responses(connection, false, finished);
            if !held && connection.to_client.end() > connection.to_client.consumed {
                // Still too much after reading what was whole: the response being read is
                // larger than the limit.
                connection.overflowed = true;
                connection.to_client = Stream::default();
                let request = connection.requests.pop_front();
                finished(transfer(
                    connection,
                    request,
                    Vec::new(),
                    Some(Incomplete::TooLarge { limit }),
                ));
            }
        } else {
            connection.to_client.fin |= fin;
        }
        let over = connection.reset || (connection.to_client.fin && connection.to_server.fin);
        if over && let Some(connection) = self.connections.remove(&key) {
            close(connection, finished);
        }
    }

    /// Every connection still open when the capture ends.
    pub(crate) fn finish(self, finished: &mut dyn FnMut(Transfer)) {
        let mut connections: Vec<Connection> = self.connections.into_values().collect();
        connections.sort_by_key(|connection| {
            connection
                .requests
                .front()
                .map_or(connection.last_client_packet, |request| {
                    request.first_packet
                })
        });
        for connection in connections {
            close(connection, finished);
        }
    }
}

fn read_requests(connection: &mut Connection) {
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&connection.to_server.data) {
            Ok(httparse::Status::Complete(length)) => {
                let path = request.path.unwrap_or_default().as_bytes().to_vec();
                let body = content_length(request.headers).unwrap_or(0);
                connection.requests.push_back(Request {
                    path,
                    first_packet: connection.last_client_packet,
                });
                connection.to_server.consume(length.saturating_add(body));
            }
            Ok(httparse::Status::Partial) => return,
            Err(_) => {
                // Not HTTP: nothing more can be read from this side.
                let all = connection.to_server.data.len();
                connection.to_server.consume(all);
                return;
            }
        }
    }
}

/// Reads whole responses off the front of the server's stream, one per request.
fn read_responses(connection: &mut Connection, at_end: bool, finished: &mut dyn FnMut(Transfer)) {
    loop {
        let data = &connection.to_client.data;
        if data.is_empty() || (!at_end && data.len() < connection.next_attempt) {
            return;
        }
        match read_response(data, at_end && connection.to_client.early.is_empty()) {
            Response::Whole {
                length,
                status,
                reason,
                body,
            } => {
                connection.to_client.consume(length);
                connection.next_attempt = FIRST_ATTEMPT;
                if (100..200).contains(&status) {
                    continue;
                }
                let request = connection.requests.pop_front();
                let incomplete = if status == 200 {
                    too_large(&body, connection.limit)
                } else {
                    Some(Incomplete::Refused {
                        code: status,
                        message: reason,
                    })
                };
                let mut body = body;
                if incomplete.is_some() {
                    body.clear();
                }
                finished(transfer(connection, request, body, incomplete));
            }
            Response::Partial { needed } => {
                let doubled = connection.to_client.data.len().saturating_mul(2);
                connection.next_attempt =
                    needed.map_or(doubled, |needed| needed.max(FIRST_ATTEMPT));
                return;
            }
            Response::Malformed => {
                let all = connection.to_client.data.len();
                connection.to_client.consume(all);
                return;
            }
        }
    }
}

fn too_large(body: &[u8], limit: u64) -> Option<Incomplete> {
    (u64::try_from(body.len()).unwrap_or(u64::MAX) > limit)
        .then_some(Incomplete::TooLarge { limit })
}

fn transfer(
    connection: &Connection,
    request: Option<Request>,
    bytes: Vec<u8>,
    incomplete: Option<Incomplete>,
) -> Transfer {
    let (name, first_packet) = request
        .map_or((Vec::new(), connection.last_client_packet), |request| {
            (request.path, request.first_packet)
        });
    Transfer {
        protocol: Protocol::Http,
        client: connection.client,
        server: connection.server,
        name,
        bytes,
        incomplete,
        first_packet,
    }
}

/// Ends a connection: whatever response is whole is read; each request left is reported
/// with what arrived of its response.
fn close(mut connection: Connection, finished: &mut dyn FnMut(Transfer)) {
    read_responses(&mut connection, true, finished);
    let gap = !connection.to_client.early.is_empty();
    let mut partial_body = body_so_far(&connection.to_client.data);
    partial_body.truncate(usize::try_from(connection.limit).unwrap_or(usize::MAX));
    let mut first = true;
    while let Some(request) = connection.requests.pop_front() {
        let incomplete = if connection.overflowed {
            Incomplete::Unfinished
        } else if gap {
            Incomplete::Gap {
                after_gap: connection.to_client.early_bytes,
            }
        } else if connection.reset {
            Incomplete::Aborted
        } else {
            Incomplete::Unfinished
        };
        let bytes = if first {
            partial_body.clone()
        } else {
            Vec::new()
        };
        first = false;
        finished(transfer(
            &connection,
            Some(request),
            bytes,
            Some(incomplete),
        ));
    }
}

/// The body bytes of a response cut short (Content-Length or unencoded bodies only).
fn body_so_far(data: &[u8]) -> Vec<u8> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    match response.parse(data) {
        Ok(httparse::Status::Complete(length)) if !is_chunked(response.headers) => {
            data.get(length..).unwrap_or_default().to_vec()
        }
        _ => Vec::new(),
    }
}

fn content_length(headers: &[httparse::Header<'_>]) -> Option<usize> {
    headers
        .iter()
        .find(|header| header.name.eq_ignore_ascii_case("content-length"))
        .and_then(|header| std::str::from_utf8(header.value).ok())
        .and_then(|value| value.trim().parse().ok())
}

fn is_chunked(headers: &[httparse::Header<'_>]) -> bool {
    headers.iter().any(|header| {
        header.name.eq_ignore_ascii_case("transfer-encoding")
            && String::from_utf8_lossy(header.value)
                .to_ascii_lowercase()
                .contains("chunked")
    })
}

/// Reads one response from the front of `data`; `closed` says no more bytes will come (a body
/// without length ends there).
fn read_response(data: &[u8], closed: bool) -> Response {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    let header_length = match response.parse(data) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) => return Response::Partial { needed: None },
        Err(_) => return Response::Malformed,
    };
    let status = response.code.unwrap_or(0);
    let reason =
        ctlkit_format::text::printable(response.reason.unwrap_or_default().as_bytes()).into_owned();
    let rest = data.get(header_length..).unwrap_or_default();
    let whole = |body_length: usize, body: Vec<u8>| Response::Whole {
        length: header_length.saturating_add(body_length),
        status,
        reason: reason.clone(),
        body,
    };
    if (100..200).contains(&status) || status == 204 || status == 304 {
        return whole(0, Vec::new());
    }
    if is_chunked(response.headers) {
        return match dechunk(rest) {
            Some((length, body)) => whole(length, body),
            None => Response::Partial { needed: None },
        };
    }
    match content_length(response.headers) {
        Some(length) => match rest.get(..length) {
            Some(body) => whole(length, body.to_vec()),
            None => Response::Partial {
                needed: Some(header_length.saturating_add(length)),
            },
        },
        None if closed => whole(rest.len(), rest.to_vec()),
        None => Response::Partial { needed: None },
    }
}

/// A chunked body: its length in the stream and its bytes; `None` until the last chunk.
fn dechunk(data: &[u8]) -> Option<(usize, Vec<u8>)> {
    let mut body = Vec::new();
    let mut position = 0usize;
    loop {
        let rest = data.get(position..)?;
        let (line, size) = match httparse::parse_chunk_size(rest).ok()? {
            httparse::Status::Complete(found) => found,
            httparse::Status::Partial => return None,
        };
        position = position.saturating_add(line);
        let size = usize::try_from(size).ok()?;
        if size == 0 {
            // Trailers, then an empty line.
            let trailer = data.get(position..)?;
            let end = trailer.windows(2).position(|pair| pair == b"\r\n")?;
            if end == 0 {
                return Some((position.saturating_add(2), body));
            }
            let block = trailer.windows(4).position(|four| four == b"\r\n\r\n")?;
            return Some((position.saturating_add(block).saturating_add(4), body));
        }
        let chunk = data.get(position..position.checked_add(size)?)?;
        body.extend_from_slice(chunk);
        position = position.checked_add(size)?.checked_add(2)?;
        if data.len() < position {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_by_length_by_chunks_and_until_close() {
        let by_length = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1";
        assert_eq!(
            read_response(by_length, false),
            Response::Whole {
                length: 43,
                status: 200,
                reason: "OK".into(),
                body: b"hello".to_vec()
            }
        );
        assert_eq!(
            read_response(&by_length[..40], false),
            Response::Partial { needed: Some(43) }
        );
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2;x=y\r\nlo\r\n0\r\n\r\n";
        match read_response(chunked, false) {
            Response::Whole { length, body, .. } => {
                assert_eq!(body, b"hello");
                assert_eq!(length, chunked.len());
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            read_response(&chunked[..chunked.len() - 3], false),
            Response::Partial { needed: None }
        );
        let until_close = b"HTTP/1.0 200 OK\r\n\r\nhello";
        assert_eq!(
            read_response(until_close, false),
            Response::Partial { needed: None }
        );
        assert!(matches!(
            read_response(until_close, true),
            Response::Whole { ref body, .. } if body == b"hello"
        ));
        assert!(matches!(
            read_response(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
                false
            ),
            Response::Whole { status: 404, .. }
        ));
        assert_eq!(
            read_response(b"\x00\x01garbage\r\n\r\n", false),
            Response::Malformed
        );
    }

    #[test]
    fn segments_are_placed_by_sequence_number() {
        let mut stream = Stream::default();
        assert!(stream.segment(999, true, b"", 100));
        assert!(stream.segment(1006, false, b"world", 100));
        assert!(stream.segment(1000, false, b"hello ", 100));
        // A retransmission, and one that overlaps the end.
        assert!(stream.segment(1000, false, b"hello ", 100));
        assert!(stream.segment(1009, false, b"ld!", 100));
        assert_eq!(stream.data, b"hello world!");
        stream.consume(6);
        assert!(stream.segment(1012, false, b"?", 100));
        assert_eq!(stream.data, b"world!?");
        assert!(!stream.segment(1013, false, &[0; 70_000], 100));
    }
}
