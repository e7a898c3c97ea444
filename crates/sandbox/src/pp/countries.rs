//! The country list.

use std::sync::Arc;

use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use super::success;
use crate::app::App;
use crate::error::ApiErr;
use crate::extract::{PageReq, Q};
use crate::reply::Answer;

/// The query of `GET /user/openapi/area/v1/page`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ListQuery {
    page_no: Option<String>,
    page_size: Option<String>,
    sort: Option<String>,
    name: Option<String>,
}

/// `GET /user/openapi/area/v1/page`: Query Country List (pages of 25 by default; `sort` by
/// `name`/`-name` or `id`/`-id`; `name` filters).
pub(super) async fn list(State(app): State<Arc<App>>, Q(q): Q<ListQuery>) -> Answer {
    let page = PageReq::parse(
        ("pageNo", q.page_no.as_deref()),
        ("pageSize", q.page_size.as_deref()),
        25,
        None,
    )?;
    let mut db = app.db();
    let mut items = db.pp.countries.clone();
    if let Some(name) = q.name.filter(|n| !n.is_empty()) {
        let needle = name.to_lowercase();
        items.retain(|(_, _, n)| n.to_lowercase().contains(&needle));
    }
    match q.sort.as_deref().unwrap_or("") {
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
    Ok(success(&mut db, result))
}
