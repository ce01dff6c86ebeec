//! The market every player reads in one tick: the active orders and the price history as
//! JSON text per resource (and `all`), built once per tick by the shard and handed to each
//! runtime by reference. A player's code pays for a copy only when it asks
//! (`Game.market.getAllOrders`, `getOrderById`, `deal`, `getHistory`), through the
//! `__isoshard_market` host function, which returns a copy of the text (never a host
//! object); the prelude parses it once per tick, as screeps/engine's `market.js` caches it.

use std::collections::BTreeMap;

use isoshard_world::orders::{HistoryView, OrderView};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Orders and history as the prelude reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketBook {
    /// Resource (or `all`) → `{id: order, …}` (screeps/driver `getCachedMarketOrders`).
    orders: BTreeMap<String, String>,
    /// Resource (or `all`) → `[day, …]`.
    history: BTreeMap<String, String>,
}

impl MarketBook {
    pub fn build(orders: &[OrderView], history: &[HistoryView]) -> MarketBook {
        let mut by_resource: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
        for o in orders {
            let v = serde_json::to_value(o).unwrap_or(Value::Null);
            by_resource
                .entry("all")
                .or_default()
                .insert(o.id.clone(), v.clone());
            by_resource
                .entry(&o.resource_type)
                .or_default()
                .insert(o.id.clone(), v);
        }
        let mut days: BTreeMap<&str, Vec<&HistoryView>> = BTreeMap::new();
        for h in history {
            days.entry("all").or_default().push(h);
            days.entry(&h.resource_type).or_default().push(h);
        }
        MarketBook {
            orders: by_resource
                .into_iter()
                .map(|(k, v)| (k.to_string(), Value::Object(v).to_string()))
                .collect(),
            history: days
                .into_iter()
                .map(|(k, v)| (k.to_string(), serde_json::to_string(&v).unwrap_or_default()))
                .collect(),
        }
    }

    /// `{id: order}` of `resource` (`all` for every resource); `None` when none is open.
    pub fn orders(&self, resource: &str) -> Option<&str> {
        self.orders.get(resource).map(String::as_str)
    }

    /// The days of `resource` (`all` for every resource); `None` when nothing traded.
    pub fn history(&self, resource: &str) -> Option<&str> {
        self.history.get(resource).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(id: &str, resource: &str) -> OrderView {
        OrderView {
            id: id.into(),
            created: 1,
            active: true,
            order_type: "sell".into(),
            resource_type: resource.into(),
            room_name: "W1N1".into(),
            amount: 5,
            remaining_amount: 5,
            total_amount: 5,
            price: 1.5,
        }
    }

    #[test]
    fn orders_are_kept_per_resource_and_all_keyed_by_id() {
        let book = MarketBook::build(&[order("a", "H"), order("b", "O")], &[]);
        let all: Value = serde_json::from_str(book.orders("all").unwrap()).unwrap();
        assert_eq!(all.as_object().unwrap().len(), 2);
        let h: Value = serde_json::from_str(book.orders("H").unwrap()).unwrap();
        assert_eq!(h["a"]["price"], 1.5);
        assert_eq!(h["a"]["resourceType"], "H");
        assert_eq!(h["a"]["type"], "sell");
        assert!(h.get("b").is_none());
        assert_eq!(book.orders("X"), None);
        assert_eq!(book.history("all"), None);
    }
}
