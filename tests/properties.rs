//! Parser invariants over generated input: whatever parses writes back to the same bytes, and
//! nothing (parsing, verification, the phone's verdict, certificate decoding, either report)
//! panics on any input. The checks are the fuzz targets' own (`fuzz/common/exercise.rs`).

use crate::exercise::{HeaderItem, Shape, encode};
use ctlkit::TrustList;
use proptest::prelude::*;

fn leaf_tag() -> impl Strategy<Value = u8> {
    // Any tag but the container and padding tags, which change how the bytes are read.
    any::<u8>().prop_filter("not a container or padding", |tag| {
        ![3, 7, 9, 13, 16, 17, 21].contains(tag)
    })
}

fn header_item() -> impl Strategy<Value = HeaderItem> {
    prop_oneof![
        Just(HeaderItem::Padding),
        (leaf_tag(), prop::collection::vec(any::<u8>(), 0..40))
            .prop_map(|(tag, value)| HeaderItem::Leaf(tag, value)),
        (
            prop::sample::select(vec![3u8, 7, 9, 16, 17, 21]),
            prop::collection::vec(
                (leaf_tag(), prop::collection::vec(any::<u8>(), 0..20)),
                0..4
            )
        )
            .prop_map(|(tag, children)| HeaderItem::Container(tag, children)),
    ]
}

fn record() -> impl Strategy<Value = Vec<(u8, Vec<u8>)>> {
    prop::collection::vec(
        (any::<u8>(), prop::collection::vec(any::<u8>(), 0..60)),
        0..8,
    )
}

fn fixtures() -> Vec<Vec<u8>> {
    crate::support::all_fixtures()
        .into_iter()
        .map(|(_, bytes)| bytes)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn generated_files_parse_and_round_trip(
        header in prop::collection::vec(header_item(), 0..12),
        records in prop::collection::vec(record(), 1..6),
    ) {
        let shape = Shape { version: [1, 2], header, records, tail: Vec::new() };
        let bytes = encode(&shape);
        let list = TrustList::parse(&bytes).unwrap();
        prop_assert_eq!(list.records().len(), shape.records.len());
        prop_assert_eq!(list.to_bytes(), bytes);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        crate::exercise::everything(&bytes);
    }

    #[test]
    fn arbitrary_bytes_behind_a_valid_start_never_panic(
        tail in prop::collection::vec(any::<u8>(), 0..512),
        header_length in 10u16..600,
    ) {
        let mut bytes = vec![1, 0, 2, 1, 2, 2, 0, 2];
        bytes.extend_from_slice(&header_length.to_be_bytes());
        bytes.extend_from_slice(&tail);
        crate::exercise::everything(&bytes);
    }

    #[test]
    fn mutated_fixtures_never_panic(
        which in any::<prop::sample::Index>(),
        mutations in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let files = fixtures();
        let mut bytes = files[which.index(files.len())].clone();
        for (index, value) in mutations {
            let at = index.index(bytes.len());
            bytes[at] = value;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        crate::exercise::everything(&bytes);
    }
}

/// Lines of the shapes pasted `show` output has, with numbers and values drawn at random.
fn pasted_line() -> impl Strategy<Value = String> {
    let number = 0usize..70_000;
    prop_oneof![
        Just("The checksum value of the ITL file:".to_owned()),
        Just("Parse CTL File".to_owned()),
        "[0-9a-f]{30,34}".prop_map(|hex| format!("{hex}(MD5)")),
        number
            .clone()
            .prop_map(|n| format!("Length of ITL file: {n}")),
        number.clone().prop_map(|n| format!("ITL Record #:{n}")),
        (number.clone(), "[A-Z+]{3,12}", number.clone(), ".{0,30}").prop_map(
            |(position, tag, length, value)| format!("{position} {tag} {length} {value}")
        ),
        (number.clone(), ".{0,40}")
            .prop_map(|(length, value)| format!("4 SIGNERNAME {length} {value}")),
        (number, ".{0,40}").prop_map(|(length, value)| format!("12 SIGNATURE {length} {value}")),
        "([0-9a-f]{1,2} ){0,8}",
        ".{0,60}",
        Just("9 CERTIFICATE 847 13 D6 0B".to_owned()),
        Just(" (SHA1 Hash HEX)".to_owned()),
        Just("admin:".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Pasted text is read line by line whatever it holds: no panic, and no more records than
    /// record lines.
    #[test]
    fn pasted_text_of_any_shape_never_panics(lines in prop::collection::vec(pasted_line(), 0..80)) {
        let text = lines.join("\r\n");
        let record_lines = lines.iter().filter(|line| line.contains("Record #:")).count();
        let records: usize = ctlkit::pasted::parse_pasted(&text)
            .iter()
            .map(|output| output.records.len())
            .sum();
        prop_assert!(records <= record_lines, "{} records from {} lines", records, record_lines);
    }
}
