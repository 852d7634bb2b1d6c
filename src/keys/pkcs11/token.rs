//! Loading a module, finding the token a URI names, logging in once, and signing with a key
//! that never leaves the token.

use std::path::{Path, PathBuf};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CryptokiError, RvError};
use cryptoki::mechanism::{Mechanism, MechanismType};
use cryptoki::object::{
    Attribute, AttributeType, CertificateType, KeyType, ObjectClass, ObjectHandle,
};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;

use super::error::{Pkcs11Error, TokenPlace};
use super::mechanism::{
    Chosen, MechanismChoice, choose, digest_info, hash_and_sign, mechanism_for,
};
use super::uri::Pkcs11Uri;
use ctlkit_format::file::header::DigestAlgorithm;
use ctlkit_format::sign::signer::{RsaPublicParts, RsaSigner, SignerError};

/// A loaded and initialised PKCS #11 module (the vendor's `.so`: SafeNet's `libeTPkcs11.so`,
/// SoftHSM's `libsofthsm2.so`, OpenSC's `opensc-pkcs11.so`).
#[derive(Debug)]
pub struct Pkcs11Module {
    context: Pkcs11,
    path: PathBuf,
}

impl Pkcs11Module {
    /// Loads the module and calls C_Initialize (a module another part of the process has
    /// initialised already is fine).
    ///
    /// # Errors
    ///
    /// [`Pkcs11Error::Module`] when the file does not load or initialise.
    pub fn load(path: &Path) -> Result<Self, Pkcs11Error> {
        let failed = |source| Pkcs11Error::Module {
            path: path.to_owned(),
            source,
        };
        let context = Pkcs11::new(path).map_err(failed)?;
        match context.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
            Ok(()) | Err(CryptokiError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
            Err(error) => return Err(failed(error)),
        }
        Ok(Pkcs11Module {
            context,
            path: path.to_owned(),
        })
    }

    /// The module's path, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn context(&self) -> &Pkcs11 {
        &self.context
    }

    fn module_error(&self, source: CryptokiError) -> Pkcs11Error {
        Pkcs11Error::Module {
            path: self.path.clone(),
            source,
        }
    }

    /// Every slot holding an initialised token (a blank one has nothing to sign with), with
    /// what the token says about itself.
    pub(crate) fn tokens(&self) -> Result<Vec<Token<'_>>, Pkcs11Error> {
        let slots = self
            .context
            .get_slots_with_initialized_token()
            .map_err(|error| self.module_error(error))?;
        let mut tokens = Vec::new();
        for slot in slots {
            let info = self
                .context
                .get_token_info(slot)
                .map_err(|error| self.module_error(error))?;
            let slot_info = self
                .context
                .get_slot_info(slot)
                .map_err(|error| self.module_error(error))?;
            tokens.push(Token {
                module: self,
                slot,
                place: TokenPlace {
                    slot: slot.id(),
                    token: info.label().to_owned(),
                },
                manufacturer: info.manufacturer_id().to_owned(),
                model: info.model().to_owned(),
                serial: info.serial_number().to_owned(),
                slot_description: slot_info.slot_description().to_owned(),
                slot_manufacturer: slot_info.manufacturer_id().to_owned(),
                login_required: info.login_required(),
                protected_path: info.protected_authentication_path(),
                pin_locked: info.user_pin_locked(),
                pin_final_try: info.user_pin_final_try(),
            });
        }
        Ok(tokens)
    }

    /// The one token the URI's token and slot attributes name.
    ///
    /// # Errors
    ///
    /// [`Pkcs11Error::NoToken`] or [`Pkcs11Error::AmbiguousToken`], listing what is there.
    pub fn find_token(&self, uri: &Pkcs11Uri) -> Result<Token<'_>, Pkcs11Error> {
        let tokens = self.tokens()?;
        let labels = |tokens: &[&Token<'_>]| {
            if tokens.is_empty() {
                "none".to_owned()
            } else {
                tokens
                    .iter()
                    .map(|token| format!("'{}' in slot {}", token.place.token, token.place.slot))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let matching: Vec<&Token<'_>> = tokens.iter().filter(|token| token.matches(uri)).collect();
        match matching.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(Pkcs11Error::NoToken {
                uri: uri.to_string(),
                present: labels(&tokens.iter().collect::<Vec<_>>()),
            }),
            several => Err(Pkcs11Error::AmbiguousToken {
                uri: uri.to_string(),
                present: labels(several),
            }),
        }
    }
}

/// A token in a slot, before logging in.
#[derive(Debug, Clone)]
pub struct Token<'m> {
    module: &'m Pkcs11Module,
    slot: Slot,
    place: TokenPlace,
    /// The token's manufacturer.
    pub manufacturer: String,
    /// Its model.
    pub model: String,
    /// Its serial number.
    pub serial: String,
    /// The slot's description (the reader's name for a USB token).
    pub slot_description: String,
    /// The slot's manufacturer.
    pub slot_manufacturer: String,
    /// Whether keys need a login.
    pub login_required: bool,
    /// Whether the PIN is typed on the device itself.
    pub protected_path: bool,
    /// Whether the user PIN is locked.
    pub pin_locked: bool,
    /// Whether the next wrong PIN locks it.
    pub pin_final_try: bool,
}

impl<'m> Token<'m> {
    /// Where it is: slot and label.
    pub fn place(&self) -> &TokenPlace {
        &self.place
    }

    /// Whether a PIN must come from the person (no PIN pad, login required).
    pub fn needs_pin(&self) -> bool {
        self.login_required && !self.protected_path
    }

    fn matches(&self, uri: &Pkcs11Uri) -> bool {
        let same = |wanted: &Option<String>, actual: &str| {
            wanted.as_deref().is_none_or(|wanted| wanted == actual)
        };
        same(&uri.token, &self.place.token)
            && same(&uri.manufacturer, &self.manufacturer)
            && same(&uri.model, &self.model)
            && same(&uri.serial, &self.serial)
            && same(&uri.slot_description, &self.slot_description)
            && same(&uri.slot_manufacturer, &self.slot_manufacturer)
            && uri.slot_id.is_none_or(|slot| slot == self.place.slot)
    }

    fn device(&self, operation: impl Into<String>) -> impl FnOnce(CryptokiError) -> Pkcs11Error {
        let place = self.place.clone();
        let operation = operation.into();
        move |source| Pkcs11Error::Device {
            place,
            operation,
            source,
        }
    }

    pub(crate) fn slot(&self) -> Slot {
        self.slot
    }

    /// A read-only session without logging in: public objects only.
    pub(crate) fn open_session(&self) -> Result<Session, Pkcs11Error> {
        self.module
            .context()
            .open_ro_session(self.slot)
            .map_err(self.device("opening a session"))
    }

    /// Opens a read-only session and logs in once with `pin` (`None` for a PIN pad or a token
    /// that needs no login). A refused PIN is never tried again, and a token one wrong try
    /// from locking is not tried at all.
    ///
    /// # Errors
    ///
    /// [`Pkcs11Error::PinLocked`], [`Pkcs11Error::PinFinalTry`], [`Pkcs11Error::NoPin`],
    /// [`Pkcs11Error::WrongPin`], or [`Pkcs11Error::Device`].
    pub fn log_in(&self, pin: Option<&str>) -> Result<Session, Pkcs11Error> {
        let session = self.open_session()?;
        if !self.login_required {
            return Ok(session);
        }
        if self.pin_locked {
            return Err(Pkcs11Error::PinLocked {
                place: self.place.clone(),
            });
        }
        if self.pin_final_try {
            return Err(Pkcs11Error::PinFinalTry {
                place: self.place.clone(),
            });
        }
        let pin = match (pin, self.protected_path) {
            (Some(pin), _) => Some(AuthPin::from(pin.to_owned())),
            (None, true) => None,
            (None, false) => {
                return Err(Pkcs11Error::NoPin {
                    place: self.place.clone(),
                });
            }
        };
        match session.login(UserType::User, pin.as_ref()) {
            Ok(()) | Err(CryptokiError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => Ok(session),
            Err(CryptokiError::Pkcs11(RvError::PinIncorrect | RvError::PinInvalid, _)) => {
                Err(Pkcs11Error::WrongPin {
                    place: self.place.clone(),
                })
            }
            Err(CryptokiError::Pkcs11(RvError::PinLocked, _)) => Err(Pkcs11Error::PinLocked {
                place: self.place.clone(),
            }),
            Err(error) => Err(self.device("logging in")(error)),
        }
    }

    /// Logs in and finds the one RSA private key the URI's object attributes name, with its
    /// public half and (when the token holds one) its certificate.
    ///
    /// # Errors
    ///
    /// Login errors as [`Token::log_in`]; [`Pkcs11Error::KeyNotFound`],
    /// [`Pkcs11Error::AmbiguousKey`], [`Pkcs11Error::UnusableKey`].
    pub fn signer(
        &self,
        uri: &Pkcs11Uri,
        pin: Option<&str>,
        choice: MechanismChoice,
    ) -> Result<TokenSigner, Pkcs11Error> {
        let session = self.log_in(pin)?;
        let mut template = vec![Attribute::Class(ObjectClass::PRIVATE_KEY)];
        template.extend(object_filter(uri));
        let keys = session
            .find_objects(&template)
            .map_err(self.device("looking for private keys"))?;
        let key = match keys.as_slice() {
            [one] => *one,
            [] => {
                return Err(Pkcs11Error::KeyNotFound {
                    place: self.place.clone(),
                    object: uri.object_part(),
                });
            }
            several => {
                return Err(Pkcs11Error::AmbiguousKey {
                    place: self.place.clone(),
                    object: uri.object_part(),
                    count: several.len(),
                });
            }
        };
        let facts = ObjectFacts::read(&session, key).map_err(self.device("reading the key"))?;
        let object = facts.describe();
        let unusable = |problem| Pkcs11Error::UnusableKey {
            place: self.place.clone(),
            object: object.clone(),
            problem,
        };
        if facts.key_type.is_some_and(|kind| kind != KeyType::RSA) {
            return Err(unusable("is not an RSA key"));
        }
        if facts.can_sign == Some(false) {
            return Err(unusable("may not sign (CKA_SIGN is false)"));
        }
        let public = match facts.public_parts() {
            Some(parts) => parts,
            None => public_half_elsewhere(&session, &facts)
                .map_err(self.device("looking for the public key"))?
                .ok_or_else(|| unusable("has no readable modulus, public key or certificate"))?,
        };
        let certificate = certificate_for(&session, &facts)
            .map_err(self.device("looking for the certificate"))?;
        let offered = self
            .module
            .context()
            .get_mechanism_list(self.slot)
            .map_err(self.device("listing mechanisms"))?;
        Ok(TokenSigner {
            session,
            key,
            place: self.place.clone(),
            object,
            public,
            certificate,
            offered,
            choice,
        })
    }
}

/// The URI's object attributes as a search template.
fn object_filter(uri: &Pkcs11Uri) -> Vec<Attribute> {
    let mut template = Vec::new();
    if let Some(label) = &uri.object {
        template.push(Attribute::Label(label.as_bytes().to_vec()));
    }
    if let Some(id) = &uri.id {
        template.push(Attribute::Id(id.clone()));
    }
    template
}

/// What an object says about itself; attributes a token hides are `None`.
#[derive(Debug, Default)]
pub(crate) struct ObjectFacts {
    pub label: Vec<u8>,
    pub id: Vec<u8>,
    pub key_type: Option<KeyType>,
    pub can_sign: Option<bool>,
    pub modulus: Option<Vec<u8>>,
    pub exponent: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
}

impl ObjectFacts {
    pub(crate) fn read(session: &Session, object: ObjectHandle) -> Result<Self, CryptokiError> {
        let attributes = session.get_attributes(
            object,
            &[
                AttributeType::Label,
                AttributeType::Id,
                AttributeType::KeyType,
                AttributeType::Sign,
                AttributeType::Modulus,
                AttributeType::PublicExponent,
                AttributeType::Value,
            ],
        )?;
        let mut facts = ObjectFacts::default();
        for attribute in attributes {
            match attribute {
                Attribute::Label(label) => facts.label = label,
                Attribute::Id(id) => facts.id = id,
                Attribute::KeyType(kind) => facts.key_type = Some(kind),
                Attribute::Sign(sign) => facts.can_sign = Some(sign),
                Attribute::Modulus(modulus) => facts.modulus = Some(modulus),
                Attribute::PublicExponent(exponent) => facts.exponent = Some(exponent),
                Attribute::Value(value) => facts.value = Some(value),
                _ => {}
            }
        }
        Ok(facts)
    }

    pub(crate) fn label_text(&self) -> String {
        String::from_utf8_lossy(&self.label).into_owned()
    }

    /// `object=LABEL;id=%XX` as a URI would name it.
    pub(crate) fn describe(&self) -> String {
        Pkcs11Uri::for_object("", &self.label_text(), &self.id).object_part()
    }

    pub(crate) fn public_parts(&self) -> Option<RsaPublicParts> {
        match (&self.modulus, &self.exponent) {
            (Some(modulus), Some(exponent)) if !modulus.is_empty() => {
                Some(RsaPublicParts::new(modulus, exponent))
            }
            _ => None,
        }
    }

    /// The template that finds this object's companions: same CKA_ID, else same label.
    fn companion_filter(&self) -> Vec<Attribute> {
        if self.id.is_empty() {
            vec![Attribute::Label(self.label.clone())]
        } else {
            vec![Attribute::Id(self.id.clone())]
        }
    }
}

/// A public key object beside the private key (tokens that hide a private key's modulus).
fn public_half_elsewhere(
    session: &Session,
    key: &ObjectFacts,
) -> Result<Option<RsaPublicParts>, CryptokiError> {
    let mut template = vec![Attribute::Class(ObjectClass::PUBLIC_KEY)];
    template.extend(key.companion_filter());
    for object in session.find_objects(&template)? {
        if let Some(parts) = ObjectFacts::read(session, object)?.public_parts() {
            return Ok(Some(parts));
        }
    }
    Ok(None)
}

/// The X.509 certificate beside the key, DER.
fn certificate_for(session: &Session, key: &ObjectFacts) -> Result<Option<Vec<u8>>, CryptokiError> {
    let mut template = vec![
        Attribute::Class(ObjectClass::CERTIFICATE),
        Attribute::CertificateType(CertificateType::X_509),
    ];
    template.extend(key.companion_filter());
    for object in session.find_objects(&template)? {
        if let Some(value) = ObjectFacts::read(session, object)?.value {
            return Ok(Some(value));
        }
    }
    Ok(None)
}

/// A logged-in session and the key it signs with.
pub struct TokenSigner {
    session: Session,
    key: ObjectHandle,
    place: TokenPlace,
    object: String,
    public: RsaPublicParts,
    certificate: Option<Vec<u8>>,
    offered: Vec<MechanismType>,
    choice: MechanismChoice,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSigner")
            .field("place", &self.place)
            .field("object", &self.object)
            .field("choice", &self.choice)
            .finish_non_exhaustive()
    }
}

impl TokenSigner {
    /// The certificate stored beside the key (same CKA_ID), DER, when the token has one.
    pub fn certificate(&self) -> Option<&[u8]> {
        self.certificate.as_deref()
    }

    /// Where the key is, for messages.
    pub fn place(&self) -> &TokenPlace {
        &self.place
    }

    /// The key as a URI names it (`object=…;id=…`).
    pub fn object(&self) -> &str {
        &self.object
    }

    /// Signs with the token's hash-and-sign mechanism or raw RSA, as `choice` allows.
    ///
    /// # Errors
    ///
    /// [`Pkcs11Error::MechanismUnsupported`], [`Pkcs11Error::DigestUnsupported`] or the
    /// device's refusal.
    pub fn sign_on_token(
        &self,
        digest: DigestAlgorithm,
        data: &[u8],
    ) -> Result<Vec<u8>, Pkcs11Error> {
        let (_, name) = hash_and_sign(digest).ok_or(Pkcs11Error::DigestUnsupported { digest })?;
        let chosen = choose(digest, self.choice, &self.offered).ok_or_else(|| {
            Pkcs11Error::MechanismUnsupported {
                place: self.place.clone(),
                digest,
                wanted: match self.choice {
                    MechanismChoice::Auto => format!("{name} or CKM_RSA_PKCS"),
                    MechanismChoice::HashOnToken => name.to_owned(),
                    MechanismChoice::RawRsa => "CKM_RSA_PKCS".to_owned(),
                },
            }
        })?;
        let failed = |source| Pkcs11Error::Device {
            place: self.place.clone(),
            operation: format!("signing with key {}", self.object),
            source,
        };
        match chosen {
            Chosen::HashOnToken(mechanism) => {
                let mechanism =
                    mechanism_for(mechanism).ok_or(Pkcs11Error::DigestUnsupported { digest })?;
                self.session
                    .sign(&mechanism, self.key, data)
                    .map_err(failed)
            }
            Chosen::RawRsa => {
                let info =
                    digest_info(digest, data).ok_or(Pkcs11Error::DigestUnsupported { digest })?;
                self.session
                    .sign(&Mechanism::RsaPkcs, self.key, &info)
                    .map_err(failed)
            }
        }
    }
}

impl RsaSigner for TokenSigner {
    fn public_key(&self) -> Result<RsaPublicParts, SignerError> {
        Ok(self.public.clone())
    }

    fn sign(&self, digest: DigestAlgorithm, data: &[u8]) -> Result<Vec<u8>, SignerError> {
        self.sign_on_token(digest, data).map_err(SignerError::new)
    }
}
