//! Verdicts: decisions as data, each with the facts behind it and a stable `code()`, never a
//! sentence. Would a phone take a file (`acceptance`), does a list hold the cluster's
//! certificates (`check`), what changed (`diff`), what phones will refuse (`lint`), a fleet
//! phone by phone (`fleet`, with `audit`'s shared types), a TFTP folder (`sweep`), what a file
//! shows (`inspect`), pasted text against files (`pasted_compare`). Uses the format crate and
//! the evidence layer.

pub(crate) mod acceptance;
pub(crate) mod audit;
pub(crate) mod check;
pub(crate) mod diff;
pub(crate) mod fleet;
pub(crate) mod inspect;
pub(crate) mod lint;
pub(crate) mod pasted_compare;
pub(crate) mod sweep;
