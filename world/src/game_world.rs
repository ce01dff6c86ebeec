//! `GameWorld`: the bevy `World` holding the game, the tick schedule, and the entry points the
//! engine and replays use.

use crate::state::Summoned;
use std::collections::BTreeMap;

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{ExecutorKind, LogLevel, ScheduleBuildSettings};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::constants::*;
use crate::error::{Result, WorldError};
use crate::events::EventLog;
use crate::geometry::{RoomId, ROOM_SIZE};
use crate::intent::IntentBatch;
use crate::object::*;
use crate::room_map::{generate_map, populate_room, RoomMap, RoomSpec, RoomStatus};

/// Rooms a world may have: room ids are 16 bits.
pub const MAX_ROOMS: usize = 1 << 16;
use crate::rules::{self, PlayerTickStats};
use crate::snapshot::*;
use crate::state::*;
use crate::world_config::WorldConfig;

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
    /// Messages for players (their objects under attack), not part of the state.
    pub notifications: Vec<(PlayerId, String)>,
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
    // Every apply phase writes `ObjectKind`, so bevy finds nothing to run side by side; the
    // multi-threaded executor only adds its hand-offs (BENCHMARKS.md measures both).
    schedule.set_executor_kind(if cfg!(feature = "parallel-executor") {
        ExecutorKind::MultiThreaded
    } else {
        ExecutorKind::SingleThreaded
    });
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
        let rooms = u64::from(config.width) * u64::from(config.height);
        if rooms == 0 || rooms > MAX_ROOMS as u64 {
            return Err(WorldError::InvalidConfig(format!(
                "room grid {}x{} must have 1..={MAX_ROOMS} rooms",
                config.width, config.height
            )));
        }
        let rng = ChaCha8Rng::seed_from_u64(config.seed);
        let map = generate_map(config);
        let mut world = World::new();
        crate::state::register_object_components(&mut world);
        world.insert_resource(GameTime(0));
        world.insert_resource(IdAllocator { next: 1 });
        world.insert_resource(Players::default());
        world.insert_resource(ObjectIndex::default());
        world.insert_resource(EventLog::default());
        world.insert_resource(crate::market::Market::default());
        world.insert_resource(crate::state::Quiet::default());
        world.insert_resource(rules::InvaderGoals::default());
        world.insert_resource(Summoned::default());
        world.insert_resource(rules::NpcIntents::default());
        world.insert_resource(map.clone());
        let mut this = GameWorld {
            world,
            schedule: build_schedule(),
            config,
        };
        for room in &map.rooms {
            populate_room(&mut this.world, config.seed, room);
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

    /// Runs one tick: validates and applies `intents`, advances time, returns codes, stats and
    /// the new state hash.
    pub fn tick(&mut self, intents: &IntentBatch) -> TickOutcome {
        self.world
            .insert_resource(rules::TickInput(intents.clone()));
        self.world.insert_resource(rules::TickReport::default());
        self.world.insert_resource(EventLog::default());
        self.world.insert_resource(rules::Accepted::default());
        self.world
            .insert_resource(crate::state::Observations::default());
        self.schedule.run(&mut self.world);
        self.world.resource_mut::<GameTime>().0 += 1;
        let report = self
            .world
            .remove_resource::<rules::TickReport>()
            .unwrap_or_default();
        self.world.remove_resource::<rules::TickInput>();
        self.world.remove_resource::<rules::Accepted>();
        let room_count = self.map().rooms.len();
        let rooms = crate::hash_cache::room_hashes(&mut self.world, room_count);
        let (state_hash, room_hashes) = self.combine_hashes(rooms);
        TickOutcome {
            tick: self.time(),
            results: report.results,
            stats: report.stats,
            state_hash,
            room_hashes,
            notifications: report.notices,
        }
    }

    /// What happened in each room during the last tick.
    pub fn events(&self) -> &EventLog {
        self.world.resource::<EventLog>()
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
            rooms: self.map().specs(),
            objects: self.records(),
            market: self.market().clone(),
            quiet: self
                .world
                .resource::<crate::state::Quiet>()
                .0
                .iter()
                .copied()
                .collect(),
            invader_goals: self.world.resource::<rules::InvaderGoals>().0.clone(),
            summoned: self.world.resource::<Summoned>().0.clone(),
        }
    }

    /// Credits and terminal transactions.
    pub fn market(&self) -> &crate::market::Market {
        self.world.resource::<crate::market::Market>()
    }

    pub(crate) fn market_mut(&mut self) -> bevy_ecs::world::Mut<'_, crate::market::Market> {
        self.world.resource_mut::<crate::market::Market>()
    }

    /// Adds rooms to a running world (an operator growing the map): each gets its terrain and
    /// first objects from the seed and its place, as if it had been there from the start,
    /// and is linked to its neighbours. Places already on the map are skipped.
    ///
    /// # Errors
    /// [`WorldError::InvalidConfig`] past [`MAX_ROOMS`].
    pub fn add_rooms(&mut self, specs: &[RoomSpec]) -> Result<Vec<RoomId>> {
        if self.map().rooms.len() + specs.len() > MAX_ROOMS {
            return Err(WorldError::InvalidConfig(format!(
                "a map holds at most {MAX_ROOMS} rooms"
            )));
        }
        let seed = self.config.seed;
        let added = self.world.resource_mut::<RoomMap>().extend(seed, specs);
        for id in &added {
            let room = self.map().get(*id).clone();
            populate_room(&mut self.world, seed, &room);
        }
        Ok(added)
    }

    /// Sets who may enter a room (`Game.map.getRoomStatus`).
    ///
    /// # Errors
    /// [`WorldError::InvalidConfig`] for a room not on the map.
    pub fn set_room_status(&mut self, room: &str, status: RoomStatus) -> Result<()> {
        let mut map = self.world.resource_mut::<RoomMap>();
        let id = map
            .by_name(room)
            .ok_or_else(|| WorldError::InvalidConfig(format!("no room {room}")))?;
        map.rooms[id.0 as usize].status = status;
        Ok(())
    }

    /// Rebuilds a world from a snapshot into a fresh bevy `World`.
    ///
    /// # Errors
    /// [`WorldError::UnsupportedSnapshot`] for another format version,
    /// [`WorldError::CorruptSnapshot`] for duplicate ids or positions outside the map.
    pub fn restore(snapshot: WorldSnapshot) -> Result<GameWorld> {
        Self::restore_onto(snapshot, None)
    }

    /// [`GameWorld::restore`] reusing `map` when it is this snapshot's (same seed and rooms):
    /// a 10 000-room map then costs a copy instead of generating its terrain again (crash
    /// recovery, replays and fsck restore the same map again and again).
    ///
    /// # Errors
    /// As [`GameWorld::restore`].
    pub fn restore_with_map(snapshot: WorldSnapshot, map: &RoomMap) -> Result<GameWorld> {
        Self::restore_onto(snapshot, Some(map))
    }

    fn restore_onto(snapshot: WorldSnapshot, known: Option<&RoomMap>) -> Result<GameWorld> {
        if snapshot.format_version != SNAPSHOT_FORMAT_VERSION {
            return Err(WorldError::UnsupportedSnapshot(snapshot.format_version));
        }
        let mut world = World::new();
        crate::state::register_object_components(&mut world);
        world.insert_resource(GameTime(snapshot.time));
        world.insert_resource(IdAllocator {
            next: snapshot.next_object_id,
        });
        world.insert_resource(Players {
            list: snapshot.players,
        });
        world.insert_resource(ObjectIndex::default());
        world.insert_resource(EventLog::default());
        world.insert_resource(WorldRng(snapshot.rng));
        world.insert_resource(snapshot.market);
        world.insert_resource(crate::state::Quiet(snapshot.quiet.into_iter().collect()));
        world.insert_resource(rules::InvaderGoals(snapshot.invader_goals));
        world.insert_resource(Summoned(snapshot.summoned));
        world.insert_resource(rules::NpcIntents::default());
        let map = match known {
            Some(m) if m.seed() == snapshot.config.seed && m.specs() == snapshot.rooms => m.clone(),
            _ => RoomMap::build(snapshot.config.seed, &snapshot.rooms),
        };
        let rooms = map.rooms.len();
        if rooms != snapshot.rooms.len() {
            return Err(WorldError::CorruptSnapshot(
                "two rooms at one place".to_string(),
            ));
        }
        world.insert_resource(map);
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
        let objects: Vec<_> = crate::state::record_refs(&self.world)
            .into_iter()
            .filter(|o| o.pos.room == room)
            .collect();
        hash_records(&objects)
    }

    /// Per-room hashes, in room order.
    pub fn room_hashes(&self) -> Vec<(RoomId, StateHash)> {
        room_hashes_of(&crate::state::records_by_room(
            &self.world,
            self.map().rooms.len(),
        ))
    }

    /// Hash of the whole state: time, allocator, RNG, players and every room's hash.
    pub fn state_hash(&self) -> StateHash {
        self.hashes().0
    }

    /// The state hash and the per-room hashes it is built from.
    pub fn hashes(&self) -> (StateHash, Vec<StateHash>) {
        self.combine_hashes(self.room_hashes())
    }

    /// The state hash over the world's resources and the rooms' hashes.
    fn combine_hashes(&self, rooms: Vec<(RoomId, StateHash)>) -> (StateHash, Vec<StateHash>) {
        let mut h = blake3::Hasher::new();
        h.update(&self.time().to_le_bytes());
        h.update(&self.world.resource::<IdAllocator>().next.to_le_bytes());
        h.update(&postcard::to_stdvec(&self.world.resource::<WorldRng>().0).unwrap_or_default());
        h.update(&postcard::to_stdvec(self.players()).unwrap_or_default());
        h.update(&postcard::to_stdvec(self.market()).unwrap_or_default());
        h.update(
            &postcard::to_stdvec(self.world.resource::<crate::state::Quiet>()).unwrap_or_default(),
        );
        h.update(
            &postcard::to_stdvec(self.world.resource::<rules::InvaderGoals>()).unwrap_or_default(),
        );
        // Only while some exist: worlds without summoned invaders keep their recorded hashes.
        let summoned = self.world.resource::<Summoned>();
        if !summoned.0.is_empty() {
            h.update(&postcard::to_stdvec(summoned).unwrap_or_default());
        }
        for (_, rh) in &rooms {
            h.update(&rh.0);
        }
        (
            StateHash(*h.finalize().as_bytes()),
            rooms.into_iter().map(|(_, h)| h).collect(),
        )
    }
}
