//! Changes one field of a Workplace user without wiping the others.
//!
//! ```sh
//! YEASTAR_BASE_URL=http://127.0.0.1:8080 \
//! YEASTAR_CLIENT_ID=wp-demo-client YEASTAR_CLIENT_SECRET=wp-demo-secret \
//! cargo run -p yeastar-workplace --example modify_user -- 54164 leo-new-email@yeastar.com
//! ```
//!
//! Defaults to the local sandbox (`http://127.0.0.1:8080`) with its demo credentials. Without
//! arguments it modifies the first user listed and only prints what it would change.

use yeastar_workplace::{Client, Credentials, ListUsers};

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder()
        .base_url(env_or("YEASTAR_BASE_URL", "http://127.0.0.1:8080"))
        .credentials(Credentials::client(
            env_or("YEASTAR_CLIENT_ID", "wp-demo-client"),
            env_or("YEASTAR_CLIENT_SECRET", "wp-demo-secret"),
        ))
        .app_name("workplace-modify-user-example")
        .build()?;

    let mut args = std::env::args().skip(1);
    let member_id = match args.next() {
        Some(id) => id.parse::<u64>()?,
        None => {
            let mut users = client.users().list(ListUsers::new().page_size(10)).items();
            let Some(first) = users.next().await.transpose()? else {
                println!("no users");
                return Ok(());
            };
            println!("first user: {first:#?}");
            let Some(id) = first.member_id else {
                return Err("the first user has no memberId".into());
            };
            println!("pass `{id} <new email>` to change its email");
            return Ok(());
        }
    };
    let new_email = args.next().ok_or("usage: modify_user <memberId> <new email>")?;

    let before = client.users().get(member_id).await?;
    println!("before: {before:#?}");
    // Read-modify-write: everything but the email is sent back as read.
    client
        .users()
        .modify(member_id, |user| user.email = new_email.clone())
        .await?;
    let after = client.users().get(member_id).await?;
    println!("after: {after:#?}");
    Ok(())
}
