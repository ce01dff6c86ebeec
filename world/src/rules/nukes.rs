//! Nukes (screeps/engine `processor/intents/nukers/launch-nuke.js`, `nukes/tick.js`): a full
//! nuker launches, empties and cools down; the nuke lands `NUKE_LAND_TIME` ticks later,
//! killing every creep in the room, clearing construction sites, dropped resources,
//! tombstones and ruins and stopping spawning, hitting what stands within 2 tiles (a rampart
//! takes the blow first), ending safe mode and blocking upgrades for 200 ticks.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use super::live;
use crate::constants::*;
use crate::geometry::Position;
use crate::object::*;
use crate::room_map::RoomMap;
use crate::state::{despawn_object, spawn_object};

pub(super) fn launch_nukes(world: &mut World, launches: &BTreeMap<ObjectId, Position>) {
    for (nuker, target) in launches {
        let Some(from) = live::pos(world, *nuker) else {
            continue;
        };
        let cooling = live::entity(world, *nuker)
            .and_then(|e| world.get::<Cooldown>(e))
            .is_some_and(|c| c.ticks > 0);
        let full = live::amount(world, *nuker, ResourceKind::Energy) >= NUKER_ENERGY_CAPACITY
            && live::amount(world, *nuker, ResourceKind::Ghodium) >= NUKER_GHODIUM_CAPACITY;
        if cooling || !full {
            continue;
        }
        if let Some(mut s) = live::store_mut(world, *nuker) {
            s.drain();
        }
        if let Some(e) = live::entity(world, *nuker) {
            world.entity_mut(e).insert(Cooldown {
                ticks: NUKER_COOLDOWN,
            });
        }
        let launch_room = world.resource::<RoomMap>().get(from.room).name.clone();
        let nuke = Nuke {
            launch_room,
            time_to_land: NUKE_LAND_TIME,
        };
        spawn_object(
            world,
            *target,
            None,
            None,
            None,
            None,
            ObjectKind::Nuke(nuke),
        );
    }
}

/// Counts every nuke down (`timeToLand`); one reaching 0 lands this tick and is gone.
pub(super) fn land_nukes(world: &mut World) {
    let mut q = world.query::<(&ObjectId, &Position, &mut ObjectKind)>();
    let mut landing = Vec::new();
    for (id, pos, mut kind) in q.iter_mut(world) {
        // Read first: writing marks the object changed (see `hash_cache.rs`).
        if !matches!(&*kind, ObjectKind::Nuke(_)) {
            continue;
        }
        if let ObjectKind::Nuke(n) = kind.as_mut() {
            n.time_to_land = n.time_to_land.saturating_sub(1);
            if n.time_to_land == 0 {
                landing.push((*id, *pos));
            }
        }
    }
    landing.sort();
    for (id, at) in landing {
        despawn_object(world, id);
        impact(world, at);
    }
}

fn impact(world: &mut World, at: Position) {
    let mut q = world.query::<(&ObjectId, &Position, &ObjectKind)>();
    let here: Vec<(ObjectId, Position, ObjectKind)> = q
        .iter(world)
        .filter(|(_, p, _)| p.room == at.room)
        .map(|(id, p, k)| (*id, *p, k.clone()))
        .collect();
    for (id, _, kind) in &here {
        match kind {
            // _die.js runs in cleanup: a creep at 0 hits leaves its tombstone there.
            ObjectKind::Creep(_) => live::set_hits(world, *id, 0),
            ObjectKind::ConstructionSite(_)
            | ObjectKind::Resource
            | ObjectKind::Tombstone(_)
            | ObjectKind::Ruin(_) => despawn_object(world, *id),
            ObjectKind::Spawn(s) if s.spawning.is_some() => {
                if let Some(mut k) = live::kind_mut(world, *id) {
                    if let ObjectKind::Spawn(s) = k.as_mut() {
                        if let Some(sp) = s.spawning.take() {
                            despawn_object(world, sp.creep);
                        }
                    }
                }
            }
            ObjectKind::Controller(_) => {
                if let Some(mut k) = live::kind_mut(world, *id) {
                    if let ObjectKind::Controller(c) = k.as_mut() {
                        if c.safe_mode > 0 {
                            c.safe_mode = 0;
                            c.safe_mode_cooldown = 0;
                        }
                        if c.level > 0 && c.upgrade_blocked == 0 {
                            c.upgrade_blocked = CONTROLLER_NUKE_BLOCKED_UPGRADE;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    blast(world, at, &here);
}

/// 10 M on the landing tile, 5 M within 2; a rampart on a tile absorbs what its hits can.
fn blast(world: &mut World, at: Position, here: &[(ObjectId, Position, ObjectKind)]) {
    for (dx, dy) in (-2i32..=2).flat_map(|dx| (-2i32..=2).map(move |dy| (dx, dy))) {
        let (x, y) = (i32::from(at.x) + dx, i32::from(at.y) + dy);
        if !(0..50).contains(&x) || !(0..50).contains(&y) {
            continue;
        }
        let tile = Position::new(at.room, x as u8, y as u8);
        let mut damage = if dx == 0 && dy == 0 {
            NUKE_DAMAGE_CENTER
        } else {
            NUKE_DAMAGE_AREA
        };
        let on_tile: Vec<&(ObjectId, Position, ObjectKind)> =
            here.iter().filter(|(_, p, _)| *p == tile).collect();
        if let Some((rampart, ..)) = on_tile
            .iter()
            .find(|(_, _, k)| matches!(k, ObjectKind::Rampart(_)))
        {
            let hits = live::hits(world, *rampart).map_or(0, |h| h.hits);
            live::set_hits(world, *rampart, hits.saturating_sub(damage));
            damage = damage.saturating_sub(hits);
        }
        if damage == 0 {
            continue;
        }
        for (id, _, kind) in on_tile {
            let hit = kind
                .structure()
                .is_some_and(|s| s != StructureKind::Rampart);
            if hit {
                if let Some(h) = live::hits(world, *id) {
                    live::set_hits(world, *id, h.hits.saturating_sub(damage));
                }
            }
        }
    }
}
