//! What commands print on stdout, in the format of `-o/--output`: `json` (pretty; a list is one
//! array), `jsonl` (one compact JSON value per line), `table` (the columns an admin looks for
//! first) or `csv` (see [`yeastar_bulk::csv`], the format `user import` reads). Default: `table` when stdout is a terminal,
//! `json` otherwise, so that scripts and pipes get JSON.

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::cli::OutputFormat;
use crate::commands::CliResult;
use crate::term;
use yeastar_bulk::csv as csv_format;

/// The columns an admin looks for first, per kind of record. Tables show these (those that
/// occur); CSV puts them first and then every other field.
pub(crate) mod columns {
    pub(crate) const PP_USER: &[&str] = &["email", "firstName", "lastName", "company", "userType", "country"];
    pub(crate) const PP_COUNTRY: &[&str] = &["id", "code", "name"];
    pub(crate) const PP_BILLING_CONTACT: &[&str] =
        &["billingContactId", "emailAddress", "firstName", "lastName", "company"];
    pub(crate) const YCM_USER: &[&str] = &["userId", "email", "firstName", "lastName", "company", "userType"];
    pub(crate) const YCM_SUBORDINATE: &[&str] = &["userId", "userEmail", "userName"];
    pub(crate) const YCM_CUSTOMER: &[&str] = &["customerId", "firstName", "lastName", "company", "email", "city"];
    pub(crate) const YCM_PBX: &[&str] = &[
        "cloudPbxId",
        "name",
        "pbxStatus",
        "activationStatus",
        "url",
        "plan",
        "extensionCapacity",
        "region",
    ];
    pub(crate) const YCM_REGION: &[&str] = &["regionId", "region"];
    pub(crate) const YCM_DOMAIN: &[&str] = &["regionId", "domainId", "domain"];
    pub(crate) const YCM_FIRMWARE: &[&str] = &["versionId", "version", "regionIds"];
    pub(crate) const EMAIL: &[&str] = &["email"];
    pub(crate) const WP_USER: &[&str] = &[
        "memberId",
        "email",
        "firstName",
        "lastName",
        "roleName",
        "groupIds",
        "inviteStatus",
    ];
    pub(crate) const WP_GROUP: &[&str] = &["groupId", "groupName"];
    pub(crate) const PROFILE: &[&str] = &["name", "default", "products"];
    pub(crate) const PROFILE_SETTING: &[&str] = &["product", "setting", "value"];
}

/// The output format in force.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    format: OutputFormat,
}

impl Output {
    /// `requested`, else `table` on a terminal and `json` elsewhere.
    pub(crate) fn new(requested: Option<OutputFormat>) -> Self {
        let format = requested.unwrap_or(if term::stdout_is_terminal() {
            OutputFormat::Table
        } else {
            OutputFormat::Json
        });
        Self { format }
    }

    pub(crate) fn format(&self) -> OutputFormat {
        self.format
    }

    /// Prints a list of records.
    pub(crate) fn list<T: Serialize>(&self, items: &[T], preferred: &[&str]) -> CliResult {
        let text = match self.format {
            OutputFormat::Json => pretty(&items)?,
            OutputFormat::Jsonl => {
                let mut s = String::new();
                for item in items {
                    s.push_str(&serde_json::to_string(item).map_err(io::Error::other)?);
                    s.push('\n');
                }
                s
            }
            OutputFormat::Table => {
                let records = records(items)?;
                let mut cols: Vec<String> = preferred
                    .iter()
                    .filter(|c| records.iter().any(|r| r.contains_key(**c)))
                    .map(|c| (*c).to_owned())
                    .collect();
                if cols.is_empty() {
                    cols = csv_format::columns(&records, &[]);
                    cols.truncate(6);
                }
                let mut t = table();
                t.set_header(cols.iter().map(|c| term::sanitize(c)));
                for r in &records {
                    t.add_row(cols.iter().map(|c| table_cell(r.get(c))));
                }
                format!("{t}\n")
            }
            OutputFormat::Csv => {
                let records = records(items)?;
                let cols = csv_format::columns(&records, preferred);
                let mut buf = Vec::new();
                csv_format::write(&mut buf, &cols, &records)?;
                String::from_utf8(buf).map_err(io::Error::other)?
            }
        };
        write_stdout(&text)
    }

    /// Prints one record (a user, a write's result, a status).
    pub(crate) fn one<T: Serialize + ?Sized>(&self, item: &T) -> CliResult {
        let text = match self.format {
            OutputFormat::Json => pretty(item)?,
            OutputFormat::Jsonl => format!("{}\n", serde_json::to_string(item).map_err(io::Error::other)?),
            OutputFormat::Table => match serde_json::to_value(item).map_err(io::Error::other)? {
                Value::Object(map) => {
                    let mut t = table();
                    t.set_header(["field", "value"]);
                    for (k, v) in &map {
                        t.add_row([term::sanitize(k), table_cell(Some(v))]);
                    }
                    format!("{t}\n")
                }
                other => format!("{}\n", table_cell(Some(&other))),
            },
            OutputFormat::Csv => {
                let records = records(std::slice::from_ref(&item))?;
                let cols = csv_format::columns(&records, &[]);
                let mut buf = Vec::new();
                csv_format::write(&mut buf, &cols, &records)?;
                String::from_utf8(buf).map_err(io::Error::other)?
            }
        };
        write_stdout(&text)
    }
}

fn pretty<T: Serialize + ?Sized>(value: &T) -> io::Result<String> {
    let mut text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    text.push('\n');
    Ok(text)
}

/// Items as JSON objects (a value that is not an object becomes `{"value": …}`).
fn records<T: Serialize>(items: &[T]) -> io::Result<Vec<Map<String, Value>>> {
    items
        .iter()
        .map(|i| match serde_json::to_value(i).map_err(io::Error::other)? {
            Value::Object(m) => Ok(m),
            other => Ok(Map::from_iter([("value".to_owned(), other)])),
        })
        .collect()
}

fn table() -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    if let Some((_, cols)) = console::Term::stdout().size_checked() {
        t.set_width(cols).set_content_arrangement(ContentArrangement::Dynamic);
    }
    t
}

/// A table cell: like a CSV cell, lists joined with ", ", and made safe for a terminal.
fn table_cell(value: Option<&Value>) -> String {
    let text = match value {
        Some(Value::Array(items)) if items.iter().all(|v| !v.is_object() && !v.is_array()) => items
            .iter()
            .map(|v| csv_format::cell(Some(v)))
            .collect::<Vec<_>>()
            .join(", "),
        other => csv_format::cell(other),
    };
    term::sanitize(&text)
}

/// Writes `text` to stdout. A closed stdout (`yeastar … | head`) is not an error worth
/// reporting.
pub(crate) fn write_stdout(text: &str) -> CliResult {
    // Server-chosen text (a CSV cell, a table) must not drive the terminal; through a pipe or
    // into a file it is written as it is.
    let text = if term::stdout_is_terminal() {
        std::borrow::Cow::Owned(term::sanitize_lines(text))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// A JSON object from `(key, value)` pairs, leaving out `None` values.
pub(crate) fn object<const N: usize>(fields: [(&str, Option<Value>); N]) -> Value {
    let map: Map<String, Value> = fields
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v)))
        .collect();
    Value::Object(map)
}

/// A write's answer as printed: the id under the API's name for it (`userId`, `groupId`; an id
/// made of several fields, like Workplace's `{memberId, userId}`, prints them side by side),
/// then the request id, the server time where the API gives one, and `alreadyAbsent` when a
/// retried delete found the record already gone.
pub(crate) fn written<Id: Serialize>(id_name: &str, done: &yeastar_transport::WriteResult<Id>) -> Value {
    let mut map = serde_json::Map::new();
    match done.id.as_ref().map(serde_json::to_value) {
        Some(Ok(Value::Object(fields))) => map.extend(fields),
        Some(Ok(id)) => {
            map.insert(id_name.to_owned(), id);
        }
        Some(Err(_)) | None => {}
    }
    let rest = [
        ("requestId", done.request_id.clone().map(Value::from)),
        ("time", done.time.map(Value::from)),
        ("alreadyAbsent", done.already_absent.then_some(Value::Bool(true))),
    ];
    for (k, v) in rest {
        if let Some(v) = v {
            map.insert(k.to_owned(), v);
        }
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_leave_out_missing_fields() {
        assert_eq!(
            object([("memberId", Some(json!(5))), ("requestId", None)]),
            json!({"memberId": 5})
        );
    }

    #[test]
    fn writes_print_the_id_under_the_api_name() {
        use yeastar_transport::WriteResult;
        let mut w: WriteResult<u64> = WriteResult::default();
        assert_eq!(written("userId", &w), json!({}));
        w.id = Some(7);
        w.request_id = Some("r".into());
        w.time = Some(5);
        w.already_absent = true;
        assert_eq!(
            written("userId", &w),
            json!({"userId": 7, "requestId": "r", "time": 5, "alreadyAbsent": true})
        );
        let mut both: WriteResult<Value> = WriteResult::default();
        both.id = Some(json!({"memberId": 1, "userId": 2}));
        assert_eq!(written("memberId", &both), json!({"memberId": 1, "userId": 2}));
    }

    #[test]
    fn table_cells_are_terminal_safe() {
        assert_eq!(table_cell(Some(&json!("a\x1b[2Jb"))), "ab");
        assert_eq!(table_cell(Some(&json!([1, 2]))), "1, 2");
    }
}
