//! The commands, one module per product, and what they share: errors and exit codes, how a
//! client is configured from the global options, and write outputs with request ids.

pub(crate) mod partner_portal;
pub(crate) mod sandbox;
pub(crate) mod workplace;
pub(crate) mod ycm;

use std::fmt;
use std::sync::Arc;

use yeastar_transport::{
    ClientBuilder, Credentials, Endpoint, Error, Payload, Product, ProductSpec, Request, TokenStore,
};

use crate::cli::GlobalArgs;
use crate::token_cache::FileTokenStore;

/// Exit code: success.
pub(crate) const EXIT_OK: u8 = 0;
/// Exit code: the API answered with an error.
pub(crate) const EXIT_API: u8 = 1;
/// Exit code: usage error, or input rejected before anything was sent.
pub(crate) const EXIT_USAGE: u8 = 2;
/// Exit code: transport, timeout or authentication failure.
pub(crate) const EXIT_TRANSPORT: u8 = 3;

/// The `User-Agent` suffix of every request the CLI sends.
const APP_NAME: &str = concat!("yeastar-cli/", env!("CARGO_PKG_VERSION"));

/// The exit code of an SDK error.
///
/// - 1, the API answered: [`Error::Api`]; also [`Error::UnexpectedResponse`] (a server answered
///   with something other than the API's JSON, e.g. a proxy's error page), [`Error::Decode`] (the
///   API answered with JSON of an unexpected shape) and [`Error::Paging`] (the API's paging
///   misbehaved): in all of them a server answered and the request went through.
/// - 2, rejected before sending: [`Error::InvalidInput`], [`Error::Config`].
/// - 3, no usable answer: [`Error::Transport`], [`Error::Timeout`], [`Error::Auth`] (credentials
///   or token refused), [`Error::RetriesExhausted`] (a transient failure on every attempt).
pub(crate) fn exit_code(error: &Error) -> u8 {
    match error {
        Error::Api(_) | Error::UnexpectedResponse(_) | Error::Decode(_) | Error::Paging { .. } => EXIT_API,
        Error::InvalidInput { .. } | Error::Config(_) => EXIT_USAGE,
        Error::Transport(_) | Error::Timeout { .. } | Error::Auth(_) | Error::RetriesExhausted { .. } => EXIT_TRANSPORT,
        // `Error` is non-exhaustive: a variant added later is reported as an API failure.
        _ => EXIT_API,
    }
}

/// A failure of a command: what to print on stderr and the exit code.
#[derive(Debug)]
pub(crate) struct CliError {
    pub(crate) code: u8,
    pub(crate) message: String,
}

impl CliError {
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self {
            code: EXIT_USAGE,
            message: message.into(),
        }
    }

    pub(crate) fn new(code: u8, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        Self {
            code: exit_code(&e),
            message: e.to_string(),
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        Self::new(EXIT_API, format!("cannot write the output: {e}"))
    }
}

pub(crate) type CliResult<T = ()> = Result<T, CliError>;

/// Where and how to connect, resolved from the global options.
pub(crate) struct Connection {
    base_url: Option<String>,
    credentials: Credentials,
    store: Option<Arc<dyn TokenStore>>,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("token_cache", &self.store.is_some())
            .finish()
    }
}

fn non_empty(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

/// The demo credentials the sandbox accepts for `product`.
pub(crate) fn demo_credentials(product: Product) -> (&'static str, &'static str) {
    match product {
        Product::PartnerPortal => (
            yeastar_sandbox::DEMO_PP_CLIENT_ID,
            yeastar_sandbox::DEMO_PP_CLIENT_SECRET,
        ),
        Product::Ycm => (
            yeastar_sandbox::DEMO_YCM_CLIENT_ID,
            yeastar_sandbox::DEMO_YCM_CLIENT_SECRET,
        ),
        _ => (
            yeastar_sandbox::DEMO_WP_CLIENT_ID,
            yeastar_sandbox::DEMO_WP_CLIENT_SECRET,
        ),
    }
}

impl Connection {
    /// Resolves the connection to `product`, whose host is `default_base_url` unless
    /// `--base-url` says otherwise. With `sandbox_url` (`--sandbox`), the sandbox and its demo
    /// credentials win over everything, and no token cache is used.
    pub(crate) fn resolve(
        global: &GlobalArgs,
        sandbox_url: Option<String>,
        product: Product,
        default_base_url: &str,
    ) -> CliResult<Self> {
        if let Some(url) = sandbox_url {
            let (id, secret) = demo_credentials(product);
            return Ok(Self {
                base_url: Some(url),
                credentials: Credentials::client(id, secret),
                store: None,
            });
        }
        let base_url = non_empty(&global.base_url).map(str::to_owned);
        if let Some(token) = non_empty(&global.access_token) {
            return Ok(Self {
                base_url,
                credentials: Credentials::access_token(token),
                store: None,
            });
        }
        match (non_empty(&global.client_id), non_empty(&global.client_secret)) {
            (Some(id), Some(secret)) => {
                let store: Option<Arc<dyn TokenStore>> = if global.no_token_cache {
                    None
                } else {
                    let url = base_url.as_deref().unwrap_or(default_base_url);
                    FileTokenStore::in_cache_dir(product, url, id).map(|s| Arc::new(s) as Arc<dyn TokenStore>)
                };
                Ok(Self {
                    base_url,
                    credentials: Credentials::client(id, secret),
                    store,
                })
            }
            (Some(_), None) => Err(CliError::usage(
                "--client-id needs --client-secret (or YEASTAR_CLIENT_SECRET)",
            )),
            (None, Some(_)) => Err(CliError::usage(
                "--client-secret needs --client-id (or YEASTAR_CLIENT_ID)",
            )),
            (None, None) => Err(CliError::usage(format!(
                "no credentials for {product}: pass --access-token, or --client-id and --client-secret \
                 (or set YEASTAR_ACCESS_TOKEN, or YEASTAR_CLIENT_ID and YEASTAR_CLIENT_SECRET); \
                 or try --sandbox"
            ))),
        }
    }

    /// Applies the connection to a client builder.
    pub(crate) fn configure<P: ProductSpec>(self, builder: ClientBuilder<P>) -> ClientBuilder<P> {
        let mut b = builder.credentials(self.credentials).app_name(APP_NAME);
        if let Some(url) = self.base_url {
            b = b.base_url(url);
        }
        if let Some(store) = self.store {
            b = b.token_store(store);
        }
        b
    }
}

/// Sends an endpoint and keeps the response's request id next to its output.
#[derive(Debug)]
pub(crate) struct WithRequestId<E>(pub(crate) E);

impl<E: Endpoint> Endpoint for WithRequestId<E> {
    type Envelope = E::Envelope;
    type Output = (E::Output, Option<String>);

    fn request(&self) -> yeastar_transport::Result<Request> {
        self.0.request()
    }

    fn decode(payload: Payload<'_>) -> yeastar_transport::Result<Self::Output> {
        let request_id = payload.request_id().map(str::to_owned);
        E::decode(payload).map(|out| (out, request_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use yeastar_transport::{ApiError, TimeoutKind, TransportError, TransportErrorKind};

    #[test]
    fn every_error_kind_has_its_exit_code() {
        let api = ApiError::new(Product::Ycm, 400).with_code("X");
        assert_eq!(exit_code(&Error::from(api.clone())), 1);
        assert_eq!(exit_code(&Error::invalid_input("f", "m")), 2);
        assert_eq!(exit_code(&Error::Config("c".into())), 2);
        assert_eq!(
            exit_code(&Error::from(TransportError::new(
                TransportErrorKind::Connect,
                "refused"
            ))),
            3
        );
        assert_eq!(
            exit_code(&Error::Timeout {
                product: Product::Ycm,
                kind: TimeoutKind::Total,
                after: Duration::from_secs(1)
            }),
            3
        );
        // Error::Auth (AuthError is non-exhaustive) is covered by the wrong-secret test in tests/.
        assert_eq!(
            exit_code(&Error::RetriesExhausted {
                product: Product::Ycm,
                attempts: 3,
                last: Box::new(Error::from(api)),
            }),
            3
        );
        assert_eq!(
            exit_code(&Error::Paging {
                product: Product::Ycm,
                message: "m".into()
            }),
            1
        );
    }
}
