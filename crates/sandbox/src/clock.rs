//! The sandbox's clock: token lifetimes and rate-limit buckets read it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A clock that stands still until [`advance`](Self::advance) moves it, so that tests of token
/// expiry and rate limits run without sleeping.
///
/// Give a clone to [`SandboxConfig::with_clock`](crate::SandboxConfig::with_clock) and keep
/// the other: both see the same time.
///
/// ```
/// use std::time::Duration;
/// use yeastar_sandbox::{ManualClock, SandboxConfig};
///
/// let clock = ManualClock::new();
/// let config = SandboxConfig::new().with_clock(clock.clone());
/// let start = clock.now();
/// clock.advance(Duration::from_secs(30 * 60)); // every 30-minute access token has expired
/// assert_eq!(clock.now() - start, Duration::from_secs(1800));
/// # let _ = config;
/// ```
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<Mutex<Instant>>,
}

impl ManualClock {
    /// A clock that starts at the current instant and then stands still.
    pub fn new() -> Self {
        Self {
            now: Arc::new(Mutex::new(Instant::now())),
        }
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut now = self.lock();
        *now += by;
    }

    /// The clock's current instant.
    pub fn now(&self) -> Instant {
        *self.lock()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Instant> {
        // An `Instant` cannot be left half-written; keep going after a panic elsewhere.
        self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

/// The system clock, or a [`ManualClock`].
#[derive(Debug, Clone, Default)]
pub(crate) enum Clock {
    #[default]
    System,
    Manual(ManualClock),
}

impl Clock {
    pub(crate) fn now(&self) -> Instant {
        match self {
            Clock::System => Instant::now(),
            Clock::Manual(m) => m.now(),
        }
    }
}
