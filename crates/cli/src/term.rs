//! What the CLI prints on stderr: errors, hints and warnings, coloured only on a terminal (and
//! never with `NO_COLOR` set: `anstream` decides), and server-chosen text made harmless.

use std::fmt::Display;
use std::io::{IsTerminal, Write};

use anstyle::{AnsiColor, Style};

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const HINT: Style = AnsiColor::Cyan.on_default().bold();

/// `text` without terminal escape sequences (CSI, OSC, …) and control characters, so that a
/// server's error message cannot clear the screen, retitle the window or fake lines. Line
/// breaks and tabs become spaces.
pub(crate) fn sanitize(text: &str) -> String {
    anstream::adapter::strip_str(text)
        .to_string()
        .chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// `text` for a terminal's stdout: without escape sequences and control characters, as
/// [`sanitize`], but with its line breaks and tabs (rows, records and table lines). Each line
/// is stripped on its own, so that a sequence left open (an OSC without its terminator) cannot
/// swallow the lines after it.
pub(crate) fn sanitize_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            anstream::adapter::strip_str(line)
                .to_string()
                .chars()
                .filter(|c| *c == '\t' || !c.is_control())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes `label: message` (and `hint: …` on the next line) to stderr.
fn emit(label: &str, style: Style, message: &str, hint: Option<&str>) {
    let mut err = anstream::stderr().lock();
    let _ = writeln!(err, "{style}{label}:{style:#} {}", sanitize(message));
    if let Some(hint) = hint {
        let _ = writeln!(err, "{HINT}hint:{HINT:#} {}", sanitize(hint));
    }
}

/// `error: …` and, where there is something to do about it, `hint: …`.
pub(crate) fn error(message: &str, hint: Option<&str>) {
    emit("error", ERROR, message, hint);
}

/// `warning: …` on stderr.
pub(crate) fn warn(message: impl Display) {
    emit("warning", WARNING, &message.to_string(), None);
}

/// A plain note on stderr (what a command did, when stdout is kept for data).
pub(crate) fn note(message: impl Display) {
    let _ = writeln!(anstream::stderr().lock(), "{}", sanitize(&message.to_string()));
}

/// Whether stdin is a terminal (prompts are allowed).
pub(crate) fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

/// Whether stdout is a terminal (tables by default).
pub(crate) fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Whether stderr is a terminal (progress bars).
pub(crate) fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_control_characters_are_removed() {
        assert_eq!(sanitize("a\x1b[2Jb"), "ab");
        assert_eq!(sanitize("x\x1b]0;title\x07y"), "xy");
        assert_eq!(sanitize("bell\x07 nul\0 del\x7f"), "bell nul del");
        assert_eq!(sanitize("two\nlines\r\tend"), "two lines  end");
        assert_eq!(sanitize("plain, ünïcode"), "plain, ünïcode");
    }
}
