//! Updates a YCM user's company (the doc's example), then reads the user back.
//!
//! ```text
//! YEASTAR_BASE_URL=https://ycm.yeastar.com YEASTAR_CLIENT_ID=… YEASTAR_CLIENT_SECRET=… \
//!     cargo run -p yeastar-ycm --example update_user -- 13329 "New Company Name"
//! ```
//!
//! Without the environment variables it talks to the local sandbox (`http://127.0.0.1:8080`)
//! with its demo credentials.

use yeastar_ycm::{Client, Credentials, UpdateUser};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
    let base_url = env("YEASTAR_BASE_URL", "http://127.0.0.1:8080");
    let client_id = env("YEASTAR_CLIENT_ID", "ycm-demo-client");
    let client_secret = env("YEASTAR_CLIENT_SECRET", "ycm-demo-secret");

    let mut args = std::env::args().skip(1);
    let user_id: u64 = match args.next() {
        Some(id) => id.parse().map_err(|_| format!("not a user id: {id:?}"))?,
        None => 13329,
    };
    let company = args.next().unwrap_or_else(|| "New Company Name".to_owned());

    let client = Client::builder()
        .credentials(Credentials::client(client_id, client_secret))
        .base_url(base_url)
        .app_name("ycm-update-user-example")
        .build()?;

    let done = client.users().update(UpdateUser::new(user_id).company(company)).await?;
    println!(
        "updated user {user_id}: request id {}, server time {:?}",
        done.request_id.as_deref().unwrap_or("-"),
        done.timestamp()
    );

    let user = client.users().get(user_id).await?;
    println!(
        "user {user_id}: company {:?}, type {:?}, email {:?}",
        user.company, user.user_type, user.email
    );
    Ok(())
}
