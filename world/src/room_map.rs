//! The map: every room's static data (coordinates, name, terrain, neighbours), and how a new
//! world's map and its rooms' initial objects are generated from the seed.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;
use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::constants::*;
use crate::geometry::{Direction, Position, RoomCoord, RoomId, ROOM_SIZE};
use crate::object::*;
use crate::state::spawn_object;
use crate::terrain::{ExitLayout, Terrain, Tile};
use crate::world_config::WorldConfig;

/// What a room is, by its place in the grid (Screeps' world layout): every tenth row and
/// column is a highway, where two cross a crossroads; each 10×10 sector has a centre room
/// ringed by eight source-keeper rooms; the rest are normal rooms with a controller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoomKind {
    Normal,
    Highway,
    Crossroads,
    SourceKeeper,
    SectorCentre,
}

impl RoomKind {
    /// The kind of the room at `coord`, from its Screeps name's numbers.
    pub fn of(coord: RoomCoord) -> RoomKind {
        let n = |v: i32| (if v < 0 { -v - 1 } else { v }) % 10;
        let (x, y) = (n(coord.x), n(coord.y));
        match (x == 0, y == 0) {
            (true, true) => RoomKind::Crossroads,
            (true, false) | (false, true) => RoomKind::Highway,
            _ if x == 5 && y == 5 => RoomKind::SectorCentre,
            _ if (4..=6).contains(&x) && (4..=6).contains(&y) => RoomKind::SourceKeeper,
            _ => RoomKind::Normal,
        }
    }

    fn is_highway(self) -> bool {
        matches!(self, RoomKind::Highway | RoomKind::Crossroads)
    }
}

/// Who may enter a room (Screeps' `Game.map.getRoomStatus`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoomStatus {
    #[default]
    Normal,
    Novice,
    Respawn,
    Closed,
}

impl RoomStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RoomStatus::Normal => "normal",
            RoomStatus::Novice => "novice",
            RoomStatus::Respawn => "respawn",
            RoomStatus::Closed => "closed",
        }
    }
}

/// What a snapshot keeps of a room: its place and status. Its terrain and first objects are
/// a function of the world seed and the place, regenerated on restore, so a snapshot of a
/// 10 000-room world does not carry 25 MB of terrain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomSpec {
    pub coord: RoomCoord,
    pub status: RoomStatus,
}

/// A room's static data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomInfo {
    pub id: RoomId,
    pub coord: RoomCoord,
    pub name: String,
    pub kind: RoomKind,
    pub status: RoomStatus,
    pub terrain: Terrain,
    /// Neighbours through the top, right, bottom and left borders.
    pub neighbors: [Option<RoomId>; 4],
}

/// Static map data: rooms are only ever added.
#[derive(Resource, Debug, Clone, PartialEq, Eq)]
pub struct RoomMap {
    pub rooms: Vec<RoomInfo>,
    /// The world seed the terrain was generated from.
    seed: u64,
    by_name: BTreeMap<String, RoomId>,
    by_coord: BTreeMap<RoomCoord, RoomId>,
}

impl RoomMap {
    pub fn get(&self, id: RoomId) -> &RoomInfo {
        &self.rooms[id.0 as usize]
    }

    /// `Game.map.getWorldSize()`: the rooms across the map's wider axis.
    pub fn world_size(&self) -> u32 {
        let span = |f: fn(&RoomInfo) -> i32| {
            let values = self.rooms.iter().map(f);
            values.clone().max().unwrap_or(0) - values.min().unwrap_or(0) + 1
        };
        span(|r| r.coord.x).max(span(|r| r.coord.y)) as u32
    }

    pub fn by_name(&self, name: &str) -> Option<RoomId> {
        self.by_name.get(name).copied()
    }

    pub fn at(&self, coord: RoomCoord) -> Option<RoomId> {
        self.by_coord.get(&coord).copied()
    }

    pub fn tile(&self, pos: Position) -> Tile {
        self.get(pos.room).terrain.get(pos.x, pos.y)
    }

    /// The rooms as a snapshot keeps them.
    pub fn specs(&self) -> Vec<RoomSpec> {
        self.rooms
            .iter()
            .map(|r| RoomSpec {
                coord: r.coord,
                status: r.status,
            })
            .collect()
    }

    /// The world seed the terrain comes from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Builds the map of `specs` (ids in order) for a world of `seed`.
    pub(crate) fn build(seed: u64, specs: &[RoomSpec]) -> RoomMap {
        let mut map = RoomMap {
            rooms: Vec::with_capacity(specs.len()),
            seed,
            by_name: BTreeMap::new(),
            by_coord: BTreeMap::new(),
        };
        map.extend(seed, specs);
        map
    }

    /// Adds rooms (skipping places already on the map) and links neighbours both ways.
    pub(crate) fn extend(&mut self, seed: u64, specs: &[RoomSpec]) -> Vec<RoomId> {
        let mut added = Vec::new();
        for spec in specs {
            if self.by_coord.contains_key(&spec.coord) || self.rooms.len() > u16::MAX as usize {
                continue;
            }
            let id = RoomId(self.rooms.len() as u16);
            let name = spec.coord.name();
            self.by_name.insert(name.clone(), id);
            self.by_coord.insert(spec.coord, id);
            self.rooms.push(RoomInfo {
                id,
                coord: spec.coord,
                name,
                kind: RoomKind::of(spec.coord),
                status: spec.status,
                terrain: room_terrain(seed, spec.coord),
                neighbors: [None; 4],
            });
            added.push(id);
        }
        for i in 0..self.rooms.len() {
            let c = self.rooms[i].coord;
            let around = [(0, -1), (1, 0), (0, 1), (-1, 0)].map(|(dx, dy)| {
                self.at(RoomCoord {
                    x: c.x + dx,
                    y: c.y + dy,
                })
            });
            self.rooms[i].neighbors = around;
        }
        added
    }
}

/// A stream of randomness for one thing in the world (a room, a border), from the seed and
/// where the thing is: generation does not depend on the order rooms are made in.
fn rng_for(seed: u64, what: u64, x: i32, y: i32) -> ChaCha8Rng {
    let mut z = seed
        ^ what.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (x as u32 as u64).rotate_left(21)
        ^ (y as u32 as u64).rotate_left(42);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ChaCha8Rng::seed_from_u64(z ^ (z >> 31))
}

/// The randomness of the `k`-th event of one kind at one room (a stronghold's life, a power
/// bank, a round of NPC orders): from the seed alone, so the world's schedules need no
/// stored state.
pub(crate) fn schedule_rng(seed: u64, stream: u64, coord: RoomCoord, k: u64) -> ChaCha8Rng {
    rng_for(seed, stream.wrapping_add(k << 8), coord.x, coord.y)
}

pub(crate) const STRONGHOLD_STREAM: u64 = 5;
pub(crate) const POWER_BANK_STREAM: u64 = 6;
pub(crate) const NPC_MARKET_STREAM: u64 = 7;
pub(crate) const DEPOSIT_TYPE_STREAM: u64 = 8;

const TERRAIN_STREAM: u64 = 1;
const BORDER_RIGHT_STREAM: u64 = 2;
const BORDER_BELOW_STREAM: u64 = 3;
const OBJECTS_STREAM: u64 = 4;

/// The open tiles of the border between two rooms, the same from both sides: one or two
/// gaps between normal rooms, the border mostly open where a highway is.
fn border_exits(seed: u64, stream: u64, a: RoomCoord, b: RoomCoord) -> Vec<u8> {
    let mut rng = rng_for(seed, stream, a.x, a.y);
    let wide = RoomKind::of(a).is_highway() || RoomKind::of(b).is_highway();
    let mut tiles = Vec::new();
    let (count, len) = if wide {
        (3..=4, 6..12u8)
    } else {
        (1..=2, 4..10u8)
    };
    for _ in 0..rng.gen_range(count) {
        let len = rng.gen_range(len.clone());
        let start = rng.gen_range(3..(ROOM_SIZE - 3 - len));
        tiles.extend(start..start + len);
    }
    tiles.sort_unstable();
    tiles.dedup();
    tiles
}

/// A room's terrain: exits toward all four sides (a side with no room yet keeps its exits
/// for the day an operator adds one), highways more open than the rest.
fn room_terrain(seed: u64, c: RoomCoord) -> Terrain {
    let at = |dx: i32, dy: i32| RoomCoord {
        x: c.x + dx,
        y: c.y + dy,
    };
    let exits = ExitLayout {
        top: border_exits(seed, BORDER_BELOW_STREAM, at(0, -1), c),
        bottom: border_exits(seed, BORDER_BELOW_STREAM, c, at(0, 1)),
        left: border_exits(seed, BORDER_RIGHT_STREAM, at(-1, 0), c),
        right: border_exits(seed, BORDER_RIGHT_STREAM, c, at(1, 0)),
    };
    let mut rng = rng_for(seed, TERRAIN_STREAM, c.x, c.y);
    let wall_percent = if RoomKind::of(c).is_highway() { 22 } else { 38 };
    Terrain::generate(&mut rng, &exits, wall_percent)
}

/// The map of a new world: a `width`×`height` grid. Up to two sectors a side it starts at
/// E1S1 (a small world is normal rooms, highways from E10); larger grids are centred on
/// E0S0, so a 256×256 world is exactly W127N127..E127S127, what PathFinder can address.
pub(crate) fn generate_map(config: WorldConfig) -> RoomMap {
    let (w, h) = (config.width as i32, config.height as i32);
    let origin = |side: i32| if side > 20 { -(side / 2) } else { 1 };
    let (x0, y0) = (origin(w), origin(h));
    let mut specs = Vec::new();
    for gy in 0..h {
        for gx in 0..w {
            specs.push(RoomSpec {
                coord: RoomCoord {
                    x: x0 + gx,
                    y: y0 + gy,
                },
                status: RoomStatus::Normal,
            });
        }
    }
    RoomMap::build(config.seed, &specs)
}

/// A room's first objects, from the seed and its place: a normal room gets a controller,
/// one or two sources and a mineral; a source-keeper room or a sector centre three sources
/// and a mineral and no controller, and a source-keeper room a keeper's lair beside each of
/// them (its keeper comes `ENERGY_REGEN_TIME` later, `rules::npc`); highways nothing.
pub(crate) fn populate_room(world: &mut World, seed: u64, room: &RoomInfo) {
    let rng = &mut rng_for(seed, OBJECTS_STREAM, room.coord.x, room.coord.y);
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
    let (sources, controller, capacity) = match room.kind {
        RoomKind::Highway | RoomKind::Crossroads => return,
        RoomKind::SourceKeeper | RoomKind::SectorCentre => {
            (3, false, SOURCE_ENERGY_KEEPER_CAPACITY)
        }
        // Every other room on a diagonal has two sources, so new players find homes.
        RoomKind::Normal if (room.coord.x + room.coord.y).rem_euclid(2) == 0 => {
            (2, true, SOURCE_ENERGY_NEUTRAL_CAPACITY)
        }
        RoomKind::Normal => (rng.gen_range(1..=2), true, SOURCE_ENERGY_NEUTRAL_CAPACITY),
    };
    let mut guarded = Vec::new();
    for _ in 0..sources {
        if let Some(p) = pick(rng, &mut taken) {
            guarded.push(p);
            let source = Source {
                energy: capacity,
                capacity,
                ticks_to_regeneration: None,
                invader_harvested: 0,
            };
            spawn_object(world, p, None, None, None, None, ObjectKind::Source(source));
        }
    }
    if controller {
        if let Some(p) = pick(rng, &mut taken) {
            let kind = ObjectKind::Controller(Controller::neutral());
            spawn_object(world, p, None, None, None, None, kind);
        }
    }
    if let Some(p) = pick(rng, &mut taken) {
        use crate::resources::ResourceKind::*;
        let types = [
            Hydrogen, Oxygen, Utrium, Lemergium, Keanium, Zynthium, Catalyst,
        ];
        let mineral = Mineral {
            mineral_type: types[rng.gen_range(0..types.len())],
            // Every generated deposit starts at moderate density; regeneration re-draws it
            // as Screeps does (`minerals/tick.js`).
            amount: MINERAL_DENSITY[DENSITY_MODERATE as usize],
            density: DENSITY_MODERATE,
            ticks_to_regeneration: None,
        };
        spawn_object(
            world,
            p,
            None,
            None,
            None,
            None,
            ObjectKind::Mineral(mineral),
        );
        guarded.push(p);
    }
    if room.kind == RoomKind::SourceKeeper {
        place_lairs(world, room, &guarded);
    }
}

/// A keeper's lair two tiles from each guarded resource: the first open tile in a fixed
/// scan order that no object holds (Screeps' maps place them by hand, a few tiles off).
fn place_lairs(world: &mut World, room: &RoomInfo, guarded: &[Position]) {
    let mut used: Vec<Position> = guarded.to_vec();
    for at in guarded {
        let ring = (-2i32..=2)
            .flat_map(|dx| (-2i32..=2).map(move |dy| (dx, dy)))
            .filter(|(dx, dy)| dx.abs() == 2 || dy.abs() == 2);
        let spot = ring
            .filter_map(|(dx, dy)| {
                let (x, y) = (i32::from(at.x) + dx, i32::from(at.y) + dy);
                let inside = (2..i32::from(ROOM_SIZE) - 2).contains(&x)
                    && (2..i32::from(ROOM_SIZE) - 2).contains(&y);
                inside.then(|| Position::new(room.id, x as u8, y as u8))
            })
            .find(|p| room.terrain.get(p.x, p.y) != Tile::Wall && !used.contains(p));
        if let Some(p) = spot {
            used.push(p);
            let lair = ObjectKind::Structure(crate::object::StructureKind::KeeperLair);
            spawn_object(world, p, None, None, None, None, lair);
        }
    }
}
