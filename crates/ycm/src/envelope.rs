//! The YCM response envelope `{data, requestId, status, time}`, and the result of writes.

use std::time::{Duration, SystemTime};

use serde::Deserialize;
use serde_json::Value;
use yeastar_transport::reexports::RawValue;
use yeastar_transport::{ApiError, Envelope, Error, Payload, RawResponse, Result};

/// The envelope of every YCM endpoint except the token endpoint.
///
/// - Success: HTTP 2xx with `status: "Success"` (the key `Status`, as the doc's error table
///   spells it, is accepted too). The data part is `data`; writes that return nothing omit it.
/// - Anything else is an error: `status: "Failed"` (even on HTTP 200), a missing status, or
///   an HTTP error status. The error body beyond `requestId/status/time` is not documented, so
///   it is read best-effort: the usual code keys (`code`, `errcode`, `errCode`, `errorCode`,
///   `error`) and message keys (`message`, `msg`, `errmsg`, `errMsg`, `error_description`, …)
///   are looked up at the top level and inside a nested `data`/`error`/`result` object, and the
///   start of the raw body is kept on the [`ApiError`]. A body that is not JSON (an HTML page
///   from a proxy) gives [`Error::UnexpectedResponse`] with the HTTP status.
#[derive(Debug, Clone, Copy)]
pub struct YcmEnvelope;

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

const CODE_KEYS: &[&str] = &["code", "errcode", "errCode", "errorCode", "error_code", "error"];
const MESSAGE_KEYS: &[&str] = &[
    "message",
    "msg",
    "errmsg",
    "errMsg",
    "errorMessage",
    "error_description",
    "detailMessage",
    "detailMsg",
];

/// Looks for `keys` at the top level of `body`, then inside its `data`, `error` and `result`
/// objects (where other Yeastar APIs and OAuth servers put their error details).
fn pick(body: &Value, keys: &[&str]) -> Option<String> {
    let top = body.as_object()?;
    let nested = ["data", "error", "result"]
        .iter()
        .filter_map(|k| top.get(*k).and_then(Value::as_object));
    std::iter::once(top)
        .chain(nested)
        .find_map(|obj| keys.iter().find_map(|k| obj.get(*k).and_then(scalar_string)))
}

impl Envelope for YcmEnvelope {
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

    /// YCM's error for a bad token is not documented. A token counts as rejected on HTTP 401,
    /// or when the error code or message mentions a token together with "invalid", "expired",
    /// "illegal" or "unauthorized" (as OAuth servers answer, e.g. `invalid_token` /
    /// "Access token expired"). The client then refreshes the token and replays the call once.
    fn is_token_rejected(error: &ApiError) -> bool {
        if error.status == 401 {
            return true;
        }
        let text = format!(
            "{} {}",
            error.code.as_deref().unwrap_or_default(),
            error.message.as_deref().unwrap_or_default()
        )
        .to_ascii_lowercase();
        text.contains("token")
            && ["invalid", "expire", "illegal", "unauthorized", "unauthorised"]
                .iter()
                .any(|w| text.contains(w))
    }
}

fn error_from(
    r: &RawResponse<'_>,
    env: &RawEnvelope<'_>,
    status: Option<String>,
    request_id: Option<String>,
) -> ApiError {
    // Starts from the transport's best-effort reading (which also keeps the raw body), then
    // fills what it could not find from nested objects.
    let mut err = r.undocumented_error();
    let body: Value = serde_json::from_slice(r.body()).unwrap_or(Value::Null);
    if err.code.is_none()
        && let Some(code) = pick(&body, CODE_KEYS)
    {
        err = err.with_code(code);
    }
    if err.message.is_none()
        && let Some(message) = pick(&body, MESSAGE_KEYS).filter(|m| Some(m) != err.code.as_ref())
    {
        err = err.with_message(message);
    }
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

/// The answer of a write that returns no data (update, delete): the request id to quote to
/// Yeastar support and the server time.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WriteResult {
    /// The request id (`requestId`).
    pub request_id: Option<String>,
    /// The server time (`time`), in Unix seconds as sent.
    pub time: Option<i64>,
}

impl WriteResult {
    /// Reads the metadata of an opened envelope.
    pub fn from_payload(payload: &Payload<'_>) -> Self {
        Self {
            request_id: payload.request_id().map(str::to_owned),
            time: payload.time(),
        }
    }

    /// The server time as a timestamp.
    pub fn timestamp(&self) -> Option<SystemTime> {
        self.time.and_then(unix_seconds)
    }
}

/// A Unix timestamp in seconds as a [`SystemTime`].
pub(crate) fn unix_seconds(secs: i64) -> Option<SystemTime> {
    if secs >= 0 {
        SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs.unsigned_abs()))
    } else {
        SystemTime::UNIX_EPOCH.checked_sub(Duration::from_secs(secs.unsigned_abs()))
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
            (p.request_id().map(str::to_owned), p.time(), data)
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
        // JSON of an unexpected shape on an error status.
        let e = api(open(500, r#"["boom"]"#).unwrap_err());
        assert_eq!(e.status, 500);
        // HTML: an unexpected response that still carries the status.
        let e = open(502, "<html>Bad Gateway</html>").unwrap_err();
        assert!(matches!(e, Error::UnexpectedResponse(_)), "{e}");
        assert_eq!(e.status(), Some(502));
    }

    #[test]
    fn token_rejection_heuristic() {
        let base = ApiError::new(Product::Ycm, 200);
        assert!(YcmEnvelope::is_token_rejected(&ApiError::new(Product::Ycm, 401)));
        assert!(YcmEnvelope::is_token_rejected(&base.clone().with_code("invalid_token")));
        assert!(YcmEnvelope::is_token_rejected(
            &base.clone().with_message("Access token expired: eyJ")
        ));
        assert!(YcmEnvelope::is_token_rejected(
            &base.clone().with_message("TOKEN INVALID")
        ));
        assert!(!YcmEnvelope::is_token_rejected(
            &base.clone().with_message("invalid email")
        ));
        assert!(!YcmEnvelope::is_token_rejected(&ApiError::new(Product::Ycm, 403)));
    }

    #[test]
    fn write_result_timestamp() {
        let w = WriteResult {
            request_id: None,
            time: Some(1664437503),
        };
        assert_eq!(
            w.timestamp(),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1664437503))
        );
        assert_eq!(
            WriteResult {
                request_id: None,
                time: None
            }
            .timestamp(),
            None
        );
    }
}
