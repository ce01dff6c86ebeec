//! A read-only table of every object at one moment, indexed by id and by tile.

use std::collections::BTreeMap;

use bevy_ecs::world::World;

use crate::geometry::Position;
use crate::object::{ObjectId, ObjectKind, ObjectRecord, PlayerId};
use crate::world_state::records_of;

pub(crate) struct ObjectTable {
    pub records: Vec<ObjectRecord>,
    by_id: BTreeMap<ObjectId, usize>,
    by_tile: BTreeMap<Position, Vec<usize>>,
}

impl ObjectTable {
    pub fn build(world: &World) -> Self {
        let records = records_of(world);
        let mut by_id = BTreeMap::new();
        let mut by_tile: BTreeMap<Position, Vec<usize>> = BTreeMap::new();
        for (i, r) in records.iter().enumerate() {
            by_id.insert(r.id, i);
            by_tile.entry(r.pos).or_default().push(i);
        }
        ObjectTable {
            records,
            by_id,
            by_tile,
        }
    }

    pub fn get(&self, id: ObjectId) -> Option<&ObjectRecord> {
        self.by_id.get(&id).map(|i| &self.records[*i])
    }

    pub fn at(&self, pos: Position) -> impl Iterator<Item = &ObjectRecord> {
        self.by_tile
            .get(&pos)
            .into_iter()
            .flatten()
            .map(|i| &self.records[*i])
    }

    /// Whether an obstacle (creep or obstacle structure) stands on `pos`.
    pub fn obstacle_at(&self, pos: Position) -> bool {
        self.at(pos).any(|o| o.kind.is_obstacle())
    }

    /// Rooms where `player` owns any object (what the player can see and act in).
    pub fn visible_to(&self, player: PlayerId, room: crate::geometry::RoomId) -> bool {
        self.records.iter().any(|o| {
            o.pos.room == room
                && o.owner == Some(player)
                && !matches!(o.kind, ObjectKind::ConstructionSite(_))
        })
    }
}
