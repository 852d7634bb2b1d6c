//! Parse, hash and render speed. `cargo bench --bench parse`; figures in the README.

use std::fs;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ctlkit::inspect::Inspection;
use ctlkit::report::{Render, ReportContext, ShowReport};
use ctlkit::{Checksums, Kind, TrustList};
use time::OffsetDateTime;

/// The 6.8 KB mixed-mode CTL fixture.
fn ctl() -> Vec<u8> {
    fs::read("fixtures/CTLFile-etoken-sha1.tlv").unwrap()
}

/// A 68 KB ITL: the SHA-512 ITL fixture's header and its records repeated, about the 64 KB
/// phones accept and 40-odd certificates.
fn large_itl() -> Vec<u8> {
    let bytes = fs::read("fixtures/ITLFile-sha512.tlv").unwrap();
    let list = TrustList::parse(&bytes).unwrap();
    let header_length = usize::from(list.header().length());
    let mut out = bytes[..header_length].to_vec();
    while out.len() < 68 * 1024 {
        out.extend_from_slice(&bytes[header_length..]);
    }
    out
}

/// 60,000 records of RECORDLENGTH and FUNCTION only (10 bytes each) behind a real header:
/// the element-count worst case a fuzzer or an attacker can build.
fn tiny_records() -> Vec<u8> {
    let bytes = ctl();
    let list = TrustList::parse(&bytes).unwrap();
    let mut out = bytes[..usize::from(list.header().length())].to_vec();
    for _ in 0..60_000 {
        out.extend_from_slice(&[1, 0, 2, 0, 10, 4, 0, 2, 0, 1]);
    }
    out
}

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    let many = tiny_records();
    group.throughput(Throughput::Bytes(many.len() as u64));
    group.bench_function("60k_tiny_records", |b| {
        b.iter(|| TrustList::parse(black_box(&many)).unwrap().records().len())
    });
    for (name, bytes) in [("ctl_6k", ctl()), ("itl_68k", large_itl())] {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| TrustList::parse(black_box(&bytes)).unwrap())
        });
        group.bench_function(format!("{name}_and_hash"), |b| {
            b.iter(|| {
                let list = TrustList::parse(black_box(&bytes)).unwrap();
                (list.records().len(), Checksums::of(list.as_bytes()))
            })
        });
    }
    group.finish();
}

fn render(c: &mut Criterion) {
    let bytes = ctl();
    let context = ReportContext {
        kind: Kind::Ctl,
        path: "CTLFile.tlv",
        modified: None,
        now: OffsetDateTime::UNIX_EPOCH,
    };
    let mut group = c.benchmark_group("show_ctl_6k");
    group.bench_function("inspect", |b| {
        let list = TrustList::parse(&bytes).unwrap();
        b.iter(|| Inspection::of(black_box(&list)).certificates.len())
    });
    group.bench_function("text_end_to_end", |b| {
        b.iter(|| {
            let list = TrustList::parse(black_box(&bytes)).unwrap();
            let inspection = Inspection::of(&list);
            ShowReport {
                inspection: &inspection,
                context,
            }
            .text(false)
        })
    });
    group.bench_function("json_end_to_end", |b| {
        b.iter(|| {
            let list = TrustList::parse(black_box(&bytes)).unwrap();
            let inspection = Inspection::of(&list);
            let report = ShowReport {
                inspection: &inspection,
                context,
            };
            serde_json::to_string(&report.json()).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, parse, render);
criterion_main!(benches);
