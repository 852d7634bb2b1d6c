//! A TFTP folder against the lists a phone holds: for every file, what a phone holding them
//! does with it — the check to run after `set cert regen CallManager` (which configs will
//! phones refuse). Files are read, parsed and judged in parallel, one at a time each.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::files::input::read_file;
use crate::judge::acceptance::{Acceptance, AcceptanceVerdict, FileKind, HeldList, Phone};
use crate::judge::audit::AuditProblem;
use ctlkit_format::cert::serial::Serial;
use ctlkit_format::file::signed_file::{CiscoFile, PayloadKind};
use ctlkit_format::file::trust_list::Kind;
use ctlkit_format::sign::signature::verify;

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
    /// What a phone holding the lists does with it; `None` for firmware, unsigned and
    /// unreadable files.
    pub verdict: Option<AcceptanceVerdict>,
}

impl SweepRow {
    /// The phone's answer, when the file is one phones check against their lists.
    pub fn acceptance(&self) -> Option<Acceptance> {
        self.verdict.as_ref().map(|verdict| verdict.acceptance)
    }
}

/// Judges every file against `held`, calling `progress` once per file.
///
/// Rows come back in the order of `files`. Memory stays at one file per core: each file is
/// read, judged and dropped.
pub fn sweep(
    files: &[PathBuf],
    held: &[HeldList<'_, '_>],
    has_tvs: bool,
    max_size: u64,
    progress: &(dyn Fn() + Sync),
) -> Vec<SweepRow> {
    let phone = Phone::new(held, has_tvs);
    files
        .par_iter()
        .map(|path| {
            let row = judge(path.clone(), phone.as_ref(), max_size);
            progress();
            row
        })
        .collect()
}

fn judge(path: PathBuf, phone: Option<&Phone<'_, '_>>, max_size: u64) -> SweepRow {
    let row = |file, signer_name, signer_serial, verdict| SweepRow {
        path: path.clone(),
        file,
        signer_name,
        signer_serial,
        verdict,
    };
    let input = match read_file(&path, max_size) {
        Ok(input) => input,
        Err(error) => {
            return row(
                SweptFile::Unusable(AuditProblem::of_load(&error)),
                None,
                None,
                None,
            );
        }
    };
    let Ok(parsed) = CiscoFile::parse(&input.bytes) else {
        return row(SweptFile::NotSigned, None, None, None);
    };
    let header = parsed.header();
    let signer_name = header
        .signer_name()
        .map(|name| String::from_utf8_lossy(name).into_owned());
    let signer_serial = header.signer_serial().map(Serial::into_owned);
    match &parsed {
        CiscoFile::TrustList(list) => {
            let kind = list.kind().unwrap_or(Kind::Ctl);
            let own = verify(list);
            let verdict = phone.and_then(|phone| phone.judge(header, kind.into(), Some(&own)));
            row(
                SweptFile::TrustList(kind),
                signer_name,
                signer_serial,
                verdict,
            )
        }
        CiscoFile::Signed(file) if file.is_firmware() => row(
            SweptFile::Firmware(file.payload_kind()),
            signer_name,
            signer_serial,
            None,
        ),
        CiscoFile::Signed(file) => {
            let verdict = phone.and_then(|phone| phone.judge(header, FileKind::Signed, None));
            row(
                SweptFile::Signed(file.payload_kind()),
                signer_name,
                signer_serial,
                verdict,
            )
        }
    }
}
