//! Hostile input: broken files give the exact error, at the right offset, naming the right
//! element; nothing is read whole that is over the size limit; work stays linear.

use std::fs;

use crate::support::{ctlkit, fixture};
use ctlkit::format::{Bound, ElementName, ParseErrorKind, Place, Section};
use ctlkit::{ParseError, TrustList};

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
fn every_prefix_of_a_file_is_an_error_unless_it_ends_on_a_record_boundary_after_the_first() {
    for name in ["CTLFile-nonsecure.tlv", "ITLFile-csptechnologies.tlv"] {
        let bytes = fixture(name);
        let list = TrustList::parse(&bytes).unwrap();
        let mut boundaries: Vec<usize> = list
            .records()
            .iter()
            .map(|record| record.offset())
            .collect();
        boundaries.push(bytes.len());
        let header_end = usize::from(list.header().length());
        for end in 0..bytes.len() {
            let result = TrustList::parse(&bytes[..end]);
            if end == header_end {
                // Cut right after its header: no list CUCM writes is empty, so it is damage.
                let error = result.unwrap_err();
                assert_eq!(error.offset, header_end);
                assert!(
                    matches!(error.kind, ParseErrorKind::NoRecords { .. }),
                    "{error}"
                );
            } else if boundaries.contains(&end) {
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
    let inspection = ctlkit::inspect::Inspection::of(&list);
    assert!(inspection.certificates[1].as_ref().unwrap().info.is_err());
    assert!(inspection.certificates[0].as_ref().unwrap().info.is_ok());
    let warning = &inspection.warnings[0];
    assert_eq!(
        (warning.place, warning.offset),
        (Place::Record(2), certificate.offset)
    );
    assert!(matches!(
        warning.kind,
        ctlkit::format::WarningKind::CertificateUnparseable { .. }
    ));
}

/// One damaged file and the exact error it must give.
struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    expected: ParseError,
}

fn at(place: Place, offset: usize, kind: ParseErrorKind) -> ParseError {
    ParseError {
        place,
        offset,
        kind,
    }
}

/// Offset of the element with `tag` in record `index` (from 1) of the small fixture.
fn record_element_offset(index: usize, tag: u8) -> usize {
    let bytes = small();
    let list = TrustList::parse(&bytes).unwrap();
    list.records()[index - 1].find(tag).unwrap().offset
}

fn with_u16(mut bytes: Vec<u8>, offset: usize, value: u16) -> Vec<u8> {
    set_u16(&mut bytes, offset, value);
    bytes
}

fn with_byte(mut bytes: Vec<u8>, offset: usize, value: u8) -> Vec<u8> {
    bytes[offset] = value;
    bytes
}

fn appended(mut bytes: Vec<u8>, tail: &[u8]) -> Vec<u8> {
    bytes.extend_from_slice(tail);
    bytes
}

/// A deterministic stream of bytes that look random (SHA-256 in counter mode).
fn noise(length: usize, first: u8) -> Vec<u8> {
    use sha2::Digest;
    let mut out = Vec::new();
    let mut counter = 0u32;
    while out.len() < length {
        out.extend_from_slice(&sha2::Sha256::digest(counter.to_be_bytes()));
        counter += 1;
    }
    out.truncate(length);
    out[0] = first;
    out
}

#[allow(clippy::too_many_lines)]
fn cases() -> Vec<Case> {
    use Bound as B;
    use ParseErrorKind as K;
    let small = small();
    let len = small.len();
    let real = fixture("ITLFile-csptechnologies.tlv");
    let records = record_offsets();
    let (first, second, last) = (records[0], records[1], records[3]);
    let signer_id = header_offset(3);
    let signer_name = header_offset(4);
    let ca_name = header_offset(6);
    let algo_info = header_offset(9);
    let signature = header_offset(12);
    let timestamp = header_offset(15);
    let header_end = usize::from(TrustList::parse(&small).unwrap().header().length());
    let first_dns = record_element_offset(1, 2);
    let last_ip = record_element_offset(4, 10);
    let h = Place::Header;
    let r = Place::Record;
    let version = header(1);
    let header_length = header(2);
    let u16_of = |value: usize| u16::try_from(value).unwrap();
    let signer_id_length = u16::from_be_bytes([small[signer_id + 1], small[signer_id + 2]]);
    vec![
        Case {
            name: "empty",
            bytes: vec![],
            expected: at(Place::File, 0, K::Empty),
        },
        Case {
            name: "lone VERSION tag",
            bytes: vec![1],
            expected: at(
                h,
                0,
                K::TruncatedElementHead {
                    element: version,
                    available: 1,
                    bound: B::File,
                },
            ),
        },
        Case {
            name: "VERSION without its length's second byte",
            bytes: vec![1, 0],
            expected: at(
                h,
                0,
                K::TruncatedElementHead {
                    element: version,
                    available: 2,
                    bound: B::File,
                },
            ),
        },
        Case {
            name: "VERSION without value",
            bytes: vec![1, 0, 2],
            expected: at(
                h,
                0,
                K::ElementPastEnd {
                    element: version,
                    length: 2,
                    available: 0,
                    bound: B::File,
                },
            ),
        },
        Case {
            name: "VERSION with half a value",
            bytes: vec![1, 0, 2, 1],
            expected: at(
                h,
                0,
                K::ElementPastEnd {
                    element: version,
                    length: 2,
                    available: 1,
                    bound: B::File,
                },
            ),
        },
        Case {
            name: "VERSION alone",
            bytes: small[..5].to_vec(),
            expected: at(
                h,
                5,
                K::TruncatedElementHead {
                    element: header_length,
                    available: 0,
                    bound: B::File,
                },
            ),
        },
        Case {
            name: "HEADERLENGTH tag alone",
            bytes: small[..6].to_vec(),
            expected: at(
                h,
                5,
                K::TruncatedElementHead {
                    element: header_length,
                    available: 1,
                    bound: B::File,
                },
            ),
        },
        Case {
            name: "HEADERLENGTH with half a value",
            bytes: small[..9].to_vec(),
            expected: at(
                h,
                5,
                K::ElementPastEnd {
                    element: header_length,
                    length: 2,
                    available: 1,
                    bound: B::File,
                },
            ),
        },
        Case {
            name: "64 zero bytes",
            bytes: vec![0; 64],
            expected: at(
                h,
                0,
                K::WrongFirstTag {
                    expected: version,
                    expected_tag: 1,
                    found: 0,
                },
            ),
        },
        Case {
            name: "64 0xFF bytes",
            bytes: vec![0xff; 64],
            expected: at(
                h,
                0,
                K::WrongFirstTag {
                    expected: version,
                    expected_tag: 1,
                    found: 0xff,
                },
            ),
        },
        Case {
            name: "a PEM certificate",
            bytes: fs::read("fixtures/cluster/CAPF-cucm-pub.pem").unwrap(),
            expected: at(
                h,
                0,
                K::WrongFirstTag {
                    expected: version,
                    expected_tag: 1,
                    found: b'-',
                },
            ),
        },
        Case {
            name: "a DER certificate",
            bytes: TrustList::parse(&small).unwrap().records()[0]
                .certificate_der()
                .unwrap()
                .to_vec(),
            expected: at(
                h,
                0,
                K::WrongFirstTag {
                    expected: version,
                    expected_tag: 1,
                    found: 0x30,
                },
            ),
        },
        Case {
            name: "gzip data",
            bytes: vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0],
            expected: at(
                h,
                0,
                K::WrongFirstTag {
                    expected: version,
                    expected_tag: 1,
                    found: 0x1f,
                },
            ),
        },
        Case {
            name: "random bytes",
            bytes: noise(4096, 0x7f),
            expected: at(
                h,
                0,
                K::WrongFirstTag {
                    expected: version,
                    expected_tag: 1,
                    found: 0x7f,
                },
            ),
        },
        Case {
            name: "padding before VERSION",
            bytes: appended(vec![13], &small),
            expected: at(
                h,
                0,
                K::WrongFirstTag {
                    expected: version,
                    expected_tag: 1,
                    found: 13,
                },
            ),
        },
        Case {
            name: "VERSION 3 bytes long",
            bytes: with_u16(small.clone(), 1, 3),
            expected: at(
                h,
                0,
                K::FixedLength {
                    element: version,
                    expected: 2,
                    found: 3,
                },
            ),
        },
        Case {
            name: "VERSION 1 byte long",
            bytes: with_u16(small.clone(), 1, 1),
            expected: at(
                h,
                0,
                K::FixedLength {
                    element: version,
                    expected: 2,
                    found: 1,
                },
            ),
        },
        Case {
            name: "HEADERLENGTH 4 bytes long",
            bytes: with_u16(small.clone(), 6, 4),
            expected: at(
                h,
                5,
                K::FixedLength {
                    element: header_length,
                    expected: 2,
                    found: 4,
                },
            ),
        },
        Case {
            name: "SIGNERID where HEADERLENGTH belongs",
            bytes: with_byte(small.clone(), 5, 3),
            expected: at(
                h,
                5,
                K::WrongFirstTag {
                    expected: header_length,
                    expected_tag: 2,
                    found: 3,
                },
            ),
        },
        Case {
            name: "HEADERLENGTH 0",
            bytes: with_u16(small.clone(), 8, 0),
            expected: at(
                h,
                5,
                K::HeaderLengthTooShort {
                    header_length: 0,
                    minimum: 10,
                },
            ),
        },
        Case {
            name: "HEADERLENGTH 9",
            bytes: with_u16(small.clone(), 8, 9),
            expected: at(
                h,
                5,
                K::HeaderLengthTooShort {
                    header_length: 9,
                    minimum: 10,
                },
            ),
        },
        Case {
            name: "HEADERLENGTH 65535",
            bytes: with_u16(small.clone(), 8, u16::MAX),
            expected: at(
                h,
                5,
                K::HeaderLengthPastEnd {
                    header_length: u16::MAX,
                    file_length: len,
                },
            ),
        },
        Case {
            name: "file cut inside the header",
            bytes: real[..100].to_vec(),
            expected: at(
                h,
                5,
                K::HeaderLengthPastEnd {
                    header_length: 388,
                    file_length: 100,
                },
            ),
        },
        Case {
            name: "HEADERLENGTH cutting TIMESTAMP's value",
            bytes: with_u16(small.clone(), 8, u16_of(timestamp + 5)),
            expected: at(
                h,
                timestamp,
                K::ElementPastEnd {
                    element: header(15),
                    length: 4,
                    available: 2,
                    bound: B::Header,
                },
            ),
        },
        Case {
            name: "HEADERLENGTH cutting TIMESTAMP's head",
            bytes: with_u16(small.clone(), 8, u16_of(timestamp + 2)),
            expected: at(
                h,
                timestamp,
                K::TruncatedElementHead {
                    element: header(15),
                    available: 2,
                    bound: B::Header,
                },
            ),
        },
        Case {
            name: "HEADERLENGTH cutting the SIGNATURE",
            bytes: with_u16(small.clone(), 8, u16_of(signature + 50)),
            expected: at(
                h,
                signature,
                K::ElementPastEnd {
                    element: header(12),
                    length: 128,
                    available: 47,
                    bound: B::Header,
                },
            ),
        },
        Case {
            name: "SIGNERID longer than the header",
            bytes: with_u16(small.clone(), signer_id + 1, 5000),
            expected: at(
                h,
                signer_id,
                K::ContainerPastEnd {
                    element: header(3),
                    length: 5000,
                    available: header_end - signer_id - 3,
                    bound: B::Header,
                },
            ),
        },
        Case {
            name: "SIGNATUREALGOINFO longer than SIGNATUREINFO",
            bytes: with_u16(small.clone(), algo_info + 1, 9),
            expected: at(
                h,
                algo_info,
                K::ContainerPastEnd {
                    element: header(9),
                    length: 9,
                    available: 8,
                    bound: B::Container(header(7)),
                },
            ),
        },
        Case {
            name: "SIGNERID shorter than its children",
            bytes: with_u16(small.clone(), signer_id + 1, signer_id_length - 1),
            expected: at(
                h,
                ca_name,
                K::ElementPastEnd {
                    element: header(6),
                    length: 42,
                    available: 41,
                    bound: B::Container(header(3)),
                },
            ),
        },
        Case {
            name: "SIGNERNAME longer than SIGNERID",
            bytes: with_u16(small.clone(), signer_name + 1, 200),
            expected: at(
                h,
                signer_name,
                K::ElementPastEnd {
                    element: header(4),
                    length: 200,
                    available: usize::from(signer_id_length) - 3,
                    bound: B::Container(header(3)),
                },
            ),
        },
        Case {
            name: "SIGNATURE longer than the header",
            bytes: with_u16(small.clone(), signature + 1, 4000),
            expected: at(
                h,
                signature,
                K::ElementPastEnd {
                    element: header(12),
                    length: 4000,
                    available: header_end - signature - 3,
                    bound: B::Header,
                },
            ),
        },
        Case {
            name: "first record starting with CERTIFICATE",
            bytes: with_byte(small.clone(), first, 9),
            expected: at(
                r(1),
                first,
                K::WrongFirstTag {
                    expected: record(1),
                    expected_tag: 1,
                    found: 9,
                },
            ),
        },
        Case {
            name: "RECORDLENGTH 4",
            bytes: with_u16(small.clone(), first + 3, 4),
            expected: at(
                r(1),
                first,
                K::RecordLengthTooShort {
                    record_length: 4,
                    minimum: 5,
                },
            ),
        },
        Case {
            name: "RECORDLENGTH 0",
            bytes: with_u16(small.clone(), second + 3, 0),
            expected: at(
                r(2),
                second,
                K::RecordLengthTooShort {
                    record_length: 0,
                    minimum: 5,
                },
            ),
        },
        Case {
            name: "RECORDLENGTH past the end",
            bytes: with_u16(small.clone(), last + 3, 1186),
            expected: at(
                r(4),
                last,
                K::RecordLengthPastEnd {
                    record_length: 1186,
                    file_length: len,
                },
            ),
        },
        Case {
            name: "RECORDLENGTH 65535",
            bytes: with_u16(small.clone(), first + 3, u16::MAX),
            expected: at(
                r(1),
                first,
                K::RecordLengthPastEnd {
                    record_length: u16::MAX,
                    file_length: len,
                },
            ),
        },
        Case {
            name: "RECORDLENGTH 1 byte long",
            bytes: with_u16(small.clone(), first + 1, 1),
            expected: at(
                r(1),
                first,
                K::FixedLength {
                    element: record(1),
                    expected: 2,
                    found: 1,
                },
            ),
        },
        Case {
            name: "RECORDLENGTH 3 bytes long",
            bytes: with_u16(small.clone(), first + 1, 3),
            expected: at(
                r(1),
                first,
                K::FixedLength {
                    element: record(1),
                    expected: 2,
                    found: 3,
                },
            ),
        },
        Case {
            name: "DNSNAME longer than its record",
            bytes: with_u16(small.clone(), first_dns + 1, 60_000),
            expected: at(
                r(1),
                first_dns,
                K::ElementPastEnd {
                    element: record(2),
                    length: 60_000,
                    available: second - first_dns - 3,
                    bound: B::Record,
                },
            ),
        },
        Case {
            name: "record one byte shorter than its elements",
            bytes: with_u16(small.clone(), last + 3, u16_of(len - last - 1)),
            expected: at(
                r(4),
                last_ip,
                K::ElementPastEnd {
                    element: record(10),
                    length: 4,
                    available: 3,
                    bound: B::Record,
                },
            ),
        },
        Case {
            name: "record ending inside an element's head",
            bytes: with_u16(small.clone(), last + 3, u16_of(last_ip + 2 - last)),
            expected: at(
                r(4),
                last_ip,
                K::TruncatedElementHead {
                    element: record(10),
                    available: 2,
                    bound: B::Record,
                },
            ),
        },
        Case {
            name: "file cut inside the last record",
            bytes: small[..len - 2].to_vec(),
            expected: at(
                r(4),
                last,
                K::RecordLengthPastEnd {
                    record_length: u16_of(len - last),
                    file_length: len - 2,
                },
            ),
        },
        Case {
            name: "file cut inside a certificate",
            bytes: real[..5000].to_vec(),
            expected: at(
                r(3),
                3547,
                K::RecordLengthPastEnd {
                    record_length: 1692,
                    file_length: 5000,
                },
            ),
        },
        Case {
            name: "1 trailing byte",
            bytes: appended(small.clone(), &[0]),
            expected: at(r(5), len, K::TrailingBytes { count: 1 }),
        },
        Case {
            name: "4 trailing bytes",
            bytes: appended(small.clone(), &[1, 0, 2, 0]),
            expected: at(r(5), len, K::TrailingBytes { count: 4 }),
        },
        Case {
            name: "trailing text",
            bytes: appended(small.clone(), b"# end of file\n"),
            expected: at(
                r(5),
                len,
                K::WrongFirstTag {
                    expected: record(1),
                    expected_tag: 1,
                    found: b'#',
                },
            ),
        },
        // The second file's VERSION (1.2) reads as RECORDLENGTH 0x0102 = 258; its header
        // elements then read as record elements until its SIGNATURE overruns those 258 bytes.
        Case {
            name: "two files concatenated",
            bytes: appended(small.clone(), &small),
            expected: at(
                r(5),
                len + signature,
                K::ElementPastEnd {
                    element: record(12),
                    length: 128,
                    available: 0x0102 - signature - 3,
                    bound: B::Record,
                },
            ),
        },
    ]
}

#[test]
fn every_damaged_file_gives_its_exact_error() {
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    for case in &cases {
        let error = TrustList::parse(&case.bytes)
            .err()
            .unwrap_or_else(|| panic!("{}: parsed", case.name));
        assert_eq!(error, case.expected, "{}", case.name);
    }
}

/// A broken header (or a file that is no trust list) is one error line and nothing else; a
/// file damaged after an intact header is shown up to the damage, which closes the report
/// (tests/damaged.rs). Either way: exit 2, and the damage named exactly.
#[test]
fn the_binary_names_each_damage_exactly_with_exit_2() {
    let directory = tempfile::tempdir().unwrap();
    let mut salvaged = 0;
    for (number, case) in cases().iter().enumerate() {
        let path = directory.path().join(format!("case-{number}.tlv"));
        fs::write(&path, &case.bytes).unwrap();
        let output = ctlkit().arg("show").arg(&path).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{}", case.name);
        let stdout = String::from_utf8(output.stdout).unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        if matches!(case.expected.place, Place::Record(_)) {
            salvaged += 1;
            // The report of what could be read is on stdout; the damage is also the one
            // line on stderr.
            assert_eq!(
                stderr,
                format!("error: {}: {}\n", path.display(), case.expected),
                "{}",
                case.name
            );
            let damage = format!(
                "\nDAMAGED\n{} at offset {}: {}; what is shown before it was read",
                case.expected.place, case.expected.offset, case.expected.kind
            );
            assert!(stdout.contains(&damage), "{}: {stdout}", case.name);
        } else {
            assert!(stdout.is_empty(), "{}", case.name);
            // One line: what the file is when ctlkit can tell (a PEM certificate), and the
            // place, offset and element always.
            let prefix = format!("error: {}: ", path.display());
            let suffix = format!("{}\n", case.expected);
            let suffix_in_parentheses = format!("({})\n", case.expected);
            assert!(
                stderr.starts_with(&prefix)
                    && (stderr == format!("{prefix}{suffix}")
                        || stderr.ends_with(&suffix_in_parentheses))
                    && stderr.lines().count() == 1,
                "{}: {stderr}",
                case.name
            );
        }
    }
    assert!(salvaged >= 10, "{salvaged} record-level cases");
}

#[test]
fn the_real_file_cut_at_every_header_element_boundary_fails_at_headerlength() {
    let real = fixture("ITLFile-csptechnologies.tlv");
    let list = TrustList::parse(&real).unwrap();
    for element in &list.header().elements()[2..] {
        let error = TrustList::parse(&real[..element.offset]).unwrap_err();
        assert_eq!(
            error,
            at(
                Place::Header,
                5,
                ParseErrorKind::HeaderLengthPastEnd {
                    header_length: 388,
                    file_length: element.offset
                }
            ),
        );
    }
}

#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("huge.tlv");
    // A sparse 200 MB file: reading it would take the time and memory the limit exists to save.
    fs::File::create(&path)
        .unwrap()
        .set_len(200 * 1024 * 1024)
        .unwrap();
    ctlkit()
        .arg("show")
        .arg(&path)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "larger than the 16777216-byte limit",
        ));
}

#[test]
fn sixty_thousand_tiny_records_parse() {
    // Linear time and memory in the number of elements: the figure is in the README's
    // benchmark table (`cargo bench --bench parse -- 60k`), not asserted here.
    let bytes = many_tiny_records(60_000);
    let list = TrustList::parse(&bytes).unwrap();
    assert_eq!(list.records().len(), 60_000);
    assert_eq!(list.to_bytes(), bytes);
}

/// The small fixture's header followed by `count` records holding only RECORDLENGTH and
/// FUNCTION (10 bytes each).
fn many_tiny_records(count: usize) -> Vec<u8> {
    let small = small();
    let header_end = usize::from(TrustList::parse(&small).unwrap().header().length());
    let mut bytes = small[..header_end].to_vec();
    for _ in 0..count {
        bytes.extend_from_slice(&[1, 0, 2, 0, 10, 4, 0, 2, 0, 1]);
    }
    bytes
}
