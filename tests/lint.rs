//! `lint`: every rule trips on a file made to trip it and stays quiet on one that does not;
//! the real ITL lints with the findings a person expects; the command's exit codes, `--deny`,
//! `--allow`, `--explain` and JSON.

use crate::support::generate::{self, Cluster, Identity};
use crate::support::{certificate, ctlkit, fixture, json_output, pem_path};
use ctlkit::check::{Role, ServerCertificate};
use ctlkit::format::{RecordBuilder, SignedFileBuilder, SignerInfo, TrustListBuilder};
use ctlkit::lint::{Lint, LintFinding, LintOptions, Release, ReleaseBasis, Severity};
use ctlkit::report::{LintReport, RULES, Render, explain};
use ctlkit::{CiscoFile, DigestAlgorithm, Function, Kind, lint};
use predicates::prelude::*;
use time::OffsetDateTime;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2026-11-29 12:00:00 UTC);

fn options() -> LintOptions<'static> {
    LintOptions {
        certificates: &[],
        release: None,
        now: NOW,
        warn_days: 30,
        expect_rollback: false,
        recovery_signed_itl: None,
    }
}

/// The findings for `bytes` (a trust list or a signed file).
fn findings(bytes: &[u8], kind: Kind, options: &LintOptions<'_>) -> Vec<LintFinding> {
    lint(&CiscoFile::parse(bytes).unwrap(), kind, options).unwrap()
}

fn rules(bytes: &[u8], kind: Kind, options: &LintOptions<'_>) -> Vec<&'static str> {
    findings(bytes, kind, options)
        .iter()
        .map(|finding| finding.lint.rule())
        .collect()
}

fn record(identity: &Identity, function: Function) -> RecordBuilder {
    RecordBuilder::from_certificate(&identity.certificate, function, "cucm-pub", [10, 0, 0, 1])
        .unwrap()
}

/// A list signed by `signer` (2048-bit cluster keys unless said otherwise).
fn list_signed_by(
    signer: &Identity,
    digest: DigestAlgorithm,
    filename: &str,
    timestamp: u32,
    records: Vec<RecordBuilder>,
) -> Vec<u8> {
    let bits = rsa::traits::PublicKeyParts::size(&signer.key) * 8;
    TrustListBuilder {
        signer_version: None,
        signer: SignerInfo::from_certificate(&signer.certificate, digest, bits).unwrap(),
        filename: filename.to_owned(),
        timestamp,
        records,
    }
    .build(|data| ctlkit::format::sign(&signer.key, digest, data))
    .unwrap()
}

fn itl(cluster: &Cluster, records: Vec<RecordBuilder>) -> Vec<u8> {
    list_signed_by(
        &cluster.callmanager_pub,
        DigestAlgorithm::Sha1,
        "ITLFile.tlv",
        generate::SIGNED_AT,
        records,
    )
}

/// The usual ITL records: SAST and CCM+TFTP for the signer, TVS, CAPF.
fn itl_records(cluster: &Cluster) -> Vec<RecordBuilder> {
    vec![
        record(&cluster.callmanager_pub, Function::Sast),
        record(&cluster.callmanager_pub, Function::CcmTftp),
        record(&cluster.tvs_pub, Function::Tvs),
        record(&cluster.capf_pub, Function::Capf),
    ]
}

fn with_release(release: Release) -> LintOptions<'static> {
    LintOptions {
        release: Some(release),
        ..options()
    }
}

/// A rule, a file that trips it, one that does not (empty: none), the kind, the options.
type Case<'c> = (&'static str, &'c [u8], &'c [u8], Kind, LintOptions<'c>);

/// Each case: the rule, a file that trips it, one that does not, the kind, the options.
#[test]
fn every_rule_trips_on_its_file_and_not_on_a_clean_one() {
    let cluster = Cluster::new();
    let clean_itl = itl(&cluster, itl_records(&cluster));
    let etoken_ctl = fixture("CTLFile-etoken-sha1.tlv");
    let tokenless_ctl = fixture("CTLFile-tokenless-sha512.tlv");
    let real_itl = fixture("ITLFile-csptechnologies.tlv");
    let sha512_itl = fixture("ITLFile-sha512.tlv");
    let expired_itl = fixture("ITLFile-expired-capf-sha1.tlv");

    let mut big = itl_records(&cluster);
    big.extend((0..56).map(|_| record(&cluster.capf_pub, Function::Capf)));
    let too_big = itl(&cluster, big);
    assert!(too_big.len() > 65_536);
    let mut near = itl_records(&cluster);
    near.extend((0..34).map(|_| record(&cluster.capf_pub, Function::Capf)));
    let near_limit = itl(&cluster, near);

    let mut altered = clean_itl.clone();
    let last = altered.len() - 1;
    altered[last] ^= 1;
    // Signed by CallManager, which the list holds only as CCM+TFTP.
    let signer_not_sast = itl(
        &cluster,
        vec![
            record(&cluster.callmanager_pub, Function::CcmTftp),
            record(&cluster.tvs_pub, Function::Tvs),
        ],
    );
    let mut three_sast = itl_records(&cluster);
    three_sast.push(record(&cluster.itl_recovery, Function::Sast));
    three_sast.push(record(&cluster.callmanager_sub1, Function::Sast));
    let three_sast = itl(&cluster, three_sast);
    // CallManager signs an ITL that also lists ITLRecovery: 12.0 or later, localkey reset.
    let mut localkey = itl_records(&cluster);
    localkey.push(record(&cluster.itl_recovery, Function::Sast));
    let localkey = itl(&cluster, localkey);
    // A tokenless CTL signed by CallManager with no ITLRecovery record.
    let no_recovery_ctl = list_signed_by(
        &cluster.callmanager_pub,
        DigestAlgorithm::Sha1,
        "CTLFile.tlv",
        generate::SIGNED_AT,
        vec![
            record(&cluster.callmanager_pub, Function::Sast),
            record(&cluster.callmanager_pub, Function::CcmTftp),
        ],
    );
    let short_recovery = generate::self_signed(
        "lint-itlrecovery-1024",
        "CN=ITLRECOVERY_cucm-pub,O=Example Corp",
        &[0x0f, 0xb2, 0x64, 0x13, 0x99],
        1024,
    );
    let short_recovery_ctl = list_signed_by(
        &short_recovery,
        DigestAlgorithm::Sha1,
        "CTLFile.tlv",
        generate::SIGNED_AT,
        vec![
            record(&short_recovery, Function::Sast),
            record(&cluster.callmanager_pub, Function::CcmTftp),
        ],
    );
    let no_tvs_no_tftp = itl(
        &cluster,
        vec![
            record(&cluster.callmanager_pub, Function::Sast),
            record(&cluster.capf_pub, Function::Capf),
        ],
    );
    let mut rollback = vec![record(&cluster.callmanager_pub, Function::Sast)];
    rollback.push(
        RecordBuilder::new()
            .element(2, *b"cucm-pub\0")
            .element(4, Function::Tvs.code().to_be_bytes())
            .element(10, [10, 0, 0, 1]),
    );
    rollback.push(
        RecordBuilder::new()
            .element(2, *b"cucm-pub\0")
            .element(4, Function::CcmTftp.code().to_be_bytes())
            .element(10, [10, 0, 0, 1]),
    );
    let rollback = itl(&cluster, rollback);
    let mut duplicate = itl_records(&cluster);
    duplicate.push(record(&cluster.tvs_pub, Function::Tvs));
    let duplicate = itl(&cluster, duplicate);
    let mut renamed = itl_records(&cluster);
    renamed.push(
        RecordBuilder::new()
            .element(3, *b"CN=somebody-else\0")
            .element(4, Function::Capf.code().to_be_bytes())
            .element(9, cluster.capf_expired.certificate.clone()),
    );
    let renamed = itl(&cluster, renamed);
    let mut odd_function = itl_records(&cluster);
    odd_function.push(record(&cluster.capf_pub, Function::Other(99)));
    let odd_function = itl(&cluster, odd_function);
    let sha256 = list_signed_by(
        &cluster.callmanager_pub,
        DigestAlgorithm::Sha256,
        "ITLFile.tlv",
        generate::SIGNED_AT,
        itl_records(&cluster),
    );
    // Signed in 2020 by a certificate issued in 2024.
    let backdated = list_signed_by(
        &cluster.callmanager_pub,
        DigestAlgorithm::Sha1,
        "ITLFile.tlv",
        1_600_000_000,
        itl_records(&cluster),
    );
    let mut unknown_tag = itl_records(&cluster);
    unknown_tag.push(record(&cluster.capf_pub, Function::Capf).element(99, *b"vendor"));
    let unknown_tag = itl(&cluster, unknown_tag);

    let regenerated = [ServerCertificate {
        path: pem_path("CallManager-cucm-pub-regenerated"),
        role: Role::CallManager,
        der: certificate("CallManager-cucm-pub-regenerated"),
    }];
    let current = [ServerCertificate {
        path: pem_path("CallManager-cucm-pub"),
        role: Role::CallManager,
        der: certificate("CallManager-cucm-pub"),
    }];
    let against = |certificates| LintOptions {
        certificates,
        ..options()
    };
    let early = LintOptions {
        now: datetime!(2020-01-01 0:00 UTC),
        ..options()
    };
    let long_window = LintOptions {
        warn_days: 1_400,
        ..options()
    };

    use Kind::{Ctl, Itl};
    let cases: Vec<Case<'_>> = vec![
        ("SIZ001", &too_big, &clean_itl, Itl, options()),
        ("SIZ002", &too_big, &clean_itl, Itl, options()),
        ("SIZ003", &near_limit, &clean_itl, Itl, options()),
        ("SIG001", &altered, &clean_itl, Itl, options()),
        ("SIG002", &signer_not_sast, &clean_itl, Itl, options()),
        ("SIG003", &three_sast, &clean_itl, Itl, options()),
        ("SIG004", &clean_itl, b"", Itl, options()),
        ("SIG005", &localkey, &clean_itl, Itl, options()),
        (
            "SIG005",
            &clean_itl,
            &clean_itl[..0],
            Itl,
            with_release(Release::V12_5),
        ),
        (
            "SIG006",
            &etoken_ctl,
            &tokenless_ctl,
            Ctl,
            with_release(Release::V15),
        ),
        ("ANC001", &no_recovery_ctl, &tokenless_ctl, Ctl, options()),
        ("ANC002", &tokenless_ctl, b"", Ctl, against(&regenerated)),
        (
            "ANC003",
            &short_recovery_ctl,
            &tokenless_ctl,
            Ctl,
            options(),
        ),
        ("CER001", &clean_itl, b"", Itl, against(&regenerated)),
        ("ROL001", &no_tvs_no_tftp, &clean_itl, Itl, options()),
        ("ROL002", &no_tvs_no_tftp, &clean_itl, Itl, options()),
        ("ROL003", &rollback, &clean_itl, Itl, options()),
        ("ROL004", &duplicate, &clean_itl, Itl, options()),
        ("ROL005", &renamed, &clean_itl, Itl, options()),
        ("ROL006", &odd_function, &clean_itl, Itl, options()),
        ("KEY001", &etoken_ctl, &clean_itl, Ctl, options()),
        ("KEY002", &real_itl, &clean_itl, Itl, options()),
        ("KEY003", &sha512_itl, &clean_itl, Itl, options()),
        ("KEY004", &sha256, &clean_itl, Itl, options()),
        ("DAT001", &expired_itl, &clean_itl, Itl, options()),
        ("DAT002", &clean_itl, b"", Itl, early),
        ("DAT003", &etoken_ctl, b"", Ctl, long_window),
        ("DAT004", &clean_itl, b"", Itl, early),
        ("DAT005", &backdated, &clean_itl, Itl, options()),
        ("KNO001", &clean_itl, &real_itl, Itl, options()),
        ("STR001", &unknown_tag, &clean_itl, Itl, options()),
    ];
    for (rule, trips, clean, kind, options) in &cases {
        assert!(
            rules(trips, *kind, options).contains(rule),
            "{rule} should trip: {:?}",
            rules(trips, *kind, options)
        );
        if !clean.is_empty() {
            assert!(
                !rules(clean, *kind, options).contains(rule),
                "{rule} should not trip on the clean file"
            );
        }
    }
    // The quiet halves that need other options than the tripping half.
    assert!(
        !rules(&clean_itl, Itl, &options()).contains(&"SIG005"),
        "11.x or unknown"
    );
    assert!(!rules(&etoken_ctl, Ctl, &options()).contains(&"DAT003"));
    assert!(!rules(&clean_itl, Itl, &options()).contains(&"DAT002"));
    assert!(!rules(&clean_itl, Itl, &options()).contains(&"DAT004"));
    assert!(!rules(&tokenless_ctl, Ctl, &against(&current)).contains(&"ANC002"));
    assert!(!rules(&clean_itl, Itl, &against(&current)).contains(&"CER001"));
    assert!(
        !rules(&tokenless_ctl, Ctl, &against(&regenerated)).contains(&"CER001"),
        "a tokenless CTL's CallManager is an anchor: ANC002, not CER001"
    );
    assert!(
        !rules(&etoken_ctl, Ctl, &options()).contains(&"ANC001"),
        "tokens anchor it"
    );
    let signed = fixture("signed/SEP001122334455.cnf.xml.sgn");
    assert!(
        !rules(&signed, Ctl, &options()).contains(&"SIG004"),
        "no class for configs"
    );
    // A rollback that is meant is only a note.
    let expected = LintOptions {
        expect_rollback: true,
        ..options()
    };
    let rollback_severity = findings(&rollback, Itl, &expected)
        .into_iter()
        .find(|finding| finding.lint.rule() == "ROL003")
        .unwrap()
        .lint
        .severity();
    assert_eq!(rollback_severity, Severity::Info);
    // Every rule tested here has a page, and every page a rule tested here.
    let tested: std::collections::BTreeSet<&str> = cases.iter().map(|case| case.0).collect();
    let pages: std::collections::BTreeSet<&str> =
        RULES.iter().map(|page| page.rule.as_str()).collect();
    assert_eq!(tested, pages);
}

#[test]
fn signed_files_lint_their_header() {
    let cluster = Cluster::new();
    let mut extra = vec![40u8, 0, 3];
    extra.extend_from_slice(b"odd");
    let digest = DigestAlgorithm::Sha512;
    let bytes = SignedFileBuilder {
        signer_version: None,
        version: (1, 0),
        signer: SignerInfo::from_certificate(&cluster.callmanager_pub.certificate, digest, 2048)
            .unwrap(),
        filename: "SEP001122334455.cnf.xml.sgn".to_owned(),
        timestamp: Some(2_000_000_000),
        extra_header: extra,
        payload: b"<device/>".to_vec(),
    }
    .build(|data| ctlkit::format::sign(&cluster.callmanager_pub.key, digest, data))
    .unwrap();
    assert_eq!(
        rules(&bytes, Kind::Ctl, &options()),
        ["KEY003", "DAT004", "STR001"]
    );
}

/// The real ITL: a non-Cisco builder's list for a community PBX, with no TVS and no TFTP
/// record and two 4096-bit root CAs as application servers.
#[test]
fn an_itl_without_tvs_or_tftp_gets_cucms_fix_from_cucm_and_a_pbxs_from_a_pbx() {
    let cluster = Cluster::new();
    // Neither TVS nor TFTP, as the real third-party ITL; signed by the CallManager key it lists
    // as CCM, as CUCM signs.
    let cucm = itl(
        &cluster,
        vec![
            record(&cluster.callmanager_pub, Function::Sast),
            record(&cluster.callmanager_pub, Function::Ccm),
        ],
    );
    let pbx = fixture("ITLFile-csptechnologies.tlv");
    let words = |bytes: &[u8], rule: &str| {
        let found: Vec<LintFinding> = findings(bytes, Kind::Itl, &options())
            .into_iter()
            .filter(|finding| finding.lint.rule() == rule)
            .collect();
        assert_eq!(found.len(), 1, "{rule}");
        let text = LintReport {
            file: "ITLFile.tlv",
            findings: &found,
        }
        .text(false);
        (found[0].lint.clone(), text)
    };
    let (lint, text) = words(&cucm, "ROL001");
    assert_eq!(
        lint,
        Lint::NoTvs {
            outside_cucm: false
        }
    );
    assert!(text.contains("Trust Verification Service"), "{text}");
    let (lint, text) = words(&cucm, "ROL002");
    assert_eq!(
        lint,
        Lint::NoTftp {
            outside_cucm: false
        }
    );
    assert!(text.contains("restart Cisco TFTP"), "{text}");
    let (lint, text) = words(&pbx, "ROL001");
    assert_eq!(lint, Lint::NoTvs { outside_cucm: true });
    assert!(
        text.contains("outside CUCM there is no TVS") && !text.contains("Cisco TFTP"),
        "{text}"
    );
    let (lint, text) = words(&pbx, "ROL002");
    assert_eq!(lint, Lint::NoTftp { outside_cucm: true });
    assert!(
        text.contains("ctlkit build --tftp") && !text.contains("Cisco TFTP"),
        "{text}"
    );
}

#[test]
fn the_real_itl_lints_as_a_person_expects() {
    let bytes = fixture("ITLFile-csptechnologies.tlv");
    let found = findings(&bytes, Kind::Itl, &options());
    let summary: Vec<(&str, Severity, Option<usize>)> = found
        .iter()
        .map(|finding| (finding.lint.rule(), finding.lint.severity(), finding.record))
        .collect();
    assert_eq!(
        summary,
        [
            ("SIG004", Severity::Info, Some(1)),
            ("ROL001", Severity::Warning, None),
            ("ROL002", Severity::Error, None),
            ("KEY002", Severity::Warning, Some(4)),
            ("KEY002", Severity::Warning, Some(5)),
        ]
    );
    assert!(matches!(
        found[0].lint,
        Lint::SignerClass(ctlkit::format::SignerClass::ThirdParty)
    ));
    // Built outside CUCM: the fix is to keep the SAST key, not to start Cisco's TVS.
    assert_eq!(found[1].lint, Lint::NoTvs { outside_cucm: true });
    insta::assert_snapshot!(
        "real-itl",
        LintReport {
            file: "ITLFile-csptechnologies.tlv",
            findings: &found,
        }
        .text(false)
    );
}

#[test]
fn cli_exit_codes_deny_allow_explain_and_json() {
    let real = "fixtures/ITLFile-csptechnologies.tlv";
    ctlkit()
        .args(["lint", real])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "error[ROL002]: fixtures/ITLFile-csptechnologies.tlv: the ITL has no TFTP",
        ));
    ctlkit()
        .args(["lint", real, "--allow", "ROL002"])
        .assert()
        .code(0);
    ctlkit()
        .args(["lint", real, "--allow", "ROL002", "--deny", "warning"])
        .assert()
        .code(1);
    ctlkit()
        .args(["lint", "fixtures/ITLFile-sha1.tlv", "--allow", "KNO001"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "0 error(s), 0 warning(s), 1 note(s)",
        ));
    let documents = json_output(ctlkit().args(["lint", "--format", "json", real]), 1);
    // One file or many: an array of one document per file.
    assert_eq!(documents.as_array().unwrap().len(), 1);
    let json = &documents[0];
    assert_eq!(json["path"], real);
    assert_eq!(
        json["counts"],
        serde_json::json!({"error": 1, "warning": 3, "info": 1})
    );
    let first = &json["findings"][0];
    for key in ["rule", "severity", "record", "element", "message", "fix"] {
        assert!(first.get(key).is_some(), "{key}");
    }
    let several = json_output(
        ctlkit().args([
            "lint",
            "--format",
            "json",
            "--allow",
            "KNO001",
            "fixtures/ITLFile-sha1.tlv",
            "fixtures/signed/g3-tones.xml.sgn",
        ]),
        0,
    );
    assert_eq!(several.as_array().unwrap().len(), 2);
    ctlkit()
        .args(["lint", "--explain", "anc002"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Field Notice 70613"));
    assert!(explain("NOPE01").is_none());
    ctlkit()
        .args(["lint", "--explain", "NOPE01"])
        .assert()
        .code(2);
    ctlkit()
        .args(["lint", real, "--release", "13"])
        .assert()
        .code(2);
    ctlkit().args(["lint", "missing.tlv"]).assert().code(2);
}

/// An ITLRecovery record does not date a file: 10.x / 11.x tokenless CTLs carry one as their
/// second SAST and are signed by CallManager. SIG005 warns only when the release is known to
/// be 12.0 or later — given, or shown by an ITL signed by ITLRecovery — and is a note naming
/// the assumption otherwise.
#[test]
fn sig005_warns_only_when_the_release_is_known_to_be_12_or_later() {
    let cluster = Cluster::new();
    // A 10.x tokenless CTL: CallManager signs, ITLRecovery is the second SAST.
    let ctl_10x = list_signed_by(
        &cluster.callmanager_pub,
        DigestAlgorithm::Sha1,
        "CTLFile.tlv",
        generate::SIGNED_AT,
        vec![
            record(&cluster.callmanager_pub, Function::Sast),
            record(&cluster.itl_recovery, Function::Sast),
            record(&cluster.callmanager_pub, Function::CcmTftp),
            record(&cluster.capf_pub, Function::Capf),
        ],
    );
    let sig005 = |options: &LintOptions<'_>| {
        findings(&ctl_10x, Kind::Ctl, options)
            .into_iter()
            .find(|finding| finding.lint.rule() == "SIG005")
    };
    let unknown = sig005(&options()).expect("a note naming the assumption");
    assert_eq!(unknown.lint.severity(), Severity::Info);
    let text = LintReport {
        file: "CTLFile.tlv",
        findings: std::slice::from_ref(&unknown),
    }
    .text(false);
    assert!(text.contains("what CUCM 10.x and 11.x write"), "{text}");
    assert!(text.contains("give --release"), "{text}");
    for release in ["10.5", "11.5(1)SU3", "11"] {
        let release = Release::parse(release).unwrap();
        assert_eq!(sig005(&with_release(release)), None, "{release}");
    }
    for release in ["12.5(1)SU2", "14SU3", "15SU1", "15.0", "12"] {
        let given = Release::parse(release).unwrap();
        let finding = sig005(&with_release(given)).expect(release);
        assert_eq!(finding.lint.severity(), Severity::Warning, "{release}");
        assert_eq!(
            finding.lint,
            Lint::CallManagerSignsOn12 {
                kind: Kind::Ctl,
                basis: ReleaseBasis::Given(given)
            }
        );
    }
    let proven = LintOptions {
        recovery_signed_itl: Some("ITLFile.tlv"),
        ..options()
    };
    let finding = sig005(&proven).unwrap();
    assert_eq!(finding.lint.severity(), Severity::Warning);
    let text = LintReport {
        file: "CTLFile.tlv",
        findings: std::slice::from_ref(&finding),
    }
    .text(false);
    assert!(
        text.contains("while ITLFile.tlv is signed by ITLRecovery"),
        "{text}"
    );
    // Without ITLRecovery and without a release, a CallManager-signed ITL is plain 8.0–11.x.
    let clean_itl = itl(&cluster, itl_records(&cluster));
    assert!(!rules(&clean_itl, Kind::Itl, &options()).contains(&"SIG005"));
}

/// The forms admins write `--release` in, and ones that are not releases.
#[test]
fn releases_parse_as_admins_write_them() {
    let parsed = |text: &str| Release::parse(text).map(|release| release.to_string());
    assert_eq!(parsed("10.5").as_deref(), Some("10.5"));
    assert_eq!(parsed("11.5(1)SU3").as_deref(), Some("11.5SU3"));
    assert_eq!(parsed("12.5(1)su2").as_deref(), Some("12.5SU2"));
    assert_eq!(parsed("14SU3").as_deref(), Some("14.0SU3"));
    assert_eq!(parsed("15SU1").as_deref(), Some("15.0SU1"));
    assert_eq!(parsed("15.0").as_deref(), Some("15.0"));
    assert_eq!(parsed("12.5.1.13900-52").as_deref(), Some("12.5"));
    assert_eq!(parsed(" 14 ").as_deref(), Some("14.0"));
    for not_a_release in [
        "", "13x", "SU3", "12.5(", "12.5(x)", "7", "1000", "12.5SU", "v14",
    ] {
        assert_eq!(parsed(not_a_release), None, "{not_a_release:?}");
    }
    let order = [
        "10.5",
        "11.5(1)SU3",
        "12",
        "12.5(1)SU2",
        "14",
        "14SU3",
        "15",
    ];
    let releases: Vec<Release> = order
        .iter()
        .map(|text| Release::parse(text).unwrap())
        .collect();
    assert!(
        releases.windows(2).all(|pair| pair[0] < pair[1]),
        "{releases:?}"
    );
    assert_eq!(Release::parse("14SU3"), Some(Release::V14_SU3));
    ctlkit()
        .args([
            "lint",
            "fixtures/ITLFile-sha1.tlv",
            "--release",
            "11.5(1)SU3",
            "--allow",
            "KNO001",
        ])
        .assert()
        .code(0);
}

#[test]
fn a_cluster_certificate_that_does_not_parse_is_an_error_not_silence() {
    let broken = [ServerCertificate {
        path: "CallManager.pem".to_owned(),
        role: Role::CallManager,
        der: b"not a certificate".to_vec(),
    }];
    let bytes = fixture("CTLFile-tokenless-sha512.tlv");
    let options = LintOptions {
        certificates: &broken,
        ..options()
    };
    let error = lint(&CiscoFile::parse(&bytes).unwrap(), Kind::Ctl, &options).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("CallManager.pem: not an X.509 certificate")
    );
}

/// CER001 follows `check`'s decision of what each kind of list carries: every node's
/// CallManager.pem against one node's ITL, and TVS.pem against a CTL, are not findings.
#[test]
fn cer001_judges_each_list_by_what_cucm_puts_in_it() {
    let given = |role: Role, label: &str| ServerCertificate {
        path: format!("{label}.pem"),
        role,
        der: certificate(label),
    };
    let every_node = [
        given(Role::CallManager, "CallManager-cucm-pub"),
        given(Role::CallManager, "CallManager-cucm-sub1"),
        given(Role::Tvs, "TVS-cucm-pub"),
    ];
    let all_nodes = LintOptions {
        certificates: &every_node,
        ..options()
    };
    let itl = fixture("ITLFile-sha1.tlv");
    assert!(!rules(&itl, Kind::Itl, &all_nodes).contains(&"CER001"));
    let ctl = fixture("CTLFile-etoken-sha1.tlv");
    assert!(!rules(&ctl, Kind::Ctl, &all_nodes).contains(&"CER001"));
    // The ITL's own node's regenerated certificate is still a finding.
    let regenerated = [given(Role::CallManager, "CallManager-cucm-pub-regenerated")];
    let own_node = LintOptions {
        certificates: &regenerated,
        ..options()
    };
    assert!(rules(&itl, Kind::Itl, &own_node).contains(&"CER001"));
}

/// A finding's severity is its rule's, or one of the exceptions the rule states — so the page
/// `--explain` prints cannot disagree with what lint reports (SIG006's and ANC002's pages once
/// did).
#[test]
fn every_severity_a_finding_can_have_is_stated_by_its_rule() {
    use ctlkit::lint::{Lint, ReleaseBasis, RuleId};
    use ctlkit::report::severity_text;
    let cases = [
        Lint::StaleAnchor {
            role: Role::CallManager,
            certificate: "CallManager.pem".to_owned(),
            other_anchor_holds: Some(false),
        },
        Lint::StaleAnchor {
            role: Role::CallManager,
            certificate: "CallManager.pem".to_owned(),
            other_anchor_holds: Some(true),
        },
        Lint::StaleAnchor {
            role: Role::CallManager,
            certificate: "CallManager.pem".to_owned(),
            other_anchor_holds: None,
        },
        Lint::Rollback {
            records: vec![2],
            expected: true,
        },
        Lint::Rollback {
            records: vec![2],
            expected: false,
        },
        Lint::EtokenUnsupported { release: None },
        Lint::EtokenUnsupported {
            release: Release::parse("12.5"),
        },
        Lint::EtokenUnsupported {
            release: Release::parse("14SU2"),
        },
        Lint::EtokenUnsupported {
            release: Release::parse("14SU3"),
        },
        Lint::CallManagerSignsOn12 {
            kind: Kind::Ctl,
            basis: ReleaseBasis::Unknown,
        },
        Lint::CallManagerSignsOn12 {
            kind: Kind::Ctl,
            basis: ReleaseBasis::Given(Release::V15),
        },
        Lint::ShortKey {
            bits: 1024,
            etoken: true,
        },
        Lint::ShortKey {
            bits: 1024,
            etoken: false,
        },
    ];
    for lint in cases {
        let rule = lint.id();
        let stated: Vec<Severity> = std::iter::once(rule.severity())
            .chain(rule.exceptions().iter().map(|(severity, _)| *severity))
            .collect();
        assert!(
            stated.contains(&lint.severity()),
            "{lint:?} is {:?}, but {} states {}",
            lint.severity(),
            rule.as_str(),
            severity_text(rule)
        );
    }
    assert_eq!(
        severity_text(RuleId::Sig006),
        "info (warning on 14 before SU3; error from 14SU3)"
    );
    assert_eq!(
        severity_text(RuleId::Anc002),
        "warning (error when the other anchor does not hold either)"
    );
    assert!(
        explain("sig006")
            .unwrap()
            .starts_with("SIG006 (info (warning on 14 before SU3")
    );
    assert_eq!(RuleId::ALL.len(), RULES.len());
    assert_eq!(RuleId::parse("rol003"), Some(RuleId::Rol003));
}

/// Every `--explain` page says what the rule detects, what phones or CUCM then do, shows a
/// finding as lint prints it (by the same code), how to fix it in CUCM's terms, when allowing
/// it is safe, and where the fact comes from.
#[test]
fn every_explain_page_is_a_whole_page() {
    for page in RULES {
        let id = page.rule.as_str();
        let text = explain(id).unwrap();
        for (section, body) in [
            ("why", page.why),
            ("effect", page.effect),
            ("fix", page.fix),
            ("allow_when", page.allow_when),
            ("source", page.source),
        ] {
            let least = if section == "source" { 8 } else { 20 };
            assert!(body.len() >= least, "{id}: {section} is {body:?}");
            assert!(text.contains(body), "{id}: {section} not on the page");
        }
        for heading in [
            "What phones and CUCM do",
            "Example",
            "How to fix it",
            &format!("When `--allow {id}` is safe"),
        ] {
            assert!(text.contains(heading), "{id}: no {heading:?}");
        }
        let rule = page.rule;
        let example_is_the_rules = std::iter::once(rule.severity())
            .chain(rule.exceptions().iter().map(|(severity, _)| *severity))
            .any(|severity| {
                ["CTLFile.tlv", "ITLFile.tlv"].iter().any(|file| {
                    text.contains(&format!("\n    {}[{id}]: {file}:", severity.as_str()))
                })
            });
        assert!(
            example_is_the_rules,
            "{id}: the example is not this rule's\n{text}"
        );
        assert!(text.len() >= 600, "{id}: {} characters", text.len());
    }
}
