//! The one result type of every write.

use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::envelope::Meta;

/// What a write (create, update, edit, delete, start, …) answered: the request id to quote to
/// Yeastar support, the server time where the API gives one (YCM), and the id the API returned
/// (a created record's id; `()` when the API returns none).
///
/// ```
/// use yeastar_transport::WriteResult;
/// let w: WriteResult<u64> = WriteResult::default();
/// assert_eq!(w.id, None);
/// assert!(!w.already_absent);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WriteResult<Id = ()> {
    /// The request id (`requestId`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The server time in Unix seconds (`time`; YCM only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<i64>,
    /// The id the API returned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
    /// A delete was retried after its answer was lost, and the retry found the record gone:
    /// the first attempt deleted it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub already_absent: bool,
}

impl<Id> Default for WriteResult<Id> {
    fn default() -> Self {
        Self {
            request_id: None,
            time: None,
            id: None,
            already_absent: false,
        }
    }
}

impl<Id> WriteResult<Id> {
    /// The metadata of an answer, without an id.
    pub fn from_meta(meta: &Meta<'_>) -> Self {
        Self {
            request_id: meta.request_id().map(str::to_owned),
            time: meta.time(),
            id: None,
            already_absent: false,
        }
    }

    /// Sets the id.
    pub fn with_id(mut self, id: Option<Id>) -> Self {
        self.id = id;
        self
    }

    /// Marks the record as found already deleted by an earlier attempt of the same call.
    pub fn already_absent(meta: &Meta<'_>, id: Option<Id>) -> Self {
        Self {
            already_absent: true,
            ..Self::from_meta(meta).with_id(id)
        }
    }

    /// The server time as a timestamp.
    pub fn timestamp(&self) -> Option<SystemTime> {
        let secs = self.time?;
        if secs >= 0 {
            SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs.unsigned_abs()))
        } else {
            SystemTime::UNIX_EPOCH.checked_sub(Duration::from_secs(secs.unsigned_abs()))
        }
    }
}
