//! Where a spawn's energy comes from (screeps/engine `spawns/_charge-energy.js`): the
//! owner's switched-on spawns, then extensions, nearest the spawn first, or the
//! `energyStructures` listed, in their order.

use bevy_ecs::prelude::*;

use super::live;
use super::validate::Accepted;
use crate::geometry::Position;
use crate::object::*;

/// Each player's spawns and extensions per room, spawns first, each in id order: where
/// spawning and renewing take energy from (surveyed once a tick, not per spawn).
pub(super) struct EnergyHolders(
    std::collections::BTreeMap<(crate::geometry::RoomId, PlayerId), Vec<(u8, Position, ObjectId)>>,
);

impl EnergyHolders {
    /// No holders (a tick without spawning or renewing surveys nothing).
    pub(super) fn none() -> EnergyHolders {
        EnergyHolders(Default::default())
    }

    pub(super) fn survey(world: &mut World) -> EnergyHolders {
        let off = world.resource::<Accepted>().off_energy.clone();
        let mut q = world.query::<(&ObjectId, &Position, &ObjectKind, &Owner)>();
        let mut found: Vec<(crate::geometry::RoomId, PlayerId, u8, Position, ObjectId)> = q
            .iter(world)
            .filter_map(|(id, p, k, o)| match k {
                ObjectKind::Spawn(_) => Some((p.room, o.0, 0, *p, *id)),
                ObjectKind::Structure(StructureKind::Extension) => Some((p.room, o.0, 1, *p, *id)),
                _ => None,
            })
            .filter(|(.., id)| !off.contains(id))
            .collect();
        found.sort_unstable_by_key(|(room, player, kind, _, id)| (*room, *player, *kind, *id));
        let mut by_room: std::collections::BTreeMap<_, Vec<_>> = Default::default();
        for (room, player, kind, pos, id) in found {
            by_room
                .entry((room, player))
                .or_default()
                .push((kind, pos, id));
        }
        EnergyHolders(by_room)
    }

    /// `newEnergyHandling`: takes `cost` from the listed structures in their order (the
    /// player's switched-on spawns and extensions in the room, each once); false, and
    /// nothing taken, when they hold less.
    pub(super) fn charge_listed(
        &self,
        world: &mut World,
        spawn: Position,
        player: PlayerId,
        ids: &[ObjectId],
        cost: u32,
    ) -> bool {
        let usable = self.0.get(&(spawn.room, player));
        let mut seen = std::collections::BTreeSet::new();
        let order: Vec<ObjectId> = ids
            .iter()
            .copied()
            .filter(|id| usable.is_some_and(|h| h.iter().any(|(.., have)| have == id)))
            .filter(|id| seen.insert(*id))
            .collect();
        let held: u32 = order
            .iter()
            .map(|id| live::amount(world, *id, ResourceKind::Energy))
            .sum();
        if held < cost {
            return false;
        }
        let mut left = cost;
        for id in order {
            if left == 0 {
                break;
            }
            left -= live::take(world, id, ResourceKind::Energy, left);
        }
        true
    }

    /// Takes `cost` from the player's spawns, then extensions, each nearest the spawning
    /// spawn first (`_charge-energy.js`, `comparatorDistance`; ties by id, where Screeps
    /// keeps its object order); false, and nothing taken, when the room holds less.
    pub(super) fn charge(
        &self,
        world: &mut World,
        spawn: Position,
        player: PlayerId,
        cost: u32,
    ) -> bool {
        let Some(holders) = self.0.get(&(spawn.room, player)) else {
            return cost == 0;
        };
        let held: u32 = holders
            .iter()
            .map(|(.., id)| live::amount(world, *id, ResourceKind::Energy))
            .sum();
        if held < cost {
            return false;
        }
        let mut order: Vec<(u8, u32, ObjectId)> = holders
            .iter()
            .map(|(kind, pos, id)| (*kind, pos.range_to(spawn), *id))
            .collect();
        order.sort_unstable();
        let mut left = cost;
        for (.., id) in &order {
            if left == 0 {
                break;
            }
            left -= live::take(world, *id, ResourceKind::Energy, left);
        }
        true
    }
}
