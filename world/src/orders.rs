//! Market orders and their price history (screeps/engine `game/market.js` and
//! `processor/global-intents/market.js`): what players offer to buy or sell from a terminal,
//! the fees they pay, and the daily statistics `Game.market.getHistory` reads.
//!
//! Prices are kept in thousandths of a credit as Screeps keeps them (`order.price` × 1000 in
//! its database). Where Screeps reads the wall clock (an order's 30-day life, the history's
//! calendar days) this world counts ticks instead, so state stays a function of the tick:
//! an order lives [`MARKET_ORDER_LIFE_TICKS`] and a market day is [`MARKET_TICKS_PER_DAY`].

use serde::{Deserialize, Serialize};

use crate::geometry::RoomId;
use crate::object::PlayerId;
use crate::resources::ResourceKind;

/// `MARKET_FEE`: what creating (or raising, or extending) an order costs, as a share of its
/// value.
pub const MARKET_FEE: f64 = 0.05;
/// `MARKET_MAX_ORDERS`: orders a player may hold.
pub const MARKET_MAX_ORDERS: usize = 300;
/// `deal`s a player may make per tick (`intents.pushByName('global', 'deal', …, 10)`).
pub const MARKET_DEALS_PER_TICK: usize = 10;
/// `cancelOrder`, `changeOrderPrice` and `extendOrder` intents kept per tick (each 50).
pub const MARKET_CHANGES_PER_TICK: usize = 50;
/// Screeps ends an order 30 days (`MARKET_ORDER_LIFE_TIME`, in ms) after it was created.
/// Counted here in ticks of 3 s, the pace of Screeps' public shards: 864 000 ticks.
pub const MARKET_ORDER_LIFE_TICKS: u64 = 30 * 24 * 3600 / 3;
/// A market day for `getHistory`: 24 h of 3 s ticks.
pub const MARKET_TICKS_PER_DAY: u64 = 24 * 3600 / 3;
/// Days `getHistory` covers (Screeps keeps 14).
pub const MARKET_HISTORY_DAYS: u64 = 14;

/// An order's id. JavaScript sees 24 hex digits, as Screeps' database ids look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OrderId(pub u64);

impl OrderId {
    pub fn to_js(self) -> String {
        format!("{:024x}", self.0)
    }

    pub fn from_js(s: &str) -> Option<OrderId> {
        if s.is_empty() || s.len() > 24 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u64::from_str_radix(s, 16).ok().map(OrderId)
    }
}

/// `ORDER_BUY` / `ORDER_SELL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderType {
    Buy,
    Sell,
}

impl OrderType {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderType::Buy => "buy",
            OrderType::Sell => "sell",
        }
    }
}

/// One order on the market.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: OrderId,
    pub owner: PlayerId,
    pub order_type: OrderType,
    pub resource: ResourceKind,
    pub price_milli: u64,
    pub total_amount: u32,
    /// What is left to trade.
    pub remaining_amount: u32,
    /// What can be traded now: a sell order's resource in its terminal, a buy order's
    /// affordable and storable amount (refreshed every tick).
    pub amount: u32,
    /// Whether others see it (`getAllOrders` lists only active orders).
    pub active: bool,
    /// The room of the terminal it trades through.
    pub room: RoomId,
    /// The tick it was created.
    pub created: u64,
}

/// The fee, in thousandths, for `amount` at `price_milli`: `Math.ceil(price × amount ×
/// MARKET_FEE)` evaluated in the same f64 steps as JavaScript, so it rounds as Screeps does.
pub fn fee_milli(price_milli: u64, amount: u64) -> u64 {
    (price_milli as f64 * amount as f64 * MARKET_FEE).ceil() as u64
}

/// One resource's trades on one market day. Sums are integers (no floats in state); the
/// average and deviation are computed when shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayTrades {
    pub transactions: u32,
    pub volume: u64,
    /// Σ price × amount, in thousandths.
    pub value_milli: u128,
    /// Σ price² × amount, in millionths.
    pub value_sq: u128,
}

impl DayTrades {
    pub fn add(&mut self, price_milli: u64, amount: u32) {
        self.transactions += 1;
        self.volume += u64::from(amount);
        self.value_milli += u128::from(price_milli) * u128::from(amount);
        self.value_sq += u128::from(price_milli) * u128::from(price_milli) * u128::from(amount);
    }

    /// (average price, standard deviation) in credits, weighted by amount, to 3 decimals.
    pub fn price_stats(&self) -> (f64, f64) {
        if self.volume == 0 {
            return (0.0, 0.0);
        }
        let volume = self.volume as f64;
        let mean = self.value_milli as f64 / volume;
        let variance = (self.value_sq as f64 / volume - mean * mean).max(0.0);
        let round = |v: f64| (v).round() / 1000.0;
        (round(mean), round(variance.sqrt()))
    }
}

/// An order as `Game.market.getAllOrders` shows it (price in credits).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderView {
    pub id: String,
    pub created: u64,
    pub active: bool,
    #[serde(rename = "type")]
    pub order_type: String,
    pub resource_type: String,
    pub room_name: String,
    pub amount: u32,
    pub remaining_amount: u32,
    pub total_amount: u32,
    pub price: f64,
}

impl Order {
    /// An NPC trader's order (`recreateNpcOrders`): owned by [`crate::npc::MARKET_NPC`],
    /// active and whole from the start, `(type, resource, amount, price in thousandths)`.
    pub fn npc(
        id: OrderId,
        (order_type, resource, amount, price_milli): (OrderType, ResourceKind, u32, u64),
        room: RoomId,
        created: u64,
    ) -> Order {
        Order {
            id,
            owner: crate::npc::MARKET_NPC,
            order_type,
            resource,
            price_milli,
            total_amount: amount,
            remaining_amount: amount,
            amount,
            active: true,
            room,
            created,
        }
    }

    pub fn view(&self, room_name: String) -> OrderView {
        OrderView {
            id: self.id.to_js(),
            created: self.created,
            active: self.active,
            order_type: self.order_type.as_str().into(),
            resource_type: self.resource.as_str().into(),
            room_name,
            amount: self.amount,
            remaining_amount: self.remaining_amount,
            total_amount: self.total_amount,
            price: self.price_milli as f64 / 1000.0,
        }
    }
}

/// One day of `Game.market.getHistory`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryView {
    pub resource_type: String,
    /// The market day as `YYYY-MM-DD`, counted from the date `Date.now()` shows at tick 0
    /// (2020-01-01, `player-api`'s clock) at one market day per [`MARKET_TICKS_PER_DAY`].
    pub date: String,
    pub transactions: u32,
    pub volume: u64,
    pub avg_price: f64,
    pub stddev_price: f64,
}

/// `YYYY-MM-DD` of the `day`th day after 2020-01-01 (days-from-civil, Howard Hinnant's).
pub fn market_date(day: u64) -> String {
    // Days from 1970-01-01 to 2020-01-01.
    let z = day as i64 + 18_262 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_ids_round_trip_through_javascript() {
        for id in [0, 1, 0xabc, u64::MAX] {
            assert_eq!(OrderId::from_js(&OrderId(id).to_js()), Some(OrderId(id)));
        }
        assert_eq!(OrderId::from_js(""), None);
        assert_eq!(OrderId::from_js("xyz"), None);
        assert_eq!(OrderId::from_js(&"f".repeat(25)), None);
    }

    #[test]
    fn fees_round_up_as_javascript_does() {
        // 3.05 thousandths: Screeps charges 4.
        assert_eq!(fee_milli(61, 1), 4);
        assert_eq!(fee_milli(60, 1), 3);
        assert_eq!(fee_milli(1000, 100), 5000);
        assert_eq!(fee_milli(1, 1), 1);
    }

    #[test]
    fn market_days_are_calendar_dates_from_2020() {
        assert_eq!(market_date(0), "2020-01-01");
        assert_eq!(market_date(59), "2020-02-29");
        assert_eq!(market_date(366), "2021-01-01");
    }

    #[test]
    fn day_statistics_weigh_prices_by_amount() {
        let mut day = DayTrades::default();
        day.add(1000, 300);
        day.add(2000, 100);
        assert_eq!(day.price_stats().0, 1.25);
        assert!((day.price_stats().1 - 0.433).abs() < 1e-9);
    }
}
