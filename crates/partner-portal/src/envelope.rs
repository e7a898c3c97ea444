//! The Partner Portal response envelope `{code, detailMessage, requestId, result, status}`, its
//! paged lists and its unpaged lists.

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use yeastar_transport::lenient::{opt_any_text, opt_u64};
use yeastar_transport::reexports::RawValue;
use yeastar_transport::{Envelope, Meta, Page, Payload, RawResponse, Result, data_or_null};

/// The Partner Portal envelope.
///
/// Every Partner Portal answer, the token endpoint included, has the shape
///
/// ```json
/// {"code": "success", "detailMessage": "", "requestId": "8d58…", "result": {…}, "status": 200}
/// ```
///
/// A response is a success exactly when `code` is `success` (compared case-insensitively),
/// whatever the HTTP status. Anything else becomes an [`ApiError`](yeastar_transport::ApiError) with
///
/// - `code`: the `code` string verbatim (for example `parameter_validation_failed`),
/// - `message`: `detailMessage`,
/// - `request_id`: `requestId`,
/// - `status`: the HTTP status of the response (not the body's `status`),
/// - `details`: `result` when it is an object or an array (Partner Portal puts the failing
///   field name and validation tag there).
///
/// A JSON body without a `code` (a gateway's own error page, say) is read best-effort; a body
/// that is not JSON at all gives [`Error::UnexpectedResponse`](yeastar_transport::Error::UnexpectedResponse).
/// What the codes mean (a rejected token, not found, …) is data: see
/// [`ERROR_CODES`](crate::ERROR_CODES).
#[derive(Debug, Clone, Copy)]
pub struct PpEnvelope;

/// The success shape, read with its result in one pass.
#[derive(Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
struct Fast<'a, T> {
    #[serde(borrow, default)]
    code: Option<&'a str>,
    #[serde(borrow, default, rename = "requestId")]
    request_id: Option<&'a str>,
    #[serde(default)]
    result: Option<T>,
}

/// Any shape, read tolerantly. `code` is borrowed when it can be.
#[derive(Deserialize)]
struct Wire<'a> {
    #[serde(default, borrow)]
    code: Option<Cow<'a, str>>,
    // Text of any JSON type: a success is never refused over its message or request id.
    #[serde(default, rename = "detailMessage", deserialize_with = "opt_any_text")]
    detail_message: Option<String>,
    #[serde(default, rename = "requestId", deserialize_with = "opt_any_text")]
    request_id: Option<String>,
    #[serde(default, borrow)]
    result: Option<&'a RawValue>,
}

fn is_success(code: &str) -> bool {
    // The documented spelling first: trimming and folding case cost ~100 instructions a call.
    code == "success" || code.trim().eq_ignore_ascii_case("success")
}

impl Envelope for PpEnvelope {
    fn decode<'a, T: DeserializeOwned>(r: &RawResponse<'a>) -> Option<(T, Meta<'a>)> {
        if !r.status().is_success() {
            return None;
        }
        let env: Fast<'a, T> = r.parse_fast()?;
        if !is_success(env.code?) {
            return None;
        }
        let data = data_or_null(env.result)?;
        let meta = Meta::new(*r, "result").with_request_id(env.request_id.map(Cow::Borrowed));
        Some((data, meta))
    }

    fn open<'a>(response: &RawResponse<'a>) -> Result<Payload<'a>> {
        let wire: Wire<'a> = response.parse()?;
        let Some(code) = wire.code else {
            // Not the Partner Portal envelope (a proxy or gateway answered): best effort.
            return Err(response.undocumented_error().into());
        };
        if is_success(&code) {
            return Ok(Payload::new(*response, wire.result, "result").with_request_id(wire.request_id));
        }
        let mut err = response
            .api_error()
            .with_code(code.into_owned())
            .with_message(wire.detail_message.unwrap_or_default())
            .with_request_id(wire.request_id.unwrap_or_default());
        // `result` is only details when it is structured; a bare `false` or `""` says nothing.
        // Token endpoints never copy their body into an error.
        if !response.is_sensitive()
            && let Some(raw) = wire.result
            && let Ok(details) = serde_json::from_str::<Value>(raw.get())
            && (details.is_object() || details.is_array())
        {
            err = err.with_details(details);
        }
        Err(err.into())
    }
}

/// The largest page the SDK asks for: none. Partner Portal documents no maximum page size
/// (only the default, [`DEFAULT_PAGE_SIZE`]), so the SDK sets no cap of its own; a server that
/// serves fewer items than asked is still read to the total it reports.
pub const MAX_PAGE_SIZE: u32 = u32::MAX;

/// The page size a listing uses when the caller sets none: Partner Portal's documented
/// default (25).
pub const DEFAULT_PAGE_SIZE: u32 = 25;

/// Checks `pageNo`/`pageSize` before sending (the transport's one rule for pages).
pub(crate) fn check_page(page_no: Option<u32>, page_size: Option<u32>) -> Result<()> {
    yeastar_transport::check_page("pageNo", page_no, "pageSize", page_size, MAX_PAGE_SIZE)
}

/// One page of a Partner Portal listing: `result: {count, pageNo, pageSize, results, total,
/// totalPage}`. A `result` that is `null` or absent reads as an empty page.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: Deserialize<'de>"))]
pub struct PagedList<T> {
    /// `count`: the number of matching items (in the docs' example equal to `total`).
    #[serde(default, deserialize_with = "opt_u64")]
    pub count: Option<u64>,
    /// `pageNo`: this page's number (1-based).
    #[serde(default, deserialize_with = "opt_u64")]
    pub page_no: Option<u64>,
    /// `pageSize`: the page size the server applied.
    #[serde(default, deserialize_with = "opt_u64")]
    pub page_size: Option<u64>,
    /// `results`: the items of this page (absent or `null` reads as empty).
    #[serde(default = "Vec::new", deserialize_with = "yeastar_transport::lenient::vec_or_null")]
    pub results: Vec<T>,
    /// `total`: the number of matching items.
    #[serde(default, deserialize_with = "opt_u64")]
    pub total: Option<u64>,
    /// `totalPage`: the number of pages.
    #[serde(default, deserialize_with = "opt_u64")]
    pub total_page: Option<u64>,
}

impl<T> Default for PagedList<T> {
    fn default() -> Self {
        Self {
            count: None,
            page_no: None,
            page_size: None,
            results: Vec::new(),
            total: None,
            total_page: None,
        }
    }
}

impl<T> From<PagedList<T>> for Page<T> {
    fn from(p: PagedList<T>) -> Self {
        Page::new(p.results)
            .with_page_no(p.page_no)
            .with_total(p.total.or(p.count))
            .with_total_pages(p.total_page)
    }
}

/// The `result` of an unpaged list (`partner_list`, `billing_contact_list`), whose shape the
/// docs leave open ("Object<User_Info>", no example). Read tolerantly:
///
/// - an array: the items;
/// - `null`, absent, `{}`, or an object holding only counts (`total`, `count`, `pageNo`,
///   `pageSize`, `totalPage`): no items, never one blank item;
/// - an object wrapping the items under `results`, `list`, `records` or `data` (an array, or
///   `null` for none);
/// - any other object: a single item.
///
/// An item that fails to decode names its index.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq)]
pub struct ItemList<T>(pub(crate) Vec<T>);

const WRAPPER_KEYS: [&str; 4] = ["results", "list", "records", "data"];
const COUNT_KEYS: [&str; 5] = ["total", "count", "pageNo", "pageSize", "totalPage"];

impl<'de, T: DeserializeOwned> Deserialize<'de> for ItemList<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let items = match Option::<Value>::deserialize(d)?.unwrap_or(Value::Null) {
            Value::Null => Vec::new(),
            Value::Array(items) => items,
            Value::Object(mut map) => match WRAPPER_KEYS.iter().find(|k| map.contains_key(**k)) {
                Some(key) => match map.remove(*key).unwrap_or_default() {
                    Value::Null => Vec::new(),
                    Value::Array(items) => items,
                    other => {
                        return Err(D::Error::custom(format!(
                            "expected a list under `{key}`, found {other}"
                        )));
                    }
                },
                None if map.keys().all(|k| COUNT_KEYS.contains(&k.as_str())) => Vec::new(),
                None => vec![Value::Object(map)],
            },
            other => return Err(D::Error::custom(format!("expected a list, found {other}"))),
        };
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| serde_json::from_value(item).map_err(|e| D::Error::custom(format!("item [{i}]: {e}"))))
            .collect::<std::result::Result<Vec<T>, D::Error>>()
            .map(ItemList)
    }
}

impl<T> From<ItemList<T>> for Page<T> {
    /// The whole list as one page that reports its own total, so that no second page is asked for.
    fn from(list: ItemList<T>) -> Self {
        let total = list.0.len() as u64;
        Page::new(list.0).with_total(Some(total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use yeastar_transport::reexports::{HeaderMap, StatusCode};
    use yeastar_transport::{Error, Product};

    fn open(status: u16, body: &str) -> Result<Option<Value>> {
        let headers = HeaderMap::new();
        let raw = RawResponse::new(
            Product::PartnerPortal,
            StatusCode::from_u16(status).unwrap(),
            &headers,
            body.as_bytes(),
            false,
        );
        PpEnvelope::open(&raw).and_then(|p| p.json())
    }

    #[test]
    fn success_is_code_success_in_any_case() {
        let v = open(
            200,
            r#"{"code":"SUCCESS","detailMessage":"","requestId":"r1","result":true,"status":200}"#,
        );
        assert_eq!(v.unwrap(), Some(json!(true)));
        assert_eq!(open(200, r#"{"code":"success"}"#).unwrap(), None);
        assert_eq!(open(200, r#"{"code":" Success\n"}"#).unwrap(), None);
    }

    #[test]
    fn other_codes_are_api_errors_even_with_http_200() {
        let err = open(
            200,
            r#"{"code":"user_not_found","detailMessage":"no such user","requestId":"r2","result":false,"status":404}"#,
        )
        .unwrap_err();
        let api = err.api_error().expect("api error");
        assert_eq!(api.code.as_deref(), Some("user_not_found"));
        assert_eq!(api.message.as_deref(), Some("no such user"));
        assert_eq!(api.request_id.as_deref(), Some("r2"));
        assert_eq!(api.status, 200);
        assert_eq!(api.details, None, "a bare boolean result is not a detail");
    }

    #[test]
    fn missing_code_is_read_best_effort() {
        let err = open(502, r#"{"error":"Bad Gateway","message":"upstream down"}"#).unwrap_err();
        let api = err.api_error().expect("api error");
        assert_eq!(api.status, 502);
        assert_eq!(api.message.as_deref(), Some("upstream down"));
        assert!(matches!(
            open(502, "<html>bad gateway</html>"),
            Err(Error::UnexpectedResponse(_))
        ));
    }

    #[test]
    fn a_plain_success_is_read_in_one_pass() {
        let headers = HeaderMap::new();
        let ok = br#"{"code":"success","detailMessage":"","requestId":"r","result":{"n":7},"status":200}"#;
        let r = RawResponse::new(Product::PartnerPortal, StatusCode::OK, &headers, ok, false);
        let (data, meta) = PpEnvelope::decode::<Value>(&r).unwrap();
        assert_eq!(data, json!({"n": 7}));
        assert_eq!(meta.request_id(), Some("r"));
        // No result reads as `()` or `None`.
        let w = br#"{"code":"success","requestId":"r"}"#;
        let r = RawResponse::new(Product::PartnerPortal, StatusCode::OK, &headers, w, false);
        assert!(PpEnvelope::decode::<()>(&r).is_some());
        // Everything else goes the tolerant way.
        for body in [
            &br#"{"code":"parameter_validation_failed","result":null}"#[..],
            br#"{"result":{"n":7}}"#,
            br#"{"code":"success","result":{"n":"x"}}"#,
        ] {
            let r = RawResponse::new(Product::PartnerPortal, StatusCode::OK, &headers, body, false);
            assert!(PpEnvelope::decode::<Option<std::collections::HashMap<String, u64>>>(&r).is_none());
        }
        let r = RawResponse::new(Product::PartnerPortal, StatusCode::BAD_GATEWAY, &headers, ok, false);
        assert!(PpEnvelope::decode::<Value>(&r).is_none());
    }

    #[test]
    fn unpaged_lists_come_in_several_shapes_and_empty_means_empty() {
        let list = |v: Value| serde_json::from_value::<ItemList<Value>>(v).map(|l| l.0);
        assert_eq!(list(json!([1, 2])).unwrap(), [json!(1), json!(2)]);
        assert_eq!(list(json!({"a": 1})).unwrap(), [json!({"a": 1})]);
        assert_eq!(list(json!({"results": [1], "total": 1})).unwrap(), [json!(1)]);
        for empty in [
            json!(null),
            json!({}),
            json!({"total": 0, "list": null}),
            json!({"total": 0}),
            json!({"results": []}),
        ] {
            assert_eq!(list(empty.clone()).unwrap(), Vec::<Value>::new(), "{empty}");
        }
        assert!(list(json!("x")).is_err());
        assert!(list(json!({"list": 3})).is_err());
        let err = serde_json::from_value::<ItemList<u32>>(json!([1, "x"])).unwrap_err();
        assert!(err.to_string().contains("item [1]"), "{err}");
    }

    #[test]
    fn paged_list_is_lenient() {
        let p: PagedList<u32> = serde_json::from_value(
            json!({"count": "7", "pageNo": 2, "pageSize": 3, "results": [4], "total": 7, "totalPage": "3"}),
        )
        .unwrap();
        assert_eq!(
            (p.count, p.page_no, p.page_size, p.total, p.total_page, p.results),
            (Some(7), Some(2), Some(3), Some(7), Some(3), vec![4])
        );
        let p: PagedList<u32> = serde_json::from_value(json!({"results": null})).unwrap();
        assert_eq!(p, PagedList::default());
        let page = Page::from(PagedList::<u32> {
            count: Some(5),
            ..PagedList::default()
        });
        assert_eq!(page.total, Some(5), "count stands in for a missing total");
    }

    #[test]
    fn pages_are_checked_not_clamped() {
        assert!(check_page(Some(1), Some(25)).is_ok());
        assert!(check_page(None, Some(u32::MAX)).is_ok());
        for (page, size, field) in [(Some(0), None, "pageNo"), (None, Some(0), "pageSize")] {
            let err = check_page(page, size).unwrap_err();
            assert!(
                matches!(&err, Error::InvalidInput { field: f, .. } if f == field),
                "{err}"
            );
        }
    }
}
