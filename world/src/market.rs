//! The players' accounts beside their rooms: credits, power processed (GPL) and terminal
//! transactions. What Screeps keeps in its database outside the rooms (`users.money`,
//! `users.power`, `transactions`) lives here as one resource of the world, hashed and
//! snapshotted with it.

use std::collections::{BTreeMap, VecDeque};

use bevy_ecs::prelude::Resource;
use serde::{Deserialize, Serialize};

use crate::geometry::RoomId;
use crate::money_history::{MoneyEntry, MoneyReason, MONEY_HISTORY_KEPT};
use crate::object::PlayerId;
use crate::orders::{
    DayTrades, HistoryView, Order, OrderId, OrderType, OrderView, MARKET_HISTORY_DAYS,
    MARKET_TICKS_PER_DAY,
};
use crate::resources::ResourceKind;

/// Transactions each player keeps in and out (`Game.market.incomingTransactions` and
/// `outgoingTransactions` show the last 100).
pub const MARKET_TRANSACTIONS_KEPT: usize = 100;

/// One terminal transfer (screeps/engine `global-intents/market.js`, `executeTransfer`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    pub id: u64,
    pub time: u64,
    pub sender: Option<PlayerId>,
    pub recipient: Option<PlayerId>,
    pub resource: ResourceKind,
    pub amount: u32,
    pub from: RoomId,
    pub to: RoomId,
    pub description: Option<String>,
    /// The order a market deal traded on (`transaction.order`).
    pub order: Option<(OrderId, OrderType, u64)>,
}

/// Credits and transactions of every player.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Market {
    /// Credits in thousandths (Screeps keeps `money` × 1000 too).
    pub credits: BTreeMap<PlayerId, u64>,
    /// Power processed in power spawns (`Game.gpl` derives from it).
    pub power: BTreeMap<PlayerId, u64>,
    pub next_transaction: u64,
    pub incoming: BTreeMap<PlayerId, VecDeque<Transaction>>,
    pub outgoing: BTreeMap<PlayerId, VecDeque<Transaction>>,
    /// Every order, inactive ones too.
    pub orders: BTreeMap<OrderId, Order>,
    pub next_order: u64,
    /// Trades per resource per market day, the last [`MARKET_HISTORY_DAYS`] days.
    pub history: BTreeMap<(ResourceKind, u64), DayTrades>,
    /// Each player's last credit changes (`crate::money_history`). Left out of the encoding
    /// while empty, with `money_changes` (zero until the first entry), so worlds that never
    /// traded keep the hashes recorded before this existed (both are last: a positional
    /// encoding reads their absence as the defaults).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub money: BTreeMap<PlayerId, VecDeque<MoneyEntry>>,
    /// Entries ever logged in `money`: a reader sees from it whether anything changed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub money_changes: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Market {
    /// Adds `milli` thousandths of a credit to `player`'s account (an operator's grant: this
    /// world's credits come from this and from deals with NPC traders).
    pub fn grant(&mut self, player: PlayerId, milli: u64) {
        *self.credits.entry(player).or_default() += milli;
    }

    /// Records that `player`'s credits changed by `change_milli` at `tick` (after the
    /// change is made: the balance is read now), keeping the newest [`MONEY_HISTORY_KEPT`].
    pub fn log_money(
        &mut self,
        player: PlayerId,
        tick: u64,
        change_milli: i64,
        reason: MoneyReason,
    ) {
        let balance_milli = self.credits.get(&player).copied().unwrap_or(0);
        let log = self.money.entry(player).or_default();
        log.push_back(MoneyEntry {
            id: self.money_changes,
            tick,
            change_milli,
            balance_milli,
            reason,
        });
        while log.len() > MONEY_HISTORY_KEPT {
            log.pop_front();
        }
        self.money_changes += 1;
    }

    /// Records one deal in the price history, dropping days older than the history keeps.
    pub fn record_trade(
        &mut self,
        time: u64,
        resource: ResourceKind,
        price_milli: u64,
        amount: u32,
    ) {
        let day = time / MARKET_TICKS_PER_DAY;
        self.history
            .entry((resource, day))
            .or_default()
            .add(price_milli, amount);
        let oldest = day.saturating_sub(MARKET_HISTORY_DAYS - 1);
        self.history.retain(|(_, d), _| *d >= oldest);
    }

    /// Active orders, as everyone sees them.
    pub fn active_orders(&self, room: impl Fn(RoomId) -> String) -> Vec<OrderView> {
        self.orders
            .values()
            .filter(|o| o.active)
            .map(|o| o.view(room(o.room)))
            .collect()
    }

    /// `getHistory` for every resource traded in the last 14 market days, oldest day first.
    pub fn history_views(&self) -> Vec<HistoryView> {
        let mut days: Vec<_> = self.history.iter().collect();
        days.sort_by_key(|((resource, day), _)| (*day, *resource));
        days.into_iter()
            .map(|((resource, day), trades)| {
                let (avg_price, stddev_price) = trades.price_stats();
                HistoryView {
                    resource_type: resource.as_str().into(),
                    date: crate::orders::market_date(*day),
                    transactions: trades.transactions,
                    volume: trades.volume,
                    avg_price,
                    stddev_price,
                }
            })
            .collect()
    }

    /// Records a transfer for its sender and recipient, keeping the last 100 of each.
    pub fn record(&mut self, mut t: Transaction) {
        t.id = self.next_transaction;
        self.next_transaction += 1;
        let keep = |log: &mut VecDeque<Transaction>, t: &Transaction| {
            log.push_back(t.clone());
            while log.len() > MARKET_TRANSACTIONS_KEPT {
                log.pop_front();
            }
        };
        if let Some(p) = t.sender {
            keep(self.outgoing.entry(p).or_default(), &t);
        }
        if let Some(p) = t.recipient {
            keep(self.incoming.entry(p).or_default(), &t);
        }
    }
}

/// A player's side of the market as `Game.market` shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MarketView {
    /// Credits in thousandths (`Game.market.credits` is this / 1000).
    pub credits_milli: u64,
    /// Power processed (`Game.gpl`).
    pub power: u64,
    /// Newest first, as Screeps lists them.
    pub incoming: Vec<TransactionView>,
    pub outgoing: Vec<TransactionView>,
    /// The player's own orders, inactive ones too (`Game.market.orders`).
    pub orders: Vec<OrderView>,
}

/// A transaction as `Game.market.incomingTransactions` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionView {
    pub transaction_id: String,
    pub time: u64,
    pub sender: Option<String>,
    pub recipient: Option<String>,
    pub resource_type: String,
    pub amount: u32,
    pub from: String,
    pub to: String,
    pub description: Option<String>,
    /// `{id, type, price}` of the order a deal traded on.
    pub order: Option<TransactionOrder>,
}

/// `transaction.order`: `{id, type, price}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransactionOrder {
    pub id: String,
    #[serde(rename = "type")]
    pub order_type: String,
    pub price: f64,
}

impl Market {
    /// What `player` sees of the market; `names` gives usernames, `room` room names.
    pub fn view_for(
        &self,
        player: PlayerId,
        names: &BTreeMap<PlayerId, String>,
        room: impl Fn(RoomId) -> String,
    ) -> MarketView {
        let show = |log: Option<&VecDeque<Transaction>>| -> Vec<TransactionView> {
            log.into_iter()
                .flat_map(|l| l.iter().rev())
                .map(|t| TransactionView {
                    transaction_id: format!("{:x}", t.id),
                    time: t.time,
                    sender: t.sender.and_then(|p| names.get(&p).cloned()),
                    recipient: t.recipient.and_then(|p| names.get(&p).cloned()),
                    resource_type: t.resource.as_str().into(),
                    amount: t.amount,
                    from: room(t.from),
                    to: room(t.to),
                    description: t.description.clone(),
                    order: t.order.map(|(id, kind, price)| TransactionOrder {
                        id: id.to_js(),
                        order_type: kind.as_str().into(),
                        price: price as f64 / 1000.0,
                    }),
                })
                .collect()
        };
        MarketView {
            credits_milli: self.credits.get(&player).copied().unwrap_or(0),
            power: self.power.get(&player).copied().unwrap_or(0),
            incoming: show(self.incoming.get(&player)),
            outgoing: show(self.outgoing.get(&player)),
            orders: self
                .orders
                .values()
                .filter(|o| o.owner == player)
                .map(|o| o.view(room(o.room)))
                .collect(),
        }
    }
}

/// `utils.calcTerminalEnergyCost`: `ceil(amount × (1 − e^(−range / 30)))`. The factor is
/// JavaScript's own `1 - Math.exp(-r / 30)` for every range a map of up to 256 rooms across
/// has (128 with wrapping), so the product rounds exactly as Screeps' does on any platform.
pub fn terminal_energy_cost(amount: u32, range: u32) -> u32 {
    let factor = TERMINAL_COST_FACTOR[(range as usize).min(TERMINAL_COST_FACTOR.len() - 1)];
    (f64::from(amount) * factor).ceil() as u32
}

/// `1 - Math.exp(-r / 30)` for r in 0..=128, as V8 computes it.
#[allow(clippy::excessive_precision, clippy::unreadable_literal)]
const TERMINAL_COST_FACTOR: [f64; 129] = [
    0.0000000000000000,
    0.032783899517994097,
    0.064493014968382223,
    0.095162581964040482,
    0.12482668095705252,
    0.15351827510938598,
    0.18126924692201818,
    0.20811043366321835,
    0.23407166163535131,
    0.25918177931828212,
    0.28346868942621073,
    0.30695937991355848,
    0.32967995396436067,
    0.35165565899849027,
    0.37291091472694382,
    0.39346934028736658,
    0.41335378048996818,
    0.43258633120299617,
    0.45118836390597350,
    0.46918054943798604,
    0.48658288096740798,
    0.50341469620859047,
    0.51969469891020059,
    0.53544097963908854,
    0.55067103588277844,
    0.56540179149292180,
    0.57964961549131810,
    0.59343034025940089,
    0.60675927913140182,
    0.61965124341074140,
    0.63212055882855767,
    0.64418108146265807,
    0.65584621313458757,
    0.66712891630192050,
    0.67804172846232413,
    0.68859677608540237,
    0.69880578808779792,
    0.70868010886652899,
    0.71823071090504165,
    0.72746820696598746,
    0.73640286188427329,
    0.74504460397349004,
    0.75340303605839354,
    0.76148744614569752,
    0.76930681774503717,
    0.77686983985157021,
    0.78418491660131018,
    0.79126017660992032,
    0.79810348200534464,
    0.80472243716431424,
    0.81112439716243823,
    0.81731647594726531,
    0.82330555424340324,
    0.82909828719847511,
    0.83470111177841344,
    0.84012025392030609,
    0.84536173545074522,
    0.85043138077736491,
    0.85533482336100497,
    0.86007751197569060,
    0.86466471676338730,
    0.86910153509025567,
    0.87339289721091640,
    0.87754357174701814,
    0.88155817098619627,
    0.88544115600731232,
    0.88919684163766610,
    0.89282940124769328,
    0.89634287138847213,
    0.89974115627719620,
    0.90302803213559490,
    0.90620715138612373,
    0.90928204671058754,
    0.91225613497570568,
    0.91513272102998255,
    0.91791500137610116,
    0.92060606772292175,
    0.92320891042103193,
    0.92572642178566611,
    0.92816139931068675,
    0.93051654877719847,
    0.93279448726025027,
    0.93499774603696550,
    0.93712877339933276,
    0.93918993737478207,
    0.94118352835757013,
    0.94311176165389843,
    0.94497677994359275,
    0.94678065566107850,
    0.94852539329829921,
    0.95021293163213605,
    0.95184514587880364,
    0.95342384977761663,
    0.95495079760644219,
    0.95642768613107831,
    0.95785615649072364,
    0.95923779602163384,
    0.96057414002099251,
    0.96186667345295485,
    0.96311683259876002,
    0.96432600665274759,
    0.96549553926604947,
    0.96662673003967392,
    0.96772083596864011,
    0.96877907283876907,
    0.96980261657768152,
    0.97079260456150518,
    0.97175013687874312,
    0.97267627755270747,
    0.97357205572387706,
    0.97443846679349255,
    0.97527647352966063,
    0.97608700713719465,
    0.97687096829238340,
    0.97762922814383435,
    0.97836262928050688,
    0.97907198666800832,
    0.97975808855419566,
    0.98042169734508700,
    0.98106355045205851,
    0.98168436111126578,
    0.98228481917620192,
    0.98286559188427247,
    0.98342732459823878,
    0.98397064152335445,
    0.98449614640099070,
    0.98500442317952230,
    0.98549603666321917,
    0.98597153313986485,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_costs_match_screeps_examples() {
        // What JavaScript's Math.ceil(a * (1 - Math.exp(-r / 30))) gives.
        assert_eq!(terminal_energy_cost(1000, 10), 284);
        assert_eq!(terminal_energy_cost(1000, 0), 0);
        assert_eq!(terminal_energy_cost(100, 1), 4);
        assert_eq!(terminal_energy_cost(100_000, 128), 98_598);
    }

    #[test]
    fn each_player_keeps_the_last_hundred_transactions() {
        let mut m = Market::default();
        for i in 0..150 {
            m.record(Transaction {
                id: 0,
                time: i,
                sender: Some(PlayerId(1)),
                recipient: Some(PlayerId(2)),
                resource: ResourceKind::Energy,
                amount: 1,
                from: RoomId(0),
                to: RoomId(1),
                description: None,
                order: None,
            });
        }
        assert_eq!(m.outgoing[&PlayerId(1)].len(), MARKET_TRANSACTIONS_KEPT);
        assert_eq!(m.incoming[&PlayerId(2)].front().map(|t| t.time), Some(50));
        assert_eq!(m.next_transaction, 150);
    }

    #[test]
    fn credit_logs_are_bounded_and_round_trip_through_both_encodings() {
        let mut m = Market::default();
        let round_trips = |m: &Market| {
            let positional: Market = rmp_serde::from_slice(&rmp_serde::to_vec(m).unwrap()).unwrap();
            let named: Market =
                rmp_serde::from_slice(&rmp_serde::to_vec_named(m).unwrap()).unwrap();
            assert_eq!((&positional, &named), (m, m));
        };
        round_trips(&m);
        for tick in 0..(MONEY_HISTORY_KEPT as u64 + 10) {
            m.grant(PlayerId(1), 1000);
            let reason = MoneyReason::OrderExtended {
                order: crate::orders::OrderId(tick),
                add_amount: 1,
            };
            m.log_money(PlayerId(1), tick, 1000, reason);
        }
        let log = &m.money[&PlayerId(1)];
        assert_eq!(log.len(), MONEY_HISTORY_KEPT);
        assert_eq!(
            (log[0].tick, log[0].id, log[0].balance_milli),
            (10, 10, 11_000)
        );
        assert_eq!(m.money_changes, MONEY_HISTORY_KEPT as u64 + 10);
        round_trips(&m);
    }
}
