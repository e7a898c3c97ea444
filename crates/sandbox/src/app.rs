//! The state shared by every handler: configuration, records, journal, faults.

use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use http::header;

use crate::Product;
use crate::config::SandboxConfig;
use crate::error::{ApiErr, Code};
use crate::fault::Faults;
use crate::journal::JournalEntry;
use crate::state::{Bucket, Db};

/// Shared server state (axum's `State<Arc<App>>`).
#[derive(Debug)]
pub(crate) struct App {
    pub(crate) config: SandboxConfig,
    db: Mutex<Db>,
    journal: Mutex<Vec<JournalEntry>>,
    pub(crate) faults: Faults,
    /// Set once the sandbox shuts down: hung requests then give up.
    closing: tokio::sync::watch::Sender<bool>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Handlers never leave the state half-updated across a panic point; keep serving.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl App {
    pub(crate) fn new(config: SandboxConfig) -> Arc<Self> {
        let seed = config.seed.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(0x5EED)
        });
        Arc::new(Self {
            db: Mutex::new(Db::seeded(seed)),
            journal: Mutex::new(Vec::new()),
            faults: Faults::new(config.faults.clone()),
            closing: tokio::sync::watch::Sender::new(false),
            config,
        })
    }

    /// The records. Never hold the guard across an `.await`.
    /// Tells hung requests ([`Fault::Hang`](crate::Fault::Hang)) that the sandbox shuts down.
    pub(crate) fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Completes once [`close`](Self::close) was called.
    pub(crate) async fn closed(&self) {
        let mut rx = self.closing.subscribe();
        // An error means the sender is gone: the sandbox is gone too.
        let _ = rx.wait_for(|closing| *closing).await;
    }

    /// The sandbox's time (the system clock or the configured manual clock).
    pub(crate) fn now(&self) -> Instant {
        self.config.clock.now()
    }

    pub(crate) fn db(&self) -> MutexGuard<'_, Db> {
        lock(&self.db)
    }

    pub(crate) fn journal(&self) -> MutexGuard<'_, Vec<JournalEntry>> {
        lock(&self.journal)
    }

    /// Takes a token from the caller's bucket of `product`'s rate limit, if it has one; an
    /// empty bucket is HTTP 429 with `Retry-After` (whole seconds to the next refill).
    pub(crate) fn take_rate_token(
        &self,
        db: &mut Db,
        product: Product,
        client_id: Option<&str>,
        peer: IpAddr,
    ) -> Result<(), ApiErr> {
        let Some(limit) = self.config.rate_limit(product) else {
            return Ok(());
        };
        if limit.interval.is_zero() {
            return Ok(());
        }
        // Per client id, as YCM limits each subordinate's Client ID; calls without a valid token per IP.
        let key = client_id.map_or_else(|| format!("ip:{peer}"), str::to_owned);
        let now = self.now();
        let bucket = db.buckets.entry((product, key)).or_insert(Bucket {
            tokens: limit.burst,
            last_refill: now,
        });
        let periods = (now - bucket.last_refill).as_nanos() / limit.interval.as_nanos();
        if periods > 0 {
            let added = (periods as u64).saturating_mul(limit.rate as u64);
            bucket.tokens = (bucket.tokens as u64 + added).min(limit.burst as u64) as u32;
            bucket.last_refill += limit.interval * periods as u32;
        }
        if bucket.tokens > 0 {
            bucket.tokens -= 1;
            return Ok(());
        }
        let wait: Duration = limit.interval.saturating_sub(now - bucket.last_refill);
        let secs = wait.as_millis().div_ceil(1000).max(1);
        Err(
            ApiErr::new(429, Code::TooManyRequests, "API request rate limit exceeded")
                .with_header(header::RETRY_AFTER, &secs.to_string()),
        )
    }
}
