//! The report of an import: one record per input row, and the summary.

use std::fmt;
use std::io;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use yeastar_transport::Product;

use crate::input::Format;
use crate::plan::Action;

/// What happened to a row.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The user was created (exactly once).
    Created,
    /// The user's differing fields were sent.
    Updated,
    /// Nothing to do: the user already had every field of the row.
    Unchanged,
    /// The API refused the row's request; the error says why. The other rows were applied.
    Failed,
    /// Not applied: the run stopped (a transport or authentication failure, or a rate limit
    /// asking to wait too long) before this row was done. Running the import again resumes.
    Skipped,
}

impl Outcome {
    /// `created`, `updated`, `unchanged`, `failed` or `skipped`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
            Outcome::Failed => "failed",
            Outcome::Skipped => "skipped",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The report of one input row.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowReport {
    /// The input line.
    pub line: u64,
    /// The key as written in the row.
    pub key: String,
    /// What the plan said the row needed.
    pub action: Action,
    /// What happened.
    pub outcome: Outcome,
    /// The request id of the write (to quote to Yeastar support); for a failed row, of the
    /// refusal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The user's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The fields sent (or, for a failed row, that were to be sent).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
    /// Why the row failed or was skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The write was done by an earlier run of the same import (read from the journal, or a
    /// create found applied after that run was stopped).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub resumed: bool,
    /// A create whose answer was lost, found applied when the key was looked up.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reconciled: bool,
}

/// The counts of a run.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows created.
    pub created: usize,
    /// Rows updated.
    pub updated: usize,
    /// Rows already as they should be.
    pub unchanged: usize,
    /// Rows refused by the API.
    pub failed: usize,
    /// Rows not applied because the run stopped.
    pub skipped: usize,
    /// How long the run took.
    pub elapsed: Duration,
}

impl Summary {
    /// The counts of `rows`.
    pub fn of(rows: &[RowReport], elapsed: Duration) -> Self {
        let n = |o: Outcome| rows.iter().filter(|r| r.outcome == o).count();
        Self {
            created: n(Outcome::Created),
            updated: n(Outcome::Updated),
            unchanged: n(Outcome::Unchanged),
            failed: n(Outcome::Failed),
            skipped: n(Outcome::Skipped),
            elapsed,
        }
    }
}

impl fmt::Display for Summary {
    /// `created 30, updated 5, unchanged 5, failed 0 in 12.3 s` (and `, skipped N` when the
    /// run stopped).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "created {}, updated {}, unchanged {}, failed {}",
            self.created, self.updated, self.unchanged, self.failed
        )?;
        if self.skipped > 0 {
            write!(f, ", skipped {}", self.skipped)?;
        }
        write!(f, " in {:.1} s", self.elapsed.as_secs_f64())
    }
}

/// The report of a run.
#[non_exhaustive]
#[derive(Debug, Clone)]
pub struct Report {
    /// The product.
    pub product: Product,
    /// One record per input row, in input order.
    pub rows: Vec<RowReport>,
    /// The counts.
    pub summary: Summary,
    /// The plan's notes (said once).
    pub notes: Vec<String>,
    /// Why the run stopped before every row was done (rows left are [`Outcome::Skipped`]).
    pub stopped: Option<crate::engine::Stop>,
    /// How many answers said the rate limit was reached (each was waited out, never a failure).
    pub rate_limited: u64,
}

/// The columns of a CSV report.
pub const REPORT_COLUMNS: [&str; 10] = [
    "line",
    "key",
    "action",
    "outcome",
    "requestId",
    "id",
    "changes",
    "error",
    "resumed",
    "reconciled",
];

impl Report {
    /// Whether every row was done (none failed, none skipped).
    pub fn complete(&self) -> bool {
        self.summary.failed == 0 && self.summary.skipped == 0
    }

    /// Writes one record per row: JSON Lines, or CSV with a header row.
    pub fn write<W: io::Write>(&self, out: W, format: Format) -> io::Result<()> {
        write_rows(out, format, &self.rows)
    }
}

/// Writes report records: JSON Lines, or CSV with a header row ([`REPORT_COLUMNS`]).
pub fn write_rows<W: io::Write>(mut out: W, format: Format, rows: &[RowReport]) -> io::Result<()> {
    match format {
        Format::Jsonl => {
            for r in rows {
                serde_json::to_writer(&mut out, r)?;
                out.write_all(b"\n")?;
            }
            out.flush()
        }
        Format::Csv => {
            let records: Vec<Map<String, Value>> = rows
                .iter()
                .map(|r| match serde_json::to_value(r) {
                    Ok(Value::Object(m)) => m,
                    _ => Map::new(),
                })
                .collect();
            let columns: Vec<String> = REPORT_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
            crate::csv::write(out, &columns, &records)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: u64, outcome: Outcome) -> RowReport {
        RowReport {
            line,
            key: format!("u{line}@example.com"),
            action: Action::Create,
            outcome,
            request_id: Some("r1".into()),
            id: Some("13400".into()),
            changes: vec!["email".into(), "firstName".into()],
            error: None,
            resumed: false,
            reconciled: false,
        }
    }

    #[test]
    fn summary_line() {
        let rows = [
            row(2, Outcome::Created),
            row(3, Outcome::Failed),
            row(4, Outcome::Unchanged),
        ];
        let s = Summary::of(&rows, Duration::from_millis(12_340));
        assert_eq!(s.to_string(), "created 1, updated 0, unchanged 1, failed 1 in 12.3 s");
        let stopped = Summary { skipped: 2, ..s };
        assert_eq!(
            stopped.to_string(),
            "created 1, updated 0, unchanged 1, failed 1, skipped 2 in 12.3 s"
        );
    }

    #[test]
    fn report_records_in_both_formats() {
        let mut failed = row(3, Outcome::Failed);
        failed.error = Some("YCM API error 1000019 (HTTP 400): taken, \"really\"".into());
        failed.id = None;
        let rows = [row(2, Outcome::Created), failed];
        let mut jsonl = Vec::new();
        write_rows(&mut jsonl, Format::Jsonl, &rows).unwrap();
        let text = String::from_utf8(jsonl).unwrap();
        let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(
            first,
            serde_json::json!({"line": 2, "key": "u2@example.com", "action": "create", "outcome": "created",
                "requestId": "r1", "id": "13400", "changes": ["email", "firstName"]})
        );
        let back: Vec<RowReport> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(back, rows);
        let mut csv = Vec::new();
        write_rows(&mut csv, Format::Csv, &rows).unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "line,key,action,outcome,requestId,id,changes,error,resumed,reconciled\n\
             2,u2@example.com,create,created,r1,13400,email;firstName,,,\n\
             3,u3@example.com,create,failed,r1,,email;firstName,\"YCM API error 1000019 (HTTP 400): taken, \"\"really\"\"\",,\n"
        );
    }
}
