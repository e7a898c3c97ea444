//! What a handler answers.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::{HeaderName, HeaderValue, StatusCode, header};
use serde_json::Value;

use crate::error::ApiErr;

/// A handler's result: a reply, or an error rendered in the product's envelope.
pub(crate) type Answer = Result<Reply, ApiErr>;

/// A finished answer (the envelope is already built).
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) body: ReplyBody,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
}

#[derive(Debug)]
pub(crate) enum ReplyBody {
    Json(Value),
    Html(String),
}

impl Reply {
    pub(crate) fn json(status: u16, body: Value) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            body: ReplyBody::Json(body),
            headers: Vec::new(),
        }
    }

    pub(crate) fn ok(body: Value) -> Self {
        Self::json(200, body)
    }

    pub(crate) fn html(status: u16, page: &str) -> Self {
        Self {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY),
            body: ReplyBody::Html(page.to_owned()),
            headers: Vec::new(),
        }
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let (content_type, bytes) = match self.body {
            ReplyBody::Json(v) => ("application/json;charset=UTF-8", Bytes::from(v.to_string())),
            ReplyBody::Html(s) => ("text/html", Bytes::from(s)),
        };
        let mut resp = Response::new(Body::from(bytes));
        *resp.status_mut() = self.status;
        resp.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        for (k, v) in self.headers {
            resp.headers_mut().insert(k, v);
        }
        resp
    }
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
