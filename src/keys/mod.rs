//! Whatever holds a signing key: certificates and keys in PEM files, and keys on an eToken or
//! any PKCS #11 token ([`pkcs11`], feature `pkcs11`). Both sign through the format crate's
//! `RsaSigner`.

pub(crate) mod make;
pub(crate) mod pem;
#[cfg(feature = "pkcs11")]
pub mod pkcs11;
pub(crate) mod random;

pub use make::{
    CertificateDigest, CertificateRequest, KeyKind, MadeCertificate, MakeError, make_certificate,
};
pub use pem::{KeyError, PemBundle, read_pem_bundle, read_pem_certificates};
pub use random::{RandomError, encryption_secrets};
