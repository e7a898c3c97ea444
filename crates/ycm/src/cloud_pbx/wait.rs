//! Waiting for a Cloud PBX to reach a status (creation and start are asynchronous).

use std::fmt;
use std::time::Duration;

use yeastar_transport::{Error, Product, TimeoutKind};

use super::model::PbxStatus;

/// How long and how often [`CloudPbxs::wait_for`](super::CloudPbxs::wait_for) polls the status
/// endpoint: the first poll at once, then after `initial_interval`, doubling up to
/// `max_interval`, until `timeout`.
///
/// ```
/// use std::time::Duration;
/// use yeastar_ycm::WaitOptions;
/// let w = WaitOptions::new(Duration::from_secs(600)).initial_interval(Duration::from_secs(5));
/// assert_eq!(w.timeout, Duration::from_secs(600));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitOptions {
    /// How long to wait in all.
    pub timeout: Duration,
    /// The pause after the first poll (default 2 s).
    pub initial_interval: Duration,
    /// The longest pause between polls (default 30 s).
    pub max_interval: Duration,
}

impl WaitOptions {
    /// Waits at most `timeout` (longer than a year is taken as a year), polling after 2 s,
    /// 4 s, 8 s, … up to every 30 s.
    pub fn new(timeout: Duration) -> Self {
        Self {
            timeout,
            initial_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(30),
        }
    }

    /// Sets the pause after the first poll (at least 1 ms).
    pub fn initial_interval(mut self, d: Duration) -> Self {
        self.initial_interval = d.max(Duration::from_millis(1));
        self
    }

    /// Sets the longest pause between polls.
    pub fn max_interval(mut self, d: Duration) -> Self {
        self.max_interval = d;
        self
    }

    pub(crate) fn next_interval(&self, current: Duration) -> Duration {
        current
            .saturating_mul(2)
            .min(self.max_interval.max(self.initial_interval))
    }
}

/// Why [`CloudPbxs::wait_for`](super::CloudPbxs::wait_for) (or `wait_until_running`) did not
/// return the PBX.
#[non_exhaustive]
#[derive(Debug)]
pub enum WaitError {
    /// The PBX did not reach `target` within `waited`.
    TimedOut {
        /// The PBX.
        cloud_pbx_id: u64,
        /// The status waited for.
        target: PbxStatus,
        /// The last status the status endpoint reported (`None` if no poll succeeded or the
        /// answer had none).
        last_status: Option<PbxStatus>,
        /// How long it waited.
        waited: Duration,
        /// How many status queries were answered.
        polls: u32,
    },
    /// A call failed for good (a transient failure is polled through until the timeout).
    Call(Error),
}

impl WaitError {
    /// The last status seen, for a timeout.
    pub fn last_status(&self) -> Option<&PbxStatus> {
        match self {
            WaitError::TimedOut { last_status, .. } => last_status.as_ref(),
            WaitError::Call(_) => None,
        }
    }
}

impl fmt::Display for WaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::TimedOut {
                cloud_pbx_id,
                target,
                last_status,
                waited,
                polls,
            } => {
                write!(f, "Cloud PBX {cloud_pbx_id} was not {target} after {waited:?}: ")?;
                match last_status {
                    Some(s) => write!(f, "last status {s}")?,
                    None => f.write_str("no status was read")?,
                }
                write!(f, " ({polls} status queries)")
            }
            WaitError::Call(e) => write!(f, "waiting for the Cloud PBX failed: {e}"),
        }
    }
}

impl std::error::Error for WaitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Call(e) => Some(e),
            WaitError::TimedOut { .. } => None,
        }
    }
}

impl From<Error> for WaitError {
    fn from(e: Error) -> Self {
        WaitError::Call(e)
    }
}

impl From<WaitError> for Error {
    /// A timeout becomes [`Error::Timeout`] (the last status is lost: keep the [`WaitError`]
    /// to report it).
    fn from(e: WaitError) -> Self {
        match e {
            WaitError::Call(e) => e,
            WaitError::TimedOut { waited, .. } => Error::Timeout {
                product: Product::Ycm,
                kind: TimeoutKind::Total,
                after: waited,
            },
        }
    }
}
