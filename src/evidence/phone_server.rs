//! The server as a phone sees it: a file asked for over HTTP (port 6970) first, where the
//! phone's firmware has HTTP, then over TFTP — each try recorded, as a phone's console log
//! records it (`HTTP download error, try tftp download`).

use std::time::{Duration, Instant};

use crate::evidence::http::{HttpError, fetch_http};
use crate::evidence::https::{CertificateCheck, HttpsError, fetch_https};
use crate::evidence::tftp::{FetchOptions, TftpError, TftpUrl, fetch};

/// How a file was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// HTTP on the TFTP service's port 6970.
    Http,
    /// HTTPS on port 6971, the server's certificate checked against the phone's ITL.
    Https,
    /// TFTP.
    Tftp,
}

impl Protocol {
    /// `http`, `https`, `tftp`.
    pub fn code(self) -> &'static str {
        match self {
            Protocol::Http => "http",
            Protocol::Https => "https",
            Protocol::Tftp => "tftp",
        }
    }
}

/// What one try gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TryOutcome {
    /// The file, this many bytes.
    Found(usize),
    /// The server has no such file (HTTP 404, TFTP error 1).
    NotFound,
    /// Anything else: no answer, a broken transfer, too large.
    Failed(String),
}

/// One request a phone makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Try {
    /// The file name asked for.
    pub name: String,
    /// Over what.
    pub protocol: Protocol,
    /// What came back.
    pub outcome: TryOutcome,
    /// Over HTTPS, why the phone took the server's certificate (a refusal is the outcome).
    pub certificate: Option<String>,
}

/// Where a phone fetches from, and how.
#[derive(Debug, Clone)]
pub struct PhoneServer {
    /// The TFTP server (host and port; the name is ignored).
    pub tftp: TftpUrl,
    /// `HOST:PORT` of the HTTP service, when the phone tries HTTP first.
    pub http: Option<String>,
    /// `HOST:PORT` of the HTTPS service a phone holding a signer-version-1.1 ITL asks for its
    /// config first.
    pub https: Option<String>,
    /// TFTP timeouts, retries and the size limit (also the HTTP size limit).
    pub options: FetchOptions,
    /// How long one HTTP request may take in all.
    pub http_deadline: Duration,
    /// When every request must be done by: past it, no request is sent (each would fail as
    /// `the deadline passed`), so a boot cannot outlast it by more than one request.
    pub deadline: Instant,
}

impl PhoneServer {
    /// Asks for `name` as the phone does: HTTP first when it has HTTP, then TFTP. Returns
    /// every try and the bytes of the first that found the file.
    pub fn fetch(&self, name: &str) -> (Vec<Try>, Option<Vec<u8>>) {
        let mut tries = Vec::new();
        let late = |protocol| {
            tried(
                name,
                protocol,
                TryOutcome::Failed("not asked: the boot's deadline passed".to_owned()),
            )
        };
        if let Some(authority) = &self.http {
            let Some(left) = self.deadline.checked_duration_since(Instant::now()) else {
                return (vec![late(Protocol::Http), late(Protocol::Tftp)], None);
            };
            match fetch_http(
                authority,
                name,
                self.options.max_size,
                self.http_deadline.min(left),
            ) {
                Ok(bytes) => {
                    tries.push(found(name, Protocol::Http, bytes.len()));
                    return (tries, Some(bytes));
                }
                Err(error) => tries.push(tried(name, Protocol::Http, web_outcome(error))),
            }
        }
        if Instant::now() >= self.deadline {
            tries.push(late(Protocol::Tftp));
            return (tries, None);
        }
        let url = TftpUrl {
            name: name.to_owned(),
            ..self.tftp.clone()
        };
        match fetch(&url, &self.options) {
            Ok(bytes) => {
                tries.push(found(name, Protocol::Tftp, bytes.len()));
                (tries, Some(bytes))
            }
            Err(TftpError::Server { code: 1, .. }) => {
                tries.push(tried(name, Protocol::Tftp, TryOutcome::NotFound));
                (tries, None)
            }
            Err(error) => {
                tries.push(tried(
                    name,
                    Protocol::Tftp,
                    TryOutcome::Failed(error.to_string()),
                ));
                (tries, None)
            }
        }
    }
}

impl PhoneServer {
    /// Asks for `name` over HTTPS, the server's certificate judged by `check`; `None` as the
    /// try when there is no HTTPS service.
    pub fn fetch_https(
        &self,
        name: &str,
        check: CertificateCheck,
    ) -> Option<(Try, Option<Vec<u8>>)> {
        let authority = self.https.as_deref()?;
        let Some(left) = self.deadline.checked_duration_since(Instant::now()) else {
            let late = TryOutcome::Failed("not asked: the boot's deadline passed".to_owned());
            return Some((tried(name, Protocol::Https, late), None));
        };
        let deadline = self.http_deadline.min(left);
        Some(
            match fetch_https(authority, name, self.options.max_size, deadline, check) {
                Ok(answer) => (
                    Try {
                        certificate: Some(answer.certificate),
                        ..found(name, Protocol::Https, answer.bytes.len())
                    },
                    Some(answer.bytes),
                ),
                Err(HttpsError { error, certificate }) => (
                    Try {
                        certificate,
                        ..tried(name, Protocol::Https, web_outcome(error))
                    },
                    None,
                ),
            },
        )
    }
}

/// A 404 is "not found" to a phone; anything else is a failed try, its reason kept.
fn web_outcome(error: HttpError) -> TryOutcome {
    match error {
        HttpError::NotFound { .. } => TryOutcome::NotFound,
        error => TryOutcome::Failed(error.to_string()),
    }
}

fn found(name: &str, protocol: Protocol, size: usize) -> Try {
    tried(name, protocol, TryOutcome::Found(size))
}

fn tried(name: &str, protocol: Protocol, outcome: TryOutcome) -> Try {
    Try {
        name: name.to_owned(),
        protocol,
        outcome,
        certificate: None,
    }
}
