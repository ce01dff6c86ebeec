//! The tick's phases. Validation reads through queries and resources; the apply phases are
//! exclusive systems. The schedule chains the phases and runs single-threaded. Every loop that could depend on order iterates in object-id order.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use crate::constants::ReturnCode;
use crate::intent::IntentBatch;
use crate::object::PlayerId;
use serde::{Deserialize, Serialize};

mod census;
mod cleanup;
mod combat;
mod controllers;
mod deposits;
pub(crate) mod economy;
mod invader_cores;
mod labs;
mod minerals;
mod movement;
mod npc;
mod npc_market;
mod nukes;
mod power_banks;
mod spawn_energy;
mod terminals;
mod trading;
mod upkeep;
mod validate;

pub use deposits::{deposit_cooldown, deposit_type_of, DEPOSIT_CRON_TICKS};
pub use invader_cores::{stronghold_cycles, StrongholdCycle};
pub(crate) use npc::spawn_npc_creep;
pub use npc::{InvaderGoals, NpcIntents};
pub use npc_market::{npc_order_rounds, NpcOrderRound};
pub use power_banks::{power_bank_spawns, PowerBankSpawn};
pub(crate) use validate::{next_to_open_exit, Accepted};

/// Phases of one tick, in order.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TickSet {
    /// Check every intent against the state at tick start; keep the accepted ones.
    Validate,
    /// Spawn creeps, place construction sites.
    Spawn,
    /// Drop, pickup, withdraw, transfer, harvest, build, repair, upgrade, claim.
    Economy,
    /// Attack, ranged attack, heal, towers; damage and healing apply together.
    Combat,
    /// Resolve moves and conflicts, apply fatigue, cross room borders.
    Movement,
    /// Spawning progress, ageing, fatigue recovery, regeneration, decay, downgrade.
    Upkeep,
    /// Remove what died or was destroyed; leave tombstones.
    Cleanup,
}

/// Per-player counters for one tick.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerTickStats {
    pub energy_harvested: u32,
    pub creeps_spawned: u32,
    pub creeps_died: u32,
}

/// The intents of the tick being processed.
#[derive(Resource, Debug, Default)]
pub(crate) struct TickInput(pub IntentBatch);

/// What the tick reports back.
#[derive(Resource, Debug, Default)]
pub(crate) struct TickReport {
    pub results: BTreeMap<PlayerId, Vec<ReturnCode>>,
    pub stats: BTreeMap<PlayerId, PlayerTickStats>,
    /// Notifications the tick sends (`utils.sendAttackingNotification`).
    pub notices: Vec<(PlayerId, String)>,
}

pub(crate) fn configure(schedule: &mut Schedule) {
    schedule.configure_sets(
        (
            TickSet::Validate,
            TickSet::Spawn,
            TickSet::Economy,
            TickSet::Combat,
            TickSet::Movement,
            TickSet::Upkeep,
            TickSet::Cleanup,
        )
            .chain(),
    );
    schedule.add_systems(
        (
            validate::clear_last_says,
            npc::plan_npc_actions,
            validate::validate_intents,
        )
            .chain()
            .in_set(TickSet::Validate),
    );
    schedule.add_systems(economy::apply_spawn_intents.in_set(TickSet::Spawn));
    schedule.add_systems(economy::apply_economy_intents.in_set(TickSet::Economy));
    schedule.add_systems(combat::apply_combat_intents.in_set(TickSet::Combat));
    schedule.add_systems(movement::move_creeps.in_set(TickSet::Movement));
    schedule.add_systems(
        (
            npc::keep_lairs_and_raids,
            invader_cores::run_invader_cores,
            upkeep::run_upkeep,
            invader_cores::expand_strongholds,
            power_banks::keep_power_banks,
            deposits::keep_deposits,
            npc_market::renew_npc_orders,
        )
            .chain()
            .in_set(TickSet::Upkeep),
    );
    schedule.add_systems(cleanup::remove_dead_objects.in_set(TickSet::Cleanup));
}

/// Live-world access by object id for the apply phases.
pub(crate) mod live {
    use bevy_ecs::prelude::*;

    use crate::geometry::Position;
    use crate::object::*;
    use crate::state::ObjectIndex;

    pub fn entity(world: &World, id: ObjectId) -> Option<Entity> {
        world.resource::<ObjectIndex>().by_id.get(&id).copied()
    }

    pub fn pos(world: &World, id: ObjectId) -> Option<Position> {
        world.get::<Position>(entity(world, id)?).copied()
    }

    pub fn owner(world: &World, id: ObjectId) -> Option<PlayerId> {
        world.get::<Owner>(entity(world, id)?).map(|o| o.0)
    }

    pub fn kind(world: &World, id: ObjectId) -> Option<&ObjectKind> {
        world.get::<ObjectKind>(entity(world, id)?)
    }

    pub fn store(world: &World, id: ObjectId) -> Option<&Store> {
        world.get::<Store>(entity(world, id)?)
    }

    /// How much of `resource` the object holds (0 without a store).
    pub fn amount(world: &World, id: ObjectId, resource: ResourceKind) -> u32 {
        store(world, id).map_or(0, |s| s.get(resource))
    }

    /// Room left for `resource` (0 without a store).
    pub fn free_for(world: &World, id: ObjectId, resource: ResourceKind) -> u32 {
        store(world, id).map_or(0, |s| s.free_for(resource))
    }

    pub fn hits(world: &World, id: ObjectId) -> Option<Hits> {
        world.get::<Hits>(entity(world, id)?).copied()
    }

    pub fn creep(world: &World, id: ObjectId) -> Option<&Creep> {
        match kind(world, id)? {
            ObjectKind::Creep(c) => Some(c),
            _ => None,
        }
    }

    pub fn store_mut(world: &mut World, id: ObjectId) -> Option<Mut<'_, Store>> {
        let e = entity(world, id)?;
        world.get_mut::<Store>(e)
    }

    /// Adds to the object's store (nothing without one).
    pub fn add(world: &mut World, id: ObjectId, resource: ResourceKind, amount: u32) {
        if let Some(mut s) = store_mut(world, id) {
            s.add(resource, amount);
        }
    }

    /// Takes up to `amount` from the object's store; returns what was taken.
    pub fn take(world: &mut World, id: ObjectId, resource: ResourceKind, amount: u32) -> u32 {
        store_mut(world, id).map_or(0, |mut s| s.take(resource, amount))
    }

    /// Moves `amount` (callers clamp it) from one store to another.
    pub fn move_resource(
        world: &mut World,
        from: ObjectId,
        to: ObjectId,
        resource: ResourceKind,
        amount: u32,
    ) {
        let taken = take(world, from, resource, amount);
        add(world, to, resource, taken);
    }

    pub fn kind_mut(world: &mut World, id: ObjectId) -> Option<Mut<'_, ObjectKind>> {
        let e = entity(world, id)?;
        world.get_mut::<ObjectKind>(e)
    }

    pub fn set_hits(world: &mut World, id: ObjectId, hits: u32) {
        if let Some(e) = entity(world, id) {
            if let Some(mut h) = world.get_mut::<Hits>(e) {
                h.hits = hits.min(h.max);
            }
        }
    }
}
