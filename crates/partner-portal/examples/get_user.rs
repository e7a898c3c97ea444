//! Query a subordinate user, then list a few countries.
//!
//! ```sh
//! # Against the local sandbox (the defaults):
//! cargo run -p yeastar-partner-portal --example get_user
//! # Against Partner Portal:
//! YEASTAR_BASE_URL=https://openapi.partner.yeastar.com YEASTAR_CLIENT_ID=… YEASTAR_CLIENT_SECRET=… \
//!     cargo run -p yeastar-partner-portal --example get_user -- someone@example.com
//! ```

use futures_util::StreamExt;
use yeastar_partner_portal::countries::ListCountries;
use yeastar_partner_portal::{Client, Credentials};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
    let base_url = env("YEASTAR_BASE_URL", "http://127.0.0.1:8080");
    let client_id = env("YEASTAR_CLIENT_ID", "pp-demo-client");
    let client_secret = env("YEASTAR_CLIENT_SECRET", "pp-demo-secret");
    let yeastar_id = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "color123@yeastar.com".to_owned());

    let client = Client::builder()
        .credentials(Credentials::client(client_id, client_secret))
        .base_url(base_url)
        .app_name("get-user-example")
        .build()?;

    match client.users().get(&yeastar_id).await {
        Ok(user) => {
            println!("user {yeastar_id}:");
            println!("  partnerId: {}", user.partner_id.as_deref().unwrap_or("-"));
            println!(
                "  name:      {} {}",
                user.first_name.as_deref().unwrap_or(""),
                user.last_name.as_deref().unwrap_or("")
            );
            println!("  company:   {}", user.company.as_deref().unwrap_or("-"));
            println!("  country:   {}", user.country.as_deref().unwrap_or("-"));
            println!("  type:      {}", user.user_type.as_ref().map_or("-", |t| t.as_str()));
        }
        Err(e) => {
            eprintln!("query failed: {e}");
            if let Some(id) = e.request_id() {
                eprintln!("(quote request id {id} to Yeastar support)");
            }
            return Err(e.into());
        }
    }

    // The first five countries, read lazily (only the first page is requested).
    let mut countries = client
        .countries()
        .list(ListCountries::new().page_size(5))
        .items()
        .take(5);
    println!("countries:");
    while let Some(country) = countries.next().await {
        let country = country?;
        println!(
            "  {} {}",
            country.code.unwrap_or_default(),
            country.name.unwrap_or_default()
        );
    }
    Ok(())
}
