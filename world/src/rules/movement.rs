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
use rustc_hash::{FxHashMap, FxHashSet};

use super::validate::Accepted;
use crate::chemistry::{boost_factor, BoostAction};
use crate::constants::*;
use crate::geometry::{Direction, Position, RoomId, ROOM_SIZE};
use crate::object::*;
use crate::room_map::RoomMap;
use crate::state::{GameTime, ObjectIndex};
use crate::terrain::Tile;

/// splitmix64: the per-tick priority of a creep in move conflicts.
pub(crate) fn move_priority(tick: u64, id: ObjectId) -> u64 {
    let mut z = tick.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ id.0;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Fatigue a move generates: each non-MOVE part (empty CARRY parts excepted) weighs 1;
/// plain ×2, swamp ×10, road ×1.
pub(crate) fn move_fatigue(creep: &Creep, carried: u32, tile: Tile, road: bool) -> u32 {
    // movement.js `calcResourcesWeight`: CARRY parts with hits, from the last, each holding
    // 50 (times its capacity boost) of what is carried, weigh one each.
    let mut left = carried;
    let mut loaded_carry = 0;
    for p in creep.body.iter().rev() {
        if left == 0 {
            break;
        }
        if p.kind != BodyPartKind::Carry || p.hits == 0 {
            continue;
        }
        let factor = p
            .boost
            .and_then(|b| boost_factor(BodyPartKind::Carry, b, BoostAction::Capacity));
        left -= left.min(CARRY_CAPACITY * factor.unwrap_or(1000) / 1000);
        loaded_carry += 1;
    }
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

/// Where creeps and obstacles stand at the start of movement.
/// Only looked up, never iterated (so hashed maps, whose order cannot reach the state), and
/// only for the rooms some creep moves in or into.
#[derive(Default)]
struct Occupancy {
    creep_at: FxHashMap<Position, ObjectId>,
    /// Obstacle structures, sources and minerals.
    blocked: FxHashSet<Position>,
    /// Roads by tile.
    roads: FxHashMap<Position, ObjectId>,
    /// Ramparts that are not public, with their owners: an obstacle to everyone else's creeps
    /// (movement.js `checkObstacleAtXY`).
    private_ramparts: FxHashMap<Position, Option<PlayerId>>,
}

impl Occupancy {
    /// Whether a creep of `mover` cannot enter `pos` for what stands there.
    fn blocks(&self, pos: Position, mover: Option<PlayerId>) -> bool {
        self.blocked.contains(&pos)
            || self
                .private_ramparts
                .get(&pos)
                .is_some_and(|owner| *owner != mover)
    }
}

/// The creeps that may move and where each wants to go.
type Movers = BTreeMap<ObjectId, Position>;

type MovingCreeps<'w, 's> = Query<
    'w,
    's,
    (
        &'static ObjectId,
        &'static mut Position,
        &'static mut ObjectKind,
        Option<&'static Store>,
        Option<&'static Owner>,
    ),
>;

/// Resolves the tick's accepted moves (see the module docs for the conflict rule).
pub(crate) fn move_creeps(
    mut accepted: ResMut<Accepted>,
    time: Res<GameTime>,
    map: Res<RoomMap>,
    index: Res<ObjectIndex>,
    mut creeps: MovingCreeps,
    mut roads: Query<&mut Decay>,
    mut log: ResMut<crate::events::EventLog>,
) {
    let mut moves = std::mem::take(&mut accepted.moves);
    let moves_to = std::mem::take(&mut accepted.moves_to);
    let pulled_by = pull_chains(&std::mem::take(&mut accepted.pulls), &index, &creeps);
    accepted.pulled_by = pulled_by.clone();
    let pos_of = |id: &ObjectId| {
        index
            .by_id
            .get(id)
            .and_then(|e| creeps.get(*e).ok())
            .map(|(_, p, ..)| *p)
    };
    // move.js: `move(creep)` steps onto the creep's tile if it is still next to it.
    for (creep, target) in &moves_to {
        if let (Some(from), Some(to)) = (pos_of(creep), pos_of(target)) {
            if let Some(dir) = Direction::ALL.iter().find(|d| from.step(**d) == Some(to)) {
                moves.insert(*creep, *dir);
            }
        }
    }
    if moves.is_empty() {
        return;
    }
    // The movers' rooms and their neighbours (a step onto an exit lands across the border).
    let mut rooms = FxHashSet::default();
    for creep in moves.keys() {
        if let Some(at) = pos_of(creep) {
            rooms.insert(at.room);
            rooms.extend(map.get(at.room).neighbors.iter().flatten());
        }
    }
    let occupancy = occupancy(&creeps, &rooms);
    let mut target_of = Movers::new();
    for (creep, dir) in &moves {
        let Some(Ok((_, pos, ObjectKind::Creep(c), _, owner))) =
            index.by_id.get(creep).map(|e| creeps.get(*e))
        else {
            continue;
        };
        // movement.js `canMove`: a pulled creep moves whatever its fatigue and parts.
        let can_move =
            pulled_by.contains_key(creep) || (c.fatigue == 0 && c.active(BodyPartKind::Move) > 0);
        if c.spawning || !can_move {
            continue;
        }
        let Some(to) = pos.step(*dir) else { continue };
        if map.tile(to) == Tile::Wall || occupancy.blocks(to, owner.map(|o| o.0)) {
            continue;
        }
        target_of.insert(*creep, to);
    }
    let winners = winners(time.0, &target_of, &occupancy);
    let mut wear: BTreeMap<ObjectId, u32> = BTreeMap::new();
    // _add-fatigue.js: a pulled creep's fatigue goes to the creep at the head of its chain.
    let mut fatigue: BTreeMap<ObjectId, u32> = BTreeMap::new();
    let arrived: BTreeSet<Position> = winners.iter().map(|w| target_of[w]).collect();
    for w in &winners {
        let to = target_of[w];
        let Some(Ok((_, mut pos, mut kind, store, owner))) =
            index.by_id.get(w).map(|e| creeps.get_mut(*e))
        else {
            continue;
        };
        let mover = owner.map(|o| o.0);
        let energy = store.map_or(0, |s| s.used());
        let mut dest = to;
        if to.is_edge() {
            if let Some(across) = crossing(&map, to) {
                let free = !occupancy.blocks(across, mover)
                    && !arrived.contains(&across)
                    && occupancy
                        .creep_at
                        .get(&across)
                        .is_none_or(|o| winners.contains(o) && target_of[o] != across);
                if free {
                    dest = across;
                    let kind = crate::events::EventKind::Exit {
                        room: map.get(across.room).name.clone(),
                        x: across.x,
                        y: across.y,
                    };
                    log.push(to.room, *w, kind);
                }
            }
        }
        *pos = dest;
        if let ObjectKind::Creep(c) = kind.as_mut() {
            let road = occupancy.roads.get(&to);
            let added = move_fatigue(c, energy, map.tile(to), road.is_some());
            *fatigue.entry(chain_head(&pulled_by, *w)).or_default() += added;
            // movement.js: a road wears by ROAD_WEAROUT per body part that steps on it,
            // bringing its next decay closer.
            if let Some(road) = road {
                *wear.entry(*road).or_default() += ROAD_WEAROUT * c.body.len() as u32;
            }
        }
    }
    for (creep, added) in fatigue {
        if let Some(Ok((_, _, mut kind, ..))) = index.by_id.get(&creep).map(|e| creeps.get_mut(*e))
        {
            if let ObjectKind::Creep(c) = kind.as_mut() {
                c.fatigue += added;
            }
        }
    }
    for (road, amount) in wear {
        if let Some(Ok(mut decay)) = index.by_id.get(&road).map(|e| roads.get_mut(*e)) {
            decay.ticks = decay.ticks.saturating_sub(amount).max(1);
        }
    }
}

/// `movement.addPulling`: pulled creep → its puller, where both are adjacent creeps not
/// spawning and the pull would not close a loop (pulls applied in puller id order).
fn pull_chains(
    pulls: &BTreeMap<ObjectId, ObjectId>,
    index: &ObjectIndex,
    creeps: &MovingCreeps,
) -> BTreeMap<ObjectId, ObjectId> {
    let pos_of = |id: &ObjectId| match index.by_id.get(id).map(|e| creeps.get(*e)) {
        Some(Ok((_, p, ObjectKind::Creep(c), ..))) if !c.spawning => Some(*p),
        _ => None,
    };
    let mut pulled_by: BTreeMap<ObjectId, ObjectId> = BTreeMap::new();
    let mut pulls_of: BTreeMap<ObjectId, ObjectId> = BTreeMap::new();
    for (puller, pulled) in pulls {
        let near = match (pos_of(puller), pos_of(pulled)) {
            (Some(a), Some(b)) => a.is_near_to(b),
            _ => false,
        };
        // checkRecursiveTarget: following the pulled creep's own pulls must not reach the
        // puller.
        let mut at = Some(*pulled);
        let mut loops = false;
        while let Some(t) = at {
            if t == *puller {
                loops = true;
                break;
            }
            at = pulls_of.get(&t).copied();
        }
        if near && !loops {
            if let Some(old) = pulls_of.insert(*puller, *pulled) {
                pulled_by.remove(&old);
            }
            pulled_by.insert(*pulled, *puller);
        }
    }
    pulled_by
}

/// The creep at the head of `creep`'s pull chain (itself when nobody pulls it).
pub(crate) fn chain_head(pulled_by: &BTreeMap<ObjectId, ObjectId>, creep: ObjectId) -> ObjectId {
    let mut at = creep;
    // A chain has no loops (pull_chains); the bound only guards against a bad map.
    for _ in 0..pulled_by.len() {
        match pulled_by.get(&at) {
            Some(p) => at = *p,
            None => break,
        }
    }
    at
}

fn occupancy(creeps: &MovingCreeps, rooms: &FxHashSet<RoomId>) -> Occupancy {
    let mut occupancy = Occupancy::default();
    for (id, pos, kind, _, owner) in creeps.iter() {
        if !rooms.contains(&pos.room) {
            continue;
        }
        match kind {
            ObjectKind::Creep(c) if !c.spawning => {
                occupancy.creep_at.insert(*pos, *id);
            }
            ObjectKind::Structure(StructureKind::Road) => {
                occupancy.roads.insert(*pos, *id);
            }
            ObjectKind::Rampart(r) if !r.is_public => {
                occupancy.private_ramparts.insert(*pos, owner.map(|o| o.0));
            }
            k if k.is_obstacle() && !matches!(k, ObjectKind::Creep(_)) => {
                occupancy.blocked.insert(*pos);
            }
            _ => {}
        }
    }
    occupancy
}

/// One winner per tile, then winners whose tile stays occupied drop out until nothing
/// changes; chains, swaps and cycles survive together.
fn winners(tick: u64, target_of: &Movers, occupancy: &Occupancy) -> BTreeSet<ObjectId> {
    let mut claimants: BTreeMap<Position, Vec<ObjectId>> = BTreeMap::new();
    for (creep, to) in target_of {
        claimants.entry(*to).or_default().push(*creep);
    }
    let mut winners: BTreeSet<ObjectId> = BTreeSet::new();
    for list in claimants.values() {
        if let Some(w) = list.iter().min_by_key(|c| (move_priority(tick, **c), **c)) {
            winners.insert(*w);
        }
    }
    loop {
        let dropped: Vec<ObjectId> = winners
            .iter()
            .filter(|w| {
                occupancy
                    .creep_at
                    .get(&target_of[w])
                    .is_some_and(|occupant| occupant != *w && !winners.contains(occupant))
            })
            .copied()
            .collect();
        if dropped.is_empty() {
            return winners;
        }
        for d in dropped {
            winners.remove(&d);
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
