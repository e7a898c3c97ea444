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

use crate::auth::{AccessToken, Credentials, CredentialsRepr, TokenCache, TokenSource, TokenStore, bearer_header};
use crate::envelope::{Envelope, Payload, RawResponse};
use crate::error::{AuthError, AuthErrorKind, Error, Result, TimeoutKind, TransportErrorKind, is_retryable_status};
use crate::http::HttpSend;
use crate::product::{Product, ProductSpec};
use crate::request::{Body, Endpoint, Request};
use crate::retry::{RetryConfig, retry_after};
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
}

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
    pub retry: RetryConfig,
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
    retry: RetryConfig,
    max_body_bytes: usize,
    allow_insecure_http: bool,
    http: Option<Arc<dyn HttpSend>>,
    token_source: Option<Arc<dyn TokenSource>>,
    token_store: Option<Arc<dyn TokenStore>>,
    _product: PhantomData<fn() -> P>,
}

impl<P: ProductSpec> fmt::Debug for ClientBuilder<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("product", &P::PRODUCT)
            .field("base_url", &self.base_url.as_deref().unwrap_or(&self.default_base_url))
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
            retry: RetryConfig::default(),
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
    pub fn retry(mut self, retry: RetryConfig) -> Self {
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

    /// Validates the configuration and builds the transport client.
    pub fn build_transport(self) -> Result<Client> {
        let product = P::PRODUCT;
        let raw_url = self.base_url.as_deref().unwrap_or(&self.default_base_url);
        let base_url = validate_base_url(raw_url, self.allow_insecure_http)?;
        let t = self.timeouts;
        for (name, d) in [("connect", t.connect), ("attempt", t.attempt), ("total", t.total)] {
            if d.is_zero() {
                return Err(Error::Config(format!("the {name} timeout must be greater than zero")));
            }
        }
        if self.retry.max_attempts == 0 {
            return Err(Error::Config("retry.max_attempts must be at least 1".into()));
        }
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
        let auth = match self.credentials.map(|c| c.0) {
            None => {
                return Err(Error::Config(
                    "credentials are required (client id and secret, or an access token)".into(),
                ));
            }
            Some(CredentialsRepr::AccessToken(t)) => {
                if t.is_empty() {
                    return Err(Error::Config("the access token is empty".into()));
                }
                Auth::Static(bearer_header(&t)?, t)
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
                let source = self.token_source.unwrap_or_else(P::token_source);
                Auth::Cache(Box::new(TokenCache::new(
                    product,
                    source,
                    client_id,
                    client_secret,
                    self.token_store,
                )))
            }
        };
        let http = match self.http {
            Some(h) => h,
            None => default_http(t.connect)?,
        };
        let base = split_base(&base_url)?;
        Ok(Client {
            inner: Arc::new(Inner {
                config: Config {
                    product,
                    base_url,
                    user_agent,
                    timeouts: t,
                    retry: self.retry,
                    max_body_bytes: self.max_body_bytes,
                },
                base,
                user_agent: user_agent_header,
                http,
                auth,
            }),
        })
    }
}

#[cfg(feature = "reqwest")]
fn default_http(connect: Duration) -> Result<Arc<dyn HttpSend>> {
    Ok(Arc::new(crate::http::ReqwestHttp::new(connect)?))
}

#[cfg(not(feature = "reqwest"))]
fn default_http(_connect: Duration) -> Result<Arc<dyn HttpSend>> {
    Err(Error::Config(
        "no HTTP implementation: enable the `reqwest` feature of yeastar-transport or call `http_client`".into(),
    ))
}

fn validate_base_url(raw: &str, allow_insecure_http: bool) -> Result<String> {
    let url = url::Url::parse(raw).map_err(|e| Error::Config(format!("invalid base URL {raw:?}: {e}")))?;
    let host = url
        .host()
        .ok_or_else(|| Error::Config(format!("the base URL {raw:?} has no host")))?;
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
                "the base URL {raw:?} is plain http: tokens would travel unencrypted; use https, \
                 a loopback host, or allow_insecure_http(true)"
            )));
        }
        other => return Err(Error::Config(format!("the base URL scheme {other:?} is not http(s)"))),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config("the base URL must not contain user info".into()));
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
    Cache(Box<TokenCache>),
}

/// The base URL split once, at build time.
struct BaseUri {
    scheme: Scheme,
    authority: Authority,
    /// The path prefix without a trailing slash (`""` for a bare host).
    path: String,
}

struct Inner {
    config: Config,
    base: BaseUri,
    user_agent: HeaderValue,
    http: Arc<dyn HttpSend>,
    auth: Auth,
}

/// A client for one Yeastar product. Cheap to clone; clones share the connection pool and the
/// token cache.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
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

/// What one attempt produced, when it did not succeed.
struct Failed {
    error: Error,
    retryable: bool,
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
    pub fn token_requests(&self) -> u64 {
        match &self.inner.auth {
            Auth::Static(..) => 0,
            Auth::Cache(c) => c.token_requests(),
        }
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

    /// Sends an endpoint and returns its output.
    pub async fn send<E: Endpoint + ?Sized>(&self, endpoint: &E) -> Result<E::Output> {
        let request = endpoint.request()?;
        self.execute::<E::Envelope, _>(request, E::decode).await
    }

    /// Sends a request, opens the answer with envelope `V` and decodes it with `decode`.
    pub async fn execute<V: Envelope, T>(
        &self,
        request: Request,
        decode: impl Fn(Payload<'_>) -> Result<T> + Send + Sync,
    ) -> Result<T> {
        let config = &self.inner.config;
        let uri = self.uri(&request)?;
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
        let total = config.timeouts.total;
        // The total timeout is enforced inside (one timer per attempt, not two).
        let result = self
            .attempts::<V, T>(&request, &uri, &decode, start + total)
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

    async fn attempts<V: Envelope, T>(
        &self,
        request: &Request,
        uri: &Uri,
        decode: &(impl Fn(Payload<'_>) -> Result<T> + Send + Sync),
        deadline: Instant,
    ) -> Result<T> {
        let config = &self.inner.config;
        let product = config.product;
        let span = tracing::Span::current();
        let mut attempt = 0u32;
        let mut replayed_for_token = false;
        loop {
            attempt += 1;
            span.record("attempts", attempt);
            let total_timeout = || Error::Timeout {
                product,
                kind: TimeoutKind::Total,
                after: config.timeouts.total,
            };
            let token = match (&self.inner.auth, request.authenticated) {
                // A token request has its own retries; it still ends by this call's deadline.
                (Auth::Cache(cache), true) => match tokio::time::timeout_at(deadline, cache.token(self)).await {
                    Ok(token) => Some(token?),
                    Err(_) => return Err(total_timeout()),
                },
                _ => None,
            };
            let auth_header = match (&self.inner.auth, &token) {
                (_, Some(t)) => Some(&t.header),
                (Auth::Static(h, _), None) if request.authenticated => Some(h),
                _ => None,
            };
            let http_request = self.http_request(request, uri, auth_header);
            let now = Instant::now();
            let attempt_deadline = (now + config.timeouts.attempt).min(deadline);
            let attempt_timeout = attempt_deadline.saturating_duration_since(now);
            let sent = tokio::time::timeout_at(
                attempt_deadline,
                self.inner.http.send(http_request, config.max_body_bytes),
            )
            .await;
            let failed = match sent {
                Err(_) if attempt_deadline >= deadline => return Err(total_timeout()),
                Err(_) => Failed {
                    error: Error::Timeout {
                        product,
                        kind: TimeoutKind::Attempt,
                        after: attempt_timeout,
                    },
                    retryable: request.idempotent,
                    retry_after: None,
                },
                Ok(Err(mut e)) => {
                    e.product = Some(product);
                    let retryable = match e.kind {
                        TransportErrorKind::Connect => true,
                        TransportErrorKind::Tls | TransportErrorKind::BodyTooLarge => false,
                        _ => request.idempotent,
                    };
                    tracing::debug!(attempt, error = %e, "attempt failed below HTTP");
                    Failed {
                        error: e.into(),
                        retryable,
                        retry_after: None,
                    }
                }
                Ok(Ok(response)) => {
                    let status = response.status();
                    span.record("status", status.as_u16());
                    let raw = RawResponse::new(product, status, response.headers(), response.body(), request.sensitive);
                    let mut request_id = None;
                    let outcome = V::open(&raw).and_then(|payload| {
                        request_id = payload.request_id().map(str::to_owned);
                        decode(payload)
                    });
                    if let Some(id) = request_id.as_deref() {
                        span.record("request_id", id);
                    }
                    tracing::debug!(attempt, status = status.as_u16(), "response received");
                    let mut error = match outcome {
                        Ok(value) => return Ok(value),
                        Err(e) => e,
                    };
                    let retry_after = retry_after(response.headers(), SystemTime::now());
                    if let Error::Api(api) = &mut error {
                        api.retry_after = api.retry_after.or(retry_after);
                        if auth_header.is_some() && (status.as_u16() == 401 || V::is_token_rejected(api)) {
                            {
                                match (&self.inner.auth, &token) {
                                    (Auth::Cache(cache), Some(t)) if !replayed_for_token => {
                                        tracing::debug!("access token rejected; refreshing and replaying once");
                                        cache.invalidate(t);
                                        replayed_for_token = true;
                                        attempt -= 1;
                                        continue;
                                    }
                                    _ => {
                                        return Err(Error::Auth(Box::new(AuthError {
                                            product,
                                            kind: AuthErrorKind::TokenRejected,
                                            api: Some((**api).clone()),
                                        })));
                                    }
                                }
                            }
                        }
                    }
                    let code = status.as_u16();
                    Failed {
                        error,
                        retryable: code == 429 || (request.idempotent && is_retryable_status(code)),
                        retry_after,
                    }
                }
            };
            let give_up = |error: Error| {
                if attempt > 1 {
                    Error::RetriesExhausted {
                        product,
                        attempts: attempt,
                        last: Box::new(error),
                    }
                } else {
                    error
                }
            };
            if !failed.retryable || attempt >= config.retry.max_attempts {
                return Err(give_up(failed.error));
            }
            let delay = match failed.retry_after {
                Some(ra) if ra > config.retry.max_retry_after => return Err(give_up(failed.error)),
                Some(ra) => ra,
                None => config.retry.backoff(attempt),
            };
            if Instant::now() + delay >= deadline {
                return Err(give_up(failed.error));
            }
            tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, error = %failed.error, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    /// The request URI: scheme and authority parsed once at build time, only the path and
    /// query are parsed per call.
    fn uri(&self, request: &Request) -> Result<Uri> {
        let base = &self.inner.base;
        let path = request.path_and_query()?;
        let path_and_query = if base.path.is_empty() {
            PathAndQuery::try_from(path)
        } else {
            PathAndQuery::try_from(format!("{}{path}", base.path))
        }
        .map_err(|e| Error::Config(format!("cannot build the request URI: {e}")))?;
        let mut parts = http::uri::Parts::default();
        parts.scheme = Some(base.scheme.clone());
        parts.authority = Some(base.authority.clone());
        parts.path_and_query = Some(path_and_query);
        Uri::from_parts(parts).map_err(|e| Error::Config(format!("cannot build the request URI: {e}")))
    }

    fn http_request(&self, request: &Request, uri: &Uri, auth: Option<&HeaderValue>) -> http::Request<Bytes> {
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
        *out.uri_mut() = uri.clone();
        let headers = out.headers_mut();
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(ct) = content_type {
            headers.insert(CONTENT_TYPE, ct);
        }
        if let Some(auth) = auth {
            headers.insert(AUTHORIZATION, auth.clone());
        }
        out
    }
}
