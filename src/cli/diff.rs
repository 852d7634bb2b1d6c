//! `ctlkit diff`.

use std::process::ExitCode;

use ctlkit::report::{ChecksumReport, DiffReport, DiffSides, SignedDiffReport};
use ctlkit::{
    Checksums, CiscoFile, HeldList, PhoneChecksum, diff, diff_signed, verify, would_accept,
};

use super::args::DiffArgs;
use super::exit::{Failure, NEGATIVE};
use super::load::{kind_of, parse_any, read};
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
    let phone_input = read(phone_path, max_size)?;
    let server_input = read(server_path, max_size)?;
    let (phone, server) = match (parse_any(&phone_input)?, parse_any(&server_input)?) {
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
    let verdict = would_accept(
        &server,
        kind_of(&server, &server_input.name, None),
        &verify(&server),
        &held,
        !arguments.no_tvs,
    );
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
