//! Spawning, construction sites and the energy economy.

use bevy_ecs::prelude::*;

use super::live;
use super::spawn_energy::EnergyHolders;
use super::validate::{runnable, Accepted, WorkKind};
use super::TickReport;
use crate::chemistry::BoostAction;
use crate::constants::*;
use crate::events::{EventKind, EventLog, ATTACK_DISMANTLE};
use crate::geometry::Position;
use crate::object::*;
use crate::room_map::RoomMap;
use crate::state::{despawn_object, spawn_object};
use crate::terrain::Tile;

/// Deducts spawn energy (spawns first, then extensions, each in id order), creates the creep
/// inside the spawn, and places construction sites.
pub(crate) fn apply_spawn_intents(world: &mut World) {
    let renews = std::mem::take(&mut world.resource_mut::<Accepted>().renews);
    let spawns = std::mem::take(&mut world.resource_mut::<Accepted>().spawns);
    let holders = if renews.is_empty() && spawns.is_empty() {
        EnergyHolders::none()
    } else {
        EnergyHolders::survey(world)
    };
    for (spawn, creep) in renews {
        renew_creep(world, &holders, spawn, creep);
    }
    for asked in spawns {
        let (player, spawn_id, body, name) = (asked.player, asked.spawn, asked.body, asked.name);
        let Some(spawn_pos) = live::pos(world, spawn_id) else {
            continue;
        };
        let cost: u32 = body.iter().map(|p| p.cost()).sum();
        let busy = matches!(live::kind(world, spawn_id), Some(ObjectKind::Spawn(s)) if s.spawning.is_some());
        let paid = match &asked.energy_from {
            Some(ids) => holders.charge_listed(world, spawn_pos, player, ids, cost),
            None => holders.charge(world, spawn_pos, player, cost),
        };
        if busy || !paid {
            continue;
        }
        let parts: Vec<BodyPart> = body
            .iter()
            .map(|k| BodyPart {
                kind: *k,
                hits: BODYPART_HITS,
                boost: None,
            })
            .collect();
        let hits = parts.len() as u32 * BODYPART_HITS;
        let life = if body.contains(&BodyPartKind::Claim) {
            CREEP_CLAIM_LIFE_TIME
        } else {
            CREEP_LIFE_TIME
        };
        let carry = parts
            .iter()
            .filter(|p| p.kind == BodyPartKind::Carry)
            .count() as u32
            * CARRY_CAPACITY;
        let creep_id = spawn_object(
            world,
            spawn_pos,
            Some(player),
            Some(Hits { hits, max: hits }),
            Some(Store::empty(StoreLimit::Total(carry))),
            None,
            ObjectKind::Creep(Creep {
                name: name.clone(),
                body: parts,
                fatigue: 0,
                ticks_to_live: life,
                spawning: true,
                saying: None,
            }),
        );
        let need = body.len() as u32 * CREEP_SPAWN_TIME;
        if let Some(mut k) = live::kind_mut(world, spawn_id) {
            if let ObjectKind::Spawn(s) = k.as_mut() {
                s.spawning = Some(Spawning {
                    creep: creep_id,
                    name,
                    need_time: need,
                    remaining_time: need,
                    directions: Vec::new(),
                });
            }
        }
        world
            .resource_mut::<TickReport>()
            .stats
            .entry(player)
            .or_default()
            .creeps_spawned += 1;
    }
    apply_spawning_changes(world);
    let sites = std::mem::take(&mut world.resource_mut::<Accepted>().sites);
    for (player, pos, kind) in sites {
        let tile = world.resource::<RoomMap>().tile(pos);
        let base = kind.construction_cost().unwrap_or(1);
        let total = match (kind, tile) {
            (StructureKind::Road, Tile::Swamp) => base * CONSTRUCTION_COST_ROAD_SWAMP_RATIO,
            (StructureKind::Road, Tile::Wall) => base * CONSTRUCTION_COST_ROAD_WALL_RATIO,
            _ => base,
        };
        spawn_object(
            world,
            pos,
            Some(player),
            None,
            None,
            None,
            ObjectKind::ConstructionSite(ConstructionSite {
                structure: kind,
                progress: 0,
                total,
            }),
        );
    }
}

/// Dropped-resource piles by tile and resource, so dropping merges without scanning the
/// world (`_create-energy.js`: one pile per resource per tile). The index is built on the
/// phase's first drop: most ticks most phases drop nothing.
#[derive(Default)]
pub(crate) struct Piles(Option<std::collections::BTreeMap<(Position, ResourceKind), ObjectId>>);

impl Piles {
    /// No index yet; it is taken from the world when something is first dropped.
    pub(crate) fn new() -> Piles {
        Piles(None)
    }

    /// Takes the index now: before a pickup empties a pile (an empty pile shows no resource,
    /// so an index taken after would not find it, and a drop there would make a second pile).
    pub(crate) fn prepare(&mut self, world: &mut World) {
        if self.0.is_none() {
            self.0 = Some(Piles::index(world));
        }
    }

    fn index(world: &mut World) -> std::collections::BTreeMap<(Position, ResourceKind), ObjectId> {
        let mut q = world.query::<(&ObjectId, &Position, &ObjectKind, &Store)>();
        q.iter(world)
            .filter(|(_, _, k, _)| matches!(k, ObjectKind::Resource))
            .filter_map(|(id, pos, _, s)| Some(((*pos, s.contents().first()?.0), *id)))
            .collect()
    }

    /// Puts `amount` of energy on the ground at `pos`, merging with a pile already there.
    pub(crate) fn drop_energy(&mut self, world: &mut World, pos: Position, amount: u32) {
        self.drop_resource(world, pos, ResourceKind::Energy, amount);
    }

    /// Puts `amount` of `resource` on the ground at `pos`, merging with its pile there.
    pub(crate) fn drop_resource(
        &mut self,
        world: &mut World,
        pos: Position,
        resource: ResourceKind,
        amount: u32,
    ) {
        if amount == 0 {
            return;
        }
        let piles = self.0.get_or_insert_with(|| Piles::index(world));
        if let Some(id) = piles.get(&(pos, resource)).copied() {
            if live::entity(world, id).is_some() {
                live::add(world, id, resource, amount);
                return;
            }
        }
        let id = spawn_object(
            world,
            pos,
            None,
            None,
            Some(Store::with(StoreLimit::Unlimited, resource, amount)),
            None,
            ObjectKind::Resource,
        );
        piles.insert((pos, resource), id);
    }
}

/// Energy holders of `player` in a room: spawns first, then extensions, each by id.
/// `Spawning.setDirections` (after this tick's spawning started, so `spawnCreep`'s
/// `directions` apply to its own creep) and `Spawning.cancel`.
fn apply_spawning_changes(world: &mut World) {
    let (directions, cancels) = {
        let mut a = world.resource_mut::<Accepted>();
        (
            std::mem::take(&mut a.spawn_directions),
            std::mem::take(&mut a.cancels),
        )
    };
    for (spawn, dirs) in directions {
        if let Some(mut k) = live::kind_mut(world, spawn) {
            if let ObjectKind::Spawn(StructureSpawn {
                spawning: Some(sp), ..
            }) = k.as_mut()
            {
                sp.directions = dirs;
            }
        }
    }
    // spawns/cancel-spawning.js: the creep inside is gone, its energy with it.
    for spawn in cancels {
        let inside = match live::kind_mut(world, spawn) {
            Some(mut k) => match k.as_mut() {
                ObjectKind::Spawn(s) => s.spawning.take().map(|sp| sp.creep),
                _ => None,
            },
            None => None,
        };
        if let Some(creep) = inside {
            despawn_object(world, creep);
        }
    }
}

/// screeps/engine `spawns/renew-creep.js`: `floor(600 / parts)` more ticks to live for
/// `ceil(1.2 × body cost / 3 / parts)` energy.
fn renew_creep(world: &mut World, holders: &EnergyHolders, spawn: ObjectId, creep: ObjectId) {
    let (Some(sp), Some(cp), Some(player), Some(c)) = (
        live::pos(world, spawn),
        live::pos(world, creep),
        live::owner(world, spawn),
        live::creep(world, creep),
    ) else {
        return;
    };
    let (gain, cost) = renewal(c);
    if !sp.is_near_to(cp) || c.ticks_to_live + gain > CREEP_LIFE_TIME {
        return;
    }
    if !holders.charge(world, sp, player, cost) {
        return;
    }
    if let Some(mut k) = live::kind_mut(world, creep) {
        if let ObjectKind::Creep(c) = k.as_mut() {
            c.ticks_to_live += gain;
        }
    }
}

/// What renewing `creep` once gives and costs.
pub(crate) fn renewal(creep: &Creep) -> (u32, u32) {
    let parts = creep.body.len().max(1) as u32;
    let body_cost: u32 = creep.body.iter().map(|p| p.kind.cost()).sum();
    let gain = 6 * CREEP_LIFE_TIME / (5 * CREEP_SPAWN_TIME * parts);
    let cost = (6 * body_cost).div_ceil(5 * CREEP_SPAWN_TIME * parts);
    (gain, cost)
}

fn controller_level(world: &mut World, room: crate::geometry::RoomId) -> u8 {
    let mut q = world.query::<(&Position, &ObjectKind)>();
    q.iter(world)
        .find_map(|(p, k)| match k {
            ObjectKind::Controller(c) if p.room == room => Some(c.level),
            _ => None,
        })
        .unwrap_or(0)
}

/// Finishes a construction site: the structure replaces it.
fn complete_site(
    world: &mut World,
    site: ObjectId,
    owner: Option<PlayerId>,
    pos: Position,
    kind: StructureKind,
) {
    despawn_object(world, site);
    let tile = world.resource::<RoomMap>().tile(pos);
    let mut hits = kind.initial_hits();
    if kind == StructureKind::Road {
        let ratio = match tile {
            Tile::Swamp => CONSTRUCTION_COST_ROAD_SWAMP_RATIO,
            Tile::Wall => CONSTRUCTION_COST_ROAD_WALL_RATIO,
            Tile::Plain => 1,
        };
        hits = Hits {
            hits: ROAD_HITS * ratio,
            max: ROAD_HITS * ratio,
        };
    }
    let level = controller_level(world, pos.room);
    let (store, decay) = match kind {
        StructureKind::Extension => (
            Some(Store::energy_only(
                0,
                EXTENSION_ENERGY_CAPACITY[level as usize],
            )),
            None,
        ),
        StructureKind::Tower => (Some(Store::energy_only(0, TOWER_CAPACITY)), None),
        StructureKind::Storage => (
            Some(Store::empty(StoreLimit::Total(STORAGE_CAPACITY))),
            None,
        ),
        StructureKind::Link => (Some(Store::energy_only(0, LINK_CAPACITY)), None),
        StructureKind::Lab => (Some(Store::empty(StoreLimit::Lab)), None),
        StructureKind::Terminal => (
            Some(Store::empty(StoreLimit::Total(TERMINAL_CAPACITY))),
            None,
        ),
        StructureKind::Factory => (
            Some(Store::empty(StoreLimit::Total(FACTORY_CAPACITY))),
            None,
        ),
        StructureKind::PowerSpawn => (Some(Store::empty(StoreLimit::PowerSpawn)), None),
        StructureKind::Nuker => (Some(Store::empty(StoreLimit::Nuker)), None),
        StructureKind::Container => (
            Some(Store::empty(StoreLimit::Total(CONTAINER_CAPACITY))),
            Some(Decay {
                ticks: CONTAINER_DECAY_TIME,
            }),
        ),
        StructureKind::Road => (
            None,
            Some(Decay {
                ticks: ROAD_DECAY_TIME,
            }),
        ),
        StructureKind::Rampart => {
            hits.max = RAMPART_HITS_MAX[level as usize];
            (
                None,
                Some(Decay {
                    ticks: RAMPART_DECAY_TIME,
                }),
            )
        }
        _ => (None, None),
    };
    let owner = match kind {
        StructureKind::Road | StructureKind::ConstructedWall | StructureKind::Container => None,
        _ => owner,
    };
    let object = if kind == StructureKind::Spawn {
        let mut spawns = world.query::<(Option<&Owner>, &ObjectKind)>();
        let taken: Vec<String> = spawns
            .iter(world)
            .filter(|(o, _)| o.map(|o| o.0) == owner)
            .filter_map(|(_, k)| match k {
                ObjectKind::Spawn(s) => Some(s.name.clone()),
                _ => None,
            })
            .collect();
        let name = (1..)
            .map(|n| format!("Spawn{n}"))
            .find(|n| !taken.contains(n))
            .unwrap_or_default();
        ObjectKind::Spawn(StructureSpawn {
            name,
            spawning: None,
        })
    } else if kind == StructureKind::Rampart {
        ObjectKind::Rampart(Rampart { is_public: false })
    } else {
        ObjectKind::Structure(kind)
    };
    let store = if kind == StructureKind::Spawn {
        Some(Store::energy_only(0, SPAWN_ENERGY_CAPACITY))
    } else {
        store
    };
    spawn_object(world, pos, owner, Some(hits), store, decay, object);
}

/// Applies economy intents: drops, pickups, withdrawals and transfers (each kind in creep-id
/// order), then harvest, build and repair (the creep's work action), then upgrades and claims.
/// Amounts are re-clamped to the live state, so earlier intents can shrink later ones.
pub(crate) fn apply_economy_intents(world: &mut World) {
    let accepted = std::mem::take(&mut *world.resource_mut::<Accepted>());
    let mut piles = Piles::new();
    apply_resource_moves(world, &accepted, &mut piles);
    for site in &accepted.removed_sites {
        let (Some(pos), Some(ObjectKind::ConstructionSite(s))) =
            (live::pos(world, *site), live::kind(world, *site))
        else {
            continue;
        };
        let refund = if s.progress > 1 { s.progress / 2 } else { 0 };
        despawn_object(world, *site);
        piles.drop_energy(world, pos, refund);
    }
    for structure in &accepted.destroys {
        let (Some(pos), Some(kind), Some(hits)) = (
            live::pos(world, *structure),
            live::kind(world, *structure).and_then(ObjectKind::structure),
            live::hits(world, *structure),
        ) else {
            continue;
        };
        let ruin = Ruin {
            structure: *structure,
            structure_kind: kind,
            structure_owner: live::owner(world, *structure),
            hits_max: hits.max,
            destroy_time: world.resource::<crate::state::GameTime>().0,
            ticks_to_decay: RUIN_DECAY,
        };
        let contents = live::store(world, *structure).map_or(Vec::new(), |s| s.contents().to_vec());
        super::cleanup::destroy_structure(world, pos, ruin, contents);
    }
    for (rampart, is_public) in &accepted.publics {
        if let Some(mut k) = live::kind_mut(world, *rampart) {
            if let ObjectKind::Rampart(r) = k.as_mut() {
                r.is_public = *is_public;
            }
        }
    }
    for (link, (target, amount)) in &accepted.links {
        transfer_link_energy(world, *link, *target, *amount);
    }
    super::labs::apply_lab_intents(world, &accepted.labs, &mut piles);
    super::labs::apply_produce(world, &accepted.produces);
    super::labs::apply_process_power(world, &accepted.power);
    super::nukes::launch_nukes(world, &accepted.launches);
    for (creep, asked) in &accepted.work {
        for action in runnable(asked) {
            match action.kind {
                WorkKind::Harvest => harvest(world, &mut piles, *creep, action.target),
                WorkKind::Build => build(world, *creep, action.target),
                WorkKind::Repair => repair(world, *creep, action.target),
                WorkKind::Dismantle => dismantle(world, &mut piles, *creep, action.target),
                // Combat actions are applied in the combat phase, controller ones below.
                _ => {}
            }
        }
    }
    super::controllers::apply_controller_intents(world, &accepted);
    super::terminals::apply_terminal_sends(world, &accepted.sends);
    super::trading::apply_market(world, &accepted.market);
    for (observer, room) in &accepted.observations {
        if let Some(owner) = live::owner(world, *observer) {
            let mut seen = world.resource_mut::<crate::state::Observations>();
            seen.0.entry(owner).or_default().insert(*room);
        }
    }
    // Hand the rest (moves, combat, says, suicides, towers) to the later phases.
    let mut rest = world.resource_mut::<Accepted>();
    rest.moves = accepted.moves;
    rest.moves_to = accepted.moves_to;
    rest.pulls = accepted.pulls;
    rest.work = accepted.work;
    rest.says = accepted.says;
    rest.notify = accepted.notify;
    rest.suicides = accepted.suicides;
    rest.recycles = accepted.recycles;
    rest.towers = accepted.towers;
}

fn harvest(world: &mut World, piles: &mut Piles, creep: ObjectId, target: ObjectId) {
    let (Some(cp), Some(tp), Some(c)) = (
        live::pos(world, creep),
        live::pos(world, target),
        live::creep(world, creep),
    ) else {
        return;
    };
    if !cp.is_near_to(tp) {
        return;
    }
    match live::kind(world, target) {
        Some(ObjectKind::Mineral(_)) => {
            super::minerals::harvest_mineral(world, piles, creep, target);
            return;
        }
        Some(ObjectKind::Deposit(_)) => {
            super::deposits::harvest_deposit(world, piles, creep, target);
            return;
        }
        _ => {}
    }
    let power = c.power(BodyPartKind::Work, BoostAction::Harvest, HARVEST_POWER);
    let owner = live::owner(world, creep);
    let mut got = 0;
    if let Some(mut k) = live::kind_mut(world, target) {
        if let ObjectKind::Source(s) = k.as_mut() {
            got = power.min(s.energy);
            s.energy -= got;
            // harvest.js: what invaders count towards a raid.
            s.invader_harvested = s.invader_harvested.saturating_add(got);
            if s.ticks_to_regeneration.is_none() {
                s.ticks_to_regeneration = Some(ENERGY_REGEN_TIME);
            }
        }
    }
    if got == 0 {
        return;
    }
    let kind = EventKind::Harvest {
        target,
        amount: got,
    };
    world.resource_mut::<EventLog>().push(cp.room, creep, kind);
    let keep = got.min(live::free_for(world, creep, ResourceKind::Energy));
    live::add(world, creep, ResourceKind::Energy, keep);
    piles.drop_energy(world, cp, got - keep);
    if let Some(p) = owner {
        world
            .resource_mut::<TickReport>()
            .stats
            .entry(p)
            .or_default()
            .energy_harvested += got;
    }
}

/// screeps/engine `creeps/build.js`: the WORK parts' power, paid in energy, plus what their
/// boosts add for free.
fn build(world: &mut World, creep: ObjectId, target: ObjectId) {
    let (Some(cp), Some(tp), Some(c), Some(ObjectKind::ConstructionSite(site))) = (
        live::pos(world, creep),
        live::pos(world, target),
        live::creep(world, creep),
        live::kind(world, target),
    ) else {
        return;
    };
    if !cp.in_range_to(tp, 3) {
        return;
    }
    let remaining = site.total - site.progress;
    let energy = live::amount(world, creep, ResourceKind::Energy);
    let used = (c.active(BodyPartKind::Work) * BUILD_POWER)
        .min(remaining)
        .min(energy);
    let progress = c
        .boosted_effect(BoostAction::Build, BUILD_POWER, used)
        .min(remaining);
    let owner = live::owner(world, target);
    let mut finished = None;
    if let Some(mut k) = live::kind_mut(world, target) {
        if let ObjectKind::ConstructionSite(site) = k.as_mut() {
            site.progress += progress;
            if site.progress >= site.total {
                finished = Some(site.structure);
            }
        }
    }
    live::take(world, creep, ResourceKind::Energy, used);
    if used > 0 {
        let kind = EventKind::Build {
            target,
            amount: progress,
            energy_spent: used,
        };
        world.resource_mut::<EventLog>().push(cp.room, creep, kind);
    }
    if let Some(kind) = finished {
        complete_site(world, target, owner, tp, kind);
    }
}

/// screeps/engine `creeps/repair.js`: 100 hits per WORK part for one energy each hundred,
/// plus what boosts add for free.
fn repair(world: &mut World, creep: ObjectId, target: ObjectId) {
    let (Some(cp), Some(tp), Some(c), Some(h)) = (
        live::pos(world, creep),
        live::pos(world, target),
        live::creep(world, creep),
        live::hits(world, target),
    ) else {
        return;
    };
    if !cp.in_range_to(tp, 3) || h.hits >= h.max {
        return;
    }
    let energy = live::amount(world, creep, ResourceKind::Energy);
    let work = c.active(BodyPartKind::Work);
    let effect = (work * REPAIR_POWER)
        .min(h.max - h.hits)
        .min(energy * REPAIR_HITS_PER_ENERGY);
    let cost = effect.div_ceil(REPAIR_HITS_PER_ENERGY);
    let hits = c
        .boosted_effect(BoostAction::Repair, REPAIR_POWER, effect)
        .min(h.max - h.hits);
    if hits == 0 {
        return;
    }
    live::take(world, creep, ResourceKind::Energy, cost);
    live::set_hits(world, target, h.hits + hits);
    let kind = EventKind::Repair {
        target,
        amount: hits,
        energy_spent: cost,
    };
    world.resource_mut::<EventLog>().push(cp.room, creep, kind);
}

/// screeps/engine `processor/intents/links/transfer.js`: the target gets what fits, less 3 %
/// (rounded up); the sender cools down one tick per tile of distance.
fn transfer_link_energy(world: &mut World, link: ObjectId, target: ObjectId, amount: u32) {
    let (Some(lp), Some(tp)) = (live::pos(world, link), live::pos(world, target)) else {
        return;
    };
    let energy = ResourceKind::Energy;
    let free = live::free_for(world, target, energy);
    let cooling = live::entity(world, link)
        .and_then(|e| world.get::<Cooldown>(e))
        .is_some_and(|c| c.ticks > 0);
    if cooling || live::amount(world, link, energy) < amount || free == 0 {
        return;
    }
    let amount = amount.min(free);
    let lost = (amount * LINK_LOSS_PERCENT).div_ceil(100);
    live::take(world, link, energy, amount);
    live::add(world, target, energy, amount - lost);
    let kind = EventKind::Transfer {
        target,
        resource: energy,
        amount,
    };
    world.resource_mut::<EventLog>().push(lp.room, link, kind);
    if let Some(e) = live::entity(world, link) {
        world.entity_mut(e).insert(Cooldown {
            ticks: LINK_COOLDOWN * lp.range_to(tp),
        });
    }
}

/// screeps/engine `creeps/dismantle.js`: 50 hits per WORK part off the structure (or the
/// rampart over it), a two-hundredth of them back as energy; what does not fit is dropped.
fn dismantle(world: &mut World, piles: &mut Piles, creep: ObjectId, target: ObjectId) {
    let (Some(cp), Some(tp), Some(c)) = (
        live::pos(world, creep),
        live::pos(world, target),
        live::creep(world, creep),
    ) else {
        return;
    };
    if !cp.is_near_to(tp) {
        return;
    }
    let power = c.power(BodyPartKind::Work, BoostAction::Dismantle, DISMANTLE_POWER);
    let mut ramparts = world.query::<(&ObjectId, &Position, &ObjectKind)>();
    let shield = ramparts
        .iter(world)
        .find(|(_, p, k)| **p == tp && matches!(k, ObjectKind::Rampart(_)))
        .map(|(id, ..)| *id);
    let hit = shield.unwrap_or(target);
    let Some(h) = live::hits(world, hit) else {
        return;
    };
    let amount = power.min(h.hits);
    if amount == 0 {
        return;
    }
    live::set_hits(world, hit, h.hits - amount);
    let kind = EventKind::Attack {
        target: hit,
        damage: amount,
        attack_type: ATTACK_DISMANTLE,
    };
    world.resource_mut::<EventLog>().push(cp.room, creep, kind);
    let gain = amount / DISMANTLE_HITS_PER_ENERGY;
    let keep = gain.min(live::free_for(world, creep, ResourceKind::Energy));
    live::add(world, creep, ResourceKind::Energy, keep);
    piles.drop_energy(world, cp, gain - keep);
}

/// Drops, pickups, withdrawals and transfers, each kind in creep-id order
/// (`processor/intents/creeps/{drop,pickup,withdraw,transfer}.js`): amounts are re-clamped to
/// what the live stores hold and have room for, so earlier moves can shrink later ones.
fn apply_resource_moves(world: &mut World, accepted: &Accepted, piles: &mut Piles) {
    for (creep, (resource, amount)) in &accepted.drops {
        let Some(pos) = live::pos(world, *creep) else {
            continue;
        };
        let dropped = live::take(world, *creep, *resource, *amount);
        piles.drop_resource(world, pos, *resource, dropped);
    }
    if !accepted.pickups.is_empty() {
        piles.prepare(world);
    }
    for (creep, target) in &accepted.pickups {
        let (Some(cp), Some(tp)) = (live::pos(world, *creep), live::pos(world, *target)) else {
            continue;
        };
        let Some(resource) =
            live::store(world, *target).and_then(|s| Some(s.contents().first()?.0))
        else {
            continue;
        };
        if cp.is_near_to(tp) {
            let a =
                live::amount(world, *target, resource).min(live::free_for(world, *creep, resource));
            live::move_resource(world, *target, *creep, resource, a);
        }
    }
    for (creep, (target, resource, amount)) in &accepted.withdraws {
        let (Some(cp), Some(tp)) = (live::pos(world, *creep), live::pos(world, *target)) else {
            continue;
        };
        if cp.is_near_to(tp) {
            let a = (*amount)
                .min(live::amount(world, *target, *resource))
                .min(live::free_for(world, *creep, *resource));
            live::move_resource(world, *target, *creep, *resource, a);
            if a > 0 {
                let kind = EventKind::Transfer {
                    target: *creep,
                    resource: *resource,
                    amount: a,
                };
                world
                    .resource_mut::<EventLog>()
                    .push(cp.room, *target, kind);
            }
        }
    }
    for (creep, (target, resource, amount)) in &accepted.transfers {
        let (Some(cp), Some(tp)) = (live::pos(world, *creep), live::pos(world, *target)) else {
            continue;
        };
        if cp.is_near_to(tp) {
            let a = (*amount)
                .min(live::amount(world, *creep, *resource))
                .min(live::free_for(world, *target, *resource));
            live::move_resource(world, *creep, *target, *resource, a);
            if a > 0 {
                let kind = EventKind::Transfer {
                    target: *target,
                    resource: *resource,
                    amount: a,
                };
                world.resource_mut::<EventLog>().push(cp.room, *creep, kind);
            }
        }
    }
}
