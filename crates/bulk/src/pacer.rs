//! Pacing of the writes: a concurrency window that halves on a rate-limit answer and grows
//! back by one per window of successes (AIMD), the server's `Retry-After` honoured by every
//! worker at once, and an optional fixed rate cap.

use std::time::Duration;

use tokio::time::Instant;

/// The longest wait after a rate-limit answer without `Retry-After`.
const MAX_LIMITED_BACKOFF: Duration = Duration::from_secs(60);
/// The first wait after a rate-limit answer without `Retry-After` (doubled on each one in a row).
const FIRST_LIMITED_BACKOFF: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub(crate) struct Pacer {
    max: f64,
    window: f64,
    in_flight: usize,
    /// No write starts before this (the server's `Retry-After`).
    resume_at: Option<Instant>,
    /// The fixed rate cap: one write per interval.
    interval: Option<Duration>,
    next_slot: Instant,
    /// Writes started before the last decrease do not decrease the window again: one
    /// rate-limited burst is one congestion signal.
    decreased_at: Instant,
    limited_in_a_row: u32,
}

/// Why no write may start now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wait {
    /// Until this instant (a pause or the rate cap).
    Until(Instant),
    /// Until a write in flight completes (the window is full).
    Completion,
}

impl Pacer {
    /// At most `concurrency` writes at a time (at least 1), at most `rate` per second.
    pub(crate) fn new(concurrency: usize, rate: Option<f64>, now: Instant) -> Self {
        let max = concurrency.max(1) as f64;
        Self {
            max,
            window: max,
            in_flight: 0,
            resume_at: None,
            interval: rate
                .filter(|r| r.is_finite() && *r > 0.0)
                .and_then(|r| Duration::try_from_secs_f64(1.0 / r).ok()),
            next_slot: now,
            decreased_at: now,
            limited_in_a_row: 0,
        }
    }

    /// The current concurrency window.
    pub(crate) fn concurrency(&self) -> usize {
        self.window.floor() as usize
    }

    /// Starts a write now if pacing allows; returns its start time.
    pub(crate) fn try_start(&mut self, now: Instant) -> Result<Instant, Wait> {
        if let Some(t) = self.resume_at {
            if now < t {
                return Err(Wait::Until(t));
            }
            self.resume_at = None;
        }
        if self.in_flight >= self.concurrency().max(1) {
            return Err(Wait::Completion);
        }
        if let Some(interval) = self.interval {
            if now < self.next_slot {
                return Err(Wait::Until(self.next_slot));
            }
            // Keep the schedule when a start is a little late (no drift); after an idle
            // spell start again from now: the cap is a rate, idle time is not banked.
            self.next_slot = if now - self.next_slot > interval {
                now + interval
            } else {
                self.next_slot + interval
            };
        }
        self.in_flight += 1;
        Ok(now)
    }

    /// A write completed with an answer that says nothing about the rate limit.
    pub(crate) fn done(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// A write succeeded: the window grows by one per window of successes.
    pub(crate) fn succeeded(&mut self) {
        self.done();
        self.limited_in_a_row = 0;
        self.window = (self.window + 1.0 / self.window).min(self.max);
    }

    /// A write started at `started` was refused for the rate limit: halve the window (once per
    /// burst), and pause every write for `retry_after` (or a doubling backoff without one, or
    /// when it is zero).
    /// Returns the pause.
    pub(crate) fn rate_limited(&mut self, started: Instant, retry_after: Option<Duration>, now: Instant) -> Duration {
        self.done();
        if started >= self.decreased_at {
            self.window = (self.window / 2.0).max(1.0);
            self.decreased_at = now;
            self.limited_in_a_row = self.limited_in_a_row.saturating_add(1);
        }
        // A zero wait (`Retry-After: 0`, a date already past) says nothing usable: back off.
        let wait = retry_after.filter(|d| !d.is_zero()).unwrap_or_else(|| {
            FIRST_LIMITED_BACKOFF
                .saturating_mul(1u32 << self.limited_in_a_row.saturating_sub(1).min(16))
                .min(MAX_LIMITED_BACKOFF)
        });
        let until = now + wait;
        self.resume_at = Some(self.resume_at.map_or(until, |t| t.max(until)));
        wait
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_window_halves_once_per_burst_and_grows_back() {
        let t0 = Instant::now();
        let mut p = Pacer::new(16, None, t0);
        let started: Vec<Instant> = (0..16).map(|_| p.try_start(t0).unwrap()).collect();
        assert_eq!(p.try_start(t0), Err(Wait::Completion));
        // The whole burst is refused: one halving, not sixteen.
        let later = t0 + Duration::from_millis(10);
        for s in &started {
            p.rate_limited(*s, Some(Duration::from_secs(2)), later);
        }
        assert_eq!(p.concurrency(), 8);
        // Retry-After holds every write back.
        assert_eq!(p.try_start(later), Err(Wait::Until(later + Duration::from_secs(2))));
        let resume = later + Duration::from_secs(2);
        // After the pause, 8 at a time; successes raise the window again, one per window.
        for _ in 0..8 {
            p.try_start(resume).unwrap();
        }
        assert_eq!(p.try_start(resume), Err(Wait::Completion));
        for _ in 0..8 {
            p.succeeded();
        }
        assert_eq!(p.concurrency(), 8, "+1/8 per success: 8 successes add about one");
        for _ in 0..200 {
            p.try_start(resume).unwrap();
            p.succeeded();
        }
        assert_eq!(p.concurrency(), 16, "back to the maximum, never above");
        // A refusal of a write started after the last decrease halves again.
        let s = p.try_start(resume).unwrap();
        p.rate_limited(s, None, resume);
        assert_eq!(p.concurrency(), 8);
    }

    #[tokio::test(start_paused = true)]
    async fn without_retry_after_the_pause_doubles() {
        let t0 = Instant::now();
        let mut p = Pacer::new(1, None, t0);
        let mut now = t0;
        let mut waits = Vec::new();
        for _ in 0..8 {
            let s = p.try_start(now).unwrap();
            waits.push(p.rate_limited(s, None, now).as_secs());
            now += Duration::from_secs(100);
        }
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60]);
        let s = p.try_start(now).unwrap();
        p.succeeded();
        let _ = s;
        let s = p.try_start(now).unwrap();
        assert_eq!(
            p.rate_limited(s, None, now),
            Duration::from_secs(1),
            "a success resets the backoff"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_zero_retry_after_is_no_retry_after() {
        // `Retry-After: 0`, or an HTTP date already past: taken at its word, every refused write
        // would be sent again at once, for as long as the server refuses.
        let t0 = Instant::now();
        let mut p = Pacer::new(1, None, t0);
        let mut now = t0;
        let mut waits = Vec::new();
        for _ in 0..3 {
            let s = p.try_start(now).unwrap();
            waits.push(p.rate_limited(s, Some(Duration::ZERO), now).as_secs());
            assert_eq!(
                p.try_start(now),
                Err(Wait::Until(now + Duration::from_secs(waits[waits.len() - 1])))
            );
            now += Duration::from_secs(100);
        }
        assert_eq!(waits, [1, 2, 4]);
    }

    #[tokio::test(start_paused = true)]
    async fn the_rate_cap_spaces_writes_evenly() {
        let t0 = Instant::now();
        let mut p = Pacer::new(64, Some(4.0), t0);
        let mut now = t0;
        let mut starts = Vec::new();
        while starts.len() < 9 {
            match p.try_start(now) {
                Ok(s) => {
                    starts.push(s - t0);
                    p.succeeded();
                }
                Err(Wait::Until(t)) => now = t,
                Err(Wait::Completion) => unreachable!(),
            }
        }
        let ms: Vec<u128> = starts.iter().map(Duration::as_millis).collect();
        assert_eq!(ms, [0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000]);
        // Idle time is not banked into a burst.
        now += Duration::from_secs(10);
        assert!(p.try_start(now).is_ok());
        p.succeeded();
        assert_eq!(p.try_start(now), Err(Wait::Until(now + Duration::from_millis(250))));
    }
}
