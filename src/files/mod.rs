//! Files on disk: reading one whole under a size limit, writing one atomically, walking the
//! folders a user gives. The only module that opens paths for the library.

pub(crate) mod atomic;
pub(crate) mod fingerprint;
pub(crate) mod input;
pub(crate) mod path_text;
pub(crate) mod walk;

pub use atomic::{WriteError, check_writable, write_atomically, write_secret};
pub use fingerprint::{Fingerprint, fingerprint};
pub use input::{DEFAULT_MAX_SIZE, Input, LoadError, read_file, read_stream};
pub use path_text::{bytes_text, path_text};
pub use walk::{WalkError, collect_files};
