//! The world's own creeps each tick (see `crate::npc`):
//! - [`plan_npc_actions`] (before validation) decides what every keeper and invader does,
//!   as their `pretick.js` scripts do, and queues the intents; validation checks them like a
//!   player's.
//! - [`keep_lairs_and_raids`] (upkeep) respawns keepers (`keeper-lairs/tick.js`) and sends
//!   raids where enough energy was harvested (the backend's `genInvaders`).
//!
//! Where Screeps paths with `moveTo`/`findClosestByPath`, these creeps step greedily: the
//! direction to the target, else the nearest turns of it, onto an open tile, never leaving
//! the room; "closest" is by range, ties broken by id. Random choices come from the world's
//! seeded RNG.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;
use rand::Rng;

use crate::constants::*;
use crate::geometry::{Direction, Position, RoomId, ROOM_SIZE};
use crate::intent::Intent;
use crate::npc::*;
use crate::object::*;
use crate::room_map::{RoomMap, RoomStatus};
use crate::state::{despawn_object, spawn_object, WorldRng};
use crate::terrain::Tile;

/// The intents the world's creeps asked for this tick, validated after the players'.
#[derive(Resource, Debug, Default)]
pub struct NpcIntents(pub Vec<(PlayerId, Intent)>);

/// Each room's raid threshold after its last raid (`rooms.invaderGoal`); absent: the default.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InvaderGoals(pub BTreeMap<RoomId, u32>);

/// What the planner knows of one object.
#[derive(Debug, Clone)]
struct Seen {
    id: ObjectId,
    pos: Position,
    owner: Option<PlayerId>,
    hits: u32,
    hits_max: u32,
    what: What,
}

#[derive(Debug, Clone, PartialEq)]
enum What {
    Creep {
        attack: u32,
        ranged: u32,
        heal: u32,
        work: u32,
        heal_parts: bool,
    },
    /// A source or a mineral.
    Resource,
    Spawn,
    /// Another structure: whether it blocks, and whether it is a private rampart.
    Structure {
        blocks: bool,
        rampart: bool,
    },
    Other,
}

impl Seen {
    fn is_creep(&self) -> bool {
        matches!(self.what, What::Creep { .. })
    }
}

/// The objects of the rooms holding the world's creeps, by room, sorted by id.
fn rooms_with_npcs(world: &mut World) -> BTreeMap<RoomId, Vec<Seen>> {
    let mut q = world.query::<(
        &ObjectId,
        &Position,
        &ObjectKind,
        Option<&Owner>,
        Option<&Hits>,
    )>();
    let npc_rooms: std::collections::BTreeSet<RoomId> = q
        .iter(world)
        .filter(|(_, _, k, o, _)| {
            matches!(k, ObjectKind::Creep(_)) && o.is_some_and(|o| is_npc(o.0))
        })
        .map(|(_, p, ..)| p.room)
        .collect();
    let mut all: BTreeMap<RoomId, Vec<Seen>> = BTreeMap::new();
    if npc_rooms.is_empty() {
        return all;
    }
    for (id, pos, kind, owner, hits) in q.iter(world) {
        if !npc_rooms.contains(&pos.room) {
            continue;
        }
        let (h, max) = hits.map_or((0, 0), |h| (h.hits, h.max));
        all.entry(pos.room).or_default().push(Seen {
            id: *id,
            pos: *pos,
            owner: owner.map(|o| o.0),
            hits: h,
            hits_max: max,
            what: what_of(kind),
        });
    }
    for objects in all.values_mut() {
        objects.sort_by_key(|o| o.id);
    }
    all
}

/// What the planner needs to know of an object's kind.
fn what_of(kind: &ObjectKind) -> What {
    match kind {
        ObjectKind::Creep(c) if !c.spawning => What::Creep {
            attack: c.active(BodyPartKind::Attack),
            ranged: c.active(BodyPartKind::RangedAttack),
            heal: c.active(BodyPartKind::Heal),
            work: c.active(BodyPartKind::Work),
            heal_parts: c.body.iter().any(|p| p.kind == BodyPartKind::Heal),
        },
        ObjectKind::Source(_) | ObjectKind::Mineral(_) => What::Resource,
        ObjectKind::Spawn(_) => What::Spawn,
        ObjectKind::Rampart(r) => What::Structure {
            blocks: !r.is_public,
            rampart: true,
        },
        k if k.is_obstacle() => What::Structure {
            blocks: true,
            rampart: false,
        },
        k if k.structure().is_some() => What::Structure {
            blocks: false,
            rampart: false,
        },
        _ => What::Other,
    }
}

/// Plans every keeper's and invader's actions for this tick.
pub(crate) fn plan_npc_actions(world: &mut World) {
    let rooms = rooms_with_npcs(world);
    let map = world.resource::<RoomMap>();
    let mut intents = Vec::new();
    for objects in rooms.values() {
        let room = Room { map, objects };
        for me in objects {
            match me.owner {
                Some(SOURCE_KEEPER) if me.is_creep() => room.keeper(me, &mut intents),
                Some(INVADER) if me.is_creep() => room.invader(me, &mut intents),
                _ => {}
            }
        }
    }
    world.resource_mut::<NpcIntents>().0 = intents;
}

/// One room as the planner sees it.
struct Room<'a> {
    map: &'a RoomMap,
    objects: &'a [Seen],
}

type Plan = Vec<(PlayerId, Intent)>;

impl Room<'_> {
    /// Creeps that are not the world's own (what keepers and invaders fight).
    fn hostiles(&self) -> impl Iterator<Item = &Seen> {
        self.objects
            .iter()
            .filter(|o| o.is_creep() && !o.owner.is_some_and(is_npc))
    }

    fn closest<'s>(&self, me: &Seen, among: impl Iterator<Item = &'s Seen>) -> Option<&'s Seen> {
        among.min_by_key(|o| (me.pos.range_to(o.pos), o.id))
    }

    fn lowest_hits<'s>(among: impl Iterator<Item = &'s Seen>) -> Option<&'s Seen> {
        among.min_by_key(|o| (o.hits, o.id))
    }

    /// Whether `who` may step onto `p`: inside the room (not on an exit), no wall, no creep,
    /// nothing that blocks (a rampart blocks everyone but its owner).
    fn open(&self, who: &Seen, p: Position) -> bool {
        if p.x == 0 || p.y == 0 || p.x >= ROOM_SIZE - 1 || p.y >= ROOM_SIZE - 1 {
            return false;
        }
        if self.map.get(p.room).terrain.get(p.x, p.y) == Tile::Wall {
            return false;
        }
        !self.objects.iter().any(|o| {
            o.pos == p
                && match o.what {
                    What::Creep { .. } => true,
                    What::Resource | What::Spawn => true,
                    What::Structure { blocks, rampart } => {
                        blocks && !(rampart && o.owner == who.owner)
                    }
                    What::Other => false,
                }
        })
    }

    /// A greedy step towards `to`: straight, else one or two turns off it.
    fn step_towards(&self, me: &Seen, to: Position) -> Option<Direction> {
        let straight = me.pos.direction_to(to)?;
        let n = straight as i32;
        [0, 1, -1, 2, -2]
            .iter()
            .filter_map(|turn| Direction::from_number(((n - 1 + turn).rem_euclid(8) + 1) as u8))
            .find(|d| me.pos.step(*d).is_some_and(|p| self.open(me, p)))
    }

    /// The step that leaves `me` farthest from `threats` (`fakeRuntime.flee`), if any gains.
    fn step_away(&self, me: &Seen, threats: &[&Seen]) -> Option<Direction> {
        let distance = |p: Position| threats.iter().map(|t| t.pos.range_to(p)).min();
        let now = distance(me.pos)?;
        Direction::ALL
            .iter()
            .filter_map(|d| Some((*d, me.pos.step(*d)?)))
            .filter(|(_, p)| self.open(me, *p))
            .map(|(d, p)| (distance(p).unwrap_or(0), d))
            .filter(|(far, _)| *far > now)
            .max_by_key(|(far, d)| (*far, std::cmp::Reverse(*d as u8)))
            .map(|(_, d)| d)
    }

    fn push_move(me: &Seen, direction: Option<Direction>, plan: &mut Plan) {
        if let Some(d) = direction {
            let intent = Intent::Move {
                creep: me.id,
                direction: d as u8,
            };
            plan.push((me.owner.unwrap_or(INVADER), intent));
        }
    }

    /// `creeps/keepers/pretick.js`: guard the nearest source or mineral (within 5), hit
    /// what comes near.
    fn keeper(&self, me: &Seen, plan: &mut Plan) {
        let guarded = self
            .objects
            .iter()
            .filter(|o| o.what == What::Resource && me.pos.range_to(o.pos) <= 5)
            .map(|o| o.pos)
            .next();
        if let Some(at) = guarded.filter(|at| me.pos.range_to(*at) > 1) {
            Self::push_move(me, self.step_towards(me, at), plan);
        }
        if let Some(t) = Self::lowest_hits(self.hostiles().filter(|o| me.pos.range_to(o.pos) <= 1))
        {
            plan.push((
                SOURCE_KEEPER,
                Intent::Attack {
                    creep: me.id,
                    target: t.id,
                },
            ));
        }
        let near: Vec<&Seen> = self
            .hostiles()
            .filter(|o| me.pos.range_to(o.pos) <= 3)
            .collect();
        if !near.is_empty() {
            let by_range = [10u32, 10, 4, 1];
            let mass: u32 = near
                .iter()
                .map(|o| by_range[me.pos.range_to(o.pos) as usize])
                .sum();
            let intent = if mass > 13 {
                Intent::RangedMassAttack { creep: me.id }
            } else {
                let t = Self::lowest_hits(near.iter().copied()).map_or(me.id, |t| t.id);
                Intent::RangedAttack {
                    creep: me.id,
                    target: t,
                }
            };
            plan.push((SOURCE_KEEPER, intent));
        }
    }

    /// `creeps/invaders/pretick.js`: a healer heals, the rest find and attack; every ranged
    /// invader shoots at will.
    fn invader(&self, me: &Seen, plan: &mut Plan) {
        let What::Creep {
            ranged, heal_parts, ..
        } = me.what
        else {
            return;
        };
        if heal_parts {
            self.healer(me, plan);
        } else {
            self.attacker(me, plan);
        }
        if ranged > 0 {
            let near = self.hostiles().filter(|o| me.pos.range_to(o.pos) <= 3);
            if let Some(t) = Self::lowest_hits(near) {
                plan.push((
                    INVADER,
                    Intent::RangedAttack {
                        creep: me.id,
                        target: t.id,
                    },
                ));
            }
        }
    }

    fn invaders(&self) -> impl Iterator<Item = &Seen> {
        self.objects
            .iter()
            .filter(|o| o.is_creep() && o.owner == Some(INVADER))
    }

    fn flee(&self, me: &Seen, range: u32, plan: &mut Plan) -> bool {
        let near: Vec<&Seen> = self
            .hostiles()
            .filter(|o| me.pos.range_to(o.pos) < range)
            .collect();
        if near.is_empty() {
            return false;
        }
        let away = self.step_away(me, &near);
        Self::push_move(me, away, plan);
        away.is_some()
    }

    /// `invaders/healer.js`.
    fn healer(&self, me: &Seen, plan: &mut Plan) {
        let hurt = |o: &&Seen| std::cmp::Reverse(o.hits_max.saturating_sub(o.hits));
        let mut near: Vec<&Seen> = self
            .invaders()
            .filter(|o| me.pos.range_to(o.pos) <= 3)
            .collect();
        near.sort_by_key(hurt);
        if let Some(t) = near.first() {
            let intent = if me.pos.range_to(t.pos) <= 1 {
                Intent::Heal {
                    creep: me.id,
                    target: t.id,
                }
            } else {
                Intent::RangedHeal {
                    creep: me.id,
                    target: t.id,
                }
            };
            plan.push((INVADER, intent));
        }
        let is_healer = |o: &&Seen| matches!(o.what, What::Creep { heal, .. } if heal > 0);
        if me.hits < me.hits_max / 2 {
            if !self.flee(me, 4, plan) {
                let others = self.invaders().filter(|o| o.id != me.id).filter(is_healer);
                if let Some(t) = self.closest(me, others) {
                    Self::push_move(me, self.step_towards(me, t.pos), plan);
                }
            }
            return;
        }
        let damaged = self.invaders().filter(|o| o.hits < o.hits_max);
        let mut target = self.closest(me, damaged);
        if target.is_none() {
            if self.flee(me, 4, plan) {
                return;
            }
            let fighters = self.invaders().filter(|o| o.id != me.id && !is_healer(o));
            target = self.closest(me, fighters);
        }
        match target {
            None => plan.push((INVADER, Intent::Suicide { creep: me.id })),
            Some(t) if t.id != me.id && me.pos.range_to(t.pos) > 1 => {
                Self::push_move(me, self.step_towards(me, t.pos), plan);
            }
            Some(_) => {}
        }
    }

    /// `invaders/findAttack.js`.
    fn attacker(&self, me: &Seen, plan: &mut Plan) {
        let What::Creep {
            attack,
            ranged,
            work,
            ..
        } = me.what
        else {
            return;
        };
        if attack == 0 && ranged > 0 && self.flee(me, 3, plan) {
            return;
        }
        if attack > 0 {
            let adjacent = self.hostiles().find(|o| me.pos.range_to(o.pos) <= 1);
            if let Some(t) = adjacent {
                plan.push((
                    INVADER,
                    Intent::Attack {
                        creep: me.id,
                        target: t.id,
                    },
                ));
            }
        }
        let target = self.closest(me, self.hostiles()).or_else(|| {
            let spawns = self.objects.iter().filter(|o| o.what == What::Spawn);
            self.closest(me, spawns)
        });
        let Some(target) = target else {
            let owned = self
                .objects
                .iter()
                .any(|o| o.what == What::Spawn || (o.owner.is_some() && !o.is_creep()));
            if owned {
                plan.push((INVADER, Intent::Suicide { creep: me.id }));
            }
            return;
        };
        if attack == 0 && me.pos.range_to(target.pos) <= 3 {
            return;
        }
        let step = self.step_towards(me, target.pos);
        Self::push_move(me, step, plan);
        if step.is_none() {
            self.break_through(me, target.pos, (attack, ranged, work), plan);
        }
    }

    /// When the way is shut: hit the player's structure standing in it (the path's next tile
    /// in `findAttack.js`).
    fn break_through(&self, me: &Seen, to: Position, parts: (u32, u32, u32), plan: &mut Plan) {
        let Some(next) = me.pos.direction_to(to).and_then(|d| me.pos.step(d)) else {
            return;
        };
        let wall = self.objects.iter().find(|o| {
            o.pos == next
                && o.owner.is_some_and(|p| !is_npc(p))
                && matches!(o.what, What::Structure { blocks: true, .. } | What::Spawn)
        });
        let Some(wall) = wall else {
            return;
        };
        let (attack, ranged, work) = parts;
        if ranged > 0 {
            plan.push((
                INVADER,
                Intent::RangedAttack {
                    creep: me.id,
                    target: wall.id,
                },
            ));
        }
        if work > 0 {
            plan.push((
                INVADER,
                Intent::Dismantle {
                    creep: me.id,
                    target: wall.id,
                },
            ));
        } else if attack > 0 {
            plan.push((
                INVADER,
                Intent::Attack {
                    creep: me.id,
                    target: wall.id,
                },
            ));
        }
    }
}

/// Upkeep for the world's creeps: keeper lairs, then raids.
pub(crate) fn keep_lairs_and_raids(world: &mut World) {
    keep_lairs(world);
    send_raids(world);
}

/// `keeper-lairs/tick.js`: a lair whose keeper is gone or below 5 000 hits starts a
/// 300-tick timer (shown as `ticksToSpawn`); when it runs out the old keeper is removed and
/// a fresh one stands on the lair. Runs before upkeep counts cooldowns down.
fn keep_lairs(world: &mut World) {
    let mut q = world.query::<(
        &ObjectId,
        &Position,
        &ObjectKind,
        Option<&Hits>,
        Option<&Owner>,
    )>();
    let mut lairs = Vec::new();
    let mut keepers: BTreeMap<String, (ObjectId, u32)> = BTreeMap::new();
    for (id, pos, kind, hits, owner) in q.iter(world) {
        match kind {
            ObjectKind::Structure(StructureKind::KeeperLair) => lairs.push((*id, *pos)),
            ObjectKind::Creep(c) if owner.map(|o| o.0) == Some(SOURCE_KEEPER) => {
                keepers.insert(c.name.clone(), (*id, hits.map_or(0, |h| h.hits)));
            }
            _ => {}
        }
    }
    lairs.sort_by_key(|(id, _)| *id);
    for (lair, pos) in lairs {
        let name = format!("Keeper{}", lair.to_js());
        let keeper = keepers.get(&name).copied();
        let Some(entity) = super::live::entity(world, lair) else {
            continue;
        };
        match world.get::<Cooldown>(entity).map(|c| c.ticks) {
            None => {
                if keeper.is_none_or(|(_, hits)| hits < KEEPER_HITS) {
                    world.entity_mut(entity).insert(Cooldown {
                        ticks: ENERGY_REGEN_TIME,
                    });
                }
            }
            Some(ticks) if ticks <= 1 => {
                world.entity_mut(entity).remove::<Cooldown>();
                if let Some((old, _)) = keeper {
                    despawn_object(world, old);
                }
                spawn_npc_creep(
                    world,
                    pos,
                    SOURCE_KEEPER,
                    name,
                    &keeper_body(),
                    KEEPER_LIFE,
                    None,
                );
            }
            Some(_) => {}
        }
    }
}

/// A keeper or an invader, with 100 hits a part.
pub(crate) fn spawn_npc_creep(
    world: &mut World,
    pos: Position,
    owner: PlayerId,
    name: String,
    body: &[BodyPartKind],
    life: u32,
    boost: Option<fn(BodyPartKind) -> Option<crate::resources::ResourceKind>>,
) -> ObjectId {
    let parts: Vec<BodyPart> = body
        .iter()
        .map(|k| BodyPart {
            boost: boost.and_then(|b| b(*k)),
            ..BodyPart::new(*k)
        })
        .collect();
    let hits = 100 * parts.len() as u32;
    let creep = Creep {
        name,
        body: parts,
        fatigue: 0,
        ticks_to_live: life,
        spawning: false,
        saying: None,
    };
    spawn_object(
        world,
        pos,
        Some(owner),
        Some(Hits { hits, max: hits }),
        Some(Store::empty(StoreLimit::Total(0))),
        None,
        ObjectKind::Creep(creep),
    )
}

/// The backend's `genInvaders`: a normal room whose sources gave its goal of energy since
/// the last raid, and holds no invader, is raided from one of its open sides (a side whose
/// neighbour nobody owns or reserves). Screeps' newer servers also require a stronghold in
/// the sector; strongholds are not modelled, so harvest alone decides, as before them.
fn send_raids(world: &mut World) {
    let mut q = world.query::<(&Position, &ObjectKind, Option<&Owner>)>();
    let mut harvested: BTreeMap<RoomId, u32> = BTreeMap::new();
    let mut raided = std::collections::BTreeSet::new();
    let mut levels: BTreeMap<RoomId, (u8, bool)> = BTreeMap::new();
    for (pos, kind, owner) in q.iter(world) {
        match kind {
            ObjectKind::Source(s) if s.invader_harvested > 0 => {
                *harvested.entry(pos.room).or_default() += s.invader_harvested;
            }
            ObjectKind::Creep(_) if owner.map(|o| o.0) == Some(INVADER) => {
                raided.insert(pos.room);
            }
            ObjectKind::Controller(c) => {
                let held = owner.is_some() || c.reservation.is_some();
                levels.insert(pos.room, (if owner.is_some() { c.level } else { 0 }, held));
            }
            _ => {}
        }
    }
    for (room, total) in harvested {
        let goal = world
            .resource::<InvaderGoals>()
            .0
            .get(&room)
            .copied()
            .filter(|g| *g > 0)
            .unwrap_or(INVADERS_ENERGY_GOAL);
        if raided.contains(&room) || (goal != 1 && total < goal) {
            continue;
        }
        let map = world.resource::<RoomMap>();
        if map.get(room).status != RoomStatus::Normal {
            continue;
        }
        let sides = open_sides(map, room, &levels);
        if sides.is_empty() {
            continue;
        }
        let level = levels.get(&room).map_or(0, |(l, _)| *l);
        raid(world, room, sides, level);
    }
}

/// Each side of `room` with open edge tiles and a neighbour nobody owns or reserves, with
/// those tiles.
fn open_sides(
    map: &RoomMap,
    room: RoomId,
    held: &BTreeMap<RoomId, (u8, bool)>,
) -> Vec<Vec<Position>> {
    let info = map.get(room);
    let last = ROOM_SIZE - 1;
    // In `neighbors` order: top, right, bottom, left.
    let sides: [fn(u8, u8) -> (u8, u8); 4] =
        [|i, _| (i, 0), |i, l| (l, i), |i, l| (i, l), |i, _| (0, i)];
    sides
        .iter()
        .zip(info.neighbors)
        .filter(|(_, n)| n.is_some_and(|n| !held.get(&n).is_some_and(|(_, h)| *h)))
        .map(|(at, _)| {
            (0..last)
                .map(|i| at(i, last))
                .filter(|(x, y)| info.terrain.get(*x, *y) != Tile::Wall)
                .map(|(x, y)| Position::new(room, x, y))
                .collect::<Vec<_>>()
        })
        .filter(|tiles| !tiles.is_empty())
        .collect()
}

/// `createRaid`: one invader, or 2 to 5 with healers and ranged ones, some boosted, on
/// neighbouring tiles of one side; then a new goal and the sources' count starts again.
fn raid(world: &mut World, room: RoomId, sides: Vec<Vec<Position>>, level: u8) {
    let big = level >= 4;
    let mut rng = world.resource::<WorldRng>().0.clone();
    let mut exits = sides[rng.gen_range(0..sides.len())].clone();
    let (mut count, mut boost_chance) = (1usize, 0.5f64);
    if rng.gen::<f64>() > 0.9 {
        let mut max = 2;
        boost_chance = if big { 0.0 } else { 0.5 };
        if rng.gen::<f64>() > 0.8 {
            max = match (big, level) {
                (false, _) => 5,
                (true, 0..=5) => 2,
                (true, 6) => 3,
                (true, 7) => {
                    boost_chance = 0.4;
                    3
                }
                (true, _) => {
                    boost_chance = 0.4;
                    5
                }
            };
        }
        count = (rng.gen_range(0..max - 1) + 2).min(exits.len());
    }
    let mut last: Option<Position> = None;
    for i in 0..count {
        let kind = match i {
            0 => InvaderKind::SmallMelee,
            _ if (i == 1 || (i == 2 && count == 5)) && rng.gen::<f64>() > 0.5 => {
                InvaderKind::SmallRanged
            }
            _ => InvaderKind::SmallHealer,
        };
        let kind = if big { kind.big() } else { kind };
        let at = match last {
            Some(l) => exits.iter().copied().min_by_key(|p| p.range_to(l)),
            None => Some(exits[rng.gen_range(0..exits.len())]),
        };
        let Some(at) = at else {
            break;
        };
        exits.retain(|p| *p != at);
        let boosted = rng.gen::<f64>() < boost_chance;
        let name = format!(
            "invader_{}_{}",
            world.resource::<RoomMap>().get(room).name,
            rng.gen_range(0..1000)
        );
        let boost = boosted.then_some(InvaderKind::boost_for as fn(_) -> _);
        spawn_npc_creep(world, at, INVADER, name, &kind.body(), INVADER_LIFE, boost);
        last = Some(at);
    }
    let mut goal = (f64::from(INVADERS_ENERGY_GOAL) * (rng.gen::<f64>() * 0.6 + 0.7)) as u32;
    if rng.gen::<f64>() < 0.1 {
        // `invaderGoal *= Math.floor(Math.random() > 0.5 ? 2 : 0.5)`: doubled, or 0, which
        // falls back to the default.
        goal *= if rng.gen::<f64>() > 0.5 { 2 } else { 0 };
    }
    world.resource_mut::<WorldRng>().0 = rng;
    world.resource_mut::<InvaderGoals>().0.insert(room, goal);
    let mut q = world.query::<(&Position, &mut ObjectKind)>();
    for (pos, mut kind) in q.iter_mut(world) {
        if pos.room == room && matches!(&*kind, ObjectKind::Source(_)) {
            if let ObjectKind::Source(s) = kind.as_mut() {
                s.invader_harvested = 0;
            }
        }
    }
}
