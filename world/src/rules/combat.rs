//! Attacks, heals and tower actions. Damage and healing to each target are summed first and
//! applied together, so the order of attackers cannot matter.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use super::live;
use super::validate::{Accepted, TowerAction, WorkAction};
use crate::constants::*;
use crate::object::*;

/// Screeps' tower falloff: full power within 5 tiles, 25% at 20 or more, linear between.
pub fn tower_power(base: u32, range: u32) -> u32 {
    if range <= TOWER_OPTIMAL_RANGE {
        return base;
    }
    let r = range.min(TOWER_FALLOFF_RANGE) - TOWER_OPTIMAL_RANGE;
    let span = TOWER_FALLOFF_RANGE - TOWER_OPTIMAL_RANGE;
    base - base * TOWER_FALLOFF_PERCENT * r / (100 * span)
}

/// Re-derives body part hits from a creep's total: parts fill from the last one, so damage
/// eats the first parts first.
pub(crate) fn distribute_body_hits(creep: &mut Creep, total: u32) {
    let mut left = total;
    for part in creep.body.iter_mut().rev() {
        part.hits = left.min(BODYPART_HITS);
        left -= part.hits;
    }
}

pub(crate) fn apply_combat_intents(world: &mut World) {
    let (work, towers) = {
        let mut acc = world.resource_mut::<Accepted>();
        (
            std::mem::take(&mut acc.work),
            std::mem::take(&mut acc.towers),
        )
    };
    let mut damage: BTreeMap<ObjectId, u32> = BTreeMap::new();
    let mut healing: BTreeMap<ObjectId, u32> = BTreeMap::new();
    for (creep, action) in &work {
        let (Some(cp), Some(c)) = (live::pos(world, *creep), live::creep(world, *creep)) else {
            continue;
        };
        let (target, range, amount, heal) = match action {
            WorkAction::Attack(t) => (*t, 1, c.active(BodyPartKind::Attack) * ATTACK_POWER, false),
            WorkAction::RangedAttack(t) => (
                *t,
                3,
                c.active(BodyPartKind::RangedAttack) * RANGED_ATTACK_POWER,
                false,
            ),
            WorkAction::Heal(t) => (*t, 1, c.active(BodyPartKind::Heal) * HEAL_POWER, true),
            _ => continue,
        };
        let Some(tp) = live::pos(world, target) else {
            continue;
        };
        if !cp.in_range_to(tp, range) {
            continue;
        }
        let book = if heal { &mut healing } else { &mut damage };
        *book.entry(target).or_default() += amount;
    }
    for (tower, action) in &towers {
        let (Some(tp), Some(store)) = (live::pos(world, *tower), live::store(world, *tower)) else {
            continue;
        };
        if store.energy < TOWER_ENERGY_COST {
            continue;
        }
        let target = match action {
            TowerAction::Attack(t) | TowerAction::Heal(t) | TowerAction::Repair(t) => *t,
        };
        let Some(target_pos) = live::pos(world, target) else {
            continue;
        };
        let range = tp.range_to(target_pos);
        live::add_energy(world, *tower, -(TOWER_ENERGY_COST as i64));
        match action {
            TowerAction::Attack(_) => {
                *damage.entry(target).or_default() += tower_power(TOWER_POWER_ATTACK, range)
            }
            TowerAction::Heal(_) => {
                *healing.entry(target).or_default() += tower_power(TOWER_POWER_HEAL, range)
            }
            TowerAction::Repair(_) => {
                if let Some(h) = live::hits(world, target) {
                    live::set_hits(
                        world,
                        target,
                        h.hits
                            .saturating_add(tower_power(TOWER_POWER_REPAIR, range)),
                    );
                }
            }
        }
    }
    let targets: std::collections::BTreeSet<ObjectId> =
        damage.keys().chain(healing.keys()).copied().collect();
    for target in targets {
        let Some(h) = live::hits(world, target) else {
            continue;
        };
        let after = (h.hits as i64 - damage.get(&target).copied().unwrap_or(0) as i64
            + healing.get(&target).copied().unwrap_or(0) as i64)
            .clamp(0, h.max as i64) as u32;
        live::set_hits(world, target, after);
        if let Some(mut k) = live::kind_mut(world, target) {
            if let ObjectKind::Creep(c) = k.as_mut() {
                distribute_body_hits(c, after);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tower_falloff_matches_screeps() {
        assert_eq!(tower_power(600, 1), 600);
        assert_eq!(tower_power(600, 5), 600);
        assert_eq!(tower_power(600, 20), 150);
        assert_eq!(tower_power(600, 40), 150);
        assert_eq!(tower_power(600, 10), 450);
    }
}
