//! What a module offers: slots, tokens and the certificates and keys on each, with the URI
//! that names each object, so an administrator finds the `--signer-pkcs11` to use.

use cryptoki::mechanism::MechanismType;
use cryptoki::object::{Attribute, ObjectClass};
use cryptoki::session::Session;
use x509_parser::prelude::{FromDer, X509Certificate};

use super::error::Pkcs11Error;
use super::mechanism::hash_and_sign;
use super::token::{ObjectFacts, Pkcs11Module, Token};
use super::uri::Pkcs11Uri;
use ctlkit_format::cert::names::cucm_name;
use ctlkit_format::cert::serial::Serial;
use ctlkit_format::file::header::DigestAlgorithm;

/// One token and what is on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInventory {
    /// The slot number.
    pub slot: u64,
    /// The slot's description (the reader's name).
    pub slot_description: String,
    /// The token's label.
    pub label: String,
    /// Its manufacturer.
    pub manufacturer: String,
    /// Its model.
    pub model: String,
    /// Its serial number.
    pub serial: String,
    /// Whether keys need a login.
    pub login_required: bool,
    /// Whether this listing logged in (so private keys are listed too).
    pub logged_in: bool,
    /// Whether the user PIN is locked.
    pub pin_locked: bool,
    /// Whether the next wrong PIN locks it.
    pub pin_final_try: bool,
    /// How it can sign.
    pub signing: SigningSupport,
    /// The objects it shows.
    pub objects: Vec<TokenObject>,
}

/// Which RSA PKCS #1 v1.5 mechanisms the token offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SigningSupport {
    /// `CKM_SHA1_RSA_PKCS`.
    pub sha1: bool,
    /// `CKM_SHA256_RSA_PKCS`.
    pub sha256: bool,
    /// `CKM_SHA512_RSA_PKCS`.
    pub sha512: bool,
    /// `CKM_RSA_PKCS`: any digest, hashed by ctlkit.
    pub raw: bool,
}

/// A certificate or key on a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenObject {
    /// What it is.
    pub class: ObjectClassName,
    /// CKA_LABEL.
    pub label: String,
    /// CKA_ID, bytes.
    pub id: Vec<u8>,
    /// A certificate's subject, in CUCM's `;` style.
    pub subject: Option<String>,
    /// A certificate's serial number.
    pub serial: Option<String>,
    /// An RSA key's size (a certificate's key for a certificate).
    pub key_bits: Option<usize>,
    /// The URI naming it.
    pub uri: String,
}

/// The object classes listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectClassName {
    /// An X.509 certificate.
    Certificate,
    /// A private key.
    PrivateKey,
    /// A public key.
    PublicKey,
}

impl ObjectClassName {
    /// A stable name for reports.
    pub fn code(self) -> &'static str {
        match self {
            ObjectClassName::Certificate => "certificate",
            ObjectClassName::PrivateKey => "private_key",
            ObjectClassName::PublicKey => "public_key",
        }
    }
}

/// Lists every token of the module. `log_in` picks the tokens to log in to (private keys are
/// hidden until then) and gives their PIN; returning `None` lists the token without logging
/// in.
///
/// # Errors
///
/// [`Pkcs11Error`] when the module cannot list slots, or a login asked for fails (a wrong PIN
/// is never retried).
pub fn inventory(
    module: &Pkcs11Module,
    mut log_in: impl FnMut(&Token<'_>) -> Option<Option<String>>,
) -> Result<Vec<TokenInventory>, Pkcs11Error> {
    let mut listed = Vec::new();
    for token in module.tokens()? {
        let offered = module
            .context()
            .get_mechanism_list(token.slot())
            .unwrap_or_default();
        let login = log_in(&token);
        let logged_in = login.is_some() && token.login_required;
        let session = match login {
            Some(pin) => token.log_in(pin.as_deref())?,
            None => token.open_session()?,
        };
        let objects = objects_on(&session, &token).map_err(|source| Pkcs11Error::Device {
            place: token.place().clone(),
            operation: "listing objects".to_owned(),
            source,
        })?;
        let supported = |digest| {
            hash_and_sign(digest).is_some_and(|(mechanism, _)| offered.contains(&mechanism))
        };
        listed.push(TokenInventory {
            slot: token.place().slot,
            slot_description: token.slot_description.clone(),
            label: token.place().token.clone(),
            manufacturer: token.manufacturer.clone(),
            model: token.model.clone(),
            serial: token.serial.clone(),
            login_required: token.login_required,
            logged_in,
            pin_locked: token.pin_locked,
            pin_final_try: token.pin_final_try,
            signing: SigningSupport {
                sha1: supported(DigestAlgorithm::Sha1),
                sha256: supported(DigestAlgorithm::Sha256),
                sha512: supported(DigestAlgorithm::Sha512),
                raw: offered.contains(&MechanismType::RSA_PKCS),
            },
            objects,
        });
    }
    Ok(listed)
}

fn objects_on(
    session: &Session,
    token: &Token<'_>,
) -> Result<Vec<TokenObject>, cryptoki::error::Error> {
    let mut objects = Vec::new();
    for (class, name) in [
        (ObjectClass::CERTIFICATE, ObjectClassName::Certificate),
        (ObjectClass::PRIVATE_KEY, ObjectClassName::PrivateKey),
        (ObjectClass::PUBLIC_KEY, ObjectClassName::PublicKey),
    ] {
        for handle in session.find_objects(&[Attribute::Class(class)])? {
            let facts = ObjectFacts::read(session, handle)?;
            let label = facts.label_text();
            let mut object = TokenObject {
                class: name,
                uri: Pkcs11Uri::for_object(&token.place().token, &label, &facts.id).to_string(),
                label,
                id: facts.id.clone(),
                subject: None,
                serial: None,
                key_bits: facts.public_parts().map(|parts| parts.signature_bits()),
            };
            if name == ObjectClassName::Certificate {
                describe_certificate(facts.value.as_deref().unwrap_or_default(), &mut object);
            }
            objects.push(object);
        }
    }
    Ok(objects)
}

fn describe_certificate(der: &[u8], object: &mut TokenObject) {
    let Ok((_, certificate)) = X509Certificate::from_der(der) else {
        return;
    };
    object.subject = Some(cucm_name(certificate.subject()));
    object.serial = Some(Serial::from_der_integer(certificate.raw_serial()).to_string());
    object.key_bits = certificate
        .public_key()
        .parsed()
        .ok()
        .map(|key| key.key_size());
}
