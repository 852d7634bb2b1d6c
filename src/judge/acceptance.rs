//! Would a phone that holds some trust lists accept a new one (docs/FORMAT.md §5)?
//!
//! A phone checks a new file against the records of every list it holds, by role: a new CTL
//! must be signed by a SAST record of the held CTL; a new ITL by a SAST, CCM+TFTP or TFTP
//! record of the held CTL or ITL. A signer it does not hold sends a phone with Security By
//! Default to the TVS its ITL names, so the answer then depends on the cluster and ctlkit says
//! so rather than guess. A signer it holds whose key does not check the signature is a refusal.

use ctlkit_format::cert::serial::Serial;
use ctlkit_format::cert::signer_class::{SignerClass, signer_class};
use ctlkit_format::file::header::Header;
use ctlkit_format::file::record::Function;
use ctlkit_format::file::trust_list::{Kind, TrustList};
use ctlkit_format::sign::signature::{
    KeyOrigin, SignatureStatus, SignerCandidate, Verification, verify, verify_header,
};

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
    /// Signed by a key a held list gives that role: installed directly.
    Accepted,
    /// The signer is not in the held lists, but the held ITL names TVS servers: the phone
    /// installs the file only if the cluster's TVS vouches for the signer.
    AcceptedIfTvsVouches,
    /// The phone refuses it ("Trust List Update Failed").
    Rejected,
    /// A held copy fails its own signature: it changed after the phone installed it (on its
    /// way to the administrator), so it is not what the phone holds and says nothing about
    /// what the phone does. Fetch the copy again.
    CannotJudge,
}

impl Acceptance {
    /// `accepted`, `accepted_if_tvs_vouches`, `rejected`: the JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Acceptance::Accepted => "accepted",
            Acceptance::AcceptedIfTvsVouches => "accepted_if_tvs_vouches",
            Acceptance::Rejected => "rejected",
            Acceptance::CannotJudge => "cannot_judge",
        }
    }
}

/// Why the phone decides as it does.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AcceptanceReason {
    /// A held record with an allowed role has the signer's serial and its key verifies.
    SignedByHeldRecord,
    /// A held record has the signer's serial but its key does not verify the signature: the
    /// certificate was regenerated with the same serial, or the file was altered.
    HeldKeyMismatch,
    /// A held record has the signer's serial but its key cannot check this signature (another
    /// key size, no usable key): the phone finds the signer and fails to verify.
    HeldRecordCannotVerify,
    /// The signer is not held, and the file's own signature is not valid either.
    OwnSignatureNotValid {
        /// The file checked against its own records.
        own: Verification,
    },
    /// The signer is not held; the phone asks these TVS servers.
    TvsMayVouch {
        /// The TVS records' host names or addresses.
        tvs: Vec<String>,
    },
    /// The signer is not held; the phone asks TVS, and TVS trusts it: it holds a certificate
    /// with the signer's serial (and issuer) whose key verifies the file.
    TvsVouches {
        /// The TVS records' host names or addresses.
        tvs: Vec<String>,
        /// The certificate TVS holds, as given (`--tvs-trusts`).
        certificate: String,
        /// The store it is in (`CallManager-trust`, `Phone-SAST-trust`, `CallManager`…).
        store: String,
        /// The file's signature checked with that certificate (valid).
        verification: Verification,
    },
    /// The signer is not held; the phone asks TVS, and TVS does not trust it: no certificate
    /// it holds has the signer's serial and verifies the file.
    TvsDoesNotKnowSigner {
        /// The TVS records' host names or addresses.
        tvs: Vec<String>,
    },
    /// The signer is not held and the held lists name no TVS the phone can ask: none, or
    /// only TVS records without a certificate to check the server with (a rollback ITL's).
    NoTvsListed,
    /// The signer is not held and the phone cannot ask TVS (no Security By Default).
    PhoneCannotAskTvs,
    /// A held copy fails its own signature, so it is not what the phone installed.
    HeldCopyFailsItsSignature {
        /// The held list (position in the held lists).
        list: usize,
        /// Its verification against its own records.
        own: Verification,
    },
    /// The held ITL is a rollback ITL ("Prepare Cluster for Rollback to pre-8.0"): its TVS
    /// and TFTP records carry no certificate, so the phone takes any new ITL and any signed
    /// config — and, holding no CTL, any CTL. A held CTL still governs a new CTL.
    HeldItlIsRollback {
        /// The held ITL (position in the held lists).
        list: usize,
    },
}

impl AcceptanceReason {
    /// A stable machine-readable name for the reason.
    pub fn code(&self) -> &'static str {
        match self {
            AcceptanceReason::SignedByHeldRecord => "signed_by_held_record",
            AcceptanceReason::HeldKeyMismatch => "held_key_mismatch",
            AcceptanceReason::HeldRecordCannotVerify => "held_record_cannot_verify",
            AcceptanceReason::OwnSignatureNotValid { .. } => "own_signature_not_valid",
            AcceptanceReason::TvsMayVouch { .. } => "tvs_may_vouch",
            AcceptanceReason::TvsVouches { .. } => "tvs_vouches",
            AcceptanceReason::TvsDoesNotKnowSigner { .. } => "tvs_does_not_know_signer",
            AcceptanceReason::NoTvsListed => "no_tvs_listed",
            AcceptanceReason::PhoneCannotAskTvs => "phone_cannot_ask_tvs",
            AcceptanceReason::HeldItlIsRollback { .. } => "held_itl_is_rollback",
            AcceptanceReason::HeldCopyFailsItsSignature { .. } => "held_copy_fails_its_signature",
        }
    }
}

/// A certificate the cluster's TVS trusts (what OS Administration > Certificate Management
/// exports: the nodes' CallManager, ITLRecovery, TVS and CAPF certificates, the
/// CallManager-trust and Phone-SAST-trust stores). Given these, "accepted only if TVS vouches"
/// becomes a definitive answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TvsTrusted {
    /// Where it came from, as given.
    pub path: String,
    /// The store it is in, as the administrator knows it.
    pub store: String,
    /// The certificate, DER.
    pub der: Vec<u8>,
}

/// What the new file is to the phone: it decides which held records may sign it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// A new CTL.
    Ctl,
    /// A new ITL.
    Itl,
    /// A signed config (`.sgn`, `.enc.sgn`) or any other signed file checked against the
    /// phone's lists.
    Signed,
}

impl From<Kind> for FileKind {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Ctl => FileKind::Ctl,
            Kind::Itl => FileKind::Itl,
        }
    }
}

/// A held record allowed to sign the new file: what a remedy can point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// Which held list (position in the list given).
    pub list: usize,
    /// Its record number.
    pub record: usize,
    /// Its role.
    pub role: Option<Function>,
    /// Its subject as written (lossy UTF-8).
    pub subject: Option<String>,
    /// Its serial.
    pub serial: Option<Serial<'static>>,
}

/// The verdict with the facts that explain it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptanceVerdict {
    /// Accepted, TVS-dependent or rejected.
    pub acceptance: Acceptance,
    /// Why.
    pub reason: AcceptanceReason,
    /// The new file's kind, which decides the roles allowed to sign it and the remedy.
    pub new_kind: FileKind,
    /// The new file's signer as its header names it.
    pub signer_name: Option<String>,
    /// Its serial.
    pub signer_serial: Option<Serial<'static>>,
    /// Names and kinds of every held list, in the order given (anchors index into this).
    pub held: Vec<(String, Kind)>,
    /// Which held lists were consulted (positions in `held`).
    pub consulted: Vec<usize>,
    /// The roles allowed to sign the new file.
    pub allowed: Vec<Function>,
    /// The consulted lists' records with those roles.
    pub anchors: Vec<Anchor>,
    /// The new file checked with the held keys: the signer found there, and what it gave.
    pub with_held_keys: Verification,
    /// Every held list was signed by a key of its own (a PBX's, not CUCM's): the remedies are
    /// the builder's, as there is no ITL recovery, bulk reset or Cisco TFTP to turn to.
    pub held_built_outside_cucm: bool,
}

/// Why some lists cannot be what one phone holds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HeldSetError {
    /// Two lists of one kind: a phone holds one CTL and one ITL at most, so judging against
    /// both would merge records no phone holds together.
    #[error("a phone holds one {kind} at most, and {first} and {second} are both {kind}s")]
    TwoOfOneKind {
        /// CTL or ITL.
        kind: Kind,
        /// The first list's name.
        first: String,
        /// The second's.
        second: String,
    },
}

/// Whether `held` is what one phone can hold: one CTL and one ITL at most. The judging
/// functions take a held set on trust; whatever builds one from a user's choice checks it here.
///
/// # Errors
///
/// [`HeldSetError::TwoOfOneKind`] naming the first two lists of one kind.
pub fn check_held_set(held: &[HeldList<'_, '_>]) -> Result<(), HeldSetError> {
    for (position, list) in held.iter().enumerate() {
        let earlier = held
            .iter()
            .take(position)
            .find(|earlier| earlier.kind == list.kind);
        if let Some(first) = earlier {
            return Err(HeldSetError::TwoOfOneKind {
                kind: list.kind,
                first: first.name.to_owned(),
                second: list.name.to_owned(),
            });
        }
    }
    Ok(())
}

/// The roles a phone accepts as the signer of a new file of `kind` (docs/FORMAT.md §5, §9).
pub fn allowed_signers(kind: FileKind) -> &'static [Function] {
    match kind {
        FileKind::Ctl => &[Function::Sast],
        FileKind::Itl => &[Function::Sast, Function::CcmTftp, Function::Tftp],
        FileKind::Signed => ctlkit_format::sign::signature::SIGNED_FILE_SIGNERS,
    }
}

/// Whether a phone holding `held` would install `new`, a file of `new_kind`.
///
/// `own` is `new`'s verification against its own records ([`crate::verify`]); `has_tvs` is
/// false for phones without Security By Default (7940/7960, Jabber), which cannot ask TVS.
/// Returns `None` when `held` is empty: a phone that holds nothing takes the first file it
/// downloads.
pub fn would_accept(
    new: &TrustList<'_>,
    new_kind: Kind,
    own: &Verification,
    held: &[HeldList<'_, '_>],
    has_tvs: bool,
) -> Option<AcceptanceVerdict> {
    judge_new_file(new.header(), new_kind.into(), Some(own), held, has_tvs)
}

/// Whether a phone holding `held` would take the file `header` starts, a file of `new_kind`.
///
/// `own` is the file's verification against its own records, for files that carry records
/// (trust lists); a signer the phone does not hold is sent to TVS only when that is valid. A
/// signed config has no records of its own: pass `None`.
pub fn judge_new_file(
    header: &Header<'_>,
    new_kind: FileKind,
    own: Option<&Verification>,
    held: &[HeldList<'_, '_>],
    has_tvs: bool,
) -> Option<AcceptanceVerdict> {
    Phone::new(held, has_tvs)?.judge(header, new_kind, own)
}

/// A phone: the lists it holds with their records ready to verify with (keys decoded once),
/// and whether it can ask TVS. Judging many files against one phone (a sweep, an audit)
/// decodes the held keys once instead of once per file.
#[derive(Debug, Clone)]
pub struct Phone<'h, 'a> {
    held: &'h [HeldList<'h, 'a>],
    has_tvs: bool,
    /// Every held list's records.
    all: Vec<SignerCandidate<'h>>,
    /// Which lists a new CTL answers to: the held CTLs, or every list when none is a CTL.
    ctl_lists: Vec<usize>,
    /// The held ITL, when it is a rollback ITL.
    rollback_itl: Option<usize>,
    /// Whether a CTL is held.
    holds_ctl: bool,
    /// The first held list whose signature does not hold against its own records.
    altered: Option<(usize, Verification)>,
    /// What the cluster's TVS trusts, when known: TVS's answer is then definitive.
    tvs_trusts: Option<&'h [TvsTrusted]>,
    /// Every held list was signed by a key of its own (a PBX's).
    built_outside_cucm: bool,
}

impl<'h, 'a: 'h> Phone<'h, 'a> {
    /// The phone holding `held`; `None` when it holds nothing (it takes the first file it
    /// downloads).
    pub fn new(held: &'h [HeldList<'h, 'a>], has_tvs: bool) -> Option<Self> {
        if held.is_empty() {
            return None;
        }
        let all = held
            .iter()
            .enumerate()
            .flat_map(|(position, list)| SignerCandidate::all_of(position, list.list))
            .map(SignerCandidate::with_decoded_key)
            .collect();
        let holds_ctl = held.iter().any(|list| list.kind == Kind::Ctl);
        // A new CTL answers to the held CTL alone; a phone without one checks it against its ITL.
        let ctl_lists = held
            .iter()
            .enumerate()
            .filter(|(_, list)| !holds_ctl || list.kind == Kind::Ctl)
            .map(|(position, _)| position)
            .collect();
        let rollback_itl = held
            .iter()
            .position(|list| list.kind == Kind::Itl && list.list.is_rollback_itl());
        // A phone installs a list only when its signature holds: a copy whose signature does
        // not hold changed after it was installed.
        let altered = held.iter().enumerate().find_map(|(position, list)| {
            let own = verify(list.list);
            (own.status == SignatureStatus::Invalid).then_some((position, own))
        });
        let built_outside_cucm = held
            .iter()
            .all(|list| signer_class(list.list) == SignerClass::ThirdParty);
        Some(Phone {
            held,
            has_tvs,
            built_outside_cucm,
            all,
            ctl_lists,
            rollback_itl,
            holds_ctl,
            altered,
            tvs_trusts: None,
        })
    }

    /// The same phone, with what the cluster's TVS trusts known: where the phone would ask
    /// TVS, the answer is `accepted` (naming the certificate and its store) or `rejected`.
    #[must_use]
    pub fn with_tvs_trusts(mut self, trusted: &'h [TvsTrusted]) -> Self {
        self.tvs_trusts = Some(trusted);
        self
    }

    /// What this phone does with the file `header` starts, a file of `new_kind`; `own` as for
    /// [`judge_new_file`].
    pub fn judge(
        &self,
        header: &Header<'_>,
        new_kind: FileKind,
        own: Option<&Verification>,
    ) -> Option<AcceptanceVerdict> {
        let consulted: Vec<usize> = match new_kind {
            FileKind::Ctl => self.ctl_lists.clone(),
            FileKind::Itl | FileKind::Signed => (0..self.held.len()).collect(),
        };
        let allowed = allowed_signers(new_kind);
        let in_consulted = |candidate: &&SignerCandidate<'_>| match candidate.origin {
            KeyOrigin::Record { list, .. } => consulted.contains(&list),
            KeyOrigin::Certificate => true,
        };
        let with_held_keys = if consulted.len() == self.held.len() {
            verify_header(header, &self.all, allowed)
        } else {
            let candidates: Vec<SignerCandidate<'_>> =
                self.all.iter().filter(in_consulted).cloned().collect();
            verify_header(header, &candidates, allowed)
        };
        let anchors = self
            .all
            .iter()
            .filter(in_consulted)
            .filter(|candidate| candidate.role.is_some_and(|role| allowed.contains(&role)))
            .filter_map(|candidate| match candidate.origin {
                KeyOrigin::Record { list, index } => Some(Anchor {
                    list,
                    record: index,
                    role: candidate.role,
                    subject: candidate
                        .subject
                        .map(|subject| String::from_utf8_lossy(subject).into_owned()),
                    serial: Some(candidate.serial.clone().into_owned()),
                }),
                KeyOrigin::Certificate => None,
            })
            .collect();

        // A rollback ITL lets through what a held CTL does not govern; the file must still be
        // whole (its own signature valid), or the phone cannot take it at all.
        let rollback = self
            .rollback_itl
            .filter(|_| new_kind != FileKind::Ctl || !self.holds_ctl);
        let (acceptance, reason) = match (&self.altered, with_held_keys.status, rollback) {
            (Some((list, own)), _, _) => (
                Acceptance::CannotJudge,
                AcceptanceReason::HeldCopyFailsItsSignature {
                    list: *list,
                    own: own.clone(),
                },
            ),
            (None, SignatureStatus::Valid, _) => {
                (Acceptance::Accepted, AcceptanceReason::SignedByHeldRecord)
            }
            (None, _, Some(list)) => match own.filter(|own| !own.is_valid()) {
                Some(own) => (
                    Acceptance::Rejected,
                    AcceptanceReason::OwnSignatureNotValid { own: own.clone() },
                ),
                None => (
                    Acceptance::Accepted,
                    AcceptanceReason::HeldItlIsRollback { list },
                ),
            },
            (None, SignatureStatus::Invalid, None) => {
                (Acceptance::Rejected, AcceptanceReason::HeldKeyMismatch)
            }
            // The phone found the signer among its records and cannot verify with that key.
            (None, SignatureStatus::Unverifiable, None) if with_held_keys.signer.is_some() => (
                Acceptance::Rejected,
                AcceptanceReason::HeldRecordCannotVerify,
            ),
            (None, SignatureStatus::Unverifiable, None) => {
                self.signer_not_held(header, new_kind, own)
            }
        };
        Some(AcceptanceVerdict {
            acceptance,
            reason,
            new_kind,
            signer_name: header
                .signer_name()
                .map(|name| String::from_utf8_lossy(name).into_owned()),
            signer_serial: header.signer_serial().map(Serial::into_owned),
            held: self
                .held
                .iter()
                .map(|list| (list.name.to_owned(), list.kind))
                .collect(),
            consulted,
            allowed: allowed.to_vec(),
            anchors,
            with_held_keys,
            held_built_outside_cucm: self.built_outside_cucm,
        })
    }
}

impl Phone<'_, '_> {
    /// The signer is not among the held records: only TVS can still vouch for it.
    fn signer_not_held(
        &self,
        header: &Header<'_>,
        new_kind: FileKind,
        own: Option<&Verification>,
    ) -> (Acceptance, AcceptanceReason) {
        if let Some(own) = own.filter(|own| !own.is_valid()) {
            return (
                Acceptance::Rejected,
                AcceptanceReason::OwnSignatureNotValid { own: own.clone() },
            );
        }
        // CTLs name no TVS; the phone asks the servers its ITL lists, over TLS checked with
        // the TVS record's certificate: a TVS record without one (a rollback ITL's) cannot be
        // asked.
        let tvs: Vec<String> = self
            .held
            .iter()
            .flat_map(|list| list.list.records_with_function(Function::Tvs))
            .filter(|record| record.has_key())
            .map(|record| match (record.dns_name(), record.ip_address()) {
                (Some(name), _) if !name.is_empty() => String::from_utf8_lossy(name).into_owned(),
                (_, Some(address)) => address.to_string(),
                _ => format!("record {}", record.index()),
            })
            .collect();
        if !self.has_tvs {
            return (Acceptance::Rejected, AcceptanceReason::PhoneCannotAskTvs);
        }
        if tvs.is_empty() {
            return (Acceptance::Rejected, AcceptanceReason::NoTvsListed);
        }
        let Some(trusted) = self.tvs_trusts else {
            return (
                Acceptance::AcceptedIfTvsVouches,
                AcceptanceReason::TvsMayVouch { tvs },
            );
        };
        // TVS hands the phone the certificate it trusts under the signer's serial; the phone
        // verifies the file with it.
        let allowed = allowed_signers(new_kind);
        let vouching = trusted.iter().find_map(|certificate| {
            let candidate = SignerCandidate::from_certificate(&certificate.der).ok()?;
            let verification = verify_header(header, std::slice::from_ref(&candidate), allowed);
            verification
                .is_valid()
                .then_some((certificate, verification))
        });
        match vouching {
            Some((certificate, verification)) => (
                Acceptance::Accepted,
                AcceptanceReason::TvsVouches {
                    tvs,
                    certificate: certificate.path.clone(),
                    store: certificate.store.clone(),
                    verification,
                },
            ),
            None => (
                Acceptance::Rejected,
                AcceptanceReason::TvsDoesNotKnowSigner { tvs },
            ),
        }
    }
}
