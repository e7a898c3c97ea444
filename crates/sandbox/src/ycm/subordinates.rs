//! Subordinate users (the resellers under the caller).

use std::sync::Arc;

use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Paging, success};
use crate::app::App;
use crate::extract::Q;
use crate::reply::Answer;

/// The query of `GET /dm/open_api/v1/user_info/subordinates`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ListQuery {
    #[serde(flatten)]
    paging: Paging,
    query: Option<String>,
}

/// `GET /dm/open_api/v1/user_info/subordinates`: Query All Subordinate Users (pages of 10, at
/// most 50; `query` matches id, name or email).
pub(super) async fn list(State(app): State<Arc<App>>, Q(q): Q<ListQuery>) -> Answer {
    let needle = q.query.unwrap_or_default().to_lowercase();
    let mut db = app.db();
    let list: Vec<Value> = db
        .ycm
        .users
        .values()
        .filter(|u| u.user_type == "Reseller")
        .map(|u| {
            (
                u.user_id,
                format!("{} {}", u.first_name, u.last_name).trim().to_owned(),
                u.email.clone(),
            )
        })
        .filter(|(id, name, email)| {
            needle.is_empty()
                || id.to_string().contains(&needle)
                || name.to_lowercase().contains(&needle)
                || email.to_lowercase().contains(&needle)
        })
        .map(|(id, name, email)| json!({"userId": id, "userName": name, "userEmail": email}))
        .collect();
    let data = q.paging.page(&list)?;
    Ok(success(&mut db, Some(data)))
}
