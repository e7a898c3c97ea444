//! Credentials, token sources and the shared token cache.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use http::HeaderValue;
use tokio::time::Instant;

use crate::client::Client;
use crate::error::{AuthError, AuthErrorKind, Error, Result, is_retryable_status};
use crate::product::Product;
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

struct RefreshState {
    refresh_token: Option<(Secret, Option<Instant>)>,
    store_loaded: bool,
    /// The failure of the latest flight and its number, shared with the callers that waited for it.
    last_failure: Option<(u64, Error)>,
}

/// The token cache shared by every clone of a client.
///
/// - Fast path: a read lock and an `Arc` clone, no await.
/// - Single flight: one refresh at a time behind an async mutex; callers that find the token
///   missing wait for that refresh and re-check instead of asking again. Callers that find it
///   merely due for refresh (still valid) keep using it while another task refreshes.
/// - A refused client-credentials request is remembered and returned to every later call
///   without asking the server again.
pub(crate) struct TokenCache {
    product: Product,
    source: Arc<dyn TokenSource>,
    client_id: String,
    client_secret: Secret,
    store: Option<Arc<dyn TokenStore>>,
    current: RwLock<Option<Arc<CachedToken>>>,
    refresh: tokio::sync::Mutex<RefreshState>,
    failed: OnceLock<AuthError>,
    generation: AtomicU64,
    requests: AtomicU64,
    flights: AtomicU64,
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

impl TokenCache {
    pub(crate) fn new(
        product: Product,
        source: Arc<dyn TokenSource>,
        client_id: String,
        client_secret: Secret,
        store: Option<Arc<dyn TokenStore>>,
    ) -> Self {
        Self {
            product,
            source,
            client_id,
            client_secret,
            store,
            current: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(RefreshState {
                refresh_token: None,
                store_loaded: false,
                last_failure: None,
            }),
            failed: OnceLock::new(),
            generation: AtomicU64::new(0),
            requests: AtomicU64::new(0),
            flights: AtomicU64::new(0),
        }
    }

    pub(crate) fn token_requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    fn failure(&self) -> Option<Error> {
        self.failed.get().map(|f| Error::Auth(Box::new(f.clone())))
    }

    fn current(&self) -> Option<Arc<CachedToken>> {
        self.current.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// A valid token, fetching or refreshing it if needed.
    pub(crate) async fn token(&self, client: &Client) -> Result<Arc<CachedToken>> {
        if let Some(e) = self.failure() {
            return Err(e);
        }
        let now = Instant::now();
        let current = self.current();
        if let Some(t) = &current
            && now < t.refresh_at
        {
            return Ok(t.clone());
        }
        let still_valid = current.filter(|t| now < t.expires_at);
        let flights_before = self.flights.load(Ordering::Acquire);
        let mut state = match &still_valid {
            // Due for refresh but valid: refresh if nobody else is, otherwise keep using it.
            Some(t) => match self.refresh.try_lock() {
                Ok(guard) => guard,
                Err(_) => return Ok(t.clone()),
            },
            None => self.refresh.lock().await,
        };
        // Someone may have refreshed (or failed for good) while we waited for the lock.
        if let Some(e) = self.failure() {
            return Err(e);
        }
        if let Some(t) = self.current()
            && Instant::now() < t.refresh_at
        {
            return Ok(t);
        }
        // A flight that ended while we waited failed: share its error rather than asking again,
        // so that N callers against a failing token endpoint make one flight, not N.
        if still_valid.is_none()
            && let Some((flight, e)) = &state.last_failure
            && *flight > flights_before
        {
            return Err(e.clone());
        }
        let result = self.refresh_locked(&mut state, client).await;
        let flight = self.flights.fetch_add(1, Ordering::AcqRel) + 1;
        state.last_failure = result.as_ref().err().map(|e| (flight, e.clone()));
        match result {
            Ok(t) => Ok(t),
            Err(e) => match still_valid {
                Some(t) if Instant::now() < t.expires_at && !matches!(e, Error::Auth(_)) => {
                    tracing::warn!(product = self.product.as_str(), error = %e, "token refresh failed; the current token is still valid and stays in use");
                    Ok(t)
                }
                _ => Err(e),
            },
        }
    }

    async fn refresh_locked(&self, state: &mut RefreshState, client: &Client) -> Result<Arc<CachedToken>> {
        if !state.store_loaded {
            state.store_loaded = true;
            if let Some(t) = self.load_from_store(state)? {
                return Ok(t);
            }
        }
        if let Some((refresh_token, expires_at)) = state.refresh_token.take()
            && expires_at.is_none_or(|at| Instant::now() < at)
        {
            self.requests.fetch_add(1, Ordering::Relaxed);
            let grant = Grant::RefreshToken {
                client_id: &self.client_id,
                client_secret: &self.client_secret,
                refresh_token: &refresh_token,
            };
            match self.source.fetch(client, grant).await {
                Ok(set) => return self.install(state, set),
                Err(e) if is_refusal(&e) => {
                    tracing::info!(product = self.product.as_str(), error = %e, "refresh token refused; requesting a new token with the client credentials");
                }
                Err(e) => {
                    state.refresh_token = Some((refresh_token, expires_at));
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
            Ok(set) => self.install(state, set),
            Err(e) if is_refusal(&e) => {
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
                let _ = self.failed.set(failure.clone());
                Err(Error::Auth(Box::new(failure)))
            }
            Err(e) => Err(e),
        }
    }

    fn load_from_store(&self, state: &mut RefreshState) -> Result<Option<Arc<CachedToken>>> {
        let Some(stored) = self.store.as_ref().and_then(|s| s.load()) else {
            return Ok(None);
        };
        let now_wall = SystemTime::now();
        let now = Instant::now();
        if let (Some(rt), exp) = (stored.refresh_token.clone(), stored.refresh_expires_at) {
            match exp.map(|e| e.duration_since(now_wall)) {
                Some(Err(_)) => {}
                Some(Ok(left)) => state.refresh_token = Some((rt, Some(now + clamp_lifetime(left)))),
                None => state.refresh_token = Some((rt, None)),
            }
        }
        let Ok(left) = stored.access_expires_at.duration_since(now_wall) else {
            return Ok(None);
        };
        let left = clamp_lifetime(left);
        // The lifetime is unknown here; use the remaining time for the margin.
        let refresh_at = now + left - refresh_margin(left);
        if refresh_at <= now {
            return Ok(None);
        }
        let token = Arc::new(CachedToken {
            header: bearer_header(&stored.access_token)?,
            secret: stored.access_token.clone(),
            expires_at_wall: stored.access_expires_at,
            generation: self.generation.fetch_add(1, Ordering::Relaxed) + 1,
            refresh_at,
            expires_at: now + left,
        });
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Some(token.clone());
        Ok(Some(token))
    }

    fn install(&self, state: &mut RefreshState, set: TokenSet) -> Result<Arc<CachedToken>> {
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
        state.refresh_token = set
            .refresh_token
            .clone()
            .map(|rt| (rt, refresh_lifetime.map(|d| now + d)));
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Some(token.clone());
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

    /// Drops `token` if it is still the current one (so that many concurrent 401s cause one
    /// refresh, not many).
    pub(crate) fn invalidate(&self, token: &CachedToken) {
        let mut current = self.current.write().unwrap_or_else(|p| p.into_inner());
        if current.as_ref().is_some_and(|c| c.generation == token.generation) {
            *current = None;
        }
    }
}

/// Whether a token endpoint's answer is a refusal (wrong credentials, revoked refresh token),
/// as opposed to a transient failure worth asking again later.
///
/// A 4xx answer that is not JSON (a proxy's 401/403 page) counts as a refusal too: asking again
/// would only add to the failed authentications YCM counts before blocking the IP.
fn is_refusal(e: &Error) -> bool {
    match e {
        Error::Api(api) => !is_retryable_status(api.status),
        Error::UnexpectedResponse(u) => (400..500).contains(&u.status) && !is_retryable_status(u.status),
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
    fn absurd_lifetimes_are_clamped_not_overflowed() {
        let now = Instant::now();
        let far = now + clamp_lifetime(Duration::MAX);
        assert!(far > now);
        assert_eq!(clamp_lifetime(Duration::from_secs(1800)), Duration::from_secs(1800));
    }

    #[test]
    fn bearer_header_is_sensitive() {
        let h = bearer_header(&Secret::new("abc")).unwrap();
        assert!(h.is_sensitive());
        assert!(!format!("{h:?}").contains("abc"));
    }
}
