//! ctlkit's integration tests, one binary (`autotests = false` in Cargo.toml): a module per
//! capability, each running the real `ctlkit` binary or the library's public API. One binary
//! links the crate once instead of twenty times.

#[path = "../fuzz/common/exercise.rs"]
mod exercise;
mod support;

mod audit;
mod boot;
mod build;
mod capture;
mod check;
mod cli;
mod contract;
mod damaged;
mod diff;
mod exit_codes;
mod fetch;
mod fixtures;
mod fuzz_regressions;
mod guide;
mod hostile;
mod html;
mod lint;
mod pasted;
mod pkcs11;
mod properties;
mod real_file;
mod schema;
mod show;
mod signed;
mod tvs;
mod verify;
