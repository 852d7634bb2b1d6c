//! Signing with a key on an eToken or any PKCS #11 token: RFC 7512 URIs, the module, the
//! login, the key, the mechanism, and an inventory of what a module offers. The FFI stays
//! inside `cryptoki`; this crate keeps `forbid(unsafe_code)`.

mod error;
mod inventory;
mod mechanism;
mod token;
mod uri;

pub use error::{Pkcs11Error, TokenPlace, UriError};
pub use inventory::{ObjectClassName, SigningSupport, TokenInventory, TokenObject, inventory};
pub use mechanism::MechanismChoice;
pub use token::{Pkcs11Module, Token, TokenSigner};
pub use uri::{ObjectType, Pkcs11Uri};
