//! Terminal transfers (screeps/engine `processor/global-intents/market.js`: the `send`s, after
//! every room's intents): terminal by terminal in id order, each to the owned terminal of its
//! destination room, what fits there, for the energy `calcTerminalEnergyCost` asks, then ten
//! ticks of cooldown. A send that moves nothing costs nothing and leaves no cooldown.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use super::live;
use super::validate::{rooms_distance, TerminalSend};
use crate::constants::*;
use crate::geometry::{Position, RoomId};
use crate::market::{terminal_energy_cost, Market, Transaction};
use crate::object::*;
use crate::room_map::RoomMap;
use crate::state::GameTime;

pub(super) fn apply_terminal_sends(world: &mut World, sends: &BTreeMap<ObjectId, TerminalSend>) {
    if sends.is_empty() {
        return;
    }
    let mut q = world.query::<(&ObjectId, &Position, &ObjectKind, Option<&Owner>)>();
    // `_.indexBy(terminals, 'room')`: the room's terminal (there is one at most).
    let by_room: BTreeMap<RoomId, (ObjectId, Option<PlayerId>)> = q
        .iter(world)
        .filter(|(_, _, k, _)| matches!(k, ObjectKind::Structure(StructureKind::Terminal)))
        .map(|(id, p, _, o)| (p.room, (*id, o.map(|o| o.0))))
        .collect();
    for (terminal, send) in sends {
        let cooling = live::entity(world, *terminal)
            .and_then(|e| world.get::<Cooldown>(e))
            .is_some_and(|c| c.ticks > 0);
        let to = world.resource::<RoomMap>().by_name(&send.destination);
        let target = to
            .and_then(|r| by_room.get(&r))
            .filter(|(_, owner)| owner.is_some());
        if let (false, Some((target, _))) = (cooling, target) {
            if transfer(world, *terminal, *target, send) {
                if let Some(e) = live::entity(world, *terminal) {
                    // `cooldownTime = gameTime + 10`: 9 show next tick (upkeep counts one off).
                    world.entity_mut(e).insert(Cooldown {
                        ticks: TERMINAL_COOLDOWN,
                    });
                }
            }
        }
    }
}

/// `executeTransfer` with the sender paying the fee.
fn transfer(world: &mut World, from: ObjectId, to: ObjectId, send: &TerminalSend) -> bool {
    let (Some(fp), Some(tp)) = (live::pos(world, from), live::pos(world, to)) else {
        return false;
    };
    if live::amount(world, from, send.resource) < send.amount {
        return false;
    }
    let free =
        live::store(world, to).map_or(0, |s| s.limit.total().unwrap_or(0).saturating_sub(s.used()));
    let amount = send.amount.min(free);
    if amount == 0 {
        return false;
    }
    let map = world.resource::<RoomMap>();
    let range = rooms_distance(map, map.get(fp.room).coord, map.get(tp.room).coord);
    let cost = terminal_energy_cost(amount, range);
    let energy = live::amount(world, from, ResourceKind::Energy);
    let needed = if send.resource == ResourceKind::Energy {
        amount + cost
    } else {
        cost
    };
    if energy < needed {
        return false;
    }
    live::move_resource(world, from, to, send.resource, amount);
    live::take(world, from, ResourceKind::Energy, cost);
    let transaction = Transaction {
        id: 0,
        time: world.resource::<GameTime>().0,
        sender: live::owner(world, from),
        recipient: live::owner(world, to),
        resource: send.resource,
        amount,
        from: fp.room,
        to: tp.room,
        // market.js escapes '<' for the web client.
        description: send.description.as_ref().map(|d| d.replace('<', "&lt;")),
        order: None,
    };
    world.resource_mut::<Market>().record(transaction);
    true
}
