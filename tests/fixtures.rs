//! The fixtures are what the generator makes, and every fixture round-trips.

use std::fs;
use std::path::Path;

use crate::support::generate;
use ctlkit::TrustList;

#[test]
fn committed_fixtures_are_exactly_what_the_generator_makes() {
    for fixture in generate::all() {
        let path = Path::new("fixtures").join(&fixture.path);
        let committed =
            fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        assert!(
            committed == fixture.bytes,
            "{} differs from the generator's output: run `cargo run --example make_fixtures` and review",
            path.display()
        );
    }
}

#[test]
fn every_trust_list_fixture_parses_without_warnings_and_round_trips() {
    let mut seen = 0;
    for entry in fs::read_dir("fixtures").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|extension| extension != "tlv") {
            continue;
        }
        let bytes = fs::read(&path).unwrap();
        let list =
            TrustList::parse(&bytes).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        assert_eq!(
            list.to_bytes(),
            bytes,
            "{} does not round-trip",
            path.display()
        );
        assert_eq!(list.warnings(), &[], "{}", path.display());
        seen += 1;
    }
    let generated = generate::all()
        .iter()
        .filter(|fixture| fixture.path.ends_with(".tlv") && !fixture.path.starts_with("damaged/"))
        .count();
    assert_eq!(
        seen,
        generated + 1,
        "the generated trust lists and the real file"
    );
}

#[test]
fn generated_headers_follow_cucm_layout() {
    for name in ["CTLFile-etoken-sha1.tlv", "ITLFile-sha512.tlv"] {
        let bytes = fs::read(Path::new("fixtures").join(name)).unwrap();
        let list = TrustList::parse(&bytes).unwrap();
        let tags: Vec<u8> = list
            .header()
            .elements()
            .iter()
            .map(|element| element.tag)
            .collect();
        // 1, 2, 3 (4, 5, 6), 7 (8, 9 (10, 11)), 12, 14, 15, then padding.
        let without_padding: Vec<u8> = tags.iter().copied().filter(|&tag| tag != 13).collect();
        assert_eq!(
            without_padding,
            [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15],
            "{name}"
        );
        assert!(tags.ends_with(&[15]) || tags.ends_with(&[13]), "{name}");
        assert_eq!(list.header().length() % 4, 0, "{name}");
        let signature_info = list.header().find(7).unwrap();
        assert_eq!(
            signature_info.length, 15,
            "SIGNATUREINFO covers 8 and 9 only"
        );
        assert_eq!(list.header().find(9).unwrap().length, 8);
    }
}
