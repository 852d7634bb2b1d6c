//! `ctlkit boot`: a virtual phone against the live server.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use ctlkit::audit::PhoneStanding;
use ctlkit::boot::{Boot, Flash, FleetPace, FleetPhone, PhoneProfile, boot, boot_fleet};
use ctlkit::evidence::phone_server::PhoneServer;
use ctlkit::evidence::tftp::{FetchOptions, TftpUrl};
use ctlkit::files::write_atomically;
use ctlkit::phone_models::{known_model_names, model_fetch};
use ctlkit::report::{BootFleetReport, BootReport};
use ctlkit::{Kind, TrustList};

use super::args::BootArgs;
use super::exit::{Failure, NEGATIVE};
use super::load::{kind_of, parse, read, read_bundle, tvs_trusts};
use super::output::emit;

/// The names a phone's flash holds its lists under (`--state`).
const FLASH_CTL: &str = "CTLFile.tlv";
const FLASH_ITL: &str = "ITLFile.tlv";

/// Exit 0 when the phone ends in sync or updates by itself; 1 when it needs TVS, is stuck, or
/// misses a file it needs.
pub fn run(arguments: &BootArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let tftp = TftpUrl::parse(&format!("{}/x", arguments.server.trim_end_matches('/')))?;
    let (http, https) = services(arguments, &tftp)?;
    let timeout = Duration::try_from_secs_f64(arguments.timeout)
        .map_err(|_| Failure::Unusable("--timeout: not a number of seconds".to_owned()))?;
    let server = PhoneServer {
        tftp,
        http: http.clone(),
        https: https.clone(),
        options: FetchOptions {
            timeout,
            retries: arguments.retries,
            max_size,
            ..FetchOptions::default()
        },
        http_deadline: timeout.saturating_mul(10),
        deadline: Duration::try_from_secs_f64(arguments.deadline)
            .ok()
            .and_then(|deadline| Instant::now().checked_add(deadline))
            .ok_or_else(|| Failure::Unusable("--deadline: not a number of seconds".to_owned()))?,
    };
    let trusted = tvs_trusts(&arguments.tvs.tvs_trusts)?;
    let phone_key = arguments
        .phone_key
        .as_deref()
        .map(|path| {
            read_bundle(path, true)?.private_key.ok_or_else(|| {
                Failure::Unusable(format!(
                    "--phone-key {}: no private key in it",
                    ctlkit::files::path_text(path)
                ))
            })
        })
        .transpose()?;
    let profile = PhoneProfile {
        mac: "",
        has_tvs: !arguments.tvs.no_tvs,
        tvs_trusts: trusted.as_deref(),
        phone_key: phone_key.as_ref(),
    };
    if let Some(list) = &arguments.macs {
        return run_fleet(arguments, &server, &profile, list);
    }
    let mac = mac_of(arguments.phone.as_deref().unwrap_or_default())?;
    let flash = match &arguments.state {
        Some(folder) => read_flash(folder)?,
        None => holding(&arguments.holding, max_size)?,
    };
    let profile = PhoneProfile {
        mac: &mac,
        ..profile
    };
    let result = boot(&server, &profile, flash.clone());
    if let Some(folder) = &arguments.state {
        write_back(folder, &flash, &result.flash)?;
    }
    let phone = format!("SEP{mac}");
    emit(
        &BootReport {
            phone: &phone,
            server: &arguments.server,
            http: http.as_deref(),
            https: https.as_deref(),
            boot: &result,
        },
        arguments.format,
    )?;
    Ok(exit_code([&result]))
}

/// `--macs`: every phone of the list, with its own flash folder.
fn run_fleet(
    arguments: &BootArgs,
    server: &PhoneServer,
    profile: &PhoneProfile<'_>,
    list: &Path,
) -> Result<ExitCode, Failure> {
    if !(arguments.rate.is_finite() && arguments.rate > 0.0) {
        return Err(Failure::Unusable(
            "--rate: a number of phones per second above 0".to_owned(),
        ));
    }
    let phones = fleet(list)?;
    let fleet: Vec<FleetPhone> = phones
        .iter()
        .map(|(mac, state)| {
            Ok(FleetPhone {
                mac: mac.clone(),
                flash: state
                    .as_deref()
                    .map(read_flash)
                    .transpose()?
                    .unwrap_or_default(),
            })
        })
        .collect::<Result<_, Failure>>()?;
    let pace = FleetPace {
        jobs: arguments.jobs,
        rate: arguments.rate,
    };
    let boots = boot_fleet(server, profile, &fleet, pace);
    for ((_, state), (phone, result)) in phones.iter().zip(fleet.iter().zip(&boots)) {
        if let Some(folder) = state {
            write_back(folder, &phone.flash, &result.flash)?;
        }
    }
    let named: Vec<(String, Boot)> = fleet
        .iter()
        .map(|phone| format!("SEP{}", phone.mac))
        .zip(boots)
        .collect();
    emit(
        &BootFleetReport {
            server: &arguments.server,
            http: server.http.as_deref(),
            https: server.https.as_deref(),
            boots: &named,
        },
        arguments.format,
    )?;
    Ok(exit_code(named.iter().map(|(_, boot)| boot)))
}

/// `HOST:PORT` of the HTTP and HTTPS services the phone asks: as given, else from a model
/// known to use HTTP (the TFTP host, ports 6970 and 6971); HTTPS follows HTTP's host.
fn services(
    arguments: &BootArgs,
    tftp: &TftpUrl,
) -> Result<(Option<String>, Option<String>), Failure> {
    let authority = |url: &str, scheme: &str| {
        url.trim_start_matches(scheme)
            .trim_end_matches('/')
            .to_owned()
    };
    let model_http = match arguments.model.as_deref() {
        None => false,
        Some(model) => match model_fetch(model) {
            Some(known) => known.http_first,
            None => {
                return Err(Failure::Unusable(format!(
                    "--model {model}: no published source says whether its firmware tries HTTP \
                     first (sources cover {}); say --http http://HOST:6970/ if it does, or leave \
                     --model out for TFTP only",
                    known_model_names().join(", ")
                )));
            }
        },
    };
    let host = if tftp.host.contains(':') {
        format!("[{}]", tftp.host)
    } else {
        tftp.host.clone()
    };
    let http = match &arguments.http {
        Some(url) => Some(authority(url, "http://")),
        None => model_http.then(|| format!("{host}:6970")),
    };
    let https = match (&arguments.https, &http) {
        (Some(url), _) => Some(authority(url, "https://")),
        (None, Some(http)) => {
            let http_host = http
                .rsplit_once(':')
                .map_or(http.as_str(), |(host, _)| host);
            Some(format!("{http_host}:6971"))
        }
        (None, None) => None,
    };
    Ok((http, https))
}

/// 0 when every phone ends in sync or updates by itself, else 1.
fn exit_code<'b>(boots: impl IntoIterator<Item = &'b Boot>) -> ExitCode {
    let done = boots.into_iter().all(|boot| {
        matches!(
            boot.standing,
            PhoneStanding::InSync | PhoneStanding::WillUpdate
        )
    });
    if done {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(NEGATIVE)
    }
}

/// Writes what the phone installed back into its flash folder, atomically.
fn write_back(folder: &Path, before: &Flash, after: &Flash) -> Result<(), Failure> {
    for (name, before, after) in [
        (FLASH_CTL, &before.ctl, &after.ctl),
        (FLASH_ITL, &before.itl, &after.itl),
    ] {
        if let Some(bytes) = after.as_deref().filter(|_| before != after) {
            write_atomically(&folder.join(name), bytes, true)?;
        }
    }
    Ok(())
}

/// The fleet list: `NAME_OR_MAC [STATE_DIR]` per line.
fn fleet(list: &Path) -> Result<Vec<(String, Option<PathBuf>)>, Failure> {
    let input = read(list.as_os_str(), ctlkit::files::DEFAULT_MAX_SIZE)?;
    let text = String::from_utf8(input.bytes)
        .map_err(|_| Failure::Unusable(format!("--macs {}: not text", input.name)))?;
    let mut phones = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or_default().trim();
        let mut words = line.split_whitespace();
        let Some(phone) = words.next() else {
            continue;
        };
        let mac = mac_of(phone).map_err(|failure| {
            Failure::Unusable(format!(
                "--macs {} line {}: {failure}",
                input.name,
                number.saturating_add(1)
            ))
        })?;
        phones.push((mac, words.next().map(PathBuf::from)));
    }
    if phones.is_empty() {
        return Err(Failure::Unusable(format!(
            "--macs {}: no phone in it",
            input.name
        )));
    }
    Ok(phones)
}

/// `SEP001122334455`, `00:11:22:33:44:55`, `0011.2233.4455` → `001122334455`.
fn mac_of(phone: &str) -> Result<String, Failure> {
    let upper = phone.to_ascii_uppercase();
    let digits: String = upper
        .strip_prefix("SEP")
        .unwrap_or(&upper)
        .chars()
        .filter(|character| !matches!(character, ':' | '-' | '.'))
        .collect();
    if digits.len() == 12 && digits.chars().all(|digit| digit.is_ascii_hexdigit()) {
        Ok(digits)
    } else {
        Err(Failure::Unusable(format!(
            "{phone}: not a phone name or MAC (SEP001122334455 or 00:11:22:33:44:55)"
        )))
    }
}

/// The lists in the phone's flash folder (a missing one is not held).
fn read_flash(folder: &Path) -> Result<Flash, Failure> {
    if !folder.is_dir() {
        return Err(Failure::Unusable(format!(
            "--state {}: no such folder (create it empty for a phone that holds nothing)",
            ctlkit::files::path_text(folder)
        )));
    }
    let read_list = |name: &str| -> Result<Option<Vec<u8>>, Failure> {
        let path = folder.join(name);
        if !path.exists() {
            return Ok(None);
        }
        let input = read(path.as_os_str(), ctlkit::files::DEFAULT_MAX_SIZE)?;
        parse(&input)?;
        Ok(Some(input.bytes))
    };
    Ok(Flash {
        ctl: read_list(FLASH_CTL)?,
        itl: read_list(FLASH_ITL)?,
    })
}

/// The lists given with --holding, by kind; two of one kind is a usage error.
fn holding(paths: &[std::ffi::OsString], max_size: u64) -> Result<Flash, Failure> {
    let mut flash = Flash::default();
    for path in paths {
        let input = read(path, max_size)?;
        let list: TrustList<'_> = parse(&input)?;
        let slot = match kind_of(&list, &input.name, None) {
            Kind::Ctl => &mut flash.ctl,
            Kind::Itl => &mut flash.itl,
        };
        if slot.is_some() {
            return Err(Failure::Unusable(format!(
                "--holding {}: a phone holds one CTL and one ITL at most",
                input.name
            )));
        }
        *slot = Some(input.bytes.clone());
    }
    Ok(flash)
}
