//! A self-signed certificate and its key for a role a PBX serving Cisco phones needs (its
//! TFTP / CallManager, SAST, CAPF, TVS, or the HTTPS service on 6971), made as certutils'
//! `mkcert` makes them: a CA (path length 0) that signs, serves TLS and encrypts, named by its
//! common name, valid from today for some years. RSA-2048 unless asked otherwise — phones take
//! larger RSA and EC keys only from a list of signer version 1.1 — or an EC curve.

use rsa::pkcs8::EncodePrivateKey;
use time::OffsetDateTime;

/// The key to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// RSA of this many bits (2048 unless there is a reason).
    Rsa(usize),
    /// EC on P-256.
    P256,
    /// EC on P-384.
    P384,
}

/// The digest the certificate is signed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateDigest {
    /// SHA-256 (the default).
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

/// What the certificate says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRequest {
    /// CN (also the DNS name it is for).
    pub common_name: String,
    /// O.
    pub organization: String,
    /// OU.
    pub unit: String,
    /// L.
    pub locality: Option<String>,
    /// ST.
    pub state: Option<String>,
    /// C (two letters).
    pub country: Option<String>,
    /// Years from today.
    pub years: u16,
    /// Its key.
    pub key: KeyKind,
    /// Its signature's digest.
    pub digest: CertificateDigest,
}

/// The certificate and its key, PEM.
#[derive(Clone)]
pub struct MadeCertificate {
    /// The certificate.
    pub certificate_pem: String,
    /// Its DER.
    pub certificate_der: Vec<u8>,
    /// The private key, PKCS #8.
    pub key_pem: String,
}

impl std::fmt::Debug for MadeCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MadeCertificate")
            .field("certificate_pem", &self.certificate_pem)
            .finish_non_exhaustive()
    }
}

/// Why no certificate was made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MakeError {
    /// A size or combination ctlkit does not make.
    #[error("{0}")]
    Unsupported(String),
    /// The operating system's random source failed.
    #[error(transparent)]
    Random(#[from] super::random::RandomError),
    /// The key or certificate could not be made.
    #[error("cannot make the certificate: {0}")]
    Failed(String),
}

/// `years` after `start`, the same day of the year; 29 February becomes 28 February in a year
/// that has none.
fn years_later(
    start: OffsetDateTime,
    years: u16,
) -> Result<OffsetDateTime, time::error::ComponentRange> {
    let year = start.year().saturating_add(i32::from(years));
    start
        .replace_year(year)
        .or_else(|_| start.replace_day(28).and_then(|day| day.replace_year(year)))
}

/// Makes the certificate and key, valid from today's midnight (UTC) for `years`.
///
/// # Errors
///
/// [`MakeError`] for an RSA size outside 2048–4096 or not a multiple of 1024, a digest EC
/// keys are not signed with here, or a failure of the random source or the signer.
pub fn make_certificate(
    request: &CertificateRequest,
    now: OffsetDateTime,
) -> Result<MadeCertificate, MakeError> {
    let failed = |error: &dyn std::fmt::Display| MakeError::Failed(error.to_string());
    let key_pair = match request.key {
        KeyKind::Rsa(bits) => {
            if !(2048..=4096).contains(&bits) || bits % 1024 != 0 {
                return Err(MakeError::Unsupported(format!(
                    "an RSA key of {bits} bits: make 2048 (what every phone takes), 3072 or 4096"
                )));
            }
            let mut seed = [0u8; 32];
            super::random::fill(&mut seed)?;
            let mut rng =
                <chacha20::ChaCha20Rng as chacha20::rand_core::SeedableRng>::from_seed(seed);
            let private = rsa::PrivateKey::new(&mut rng, bits).map_err(|error| failed(&error))?;
            let pkcs8 = private.to_pkcs8_der().map_err(|error| failed(&error))?;
            let algorithm = match request.digest {
                CertificateDigest::Sha256 => &rcgen::PKCS_RSA_SHA256,
                CertificateDigest::Sha384 => &rcgen::PKCS_RSA_SHA384,
                CertificateDigest::Sha512 => &rcgen::PKCS_RSA_SHA512,
            };
            rcgen::KeyPair::from_pkcs8_der_and_sign_algo(&pkcs8.as_bytes().into(), algorithm)
                .map_err(|error| failed(&error))?
        }
        KeyKind::P256 | KeyKind::P384 => {
            let algorithm = match (request.key, request.digest) {
                (KeyKind::P256, CertificateDigest::Sha256) => &rcgen::PKCS_ECDSA_P256_SHA256,
                (KeyKind::P384, CertificateDigest::Sha384) => &rcgen::PKCS_ECDSA_P384_SHA384,
                (curve, digest) => {
                    return Err(MakeError::Unsupported(format!(
                        "{curve:?} with {digest:?}: an EC certificate is signed with its curve's digest (P-256 with sha256, P-384 with sha384)"
                    )));
                }
            };
            rcgen::KeyPair::generate_for(algorithm).map_err(|error| failed(&error))?
        }
    };

    let mut parameters =
        rcgen::CertificateParams::new(vec![request.common_name.to_ascii_lowercase()])
            .map_err(|error| failed(&error))?;
    let name = &mut parameters.distinguished_name;
    name.push(rcgen::DnType::CommonName, request.common_name.as_str());
    name.push(
        rcgen::DnType::OrganizationName,
        request.organization.as_str(),
    );
    name.push(rcgen::DnType::OrganizationalUnitName, request.unit.as_str());
    if let Some(locality) = &request.locality {
        name.push(rcgen::DnType::LocalityName, locality.as_str());
    }
    if let Some(state) = &request.state {
        name.push(rcgen::DnType::StateOrProvinceName, state.as_str());
    }
    if let Some(country) = &request.country {
        name.push(rcgen::DnType::CountryName, country.as_str());
    }
    let midnight = now.replace_time(time::Time::MIDNIGHT);
    parameters.not_before = midnight;
    parameters.not_after = years_later(midnight, request.years).map_err(|error| failed(&error))?;
    let mut serial = [0u8; 16];
    super::random::fill(&mut serial)?;
    // Positive, as DER wants it.
    if let Some(first) = serial.first_mut() {
        *first &= 0x7f;
    }
    parameters.serial_number = Some(rcgen::SerialNumber::from_slice(&serial));
    parameters.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Constrained(0));
    parameters.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyCertSign,
        rcgen::KeyUsagePurpose::CrlSign,
        rcgen::KeyUsagePurpose::DigitalSignature,
        rcgen::KeyUsagePurpose::KeyEncipherment,
        rcgen::KeyUsagePurpose::DataEncipherment,
    ];
    parameters.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let certificate = parameters
        .self_signed(&key_pair)
        .map_err(|error| failed(&error))?;
    Ok(MadeCertificate {
        certificate_pem: certificate.pem(),
        certificate_der: certificate.der().to_vec(),
        key_pem: key_pair.serialize_pem(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_certificate_made_on_29_february_ends_on_28_february() {
        assert_eq!(
            years_later(datetime!(2028-02-29 00:00 UTC), 10).unwrap(),
            datetime!(2038-02-28 00:00 UTC)
        );
        assert_eq!(
            years_later(datetime!(2028-02-29 00:00 UTC), 4).unwrap(),
            datetime!(2032-02-29 00:00 UTC)
        );
        assert_eq!(
            years_later(datetime!(2026-12-04 00:00 UTC), 10).unwrap(),
            datetime!(2036-12-04 00:00 UTC)
        );
    }
}
