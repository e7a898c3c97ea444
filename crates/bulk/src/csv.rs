//! The CSV form of records, shared by imports, exports, reports and the CLI's `-o csv`: one
//! header row of the API's own field names, in the API's casing; one row per record.
//!
//! Cells: a string as is; a number or boolean as JSON writes it; `null` or a missing field as
//! an empty cell; a list of scalars as its items joined by `;` (`1000127;1000128`); anything
//! else (an object, a list holding objects) as compact JSON. Quoting is the `csv` crate's
//! (RFC 4180).

use std::io;

use serde_json::{Map, Value};

/// The separator of list items in a cell.
pub const LIST_SEPARATOR: char = ';';

/// The columns for `records`: `preferred` first (those that occur), then every other field in
/// the order first seen.
///
/// ```
/// use serde_json::json;
/// let records = [json!({"b": 1, "a": 2}).as_object().unwrap().clone()];
/// assert_eq!(yeastar_bulk::csv::columns(&records, &["a", "z"]), ["a", "b"]);
/// ```
pub fn columns(records: &[Map<String, Value>], preferred: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = preferred
        .iter()
        .filter(|c| records.iter().any(|r| r.contains_key(**c)))
        .map(|c| (*c).to_owned())
        .collect();
    for r in records {
        for k in r.keys() {
            if !out.iter().any(|c| c == k) {
                out.push(k.clone());
            }
        }
    }
    out
}

/// One cell's text.
///
/// ```
/// use serde_json::json;
/// assert_eq!(yeastar_bulk::csv::cell(Some(&json!([1000127, 1000128]))), "1000127;1000128");
/// assert_eq!(yeastar_bulk::csv::cell(None), "");
/// ```
pub fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) if items.iter().all(|v| !v.is_object() && !v.is_array()) => items
            .iter()
            .map(|v| cell(Some(v)))
            .collect::<Vec<_>>()
            .join(&LIST_SEPARATOR.to_string()),
        Some(other) => other.to_string(),
    }
}

/// Writes the header row `columns` and one row per record.
pub fn write<W: io::Write>(out: W, columns: &[String], records: &[Map<String, Value>]) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(columns).map_err(into_io)?;
    for r in records {
        w.write_record(columns.iter().map(|c| cell(r.get(c))))
            .map_err(into_io)?;
    }
    w.flush()
}

pub(crate) fn into_io(e: ::csv::Error) -> io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn maps(v: Value) -> Vec<Map<String, Value>> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_object().unwrap().clone())
            .collect()
    }

    #[test]
    fn header_of_api_names_lists_joined_with_semicolons_and_quoting() {
        let records = maps(json!([
            {"memberId": 54164, "email": "leo@yeastar.com", "groupIds": [1000127, 1000128], "firstName": "Leo, Jr.",
             "extra": {"a": 1}, "phone": null},
            {"memberId": 2, "email": "amy@example.com", "groupIds": [], "idCode": "say \"hi\""}
        ]));
        let cols = columns(&records, &["memberId", "email", "missing"]);
        assert_eq!(
            cols,
            ["memberId", "email", "extra", "firstName", "groupIds", "phone", "idCode"]
        );
        let mut out = Vec::new();
        write(&mut out, &cols, &records).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "memberId,email,extra,firstName,groupIds,phone,idCode\n\
             54164,leo@yeastar.com,\"{\"\"a\"\":1}\",\"Leo, Jr.\",1000127;1000128,,\n\
             2,amy@example.com,,,,,\"say \"\"hi\"\"\"\n"
        );
    }

    #[test]
    fn cells() {
        assert_eq!(cell(Some(&json!(true))), "true");
        assert_eq!(cell(Some(&json!(["a", "b"]))), "a;b");
        assert_eq!(cell(Some(&json!([{"a": 1}]))), "[{\"a\":1}]");
        assert_eq!(cell(None), "");
    }
}
