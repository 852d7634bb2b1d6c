//! Any report's JSON facts laid out for people: objects as two-column tables, lists of objects
//! as one table with a row each, lists of values inline. The page for reports with no picture
//! of their own, and the "all facts" part of those that have one.

use maud::{Markup, html};
use serde::Serialize;
use serde_json::Value;

use super::{HtmlBody, shown};

/// Nesting below this is shown as JSON text, so a hostile document cannot make the page deep.
const DEEPEST: usize = 6;

/// The page of a report's facts.
pub fn facts(report: &impl Serialize) -> HtmlBody {
    HtmlBody {
        title: None,
        body: html! { (value(&serde_json::to_value(report).unwrap_or(Value::Null), 0)) },
    }
}

/// One value.
pub(crate) fn value(value: &Value, depth: usize) -> Markup {
    match value {
        Value::Null => html! { span.muted { "none" } },
        Value::Bool(true) => html! { "yes" },
        Value::Bool(false) => html! { "no" },
        Value::Number(number) => html! { (number.to_string()) },
        Value::String(text) => html! { (shown(text)) },
        _ if depth >= DEEPEST => html! { code { (shown(&value.to_string())) } },
        Value::Array(items) if items.is_empty() => html! { span.muted { "none" } },
        Value::Array(items) => match table_columns(items) {
            Some(columns) => rows_table(items, &columns, depth),
            None => html! {
                ul { @for item in items { li { (self::value(item, depth.saturating_add(1))) } } }
            },
        },
        Value::Object(fields) => html! {
            div.table-wrap { table { tbody {
                @for (name, field) in fields {
                    tr { th scope="row" { (label(name)) } td { (self::value(field, depth.saturating_add(1))) } }
                }
            } } }
        },
    }
}

/// The columns when every item is an object: the keys of the first, in order.
fn table_columns(items: &[Value]) -> Option<Vec<String>> {
    let Value::Object(first) = items.first()? else {
        return None;
    };
    items
        .iter()
        .all(Value::is_object)
        .then(|| first.keys().cloned().collect())
}

fn rows_table(items: &[Value], columns: &[String], depth: usize) -> Markup {
    html! {
        div.table-wrap { table {
            thead { tr { @for column in columns { th scope="col" { (label(column)) } } } }
            tbody { @for item in items { tr {
                @for column in columns {
                    td { (value(item.get(column).unwrap_or(&Value::Null), depth.saturating_add(1))) }
                }
            } } }
        } }
    }
}

/// `signer_serial` → `signer serial`.
pub(crate) fn label(name: &str) -> String {
    shown(&name.replace('_', " "))
}
