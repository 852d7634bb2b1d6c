//! Which mechanism signs: the token's own hash-and-sign (`CKM_SHA*_RSA_PKCS`) when it has
//! one, else raw `CKM_RSA_PKCS` over a DigestInfo built here (old eTokens offer only that).
//! Both give the same bytes: RSA PKCS #1 v1.5 is deterministic.

use cryptoki::mechanism::{Mechanism, MechanismType};
use der::Encode;
use der::asn1::{AnyRef, ObjectIdentifier, OctetStringRef};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};
use spki::AlgorithmIdentifierRef;

use ctlkit_format::file::header::DigestAlgorithm;

/// How to sign on a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MechanismChoice {
    /// The token's hash-and-sign mechanism when it offers one, else raw RSA.
    #[default]
    Auto,
    /// Only `CKM_SHA1_RSA_PKCS` / `CKM_SHA256_RSA_PKCS` / `CKM_SHA512_RSA_PKCS`.
    HashOnToken,
    /// Only `CKM_RSA_PKCS`, the digest computed here (for tokens whose hash-and-sign is
    /// broken or missing).
    RawRsa,
}

/// The mechanism chosen for one digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Chosen {
    /// The token hashes and signs.
    HashOnToken(MechanismType),
    /// The token signs a DigestInfo this library built.
    RawRsa,
}

/// The hash-and-sign mechanism for a digest, and its name for messages.
pub(crate) fn hash_and_sign(digest: DigestAlgorithm) -> Option<(MechanismType, &'static str)> {
    match digest {
        DigestAlgorithm::Sha1 => Some((MechanismType::SHA1_RSA_PKCS, "CKM_SHA1_RSA_PKCS")),
        DigestAlgorithm::Sha256 => Some((MechanismType::SHA256_RSA_PKCS, "CKM_SHA256_RSA_PKCS")),
        DigestAlgorithm::Sha512 => Some((MechanismType::SHA512_RSA_PKCS, "CKM_SHA512_RSA_PKCS")),
        DigestAlgorithm::Other(_) => None,
    }
}

/// Picks the mechanism from what the token offers; `None` when nothing allowed is offered.
pub(crate) fn choose(
    digest: DigestAlgorithm,
    choice: MechanismChoice,
    offered: &[MechanismType],
) -> Option<Chosen> {
    let on_token = hash_and_sign(digest)
        .map(|(mechanism, _)| mechanism)
        .filter(|mechanism| offered.contains(mechanism))
        .map(Chosen::HashOnToken);
    let raw = offered
        .contains(&MechanismType::RSA_PKCS)
        .then_some(Chosen::RawRsa);
    match choice {
        MechanismChoice::Auto => on_token.or(raw),
        MechanismChoice::HashOnToken => on_token,
        MechanismChoice::RawRsa => raw,
    }
}

/// The mechanism to pass to C_Sign for a hash-and-sign type.
pub(crate) fn mechanism_for(mechanism: MechanismType) -> Option<Mechanism<'static>> {
    match mechanism {
        MechanismType::SHA1_RSA_PKCS => Some(Mechanism::Sha1RsaPkcs),
        MechanismType::SHA256_RSA_PKCS => Some(Mechanism::Sha256RsaPkcs),
        MechanismType::SHA512_RSA_PKCS => Some(Mechanism::Sha512RsaPkcs),
        _ => None,
    }
}

/// RFC 8017 §9.2's `DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier, digest
/// OCTET STRING }`, parameters NULL as every verifier expects.
#[derive(der::Sequence)]
struct DigestInfo<'a> {
    algorithm: AlgorithmIdentifierRef<'a>,
    digest: &'a OctetStringRef,
}

/// The DER DigestInfo of `data`'s hash: what `CKM_RSA_PKCS` pads and signs.
pub(crate) fn digest_info(digest: DigestAlgorithm, data: &[u8]) -> Option<Vec<u8>> {
    use rsa::pkcs8::AssociatedOid;
    let (oid, hash): (ObjectIdentifier, Vec<u8>) = match digest {
        DigestAlgorithm::Sha1 => (Sha1::OID, Sha1::digest(data).to_vec()),
        DigestAlgorithm::Sha256 => (Sha256::OID, Sha256::digest(data).to_vec()),
        DigestAlgorithm::Sha512 => (Sha512::OID, Sha512::digest(data).to_vec()),
        DigestAlgorithm::Other(_) => return None,
    };
    DigestInfo {
        algorithm: AlgorithmIdentifierRef {
            oid,
            parameters: Some(AnyRef::NULL),
        },
        digest: OctetStringRef::new(&hash).ok()?,
    }
    .to_der()
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::pkcs1v15::Pkcs1v15Sign;

    #[test]
    fn the_digest_info_is_the_one_rsa_signers_prefix() {
        // The rsa crate's prefixes are an independent statement of RFC 8017's table.
        fn check<D: Digest + rsa::pkcs8::AssociatedOid>(digest: DigestAlgorithm) {
            let data = b"SEP001122334455.cnf.xml";
            let info = digest_info(digest, data).unwrap();
            let prefix = Pkcs1v15Sign::new::<D>().prefix;
            assert_eq!(&info[..prefix.len()], &prefix[..], "{digest}");
            assert_eq!(
                &info[prefix.len()..],
                D::digest(data).as_slice(),
                "{digest}"
            );
        }
        check::<Sha1>(DigestAlgorithm::Sha1);
        check::<Sha256>(DigestAlgorithm::Sha256);
        check::<Sha512>(DigestAlgorithm::Sha512);
        assert_eq!(digest_info(DigestAlgorithm::Other(9), b"x"), None);
    }

    #[test]
    fn the_token_hashes_when_it_can_and_raw_rsa_is_the_fallback() {
        let everything = [
            MechanismType::RSA_PKCS,
            MechanismType::SHA1_RSA_PKCS,
            MechanismType::SHA256_RSA_PKCS,
        ];
        let old_etoken = [MechanismType::RSA_PKCS];
        let sha256 = DigestAlgorithm::Sha256;
        let sha512 = DigestAlgorithm::Sha512;
        use MechanismChoice::{Auto, HashOnToken, RawRsa};
        assert_eq!(
            choose(sha256, Auto, &everything),
            Some(Chosen::HashOnToken(MechanismType::SHA256_RSA_PKCS))
        );
        assert_eq!(choose(sha512, Auto, &everything), Some(Chosen::RawRsa));
        assert_eq!(choose(sha256, Auto, &old_etoken), Some(Chosen::RawRsa));
        assert_eq!(choose(sha256, RawRsa, &everything), Some(Chosen::RawRsa));
        assert_eq!(choose(sha256, HashOnToken, &old_etoken), None);
        assert_eq!(choose(sha512, HashOnToken, &everything), None);
        assert_eq!(choose(sha256, Auto, &[]), None);
        assert_eq!(
            choose(DigestAlgorithm::Other(7), HashOnToken, &everything),
            None
        );
    }
}
