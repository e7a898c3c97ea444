//! Partner Portal subordinate users (customers), keyed by their Yeastar ID (an email).
//!
//! | column | kind | |
//! |---|---|---|
//! | `email` (or `yeastarId`) | key | the Yeastar ID |
//! | `company` | text | required to create |
//! | `country` | text | required to create (a name of the country list); cannot be changed |
//! | `firstName`, `lastName` | text | one of them required to create |
//! | `phoneNumber`, `stateProvince`, `city`, `street`, `zipCode`, `taxNum`, `remark` | text | |
//! | `taxType` | `VAT_number`, `Tax_ID`, `TIN_number`, `RUC`, `CUIT` | never returned: sent on create and with every edit of the user, never compared |
//! | `sendUserActivationEmail` | `true`, `false` | create only |
//!
//! Creates are `save_user`, updates `edit_user` (only the fields that differ); Partner
//! Portal has no delete. A create whose answer was lost is looked up by its Yeastar ID.

use std::collections::HashMap;

use async_trait::async_trait;
use serde_json::Value;
use yeastar_partner_portal::{Client, CreateUser, EditUser, ListUsers, TaxType};
use yeastar_transport::{Endpoint, Product, Result};

use crate::adapter::{Adapter, Record, Written, read_options, text_of, write_options};
use crate::input::Row;
use crate::problem::Problem;
use crate::schema::{Access, Field, Kind, Schema, invalid_message};

/// The columns of Partner Portal rows.
pub const SCHEMA: Schema = Schema::new(
    Product::PartnerPortal,
    &[
        Field::new("email", Kind::Email, Access::Key).alias("yeastarId"),
        Field::new("company", Kind::Text, Access::Updatable).required(),
        Field::new("country", Kind::Text, Access::Immutable).required(),
        Field::new("firstName", Kind::Text, Access::Updatable),
        Field::new("lastName", Kind::Text, Access::Updatable),
        Field::new("phoneNumber", Kind::Text, Access::Updatable),
        Field::new("stateProvince", Kind::Text, Access::Updatable),
        Field::new("city", Kind::Text, Access::Updatable),
        Field::new("street", Kind::Text, Access::Updatable),
        Field::new("zipCode", Kind::Text, Access::Updatable),
        Field::new("taxNum", Kind::Text, Access::Updatable),
        Field::new("remark", Kind::Text, Access::Updatable),
        Field::new(
            "taxType",
            Kind::Enum(&["VAT_number", "Tax_ID", "TIN_number", "RUC", "CUIT"]),
            Access::WriteOnly,
        ),
        Field::new("sendUserActivationEmail", Kind::Bool, Access::CreateOnly),
    ],
);

/// The Partner Portal adapter.
#[derive(Debug, Clone)]
pub struct PartnerPortalAdapter {
    reads: Client,
    writes: Client,
}

impl PartnerPortalAdapter {
    /// An adapter sending through `client`: reads with the client's retry policy and at least
    /// 8 attempts; writes with the transport's retries off (the engine retries them, paced,
    /// and never re-sends a create whose outcome is unknown).
    pub fn new(client: Client) -> Self {
        Self {
            reads: client.with_options(read_options(client.transport())),
            writes: client.with_options(write_options()),
        }
    }
}

fn problem(row: &Row, field: &str, message: String) -> Problem {
    Problem::new(row.line, message).field(field).key(Some(&row.key))
}

fn checked<E: Endpoint>(row: &Row, req: E) -> std::result::Result<E, Problem> {
    match req.request() {
        Ok(_) => Ok(req),
        // The SDK names the key `yeastarId`; the row names it `email`.
        Err(yeastar_transport::Error::InvalidInput { field, message }) if field == "yeastarId" => {
            Err(problem(row, "email", message))
        }
        Err(yeastar_transport::Error::InvalidInput { field, message }) => Err(problem(row, &field, message)),
        Err(e) => Err(problem(row, "email", invalid_message(e))),
    }
}

fn create_request(row: &Row) -> std::result::Result<CreateUser, Problem> {
    let mut req = CreateUser::new(
        row.key.clone(),
        row.text("company").unwrap_or_default(),
        row.text("country").unwrap_or_default(),
    );
    macro_rules! set {
        ($($field:ident => $name:literal),*) => {$(
            if let Some(v) = row.text($name) {
                req = req.$field(v);
            }
        )*};
    }
    set!(first_name => "firstName", last_name => "lastName", phone_number => "phoneNumber",
         state_province => "stateProvince", city => "city", street => "street", zip_code => "zipCode",
         tax_num => "taxNum", remark => "remark");
    if let Some(t) = row.text("taxType") {
        req = req.tax_type(TaxType::from(t.as_str()));
    }
    if let Some(b) = row.fields.get("sendUserActivationEmail").and_then(Value::as_bool) {
        req = req.send_user_activation_email(b);
    }
    checked(row, req)
}

fn edit_request(row: &Row, changes: &[String]) -> std::result::Result<EditUser, Problem> {
    let mut req = EditUser::new(row.key.clone());
    for name in changes {
        let v = row.text(name).unwrap_or_default();
        req = match name.as_str() {
            "company" => req.company(v),
            "firstName" => req.first_name(v),
            "lastName" => req.last_name(v),
            "phoneNumber" => req.phone_number(v),
            "stateProvince" => req.state_province(v),
            "city" => req.city(v),
            "street" => req.street(v),
            "zipCode" => req.zip_code(v),
            "taxNum" => req.tax_num(v),
            "remark" => req.remark(v),
            "taxType" => req.tax_type(TaxType::from(v.as_str())),
            other => {
                return Err(problem(
                    row,
                    other,
                    "cannot be changed through the Partner Portal API".into(),
                ));
            }
        };
    }
    checked(row, req)
}

fn into_sdk(p: Problem) -> yeastar_transport::Error {
    yeastar_transport::Error::invalid_input(p.field.unwrap_or_default(), p.message)
}

#[async_trait]
impl Adapter for PartnerPortalAdapter {
    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    async fn load(&self) -> Result<Vec<Record>> {
        let users = self.reads.users().list(ListUsers::new()).try_collect().await?;
        Ok(users
            .into_iter()
            .filter_map(|u| match serde_json::to_value(u) {
                Ok(Value::Object(m)) => Some(m),
                _ => None,
            })
            .collect())
    }

    /// Each key is read by its Yeastar ID (`subordinate_user/{partnerId}`): no list needed.
    async fn lookup(&self, keys: &[String]) -> Result<HashMap<String, Record>> {
        let mut found = HashMap::new();
        for key in keys {
            match self.reads.users().get(key.as_str()).await {
                Ok(user) => {
                    if let Ok(Value::Object(m)) = serde_json::to_value(user) {
                        found.insert(key.clone(), m);
                    }
                }
                Err(e) if e.is_not_found() => {}
                Err(e) => return Err(e),
            }
        }
        Ok(found)
    }

    fn check_create(&self, row: &Row) -> Vec<Problem> {
        create_request(row).err().into_iter().collect()
    }

    fn check_update(&self, row: &Row, _: &Record, changes: &[String]) -> Vec<Problem> {
        edit_request(row, changes).err().into_iter().collect()
    }

    async fn create(&self, row: &Row) -> Result<Written> {
        let w = self
            .writes
            .users()
            .create(create_request(row).map_err(into_sdk)?)
            .await?;
        Ok(Written::new(w.request_id, None))
    }

    async fn update(&self, row: &Row, current: &Record, changes: &[String]) -> Result<Written> {
        let w = self
            .writes
            .users()
            .edit(edit_request(row, changes).map_err(into_sdk)?)
            .await?;
        Ok(Written::new(w.request_id, self.id_of(current)))
    }

    fn id_of(&self, record: &Record) -> Option<String> {
        text_of(record.get("partnerId"))
    }
}
