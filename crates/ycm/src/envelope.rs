//! The YCM response envelope `{data, requestId, status, time}`, and YCM's paged lists.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use yeastar_transport::lenient::opt_u64;
use yeastar_transport::reexports::RawValue;
use yeastar_transport::{ApiError, Envelope, Error, Meta, Page, Payload, RawResponse, Result, data_or_null};

/// The envelope of every YCM endpoint except the token endpoint.
///
/// - Success: HTTP 2xx with `status: "Success"` (the key `Status`, as the doc's error table
///   spells it, is accepted too). The data part is `data`; writes that return nothing omit it.
/// - Anything else is an error: `status: "Failed"` (even on HTTP 200), a missing status, or
///   an HTTP error status. The error code is documented (1000035 TOKEN_EXPIRED, …) but not
///   the key carrying it, so the error body is read best-effort (`code`, `errcode`, `errCode`,
///   … at the top level or in a nested `data`/`error`/`result`), and the start of the raw body
///   is kept on the [`ApiError`]. A body that is not JSON (an HTML page from a proxy) gives
///   [`Error::UnexpectedResponse`] with the HTTP status.
#[derive(Debug, Clone, Copy)]
pub struct YcmEnvelope;

/// The success shape, read with its data in one pass.
#[derive(Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
struct Fast<'a, T> {
    #[serde(default)]
    data: Option<T>,
    #[serde(borrow, default, rename = "requestId")]
    request_id: Option<&'a str>,
    #[serde(borrow, default)]
    status: Option<&'a str>,
    #[serde(default)]
    time: Option<i64>,
}

/// Any shape, read tolerantly.
#[derive(Deserialize)]
struct RawEnvelope<'a> {
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
    #[serde(default, rename = "requestId")]
    request_id: Option<Value>,
    #[serde(default)]
    status: Option<Value>,
    // The doc's error table writes the key with a capital S.
    #[serde(default, rename = "Status")]
    status_capitalised: Option<Value>,
    #[serde(default)]
    time: Option<Value>,
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn scalar_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl RawEnvelope<'_> {
    fn status(&self) -> Option<String> {
        self.status
            .as_ref()
            .or(self.status_capitalised.as_ref())
            .and_then(scalar_string)
    }
}

impl Envelope for YcmEnvelope {
    fn decode<'a, T: DeserializeOwned>(r: &RawResponse<'a>) -> Option<(T, Meta<'a>)> {
        if !r.status().is_success() {
            return None;
        }
        let env: Fast<'a, T> = r.parse_fast()?;
        if !env.status?.eq_ignore_ascii_case("success") {
            return None;
        }
        let data = data_or_null(env.data)?;
        let meta = Meta::new(*r, "data")
            .with_request_id(env.request_id.map(Cow::Borrowed))
            .with_time(env.time);
        Some((data, meta))
    }

    fn open<'a>(r: &RawResponse<'a>) -> Result<Payload<'a>> {
        let env: RawEnvelope<'a> = match r.parse() {
            Ok(env) => env,
            // JSON, but not an object of the expected shape (an array, odd types): still an
            // error report, never a decoding failure, when the server signalled an error.
            Err(Error::Decode(_)) if !r.status().is_success() => return Err(r.undocumented_error().into()),
            Err(e) => return Err(e),
        };
        let request_id = env.request_id.as_ref().and_then(scalar_string);
        let time = env.time.as_ref().and_then(scalar_i64);
        let status = env.status();
        let success = status.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("success"));
        if success && r.status().is_success() {
            return Ok(Payload::new(*r, env.data, "data")
                .with_request_id(request_id)
                .with_time(time));
        }
        Err(error_from(r, &env, status, request_id).into())
    }
}

fn error_from(
    r: &RawResponse<'_>,
    env: &RawEnvelope<'_>,
    status: Option<String>,
    request_id: Option<String>,
) -> ApiError {
    // The transport's best-effort reading finds the code and message wherever they are.
    let mut err = r.undocumented_error();
    if err.message.is_none() && err.code.is_none() {
        err = err.with_message(match &status {
            Some(s) => format!("status {s:?} with no error code or message"),
            None => "the response has no status field".to_owned(),
        });
    }
    if err.request_id.is_none()
        && let Some(id) = request_id
    {
        err = err.with_request_id(id);
    }
    if let Some(data) = env.data.and_then(|d| serde_json::from_str::<Value>(d.get()).ok()) {
        err = err.with_details(data);
    }
    err
}

/// The largest page YCM serves (`pageSize` ≤ 50).
pub const MAX_PAGE_SIZE: u32 = 50;

/// The page size a listing uses when the caller sets none: the maximum, so that a full
/// listing takes as few requests as possible (YCM's own default is 10).
pub const DEFAULT_PAGE_SIZE: u32 = MAX_PAGE_SIZE;

/// One page of a YCM listing: `data: {pageSize, pageNumber, total, list}`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: Deserialize<'de>"))]
pub struct PagedList<T> {
    /// The page size the server applied (`pageSize`).
    #[serde(default, deserialize_with = "opt_u64")]
    pub page_size: Option<u64>,
    /// The page number (`pageNumber`, 1-based).
    #[serde(default, deserialize_with = "opt_u64")]
    pub page_number: Option<u64>,
    /// The number of items in the whole listing (`total`).
    #[serde(default, deserialize_with = "opt_u64")]
    pub total: Option<u64>,
    /// The items of this page (`list`; absent or `null` reads as empty).
    #[serde(default = "Vec::new", deserialize_with = "yeastar_transport::lenient::vec_or_null")]
    pub list: Vec<T>,
}

impl<T> From<PagedList<T>> for Page<T> {
    fn from(p: PagedList<T>) -> Self {
        Page::new(p.list).with_page_no(p.page_number).with_total(p.total)
    }
}

/// A list of ids given as numbers or numeric strings; `null` or absent is empty.
pub(crate) fn u64_vec<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<u64>, D::Error> {
    yeastar_transport::lenient::opt_u64_vec(d).map(Option::unwrap_or_default)
}

/// Checks `pageNumber`/`pageSize` before sending (the transport's one rule for pages).
pub(crate) fn check_page(page_number: Option<u32>, page_size: Option<u32>) -> Result<()> {
    yeastar_transport::check_page("pageNumber", page_number, "pageSize", page_size, MAX_PAGE_SIZE)
}

/// A sort order for listings: `field` ascending or `-field` descending (e.g. `userId`).
///
/// ```
/// use yeastar_ycm::Sort;
/// assert_eq!(Sort::descending("userId").to_string(), "-userId");
/// assert_eq!(Sort::from("-userId"), Sort::descending("userId"));
/// assert_eq!(Sort::from("userId").to_string(), "userId");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sort {
    field: String,
    descending: bool,
}

impl Sort {
    /// Ascending by `field` (API name, e.g. `userId`).
    pub fn ascending(field: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            descending: false,
        }
    }

    /// Descending by `field` (API name, e.g. `userId`).
    pub fn descending(field: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            descending: true,
        }
    }

    /// The field.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// Whether the order is descending.
    pub fn is_descending(&self) -> bool {
        self.descending
    }
}

impl fmt::Display for Sort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.descending {
            f.write_str("-")?;
        }
        f.write_str(&self.field)
    }
}

impl From<&str> for Sort {
    /// Reads the API notation: a leading `-` means descending.
    fn from(s: &str) -> Self {
        match s.strip_prefix('-') {
            Some(field) => Sort::descending(field),
            None => Sort::ascending(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yeastar_transport::Product;
    use yeastar_transport::reexports::{HeaderMap, StatusCode};

    fn open(status: u16, body: &str) -> Result<(Option<String>, Option<i64>, Option<String>)> {
        let headers = HeaderMap::new();
        let r = RawResponse::new(
            Product::Ycm,
            StatusCode::from_u16(status).unwrap(),
            &headers,
            body.as_bytes(),
            false,
        );
        YcmEnvelope::open(&r).map(|p| {
            let data = p.json::<Option<Value>>().unwrap().map(|v| v.to_string());
            (p.request_id().map(str::to_owned), p.meta().time(), data)
        })
    }

    fn api(e: Error) -> ApiError {
        match e {
            Error::Api(a) => *a,
            other => panic!("expected an API error, got {other:?}"),
        }
    }

    #[test]
    fn success_with_and_without_data() {
        let (id, time, data) = open(200, r#"{"requestId":"r1","status":"Success","time":1664437503}"#).unwrap();
        assert_eq!((id.as_deref(), time, data), (Some("r1"), Some(1664437503), None));
        let (_, _, data) = open(
            200,
            r#"{"data":{"userId":7},"requestId":"r","status":"Success","time":1}"#,
        )
        .unwrap();
        assert_eq!(data.as_deref(), Some(r#"{"userId":7}"#));
        // The capitalised key of the doc table, and a time sent as a string.
        let (_, time, _) = open(200, r#"{"Status":"Success","time":"1639012740"}"#).unwrap();
        assert_eq!(time, Some(1639012740));
    }

    #[test]
    fn failed_on_200_is_an_error_with_the_request_id() {
        let e = api(open(200, r#"{"requestId":"abc","status":"Failed","time":1}"#).unwrap_err());
        assert_eq!((e.status, e.request_id.as_deref()), (200, Some("abc")));
        assert!(e.message.as_deref().unwrap().contains("Failed"), "{e}");
        let e = api(open(200, r#"{"requestId":"abc","Status":"Failed"}"#).unwrap_err());
        assert_eq!(e.request_id.as_deref(), Some("abc"));
        // No status at all is not a success either.
        let e = api(open(200, r#"{"data":{}}"#).unwrap_err());
        assert!(e.message.as_deref().unwrap().contains("no status"), "{e}");
        // "Success" on an HTTP error status is not trusted.
        assert_eq!(api(open(500, r#"{"status":"Success"}"#).unwrap_err()).status, 500);
    }

    #[test]
    fn undocumented_error_shapes_are_read_best_effort() {
        let e = api(open(
            400,
            r#"{"requestId":"r","status":"Failed","errcode":10003,"errmsg":"User not exist"}"#,
        )
        .unwrap_err());
        assert_eq!(
            (e.code.as_deref(), e.message.as_deref(), e.request_id.as_deref()),
            (Some("10003"), Some("User not exist"), Some("r"))
        );
        let e = api(open(200, r#"{"status":"Failed","error":{"code":"E42","message":"Nope"}}"#).unwrap_err());
        assert_eq!((e.code.as_deref(), e.message.as_deref()), (Some("E42"), Some("Nope")));
        let e = api(open(200, r#"{"status":"Failed","data":{"errorCode":7,"msg":"bad"}}"#).unwrap_err());
        assert_eq!((e.code.as_deref(), e.message.as_deref()), (Some("7"), Some("bad")));
        assert!(e.details.is_some());
        assert!(e.raw_body.as_deref().unwrap().contains("bad"));
        // JSON that is not an object (no answer of the API's) on an error status: an
        // unexpected response that still carries the status and an excerpt.
        let e = open(500, r#"["boom"]"#).unwrap_err();
        assert!(
            matches!(&e, Error::UnexpectedResponse(u) if u.excerpt.contains("boom")),
            "{e}"
        );
        assert_eq!(e.status(), Some(500));
        // HTML: an unexpected response that still carries the status.
        let e = open(502, "<html>Bad Gateway</html>").unwrap_err();
        assert!(matches!(e, Error::UnexpectedResponse(_)), "{e}");
        assert_eq!(e.status(), Some(502));
    }

    #[test]
    fn a_plain_success_is_read_in_one_pass() {
        let headers = HeaderMap::new();
        let ok = br#"{"data":{"userId":7},"requestId":"r","status":"Success","time":1}"#;
        let r = RawResponse::new(Product::Ycm, StatusCode::OK, &headers, ok, false);
        let (data, meta) = YcmEnvelope::decode::<Value>(&r).unwrap();
        assert_eq!(data, serde_json::json!({"userId": 7}));
        assert_eq!((meta.request_id(), meta.time()), (Some("r"), Some(1)));
        // A write without data reads as `()`.
        let w = br#"{"requestId":"r","status":"Success","time":1}"#;
        let r = RawResponse::new(Product::Ycm, StatusCode::OK, &headers, w, false);
        assert!(YcmEnvelope::decode::<()>(&r).is_some());
        // Everything else goes the tolerant way.
        for body in [
            &br#"{"requestId":"r","status":"Failed"}"#[..],
            br#"{"data":{}}"#,
            br#"{"Status":"Success","time":"1639012740"}"#,
            br#"{"status":"Success","data":{"userId":"x"}}"#,
        ] {
            let r = RawResponse::new(Product::Ycm, StatusCode::OK, &headers, body, false);
            assert!(YcmEnvelope::decode::<Option<std::collections::HashMap<String, u64>>>(&r).is_none());
        }
        let r = RawResponse::new(Product::Ycm, StatusCode::BAD_GATEWAY, &headers, ok, false);
        assert!(YcmEnvelope::decode::<Value>(&r).is_none());
    }

    #[test]
    fn paged_list_is_lenient() {
        let p: PagedList<u32> =
            serde_json::from_str(r#"{"pageSize":"50","pageNumber":2,"total":"51","list":[1],"extra":true}"#).unwrap();
        assert_eq!(
            (p.page_size, p.page_number, p.total, p.list),
            (Some(50), Some(2), Some(51), vec![1])
        );
        let p: PagedList<u32> = serde_json::from_str(r#"{"list":null}"#).unwrap();
        assert!(p.list.is_empty() && p.total.is_none());
    }

    #[test]
    fn pages_are_checked_not_clamped() {
        assert!(check_page(Some(1), Some(50)).is_ok());
        for (page, size, field) in [
            (Some(0), None, "pageNumber"),
            (None, Some(0), "pageSize"),
            (None, Some(51), "pageSize"),
        ] {
            let err = check_page(page, size).unwrap_err();
            assert!(
                matches!(&err, Error::InvalidInput { field: f, .. } if f == field),
                "{err}"
            );
        }
    }
}
