//! Progress on stderr, only when stderr is a terminal and not in CI: reading every page of a
//! list (when more than one page is read), and a spinner while waiting.

use std::future::Future;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use yeastar_transport::Pages;

use crate::term;

/// Whether progress may be drawn: stderr is a terminal, and `CI` is unset (CI runners that
/// give a terminal would log every frame).
fn enabled() -> bool {
    term::stderr_is_terminal() && std::env::var_os("CI").is_none()
}

/// Awaits `work` with a spinner saying `message` (and the time elapsed) on stderr, cleared
/// when done; nothing is drawn where progress is not [`enabled`].
pub(crate) async fn spin<F: Future>(message: String, work: F) -> F::Output {
    let spinner = enabled().then(|| {
        let s = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        s.set_message(message);
        // Ticked from indicatif's own thread: the wait sleeps in between.
        s.enable_steady_tick(Duration::from_millis(120));
        s
    });
    let output = work.await;
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    output
}

/// Every item of every page. `what` names the items (`users`, `groups`, …).
pub(crate) async fn collect<T: Send + 'static>(mut pages: Pages<T>, what: &str) -> yeastar_transport::Result<Vec<T>> {
    let mut all = Vec::new();
    let mut bar: Option<ProgressBar> = None;
    let mut pages_read = 0u64;
    let result = loop {
        let page = match pages.next().await {
            None => break Ok(()),
            Some(Err(e)) => break Err(e),
            Some(Ok(p)) => p,
        };
        pages_read += 1;
        all.extend(page.items);
        let seen = all.len() as u64;
        // After the first page, a bar if the server says more are coming; without a total, a
        // spinner from the second page on.
        let more_known = page.total.is_some_and(|t| t > seen) || page.total_pages.is_some_and(|n| n > pages_read);
        if bar.is_none() && (more_known || pages_read >= 2) && enabled() {
            bar = Some(new_bar(page.total, what));
        }
        if let Some(b) = &bar {
            if let Some(t) = page.total {
                b.set_length(t.max(seen));
            }
            b.set_position(seen);
        }
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    result.map(|()| all)
}

fn new_bar(total: Option<u64>, what: &str) -> ProgressBar {
    let bar = match total {
        Some(t) => ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template("reading {msg}: {bar:30} {pos}/{len}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template("{spinner} reading {msg}: {pos}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.set_message(what.to_owned());
    bar.tick();
    bar
}
