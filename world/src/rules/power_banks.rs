//! Power banks in highway rooms: where power comes from.
//!
//! Rules and their sources:
//! - Every normal highway room gets a bank every `POWER_BANK_RESPAWN_TIME` × (0.75–1.25)
//!   ticks (screeps/backend-local `cronjobs.js`, `genPowerBanks`): on a wall tile between 5
//!   and 44 with an open tile beside it, holding 500–5 000 power, 30 % of them 5 000 more,
//!   with `POWER_BANK_HITS` hits; it is gone `POWER_BANK_DECAY` ticks later (`processor.js`).
//! - Whoever damages a bank takes half the damage back, whatever the attack (`_damage.js`,
//!   `POWER_BANK_HIT_BACK`; `rules::combat`). It cannot be dismantled or withdrawn from.
//! - Destroyed, it leaves a ruin holding its power for `RUIN_DECAY_STRUCTURES.powerBank`
//!   (10) ticks, which then drops it on the ground (`ruins/tick.js`).
//!
//! Where this differs from Screeps, and why:
//! - Screeps draws the times, tiles and amounts with `Math.random` in a cron job; here each
//!   highway room's banks are a pure function of the world seed, the room and the bank's
//!   number ([`power_bank_spawns`]), the first due one respawn time after tick 0, as the cron
//!   job's first run schedules it. A tile holding an object already is skipped (Screeps does
//!   not look).
//! - Half of an odd damage is rounded up (Screeps applies fractional hits).
//! - A highway room whose generated terrain has no wall between 5 and 44 gets its bank on an
//!   open tile (Screeps' terrain always has walls there; its loop would never end).

use std::collections::{BTreeMap, BTreeSet};

use bevy_ecs::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::live;
use crate::constants::*;
use crate::geometry::{Position, RoomCoord, RoomId};
use crate::object::*;
use crate::room_map::{schedule_rng, RoomKind, RoomMap, RoomStatus, POWER_BANK_STREAM};
use crate::state::{despawn_object, spawn_object, GameTime};

/// One bank a highway room is due: when, and how much power.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PowerBankSpawn {
    pub tick: u64,
    pub power: u32,
    /// Seeds the draw of its tile.
    tile_seed: u64,
}

/// The banks of the highway room at `coord`, in order, forever.
pub fn power_bank_spawns(seed: u64, coord: RoomCoord) -> impl Iterator<Item = PowerBankSpawn> {
    let mut tick = 0u64;
    (0u64..).map(move |k| {
        let mut rng = bank_rng(seed, coord, k);
        // `Math.round(Math.random() * RESPAWN / 2 + RESPAWN * 0.75)`.
        let respawn = u64::from(POWER_BANK_RESPAWN_TIME);
        tick += respawn * 3 / 4 + rng.gen_range(0..=respawn / 2);
        let spread = POWER_BANK_CAPACITY_MAX - POWER_BANK_CAPACITY_MIN;
        let mut power = POWER_BANK_CAPACITY_MIN + rng.gen_range(0..spread);
        if rng.gen_range(0..100) < POWER_BANK_CAPACITY_CRIT_PERCENT {
            power += POWER_BANK_CAPACITY_MAX;
        }
        PowerBankSpawn {
            tick,
            power,
            tile_seed: rng.gen(),
        }
    })
}

fn bank_rng(seed: u64, coord: RoomCoord, k: u64) -> ChaCha8Rng {
    schedule_rng(seed, POWER_BANK_STREAM, coord, k)
}

/// The next bank each highway room is due, earliest first, and the banks standing: derived
/// from the state (rebuilt after a restore or when rooms are added), so neither hashed nor
/// saved.
#[derive(Resource, Debug, Default)]
pub(crate) struct BankCache {
    rooms: usize,
    /// (tick, room) → the bank's number in the room's sequence.
    due: BTreeMap<(u64, RoomId), u64>,
    banks: BTreeSet<ObjectId>,
}

impl BankCache {
    fn build(world: &mut World, now: u64) -> BankCache {
        let map = world.resource::<RoomMap>();
        let seed = map.seed();
        let rooms = map.rooms.len();
        let mut due = BTreeMap::new();
        for room in &map.rooms {
            if !matches!(room.kind, RoomKind::Highway | RoomKind::Crossroads) {
                continue;
            }
            let next = power_bank_spawns(seed, room.coord)
                .enumerate()
                .find(|(_, s)| s.tick >= now);
            if let Some((k, s)) = next {
                due.insert((s.tick, room.id), k as u64);
            }
        }
        let mut banks = BTreeSet::new();
        let mut q = world.query::<(&ObjectId, &ObjectKind)>();
        for (id, kind) in q.iter(world) {
            if matches!(kind, ObjectKind::PowerBank(_)) {
                banks.insert(*id);
            }
        }
        BankCache { rooms, due, banks }
    }
}

/// Removes decayed banks and places the banks due this tick (upkeep, after the timers).
pub(crate) fn keep_power_banks(world: &mut World) {
    let now = world.resource::<GameTime>().0;
    let rooms = world.resource::<RoomMap>().rooms.len();
    let mut cache = match world.remove_resource::<BankCache>() {
        Some(c) if c.rooms == rooms => c,
        _ => BankCache::build(world, now),
    };
    let mut gone = Vec::new();
    for id in &cache.banks {
        match live::kind(world, *id) {
            // processor.js: removed while processing `decayTime - 1`, so never seen at 0.
            Some(ObjectKind::PowerBank(b)) if now + 1 >= b.decay_time => {
                despawn_object(world, *id);
                gone.push(*id);
            }
            Some(ObjectKind::PowerBank(_)) => {}
            _ => gone.push(*id),
        }
    }
    for id in gone {
        cache.banks.remove(&id);
    }
    while let Some((&(tick, room), &k)) = cache.due.first_key_value() {
        if tick > now {
            break;
        }
        cache.due.remove(&(tick, room));
        let coord = world.resource::<RoomMap>().get(room).coord;
        let seed = world.resource::<RoomMap>().seed();
        let mut lives = power_bank_spawns(seed, coord).skip(k as usize);
        if let (Some(spawn), true) = (lives.next(), tick == now) {
            if let Some(id) = place_bank(world, room, &spawn, now) {
                cache.banks.insert(id);
            }
        }
        if let Some(next) = lives.next() {
            cache.due.insert((next.tick, room), k + 1);
        }
    }
    world.insert_resource(cache);
}

/// `genPowerBanks`' placement: a wall tile between 5 and 44 with an open tile beside it.
fn place_bank(
    world: &mut World,
    room: RoomId,
    spawn: &PowerBankSpawn,
    now: u64,
) -> Option<ObjectId> {
    let mut taken = BTreeSet::new();
    let mut q = world.query::<&Position>();
    for p in q.iter(world) {
        if p.room == room {
            taken.insert((p.x, p.y));
        }
    }
    let info = world.resource::<RoomMap>().get(room);
    if info.status != RoomStatus::Normal {
        return None;
    }
    let terrain_of = &info.terrain;
    let mut rng = ChaCha8Rng::seed_from_u64(spawn.tile_seed);
    let mut draw = || (rng.gen_range(5u8..45), rng.gen_range(5u8..45));
    // With no such wall (an open highway), the bank stands on an open tile, an obstacle all
    // the same.
    let any_wall = terrain_of.has_wall_by_open();
    let fits = |(x, y): (u8, u8)| {
        !taken.contains(&(x, y)) && (!any_wall || terrain_of.is_wall_by_open(x, y))
    };
    let tile = (0..10_000).map(|_| draw()).find(|t| fits(*t))?;
    let mut store = Store::empty(StoreLimit::Unlimited);
    store.add(ResourceKind::Power, spawn.power);
    let bank = PowerBank {
        decay_time: now + u64::from(POWER_BANK_DECAY),
    };
    Some(spawn_object(
        world,
        Position::new(room, tile.0, tile.1),
        None,
        Some(StructureKind::PowerBank.initial_hits()),
        Some(store),
        None,
        ObjectKind::PowerBank(bank),
    ))
}
