//! `ctlkit audit`: the fleet phone by phone (or, against pasted text, copies by checksum).

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ctlkit::audit::pasted::audit_against_pasted;
use ctlkit::audit::{AuditServer, PhoneStanding, ServerCtl, audit, config_name};
use ctlkit::evidence::capture::{CaptureOptions, is_capture};
use ctlkit::evidence::tftp::{FetchOptions, TftpError, TftpUrl, fetch};
use ctlkit::evidence::{Content, PhoneCopy, captured_copies};
use ctlkit::files::collect_files;
use ctlkit::report::{AuditReport, PastedAuditReport};
use ctlkit::{CiscoFile, Input, Kind, SignedFile, TrustList};

use super::args::{AuditArgs, TableFormat};
use super::exit::{Failure, NEGATIVE};
use super::load::{kind_of, one_output, parse_any, pasted_outputs, read, tvs_trusts};
use super::output::{emit, progress_bar};

/// Exit 0 when every phone is in sync, 1 otherwise.
pub fn run(arguments: &AuditArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let servers = server_inputs(&arguments.against, max_size)?;
    if let [only] = servers.as_slice()
        && let Some(outputs) = pasted_outputs(&only.input)?
    {
        return run_against_pasted(arguments, &only.input, &outputs, max_size);
    }
    let parsed: Vec<(&ServerInput, CiscoFile<'_>)> = servers
        .iter()
        .filter(|server| !server.ctl_absent)
        .map(|server| Ok((server, parse_any(&server.input)?)))
        .collect::<Result<_, Failure>>()?;
    let mut ctl = if servers.iter().any(|server| server.ctl_absent) {
        ServerCtl::NonSecure
    } else {
        ServerCtl::NotGiven
    };
    let mut ctl_name = None;
    let mut itl: Option<&TrustList<'_>> = None;
    let mut itl_name = None;
    let mut configs: Vec<(String, &SignedFile<'_>)> = Vec::new();
    for (server, file) in &parsed {
        match file {
            CiscoFile::TrustList(list) => {
                let (slot_name, is_ctl) = match kind_of(list, &server.input.name, None) {
                    Kind::Ctl => (&mut ctl_name, true),
                    Kind::Itl => (&mut itl_name, false),
                };
                if slot_name.is_some() {
                    return Err(Failure::Unusable(format!(
                        "{}: a second server {}; give one CTL and one ITL",
                        server.input.name,
                        if is_ctl { "CTL" } else { "ITL" }
                    )));
                }
                *slot_name = Some(server.input.name.as_str());
                if is_ctl {
                    ctl = ServerCtl::Given(list);
                } else {
                    itl = Some(list);
                }
            }
            CiscoFile::Signed(signed) => {
                let saved_as = Path::new(&server.input.name)
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_default();
                configs.push((config_name(signed, &saved_as), signed));
            }
        }
    }
    let copies = phone_copies(&arguments.paths, max_size, &|content| {
        matches!(content, Content::TrustList(_) | Content::Signed(_))
    })?;
    let bar = progress_bar(copies.len(), arguments.format == TableFormat::Text);
    let tvs_trusted = tvs_trusts(&arguments.tvs.tvs_trusts)?;
    let server = AuditServer {
        ctl,
        itl,
        configs,
        has_tvs: !arguments.tvs.no_tvs,
        tvs_trusts: tvs_trusted.as_deref(),
        max_size,
    };
    let result = audit(&copies, &server, &|| bar.inc(1));
    bar.finish_and_clear();
    if result.phones == 0 {
        return Err(Failure::Unusable(
            "no phone files (trust lists or signed configs) found under the paths given".to_owned(),
        ));
    }
    emit(
        &AuditReport {
            audit: &result,
            ctl: ctl_name,
            itl: itl_name,
            configs: server.configs.len(),
        },
        arguments.format,
    )?;
    Ok(if result.count(PhoneStanding::InSync) == result.phones {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(NEGATIVE)
    })
}

/// One server file read.
struct ServerInput {
    input: Input,
    /// A tftp://HOST/ fetch found no CTLFile.tlv: not in mixed mode.
    ctl_absent: bool,
}

/// Every --against: files, folder copies of the TFTP server, tftp://HOST/NAME, or
/// tftp://HOST[:PORT]/ for its CTLFile.tlv and ITLFile.tlv.
fn server_inputs(
    arguments: &[std::ffi::OsString],
    max_size: u64,
) -> Result<Vec<ServerInput>, Failure> {
    let mut inputs = Vec::new();
    for argument in arguments {
        if let Some(base) = argument
            .to_str()
            .filter(|text| text.starts_with("tftp://") && text.ends_with('/'))
        {
            let options = FetchOptions {
                max_size,
                ..FetchOptions::default()
            };
            for name in ["CTLFile.tlv", "ITLFile.tlv"] {
                let url = TftpUrl::parse(&format!("{base}{name}"))?;
                match fetch(&url, &options) {
                    Ok(bytes) => inputs.push(ServerInput {
                        input: Input {
                            name: url.to_string(),
                            bytes,
                            modified: None,
                        },
                        ctl_absent: false,
                    }),
                    // No CTL: the cluster is not in mixed mode, which is fine.
                    Err(TftpError::Server { code: 1, .. }) if name == "CTLFile.tlv" => {
                        inputs.push(ServerInput {
                            input: Input {
                                name: url.to_string(),
                                bytes: Vec::new(),
                                modified: None,
                            },
                            ctl_absent: true,
                        });
                    }
                    Err(error) => return Err(error.into()),
                }
            }
            continue;
        }
        let path = Path::new(argument);
        if path.is_dir() {
            let files = collect_files(&[path.to_path_buf()])
                .map_err(|error| Failure::Unusable(error.to_string()))?;
            for file in files {
                let input = read(file.as_os_str(), max_size)?;
                // A TFTP folder holds much besides: only trust lists and signed configs count.
                if matches!(
                    Content::of(&input.bytes),
                    Content::TrustList(_) | Content::Signed(_)
                ) {
                    inputs.push(ServerInput {
                        input,
                        ctl_absent: false,
                    });
                }
            }
            continue;
        }
        inputs.push(ServerInput {
            input: read(argument, max_size)?,
            ctl_absent: false,
        });
    }
    Ok(inputs)
}

/// The phones' copies: files under the paths, and each complete transfer in a capture whose
/// content `wanted` accepts.
fn phone_copies(
    paths: &[PathBuf],
    max_size: u64,
    wanted: &dyn Fn(&Content) -> bool,
) -> Result<Vec<PhoneCopy>, Failure> {
    let options = CaptureOptions {
        max_transfer: max_size,
        ..CaptureOptions::default()
    };
    let mut copies = Vec::new();
    let stdin = Path::new("-");
    if paths.iter().any(|path| path == stdin) {
        copies.extend(stdin_copies(max_size, &options, wanted)?);
    }
    let on_disk: Vec<PathBuf> = paths
        .iter()
        .filter(|path| *path != stdin)
        .cloned()
        .collect();
    let files = collect_files(&on_disk).map_err(|error| Failure::Unusable(error.to_string()))?;
    copies.reserve(files.len());
    for path in files {
        let named = on_disk.contains(&path);
        if !looks_like_capture(&path, named) {
            copies.push(PhoneCopy::from_file(path));
            continue;
        }
        let name = ctlkit::files::path_text(&path);
        let file = File::open(&path)
            .map_err(|source| Failure::Load(ctlkit::LoadError::Io { path, source }))?;
        let (captured, summary) = captured_copies(file, &name, &options, wanted)
            .map_err(|error| Failure::Unusable(format!("{name}: {error}")))?;
        if let Some(damage) = &summary.damage {
            eprintln!(
                "note: {name}: the capture stops making sense at byte {}: {}; what came before was read",
                damage.offset, damage.message
            );
        }
        copies.extend(captured);
    }
    Ok(copies)
}

/// `-`: one phone's copy on standard input, or a capture piped in (`tcpdump -w - …`).
fn stdin_copies(
    max_size: u64,
    options: &CaptureOptions,
    wanted: &dyn Fn(&Content) -> bool,
) -> Result<Vec<PhoneCopy>, Failure> {
    let input = read(std::ffi::OsStr::new("-"), max_size)?;
    if is_capture(&input.bytes) {
        let (captured, _) = captured_copies(input.bytes.as_slice(), "-", options, wanted)
            .map_err(|error| Failure::Unusable(format!("-: {error}")))?;
        return Ok(captured);
    }
    Ok(vec![PhoneCopy {
        phone: "-".to_owned(),
        path: PathBuf::from("-"),
        bytes: Some(input.bytes.into()),
    }])
}

/// The old comparison, for a server known only from pasted text: copies grouped by content
/// and matched by its printed checksums.
fn run_against_pasted(
    arguments: &AuditArgs,
    server_input: &Input,
    outputs: &[ctlkit::pasted::PastedList],
    max_size: u64,
) -> Result<ExitCode, Failure> {
    let text = one_output(&server_input.name, outputs, None)?;
    eprintln!(
        "note: {} is pasted show output: copies are compared by its checksums only (it holds no certificates to judge them with)",
        server_input.name
    );
    let copies = phone_copies(&arguments.paths, max_size, &|content| match content {
        Content::TrustList(kind) => kind.is_none_or(|kind| kind == text.kind),
        _ => false,
    })?;
    if copies.is_empty() {
        return Err(Failure::Unusable(
            "no phone files found under the paths given".to_owned(),
        ));
    }
    let bar = progress_bar(copies.len(), arguments.format == TableFormat::Text);
    let result = audit_against_pasted(&copies, text, max_size, &|| bar.inc(1));
    bar.finish_and_clear();
    emit(
        &PastedAuditReport {
            audit: &result,
            server: &server_input.name,
        },
        arguments.format,
    )?;
    Ok(if result.matching == result.phones {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(NEGATIVE)
    })
}

/// A capture: a file named on the command line whose first bytes say so, or one found in a
/// folder with a capture's extension (so a fleet's thousands of files are not opened twice).
fn looks_like_capture(path: &Path, named: bool) -> bool {
    let by_extension = path.extension().is_some_and(|extension| {
        ["pcap", "pcapng", "cap"]
            .iter()
            .any(|known| extension.eq_ignore_ascii_case(known))
    });
    if !named && !by_extension {
        return false;
    }
    let mut magic = [0u8; 4];
    File::open(path)
        .and_then(|mut file| file.read_exact(&mut magic))
        .is_ok_and(|()| is_capture(&magic))
}
