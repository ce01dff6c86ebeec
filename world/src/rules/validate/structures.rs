//! Checks for spawning, placing construction sites and tower actions. These spend shared
//! things (room energy, names, site slots), so they also book what they spend in `Pending`.

use super::creep_actions::is_repairable;
use super::{Check, TowerAction, Validator};
use crate::constants::*;
use crate::geometry::{Direction, Position, ROOM_SIZE};
use crate::object::*;
use crate::terrain::Tile;

impl Validator<'_, '_, '_> {
    /// The player's spawn and extension energy in `room` not yet promised this tick.
    fn room_energy_left(&self, player: PlayerId, room: crate::geometry::RoomId) -> u32 {
        let reserved = self.pending.reserved_energy.get(&room).copied();
        let energy = self.census.room_energy.get(&(player, room)).copied();
        energy.unwrap_or(0).saturating_sub(reserved.unwrap_or(0))
    }

    /// Screeps' order: name, name taken, owner, busy, RCL, body, energy.
    pub(super) fn check_spawn(
        &mut self,
        player: PlayerId,
        spawn: ObjectId,
        body: &[BodyPartKind],
        name: &str,
        energy_from: Option<&[ObjectId]>,
    ) -> Check<()> {
        let o = self.get(spawn).ok_or(ReturnCode::NotFound)?;
        let ObjectKind::Spawn(s) = o.kind else {
            return Err(ReturnCode::InvalidArgs);
        };
        if name.is_empty() || name.len() > CREEP_NAME_MAX {
            return Err(ReturnCode::InvalidArgs);
        }
        let exists = self.census.creep_names.contains(&(player, name))
            || self.pending.names.contains(&(player, name.to_string()));
        if exists {
            return Err(ReturnCode::NameExists);
        }
        if o.owner() != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        if s.spawning.is_some() || self.pending.busy_spawns.contains(&spawn) {
            return Err(ReturnCode::Busy);
        }
        let room = o.pos.room;
        if self.own_level(player, room) == 0 || self.census.inactive.contains(&spawn) {
            return Err(ReturnCode::RclNotEnough);
        }
        if body.is_empty() || body.len() > MAX_CREEP_SIZE {
            return Err(ReturnCode::InvalidArgs);
        }
        let cost: u32 = body.iter().map(|p| p.cost()).sum();
        let available = match energy_from {
            Some(ids) => self.listed_energy(player, room, ids),
            None => self.room_energy_left(player, room),
        };
        if available < cost {
            return Err(ReturnCode::NotEnoughResources);
        }
        *self.pending.reserved_energy.entry(room).or_default() += cost;
        self.pending.names.insert((player, name.to_string()));
        self.pending.busy_spawns.insert(spawn);
        self.accepted.spawns.push(super::AcceptedSpawn {
            player,
            spawn,
            body: body.to_vec(),
            name: name.to_string(),
            energy_from: energy_from.map(<[ObjectId]>::to_vec),
        });
        Ok(())
    }

    /// `calcEnergyAvailable` over `energyStructures`: the player's spawns and extensions
    /// among them in the room, switched on, each counted once.
    fn listed_energy(
        &self,
        player: PlayerId,
        room: crate::geometry::RoomId,
        ids: &[ObjectId],
    ) -> u32 {
        let mut seen = std::collections::BTreeSet::new();
        ids.iter()
            .filter(|id| seen.insert(**id))
            .filter_map(|id| self.get(*id))
            .filter(|o| {
                o.owner() == Some(player)
                    && o.pos.room == room
                    && !self.census.inactive.contains(o.id)
                    && matches!(
                        o.kind,
                        ObjectKind::Spawn(_) | ObjectKind::Structure(StructureKind::Extension)
                    )
            })
            .map(|o| o.energy())
            .sum()
    }

    /// `Room.createConstructionSite`: position, visibility, terrain, what stands there,
    /// controller owner, the player's site limit, then the RCL's structure limit.
    pub(super) fn check_site(
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
        if !self.census.visible.contains(&(player, room)) {
            return Err(ReturnCode::NotInRange);
        }
        let pos = Position::new(room, x, y);
        if pos.is_edge() {
            return Err(ReturnCode::InvalidTarget);
        }
        if !self.site_fits(pos, kind) {
            return Err(ReturnCode::InvalidTarget);
        }
        if let Some((c, _)) = self.controller_of(room) {
            if c.owner().is_some_and(|p| p != player) {
                return Err(ReturnCode::NotOwner);
            }
        }
        let existing_sites = self.census.sites_of.get(&player).copied().unwrap_or(0)
            + self.pending.sites.get(&player).copied().unwrap_or(0);
        if existing_sites >= MAX_CONSTRUCTION_SITES {
            return Err(ReturnCode::Full);
        }
        let level = self.own_level(player, room);
        let count = self
            .census
            .structures
            .get(&(room, kind))
            .copied()
            .unwrap_or(0)
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

    /// screeps/engine `utils.checkConstructionSite`: no site or structure of the kind there,
    /// an extractor only on a mineral, one structure a tile besides roads and ramparts, walls
    /// only under roads and extractors, and next to an exit only roads and containers (unless
    /// the exit tiles beside it are walls). Obstacles also stay off sources and minerals.
    fn site_fits(&self, pos: Position, kind: StructureKind) -> bool {
        let tile = self.map.tile(pos);
        let exit_open = next_to_open_exit(self.map, pos);
        if exit_open && !matches!(kind, StructureKind::Road | StructureKind::Container) {
            return false;
        }
        if self.pending.site_tiles.contains(&pos) {
            return false;
        }
        let mut here = self.objects_at(pos);
        if kind == StructureKind::Extractor {
            let (mut mineral, mut clash) = (false, false);
            for o in here {
                mineral |= matches!(o.kind, ObjectKind::Mineral(_));
                clash |= matches!(o.kind, ObjectKind::ConstructionSite(_))
                    || o.kind.structure() == Some(kind);
            }
            return mineral && !clash;
        }
        if tile == Tile::Wall && kind != StructureKind::Road {
            return false;
        }
        let lone = |k: StructureKind| !matches!(k, StructureKind::Road | StructureKind::Rampart);
        !here.any(|o| match o.kind {
            ObjectKind::ConstructionSite(_) => true,
            k => {
                k.structure().is_some_and(|s| {
                    s == kind || (lone(kind) && lone(s) && s != StructureKind::Controller)
                }) || (kind.is_obstacle()
                    && matches!(k, ObjectKind::Source(_) | ObjectKind::Mineral(_)))
            }
        })
    }

    /// A tower's attack, heal or repair: owner, energy, same room, target kind, then whether
    /// the room's level keeps it on.
    pub(super) fn check_tower(
        &mut self,
        player: PlayerId,
        tower: ObjectId,
        target: ObjectId,
        action: TowerAction,
    ) -> Check<()> {
        let o = self.acting(tower, |k| {
            matches!(k, ObjectKind::Structure(StructureKind::Tower))
        })?;
        if o.owner() != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        if o.energy() < TOWER_ENERGY_COST {
            return Err(ReturnCode::NotEnoughResources);
        }
        let t = self.target(target)?;
        if t.pos.room != o.pos.room {
            return Err(ReturnCode::InvalidTarget);
        }
        let valid = match action {
            TowerAction::Attack(_) => {
                t.creep().is_some() || (t.kind.structure().is_some() && t.hits.is_some())
            }
            TowerAction::Heal(_) => t.creep().is_some(),
            TowerAction::Repair(_) => is_repairable(&t),
        };
        if !valid {
            return Err(ReturnCode::InvalidTarget);
        }
        if self.census.inactive.contains(&tower) {
            return Err(ReturnCode::RclNotEnough);
        }
        self.accepted.towers.insert(tower, action);
        Ok(())
    }
}

impl Validator<'_, '_, '_> {
    /// `StructureLink.transferEnergy` (game/structures.js order): target, owners, cooldown,
    /// active, energy, the target's room for it, same room.
    pub(super) fn check_link(
        &mut self,
        player: PlayerId,
        link: ObjectId,
        target: ObjectId,
        amount: Option<u32>,
    ) -> Check<()> {
        let o = self.acting(link, |k| {
            matches!(k, ObjectKind::Structure(StructureKind::Link))
        })?;
        let t = self.target(target)?;
        if !matches!(t.kind, ObjectKind::Structure(StructureKind::Link)) || t.id == o.id {
            return Err(ReturnCode::InvalidTarget);
        }
        if t.owner() != Some(player) || o.owner() != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        if o.cooldown.is_some_and(|c| c.ticks > 0) {
            return Err(ReturnCode::Tired);
        }
        if self.census.inactive.contains(&link) {
            return Err(ReturnCode::RclNotEnough);
        }
        let have = o.energy();
        if have == 0 {
            return Err(ReturnCode::NotEnoughResources);
        }
        let cap = t
            .store
            .and_then(|s| s.capacity_for(ResourceKind::Energy))
            .unwrap_or(0);
        let used = t.energy();
        let amount = amount
            .filter(|a| *a > 0)
            .unwrap_or(have.min(cap.saturating_sub(used)));
        if have < amount {
            return Err(ReturnCode::NotEnoughResources);
        }
        if cap == 0 || used + amount > cap {
            return Err(ReturnCode::Full);
        }
        if t.pos.room != o.pos.room {
            return Err(ReturnCode::NotInRange);
        }
        self.accepted.links.insert(link, (target, amount));
        Ok(())
    }
}

impl Validator<'_, '_, '_> {
    /// `StructureSpawn.renewCreep` (game/structures.js order).
    pub(super) fn check_renew(
        &mut self,
        player: PlayerId,
        spawn: ObjectId,
        target: ObjectId,
    ) -> Check<()> {
        let o = self.get(spawn).ok_or(ReturnCode::NotFound)?;
        let ObjectKind::Spawn(s) = o.kind else {
            return Err(ReturnCode::InvalidArgs);
        };
        if s.spawning.is_some() {
            return Err(ReturnCode::Busy);
        }
        let t = self.target(target)?;
        let creep = match t.kind {
            ObjectKind::Creep(c)
                if !c.spawning && !c.body.iter().any(|p| p.kind == BodyPartKind::Claim) =>
            {
                c
            }
            _ => return Err(ReturnCode::InvalidTarget),
        };
        if o.owner() != Some(player) || t.owner() != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        if self.census.inactive.contains(&spawn) {
            return Err(ReturnCode::RclNotEnough);
        }
        if !t.pos.is_near_to(*o.pos) {
            return Err(ReturnCode::NotInRange);
        }
        let (gain, cost) = crate::rules::economy::renewal(creep);
        let room = o.pos.room;
        if self.room_energy_left(player, room) < cost {
            return Err(ReturnCode::NotEnoughResources);
        }
        if creep.ticks_to_live + gain > CREEP_LIFE_TIME {
            return Err(ReturnCode::Full);
        }
        *self.pending.reserved_energy.entry(room).or_default() += cost;
        self.accepted.renews.insert(spawn, target);
        Ok(())
    }

    /// `StructureSpawn.recycleCreep` (game/structures.js order).
    pub(super) fn check_recycle(
        &mut self,
        player: PlayerId,
        spawn: ObjectId,
        target: ObjectId,
    ) -> Check<()> {
        let o = self.acting(spawn, |k| matches!(k, ObjectKind::Spawn(_)))?;
        if o.owner() != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        let t = self.target(target)?;
        if !matches!(t.kind, ObjectKind::Creep(c) if !c.spawning) {
            return Err(ReturnCode::InvalidTarget);
        }
        if self.census.inactive.contains(&spawn) {
            return Err(ReturnCode::RclNotEnough);
        }
        if t.owner() != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        if !t.pos.is_near_to(*o.pos) {
            return Err(ReturnCode::NotInRange);
        }
        self.accepted.recycles.insert(target);
        Ok(())
    }

    /// `ConstructionSite.remove`: the site's owner, or whoever holds the room's controller.
    pub(super) fn check_remove_site(&mut self, player: PlayerId, site: ObjectId) -> Check<()> {
        let o = self.acting(site, |k| matches!(k, ObjectKind::ConstructionSite(_)))?;
        let room_holder = self.controller_of(o.pos.room).and_then(|(c, _)| c.owner());
        if o.owner() != Some(player) && room_holder != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        self.accepted.removed_sites.insert(site);
        Ok(())
    }

    /// `Structure.destroy`: in a room whose controller the player holds, with no other
    /// player's creep in it.
    pub(super) fn check_destroy(&mut self, player: PlayerId, structure: ObjectId) -> Check<()> {
        let o = self.get(structure).ok_or(ReturnCode::NotFound)?;
        let buildable = o.kind.structure().and_then(|k| k.construction_cost());
        if buildable.is_none() {
            return Err(ReturnCode::InvalidTarget);
        }
        let room = o.pos.room;
        let room_holder = self.controller_of(room).and_then(|(c, _)| c.owner());
        if room_holder != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        if self.census.hostile_creeps_in(room, player) {
            return Err(ReturnCode::Busy);
        }
        self.accepted.destroys.insert(structure);
        Ok(())
    }
}

impl Validator<'_, '_, '_> {
    /// The player's spawn.
    pub(super) fn own_spawn(&self, player: PlayerId, spawn: ObjectId) -> Check<()> {
        let o = self.acting(spawn, |k| matches!(k, ObjectKind::Spawn(_)))?;
        if o.owner() != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        Ok(())
    }

    /// `Spawning.setDirections`: owner, then 1 to 8 distinct directions (duplicates dropped,
    /// first kept, as lodash's `uniq`).
    pub(super) fn check_directions(
        &mut self,
        player: PlayerId,
        spawn: ObjectId,
        directions: &[u8],
    ) -> Check<()> {
        self.own_spawn(player, spawn)?;
        let mut unique: Vec<Direction> = Vec::new();
        for d in directions {
            let d = Direction::from_number(*d).ok_or(ReturnCode::InvalidArgs)?;
            if !unique.contains(&d) {
                unique.push(d);
            }
        }
        if unique.is_empty() {
            return Err(ReturnCode::InvalidArgs);
        }
        self.accepted.spawn_directions.insert(spawn, unique);
        Ok(())
    }
}

/// Whether `pos` is one tile in from the border beside a walkable exit tile, where only
/// roads and containers may be built (screeps/engine `utils.checkConstructionSite`; it tests
/// x == 1, x == 48, y == 1, y == 48 in turn and the last match wins).
pub(crate) fn next_to_open_exit(map: &crate::room_map::RoomMap, pos: Position) -> bool {
    let by_exit = match (pos.x, pos.y) {
        (x, 48) => Some([(x - 1, 49), (x, 49), (x + 1, 49)]),
        (x, 1) => Some([(x - 1, 0), (x, 0), (x + 1, 0)]),
        (48, y) => Some([(49, y - 1), (49, y), (49, y + 1)]),
        (1, y) => Some([(0, y - 1), (0, y), (0, y + 1)]),
        _ => None,
    };
    by_exit.is_some_and(|tiles| {
        tiles
            .iter()
            .any(|(x, y)| map.tile(Position::new(pos.room, *x, *y)) != Tile::Wall)
    })
}
