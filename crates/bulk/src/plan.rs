//! The plan: every row classified against the current state, before anything is written.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use yeastar_transport::Product;

use crate::adapter::{Adapter, Record};
use crate::input::Row;
use crate::problem::{Invalid, Problem};
use crate::schema::{Access, key_of, same};

/// What a row needs.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// No user has the key: create one.
    Create,
    /// The user exists and some fields differ: send those.
    Update,
    /// The user exists with every field of the row: no request.
    Unchanged,
}

impl Action {
    /// `create`, `update` or `unchanged`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Unchanged => "unchanged",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the plan.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedRow {
    /// The input line.
    pub line: u64,
    /// The key as written in the row.
    pub key: String,
    /// What the row needs.
    pub action: Action,
    /// The fields that will be sent: every field of a create, the differing fields of an
    /// update, none otherwise.
    pub changes: Vec<String>,
    /// Fields of the row that will not be sent: create-only fields of an existing user (the
    /// API cannot read them back), update-only fields of a new user.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<String>,
    /// The user's id, for an existing user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip)]
    pub(crate) row: Row,
    #[serde(skip)]
    pub(crate) current: Option<Record>,
}

impl PlannedRow {
    /// The input row.
    pub fn row(&self) -> &Row {
        &self.row
    }

    /// The user as the plan read it, for an existing user.
    pub fn current(&self) -> Option<&Record> {
        self.current.as_ref()
    }
}

/// The plan of an import: serialises to the `--dry-run` JSON (product, counts, notes, and per
/// row its line, key, action and changed fields).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// The product (`partner-portal`, `ycm`, `workplace`).
    #[serde(serialize_with = "product_name")]
    pub product: Product,
    /// Rows to create.
    pub create: usize,
    /// Rows to update.
    pub update: usize,
    /// Rows already as they should be.
    pub unchanged: usize,
    /// What must be said once about this plan (e.g. Workplace face images).
    pub notes: Vec<String>,
    /// Every row, in input order.
    pub rows: Vec<PlannedRow>,
}

fn product_name<S: serde::Serializer>(p: &Product, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(p.as_str())
}

impl Plan {
    /// The number of requests the plan will send (creates and updates).
    pub fn writes(&self) -> usize {
        self.create + self.update
    }
}

/// Builds the plan of `rows` (already checked by [`parse`](crate::parse)) against the current
/// state read once through `adapter`. Any row that cannot be applied (a field required to
/// create, a field the API cannot change, a value the SDK refuses) makes the input invalid:
/// `Ok(Err(invalid))`.
pub(crate) async fn plan<A: Adapter + ?Sized>(
    adapter: &A,
    mut rows: Vec<Row>,
) -> yeastar_transport::Result<Result<Plan, Invalid>> {
    let schema = *adapter.schema();
    let mut problems = adapter.prepare(&mut rows).await?;
    // A row the adapter could not prepare is not checked further: its other problems would
    // only echo the first (an unknown group name leaves no group id).
    let unprepared: std::collections::HashSet<u64> = problems.iter().map(|p| p.line).collect();
    let key = schema.key().name;
    let state: HashMap<String, Record> = adapter
        .load()
        .await?
        .into_iter()
        .filter_map(|r| Some((key_of(r.get(key)?.as_str()?), r)))
        .collect();
    let mut planned = Vec::with_capacity(rows.len());
    for row in rows {
        let current = state.get(&row.normalized_key()).cloned();
        let (mut changes, mut ignored) = (Vec::new(), Vec::new());
        let mut row_problems = Vec::new();
        let problem = |message: String, field: &str| Problem::new(row.line, message).field(field).key(Some(&row.key));
        match &current {
            None => {
                for f in schema.fields.iter().filter(|f| f.required_on_create) {
                    if !row.fields.contains_key(f.name) {
                        row_problems.push(problem(
                            format!(
                                "is required to create a user ({} has no user {})",
                                schema.product, row.key
                            ),
                            f.name,
                        ));
                    }
                }
                for (name, _) in &row.fields {
                    match schema.field(name).map(|f| f.access) {
                        Some(Access::UpdateOnly) => ignored.push(name.clone()),
                        Some(Access::InputOnly) | None => {}
                        Some(_) => changes.push(name.clone()),
                    }
                }
                if row_problems.is_empty() {
                    row_problems.extend(adapter.check_create(&row));
                }
            }
            Some(current) => {
                for field in schema.fields {
                    let Some(wanted) = row.fields.get(field.name) else {
                        continue;
                    };
                    match field.access {
                        Access::Key | Access::InputOnly | Access::WriteOnly => {}
                        Access::CreateOnly => ignored.push(field.name.to_owned()),
                        Access::Updatable | Access::UpdateOnly => {
                            if !same(field, wanted, current.get(field.name)) {
                                changes.push(field.name.to_owned());
                            }
                        }
                        Access::Immutable => {
                            if !same(field, wanted, current.get(field.name)) {
                                let now = current.get(field.name).map_or("nothing".to_owned(), |v| v.to_string());
                                row_problems.push(problem(
                                    format!(
                                        "cannot be changed through the {} API: the user has {now}, the row says {wanted}",
                                        schema.product
                                    ),
                                    field.name,
                                ));
                            }
                        }
                    }
                }
                // A write-only field goes with an update, never causes one.
                if !changes.is_empty() {
                    changes.extend(
                        schema
                            .fields
                            .iter()
                            .filter(|f| f.access == Access::WriteOnly && row.fields.contains_key(f.name))
                            .map(|f| f.name.to_owned()),
                    );
                } else {
                    ignored.extend(
                        schema
                            .fields
                            .iter()
                            .filter(|f| f.access == Access::WriteOnly && row.fields.contains_key(f.name))
                            .map(|f| f.name.to_owned()),
                    );
                }
                if row_problems.is_empty() && !changes.is_empty() {
                    row_problems.extend(adapter.check_update(&row, current, &changes));
                }
            }
        }
        if !unprepared.contains(&row.line) {
            problems.extend(row_problems);
        }
        let action = match (&current, changes.is_empty()) {
            (None, _) => Action::Create,
            (Some(_), false) => Action::Update,
            (Some(_), true) => Action::Unchanged,
        };
        planned.push(PlannedRow {
            line: row.line,
            key: row.key.clone(),
            action,
            changes,
            ignored,
            id: current.as_ref().and_then(|c| adapter.id_of(c)),
            row,
            current,
        });
    }
    if !problems.is_empty() {
        return Ok(Err(Invalid::new(problems)));
    }
    let count = |a: Action| planned.iter().filter(|r| r.action == a).count();
    let mut plan = Plan {
        product: schema.product,
        create: count(Action::Create),
        update: count(Action::Update),
        unchanged: count(Action::Unchanged),
        notes: Vec::new(),
        rows: planned,
    };
    plan.notes = adapter.notes(&plan);
    Ok(Ok(plan))
}
