//! The one error type of the SDK.

use std::fmt;
use std::time::Duration;

use crate::product::Product;

/// Shorthand for `Result<T, yeastar_transport::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a call to a Yeastar API.
///
/// Match on the variant to tell *where* it failed; use [`Error::is_retryable`],
/// [`Error::status`] and [`Error::request_id`] for the common questions. `Display` is meant to be
/// shown to a person: it names the product, the API's own code, its message and the request id
/// to quote to Yeastar support. No variant ever carries a secret or a token.
#[non_exhaustive]
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// The API answered with its own error envelope (or an HTTP error status with a JSON body).
    #[error(transparent)]
    Api(Box<ApiError>),

    /// The server answered with something that is not the API's JSON: an HTML page from a proxy,
    /// an empty body, plain text.
    #[error(transparent)]
    UnexpectedResponse(Box<UnexpectedResponse>),

    /// The response was JSON but did not have the expected shape.
    #[error(transparent)]
    Decode(Box<DecodeError>),

    /// The request could not be sent, or the response could not be read.
    #[error(transparent)]
    Transport(Box<TransportError>),

    /// A per-attempt or total time limit was reached.
    #[error("{product}: {kind} timeout after {after:?}")]
    Timeout {
        /// The product called.
        product: Product,
        /// Which limit was hit.
        kind: TimeoutKind,
        /// The limit itself.
        after: Duration,
    },

    /// Getting or using an access token failed for good: the credentials or the token were refused.
    #[error(transparent)]
    Auth(Box<AuthError>),

    /// The client was configured wrongly (bad base URL, zero timeout, …). Raised by `build()`.
    #[error("invalid configuration: {0}")]
    Config(String),

    /// A request value was rejected before anything was sent.
    #[error("invalid input: {field}: {message}")]
    InvalidInput {
        /// The field (in the API's own spelling) that is wrong.
        field: String,
        /// Why.
        message: String,
    },

    /// The request was sent and its answer was lost (a timeout or a broken connection after
    /// sending, a 5xx from a proxy, an unreadable success): it may or may not have taken
    /// effect. Sending a create again could duplicate it, so the transport never does; look
    /// the record up before trying again. See [`Error::outcome_unknown`].
    #[error("{source}; the request may have taken effect: check before sending it again")]
    OutcomeUnknown {
        /// The product called.
        product: Product,
        /// What happened to the last attempt.
        source: Box<Error>,
    },

    /// A retryable failure happened on every attempt allowed (the last error is retryable).
    #[error("{product}: gave up after {attempts} attempts; last error: {last}")]
    RetriesExhausted {
        /// The product called.
        product: Product,
        /// How many attempts were made.
        attempts: u32,
        /// The error of the last attempt.
        last: Box<Error>,
    },

    /// A paged listing misbehaved (for example a server that never reports a last page).
    #[error("{product}: paging stopped: {message}")]
    Paging {
        /// The product called.
        product: Product,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// An [`Error::InvalidInput`] for `field`.
    pub fn invalid_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Whether the failure is transient by nature: HTTP 408, 429 and 5xx, connection failures,
    /// per-attempt timeouts. The transport already retried such errors as far as it was safe;
    /// this tells a caller whether trying the whole operation again later makes sense.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => is_retryable_status(e.status) || e.kind == ApiErrorKind::RateLimited,
            Error::UnexpectedResponse(e) => is_retryable_status(e.status),
            Error::Transport(e) => e.kind != TransportErrorKind::BodyTooLarge && e.kind != TransportErrorKind::Tls,
            Error::Timeout { kind, .. } => *kind == TimeoutKind::Attempt,
            Error::RetriesExhausted { last, .. } => last.is_retryable(),
            Error::OutcomeUnknown { .. }
            | Error::Decode(_)
            | Error::Auth(_)
            | Error::Config(_)
            | Error::InvalidInput { .. }
            | Error::Paging { .. } => false,
        }
    }

    /// The HTTP status of the response that caused the error, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedResponse(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Auth(e) => e.api.as_ref().map(|a| a.status),
            Error::RetriesExhausted { last, .. } | Error::OutcomeUnknown { source: last, .. } => last.status(),
            _ => None,
        }
    }

    /// The request id Yeastar gave the failed request (quote it to Yeastar support).
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            Error::Auth(e) => e.api.as_ref().and_then(|a| a.request_id.as_deref()),
            Error::RetriesExhausted { last, .. } | Error::OutcomeUnknown { source: last, .. } => last.request_id(),
            _ => None,
        }
    }

    /// The API error, if the API answered with one (also looks inside [`Error::Auth`] and
    /// [`Error::RetriesExhausted`]).
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            Error::Auth(e) => e.api.as_ref(),
            Error::RetriesExhausted { last, .. } | Error::OutcomeUnknown { source: last, .. } => last.api_error(),
            _ => None,
        }
    }

    /// Whether the request was sent and may have taken effect although no answer says so
    /// ([`Error::OutcomeUnknown`]): a create must be looked up before it is sent again.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Error::OutcomeUnknown { .. })
    }

    /// Whether the API said the record does not exist (HTTP 404 or the product's not-found code).
    pub fn is_not_found(&self) -> bool {
        self.api_error().is_some_and(ApiError::is_not_found)
    }

    /// Whether the API refused the call for its rate limit (HTTP 429 or the product's code).
    pub fn is_rate_limited(&self) -> bool {
        self.api_error().is_some_and(ApiError::is_rate_limited)
    }

    /// Replaces every known secret in the server-chosen strings of this error.
    pub(crate) fn scrub(&mut self, scrubber: &crate::scrub::Scrubber) {
        if scrubber.is_empty() {
            return;
        }
        match self {
            Error::Api(e) => e.scrub(scrubber),
            Error::UnexpectedResponse(e) => {
                scrubber.scrub(&mut e.excerpt);
                if let Some(ct) = &mut e.content_type {
                    scrubber.scrub(ct);
                }
            }
            Error::Decode(e) => {
                scrubber.scrub(&mut e.message);
                scrubber.scrub(&mut e.excerpt);
                scrubber.scrub(&mut e.path);
                if let Some(id) = &mut e.request_id {
                    scrubber.scrub(id);
                }
            }
            Error::Transport(e) => scrubber.scrub(&mut e.message),
            Error::Auth(e) => {
                if let Some(api) = &mut e.api {
                    api.scrub(scrubber);
                }
            }
            Error::RetriesExhausted { last, .. } | Error::OutcomeUnknown { source: last, .. } => last.scrub(scrubber),
            Error::Paging { message, .. } => scrubber.scrub(message),
            Error::Timeout { .. } | Error::Config(_) | Error::InvalidInput { .. } => {}
        }
    }
}

pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        Error::Transport(Box::new(e))
    }
}

/// An error answered by a Yeastar API.
///
/// `code` is the API's own error code kept verbatim (`parameter_validation_failed` on Partner
/// Portal, `ACCESS_DENIED` on Workplace); compare it with strings rather than expecting a closed
/// list, since Yeastar does not publish one.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The product that answered.
    pub product: Product,
    /// The HTTP status of the response.
    pub status: u16,
    /// The API's error code, verbatim (`code`, `errMsg`, `errcode`, … depending on the product).
    pub code: Option<String>,
    /// The API's human-readable message (`detailMessage`, `detailMsg`, `message`, …).
    pub message: Option<String>,
    /// The request id from the response body.
    pub request_id: Option<String>,
    /// How long the server asked us to wait (`Retry-After`), if it did.
    pub retry_after: Option<Duration>,
    /// Structured details (Partner Portal puts the failing field and validation tag here).
    pub details: Option<serde_json::Value>,
    /// The start of the raw body, kept when the error shape is not documented. Never set for
    /// token endpoints.
    pub raw_body: Option<String>,
    /// What the error means, read from the status and the product's documented codes.
    pub kind: ApiErrorKind,
}

/// What an [`ApiError`] means, classified by the transport from the HTTP status and the
/// product's documented error codes (for example YCM's 1000035 TOKEN_EXPIRED).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ApiErrorKind {
    /// The access token is invalid or expired (HTTP 401 on an API call, or the product's code).
    TokenRejected,
    /// The token endpoint refused the client id and secret (HTTP 401, OAuth `invalid_client` /
    /// `unauthorized_client`, or the product's code).
    CredentialsRefused,
    /// The record does not exist (HTTP 404 or the product's not-found code).
    NotFound,
    /// The rate limit was hit (HTTP 429 or the product's code).
    RateLimited,
    /// Anything else.
    #[default]
    Other,
}

impl ApiError {
    /// A new API error with only product and status set; fill in the rest field by field.
    pub fn new(product: Product, status: u16) -> Self {
        Self {
            product,
            status,
            code: None,
            message: None,
            request_id: None,
            retry_after: None,
            details: None,
            raw_body: None,
            kind: ApiErrorKind::Other,
        }
    }

    /// Whether the access token was rejected.
    pub fn is_token_rejected(&self) -> bool {
        self.kind == ApiErrorKind::TokenRejected
    }

    /// Whether the record does not exist.
    pub fn is_not_found(&self) -> bool {
        self.kind == ApiErrorKind::NotFound
    }

    /// Whether the rate limit was hit.
    pub fn is_rate_limited(&self) -> bool {
        self.kind == ApiErrorKind::RateLimited
    }

    /// Whether the token endpoint refused the client credentials.
    pub fn is_credentials_refused(&self) -> bool {
        self.kind == ApiErrorKind::CredentialsRefused
    }

    fn scrub(&mut self, scrubber: &crate::scrub::Scrubber) {
        for s in [
            &mut self.code,
            &mut self.message,
            &mut self.request_id,
            &mut self.raw_body,
        ]
        .into_iter()
        .flatten()
        {
            scrubber.scrub(s);
        }
        if let Some(d) = &mut self.details {
            scrubber.scrub_json(d);
        }
    }

    /// Sets the API code (cut to [`MAX_FIELD_CHARS`]).
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = bounded(code.into());
        self
    }

    /// Sets the message (cut to [`MAX_FIELD_CHARS`]).
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = bounded(message.into());
        self
    }

    /// Sets the request id (cut to [`MAX_FIELD_CHARS`]).
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = bounded(request_id.into());
        self
    }

    /// Sets the details; details larger than 4 KiB of JSON are kept as a cut JSON string.
    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = match details {
            serde_json::Value::Null => None,
            d => {
                let text = d.to_string();
                if text.len() > 4096 {
                    Some(serde_json::Value::String(truncate(&text, 1024)))
                } else {
                    Some(d)
                }
            }
        };
        self
    }

    /// Best-effort reading of an error body whose shape is not documented: picks the usual
    /// code, message and request-id keys at the top level and inside a nested `data`, `error`
    /// or `result` object (where Yeastar's other APIs and OAuth servers put them), and keeps
    /// the start of the raw body. Never fails: a body that is not JSON at all still gives an
    /// error with its status.
    #[doc(hidden)]
    pub fn from_undocumented_body(product: Product, status: u16, body: &[u8], keep_raw: bool) -> Self {
        let mut err = ApiError::new(product, status);
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) {
            err.code = pick(&map, CODE_KEYS);
            err.message = pick(&map, MESSAGE_KEYS).filter(|m| Some(m) != err.code.as_ref());
            err.request_id = pick(&map, &["requestId", "request_id", "requestID"]);
        }
        if keep_raw {
            err.raw_body = Some(excerpt(body));
        }
        err
    }
}

const CODE_KEYS: &[&str] = &[
    "code",
    "errcode",
    "errCode",
    "errorCode",
    "error_code",
    "errMsg",
    "errmsg",
    "error",
];
const MESSAGE_KEYS: &[&str] = &[
    "detailMessage",
    "detailMsg",
    "message",
    "msg",
    "errorMessage",
    "error_description",
    "errmsg",
    "errMsg",
];

/// The first of `keys` holding a string or number, at the top level, then inside the nested
/// `data`, `error` and `result` objects.
fn pick(top: &serde_json::Map<String, serde_json::Value>, keys: &[&str]) -> Option<String> {
    let scalar = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) if !s.trim().is_empty() => bounded(s.trim().to_owned()),
        serde_json::Value::Number(n) => bounded(n.to_string()),
        _ => None,
    };
    let nested = ["data", "error", "result"]
        .iter()
        .filter_map(|k| top.get(*k).and_then(serde_json::Value::as_object));
    std::iter::once(top)
        .chain(nested)
        .find_map(|obj| keys.iter().find_map(|k| obj.get(*k).and_then(scalar)))
}

/// The longest code, message or request id kept from a server's answer: errors are logged on
/// every attempt, and a hostile or broken server must not make each log line megabytes long.
pub const MAX_FIELD_CHARS: usize = 300;

pub(crate) fn bounded(s: String) -> Option<String> {
    if s.is_empty() {
        None
    } else if s.len() <= MAX_FIELD_CHARS {
        Some(s)
    } else {
        Some(truncate(&s, MAX_FIELD_CHARS))
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} API error", self.product)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        write!(f, " (HTTP {})", self.status)?;
        match &self.message {
            Some(m) => write!(f, ": {m}")?,
            None if self.code.is_none() => f.write_str(": no error code or message in the response")?,
            None => {}
        }
        if let Some(d) = &self.details {
            write!(f, " [details: {}]", truncate(&d.to_string(), 200))?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        if let Some(ra) = self.retry_after {
            write!(f, " (retry after {}s)", ra.as_secs())?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A response that is not the API's JSON (an HTML error page from a proxy, an empty body).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct UnexpectedResponse {
    /// The product called.
    pub product: Product,
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The start of the body (empty for an empty body; never set for token endpoints).
    pub excerpt: String,
}

impl fmt::Display for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: HTTP {} with a response that is not the API's JSON",
            self.product, self.status
        )?;
        if let Some(ct) = &self.content_type {
            write!(f, " (content-type {ct})")?;
        }
        if self.excerpt.is_empty() {
            f.write_str(": empty body")
        } else {
            write!(f, ": {:?}", self.excerpt)
        }
    }
}

impl std::error::Error for UnexpectedResponse {}

/// JSON that did not match the expected shape.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    /// The product called.
    pub product: Product,
    /// The HTTP status of the response.
    pub status: u16,
    /// The JSON path that failed, e.g. `data.list[3].memberId`.
    pub path: String,
    /// What serde said.
    pub message: String,
    /// The start of the body (never set for token endpoints).
    pub excerpt: String,
    /// The request id, if the envelope could be read.
    pub request_id: Option<String>,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: cannot decode the HTTP {} response at `{}`: {}",
            self.product, self.status, self.path, self.message
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        if !self.excerpt.is_empty() {
            write!(f, "; body starts {:?}", self.excerpt)?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

/// The kind of a [`TransportError`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// No connection could be made (refused, DNS, unreachable): the request was not sent.
    Connect,
    /// The TLS handshake failed (certificate not trusted, expired, wrong host).
    Tls,
    /// The connection broke after the request may have been sent (reset mid-response).
    Io,
    /// The response body was larger than the configured maximum; reading stopped.
    BodyTooLarge,
    /// Anything else the HTTP implementation reported.
    Other,
}

/// A failure below HTTP: connecting, TLS, reading the body.
#[non_exhaustive]
#[derive(Debug, Clone)]
pub struct TransportError {
    /// The product called.
    pub product: Option<Product>,
    /// What kind of failure.
    pub kind: TransportErrorKind,
    /// A description, including the causes.
    pub message: String,
    source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// A transport error of `kind`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            product: None,
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Sets the product.
    pub fn with_product(mut self, product: Product) -> Self {
        self.product = Some(product);
        self
    }

    /// Attaches the underlying error; its causes are appended to the message so that `Display`
    /// tells the whole story (for example "invalid peer certificate: UnknownIssuer").
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        let mut chain = Vec::new();
        let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(&source);
        while let Some(e) = cur {
            let s = e.to_string();
            if !self.message.contains(&s) && !chain.contains(&s) {
                chain.push(s);
            }
            cur = e.source();
        }
        if !chain.is_empty() {
            self.message = format!("{}: {}", self.message, chain.join(": "));
        }
        self.source = Some(std::sync::Arc::new(source));
        self
    }

    /// Whether the request certainly did not reach the server, so that sending it again cannot
    /// duplicate anything.
    pub fn not_sent(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = self.product {
            write!(f, "{p}: ")?;
        }
        let what = match self.kind {
            TransportErrorKind::Connect => "cannot connect",
            TransportErrorKind::Tls => "TLS failure",
            TransportErrorKind::Io => "connection failed during the exchange",
            TransportErrorKind::BodyTooLarge => "response too large",
            TransportErrorKind::Other => "transport error",
        };
        write!(f, "{what}: {}", self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Which time limit a [`Error::Timeout`] hit.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutKind {
    /// One attempt (connect, send, and read the whole response) took too long.
    Attempt,
    /// The whole call, retries and token requests included, took too long.
    Total,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutKind::Attempt => "per-attempt",
            TimeoutKind::Total => "total",
        })
    }
}

/// Why authentication failed for good.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthErrorKind {
    /// The token endpoint refused the client id and secret. The client will not ask again
    /// (YCM blocks an IP after more than 5 failed authentications): build a new client with
    /// the right credentials.
    CredentialsRejected,
    /// The API refused the access token, and no new token could be obtained (a static token,
    /// or a fresh token refused too).
    TokenRejected,
}

/// An authentication failure.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct AuthError {
    /// The product.
    pub product: Product,
    /// What failed.
    pub kind: AuthErrorKind,
    /// The API's answer, if there was one.
    pub api: Option<ApiError>,
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            AuthErrorKind::CredentialsRejected => write!(
                f,
                "{}: the client id and secret were rejected; this client will not request \
                 tokens again (fix the credentials and build a new client)",
                self.product
            )?,
            AuthErrorKind::TokenRejected => write!(f, "{}: the access token was rejected", self.product)?,
        }
        if let Some(api) = &self.api {
            write!(f, ": {api}")?;
        }
        Ok(())
    }
}

impl std::error::Error for AuthError {}

/// The first characters of a body, for error messages, made printable.
pub(crate) fn excerpt(body: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX * 4)]);
    let trimmed = text.trim();
    truncate(trimmed, MAX)
}

pub(crate) fn truncate(s: &str, max_chars: usize) -> String {
    let mut out: String = s.chars().take(max_chars).collect();
    if s.chars().nth(max_chars).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_display_is_actionable() {
        let e = ApiError::new(Product::Workplace, 405)
            .with_code("ACCESS_DENIED")
            .with_message("Request method 'PUT' not supported")
            .with_request_id("531c4759");
        assert_eq!(
            Error::from(e).to_string(),
            "Workplace API error ACCESS_DENIED (HTTP 405): Request method 'PUT' not supported (request id 531c4759)"
        );
    }

    #[test]
    fn undocumented_bodies_never_fail() {
        let e = ApiError::from_undocumented_body(
            Product::Ycm,
            400,
            b"{\"errcode\":40002,\"errmsg\":\"PARAMETER ERROR\",\"requestId\":\"r1\"}",
            true,
        );
        assert_eq!(e.code.as_deref(), Some("40002"));
        assert_eq!(e.message.as_deref(), Some("PARAMETER ERROR"));
        assert_eq!(e.request_id.as_deref(), Some("r1"));
        let e = ApiError::from_undocumented_body(Product::Ycm, 500, b"<html>oops</html>", true);
        assert_eq!(
            (e.status, e.code, e.raw_body.as_deref()),
            (500, None, Some("<html>oops</html>"))
        );
    }

    #[test]
    fn server_chosen_strings_are_bounded() {
        let huge = "x".repeat(1 << 20);
        let e = ApiError::new(Product::PartnerPortal, 400)
            .with_code(huge.clone())
            .with_message(huge.clone())
            .with_request_id(huge.clone())
            .with_details(serde_json::json!({ "field": huge.clone() }));
        let shown = Error::from(e).to_string();
        assert!(shown.len() < 2048, "{}", shown.len());
        let body = format!(r#"{{"errcode":"{huge}","errmsg":"{huge}"}}"#);
        let e = ApiError::from_undocumented_body(Product::Ycm, 400, body.as_bytes(), true);
        assert!(Error::from(e).to_string().len() < 2048);
    }

    #[test]
    fn excerpt_is_bounded_and_utf8_safe() {
        let body = "名".repeat(1000);
        let e = excerpt(body.as_bytes());
        assert_eq!(e.chars().count(), 201);
    }
}
