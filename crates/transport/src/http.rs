//! The HTTP layer behind a trait, so that tests and users can swap the implementation.

use std::fmt;

use async_trait::async_trait;
use bytes::Bytes;

use crate::error::TransportError;

/// Sends one HTTP request and reads the whole response.
///
/// The transport calls this once per attempt; retries, timeouts (per attempt and in total),
/// tokens and decoding happen around it. An implementation must
/// - stop reading and return [`TransportErrorKind::BodyTooLarge`](crate::TransportErrorKind)
///   once the body exceeds `max_body_bytes`, without buffering the rest;
/// - report a failure to connect as [`TransportErrorKind::Connect`](crate::TransportErrorKind)
///   only when the request certainly did not leave, because such failures are retried even for
///   creates;
/// - not follow redirects (a redirect could carry the `Authorization` header elsewhere).
#[async_trait]
pub trait HttpSend: Send + Sync + fmt::Debug {
    /// Sends `request` and returns the response with its body fully read.
    async fn send(
        &self,
        request: http::Request<Bytes>,
        max_body_bytes: usize,
    ) -> Result<http::Response<Bytes>, TransportError>;
}

#[cfg(feature = "reqwest")]
pub use self::reqwest_impl::ReqwestHttp;

#[cfg(feature = "reqwest")]
mod reqwest_impl {
    use std::time::Duration;

    use bytes::{Bytes, BytesMut};

    use super::HttpSend;
    use crate::error::{TransportError, TransportErrorKind};

    /// The default [`HttpSend`]: reqwest with rustls, connection pooling, HTTP/1.1 and HTTP/2,
    /// no redirects.
    #[derive(Debug, Clone)]
    pub struct ReqwestHttp {
        client: reqwest::Client,
    }

    impl ReqwestHttp {
        /// A client with the given connect timeout.
        pub fn new(connect_timeout: Duration) -> Result<Self, crate::Error> {
            let client = reqwest::Client::builder()
                .connect_timeout(connect_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .pool_idle_timeout(Duration::from_secs(60))
                .build()
                .map_err(|e| crate::Error::Config(format!("cannot build the HTTP client: {e}")))?;
            Ok(Self { client })
        }

        /// Wraps an existing reqwest client (for proxies, custom roots, …). Make sure it does
        /// not follow redirects.
        pub fn from_client(client: reqwest::Client) -> Self {
            Self { client }
        }
    }

    /// Whether a TLS failure is somewhere in the error chain, found by type: a host name or
    /// URL that merely contains the word "certificate" must not turn a connection failure into
    /// a TLS one (which is never retried).
    fn is_tls(e: &(dyn std::error::Error + 'static)) -> bool {
        let mut cur = Some(e);
        while let Some(c) = cur {
            if c.is::<rustls::Error>() {
                return true;
            }
            // io::Error::source skips the error it wraps; look at it directly.
            if let Some(io) = c.downcast_ref::<std::io::Error>()
                && io.get_ref().is_some_and(|inner| is_tls(inner))
            {
                return true;
            }
            cur = c.source();
        }
        false
    }

    fn classify(e: reqwest::Error) -> TransportError {
        let kind = if is_tls(&e) {
            TransportErrorKind::Tls
        } else if e.is_connect() {
            TransportErrorKind::Connect
        } else if e.is_body() || e.is_decode() || e.is_request() || e.is_timeout() {
            TransportErrorKind::Io
        } else {
            TransportErrorKind::Other
        };
        // reqwest's own message names the URL, which holds no secret (tokens travel in headers).
        TransportError::new(kind, "HTTP request failed").with_source(e.without_url())
    }

    fn too_large(limit: usize) -> TransportError {
        TransportError::new(
            TransportErrorKind::BodyTooLarge,
            format!("the response body exceeds the {limit}-byte limit; reading stopped"),
        )
    }

    #[async_trait::async_trait]
    impl HttpSend for ReqwestHttp {
        async fn send(
            &self,
            request: http::Request<Bytes>,
            max_body_bytes: usize,
        ) -> Result<http::Response<Bytes>, TransportError> {
            let request = reqwest::Request::try_from(request).map_err(classify)?;
            let mut response = self.client.execute(request).await.map_err(classify)?;
            if response.content_length().is_some_and(|n| n > max_body_bytes as u64) {
                return Err(too_large(max_body_bytes));
            }
            let cap = response.content_length().unwrap_or(8 * 1024).min(max_body_bytes as u64);
            let mut body = BytesMut::with_capacity(cap as usize);
            while let Some(chunk) = response.chunk().await.map_err(classify)? {
                if body.len() + chunk.len() > max_body_bytes {
                    return Err(too_large(max_body_bytes));
                }
                body.extend_from_slice(&chunk);
            }
            let mut out = http::Response::new(body.freeze());
            *out.status_mut() = response.status();
            *out.version_mut() = response.version();
            *out.headers_mut() = std::mem::take(response.headers_mut());
            Ok(out)
        }
    }
}
