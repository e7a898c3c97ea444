//! The layers around the routes: the front door (journal, faults, error envelopes), the
//! User-Agent check, and the guard of API calls (rate limit, access token).

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::request::Parts;
use http::{HeaderMap, Method, header};

use crate::Product;
use crate::app::App;
use crate::auth;
use crate::error::{ApiErr, Code, Unrendered, echo_body};
use crate::extract::{BODY_LIMIT, read_form};
use crate::fault::{EchoedSecret, Fault, NoTokenBody};
use crate::journal::{JournalEntry, redact_body, redact_form, redact_headers};
use crate::listener::ConnMeta;
use crate::reply::Reply;

const BAD_GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

const WAF_FORBIDDEN_PAGE: &str = "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n\
<center><h1>403 Forbidden</h1></center>\r\n<p>Request blocked by the web application firewall.</p>\r\n\
</body>\r\n</html>\r\n";

/// A request as the journal records it.
#[derive(Debug)]
struct Seen {
    method: Method,
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    body: Bytes,
}

impl Seen {
    fn new(parts: &Parts, body: &Bytes) -> Self {
        Self {
            method: parts.method.clone(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(str::to_owned),
            headers: parts.headers.clone(),
            body: body.clone(),
        }
    }

    /// The error text of [`Fault::EchoSecret`] and its HTTP status, with the secret this
    /// request carried (empty if none).
    async fn echo(&self, secret: EchoedSecret) -> (u16, String) {
        let form = read_form(&self.headers, self.body.clone()).await.ok();
        let field = |name: &str| form.as_ref().and_then(|f| f.get(name)).unwrap_or_default();
        match secret {
            EchoedSecret::AccessToken => {
                // Wherever the request carried it: the header, or a query parameter.
                let token = auth::presented_token(Product::Workplace, &self.headers, self.query.as_deref());
                (401, format!("Invalid access token: {}", token.unwrap_or_default()))
            }
            EchoedSecret::RefreshToken => (400, format!("Invalid refresh token: {}", field("refresh_token"))),
            EchoedSecret::ClientSecret => {
                let secret = form
                    .as_ref()
                    .and_then(|f| auth::client_credentials(&self.headers, f).1)
                    .unwrap_or_default();
                (401, format!("Bad client credentials: {secret}"))
            }
        }
    }
}

impl App {
    fn record(&self, seen: &Seen, status: Option<u16>, fault: Option<String>) {
        let entry = JournalEntry {
            method: seen.method.to_string(),
            path: seen.path.clone(),
            query: seen.query.as_deref().map(redact_form),
            headers: redact_headers(&seen.headers),
            body: redact_body(&seen.body),
            status,
            fault,
        };
        self.journal().push(entry);
    }

    /// Renders an [`ApiErr`] left in `resp` in the envelope of `product`.
    fn render(&self, product: Option<Product>, mut resp: Response) -> Response {
        match resp.extensions_mut().remove::<Unrendered>() {
            Some(Unrendered(err)) => {
                let request_id = self.db().request_id();
                err.render(product, request_id)
            }
            None => resp,
        }
    }
}

/// The outermost layer: reads the request, applies the first matching fault rule, renders
/// errors in the envelope of the product that owns the path, and journals the request.
pub(crate) async fn front_door(
    State(app): State<Arc<App>>,
    ConnectInfo(conn): ConnectInfo<ConnMeta>,
    req: Request,
    next: Next,
) -> Response {
    let (parts, body) = req.into_parts();
    let body = to_bytes(body, BODY_LIMIT).await.unwrap_or_default();
    let seen = Seen::new(&parts, &body);
    let req = Request::from_parts(parts, Body::from(body));
    let product = Product::for_path(&seen.path);
    let (latency, fault) = app
        .faults
        .next(&seen.method, &seen.path)
        .unwrap_or((std::time::Duration::ZERO, Fault::Pass));
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let note = (fault != Fault::Pass).then(|| format!("{fault:?}"));
    let answer = match fault {
        Fault::Pass => next.run(req).await,
        Fault::Delay(d) => {
            tokio::time::sleep(d).await;
            next.run(req).await
        }
        Fault::Status(status) => ApiErr::for_status(status).into_response(),
        Fault::TooManyRequests { retry_after } => {
            let secs = retry_after.as_millis().div_ceil(1000);
            ApiErr::for_status(429)
                .with_header(header::RETRY_AFTER, &secs.to_string())
                .into_response()
        }
        Fault::HtmlBadGateway => Reply::html(502, BAD_GATEWAY_PAGE).into_response(),
        Fault::DropConnection => {
            tracing::debug!(method = %seen.method, path = %seen.path, "sandbox fault: dropping the connection");
            app.record(&seen, None, note);
            return conn.kill();
        }
        Fault::DropAfterHandling => {
            let resp = app.render(product, next.run(req).await);
            tracing::debug!(method = %seen.method, path = %seen.path, status = resp.status().as_u16(), "sandbox fault: handled, then dropping the connection");
            app.record(&seen, Some(resp.status().as_u16()), note);
            return conn.kill();
        }
        Fault::SlowAnswer(d) => {
            // Journal before waiting: the client may give up and drop this future.
            let resp = app.render(product, next.run(req).await);
            app.record(&seen, Some(resp.status().as_u16()), note);
            tokio::time::sleep(d).await;
            return resp;
        }
        Fault::BearerChallenge => {
            let mut resp = http::StatusCode::UNAUTHORIZED.into_response();
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                http::HeaderValue::from_static(r#"Bearer error="invalid_token""#),
            );
            resp
        }
        Fault::EchoSecret(secret) => {
            let (status, text) = seen.echo(secret).await;
            let request_id = app.db().request_id();
            Reply::json(status, echo_body(product, status, &text, request_id)).into_response()
        }
        Fault::NoToken(NoTokenBody::SystemBusy) => {
            Reply::ok(serde_json::json!({"errmsg": "system busy"})).into_response()
        }
        Fault::NoToken(NoTokenBody::EmptyObject) => Reply::ok(serde_json::json!({})).into_response(),
        Fault::NoToken(NoTokenBody::ErrorEnvelope) => {
            ApiErr::new(200, Code::SystemBusy, "System busy, please try again later").into_response()
        }
        Fault::HtmlForbidden => Reply::html(403, WAF_FORBIDDEN_PAGE).into_response(),
        Fault::Hang => {
            // Journal first: the client gives up and drops this future, or the sandbox stops.
            app.record(&seen, None, note);
            app.closed().await;
            return conn.kill();
        }
    };
    let resp = app.render(product, answer);
    tracing::debug!(method = %seen.method, path = %seen.path, status = resp.status().as_u16(), "sandbox request");
    app.record(&seen, Some(resp.status().as_u16()), note);
    resp
}

/// Partner Portal and YCM require a `User-Agent` on every request.
pub(crate) async fn require_user_agent(req: Request, next: Next) -> Response {
    let present = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ua| !ua.trim().is_empty());
    if !present {
        return ApiErr::new(400, Code::UserAgentRequired, "The User-Agent header is required").into_response();
    }
    next.run(req).await
}

/// The state of [`guard`]: which product's API it protects.
#[derive(Debug, Clone)]
pub(crate) struct Guarded {
    pub(crate) app: Arc<App>,
    pub(crate) product: Product,
}

impl Guarded {
    pub(crate) fn new(app: &Arc<App>, product: Product) -> Self {
        Self {
            app: app.clone(),
            product,
        }
    }
}

/// Every API call (not the token endpoints): the product's rate limit, then the access token.
pub(crate) async fn guard(
    State(g): State<Guarded>,
    ConnectInfo(conn): ConnectInfo<ConnMeta>,
    req: Request,
    next: Next,
) -> Response {
    let token = auth::presented_token(g.product, req.headers(), req.uri().query());
    let admitted = {
        let mut db = g.app.db();
        let client = auth::authenticate(&db, g.product, token.as_deref(), g.app.now());
        g.app
            .take_rate_token(&mut db, g.product, client.as_deref().ok(), conn.addr.ip())
            .and(client)
    };
    match admitted {
        Ok(_) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}
