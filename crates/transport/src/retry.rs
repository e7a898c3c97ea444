//! Retry policy: what is retried, how long to wait, `Retry-After`.

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use http::HeaderMap;

/// How failed attempts are retried.
///
/// Retried always: failures before the request was sent (connection refused, DNS) and HTTP 429.
/// Retried only for idempotent endpoints (GET, PUT, DELETE and the POSTs a product crate
/// declares idempotent): HTTP 408, 500, 502, 503, 504, per-attempt timeouts and connections
/// broken mid-response. A create is therefore never sent twice.
///
/// The wait before retry *n* is a random duration in `[0, min(max_backoff, initial_backoff ×
/// 2^(n-1)))` ("full jitter"), or the server's `Retry-After` when it sent one (capped at
/// `max_retry_after`). Retries also stop when the next wait would end after the total timeout.
///
/// ```
/// use std::time::Duration;
/// use yeastar_transport::RetryConfig;
/// let retry = RetryConfig::default().with_max_attempts(5).with_max_backoff(Duration::from_secs(10));
/// assert_eq!(retry.max_attempts, 5);
/// assert_eq!(RetryConfig::disabled().max_attempts, 1);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts in all, the first included (1 disables retries). Default 3.
    pub max_attempts: u32,
    /// Base of the exponential backoff. Default 500 ms.
    pub initial_backoff: Duration,
    /// Cap of one backoff wait. Default 20 s.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured; a longer one ends the retries. Default 120 s.
    pub max_retry_after: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

impl RetryConfig {
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

    /// The jittered wait before retry number `retry` (1 for the first retry).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32.checked_shl(retry.saturating_sub(1)).unwrap_or(u32::MAX));
        let cap = exp.min(self.max_backoff);
        cap.mul_f64(random_unit())
    }
}

/// A uniformly distributed number in `[0, 1)`. Jitter needs no cryptographic quality; std's
/// randomly keyed SipHash is enough and saves a dependency.
fn random_unit() -> f64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0x9e37_79b9_7f4a_7c15);
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
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
    use http::HeaderValue;

    #[test]
    fn backoff_is_jittered_exponential_and_capped() {
        let cfg = RetryConfig::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(cfg.backoff(1) < Duration::from_millis(100));
            assert!(cfg.backoff(2) < Duration::from_millis(200));
            assert!(cfg.backoff(3) < Duration::from_millis(350));
            assert!(cfg.backoff(40) < Duration::from_millis(350));
        }
        let distinct: std::collections::HashSet<_> = (0..50).map(|_| cfg.backoff(3)).collect();
        assert!(distinct.len() > 10, "jitter must vary: {distinct:?}");
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
    }
}
