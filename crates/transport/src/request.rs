//! Endpoints as values: what a product crate hands to the client.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use bytes::Bytes;
use http::Method;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::envelope::{Envelope, Meta, RawResponse};
use crate::error::{Error, Result};

/// One API operation as a value: it describes its HTTP request and what the answer's data is.
///
/// Product crates implement this for each operation (`GetUser`, `UpdateUser`, …); the client
/// sends it. Validation of caller input belongs in [`Endpoint::request`], so that a bad value
/// is reported as [`Error::InvalidInput`] before anything is sent.
///
/// The transport reads the envelope and its data (`Self::Data`) in one pass when it can, and
/// hands both to [`Endpoint::output`].
pub trait Endpoint: Send + Sync {
    /// The product's response envelope.
    type Envelope: Envelope;
    /// The data part of a successful answer (`data`, `result`, or the whole body).
    type Data: DeserializeOwned + Send;
    /// What the call returns.
    type Output: Send + 'static;

    /// Builds the request (validating the input).
    fn request(&self) -> Result<Request>;

    /// The output from the answer's data and metadata. Usually `Ok(data)`.
    fn output(data: Self::Data, meta: &Meta<'_>) -> Result<Self::Output>;

    /// For deletes: the output when a retry finds the record gone after an earlier attempt,
    /// whose answer was lost, may have deleted it. `None` (the default) keeps the not-found
    /// error.
    fn already_absent(&self, meta: &Meta<'_>) -> Option<Self::Output> {
        let _ = meta;
        None
    }
}

/// Decodes a response for `E` exactly as the client does: the envelope's one-pass fast path
/// when it has one, else the tolerant `open` then the endpoint's data; the response's request
/// id is recorded on the current span. Public for the fuzz tests and benchmarks.
#[doc(hidden)]
pub fn decode_response<E: Endpoint + ?Sized>(raw: &RawResponse<'_>) -> Result<E::Output> {
    decode_response_in::<E>(raw, &tracing::Span::current())
}

/// [`decode_response`], recording the request id in `span`.
pub(crate) fn decode_response_in<E: Endpoint + ?Sized>(
    raw: &RawResponse<'_>,
    span: &tracing::Span,
) -> Result<E::Output> {
    let record = |meta: &Meta<'_>| {
        if let Some(id) = meta.request_id()
            && !span.is_disabled()
        {
            span.record("request_id", id);
        }
    };
    match <E::Envelope as Envelope>::decode::<E::Data>(raw) {
        Some((data, meta)) => {
            record(&meta);
            E::output(data, &meta)
        }
        None => <E::Envelope as Envelope>::open(raw).and_then(|payload| {
            let meta = payload.meta();
            record(&meta);
            E::output(payload.json()?, &meta)
        }),
    }
}

/// Characters escaped in a path segment: everything but RFC 3986 unreserved characters and `@`
/// (kept so that a Yeastar ID such as `color123@yeastar.com` appears as in the docs).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// Writes what it is given percent-encoded as one path segment.
struct Segment<'a>(&'a mut String);

impl fmt::Write for Segment<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.extend(utf8_percent_encode(s, SEGMENT));
        Ok(())
    }
}

#[derive(Clone)]
pub(crate) enum Body {
    Empty,
    Json(Bytes),
    Form(Bytes),
}

/// An HTTP request described as data: method, path template and parameters, query, body,
/// whether it may be retried, whether it needs a token.
///
/// ```
/// use yeastar_transport::Request;
/// let req = Request::get("/user/openapi/user/v1/subordinate_user/{partnerId}")
///     .path_param("partnerId", "a/b?c")
///     .query("pageNo", 2);
/// assert_eq!(req.path_and_query().unwrap(), "/user/openapi/user/v1/subordinate_user/a%2Fb%3Fc?pageNo=2");
/// ```
#[derive(Clone)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) template: &'static str,
    /// The template until a parameter is filled in (most requests have none to fill).
    pub(crate) path: Cow<'static, str>,
    pub(crate) query: String,
    pub(crate) body: Body,
    pub(crate) idempotent: bool,
    pub(crate) authenticated: bool,
    pub(crate) sensitive: bool,
    pub(crate) fault: Option<Fault>,
}

impl Request {
    /// A request; GET, PUT and DELETE are idempotent, POST is not (see [`Request::idempotent`]).
    pub fn new(method: Method, template: &'static str) -> Self {
        let idempotent = matches!(method, Method::GET | Method::PUT | Method::DELETE | Method::HEAD);
        Self {
            method,
            template,
            path: Cow::Borrowed(template),
            query: String::new(),
            body: Body::Empty,
            idempotent,
            authenticated: true,
            sensitive: false,
            fault: None,
        }
    }

    /// A GET request.
    pub fn get(template: &'static str) -> Self {
        Self::new(Method::GET, template)
    }

    /// A POST request (not idempotent unless declared so).
    pub fn post(template: &'static str) -> Self {
        Self::new(Method::POST, template)
    }

    /// A PUT request.
    pub fn put(template: &'static str) -> Self {
        Self::new(Method::PUT, template)
    }

    /// A DELETE request.
    pub fn delete(template: &'static str) -> Self {
        Self::new(Method::DELETE, template)
    }

    /// Fills `{name}` in the path template with `value`, percent-encoded as exactly one path
    /// segment: `/`, `?`, `#`, `%`, spaces and non-ASCII can never change the path. The values
    /// `""`, `.` and `..` are refused, because no encoding keeps them a single segment.
    pub fn path_param(mut self, name: &str, value: impl fmt::Display) -> Self {
        // Find `{name}` without building the pattern.
        let found = self.path.match_indices('{').map(|(at, _)| at).find(|&at| {
            let rest = &self.path[at + 1..];
            rest.starts_with(name) && rest[name.len()..].starts_with('}')
        });
        let Some(at) = found else {
            // A bad value is reported before a bad template, as when the template is right.
            if !self.refuse_segment(name, &value.to_string()) {
                self.fail(Fault::Template(format!(
                    "path template {} has no parameter {{{name}}}",
                    self.template
                )));
            }
            return self;
        };
        // Encode straight into the new path, without an intermediate string for the value.
        let end = at + name.len() + 2;
        let mut path = String::with_capacity(self.path.len() + 64);
        path.push_str(&self.path[..at]);
        let _ = write!(Segment(&mut path), "{value}");
        if self.refuse_segment(name, &path[at..]) {
            return self;
        }
        path.push_str(&self.path[end..]);
        self.path = Cow::Owned(path);
        self
    }

    /// Records an input error when `segment` is `""`, `.` or `..`, which no encoding keeps a
    /// single segment. Encoding keeps `.` and turns anything else into `%XX`, so the value and
    /// its encoded form are one of these alike.
    fn refuse_segment(&mut self, name: &str, segment: &str) -> bool {
        let refused = segment.is_empty() || segment == "." || segment == "..";
        if refused {
            self.fail(Fault::Input(
                name.to_owned(),
                format!("{segment:?} cannot be used as a path segment"),
            ));
        }
        refused
    }

    /// Adds a query parameter (form-urlencoded).
    pub fn query(mut self, name: &str, value: impl fmt::Display) -> Self {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.extend(url::form_urlencoded::byte_serialize(name.as_bytes()));
        self.query.push('=');
        self.query
            .extend(url::form_urlencoded::byte_serialize(value.to_string().as_bytes()));
        self
    }

    /// Adds a query parameter whose value is a list, comma-separated with the commas literal
    /// (`regionIds=3,4`, as YCM's docs write arrays in GET queries); each item is
    /// form-urlencoded, so a comma inside an item is escaped and cannot split it.
    pub fn query_list<T: fmt::Display>(mut self, name: &str, items: impl IntoIterator<Item = T>) -> Self {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.extend(url::form_urlencoded::byte_serialize(name.as_bytes()));
        self.query.push('=');
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.query.push(',');
            }
            self.query
                .extend(url::form_urlencoded::byte_serialize(item.to_string().as_bytes()));
        }
        self
    }

    /// Adds a query parameter when `value` is `Some`.
    pub fn query_opt(self, name: &str, value: Option<impl fmt::Display>) -> Self {
        match value {
            Some(v) => self.query(name, v),
            None => self,
        }
    }

    /// Sets a JSON body (`Content-Type: application/json`), serialised now.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Body::Json(Bytes::from(bytes)),
            Err(e) => self.fail(Fault::Input(
                "body".into(),
                format!("cannot be serialised as JSON: {e}"),
            )),
        }
        self
    }

    /// Sets a form body (`Content-Type: application/x-www-form-urlencoded`).
    pub fn form<'a>(mut self, fields: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        ser.extend_pairs(fields);
        self.body = Body::Form(Bytes::from(ser.finish()));
        self
    }

    /// Declares whether sending the request twice is harmless (a POST that only sets fields).
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// The request carries no access token (token endpoints).
    pub fn unauthenticated(mut self) -> Self {
        self.authenticated = false;
        self
    }

    /// The request or its answer carries secrets (token endpoints): no part of either body
    /// is ever copied into an error.
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path template, e.g. `/dm/open_api/v1/users/{userId}` (used to name the endpoint in
    /// traces, so that ids never reach the logs).
    pub fn template(&self) -> &'static str {
        self.template
    }

    /// Whether the request may be sent more than once.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// The JSON body, if any.
    pub fn json_body(&self) -> Option<&[u8]> {
        match &self.body {
            Body::Json(b) => Some(b),
            _ => None,
        }
    }

    /// The encoded path and query, or the input error recorded while building.
    pub fn path_and_query(&self) -> Result<String> {
        self.path_and_query_after("")
    }

    /// `prefix` followed by the encoded path and query, in a string of exactly that length (so
    /// that it becomes an `http::Uri` without another allocation).
    pub(crate) fn path_and_query_after(&self, prefix: &str) -> Result<String> {
        match &self.fault {
            Some(Fault::Input(field, message)) => return Err(Error::invalid_input(field, message)),
            Some(Fault::Template(message)) => return Err(Error::Config(message.clone())),
            None => {}
        }
        if let Some(open) = self.path.find('{') {
            let name = self.path[open..].split('}').next().unwrap_or_default();
            return Err(Error::Config(format!(
                "path template {} is missing parameter {name}}}",
                self.template
            )));
        }
        let query_len = if self.query.is_empty() { 0 } else { 1 + self.query.len() };
        let mut out = String::with_capacity(prefix.len() + self.path.len() + query_len);
        out.push_str(prefix);
        out.push_str(&self.path);
        if !self.query.is_empty() {
            out.push('?');
            out.push_str(&self.query);
        }
        Ok(out)
    }

    fn fail(&mut self, fault: Fault) {
        self.fault.get_or_insert(fault);
    }
}

/// A mistake recorded while building, reported when the request is sent.
#[derive(Clone)]
pub(crate) enum Fault {
    Input(String, String),
    Template(String),
}

impl fmt::Debug for Request {
    // Bodies are never printed: a form body may hold the client secret or a refresh token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = match &self.body {
            Body::Empty => "none".to_owned(),
            Body::Json(b) => format!("json, {} bytes", b.len()),
            Body::Form(b) => format!("form, {} bytes", b.len()),
        };
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("template", &self.template)
            .field("body", &body)
            .field("idempotent", &self.idempotent)
            .field("authenticated", &self.authenticated)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_ids_stay_one_segment() {
        for (id, want) in [
            ("a/b", "a%2Fb"),
            ("../x", "..%2Fx"),
            ("a?b#c", "a%3Fb%23c"),
            ("100%", "100%25"),
            ("名前", "%E5%90%8D%E5%89%8D"),
            ("color123@yeastar.com", "color123@yeastar.com"),
            ("a b+c", "a%20b%2Bc"),
        ] {
            let r = Request::get("/x/{id}/y").path_param("id", id);
            assert_eq!(r.path_and_query().unwrap(), format!("/x/{want}/y"), "{id}");
        }
        // A value written in pieces (numbers, formatted values) is encoded as one segment.
        let r = Request::get("/x/{id}/y").path_param("id", format_args!("{}/{}{}", "a", 7, ".."));
        assert_eq!(r.path_and_query().unwrap(), "/x/a%2F7../y");
        let r = Request::get("/x/{a}/{b}").path_param("b", 2).path_param("a", 1);
        assert_eq!(r.path_and_query().unwrap(), "/x/1/2");
    }

    #[test]
    fn list_queries_keep_their_commas_and_escape_the_items() {
        let r = Request::get("/d").query_list("regionIds", [3, 4]).query("type", "pbx");
        assert_eq!(r.path_and_query().unwrap(), "/d?regionIds=3,4&type=pbx");
        // A comma or an `&` inside an item is escaped: it cannot split the item or the query.
        let r = Request::get("/d").query("a", 1).query_list("n", ["x,y", "p&q=r", "名"]);
        assert_eq!(r.path_and_query().unwrap(), "/d?a=1&n=x%2Cy,p%26q%3Dr,%E5%90%8D");
        let r = Request::get("/d").query_list("n", Vec::<u64>::new());
        assert_eq!(r.path_and_query().unwrap(), "/d?n=");
    }

    #[test]
    fn dot_segments_and_missing_params_are_refused() {
        for id in ["", ".", ".."] {
            let err = Request::get("/x/{id}")
                .path_param("id", id)
                .path_and_query()
                .unwrap_err();
            assert!(matches!(err, Error::InvalidInput { .. }), "{id:?}: {err}");
        }
        assert!(matches!(
            Request::get("/x/{id}").path_and_query(),
            Err(Error::Config(_))
        ));
        // A bad value is reported first, whether or not the template has the parameter.
        for (template, name) in [("/x/{id}", "id"), ("/x/{other}", "id")] {
            for id in ["", ".."] {
                let err = Request::get(template)
                    .path_param(name, id)
                    .path_and_query()
                    .unwrap_err();
                assert!(matches!(err, Error::InvalidInput { .. }), "{template} {id:?}: {err}");
            }
        }
        let err = Request::get("/x/{other}")
            .path_param("id", "ok")
            .path_and_query()
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
    }

    #[test]
    fn debug_never_shows_the_body() {
        let r = Request::post("/token").form([("client_secret", "s3cr3t")]);
        assert!(!format!("{r:?}").contains("s3cr3t"));
    }
}
