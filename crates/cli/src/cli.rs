//! The command line, as clap types.

// Parsed once per process: boxing the larger subcommands would only add noise.
#![allow(clippy::large_enum_variant)]

use std::net::IpAddr;
use std::path::PathBuf;

use clap::builder::FalseyValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Credentials: --access-token, or --client-id with --client-secret (each also read from its \
YEASTAR_* environment variable; prefer the environment for secrets, command lines are visible \
to other users). --sandbox needs none: it starts the embedded sandbox and uses its demo \
credentials.

Output: the result as pretty JSON on stdout, with the API's field names; lists print one JSON \
array of every item, all pages read.

Exit codes: 0 success; 1 the API answered with an error; 2 usage error or input rejected \
before anything was sent; 3 transport, timeout or authentication failure.

Try: yeastar --sandbox partner-portal user get color123@yeastar.com";

/// Administer Yeastar Partner Portal, YCM and Workplace users from the command line.
#[derive(Debug, Parser)]
#[command(name = "yeastar", version, about, after_long_help = AFTER_HELP)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options shared by every command. Each is also read from the environment; the flag wins.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub(crate) struct GlobalArgs {
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

    /// The client secret that goes with --client-id (prefer the environment variable).
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

    /// Starts the embedded sandbox in-process and talks to it with its demo credentials
    /// (overrides --base-url and the credentials).
    #[arg(long, global = true, env = "YEASTAR_SANDBOX", value_parser = FalseyValueParser::new())]
    pub(crate) sandbox: bool,

    /// Neither reads nor writes the token cache file.
    #[arg(long, global = true, env = "YEASTAR_NO_TOKEN_CACHE", value_parser = FalseyValueParser::new())]
    pub(crate) no_token_cache: bool,
}

/// `--region`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RegionArg {
    /// The global host, workplace.yeastar.com (the default).
    Global,
    /// The EU host, eu.workplace.yeastar.com.
    Eu,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Yeastar Partner Portal: subordinate users (customers), countries, billing contacts.
    #[command(name = "partner-portal", visible_alias = "pp", subcommand)]
    PartnerPortal(PpCommand),
    /// Yeastar Central Management: users and subordinates.
    #[command(subcommand)]
    Ycm(YcmCommand),
    /// Yeastar Workplace: users and groups.
    #[command(visible_alias = "wp", subcommand)]
    Workplace(WpCommand),
    /// Serves the sandbox (a local simulator of the three clouds) until interrupted.
    Sandbox(SandboxArgs),
}

// ------------------------------------------------------------------------------------------------
// Partner Portal

#[derive(Debug, Subcommand)]
pub(crate) enum PpCommand {
    /// Subordinate users (customers).
    #[command(subcommand)]
    User(PpUserCommand),
    /// The country list (the names `user create --country` takes).
    #[command(subcommand)]
    Country(PpCountryCommand),
    /// Billing contacts.
    #[command(name = "billing-contact", subcommand)]
    BillingContact(PpBillingCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum PpUserCommand {
    /// Shows one user.
    Get {
        /// The user's Yeastar ID (email address).
        yeastar_id: String,
    },
    /// Lists every subordinate user.
    List,
    /// Creates a user (a customer). Needs --first-name or --last-name.
    Create(PpCreateArgs),
    /// Changes the fields given; the others are left as they are.
    Edit(PpEditArgs),
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
    #[arg(long, value_name = "true|false")]
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
    #[arg(long)]
    pub(crate) phone_number: Option<String>,
    /// State or province.
    #[arg(long)]
    pub(crate) state_province: Option<String>,
    /// City.
    #[arg(long)]
    pub(crate) city: Option<String>,
    /// Street.
    #[arg(long)]
    pub(crate) street: Option<String>,
    /// ZIP / postal code.
    #[arg(long)]
    pub(crate) zip_code: Option<String>,
    /// The kind of tax number.
    #[arg(long, value_parser = ["VAT_number", "Tax_ID", "TIN_number", "RUC", "CUIT"])]
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
    List {
        /// Only countries whose name matches.
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum PpBillingCommand {
    /// Lists the billing contacts.
    List,
}

// ------------------------------------------------------------------------------------------------
// YCM

#[derive(Debug, Subcommand)]
pub(crate) enum YcmCommand {
    /// Users.
    #[command(subcommand)]
    User(YcmUserCommand),
    /// The account's subordinate users.
    #[command(subcommand)]
    Subordinate(YcmSubordinateCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum YcmUserCommand {
    /// Shows one user.
    Get {
        /// The user id.
        user_id: u64,
    },
    /// Lists every user (all pages).
    List {
        /// Sort order: a field, `-field` for descending (e.g. -userId).
        #[arg(long, allow_hyphen_values = true)]
        sort: Option<String>,
    },
    /// Creates a user. A reseller or hosting user needs --company and the package
    /// (--total-extensions, --total-concurrent-calls, --total-recordings, --minimum-ext-per-pbx).
    Create(YcmCreateArgs),
    /// Changes the fields given; the others are left as they are.
    Update(YcmUpdateArgs),
    /// Deletes users, all of one type.
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
    /// Package: total extensions.
    #[arg(long, value_name = "N", help_heading = "Package")]
    pub(crate) total_extensions: Option<u32>,
    /// Package: total concurrent calls.
    #[arg(long, value_name = "N", help_heading = "Package")]
    pub(crate) total_concurrent_calls: Option<u32>,
    /// Package: total recordings.
    #[arg(long, value_name = "N", help_heading = "Package")]
    pub(crate) total_recordings: Option<u32>,
    /// Package: minimum extensions per PBX.
    #[arg(long, value_name = "N", help_heading = "Package")]
    pub(crate) minimum_ext_per_pbx: Option<u32>,
    /// Package: ultimate-plan PBXs.
    #[arg(long, value_name = "N", help_heading = "Package")]
    pub(crate) total_ultimate_plan: Option<u32>,
    /// Package: high availability.
    #[arg(long, value_parser = ["subscribed", "unsubscribed"], help_heading = "Package")]
    pub(crate) high_availability: Option<String>,
    /// Package: custom domains.
    #[arg(long, value_name = "N", help_heading = "Package")]
    pub(crate) total_custom_domains: Option<u32>,
    /// Package: transcription.
    #[arg(long, value_name = "N", help_heading = "Package")]
    pub(crate) total_transcription: Option<u32>,
    /// Package: connections.
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

#[derive(Debug, Subcommand)]
pub(crate) enum YcmSubordinateCommand {
    /// Lists every subordinate user (all pages).
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
    #[command(subcommand)]
    User(WpUserCommand),
    /// User groups.
    #[command(subcommand)]
    Group(WpGroupCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum WpUserCommand {
    /// Shows one user.
    Get {
        /// The member id.
        member_id: u64,
    },
    /// Lists every user (all pages).
    List {
        /// A search query (name, email, …).
        #[arg(long)]
        query: Option<String>,
    },
    /// Creates a user.
    Create(WpCreateArgs),
    /// Changes the fields given and keeps every other field (reads the user, then writes it
    /// back whole, as Workplace resets any field an update omits).
    Update(WpUpdateArgs),
    /// Removes a user.
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
    List {
        /// Only groups whose name matches.
        #[arg(long)]
        name: Option<String>,
    },
    /// Shows one group.
    Get {
        /// The group id.
        group_id: u64,
    },
    /// Creates a group.
    Create {
        /// The group name.
        #[arg(long)]
        name: String,
        /// A member of the new group (repeat for several).
        #[arg(long = "member-id", value_name = "ID")]
        member_ids: Vec<u64>,
    },
    /// Renames a group.
    Update {
        /// The group id.
        group_id: u64,
        /// The new name.
        #[arg(long)]
        name: String,
    },
    /// Deletes a group.
    Delete {
        /// The group id.
        group_id: u64,
    },
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
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
