//! Evidence: what an administrator brings besides the server's files — packet captures of
//! phones fetching (`capture/`), the server fetched as a phone fetches it (`tftp/`), text
//! pasted from `show ctl` / `show itl` (`pasted`), a phone's copy of a file and whose it is
//! (`phone_copy`), and what some bytes are (`content`). Uses
//! the format crate; decides nothing.

pub(crate) mod capture;
pub(crate) mod content;
pub(crate) mod pasted;
pub(crate) mod phone_copy;
pub(crate) mod tftp;
