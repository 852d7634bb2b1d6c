//! `ctlkit extract`.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use rayon::iter::{ParallelBridge, ParallelIterator};

use ctlkit::evidence::TransferFacts;
use ctlkit::evidence::capture::{
    CaptureOptions, HTTP_TFTP_PORT, TFTP_PORT, Transfer, extract_transfers,
};
use ctlkit::files::write_atomically;
use ctlkit::report::{ExtractReport, ExtractRow};

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
    let name = ctlkit::files::path_text(std::path::Path::new(&arguments.capture));
    let reader: Box<dyn Read + Send> = if arguments.capture == "-" {
        Box::new(std::io::stdin())
    } else {
        let path = PathBuf::from(&arguments.capture);
        Box::new(
            File::open(&path)
                .map_err(|source| Failure::Load(ctlkit::LoadError::Io { path, source }))?,
        )
    };
    if let Some(folder) = arguments.output.as_deref()
        && folder.exists()
        && !folder.is_dir()
    {
        return Err(Failure::Unusable(format!(
            "{} is a file: extract -o names the folder to write the transferred files into",
            ctlkit::files::path_text(folder)
        )));
    }
    let writer = arguments
        .output
        .as_deref()
        .map(|folder| Mutex::new(Writer::new(folder, arguments.force)));
    // Reading and reassembling on this thread; hashing, reading and writing finished files on
    // the others, through a bounded queue (memory stays at a few files).
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Transfer>(64);
    let write_failure: Mutex<Option<Failure>> = Mutex::new(None);
    let (summary, kept) = std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            let handle = |mut transfer: Transfer| {
                let facts = TransferFacts::of(&transfer);
                let written =
                    writer
                        .as_ref()
                        .filter(|_| transfer.is_complete())
                        .and_then(|writer| {
                            let mut writer = writer.lock().ok()?;
                            match writer.write(&transfer, &facts.checksums.sha256) {
                                Ok(path) => Some(path),
                                Err(failure) => {
                                    if let Ok(mut first) = write_failure.lock() {
                                        first.get_or_insert(failure);
                                    }
                                    None
                                }
                            }
                        });
                // The report needs facts, not bytes.
                let size = std::mem::take(&mut transfer.bytes).len();
                (transfer, facts, size, written)
            };
            // Files are written in the order transfers end, so a name fetched twice with
            // different bytes gets its `.2` deterministically; without writing, in parallel.
            if writer.is_some() {
                receiver.into_iter().map(handle).collect::<Vec<_>>()
            } else {
                receiver
                    .into_iter()
                    .par_bridge()
                    .map(handle)
                    .collect::<Vec<_>>()
            }
        });
        let summary = extract_transfers(reader, &options, &mut |transfer| {
            // The workers only stop early by panicking, which the join below reports.
            let _ = sender.send(transfer);
        });
        drop(sender);
        (summary, worker.join())
    });
    // A worker that panicked is a bug: say so rather than report no transfers.
    let mut kept = kept.map_err(|_| {
        Failure::Unusable(format!(
            "{name}: reading the transfers failed inside ctlkit (a bug: please report it)"
        ))
    })?;
    if let Some(failure) = write_failure.into_inner().ok().flatten() {
        return Err(failure);
    }
    let summary = summary.map_err(|error| Failure::Unusable(format!("{name}: {error}")))?;
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

    fn write(&mut self, transfer: &Transfer, digest: &[u8; 32]) -> Result<PathBuf, Failure> {
        self.count = self.count.saturating_add(1);
        let base = transfer.base_name();
        let base = if base.is_empty() || base == "." || base == ".." {
            format!("transfer-{}", self.count)
        } else {
            shortened(base)
        };
        let folder = self.folder.join(transfer.client.ip().to_string());
        std::fs::create_dir_all(&folder).map_err(|source| {
            Failure::Load(ctlkit::LoadError::Io {
                path: folder.clone(),
                source,
            })
        })?;
        let mut path = folder.join(&base);
        let mut copy = 1u32;
        while let Some(previous) = self.written.get(&path) {
            if previous == digest {
                return Ok(path);
            }
            copy = copy.saturating_add(1);
            path = folder.join(format!("{base}.{copy}"));
        }
        write_atomically(&path, &transfer.bytes, self.force)?;
        self.written.insert(path.clone(), *digest);
        Ok(path)
    }
}

/// File systems refuse names over 255 bytes; a requested name may be any length. Long names are
/// cut (at a character boundary) and marked, so one hostile name cannot stop the others being
/// written.
fn shortened(name: String) -> String {
    const LONGEST: usize = 200;
    if name.len() <= LONGEST {
        return name;
    }
    let mut end = LONGEST;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}~", &name[..end])
}
