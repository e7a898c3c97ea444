//! Fault injection: per-route rules that replace or delay the normal answer.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::Method;

use crate::Product;

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
    /// Answer HTTP 401 with an empty body and `WWW-Authenticate: Bearer error="invalid_token"`,
    /// as RFC 6750 resource servers and gateways do (no envelope, no `Content-Type`).
    BearerChallenge,
    /// Answer with error text that echoes a secret of the request, as Spring and some OAuth
    /// servers do, in every field the SDKs read: `code`, `detailMessage` and `result`
    /// (Partner Portal), `errcode`, `errmsg` and `data` (YCM), `errMsg` and `detailMsg`
    /// (Workplace). The HTTP status is the one such servers use: 401 for an access token or
    /// a client secret, 400 for a refresh token. A secret the request did not carry is echoed
    /// as an empty string.
    EchoSecret(EchoedSecret),
    /// Answer HTTP 200 with a body that holds no token (a token endpoint that says "success"
    /// but issues nothing).
    NoToken(NoTokenBody),
    /// Answer HTTP 403 with an HTML page, as a web application firewall in front of the API
    /// would (not a refusal of the credentials).
    HtmlForbidden,
    /// Never answer: the request is journaled (with no status) and not processed; the
    /// connection stays open until the client gives up or the sandbox shuts down (then it is
    /// closed without an answer). For a *slow* endpoint use [`Fault::Delay`].
    Hang,
}

/// The secret a [`Fault::EchoSecret`] puts in its error text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EchoedSecret {
    /// `Invalid access token: <token>` (the bearer token, or Workplace's `access_token`
    /// query parameter); HTTP 401.
    AccessToken,
    /// `Invalid refresh token: <token>` (the form's `refresh_token`); HTTP 400.
    RefreshToken,
    /// `Bad client credentials: <secret>` (the form's `client_secret`, or the password of
    /// HTTP Basic); HTTP 401.
    ClientSecret,
}

/// The body of a [`Fault::NoToken`] (always HTTP 200, `application/json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NoTokenBody {
    /// Exactly `{"errmsg":"system busy"}`.
    SystemBusy,
    /// Exactly `{}`.
    EmptyObject,
    /// The product's error envelope ("System busy, please try again later": Partner Portal
    /// `code` `system_busy` with `status` 200, YCM `errcode` 1000001 SERVER_ERROR,
    /// Workplace `errMsg` `SYSTEM_BUSY`).
    ErrorEnvelope,
}

#[derive(Debug, Clone)]
enum Plan {
    Always(Fault),
    Sequence(VecDeque<Fault>),
    Random { rng: XorShift, choices: Vec<(u32, Fault)> },
}

/// Which requests a [`FaultRule`] is for.
#[derive(Debug, Clone)]
enum Target {
    /// Paths starting with this prefix.
    Prefix(String),
    /// The token endpoint(s) of a product.
    TokenEndpoint(Product),
    /// Every path of a product except its token endpoint(s).
    ApiCalls(Product),
}

impl Target {
    fn matches(&self, path: &str) -> bool {
        match self {
            Target::Prefix(prefix) => path.starts_with(prefix.as_str()),
            Target::TokenEndpoint(p) => p.token_paths().contains(&path),
            Target::ApiCalls(p) => Product::for_path(path) == Some(*p) && !p.token_paths().contains(&path),
        }
    }
}

/// A fault-injection rule for the requests whose method and path match.
///
/// A rule matches when the method is equal (or the rule is for any method) and the request
/// path starts with the prefix (or, for [`token_endpoint`](Self::token_endpoint) and
/// [`api_calls`](Self::api_calls), belongs to the product). The first active matching rule
/// decides: an
/// [`always`](Self::always) rule stays active, a [`sequence`](Self::sequence) rule is consumed one
/// fault per matching request and becomes inactive when empty (so later rules and then the normal
/// answer take over), a [`random`](Self::random) rule draws from a seeded generator.
///
/// ```
/// use std::time::Duration;
/// use yeastar_sandbox::{Fault, FaultRule, Method, Product};
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
/// // A hostile YCM: the token endpoint hangs once, then answers slowly; the API calls answer
/// // 401 with an empty body.
/// let token = FaultRule::token_endpoint(Product::Ycm)
///     .sequence([Fault::Hang, Fault::Delay(Duration::from_secs(2))]);
/// let calls = FaultRule::api_calls(Product::Ycm).always(Fault::BearerChallenge);
/// # let _ = (rule, soak, token, calls);
/// ```
#[derive(Debug, Clone)]
pub struct FaultRule {
    method: Option<Method>,
    target: Target,
    plan: Plan,
    latency: Duration,
}

impl FaultRule {
    /// A rule for `method` requests whose path starts with `path_prefix`. Until a plan is set
    /// it only adds its latency (none by default).
    pub fn new(method: Method, path_prefix: impl Into<String>) -> Self {
        Self::targeting(Some(method), Target::Prefix(path_prefix.into()))
    }

    /// A rule for requests of any method whose path starts with `path_prefix`.
    pub fn any_method(path_prefix: impl Into<String>) -> Self {
        Self::targeting(None, Target::Prefix(path_prefix.into()))
    }

    /// A rule for `product`'s token endpoint(s): Partner Portal
    /// `/auth/openapi/v1/oauth/token`, YCM `/dm/open_api/oauth/token`, Workplace
    /// `…/authentication/get_token` and `…/authentication/refresh_token`.
    pub fn token_endpoint(product: Product) -> Self {
        Self::targeting(None, Target::TokenEndpoint(product))
    }

    /// A rule for every call to `product` except its token endpoint(s) (the business
    /// endpoints, and unknown paths under the product's prefixes).
    pub fn api_calls(product: Product) -> Self {
        Self::targeting(None, Target::ApiCalls(product))
    }

    fn targeting(method: Option<Method>, target: Target) -> Self {
        Self {
            method,
            target,
            plan: Plan::Always(Fault::Pass),
            latency: Duration::ZERO,
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
        self.method.as_ref().is_none_or(|m| m == method) && self.target.matches(path)
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
    fn product_rules_split_token_endpoints_from_api_calls() {
        let token = FaultRule::token_endpoint(Product::Workplace);
        let api = FaultRule::api_calls(Product::Workplace);
        for path in [
            "/services/openapi/v1.0/authentication/get_token",
            "/services/openapi/v1.0/authentication/refresh_token",
        ] {
            assert!(
                token.matches(&Method::POST, path) && !api.matches(&Method::POST, path),
                "{path}"
            );
        }
        for path in [
            "/services/openapi/v1.0/user/user_list",
            "/services/openapi/v1.0/nothing",
        ] {
            assert!(
                !token.matches(&Method::GET, path) && api.matches(&Method::GET, path),
                "{path}"
            );
        }
        // Another product's paths, token or not, are not this product's.
        for path in ["/dm/open_api/oauth/token", "/user/openapi/area/v1/page", "/favicon.ico"] {
            assert!(
                !token.matches(&Method::POST, path) && !api.matches(&Method::POST, path),
                "{path}"
            );
        }
        assert!(FaultRule::api_calls(Product::PartnerPortal).matches(&Method::GET, "/order/openapi/order/v1/page"));
        assert!(!FaultRule::api_calls(Product::PartnerPortal).matches(&Method::POST, "/auth/openapi/v1/oauth/token"));
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
