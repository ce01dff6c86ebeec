//! Host-side validation of every intent, in Screeps' check order, against the state at tick
//! start. JavaScript computes the same codes as a courtesy; these are the ones that count.

use std::collections::{BTreeMap, BTreeSet};

use bevy_ecs::prelude::*;

use super::{ObjectTable, TickInput, TickReport};
use crate::constants::*;
use crate::geometry::{Direction, Position, RoomId, ROOM_SIZE};
use crate::intent::Intent;
use crate::object::*;
use crate::terrain::Tile;
use crate::world_state::{Players, RoomMap};

/// Work-group actions, lowest precedence first: when a creep asks for several in one tick,
/// the one with the highest precedence runs (Screeps' simultaneous-action rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum WorkAction {
    RangedAttack(ObjectId),
    Harvest(ObjectId),
    Attack(ObjectId),
    Build(ObjectId),
    Repair(ObjectId),
    Heal(ObjectId),
}

impl WorkAction {
    fn rank(self) -> u8 {
        match self {
            WorkAction::RangedAttack(_) => 0,
            WorkAction::Harvest(_) => 1,
            WorkAction::Attack(_) => 2,
            WorkAction::Build(_) => 3,
            WorkAction::Repair(_) => 4,
            WorkAction::Heal(_) => 5,
        }
    }
}

/// A tower's one action per tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TowerAction {
    Attack(ObjectId),
    Heal(ObjectId),
    Repair(ObjectId),
}

/// Accepted intents, one per kind per object (a later intent of the same kind replaces an
/// earlier one, as in Screeps).
#[derive(Resource, Debug, Default)]
pub(crate) struct Accepted {
    pub moves: BTreeMap<ObjectId, Direction>,
    pub work: BTreeMap<ObjectId, WorkAction>,
    pub upgrades: BTreeMap<ObjectId, ObjectId>,
    pub claims: BTreeMap<ObjectId, ObjectId>,
    pub transfers: BTreeMap<ObjectId, (ObjectId, Option<u32>)>,
    pub withdraws: BTreeMap<ObjectId, (ObjectId, Option<u32>)>,
    pub pickups: BTreeMap<ObjectId, ObjectId>,
    pub drops: BTreeMap<ObjectId, Option<u32>>,
    pub says: BTreeMap<ObjectId, Saying>,
    pub suicides: BTreeSet<ObjectId>,
    pub towers: BTreeMap<ObjectId, TowerAction>,
    /// In validation order (player order, then submission order).
    pub spawns: Vec<(PlayerId, ObjectId, Vec<BodyPartKind>, String)>,
    pub sites: Vec<(PlayerId, Position, StructureKind)>,
}

/// Per-tick bookkeeping so that intents of one tick see each other where Screeps does.
#[derive(Default)]
struct Pending {
    names: BTreeSet<(PlayerId, String)>,
    busy_spawns: BTreeSet<ObjectId>,
    reserved_energy: BTreeMap<RoomId, u32>,
    sites: BTreeMap<PlayerId, usize>,
    site_tiles: BTreeSet<Position>,
    site_kinds: BTreeMap<(RoomId, StructureKind), usize>,
    claims: BTreeMap<PlayerId, usize>,
}

struct Validator<'a> {
    table: &'a ObjectTable,
    map: &'a RoomMap,
    pending: Pending,
    accepted: Accepted,
}

type Check<T> = Result<T, ReturnCode>;

fn creep(o: &ObjectRecord) -> Option<&Creep> {
    match &o.kind {
        ObjectKind::Creep(c) => Some(c),
        _ => None,
    }
}

impl<'a> Validator<'a> {
    /// Your creep, not spawning.
    fn own_creep(&self, player: PlayerId, id: ObjectId) -> Check<(&'a ObjectRecord, &'a Creep)> {
        let o = self.table.get(id).ok_or(ReturnCode::NotFound)?;
        let c = creep(o).ok_or(ReturnCode::InvalidArgs)?;
        if o.owner != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        if c.spawning {
            return Err(ReturnCode::Busy);
        }
        Ok((o, c))
    }

    /// Your creep with an active WORK part and energy (build, repair, upgrade share this).
    fn working_creep(&self, player: PlayerId, id: ObjectId) -> Check<&'a ObjectRecord> {
        let (o, c) = self.own_creep(player, id)?;
        if c.active(BodyPartKind::Work) == 0 {
            return Err(ReturnCode::NoBodypart);
        }
        if Self::energy(o) == 0 {
            return Err(ReturnCode::NotEnoughResources);
        }
        Ok(o)
    }

    fn target(&self, id: ObjectId) -> Check<&'a ObjectRecord> {
        self.table.get(id).ok_or(ReturnCode::InvalidTarget)
    }

    fn energy(o: &ObjectRecord) -> u32 {
        o.store.map_or(0, |s| s.energy)
    }

    fn controller_of(&self, room: RoomId) -> Option<(&'a ObjectRecord, &'a Controller)> {
        self.table.records.iter().find_map(|o| match &o.kind {
            ObjectKind::Controller(c) if o.pos.room == room => Some((o, c)),
            _ => None,
        })
    }

    /// Energy in a room's spawns and extensions owned by `player`.
    fn room_energy(&self, player: PlayerId, room: RoomId) -> u32 {
        self.table
            .records
            .iter()
            .filter(|o| o.pos.room == room && o.owner == Some(player))
            .filter(|o| {
                matches!(
                    o.kind,
                    ObjectKind::Spawn(_) | ObjectKind::Structure(StructureKind::Extension)
                )
            })
            .map(Self::energy)
            .sum()
    }

    fn can_receive_energy(o: &ObjectRecord) -> bool {
        match &o.kind {
            ObjectKind::Creep(c) => !c.spawning,
            ObjectKind::Spawn(_) => true,
            ObjectKind::Structure(k) => matches!(
                k,
                StructureKind::Extension
                    | StructureKind::Container
                    | StructureKind::Tower
                    | StructureKind::Storage
            ),
            _ => false,
        }
    }

    fn check(&mut self, player: PlayerId, intent: &Intent) -> ReturnCode {
        match self.check_inner(player, intent) {
            Ok(()) => ReturnCode::Ok,
            Err(code) => code,
        }
    }

    fn check_inner(&mut self, player: PlayerId, intent: &Intent) -> Check<()> {
        match intent {
            Intent::Move { creep, direction } => {
                let (_, c) = self.own_creep(player, *creep)?;
                if c.fatigue > 0 {
                    return Err(ReturnCode::Tired);
                }
                if c.active(BodyPartKind::Move) == 0 {
                    return Err(ReturnCode::NoBodypart);
                }
                let dir = Direction::from_number(*direction).ok_or(ReturnCode::InvalidArgs)?;
                self.accepted.moves.insert(*creep, dir);
            }
            Intent::Harvest { creep, target } => {
                let (o, c) = self.own_creep(player, *creep)?;
                if c.active(BodyPartKind::Work) == 0 {
                    return Err(ReturnCode::NoBodypart);
                }
                let t = self.target(*target)?;
                match &t.kind {
                    ObjectKind::Source(s) => {
                        if s.energy == 0 {
                            return Err(ReturnCode::NotEnoughResources);
                        }
                        if !t.pos.is_near_to(o.pos) {
                            return Err(ReturnCode::NotInRange);
                        }
                        if let Some((ctl, _)) = self.controller_of(o.pos.room) {
                            if ctl.owner.is_some_and(|p| p != player) {
                                return Err(ReturnCode::NotOwner);
                            }
                        }
                    }
                    ObjectKind::Mineral(m) => {
                        if m.amount == 0 {
                            return Err(ReturnCode::NotEnoughResources);
                        }
                        if !t.pos.is_near_to(o.pos) {
                            return Err(ReturnCode::NotInRange);
                        }
                        // No extractors in this world.
                        return Err(ReturnCode::NotFound);
                    }
                    _ => return Err(ReturnCode::InvalidTarget),
                }
                self.set_work(*creep, WorkAction::Harvest(*target));
            }
            Intent::Transfer {
                creep,
                target,
                amount,
            } => {
                let (o, _) = self.own_creep(player, *creep)?;
                let t = self.target(*target)?;
                if matches!(t.kind, ObjectKind::Controller(_)) {
                    // Screeps: transferring energy to a controller is upgradeController.
                    return self.check_inner(
                        player,
                        &Intent::UpgradeController {
                            creep: *creep,
                            target: *target,
                        },
                    );
                }
                if !Self::can_receive_energy(t) || t.id == o.id {
                    return Err(ReturnCode::InvalidTarget);
                }
                if !t.pos.is_near_to(o.pos) {
                    return Err(ReturnCode::NotInRange);
                }
                let have = Self::energy(o);
                if have == 0 {
                    return Err(ReturnCode::NotEnoughResources);
                }
                let (used, cap) = match &t.kind {
                    ObjectKind::Creep(c) => (Self::energy(t), c.carry_capacity()),
                    _ => (Self::energy(t), t.store.map_or(0, |s| s.capacity)),
                };
                if used >= cap {
                    return Err(ReturnCode::Full);
                }
                let amount = amount.filter(|a| *a > 0).unwrap_or(have.min(cap - used));
                if have < amount {
                    return Err(ReturnCode::NotEnoughResources);
                }
                if amount == 0 || used + amount > cap {
                    return Err(ReturnCode::Full);
                }
                self.accepted
                    .transfers
                    .insert(*creep, (*target, Some(amount)));
            }
            Intent::Withdraw {
                creep,
                target,
                amount,
            } => {
                let (o, c) = self.own_creep(player, *creep)?;
                let t = self.target(*target)?;
                let withdrawable = match &t.kind {
                    ObjectKind::Spawn(_) | ObjectKind::Tombstone(_) => true,
                    ObjectKind::Structure(k) => matches!(
                        k,
                        StructureKind::Extension
                            | StructureKind::Container
                            | StructureKind::Tower
                            | StructureKind::Storage
                    ),
                    _ => false,
                };
                if !withdrawable {
                    return Err(ReturnCode::InvalidTarget);
                }
                if !t.pos.is_near_to(o.pos) {
                    return Err(ReturnCode::NotInRange);
                }
                let free = c.carry_capacity().saturating_sub(Self::energy(o));
                if free == 0 {
                    return Err(ReturnCode::Full);
                }
                let available = Self::energy(t);
                let amount = amount.filter(|a| *a > 0).unwrap_or(available.min(free));
                if available == 0 || available < amount {
                    return Err(ReturnCode::NotEnoughResources);
                }
                if amount > free {
                    return Err(ReturnCode::Full);
                }
                self.accepted
                    .withdraws
                    .insert(*creep, (*target, Some(amount)));
            }
            Intent::Pickup { creep, target } => {
                let (o, c) = self.own_creep(player, *creep)?;
                let t = self.target(*target)?;
                if !matches!(t.kind, ObjectKind::Resource) {
                    return Err(ReturnCode::InvalidTarget);
                }
                if Self::energy(o) >= c.carry_capacity() {
                    return Err(ReturnCode::Full);
                }
                if !t.pos.is_near_to(o.pos) {
                    return Err(ReturnCode::NotInRange);
                }
                self.accepted.pickups.insert(*creep, *target);
            }
            Intent::Drop { creep, amount } => {
                let (o, _) = self.own_creep(player, *creep)?;
                let have = Self::energy(o);
                if have == 0 {
                    return Err(ReturnCode::NotEnoughResources);
                }
                let amount = amount.filter(|a| *a > 0).unwrap_or(have);
                if have < amount {
                    return Err(ReturnCode::NotEnoughResources);
                }
                self.accepted.drops.insert(*creep, Some(amount));
            }
            Intent::Build { creep, target } => {
                let o = self.working_creep(player, *creep)?;
                let t = self.target(*target)?;
                let ObjectKind::ConstructionSite(site) = &t.kind else {
                    return Err(ReturnCode::InvalidTarget);
                };
                if t.owner != Some(player) {
                    return Err(ReturnCode::InvalidTarget);
                }
                if !o.pos.in_range_to(t.pos, 3) {
                    return Err(ReturnCode::NotInRange);
                }
                if site.structure.is_obstacle() && self.table.obstacle_at(t.pos) {
                    return Err(ReturnCode::InvalidTarget);
                }
                self.set_work(*creep, WorkAction::Build(*target));
            }
            Intent::Repair { creep, target } => {
                let o = self.working_creep(player, *creep)?;
                let t = self.target(*target)?;
                let repairable = t
                    .kind
                    .structure()
                    .is_some_and(|k| k != StructureKind::Controller)
                    && t.hits.is_some();
                if !repairable {
                    return Err(ReturnCode::InvalidTarget);
                }
                if !o.pos.in_range_to(t.pos, 3) {
                    return Err(ReturnCode::NotInRange);
                }
                self.set_work(*creep, WorkAction::Repair(*target));
            }
            Intent::UpgradeController { creep, target } => {
                let o = self.working_creep(player, *creep)?;
                let t = self.target(*target)?;
                let ObjectKind::Controller(ctl) = &t.kind else {
                    return Err(ReturnCode::InvalidTarget);
                };
                if !t.pos.in_range_to(o.pos, 3) {
                    return Err(ReturnCode::NotInRange);
                }
                if t.owner != Some(player) {
                    return Err(ReturnCode::NotOwner);
                }
                if ctl.level == 0 {
                    return Err(ReturnCode::InvalidTarget);
                }
                self.accepted.upgrades.insert(*creep, *target);
            }
            Intent::Attack { creep, target } | Intent::RangedAttack { creep, target } => {
                let ranged = matches!(intent, Intent::RangedAttack { .. });
                let (o, c) = self.own_creep(player, *creep)?;
                let part = if ranged {
                    BodyPartKind::RangedAttack
                } else {
                    BodyPartKind::Attack
                };
                if c.active(part) == 0 {
                    return Err(ReturnCode::NoBodypart);
                }
                let t = self.target(*target)?;
                let attackable = match &t.kind {
                    ObjectKind::Creep(tc) => !tc.spawning,
                    ObjectKind::Spawn(_) | ObjectKind::Structure(_) => t.hits.is_some(),
                    _ => false,
                };
                if !attackable {
                    return Err(ReturnCode::InvalidTarget);
                }
                let range = if ranged { 3 } else { 1 };
                if !o.pos.in_range_to(t.pos, range) {
                    return Err(ReturnCode::NotInRange);
                }
                let action = if ranged {
                    WorkAction::RangedAttack(*target)
                } else {
                    WorkAction::Attack(*target)
                };
                self.set_work(*creep, action);
            }
            Intent::Heal { creep, target } => {
                let (o, c) = self.own_creep(player, *creep)?;
                if c.active(BodyPartKind::Heal) == 0 {
                    return Err(ReturnCode::NoBodypart);
                }
                let t = self.target(*target)?;
                if creep_of(t).is_none() {
                    return Err(ReturnCode::InvalidTarget);
                }
                if !t.pos.is_near_to(o.pos) {
                    return Err(ReturnCode::NotInRange);
                }
                self.set_work(*creep, WorkAction::Heal(*target));
            }
            Intent::ClaimController { creep, target } => {
                let (o, c) = self.own_creep(player, *creep)?;
                let owned = self
                    .table
                    .records
                    .iter()
                    .filter(|r| {
                        r.owner == Some(player) && matches!(r.kind, ObjectKind::Controller(_))
                    })
                    .count()
                    + self.pending.claims.get(&player).copied().unwrap_or(0);
                if owned >= GCL_ROOMS {
                    return Err(ReturnCode::GclNotEnough);
                }
                let t = self.target(*target)?;
                if t.kind.structure().is_none() {
                    return Err(ReturnCode::InvalidTarget);
                }
                if c.active(BodyPartKind::Claim) == 0 {
                    return Err(ReturnCode::NoBodypart);
                }
                if !t.pos.is_near_to(o.pos) {
                    return Err(ReturnCode::NotInRange);
                }
                let ObjectKind::Controller(ctl) = &t.kind else {
                    return Err(ReturnCode::InvalidTarget);
                };
                if ctl.level > 0 || t.owner.is_some() {
                    return Err(ReturnCode::InvalidTarget);
                }
                *self.pending.claims.entry(player).or_default() += 1;
                self.accepted.claims.insert(*creep, *target);
            }
            Intent::SpawnCreep { spawn, body, name } => {
                self.check_spawn(player, *spawn, body, name)?
            }
            Intent::CreateConstructionSite {
                room,
                x,
                y,
                structure,
            } => self.check_site(player, room, *x, *y, *structure)?,
            Intent::Say {
                creep,
                message,
                public,
            } => {
                self.own_creep(player, *creep)?;
                let message: String = message.chars().take(SAY_MAX_LENGTH).collect();
                self.accepted.says.insert(
                    *creep,
                    Saying {
                        message,
                        public: *public,
                    },
                );
            }
            Intent::Suicide { creep } => {
                self.own_creep(player, *creep)?;
                self.accepted.suicides.insert(*creep);
            }
            Intent::TowerAttack { tower, target }
            | Intent::TowerHeal { tower, target }
            | Intent::TowerRepair { tower, target } => {
                let o = self.table.get(*tower).ok_or(ReturnCode::NotFound)?;
                if !matches!(o.kind, ObjectKind::Structure(StructureKind::Tower)) {
                    return Err(ReturnCode::InvalidArgs);
                }
                if o.owner != Some(player) {
                    return Err(ReturnCode::NotOwner);
                }
                if Self::energy(o) < TOWER_ENERGY_COST {
                    return Err(ReturnCode::NotEnoughResources);
                }
                let t = self.target(*target)?;
                if t.pos.room != o.pos.room {
                    return Err(ReturnCode::InvalidTarget);
                }
                let action = match intent {
                    Intent::TowerAttack { .. } => {
                        if creep_of(t).is_none()
                            && !(t.kind.structure().is_some() && t.hits.is_some())
                        {
                            return Err(ReturnCode::InvalidTarget);
                        }
                        TowerAction::Attack(*target)
                    }
                    Intent::TowerHeal { .. } => {
                        if creep_of(t).is_none() {
                            return Err(ReturnCode::InvalidTarget);
                        }
                        TowerAction::Heal(*target)
                    }
                    _ => {
                        let ok = t
                            .kind
                            .structure()
                            .is_some_and(|k| k != StructureKind::Controller)
                            && t.hits.is_some();
                        if !ok {
                            return Err(ReturnCode::InvalidTarget);
                        }
                        TowerAction::Repair(*target)
                    }
                };
                let level = self.controller_of(o.pos.room).map_or(0, |(_, c)| c.level);
                if level < 3 {
                    return Err(ReturnCode::RclNotEnough);
                }
                self.accepted.towers.insert(*tower, action);
            }
        }
        Ok(())
    }

    fn set_work(&mut self, creep: ObjectId, action: WorkAction) {
        match self.accepted.work.get(&creep) {
            Some(existing) if existing.rank() > action.rank() => {}
            _ => {
                self.accepted.work.insert(creep, action);
            }
        }
    }

    /// Screeps' order: name, name taken, owner, busy, RCL, body, energy.
    fn check_spawn(
        &mut self,
        player: PlayerId,
        spawn: ObjectId,
        body: &[BodyPartKind],
        name: &str,
    ) -> Check<()> {
        let o = self.table.get(spawn).ok_or(ReturnCode::NotFound)?;
        let ObjectKind::Spawn(s) = &o.kind else {
            return Err(ReturnCode::InvalidArgs);
        };
        if name.is_empty() || name.len() > CREEP_NAME_MAX {
            return Err(ReturnCode::InvalidArgs);
        }
        let exists = self
            .table
            .records
            .iter()
            .any(|r| r.owner == Some(player) && creep_of(r).is_some_and(|c| c.name == name))
            || self.pending.names.contains(&(player, name.to_string()));
        if exists {
            return Err(ReturnCode::NameExists);
        }
        if o.owner != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        if s.spawning.is_some() || self.pending.busy_spawns.contains(&spawn) {
            return Err(ReturnCode::Busy);
        }
        let level = self
            .controller_of(o.pos.room)
            .filter(|(c, _)| c.owner == Some(player))
            .map_or(0, |(_, c)| c.level);
        if level == 0 {
            return Err(ReturnCode::RclNotEnough);
        }
        if body.is_empty() || body.len() > MAX_CREEP_SIZE {
            return Err(ReturnCode::InvalidArgs);
        }
        let cost: u32 = body.iter().map(|p| p.cost()).sum();
        let reserved = self
            .pending
            .reserved_energy
            .get(&o.pos.room)
            .copied()
            .unwrap_or(0);
        if self
            .room_energy(player, o.pos.room)
            .saturating_sub(reserved)
            < cost
        {
            return Err(ReturnCode::NotEnoughResources);
        }
        *self.pending.reserved_energy.entry(o.pos.room).or_default() += cost;
        self.pending.names.insert((player, name.to_string()));
        self.pending.busy_spawns.insert(spawn);
        self.accepted
            .spawns
            .push((player, spawn, body.to_vec(), name.to_string()));
        Ok(())
    }

    fn check_site(
        &mut self,
        player: PlayerId,
        room: &str,
        x: u8,
        y: u8,
        kind: StructureKind,
    ) -> Check<()> {
        let room = self.map.by_name(room).ok_or(ReturnCode::InvalidArgs)?;
        if x >= ROOM_SIZE || y >= ROOM_SIZE || kind.construction_cost().is_none() {
            return Err(ReturnCode::InvalidArgs);
        }
        if !self.table.visible_to(player, room) {
            return Err(ReturnCode::NotInRange);
        }
        let pos = Position::new(room, x, y);
        if pos.is_edge() {
            return Err(ReturnCode::InvalidTarget);
        }
        if self.map.tile(pos) == Tile::Wall && kind != StructureKind::Road {
            return Err(ReturnCode::InvalidTarget);
        }
        let clash = self.table.at(pos).any(|o| match &o.kind {
            ObjectKind::ConstructionSite(_) => true,
            k => {
                k.structure()
                    .is_some_and(|s| s == kind || (kind.is_obstacle() && s.is_obstacle()))
                    || (kind.is_obstacle()
                        && matches!(k, ObjectKind::Source(_) | ObjectKind::Mineral(_)))
            }
        }) || self.pending.site_tiles.contains(&pos);
        if clash {
            return Err(ReturnCode::InvalidTarget);
        }
        let controller = self.controller_of(room);
        if let Some((c, _)) = controller {
            if c.owner.is_some_and(|p| p != player) {
                return Err(ReturnCode::NotOwner);
            }
        }
        let existing_sites = self
            .table
            .records
            .iter()
            .filter(|o| {
                o.owner == Some(player) && matches!(o.kind, ObjectKind::ConstructionSite(_))
            })
            .count()
            + self.pending.sites.get(&player).copied().unwrap_or(0);
        if existing_sites >= MAX_CONSTRUCTION_SITES {
            return Err(ReturnCode::Full);
        }
        let level = controller
            .filter(|(c, _)| c.owner == Some(player))
            .map_or(0, |(_, c)| c.level);
        let count = self
            .table
            .records
            .iter()
            .filter(|o| o.pos.room == room)
            .filter(|o| match &o.kind {
                ObjectKind::ConstructionSite(s) => s.structure == kind,
                k => k.structure() == Some(kind),
            })
            .count()
            + self
                .pending
                .site_kinds
                .get(&(room, kind))
                .copied()
                .unwrap_or(0);
        if count >= kind.allowed_at(level) {
            return Err(ReturnCode::RclNotEnough);
        }
        *self.pending.sites.entry(player).or_default() += 1;
        *self.pending.site_kinds.entry((room, kind)).or_default() += 1;
        self.pending.site_tiles.insert(pos);
        self.accepted.sites.push((player, pos, kind));
        Ok(())
    }
}

pub(crate) fn creep_of(o: &ObjectRecord) -> Option<&Creep> {
    creep(o)
}

/// Validates the tick's intents; clears last tick's `say` bubbles first.
pub(crate) fn validate_intents(world: &mut World) {
    let mut sayers = world.query::<&mut ObjectKind>();
    for mut kind in sayers.iter_mut(world) {
        if let ObjectKind::Creep(c) = kind.as_mut() {
            if c.saying.is_some() {
                c.saying = None;
            }
        }
    }
    let table = ObjectTable::build(world);
    let input = world.remove_resource::<TickInput>().unwrap_or_default();
    let players: Vec<PlayerId> = world
        .resource::<Players>()
        .list
        .iter()
        .map(|p| p.id)
        .collect();
    let mut validator = Validator {
        table: &table,
        map: world.resource::<RoomMap>(),
        pending: Pending::default(),
        accepted: Accepted::default(),
    };
    let mut results = BTreeMap::new();
    for (player, intents) in &input.0.by_player {
        let codes: Vec<ReturnCode> = if players.contains(player) {
            intents
                .iter()
                .map(|i| validator.check(*player, i))
                .collect()
        } else {
            vec![ReturnCode::NotOwner; intents.len()]
        };
        results.insert(*player, codes);
    }
    let accepted = validator.accepted;
    world.insert_resource(accepted);
    world.insert_resource(TickInput(input.0));
    world.resource_mut::<TickReport>().results = results;
}
