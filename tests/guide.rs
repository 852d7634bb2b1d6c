//! docs/PBX.md, run as written: every command block of the guide in a fresh folder, as a user
//! pastes it into a shell, once for each way of step 3 (signed only, or encrypted with its
//! companion); step 5's virtual phone boots against tftpd-hpa and an HTTP service on loopback
//! serving the folder the guide made. A guide whose commands fail on a fresh folder is a wrong
//! answer like any other.

use std::fs;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::process::Command;

use crate::support::capture::HttpServer;
use crate::support::fixture;
use crate::support::tftpd::Server;

/// The address the guide's examples use for the PBX (TEST-NET-1), replaced by loopback.
const EXAMPLE_HOST: &str = "192.0.2.10";

/// Which of two alternative blocks a walk takes (a block introduced by "Either" or by "or").
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Way {
    First,
    Second,
}

/// One ```sh block of the guide, and the alternative it is, if it is one.
struct Block {
    script: String,
    way: Option<Way>,
}

fn blocks() -> Vec<Block> {
    let guide = fs::read_to_string("docs/PBX.md").unwrap();
    let mut blocks = Vec::new();
    let mut paragraph_start: Option<&str> = None;
    let mut previous_blank = true;
    let mut script: Option<String> = None;
    for line in guide.lines() {
        if let Some(text) = script.as_mut() {
            if line.starts_with("```") {
                let way = match paragraph_start {
                    Some(start) if start.starts_with("Either") => Some(Way::First),
                    Some(start) if start.starts_with("or ") => Some(Way::Second),
                    _ => None,
                };
                blocks.push(Block {
                    script: script.take().unwrap_or_default(),
                    way,
                });
                paragraph_start = None;
            } else {
                text.push_str(line);
                text.push('\n');
            }
            continue;
        }
        if line.starts_with("```sh") {
            script = Some(String::new());
        } else if line.trim().is_empty() {
            previous_blank = true;
        } else {
            if previous_blank {
                paragraph_start = Some(line);
            }
            previous_blank = false;
        }
    }
    blocks
}

/// What the user has before starting: a config for the phone and the phone's certificate, and a
/// TFTP folder.
fn user_folder() -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    fs::create_dir(folder.path().join("tftpboot")).unwrap();
    fs::write(
        folder.path().join("SEP001122334455.cnf.xml"),
        "<device><fullConfig>true</fullConfig><loadInformation>sip88xx.14-2-1-0101-20</loadInformation></device>\n",
    )
    .unwrap();
    fs::copy(
        "fixtures/cluster/Phone-SEP001122334455.pem",
        folder.path().join("SEP001122334455-lsc.pem"),
    )
    .unwrap();
    folder
}

/// Runs one block in `folder` with `sh -e`, `ctlkit` first on PATH; its exit code and output.
fn run(folder: &Path, script: &str) -> (i32, String) {
    let binary = Path::new(env!("CARGO_BIN_EXE_ctlkit"));
    let path = std::env::join_paths(
        std::iter::once(binary.parent().unwrap().to_path_buf()).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .unwrap();
    let output = Command::new("sh")
        .args(["-e", "-c", script])
        .current_dir(folder)
        .env("PATH", path)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

/// The servers of step 5, serving what the guide put in tftpboot/ and the firmware a PBX serves
/// beside it (the load its config names and the load's files).
fn serve(folder: &Path) -> Option<(Server, HttpServer)> {
    let tftp = Server::start()?;
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(folder.join("tftpboot"))
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().to_string_lossy().into_owned(),
                fs::read(entry.path()).unwrap(),
            )
        })
        .collect();
    files.push((
        "sip88xx.14-2-1-0101-20.loads".to_owned(),
        fixture("signed/SIP88xx.14-2-1-0101-20.loads"),
    ));
    for image in [
        "sip88xx.14-2-1-0101-20",
        "kern88xx.14-2-1-0101-20.sebn",
        "rootfs88xx.14-2-1-0101-20.sebn",
    ] {
        files.push((image.to_owned(), b"image bytes".to_vec()));
    }
    for (name, bytes) in &files {
        tftp.put(name, bytes);
    }
    let http = HttpServer::start(IpAddr::V4(Ipv4Addr::LOCALHOST), 0, files);
    Some((tftp, http))
}

/// Walks the guide taking `way` at its choice; the output of each block, in order.
fn walk(way: Way) -> Option<Vec<String>> {
    let folder = user_folder();
    let mut outputs = Vec::new();
    let mut servers = None;
    for block in blocks() {
        if block.way.is_some_and(|other| other != way) {
            continue;
        }
        let mut script = block.script.clone();
        let boots = script.contains("ctlkit boot");
        if boots {
            let (tftp, http) = match servers.take() {
                Some(servers) => servers,
                None => serve(folder.path())?,
            };
            script = script
                .replace(
                    &format!("tftp://{EXAMPLE_HOST}/"),
                    &format!("tftp://{}/", tftp.address),
                )
                .replace(&format!("{EXAMPLE_HOST}:6970"), &http.address.to_string())
                .replace("--state flash/", "--state flash/ --timeout 0.5");
            servers = Some((tftp, http));
        }
        let (code, text) = run(folder.path(), &script);
        // An encrypted config is read only with the phone's key, which the guide says the
        // admin rarely has: that boot ends in 1, as the guide says.
        let expected = if boots && way == Way::Second { 1 } else { 0 };
        assert_eq!(code, expected, "{way:?}: the block\n{script}\nsaid\n{text}");
        outputs.push(text);
    }
    Some(outputs)
}

#[test]
fn the_guide_finds_a_choice_in_step_3_and_a_boot_in_step_5() {
    let blocks = blocks();
    assert!(blocks.len() >= 5, "{} blocks", blocks.len());
    assert_eq!(blocks.iter().filter(|block| block.way.is_some()).count(), 2);
    assert!(
        blocks
            .iter()
            .any(|block| block.script.contains(&format!("tftp://{EXAMPLE_HOST}/")))
    );
}

#[test]
fn the_pbx_guide_works_as_written_with_a_signed_config() {
    let Some(outputs) = walk(Way::First) else {
        return;
    };
    let all = outputs.concat();
    assert!(all.contains("wrote sast.pem"), "{all}");
    assert!(all.contains("Parse ITL File"), "{all}");
    assert!(all.contains("0 error(s)"), "{all}");
    let boot = outputs.last().unwrap();
    assert!(boot.contains("Trust List Updated"), "{boot}");
    assert!(boot.contains("standing: will_update"), "{boot}");
}

#[test]
fn the_pbx_guide_works_as_written_with_an_encrypted_config() {
    let Some(outputs) = walk(Way::Second) else {
        return;
    };
    let boot = outputs.last().unwrap();
    assert!(
        boot.contains("SEP001122334455.cnf.xml.enc.sgn: found"),
        "{boot}"
    );
    assert!(
        boot.contains("ctlkit reads it only with --phone-key"),
        "{boot}"
    );
}
