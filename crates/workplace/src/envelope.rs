//! The Workplace response envelope `{data, status, requestId}`, and Workplace's paged lists.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use yeastar_transport::lenient::{opt_any_text, opt_u64};
use yeastar_transport::reexports::RawValue;
use yeastar_transport::{ApiError, Envelope, Error, Meta, Page, Payload, RawResponse, Result, data_or_null};

/// The envelope of every Workplace endpoint except the token endpoints.
///
/// - Success: HTTP 200 with `{"data": …, "status": "Success", "requestId": "…"}` (no `time`).
/// - Error: HTTP 4xx or 5xx with `{"status": "Failed", "requestId", "errMsg", "detailMsg"}`,
///   read into an [`ApiError`] with `code` = `errMsg`, `message` = `detailMsg`, the request id
///   and the HTTP status. A `"status": "Failed"` answered with HTTP 200 is an error too.
/// - A body that is not JSON (a proxy's HTML page, an empty body) is
///   [`Error::UnexpectedResponse`]; an error body of another JSON shape is read best-effort.
///
/// What the `errMsg` codes mean (a rejected token, not found, …) is data: see
/// [`ERROR_CODES`](crate::ERROR_CODES).
#[derive(Debug, Clone, Copy)]
pub struct WorkplaceEnvelope;

/// The success shape, read with its data in one pass.
#[derive(Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
struct Fast<'a, T> {
    #[serde(default)]
    data: Option<T>,
    #[serde(borrow, default)]
    status: Option<&'a str>,
    #[serde(borrow, default, rename = "requestId")]
    request_id: Option<&'a str>,
}

/// Any shape, read tolerantly.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw<'a> {
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
    #[serde(default)]
    status: Option<String>,
    // Text of any JSON type: an answer is never refused over its request id or messages.
    #[serde(default, deserialize_with = "opt_any_text")]
    request_id: Option<String>,
    #[serde(default, deserialize_with = "opt_any_text")]
    err_msg: Option<String>,
    #[serde(default, deserialize_with = "opt_any_text")]
    detail_msg: Option<String>,
}

impl Raw<'_> {
    fn failed(&self) -> bool {
        // Anything but "Success" in `status` is a failure; a missing `status` is not.
        self.status
            .as_deref()
            .is_some_and(|s| !s.eq_ignore_ascii_case("success"))
    }

    fn api_error(self, r: &RawResponse<'_>) -> ApiError {
        let mut e = r.api_error();
        if let Some(code) = self.err_msg {
            e = e.with_code(code);
        }
        if let Some(message) = self.detail_msg {
            e = e.with_message(message);
        }
        if let Some(id) = self.request_id {
            e = e.with_request_id(id);
        }
        e
    }
}

impl Envelope for WorkplaceEnvelope {
    fn decode<'a, T: DeserializeOwned>(r: &RawResponse<'a>) -> Option<(T, Meta<'a>)> {
        if !r.status().is_success() {
            return None;
        }
        let env: Fast<'a, T> = r.parse_fast()?;
        if !env.status?.eq_ignore_ascii_case("success") {
            return None;
        }
        let data = data_or_null(env.data)?;
        let meta = Meta::new(*r, "data").with_request_id(env.request_id.map(Cow::Borrowed));
        Some((data, meta))
    }

    fn open<'a>(r: &RawResponse<'a>) -> Result<Payload<'a>> {
        let parsed = r.parse::<Raw<'a>>();
        if !r.status().is_success() {
            return Err(match parsed {
                Ok(env) if env.err_msg.is_some() || env.detail_msg.is_some() || env.failed() => env.api_error(r).into(),
                // JSON, but not the documented error shape (a gateway's own error body).
                Ok(_) | Err(Error::Decode(_)) => r.undocumented_error().into(),
                Err(e) => e,
            });
        }
        let env = parsed?;
        // Without a status, an errMsg and no data can only be an error.
        if env.failed() || (env.status.is_none() && env.err_msg.is_some() && env.data.is_none()) {
            return Err(env.api_error(r).into());
        }
        Ok(Payload::new(*r, env.data, "data").with_request_id(env.request_id))
    }
}

/// The largest page the SDK asks for: none. Workplace documents neither a default nor a
/// maximum page size, so the SDK sets no cap of its own; a server that serves fewer items
/// than asked is still read to the total it reports.
pub const MAX_PAGE_SIZE: u32 = u32::MAX;

/// The page size a listing uses when the caller sets none (Workplace documents no default;
/// this is the SDK's choice).
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// Checks `pageNo`/`pageSize` before sending (the transport's one rule for pages).
pub(crate) fn check_page(page_no: Option<u32>, page_size: Option<u32>) -> Result<()> {
    yeastar_transport::check_page("pageNo", page_no, "pageSize", page_size, MAX_PAGE_SIZE)
}

/// One page of a Workplace listing: `data: {pageNo, pageSize, total, list}`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: Deserialize<'de>"))]
pub struct PagedList<T> {
    /// The page number returned (`pageNo`, 1-based).
    #[serde(default, deserialize_with = "opt_u64")]
    pub page_no: Option<u64>,
    /// The page size the server applied (`pageSize`).
    #[serde(default, deserialize_with = "opt_u64")]
    pub page_size: Option<u64>,
    /// The number of items in the whole listing (`total`).
    #[serde(default, deserialize_with = "opt_u64")]
    pub total: Option<u64>,
    /// The items of this page (`list`; absent or `null` reads as empty).
    #[serde(default = "Vec::new", deserialize_with = "yeastar_transport::lenient::vec_or_null")]
    pub list: Vec<T>,
}

impl<T> From<PagedList<T>> for Page<T> {
    fn from(p: PagedList<T>) -> Self {
        Page::new(p.list).with_page_no(p.page_no).with_total(p.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};
    use yeastar_transport::Product;
    use yeastar_transport::reexports::{HeaderMap, StatusCode};

    fn open(status: u16, body: &str) -> Result<Option<String>> {
        let headers = HeaderMap::new();
        let r = RawResponse::new(
            Product::Workplace,
            StatusCode::from_u16(status).unwrap(),
            &headers,
            body.as_bytes(),
            false,
        );
        WorkplaceEnvelope::open(&r).map(|p| p.request_id().map(str::to_owned))
    }

    #[test]
    fn success_gives_the_request_id() {
        let id = open(200, r#"{"data":{"memberId":1},"status":"Success","requestId":"abc"}"#).unwrap();
        assert_eq!(id.as_deref(), Some("abc"));
    }

    #[test]
    fn documented_error_is_read() {
        let body = r#"{"status":"Failed","requestId":"r1","errMsg":"ACCESS_DENIED","detailMsg":"Request method 'PUT' not supported"}"#;
        let err = open(405, body).unwrap_err();
        let api = err.api_error().unwrap();
        assert_eq!(api.status, 405);
        assert_eq!(api.code.as_deref(), Some("ACCESS_DENIED"));
        assert_eq!(api.message.as_deref(), Some("Request method 'PUT' not supported"));
        assert_eq!(api.request_id.as_deref(), Some("r1"));
    }

    #[test]
    fn failed_on_http_200_is_an_error() {
        let err = open(
            200,
            r#"{"status":"Failed","requestId":"r2","errMsg":"PARAM_ERROR","detailMsg":"x"}"#,
        )
        .unwrap_err();
        let api = err.api_error().unwrap();
        assert_eq!((api.status, api.code.as_deref()), (200, Some("PARAM_ERROR")));
    }

    #[test]
    fn other_shapes() {
        let err = open(502, "<html>bad gateway</html>").unwrap_err();
        assert!(matches!(err, Error::UnexpectedResponse(_)), "{err}");
        let err = open(500, r#"{"status":500,"error":"Internal Server Error"}"#).unwrap_err();
        assert_eq!(err.api_error().unwrap().status, 500);
        let err = open(200, "").unwrap_err();
        assert!(matches!(err, Error::UnexpectedResponse(_)), "{err}");
    }

    #[test]
    fn a_plain_success_is_read_in_one_pass() {
        let headers = HeaderMap::new();
        let ok = br#"{"data":{"memberId":7},"status":"Success","requestId":"r"}"#;
        let r = RawResponse::new(Product::Workplace, StatusCode::OK, &headers, ok, false);
        let (data, meta) = WorkplaceEnvelope::decode::<Value>(&r).unwrap();
        assert_eq!(data, json!({"memberId": 7}));
        assert_eq!((meta.request_id(), meta.time()), (Some("r"), None));
        // Everything else goes the tolerant way.
        for body in [
            &br#"{"status":"Failed","requestId":"r","errMsg":"X"}"#[..],
            br#"{"data":{"memberId":7}}"#,
            br#"{"status":"Success","data":{"memberId":"x"}}"#,
        ] {
            let r = RawResponse::new(Product::Workplace, StatusCode::OK, &headers, body, false);
            assert!(WorkplaceEnvelope::decode::<Option<std::collections::HashMap<String, u64>>>(&r).is_none());
        }
        let r = RawResponse::new(Product::Workplace, StatusCode::BAD_GATEWAY, &headers, ok, false);
        assert!(WorkplaceEnvelope::decode::<Value>(&r).is_none());
    }

    #[test]
    fn paged_list_is_lenient() {
        let p: PagedList<u32> =
            serde_json::from_value(json!({"pageSize": "2", "pageNo": 2, "total": "5", "list": [3], "x": 1})).unwrap();
        assert_eq!(
            (p.page_size, p.page_no, p.total, p.list),
            (Some(2), Some(2), Some(5), vec![3])
        );
        let p: PagedList<u32> = serde_json::from_value(json!({"list": null})).unwrap();
        assert!(p.list.is_empty() && p.total.is_none());
    }

    #[test]
    fn pages_are_checked_not_clamped() {
        assert!(check_page(Some(1), Some(u32::MAX)).is_ok());
        for (page, size, field) in [(Some(0), None, "pageNo"), (None, Some(0), "pageSize")] {
            let err = check_page(page, size).unwrap_err();
            assert!(
                matches!(&err, Error::InvalidInput { field: f, .. } if f == field),
                "{err}"
            );
        }
    }
}
