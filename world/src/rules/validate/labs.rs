//! Checks for labs, in screeps/engine `game/structures.js`'s order (`StructureLab`).

use super::{Check, Validator};
use crate::chemistry::{boosts, reaction, reagents};
use crate::constants::*;
use crate::object::*;
use crate::rules::census::Object;

/// What one lab was asked to do in a tick. As screeps/engine's `labs/intents.js` runs them:
/// boost, then unboost, then the reaction (`runReaction` before `reverseReaction`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LabIntents {
    /// (creep, parts to boost; `None` for all it can).
    pub boost: Option<(ObjectId, Option<u32>)>,
    pub unboost: Option<ObjectId>,
    pub run: Option<(ObjectId, ObjectId)>,
    pub reverse: Option<(ObjectId, ObjectId)>,
}

/// The mineral a lab holds and how much (`mineralType`, `mineralAmount`).
pub(crate) fn lab_mineral(o: &Object) -> (Option<ResourceKind>, u32) {
    let Some(store) = o.store else {
        return (None, 0);
    };
    (store.mineral(), store.used() - store.energy())
}

fn is_lab(k: &ObjectKind) -> bool {
    matches!(k, ObjectKind::Structure(StructureKind::Lab))
}

impl<'a> Validator<'a, '_, '_> {
    /// The acting lab, the player's, working at its room's level.
    fn own_lab(&self, player: PlayerId, lab: ObjectId) -> Check<Object<'a>> {
        let o = self.acting(lab, is_lab)?;
        if o.owner() != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        Ok(o)
    }

    fn cooling(o: &Object) -> bool {
        o.cooldown.is_some_and(|c| c.ticks > 0)
    }

    /// A reagent lab: another lab within range 2.
    fn reagent_lab(&self, this: &Object, id: ObjectId) -> Check<Object<'a>> {
        let o = self.get(id).ok_or(ReturnCode::InvalidTarget)?;
        if !is_lab(o.kind) || *o.id == *this.id {
            return Err(ReturnCode::InvalidTarget);
        }
        Ok(o)
    }

    /// `runReaction` (`reverse`: `reverseReaction`).
    pub(super) fn check_reaction(
        &mut self,
        player: PlayerId,
        lab: ObjectId,
        lab1: ObjectId,
        lab2: ObjectId,
        reverse: bool,
    ) -> Check<()> {
        let this = self.own_lab(player, lab)?;
        if Self::cooling(&this) {
            return Err(ReturnCode::Tired);
        }
        if self.census.inactive.contains(&lab) {
            return Err(ReturnCode::RclNotEnough);
        }
        let one = self.reagent_lab(&this, lab1)?;
        let two = self.reagent_lab(&this, lab2)?;
        if this.pos.range_to(*one.pos) > 2 || this.pos.range_to(*two.pos) > 2 {
            return Err(ReturnCode::NotInRange);
        }
        let (mine, held) = lab_mineral(&this);
        let ((m1, a1), (m2, a2)) = (lab_mineral(&one), lab_mineral(&two));
        if reverse {
            if lab1 == lab2 {
                return Err(ReturnCode::InvalidArgs);
            }
            let Some(compound) = mine.filter(|_| held >= LAB_REACTION_AMOUNT) else {
                return Err(ReturnCode::NotEnoughResources);
            };
            let fits = |have: Option<ResourceKind>, want| have.is_none_or(|h| h == want);
            if !reagents(compound).any(|(a, b)| fits(m1, a) && fits(m2, b)) {
                return Err(ReturnCode::InvalidArgs);
            }
            if a1 + LAB_REACTION_AMOUNT > LAB_MINERAL_CAPACITY
                || a2 + LAB_REACTION_AMOUNT > LAB_MINERAL_CAPACITY
            {
                return Err(ReturnCode::Full);
            }
        } else {
            if held > LAB_MINERAL_CAPACITY - LAB_REACTION_AMOUNT {
                return Err(ReturnCode::Full);
            }
            if a1 < LAB_REACTION_AMOUNT || a2 < LAB_REACTION_AMOUNT {
                return Err(ReturnCode::NotEnoughResources);
            }
            let product = m1.zip(m2).and_then(|(a, b)| reaction(a, b));
            if product.is_none() || mine.is_some_and(|m| Some(m) != product) {
                return Err(ReturnCode::InvalidArgs);
            }
        }
        let asked = self.accepted.labs.entry(lab).or_default();
        if reverse {
            asked.reverse = Some((lab1, lab2));
        } else {
            asked.run = Some((lab1, lab2));
        }
        Ok(())
    }

    /// `boostCreep`: no cooldown check (Screeps has none).
    pub(super) fn check_boost(
        &mut self,
        player: PlayerId,
        lab: ObjectId,
        creep: ObjectId,
        count: Option<u32>,
    ) -> Check<()> {
        let this = self.own_lab(player, lab)?;
        if self.census.inactive.contains(&lab) {
            return Err(ReturnCode::RclNotEnough);
        }
        let target = self.get(creep).ok_or(ReturnCode::InvalidTarget)?;
        let c = match target.kind {
            ObjectKind::Creep(c) if !c.spawning => c,
            _ => return Err(ReturnCode::InvalidTarget),
        };
        if !this.pos.is_near_to(*target.pos) {
            return Err(ReturnCode::NotInRange);
        }
        let (mineral, held) = lab_mineral(&this);
        if this.energy() < LAB_BOOST_ENERGY || held < LAB_BOOST_MINERAL {
            return Err(ReturnCode::NotEnoughResources);
        }
        let open = c
            .body
            .iter()
            .filter(|p| p.boost.is_none() && mineral.is_some_and(|m| boosts(p.kind, m)))
            .count() as u32;
        let count = count.filter(|n| *n > 0);
        if open == 0 || count.is_some_and(|n| n > open) {
            return Err(ReturnCode::NotFound);
        }
        self.accepted.labs.entry(lab).or_default().boost = Some((creep, count));
        Ok(())
    }

    /// `unboostCreep`: the target is checked before the owner, as Screeps does.
    pub(super) fn check_unboost(
        &mut self,
        player: PlayerId,
        lab: ObjectId,
        creep: ObjectId,
    ) -> Check<()> {
        let this = self.acting(lab, is_lab)?;
        let target = self.get(creep).ok_or(ReturnCode::InvalidTarget)?;
        let ObjectKind::Creep(c) = target.kind else {
            return Err(ReturnCode::InvalidTarget);
        };
        if this.owner() != Some(player) || target.owner() != Some(player) {
            return Err(ReturnCode::NotOwner);
        }
        if self.census.inactive.contains(&lab) {
            return Err(ReturnCode::RclNotEnough);
        }
        if Self::cooling(&this) {
            return Err(ReturnCode::Tired);
        }
        if c.body.iter().all(|p| p.boost.is_none()) {
            return Err(ReturnCode::NotFound);
        }
        if !this.pos.is_near_to(*target.pos) {
            return Err(ReturnCode::NotInRange);
        }
        self.accepted.labs.entry(lab).or_default().unboost = Some(creep);
        Ok(())
    }
}
