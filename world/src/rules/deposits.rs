//! Deposits in highway rooms: the raw resources of commodities (mist, biomass, metal,
//! silicon).
//!
//! Rules and their sources:
//! - Harvesting (`creeps/harvest.js`): `HARVEST_DEPOSIT_POWER` a WORK part (boosts count),
//!   what does not fit falls to the ground; each harvest adds to `harvested`, sets the
//!   cooldown to `ceil(DEPOSIT_EXHAUST_MULTIPLY × harvested ^ DEPOSIT_EXHAUST_POW)` when over
//!   1, and puts off its decay to `DEPOSIT_DECAY_TIME` ticks later.
//! - New deposits (screeps/backend-local `genDeposits`): for each sector, the deposits in its
//!   border highways on its side give a throughput of Σ 20 / max(1, 0.001 × harvested^1.2);
//!   below 2.5 a new one comes to a border highway room without one, on a wall tile between 5
//!   and 44 with an open tile beside it and no object within 2, on the sector's side.
//!
//! Where this differs from Screeps, and why:
//! - The backend's cron job runs every 5 minutes; here every [`DEPOSIT_CRON_TICKS`] ticks
//!   (5 minutes of 3 s ticks), at a tick divisible by it.
//! - A highway room's `depositType` is set when Screeps' map is made; this world draws it from
//!   the seed and the room. Choices the backend makes with `Math.random` come from the
//!   world's seeded RNG.
//! - A highway with no wall there (this world's highways are open) takes the deposit on an
//!   open tile; it is an obstacle all the same.
//! - The power `0.001 × h^1.2` is computed exactly in integers (no floating point in the
//!   world), and a deposit is removed on the tick its decay time comes, where Screeps keeps it
//!   one tick longer with `ticksToDecay` -1.

use std::collections::BTreeSet;

use bevy_ecs::prelude::*;
use rand::seq::SliceRandom;
use rand::Rng;

use super::economy::Piles;
use super::live;
use crate::chemistry::BoostAction;
use crate::constants::*;
use crate::events::{EventKind, EventLog};
use crate::geometry::{Position, RoomCoord, RoomId};
use crate::object::*;
use crate::room_map::{schedule_rng, RoomKind, RoomMap, RoomStatus, DEPOSIT_TYPE_STREAM};
use crate::state::{despawn_object, spawn_object, GameTime, WorldRng};

/// How often new deposits are considered (the backend's 5-minute cron job, in 3 s ticks).
pub const DEPOSIT_CRON_TICKS: u64 = 100;

/// Past this, `harvested` counts as this much in the exhaustion formulas (the cooldown there
/// is ~36 000 ticks: the deposit is spent), which keeps the integer powers within `u128`.
const HARVESTED_CAP: u128 = 2_000_000;

/// `floor(h ^ 1.2)`, exactly: the largest `y` with `y^5 <= h^6`.
fn pow_1_2(harvested: u32) -> u128 {
    let h = u128::from(harvested).min(HARVESTED_CAP);
    let target = h.pow(6);
    let (mut lo, mut hi) = (0u128, 50_000_000u128);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if mid.pow(5) <= target {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

/// `Math.ceil(DEPOSIT_EXHAUST_MULTIPLY * Math.pow(harvested, DEPOSIT_EXHAUST_POW))`: a
/// deposit's cooldown after a harvest, and its `lastCooldown`.
pub fn deposit_cooldown(harvested: u32) -> u32 {
    let h = u128::from(harvested).min(HARVESTED_CAP);
    let exact = pow_1_2(harvested);
    // h^1.2 is an integer only when exact^5 == h^6; otherwise it lies above `exact`.
    let whole = exact.pow(5) == h.pow(6);
    let thousandths = if whole { exact } else { exact + 1 };
    u32::try_from(thousandths.div_ceil(1000)).unwrap_or(u32::MAX)
}

/// One deposit's part of its sector's throughput, in millionths: `20 / max(1, h^1.2/1000)`.
fn throughput_millionths(harvested: u32) -> u128 {
    20_000_000_000 / pow_1_2(harvested).max(1000)
}

/// The raw resource a highway room's deposits give (Screeps sets it with the map).
pub fn deposit_type_of(seed: u64, coord: RoomCoord) -> ResourceKind {
    let mut rng = schedule_rng(seed, DEPOSIT_TYPE_STREAM, coord, 0);
    [
        ResourceKind::Mist,
        ResourceKind::Biomass,
        ResourceKind::Metal,
        ResourceKind::Silicon,
    ][rng.gen_range(0..4)]
}

/// `harvest.js` on a deposit, for a creep next to it.
pub(super) fn harvest_deposit(
    world: &mut World,
    piles: &mut Piles,
    creep: ObjectId,
    target: ObjectId,
) {
    let (Some(cp), Some(c)) = (live::pos(world, creep), live::creep(world, creep)) else {
        return;
    };
    let power = c.power(
        BodyPartKind::Work,
        BoostAction::Harvest,
        HARVEST_DEPOSIT_POWER,
    );
    let now = world.resource::<GameTime>().0;
    let mut got = None;
    if let Some(mut k) = live::kind_mut(world, target) {
        if let ObjectKind::Deposit(d) = k.as_mut() {
            d.harvested = d.harvested.saturating_add(power);
            d.decay_time = now + u64::from(DEPOSIT_DECAY_TIME);
            got = Some((d.deposit_type, deposit_cooldown(d.harvested)));
        }
    }
    let Some((resource, cooldown)) = got.filter(|_| power > 0) else {
        return;
    };
    let keep = power.min(live::free_for(world, creep, resource));
    live::add(world, creep, resource, keep);
    piles.drop_resource(world, cp, resource, power - keep);
    // deposits/tick.js: `cooldownTime = gameTime + cooldown`, shown one less next tick, as
    // upkeep counts this one down.
    if let (true, Some(e)) = (cooldown > 1, live::entity(world, target)) {
        world.entity_mut(e).insert(Cooldown { ticks: cooldown });
    }
    let kind = EventKind::Harvest {
        target,
        amount: power,
    };
    world.resource_mut::<EventLog>().push(cp.room, creep, kind);
}

/// The deposits standing: derived from the state, so neither hashed nor saved.
#[derive(Resource, Debug, Default)]
pub(crate) struct DepositCache {
    built: bool,
    deposits: BTreeSet<ObjectId>,
}

/// Removes decayed deposits; every [`DEPOSIT_CRON_TICKS`], places new ones (upkeep).
pub(crate) fn keep_deposits(world: &mut World) {
    let now = world.resource::<GameTime>().0;
    let mut cache = world.remove_resource::<DepositCache>().unwrap_or_default();
    if !cache.built {
        let mut q = world.query::<(&ObjectId, &ObjectKind)>();
        cache.deposits = q
            .iter(world)
            .filter(|(_, k)| matches!(k, ObjectKind::Deposit(_)))
            .map(|(id, _)| *id)
            .collect();
        cache.built = true;
    }
    let mut gone = Vec::new();
    for id in &cache.deposits {
        match live::kind(world, *id) {
            Some(ObjectKind::Deposit(d)) if now >= d.decay_time => {
                despawn_object(world, *id);
                gone.push(*id);
            }
            Some(ObjectKind::Deposit(_)) => {}
            _ => gone.push(*id),
        }
    }
    for id in gone {
        cache.deposits.remove(&id);
    }
    if now.is_multiple_of(DEPOSIT_CRON_TICKS) {
        let added = generate_deposits(world, &cache.deposits);
        cache.deposits.extend(added);
    }
    world.insert_resource(cache);
}

/// Where a deposit stands, in tiles across the whole map.
fn world_tile(coord: RoomCoord, x: u8, y: u8) -> (i64, i64) {
    (
        50 * i64::from(coord.x) + i64::from(x),
        50 * i64::from(coord.y) + i64::from(y),
    )
}

/// Whether a tile lies on the sector's side of its border highways (within 250 tiles of the
/// centre room's middle both ways).
fn in_sector(centre: RoomCoord, tile: (i64, i64)) -> bool {
    let middle = world_tile(centre, 24, 24);
    (tile.0 - middle.0).abs() < 250 && (tile.1 - middle.1).abs() < 250
}

/// The highway rooms bordering the sector centred on `centre` (its ring of rooms 5 away).
fn border_highways(map: &RoomMap, centre: RoomCoord) -> Vec<RoomId> {
    let mut ring = Vec::new();
    for dy in -5..=5i32 {
        for dx in -5..=5i32 {
            if dx.abs() != 5 && dy.abs() != 5 {
                continue;
            }
            let coord = RoomCoord {
                x: centre.x + dx,
                y: centre.y + dy,
            };
            let highway = matches!(
                RoomKind::of(coord),
                RoomKind::Highway | RoomKind::Crossroads
            );
            if let (true, Some(id)) = (highway, map.at(coord)) {
                ring.push(id);
            }
        }
    }
    ring.sort_unstable();
    ring
}

/// `genDeposits`, one pass over the sectors.
fn generate_deposits(world: &mut World, standing: &BTreeSet<ObjectId>) -> Vec<ObjectId> {
    let deposits: Vec<(RoomId, (u8, u8), u32)> = standing
        .iter()
        .filter_map(|id| match (live::pos(world, *id), live::kind(world, *id)) {
            (Some(p), Some(ObjectKind::Deposit(d))) => Some((p.room, (p.x, p.y), d.harvested)),
            _ => None,
        })
        .collect();
    let map = world.resource::<RoomMap>();
    let sectors: Vec<(RoomCoord, Vec<RoomId>)> = map
        .rooms
        .iter()
        .filter(|r| r.kind == RoomKind::SectorCentre)
        .map(|r| (r.coord, border_highways(map, r.coord)))
        .collect();
    let mut wanted = Vec::new();
    for (centre, edges) in sectors {
        let map = world.resource::<RoomMap>();
        let mine: Vec<&(RoomId, (u8, u8), u32)> = deposits
            .iter()
            .filter(|(room, (x, y), _)| {
                edges.contains(room) && in_sector(centre, world_tile(map.get(*room).coord, *x, *y))
            })
            .collect();
        let throughput: u128 = mine.iter().map(|(.., h)| throughput_millionths(*h)).sum();
        if throughput >= 2_500_000 {
            continue;
        }
        let busy: BTreeSet<RoomId> = mine.iter().map(|(room, ..)| *room).collect();
        let free: Vec<RoomId> = edges
            .into_iter()
            .filter(|r| !busy.contains(r) && map.get(*r).status == RoomStatus::Normal)
            .collect();
        if let Some(room) = free.choose(&mut world.resource_mut::<WorldRng>().0) {
            wanted.push((*room, centre));
        }
    }
    if wanted.is_empty() {
        return Vec::new();
    }
    // One pass over the objects for every room a deposit may go to.
    let rooms: BTreeSet<RoomId> = wanted.iter().map(|(r, _)| *r).collect();
    let mut taken: std::collections::BTreeMap<RoomId, Vec<(u8, u8)>> = Default::default();
    let mut q = world.query::<&Position>();
    for p in q.iter(world) {
        if rooms.contains(&p.room) {
            taken.entry(p.room).or_default().push((p.x, p.y));
        }
    }
    let mut added = Vec::new();
    for (room, centre) in wanted {
        let near = taken.entry(room).or_default();
        if let Some((id, tile)) = place_deposit(world, room, centre, near) {
            near.push(tile);
            added.push(id);
        }
    }
    added
}

/// `genDeposits`' tile: a wall between 5 and 44 with an open tile beside it, no object within
/// 2 (`near` holds the room's objects), on the sector's side; up to 1 000 draws.
fn place_deposit(
    world: &mut World,
    room: RoomId,
    centre: RoomCoord,
    near: &[(u8, u8)],
) -> Option<(ObjectId, (u8, u8))> {
    let seed = world.resource::<RoomMap>().seed();
    let info = world.resource::<RoomMap>().get(room);
    let (coord, terrain) = (info.coord, info.terrain.clone());
    let any_wall = terrain.has_wall_by_open();
    let fits = |x: u8, y: u8| {
        let crowded = near
            .iter()
            .any(|(ox, oy)| ox.abs_diff(x) <= 2 && oy.abs_diff(y) <= 2);
        (!any_wall || terrain.is_wall_by_open(x, y))
            && !crowded
            && in_sector(centre, world_tile(coord, x, y))
    };
    let tile = (0..1000).find_map(|_| {
        let rng = &mut world.resource_mut::<WorldRng>().0;
        let (x, y) = (rng.gen_range(5u8..45), rng.gen_range(5u8..45));
        fits(x, y).then_some((x, y))
    })?;
    let deposit = Deposit {
        deposit_type: deposit_type_of(seed, coord),
        harvested: 0,
        decay_time: world.resource::<GameTime>().0 + u64::from(DEPOSIT_DECAY_TIME),
    };
    let id = spawn_object(
        world,
        Position::new(room, tile.0, tile.1),
        None,
        None,
        None,
        None,
        ObjectKind::Deposit(deposit),
    );
    Some((id, tile))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_integer_cooldown_is_screeps_floating_point_formula() {
        for h in (0..200_000u32)
            .step_by(7)
            .chain([1, 316, 317, 1000, 1_999_999])
        {
            let screeps = (0.001 * f64::from(h).powf(1.2)).ceil() as u32;
            assert_eq!(deposit_cooldown(h), screeps, "harvested {h}");
        }
    }

    #[test]
    fn throughput_is_twenty_over_the_exhaustion() {
        assert_eq!(throughput_millionths(0), 20_000_000);
        // h = 100 000: h^1.2 = 1 000 000, so 20 / 1000.
        assert_eq!(throughput_millionths(100_000), 20_000);
    }
}
