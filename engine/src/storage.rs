//! Persistence behind a small trait; sled is the default backend.
//!
//! # sled layout (format version 1)
//! One tree, `shard`, with prefixed keys; big-endian numbers so keys sort by tick:
//! - `meta/format` → u32: the format version; an unknown version is refused on open.
//! - `meta/config` → [`ShardMeta`] (rmp).
//! - `meta/tick` → u64: the last committed tick.
//! - `snap/<tick:u64>` → [`WorldSnapshot`] (rmp), every `snapshot_every` ticks and at creation.
//! - `tick/<tick:u64>` → [`TickRecord`] (rmp): the intents applied and the resulting hash.
//! - `player/<id:u64>` → [`PlayerAccount`] (rmp): name, token hash, code version, suspension.
//! - `code/<id:u64>` → [`CodeBundle`] (rmp): written on upload only.
//! - `pstate/<id:u64>` → [`PlayerTickState`] (rmp): Memory and CPU bucket, written with ticks.
//!
//! A tick commits as one sled batch (atomic) and, when `durable`, a flush before `commit_tick`
//! returns, so a tick is only reported after it is on disk. Recovery restores the newest
//! snapshot and re-applies the recorded intents after it, checking every recorded hash.

use std::path::Path;

use isoshard_player_api::CpuBudget;
use isoshard_world::{IntentBatch, PlayerId, StateHash, WorldConfig, WorldSnapshot};
use serde::{Deserialize, Serialize};

use crate::code_bundle::CodeBundle;
use crate::error::{EngineError, Result};

/// Storage format version written by this build.
pub const STORAGE_FORMAT_VERSION: u32 = 1;

/// Shard-wide settings fixed at creation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardMeta {
    pub world: WorldConfig,
    pub cpu_limit_ms: i64,
    pub snapshot_every: u64,
}

/// A player account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerAccount {
    pub id: PlayerId,
    pub name: String,
    pub code_version: u64,
    /// blake3 of each live API token, hex (newest last).
    #[serde(default)]
    pub token_hashes: Vec<String>,
    /// `salt:hash` of the password for HTTP Basic auth.
    #[serde(default)]
    pub password_hash: Option<String>,
    /// Code suspended until the next upload (crash protection), with the reason.
    pub suspended: Option<String>,
}

/// A player's state that changes with ticks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerTickState {
    pub memory: String,
    pub budget: CpuBudget,
}

/// Everything stored about one player.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerRecord {
    pub account: PlayerAccount,
    pub code: CodeBundle,
    pub state: PlayerTickState,
}

/// One committed tick: what was applied and what it produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TickRecord {
    /// Game time after the tick.
    pub tick: u64,
    pub intents: IntentBatch,
    pub state_hash: StateHash,
}

/// Everything needed to continue a shard.
#[derive(Debug, Clone)]
pub struct StoredShard {
    pub meta: ShardMeta,
    pub last_tick: u64,
    pub snapshot: WorldSnapshot,
    /// Ticks after the snapshot, in order.
    pub ticks: Vec<TickRecord>,
    pub players: Vec<PlayerRecord>,
}

/// What one tick writes.
pub struct TickCommit<'a> {
    pub record: &'a TickRecord,
    pub snapshot: Option<&'a WorldSnapshot>,
    /// Players whose Memory or bucket changed.
    pub states: &'a [(PlayerId, PlayerTickState)],
}

/// Where a shard keeps its state.
pub trait ShardStorage: Send {
    /// Initialises an empty store.
    ///
    /// # Errors
    /// Backend failures.
    fn create(
        &mut self,
        meta: &ShardMeta,
        snapshot: &WorldSnapshot,
        players: &[PlayerRecord],
    ) -> Result<()>;
    /// The stored shard, or `None` for an empty store.
    ///
    /// # Errors
    /// Backend failures, unknown format versions, undecodable records.
    fn load(&self) -> Result<Option<StoredShard>>;
    /// Commits one tick atomically (and durably when configured).
    ///
    /// # Errors
    /// Backend failures.
    fn commit_tick(&mut self, commit: TickCommit<'_>) -> Result<()>;
    /// Saves a snapshot taken between ticks (after adding a player), replacing any snapshot of
    /// the same tick; recovery starts from the newest snapshot.
    ///
    /// # Errors
    /// Backend failures.
    fn save_snapshot(&mut self, snapshot: &WorldSnapshot) -> Result<()>;
    /// The committed tick record for `tick`, if stored.
    ///
    /// # Errors
    /// Backend failures, undecodable records.
    fn tick_record(&self, tick: u64) -> Result<Option<TickRecord>>;
    /// Saves a whole player outside a tick (registration, upload).
    ///
    /// # Errors
    /// Backend failures.
    fn save_player(&mut self, player: &PlayerRecord) -> Result<()>;
}

/// The sled backend.
pub struct SledStorage {
    tree: sled::Tree,
    db: sled::Db,
    durable: bool,
}

fn key(prefix: &str, n: u64) -> Vec<u8> {
    let mut k = prefix.as_bytes().to_vec();
    k.extend_from_slice(&n.to_be_bytes());
    k
}

fn encode<T: Serialize>(v: &T) -> Result<Vec<u8>> {
    rmp_serde::to_vec_named(v).map_err(|e| EngineError::Storage(format!("encode: {e}")))
}

fn decode<T: for<'de> Deserialize<'de>>(what: &str, bytes: &[u8]) -> Result<T> {
    rmp_serde::from_slice(bytes)
        .map_err(|e| EngineError::Storage(format!("cannot decode {what}: {e}")))
}

impl SledStorage {
    /// Opens (or creates) the database in `dir`. With `durable`, every commit is flushed.
    ///
    /// # Errors
    /// sled failures (including another process holding the lock).
    pub fn open(dir: &Path, durable: bool) -> Result<Self> {
        let db = sled::Config::new()
            .path(dir.join("shard.sled"))
            .open()
            .map_err(|e| EngineError::Storage(format!("cannot open {}: {e}", dir.display())))?;
        let tree = db.open_tree("shard")?;
        Ok(SledStorage { tree, db, durable })
    }

    fn flush(&self) -> Result<()> {
        if self.durable {
            self.db.flush()?;
        }
        Ok(())
    }
}

impl ShardStorage for SledStorage {
    fn create(
        &mut self,
        meta: &ShardMeta,
        snapshot: &WorldSnapshot,
        players: &[PlayerRecord],
    ) -> Result<()> {
        let mut batch = sled::Batch::default();
        batch.insert(
            b"meta/format".to_vec(),
            STORAGE_FORMAT_VERSION.to_be_bytes().to_vec(),
        );
        batch.insert(b"meta/config".to_vec(), encode(meta)?);
        batch.insert(b"meta/tick".to_vec(), snapshot.time.to_be_bytes().to_vec());
        batch.insert(key("snap/", snapshot.time), encode(snapshot)?);
        for p in players {
            insert_player(&mut batch, p)?;
        }
        self.tree.apply_batch(batch)?;
        self.db.flush()?;
        Ok(())
    }

    fn load(&self) -> Result<Option<StoredShard>> {
        let Some(format) = self.tree.get(b"meta/format")? else {
            return Ok(None);
        };
        let format = u32::from_be_bytes(
            format
                .as_ref()
                .try_into()
                .map_err(|_| EngineError::Storage("malformed meta/format".into()))?,
        );
        if format != STORAGE_FORMAT_VERSION {
            return Err(EngineError::Storage(format!(
                "storage format version {format} is not supported (this build reads version {STORAGE_FORMAT_VERSION})"
            )));
        }
        let meta: ShardMeta = decode(
            "meta/config",
            &self
                .tree
                .get(b"meta/config")?
                .ok_or_else(|| EngineError::Storage("missing meta/config".into()))?,
        )?;
        let last_tick = u64::from_be_bytes(
            self.tree
                .get(b"meta/tick")?
                .ok_or_else(|| EngineError::Storage("missing meta/tick".into()))?
                .as_ref()
                .try_into()
                .map_err(|_| EngineError::Storage("malformed meta/tick".into()))?,
        );
        let (snap_key, snap_bytes) = self
            .tree
            .range(key("snap/", 0)..=key("snap/", last_tick))
            .next_back()
            .ok_or_else(|| {
                EngineError::Storage(format!("no snapshot at or before tick {last_tick}"))
            })??;
        let snapshot: WorldSnapshot =
            decode(&format!("snapshot {:?}", &snap_key[5..]), &snap_bytes)?;
        let mut ticks = Vec::new();
        for item in self
            .tree
            .range(key("tick/", snapshot.time + 1)..=key("tick/", last_tick))
        {
            let (_, v) = item?;
            ticks.push(decode::<TickRecord>("tick record", &v)?);
        }
        let mut players = Vec::new();
        for item in self.tree.scan_prefix(b"player/") {
            let (_, v) = item?;
            let account: PlayerAccount = decode("player account", &v)?;
            let id = account.id.0 as u64;
            let code = decode(
                "player code",
                &self
                    .tree
                    .get(key("code/", id))?
                    .ok_or_else(|| EngineError::Storage(format!("player {id} has no code")))?,
            )?;
            let state = decode(
                "player state",
                &self
                    .tree
                    .get(key("pstate/", id))?
                    .ok_or_else(|| EngineError::Storage(format!("player {id} has no state")))?,
            )?;
            players.push(PlayerRecord {
                account,
                code,
                state,
            });
        }
        Ok(Some(StoredShard {
            meta,
            last_tick,
            snapshot,
            ticks,
            players,
        }))
    }

    fn commit_tick(&mut self, commit: TickCommit<'_>) -> Result<()> {
        let mut batch = sled::Batch::default();
        batch.insert(key("tick/", commit.record.tick), encode(commit.record)?);
        if let Some(s) = commit.snapshot {
            batch.insert(key("snap/", s.time), encode(s)?);
        }
        for (id, state) in commit.states {
            batch.insert(key("pstate/", id.0 as u64), encode(state)?);
        }
        batch.insert(
            b"meta/tick".to_vec(),
            commit.record.tick.to_be_bytes().to_vec(),
        );
        self.tree.apply_batch(batch)?;
        self.flush()
    }

    fn tick_record(&self, tick: u64) -> Result<Option<TickRecord>> {
        match self.tree.get(key("tick/", tick))? {
            Some(v) => Ok(Some(decode("tick record", &v)?)),
            None => Ok(None),
        }
    }

    fn save_snapshot(&mut self, snapshot: &WorldSnapshot) -> Result<()> {
        self.tree
            .insert(key("snap/", snapshot.time), encode(snapshot)?)?;
        self.flush()
    }

    fn save_player(&mut self, player: &PlayerRecord) -> Result<()> {
        let mut batch = sled::Batch::default();
        insert_player(&mut batch, player)?;
        self.tree.apply_batch(batch)?;
        self.flush()
    }
}

fn insert_player(batch: &mut sled::Batch, p: &PlayerRecord) -> Result<()> {
    let id = p.account.id.0 as u64;
    batch.insert(key("player/", id), encode(&p.account)?);
    batch.insert(key("code/", id), encode(&p.code)?);
    batch.insert(key("pstate/", id), encode(&p.state)?);
    Ok(())
}
