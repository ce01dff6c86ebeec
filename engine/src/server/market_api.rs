//! `/api/game/market/*`: the Screeps client's market screens (screeps/backend-local
//! `lib/game/api/market.js`), read from the market the world keeps (`world/src/orders.rs`).
//!
//! Orders are documents as Screeps stores them, prices in credits: `_id`, `created`, `active`,
//! `type`, `resourceType`, `roomName`, `amount`, `remainingAmount`, `totalAmount`, `price`.
//! `my-orders` adds `user`; everyone's orders leave it out, as `Game.market.getAllOrders`
//! shows them here.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::api::{bad, ApiResult, AppState};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/game/market/orders-index", get(orders_index))
        .route("/api/game/market/orders", get(orders))
        .route("/api/game/market/my-orders", get(my_orders))
        .route("/api/game/market/stats", get(stats))
}

/// An order as Screeps' database holds it.
fn order_doc(o: &isoshard_world::orders::OrderView, user: Option<u32>) -> Value {
    let mut doc = serde_json::to_value(o).unwrap_or_default();
    if let Value::Object(map) = &mut doc {
        if let Some(id) = map.remove("id") {
            map.insert("_id".into(), id);
        }
        if let Some(user) = user {
            map.insert("user".into(), json!(user.to_string()));
        }
    }
    doc
}

/// Active orders counted by resource.
async fn orders_index(State(s): State<AppState>, headers: HeaderMap) -> ApiResult {
    s.caller(&headers, None)?;
    let p = s.now();
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for o in p.market.orders.iter().filter(|o| o.active) {
        *counts.entry(o.resource_type.as_str()).or_default() += 1;
    }
    let list: Vec<Value> = counts
        .into_iter()
        .map(|(r, n)| json!({ "_id": r, "count": n }))
        .collect();
    Ok(Json(json!({ "ok": 1, "list": list })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResourceQuery {
    resource_type: Option<String>,
}

/// The published state and the resource asked about, for a signed-in caller.
fn resource_query(
    s: &AppState,
    headers: &HeaderMap,
    q: ResourceQuery,
) -> ApiResult<(super::shard_thread::Published, String)> {
    s.caller(headers, None)?;
    let resource = q
        .resource_type
        .filter(|r| !r.is_empty())
        .ok_or_else(|| bad("invalid params: resourceType is needed"))?;
    Ok((s.now(), resource))
}

async fn orders(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ResourceQuery>,
) -> ApiResult {
    let (p, resource) = resource_query(&s, &headers, q)?;
    let list: Vec<Value> = p
        .market
        .orders
        .iter()
        .filter(|o| o.active && o.resource_type == resource)
        .map(|o| order_doc(o, None))
        .collect();
    Ok(Json(json!({ "ok": 1, "list": list })))
}

async fn my_orders(State(s): State<AppState>, headers: HeaderMap) -> ApiResult {
    let me = s.caller(&headers, None)?;
    let p = s.now();
    let list: Vec<Value> = p
        .market
        .mine
        .get(&me.id)
        .into_iter()
        .flatten()
        .map(|o| order_doc(o, Some(me.id)))
        .collect();
    Ok(Json(json!({ "ok": 1, "list": list })))
}

/// A resource's daily prices, newest first.
async fn stats(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ResourceQuery>,
) -> ApiResult {
    let (p, resource) = resource_query(&s, &headers, q)?;
    let mut days: Vec<&isoshard_world::orders::HistoryView> = p
        .market
        .history
        .iter()
        .filter(|h| h.resource_type == resource)
        .collect();
    days.sort_by(|a, b| b.date.cmp(&a.date));
    Ok(Json(json!({ "ok": 1, "stats": days })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_read_as_screeps_documents_with_the_owner_only_on_your_own() {
        let order = isoshard_world::orders::OrderView {
            id: "5f3a".into(),
            created: 12,
            active: true,
            order_type: "sell".into(),
            resource_type: "energy".into(),
            room_name: "W1N1".into(),
            amount: 100,
            remaining_amount: 80,
            total_amount: 100,
            price: 0.5,
        };
        let theirs = order_doc(&order, None);
        assert_eq!(theirs["_id"], "5f3a");
        assert!(theirs.get("id").is_none() && theirs.get("user").is_none());
        assert_eq!(
            (
                &theirs["type"],
                &theirs["resourceType"],
                &theirs["remainingAmount"],
                &theirs["price"]
            ),
            (&json!("sell"), &json!("energy"), &json!(80), &json!(0.5))
        );
        assert_eq!(order_doc(&order, Some(7))["user"], "7");
    }
}
