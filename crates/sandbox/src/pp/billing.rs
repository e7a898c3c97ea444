//! Billing contacts.

use std::sync::Arc;

use axum::extract::State;
use serde_json::Value;

use super::success;
use crate::app::App;
use crate::reply::Answer;

/// `GET /user/openapi/user/v1/client/billing_contact_list`: every `Contact_Info`, no paging.
pub(super) async fn list(State(app): State<Arc<App>>) -> Answer {
    let mut db = app.db();
    let list = Value::Array(db.pp.billing_contacts.clone());
    Ok(success(&mut db, list))
}
