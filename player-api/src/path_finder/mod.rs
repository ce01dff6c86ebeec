//! `PathFinder.search` as Screeps runs it: screeps/driver's native path finder
//! (`native/src/pf.cc`, A* with jump point search over many rooms, by Marcel Laverdet),
//! ported to Rust operation for operation, so costs, node order and tie-breaking — and with
//! them the paths bots get — are Screeps'. `search.rs` holds the search, `heap.rs` its open
//! list.
//!
//! Screeps' native code calls `roomCallback` in the middle of a search, the first time the
//! search looks into a room. A host function here cannot call into JavaScript, so a search
//! is resumable instead: it stops with [`Step::NeedRoom`], the prelude calls the player's
//! `roomCallback` and hands its answer to [`PathSearch::resume`], and the search goes on. The
//! node expansion that met the room is run again from its start once the room is known;
//! that is exact, because an expansion only reads rooms and pushes nodes, and pushing a
//! node again at the same cost changes nothing.

mod heap;
pub(crate) mod host;
mod search;

use std::sync::Arc;

pub(crate) use search::PathSearch;

/// Rooms one search may visit (Screeps' `k_max_rooms`).
pub const MAX_ROOMS: usize = 64;
/// A node a search cannot enter.
pub(crate) const OBSTACLE: u32 = u32::MAX;

/// A room's place on Screeps' world map: `E0` is `xx` 128, `W0` 127; `S0` is `yy` 128, `N0`
/// 127 (screeps/driver `lib/path-finder.js`, `parseRoomName`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MapPos {
    pub xx: u8,
    pub yy: u8,
}

impl MapPos {
    pub(crate) fn id(self) -> usize {
        self.xx as usize | (self.yy as usize) << 8
    }

    /// Parses `W1N2`-style names on the 255×255 map; `None` for anything else.
    pub fn of_name(name: &str) -> Option<MapPos> {
        let c = isoshard_world::RoomCoord::parse(name)?;
        if c.name() != name {
            return None;
        }
        let xx = u8::try_from(c.x.checked_add(128)?).ok()?;
        let yy = u8::try_from(c.y.checked_add(128)?).ok()?;
        Some(MapPos { xx, yy })
    }

    /// The room's name (Screeps' `generateRoomName`).
    pub fn name(self) -> String {
        isoshard_world::RoomCoord {
            x: self.xx as i32 - 128,
            y: self.yy as i32 - 128,
        }
        .name()
    }
}

/// A tile on the world plane: `xx = room.xx * 50 + x`. `(0, 0)` is Screeps' null position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorldPos {
    pub xx: u32,
    pub yy: u32,
}

impl WorldPos {
    pub(crate) const NULL: WorldPos = WorldPos { xx: 0, yy: 0 };

    pub fn new(room: MapPos, x: u8, y: u8) -> WorldPos {
        WorldPos {
            xx: room.xx as u32 * 50 + x as u32,
            yy: room.yy as u32 * 50 + y as u32,
        }
    }

    /// The room the tile is in; `None` off the 255×255 map.
    pub(crate) fn map_pos(self) -> Option<MapPos> {
        Some(MapPos {
            xx: u8::try_from(self.xx / 50).ok()?,
            yy: u8::try_from(self.yy / 50).ok()?,
        })
    }

    pub(crate) fn range_to(self, other: WorldPos) -> u32 {
        self.xx.abs_diff(other.xx).max(self.yy.abs_diff(other.yy))
    }

    pub(crate) fn offset(self, dx: i32, dy: i32) -> WorldPos {
        WorldPos {
            xx: self.xx.wrapping_add_signed(dx),
            yy: self.yy.wrapping_add_signed(dy),
        }
    }
}

/// Terrain for the search, one room at a time: 2 500 tiles indexed `x * 50 + y`, each
/// Screeps' terrain mask (0 plain, 1 wall, 2 swamp).
pub trait RoomTerrains: Send + Sync {
    fn tiles(&self, room: MapPos) -> Option<Arc<[u8; 2500]>>;
}

/// One goal: a position and how close counts (or, fleeing, how far).
#[derive(Debug, Clone, Copy)]
pub struct Goal {
    pub pos: WorldPos,
    pub range: u32,
}

/// The options after screeps/driver's `lib/path-finder.js` clamped them.
#[derive(Debug, Clone, Copy)]
pub struct SearchOptions {
    pub plain_cost: u32,
    pub swamp_cost: u32,
    pub max_rooms: usize,
    pub max_ops: u32,
    pub max_cost: u32,
    pub flee: bool,
    pub heuristic_weight: f64,
    /// Whether the player passed a `roomCallback` (the search then stops at each new room).
    pub room_callback: bool,
}

impl Default for SearchOptions {
    /// screeps/driver's defaults: plain 1, swamp 5, 16 rooms, 2 000 ops, no cost limit,
    /// weight 1.2.
    fn default() -> Self {
        SearchOptions {
            plain_cost: 1,
            swamp_cost: 5,
            max_rooms: 16,
            max_ops: 2000,
            max_cost: u32::MAX,
            flee: false,
            heuristic_weight: 1.2,
            room_callback: false,
        }
    }
}

/// What `roomCallback` answered for a room.
pub enum RoomAnswer {
    /// `false`: the search never enters the room.
    Blocked,
    /// A CostMatrix's 2 500 bytes, or `None` for terrain only.
    Matrix(Option<Box<[u8; 2500]>>),
}

/// How a search ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The origin already satisfies the goals (Screeps: `{path: [], ops: 0, cost: 0,
    /// incomplete: false}`).
    AtGoal,
    /// The origin's room cannot be entered (`incomplete: true`, nothing else).
    StartBlocked,
    Found {
        /// From the first step to the last, the origin left out.
        path: Vec<WorldPos>,
        ops: u32,
        cost: u32,
        incomplete: bool,
    },
}

/// Where a search stands after a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Call `roomCallback` for this room and [`PathSearch::resume`] with its answer.
    NeedRoom(MapPos),
    Done(Outcome),
}

#[cfg(test)]
mod tests;
