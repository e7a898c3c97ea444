//! YCM customers: list, get, create, update (a full replace), delete.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::State;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::data::{CUSTOMER_FIELDS, Customer, Data};
use super::{Paging, ids, success};
use crate::app::App;
use crate::error::{ApiErr, Code};
use crate::extract::{JsonObject, PathParam, Q, is_email, opt_str, req_str};
use crate::reply::Answer;

pub(super) fn customer_not_found(id: u64) -> ApiErr {
    ApiErr::new(404, Code::NotFound, format!("Customer {id} does not exist"))
}

impl Data {
    fn customer(&self, id: u64) -> Result<&Customer, ApiErr> {
        self.customers.get(&id).ok_or_else(|| customer_not_found(id))
    }

    /// The customer fields of a create or update body: `firstName`, `company` and a valid
    /// `email` required; the rest optional strings. Unknown fields are ignored.
    fn customer_fields(
        &self,
        body: &Map<String, Value>,
        except: Option<u64>,
    ) -> Result<BTreeMap<&'static str, String>, ApiErr> {
        let mut fields = BTreeMap::new();
        for f in CUSTOMER_FIELDS {
            let value = match f {
                "firstName" | "company" | "email" => Some(req_str(body, f)?),
                _ => opt_str(body, f)?,
            };
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                fields.insert(f, v);
            }
        }
        let email = &fields["email"];
        if !is_email(email) {
            return Err(ApiErr::invalid("email", "email", "email must be an email address"));
        }
        if self
            .customers
            .values()
            .any(|c| Some(c.customer_id) != except && c.get("email").is_some_and(|e| e.eq_ignore_ascii_case(email)))
        {
            return Err(ApiErr::new(
                400,
                Code::EmailAlreadyExists,
                format!("The email {email} is already used by another customer"),
            ));
        }
        Ok(fields)
    }
}

/// The query of `GET /dm/open_api/v1/customers`.
#[derive(Debug, Deserialize)]
pub(super) struct ListQuery {
    #[serde(flatten)]
    paging: Paging,
    sort: Option<String>,
}

/// `GET /dm/open_api/v1/customers`: Query All the Customers (pages of 10, at most 50; `sort`
/// `customerId`/`-customerId`).
pub(super) async fn list(State(app): State<Arc<App>>, Q(q): Q<ListQuery>) -> Answer {
    let mut db = app.db();
    let mut list: Vec<Value> = db.ycm.customers.values().map(Customer::to_json).collect();
    super::sort_by_id(&mut list, q.sort.as_deref(), "customerId")?;
    let data = q.paging.page(&list)?;
    Ok(success(&mut db, Some(data)))
}

/// `GET /dm/open_api/v1/customers/{customerId}`: Query a Specific Customer.
pub(super) async fn get(State(app): State<Arc<App>>, id: PathParam) -> Answer {
    let id = id.number("customerId")?;
    let mut db = app.db();
    let customer = db.ycm.customer(id)?.to_json();
    Ok(success(&mut db, Some(customer)))
}

/// `POST /dm/open_api/v1/customers`: Create a Customer; answers `data: {customerId}`.
pub(super) async fn create(State(app): State<Arc<App>>, JsonObject(body): JsonObject) -> Answer {
    let mut db = app.db();
    let fields = db.ycm.customer_fields(&body, None)?;
    let customer_id = db.ycm.next_customer_id;
    db.ycm.next_customer_id += 1;
    db.ycm.customers.insert(customer_id, Customer { customer_id, fields });
    Ok(success(&mut db, Some(json!({"customerId": customer_id}))))
}

/// `PUT /dm/open_api/v1/customers/{customerId}`: Update a Customer. "Parameters not present in
/// the request will be set to NULL": the record is replaced.
pub(super) async fn update(State(app): State<Arc<App>>, id: PathParam, JsonObject(body): JsonObject) -> Answer {
    let id = id.number("customerId")?;
    let mut db = app.db();
    db.ycm.customer(id)?;
    let fields = db.ycm.customer_fields(&body, Some(id))?;
    db.ycm.customers.insert(
        id,
        Customer {
            customer_id: id,
            fields,
        },
    );
    Ok(success(&mut db, None))
}

/// `DELETE /dm/open_api/v1/customers` with `{customerIds}`: Delete Customers, all or nothing. A
/// customer associated with a Cloud PBX cannot be deleted (3000014, the simulator's choice).
pub(super) async fn delete(State(app): State<Arc<App>>, JsonObject(body): JsonObject) -> Answer {
    let ids = ids(&body, "customerIds")?;
    let mut db = app.db();
    for id in &ids {
        db.ycm.customer(*id)?;
        if let Some(pbx) = db.ycm.pbxs.values().find(|p| p.customer_ids.contains(id)) {
            return Err(ApiErr::new(
                400,
                Code::UserAssociatedCloudPbx,
                format!(
                    "Customer {id} is associated with the P-Series Cloud PBX {} and cannot be deleted",
                    pbx.id
                ),
            ));
        }
    }
    for id in &ids {
        db.ycm.customers.remove(id);
    }
    Ok(success(&mut db, None))
}
