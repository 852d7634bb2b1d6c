//! The JSON contract: docs/schema/ holds each command's schema as the types generate it, the
//! binary prints the same, and the README's stability promise names them.

use crate::support::ctlkit;
use crate::support::schema::{assert_valid, committed};

/// The committed schemas are the types' own. Run with `CTLKIT_UPDATE_SCHEMAS=1` after a
/// deliberate change to the JSON, and review the diff: it is the interface change.
#[test]
fn the_committed_schemas_are_what_the_types_generate() {
    let update = std::env::var_os("CTLKIT_UPDATE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for command in ctlkit::report::schema::commands() {
        let generated = ctlkit::report::schema::command_schema(command).unwrap();
        let text = format!("{}\n", serde_json::to_string_pretty(&generated).unwrap());
        let path = format!("docs/schema/{command}.json");
        if update {
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(path);
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} differ from the types: if the JSON change is meant, run `CTLKIT_UPDATE_SCHEMAS=1 cargo test schema` and commit the schemas"
    );
    let mut files: Vec<String> = std::fs::read_dir("docs/schema")
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected: Vec<String> = ctlkit::report::schema::commands()
        .iter()
        .map(|command| format!("{command}.json"))
        .collect();
    expected.sort();
    assert_eq!(files, expected, "one schema per command, no leftovers");
}

#[test]
fn ctlkit_schema_prints_the_committed_schema() {
    for command in ["verify", "diff"] {
        let output = ctlkit().args(["schema", command]).assert().code(0);
        let printed: serde_json::Value =
            serde_json::from_slice(&output.get_output().stdout).unwrap();
        assert_eq!(printed, committed(command));
    }
    ctlkit().args(["schema", "build"]).assert().code(2);
}

/// The schemas are closed: a document with a field the schema does not name fails, and so
/// does one missing a field.
#[test]
fn a_field_the_schema_does_not_name_fails_validation() {
    let mut document = crate::support::json_output(
        ctlkit().args(["verify", "--format", "json", "fixtures/ITLFile-sha1.tlv"]),
        0,
    );
    document["rows"][0]["surprise"] = serde_json::json!(true);
    let added = std::panic::catch_unwind(|| assert_valid("verify", &document));
    assert!(added.is_err(), "an unknown field passed");
    let mut document = crate::support::json_output(
        ctlkit().args(["hash", "--format", "json", "fixtures/ITLFile-sha1.tlv"]),
        0,
    );
    document[0].as_object_mut().unwrap().remove("sha256");
    let removed = std::panic::catch_unwind(|| assert_valid("hash", &document));
    assert!(removed.is_err(), "a missing field passed");
}
