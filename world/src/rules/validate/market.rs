//! `Game.market`'s trading calls in screeps/engine `game/market.js`'s order of checks:
//! `createOrder`, `cancelOrder`, `changeOrderPrice`, `extendOrder` and `deal`. What passes
//! goes to [`Accepted::market`](super::Accepted) in submission order; the processor
//! (`rules::trading`) checks again against the state it trades in, as Screeps' does.

use super::{Check, Validator};
use crate::constants::*;
use crate::geometry::RoomCoord;
use crate::intent::Intent;
use crate::market::terminal_energy_cost;
use crate::object::*;
use crate::orders::{
    Order, OrderType, MARKET_CHANGES_PER_TICK, MARKET_DEALS_PER_TICK, MARKET_FEE, MARKET_MAX_ORDERS,
};

/// What one player's market intents used up this tick.
#[derive(Default)]
pub(super) struct MarketPending {
    created: usize,
    deals: usize,
    cancels: usize,
    price_changes: usize,
    extensions: usize,
}

impl<'a> Validator<'a, '_, '_> {
    pub(super) fn check_market(&mut self, player: PlayerId, intent: &Intent) -> Check<()> {
        let keep = match intent {
            Intent::CreateOrder {
                order_type: _,
                resource: _,
                price_milli,
                total_amount,
                room,
            } => self.check_create_order(player, *price_milli, *total_amount, room)?,
            Intent::CancelOrder { order } => {
                self.own_order(player, *order)?;
                counted(&mut self.market_pending(player).cancels)
            }
            Intent::ChangeOrderPrice {
                order,
                new_price_milli,
            } => {
                let o = self.own_order(player, *order)?;
                if *new_price_milli == 0 {
                    return Err(ReturnCode::InvalidArgs);
                }
                if *new_price_milli > o.price_milli {
                    let raise = (*new_price_milli - o.price_milli) as f64;
                    self.afford(player, raise * f64::from(o.remaining_amount) * MARKET_FEE)?;
                }
                counted(&mut self.market_pending(player).price_changes)
            }
            Intent::ExtendOrder { order, add_amount } => {
                let o = self.own_order(player, *order)?;
                if *add_amount == 0 {
                    return Err(ReturnCode::InvalidArgs);
                }
                self.afford(
                    player,
                    o.price_milli as f64 * f64::from(*add_amount) * MARKET_FEE,
                )?;
                counted(&mut self.market_pending(player).extensions)
            }
            Intent::Deal {
                order,
                amount,
                room,
            } => {
                let market: &'a crate::market::Market = self.market;
                let order = market
                    .orders
                    .get(order)
                    .filter(|o| o.active)
                    .ok_or(ReturnCode::InvalidArgs)?;
                self.check_deal(player, order, *amount, room)?;
                true
            }
            _ => return Err(ReturnCode::InvalidArgs),
        };
        if keep {
            self.accepted.market.push((player, intent.clone()));
        }
        Ok(())
    }

    fn market_pending(&mut self, player: PlayerId) -> &mut MarketPending {
        self.pending.market.entry(player).or_default()
    }

    fn credits(&self, player: PlayerId) -> u64 {
        self.market.credits.get(&player).copied().unwrap_or(0)
    }

    /// `fee > this.credits`: the fee as JavaScript computes it, in thousandths.
    fn afford(&self, player: PlayerId, fee_milli: f64) -> Check<()> {
        if fee_milli > self.credits(player) as f64 {
            return Err(ReturnCode::NotEnoughResources);
        }
        Ok(())
    }

    /// `this.orders[orderId]`: one of the player's orders.
    fn own_order(&self, player: PlayerId, order: crate::orders::OrderId) -> Check<&'a Order> {
        let market: &'a crate::market::Market = self.market;
        market
            .orders
            .get(&order)
            .filter(|o| o.owner == player)
            .ok_or(ReturnCode::InvalidArgs)
    }

    /// The player's terminal in the room named `room` (`_.find(userObjects, {type:
    /// 'terminal', room})`).
    fn own_terminal_in(&self, player: PlayerId, room: &str) -> Option<super::Object<'a>> {
        let room = self.map.by_name(room)?;
        let entity = *self.census.terminals.get(&room)?;
        self.objects
            .get(entity)
            .ok()
            .filter(|t| t.owner() == Some(player))
    }

    fn check_create_order(
        &mut self,
        player: PlayerId,
        price_milli: u64,
        total_amount: u32,
        room: &str,
    ) -> Check<bool> {
        if price_milli == 0 || total_amount == 0 {
            return Err(ReturnCode::InvalidArgs);
        }
        self.afford(
            player,
            price_milli as f64 * f64::from(total_amount) * MARKET_FEE,
        )?;
        if self.own_terminal_in(player, room).is_none() {
            return Err(ReturnCode::NotOwner);
        }
        let held = self
            .market
            .orders
            .values()
            .filter(|o| o.owner == player)
            .count();
        let pending = self.market_pending(player);
        if held + pending.created >= MARKET_MAX_ORDERS {
            return Err(ReturnCode::Full);
        }
        pending.created += 1;
        Ok(true)
    }

    fn check_deal(
        &mut self,
        player: PlayerId,
        order: &Order,
        amount: u32,
        room: &str,
    ) -> Check<()> {
        if amount == 0 || room.is_empty() {
            return Err(ReturnCode::InvalidArgs);
        }
        let order_room = self.map.get(order.room).coord;
        let cost = RoomCoord::parse(room).map_or(0, |here| {
            terminal_energy_cost(amount, super::rooms_distance(self.map, here, order_room))
        });
        let terminal = self
            .own_terminal_in(player, room)
            .ok_or(ReturnCode::NotOwner)?;
        if terminal.energy() < cost {
            return Err(ReturnCode::NotEnoughResources);
        }
        if terminal.cooldown.is_some_and(|c| c.ticks > 0) {
            return Err(ReturnCode::Tired);
        }
        if order.order_type == OrderType::Buy {
            let short = if order.resource == ResourceKind::Energy {
                terminal.energy() < amount + cost
            } else {
                terminal.amount(order.resource) < amount
            };
            if short {
                return Err(ReturnCode::NotEnoughResources);
            }
        }
        if order.order_type == OrderType::Sell
            && (self.credits(player) as f64) < f64::from(amount) * order.price_milli as f64
        {
            return Err(ReturnCode::NotEnoughResources);
        }
        let pending = self.market_pending(player);
        if pending.deals >= MARKET_DEALS_PER_TICK {
            return Err(ReturnCode::Full);
        }
        pending.deals += 1;
        Ok(())
    }
}

/// `intents.pushByName(…, 50)`: past the limit the call still answers OK, and the intent is
/// dropped. Returns whether this one is kept.
fn counted(count: &mut usize) -> bool {
    *count += 1;
    *count <= MARKET_CHANGES_PER_TICK
}
