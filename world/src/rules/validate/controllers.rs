//! Checks for what touches a controller: upgrading, claiming, reserving, attacking, signing,
//! unclaiming and safe mode, each in the order of Screeps' API (`game/creeps.js`,
//! `game/structures.js`), so the first failing check decides the return code.

use super::{Check, Validator, WorkKind};
use crate::constants::*;
use crate::object::*;
use crate::rules::census::Object;

/// Longest controller sign kept (Screeps' documented limit).
pub(crate) const SIGN_MAX_LENGTH: usize = 100;

impl<'a> Validator<'a, '_, '_> {
    /// The target as a controller, for the API's "a structure, then a controller" checks.
    fn controller_target(&self, target: ObjectId) -> Check<(Object<'a>, &'a Controller)> {
        let t = self.target(target)?;
        match t.kind {
            ObjectKind::Controller(c) => Ok((t, c)),
            _ => Err(ReturnCode::InvalidTarget),
        }
    }

    fn is_structure(&self, target: ObjectId) -> Check<Object<'a>> {
        let t = self.target(target)?;
        if t.kind.structure().is_none() {
            return Err(ReturnCode::InvalidTarget);
        }
        Ok(t)
    }

    pub(super) fn check_upgrade(
        &mut self,
        player: PlayerId,
        creep: ObjectId,
        target: ObjectId,
    ) -> Check<()> {
        let o = self.working_creep(player, creep)?;
        let (t, ctl) = self.controller_target(target)?;
        if ctl.upgrade_blocked > 0 {
            return Err(ReturnCode::InvalidTarget);
        }
        if !t.pos.in_range_to(*o.pos, 3) {
            return Err(ReturnCode::NotInRange);
        }
        if t.owner() != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        if ctl.level == 0 {
            return Err(ReturnCode::InvalidTarget);
        }
        self.accepted.upgrades.insert(creep, target);
        Ok(())
    }

    /// Screeps checks GCL first: owning no room, any claim is allowed; else the GCL must reach
    /// the level that many rooms need.
    pub(super) fn check_claim(
        &mut self,
        player: PlayerId,
        creep: ObjectId,
        target: ObjectId,
    ) -> Check<()> {
        let (o, c) = self.own_creep(player, creep)?;
        let claimed = self
            .census
            .owned_controllers
            .get(&player)
            .copied()
            .unwrap_or(0)
            + self.pending.claims.get(&player).copied().unwrap_or(0);
        let gcl = self.players.get(player).map_or(0, |p| p.gcl);
        if claimed > 0 && gcl < gcl_needed(claimed as u32 + 1) {
            return Err(ReturnCode::GclNotEnough);
        }
        let t = self.is_structure(target)?;
        if c.active(BodyPartKind::Claim) == 0 {
            return Err(ReturnCode::NoBodypart);
        }
        if !t.pos.is_near_to(*o.pos) {
            return Err(ReturnCode::NotInRange);
        }
        let (_, ctl) = self.controller_target(target)?;
        if ctl.level > 0 || t.owner().is_some() {
            return Err(ReturnCode::InvalidTarget);
        }
        if ctl.reservation.as_ref().is_some_and(|r| r.player != player) {
            return Err(ReturnCode::InvalidTarget);
        }
        if self.hostile_safe_mode(player, o.pos.room) {
            return Err(ReturnCode::NoBodypart);
        }
        *self.pending.claims.entry(player).or_default() += 1;
        self.accepted.claims.insert(creep, target);
        Ok(())
    }

    pub(super) fn check_reserve(
        &mut self,
        player: PlayerId,
        creep: ObjectId,
        target: ObjectId,
    ) -> Check<()> {
        let (o, c) = self.own_creep(player, creep)?;
        let t = self.is_structure(target)?;
        if !t.pos.is_near_to(*o.pos) {
            return Err(ReturnCode::NotInRange);
        }
        let (_, ctl) = self.controller_target(target)?;
        if t.owner().is_some() || ctl.reservation.as_ref().is_some_and(|r| r.player != player) {
            return Err(ReturnCode::InvalidTarget);
        }
        if c.active(BodyPartKind::Claim) == 0 {
            return Err(ReturnCode::NoBodypart);
        }
        self.accepted.reserves.insert(creep, target);
        Ok(())
    }

    pub(super) fn check_attack_controller(
        &mut self,
        player: PlayerId,
        creep: ObjectId,
        target: ObjectId,
    ) -> Check<()> {
        let (o, c) = self.own_creep(player, creep)?;
        let (t, ctl) = self.controller_target(target)?;
        if c.active(BodyPartKind::Claim) == 0 {
            return Err(ReturnCode::NoBodypart);
        }
        if !t.pos.is_near_to(*o.pos) {
            return Err(ReturnCode::NotInRange);
        }
        if t.owner().is_none() && ctl.reservation.is_none() {
            return Err(ReturnCode::InvalidTarget);
        }
        if ctl.upgrade_blocked > 0 {
            return Err(ReturnCode::Tired);
        }
        if self.hostile_safe_mode(player, o.pos.room) {
            return Err(ReturnCode::NoBodypart);
        }
        self.set_work(creep, WorkKind::AttackController, target);
        Ok(())
    }

    /// `Creep.generateSafeMode`: 1 000 ghodium for one more safe mode, any controller.
    pub(super) fn check_generate_safe_mode(
        &mut self,
        player: PlayerId,
        creep: ObjectId,
        target: ObjectId,
    ) -> Check<()> {
        let (o, _) = self.own_creep(player, creep)?;
        if o.amount(ResourceKind::Ghodium) < SAFE_MODE_COST {
            return Err(ReturnCode::NotEnoughResources);
        }
        let t = self.target(target)?;
        if !matches!(t.kind, ObjectKind::Controller(_)) {
            return Err(ReturnCode::InvalidTarget);
        }
        if !t.pos.is_near_to(*o.pos) {
            return Err(ReturnCode::NotInRange);
        }
        self.accepted.safe_mode_gifts.insert(creep, target);
        Ok(())
    }

    pub(super) fn check_sign(
        &mut self,
        player: PlayerId,
        creep: ObjectId,
        target: ObjectId,
        text: &str,
    ) -> Check<()> {
        let (o, _) = self.own_creep(player, creep)?;
        let t = self.is_structure(target)?;
        if !t.pos.is_near_to(*o.pos) {
            return Err(ReturnCode::NotInRange);
        }
        self.controller_target(target)?;
        let text: String = text.chars().take(SIGN_MAX_LENGTH).collect();
        self.accepted.signs.insert(creep, (target, text));
        Ok(())
    }

    pub(super) fn check_unclaim(&mut self, player: PlayerId, controller: ObjectId) -> Check<()> {
        let o = self.acting(controller, |k| matches!(k, ObjectKind::Controller(_)))?;
        if o.owner() != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        self.accepted.unclaims.insert(controller);
        Ok(())
    }

    /// One safe mode at a time per player; a second request in the tick replaces the first.
    pub(super) fn check_safe_mode(&mut self, player: PlayerId, controller: ObjectId) -> Check<()> {
        let o = self.get(controller).ok_or(ReturnCode::NotFound)?;
        let ObjectKind::Controller(ctl) = o.kind else {
            return Err(ReturnCode::InvalidArgs);
        };
        if o.owner() != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        if ctl.safe_mode_available == 0 {
            return Err(ReturnCode::NotEnoughResources);
        }
        let half = CONTROLLER_DOWNGRADE[ctl.level as usize] / 2;
        let low = ctl.ticks_to_downgrade + CONTROLLER_DOWNGRADE_SAFEMODE_THRESHOLD < half;
        if ctl.safe_mode_cooldown > 0 || ctl.upgrade_blocked > 0 || low {
            return Err(ReturnCode::Tired);
        }
        if self.census.in_safe_mode.contains(&player) {
            return Err(ReturnCode::Busy);
        }
        self.accepted.safe_modes.insert(player, controller);
        Ok(())
    }
}
