//! `yeastar <product> user import FILE` and `yeastar <product> user export [FILE]`: a thin
//! layer over `yeastar-bulk` (validate → plan → apply → report). The product modules pass
//! their schema and a way to connect; everything else is here.
//!
//! What goes where: the plan (`--dry-run`) or the report (`--report -`) on stdout and nothing
//! else; the progress bar (on a terminal only), notes, failed rows and the one-line summary on
//! stderr.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use yeastar_bulk::{
    Adapter, Error as BulkError, Format, Importer, Invalid, Options, Outcome, Progress, Report, Schema, Stop,
};

use super::{Cause, CliError, CliResult, Connection, EXIT_API, EXIT_TRANSPORT};
use crate::cli::{ExportArgs, ImportArgs};
use crate::output::write_stdout;
use crate::term;
use crate::token_cache::{file_key, normalize_url, trusted_cache_dir};

/// The name of stdin and stdout on the command line.
const STDIO: &str = "-";

/// Failed rows listed on stderr (the report has them all).
const FAILED_SHOWN: usize = 20;

/// `yeastar <product> user import FILE …`. The file is read and every row checked against
/// `schema` before `connect` is called: an invalid file costs no request at all.
pub(crate) async fn import<A: Adapter>(
    schema: &Schema,
    args: ImportArgs,
    connect: impl FnOnce() -> CliResult<(Connection, A)>,
) -> CliResult {
    let format = input_format(&args.file, args.format.as_deref())?;
    let input = read_input(&args.file)?;
    let rows = yeastar_bulk::parse(&input, format, schema).map_err(invalid)?;
    let (conn, adapter) = connect()?;
    let importer = Importer::new(adapter);
    let plan = importer.plan(rows).await.map_err(bulk_error)?;
    if args.dry_run {
        let text = serde_json::to_string_pretty(&plan)
            .map_err(|e| CliError::new(EXIT_API, format!("cannot write the plan: {e}")))?;
        return write_stdout(&format!("{text}\n"));
    }
    // The report's file is made now: a path that cannot be written is found before any write
    // is sent, not after them all.
    let report_out = args.report.as_deref().map(ReportOut::open).transpose()?;
    let journal = match args.journal {
        Some(path) => Some(path),
        None => default_journal(schema, &conn, &args.file, &input),
    };
    let mut options = Options::new().concurrency(usize::from(args.concurrency));
    if let Some(rate) = args.rate {
        options = options.rate(rate);
    }
    if let Some(path) = &journal {
        options = options.journal(path);
    }
    let bar = progress_bar();
    if let Some(bar) = bar.clone() {
        options = options.on_progress(move |p| match p {
            Progress::Started { rows, .. } => {
                bar.set_length(*rows as u64);
                bar.tick();
            }
            Progress::Row(_) => bar.inc(1),
            Progress::RateLimited { wait, concurrency } => bar.set_message(format!(
                "rate limited: pausing {:.1} s, then {concurrency} at a time",
                wait.as_secs_f64()
            )),
            Progress::Reconciling { rows } => {
                bar.set_message(format!("looking up {rows} creates whose answer was lost"));
            }
            _ => {}
        });
    }
    let report = importer.apply(plan, &options).await.map_err(bulk_error);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = report?;
    // The summary and the exit code come first; a report that fails to write (a full disk) is
    // said after them and cannot hide them.
    let written = report_out.map(|out| out.write(&report));
    match (summarize(&report, journal.as_deref()), written) {
        (Err(e), Some(Err(report_error))) => {
            term::warn(report_error);
            Err(e)
        }
        (Ok(()), Some(Err(report_error))) => Err(report_error),
        (summary, _) => summary,
    }
}

/// `yeastar <product> user export [FILE]`: every user in the import format.
pub(crate) async fn export<A: Adapter>(
    args: ExportArgs,
    connect: impl FnOnce() -> CliResult<(Connection, A)>,
) -> CliResult {
    let file = args.file.filter(|f| f.as_os_str() != STDIO);
    let format = match args.format.as_deref() {
        Some(f) => f.parse::<Format>().map_err(CliError::usage)?,
        None => file.as_deref().and_then(Format::from_path).unwrap_or(Format::Csv),
    };
    let (_, adapter) = connect()?;
    let importer = Importer::new(adapter);
    // Reading every user can take many pages: a spinner on a terminal's stderr meanwhile.
    let records = crate::progress::spin("reading every user".to_owned(), importer.export()).await?;
    let mut text = Vec::new();
    yeastar_bulk::write_records(&mut text, format, &importer.schema().export_columns(), &records)?;
    match &file {
        None => write_stdout(&String::from_utf8_lossy(&text)),
        Some(path) => {
            std::fs::write(path, &text)
                .map_err(|e| CliError::new(EXIT_API, format!("cannot write {}: {e}", path.display())))?;
            term::note(format_args!("exported {} users to {}", records.len(), path.display()));
            Ok(())
        }
    }
}

/// The input's format: `--format`, else the file's extension.
fn input_format(file: &Path, given: Option<&str>) -> CliResult<Format> {
    if let Some(f) = given {
        return f.parse().map_err(CliError::usage);
    }
    Format::from_path(file).ok_or_else(|| {
        let what = if file.as_os_str() == STDIO {
            "standard input".to_owned()
        } else {
            file.display().to_string()
        };
        CliError::usage(format!("cannot tell the format of {what} from its name"))
            .with_hint("give --format csv or --format jsonl")
    })
}

fn read_input(file: &Path) -> CliResult<Vec<u8>> {
    let mut input = Vec::new();
    let read = if file.as_os_str() == STDIO {
        io::stdin().lock().read_to_end(&mut input).map(drop)
    } else {
        File::open(file).and_then(|mut f| f.read_to_end(&mut input)).map(drop)
    };
    read.map_err(|e| CliError::usage(format!("cannot read {}: {e}", file.display())))?;
    Ok(input)
}

/// Every problem on its own line, then the error (exit 2).
fn invalid(e: Invalid) -> CliError {
    for p in &e.problems {
        term::note(format_args!("  {p}"));
    }
    let rows = e.rows();
    CliError::usage(format!(
        "invalid input, nothing was written: {} problem{} in {rows} row{} (listed above)",
        e.problems.len(),
        if e.problems.len() == 1 { "" } else { "s" },
        if rows == 1 { "" } else { "s" },
    ))
    .with_hint("fix those rows and run the same command again; --dry-run checks a file without writing")
}

fn bulk_error(e: BulkError) -> CliError {
    match e {
        BulkError::Invalid(i) => invalid(i),
        BulkError::Api(e) => {
            let mut err = CliError::from(e);
            err.message = format!("cannot read the current users, nothing was written: {}", err.message);
            err
        }
        BulkError::Journal { path, source } => CliError::usage(format!("journal {}: {source}", path.display()))
            .with_hint("give another --journal PATH, or remove that file if it is not needed"),
        other => CliError::new(EXIT_API, other.to_string()),
    }
}

/// The journal of this input and tenant in the cache directory: `bulk-<product>-<key>.journal`,
/// the key hashing the product, base URL, client id and the input (the file's absolute path,
/// or the content of stdin), so that running the same command again finds it.
fn default_journal(schema: &Schema, conn: &Connection, file: &Path, input: &[u8]) -> Option<PathBuf> {
    let dir = trusted_cache_dir()?;
    let source = if file.as_os_str() == STDIO {
        format!("stdin {}", file_key(&String::from_utf8_lossy(input)))
    } else {
        let path = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_owned());
        format!("file {}", path.display())
    };
    let product = schema.product.as_str();
    let key = file_key(&format!(
        "{product}\n{}\n{}\n{source}",
        normalize_url(&conn.base_url),
        conn.client_id.as_deref().unwrap_or("")
    ));
    Some(dir.join(format!("bulk-{product}-{key}.journal")))
}

/// A bar on stderr when it is a terminal: rows done/total, rate, ETA.
fn progress_bar() -> Option<ProgressBar> {
    if !term::stderr_is_terminal() {
        return None;
    }
    let style = ProgressStyle::with_template("{bar:30} {pos}/{len} rows, {per_sec}, ETA {eta} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    Some(ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr()).with_style(style))
}

/// `--report PATH`: JSON Lines, CSV when PATH ends in `.csv`, stdout for `-`.
struct ReportOut {
    format: Format,
    /// `None` for stdout.
    file: Option<(File, std::path::PathBuf)>,
}

impl ReportOut {
    /// Creates the report's file (a usage error, exit 2, when it cannot be).
    fn open(dest: &Path) -> CliResult<Self> {
        let format = match dest.extension() {
            Some(ext) if ext.eq_ignore_ascii_case("csv") => Format::Csv,
            _ => Format::Jsonl,
        };
        if dest.as_os_str() == STDIO {
            return Ok(Self { format, file: None });
        }
        // Opened, not truncated: a run that ends before its report leaves the last one as it was.
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(dest)
            .map_err(|e| CliError::usage(format!("cannot write the report {}: {e}", dest.display())))?;
        Ok(Self {
            format,
            file: Some((file, dest.to_path_buf())),
        })
    }

    fn write(self, report: &Report) -> CliResult {
        let Some((file, path)) = self.file else {
            let mut text = Vec::new();
            report.write(&mut text, self.format)?;
            return write_stdout(&String::from_utf8_lossy(&text));
        };
        let truncated = file.set_len(0).map_err(CliError::from);
        let mut out = BufWriter::new(file);
        truncated
            .and_then(|()| report.write(&mut out, self.format).map_err(CliError::from))
            .and_then(|()| out.flush().map_err(CliError::from))
            .map_err(|e| CliError::new(EXIT_API, format!("cannot write the report {}: {e}", path.display())))
    }
}

/// The notes, the failed rows and the one-line summary on stderr; the exit code.
fn summarize(report: &Report, journal: Option<&Path>) -> CliResult {
    for note in &report.notes {
        term::note(format_args!("note: {note}"));
    }
    let failed: Vec<_> = report.rows.iter().filter(|r| r.outcome == Outcome::Failed).collect();
    for r in failed.iter().take(FAILED_SHOWN) {
        term::note(format_args!(
            "line {} ({}): failed: {}",
            r.line,
            r.key,
            r.error.as_deref().unwrap_or("no error given")
        ));
    }
    if failed.len() > FAILED_SHOWN {
        term::note(format_args!(
            "… and {} more failed rows (--report lists every row)",
            failed.len() - FAILED_SHOWN
        ));
    }
    term::note(report.summary);
    if let Some(stop) = &report.stopped {
        let resume = match journal {
            Some(j) => format!("run the same command again to resume (journal {})", j.display()),
            None => "run the same command again to resume".to_owned(),
        };
        let mut e = match stop {
            Stop::Failure(e) => CliError::from(e.clone()),
            other => CliError::new(EXIT_TRANSPORT, other.to_string()),
        };
        e.code = EXIT_TRANSPORT;
        e.message = format!(
            "the import stopped before every row was done: {}; nothing was sent twice, {resume}",
            e.message
        );
        // An authentication or network failure gets its own hint (Ctx::explain).
        if e.cause == Cause::Other {
            e.hint = Some("fix the cause, then run the same command again: it picks up where this run stopped".into());
        }
        return Err(e);
    }
    if !failed.is_empty() {
        return Err(CliError::new(
            EXIT_API,
            format!(
                "{} row{} refused by the API (listed above); the other rows were applied",
                failed.len(),
                if failed.len() == 1 { " was" } else { "s were" }
            ),
        )
        .with_hint("fix those rows and run the same command again: rows already done are left unchanged"));
    }
    Ok(())
}
