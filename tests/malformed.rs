//! Broken files give the exact error, at the right offset, naming the right element.

use std::fs;

use ctlkit::{Bound, ElementName, ParseError, ParseErrorKind, Place, Section, TrustList};

fn fixture(name: &str) -> Vec<u8> {
    fs::read(format!("fixtures/{name}")).unwrap()
}

fn small() -> Vec<u8> {
    fixture("CTLFile-nonsecure.tlv")
}

fn error_of(bytes: &[u8]) -> ParseError {
    TrustList::parse(bytes).expect_err("must not parse")
}

fn header(tag: u8) -> ElementName {
    ElementName::new(Section::Header, tag)
}

fn record(tag: u8) -> ElementName {
    ElementName::new(Section::Record, tag)
}

fn set_u16(bytes: &mut [u8], offset: usize, value: u16) {
    bytes[offset..offset + 2].copy_from_slice(&value.to_be_bytes());
}

/// Offset of the first header element with `tag` in the valid small fixture.
fn header_offset(tag: u8) -> usize {
    let bytes = small();
    let list = TrustList::parse(&bytes).unwrap();
    list.header().find(tag).unwrap().offset
}

fn record_offsets() -> Vec<usize> {
    let bytes = small();
    let list = TrustList::parse(&bytes).unwrap();
    list.records()
        .iter()
        .map(|record| record.offset())
        .collect()
}

#[test]
fn empty_file() {
    let error = error_of(&[]);
    assert_eq!(error.place, Place::File);
    assert_eq!(error.kind, ParseErrorKind::Empty);
}

#[test]
fn pem_file_is_not_a_trust_list() {
    let pem = fs::read("fixtures/cluster/CallManager-cucm-pub.pem").unwrap();
    let error = error_of(&pem);
    assert_eq!(
        error,
        ParseError {
            place: Place::Header,
            offset: 0,
            kind: ParseErrorKind::WrongFirstTag {
                expected: header(1),
                expected_tag: 1,
                found: b'-',
            },
        }
    );
    assert_eq!(
        error.to_string(),
        "header at offset 0: expected VERSION (tag 1) here, found tag 45"
    );
}

#[test]
fn zero_and_ff_bytes() {
    assert!(matches!(
        error_of(&[0; 64]).kind,
        ParseErrorKind::WrongFirstTag { found: 0, .. }
    ));
    assert!(matches!(
        error_of(&[0xff; 64]).kind,
        ParseErrorKind::WrongFirstTag { found: 0xff, .. }
    ));
}

#[test]
fn version_of_the_wrong_size() {
    let mut bytes = small();
    set_u16(&mut bytes, 1, 3);
    assert_eq!(
        error_of(&bytes).kind,
        ParseErrorKind::FixedLength {
            element: header(1),
            expected: 2,
            found: 3
        }
    );
}

#[test]
fn cut_inside_version_and_before_headerlength() {
    let bytes = small();
    assert_eq!(
        error_of(&bytes[..3]).kind,
        ParseErrorKind::ElementPastEnd {
            element: header(1),
            length: 2,
            available: 0,
            bound: Bound::File
        }
    );
    let error = error_of(&bytes[..5]);
    assert_eq!(error.offset, 5);
    assert_eq!(
        error.kind,
        ParseErrorKind::TruncatedElementHead {
            element: header(2),
            available: 0,
            bound: Bound::File
        }
    );
}

#[test]
fn second_element_not_headerlength() {
    let mut bytes = small();
    bytes[5] = 3;
    assert_eq!(
        error_of(&bytes).kind,
        ParseErrorKind::WrongFirstTag {
            expected: header(2),
            expected_tag: 2,
            found: 3
        }
    );
}

#[test]
fn header_length_past_the_end_of_the_file() {
    let bytes = small();
    let mut cut = bytes[..200].to_vec();
    set_u16(&mut cut, 8, 250);
    let error = error_of(&cut);
    assert_eq!(error.offset, 5);
    assert_eq!(
        error.kind,
        ParseErrorKind::HeaderLengthPastEnd {
            header_length: 250,
            file_length: 200
        }
    );
    assert_eq!(
        error.to_string(),
        "header at offset 5: HEADERLENGTH 250 runs past the end of the file (200 bytes)"
    );
}

#[test]
fn header_length_shorter_than_its_own_elements() {
    let mut bytes = small();
    set_u16(&mut bytes, 8, 6);
    assert_eq!(
        error_of(&bytes).kind,
        ParseErrorKind::HeaderLengthTooShort {
            header_length: 6,
            minimum: 10
        }
    );
}

#[test]
fn header_length_that_cuts_an_element() {
    let mut bytes = small();
    let timestamp = header_offset(15);
    // The header now ends two bytes into TIMESTAMP's value.
    set_u16(&mut bytes, 8, u16::try_from(timestamp + 5).unwrap());
    let error = error_of(&bytes);
    assert_eq!(error.offset, timestamp);
    assert_eq!(
        error.kind,
        ParseErrorKind::ElementPastEnd {
            element: header(15),
            length: 4,
            available: 2,
            bound: Bound::Header
        }
    );
}

#[test]
fn container_longer_than_the_header() {
    let mut bytes = small();
    let signer_id = header_offset(3);
    set_u16(&mut bytes, signer_id + 1, 5000);
    let error = error_of(&bytes);
    assert_eq!(error.offset, signer_id);
    assert!(matches!(
        error.kind,
        ParseErrorKind::ContainerPastEnd {
            length: 5000,
            bound: Bound::Header,
            ..
        }
    ));
}

#[test]
fn inner_container_longer_than_its_parent() {
    let mut bytes = small();
    let algo_info = header_offset(9);
    set_u16(&mut bytes, algo_info + 1, 9);
    let error = error_of(&bytes);
    assert_eq!(error.offset, algo_info);
    assert_eq!(
        error.kind,
        ParseErrorKind::ContainerPastEnd {
            element: header(9),
            length: 9,
            available: 8,
            bound: Bound::Container(header(7)),
        }
    );
}

#[test]
fn container_shorter_than_its_children() {
    let mut bytes = small();
    let signer_id = header_offset(3);
    let declared = u16::from_be_bytes([bytes[signer_id + 1], bytes[signer_id + 2]]);
    set_u16(&mut bytes, signer_id + 1, declared - 1);
    let error = error_of(&bytes);
    assert_eq!(
        error.offset,
        header_offset(6),
        "CANAME is the child that crosses the end"
    );
    assert!(matches!(
        error.kind,
        ParseErrorKind::ElementPastEnd {
            bound: Bound::Container(name),
            ..
        } if name == header(3)
    ));
}

#[test]
fn record_length_past_the_end_of_the_file() {
    let mut bytes = small();
    let last = *record_offsets().last().unwrap();
    set_u16(&mut bytes, last + 3, 1186);
    let error = error_of(&bytes);
    assert_eq!(
        error.to_string(),
        format!(
            "record 4 at offset {last}: RECORDLENGTH 1186 runs past the end of the file ({} bytes)",
            bytes.len()
        )
    );
}

#[test]
fn record_length_shorter_than_recordlength_itself() {
    let mut bytes = small();
    let first = record_offsets()[0];
    set_u16(&mut bytes, first + 3, 4);
    let error = error_of(&bytes);
    assert_eq!(error.place, Place::Record(1));
    assert_eq!(
        error.kind,
        ParseErrorKind::RecordLengthTooShort {
            record_length: 4,
            minimum: 5
        }
    );
}

#[test]
fn recordlength_element_of_the_wrong_size() {
    let mut bytes = small();
    let first = record_offsets()[0];
    set_u16(&mut bytes, first + 1, 1);
    assert!(matches!(
        error_of(&bytes).kind,
        ParseErrorKind::FixedLength { element, expected: 2, found: 1 } if element == record(1)
    ));
}

#[test]
fn record_element_past_the_end_of_its_record() {
    let mut bytes = small();
    let first = record_offsets()[0];
    // The first element after RECORDLENGTH is DNSNAME; make it claim the whole file.
    set_u16(&mut bytes, first + 6, 60_000);
    let error = error_of(&bytes);
    assert_eq!((error.place, error.offset), (Place::Record(1), first + 5));
    assert!(matches!(
        error.kind,
        ParseErrorKind::ElementPastEnd { element, length: 60_000, bound: Bound::Record, .. }
            if element == record(2)
    ));
}

#[test]
fn a_record_that_does_not_start_with_recordlength() {
    let mut bytes = small();
    let second = record_offsets()[1];
    bytes[second] = 9;
    let error = error_of(&bytes);
    assert_eq!((error.place, error.offset), (Place::Record(2), second));
    assert!(matches!(
        error.kind,
        ParseErrorKind::WrongFirstTag {
            expected_tag: 1,
            found: 9,
            ..
        }
    ));
}

#[test]
fn trailing_bytes_after_the_last_record() {
    let mut bytes = small();
    bytes.extend_from_slice(&[0, 0, 0]);
    let error = error_of(&bytes);
    assert_eq!(error.place, Place::Record(5));
    assert_eq!(error.kind, ParseErrorKind::TrailingBytes { count: 3 });

    let mut junk = small();
    junk.extend_from_slice(b"0123456789");
    assert!(matches!(
        error_of(&junk).kind,
        ParseErrorKind::WrongFirstTag { found: b'0', .. }
    ));
}

#[test]
fn every_prefix_of_a_file_is_an_error_unless_it_ends_on_a_record_boundary() {
    for name in ["CTLFile-nonsecure.tlv", "ITLFile-csptechnologies.tlv"] {
        let bytes = fixture(name);
        let list = TrustList::parse(&bytes).unwrap();
        let mut boundaries: Vec<usize> = list
            .records()
            .iter()
            .map(|record| record.offset())
            .collect();
        boundaries.push(bytes.len());
        for end in 0..bytes.len() {
            let result = TrustList::parse(&bytes[..end]);
            if boundaries.contains(&end) {
                // A list cut between records is structurally whole; only its signature can tell.
                let shorter = result.unwrap_or_else(|error| panic!("{name}[..{end}]: {error}"));
                assert_eq!(shorter.to_bytes(), &bytes[..end]);
            } else {
                assert!(result.is_err(), "{name} cut at {end} parsed");
            }
        }
    }
}

#[test]
fn a_certificate_element_holding_garbage_is_a_warning_on_that_record() {
    let bytes = fixture("ITLFile-sha1.tlv");
    let list = TrustList::parse(&bytes).unwrap();
    let certificate = list.records()[1].find(9).unwrap();
    let mut damaged = bytes.clone();
    let start = certificate.offset + 3;
    damaged[start..start + 16].fill(0x41);
    let list = TrustList::parse(&damaged).unwrap();
    let inspection = ctlkit::Inspection::of(&list);
    assert!(inspection.certificates[1].as_ref().unwrap().info.is_err());
    assert!(inspection.certificates[0].as_ref().unwrap().info.is_ok());
    let warning = &inspection.warnings[0];
    assert_eq!(
        (warning.place, warning.offset),
        (Place::Record(2), certificate.offset)
    );
    assert!(matches!(
        warning.kind,
        ctlkit::WarningKind::CertificateUnparseable { .. }
    ));
}
