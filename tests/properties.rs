//! Parser invariants over generated input: whatever parses writes back to the same bytes, and
//! nothing — parsing, certificate decoding, either report — panics on any input.

use std::fs;

use ctlkit::report::{ReportContext, show_json, show_text};
use ctlkit::{Inspection, Kind, TrustList};
use proptest::prelude::*;
use time::OffsetDateTime;

/// A header element the strategy can generate.
#[derive(Debug, Clone)]
enum HeaderItem {
    Padding,
    Leaf(u8, Vec<u8>),
    Container(u8, Vec<(u8, Vec<u8>)>),
}

fn leaf_tag() -> impl Strategy<Value = u8> {
    // Any tag but the container and padding tags, which change how the bytes are read.
    any::<u8>().prop_filter("not a container or padding", |tag| {
        ![3, 7, 9, 13].contains(tag)
    })
}

fn header_item() -> impl Strategy<Value = HeaderItem> {
    prop_oneof![
        Just(HeaderItem::Padding),
        (leaf_tag(), prop::collection::vec(any::<u8>(), 0..40))
            .prop_map(|(tag, value)| HeaderItem::Leaf(tag, value)),
        (
            prop::sample::select(vec![3u8, 7, 9]),
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

fn push_element(out: &mut Vec<u8>, tag: u8, value: &[u8]) {
    out.push(tag);
    out.extend_from_slice(&u16::try_from(value.len()).unwrap().to_be_bytes());
    out.extend_from_slice(value);
}

/// Encodes a structurally valid file from generated parts.
fn encode(items: &[HeaderItem], records: &[Vec<(u8, Vec<u8>)>]) -> Vec<u8> {
    let mut out = Vec::new();
    push_element(&mut out, 1, &[1, 2]);
    push_element(&mut out, 2, &[0, 0]);
    for item in items {
        match item {
            HeaderItem::Padding => out.push(13),
            HeaderItem::Leaf(tag, value) => push_element(&mut out, *tag, value),
            HeaderItem::Container(tag, children) => {
                let mut inner = Vec::new();
                for (child, value) in children {
                    push_element(&mut inner, *child, value);
                }
                push_element(&mut out, *tag, &inner);
            }
        }
    }
    let header_length = u16::try_from(out.len()).unwrap();
    out[8..10].copy_from_slice(&header_length.to_be_bytes());
    for record in records {
        let mut body = Vec::new();
        for (tag, value) in record {
            push_element(&mut body, *tag, value);
        }
        push_element(
            &mut out,
            1,
            &u16::try_from(body.len() + 5).unwrap().to_be_bytes(),
        );
        out.extend_from_slice(&body);
    }
    out
}

/// Everything a user can ask of a file; must never panic.
fn exercise(bytes: &[u8]) {
    if let Ok(list) = TrustList::parse(bytes) {
        assert_eq!(list.to_bytes(), bytes);
        let inspection = Inspection::of(&list);
        let context = ReportContext {
            kind: list.kind().unwrap_or(Kind::Ctl),
            path: "generated",
            modified: None,
            now: OffsetDateTime::UNIX_EPOCH,
        };
        let _ = show_text(&inspection, &context);
        let _ = serde_json::to_string(&show_json(&inspection, &context)).unwrap();
    }
}

fn fixtures() -> Vec<Vec<u8>> {
    let mut files: Vec<Vec<u8>> = fs::read_dir("fixtures")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "tlv"))
        .map(|path| fs::read(path).unwrap())
        .collect();
    files.sort();
    files
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn generated_files_parse_and_round_trip(
        items in prop::collection::vec(header_item(), 0..12),
        records in prop::collection::vec(record(), 0..6),
    ) {
        let bytes = encode(&items, &records);
        let list = TrustList::parse(&bytes).unwrap();
        prop_assert_eq!(list.records().len(), records.len());
        prop_assert_eq!(list.to_bytes(), bytes);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        exercise(&bytes);
    }

    #[test]
    fn arbitrary_bytes_behind_a_valid_start_never_panic(
        tail in prop::collection::vec(any::<u8>(), 0..512),
        header_length in 10u16..600,
    ) {
        let mut bytes = vec![1, 0, 2, 1, 2, 2, 0, 2];
        bytes.extend_from_slice(&header_length.to_be_bytes());
        bytes.extend_from_slice(&tail);
        exercise(&bytes);
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
        exercise(&bytes);
    }
}
