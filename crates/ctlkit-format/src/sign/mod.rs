//! Signatures: checking a file's signature against candidate keys and the roles allowed to sign
//! it (docs/FORMAT.md §4), making one with whatever holds the key, and building files in CUCM's
//! layout.

pub mod build;
pub mod companion;
pub mod encrypt;
pub mod signature;
pub mod signer;
