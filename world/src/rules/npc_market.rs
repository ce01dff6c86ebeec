//! NPC traders at the highway crossroads: where credits come from without an operator.
//!
//! Rules and their source (screeps/backend-local `cronjobs.js`, `recreateNpcOrders`): every
//! 4 000–6 000 ticks (5 000 × (0.8–1.2)) each normal crossroads room's NPC orders are
//! replaced by new ones: a sell order of 200 000 of a mineral drawn from Screeps' list (H and
//! O at 3 credits, Z, K, U and L at 6, X at 18), half the time a sell order of 200 000 energy
//! at 1, and a quarter of the time a buy order of 100 000 of a drawn mineral at 1. An NPC
//! trader has what it sells and the credits for what it buys; the player dealing pays the
//! terminal energy for the distance to the crossroads, as with any order.
//!
//! Where this differs from Screeps, and why:
//! - Screeps places NPC terminals in crossroads rooms on its map; this world places none
//!   (worlds made before this had none either): the orders name the crossroads room and
//!   trade as if a terminal without a user stood there.
//! - The times and draws come from the seed and the room ([`npc_order_rounds`]), not
//!   `Math.random`; the first orders come at tick 0, as the cron job's first run would.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::geometry::{RoomCoord, RoomId};
use crate::market::Market;
use crate::npc::MARKET_NPC;
use crate::orders::{Order, OrderId, OrderType};
use crate::resources::ResourceKind;
use crate::room_map::{schedule_rng, RoomKind, RoomMap, RoomStatus, NPC_MARKET_STREAM};
use crate::state::GameTime;

/// One round of a crossroads' NPC orders: when they are made and what they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NpcOrderRound {
    pub tick: u64,
    /// (type, resource, amount, price in thousandths).
    pub orders: Vec<(OrderType, ResourceKind, u32, u64)>,
}

/// `recreateNpcOrders`' mineral list (the same for selling and buying).
const MINERALS: [&str; 17] = [
    "X", "Z", "K", "L", "U", "O", "O", "H", "H", "Z", "K", "L", "U", "O", "O", "H", "H",
];
const PERIOD: u64 = 5000;

fn sell_price_milli(mineral: &str) -> u64 {
    match mineral {
        "H" | "O" => 3000,
        "X" => 18_000,
        _ => 6000,
    }
}

/// The NPC order rounds of the crossroads at `coord`, in order, forever.
pub fn npc_order_rounds(seed: u64, coord: RoomCoord) -> impl Iterator<Item = NpcOrderRound> {
    let mut tick = 0u64;
    (0u64..).map(move |k| {
        let mut rng = round_rng(seed, coord, k);
        let mineral = |rng: &mut ChaCha8Rng| MINERALS[rng.gen_range(0..MINERALS.len())];
        let resource = |m: &str| ResourceKind::parse(m).unwrap_or(ResourceKind::Hydrogen);
        let sold = mineral(&mut rng);
        let bought = mineral(&mut rng);
        let mut orders = vec![(
            OrderType::Sell,
            resource(sold),
            200_000,
            sell_price_milli(sold),
        )];
        if rng.gen_range(0..2) == 0 {
            orders.push((OrderType::Sell, ResourceKind::Energy, 200_000, 1000));
        }
        if rng.gen_range(0..4) == 0 {
            orders.push((OrderType::Buy, resource(bought), 100_000, 1000));
        }
        let round = NpcOrderRound { tick, orders };
        // `Math.round(period * (0.8 + 0.4 * Math.random()))`.
        tick += PERIOD * 4 / 5 + rng.gen_range(0..=PERIOD * 2 / 5);
        round
    })
}

fn round_rng(seed: u64, coord: RoomCoord, k: u64) -> ChaCha8Rng {
    schedule_rng(seed, NPC_MARKET_STREAM, coord, k)
}

/// Each crossroads' next round, earliest first: derived from the state, neither hashed nor
/// saved.
#[derive(Resource, Debug, Default)]
pub(crate) struct NpcMarketCache {
    rooms: usize,
    due: BTreeMap<(u64, RoomId), u64>,
}

/// Replaces the NPC orders of the crossroads due this tick (at the tick's end, as the cron
/// job runs between ticks: players see them and deal on them from the next tick).
pub(crate) fn renew_npc_orders(world: &mut World) {
    let now = world.resource::<GameTime>().0;
    let seed = world.resource::<RoomMap>().seed();
    let rooms = world.resource::<RoomMap>().rooms.len();
    let mut cache = match world.remove_resource::<NpcMarketCache>() {
        Some(c) if c.rooms == rooms => c,
        _ => {
            let map = world.resource::<RoomMap>();
            let mut due = BTreeMap::new();
            for room in map.rooms.iter().filter(|r| r.kind == RoomKind::Crossroads) {
                let next = npc_order_rounds(seed, room.coord)
                    .enumerate()
                    .find(|(_, r)| r.tick >= now);
                if let Some((k, r)) = next {
                    due.insert((r.tick, room.id), k as u64);
                }
            }
            NpcMarketCache {
                rooms: map.rooms.len(),
                due,
            }
        }
    };
    while let Some((&(tick, room), &k)) = cache.due.first_key_value() {
        if tick > now {
            break;
        }
        cache.due.remove(&(tick, room));
        let map = world.resource::<RoomMap>();
        let (coord, open) = (
            map.get(room).coord,
            map.get(room).status == RoomStatus::Normal,
        );
        let mut rounds = npc_order_rounds(seed, coord).skip(k as usize);
        if let (Some(round), true, true) = (rounds.next(), tick == now, open) {
            replace_orders(&mut world.resource_mut::<Market>(), room, &round, now);
        }
        if let Some(next) = rounds.next() {
            cache.due.insert((next.tick, room), k + 1);
        }
    }
    world.insert_resource(cache);
}

/// `removeWhere({roomName})` then `insert(orders)`.
fn replace_orders(market: &mut Market, room: RoomId, round: &NpcOrderRound, now: u64) {
    market
        .orders
        .retain(|_, o| !(o.owner == MARKET_NPC && o.room == room));
    for order in &round.orders {
        let id = OrderId(market.next_order);
        market.next_order += 1;
        market.orders.insert(id, Order::npc(id, *order, room, now));
    }
}
