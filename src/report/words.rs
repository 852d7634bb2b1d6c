//! Every sentence ctlkit says about a verdict, written from the facts the library hands over.
//! Text and JSON reports both take their words from here, so they cannot disagree.

use crate::judge::acceptance::{Acceptance, AcceptanceReason, AcceptanceVerdict, Anchor, FileKind};
use crate::judge::audit::{AuditProblem, Group, Standing};
use crate::judge::check::{Cause, Checked, Finding, Role};
use ctlkit_format::file::record::Function;
use ctlkit_format::file::trust_list::Kind;
use ctlkit_format::sign::build::BuildWarning;
use ctlkit_format::sign::signature::{
    KeyOrigin, KeyProblem, Outcome, SignerMatch, SignerRef, Verification,
};
use ctlkit_format::text::printable;
use ctlkit_format::timefmt::day;
use ctlkit_format::tlv::warning::{Warning, WarningKind};

/// `SAST`, `CCM+TFTP`…, the code for others, `no FUNCTION` without one.
pub(crate) fn function_name(function: Option<Function>) -> String {
    function.map_or_else(|| "no FUNCTION".to_owned(), function_label)
}

/// `SAST`, `CCM+TFTP`…, or the code.
pub(crate) fn function_label(function: Function) -> String {
    function.to_string()
}

/// `SAST` or `SAST, CCM+TFTP or TFTP`: the roles allowed to sign.
fn roles(allowed: &[Function]) -> String {
    let names: Vec<String> = allowed.iter().copied().map(function_label).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => "any".to_owned(),
    }
}

/// `SAST, CN=…`: a signer record in a sentence.
fn describe(signer: &SignerRef) -> String {
    let function = function_name(signer.role);
    match &signer.subject {
        Some(subject) => format!("{function}, {}", printable(subject.as_bytes())),
        None => function,
    }
}

fn record_number(origin: KeyOrigin) -> String {
    match origin {
        KeyOrigin::Record { index, .. } => format!("record {index}"),
        KeyOrigin::Certificate => "the given certificate".to_owned(),
    }
}

/// Why a signature is valid, invalid or unverifiable, in one sentence.
pub(crate) fn verification_sentence(verification: &Verification) -> String {
    let signer = verification.signer.as_ref();
    let who = signer.map_or_else(String::new, |signer| match signer.origin {
        KeyOrigin::Certificate => record_number(signer.origin),
        KeyOrigin::Record { .. } => {
            format!("{} ({})", record_number(signer.origin), describe(signer))
        }
    });
    let by = match signer.map(|signer| signer.matched) {
        Some(SignerMatch::SerialOnly) => " (matched by serial number only)",
        _ => "",
    };
    match &verification.outcome {
        Outcome::Verified { digest, key_bits } => {
            format!("signed by {who}{by} with {digest} and RSA-{key_bits}")
        }
        Outcome::SignatureMismatch => {
            let number = signer.map_or_else(String::new, |signer| record_number(signer.origin));
            let description = signer.map_or_else(String::new, describe);
            format!(
                "the signature does not match {number}'s key ({description}){by}: the file was changed after signing, or signed by another key"
            )
        }
        Outcome::NoSignature => "the header has no SIGNATURE element".to_owned(),
        Outcome::NoSignerSerial => "the header names no signer (no SERIALNUMBER)".to_owned(),
        Outcome::SignerNotFound {
            serial,
            name,
            allowed,
        } => format!(
            "no {} record has the signer's serial {serial} ({})",
            roles(allowed),
            printable(name.as_deref().unwrap_or("(unnamed)").as_bytes())
        ),
        Outcome::SignerHasOtherRole {
            serial,
            name,
            origin,
            role,
            allowed,
        } => format!(
            "the signer {} (serial {serial}) is {} but that record is {}, not a {}",
            printable(name.as_deref().unwrap_or("(unnamed)").as_bytes()),
            record_number(*origin),
            role.map_or_else(|| "without FUNCTION".to_owned(), function_label),
            roles(allowed)
        ),
        Outcome::SignerKeyUnusable(problem) => format!("{who} {}", key_problem(problem)),
        Outcome::SignatureAlgorithmUnsupported { code } => {
            format!("SIGNATUREALGORTITHM {code} is not RSA (0), the only algorithm defined")
        }
        Outcome::SignatureSizeMismatch {
            signature_bytes,
            key_bits,
        } => {
            let number = signer.map_or_else(String::new, |signer| record_number(signer.origin));
            format!(
                "the {signature_bytes}-byte signature does not fit {number}'s {key_bits}-bit key"
            )
        }
        Outcome::DigestMissing => "the header has no DIGESTALGORTITHM element".to_owned(),
        Outcome::NoKeysGiven {
            serial,
            name,
            firmware: true,
        } => format!(
            "Cisco firmware, signed by Cisco's own key, which phones carry in their firmware and no trust list names; its signer fields are opaque ({}, serial {}): give that key's certificate with --cert to check it",
            printable(name.as_deref().unwrap_or("(unnamed)").as_bytes()),
            serial
                .as_ref()
                .map_or_else(|| "(none)".to_owned(), ToString::to_string)
        ),
        Outcome::NoKeysGiven { serial, name, .. } => format!(
            "a signed file carries no keys of its own: give the phone's ITL (and CTL) with --trust, or the signer's certificate with --cert, to check it; it names its signer {} (serial {})",
            printable(name.as_deref().unwrap_or("(unnamed)").as_bytes()),
            serial
                .as_ref()
                .map_or_else(|| "(none)".to_owned(), ToString::to_string)
        ),
        Outcome::DigestUnsupported { code } => {
            format!("digest code {code} is not SHA-1 (1), SHA-256 (2) or SHA-512 (3)")
        }
    }
}

fn key_problem(problem: &KeyProblem) -> String {
    match problem {
        KeyProblem::CertificateUnparseable(reason) => {
            format!("has a certificate that does not parse: {reason}")
        }
        KeyProblem::CertificateKeyNotRsa(reason) => {
            format!("has no usable RSA key in its certificate: {reason}")
        }
        KeyProblem::PublicKeyNotRsa(reason) => {
            format!("has a PUBLICKEY that is not an RSA key: {reason}")
        }
        KeyProblem::NoKey => "has neither a CERTIFICATE nor a PUBLICKEY".to_owned(),
    }
}

/// `accepted`, `accepted only if TVS vouches`, `rejected`.
pub(crate) fn acceptance_words(acceptance: Acceptance) -> &'static str {
    match acceptance {
        Acceptance::Accepted => "accepted",
        Acceptance::AcceptedIfTvsVouches => "accepted only if TVS vouches",
        Acceptance::Rejected => "rejected",
        Acceptance::CannotJudge => "cannot be judged",
    }
}

/// Names joined for a sentence: `A`, `A and B`, `A, B and C`.
fn joined(names: &[String]) -> String {
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => "nothing".to_owned(),
    }
}

/// Why a phone holding the verdict's lists installs `new_name` or not, with the remedy.
pub(crate) fn acceptance_sentence(new_name: &str, verdict: &AcceptanceVerdict) -> String {
    let list_name = |position: usize| {
        verdict
            .held
            .get(position)
            .map_or_else(String::new, |(name, _)| {
                printable(name.as_bytes()).into_owned()
            })
    };
    let new = printable(new_name.as_bytes());
    let all_held: Vec<String> = (0..verdict.held.len()).map(list_name).collect();
    let held = joined(&all_held);
    let consulted_names: Vec<String> = verdict.consulted.iter().map(|&p| list_name(p)).collect();
    let roles = roles(&verdict.allowed);
    let among = match consulted_names.as_slice() {
        [one] => format!("{one}'s {roles} records"),
        more => format!("the {roles} records of {}", joined(more)),
    };
    let signer = match (&verdict.signer_name, &verdict.signer_serial) {
        (Some(name), Some(serial)) => format!("{} (serial {serial})", printable(name.as_bytes())),
        (Some(name), None) => printable(name.as_bytes()).into_owned(),
        (None, Some(serial)) => format!("an unnamed signer (serial {serial})"),
        (None, None) => "an unnamed signer".to_owned(),
    };
    let anchors = anchors_text(&verdict.anchors, consulted_names.len() > 1, &list_name);
    let remedy = remedy(verdict.new_kind, &roles);
    // The record the held keys settled on: `ITLFile.tlv's SAST record 2`.
    let held_record = verdict
        .with_held_keys
        .signer
        .as_ref()
        .map_or_else(String::new, |signer| match signer.origin {
            KeyOrigin::Record { list, index } => format!(
                "{}'s {} record {index}",
                list_name(list),
                function_name(signer.role)
            ),
            KeyOrigin::Certificate => "the given certificate".to_owned(),
        });
    match &verdict.reason {
        AcceptanceReason::SignedByHeldRecord => {
            let (lists, record) = verdict.with_held_keys.signer.as_ref().map_or(
                (String::new(), String::new()),
                |signer| match signer.origin {
                    KeyOrigin::Record { list, index } => (
                        list_name(list),
                        format!("{} record {index}", function_name(signer.role)),
                    ),
                    KeyOrigin::Certificate => (String::new(), "a given certificate".to_owned()),
                },
            );
            format!(
                "a phone holding {held} accepts {new}: it is signed by {signer}, which {lists} lists as {record}"
            )
        }
        AcceptanceReason::HeldKeyMismatch => format!(
            "a phone holding {held} rejects {new}: its signer {signer} has the serial of {held_record}, but the signature does not verify with that record's key (the certificate was regenerated with the same serial, or the file was altered). {remedy}"
        ),
        AcceptanceReason::HeldRecordCannotVerify => format!(
            "a phone holding {held} rejects {new}: its signer {signer} has the serial of {held_record}, but that record's key cannot check the signature ({}). {remedy}",
            verification_sentence(&verdict.with_held_keys)
        ),
        AcceptanceReason::OwnSignatureNotValid { own } => format!(
            "a phone holding {held} rejects {new}: {signer} is not among {among} ({anchors}), and {new}'s own signature is {} ({}). {remedy}",
            own.status.as_str(),
            verification_sentence(own)
        ),
        AcceptanceReason::TvsMayVouch { tvs } => format!(
            "{signer} is not among {among} ({anchors}); a phone holding {held} asks TVS ({}) and installs {new} only if the cluster's TVS trusts that signer (phones without Security By Default reject it)",
            tvs.iter()
                .map(|server| printable(server.as_bytes()).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        AcceptanceReason::NoTvsListed => format!(
            "a phone holding {held} rejects {new} (Trust List Update Failed): {signer} is not among {among} ({anchors}) and {held} {} no TVS server to ask. {remedy}",
            if all_held.len() > 1 { "name" } else { "names" }
        ),
        AcceptanceReason::PhoneCannotAskTvs => format!(
            "a phone holding {held} rejects {new} (Trust List Update Failed): {signer} is not among {among} ({anchors}) and this phone cannot ask TVS. {remedy}"
        ),
        AcceptanceReason::HeldCopyFailsItsSignature { list, own } => format!(
            "{new} cannot be judged against {}: that copy fails its own signature ({}), so it changed after the phone installed it and is not what the phone holds. Fetch the phone's copy again (TFTP, HTTP on port 6970, or a capture of the phone fetching it)",
            list_name(*list),
            verification_sentence(own)
        ),
        AcceptanceReason::HeldItlIsRollback { list } => {
            let itl = list_name(*list);
            let governs = if verdict.held.iter().any(|(_, kind)| *kind == Kind::Ctl) {
                " (a held CTL still governs a new CTL)"
            } else {
                " and, as it holds no CTL, any CTL"
            };
            format!(
                "a phone holding {held} accepts {new}: {itl} is a rollback ITL (its TVS and TFTP records carry no certificate), so the phone takes any new ITL and any signed config{governs}, whoever signed it. Once the phones hold the cluster's real ITL, set the enterprise parameter \"Prepare Cluster for Rollback to pre-8.0\" back to False and restart Cisco TFTP"
            )
        }
    }
}

fn anchors_text(
    anchors: &[Anchor],
    name_lists: bool,
    list_name: &dyn Fn(usize) -> String,
) -> String {
    if anchors.is_empty() {
        return if name_lists {
            "they have none".to_owned()
        } else {
            "it has none".to_owned()
        };
    }
    let parts: Vec<String> = anchors
        .iter()
        .map(|anchor| {
            let subject = anchor.subject.as_deref().map_or_else(
                || "no subject".to_owned(),
                |subject| printable(subject.as_bytes()).into_owned(),
            );
            let serial = anchor
                .serial
                .as_ref()
                .map_or_else(String::new, |serial| format!(", serial {serial}"));
            let list = if name_lists {
                format!("{} ", list_name(anchor.list))
            } else {
                String::new()
            };
            let role = if name_lists {
                format!("{} ", function_name(anchor.role))
            } else {
                String::new()
            };
            format!("{list}{role}record {}: {subject}{serial}", anchor.record)
        })
        .collect();
    parts.join("; ")
}

fn remedy(kind: FileKind, roles: &str) -> String {
    let reset = match kind {
        FileKind::Ctl => {
            "bulk-reset the phones' trust lists, or delete the CTL on each phone (Settings > Security > Trust List)"
        }
        FileKind::Itl => {
            "run ITL recovery (`utils itl reset`), or delete the ITL on each phone (Settings > Security > Trust List)"
        }
        FileKind::Signed => {
            "restart Cisco TFTP so it re-signs the configs with the CallManager key the phones' ITL names, or run ITL recovery (`utils itl reset`), or delete the ITL on each phone (Settings > Security > Trust List)"
        }
    };
    format!(
        "Remedy: sign it with a key the phones already trust (one of the {roles} records above); else make TVS vouch for the new signer; else {reset}."
    )
}

/// `header at offset 0: no SIGNATURE element`.
pub(crate) fn warning_sentence(warning: &Warning) -> String {
    format!(
        "{} at offset {}: {}",
        warning.place,
        warning.offset,
        warning_kind_sentence(&warning.kind)
    )
}

/// What a warning kind says, without its place.
pub(crate) fn warning_kind_sentence(kind: &WarningKind) -> String {
    match kind {
        WarningKind::UnknownTag { tag, length } => {
            format!("unknown tag {tag} ({length} bytes), kept as found")
        }
        WarningKind::Duplicate { element } => {
            format!("second {element} element; the first one is used")
        }
        WarningKind::UnexpectedLength {
            element,
            expected,
            found,
        } => format!("{element} is {found} bytes long, expected {expected}"),
        WarningKind::Missing { element } => format!("no {element} element"),
        WarningKind::HeaderNotPadded { header_length } => {
            format!("HEADERLENGTH {header_length} is not a multiple of 4")
        }
        WarningKind::CertificateUnparseable { reason } => {
            format!("CERTIFICATE does not parse as X.509: {reason}")
        }
        WarningKind::CertificateTrailingBytes { count } => {
            format!("CERTIFICATE has {count} bytes after the certificate")
        }
    }
}

/// What a check finding is about: the PEM's path, or `record N`.
pub(crate) fn finding_certificate(finding: &Finding) -> String {
    match &finding.checked {
        Checked::Certificate { path, .. } => path.clone(),
        Checked::Record { .. } => format!("record {}", finding.record.unwrap_or_default()),
    }
}

/// `CallManager`, `CAPF`…, or the record's function for expiry findings.
pub(crate) fn finding_role(finding: &Finding) -> String {
    match &finding.checked {
        Checked::Certificate { role, .. } => role.name().to_owned(),
        Checked::Record { function } => {
            function.map_or_else(|| "record".to_owned(), function_label)
        }
    }
}

fn serial_or_none(serial: Option<&ctlkit_format::cert::serial::Serial<'_>>) -> String {
    serial.map_or_else(|| "(none)".to_owned(), ToString::to_string)
}

/// What a check finding found, in a sentence.
pub(crate) fn finding_detail(finding: &Finding) -> String {
    let kind = finding.kind;
    let record = finding.record.unwrap_or_default();
    let function = finding.function.map_or_else(String::new, function_label);
    let path = match &finding.checked {
        Checked::Certificate { path, .. } => path.as_str(),
        Checked::Record { .. } => "",
    };
    match &finding.cause {
        Cause::HoldsCertificate => format!("record {record} ({function}) holds this certificate"),
        Cause::NoCertificateInRecord { host } => format!(
            "record {record} ({function}) lists {} without a certificate",
            printable(host.as_bytes())
        ),
        Cause::OtherCertificate {
            held_generated,
            signed_before,
        } => {
            let held = held_generated.map_or_else(|| "an unknown date".to_owned(), day);
            let mut detail = format!(
                "record {record} ({function}) holds serial {} generated {held}; {path} has serial {} generated {}",
                serial_or_none(finding.file_serial.as_ref()),
                serial_or_none(finding.server_serial.as_ref()),
                finding.not_before.map_or_else(String::new, day)
            );
            if let Some(signed) = signed_before {
                detail.push_str(&format!(
                    "; the {kind} was signed {}, before this certificate existed",
                    day(*signed)
                ));
            }
            detail
        }
        Cause::NoRecord {
            roles,
            records,
            subject,
            signed_before,
        } => {
            let roles: Vec<String> = roles.iter().copied().map(function_label).collect();
            let mut detail = format!(
                "no {} record of the {kind}'s {records} records is for {}",
                roles.join(" / "),
                printable(subject.as_bytes())
            );
            if let Some(signed) = signed_before {
                detail.push_str(&format!(
                    "; the {kind} was signed {}, before this certificate was generated {}",
                    day(*signed),
                    finding.not_before.map_or_else(String::new, day)
                ));
            }
            detail
        }
        Cause::NotCarriedByKind => {
            format!("CUCM never lists {} in a {kind}", finding_role(finding))
        }
        Cause::OtherNodesItl { nodes } => format!(
            "this ITL is the one {} serves: a TFTP node's ITL carries its own CallManager certificate, not {path}",
            joined(
                &nodes
                    .iter()
                    .map(|node| printable(node.as_bytes()).into_owned())
                    .collect::<Vec<_>>()
            )
        ),
        Cause::CertificateExpiry { subject, .. } => {
            let verb = if finding.status == crate::judge::check::CheckStatus::Expired {
                "expired"
            } else {
                "expires"
            };
            format!(
                "{} certificate {} {verb} {}",
                finding_role(finding),
                printable(subject.as_bytes()),
                finding.not_after.map_or_else(String::new, day)
            )
        }
    }
}

/// What to do about a check finding, in administrators' terms; empty for a match.
pub(crate) fn finding_advice(finding: &Finding) -> String {
    let kind = finding.kind;
    let role = match &finding.checked {
        Checked::Certificate { role, .. } => Some(*role),
        Checked::Record { .. } => None,
    };
    match (&finding.cause, role) {
        (Cause::HoldsCertificate, _) => String::new(),
        (Cause::NoCertificateInRecord { .. }, Some(role)) => format!(
            "if the cluster should be in mixed mode, {} (a record without certificate is what a non-secure CTL writes)",
            update_advice(role, kind)
        ),
        (Cause::NotCarriedByKind, Some(Role::Tvs)) => {
            "none: check TVS.pem against the ITL (ITLFile.tlv) instead".to_owned()
        }
        (Cause::OtherNodesItl { .. }, _) => {
            "none: check this CallManager.pem against the ITL of its own node (each TFTP node serves its own ITLFile.tlv), and against the CTL, which lists every node".to_owned()
        }
        (Cause::OtherCertificate { .. } | Cause::NoRecord { .. }, Some(role)) => {
            update_advice(role, kind)
        }
        (Cause::CertificateExpiry { etoken: true, .. }, _) => {
            "this is a USB eToken: add a new eToken to the CTL with the CTL client and sign the CTL with it before this one expires".to_owned()
        }
        (Cause::CertificateExpiry { .. }, _) => {
            let update = match kind {
                Kind::Ctl => "`utils ctl update CTLFile` or the CTL client",
                Kind::Itl => "restart Cisco TFTP so it rebuilds the ITL",
            };
            format!(
                "regenerate this {} certificate (OS Administration > Certificate Management, or `set cert regen`), then update the {kind}: {update}",
                finding_role(finding)
            )
        }
        _ => String::new(),
    }
}

/// How an administrator gets the current certificate into the trust list, in CUCM's terms.
fn update_advice(role: Role, kind: Kind) -> String {
    let file = role.file_name();
    match kind {
        Kind::Ctl => format!(
            "run the CTL client or `utils ctl update CTLFile` so the CTL carries the current {file}, then restart Cisco TFTP and Cisco CallManager on every node"
        ),
        Kind::Itl => format!(
            "restart Cisco TFTP so it rebuilds ITLFile.tlv with the current {file}; phones take the new ITL through TVS"
        ),
    }
}

/// The label of a standing in audit summaries.
pub(crate) fn standing_label(standing: Standing) -> &'static str {
    match standing {
        Standing::MatchesServer => "match the server",
        Standing::WillUpdate => "will update by themselves",
        Standing::NeedsTvs => "will update if TVS vouches",
        Standing::Differs => "differ from the server's copy",
        Standing::Stuck => "stuck: delete their trust list",
        Standing::Unusable => "unreadable or not a trust list",
    }
}

/// Why a group's content is unusable.
pub(crate) fn problem_sentence(problem: &AuditProblem) -> String {
    match problem {
        AuditProblem::Unreadable { message, .. } => message.clone(),
        AuditProblem::IsDirectory => "is a directory".to_owned(),
        AuditProblem::TooLarge { limit } => format!("larger than the {limit}-byte limit"),
        AuditProblem::NotTrustList(error) => format!("not a trust list: {error}"),
        AuditProblem::NotSignedFile => "not a signed file".to_owned(),
    }
}

/// The sentence behind a group's standing.
pub(crate) fn group_reason(group: &Group, server_name: &str) -> String {
    if let Some(problem) = &group.problem {
        return problem_sentence(problem);
    }
    if group.matches_server() {
        return format!("identical to {}", printable(server_name.as_bytes()));
    }
    if group.standing == Standing::Differs {
        return format!(
            "differs from {}: not the server's copy, and whether these phones would take it cannot be judged from this comparison (pasted show text holds no certificates; a config is judged by the lists a phone holds): audit against the server's files, --against CTLFile.tlv --against ITLFile.tlv",
            printable(server_name.as_bytes())
        );
    }
    group.verdict.as_ref().map_or_else(String::new, |verdict| {
        acceptance_sentence(server_name, verdict)
    })
}

/// What a build warning says (the command line adds which flag changes it).
pub(crate) fn build_warning_sentence(warning: &BuildWarning) -> String {
    match warning {
        BuildWarning::WeakDigest => "SHA-1 is weak".to_owned(),
        BuildWarning::ShortSignerKey { bits } => {
            format!("the signer's key is {bits} bits, below 2048")
        }
        BuildWarning::AlreadyListed { function, subject } => format!(
            "{} {} is already listed; kept once",
            function_label(*function),
            printable(subject.as_bytes())
        ),
        BuildWarning::ShortRecordKey {
            function,
            subject,
            bits,
        } => format!(
            "{} {} has a {bits}-bit key, below 2048",
            function_label(*function),
            printable(subject.as_bytes())
        ),
    }
}

/// Who signed a trust list, in a phrase.
pub(crate) fn signer_class_words(
    class: ctlkit_format::cert::signer_class::SignerClass,
) -> &'static str {
    use ctlkit_format::cert::signer_class::SignerClass;
    match class {
        SignerClass::Etoken => "a hardware eToken (issued by Cisco Manufacturing CA)",
        SignerClass::ItlRecovery => "the cluster's ITLRecovery key",
        SignerClass::CallManager => "a node's CallManager key",
        SignerClass::ThirdParty => "a key of its own (a non-Cisco builder's)",
    }
}

/// Why a transfer in a capture is not the whole file.
pub(crate) fn incomplete_sentence(incomplete: &crate::evidence::capture::Incomplete) -> String {
    use crate::evidence::capture::Incomplete;
    match incomplete {
        Incomplete::Gap { after_gap } => format!(
            "packets are missing from the capture; the bytes before the gap are kept ({after_gap} bytes after it are not)"
        ),
        Incomplete::Unfinished => "the capture ends before the transfer does".to_owned(),
        Incomplete::Refused { code, message } => {
            format!(
                "the server refused it ({code} {})",
                printable(message.as_bytes())
            )
        }
        Incomplete::Aborted => "the client gave up (an error or a reset connection)".to_owned(),
        Incomplete::TooLarge { limit } => {
            format!("more than {limit} bytes were sent; raise the limit with --max-size")
        }
    }
}

/// What some bytes are, in words.
pub(crate) fn content_words(content: &crate::evidence::content::Content) -> String {
    use crate::evidence::content::Content;
    match content {
        Content::TrustList(Some(Kind::Ctl)) => "a CTL".to_owned(),
        Content::TrustList(Some(Kind::Itl)) => "an ITL".to_owned(),
        Content::TrustList(None) => "a trust list".to_owned(),
        Content::Signed(kind) => format!("a signed file ({} payload)", kind.code()),
        Content::Damaged(error) => format!("a damaged Cisco signed file: {error}"),
        Content::Other => "not a Cisco signed file".to_owned(),
    }
}

/// Damage to a capture file.
pub(crate) fn capture_damage_sentence(damage: &crate::evidence::capture::CaptureDamage) -> String {
    format!(
        "the capture file stops making sense at byte {}: {}; everything before it was read",
        damage.offset,
        printable(damage.message.as_bytes())
    )
}

/// What a damaged copy's damage means, with what its signature says.
pub(crate) fn damage_sentence(
    damage: &ctlkit_format::tlv::error::ParseError,
    signature_valid: bool,
) -> String {
    let why = if signature_valid {
        "yet the signature holds over every byte: the signer wrote a broken file, and phones will not use it"
    } else {
        "the signature covers every byte and does not hold: the copy changed after it was signed (cut short by a failed transfer, or corrupted on the way), so fetch it again rather than re-sign"
    };
    format!(
        "{} at offset {}: {}; what is shown before it was read, nothing after it; {why}",
        damage.place, damage.offset, damage.kind
    )
}

/// What comparing a damaged phone copy with the server's file byte for byte shows.
pub(crate) fn byte_comparison_sentence(comparison: &crate::judge::diff::ByteComparison) -> String {
    let (phone, server) = (comparison.phone_length, comparison.server_length);
    match (comparison.first_difference, comparison.phone_is_prefix) {
        (None, _) => "the copies are byte-identical".to_owned(),
        (Some(_), true) => format!(
            "the phone's copy is the first {phone} of the server's {server} bytes: a transfer cut short, not a different file"
        ),
        (Some(offset), false) => format!(
            "the copies differ from byte {offset} on (phone {phone} bytes, server {server}): corrupted on the way, or another file"
        ),
    }
}

/// A pasted output against a file: the answer, checksums first.
pub(crate) fn pasted_diff_sentence(
    text: &str,
    list: &crate::evidence::pasted::PastedList,
    file: &str,
    diff: &crate::judge::pasted_compare::PastedDiff,
) -> String {
    use crate::judge::pasted_compare::ChecksumVerdict;
    let text = printable(text.as_bytes());
    let file = printable(file.as_bytes());
    let output = format!(
        "the `show {}` output in {text}",
        list.kind.to_string().to_ascii_lowercase()
    );
    match diff.checksums {
        ChecksumVerdict::Same => {
            format!("identical: {output} has {file}'s checksum: it describes exactly that file")
        }
        ChecksumVerdict::Different => {
            let mut sentence = format!("different: {output} has another checksum than {file}");
            if let Some((printed, actual)) = diff.length {
                sentence.push_str(&format!(" ({printed} bytes against {actual})"));
            }
            if let Some((printed, actual)) = &diff.signer_serial {
                let name = |serial: &Option<ctlkit_format::cert::serial::Serial<'_>>| {
                    serial
                        .as_ref()
                        .map_or_else(|| "none".to_owned(), ToString::to_string)
                };
                sentence.push_str(&format!(
                    "; signer serial {} against {}",
                    name(printed),
                    name(actual)
                ));
            }
            sentence
        }
        ChecksumVerdict::NotPrinted if diff.identical() => format!(
            "no checksum printed in {output}; its length, signer and every record's serial and certificate SHA-1 match {file}"
        ),
        ChecksumVerdict::NotPrinted if diff.signature_differs => format!(
            "no checksum printed in {output}, and its signature bytes are not {file}'s: another signing (another time or key)"
        ),
        ChecksumVerdict::NotPrinted => {
            format!("no checksum printed in {output}, and it differs from {file}")
        }
    }
}

/// One record pairing between pasted text and a file.
pub(crate) fn pasted_change_sentence(
    change: &crate::judge::pasted_compare::PastedRecordChange,
) -> String {
    use crate::judge::pasted_compare::PastedRecordChange;
    let describe = |record: &crate::evidence::pasted::PastedRecord| {
        format!(
            "{} {} (serial {})",
            record
                .function
                .map_or_else(|| "record".to_owned(), |function| function.to_string()),
            printable(record.subject.as_deref().unwrap_or("?").as_bytes()),
            record
                .serial
                .as_ref()
                .map_or_else(|| "?".to_owned(), ToString::to_string)
        )
    };
    match change {
        PastedRecordChange::Same { text } => format!("same: {}", describe(text)),
        PastedRecordChange::CertificateDiffers { text, file_sha1 } => format!(
            "certificate differs: {}: SHA-1 {} in the text, {} in the file (re-issued with the same serial?)",
            describe(text),
            text.certificate_sha1.map(hex::encode).unwrap_or_default(),
            hex::encode(file_sha1)
        ),
        PastedRecordChange::OnlyInText { text } => {
            format!("only in the text: record {} {}", text.index, describe(text))
        }
        PastedRecordChange::OnlyInFile {
            index,
            function,
            subject,
            serial,
        } => format!(
            "only in the file: record {index} {} {} (serial {})",
            function.map_or_else(|| "record".to_owned(), |function| function.to_string()),
            printable(subject.as_bytes()),
            serial
                .as_ref()
                .map_or_else(|| "?".to_owned(), ToString::to_string)
        ),
    }
}

/// A cluster certificate looked for in pasted text.
pub(crate) fn pasted_finding_sentence(
    finding: &crate::judge::pasted_compare::PastedFinding,
    kind: Kind,
) -> String {
    use crate::judge::check::CheckStatus;
    let what = format!(
        "{} {} (serial {}, SHA-1 {})",
        finding.role.name(),
        printable(finding.subject.as_bytes()),
        finding.serial,
        hex::encode(finding.sha1)
    );
    let records = finding
        .records
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    match finding.status {
        CheckStatus::Match => format!("{what}: in record(s) {records}"),
        CheckStatus::NotExpected if finding.role == Role::Tvs => {
            format!("{what}: CUCM never lists TVS in a {kind}; check it against the ITL")
        }
        CheckStatus::NotExpected => format!(
            "{what}: another node's: a TFTP node's ITL carries its own CallManager certificate alone; check it against its node's ITL"
        ),
        CheckStatus::Mismatch => format!(
            "{what}: record {records} has its serial but another (or no printed) certificate SHA-1: the {kind} carries a different certificate with this serial"
        ),
        _ => format!(
            "{what}: no record of the {kind} has its serial: the {kind} predates it (update the {kind}, then reset the phones)"
        ),
    }
}

/// `CTL`, `ITL`, `config`.
pub(crate) fn slot_label(slot: crate::judge::fleet::Slot) -> &'static str {
    match slot {
        crate::judge::fleet::Slot::Ctl => "CTL",
        crate::judge::fleet::Slot::Itl => "ITL",
        crate::judge::fleet::Slot::Config => "config",
    }
}

/// `in sync`, `will update by themselves`…: a phone standing in words.
pub(crate) fn phone_standing_label(standing: crate::judge::fleet::PhoneStanding) -> &'static str {
    use crate::judge::fleet::PhoneStanding;
    match standing {
        PhoneStanding::InSync => "in sync",
        PhoneStanding::WillUpdate => "will update by themselves",
        PhoneStanding::NeedsTvs => "will update if TVS vouches",
        PhoneStanding::Incomplete => "incomplete: a file missing or unusable",
        PhoneStanding::Stuck => "stuck",
    }
}

/// Why a group of phones stands where it does; `server` names the server's file of a slot.
pub(crate) fn phone_reason_sentence(
    reason: &crate::judge::fleet::PhoneReason,
    server: &dyn Fn(crate::judge::fleet::Slot) -> String,
) -> String {
    use crate::judge::fleet::PhoneReason;
    match reason {
        PhoneReason::InSync => "every file they hold is the server's".to_owned(),
        PhoneReason::Missing(slot) => format!(
            "no {} of theirs in the evidence: collect it (ITLSEP<MAC>.tlv / CTLSEP<MAC>.tlv, or a capture of the phone fetching it) to judge them",
            slot_label(*slot)
        ),
        PhoneReason::Unusable(slot, problem) => format!(
            "their {} cannot be used: {}",
            slot_label(*slot),
            problem_sentence(problem)
        ),
        PhoneReason::NoServerConfig => {
            "their config has no copy of the same name among the server files given".to_owned()
        }
        PhoneReason::NothingToJudgeWith => {
            "they hold no trust list to judge the server's file with".to_owned()
        }
        PhoneReason::Verdict(slot, verdict) => format!(
            "{}: {}",
            slot_label(*slot),
            acceptance_sentence(&server(*slot), verdict)
        ),
    }
}
