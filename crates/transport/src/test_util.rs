//! Test helpers (feature `test-util`): an in-memory [`HttpSend`] driven by a closure.
//!
//! Unlike a real socket server, [`ScriptedHttp`] works under paused tokio time
//! (`#[tokio::test(start_paused = true)]`), so retries, `Retry-After`, timeouts and token
//! expiry can be tested without waiting.
//!
//! ```
//! use yeastar_transport::test_util::{Reply, ScriptedHttp};
//! let http = ScriptedHttp::new(|req| match req.uri.path() {
//!     "/token" => Reply::json(200, r#"{"access_token":"t","expires_in":1800}"#),
//!     _ => Reply::json(503, "{}").with_header("retry-after", "2"),
//! });
//! assert_eq!(http.requests().len(), 0);
//! ```

use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};

use crate::error::{TransportError, TransportErrorKind};
use crate::http::HttpSend;

/// A request as [`ScriptedHttp`] received it. `Debug` shows the body's length only: a form
/// body may hold the client secret or a refresh token.
#[derive(Clone)]
pub struct RecordedRequest {
    /// The method.
    pub method: Method,
    /// The full URI.
    pub uri: Uri,
    /// The headers (the `Authorization` value is marked sensitive, so `Debug` hides it).
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl RecordedRequest {
    /// The body as text.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// What [`ScriptedHttp`] answers.
#[derive(Debug, Clone)]
pub enum Reply {
    /// An HTTP response.
    Response {
        /// Status.
        status: u16,
        /// Headers.
        headers: Vec<(String, String)>,
        /// Body.
        body: Bytes,
    },
    /// A failure below HTTP.
    Fail(TransportErrorKind),
    /// A reply after a (tokio-time) delay.
    Delayed(Duration, Box<Reply>),
}

impl Reply {
    /// A JSON response.
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Reply::Response {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: Bytes::from(body.into()),
        }
    }

    /// A response with a raw body and no content type.
    pub fn raw(status: u16, body: impl Into<Bytes>) -> Self {
        Reply::Response {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Adds a header to a response.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Reply::Response { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }

    /// The same reply after `delay`.
    pub fn after(self, delay: Duration) -> Self {
        Reply::Delayed(delay, Box::new(self))
    }
}

type Handler = Box<dyn Fn(&RecordedRequest) -> Reply + Send + Sync>;

/// An in-memory [`HttpSend`]: each request is recorded and answered by a closure.
pub struct ScriptedHttp {
    handler: Handler,
    requests: Mutex<Vec<RecordedRequest>>,
}

impl fmt::Debug for ScriptedHttp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScriptedHttp")
            .field("requests", &self.requests.lock().map(|r| r.len()).unwrap_or(0))
            .finish()
    }
}

impl ScriptedHttp {
    /// A fake server answering with `handler`.
    pub fn new(handler: impl Fn(&RecordedRequest) -> Reply + Send + Sync + 'static) -> Self {
        Self {
            handler: Box::new(handler),
            requests: Mutex::new(Vec::new()),
        }
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// How many requests had `path` as their path.
    pub fn count(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.uri.path() == path).count()
    }
}

#[async_trait]
impl HttpSend for ScriptedHttp {
    async fn send(
        &self,
        request: http::Request<Bytes>,
        max_body_bytes: usize,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let (parts, body) = request.into_parts();
        let recorded = RecordedRequest {
            method: parts.method,
            uri: parts.uri,
            headers: parts.headers,
            body,
        };
        let mut reply = (self.handler)(&recorded);
        if let Ok(mut log) = self.requests.lock() {
            log.push(recorded);
        }
        loop {
            match reply {
                Reply::Delayed(d, inner) => {
                    tokio::time::sleep(d).await;
                    reply = *inner;
                }
                Reply::Fail(kind) => return Err(TransportError::new(kind, "scripted failure")),
                Reply::Response { status, headers, body } => {
                    if body.len() > max_body_bytes {
                        return Err(TransportError::new(
                            TransportErrorKind::BodyTooLarge,
                            format!("the response body exceeds the {max_body_bytes}-byte limit"),
                        ));
                    }
                    let mut out = http::Response::new(body);
                    *out.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                    for (k, v) in headers {
                        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k), HeaderValue::try_from(v)) {
                            out.headers_mut().append(k, v);
                        }
                    }
                    return Ok(out);
                }
            }
        }
    }
}
