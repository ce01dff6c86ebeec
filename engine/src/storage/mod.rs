//! Persistence behind a small trait; sled is the default backend, Redis (`redis_store.rs`)
//! the one a coordinator can move between machines with.
//!
//! # sled layout (format version 3)
//! The tree `shard`, with prefixed keys; big-endian numbers so keys sort by tick. Every value
//! but `meta/format` carries a CRC-32 of its payload (`record.rs`):
//! - `meta/format` → u32: the format version; an unknown version is refused on open, older
//!   versions are upgraded in place (1: no checksums; 2: Memory inside `pstate/<id>`).
//! - `meta/config` → [`ShardMeta`] (rmp).
//! - `meta/tick` → u64: the last committed tick.
//! - `snap/<tick:u64>` → [`WorldSnapshot`] (rmp), every `snapshot_every` ticks and at creation;
//!   the newest few are kept (`sled_store/retention.rs`).
//! - `tick/<tick:u64>` → [`TickRecord`] (rmp): the intents the world accepted (rejected ones
//!   change nothing and are not kept) and the resulting hash; those after the oldest kept
//!   snapshot.
//! - `player/<id:u64>` → [`PlayerAccount`] (rmp): name, token hash, code version, suspension.
//! - `code/<id:u64>` → [`CodeBundle`] (rmp): written on upload only.
//! - `budget/<id:u64>` → [`CpuBudget`] (rmp): the CPU bucket, written with the tick that
//!   changed it.
//!
//! Each player's Memory is the one key `memory` of a tree of its own, `memory/<id:u64>`,
//! written with the tick that changed it. Not in `shard`: sled keeps up to 16 keys in a leaf
//! and rewrites the whole leaf (a 2 MiB Memory with it) whenever it consolidates a change to
//! any of them, so a large Memory that never changed cost ~110 KiB of disk a tick beside its
//! neighbours. In a tree of its own it is written only when it changes.
//!
//! Beside the tree, `DATA/shard.marker` (`marker.rs`) says a shard lives here and the last tick
//! committed durably: an empty store, a missing tick or a missing player next to it is damage
//! ([`EngineError::Damaged`]), never a new shard. `fsck.rs` is `isoshard fsck`.
//!
//! A tick commits atomically: one sled batch, or a sled transaction over `shard` and the
//! Memory trees it changes; when `durable`, a flush before `commit_tick` returns, so a tick is only reported after it is on disk. Recovery restores the newest
//! snapshot and re-applies the recorded intents after it, checking every recorded hash.

mod copy;
#[cfg(test)]
mod damage_tests;
mod fsck;
mod marker;
mod record;
mod redis_store;
#[cfg(test)]
mod redis_tests;
mod restore;
#[cfg(test)]
mod retention_tests;
mod sled_store;
mod social;

pub use copy::{copy_shard, copy_store};
pub use fsck::{dir_bytes, fsck, FsckReport, StoreSizes};
pub use marker::MARKER_FILE;
pub(crate) use redis_store::holder_name;
pub use redis_store::{RedisDurability, RedisOptions, RedisStorage};
pub use restore::{restore, Restored};
pub use sled_store::{Compaction, SledStorage, DEFAULT_KEEP_SNAPSHOTS};
pub use social::{Badge, StoredMessage};

use std::collections::BTreeMap;

use isoshard_player_api::{CpuBudget, SegmentSettings};
use isoshard_world::{GameWorld, IntentBatch, PlayerId, StateHash, WorldConfig, WorldSnapshot};
use serde::{Deserialize, Serialize};

use crate::code_bundle::CodeBundle;
use crate::error::Result;

/// Storage format version written by this build.
pub const STORAGE_FORMAT_VERSION: u32 = 3;

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
    /// blake3 hashes (hex) of tokens from stores written before [`ApiToken`]: moved into
    /// `tokens` (named `legacy`) when the shard opens, and empty once the account is saved.
    #[serde(default)]
    pub token_hashes: Vec<String>,
    /// `salt:hash` of the password for HTTP Basic auth.
    #[serde(default)]
    pub password_hash: Option<String>,
    /// Code suspended until the next upload (crash protection), with the reason.
    pub suspended: Option<String>,
    /// The branch whose code runs (`None`: `default`); the others are stored apart
    /// ([`ShardStorage::branch_names`]).
    #[serde(default)]
    pub active_branch: Option<String>,
    /// Banned by the operator: the code does not run and the API refuses the account.
    #[serde(default)]
    pub banned: bool,
    /// The account's API tokens, oldest first.
    #[serde(default)]
    pub tokens: Vec<ApiToken>,
    /// The badge the player chose (`None`: never chosen).
    #[serde(default)]
    pub badge: Option<Badge>,
}

impl PlayerAccount {
    /// A new account: code version 1, no tokens or password, not suspended or banned.
    pub fn new(id: PlayerId, name: impl Into<String>) -> Self {
        PlayerAccount {
            id,
            name: name.into(),
            code_version: 1,
            token_hashes: Vec::new(),
            password_hash: None,
            suspended: None,
            active_branch: None,
            banned: false,
            tokens: Vec::new(),
            badge: None,
        }
    }
}

/// An API token of an account: only the blake3 hash of the secret is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    /// blake3 of the token, hex.
    pub hash: String,
    /// What the owner called it (`sign-in` for the tokens sign-in hands out).
    pub name: String,
    /// Unix seconds.
    pub created: u64,
    /// Unix seconds after which it is refused (`None`: until revoked).
    pub expires: Option<u64>,
}

impl ApiToken {
    /// Usable at unix second `now`.
    pub fn is_live(&self, now: u64) -> bool {
        self.expires.is_none_or(|e| now < e)
    }

    /// The public id that names it in listings and revocations: the hash's first 16 hex
    /// digits (the hash is of a 256-bit secret, so this reveals nothing usable).
    pub fn id(&self) -> &str {
        self.hash.get(..16).unwrap_or(&self.hash)
    }
}

/// A player's state that changes with ticks (stored apart: `budget/<id>` and the Memory tree).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerTickState {
    pub memory: String,
    pub budget: CpuBudget,
    /// Segment settings and InterShardMemory (kept in the Memory tree; segment texts are
    /// read when they become active, [`ShardStorage::read_segment`]).
    #[serde(default)]
    pub data: StoredPlayerData,
}

/// What a player keeps besides Memory, small enough to load with the player.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPlayerData {
    pub settings: SegmentSettings,
    /// `InterShardMemory`'s local data.
    pub inter_shard: String,
    /// The player's flags by name.
    #[serde(default)]
    pub flags: BTreeMap<String, isoshard_player_api::FlagRecord>,
    /// `Game.notify` messages kept, (tick, message), oldest first.
    #[serde(default)]
    pub notifications: Vec<(u64, String)>,
    /// `Game.resources`: pixels the player generated, by resource name.
    #[serde(default)]
    pub resources: BTreeMap<String, u64>,
    /// The player's mailbox, oldest first.
    #[serde(default)]
    pub messages: Vec<StoredMessage>,
}

/// What a tick changed of a player's segments, segment settings and InterShardMemory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlayerDataWrite {
    pub segments: BTreeMap<u8, String>,
    pub settings: Option<SegmentSettings>,
    pub inter_shard: Option<String>,
    /// Flags set (`Some`) or removed (`None`), by name.
    pub flags: BTreeMap<String, Option<isoshard_player_api::FlagRecord>>,
    /// The notifications kept, when a tick added any.
    pub notifications: Option<Vec<(u64, String)>>,
    /// `Game.resources`, when a tick changed them.
    pub resources: Option<BTreeMap<String, u64>>,
    /// The whole mailbox, when a message arrived, left or was read.
    pub messages: Option<Vec<StoredMessage>>,
}

impl PlayerDataWrite {
    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
            && self.settings.is_none()
            && self.inter_shard.is_none()
            && self.flags.is_empty()
            && self.notifications.is_none()
            && self.resources.is_none()
            && self.messages.is_none()
    }
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
    /// The accepted intents ([`IntentBatch::accepted`]).
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
    pub states: &'a [StateChange],
}

/// What of one player's [`PlayerTickState`] a tick changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateChange {
    pub id: PlayerId,
    /// The new Memory, when it changed.
    pub memory: Option<String>,
    /// The bucket after the tick (written with any change: it is a few bytes).
    pub budget: CpuBudget,
    /// Segments, their settings and InterShardMemory, where they changed.
    pub data: PlayerDataWrite,
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
    /// Commits one tick atomically (and durably when configured). Committing the same tick
    /// again after a failure is allowed and writes the same records: the caller retries a
    /// failed commit until it lands, so a backend must recover from its own faults here (a
    /// full disk that was freed, a transient I/O error).
    ///
    /// # Errors
    /// Backend failures (the tick is then not committed and may be retried).
    fn commit_tick(&mut self, commit: TickCommit<'_>) -> Result<()>;
    /// Saves a snapshot taken between ticks together with the players added since the last
    /// one, atomically: a world that knows a player whose account is not stored (or the
    /// reverse) would not open. Replaces any snapshot of the same tick; recovery starts from
    /// the newest snapshot.
    ///
    /// # Errors
    /// Backend failures (then nothing was written).
    fn save_snapshot(&mut self, snapshot: &WorldSnapshot, added: &[PlayerRecord]) -> Result<()>;
    /// The committed tick record for `tick`, if stored.
    ///
    /// # Errors
    /// Backend failures, undecodable records.
    fn tick_record(&self, tick: u64) -> Result<Option<TickRecord>>;
    /// Replaces the shard's stored settings (an operator changed one; see `Shard::retune`).
    ///
    /// # Errors
    /// Backend failures.
    fn save_meta(&mut self, meta: &ShardMeta) -> Result<()>;
    /// Writes a consistent copy of the store into the empty directory `to` (a backup that
    /// `isoshard serve --data TO` opens as this shard at its last committed tick).
    ///
    /// # Errors
    /// Backend and I/O failures (then `to` may hold a partial copy).
    fn backup_into(&mut self, to: &std::path::Path) -> Result<()>;
    /// Saves a whole player outside a tick (registration, upload).
    ///
    /// # Errors
    /// Backend failures.
    fn save_player(&mut self, player: &PlayerRecord) -> Result<()>;
    /// Writes player `player`'s segments, flags and other data outside a tick (a copy of the
    /// shard from another store).
    ///
    /// # Errors
    /// Backend failures.
    fn write_player_data(&mut self, player: PlayerId, data: &PlayerDataWrite) -> Result<()>;
    /// Player `player`'s `RawMemory` segment `id` as last committed, if ever written.
    ///
    /// # Errors
    /// Backend failures, an undecodable record.
    fn read_segment(&self, player: PlayerId, id: u8) -> Result<Option<String>>;
    /// The names of player `player`'s stored code branches: every branch but the active
    /// one, whose code is the player's code.
    ///
    /// # Errors
    /// Backend failures.
    fn branch_names(&self, player: PlayerId) -> Result<Vec<String>>;
    /// A stored branch's code.
    ///
    /// # Errors
    /// Backend failures, an undecodable record.
    fn read_branch(&self, player: PlayerId, name: &str) -> Result<Option<CodeBundle>>;
    /// Stores a branch (or deletes it, with `None`), durably.
    ///
    /// # Errors
    /// Backend failures.
    fn write_branch(
        &mut self,
        player: PlayerId,
        name: &str,
        code: Option<&CodeBundle>,
    ) -> Result<()>;
}

/// The first player the world knows that has no stored account, as a damage message.
pub(crate) fn unknown_player(snapshot: &WorldSnapshot, players: &[PlayerRecord]) -> Option<String> {
    snapshot
        .players
        .iter()
        .find(|known| !players.iter().any(|p| p.account.id == known.id))
        .map(|known| {
            format!(
                "the world has player {} ({}) but record player/{} is missing",
                known.id.0, known.name, known.id.0
            )
        })
}

/// A small world and its settings (seed `seed`, 2×2 rooms, a snapshot every 5 ticks), and a
/// stored player record for `id` named `name` with the first sample bot, for store tests.
#[cfg(test)]
pub(crate) fn test_shard(seed: u64) -> (GameWorld, ShardMeta) {
    let config = WorldConfig {
        seed,
        width: 2,
        height: 2,
    };
    let meta = ShardMeta {
        world: config,
        cpu_limit_ms: 100,
        snapshot_every: 5,
    };
    (GameWorld::new(config).expect("a 2x2 world"), meta)
}

/// Commits the tick `out` with no intents (store tests).
#[cfg(test)]
pub(crate) fn commit_outcome(
    storage: &mut dyn ShardStorage,
    out: &isoshard_world::TickOutcome,
    snapshot: Option<&WorldSnapshot>,
    states: &[StateChange],
) -> Result<()> {
    storage.commit_tick(TickCommit {
        record: &TickRecord {
            tick: out.tick,
            intents: IntentBatch::new(),
            state_hash: out.state_hash,
        },
        snapshot,
        states,
    })
}

#[cfg(test)]
pub(crate) fn test_player(id: PlayerId, name: &str, memory: &str) -> PlayerRecord {
    PlayerRecord {
        account: PlayerAccount::new(id, name),
        code: crate::sample_bots()[0].1.clone(),
        state: PlayerTickState {
            memory: memory.into(),
            budget: CpuBudget::new(100),
            data: Default::default(),
        },
    }
}

/// The world at the end of `ticks`: `snapshot` restored and every recorded tick re-applied,
/// stopping at the first whose hash differs from the recorded one (named in the second value).
///
/// # Errors
/// A snapshot the world cannot restore.
pub(crate) fn resimulate(
    snapshot: WorldSnapshot,
    ticks: &[TickRecord],
) -> Result<(GameWorld, Option<String>)> {
    let mut world = GameWorld::restore(snapshot)?;
    for record in ticks {
        let out = world.tick(&record.intents);
        if out.tick != record.tick || out.state_hash != record.state_hash {
            let problem = format!(
                "re-simulating tick {} gave hash {} but {} was recorded",
                record.tick, out.state_hash, record.state_hash
            );
            return Ok((world, Some(problem)));
        }
    }
    Ok((world, None))
}
