//! The command line, as clap types.

// Parsed once per process: boxing the larger subcommands would only add noise.
#![allow(clippy::large_enum_variant)]

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;

use clap::builder::FalseyValueParser;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use serde::Deserialize;
use yeastar_transport::Product;

mod ycm;
pub(crate) use self::ycm::*;

const AFTER_HELP: &str = "\
Profiles: credentials and hosts per product and tenant in a config file (default \
$XDG_CONFIG_HOME/yeastar/config.toml, else ~/.config/yeastar/config.toml); see `yeastar profile \
add --help`. Each setting is taken from its flag, else its YEASTAR_* environment variable, else \
the profile, else the default. Prefer the environment or the profile for secrets: command lines \
are visible to other users. --sandbox needs none: it starts the embedded sandbox.

Output (-o): table on a terminal, JSON otherwise; jsonl (one JSON value per line) and csv (a \
header row of the API's field names, list items joined by ;) on request. Lists read every page.

Exit codes: 0 success; 1 the API answered with an error; 2 usage error or input rejected \
before anything was sent; 3 transport, timeout or authentication failure.

Example:
  yeastar --sandbox partner-portal user get color123@yeastar.com";

/// The brief list of global options under every subcommand's help (the full list is in
/// `yeastar --help`).
pub(crate) const GLOBAL_BRIEF: &str = "Global options (see `yeastar --help`): -o/--output, --profile, --config, --base-url, \
--client-id, --client-secret, --access-token, --region, --sandbox, --no-token-cache";

/// Administer Yeastar Partner Portal, YCM and Workplace users from the command line.
#[derive(Debug, Parser)]
#[command(name = "yeastar", version, about, after_long_help = AFTER_HELP)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options shared by every command. Each is also read from the environment; the flag wins, and
/// both win over the profile.
#[derive(Clone, Args)]
#[command(next_help_heading = "Global options")]
pub(crate) struct GlobalArgs {
    /// Output format [default: table on a terminal, else json].
    #[arg(
        short,
        long,
        global = true,
        env = "YEASTAR_OUTPUT",
        value_enum,
        value_name = "FORMAT"
    )]
    pub(crate) output: Option<OutputFormat>,

    /// The profile to use [default: the file's default_profile, else "default"].
    #[arg(long, global = true, env = "YEASTAR_PROFILE", value_name = "NAME")]
    pub(crate) profile: Option<String>,

    /// The config file [default: $XDG_CONFIG_HOME/yeastar/config.toml].
    #[arg(long, global = true, env = "YEASTAR_CONFIG", value_name = "PATH")]
    pub(crate) config: Option<PathBuf>,

    /// Overrides the product's host (a proxy, the sandbox, a test server).
    #[arg(long, global = true, env = "YEASTAR_BASE_URL", value_name = "URL")]
    pub(crate) base_url: Option<String>,

    /// Uses this bearer token as is; no token is requested.
    #[arg(
        long,
        global = true,
        env = "YEASTAR_ACCESS_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub(crate) access_token: Option<String>,

    /// The client id of the product's OpenAPI application (tokens are obtained and cached).
    #[arg(long, global = true, env = "YEASTAR_CLIENT_ID", value_name = "ID")]
    pub(crate) client_id: Option<String>,

    /// The client secret that goes with the client id (prefer the environment or a profile).
    #[arg(
        long,
        global = true,
        env = "YEASTAR_CLIENT_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    pub(crate) client_secret: Option<String>,

    /// The Workplace region (ignored by the other products; --base-url wins).
    #[arg(long, global = true, env = "YEASTAR_REGION", value_enum, value_name = "REGION")]
    pub(crate) region: Option<RegionArg>,

    /// Starts the embedded sandbox and talks to it with its demo credentials.
    #[arg(long, global = true, env = "YEASTAR_SANDBOX", value_parser = FalseyValueParser::new())]
    pub(crate) sandbox: bool,

    /// Neither reads nor writes the token cache (nor the memory of refused secrets).
    #[arg(long, global = true, env = "YEASTAR_NO_TOKEN_CACHE", value_parser = FalseyValueParser::new())]
    pub(crate) no_token_cache: bool,
}

/// The ids of the global options, hidden from subcommands' help (listed once in `yeastar --help`).
pub(crate) const GLOBAL_IDS: [&str; 10] = [
    "output",
    "profile",
    "config",
    "base_url",
    "access_token",
    "client_id",
    "client_secret",
    "region",
    "sandbox",
    "no_token_cache",
];

impl fmt::Debug for GlobalArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |v: &Option<String>| v.as_ref().map(|_| "<redacted>");
        f.debug_struct("GlobalArgs")
            .field("output", &self.output)
            .field("profile", &self.profile)
            .field("config", &self.config)
            .field("base_url", &self.base_url)
            .field("access_token", &redacted(&self.access_token))
            .field("client_id", &self.client_id)
            .field("client_secret", &redacted(&self.client_secret))
            .field("region", &self.region)
            .field("sandbox", &self.sandbox)
            .field("no_token_cache", &self.no_token_cache)
            .finish()
    }
}

/// `-o/--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// Pretty JSON; a list is one array.
    Json,
    /// One compact JSON value per line (a list: one item per line).
    Jsonl,
    /// A table of the columns an admin looks for first.
    Table,
    /// A header row of the API's field names, then one row per item.
    Csv,
}

/// `--region`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RegionArg {
    /// The global host, workplace.yeastar.com (the default).
    Global,
    /// The EU host, eu.workplace.yeastar.com.
    Eu,
}

impl RegionArg {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Global => "global",
            Self::Eu => "eu",
        }
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Yeastar Partner Portal: subordinate users (customers), countries, billing contacts.
    #[command(
        name = "partner-portal",
        visible_alias = "pp",
        subcommand,
        after_help = "Example:\n  yeastar pp user list"
    )]
    PartnerPortal(PpCommand),
    /// Yeastar Central Management: users, customers, Cloud PBXs.
    #[command(subcommand, after_help = "Example:\n  yeastar ycm user get 13329")]
    Ycm(YcmCommand),
    /// Yeastar Workplace: users, groups, event subscription.
    #[command(visible_alias = "wp", subcommand, after_help = "Example:\n  yeastar wp group list")]
    Workplace(WpCommand),
    /// Profiles: credentials and hosts per product and tenant, in the config file.
    #[command(subcommand, after_help = "Example:\n  yeastar profile add acme --product ycm")]
    Profile(ProfileCommand),
    /// Prints a shell completion script.
    #[command(after_help = "Example:\n  yeastar completions bash > ~/.local/share/bash-completion/completions/yeastar")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Serves the sandbox (a local simulator of the three clouds) until interrupted.
    #[command(after_help = "Example:\n  yeastar sandbox --port 8080")]
    Sandbox(SandboxArgs),
}

// ------------------------------------------------------------------------------------------------
// auth, shared by the products

#[derive(Debug, Subcommand)]
pub(crate) enum AuthCommand {
    /// Shows the profile, base URL and client id in use, and whether a token can be obtained
    /// (exit 3 when the credentials are refused).
    #[command(after_help = "Example:\n  yeastar --profile acme ycm auth status")]
    Status,
    /// Prints a valid access token (for curl and other tools).
    #[command(after_help = "Example:\n  curl -H \"Authorization: Bearer $(yeastar ycm auth token)\" https://…")]
    Token,
}

// ------------------------------------------------------------------------------------------------
// Bulk import and export, shared by the products (commands/bulk.rs)

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The rows: CSV with a header row of API field names, or JSON Lines; `-` reads stdin.
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,
    /// The file's format [default: from its extension].
    #[arg(long, value_name = "FORMAT", value_parser = ["csv", "jsonl"])]
    pub(crate) format: Option<String>,
    /// Prints the plan as JSON (per row: line, key, action, changed fields); writes nothing.
    #[arg(long, conflicts_with = "report")]
    pub(crate) dry_run: bool,
    /// Writes one record per row: JSON Lines, CSV if PATH ends in .csv; `-` is stdout.
    #[arg(long, value_name = "PATH")]
    pub(crate) report: Option<PathBuf>,
    /// Where progress is journaled, to resume [default: the cache dir, per input and tenant].
    #[arg(long, value_name = "PATH")]
    pub(crate) journal: Option<PathBuf>,
    /// At most N writes in flight (lowered while the rate limit is hit).
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub(crate) concurrency: u16,
    /// At most N writes per second (a fixed cap on top of the adaptive pacing).
    #[arg(long, value_name = "N", value_parser = parse_rate)]
    pub(crate) rate: Option<f64>,
}

fn parse_rate(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(r) if r.is_finite() && r > 0.0 => Ok(r),
        _ => Err(format!("expected a positive number of writes per second, got {s:?}")),
    }
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// The file to write [default: stdout].
    #[arg(value_name = "FILE")]
    pub(crate) file: Option<PathBuf>,
    /// The format [default: from FILE's extension, else csv].
    #[arg(long, value_name = "FORMAT", value_parser = ["csv", "jsonl"])]
    pub(crate) format: Option<String>,
}

const IMPORT_ABOUT: &str = "Creates and updates users from a CSV or JSON Lines file: validated first, planned against \
the current users, paced to the rate limit, each user created once; run it again to resume. Exit codes: 0 every row \
done, 1 some rows failed, 2 invalid file (nothing written), 3 stopped by a transport or authentication failure.";

// ------------------------------------------------------------------------------------------------
// Profiles

#[derive(Debug, Subcommand)]
pub(crate) enum ProfileCommand {
    /// Lists the profiles of the config file.
    #[command(after_help = "Example:\n  yeastar profile list")]
    List,
    /// Shows a profile's settings, secrets redacted.
    #[command(after_help = "Example:\n  yeastar profile show acme")]
    Show {
        /// The profile [default: the one in use].
        name: Option<String>,
    },
    /// Adds (or replaces) a product's settings in a profile; writes the file with mode 0600.
    ///
    /// The client id, secret, base URL and region come from --client-id, --client-secret,
    /// --base-url and --region (or their YEASTAR_* variables); on a terminal, a missing client id
    /// and secret are asked for (the secret without echo).
    #[command(after_help = "Examples:\n  yeastar profile add acme --product ycm\n  \
        yeastar profile add acme --product workplace --client-id ID --client-secret-env ACME_WP_SECRET --region eu")]
    Add(ProfileAddArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ProfileAddArgs {
    /// The profile name.
    pub(crate) name: String,
    /// The product.
    #[arg(long, value_enum)]
    pub(crate) product: ProductArg,
    /// Read the secret from this environment variable at each run (nothing secret is stored).
    #[arg(long, value_name = "VAR", conflicts_with = "client_secret_command")]
    pub(crate) client_secret_env: Option<String>,
    /// Run this command (with sh -c) at each run; its output is the secret.
    #[arg(long, value_name = "CMD")]
    pub(crate) client_secret_command: Option<String>,
    /// Also make it the default profile.
    #[arg(long)]
    pub(crate) default: bool,
}

/// A product, as named in the config file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ProductArg {
    PartnerPortal,
    Ycm,
    Workplace,
}

impl From<ProductArg> for Product {
    fn from(p: ProductArg) -> Self {
        match p {
            ProductArg::PartnerPortal => Product::PartnerPortal,
            ProductArg::Ycm => Product::Ycm,
            ProductArg::Workplace => Product::Workplace,
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Partner Portal

#[derive(Debug, Subcommand)]
pub(crate) enum PpCommand {
    /// Subordinate users (customers).
    #[command(subcommand, after_help = "Example:\n  yeastar pp user get color123@yeastar.com")]
    User(PpUserCommand),
    /// The country list (the names `user create --country` takes).
    #[command(subcommand, after_help = "Example:\n  yeastar pp country list --name Chad")]
    Country(PpCountryCommand),
    /// Billing contacts.
    #[command(
        name = "billing-contact",
        subcommand,
        after_help = "Example:\n  yeastar pp billing-contact list"
    )]
    BillingContact(PpBillingCommand),
    /// Products you may subscribe to.
    #[command(subcommand, after_help = "Example:\n  yeastar pp product list")]
    Product(crate::commands::partner_portal::PpProductCommand),
    /// Orders: create, list, get.
    #[command(subcommand, after_help = "Example:\n  yeastar pp order list")]
    Order(crate::commands::partner_portal::PpOrderCommand),
    /// Purchased products (licences).
    #[command(subcommand, after_help = "Example:\n  yeastar pp licence list --product-id 13")]
    Licence(crate::commands::partner_portal::PpLicenceCommand),
    /// Checks the credentials; prints an access token.
    #[command(subcommand, after_help = "Example:\n  yeastar pp auth status")]
    Auth(AuthCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum PpUserCommand {
    /// Shows one user.
    #[command(after_help = "Example:\n  yeastar pp user get color123@yeastar.com")]
    Get {
        /// The user's Yeastar ID (email address).
        yeastar_id: String,
    },
    /// Lists every subordinate user.
    #[command(after_help = "Example:\n  yeastar pp user list -o csv > customers.csv")]
    List,
    /// Creates a user (a customer). Needs --first-name or --last-name.
    #[command(
        after_help = "Example:\n  yeastar pp user create --yeastar-id ada@example.com --company \"Example Ltd\" \\\n    \
        --country Chad --first-name Ada"
    )]
    Create(PpCreateArgs),
    /// Changes the fields given; the others are left as they are.
    #[command(after_help = "Example:\n  yeastar pp user edit ada@example.com --city Xiamen")]
    Edit(PpEditArgs),
    /// Creates and updates users (customers) from a file, keyed by Yeastar ID.
    #[command(long_about = IMPORT_ABOUT, after_help = "Example:\n  yeastar pp user import customers.csv --report report.csv")]
    Import(ImportArgs),
    /// Writes every user in the import format.
    #[command(after_help = "Example:\n  yeastar pp user export customers.csv")]
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub(crate) struct PpCreateArgs {
    /// The new user's Yeastar ID (email address).
    #[arg(long, value_name = "EMAIL")]
    pub(crate) yeastar_id: String,
    /// Company.
    #[arg(long)]
    pub(crate) company: String,
    /// Country name, as in `partner-portal country list`.
    #[arg(long, value_name = "NAME")]
    pub(crate) country: String,
    #[command(flatten)]
    pub(crate) profile: PpProfileArgs,
    /// Sends the user an activation email.
    #[arg(long, value_name = "BOOL")]
    pub(crate) send_activation_email: Option<bool>,
}

#[derive(Debug, Args)]
pub(crate) struct PpEditArgs {
    /// The user's Yeastar ID (email address).
    pub(crate) yeastar_id: String,
    /// Company.
    #[arg(long)]
    pub(crate) company: Option<String>,
    #[command(flatten)]
    pub(crate) profile: PpProfileArgs,
}

#[derive(Debug, Args)]
pub(crate) struct PpProfileArgs {
    /// First name.
    #[arg(long)]
    pub(crate) first_name: Option<String>,
    /// Last name.
    #[arg(long)]
    pub(crate) last_name: Option<String>,
    /// Phone number.
    #[arg(long, value_name = "PHONE")]
    pub(crate) phone_number: Option<String>,
    /// State or province.
    #[arg(long, value_name = "STATE")]
    pub(crate) state_province: Option<String>,
    /// City.
    #[arg(long)]
    pub(crate) city: Option<String>,
    /// Street.
    #[arg(long)]
    pub(crate) street: Option<String>,
    /// ZIP / postal code.
    #[arg(long, value_name = "ZIP")]
    pub(crate) zip_code: Option<String>,
    /// The kind of tax number.
    #[arg(long, value_name = "TYPE", value_parser = ["VAT_number", "Tax_ID", "TIN_number", "RUC", "CUIT"])]
    pub(crate) tax_type: Option<String>,
    /// Tax number.
    #[arg(long)]
    pub(crate) tax_num: Option<String>,
    /// Remark.
    #[arg(long)]
    pub(crate) remark: Option<String>,
}

impl PpProfileArgs {
    pub(crate) fn is_empty(&self) -> bool {
        [
            &self.first_name,
            &self.last_name,
            &self.phone_number,
            &self.state_province,
            &self.city,
            &self.street,
            &self.zip_code,
            &self.tax_type,
            &self.tax_num,
            &self.remark,
        ]
        .iter()
        .all(|f| f.is_none())
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum PpCountryCommand {
    /// Lists every country (all pages).
    #[command(after_help = "Example:\n  yeastar pp country list --name Chad")]
    List {
        /// Only countries whose name matches.
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum PpBillingCommand {
    /// Lists the billing contacts.
    #[command(after_help = "Example:\n  yeastar pp billing-contact list")]
    List,
}

// ------------------------------------------------------------------------------------------------
// YCM

#[derive(Debug, Subcommand)]
pub(crate) enum YcmCommand {
    /// Users.
    #[command(subcommand, after_help = "Example:\n  yeastar ycm user list")]
    User(YcmUserCommand),
    /// The account's subordinate users.
    #[command(subcommand, after_help = "Example:\n  yeastar ycm subordinate list")]
    Subordinate(YcmSubordinateCommand),
    /// Customers (the end customers Cloud PBXs are made for).
    #[command(subcommand, after_help = "Example:\n  yeastar ycm customer list")]
    Customer(YcmCustomerCommand),
    /// Cloud PBXs: create (and wait until running), start, stop, resize, customers, delete.
    #[command(subcommand, after_help = "Example:\n  yeastar ycm pbx status 7715")]
    Pbx(YcmPbxCommand),
    /// The regions a Cloud PBX can run in.
    #[command(subcommand, after_help = "Example:\n  yeastar ycm region list")]
    Region(YcmRegionCommand),
    /// The domains of a region.
    #[command(subcommand, after_help = "Example:\n  yeastar ycm domain list --region-id 3")]
    Domain(YcmDomainCommand),
    /// The PBX firmware a new Cloud PBX can run.
    #[command(subcommand, after_help = "Example:\n  yeastar ycm firmware list")]
    Firmware(YcmFirmwareCommand),
    /// Checks the credentials; prints an access token.
    #[command(subcommand, after_help = "Example:\n  yeastar ycm auth status")]
    Auth(AuthCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum YcmUserCommand {
    /// Shows one user.
    #[command(after_help = "Example:\n  yeastar ycm user get 13329")]
    Get {
        /// The user id.
        user_id: u64,
    },
    /// Lists every user (all pages).
    #[command(after_help = "Example:\n  yeastar ycm user list --sort -userId")]
    List {
        /// Sort order: a field, `-field` for descending (e.g. -userId).
        #[arg(long, allow_hyphen_values = true)]
        sort: Option<String>,
    },
    /// Creates a user. A reseller or hosting user needs --company and the package
    /// (--total-extensions, --total-concurrent-calls, --total-recordings, --minimum-ext-per-pbx).
    #[command(
        after_help = "Example:\n  yeastar ycm user create --user-type my-colleague --first-name Ada --email ada@example.com"
    )]
    Create(YcmCreateArgs),
    /// Changes the fields given; the others are left as they are.
    #[command(
        after_help = "Example:\n  yeastar ycm user update 13329 --company \"New Company Name\" --pbx-creation-limit unlimited"
    )]
    Update(YcmUpdateArgs),
    /// Sets a reseller's or hosting user's package (all four totals are required).
    #[command(
        after_help = "Example:\n  yeastar ycm user subscription 13329 --total-extensions 100 \\\n    \
        --total-concurrent-calls 20 --total-recordings 10 --minimum-ext-per-pbx 5"
    )]
    Subscription(YcmSubscriptionArgs),
    /// Creates and updates users from a file, keyed by email.
    #[command(long_about = IMPORT_ABOUT, after_help = "Example:\n  yeastar ycm user import resellers.csv --dry-run")]
    Import(ImportArgs),
    /// Writes every user in the import format.
    #[command(after_help = "Example:\n  yeastar ycm user export resellers.csv")]
    Export(ExportArgs),
    /// Deletes users, all of one type.
    #[command(after_help = "Example:\n  yeastar ycm user delete --user-type my-colleague 13330 13333")]
    Delete {
        /// The users' type: "My Colleague" (my-colleague), "Reseller" (reseller) or
        /// "Hosting User" (hosting-user).
        #[arg(long, value_name = "TYPE", value_parser = parse_ycm_user_type)]
        user_type: yeastar_ycm::UserType,
        /// The user ids.
        #[arg(required = true, value_name = "USER_ID")]
        user_ids: Vec<u64>,
    },
}

#[derive(Debug, Args)]
pub(crate) struct YcmCreateArgs {
    /// "My Colleague" (my-colleague), "Reseller" (reseller) or "Hosting User" (hosting-user).
    #[arg(long, value_name = "TYPE", value_parser = parse_ycm_user_type)]
    pub(crate) user_type: yeastar_ycm::UserType,
    /// First name.
    #[arg(long)]
    pub(crate) first_name: String,
    /// Email address.
    #[arg(long)]
    pub(crate) email: String,
    /// Company (required for resellers and hosting users).
    #[arg(long)]
    pub(crate) company: Option<String>,
    /// Last name.
    #[arg(long)]
    pub(crate) last_name: Option<String>,
    /// Phone number.
    #[arg(long)]
    pub(crate) phone: Option<String>,
    /// Mobile number.
    #[arg(long)]
    pub(crate) mobile: Option<String>,
    /// Address.
    #[arg(long)]
    pub(crate) address: Option<String>,
    /// Remark.
    #[arg(long)]
    pub(crate) remark: Option<String>,
    /// total extensions.
    #[arg(long, value_name = "N", help_heading = "Package")]
    pub(crate) total_extensions: Option<u32>,
    /// total concurrent calls.
    #[arg(long, value_name = "N", help_heading = "Package")]
    pub(crate) total_concurrent_calls: Option<u32>,
    /// total recordings.
    #[arg(long, value_name = "N", help_heading = "Package")]
    pub(crate) total_recordings: Option<u32>,
    /// minimum extensions per PBX.
    #[arg(long, value_name = "N", help_heading = "Package")]
    pub(crate) minimum_ext_per_pbx: Option<u32>,
    /// ultimate-plan PBXs.
    #[arg(long, value_name = "N", help_heading = "Package")]
    pub(crate) total_ultimate_plan: Option<u32>,
    /// high availability.
    #[arg(long, value_name = "STATE", value_parser = ["subscribed", "unsubscribed"], help_heading = "Package")]
    pub(crate) high_availability: Option<String>,
    /// custom domains.
    #[arg(long, value_name = "N", help_heading = "Package")]
    pub(crate) total_custom_domains: Option<u32>,
    /// transcription.
    #[arg(long, value_name = "N", help_heading = "Package")]
    pub(crate) total_transcription: Option<u32>,
    /// connections.
    #[arg(long, value_name = "N", help_heading = "Package")]
    pub(crate) total_connections: Option<u32>,
}

#[derive(Debug, Args)]
pub(crate) struct YcmUpdateArgs {
    /// The user id.
    pub(crate) user_id: u64,
    /// Company.
    #[arg(long)]
    pub(crate) company: Option<String>,
    /// First name.
    #[arg(long)]
    pub(crate) first_name: Option<String>,
    /// Last name.
    #[arg(long)]
    pub(crate) last_name: Option<String>,
    /// Email address.
    #[arg(long)]
    pub(crate) email: Option<String>,
    /// Phone number.
    #[arg(long)]
    pub(crate) phone: Option<String>,
    /// Mobile number.
    #[arg(long)]
    pub(crate) mobile: Option<String>,
    /// Address.
    #[arg(long)]
    pub(crate) address: Option<String>,
    /// Remark.
    #[arg(long)]
    pub(crate) remark: Option<String>,
    /// Turns two-factor authentication off (it cannot be turned on through the API).
    #[arg(long)]
    pub(crate) disable_two_factor_auth: bool,
    /// The most Cloud PBXs a reseller may own: a positive number, or `unlimited`.
    #[arg(long, value_name = "N|unlimited", value_parser = parse_pbx_limit)]
    pub(crate) pbx_creation_limit: Option<PbxLimitArg>,
}

/// `--pbx-creation-limit`: 0 is passed on to the SDK, which refuses it before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PbxLimitArg {
    Unlimited,
    Count(u32),
}

fn parse_pbx_limit(s: &str) -> Result<PbxLimitArg, String> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("unlimited") {
        return Ok(PbxLimitArg::Unlimited);
    }
    s.parse::<u32>()
        .map(PbxLimitArg::Count)
        .map_err(|_| format!("expected a positive number or `unlimited`, got {s:?}"))
}

fn parse_ycm_user_type(s: &str) -> Result<yeastar_ycm::UserType, String> {
    use yeastar_ycm::UserType;
    let key: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .collect::<String>()
        .to_ascii_lowercase();
    match key.as_str() {
        "mycolleague" | "colleague" => Ok(UserType::MyColleague),
        "reseller" => Ok(UserType::Reseller),
        "hostinguser" => Ok(UserType::HostingUser),
        _ => Err(format!(
            "unknown user type {s:?}: expected \"My Colleague\", \"Reseller\" or \"Hosting User\""
        )),
    }
}

#[derive(Debug, Args)]
pub(crate) struct YcmSubscriptionArgs {
    /// The user id.
    pub(crate) user_id: u64,
    /// Total extensions.
    #[arg(long, value_name = "N")]
    pub(crate) total_extensions: u32,
    /// Total concurrent calls.
    #[arg(long, value_name = "N")]
    pub(crate) total_concurrent_calls: u32,
    /// Total recording minutes (YCM does not allow reducing them).
    #[arg(long, value_name = "N")]
    pub(crate) total_recordings: u32,
    /// Minimum extensions per PBX.
    #[arg(long, value_name = "N")]
    pub(crate) minimum_ext_per_pbx: u32,
    /// High availability.
    #[arg(long, value_name = "STATE", value_parser = ["subscribed", "unsubscribed"])]
    pub(crate) high_availability: Option<String>,
    /// Custom domains.
    #[arg(long, value_name = "N")]
    pub(crate) total_custom_domains: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum YcmSubordinateCommand {
    /// Lists every subordinate user (all pages).
    #[command(after_help = "Example:\n  yeastar ycm subordinate list --query acme")]
    List {
        /// A search keyword.
        #[arg(long)]
        query: Option<String>,
    },
}

// ------------------------------------------------------------------------------------------------
// Workplace

#[derive(Debug, Subcommand)]
pub(crate) enum WpCommand {
    /// Users.
    #[command(subcommand, after_help = "Example:\n  yeastar wp user list --query Leo")]
    User(WpUserCommand),
    /// User groups.
    #[command(subcommand, after_help = "Example:\n  yeastar wp group list")]
    Group(WpGroupCommand),
    /// Event subscription: events go to the Callback URI set in the admin portal.
    #[command(subcommand, after_help = "Example:\n  yeastar wp event subscribe --all")]
    Event(WpEventCommand),
    /// Checks the credentials; prints an access token.
    #[command(subcommand, after_help = "Example:\n  yeastar wp auth status")]
    Auth(AuthCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum WpUserCommand {
    /// Shows one user.
    #[command(after_help = "Example:\n  yeastar wp user get 54164")]
    Get {
        /// The member id.
        member_id: u64,
    },
    /// Lists every user (all pages).
    #[command(after_help = "Example:\n  yeastar wp user list --query \"Leo Ball\"")]
    List {
        /// A search query (name, email, …).
        #[arg(long)]
        query: Option<String>,
    },
    /// Creates a user.
    #[command(
        after_help = "Example:\n  yeastar wp user create --email amy@example.com --first-name Amy --group-id 1000127 \\\n    \
        --role-name User --preferred-building-name Yeastar"
    )]
    Create(WpCreateArgs),
    /// Changes the fields given and keeps every other field (reads the user, then writes it
    /// back whole, as Workplace resets any field an update omits). Workplace cannot return the
    /// face image: an update may clear it unless --image is given.
    #[command(after_help = "Example:\n  yeastar wp user update 54164 --email leo-new-email@yeastar.com")]
    Update(WpUpdateArgs),
    /// Creates and updates users from a file, keyed by email (groups by id or by name).
    #[command(long_about = IMPORT_ABOUT, after_help = "Example:\n  yeastar wp user import staff.csv --report report.csv")]
    Import(ImportArgs),
    /// Writes every user in the import format.
    #[command(after_help = "Example:\n  yeastar wp user export staff.csv")]
    Export(ExportArgs),
    /// Removes a user.
    #[command(after_help = "Example:\n  yeastar wp user delete 54199")]
    Delete {
        /// The member id.
        member_id: u64,
    },
}

#[derive(Debug, Args)]
pub(crate) struct WpCreateArgs {
    /// Email address.
    #[arg(long)]
    pub(crate) email: String,
    /// First name.
    #[arg(long)]
    pub(crate) first_name: String,
    /// A group of the user (repeat for several).
    #[arg(long = "group-id", value_name = "ID", required = true)]
    pub(crate) group_ids: Vec<u64>,
    /// Role: Administrator, User, or a custom role's name.
    #[arg(long, value_name = "ROLE")]
    pub(crate) role_name: String,
    /// The building of the user's workplace.
    #[arg(long, value_name = "NAME")]
    pub(crate) preferred_building_name: String,
    #[command(flatten)]
    pub(crate) optional: WpOptionalArgs,
}

#[derive(Debug, Args)]
pub(crate) struct WpUpdateArgs {
    /// The member id.
    pub(crate) member_id: u64,
    /// Email address.
    #[arg(long)]
    pub(crate) email: Option<String>,
    /// First name.
    #[arg(long)]
    pub(crate) first_name: Option<String>,
    /// The user's groups (repeat for several); replaces the current list.
    #[arg(long = "group-id", value_name = "ID")]
    pub(crate) group_ids: Vec<u64>,
    /// Role: Administrator, User, or a custom role's name.
    #[arg(long, value_name = "ROLE")]
    pub(crate) role_name: Option<String>,
    /// The building of the user's workplace.
    #[arg(long, value_name = "NAME")]
    pub(crate) preferred_building_name: Option<String>,
    #[command(flatten)]
    pub(crate) optional: WpOptionalArgs,
}

#[derive(Debug, Args)]
pub(crate) struct WpOptionalArgs {
    /// Last name.
    #[arg(long)]
    pub(crate) last_name: Option<String>,
    /// The floor of the user's workplace.
    #[arg(long, value_name = "NAME")]
    pub(crate) preferred_floor_name: Option<String>,
    /// Mobile phone number.
    #[arg(long)]
    pub(crate) phone: Option<String>,
    /// Identification code.
    #[arg(long)]
    pub(crate) id_code: Option<String>,
    /// A face image (PNG or JPEG file, at most 2 MiB).
    #[arg(long, value_name = "FILE")]
    pub(crate) image: Option<PathBuf>,
    /// Whether to send an invitation email.
    #[arg(long, value_name = "true|false")]
    pub(crate) send_invite_email: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum WpGroupCommand {
    /// Lists every group (all pages).
    #[command(after_help = "Example:\n  yeastar wp group list --name Sales")]
    List {
        /// Only groups whose name matches.
        #[arg(long)]
        name: Option<String>,
    },
    /// Shows one group.
    #[command(after_help = "Example:\n  yeastar wp group get 8")]
    Get {
        /// The group id.
        group_id: u64,
    },
    /// Creates a group.
    #[command(after_help = "Example:\n  yeastar wp group create --name Ops --member-id 54164")]
    Create {
        /// The group name.
        #[arg(long)]
        name: String,
        /// A member of the new group (repeat for several).
        #[arg(long = "member-id", value_name = "ID")]
        member_ids: Vec<u64>,
    },
    /// Renames a group.
    #[command(after_help = "Example:\n  yeastar wp group update 8 --name \"Sales EMEA\"")]
    Update {
        /// The group id.
        group_id: u64,
        /// The new name.
        #[arg(long)]
        name: String,
    },
    /// Deletes a group.
    #[command(after_help = "Example:\n  yeastar wp group delete 8")]
    Delete {
        /// The group id.
        group_id: u64,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum WpEventCommand {
    /// Subscribes to events. Workplace POSTs them to the Callback URI set in its admin portal
    /// (Integration > API > Settings). Workplace has no call that lists subscriptions.
    #[command(
        after_help = "Examples:\n  yeastar wp event subscribe --event-type MEETING_CREATED --event-type MEETING_DELETED\n  \
        yeastar wp event subscribe --all"
    )]
    Subscribe {
        /// An event type (repeat for several): MEETING_CREATED, MEETING_UPDATED, MEETING_DELETED,
        /// MEETING_REACHED_START_TIME, MEETING_CHECKED_IN, MEETING_CHECKED_OUT, MEETING_EXTENDED,
        /// MEETING_REACHED_END_TIME.
        #[arg(
            long = "event-type",
            value_name = "TYPE",
            required_unless_present = "all",
            conflicts_with = "all"
        )]
        event_types: Vec<String>,
        /// Every event.
        #[arg(long)]
        all: bool,
    },
    /// Cancels every event subscription.
    #[command(after_help = "Example:\n  yeastar wp event cancel")]
    Cancel,
}

// ------------------------------------------------------------------------------------------------
// Sandbox

#[derive(Debug, Args)]
pub(crate) struct SandboxArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) host: IpAddr,
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub(crate) port: u16,
}

/// The command line as parsed and documented: the global options in full under `yeastar
/// --help`, and under every subcommand only once, briefly, after its own arguments.
pub(crate) fn command() -> clap::Command {
    let mut cmd = Cli::command();
    // Every subcommand gets hidden copies of the global options: still accepted everywhere
    // (clap skips propagating an option a subcommand already has), listed only at the top.
    let globals: Vec<clap::Arg> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| a.clone().hide(true))
        .collect();
    debug_assert_eq!(globals.len(), GLOBAL_IDS.len());
    for sc in cmd.get_subcommands_mut() {
        brief_globals(sc, &globals);
    }
    cmd
}

fn brief_globals(cmd: &mut clap::Command, globals: &[clap::Arg]) {
    let mut c = std::mem::take(cmd).args(globals.iter().cloned());
    c = c.help_template(format!(
        "{{before-help}}{{about-with-newline}}\n{{usage-heading}} {{usage}}\n\n{{all-args}}{{after-help}}\n\n{GLOBAL_BRIEF}"
    ));
    *cmd = c;
    for sc in cmd.get_subcommands_mut() {
        brief_globals(sc, globals);
    }
}

/// The command line with every option visible everywhere (for completion scripts).
pub(crate) fn command_for_completions() -> clap::Command {
    Cli::command()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::FromArgMatches;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
        command().debug_assert();
    }

    #[test]
    fn debug_redacts_secrets() {
        let m = command()
            .try_get_matches_from([
                "yeastar",
                "--client-secret",
                "hunter2-secret",
                "ycm",
                "user",
                "get",
                "1",
                "--access-token",
                "tok-123456",
            ])
            .unwrap();
        let cli = Cli::from_arg_matches(&m).unwrap();
        let dbg = format!("{cli:?}");
        assert!(!dbg.contains("hunter2-secret") && !dbg.contains("tok-123456"), "{dbg}");
        assert!(dbg.contains("<redacted>"), "{dbg}");
    }

    #[test]
    fn pbx_limits_and_user_types_parse() {
        assert_eq!(parse_pbx_limit("unlimited"), Ok(PbxLimitArg::Unlimited));
        assert_eq!(parse_pbx_limit("Unlimited"), Ok(PbxLimitArg::Unlimited));
        assert_eq!(parse_pbx_limit("0"), Ok(PbxLimitArg::Count(0)));
        assert_eq!(parse_pbx_limit("12"), Ok(PbxLimitArg::Count(12)));
        assert!(parse_pbx_limit("-1").is_err());
        assert!(parse_pbx_limit("many").is_err());
        use yeastar_ycm::UserType;
        assert_eq!(parse_ycm_user_type("My Colleague"), Ok(UserType::MyColleague));
        assert_eq!(parse_ycm_user_type("my-colleague"), Ok(UserType::MyColleague));
        assert_eq!(parse_ycm_user_type("Hosting User"), Ok(UserType::HostingUser));
        assert_eq!(parse_ycm_user_type("reseller"), Ok(UserType::Reseller));
        assert!(parse_ycm_user_type("Partner").is_err());
    }
}
