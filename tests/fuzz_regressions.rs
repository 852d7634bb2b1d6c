//! Replays, under plain `cargo test`, every input in `tests/fuzz-regressions/` (past fuzzer
//! finds, kept forever) and every fixture through all fuzz targets' checks, so a fixed crash
//! stays fixed without a fuzzer in the loop.

use std::fs;
use std::path::PathBuf;

fn files_in(directory: &str) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(directory)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    paths.sort();
    paths
}

#[test]
fn past_fuzzer_finds_stay_fixed() {
    let found = files_in("tests/fuzz-regressions");
    assert!(
        !found.is_empty(),
        "the directory keeps at least its seed entries"
    );
    for path in found {
        if path.extension().is_some_and(|extension| extension == "md") {
            continue;
        }
        let bytes = fs::read(&path).unwrap();
        crate::exercise::everything(&bytes);
        if path
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with("structured-"))
        {
            let mut unstructured = arbitrary::Unstructured::new(&bytes);
            if let Ok(shape) =
                <crate::exercise::Shape as arbitrary::Arbitrary>::arbitrary(&mut unstructured)
            {
                crate::exercise::everything(&crate::exercise::encode(&shape));
            }
        }
    }
}

#[test]
fn every_fixture_passes_every_target() {
    for path in files_in("fixtures") {
        if path.extension().is_some_and(|extension| extension == "tlv") {
            crate::exercise::everything(&fs::read(&path).unwrap());
        }
    }
    for path in files_in("fixtures/signed") {
        crate::exercise::everything(&fs::read(&path).unwrap());
    }
    for path in files_in("fixtures/captures") {
        let bytes = fs::read(&path).unwrap();
        crate::exercise::everything(&bytes);
        // Every prefix of a capture: cut inside headers, blocks and packets.
        for end in (0..bytes.len()).step_by(97) {
            crate::exercise::capture(&bytes[..end]);
        }
    }
}
