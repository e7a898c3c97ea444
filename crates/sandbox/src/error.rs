//! Failures, and how each product renders them.
//!
//! Handlers, extractors and middleware return an [`ApiErr`] without knowing which product they
//! serve; it travels inside the response (an extension) to the front door
//! ([`crate::middleware::front_door`]), which renders it in the envelope of the product that
//! owns the path, with a fresh request id.

use axum::response::{IntoResponse, Response};
use http::{HeaderName, HeaderValue, Method, StatusCode};
use serde_json::{Value, json};

use crate::Product;
use crate::reply::{Reply, unix_now};

/// What went wrong, independent of the product; each product names it its own way
/// ([`Code::name`] for Partner Portal and Workplace, [`Code::ycm`] for YCM).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Code {
    InvalidParameter,
    UnsupportedMediaType,
    UserAgentRequired,
    InvalidToken,
    TokenExpired,
    InvalidClient,
    InvalidGrant,
    /// An expired refresh token (PP and Workplace say `invalid_grant` as for any bad one).
    ExpiredGrant,
    UnsupportedGrantType,
    IpBlocked,
    TooManyRequests,
    AccessDenied,
    NotFound,
    UserNotFound,
    UserAlreadyExists,
    EmailAlreadyExists,
    GroupNotFound,
    OrderNotFound,
    ProductNotFound,
    RoleNotFound,
    BuildingNotFound,
    FloorNotFound,
    GroupNameAlreadyExists,
    GroupNotEmpty,
    UserAssociatedCloudPbx,
    DataAlreadyExists,
    SystemBusy,
    // Statuses chosen by a fault rule.
    BadRequest,
    RequestTimeout,
    InternalServerError,
    BadGateway,
    ServiceUnavailable,
    GatewayTimeout,
    Injected,
}

impl Code {
    /// The upper-snake symbolic name: Workplace's `errMsg`, and Partner Portal's `code` in
    /// lowercase.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Code::InvalidParameter => "PARAMETER_VALIDATION_FAILED",
            Code::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            Code::UserAgentRequired => "USER_AGENT_REQUIRED",
            Code::InvalidToken => "INVALID_TOKEN",
            Code::TokenExpired => "TOKEN_EXPIRED",
            Code::InvalidClient => "INVALID_CLIENT",
            Code::InvalidGrant | Code::ExpiredGrant => "INVALID_GRANT",
            Code::UnsupportedGrantType => "UNSUPPORTED_GRANT_TYPE",
            Code::IpBlocked => "IP_BLOCKED",
            Code::TooManyRequests => "TOO_MANY_REQUESTS",
            Code::AccessDenied => "ACCESS_DENIED",
            Code::NotFound => "NOT_FOUND",
            Code::UserNotFound => "USER_NOT_FOUND",
            Code::UserAlreadyExists => "USER_ALREADY_EXISTS",
            Code::EmailAlreadyExists => "EMAIL_ALREADY_EXISTS",
            Code::GroupNotFound => "GROUP_NOT_FOUND",
            Code::OrderNotFound => "ORDER_NOT_FOUND",
            Code::ProductNotFound => "PRODUCT_NOT_FOUND",
            Code::RoleNotFound => "ROLE_NOT_FOUND",
            Code::BuildingNotFound => "BUILDING_NOT_FOUND",
            Code::FloorNotFound => "FLOOR_NOT_FOUND",
            Code::GroupNameAlreadyExists => "GROUP_NAME_ALREADY_EXISTS",
            Code::GroupNotEmpty => "GROUP_NOT_EMPTY",
            Code::UserAssociatedCloudPbx => "USER_ASSOCIATED_CLOUD_PBX",
            Code::DataAlreadyExists => "DATA_ALREADY_EXISTS",
            Code::SystemBusy => "SYSTEM_BUSY",
            Code::BadRequest => "BAD_REQUEST",
            Code::RequestTimeout => "REQUEST_TIMEOUT",
            Code::InternalServerError => "INTERNAL_SERVER_ERROR",
            Code::BadGateway => "BAD_GATEWAY",
            Code::ServiceUnavailable => "SERVICE_UNAVAILABLE",
            Code::GatewayTimeout => "GATEWAY_TIMEOUT",
            Code::Injected => "ERROR",
        }
    }

    /// YCM's numeric `errcode`, from YCM's documented error-code table (API guide, "Error
    /// Code"): 1000001 SERVER_ERROR, 1000002 AUTHENTICATION_FAILED, 1000004 INVALID_PARAMETER,
    /// 1000005 DATA_NOT_FOUND, 1000007 DATA_ALREADY_EXISTS, 1000015 USER_NOT_FOUND, 1000019 EMAIL_ADDRESS_ALREADY_EXISTS,
    /// 1000033 INVALID_CLIENT, 1000035 TOKEN_EXPIRED, 1000036 INVALID_TOKEN, 1000040
    /// RATE_LIMIT_EXCEEDED, 1000042 ACCESS_DENIED, 3000014 USER_ASSOCIATED_CLOUD_PBX.
    pub(crate) fn ycm(self) -> i64 {
        match self {
            // A refresh token is a token too: expired or unknown, like an access token.
            Code::TokenExpired | Code::ExpiredGrant => 1_000_035,
            Code::InvalidToken | Code::InvalidGrant => 1_000_036,
            Code::InvalidClient => 1_000_033,
            // The IP lockout ("API Authentication Blocked Out").
            Code::IpBlocked => 1_000_002,
            Code::TooManyRequests => 1_000_040,
            Code::UserNotFound => 1_000_015,
            Code::EmailAlreadyExists | Code::UserAlreadyExists => 1_000_019,
            Code::UserAssociatedCloudPbx => 3_000_014,
            Code::DataAlreadyExists => 1_000_007,
            Code::AccessDenied => 1_000_042,
            Code::NotFound
            | Code::GroupNotFound
            | Code::OrderNotFound
            | Code::ProductNotFound
            | Code::RoleNotFound
            | Code::BuildingNotFound
            | Code::FloorNotFound => 1_000_005,
            Code::InvalidParameter
            | Code::UnsupportedMediaType
            | Code::UserAgentRequired
            | Code::UnsupportedGrantType
            | Code::BadRequest
            | Code::GroupNameAlreadyExists
            | Code::GroupNotEmpty => 1_000_004,
            Code::RequestTimeout
            | Code::InternalServerError
            | Code::BadGateway
            | Code::ServiceUnavailable
            | Code::GatewayTimeout
            | Code::SystemBusy
            | Code::Injected => 1_000_001,
        }
    }

    /// Partner Portal's `code`: the name in lowercase. PP has no public code for an expired
    /// token; Spring's `invalid_token` serves for both.
    fn pp(self) -> String {
        match self {
            Code::TokenExpired => "invalid_token".to_owned(),
            other => other.name().to_ascii_lowercase(),
        }
    }
}

/// A failure, rendered later in the envelope of the product that was called.
#[derive(Debug, Clone)]
pub(crate) struct ApiErr {
    pub(crate) status: u16,
    pub(crate) code: Code,
    pub(crate) message: String,
    /// PP's `result: {field, tag}`.
    pub(crate) field: Option<(String, String)>,
    /// Extra response headers (e.g. `Retry-After`).
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiErr {
    pub(crate) fn new(status: u16, code: Code, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
            headers: Vec::new(),
        }
    }

    /// A validation failure of `field` (PP `tag`: required, email, oneof, …).
    pub(crate) fn invalid(field: &str, tag: &str, message: impl Into<String>) -> Self {
        Self {
            field: Some((field.to_owned(), tag.to_owned())),
            ..Self::new(400, Code::InvalidParameter, message)
        }
    }

    pub(crate) fn required(field: &str) -> Self {
        Self::invalid(field, "required", format!("{field} is required"))
    }

    /// HTTP 415: the body is not of the `Content-Type` the docs require.
    pub(crate) fn unsupported_media_type(expected: &str) -> Self {
        Self::new(
            415,
            Code::UnsupportedMediaType,
            format!("Content-Type must be {expected}"),
        )
    }

    /// No endpoint at this path.
    pub(crate) fn no_endpoint(path: &str) -> Self {
        Self::new(404, Code::NotFound, format!("No endpoint {path}"))
    }

    /// A known path called with the wrong method (Workplace's documented example: HTTP 405,
    /// `ACCESS_DENIED`).
    pub(crate) fn method_not_allowed(method: &Method) -> Self {
        Self::new(
            405,
            Code::AccessDenied,
            format!("Request method '{method}' not supported"),
        )
    }

    /// The error for an HTTP status chosen by a fault rule.
    pub(crate) fn for_status(status: u16) -> Self {
        let (code, msg) = match status {
            400 => (Code::BadRequest, "Bad request"),
            401 => (Code::InvalidToken, "Invalid access token"),
            403 => (Code::AccessDenied, "Access denied"),
            404 => (Code::NotFound, "Not found"),
            408 => (Code::RequestTimeout, "Request timeout"),
            429 => (Code::TooManyRequests, "Too many requests"),
            500 => (Code::InternalServerError, "Internal server error"),
            502 => (Code::BadGateway, "Bad gateway"),
            503 => (Code::ServiceUnavailable, "Service unavailable"),
            504 => (Code::GatewayTimeout, "Gateway timeout"),
            _ => (Code::Injected, "Injected error"),
        };
        Self::new(status, code, msg)
    }

    pub(crate) fn with_header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.headers.push((name, v));
        }
        self
    }

    /// The body in the envelope of `product` (`None`: a path of no product).
    pub(crate) fn body(&self, product: Option<Product>, request_id: String) -> Value {
        match product {
            Some(Product::PartnerPortal) => json!({
                "code": self.code.pp(),
                "detailMessage": self.message,
                "requestId": request_id,
                "result": self.field.as_ref().map(|(f, t)| json!({"field": f, "tag": t})),
                "status": self.status,
            }),
            Some(Product::Ycm) => json!({
                "requestId": request_id,
                "status": "Failed",
                "time": unix_now(),
                "errcode": self.code.ycm(),
                "errmsg": self.message,
            }),
            Some(Product::Workplace) => json!({
                "status": "Failed",
                "requestId": request_id,
                "errMsg": self.code.name(),
                "detailMsg": self.message,
            }),
            None => json!({"error": self.code.name(), "message": self.message}),
        }
    }

    /// The finished response in the envelope of `product`.
    pub(crate) fn render(self, product: Option<Product>, request_id: String) -> Response {
        let body = self.body(product, request_id);
        let mut reply = Reply::json(self.status, body);
        reply.headers = self.headers;
        reply.into_response()
    }
}

/// The body of a hostile error that puts `text` in every field the SDKs read (see
/// [`Fault::EchoSecret`](crate::Fault::EchoSecret)).
pub(crate) fn echo_body(product: Option<Product>, status: u16, text: &str, request_id: String) -> Value {
    match product {
        Some(Product::PartnerPortal) => json!({
            "code": text,
            "detailMessage": text,
            "requestId": request_id,
            "result": {"message": text},
            "status": status,
        }),
        Some(Product::Ycm) => json!({
            "requestId": request_id,
            "status": "Failed",
            "time": unix_now(),
            "errcode": text,
            "errmsg": text,
            "data": {"errmsg": text},
        }),
        Some(Product::Workplace) => json!({
            "status": "Failed",
            "requestId": request_id,
            "errMsg": text,
            "detailMsg": text,
        }),
        None => json!({"error": text, "message": text}),
    }
}

/// An [`ApiErr`] waiting in a response for the front door to render it.
#[derive(Debug, Clone)]
pub(crate) struct Unrendered(pub(crate) ApiErr);

impl IntoResponse for ApiErr {
    fn into_response(self) -> Response {
        let mut resp = StatusCode::from_u16(self.status)
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            .into_response();
        resp.extensions_mut().insert(Unrendered(self));
        resp
    }
}
