//! Profiles: the config file, one table per profile and product.
//!
//! ```toml
//! default_profile = "acme"          # optional; else "default"
//!
//! [profiles.acme.ycm]
//! client_id = "..."
//! client_secret_env = "ACME_YCM_SECRET"   # or client_secret = "...", or client_secret_command = "..."
//! base_url = "https://..."                # optional
//! ```
//!
//! - Location: `--config PATH` / `YEASTAR_CONFIG`, else `$XDG_CONFIG_HOME/yeastar/config.toml`,
//!   else `~/.config/yeastar/config.toml`. A missing default file is an empty configuration; a
//!   missing file named explicitly is an error.
//! - Unknown keys and products, a profile that does not exist and two secret sources in one
//!   table are errors naming the file and line (exit 2).
//! - A file holding a `client_secret` that group or others can read gets a warning.
//! - Written (by `profile add`) with mode 0600, atomically, keeping the rest of the file as it was.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use yeastar_transport::Product;

use crate::cli::RegionArg;
use crate::commands::{CliError, CliResult};
use crate::term;

/// The profile used when neither `--profile`, `YEASTAR_PROFILE` nor `default_profile` names one.
pub(crate) const DEFAULT_PROFILE: &str = "default";

/// The products a profile can configure, by their table names.
pub(crate) const PRODUCTS: [Product; 3] = [Product::PartnerPortal, Product::Ycm, Product::Workplace];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    default_profile: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, ProfileDoc>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileDoc {
    #[serde(rename = "partner-portal")]
    partner_portal: Option<ProductDoc>,
    ycm: Option<ProductDoc>,
    workplace: Option<WorkplaceDoc>,
}

/// The settings of one product in one profile.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProductDoc {
    pub(crate) client_id: Option<String>,
    pub(crate) client_secret: Option<String>,
    pub(crate) client_secret_env: Option<String>,
    pub(crate) client_secret_command: Option<String>,
    pub(crate) base_url: Option<String>,
    /// Workplace only (its table has this key; the others refuse it).
    #[serde(skip)]
    pub(crate) region: Option<RegionArg>,
}

/// Workplace's table: the common keys and `region`.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkplaceDoc {
    client_id: Option<String>,
    client_secret: Option<String>,
    client_secret_env: Option<String>,
    client_secret_command: Option<String>,
    base_url: Option<String>,
    region: Option<RegionArg>,
}

impl From<WorkplaceDoc> for ProductDoc {
    fn from(w: WorkplaceDoc) -> Self {
        Self {
            client_id: w.client_id,
            client_secret: w.client_secret,
            client_secret_env: w.client_secret_env,
            client_secret_command: w.client_secret_command,
            base_url: w.base_url,
            region: w.region,
        }
    }
}

impl fmt::Debug for WorkplaceDoc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        ProductDoc::from(self.clone()).fmt(f)
    }
}

impl fmt::Debug for ProductDoc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProductDoc")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "<redacted>"))
            .field("client_secret_env", &self.client_secret_env)
            .field("client_secret_command", &self.client_secret_command)
            .field("base_url", &self.base_url)
            .field("region", &self.region)
            .finish()
    }
}

/// Where the secret of a product's profile comes from.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum SecretSource {
    /// `client_secret = "…"`.
    Literal(String),
    /// `client_secret_env = "VAR"`.
    Env(String),
    /// `client_secret_command = "…"`, run with `sh -c`.
    Command(String),
}

impl fmt::Debug for SecretSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Literal(_) => f.write_str("Literal(<redacted>)"),
            Self::Env(v) => f.debug_tuple("Env").field(v).finish(),
            Self::Command(c) => f.debug_tuple("Command").field(c).finish(),
        }
    }
}

impl ProductDoc {
    /// The secret source (the file was checked to hold at most one).
    pub(crate) fn secret_source(&self) -> Option<SecretSource> {
        let d = self;
        d.client_secret
            .clone()
            .map(SecretSource::Literal)
            .or_else(|| d.client_secret_env.clone().map(SecretSource::Env))
            .or_else(|| d.client_secret_command.clone().map(SecretSource::Command))
    }
}

impl SecretSource {
    /// The secret itself: the literal, the variable's value, or the command's output (its
    /// last line break removed). `whose` names the profile and product in errors. The secret
    /// never appears in an error.
    pub(crate) fn resolve(&self, whose: &str) -> CliResult<String> {
        let secret = match self {
            Self::Literal(s) => s.clone(),
            Self::Env(var) => std::env::var(var).map_err(|_| {
                CliError::usage(format!(
                    "client_secret_env of {whose} names the environment variable {var}, which is not set"
                ))
                .with_hint(format!("export {var}=… before running yeastar, or change the profile"))
            })?,
            Self::Command(cmd) => run_secret_command(cmd, whose)?,
        };
        if secret.is_empty() {
            return Err(CliError::usage(format!("the client secret of {whose} is empty")));
        }
        Ok(secret)
    }
}

fn run_secret_command(cmd: &str, whose: &str) -> CliResult<String> {
    // stderr stays the user's (a password manager may ask something); stdout is the secret.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(std::process::Stdio::inherit())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| CliError::usage(format!("cannot run the client_secret_command of {whose}: {e}")))?;
    if !out.status.success() {
        return Err(
            CliError::usage(format!("the client_secret_command of {whose} failed ({})", out.status))
                .with_hint(format!("run it by hand to see why: {cmd}")),
        );
    }
    let mut text = String::from_utf8(out.stdout)
        .map_err(|_| CliError::usage(format!("the client_secret_command of {whose} printed invalid UTF-8")))?;
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}

/// A loaded config file (or the empty configuration when there is none).
#[derive(Debug)]
pub(crate) struct Config {
    path: Option<PathBuf>,
    exists: bool,
    text: String,
    doc: FileDoc,
}

/// The default location: `$XDG_CONFIG_HOME/yeastar/config.toml`, else
/// `$HOME/.config/yeastar/config.toml`.
pub(crate) fn default_path() -> Option<PathBuf> {
    let from_env = |name: &str| std::env::var_os(name).map(PathBuf::from).filter(|p| p.is_absolute());
    from_env("XDG_CONFIG_HOME")
        .or_else(|| from_env("HOME").map(|h| h.join(".config")))
        .map(|d| d.join("yeastar").join("config.toml"))
}

/// `line L, column C` of byte `offset` in `text` (1-based).
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// serde's "invalid type: integer `98765432109876`, expected a string" without the value (an
/// unquoted secret is read as a number): "invalid type: integer, expected a string".
fn without_value(message: &str) -> String {
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((found, expected)) = rest.split_once(", expected ")
        {
            let kind = found.split([' ', '`', '"']).next().unwrap_or_default();
            return format!("{prefix}{kind}, expected {expected}");
        }
    }
    message.to_owned()
}

/// Whoever can write the config file chooses the base URL the secret is sent to and the
/// `client_secret_command` run as you: a file group or others can write is refused, as ssh
/// refuses such a config.
fn refuse_if_others_can_write(path: &Path) -> CliResult {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = fs::metadata(path) else { return Ok(()) };
    let you = rustix::process::geteuid().as_raw();
    if meta.uid() != you && meta.uid() != 0 {
        return Err(CliError::usage(format!(
            "{} is owned by another user (uid {}, you are {you}), who can change it: not used",
            path.display(),
            meta.uid()
        ))
        .with_hint("use a config file of your own (--config or YEASTAR_CONFIG)"));
    }
    if meta.mode() & 0o022 != 0 {
        return Err(CliError::usage(format!(
            "{} can be written by group or others (mode {:o}): not used",
            path.display(),
            meta.mode() & 0o777
        ))
        .with_hint(format!("run chmod go-w {}", path.display())));
    }
    Ok(())
}

fn config_error(path: &Path, text: &str, span: Option<std::ops::Range<usize>>, message: &str) -> CliError {
    let at = span
        .map(|s| {
            let (l, c) = line_col(text, s.start);
            format!(":{l}:{c}")
        })
        .unwrap_or_default();
    CliError::usage(format!("{}{at}: {message}", path.display()))
        .with_hint("fix the file: the README's \"Profiles\" section shows every key")
}

impl Config {
    /// Loads `explicit` (`--config` / `YEASTAR_CONFIG`) or the default file.
    pub(crate) fn load(explicit: Option<&Path>) -> CliResult<Self> {
        let path = match explicit {
            Some(p) => Some(p.to_path_buf()),
            None => default_path(),
        };
        let Some(path) = path else {
            return Ok(Self::empty(None));
        };
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound && explicit.is_none() => return Ok(Self::empty(Some(path))),
            Err(e) => {
                return Err(CliError::usage(format!(
                    "cannot read the config file {}: {e}",
                    path.display()
                )));
            }
        };
        refuse_if_others_can_write(&path)?;
        let doc = Self::parse(&path, &text)?;
        let config = Self {
            path: Some(path),
            exists: true,
            text,
            doc,
        };
        config.warn_if_readable_secret();
        Ok(config)
    }

    fn empty(path: Option<PathBuf>) -> Self {
        Self {
            path,
            exists: false,
            text: String::new(),
            doc: FileDoc::default(),
        }
    }

    /// Loads the file at `path` if it exists (for `profile add`, which creates it).
    pub(crate) fn load_or_empty(path: PathBuf) -> CliResult<Self> {
        match fs::read_to_string(&path) {
            Ok(text) => {
                // `profile add` rewrites the file as its own: not content someone else put there.
                refuse_if_others_can_write(&path)?;
                let doc = Self::parse(&path, &text)?;
                Ok(Self {
                    path: Some(path),
                    exists: true,
                    text,
                    doc,
                })
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Self::empty(Some(path))),
            Err(e) => Err(CliError::usage(format!(
                "cannot read the config file {}: {e}",
                path.display()
            ))),
        }
    }

    fn parse(path: &Path, text: &str) -> CliResult<FileDoc> {
        // The message, never the whole rendered error: that quotes the offending line, which may
        // hold a secret.
        let doc: FileDoc = toml_edit::de::from_str(text)
            .map_err(|e| config_error(path, text, e.span(), &without_value(e.message().trim())))?;
        // Semantic checks that serde cannot make, located with the document's spans.
        let spans = toml_edit::Document::parse(text).map_err(|e| config_error(path, text, e.span(), e.message()))?;
        let key_span = |profile: &str, product: &str, key: &str| {
            spans
                .get("profiles")
                .and_then(|p| p.get(profile))
                .and_then(|p| p.get(product))
                .and_then(|t| t.as_table_like())
                .and_then(|t| t.get_key_value(key))
                .and_then(|(k, _)| k.span())
        };
        for (name, profile) in &doc.profiles {
            for product in PRODUCTS {
                let Some(d) = profile.get(product) else { continue };
                let keys: Vec<&str> = [
                    ("client_secret", d.client_secret.is_some()),
                    ("client_secret_env", d.client_secret_env.is_some()),
                    ("client_secret_command", d.client_secret_command.is_some()),
                ]
                .into_iter()
                .filter_map(|(k, set)| set.then_some(k))
                .collect();
                if keys.len() > 1 {
                    return Err(config_error(
                        path,
                        text,
                        key_span(name, product.as_str(), keys[1]),
                        &format!(
                            "[profiles.{name}.{}] has both {} and {}: keep one",
                            product.as_str(),
                            keys[0],
                            keys[1]
                        ),
                    ));
                }
            }
        }
        if let Some(name) = &doc.default_profile
            && !doc.profiles.contains_key(name)
        {
            let span = spans.key("default_profile").and_then(|k| k.span());
            return Err(config_error(
                path,
                text,
                span,
                &format!("default_profile names the profile `{name}`, which the file does not define"),
            ));
        }
        Ok(doc)
    }

    fn warn_if_readable_secret(&self) {
        let Some(path) = &self.path else { return };
        let has_secret = self.doc.profiles.values().any(|p| {
            PRODUCTS
                .iter()
                .any(|&pr| p.get(pr).is_some_and(|d| d.client_secret.is_some()))
        });
        if !has_secret {
            return;
        }
        if let Ok(meta) = fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            term::warn(format_args!(
                "{} holds a client secret and other users may read it (mode {:o}): run chmod 600 {}",
                path.display(),
                meta.permissions().mode() & 0o777,
                path.display()
            ));
        }
    }

    /// The file's path, if one could be determined.
    pub(crate) fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The profiles, by name.
    pub(crate) fn profile_names(&self) -> impl Iterator<Item = &str> {
        self.doc.profiles.keys().map(String::as_str)
    }

    /// The `default_profile` of the file.
    pub(crate) fn default_profile(&self) -> &str {
        self.doc.default_profile.as_deref().unwrap_or(DEFAULT_PROFILE)
    }

    /// Whether profile `name` exists.
    pub(crate) fn has_profile(&self, name: &str) -> bool {
        self.doc.profiles.contains_key(name)
    }

    /// The products profile `name` configures.
    pub(crate) fn products_of(&self, name: &str) -> Vec<Product> {
        self.doc
            .profiles
            .get(name)
            .map(|p| PRODUCTS.into_iter().filter(|&pr| p.get(pr).is_some()).collect())
            .unwrap_or_default()
    }

    /// The settings of `product` in profile `name`.
    pub(crate) fn product(&self, name: &str, product: Product) -> Option<ProductDoc> {
        self.doc.profiles.get(name).and_then(|p| p.get(product))
    }

    /// Chooses the profile: `requested` (`--profile` / `YEASTAR_PROFILE`), else the file's
    /// `default_profile`, else `default`. A profile asked for by name must exist; the implicit
    /// `default` may be missing (then no profile is used).
    pub(crate) fn choose(&self, requested: Option<&str>) -> CliResult<Option<String>> {
        let name = match requested.filter(|s| !s.is_empty()) {
            Some(n) => n,
            None if self.doc.default_profile.is_some() => self.default_profile(),
            None => {
                return Ok(self.has_profile(DEFAULT_PROFILE).then(|| DEFAULT_PROFILE.to_owned()));
            }
        };
        if self.has_profile(name) {
            return Ok(Some(name.to_owned()));
        }
        let where_ = match (&self.path, self.exists) {
            (Some(p), true) => format!("in {}", p.display()),
            (Some(p), false) => format!("defined: {} does not exist", p.display()),
            (None, _) => "defined: there is no config file".into(),
        };
        Err(
            CliError::usage(format!("there is no profile `{name}` {where_}")).with_hint(format!(
                "`yeastar profile list` shows the profiles; `yeastar profile add {name} --product P` creates it"
            )),
        )
    }

    /// Sets the table of `product` in profile `name` (replacing it), and `default_profile` if
    /// `make_default`, and writes the file with mode 0600, keeping everything else in it
    /// (comments included).
    pub(crate) fn save_product(
        &self,
        name: &str,
        product: Product,
        settings: &ProductDoc,
        make_default: bool,
    ) -> CliResult<PathBuf> {
        let path = self
            .path
            .clone()
            .ok_or_else(|| CliError::usage("no config file location: pass --config PATH (or set HOME)"))?;
        let mut doc: toml_edit::DocumentMut = self
            .text
            .parse()
            .map_err(|e: toml_edit::TomlError| config_error(&path, &self.text, e.span(), e.message()))?;
        let implicit = || {
            let mut t = toml_edit::Table::new();
            t.set_implicit(true);
            toml_edit::Item::Table(t)
        };
        let profiles = doc.entry("profiles").or_insert_with(implicit);
        let profile = profiles
            .as_table_like_mut()
            .ok_or_else(|| CliError::usage(format!("{}: `profiles` is not a table", path.display())))?
            .entry(name)
            .or_insert(implicit());
        let mut table = toml_edit::Table::new();
        let fields = [
            ("client_id", &settings.client_id),
            ("client_secret", &settings.client_secret),
            ("client_secret_env", &settings.client_secret_env),
            ("client_secret_command", &settings.client_secret_command),
            ("base_url", &settings.base_url),
        ];
        for (k, v) in fields {
            if let Some(v) = v {
                table.insert(k, toml_edit::value(v.as_str()));
            }
        }
        if let Some(r) = settings.region {
            table.insert("region", toml_edit::value(r.as_str()));
        }
        profile
            .as_table_like_mut()
            .ok_or_else(|| CliError::usage(format!("{}: profile `{name}` is not a table", path.display())))?
            .insert(product.as_str(), toml_edit::Item::Table(table));
        if make_default {
            doc.insert("default_profile", toml_edit::value(name));
        }
        let text = doc.to_string();
        // What is written must load.
        Self::parse(&path, &text)?;
        write_private(&path, text.as_bytes())
            .map_err(|e| CliError::usage(format!("cannot write the config file {}: {e}", path.display())))?;
        Ok(path)
    }
}

impl ProfileDoc {
    fn get(&self, product: Product) -> Option<ProductDoc> {
        match product {
            Product::PartnerPortal => self.partner_portal.clone(),
            Product::Ycm => self.ycm.clone(),
            Product::Workplace => self.workplace.clone().map(ProductDoc::from),
            _ => None,
        }
    }
}

/// Writes `bytes` to `path` with mode 0600: a temporary file in the same directory (created
/// 0700 if missing), then renamed over the target, so a reader never sees half a file.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    let mut tmp_name = path.file_name().unwrap_or_default().to_owned();
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    let _ = fs::remove_file(&tmp);
    let result = (|| {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> CliResult<FileDoc> {
        Config::parse(Path::new("/c.toml"), text)
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("[profiles.acme.ycm]\nclient_id = \"x\"\nclient_secert = \"s3cr3t\"\n").unwrap_err();
        assert_eq!(e.code, 2);
        assert!(e.message.starts_with("/c.toml:3:1: "), "{}", e.message);
        assert!(e.message.contains("client_secert"), "{}", e.message);
        assert!(!e.message.contains("s3cr3t"), "{}", e.message);
        let e = parse("\n[profiles.acme.ycn]\nclient_id = \"x\"\n").unwrap_err();
        assert!(e.message.starts_with("/c.toml:2:"), "{}", e.message);
        assert!(e.message.contains("ycn"), "{}", e.message);
        let e = parse("[profiles.a.ycm]\nregion = \"eu\"\n").unwrap_err();
        assert!(e.message.starts_with("/c.toml:2:1: "), "{}", e.message);
        let e = parse("[profiles.a.ycm]\nclient_secret = \"s\"\nclient_secret_env = \"V\"\n").unwrap_err();
        assert!(e.message.starts_with("/c.toml:3:1: "), "{}", e.message);
        let e = parse("default_profile = \"nope\"\n[profiles.a.ycm]\n").unwrap_err();
        assert!(e.message.starts_with("/c.toml:1:1: "), "{}", e.message);
        // A secret of the wrong type (unquoted digits, a float) is not quoted back either.
        for text in [
            "client_secret = 98765432109876",
            "client_secret = 1.5e300",
            "client_id = 271828182845",
        ] {
            let e = parse(&format!("[profiles.a.ycm]\n{text}\n")).unwrap_err();
            assert!(e.message.contains("invalid type"), "{}", e.message);
            for digits in ["98765432109876", "1.5", "271828182845"] {
                assert!(!e.message.contains(digits), "{}", e.message);
            }
        }
        let e = parse("x = [\n").unwrap_err();
        assert!(e.message.starts_with("/c.toml:"), "{}", e.message);
    }

    #[test]
    fn workplace_takes_a_region() {
        let doc = parse("[profiles.a.workplace]\nclient_id = \"i\"\nregion = \"eu\"\n").unwrap();
        let wp = doc.profiles["a"].get(Product::Workplace).unwrap();
        assert_eq!(wp.region, Some(RegionArg::Eu));
        assert_eq!(wp.client_id.as_deref(), Some("i"));
    }

    #[test]
    fn debug_redacts_the_secret() {
        let d = ProductDoc {
            client_secret: Some("hunter2".into()),
            ..Default::default()
        };
        assert!(!format!("{d:?}").contains("hunter2"));
        assert!(!format!("{:?}", d.secret_source()).contains("hunter2"));
    }
}
