//! `ctlkit extract`.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ctlkit::report::{ExtractReport, ExtractRow};
use ctlkit::{
    CaptureOptions, HTTP_TFTP_PORT, TFTP_PORT, Transfer, TransferFacts, extract_transfers,
    write_atomically,
};

use super::args::ExtractArgs;
use super::exit::{Failure, NEGATIVE};
use super::output::emit;

/// Reads the capture once; writes each complete file as it ends (so memory holds one file),
/// then reports. Exit 1 when a transfer is incomplete or the capture is damaged.
pub fn run(arguments: &ExtractArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let options = CaptureOptions {
        max_transfer: max_size,
        tftp_ports: ports_or(&arguments.tftp_port, TFTP_PORT),
        http_ports: ports_or(&arguments.http_port, HTTP_TFTP_PORT),
    };
    let name = arguments.capture.to_string_lossy().into_owned();
    let reader: Box<dyn Read + Send> = if arguments.capture == "-" {
        Box::new(std::io::stdin())
    } else {
        let path = PathBuf::from(&arguments.capture);
        Box::new(
            File::open(&path)
                .map_err(|source| Failure::Load(ctlkit::LoadError::Io { path, source }))?,
        )
    };
    let mut writer = arguments
        .output
        .as_deref()
        .map(|folder| Writer::new(folder, arguments.force));
    let mut kept: Vec<(Transfer, TransferFacts, usize, Option<PathBuf>)> = Vec::new();
    let mut write_failure = None;
    let summary = extract_transfers(reader, &options, &mut |mut transfer| {
        let facts = TransferFacts::of(&transfer);
        let written = match (&mut writer, transfer.is_complete(), &write_failure) {
            (Some(writer), true, None) => match writer.write(&transfer) {
                Ok(path) => Some(path),
                Err(failure) => {
                    write_failure = Some(failure);
                    None
                }
            },
            _ => None,
        };
        // The report needs facts, not bytes: keep memory at one file.
        let size = std::mem::take(&mut transfer.bytes).len();
        kept.push((transfer, facts, size, written));
    })
    .map_err(|error| Failure::Unusable(format!("{name}: {error}")))?;
    if let Some(failure) = write_failure {
        return Err(failure);
    }
    kept.sort_by_key(|(transfer, ..)| transfer.first_packet);
    let rows = kept
        .iter()
        .map(|(transfer, facts, size, written)| ExtractRow {
            transfer,
            facts,
            size: *size,
            written: written.as_deref(),
        })
        .collect();
    let report = ExtractReport {
        capture: &name,
        summary: &summary,
        rows,
    };
    emit(&report, arguments.format)?;
    let all_whole = kept.iter().all(|(transfer, ..)| transfer.is_complete());
    Ok(if all_whole && summary.damage.is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(NEGATIVE)
    })
}

fn ports_or(given: &[u16], default: u16) -> Vec<u16> {
    if given.is_empty() {
        vec![default]
    } else {
        given.to_vec()
    }
}

/// Writes complete transfers to DIR/<client-ip>/<name>: a name that could leave the folder
/// becomes `transfer-N`; the same client fetching the same name twice with the same bytes is
/// written once, with other bytes as `<name>.2`, `<name>.3`…
struct Writer<'a> {
    folder: &'a Path,
    force: bool,
    written: HashMap<PathBuf, [u8; 32]>,
    count: usize,
}

impl<'a> Writer<'a> {
    fn new(folder: &'a Path, force: bool) -> Self {
        Writer {
            folder,
            force,
            written: HashMap::new(),
            count: 0,
        }
    }

    fn write(&mut self, transfer: &Transfer) -> Result<PathBuf, Failure> {
        self.count = self.count.saturating_add(1);
        let base = transfer.base_name();
        let base = if base.is_empty() || base == "." || base == ".." {
            format!("transfer-{}", self.count)
        } else {
            base
        };
        let folder = self.folder.join(transfer.client.ip().to_string());
        std::fs::create_dir_all(&folder).map_err(|source| {
            Failure::Load(ctlkit::LoadError::Io {
                path: folder.clone(),
                source,
            })
        })?;
        let digest = ctlkit::Checksums::of(&transfer.bytes).sha256;
        let mut path = folder.join(&base);
        let mut copy = 1u32;
        while let Some(previous) = self.written.get(&path) {
            if *previous == digest {
                return Ok(path);
            }
            copy = copy.saturating_add(1);
            path = folder.join(format!("{base}.{copy}"));
        }
        write_atomically(&path, &transfer.bytes, self.force)?;
        self.written.insert(path.clone(), digest);
        Ok(path)
    }
}
