//! The engine: validate → plan → apply → report, for any [`Adapter`].

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use futures_util::stream::FuturesUnordered;
use tokio::time::Instant;
use yeastar_transport::{Error as SdkError, TransportErrorKind};

use crate::adapter::{Adapter, Record, Written};
use crate::input::{Format, Row, check_rows, parse};
use crate::journal::{Journal, Priors, fingerprint};
use crate::pacer::{Pacer, Wait};
use crate::plan::{Action, Plan, PlannedRow};
use crate::problem::Invalid;
use crate::report::{Outcome, Report, RowReport, Summary};
use crate::schema::{Access, Schema, coerce};

/// Why an import could not be planned or run.
#[non_exhaustive]
#[derive(Debug)]
pub enum Error {
    /// The input has invalid rows: nothing was written.
    Invalid(Invalid),
    /// Reading the current state failed (before anything was written).
    Api(SdkError),
    /// The journal could not be opened.
    Journal {
        /// The journal's path.
        path: PathBuf,
        /// What failed.
        source: io::Error,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(e) => e.fmt(f),
            Error::Api(e) => write!(f, "cannot read the current users: {e}"),
            Error::Journal { path, source } => write!(f, "journal {}: {source}", path.display()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Invalid(e) => Some(e),
            Error::Api(e) => Some(e),
            Error::Journal { source, .. } => Some(source),
        }
    }
}

impl From<Invalid> for Error {
    fn from(e: Invalid) -> Self {
        Error::Invalid(e)
    }
}

/// Why a run stopped before every row was done. Running the same import again resumes: it
/// plans against the state the stopped run left.
#[non_exhaustive]
#[derive(Debug, Clone)]
pub enum Stop {
    /// A transport or authentication failure, or a transient failure on every attempt of a
    /// row.
    Failure(SdkError),
    /// The server asked to wait longer than [`Options::max_rate_limit_wait`].
    RateLimitWait(Duration),
    /// The journal could not be written.
    Journal(String),
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::Failure(e) => e.fmt(f),
            Stop::RateLimitWait(d) => write!(
                f,
                "the server asked to wait {} s for its rate limit, longer than allowed",
                d.as_secs()
            ),
            Stop::Journal(e) => write!(f, "cannot write the journal: {e}"),
        }
    }
}

/// Progress of a run, for UIs ([`Options::on_progress`]).
#[non_exhaustive]
#[derive(Debug)]
pub enum Progress<'a> {
    /// The run starts: `rows` rows, of which `writes` need a request.
    Started {
        /// Rows in the plan.
        rows: usize,
        /// Creates and updates to send.
        writes: usize,
    },
    /// A row is done (unchanged rows are reported at the start).
    Row(&'a RowReport),
    /// The rate limit was reached: every write waits `wait`, then at most `concurrency` at a time.
    RateLimited {
        /// The pause.
        wait: Duration,
        /// The concurrency after the decrease.
        concurrency: usize,
    },
    /// Creates whose answer was lost are being looked up.
    Reconciling {
        /// How many.
        rows: usize,
    },
}

/// A progress callback.
pub type ProgressFn = Arc<dyn Fn(&Progress<'_>) + Send + Sync>;

/// How to apply a plan.
///
/// ```
/// use std::time::Duration;
/// use yeastar_bulk::Options;
/// let options = Options::new()
///     .concurrency(8)
///     .rate(5.0)
///     .journal("staff.csv.journal")
///     .on_progress(|p| eprintln!("{p:?}"));
/// # let _ = options;
/// ```
#[derive(Clone)]
pub struct Options {
    pub(crate) concurrency: usize,
    pub(crate) rate: Option<f64>,
    pub(crate) journal: Option<PathBuf>,
    pub(crate) max_attempts: u32,
    pub(crate) backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_rate_limit_wait: Duration,
    pub(crate) progress: Option<ProgressFn>,
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("concurrency", &self.concurrency)
            .field("rate", &self.rate)
            .field("journal", &self.journal)
            .field("max_attempts", &self.max_attempts)
            .field("backoff", &self.backoff)
            .field("max_backoff", &self.max_backoff)
            .field("max_rate_limit_wait", &self.max_rate_limit_wait)
            .field("progress", &self.progress.as_ref().map(|_| "callback"))
            .finish()
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            concurrency: DEFAULT_CONCURRENCY,
            rate: None,
            journal: None,
            max_attempts: 5,
            backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_rate_limit_wait: Duration::from_secs(15 * 60),
            progress: None,
        }
    }
}

/// The default number of writes in flight.
pub const DEFAULT_CONCURRENCY: usize = 4;

impl Options {
    /// The defaults: 4 writes at a time, no rate cap, no journal, 5 attempts per row on
    /// transient failures (500 ms doubling backoff, at most 30 s), rate-limit waits up to 15
    /// minutes.
    pub fn new() -> Self {
        Self::default()
    }

    /// At most `n` writes in flight (at least 1). The engine lowers it when the rate limit is
    /// reached and raises it again after successes, never above `n`.
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// At most `per_second` writes per second, evenly spaced (a fixed cap, on top of the
    /// adaptive pacing).
    pub fn rate(mut self, per_second: f64) -> Self {
        self.rate = Some(per_second);
        self
    }

    /// Journals the run in `path` (JSON Lines, made durable as rows complete), so that a
    /// stopped run started again reports every row. The file is removed after a run in which
    /// every row was done.
    pub fn journal(mut self, path: impl Into<PathBuf>) -> Self {
        self.journal = Some(path.into());
        self
    }

    /// Attempts per row on transient failures (a 5xx, a reset, a timeout); when a row has used
    /// them all, the run stops. Default 5.
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// The first wait before a row is tried again (doubled each time, with jitter).
    pub fn backoff(mut self, first: Duration, max: Duration) -> Self {
        self.backoff = first;
        self.max_backoff = max.max(first);
        self
    }

    /// The longest `Retry-After` waited out; a longer one stops the run (default 15 minutes).
    pub fn max_rate_limit_wait(mut self, d: Duration) -> Self {
        self.max_rate_limit_wait = d;
        self
    }

    /// Calls `f` as the run progresses.
    pub fn on_progress(mut self, f: impl Fn(&Progress<'_>) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    fn retry_wait(&self, attempt: u32) -> Duration {
        let exp = self
            .backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20))
            .min(self.max_backoff);
        // Equal jitter: rows that failed together do not come back together.
        exp.mul_f64(0.5 + 0.5 * fastrand::f64())
    }
}

/// Imports (and exports) the users of one product through its [`Adapter`].
///
/// ```no_run
/// # #[cfg(feature = "ycm")]
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use yeastar_bulk::{Format, Importer, Options, ycm::YcmAdapter};
/// use yeastar_ycm::{Client, Credentials};
///
/// let client = Client::builder().credentials(Credentials::client("id", "secret")).build()?;
/// let importer = Importer::new(YcmAdapter::new(client));
/// let rows = importer.parse(&std::fs::read("resellers.csv")?, Format::Csv)?;
/// let plan = importer.plan(rows).await?;
/// println!("{}", serde_json::to_string_pretty(&plan)?);
/// let report = importer.apply(plan, &Options::new().journal("resellers.csv.journal")).await?;
/// println!("{}", report.summary);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Importer<A> {
    adapter: A,
}

/// The state of one row's write across attempts.
#[derive(Debug, Default)]
struct Task {
    attempts: u32,
    /// A create of this row may have taken effect (its answer was lost).
    unknown: bool,
    /// The API refused a re-sent create: if the lost one did not take effect, this is why the row failed.
    refused: Option<SdkError>,
    last: Option<SdkError>,
}

enum Done {
    Write {
        idx: usize,
        started: Instant,
        result: yeastar_transport::Result<Written>,
    },
    Reconcile {
        batch: Vec<usize>,
        result: yeastar_transport::Result<HashMap<String, Record>>,
    },
    Recorded {
        report: RowReport,
        result: io::Result<()>,
    },
}

impl<A: Adapter> Importer<A> {
    /// An importer of the adapter's product.
    pub fn new(adapter: A) -> Self {
        Self { adapter }
    }

    /// The adapter.
    pub fn adapter(&self) -> &A {
        &self.adapter
    }

    /// The fields of the product's rows.
    pub fn schema(&self) -> &Schema {
        self.adapter.schema()
    }

    /// Reads and checks an input file (see [`parse`]).
    pub fn parse(&self, input: &[u8], format: Format) -> Result<Vec<Row>, Invalid> {
        parse(input, format, self.schema())
    }

    /// Checks rows built in code (see [`check_rows`]).
    pub fn check(&self, rows: Vec<Row>) -> Result<Vec<Row>, Invalid> {
        check_rows(rows, self.schema())
    }

    /// Reads the current state once and classifies every row; every row that cannot be
    /// applied is reported ([`Error::Invalid`]). Nothing is written.
    pub async fn plan(&self, rows: Vec<Row>) -> Result<Plan, Error> {
        match crate::plan::plan(&self.adapter, rows).await {
            Err(e) => Err(Error::Api(e)),
            Ok(Err(invalid)) => Err(Error::Invalid(invalid)),
            Ok(Ok(plan)) => Ok(plan),
        }
    }

    /// Every existing user in the import format: the fields the API returns, by API name,
    /// empty ones left out. Importing them unmodified writes nothing. A key the import's
    /// checks would refuse (an address without a dot in its domain) is exported as the API
    /// gave it, so that a re-import names that user; any other value they would refuse (a user
    /// type the SDK does not know) is left out, so that a re-import leaves it as it is.
    pub async fn export(&self) -> yeastar_transport::Result<Vec<Record>> {
        let schema = *self.schema();
        let records = self.adapter.load().await?;
        Ok(records
            .iter()
            .map(|r| {
                schema
                    .fields
                    .iter()
                    .filter(|f| f.readable())
                    .filter_map(|f| {
                        let raw = r.get(f.name)?;
                        let v = coerce(f, raw).unwrap_or_else(|_| (f.access == Access::Key).then(|| raw.clone()))?;
                        Some((f.name.to_owned(), v))
                    })
                    .collect()
            })
            .collect())
    }

    /// Applies a plan: the creates and updates, paced to the product's rate limit, creates
    /// exactly once, journaled if asked; returns the report of every row. A run that stops
    /// (transport or authentication failure) still returns its report, with
    /// [`Report::stopped`] set and the rows left [`Outcome::Skipped`].
    pub async fn apply(&self, plan: Plan, options: &Options) -> Result<Report, Error> {
        let began = Instant::now();
        let product = plan.product;
        let (journal, prior) = match &options.journal {
            Some(path) => {
                let (j, prior) = Journal::open(path, product).map_err(|source| Error::Journal {
                    path: path.clone(),
                    source,
                })?;
                (Some(j), prior)
            }
            None => (None, HashMap::new()),
        };
        let mut run = Run::new(self, &plan, options, journal.as_ref(), &prior);
        run.go().await;
        let Run {
            reports,
            stop,
            rate_limited,
            tasks,
            ..
        } = run;
        let why = stop
            .as_ref()
            .map_or_else(|| "unknown reason".to_owned(), Stop::to_string);
        let rows: Vec<RowReport> = reports
            .into_iter()
            .zip(&plan.rows)
            .zip(&tasks)
            .map(|((r, p), task)| {
                r.unwrap_or_else(|| {
                    let mut r = report_of(p, Outcome::Skipped);
                    r.error = Some(if task.unknown {
                        format!(
                            "the answer to its create was lost and the run stopped ({why}) before the key \
                             could be looked up: running the import again finds out (it never creates the \
                             user twice)"
                        )
                    } else {
                        format!("not applied: the run stopped ({why})")
                    });
                    r
                })
            })
            .collect();
        let summary = Summary::of(&rows, began.elapsed());
        let report = Report {
            product,
            rows,
            summary,
            notes: plan.notes.clone(),
            stopped: stop,
            rate_limited,
        };
        if let Some(j) = &journal
            && report.complete()
        {
            remove_journal(j.path());
        }
        Ok(report)
    }
}

fn remove_journal(path: &Path) {
    if let Err(e) = std::fs::remove_file(path) {
        tracing::warn!(path = %path.display(), error = %e, "cannot remove the journal of a completed import");
    }
}

/// The report of a planned row before anything happened to it.
fn report_of(p: &PlannedRow, outcome: Outcome) -> RowReport {
    RowReport {
        line: p.line,
        key: p.key.clone(),
        action: p.action,
        outcome,
        request_id: None,
        id: p.id.clone(),
        changes: p.changes.clone(),
        error: None,
        resumed: false,
        reconciled: false,
    }
}

/// Whether an error stops the run rather than failing one row: nothing later can succeed
/// (credentials, configuration, TLS) without a fix.
fn is_fatal(e: &SdkError) -> bool {
    match e {
        SdkError::Auth(_) | SdkError::Config(_) => true,
        SdkError::Transport(t) => matches!(t.kind, TransportErrorKind::Tls),
        SdkError::RetriesExhausted { last, .. } => is_fatal(last),
        _ => false,
    }
}

fn is_rate_limited(e: &SdkError) -> bool {
    e.is_rate_limited() || e.status() == Some(429)
}

/// One run of [`Importer::apply`].
struct Run<'a, A> {
    importer: &'a Importer<A>,
    plan: &'a Plan,
    options: &'a Options,
    journal: Option<&'a Journal>,
    fingerprints: Vec<String>,
    reports: Vec<Option<RowReport>>,
    tasks: Vec<Task>,
    pacer: Pacer,
    ready: VecDeque<usize>,
    delayed: Vec<(Instant, usize)>,
    parked: Vec<usize>,
    reconciling: bool,
    reconcile_failures: u32,
    reconcile_after: Instant,
    stop: Option<Stop>,
    rate_limited: u64,
    inflight: FuturesUnordered<BoxFuture<'a, Done>>,
    /// Rows whose write an earlier run of this import sent (from the journal).
    sent_before: Vec<bool>,
}

impl<'a, A: Adapter> Run<'a, A> {
    fn new(
        importer: &'a Importer<A>,
        plan: &'a Plan,
        options: &'a Options,
        journal: Option<&'a Journal>,
        prior: &Priors,
    ) -> Self {
        let now = Instant::now();
        let n = plan.rows.len();
        let fingerprints: Vec<String> = if journal.is_some() {
            plan.rows.iter().map(|p| fingerprint(&p.row)).collect()
        } else {
            vec![String::new(); n]
        };
        let mut run = Self {
            importer,
            plan,
            options,
            journal,
            reports: vec![None; n],
            tasks: (0..n).map(|_| Task::default()).collect(),
            pacer: Pacer::new(options.concurrency, options.rate, now),
            ready: VecDeque::new(),
            delayed: Vec::new(),
            parked: Vec::new(),
            reconciling: false,
            reconcile_failures: 0,
            reconcile_after: now,
            stop: None,
            rate_limited: 0,
            inflight: FuturesUnordered::new(),
            sent_before: vec![false; n],
            fingerprints,
        };
        run.emit(&Progress::Started {
            rows: n,
            writes: plan.writes(),
        });
        for (i, p) in plan.rows.iter().enumerate() {
            if p.action != Action::Unchanged {
                run.sent_before[i] = prior.contains_key(&(p.row.normalized_key(), run.fingerprints[i].clone()));
                run.ready.push_back(i);
                continue;
            }
            let mut r = report_of(p, Outcome::Unchanged);
            // Unchanged now, but written by an earlier run of this import: say so.
            if let Some(prior) = prior.get(&(p.row.normalized_key(), run.fingerprints[i].clone())) {
                let outcome = match (prior.outcome, prior.action) {
                    (Some(o @ (Outcome::Created | Outcome::Updated)), _) => Some(o),
                    (None, Action::Create) => Some(Outcome::Created),
                    (None, Action::Update) => Some(Outcome::Updated),
                    _ => None,
                };
                if let Some(o) = outcome {
                    r.outcome = o;
                    r.resumed = true;
                    r.reconciled = prior.outcome.is_none();
                    r.request_id = prior.request_id.clone();
                    r.id = r.id.or_else(|| prior.id.clone());
                }
            }
            run.emit(&Progress::Row(&r));
            run.reports[i] = Some(r);
        }
        run
    }

    fn emit(&self, p: &Progress<'_>) {
        if let Some(f) = &self.options.progress {
            f(p);
        }
    }

    fn stop(&mut self, why: Stop) {
        if self.stop.is_none() {
            tracing::warn!(reason = %why, "bulk import stopping");
            self.stop = Some(why);
        }
    }

    async fn go(&mut self) {
        loop {
            let now = Instant::now();
            let mut wake: Option<Instant> = None;
            let mut due = Vec::new();
            self.delayed.retain(|&(t, i)| {
                if t <= now {
                    due.push((t, i));
                    false
                } else {
                    wake = Some(wake.map_or(t, |w| w.min(t)));
                    true
                }
            });
            due.sort();
            self.ready.extend(due.into_iter().map(|(_, i)| i));
            if self.stop.is_none() {
                while let Some(&i) = self.ready.front() {
                    match self.pacer.try_start(now) {
                        Ok(started) => {
                            self.ready.pop_front();
                            self.start_write(i, started);
                        }
                        Err(Wait::Until(t)) => {
                            wake = Some(wake.map_or(t, |w| w.min(t)));
                            break;
                        }
                        Err(Wait::Completion) => break,
                    }
                }
                if !self.parked.is_empty() && !self.reconciling && self.ready.is_empty() && self.delayed.is_empty() {
                    if self.reconcile_after <= now {
                        self.start_reconcile();
                    } else {
                        wake = Some(wake.map_or(self.reconcile_after, |w| w.min(self.reconcile_after)));
                    }
                }
            }
            if self.inflight.is_empty() {
                let idle = self.ready.is_empty() && self.delayed.is_empty() && self.parked.is_empty();
                if self.stop.is_some() || idle {
                    return;
                }
                // Something is waiting, so there is a time to wake up at.
                debug_assert!(wake.is_some(), "nothing in flight and nothing to wake up for");
                if wake.is_none() {
                    return;
                }
            }
            let done = tokio::select! {
                Some(done) = self.inflight.next(), if !self.inflight.is_empty() => Some(done),
                () = sleep_until_opt(wake) => None,
            };
            if let Some(done) = done {
                self.handle(done);
            }
        }
    }

    fn start_write(&mut self, i: usize, started: Instant) {
        let p = &self.plan.rows[i];
        if let Some(j) = self.journal
            && let Err(e) = j.sent(&p.row.normalized_key(), &self.fingerprints[i], p.action)
        {
            self.pacer.done();
            self.ready.push_front(i);
            self.stop(Stop::Journal(e.to_string()));
            return;
        }
        let importer: &'a Importer<A> = self.importer;
        let adapter = &importer.adapter;
        let plan: &'a Plan = self.plan;
        self.inflight.push(Box::pin(async move {
            let p = &plan.rows[i];
            let result = match (&p.action, &p.current) {
                (Action::Update, Some(current)) => adapter.update(&p.row, current, &p.changes).await,
                _ => adapter.create(&p.row).await,
            };
            Done::Write {
                idx: i,
                started,
                result,
            }
        }));
    }

    fn start_reconcile(&mut self) {
        let batch = std::mem::take(&mut self.parked);
        let keys: Vec<String> = batch.iter().map(|&i| self.plan.rows[i].row.normalized_key()).collect();
        self.emit(&Progress::Reconciling { rows: batch.len() });
        self.reconciling = true;
        let importer: &'a Importer<A> = self.importer;
        let adapter = &importer.adapter;
        self.inflight.push(Box::pin(async move {
            let result = adapter.lookup(&keys).await;
            Done::Reconcile { batch, result }
        }));
    }

    /// Reports a finished row once the journal holds it.
    fn finish(&mut self, i: usize, mut report: RowReport, error: Option<&SdkError>) {
        if let Some(e) = error {
            report.error = Some(e.to_string());
            report.request_id = report.request_id.or_else(|| e.request_id().map(str::to_owned));
        }
        match self.journal {
            None => {
                self.emit(&Progress::Row(&report));
                self.reports[i] = Some(report);
            }
            Some(j) => {
                let key = self.plan.rows[i].row.normalized_key();
                let fp = self.fingerprints[i].clone();
                self.inflight.push(Box::pin(async move {
                    let result = j
                        .done(
                            &key,
                            &fp,
                            report.action,
                            report.outcome,
                            report.request_id.as_deref(),
                            report.id.as_deref(),
                        )
                        .await;
                    Done::Recorded { report, result }
                }));
            }
        }
    }

    fn index_of(&self, report: &RowReport) -> Option<usize> {
        self.plan
            .rows
            .iter()
            .position(|p| p.line == report.line && p.key == report.key)
    }

    fn handle(&mut self, done: Done) {
        let now = Instant::now();
        match done {
            Done::Recorded { report, result } => {
                if let Err(e) = result {
                    self.stop(Stop::Journal(e.to_string()));
                }
                if let Some(i) = self.index_of(&report) {
                    self.emit(&Progress::Row(&report));
                    self.reports[i] = Some(report);
                }
            }
            Done::Write { idx, started, result } => self.write_done(idx, started, result, now),
            Done::Reconcile { batch, result } => self.reconcile_done(batch, result, now),
        }
    }

    fn write_done(&mut self, i: usize, started: Instant, result: yeastar_transport::Result<Written>, now: Instant) {
        let p = &self.plan.rows[i];
        let create = p.action == Action::Create;
        let e = match result {
            Ok(w) => {
                self.pacer.succeeded();
                let mut r = report_of(p, if create { Outcome::Created } else { Outcome::Updated });
                r.request_id = w.request_id;
                r.id = w.id.or(r.id);
                self.finish(i, r, None);
                return;
            }
            Err(e) => e,
        };
        if is_rate_limited(&e) {
            self.rate_limited += 1;
            let retry_after = e.api_error().and_then(|a| a.retry_after);
            if retry_after.is_some_and(|ra| ra > self.options.max_rate_limit_wait) {
                self.pacer.done();
                self.ready.push_front(i);
                self.stop(Stop::RateLimitWait(retry_after.unwrap_or_default()));
                return;
            }
            let wait = self.pacer.rate_limited(started, retry_after, now);
            self.emit(&Progress::RateLimited {
                wait,
                concurrency: self.pacer.concurrency(),
            });
            // Not applied (the answer says so): first in line once the pause is over.
            self.ready.push_front(i);
            return;
        }
        self.pacer.done();
        let task = &mut self.tasks[i];
        if create && e.outcome_unknown() {
            // The create may have taken effect: look the key up before anything is re-sent.
            task.unknown = true;
            task.last = Some(e);
            self.parked.push(i);
        } else if is_fatal(&e) {
            self.ready.push_front(i);
            self.stop(Stop::Failure(e));
        } else if e.is_retryable() || e.outcome_unknown() || matches!(e, SdkError::Timeout { .. }) {
            // A call out of time was not refused by the API (a create that may have been sent
            // comes back as outcome-unknown, handled above): try again, then stop the run.
            task.attempts += 1;
            if task.attempts >= self.options.max_attempts {
                self.ready.push_front(i);
                self.stop(Stop::Failure(e));
            } else {
                let wait = self.options.retry_wait(task.attempts);
                task.last = Some(e);
                self.delayed.push((now + wait, i));
            }
        } else if create && (task.unknown || self.sent_before[i]) {
            // A create refused ("already exists"?) after an earlier one of this row, lost or
            // sent by a run that was stopped, may have taken effect: did it?
            task.refused = Some(e);
            self.parked.push(i);
        } else {
            let r = report_of(p, Outcome::Failed);
            self.finish(i, r, Some(&e));
        }
    }

    fn reconcile_done(
        &mut self,
        batch: Vec<usize>,
        result: yeastar_transport::Result<HashMap<String, Record>>,
        now: Instant,
    ) {
        self.reconciling = false;
        let found = match result {
            Ok(found) => {
                self.reconcile_failures = 0;
                found
            }
            Err(e) => {
                self.parked.extend(batch);
                self.reconcile_failures += 1;
                if is_fatal(&e) || self.reconcile_failures >= self.options.max_attempts {
                    self.stop(Stop::Failure(e));
                } else {
                    self.reconcile_after = now + self.options.retry_wait(self.reconcile_failures);
                }
                return;
            }
        };
        for i in batch {
            let p = &self.plan.rows[i];
            match found.get(&p.row.normalized_key()) {
                Some(record) => {
                    let mut r = report_of(p, Outcome::Created);
                    r.id = self.importer.adapter.id_of(record).or(r.id);
                    r.reconciled = true;
                    // Created by the earlier, stopped run rather than by this one.
                    r.resumed = self.sent_before[i] && !self.tasks[i].unknown;
                    self.finish(i, r, None);
                }
                None => {
                    let task = &mut self.tasks[i];
                    if let Some(e) = task.refused.take() {
                        let r = report_of(p, Outcome::Failed);
                        self.finish(i, r, Some(&e));
                        continue;
                    }
                    // Not applied: the create is sent again.
                    task.attempts += 1;
                    if task.attempts >= self.options.max_attempts {
                        let e = task.last.clone().unwrap_or_else(|| SdkError::Paging {
                            product: self.plan.product,
                            message: "a create's answer was lost on every attempt".into(),
                        });
                        self.ready.push_front(i);
                        self.stop(Stop::Failure(e));
                    } else {
                        self.ready.push_back(i);
                    }
                }
            }
        }
    }
}

async fn sleep_until_opt(t: Option<Instant>) {
    match t {
        Some(t) => tokio::time::sleep_until(t).await,
        None => std::future::pending().await,
    }
}
