//! Evidence: what an administrator brings besides the server's files — packet captures of
//! phones fetching ([`capture`]), the server fetched as a phone fetches it ([`tftp`]), text
//! pasted from `show ctl` / `show itl` (`crate::pasted`), a phone's copy of a file and whose it
//! is ([`PhoneCopy`]), and what some bytes are ([`Content`]). Uses the format crate; decides
//! nothing.

pub mod capture;
pub(crate) mod content;
pub mod http;
pub mod https;
pub(crate) mod pasted;
pub(crate) mod pasted_flat;
pub(crate) mod phone_copy;
pub mod phone_server;
pub(crate) mod recognise;
pub mod tftp;

pub use content::{Content, TransferFacts, captured_copies};
pub use phone_copy::{PhoneCopy, phone_name};
pub use recognise::{Recognised, recognise};
