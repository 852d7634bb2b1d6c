//! Every JSON document a test gets from the binary is checked against its command's schema in
//! docs/schema/, so no field can appear, vanish or change type without the schema changing.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// The committed schema of `command`'s JSON output.
pub fn committed(command: &str) -> serde_json::Value {
    let path = format!("docs/schema/{command}.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    serde_json::from_str(&text).unwrap()
}

/// Fails the test when `document` does not match the schema of `command`.
pub fn assert_valid(command: &str, document: &serde_json::Value) {
    static VALIDATORS: OnceLock<Mutex<HashMap<String, jsonschema::Validator>>> = OnceLock::new();
    let validators = VALIDATORS.get_or_init(Mutex::default);
    let errors: Vec<String> = {
        // A failed assertion elsewhere must not poison the cache for the tests after it.
        let mut validators = validators
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let validator = validators.entry(command.to_owned()).or_insert_with(|| {
            jsonschema::draft202012::new(&committed(command))
                .unwrap_or_else(|error| panic!("docs/schema/{command}.json: {error}"))
        });
        validator
            .iter_errors(document)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect()
    };
    assert!(
        errors.is_empty(),
        "`ctlkit {command} --format json` does not match docs/schema/{command}.json:\n{}\n{document:#}",
        errors.join("\n")
    );
}

/// The command a test ran: the first argument that names one with a schema.
pub fn command_of(command: &assert_cmd::Command) -> Option<String> {
    let known = ctlkit::report::schema::commands();
    command
        .get_args()
        .filter_map(|argument| argument.to_str())
        .find(|argument| known.contains(argument))
        .map(str::to_owned)
}
