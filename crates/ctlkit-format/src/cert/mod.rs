//! Who a record or a signer is: serial numbers as files store them, names as each writer
//! spells them, what a certificate says, and which kind of key signed a list.

pub mod certificate;
pub mod names;
pub mod serial;
pub mod signer_class;
