//! The token cache: tokens kept between runs, one file per product + base URL + client id.
//!
//! - Location: `$XDG_CACHE_HOME/yeastar/` (when set to an absolute path), else
//!   `$HOME/.cache/yeastar/`; no cache when neither is known.
//! - The directory is trusted only if it is owned by the user and neither group- nor
//!   other-writable (anyone who can write it could plant or swap files); otherwise a warning, and
//!   the run goes on without the cache. It is created with mode 0700.
//! - Name: `<product>-<SHA-256 of "product\nbase URL\nclient id", 32 hex digits>.json`.
//! - Content: product, base URL, client id, access token and its expiry, refresh token and its
//!   expiry (Unix milliseconds). Never the client secret.
//! - Files are opened without following symbolic links and written atomically (a temporary file
//!   in the same directory, then renamed), mode 0600.
//! - A missing file is silently a miss; a corrupt, foreign or unreadable one gives a warning on
//!   stderr and is ignored; a failed write gives a warning. Never fatal.

use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use yeastar_transport::{Product, Secret, StoredTokens, TokenStore};

use crate::config::write_private;
use crate::term::warn;

/// The cache directory's location: `$XDG_CACHE_HOME/yeastar` or `$HOME/.cache/yeastar`.
fn cache_dir_location() -> Option<PathBuf> {
    let from_env = |name: &str| std::env::var_os(name).map(PathBuf::from).filter(|p| p.is_absolute());
    from_env("XDG_CACHE_HOME")
        .or_else(|| from_env("HOME").map(|h| h.join(".cache")))
        .map(|d| d.join("yeastar"))
}

/// Why a directory is not trusted, or `None` when it is: owned by `uid`, not writable by group
/// or others.
fn distrust(meta: &fs::Metadata, uid: u32) -> Option<String> {
    if !meta.is_dir() {
        return Some("is not a directory".into());
    }
    if meta.uid() != uid {
        return Some(format!("is owned by another user (uid {}, you are {uid})", meta.uid()));
    }
    if meta.mode() & 0o022 != 0 {
        return Some(format!(
            "can be written by group or others (mode {:o})",
            meta.mode() & 0o777
        ));
    }
    None
}

/// The user's cache directory, created if missing, if it can be trusted. Warns (once per
/// process) and returns `None` when it cannot.
pub(crate) fn trusted_cache_dir() -> Option<PathBuf> {
    static DIR: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let Some(dir) = cache_dir_location() else {
            tracing::debug!("no cache directory (neither XDG_CACHE_HOME nor HOME is set); tokens are not cached");
            return None;
        };
        if let Err(e) = fs::DirBuilder::new().recursive(true).mode(0o700).create(&dir) {
            warn(format_args!(
                "not using the token cache: cannot create {}: {e}",
                dir.display()
            ));
            return None;
        }
        let uid = rustix::process::geteuid().as_raw();
        let why = match fs::metadata(&dir) {
            Ok(meta) => distrust(&meta, uid),
            Err(e) => Some(format!("cannot be read: {e}")),
        };
        match why {
            None => Some(dir),
            Some(why) => {
                warn(format_args!(
                    "not using the token cache: {} {why}; fix it with chmod 700 {} (and chown to yourself), \
                     or pass --no-token-cache",
                    dir.display(),
                    dir.display()
                ));
                None
            }
        }
    })
    .clone()
}

/// The first 16 bytes of SHA-256 of `data`, in hex: a stable file-name key.
pub(crate) fn file_key(data: &str) -> String {
    Sha256::digest(data.as_bytes())[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Reads `path` without following a symbolic link in its last component. `Ok(None)` when it
/// does not exist.
pub(crate) fn read_nofollow(path: &Path, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(path);
    let file = match file {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) => {
            return Err(io::Error::other("it is a symbolic link"));
        }
        Err(e) => return Err(e),
    };
    if !file.metadata()?.is_file() {
        return Err(io::Error::other("it is not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(limit).read_to_end(&mut bytes)?;
    Ok(Some(bytes))
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
/// A token file is a few hundred bytes; a bigger one is not ours.
const MAX_FILE: u64 = 64 * 1024;

pub(crate) fn to_millis(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

pub(crate) fn from_millis(ms: u64) -> SystemTime {
    UNIX_EPOCH.checked_add(Duration::from_millis(ms)).unwrap_or(UNIX_EPOCH)
}

/// The base URL as keyed: without trailing slashes.
pub(crate) fn normalize_url(base_url: &str) -> &str {
    base_url.trim_end_matches('/')
}

impl FileTokenStore {
    /// The store for `product` at `base_url` with `client_id`, in `dir`.
    pub(crate) fn new(dir: &Path, product: Product, base_url: &str, client_id: &str) -> Self {
        let base_url = normalize_url(base_url).to_owned();
        let key = format!("{}\n{}\n{}", product.as_str(), base_url, client_id);
        let path = dir.join(format!("{}-{}.json", product.as_str(), file_key(&key)));
        Self {
            path,
            product: product.as_str(),
            base_url,
            client_id: client_id.to_owned(),
        }
    }

    /// The cache file.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    fn read(&self) -> Result<Option<StoredTokens>, String> {
        let bytes = match read_nofollow(&self.path, MAX_FILE) {
            Ok(Some(b)) => b,
            Ok(None) => return Ok(None),
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
        write_private(&self.path, &json)
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

    fn clear(&self) {
        // Removing a symbolic link removes the link, never its target.
        match fs::remove_file(&self.path) {
            Ok(()) => tracing::debug!(path = %self.path.display(), "token cache cleared"),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => warn(format_args!(
                "cannot remove the rejected token's cache file {}: {e}",
                self.path.display()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    pub(crate) fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("yeastar-cli-unit-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn tokens() -> (StoredTokens, SystemTime) {
        let exp = UNIX_EPOCH + Duration::from_secs(2_000_000_000);
        (
            StoredTokens::new(Secret::new("at-1"), exp).with_refresh_token(Secret::new("rt-1"), Some(exp)),
            exp,
        )
    }

    #[test]
    fn file_keys_are_sha256() {
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        assert_eq!(file_key("abc"), "ba7816bf8f01cfea414140de5dae2223");
        let store = FileTokenStore::new(Path::new("/d"), Product::Ycm, "https://h/", "id");
        assert_eq!(
            store.path(),
            Path::new(&format!("/d/ycm-{}.json", file_key("ycm\nhttps://h\nid")))
        );
    }

    #[test]
    fn round_trip_with_mode_0600_and_keyed_by_product_url_and_client() {
        let dir = temp_dir("roundtrip");
        let store = FileTokenStore::new(&dir, Product::Ycm, "https://ycm.yeastar.com/", "id-1");
        assert!(store.load().is_none());
        let (t, exp) = tokens();
        store.save(&t);
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
    fn clear_drops_the_file_and_only_the_file() {
        let dir = temp_dir("clear");
        let store = FileTokenStore::new(&dir, Product::PartnerPortal, "https://x.example", "id");
        let (t, _) = tokens();
        store.save(&t);
        assert!(store.load().is_some());
        store.clear();
        assert!(!store.path().exists());
        assert!(store.load().is_none());
        // Clearing what is not there is fine.
        store.clear();
        // A symbolic link in its place: the link goes, the target stays.
        let target = dir.join("target.json");
        fs::write(&target, "keep").unwrap();
        std::os::unix::fs::symlink(&target, store.path()).unwrap();
        store.clear();
        assert!(fs::symlink_metadata(store.path()).is_err());
        assert_eq!(fs::read_to_string(&target).unwrap(), "keep");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn symbolic_links_are_not_followed() {
        let dir = temp_dir("symlink");
        let store = FileTokenStore::new(&dir, Product::Ycm, "https://x.example", "id");
        // A valid token file elsewhere, linked into place: not read.
        let elsewhere = FileTokenStore::new(&dir.join("other"), Product::Ycm, "https://x.example", "id");
        let (t, _) = tokens();
        elsewhere.save(&t);
        assert!(elsewhere.load().is_some());
        std::os::unix::fs::symlink(elsewhere.path(), store.path()).unwrap();
        assert!(store.load().is_none(), "the link is not followed");
        assert_eq!(
            read_nofollow(store.path(), MAX_FILE).unwrap_err().to_string(),
            "it is a symbolic link"
        );
        // Saving replaces the link itself and leaves its target alone.
        let before = fs::read(elsewhere.path()).unwrap();
        store.save(&StoredTokens::new(
            Secret::new("at-2"),
            SystemTime::now() + Duration::from_secs(60),
        ));
        assert!(!fs::symlink_metadata(store.path()).unwrap().file_type().is_symlink());
        assert_eq!(fs::read(elsewhere.path()).unwrap(), before);
        assert_eq!(store.load().unwrap().access_token.expose(), "at-2");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_directory_is_trusted_only_if_owned_and_not_writable_by_others() {
        let dir = temp_dir("trust");
        let uid = rustix::process::geteuid().as_raw();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).unwrap();
        let meta = || fs::metadata(&dir).unwrap();
        assert_eq!(distrust(&meta(), uid), None);
        // Someone else's directory.
        let why = distrust(&meta(), uid.wrapping_add(1)).unwrap();
        assert!(why.contains("owned by another user"), "{why}");
        // Group- or other-writable.
        for mode in [0o770, 0o702, 0o777] {
            fs::set_permissions(&dir, fs::Permissions::from_mode(mode)).unwrap();
            let why = distrust(&meta(), uid).unwrap();
            assert!(why.contains("written by group or others"), "{mode:o}: {why}");
        }
        // Readable by others is fine (the files in it are 0600).
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(distrust(&meta(), uid), None);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn corrupt_files_are_ignored() {
        let dir = temp_dir("corrupt");
        let store = FileTokenStore::new(&dir, Product::PartnerPortal, "https://x.example", "id");
        for junk in ["", "{", "[]", "{\"version\":1}", "\u{0}\u{1}garbage"] {
            fs::write(store.path(), junk).unwrap();
            assert!(store.load().is_none(), "{junk:?}");
        }
        let _ = fs::remove_dir_all(&dir);
    }
}
