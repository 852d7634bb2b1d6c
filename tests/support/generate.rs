//! The deterministic fixture generator: every synthetic file in `fixtures/` comes from here.
//!
//! Keys come from ChaCha20 seeded with the SHA-256 of a label, certificates have fixed
//! serials and dates, files fixed timestamps, and PKCS #1 v1.5 signatures are deterministic:
//! the same code gives the same bytes, which `tests/fixtures.rs` checks.
//! Regenerate with `cargo run --example make_fixtures`.

#![allow(dead_code)]

use std::time::{Duration, SystemTime};

use chacha20::ChaCha20Rng;
use chacha20::rand_core::SeedableRng;
use ctlkit::format::{RecordBuilder, SignedFileBuilder, SignerInfo, TrustListBuilder};
use ctlkit::{DigestAlgorithm, Function};
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use rsa::{PrivateKey, PublicKey};
use sha2::Digest;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::der::{Encode, EncodePem};
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{SubjectPublicKeyInfo, SubjectPublicKeyInfoRef};
use x509_cert::time::{Time, Validity};
use x509_cert::{Certificate, TbsCertificate};

/// When every synthetic trust list was "signed": 2026-01-15 10:00:00 UTC.
pub const SIGNED_AT: u32 = 1_768_471_200;

/// 2010-06-01, 2030-06-01: eToken certificates, as Cisco Manufacturing CA issued them.
const TOKEN_VALIDITY: (u64, u64) = (1_275_350_400, 1_906_502_400);
/// 2024-01-01, 2044-01-01: the cluster's own certificates.
const CLUSTER_VALIDITY: (u64, u64) = (1_704_067_200, 2_335_219_200);
/// 2026-03-01, 2046-03-01: the publisher's CallManager certificate after it was regenerated.
const REGENERATED_VALIDITY: (u64, u64) = (1_772_323_200, 2_403_475_200);
/// 2016-01-01, 2021-01-01: a CAPF certificate nobody renewed.
const EXPIRED_VALIDITY: (u64, u64) = (1_451_606_400, 1_609_459_200);
/// When the ITL was re-signed after the regeneration: 2026-03-02 09:00:00 UTC.
pub const RESIGNED_AT: u32 = 1_772_442_000;

/// A file the generator writes, relative to `fixtures/`.
pub struct Fixture {
    /// Path under `fixtures/`.
    pub path: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// A key and its certificate.
pub struct Identity {
    /// File-name stem, e.g. `CallManager-cucm-pub`.
    pub label: &'static str,
    /// The private key.
    pub key: PrivateKey,
    /// The certificate, DER.
    pub certificate: Vec<u8>,
    /// The certificate's serial as trust lists store it.
    pub serial: Vec<u8>,
}

impl Identity {
    fn public_key_pkcs1(&self) -> Vec<u8> {
        PublicKey::from(&self.key)
            .to_pkcs1_der()
            .expect("encode public key")
            .as_bytes()
            .to_vec()
    }
}

/// The certificates' subject and issuer, and no extensions: a v1 certificate, which is all a
/// trust list needs and keeps the bytes easy to reason about.
struct PlainProfile {
    subject: Name,
    issuer: Name,
}

impl BuilderProfile for PlainProfile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        _spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        Ok(Vec::new())
    }
}

/// An RSA key derived from `label` alone.
pub fn key(label: &str, bits: usize) -> PrivateKey {
    let seed: [u8; 32] = sha2::Sha256::digest(format!("ctlkit fixture key {label}")).into();
    let mut rng = ChaCha20Rng::from_seed(seed);
    PrivateKey::new(&mut rng, bits).expect("generate RSA key")
}

fn time(seconds: u64) -> Time {
    Time::try_from(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)).expect("time")
}

/// Issues a certificate for `subject_key` signed by `issuer_key` with `D`.
fn certificate<D>(
    subject: &str,
    subject_key: &PrivateKey,
    issuer: &str,
    issuer_key: &PrivateKey,
    serial: &[u8],
    validity: (u64, u64),
) -> Vec<u8>
where
    D: Digest + x509_cert::der::oid::AssociatedOid + rsa::pkcs1v15::RsaSignatureAssociatedOid,
{
    let profile = PlainProfile {
        subject: subject.parse().expect("subject"),
        issuer: issuer.parse().expect("issuer"),
    };
    let spki = SubjectPublicKeyInfo::from_key(&PublicKey::from(subject_key)).expect("spki");
    let builder = CertificateBuilder::new(
        profile,
        SerialNumber::new(serial).expect("serial"),
        Validity::new(time(validity.0), time(validity.1)),
        spki,
    )
    .expect("builder");
    let signer = SigningKey::<D>::new(issuer_key.clone());
    let certificate: Certificate = builder
        .build::<_, rsa::pkcs1v15::Signature>(&signer)
        .expect("sign certificate");
    certificate.to_der().expect("encode certificate")
}

pub fn self_signed(label: &'static str, subject: &str, serial: &[u8], bits: usize) -> Identity {
    self_signed_during(label, subject, serial, bits, CLUSTER_VALIDITY)
}

fn self_signed_during(
    label: &'static str,
    subject: &str,
    serial: &[u8],
    bits: usize,
    validity: (u64, u64),
) -> Identity {
    let key = key(label, bits);
    let certificate = certificate::<sha2::Sha256>(subject, &key, subject, &key, serial, validity);
    Identity {
        label,
        key,
        certificate,
        serial: ctlkit::Serial::from_der_integer(serial).as_bytes().to_vec(),
    }
}

/// Everything the fixtures are made from: two eTokens and their CA, a two-node cluster.
pub struct Cluster {
    /// Stand-in for Cisco Manufacturing CA (issues the eTokens).
    pub manufacturing_ca: Identity,
    /// The first USB eToken (signs the mixed-mode CTLs).
    pub token_a: Identity,
    /// The second USB eToken.
    pub token_b: Identity,
    /// A third eToken the phones have never seen.
    pub token_c: Identity,
    /// Publisher CallManager.pem.
    pub callmanager_pub: Identity,
    /// Publisher CallManager.pem after `set cert regen CallManager`: new key, new serial.
    pub callmanager_pub_regenerated: Identity,
    /// Subscriber CallManager.pem.
    pub callmanager_sub1: Identity,
    /// Publisher CAPF.pem.
    pub capf_pub: Identity,
    /// An old CAPF.pem that expired on 2021-01-01.
    pub capf_expired: Identity,
    /// Publisher TVS.pem.
    pub tvs_pub: Identity,
    /// Subscriber TVS.pem.
    pub tvs_sub1: Identity,
    /// The cluster's ITLRecovery.pem.
    pub itl_recovery: Identity,
    /// Another cluster's CallManager.pem (phones moved between clusters).
    pub callmanager_other_cluster: Identity,
    /// Stands in for Cisco's firmware signing key (which is Cisco's: never in a fixture).
    pub firmware_lookalike: Identity,
    /// Phone SEP001122334455's certificate (its LSC), which encrypted configs are wrapped to.
    pub phone: Identity,
}

const CISCO_CA: &str = "CN=Cisco Manufacturing CA,O=Cisco Systems";
/// How CUCM's CTL client spells the eToken CA in records and the header.
const CISCO_CA_RECORD_NAME: &str = "cn=Cisco Manufacturing CA;o=Cisco Systems";

fn token(label: &'static str, adn: &str, serial: &[u8], ca: &PrivateKey) -> Identity {
    let key = key(label, 1024);
    let subject = format!("CN=SAST-ADN{adn}\\ ,OU=IPCBU,O=Cisco Systems");
    let certificate =
        certificate::<sha1::Sha1>(&subject, &key, CISCO_CA, ca, serial, TOKEN_VALIDITY);
    Identity {
        label,
        key,
        certificate,
        serial: ctlkit::Serial::from_der_integer(serial).as_bytes().to_vec(),
    }
}

/// The eToken record name as the CTL client writes it: lower-case keys, quotes, the padding
/// space, and the last quote lost to the length.
fn token_record_name(adn: &str) -> String {
    format!("cn=\"SAST-ADN{adn} \";ou=IPCBU;o=\"Cisco Systems")
}

const TOKEN_A_ADN: &str = "4e31f914";
const TOKEN_B_ADN: &str = "008580ef";
const TOKEN_C_ADN: &str = "7a0c33d2";

impl Cluster {
    /// Generates every key and certificate.
    pub fn new() -> Self {
        let manufacturing_ca = {
            let key = key("cisco-manufacturing-ca", 2048);
            let certificate = certificate::<sha1::Sha1>(
                CISCO_CA,
                &key,
                CISCO_CA,
                &key,
                &[0x6a, 0x69, 0x67, 0xb3],
                TOKEN_VALIDITY,
            );
            Identity {
                label: "Cisco-Manufacturing-CA",
                key,
                certificate,
                serial: vec![0x6a, 0x69, 0x67, 0xb3],
            }
        };
        let token_a = token(
            "eToken-A",
            TOKEN_A_ADN,
            &[0x83, 0xe9, 0x08, 0x00, 0x00, 0x00, 0x55, 0x45, 0xaf, 0x31],
            &manufacturing_ca.key,
        );
        let token_b = token(
            "eToken-B",
            TOKEN_B_ADN,
            &[0xbd, 0xa3, 0x02, 0x00, 0x00, 0x00, 0xd8, 0x88, 0x64, 0x1f],
            &manufacturing_ca.key,
        );
        let token_c = token(
            "eToken-C",
            TOKEN_C_ADN,
            &[0x91, 0x5e, 0x04, 0x00, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78],
            &manufacturing_ca.key,
        );
        let cluster_name = "OU=VOICE,O=Example Corp,L=Austin,ST=Texas,C=US";
        Cluster {
            callmanager_pub: self_signed(
                "CallManager-cucm-pub",
                &format!("CN=cucm-pub,{cluster_name}"),
                &[0x5c, 0x1d, 0x0a, 0x91, 0x22, 0x47, 0x8e, 0x01],
                2048,
            ),
            callmanager_pub_regenerated: self_signed_during(
                "CallManager-cucm-pub-regenerated",
                &format!("CN=cucm-pub,{cluster_name}"),
                &[0x6d, 0x02, 0xe1, 0x58, 0x9c, 0x33, 0x70, 0x07],
                2048,
                REGENERATED_VALIDITY,
            ),
            callmanager_sub1: self_signed(
                "CallManager-cucm-sub1",
                &format!("CN=cucm-sub1,{cluster_name}"),
                &[0x41, 0x7f, 0x3b, 0x06, 0xc2, 0x90, 0x15, 0x02],
                2048,
            ),
            capf_pub: self_signed(
                "CAPF-cucm-pub",
                &format!("CN=CAPF-9c4cba7d,{cluster_name}"),
                &[0x2e, 0x88, 0x51, 0xd4, 0x03],
                2048,
            ),
            capf_expired: self_signed_during(
                "CAPF-cucm-pub-expired",
                &format!("CN=CAPF-9c4cba7d,{cluster_name}"),
                &[0x2e, 0x88, 0x51, 0xd4, 0x01],
                2048,
                EXPIRED_VALIDITY,
            ),
            tvs_pub: self_signed(
                "TVS-cucm-pub",
                &format!("CN=cucm-pub-tvs,{cluster_name}"),
                &[0x71, 0x0c, 0x9a, 0x5e, 0x04],
                2048,
            ),
            tvs_sub1: self_signed(
                "TVS-cucm-sub1",
                &format!("CN=cucm-sub1-tvs,{cluster_name}"),
                &[0x66, 0x3a, 0x21, 0x7d, 0x05],
                2048,
            ),
            itl_recovery: self_signed(
                "ITLRecovery-cucm-pub",
                &format!("CN=ITLRECOVERY_cucm-pub,{cluster_name}"),
                &[0x0f, 0xb2, 0x64, 0x13, 0x06],
                2048,
            ),
            callmanager_other_cluster: self_signed(
                "CallManager-other-cluster",
                "CN=cucm-b-pub,OU=VOICE,O=Other Corp,L=Denver,ST=Colorado,C=US",
                &[0x3e, 0x51, 0x77, 0x0c, 0x9a, 0x12, 0x44, 0x08],
                2048,
            ),
            firmware_lookalike: self_signed(
                "Firmware-lookalike",
                "CN=someSigner,OU=someOrgUnit,O=someOrg",
                &[0x12, 0x34, 0x56, 0x78, 0x90, 0xab, 0xcd, 0xef],
                2048,
            ),
            phone: self_signed(
                "Phone-SEP001122334455",
                "CN=SEP001122334455,OU=VOICE,O=Example Corp,L=Austin,ST=Texas,C=US",
                &[0x55, 0x44, 0x33, 0x22, 0x11],
                2048,
            ),
            manufacturing_ca,
            token_a,
            token_b,
            token_c,
        }
    }

    fn identities(&self) -> [&Identity; 15] {
        [
            &self.manufacturing_ca,
            &self.token_a,
            &self.token_b,
            &self.token_c,
            &self.callmanager_pub,
            &self.callmanager_pub_regenerated,
            &self.callmanager_sub1,
            &self.capf_pub,
            &self.capf_expired,
            &self.tvs_pub,
            &self.tvs_sub1,
            &self.itl_recovery,
            &self.callmanager_other_cluster,
            &self.firmware_lookalike,
            &self.phone,
        ]
    }
}

impl Default for Cluster {
    fn default() -> Self {
        Cluster::new()
    }
}

const PUB_IP: [u8; 4] = [10, 10, 10, 10];
const SUB1_IP: [u8; 4] = [10, 10, 10, 11];

/// An eToken's SAST record as the CTL client writes it: no certificate SIGNATURE element,
/// empty DNSNAME, zero IPADDRESS.
fn token_record(token: &Identity, adn: &str) -> RecordBuilder {
    let name = token_record_name(adn);
    RecordBuilder::new()
        .element(2, *b"\0")
        .element(3, nul_terminated(&name))
        .element(4, Function::Sast.code().to_be_bytes())
        .element(5, nul_terminated(CISCO_CA_RECORD_NAME))
        .element(6, token.serial.clone())
        .element(7, token.public_key_pkcs1())
        .element(9, token.certificate.clone())
        .element(10, [0u8; 4])
}

fn nul_terminated(text: &str) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    bytes.push(0);
    bytes
}

/// The 33-byte record a cluster moved back to non-secure mode writes: no certificate.
fn placeholder_record(dns_name: &str, function: Function, ip: [u8; 4]) -> RecordBuilder {
    RecordBuilder::new()
        .element(2, nul_terminated(dns_name))
        .element(4, function.code().to_be_bytes())
        .element(10, ip)
}

fn record(identity: &Identity, function: Function, dns_name: &str, ip: [u8; 4]) -> RecordBuilder {
    RecordBuilder::from_certificate(&identity.certificate, function, dns_name, ip)
        .expect("record from certificate")
}

/// A record for a certificate of the publisher, `cucm-pub`.
fn on_pub(identity: &Identity, function: Function) -> RecordBuilder {
    record(identity, function, "cucm-pub", PUB_IP)
}

/// A record for a certificate of the subscriber, `cucm-sub1`.
fn on_sub1(identity: &Identity, function: Function) -> RecordBuilder {
    record(identity, function, "cucm-sub1", SUB1_IP)
}

fn build(
    signer_info: SignerInfo,
    signer_key: &PrivateKey,
    filename: &str,
    records: Vec<RecordBuilder>,
) -> Vec<u8> {
    build_at(signer_info, signer_key, filename, records, SIGNED_AT)
}

fn build_at(
    signer_info: SignerInfo,
    signer_key: &PrivateKey,
    filename: &str,
    records: Vec<RecordBuilder>,
    timestamp: u32,
) -> Vec<u8> {
    let digest = signer_info.digest;
    TrustListBuilder {
        signer_version: None,
        signer: signer_info,
        filename: filename.to_owned(),
        timestamp,
        records,
    }
    .build(|data| ctlkit::format::sign(signer_key, digest, data))
    .expect("build trust list")
}

fn token_signer(token: &Identity, adn: &str) -> SignerInfo {
    SignerInfo {
        name: token_record_name(adn).into_bytes(),
        serial: token.serial.clone(),
        issuer: CISCO_CA_RECORD_NAME.as_bytes().to_vec(),
        digest: DigestAlgorithm::Sha1,
        signature_bits: 1024,
    }
}

fn cluster_signer(identity: &Identity, digest: DigestAlgorithm) -> SignerInfo {
    SignerInfo::from_certificate(&identity.certificate, digest, 2048).expect("signer info")
}

/// Every generated file: trust lists, then each identity's certificate and key as PEM.
pub fn all() -> Vec<Fixture> {
    let cluster = Cluster::new();
    let tokens = || {
        vec![
            token_record(&cluster.token_a, TOKEN_A_ADN),
            token_record(&cluster.token_b, TOKEN_B_ADN),
        ]
    };
    let mut files = Vec::new();
    let mut add = |path: &str, bytes: Vec<u8>| {
        files.push(Fixture {
            path: path.to_owned(),
            bytes,
        })
    };

    // Mixed mode, signed through the CTL client by eToken A, SHA-1 (CUCM before 10.0).
    let mut records = tokens();
    records.extend([
        on_pub(&cluster.callmanager_pub, Function::CcmTftp),
        on_sub1(&cluster.callmanager_sub1, Function::CcmTftp),
        on_pub(&cluster.capf_pub, Function::Capf),
    ]);
    add(
        "CTLFile-etoken-sha1.tlv",
        build(
            token_signer(&cluster.token_a, TOKEN_A_ADN),
            &cluster.token_a.key,
            "CTLFile.tlv",
            records,
        ),
    );

    // The same cluster moved back to non-secure mode: CCM+TFTP records without certificates.
    let mut records = tokens();
    records.extend([
        placeholder_record("cucm-pub", Function::CcmTftp, PUB_IP),
        placeholder_record("cucm-sub1", Function::CcmTftp, SUB1_IP),
    ]);
    add(
        "CTLFile-nonsecure.tlv",
        build(
            token_signer(&cluster.token_a, TOKEN_A_ADN),
            &cluster.token_a.key,
            "CTLFile.tlv",
            records,
        ),
    );

    // Tokenless CTL (CUCM 12.0 and later): ITLRecovery signs, CallManager is the second SAST;
    // the cluster's TFTP file signature algorithm is SHA-512.
    let tokenless_records = vec![
        on_pub(&cluster.itl_recovery, Function::Sast),
        on_pub(&cluster.callmanager_pub, Function::Sast),
        on_pub(&cluster.callmanager_pub, Function::CcmTftp),
        on_sub1(&cluster.callmanager_sub1, Function::CcmTftp),
        on_pub(&cluster.capf_pub, Function::Capf),
    ];
    add(
        "CTLFile-tokenless-sha512.tlv",
        build(
            cluster_signer(&cluster.itl_recovery, DigestAlgorithm::Sha512),
            &cluster.itl_recovery.key,
            "CTLFile.tlv",
            tokenless_records,
        ),
    );

    // ITL of CUCM 8.0–11.x: the TFTP node's CallManager certificate signs, SHA-1.
    add(
        "ITLFile-sha1.tlv",
        build(
            cluster_signer(&cluster.callmanager_pub, DigestAlgorithm::Sha1),
            &cluster.callmanager_pub.key,
            "ITLFile.tlv",
            vec![
                on_pub(&cluster.callmanager_pub, Function::Sast),
                on_pub(&cluster.callmanager_pub, Function::CcmTftp),
                on_pub(&cluster.tvs_pub, Function::Tvs),
                on_pub(&cluster.capf_pub, Function::Capf),
            ],
        ),
    );

    // ITL of CUCM 12.0 and later, SHA-512: ITLRecovery signs; both nodes' TVS.
    add(
        "ITLFile-sha512.tlv",
        build(
            cluster_signer(&cluster.itl_recovery, DigestAlgorithm::Sha512),
            &cluster.itl_recovery.key,
            "ITLFile.tlv",
            vec![
                on_pub(&cluster.itl_recovery, Function::Sast),
                on_pub(&cluster.callmanager_pub, Function::Sast),
                on_pub(&cluster.callmanager_pub, Function::CcmTftp),
                on_sub1(&cluster.callmanager_sub1, Function::CcmTftp),
                on_pub(&cluster.tvs_pub, Function::Tvs),
                on_sub1(&cluster.tvs_sub1, Function::Tvs),
                on_pub(&cluster.capf_pub, Function::Capf),
            ],
        ),
    );

    // The same mixed-mode CTL, signed by eToken B: phones holding the A-signed CTL accept it.
    let mixed_mode_records = || {
        let mut records = tokens();
        records.extend([
            on_pub(&cluster.callmanager_pub, Function::CcmTftp),
            on_sub1(&cluster.callmanager_sub1, Function::CcmTftp),
            on_pub(&cluster.capf_pub, Function::Capf),
        ]);
        records
    };
    add(
        "CTLFile-etoken-b-sha1.tlv",
        build(
            token_signer(&cluster.token_b, TOKEN_B_ADN),
            &cluster.token_b.key,
            "CTLFile.tlv",
            mixed_mode_records(),
        ),
    );

    // Signed by eToken C, which no phone knows (it lists C and A): phones reject it.
    let mut records = vec![
        token_record(&cluster.token_c, TOKEN_C_ADN),
        token_record(&cluster.token_a, TOKEN_A_ADN),
    ];
    records.extend(mixed_mode_records().split_off(2));
    add(
        "CTLFile-etoken-c-sha1.tlv",
        build(
            token_signer(&cluster.token_c, TOKEN_C_ADN),
            &cluster.token_c.key,
            "CTLFile.tlv",
            records,
        ),
    );

    // ITLFile-sha1.tlv re-signed after CallManager.pem was regenerated: the new CallManager
    // key signs, and phones holding the old ITL do not know it.
    add(
        "ITLFile-regenerated-sha1.tlv",
        build_at(
            cluster_signer(&cluster.callmanager_pub_regenerated, DigestAlgorithm::Sha1),
            &cluster.callmanager_pub_regenerated.key,
            "ITLFile.tlv",
            vec![
                on_pub(&cluster.callmanager_pub_regenerated, Function::Sast),
                on_pub(&cluster.callmanager_pub_regenerated, Function::CcmTftp),
                on_pub(&cluster.tvs_pub, Function::Tvs),
                on_pub(&cluster.capf_pub, Function::Capf),
            ],
            RESIGNED_AT,
        ),
    );

    // The mixed-mode CTL after `utils ctl update CTLFile` picked up the regenerated
    // CallManager.pem (signed by eToken A on 2026-03-02).
    let mut records = tokens();
    records.extend([
        on_pub(&cluster.callmanager_pub_regenerated, Function::CcmTftp),
        on_sub1(&cluster.callmanager_sub1, Function::CcmTftp),
        on_pub(&cluster.capf_pub, Function::Capf),
    ]);
    add(
        "CTLFile-updated-sha1.tlv",
        build_at(
            token_signer(&cluster.token_a, TOKEN_A_ADN),
            &cluster.token_a.key,
            "CTLFile.tlv",
            records,
            RESIGNED_AT,
        ),
    );

    // An ITL still carrying a CAPF certificate that expired on 2021-01-01.
    add(
        "ITLFile-expired-capf-sha1.tlv",
        build(
            cluster_signer(&cluster.callmanager_pub, DigestAlgorithm::Sha1),
            &cluster.callmanager_pub.key,
            "ITLFile.tlv",
            vec![
                on_pub(&cluster.callmanager_pub, Function::Sast),
                on_pub(&cluster.callmanager_pub, Function::CcmTftp),
                on_pub(&cluster.tvs_pub, Function::Tvs),
                on_pub(&cluster.capf_expired, Function::Capf),
            ],
        ),
    );

    // "Prepare Cluster for Rollback to pre-8.0": the ITL the TFTP server then serves. The
    // signer's SAST record keeps its certificate; the TVS and CCM+TFTP records carry none, so a
    // phone holding it takes any new ITL and any config.
    add(
        "ITLFile-rollback-sha1.tlv",
        build(
            cluster_signer(&cluster.callmanager_pub, DigestAlgorithm::Sha1),
            &cluster.callmanager_pub.key,
            "ITLFile.tlv",
            vec![
                on_pub(&cluster.callmanager_pub, Function::Sast),
                placeholder_record("cucm-pub", Function::CcmTftp, PUB_IP),
                placeholder_record("cucm-pub", Function::Tvs, PUB_IP),
                on_pub(&cluster.capf_pub, Function::Capf),
            ],
        ),
    );

    for identity in cluster.identities() {
        let certificate = Certificate::from_der_bytes(&identity.certificate);
        add(
            &format!("cluster/{}.pem", identity.label),
            certificate
                .to_pem(LineEnding::LF)
                .expect("certificate PEM")
                .into_bytes(),
        );
        add(
            &format!("cluster/{}.key", identity.label),
            identity
                .key
                .to_pkcs8_pem(LineEnding::LF)
                .expect("key PEM")
                .as_bytes()
                .to_vec(),
        );
    }
    files.extend(signed_files(&cluster));
    // A copy cut short in transfer: its header and first records read, then RECORDLENGTH runs
    // past the end (what the README's exit-code table shows for a damaged copy).
    let cut = files
        .iter()
        .find(|fixture| fixture.path == "ITLFile-sha1.tlv")
        .map(|fixture| fixture.bytes[..5000].to_vec())
        .expect("ITLFile-sha1.tlv is generated above");
    files.push(Fixture {
        path: "damaged/ITLFile-cut-short.tlv".to_owned(),
        bytes: cut,
    });
    files
}

/// A phone's config as CUCM writes it, `SEP001122334455.cnf.xml`.
pub const CONFIG: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<device xsi:type=\"axl:XIPPhone\" ctiid=\"1\">
<fullConfig>true</fullConfig>
<deviceProtocol>SIP</deviceProtocol>
<devicePool>
<name>Default</name>
<callManagerGroup>
<members>
<member priority=\"0\">
<callManager>
<name>cucm-pub</name>
<ports><ethernetPhonePort>2000</ethernetPhonePort><sipPort>5060</sipPort><securedSipPort>5061</securedSipPort></ports>
<processNodeName>cucm-pub</processNodeName>
</callManager>
</member>
</members>
</callManagerGroup>
</devicePool>
<loadInformation>sip88xx.14-2-1-0101-20</loadInformation>
<capfAuthMode>0</capfAuthMode>
<deviceSecurityMode>3</deviceSecurityMode>
<TVS><members><member priority=\"0\"><port>2445</port><address>cucm-pub</address></member></members></TVS>
</device>
";

/// A signed file of the cluster: VERSION, signer, digest, FILENAME, optional TIMESTAMP.
fn signed_file(
    version: (u8, u8),
    signer: SignerInfo,
    key: &PrivateKey,
    filename: &str,
    timestamp: Option<u32>,
    extra_header: Vec<u8>,
    payload: &[u8],
) -> Vec<u8> {
    let digest = signer.digest;
    SignedFileBuilder {
        signer_version: None,
        version,
        signer,
        filename: filename.to_owned(),
        timestamp,
        extra_header,
        payload: payload.to_vec(),
    }
    .build(|data| ctlkit::format::sign(key, digest, data))
    .expect("build signed file")
}

/// Deterministic bytes that look random: ciphertext and wrapped keys for the encrypted config.
fn pseudo_random(label: &str, length: usize) -> Vec<u8> {
    use chacha20::rand_core::Rng;
    let seed: [u8; 32] = sha2::Sha256::digest(format!("ctlkit fixture bytes {label}")).into();
    let mut bytes = vec![0u8; length];
    ChaCha20Rng::from_seed(seed).fill_bytes(&mut bytes);
    bytes
}

fn element(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    out.extend_from_slice(&u16::try_from(value.len()).expect("short").to_be_bytes());
    out.extend_from_slice(value);
    out
}

/// An encrypted config for `phone`, as the TFTP server makes it: the config padded with
/// `\r` to whole AES blocks, AES-128-CBC under a fresh key and IV (here: from a seed), the key
/// RSA-wrapped (PKCS #1 v1.5) to the phone's certificate. Returns tags 16–27 and the
/// ciphertext.
fn encrypt_config(plaintext: &[u8], phone: &Identity) -> (Vec<u8>, Vec<u8>) {
    use aes::cipher::block_padding::NoPadding;
    use aes::cipher::{BlockModeEncrypt, KeyIvInit};

    let key = pseudo_random("aes key", 16);
    let iv = pseudo_random("iv", 16);
    let padding = 16 - plaintext.len() % 16;
    let mut buffer = plaintext.to_vec();
    buffer.extend(std::iter::repeat_n(b'\r', padding));
    let length = buffer.len();
    cbc::Encryptor::<aes::Aes128>::new_from_slices(&key, &iv)
        .expect("key and IV sizes")
        .encrypt_padded::<NoPadding>(&mut buffer, length)
        .expect("whole blocks");
    let seed: [u8; 32] = sha2::Sha256::digest(b"ctlkit fixture key wrap").into();
    let wrapped = PublicKey::from(&phone.key)
        .encrypt(
            &mut ChaCha20Rng::from_seed(seed),
            rsa::pkcs1v15::Pkcs1v15Encrypt,
            &key,
        )
        .expect("wrap the AES key");

    let mut iv_info = element(18, &[0]);
    iv_info.extend(element(19, &iv));
    iv_info.extend(element(
        20,
        &u16::try_from(padding).expect("one block").to_be_bytes(),
    ));
    let mut key_info = element(22, &[0]);
    key_info.extend(element(
        23,
        &u16::try_from(wrapped.len() * 8)
            .expect("bits")
            .to_be_bytes(),
    ));
    key_info.extend(element(24, &[1]));
    key_info.extend(element(25, &wrapped));
    let mut containers = element(17, &iv_info);
    containers.extend(element(21, &key_info));
    let mut block = element(16, &containers);
    block.extend(element(26, &[1]));
    block.extend(element(
        27,
        &<[u8; 20]>::from(sha1::Sha1::digest(plaintext)),
    ));
    (block, buffer)
}

/// Every signed file that is not a trust list (docs/FORMAT.md §9), under `signed/`.
fn signed_files(cluster: &Cluster) -> Vec<Fixture> {
    let config = CONFIG.as_bytes();
    let callmanager = |digest| cluster_signer(&cluster.callmanager_pub, digest);
    let mut files = Vec::new();
    let mut add = |path: &str, bytes: Vec<u8>| {
        files.push(Fixture {
            path: format!("signed/{path}"),
            bytes,
        })
    };
    // Configs signed by the TFTP node's CallManager key, as CUCM's TFTP service signs them.
    add(
        "SEP001122334455.cnf.xml.sgn",
        signed_file(
            (1, 0),
            callmanager(DigestAlgorithm::Sha1),
            &cluster.callmanager_pub.key,
            "SEP001122334455.cnf.xml.sgn",
            Some(SIGNED_AT),
            Vec::new(),
            config,
        ),
    );
    add(
        "SEP001122334455-sha512.cnf.xml.sgn",
        signed_file(
            (1, 0),
            callmanager(DigestAlgorithm::Sha512),
            &cluster.callmanager_pub.key,
            "SEP001122334455.cnf.xml.sgn",
            Some(SIGNED_AT),
            Vec::new(),
            config,
        ),
    );
    // No TIMESTAMP, and a FILENAME with a TFTP sub-folder.
    add(
        "g3-tones.xml.sgn",
        signed_file(
            (1, 0),
            callmanager(DigestAlgorithm::Sha1),
            &cluster.callmanager_pub.key,
            "Poland/g3-tones.xml.sgn",
            None,
            Vec::new(),
            b"<?xml version=\"1.0\"?>\n<tones country=\"PL\"><dial>425</dial></tones>\n",
        ),
    );
    // After `set cert regen CallManager`: the new key signs; phones hold the old one.
    add(
        "SEP001122334455-regenerated.cnf.xml.sgn",
        signed_file(
            (1, 0),
            cluster_signer(&cluster.callmanager_pub_regenerated, DigestAlgorithm::Sha1),
            &cluster.callmanager_pub_regenerated.key,
            "SEP001122334455.cnf.xml.sgn",
            Some(RESIGNED_AT),
            Vec::new(),
            config,
        ),
    );
    // Another cluster's TFTP server signed it (a phone moved between clusters).
    add(
        "SEP001122334455-other-cluster.cnf.xml.sgn",
        signed_file(
            (1, 0),
            cluster_signer(&cluster.callmanager_other_cluster, DigestAlgorithm::Sha1),
            &cluster.callmanager_other_cluster.key,
            "SEP001122334455.cnf.xml.sgn",
            Some(SIGNED_AT),
            Vec::new(),
            config,
        ),
    );
    // Changed after signing: one byte of the payload (the device pool's name).
    let mut altered = signed_file(
        (1, 0),
        callmanager(DigestAlgorithm::Sha1),
        &cluster.callmanager_pub.key,
        "SEP001122334455.cnf.xml.sgn",
        Some(SIGNED_AT),
        Vec::new(),
        config,
    );
    let position = altered
        .windows(7)
        .position(|window| window == b"Default")
        .expect("the device pool is in the config");
    altered[position] = b'd';
    add("SEP001122334455-altered.cnf.xml.sgn", altered);
    // An encrypted config: VERSION 2.0, tags 16–27 after TIMESTAMP, the ciphertext as
    // payload; cluster/Phone-SEP001122334455.key decrypts it.
    let (block, ciphertext) = encrypt_config(config, &cluster.phone);
    add(
        "SEP001122334455.cnf.xml.enc.sgn",
        signed_file(
            (2, 0),
            callmanager(DigestAlgorithm::Sha1),
            &cluster.callmanager_pub.key,
            "SEP001122334455.cnf.xml.enc.sgn",
            Some(SIGNED_AT),
            block,
            &ciphertext,
        ),
    );
    // Firmware look-alikes: VERSION 1.1, no TIMESTAMP, Cisco's placeholder signer fields,
    // signed by a key of our own standing in for Cisco's firmware key.
    let placeholder = |name: &str| SignerInfo {
        name: name.as_bytes().to_vec(),
        serial: vec![0x12, 0x34, 0x56, 0x78, 0x90, 0xab, 0xcd, 0xef],
        issuer: b"CN=someCA;OU=someOrgUnit;O=someOrg".to_vec(),
        digest: DigestAlgorithm::Sha1,
        signature_bits: 2048,
    };
    let firmware = |name: &str, signer: &str, payload: &[u8]| {
        signed_file(
            (1, 1),
            placeholder(signer),
            &cluster.firmware_lookalike.key,
            name,
            None,
            Vec::new(),
            payload,
        )
    };
    add(
        "SIP88xx.14-2-1-0101-20.loads",
        firmware(
            "SIP88xx.14-2-1-0101-20.loads",
            "CN=someSigner;OU=someOrgUnit;O=someOrg",
            b"# generated by ctlkit's fixture generator: a look-alike, not Cisco's\nsip88xx.14-2-1-0101-20\nkern88xx.14-2-1-0101-20.sebn\nrootfs88xx.14-2-1-0101-20.sebn\n",
        ),
    );
    add(
        "cmterm-lookalike.cop.sgn",
        firmware(
            "cmterm-lookalike.cop.sgn",
            "PT=3951_cop2;KT=dev;U1=ctlkit",
            &[
                0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x00,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            ],
        ),
    );
    add(
        "term-lookalike.sbn",
        firmware(
            "term-lookalike.sbn",
            "CN=someSigner;OU=someOrgUnit;O=someOrg",
            b"CNU_File_Archive\x00\x01look-alike payload, not Cisco's",
        ),
    );
    files
}

trait FromDerBytes {
    fn from_der_bytes(der: &[u8]) -> Self;
}

impl FromDerBytes for Certificate {
    fn from_der_bytes(der: &[u8]) -> Self {
        use x509_cert::der::Decode;
        Certificate::from_der(der).expect("decode own certificate")
    }
}

/// A CUCM 14 tokenless CTL with a multi-server SAN CallManager certificate: the same
/// certificate in the CCM+TFTP record of each node (and as the second SAST), ITLRecovery signs.
pub fn multi_server_ctl(cluster: &Cluster) -> Vec<u8> {
    let shared = &cluster.callmanager_pub;
    build(
        cluster_signer(&cluster.itl_recovery, DigestAlgorithm::Sha1),
        &cluster.itl_recovery.key,
        "CTLFile.tlv",
        vec![
            on_pub(&cluster.itl_recovery, Function::Sast),
            on_pub(shared, Function::Sast),
            on_pub(shared, Function::CcmTftp),
            record(shared, Function::CcmTftp, "cucm-sub1", SUB1_IP),
            on_pub(&cluster.capf_pub, Function::Capf),
        ],
    )
}
