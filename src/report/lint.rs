//! `ctlkit lint`: findings like a compiler's diagnostics, JSON for scripts, and each rule's
//! page for `--explain`. Every sentence about a lint is written here.

use std::fmt::Write as _;

use serde::Serialize;

use super::Render;
use super::words::{function_name, signer_class_words, warning_sentence};
use crate::judge::lint::{Lint, LintFinding, ReleaseBasis, RuleId, Severity};
use ctlkit_format::file::trust_list::Kind;
use ctlkit_format::text::printable;
use ctlkit_format::timefmt::day;

/// One file's findings.
#[derive(Debug, Clone, Copy)]
pub struct LintReport<'r> {
    /// The file as given.
    pub file: &'r str,
    /// What the rules found (after `--allow`).
    pub findings: &'r [LintFinding],
}

/// `ctlkit lint --format json` for one file.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LintJson {
    /// The file's path as given.
    pub path: String,
    /// The findings, in rule order.
    pub findings: Vec<LintFindingJson>,
    /// How many of each severity.
    pub counts: LintCounts,
}

/// One finding.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LintFindingJson {
    /// The rule's id (`SIZ001`…).
    pub rule: &'static str,
    /// `error`, `warning`, `info`.
    pub severity: &'static str,
    /// The record it is about, or null.
    pub record: Option<usize>,
    /// The element it is about, or null.
    pub element: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What to do, in CUCM's terms; null when there is nothing to do.
    pub fix: Option<String>,
}

/// How many findings of each severity.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LintCounts {
    /// Phones will refuse or fail.
    pub error: usize,
    /// Likely trouble.
    pub warning: usize,
    /// Worth knowing.
    pub info: usize,
}

/// Counts the findings by severity.
pub fn lint_counts(findings: &[LintFinding]) -> LintCounts {
    let mut counts = LintCounts::default();
    for finding in findings {
        let slot = match finding.lint.severity() {
            Severity::Error => &mut counts.error,
            Severity::Warning => &mut counts.warning,
            Severity::Info => &mut counts.info,
        };
        *slot = slot.saturating_add(1);
    }
    counts
}

impl Render for LintReport<'_> {
    type Json = LintJson;

    /// `error[SIG001]: FILE: record 2: message` then `  = fix: …`, then a count line.
    fn text(&self, _color: bool) -> String {
        let mut out = String::new();
        let file = printable(self.file.as_bytes());
        for finding in self.findings {
            let place = match (finding.record, &finding.element) {
                (Some(record), Some(element)) => format!(" record {record} {element}:"),
                (Some(record), None) => format!(" record {record}:"),
                (None, Some(element)) => format!(" {element}:"),
                (None, None) => String::new(),
            };
            let _ = writeln!(
                out,
                "{}[{}]: {file}:{place} {}",
                finding.lint.severity().as_str(),
                finding.lint.rule(),
                message(&finding.lint)
            );
            let fix = fix(&finding.lint);
            if !fix.is_empty() {
                let _ = writeln!(out, "  = fix: {fix}");
            }
        }
        let counts = lint_counts(self.findings);
        let _ = writeln!(
            out,
            "{file}: {} error(s), {} warning(s), {} note(s)",
            counts.error, counts.warning, counts.info
        );
        out
    }

    fn json(&self) -> LintJson {
        LintJson {
            path: self.file.to_owned(),
            findings: self
                .findings
                .iter()
                .map(|finding| LintFindingJson {
                    rule: finding.lint.rule(),
                    severity: finding.lint.severity().as_str(),
                    record: finding.record,
                    element: finding.element.map(|element| element.to_string()),
                    message: message(&finding.lint),
                    fix: Some(fix(&finding.lint)).filter(|fix| !fix.is_empty()),
                })
                .collect(),
            counts: lint_counts(self.findings),
        }
    }
}

/// What is wrong, in one sentence.
pub(crate) fn message(lint: &Lint) -> String {
    match lint {
        Lint::ItlTooLarge { bytes } => format!(
            "the ITL is {bytes} bytes, over the 65,536 phones load: they fail to register"
        ),
        Lint::ItlTooManyCertificates { count } => format!(
            "the ITL holds {count} certificates, over the 39 phones load: they fail to register"
        ),
        Lint::ItlNearLimit { bytes, count } => format!(
            "the ITL is {bytes} bytes with {count} certificates, near the 64 KiB / 39-certificate limit"
        ),
        Lint::SignatureNotValid(outcome) => format!(
            "the signature does not hold ({}): phones refuse the file",
            outcome.code()
        ),
        Lint::SignerNotSast { role } => format!(
            "the header names a {} record as signer, not a SAST record: phones refuse the file",
            function_name(*role)
        ),
        Lint::TooManySast { count } => format!(
            "{count} SAST records; CUCM writes two (the signer and its backup)"
        ),
        Lint::SignerClass(class) => format!("signed by {}", signer_class_words(*class)),
        Lint::CallManagerSignsOn12 { kind, basis } => {
            let utility = if *kind == Kind::Itl { "itl" } else { "ctl" };
            match basis {
                ReleaseBasis::Given(release) => format!(
                    "the {kind} is signed by a CallManager key on CUCM {release}: from 12.0 ITLRecovery signs, so `utils {utility} reset localkey` was never undone"
                ),
                ReleaseBasis::ItlSignedByRecovery { itl } => format!(
                    "the {kind} is signed by a CallManager key while {} is signed by ITLRecovery (so the cluster runs 12.0 or later): `utils {utility} reset localkey` was never undone",
                    printable(itl.as_bytes())
                ),
                ReleaseBasis::Unknown => format!(
                    "the {kind} is signed by a CallManager key and carries ITLRecovery as a second SAST record: what CUCM 10.x and 11.x write; on 12.0 or later it would mean `utils {utility} reset localkey` was never undone (give --release to judge)"
                ),
            }
        }
        Lint::EtokenUnsupported { release } => match release {
            Some(release) => format!(
                "the CTL is signed by a USB eToken; eTokens are unsupported from CUCM 14SU3 (release given: {release})"
            ),
            None => "the CTL is signed by a USB eToken; eTokens are unsupported from CUCM 14SU3 (no release given)".to_owned(),
        },
        Lint::NoItlRecoveryAnchor => {
            "the CTL has no ITLRecovery SAST record, one of its two root anchors (Field Notice 70613)".to_owned()
        }
        Lint::StaleAnchor {
            role,
            certificate,
            other_anchor_holds,
        } => format!(
            "the CTL's {} anchor is not the cluster's current {} ({}){}",
            role.name(),
            role.file_name(),
            printable(certificate.as_bytes()),
            match other_anchor_holds {
                Some(true) => "; the other anchor still holds",
                Some(false) => "; neither anchor holds: phones have no valid anchor left",
                None => "; give the other anchor's certificate to know whether phones have one left",
            }
        ),
        Lint::RecoveryKeyShort {
            recovery_bits,
            callmanager_bits,
        } => format!(
            "ITLRecovery's key is {recovery_bits} bits while CallManager's is {callmanager_bits}: ITL recovery fails"
        ),
        Lint::NotClusterCertificate {
            role,
            certificate,
            status,
        } => format!(
            "no record holds the cluster's current {} ({}): {}",
            role.file_name(),
            printable(certificate.as_bytes()),
            status.as_str()
        ),
        Lint::NoTvs => "the ITL names no TVS: phones cannot ask about new signers".to_owned(),
        Lint::NoTftp => {
            "the ITL has no TFTP or CCM+TFTP record: phones cannot check signed configs".to_owned()
        }
        Lint::Rollback { records, expected } => format!(
            "a rollback ITL: records {} name TVS / TFTP without a certificate, so phones accept any config and any new ITL{}",
            records
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            if *expected { " (expected)" } else { "" }
        ),
        Lint::DuplicateRecord { first } => {
            format!("the same certificate in the same role as record {first}")
        }
        Lint::SubjectDisagrees { common_name } => format!(
            "SUBJECTNAME does not name the certificate it carries (CN={})",
            printable(common_name.as_bytes())
        ),
        Lint::UnknownFunction { code } => format!("FUNCTION {code} is not a role the format defines"),
        Lint::ShortKey { bits, etoken } => format!(
            "an RSA key of {bits} bits, under 2048{}",
            if *etoken { " (as every USB eToken's)" } else { "" }
        ),
        Lint::KeyNeedsSignerVersion { key } => format!(
            "an {key} key without header tag 28 = 1.1: reported not to work on phones"
        ),
        Lint::Sha512 => "signed with SHA-512: phones that cannot check SHA-512 stop working".to_owned(),
        Lint::Sha256Digest => "digest code 2 (SHA-256), which CUCM never writes".to_owned(),
        Lint::Expired { not_after } => format!("the certificate expired {}", day(*not_after)),
        Lint::NotYetValid { not_before } => {
            format!("the certificate is not valid before {}", day(*not_before))
        }
        Lint::Expiring { not_after, days } => format!(
            "the certificate expires {} (within {days} days)",
            day(*not_after)
        ),
        Lint::TimestampInFuture { signed } => {
            format!("TIMESTAMP {} is in the future", day(*signed))
        }
        Lint::TimestampBeforeSigner { signed, issued } => format!(
            "TIMESTAMP {} is before the signer's certificate was issued ({})",
            day(*signed),
            day(*issued)
        ),
        Lint::KnownKey { published } => format!(
            "this key's private half is public ({published}): anyone can sign files these phones trust"
        ),
        Lint::Structure(warning) => warning_sentence(warning),
    }
}

/// What to do, in CUCM's terms; empty for notes that need nothing.
pub(crate) fn fix(lint: &Lint) -> String {
    match lint {
        Lint::ItlTooLarge { .. } | Lint::ItlTooManyCertificates { .. } | Lint::ItlNearLimit { .. } => {
            "remove certificates the phones do not need from the Phone-SAST-trust / CallManager-trust stores (OS Administration > Certificate Management), then restart Cisco TFTP".to_owned()
        }
        Lint::SignatureNotValid(_) | Lint::SignerNotSast { .. } => {
            "re-sign the file with a SAST key the phones hold (`utils ctl update CTLFile`, or restart Cisco TFTP for the ITL); do not serve this copy".to_owned()
        }
        Lint::TooManySast { .. } => {
            "rebuild the list with the signer and one backup SAST record".to_owned()
        }
        Lint::SignerClass(_) => String::new(),
        Lint::CallManagerSignsOn12 {
            basis: ReleaseBasis::Unknown,
            ..
        } => String::new(),
        Lint::CallManagerSignsOn12 { kind, .. } => match kind {
            Kind::Itl => {
                "once phones hold this ITL, restart Cisco TFTP so ITLRecovery signs the ITL again".to_owned()
            }
            Kind::Ctl => {
                "run `utils ctl update CTLFile` so ITLRecovery signs the CTL again".to_owned()
            }
        },
        Lint::EtokenUnsupported { .. } => {
            "move the cluster to tokenless mixed mode (`utils ctl set-cluster mixed-mode`) before upgrading to 14SU3 or later".to_owned()
        }
        Lint::NoItlRecoveryAnchor | Lint::StaleAnchor { .. } => {
            "run `utils ctl update CTLFile` so the CTL carries the current ITLRecovery and CallManager certificates; if neither anchor holds, the CTL must be deleted on each phone".to_owned()
        }
        Lint::RecoveryKeyShort { .. } => {
            "regenerate ITLRecovery with a 2048-bit key (`set cert regen ITLRecovery`), then update the CTL and restart Cisco TFTP".to_owned()
        }
        Lint::NotClusterCertificate { .. } => {
            "rebuild the list with the cluster's current certificates (`utils ctl update CTLFile` for the CTL; restart Cisco TFTP for the ITL); `ctlkit check` shows which record holds what".to_owned()
        }
        Lint::NoTvs => {
            "make sure the Cisco Trust Verification Service runs and restart Cisco TFTP so the ITL lists it".to_owned()
        }
        Lint::NoTftp => {
            "restart Cisco TFTP on the TFTP node so it rebuilds the ITL with its CallManager certificate".to_owned()
        }
        Lint::Rollback { expected: true, .. } => String::new(),
        Lint::Rollback { .. } => {
            "set the enterprise parameter \"Prepare Cluster for Rollback to pre 8.0\" back to False and restart Cisco TFTP".to_owned()
        }
        Lint::DuplicateRecord { .. } => "rebuild the list without the duplicate".to_owned(),
        Lint::SubjectDisagrees { .. } => {
            "rebuild the list so each record's strings come from its own certificate".to_owned()
        }
        Lint::UnknownFunction { .. } => {
            "check which tool wrote this record; phones ignore roles they do not know".to_owned()
        }
        Lint::ShortKey { etoken: true, .. } => {
            "plan tokenless mixed mode: eTokens are 1024-bit".to_owned()
        }
        Lint::ShortKey { .. } => {
            "regenerate the certificate with a 2048-bit key (`set cert regen`)".to_owned()
        }
        Lint::KeyNeedsSignerVersion { .. } => {
            "build the list with header tag 28 = 1.1, or use a 2048-bit RSA certificate".to_owned()
        }
        Lint::Sha512 => {
            "the enterprise parameter \"TFTP File Signature Algorithm\" sets it: keep SHA-1 until every phone model in the cluster checks SHA-512".to_owned()
        }
        Lint::Sha256Digest => "sign with SHA-1 or SHA-512, the digests CUCM writes".to_owned(),
        Lint::Expired { .. } | Lint::Expiring { .. } | Lint::NotYetValid { .. } => {
            "regenerate the certificate (OS Administration > Certificate Management, or `set cert regen`), then update the trust list".to_owned()
        }
        Lint::TimestampInFuture { .. } | Lint::TimestampBeforeSigner { .. } => {
            "check the signing machine's clock (`utils ntp status`) and re-sign".to_owned()
        }
        Lint::KnownKey { .. } => {
            "never serve files signed by, or trusting, a published key: regenerate the certificate and re-sign".to_owned()
        }
        Lint::Structure(_) => "rebuild the file with CUCM or `ctlkit build`".to_owned(),
    }
}

/// A rule's page: what it checks, why it matters, what to do, and where the fact comes from.
pub struct RulePage {
    /// Its id; its severity comes with it ([`RuleId::severity`], [`RuleId::exceptions`]).
    pub rule: RuleId,
    /// One line.
    pub title: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// Where the fact comes from.
    pub source: &'static str,
}

/// Every rule's page, in id order.
pub const RULES: &[RulePage] = &[
    RulePage {
        rule: RuleId::Siz001,
        title: "ITL over 64 KiB",
        why: "Phones fail to register with an ITL larger than 64 KiB.",
        source: "Cisco Unified CM security guide (ITL size limit)",
    },
    RulePage {
        rule: RuleId::Siz002,
        title: "ITL over 39 certificates",
        why: "More than 39 certificates make the ITL too large; phones fail to register.",
        source: "Cisco Unified CM security guide (ITL size limit)",
    },
    RulePage {
        rule: RuleId::Siz003,
        title: "ITL near the size limit",
        why: "Within 8 KiB or 4 certificates of the limit, the next certificate added breaks registration.",
        source: "Cisco Unified CM security guide (ITL size limit)",
    },
    RulePage {
        rule: RuleId::Sig001,
        title: "signature does not hold",
        why: "The file does not verify with its own signer record: changed after signing, or signed by another key; phones refuse it.",
        source: "docs/FORMAT.md §4",
    },
    RulePage {
        rule: RuleId::Sig002,
        title: "signer is not a SAST record",
        why: "Only SAST records may sign a trust list.",
        source: "docs/FORMAT.md §3, §4",
    },
    RulePage {
        rule: RuleId::Sig003,
        title: "more than two SAST records",
        why: "CUCM writes two SAST records (the signer and its backup); more means a hand-built or merged list.",
        source: "non-Cisco builder's documentation; docs/FORMAT.md §3",
    },
    RulePage {
        rule: RuleId::Sig004,
        title: "signer class",
        why: "Who signed (eToken, ITLRecovery, CallManager, third party) decides what can sign the next list.",
        source: "docs/FORMAT.md §3 (who signs)",
    },
    RulePage {
        rule: RuleId::Sig005,
        title: "CallManager signs on 12.0 or later",
        why: "From 12.0 ITLRecovery signs; a list still signed by CallManager means `utils itl|ctl reset localkey` was never undone. 10.x and 11.x sign tokenless CTLs and ITLs with CallManager by design, and their tokenless CTLs already carry ITLRecovery as the second SAST record, so an ITLRecovery record does not date a file: the release comes from --release, or from an ITL signed by ITLRecovery linted alongside; without either, a file that holds ITLRecovery and is signed by CallManager gets a note.",
        source: "Cisco Unified CM security guide (ITL recovery); docs/FORMAT.md §10",
    },
    RulePage {
        rule: RuleId::Sig006,
        title: "eToken-signed CTL",
        why: "USB eTokens are unsupported from CUCM 14SU3.",
        source: "CUCM 14SU3 release notes; docs/FORMAT.md §10",
    },
    RulePage {
        rule: RuleId::Anc001,
        title: "CTL without ITLRecovery",
        why: "A tokenless CTL (10.x on) has two root anchors, ITLRecovery and CallManager; without ITLRecovery one change of CallManager leaves phones no anchor. eToken-signed CTLs are anchored by their tokens instead.",
        source: "Field Notice 70613",
    },
    RulePage {
        rule: RuleId::Anc002,
        title: "stale root anchor",
        why: "When the CTL's ITLRecovery and CallManager both differ from the cluster's, phones have no valid anchor and the CTL must be deleted on each phone.",
        source: "Field Notice 70613",
    },
    RulePage {
        rule: RuleId::Anc003,
        title: "ITLRecovery shorter than CallManager",
        why: "ITL recovery fails when ITLRecovery is 1024-bit while the servers' certificates are 2048-bit.",
        source: "Cisco TAC technote on ITL recovery; docs/FORMAT.md §10",
    },
    RulePage {
        rule: RuleId::Cer001,
        title: "not the cluster's current certificate",
        why: "A record that does not hold the certificate the cluster now uses (CallManager.pem, CAPF.pem, TVS.pem, ITLRecovery.pem given with the command) breaks what phones check with it: TLS to CallManager, CAPF, TVS, or the next list's signature. The same comparison as `ctlkit check`.",
        source: "docs/FORMAT.md §5; ctlkit check",
    },
    RulePage {
        rule: RuleId::Rol001,
        title: "ITL without TVS",
        why: "Phones ask TVS about signers they do not hold; without one they refuse every new signer.",
        source: "docs/FORMAT.md §5",
    },
    RulePage {
        rule: RuleId::Rol002,
        title: "ITL without TFTP",
        why: "Phones check signed configs with a TFTP or CCM+TFTP record; without one no config verifies.",
        source: "docs/FORMAT.md §9",
    },
    RulePage {
        rule: RuleId::Rol003,
        title: "rollback ITL",
        why: "\"Prepare Cluster for Rollback to pre-8.0\" serves TVS and TFTP records without certificates: phones then accept any config and any new ITL. It is meant to be temporary.",
        source: "Cisco Unified CM security guide (rollback); docs/FORMAT.md §10",
    },
    RulePage {
        rule: RuleId::Rol004,
        title: "duplicate record",
        why: "The same certificate twice in the same role for the same host wastes space under the size limit and hides merges. One certificate in a record per node (CUCM 14 multi-server SAN certificates) is normal and not reported.",
        source: "docs/FORMAT.md §3",
    },
    RulePage {
        rule: RuleId::Rol005,
        title: "record names another certificate",
        why: "SUBJECTNAME that does not carry its certificate's CN means the strings and the certificate came from different places.",
        source: "docs/FORMAT.md §3",
    },
    RulePage {
        rule: RuleId::Rol006,
        title: "unknown FUNCTION",
        why: "Phones ignore roles they do not know.",
        source: "docs/FORMAT.md §3",
    },
    RulePage {
        rule: RuleId::Key001,
        title: "RSA under 2048 bits",
        why: "Short keys are weak; eTokens are 1024-bit by design.",
        source: "NIST SP 800-131A",
    },
    RulePage {
        rule: RuleId::Key002,
        title: "key needs header tag 28 = 1.1",
        why: "RSA keys above 2048 bits and EC keys are reported not to work on phones without SIGNERVERSION 1.1.",
        source: "non-Cisco builder's users; docs/FORMAT.md §10",
    },
    RulePage {
        rule: RuleId::Key003,
        title: "SHA-512 signature",
        why: "Phones that cannot check SHA-512 stop working; the enterprise parameter \"TFTP File Signature Algorithm\" controls it.",
        source: "Cisco Unified CM security guide; docs/FORMAT.md §9",
    },
    RulePage {
        rule: RuleId::Key004,
        title: "SHA-256 digest code",
        why: "Digest code 2 is defined by one builder and never written by CUCM.",
        source: "docs/FORMAT.md §8",
    },
    RulePage {
        rule: RuleId::Dat001,
        title: "certificate expired",
        why: "An expired certificate in a trust list fails TLS and signature checks that depend on it.",
        source: "RFC 5280",
    },
    RulePage {
        rule: RuleId::Dat002,
        title: "certificate not yet valid",
        why: "A certificate before its notBefore fails the same checks; often a clock problem.",
        source: "RFC 5280",
    },
    RulePage {
        rule: RuleId::Dat003,
        title: "certificate expiring",
        why: "It ends within --warn-days (30 by default).",
        source: "RFC 5280",
    },
    RulePage {
        rule: RuleId::Dat004,
        title: "TIMESTAMP in the future",
        why: "The signing machine's clock was wrong.",
        source: "docs/FORMAT.md §2",
    },
    RulePage {
        rule: RuleId::Dat005,
        title: "TIMESTAMP before the signer existed",
        why: "A file cannot be signed before its signer's certificate was issued: a clock problem or a forged header.",
        source: "docs/FORMAT.md §2",
    },
    RulePage {
        rule: RuleId::Kno001,
        title: "published private key",
        why: "A record or signer whose key's private half is public lets anyone sign files these phones trust (this project's own fixture keys, among others).",
        source: "ctlkit fixtures/cluster",
    },
    RulePage {
        rule: RuleId::Str001,
        title: "structural oddity",
        why: "Unknown or duplicate tags, values of the wrong size, missing elements, an unpadded header, a certificate that does not parse: real files may have them, phones may not like them.",
        source: "docs/FORMAT.md §2, §3",
    },
];

/// The page `--explain RULE` prints; `None` for an unknown rule.
pub fn explain(rule: &str) -> Option<String> {
    let page = RULES
        .iter()
        .find(|page| page.rule.as_str().eq_ignore_ascii_case(rule))?;
    Some(format!(
        "{} ({}): {}\n\n{}\n\nSource: {}\n",
        page.rule.as_str(),
        severity_text(page.rule),
        page.title,
        page.why,
        page.source
    ))
}

/// `warning (info when the release is not known)`: the rule's severity and its exceptions, as
/// the rule states them.
pub fn severity_text(rule: RuleId) -> String {
    let exceptions: Vec<String> = rule
        .exceptions()
        .iter()
        .map(|(severity, when)| format!("{} {when}", severity.as_str()))
        .collect();
    if exceptions.is_empty() {
        rule.severity().as_str().to_owned()
    } else {
        format!("{} ({})", rule.severity().as_str(), exceptions.join("; "))
    }
}

/// Every file's lint report: text one after another; JSON an array with one document per
/// file, one file or many (a script whose glob matches one file gets the same shape).
#[derive(Debug, Clone, Copy)]
pub struct LintReports<'r> {
    /// Each file as given, with its findings.
    pub files: &'r [(String, Vec<LintFinding>)],
}

impl Render for LintReports<'_> {
    type Json = Vec<LintJson>;

    fn text(&self, color: bool) -> String {
        self.files
            .iter()
            .map(|(file, findings)| LintReport { file, findings }.text(color))
            .collect()
    }

    fn json(&self) -> Vec<LintJson> {
        self.files
            .iter()
            .map(|(file, findings)| LintReport { file, findings }.json())
            .collect()
    }
}
