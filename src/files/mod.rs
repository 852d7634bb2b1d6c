//! Files on disk: reading one whole under a size limit, writing one atomically. The only
//! module that opens paths for the library.

pub(crate) mod atomic;
pub(crate) mod input;
