//! An HTTPS service on loopback, as a PBX serving phones on port 6971 runs it: it presents the
//! certificate it is given and answers GET /NAME with the file (Content-Length, then TLS
//! close_notify) or 404.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::sign::{CertifiedKey, SingleCertAndKey};
use rustls::{ServerConfig, ServerConnection, StreamOwned};

/// A self-signed EC P-256 certificate and its key (PKCS #8), both DER.
pub struct EcIdentity {
    /// The certificate.
    pub certificate: Vec<u8>,
    /// Its key.
    pub key: Vec<u8>,
    /// The certificate as PEM, for ctlkit's command line.
    pub pem: String,
}

impl EcIdentity {
    /// A new identity named `common_name`.
    pub fn new(common_name: &str) -> EcIdentity {
        let made = rcgen::generate_simple_self_signed(vec![common_name.to_owned()]).unwrap();
        EcIdentity {
            certificate: made.cert.der().to_vec(),
            key: made.signing_key.serialize_der(),
            pem: made.cert.pem(),
        }
    }
}

/// The running service.
pub struct HttpsServer {
    /// Where it listens.
    pub address: SocketAddr,
}

impl HttpsServer {
    /// Serves `files` on a loopback port, presenting `identity`'s certificate.
    pub fn start(identity: &EcIdentity, files: Vec<(String, Vec<u8>)>) -> HttpsServer {
        HttpsServer::presenting(
            identity.certificate.clone(),
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(identity.key.clone())),
            files,
        )
    }

    /// Serves `files`, presenting a fixture certificate of the cluster (an RSA one).
    pub fn start_as_fixture(label: &str, files: Vec<(String, Vec<u8>)>) -> HttpsServer {
        let certificate = crate::support::certificate(label);
        let key_pem = std::fs::read(format!("{}/{label}.key", crate::support::CLUSTER)).unwrap();
        let block = pem::parse(key_pem).unwrap();
        let key = match block.tag() {
            "RSA PRIVATE KEY" => PrivateKeyDer::Pkcs1(block.into_contents().into()),
            _ => PrivateKeyDer::Pkcs8(block.into_contents().into()),
        };
        HttpsServer::presenting(certificate, key, files)
    }

    #[expect(
        deprecated,
        reason = "ring's provider lacks only post-quantum key exchange"
    )]
    fn presenting(
        certificate: Vec<u8>,
        key: PrivateKeyDer<'static>,
        files: Vec<(String, Vec<u8>)>,
    ) -> HttpsServer {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        // Taken as is: the fixture cluster's certificates are X.509 v1, which rustls's own
        // check of a server certificate refuses; phones (and this test) do not care.
        let signing_key = provider.key_provider.load_private_key(key).unwrap();
        let certified = CertifiedKey::new(vec![CertificateDer::from(certificate)], signing_key);
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_cert_resolver(Arc::new(SingleCertAndKey::from(certified)));
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let files = Arc::new(files);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let config = Arc::clone(&config);
                let files = Arc::clone(&files);
                thread::spawn(move || serve(stream, config, &files));
            }
        });
        HttpsServer { address }
    }
}

fn serve(stream: TcpStream, config: Arc<ServerConfig>, files: &[(String, Vec<u8>)]) {
    let Ok(connection) = ServerConnection::new(config) else {
        return;
    };
    let mut tls = StreamOwned::new(connection, stream);
    let mut request = Vec::new();
    let mut byte = [0u8; 1];
    while !request.ends_with(b"\r\n\r\n") {
        match tls.read(&mut byte) {
            Ok(1) => request.push(byte[0]),
            // A refused handshake or a closed connection.
            _ => return,
        }
    }
    let text = String::from_utf8_lossy(&request);
    let path = text.split_whitespace().nth(1).unwrap_or("/");
    let name = path.trim_start_matches('/');
    let answer = match files.iter().find(|(file, _)| file == name) {
        Some((_, body)) => {
            let mut answer =
                format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
            answer.extend_from_slice(body);
            answer
        }
        None => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec(),
    };
    let _ = tls.write_all(&answer);
    tls.conn.send_close_notify();
    let _ = tls.flush();
}
