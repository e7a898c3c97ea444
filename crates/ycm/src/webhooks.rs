//! YCM webhooks: typed event payloads, `X-Signature` verification, and a receiver usable from
//! any HTTP server.
//!
//! Webhooks are configured in the YCM web interface only (System > API > Webhook Event Push,
//! up to 5), not through the API. YCM POSTs each event to the configured URL with a JSON
//! **array** body and an `X-Signature` header: Base64(HMAC-SHA256(raw body, secret)), where the
//! secret is the 32-character key YCM generated for the webhook. The receiver must answer 2xx.
//! \[UNKNOWN\] the retry policy, the timeout, and any event-type header: the two documented
//! events are told apart by their shape.
//!
//! ```
//! use yeastar_ycm::webhooks::{WebhookEvent, WebhookReceiver, sign};
//!
//! let secret = "0123456789abcdef0123456789abcdef";
//! let receiver = WebhookReceiver::new(secret);
//! // In your HTTP handler: the raw body bytes and the `X-Signature` header value.
//! let body = br#"[{"modifier":"leo@yeastar.com","repository":{"extensions":"5","recordingCapacity":"500"},
//!                 "sn":"36XXXXXXXXXXXXKH","updateTime":1773110920}]"#;
//! let signature = sign(secret, body); // what YCM sends
//! match receiver.receive_signed(Some(&signature), body).unwrap() {
//!     WebhookEvent::CapacityChange(changes) => assert_eq!(changes[0].repository.extensions, Some(5)),
//!     other => panic!("{other:?}"),
//! }
//! // A body changed on the way, or signed with another secret, is refused.
//! assert!(receiver.receive_signed(Some(&signature), b"[]").is_err());
//! ```

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Sha256;
use yeastar_transport::Secret;
use yeastar_transport::api_enum;
use yeastar_transport::lenient::{opt_i64, opt_string, opt_u64};
use yeastar_transport::reexports::HeaderMap;

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "X-Signature";

api_enum! {
    /// Whether call recording is on, in a capacity event (`enableCallRecording`).
    pub enum YesNo {
        /// `yes`.
        Yes => "yes",
        /// `no`.
        No => "no",
    }
}

api_enum! {
    /// What changed, in a DID event (`event`).
    pub enum DidEvent {
        /// `did_change`: DIDs assigned to or removed from a Cloud PBX when it is created or edited.
        DidChange => "did_change",
        /// `did_delete`: DIDs assigned to a Cloud PBX were deleted from their trunks.
        DidDelete => "did_delete",
        /// `trunk_delete`: trunks whose DIDs were assigned to a Cloud PBX were deleted.
        TrunkDelete => "trunk_delete",
        /// `pce_delete`: a Cloud PBX with DIDs was deleted.
        PceDelete => "pce_delete",
    }
}

/// The capacity of a Cloud PBX in a capacity event (`PBX_info`). YCM sends every value as a
/// string (`"5"`); numbers are read from strings or numbers.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PbxCapacity {
    /// Extensions (`extensions`).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub extensions: Option<u64>,
    /// One-time AI transcription minutes not included in the plan (`transcription`).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub transcription: Option<u64>,
    /// One-time AI receptionist not included in the plan (`receptionist`).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub receptionist: Option<u64>,
    /// Concurrent calls (`concurrentCalls`).
    #[serde(
        default,
        rename = "concurrentCalls",
        deserialize_with = "opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub concurrent_calls: Option<u64>,
    /// Call recording on or off (`enableCallRecording`: `yes`/`no`).
    #[serde(default, rename = "enableCallRecording", skip_serializing_if = "Option::is_none")]
    pub enable_call_recording: Option<YesNo>,
    /// Monthly AI receptionist quota packs (`receptionist_pack`).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub receptionist_pack: Option<u64>,
    /// Call recording minutes (`recordingCapacity`).
    #[serde(
        default,
        rename = "recordingCapacity",
        deserialize_with = "opt_u64",
        skip_serializing_if = "Option::is_none"
    )]
    pub recording_capacity: Option<u64>,
    /// Monthly AI transcription quota packs (`transcription_pack`).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub transcription_pack: Option<u64>,
}

/// One Cloud PBX in a "PCE Capacity Change" event: sent when capacity is assigned at creation
/// and when a PBX is resized.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CapacityChange {
    /// Who changed it (`modifier`, an email in the example).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub modifier: Option<String>,
    /// The new capacity (`repository`).
    #[serde(default)]
    pub repository: PbxCapacity,
    /// The PBX's serial number (`sn`).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub sn: Option<String>,
    /// When it happened (`updateTime`, Unix seconds).
    #[serde(default, deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub update_time: Option<i64>,
}

/// A DID of a Cloud PBX in a DID event (`DID_info`, every value a string).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DidInfo {
    /// The number (`did`).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub did: Option<String>,
    /// The DID's id (`didId`).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub did_id: Option<u64>,
    /// Its trunk (`trunkId`).
    #[serde(default, deserialize_with = "opt_u64", skip_serializing_if = "Option::is_none")]
    pub trunk_id: Option<u64>,
    /// The trunk's name (`trunkName`).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub trunk_name: Option<String>,
}

/// One Cloud PBX in a "PCE DID Change" event. The list holds the PBX's **current** DIDs (after
/// the change), not the difference.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DidChange {
    /// What happened (`event`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<DidEvent>,
    /// The PBX's serial number (`sn`).
    #[serde(default, deserialize_with = "opt_string", skip_serializing_if = "Option::is_none")]
    pub sn: Option<String>,
    /// The PBX's current DIDs (`trunkDidInfoList`).
    #[serde(default, deserialize_with = "yeastar_transport::lenient::vec_or_null")]
    pub trunk_did_info_list: Vec<DidInfo>,
    /// When it happened (`updateTime`, Unix seconds).
    #[serde(default, deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub update_time: Option<i64>,
}

/// A webhook delivery, told apart by its shape (the body has no event-type field).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum WebhookEvent {
    /// "PCE Capacity Change": items with a `repository`.
    CapacityChange(Vec<CapacityChange>),
    /// "PCE DID Change": items with an `event` or a `trunkDidInfoList`.
    DidChange(Vec<DidChange>),
    /// A body of another shape (an event this SDK version does not know, an empty array),
    /// kept as JSON.
    Unknown(Value),
}

/// Why a webhook delivery was refused.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookError {
    /// The receiver has an empty secret (a configuration mistake: every delivery would fail).
    NoSecret,
    /// The request has no `X-Signature` header.
    MissingSignature,
    /// The signature does not match the body and the secret (or is not Base64): the request
    /// was not sent by YCM with this secret, or was changed on the way. Do not process it.
    BadSignature,
    /// The signed body is not JSON of a documented event shape.
    Payload(String),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::NoSecret => f.write_str("the webhook secret is empty"),
            WebhookError::MissingSignature => write!(f, "the request has no {SIGNATURE_HEADER} header"),
            WebhookError::BadSignature => write!(f, "the {SIGNATURE_HEADER} signature does not match the body"),
            WebhookError::Payload(m) => write!(f, "the webhook body cannot be read: {m}"),
        }
    }
}

impl std::error::Error for WebhookError {}

/// The signature YCM sends for `body`: Base64(HMAC-SHA256(body, secret)). For tests, and to
/// replay a delivery by hand.
pub fn sign(secret: &str, body: &[u8]) -> String {
    STANDARD.encode(mac(secret, body).finalize().into_bytes())
}

fn mac(secret: &str, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(body);
    mac
}

/// Reads a webhook body without checking its signature (for bodies verified elsewhere).
///
/// The documented bodies are JSON arrays; a single object is read as an array of one.
pub fn parse_event(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| WebhookError::Payload(e.to_string()))?;
    let items = match &value {
        Value::Array(items) => items.clone(),
        Value::Object(_) => vec![value.clone()],
        _ => return Ok(WebhookEvent::Unknown(value)),
    };
    let has = |item: &Value, key: &str| item.get(key).is_some();
    let all = |pred: &dyn Fn(&Value) -> bool| !items.is_empty() && items.iter().all(pred);
    let read = |what: &str| {
        let what = what.to_owned();
        move |e: serde_json::Error| WebhookError::Payload(format!("{what}: {e}"))
    };
    if all(&|i| has(i, "repository")) {
        let changes = serde_json::from_value(Value::Array(items)).map_err(read("capacity change"))?;
        Ok(WebhookEvent::CapacityChange(changes))
    } else if all(&|i| has(i, "trunkDidInfoList") || has(i, "event")) {
        let changes = serde_json::from_value(Value::Array(items)).map_err(read("DID change"))?;
        Ok(WebhookEvent::DidChange(changes))
    } else {
        Ok(WebhookEvent::Unknown(value))
    }
}

/// Verifies and reads YCM webhook deliveries; holds the webhook's secret (never printed).
///
/// Use it from any HTTP server: hand it the **raw** body bytes (before any JSON parsing, which
/// would change them) and the headers, or just the `X-Signature` value.
#[derive(Debug, Clone)]
pub struct WebhookReceiver {
    secret: Secret,
}

impl WebhookReceiver {
    /// A receiver for the webhook whose secret is `secret` (YCM shows it next to the webhook).
    pub fn new(secret: impl Into<Secret>) -> Self {
        Self { secret: secret.into() }
    }

    /// Checks `signature` (the `X-Signature` value) against `body`, in constant time.
    pub fn verify(&self, body: &[u8], signature: &str) -> Result<(), WebhookError> {
        if self.secret.is_empty() {
            return Err(WebhookError::NoSecret);
        }
        let signature = signature.trim();
        let decoded = STANDARD
            .decode(signature)
            .or_else(|_| STANDARD_NO_PAD.decode(signature))
            .map_err(|_| WebhookError::BadSignature)?;
        mac(self.secret.expose(), body)
            .verify_slice(&decoded)
            .map_err(|_| WebhookError::BadSignature)
    }

    /// Verifies the signature (`None`: the header was absent) and reads the event.
    pub fn receive_signed(&self, signature: Option<&str>, body: &[u8]) -> Result<WebhookEvent, WebhookError> {
        self.verify(body, signature.ok_or(WebhookError::MissingSignature)?)?;
        parse_event(body)
    }

    /// Verifies the `X-Signature` header of a request and reads its body.
    pub fn receive(&self, headers: &HeaderMap, body: &[u8]) -> Result<WebhookEvent, WebhookError> {
        let signature = match headers.get(SIGNATURE_HEADER) {
            None => None,
            Some(v) => Some(v.to_str().map_err(|_| WebhookError::BadSignature)?),
        };
        self.receive_signed(signature, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use yeastar_transport::reexports::HeaderMap;

    const SECRET: &str = "2Wq7ZtJ0yB8vK4nR6pL1sD9fH3gX5cMa";

    /// The doc's "PCE Capacity Change" example.
    const CAPACITY: &str = r#"[
  {
    "modifier":"leo@yeastar.com",
    "repository": {
      "extensions":"5",
      "transcription":"200",
      "receptionist":"0",
      "concurrentCalls":"5",
      "enableCallRecording":"yes",
      "receptionist_pack":"0",
      "recordingCapacity":"500",
      "transcription_pack":"0"
    },
    "sn":"36XXXXXXXXXXXXKH",
    "updateTime":1773110920
  }
]"#;

    /// The start of the doc's "PCE DID Change" example (2113 and 10021215 removed).
    const DIDS: &str = r#"[{"event":"did_change","sn":"36XXXXXXXXXXXXZK","trunkDidInfoList":[
        {"did":"10021212","didId":"1192488","trunkId":"114529","trunkName":"register-trunk-shared_32YFS4"},
        {"did":"10021213","didId":"1192489","trunkId":"114529","trunkName":"register-trunk-shared_32YFS4"}],
        "updateTime":1773110920}]"#;

    #[test]
    fn the_capacity_example_reads_with_string_numbers() {
        let WebhookEvent::CapacityChange(c) = parse_event(CAPACITY.as_bytes()).unwrap() else {
            panic!()
        };
        let r = &c[0].repository;
        assert_eq!(c[0].modifier.as_deref(), Some("leo@yeastar.com"));
        assert_eq!(c[0].sn.as_deref(), Some("36XXXXXXXXXXXXKH"));
        assert_eq!(c[0].update_time, Some(1773110920));
        assert_eq!(
            (r.extensions, r.transcription, r.receptionist, r.concurrent_calls),
            (Some(5), Some(200), Some(0), Some(5))
        );
        assert_eq!(r.enable_call_recording, Some(YesNo::Yes));
        assert_eq!(
            (r.receptionist_pack, r.recording_capacity, r.transcription_pack),
            (Some(0), Some(500), Some(0))
        );
    }

    #[test]
    fn the_did_example_reads_with_string_ids() {
        let WebhookEvent::DidChange(d) = parse_event(DIDS.as_bytes()).unwrap() else {
            panic!()
        };
        assert_eq!(d[0].event, Some(DidEvent::DidChange));
        assert_eq!(d[0].trunk_did_info_list.len(), 2);
        let first = &d[0].trunk_did_info_list[0];
        assert_eq!(first.did.as_deref(), Some("10021212"));
        assert_eq!((first.did_id, first.trunk_id), (Some(1192488), Some(114529)));
        assert_eq!(first.trunk_name.as_deref(), Some("register-trunk-shared_32YFS4"));
    }

    #[test]
    fn other_shapes_are_unknown_and_bad_json_is_an_error() {
        assert_eq!(parse_event(b"[]").unwrap(), WebhookEvent::Unknown(json!([])));
        let other = br#"[{"event":"x","sn":"1"},{"repository":{}}]"#;
        assert!(matches!(parse_event(other).unwrap(), WebhookEvent::Unknown(_)));
        assert!(matches!(parse_event(b"not json"), Err(WebhookError::Payload(_))));
        // A documented shape with a value of the wrong type names the event.
        let bad = br#"[{"repository":{"extensions":"many"}}]"#;
        let Err(WebhookError::Payload(m)) = parse_event(bad) else {
            panic!()
        };
        assert!(m.contains("capacity change"), "{m}");
        // A single object is read as an array of one.
        assert!(matches!(
            parse_event(br#"{"event":"pce_delete","sn":"1","trunkDidInfoList":[]}"#).unwrap(),
            WebhookEvent::DidChange(d) if d[0].event == Some(DidEvent::PceDelete)
        ));
    }

    #[test]
    fn signatures_are_base64_hmac_sha256_of_the_raw_body() {
        // Known answer (computed independently: `openssl dgst -sha256 -hmac KEY -binary | base64`).
        assert_eq!(
            sign("key", b"The quick brown fox jumps over the lazy dog"),
            "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg="
        );
        let receiver = WebhookReceiver::new(SECRET);
        let sig = sign(SECRET, CAPACITY.as_bytes());
        assert!(receiver.verify(CAPACITY.as_bytes(), &sig).is_ok());
        assert!(receiver.verify(CAPACITY.as_bytes(), sig.trim_end_matches('=')).is_ok());
        // One byte more in the body, another secret, garbage, a missing header: refused.
        let mut changed = CAPACITY.as_bytes().to_vec();
        changed.push(b' ');
        assert_eq!(receiver.verify(&changed, &sig), Err(WebhookError::BadSignature));
        let other = sign("another-secret", CAPACITY.as_bytes());
        assert_eq!(
            receiver.verify(CAPACITY.as_bytes(), &other),
            Err(WebhookError::BadSignature)
        );
        assert_eq!(
            receiver.verify(CAPACITY.as_bytes(), "%%%"),
            Err(WebhookError::BadSignature)
        );
        assert_eq!(
            receiver.receive(&HeaderMap::new(), CAPACITY.as_bytes()),
            Err(WebhookError::MissingSignature)
        );
        assert_eq!(
            WebhookReceiver::new("").verify(b"[]", &sign("", b"[]")),
            Err(WebhookError::NoSecret)
        );
        let mut headers = HeaderMap::new();
        headers.insert("x-signature", sig.parse().unwrap());
        assert!(matches!(
            receiver.receive(&headers, CAPACITY.as_bytes()),
            Ok(WebhookEvent::CapacityChange(_))
        ));
        // The secret never shows.
        assert!(!format!("{receiver:?}").contains(SECRET));
    }
}
