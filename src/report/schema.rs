//! JSON Schemas (draft 2020-12) of every command's JSON output, generated from the types that
//! write it, so the schema cannot drift from the output: docs/schema/ holds them, a test fails
//! when a type changes and the committed schema does not, and every JSON document the tests
//! produce is validated against its command's schema.
//!
//! Objects are closed (`additionalProperties: false`) and every field is required: a field
//! added, renamed or removed is a schema change that shows in review.

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema};

use super::{
    AuditJson, CheckJson, DamagedDiffJson, DamagedShowJson, DiffJson, ExtractJson, HashEntry,
    LintJson, PastedAuditJson, PastedCheckJson, PastedDiffJson, PastedShowJson, ShowJson,
    SignedDiffJson, SignedJson, VerifyJson,
};

/// `show`: a trust list, a damaged copy, another signed file, or pasted text.
#[derive(JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum ShowOutput {
    TrustList(ShowJson),
    Damaged(DamagedShowJson),
    Signed(SignedJson),
    Pasted(PastedShowJson),
}

/// `check`: a trust list, or pasted text.
#[derive(JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum CheckOutput {
    TrustList(CheckJson),
    Pasted(PastedCheckJson),
}

/// `diff`: as `comparison` says.
#[derive(JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum DiffOutput {
    TrustListsOrChecksum(DiffJson),
    DamagedCopy(DamagedDiffJson),
    SignedFiles(SignedDiffJson),
    PastedText(PastedDiffJson),
}

/// `audit`: against the server's files, or against pasted text.
#[derive(JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum AuditOutput {
    Files(AuditJson),
    Pasted(PastedAuditJson),
}

/// `boot`: one phone, or a fleet (`--macs`).
#[derive(JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum BootOutput {
    Phone(super::BootJson),
    Fleet(super::BootFleetJson),
}

/// Every command that writes JSON, by name.
pub fn commands() -> Vec<&'static str> {
    let mut commands = vec![
        "audit", "boot", "check", "diff", "extract", "hash", "lint", "show", "verify",
    ];
    if cfg!(feature = "pkcs11") {
        commands.push("tokens");
    }
    commands
}

/// The schema of `command`'s JSON output, or `None` for a command that writes none.
pub fn command_schema(command: &str) -> Option<Schema> {
    Some(match command {
        "audit" => schema_for::<AuditOutput>(command),
        "boot" => schema_for::<BootOutput>(command),
        "check" => schema_for::<CheckOutput>(command),
        "diff" => schema_for::<DiffOutput>(command),
        "extract" => schema_for::<ExtractJson>(command),
        "hash" => schema_for::<Vec<HashEntry>>(command),
        "lint" => schema_for::<Vec<LintJson>>(command),
        "show" => schema_for::<ShowOutput>(command),
        "verify" => schema_for::<VerifyJson>(command),
        #[cfg(feature = "pkcs11")]
        "tokens" => schema_for::<super::TokensJson>(command),
        _ => return None,
    })
}

fn schema_for<T: JsonSchema>(command: &str) -> Schema {
    let closed = RecursiveTransform(|schema: &mut Schema| {
        if schema.get("properties").is_some() && schema.get("additionalProperties").is_none() {
            schema.insert("additionalProperties".to_owned(), false.into());
        }
    });
    let mut schema = SchemaSettings::draft2020_12()
        .for_serialize()
        .with_transform(closed)
        .into_generator()
        .into_root_schema_for::<T>();
    schema.insert(
        "title".to_owned(),
        format!("ctlkit {command} --format json").into(),
    );
    schema
}
