//! The transport under the Yeastar cloud OpenAPI SDK: the one place for HTTP, access tokens,
//! retries, errors, secrets and tracing.
//!
//! Most users never name this crate: they use a product crate (`yeastar-partner-portal`,
//! `yeastar-ycm`, `yeastar-workplace`) or the `yeastar` facade, which re-export what is needed
//! here ([`Error`], [`Credentials`], [`RetryPolicy`], [`Timeouts`]).
//!
//! # How a call flows
//! 1. A product crate describes an operation as an [`Endpoint`] value: a [`Request`] (method,
//!    path template with percent-encoded parameters, query, JSON or form body, idempotency)
//!    plus the product's [`Envelope`] and the output type. Input is validated there, before
//!    anything is sent.
//! 2. [`Client::send`] takes a token from the shared cache (single-flight, refreshed before
//!    expiry), sends the request through an [`HttpSend`] (reqwest by default) under a
//!    per-attempt timeout, and reads at most `max_body_bytes`.
//! 3. The envelope opens the answer into data or an [`ApiError`]. A rejected token is
//!    refreshed and the call replayed once; transient failures are retried with jittered
//!    exponential backoff as [`RetryPolicy`] describes, within the total timeout.
//! 4. Every call runs in a `yeastar.call` tracing span (product, endpoint template, attempts,
//!    status, request id, elapsed time); no body, id or secret is ever logged.

#[doc(hidden)]
pub mod api_enum;
mod auth;
mod client;
mod envelope;
mod error;
mod http;
pub mod lenient;
mod options;
mod paging;
mod product;
mod request;
mod retry;
mod scrub;
mod secret;
#[cfg(feature = "test-util")]
pub mod test_util;
pub mod validate;
mod write;

pub use crate::auth::{
    AccessToken, Credentials, Grant, OAuthTokenAnswer, StoredTokens, TokenSet, TokenSource, TokenStore,
};
pub use crate::client::{
    Client, ClientBuilder, Config, DEFAULT_MAX_BODY_BYTES, DEFAULT_USER_AGENT, MAX_TIME_LIMIT, Timeouts,
};
pub use crate::envelope::{Envelope, Meta, Payload, PlainJson, RawResponse, data_or_null};
pub use crate::error::{
    ApiError, ApiErrorKind, AuthError, AuthErrorKind, DecodeError, Error, MAX_FIELD_CHARS, Result, TimeoutKind,
    TransportError, TransportErrorKind, UnexpectedResponse,
};
pub use crate::http::HttpSend;
#[cfg(feature = "reqwest")]
pub use crate::http::ReqwestHttp;
pub use crate::options::CallOptions;
pub use crate::paging::{DEFAULT_MAX_PAGES, Items, ListEndpoint, Page, Pages, check_page};
pub use crate::product::{ErrorCodes, Product, ProductSpec};
pub use crate::request::{Endpoint, Request, decode_response};
pub use crate::retry::{Jitter, RetryPolicy};
pub use crate::secret::Secret;
pub use crate::write::WriteResult;

/// The names every product crate re-exports (`pub use yeastar_transport::common::*;`), so that
/// the same types are reachable under the same names from each product.
pub mod common {
    pub use crate::{
        AccessToken, ApiError, ApiErrorKind, AuthError, AuthErrorKind, CallOptions, Credentials, Endpoint, Error,
        Items, Jitter, ListEndpoint, Page, Pages, Result, RetryPolicy, Secret, Timeouts, WriteResult,
    };
}

/// Re-exports for product crates, so that they depend on no HTTP crate of their own.
pub mod reexports {
    pub use async_trait::async_trait;
    pub use futures_core::Stream;
    pub use http::{HeaderMap, Method, StatusCode};
    pub use serde;
    pub use serde_json::value::RawValue;
}
