//! The commands, one module per product, and what they share: errors and exit codes, the
//! context of a run (global options, profile, output format), how a client is configured, and
//! write outputs with request ids.

pub(crate) mod auth;
pub(crate) mod bulk;
pub(crate) mod partner_portal;
pub(crate) mod profile;
pub(crate) mod sandbox;
pub(crate) mod workplace;
pub(crate) mod ycm;

use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use yeastar_transport::{AuthErrorKind, ClientBuilder, Credentials, Error, Product, ProductSpec, TokenStore};

use crate::cli::{GlobalArgs, RegionArg};
use crate::config::{Config, ProductDoc, SecretSource};
use crate::output::Output;
use crate::refusal::Refusals;
use crate::token_cache::{FileTokenStore, trusted_cache_dir};

/// Exit code: success.
pub(crate) const EXIT_OK: u8 = 0;
/// Exit code: the API answered with an error.
pub(crate) const EXIT_API: u8 = 1;
/// Exit code: usage error, or input rejected before anything was sent.
pub(crate) const EXIT_USAGE: u8 = 2;
/// Exit code: transport, timeout or authentication failure.
pub(crate) const EXIT_TRANSPORT: u8 = 3;

/// The `User-Agent` suffix of every request the CLI sends.
const APP_NAME: &str = concat!("yeastar-cli/", env!("CARGO_PKG_VERSION"));

/// The exit code of an SDK error.
///
/// - 1, the API answered: [`Error::Api`]; also [`Error::UnexpectedResponse`] (a server answered
///   with something other than the API's JSON, e.g. a proxy's error page), [`Error::Decode`] (the
///   API answered with JSON of an unexpected shape) and [`Error::Paging`] (the API's paging
///   misbehaved): in all of them a server answered and the request went through.
/// - 2, rejected before sending: [`Error::InvalidInput`], [`Error::Config`].
/// - 3, no usable answer: [`Error::Transport`], [`Error::Timeout`], [`Error::Auth`] (credentials
///   or token refused), [`Error::RetriesExhausted`] (a transient failure on every attempt).
pub(crate) fn exit_code(error: &Error) -> u8 {
    match error {
        Error::Api(_) | Error::UnexpectedResponse(_) | Error::Decode(_) | Error::Paging { .. } => EXIT_API,
        Error::InvalidInput { .. } | Error::Config(_) => EXIT_USAGE,
        Error::Transport(_) | Error::Timeout { .. } | Error::Auth(_) | Error::RetriesExhausted { .. } => EXIT_TRANSPORT,
        // `Error` is non-exhaustive: a variant added later is reported as an API failure.
        _ => EXIT_API,
    }
}

/// The authentication failure inside `error`, if it is one.
fn auth_kind(error: &Error) -> Option<AuthErrorKind> {
    match error {
        Error::Auth(a) => Some(a.kind),
        Error::RetriesExhausted { last, .. } => auth_kind(last),
        _ => None,
    }
}

/// What went wrong, for the hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cause {
    Auth(AuthErrorKind),
    Network,
    Other,
}

/// A failure of a command: what to print on stderr and the exit code.
#[derive(Debug)]
pub(crate) struct CliError {
    pub(crate) code: u8,
    pub(crate) message: String,
    /// What to do next, where there is something to do.
    pub(crate) hint: Option<String>,
    pub(crate) cause: Cause,
}

impl CliError {
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self::new(EXIT_USAGE, message)
    }

    pub(crate) fn new(code: u8, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            hint: None,
            cause: Cause::Other,
        }
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        let cause = match (&e, auth_kind(&e)) {
            (_, Some(k)) => Cause::Auth(k),
            (Error::Transport(_) | Error::Timeout { .. } | Error::RetriesExhausted { .. }, None) => Cause::Network,
            _ => Cause::Other,
        };
        Self {
            code: exit_code(&e),
            message: e.to_string(),
            hint: None,
            cause,
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        Self::new(EXIT_API, format!("cannot write the output: {e}"))
    }
}

pub(crate) type CliResult<T = ()> = Result<T, CliError>;

fn non_empty(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

/// A time for people: RFC 3339, UTC, to the second.
pub(crate) fn when(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// A duration for people, to the second (`9m 30s`).
pub(crate) fn how_long(d: Duration) -> String {
    humantime::format_duration(Duration::from_secs(d.as_secs().max(1))).to_string()
}

/// The demo credentials the sandbox accepts for `product`.
pub(crate) fn demo_credentials(product: Product) -> (&'static str, &'static str) {
    match product {
        Product::PartnerPortal => (
            yeastar_sandbox::DEMO_PP_CLIENT_ID,
            yeastar_sandbox::DEMO_PP_CLIENT_SECRET,
        ),
        Product::Ycm => (
            yeastar_sandbox::DEMO_YCM_CLIENT_ID,
            yeastar_sandbox::DEMO_YCM_CLIENT_SECRET,
        ),
        _ => (
            yeastar_sandbox::DEMO_WP_CLIENT_ID,
            yeastar_sandbox::DEMO_WP_CLIENT_SECRET,
        ),
    }
}

/// `yeastar completions SHELL`.
pub(crate) fn completions(shell: clap_complete::Shell) -> CliResult {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::command_for_completions(), "yeastar", &mut buf);
    crate::output::write_stdout(&String::from_utf8_lossy(&buf))
}

/// The context of one run: the global options, the config file (read when first needed), the
/// output format, and what the connection in use was (to explain a refusal).
pub(crate) struct Ctx {
    pub(crate) global: GlobalArgs,
    pub(crate) sandbox_url: Option<String>,
    output: Output,
    config: OnceLock<Config>,
    active: Mutex<Option<Active>>,
}

impl fmt::Debug for Ctx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ctx")
            .field("global", &self.global)
            .field("sandbox_url", &self.sandbox_url)
            .finish_non_exhaustive()
    }
}

/// The connection a command used, kept to explain its failure.
#[derive(Debug)]
struct Active {
    product: Product,
    whose: String,
    /// Where the client secret in use came from (a flag or variable can override a profile's).
    secret_from: Option<String>,
    base_url: String,
    static_token: bool,
    refusals: Option<Refusals>,
}

/// The settings of one product, from the flags, the environment and the profile.
#[derive(Debug, Default)]
pub(crate) struct Settings {
    product: Option<Product>,
    /// The profile in use, if any.
    pub(crate) profile: Option<String>,
    doc: ProductDoc,
}

impl Settings {
    /// The Workplace region: flag or environment, else profile.
    pub(crate) fn region(&self, global: &GlobalArgs) -> Option<RegionArg> {
        global.region.or(self.doc.region)
    }
}

impl Ctx {
    pub(crate) fn new(global: GlobalArgs, sandbox_url: Option<String>) -> Self {
        let output = Output::new(global.output);
        Self {
            global,
            sandbox_url,
            output,
            config: OnceLock::new(),
            active: Mutex::new(None),
        }
    }

    pub(crate) fn out(&self) -> Output {
        self.output
    }

    /// The config file, read on first use.
    pub(crate) fn config(&self) -> CliResult<&Config> {
        if let Some(c) = self.config.get() {
            return Ok(c);
        }
        let c = Config::load(self.global.config.as_deref())?;
        Ok(self.config.get_or_init(|| c))
    }

    /// The settings of `product`: the profile's, for the flags and environment to override.
    /// With `--sandbox`, no profile is read.
    pub(crate) fn settings(&self, product: Product) -> CliResult<Settings> {
        if self.sandbox_url.is_some() {
            return Ok(Settings::default());
        }
        let config = self.config()?;
        let profile = config.choose(self.global.profile.as_deref())?;
        let doc = profile
            .as_deref()
            .and_then(|p| config.product(p, product))
            .unwrap_or_default();
        Ok(Settings {
            product: Some(product),
            profile,
            doc,
        })
    }

    /// Resolves the connection to `product`, whose host is `default_base_url` unless the flags,
    /// the environment or the profile say otherwise. With `--sandbox`, the sandbox and its demo
    /// credentials win over everything, and no token cache is used. A secret refused less than
    /// ten minutes ago stops here, before anything is sent.
    pub(crate) fn connect(
        &self,
        product: Product,
        settings: Settings,
        default_base_url: &str,
    ) -> CliResult<Connection> {
        debug_assert!(settings.product.is_none_or(|p| p == product));
        let g = &self.global;
        if let Some(url) = &self.sandbox_url {
            let (id, secret) = demo_credentials(product);
            return Ok(Connection {
                product,
                base_url: url.clone(),
                base_url_set: true,
                credentials: Credentials::client(id, secret),
                store: None,
                profile: None,
                client_id: Some(id.to_owned()),
                secret_from: Some("the sandbox's demo credentials".into()),
            });
        }
        let whose = match &settings.profile {
            Some(p) => format!("profile `{p}` ({})", product.as_str()),
            None => format!("{} (no profile)", product.as_str()),
        };
        let doc = &settings.doc;
        let base_override = non_empty(&g.base_url)
            .map(str::to_owned)
            .or_else(|| doc.base_url.clone().filter(|u| !u.is_empty()));
        let base_url = base_override.clone().unwrap_or_else(|| default_base_url.to_owned());
        let mut conn = Connection {
            product,
            base_url: base_url.clone(),
            base_url_set: base_override.is_some(),
            credentials: Credentials::access_token(""),
            store: None,
            profile: settings.profile.clone(),
            client_id: None,
            secret_from: None,
        };
        if let Some(token) = non_empty(&g.access_token) {
            conn.credentials = Credentials::access_token(token);
            conn.secret_from = Some("an access token (--access-token or YEASTAR_ACCESS_TOKEN)".into());
            self.set_active(Active {
                product,
                whose,
                secret_from: None,
                base_url,
                static_token: true,
                refusals: None,
            });
            return Ok(conn);
        }
        let client_id = non_empty(&g.client_id)
            .map(str::to_owned)
            .or_else(|| doc.client_id.clone());
        let secret_source = non_empty(&g.client_secret)
            .map(|s| {
                (
                    SecretSource::Literal(s.to_owned()),
                    "--client-secret or YEASTAR_CLIENT_SECRET".to_owned(),
                )
            })
            .or_else(|| {
                doc.secret_source().map(|s| {
                    let from = match &s {
                        SecretSource::Literal(_) => "client_secret",
                        SecretSource::Env(_) => "client_secret_env",
                        SecretSource::Command(_) => "client_secret_command",
                    };
                    (s, format!("{whose}: {from}"))
                })
            });
        let (id, (source, from)) = match (client_id, secret_source) {
            (Some(id), Some(s)) => (id, s),
            (Some(_), None) => {
                return Err(
                    CliError::usage(format!("{whose}: a client id but no client secret")).with_hint(
                        "give --client-secret (or YEASTAR_CLIENT_SECRET), or add client_secret_env or \
                     client_secret_command to the profile",
                    ),
                );
            }
            (None, Some(_)) => {
                return Err(CliError::usage(format!("{whose}: a client secret but no client id"))
                    .with_hint("give --client-id (or YEASTAR_CLIENT_ID), or add client_id to the profile"));
            }
            (None, None) => {
                return Err(
                    CliError::usage(format!("no credentials for {product}: {whose} has none")).with_hint(format!(
                        "add them to a profile (`yeastar profile add NAME --product {}`), or pass \
                         --client-id and --client-secret (or YEASTAR_CLIENT_ID and YEASTAR_CLIENT_SECRET), \
                         or --access-token; or try --sandbox",
                        product.as_str()
                    )),
                );
            }
        };
        let secret = source.resolve(&whose)?;
        let dir = if g.no_token_cache { None } else { trusted_cache_dir() };
        let refusals = dir
            .as_deref()
            .map(|d| Refusals::new(d, product, &base_url, &id, &secret));
        if let Some(r) = refusals.as_ref().and_then(|r| r.check(SystemTime::now())) {
            let left = r.until.duration_since(SystemTime::now()).unwrap_or_default();
            return Err(CliError {
                code: EXIT_TRANSPORT,
                message: format!(
                    "{product}: the client secret of client id {id} was refused at {}; it is not sent again \
                     before {} (in {}), so that repeated runs do not get this IP blocked",
                    when(r.at),
                    when(r.until),
                    how_long(left)
                ),
                hint: Some(format!(
                    "fix the client secret ({from}; a different secret is tried at once), or check it now \
                     with `yeastar {} auth status --no-token-cache`, which skips this check",
                    product.as_str()
                )),
                cause: Cause::Auth(AuthErrorKind::CredentialsRejected),
            });
        }
        conn.store = dir.map(|d| Arc::new(FileTokenStore::new(&d, product, &base_url, &id)));
        conn.credentials = Credentials::client(id.clone(), secret);
        conn.client_id = Some(id);
        conn.secret_from = Some(from.clone());
        self.set_active(Active {
            product,
            whose,
            secret_from: Some(from),
            base_url,
            static_token: false,
            refusals,
        });
        Ok(conn)
    }

    fn set_active(&self, active: Active) {
        *self.active.lock().unwrap_or_else(|p| p.into_inner()) = Some(active);
    }

    /// Completes an error with what to do next, and remembers a refused secret.
    pub(crate) fn explain(&self, mut e: CliError) -> CliError {
        let Some(active) = self.active.lock().unwrap_or_else(|p| p.into_inner()).take() else {
            return e;
        };
        let cmd = active.product.as_str();
        match e.cause {
            Cause::Auth(AuthErrorKind::CredentialsRejected) if e.hint.is_none() => {
                // `auth status` alone would meet the same memory of the refusal: say how to check now.
                let (check, retry) = match &active.refusals {
                    Some(r) => (
                        " --no-token-cache",
                        format!(
                            "; otherwise this secret is not sent again before {}",
                            when(r.remember(SystemTime::now()))
                        ),
                    ),
                    None => ("", String::new()),
                };
                let whose = active.secret_from.as_deref().unwrap_or(&active.whose);
                e.hint = Some(format!(
                    "check the client id and secret ({whose}): `yeastar {cmd} auth status{check}`{retry}"
                ));
            }
            Cause::Auth(AuthErrorKind::TokenRejected) if active.static_token && e.hint.is_none() => {
                e.hint = Some(format!(
                    "the access token given is expired or wrong: get a new one (`yeastar {cmd} auth token`) or \
                     use client credentials"
                ));
            }
            Cause::Network if e.hint.is_none() => {
                e.hint = Some(format!(
                    "check the network and the base URL in use ({}), then try again",
                    active.base_url
                ));
            }
            _ => {}
        }
        e
    }
}

/// Where and how to connect, resolved from the flags, the environment and the profile.
pub(crate) struct Connection {
    product: Product,
    base_url: String,
    /// Whether the base URL was set (else the builder's default is used).
    base_url_set: bool,
    credentials: Credentials,
    store: Option<Arc<FileTokenStore>>,
    profile: Option<String>,
    client_id: Option<String>,
    secret_from: Option<String>,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("product", &self.product)
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("token_cache", &self.store.as_ref().map(|s| s.path().to_owned()))
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// Applies the connection to a client builder.
    pub(crate) fn configure<P: ProductSpec>(&self, builder: ClientBuilder<P>) -> ClientBuilder<P> {
        let mut b = builder.credentials(self.credentials.clone()).app_name(APP_NAME);
        if self.base_url_set {
            b = b.base_url(self.base_url.clone());
        }
        if let Some(store) = &self.store {
            b = b.token_store(store.clone() as Arc<dyn TokenStore>);
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_flag_or_environment_wins_over_the_profile() {
        use clap::FromArgMatches;
        let global = |args: &[&str]| {
            let m = crate::cli::command()
                .try_get_matches_from(["yeastar"].iter().chain(args).chain(&["profile", "list"]))
                .unwrap();
            crate::cli::Cli::from_arg_matches(&m).unwrap().global
        };
        let settings = Settings {
            product: Some(Product::Workplace),
            profile: Some("p".into()),
            doc: ProductDoc {
                region: Some(RegionArg::Eu),
                ..ProductDoc::default()
            },
        };
        assert_eq!(settings.region(&global(&[])), Some(RegionArg::Eu));
        assert_eq!(
            settings.region(&global(&["--region", "global"])),
            Some(RegionArg::Global)
        );
        assert_eq!(Settings::default().region(&global(&[])), None);
    }
    use std::time::Duration;
    use yeastar_transport::{ApiError, TimeoutKind, TransportError, TransportErrorKind};

    #[test]
    fn every_error_kind_has_its_exit_code() {
        let api = ApiError::new(Product::Ycm, 400).with_code("X");
        assert_eq!(exit_code(&Error::from(api.clone())), 1);
        assert_eq!(exit_code(&Error::invalid_input("f", "m")), 2);
        assert_eq!(exit_code(&Error::Config("c".into())), 2);
        assert_eq!(
            exit_code(&Error::from(TransportError::new(
                TransportErrorKind::Connect,
                "refused"
            ))),
            3
        );
        assert_eq!(
            exit_code(&Error::Timeout {
                product: Product::Ycm,
                kind: TimeoutKind::Total,
                after: Duration::from_secs(1)
            }),
            3
        );
        // Error::Auth (AuthError is non-exhaustive) is covered by the wrong-secret test in tests/.
        assert_eq!(
            exit_code(&Error::RetriesExhausted {
                product: Product::Ycm,
                attempts: 3,
                last: Box::new(Error::from(api)),
            }),
            3
        );
        assert_eq!(
            exit_code(&Error::Paging {
                product: Product::Ycm,
                message: "m".into()
            }),
            1
        );
    }
}
