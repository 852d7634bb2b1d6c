//! What went wrong with a token, always naming the slot, the token and the object, so one line
//! is enough to act on.

use std::path::PathBuf;

use cryptoki::error::Error as CryptokiError;

use ctlkit_format::file::header::DigestAlgorithm;

/// A slot and the token in it, as a person finds them in `ctlkit tokens`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenPlace {
    /// The module's slot number.
    pub slot: u64,
    /// The token's label.
    pub token: String,
}

impl std::fmt::Display for TokenPlace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "slot {}, token '{}'", self.slot, self.token)
    }
}

/// Why a PKCS #11 URI was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UriError {
    /// It does not start with `pkcs11:`.
    #[error("a PKCS #11 URI starts with 'pkcs11:'")]
    Scheme,
    /// An attribute without `=`.
    #[error("'{0}' is not NAME=VALUE")]
    NotAnAttribute(String),
    /// An attribute this tool does not know or does not take.
    #[error(
        "attribute '{0}' is not one ctlkit takes (token, manufacturer, model, serial, slot-id, slot-description, slot-manufacturer, object, id, type; module-path, pin-source)"
    )]
    Unknown(String),
    /// The same attribute twice.
    #[error("attribute '{0}' is given twice")]
    Duplicate(String),
    /// A `%` not followed by two hex digits, or text that is not UTF-8 once decoded.
    #[error("attribute '{0}': bad percent-encoding")]
    Encoding(String),
    /// `slot-id` that is not a number, `type` that is not a known class.
    #[error("attribute '{attribute}': '{value}' {problem}")]
    Value {
        /// Which attribute.
        attribute: String,
        /// What it said.
        value: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// `pin-value`: a PIN on a command line ends up in shell history and `ps`.
    #[error("pin-value would put the PIN on the command line, in shell history and in ps")]
    PinOnCommandLine,
}

/// Why a token could not be listed or could not sign.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Pkcs11Error {
    /// The module file did not load or initialise.
    #[error("PKCS #11 module {}: {source}", path.display())]
    Module {
        /// The module given.
        path: PathBuf,
        /// What the loader or C_Initialize said.
        #[source]
        source: CryptokiError,
    },
    /// No token matches the URI.
    #[error("no token matches {uri} (present: {present})")]
    NoToken {
        /// The URI as given.
        uri: String,
        /// The tokens the module offers, by label, or "none".
        present: String,
    },
    /// Several tokens match the URI.
    #[error("{uri} matches several tokens ({present}); add token= or serial=")]
    AmbiguousToken {
        /// The URI as given.
        uri: String,
        /// The matching tokens' labels.
        present: String,
    },
    /// The PIN was refused; never retried, tokens lock after a few tries.
    #[error("{place}: wrong PIN (not retried: tokens lock after a few wrong tries)")]
    WrongPin {
        /// Which token.
        place: TokenPlace,
    },
    /// The user PIN is locked.
    #[error("{place}: the user PIN is locked; unlock it with the token's administration tool")]
    PinLocked {
        /// Which token.
        place: TokenPlace,
    },
    /// The token says the next wrong PIN locks it: ctlkit will not spend that try.
    #[error(
        "{place}: one PIN try left before the token locks; ctlkit will not spend it (check the PIN with the token's own tool first)"
    )]
    PinFinalTry {
        /// Which token.
        place: TokenPlace,
    },
    /// The token needs a PIN and none was given.
    #[error("{place}: the token needs a PIN and none was given")]
    NoPin {
        /// Which token.
        place: TokenPlace,
    },
    /// No private key matches the URI.
    #[error("{place}: no private key matches {object}")]
    KeyNotFound {
        /// Which token.
        place: TokenPlace,
        /// The object part of the URI (label, id).
        object: String,
    },
    /// Several private keys match the URI.
    #[error("{place}: {object} matches {count} private keys; add object= or id=")]
    AmbiguousKey {
        /// Which token.
        place: TokenPlace,
        /// The object part of the URI.
        object: String,
        /// How many.
        count: usize,
    },
    /// The key is not RSA, or its public half cannot be read anywhere on the token.
    #[error("{place}: key {object} {problem}")]
    UnusableKey {
        /// Which token.
        place: TokenPlace,
        /// The key's label and id.
        object: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// No certificate for the key on the token.
    #[error("{place}: no certificate for key {object} on the token")]
    CertificateNotFound {
        /// Which token.
        place: TokenPlace,
        /// The key's label and id.
        object: String,
    },
    /// The token offers no allowed mechanism that signs with this digest.
    #[error("{place}: cannot sign with {digest}: the token does not offer {wanted}")]
    MechanismUnsupported {
        /// Which token.
        place: TokenPlace,
        /// The digest asked for.
        digest: DigestAlgorithm,
        /// The mechanisms that were allowed and looked for.
        wanted: String,
    },
    /// The digest code has no algorithm ctlkit can sign with.
    #[error("cannot sign with digest code {}", digest.code())]
    DigestUnsupported {
        /// The digest asked for.
        digest: DigestAlgorithm,
    },
    /// The device refused an operation.
    #[error("{place}: {operation} failed: {source}")]
    Device {
        /// Which token.
        place: TokenPlace,
        /// What was being done (listing objects, logging in, signing with key …).
        operation: String,
        /// What the module said.
        #[source]
        source: CryptokiError,
    },
}
