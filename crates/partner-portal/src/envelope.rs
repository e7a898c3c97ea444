//! The Partner Portal response envelope: `{code, detailMessage, requestId, result, status}`.

use std::borrow::Cow;

use serde::Deserialize;
use yeastar_transport::reexports::RawValue;
use yeastar_transport::{ApiError, Envelope, Payload, RawResponse, Result};

/// The Partner Portal envelope.
///
/// Every Partner Portal answer, the token endpoint included, has the shape
///
/// ```json
/// {"code": "success", "detailMessage": "", "requestId": "8d58…", "result": {…}, "status": 200}
/// ```
///
/// A response is a success exactly when `code` is `success` (compared case-insensitively),
/// whatever the HTTP status. Anything else becomes an [`ApiError`] with
///
/// - [`code`](ApiError::code): the `code` string verbatim (for example `parameter_validation_failed`),
/// - [`message`](ApiError::message): `detailMessage`,
/// - [`request_id`](ApiError::request_id): `requestId`,
/// - [`status`](ApiError::status): the HTTP status of the response (not the body's `status`),
/// - [`details`](ApiError::details): `result` when it is an object or an array (Partner Portal puts
///   the failing field name and validation tag there).
///
/// A JSON body without a `code` (a gateway's own error page, say) is read best-effort; a body that
/// is not JSON at all gives [`Error::UnexpectedResponse`](yeastar_transport::Error::UnexpectedResponse).
///
/// # Rejected tokens
///
/// Partner Portal publishes no error-code list, so an expired or invalid access token is
/// recognised by a heuristic (see [`PpEnvelope::is_token_rejected`]): HTTP 401, or a `code` that
/// names a token and says it is expired, invalid, illegal or revoked (`token_expired`,
/// `invalid_token`, `TOKEN_INVALID`, …), or the bare codes `unauthorized` / `unauthorised`.
/// The transport then refreshes the token and replays the call once.
#[derive(Debug, Clone, Copy)]
pub struct PpEnvelope;

// `code` and `detailMessage` are borrowed: a success allocates only the request id.
#[derive(Deserialize)]
struct Wire<'a> {
    #[serde(default, borrow)]
    code: Option<Cow<'a, str>>,
    #[serde(default, borrow, rename = "detailMessage")]
    detail_message: Option<Cow<'a, str>>,
    #[serde(default, rename = "requestId")]
    request_id: Option<String>,
    #[serde(default, borrow)]
    result: Option<&'a RawValue>,
}

impl Envelope for PpEnvelope {
    fn open<'a>(response: &RawResponse<'a>) -> Result<Payload<'a>> {
        let wire: Wire<'a> = response.parse()?;
        let Some(code) = wire.code else {
            // Not the Partner Portal envelope (a proxy or gateway answered): best effort.
            return Err(response.undocumented_error().into());
        };
        if code.trim().eq_ignore_ascii_case("success") {
            return Ok(Payload::new(*response, wire.result, "result").with_request_id(wire.request_id));
        }
        let mut err = response
            .api_error()
            .with_code(code.into_owned())
            .with_message(wire.detail_message.map(Cow::into_owned).unwrap_or_default())
            .with_request_id(wire.request_id.unwrap_or_default());
        // `result` is only details when it is structured; a bare `false` or `""` says nothing.
        // Token endpoints never copy their body into an error.
        if !response.is_sensitive()
            && let Some(raw) = wire.result
            && let Ok(details) = serde_json::from_str::<serde_json::Value>(raw.get())
            && (details.is_object() || details.is_array())
        {
            err = err.with_details(details);
        }
        Err(err.into())
    }

    /// HTTP 401, or a `code` naming an invalid/expired token (heuristic: Partner Portal does not
    /// document its error codes). Examples recognised: `token_expired`, `invalid_token`,
    /// `access_token_invalid`, `TOKEN_ILLEGAL`, `unauthorized`.
    fn is_token_rejected(error: &ApiError) -> bool {
        error.status == 401 || error.code.as_deref().is_some_and(code_rejects_token)
    }
}

/// Whether an error code names an invalid or expired token.
fn code_rejects_token(code: &str) -> bool {
    let c = code.to_ascii_lowercase();
    if c == "unauthorized" || c == "unauthorised" {
        return true;
    }
    // Refresh-token errors only happen on the (unauthenticated) token endpoint, where this
    // check is never made, so they need no special case.
    c.contains("token")
        && ["expire", "invalid", "illegal", "revoked"]
            .iter()
            .any(|w| c.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use yeastar_transport::reexports::{HeaderMap, StatusCode};
    use yeastar_transport::{Error, Product};

    fn open(status: u16, body: &str) -> Result<Option<serde_json::Value>> {
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
        assert_eq!(v.unwrap(), Some(serde_json::json!(true)));
        assert_eq!(open(200, r#"{"code":"success"}"#).unwrap(), None);
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
    fn token_rejection_heuristic() {
        let e = |status: u16, code: &str| ApiError::new(Product::PartnerPortal, status).with_code(code);
        for code in [
            "token_expired",
            "invalid_token",
            "ACCESS_TOKEN_INVALID",
            "token_illegal",
            "unauthorized",
        ] {
            assert!(PpEnvelope::is_token_rejected(&e(200, code)), "{code}");
        }
        for code in [
            "parameter_validation_failed",
            "user_not_found",
            "invalid_parameter",
            "token",
        ] {
            assert!(!PpEnvelope::is_token_rejected(&e(400, code)), "{code}");
        }
        assert!(PpEnvelope::is_token_rejected(&ApiError::new(
            Product::PartnerPortal,
            401
        )));
    }
}
