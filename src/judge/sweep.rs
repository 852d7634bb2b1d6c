//! A TFTP folder against the lists a phone holds: for every file, what a phone holding them
//! does with it — the check to run after `set cert regen CallManager` (which configs will
//! phones refuse). Files are read, parsed and judged in parallel, one at a time each.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::files::input::read_file;
use crate::judge::acceptance::{Acceptance, AcceptanceReason, AcceptanceVerdict, FileKind, Phone};
use crate::judge::audit::AuditProblem;
use ctlkit_format::cert::serial::Serial;
use ctlkit_format::file::signed_file::{CiscoFile, PayloadKind};
use ctlkit_format::file::trust_list::Kind;
use ctlkit_format::file::trust_list::TrustList;
use ctlkit_format::sign::signature::{SignerCandidate, Verification, verify, verify_signed_file};
use ctlkit_format::tlv::error::ParseError;

/// What a swept file is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SweptFile {
    /// A trust list, judged as a new CTL or ITL.
    TrustList(Kind),
    /// A config or another signed file, judged by the TFTP / CCM+TFTP records.
    Signed(PayloadKind),
    /// Cisco firmware: checked by the phone with Cisco's key, not against trust lists.
    Firmware(PayloadKind),
    /// Not a signed file (a plain config, a ringtone…): phones do not check it.
    NotSigned,
    /// Could not be read.
    Unusable(AuditProblem),
}

impl SweptFile {
    /// A stable machine-readable name.
    pub fn code(&self) -> &'static str {
        match self {
            SweptFile::TrustList(Kind::Ctl) => "ctl",
            SweptFile::TrustList(Kind::Itl) => "itl",
            SweptFile::Signed(_) => "signed",
            SweptFile::Firmware(_) => "firmware",
            SweptFile::NotSigned => "not_signed",
            SweptFile::Unusable(_) => "unusable",
        }
    }
}

/// One file's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepRow {
    /// Where the file is.
    pub path: PathBuf,
    /// What it is.
    pub file: SweptFile,
    /// Its header's SIGNERNAME.
    pub signer_name: Option<String>,
    /// Its header's SERIALNUMBER.
    pub signer_serial: Option<Serial<'static>>,
    /// Its signature: a trust list's against its own records, a signed file's against the
    /// held lists' keys (or the certificate given); `None` for firmware without a
    /// unsigned and unreadable files.
    pub signature: Option<Verification>,
    /// What a phone holding the lists does with it; `None` without held lists, and for
    /// firmware, unsigned and unreadable files.
    pub verdict: Option<AcceptanceVerdict>,
    /// Where a damaged trust list stops parsing (what came before was judged).
    pub damage: Option<ParseError>,
    /// Named on the command line rather than found in a folder: a firmware file named to be
    /// checked and not checkable is a "no"; one found among a TFTP folder's files is listed.
    pub named: bool,
}

/// How bad a row's answer is, for the exit code: the worst row decides a whole run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RowOutcome {
    /// Accepted outright, a valid signature, or a file phones do not check.
    Good,
    /// A negative verdict: rejected, accepted only if TVS vouches, a signature that is
    /// invalid or cannot be checked, a damaged copy.
    Negative,
    /// Nothing could be judged: unreadable, or a held copy that fails its own signature.
    Unusable,
}

impl SweepRow {
    /// The phone's answer, when the file is one phones check against their lists.
    pub fn acceptance(&self) -> Option<Acceptance> {
        self.verdict.as_ref().map(|verdict| verdict.acceptance)
    }

    /// How bad the answer is: one rule for one file and for many.
    pub fn outcome(&self) -> RowOutcome {
        match (&self.file, self.acceptance()) {
            (SweptFile::Unusable(_), _) | (_, Some(Acceptance::CannotJudge)) => {
                RowOutcome::Unusable
            }
            (_, Some(Acceptance::Rejected | Acceptance::AcceptedIfTvsVouches)) => {
                RowOutcome::Negative
            }
            _ if self.damage.is_some() => RowOutcome::Negative,
            (SweptFile::Firmware(_), None) if !self.named => RowOutcome::Good,
            // The phone's verdict already weighed the signature (a rollback ITL takes what it
            // cannot check): only without one does the signature decide.
            (_, Some(Acceptance::Accepted)) => RowOutcome::Good,
            _ if self
                .signature
                .as_ref()
                .is_some_and(|signature| !signature.is_valid()) =>
            {
                RowOutcome::Negative
            }
            _ => RowOutcome::Good,
        }
    }
}

/// Judges every file as `phone` would (`None`: a phone that holds nothing, so each file by
/// its own signature), calling `progress` once per file; `certificate` (DER), when given,
/// checks signed files and firmware instead of the held lists.
///
/// Rows come back in the order of `files`. Memory stays at one file per core: each file is
/// read, judged and dropped.
pub fn sweep(
    files: &[PathBuf],
    phone: Option<&Phone<'_, '_>>,
    max_size: u64,
    certificate: Option<&[u8]>,
    progress: &(dyn Fn() + Sync),
) -> Vec<SweepRow> {
    files
        .par_iter()
        .map(|path| {
            let row = match read_file(path, max_size) {
                Ok(input) => judge_file(path.clone(), &input.bytes, phone, certificate),
                Err(error) => unusable(path.clone(), AuditProblem::of_load(&error)),
            };
            progress();
            row
        })
        .collect()
}

/// A row for a file that could not be used.
pub fn unusable(path: PathBuf, problem: AuditProblem) -> SweepRow {
    bare(path, SweptFile::Unusable(problem))
}

/// A row with nothing known but what the file is.
fn bare(path: PathBuf, file: SweptFile) -> SweepRow {
    SweepRow {
        path,
        file,
        signer_name: None,
        signer_serial: None,
        signature: None,
        verdict: None,
        damage: None,
        named: false,
    }
}

/// One file's row: what it is, its signature, and what `phone` does with it. A trust list
/// damaged after its header is judged as far as it reads; bytes that are no Cisco file are
/// `NotSigned`.
pub fn judge_file(
    path: PathBuf,
    bytes: &[u8],
    phone: Option<&Phone<'_, '_>>,
    certificate: Option<&[u8]>,
) -> SweepRow {
    let candidates: Vec<SignerCandidate<'_>> = certificate
        .and_then(|der| SignerCandidate::from_certificate(der).ok())
        .into_iter()
        .collect();
    let (parsed, damage) = match CiscoFile::parse(bytes) {
        Ok(parsed) => (parsed, None),
        Err(_) => match TrustList::parse_salvaged(bytes) {
            Ok(salvaged) if salvaged.damage.is_some() => {
                (CiscoFile::TrustList(salvaged.list), salvaged.damage)
            }
            _ => return bare(path, SweptFile::NotSigned),
        },
    };
    let header = parsed.header();
    let signer_name = header
        .signer_name()
        .map(|name| String::from_utf8_lossy(name).into_owned());
    let signer_serial = header.signer_serial().map(Serial::into_owned);
    let (file, signature, verdict) = match &parsed {
        CiscoFile::TrustList(list) => {
            let kind = list
                .kind()
                .or_else(|| {
                    let name = path.file_name()?.to_str()?;
                    Kind::from_file_name(name.as_bytes())
                })
                .unwrap_or(Kind::Ctl);
            let own = verify(list);
            let verdict = phone.and_then(|phone| phone.judge(header, kind.into(), Some(&own)));
            (SweptFile::TrustList(kind), Some(own), verdict)
        }
        CiscoFile::Signed(file) if file.is_firmware() => (
            SweptFile::Firmware(file.payload_kind()),
            Some(verify_signed_file(file, &candidates)),
            None,
        ),
        CiscoFile::Signed(file) => {
            let verdict = phone
                .filter(|_| candidates.is_empty())
                .and_then(|phone| phone.judge(header, FileKind::Signed, None));
            let signature = verdict.as_ref().map_or_else(
                || verify_signed_file(file, &candidates),
                |verdict| match &verdict.reason {
                    // Checked with the certificate TVS vouched with, as the phone checks it.
                    AcceptanceReason::TvsVouches { verification, .. } => verification.clone(),
                    _ => verdict.with_held_keys.clone(),
                },
            );
            (
                SweptFile::Signed(file.payload_kind()),
                Some(signature),
                verdict,
            )
        }
    };
    SweepRow {
        path,
        file,
        signer_name,
        signer_serial,
        signature,
        verdict,
        damage,
        named: false,
    }
}
