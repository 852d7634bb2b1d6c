//! What a page says it was made from: the command line (secrets taken out), ctlkit's version,
//! when, and each input named on the command line with its size and checksums.

use std::ffi::OsString;
use std::path::Path;

use ctlkit::files::{fingerprint, path_text};
use ctlkit::report::html::{InputFacts, InputKind, PageFacts};

/// The facts of this run.
pub fn page_facts() -> PageFacts {
    let arguments: Vec<OsString> = std::env::args_os().skip(1).collect();
    let command_name = arguments
        .iter()
        .map(|argument| path_text(Path::new(argument)))
        .find(|argument| !argument.starts_with('-'))
        .unwrap_or_default();
    let words: Vec<String> = std::iter::once("ctlkit".to_owned())
        .chain(
            arguments
                .iter()
                .map(|argument| without_secrets(&path_text(Path::new(argument)))),
        )
        .collect();
    PageFacts {
        command: words.join(" "),
        command_name,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        generated: {
            let now = time::OffsetDateTime::now_utc();
            now.replace_nanosecond(0).unwrap_or(now)
        },
        inputs: read_arguments(arguments.get(1..).unwrap_or_default())
            .filter_map(input)
            .collect(),
    }
}

/// The options whose value names what the command writes, not what it read: an existing output
/// overwritten with --force is not an input of the page.
const OUTPUT_OPTIONS: [&str; 4] = ["-o", "--output", "--companion", "--dir"];

/// The arguments that may name what the command read: all but the outputs' values.
fn read_arguments(arguments: &[OsString]) -> impl Iterator<Item = &OsString> {
    let mut value_is_output = false;
    arguments.iter().filter(move |argument| {
        let text = argument.to_string_lossy();
        let is_output_value = std::mem::take(&mut value_is_output);
        if OUTPUT_OPTIONS.contains(&text.as_ref()) {
            value_is_output = true;
            return false;
        }
        let joined = OUTPUT_OPTIONS.iter().any(|option| {
            text.strip_prefix(option).is_some_and(|rest| {
                // `--output=X`, `--dir=X`; `-oX` (a short option's value may follow at once).
                rest.starts_with('=') || (*option == "-o" && !rest.is_empty())
            })
        });
        !is_output_value && !joined
    })
}

/// An argument that names a file or folder (`--opt=PATH` too), or standard input.
fn input(argument: &OsString) -> Option<InputFacts> {
    let text = path_text(Path::new(argument));
    if text == "-" {
        return Some(InputFacts {
            path: text,
            what: InputKind::Stdin,
        });
    }
    let path = match text.split_once('=') {
        Some((option, value)) if option.starts_with("--") => Path::new(value).to_path_buf(),
        _ => Path::new(argument).to_path_buf(),
    };
    let metadata = std::fs::metadata(&path).ok()?;
    // A pipe or a device was read by the command already; opening it again could block.
    if !metadata.is_dir() && !metadata.is_file() {
        return None;
    }
    let what = if metadata.is_dir() {
        InputKind::Folder {
            files: walkdir::WalkDir::new(&path)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|entry| entry.file_type().is_file())
                .count(),
        }
    } else {
        let print = fingerprint(&path).ok()?;
        if print.private_key {
            InputKind::PrivateKey
        } else {
            InputKind::File {
                length: print.length,
                md5: print.checksums.md5_hex(),
                sha1: print.checksums.sha1_hex(),
                sha256: print.checksums.sha256_hex(),
            }
        }
    };
    Some(InputFacts {
        path: path_text(&path),
        what,
    })
}

/// A PKCS #11 URI's `pin-value` (RFC 7512) hidden: the command line is shown on the page.
fn without_secrets(argument: &str) -> String {
    let Some(start) = argument.find("pin-value=") else {
        return argument.to_owned();
    };
    let value_start = start.saturating_add("pin-value=".len());
    let rest = argument.get(value_start..).unwrap_or_default();
    let value_end = rest.find([';', '&', '?']).unwrap_or(rest.len());
    format!(
        "{}***{}",
        argument.get(..value_start).unwrap_or_default(),
        without_secrets(rest.get(value_end..).unwrap_or_default())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_command_writes_is_not_an_input() {
        let arguments: Vec<OsString> = [
            "ITLFile.tlv",
            "-o",
            "out.tlv",
            "--output=b",
            "-oc",
            "--companion",
            "SEP.cnf.xml.sgn",
            "--dir=pages",
            "--state",
            "flash",
            "--digest",
            "sha1",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        let read: Vec<&OsString> = read_arguments(&arguments).collect();
        assert_eq!(
            read,
            ["ITLFile.tlv", "--state", "flash", "--digest", "sha1"]
        );
    }

    #[test]
    fn pins_in_token_uris_are_hidden() {
        assert_eq!(
            without_secrets("pkcs11:token=SAST;object=a?pin-value=1234&module-path=/x.so"),
            "pkcs11:token=SAST;object=a?pin-value=***&module-path=/x.so"
        );
        assert_eq!(
            without_secrets("a;pin-value=1;pin-value=2"),
            "a;pin-value=***;pin-value=***"
        );
        assert_eq!(without_secrets("ITLFile.tlv"), "ITLFile.tlv");
    }
}
