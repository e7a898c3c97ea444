//! Credentials, token sources and the shared token cache.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use arc_swap::ArcSwapOption;
use async_trait::async_trait;
use http::HeaderValue;
use tokio::time::Instant;

use tokio::sync::watch;

use crate::client::Client;
use crate::error::{ApiErrorKind, AuthError, AuthErrorKind, Error, Result, TransportError, TransportErrorKind};
use crate::options::CallOptions;
use crate::product::Product;
use crate::retry::RetryPolicy;
use crate::scrub::Scrubber;
use crate::secret::Secret;

/// How a client authenticates.
///
/// ```
/// use yeastar_transport::Credentials;
/// let c = Credentials::client("my-client-id", "my-client-secret");
/// assert!(!format!("{c:?}").contains("my-client-secret"));
/// let t = Credentials::access_token("eyJhbGciOi...");
/// assert!(!format!("{t:?}").contains("eyJhbGciOi"));
/// ```
#[derive(Clone)]
pub struct Credentials(pub(crate) CredentialsRepr);

#[derive(Clone)]
pub(crate) enum CredentialsRepr {
    Client { client_id: String, client_secret: Secret },
    AccessToken(Secret),
}

impl Credentials {
    /// A client id and secret: the client obtains, caches and refreshes tokens itself.
    pub fn client(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        Self(CredentialsRepr::Client {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        })
    }

    /// A ready access token, used as is: nothing is requested or refreshed, and a rejected
    /// token ends the call with [`AuthErrorKind::TokenRejected`].
    pub fn access_token(token: impl Into<Secret>) -> Self {
        Self(CredentialsRepr::AccessToken(token.into()))
    }

    /// The client id, when these are client credentials.
    pub fn client_id(&self) -> Option<&str> {
        match &self.0 {
            CredentialsRepr::Client { client_id, .. } => Some(client_id),
            CredentialsRepr::AccessToken(_) => None,
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            CredentialsRepr::Client { client_id, .. } => f
                .debug_struct("Credentials::Client")
                .field("client_id", client_id)
                .field("client_secret", &"[redacted]")
                .finish(),
            CredentialsRepr::AccessToken(_) => f.write_str("Credentials::AccessToken([redacted])"),
        }
    }
}

/// What a token endpoint is asked for.
#[non_exhaustive]
#[derive(Debug, Clone, Copy)]
pub enum Grant<'a> {
    /// A new token from the client credentials.
    ClientCredentials {
        /// The client id.
        client_id: &'a str,
        /// The client secret.
        client_secret: &'a Secret,
    },
    /// A new token from a refresh token.
    RefreshToken {
        /// The client id (Workplace sends it on refresh too).
        client_id: &'a str,
        /// The client secret (Workplace sends it on refresh too).
        client_secret: &'a Secret,
        /// The latest refresh token.
        refresh_token: &'a Secret,
    },
}

/// Tokens issued by a token endpoint.
#[non_exhaustive]
#[derive(Debug, Clone)]
pub struct TokenSet {
    /// The access token.
    pub access_token: Secret,
    /// How long the access token is valid from now.
    pub expires_in: Duration,
    /// The refresh token, if one was issued.
    pub refresh_token: Option<Secret>,
    /// How long the refresh token is valid from now, if known.
    pub refresh_expires_in: Option<Duration>,
}

impl TokenSet {
    /// An access token valid for `expires_in`.
    pub fn new(access_token: impl Into<Secret>, expires_in: Duration) -> Self {
        Self {
            access_token: access_token.into(),
            expires_in,
            refresh_token: None,
            refresh_expires_in: None,
        }
    }

    /// The tokens of a token endpoint's successful answer, the same rules for every product:
    /// a missing or blank access token is an [`Error::Api`] carrying whatever code and message
    /// the answer has (never a token set with an empty token); a missing or zero lifetime is
    /// the product's documented `default_lifetime` (a zero lifetime would make the cache ask
    /// for a new token on every call); a refresh token gets the documented `refresh_lifetime`.
    pub fn from_answer(
        meta: &crate::envelope::Meta<'_>,
        access_token: Option<Secret>,
        expires_in: Option<Duration>,
        default_lifetime: Duration,
        refresh_token: Option<Secret>,
        refresh_lifetime: Duration,
    ) -> Result<Self> {
        let Some(access_token) = access_token.filter(|t| !t.expose().trim().is_empty()) else {
            let mut e = meta.undocumented_error();
            // The best-effort reading may find a success marker (Partner Portal's `code`).
            if e.code.as_deref().is_some_and(|c| c.eq_ignore_ascii_case("success")) {
                e.code = None;
            }
            if e.message.is_none() {
                e = e.with_message("the token endpoint answered without an access token");
            }
            return Err(e.into());
        };
        let lifetime = expires_in.filter(|d| !d.is_zero()).unwrap_or(default_lifetime);
        let set = Self::new(access_token, lifetime);
        Ok(match refresh_token {
            Some(rt) => set.with_refresh_token(rt, Some(refresh_lifetime)),
            None => set,
        })
    }

    /// Adds a refresh token valid for `lifetime` (the product's documented refresh lifetime).
    pub fn with_refresh_token(mut self, token: impl Into<Secret>, lifetime: Option<Duration>) -> Self {
        let token = token.into();
        if !token.is_empty() {
            self.refresh_token = Some(token);
            self.refresh_expires_in = lifetime;
        }
        self
    }
}

/// The OAuth-style token answer `{access_token, refresh_token, expires_in}` (YCM and Workplace
/// answer in this shape). Tokens go straight into [`Secret`]s, whose `Debug` is redacted.
#[derive(Debug, serde::Deserialize)]
#[non_exhaustive]
pub struct OAuthTokenAnswer {
    #[serde(default)]
    access_token: Option<Secret>,
    #[serde(default)]
    refresh_token: Option<Secret>,
    #[serde(default, deserialize_with = "crate::lenient::opt_lifetime")]
    expires_in: Option<Duration>,
}

impl OAuthTokenAnswer {
    /// The token set, by [`TokenSet::from_answer`]'s rules.
    pub fn into_token_set(
        self,
        meta: &crate::envelope::Meta<'_>,
        default_lifetime: Duration,
        refresh_lifetime: Duration,
    ) -> Result<TokenSet> {
        TokenSet::from_answer(
            meta,
            self.access_token,
            self.expires_in,
            default_lifetime,
            self.refresh_token,
            refresh_lifetime,
        )
    }
}

/// A product's token endpoint. Each product crate implements it once; the client's token cache
/// decides when to call it. Implementations send their request through `client` (with
/// [`Request::unauthenticated`](crate::Request::unauthenticated) and
/// [`Request::sensitive`](crate::Request::sensitive)) and should return the API's refusal as
/// [`Error::Api`], which the cache treats as final for client credentials.
#[async_trait]
pub trait TokenSource: Send + Sync + fmt::Debug {
    /// Asks the token endpoint for tokens.
    async fn fetch(&self, client: &Client, grant: Grant<'_>) -> Result<TokenSet>;
}

/// Tokens as kept between processes by a [`TokenStore`].
#[non_exhaustive]
#[derive(Debug, Clone)]
pub struct StoredTokens {
    /// The access token.
    pub access_token: Secret,
    /// When the access token expires.
    pub access_expires_at: SystemTime,
    /// The refresh token.
    pub refresh_token: Option<Secret>,
    /// When the refresh token expires.
    pub refresh_expires_at: Option<SystemTime>,
}

impl StoredTokens {
    /// Tokens to store.
    pub fn new(access_token: Secret, access_expires_at: SystemTime) -> Self {
        Self {
            access_token,
            access_expires_at,
            refresh_token: None,
            refresh_expires_at: None,
        }
    }

    /// Adds a refresh token.
    pub fn with_refresh_token(mut self, token: Secret, expires_at: Option<SystemTime>) -> Self {
        self.refresh_token = Some(token);
        self.refresh_expires_at = expires_at;
        self
    }
}

/// An access token handed out for use outside the SDK (e.g. `curl -H "Authorization: Bearer …"`).
#[non_exhaustive]
#[derive(Debug, Clone)]
pub struct AccessToken {
    /// The token (without the `Bearer ` prefix).
    pub token: Secret,
    /// When it expires, if known (a static token's expiry is not).
    pub expires_at: Option<SystemTime>,
}

/// Keeps tokens across processes (the CLI stores them in a file), so that a short-lived
/// process does not mint a token on every run. Never given the client secret.
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The stored tokens, if any (errors should be logged and reported as `None`).
    fn load(&self) -> Option<StoredTokens>;
    /// Stores new tokens (errors should be logged, never fatal).
    fn save(&self, tokens: &StoredTokens);
    /// Forgets the stored tokens: the API rejected the access token, so a later process must
    /// not load it again. The default does nothing.
    fn clear(&self) {}
}

/// A usable access token with its prebuilt `Authorization` header.
pub(crate) struct CachedToken {
    pub(crate) header: HeaderValue,
    pub(crate) secret: Secret,
    pub(crate) expires_at_wall: SystemTime,
    generation: u64,
    refresh_at: Instant,
    expires_at: Instant,
}

/// What one call takes from the cache: the header it sends, and the generation to name when the
/// API rejects it.
pub(crate) struct TokenUse {
    pub(crate) header: HeaderValue,
    pub(crate) generation: u64,
}

impl TokenUse {
    pub(crate) fn of(token: &CachedToken) -> Self {
        Self {
            header: token.header.clone(),
            generation: token.generation,
        }
    }
}

pub(crate) fn bearer_header(token: &Secret) -> Result<HeaderValue> {
    let mut v = HeaderValue::try_from(format!("Bearer {}", token.expose()))
        .map_err(|_| Error::Config("the access token holds characters not allowed in an HTTP header".into()))?;
    v.set_sensitive(true);
    Ok(v)
}

/// The longest lifetime believed: a server announcing more (or a huge number from a broken
/// answer) must not overflow `Instant` arithmetic.
const MAX_LIFETIME: Duration = Duration::from_secs(10 * 365 * 24 * 3600);

fn clamp_lifetime(d: Duration) -> Duration {
    d.min(MAX_LIFETIME)
}

/// How long before expiry a token is refreshed: 10% of its lifetime, at most 5 minutes.
fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(Duration::from_secs(300))
}

/// How long a failed token request is remembered before the next one may be sent: 1 s after
/// the first failure, doubling up to 60 s. Callers that hold a valid token never wait for it.
fn failure_backoff(failures: u32) -> Duration {
    Duration::from_secs(1u64 << failures.saturating_sub(1).min(6)).min(Duration::from_secs(60))
}

type FlightResult = Option<Result<Arc<CachedToken>>>;

struct State {
    refresh_token: Option<(Secret, Option<Instant>)>,
    store_loaded: bool,
    /// The token request in flight, whose result every waiter shares.
    flight: Option<watch::Receiver<FlightResult>>,
    /// The client secret was refused: final for this client (and so for this secret).
    refused: Option<AuthError>,
    /// The last transient failure, and when the next token request may be sent.
    failure: Option<(Error, Instant)>,
    failures: u32,
}

/// The token cache shared by every clone of a client.
///
/// - Fast path: a read lock and an `Arc` clone, no await.
/// - One flight at a time, run as a spawned task: a caller that is dropped or times out while
///   waiting cancels nothing, so the flight's outcome (a token, a refusal, a failure) is always
///   recorded and the refresh token it took is never lost.
/// - A token due for refresh but still valid is used at once; the refresh runs in the
///   background, one attempt at a time, and after a failure no new attempt starts before a
///   backoff interval.
/// - Only an explicit refusal of the client secret is final; any other failure is remembered
///   for the backoff interval and shared with the callers that need a token meanwhile.
pub(crate) struct TokenCache {
    product: Product,
    source: Arc<dyn TokenSource>,
    client_id: String,
    client_secret: Secret,
    store: Option<Arc<dyn TokenStore>>,
    scrubber: Arc<Scrubber>,
    /// Read on every call: an `ArcSwap` load writes no lock word or reference count that other
    /// threads share (a `RwLock` read and an `Arc` clone wrote two each, bouncing their cache
    /// lines between the worker threads).
    current: ArcSwapOption<CachedToken>,
    state: Mutex<State>,
    generation: AtomicU64,
    requests: AtomicU64,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("source", &self.source)
            .field("client_id", &self.client_id)
            .field("token_requests", &self.requests.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl TokenCache {
    pub(crate) fn new(
        product: Product,
        source: Arc<dyn TokenSource>,
        client_id: String,
        client_secret: Secret,
        store: Option<Arc<dyn TokenStore>>,
        scrubber: Arc<Scrubber>,
    ) -> Self {
        Self {
            product,
            source,
            client_id,
            client_secret,
            store,
            scrubber,
            current: ArcSwapOption::empty(),
            state: Mutex::new(State {
                refresh_token: None,
                store_loaded: false,
                flight: None,
                refused: None,
                failure: None,
                failures: 0,
            }),
            generation: AtomicU64::new(0),
            requests: AtomicU64::new(0),
        }
    }

    pub(crate) fn token_requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    fn current(&self) -> Option<Arc<CachedToken>> {
        self.current.load_full()
    }

    /// The cached token's header if it is not yet due for refresh (no waiting, no I/O).
    pub(crate) fn fresh(&self) -> Option<TokenUse> {
        let current = self.current.load();
        current
            .as_deref()
            .filter(|t| Instant::now() < t.refresh_at)
            .map(TokenUse::of)
    }

    /// A valid token, fetching or refreshing it if needed.
    /// (Calls check [`TokenCache::fresh`] first, without the lock.)
    pub(crate) async fn token(self: &Arc<Self>, client: &Client) -> Result<Arc<CachedToken>> {
        let mut flight = {
            let mut st = lock(&self.state);
            if !st.store_loaded {
                st.store_loaded = true;
                self.load_from_store(&mut st);
            }
            let now = Instant::now();
            let current = self.current();
            if let Some(t) = &current
                && now < t.refresh_at
            {
                return Ok(t.clone());
            }
            let valid = current.filter(|t| now < t.expires_at);
            if let Some(refused) = &st.refused {
                return valid.ok_or_else(|| Error::Auth(Box::new(refused.clone())));
            }
            let may_start = st.failure.as_ref().is_none_or(|(_, next)| now >= *next);
            match (valid, st.flight.clone()) {
                // Due for refresh but valid: use it, refresh in the background.
                (Some(t), flight) => {
                    if flight.is_none() && may_start {
                        self.start_flight(&mut st, client, true);
                    }
                    return Ok(t);
                }
                (None, Some(rx)) => rx,
                (None, None) if !may_start => {
                    let (e, _) = st.failure.as_ref().expect("may_start is false only after a failure");
                    return Err(e.clone());
                }
                (None, None) => self.start_flight(&mut st, client, false),
            }
        };
        match flight.wait_for(Option::is_some).await {
            Ok(result) => result.clone().unwrap_or_else(|| Err(abandoned(self.product))),
            Err(_) => Err(abandoned(self.product)),
        }
    }

    /// Starts the one token request; `background`: a valid token is in use meanwhile, so one
    /// attempt is enough (the next one comes after a backoff interval).
    fn start_flight(
        self: &Arc<Self>,
        st: &mut State,
        client: &Client,
        background: bool,
    ) -> watch::Receiver<FlightResult> {
        let (tx, rx) = watch::channel(None);
        st.flight = Some(rx.clone());
        // The flight follows the client's own settings, not a caller's per-call options: a
        // caller in a hurry must not cut short the token request every caller shares.
        let client = if background {
            client
                .base()
                .with_options(CallOptions::new().retry(RetryPolicy::disabled()))
        } else {
            client.base()
        };
        let cache = Arc::clone(self);
        tokio::spawn(async move {
            // Dropped before it lands (its runtime shut down, or a panic): the flight is ended
            // all the same, so that the next call asks again instead of waiting on it for ever.
            let mut guard = Abandoned(Some(Arc::clone(&cache)));
            let result = cache.fly(&client).await;
            guard.0 = None;
            cache.land(&result);
            let _ = tx.send(Some(result));
        });
        rx
    }

    /// One flight: the refresh token first, the client credentials as the fallback.
    async fn fly(&self, client: &Client) -> Result<Arc<CachedToken>> {
        let refresh = lock(&self.state).refresh_token.take();
        if let Some((refresh_token, expires_at)) = refresh
            && expires_at.is_none_or(|at| Instant::now() < at)
        {
            self.requests.fetch_add(1, Ordering::Relaxed);
            let grant = Grant::RefreshToken {
                client_id: &self.client_id,
                client_secret: &self.client_secret,
                refresh_token: &refresh_token,
            };
            match self.source.fetch(client, grant).await {
                Ok(mut set) => {
                    // No new refresh token: the one used stays valid (RFC 6749 §6).
                    if set.refresh_token.is_none() {
                        set.refresh_expires_in = expires_at.map(|at| at.saturating_duration_since(Instant::now()));
                        set.refresh_token = Some(refresh_token);
                    }
                    return self.install(set);
                }
                Err(e) if refresh_refused(&e) => {
                    tracing::info!(product = self.product.as_str(), error = %e, "refresh token refused; requesting a new token with the client credentials");
                }
                Err(e) => {
                    // Transient: keep the refresh token for the next flight.
                    lock(&self.state).refresh_token = Some((refresh_token, expires_at));
                    return Err(e);
                }
            }
        }
        self.requests.fetch_add(1, Ordering::Relaxed);
        let grant = Grant::ClientCredentials {
            client_id: &self.client_id,
            client_secret: &self.client_secret,
        };
        match self.source.fetch(client, grant).await {
            Ok(set) => self.install(set),
            Err(e) if credentials_refused(&e) => {
                let api = match &e {
                    Error::UnexpectedResponse(u) => Some(
                        crate::ApiError::new(u.product, u.status)
                            .with_message("the token endpoint refused the request with a non-JSON answer"),
                    ),
                    other => other.api_error().cloned(),
                };
                let failure = AuthError {
                    product: self.product,
                    kind: AuthErrorKind::CredentialsRejected,
                    api,
                };
                tracing::error!(product = self.product.as_str(), error = %failure, "client credentials rejected");
                lock(&self.state).refused = Some(failure.clone());
                Err(Error::Auth(Box::new(failure)))
            }
            Err(e) => Err(e),
        }
    }

    /// Records a flight's outcome.
    fn land(&self, result: &Result<Arc<CachedToken>>) {
        let mut st = lock(&self.state);
        st.flight = None;
        match result {
            Ok(_) => {
                st.failure = None;
                st.failures = 0;
            }
            Err(Error::Auth(_)) => {}
            Err(e) => {
                st.failures = st.failures.saturating_add(1);
                let wait = failure_backoff(st.failures);
                tracing::warn!(product = self.product.as_str(), error = %e, retry_in_ms = wait.as_millis() as u64, "token request failed");
                st.failure = Some((e.clone(), Instant::now() + wait));
            }
        }
    }

    fn load_from_store(&self, st: &mut State) {
        let Some(store) = &self.store else { return };
        let Some(stored) = store.load() else { return };
        let now_wall = SystemTime::now();
        let now = Instant::now();
        if let Some(rt) = stored.refresh_token.clone() {
            self.scrubber.add_token(&rt);
            match stored.refresh_expires_at.map(|e| e.duration_since(now_wall)) {
                Some(Err(_)) => {}
                Some(Ok(left)) => st.refresh_token = Some((rt, Some(now + clamp_lifetime(left)))),
                None => st.refresh_token = Some((rt, None)),
            }
        }
        self.scrubber.add_token(&stored.access_token);
        let Ok(left) = stored.access_expires_at.duration_since(now_wall) else {
            return;
        };
        let left = clamp_lifetime(left);
        // The lifetime is unknown here; use the remaining time for the margin.
        let refresh_at = now + left - refresh_margin(left);
        if refresh_at <= now {
            return;
        }
        // A stored token that cannot be a header value is dropped, and a new one fetched.
        let Ok(header) = bearer_header(&stored.access_token) else {
            tracing::warn!(
                product = self.product.as_str(),
                "the stored access token is not a valid header value; discarding it"
            );
            store.clear();
            return;
        };
        let token = Arc::new(CachedToken {
            header,
            secret: stored.access_token.clone(),
            expires_at_wall: stored.access_expires_at,
            generation: self.generation.fetch_add(1, Ordering::Relaxed) + 1,
            refresh_at,
            expires_at: now + left,
        });
        self.current.store(Some(token));
    }

    fn install(&self, set: TokenSet) -> Result<Arc<CachedToken>> {
        self.scrubber.add_token(&set.access_token);
        if let Some(rt) = &set.refresh_token {
            self.scrubber.add_token(rt);
        }
        // A token that cannot be a header value is a broken answer, not a configuration mistake.
        let header = bearer_header(&set.access_token).map_err(|_| {
            Error::Decode(Box::new(crate::error::DecodeError {
                product: self.product,
                status: 200,
                path: "access_token".into(),
                message: "the token endpoint issued an access token that is not a valid HTTP header value".into(),
                excerpt: String::new(),
                request_id: None,
            }))
        })?;
        let now = Instant::now();
        let lifetime = clamp_lifetime(set.expires_in);
        let refresh_lifetime = set.refresh_expires_in.map(clamp_lifetime);
        let token = Arc::new(CachedToken {
            header,
            secret: set.access_token.clone(),
            expires_at_wall: SystemTime::now() + lifetime,
            generation: self.generation.fetch_add(1, Ordering::Relaxed) + 1,
            refresh_at: now + lifetime - refresh_margin(lifetime),
            expires_at: now + lifetime,
        });
        lock(&self.state).refresh_token = set
            .refresh_token
            .clone()
            .map(|rt| (rt, refresh_lifetime.map(|d| now + d)));
        self.current.store(Some(token.clone()));
        if let Some(store) = &self.store {
            let wall = SystemTime::now();
            let mut stored = StoredTokens::new(set.access_token, wall + lifetime);
            if let Some(rt) = set.refresh_token {
                stored = stored.with_refresh_token(rt, refresh_lifetime.map(|d| wall + d));
            }
            store.save(&stored);
        }
        Ok(token)
    }

    /// Drops `token`, which the API rejected, if it is still the current one (so that many
    /// concurrent 401s cause one refresh, not many), and forgets it in the token store.
    pub(crate) fn invalidate(&self, generation: u64) {
        let current = self.current.load_full();
        if current.as_ref().is_some_and(|c| c.generation == generation) {
            let previous = self.current.compare_and_swap(&current, None);
            let dropped = match (&*previous, &current) {
                (Some(p), Some(c)) => Arc::ptr_eq(p, c),
                _ => false,
            };
            if dropped && let Some(store) = &self.store {
                store.clear();
            }
        }
    }
}

/// Ends a token flight whose task is dropped before it lands (see `TokenCache::start_flight`).
struct Abandoned(Option<Arc<TokenCache>>);

impl Drop for Abandoned {
    fn drop(&mut self) {
        if let Some(cache) = self.0.take() {
            lock(&cache.state).flight = None;
        }
    }
}

fn abandoned(product: Product) -> Error {
    TransportError::new(
        TransportErrorKind::Other,
        "the token request was abandoned (the runtime shut down)",
    )
    .with_product(product)
    .into()
}

/// Whether the token endpoint refused the client id and secret explicitly: HTTP 401, OAuth
/// `invalid_client`/`unauthorized_client`, or the product's refusal code. Anything else (a
/// WAF's HTML 403, a proxy's 404, `200 {"errmsg":"system busy"}`, timeouts) is transient.
fn credentials_refused(e: &Error) -> bool {
    match e {
        Error::Api(api) => api.kind == ApiErrorKind::CredentialsRefused,
        Error::UnexpectedResponse(u) => u.status == 401,
        Error::Auth(_) => true,
        _ => false,
    }
}

/// Whether the token endpoint refused a refresh token (expired, revoked, unknown): then the
/// client credentials are tried at once. A JSON 4xx answer (other than 408/429) or an explicit
/// code counts; transient failures keep the refresh token for the next flight.
fn refresh_refused(e: &Error) -> bool {
    match e {
        Error::Api(api) => {
            matches!(api.kind, ApiErrorKind::CredentialsRefused | ApiErrorKind::TokenRejected)
                || api.code.as_deref() == Some("invalid_grant")
                || ((400..500).contains(&api.status) && !matches!(api.status, 408 | 429))
        }
        Error::UnexpectedResponse(u) => u.status == 401,
        Error::Auth(_) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margin_is_a_tenth_capped_at_five_minutes() {
        assert_eq!(refresh_margin(Duration::from_secs(1800)), Duration::from_secs(180));
        assert_eq!(refresh_margin(Duration::from_secs(86400)), Duration::from_secs(300));
        assert_eq!(refresh_margin(Duration::from_secs(1)), Duration::from_millis(100));
    }

    #[test]
    fn failure_backoff_doubles_to_a_minute() {
        let waits: Vec<u64> = (1..=9).map(|n| failure_backoff(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(failure_backoff(u32::MAX), Duration::from_secs(60));
    }

    #[test]
    fn absurd_lifetimes_are_clamped_not_overflowed() {
        let now = Instant::now();
        let far = now + clamp_lifetime(Duration::MAX);
        assert!(far > now);
        assert_eq!(clamp_lifetime(Duration::from_secs(1800)), Duration::from_secs(1800));
    }

    #[test]
    fn a_token_answer_with_an_unusable_lifetime_still_gives_its_token() {
        // Negative, text, huge or fractional-text `expires_in`: the token was issued; the
        // default lifetime applies rather than a decode error (and another token request).
        for lifetime in ["-1", r#""1800s""#, r#""soon""#, "1e20", "{}", "[1]", "true", "0"] {
            let text = format!(r#"{{"access_token":"AT","refresh_token":"RT","expires_in":{lifetime},"x":1}}"#);
            let answer: OAuthTokenAnswer = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{lifetime}: {e}"));
            assert_eq!(answer.expires_in, None, "{lifetime}");
            assert!(answer.access_token.is_some(), "{lifetime}");
        }
        for (lifetime, secs) in [(r#""600""#, 600), ("1800", 1800), (r#""1800.0""#, 1800)] {
            let text = format!(r#"{{"access_token":"AT","expires_in":{lifetime}}}"#);
            let answer: OAuthTokenAnswer = serde_json::from_str(&text).unwrap();
            assert_eq!(answer.expires_in, Some(Duration::from_secs(secs)), "{lifetime}");
        }
    }

    #[test]
    fn bearer_header_is_sensitive() {
        let h = bearer_header(&Secret::new("abc")).unwrap();
        assert!(h.is_sensitive());
        assert!(!format!("{h:?}").contains("abc"));
    }
}
