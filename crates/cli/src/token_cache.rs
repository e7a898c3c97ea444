//! The token cache file: tokens kept between runs, one file per product + base URL + client id.
//!
//! - Location: `$XDG_CACHE_HOME/yeastar/` (when set to an absolute path), else
//!   `$HOME/.cache/yeastar/`; no cache when neither is known.
//! - Name: `<product>-<FNV-1a 64 of "product\nbase URL\nclient id", hex>.json`.
//! - Content: product, base URL, client id, access token and its expiry, refresh token and its
//!   expiry (Unix milliseconds). Never the client secret.
//! - Written atomically (a temporary file in the same directory, then renamed), mode 0600, in a
//!   directory created with mode 0700.
//! - A missing file is silently a miss; a corrupt, foreign or unreadable one gives a warning on
//!   stderr and is ignored; a failed write gives a warning. Never fatal.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use yeastar_transport::{Product, Secret, StoredTokens, TokenStore};

/// FNV-1a, 64 bits: a stable hash for file names (std's `DefaultHasher` may change between
/// Rust releases).
pub(crate) fn fnv1a64(data: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The cache directory: `$XDG_CACHE_HOME/yeastar` or `$HOME/.cache/yeastar`.
pub(crate) fn cache_dir() -> Option<PathBuf> {
    let from_env = |name: &str| std::env::var_os(name).map(PathBuf::from).filter(|p| p.is_absolute());
    from_env("XDG_CACHE_HOME")
        .or_else(|| from_env("HOME").map(|h| h.join(".cache")))
        .map(|d| d.join("yeastar"))
}

/// The file-backed [`TokenStore`] of one product, base URL and client id.
pub(crate) struct FileTokenStore {
    path: PathBuf,
    product: &'static str,
    base_url: String,
    client_id: String,
}

impl fmt::Debug for FileTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileTokenStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CacheFile {
    version: u32,
    product: String,
    base_url: String,
    client_id: String,
    access_token: String,
    access_expires_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_expires_at: Option<u64>,
}

const VERSION: u32 = 1;

fn to_millis(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

fn from_millis(ms: u64) -> SystemTime {
    UNIX_EPOCH.checked_add(Duration::from_millis(ms)).unwrap_or(UNIX_EPOCH)
}

fn warn(message: impl fmt::Display) {
    eprintln!("warning: {message}");
}

impl FileTokenStore {
    /// The store for `product` at `base_url` with `client_id`, in `dir`.
    pub(crate) fn new(dir: &Path, product: Product, base_url: &str, client_id: &str) -> Self {
        let base_url = base_url.trim_end_matches('/').to_owned();
        let key = format!("{}\n{}\n{}", product.as_str(), base_url, client_id);
        let path = dir.join(format!("{}-{:016x}.json", product.as_str(), fnv1a64(key.as_bytes())));
        Self {
            path,
            product: product.as_str(),
            base_url,
            client_id: client_id.to_owned(),
        }
    }

    /// The store in the user's cache directory, if there is one.
    pub(crate) fn in_cache_dir(product: Product, base_url: &str, client_id: &str) -> Option<Self> {
        let dir = cache_dir();
        if dir.is_none() {
            tracing::debug!("no cache directory (neither XDG_CACHE_HOME nor HOME is set); tokens are not cached");
        }
        dir.map(|d| Self::new(&d, product, base_url, client_id))
    }

    /// The cache file.
    #[cfg(test)]
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    fn read(&self) -> Result<Option<StoredTokens>, String> {
        let bytes = match fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read it: {e}")),
        };
        // serde's messages may quote values from the file: report the position only.
        let file: CacheFile = serde_json::from_slice(&bytes).map_err(|e| {
            format!(
                "it is not a valid token cache (line {}, column {})",
                e.line(),
                e.column()
            )
        })?;
        if file.version != VERSION {
            return Err(format!("unsupported version {}", file.version));
        }
        if file.product != self.product || file.base_url != self.base_url || file.client_id != self.client_id {
            return Err("it belongs to another product, base URL or client id".into());
        }
        if file.access_token.is_empty() {
            return Err("the access token in it is empty".into());
        }
        let mut tokens = StoredTokens::new(Secret::new(file.access_token), from_millis(file.access_expires_at));
        if let Some(rt) = file.refresh_token.filter(|t| !t.is_empty()) {
            tokens = tokens.with_refresh_token(Secret::new(rt), file.refresh_expires_at.map(from_millis));
        }
        Ok(Some(tokens))
    }

    fn write(&self, tokens: &StoredTokens) -> io::Result<()> {
        let dir = self.path.parent().unwrap_or_else(|| Path::new("."));
        fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        let file = CacheFile {
            version: VERSION,
            product: self.product.to_owned(),
            base_url: self.base_url.clone(),
            client_id: self.client_id.clone(),
            access_token: tokens.access_token.expose().to_owned(),
            access_expires_at: to_millis(tokens.access_expires_at),
            refresh_token: tokens.refresh_token.as_ref().map(|t| t.expose().to_owned()),
            refresh_expires_at: tokens.refresh_expires_at.map(to_millis),
        };
        let json = serde_json::to_vec_pretty(&file).map_err(io::Error::other)?;
        let mut tmp_name = self.path.file_name().unwrap_or_default().to_owned();
        tmp_name.push(format!(".tmp-{}", std::process::id()));
        let tmp = self.path.with_file_name(tmp_name);
        let _ = fs::remove_file(&tmp);
        let result = (|| {
            let mut f = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&tmp)?;
            f.write_all(&json)?;
            f.sync_all()?;
            fs::rename(&tmp, &self.path)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }
}

impl TokenStore for FileTokenStore {
    fn load(&self) -> Option<StoredTokens> {
        match self.read() {
            Ok(t) => {
                tracing::debug!(path = %self.path.display(), found = t.is_some(), "token cache read");
                t
            }
            Err(why) => {
                warn(format_args!(
                    "ignoring the token cache file {}: {why}",
                    self.path.display()
                ));
                None
            }
        }
    }

    fn save(&self, tokens: &StoredTokens) {
        match self.write(tokens) {
            Ok(()) => tracing::debug!(path = %self.path.display(), "token cache written"),
            Err(e) => warn(format_args!(
                "cannot write the token cache file {}: {e}",
                self.path.display()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn fnv1a64_matches_the_reference_values() {
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
    }

    fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("yeastar-cli-unit-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn round_trip_with_mode_0600_and_keyed_by_product_url_and_client() {
        let dir = temp_dir("roundtrip");
        let store = FileTokenStore::new(&dir, Product::Ycm, "https://ycm.yeastar.com/", "id-1");
        assert!(store.load().is_none());
        let exp = UNIX_EPOCH + Duration::from_secs(2_000_000_000);
        store.save(&StoredTokens::new(Secret::new("at-1"), exp).with_refresh_token(Secret::new("rt-1"), Some(exp)));
        let mode = fs::metadata(store.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let back = store.load().unwrap();
        assert_eq!(back.access_token.expose(), "at-1");
        assert_eq!(back.access_expires_at, exp);
        assert_eq!(back.refresh_token.as_ref().map(Secret::expose), Some("rt-1"));
        // The trailing slash does not matter; another client id or product is another file.
        let same = FileTokenStore::new(&dir, Product::Ycm, "https://ycm.yeastar.com", "id-1");
        assert_eq!(same.path(), store.path());
        let other = FileTokenStore::new(&dir, Product::Ycm, "https://ycm.yeastar.com", "id-2");
        assert_ne!(other.path(), store.path());
        let other = FileTokenStore::new(&dir, Product::Workplace, "https://ycm.yeastar.com", "id-1");
        assert_ne!(other.path(), store.path());
        // A file renamed onto another key is refused.
        fs::copy(store.path(), other.path()).unwrap();
        assert!(other.load().is_none());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn corrupt_files_are_ignored() {
        let dir = temp_dir("corrupt");
        let store = FileTokenStore::new(&dir, Product::PartnerPortal, "https://x.example", "id");
        fs::create_dir_all(&dir).unwrap();
        for junk in ["", "{", "[]", "{\"version\":1}", "\u{0}\u{1}garbage"] {
            fs::write(store.path(), junk).unwrap();
            assert!(store.load().is_none(), "{junk:?}");
        }
        let _ = fs::remove_dir_all(&dir);
    }
}
