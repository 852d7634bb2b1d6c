//! Tag numbers, the names `show ctl` prints for them and how each is encoded, for the header and
//! for records: the vocabulary the element reader and both parsers share. It uses nothing, so
//! everything else in `tlv` can use it.

/// How an element is encoded; decides how many bytes it occupies and how it is written back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Tag 13 in the header: one byte, no length, no value.
    Padding,
    /// SIGNERID, SIGNATUREINFO, SIGNATUREALGOINFO: tag and length, and the length covers the
    /// elements that follow rather than a value of its own.
    Container,
    /// Tag, length, value.
    Value,
}

/// Header tag numbers and the names `show ctl` prints for them (docs/FORMAT.md §2).
pub mod header {
    use super::Encoding;

    /// Version, 2 bytes: major, minor.
    pub const VERSION: u8 = 1;
    /// Size of the whole header, 2 bytes.
    pub const HEADERLENGTH: u8 = 2;
    /// Container of SIGNERNAME, SERIALNUMBER, CANAME.
    pub const SIGNERID: u8 = 3;
    /// Signer certificate subject.
    pub const SIGNERNAME: u8 = 4;
    /// Signer certificate serial number.
    pub const SERIALNUMBER: u8 = 5;
    /// Signer certificate issuer.
    pub const CANAME: u8 = 6;
    /// Container of DIGESTALGORTITHM and SIGNATUREALGOINFO.
    pub const SIGNATUREINFO: u8 = 7;
    /// Digest algorithm code (sic).
    pub const DIGESTALGORTITHM: u8 = 8;
    /// Container of SIGNATUREALGORTITHM and SIGNATUREMODULUS.
    pub const SIGNATUREALGOINFO: u8 = 9;
    /// Signature algorithm code (sic).
    pub const SIGNATUREALGORTITHM: u8 = 10;
    /// Signature size code.
    pub const SIGNATUREMODULUS: u8 = 11;
    /// The signature value.
    pub const SIGNATURE: u8 = 12;
    /// One byte of padding, no length.
    pub const PADDING: u8 = 13;
    /// File name.
    pub const FILENAME: u8 = 14;
    /// Signing time, seconds since 1970.
    pub const TIMESTAMP: u8 = 15;
    /// Encrypted configs: container of the IV and key blocks.
    pub const ENCRYPTIONINFO: u8 = 16;
    /// Encrypted configs: container of 18, 19, 20.
    pub const IVINFO: u8 = 17;
    /// Encrypted configs: IV type (0 in every file seen).
    pub const IVTYPE: u8 = 18;
    /// Encrypted configs: the AES-CBC initialisation vector.
    pub const IV: u8 = 19;
    /// Encrypted configs: padding bytes added to the plaintext, 2 bytes.
    pub const PADDINGCOUNT: u8 = 20;
    /// Encrypted configs: container of 22–25.
    pub const KEYINFO: u8 = 21;
    /// Encrypted configs: key type (0 in every file seen).
    pub const KEYTYPE: u8 = 22;
    /// Encrypted configs: the wrapped key's size in bits, 2 bytes.
    pub const KEYSIZE: u8 = 23;
    /// Encrypted configs: key algorithm code.
    pub const KEYALGORITHM: u8 = 24;
    /// Encrypted configs: the AES key, RSA-encrypted to the phone's certificate.
    pub const ENCRYPTEDKEY: u8 = 25;
    /// Encrypted configs: digest code of the plaintext hash.
    pub const PLAINTEXTDIGEST: u8 = 26;
    /// Encrypted configs: the plaintext's hash.
    pub const PLAINTEXTHASH: u8 = 27;
    /// Signer version of a non-Cisco builder.
    pub const SIGNERVERSION: u8 = 28;

    /// The name `show ctl` prints for a header tag.
    pub fn name(tag: u8) -> Option<&'static str> {
        Some(match tag {
            VERSION => "VERSION",
            HEADERLENGTH => "HEADERLENGTH",
            SIGNERID => "SIGNERID",
            SIGNERNAME => "SIGNERNAME",
            SERIALNUMBER => "SERIALNUMBER",
            CANAME => "CANAME",
            SIGNATUREINFO => "SIGNATUREINFO",
            DIGESTALGORTITHM => "DIGESTALGORTITHM",
            SIGNATUREALGOINFO => "SIGNATUREALGOINFO",
            SIGNATUREALGORTITHM => "SIGNATUREALGORTITHM",
            SIGNATUREMODULUS => "SIGNATUREMODULUS",
            SIGNATURE => "SIGNATURE",
            PADDING => "PADDING",
            FILENAME => "FILENAME",
            TIMESTAMP => "TIMESTAMP",
            ENCRYPTIONINFO => "ENCRYPTIONINFO",
            IVINFO => "IVINFO",
            IVTYPE => "IVTYPE",
            IV => "IV",
            PADDINGCOUNT => "PADDINGCOUNT",
            KEYINFO => "KEYINFO",
            KEYTYPE => "KEYTYPE",
            KEYSIZE => "KEYSIZE",
            KEYALGORITHM => "KEYALGORITHM",
            ENCRYPTEDKEY => "ENCRYPTEDKEY",
            PLAINTEXTDIGEST => "PLAINTEXTDIGEST",
            PLAINTEXTHASH => "PLAINTEXTHASH",
            SIGNERVERSION => "SIGNERVERSION",
            _ => return None,
        })
    }

    /// How a header tag is encoded: padding is a lone byte, containers cover what follows.
    pub fn encoding(tag: u8) -> Encoding {
        match tag {
            PADDING => Encoding::Padding,
            SIGNERID | SIGNATUREINFO | SIGNATUREALGOINFO | ENCRYPTIONINFO | IVINFO | KEYINFO => {
                Encoding::Container
            }
            _ => Encoding::Value,
        }
    }
}

/// Record tag numbers and the names `show ctl` prints for them (docs/FORMAT.md §3).
pub mod record {
    /// Size of the whole record, 2 bytes.
    pub const RECORDLENGTH: u8 = 1;
    /// Host name or IP as text.
    pub const DNSNAME: u8 = 2;
    /// Certificate subject as text.
    pub const SUBJECTNAME: u8 = 3;
    /// The record's role, 2 bytes.
    pub const FUNCTION: u8 = 4;
    /// Certificate issuer as text.
    pub const ISSUERNAME: u8 = 5;
    /// Certificate serial number.
    pub const SERIALNUMBER: u8 = 6;
    /// The certificate's public key.
    pub const PUBLICKEY: u8 = 7;
    /// The certificate's own signature.
    pub const SIGNATURE: u8 = 8;
    /// The whole certificate, DER.
    pub const CERTIFICATE: u8 = 9;
    /// IPv4 address.
    pub const IPADDRESS: u8 = 10;
    /// Hash of a certificate the record does not carry.
    pub const CERTHASH: u8 = 11;
    /// Algorithm of CERTHASH.
    pub const HASHALGORITHM: u8 = 12;

    /// The name `show ctl` prints for a record tag.
    pub fn name(tag: u8) -> Option<&'static str> {
        Some(match tag {
            RECORDLENGTH => "RECORDLENGTH",
            DNSNAME => "DNSNAME",
            SUBJECTNAME => "SUBJECTNAME",
            FUNCTION => "FUNCTION",
            ISSUERNAME => "ISSUERNAME",
            SERIALNUMBER => "SERIALNUMBER",
            PUBLICKEY => "PUBLICKEY",
            SIGNATURE => "SIGNATURE",
            CERTIFICATE => "CERTIFICATE",
            IPADDRESS => "IPADDRESS",
            CERTHASH => "CERTHASH",
            HASHALGORITHM => "HASH ALGORITHM",
            _ => return None,
        })
    }
}
