//! The real ITL in `fixtures/`: ctlkit must report what the independent parser reported about
//! it (`shared/fixtures/README.md`). The expected values below are copied from that table.

use std::fs;

use ctlkit::{Checksums, DigestAlgorithm, Function, Kind, TrustList};

fn real_file() -> Vec<u8> {
    fs::read("fixtures/ITLFile-csptechnologies.tlv").unwrap()
}

#[test]
fn checksums_match_the_published_ones() {
    let sums = Checksums::of(&real_file());
    assert_eq!(sums.md5_hex(), "dbf86422cbab7859f3b850c2375814f7");
    assert_eq!(sums.sha1_hex(), "01e2cb144975e4b33c9af6ad75712c07a3b19cc7");
    assert_eq!(
        sums.sha256_hex(),
        "17156172182b66cbb4f8a4c51463702c8fa62ebea47ffe86ad66543c20d744eb"
    );
}

#[test]
fn header_facts_match_the_published_ones() {
    let bytes = real_file();
    assert_eq!(bytes.len(), 10_370);
    let list = TrustList::parse(&bytes).unwrap();
    let header = list.header();
    assert_eq!(header.version(), (1, 2));
    assert_eq!(header.length(), 388);
    assert_eq!(header.signer_version(), Some((1, 0)));
    assert_eq!(header.signer_name(), Some(&b"CN=SAST,O=SAST,OU=SAST"[..]));
    assert_eq!(header.signer_issuer(), Some(&b"CN=SAST,O=SAST,OU=SAST"[..]));
    assert_eq!(
        header.signer_serial().unwrap().to_string(),
        "6B:A5:DE:3A:26:0B:06:93:37:C7:5B:38:BE:3C:2D:74"
    );
    assert_eq!(header.digest_algorithm(), Some(DigestAlgorithm::Sha1));
    assert_eq!(header.signature_algorithm(), Some(0));
    assert_eq!(header.signature_modulus_bits(), Some(2048));
    assert_eq!(header.signature().map(<[u8]>::len), Some(256));
    assert_eq!(header.filename(), Some(&b"ITLFile.tlv"[..]));
    assert_eq!(list.kind(), Some(Kind::Itl));
    // 2025-12-30 17:25:42 UTC
    assert_eq!(header.timestamp(), Some(1_767_115_542));
}

#[test]
fn records_match_the_published_table() {
    let bytes = real_file();
    let list = TrustList::parse(&bytes).unwrap();
    let expected = [
        (
            1484,
            Function::Sast,
            "6B:A5:DE:3A:26:0B:06:93:37:C7:5B:38:BE:3C:2D:74",
            "277b3621552a593456a63d595645f4f090a35d9c",
        ),
        (
            1675,
            Function::Ccm,
            "7B:9E:9B:DB:BF:E0:FA:A0:C8:D6:23:06:1E:1E:30:0C",
            "efc5128e5fc1652fa166926e48ed0d574ab724ca",
        ),
        (
            1692,
            Function::Ccm,
            "81:A3:95:1A:5C:4C:1C:9B:7E:B4:B4:F0:0B:8D:6E:38",
            "72e76593a5530e3db3fe6ca3978a25821f2193fa",
        ),
        (
            2585,
            Function::AppServer,
            "82:10:CF:B0:D2:40:E3:59:44:63:E0:BB:63:82:8B:00",
            "cabd2a79a1076a31f21d253635cb039d4329a5e8",
        ),
        (
            2546,
            Function::AppServer,
            "02:03:E5:93:6F:31:B0:13:49:88:6B:A2:17",
            "e58c1cc4913b38634be9106ee3ad8e6b9dd9814a",
        ),
    ];
    assert_eq!(list.records().len(), expected.len());
    for (record, (length, function, serial, certificate_sha1)) in
        list.records().iter().zip(expected)
    {
        assert_eq!(record.length(), length, "record {}", record.index());
        assert_eq!(
            record.function(),
            Some(function),
            "record {}",
            record.index()
        );
        assert_eq!(record.serial_number().unwrap().to_string(), serial);
        assert_eq!(
            Checksums::of(record.certificate_der().unwrap()).sha1_hex(),
            certificate_sha1,
            "record {}",
            record.index()
        );
    }
}

#[test]
fn the_root_cas_are_4096_bit_keys() {
    let bytes = real_file();
    let list = TrustList::parse(&bytes).unwrap();
    for record in &list.records()[3..] {
        let info =
            ctlkit::format::CertificateInfo::from_der(record.certificate_der().unwrap()).unwrap();
        assert_eq!((info.key.algorithm.as_str(), info.key.bits), ("RSA", 4096));
    }
    let first =
        ctlkit::format::CertificateInfo::from_der(list.records()[0].certificate_der().unwrap())
            .unwrap();
    assert_eq!(first.subject_dn, "CN=SAST, O=SAST, OU=SAST");
}

#[test]
fn the_real_file_differs_from_format_md_in_signer_block_order_and_tag_28_position() {
    // Findings recorded in the issue note: the non-Cisco builder writes SIGNERVERSION (28)
    // right after HEADERLENGTH, and the signer block as 4, 6, 5 (CANAME before SERIALNUMBER).
    let bytes = real_file();
    let list = TrustList::parse(&bytes).unwrap();
    let tags: Vec<u8> = list
        .header()
        .elements()
        .iter()
        .map(|element| element.tag)
        .collect();
    assert_eq!(tags, [1, 2, 28, 3, 4, 6, 5, 7, 8, 9, 10, 11, 12, 14, 15]);
    let record_tags: Vec<u8> = list.records()[0]
        .elements()
        .iter()
        .map(|element| element.tag)
        .collect();
    assert_eq!(record_tags, [1, 3, 5, 6, 4, 7, 8, 9]);
}
