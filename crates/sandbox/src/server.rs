//! The server: the route table of the three products, the lifecycle, the test controls.

use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::middleware::from_fn_with_state;
use http::{Method, Uri};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::app::App;
use crate::config::SandboxConfig;
use crate::error::ApiErr;
use crate::fault::Faults;
use crate::journal::JournalEntry;
use crate::listener::{ConnMeta, SandboxListener};
use crate::middleware::front_door;
use crate::wp::events::WpDelivery;
use crate::{pp, wp, ycm};

/// Every route of the three products, and the answers for unknown paths (404) and wrong
/// methods (405) in the envelope of the product that owns the path.
fn router(app: Arc<App>) -> Router {
    Router::new()
        .merge(pp::routes(&app))
        .merge(ycm::routes(&app))
        .merge(wp::routes(&app))
        .method_not_allowed_fallback(|method: Method| async move { ApiErr::method_not_allowed(&method) })
        .fallback(|uri: Uri| async move { ApiErr::no_endpoint(uri.path()) })
        .layer(from_fn_with_state(app.clone(), front_door))
        .with_state(app)
}

async fn run(
    listener: TcpListener,
    app: Arc<App>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let closing = app.clone();
    let shutdown = async move {
        shutdown.await;
        // Graceful shutdown waits for every connection: hung requests must give up.
        closing.close();
    };
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
/// - Errors use each product's envelope with an HTTP 4xx/5xx status (equal to PP's `status`).
///   Partner Portal: a lowercase symbolic `code` (`parameter_validation_failed` with
///   `result: {field, tag}`, `invalid_token` (also for an expired token), `invalid_client`,
///   `invalid_grant`, `user_not_found`, `user_already_exists`, `user_agent_required`,
///   `unsupported_media_type`, `access_denied` (wrong method), `not_found`,
///   `too_many_requests`). Workplace: the same names upper-case in `errMsg`
///   (`INVALID_TOKEN`, `TOKEN_EXPIRED`, `PARAMETER_VALIDATION_FAILED`, `USER_NOT_FOUND`,
///   `GROUP_NOT_EMPTY`, `ACCESS_DENIED`, …) with `detailMsg`.
/// - YCM: the codes of YCM's documented error-code table in `errcode` (a number) with a
///   readable `errmsg`. **Both keys are undocumented** (YCM documents only `requestId`,
///   `status` and `time` of an error body); `errcode`/`errmsg` are the sibling P-Series
///   API's keys, which YCM's own PBX pass-through answers also carry. Codes: 1000035
///   TOKEN_EXPIRED and 1000036 INVALID_TOKEN (HTTP 401 for an access token, 400 for a refresh
///   token), 1000033 INVALID_CLIENT (401), 1000002 AUTHENTICATION_FAILED (403, the IP
///   lockout), 1000040 RATE_LIMIT_EXCEEDED (429), 1000015 USER_NOT_FOUND and 1000005
///   DATA_NOT_FOUND (404, also for an unknown path), 1000004 INVALID_PARAMETER (400;
///   415 for a wrong `Content-Type`), 1000019 EMAIL_ADDRESS_ALREADY_EXISTS (400), 3000014
///   USER_ASSOCIATED_CLOUD_PBX (400), 1000042 ACCESS_DENIED (405), 1000001 SERVER_ERROR
///   (injected 5xx).
/// - Undocumented fields in answers: YCM's `pbxCreationLimit` in a reseller's `User_Info`
///   (`""` = no limit), so that an update can be read back; the YCM error keys above; in
///   `PBX_Info` (whose documented field list is cut off) the switches `im`,
///   `allowSuperiorPasswordlessLogin`, `provisioningViaTemplate` (and `pbxApi`,
///   `trunkConfigurationAccess` once set), so that a read-modify-write can resend them.
/// - YCM Cloud PBX choices: creating answers `data: {cloudPbxId}` (undocumented; see
///   `with_ycm_create_pbx_answers_id`); a taken URL is 1000007 DATA_ALREADY_EXISTS; deleting a
///   customer still associated with a Cloud PBX is 3000014; activation info of an activated
///   PBX, an activation email to a customer not associated with the PBX, a DID of another
///   trunk or PBX are 1000004; `search` matches the name, SN or URL; a running PBX may be
///   deleted; the assigned-DID list has no repeated ids (the doc example has some); the DID
///   event of a deleted PBX lists the DIDs it had; webhook `modifier` is `leo@yeastar.com`.
/// - Workplace events: a new subscription replaces the previous one; `eventTypes` values other
///   than the nine documented ones are `PARAMETER_VALIDATION_FAILED`; subscribing needs no
///   Callback URI (events then go nowhere); `WEBHOOK_TEST` carries an empty `data`; retries
///   wait 1 s, 2 s, 4 s by default.
/// - Wrong client credentials: HTTP 401; bad or expired refresh token: HTTP 400. A wrong
///   `Content-Type`: HTTP 415 (JSON writes need `application/json`; token endpoints
///   `application/x-www-form-urlencoded`, and PP also `multipart/form-data`).
/// - A refresh rotates the refresh token (the old one stops working); earlier access tokens stay
///   valid until they expire. `expires_in` is the lifetime in whole seconds, rounded up.
/// - PP and YCM answer HTTP 400 without a `User-Agent`; Workplace does not require one.
/// - Workplace pages default to 20 items; YCM pages to 10 (at most 50); PP pages to 25.
/// - Rate limits (off by default) answer HTTP 429 with `Retry-After` in whole seconds.
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
        self.app.journal().clone()
    }

    /// How many journaled requests have this method and a path starting with `path_prefix`
    /// (e.g. to prove that a create was sent once).
    pub fn journal_count(&self, method: &Method, path_prefix: &str) -> usize {
        self.app
            .journal()
            .iter()
            .filter(|e| e.method == method.as_str() && e.path.starts_with(path_prefix))
            .count()
    }

    /// Empties the journal.
    pub fn clear_journal(&self) {
        self.app.journal().clear();
    }

    /// The live fault rules: [`push`](Faults::push) and [`clear`](Faults::clear) them at runtime.
    pub fn faults(&self) -> &Faults {
        &self.app.faults
    }

    /// Lifts every YCM IP block and resets the failure counters (YCM's Security > Blocked IP).
    pub fn unblock_all(&self) {
        let mut db = self.app.db();
        db.ycm_blocked.clear();
        db.ycm_failures.clear();
    }

    /// The Workplace event types subscribed to through `integration/subscribe` (`["ALL"]` for
    /// every event, as an absent, `null` or empty `eventTypes` also means), or `None` before a
    /// subscription and after `cancel_subscribe`.
    pub fn workplace_subscription(&self) -> Option<Vec<String>> {
        self.app.wp_subscription()
    }

    /// Makes a Workplace event happen. The sandbox has no meetings, so tests say which event
    /// (`MEETING_CREATED`, …; any string) and its `data`; the sandbox wraps it as Workplace
    /// does (`{eventId, eventCreatedTime, eventVersion: "1.0", eventType, data}`) and, if the
    /// type is subscribed to and a Callback URI is set
    /// ([`SandboxConfig::with_wp_callback_uri`]), POSTs it there as JSON.
    ///
    /// Like Workplace, a delivery that does not get `200 OK` is sent again up to 3 more times,
    /// at increasing intervals ([`SandboxConfig::with_wp_webhook_retry_interval`]), with the
    /// same `eventId`. Completes when the event is delivered or given up, and says which.
    ///
    /// ```no_run
    /// # async fn demo(sandbox: yeastar_sandbox::Sandbox) {
    /// use serde_json::json;
    /// let outcome = sandbox
    ///     .emit_workplace_event(
    ///         "MEETING_DELETED",
    ///         json!({"roomId": 2808, "roomName": "Meeting Room 4", "meetingId": "WzEsNzY0NzYsMCwxNjkwNTMzOTAwLDBd"}),
    ///     )
    ///     .await;
    /// println!("{outcome:?}");
    /// # }
    /// ```
    pub async fn emit_workplace_event(&self, event_type: &str, data: serde_json::Value) -> WpDelivery {
        self.app.wp_emit(event_type, data, false).await
    }

    /// The admin portal's **Test** button next to the Callback URI: sends a `WEBHOOK_TEST`
    /// event, subscribed or not. Its payload is undocumented; the sandbox sends the shape of
    /// the other events with an empty `data`.
    pub async fn test_workplace_webhook(&self) -> WpDelivery {
        self.app.wp_emit("WEBHOOK_TEST", serde_json::json!({}), true).await
    }

    /// Makes every access token issued so far expire now (their refresh tokens keep working),
    /// to exercise the refresh path without waiting.
    pub fn expire_access_tokens(&self) {
        let now = self.app.now();
        for t in self.app.db().access_tokens.values_mut() {
            t.expires = now;
        }
    }

    /// Makes every refresh token issued so far expire now.
    pub fn expire_refresh_tokens(&self) {
        let now = self.app.now();
        for t in self.app.db().refresh_tokens.values_mut() {
            t.expires = now;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        // Connection tasks outlive the aborted server task: release hung requests now.
        self.app.close();
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
