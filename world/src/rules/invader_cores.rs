//! Lesser invader cores (level 0): NPC structures that reserve neutral rooms next to an NPC
//! stronghold, or wear down a player's reservation there.
//!
//! Rules and their sources:
//! - A sector's stronghold sends a lesser core every `INVADER_CORE_EXPAND_TIME[level]` ticks
//!   of its active stage (screeps/backend-local `strongholds.js`, `expandStronghold`): a
//!   breadth-first walk from the stronghold's room through rooms without a controller or with
//!   a core, never onto a highway or a novice/respawn room, stops at the first room whose
//!   controller nobody owns and which holds no core (a player's reservation does not stop
//!   it), and places the core on a free tile within 5 of the controller (`findFreePos`: no
//!   wall and no obstacle within 1). The core takes the stronghold's collapse timer.
//! - Each tick a core reserves its controller (`INVADER_CORE_CONTROLLER_POWER` ×
//!   `CONTROLLER_RESERVE` ticks, up to `CONTROLLER_RESERVE_MAX`) while nobody else reserves
//!   it, and else attacks the other reservation by as much (`invader-core/pretick.js`,
//!   `reserveController.js`, `attackController.js`).
//! - At its collapse time it is removed without a ruin (`processor.js`, `EFFECT_COLLAPSE_TIMER`);
//!   destroyed, it leaves a ruin lasting until then at least (`structures/_destroy.js`).
//!
//! Where this differs from Screeps, and why:
//! - Strongholds themselves (levels 1–5: their deploy stage, towers, ramparts, defenders and
//!   loot) are not modelled. Each sector with a centre room has an unseen stronghold whose
//!   life is a pure function of the world seed and the sector ([`stronghold_cycles`]): placed
//!   at tick 0 and again the tick after each collapse (the backend re-places one every few
//!   minutes), in one of the sector's source-keeper rooms, level 1–5, active
//!   `STRONGHOLD_DECAY_TICKS` ±10 % after a `STRONGHOLD_DEPLOY_TIME` deploy stage. Players
//!   cannot destroy it, so its lesser cores keep coming for its whole life.
//! - The walk's exit order and the tile are drawn from the world's seeded RNG, not
//!   `Math.random`.
//! - Screeps also resets the room's controller when a core collapses or is destroyed; a
//!   lesser core never owns its controller, so here that reset only applies to a controller
//!   the Invader owns, and never to a player's.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use bevy_ecs::prelude::*;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::live;
use crate::constants::*;
use crate::events::{EventKind, EventLog};
use crate::geometry::{Position, RoomCoord, RoomId, ROOM_SIZE};
use crate::npc::INVADER;
use crate::object::*;
use crate::room_map::{schedule_rng, RoomKind, RoomMap, RoomStatus, STRONGHOLD_STREAM};
use crate::state::{despawn_object, spawn_object, GameTime, WorldRng};
use crate::terrain::Tile;

/// One life of a sector's unseen stronghold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StrongholdCycle {
    /// The tick it is placed (its deploy stage starts).
    pub start: u64,
    /// Its level, 1–5.
    pub level: u8,
    /// The tick its deploy stage ends and its active stage starts.
    pub active_from: u64,
    /// The tick it (and every lesser core it sent) collapses.
    pub collapse_time: u64,
    /// The source-keeper room it stands in: where the walk to a neutral room starts.
    pub room: RoomCoord,
}

impl StrongholdCycle {
    /// Whether it sends a lesser core at `tick`: every `INVADER_CORE_EXPAND_TIME[level]`
    /// ticks after it became active, while it stands.
    pub fn expands_at(&self, tick: u64) -> bool {
        let every = u64::from(INVADER_CORE_EXPAND_TIME[self.level as usize]);
        tick > self.active_from
            && tick < self.collapse_time
            && (tick - self.active_from).is_multiple_of(every)
    }
}

/// The lives of the stronghold of the sector centred on `centre`, in order, forever.
pub fn stronghold_cycles(seed: u64, centre: RoomCoord) -> impl Iterator<Item = StrongholdCycle> {
    let mut start = 0u64;
    (0u64..).map(move |k| {
        let mut rng = cycle_rng(seed, centre, k);
        let level = rng.gen_range(1..=5u8);
        // strongholds.js: `STRONGHOLD_DECAY_TICKS * (0.9 + Math.random() * 0.2)`, rounded.
        let decay = u64::from(STRONGHOLD_DECAY_TICKS);
        let duration = decay * 9 / 10 + rng.gen_range(0..=decay / 5);
        let ring: Vec<(i32, i32)> = (-1..=1)
            .flat_map(|dy| (-1..=1).map(move |dx| (dx, dy)))
            .filter(|d| *d != (0, 0))
            .collect();
        let (dx, dy) = ring[rng.gen_range(0..ring.len())];
        let active_from = start + u64::from(STRONGHOLD_DEPLOY_TIME);
        let cycle = StrongholdCycle {
            start,
            level,
            active_from,
            collapse_time: active_from + duration,
            room: RoomCoord {
                x: centre.x + dx,
                y: centre.y + dy,
            },
        };
        start = cycle.collapse_time + 1;
        cycle
    })
}

/// The randomness of one stronghold life: from the seed, the sector and the life's number,
/// so no stored state is needed to know it.
fn cycle_rng(seed: u64, centre: RoomCoord, k: u64) -> ChaCha8Rng {
    schedule_rng(seed, STRONGHOLD_STREAM, centre, k)
}

/// What the cores' passes know without looking at every object each tick. Derived from the
/// state alone (rebuilt after a restore or when rooms are added), so neither hashed nor
/// saved.
#[derive(Resource, Debug, Default)]
pub(crate) struct CoreCache {
    /// Rooms on the map when built; a grown map rebuilds it.
    rooms: usize,
    cores: BTreeSet<ObjectId>,
    controllers: BTreeMap<RoomId, ObjectId>,
    /// Each sector centre's current stronghold life and the lives after it.
    sectors: Vec<(RoomCoord, StrongholdCycle, u64)>,
}

impl CoreCache {
    fn build(world: &mut World) -> CoreCache {
        let map = world.resource::<RoomMap>();
        let seed = map.seed();
        let rooms = map.rooms.len();
        let sectors = map
            .rooms
            .iter()
            .filter(|r| r.kind == RoomKind::SectorCentre)
            .map(|r| {
                let first = stronghold_cycles(seed, r.coord).next();
                (r.coord, first.unwrap_or(NEVER), 0)
            })
            .collect();
        let mut cores = BTreeSet::new();
        let mut controllers = BTreeMap::new();
        let mut q = world.query::<(&ObjectId, &Position, &ObjectKind)>();
        for (id, pos, kind) in q.iter(world) {
            match kind {
                ObjectKind::InvaderCore(_) => {
                    cores.insert(*id);
                }
                ObjectKind::Controller(_) => {
                    controllers.insert(pos.room, *id);
                }
                _ => {}
            }
        }
        CoreCache {
            rooms,
            cores,
            controllers,
            sectors,
        }
    }
}

/// Stands in where a cycle cannot be computed (never: the iterator is endless).
const NEVER: StrongholdCycle = StrongholdCycle {
    start: u64::MAX,
    level: 1,
    active_from: u64::MAX,
    collapse_time: u64::MAX,
    room: RoomCoord { x: 0, y: 0 },
};

fn cache(world: &mut World) -> CoreCache {
    let rooms = world.resource::<RoomMap>().rooms.len();
    match world.remove_resource::<CoreCache>() {
        Some(c) if c.rooms == rooms => c,
        _ => CoreCache::build(world),
    }
}

/// Each core's tick, before the controllers' timers run: collapse, else reserve or attack
/// its room's controller.
pub(crate) fn run_invader_cores(world: &mut World) {
    let mut cache = cache(world);
    let tick = world.resource::<GameTime>().0;
    let mut gone = Vec::new();
    for id in &cache.cores {
        let Some(ObjectKind::InvaderCore(core)) = live::kind(world, *id).cloned() else {
            gone.push(*id);
            continue;
        };
        if core.collapse_time <= tick {
            despawn_object(world, *id);
            gone.push(*id);
            continue;
        }
        let Some(pos) = live::pos(world, *id) else {
            continue;
        };
        if let Some(controller) = cache.controllers.get(&pos.room) {
            act_on_controller(world, *id, pos, *controller);
        }
    }
    for id in gone {
        cache.cores.remove(&id);
    }
    world.insert_resource(cache);
}

/// `stronghold.js`'s `handleController` for a core that does not own its controller.
fn act_on_controller(world: &mut World, core: ObjectId, at: Position, controller: ObjectId) {
    if live::owner(world, controller).is_some() {
        // reserveController.js refuses an owned controller; a lesser core never owns one.
        return;
    }
    let effect = INVADER_CORE_CONTROLLER_POWER * CONTROLLER_RESERVE;
    let mut event = None;
    if let Some(mut kind) = live::kind_mut(world, controller) {
        let ObjectKind::Controller(c) = kind.as_mut() else {
            return;
        };
        match c.reservation.as_mut() {
            Some(r) if r.player != INVADER => {
                // attackController.js: refused while upgrading is blocked.
                if c.upgrade_blocked == 0 {
                    r.ticks_to_end = r.ticks_to_end.saturating_sub(effect);
                    event = Some(EventKind::AttackController);
                }
            }
            _ => {
                let r = c.reservation.get_or_insert(Reservation {
                    player: INVADER,
                    ticks_to_end: 1,
                });
                if r.ticks_to_end + effect <= CONTROLLER_RESERVE_MAX {
                    r.ticks_to_end += effect;
                    event = Some(EventKind::ReserveController { amount: effect });
                }
            }
        }
    }
    if let Some(kind) = event {
        world.resource_mut::<EventLog>().push(at.room, core, kind);
    }
}

/// The strongholds' expansions due this tick (after upkeep, as the backend's cron job runs
/// between ticks).
pub(crate) fn expand_strongholds(world: &mut World) {
    let mut cache = cache(world);
    let tick = world.resource::<GameTime>().0;
    let seed = world.resource::<RoomMap>().seed();
    let mut due = Vec::new();
    for (centre, cycle, k) in &mut cache.sectors {
        if cycle.collapse_time < tick {
            let later = stronghold_cycles(seed, *centre)
                .enumerate()
                .skip(*k as usize + 1)
                .find(|(_, c)| c.collapse_time >= tick);
            if let Some((n, next)) = later {
                *cycle = next;
                *k = n as u64;
            }
        }
        if cycle.expands_at(tick) {
            due.push(*cycle);
        }
    }
    for cycle in due {
        if let Some(id) = expand(world, &cache, &cycle) {
            cache.cores.insert(id);
        }
    }
    world.insert_resource(cache);
}

/// `expandStronghold`: one lesser core in the nearest neutral room, if there is one.
fn expand(world: &mut World, cache: &CoreCache, cycle: &StrongholdCycle) -> Option<ObjectId> {
    let map = world.resource::<RoomMap>();
    let origin = map.at(cycle.room)?;
    if map.get(origin).status != RoomStatus::Normal {
        return None;
    }
    let cored: BTreeSet<RoomId> = cache
        .cores
        .iter()
        .filter_map(|id| live::pos(world, *id).map(|p| p.room))
        .collect();
    let mut open = VecDeque::from([origin]);
    let mut closed = BTreeSet::new();
    let found = loop {
        let room = open.pop_front()?;
        closed.insert(room);
        let mut exits: Vec<RoomId> = world
            .resource::<RoomMap>()
            .get(room)
            .neighbors
            .iter()
            .flatten()
            .copied()
            .collect();
        exits.shuffle(&mut world.resource_mut::<WorldRng>().0);
        let map = world.resource::<RoomMap>();
        let mut hit = None;
        for next in exits {
            let info = map.get(next);
            let highway = matches!(
                RoomKind::of(info.coord),
                RoomKind::Highway | RoomKind::Crossroads
            );
            if highway || info.status != RoomStatus::Normal {
                continue;
            }
            let controller = cache.controllers.get(&next).copied();
            let has_core = cored.contains(&next);
            if let Some(c) = controller {
                if live::owner(world, c).is_none() && !has_core {
                    hit = Some((next, c));
                    break;
                }
            }
            if (controller.is_none() || has_core)
                && !closed.contains(&next)
                && !open.contains(&next)
            {
                open.push_back(next);
            }
        }
        if let Some(found) = hit {
            break found;
        }
    };
    let (room, controller) = found;
    let at = live::pos(world, controller)?;
    let pos = free_tile_near(world, room, at)?;
    let core = InvaderCore {
        level: 0,
        collapse_time: cycle.collapse_time,
    };
    let hits = StructureKind::InvaderCore.initial_hits();
    Some(spawn_object(
        world,
        pos,
        Some(INVADER),
        Some(hits),
        None,
        None,
        ObjectKind::InvaderCore(core),
    ))
}

/// `findFreePos(room, 1, controller ± 5)`: up to 500 random tiles of the box (its far edge
/// excluded, as `Math.floor(Math.random() * (x2 - x1))` does), the first with no wall and no
/// obstacle, rampart or other core within 1.
fn free_tile_near(world: &mut World, room: RoomId, controller: Position) -> Option<Position> {
    let lo = |v: u8| v.saturating_sub(5).max(1);
    let hi = |v: u8| (v + 5).min(ROOM_SIZE - 2);
    let (x1, x2, y1, y2) = (
        lo(controller.x),
        hi(controller.x),
        lo(controller.y),
        hi(controller.y),
    );
    let mut blocked = Vec::new();
    let mut q = world.query::<(&Position, &ObjectKind)>();
    for (p, k) in q.iter(world) {
        if p.room == room && (k.is_obstacle() || matches!(k, ObjectKind::Rampart(_))) {
            blocked.push(*p);
        }
    }
    for _ in 0..500 {
        let (x, y) = {
            let rng = &mut world.resource_mut::<WorldRng>().0;
            (rng.gen_range(x1..x2), rng.gen_range(y1..y2))
        };
        let p = Position::new(room, x, y);
        let map = world.resource::<RoomMap>();
        let walled = (-1i32..=1).any(|dy| {
            (-1i32..=1).any(|dx| {
                let (nx, ny) = (i32::from(x) + dx, i32::from(y) + dy);
                map.get(room).terrain.get(nx as u8, ny as u8) == Tile::Wall
            })
        });
        if !walled && !blocked.iter().any(|b| b.range_to(p) <= 1) {
            return Some(p);
        }
    }
    None
}
