//! The request journal, with secrets redacted.

use http::HeaderMap;
use serde_json::Value;

/// The replacement for every secret value in the journal.
pub(crate) const REDACTED: &str = "[redacted]";

/// One request the sandbox received, as recorded in [`Sandbox::journal`](crate::Sandbox::journal).
///
/// Secrets never appear: the `Authorization` header (and any header whose name mentions a
/// token, secret or cookie) and the values of `client_secret`, `refresh_token`, `access_token`
/// (and their camelCase forms, `token` and `password`) in the query and in JSON or form bodies are
/// replaced by `"[redacted]"`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct JournalEntry {
    /// The HTTP method, e.g. `POST`.
    pub method: String,
    /// The path as sent (still percent-encoded), without the query.
    pub path: String,
    /// The query string (redacted), if there was one.
    pub query: Option<String>,
    /// The request headers (names lowercase), redacted.
    pub headers: Vec<(String, String)>,
    /// The request body as text (redacted).
    pub body: String,
    /// The HTTP status answered, or `None` when the connection was dropped by a fault.
    pub status: Option<u16>,
    /// The injected fault, if one applied (its `Debug` form).
    pub fault: Option<String>,
}

impl JournalEntry {
    /// The value of the header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.body).ok()
    }
}

fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase().replace(['_', '-'], "");
    matches!(
        k.as_str(),
        "clientsecret" | "refreshtoken" | "accesstoken" | "token" | "password" | "secret"
    )
}

fn is_secret_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "authorization"
        || n == "proxy-authorization"
        || n.contains("cookie")
        || n.contains("token")
        || n.contains("secret")
}

pub(crate) fn redact_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let value = if is_secret_header(name.as_str()) {
                REDACTED.to_owned()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            (name.as_str().to_owned(), value)
        })
        .collect()
}

pub(crate) fn redact_form(text: &str) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in url::form_urlencoded::parse(text.as_bytes()) {
        if is_secret_key(&k) {
            out.append_pair(&k, REDACTED);
        } else {
            out.append_pair(&k, &v);
        }
    }
    out.finish()
}

fn redact_json(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if is_secret_key(k) {
                    *v = Value::String(REDACTED.to_owned());
                } else {
                    redact_json(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

pub(crate) fn redact_body(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.trim().is_empty() {
        return String::new();
    }
    if let Ok(mut json) = serde_json::from_str::<Value>(&text) {
        redact_json(&mut json);
        return json.to_string();
    }
    if text.contains('=') && !text.contains('\n') {
        return redact_form(&text);
    }
    // Multipart or other bodies: keep them only if they mention no secret field.
    if ["secret", "token", "password"]
        .iter()
        .any(|k| text.to_ascii_lowercase().contains(k))
    {
        return REDACTED.to_owned();
    }
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_and_json_lose_their_secrets() {
        let form = redact_body(b"grant_type=refresh_token&client_id=abc&client_secret=s3cr3t&refresh_token=rt1");
        assert!(!form.contains("s3cr3t") && !form.contains("rt1"), "{form}");
        assert!(form.contains("client_id=abc"), "{form}");
        let json = redact_body(br#"{"a":{"access_token":"x1","refreshToken":"x2"},"name":"n"}"#);
        assert!(
            !json.contains("x1") && !json.contains("x2") && json.contains("\"n\""),
            "{json}"
        );
    }
}
