//! Fetching a config over HTTPS as a phone holding a signer-version-1.1 ITL does (port 6971):
//! the server's certificate is taken only when the phone's own check says so — no web CA, no
//! host name, only what the caller's check decides — and the handshake's signatures are still
//! verified with it. Then `GET /NAME`, bounded in size and time whatever the server does.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme, StreamOwned};

use crate::evidence::http::HttpError;

/// The most header bytes read before the body.
const MOST_HEADER_BYTES: usize = 16 * 1024;

/// The most header lines parsed.
const MOST_HEADERS: usize = 64;

/// Decides whether the phone takes the server's certificate (DER): `Ok(why)` or `Err(why not)`.
/// Owned, as rustls keeps its verifier beyond one call.
pub type CertificateCheck = Arc<dyn Fn(&[u8]) -> Result<String, String> + Send + Sync>;

/// A config fetched over HTTPS, and why the server's certificate was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpsAnswer {
    /// The body.
    pub bytes: Vec<u8>,
    /// Why the phone took the server's certificate.
    pub certificate: String,
}

/// Why an HTTPS fetch failed, and why the phone took the server's certificate when the
/// handshake got that far (a 404 after a taken certificate is still worth showing).
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct HttpsError {
    /// What failed.
    pub error: HttpError,
    /// Why the phone took the server's certificate, when it did.
    pub certificate: Option<String>,
}

impl From<HttpError> for HttpsError {
    fn from(error: HttpError) -> Self {
        HttpsError {
            error,
            certificate: None,
        }
    }
}

/// Fetches `https://AUTHORITY/NAME`: the certificate judged by `check`, at most `max_size`
/// body bytes, the whole exchange within `deadline`.
///
/// # Errors
///
/// [`HttpsError`] for a refused certificate, a 404, another status, a body over the limit, a
/// body cut short, or no (timely) answer.
pub fn fetch_https(
    authority: &str,
    name: &str,
    max_size: u64,
    deadline: Duration,
    check: CertificateCheck,
) -> Result<HttpsAnswer, HttpsError> {
    let url = format!("https://{authority}/{name}");
    let failed = |reason: String| {
        HttpsError::from(HttpError::Failed {
            url: url.clone(),
            reason,
        })
    };
    let until = Instant::now()
        .checked_add(deadline)
        .ok_or_else(|| failed("the deadline is too far".to_owned()))?;
    let left = || {
        until
            .checked_duration_since(Instant::now())
            .filter(|left| !left.is_zero())
            .ok_or_else(|| failed(format!("no answer within {} s", deadline.as_secs_f64())))
    };

    let address = authority
        .to_socket_addrs()
        .map_err(|error| failed(error.to_string()))?
        .next()
        .ok_or_else(|| failed("the name has no address".to_owned()))?;
    let socket =
        TcpStream::connect_timeout(&address, left()?).map_err(|error| failed(error.to_string()))?;

    let verdict = Arc::new(Mutex::new(None));
    let verifier = PhoneVerifier::new(check, Arc::clone(&verdict));
    // The phone checks the server against its ITL, so the name it connects to does not matter:
    // the address stands in for it.
    let server_name = ServerName::from(address.ip());
    let answer = exchange(
        socket,
        server_name,
        verifier,
        authority,
        name,
        max_size,
        &left,
    );
    let taken = verdict.lock().ok().and_then(|mut verdict| verdict.take());
    match (answer, taken) {
        (Err(_), Some(Err(reason))) => Err(HttpError::CertificateRefused { url, reason }.into()),
        (Err(reason), taken) => Err(HttpsError {
            certificate: taken.and_then(Result::ok),
            ..failed(reason)
        }),
        (Ok(_), None | Some(Err(_))) => Err(failed(
            "the handshake ended without the server's certificate being checked".to_owned(),
        )),
        (Ok((status, body)), Some(Ok(certificate))) => {
            let error = match status {
                200 if u64::try_from(body.len()).is_ok_and(|length| length <= max_size) => {
                    return Ok(HttpsAnswer {
                        bytes: body,
                        certificate,
                    });
                }
                200 => HttpError::TooLarge {
                    url,
                    limit: max_size,
                },
                404 => HttpError::NotFound { url },
                status => HttpError::Status { url, status },
            };
            Err(HttpsError {
                error,
                certificate: Some(certificate),
            })
        }
    }
}

/// The handshake, the request and the answer: the status and the body (`Err` with a reason).
fn exchange(
    socket: TcpStream,
    server_name: ServerName<'static>,
    verifier: PhoneVerifier,
    authority: &str,
    name: &str,
    max_size: u64,
    left: &dyn Fn() -> Result<Duration, HttpsError>,
) -> Result<(u16, Vec<u8>), String> {
    let provider = Arc::clone(&verifier.provider);
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| error.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    let connection =
        ClientConnection::new(Arc::new(config), server_name).map_err(|error| error.to_string())?;
    let mut stream = StreamOwned::new(connection, socket);
    let timed = |stream: &mut StreamOwned<ClientConnection, TcpStream>| {
        let left = left().map_err(|error| error.to_string())?;
        stream
            .sock
            .set_read_timeout(Some(left))
            .and_then(|()| stream.sock.set_write_timeout(Some(left)))
            .map_err(|error| error.to_string())
    };
    timed(&mut stream)?;
    let request = format!("GET /{name} HTTP/1.0\r\nHost: {authority}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .and_then(|()| stream.flush())
        .map_err(|error| error.to_string())?;

    let limit = usize::try_from(max_size)
        .unwrap_or(usize::MAX)
        .saturating_add(MOST_HEADER_BYTES);
    let mut received = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let mut closed_cleanly = false;
    loop {
        timed(&mut stream)?;
        match stream.read(&mut chunk) {
            Ok(0) => {
                closed_cleanly = true;
                break;
            }
            Ok(count) => {
                received.extend_from_slice(chunk.get(..count).unwrap_or_default());
                if received.len() > limit {
                    // Status 200 with a body over the limit: reported as too large.
                    return split(&received, true).map(|(status, _)| (status, received));
                }
            }
            // A server that closes without close_notify: the body counts only if its length
            // was announced and all of it came.
            Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(error) => return Err(error.to_string()),
        }
    }
    let (status, body) = split(&received, false)?;
    Ok((status, body_of(&received, body, closed_cleanly)?))
}

/// The status and where the body starts; `partial` when the answer was cut at the limit.
fn split(received: &[u8], partial: bool) -> Result<(u16, usize), String> {
    let mut headers = [httparse::EMPTY_HEADER; MOST_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    match response.parse(received) {
        Ok(httparse::Status::Complete(start)) => Ok((response.code.unwrap_or_default(), start)),
        Ok(httparse::Status::Partial) if partial => {
            Err("the answer's headers never end".to_owned())
        }
        Ok(httparse::Status::Partial) => Err("the answer is cut short in its headers".to_owned()),
        Err(error) => Err(format!("not an HTTP answer: {error}")),
    }
}

/// The body, checked against the announced length when there is one.
fn body_of(received: &[u8], start: usize, closed_cleanly: bool) -> Result<Vec<u8>, String> {
    let body = received.get(start..).unwrap_or_default();
    let mut headers = [httparse::EMPTY_HEADER; MOST_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let _ = response.parse(received);
    let announced = response
        .headers
        .iter()
        .find(|header| header.name.eq_ignore_ascii_case("content-length"))
        .and_then(|header| std::str::from_utf8(header.value).ok())
        .and_then(|value| value.trim().parse::<usize>().ok());
    match announced {
        Some(length) if body.len() < length => Err(format!(
            "the answer announced {length} bytes and sent {}",
            body.len()
        )),
        Some(length) => Ok(body.get(..length).unwrap_or(body).to_vec()),
        None if closed_cleanly => Ok(body.to_vec()),
        None => Err("the connection ended without TLS close_notify and no length was announced: the body may be cut".to_owned()),
    }
}

/// rustls's certificate check, replaced by the phone's: the end-entity certificate is judged
/// by the caller's check (what the ITL lists, what TVS trusts); the handshake's signatures are
/// verified with that certificate's key as usual.
#[derive(Clone)]
struct PhoneVerifier {
    check: CertificateCheck,
    verdict: Arc<Mutex<Option<Result<String, String>>>>,
    provider: Arc<CryptoProvider>,
}

impl PhoneVerifier {
    // ring's provider is deprecated only for lacking post-quantum key exchange, which no phone
    // offers either; aws-lc-rs would need cmake on every machine that builds ctlkit.
    #[expect(
        deprecated,
        reason = "phones have no post-quantum key exchange to imitate"
    )]
    fn new(check: CertificateCheck, verdict: Arc<Mutex<Option<Result<String, String>>>>) -> Self {
        PhoneVerifier {
            check,
            verdict,
            provider: Arc::new(rustls::crypto::ring::default_provider()),
        }
    }
}

impl std::fmt::Debug for PhoneVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PhoneVerifier")
    }
}

impl ServerCertVerifier for PhoneVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = (self.check)(end_entity.as_ref());
        let answer = match &verdict {
            Ok(_) => Ok(ServerCertVerified::assertion()),
            Err(reason) => Err(rustls::Error::General(reason.clone())),
        };
        if let Ok(mut kept) = self.verdict.lock() {
            *kept = Some(verdict);
        }
        answer
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            certificate,
            signature,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            certificate,
            signature,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
