//! The map: every room's static data (coordinates, name, terrain, neighbours), and how a new
//! world's map and its rooms' initial objects are generated from the seed.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::constants::*;
use crate::geometry::{Direction, Position, RoomCoord, RoomId, ROOM_SIZE};
use crate::object::*;
use crate::state::spawn_object;
use crate::terrain::{ExitLayout, Terrain, Tile};
use crate::world_config::WorldConfig;

/// A room's static data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomInfo {
    pub id: RoomId,
    pub coord: RoomCoord,
    pub name: String,
    pub terrain: Terrain,
    /// Neighbours through the top, right, bottom and left borders.
    pub neighbors: [Option<RoomId>; 4],
}

/// Static map data; never changes after creation.
#[derive(Resource, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomMap {
    pub rooms: Vec<RoomInfo>,
}

impl RoomMap {
    pub fn get(&self, id: RoomId) -> &RoomInfo {
        &self.rooms[id.0 as usize]
    }

    pub fn by_name(&self, name: &str) -> Option<RoomId> {
        self.rooms.iter().find(|r| r.name == name).map(|r| r.id)
    }

    pub fn tile(&self, pos: Position) -> Tile {
        self.get(pos.room).terrain.get(pos.x, pos.y)
    }
}

/// Neighbour order: top, right, bottom, left.
pub(crate) fn generate_map(rng: &mut ChaCha8Rng, config: WorldConfig) -> RoomMap {
    let (w, h) = (config.width as i32, config.height as i32);
    let index = |gx: i32, gy: i32| -> Option<RoomId> {
        (gx >= 0 && gy >= 0 && gx < w && gy < h).then(|| RoomId((gy * w + gx) as u16))
    };
    // Exit segments are chosen per shared border so both rooms agree.
    let mut horizontal: BTreeMap<(i32, i32), Vec<u8>> = BTreeMap::new(); // border below (gx, gy)
    let mut vertical: BTreeMap<(i32, i32), Vec<u8>> = BTreeMap::new(); // border right of (gx, gy)
    let segment = |rng: &mut ChaCha8Rng| -> Vec<u8> {
        let mut tiles = Vec::new();
        for _ in 0..rng.gen_range(1..=2) {
            let len = rng.gen_range(4..10u8);
            let start = rng.gen_range(3..(ROOM_SIZE - 3 - len));
            tiles.extend(start..start + len);
        }
        tiles.sort_unstable();
        tiles.dedup();
        tiles
    };
    for gy in 0..h {
        for gx in 0..w {
            if gx + 1 < w {
                vertical.insert((gx, gy), segment(rng));
            }
            if gy + 1 < h {
                horizontal.insert((gx, gy), segment(rng));
            }
        }
    }
    let mut rooms = Vec::new();
    for gy in 0..h {
        for gx in 0..w {
            let exits = ExitLayout {
                top: horizontal.get(&(gx, gy - 1)).cloned().unwrap_or_default(),
                bottom: horizontal.get(&(gx, gy)).cloned().unwrap_or_default(),
                left: vertical.get(&(gx - 1, gy)).cloned().unwrap_or_default(),
                right: vertical.get(&(gx, gy)).cloned().unwrap_or_default(),
            };
            let terrain = Terrain::generate(rng, &exits);
            let coord = RoomCoord {
                x: gx - w / 2,
                y: gy - h / 2,
            };
            rooms.push(RoomInfo {
                id: index(gx, gy).expect("inside the grid"),
                coord,
                name: coord.name(),
                terrain,
                neighbors: [
                    index(gx, gy - 1),
                    index(gx + 1, gy),
                    index(gx, gy + 1),
                    index(gx - 1, gy),
                ],
            });
        }
    }
    RoomMap { rooms }
}

/// Places sources (1–2), a controller and maybe a mineral on open tiles away from the border.
pub(crate) fn populate_room(world: &mut World, rng: &mut ChaCha8Rng, room: &RoomInfo) {
    let terrain = &room.terrain;
    let mut taken: Vec<Position> = Vec::new();
    let pick = |rng: &mut ChaCha8Rng, taken: &mut Vec<Position>| -> Option<Position> {
        for _ in 0..2000 {
            let x = rng.gen_range(4..ROOM_SIZE - 4);
            let y = rng.gen_range(4..ROOM_SIZE - 4);
            let p = Position::new(room.id, x, y);
            if terrain.get(x, y) == Tile::Wall || taken.iter().any(|t| t.range_to(p) < 5) {
                continue;
            }
            let open = Direction::ALL
                .iter()
                .filter_map(|d| p.step(*d))
                .filter(|n| terrain.get(n.x, n.y) != Tile::Wall)
                .count();
            if open >= 3 {
                taken.push(p);
                return Some(p);
            }
        }
        None
    };
    let sources = rng.gen_range(1..=2);
    let sources = if room.id.0.is_multiple_of(2) {
        2
    } else {
        sources
    };
    for _ in 0..sources {
        if let Some(p) = pick(rng, &mut taken) {
            spawn_object(
                world,
                p,
                None,
                None,
                None,
                None,
                ObjectKind::Source(Source {
                    energy: SOURCE_ENERGY_NEUTRAL_CAPACITY,
                    capacity: SOURCE_ENERGY_NEUTRAL_CAPACITY,
                    ticks_to_regeneration: None,
                }),
            );
        }
    }
    if let Some(p) = pick(rng, &mut taken) {
        spawn_object(
            world,
            p,
            None,
            None,
            None,
            None,
            ObjectKind::Controller(Controller::neutral()),
        );
    }
    if rng.gen_bool(0.5) {
        if let Some(p) = pick(rng, &mut taken) {
            let types = ["H", "O", "U", "L", "K", "Z", "X"];
            spawn_object(
                world,
                p,
                None,
                None,
                None,
                None,
                ObjectKind::Mineral(Mineral {
                    mineral_type: types[rng.gen_range(0..types.len())].into(),
                    amount: 35_000,
                }),
            );
        }
    }
}
