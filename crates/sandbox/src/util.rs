//! Request and reply plumbing shared by the three products.

use std::net::IpAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use serde_json::{Map, Value, json};

use crate::Product;

/// A fully read request.
#[derive(Debug)]
pub(crate) struct Req {
    pub(crate) method: Method,
    pub(crate) path: String,
    /// Percent-decoded path segments (without the empty leading one).
    pub(crate) segs: Vec<String>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) peer: IpAddr,
}

impl Req {
    pub(crate) fn seg_strs(&self) -> Vec<&str> {
        self.segs.iter().map(String::as_str).collect()
    }

    pub(crate) fn q(&self, key: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The urlencoded form body (multipart bodies are read too, simple fields only).
    pub(crate) fn form(&self) -> Vec<(String, String)> {
        let ct = self.header("content-type").unwrap_or("");
        if let Some(boundary) = ct.split(';').find_map(|p| p.trim().strip_prefix("boundary=")) {
            return parse_multipart(&self.body, boundary.trim_matches('"'));
        }
        url::form_urlencoded::parse(&self.body).into_owned().collect()
    }

    /// The body as a JSON object.
    pub(crate) fn json_object(&self) -> Result<Map<String, Value>, ApiErr> {
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(ApiErr::invalid(
                "body",
                "object",
                "The request body must be a JSON object",
            )),
            Err(e) => Err(ApiErr::invalid(
                "body",
                "json",
                format!("The request body is not valid JSON: {e}"),
            )),
        }
    }
}

fn parse_multipart(body: &[u8], boundary: &str) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(body);
    let delim = format!("--{boundary}");
    let mut out = Vec::new();
    for part in text.split(delim.as_str()) {
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let Some(name) = head.split("name=\"").nth(1).and_then(|s| s.split('"').next()) else {
            continue;
        };
        out.push((name.to_owned(), value.trim_end_matches("\r\n").to_owned()));
    }
    out
}

/// Decodes `%XX` escapes of one path segment.
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// What a handler answers.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) body: ReplyBody,
    pub(crate) headers: Vec<(header::HeaderName, HeaderValue)>,
}

#[derive(Debug)]
pub(crate) enum ReplyBody {
    Json(Value),
    Html(String),
}

impl Reply {
    pub(crate) fn json(status: u16, body: Value) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            body: ReplyBody::Json(body),
            headers: Vec::new(),
        }
    }

    pub(crate) fn ok(body: Value) -> Self {
        Self::json(200, body)
    }

    pub(crate) fn html(status: u16, page: String) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY),
            body: ReplyBody::Html(page),
            headers: Vec::new(),
        }
    }

    pub(crate) fn with_header(mut self, name: header::HeaderName, value: &str) -> Self {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.headers.push((name, v));
        }
        self
    }

    pub(crate) fn into_response(self) -> Response {
        let (content_type, bytes) = match self.body {
            ReplyBody::Json(v) => ("application/json;charset=UTF-8", Bytes::from(v.to_string())),
            ReplyBody::Html(s) => ("text/html", Bytes::from(s)),
        };
        let mut resp = Response::new(Body::from(bytes));
        *resp.status_mut() = self.status;
        resp.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        for (k, v) in self.headers {
            resp.headers_mut().insert(k, v);
        }
        resp
    }
}

/// A failure, rendered in the envelope of the product that was called.
///
/// `code` is an upper-snake symbolic code (`INVALID_TOKEN`, `PARAMETER_VALIDATION_FAILED`, …):
/// PP shows it lowercase in `code`, Workplace as `errMsg`, YCM as `errmsg` next to a numeric
/// `errcode`.
#[derive(Debug, Clone)]
pub(crate) struct ApiErr {
    pub(crate) status: u16,
    pub(crate) code: &'static str,
    pub(crate) message: String,
    /// PP's `result: {field, tag}`.
    pub(crate) field: Option<(String, String)>,
}

impl ApiErr {
    pub(crate) fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    /// A validation failure of `field` (PP `tag`: required, email, oneof, …).
    pub(crate) fn invalid(field: &str, tag: &str, message: impl Into<String>) -> Self {
        Self {
            status: 400,
            code: "PARAMETER_VALIDATION_FAILED",
            message: message.into(),
            field: Some((field.to_owned(), tag.to_owned())),
        }
    }

    pub(crate) fn required(field: &str) -> Self {
        Self::invalid(field, "required", format!("{field} is required"))
    }

    pub(crate) fn not_found(what: impl Into<String>) -> Self {
        Self::new(404, "NOT_FOUND", what)
    }

    pub(crate) fn method_not_allowed(method: &Method) -> Self {
        Self::new(405, "ACCESS_DENIED", format!("Request method '{method}' not supported"))
    }

    /// The error for an HTTP status chosen by a fault rule.
    pub(crate) fn for_status(status: u16) -> Self {
        let (code, msg) = match status {
            400 => ("BAD_REQUEST", "Bad request"),
            401 => ("INVALID_TOKEN", "Invalid access token"),
            403 => ("ACCESS_DENIED", "Access denied"),
            404 => ("NOT_FOUND", "Not found"),
            408 => ("REQUEST_TIMEOUT", "Request timeout"),
            429 => ("TOO_MANY_REQUESTS", "Too many requests"),
            500 => ("INTERNAL_SERVER_ERROR", "Internal server error"),
            502 => ("BAD_GATEWAY", "Bad gateway"),
            503 => ("SERVICE_UNAVAILABLE", "Service unavailable"),
            504 => ("GATEWAY_TIMEOUT", "Gateway timeout"),
            _ => ("ERROR", "Injected error"),
        };
        Self::new(status, code, msg)
    }

    /// YCM's numeric `errcode` (the simulator's own table; YCM's is not public).
    fn ycm_errcode(&self) -> i64 {
        match self.code {
            "PARAMETER_VALIDATION_FAILED" | "BAD_REQUEST" => 40002,
            "USER_AGENT_REQUIRED" => 40001,
            "ALREADY_EXISTS" => 40003,
            "TOKEN_EXPIRED" => 10004,
            "INVALID_TOKEN" => 10006,
            "INVALID_CLIENT" => 10007,
            "INVALID_GRANT" | "UNSUPPORTED_GRANT_TYPE" => 10008,
            "ACCESS_DENIED" => 10005,
            "NOT_FOUND" => 60001,
            "LIMIT_EXCEEDED" => 60002,
            "IP_BLOCKED" => 70004,
            "TOO_MANY_REQUESTS" => 70029,
            _ => -2,
        }
    }

    pub(crate) fn render(&self, product: Option<Product>, request_id: String) -> Reply {
        let body = match product {
            Some(Product::PartnerPortal) => {
                // PP has no public code for an expired token; Spring's `invalid_token` is used for both.
                let code = if self.code == "TOKEN_EXPIRED" {
                    "invalid_token".to_owned()
                } else {
                    self.code.to_ascii_lowercase()
                };
                json!({
                    "code": code,
                    "detailMessage": self.message,
                    "requestId": request_id,
                    "result": self.field.as_ref().map(|(f, t)| json!({"field": f, "tag": t})),
                    "status": self.status,
                })
            }
            Some(Product::Ycm) => json!({
                "requestId": request_id,
                "status": "Failed",
                "time": unix_now(),
                "errcode": self.ycm_errcode(),
                "errmsg": self.message,
            }),
            Some(Product::Workplace) => json!({
                "status": "Failed",
                "requestId": request_id,
                "errMsg": self.code,
                "detailMsg": self.message,
            }),
            None => json!({"error": self.code, "message": self.message}),
        };
        Reply::json(self.status, body)
    }
}

/// Paging parameters after validation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PageReq {
    pub(crate) number: usize,
    pub(crate) size: usize,
}

impl PageReq {
    /// Reads `number_key`/`size_key` with defaults; `max_size` rejects larger pages.
    pub(crate) fn parse(
        req: &Req,
        number_key: &str,
        size_key: &str,
        default_size: usize,
        max_size: Option<usize>,
    ) -> Result<Self, ApiErr> {
        let read = |key: &str, default: usize| -> Result<usize, ApiErr> {
            match req.q(key) {
                None | Some("") => Ok(default),
                Some(v) => match v.parse::<usize>() {
                    Ok(n) if n >= 1 => Ok(n),
                    _ => Err(ApiErr::invalid(key, "min", format!("{key} must be a positive integer"))),
                },
            }
        };
        let number = read(number_key, 1)?;
        let size = read(size_key, default_size)?;
        if let Some(max) = max_size
            && size > max
        {
            return Err(ApiErr::invalid(
                size_key,
                "max",
                format!("{size_key} must not exceed {max}"),
            ));
        }
        Ok(Self { number, size })
    }

    pub(crate) fn slice<T: Clone>(&self, items: &[T]) -> Vec<T> {
        items
            .iter()
            .skip((self.number - 1).saturating_mul(self.size))
            .take(self.size)
            .cloned()
            .collect()
    }
}

/// Reads an optional string field; a non-string value is a validation error.
pub(crate) fn opt_str(body: &Map<String, Value>, key: &str) -> Result<Option<String>, ApiErr> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiErr::invalid(key, "string", format!("{key} must be a string"))),
    }
}

/// Reads a required, non-empty string field.
pub(crate) fn req_str(body: &Map<String, Value>, key: &str) -> Result<String, ApiErr> {
    match opt_str(body, key)? {
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => Err(ApiErr::required(key)),
    }
}

/// Reads an optional integer field (a numeric string is accepted too).
pub(crate) fn opt_int(body: &Map<String, Value>, key: &str) -> Result<Option<i64>, ApiErr> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) if n.is_i64() => Ok(n.as_i64()),
        Some(Value::String(s)) if s.parse::<i64>().is_ok() => Ok(s.parse().ok()),
        Some(_) => Err(ApiErr::invalid(key, "number", format!("{key} must be an integer"))),
    }
}

/// A loose email check: one `@`, something before it, a dot after it.
pub(crate) fn is_email(s: &str) -> bool {
    let mut parts = s.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("color123%40yeastar.com"), "color123@yeastar.com");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%E4%B8%AD"), "中");
    }

    #[test]
    fn checks_emails() {
        assert!(is_email("leo@yeastar.com"));
        assert!(!is_email("leo"));
        assert!(!is_email("a@b@c.com"));
        assert!(!is_email("@yeastar.com"));
    }
}
