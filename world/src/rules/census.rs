//! What validation reads: one object's components through a read-only [`Query`], and the
//! counts Screeps' checks need (room energy, construction sites, controllers, creep names…)
//! gathered in one pass at the start of the phase instead of a scan per intent.
//!
//! Nothing here copies an object: a [`Census`] borrows names and entities from the query it
//! was built from, and lives for one run of the validate system.

use std::collections::BTreeSet;

use bevy_ecs::prelude::*;
use bevy_ecs::query::QueryData;

use crate::geometry::{Position, RoomId};
use crate::object::*;

/// The components validation reads of one object.
#[derive(QueryData)]
pub(crate) struct ObjectData {
    pub entity: Entity,
    pub id: &'static ObjectId,
    pub pos: &'static Position,
    pub owner: Option<&'static Owner>,
    pub kind: &'static ObjectKind,
    pub store: Option<&'static Store>,
    pub hits: Option<&'static Hits>,
    pub cooldown: Option<&'static Cooldown>,
}

/// A borrowed view of one object (the query item).
pub(crate) type Object<'w> = ObjectDataItem<'w>;

impl Object<'_> {
    pub fn owner(&self) -> Option<PlayerId> {
        self.owner.map(|o| o.0)
    }

    pub fn energy(&self) -> u32 {
        self.amount(ResourceKind::Energy)
    }

    pub fn amount(&self, resource: ResourceKind) -> u32 {
        self.store.map_or(0, |s| s.get(resource))
    }

    pub fn creep(&self) -> Option<&Creep> {
        match self.kind {
            ObjectKind::Creep(c) => Some(c),
            _ => None,
        }
    }
}

/// Counts over every object at the start of the tick, keyed so each check is one lookup.
/// Maps and sets the census only ever looks up, never iterates: their order cannot reach
/// the state, so hashing (cheaper than ordered trees at 100 000 objects a tick) is safe. The
/// keys are small integers (rooms, tiles, players): Fx hashing, not SipHash's flooding
/// resistance, which no key here needs.
type Lookup<K, V> = rustc_hash::FxHashMap<K, V>;
type LookupSet<K> = rustc_hash::FxHashSet<K>;

/// The objects on one tile: almost always one, so no list is allocated for it.
#[derive(Debug, Clone)]
pub(crate) enum TileObjects {
    One(Entity),
    Many(Vec<Entity>),
}

impl TileObjects {
    pub fn entities(&self) -> &[Entity] {
        match self {
            TileObjects::One(e) => std::slice::from_ref(e),
            TileObjects::Many(v) => v,
        }
    }

    fn push(&mut self, e: Entity) {
        match self {
            TileObjects::One(first) => *self = TileObjects::Many(vec![*first, e]),
            TileObjects::Many(v) => v.push(e),
        }
    }
}

/// Counts over every object at the start of the tick, keyed so each check is one lookup.
#[derive(Default)]
pub(crate) struct Census<'w> {
    /// Entities on each tile.
    pub by_tile: Lookup<Position, TileObjects>,
    /// The controller of each room that has one.
    pub controllers: Lookup<RoomId, Entity>,
    /// The terminal of each room that has one (a room holds one at most).
    pub terminals: Lookup<RoomId, Entity>,
    /// Controllers each player owns.
    pub owned_controllers: Lookup<PlayerId, usize>,
    /// Players with a controller in safe mode.
    pub in_safe_mode: LookupSet<PlayerId>,
    /// Construction sites each player has placed.
    pub sites_of: Lookup<PlayerId, usize>,
    /// Energy in each player's spawns and extensions, per room.
    pub room_energy: Lookup<(PlayerId, RoomId), u32>,
    /// Structures and construction sites of each kind, per room.
    pub structures: Lookup<(RoomId, StructureKind), usize>,
    /// Every creep name per owner.
    pub creep_names: LookupSet<(PlayerId, &'w str)>,
    /// Owners of creeps in each room (ranged over by room, so ordered).
    pub creep_owners: BTreeSet<(RoomId, PlayerId)>,
    /// Rooms where the player owns any object but a construction site (what the player sees
    /// and may build in).
    pub visible: LookupSet<(PlayerId, RoomId)>,
    /// Owned structures past their room's `CONTROLLER_STRUCTURES` limit (Screeps' "off"):
    /// see [`Census::mark_inactive`].
    pub inactive: LookupSet<ObjectId>,
    /// The spawns and extensions among them: their energy is not the room's to spend
    /// (`spawns/_charge-energy.js` skips `off` ones).
    pub off_energy_holders: Vec<ObjectId>,
}

impl<'w> Census<'w> {
    /// Whether a creep of another player is in `room`.
    pub fn hostile_creeps_in(&self, room: RoomId, player: PlayerId) -> bool {
        self.creep_owners
            .range((room, PlayerId(0))..=(room, PlayerId(u32::MAX)))
            .any(|(_, p)| *p != player)
    }

    /// One pass over every object, in storage order: every count is order-free (sums,
    /// sets, one controller and one terminal a room), and the switched-off structures are
    /// ranked by distance and id.
    pub fn take(objects: &'w Query<'_, '_, ObjectData>) -> Census<'w> {
        let objects_count = objects.iter().len();
        // Sized once from the object count (growing a table rehashes all of it).
        let hasher = std::hash::BuildHasherDefault::<rustc_hash::FxHasher>::default;
        let mut census = Census {
            by_tile: Lookup::with_capacity_and_hasher(objects_count, hasher()),
            creep_names: LookupSet::with_capacity_and_hasher(objects_count / 8, hasher()),
            visible: LookupSet::with_capacity_and_hasher(objects_count / 32, hasher()),
            structures: Lookup::with_capacity_and_hasher(objects_count / 16, hasher()),
            ..Census::default()
        };
        for o in objects.iter() {
            census.count(o.entity, o);
        }
        census.mark_inactive(objects);
        census.switch_off_energy(objects);
        census
    }

    /// Takes switched-off spawns' and extensions' energy out of their room's.
    fn switch_off_energy(&mut self, objects: &Query<'_, '_, ObjectData>) {
        if self.inactive.is_empty() {
            return;
        }
        for o in objects.iter() {
            let holder = matches!(
                o.kind,
                ObjectKind::Spawn(_) | ObjectKind::Structure(StructureKind::Extension)
            );
            if !holder || !self.inactive.contains(o.id) {
                continue;
            }
            if let Some(p) = o.owner() {
                if let Some(e) = self.room_energy.get_mut(&(p, o.pos.room)) {
                    *e = e.saturating_sub(o.energy());
                }
            }
            self.off_energy_holders.push(*o.id);
        }
        self.off_energy_holders.sort_unstable();
    }

    /// Screeps' `utils.checkStructureAgainstController`: an owned structure is on only in a
    /// room whose controller its owner holds at a level allowing that many; the ones nearest
    /// the controller stay on. Screeps breaks distance ties by its object order; this world by
    /// id, oldest first.
    fn mark_inactive(&mut self, objects: &Query<'_, '_, ObjectData>) {
        // Each group is settled on its own, so the order they are visited in is free.
        let mut groups: Lookup<(RoomId, PlayerId, StructureKind), Vec<(u32, ObjectId)>> =
            Lookup::default();
        // Each room's controller (owner, level, place), looked up on the first owned
        // structure of the room: a few rooms of a large map hold owned structures.
        let controllers = &self.controllers;
        let mut held_by: Lookup<RoomId, Option<(Option<PlayerId>, u8, Position)>> =
            Lookup::default();
        let mut controller_in = |room: RoomId| {
            *held_by.entry(room).or_insert_with(|| {
                let c = objects.get(*controllers.get(&room)?).ok()?;
                match c.kind {
                    ObjectKind::Controller(ctl) => Some((c.owner(), ctl.level, *c.pos)),
                    _ => None,
                }
            })
        };
        for o in objects.iter() {
            let (Some(kind), Some(owner)) = (o.kind.structure(), o.owner()) else {
                continue;
            };
            if kind == StructureKind::Controller {
                continue;
            }
            let room = o.pos.room;
            let held = controller_in(room)
                .filter(|(by, level, _)| *by == Some(owner) && *level > 0)
                .map(|(.., at)| at);
            match held {
                Some(at) => groups
                    .entry((room, owner, kind))
                    .or_default()
                    .push((o.pos.range_to(at), *o.id)),
                None => {
                    self.inactive.insert(*o.id);
                }
            }
        }
        for ((room, _, kind), mut members) in groups {
            let level = controller_in(room).map_or(0, |(_, level, _)| level);
            members.sort_unstable();
            let allowed = kind.allowed_at(level);
            self.inactive
                .extend(members.iter().skip(allowed).map(|(_, id)| *id));
        }
    }

    fn count(&mut self, entity: Entity, o: Object<'w>) {
        let room = o.pos.room;
        match self.by_tile.entry(*o.pos) {
            std::collections::hash_map::Entry::Occupied(mut here) => here.get_mut().push(entity),
            std::collections::hash_map::Entry::Vacant(free) => {
                free.insert(TileObjects::One(entity));
            }
        }
        let owner = o.owner();
        match o.kind {
            ObjectKind::Controller(c) => {
                self.controllers.insert(room, entity);
                if let Some(p) = owner {
                    *self.owned_controllers.entry(p).or_default() += 1;
                    if c.safe_mode > 0 {
                        self.in_safe_mode.insert(p);
                    }
                }
            }
            ObjectKind::ConstructionSite(site) => {
                if let Some(p) = owner {
                    *self.sites_of.entry(p).or_default() += 1;
                }
                *self.structures.entry((room, site.structure)).or_default() += 1;
            }
            ObjectKind::Structure(StructureKind::Terminal) => {
                self.terminals.insert(room, entity);
            }
            ObjectKind::Creep(c) => {
                if let Some(p) = owner {
                    self.creep_names.insert((p, c.name.as_str()));
                    self.creep_owners.insert((room, p));
                }
            }
            _ => {}
        }
        if let Some(kind) = o.kind.structure() {
            *self.structures.entry((room, kind)).or_default() += 1;
        }
        if let Some(p) = owner {
            if matches!(
                o.kind,
                ObjectKind::Spawn(_) | ObjectKind::Structure(StructureKind::Extension)
            ) {
                *self.room_energy.entry((p, room)).or_default() += o.energy();
            }
            if !matches!(o.kind, ObjectKind::ConstructionSite(_)) {
                self.visible.insert((p, room));
            }
        }
    }
}
