//! Sandbox configuration.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use crate::clock::{Clock, ManualClock};
use crate::fault::FaultRule;
use crate::{
    DEMO_PP_CLIENT_ID, DEMO_PP_CLIENT_SECRET, DEMO_WP_CLIENT_ID, DEMO_WP_CLIENT_SECRET, DEMO_YCM_CLIENT_ID,
    DEMO_YCM_CLIENT_SECRET, Product,
};

/// Lifetimes of the access and refresh tokens a product issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenLifetimes {
    /// How long an access token is accepted.
    pub access: Duration,
    /// How long a refresh token can be exchanged.
    pub refresh: Duration,
}

impl TokenLifetimes {
    /// Lifetimes `access` and `refresh`.
    pub fn new(access: Duration, refresh: Duration) -> Self {
        Self { access, refresh }
    }

    /// The documented lifetimes: PP and YCM 30 minutes / 15 days, Workplace 24 hours / 24 hours.
    pub fn documented(product: Product) -> Self {
        const MIN: u64 = 60;
        const HOUR: u64 = 60 * MIN;
        const DAY: u64 = 24 * HOUR;
        match product {
            Product::PartnerPortal | Product::Ycm => {
                Self::new(Duration::from_secs(30 * MIN), Duration::from_secs(15 * DAY))
            }
            Product::Workplace => Self::new(Duration::from_secs(DAY), Duration::from_secs(DAY)),
        }
    }
}

/// A token-bucket rate limit per client: YCM's documented limit (the `Burst` / `Rate` /
/// `Interval` a parent account sets for each subordinate's Client ID), and the simulator's
/// own for Partner Portal and Workplace, which document none.
///
/// The bucket holds at most `burst` tokens and starts full; every API call (not the token
/// endpoint) takes one; `rate` tokens are added at the end of every `interval` (not
/// continuously). A call finding the bucket empty gets HTTP 429 with `Retry-After` (whole
/// seconds until the next refill, rounded up) in the product's error envelope: YCM
/// `errcode` 1000040 RATE_LIMIT_EXCEEDED, Partner Portal `code` `too_many_requests`,
/// Workplace `errMsg` `TOO_MANY_REQUESTS`. Buckets are per client id (calls without a valid
/// token: per IP address).
///
/// ```
/// use std::time::Duration;
/// use yeastar_sandbox::{Product, RateLimit, SandboxConfig};
///
/// // YCM's documented example scaled down 100 times: 6 calls at once, then 3 per 1.8 s.
/// let config = SandboxConfig::new()
///     .with_rate_limit(Product::Ycm, RateLimit::new(6, 3, Duration::from_millis(1800)));
/// assert_eq!(config.rate_limit(Product::Ycm).unwrap().burst, 6);
/// assert_eq!(config.rate_limit(Product::Workplace), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Bucket size.
    pub burst: u32,
    /// Tokens added per interval.
    pub rate: u32,
    /// The refill interval (YCM configures it in minutes).
    pub interval: Duration,
}

impl RateLimit {
    /// A bucket of `burst` tokens refilled by `rate` every `interval`.
    pub fn new(burst: u32, rate: u32, interval: Duration) -> Self {
        Self { burst, rate, interval }
    }

    /// The example of YCM's guide ("Limit API request rate for subordinate users"): Burst
    /// 600, Rate 300, Interval 3 minutes.
    pub fn ycm_documented_example() -> Self {
        Self::new(600, 300, Duration::from_secs(3 * 60))
    }
}

/// How to run a [`Sandbox`](crate::Sandbox). Every setting has a default; chain the `with_*`
/// methods to change them.
///
/// ```
/// use std::time::Duration;
/// use yeastar_sandbox::{Product, SandboxConfig, TokenLifetimes};
///
/// let config = SandboxConfig::default()
///     .with_port(0)
///     .with_token_lifetimes(Product::Ycm, TokenLifetimes::new(Duration::from_millis(300), Duration::from_secs(5)))
///     .with_ycm_lockout_threshold(Some(5));
/// assert_eq!(config.token_lifetimes(Product::Ycm).access, Duration::from_millis(300));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SandboxConfig {
    pub(crate) host: IpAddr,
    pub(crate) port: u16,
    pub(crate) lifetimes: HashMap<Product, TokenLifetimes>,
    pub(crate) credentials: HashMap<Product, (String, String)>,
    pub(crate) ycm_lockout_threshold: Option<u32>,
    pub(crate) rate_limits: HashMap<Product, RateLimit>,
    pub(crate) clock: Clock,
    pub(crate) faults: Vec<FaultRule>,
    pub(crate) seed: Option<u64>,
    pub(crate) ycm_provisioning: Duration,
    pub(crate) ycm_starting: Duration,
    pub(crate) ycm_create_answers_id: bool,
    pub(crate) ycm_webhook: Option<YcmWebhook>,
    pub(crate) wp_callback_uri: Option<String>,
    pub(crate) wp_webhook_retry_interval: Duration,
    pub(crate) pp_order_processing: Duration,
}

/// Where the sandbox POSTs YCM webhook events, and the secret it signs them with (YCM's
/// "Webhook Event Push": `X-Signature` = Base64(HMAC-SHA256(body, secret))).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct YcmWebhook {
    /// The webhook URL.
    pub url: String,
    /// The signing secret (YCM generates 32 characters).
    pub secret: String,
}

impl std::fmt::Debug for YcmWebhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("YcmWebhook")
            .field("url", &self.url)
            .field("secret", &"[redacted]")
            .finish()
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        let products = [Product::PartnerPortal, Product::Ycm, Product::Workplace];
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            lifetimes: products.iter().map(|&p| (p, TokenLifetimes::documented(p))).collect(),
            credentials: [
                (Product::PartnerPortal, (DEMO_PP_CLIENT_ID, DEMO_PP_CLIENT_SECRET)),
                (Product::Ycm, (DEMO_YCM_CLIENT_ID, DEMO_YCM_CLIENT_SECRET)),
                (Product::Workplace, (DEMO_WP_CLIENT_ID, DEMO_WP_CLIENT_SECRET)),
            ]
            .into_iter()
            .map(|(p, (id, secret))| (p, (id.to_owned(), secret.to_owned())))
            .collect(),
            ycm_lockout_threshold: Some(5),
            rate_limits: HashMap::new(),
            clock: Clock::System,
            faults: Vec::new(),
            seed: None,
            ycm_provisioning: Duration::from_secs(3),
            ycm_starting: Duration::from_secs(1),
            ycm_create_answers_id: true,
            ycm_webhook: None,
            wp_callback_uri: None,
            wp_webhook_retry_interval: Duration::from_secs(1),
            pp_order_processing: Duration::from_secs(2),
        }
    }
}

impl SandboxConfig {
    /// The default configuration (same as [`Default`]): `127.0.0.1`, a free port, the
    /// documented token lifetimes and demo credentials, YCM lockout after more than 5
    /// failures, no rate limit, no faults, the system clock.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the address to listen on (default `127.0.0.1`).
    pub fn with_host(mut self, host: IpAddr) -> Self {
        self.host = host;
        self
    }

    /// Sets the port to listen on (default 0: any free port).
    pub fn with_port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Sets the token lifetimes of `product`.
    pub fn with_token_lifetimes(mut self, product: Product, lifetimes: TokenLifetimes) -> Self {
        self.lifetimes.insert(product, lifetimes);
        self
    }

    /// Sets the same token lifetimes for all three products.
    pub fn with_all_token_lifetimes(mut self, lifetimes: TokenLifetimes) -> Self {
        for l in self.lifetimes.values_mut() {
            *l = lifetimes;
        }
        self
    }

    /// Replaces the client id and secret accepted by `product` (default: the `DEMO_*` constants).
    pub fn with_credentials(mut self, product: Product, client_id: &str, client_secret: &str) -> Self {
        self.credentials
            .insert(product, (client_id.to_owned(), client_secret.to_owned()));
        self
    }

    /// YCM blocks a client IP after **more than** `threshold` consecutive failed
    /// authentications (default `Some(5)`, as documented); `None` never blocks.
    pub fn with_ycm_lockout_threshold(mut self, threshold: Option<u32>) -> Self {
        self.ycm_lockout_threshold = threshold;
        self
    }

    /// Enables YCM's token-bucket rate limit on the YCM API calls (not the token endpoint);
    /// the same as `with_rate_limit(Product::Ycm, limit)`.
    pub fn with_ycm_rate_limit(self, limit: RateLimit) -> Self {
        self.with_rate_limit(Product::Ycm, limit)
    }

    /// Enables a token-bucket [`RateLimit`] on `product`'s API calls (not its token
    /// endpoints), answered as that product answers (HTTP 429, `Retry-After`, its error
    /// envelope). Default: no limit for any product.
    pub fn with_rate_limit(mut self, product: Product, limit: RateLimit) -> Self {
        self.rate_limits.insert(product, limit);
        self
    }

    /// Runs the sandbox on `clock` instead of the system clock: token lifetimes and rate-limit
    /// refills then move only when the test [advances](ManualClock::advance) it.
    pub fn with_clock(mut self, clock: ManualClock) -> Self {
        self.clock = Clock::Manual(clock);
        self
    }

    /// Adds a fault rule active from the start (more can be added at runtime through
    /// [`Sandbox::faults`](crate::Sandbox::faults)).
    pub fn with_fault(mut self, rule: FaultRule) -> Self {
        self.faults.push(rule);
        self
    }

    /// Seeds the generator of tokens and ids, for reproducible runs (default: the clock).
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// How long a new YCM Cloud PBX stays `Provisioning` before it is `Running` (default 3 s;
    /// on the sandbox's clock, so a [`ManualClock`] controls it).
    pub fn with_ycm_provisioning_time(mut self, d: Duration) -> Self {
        self.ycm_provisioning = d;
        self
    }

    /// How long a new Partner Portal order stays `pending` before it is `succeed` and its
    /// purchased product (licence) appears (default 2 s; on the sandbox's clock, so a
    /// [`ManualClock`] controls it; zero settles orders at once).
    pub fn with_pp_order_processing_time(mut self, d: Duration) -> Self {
        self.pp_order_processing = d;
        self
    }

    /// How long a started YCM Cloud PBX stays `Starting` before it is `Running` (default 1 s).
    pub fn with_ycm_starting_time(mut self, d: Duration) -> Self {
        self.ycm_starting = d;
        self
    }

    /// Whether creating a YCM Cloud PBX answers `data: {cloudPbxId}` (default `true`). The real
    /// answer is undocumented; `false` answers without `data`, so that a client's fallback (a
    /// search by sub-domain) can be exercised.
    pub fn with_ycm_create_pbx_answers_id(mut self, answers_id: bool) -> Self {
        self.ycm_create_answers_id = answers_id;
        self
    }

    /// POSTs the YCM webhook events ("PCE Capacity Change" on creation and resize, "PCE DID
    /// Change" on DID changes) to `url`, signed with `secret` in `X-Signature`. Delivery is
    /// best effort, in the background; failures are logged, not retried.
    pub fn with_ycm_webhook(mut self, url: impl Into<String>, secret: impl Into<String>) -> Self {
        self.ycm_webhook = Some(YcmWebhook {
            url: url.into(),
            secret: secret.into(),
        });
        self
    }

    /// The Workplace **Callback URI** (set in Workplace's admin portal, Integration > API >
    /// Settings; there is no API for it): where the sandbox POSTs the Workplace events a
    /// subscription asks for (see [`Sandbox::emit_workplace_event`](crate::Sandbox::emit_workplace_event)).
    /// Default: none, so events go nowhere.
    pub fn with_wp_callback_uri(mut self, url: impl Into<String>) -> Self {
        self.wp_callback_uri = Some(url.into());
        self
    }

    /// The first wait before a failed Workplace event is sent again (default 1 s). Workplace
    /// resends a failed event 3 more times "at increasing intervals" (undocumented): the
    /// sandbox waits this interval, then twice it, then four times it.
    pub fn with_wp_webhook_retry_interval(mut self, interval: Duration) -> Self {
        self.wp_webhook_retry_interval = interval;
        self
    }

    /// The token lifetimes of `product`.
    pub fn token_lifetimes(&self, product: Product) -> TokenLifetimes {
        self.lifetimes
            .get(&product)
            .copied()
            .unwrap_or_else(|| TokenLifetimes::documented(product))
    }

    /// The rate limit of `product`, if one is set.
    pub fn rate_limit(&self, product: Product) -> Option<RateLimit> {
        self.rate_limits.get(&product).copied()
    }

    /// The address the sandbox listens on.
    pub fn socket_addr(&self) -> std::net::SocketAddr {
        std::net::SocketAddr::new(self.host, self.port)
    }
}
