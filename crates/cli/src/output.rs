//! Pretty JSON on stdout.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Map, Value};

/// Prints `value` as pretty JSON and a newline. A closed stdout (`yeastar … | head`) is not an
/// error worth reporting.
pub(crate) fn print_json<T: Serialize + ?Sized>(value: &T) -> io::Result<()> {
    let mut text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    text.push('\n');
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
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

/// The output of a write whose answer carries no data: `{"requestId": …}` (`null` when the
/// server sent none).
pub(crate) fn request_id_only(request_id: Option<String>) -> Value {
    serde_json::json!({ "requestId": request_id })
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
        assert_eq!(request_id_only(None), json!({"requestId": null}));
    }
}
