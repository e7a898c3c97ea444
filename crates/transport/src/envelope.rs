//! Response envelopes: how each product wraps its data and its errors.

use std::borrow::Cow;
use std::fmt;

use http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::error::{ApiError, DecodeError, Error, MAX_FIELD_CHARS, Result, UnexpectedResponse, excerpt, truncate};
use crate::product::Product;

/// A product's response envelope: it opens a response into its data, or an error.
///
/// The three Yeastar clouds differ: Partner Portal answers `{code, detailMessage, requestId,
/// result, status}`, YCM `{data, requestId, status, time}`, Workplace `{data, status,
/// requestId}` with errors `{status: "Failed", errMsg, detailMsg}`. Each product crate
/// implements this trait once; [`PlainJson`] serves the OAuth-style token endpoints.
///
/// Two paths: [`Envelope::decode`] reads a plain success and its data in one pass (no
/// intermediate value); when it declines (`None`), [`Envelope::open`] reads the response
/// tolerantly, and the data is decoded from the opened payload with the JSON path of any
/// failure. Only `open` decides what is an error.
pub trait Envelope: Send + Sync + 'static {
    /// The fast path: a 2xx success read with its data in one pass, or `None` to let
    /// [`Envelope::open`] handle the response (errors, odd shapes, data of the wrong type).
    /// The default always declines.
    fn decode<'a, T: DeserializeOwned>(response: &RawResponse<'a>) -> Option<(T, Meta<'a>)> {
        let _ = response;
        None
    }

    /// Opens a response: `Ok` with the payload when the API reports success, otherwise the
    /// error (use [`RawResponse::parse`] so that non-JSON bodies give a clear error).
    fn open<'a>(response: &RawResponse<'a>) -> Result<Payload<'a>>;
}

/// What a successful answer says besides its data: request id, server time, HTTP status.
#[derive(Debug, Clone)]
pub struct Meta<'a> {
    response: RawResponse<'a>,
    data_path: &'static str,
    request_id: Option<Cow<'a, str>>,
    time: Option<i64>,
}

impl<'a> Meta<'a> {
    /// The metadata of `response`, whose data sits at `data_path` (e.g. `data`).
    pub fn new(response: RawResponse<'a>, data_path: &'static str) -> Self {
        Self {
            response,
            data_path,
            request_id: None,
            time: None,
        }
    }

    /// Sets the request id (ignored when empty; cut to [`MAX_FIELD_CHARS`]).
    pub fn with_request_id(mut self, id: Option<Cow<'a, str>>) -> Self {
        // One rule for both decode paths: surrounding blanks dropped, a blank id is none.
        self.request_id = id.and_then(|i| {
            let t = i.trim();
            if t.is_empty() {
                None
            } else if t.len() > MAX_FIELD_CHARS {
                Some(Cow::Owned(truncate(t, MAX_FIELD_CHARS)))
            } else if t.len() == i.len() {
                Some(i)
            } else {
                Some(Cow::Owned(t.to_owned()))
            }
        });
        self
    }

    /// Sets the server time (Unix seconds).
    pub fn with_time(mut self, time: Option<i64>) -> Self {
        self.time = time;
        self
    }

    /// The request id of the response.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The server time of the response (Unix seconds), where the product sends one (YCM).
    pub fn time(&self) -> Option<i64> {
        self.time
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.response.status()
    }

    /// An [`ApiError`] read best-effort from this answer (see
    /// [`RawResponse::undocumented_error`]), for a success status whose body says otherwise
    /// (a token endpoint's 200 without a token).
    pub fn undocumented_error(&self) -> ApiError {
        self.response.undocumented_error()
    }

    /// An [`Error::Decode`] for a value inside the data part, at `path` relative to it (e.g.
    /// `userId`), for checks serde cannot express (a required id that came back empty).
    pub fn decode_error(&self, path: &str, message: impl Into<String>) -> Error {
        let full = if path.is_empty() || path == "." {
            self.data_path.to_owned()
        } else {
            format!("{}.{path}", self.data_path)
        };
        self.response
            .decode_error(full, message.into(), self.request_id.as_deref().map(str::to_owned))
    }
}

/// A response as received, for an [`Envelope`] to open.
#[derive(Clone, Copy)]
pub struct RawResponse<'a> {
    product: Product,
    status: StatusCode,
    headers: &'a HeaderMap,
    body: &'a [u8],
    sensitive: bool,
}

impl fmt::Debug for RawResponse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("product", &self.product)
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl<'a> RawResponse<'a> {
    /// A response (used by the client, and by tests of envelopes).
    #[doc(hidden)]
    pub fn new(product: Product, status: StatusCode, headers: &'a HeaderMap, body: &'a [u8], sensitive: bool) -> Self {
        Self {
            product,
            status,
            headers,
            body,
            sensitive,
        }
    }

    /// The product.
    pub fn product(&self) -> Product {
        self.product
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &'a HeaderMap {
        self.headers
    }

    /// The body.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// Whether the body may hold secrets (token endpoints); then no excerpt is kept in errors.
    pub fn is_sensitive(&self) -> bool {
        self.sensitive
    }

    /// Parses the body as JSON into `T` (which may borrow from the body).
    ///
    /// A body that is not JSON at all (empty, an HTML page from a proxy) gives
    /// [`Error::UnexpectedResponse`] with the HTTP status; JSON of the wrong shape gives
    /// [`Error::Decode`] naming the JSON path that failed.
    pub fn parse<T: Deserialize<'a>>(&self) -> Result<T> {
        if !self.looks_like_json() {
            return Err(self.unexpected());
        }
        // Fast path without path tracking; only a failure pays for a second, path-tracking pass.
        if let Ok(value) = serde_json::from_slice(self.body) {
            return Ok(value);
        }
        let de = &mut serde_json::Deserializer::from_slice(self.body);
        match serde_path_to_error::deserialize(de) {
            Err(e) => {
                let path = e.path().to_string();
                Err(self.decode_error(path, e.into_inner().to_string(), None))
            }
            // The same input and type cannot succeed now; if it does, use the value.
            Ok(value) => Ok(value),
        }
    }

    /// Parses the body as JSON into `T` in one pass, without path tracking: `None` on any
    /// failure (for [`Envelope::decode`]).
    pub fn parse_fast<T: Deserialize<'a>>(&self) -> Option<T> {
        if !self.looks_like_json() {
            return None;
        }
        serde_json::from_slice(self.body).ok()
    }

    /// Whether the body is a JSON object: every answer of the three APIs (token endpoints
    /// included) is one. A bare string or number is a proxy's text, and an array must not be
    /// read as an envelope (serde reads a struct from a sequence, field by field), so both
    /// decode paths refuse them alike.
    fn looks_like_json(&self) -> bool {
        let first = self.body.iter().find(|b| !b.is_ascii_whitespace());
        first == Some(&b'{')
    }

    /// An [`Error::UnexpectedResponse`] for this response.
    pub fn unexpected(&self) -> Error {
        Error::UnexpectedResponse(Box::new(UnexpectedResponse {
            product: self.product,
            status: self.status.as_u16(),
            content_type: self
                .headers
                .get(http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            excerpt: if self.sensitive {
                String::new()
            } else {
                excerpt(self.body)
            },
        }))
    }

    /// An [`Error::Decode`] for this response.
    pub fn decode_error(&self, path: String, message: String, request_id: Option<String>) -> Error {
        Error::Decode(Box::new(DecodeError {
            product: self.product,
            status: self.status.as_u16(),
            path: if path.is_empty() {
                ".".to_owned()
            } else {
                truncate(&path, 200)
            },
            // serde quotes the offending value, which the server chose: keep it short.
            message: truncate(&message, MAX_FIELD_CHARS),
            excerpt: if self.sensitive {
                String::new()
            } else {
                excerpt(self.body)
            },
            request_id,
        }))
    }

    /// An [`ApiError`] with product and status filled in.
    pub fn api_error(&self) -> ApiError {
        ApiError::new(self.product, self.status.as_u16())
    }

    /// An [`ApiError`] read best-effort from a body whose error shape is undocumented: the
    /// usual code, message and request-id keys at the top level or in a nested
    /// `data`/`error`/`result` object, and the start of the raw body.
    pub fn undocumented_error(&self) -> ApiError {
        ApiError::from_undocumented_body(self.product, self.status.as_u16(), self.body, !self.sensitive)
    }
}

/// The opened envelope: the data part of a successful response and its metadata.
#[derive(Debug, Clone)]
pub struct Payload<'a> {
    response: RawResponse<'a>,
    data: Option<&'a RawValue>,
    data_path: &'static str,
    request_id: Option<String>,
    time: Option<i64>,
}

impl<'a> Payload<'a> {
    /// A payload whose data is `data`, found at `data_path` in the body (e.g. `result`).
    #[doc(hidden)]
    pub fn new(response: RawResponse<'a>, data: Option<&'a RawValue>, data_path: &'static str) -> Self {
        Self {
            response,
            data,
            data_path,
            request_id: None,
            time: None,
        }
    }

    /// Sets the request id.
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id.and_then(|id| crate::error::bounded(id.trim().to_owned()));
        self
    }

    /// Sets the server time (Unix seconds).
    pub fn with_time(mut self, time: Option<i64>) -> Self {
        self.time = time;
        self
    }

    /// The request id of the response.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The metadata (request id, time, status) of the response.
    pub fn meta(&self) -> Meta<'a> {
        Meta::new(self.response, self.data_path)
            .with_request_id(self.request_id.clone().map(Cow::Owned))
            .with_time(self.time)
    }

    /// The raw JSON text of the data part (`None` when absent).
    pub fn raw_data(&self) -> Option<&'a str> {
        self.data.map(RawValue::get)
    }

    /// Whether the response carried data (`null` counts as none).
    pub fn has_data(&self) -> bool {
        self.data.is_some_and(|d| d.get() != "null")
    }

    /// Decodes the data into `T`; a missing or `null` data part is decoded as JSON `null`,
    /// so `Option<T>` and `()` accept it and other types report it clearly.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        let raw = self.data.map(RawValue::get).unwrap_or("null");
        // Fast path without path tracking; only a failure pays for a second, path-tracking pass.
        if let Ok(value) = serde_json::from_str(raw) {
            return Ok(value);
        }
        let de = &mut serde_json::Deserializer::from_str(raw);
        let e = match serde_path_to_error::deserialize::<_, T>(de) {
            Err(e) => e,
            // The same input and type cannot succeed now; if it does, use the value.
            Ok(value) => return Ok(value),
        };
        let inner = e.path().to_string();
        let path = if inner.is_empty() || inner == "." {
            self.data_path.to_owned()
        } else {
            format!("{}.{inner}", self.data_path)
        };
        Err(self
            .response
            .decode_error(path, e.into_inner().to_string(), self.request_id.clone()))
    }
}

/// The envelope of plain JSON answers (the OAuth-style token endpoints of YCM and Workplace):
/// a 2xx JSON body is the data; anything else is an error read best-effort.
#[derive(Debug, Clone, Copy)]
pub struct PlainJson;

impl Envelope for PlainJson {
    fn open<'a>(response: &RawResponse<'a>) -> Result<Payload<'a>> {
        if !response.status().is_success() {
            return Err(if response.parse::<&RawValue>().is_ok() {
                Error::from(response.undocumented_error())
            } else {
                response.unexpected()
            });
        }
        let data: &'a RawValue = response.parse()?;
        Ok(Payload::new(*response, Some(data), "."))
    }

    fn decode<'a, T: DeserializeOwned>(response: &RawResponse<'a>) -> Option<(T, Meta<'a>)> {
        if !response.status().is_success() {
            return None;
        }
        let data = response.parse_fast::<T>()?;
        Some((data, Meta::new(*response, ".")))
    }
}

/// The data of a fast-path envelope whose data part was absent or `null`: what `T` reads from
/// JSON `null` (`()`, `Option<_>`), or `None` to fall back to the tolerant path.
pub fn data_or_null<T: DeserializeOwned>(data: Option<T>) -> Option<T> {
    match data {
        Some(d) => Some(d),
        None => serde_json::from_str("null").ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_and_empty_bodies_carry_the_status() {
        let headers = HeaderMap::new();
        for body in [&b"<html><body>502 Bad Gateway</body></html>"[..], b"", b"  "] {
            let r = RawResponse::new(Product::Ycm, StatusCode::BAD_GATEWAY, &headers, body, false);
            let err = r.parse::<serde_json::Value>().unwrap_err();
            assert_eq!(err.status(), Some(502));
            assert!(matches!(err, Error::UnexpectedResponse(_)), "{err}");
        }
    }

    #[test]
    fn decode_errors_name_the_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct D {
            list: Vec<Item>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Item {
            id: u64,
        }
        let headers = HeaderMap::new();
        let body = br#"{"data":{"list":[{"id":1},{"id":"x"}]}}"#;
        let r = RawResponse::new(Product::Workplace, StatusCode::OK, &headers, body, false);
        #[derive(serde::Deserialize)]
        struct Env<'a> {
            #[serde(borrow)]
            data: Option<&'a RawValue>,
        }
        let env: Env<'_> = r.parse().unwrap();
        let err = Payload::new(r, env.data, "data").json::<D>().unwrap_err();
        let Error::Decode(d) = &err else { panic!("{err}") };
        assert_eq!(d.path, "data.list[1].id");
    }

    /// serde's derived structs also read JSON arrays (fields in declaration order), so an
    /// envelope struct read on the fast path accepted `[" success ", "D", {…}]` while the
    /// tolerant path, reading another struct, refused it (found by `mutated_examples`).
    #[test]
    fn the_fast_path_reads_objects_only() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Env {
            code: String,
            message: String,
        }
        let headers = HeaderMap::new();
        let r = RawResponse::new(
            Product::PartnerPortal,
            StatusCode::OK,
            &headers,
            br#"["success","m"]"#,
            false,
        );
        assert!(r.parse_fast::<Env>().is_none());
        let r = RawResponse::new(
            Product::PartnerPortal,
            StatusCode::OK,
            &headers,
            br#" {"code":"success","message":"m"}"#,
            false,
        );
        assert_eq!(r.parse_fast::<Env>().map(|e| e.code).as_deref(), Some("success"));
    }

    #[test]
    fn sensitive_responses_leave_no_excerpt() {
        let headers = HeaderMap::new();
        let body = br#"{"access_token": 42}"#;
        let r = RawResponse::new(Product::Ycm, StatusCode::OK, &headers, body, true);
        let err = r.parse::<std::collections::HashMap<String, String>>().unwrap_err();
        assert!(!format!("{err} {err:?}").contains("access_token\": 42"));
    }
}
