//! Fault injection: per-route rules that replace or delay the normal answer.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::Method;

/// What a [`FaultRule`] does to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer normally (useful inside a sequence: "fail, then succeed, then fail").
    Pass,
    /// Answer with this HTTP status and the product's error envelope (e.g. 500, 503).
    Status(u16),
    /// Answer HTTP 429 with the product's error envelope and `Retry-After` (whole seconds,
    /// rounded up).
    TooManyRequests {
        /// The wait announced in `Retry-After`.
        retry_after: Duration,
    },
    /// Answer HTTP 502 with an HTML page, as a load balancer in front of the API would.
    HtmlBadGateway,
    /// Close the connection without sending any byte of a response.
    ///
    /// The request is read (and journaled) first; the socket is then closed, so the client sees
    /// "connection closed before message completed" rather than a status.
    DropConnection,
    /// Wait this long, then answer normally. A client that gives up first leaves no trace:
    /// the request is neither processed nor journaled.
    Delay(Duration),
    /// Process the request (it takes effect and is journaled), then close the connection
    /// without answering: the client cannot know whether its request happened.
    DropAfterHandling,
    /// Process the request (it takes effect and is journaled), then wait this long before
    /// answering: a client with a shorter timeout gives up on a request that did happen.
    SlowAnswer(Duration),
}

#[derive(Debug, Clone)]
enum Plan {
    Always(Fault),
    Sequence(VecDeque<Fault>),
    Random { rng: XorShift, choices: Vec<(u32, Fault)> },
}

/// A fault-injection rule for the requests whose method and path match.
///
/// A rule matches when the method is equal (or the rule is for any method) and the request
/// path starts with the prefix. The first active matching rule decides: an
/// [`always`](Self::always) rule stays active, a [`sequence`](Self::sequence) rule is consumed one
/// fault per matching request and becomes inactive when empty (so later rules and then the normal
/// answer take over), a [`random`](Self::random) rule draws from a seeded generator.
///
/// ```
/// use std::time::Duration;
/// use yeastar_sandbox::{Fault, FaultRule, Method};
///
/// // The first create fails with 503, the second is rate limited, then creates work.
/// let rule = FaultRule::new(Method::POST, "/dm/open_api/v1/users").sequence([
///     Fault::Status(503),
///     Fault::TooManyRequests { retry_after: Duration::from_secs(1) },
/// ]);
/// // 10 % of Workplace calls answer 500, 5 % lose their connection, all are 20 ms slower.
/// let soak = FaultRule::any_method("/services/openapi/")
///     .random(42, [(10, Fault::Status(500)), (5, Fault::DropConnection)])
///     .with_latency(Duration::from_millis(20));
/// # let _ = (rule, soak);
/// ```
#[derive(Debug, Clone)]
pub struct FaultRule {
    method: Option<Method>,
    path_prefix: String,
    plan: Plan,
    latency: Duration,
}

impl FaultRule {
    /// A rule for `method` requests whose path starts with `path_prefix`. Until a plan is set
    /// it only adds its latency (none by default).
    pub fn new(method: Method, path_prefix: impl Into<String>) -> Self {
        Self {
            method: Some(method),
            path_prefix: path_prefix.into(),
            plan: Plan::Always(Fault::Pass),
            latency: Duration::ZERO,
        }
    }

    /// A rule for requests of any method whose path starts with `path_prefix`.
    pub fn any_method(path_prefix: impl Into<String>) -> Self {
        Self {
            method: None,
            ..Self::new(Method::GET, path_prefix)
        }
    }

    /// Applies `fault` to every matching request.
    pub fn always(mut self, fault: Fault) -> Self {
        self.plan = Plan::Always(fault);
        self
    }

    /// Applies the faults in order, one per matching request; the rule is spent afterwards.
    pub fn sequence(mut self, faults: impl IntoIterator<Item = Fault>) -> Self {
        self.plan = Plan::Sequence(faults.into_iter().collect());
        self
    }

    /// For each matching request, picks a fault with the given percentages (0–100, summing to at
    /// most 100; the rest passes) from a xorshift generator seeded with `seed`.
    pub fn random(mut self, seed: u64, choices: impl IntoIterator<Item = (u32, Fault)>) -> Self {
        self.plan = Plan::Random {
            rng: XorShift::new(seed),
            choices: choices.into_iter().collect(),
        };
        self
    }

    /// Adds `latency` before every matching request's answer (while the rule is active).
    pub fn with_latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    fn matches(&self, method: &Method, path: &str) -> bool {
        self.method.as_ref().is_none_or(|m| m == method) && path.starts_with(&self.path_prefix)
    }

    fn is_spent(&self) -> bool {
        matches!(&self.plan, Plan::Sequence(q) if q.is_empty())
    }

    fn draw(&mut self) -> Fault {
        match &mut self.plan {
            Plan::Always(f) => f.clone(),
            Plan::Sequence(q) => q.pop_front().unwrap_or(Fault::Pass),
            Plan::Random { rng, choices } => {
                let roll = (rng.next_u64() % 100) as u32;
                let mut acc = 0;
                for (pct, fault) in choices.iter() {
                    acc += *pct;
                    if roll < acc {
                        return fault.clone();
                    }
                }
                Fault::Pass
            }
        }
    }
}

/// The live list of fault rules of a running sandbox ([`Sandbox::faults`](crate::Sandbox::faults)).
/// Cloning gives another handle to the same list.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    rules: Arc<Mutex<Vec<FaultRule>>>,
}

impl Faults {
    pub(crate) fn new(rules: Vec<FaultRule>) -> Self {
        Self {
            rules: Arc::new(Mutex::new(rules)),
        }
    }

    /// Adds a rule after the existing ones.
    pub fn push(&self, rule: FaultRule) {
        self.lock().push(rule);
    }

    /// Removes every rule.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// The number of rules that are still active (spent sequences are not counted).
    pub fn active(&self) -> usize {
        self.lock().iter().filter(|r| !r.is_spent()).count()
    }

    /// The latency and fault for a request, consuming a sequence step.
    pub(crate) fn next(&self, method: &Method, path: &str) -> Option<(Duration, Fault)> {
        let mut rules = self.lock();
        let rule = rules.iter_mut().find(|r| !r.is_spent() && r.matches(method, path))?;
        let latency = rule.latency;
        Some((latency, rule.draw()))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<FaultRule>> {
        // A panic while holding the lock cannot leave the list inconsistent; keep going.
        self.rules.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A small xorshift64* generator: reproducible randomness without a crate.
#[derive(Debug, Clone)]
pub(crate) struct XorShift(u64);

impl XorShift {
    pub(crate) fn new(seed: u64) -> Self {
        // Zero is a fixed point of xorshift; mix the seed so that 0 works too.
        Self(seed ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences_are_consumed_then_spent() {
        let faults = Faults::new(vec![
            FaultRule::new(Method::POST, "/a").sequence([Fault::Status(503), Fault::Pass]),
        ]);
        assert_eq!(faults.next(&Method::GET, "/a/b"), None);
        assert_eq!(
            faults.next(&Method::POST, "/a/b"),
            Some((Duration::ZERO, Fault::Status(503)))
        );
        assert_eq!(faults.next(&Method::POST, "/a/b"), Some((Duration::ZERO, Fault::Pass)));
        assert_eq!(faults.next(&Method::POST, "/a/b"), None);
        assert_eq!(faults.active(), 0);
    }

    #[test]
    fn random_rules_are_reproducible_and_roughly_proportional() {
        let draw = |seed| {
            let faults = Faults::new(vec![
                FaultRule::any_method("/").random(seed, [(30, Fault::Status(500))]),
            ]);
            (0..1000)
                .map(|_| faults.next(&Method::GET, "/x").unwrap().1)
                .collect::<Vec<_>>()
        };
        let a = draw(7);
        assert_eq!(a, draw(7));
        let errors = a.iter().filter(|f| **f == Fault::Status(500)).count();
        assert!((200..400).contains(&errors), "{errors}");
    }
}
