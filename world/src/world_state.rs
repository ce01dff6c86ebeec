//! `GameWorld`: the bevy `World` holding the game, the tick schedule, and the entry points the
//! engine and replays use.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{ExecutorKind, LogLevel, ScheduleBuildSettings};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::constants::*;
use crate::error::{Result, WorldError};
use crate::geometry::{Direction, Position, RoomCoord, RoomId, ROOM_SIZE};
use crate::intent::IntentBatch;
use crate::object::*;
use crate::rules;
use crate::terrain::{ExitLayout, Terrain, Tile};

/// How a world is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorldConfig {
    pub seed: u64,
    /// Rooms along x.
    pub width: u32,
    /// Rooms along y.
    pub height: u32,
}

impl Default for WorldConfig {
    fn default() -> Self {
        WorldConfig {
            seed: 1,
            width: 3,
            height: 3,
        }
    }
}

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

/// Game time: the number of ticks processed.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GameTime(pub u64);

/// The world's RNG; all randomness comes from here, so it is part of the state.
#[derive(Resource, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorldRng(pub ChaCha8Rng);

/// Next object id.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdAllocator {
    pub next: u64,
}

/// A registered player.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerInfo {
    pub id: PlayerId,
    pub name: String,
    pub home: RoomId,
}

/// All players, in join order.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Players {
    pub list: Vec<PlayerInfo>,
}

impl Players {
    pub fn get(&self, id: PlayerId) -> Option<&PlayerInfo> {
        self.list.iter().find(|p| p.id == id)
    }
}

/// ObjectId → entity. Kept in step by `spawn_object` / `despawn_object`.
#[derive(Resource, Debug, Default)]
pub struct ObjectIndex {
    pub by_id: BTreeMap<ObjectId, Entity>,
}

/// A 32-byte blake3 state hash.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct StateHash(pub [u8; 32]);

impl StateHash {
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl std::fmt::Display for StateHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// Per-player counters for one tick.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerTickStats {
    pub energy_harvested: u32,
    pub creeps_spawned: u32,
    pub creeps_died: u32,
}

/// What a tick produced besides the new state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TickOutcome {
    /// Game time after the tick.
    pub tick: u64,
    /// Return code of every intent, per player, in submission order.
    pub results: BTreeMap<PlayerId, Vec<ReturnCode>>,
    pub stats: BTreeMap<PlayerId, PlayerTickStats>,
    pub state_hash: StateHash,
    /// Per-room hashes the state hash was built from, in room order.
    pub room_hashes: Vec<StateHash>,
}

/// Snapshot format version; bump when the snapshot layout changes.
pub const SNAPSHOT_FORMAT_VERSION: u32 = 1;

/// The whole world as data: restores to the same state hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorldSnapshot {
    pub format_version: u32,
    pub config: WorldConfig,
    pub time: u64,
    pub next_object_id: u64,
    pub rng: ChaCha8Rng,
    pub players: Vec<PlayerInfo>,
    pub map: RoomMap,
    /// Sorted by id.
    pub objects: Vec<ObjectRecord>,
}

/// The simulation. `tick` is a pure function of (state, intents): no clock, no IO, no
/// thread timing, no hash-map iteration order.
pub struct GameWorld {
    pub(crate) world: World,
    schedule: Schedule,
    config: WorldConfig,
}

impl std::fmt::Debug for GameWorld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GameWorld")
            .field("config", &self.config)
            .field("time", &self.time())
            .finish()
    }
}

fn build_schedule() -> Schedule {
    let mut schedule = Schedule::default();
    schedule.set_executor_kind(ExecutorKind::SingleThreaded);
    schedule.set_build_settings(ScheduleBuildSettings {
        ambiguity_detection: LogLevel::Error,
        ..Default::default()
    });
    rules::configure(&mut schedule);
    schedule
}

impl GameWorld {
    /// Generates a new world from `config`.
    ///
    /// # Errors
    /// [`WorldError::InvalidConfig`] for an empty or oversized grid.
    pub fn new(config: WorldConfig) -> Result<GameWorld> {
        if config.width == 0 || config.height == 0 || config.width * config.height > 1024 {
            return Err(WorldError::InvalidConfig(format!(
                "room grid {}x{} must have 1..=1024 rooms",
                config.width, config.height
            )));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        let map = generate_map(&mut rng, config);
        let mut world = World::new();
        world.insert_resource(GameTime(0));
        world.insert_resource(IdAllocator { next: 1 });
        world.insert_resource(Players::default());
        world.insert_resource(ObjectIndex::default());
        world.insert_resource(map.clone());
        let mut this = GameWorld {
            world,
            schedule: build_schedule(),
            config,
        };
        for room in &map.rooms {
            populate_room(&mut this.world, &mut rng, room);
        }
        this.world.insert_resource(WorldRng(rng));
        Ok(this)
    }

    pub fn config(&self) -> WorldConfig {
        self.config
    }

    /// Ticks processed so far (Screeps' `Game.time`).
    pub fn time(&self) -> u64 {
        self.world.resource::<GameTime>().0
    }

    pub fn map(&self) -> &RoomMap {
        self.world.resource::<RoomMap>()
    }

    pub fn players(&self) -> &[PlayerInfo] {
        &self.world.resource::<Players>().list
    }

    /// Places a new player in a free room with two sources: controller at level 1 and a spawn
    /// named `Spawn1` with 300 energy.
    ///
    /// # Errors
    /// [`WorldError::NameTaken`], [`WorldError::InvalidName`], [`WorldError::NoFreeRoom`].
    pub fn add_player(&mut self, name: &str) -> Result<PlayerId> {
        if name.is_empty() || name.len() > 64 || name.chars().any(|c| c.is_control()) {
            return Err(WorldError::InvalidName(name.to_string()));
        }
        if self.players().iter().any(|p| p.name == name) {
            return Err(WorldError::NameTaken(name.to_string()));
        }
        let records = self.records();
        let owned: Vec<RoomId> = self.players().iter().map(|p| p.home).collect();
        let candidates: Vec<RoomId> = self
            .map()
            .rooms
            .iter()
            .map(|r| r.id)
            .filter(|id| !owned.contains(id))
            .filter(|id| {
                records
                    .iter()
                    .filter(|o| o.pos.room == *id && matches!(o.kind, ObjectKind::Source(_)))
                    .count()
                    == 2
            })
            .collect();
        if candidates.is_empty() {
            return Err(WorldError::NoFreeRoom);
        }
        let room = {
            let mut rng = self.world.resource_mut::<WorldRng>();
            candidates[rng.0.gen_range(0..candidates.len())]
        };
        let id = PlayerId(self.players().len() as u32 + 1);
        let controller_pos = records
            .iter()
            .find(|o| o.pos.room == room && matches!(o.kind, ObjectKind::Controller(_)))
            .map(|o| o.pos)
            .ok_or(WorldError::NoFreeRoom)?;
        let spawn_pos = self
            .spawn_site(room, controller_pos, &records)
            .ok_or(WorldError::NoFreeRoom)?;
        // Own the controller and fill sources to owned capacity.
        let in_room: Vec<ObjectRecord> =
            records.into_iter().filter(|o| o.pos.room == room).collect();
        for rec in in_room {
            let entity = self.world.resource::<ObjectIndex>().by_id[&rec.id];
            match rec.kind {
                ObjectKind::Controller(_) => {
                    self.world.entity_mut(entity).insert((
                        Owner(id),
                        ObjectKind::Controller(Controller {
                            level: 1,
                            progress: 0,
                            ticks_to_downgrade: CONTROLLER_DOWNGRADE[1],
                        }),
                    ));
                }
                ObjectKind::Source(_) => {
                    self.world
                        .entity_mut(entity)
                        .insert(ObjectKind::Source(Source {
                            energy: SOURCE_ENERGY_CAPACITY,
                            capacity: SOURCE_ENERGY_CAPACITY,
                            ticks_to_regeneration: None,
                        }));
                }
                _ => {}
            }
        }
        spawn_object(
            &mut self.world,
            spawn_pos,
            Some(id),
            Some(StructureKind::Spawn.initial_hits()),
            Some(Store::new(SPAWN_ENERGY_START, SPAWN_ENERGY_CAPACITY)),
            None,
            ObjectKind::Spawn(StructureSpawn {
                name: "Spawn1".into(),
                spawning: None,
            }),
        );
        self.world.resource_mut::<Players>().list.push(PlayerInfo {
            id,
            name: name.to_string(),
            home: room,
        });
        Ok(id)
    }

    /// A plain tile 3–6 from the controller, away from sources, with all eight neighbours
    /// walkable; the first in scan order.
    fn spawn_site(
        &self,
        room: RoomId,
        controller: Position,
        records: &[ObjectRecord],
    ) -> Option<Position> {
        let terrain = &self.map().get(room).terrain;
        let blocked = |x: u8, y: u8| {
            records
                .iter()
                .any(|o| o.pos.room == room && o.pos.range_to(Position::new(room, x, y)) <= 1)
        };
        for r in 3..=6u32 {
            for y in 3..ROOM_SIZE - 3 {
                for x in 3..ROOM_SIZE - 3 {
                    let p = Position::new(room, x, y);
                    if p.range_to(controller) != r || terrain.get(x, y) != Tile::Plain {
                        continue;
                    }
                    let open = Direction::ALL
                        .iter()
                        .filter_map(|d| p.step(*d))
                        .all(|n| terrain.get(n.x, n.y) == Tile::Plain);
                    if open && !blocked(x, y) {
                        return Some(p);
                    }
                }
            }
        }
        None
    }

    /// Runs one tick: validates and applies `intents`, advances time, returns codes, stats and
    /// the new state hash.
    pub fn tick(&mut self, intents: &IntentBatch) -> TickOutcome {
        self.world
            .insert_resource(rules::TickInput(intents.clone()));
        self.world.insert_resource(rules::TickReport::default());
        self.schedule.run(&mut self.world);
        self.world.resource_mut::<GameTime>().0 += 1;
        let report = self
            .world
            .remove_resource::<rules::TickReport>()
            .unwrap_or_default();
        self.world.remove_resource::<rules::TickInput>();
        let (state_hash, room_hashes) = self.hashes();
        TickOutcome {
            tick: self.time(),
            results: report.results,
            stats: report.stats,
            state_hash,
            room_hashes,
        }
    }

    /// Every object, sorted by id.
    pub fn records(&self) -> Vec<ObjectRecord> {
        records_of(&self.world)
    }

    /// One object.
    pub fn record(&self, id: ObjectId) -> Option<ObjectRecord> {
        let e = *self.world.resource::<ObjectIndex>().by_id.get(&id)?;
        record_of(&self.world, e)
    }

    /// The whole state as data.
    pub fn snapshot(&self) -> WorldSnapshot {
        WorldSnapshot {
            format_version: SNAPSHOT_FORMAT_VERSION,
            config: self.config,
            time: self.time(),
            next_object_id: self.world.resource::<IdAllocator>().next,
            rng: self.world.resource::<WorldRng>().0.clone(),
            players: self.players().to_vec(),
            map: self.map().clone(),
            objects: self.records(),
        }
    }

    /// Rebuilds a world from a snapshot into a fresh bevy `World`.
    ///
    /// # Errors
    /// [`WorldError::UnsupportedSnapshot`] for another format version,
    /// [`WorldError::CorruptSnapshot`] for duplicate ids or positions outside the map.
    pub fn restore(snapshot: WorldSnapshot) -> Result<GameWorld> {
        if snapshot.format_version != SNAPSHOT_FORMAT_VERSION {
            return Err(WorldError::UnsupportedSnapshot(snapshot.format_version));
        }
        let mut world = World::new();
        world.insert_resource(GameTime(snapshot.time));
        world.insert_resource(IdAllocator {
            next: snapshot.next_object_id,
        });
        world.insert_resource(Players {
            list: snapshot.players,
        });
        world.insert_resource(ObjectIndex::default());
        world.insert_resource(WorldRng(snapshot.rng));
        let rooms = snapshot.map.rooms.len();
        world.insert_resource(snapshot.map);
        for rec in snapshot.objects {
            if rec.pos.room.0 as usize >= rooms || rec.pos.x >= ROOM_SIZE || rec.pos.y >= ROOM_SIZE
            {
                return Err(WorldError::CorruptSnapshot(format!(
                    "object {} outside the map",
                    rec.id.to_js()
                )));
            }
            if rec.id.0 >= snapshot.next_object_id {
                return Err(WorldError::CorruptSnapshot(format!(
                    "object id {} not yet allocated",
                    rec.id.to_js()
                )));
            }
            if world.resource::<ObjectIndex>().by_id.contains_key(&rec.id) {
                return Err(WorldError::CorruptSnapshot(format!(
                    "duplicate object id {}",
                    rec.id.to_js()
                )));
            }
            insert_record(&mut world, rec);
        }
        Ok(GameWorld {
            world,
            schedule: build_schedule(),
            config: snapshot.config,
        })
    }

    /// Hash of one room's objects (sorted by id, canonical encoding).
    pub fn room_hash(&self, room: RoomId) -> StateHash {
        let objects: Vec<ObjectRecord> = self
            .records()
            .into_iter()
            .filter(|o| o.pos.room == room)
            .collect();
        hash_records(&objects)
    }

    /// Per-room hashes, in room order.
    pub fn room_hashes(&self) -> Vec<(RoomId, StateHash)> {
        room_hashes_of(&self.records(), self.map().rooms.len())
    }

    /// Hash of the whole state: time, allocator, RNG, players and every room's hash.
    pub fn state_hash(&self) -> StateHash {
        self.hashes().0
    }

    /// The state hash and the per-room hashes it is built from.
    pub fn hashes(&self) -> (StateHash, Vec<StateHash>) {
        let rooms = self.room_hashes();
        let mut h = blake3::Hasher::new();
        h.update(&self.time().to_le_bytes());
        h.update(&self.world.resource::<IdAllocator>().next.to_le_bytes());
        h.update(&postcard::to_stdvec(&self.world.resource::<WorldRng>().0).unwrap_or_default());
        h.update(&postcard::to_stdvec(self.players()).unwrap_or_default());
        for (_, rh) in &rooms {
            h.update(&rh.0);
        }
        (
            StateHash(*h.finalize().as_bytes()),
            rooms.into_iter().map(|(_, h)| h).collect(),
        )
    }
}

pub(crate) fn room_hashes_of(records: &[ObjectRecord], rooms: usize) -> Vec<(RoomId, StateHash)> {
    let mut per_room: Vec<Vec<&ObjectRecord>> = vec![Vec::new(); rooms];
    for r in records {
        per_room[r.pos.room.0 as usize].push(r);
    }
    per_room
        .into_iter()
        .enumerate()
        .map(|(i, objs)| (RoomId(i as u16), hash_records(&objs)))
        .collect()
}

fn hash_records<T: Serialize>(objects: &[T]) -> StateHash {
    // postcard is a canonical, order-preserving encoding of the serde data model.
    let bytes = postcard::to_stdvec(objects).unwrap_or_default();
    StateHash(*blake3::hash(&bytes).as_bytes())
}

pub(crate) fn records_of(world: &World) -> Vec<ObjectRecord> {
    let index = world.resource::<ObjectIndex>();
    index
        .by_id
        .values()
        .filter_map(|e| record_of(world, *e))
        .collect()
}

pub(crate) fn record_of(world: &World, e: Entity) -> Option<ObjectRecord> {
    let entity = world.get_entity(e).ok()?;
    Some(ObjectRecord {
        id: *entity.get::<ObjectId>()?,
        pos: *entity.get::<Position>()?,
        owner: entity.get::<Owner>().map(|o| o.0),
        hits: entity.get::<Hits>().copied(),
        store: entity.get::<Store>().copied(),
        decay: entity.get::<Decay>().copied(),
        kind: entity.get::<ObjectKind>()?.clone(),
    })
}

fn insert_record(world: &mut World, rec: ObjectRecord) -> Entity {
    let mut e = world.spawn((rec.id, rec.pos, rec.kind));
    if let Some(o) = rec.owner {
        e.insert(Owner(o));
    }
    if let Some(h) = rec.hits {
        e.insert(h);
    }
    if let Some(s) = rec.store {
        e.insert(s);
    }
    if let Some(d) = rec.decay {
        e.insert(d);
    }
    let entity = e.id();
    world
        .resource_mut::<ObjectIndex>()
        .by_id
        .insert(rec.id, entity);
    entity
}

/// Creates an object with a fresh id.
pub(crate) fn spawn_object(
    world: &mut World,
    pos: Position,
    owner: Option<PlayerId>,
    hits: Option<Hits>,
    store: Option<Store>,
    decay: Option<Decay>,
    kind: ObjectKind,
) -> ObjectId {
    let id = {
        let mut alloc = world.resource_mut::<IdAllocator>();
        let id = ObjectId(alloc.next);
        alloc.next += 1;
        id
    };
    insert_record(
        world,
        ObjectRecord {
            id,
            pos,
            owner,
            hits,
            store,
            decay,
            kind,
        },
    );
    id
}

/// Removes an object.
pub(crate) fn despawn_object(world: &mut World, id: ObjectId) {
    if let Some(e) = world.resource_mut::<ObjectIndex>().by_id.remove(&id) {
        world.despawn(e);
    }
}

/// Neighbour order: top, right, bottom, left.
fn generate_map(rng: &mut ChaCha8Rng, config: WorldConfig) -> RoomMap {
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
fn populate_room(world: &mut World, rng: &mut ChaCha8Rng, room: &RoomInfo) {
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
            ObjectKind::Controller(Controller {
                level: 0,
                progress: 0,
                ticks_to_downgrade: 0,
            }),
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
