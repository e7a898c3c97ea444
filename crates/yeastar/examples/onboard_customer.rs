//! Onboards a YCM customer: creates the customer, picks a region, domain and firmware,
//! creates its Cloud PBX, waits until it runs, sends the activation email, resizes the PBX and
//! reads everything back.
//!
//! ```text
//! # Against a sandbox started in this process (the default):
//! cargo run -p yeastar --example onboard_customer
//! # Against YCM (creates a real customer and Cloud PBX):
//! YEASTAR_BASE_URL=https://ycm.yeastar.com YEASTAR_CLIENT_ID=… YEASTAR_CLIENT_SECRET=… \
//!     cargo run -p yeastar --example onboard_customer -- my-sub-domain
//! ```

use std::fmt;
use std::time::Duration;

use yeastar::ycm::{
    Capacity, Client, CloudPbx, CreateCloudPbx, CreateCustomer, Credentials, Customer, ListDomains, ListFirmware,
    PbxStatus, PbxType, Placement, Plan, Toggle, WaitOptions,
};
use yeastar_sandbox::{DEMO_YCM_CLIENT_ID, DEMO_YCM_CLIENT_SECRET, Sandbox, SandboxConfig};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What the onboarding made, as read back at the end.
#[derive(Debug)]
pub(crate) struct Onboarded {
    pub(crate) customer: Customer,
    pub(crate) pbx: CloudPbx,
    /// The PBX's customers.
    pub(crate) pbx_customers: Vec<u64>,
    /// Where the activation email went.
    pub(crate) activation_emails: Vec<String>,
}

/// The whole flow, for the PBX at `sub_domain`; `wait` says how long and how often to poll
/// while the PBX is provisioned.
pub(crate) async fn onboard(client: &Client, sub_domain: &str, wait: WaitOptions) -> Result<Onboarded, BoxError> {
    // 1. The customer.
    let customer = CreateCustomer::new("Ada", "Analytical Engines Ltd", "ada@engines.example")
        .last_name("Lovelace")
        .city("London");
    let customer_id = client.customers().create(customer).await?.id.ok_or("no customer id")?;

    // 2. Where the PBX runs: a region, one of its domains, a firmware available there.
    let region = client
        .regions()
        .list()
        .await?
        .into_iter()
        .find_map(|r| r.region_id)
        .ok_or("no region")?;
    let domain = client
        .domains()
        .list(ListDomains::new([region]))
        .await?
        .into_iter()
        .find_map(|d| d.domain_id)
        .ok_or("no domain")?;
    let firmware = client.firmware().list(ListFirmware::new().region_ids([region])).await?;
    let version = firmware.into_iter().find_map(|f| f.version_id).ok_or("no firmware")?;

    // 3. The Cloud PBX; creation is asynchronous: wait until it runs.
    let pbx = CreateCloudPbx::new(
        "Analytical Engines PBX",
        sub_domain,
        Placement::new(region, domain, version),
        Plan::EnterprisePlan,
        PbxType::Trial,
        Capacity::new(10, 4, Toggle::Enabled, 100),
        [customer_id],
    )
    .upgrade_in_pbx(Toggle::Enabled)
    .im(Toggle::Enabled);
    let pbx_id = client.cloud_pbxs().create(pbx).await?.id.ok_or("no Cloud PBX id")?;
    client.cloud_pbxs().wait_for(pbx_id, PbxStatus::Running, wait).await?;

    // 4. The activation email, then more extensions and calls (the recording is kept).
    let activation_emails = client
        .cloud_pbxs()
        .send_activation_emails(pbx_id, [customer_id])
        .await?;
    client
        .cloud_pbxs()
        .modify_capacity(pbx_id, |c| {
            c.extension_capacity = 20;
            c.concurrent_call_capacity = 8;
        })
        .await?;

    // 5. Everything read back.
    Ok(Onboarded {
        customer: client.customers().get(customer_id).await?,
        pbx: client.cloud_pbxs().get(pbx_id).await?,
        pbx_customers: client.cloud_pbxs().customers(pbx_id).await?,
        activation_emails,
    })
}

impl fmt::Display for Onboarded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (c, p) = (&self.customer, &self.pbx);
        let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        let number = |v: Option<u64>| v.map_or("-".into(), |n| n.to_string());
        writeln!(
            f,
            "customer {}: {} ({})",
            number(c.customer_id),
            text(&c.company),
            text(&c.email)
        )?;
        writeln!(
            f,
            "Cloud PBX {}: {} at {}, {}, firmware {}",
            number(p.cloud_pbx_id),
            text(&p.name),
            text(&p.url),
            p.pbx_status.as_ref().map_or("-", |s| s.as_str()),
            text(&p.version)
        )?;
        writeln!(
            f,
            "capacity: {} extensions, {} concurrent calls, {} recording minutes",
            number(p.extension_capacity),
            number(p.concurrent_call_capacity),
            number(p.recording_capacity)
        )?;
        writeln!(f, "customers of the PBX: {:?}", self.pbx_customers)?;
        write!(f, "activation email sent to: {}", self.activation_emails.join(", "))
    }
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let sub_domain = std::env::args().nth(1).unwrap_or_else(|| "analytical".to_owned());
    // YEASTAR_BASE_URL set: that server and the credentials of the environment; else a sandbox
    // in this process, kept alive until the end.
    let mut sandbox = None;
    let (base_url, client_id, client_secret) = match std::env::var("YEASTAR_BASE_URL") {
        Ok(url) => (
            url,
            std::env::var("YEASTAR_CLIENT_ID").map_err(|_| "YEASTAR_CLIENT_ID is not set")?,
            std::env::var("YEASTAR_CLIENT_SECRET").map_err(|_| "YEASTAR_CLIENT_SECRET is not set")?,
        ),
        Err(_) => {
            let s = sandbox.insert(Sandbox::start(SandboxConfig::new()).await?);
            println!("(a sandbox at {})", s.base_url());
            (
                s.base_url(),
                DEMO_YCM_CLIENT_ID.to_owned(),
                DEMO_YCM_CLIENT_SECRET.to_owned(),
            )
        }
    };
    let client = Client::builder()
        .credentials(Credentials::client(client_id, client_secret))
        .base_url(base_url)
        .app_name("onboard-customer-example")
        .build()?;
    let wait = WaitOptions::new(Duration::from_secs(15 * 60)).initial_interval(Duration::from_secs(1));
    let done = onboard(&client, &sub_domain, wait).await?;
    println!("{done}");
    drop(sandbox);
    Ok(())
}
