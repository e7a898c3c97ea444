//! Extractors that turn axum's rejections into errors in the product's envelope, and readers
//! of request fields.

use axum::body::{Body, Bytes};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Json, Multipart, Path, Query, Request};
use http::request::Parts;
use http::{HeaderMap, header};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::ApiErr;

/// The request size the sandbox reads at most.
pub(crate) const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// The one path parameter of a route, percent-decoded by axum's `Path`.
#[derive(Debug)]
pub(crate) struct PathParam(pub(crate) String);

impl PathParam {
    /// The parameter as a number; `name` is the documented parameter name, for the error.
    pub(crate) fn number(&self, name: &str) -> Result<u64, ApiErr> {
        self.0
            .parse()
            .map_err(|_| ApiErr::invalid(name, "number", format!("{name} must be a number: {}", self.0)))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PathParam {
    type Rejection = ApiErr;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiErr> {
        Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(p)| PathParam(p))
            .map_err(|e| ApiErr::invalid("path", "path", e.body_text()))
    }
}

/// Query parameters decoded into `T` (fields named as in the docs).
#[derive(Debug)]
pub(crate) struct Q<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Q<T> {
    type Rejection = ApiErr;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiErr> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| Q(q))
            .map_err(|e| ApiErr::invalid("query", "query", e.body_text()))
    }
}

/// A JSON object body, sent as `Content-Type: application/json` (axum's `Json` checks it).
#[derive(Debug)]
pub(crate) struct JsonObject(pub(crate) Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = ApiErr;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiErr> {
        match Json::<Value>::from_request(req, state).await {
            Ok(Json(Value::Object(map))) => Ok(JsonObject(map)),
            Ok(_) => Err(ApiErr::invalid(
                "body",
                "object",
                "The request body must be a JSON object",
            )),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiErr::unsupported_media_type("application/json")),
            Err(e) => Err(ApiErr::invalid(
                "body",
                "json",
                format!("The request body is not valid JSON: {}", e.body_text()),
            )),
        }
    }
}

/// The two form encodings of the token endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormKind {
    Urlencoded,
    Multipart,
}

impl FormKind {
    fn content_type(self) -> &'static str {
        match self {
            FormKind::Urlencoded => "application/x-www-form-urlencoded",
            FormKind::Multipart => "multipart/form-data",
        }
    }
}

/// The fields of a form body, as the token endpoints take them. The extractor reads both
/// encodings; each product then [requires](Self::require) the ones its docs name.
#[derive(Debug)]
pub(crate) struct FormFields {
    pub(crate) kind: Option<FormKind>,
    pub(crate) fields: Vec<(String, String)>,
}

impl FormFields {
    /// The non-empty value of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    }

    /// HTTP 415 unless the body was sent in one of the `accepted` encodings.
    pub(crate) fn require(&self, accepted: &[FormKind]) -> Result<(), ApiErr> {
        if self.kind.is_some_and(|k| accepted.contains(&k)) {
            return Ok(());
        }
        let names: Vec<&str> = accepted.iter().map(|k| k.content_type()).collect();
        Err(ApiErr::unsupported_media_type(&names.join(" or ")))
    }
}

impl<S: Send + Sync> FromRequest<S> for FormFields {
    type Rejection = ApiErr;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiErr> {
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiErr::invalid("body", "body", e.body_text()))?;
        read_form(&headers, body).await
    }
}

/// Reads a form body: multipart with multer (through axum's `Multipart`), urlencoded with
/// `url`; any other `Content-Type` gives no fields and no kind.
pub(crate) async fn read_form(headers: &HeaderMap, body: Bytes) -> Result<FormFields, ApiErr> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    if media_type.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Ok(FormFields {
            kind: Some(FormKind::Urlencoded),
            fields: url::form_urlencoded::parse(&body).into_owned().collect(),
        });
    }
    if !media_type.eq_ignore_ascii_case("multipart/form-data") {
        return Ok(FormFields {
            kind: None,
            fields: Vec::new(),
        });
    }
    let req = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .map_err(|e| ApiErr::invalid("body", "multipart", e.to_string()))?;
    let bad = |e: axum::extract::multipart::MultipartError| ApiErr::invalid("body", "multipart", e.body_text());
    let mut multipart = Multipart::from_request(req, &())
        .await
        .map_err(|e| ApiErr::invalid("body", "multipart", e.body_text()))?;
    let mut fields = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        let value = field.text().await.map_err(bad)?;
        fields.push((name, value));
    }
    Ok(FormFields {
        kind: Some(FormKind::Multipart),
        fields,
    })
}

/// Paging parameters after validation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PageReq {
    pub(crate) number: usize,
    pub(crate) size: usize,
}

impl PageReq {
    /// Reads the page number and size (`(documented name, value)`), with defaults; `max_size`
    /// refuses larger pages.
    pub(crate) fn parse(
        number: (&str, Option<&str>),
        size: (&str, Option<&str>),
        default_size: usize,
        max_size: Option<usize>,
    ) -> Result<Self, ApiErr> {
        let read = |(key, value): (&str, Option<&str>), default: usize| -> Result<usize, ApiErr> {
            match value {
                None | Some("") => Ok(default),
                Some(v) => match v.parse::<usize>() {
                    Ok(n) if n >= 1 => Ok(n),
                    _ => Err(ApiErr::invalid(key, "min", format!("{key} must be a positive integer"))),
                },
            }
        };
        let page = Self {
            number: read(number, 1)?,
            size: read(size, default_size)?,
        };
        if let Some(max) = max_size
            && page.size > max
        {
            return Err(ApiErr::invalid(
                size.0,
                "max",
                format!("{} must not exceed {max}", size.0),
            ));
        }
        Ok(page)
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
    fn checks_emails() {
        assert!(is_email("leo@yeastar.com"));
        assert!(!is_email("leo"));
        assert!(!is_email("a@b@c.com"));
        assert!(!is_email("@yeastar.com"));
    }
}
