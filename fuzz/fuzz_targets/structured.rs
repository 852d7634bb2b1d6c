//! Fuzz target `structured`: valid-looking TLV built from arbitrary parts, so the fuzzer
//! spends its time past the length checks, in containers, records and reports.
#![no_main]

#[path = "../common/exercise.rs"]
mod exercise;

libfuzzer_sys::fuzz_target!(|shape: exercise::Shape| {
    let bytes = exercise::encode(&shape);
    exercise::everything(&bytes);
});
