//! Verdicts: decisions as data, each with the facts behind it and a stable `code()`, never a
//! sentence. Would a phone take a file (`acceptance`), does a list hold the cluster's
//! certificates (`check`), what changed (`diff`), what phones will refuse (`lint`), a fleet
//! phone by phone (`audit`, and against pasted text `audit::pasted`), a TFTP folder (`sweep`), what a file
//! shows (`inspect`), a virtual phone booting against the live server (`boot`), pasted text against files (`pasted_compare`). Uses the format crate and
//! the evidence layer.

pub mod acceptance;
pub mod audit;
pub mod boot;
pub mod check;
pub mod diff;
pub(crate) mod https_trust;
pub mod inspect;
pub mod lint;
pub(crate) mod pasted_compare;
pub mod phone_models;
pub mod sweep;
