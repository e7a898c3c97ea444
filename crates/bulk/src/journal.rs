//! The journal: an append-only JSON Lines file of the writes of a run, so that the report of a
//! run started again after a stop (even `kill -9`) covers every row.
//!
//! Correctness does not rest on it: a run started again plans against the current state, so
//! whatever was applied is not applied twice. The journal tells which of the rows the plan now
//! finds unchanged were written by the earlier run (and with which request id).
//!
//! Records: a header `{"journal":"yeastar-bulk","version":1,"product":"ycm"}`, then per write
//! `{"event":"sent","key":…,"row":…,"action":"create"}` before the request leaves and
//! `{"event":"done","key":…,"row":…,"action":…,"outcome":"created","requestId":…,"id":…}`
//! when it completed. `row` is a fingerprint of the row's fields (SHA-256), so that an edited
//! row is not taken for the one journaled. Records are written with one `write` each and the
//! `done` records are made durable (`fdatasync`, grouped across concurrent rows) before the
//! row is reported; a torn last line is skipped when the journal is read.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use yeastar_transport::Product;

use crate::input::Row;
use crate::plan::Action;
use crate::report::Outcome;

const NAME: &str = "yeastar-bulk";
const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    journal: String,
    version: u32,
    product: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Event {
    Sent,
    Done,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    event: Event,
    key: String,
    row: String,
    action: Action,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outcome: Option<Outcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
}

/// What an earlier run did to a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Prior {
    /// The write that was sent.
    pub(crate) action: Action,
    /// Its outcome, when the earlier run learned it (`None`: sent, then the run stopped).
    pub(crate) outcome: Option<Outcome>,
    pub(crate) request_id: Option<String>,
    pub(crate) id: Option<String>,
}

/// What earlier runs did, by (normalised key, row fingerprint).
pub(crate) type Priors = HashMap<(String, String), Prior>;

/// The fingerprint of a row: its key and fields (in the API's names; serde_json's maps are
/// ordered, so the text is canonical).
pub(crate) fn fingerprint(row: &Row) -> String {
    let mut h = Sha256::new();
    h.update(row.normalized_key().as_bytes());
    h.update(b"\n");
    h.update(serde_json::to_string(&row.fields).unwrap_or_default().as_bytes());
    h.finalize()[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// An open journal.
#[derive(Debug)]
pub(crate) struct Journal {
    path: PathBuf,
    file: Arc<File>,
    write_lock: Mutex<()>,
    written: AtomicU64,
    synced: tokio::sync::Mutex<u64>,
}

impl Journal {
    /// Opens (or creates) the journal at `path` for `product`, and reads what earlier runs did.
    pub(crate) fn open(path: &Path, product: Product) -> io::Result<(Self, Priors)> {
        let mut file = OpenOptions::new().read(true).append(true).create(true).open(path)?;
        let mut text = Vec::new();
        file.read_to_end(&mut text)?;
        let mut prior = HashMap::new();
        let mut lines = text.split(|b| *b == b'\n').filter(|l| !l.is_empty());
        let fresh = text.is_empty();
        if !fresh {
            let header = lines
                .next()
                .and_then(|l| serde_json::from_slice::<Header>(l).ok())
                .filter(|h| h.journal == NAME);
            match header {
                None => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("{} is not a yeastar-bulk journal", path.display()),
                    ));
                }
                Some(h) if h.version != VERSION || h.product != product.as_str() => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "{} is the journal of a {} import (version {}), not of this {} import",
                            path.display(),
                            h.product,
                            h.version,
                            product.as_str()
                        ),
                    ));
                }
                Some(_) => {}
            }
            for line in lines {
                // A line torn by a kill, or anything unreadable, is skipped.
                let Ok(e) = serde_json::from_slice::<Entry>(line) else {
                    continue;
                };
                let slot = prior.entry((e.key, e.row)).or_insert(Prior {
                    action: e.action,
                    outcome: None,
                    request_id: None,
                    id: None,
                });
                slot.action = e.action;
                match e.event {
                    Event::Sent => {
                        // A later send of the same row: its earlier outcome no longer says what happened last.
                        slot.outcome = None;
                        slot.request_id = None;
                    }
                    Event::Done => {
                        slot.outcome = e.outcome;
                        slot.request_id = e.request_id;
                        slot.id = e.id.or(slot.id.take());
                    }
                }
            }
        }
        let journal = Self {
            path: path.to_owned(),
            file: Arc::new(file),
            write_lock: Mutex::new(()),
            written: AtomicU64::new(0),
            synced: tokio::sync::Mutex::new(0),
        };
        if fresh {
            let header = Header {
                journal: NAME.into(),
                version: VERSION,
                product: product.as_str().into(),
            };
            journal.append_line(serde_json::to_vec(&header)?)?;
            journal.file.sync_all()?;
            // The new file's directory entry must survive a crash too.
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
                && let Ok(d) = File::open(dir)
            {
                let _ = d.sync_all();
            }
        } else if !text.ends_with(b"\n") {
            // A torn last line: end it, so that the next record starts on a line of its own.
            journal.append_line(Vec::new())?;
        }
        Ok((journal, prior))
    }

    /// The journal's path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    fn append_line(&self, mut line: Vec<u8>) -> io::Result<()> {
        line.push(b'\n');
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        (&*self.file).write_all(&line)?;
        self.written.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    /// Records that a write of `row` is about to be sent (not waited to be durable).
    pub(crate) fn sent(&self, key: &str, row: &str, action: Action) -> io::Result<()> {
        self.append(&Entry {
            event: Event::Sent,
            key: key.to_owned(),
            row: row.to_owned(),
            action,
            outcome: None,
            request_id: None,
            id: None,
        })
    }

    /// Records a completed write and waits until it is durable.
    pub(crate) async fn done(
        &self,
        key: &str,
        row: &str,
        action: Action,
        outcome: Outcome,
        request_id: Option<&str>,
        id: Option<&str>,
    ) -> io::Result<()> {
        self.append(&Entry {
            event: Event::Done,
            key: key.to_owned(),
            row: row.to_owned(),
            action,
            outcome: Some(outcome),
            request_id: request_id.map(str::to_owned),
            id: id.map(str::to_owned),
        })?;
        self.sync().await
    }

    fn append(&self, entry: &Entry) -> io::Result<()> {
        self.append_line(serde_json::to_vec(entry)?)
    }

    /// Makes every record written so far durable; concurrent callers share one `fdatasync`.
    async fn sync(&self) -> io::Result<()> {
        let wanted = self.written.load(Ordering::SeqCst);
        let mut synced = self.synced.lock().await;
        if *synced >= wanted {
            return Ok(());
        }
        let covered = self.written.load(Ordering::SeqCst);
        let file = self.file.clone();
        tokio::task::spawn_blocking(move || file.sync_data())
            .await
            .map_err(io::Error::other)??;
        *synced = covered;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(key: &str, name: &str) -> Row {
        let mut r = Row::new(2, json!({"email": key, "firstName": name}).as_object().unwrap().clone());
        r.key = key.to_owned();
        r
    }

    fn temp(name: &str) -> PathBuf {
        let p = std::env::temp_dir().join(format!("yeastar-bulk-journal-{name}-{}", std::process::id()));
        let _ = std::fs::remove_file(&p);
        p
    }

    #[tokio::test]
    async fn earlier_runs_are_read_back_and_torn_lines_skipped() {
        let path = temp("read-back");
        let (a, b) = (row("ada@example.com", "Ada"), row("bob@example.com", "Bob"));
        let (fa, fb) = (fingerprint(&a), fingerprint(&b));
        {
            let (j, prior) = Journal::open(&path, Product::Ycm).unwrap();
            assert!(prior.is_empty());
            j.sent("ada@example.com", &fa, Action::Create).unwrap();
            j.done(
                "ada@example.com",
                &fa,
                Action::Create,
                Outcome::Created,
                Some("r1"),
                Some("13400"),
            )
            .await
            .unwrap();
            j.sent("bob@example.com", &fb, Action::Update).unwrap();
        }
        // A kill in the middle of a record.
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"{\"event\":\"done\",\"key\":\"bob@exa").unwrap();
        drop(f);
        let (j, prior) = Journal::open(&path, Product::Ycm).unwrap();
        assert_eq!(
            prior[&("ada@example.com".to_owned(), fa.clone())],
            Prior {
                action: Action::Create,
                outcome: Some(Outcome::Created),
                request_id: Some("r1".into()),
                id: Some("13400".into())
            }
        );
        assert_eq!(prior[&("bob@example.com".to_owned(), fb.clone())].outcome, None);
        // The torn line was ended: the next record is readable.
        j.done("bob@example.com", &fb, Action::Update, Outcome::Updated, None, None)
            .await
            .unwrap();
        drop(j);
        let (_, prior) = Journal::open(&path, Product::Ycm).unwrap();
        assert_eq!(
            prior[&("bob@example.com".to_owned(), fb)].outcome,
            Some(Outcome::Updated)
        );
        // Another product's import refuses the journal.
        let err = Journal::open(&path, Product::Workplace).unwrap_err();
        assert!(err.to_string().contains("journal of a ycm import"), "{err}");
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn an_edited_row_has_another_fingerprint() {
        assert_eq!(
            fingerprint(&row("a@b.example", "A")),
            fingerprint(&row("a@b.example", "A"))
        );
        assert_ne!(
            fingerprint(&row("a@b.example", "A")),
            fingerprint(&row("a@b.example", "B"))
        );
    }
}
