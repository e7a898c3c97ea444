//! Per-call options: other time limits or another retry policy without a new client.

use std::time::Duration;

use crate::retry::RetryPolicy;

/// Overrides for the calls made through a client returned by `with_options`: the connection
/// pool, the token cache and everything else stay shared with the original client.
///
/// ```no_run
/// # async fn demo(client: yeastar_transport::Client) {
/// use std::time::Duration;
/// use yeastar_transport::{CallOptions, RetryPolicy};
/// let patient = client.with_options(
///     CallOptions::new()
///         .total_timeout(Duration::from_secs(300))
///         .retry(RetryPolicy::default().with_max_attempts(6)),
/// );
/// # }
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// Replaces the per-attempt timeout.
    pub attempt_timeout: Option<Duration>,
    /// Replaces the total timeout of a call.
    pub total_timeout: Option<Duration>,
    /// Replaces the retry policy.
    pub retry: Option<RetryPolicy>,
}

impl CallOptions {
    /// No override.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the per-attempt timeout.
    pub fn attempt_timeout(mut self, d: Duration) -> Self {
        self.attempt_timeout = Some(d);
        self
    }

    /// Sets the total timeout.
    pub fn total_timeout(mut self, d: Duration) -> Self {
        self.total_timeout = Some(d);
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }
}
