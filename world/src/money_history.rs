//! What changed each player's credits and why: Screeps' `users.money` records, shown by
//! `/api/user/money-history` (screeps/engine `processor/global-intents/market.js` writes one
//! for every fee, refund and deal). Kept in the world because the market's processor writes
//! them; bounded per player (Screeps keeps them all).

use serde::{Deserialize, Serialize};

use crate::geometry::RoomId;
use crate::object::PlayerId;
use crate::orders::{OrderId, OrderType};
use crate::resources::ResourceKind;

/// Entries kept per player, newest last (the API pages through them 20 at a time).
pub const MONEY_HISTORY_KEPT: usize = 100;

/// One change of a player's credits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyEntry {
    /// Unique in the world: the market's count of entries before this one.
    pub id: u64,
    pub tick: u64,
    /// Thousandths of a credit, negative for a payment.
    pub change_milli: i64,
    /// The credits after the change, in thousandths.
    pub balance_milli: u64,
    pub reason: MoneyReason,
}

/// Why credits changed: Screeps' `type` (`market.fee`, `market.sell`, `market.buy`) and
/// its `market` details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MoneyReason {
    /// The fee of `createOrder`.
    OrderCreated {
        order: OrderId,
        order_type: OrderType,
        resource: ResourceKind,
        price_milli: u64,
        total_amount: u32,
        room: RoomId,
    },
    /// The fee of `changeOrderPrice` to a higher price.
    PriceChanged {
        order: OrderId,
        old_price_milli: u64,
        new_price_milli: u64,
    },
    /// The fee of `extendOrder`.
    OrderExtended { order: OrderId, add_amount: u32 },
    /// The rest of the fee returned when an order expires.
    OrderExpired {
        order: OrderId,
        order_type: OrderType,
        resource: ResourceKind,
        price_milli: u64,
        remaining_amount: u32,
    },
    /// A deal: credits in for the seller (`sold`), out for the buyer.
    Deal {
        sold: bool,
        resource: ResourceKind,
        room: RoomId,
        target_room: RoomId,
        price_milli: u64,
        /// The other side had no owner (an NPC terminal).
        npc: bool,
        owner: PlayerId,
        dealer: PlayerId,
        amount: u32,
    },
}
