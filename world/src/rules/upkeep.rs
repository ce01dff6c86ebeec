//! End-of-tick upkeep and cleanup.

use std::collections::BTreeSet;

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

/// A lookup-only map: upkeep never iterates these, so their order cannot reach the state.
type Lookup<K, V> = rustc_hash::FxHashMap<K, V>;

/// What upkeep needs to know about the state before it changes anything.
#[derive(Default)]
struct UpkeepStart {
    /// Room energy (spawns + extensions) per owner, for spawn regeneration.
    room_energy: Lookup<(RoomId, PlayerId), u32>,
    /// Rooms with a controller, and whether it is owned or reserved.
    controlled_rooms: Lookup<RoomId, bool>,
    /// The owner and level of each owned controller's room (containers decay slower there).
    room_owner: Lookup<RoomId, (PlayerId, u8)>,
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
    let mut start = UpkeepStart::default();
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
                    start.room_owner.insert(pos.room, (o.0, c.level));
                }
                let held = owner.is_some() || c.reservation.is_some();
                start.controlled_rooms.insert(pos.room, held);
            }
            _ => {}
        }
    }
    start
}

/// Tiles a creep stepping out of a spawn in one of `rooms` cannot take. Surveyed only on a
/// tick some spawn finishes, and only in those rooms.
fn occupied_tiles(world: &mut World, rooms: &BTreeSet<RoomId>) -> BTreeSet<Position> {
    let mut q = world.query::<(&Position, &ObjectKind)>();
    q.iter(world)
        .filter(|(pos, kind)| {
            let creep_inside = matches!(kind, ObjectKind::Creep(c) if c.spawning);
            rooms.contains(&pos.room) && kind.is_obstacle() && !creep_inside
        })
        .map(|(pos, _)| *pos)
        .collect()
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

/// Whether [`age`] would change anything of this object.
fn ages(kind: &ObjectKind, source_capacity: u32) -> bool {
    match kind {
        ObjectKind::Creep(c) => !c.spawning,
        ObjectKind::Spawn(s) => s.spawning.is_some(),
        ObjectKind::Source(s) => s.capacity != source_capacity || s.ticks_to_regeneration.is_some(),
        ObjectKind::Tombstone(_) | ObjectKind::Ruin(_) => true,
        ObjectKind::Controller(c) => {
            c.level > 0
                || c.reservation.is_some()
                || c.safe_mode > 0
                || c.safe_mode_cooldown > 0
                || c.upgrade_blocked > 0
        }
        _ => false,
    }
}

/// Whether upkeep has anything to do for an object of this kind besides its decay and
/// cooldown: ageing, regeneration, a creep's overflow, a rampart's maximum. (Piles are
/// kept in the ordered pass: see [`Later`].)
fn keeps_time(kind: &ObjectKind) -> bool {
    matches!(
        kind,
        ObjectKind::Creep(_)
            | ObjectKind::Spawn(_)
            | ObjectKind::Source(_)
            | ObjectKind::Tombstone(_)
            | ObjectKind::Ruin(_)
            | ObjectKind::Controller(_)
            | ObjectKind::Rampart(_)
    )
}

/// What one object's upkeep leaves for the ordered pass: everything that adds or removes
/// objects or components, or touches another object. Run in id order, as every object's
/// upkeep was, so the merges of dropped resources into piles (a pile decays by
/// `ceil(amount / 1000)`, so whether a drop lands before or after its decay matters) come
/// out as before.
struct Later {
    id: ObjectId,
    pos: Position,
    /// A dropped-resource pile: it decays in this pass, after lower ids' drops.
    pile: bool,
    /// Resources the object leaves on its tile (a creep's overflow, a decayed tombstone's
    /// or ruin's contents).
    left_behind: Vec<(ResourceKind, u32)>,
    remove: bool,
    lost_owner: bool,
    cooled: bool,
    finished_spawn: Option<ObjectId>,
}

/// The components upkeep changes in place.
type Kept<'a> = (
    Entity,
    &'a ObjectId,
    &'a Position,
    Option<&'a Owner>,
    &'a mut ObjectKind,
    Option<&'a mut Store>,
    Option<&'a mut Hits>,
    Option<&'a mut Decay>,
    Option<&'a mut Cooldown>,
);

/// Every object's own counters in one pass over the archetypes. What one object does here
/// reads only its own components and what [`survey`] saw before the pass, so the pass's
/// order (storage order) cannot reach the state; the rest waits in [`Later`].
fn keep_in_place(world: &mut World, map: &RoomMap, start: &UpkeepStart) -> Vec<Later> {
    let mut later = Vec::new();
    let mut q = world.query::<Kept>();
    for (_, id, pos, owner, mut kind, mut store, mut hits, decay, cooldown) in q.iter_mut(world) {
        let pile = matches!(*kind, ObjectKind::Resource);
        let keeps = keeps_time(&kind);
        if !(pile || keeps || decay.is_some() || cooldown.is_some()) {
            continue;
        }
        let owner = owner.map(|o| o.0);
        let mut aged = Aged::default();
        let mut left_behind = Vec::new();
        if keeps {
            let capacity = start.source_capacity(pos.room);
            // Written only when something counts down: a write marks the object changed,
            // and the tick's hash re-encodes what changed (`hash_cache.rs`).
            aged = if ages(&kind, capacity) {
                age(&mut kind, capacity)
            } else {
                Aged {
                    spawn: matches!(*kind, ObjectKind::Spawn(_)),
                    ..Aged::default()
                }
            };
            match &*kind {
                // _drop-resources-without-space.js: a creep whose capacity fell (damaged
                // CARRY parts, an unboost) drops the excess, in `RESOURCES_ALL` order.
                ObjectKind::Creep(_) => {
                    if let Some(s) = store.as_mut().filter(|s| overflows(s)) {
                        left_behind = overflow(s);
                    }
                }
                ObjectKind::Tombstone(_) | ObjectKind::Ruin(_) if aged.remove => {
                    left_behind = store.as_ref().map_or(Vec::new(), |s| s.contents().to_vec());
                }
                // ramparts/tick.js: the maximum follows the owner's level in the room, 0
                // elsewhere.
                ObjectKind::Rampart(_) => {
                    let max = match start.room_owner.get(&pos.room) {
                        Some((o, level)) if Some(*o) == owner => RAMPART_HITS_MAX[*level as usize],
                        _ => 0,
                    };
                    if let Some(h) = hits.as_mut().filter(|h| h.max != max) {
                        h.max = max;
                    }
                }
                _ => {}
            }
        }
        if let (true, Some(p), Some(s)) = (aged.spawn, owner, store.as_mut()) {
            regenerate_spawn(s, &start.room_energy, pos.room, p);
        }
        if let Some(d) = decay {
            decay_structure(d, hits, &kind, *pos, map, start);
        }
        let cooled = cooldown.is_some_and(|mut c| {
            c.ticks = c.ticks.saturating_sub(1);
            c.ticks == 0
        });
        if pile
            || cooled
            || aged.remove
            || aged.lost
            || aged.finished_spawn.is_some()
            || !left_behind.is_empty()
        {
            later.push(Later {
                id: *id,
                pos: *pos,
                pile,
                left_behind,
                remove: aged.remove,
                lost_owner: aged.lost,
                cooled,
                finished_spawn: aged.finished_spawn,
            });
        }
    }
    later.sort_unstable_by_key(|l| l.id);
    later
}

fn upkeep_objects(world: &mut World, map: &RoomMap) {
    let start = survey(world);
    let later = keep_in_place(world, map, &start);
    let mut piles = Piles::new();
    // Creeps that finish spawning step out after the loop, so they are not aged this tick
    // whatever their id is relative to their spawn's.
    let mut finished: Vec<(ObjectId, ObjectId, Position)> = Vec::new();
    for mut l in later {
        let Some(e) = live::entity(world, l.id) else {
            continue;
        };
        // energy/tick.js: a pile of any resource loses ceil(amount / 1000) a tick.
        if l.pile {
            if let Some(mut s) = world.get_mut::<Store>(e) {
                if let Some(&(resource, amount)) = s.contents().first() {
                    s.take(resource, amount.div_ceil(ENERGY_DECAY));
                }
                l.remove = s.is_empty();
            }
        }
        if l.lost_owner {
            world.entity_mut(e).remove::<Owner>();
        }
        if l.cooled {
            world.entity_mut(e).remove::<Cooldown>();
        }
        if let Some(creep) = l.finished_spawn {
            finished.push((l.id, creep, l.pos));
        }
        if l.remove {
            despawn_object(world, l.id);
        }
        for (resource, amount) in l.left_behind {
            piles.drop_resource(world, l.pos, resource, amount);
        }
    }
    if finished.is_empty() {
        return;
    }
    let rooms = finished.iter().map(|(.., pos)| pos.room).collect();
    let mut occupied = occupied_tiles(world, &rooms);
    for (spawn, creep, pos) in finished {
        place_spawned_creep(world, map, spawn, creep, pos, &mut occupied);
    }
}

/// Whether a general store holds more than its total allows.
fn overflows(store: &Store) -> bool {
    store.limit.total().is_some_and(|t| store.used() > t)
}

/// Takes what exceeds a general store's total out of it, resource by resource in order.
fn overflow(store: &mut Store) -> Vec<(ResourceKind, u32)> {
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
    spawn: &mut Mut<Store>,
    room_energy: &Lookup<(RoomId, PlayerId), u32>,
    room: RoomId,
    owner: PlayerId,
) {
    let total = room_energy.get(&(room, owner)).copied().unwrap_or(0);
    if total < SPAWN_ENERGY_CAPACITY && spawn.free_for(ResourceKind::Energy) > 0 {
        spawn.add(ResourceKind::Energy, 1);
    }
}

/// Roads and containers lose hits every decay period (roads on swamp and walls more,
/// containers in owned rooms less often).
fn decay_structure(
    mut decay: Mut<Decay>,
    hits: Option<Mut<Hits>>,
    kind: &ObjectKind,
    pos: Position,
    map: &RoomMap,
    start: &UpkeepStart,
) {
    decay.ticks = decay.ticks.saturating_sub(1);
    if decay.ticks > 0 {
        return;
    }
    let kind = kind.structure();
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
        _ if start.room_owner.contains_key(&pos.room) => {
            (CONTAINER_DECAY, CONTAINER_DECAY_TIME_OWNED)
        }
        _ => (CONTAINER_DECAY, CONTAINER_DECAY_TIME),
    };
    decay.ticks = period;
    let rampart = kind == Some(StructureKind::Rampart);
    if let Some(mut h) = hits {
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
