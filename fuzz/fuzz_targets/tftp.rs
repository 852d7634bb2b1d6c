//! Fuzz target `tftp`: a malicious server against the TFTP client; see `fuzz/common/exercise.rs`.
#![no_main]

#[path = "../common/exercise.rs"]
mod exercise;

libfuzzer_sys::fuzz_target!(|data: &[u8]| exercise::tftp(data));
