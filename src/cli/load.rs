//! Reading and parsing trust-list arguments the same way in every command: a path, `-` for
//! standard input, or `tftp://HOST[:PORT]/NAME`.

use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};

use ctlkit::acceptance::TvsTrusted;
use ctlkit::check::{Role, ServerCertificate};
use ctlkit::evidence::tftp::{FetchOptions, TftpUrl, fetch};
use ctlkit::files::read_stream;
use ctlkit::format::Salvaged;
use ctlkit::keys::{PemBundle, read_pem_bundle};
use ctlkit::pasted::{PastedList, is_pasted_show, parse_pasted};
use ctlkit::{CiscoFile, Input, Kind, TrustList, read_file};

use super::args::ClusterArgs;
use super::exit::{Failure, PASSPHRASE_VARIABLE};

/// Reads `argument` under the size limit: `-` is standard input, `tftp://` a TFTP server,
/// anything else a path (any bytes, UTF-8 or not).
pub fn read(argument: &OsStr, max_size: u64) -> Result<Input, Failure> {
    if argument == "-" {
        return Ok(read_stream(
            io::stdin().lock(),
            PathBuf::from("-"),
            max_size,
        )?);
    }
    if let Some(url) = argument.to_str().filter(|text| text.starts_with("tftp://")) {
        let url = TftpUrl::parse(url)?;
        let options = FetchOptions {
            max_size,
            ..FetchOptions::default()
        };
        return Ok(Input {
            name: url.to_string(),
            bytes: fetch(&url, &options)?,
            modified: None,
        });
    }
    Ok(read_file(Path::new(argument), max_size)?)
}

/// A file as far as it could be read.
pub enum Parsed<'a> {
    /// Whole: a trust list or another signed file.
    Whole(CiscoFile<'a>),
    /// A trust list damaged after an intact header: what came before the damage.
    Damaged(Salvaged<'a>),
}

/// Parses an input by its content; a trust list damaged after its header is salvaged instead
/// of refused (its signature can still be checked, its first records still shown).
pub fn parse_or_salvage(input: &Input) -> Result<Parsed<'_>, Failure> {
    match CiscoFile::parse(&input.bytes) {
        Ok(file) => Ok(Parsed::Whole(file)),
        Err(error) => match TrustList::parse_salvaged(&input.bytes) {
            Ok(salvaged) if salvaged.damage.is_some() => Ok(Parsed::Damaged(salvaged)),
            _ => Err(parse_failure(input, error)),
        },
    }
}

/// Parses an input as a trust list or another signed file, by its content.
pub fn parse_any(input: &Input) -> Result<CiscoFile<'_>, Failure> {
    CiscoFile::parse(&input.bytes).map_err(|error| parse_failure(input, error))
}

/// Parses an input that must be a trust list, naming it in the error.
pub fn parse(input: &Input) -> Result<TrustList<'_>, Failure> {
    TrustList::parse(&input.bytes).map_err(|error| parse_failure(input, error))
}

/// The error for an input that does not parse, naming what it is when ctlkit can tell.
pub fn parse_failure(input: &Input, error: ctlkit::ParseError) -> Failure {
    Failure::Parse {
        path: input.name.clone(),
        error,
        recognised: ctlkit::evidence::recognise(&input.bytes),
    }
}

/// What the cluster's TVS trusts, from `--tvs-trusts`: every certificate in each file, and in
/// each file under each folder (files without one, such as keys, are skipped in folders and
/// refused when named).
///
/// `None` without `--tvs-trusts`: what TVS would answer stays open. A store is never empty
/// when given, so an empty folder cannot turn every "only if TVS vouches" into a rejection.
pub fn tvs_trusts(paths: &[PathBuf]) -> Result<Option<Vec<TvsTrusted>>, Failure> {
    if paths.is_empty() {
        return Ok(None);
    }
    let mut trusted = Vec::new();
    for path in paths {
        let named = !path.is_dir();
        let files = ctlkit::files::collect_files(std::slice::from_ref(path))
            .map_err(|error| Failure::Unusable(format!("--tvs-trusts: {error}")))?;
        for file in files {
            let certificates = match read_certificates(&file) {
                Ok(certificates) => certificates,
                Err(failure) if named => return Err(failure),
                Err(_) => Vec::new(),
            };
            if named && certificates.is_empty() {
                return Err(Failure::Unusable(format!(
                    "--tvs-trusts {}: no certificate in it",
                    ctlkit::files::path_text(&file)
                )));
            }
            for der in certificates {
                trusted.push(TvsTrusted {
                    path: ctlkit::files::path_text(&file),
                    store: store_of(&file),
                    der,
                });
            }
        }
    }
    if trusted.is_empty() {
        return Err(Failure::Unusable(
            "--tvs-trusts: no certificate found in what was given".to_owned(),
        ));
    }
    Ok(Some(trusted))
}

/// The store a certificate file belongs to, by the names CUCM's exports carry: a folder or
/// file named `…-trust` (`CallManager-trust`, `Phone-SAST-trust`), else a certificate's own
/// name (`CallManager`, `ITLRecovery`, `TVS`, `CAPF`).
fn store_of(path: &Path) -> String {
    let parts: Vec<String> = path
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    if let Some(store) = parts.iter().rev().find_map(|part| {
        let lower = part.to_ascii_lowercase();
        lower
            .find("-trust")
            .and_then(|end| part.get(..end.saturating_add(6)))
    }) {
        return store.to_owned();
    }
    let stem = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    ["CallManager", "ITLRecovery", "TVS", "CAPF"]
        .into_iter()
        .find(|name| {
            stem.to_ascii_lowercase()
                .starts_with(&name.to_ascii_lowercase())
        })
        .map_or_else(|| "given".to_owned(), str::to_owned)
}

/// CTL or ITL: the user's `--kind`, else the header's FILENAME, else the file's own name,
/// else CTL.
pub fn kind_of(list: &TrustList<'_>, name: &str, chosen: Option<Kind>) -> Kind {
    chosen
        .or_else(|| list.kind())
        .or_else(|| {
            let name = Path::new(name).file_name()?.to_str()?;
            Kind::from_file_name(name.as_bytes())
        })
        .unwrap_or(Kind::Ctl)
}

/// A PEM (or DER) file's certificates and key; an encrypted key takes its passphrase from
/// CTLKIT_KEY_PASSPHRASE when `with_passphrase`.
pub fn read_bundle(path: &Path, with_passphrase: bool) -> Result<PemBundle, Failure> {
    let bytes = read_key_file(path)?;
    let passphrase = with_passphrase
        .then(|| std::env::var(PASSPHRASE_VARIABLE).ok())
        .flatten();
    read_pem_bundle(&bytes, passphrase.as_deref()).map_err(|error| Failure::Key {
        path: ctlkit::files::path_text(path),
        error,
    })
}

/// The certificates (DER) in a PEM or DER file, any key beside them left unread.
pub fn read_certificates(path: &Path) -> Result<Vec<Vec<u8>>, Failure> {
    let bytes = read_key_file(path)?;
    ctlkit::keys::read_pem_certificates(&bytes).map_err(|error| Failure::Key {
        path: ctlkit::files::path_text(path),
        error,
    })
}

/// The first certificate in a PEM or DER file; `what` names it in the error.
pub fn first_certificate(path: &Path, what: &str) -> Result<Vec<u8>, Failure> {
    read_certificates(path)?.into_iter().next().ok_or_else(|| {
        Failure::Unusable(format!(
            "{}: no CERTIFICATE block for {what}",
            ctlkit::files::path_text(path)
        ))
    })
}

fn read_key_file(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|source| {
        Failure::Load(ctlkit::LoadError::Io {
            path: path.to_path_buf(),
            source,
        })
    })
}

/// The cluster certificates given with --callmanager, --capf, --tvs, --itlrecovery.
pub fn server_certificates(cluster: &ClusterArgs) -> Result<Vec<ServerCertificate>, Failure> {
    let mut certificates = Vec::new();
    for (role, paths) in [
        (Role::CallManager, &cluster.callmanager),
        (Role::Capf, &cluster.capf),
        (Role::Tvs, &cluster.tvs),
        (Role::ItlRecovery, &cluster.itlrecovery),
    ] {
        for path in paths {
            let der = first_certificate(path, "the cluster")?;
            certificates.push(ServerCertificate {
                path: ctlkit::files::path_text(path),
                role,
                der,
            });
        }
    }
    Ok(certificates)
}

/// The `show ctl` / `show itl` outputs in an input that is pasted text; `None` for anything
/// else. Text that looks pasted but holds no output is an error.
pub fn pasted_outputs(input: &Input) -> Result<Option<Vec<PastedList>>, Failure> {
    if !is_pasted_show(&input.bytes) {
        return Ok(None);
    }
    let outputs = parse_pasted(&String::from_utf8_lossy(&input.bytes));
    if outputs.is_empty() {
        return Err(Failure::Unusable(format!(
            "{}: looks like pasted show ctl / show itl text, but no output could be read from it",
            input.name
        )));
    }
    Ok(Some(outputs))
}

/// The one output of pasted text to compare: the one of `kind` when given and several are
/// there, else the only one.
pub fn one_output<'o>(
    name: &str,
    outputs: &'o [PastedList],
    kind: Option<Kind>,
) -> Result<&'o PastedList, Failure> {
    let matching: Vec<&PastedList> = outputs
        .iter()
        .filter(|output| kind.is_none_or(|kind| output.kind == kind))
        .collect();
    match matching.as_slice() {
        [one] => Ok(one),
        [] => Err(Failure::Unusable(format!(
            "{name}: no `show {}` output in it",
            kind.map_or_else(
                || "ctl".to_owned(),
                |kind| kind.to_string().to_ascii_lowercase()
            )
        ))),
        several => Err(Failure::Unusable(format!(
            "{name}: {} outputs{} in it (from lines {}); save the one to compare on its own",
            several.len(),
            kind.map(|kind| format!(" of `show {}`", kind.to_string().to_ascii_lowercase()))
                .unwrap_or_default(),
            several
                .iter()
                .map(|output| output.first_line.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}
