//! Labs applying their intents (screeps/engine `processor/intents/labs/*.js`), lab by lab in
//! id order, each as `labs/intents.js` orders them: boost, unboost, then the reaction; and
//! factories producing (`factories/produce.js`). Every rule is re-checked against the live
//! state, which earlier labs may have changed.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use super::economy::Piles;
use super::live;
use super::validate::LabIntents;
use crate::chemistry::{boosts, reaction, reaction_time, reagents, total_reactions_time};
use crate::constants::*;
use crate::object::*;

pub(super) fn apply_lab_intents(
    world: &mut World,
    labs: &BTreeMap<ObjectId, LabIntents>,
    piles: &mut Piles,
) {
    for (lab, asked) in labs {
        if let Some((creep, count)) = asked.boost {
            boost_creep(world, *lab, creep, count);
        }
        if let Some(creep) = asked.unboost {
            unboost_creep(world, piles, *lab, creep);
        }
        if let Some((lab1, lab2)) = asked.run {
            run_reaction(world, *lab, lab1, lab2);
        } else if let Some((lab1, lab2)) = asked.reverse {
            reverse_reaction(world, *lab, lab1, lab2);
        }
    }
}

/// `factories/produce.js`: the components become the product, then the recipe's cooldown.
pub(super) fn apply_produce(world: &mut World, produces: &BTreeMap<ObjectId, ResourceKind>) {
    for (factory, product) in produces {
        let Some(recipe) = crate::commodities::commodity(*product) else {
            continue;
        };
        if cooling(world, *factory) {
            continue;
        }
        let Some(store) = live::store(world, *factory) else {
            continue;
        };
        let have_all = recipe.components.iter().all(|(r, n)| store.get(*r) >= *n);
        let used: u32 = recipe.components.iter().map(|(_, n)| n).sum();
        let fits = store.used() - used.min(store.used()) + recipe.amount
            <= store.limit.total().unwrap_or(0);
        if !have_all || !fits {
            continue;
        }
        for (r, n) in recipe.components {
            live::take(world, *factory, *r, *n);
        }
        live::add(world, *factory, *product, recipe.amount);
        cool_down(world, *factory, recipe.cooldown);
    }
}

/// `power-spawns/process-power.js`: 1 power and 50 energy become one point of the owner's
/// processed power (GPL).
pub(super) fn apply_process_power(
    world: &mut World,
    spawns: &std::collections::BTreeSet<ObjectId>,
) {
    for spawn in spawns {
        let Some(owner) = live::owner(world, *spawn) else {
            continue;
        };
        let (power, energy) = (
            live::amount(world, *spawn, ResourceKind::Power),
            live::amount(world, *spawn, ResourceKind::Energy),
        );
        if power < 1 || energy < POWER_SPAWN_ENERGY_RATIO {
            continue;
        }
        live::take(world, *spawn, ResourceKind::Power, 1);
        live::take(
            world,
            *spawn,
            ResourceKind::Energy,
            POWER_SPAWN_ENERGY_RATIO,
        );
        *world
            .resource_mut::<crate::market::Market>()
            .power
            .entry(owner)
            .or_default() += 1;
    }
}

/// A lab's mineral and its amount, live.
fn mineral_of(world: &World, lab: ObjectId) -> (Option<ResourceKind>, u32) {
    live::store(world, lab).map_or((None, 0), |s| (s.mineral(), s.used() - s.energy()))
}

fn cooling(world: &World, id: ObjectId) -> bool {
    live::entity(world, id)
        .and_then(|e| world.get::<Cooldown>(e))
        .is_some_and(|c| c.ticks > 0)
}

/// Sets a lab's cooldown to show `ticks` next tick (`cooldownTime = gameTime + ticks`;
/// upkeep counts this tick off).
fn cool_down(world: &mut World, lab: ObjectId, ticks: u32) {
    if let Some(e) = live::entity(world, lab) {
        world.entity_mut(e).insert(Cooldown { ticks });
    }
}

/// Whether `other` is a lab within 2 tiles of `lab`.
fn reagent_near(world: &World, lab: ObjectId, other: ObjectId) -> bool {
    let is_lab = matches!(
        live::kind(world, other),
        Some(ObjectKind::Structure(StructureKind::Lab))
    );
    match (live::pos(world, lab), live::pos(world, other)) {
        (Some(a), Some(b)) => is_lab && a.range_to(b) <= 2,
        _ => false,
    }
}

/// `labs/run-reaction.js`: 5 of each reagent make 5 of the product.
fn run_reaction(world: &mut World, lab: ObjectId, lab1: ObjectId, lab2: ObjectId) {
    if cooling(world, lab) || !reagent_near(world, lab, lab1) || !reagent_near(world, lab, lab2) {
        return;
    }
    let ((m1, a1), (m2, a2)) = (mineral_of(world, lab1), mineral_of(world, lab2));
    let (mine, held) = mineral_of(world, lab);
    let (Some(m1), Some(m2)) = (m1, m2) else {
        return;
    };
    if a1 < LAB_REACTION_AMOUNT || a2 < LAB_REACTION_AMOUNT {
        return;
    }
    if held + LAB_REACTION_AMOUNT > LAB_MINERAL_CAPACITY {
        return;
    }
    let Some(product) = reaction(m1, m2).filter(|p| mine.is_none_or(|m| m == *p)) else {
        return;
    };
    live::take(world, lab1, m1, LAB_REACTION_AMOUNT);
    live::take(world, lab2, m2, LAB_REACTION_AMOUNT);
    live::add(world, lab, product, LAB_REACTION_AMOUNT);
    cool_down(world, lab, reaction_time(product).unwrap_or(0));
}

/// `labs/reverse-reaction.js`: 5 of the compound back into 5 of each reagent.
fn reverse_reaction(world: &mut World, lab: ObjectId, lab1: ObjectId, lab2: ObjectId) {
    if cooling(world, lab) || lab1 == lab2 {
        return;
    }
    let (Some(compound), held) = mineral_of(world, lab) else {
        return;
    };
    if held < LAB_REACTION_AMOUNT
        || !reagent_near(world, lab, lab1)
        || !reagent_near(world, lab, lab2)
    {
        return;
    }
    let ((m1, a1), (m2, a2)) = (mineral_of(world, lab1), mineral_of(world, lab2));
    if a1 + LAB_REACTION_AMOUNT > LAB_MINERAL_CAPACITY
        || a2 + LAB_REACTION_AMOUNT > LAB_MINERAL_CAPACITY
    {
        return;
    }
    let fits = |have: Option<ResourceKind>, want| have.is_none_or(|h| h == want);
    let Some((r1, r2)) = reagents(compound).find(|(a, b)| fits(m1, *a) && fits(m2, *b)) else {
        return;
    };
    live::take(world, lab, compound, LAB_REACTION_AMOUNT);
    live::add(world, lab1, r1, LAB_REACTION_AMOUNT);
    live::add(world, lab2, r2, LAB_REACTION_AMOUNT);
    cool_down(world, lab, reaction_time(compound).unwrap_or(0));
}

/// `labs/boost-creep.js`: each part takes 30 of the mineral and 20 energy, TOUGH parts from
/// the first, others from the last, while the lab has enough.
fn boost_creep(world: &mut World, lab: ObjectId, creep: ObjectId, count: Option<u32>) {
    let (Some(mineral), _) = mineral_of(world, lab) else {
        return;
    };
    let (Some(lp), Some(cp)) = (live::pos(world, lab), live::pos(world, creep)) else {
        return;
    };
    if !lp.is_near_to(cp) {
        return;
    }
    let Some(mut body) = live::creep(world, creep)
        .filter(|c| !c.spawning)
        .map(|c| c.body.clone())
    else {
        return;
    };
    let mut open: Vec<usize> = (0..body.len())
        .filter(|i| body[*i].boost.is_none() && boosts(body[*i].kind, mineral))
        .collect();
    if open
        .first()
        .is_some_and(|i| body[*i].kind != BodyPartKind::Tough)
    {
        open.reverse();
    }
    if let Some(n) = count.filter(|n| *n > 0) {
        open.truncate(n as usize);
    }
    let mut boosted = 0;
    for i in open {
        let (have, energy) = (
            mineral_of(world, lab).1,
            live::amount(world, lab, ResourceKind::Energy),
        );
        if have < LAB_BOOST_MINERAL || energy < LAB_BOOST_ENERGY {
            break;
        }
        live::take(world, lab, mineral, LAB_BOOST_MINERAL);
        live::take(world, lab, ResourceKind::Energy, LAB_BOOST_ENERGY);
        body[i].boost = Some(mineral);
        boosted += 1;
    }
    if boosted > 0 {
        set_body(world, creep, body);
    }
}

/// `labs/unboost-creep.js`: every boost comes off; 15 of each part's compound (and
/// `LAB_UNBOOST_ENERGY`, 0) fall at the creep's feet, and the lab cools down by the time the
/// compounds took to make.
fn unboost_creep(world: &mut World, piles: &mut Piles, lab: ObjectId, creep: ObjectId) {
    if cooling(world, lab) || live::owner(world, lab) != live::owner(world, creep) {
        return;
    }
    let (Some(lp), Some(cp)) = (live::pos(world, lab), live::pos(world, creep)) else {
        return;
    };
    let Some(mut body) = live::creep(world, creep).map(|c| c.body.clone()) else {
        return;
    };
    if !lp.is_near_to(cp) {
        return;
    }
    let mut parts: BTreeMap<ResourceKind, u32> = BTreeMap::new();
    for part in &mut body {
        if let Some(b) = part.boost.take() {
            *parts.entry(b).or_default() += 1;
        }
    }
    if parts.is_empty() {
        return;
    }
    set_body(world, creep, body);
    let mut cooldown = 0;
    for (compound, n) in parts {
        piles.drop_resource(world, cp, ResourceKind::Energy, n * LAB_UNBOOST_ENERGY);
        piles.drop_resource(world, cp, compound, n * LAB_UNBOOST_MINERAL);
        cooldown += n * total_reactions_time(compound) * LAB_UNBOOST_MINERAL / LAB_REACTION_AMOUNT;
    }
    if cooldown > 0 {
        cool_down(world, lab, cooldown);
    }
}

/// A creep's new body, and its carry capacity with it (`_recalc-body.js`; what no longer
/// fits is dropped in upkeep).
fn set_body(world: &mut World, creep: ObjectId, body: Vec<BodyPart>) {
    let mut capacity = None;
    if let Some(mut k) = live::kind_mut(world, creep) {
        if let ObjectKind::Creep(c) = k.as_mut() {
            c.body = body;
            capacity = Some(c.carry_capacity());
        }
    }
    if let (Some(cap), Some(mut s)) = (capacity, live::store_mut(world, creep)) {
        s.limit = StoreLimit::Total(cap);
    }
}
