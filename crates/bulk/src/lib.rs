//! Bulk import and export of Yeastar users: onboard hundreds of users from a spreadsheet,
//! exactly once, resumable, paced to the rate limit.
//!
//! A product-agnostic engine (validate → plan → apply → report) with one [`Adapter`] per
//! product (features `ycm`, `partner-portal`, `workplace`):
//!
//! 1. **Validate** ([`parse`]): every row of a CSV or JSON Lines input is checked before any
//!    request: column names (the API's own, in its casing), value types, enum values, email
//!    addresses, the key (an email) and duplicate keys. Every bad row is reported with its
//!    line and field ([`Invalid`]); nothing is written.
//! 2. **Plan** ([`Importer::plan`]): the current state is read once and each row classified
//!    as `create`, `update` (only the fields that differ) or `unchanged` (no request). Rows
//!    that cannot be applied (a field required to create, a field the API cannot change) make
//!    the input invalid too. The plan serialises to the `--dry-run` JSON.
//! 3. **Apply** ([`Importer::apply`]): bounded concurrency, paced to the product's rate limit
//!    (a rate-limit answer halves the concurrency and pauses every write for its
//!    `Retry-After`; successes raise it again), with an optional fixed rate cap. A create whose
//!    answer was lost is looked up before anything is re-sent: found means created. Rows are
//!    journaled as they complete ([`Options::journal`]), so a run stopped at any point (even
//!    `kill -9`) and started again finishes the job with no duplicates and nothing missing,
//!    and its report covers every row.
//! 4. **Report** ([`Report`]): one record per row (line, key, action, outcome, request id,
//!    error), a summary line, and progress callbacks ([`Options::on_progress`]).
//!
//! ```no_run
//! # #[cfg(feature = "ycm")]
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use yeastar_bulk::{Format, Importer, Options, ycm::YcmAdapter};
//! use yeastar_ycm::{Client, Credentials};
//!
//! let client = Client::builder().credentials(Credentials::client("id", "secret")).build()?;
//! let importer = Importer::new(YcmAdapter::new(client));
//! let csv = "email,userType,company,firstName,totalExtensions,totalConcurrentCalls,totalRecordings,minimumExtPerPBX\n\
//!            ada@acme.example,Reseller,Acme,Ada,100,20,10,5\n";
//! let plan = importer.plan(importer.parse(csv.as_bytes(), Format::Csv)?).await?;
//! let report = importer.apply(plan, &Options::new().concurrency(8)).await?;
//! println!("{}", report.summary); // created 1, updated 0, unchanged 0, failed 0 in 0.4 s
//! # Ok(()) }
//! ```
//!
//! # Features
//! One per product, each adding its adapter and nothing of the other products:
//!
//! | feature | adapter | key | lookup of a lost create |
//! |---|---|---|---|
//! | `partner-portal` | `partner_portal::PartnerPortalAdapter` | the Yeastar ID (`email` or `yeastarId`) | by Yeastar ID |
//! | `ycm` (default) | `ycm::YcmAdapter` | `email` | one list read per batch |
//! | `workplace` | `workplace::WorkplaceAdapter` | `email` | one list read per batch |
//!
//! The column names and rules of each product are in its module's docs; an adapter for
//! another source is an implementation of [`Adapter`].
//!
//! An empty CSV cell (or an absent, `null` or `""` JSON value) leaves the field as it is;
//! list values are `;`-separated in CSV cells. [`Importer::export`] writes every user in the
//! same format, so exporting, editing a column and importing round-trips, and importing an
//! unmodified export writes nothing.

mod adapter;
pub mod csv;
mod engine;
mod input;
mod journal;
mod pacer;
mod plan;
mod problem;
mod report;
mod schema;

#[cfg(feature = "partner-portal")]
pub mod partner_portal;
#[cfg(feature = "workplace")]
pub mod workplace;
#[cfg(feature = "ycm")]
pub mod ycm;

pub use crate::adapter::{Adapter, Record, Written};
pub use crate::engine::{DEFAULT_CONCURRENCY, Error, Importer, Options, Progress, ProgressFn, Stop};
pub use crate::input::{Format, Row, check_rows, parse, write_records};
pub use crate::plan::{Action, Plan, PlannedRow};
pub use crate::problem::{Invalid, Problem};
pub use crate::report::{Outcome, REPORT_COLUMNS, Report, RowReport, Summary, write_rows};
pub use crate::schema::{Access, Field, Kind, Schema};
/// The attribute to implement [`Adapter`] with (its methods are `async`).
pub use async_trait::async_trait;
