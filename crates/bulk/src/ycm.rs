//! YCM users, keyed by email.
//!
//! YCM has no lookup by email: the plan reads the user list once, and the creates whose
//! answer was lost are looked up together in one more reading of the list.
//!
//! | column | kind | |
//! |---|---|---|
//! | `email` | key | |
//! | `userType` | `Reseller`, `Hosting User`, `My Colleague` | required to create; cannot be changed |
//! | `company` | text | required to create a reseller or hosting user |
//! | `firstName` | text | required to create |
//! | `lastName`, `phone`, `mobile`, `address`, `remark` | text | |
//! | `twoFactorAuthenticationEnable` | `enable`, `disable` | update only, and only to `disable` (the API cannot turn it on) |
//! | `totalExtensions`, `totalConcurrentCalls`, `totalRecordings`, `minimumExtPerPBX` | number | the package: create only, all four for a reseller or hosting user |
//! | `totalUltimatePlan`, `totalCustomDomains`, `totalTranscription`, `totalConnections` | number | package, create only |
//! | `highAvailability` | `subscribed`, `unsubscribed` | package, create only |
//!
//! YCM never returns a user's package, so the package columns are used to create a user and
//! ignored for an existing one (change a package with `UpdateSubscription`).

use async_trait::async_trait;
use serde_json::Value;
use yeastar_transport::{Endpoint, Product, Result};
use yeastar_ycm::{
    Client, CreateUser, HighAvailability, ListUsers, MAX_PAGE_SIZE, ResellerPackage, UpdateUser, UserType,
};

use crate::adapter::{Adapter, Record, Written, read_options, text_of, write_options};
use crate::input::Row;
use crate::problem::Problem;
use crate::schema::{Access, Field, Kind, Schema, invalid_message};

const USER_TYPES: &[&str] = &["Reseller", "Hosting User", "My Colleague"];
const PACKAGE: [&str; 4] = [
    "totalExtensions",
    "totalConcurrentCalls",
    "totalRecordings",
    "minimumExtPerPBX",
];

/// The columns of YCM rows.
pub const SCHEMA: Schema = Schema::new(
    Product::Ycm,
    &[
        Field::new("email", Kind::Email, Access::Key),
        Field::new("userType", Kind::Enum(USER_TYPES), Access::Immutable).required(),
        Field::new("company", Kind::Text, Access::Updatable),
        Field::new("firstName", Kind::Text, Access::Updatable).required(),
        Field::new("lastName", Kind::Text, Access::Updatable),
        Field::new("phone", Kind::Text, Access::Updatable),
        Field::new("mobile", Kind::Text, Access::Updatable),
        Field::new("address", Kind::Text, Access::Updatable),
        Field::new("remark", Kind::Text, Access::Updatable),
        Field::new(
            "twoFactorAuthenticationEnable",
            Kind::Enum(&["enable", "disable"]),
            Access::UpdateOnly,
        ),
        Field::new("totalExtensions", Kind::U32, Access::CreateOnly),
        Field::new("totalConcurrentCalls", Kind::U32, Access::CreateOnly),
        Field::new("totalRecordings", Kind::U32, Access::CreateOnly),
        Field::new("minimumExtPerPBX", Kind::U32, Access::CreateOnly),
        Field::new("totalUltimatePlan", Kind::U32, Access::CreateOnly),
        Field::new(
            "highAvailability",
            Kind::Enum(&["subscribed", "unsubscribed"]),
            Access::CreateOnly,
        ),
        Field::new("totalCustomDomains", Kind::U32, Access::CreateOnly),
        Field::new("totalTranscription", Kind::U32, Access::CreateOnly),
        Field::new("totalConnections", Kind::U32, Access::CreateOnly),
    ],
);

/// The YCM adapter.
#[derive(Debug, Clone)]
pub struct YcmAdapter {
    reads: Client,
    writes: Client,
}

impl YcmAdapter {
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

fn count(row: &Row, name: &str) -> Option<u32> {
    row.fields
        .get(name)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
}

/// The create request of a row, checked by the SDK as it would be before sending.
fn create_request(row: &Row) -> std::result::Result<CreateUser, Problem> {
    let problem = |field: &str, message: String| Problem::new(row.line, message).field(field).key(Some(&row.key));
    let user_type = UserType::from(row.text("userType").unwrap_or_default().as_str());
    let mut req = CreateUser::new(user_type, row.text("firstName").unwrap_or_default(), row.key.clone());
    macro_rules! set {
        ($($field:ident => $name:literal),*) => {$(
            if let Some(v) = row.text($name) {
                req = req.$field(v);
            }
        )*};
    }
    set!(company => "company", last_name => "lastName", phone => "phone", mobile => "mobile",
         address => "address", remark => "remark");
    let required: Vec<Option<u32>> = PACKAGE.iter().map(|f| count(row, f)).collect();
    let optional_set = [
        "totalUltimatePlan",
        "highAvailability",
        "totalCustomDomains",
        "totalTranscription",
        "totalConnections",
    ]
    .iter()
    .any(|f| row.fields.contains_key(*f));
    if required.iter().any(Option::is_some) || optional_set {
        if let Some(missing) = PACKAGE.iter().zip(&required).find(|(_, v)| v.is_none()) {
            return Err(problem(
                missing.0,
                format!("a package needs all of {}", PACKAGE.join(", ")),
            ));
        }
        let [ext, calls, rec, min] =
            [required[0], required[1], required[2], required[3]].map(Option::unwrap_or_default);
        let mut pkg = ResellerPackage::new(ext, calls, rec, min);
        if let Some(n) = count(row, "totalUltimatePlan") {
            pkg = pkg.total_ultimate_plan(n);
        }
        if let Some(ha) = row.text("highAvailability") {
            pkg = pkg.high_availability(HighAvailability::from(ha.as_str()));
        }
        if let Some(n) = count(row, "totalCustomDomains") {
            pkg = pkg.total_custom_domains(n);
        }
        if let Some(n) = count(row, "totalTranscription") {
            pkg = pkg.total_transcription(n);
        }
        if let Some(n) = count(row, "totalConnections") {
            pkg = pkg.total_connections(n);
        }
        req = req.package(pkg);
    }
    match req.request() {
        Ok(_) => Ok(req),
        Err(yeastar_transport::Error::InvalidInput { field, message }) => Err(problem(&field, message)),
        Err(e) => Err(problem("email", invalid_message(e))),
    }
}

fn user_id(current: &Record) -> Option<u64> {
    current.get("userId").and_then(|v| match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    })
}

/// The update request of a row: only `changes`.
fn update_request(row: &Row, current: &Record, changes: &[String]) -> std::result::Result<UpdateUser, Problem> {
    let problem = |field: &str, message: String| Problem::new(row.line, message).field(field).key(Some(&row.key));
    let id = user_id(current).ok_or_else(|| problem("email", "YCM listed the user without a userId".into()))?;
    let mut req = UpdateUser::new(id);
    for name in changes {
        let v = row.text(name).unwrap_or_default();
        req = match name.as_str() {
            "company" => req.company(v),
            "firstName" => req.first_name(v),
            "lastName" => req.last_name(v),
            "phone" => req.phone(v),
            "mobile" => req.mobile(v),
            "address" => req.address(v),
            "remark" => req.remark(v),
            "twoFactorAuthenticationEnable" if v == "disable" => req.disable_two_factor_authentication(),
            "twoFactorAuthenticationEnable" => {
                return Err(problem(
                    name,
                    "the YCM API can only turn two-factor authentication off (\"disable\"); turn it on in YCM".into(),
                ));
            }
            other => return Err(problem(other, "cannot be updated through the YCM API".into())),
        };
    }
    match req.request() {
        Ok(_) => Ok(req),
        Err(yeastar_transport::Error::InvalidInput { field, message }) => Err(problem(&field, message)),
        Err(e) => Err(problem("email", invalid_message(e))),
    }
}

#[async_trait]
impl Adapter for YcmAdapter {
    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    async fn load(&self) -> Result<Vec<Record>> {
        let users = self
            .reads
            .users()
            .list(ListUsers::new().page_size(MAX_PAGE_SIZE))
            .try_collect()
            .await?;
        Ok(users
            .into_iter()
            .filter_map(|u| match serde_json::to_value(u) {
                Ok(Value::Object(m)) => Some(m),
                _ => None,
            })
            .collect())
    }

    fn check_create(&self, row: &Row) -> Vec<Problem> {
        create_request(row).err().into_iter().collect()
    }

    fn check_update(&self, row: &Row, current: &Record, changes: &[String]) -> Vec<Problem> {
        update_request(row, current, changes).err().into_iter().collect()
    }

    async fn create(&self, row: &Row) -> Result<Written> {
        let req = create_request(row)
            .map_err(|p| yeastar_transport::Error::invalid_input(p.field.unwrap_or_default(), p.message))?;
        let w = self.writes.users().create(req).await?;
        Ok(Written::new(w.request_id, w.id.map(|id| id.to_string())))
    }

    async fn update(&self, row: &Row, current: &Record, changes: &[String]) -> Result<Written> {
        let req = update_request(row, current, changes)
            .map_err(|p| yeastar_transport::Error::invalid_input(p.field.unwrap_or_default(), p.message))?;
        let w = self.writes.users().update(req).await?;
        Ok(Written::new(w.request_id, user_id(current).map(|id| id.to_string())))
    }

    fn id_of(&self, record: &Record) -> Option<String> {
        text_of(record.get("userId"))
    }
}
