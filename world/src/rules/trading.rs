//! The market's processor (screeps/engine `processor/global-intents/market.js`, after the
//! terminals' `send`s): each player's orders are created, repriced, extended and cancelled,
//! deals are executed nearest first through the dealer's terminal, and then every order that
//! existed at the tick's start is refreshed (expired, deactivated, or its tradable amount
//! recounted).
//!
//! Players are taken in id order where Screeps takes its database's order; an order's life
//! and the history's days count ticks where Screeps reads the clock (see `crate::orders`).
//! Credits are whole thousandths: the fee Screeps refunds when an order expires
//! (`remainingAmount × price × MARKET_FEE`, not rounded there) is rounded down here.

use std::collections::{BTreeMap, BTreeSet};

use bevy_ecs::prelude::*;

use super::live;
use super::validate::rooms_distance;
use crate::constants::*;
use crate::geometry::{Position, RoomId};
use crate::intent::Intent;
use crate::market::{terminal_energy_cost, Market, Transaction};
use crate::money_history::MoneyReason;
use crate::npc::MARKET_NPC;
use crate::object::*;
use crate::orders::{fee_milli, Order, OrderId, OrderType, MARKET_FEE, MARKET_ORDER_LIFE_TICKS};
use crate::room_map::RoomMap;
use crate::state::GameTime;

/// The terminal of each room and its owner (`_.indexBy(terminals, 'room')`).
type TerminalsByRoom = BTreeMap<RoomId, (ObjectId, Option<PlayerId>)>;

/// One deal to execute.
struct Deal {
    order: OrderId,
    amount: u32,
    room: RoomId,
    distance: u32,
}

/// What the intents did to the orders that existed at the tick's start.
#[derive(Default)]
struct OrderMarks {
    /// The orders at the tick's start: the only ones intents can reach (`ordersById`).
    existing: BTreeSet<OrderId>,
    /// Repriced this tick: no deal trades on them (`order._skip`).
    repriced: BTreeSet<OrderId>,
    cancelled: BTreeSet<OrderId>,
}

pub(super) fn apply_market(world: &mut World, intents: &[(PlayerId, Intent)]) {
    if intents.is_empty() && world.resource::<Market>().orders.is_empty() {
        return;
    }
    let terminals = terminals_by_room(world);
    let mut marks = OrderMarks {
        existing: world.resource::<Market>().orders.keys().copied().collect(),
        ..OrderMarks::default()
    };
    let mut deals = Vec::new();
    let mut start = 0;
    while start < intents.len() {
        let player = intents[start].0;
        let end = start + intents[start..].partition_point(|(p, _)| *p == player);
        let mine = &intents[start..end];
        apply_player_intents(world, &terminals, player, mine, &mut marks, &mut deals);
        start = end;
    }
    // Nearest first; a stable sort keeps the players' order among equals, as V8's does.
    deals.sort_by_key(|d| d.distance);
    for deal in &deals {
        execute_deal(world, &terminals, deal);
    }
    refresh_orders(world, &terminals, &marks);
}

fn terminals_by_room(world: &mut World) -> TerminalsByRoom {
    let mut q = world.query::<(&ObjectId, &Position, &ObjectKind, Option<&Owner>)>();
    q.iter(world)
        .filter(|(_, _, k, _)| matches!(k, ObjectKind::Structure(StructureKind::Terminal)))
        .map(|(id, p, _, o)| (p.room, (*id, o.map(|o| o.0))))
        .collect()
}

/// One player's market intents, kind by kind in `market.js`'s order: createOrder,
/// changeOrderPrice, extendOrder, cancelOrder, deal.
fn apply_player_intents(
    world: &mut World,
    terminals: &TerminalsByRoom,
    player: PlayerId,
    intents: &[(PlayerId, Intent)],
    marks: &mut OrderMarks,
    deals: &mut Vec<Deal>,
) {
    let time = world.resource::<GameTime>().0;
    let map = world.resource::<RoomMap>();
    let room_of = |name: &str| map.by_name(name);
    // Rooms are resolved before the market is borrowed mutably.
    let rooms: Vec<Option<RoomId>> = intents
        .iter()
        .map(|(_, i)| match i {
            Intent::CreateOrder { room, .. } | Intent::Deal { room, .. } => room_of(room),
            _ => None,
        })
        .collect();
    let distances: Vec<u32> = intents
        .iter()
        .zip(&rooms)
        .map(|((_, i), room)| match (i, room) {
            (Intent::Deal { order, .. }, Some(room)) => {
                world.resource::<Market>().orders.get(order).map_or(0, |o| {
                    rooms_distance(map, map.get(*room).coord, map.get(o.room).coord)
                })
            }
            _ => 0,
        })
        .collect();
    let owns_terminal = |room: Option<RoomId>| {
        room.and_then(|r| terminals.get(&r))
            .is_some_and(|(_, owner)| *owner == Some(player))
    };
    let mut market = world.resource_mut::<Market>();
    let created: Vec<Option<RoomId>> = rooms
        .iter()
        .map(|r| r.filter(|r| owns_terminal(Some(*r))))
        .collect();
    create_orders(&mut market, player, intents, &created, time);
    for (_, intent) in intents {
        if let Intent::ChangeOrderPrice {
            order,
            new_price_milli,
        } = intent
        {
            change_price(&mut market, player, *order, *new_price_milli, marks, time);
        }
    }
    for (_, intent) in intents {
        if let Intent::ExtendOrder { order, add_amount } = intent {
            let Some(o) = market.orders.get(order).filter(|o| o.owner == player) else {
                continue;
            };
            if !marks.existing.contains(order) || *add_amount == 0 {
                continue;
            }
            let fee = fee_milli(o.price_milli, u64::from(*add_amount));
            if charge(&mut market, player, fee) {
                let reason = MoneyReason::OrderExtended {
                    order: *order,
                    add_amount: *add_amount,
                };
                market.log_money(player, time, -(fee as i64), reason);
                if let Some(o) = market.orders.get_mut(order) {
                    o.remaining_amount = o.remaining_amount.saturating_add(*add_amount);
                    o.total_amount = o.total_amount.saturating_add(*add_amount);
                }
            }
        }
    }
    for (_, intent) in intents {
        if let Intent::CancelOrder { order } = intent {
            let reachable = marks.existing.contains(order);
            if let Some(o) = market
                .orders
                .get_mut(order)
                .filter(|o| o.owner == player && reachable)
            {
                o.remaining_amount = 0;
                marks.cancelled.insert(*order);
            }
        }
    }
    for (index, (_, intent)) in intents.iter().enumerate() {
        if let Intent::Deal { order, amount, .. } = intent {
            if !marks.existing.contains(order) || marks.repriced.contains(order) || *amount == 0 {
                continue;
            }
            let Some(room) = rooms[index].filter(|r| owns_terminal(Some(*r))) else {
                continue;
            };
            deals.push(Deal {
                order: *order,
                amount: *amount,
                room,
                distance: distances[index],
            });
        }
    }
}

/// `createOrder`s: for the fee, an inactive order with nothing tradable until the refresh
/// of the next tick. `rooms[i]` is intent i's room when the player has a terminal there.
fn create_orders(
    market: &mut Market,
    player: PlayerId,
    intents: &[(PlayerId, Intent)],
    rooms: &[Option<RoomId>],
    time: u64,
) {
    for (index, (_, intent)) in intents.iter().enumerate() {
        let Intent::CreateOrder {
            order_type,
            resource,
            price_milli,
            total_amount,
            ..
        } = intent
        else {
            continue;
        };
        let Some(room) = rooms[index] else {
            continue;
        };
        let fee = fee_milli(*price_milli, u64::from(*total_amount));
        if !charge(market, player, fee) {
            continue;
        }
        let id = OrderId(market.next_order);
        market.next_order += 1;
        let reason = MoneyReason::OrderCreated {
            order: id,
            order_type: *order_type,
            resource: *resource,
            price_milli: *price_milli,
            total_amount: *total_amount,
            room,
        };
        market.log_money(player, time, -(fee as i64), reason);
        market.orders.insert(
            id,
            Order {
                id,
                owner: player,
                order_type: *order_type,
                resource: *resource,
                price_milli: *price_milli,
                total_amount: *total_amount,
                remaining_amount: *total_amount,
                amount: 0,
                active: false,
                room,
                created: time,
            },
        );
    }
}

/// Takes `fee` thousandths from `player`; false (and nothing taken) when short.
fn charge(market: &mut Market, player: PlayerId, fee: u64) -> bool {
    let credits = market.credits.entry(player).or_default();
    if *credits < fee {
        return false;
    }
    *credits -= fee;
    true
}

fn change_price(
    market: &mut Market,
    player: PlayerId,
    order: OrderId,
    new_price: u64,
    marks: &mut OrderMarks,
    time: u64,
) {
    let Some(o) = market.orders.get(&order).filter(|o| o.owner == player) else {
        return;
    };
    if new_price == 0 || !marks.existing.contains(&order) {
        return;
    }
    let (old_price, remaining) = (o.price_milli, o.remaining_amount);
    if new_price != old_price {
        marks.repriced.insert(order);
    }
    if new_price > old_price {
        let fee = fee_milli(new_price - old_price, u64::from(remaining));
        if !charge(market, player, fee) {
            return;
        }
        let reason = MoneyReason::PriceChanged {
            order,
            old_price_milli: old_price,
            new_price_milli: new_price,
        };
        market.log_money(player, time, -(fee as i64), reason);
    }
    if let Some(o) = market.orders.get_mut(&order) {
        o.price_milli = new_price;
    }
}

/// Room left in a terminal's store.
fn free_space(world: &World, terminal: ObjectId) -> u32 {
    live::store(world, terminal)
        .map_or(0, |s| s.limit.total().unwrap_or(0).saturating_sub(s.used()))
}

/// One side of a deal: a player's terminal, or an NPC trader (no terminal: it has what it
/// sells and takes what it buys, as `executeTransfer` treats a terminal without a user).
#[derive(Clone, Copy)]
enum Side {
    Terminal(ObjectId, Option<PlayerId>),
    Npc(RoomId),
}

impl Side {
    fn owner(self) -> Option<PlayerId> {
        match self {
            Side::Terminal(_, owner) => owner,
            Side::Npc(_) => None,
        }
    }

    /// A terminal with a user: what it holds and has room for count.
    fn owned_terminal(self) -> Option<ObjectId> {
        match self {
            Side::Terminal(t, Some(_)) => Some(t),
            _ => None,
        }
    }
}

fn execute_deal(world: &mut World, terminals: &TerminalsByRoom, deal: &Deal) {
    let Some(order) = world.resource::<Market>().orders.get(&deal.order).cloned() else {
        return;
    };
    let order_side = if order.owner == MARKET_NPC {
        Side::Npc(order.room)
    } else {
        match terminals.get(&order.room) {
            Some(&(t, owner)) => Side::Terminal(t, owner),
            None => return,
        }
    };
    let Some(&target) = terminals.get(&deal.room) else {
        return;
    };
    let cooling = live::entity(world, target.0)
        .and_then(|e| world.get::<Cooldown>(e))
        .is_some_and(|c| c.ticks > 0);
    if cooling {
        return;
    }
    let dealer = Side::Terminal(target.0, target.1);
    let (seller, buyer) = match order.order_type {
        OrderType::Sell => (order_side, dealer),
        OrderType::Buy => (dealer, order_side),
    };
    let mut amount = deal.amount.min(order.remaining_amount);
    if let Some(t) = seller.owned_terminal() {
        amount = amount.min(live::amount(world, t, order.resource));
    }
    if let Some(t) = buyer.owned_terminal() {
        amount = amount.min(free_space(world, t));
    }
    if amount == 0 {
        return;
    }
    let mut cost = u64::from(amount) * order.price_milli;
    if let Some(buyer_owner) = buyer.owner() {
        let money = world
            .resource::<Market>()
            .credits
            .get(&buyer_owner)
            .copied()
            .unwrap_or(0);
        cost = cost.min(money);
        amount = (cost / order.price_milli) as u32;
        cost = u64::from(amount) * order.price_milli;
        if amount == 0 {
            return;
        }
    }
    let traded = Traded {
        order: &order,
        amount,
    };
    if !execute_transfer(world, seller, buyer, target.0, &traded) {
        return;
    }
    settle_deal(world, (seller, buyer), target, deal, &traded, cost);
}

/// A deal's credits, money log, order amounts, price history and the dealer's cooldown.
fn settle_deal(
    world: &mut World,
    (seller, buyer): (Side, Side),
    (dealer_terminal, dealer): (ObjectId, Option<PlayerId>),
    deal: &Deal,
    traded: &Traded,
    cost: u64,
) {
    let (order, amount) = (traded.order, traded.amount);
    let time = world.resource::<GameTime>().0;
    let mut market = world.resource_mut::<Market>();
    let deal_reason = |sold: bool, npc: bool| MoneyReason::Deal {
        sold,
        resource: order.resource,
        room: order.room,
        target_room: deal.room,
        price_milli: order.price_milli,
        npc,
        owner: order.owner,
        dealer: dealer.unwrap_or(order.owner),
        amount,
    };
    if let Some(p) = seller.owner() {
        *market.credits.entry(p).or_default() += cost;
        let reason = deal_reason(true, buyer.owner().is_none());
        market.log_money(p, time, cost as i64, reason);
    }
    if let Some(p) = buyer.owner() {
        let credits = market.credits.entry(p).or_default();
        *credits = credits.saturating_sub(cost);
        let reason = deal_reason(false, seller.owner().is_none());
        market.log_money(p, time, -(cost as i64), reason);
    }
    if let Some(o) = market.orders.get_mut(&deal.order) {
        o.amount = o.amount.saturating_sub(amount);
        o.remaining_amount = o.remaining_amount.saturating_sub(amount);
    }
    market.record_trade(time, order.resource, order.price_milli, amount);
    if let Some(e) = live::entity(world, dealer_terminal) {
        world.entity_mut(e).insert(Cooldown {
            ticks: TERMINAL_COOLDOWN,
        });
    }
}

/// What a deal moves.
struct Traded<'a> {
    order: &'a Order,
    amount: u32,
}

/// `executeTransfer` for a deal: the dealer's terminal pays the energy. An NPC side (or a
/// terminal without a user) is not checked for what it holds or has room for, and an NPC
/// side's store does not change.
fn execute_transfer(
    world: &mut World,
    from: Side,
    to: Side,
    fee_payer: ObjectId,
    traded: &Traded,
) -> bool {
    let resource = traded.order.resource;
    if let Some(t) = from.owned_terminal() {
        if live::amount(world, t, resource) < traded.amount {
            return false;
        }
    }
    let amount = match to.owned_terminal() {
        Some(t) => traded.amount.min(free_space(world, t)),
        None => traded.amount,
    };
    let room_of = |world: &World, side: Side| match side {
        Side::Terminal(t, _) => live::pos(world, t).map(|p| p.room),
        Side::Npc(room) => Some(room),
    };
    let (Some(from_room), Some(to_room)) = (room_of(world, from), room_of(world, to)) else {
        return false;
    };
    if amount == 0 {
        return false;
    }
    let map = world.resource::<RoomMap>();
    let cost = terminal_energy_cost(
        amount,
        rooms_distance(map, map.get(from_room).coord, map.get(to_room).coord),
    );
    let payer_energy = live::amount(world, fee_payer, ResourceKind::Energy);
    let pays_from_stock = matches!(from, Side::Terminal(t, _) if t == fee_payer);
    let short = if pays_from_stock && resource == ResourceKind::Energy {
        payer_energy < amount + cost
    } else {
        payer_energy < cost
    };
    if short {
        return false;
    }
    if let Side::Terminal(t, _) = from {
        live::take(world, t, resource, amount);
    }
    if let Some(t) = to.owned_terminal() {
        live::add(world, t, resource, amount);
    }
    live::take(world, fee_payer, ResourceKind::Energy, cost);
    let transaction = Transaction {
        id: 0,
        time: world.resource::<GameTime>().0,
        sender: from.owner(),
        recipient: to.owner(),
        resource,
        amount,
        from: from_room,
        to: to_room,
        description: None,
        order: Some((
            traded.order.id,
            traded.order.order_type,
            traded.order.price_milli,
        )),
    };
    world.resource_mut::<Market>().record(transaction);
    true
}

/// The end of `market.js`: every order that existed at the tick's start is removed when
/// cancelled or expired (the rest of its fee refunded), else its `active` and `amount` are
/// recounted from its terminal and its owner's credits.
fn refresh_orders(world: &mut World, terminals: &TerminalsByRoom, marks: &OrderMarks) {
    let time = world.resource::<GameTime>().0;
    for id in &marks.existing {
        let Some(order) = world.resource::<Market>().orders.get(id).cloned() else {
            continue;
        };
        if marks.cancelled.contains(id) {
            world.resource_mut::<Market>().orders.remove(id);
            continue;
        }
        let mut market_ref = world.resource_mut::<Market>();
        if time.saturating_sub(order.created) > MARKET_ORDER_LIFE_TICKS {
            let refund = (f64::from(order.remaining_amount) * order.price_milli as f64 * MARKET_FEE)
                .floor() as u64;
            *market_ref.credits.entry(order.owner).or_default() += refund;
            if refund > 0 {
                let reason = MoneyReason::OrderExpired {
                    order: order.id,
                    order_type: order.order_type,
                    resource: order.resource,
                    price_milli: order.price_milli,
                    remaining_amount: order.remaining_amount,
                };
                market_ref.log_money(order.owner, time, refund as i64, reason);
            }
            market_ref.orders.remove(id);
            continue;
        }
        drop(market_ref);
        if order.owner == MARKET_NPC {
            // An NPC trader always has what it sells and the credits for what it buys.
            if let Some(o) = world.resource_mut::<Market>().orders.get_mut(id) {
                o.amount = o.remaining_amount;
                o.active = o.remaining_amount > 0;
            }
            continue;
        }
        let terminal = terminals
            .get(&order.room)
            .filter(|(_, owner)| *owner == Some(order.owner))
            .map(|(t, _)| *t);
        let (amount, active) = match order.order_type {
            OrderType::Sell => {
                let available = terminal
                    .map_or(0, |t| live::amount(world, t, order.resource))
                    .min(order.remaining_amount);
                match (order.active, available) {
                    (true, 0) => (0, false),
                    (false, 0) => (order.amount, false),
                    (_, n) => (n, true),
                }
            }
            OrderType::Buy => {
                let money = world
                    .resource::<Market>()
                    .credits
                    .get(&order.owner)
                    .copied()
                    .unwrap_or(0);
                let affordable = (money / order.price_milli).min(u64::from(u32::MAX)) as u32;
                let mut amount = affordable.min(order.remaining_amount);
                // Any owned terminal in the room caps it, as `terminal && terminal.user` does.
                if let Some((t, Some(_))) = terminals.get(&order.room) {
                    amount = amount.min(free_space(world, *t));
                }
                (amount, terminal.is_some() && amount > 0)
            }
        };
        if let Some(o) = world.resource_mut::<Market>().orders.get_mut(id) {
            o.amount = amount;
            o.active = active;
        }
    }
}
