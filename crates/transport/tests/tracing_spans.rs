//! The `yeastar.call` span: its fields when a subscriber listens, and no trace of the call in
//! the caller's own span when the subscriber filters the transport's spans out (the transport
//! then skips its span work, BENCHMARKS.md section 1).

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::{EnvFilter, Layer, Registry};
use yeastar_transport::test_util::{Reply, ScriptedHttp};
use yeastar_transport::{Client, Credentials};

/// A span's name and the fields it received (at creation and by `record`).
type SpanFields = (String, BTreeMap<String, String>);

/// Every span seen, in creation order.
#[derive(Clone, Default)]
struct Fields(Arc<Mutex<Vec<SpanFields>>>);

struct Collect<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Collect<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>> Layer<S> for Fields {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut map = BTreeMap::new();
        attrs.record(&mut Collect(&mut map));
        let name = ctx.span(id).map(|s| s.name().to_owned()).unwrap_or_default();
        let mut all = self.0.lock().unwrap();
        all.push((name, map));
        let index = all.len() - 1;
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(index);
        }
    }
    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let Some(index) = ctx.span(id).and_then(|s| s.extensions().get::<usize>().copied()) else {
            return;
        };
        values.record(&mut Collect(&mut self.0.lock().unwrap()[index].1));
    }
}

fn flaky_then_ok() -> Arc<ScriptedHttp> {
    let calls = Arc::new(Mutex::new(0));
    Arc::new(ScriptedHttp::new(move |_| {
        let mut n = calls.lock().unwrap();
        *n += 1;
        if *n == 1 {
            Reply::json(503, "{}")
        } else {
            Reply::json(200, ok_json(r#"{"id":"7"}"#))
        }
    }))
}

fn client(http: Arc<ScriptedHttp>) -> Client {
    builder("https://workplace.example")
        .credentials(Credentials::access_token(ACCESS))
        .http_client(http)
        .retry(fast_retry())
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn the_call_span_carries_attempts_status_request_id_and_elapsed_time() {
    let fields = Fields::default();
    let subscriber = Registry::default().with(fields.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let client = client(flaky_then_ok());
    client.send(&GetThing("7".into())).await.unwrap();

    let all = fields.0.lock().unwrap();
    let (_, call) = all
        .iter()
        .find(|(name, _)| name == "yeastar.call")
        .expect("a yeastar.call span");
    assert_eq!(call.get("product").map(String::as_str), Some("workplace"), "{call:?}");
    assert_eq!(
        call.get("endpoint").map(String::as_str),
        Some("/things/{id}"),
        "{call:?}"
    );
    assert_eq!(call.get("method").map(String::as_str), Some("GET"), "{call:?}");
    assert_eq!(call.get("attempts").map(String::as_str), Some("2"), "{call:?}");
    assert_eq!(call.get("status").map(String::as_str), Some("200"), "{call:?}");
    assert_eq!(call.get("request_id").map(String::as_str), Some("req-1"), "{call:?}");
    assert!(call.contains_key("elapsed_ms"), "{call:?}");
}

#[tokio::test(start_paused = true)]
async fn with_the_transport_filtered_out_the_callers_span_gets_none_of_its_fields() {
    let fields = Fields::default();
    let subscriber = Registry::default()
        .with(fields.clone())
        .with(EnvFilter::new("off,caller=info"));
    let _guard = tracing::subscriber::set_default(subscriber);
    let client = client(flaky_then_ok());
    let span = tracing::info_span!(
        target: "caller",
        "caller.job",
        request_id = tracing::field::Empty,
        status = tracing::field::Empty,
        attempts = tracing::field::Empty
    );
    let _entered = span.enter();
    client.send(&GetThing("7".into())).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1)).await;

    let all = fields.0.lock().unwrap();
    assert!(
        all.iter().all(|(name, _)| name != "yeastar.call"),
        "the filter let the call span through"
    );
    let (_, job) = all
        .iter()
        .find(|(name, _)| name == "caller.job")
        .expect("the caller's span");
    assert!(job.is_empty(), "the call wrote into the caller's span: {job:?}");
}
