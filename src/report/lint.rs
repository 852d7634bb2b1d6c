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

    #[cfg(feature = "html")]
    fn html(&self) -> super::html::HtmlBody {
        super::html::lint::lint_page(std::slice::from_ref(&self.json()))
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
        Lint::NoTvs { .. } => "the ITL names no TVS: phones cannot ask about new signers".to_owned(),
        Lint::NoTftp { .. } => {
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
        Lint::NoTvs {
            outside_cucm: false,
        } => {
            "make sure the Cisco Trust Verification Service runs and restart Cisco TFTP so the ITL lists it".to_owned()
        }
        Lint::NoTvs { outside_cucm: true } => {
            "outside CUCM there is no TVS to list: sign every next list with a SAST key the phones already hold, and keep that key backed up (losing it means deleting the trust list on every phone by hand)".to_owned()
        }
        Lint::NoTftp { outside_cucm: true } => {
            "rebuild the list with the certificate that signs your configs as a TFTP record (`ctlkit build --tftp TFTP.pem`)".to_owned()
        }
        Lint::NoTftp {
            outside_cucm: false,
        } => {
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
    /// What it detects and why it matters.
    pub why: &'static str,
    /// What phones or CUCM do when it happens, with the message the administrator sees.
    pub effect: &'static str,
    /// How to fix it, in CUCM's terms (the CLI command or the GUI path).
    pub fix: &'static str,
    /// When `--allow RULE` is safe.
    pub allow_when: &'static str,
    /// Where the fact comes from.
    pub source: &'static str,
}

/// Every rule's page, in id order.
pub const RULES: &[RulePage] = &[
    RulePage {
        rule: RuleId::Siz001,
        title: "ITL over 64 KiB",
        why: "Phones fail to register with an ITL larger than 64 KiB.",
        effect: "Phones stop loading the ITL and fail to register securely; on the phone the ITL download ends in `Trust List update failed`, and CUCM's `show itl` still prints the file as if nothing were wrong.",
        fix: "Remove certificates the cluster no longer needs from the trust stores that feed the ITL (OS Administration > Certificate Management: stale CallManager-trust and TVS entries, old third-party CAs), then restart Cisco TFTP on each TFTP node so it rebuilds ITLFile.tlv, and check it again with `ctlkit lint tftp://NODE/ITLFile.tlv`.",
        allow_when: "Never for a file phones will download: the limit is the phones'. Only for a file kept for the record.",
        source: "Cisco Unified CM security guide (ITL size limit)",
    },
    RulePage {
        rule: RuleId::Siz002,
        title: "ITL over 39 certificates",
        why: "More than 39 certificates make the ITL too large; phones fail to register.",
        effect: "The ITL holds more certificates than phones load; they fail to register, with `Trust List update failed` on the screen.",
        fix: "As for SIZ001: delete certificates the cluster does not need from the trust stores that feed the ITL (OS Administration > Certificate Management), restart Cisco TFTP, lint the new file.",
        allow_when: "Never for a file phones will download.",
        source: "Cisco Unified CM security guide (ITL size limit)",
    },
    RulePage {
        rule: RuleId::Siz003,
        title: "ITL near the size limit",
        why: "Within 8 KiB or 4 certificates of the limit, the next certificate added breaks registration.",
        effect: "Nothing yet: phones load the file. The next certificate added to the cluster (a new node, a renewed CA) pushes the ITL over the limit and every phone then fails to register.",
        fix: "Plan the clean-up before the next certificate change: remove unused trust-store entries (OS Administration > Certificate Management), restart Cisco TFTP, lint again.",
        allow_when: "When the cluster will not grow and no certificate change is planned; keep the finding in mind before adding nodes.",
        source: "Cisco Unified CM security guide (ITL size limit)",
    },
    RulePage {
        rule: RuleId::Sig001,
        title: "signature does not hold",
        why: "The file does not verify with its own signer record: changed after signing, or signed by another key; phones refuse it.",
        effect: "Phones refuse the file: `Trust List update failed` for a CTL or ITL (they keep the old list); for a config, `invalid file <name>.sgn, authenticated fail`. A phone with no list at all would take it on faith, which is worse.",
        fix: "Do not serve this copy. Fetch the file again from the TFTP server (`ctlkit fetch tftp://NODE/CTLFile.tlv`) and compare (`ctlkit diff`); if the server's own copy fails, regenerate it: `utils ctl update CTLFile` (tokenless) or the CTL client (eTokens) for a CTL, a Cisco TFTP restart for an ITL.",
        allow_when: "Never: a file whose signature does not hold is not what its signer wrote.",
        source: "docs/FORMAT.md §4",
    },
    RulePage {
        rule: RuleId::Sig002,
        title: "signer is not a SAST record",
        why: "Only SAST records may sign a trust list.",
        effect: "Phones check a trust list only with SAST records; a list signed by a CCM, TFTP or CAPF record is refused (`Trust List update failed`).",
        fix: "Rebuild the list signed by a SAST record: on CUCM `utils ctl update CTLFile`; with ctlkit `ctlkit build --signer SAST.pem --signer-key SAST.key …` where the signer is one of the list's SAST records.",
        allow_when: "Never for phones; only when studying a hand-built file.",
        source: "docs/FORMAT.md §3, §4",
    },
    RulePage {
        rule: RuleId::Sig003,
        title: "more than two SAST records",
        why: "CUCM writes two SAST records (the signer and its backup); more means a hand-built or merged list.",
        effect: "Phones are reported to load at most two SAST records; a third is ignored at best, and a merged list may name signers the cluster no longer has.",
        fix: "Rebuild the list from the cluster (`utils ctl update CTLFile`), or with `ctlkit build` naming exactly the signer and its backup.",
        allow_when: "When you built the list yourself on purpose for a PBX that is not CUCM and have tested it on every phone model you run.",
        source: "non-Cisco builder's documentation; docs/FORMAT.md §3",
    },
    RulePage {
        rule: RuleId::Sig004,
        title: "signer class",
        why: "Who signed (eToken, ITLRecovery, CallManager, third party) decides what can sign the next list.",
        effect: "Nothing goes wrong by itself: the class says which key must sign the next list for phones to take it (the same eToken or its partner, ITLRecovery, or the node's CallManager key).",
        fix: "Nothing to fix; keep the key the class names (the eTokens, or the ITLRecovery / CallManager certificates) safe and unchanged until phones hold a list signed by its successor.",
        allow_when: "Always: it is information.",
        source: "docs/FORMAT.md §3 (who signs)",
    },
    RulePage {
        rule: RuleId::Sig005,
        title: "CallManager signs on 12.0 or later",
        why: "From 12.0 ITLRecovery signs; a list still signed by CallManager means `utils itl|ctl reset localkey` was never undone. 10.x and 11.x sign tokenless CTLs and ITLs with CallManager by design, and their tokenless CTLs already carry ITLRecovery as the second SAST record, so an ITLRecovery record does not date a file: the release comes from --release, or from an ITL signed by ITLRecovery linted alongside; without either, a file that holds ITLRecovery and is signed by CallManager gets a note.",
        effect: "On 12.0 and later, phones expect the next list to be signed by ITLRecovery. A list still signed by CallManager means `utils itl reset localkey` / `utils ctl reset localkey` was run and never undone; the next CallManager regeneration then leaves phones holding a signer the cluster no longer has, and they show `Trust List update failed`.",
        fix: "Restart Cisco TFTP on 12.x so the ITL is signed by ITLRecovery again (`utils itl reset remote` undoes a local-key reset), and for a CTL run `utils ctl update CTLFile`; give `--release` so ctlkit knows the version.",
        allow_when: "On 10.x and 11.x, where CallManager signs by design (give `--release 11.5` and the finding goes), or during a planned ITL recovery.",
        source: "Cisco Unified CM security guide (ITL recovery); docs/FORMAT.md §10",
    },
    RulePage {
        rule: RuleId::Sig006,
        title: "eToken-signed CTL",
        why: "USB eTokens are unsupported from CUCM 14SU3.",
        effect: "Cisco stopped supporting USB eTokens in CUCM 14SU3: the CTL client that signs with them is gone, so a CTL signed by an eToken cannot be updated any more and the next change strands phones on the old list.",
        fix: "Move to tokenless mixed mode before upgrading: on the publisher, `utils ctl set-cluster mixed-mode` writes a CTL signed by the cluster's own key instead of the eTokens. Phones holding the eToken-signed CTL take it only if TVS vouches for that key, so check first with `ctlkit verify --trust CTLFile.tlv NEW_CTL.tlv`.",
        allow_when: "On releases before 14SU3 (it is then a warning on 14 and a note before), while the move is planned.",
        source: "CUCM 14SU3 release notes; docs/FORMAT.md §10",
    },
    RulePage {
        rule: RuleId::Anc001,
        title: "CTL without ITLRecovery",
        why: "A tokenless CTL (10.x on) has two root anchors, ITLRecovery and CallManager; without ITLRecovery one change of CallManager leaves phones no anchor. eToken-signed CTLs are anchored by their tokens instead.",
        effect: "A tokenless CTL anchors phones on two keys, ITLRecovery and CallManager; without ITLRecovery, one regeneration of CallManager leaves phones with no key that can sign the next list, and each phone must have its CTL deleted by hand (Field Notice 70613).",
        fix: "Run `utils ctl update CTLFile` on the publisher so CUCM writes the ITLRecovery record again, then check with `ctlkit lint CTLFile.tlv --itlrecovery ITLRecovery.pem`.",
        allow_when: "For a CTL signed by eTokens (they are its anchors) or a non-CUCM list that has another recovery plan.",
        source: "Field Notice 70613",
    },
    RulePage {
        rule: RuleId::Anc002,
        title: "stale root anchor",
        why: "When the CTL's ITLRecovery and CallManager both differ from the cluster's, phones have no valid anchor and the CTL must be deleted on each phone.",
        effect: "Phones hold a CTL whose root anchors the cluster no longer has: they cannot verify the next CTL or ITL (`Trust List update failed`) and stay on the old trust until the CTL is deleted on each phone (Settings > Security > Reset Security Settings, or a factory reset).",
        fix: "If one anchor still matches, sign the next CTL with it (`utils ctl update CTLFile` while the old certificate is still in place). If neither does, regenerate the CTL and delete it on every phone (Bulk reset of security settings, or per phone) — Field Notice 70613.",
        allow_when: "When the certificates given are not this cluster's (a mix-up on the command line), or the phones already hold a newer list.",
        source: "Field Notice 70613",
    },
    RulePage {
        rule: RuleId::Anc003,
        title: "ITLRecovery shorter than CallManager",
        why: "ITL recovery fails when ITLRecovery is 1024-bit while the servers' certificates are 2048-bit.",
        effect: "ITL recovery (`utils itl reset`) needs phones to verify a file signed by ITLRecovery; with a 1024-bit ITLRecovery and 2048-bit servers it fails, and phones stay stuck on the old ITL.",
        fix: "Regenerate ITLRecovery at 2048 bits (`set cert regen ITLRecovery` on the publisher; OS Administration > Certificate Management), restart Cisco TFTP, and let phones take the new ITL before any other certificate change.",
        allow_when: "Never on a cluster that may need ITL recovery.",
        source: "Cisco TAC technote on ITL recovery; docs/FORMAT.md §10",
    },
    RulePage {
        rule: RuleId::Cer001,
        title: "not the cluster's current certificate",
        why: "A record that does not hold the certificate the cluster now uses (CallManager.pem, CAPF.pem, TVS.pem, ITLRecovery.pem given with the command) breaks what phones check with it: TLS to CallManager, CAPF, TVS, or the next list's signature. The same comparison as `ctlkit check`.",
        effect: "Phones check TLS to CallManager, CAPF and TVS, and the next list's signature, against what the list holds; a record with another certificate than the cluster's makes those checks fail: phones do not register securely, or `Trust List update failed` on the next update.",
        fix: "Update the list after a certificate change: `utils ctl update CTLFile` (or the CTL client with eTokens) for a CTL, a Cisco TFTP restart for an ITL; `ctlkit check` shows each record against the certificates.",
        allow_when: "When the certificate given is not the cluster's current one (an old export), or the change is deliberate and phones have not been moved yet.",
        source: "docs/FORMAT.md §5; ctlkit check",
    },
    RulePage {
        rule: RuleId::Rol001,
        title: "ITL without TVS",
        why: "Phones ask TVS about signers they do not hold; without one they refuse every new signer.",
        effect: "A phone asks TVS about a signer its lists do not hold; with no TVS in the ITL it refuses every file signed by anyone new (`invalid file …, authenticated fail`, `Trust List update failed`).",
        fix: "Make sure the Cisco Trust Verification Service runs on the CallManager nodes (Cisco Unified Serviceability > Service Activation), restart Cisco TFTP, and lint the new ITL.",
        allow_when: "For a PBX that is not CUCM and serves no TVS (phones then trust only what the list names).",
        source: "docs/FORMAT.md §5",
    },
    RulePage {
        rule: RuleId::Rol002,
        title: "ITL without TFTP",
        why: "Phones check signed configs with a TFTP or CCM+TFTP record; without one no config verifies.",
        effect: "Phones check signed configs with a TFTP or CCM+TFTP record; without one no config verifies (`invalid file SEP….cnf.xml.sgn, authenticated fail`) and secure phones do not take their configuration.",
        fix: "Restart Cisco TFTP so it writes the ITL with its own certificate as TFTP / CCM+TFTP; for a hand-built list, `ctlkit build --tftp CallManager.pem` (or `--ccm-tftp`).",
        allow_when: "For a list that never signs configs (an ITL only used to anchor a CTL), rarely.",
        source: "docs/FORMAT.md §9",
    },
    RulePage {
        rule: RuleId::Rol003,
        title: "rollback ITL",
        why: "\"Prepare Cluster for Rollback to pre-8.0\" serves TVS and TFTP records without certificates: phones then accept any config and any new ITL. It is meant to be temporary.",
        effect: "While phones hold it they accept any config and any new ITL, signed by anyone: security is off by design, for moving back to a release before 8.0.",
        fix: "Once phones hold it and the rollback is done (or abandoned), set the enterprise parameter \"Prepare Cluster for Rollback to pre-8.0\" back to False, restart Cisco TFTP and TVS, and let phones take the real ITL (`ctlkit audit` shows who has).",
        allow_when: "During a planned rollback: give `--expect-rollback` and the finding becomes a note.",
        source: "Cisco Unified CM security guide (rollback); docs/FORMAT.md §10",
    },
    RulePage {
        rule: RuleId::Rol004,
        title: "duplicate record",
        why: "The same certificate twice in the same role for the same host wastes space under the size limit and hides merges. One certificate in a record per node (CUCM 14 multi-server SAN certificates) is normal and not reported.",
        effect: "Nothing breaks at once; the copy wastes space under the 64 KiB / 39-certificate limit and usually means two lists were merged by hand.",
        fix: "Regenerate the list from the cluster (restart Cisco TFTP / `utils ctl update CTLFile`), or rebuild with `ctlkit build` listing each certificate once.",
        allow_when: "When the copy is known and the list is far from the size limit.",
        source: "docs/FORMAT.md §3",
    },
    RulePage {
        rule: RuleId::Rol005,
        title: "record names another certificate",
        why: "SUBJECTNAME that does not carry its certificate's CN means the strings and the certificate came from different places.",
        effect: "Phones go by SERIALNUMBER and the certificate; a SUBJECTNAME that names another host means the record's strings and its certificate came from different places, so what `show ctl` prints is not what phones check.",
        fix: "Rebuild the list from the cluster; with ctlkit, `ctlkit build` takes subject and serial from each certificate.",
        allow_when: "For a list from a non-CUCM builder known to write its own names.",
        source: "docs/FORMAT.md §3",
    },
    RulePage {
        rule: RuleId::Rol006,
        title: "unknown FUNCTION",
        why: "Phones ignore roles they do not know.",
        effect: "Phones ignore records whose role they do not know: the certificate in it protects nothing.",
        fix: "If the record should do something, rebuild it with a known role (SAST, CCM, CCM+TFTP, TFTP, CAPF, TVS); `ctlkit show` prints each record's role.",
        allow_when: "When a newer CUCM release defines the role (tell us: docs/FORMAT.md §3 lists the known ones).",
        source: "docs/FORMAT.md §3",
    },
    RulePage {
        rule: RuleId::Key001,
        title: "RSA under 2048 bits",
        why: "Short keys are weak; eTokens are 1024-bit by design.",
        effect: "Phones accept the key, but a short RSA key can be broken; a list or config signed with it can be forged.",
        fix: "Regenerate the certificate at 2048 bits (`set cert regen CallManager` etc., OS Administration > Certificate Management), then update the lists (`utils ctl update CTLFile`, restart Cisco TFTP).",
        allow_when: "For eToken records: they are 1024-bit by design (a note, not a warning).",
        source: "NIST SP 800-131A",
    },
    RulePage {
        rule: RuleId::Key002,
        title: "key needs header tag 28 = 1.1",
        why: "RSA keys above 2048 bits and EC keys are reported not to work on phones without SIGNERVERSION 1.1.",
        effect: "Phones are reported not to take lists with EC keys or RSA keys above 2048 bits unless the header says SIGNERVERSION 1.1 (tag 28); they show `Trust List update failed`.",
        fix: "Rebuild the list with signer version 1.1 (certutils' `tlvfile -v 1.1` does; CUCM writes 1.0 with RSA-2048 certificates), or use RSA-2048 certificates.",
        allow_when: "When every phone model you run has been tested with the file.",
        source: "non-Cisco builder's users; docs/FORMAT.md §10",
    },
    RulePage {
        rule: RuleId::Key003,
        title: "SHA-512 signature",
        why: "Phones that cannot check SHA-512 stop working; the enterprise parameter \"TFTP File Signature Algorithm\" controls it.",
        effect: "Phones that cannot check SHA-512 signatures stop taking signed files (older models: check the release notes of each model's firmware).",
        fix: "If any phone model in the cluster cannot check SHA-512, set the enterprise parameter \"TFTP File Signature Algorithm\" back to SHA-1 and restart Cisco TFTP.",
        allow_when: "When every phone model in the cluster supports SHA-512 (the common case from CUCM 12 on).",
        source: "Cisco Unified CM security guide; docs/FORMAT.md §9",
    },
    RulePage {
        rule: RuleId::Key004,
        title: "SHA-256 digest code",
        why: "Digest code 2 (SHA-256) is defined by one non-Cisco builder and never written by CUCM, which signs with SHA-1 or SHA-512.",
        effect: "CUCM never writes digest code 2 (SHA-256); phones may not recognise it and refuse the file.",
        fix: "Rebuild with SHA-1 or SHA-512 (`ctlkit build --digest sha512`).",
        allow_when: "When the phones in use have been tested with the builder that wrote it.",
        source: "docs/FORMAT.md §8",
    },
    RulePage {
        rule: RuleId::Dat001,
        title: "certificate expired",
        why: "An expired certificate in a trust list fails TLS and signature checks that depend on it.",
        effect: "TLS and signature checks that depend on the expired certificate fail: phones do not register securely with that node (CallManager), cannot get certificates (CAPF), or cannot ask TVS.",
        fix: "Regenerate the certificate (OS Administration > Certificate Management, or `set cert regen CAPF`), then update the lists: `utils ctl update CTLFile` for a CTL, restart Cisco TFTP for the ITL.",
        allow_when: "For an eToken record (the token's own certificate expiring does not stop phones from checking a CTL it already signed), or an old list kept for the record.",
        source: "RFC 5280",
    },
    RulePage {
        rule: RuleId::Dat002,
        title: "certificate not yet valid",
        why: "A certificate before its notBefore fails the same checks; often a clock problem.",
        effect: "The same failures as an expired certificate until its notBefore date; usually the clock of the machine that issued it was wrong.",
        fix: "Check NTP on the CUCM nodes (`utils ntp status`), regenerate the certificate once the clock is right, and update the lists.",
        allow_when: "When the date is minutes away and the phones' clocks agree.",
        source: "RFC 5280",
    },
    RulePage {
        rule: RuleId::Dat003,
        title: "certificate expiring",
        why: "It ends within --warn-days (30 by default).",
        effect: "Nothing yet; on the day it expires, the failures of DAT001.",
        fix: "Plan the regeneration in a change window: regenerate the certificate (`set cert regen …`), update the lists, and check with `ctlkit audit` that phones took them.",
        allow_when: "When the renewal is scheduled; raise or lower the horizon with --warn-days.",
        source: "RFC 5280",
    },
    RulePage {
        rule: RuleId::Dat004,
        title: "TIMESTAMP in the future",
        why: "The signing machine's clock was wrong.",
        effect: "Phones do not check TIMESTAMP against their clock; the finding says the machine that signed had a wrong clock, which also breaks certificate validity checks.",
        fix: "Fix NTP on the signing machine (`utils ntp status` on CUCM) and sign the list again.",
        allow_when: "When you set the timestamp on purpose (`ctlkit build --timestamp` for reproducible files).",
        source: "docs/FORMAT.md §2",
    },
    RulePage {
        rule: RuleId::Dat005,
        title: "TIMESTAMP before the signer existed",
        why: "A file cannot be signed before its signer's certificate was issued: a clock problem or a forged header.",
        effect: "Phones do not check it; a file cannot be signed before its signer's certificate was issued, so the clock was wrong or the header was written by hand.",
        fix: "Sign the list again on a machine with the right time.",
        allow_when: "For a file built with a fixed `--timestamp` in tests.",
        source: "docs/FORMAT.md §2",
    },
    RulePage {
        rule: RuleId::Kno001,
        title: "published private key",
        why: "A record or signer whose key's private half is public lets anyone sign files these phones trust (this project's own fixture keys, among others).",
        effect: "Anyone can sign lists, configs and certificates these phones trust with a key that is public: the phones are open to whoever read it.",
        fix: "Never serve the file to phones. Make new keys (`set cert regen …` on CUCM, or new keys for a PBX), rebuild and sign the lists with them.",
        allow_when: "For ctlkit's own fixtures and tests, never for a phone.",
        source: "ctlkit fixtures/cluster",
    },
    RulePage {
        rule: RuleId::Str001,
        title: "structural oddity",
        why: "Unknown or duplicate tags, values of the wrong size, missing elements, an unpadded header, a certificate that does not parse: real files may have them, phones may not like them.",
        effect: "Phones may skip or refuse elements they do not expect; CUCM's own files do not have these oddities, so the file was written by another tool or changed.",
        fix: "Rebuild the list with CUCM or `ctlkit build`; `ctlkit show` lists each oddity with its offset.",
        allow_when: "When the file comes from a known non-CUCM builder and phones take it.",
        source: "docs/FORMAT.md §2, §3",
    },
];

/// The page `--explain RULE` prints, laid out as `rustc --explain` pages are; `None` for an
/// unknown rule. The example is a finding rendered by the same code `ctlkit lint` prints with,
/// so it cannot drift from what the rule says.
pub fn explain(rule: &str) -> Option<String> {
    let page = RULES
        .iter()
        .find(|page| page.rule.as_str().eq_ignore_ascii_case(rule))?;
    let id = page.rule.as_str();
    let example = example_finding(page.rule);
    let file = match page.rule {
        RuleId::Siz001
        | RuleId::Siz002
        | RuleId::Siz003
        | RuleId::Anc003
        | RuleId::Rol001
        | RuleId::Rol002
        | RuleId::Rol003 => "ITLFile.tlv",
        _ => "CTLFile.tlv",
    };
    let shown = LintReport {
        file,
        findings: std::slice::from_ref(&example),
    }
    .text(false);
    let count_line = format!("{file}: ");
    let example_lines: String = shown
        .lines()
        .filter(|line| !line.starts_with(&count_line))
        .map(|line| format!("    {line}\n"))
        .collect();
    Some(format!(
        "{id} ({}): {}\n\n\
         {}\n\n\
         What phones and CUCM do\n\n{}\n\n\
         Example\n\n{example_lines}\n\
         How to fix it\n\n{}\n\n\
         When `--allow {id}` is safe\n\n{}\n\n\
         Source: {}\n",
        severity_text(page.rule),
        page.title,
        page.why,
        page.effect,
        page.fix,
        page.allow_when,
        page.source
    ))
}

/// A finding of `rule` with sample facts, for its page.
fn example_finding(rule: RuleId) -> LintFinding {
    use crate::judge::check::{CheckStatus, Role};
    use crate::judge::lint::Release;
    use ctlkit_format::cert::signer_class::SignerClass;
    use ctlkit_format::file::record::Function;
    use ctlkit_format::sign::signature::Outcome;
    use ctlkit_format::tlv::element::{ElementName, Section};
    use ctlkit_format::tlv::error::Place;
    use ctlkit_format::tlv::warning::{Warning, WarningKind};
    use time::macros::datetime;
    let (lint, record) = match rule {
        RuleId::Siz001 => (Lint::ItlTooLarge { bytes: 66_112 }, None),
        RuleId::Siz002 => (Lint::ItlTooManyCertificates { count: 42 }, None),
        RuleId::Siz003 => (
            Lint::ItlNearLimit {
                bytes: 60_211,
                count: 37,
            },
            None,
        ),
        RuleId::Sig001 => (Lint::SignatureNotValid(Outcome::SignatureMismatch), Some(1)),
        RuleId::Sig002 => (
            Lint::SignerNotSast {
                role: Some(Function::CcmTftp),
            },
            Some(3),
        ),
        RuleId::Sig003 => (Lint::TooManySast { count: 3 }, None),
        RuleId::Sig004 => (Lint::SignerClass(SignerClass::ItlRecovery), Some(1)),
        RuleId::Sig005 => (
            Lint::CallManagerSignsOn12 {
                kind: Kind::Ctl,
                basis: ReleaseBasis::Given(Release::new(12, 5, 1)),
            },
            Some(1),
        ),
        RuleId::Sig006 => (
            Lint::EtokenUnsupported {
                release: Some(Release::V14_SU3),
            },
            Some(1),
        ),
        RuleId::Anc001 => (Lint::NoItlRecoveryAnchor, None),
        RuleId::Anc002 => (
            Lint::StaleAnchor {
                role: Role::ItlRecovery,
                certificate: "ITLRecovery.pem".to_owned(),
                other_anchor_holds: Some(false),
            },
            Some(2),
        ),
        RuleId::Anc003 => (
            Lint::RecoveryKeyShort {
                recovery_bits: 1024,
                callmanager_bits: 2048,
            },
            Some(2),
        ),
        RuleId::Cer001 => (
            Lint::NotClusterCertificate {
                role: Role::CallManager,
                certificate: "CallManager.pem".to_owned(),
                status: CheckStatus::Mismatch,
            },
            Some(3),
        ),
        RuleId::Rol001 => (
            Lint::NoTvs {
                outside_cucm: false,
            },
            None,
        ),
        RuleId::Rol002 => (
            Lint::NoTftp {
                outside_cucm: false,
            },
            None,
        ),
        RuleId::Rol003 => (
            Lint::Rollback {
                records: vec![2, 3],
                expected: false,
            },
            None,
        ),
        RuleId::Rol004 => (Lint::DuplicateRecord { first: 3 }, Some(5)),
        RuleId::Rol005 => (
            Lint::SubjectDisagrees {
                common_name: "cucm-pub".to_owned(),
            },
            Some(4),
        ),
        RuleId::Rol006 => (Lint::UnknownFunction { code: 9 }, Some(6)),
        RuleId::Key001 => (
            Lint::ShortKey {
                bits: 1024,
                etoken: false,
            },
            Some(3),
        ),
        RuleId::Key002 => (
            Lint::KeyNeedsSignerVersion {
                key: "EC P-256".to_owned(),
            },
            Some(2),
        ),
        RuleId::Key003 => (Lint::Sha512, None),
        RuleId::Key004 => (Lint::Sha256Digest, None),
        RuleId::Dat001 => (
            Lint::Expired {
                not_after: datetime!(2025-11-02 0:00 UTC),
            },
            Some(5),
        ),
        RuleId::Dat002 => (
            Lint::NotYetValid {
                not_before: datetime!(2027-01-01 0:00 UTC),
            },
            Some(3),
        ),
        RuleId::Dat003 => (
            Lint::Expiring {
                not_after: datetime!(2026-12-16 0:00 UTC),
                days: 12,
            },
            Some(4),
        ),
        RuleId::Dat004 => (
            Lint::TimestampInFuture {
                signed: datetime!(2031-05-01 10:00 UTC),
            },
            None,
        ),
        RuleId::Dat005 => (
            Lint::TimestampBeforeSigner {
                signed: datetime!(2019-03-01 0:00 UTC),
                issued: datetime!(2021-06-30 0:00 UTC),
            },
            None,
        ),
        RuleId::Kno001 => (
            Lint::KnownKey {
                published: "ctlkit fixtures/cluster/CallManager-cucm-pub.key",
            },
            Some(1),
        ),
        RuleId::Str001 => (
            Lint::Structure(Warning {
                place: Place::Record(2),
                offset: 1208,
                kind: WarningKind::Duplicate {
                    element: ElementName::new(Section::Record, 6),
                },
            }),
            Some(2),
        ),
    };
    LintFinding {
        lint,
        record,
        element: None,
    }
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

    #[cfg(feature = "html")]
    fn html(&self) -> super::html::HtmlBody {
        super::html::lint::lint_page(&self.json())
    }

    fn json(&self) -> Vec<LintJson> {
        self.files
            .iter()
            .map(|(file, findings)| LintReport { file, findings }.json())
            .collect()
    }
}
