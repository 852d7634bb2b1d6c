//! Fuzz target `signed`: signed files (configs, firmware); see `fuzz/common/exercise.rs`.
#![no_main]

#[path = "../common/exercise.rs"]
mod exercise;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    exercise::parse(data);
    exercise::signed(data);
});
