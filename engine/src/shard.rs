//! The shard: one world, its players, where their code runs, and where state is kept.
//!
//! One tick: build every room's view once → copy each visible room once (shared by all
//! players who see it) → run every player's turn (in parallel, each under its own tickLimit) →
//! collect intents → `world.tick` → commit (atomically, durably when configured).

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use isoshard_player_api::{CpuBudget, PlayerRuntimeOptions};
use isoshard_replays::{Recorder, RecorderOptions};
use isoshard_scripting::{ExternalCopy, OutcomeKind};
use isoshard_world::{GameWorld, ObjectKind, PlayerId, StateHash, WorldConfig};
use serde::Serialize;
use serde_json::json;

use crate::code_bundle::CodeBundle;
use crate::error::{EngineError, Result};
use crate::player_host::{PlayerHost, ThreadPlayerHost};
use crate::storage::{
    PlayerAccount, PlayerDataWrite, PlayerRecord, PlayerTickState, ShardMeta, ShardStorage,
    StateChange, StoredPlayerData,
};
use player_data::PlayerData;

mod branches;
mod player_data;
pub use branches::{BranchList, DEFAULT_BRANCH, MAX_BRANCHES};
mod admin;
mod player_io;
mod settings;
mod social;
mod tokens;
pub use admin::{starter_code, STARTER_CODE};
pub use settings::Tunables;
pub use social::MESSAGE_TEXT_LIMIT;
pub use tokens::{unix_now, MAX_TOKENS, SIGN_IN_TOKEN, SIGN_IN_TOKEN_DAYS};
mod tick;

/// Console lines kept per player between reads.
const CONSOLE_KEEP: usize = 200;

/// Console commands a player may have waiting for their next tick; more are refused.
pub const MAX_PENDING_COMMANDS: usize = 32;
/// Bucket penalty for taking down a runner process, in ms.
pub const CRASH_PENALTY_MS: i64 = 2_000;
/// This many crashes within [`CRASH_WINDOW_TICKS`] suspend a player's code until the next upload.
pub const CRASHES_TO_SUSPEND: usize = 3;
/// The window for [`CRASHES_TO_SUSPEND`], in ticks.
pub const CRASH_WINDOW_TICKS: u64 = 100;

/// How a shard is created.
#[derive(Debug, Clone)]
pub struct ShardOptions {
    pub world: WorldConfig,
    /// `Game.cpu.limit` for every player, in ms.
    pub cpu_limit_ms: i64,
    /// A full world snapshot every this many ticks.
    pub snapshot_every: u64,
    pub runtime: PlayerRuntimeOptions,
}

impl Default for ShardOptions {
    fn default() -> Self {
        ShardOptions {
            world: WorldConfig::default(),
            cpu_limit_ms: 100,
            snapshot_every: 100,
            runtime: PlayerRuntimeOptions::default(),
        }
    }
}

/// Running totals per player.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PlayerStats {
    pub creeps_spawned: u64,
    pub creeps_died: u64,
    pub energy_harvested: u64,
    pub ticks_run: u64,
    pub ticks_skipped: u64,
    pub cpu_total_ms: f64,
    pub cpu_max_ms: f64,
    pub last_cpu_ms: f64,
    /// Uncaught exceptions plus limit kills.
    pub errors: u64,
    /// The last uncaught error with its stack, or why the last tick was cut short.
    pub last_error: Option<String>,
    pub last_heap_bytes: u64,
    pub intents_applied: u64,
    pub intents_rejected: u64,
    /// Times this player's code took down a runner process.
    pub crashes: u64,
}

impl PlayerState {
    /// Everything stored about the player, as of now.
    fn record(&self) -> PlayerRecord {
        PlayerRecord {
            account: self.account.clone(),
            code: (*self.code).clone(),
            state: PlayerTickState {
                memory: (*self.memory).clone(),
                budget: self.budget,
                data: StoredPlayerData {
                    settings: self.data.settings.clone(),
                    inter_shard: self.data.inter_shard.to_string(),
                    flags: self.data.flags.clone(),
                    notifications: self.data.notifications.iter().cloned().collect(),
                    resources: self.data.resources.clone(),
                    messages: self.data.messages.to_vec(),
                },
            },
        }
    }
}

struct PlayerState {
    crashes: VecDeque<u64>,
    account: PlayerAccount,
    code: Arc<CodeBundle>,
    memory: Arc<String>,
    budget: CpuBudget,
    /// Memory and bucket as last written (`budget/<id>` and the Memory tree): a tick writes a player's state only
    /// when it differs, so an idle player or a large unchanged Memory costs no disk.
    saved: SavedTickState,
    stats: PlayerStats,
    console: VecDeque<String>,
    /// Console commands waiting for the player's next tick (at most
    /// [`MAX_PENDING_COMMANDS`]).
    commands: Vec<isoshard_player_api::ConsoleCommand>,
    /// The printed results of those commands, kept apart from the log as Screeps' console
    /// messages keep them (`{log, results}`).
    results: VecDeque<String>,
    /// The visuals drawn in the player's last tick (Screeps shows a tick's visuals until the
    /// next tick replaces them).
    visuals: Arc<[(String, String)]>,
    /// Segments, their settings, InterShardMemory and notifications.
    data: PlayerData,
}

/// What storage holds of a player's Memory and bucket, shared with the live state (no copy).
#[derive(Clone)]
struct SavedTickState {
    memory: Arc<String>,
    budget: CpuBudget,
}

impl PlayerState {
    fn new(account: PlayerAccount, code: CodeBundle, state: PlayerTickState) -> Self {
        let memory = Arc::new(state.memory);
        let data = PlayerData::new(state.data);
        PlayerState {
            crashes: VecDeque::new(),
            account,
            code: Arc::new(code),
            saved: SavedTickState {
                memory: memory.clone(),
                budget: state.budget,
            },
            memory,
            budget: state.budget,
            stats: PlayerStats::default(),
            console: VecDeque::new(),
            commands: Vec::new(),
            results: VecDeque::new(),
            visuals: Arc::from(Vec::new()),
            data,
        }
    }

    /// What to write if the state changed since the last write (Memory only if it did).
    fn unsaved_state(&self, id: PlayerId) -> Option<StateChange> {
        let memory_changed = !Arc::ptr_eq(&self.memory, &self.saved.memory);
        let data_changed = !self.data.unsaved.is_empty();
        (memory_changed || data_changed || self.budget != self.saved.budget).then(|| StateChange {
            id,
            memory: memory_changed.then(|| (*self.memory).clone()),
            budget: self.budget,
            data: self.data.unsaved.clone(),
        })
    }

    /// Marks the current state as written.
    fn mark_saved(&mut self) {
        self.data.unsaved = PlayerDataWrite::default();
        self.saved = SavedTickState {
            memory: self.memory.clone(),
            budget: self.budget,
        };
    }
}

/// What a tick did.
#[derive(Debug, Clone)]
pub struct TickSummary {
    pub tick: u64,
    pub state_hash: StateHash,
    pub duration: Duration,
    pub players_run: usize,
    pub intents: usize,
    /// Per player: CPU used and outcome.
    pub players: BTreeMap<PlayerId, (Duration, Option<OutcomeKind>)>,
    pub timings: TickTimings,
}

/// Where a tick's time went.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct TickTimings {
    /// Building room views and copying visible rooms.
    pub views_ns: u64,
    /// Running every player (wall time of the whole parallel phase).
    pub players_ns: u64,
    /// `world.tick` including the state hash.
    pub world_ns: u64,
    /// The storage commit.
    pub commit_ns: u64,
    /// Summed over players, measured inside their isolates: building `Game` from the copies,
    /// running `loop()`, and flushing intents plus serializing Memory.
    pub marshal_ns: u64,
    pub run_ns: u64,
    pub collect_ns: u64,
    /// Summed CPU time of every player's call (includes deserializing the room copies).
    pub player_cpu_ns: u64,
}

/// A shard.
pub struct Shard {
    world: GameWorld,
    meta: ShardMeta,
    players: BTreeMap<PlayerId, PlayerState>,
    host: Box<dyn PlayerHost>,
    storage: Box<dyn ShardStorage>,
    recorder: Option<Recorder>,
    runtime: PlayerRuntimeOptions,
    /// A tick the world ran whose commit failed; the next [`Shard::tick`] retries it.
    pending: Option<tick::PendingTick>,
    /// The world's notifications of the last tick (objects under attack), stored with the
    /// players' `Game.notify` messages as the next tick folds in.
    world_notices: BTreeMap<PlayerId, Vec<String>>,
}

/// `{terrain: {room: "…"}, exits: {room: {"1": "…"}}, status: {room: "novice"},
/// worldSize: n}` for the player runtimes (rooms not in `status` are normal).
fn map_copy(world: &GameWorld) -> Result<ExternalCopy> {
    let mut terrain = serde_json::Map::new();
    let mut exits = serde_json::Map::new();
    let mut status = serde_json::Map::new();
    let map = world.map();
    let world_size = map.world_size();
    for r in &map.rooms {
        if r.status != isoshard_world::RoomStatus::Normal {
            status.insert(r.name.clone(), json!(r.status.as_str()));
        }
        terrain.insert(r.name.clone(), json!(r.terrain.encode()));
        let mut e = serde_json::Map::new();
        for (side, dir) in [(0, "1"), (1, "3"), (2, "5"), (3, "7")] {
            if let Some(n) = r.neighbors[side] {
                e.insert(dir.into(), json!(map.get(n).name));
            }
        }
        exits.insert(r.name.clone(), serde_json::Value::Object(e));
    }
    Ok(ExternalCopy::from_json(
        &json!({"terrain": terrain, "exits": exits, "status": status, "worldSize": world_size}),
    )?)
}

/// Per-player, per-tick seed for `Math.random` (splitmix64 of world seed, player, tick).
fn player_seed(world_seed: u64, player: PlayerId, tick: u64) -> u64 {
    let mut z =
        world_seed ^ (player.0 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ tick.rotate_left(29);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Shard {
    fn assemble(
        world: GameWorld,
        meta: ShardMeta,
        storage: Box<dyn ShardStorage>,
        runtime: PlayerRuntimeOptions,
    ) -> Result<Shard> {
        let runtime_options = runtime.clone();
        let host = Box::new(ThreadPlayerHost::new(map_copy(&world)?, runtime));
        Ok(Shard {
            world,
            meta,
            players: BTreeMap::new(),
            host,
            storage,
            recorder: None,
            runtime: runtime_options,
            pending: None,
            world_notices: BTreeMap::new(),
        })
    }

    /// Creates a new shard in empty storage.
    ///
    /// # Errors
    /// World or storage failures.
    pub fn create(options: ShardOptions, mut storage: Box<dyn ShardStorage>) -> Result<Shard> {
        if storage.load()?.is_some() {
            return Err(EngineError::Storage(
                "storage already holds a shard; open it instead".into(),
            ));
        }
        let world = GameWorld::new(options.world)?;
        let meta = ShardMeta {
            world: options.world,
            cpu_limit_ms: options.cpu_limit_ms,
            snapshot_every: options.snapshot_every.max(1),
        };
        storage.create(&meta, &world.snapshot(), &[])?;
        Self::assemble(world, meta, storage, options.runtime)
    }

    /// Opens a stored shard: restores the newest snapshot and re-applies the recorded intents
    /// after it, checking each tick's hash.
    ///
    /// # Errors
    /// [`EngineError::Storage`] for an empty store, corrupt records or a hash that does not
    /// match (naming the tick).
    pub fn open(storage: Box<dyn ShardStorage>, runtime: PlayerRuntimeOptions) -> Result<Shard> {
        let stored = storage
            .load()?
            .ok_or_else(|| EngineError::Storage("storage holds no shard".into()))?;
        let (world, mismatch) = crate::storage::resimulate(stored.snapshot, &stored.ticks)?;
        if let Some(problem) = mismatch {
            return Err(EngineError::Storage(problem));
        }
        let mut shard = Self::assemble(world, stored.meta, storage, runtime)?;
        for mut p in stored.players {
            tokens::migrate_legacy_tokens(&mut p.account);
            shard
                .players
                .insert(p.account.id, PlayerState::new(p.account, p.code, p.state));
        }
        Ok(shard)
    }

    /// Starts recording every tick into `dir` (a new segment starts now, with a snapshot).
    ///
    /// # Errors
    /// I/O failures creating the first segment.
    pub fn start_recording(
        &mut self,
        dir: &std::path::Path,
        options: RecorderOptions,
    ) -> Result<()> {
        let recorder = Recorder::start(dir, &self.world, options)?;
        self.recorder = Some(recorder);
        Ok(())
    }

    /// Continues the recording in `dir` after a restart (see [`Recorder::resume`]), or starts one.
    ///
    /// # Errors
    /// I/O failures.
    pub fn resume_recording(
        &mut self,
        dir: &std::path::Path,
        options: RecorderOptions,
    ) -> Result<()> {
        let storage = &self.storage;
        let committed = |tick: u64| {
            storage
                .tick_record(tick)
                .ok()
                .flatten()
                .map(|r| (r.intents, r.state_hash))
        };
        let recorder = Recorder::resume(dir, &self.world, options, &committed)?;
        self.recorder = Some(recorder);
        Ok(())
    }

    /// A player's account.
    pub fn account(&self, player: PlayerId) -> Option<&PlayerAccount> {
        self.players.get(&player).map(|p| &p.account)
    }

    /// A player's current code.
    pub fn code(&self, player: PlayerId) -> Option<Arc<CodeBundle>> {
        self.players.get(&player).map(|p| p.code.clone())
    }

    /// A player's code version.
    pub fn code_version(&self, player: PlayerId) -> Option<u64> {
        self.players.get(&player).map(|p| p.account.code_version)
    }

    /// The player with this name.
    pub fn player_id(&self, name: &str) -> Option<PlayerId> {
        self.players
            .values()
            .find(|p| p.account.name == name)
            .map(|p| p.account.id)
    }

    /// Changes a player's stored record outside a tick: `change` edits a copy, the copy is
    /// stored, and only then does the account in memory follow it (a failed write changes
    /// nothing). The stored record is returned for the caller's other fields.
    ///
    /// # Errors
    /// A pending commit, [`EngineError::UnknownPlayer`], `change`'s error, storage failures.
    pub(crate) fn change_record(
        &mut self,
        player: PlayerId,
        change: impl FnOnce(&mut PlayerRecord) -> Result<()>,
    ) -> Result<PlayerRecord> {
        self.writable()?;
        let p = self
            .players
            .get_mut(&player)
            .ok_or_else(|| EngineError::UnknownPlayer(player.0.to_string()))?;
        let mut record = p.record();
        change(&mut record)?;
        self.storage.save_player(&record)?;
        p.account = record.account.clone();
        Ok(record)
    }

    /// Refuses writes outside a tick while a tick's commit is failing: the world in memory is
    /// then ahead of the store, and a snapshot or account written now would not match it.
    fn writable(&self) -> Result<()> {
        match &self.pending {
            Some(p) => Err(EngineError::CommitPending {
                tick: p.record.tick,
            }),
            None => Ok(()),
        }
    }

    /// The tick whose commit failed and is being retried, if any.
    pub fn pending_commit(&self) -> Option<u64> {
        self.pending.as_ref().map(|p| p.record.tick)
    }

    /// Runs `f` on the recorder; a failure stops recording (logged), never the shard.
    fn record(
        &mut self,
        f: impl FnOnce(&mut Recorder, &GameWorld) -> isoshard_replays::Result<()>,
    ) {
        if let Some(r) = self.recorder.as_mut() {
            if let Err(e) = f(r, &self.world) {
                tracing::error!(error = %e, "recording failed; recording stopped");
                self.recorder = None;
            }
        }
    }

    /// Bytes the recorder has written.
    pub fn recording_bytes(&self) -> Option<u64> {
        self.recorder.as_ref().map(Recorder::bytes_written)
    }

    /// Moves every player into supervised runner processes (a global reset for each).
    ///
    /// # Errors
    /// Runners that cannot be started.
    pub fn use_runner_processes(
        &mut self,
        options: crate::runner::ProcessHostOptions,
    ) -> Result<()> {
        self.runner_host(options, self.runtime.clone(), None)
    }

    /// Like [`Shard::use_runner_processes`], with isolates that accept DevTools sessions
    /// relayed through their runner; `observer` hears of every player's isolate as it starts.
    ///
    /// # Errors
    /// Runners that cannot be started.
    pub fn use_inspectable_runner_processes(
        &mut self,
        options: crate::runner::ProcessHostOptions,
        observer: crate::runner::RelayObserver,
    ) -> Result<()> {
        let runtime = PlayerRuntimeOptions {
            inspector: true,
            ..self.runtime.clone()
        };
        self.runner_host(options, runtime, Some(observer))
    }

    fn runner_host(
        &mut self,
        options: crate::runner::ProcessHostOptions,
        runtime: PlayerRuntimeOptions,
        observer: Option<crate::runner::RelayObserver>,
    ) -> Result<()> {
        let mut host = crate::runner::ProcessPlayerHost::new(&self.map_copy()?, &runtime, options)?;
        if let Some(observer) = observer {
            host = host.observe_starts(observer);
        }
        self.host = Box::new(host);
        Ok(())
    }

    /// Runs players in this process with inspectable isolates (one OS thread each) and
    /// reports each new runtime to `observer` (a global reset for every player).
    ///
    /// # Errors
    /// Only if the map cannot be copied.
    pub fn inspect_players(&mut self, observer: crate::player_host::RuntimeObserver) -> Result<()> {
        let options = PlayerRuntimeOptions {
            inspector: true,
            ..self.runtime.clone()
        };
        let host = ThreadPlayerHost::new(self.map_copy()?, options).observe_starts(observer);
        self.host = Box::new(host);
        Ok(())
    }

    /// The terrain/exits copy player hosts need.
    ///
    /// # Errors
    /// Only if the map cannot be copied.
    pub fn map_copy(&self) -> Result<ExternalCopy> {
        map_copy(&self.world)
    }

    pub fn world(&self) -> &GameWorld {
        &self.world
    }

    pub fn time(&self) -> u64 {
        self.world.time()
    }

    /// Adds a player with code; they play from the next tick.
    ///
    /// # Errors
    /// World errors (name taken, no free room), storage failures (then nothing changed).
    pub fn add_player(&mut self, name: &str, code: CodeBundle) -> Result<PlayerId> {
        let ids = self.add_players(vec![(name.to_string(), code)])?;
        Ok(ids[0])
    }

    /// Adds players with their code, in order; they play from the next tick. One world
    /// snapshot covers them all and is written with their accounts in one atomic write: a
    /// snapshot holds every room's terrain (megabytes on a large map), so writing one per
    /// player made adding 500 players take most of a minute.
    ///
    /// # Errors
    /// World errors (name taken, no free room): players before the failing one stay added.
    /// Storage failures: nothing changed (the world is restored to before the call).
    pub fn add_players(&mut self, players: Vec<(String, CodeBundle)>) -> Result<Vec<PlayerId>> {
        self.join_players(players, true)
    }

    /// Registers a player with code but no room, as Screeps' registration does: they place
    /// their first spawn with [`isoshard_world::WorldEdit::PlaceSpawn`] ([`Shard::edit_world`]).
    ///
    /// # Errors
    /// World errors (name taken, invalid name), storage failures (then nothing changed).
    pub fn register_player(&mut self, name: &str, code: CodeBundle) -> Result<PlayerId> {
        let ids = self.join_players(vec![(name.to_string(), code)], false)?;
        Ok(ids[0])
    }

    fn join_players(
        &mut self,
        players: Vec<(String, CodeBundle)>,
        place: bool,
    ) -> Result<Vec<PlayerId>> {
        self.writable()?;
        let before = self.world.snapshot();
        let mut added = Vec::with_capacity(players.len());
        let mut failure = None;
        for (name, code) in players {
            let joined = if place {
                self.world.add_player(&name)
            } else {
                self.world.register_player(&name)
            };
            match joined {
                Ok(id) => added.push(PlayerRecord {
                    account: PlayerAccount::new(id, name),
                    code,
                    state: PlayerTickState {
                        memory: String::new(),
                        budget: CpuBudget::new(self.meta.cpu_limit_ms),
                        data: StoredPlayerData::default(),
                    },
                }),
                Err(e) => {
                    failure = Some(EngineError::from(e));
                    break;
                }
            }
        }
        if !added.is_empty() {
            // Adding players changes the world: snapshot so recovery starts from it.
            if let Err(e) = self.storage.save_snapshot(&self.world.snapshot(), &added) {
                self.world = GameWorld::restore(before)?;
                return Err(e);
            }
        }
        let at = self.world.time();
        let ids = added.iter().map(|p| p.account.id).collect();
        for p in added {
            let id = p.account.id;
            if place {
                self.record(|r, _| r.player_added(at, &p.account.name, id));
            } else {
                self.record(|r, _| r.player_registered(at, &p.account.name, id));
            }
            self.players
                .insert(id, PlayerState::new(p.account, p.code, p.state));
        }
        match failure {
            Some(e) => Err(e),
            None => Ok(ids),
        }
    }

    /// Applies an operator's edit of the world between ticks (rooms added, credits granted):
    /// snapshotted at once, so recovery starts from it, and recorded, so replays apply it
    /// at the same place.
    ///
    /// # Errors
    /// The world refuses the edit (nothing changed), storage failures (the world is restored
    /// to before the call).
    pub fn edit_world(&mut self, edit: &isoshard_world::WorldEdit) -> Result<()> {
        self.writable()?;
        let before = self.world.snapshot();
        self.world.apply_edit(edit)?;
        if let Err(e) = self.storage.save_snapshot(&self.world.snapshot(), &[]) {
            self.world = GameWorld::restore_with_map(before, self.world.map())?;
            return Err(e);
        }
        let at = self.world.time();
        self.record(|r, _| r.world_edited(at, edit));
        Ok(())
    }

    /// Replaces a player's code; a global reset happens on their next tick (Memory is kept).
    ///
    /// # Errors
    /// [`EngineError::UnknownPlayer`], storage failures.
    pub fn set_code(&mut self, player: PlayerId, code: CodeBundle) -> Result<()> {
        // Stored first: a failed write leaves the old code running, as the reply says.
        let record = self.change_record(player, |r| {
            r.account.code_version += 1;
            r.account.suspended = None;
            r.code = code;
            Ok(())
        })?;
        let hash = record.code.hash();
        let Some(p) = self.players.get_mut(&player) else {
            return Err(EngineError::UnknownPlayer(player.0.to_string()));
        };
        p.code = Arc::new(record.code);
        self.host.reset(player);
        let at = self.world.time();
        tracing::info!(
            player = player.0,
            version = p.account.code_version,
            modules = p.code.modules.len(),
            bytes = p.code.modules.values().map(String::len).sum::<usize>(),
            "code uploaded"
        );
        self.record(|r, _| r.code_changed(at, player, &hash));
        Ok(())
    }

    /// Players, with their running stats.
    pub fn player_stats(&self) -> Vec<(PlayerId, String, PlayerStats)> {
        self.players
            .values()
            .map(|p| (p.account.id, p.account.name.clone(), p.stats.clone()))
            .collect()
    }

    /// Takes the console lines buffered for a player.
    pub fn drain_console(&mut self, player: PlayerId) -> Vec<String> {
        self.players
            .get_mut(&player)
            .map(|p| p.console.drain(..).collect())
            .unwrap_or_default()
    }

    /// The visuals a player drew in its last tick: (room name or `map`, Screeps' visual text).
    pub fn visuals(&self, player: PlayerId) -> Arc<[(String, String)]> {
        self.players
            .get(&player)
            .map(|p| p.visuals.clone())
            .unwrap_or_else(|| Arc::from(Vec::new()))
    }

    /// A player's newest `Game.notify` messages, (tick, message), oldest first.
    pub fn notifications(&self, player: PlayerId) -> Vec<(u64, String)> {
        self.players
            .get(&player)
            .map(|p| p.data.notifications.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// A player's flags as the prelude reads them: a JSON array of
    /// `[name, color, secondaryColor, room, x, y]` (shared, rebuilt when they change).
    pub fn flags_json(&self, player: PlayerId) -> std::sync::Arc<str> {
        self.players
            .get(&player)
            .map_or_else(|| std::sync::Arc::from("[]"), |p| p.data.flags_json.clone())
    }

    /// A player's `Game.resources` (pixels), by name.
    pub fn player_resources(&self, player: PlayerId) -> std::collections::BTreeMap<String, u64> {
        self.players
            .get(&player)
            .map(|p| p.data.resources.clone())
            .unwrap_or_default()
    }

    /// A player's stored Memory string.
    pub fn memory(&self, player: PlayerId) -> Option<Arc<String>> {
        self.players.get(&player).map(|p| p.memory.clone())
    }

    /// A player's CPU budget.
    pub fn budget(&self, player: PlayerId) -> Option<CpuBudget> {
        self.players.get(&player).map(|p| p.budget)
    }

    /// Runner process ids (process isolation only).
    pub fn runner_pids(&self) -> Vec<u32> {
        self.host.runner_pids()
    }

    /// Isolates alive in the player host.
    pub fn live_isolates(&self) -> usize {
        self.host.live_isolates()
    }

    /// The player's home room.
    pub fn home_room(&self, player: PlayerId) -> Option<isoshard_world::RoomId> {
        self.world
            .players()
            .iter()
            .find(|p| p.id == player)
            .and_then(|p| p.home)
    }

    /// Creeps alive and controller (level, progress) of a player.
    pub fn colony(&self, player: PlayerId) -> (usize, u8, u32) {
        let mut creeps = 0;
        let mut ctl = (0, 0);
        for o in self.world.records() {
            if o.owner != Some(player) {
                continue;
            }
            match o.kind {
                ObjectKind::Creep(_) => creeps += 1,
                ObjectKind::Controller(c) => ctl = (c.level, c.progress),
                _ => {}
            }
        }
        (creeps, ctl.0, ctl.1)
    }
}
