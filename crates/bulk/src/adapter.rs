//! What the engine needs from a product: its fields, the current state, and one create and
//! one update per row.

use std::collections::HashMap;

use async_trait::async_trait;
use serde_json::{Map, Value};
use yeastar_transport::{CallOptions, Result, RetryPolicy};

use crate::input::Row;
use crate::plan::Plan;
use crate::problem::Problem;
use crate::schema::{Schema, key_of};

/// One existing user as the API returned it, with the API's field names.
pub type Record = Map<String, Value>;

/// What a write answered.
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// The request id to quote to Yeastar support.
    pub request_id: Option<String>,
    /// The user's id (YCM `userId`, Workplace `memberId`, Partner Portal `partnerId`), when
    /// the answer or the state gives it.
    pub id: Option<String>,
}

impl Written {
    /// A write answer.
    pub fn new(request_id: Option<String>, id: Option<String>) -> Self {
        Self { request_id, id }
    }
}

/// One product's side of a bulk import: the engine validates, plans, paces, retries, journals
/// and reports; an adapter reads the state and turns a row into the product's requests.
///
/// Adapters send through clients whose transport does **not** retry writes (the engine
/// retries, paced to the rate limit) and never re-sends a create: a create whose answer was
/// lost must come back as [`Error::OutcomeUnknown`](yeastar_transport::Error::OutcomeUnknown),
/// so that the engine looks the key up before anything is sent again.
#[async_trait]
pub trait Adapter: Send + Sync {
    /// The fields of the product's rows.
    fn schema(&self) -> &Schema;

    /// Every existing user, read once for the plan.
    async fn load(&self) -> Result<Vec<Record>>;

    /// The users whose keys (trimmed, lower-case) are `keys`, as they are now: the engine asks
    /// after creates whose outcome is unknown. The default reads every user once.
    async fn lookup(&self, keys: &[String]) -> Result<HashMap<String, Record>> {
        let key = self.schema().key().name;
        let all = self.load().await?;
        Ok(all
            .into_iter()
            .filter_map(|r| {
                let k = key_of(r.get(key)?.as_str()?);
                keys.contains(&k).then_some((k, r))
            })
            .collect())
    }

    /// Turns input-only fields into API fields (Workplace group names into ids), reading what
    /// it needs once; a value that cannot be resolved is a problem of its row. The default
    /// does nothing.
    async fn prepare(&self, rows: &mut [Row]) -> Result<Vec<Problem>> {
        let _ = rows;
        Ok(Vec::new())
    }

    /// Checks a row that will create a user, without sending anything (typically by building
    /// the create request and letting the SDK validate it).
    fn check_create(&self, row: &Row) -> Vec<Problem>;

    /// Checks an update of `current` that changes `changes`, without sending anything.
    fn check_update(&self, row: &Row, current: &Record, changes: &[String]) -> Vec<Problem> {
        let _ = (row, current, changes);
        Vec::new()
    }

    /// Creates the row's user (sent once: never retried by the transport).
    async fn create(&self, row: &Row) -> Result<Written>;

    /// Updates `current` with the row's fields named in `changes`.
    async fn update(&self, row: &Row, current: &Record, changes: &[String]) -> Result<Written>;

    /// The user's id in a record.
    fn id_of(&self, record: &Record) -> Option<String>;

    /// What the plan must say once, in the plan and the summary (Workplace: how many updates
    /// may clear a face image). The default says nothing.
    fn notes(&self, plan: &Plan) -> Vec<String> {
        let _ = plan;
        Vec::new()
    }
}

/// A record's value as text, for ids (`13400`, `"3076915454489739264"`).
pub(crate) fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The attempts of an adapter's read (the plan's list, a lookup) on transient failures and
/// rate limits.
const READ_ATTEMPTS: u32 = 8;

/// The call options of an adapter's reads: the client's retry policy with at least
/// [`READ_ATTEMPTS`] attempts.
pub(crate) fn read_options(client: &yeastar_transport::Client) -> CallOptions {
    let policy = client.config().retry.clone();
    let attempts = policy.max_attempts.max(READ_ATTEMPTS);
    CallOptions::new().retry(policy.with_max_attempts(attempts))
}

/// The call options of an adapter's writes: the transport's retries off (the engine retries
/// them, paced, and never re-sends a create whose outcome is unknown).
pub(crate) fn write_options() -> CallOptions {
    CallOptions::new().retry(RetryPolicy::disabled())
}

impl Row {
    /// The row's text field `name`, if it sets one.
    pub(crate) fn text(&self, name: &str) -> Option<String> {
        self.fields.get(name).and_then(Value::as_str).map(str::to_owned)
    }
}
