//! The bytes: TLV elements (a 1-byte tag, a 2-byte length, the value; tag 13 alone in the
//! header), the tag tables, the one reader that touches untrusted input, the encoder, and the
//! errors and warnings that name where a file went wrong (docs/FORMAT.md §1). Uses nothing
//! else of the crate.

pub mod element;
pub mod encode;
pub mod error;
pub(crate) mod reader;
pub mod tags;
pub mod warning;
