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

/// The client's HTTP layer. The default reqwest client is called directly: through
/// `dyn HttpSend` every attempt boxes its future (`async_trait`), one more allocation per call
/// that lives across the await and is often freed by another worker thread.
#[derive(Debug)]
pub(crate) enum Http {
    #[cfg(feature = "reqwest")]
    Reqwest(ReqwestHttp),
    Custom(std::sync::Arc<dyn HttpSend>),
}

impl Http {
    /// The request is turned into the HTTP client's own before the returned future is first
    /// polled, so that the future holds only what the exchange needs (every byte of it is
    /// copied each time it is moved into the future that awaits it).
    #[cfg(feature = "reqwest")]
    pub(crate) fn send(
        &self,
        request: http::Request<Bytes>,
        max_body_bytes: usize,
    ) -> impl Future<Output = Result<http::Response<Bytes>, TransportError>> + Send + '_ {
        match self {
            Http::Reqwest(http) => futures_util::future::Either::Left(http.execute(request, max_body_bytes)),
            Http::Custom(http) => futures_util::future::Either::Right(http.send(request, max_body_bytes)),
        }
    }

    /// Without the `reqwest` feature every client is a user's `HttpSend`.
    #[cfg(not(feature = "reqwest"))]
    pub(crate) fn send(
        &self,
        request: http::Request<Bytes>,
        max_body_bytes: usize,
    ) -> impl Future<Output = Result<http::Response<Bytes>, TransportError>> + Send + '_ {
        let Http::Custom(http) = self;
        http.send(request, max_body_bytes)
    }
}

#[cfg(feature = "reqwest")]
mod reqwest_impl {
    use std::sync::OnceLock;
    use std::time::Duration;

    use bytes::{Bytes, BytesMut};

    use super::HttpSend;
    use crate::error::{TransportError, TransportErrorKind};

    /// The default [`HttpSend`]: reqwest with rustls, connection pooling, HTTP/1.1 and HTTP/2,
    /// no redirects.
    #[derive(Debug, Clone)]
    pub struct ReqwestHttp {
        client: reqwest::Client,
        /// The first request's scheme and authority, parsed once (see [`ReqwestHttp::url`]).
        base: OnceLock<BaseUrl>,
    }

    /// A parsed `scheme://authority` and the strings it was parsed from.
    #[derive(Debug, Clone)]
    struct BaseUrl {
        scheme: String,
        authority: String,
        /// `scheme://authority` with a placeholder path of [`PATH_ROOM`] bytes: a clone is one
        /// allocation with room for the real path, which `set_path` then writes without
        /// growing the string (a clone of the bare base grew twice per request).
        url: url::Url,
    }

    /// The path and query length that fits in a clone of [`BaseUrl::url`] (Yeastar's paths
    /// are under 100 bytes; a longer one still works, with one reallocation).
    const PATH_ROOM: usize = 192;

    impl ReqwestHttp {
        /// A client with the given connect timeout.
        pub fn new(connect_timeout: Duration) -> Result<Self, crate::Error> {
            let client = reqwest::Client::builder()
                .connect_timeout(connect_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .pool_idle_timeout(Duration::from_secs(60))
                .build()
                .map_err(|e| crate::Error::Config(format!("cannot build the HTTP client: {e}")))?;
            Ok(Self::from_client(client))
        }

        /// Wraps an existing reqwest client (for proxies, custom roots, …). Make sure it does
        /// not follow redirects.
        pub fn from_client(client: reqwest::Client) -> Self {
            Self {
                client,
                base: OnceLock::new(),
            }
        }

        /// The `Url` reqwest needs for `uri`. A client talks to one host, so the scheme and
        /// authority are parsed once and only the path and query per request; printing the URI
        /// and parsing it in full (what `reqwest::Request::try_from` does) cost ~5,500 more
        /// instructions per call under callgrind. Another host is parsed in full.
        fn url(&self, uri: &http::Uri) -> Result<url::Url, url::ParseError> {
            let (scheme, authority) = (
                uri.scheme_str().unwrap_or(""),
                uri.authority().map_or("", |a| a.as_str()),
            );
            let base = match self.base.get() {
                Some(base) => base,
                None => {
                    // (`Url::parse` trims trailing spaces: the placeholder is made of `x`.)
                    let room = "x".repeat(PATH_ROOM - 1);
                    let url = url::Url::parse(&format!("{scheme}://{authority}/{room}"))?;
                    self.base.get_or_init(|| BaseUrl {
                        scheme: scheme.to_owned(),
                        authority: authority.to_owned(),
                        url,
                    })
                }
            };
            if base.scheme != scheme || base.authority != authority {
                return url::Url::parse(&uri.to_string());
            }
            // The path and query of an `http::Uri` are already valid; `set_path`/`set_query`
            // run the same path and query parsers as `Url::parse`.
            let mut url = base.url.clone();
            url.set_path(uri.path());
            url.set_query(uri.query());
            Ok(url)
        }

        /// `request` as a reqwest request (what `reqwest::Request::try_from` does, with
        /// [`ReqwestHttp::url`]).
        fn reqwest_request(&self, request: http::Request<Bytes>) -> Result<reqwest::Request, TransportError> {
            // reqwest only takes extensions through `try_from` (the transport sets none).
            if !request.extensions().is_empty() {
                return reqwest::Request::try_from(request).map_err(classify);
            }
            let (parts, body) = request.into_parts();
            let url = self
                .url(&parts.uri)
                .map_err(|e| TransportError::new(TransportErrorKind::Other, "HTTP request failed").with_source(e))?;
            let mut out = reqwest::Request::new(parts.method, url);
            *out.headers_mut() = parts.headers;
            *out.version_mut() = parts.version;
            *out.body_mut() = Some(body.into());
            Ok(out)
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

    impl ReqwestHttp {
        /// Sends `request` and reads the whole body (what [`HttpSend::send`] does, without a
        /// boxed future: the transport calls this directly).
        pub(crate) fn execute(
            &self,
            request: http::Request<Bytes>,
            max_body_bytes: usize,
        ) -> impl Future<Output = Result<http::Response<Bytes>, TransportError>> + Send + 'static {
            let pending = self.reqwest_request(request).map(|r| self.client.execute(r));
            // One async block, and no `?` across an await: each would keep its own copy of the
            // response in the future's state.
            async move {
                let mut response = match pending {
                    Ok(pending) => match pending.await {
                        Ok(response) => response,
                        Err(e) => return Err(classify(e)),
                    },
                    Err(e) => return Err(e),
                };
                if response.content_length().is_some_and(|n| n > max_body_bytes as u64) {
                    return Err(too_large(max_body_bytes));
                }
                // A body that arrives in one chunk (the usual case) is kept as it is; only a
                // body in several chunks is copied into one buffer.
                let mut first = Bytes::new();
                let mut joined: Option<BytesMut> = None;
                while let Some(chunk) = response.chunk().await.map_err(classify)? {
                    let have = joined.as_ref().map_or(first.len(), BytesMut::len);
                    if have + chunk.len() > max_body_bytes {
                        return Err(too_large(max_body_bytes));
                    }
                    match &mut joined {
                        Some(buf) => buf.extend_from_slice(&chunk),
                        None if first.is_empty() => first = chunk,
                        None => {
                            let cap = response.content_length().unwrap_or(8 * 1024).min(max_body_bytes as u64);
                            let mut buf = BytesMut::with_capacity((cap as usize).max(first.len() + chunk.len()));
                            buf.extend_from_slice(&first);
                            buf.extend_from_slice(&chunk);
                            joined = Some(buf);
                        }
                    }
                }
                let body = joined.map_or(first, BytesMut::freeze);
                let mut out = http::Response::new(body);
                *out.status_mut() = response.status();
                *out.version_mut() = response.version();
                *out.headers_mut() = std::mem::take(response.headers_mut());
                Ok(out)
            }
        }
    }

    #[async_trait::async_trait]
    impl HttpSend for ReqwestHttp {
        async fn send(
            &self,
            request: http::Request<Bytes>,
            max_body_bytes: usize,
        ) -> Result<http::Response<Bytes>, TransportError> {
            self.execute(request, max_body_bytes).await
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// The cached base gives exactly the `Url` that a full parse of the printed URI gives
        /// (what `reqwest::Request::try_from` does), whatever the path and query hold.
        #[test]
        fn urls_match_a_full_parse() {
            let http = ReqwestHttp::new(Duration::from_secs(1)).unwrap();
            // Longer than the placeholder path of the cached base (PATH_ROOM): still exact.
            let long = format!("http://127.0.0.1:8080/{}?q={}", "seg/".repeat(80), "v".repeat(300));
            for uri in [
                long.as_str(),
                "http://127.0.0.1:8080/user/openapi/user/v1/subordinate_user/color123@yeastar.com",
                "https://api.yeastar.example/a/b?pageNo=2&pageSize=25",
                "https://API.Yeastar.example:443/x/%2F..%2Fy/./z/../w?q=a+b&r=%27%22",
                "https://api.yeastar.example//double//slash?",
                "https://api.yeastar.example/%E5%90%8D/{x}/!$&'()*+,;=:@?a=|^{}",
                "http://[::1]:9000/",
                "http://other.example:8080/p?x=1",
                "http://127.0.0.1:8080/back?to=the&first=host",
            ] {
                let uri: http::Uri = uri.parse().unwrap();
                let want = url::Url::parse(&uri.to_string()).unwrap();
                assert_eq!(http.url(&uri).unwrap(), want, "{uri}");
                assert_eq!(http.url(&uri).unwrap().as_str(), want.as_str(), "{uri}");
            }
        }
    }
}
