//! The end of the tick: dead creeps become tombstones, destroyed structures ruins
//! (screeps/engine `creeps/_die.js`, `structures/_destroy.js`).

use bevy_ecs::prelude::*;

use super::live;
use super::validate::Accepted;
use super::TickReport;
use crate::constants::*;
use crate::events::{EventKind, EventLog};
use crate::geometry::Position;
use crate::object::*;
use crate::state::{despawn_object, spawn_object, GameTime};

/// A creep that dies this tick and what it leaves.
struct Death {
    id: ObjectId,
    pos: Position,
    creep: Creep,
    owner: Option<PlayerId>,
    /// What the creep carried.
    carried: Vec<(ResourceKind, u32)>,
    /// Percent of the body's cost returned (20 on death, 100 when recycled).
    corpse_percent: u32,
}

/// Energy a creep's body leaves: per part its cost × the rate × the share of its life left,
/// at most `CREEP_PART_MAX_ENERGY`, summed, then floored. Exact in integers: every part's
/// share is over the same denominator.
pub(crate) fn corpse_energy(creep: &Creep, percent: u32) -> u32 {
    // A keeper has no age, so Screeps' share of life left is NaN: it leaves nothing.
    if creep.ticks_to_live == crate::npc::KEEPER_LIFE {
        return 0;
    }
    let lifetime = if creep.body.iter().any(|p| p.kind == BodyPartKind::Claim) {
        CREEP_CLAIM_LIFE_TIME
    } else {
        CREEP_LIFE_TIME
    };
    let denominator = 100 * u64::from(lifetime);
    let sum: u64 = creep
        .body
        .iter()
        .map(|p| {
            let share =
                u64::from(p.kind.cost()) * u64::from(percent) * u64::from(creep.ticks_to_live);
            share.min(u64::from(CREEP_PART_MAX_ENERGY) * denominator)
        })
        .sum();
    (sum / denominator) as u32
}

/// Removes dead creeps (no hits, no ticks to live, suicide, recycled) leaving tombstones with
/// their energy and part of their body's, and destroyed structures (no hits) leaving ruins
/// with their store.
pub(crate) fn remove_dead_objects(world: &mut World) {
    let (suicides, recycled) = {
        let mut accepted = world.resource_mut::<Accepted>();
        (
            std::mem::take(&mut accepted.suicides),
            std::mem::take(&mut accepted.recycles),
        )
    };
    let tick = world.resource::<GameTime>().0;
    let mut deaths = Vec::new();
    let mut ruins = Vec::new();
    let mut q = world.query::<(
        &ObjectId,
        &Position,
        &ObjectKind,
        Option<&Hits>,
        Option<&Owner>,
        Option<&Store>,
    )>();
    for (id, pos, kind, hits, owner, store) in q.iter(world) {
        match kind {
            ObjectKind::Creep(c) if !c.spawning => {
                let recycle = recycled.contains(id);
                let dies = hits.is_some_and(|h| h.hits == 0)
                    || c.ticks_to_live == 0
                    || suicides.contains(id)
                    || recycle;
                if dies {
                    deaths.push(Death {
                        id: *id,
                        pos: *pos,
                        creep: c.clone(),
                        owner: owner.map(|o| o.0),
                        carried: store.map_or(Vec::new(), |s| s.contents().to_vec()),
                        corpse_percent: if recycle { 100 } else { CREEP_CORPSE_PERCENT },
                    });
                }
            }
            // A rampart outside its owner's room has no maximum and still falls at 0.
            k if k.structure().is_some()
                && hits.is_some_and(|h| {
                    h.hits == 0 && (h.max > 0 || matches!(k, ObjectKind::Rampart(_)))
                }) =>
            {
                let ruin = Ruin {
                    structure: *id,
                    structure_kind: k.structure().unwrap_or(StructureKind::Road),
                    structure_owner: owner.map(|o| o.0),
                    hits_max: hits.map_or(0, |h| h.max),
                    destroy_time: tick,
                    ticks_to_decay: ruin_decay(k, tick),
                };
                ruins.push((
                    *pos,
                    ruin,
                    store.map_or(Vec::new(), |s| s.contents().to_vec()),
                ));
            }
            _ => {}
        }
    }
    deaths.sort_by_key(|d| d.id);
    ruins.sort_by_key(|r| r.1.structure);
    for (pos, ruin, contents) in ruins {
        destroy_structure(world, pos, ruin, contents);
    }
    for death in deaths {
        bury(world, death, tick);
    }
}

/// How long a structure's ruin lasts: `RUIN_DECAY`, a power bank's 10 ticks
/// (`RUIN_DECAY_STRUCTURES`), and an invader core's at least until its collapse (`_destroy.js`).
fn ruin_decay(kind: &ObjectKind, tick: u64) -> u32 {
    match kind {
        ObjectKind::InvaderCore(core) => {
            let collapse = core.collapse_time.saturating_sub(tick);
            RUIN_DECAY.max(u32::try_from(collapse).unwrap_or(u32::MAX))
        }
        ObjectKind::PowerBank(_) => RUIN_DECAY_POWER_BANK,
        _ => RUIN_DECAY,
    }
}

/// Removes a structure and leaves its ruin (a spawn takes the creep inside with it).
pub(crate) fn destroy_structure(
    world: &mut World,
    pos: Position,
    ruin: Ruin,
    contents: Vec<(ResourceKind, u32)>,
) {
    if let Some(ObjectKind::Spawn(s)) = live::kind(world, ruin.structure) {
        if let Some(sp) = &s.spawning {
            let inside = sp.creep;
            despawn_object(world, inside);
        }
    }
    despawn_object(world, ruin.structure);
    let kind = EventKind::ObjectDestroyed {
        object_type: ruin.structure_kind.as_str().to_string(),
    };
    world
        .resource_mut::<EventLog>()
        .push(pos.room, ruin.structure, kind);
    let mut store = Store::empty(StoreLimit::Unlimited);
    for (resource, amount) in contents {
        store.add(resource, amount);
    }
    spawn_object(
        world,
        pos,
        None,
        None,
        Some(store),
        None,
        ObjectKind::Ruin(ruin),
    );
}

/// A creep's tombstone; what its body returns goes to a container under it first.
fn bury(world: &mut World, d: Death, tick: u64) {
    despawn_object(world, d.id);
    let kind = EventKind::ObjectDestroyed {
        object_type: "creep".into(),
    };
    world
        .resource_mut::<EventLog>()
        .push(d.pos.room, d.id, kind);
    // Screeps counts the life left as the tick began; upkeep has already aged the creep.
    let mut at_start = d.creep.clone();
    at_start.ticks_to_live += 1;
    let mut body = corpse_energy(&at_start, d.corpse_percent);
    let mut containers = world.query::<(&ObjectId, &Position, &ObjectKind, &Hits, &Store)>();
    let under = containers
        .iter(world)
        .find(|(_, p, k, h, _)| {
            **p == d.pos
                && matches!(k, ObjectKind::Structure(StructureKind::Container))
                && h.hits > 0
        })
        .map(|(id, _, _, _, s)| (*id, s.free_for(ResourceKind::Energy)));
    if let Some((container, free)) = under {
        let into = body.min(free);
        live::add(world, container, ResourceKind::Energy, into);
        body -= into;
    }
    let mut store = Store::with(StoreLimit::Unlimited, ResourceKind::Energy, body);
    for (resource, amount) in d.carried {
        store.add(resource, amount);
    }
    let store = Some(store);
    let tombstone = Tombstone {
        creep_name: d.creep.name.clone(),
        creep_owner: d.owner.unwrap_or(PlayerId(0)),
        death_time: tick,
        ticks_to_decay: d.creep.body.len() as u32 * TOMBSTONE_DECAY_PER_PART,
    };
    spawn_object(
        world,
        d.pos,
        None,
        None,
        store,
        None,
        ObjectKind::Tombstone(tombstone),
    );
    if let Some(owner) = d.owner {
        world
            .resource_mut::<TickReport>()
            .stats
            .entry(owner)
            .or_default()
            .creeps_died += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creep(parts: &[BodyPartKind], ticks_to_live: u32) -> Creep {
        Creep {
            name: "c".into(),
            body: parts
                .iter()
                .map(|k| BodyPart {
                    kind: *k,
                    hits: 100,
                    boost: None,
                })
                .collect(),
            fatigue: 0,
            ticks_to_live,
            spawning: false,
            saying: None,
        }
    }

    #[test]
    fn corpse_energy_follows_screeps_die_js() {
        use BodyPartKind::*;
        // 0.2 × (100 + 50 + 50) × 750/1500 = 20.
        assert_eq!(corpse_energy(&creep(&[Work, Carry, Move], 750), 20), 20);
        // Recycled at full life: every part's cost, a HEAL part capped at 125.
        assert_eq!(corpse_energy(&creep(&[Heal, Move], 1500), 100), 125 + 50);
        // A CLAIM creep lives 600 ticks: 0.2 × (600 + 50) × 300/600 = 65.
        assert_eq!(corpse_energy(&creep(&[Claim, Move], 300), 20), 65);
        assert_eq!(corpse_energy(&creep(&[Work], 0), 100), 0);
    }
}
