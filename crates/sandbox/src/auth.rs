//! Token endpoints and bearer-token checks, shared by the three products.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequest, Request};
use base64::Engine;
use http::{HeaderMap, header};
use serde_json::json;

use crate::Product;
use crate::app::App;
use crate::config::SandboxConfig;
use crate::error::{ApiErr, Code};
use crate::extract::{FormFields, FormKind};
use crate::listener::ConnMeta;
use crate::reply::{Answer, Reply};
use crate::state::{Db, Issued};

/// Which token call a request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenCall {
    /// PP and YCM: one endpoint, the grant type decides.
    ByGrantType,
    /// Workplace `get_token`.
    WpGet,
    /// Workplace `refresh_token`.
    WpRefresh,
}

/// A token request as the endpoint received it.
#[derive(Debug)]
struct TokenRequest<'a> {
    product: Product,
    /// The sandbox's time.
    now: Instant,
    call: TokenCall,
    peer: IpAddr,
    headers: &'a HeaderMap,
    form: &'a FormFields,
}

/// A call to a token endpoint, as its handler receives it; each product's handler only says
/// which product and call it is ([`answer`](Self::answer)).
#[derive(Debug)]
pub(crate) struct TokenEndpointCall {
    app: Arc<App>,
    peer: IpAddr,
    headers: HeaderMap,
    form: FormFields,
}

impl TokenEndpointCall {
    /// Issues or refreshes a token of `product`.
    pub(crate) fn answer(&self, product: Product, call: TokenCall) -> Answer {
        let req = TokenRequest {
            product,
            now: self.app.now(),
            call,
            peer: self.peer,
            headers: &self.headers,
            form: &self.form,
        };
        token(&self.app.config, &mut self.app.db(), &req)
    }
}

impl FromRequest<Arc<App>> for TokenEndpointCall {
    type Rejection = ApiErr;

    async fn from_request(req: Request, app: &Arc<App>) -> Result<Self, ApiErr> {
        let peer = req
            .extensions()
            .get::<ConnectInfo<ConnMeta>>()
            .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |c| c.0.addr.ip());
        let headers = req.headers().clone();
        let form = FormFields::from_request(req, app).await?;
        Ok(Self {
            app: app.clone(),
            peer,
            headers,
            form,
        })
    }
}

fn ceil_secs(d: Duration) -> u64 {
    d.as_millis().div_ceil(1000).max(1) as u64
}

/// Client id and secret from the form or an HTTP Basic header.
pub(crate) fn client_credentials(headers: &HeaderMap, form: &FormFields) -> (Option<String>, Option<String>) {
    let (mut id, mut secret) = (form.get("client_id"), form.get("client_secret"));
    if id.is_none()
        && let Some(basic) = headers
            .get(header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.strip_prefix("Basic "))
        && let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(basic.trim())
        && let Some((i, s)) = String::from_utf8_lossy(&decoded).split_once(':')
    {
        id = Some(i.to_owned());
        secret = Some(s.to_owned());
    }
    (id, secret)
}

fn check_client(
    config: &SandboxConfig,
    product: Product,
    id: Option<&str>,
    secret: Option<&str>,
) -> Result<String, ApiErr> {
    let id = id.ok_or_else(|| ApiErr::required("client_id"))?;
    let secret = secret.ok_or_else(|| ApiErr::required("client_secret"))?;
    match config.credentials.get(&product) {
        Some((good_id, good_secret)) if good_id == id && good_secret == secret => Ok(id.to_owned()),
        _ => Err(ApiErr::new(401, Code::InvalidClient, "Bad client credentials")),
    }
}

/// Handles a token request (issue or refresh).
fn token(config: &SandboxConfig, db: &mut Db, req: &TokenRequest<'_>) -> Answer {
    let product = req.product;
    // PP documents multipart or urlencoded; YCM and Workplace urlencoded only.
    req.form.require(match product {
        Product::PartnerPortal => &[FormKind::Multipart, FormKind::Urlencoded],
        Product::Ycm | Product::Workplace => &[FormKind::Urlencoded],
    })?;
    if product == Product::Ycm && db.ycm_blocked.contains(&req.peer) {
        return Err(ApiErr::new(
            403,
            Code::IpBlocked,
            "API Authentication Blocked Out: too many failed authentications from this IP",
        ));
    }
    let result = issue(config, db, req);
    if product == Product::Ycm {
        match &result {
            Err(e) if matches!(e.code, Code::InvalidClient | Code::InvalidGrant | Code::ExpiredGrant) => {
                let n = db.ycm_failures.entry(req.peer).or_insert(0);
                *n += 1;
                if config.ycm_lockout_threshold.is_some_and(|t| *n > t) {
                    db.ycm_blocked.insert(req.peer);
                }
            }
            Ok(_) => {
                db.ycm_failures.remove(&req.peer);
            }
            Err(_) => {}
        }
    }
    result
}

fn issue(config: &SandboxConfig, db: &mut Db, req: &TokenRequest<'_>) -> Answer {
    let product = req.product;
    let (id, secret) = client_credentials(req.headers, req.form);
    let refresh = match req.call {
        TokenCall::WpGet => false,
        TokenCall::WpRefresh => true,
        TokenCall::ByGrantType => {
            let grant = req
                .form
                .get("grant_type")
                .ok_or_else(|| ApiErr::required("grant_type"))?;
            let credentials_grant = if product == Product::PartnerPortal {
                "pp_credentials"
            } else {
                "client_credentials"
            };
            if grant == credentials_grant {
                false
            } else if grant == "refresh_token" {
                true
            } else {
                return Err(ApiErr::new(
                    400,
                    Code::UnsupportedGrantType,
                    format!("Unsupported grant type: {grant}"),
                ));
            }
        }
    };
    let client_id = if refresh {
        // Workplace requires the client credentials on refresh as well; PP and YCM do not.
        if product == Product::Workplace || id.is_some() {
            check_client(config, product, id.as_deref(), secret.as_deref())?;
        }
        let rt = req
            .form
            .get("refresh_token")
            .ok_or_else(|| ApiErr::required("refresh_token"))?;
        let issued = db.refresh_tokens.get(&rt).filter(|t| t.product == product).cloned();
        match issued {
            Some(t) if t.expires > req.now && id.as_ref().is_none_or(|i| *i == t.client_id) => {
                // Rotation: the old refresh token stops working.
                db.refresh_tokens.remove(&rt);
                t.client_id
            }
            Some(t) if t.expires <= req.now => {
                db.refresh_tokens.remove(&rt);
                return Err(ApiErr::new(400, Code::ExpiredGrant, "Refresh token expired"));
            }
            _ => return Err(ApiErr::new(400, Code::InvalidGrant, "Invalid refresh token")),
        }
    } else {
        check_client(config, product, id.as_deref(), secret.as_deref())?
    };

    let lifetimes = config.token_lifetimes(product);
    let now = req.now;
    let access = format!("{}{}", prefix(product), db.hex(24));
    let refresh_token = format!("{}r{}", prefix(product), db.hex(24));
    db.access_tokens.insert(
        access.clone(),
        Issued {
            product,
            client_id: client_id.clone(),
            expires: now + lifetimes.access,
        },
    );
    db.refresh_tokens.insert(
        refresh_token.clone(),
        Issued {
            product,
            client_id,
            expires: now + lifetimes.refresh,
        },
    );
    let expires_in = ceil_secs(lifetimes.access);
    Ok(match product {
        Product::PartnerPortal => Reply::ok(json!({
            "code": "success",
            "detailMessage": "",
            "requestId": db.request_id(),
            "result": {
                "expiresIn": expires_in.to_string(),
                "refreshToken": refresh_token,
                "token": access,
                "tokenHead": "Bearer ",
            },
            "status": 200,
        })),
        Product::Ycm => {
            let mut body = json!({
                "access_token": access,
                "token_type": "bearer",
                "refresh_token": refresh_token,
                "expires_in": expires_in,
            });
            // The documented refresh answer has no `jti`.
            if !refresh {
                body["jti"] = json!(format!("{}-{}", db.hex(4), db.hex(6)));
            }
            Reply::ok(body)
        }
        Product::Workplace => Reply::ok(json!({
            "access_token": access,
            "refresh_token": refresh_token,
            "expires_in": expires_in,
        })),
    })
}

fn prefix(product: Product) -> &'static str {
    match product {
        Product::PartnerPortal => "pp",
        Product::Ycm => "ycm",
        Product::Workplace => "wp",
    }
}

/// The bearer token of a request (Workplace also takes `?access_token=`).
pub(crate) fn presented_token(product: Product, headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    let from_header = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| {
            let (scheme, token) = h.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
        });
    from_header.or_else(|| {
        let query = query.filter(|_| product == Product::Workplace)?;
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "access_token")
            .map(|(_, v)| v.into_owned())
    })
}

/// Checks the access token of an API call; returns the client id it was issued to.
pub(crate) fn authenticate(db: &Db, product: Product, token: Option<&str>, now: Instant) -> Result<String, ApiErr> {
    let token = token.ok_or_else(|| {
        ApiErr::new(
            401,
            Code::InvalidToken,
            "Full authentication is required to access this resource",
        )
    })?;
    match db.access_tokens.get(token) {
        Some(t) if t.product == product && t.expires > now => Ok(t.client_id.clone()),
        Some(t) if t.product == product => Err(ApiErr::new(401, Code::TokenExpired, "Access token expired")),
        _ => Err(ApiErr::new(401, Code::InvalidToken, "Invalid access token")),
    }
}
