//! Data the engine refreshes every tick and host callbacks read (pathfinding).

use std::collections::BTreeMap;
use std::sync::Arc;

use isoshard_world::{PathGrid, RoomId};
use parking_lot::RwLock;

/// Shared by every player runtime of a shard; the engine swaps in a new grid each tick.
pub struct TickShared {
    grid: RwLock<Option<Arc<PathGrid>>>,
    rooms: BTreeMap<String, RoomId>,
}

impl TickShared {
    /// For a map with these room names.
    pub fn new(rooms: BTreeMap<String, RoomId>) -> Self {
        TickShared {
            grid: RwLock::new(None),
            rooms,
        }
    }

    /// Installs this tick's path grid.
    pub fn set_grid(&self, grid: Arc<PathGrid>) {
        *self.grid.write() = Some(grid);
    }

    /// This tick's path grid, if one was installed.
    pub fn grid(&self) -> Option<Arc<PathGrid>> {
        self.grid.read().clone()
    }

    pub(crate) fn room(&self, name: &str) -> Option<RoomId> {
        self.rooms.get(name).copied()
    }
}
