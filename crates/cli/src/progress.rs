//! Reading every page of a list, with progress on stderr when stderr is a terminal and more than
//! one page is read.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use yeastar_transport::Pages;

use crate::term;

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
        if bar.is_none() && (more_known || pages_read >= 2) && term::stderr_is_terminal() {
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
