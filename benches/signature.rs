//! Verify and build speed. `cargo bench --bench signature`; figures in the README.

#[path = "../tests/support/generate.rs"]
mod generate;

use std::fs;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ctlkit::acceptance::{FileKind, Phone};
use ctlkit::format::{BuildRequest, build_trust_list};
use ctlkit::keys::read_pem_bundle;
use ctlkit::{CiscoFile, DigestAlgorithm, Function, HeldList, Kind, TrustList, verify};

fn der(label: &str) -> Vec<u8> {
    let bytes = fs::read(format!("fixtures/cluster/{label}.pem")).unwrap();
    read_pem_bundle(&bytes, None)
        .unwrap()
        .certificates
        .remove(0)
}

/// Five records: the signer's SAST, a second SAST, two CCM+TFTP, CAPF.
fn five_records() -> Vec<(Function, Vec<u8>)> {
    vec![
        (Function::Sast, der("ITLRecovery-cucm-pub")),
        (Function::CcmTftp, der("CallManager-cucm-pub")),
        (Function::CcmTftp, der("CallManager-cucm-sub1")),
        (Function::Capf, der("CAPF-cucm-pub")),
    ]
}

fn request<'r>(
    certificate: &'r [u8],
    key: &'r rsa::PrivateKey,
    digest: DigestAlgorithm,
    certificates: Vec<(Function, Vec<u8>)>,
) -> BuildRequest<'r> {
    BuildRequest {
        signer_certificate: certificate,
        signer_key: key,
        digest,
        certificates,
        existing: None,
        drop_serials: &[],
        filename: "CTLFile.tlv".to_owned(),
        timestamp: generate::SIGNED_AT,
        addresses: &[],
        signer_version: None,
    }
}

fn signatures(c: &mut Criterion) {
    // A 2048-bit, SHA-1 CTL signed by the publisher's CallManager key.
    let callmanager = der("CallManager-cucm-pub");
    let callmanager_key = read_pem_bundle(
        &fs::read("fixtures/cluster/CallManager-cucm-pub.key").unwrap(),
        None,
    )
    .unwrap()
    .private_key
    .unwrap();
    let ctl_2048 = build_trust_list(&request(
        &callmanager,
        &callmanager_key,
        DigestAlgorithm::Sha1,
        five_records(),
    ))
    .unwrap()
    .bytes;
    // A 4096-bit, SHA-512 ITL (key generated once, from a fixed seed).
    let big = generate::self_signed(
        "bench-itlrecovery-4096",
        "CN=ITLRECOVERY_bench",
        &[0x42],
        4096,
    );
    let itl_4096 = build_trust_list(&request(
        &big.certificate,
        &big.key,
        DigestAlgorithm::Sha512,
        five_records(),
    ))
    .unwrap()
    .bytes;

    let mut group = c.benchmark_group("verify");
    for (name, bytes) in [("ctl_2048_sha1", &ctl_2048), ("itl_4096_sha512", &itl_4096)] {
        let list = TrustList::parse(bytes).unwrap();
        assert!(verify(&list).is_valid());
        group.bench_function(name, |b| b.iter(|| verify(black_box(&list)).status));
    }
    group.finish();

    c.bench_function("build/ctl_5_records_2048_sha1", |b| {
        b.iter(|| {
            build_trust_list(&request(
                &callmanager,
                &callmanager_key,
                DigestAlgorithm::Sha1,
                five_records(),
            ))
            .unwrap()
            .bytes
            .len()
        })
    });
}

/// What the sweep does per file: parse a ~1.2 KB signed config and judge it as a phone
/// holding the ITL would (find the CCM+TFTP record, decode its key, hash, RSA).
fn signed_config(c: &mut Criterion) {
    let config = fs::read("fixtures/signed/SEP001122334455.cnf.xml.sgn").unwrap();
    let itl_bytes = fs::read("fixtures/ITLFile-sha1.tlv").unwrap();
    let itl = TrustList::parse(&itl_bytes).unwrap();
    let held = [HeldList {
        name: "ITLFile.tlv",
        kind: Kind::Itl,
        list: &itl,
    }];
    // The sweep models the phone once and judges every file against it.
    let phone = Phone::new(&held, true).unwrap();
    c.bench_function("verify/config_against_itl", |b| {
        b.iter(|| {
            let CiscoFile::Signed(file) = CiscoFile::parse(black_box(&config)).unwrap() else {
                unreachable!("a signed config")
            };
            phone
                .judge(file.header(), FileKind::Signed, None)
                .map(|verdict| verdict.acceptance)
        })
    });
}

criterion_group!(benches, signatures, signed_config);
criterion_main!(benches);
