//! Checks for what a creep can be asked to do, each in Screeps' order of checks (the first
//! failing check decides the return code).

use super::{Check, Validator, WorkKind};
use crate::constants::*;
use crate::geometry::Direction;
use crate::object::*;
use crate::rules::census::Object;

/// Whether a creep may transfer into `o` at all (`game/creeps.js`: a creep, not spawning, or
/// a structure, with a store).
fn can_receive(o: &Object) -> bool {
    match o.kind {
        ObjectKind::Creep(c) => !c.spawning,
        ObjectKind::PowerBank(_) => false,
        k => k.structure().is_some() && o.store.is_some(),
    }
}

/// Whether a creep may withdraw from `o`: a structure, tombstone or ruin with a store
/// (`game/creeps.js`, `withdraw`).
fn can_give(o: &Object) -> bool {
    match o.kind {
        ObjectKind::Tombstone(_) | ObjectKind::Ruin(_) => true,
        ObjectKind::Structure(StructureKind::Nuker) | ObjectKind::PowerBank(_) => false,
        k => k.structure().is_some() && o.store.is_some(),
    }
}

/// A structure with hits that is not a controller (what repair and towers' repair accept).
pub(super) fn is_repairable(o: &Object) -> bool {
    o.kind
        .structure()
        .is_some_and(|k| k != StructureKind::Controller)
        && o.hits.is_some()
}

impl Validator<'_, '_, '_> {
    pub(super) fn check_move(&mut self, player: PlayerId, creep: ObjectId, dir: u8) -> Check<()> {
        let (_, c) = self.own_creep(player, creep)?;
        if c.fatigue > 0 {
            return Err(ReturnCode::Tired);
        }
        if c.active(BodyPartKind::Move) == 0 {
            return Err(ReturnCode::NoBodypart);
        }
        let dir = Direction::from_number(dir).ok_or(ReturnCode::InvalidArgs)?;
        // One move intent a creep (Screeps keeps the last): a direction replaces `move(creep)`.
        self.accepted.moves_to.remove(&creep);
        self.accepted.moves.insert(creep, dir);
        Ok(())
    }

    /// `move(creep)` (`game/creeps.js`): only adjacency is checked, not fatigue or MOVE
    /// parts; movement decides (a pulled creep moves without either).
    pub(super) fn check_move_to_creep(
        &mut self,
        player: PlayerId,
        creep: ObjectId,
        target: ObjectId,
    ) -> Check<()> {
        let (o, _) = self.own_creep(player, creep)?;
        let t = self.get(target).ok_or(ReturnCode::InvalidArgs)?;
        if !matches!(t.kind, ObjectKind::Creep(_)) {
            return Err(ReturnCode::InvalidArgs);
        }
        if !t.pos.is_near_to(*o.pos) {
            return Err(ReturnCode::NotInRange);
        }
        self.accepted.moves.remove(&creep);
        self.accepted.moves_to.insert(creep, target);
        Ok(())
    }

    /// `Creep.pull`.
    pub(super) fn check_pull(
        &mut self,
        player: PlayerId,
        creep: ObjectId,
        target: ObjectId,
    ) -> Check<()> {
        let (o, _) = self.own_creep(player, creep)?;
        let t = self.target(target)?;
        match t.kind {
            ObjectKind::Creep(c) if !c.spawning && target != creep => {}
            _ => return Err(ReturnCode::InvalidTarget),
        }
        if !t.pos.is_near_to(*o.pos) {
            return Err(ReturnCode::NotInRange);
        }
        self.accepted.pulls.insert(creep, target);
        Ok(())
    }

    pub(super) fn check_harvest(
        &mut self,
        player: PlayerId,
        creep: ObjectId,
        target: ObjectId,
    ) -> Check<()> {
        let (o, c) = self.own_creep(player, creep)?;
        if c.active(BodyPartKind::Work) == 0 {
            return Err(ReturnCode::NoBodypart);
        }
        let t = self.target(target)?;
        match t.kind {
            ObjectKind::Source(s) => {
                if s.energy == 0 {
                    return Err(ReturnCode::NotEnoughResources);
                }
                if !t.pos.is_near_to(*o.pos) {
                    return Err(ReturnCode::NotInRange);
                }
                if let Some((ctl, c)) = self.controller_of(o.pos.room) {
                    let reserved = c.reservation.as_ref().is_some_and(|r| r.player != player);
                    if ctl.owner().is_some_and(|p| p != player) || reserved {
                        return Err(ReturnCode::NotOwner);
                    }
                }
            }
            ObjectKind::Deposit(_) => {
                if !t.pos.is_near_to(*o.pos) {
                    return Err(ReturnCode::NotInRange);
                }
                if t.cooldown.is_some_and(|c| c.ticks > 0) {
                    return Err(ReturnCode::Tired);
                }
            }
            ObjectKind::Mineral(m) => {
                if m.amount == 0 {
                    return Err(ReturnCode::NotEnoughResources);
                }
                if !t.pos.is_near_to(*o.pos) {
                    return Err(ReturnCode::NotInRange);
                }
                let extractor = self
                    .objects_at(*t.pos)
                    .find(|e| e.kind.structure() == Some(StructureKind::Extractor))
                    .ok_or(ReturnCode::NotFound)?;
                if extractor.owner().is_some_and(|p| p != player) {
                    return Err(ReturnCode::NotOwner);
                }
                if self.census.inactive.contains(extractor.id) {
                    return Err(ReturnCode::RclNotEnough);
                }
                if extractor.cooldown.is_some_and(|c| c.ticks > 0) {
                    return Err(ReturnCode::Tired);
                }
            }
            _ => return Err(ReturnCode::InvalidTarget),
        }
        self.set_work(creep, WorkKind::Harvest, target);
        Ok(())
    }

    /// `Creep.transfer`, in `game/creeps.js`'s order of checks.
    pub(super) fn check_transfer(
        &mut self,
        player: PlayerId,
        creep: ObjectId,
        target: ObjectId,
        resource: ResourceKind,
        amount: Option<u32>,
    ) -> Check<()> {
        let (o, _) = self.own_creep(player, creep)?;
        let t = self.target(target)?;
        if matches!(t.kind, ObjectKind::Controller(_)) && resource == ResourceKind::Energy {
            // Screeps: transferring energy to a controller is upgradeController.
            return self.check_upgrade(player, creep, target);
        }
        if !can_receive(&t) || t.id == o.id {
            return Err(ReturnCode::InvalidTarget);
        }
        let store = t.store.ok_or(ReturnCode::InvalidTarget)?;
        let cap = store.capacity_for(resource).unwrap_or(0);
        if cap == 0 {
            return Err(ReturnCode::InvalidTarget);
        }
        if !t.pos.is_near_to(*o.pos) {
            return Err(ReturnCode::NotInRange);
        }
        let have = o.amount(resource);
        if have == 0 {
            return Err(ReturnCode::NotEnoughResources);
        }
        let free = store.free_for(resource);
        if free == 0 {
            return Err(ReturnCode::Full);
        }
        let amount = amount.filter(|a| *a > 0).unwrap_or(have.min(free));
        if have < amount {
            return Err(ReturnCode::NotEnoughResources);
        }
        if amount > free {
            return Err(ReturnCode::Full);
        }
        let entry = (target, resource, amount);
        self.accepted.transfers.insert(creep, entry);
        Ok(())
    }

    /// `Creep.withdraw`, in `game/creeps.js`'s order of checks.
    pub(super) fn check_withdraw(
        &mut self,
        player: PlayerId,
        creep: ObjectId,
        target: ObjectId,
        resource: ResourceKind,
        amount: Option<u32>,
    ) -> Check<()> {
        let (o, _) = self.own_creep(player, creep)?;
        let t = self.target(target)?;
        if !can_give(&t) {
            return Err(ReturnCode::InvalidTarget);
        }
        if t.owner().is_some_and(|p| p != player) && self.shielded_from(player, *t.pos) {
            return Err(ReturnCode::NotOwner);
        }
        if self.hostile_safe_mode(player, o.pos.room) {
            return Err(ReturnCode::NotOwner);
        }
        let holds = t.amount(resource);
        let cap = t.store.and_then(|s| s.capacity_for(resource)).unwrap_or(0);
        if cap == 0 && holds == 0 && !matches!(t.kind, ObjectKind::Tombstone(_)) {
            return Err(ReturnCode::InvalidTarget);
        }
        if !t.pos.is_near_to(*o.pos) {
            return Err(ReturnCode::NotInRange);
        }
        let free = o.store.map_or(0, |s| s.free_for(resource));
        if free == 0 {
            return Err(ReturnCode::Full);
        }
        let amount = amount.filter(|a| *a > 0).unwrap_or(holds.min(free));
        if amount > free {
            return Err(ReturnCode::Full);
        }
        if amount == 0 || holds < amount {
            return Err(ReturnCode::NotEnoughResources);
        }
        let entry = (target, resource, amount);
        self.accepted.withdraws.insert(creep, entry);
        Ok(())
    }

    pub(super) fn check_pickup(
        &mut self,
        player: PlayerId,
        creep: ObjectId,
        target: ObjectId,
    ) -> Check<()> {
        let (o, _) = self.own_creep(player, creep)?;
        let t = self.target(target)?;
        if !matches!(t.kind, ObjectKind::Resource) {
            return Err(ReturnCode::InvalidTarget);
        }
        if o.store
            .is_none_or(|s| s.free_for(ResourceKind::Energy) == 0)
        {
            return Err(ReturnCode::Full);
        }
        if !t.pos.is_near_to(*o.pos) {
            return Err(ReturnCode::NotInRange);
        }
        self.accepted.pickups.insert(creep, target);
        Ok(())
    }

    pub(super) fn check_drop(
        &mut self,
        player: PlayerId,
        creep: ObjectId,
        resource: ResourceKind,
        amount: Option<u32>,
    ) -> Check<()> {
        let (o, _) = self.own_creep(player, creep)?;
        let have = o.amount(resource);
        if have == 0 {
            return Err(ReturnCode::NotEnoughResources);
        }
        let amount = amount.filter(|a| *a > 0).unwrap_or(have);
        if have < amount {
            return Err(ReturnCode::NotEnoughResources);
        }
        self.accepted.drops.insert(creep, (resource, amount));
        Ok(())
    }

    pub(super) fn check_build(
        &mut self,
        player: PlayerId,
        creep: ObjectId,
        target: ObjectId,
    ) -> Check<()> {
        let o = self.working_creep(player, creep)?;
        let t = self.target(target)?;
        let ObjectKind::ConstructionSite(site) = t.kind else {
            return Err(ReturnCode::InvalidTarget);
        };
        if t.owner() != Some(player) {
            return Err(ReturnCode::InvalidTarget);
        }
        if !o.pos.in_range_to(*t.pos, 3) {
            return Err(ReturnCode::NotInRange);
        }
        if site.structure.is_obstacle() && self.obstacle_at(*t.pos) {
            return Err(ReturnCode::InvalidTarget);
        }
        self.set_work(creep, WorkKind::Build, target);
        Ok(())
    }

    pub(super) fn check_repair(
        &mut self,
        player: PlayerId,
        creep: ObjectId,
        target: ObjectId,
    ) -> Check<()> {
        let o = self.working_creep(player, creep)?;
        let t = self.target(target)?;
        if !is_repairable(&t) {
            return Err(ReturnCode::InvalidTarget);
        }
        if !o.pos.in_range_to(*t.pos, 3) {
            return Err(ReturnCode::NotInRange);
        }
        self.set_work(creep, WorkKind::Repair, target);
        Ok(())
    }

    pub(super) fn check_attack(
        &mut self,
        player: PlayerId,
        creep: ObjectId,
        target: ObjectId,
        ranged: bool,
    ) -> Check<()> {
        let (o, c) = self.own_creep(player, creep)?;
        let part = if ranged {
            BodyPartKind::RangedAttack
        } else {
            BodyPartKind::Attack
        };
        if c.active(part) == 0 {
            return Err(ReturnCode::NoBodypart);
        }
        if self.hostile_safe_mode(player, o.pos.room) {
            return Err(ReturnCode::NoBodypart);
        }
        let t = self.target(target)?;
        let attackable = match t.kind {
            ObjectKind::Creep(tc) => !tc.spawning,
            // Any structure with hits (a controller or a keeper's lair has none).
            k if k.structure().is_some() => t.hits.is_some(),
            _ => false,
        };
        if !attackable {
            return Err(ReturnCode::InvalidTarget);
        }
        let range = if ranged { 3 } else { 1 };
        if !o.pos.in_range_to(*t.pos, range) {
            return Err(ReturnCode::NotInRange);
        }
        let kind = if ranged {
            WorkKind::RangedAttack
        } else {
            WorkKind::Attack
        };
        self.set_work(creep, kind, target);
        Ok(())
    }

    /// `heal` (range 1) or `rangedHeal` (range 3). Screeps checks the other player's safe
    /// mode after the range for `heal`, before it for `rangedHeal`.
    pub(super) fn check_heal(
        &mut self,
        player: PlayerId,
        creep: ObjectId,
        target: ObjectId,
        ranged: bool,
    ) -> Check<()> {
        let (o, c) = self.own_creep(player, creep)?;
        if c.active(BodyPartKind::Heal) == 0 {
            return Err(ReturnCode::NoBodypart);
        }
        let t = self.target(target)?;
        if t.creep().is_none() {
            return Err(ReturnCode::InvalidTarget);
        }
        let hostile = self.hostile_safe_mode(player, o.pos.room);
        if ranged && hostile {
            return Err(ReturnCode::NoBodypart);
        }
        if !o.pos.in_range_to(*t.pos, if ranged { 3 } else { 1 }) {
            return Err(ReturnCode::NotInRange);
        }
        if hostile {
            return Err(ReturnCode::NoBodypart);
        }
        let kind = if ranged {
            WorkKind::RangedHeal
        } else {
            WorkKind::Heal
        };
        self.set_work(creep, kind, target);
        Ok(())
    }

    pub(super) fn check_mass_attack(&mut self, player: PlayerId, creep: ObjectId) -> Check<()> {
        let (o, c) = self.own_creep(player, creep)?;
        if c.active(BodyPartKind::RangedAttack) == 0 {
            return Err(ReturnCode::NoBodypart);
        }
        if self.hostile_safe_mode(player, o.pos.room) {
            return Err(ReturnCode::NoBodypart);
        }
        self.set_work(creep, WorkKind::RangedMassAttack, creep);
        Ok(())
    }

    /// `dismantle`: a structure that can be built (Screeps' `CONSTRUCTION_COST` has it).
    pub(super) fn check_dismantle(
        &mut self,
        player: PlayerId,
        creep: ObjectId,
        target: ObjectId,
    ) -> Check<()> {
        let (o, c) = self.own_creep(player, creep)?;
        if c.active(BodyPartKind::Work) == 0 {
            return Err(ReturnCode::NoBodypart);
        }
        let t = self.target(target)?;
        if t.kind
            .structure()
            .and_then(|k| k.construction_cost())
            .is_none()
        {
            return Err(ReturnCode::InvalidTarget);
        }
        if !t.pos.is_near_to(*o.pos) {
            return Err(ReturnCode::NotInRange);
        }
        if self.hostile_safe_mode(player, o.pos.room) {
            return Err(ReturnCode::NoBodypart);
        }
        self.set_work(creep, WorkKind::Dismantle, target);
        Ok(())
    }

    pub(super) fn check_say(
        &mut self,
        player: PlayerId,
        creep: ObjectId,
        message: &str,
        public: bool,
    ) -> Check<()> {
        self.own_creep(player, creep)?;
        let message: String = message.chars().take(SAY_MAX_LENGTH).collect();
        self.accepted.says.insert(creep, Saying { message, public });
        Ok(())
    }
}
