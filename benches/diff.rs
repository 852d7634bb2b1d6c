//! Diff and check speed. `cargo bench --bench diff`; figures in the README.

use std::fs;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ctlkit::check::{Role, ServerCertificate};
use ctlkit::keys::read_pem_bundle;
use ctlkit::{Kind, TrustList, check, diff};
use time::OffsetDateTime;

fn benches(c: &mut Criterion) {
    let old = fs::read("fixtures/ITLFile-sha1.tlv").unwrap();
    let new = fs::read("fixtures/ITLFile-regenerated-sha1.tlv").unwrap();
    let (old_list, new_list) = (
        TrustList::parse(&old).unwrap(),
        TrustList::parse(&new).unwrap(),
    );
    c.bench_function("diff/itl_regenerated", |b| {
        b.iter(|| {
            diff(black_box(&old_list), black_box(&new_list))
                .changed
                .len()
        })
    });
    let pem = fs::read("fixtures/cluster/CallManager-cucm-pub-regenerated.pem").unwrap();
    let certificates = [ServerCertificate {
        path: "CallManager.pem".to_owned(),
        role: Role::CallManager,
        der: read_pem_bundle(&pem, None).unwrap().certificates.remove(0),
    }];
    let ctl = fs::read("fixtures/CTLFile-etoken-sha1.tlv").unwrap();
    let ctl_list = TrustList::parse(&ctl).unwrap();
    c.bench_function("check/ctl_one_certificate", |b| {
        b.iter(|| {
            check(
                black_box(&ctl_list),
                Kind::Ctl,
                &certificates,
                OffsetDateTime::UNIX_EPOCH,
                30,
            )
            .unwrap()
            .len()
        })
    });
}

/// Every lint rule over a 7-record ITL (certificates decoded, signature checked) and the real
/// 10 KB one.
fn lints(c: &mut Criterion) {
    let options = ctlkit::lint::LintOptions {
        certificates: &[],
        release: None,
        now: time::OffsetDateTime::UNIX_EPOCH,
        warn_days: 30,
        expect_rollback: false,
        recovery_signed_itl: None,
    };
    for name in ["ITLFile-sha512.tlv", "ITLFile-csptechnologies.tlv"] {
        let bytes = std::fs::read(format!("fixtures/{name}")).unwrap();
        let file = ctlkit::CiscoFile::parse(&bytes).unwrap();
        c.bench_function(&format!("lint/{name}"), |b| {
            b.iter(|| {
                ctlkit::lint(black_box(&file), ctlkit::Kind::Itl, &options)
                    .map(|findings| findings.len())
            })
        });
    }
}

criterion_group!(all, benches, lints);
criterion_main!(all);
