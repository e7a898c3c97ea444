//! Which Yeastar cloud a client talks to, and what a product crate tells the transport about it.

use std::fmt;
use std::sync::Arc;

use crate::auth::TokenSource;
use crate::client::Client;
use crate::error::{ApiError, ApiErrorKind};

/// One of the Yeastar cloud OpenAPIs.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Product {
    /// Yeastar Partner Portal (`openapi.partner.yeastar.com`).
    PartnerPortal,
    /// Yeastar Central Management (`ycm.yeastar.com`).
    Ycm,
    /// Yeastar Workplace (`workplace.yeastar.com`, `eu.workplace.yeastar.com`).
    Workplace,
}

impl Product {
    /// A short, stable, lower-case name (`partner-portal`, `ycm`, `workplace`), used in tracing.
    pub fn as_str(self) -> &'static str {
        match self {
            Product::PartnerPortal => "partner-portal",
            Product::Ycm => "ycm",
            Product::Workplace => "workplace",
        }
    }
}

impl fmt::Display for Product {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Product::PartnerPortal => "Partner Portal",
            Product::Ycm => "YCM",
            Product::Workplace => "Workplace",
        })
    }
}

/// What a product crate tells the transport about its API: its name, default host, token
/// endpoint and the client type that [`ClientBuilder::build`](crate::ClientBuilder::build) returns.
pub trait ProductSpec: Send + Sync + 'static {
    /// The product.
    const PRODUCT: Product;
    /// The production base URL used when the caller sets none.
    const DEFAULT_BASE_URL: &'static str;
    /// The product's client, a thin typed wrapper around the transport [`Client`].
    type Client: From<Client>;
    /// The product's documented error codes, as data for the transport's one classification
    /// of API errors (token rejected, credentials refused, not found, rate limited).
    const ERROR_CODES: ErrorCodes = ErrorCodes::NONE;
    /// The product's token endpoint.
    fn token_source() -> Arc<dyn TokenSource>;
}

/// A product's error codes (the API's `code`/`errcode`/`errMsg` value, compared exactly) that
/// mean what the HTTP status alone may not say. The transport adds the standard ones itself:
/// HTTP 401 and OAuth `invalid_token` for a rejected token; HTTP 401 and OAuth `invalid_client`
/// / `unauthorized_client` from a token endpoint for refused credentials; HTTP 404 for not
/// found; HTTP 429 for the rate limit.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCodes {
    /// The access token is invalid or expired.
    pub token_rejected: &'static [&'static str],
    /// The token endpoint refused the client id and secret (final: never asked again).
    pub credentials_refused: &'static [&'static str],
    /// The record does not exist.
    pub not_found: &'static [&'static str],
    /// The rate limit was hit.
    pub rate_limited: &'static [&'static str],
}

impl ErrorCodes {
    /// No product-specific code.
    pub const NONE: ErrorCodes = ErrorCodes {
        token_rejected: &[],
        credentials_refused: &[],
        not_found: &[],
        rate_limited: &[],
    };

    /// Codes for each meaning.
    pub const fn new(
        token_rejected: &'static [&'static str],
        credentials_refused: &'static [&'static str],
        not_found: &'static [&'static str],
        rate_limited: &'static [&'static str],
    ) -> Self {
        Self {
            token_rejected,
            credentials_refused,
            not_found,
            rate_limited,
        }
    }

    /// What `error` means. `token_endpoint`: the answer came from a token endpoint, where a
    /// 401 refuses the credentials rather than a token.
    pub(crate) fn classify(&self, error: &ApiError, token_endpoint: bool) -> ApiErrorKind {
        let code = error.code.as_deref().unwrap_or_default();
        let is = |codes: &[&str]| !code.is_empty() && codes.contains(&code);
        if token_endpoint {
            if error.status == 401 || is(&["invalid_client", "unauthorized_client"]) || is(self.credentials_refused) {
                return ApiErrorKind::CredentialsRefused;
            }
        } else if error.status == 401 || is(&["invalid_token"]) || is(self.token_rejected) {
            return ApiErrorKind::TokenRejected;
        }
        if error.status == 429 || is(self.rate_limited) {
            ApiErrorKind::RateLimited
        } else if token_endpoint {
            // A token endpoint's 404 (a wrong path or region, a gateway mid-deploy) is not the
            // absence of the record the call asked for.
            ApiErrorKind::Other
        } else if error.status == 404 || is(self.not_found) {
            ApiErrorKind::NotFound
        } else {
            ApiErrorKind::Other
        }
    }
}

/// Defines a product's client: a thin typed wrapper around the transport [`Client`], with
/// `builder()`, `transport()`, `with_options()`, `send()` and `pages()`. Product crates add
/// their resource handles (`users()`, `groups()`, …) in an `impl` block of their own.
///
/// ```
/// # use std::sync::Arc;
/// # use yeastar_transport::{PlainJson, Product, ProductSpec, TokenSource};
/// # #[derive(Debug)] struct Demo;
/// # impl ProductSpec for Demo {
/// #     const PRODUCT: Product = Product::Ycm;
/// #     const DEFAULT_BASE_URL: &'static str = "https://ycm.example";
/// #     type Client = Client;
/// #     fn token_source() -> Arc<dyn TokenSource> { unimplemented!() }
/// # }
/// yeastar_transport::product_client! {
///     /// The demo client.
///     pub struct Client for Demo, envelope PlainJson;
/// }
/// let client = Client::builder()
///     .credentials(yeastar_transport::Credentials::access_token("t"))
///     .build()
///     .unwrap();
/// assert_eq!(client.transport().product(), Product::Ycm);
/// ```
#[macro_export]
macro_rules! product_client {
    ($(#[$meta:meta])* pub struct $name:ident for $spec:ty, envelope $envelope:ty;) => {
        $(#[$meta])*
        #[derive(Clone, Debug)]
        pub struct $name {
            inner: $crate::Client,
        }

        impl ::std::convert::From<$crate::Client> for $name {
            fn from(inner: $crate::Client) -> Self {
                Self { inner }
            }
        }

        impl $name {
            /// A builder with the product's defaults; everything is validated in `build()`.
            pub fn builder() -> $crate::ClientBuilder<$spec> {
                $crate::ClientBuilder::new()
            }

            /// The transport client underneath (configuration, [`access_token`]($crate::Client::access_token)).
            pub fn transport(&self) -> &$crate::Client {
                &self.inner
            }

            /// The same client with other time limits or another retry policy for the calls
            /// made through it; the connection pool and the token cache are shared.
            pub fn with_options(&self, options: $crate::CallOptions) -> Self {
                Self {
                    inner: self.inner.with_options(options),
                }
            }

            /// Sends any endpoint value of this product (the resource handles do this for you).
            // The transport's future itself, not an `async fn` around it: each async level is
            // one more state to load and dispatch every time the call is woken.
            pub fn send<'a, E>(
                &'a self,
                endpoint: &'a E,
            ) -> impl ::std::future::Future<Output = $crate::Result<E::Output>> + 'a
            where
                E: $crate::Endpoint<Envelope = $envelope>,
            {
                self.inner.send(endpoint)
            }

            /// Every item of a listing, as a lazy stream read page by page.
            pub fn pages<E>(&self, list: E) -> $crate::Pages<E::Item>
            where
                E: $crate::ListEndpoint<Envelope = $envelope>,
            {
                self.inner.pages(list)
            }
        }
    };
}
