//! The Workplace response envelope.

use serde::Deserialize;
use yeastar_transport::reexports::RawValue;
use yeastar_transport::{ApiError, Envelope, Error, Payload, RawResponse, Result};

/// The Workplace envelope.
///
/// - Success: HTTP 200 with `{"data": …, "status": "Success", "requestId": "…"}` (no `time`).
/// - Error: HTTP 4xx or 5xx with `{"status": "Failed", "requestId", "errMsg", "detailMsg"}`,
///   read into an [`ApiError`] with `code` = `errMsg`, `message` = `detailMsg`, the request id
///   and the HTTP status. A `"status": "Failed"` answered with HTTP 200 is an error too.
/// - A body that is not JSON (a proxy's HTML page, an empty body) is
///   [`Error::UnexpectedResponse`]; an error body of another JSON shape is read best-effort.
#[derive(Debug, Clone, Copy)]
pub struct WorkplaceEnvelope;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw<'a> {
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    request_id: Option<String>,
    #[serde(default)]
    err_msg: Option<String>,
    #[serde(default)]
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

    /// HTTP 401, or an `errMsg`/`detailMsg` that names the token as invalid or expired.
    ///
    /// Yeastar publishes no Workplace error-code list, so this is a heuristic: the code or
    /// message must mention a token together with "invalid" or "expire" (e.g. `INVALID_TOKEN`,
    /// `TOKEN_EXPIRED`, "access token is invalid"). Such a call is replayed once with a fresh
    /// token; a false positive only costs one extra token request.
    fn is_token_rejected(e: &ApiError) -> bool {
        if e.status == 401 {
            return true;
        }
        [e.code.as_deref(), e.message.as_deref()]
            .into_iter()
            .flatten()
            .any(|s| {
                let s = s.to_ascii_lowercase();
                s.contains("token") && (s.contains("invalid") || s.contains("expire"))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn token_rejection_heuristic() {
        let e = |status: u16, code: &str, msg: &str| {
            ApiError::new(Product::Workplace, status)
                .with_code(code)
                .with_message(msg)
        };
        assert!(WorkplaceEnvelope::is_token_rejected(&e(401, "", "")));
        assert!(WorkplaceEnvelope::is_token_rejected(&e(400, "INVALID_TOKEN", "")));
        assert!(WorkplaceEnvelope::is_token_rejected(&e(
            200,
            "",
            "access token expired"
        )));
        assert!(!WorkplaceEnvelope::is_token_rejected(&e(
            405,
            "ACCESS_DENIED",
            "Request method 'PUT' not supported"
        )));
        assert!(!WorkplaceEnvelope::is_token_rejected(&e(
            400,
            "INVALID_PARAM",
            "email is invalid"
        )));
    }
}
