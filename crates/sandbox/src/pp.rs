//! Partner Portal endpoints.

use http::Method;
use serde_json::{Map, Value, json};

use crate::Product;
use crate::auth::{self, TokenCall};
use crate::config::SandboxConfig;
use crate::state::{PpUser, State};
use crate::util::{ApiErr, PageReq, Reply, Req, is_email, opt_str, req_str};

type Handler = fn(&mut State, &Req) -> Result<Reply, ApiErr>;

const TAX_TYPES: &[&str] = &["VAT_number", "Tax_ID", "TIN_number", "RUC", "CUIT"];

fn success(st: &mut State, result: Value) -> Reply {
    Reply::ok(json!({
        "code": "success",
        "detailMessage": "",
        "requestId": st.request_id(),
        "result": result,
        "status": 200,
    }))
}

pub(crate) fn handle(config: &SandboxConfig, st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let segs = req.seg_strs();
    let (method, route): (Method, Handler) = match segs.as_slice() {
        ["auth", "openapi", "v1", "oauth", "token"] => {
            return auth::token(config, st, Product::PartnerPortal, req, TokenCall::ByGrantType);
        }
        ["user", "openapi", "user", "v1", "subordinate_user", _] => (Method::GET, subordinate_user),
        ["user", "openapi", "user", "v1", "client", "partner_list"] => (Method::GET, partner_list),
        ["user", "openapi", "user", "v1", "client", "save_user"] => (Method::POST, save_user),
        ["user", "openapi", "user", "v1", "client", "edit_user"] => (Method::POST, edit_user),
        ["user", "openapi", "user", "v1", "client", "billing_contact_list"] => (Method::GET, billing_contacts),
        ["user", "openapi", "area", "v1", "page"] => (Method::GET, countries),
        _ => return Err(ApiErr::new(404, "NOT_FOUND", format!("No endpoint {}", req.path))),
    };
    if req.method != method {
        return Err(ApiErr::method_not_allowed(&req.method));
    }
    auth::authenticate(st, Product::PartnerPortal, req)?;
    route(st, req)
}

fn find_user<'a>(st: &'a mut State, id: &str) -> Option<&'a mut PpUser> {
    // The path carries the Yeastar ID (email) per the doc example; the numeric partnerId works too.
    st.pp_users
        .iter_mut()
        .find(|u| u.email.eq_ignore_ascii_case(id) || u.partner_id == id)
}

fn subordinate_user(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let id = req.segs[5].clone();
    let user = find_user(st, &id).ok_or_else(|| user_not_found(&id))?.to_json();
    Ok(success(st, user))
}

fn user_not_found(id: &str) -> ApiErr {
    ApiErr::new(404, "USER_NOT_FOUND", format!("Subordinate user {id} not found"))
}

fn partner_list(st: &mut State, _req: &Req) -> Result<Reply, ApiErr> {
    let list: Vec<Value> = st.pp_users.iter().map(PpUser::to_json).collect();
    Ok(success(st, Value::Array(list)))
}

fn billing_contacts(st: &mut State, _req: &Req) -> Result<Reply, ApiErr> {
    let list = Value::Array(st.pp_billing_contacts.clone());
    Ok(success(st, list))
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

fn save_user(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let body = req.json_object()?;
    check_customer(&body)?;
    let email = req_str(&body, "yeastarId")?;
    if !is_email(&email) {
        return Err(ApiErr::invalid(
            "yeastarId",
            "email",
            "yeastarId must be an email address",
        ));
    }
    let company = req_str(&body, "company")?;
    let country = req_str(&body, "country")?;
    if !st
        .pp_countries
        .iter()
        .any(|(_, _, name)| name.eq_ignore_ascii_case(&country))
    {
        return Err(ApiErr::invalid(
            "country",
            "country",
            format!("Unknown country: {country}"),
        ));
    }
    let first_name = opt_str(&body, "firstName")?.unwrap_or_default();
    let last_name = opt_str(&body, "lastName")?.unwrap_or_default();
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
    if st.pp_users.iter().any(|u| u.email.eq_ignore_ascii_case(&email)) {
        return Err(ApiErr::new(
            400,
            "USER_ALREADY_EXISTS",
            format!("The Yeastar ID {email} already exists"),
        ));
    }
    let s = |k: &str| opt_str(&body, k).map(Option::unwrap_or_default);
    st.next_partner_id += 1;
    let user = PpUser {
        city: s("city")?,
        company,
        country,
        email,
        first_name,
        last_name,
        partner_id: st.next_partner_id.to_string(),
        phone_number: s("phoneNumber")?,
        remark: s("remark")?,
        state_province: s("stateProvince")?,
        street: s("street")?,
        tax_num: s("taxNum")?,
        tax_type,
        zip_code: s("zipCode")?,
    };
    st.pp_users.push(user);
    Ok(success(st, json!(true)))
}

fn edit_user(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let body = req.json_object()?;
    let email = req_str(&body, "yeastarId")?;
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
    let user = find_user(st, &email).ok_or_else(|| user_not_found(&email))?;
    // Omitted fields keep their value.
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
    Ok(success(st, json!(true)))
}

fn countries(st: &mut State, req: &Req) -> Result<Reply, ApiErr> {
    let page = PageReq::parse(req, "pageNo", "pageSize", 25, None)?;
    let mut items: Vec<(u32, &str, &str)> = st.pp_countries.clone();
    if let Some(name) = req.q("name").filter(|n| !n.is_empty()) {
        let needle = name.to_lowercase();
        items.retain(|(_, _, n)| n.to_lowercase().contains(&needle));
    }
    match req.q("sort").unwrap_or("") {
        "" | "id" => {}
        "-id" => items.reverse(),
        "name" => items.sort_by(|a, b| a.2.cmp(b.2)),
        "-name" => items.sort_by(|a, b| b.2.cmp(a.2)),
        other => return Err(ApiErr::invalid("sort", "oneof", format!("Unsupported sort: {other}"))),
    }
    let total = items.len();
    let results: Vec<Value> = page
        .slice(&items)
        .into_iter()
        .map(|(id, code, name)| json!({"code": code, "id": id, "name": name}))
        .collect();
    let result = json!({
        "count": total,
        "pageNo": page.number,
        "pageSize": page.size,
        "results": results,
        "total": total,
        "totalPage": total.div_ceil(page.size),
    });
    Ok(success(st, result))
}
