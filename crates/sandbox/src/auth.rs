//! Token endpoints and bearer-token checks of the three products.

use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::json;

use crate::Product;
use crate::config::SandboxConfig;
use crate::state::{Issued, State};
use crate::util::{ApiErr, Reply, Req};

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

fn ceil_secs(d: Duration) -> u64 {
    d.as_millis().div_ceil(1000).max(1) as u64
}

/// Client id and secret from the form or an HTTP Basic header.
fn client_credentials(req: &Req, form: &[(String, String)]) -> (Option<String>, Option<String>) {
    let get = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    let (mut id, mut secret) = (get("client_id"), get("client_secret"));
    if id.is_none()
        && let Some(basic) = req.header("authorization").and_then(|h| h.strip_prefix("Basic "))
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
        _ => Err(ApiErr::new(401, "INVALID_CLIENT", "Bad client credentials")),
    }
}

/// Handles a token request (issue or refresh) of `product`.
pub(crate) fn token(
    config: &SandboxConfig,
    st: &mut State,
    product: Product,
    req: &Req,
    call: TokenCall,
) -> Result<Reply, ApiErr> {
    if req.method != http::Method::POST {
        return Err(ApiErr::method_not_allowed(&req.method));
    }
    if product == Product::Ycm && st.ycm_blocked.contains_key(&req.peer) {
        return Err(ApiErr::new(
            403,
            "IP_BLOCKED",
            "API Authentication Blocked Out: too many failed authentications from this IP",
        ));
    }
    let result = token_inner(config, st, product, req, call);
    if product == Product::Ycm {
        match &result {
            Err(e) if matches!(e.code, "INVALID_CLIENT" | "INVALID_GRANT") => {
                let n = st.ycm_failures.entry(req.peer).or_insert(0);
                *n += 1;
                if config.ycm_lockout_threshold.is_some_and(|t| *n > t) {
                    st.ycm_blocked.insert(req.peer, ());
                }
            }
            Ok(_) => {
                st.ycm_failures.remove(&req.peer);
            }
            Err(_) => {}
        }
    }
    result
}

fn token_inner(
    config: &SandboxConfig,
    st: &mut State,
    product: Product,
    req: &Req,
    call: TokenCall,
) -> Result<Reply, ApiErr> {
    if req
        .header("content-type")
        .is_some_and(|ct| ct.starts_with("application/json"))
    {
        return Err(ApiErr::invalid(
            "Content-Type",
            "oneof",
            "The token endpoint takes application/x-www-form-urlencoded or multipart/form-data",
        ));
    }
    let form = req.form();
    let field = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    let (id, secret) = client_credentials(req, &form);
    let refresh = match (product, call) {
        (Product::Workplace, TokenCall::WpGet) => false,
        (Product::Workplace, _) => true,
        _ => {
            let grant = field("grant_type").ok_or_else(|| ApiErr::required("grant_type"))?;
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
                    "UNSUPPORTED_GRANT_TYPE",
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
        let rt = field("refresh_token").ok_or_else(|| ApiErr::required("refresh_token"))?;
        let issued = st.refresh_tokens.get(&rt).filter(|t| t.product == product).cloned();
        match issued {
            Some(t) if t.expires > Instant::now() && id.as_ref().is_none_or(|i| *i == t.client_id) => {
                // Rotation: the old refresh token stops working.
                st.refresh_tokens.remove(&rt);
                t.client_id
            }
            Some(t) if t.expires <= Instant::now() => {
                st.refresh_tokens.remove(&rt);
                return Err(ApiErr::new(400, "INVALID_GRANT", "Refresh token expired"));
            }
            _ => return Err(ApiErr::new(400, "INVALID_GRANT", "Invalid refresh token")),
        }
    } else {
        check_client(config, product, id.as_deref(), secret.as_deref())?
    };

    let lifetimes = config.token_lifetimes(product);
    let now = Instant::now();
    let access = format!("{}{}", prefix(product), st.hex(24));
    let refresh_token = format!("{}r{}", prefix(product), st.hex(24));
    st.access_tokens.insert(
        access.clone(),
        Issued {
            product,
            client_id: client_id.clone(),
            expires: now + lifetimes.access,
        },
    );
    st.refresh_tokens.insert(
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
            "requestId": st.request_id(),
            "result": {
                "expiresIn": expires_in.to_string(),
                "refreshToken": refresh_token,
                "token": access,
                "tokenHead": "Bearer ",
            },
            "status": 200,
        })),
        Product::Ycm => Reply::ok(json!({
            "access_token": access,
            "token_type": "bearer",
            "refresh_token": refresh_token,
            "expires_in": expires_in,
            "scope": "all",
            "jti": format!("{}-{}", st.hex(4), st.hex(6)),
        })),
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
pub(crate) fn presented_token(product: Product, req: &Req) -> Option<String> {
    let from_header = req.header("authorization").and_then(|h| {
        let (scheme, token) = h.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
    });
    from_header.or_else(|| {
        (product == Product::Workplace)
            .then(|| req.q("access_token").map(str::to_owned))
            .flatten()
    })
}

/// Checks the access token of an API call; returns the client id it was issued to.
pub(crate) fn authenticate(st: &State, product: Product, req: &Req) -> Result<String, ApiErr> {
    let token = presented_token(product, req).ok_or_else(|| {
        ApiErr::new(
            401,
            "INVALID_TOKEN",
            "Full authentication is required to access this resource",
        )
    })?;
    match st.access_tokens.get(&token) {
        Some(t) if t.product == product && t.expires > Instant::now() => Ok(t.client_id.clone()),
        Some(t) if t.product == product => Err(ApiErr::new(401, "TOKEN_EXPIRED", "Access token expired")),
        _ => Err(ApiErr::new(401, "INVALID_TOKEN", "Invalid access token")),
    }
}
