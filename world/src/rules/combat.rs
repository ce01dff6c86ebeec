//! Attacks, heals and tower actions. Damage and healing to each target are summed first and
//! applied together, so the order of attackers cannot matter.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use super::validate::{runnable, Accepted, TowerAction, WorkKind};
use crate::constants::*;
use crate::geometry::Position;
use crate::object::*;
use crate::state::ObjectIndex;

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

type Combatants<'w, 's> = Query<
    'w,
    's,
    (
        &'static Position,
        &'static mut ObjectKind,
        Option<&'static mut Hits>,
        Option<&'static mut Store>,
    ),
>;

/// Damage and healing per target, summed before anything applies.
#[derive(Default)]
struct Ledger {
    damage: BTreeMap<ObjectId, u32>,
    healing: BTreeMap<ObjectId, u32>,
}

/// Applies attacks, ranged attacks, heals and tower actions accepted this tick.
pub(crate) fn apply_combat_intents(
    mut accepted: ResMut<Accepted>,
    index: Res<ObjectIndex>,
    mut objects: Combatants,
) {
    let work = std::mem::take(&mut accepted.work);
    let towers = std::mem::take(&mut accepted.towers);
    let entity = |id: &ObjectId| index.by_id.get(id).copied();
    let mut ledger = Ledger::default();
    for (creep, action) in work
        .iter()
        .flat_map(|(creep, asked)| runnable(asked).into_iter().map(move |a| (creep, a)))
    {
        let Some(Ok((cp, ObjectKind::Creep(c), _, _))) = entity(creep).map(|e| objects.get(e))
        else {
            continue;
        };
        let target = action.target;
        let (range, amount, heal) = match action.kind {
            WorkKind::Attack => (1, c.active(BodyPartKind::Attack) * ATTACK_POWER, false),
            WorkKind::RangedAttack => (
                3,
                c.active(BodyPartKind::RangedAttack) * RANGED_ATTACK_POWER,
                false,
            ),
            WorkKind::Heal => (1, c.active(BodyPartKind::Heal) * HEAL_POWER, true),
            _ => continue,
        };
        let Some(Ok((tp, ..))) = entity(&target).map(|e| objects.get(e)) else {
            continue;
        };
        if !cp.in_range_to(*tp, range) {
            continue;
        }
        let book = if heal {
            &mut ledger.healing
        } else {
            &mut ledger.damage
        };
        *book.entry(target).or_default() += amount;
    }
    for (tower, action) in &towers {
        fire_tower(&mut objects, &entity, *tower, *action, &mut ledger);
    }
    let targets: std::collections::BTreeSet<ObjectId> = ledger
        .damage
        .keys()
        .chain(ledger.healing.keys())
        .copied()
        .collect();
    for target in targets {
        let Some(Ok((_, mut kind, Some(mut hits), _))) =
            entity(&target).map(|e| objects.get_mut(e))
        else {
            continue;
        };
        let after = (hits.hits as i64 - ledger.damage.get(&target).copied().unwrap_or(0) as i64
            + ledger.healing.get(&target).copied().unwrap_or(0) as i64)
            .clamp(0, hits.max as i64) as u32;
        hits.hits = after;
        if let ObjectKind::Creep(c) = kind.as_mut() {
            distribute_body_hits(c, after);
        }
    }
}

/// One tower action: spends the energy, books attack or heal, repairs at once.
fn fire_tower(
    objects: &mut Combatants,
    entity: &impl Fn(&ObjectId) -> Option<Entity>,
    tower: ObjectId,
    action: TowerAction,
    ledger: &mut Ledger,
) {
    let target = match action {
        TowerAction::Attack(t) | TowerAction::Heal(t) | TowerAction::Repair(t) => t,
    };
    let (Some(tower_entity), Some(target_entity)) = (entity(&tower), entity(&target)) else {
        return;
    };
    // Read both first and write one at a time: a tower may repair or attack itself.
    let (Ok((tp, _, _, Some(store))), Ok((target_pos, ..))) =
        (objects.get(tower_entity), objects.get(target_entity))
    else {
        return;
    };
    if store.energy < TOWER_ENERGY_COST {
        return;
    }
    let range = tp.range_to(*target_pos);
    if let Ok((_, _, _, Some(mut store))) = objects.get_mut(tower_entity) {
        store.energy -= TOWER_ENERGY_COST;
    }
    match action {
        TowerAction::Attack(_) => {
            *ledger.damage.entry(target).or_default() += tower_power(TOWER_POWER_ATTACK, range)
        }
        TowerAction::Heal(_) => {
            *ledger.healing.entry(target).or_default() += tower_power(TOWER_POWER_HEAL, range)
        }
        TowerAction::Repair(_) => {
            if let Ok((_, _, Some(mut h), _)) = objects.get_mut(target_entity) {
                h.hits = h
                    .hits
                    .saturating_add(tower_power(TOWER_POWER_REPAIR, range))
                    .min(h.max);
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
