//! Workplace users, keyed by email.
//!
//! | column | kind | |
//! |---|---|---|
//! | `email` | key | |
//! | `firstName` | text | required to create |
//! | `lastName` | text | |
//! | `groupIds` | numbers, `;`-separated | required to create (or `groupNames`) |
//! | `groupNames` | names, `;`-separated | instead of `groupIds`: resolved once through the group list; an unknown name is invalid |
//! | `roleName` | text (`Administrator`, `User` or a custom role) | required to create |
//! | `preferredBuildingName` | text | required to create |
//! | `preferredFloorName`, `phone`, `idCode` | text | |
//! | `imageBase64` | a data URL (`data:image/png;base64,…`, PNG or JPEG, at most 2 MiB) | never returned: sent on create and with every update of the user, never compared |
//! | `sendInviteEmail` | `true`, `false` | create only |
//!
//! Workplace resets any field an update leaves out, so an update sends the whole user through
//! the SDK's read-modify-write ([`Users::modify`](yeastar_workplace::Users::modify)): the user
//! is read, the row's differing fields are set, and everything else is sent back as read.
//! Workplace never returns face images: an update of a row without `imageBase64` may clear the
//! user's image, and the plan says once how many updates may.

use std::collections::HashMap;

use async_trait::async_trait;
use serde_json::Value;
use yeastar_transport::{Endpoint, Product, Result};
use yeastar_workplace::{Client, CreateUser, Image, ListGroups, ListUsers, Role, UpdateUser, User};

use crate::adapter::{Adapter, Record, Written, read_options, text_of, write_options};
use crate::input::Row;
use crate::plan::{Action, Plan};
use crate::problem::Problem;
use crate::schema::{Access, Field, Kind, Schema, invalid_message, key_of};

/// The columns of Workplace rows.
pub const SCHEMA: Schema = Schema::new(
    Product::Workplace,
    &[
        Field::new("email", Kind::Email, Access::Key),
        Field::new("firstName", Kind::Text, Access::Updatable).required(),
        Field::new("lastName", Kind::Text, Access::Updatable),
        Field::new("groupIds", Kind::IntegerList, Access::Updatable).required(),
        Field::new("groupNames", Kind::TextList, Access::InputOnly),
        Field::new("roleName", Kind::Text, Access::Updatable).required(),
        Field::new("preferredBuildingName", Kind::Text, Access::Updatable).required(),
        Field::new("preferredFloorName", Kind::Text, Access::Updatable),
        Field::new("phone", Kind::Text, Access::Updatable),
        Field::new("idCode", Kind::Text, Access::Updatable),
        Field::new("imageBase64", Kind::Text, Access::WriteOnly),
        Field::new("sendInviteEmail", Kind::Bool, Access::CreateOnly),
    ],
);

const PAGE_SIZE: u32 = 100;

/// The Workplace adapter.
#[derive(Debug, Clone)]
pub struct WorkplaceAdapter {
    reads: Client,
    writes: Client,
}

impl WorkplaceAdapter {
    /// An adapter sending through `client`: reads with the client's retry policy and at least
    /// 8 attempts; writes (and the read of a read-modify-write) with the transport's retries
    /// off (the engine retries them, paced, and never re-sends a create whose outcome is
    /// unknown).
    pub fn new(client: Client) -> Self {
        Self {
            reads: client.with_options(read_options(client.transport())),
            writes: client.with_options(write_options()),
        }
    }
}

fn ids(row: &Row) -> Vec<u64> {
    row.fields
        .get("groupIds")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default()
}

fn problem(row: &Row, field: &str, message: String) -> Problem {
    Problem::new(row.line, message).field(field).key(Some(&row.key))
}

fn image(row: &Row) -> std::result::Result<Option<Image>, Problem> {
    match row.text("imageBase64") {
        None => Ok(None),
        Some(url) => Image::from_data_url(url)
            .map(Some)
            .map_err(|e| problem(row, "imageBase64", invalid_message(e))),
    }
}

fn checked<E: Endpoint>(row: &Row, req: E) -> std::result::Result<E, Problem> {
    match req.request() {
        Ok(_) => Ok(req),
        Err(yeastar_transport::Error::InvalidInput { field, message }) => Err(problem(row, &field, message)),
        Err(e) => Err(problem(row, "email", invalid_message(e))),
    }
}

fn create_request(row: &Row) -> std::result::Result<CreateUser, Problem> {
    let mut req = CreateUser::new(
        row.key.clone(),
        row.text("firstName").unwrap_or_default(),
        ids(row),
        Role::from(row.text("roleName").unwrap_or_default().as_str()),
        row.text("preferredBuildingName").unwrap_or_default(),
    );
    macro_rules! set {
        ($($field:ident => $name:literal),*) => {$(
            if let Some(v) = row.text($name) {
                req = req.$field(v);
            }
        )*};
    }
    set!(last_name => "lastName", preferred_floor_name => "preferredFloorName", phone => "phone",
         id_code => "idCode");
    if let Some(img) = image(row)? {
        req = req.image(img);
    }
    if let Some(b) = row.fields.get("sendInviteEmail").and_then(Value::as_bool) {
        req = req.send_invite_email(b);
    }
    checked(row, req)
}

/// Sets the row's `changes` (and its image, if it has one) on a complete update.
fn apply(row: &Row, changes: &[String], image: Option<&Image>, u: &mut UpdateUser) {
    for name in changes {
        let v = row.text(name);
        match name.as_str() {
            "firstName" => u.first_name = v.unwrap_or_default(),
            "lastName" => u.last_name = v,
            "groupIds" => u.group_ids = ids(row),
            "roleName" => u.role_name = Role::from(v.unwrap_or_default().as_str()),
            "preferredBuildingName" => u.preferred_building_name = v.unwrap_or_default(),
            "preferredFloorName" => u.preferred_floor_name = v,
            "phone" => u.phone = v,
            "idCode" => u.id_code = v,
            _ => {}
        }
    }
    if let Some(img) = image {
        u.image = Some(img.clone());
    }
}

fn member_id(current: &Record) -> Option<u64> {
    current.get("memberId").and_then(|v| match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    })
}

#[async_trait]
impl Adapter for WorkplaceAdapter {
    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    async fn load(&self) -> Result<Vec<Record>> {
        let users = self
            .reads
            .users()
            .list(ListUsers::new().page_size(PAGE_SIZE))
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

    /// Resolves `groupNames` into `groupIds`, reading the group list once (only if a row
    /// names groups).
    async fn prepare(&self, rows: &mut [Row]) -> Result<Vec<Problem>> {
        if !rows.iter().any(|r| r.fields.contains_key("groupNames")) {
            return Ok(Vec::new());
        }
        let groups = self
            .reads
            .groups()
            .list(ListGroups::new().page_size(PAGE_SIZE))
            .try_collect()
            .await?;
        let by_name: HashMap<String, u64> = groups
            .iter()
            .filter_map(|g| Some((key_of(g.group_name.as_deref()?), g.group_id?)))
            .collect();
        let mut problems = Vec::new();
        for row in rows.iter_mut() {
            let Some(Value::Array(names)) = row.fields.remove("groupNames") else {
                continue;
            };
            if row.fields.contains_key("groupIds") {
                problems.push(problem(
                    row,
                    "groupNames",
                    "give groupIds or groupNames, not both".into(),
                ));
                continue;
            }
            let mut resolved = Vec::new();
            for name in names.iter().filter_map(Value::as_str) {
                match by_name.get(&key_of(name)) {
                    Some(id) if !resolved.contains(id) => resolved.push(*id),
                    Some(_) => {}
                    None => {
                        let mut known: Vec<&str> = groups.iter().filter_map(|g| g.group_name.as_deref()).collect();
                        known.sort_unstable();
                        problems.push(problem(
                            row,
                            "groupNames",
                            format!("no Workplace group is named {name:?} (groups: {})", known.join(", ")),
                        ));
                    }
                }
            }
            row.fields.insert(
                "groupIds".into(),
                Value::Array(resolved.into_iter().map(Value::from).collect()),
            );
        }
        Ok(problems)
    }

    fn check_create(&self, row: &Row) -> Vec<Problem> {
        create_request(row).err().into_iter().collect()
    }

    /// The update is built from the user as the plan read it, as `modify` will build it from
    /// the user as read again, and checked by the SDK.
    fn check_update(&self, row: &Row, current: &Record, changes: &[String]) -> Vec<Problem> {
        let img = match image(row) {
            Ok(img) => img,
            Err(p) => return vec![p],
        };
        let user: User = match serde_json::from_value(Value::Object(current.clone())) {
            Ok(u) => u,
            Err(e) => {
                return vec![problem(
                    row,
                    "email",
                    format!("cannot read the user Workplace listed: {e}"),
                )];
            }
        };
        let mut update = match UpdateUser::from_user(&user) {
            Ok(u) => u,
            Err(e) => return vec![problem(row, "email", invalid_message(e))],
        };
        apply(row, changes, img.as_ref(), &mut update);
        checked(row, update).err().into_iter().collect()
    }

    async fn create(&self, row: &Row) -> Result<Written> {
        let req = create_request(row)
            .map_err(|p| yeastar_transport::Error::invalid_input(p.field.unwrap_or_default(), p.message))?;
        let w = self.writes.users().create(req).await?;
        Ok(Written::new(w.request_id, w.id.map(|ids| ids.member_id.to_string())))
    }

    async fn update(&self, row: &Row, current: &Record, changes: &[String]) -> Result<Written> {
        let id = member_id(current).ok_or_else(|| {
            yeastar_transport::Error::invalid_input("memberId", "Workplace listed the user without a memberId")
        })?;
        let img = image(row).map_err(|p| yeastar_transport::Error::invalid_input("imageBase64", p.message))?;
        let w = self
            .writes
            .users()
            .modify(id, |u| apply(row, changes, img.as_ref(), u))
            .await?;
        Ok(Written::new(w.request_id, Some(id.to_string())))
    }

    fn id_of(&self, record: &Record) -> Option<String> {
        text_of(record.get("memberId"))
    }

    fn notes(&self, plan: &Plan) -> Vec<String> {
        let at_risk = plan
            .rows
            .iter()
            .filter(|r| r.action == Action::Update && !r.row().fields.contains_key("imageBase64"))
            .count();
        if at_risk == 0 {
            return Vec::new();
        }
        vec![format!(
            "{at_risk} update{} may clear a face image: Workplace never returns face images and an update \
             sends the whole user, so a user's image is kept only when the row sets imageBase64",
            if at_risk == 1 { "" } else { "s" }
        )]
    }
}
