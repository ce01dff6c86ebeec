//! End-of-tick upkeep and cleanup.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use super::economy::Piles;
use super::live;
use super::validate::Accepted;
use super::TickReport;
use crate::constants::*;
use crate::geometry::{Direction, Position, RoomId};
use crate::object::*;
use crate::terrain::Tile;
use crate::world_state::{despawn_object, spawn_object, GameTime, ObjectIndex, RoomMap};

/// Spawning progress, ageing, fatigue recovery, `say`, source regeneration, spawn energy
/// regeneration, decay of piles, tombstones, roads and containers, and controller downgrade.
/// Every object is visited in id order.
pub(crate) fn run_upkeep(world: &mut World) {
    let says = std::mem::take(&mut world.resource_mut::<Accepted>().says);
    for (creep, saying) in says {
        if let Some(mut k) = live::kind_mut(world, creep) {
            if let ObjectKind::Creep(c) = k.as_mut() {
                c.saying = Some(saying);
            }
        }
    }
    let map = world.resource::<RoomMap>().clone();
    let ids: Vec<ObjectId> = world
        .resource::<ObjectIndex>()
        .by_id
        .keys()
        .copied()
        .collect();
    // Room energy (spawns + extensions) at the start of upkeep, for spawn regeneration.
    let mut room_energy: BTreeMap<(RoomId, PlayerId), u32> = BTreeMap::new();
    let mut occupied: std::collections::BTreeSet<Position> = std::collections::BTreeSet::new();
    {
        let mut q = world.query::<(&Position, &ObjectKind, Option<&Owner>, Option<&Store>)>();
        for (pos, kind, owner, store) in q.iter(world) {
            if let (
                ObjectKind::Spawn(_) | ObjectKind::Structure(StructureKind::Extension),
                Some(o),
                Some(s),
            ) = (kind, owner, store)
            {
                *room_energy.entry((pos.room, o.0)).or_default() += s.energy;
            }
            let creep_inside = matches!(kind, ObjectKind::Creep(c) if c.spawning);
            if kind.is_obstacle() && !creep_inside {
                occupied.insert(*pos);
            }
        }
    }
    let mut piles = Piles::build(world);
    let mut owned_rooms: BTreeMap<RoomId, PlayerId> = BTreeMap::new();
    for id in &ids {
        if let (Some(ObjectKind::Controller(c)), Some(p), Some(pos)) = (
            live::kind(world, *id),
            live::owner(world, *id),
            live::pos(world, *id),
        ) {
            if c.level > 0 {
                owned_rooms.insert(pos.room, p);
            }
        }
    }
    // Creeps that finish spawning step out after the loop, so they are not aged this tick
    // whatever their id is relative to their spawn's.
    let mut finished: Vec<(ObjectId, ObjectId, Position)> = Vec::new();
    for id in ids {
        let Some(e) = live::entity(world, id) else {
            continue;
        };
        let pos = *world
            .get::<Position>(e)
            .expect("every object has a position");
        let owner = world.get::<Owner>(e).map(|o| o.0);
        let mut drop_at: Option<(Position, u32)> = None;
        let mut remove = false;
        let mut finished_spawn: Option<ObjectId> = None;
        let mut regen_spawn = false;
        {
            let mut kind = world
                .get_mut::<ObjectKind>(e)
                .expect("every object has a kind");
            match kind.as_mut() {
                ObjectKind::Creep(c) if !c.spawning => {
                    c.ticks_to_live = c.ticks_to_live.saturating_sub(1);
                    let recovery = 2 * c.active(BodyPartKind::Move);
                    c.fatigue = c.fatigue.saturating_sub(recovery);
                }
                ObjectKind::Spawn(s) => {
                    if let Some(sp) = s.spawning.as_mut() {
                        sp.remaining_time = sp.remaining_time.saturating_sub(1);
                        if sp.remaining_time == 0 {
                            finished_spawn = Some(sp.creep);
                        }
                    }
                    regen_spawn = true;
                }
                ObjectKind::Source(s) => {
                    if let Some(t) = s.ticks_to_regeneration {
                        if t <= 1 {
                            s.energy = s.capacity;
                            s.ticks_to_regeneration = None;
                        } else {
                            s.ticks_to_regeneration = Some(t - 1);
                        }
                    }
                }
                ObjectKind::Tombstone(t) => {
                    t.ticks_to_decay = t.ticks_to_decay.saturating_sub(1);
                    if t.ticks_to_decay == 0 {
                        remove = true;
                    }
                }
                ObjectKind::Controller(c) if c.level > 0 => {
                    c.ticks_to_downgrade = c.ticks_to_downgrade.saturating_sub(1);
                    if c.ticks_to_downgrade == 0 {
                        c.level -= 1;
                        c.progress = 0;
                        c.ticks_to_downgrade = CONTROLLER_DOWNGRADE[c.level as usize];
                    }
                }
                _ => {}
            }
        }
        match live::kind(world, id) {
            Some(ObjectKind::Resource) => {
                let amount = live::store(world, id).map_or(0, |s| s.energy);
                let next = amount - amount.div_ceil(ENERGY_DECAY);
                live::set_energy(world, id, next);
                remove = next == 0;
            }
            Some(ObjectKind::Tombstone(_)) if remove => {
                drop_at = Some((pos, live::store(world, id).map_or(0, |s| s.energy)));
            }
            Some(ObjectKind::Controller(c)) if c.level == 0 && owner.is_some() => {
                world.entity_mut(e).remove::<Owner>();
            }
            _ => {}
        }
        if regen_spawn {
            if let Some(p) = owner {
                let total = room_energy.get(&(pos.room, p)).copied().unwrap_or(0);
                if total < SPAWN_ENERGY_CAPACITY {
                    if let Some(mut s) = world.get_mut::<Store>(e) {
                        if s.energy < s.capacity {
                            s.energy += 1;
                        }
                    }
                }
            }
        }
        if let Some(mut d) = world.get_mut::<Decay>(e) {
            d.ticks = d.ticks.saturating_sub(1);
            if d.ticks == 0 {
                let kind = live::kind(world, id).and_then(|k| k.structure());
                let tile = map.tile(pos);
                let (amount, period) = match kind {
                    Some(StructureKind::Road) => {
                        let ratio = match tile {
                            Tile::Swamp => CONSTRUCTION_COST_ROAD_SWAMP_RATIO,
                            Tile::Wall => CONSTRUCTION_COST_ROAD_WALL_RATIO,
                            Tile::Plain => 1,
                        };
                        (ROAD_DECAY_AMOUNT * ratio, ROAD_DECAY_TIME)
                    }
                    _ => {
                        let owned = owned_rooms.contains_key(&pos.room);
                        (
                            CONTAINER_DECAY,
                            if owned {
                                CONTAINER_DECAY_TIME_OWNED
                            } else {
                                CONTAINER_DECAY_TIME
                            },
                        )
                    }
                };
                if let Some(mut d) = world.get_mut::<Decay>(e) {
                    d.ticks = period;
                }
                if let Some(h) = live::hits(world, id) {
                    live::set_hits(world, id, h.hits.saturating_sub(amount));
                }
            }
        }
        if let Some(creep) = finished_spawn {
            finished.push((id, creep, pos));
        }
        if remove {
            despawn_object(world, id);
        }
        if let Some((p, amount)) = drop_at {
            piles.drop_energy(world, p, amount);
        }
    }
    for (spawn, creep, pos) in finished {
        place_spawned_creep(world, &map, spawn, creep, pos, &mut occupied);
    }
}

/// Moves a finished creep out of its spawn onto the first free neighbouring tile, TOP first
/// and clockwise; with no free tile it waits inside.
fn place_spawned_creep(
    world: &mut World,
    map: &RoomMap,
    spawn: ObjectId,
    creep: ObjectId,
    at: Position,
    occupied: &mut std::collections::BTreeSet<Position>,
) {
    let Some(tile) = Direction::ALL
        .iter()
        .filter_map(|d| at.step(*d))
        .find(|p| !p.is_edge() && map.tile(*p) != Tile::Wall && !occupied.contains(p))
    else {
        return;
    };
    occupied.insert(tile);
    if let Some(e) = live::entity(world, creep) {
        if let Some(mut p) = world.get_mut::<Position>(e) {
            *p = tile;
        }
        if let Some(mut k) = world.get_mut::<ObjectKind>(e) {
            if let ObjectKind::Creep(c) = k.as_mut() {
                c.spawning = false;
            }
        }
    }
    if let Some(mut k) = live::kind_mut(world, spawn) {
        if let ObjectKind::Spawn(s) = k.as_mut() {
            s.spawning = None;
        }
    }
}

/// Removes dead creeps (no hits, no ticks to live, suicide) leaving tombstones with their
/// energy, and destroyed structures (no hits).
pub(crate) fn remove_dead_objects(world: &mut World) {
    let suicides = std::mem::take(&mut world.resource_mut::<Accepted>().suicides);
    let tick = world.resource::<GameTime>().0;
    let mut dead = Vec::new();
    {
        let mut q = world.query::<(
            &ObjectId,
            &Position,
            &ObjectKind,
            Option<&Hits>,
            Option<&Owner>,
            Option<&Store>,
        )>();
        for (id, pos, kind, hits, owner, store) in q.iter(world) {
            match kind {
                ObjectKind::Creep(c) => {
                    let dies = !c.spawning
                        && (hits.is_some_and(|h| h.hits == 0)
                            || c.ticks_to_live == 0
                            || suicides.contains(id));
                    if dies {
                        dead.push((
                            *id,
                            *pos,
                            Some((
                                c.name.clone(),
                                c.body.len(),
                                owner.map(|o| o.0),
                                store.map_or(0, |s| s.energy),
                            )),
                        ));
                    }
                }
                k if k.structure().is_some() && hits.is_some_and(|h| h.hits == 0 && h.max > 0) => {
                    dead.push((*id, *pos, None));
                }
                _ => {}
            }
        }
    }
    dead.sort_by_key(|d| d.0);
    for (id, pos, creep) in dead {
        // A destroyed spawn takes the creep it was spawning with it.
        if let Some(ObjectKind::Spawn(s)) = live::kind(world, id) {
            if let Some(sp) = &s.spawning {
                let inside = sp.creep;
                despawn_object(world, inside);
            }
        }
        despawn_object(world, id);
        if let Some((name, parts, Some(owner), energy)) = creep {
            spawn_object(
                world,
                pos,
                None,
                None,
                Some(Store::new(energy, u32::MAX)),
                None,
                ObjectKind::Tombstone(Tombstone {
                    creep_name: name,
                    creep_owner: owner,
                    death_time: tick,
                    ticks_to_decay: parts as u32 * TOMBSTONE_DECAY_PER_PART,
                }),
            );
            world
                .resource_mut::<TickReport>()
                .stats
                .entry(owner)
                .or_default()
                .creeps_died += 1;
        }
    }
}
