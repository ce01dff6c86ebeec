//! Minerals: harvesting through an extractor (`processor/intents/creeps/harvest.js`) and
//! regeneration (`processor/intents/minerals/tick.js`).

use bevy_ecs::prelude::*;
use rand::Rng;

use super::economy::Piles;
use super::live;
use crate::chemistry::BoostAction;
use crate::constants::*;
use crate::events::{EventKind, EventLog};
use crate::geometry::Position;
use crate::object::*;
use crate::state::WorldRng;

/// One creep's harvest of a mineral. Validation checked the extractor's owner, level and
/// cooldown at the start of the tick; as in Screeps, several creeps harvest in the same tick
/// (the cooldown set here shows from the next tick).
pub(super) fn harvest_mineral(
    world: &mut World,
    piles: &mut Piles,
    creep: ObjectId,
    target: ObjectId,
) {
    let (Some(cp), Some(tp), Some(c)) = (
        live::pos(world, creep),
        live::pos(world, target),
        live::creep(world, creep),
    ) else {
        return;
    };
    let power = c.power(
        BodyPartKind::Work,
        BoostAction::Harvest,
        HARVEST_MINERAL_POWER,
    );
    let mut q = world.query::<(&ObjectId, &Position, &ObjectKind)>();
    let extractor = q
        .iter(world)
        .find(|(_, p, k)| **p == tp && k.structure() == Some(StructureKind::Extractor))
        .map(|(id, ..)| *id);
    let (Some(extractor), true) = (extractor, power > 0) else {
        return;
    };
    let mut got = None;
    if let Some(mut k) = live::kind_mut(world, target) {
        if let ObjectKind::Mineral(m) = k.as_mut() {
            let amount = power.min(m.amount);
            m.amount -= amount;
            got = Some((m.mineral_type, amount));
        }
    }
    let Some((resource, amount)) = got.filter(|(_, a)| *a > 0) else {
        return;
    };
    let keep = amount.min(live::free_for(world, creep, resource));
    live::add(world, creep, resource, keep);
    piles.drop_resource(world, cp, resource, amount - keep);
    // extractors/tick.js sets the cooldown after counting down, so it shows in full next
    // tick; upkeep counts this one down once this tick.
    if let Some(e) = live::entity(world, extractor) {
        world.entity_mut(e).insert(Cooldown {
            ticks: EXTRACTOR_COOLDOWN + 1,
        });
    }
    // harvest.js logs the harvest power, not the amount, for minerals.
    let kind = EventKind::Harvest {
        target,
        amount: power,
    };
    world.resource_mut::<EventLog>().push(cp.room, creep, kind);
}

/// An exhausted mineral regenerates `MINERAL_REGEN_TIME` ticks after it ran out, to its
/// density's amount; a low or ultra density (and any other with a 5 % chance) is re-drawn
/// from `MINERAL_DENSITY_PROBABILITY`, never the same as before. Minerals are visited in id
/// order so the draws from the world's RNG are the same on every replay.
pub(super) fn regenerate_minerals(world: &mut World) {
    let mut q = world.query::<(&ObjectId, &ObjectKind)>();
    let mut ids: Vec<ObjectId> = q
        .iter(world)
        .filter(|(_, k)| matches!(k, ObjectKind::Mineral(m) if m.amount == 0))
        .map(|(id, _)| *id)
        .collect();
    ids.sort_unstable();
    for id in ids {
        world.resource_scope(|world, mut rng: Mut<WorldRng>| {
            if let Some(mut k) = live::kind_mut(world, id) {
                if let ObjectKind::Mineral(m) = k.as_mut() {
                    tick_exhausted(m, &mut rng.0);
                }
            }
        });
    }
}

fn tick_exhausted(m: &mut Mineral, rng: &mut impl Rng) {
    match m.ticks_to_regeneration {
        None => m.ticks_to_regeneration = Some(MINERAL_REGEN_TIME - 1),
        Some(t) if t > 1 => m.ticks_to_regeneration = Some(t - 1),
        Some(_) => {
            m.ticks_to_regeneration = None;
            m.amount = MINERAL_DENSITY[m.density.clamp(1, 4) as usize];
            let redraw = m.density == DENSITY_LOW
                || m.density == DENSITY_ULTRA
                || rng.gen_range(0..1000) < MINERAL_DENSITY_CHANGE_MILLI;
            if redraw {
                m.density = loop {
                    let draw = rng.gen_range(0..1000);
                    let density = MINERAL_DENSITY_PROBABILITY_MILLI
                        .iter()
                        .position(|limit| draw < *limit)
                        .map_or(DENSITY_ULTRA, |i| i as u8 + 1);
                    if density != m.density {
                        break density;
                    }
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn exhausted(density: u8) -> Mineral {
        Mineral {
            mineral_type: ResourceKind::Hydrogen,
            amount: 0,
            density,
            ticks_to_regeneration: None,
        }
    }

    #[test]
    fn an_exhausted_mineral_refills_after_the_regeneration_time() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let mut m = exhausted(DENSITY_MODERATE);
        tick_exhausted(&mut m, &mut rng);
        assert_eq!(m.ticks_to_regeneration, Some(MINERAL_REGEN_TIME - 1));
        let mut ticks = 1;
        while m.amount == 0 {
            tick_exhausted(&mut m, &mut rng);
            ticks += 1;
        }
        assert_eq!(ticks, MINERAL_REGEN_TIME);
        assert_eq!(m.amount, MINERAL_DENSITY[DENSITY_MODERATE as usize]);
        assert_eq!(m.ticks_to_regeneration, None);
    }

    #[test]
    fn low_and_ultra_densities_are_always_redrawn_to_another() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for density in [DENSITY_LOW, DENSITY_ULTRA] {
            for _ in 0..50 {
                let mut m = exhausted(density);
                m.ticks_to_regeneration = Some(1);
                tick_exhausted(&mut m, &mut rng);
                assert_eq!(m.amount, MINERAL_DENSITY[density as usize]);
                assert_ne!(m.density, density);
                assert!((1..=4).contains(&m.density));
            }
        }
    }
}
