//! The sentences several reports share — a signature's outcome, a phone's verdict, a warning,
//! a role's name — written once from the facts the library hands over, so no two reports say
//! one thing two ways. Words only one report uses live beside that report.

use crate::judge::acceptance::{Acceptance, AcceptanceReason, AcceptanceVerdict, Anchor, FileKind};
use crate::judge::audit::AuditProblem;
use ctlkit_format::file::record::Function;
use ctlkit_format::file::trust_list::Kind;
use ctlkit_format::sign::signature::{
    KeyOrigin, KeyProblem, Outcome, SignerMatch, SignerRef, Verification,
};
use ctlkit_format::text::printable;
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
pub(crate) fn joined(names: &[String]) -> String {
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
    let remedy = if verdict.held_built_outside_cucm {
        remedy_outside_cucm(verdict.new_kind, &roles)
    } else {
        remedy(verdict.new_kind, &roles)
    };
    // What the phone shows when it refuses this kind of file.
    let shown = match verdict.new_kind {
        FileKind::Ctl | FileKind::Itl => "Trust List Update Failed",
        FileKind::Signed => "`authenticated fail`",
    };
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
        AcceptanceReason::TvsVouches {
            tvs,
            certificate,
            store,
            ..
        } => format!(
            "a phone holding {held} accepts {new}: {signer} is not among {among} ({anchors}), so the phone asks TVS ({}), and TVS trusts it: {} in its {} store holds the signer's serial and its key verifies {new}",
            printable(tvs.join(", ").as_bytes()),
            printable(certificate.as_bytes()),
            printable(store.as_bytes())
        ),
        AcceptanceReason::TvsDoesNotKnowSigner { tvs } => format!(
            "a phone holding {held} rejects {new} ({shown}): {signer} is not among {among} ({anchors}), and TVS ({}) does not trust it: no certificate it was given holds that serial and verifies {new}. Import the signer's certificate into the CallManager-trust store of every TVS node (OS Administration > Certificate Management > Upload Certificate, or Bulk Certificate Management for a migration between clusters), or sign {new} with a key the phone holds",
            printable(tvs.join(", ").as_bytes())
        ),
        AcceptanceReason::NoTvsListed => format!(
            "a phone holding {held} rejects {new} ({shown}): {signer} is not among {among} ({anchors}) and {held} {} no TVS server to ask. {remedy}",
            if all_held.len() > 1 { "name" } else { "names" }
        ),
        AcceptanceReason::PhoneCannotAskTvs => format!(
            "a phone holding {held} rejects {new} ({shown}): {signer} is not among {among} ({anchors}) and this phone cannot ask TVS. {remedy}"
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

/// The remedy for a phone whose lists a PBX built: its own keys and files, no CUCM to turn to.
fn remedy_outside_cucm(kind: FileKind, roles: &str) -> String {
    match kind {
        FileKind::Ctl | FileKind::Itl => format!(
            "Remedy: sign it with a key the phones already trust (one of the {roles} records above: `ctlkit build --signer` with that certificate and its key); else delete the {} on each phone (Settings > Security > Trust List): outside CUCM there is no ITL recovery or bulk reset.",
            if kind == FileKind::Ctl { "CTL" } else { "ITL" }
        ),
        FileKind::Signed => format!(
            "Remedy: sign it with a certificate the phones' lists hold (one of the {roles} records above: `ctlkit sign --signer` with it); else add its signer to the ITL as a TFTP record (`ctlkit build --from ITLFile.tlv --tftp SIGNER.pem`, signed by a SAST key the phones hold); else delete the ITL on each phone (Settings > Security > Trust List)."
        ),
    }
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
        "Remedy: sign it with a key the phones already trust (one of the {roles} records above); else {reset}."
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

/// Why a group's content is unusable.
pub(crate) fn problem_sentence(problem: &AuditProblem) -> String {
    match problem {
        AuditProblem::Unreadable { message, .. } => message.clone(),
        AuditProblem::IsDirectory => "is a directory".to_owned(),
        AuditProblem::TooLarge { limit } => format!("larger than the {limit}-byte limit"),
        AuditProblem::NotTrustList(error) => format!("not a trust list: {error}"),
        AuditProblem::NotSignedFile => "not a signed file".to_owned(),
        AuditProblem::NotCiscoFile {
            recognised: Some(recognised),
            ..
        } => format!(
            "not a CTL, ITL or Cisco signed file: {}",
            recognised_words(*recognised)
        ),
        AuditProblem::NotCiscoFile { error, .. } => {
            format!("not a CTL, ITL or Cisco signed file: {error}")
        }
    }
}

/// What a file that is not a Cisco file is, in a phrase.
pub(crate) fn recognised_words(recognised: crate::evidence::Recognised) -> &'static str {
    use crate::evidence::Recognised;
    match recognised {
        Recognised::TrustList => "a trust list",
        Recognised::SignedFile => "a signed file",
        Recognised::Firmware => "Cisco firmware",
        Recognised::PemCertificate => "a PEM certificate",
        Recognised::PemKey => "a PEM private key",
        Recognised::DerCertificate => "a DER certificate",
        Recognised::Capture => "a packet capture",
        Recognised::Gzip => "gzip-compressed data",
        Recognised::Tar => "a tar archive",
        Recognised::Zip => "a zip archive",
        Recognised::PastedShow => "pasted show ctl / show itl text",
        Recognised::Text => "plain text",
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
