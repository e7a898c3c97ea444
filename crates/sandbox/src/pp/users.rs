//! Subordinate users (customers).

use std::sync::Arc;

use axum::extract::State;
use serde_json::{Map, Value, json};

use super::data::{Data, User};
use super::success;
use crate::app::App;
use crate::error::{ApiErr, Code};
use crate::extract::{JsonObject, PathParam, is_email, opt_str, req_str};
use crate::reply::Answer;

const TAX_TYPES: &[&str] = &["VAT_number", "Tax_ID", "TIN_number", "RUC", "CUIT"];

impl Data {
    /// The user with this Yeastar ID (an email).
    fn find_user(&mut self, yeastar_id: &str) -> Option<&mut User> {
        self.users.iter_mut().find(|u| u.email.eq_ignore_ascii_case(yeastar_id))
    }
}

/// A Yeastar ID (an email): the path's `partnerId` and the bodies' `yeastarId`. The docs
/// describe and show the path parameter as the Yeastar ID; a numeric partner id is refused.
fn yeastar_id(field: &str, value: &str) -> Result<(), ApiErr> {
    if is_email(value) {
        return Ok(());
    }
    Err(ApiErr::invalid(
        field,
        "email",
        format!("{field} must be a Yeastar ID (an email address): {value}"),
    ))
}

fn user_not_found(id: &str) -> ApiErr {
    ApiErr::new(404, Code::UserNotFound, format!("Subordinate user {id} not found"))
}

/// `GET /user/openapi/user/v1/client/partner_list`: every `User_Info`, no paging.
pub(super) async fn list(State(app): State<Arc<App>>) -> Answer {
    let mut db = app.db();
    let list: Vec<Value> = db.pp.users.iter().map(User::to_json).collect();
    Ok(success(&mut db, Value::Array(list)))
}

/// `GET /user/openapi/user/v1/subordinate_user/{partnerId}`: one `User_Info`.
pub(super) async fn get(State(app): State<Arc<App>>, PathParam(id): PathParam) -> Answer {
    yeastar_id("partnerId", &id)?;
    let mut db = app.db();
    let user = db.pp.find_user(&id).ok_or_else(|| user_not_found(&id))?.to_json();
    Ok(success(&mut db, user))
}

fn check_customer(body: &Map<String, Value>) -> Result<(), ApiErr> {
    let user_type = req_str(body, "userType")?;
    if user_type != "Customer" {
        return Err(ApiErr::invalid("userType", "oneof", "userType must be Customer"));
    }
    Ok(())
}

fn check_tax_type(body: &Map<String, Value>) -> Result<Option<String>, ApiErr> {
    let tax_type = opt_str(body, "taxType")?;
    if let Some(t) = &tax_type
        && !TAX_TYPES.contains(&t.as_str())
    {
        return Err(ApiErr::invalid(
            "taxType",
            "oneof",
            format!("taxType must be one of {}", TAX_TYPES.join(", ")),
        ));
    }
    Ok(tax_type)
}

/// `POST /user/openapi/user/v1/client/save_user`: Create a Subordinate User; `result: true`.
pub(super) async fn create(State(app): State<Arc<App>>, JsonObject(body): JsonObject) -> Answer {
    check_customer(&body)?;
    let email = req_str(&body, "yeastarId")?;
    yeastar_id("yeastarId", &email)?;
    let company = req_str(&body, "company")?;
    let country = req_str(&body, "country")?;
    let first_name = opt_str(&body, "firstName")?.unwrap_or_default();
    let last_name = opt_str(&body, "lastName")?.unwrap_or_default();
    let mut db = app.db();
    if !db
        .pp
        .countries
        .iter()
        .any(|(_, _, name)| name.eq_ignore_ascii_case(&country))
    {
        return Err(ApiErr::invalid(
            "country",
            "country",
            format!("Unknown country: {country}"),
        ));
    }
    if first_name.trim().is_empty() && last_name.trim().is_empty() {
        return Err(ApiErr::invalid(
            "firstName",
            "required_without",
            "firstName or lastName is required",
        ));
    }
    let tax_type = check_tax_type(&body)?.unwrap_or_default();
    if let Some(v) = body.get("sendUserActivationEmail")
        && !v.is_boolean()
        && !v.is_null()
    {
        return Err(ApiErr::invalid(
            "sendUserActivationEmail",
            "boolean",
            "sendUserActivationEmail must be a boolean",
        ));
    }
    if db.pp.users.iter().any(|u| u.email.eq_ignore_ascii_case(&email)) {
        return Err(ApiErr::new(
            400,
            Code::UserAlreadyExists,
            format!("The Yeastar ID {email} already exists"),
        ));
    }
    let s = |k: &str| opt_str(&body, k).map(Option::unwrap_or_default);
    db.pp.next_partner_id += 1;
    let user = User {
        city: s("city")?,
        company,
        country,
        email,
        first_name,
        last_name,
        partner_id: db.pp.next_partner_id.to_string(),
        phone_number: s("phoneNumber")?,
        remark: s("remark")?,
        state_province: s("stateProvince")?,
        street: s("street")?,
        tax_num: s("taxNum")?,
        tax_type,
        zip_code: s("zipCode")?,
    };
    db.pp.users.push(user);
    Ok(success(&mut db, json!(true)))
}

/// `POST /user/openapi/user/v1/client/edit_user`: Edit a Subordinate User (by `yeastarId`);
/// omitted fields keep their value; `result: true`.
pub(super) async fn edit(State(app): State<Arc<App>>, JsonObject(body): JsonObject) -> Answer {
    let email = req_str(&body, "yeastarId")?;
    yeastar_id("yeastarId", &email)?;
    check_customer(&body)?;
    let tax_type = check_tax_type(&body)?;
    // Read every field before touching the record, so a type error changes nothing.
    let mut updates = Vec::new();
    for key in [
        "company",
        "firstName",
        "lastName",
        "phoneNumber",
        "stateProvince",
        "city",
        "street",
        "zipCode",
        "taxNum",
        "remark",
    ] {
        if let Some(v) = opt_str(&body, key)? {
            updates.push((key, v));
        }
    }
    let mut db = app.db();
    let user = db.pp.find_user(&email).ok_or_else(|| user_not_found(&email))?;
    for (key, v) in updates {
        let slot = match key {
            "company" => &mut user.company,
            "firstName" => &mut user.first_name,
            "lastName" => &mut user.last_name,
            "phoneNumber" => &mut user.phone_number,
            "stateProvince" => &mut user.state_province,
            "city" => &mut user.city,
            "street" => &mut user.street,
            "zipCode" => &mut user.zip_code,
            "taxNum" => &mut user.tax_num,
            _ => &mut user.remark,
        };
        *slot = v;
    }
    if let Some(t) = tax_type {
        user.tax_type = t;
    }
    Ok(success(&mut db, json!(true)))
}
