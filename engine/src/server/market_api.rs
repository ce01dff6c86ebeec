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

use isoshard_world::money_history::{MoneyEntry, MoneyReason};

use super::api::{bad, ApiResult, AppState};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/game/market/orders-index", get(orders_index))
        .route("/api/game/market/orders", get(orders))
        .route("/api/game/market/my-orders", get(my_orders))
        .route("/api/game/market/stats", get(stats))
        .route("/api/user/money-history", get(money_history))
}

/// Entries `/api/user/money-history` shows per page (Screeps' page size).
const MONEY_PAGE: usize = 20;

/// A credit change as Screeps' `users.money` holds it: `date` is what the player's `Date`
/// showed at that tick (2020-01-01 plus a second per tick), prices and credits in credits.
pub(crate) fn money_doc(e: &MoneyEntry, user: u32, map: &isoshard_world::RoomMap) -> Value {
    let room = |r| map.get(r).name.clone();
    let credits = |milli: u64| milli as f64 / 1000.0;
    let (kind, market) = match &e.reason {
        MoneyReason::OrderCreated {
            order,
            order_type,
            resource,
            price_milli,
            total_amount,
            room: r,
        } => (
            "market.fee",
            json!({ "order": { "type": order_type.as_str(), "resourceType": resource.as_str(), "price": credits(*price_milli), "totalAmount": total_amount, "roomName": room(*r), "orderId": order.to_js() } }),
        ),
        MoneyReason::PriceChanged {
            order,
            old_price_milli,
            new_price_milli,
        } => (
            "market.fee",
            json!({ "changeOrderPrice": { "orderId": order.to_js(), "oldPrice": credits(*old_price_milli), "newPrice": credits(*new_price_milli) } }),
        ),
        MoneyReason::OrderExtended { order, add_amount } => (
            "market.fee",
            json!({ "extendOrder": { "orderId": order.to_js(), "addAmount": add_amount } }),
        ),
        MoneyReason::OrderExpired {
            order,
            order_type,
            resource,
            price_milli,
            remaining_amount,
        } => (
            "market.fee",
            json!({ "order": { "orderId": order.to_js(), "type": order_type.as_str(), "resourceType": resource.as_str(), "price": credits(*price_milli), "remainingAmount": remaining_amount } }),
        ),
        MoneyReason::Deal {
            sold,
            resource,
            room: r,
            target_room,
            price_milli,
            npc,
            owner,
            dealer,
            amount,
        } => (
            if *sold { "market.sell" } else { "market.buy" },
            json!({ "resourceType": resource.as_str(), "roomName": room(*r), "targetRoomName": room(*target_room), "price": credits(*price_milli), "npc": npc, "owner": owner.0.to_string(), "dealer": dealer.0.to_string(), "amount": amount }),
        ),
    };
    let date_ms = 1_577_836_800_000 + e.tick.saturating_mul(1000);
    let date = i64::try_from(date_ms)
        .ok()
        .and_then(chrono::DateTime::from_timestamp_millis)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    json!({
        "_id": format!("{:024x}", e.id),
        "date": date,
        "tick": e.tick,
        "user": user.to_string(),
        "type": kind,
        "balance": credits(e.balance_milli),
        "change": e.change_milli as f64 / 1000.0,
        "market": market,
    })
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<String>,
}

/// The caller's credit changes, newest first, 20 a page (`page` from 0).
async fn money_history(
    State(s): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> ApiResult {
    let me = s.caller(&headers, None)?;
    // Screeps: `parseInt(page) || 0`.
    let page = q
        .page
        .as_deref()
        .and_then(|p| p.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let p = s.now();
    let log = p.market.money.get(&me.id).map_or(&[][..], Vec::as_slice);
    let (list, has_more) = money_page(log, page);
    Ok(Json(
        json!({ "ok": 1, "page": page, "list": list, "hasMore": has_more }),
    ))
}

/// Page `page` of `log` (oldest first) newest first, and whether an older page follows.
fn money_page(log: &[Value], page: usize) -> (Vec<&Value>, bool) {
    let mut newest_first = log.iter().rev().skip(page.saturating_mul(MONEY_PAGE));
    let list = newest_first.by_ref().take(MONEY_PAGE).collect();
    (list, newest_first.next().is_some())
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
    fn credit_changes_read_as_screeps_money_records_newest_first_twenty_a_page() {
        let world = isoshard_world::GameWorld::new(isoshard_world::WorldConfig::default()).unwrap();
        let room = world.map().rooms[0].id;
        let name = world.map().rooms[0].name.clone();
        let deal = MoneyEntry {
            id: 7,
            tick: 60,
            change_milli: -2_500,
            balance_milli: 97_500,
            reason: MoneyReason::Deal {
                sold: false,
                resource: isoshard_world::ResourceKind::Hydrogen,
                room,
                target_room: room,
                price_milli: 250,
                npc: false,
                owner: isoshard_world::PlayerId(2),
                dealer: isoshard_world::PlayerId(1),
                amount: 10,
            },
        };
        let doc = money_doc(&deal, 1, world.map());
        assert_eq!(doc["type"], "market.buy");
        assert_eq!(
            (&doc["change"], &doc["balance"]),
            (&json!(-2.5), &json!(97.5))
        );
        assert_eq!(doc["date"], "2020-01-01T00:01:00.000Z");
        assert_eq!(doc["_id"], format!("{:024x}", 7));
        assert_eq!(doc["market"]["roomName"], name);
        assert_eq!(
            (&doc["market"]["price"], &doc["market"]["amount"]),
            (&json!(0.25), &json!(10))
        );
        let log: Vec<Value> = (0..45).map(|n| json!(n)).collect();
        let (first, more) = money_page(&log, 0);
        assert_eq!((first[0], first.len(), more), (&json!(44), 20, true));
        let (last, more) = money_page(&log, 2);
        assert_eq!((last[4], last.len(), more), (&json!(0), 5, false));
        let (past, more) = money_page(&log, 9);
        assert!(past.is_empty() && !more);
        let (exact, more) = money_page(&log[..40], 1);
        assert_eq!((exact.len(), more), (20, false));
    }

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
