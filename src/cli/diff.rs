//! `ctlkit diff`.

use std::ffi::OsStr;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use ctlkit::acceptance::Phone;
use ctlkit::diff::{ByteComparison, PhoneChecksum, diff_signed};
use ctlkit::evidence::Content;
use ctlkit::evidence::capture::{CaptureOptions, Transfer, extract_transfers, is_capture};
use ctlkit::pasted::diff_pasted;
use ctlkit::report::{
    ChecksumReport, DamagedDiffReport, DiffReport, DiffSides, PastedDiffReport, SignedDiffReport,
};
use ctlkit::{Checksums, CiscoFile, HeldList, Input, diff, verify};

use super::args::DiffArgs;
use super::exit::{Failure, NEGATIVE, damage_line};
use super::load::{
    Parsed, kind_of, one_output, parse_any, parse_or_salvage, pasted_outputs, read, tvs_trusts,
};
use super::output::emit;

/// Exit 0 when identical, 1 when different.
pub fn run(arguments: &DiffArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let verdict_code = |identical: bool| {
        if identical {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(NEGATIVE)
        }
    };
    if let Some(typed) = &arguments.phone_checksum {
        let [server_path] = arguments.files.as_slice() else {
            return Err(Failure::Unusable(
                "with --phone-checksum give only the server's file: ctlkit diff --phone-checksum HEX SERVER".to_owned(),
            ));
        };
        let checksum =
            PhoneChecksum::parse(typed).map_err(|error| Failure::Unusable(error.to_string()))?;
        let server = read(server_path, max_size)?;
        let checksums = Checksums::of(&server.bytes);
        let report = ChecksumReport {
            checksum: &checksum,
            server: &server.name,
            checksums: &checksums,
        };
        emit(&report, arguments.format)?;
        return Ok(verdict_code(checksum.matches(&checksums)));
    }
    let [phone_path, server_path] = arguments.files.as_slice() else {
        return Err(Failure::Unusable(
            "give the phone's file and the server's: ctlkit diff PHONE SERVER".to_owned(),
        ));
    };
    if phone_path == "-" && server_path == "-" {
        return Err(Failure::Unusable(
            "only one of PHONE and SERVER can be - (standard input)".to_owned(),
        ));
    }
    let server_input = read(server_path, max_size)?;
    let phone_input = match captured_phone_copy(
        phone_path,
        arguments.client.as_deref(),
        &server_input,
        max_size,
    )? {
        Some(input) => input,
        None => read(phone_path, max_size)?,
    };
    if let Some(code) = diff_with_pasted(&phone_input, &server_input, arguments)? {
        return Ok(code);
    }
    let server_file = parse_any(&server_input)?;
    let phone_file = match parse_or_salvage(&phone_input)? {
        Parsed::Whole(file) => file,
        Parsed::Damaged(salvaged) => {
            let damage = salvaged
                .damage
                .as_ref()
                .ok_or_else(|| Failure::Unusable(format!("{}: damaged", phone_input.name)))?;
            damage_line(&phone_input.name, damage);
            let phone_sums = Checksums::of(&phone_input.bytes);
            let server_sums = Checksums::of(&server_input.bytes);
            let report = DamagedDiffReport {
                phone: (&phone_input.name, &phone_sums),
                server: (&server_input.name, &server_sums),
                damage,
                comparison: ByteComparison::of(&phone_input.bytes, &server_input.bytes),
            };
            emit(&report, arguments.format)?;
            return Ok(verdict_code(false));
        }
    };
    let (phone, server) = match (phone_file, server_file) {
        (CiscoFile::TrustList(phone), CiscoFile::TrustList(server)) => (phone, server),
        (CiscoFile::Signed(phone), CiscoFile::Signed(server)) => {
            let difference = diff_signed(&phone, &server);
            let report = SignedDiffReport {
                phone: (&phone_input.name, &phone),
                server: (&server_input.name, &server),
                diff: &difference,
            };
            emit(&report, arguments.format)?;
            return Ok(verdict_code(difference.identical));
        }
        _ => {
            return Err(Failure::Unusable(format!(
                "{} and {}: one is a trust list, the other a signed file; compare like with like",
                phone_input.name, server_input.name
            )));
        }
    };
    let difference = diff(&phone, &server);
    let held = [HeldList {
        name: &phone_input.name,
        kind: kind_of(&phone, &phone_input.name, None),
        list: &phone,
    }];
    let tvs_trusted = tvs_trusts(&arguments.tvs.tvs_trusts)?;
    let verdict = Phone::new(&held, !arguments.tvs.no_tvs)
        .map(|phone| match &tvs_trusted {
            Some(trusted) => phone.with_tvs_trusts(trusted),
            None => phone,
        })
        .and_then(|phone| {
            phone.judge(
                server.header(),
                kind_of(&server, &server_input.name, None).into(),
                Some(&verify(&server)),
            )
        });
    let phone_checksums = Checksums::of(&phone_input.bytes);
    let server_checksums = Checksums::of(&server_input.bytes);
    let report = DiffReport {
        sides: DiffSides {
            phone: &phone_input.name,
            phone_checksums: &phone_checksums,
            server: &server_input.name,
            server_checksums: &server_checksums,
        },
        diff: &difference,
        verdict: verdict.as_ref(),
    };
    emit(&report, arguments.format)?;
    Ok(verdict_code(difference.identical))
}

/// When PHONE is a packet capture: the one complete transfer in it of a file like SERVER (from
/// the client --client names, when given). `None` when PHONE is not a capture.
fn captured_phone_copy(
    argument: &OsStr,
    client: Option<&str>,
    server: &Input,
    max_size: u64,
) -> Result<Option<Input>, Failure> {
    let path = Path::new(argument);
    let mut magic = [0u8; 4];
    let is_a_capture = argument != "-"
        && File::open(path)
            .and_then(|mut file| file.read_exact(&mut magic))
            .is_ok_and(|()| is_capture(&magic));
    if !is_a_capture {
        return Ok(None);
    }
    let server_content = Content::of(&server.bytes);
    let name = ctlkit::files::path_text(path);
    let options = CaptureOptions {
        max_transfer: max_size,
        ..CaptureOptions::default()
    };
    let file = File::open(path).map_err(|source| {
        Failure::Load(ctlkit::LoadError::Io {
            path: path.to_path_buf(),
            source,
        })
    })?;
    let mut found: Vec<Transfer> = Vec::new();
    extract_transfers(file, &options, &mut |transfer| {
        let from_client = client.is_none_or(|wanted| {
            transfer.client.ip().to_string() == wanted || transfer.client.to_string() == wanted
        });
        let same_kind = Content::of(&transfer.bytes).code() == server_content.code();
        if transfer.is_complete() && from_client && same_kind {
            found.push(transfer);
        }
    })
    .map_err(|error| Failure::Unusable(format!("{name}: {error}")))?;
    found.sort_by_key(|transfer| transfer.first_packet);
    let like = format!(
        "of a file like {} ({}){}",
        server.name,
        server_content.code(),
        client
            .map(|client| format!(" to {client}"))
            .unwrap_or_default()
    );
    match found.as_slice() {
        [one] => Ok(Some(Input {
            name: format!("{name}#{}/{}", one.client.ip(), one.base_name()),
            bytes: one.bytes.clone(),
            modified: None,
        })),
        [] => Err(Failure::Unusable(format!(
            "{name}: no complete transfer {like}"
        ))),
        several => Err(Failure::Unusable(format!(
            "{name}: {} complete transfers {like}; pick one with --client ADDR ({})",
            several.len(),
            several
                .iter()
                .map(|transfer| transfer.client.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// When either side is pasted `show ctl` / `show itl` text: compares it with the other side's
/// file (checksums first, then records by serial and certificate SHA-1). `None` when neither is.
fn diff_with_pasted(
    phone: &Input,
    server: &Input,
    arguments: &DiffArgs,
) -> Result<Option<ExitCode>, Failure> {
    let (text, file) = match (pasted_outputs(phone)?, pasted_outputs(server)?) {
        (None, None) => return Ok(None),
        (Some(_), Some(_)) => {
            return Err(Failure::Unusable(
                "both sides are pasted text; compare pasted text with a file".to_owned(),
            ));
        }
        (Some(outputs), None) => ((phone, outputs), server),
        (None, Some(outputs)) => ((server, outputs), phone),
    };
    let CiscoFile::TrustList(list) = parse_any(file)? else {
        return Err(Failure::Unusable(format!(
            "{}: a signed file; pasted show ctl / show itl text describes a trust list",
            file.name
        )));
    };
    let (text_input, outputs) = text;
    let kind = kind_of(&list, &file.name, None);
    let output = one_output(&text_input.name, &outputs, Some(kind))?;
    let difference = diff_pasted(output, &list);
    emit(
        &PastedDiffReport {
            text: (&text_input.name, output),
            file: &file.name,
            diff: &difference,
        },
        arguments.format,
    )?;
    Ok(Some(if difference.identical() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(NEGATIVE)
    }))
}
