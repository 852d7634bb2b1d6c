//! Damaged copies as evidence: a trust list cut short by a failed transfer or corrupted on the
//! way is shown up to the damage, its signature still checked over every byte, and compared
//! with the server's byte for byte.

use std::fs;
use std::path::PathBuf;

use crate::support::{ctlkit, fixture, json_output};
use ctlkit::TrustList;
use ctlkit::format::Place;
use predicates::prelude::*;

/// The ITL fixture cut to `length` bytes, in a temporary folder.
fn cut(name: &str, length: usize) -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("ITLSEP001122334455.tlv");
    fs::write(&path, &fixture(name)[..length]).unwrap();
    (folder, path)
}

#[test]
fn salvaging_keeps_the_header_and_every_record_before_the_damage() {
    let whole = fixture("ITLFile-sha1.tlv");
    let full = TrustList::parse(&whole).unwrap();
    let ends: Vec<usize> = full
        .records()
        .iter()
        .map(|record| record.offset() + usize::from(record.length()))
        .collect();
    for (count, end) in ends.iter().enumerate() {
        // Cut one byte past a record's end: the next record is broken, the ones before whole.
        if *end + 1 >= whole.len() {
            continue;
        }
        let salvaged = TrustList::parse_salvaged(&whole[..end + 1]).unwrap();
        assert_eq!(salvaged.list.records().len(), count + 1);
        assert_eq!(salvaged.list.header().elements(), full.header().elements());
        let damage = salvaged.damage.unwrap();
        assert_eq!(damage.place, Place::Record(count + 2));
        assert_eq!(damage.offset, *end);
        assert_eq!(
            damage.kind.to_string(),
            "1 trailing bytes after the last record, too few to be a record"
        );
    }
    let undamaged = TrustList::parse_salvaged(&whole).unwrap();
    assert_eq!(undamaged.damage, None);
    assert_eq!(undamaged.list.records(), full.records());
    // A header that is cut is not salvaged: nothing in it can be trusted.
    assert!(TrustList::parse_salvaged(&whole[..40]).is_err());
}

#[test]
fn show_prints_what_it_could_read_then_the_damage_and_exits_2() {
    let (_folder, path) = cut("ITLFile-sha1.tlv", 3000);
    let output = ctlkit()
        .arg("show")
        .arg(&path)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("ITL Record #:1"), "{text}");
    assert!(!text.contains("ITL Record #:2"), "{text}");
    assert!(
        text.contains("Verification of the ITL File Failed"),
        "{text}"
    );
    assert!(
        text.ends_with(
            "\nDAMAGED\nrecord 2 at offset 1994: RECORDLENGTH 1546 runs past the end of the file \
             (3000 bytes); what is shown before it was read, nothing after it; the signature \
             covers every byte and does not hold: the copy changed after it was signed (cut \
             short by a failed transfer, or corrupted on the way), so fetch it again rather \
             than re-sign\n"
        ),
        "{text}"
    );
    let json = json_output(
        ctlkit().arg("show").arg(&path).args(["--format", "json"]),
        2,
    );
    assert_eq!(json["damage"]["place"], "record 2");
    assert_eq!(json["damage"]["offset"], 1994);
    assert_eq!(
        json["damage"]["message"],
        "RECORDLENGTH 1546 runs past the end of the file (3000 bytes)"
    );
    assert_eq!(json["records"].as_array().unwrap().len(), 1);
    assert_eq!(json["verification"]["status"], "invalid");
    assert_eq!(json["file"]["length"], 3000);
}

#[test]
fn verify_checks_the_signature_of_a_damaged_copy_and_says_it_changed_after_signing() {
    let (_folder, path) = cut("ITLFile-sha1.tlv", 5000);
    ctlkit()
        .arg("verify")
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(": signature invalid: "))
        .stdout(predicate::str::contains(
            ": damaged: record 3 at offset 3540: RECORDLENGTH 1556 runs past the end",
        ))
        .stdout(predicate::str::contains(
            "the copy changed after it was signed",
        ));
    let json = json_output(
        ctlkit().arg("verify").arg(&path).args([
            "--trust",
            "fixtures/ITLFile-sha1.tlv",
            "--format",
            "json",
        ]),
        1,
    );
    let row = &json["rows"][0];
    assert_eq!(row["signature"]["status"], "invalid");
    assert_eq!(row["signature"]["code"], "signature_mismatch");
    assert_eq!(row["acceptance"], "rejected");
    assert_eq!(row["damage"]["place"], "record 3");
    // An undamaged file's damage is null.
    let whole = json_output(
        ctlkit().args(["verify", "fixtures/ITLFile-sha1.tlv", "--format", "json"]),
        0,
    );
    assert!(whole["rows"][0]["damage"].is_null(), "{whole}");
}

#[test]
fn diff_says_whether_a_damaged_copy_was_cut_short_or_corrupted() {
    let (_folder, path) = cut("ITLFile-sha1.tlv", 3000);
    ctlkit()
        .arg("diff")
        .arg(&path)
        .arg("fixtures/ITLFile-sha1.tlv")
        .assert()
        .code(1)
        .stdout(predicate::str::ends_with(
            "damaged: record 2 at offset 1994: RECORDLENGTH 1546 runs past the end of the file (3000 bytes)\n\
             the phone's copy is the first 3000 of the server's 6656 bytes: a transfer cut short, not a different file\n",
        ));
    let mut corrupted = fixture("ITLFile-sha1.tlv");
    // RECORDLENGTH of record 2 garbled on the way.
    corrupted[1995] = 0xff;
    let folder = tempfile::tempdir().unwrap();
    let corrupt_path = folder.path().join("corrupt.tlv");
    fs::write(&corrupt_path, &corrupted).unwrap();
    let json = json_output(
        ctlkit()
            .arg("diff")
            .arg(&corrupt_path)
            .arg("fixtures/ITLFile-sha1.tlv")
            .args(["--format", "json"]),
        1,
    );
    assert_eq!(json["identical"], false);
    assert_eq!(json["byte_comparison"], "differs");
    assert_eq!(json["first_difference"], 1995);
    assert_eq!(json["damage"]["place"], "record 2");
    // The same copy cut from a capture's transfer: a prefix of the real ITL.
    let real = fixture("ITLFile-csptechnologies.tlv");
    let real_cut = folder.path().join("real-cut.tlv");
    fs::write(&real_cut, &real[..real.len() / 2]).unwrap();
    let json = json_output(
        ctlkit()
            .arg("diff")
            .arg(&real_cut)
            .arg("fixtures/ITLFile-csptechnologies.tlv")
            .args(["--format", "json"]),
        1,
    );
    assert_eq!(json["byte_comparison"], "cut_short");
    assert_eq!(json["first_difference"], real.len() / 2);
}

/// A copy cut right after its header used to parse as a list of no records and exit 0: no
/// list CUCM writes is empty, so it is damage, named at the offset where the first record
/// should start.
#[test]
fn a_list_cut_right_after_its_header_is_damage_not_an_empty_list() {
    let whole = fixture("ITLFile-sha1.tlv");
    let header_length = usize::from(TrustList::parse(&whole).unwrap().header().length());
    let (_folder, path) = cut("ITLFile-sha1.tlv", header_length);
    let json = json_output(
        ctlkit().arg("show").arg(&path).args(["--format", "json"]),
        2,
    );
    assert_eq!(json["damage"]["place"], "record 1");
    assert_eq!(json["damage"]["offset"], header_length);
    assert!(
        json["damage"]["message"]
            .as_str()
            .unwrap()
            .contains("no record follows the header"),
        "{json}"
    );
    // As for any damaged copy, verify's answer is the negative verdict, naming the damage.
    ctlkit()
        .arg("verify")
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("damaged: record 1 at offset"));
    ctlkit()
        .arg("lint")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no record follows the header"));
}
