//! End-of-tick upkeep and cleanup.

use std::collections::{BTreeMap, BTreeSet};

use bevy_ecs::prelude::*;

use super::controllers::tick_controller;
use super::economy::Piles;
use super::live;
use super::validate::Accepted;
use crate::chemistry::BoostAction;
use crate::constants::*;
use crate::geometry::{Direction, Position, RoomId};
use crate::object::*;
use crate::room_map::RoomMap;
use crate::state::despawn_object;
use crate::terrain::Tile;

/// Spawning progress, ageing, fatigue recovery, `say`, source regeneration, spawn energy
/// regeneration, decay of piles, tombstones, roads and containers, and controller downgrade.
/// Every object is visited in id order.
pub(crate) fn run_upkeep(world: &mut World) {
    apply_says(world);
    pass_spare_move_power(world);
    // Before the timers count down: `upgradeBlocked = gameTime + 200` shows 199 next tick.
    super::nukes::land_nukes(world);
    // The map is read-only here; scoping it out of the world avoids copying it every tick.
    world.resource_scope(|world, map: Mut<RoomMap>| upkeep_objects(world, &map));
    super::minerals::regenerate_minerals(world);
}

/// _add-fatigue.js: the MOVE power a pulled creep does not need for its own fatigue takes
/// fatigue off the creep at the head of its chain.
fn pass_spare_move_power(world: &mut World) {
    let pulled_by = std::mem::take(&mut world.resource_mut::<Accepted>().pulled_by);
    for pulled in pulled_by.keys() {
        let Some(c) = live::creep(world, *pulled) else {
            continue;
        };
        let power = 2 * c.power(BodyPartKind::Move, BoostAction::Fatigue, 1);
        let spare = power.saturating_sub(c.fatigue);
        let head = super::movement::chain_head(&pulled_by, *pulled);
        if spare == 0 || head == *pulled {
            continue;
        }
        if let Some(mut k) = live::kind_mut(world, head) {
            if let ObjectKind::Creep(h) = k.as_mut() {
                h.fatigue = h.fatigue.saturating_sub(spare);
            }
        }
    }
}

fn apply_says(world: &mut World) {
    // processor.js: `notifyWhenAttacked` on creeps and structures.
    let notify = std::mem::take(&mut world.resource_mut::<Accepted>().notify);
    for (object, enabled) in notify {
        if live::entity(world, object).is_none() {
            continue;
        }
        let mut quiet = world.resource_mut::<crate::state::Quiet>();
        if enabled {
            quiet.0.remove(&object);
        } else {
            quiet.0.insert(object);
        }
    }
    let says = std::mem::take(&mut world.resource_mut::<Accepted>().says);
    for (creep, saying) in says {
        if let Some(mut k) = live::kind_mut(world, creep) {
            if let ObjectKind::Creep(c) = k.as_mut() {
                c.saying = Some(saying);
            }
        }
    }
}

/// What upkeep needs to know about the state before it changes anything.
struct UpkeepStart {
    /// Room energy (spawns + extensions) per owner, for spawn regeneration.
    room_energy: BTreeMap<(RoomId, PlayerId), u32>,
    /// Tiles a creep stepping out of a spawn cannot take.
    occupied: BTreeSet<Position>,
    /// Rooms with an owned controller (containers decay slower there).
    owned_rooms: BTreeSet<RoomId>,
    /// Rooms with a controller, and whether it is owned or reserved.
    controlled_rooms: BTreeMap<RoomId, bool>,
    /// The owner and level of each owned controller's room.
    room_owner: BTreeMap<RoomId, (PlayerId, u8)>,
}

impl UpkeepStart {
    /// Screeps' `sources/tick.js`: a source holds 3000 in an owned or reserved room, 1500 in
    /// a neutral one, 4000 in a room with no controller (source keepers' rooms).
    fn source_capacity(&self, room: RoomId) -> u32 {
        match self.controlled_rooms.get(&room) {
            Some(true) => SOURCE_ENERGY_CAPACITY,
            Some(false) => SOURCE_ENERGY_NEUTRAL_CAPACITY,
            None => SOURCE_ENERGY_KEEPER_CAPACITY,
        }
    }
}

fn survey(world: &mut World) -> UpkeepStart {
    let mut start = UpkeepStart {
        room_energy: BTreeMap::new(),
        occupied: BTreeSet::new(),
        owned_rooms: BTreeSet::new(),
        controlled_rooms: BTreeMap::new(),
        room_owner: BTreeMap::new(),
    };
    let mut q = world.query::<(&Position, &ObjectKind, Option<&Owner>, Option<&Store>)>();
    for (pos, kind, owner, store) in q.iter(world) {
        match (kind, owner, store) {
            (
                ObjectKind::Spawn(_) | ObjectKind::Structure(StructureKind::Extension),
                Some(o),
                Some(s),
            ) => {
                *start.room_energy.entry((pos.room, o.0)).or_default() += s.energy();
            }
            (ObjectKind::Controller(c), owner, _) => {
                if let (Some(o), true) = (owner, c.level > 0) {
                    start.owned_rooms.insert(pos.room);
                    start.room_owner.insert(pos.room, (o.0, c.level));
                }
                let held = owner.is_some() || c.reservation.is_some();
                start.controlled_rooms.insert(pos.room, held);
            }
            _ => {}
        }
        let creep_inside = matches!(kind, ObjectKind::Creep(c) if c.spawning);
        if kind.is_obstacle() && !creep_inside {
            start.occupied.insert(*pos);
        }
    }
    start
}

/// What ageing one object asks of the rest of upkeep.
#[derive(Default)]
struct Aged {
    /// The creep a spawn finished this tick.
    finished_spawn: Option<ObjectId>,
    /// The object is gone (a decayed tombstone).
    remove: bool,
    /// A spawn, which may regenerate energy.
    spawn: bool,
    /// A controller whose owner lost it this tick.
    lost: bool,
}

/// One tick of time for one object's own counters. `source_capacity` is what a source in
/// this object's room holds.
fn age(kind: &mut ObjectKind, source_capacity: u32) -> Aged {
    let mut aged = Aged::default();
    match kind {
        ObjectKind::Creep(c) if !c.spawning => {
            if c.ticks_to_live != crate::npc::KEEPER_LIFE {
                c.ticks_to_live = c.ticks_to_live.saturating_sub(1);
            }
            let recovery = 2 * c.power(BodyPartKind::Move, BoostAction::Fatigue, 1);
            c.fatigue = c.fatigue.saturating_sub(recovery);
        }
        ObjectKind::Spawn(s) => {
            if let Some(sp) = s.spawning.as_mut() {
                sp.remaining_time = sp.remaining_time.saturating_sub(1);
                if sp.remaining_time == 0 {
                    aged.finished_spawn = Some(sp.creep);
                }
            }
            aged.spawn = true;
        }
        ObjectKind::Source(s) => {
            if s.capacity != source_capacity {
                s.capacity = source_capacity;
                s.energy = s.energy.min(source_capacity);
            }
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
            aged.remove = t.ticks_to_decay == 0;
        }
        ObjectKind::Ruin(r) => {
            r.ticks_to_decay = r.ticks_to_decay.saturating_sub(1);
            aged.remove = r.ticks_to_decay == 0;
        }
        ObjectKind::Controller(c) => aged.lost = tick_controller(c),
        _ => {}
    }
    aged
}

/// Whether upkeep has anything to do for an object of this kind besides its decay and
/// cooldown: ageing, regeneration, a pile's decay, a creep's overflow, a rampart's maximum.
fn keeps_time(kind: &ObjectKind) -> bool {
    matches!(
        kind,
        ObjectKind::Creep(_)
            | ObjectKind::Spawn(_)
            | ObjectKind::Source(_)
            | ObjectKind::Tombstone(_)
            | ObjectKind::Ruin(_)
            | ObjectKind::Controller(_)
            | ObjectKind::Resource
            | ObjectKind::Rampart(_)
    )
}

/// The objects upkeep visits, in id order, with their place and owner: one pass over the
/// archetypes, leaving out what has nothing to count down (most extensions, walls, towers,
/// storage), where looking each object's components up costs a type lookup apiece.
fn objects_to_keep(world: &mut World) -> Vec<(ObjectId, Position, Option<PlayerId>)> {
    let mut q = world.query::<(
        &ObjectId,
        &Position,
        Option<&Owner>,
        &ObjectKind,
        bevy_ecs::query::Has<Decay>,
        bevy_ecs::query::Has<Cooldown>,
    )>();
    let mut todo: Vec<_> = q
        .iter(world)
        .filter(|(_, _, _, kind, decay, cooldown)| *decay || *cooldown || keeps_time(kind))
        .map(|(id, pos, owner, ..)| (*id, *pos, owner.map(|o| o.0)))
        .collect();
    todo.sort_unstable_by_key(|(id, ..)| *id);
    todo
}

fn upkeep_objects(world: &mut World, map: &RoomMap) {
    let todo = objects_to_keep(world);
    let mut start = survey(world);
    let mut piles = Piles::build(world);
    // Creeps that finish spawning step out after the loop, so they are not aged this tick
    // whatever their id is relative to their spawn's.
    let mut finished: Vec<(ObjectId, ObjectId, Position)> = Vec::new();
    for (id, pos, owner) in todo {
        let Some(e) = live::entity(world, id) else {
            continue;
        };
        let mut aged = age(
            &mut world
                .get_mut::<ObjectKind>(e)
                .expect("every object has a kind"),
            start.source_capacity(pos.room),
        );
        let mut left_behind = Vec::new();
        match live::kind(world, id) {
            // energy/tick.js: a pile of any resource loses ceil(amount / 1000) a tick.
            Some(ObjectKind::Resource) => {
                if let Some(mut s) = live::store_mut(world, id) {
                    if let Some(&(resource, amount)) = s.contents().first() {
                        s.take(resource, amount.div_ceil(ENERGY_DECAY));
                    }
                    aged.remove = s.is_empty();
                }
            }
            // _drop-resources-without-space.js: a creep whose capacity fell (damaged CARRY
            // parts, an unboost) drops the excess, in `RESOURCES_ALL` order.
            Some(ObjectKind::Creep(_))
                if live::store(world, id)
                    .is_some_and(|s| s.limit.total().is_some_and(|t| s.used() > t)) =>
            {
                if let Some(mut s) = live::store_mut(world, id) {
                    left_behind = overflow(&mut s);
                }
            }
            Some(ObjectKind::Tombstone(_) | ObjectKind::Ruin(_)) if aged.remove => {
                left_behind = live::store(world, id).map_or(Vec::new(), |s| s.contents().to_vec());
            }
            Some(ObjectKind::Controller(_)) if aged.lost => {
                world.entity_mut(e).remove::<Owner>();
            }
            // ramparts/tick.js: the maximum follows the owner's level in the room, 0 elsewhere.
            Some(ObjectKind::Rampart(_)) => {
                let max = match start.room_owner.get(&pos.room) {
                    Some((o, level)) if Some(*o) == owner => RAMPART_HITS_MAX[*level as usize],
                    _ => 0,
                };
                if let Some(mut h) = world.get_mut::<Hits>(e) {
                    if h.max != max {
                        h.max = max;
                    }
                }
            }
            _ => {}
        }
        if let (true, Some(p)) = (aged.spawn, owner) {
            regenerate_spawn(world, e, &start.room_energy, pos.room, p);
        }
        decay_structure(world, e, pos, map, &start.owned_rooms);
        cool_down(world, e);
        if let Some(creep) = aged.finished_spawn {
            finished.push((id, creep, pos));
        }
        if aged.remove {
            despawn_object(world, id);
        }
        for (resource, amount) in left_behind {
            piles.drop_resource(world, pos, resource, amount);
        }
    }
    for (spawn, creep, pos) in finished {
        place_spawned_creep(world, map, spawn, creep, pos, &mut start.occupied);
    }
}

/// Takes what exceeds a general store's total out of it, resource by resource in order.
fn overflow(store: &mut Mut<Store>) -> Vec<(ResourceKind, u32)> {
    let Some(total) = store.limit.total() else {
        return Vec::new();
    };
    let mut excess = store.used().saturating_sub(total);
    let mut out = Vec::new();
    while excess > 0 {
        let Some(&(resource, amount)) = store.contents().first() else {
            break;
        };
        let dropped = store.take(resource, amount.min(excess));
        excess -= dropped;
        out.push((resource, dropped));
    }
    out
}

/// A spawn gains 1 energy a tick while its owner's room energy is below a spawn's capacity.
fn regenerate_spawn(
    world: &mut World,
    spawn: Entity,
    room_energy: &BTreeMap<(RoomId, PlayerId), u32>,
    room: RoomId,
    owner: PlayerId,
) {
    let total = room_energy.get(&(room, owner)).copied().unwrap_or(0);
    if total < SPAWN_ENERGY_CAPACITY {
        if let Some(mut s) = world.get_mut::<Store>(spawn) {
            if s.free_for(ResourceKind::Energy) > 0 {
                s.add(ResourceKind::Energy, 1);
            }
        }
    }
}

/// Roads and containers lose hits every decay period (roads on swamp and walls more,
/// containers in owned rooms less often).
fn decay_structure(
    world: &mut World,
    e: Entity,
    pos: Position,
    map: &RoomMap,
    owned_rooms: &BTreeSet<RoomId>,
) {
    let Some(mut d) = world.get_mut::<Decay>(e) else {
        return;
    };
    d.ticks = d.ticks.saturating_sub(1);
    if d.ticks > 0 {
        return;
    }
    let kind = world.get::<ObjectKind>(e).and_then(|k| k.structure());
    let (amount, period) = match kind {
        Some(StructureKind::Rampart) => (RAMPART_DECAY_AMOUNT, RAMPART_DECAY_TIME),
        Some(StructureKind::Road) => {
            let ratio = match map.tile(pos) {
                Tile::Swamp => CONSTRUCTION_COST_ROAD_SWAMP_RATIO,
                Tile::Wall => CONSTRUCTION_COST_ROAD_WALL_RATIO,
                Tile::Plain => 1,
            };
            (ROAD_DECAY_AMOUNT * ratio, ROAD_DECAY_TIME)
        }
        _ if owned_rooms.contains(&pos.room) => (CONTAINER_DECAY, CONTAINER_DECAY_TIME_OWNED),
        _ => (CONTAINER_DECAY, CONTAINER_DECAY_TIME),
    };
    if let Some(mut d) = world.get_mut::<Decay>(e) {
        d.ticks = period;
    }
    let rampart = kind == Some(StructureKind::Rampart);
    if let Some(mut h) = world.get_mut::<Hits>(e) {
        h.hits = h.hits.saturating_sub(amount);
        if !rampart {
            h.hits = h.hits.min(h.max);
        }
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
    occupied: &mut BTreeSet<Position>,
) {
    let order = match live::kind(world, spawn) {
        Some(ObjectKind::Spawn(StructureSpawn {
            spawning: Some(sp), ..
        })) if !sp.directions.is_empty() => sp.directions.clone(),
        _ => Direction::ALL.to_vec(),
    };
    let Some(tile) = order
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

/// Screeps' `links/tick.js` (and every structure with a cooldown): one tick less; gone at 0.
fn cool_down(world: &mut World, e: Entity) {
    let Some(mut c) = world.get_mut::<Cooldown>(e) else {
        return;
    };
    c.ticks = c.ticks.saturating_sub(1);
    if c.ticks == 0 {
        world.entity_mut(e).remove::<Cooldown>();
    }
}
