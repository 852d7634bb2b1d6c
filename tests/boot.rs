//! `ctlkit boot`: a virtual phone against a real tftpd-hpa (and an HTTP service) on loopback,
//! started by the tests.

use std::fs;
use std::net::{IpAddr, Ipv4Addr};

use crate::support::capture::HttpServer;
use crate::support::https::{EcIdentity, HttpsServer};
use crate::support::tftpd::Server;
use crate::support::{ctlkit, fixture, json_output, sign_as_publisher, text_output};

const MAC: &str = "001122334455";

/// A TFTP folder as CUCM serves it for the fixture cluster: ITL, the phone's config, its load
/// and the files the load lists.
fn cluster_server(itl: &str, config: &str) -> Option<Server> {
    let server = Server::start()?;
    server.put("ITLFile.tlv", &fixture(itl));
    server.put(&format!("SEP{MAC}.cnf.xml.sgn"), &fixture(config));
    server.put(
        "sip88xx.14-2-1-0101-20.loads",
        &fixture("signed/SIP88xx.14-2-1-0101-20.loads"),
    );
    for image in [
        "sip88xx.14-2-1-0101-20",
        "kern88xx.14-2-1-0101-20.sebn",
        "rootfs88xx.14-2-1-0101-20.sebn",
    ] {
        server.put(image, b"image bytes");
    }
    Some(server)
}

fn boot(server: &Server, extra: &[&std::ffi::OsStr], code: i32) -> serde_json::Value {
    json_output(
        ctlkit()
            .args([
                "boot",
                &format!("SEP{MAC}"),
                "--format",
                "json",
                "--timeout",
                "0.5",
            ])
            .args(["--server", &format!("tftp://{}/", server.address)])
            .args(extra),
        code,
    )
}

fn step<'j>(json: &'j serde_json::Value, name: &str) -> &'j serde_json::Value {
    json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|step| step["step"] == name)
        .unwrap_or_else(|| panic!("no {name} step in {json}"))
}

/// The names a step asked for, in order.
fn asked(step: &serde_json::Value) -> Vec<&str> {
    step["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|request| request["name"].as_str().unwrap())
        .collect()
}

#[test]
fn a_phone_holding_nothing_takes_the_lists_on_faith_and_a_second_boot_is_in_sync() {
    let Some(server) = cluster_server("ITLFile-sha1.tlv", "signed/SEP001122334455.cnf.xml.sgn")
    else {
        return;
    };
    let flash = tempfile::tempdir().unwrap();
    let state = ["--state".as_ref(), flash.path().as_os_str()];
    let first = boot(&server, &state, 0);
    // The phone's order and fallbacks: the per-MAC names first, then the cluster's.
    let ctl = step(&first, "ctl");
    assert_eq!(ctl["code"], "not_found");
    assert_eq!(
        asked(ctl),
        [format!("CTLSEP{MAC}.tlv").as_str(), "CTLFile.tlv"]
    );
    let itl = step(&first, "itl");
    assert_eq!(itl["file"], "ITLFile.tlv");
    assert_eq!(itl["code"], "taken_on_faith");
    assert_eq!(itl["phone_message"], "Trust List Updated");
    assert_eq!(step(&first, "config")["code"], "loaded");
    assert_eq!(step(&first, "load")["file"], "sip88xx.14-2-1-0101-20.loads");
    assert_eq!(
        first["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|step| step["step"] == "load_file" && step["code"] == "loaded")
            .count(),
        3
    );
    assert_eq!(first["standing"], "will_update");
    // The flash now holds the ITL, written atomically.
    assert_eq!(
        fs::read(flash.path().join("ITLFile.tlv")).unwrap(),
        fixture("ITLFile-sha1.tlv")
    );
    let second = boot(&server, &state, 0);
    assert_eq!(step(&second, "itl")["code"], "already_held");
    assert_eq!(second["standing"], "in_sync");
}

#[test]
fn after_set_cert_regen_the_phone_needs_tvs_and_tvs_knowledge_settles_it() {
    let Some(server) = cluster_server(
        "ITLFile-regenerated-sha1.tlv",
        "signed/SEP001122334455-regenerated.cnf.xml.sgn",
    ) else {
        return;
    };
    let holding = ["--holding".as_ref(), "fixtures/ITLFile-sha1.tlv".as_ref()];
    let open = boot(&server, &holding, 1);
    assert_eq!(step(&open, "itl")["code"], "needs_tvs");
    assert_eq!(step(&open, "itl")["acceptance_code"], "tvs_may_vouch");
    assert_eq!(open["standing"], "needs_tvs");
    let mut known = holding.to_vec();
    for argument in [
        "--tvs-trusts",
        "fixtures/cluster/CallManager-cucm-pub-regenerated.pem",
    ] {
        known.push(argument.as_ref());
    }
    let settled = boot(&server, &known, 0);
    assert_eq!(step(&settled, "itl")["code"], "installed");
    assert_eq!(step(&settled, "itl")["acceptance_code"], "tvs_vouches");
    // The config is then judged against the ITL it now holds.
    assert_eq!(step(&settled, "config")["code"], "loaded");
    // A phone of another cluster is stuck: it refuses the ITL.
    let stuck = boot(
        &server,
        &[
            "--holding".as_ref(),
            "fixtures/ITLFile-sha1.tlv".as_ref(),
            "--no-tvs".as_ref(),
        ],
        1,
    );
    assert_eq!(step(&stuck, "itl")["code"], "refused");
    assert_eq!(
        step(&stuck, "itl")["phone_message"],
        "Trust List Update Failed"
    );
    assert_eq!(
        step(&stuck, "config")["phone_message"],
        format!("invalid file SEP{MAC}.cnf.xml.sgn, authenticated fail")
    );
    assert_eq!(stuck["standing"], "stuck");
}

#[test]
fn http_first_then_tftp_and_the_failing_step_is_named() {
    let Some(server) = cluster_server("ITLFile-sha1.tlv", "signed/SEP001122334455.cnf.xml.sgn")
    else {
        return;
    };
    // The HTTP service has only the per-MAC ITL; everything else falls back to TFTP.
    let http = HttpServer::start(
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        0,
        vec![(format!("ITLSEP{MAC}.tlv"), fixture("ITLFile-sha1.tlv"))],
    );
    let json = boot(
        &server,
        &["--http".as_ref(), http.address.to_string().as_ref()],
        0,
    );
    let itl = step(&json, "itl");
    assert_eq!(itl["file"], format!("ITLSEP{MAC}.tlv"));
    assert_eq!(itl["requests"][0]["protocol"], "http");
    assert_eq!(itl["requests"][0]["outcome"], "found");
    let config = step(&json, "config");
    let protocols: Vec<(&str, &str)> = config["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|request| {
            (
                request["protocol"].as_str().unwrap(),
                request["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(protocols, [("http", "not_found"), ("tftp", "found")]);

    // A config naming a load the server lacks: the load is the step that fails.
    let missing = Server::start().unwrap();
    missing.put("ITLFile.tlv", &fixture("ITLFile-sha1.tlv"));
    missing.put(
        &format!("SEP{MAC}.cnf.xml.sgn"),
        &fixture("signed/SEP001122334455.cnf.xml.sgn"),
    );
    let json = boot(&missing, &[], 1);
    assert_eq!(step(&json, "load")["code"], "not_found");
    assert_eq!(json["standing"], "incomplete");
    // No config at all: the config step fails, and the text says so.
    let bare = Server::start().unwrap();
    bare.put("ITLFile.tlv", &fixture("ITLFile-sha1.tlv"));
    let text = ctlkit()
        .args(["boot", MAC, "--timeout", "0.5"])
        .args(["--server", &format!("tftp://{}/", bare.address)])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("3. config"), "{text}");
    assert!(text.contains("the server has no config"), "{text}");
    assert!(text.contains("standing: incomplete"), "{text}");
}

#[test]
fn a_silent_server_cannot_hang_the_phone() {
    // A UDP socket that never answers, and an HTTP port nothing listens on.
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_address = closed.local_addr().unwrap();
    drop(closed);
    let started = std::time::Instant::now();
    let json = json_output(
        ctlkit()
            .args([
                "boot",
                MAC,
                "--format",
                "json",
                "--timeout",
                "0.1",
                "--retries",
                "0",
            ])
            .args([
                "--server",
                &format!("tftp://{}/", silent.local_addr().unwrap()),
            ])
            .args(["--http", &closed_address.to_string()]),
        1,
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(step(&json, "config")["code"], "not_found");
    let failed = step(&json, "itl")["requests"][1]["outcome"].clone();
    assert_eq!(failed, "failed", "{json}");
    // One deadline for the whole boot: past it, nothing more is asked.
    let json = json_output(
        ctlkit()
            .args(["boot", MAC, "--format", "json", "--deadline", "0"])
            .args([
                "--server",
                &format!("tftp://{}/", silent.local_addr().unwrap()),
            ]),
        1,
    );
    assert_eq!(
        step(&json, "ctl")["requests"][0]["error"],
        "not asked: the boot's deadline passed"
    );
    ctlkit()
        .args(["boot", "SEP123", "--server", "tftp://127.0.0.1/"])
        .assert()
        .code(2);
}

/// An HTTP service that answers every request with `answer`, then keeps the connection open
/// (sending `endless` bytes forever when asked).
fn hostile_http(answer: &'static [u8], endless: bool) -> std::net::SocketAddr {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut request = [0u8; 1024];
                let _ = stream.read(&mut request);
                let _ = stream.write_all(answer);
                let filler = [b'x'; 8192];
                while endless && stream.write_all(&filler).is_ok() {}
                // Hold the connection open, saying nothing more.
                std::thread::sleep(std::time::Duration::from_secs(30));
            });
        }
    });
    address
}

#[test]
fn a_hostile_http_service_is_bounded_and_tftp_still_answers() {
    let Some(server) = cluster_server("ITLFile-sha1.tlv", "signed/SEP001122334455.cnf.xml.sgn")
    else {
        return;
    };
    for (answer, endless, expected) in [
        // Endless data behind an honest-looking header: stopped at --max-size.
        (
            b"HTTP/1.1 200 OK\r\n\r\n".as_slice(),
            true,
            "larger than the 200000-byte limit",
        ),
        // A length it never sends: stopped by the time limit.
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\nshort".as_slice(),
            false,
            "",
        ),
    ] {
        let http = hostile_http(answer, endless);
        let started = std::time::Instant::now();
        let json = json_output(
            ctlkit()
                .args(["--max-size", "200000"])
                .args(["boot", MAC, "--format", "json", "--timeout", "0.05"])
                .args(["--server", &format!("tftp://{}/", server.address)])
                .args(["--http", &http.to_string()]),
            0,
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "{:?}",
            started.elapsed()
        );
        let itl = step(&json, "itl");
        assert_eq!(itl["code"], "taken_on_faith", "{json}");
        let http_try = &itl["requests"][0];
        assert_eq!(http_try["protocol"], "http");
        assert_eq!(http_try["outcome"], "failed", "{json}");
        assert!(
            http_try["error"].as_str().unwrap().contains(expected),
            "{http_try}"
        );
        // The file then came over TFTP (after the per-MAC name was not found there).
        let last = itl["requests"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(
            (last["protocol"].as_str(), last["outcome"].as_str()),
            (Some("tftp"), Some("found"))
        );
    }
}

#[test]
fn with_its_key_the_phone_fetches_and_decrypts_its_encrypted_config() {
    let Some(server) = Server::start() else {
        return;
    };
    server.put("ITLFile.tlv", &fixture("ITLFile-sha1.tlv"));
    server.put(
        &format!("SEP{MAC}.cnf.xml.enc.sgn"),
        &fixture("signed/SEP001122334455.cnf.xml.enc.sgn"),
    );
    server.put(
        "sip88xx.14-2-1-0101-20.loads",
        &fixture("signed/SIP88xx.14-2-1-0101-20.loads"),
    );
    let key = ["--phone-key", "fixtures/cluster/Phone-SEP001122334455.key"];
    let json = json_output(
        ctlkit()
            .args(["boot", MAC, "--format", "json", "--timeout", "0.5"])
            .args(["--server", &format!("tftp://{}/", server.address)])
            .args(["--holding", "fixtures/ITLFile-sha1.tlv"])
            .args(key),
        1,
    );
    let config = step(&json, "config");
    assert_eq!(config["file"], format!("SEP{MAC}.cnf.xml.enc.sgn"));
    assert_eq!(config["code"], "loaded", "{json}");
    assert_eq!(config["acceptance"], "accepted");
    // Decrypted, its loadInformation leads to the load (whose images this server lacks).
    assert_eq!(step(&json, "load")["code"], "loaded");
    // Another phone's key does not open it.
    let wrong = json_output(
        ctlkit()
            .args(["boot", MAC, "--format", "json", "--timeout", "0.5"])
            .args(["--server", &format!("tftp://{}/", server.address)])
            .args(["--phone-key", "fixtures/cluster/CAPF-cucm-pub.key"]),
        1,
    );
    assert_eq!(step(&wrong, "config")["code"], "not_usable", "{wrong}");
}

#[test]
fn a_fleet_boots_concurrently_and_is_grouped_by_how_each_phone_ends() {
    let Some(server) = cluster_server(
        "ITLFile-regenerated-sha1.tlv",
        "signed/SEP001122334455-regenerated.cnf.xml.sgn",
    ) else {
        return;
    };
    // The same config serves every phone here: copy it under each phone's name.
    for mac in ["00AABBCCDD01", "00AABBCCDD02", "00AABBCCDD03"] {
        server.put(
            &format!("SEP{mac}.cnf.xml.sgn"),
            &fixture("signed/SEP001122334455-regenerated.cnf.xml.sgn"),
        );
    }
    let folder = tempfile::tempdir().unwrap();
    // Two phones hold the ITL from before the regeneration; one holds nothing.
    for phone in ["one", "two", "three"] {
        fs::create_dir(folder.path().join(phone)).unwrap();
    }
    for phone in ["one", "two"] {
        fs::copy(
            "fixtures/ITLFile-sha1.tlv",
            folder.path().join(phone).join("ITLFile.tlv"),
        )
        .unwrap();
    }
    let list = folder.path().join("phones.txt");
    fs::write(
        &list,
        format!(
            "# the fleet\nSEP00AABBCCDD01 {}\n00:aa:bb:cc:dd:02 {}\n00AABBCCDD03 {}\n\n",
            folder.path().join("one").display(),
            folder.path().join("two").display(),
            folder.path().join("three").display()
        ),
    )
    .unwrap();
    let json = json_output(
        ctlkit()
            .args(["boot", "--format", "json", "--timeout", "0.5"])
            .args(["--jobs", "3", "--rate", "100"])
            .args(["--server", &format!("tftp://{}/", server.address)])
            .arg("--macs")
            .arg(&list),
        1,
    );
    assert_eq!(json["phones"], 3);
    assert_eq!(json["standings"]["needs_tvs"], 2, "{json}");
    assert_eq!(json["standings"]["will_update"], 1);
    let worst = &json["groups"][0];
    assert_eq!(worst["standing"], "needs_tvs");
    assert_eq!(worst["step"], "itl");
    assert_eq!(worst["acceptance_code"], "tvs_may_vouch");
    assert_eq!(
        worst["phones"],
        serde_json::json!(["SEP00AABBCCDD01", "SEP00AABBCCDD02"])
    );
    // The phone that held nothing took the lists on faith: its flash now holds the ITL.
    assert_eq!(
        fs::read(folder.path().join("three").join("ITLFile.tlv")).unwrap(),
        fixture("ITLFile-regenerated-sha1.tlv")
    );
    // With what TVS trusts, the whole fleet updates by itself.
    let settled = json_output(
        ctlkit()
            .args(["boot", "--format", "json", "--timeout", "0.5"])
            .args(["--server", &format!("tftp://{}/", server.address)])
            .args([
                "--tvs-trusts",
                "fixtures/cluster/CallManager-cucm-pub-regenerated.pem",
            ])
            .arg("--macs")
            .arg(&list),
        0,
    );
    assert_eq!(settled["standings"]["will_update"], 2, "{settled}");
    assert_eq!(settled["standings"]["in_sync"], 1);
    ctlkit()
        .args(["boot", "--server", "tftp://127.0.0.1/", "--macs"])
        .arg(folder.path().join("missing.txt"))
        .assert()
        .code(2);
}

/// An ITL as a PBX serving phones builds it: the publisher's CallManager as CCM+TFTP (it signs
/// configs), the HTTPS service's EC certificate as TFTP, with the signer version given.
fn itl_listing(
    folder: &std::path::Path,
    ec_pem: &std::path::Path,
    version: &str,
) -> std::path::PathBuf {
    let output = folder.join(format!("ITLFile-{version}.tlv"));
    ctlkit()
        .arg("build")
        .args(["--allow", "KNO001", "--force", "-o"])
        .arg(&output)
        .args(["--signer", "fixtures/cluster/ITLRecovery-cucm-pub.pem"])
        .args(["--signer-key", "fixtures/cluster/ITLRecovery-cucm-pub.key"])
        .args(["--ccm-tftp", "fixtures/cluster/CallManager-cucm-pub.pem"])
        .arg("--tftp")
        .arg(ec_pem)
        .args(["--signer-version", version])
        .assert()
        .success();
    output
}

#[test]
fn a_phone_holding_a_version_1_1_itl_takes_its_config_over_https_only_from_a_server_it_lists() {
    let Some(server) = cluster_server("ITLFile-sha1.tlv", "signed/SEP001122334455.cnf.xml.sgn")
    else {
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    let listed = EcIdentity::new("pbx-listed.example");
    let unlisted = EcIdentity::new("pbx-unlisted.example");
    let listed_pem = folder.path().join("listed.pem");
    let unlisted_pem = folder.path().join("unlisted.pem");
    fs::write(&listed_pem, &listed.pem).unwrap();
    fs::write(&unlisted_pem, &unlisted.pem).unwrap();
    let itl = itl_listing(folder.path(), &listed_pem, "1.1");
    server.put("ITLFile.tlv", &fs::read(&itl).unwrap());
    // What the PBX answers on 6971: the config unsigned.
    let plain = b"<device><loadInformation>sip88xx.14-2-1-0101-20</loadInformation></device>";
    let files = vec![(format!("SEP{MAC}.cnf.xml.sgn"), plain.to_vec())];
    let boot_against = |https: &HttpsServer, holding: &std::path::Path, extra: &[&str], code| {
        let mut arguments: Vec<&std::ffi::OsStr> = vec!["--holding".as_ref(), holding.as_os_str()];
        let address = https.address.to_string();
        arguments.push("--https".as_ref());
        arguments.push(address.as_ref());
        arguments.extend(extra.iter().map(std::ffi::OsStr::new));
        boot(&server, &arguments, code)
    };

    // The certificate its ITL lists with the TFTP role: the unsigned config is taken.
    let good = HttpsServer::start(&listed, files.clone());
    let json = boot_against(&good, &itl, &[], 0);
    let config = step(&json, "config");
    let first = &config["requests"][0];
    assert_eq!(first["protocol"], "https", "{json}");
    assert_eq!(first["outcome"], "found");
    assert!(
        first["server_certificate"]
            .as_str()
            .unwrap()
            .contains("of the phone's ITL, with the TFTP role"),
        "{first}"
    );
    assert_eq!(config["requests"].as_array().unwrap().len(), 1);
    assert_eq!(config["code"], "loaded");
    assert_eq!(config["acceptance"], serde_json::Value::Null);
    assert_eq!(config["length"], plain.len());
    // Its loadInformation leads on, over TFTP.
    assert_eq!(step(&json, "load")["code"], "loaded");
    assert_eq!(json["standing"], "in_sync");

    // Taken, but the server lacks the file: not found over HTTPS, the certificate still named
    // (the phone took it), then the signed config over TFTP.
    let empty = HttpsServer::start(&listed, Vec::new());
    let json = boot_against(&empty, &itl, &[], 0);
    let config = step(&json, "config");
    let first = &config["requests"][0];
    assert_eq!(first["outcome"], "not_found", "{json}");
    assert!(
        first["server_certificate"]
            .as_str()
            .unwrap()
            .contains("with the TFTP role"),
        "{first}"
    );
    assert_eq!(config["requests"][1]["protocol"], "tftp");
    assert_eq!(config["acceptance"], "accepted");

    // A certificate the ITL does not list: refused, then the signed config over TFTP.
    let stranger = HttpsServer::start(&unlisted, files.clone());
    let json = boot_against(&stranger, &itl, &["--no-tvs"], 0);
    let config = step(&json, "config");
    let first = &config["requests"][0];
    assert_eq!(first["protocol"], "https");
    assert_eq!(first["outcome"], "failed");
    let error = first["error"].as_str().unwrap();
    assert!(
        error.contains("refused") && error.contains("not in the phone's ITL"),
        "{error}"
    );
    assert_eq!(first["server_certificate"], serde_json::Value::Null);
    assert_eq!(config["requests"][1]["protocol"], "tftp");
    assert_eq!(config["code"], "loaded");
    assert_eq!(config["acceptance"], "accepted");
    // With TVS but without what it trusts, ctlkit says the phone would ask.
    let json = boot_against(&stranger, &itl, &[], 0);
    let error = step(&json, "config")["requests"][0]["error"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(error.contains("the phone asks TVS"), "{error}");
    // TVS trusting it settles it: taken.
    let json = boot_against(
        &stranger,
        &itl,
        &["--tvs-trusts", unlisted_pem.to_str().unwrap()],
        0,
    );
    let first = &step(&json, "config")["requests"][0];
    assert_eq!(first["outcome"], "found", "{json}");
    assert!(
        first["server_certificate"]
            .as_str()
            .unwrap()
            .contains("TVS vouches")
    );

    // The CCM+TFTP certificate is listed, but RSA: a phone takes only EC on this port.
    let rsa = HttpsServer::start_as_fixture("CallManager-cucm-pub", files.clone());
    let json = boot_against(&rsa, &itl, &[], 0);
    let error = step(&json, "config")["requests"][0]["error"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        error.contains("RSA") && error.contains("only an EC certificate"),
        "{error}"
    );

    // Holding the same list with signer version 1.0, the phone never asks over HTTPS.
    let old = itl_listing(folder.path(), &listed_pem, "1.0");
    server.put("ITLFile.tlv", &fs::read(&old).unwrap());
    let json = boot_against(&good, &old, &[], 0);
    let config = step(&json, "config");
    assert_eq!(config["requests"][0]["protocol"], "tftp", "{json}");
    assert_eq!(config["acceptance"], "accepted");
}

#[test]
fn a_model_a_source_covers_asks_over_http_first_and_one_none_covers_is_refused() {
    let Some(server) = cluster_server("ITLFile-sha1.tlv", "signed/SEP001122334455.cnf.xml.sgn")
    else {
        return;
    };
    let json = boot(&server, &["--model".as_ref(), "CP-8945".as_ref()], 0);
    let host = server.address.ip();
    assert_eq!(json["http"], format!("{host}:6970"));
    assert_eq!(json["https"], format!("{host}:6971"));
    assert_eq!(step(&json, "itl")["requests"][0]["protocol"], "http");
    let older = boot(&server, &["--model".as_ref(), "7905".as_ref()], 0);
    assert_eq!(older["http"], serde_json::Value::Null);
    assert_eq!(step(&older, "itl")["requests"][0]["protocol"], "tftp");
    ctlkit()
        .args(["boot", MAC, "--model", "8845"])
        .args(["--server", &format!("tftp://{}/", server.address)])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--model 8845: no published source says whether its firmware tries HTTP first",
        ));
}

#[test]
fn a_companion_config_leads_the_phone_to_its_encrypted_config() {
    let Some(server) = cluster_server("ITLFile-sha1.tlv", "signed/SEP001122334455.cnf.xml.sgn")
    else {
        return;
    };
    // What CUCM writes beside an encrypted config: only what the phone needs to fetch it.
    let folder = tempfile::tempdir().unwrap();
    let companion_xml = folder.path().join(format!("SEP{MAC}.cnf.xml"));
    fs::write(
        &companion_xml,
        "<device><encrConfig>true</encrConfig><loadInformation>sip88xx.14-2-1-0101-20</loadInformation></device>",
    )
    .unwrap();
    let companion = folder.path().join(format!("SEP{MAC}.cnf.xml.sgn"));
    sign_as_publisher(&companion_xml, &companion)
        .args(["--allow", "KNO001"])
        .assert()
        .success();
    server.put(
        &format!("SEP{MAC}.cnf.xml.sgn"),
        &fs::read(&companion).unwrap(),
    );
    let holding = ["--holding".as_ref(), "fixtures/ITLFile-sha1.tlv".as_ref()];

    // The server lacks the encrypted config the companion points to.
    let json = boot(&server, &holding, 1);
    let config = step(&json, "config");
    assert_eq!(config["code"], "not_usable", "{json}");
    assert!(config["reason"].as_str().unwrap().contains("encrConfig"));
    assert_eq!(config["requests"].as_array().unwrap().len(), 2);
    assert!(
        json["steps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|step| step["step"] != "load")
    );

    // With it: the phone fetches it; ctlkit, without the phone's key, judges its signature and
    // follows the load the companion names.
    server.put(
        &format!("SEP{MAC}.cnf.xml.enc.sgn"),
        &fixture("signed/SEP001122334455.cnf.xml.enc.sgn"),
    );
    let json = boot(&server, &holding, 1);
    let config = step(&json, "config");
    assert_eq!(
        config["file"],
        format!("SEP{MAC}.cnf.xml.enc.sgn"),
        "{json}"
    );
    assert_eq!(config["code"], "unreadable");
    assert_eq!(config["acceptance"], "accepted");
    assert_eq!(
        asked(config),
        [
            format!("SEP{MAC}.cnf.xml.sgn"),
            format!("SEP{MAC}.cnf.xml.enc.sgn")
        ]
    );
    assert_eq!(step(&json, "load")["code"], "loaded");
}

#[test]
fn a_silent_https_service_costs_one_bounded_try() {
    let Some(server) = cluster_server("ITLFile-sha1.tlv", "signed/SEP001122334455.cnf.xml.sgn")
    else {
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    let listed = EcIdentity::new("pbx.example");
    let listed_pem = folder.path().join("listed.pem");
    fs::write(&listed_pem, &listed.pem).unwrap();
    let itl = itl_listing(folder.path(), &listed_pem, "1.1");
    server.put("ITLFile.tlv", &fs::read(&itl).unwrap());
    // Accepts the connection and never says a word.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = silent.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        let held: Vec<_> = silent.incoming().flatten().collect();
        drop(held);
    });
    let started = std::time::Instant::now();
    let json = boot(
        &server,
        &[
            "--holding".as_ref(),
            itl.as_os_str(),
            "--https".as_ref(),
            address.as_ref(),
        ],
        0,
    );
    let config = step(&json, "config");
    assert_eq!(config["requests"][0]["protocol"], "https");
    assert_eq!(config["requests"][0]["outcome"], "failed");
    assert_eq!(config["code"], "loaded", "{json}");
    // One HTTPS try is bounded by ten TFTP timeouts (5 s here), whatever the service does.
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

#[test]
fn without_its_own_config_the_phone_takes_the_default_config() {
    let Some(server) = Server::start() else {
        return;
    };
    server.put("ITLFile.tlv", &fixture("ITLFile-sha1.tlv"));
    server.put(
        "XMLDefault.cnf.xml",
        b"<Default><callManagerGroup/></Default>",
    );
    let json = boot(
        &server,
        &["--holding".as_ref(), "fixtures/ITLFile-sha1.tlv".as_ref()],
        0,
    );
    let config = step(&json, "config");
    assert_eq!(
        asked(config),
        [
            format!("SEP{MAC}.cnf.xml.sgn"),
            format!("SEP{MAC}.cnf.xml"),
            "XMLDefault.cnf.xml.sgn".to_owned(),
            "XMLDefault.cnf.xml".to_owned()
        ]
    );
    assert_eq!(config["file"], "XMLDefault.cnf.xml");
    assert_eq!(config["code"], "loaded");
    // It names no load: the boot ends with the config.
    assert_eq!(json["steps"].as_array().unwrap().len(), 3);
    assert_eq!(json["standing"], "in_sync");
}

#[test]
fn the_timeline_reads_as_a_phone_console() {
    let Some(server) = cluster_server(
        "ITLFile-regenerated-sha1.tlv",
        "signed/SEP001122334455-regenerated.cnf.xml.sgn",
    ) else {
        return;
    };
    let text = text_output(
        ctlkit()
            .args(["boot", MAC, "--timeout", "0.5", "--no-tvs"])
            .args(["--server", &format!("tftp://{}/", server.address)])
            .args(["--holding", "fixtures/ITLFile-sha1.tlv"]),
        1,
    );
    let text = text.replace(&server.address.to_string(), "[tftp server]");
    insta::assert_snapshot!(text);
}

#[test]
fn a_phone_boots_on_the_encrypted_config_and_companion_ctlkit_signs() {
    let Some(server) = cluster_server("ITLFile-sha1.tlv", "signed/SEP001122334455.cnf.xml.sgn")
    else {
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    let config = folder.path().join(format!("SEP{MAC}.cnf.xml"));
    fs::write(
        &config,
        "<device><fullConfig>true</fullConfig><loadInformation>sip88xx.14-2-1-0101-20</loadInformation><sipProfile>secret</sipProfile></device>",
    )
    .unwrap();
    let encrypted = folder.path().join(format!("SEP{MAC}.cnf.xml.enc.sgn"));
    let companion = folder.path().join(format!("SEP{MAC}.cnf.xml.sgn"));
    sign_as_publisher(&config, &encrypted)
        .arg("--companion")
        .arg(&companion)
        .args([
            "--encrypt-for",
            "fixtures/cluster/Phone-SEP001122334455.pem",
        ])
        .args(["--allow", "KNO001"])
        .assert()
        .success();
    let companion_bytes = fs::read(&companion).unwrap();
    assert!(!companion_bytes.windows(6).any(|window| window == b"secret"));
    server.put(&format!("SEP{MAC}.cnf.xml.sgn"), &companion_bytes);
    server.put(
        &format!("SEP{MAC}.cnf.xml.enc.sgn"),
        &fs::read(&encrypted).unwrap(),
    );
    let holding: [&std::ffi::OsStr; 2] =
        ["--holding".as_ref(), "fixtures/ITLFile-sha1.tlv".as_ref()];
    // Without the phone's key: the companion, then the encrypted config; the load follows.
    let json = boot(&server, &holding, 1);
    let config_step = step(&json, "config");
    assert_eq!(
        config_step["file"],
        format!("SEP{MAC}.cnf.xml.enc.sgn"),
        "{json}"
    );
    assert_eq!(config_step["code"], "unreadable");
    assert_eq!(config_step["acceptance"], "accepted");
    assert_eq!(step(&json, "load")["code"], "loaded");
    // With it: straight to the encrypted config, decrypted; the phone is in sync.
    let mut keyed = holding.to_vec();
    keyed.push("--phone-key".as_ref());
    keyed.push("fixtures/cluster/Phone-SEP001122334455.key".as_ref());
    let json = boot(&server, &keyed, 0);
    assert_eq!(step(&json, "config")["code"], "loaded", "{json}");
    assert_eq!(json["standing"], "in_sync");
}
