//! The server: listener, dispatch, journal, faults, rate limit, lifecycle.

use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::connect_info::Connected;
use axum::extract::{ConnectInfo, Request, State as AxumState};
use axum::response::Response;
use axum::serve::{IncomingStream, Listener};
use http::{Method, header};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::SandboxConfig;
use crate::fault::{Fault, Faults};
use crate::journal::{JournalEntry, redact_body, redact_form, redact_headers};
use crate::state::{Bucket, State};
use crate::util::{ApiErr, Reply, Req, percent_decode};
use crate::{Product, auth, pp, wp, ycm};

const BODY_LIMIT: usize = 16 * 1024 * 1024;

const BAD_GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// Shared server state.
#[derive(Debug)]
pub(crate) struct App {
    config: SandboxConfig,
    state: Mutex<State>,
    journal: Mutex<Vec<JournalEntry>>,
    faults: Faults,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Handlers never leave the state half-updated across a panic point; keep serving.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl App {
    fn new(config: SandboxConfig) -> Arc<Self> {
        let seed = config.seed.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(0x5EED)
        });
        let faults = Faults::new(config.faults.clone());
        Arc::new(Self {
            state: Mutex::new(State::seeded(seed)),
            journal: Mutex::new(Vec::new()),
            faults,
            config,
        })
    }

    fn handle(&self, req: &Req) -> Reply {
        let product = Product::for_path(&req.path);
        let mut st = lock(&self.state);
        let result = self.handle_inner(&mut st, product, req);
        result.unwrap_or_else(|e| {
            let rid = st.request_id();
            e.render(product, rid)
        })
    }

    fn handle_inner(&self, st: &mut State, product: Option<Product>, req: &Req) -> Result<Reply, ApiErr> {
        let Some(product) = product else {
            return Err(ApiErr::not_found(format!("No endpoint {}", req.path)));
        };
        if matches!(product, Product::PartnerPortal | Product::Ycm)
            && req.header("user-agent").is_none_or(|ua| ua.trim().is_empty())
        {
            return Err(ApiErr::new(
                400,
                "USER_AGENT_REQUIRED",
                "The User-Agent header is required",
            ));
        }
        if product == Product::Ycm
            && req.segs.get(2).is_some_and(|s| s != "oauth")
            && let Some(wait) = self.take_ycm_token(st, req)
        {
            let secs = wait.as_millis().div_ceil(1000).max(1);
            let rid = st.request_id();
            return Ok(ApiErr::new(429, "TOO_MANY_REQUESTS", "API request rate limit exceeded")
                .render(Some(product), rid)
                .with_header(header::RETRY_AFTER, &secs.to_string()));
        }
        match product {
            Product::PartnerPortal => pp::handle(&self.config, st, req),
            Product::Ycm => ycm::handle(&self.config, st, req),
            Product::Workplace => wp::handle(&self.config, st, req),
        }
    }

    /// Takes a token from the caller's YCM bucket; `Some(wait)` when it is empty.
    fn take_ycm_token(&self, st: &mut State, req: &Req) -> Option<Duration> {
        let limit = self.config.ycm_rate_limit?;
        if limit.interval.is_zero() {
            return None;
        }
        // Per client id, as YCM limits each subordinate's Client ID; unauthenticated calls per IP.
        let key = auth::authenticate(st, Product::Ycm, req).unwrap_or_else(|_| format!("ip:{}", req.peer));
        let now = Instant::now();
        let bucket = st.buckets.entry(key).or_insert(Bucket {
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
            None
        } else {
            Some(limit.interval.saturating_sub(now - bucket.last_refill))
        }
    }

    fn record(&self, req: &Req, query: Option<&str>, status: Option<u16>, fault: Option<String>) {
        let entry = JournalEntry {
            method: req.method.to_string(),
            path: req.path.clone(),
            query: query.map(redact_form),
            headers: redact_headers(&req.headers),
            body: redact_body(&req.body),
            status,
            fault,
        };
        lock(&self.journal).push(entry);
    }
}

/// A connection's address and its "drop me" switch (see [`Fault::DropConnection`]).
#[derive(Debug, Clone)]
pub(crate) struct ConnMeta {
    addr: SocketAddr,
    killed: Arc<AtomicBool>,
}

/// A TCP listener whose connections can be killed from a handler.
#[derive(Debug)]
struct SandboxListener(TcpListener);

/// A TCP stream that fails every read and write once its connection is killed, so that hyper
/// closes the socket without writing the response.
#[derive(Debug)]
struct KillableIo {
    inner: TcpStream,
    killed: Arc<AtomicBool>,
}

fn aborted() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "connection dropped by a sandbox fault",
    )
}

impl AsyncRead for KillableIo {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        if self.killed.load(Ordering::Acquire) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableIo {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if self.killed.load(Ordering::Acquire) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.killed.load(Ordering::Acquire) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl Listener for SandboxListener {
    type Io = KillableIo;
    type Addr = ConnMeta;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    let killed = Arc::new(AtomicBool::new(false));
                    return (
                        KillableIo {
                            inner: stream,
                            killed: killed.clone(),
                        },
                        ConnMeta { addr, killed },
                    );
                }
                // Out of file descriptors and the like: wait a little instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(ConnMeta {
            addr: self.0.local_addr()?,
            killed: Arc::new(AtomicBool::new(false)),
        })
    }
}

impl Connected<IncomingStream<'_, SandboxListener>> for ConnMeta {
    fn connect_info(stream: IncomingStream<'_, SandboxListener>) -> Self {
        stream.remote_addr().clone()
    }
}

async fn dispatch(
    AxumState(app): AxumState<Arc<App>>,
    ConnectInfo(conn): ConnectInfo<ConnMeta>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, BODY_LIMIT).await.unwrap_or_default();
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().map(str::to_owned);
    let req = Req {
        method: parts.method,
        segs: path.split('/').skip(1).map(percent_decode).collect(),
        path,
        query: query
            .as_deref()
            .map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default(),
        headers: parts.headers,
        body,
        peer: conn.addr.ip(),
    };
    let product = Product::for_path(&req.path);

    let mut injected = None;
    let mut reply = None;
    if let Some((latency, fault)) = app.faults.next(&req.method, &req.path) {
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        let note = (fault != Fault::Pass).then(|| format!("{fault:?}"));
        match fault {
            Fault::Pass => {}
            Fault::Delay(d) => tokio::time::sleep(d).await,
            Fault::Status(status) => reply = Some(error_reply(&app, product, status)),
            Fault::TooManyRequests { retry_after } => {
                let secs = retry_after.as_millis().div_ceil(1000);
                reply = Some(error_reply(&app, product, 429).with_header(header::RETRY_AFTER, &secs.to_string()));
            }
            Fault::HtmlBadGateway => reply = Some(Reply::html(502, BAD_GATEWAY_PAGE.to_owned())),
            Fault::DropConnection => {
                tracing::debug!(method = %req.method, path = %req.path, "sandbox fault: dropping the connection");
                app.record(&req, query.as_deref(), None, note);
                return killed_response(&conn);
            }
            Fault::DropAfterHandling => {
                let reply = app.handle(&req);
                tracing::debug!(method = %req.method, path = %req.path, status = reply.status.as_u16(), "sandbox fault: handled, then dropping the connection");
                app.record(&req, query.as_deref(), Some(reply.status.as_u16()), note);
                return killed_response(&conn);
            }
            Fault::SlowAnswer(d) => {
                // Journal before waiting: the client may give up and drop this future.
                let reply = app.handle(&req);
                app.record(&req, query.as_deref(), Some(reply.status.as_u16()), note);
                tokio::time::sleep(d).await;
                return reply.into_response();
            }
        }
        injected = note;
    }
    let reply = match reply {
        Some(r) => r,
        None => app.handle(&req),
    };
    tracing::debug!(method = %req.method, path = %req.path, status = reply.status.as_u16(), "sandbox request");
    app.record(&req, query.as_deref(), Some(reply.status.as_u16()), injected);
    reply.into_response()
}

/// A response never written: the killed socket fails the write and hyper closes it.
fn killed_response(conn: &ConnMeta) -> Response {
    conn.killed.store(true, Ordering::Release);
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
    resp.headers_mut()
        .insert(header::CONNECTION, http::HeaderValue::from_static("close"));
    resp
}

fn error_reply(app: &App, product: Option<Product>, status: u16) -> Reply {
    let rid = lock(&app.state).request_id();
    ApiErr::for_status(status).render(product, rid)
}

fn router(app: Arc<App>) -> Router {
    Router::new().fallback(dispatch).with_state(app)
}

async fn run(
    listener: TcpListener,
    app: Arc<App>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let service = router(app).into_make_service_with_connect_info::<ConnMeta>();
    axum::serve(SandboxListener(listener), service)
        .with_graceful_shutdown(shutdown)
        .await
}

/// A running sandbox. Dropping it shuts the server down.
///
/// Started in-process with [`Sandbox::start`]; tests read its [journal](Self::journal) and
/// control its [faults](Self::faults).
///
/// # Choices where Yeastar documents nothing
/// - Errors use each product's envelope with an HTTP 4xx/5xx status equal to PP's `status`.
///   Symbolic codes: PP shows them lowercase in `code` (`parameter_validation_failed`,
///   `invalid_token` — also for an expired token —, `invalid_client`, `invalid_grant`,
///   `user_already_exists`, `user_agent_required`, …), Workplace in `errMsg` (`INVALID_TOKEN`,
///   `TOKEN_EXPIRED`, `PARAMETER_VALIDATION_FAILED`, `GROUP_NOT_EMPTY`, `ACCESS_DENIED`, …), YCM as
///   `errmsg` text with a numeric `errcode` (40002 validation, 40001 missing User-Agent, 40003
///   duplicate, 10004 token expired, 10006 invalid token, 10007 bad client credentials, 10008 bad
///   refresh token or grant, 10005 method not allowed, 60001 not found, 70004 IP blocked (HTTP
///   403), 70029 rate limited (HTTP 429)).
/// - Wrong client credentials: HTTP 401; bad or expired refresh token: HTTP 400.
/// - A refresh rotates the refresh token (the old one stops working); earlier access tokens stay
///   valid until they expire. `expires_in` is the lifetime in whole seconds, rounded up.
/// - PP and YCM answer HTTP 400 without a `User-Agent`; Workplace does not require one.
/// - Workplace pages default to 20 items; YCM pages to 10 (at most 50); PP pages to 25.
#[derive(Debug)]
pub struct Sandbox {
    addr: SocketAddr,
    app: Arc<App>,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl Sandbox {
    /// Binds the configured address and serves in a background task of the current runtime.
    pub async fn start(config: SandboxConfig) -> io::Result<Sandbox> {
        let listener = TcpListener::bind(config.socket_addr()).await?;
        let addr = listener.local_addr()?;
        let app = App::new(config);
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn({
            let app = app.clone();
            async move {
                let shutdown = async {
                    let _ = rx.await;
                };
                if let Err(e) = run(listener, app, shutdown).await {
                    tracing::warn!(error = %e, "sandbox server stopped");
                }
            }
        });
        Ok(Sandbox {
            addr,
            app,
            shutdown: Some(tx),
            task,
        })
    }

    /// The base URL to give to the SDK clients, e.g. `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> String {
        let mut addr = self.addr;
        if addr.ip().is_unspecified() {
            addr.set_ip(IpAddr::V4(Ipv4Addr::LOCALHOST));
        }
        format!("http://{addr}")
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The configuration the sandbox runs with.
    pub fn config(&self) -> &SandboxConfig {
        &self.app.config
    }

    /// Every request received so far, oldest first, with secrets redacted.
    pub fn journal(&self) -> Vec<JournalEntry> {
        lock(&self.app.journal).clone()
    }

    /// How many journaled requests have this method and a path starting with `path_prefix`
    /// (e.g. to prove that a create was sent once).
    pub fn journal_count(&self, method: &Method, path_prefix: &str) -> usize {
        lock(&self.app.journal)
            .iter()
            .filter(|e| e.method == method.as_str() && e.path.starts_with(path_prefix))
            .count()
    }

    /// Empties the journal.
    pub fn clear_journal(&self) {
        lock(&self.app.journal).clear();
    }

    /// The live fault rules: [`push`](Faults::push) and [`clear`](Faults::clear) them at runtime.
    pub fn faults(&self) -> &Faults {
        &self.app.faults
    }

    /// Lifts every YCM IP block and resets the failure counters (YCM's Security > Blocked IP).
    pub fn unblock_all(&self) {
        let mut st = lock(&self.app.state);
        st.ycm_blocked.clear();
        st.ycm_failures.clear();
    }

    /// Makes every access token issued so far expire now (their refresh tokens keep working),
    /// to exercise the refresh path without waiting.
    pub fn expire_access_tokens(&self) {
        let now = Instant::now();
        for t in lock(&self.app.state).access_tokens.values_mut() {
            t.expires = now;
        }
    }

    /// Makes every refresh token issued so far expire now.
    pub fn expire_refresh_tokens(&self) {
        let now = Instant::now();
        for t in lock(&self.app.state).refresh_tokens.values_mut() {
            t.expires = now;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        // Graceful shutdown waits for idle keep-alive connections; do not linger.
        self.task.abort();
    }
}

/// Runs a sandbox on the configured address until `shutdown` completes (the CLI's standalone
/// mode, e.g. with `tokio::signal::ctrl_c`). Use a fixed port (e.g. 8080): the URL is only
/// logged (at `info` level through `tracing`). To learn a random port's URL, use
/// [`Sandbox::start`] and keep the value alive instead.
pub async fn serve(config: SandboxConfig, shutdown: impl Future<Output = ()> + Send + 'static) -> io::Result<()> {
    let listener = TcpListener::bind(config.socket_addr()).await?;
    let addr = listener.local_addr()?;
    tracing::info!(url = %format!("http://{addr}"), "Yeastar sandbox listening");
    run(listener, App::new(config), shutdown).await
}
