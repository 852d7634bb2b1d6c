//! Would a phone that holds one trust list accept another (FORMAT.md §5)?
//!
//! A phone checks a new file against its CTL if it has one, else against its ITL: the new
//! file must be signed by a key the held list has as SAST. If not, a phone with Security By
//! Default asks TVS (a server its held list names with function TVS) whether the signer is
//! trusted, so the answer then depends on the cluster, and ctlkit says so rather than guess.

use std::fmt;

use crate::record::Function;
use crate::signature::{SignatureStatus, Verification, verify_with_keys_from};
use crate::text::printable;
use crate::trust_list::{Kind, TrustList};

/// A trust list a phone holds, with the name to call it by in explanations.
#[derive(Debug, Clone, Copy)]
pub struct HeldList<'h, 'a> {
    /// How to refer to it (usually its path).
    pub name: &'h str,
    /// CTL or ITL.
    pub kind: Kind,
    /// The parsed file.
    pub list: &'h TrustList<'a>,
}

/// The phone's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Acceptance {
    /// Signed by a key the held list has as SAST: installed directly.
    Accepted,
    /// The signer is not in the held list, but the held list names TVS servers: the phone
    /// installs the file only if the cluster's TVS vouches for the signer.
    AcceptedIfTvsVouches,
    /// The phone refuses it ("Trust List Update Failed").
    Rejected,
}

impl Acceptance {
    /// `accepted`, `accepted_if_tvs_vouches`, `rejected`: the JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Acceptance::Accepted => "accepted",
            Acceptance::AcceptedIfTvsVouches => "accepted_if_tvs_vouches",
            Acceptance::Rejected => "rejected",
        }
    }
}

impl fmt::Display for Acceptance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Acceptance::Accepted => "accepted",
            Acceptance::AcceptedIfTvsVouches => "accepted only if TVS vouches",
            Acceptance::Rejected => "rejected",
        })
    }
}

/// The verdict with the sentence that explains it (and, when rejected, the remedy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptanceVerdict {
    /// Accepted, TVS-dependent or rejected.
    pub acceptance: Acceptance,
    /// Why, naming the signer and the held list's trust anchors.
    pub reason: String,
}

/// Whether a phone holding `held` would install `new`.
///
/// `own` is `new`'s verification against its own records ([`crate::verify`]); `has_tvs` is
/// false for phones without Security By Default (7940/7960, Jabber), which cannot ask TVS.
/// Returns `None` when `held` is empty: a phone that holds nothing takes the first file it
/// downloads.
pub fn would_accept(
    new_name: &str,
    new: &TrustList<'_>,
    own: &Verification,
    held: &[HeldList<'_, '_>],
    has_tvs: bool,
) -> Option<AcceptanceVerdict> {
    let anchor = held
        .iter()
        .find(|list| list.kind == Kind::Ctl)
        .or_else(|| held.first())?;
    let signer = signer_text(new);
    let anchors = sast_anchors(anchor.list);
    let remedy = remedy(anchor.kind);

    let with_held_keys = verify_with_keys_from(new, anchor.list);
    let verdict = |acceptance, reason| Some(AcceptanceVerdict { acceptance, reason });
    match with_held_keys.status {
        SignatureStatus::Valid => {
            return verdict(
                Acceptance::Accepted,
                format!(
                    "a phone holding {} accepts {new_name}: it is signed by {signer}, which {} lists as SAST record {}",
                    anchor.name,
                    anchor.name,
                    with_held_keys.signer_record.unwrap_or_default()
                ),
            );
        }
        SignatureStatus::Invalid => {
            return verdict(
                Acceptance::Rejected,
                format!(
                    "a phone holding {} rejects {new_name}: its signer {signer} has the serial of {}'s SAST record {}, but the signature does not verify with that record's key (the certificate was regenerated with the same serial, or the file was altered). {remedy}",
                    anchor.name,
                    anchor.name,
                    with_held_keys.signer_record.unwrap_or_default()
                ),
            );
        }
        SignatureStatus::Unverifiable => {}
    }

    if own.status != SignatureStatus::Valid {
        return verdict(
            Acceptance::Rejected,
            format!(
                "a phone holding {} rejects {new_name}: {signer} is not among {}'s SAST records ({anchors}), and {new_name}'s own signature is {} ({}). {remedy}",
                anchor.name, anchor.name, own.status, own.reason
            ),
        );
    }
    let tvs = tvs_servers(anchor.list);
    if has_tvs && !tvs.is_empty() {
        return verdict(
            Acceptance::AcceptedIfTvsVouches,
            format!(
                "{signer} is not among {}'s SAST records ({anchors}); a phone holding {} asks TVS ({}) and installs {new_name} only if the cluster's TVS trusts that signer (phones without Security By Default reject it)",
                anchor.name,
                anchor.name,
                tvs.join(", ")
            ),
        );
    }
    let why_no_tvs = if has_tvs {
        format!("and {} names no TVS server to ask", anchor.name)
    } else {
        "and this phone cannot ask TVS".to_owned()
    };
    verdict(
        Acceptance::Rejected,
        format!(
            "a phone holding {} rejects {new_name} (Trust List Update Failed): {signer} is not among {}'s SAST records ({anchors}) {why_no_tvs}. {remedy}",
            anchor.name, anchor.name
        ),
    )
}

fn signer_text(list: &TrustList<'_>) -> String {
    let header = list.header();
    let name = header.signer_name().map_or_else(
        || "an unnamed signer".to_owned(),
        |name| printable(name).into_owned(),
    );
    match header.signer_serial() {
        Some(serial) => format!("{name} (serial {})", crate::text::serial_hex(serial)),
        None => name,
    }
}

fn sast_anchors(list: &TrustList<'_>) -> String {
    let anchors: Vec<String> = list
        .records_with_function(Function::Sast)
        .map(|record| {
            let subject = record.subject_name().map_or_else(
                || "no subject".to_owned(),
                |subject| printable(subject).into_owned(),
            );
            let serial = record.serial_number().map_or_else(String::new, |serial| {
                format!(", serial {}", crate::text::serial_hex(serial))
            });
            format!("record {}: {subject}{serial}", record.index())
        })
        .collect();
    if anchors.is_empty() {
        "it has none".to_owned()
    } else {
        anchors.join("; ")
    }
}

fn tvs_servers(list: &TrustList<'_>) -> Vec<String> {
    list.records_with_function(Function::Tvs)
        .map(|record| match (record.dns_name(), record.ip_address()) {
            (Some(name), _) if !name.is_empty() => printable(name).into_owned(),
            (_, Some(address)) => address.to_string(),
            _ => format!("record {}", record.index()),
        })
        .collect()
}

fn remedy(kind: Kind) -> String {
    let reset = match kind {
        Kind::Ctl => {
            "bulk-reset the phones' trust lists, or delete the CTL on each phone (Settings > Security > Trust List)"
        }
        Kind::Itl => {
            "run ITL recovery (`utils itl reset`), or delete the ITL on each phone (Settings > Security > Trust List)"
        }
    };
    format!(
        "Remedy: sign it with a key the phones already trust (one of the SAST records above); else make TVS vouch for the new signer; else {reset}."
    )
}
