//! Retries: the policy (a value), the classification of a failed attempt (a pure function),
//! and `Retry-After`.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::HeaderMap;

use crate::error::{ApiErrorKind, Error, TimeoutKind, TransportErrorKind, is_retryable_status};

/// The random source of the backoff jitter: a function returning a number in `[0, 1)`.
///
/// The default is uniform randomness ([`Jitter::full`]); tests use [`Jitter::fixed`] or
/// [`Jitter::from_fn`] so that every wait is exact.
#[derive(Clone)]
pub struct Jitter(Arc<dyn Fn() -> f64 + Send + Sync>);

impl Jitter {
    /// "Full jitter": each wait is uniformly random in `[0, cap)`.
    pub fn full() -> Self {
        Self(Arc::new(fastrand::f64))
    }

    /// Always the same factor (clamped to `[0, 1]`): `fixed(1.0)` waits the whole cap.
    pub fn fixed(factor: f64) -> Self {
        Self(Arc::new(move || factor))
    }

    /// Any source, e.g. a seeded generator in tests.
    pub fn from_fn(f: impl Fn() -> f64 + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    fn sample(&self) -> f64 {
        let x = (self.0)();
        if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) }
    }
}

impl fmt::Debug for Jitter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Jitter")
    }
}

/// How failed attempts are retried: an attempt limit, an optional time limit, and exponential
/// backoff with jitter.
///
/// What is retried is not part of the policy, because it follows from the request: failures
/// before the request was sent (connection refused, DNS) and HTTP 429 always; HTTP 408, 500,
/// 502, 503, 504, attempt timeouts and connections broken mid-exchange only for idempotent
/// requests (GET, PUT, DELETE and the POSTs a product crate declares idempotent). A create is
/// therefore never sent twice.
///
/// The wait before retry *n* is `min(max_backoff, initial_backoff × 2^(n-1)) × jitter`, or the
/// server's `Retry-After` (up to `max_retry_after`; a longer one ends the retries). Retries also
/// stop when the next wait would end after the total timeout or the policy's time limit.
/// [`ClientBuilder::build`](crate::ClientBuilder::build) refuses a zero attempt count, a zero
/// initial backoff and a cap below the initial backoff.
///
/// ```
/// use std::time::Duration;
/// use yeastar_transport::{Jitter, RetryPolicy};
/// let policy = RetryPolicy::default()
///     .with_max_attempts(5)
///     .with_max_backoff(Duration::from_secs(10))
///     .with_jitter(Jitter::fixed(1.0));
/// assert_eq!(policy.max_attempts, 5);
/// assert_eq!(RetryPolicy::disabled().max_attempts, 1);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 disables retries). Default 3.
    pub max_attempts: u32,
    /// No retry starts later than this after the call began. Default none (the total timeout
    /// still bounds every call).
    pub time_limit: Option<Duration>,
    /// Base of the exponential backoff. Default 500 ms.
    pub initial_backoff: Duration,
    /// Cap of one backoff wait. Default 20 s.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured; a longer one ends the retries. Default 120 s.
    pub max_retry_after: Duration,
    /// The random factor applied to each backoff wait. Default [`Jitter::full`].
    pub jitter: Jitter,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            time_limit: None,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(120),
            jitter: Jitter::full(),
        }
    }
}

impl RetryPolicy {
    /// One attempt only.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the number of attempts (first included).
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n;
        self
    }

    /// Sets the time after which no retry starts.
    pub fn with_time_limit(mut self, d: Duration) -> Self {
        self.time_limit = Some(d);
        self
    }

    /// Sets the base backoff.
    pub fn with_initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// Sets the backoff cap.
    pub fn with_max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// Sets the longest `Retry-After` honoured.
    pub fn with_max_retry_after(mut self, d: Duration) -> Self {
        self.max_retry_after = d;
        self
    }

    /// Sets the jitter source.
    pub fn with_jitter(mut self, jitter: Jitter) -> Self {
        self.jitter = jitter;
        self
    }

    /// Checks the policy; [`ClientBuilder::build`](crate::ClientBuilder::build) and per-call
    /// options report a failure as [`Error::Config`].
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.max_attempts == 0 {
            return Err("retry: max_attempts must be at least 1".into());
        }
        if self.initial_backoff.is_zero() {
            return Err(
                "retry: initial_backoff must be greater than zero (a zero backoff retries in a tight loop)".into(),
            );
        }
        if self.max_backoff < self.initial_backoff {
            return Err(format!(
                "retry: max_backoff ({:?}) must not be below initial_backoff ({:?})",
                self.max_backoff, self.initial_backoff
            ));
        }
        Ok(())
    }

    /// The wait before retry number `retry` (1 for the first retry).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32.checked_shl(retry.saturating_sub(1)).unwrap_or(u32::MAX));
        let cap = exp.min(self.max_backoff);
        Duration::try_from_secs_f64(cap.as_secs_f64() * self.jitter.sample())
            .unwrap_or(cap)
            .min(cap)
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Send again after a backoff (or the server's `Retry-After`).
    Retry,
    /// The access token was rejected: get a new one and send again (once per call).
    Refresh,
    /// Give up with this error.
    Stop,
}

/// Classifies a failed attempt. Pure: the same error and request give the same decision.
///
/// - `idempotent`: sending the request twice is harmless.
/// - `authenticated`: the request carried an access token that the client can renew.
pub(crate) fn classify(error: &Error, idempotent: bool, authenticated: bool) -> Decision {
    if authenticated && token_rejected(error) {
        return Decision::Refresh;
    }
    let transient_after_send = match error {
        Error::Transport(t) => match t.kind {
            // The request never left: sending it again cannot duplicate anything.
            TransportErrorKind::Connect => return Decision::Retry,
            TransportErrorKind::Tls | TransportErrorKind::BodyTooLarge => false,
            _ => true,
        },
        Error::Timeout { kind, .. } => *kind == TimeoutKind::Attempt,
        Error::Api(api) if api.status == 429 || api.kind == ApiErrorKind::RateLimited => return Decision::Retry,
        Error::Api(api) => is_retryable_status(api.status),
        Error::UnexpectedResponse(u) if u.status == 429 => return Decision::Retry,
        Error::UnexpectedResponse(u) => is_retryable_status(u.status),
        _ => false,
    };
    if transient_after_send && idempotent {
        Decision::Retry
    } else {
        Decision::Stop
    }
}

/// Whether an attempt's error says the access token was rejected: HTTP 401 whatever the body
/// (RFC 6750 servers answer with no body at all), or the product's token code.
pub(crate) fn token_rejected(error: &Error) -> bool {
    error.status() == Some(401) || error.api_error().is_some_and(|a| a.kind == ApiErrorKind::TokenRejected)
}

/// Whether a failed attempt may have taken effect on the server although no answer says so.
pub(crate) fn may_have_taken_effect(error: &Error) -> bool {
    match error {
        Error::Transport(t) => !matches!(t.kind, TransportErrorKind::Connect | TransportErrorKind::Tls),
        Error::Timeout { .. } => true,
        Error::Api(api) => matches!(api.status, 500 | 502 | 503 | 504),
        Error::UnexpectedResponse(u) => matches!(u.status, 500 | 502 | 503 | 504) || (200..300).contains(&u.status),
        // A success status the SDK could not read: the server did act.
        Error::Decode(d) => (200..300).contains(&d.status),
        _ => false,
    }
}

/// Reads `Retry-After` as delay-seconds or as an HTTP-date.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ApiError, TransportError, UnexpectedResponse};
    use crate::product::Product;
    use http::HeaderValue;

    #[test]
    fn backoff_is_exponential_capped_and_exactly_jittered() {
        let policy = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(350))
            .with_jitter(Jitter::fixed(0.5));
        assert_eq!(policy.backoff(1), Duration::from_millis(50));
        assert_eq!(policy.backoff(2), Duration::from_millis(100));
        assert_eq!(policy.backoff(3), Duration::from_millis(175));
        assert_eq!(policy.backoff(40), Duration::from_millis(175));
        let whole = policy.clone().with_jitter(Jitter::fixed(1.0));
        assert_eq!(whole.backoff(2), Duration::from_millis(200));
        // A broken source never panics nor exceeds the cap.
        for bad in [f64::NAN, -3.0, 7.5, f64::INFINITY] {
            let p = policy.clone().with_jitter(Jitter::fixed(bad));
            assert!(p.backoff(3) <= Duration::from_millis(350), "{bad}");
        }
        let huge = RetryPolicy::default()
            .with_initial_backoff(Duration::MAX)
            .with_max_backoff(Duration::MAX)
            .with_jitter(Jitter::fixed(0.999_999));
        assert!(huge.backoff(60) <= Duration::MAX);
    }

    #[test]
    fn the_default_jitter_varies_within_the_cap() {
        let policy = RetryPolicy::default().with_initial_backoff(Duration::from_millis(100));
        let waits: std::collections::HashSet<_> = (0..50).map(|_| policy.backoff(1)).collect();
        assert!(waits.len() > 10);
        assert!(waits.iter().all(|w| *w <= Duration::from_millis(100)));
    }

    #[test]
    fn zero_or_inverted_backoff_is_refused() {
        assert!(RetryPolicy::default().validate().is_ok());
        assert!(RetryPolicy::default().with_max_attempts(0).validate().is_err());
        assert!(
            RetryPolicy::default()
                .with_initial_backoff(Duration::ZERO)
                .validate()
                .is_err()
        );
        let inverted = RetryPolicy::default()
            .with_initial_backoff(Duration::from_secs(2))
            .with_max_backoff(Duration::from_secs(1));
        assert!(inverted.validate().unwrap_err().contains("max_backoff"));
    }

    fn api(status: u16, kind: ApiErrorKind) -> Error {
        let mut e = ApiError::new(Product::Ycm, status);
        e.kind = kind;
        e.into()
    }

    #[test]
    fn classification() {
        use Decision::*;
        let connect: Error = TransportError::new(TransportErrorKind::Connect, "refused").into();
        let reset: Error = TransportError::new(TransportErrorKind::Io, "reset").into();
        let tls: Error = TransportError::new(TransportErrorKind::Tls, "bad cert").into();
        let timeout = Error::Timeout {
            product: Product::Ycm,
            kind: TimeoutKind::Attempt,
            after: Duration::from_secs(1),
        };
        let empty_401 = Error::UnexpectedResponse(Box::new(UnexpectedResponse {
            product: Product::Ycm,
            status: 401,
            content_type: None,
            excerpt: String::new(),
        }));
        for (error, idempotent, authenticated, want) in [
            (&connect, false, true, Retry),
            (&reset, true, true, Retry),
            (&reset, false, true, Stop),
            (&tls, true, true, Stop),
            (&timeout, true, true, Retry),
            (&timeout, false, true, Stop),
            (&api(429, ApiErrorKind::Other), false, true, Retry),
            (&api(200, ApiErrorKind::RateLimited), false, true, Retry),
            (&api(503, ApiErrorKind::Other), true, true, Retry),
            (&api(503, ApiErrorKind::Other), false, true, Stop),
            (&api(404, ApiErrorKind::NotFound), true, true, Stop),
            (&api(401, ApiErrorKind::Other), true, true, Refresh),
            (&api(200, ApiErrorKind::TokenRejected), false, true, Refresh),
            (&empty_401, true, true, Refresh),
            (&empty_401, true, false, Stop),
        ] {
            assert_eq!(classify(error, idempotent, authenticated), want, "{error}");
        }
        assert!(may_have_taken_effect(&reset) && may_have_taken_effect(&timeout));
        assert!(!may_have_taken_effect(&connect) && !may_have_taken_effect(&api(429, ApiErrorKind::Other)));
    }

    #[test]
    fn retry_after_seconds_and_http_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut h = HeaderMap::new();
        h.insert(http::header::RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(7)));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(30));
        h.insert(http::header::RETRY_AFTER, HeaderValue::from_str(&date).unwrap());
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(30)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(30));
        h.insert(http::header::RETRY_AFTER, HeaderValue::from_str(&past).unwrap());
        assert_eq!(retry_after(&h, now), Some(Duration::ZERO));
        h.insert(http::header::RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h, now), None);
        h.insert(
            http::header::RETRY_AFTER,
            HeaderValue::from_static("18446744073709551615"),
        );
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(u64::MAX)));
    }
}
