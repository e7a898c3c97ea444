//! YCM webhook events, signed and POSTed to the configured URL.

use std::sync::OnceLock;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use super::data::{Data, Pbx};
use crate::app::App;
use crate::reply::unix_now;

/// Who the events name as `modifier`: the sandbox's API account (the docs show an operator's
/// email).
const MODIFIER: &str = "leo@yeastar.com";

/// A "PCE Capacity Change" body for `pbx`: a JSON array, every capacity a string.
pub(crate) fn capacity_event(pbx: &Pbx) -> Value {
    json!([{
        "modifier": MODIFIER,
        "repository": {
            "extensions": pbx.extension_capacity.to_string(),
            "transcription": pbx.transcription_addon.to_string(),
            "receptionist": "0",
            "concurrentCalls": pbx.concurrent_call_capacity.to_string(),
            "enableCallRecording": if pbx.recording_status == "Enabled" { "yes" } else { "no" },
            "receptionist_pack": "0",
            "recordingCapacity": pbx.recording_capacity.to_string(),
            "transcription_pack": "0",
        },
        "sn": pbx.sn,
        "updateTime": unix_now(),
    }])
}

/// A "PCE DID Change" body for PBX `id`: its DIDs now (for `pce_delete`: the DIDs it had).
pub(crate) fn did_event(data: &Data, id: u64, event: &str) -> Value {
    let sn = data.pbxs.get(&id).map(|p| p.sn.clone()).unwrap_or_default();
    json!([{
        "event": event,
        "sn": sn,
        "trunkDidInfoList": data.did_infos(id),
        "updateTime": unix_now(),
    }])
}

/// Base64(HMAC-SHA256(body, secret)), YCM's `X-Signature`.
pub(crate) fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn http() -> &'static reqwest::Client {
    static HTTP: OnceLock<reqwest::Client> = OnceLock::new();
    HTTP.get_or_init(|| {
        reqwest::Client::builder()
            .user_agent("YCM-Webhook")
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .unwrap_or_default()
    })
}

impl App {
    /// POSTs each event, in order, to the configured webhook (if any), in the background.
    pub(crate) fn ycm_webhooks(&self, events: Vec<Value>) {
        let Some(hook) = self.config.ycm_webhook.clone() else {
            return;
        };
        if events.is_empty() {
            return;
        }
        tokio::spawn(async move {
            for event in events {
                let body = event.to_string().into_bytes();
                let signature = sign(&hook.secret, &body);
                let sent = http()
                    .post(&hook.url)
                    .header("content-type", "application/json")
                    .header("x-signature", signature)
                    .body(body)
                    .send()
                    .await;
                match sent {
                    Ok(resp) if resp.status().is_success() => {}
                    Ok(resp) => tracing::warn!(status = resp.status().as_u16(), "YCM webhook refused"),
                    Err(e) => tracing::warn!(error = %e, "YCM webhook not delivered"),
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_base64_hmac_sha256() {
        assert_eq!(
            sign("key", b"The quick brown fox jumps over the lazy dog"),
            "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg="
        );
    }
}
