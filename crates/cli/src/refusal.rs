//! Refused secrets, remembered across runs: a cron job with a wrong secret must not send it on
//! every run (YCM blocks an IP after a few failed authentications).
//!
//! - One record per product, base URL and client id, in the token cache directory:
//!   `<product>-<key>.refused`, mode 0600, holding a keyed fingerprint of the refused secret
//!   (HMAC-SHA256 with a random key created once, `fingerprint.key`, mode 0600), never the
//!   secret, and until when it stays refused ([`REMEMBER_FOR`]).
//! - Before a token is requested, a record for the same secret that has not run out stops the
//!   run (exit 3) without sending anything. A different secret is tried at once.
//! - `--no-token-cache` neither reads nor writes records.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use yeastar_transport::{Product, Secret};

use crate::config::write_private;
use crate::token_cache::{file_key, from_millis, normalize_url, read_nofollow, to_millis};

/// How long a refused secret is not sent again.
pub(crate) const REMEMBER_FOR: Duration = Duration::from_secs(10 * 60);

const KEY_FILE: &str = "fingerprint.key";
const KEY_LEN: usize = 32;

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Record {
    version: u32,
    product: String,
    base_url: String,
    client_id: String,
    secret_fingerprint: String,
    refused_at: u64,
    until: u64,
}

/// The refusal memory of one product, base URL, client id and secret.
#[derive(Debug)]
pub(crate) struct Refusals {
    dir: PathBuf,
    path: PathBuf,
    product: Product,
    base_url: String,
    client_id: String,
    /// Kept to compute its fingerprint when needed (the key is created only then).
    secret: Secret,
}

/// A refusal still in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Refused {
    pub(crate) at: SystemTime,
    pub(crate) until: SystemTime,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The random key, created on first use.
fn key(dir: &Path) -> io::Result<Vec<u8>> {
    let path = dir.join(KEY_FILE);
    if let Some(k) = read_nofollow(&path, 1024)?
        && k.len() == KEY_LEN
    {
        return Ok(k);
    }
    let mut k = vec![0u8; KEY_LEN];
    getrandom::fill(&mut k).map_err(|e| io::Error::other(e.to_string()))?;
    write_private(&path, &k)?;
    // Another process may have written its key at the same time: use whichever won.
    match read_nofollow(&path, 1024)? {
        Some(back) if back.len() == KEY_LEN => Ok(back),
        _ => Err(io::Error::other("the key file could not be read back")),
    }
}

impl Refusals {
    /// The memory for `product` at `base_url` with `client_id` and `secret`, kept in `dir`.
    pub(crate) fn new(dir: &Path, product: Product, base_url: &str, client_id: &str, secret: &str) -> Self {
        let base_url = normalize_url(base_url).to_owned();
        let id = format!("{}\n{}\n{}", product.as_str(), base_url, client_id);
        Self {
            dir: dir.to_path_buf(),
            path: dir.join(format!("{}-{}.refused", product.as_str(), file_key(&id))),
            product,
            base_url,
            client_id: client_id.to_owned(),
            secret: Secret::new(secret),
        }
    }

    /// HMAC-SHA256 of product, base URL, client id and secret under the key of the directory;
    /// `None` when the key cannot be read or created (then nothing is remembered).
    fn fingerprint(&self) -> Option<String> {
        let k = match key(&self.dir) {
            Ok(k) => k,
            Err(e) => {
                crate::term::warn(format_args!(
                    "refused secrets are not remembered: cannot use {}: {e}",
                    self.dir.join(KEY_FILE).display()
                ));
                return None;
            }
        };
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&k).ok()?;
        for part in [
            self.product.as_str(),
            &self.base_url,
            &self.client_id,
            self.secret.expose(),
        ] {
            mac.update(part.as_bytes());
            mac.update(b"\n");
        }
        Some(hex(&mac.finalize().into_bytes()))
    }

    /// The refusal of this very secret, if one is remembered and has not run out at `now`.
    pub(crate) fn check(&self, now: SystemTime) -> Option<Refused> {
        let bytes = match read_nofollow(&self.path, 64 * 1024) {
            Ok(Some(b)) => b,
            Ok(None) => return None,
            Err(e) => {
                crate::term::warn(format_args!("ignoring {}: {e}", self.path.display()));
                return None;
            }
        };
        let r: Record = serde_json::from_slice(&bytes).ok()?;
        let fp = self.fingerprint()?;
        let same = r.version == 1
            && r.product == self.product.as_str()
            && r.base_url == self.base_url
            && r.client_id == self.client_id
            && r.secret_fingerprint == fp;
        let until = from_millis(r.until);
        // A record dated in the future beyond what we write is not ours to believe.
        (same && now < until && until <= now + REMEMBER_FOR).then(|| Refused {
            at: from_millis(r.refused_at),
            until,
        })
    }

    /// Remembers that the secret was refused at `now`; returns until when.
    pub(crate) fn remember(&self, now: SystemTime) -> SystemTime {
        let until = now + REMEMBER_FOR;
        let Some(fp) = self.fingerprint() else { return until };
        let record = Record {
            version: 1,
            product: self.product.as_str().to_owned(),
            base_url: self.base_url.clone(),
            client_id: self.client_id.clone(),
            secret_fingerprint: fp,
            refused_at: to_millis(now),
            until: to_millis(until),
        };
        let written = serde_json::to_vec_pretty(&record)
            .map_err(io::Error::other)
            .and_then(|json| write_private(&self.path, &json));
        if let Err(e) = written {
            crate::term::warn(format_args!(
                "cannot remember the refused secret in {}: {e}",
                self.dir.display()
            ));
        }
        until
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("yeastar-cli-refusal-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn only_the_same_secret_is_refused_and_only_for_ten_minutes() {
        let d = dir("same");
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let wrong = Refusals::new(&d, Product::Ycm, "https://h/", "id", "wrong-secret");
        assert_eq!(wrong.check(now), None);
        assert!(!d.join(KEY_FILE).exists(), "no key until something is remembered");
        assert!(!format!("{wrong:?}").contains("wrong-secret"));
        let until = wrong.remember(now);
        assert_eq!(until, now + REMEMBER_FOR);
        let again = Refusals::new(&d, Product::Ycm, "https://h", "id", "wrong-secret");
        assert_eq!(
            again.check(now + Duration::from_secs(60)),
            Some(Refused { at: now, until })
        );
        assert_eq!(again.check(until), None, "ten minutes later it is tried again");
        // Another secret, client id, base URL or product: not refused.
        for other in [
            Refusals::new(&d, Product::Ycm, "https://h", "id", "new-secret"),
            Refusals::new(&d, Product::Ycm, "https://h", "id2", "wrong-secret"),
            Refusals::new(&d, Product::Ycm, "https://other", "id", "wrong-secret"),
            Refusals::new(&d, Product::Workplace, "https://h", "id", "wrong-secret"),
        ] {
            assert_eq!(other.check(now), None, "{other:?}");
        }
        // The files hold no secret, and the key is private.
        for entry in fs::read_dir(&d).unwrap() {
            let bytes = fs::read(entry.unwrap().path()).unwrap();
            assert!(!String::from_utf8_lossy(&bytes).contains("wrong-secret"));
        }
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(d.join(KEY_FILE)).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let _ = fs::remove_dir_all(&d);
    }

    #[test]
    fn the_fingerprint_is_keyed() {
        let (a, b) = (dir("key-a"), dir("key-b"));
        let fa = Refusals::new(&a, Product::Ycm, "h", "id", "s").fingerprint().unwrap();
        let fb = Refusals::new(&b, Product::Ycm, "h", "id", "s").fingerprint().unwrap();
        assert_ne!(
            fa, fb,
            "another key, another fingerprint: the secret cannot be guessed offline"
        );
        assert_eq!(
            Refusals::new(&a, Product::Ycm, "h", "id", "s").fingerprint().unwrap(),
            fa,
            "the key is kept"
        );
        let _ = (fs::remove_dir_all(&a), fs::remove_dir_all(&b));
    }
}
