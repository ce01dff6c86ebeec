//! Movement.
//!
//! Conflict rule (deterministic, documented in the crate docs):
//! 1. Every accepted move names a target tile; a move into terrain walls, obstacle structures
//!    or off the map fails.
//! 2. When several creeps want one tile, the winner is the creep with the smallest
//!    `mix(tick, creep id)` — a fixed, fair pseudo-random order that rotates every tick.
//! 3. A winner moves if its target tile is empty, or its occupant moves away successfully;
//!    chains, swaps and longer cycles all move together. Losers stay.
//! 4. A creep that ends its move on a room border with a room behind it crosses to the mirrored
//!    tile of that room, unless an obstacle stands there.

use std::collections::{BTreeMap, BTreeSet};

use bevy_ecs::prelude::*;

use super::live;
use super::validate::Accepted;
use crate::constants::*;
use crate::geometry::{Position, ROOM_SIZE};
use crate::object::*;
use crate::terrain::Tile;
use crate::world_state::{GameTime, RoomMap};

/// splitmix64: the per-tick priority of a creep in move conflicts.
pub(crate) fn move_priority(tick: u64, id: ObjectId) -> u64 {
    let mut z = tick.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ id.0;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Fatigue a move generates: each non-MOVE part (empty CARRY parts excepted) weighs 1;
/// plain ×2, swamp ×10, road ×1.
pub(crate) fn move_fatigue(creep: &Creep, energy: u32, tile: Tile, road: bool) -> u32 {
    let carry_parts = creep
        .body
        .iter()
        .filter(|p| p.kind == BodyPartKind::Carry)
        .count() as u32;
    let loaded_carry = energy.div_ceil(CARRY_CAPACITY).min(carry_parts);
    let other = creep
        .body
        .iter()
        .filter(|p| !matches!(p.kind, BodyPartKind::Move | BodyPartKind::Carry))
        .count() as u32;
    let weight = other + loaded_carry;
    let factor = if road {
        1
    } else {
        match tile {
            Tile::Swamp => 10,
            _ => 2,
        }
    };
    weight * factor
}

pub(crate) fn move_creeps(world: &mut World) {
    let moves = std::mem::take(&mut world.resource_mut::<Accepted>().moves);
    if moves.is_empty() {
        return;
    }
    let tick = world.resource::<GameTime>().0;
    let map = world.resource::<RoomMap>().clone();
    // Occupancy: obstacles (creeps and obstacle structures) and roads by tile.
    let mut creep_at: BTreeMap<Position, ObjectId> = BTreeMap::new();
    let mut blocked: BTreeSet<Position> = BTreeSet::new();
    let mut roads: BTreeSet<Position> = BTreeSet::new();
    {
        let mut q = world.query::<(&ObjectId, &Position, &ObjectKind)>();
        for (id, pos, kind) in q.iter(world) {
            match kind {
                ObjectKind::Creep(c) if !c.spawning => {
                    creep_at.insert(*pos, *id);
                }
                ObjectKind::Structure(StructureKind::Road) => {
                    roads.insert(*pos);
                }
                k if k.is_obstacle() && !matches!(k, ObjectKind::Creep(_)) => {
                    blocked.insert(*pos);
                }
                _ => {}
            }
        }
    }
    // 1. Targets.
    let mut target_of: BTreeMap<ObjectId, Position> = BTreeMap::new();
    let mut from_of: BTreeMap<ObjectId, Position> = BTreeMap::new();
    for (creep, dir) in &moves {
        let (Some(pos), Some(c)) = (live::pos(world, *creep), live::creep(world, *creep)) else {
            continue;
        };
        if c.spawning || c.fatigue > 0 {
            continue;
        }
        let Some(to) = pos.step(*dir) else { continue };
        if map.tile(to) == Tile::Wall || blocked.contains(&to) {
            continue;
        }
        target_of.insert(*creep, to);
        from_of.insert(*creep, pos);
    }
    // 2. One winner per tile.
    let mut claimants: BTreeMap<Position, Vec<ObjectId>> = BTreeMap::new();
    for (creep, to) in &target_of {
        claimants.entry(*to).or_default().push(*creep);
    }
    let mut winners: BTreeSet<ObjectId> = BTreeSet::new();
    for list in claimants.values() {
        if let Some(w) = list.iter().min_by_key(|c| (move_priority(tick, **c), **c)) {
            winners.insert(*w);
        }
    }
    // 3. Drop winners whose tile stays occupied, until nothing changes; cycles survive.
    loop {
        let mut dropped = Vec::new();
        for w in &winners {
            let to = target_of[w];
            if let Some(occupant) = creep_at.get(&to) {
                if occupant != w && !winners.contains(occupant) {
                    dropped.push(*w);
                }
            }
        }
        if dropped.is_empty() {
            break;
        }
        for d in dropped {
            winners.remove(&d);
        }
    }
    // 4. Apply, with fatigue and border crossing.
    let mut arrived: BTreeMap<Position, ObjectId> = BTreeMap::new();
    for w in &winners {
        arrived.insert(target_of[w], *w);
    }
    for w in &winners {
        let to = target_of[w];
        let Some(e) = live::entity(world, *w) else {
            continue;
        };
        let energy = world.get::<Store>(e).map_or(0, |s| s.energy);
        let fatigue = match world.get::<ObjectKind>(e) {
            Some(ObjectKind::Creep(c)) => {
                move_fatigue(c, energy, map.tile(to), roads.contains(&to))
            }
            _ => 0,
        };
        let mut dest = to;
        if to.is_edge() {
            if let Some(across) = crossing(&map, to) {
                let free = !blocked.contains(&across)
                    && !arrived.contains_key(&across)
                    && creep_at
                        .get(&across)
                        .is_none_or(|o| winners.contains(o) && target_of[o] != across);
                if free {
                    dest = across;
                }
            }
        }
        if let Some(mut p) = world.get_mut::<Position>(e) {
            *p = dest;
        }
        if let Some(mut k) = world.get_mut::<ObjectKind>(e) {
            if let ObjectKind::Creep(c) = k.as_mut() {
                c.fatigue += fatigue;
            }
        }
    }
}

/// The tile on the other side of a border tile, if a room is there.
fn crossing(map: &RoomMap, pos: Position) -> Option<Position> {
    let info = map.get(pos.room);
    let last = ROOM_SIZE - 1;
    let (side, x, y) = if pos.y == 0 {
        (0, pos.x, last)
    } else if pos.x == last {
        (1, 0, pos.y)
    } else if pos.y == last {
        (2, pos.x, 0)
    } else if pos.x == 0 {
        (3, last, pos.y)
    } else {
        return None;
    };
    let room = info.neighbors[side]?;
    let p = Position::new(room, x, y);
    (map.tile(p) != Tile::Wall).then_some(p)
}
