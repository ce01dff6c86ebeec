//! Chemistry: Screeps' `REACTIONS`, `REACTION_TIME` and `BOOSTS` tables (screeps/common
//! constants, generated from the vendored file), and the lookups labs and boosted body parts
//! need. Multipliers are kept in thousandths so no float reaches the state.

use crate::constants::CARRY_CAPACITY;
use crate::object::{BodyPartKind, Creep};
use crate::resources::ResourceKind;
use crate::resources::ResourceKind as R;

/// What a boost multiplies (`BOOSTS`' method names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoostAction {
    Harvest,
    Build,
    Repair,
    Dismantle,
    UpgradeController,
    Attack,
    RangedAttack,
    RangedMassAttack,
    Heal,
    RangedHeal,
    Capacity,
    Fatigue,
    Damage,
}

/// The compound two reagents make (`REACTIONS[a][b]`).
pub fn reaction(a: ResourceKind, b: ResourceKind) -> Option<ResourceKind> {
    REACTIONS
        .iter()
        .find(|(x, y, _)| *x == a && *y == b)
        .map(|(_, _, p)| *p)
}

/// Every reagent pair that makes `compound`, in `getReactionVariants`' order.
pub fn reagents(compound: ResourceKind) -> impl Iterator<Item = (ResourceKind, ResourceKind)> {
    REACTIONS
        .iter()
        .filter(move |(_, _, p)| *p == compound)
        .map(|(a, b, _)| (*a, *b))
}

/// `REACTION_TIME[compound]`.
pub fn reaction_time(compound: ResourceKind) -> Option<u32> {
    REACTION_TIME
        .iter()
        .find(|(r, _)| *r == compound)
        .map(|(_, t)| *t)
}

/// `utils.calcTotalReactionsTime`: the reaction times of the compound and of every compound
/// it is made from.
pub fn total_reactions_time(compound: ResourceKind) -> u32 {
    match (reaction_time(compound), reagents(compound).next()) {
        (Some(t), Some((a, b))) => t + total_reactions_time(a) + total_reactions_time(b),
        _ => 0,
    }
}

/// The factor (thousandths) a part boosted with `boost` applies to `action`; `None` when the
/// boost does nothing for it.
pub fn boost_factor(part: BodyPartKind, boost: ResourceKind, action: BoostAction) -> Option<u32> {
    BOOSTS
        .iter()
        .find(|(p, r, a, _)| *p == part && *r == boost && *a == action)
        .map(|(.., f)| *f)
}

/// What a creep's body does, boosts included.
impl Creep {
    /// `utils.calcBodyEffectiveness`: `base` for each part of `kind` with hits left, times
    /// its boost's factor for `action`.
    pub fn power(&self, kind: BodyPartKind, action: BoostAction, base: u32) -> u32 {
        let milli: u64 = self
            .body
            .iter()
            .filter(|p| p.kind == kind && p.hits > 0)
            .map(|p| {
                let factor = p.boost.and_then(|b| boost_factor(kind, b, action));
                u64::from(base) * u64::from(factor.unwrap_or(1000))
            })
            .sum();
        (milli / 1000) as u32
    }

    /// Build, repair and upgrade with boosted WORK parts (`creeps/build.js` and friends):
    /// `effect` paid for in energy, plus the `effect` largest boost extras
    /// (`(factor − 1) × base` per boosted WORK part), rounded down.
    pub fn boosted_effect(&self, action: BoostAction, base: u32, effect: u32) -> u32 {
        let mut extras: Vec<u64> = self
            .body
            .iter()
            .filter(|p| p.kind == BodyPartKind::Work)
            .filter_map(|p| boost_factor(BodyPartKind::Work, p.boost?, action))
            .map(|f| u64::from(f.saturating_sub(1000)) * u64::from(base))
            .collect();
        extras.sort_unstable_by(|a, b| b.cmp(a));
        let extra: u64 = extras.iter().take(effect as usize).sum();
        effect + (extra / 1000) as u32
    }

    /// Carry capacity (`_recalc-body.js`): 50 per CARRY part with hits left, times its
    /// boost's capacity factor.
    pub fn carry_capacity(&self) -> u32 {
        self.power(BodyPartKind::Carry, BoostAction::Capacity, CARRY_CAPACITY)
    }
}

/// Whether `boost` boosts `part` at all (`BOOSTS[part][boost]`).
pub fn boosts(part: BodyPartKind, boost: ResourceKind) -> bool {
    BOOSTS.iter().any(|(p, r, ..)| *p == part && *r == boost)
}

/// `REACTIONS` flattened in the order JavaScript iterates it (what `getReactionVariants` finds first).
pub const REACTIONS: &[(ResourceKind, ResourceKind, ResourceKind)] = &[
    (R::Hydrogen, R::Oxygen, R::Hydroxide),
    (R::Hydrogen, R::Lemergium, R::LemergiumHydride),
    (R::Hydrogen, R::Keanium, R::KeaniumHydride),
    (R::Hydrogen, R::Utrium, R::UtriumHydride),
    (R::Hydrogen, R::Zynthium, R::ZynthiumHydride),
    (R::Hydrogen, R::Ghodium, R::GhodiumHydride),
    (R::Oxygen, R::Hydrogen, R::Hydroxide),
    (R::Oxygen, R::Lemergium, R::LemergiumOxide),
    (R::Oxygen, R::Keanium, R::KeaniumOxide),
    (R::Oxygen, R::Utrium, R::UtriumOxide),
    (R::Oxygen, R::Zynthium, R::ZynthiumOxide),
    (R::Oxygen, R::Ghodium, R::GhodiumOxide),
    (R::Zynthium, R::Keanium, R::ZynthiumKeanite),
    (R::Zynthium, R::Hydrogen, R::ZynthiumHydride),
    (R::Zynthium, R::Oxygen, R::ZynthiumOxide),
    (R::Lemergium, R::Utrium, R::UtriumLemergite),
    (R::Lemergium, R::Hydrogen, R::LemergiumHydride),
    (R::Lemergium, R::Oxygen, R::LemergiumOxide),
    (R::Keanium, R::Zynthium, R::ZynthiumKeanite),
    (R::Keanium, R::Hydrogen, R::KeaniumHydride),
    (R::Keanium, R::Oxygen, R::KeaniumOxide),
    (R::Ghodium, R::Hydrogen, R::GhodiumHydride),
    (R::Ghodium, R::Oxygen, R::GhodiumOxide),
    (R::Utrium, R::Lemergium, R::UtriumLemergite),
    (R::Utrium, R::Hydrogen, R::UtriumHydride),
    (R::Utrium, R::Oxygen, R::UtriumOxide),
    (R::Hydroxide, R::UtriumHydride, R::UtriumAcid),
    (R::Hydroxide, R::UtriumOxide, R::UtriumAlkalide),
    (R::Hydroxide, R::ZynthiumHydride, R::ZynthiumAcid),
    (R::Hydroxide, R::ZynthiumOxide, R::ZynthiumAlkalide),
    (R::Hydroxide, R::KeaniumHydride, R::KeaniumAcid),
    (R::Hydroxide, R::KeaniumOxide, R::KeaniumAlkalide),
    (R::Hydroxide, R::LemergiumHydride, R::LemergiumAcid),
    (R::Hydroxide, R::LemergiumOxide, R::LemergiumAlkalide),
    (R::Hydroxide, R::GhodiumHydride, R::GhodiumAcid),
    (R::Hydroxide, R::GhodiumOxide, R::GhodiumAlkalide),
    (R::Catalyst, R::UtriumAcid, R::CatalyzedUtriumAcid),
    (R::Catalyst, R::UtriumAlkalide, R::CatalyzedUtriumAlkalide),
    (R::Catalyst, R::LemergiumAcid, R::CatalyzedLemergiumAcid),
    (
        R::Catalyst,
        R::LemergiumAlkalide,
        R::CatalyzedLemergiumAlkalide,
    ),
    (R::Catalyst, R::KeaniumAcid, R::CatalyzedKeaniumAcid),
    (R::Catalyst, R::KeaniumAlkalide, R::CatalyzedKeaniumAlkalide),
    (R::Catalyst, R::ZynthiumAcid, R::CatalyzedZynthiumAcid),
    (
        R::Catalyst,
        R::ZynthiumAlkalide,
        R::CatalyzedZynthiumAlkalide,
    ),
    (R::Catalyst, R::GhodiumAcid, R::CatalyzedGhodiumAcid),
    (R::Catalyst, R::GhodiumAlkalide, R::CatalyzedGhodiumAlkalide),
    (R::ZynthiumKeanite, R::UtriumLemergite, R::Ghodium),
    (R::UtriumLemergite, R::ZynthiumKeanite, R::Ghodium),
    (R::LemergiumHydride, R::Hydroxide, R::LemergiumAcid),
    (R::ZynthiumHydride, R::Hydroxide, R::ZynthiumAcid),
    (R::GhodiumHydride, R::Hydroxide, R::GhodiumAcid),
    (R::KeaniumHydride, R::Hydroxide, R::KeaniumAcid),
    (R::UtriumHydride, R::Hydroxide, R::UtriumAcid),
    (R::LemergiumOxide, R::Hydroxide, R::LemergiumAlkalide),
    (R::ZynthiumOxide, R::Hydroxide, R::ZynthiumAlkalide),
    (R::KeaniumOxide, R::Hydroxide, R::KeaniumAlkalide),
    (R::UtriumOxide, R::Hydroxide, R::UtriumAlkalide),
    (R::GhodiumOxide, R::Hydroxide, R::GhodiumAlkalide),
    (R::LemergiumAcid, R::Catalyst, R::CatalyzedLemergiumAcid),
    (R::KeaniumAcid, R::Catalyst, R::CatalyzedKeaniumAcid),
    (R::ZynthiumAcid, R::Catalyst, R::CatalyzedZynthiumAcid),
    (R::UtriumAcid, R::Catalyst, R::CatalyzedUtriumAcid),
    (R::GhodiumAcid, R::Catalyst, R::CatalyzedGhodiumAcid),
    (
        R::LemergiumAlkalide,
        R::Catalyst,
        R::CatalyzedLemergiumAlkalide,
    ),
    (R::UtriumAlkalide, R::Catalyst, R::CatalyzedUtriumAlkalide),
    (R::KeaniumAlkalide, R::Catalyst, R::CatalyzedKeaniumAlkalide),
    (
        R::ZynthiumAlkalide,
        R::Catalyst,
        R::CatalyzedZynthiumAlkalide,
    ),
    (R::GhodiumAlkalide, R::Catalyst, R::CatalyzedGhodiumAlkalide),
];

/// `REACTION_TIME`: ticks a lab cools down after producing the compound.
pub const REACTION_TIME: &[(ResourceKind, u32)] = &[
    (R::Hydroxide, 20),
    (R::ZynthiumKeanite, 5),
    (R::UtriumLemergite, 5),
    (R::Ghodium, 5),
    (R::UtriumHydride, 10),
    (R::UtriumAcid, 5),
    (R::CatalyzedUtriumAcid, 60),
    (R::UtriumOxide, 10),
    (R::UtriumAlkalide, 5),
    (R::CatalyzedUtriumAlkalide, 60),
    (R::KeaniumHydride, 10),
    (R::KeaniumAcid, 5),
    (R::CatalyzedKeaniumAcid, 60),
    (R::KeaniumOxide, 10),
    (R::KeaniumAlkalide, 5),
    (R::CatalyzedKeaniumAlkalide, 60),
    (R::LemergiumHydride, 15),
    (R::LemergiumAcid, 10),
    (R::CatalyzedLemergiumAcid, 65),
    (R::LemergiumOxide, 10),
    (R::LemergiumAlkalide, 5),
    (R::CatalyzedLemergiumAlkalide, 60),
    (R::ZynthiumHydride, 20),
    (R::ZynthiumAcid, 40),
    (R::CatalyzedZynthiumAcid, 160),
    (R::ZynthiumOxide, 10),
    (R::ZynthiumAlkalide, 5),
    (R::CatalyzedZynthiumAlkalide, 60),
    (R::GhodiumHydride, 10),
    (R::GhodiumAcid, 15),
    (R::CatalyzedGhodiumAcid, 80),
    (R::GhodiumOxide, 10),
    (R::GhodiumAlkalide, 30),
    (R::CatalyzedGhodiumAlkalide, 150),
];

/// `BOOSTS`: a boosted part multiplies an action by the factor, in thousandths.
pub const BOOSTS: &[(BodyPartKind, ResourceKind, BoostAction, u32)] = &[
    (
        BodyPartKind::Work,
        R::UtriumOxide,
        BoostAction::Harvest,
        3000,
    ),
    (
        BodyPartKind::Work,
        R::UtriumAlkalide,
        BoostAction::Harvest,
        5000,
    ),
    (
        BodyPartKind::Work,
        R::CatalyzedUtriumAlkalide,
        BoostAction::Harvest,
        7000,
    ),
    (
        BodyPartKind::Work,
        R::LemergiumHydride,
        BoostAction::Build,
        1500,
    ),
    (
        BodyPartKind::Work,
        R::LemergiumHydride,
        BoostAction::Repair,
        1500,
    ),
    (
        BodyPartKind::Work,
        R::LemergiumAcid,
        BoostAction::Build,
        1800,
    ),
    (
        BodyPartKind::Work,
        R::LemergiumAcid,
        BoostAction::Repair,
        1800,
    ),
    (
        BodyPartKind::Work,
        R::CatalyzedLemergiumAcid,
        BoostAction::Build,
        2000,
    ),
    (
        BodyPartKind::Work,
        R::CatalyzedLemergiumAcid,
        BoostAction::Repair,
        2000,
    ),
    (
        BodyPartKind::Work,
        R::ZynthiumHydride,
        BoostAction::Dismantle,
        2000,
    ),
    (
        BodyPartKind::Work,
        R::ZynthiumAcid,
        BoostAction::Dismantle,
        3000,
    ),
    (
        BodyPartKind::Work,
        R::CatalyzedZynthiumAcid,
        BoostAction::Dismantle,
        4000,
    ),
    (
        BodyPartKind::Work,
        R::GhodiumHydride,
        BoostAction::UpgradeController,
        1500,
    ),
    (
        BodyPartKind::Work,
        R::GhodiumAcid,
        BoostAction::UpgradeController,
        1800,
    ),
    (
        BodyPartKind::Work,
        R::CatalyzedGhodiumAcid,
        BoostAction::UpgradeController,
        2000,
    ),
    (
        BodyPartKind::Attack,
        R::UtriumHydride,
        BoostAction::Attack,
        2000,
    ),
    (
        BodyPartKind::Attack,
        R::UtriumAcid,
        BoostAction::Attack,
        3000,
    ),
    (
        BodyPartKind::Attack,
        R::CatalyzedUtriumAcid,
        BoostAction::Attack,
        4000,
    ),
    (
        BodyPartKind::RangedAttack,
        R::KeaniumOxide,
        BoostAction::RangedAttack,
        2000,
    ),
    (
        BodyPartKind::RangedAttack,
        R::KeaniumOxide,
        BoostAction::RangedMassAttack,
        2000,
    ),
    (
        BodyPartKind::RangedAttack,
        R::KeaniumAlkalide,
        BoostAction::RangedAttack,
        3000,
    ),
    (
        BodyPartKind::RangedAttack,
        R::KeaniumAlkalide,
        BoostAction::RangedMassAttack,
        3000,
    ),
    (
        BodyPartKind::RangedAttack,
        R::CatalyzedKeaniumAlkalide,
        BoostAction::RangedAttack,
        4000,
    ),
    (
        BodyPartKind::RangedAttack,
        R::CatalyzedKeaniumAlkalide,
        BoostAction::RangedMassAttack,
        4000,
    ),
    (
        BodyPartKind::Heal,
        R::LemergiumOxide,
        BoostAction::Heal,
        2000,
    ),
    (
        BodyPartKind::Heal,
        R::LemergiumOxide,
        BoostAction::RangedHeal,
        2000,
    ),
    (
        BodyPartKind::Heal,
        R::LemergiumAlkalide,
        BoostAction::Heal,
        3000,
    ),
    (
        BodyPartKind::Heal,
        R::LemergiumAlkalide,
        BoostAction::RangedHeal,
        3000,
    ),
    (
        BodyPartKind::Heal,
        R::CatalyzedLemergiumAlkalide,
        BoostAction::Heal,
        4000,
    ),
    (
        BodyPartKind::Heal,
        R::CatalyzedLemergiumAlkalide,
        BoostAction::RangedHeal,
        4000,
    ),
    (
        BodyPartKind::Carry,
        R::KeaniumHydride,
        BoostAction::Capacity,
        2000,
    ),
    (
        BodyPartKind::Carry,
        R::KeaniumAcid,
        BoostAction::Capacity,
        3000,
    ),
    (
        BodyPartKind::Carry,
        R::CatalyzedKeaniumAcid,
        BoostAction::Capacity,
        4000,
    ),
    (
        BodyPartKind::Move,
        R::ZynthiumOxide,
        BoostAction::Fatigue,
        2000,
    ),
    (
        BodyPartKind::Move,
        R::ZynthiumAlkalide,
        BoostAction::Fatigue,
        3000,
    ),
    (
        BodyPartKind::Move,
        R::CatalyzedZynthiumAlkalide,
        BoostAction::Fatigue,
        4000,
    ),
    (
        BodyPartKind::Tough,
        R::GhodiumOxide,
        BoostAction::Damage,
        700,
    ),
    (
        BodyPartKind::Tough,
        R::GhodiumAlkalide,
        BoostAction::Damage,
        500,
    ),
    (
        BodyPartKind::Tough,
        R::CatalyzedGhodiumAlkalide,
        BoostAction::Damage,
        300,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reactions_and_their_times_follow_screeps() {
        assert_eq!(reaction(R::Hydrogen, R::Oxygen), Some(R::Hydroxide));
        assert_eq!(reaction(R::Oxygen, R::Hydrogen), Some(R::Hydroxide));
        assert_eq!(reaction(R::Hydrogen, R::Hydrogen), None);
        assert_eq!(
            reaction(R::GhodiumAlkalide, R::Catalyst),
            Some(R::CatalyzedGhodiumAlkalide)
        );
        assert_eq!(
            reagents(R::Hydroxide).collect::<Vec<_>>(),
            [(R::Hydrogen, R::Oxygen), (R::Oxygen, R::Hydrogen)]
        );
        assert_eq!(reaction_time(R::Hydroxide), Some(20));
        assert_eq!(reaction_time(R::Hydrogen), None);
        // UH2O = UH (10) + OH (20) + 5.
        assert_eq!(total_reactions_time(R::UtriumAcid), 35);
    }

    #[test]
    fn boosts_are_screeps_factors_in_thousandths() {
        use BodyPartKind::*;
        assert_eq!(
            boost_factor(Work, R::UtriumOxide, BoostAction::Harvest),
            Some(3000)
        );
        assert_eq!(
            boost_factor(Work, R::LemergiumHydride, BoostAction::Build),
            Some(1500)
        );
        assert_eq!(
            boost_factor(Tough, R::CatalyzedGhodiumAlkalide, BoostAction::Damage),
            Some(300)
        );
        assert_eq!(boost_factor(Work, R::UtriumOxide, BoostAction::Build), None);
        assert!(boosts(Carry, R::KeaniumHydride));
        assert!(!boosts(Claim, R::KeaniumHydride));
    }
}
