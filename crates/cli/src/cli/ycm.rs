//! The command line of YCM customers, Cloud PBXs and the lookups to create one (`yeastar ycm
//! customer|pbx|region|domain|firmware …`). Users and subordinates are in `cli.rs`.

use std::time::Duration;

use clap::{ArgGroup, Args, Subcommand, ValueEnum};

// ------------------------------------------------------------------------------------------------
// Customers

#[derive(Debug, Subcommand)]
pub(crate) enum YcmCustomerCommand {
    /// Lists every customer (all pages).
    #[command(after_help = "Example:\n  yeastar ycm customer list --sort -customerId -o csv")]
    List {
        /// Sort order: a field, `-field` for descending (e.g. -customerId).
        #[arg(long, allow_hyphen_values = true)]
        sort: Option<String>,
    },
    /// Shows one customer.
    #[command(after_help = "Example:\n  yeastar ycm customer get 50086120")]
    Get {
        /// The customer id.
        customer_id: u64,
    },
    /// Creates a customer; prints the new id.
    #[command(
        after_help = "Example:\n  yeastar ycm customer create --first-name Ada --company \"Analytical Engines\" \\\n    \
        --email ada@engines.example --city London"
    )]
    Create(YcmCustomerCreateArgs),
    /// Changes the fields given and keeps every other field (reads the customer, then writes
    /// it back whole, as YCM empties any field an update omits).
    #[command(after_help = "Example:\n  yeastar ycm customer update 50086120 --email leo.ball@example.com")]
    Update(YcmCustomerUpdateArgs),
    /// Deletes customers (none may still be a customer of a Cloud PBX).
    #[command(after_help = "Example:\n  yeastar ycm customer delete 50429525 50429524")]
    Delete {
        /// The customer ids.
        #[arg(required = true, value_name = "CUSTOMER_ID")]
        customer_ids: Vec<u64>,
    },
}

#[derive(Debug, Args)]
pub(crate) struct YcmCustomerCreateArgs {
    /// First name.
    #[arg(long)]
    pub(crate) first_name: String,
    /// Company.
    #[arg(long)]
    pub(crate) company: String,
    /// Email address.
    #[arg(long)]
    pub(crate) email: String,
    #[command(flatten)]
    pub(crate) fields: YcmCustomerFields,
}

#[derive(Debug, Args)]
pub(crate) struct YcmCustomerUpdateArgs {
    /// The customer id.
    pub(crate) customer_id: u64,
    /// First name.
    #[arg(long)]
    pub(crate) first_name: Option<String>,
    /// Company.
    #[arg(long)]
    pub(crate) company: Option<String>,
    /// Email address.
    #[arg(long)]
    pub(crate) email: Option<String>,
    #[command(flatten)]
    pub(crate) fields: YcmCustomerFields,
}

/// The optional fields of a customer.
#[derive(Debug, Args)]
pub(crate) struct YcmCustomerFields {
    /// Last name.
    #[arg(long)]
    pub(crate) last_name: Option<String>,
    /// Business number.
    #[arg(long, value_name = "PHONE")]
    pub(crate) business_number: Option<String>,
    /// Mobile number.
    #[arg(long, value_name = "PHONE")]
    pub(crate) mobile_number: Option<String>,
    /// Home number.
    #[arg(long, value_name = "PHONE")]
    pub(crate) home_number: Option<String>,
    /// Fax number.
    #[arg(long, value_name = "PHONE")]
    pub(crate) fax_number: Option<String>,
    /// ZIP code.
    #[arg(long, value_name = "ZIP")]
    pub(crate) zip_code: Option<String>,
    /// Street.
    #[arg(long)]
    pub(crate) street: Option<String>,
    /// City.
    #[arg(long)]
    pub(crate) city: Option<String>,
    /// State.
    #[arg(long)]
    pub(crate) state: Option<String>,
    /// Country.
    #[arg(long)]
    pub(crate) country: Option<String>,
    /// Remark.
    #[arg(long)]
    pub(crate) remark: Option<String>,
}

impl YcmCustomerFields {
    pub(crate) fn is_empty(&self) -> bool {
        [
            &self.last_name,
            &self.business_number,
            &self.mobile_number,
            &self.home_number,
            &self.fax_number,
            &self.zip_code,
            &self.street,
            &self.city,
            &self.state,
            &self.country,
            &self.remark,
        ]
        .iter()
        .all(|f| f.is_none())
    }
}

// ------------------------------------------------------------------------------------------------
// Cloud PBXs

#[derive(Debug, Subcommand)]
pub(crate) enum YcmPbxCommand {
    /// Lists every Cloud PBX (all pages).
    #[command(after_help = "Example:\n  yeastar ycm pbx list --search harbour")]
    List {
        /// A search keyword (name, URL, …).
        #[arg(long)]
        search: Option<String>,
        /// Sort order: a field, `-field` for descending (e.g. -createTime).
        #[arg(long, allow_hyphen_values = true)]
        sort: Option<String>,
    },
    /// Shows one Cloud PBX, by id or by URL.
    #[command(
        group = ArgGroup::new("which").required(true).args(["cloud_pbx_id", "url"]),
        after_help = "Examples:\n  yeastar ycm pbx get 7715\n  yeastar ycm pbx get --url cloud.example.yeastar.com"
    )]
    Get {
        /// The Cloud PBX id.
        cloud_pbx_id: Option<u64>,
        /// The Cloud PBX's URL instead of its id.
        #[arg(long)]
        url: Option<String>,
    },
    /// Shows the running and activation status.
    #[command(after_help = "Example:\n  yeastar ycm pbx status 7715")]
    Status {
        /// The Cloud PBX id.
        cloud_pbx_id: u64,
    },
    /// Creates a Cloud PBX (ids from `ycm region|domain|firmware list`; SWITCH: enabled or
    /// disabled); prints the new id, or with --wait the PBX once it runs.
    #[command(
        after_help = "Example:\n  yeastar ycm pbx create --name \"Acme PBX\" --sub-domain acme --region-id 3 \\\n    \
        --domain-id 1 --version-id 764 --plan enterprise --type commercial --extensions 20 \\\n    \
        --concurrent-calls 5 --recording-minutes 500 --customer-id 50086120 \\\n    \
        --upgrade-in-pbx enabled --im enabled --wait"
    )]
    Create(YcmPbxCreateArgs),
    /// Changes the name and switches given (SWITCH: enabled or disabled) and keeps the others.
    #[command(after_help = "Example:\n  yeastar ycm pbx update 42100 --passwordless-login disabled")]
    Update(YcmPbxUpdateArgs),
    /// Starts a Cloud PBX (see `pbx wait`).
    #[command(after_help = "Example:\n  yeastar ycm pbx start 43144")]
    Start {
        /// The Cloud PBX id.
        cloud_pbx_id: u64,
    },
    /// Stops a Cloud PBX.
    #[command(after_help = "Example:\n  yeastar ycm pbx stop 43144")]
    Stop {
        /// The Cloud PBX id.
        cloud_pbx_id: u64,
    },
    /// Changes the capacities given and keeps the others (SWITCH: enabled or disabled).
    #[command(after_help = "Example:\n  yeastar ycm pbx resize 42100 --extensions 30 --recording-minutes 600")]
    Resize(YcmPbxResizeArgs),
    /// Deletes Cloud PBXs.
    #[command(after_help = "Example:\n  yeastar ycm pbx delete 43144 43145")]
    Delete {
        /// The Cloud PBX ids.
        #[arg(required = true, value_name = "CLOUD_PBX_ID")]
        cloud_pbx_ids: Vec<u64>,
    },
    /// Lists the customers of a Cloud PBX, or adds and removes some (the others are kept).
    #[command(after_help = "Example:\n  yeastar ycm pbx customers 42100 --add 50086120 --remove 50329421")]
    Customers {
        /// The Cloud PBX id.
        cloud_pbx_id: u64,
        /// A customer to add (repeat for several).
        #[arg(long = "add", value_name = "CUSTOMER_ID")]
        add: Vec<u64>,
        /// A customer to remove (repeat for several; a PBX keeps at least one).
        #[arg(long = "remove", value_name = "CUSTOMER_ID")]
        remove: Vec<u64>,
    },
    /// Emails the activation link to customers of the PBX; prints the addresses.
    #[command(
        name = "activation-email",
        after_help = "Example:\n  yeastar ycm pbx activation-email 116671 --customer-id 50086120"
    )]
    ActivationEmail {
        /// The Cloud PBX id.
        cloud_pbx_id: u64,
        /// A customer to email (repeat for several) [default: every customer of the PBX].
        #[arg(long = "customer-id", value_name = "ID")]
        customer_ids: Vec<u64>,
    },
    /// Waits until the PBX runs (or has --until's status), then shows it. Exit 3 on timeout.
    #[command(after_help = "Example:\n  yeastar ycm pbx wait 420000 --timeout 10m")]
    Wait {
        /// The Cloud PBX id.
        cloud_pbx_id: u64,
        /// The status to wait for.
        #[arg(long, value_enum, default_value = "running")]
        until: WaitUntilArg,
        #[command(flatten)]
        wait: WaitArgs,
    },
}

/// How long and how often to poll the status.
#[derive(Debug, Clone, Copy, Args)]
pub(crate) struct WaitArgs {
    /// The longest wait (e.g. 90s, 15m).
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = parse_duration)]
    pub(crate) timeout: Duration,
    /// First poll pause (doubles up to 30s).
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = parse_duration)]
    pub(crate) poll_interval: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum WaitUntilArg {
    Running,
    Stopped,
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(s.trim()).map_err(|e| format!("{e} (e.g. 500ms, 90s, 15m)"))?;
    if d.is_zero() {
        return Err("must be more than 0".into());
    }
    // The SDK takes nothing longer (a year): say so rather than cap it silently.
    if d > yeastar_transport::MAX_TIME_LIMIT {
        return Err("must be at most 365 days".into());
    }
    Ok(d)
}

/// A feature switch: `Enabled` or `Disabled` in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ToggleArg {
    #[value(alias = "on")]
    Enabled,
    #[value(alias = "off")]
    Disabled,
}

impl From<ToggleArg> for yeastar_ycm::Toggle {
    fn from(t: ToggleArg) -> Self {
        match t {
            ToggleArg::Enabled => Self::Enabled,
            ToggleArg::Disabled => Self::Disabled,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PlanArg {
    Enterprise,
    Ultimate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PbxTypeArg {
    Trial,
    Commercial,
}

#[derive(Debug, Args)]
pub(crate) struct YcmPbxCreateArgs {
    /// Name.
    #[arg(long)]
    pub(crate) name: String,
    /// Sub-domain (digits, letters, -) of the URL.
    #[arg(long)]
    pub(crate) sub_domain: String,
    /// Region (`ycm region list`).
    #[arg(long, value_name = "ID")]
    pub(crate) region_id: u64,
    /// Domain of that region (`ycm domain list`).
    #[arg(long, value_name = "ID")]
    pub(crate) domain_id: u64,
    /// Firmware (`ycm firmware list`).
    #[arg(long, value_name = "ID")]
    pub(crate) version_id: u64,
    /// Plan.
    #[arg(long, value_enum, value_name = "enterprise|ultimate", hide_possible_values = true)]
    pub(crate) plan: PlanArg,
    /// PBX type.
    #[arg(
        long = "type",
        value_enum,
        value_name = "trial|commercial",
        hide_possible_values = true
    )]
    pub(crate) pbx_type: PbxTypeArg,
    /// Extensions.
    #[arg(long, value_name = "N")]
    pub(crate) extensions: u64,
    /// Concurrent calls.
    #[arg(long, value_name = "N")]
    pub(crate) concurrent_calls: u64,
    /// Call recording minutes (0: recording off).
    #[arg(long, value_name = "N")]
    pub(crate) recording_minutes: u64,
    /// Call recording [default: on unless 0 minutes].
    #[arg(long, value_enum, value_name = "SWITCH", hide_possible_values = true)]
    pub(crate) recording: Option<ToggleArg>,
    /// AI transcription minutes on top of the plan.
    #[arg(long, value_name = "N")]
    pub(crate) transcription_minutes: Option<u64>,
    /// A customer of the PBX (repeat for several).
    #[arg(long = "customer-id", value_name = "ID", required = true)]
    pub(crate) customer_ids: Vec<u64>,
    /// Shared-trunk DIDs, e.g. 6681=50036,50044.
    #[arg(long = "trunk-dids", value_name = "TRUNK=DIDS", value_parser = parse_trunk_dids)]
    pub(crate) trunk_dids: Vec<(u64, Vec<u64>)>,
    /// Expiry (Unix seconds); needs --run-after-expiration.
    #[arg(long, value_name = "UNIX_SECONDS", requires = "run_after_expiration")]
    pub(crate) expiration_date: Option<i64>,
    /// Whether it runs after --expiration-date.
    #[arg(
        long,
        value_name = "true|false",
        requires = "expiration_date",
        hide_possible_values = true
    )]
    pub(crate) run_after_expiration: Option<bool>,
    /// Firmware upgrades on the PBX side.
    #[arg(long, value_enum, value_name = "SWITCH", hide_possible_values = true)]
    pub(crate) upgrade_in_pbx: ToggleArg,
    /// Internal chat.
    #[arg(long, value_enum, value_name = "SWITCH", hide_possible_values = true)]
    pub(crate) im: ToggleArg,
    #[command(flatten)]
    pub(crate) logins: PbxLoginSwitches,
    /// Waits until it runs, then shows it.
    #[arg(long)]
    pub(crate) wait: bool,
    #[command(flatten)]
    pub(crate) wait_args: WaitArgs,
}

/// The optional switches of create and update.
#[derive(Debug, Args)]
pub(crate) struct PbxLoginSwitches {
    /// Passwordless login.
    #[arg(long, value_enum, value_name = "SWITCH", hide_possible_values = true)]
    pub(crate) passwordless_login: Option<ToggleArg>,
    /// Passwordless login for the superior account.
    #[arg(
        long = "superior-passwordless-login",
        value_enum,
        value_name = "SWITCH",
        hide_possible_values = true
    )]
    pub(crate) allow_superior_passwordless_login: Option<ToggleArg>,
    /// Provisioning through a template.
    #[arg(long, value_enum, value_name = "SWITCH", hide_possible_values = true)]
    pub(crate) provisioning_via_template: Option<ToggleArg>,
}

fn parse_trunk_dids(s: &str) -> Result<(u64, Vec<u64>), String> {
    let bad = || format!("expected TRUNK_ID=DID_ID,DID_ID (e.g. 6681=50036,50044), got {s:?}");
    let (trunk, dids) = s.split_once('=').ok_or_else(bad)?;
    let trunk = trunk.trim().parse().map_err(|_| bad())?;
    let dids = dids
        .split(',')
        .map(|d| d.trim().parse::<u64>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| bad())?;
    Ok((trunk, dids))
}

#[derive(Debug, Args)]
pub(crate) struct YcmPbxUpdateArgs {
    /// The Cloud PBX id.
    pub(crate) cloud_pbx_id: u64,
    /// Name.
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// Firmware upgrades on the PBX side.
    #[arg(long, value_enum, value_name = "SWITCH", hide_possible_values = true)]
    pub(crate) upgrade_in_pbx: Option<ToggleArg>,
    /// Internal chat.
    #[arg(long, value_enum, value_name = "SWITCH", hide_possible_values = true)]
    pub(crate) im: Option<ToggleArg>,
    #[command(flatten)]
    pub(crate) logins: PbxLoginSwitches,
    /// The PBX's API.
    #[arg(long, value_enum, value_name = "SWITCH", hide_possible_values = true)]
    pub(crate) pbx_api: Option<ToggleArg>,
    /// Trunk configuration access (firmware 84.21.0.66+).
    #[arg(long, value_enum, value_name = "SWITCH", hide_possible_values = true)]
    pub(crate) trunk_configuration_access: Option<ToggleArg>,
}

#[derive(Debug, Args)]
pub(crate) struct YcmPbxResizeArgs {
    /// The Cloud PBX id.
    pub(crate) cloud_pbx_id: u64,
    /// Extensions.
    #[arg(long, value_name = "N")]
    pub(crate) extensions: Option<u64>,
    /// Concurrent calls.
    #[arg(long, value_name = "N")]
    pub(crate) concurrent_calls: Option<u64>,
    /// Call recording.
    #[arg(long, value_enum, value_name = "SWITCH", hide_possible_values = true)]
    pub(crate) recording: Option<ToggleArg>,
    /// Call recording minutes.
    #[arg(long, value_name = "N")]
    pub(crate) recording_minutes: Option<u64>,
}

// ------------------------------------------------------------------------------------------------
// Lookups

#[derive(Debug, Subcommand)]
pub(crate) enum YcmRegionCommand {
    /// Lists the regions a Cloud PBX can run in.
    #[command(after_help = "Example:\n  yeastar ycm region list")]
    List,
}

#[derive(Debug, Subcommand)]
pub(crate) enum YcmDomainCommand {
    /// Lists the domains of regions.
    #[command(after_help = "Example:\n  yeastar ycm domain list --region-id 3")]
    List {
        /// A region (repeat for several) [default: every region].
        #[arg(long = "region-id", value_name = "ID")]
        region_ids: Vec<u64>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum YcmFirmwareCommand {
    /// Lists the PBX firmware a new Cloud PBX can run.
    #[command(after_help = "Example:\n  yeastar ycm firmware list --region-id 3")]
    List {
        /// Only firmware available in this region (repeat for several).
        #[arg(long = "region-id", value_name = "ID")]
        region_ids: Vec<u64>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_trunk_dids_parse() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("50ms"), Ok(Duration::from_millis(50)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("soon").is_err());
        assert_eq!(parse_trunk_dids("6681=50036, 50044"), Ok((6681, vec![50036, 50044])));
        assert!(parse_trunk_dids("6681").is_err());
        assert!(parse_trunk_dids("6681=").is_err());
        assert!(parse_trunk_dids("x=1").is_err());
    }
}
