//! Fuzz target `capture`: any bytes as a pcap / pcapng capture; see `fuzz/common/exercise.rs`.
#![no_main]

#[path = "../common/exercise.rs"]
mod exercise;

libfuzzer_sys::fuzz_target!(|data: &[u8]| exercise::capture(data));
