//! Scrubbing secrets out of server-chosen text.
//!
//! Servers echo what they were sent: Spring answers `Invalid access token: <token>`, some OAuth
//! servers quote the client secret. Every error built from a response passes through
//! [`Scrubber::scrub`] before it is logged or returned, with the client secret and the access
//! and refresh tokens this client has used.

use std::sync::RwLock;

use crate::secret::Secret;

/// What replaces a secret.
pub(crate) const REDACTED: &str = "[redacted]";

/// Secrets shorter than this are not searched for: a one-letter "secret" would redact every
/// occurrence of that letter in an error message.
const MIN_SECRET_CHARS: usize = 4;

/// How many access and refresh tokens are remembered (current and previous ones, since a late
/// answer may echo a token that was replaced meanwhile).
const MAX_TOKENS: usize = 8;

/// The secrets a client knows, in the forms a server may echo them: as sent, JSON-escaped and
/// percent-encoded (form bodies).
#[derive(Default)]
pub(crate) struct Scrubber {
    fixed: Vec<String>,
    tokens: RwLock<Vec<Vec<String>>>,
}

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Scrubber")
    }
}

fn variants(secret: &str) -> impl Iterator<Item = String> {
    let json = serde_json::to_string(secret).unwrap_or_default();
    let json = json.trim_matches('"').to_owned();
    // Some encoders (PHP, Java) also escape `/` in JSON strings.
    let json_slash = json.replace('/', "\\/");
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let mut out = vec![secret.to_owned()];
    for v in [json, json_slash, form] {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out.into_iter().filter(|v| v.chars().count() >= MIN_SECRET_CHARS)
}

impl Scrubber {
    /// A scrubber for the client secret (or static token) a client was built with.
    pub(crate) fn new(fixed: Option<&Secret>) -> Self {
        Self {
            fixed: fixed.map(|s| variants(s.expose()).collect()).unwrap_or_default(),
            tokens: RwLock::new(Vec::new()),
        }
    }

    /// Remembers a token this client sent or received.
    pub(crate) fn add_token(&self, token: &Secret) {
        let forms: Vec<String> = variants(token.expose()).collect();
        if forms.is_empty() {
            return;
        }
        let mut tokens = self.tokens.write().unwrap_or_else(|p| p.into_inner());
        tokens.retain(|t| *t != forms);
        tokens.push(forms);
        if tokens.len() > MAX_TOKENS {
            let excess = tokens.len() - MAX_TOKENS;
            tokens.drain(..excess);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.fixed.is_empty() && self.tokens.read().map(|t| t.is_empty()).unwrap_or(false)
    }

    fn each(&self, f: &mut dyn FnMut(&str)) {
        self.fixed.iter().for_each(|s| f(s));
        let tokens = self.tokens.read().unwrap_or_else(|p| p.into_inner());
        tokens.iter().flatten().for_each(|s| f(s));
    }

    /// Replaces every known secret in `text`. A text cut short (ending with `…`, as long server
    /// strings are) is also cleared of a secret's beginning at its end.
    pub(crate) fn scrub(&self, text: &mut String) {
        let mut out: Option<String> = None;
        self.each(&mut |secret| {
            let cur = out.as_deref().unwrap_or(text);
            if cur.contains(secret) {
                out = Some(cur.replace(secret, REDACTED));
            }
        });
        if let Some(o) = out {
            *text = o;
        }
        if let Some(cut) = text.strip_suffix('…') {
            let mut keep = cut.len();
            self.each(&mut |secret| {
                // The longest beginning of the secret (at least MIN_SECRET_CHARS) ending the text.
                for (end, _) in secret
                    .char_indices()
                    .skip(MIN_SECRET_CHARS)
                    .chain([(secret.len(), ' ')])
                {
                    if cut.ends_with(&secret[..end]) {
                        keep = keep.min(cut.len() - end);
                    }
                }
            });
            if keep < cut.len() {
                let mut t = cut[..keep].to_owned();
                t.push_str(REDACTED);
                t.push('…');
                *text = t;
            }
        }
    }

    /// Scrubs every string (keys included) of a JSON value.
    pub(crate) fn scrub_json(&self, value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(s) => self.scrub(s),
            serde_json::Value::Array(a) => a.iter_mut().for_each(|v| self.scrub_json(v)),
            serde_json::Value::Object(m) => {
                let entries = std::mem::take(m);
                for (mut k, mut v) in entries {
                    self.scrub(&mut k);
                    self.scrub_json(&mut v);
                    m.insert(k, v);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubber() -> Scrubber {
        let s = Scrubber::new(Some(&Secret::new("s3cr3t+/x")));
        s.add_token(&Secret::new("eyJhbGciOiJIUzI1NiJ9.access"));
        s
    }

    #[test]
    fn every_form_of_a_secret_is_replaced() {
        let s = scrubber();
        for (input, want) in [
            (
                "Bad client credentials: s3cr3t+/x",
                "Bad client credentials: [redacted]",
            ),
            ("secret=s3cr3t%2B%2Fx", "secret=[redacted]"),
            (r#"{"s":"s3cr3t+\/x"}"#, r#"{"s":"[redacted]"}"#),
            (
                "Invalid access token: eyJhbGciOiJIUzI1NiJ9.access!",
                "Invalid access token: [redacted]!",
            ),
        ] {
            let mut t = input.to_owned();
            s.scrub(&mut t);
            assert_eq!(t, want);
        }
    }

    #[test]
    fn a_secret_cut_at_the_end_of_a_truncated_text_is_replaced() {
        let s = scrubber();
        let mut t = "Invalid access token: eyJhbGciOiJI…".to_owned();
        s.scrub(&mut t);
        assert_eq!(t, "Invalid access token: [redacted]…");
        // Not truncated: a word that merely starts like a secret stays.
        let mut t = "see s3cr".to_owned();
        s.scrub(&mut t);
        assert_eq!(t, "see s3cr");
    }

    #[test]
    fn json_keys_and_values_are_scrubbed() {
        let s = scrubber();
        let mut v = serde_json::json!({"s3cr3t+/x": ["x s3cr3t+/x", 1], "n": {"t": "eyJhbGciOiJIUzI1NiJ9.access"}});
        s.scrub_json(&mut v);
        assert_eq!(
            v,
            serde_json::json!({"[redacted]": ["x [redacted]", 1], "n": {"t": "[redacted]"}})
        );
    }

    #[test]
    fn only_the_newest_tokens_are_kept() {
        let s = Scrubber::new(None);
        for i in 0..20 {
            s.add_token(&Secret::new(format!("token-{i:02}")));
        }
        let mut t = "token-19 token-12 token-00".to_owned();
        s.scrub(&mut t);
        assert_eq!(t, "[redacted] [redacted] token-00");
    }
}
