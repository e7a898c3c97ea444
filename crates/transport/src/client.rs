//! The client: configuration, and the call loop (tokens, attempts, retries, decoding, tracing).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::uri::{Authority, PathAndQuery, Scheme};
use http::{HeaderValue, Uri};
use tokio::time::Instant;
use tracing::Instrument;

use crate::auth::{
    AccessToken, Credentials, CredentialsRepr, TokenCache, TokenSource, TokenStore, TokenUse, bearer_header,
};
use crate::envelope::{Meta, RawResponse};
use crate::error::{ApiError, ApiErrorKind, AuthError, AuthErrorKind, Error, Result, TimeoutKind, TransportError};
use crate::http::{Http, HttpSend};
use crate::options::CallOptions;
use crate::paging::{ListEndpoint, Pages};
use crate::product::{ErrorCodes, Product, ProductSpec};
use crate::request::{Body, Endpoint, Request};
use crate::retry::{Decision, RetryPolicy, classify, may_have_taken_effect, retry_after};
use crate::scrub::Scrubber;
use crate::secret::Secret;

/// Time limits. All have finite defaults, so a call can never hang.
///
/// ```
/// use std::time::Duration;
/// use yeastar_transport::Timeouts;
/// let t = Timeouts::default().with_total(Duration::from_secs(30));
/// assert_eq!(t.connect, Duration::from_secs(10));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Establishing a connection. Default 10 s.
    pub connect: Duration,
    /// One attempt: send the request and read the whole response. Default 30 s.
    pub attempt: Duration,
    /// The whole call, all attempts, waits and token requests included. Default 90 s.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            attempt: Duration::from_secs(30),
            total: Duration::from_secs(90),
        }
    }
}

impl Timeouts {
    /// Sets the connect timeout.
    pub fn with_connect(mut self, d: Duration) -> Self {
        self.connect = d;
        self
    }
    /// Sets the per-attempt timeout.
    pub fn with_attempt(mut self, d: Duration) -> Self {
        self.attempt = d;
        self
    }
    /// Sets the total timeout.
    pub fn with_total(mut self, d: Duration) -> Self {
        self.total = d;
        self
    }

    /// Zero is refused; anything longer than a year is taken as a year (so that no deadline
    /// arithmetic can overflow, whatever the setting).
    fn checked(self) -> std::result::Result<Self, String> {
        for (name, d) in [
            ("connect", self.connect),
            ("attempt", self.attempt),
            ("total", self.total),
        ] {
            if d.is_zero() {
                return Err(format!("the {name} timeout must be greater than zero"));
            }
        }
        Ok(Self {
            connect: self.connect.min(MAX_TIME_LIMIT),
            attempt: self.attempt.min(MAX_TIME_LIMIT),
            total: self.total.min(MAX_TIME_LIMIT),
        })
    }
}

/// The longest time limit taken (a year): longer ones are taken as this, so that no deadline
/// arithmetic can overflow (`Instant + Duration::MAX` panics).
pub const MAX_TIME_LIMIT: Duration = Duration::from_secs(365 * 24 * 3600);

/// The validated configuration of a client (secrets are not part of it).
#[non_exhaustive]
#[derive(Debug, Clone)]
pub struct Config {
    /// The product.
    pub product: Product,
    /// The base URL, without a trailing slash.
    pub base_url: String,
    /// The `User-Agent` sent with every request.
    pub user_agent: String,
    /// Time limits.
    pub timeouts: Timeouts,
    /// Retry policy.
    pub retry: RetryPolicy,
    /// The largest response body read; a larger one ends the attempt with an error.
    pub max_body_bytes: usize,
}

/// The default `User-Agent`: every Yeastar API requires one.
pub const DEFAULT_USER_AGENT: &str = concat!("yeastar-rust/", env!("CARGO_PKG_VERSION"));

/// The default cap on a response body: 16 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Builds a client for product `P`; everything is validated once, in [`ClientBuilder::build`].
///
/// Product crates hand one out from `Client::builder()`:
///
/// ```no_run
/// # use yeastar_transport::{ClientBuilder, Credentials, ProductSpec};
/// # fn demo<P: ProductSpec>() -> Result<(), yeastar_transport::Error> {
/// let client = ClientBuilder::<P>::new()
///     .credentials(Credentials::client("client-id", "client-secret"))
///     .app_name("acme-onboarding/2.1")
///     .build()?;
/// # Ok(()) }
/// ```
pub struct ClientBuilder<P: ProductSpec> {
    base_url: Option<String>,
    default_base_url: Cow<'static, str>,
    credentials: Option<Credentials>,
    app_name: Option<String>,
    timeouts: Timeouts,
    retry: RetryPolicy,
    max_body_bytes: usize,
    allow_insecure_http: bool,
    http: Option<Arc<dyn HttpSend>>,
    token_source: Option<Arc<dyn TokenSource>>,
    token_store: Option<Arc<dyn TokenStore>>,
    _product: PhantomData<fn() -> P>,
}

impl<P: ProductSpec> fmt::Debug for ClientBuilder<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let base = self.base_url.as_deref().unwrap_or(&self.default_base_url);
        f.debug_struct("ClientBuilder")
            .field("product", &P::PRODUCT)
            .field("base_url", &redact_userinfo(base))
            .field("credentials", &self.credentials)
            .field("app_name", &self.app_name)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish_non_exhaustive()
    }
}

impl<P: ProductSpec> Default for ClientBuilder<P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: ProductSpec> ClientBuilder<P> {
    /// A builder with the product's defaults.
    pub fn new() -> Self {
        Self {
            base_url: None,
            default_base_url: Cow::Borrowed(P::DEFAULT_BASE_URL),
            credentials: None,
            app_name: None,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            allow_insecure_http: false,
            http: None,
            token_source: None,
            token_store: None,
            _product: PhantomData,
        }
    }

    /// Overrides the product's host (a proxy, the sandbox, a test server). Must be `https`,
    /// except for loopback hosts or with [`allow_insecure_http`](Self::allow_insecure_http).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Replaces the product's default host (used by product crates for regions); an explicit
    /// [`base_url`](Self::base_url) still wins.
    #[doc(hidden)]
    pub fn default_base_url(mut self, url: impl Into<Cow<'static, str>>) -> Self {
        self.default_base_url = url.into();
        self
    }

    /// How to authenticate (required).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Appends `name` to the `User-Agent` (`yeastar-rust/0.1.0 name`), so that Yeastar can tell
    /// your application apart.
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = Some(name.into());
        self
    }

    /// Sets all time limits.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Sets the connect timeout.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.timeouts.connect = d;
        self
    }

    /// Sets the per-attempt timeout.
    pub fn attempt_timeout(mut self, d: Duration) -> Self {
        self.timeouts.attempt = d;
        self
    }

    /// Sets the total timeout of a call, retries included.
    pub fn total_timeout(mut self, d: Duration) -> Self {
        self.timeouts.total = d;
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the largest response body read (default 16 MiB).
    pub fn max_body_bytes(mut self, n: usize) -> Self {
        self.max_body_bytes = n;
        self
    }

    /// Allows a plain `http` base URL on a non-loopback host. Tokens then travel unencrypted.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Replaces the HTTP implementation (tests, custom TLS, proxies).
    pub fn http_client(mut self, http: Arc<dyn HttpSend>) -> Self {
        self.http = Some(http);
        self
    }

    /// Replaces the product's token source.
    pub fn token_source(mut self, source: Arc<dyn TokenSource>) -> Self {
        self.token_source = Some(source);
        self
    }

    /// Keeps tokens in `store` between processes.
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.token_store = Some(store);
        self
    }

    /// Validates the configuration and builds the product's client.
    pub fn build(self) -> Result<P::Client> {
        self.build_transport().map(P::Client::from)
    }

    fn build_transport(self) -> Result<Client> {
        let product = P::PRODUCT;
        let raw_url = self.base_url.as_deref().unwrap_or(&self.default_base_url);
        let base_url = validate_base_url(raw_url, self.allow_insecure_http)?;
        let timeouts = self.timeouts.checked().map_err(Error::Config)?;
        self.retry.validate().map_err(Error::Config)?;
        if self.max_body_bytes == 0 {
            return Err(Error::Config("max_body_bytes must be greater than zero".into()));
        }
        let user_agent = match &self.app_name {
            Some(app) if app.trim().is_empty() => {
                return Err(Error::Config("the app name must not be empty".into()));
            }
            Some(app) => format!("{DEFAULT_USER_AGENT} {}", app.trim()),
            None => DEFAULT_USER_AGENT.to_owned(),
        };
        let user_agent_header = HeaderValue::try_from(user_agent.as_str())
            .map_err(|_| Error::Config(format!("the app name {:?} is not a valid header value", self.app_name)))?;
        let (auth, scrubber) = match self.credentials.map(|c| c.0) {
            None => {
                return Err(Error::Config(
                    "credentials are required (client id and secret, or an access token)".into(),
                ));
            }
            Some(CredentialsRepr::AccessToken(t)) => {
                if t.is_empty() {
                    return Err(Error::Config("the access token is empty".into()));
                }
                let scrubber = Arc::new(Scrubber::new(Some(&t)));
                (Auth::Static(bearer_header(&t)?, t), scrubber)
            }
            Some(CredentialsRepr::Client {
                client_id,
                client_secret,
            }) => {
                if client_id.trim().is_empty() || client_secret.is_empty() {
                    return Err(Error::Config(
                        "the client id and client secret must not be empty".into(),
                    ));
                }
                let scrubber = Arc::new(Scrubber::new(Some(&client_secret)));
                let source = self.token_source.unwrap_or_else(P::token_source);
                let cache = TokenCache::new(
                    product,
                    source,
                    client_id,
                    client_secret,
                    self.token_store,
                    scrubber.clone(),
                );
                (Auth::Cache(Arc::new(cache)), scrubber)
            }
        };
        let http = match self.http {
            Some(h) => Http::Custom(h),
            None => default_http(timeouts.connect)?,
        };
        let base = split_base(&base_url)?;
        Ok(Client {
            inner: Arc::new(Inner {
                config: Config {
                    product,
                    base_url,
                    user_agent,
                    timeouts,
                    retry: self.retry.clone(),
                    max_body_bytes: self.max_body_bytes,
                },
                defaults: CallSettings {
                    timeouts,
                    retry: self.retry,
                    invalid: None,
                },
                base,
                user_agent: user_agent_header,
                http,
                auth,
                codes: P::ERROR_CODES,
                scrubber,
            }),
            settings: None,
        })
    }
}

#[cfg(feature = "reqwest")]
fn default_http(connect: Duration) -> Result<Http> {
    Ok(Http::Reqwest(crate::http::ReqwestHttp::new(connect)?))
}

#[cfg(not(feature = "reqwest"))]
fn default_http(_connect: Duration) -> Result<Http> {
    Err(Error::Config(
        "no HTTP implementation: enable the `reqwest` feature of yeastar-transport or call `http_client`".into(),
    ))
}

/// `raw` with anything between `://` and `@` replaced, for error messages: a base URL with a
/// user name and password must never be echoed.
fn redact_userinfo(raw: &str) -> Cow<'_, str> {
    let Some(scheme_end) = raw.find("://").map(|i| i + 3) else {
        return Cow::Borrowed(raw);
    };
    let authority_end = raw[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(raw.len(), |i| scheme_end + i);
    match raw[scheme_end..authority_end].rfind('@') {
        Some(at) => Cow::Owned(format!("{}[redacted]{}", &raw[..scheme_end], &raw[scheme_end + at..])),
        None => Cow::Borrowed(raw),
    }
}

fn validate_base_url(raw: &str, allow_insecure_http: bool) -> Result<String> {
    let shown = redact_userinfo(raw);
    let url = url::Url::parse(raw).map_err(|e| Error::Config(format!("invalid base URL {shown:?}: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config(format!(
            "the base URL {shown:?} must not contain a user name or password"
        )));
    }
    let host = url
        .host()
        .ok_or_else(|| Error::Config(format!("the base URL {shown:?} has no host")))?;
    let loopback = match host {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => IpAddr::V4(ip).is_loopback(),
        url::Host::Ipv6(ip) => IpAddr::V6(ip).is_loopback(),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback || allow_insecure_http => {}
        "http" => {
            return Err(Error::Config(format!(
                "the base URL {shown:?} is plain http: tokens would travel unencrypted; use https, \
                 a loopback host, or allow_insecure_http(true)"
            )));
        }
        other => return Err(Error::Config(format!("the base URL scheme {other:?} is not http(s)"))),
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config("the base URL must not have a query or fragment".into()));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn split_base(base_url: &str) -> Result<BaseUri> {
    let uri = Uri::try_from(base_url).map_err(|e| Error::Config(format!("invalid base URL {base_url:?}: {e}")))?;
    let parts = uri.into_parts();
    match (parts.scheme, parts.authority) {
        (Some(scheme), Some(authority)) => Ok(BaseUri {
            scheme,
            authority,
            path: parts
                .path_and_query
                .map(|p| p.path().trim_end_matches('/').to_owned())
                .unwrap_or_default(),
        }),
        _ => Err(Error::Config(format!("invalid base URL {base_url:?}"))),
    }
}

enum Auth {
    Static(HeaderValue, Secret),
    Cache(Arc<TokenCache>),
}

/// The base URL split once, at build time.
struct BaseUri {
    scheme: Scheme,
    authority: Authority,
    /// The path prefix without a trailing slash (`""` for a bare host).
    path: String,
}

/// Time limits and retry policy of the calls made through one client value.
#[derive(Debug)]
struct CallSettings {
    timeouts: Timeouts,
    retry: RetryPolicy,
    /// Per-call options that failed validation: reported when a call is made, before sending.
    invalid: Option<String>,
}

struct Inner {
    config: Config,
    defaults: CallSettings,
    base: BaseUri,
    user_agent: HeaderValue,
    http: Http,
    auth: Auth,
    codes: ErrorCodes,
    scrubber: Arc<Scrubber>,
}

/// A client for one Yeastar product. Cheap to clone; clones share the connection pool and the
/// token cache.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    settings: Option<Arc<CallSettings>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth: &dyn fmt::Debug = match &self.inner.auth {
            Auth::Static(..) => &"static access token [redacted]",
            Auth::Cache(c) => c,
        };
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .field("http", &self.inner.http)
            .field("auth", auth)
            .finish()
    }
}

/// A failed attempt: the error and the server's `Retry-After`, if any.
struct Failed {
    error: Error,
    retry_after: Option<Duration>,
}

impl Client {
    /// A builder for product `P`.
    pub fn builder<P: ProductSpec>() -> ClientBuilder<P> {
        ClientBuilder::new()
    }

    /// The validated configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The product.
    pub fn product(&self) -> Product {
        self.inner.config.product
    }

    /// How many token requests this client (all its clones) has made so far.
    #[doc(hidden)]
    pub fn token_requests(&self) -> u64 {
        match &self.inner.auth {
            Auth::Static(..) => 0,
            Auth::Cache(c) => c.token_requests(),
        }
    }

    /// The same client with other time limits or another retry policy for the calls made
    /// through it; the connection pool and the token cache stay shared. Invalid options (a
    /// zero timeout, a zero backoff) fail each call with [`Error::Config`] before anything is
    /// sent.
    pub fn with_options(&self, options: CallOptions) -> Client {
        let base = self.settings();
        let timeouts = Timeouts {
            connect: base.timeouts.connect,
            attempt: options.attempt_timeout.unwrap_or(base.timeouts.attempt),
            total: options.total_timeout.unwrap_or(base.timeouts.total),
        };
        let retry = options.retry.unwrap_or_else(|| base.retry.clone());
        let (timeouts, invalid) = match (timeouts.checked(), retry.validate()) {
            (Ok(t), Ok(())) => (t, None),
            (Err(e), _) | (_, Err(e)) => (base.timeouts, Some(e)),
        };
        Client {
            inner: self.inner.clone(),
            settings: Some(Arc::new(CallSettings {
                timeouts,
                retry,
                invalid,
            })),
        }
    }

    /// This client without per-call options.
    pub(crate) fn base(&self) -> Client {
        Client {
            inner: self.inner.clone(),
            settings: None,
        }
    }

    fn settings(&self) -> &CallSettings {
        self.settings.as_deref().unwrap_or(&self.inner.defaults)
    }

    /// A valid access token, fetched or refreshed as needed (with client credentials), or the
    /// static token the client was built with. For tools that call the API themselves.
    pub async fn access_token(&self) -> Result<AccessToken> {
        match &self.inner.auth {
            Auth::Static(_, t) => Ok(AccessToken {
                token: t.clone(),
                expires_at: None,
            }),
            Auth::Cache(cache) => {
                let t = cache.token(self).await?;
                Ok(AccessToken {
                    token: t.secret.clone(),
                    expires_at: Some(t.expires_at_wall),
                })
            }
        }
    }

    /// Every item of a listing, as a lazy stream read page by page (see [`Pages`]).
    pub fn pages<E: ListEndpoint>(&self, list: E) -> Pages<E::Item> {
        let product = self.product();
        let (first, size) = list.start();
        if first == 0 || size == 0 {
            // The endpoint's own check names the product's field (`pageNo`, `pageNumber`).
            let error = match list.for_page(first, size).request() {
                Err(e) => e,
                Ok(_) if first == 0 => Error::invalid_input("page", "pages are numbered from 1"),
                Ok(_) => Error::invalid_input("pageSize", "a page holds at least 1 item"),
            };
            return Pages::failed(product, error);
        }
        let client = self.clone();
        Pages::new(product, u64::from(first), u64::from(size), move |page_no| {
            let client = client.clone();
            let endpoint = list.for_page(u32::try_from(page_no).unwrap_or(u32::MAX), size);
            async move { client.send(&endpoint).await.map(E::into_page) }
        })
    }

    /// Sends an endpoint and returns its output.
    pub async fn send<E: Endpoint + ?Sized>(&self, endpoint: &E) -> Result<E::Output> {
        let request = endpoint.request()?;
        let settings = self.settings();
        if let Some(invalid) = &settings.invalid {
            return Err(Error::Config(format!("invalid call options: {invalid}")));
        }
        let config = &self.inner.config;
        let span = tracing::info_span!(
            "yeastar.call",
            product = config.product.as_str(),
            endpoint = request.template,
            method = %request.method,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let start = Instant::now();
        // Nothing listens (no subscriber, or one that filters these spans out): skip the span
        // work (about 1 % of a call's wall time at concurrency 64 when measured side by side),
        // and record nothing, since the current span would then be the caller's own.
        if span.is_disabled() {
            return self.call(endpoint, &request, start, settings, &span).await;
        }
        let result = self
            .call(endpoint, &request, start, settings, &span)
            .instrument(span.clone())
            .await;
        span.record("elapsed_ms", start.elapsed().as_millis() as u64);
        match &result {
            Ok(_) => tracing::debug!(parent: &span, "call succeeded"),
            Err(e) => {
                if let Some(id) = e.request_id() {
                    span.record("request_id", id);
                }
                tracing::debug!(parent: &span, error = %e, "call failed");
            }
        }
        result
    }

    /// The attempt loop: token, attempt, classification, backoff.
    async fn call<E: Endpoint + ?Sized>(
        &self,
        endpoint: &E,
        request: &Request,
        start: Instant,
        settings: &CallSettings,
        span: &tracing::Span,
    ) -> Result<E::Output> {
        let product = self.product();
        let policy = &settings.retry;
        let deadline = start + settings.timeouts.total;
        let retry_deadline = policy
            .time_limit
            .map_or(deadline, |l| deadline.min(start + l.min(settings.timeouts.total)));
        let (mut sent, mut retries, mut refreshed, mut maybe_applied) = (0u32, 0u32, false, false);
        loop {
            // Built for each attempt (it moves into the request; a clone would cost the same
            // allocation), and before anything is sent, a token request included: a bad input
            // ends the call here.
            let uri = self.uri(request)?;
            // A fresh token is taken without awaiting anything (see `Client::token`).
            let token = match self.fresh_token(request) {
                Some(token) => Some(token),
                None => self.token(request, deadline, settings.timeouts.total).await?,
            };
            sent += 1;
            if !span.is_disabled() {
                span.record("attempts", sent);
            }
            let (auth_header, generation) = match (token, &self.inner.auth) {
                (Some(t), _) => (Some(t.header), Some(t.generation)),
                (None, Auth::Static(h, _)) if request.authenticated => (Some(h.clone()), None),
                (None, _) => (None, None),
            };
            // The exchange is awaited here rather than in a method of its own: a future is
            // copied whole into the one that awaits it, so each level of nesting costs a copy
            // of about a kilobyte per call. Its block ends before the backoff and the next
            // token wait, so that their state can share its space (this future is ~500 bytes
            // smaller than when the exchange lived to the end of the iteration).
            let http_request = self.http_request(request, uri, auth_header);
            let attempt_deadline = (Instant::now() + settings.timeouts.attempt).min(deadline);
            let answer = {
                let exchange = self.inner.http.send(http_request, self.inner.config.max_body_bytes);
                tokio::pin!(exchange);
                tokio::time::timeout_at(attempt_deadline, &mut exchange).await
            }
            .map_err(|_| attempt_deadline >= deadline);
            let outcome = self.outcome(endpoint, request, answer, maybe_applied, settings, span);
            let Failed { error, retry_after } = match outcome {
                Ok(output) => return Ok(output),
                Err(failed) => failed,
            };
            tracing::debug!(attempt = sent, error = %error, "attempt failed");
            match classify(&error, request.idempotent, request.authenticated) {
                Decision::Refresh => match (&self.inner.auth, generation) {
                    (Auth::Cache(cache), Some(generation)) if !refreshed => {
                        tracing::debug!("access token rejected; refreshing and replaying once");
                        cache.invalidate(generation);
                        refreshed = true;
                        continue;
                    }
                    _ => return Err(token_rejected(product, error)),
                },
                Decision::Stop => {
                    let unknown = !request.idempotent && (maybe_applied || may_have_taken_effect(&error));
                    return Err(if unknown {
                        Error::OutcomeUnknown {
                            product,
                            source: Box::new(error),
                        }
                    } else {
                        error
                    });
                }
                Decision::Retry => {}
            }
            maybe_applied |= may_have_taken_effect(&error);
            retries += 1;
            let delay = match retry_after {
                Some(ra) if ra > policy.max_retry_after => None,
                Some(ra) => Some(ra),
                None => Some(policy.backoff(retries)),
            };
            let wake = delay.and_then(|d| Instant::now().checked_add(d));
            if retries >= policy.max_attempts || wake.is_none_or(|w| w >= retry_deadline) {
                return Err(if sent > 1 {
                    Error::RetriesExhausted {
                        product,
                        attempts: sent,
                        last: Box::new(error),
                    }
                } else {
                    error
                });
            }
            if let Some(wake) = wake {
                tracing::debug!(
                    attempt = sent,
                    delay_ms = (wake - Instant::now()).as_millis() as u64,
                    error = %error,
                    "retrying"
                );
                tokio::time::sleep_until(wake).await;
            }
        }
    }

    /// The cached token for an authenticated request when it is fresh: no await and no timer
    /// (a `timeout_at` around a ready future still creates and drops one).
    fn fresh_token(&self, request: &Request) -> Option<TokenUse> {
        match (&self.inner.auth, request.authenticated) {
            (Auth::Cache(cache), true) => cache.fresh(),
            _ => None,
        }
    }

    /// The token for an authenticated request from the cache (`None` otherwise), within the
    /// call's deadline.
    async fn token(&self, request: &Request, deadline: Instant, total: Duration) -> Result<Option<TokenUse>> {
        let cache = match (&self.inner.auth, request.authenticated) {
            (Auth::Cache(cache), true) => cache,
            _ => return Ok(None),
        };
        match tokio::time::timeout_at(deadline, cache.token(self)).await {
            Ok(token) => token.map(|t| Some(TokenUse::of(&t))),
            Err(_) => Err(Error::Timeout {
                product: self.product(),
                kind: TimeoutKind::Total,
                after: total,
            }),
        }
    }

    /// What one attempt's exchange came to: the endpoint's output, or the error classified and
    /// scrubbed of secrets. `answer` is the response, or `Err(true)` when the exchange ran out
    /// of the call's total time and `Err(false)` when it ran out of the attempt's.
    fn outcome<E: Endpoint + ?Sized>(
        &self,
        endpoint: &E,
        request: &Request,
        answer: std::result::Result<std::result::Result<http::Response<Bytes>, TransportError>, bool>,
        absent_ok: bool,
        settings: &CallSettings,
        span: &tracing::Span,
    ) -> std::result::Result<E::Output, Failed> {
        let inner = &*self.inner;
        let product = inner.config.product;
        let fail = |mut error: Error, retry_after| {
            error.scrub(&inner.scrubber);
            Failed { error, retry_after }
        };
        let response = match answer {
            Err(true) => {
                let total = settings.timeouts.total;
                return Err(fail(
                    Error::Timeout {
                        product,
                        kind: TimeoutKind::Total,
                        after: total,
                    },
                    None,
                ));
            }
            Err(false) => {
                let after = settings.timeouts.attempt;
                return Err(fail(
                    Error::Timeout {
                        product,
                        kind: TimeoutKind::Attempt,
                        after,
                    },
                    None,
                ));
            }
            Ok(Err(e)) => return Err(fail(e.with_product(product).into(), None)),
            Ok(Ok(response)) => response,
        };
        let status = response.status();
        if !span.is_disabled() {
            span.record("status", status.as_u16());
        }
        let raw = RawResponse::new(product, status, response.headers(), response.body(), request.sensitive);
        let result = crate::request::decode_response_in::<E>(&raw, span);
        let mut error = match result {
            Ok(output) => return Ok(output),
            Err(e) => e,
        };
        let retry_after = retry_after(response.headers(), SystemTime::now());
        if let Error::Api(api) = &mut error {
            api.kind = inner.codes.classify(api, !request.authenticated);
            api.retry_after = api.retry_after.or(retry_after);
        }
        // A retried delete that finds nothing: the earlier attempt, whose answer was lost, did it.
        if absent_ok && error.is_not_found() {
            let meta = Meta::new(raw, "").with_request_id(error.request_id().map(|id| Cow::Owned(id.to_owned())));
            if let Some(output) = endpoint.already_absent(&meta) {
                return Ok(output);
            }
        }
        Err(fail(error, retry_after))
    }

    /// The request URI: scheme and authority parsed once at build time, only the path and
    /// query are parsed per call.
    fn uri(&self, request: &Request) -> Result<Uri> {
        let base = &self.inner.base;
        let path_and_query = PathAndQuery::try_from(request.path_and_query_after(&base.path)?)
            .map_err(|e| Error::Config(format!("cannot build the request URI: {e}")))?;
        let mut parts = http::uri::Parts::default();
        parts.scheme = Some(base.scheme.clone());
        parts.authority = Some(base.authority.clone());
        parts.path_and_query = Some(path_and_query);
        Uri::from_parts(parts).map_err(|e| Error::Config(format!("cannot build the request URI: {e}")))
    }

    fn http_request(&self, request: &Request, uri: Uri, auth: Option<HeaderValue>) -> http::Request<Bytes> {
        let (body, content_type) = match &request.body {
            Body::Empty => (Bytes::new(), None),
            Body::Json(b) => (b.clone(), Some(HeaderValue::from_static("application/json"))),
            Body::Form(b) => (
                b.clone(),
                Some(HeaderValue::from_static("application/x-www-form-urlencoded")),
            ),
        };
        let mut out = http::Request::new(body);
        *out.method_mut() = request.method.clone();
        *out.uri_mut() = uri;
        let headers = out.headers_mut();
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(ct) = content_type {
            headers.insert(CONTENT_TYPE, ct);
        }
        if let Some(auth) = auth {
            headers.insert(AUTHORIZATION, auth);
        }
        out
    }
}

/// The error of a call whose access token was rejected and could not be renewed (a static
/// token, or a fresh token rejected too).
fn token_rejected(product: Product, error: Error) -> Error {
    let api = match error {
        Error::Api(mut api) => {
            api.kind = ApiErrorKind::TokenRejected;
            *api
        }
        other => {
            let mut api = ApiError::new(product, other.status().unwrap_or(401)).with_message(other.to_string());
            api.kind = ApiErrorKind::TokenRejected;
            api
        }
    };
    Error::Auth(Box::new(AuthError {
        product,
        kind: AuthErrorKind::TokenRejected,
        api: Some(api),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_info_is_never_echoed() {
        for raw in [
            "http://admin:hunter2@proxy.example/",
            "https://admin:hunter2@proxy.example",
            "http://admin:hunter2@[::1",
            "ftp://admin:hunter2@proxy.example",
        ] {
            let err = validate_base_url(raw, false).unwrap_err().to_string();
            assert!(!err.contains("hunter2"), "{err}");
            assert!(err.contains("[redacted]"), "{err}");
        }
        assert_eq!(redact_userinfo("https://h.example/a@b"), "https://h.example/a@b");
    }

    #[test]
    fn huge_timeouts_are_clamped_and_zero_refused() {
        let t = Timeouts::default()
            .with_total(Duration::MAX)
            .with_attempt(Duration::MAX)
            .checked()
            .unwrap();
        assert!(t.total <= Duration::from_secs(366 * 24 * 3600));
        assert!(Instant::now().checked_add(t.total).is_some());
        assert!(Timeouts::default().with_connect(Duration::ZERO).checked().is_err());
    }
}
