//! `ctlkit tokens`: what a PKCS #11 module offers, and the URI for each object.

use serde::Serialize;

use super::Render;
use crate::keys::pkcs11::{ObjectClassName, TokenInventory, TokenObject};

/// The tokens of one module.
#[derive(Debug, Clone)]
pub struct TokensReport<'a> {
    /// The module's path, as given.
    pub module: &'a str,
    /// What each token holds.
    pub tokens: &'a [TokenInventory],
}

/// JSON: `{module, tokens: [{slot, label, …, objects: [{class, label, id, …, uri}]}]}`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TokensJson {
    /// The module's path.
    pub module: String,
    /// One entry per token.
    pub tokens: Vec<TokenJson>,
}

/// One token.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TokenJson {
    /// Slot number.
    pub slot: u64,
    /// Slot description.
    pub slot_description: String,
    /// Token label.
    pub label: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// Model.
    pub model: String,
    /// Serial number.
    pub serial: String,
    /// Whether keys need a login.
    pub login_required: bool,
    /// Whether the listing logged in (private keys listed).
    pub logged_in: bool,
    /// Whether the user PIN is locked.
    pub pin_locked: bool,
    /// Whether the next wrong PIN locks the token.
    pub pin_final_try: bool,
    /// Digests it can sign with on the token, and whether raw RSA (CKM_RSA_PKCS) is offered.
    pub signs: SignsJson,
    /// Its certificates and keys.
    pub objects: Vec<TokenObjectJson>,
}

/// Signing mechanisms offered.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SignsJson {
    /// CKM_SHA1_RSA_PKCS.
    pub sha1: bool,
    /// CKM_SHA256_RSA_PKCS.
    pub sha256: bool,
    /// CKM_SHA512_RSA_PKCS.
    pub sha512: bool,
    /// CKM_RSA_PKCS.
    pub rsa_pkcs: bool,
}

/// One object.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TokenObjectJson {
    /// `certificate`, `private_key` or `public_key`.
    pub class: &'static str,
    /// CKA_LABEL.
    pub label: String,
    /// CKA_ID, hex.
    pub id: String,
    /// A certificate's subject.
    pub subject: Option<String>,
    /// A certificate's serial number.
    pub serial: Option<String>,
    /// The RSA key size.
    pub key_bits: Option<usize>,
    /// The URI naming it.
    pub uri: String,
}

impl Render for TokensReport<'_> {
    type Json = TokensJson;

    fn text(&self, _color: bool) -> String {
        let mut out = format!("PKCS #11 module {}\n", self.module);
        if self.tokens.is_empty() {
            out.push_str("no token present\n");
        }
        for token in self.tokens {
            out.push_str(&format!(
                "\nslot {} ({}): token '{}'\n",
                token.slot, token.slot_description, token.label
            ));
            out.push_str(&format!(
                "  {} {}, serial {}\n",
                token.manufacturer, token.model, token.serial
            ));
            out.push_str(&format!("  PIN: {}\n", pin_state(token)));
            out.push_str(&format!("  signs: {}\n", signs(token)));
            if token.objects.is_empty() {
                out.push_str("  no objects visible\n");
            }
            for object in &token.objects {
                out.push_str(&object_lines(object));
            }
            if token.login_required && !token.logged_in {
                out.push_str("  (private keys are hidden until login: add --login to list them)\n");
            }
        }
        out
    }

    fn json(&self) -> TokensJson {
        TokensJson {
            module: self.module.to_owned(),
            tokens: self
                .tokens
                .iter()
                .map(|token| TokenJson {
                    slot: token.slot,
                    slot_description: token.slot_description.clone(),
                    label: token.label.clone(),
                    manufacturer: token.manufacturer.clone(),
                    model: token.model.clone(),
                    serial: token.serial.clone(),
                    login_required: token.login_required,
                    logged_in: token.logged_in,
                    pin_locked: token.pin_locked,
                    pin_final_try: token.pin_final_try,
                    signs: SignsJson {
                        sha1: token.signing.sha1,
                        sha256: token.signing.sha256,
                        sha512: token.signing.sha512,
                        rsa_pkcs: token.signing.raw,
                    },
                    objects: token
                        .objects
                        .iter()
                        .map(|object| TokenObjectJson {
                            class: object.class.code(),
                            label: object.label.clone(),
                            id: hex::encode(&object.id),
                            subject: object.subject.clone(),
                            serial: object.serial.clone(),
                            key_bits: object.key_bits,
                            uri: object.uri.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

fn pin_state(token: &TokenInventory) -> &'static str {
    match (
        token.login_required,
        token.pin_locked,
        token.pin_final_try,
        token.logged_in,
    ) {
        (false, ..) => "not needed",
        (true, true, ..) => "LOCKED (unlock with the token's administration tool)",
        (true, false, true, _) => "one try left before the token locks",
        (true, false, false, true) => "needed; logged in",
        (true, false, false, false) => "needed",
    }
}

fn signs(token: &TokenInventory) -> String {
    let support = token.signing;
    let mut digests: Vec<&str> = Vec::new();
    for (offered, name) in [
        (support.sha1, "SHA-1"),
        (support.sha256, "SHA-256"),
        (support.sha512, "SHA-512"),
    ] {
        if offered {
            digests.push(name);
        }
    }
    match (digests.is_empty(), support.raw) {
        (true, false) => "no RSA PKCS #1 v1.5 signing".to_owned(),
        (true, true) => "any digest via CKM_RSA_PKCS (hashed by ctlkit)".to_owned(),
        (false, raw) => format!(
            "{} on the token{}",
            digests.join(", "),
            if raw { "; others via CKM_RSA_PKCS" } else { "" }
        ),
    }
}

fn object_lines(object: &TokenObject) -> String {
    let class = match object.class {
        ObjectClassName::Certificate => "certificate",
        ObjectClassName::PrivateKey => "private key",
        ObjectClassName::PublicKey => "public key",
    };
    let mut line = format!("  {class} '{}'", object.label);
    if !object.id.is_empty() {
        line.push_str(&format!(" id {}", hex::encode(&object.id)));
    }
    if let Some(bits) = object.key_bits {
        line.push_str(&format!(", RSA {bits} bits"));
    }
    line.push('\n');
    if let Some(subject) = &object.subject {
        line.push_str(&format!("    subject {subject}\n"));
    }
    if let Some(serial) = &object.serial {
        line.push_str(&format!("    serial  {serial}\n"));
    }
    line.push_str(&format!("    uri     {}\n", object.uri));
    line
}
