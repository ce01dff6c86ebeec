//! Terrain and exits for player runtimes, served a room at a time.
//!
//! Every isolate used to receive the whole map at its global reset: 2.5 KB of terrain per
//! room, so megabytes per isolate on a large map (the 1 024-room map of a 500-player shard
//! made each isolate hold 2.5 MB of terrain it never read). Now the host keeps one index per
//! map and process, and the prelude asks for a room on first use (`Game.map.getRoomTerrain`,
//! `room.getTerrain()`, `describeExits`…), keeping the answer until the next global reset.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use isoshard_scripting::ExternalCopy;
use parking_lot::Mutex;
use serde_json::{json, Value};

use crate::error::{PlayerApiError, Result};
use crate::path_finder::{MapPos, RoomTerrains};

/// Screeps' terrain string (row-major digits) as the path finder reads it: `x * 50 + y`.
fn path_finder_tiles(text: &str) -> Option<[u8; 2500]> {
    let bytes = text.as_bytes();
    if bytes.len() != 2500 {
        return None;
    }
    let mut out = [0u8; 2500];
    for x in 0..50 {
        for y in 0..50 {
            out[x * 50 + y] = bytes[y * 50 + x].wrapping_sub(b'0') & 3;
        }
    }
    Some(out)
}

impl RoomTerrains for RoomMapIndex {
    fn tiles(&self, room: MapPos) -> Option<Arc<[u8; 2500]>> {
        self.tiles.get(&room.id()).cloned()
    }
}

/// The map copy last indexed, and its index.
type IndexedMap = (ExternalCopy, Arc<RoomMapIndex>);

/// Each room's `[terrain, exits]`, ready to copy into any isolate.
pub(crate) struct RoomMapIndex {
    rooms: HashMap<String, ExternalCopy>,
    /// `Game.map.getWorldSize()`: rooms between the map's corners.
    pub(crate) world_size: u64,
    /// Terrain for `PathFinder.search`, by map position id, `x * 50 + y`.
    tiles: HashMap<usize, Arc<[u8; 2500]>>,
}

impl RoomMapIndex {
    /// The index of `map` (`{terrain: {room: "…"}, exits: {room: {"1": "…"}}}`), built once
    /// per map copy and process and shared by every runtime started with that copy.
    pub(crate) fn of(map: &ExternalCopy) -> Result<Arc<RoomMapIndex>> {
        static LAST: OnceLock<Mutex<Option<IndexedMap>>> = OnceLock::new();
        let mut last = LAST.get_or_init(|| Mutex::new(None)).lock();
        if let Some((copy, index)) = last.as_ref() {
            if copy.same_copy(map) {
                return Ok(index.clone());
            }
        }
        let index = Arc::new(Self::build(map)?);
        *last = Some((map.clone(), index.clone()));
        Ok(index)
    }

    fn build(map: &ExternalCopy) -> Result<RoomMapIndex> {
        let map = map
            .to_json()
            .map_err(|e| PlayerApiError::Setup(format!("map: {e}")))?;
        let empty = serde_json::Map::new();
        let terrain = map
            .get("terrain")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let exits = map.get("exits").and_then(Value::as_object);
        let status = map.get("status").and_then(Value::as_object);
        let world_size = map.get("worldSize").and_then(Value::as_u64).unwrap_or(0);
        let mut rooms = HashMap::with_capacity(terrain.len());
        let mut tiles = HashMap::with_capacity(terrain.len());
        for (name, t) in terrain {
            if let (Some(place), Some(text)) = (MapPos::of_name(name), t.as_str()) {
                if let Some(t) = path_finder_tiles(text) {
                    tiles.insert(place.id(), Arc::new(t));
                }
            }
            let room_exits = exits
                .and_then(|e| e.get(name))
                .cloned()
                .unwrap_or_else(|| json!({}));
            let room_status = status
                .and_then(|s| s.get(name))
                .cloned()
                .unwrap_or_else(|| json!("normal"));
            rooms.insert(
                name.clone(),
                ExternalCopy::from_json(&json!([t, room_exits, room_status]))?,
            );
        }
        Ok(RoomMapIndex {
            rooms,
            tiles,
            world_size,
        })
    }

    /// `[terrain, exits, status]` of a room, or `null` for a name that is no room of the map.
    pub(crate) fn room(&self, name: &str) -> ExternalCopy {
        self.rooms
            .get(name)
            .cloned()
            .unwrap_or_else(ExternalCopy::null)
    }
}
