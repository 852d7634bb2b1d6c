//! The files: the signed header every Cisco signed file starts with, trust-list records, a
//! whole trust list, any other signed file (configs, firmware), and decrypting an encrypted
//! config (docs/FORMAT.md §2–§3, §9). Typed, zero-copy views built on [`crate::tlv`].

pub mod decrypt;
pub mod header;
pub mod record;
pub mod signed_file;
pub mod trust_list;
