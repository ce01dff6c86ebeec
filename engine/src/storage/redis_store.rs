//! [`RedisStorage`]: a shard kept in Redis, so the process that ticks it (the coordinator) can
//! move between machines: a standby on another host takes over from Redis when the active one
//! dies (`lease.rs`). sled stays the single-machine default.
//!
//! # Layout (the URL's database; every key under `isoshard:`)
//! - `format` → the format version, decimal ([`STORAGE_FORMAT_VERSION`]).
//! - `meta` → [`ShardMeta`]; `tick` → the last committed tick, decimal (a commit checks it).
//! - `snap` (hash) tick → [`WorldSnapshot`]: the newest few, as sled keeps them.
//! - `ticks` (hash) tick → [`TickRecord`]: those after the oldest kept snapshot.
//! - `player`, `code`, `budget`, `memory` (hashes) player id → account, code, CPU bucket,
//!   Memory. One hash for all buckets and one for all Memory: a tick that changes them for
//!   1 000 players sets each hash in one call.
//! - `mem:<id>` (hash): what else sled keeps in the player's Memory tree, under the same
//!   field names (`segment/NN`, `flag/<name>`, `branch/<name>`, …).
//! - `fence` (counter) and `lease`: the coordinator lease (`lease.rs`).
//!
//! Values are sealed as in sled (`record.rs`): a value that reads back different is damage.
//! Every write is one MULTI/EXEC under WATCH of the fence counter and the tick
//! (`writes.rs`), after checking the fencing token, so a tick commits atomically and only
//! from the lease holder.
//!
//! # Durability
//! Redis acknowledges a transaction once it is in its AOF buffer; what reaches the disk is the
//! server's `appendfsync`. `always`: a tick is reported only once it is on disk; a power
//! loss loses nothing committed. `everysec`: a power loss (or a crash of the Redis host)
//! loses up to about two seconds of committed ticks; the coordinator then stops
//! ([`EngineError::RedisDamaged`], the stored tick is behind its own) and the next start
//! continues from what Redis kept. The store refuses to open on a server whose AOF setting
//! is not the one the operator chose ([`RedisDurability`]).

mod lease;
mod writes;

pub(crate) use lease::holder_name;

use std::collections::BTreeSet;
use std::time::Duration;

use isoshard_world::{PlayerId, WorldSnapshot};
use parking_lot::Mutex;

use super::record::{decode, encode, encode_compact};
use super::sled_store::{player_data_fields, segment_key, BRANCH_PREFIX};
use super::{
    PlayerDataWrite, PlayerRecord, ShardMeta, ShardStorage, StoredShard, TickCommit, TickRecord,
    STORAGE_FORMAT_VERSION,
};
use crate::code_bundle::CodeBundle;
use crate::error::{EngineError, Result};
use writes::{Committed, RedisWrites};

/// The keys, all under `isoshard:` in the URL's database.
pub(super) mod keys {
    pub const FORMAT: &str = "isoshard:format";
    pub const META: &str = "isoshard:meta";
    pub const TICK: &str = "isoshard:tick";
    pub const SNAPSHOTS: &str = "isoshard:snap";
    pub const TICKS: &str = "isoshard:ticks";
    pub const ACCOUNTS: &str = "isoshard:player";
    pub const CODE: &str = "isoshard:code";
    pub const BUDGETS: &str = "isoshard:budget";
    pub const MEMORIES: &str = "isoshard:memory";
    pub const FENCE: &str = "isoshard:fence";
    pub const LEASE: &str = "isoshard:lease";
    /// Player `id`'s hash of segments, flags, branches and other data.
    pub fn memory(id: u64) -> String {
        format!("isoshard:mem:{id}")
    }
}

/// What the Redis server's AOF must be for the store to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedisDurability {
    /// `appendonly yes`, `appendfsync always`: nothing committed is lost.
    Always,
    /// `appendonly yes`, `appendfsync everysec`: a crash of the Redis host loses up to ~2 s.
    Everysec,
    /// Not checked (a managed Redis that refuses `CONFIG GET`): the operator answers for it.
    Unchecked,
}

impl std::str::FromStr for RedisDurability {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "always" => Ok(RedisDurability::Always),
            "everysec" => Ok(RedisDurability::Everysec),
            "unchecked" => Ok(RedisDurability::Unchecked),
            _ => Err(format!(
                "unknown Redis durability {s:?}: always, everysec or unchecked"
            )),
        }
    }
}

/// How to reach the shard's Redis and hold its lease.
#[derive(Debug, Clone)]
pub struct RedisOptions {
    /// `redis://[:password@]host[:port][/db]` or `redis+unix:///path/to/socket[?db=N]`.
    pub url: String,
    pub durability: RedisDurability,
    /// A coordinator that stops renewing its lease loses it after this long.
    pub lease_ttl: Duration,
    /// Wait for the lease when another coordinator holds it (instead of refusing to start).
    pub standby: bool,
}

impl RedisOptions {
    /// `url`, AOF `always`, a 10 s lease, no standby.
    pub fn new(url: impl Into<String>) -> Self {
        RedisOptions {
            url: url.into(),
            durability: RedisDurability::Always,
            lease_ttl: Duration::from_secs(10),
            standby: false,
        }
    }
}

/// The Redis backend. Holds the coordinator lease from `open` until dropped.
pub struct RedisStorage {
    client: redis::Client,
    /// The connection for reads and writes (reopened after a failure).
    con: Mutex<Option<redis::Connection>>,
    /// The URL without its password, for messages.
    store: String,
    lease: lease::LeaseHeld,
    heartbeat: lease::Heartbeat,
    /// The ticks of the stored snapshots (for pruning).
    snapshots: BTreeSet<u64>,
    keep_snapshots: Option<usize>,
}

/// `url` without the password.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}***@{}", &url[..s + 3], &url[at + 1..]),
        _ => url.to_string(),
    }
}

pub(super) fn redis_error(store: &str, e: redis::RedisError) -> EngineError {
    EngineError::Redis {
        store: store.into(),
        message: e.to_string(),
    }
}

fn connect(client: &redis::Client, store: &str) -> Result<redis::Connection> {
    let con = client
        .get_connection_with_timeout(Duration::from_secs(5))
        .map_err(|e| redis_error(store, e))?;
    // A stalled server makes a commit fail (and be retried) rather than hang the tick loop.
    con.set_read_timeout(Some(Duration::from_secs(30)))
        .and_then(|()| con.set_write_timeout(Some(Duration::from_secs(30))))
        .map_err(|e| redis_error(store, e))?;
    Ok(con)
}

/// Refuses a server whose AOF is not what `durability` asks for.
fn check_durability(
    con: &mut redis::Connection,
    store: &str,
    durability: RedisDurability,
) -> Result<()> {
    let wanted = match durability {
        RedisDurability::Always => "always",
        RedisDurability::Everysec => "everysec",
        RedisDurability::Unchecked => {
            tracing::warn!(%store, "Redis durability is not checked: the server's AOF settings decide what a crash loses");
            return Ok(());
        }
    };
    let config = |con: &mut redis::Connection, name: &str| -> Result<String> {
        let pair: Vec<String> = redis::cmd("CONFIG")
            .arg("GET")
            .arg(name)
            .query(con)
            .map_err(|e| EngineError::Redis {
                store: store.into(),
                message: format!(
                    "cannot read its {name} setting ({e}); choose --redis-durability unchecked \
                     if the server forbids CONFIG"
                ),
            })?;
        Ok(pair.get(1).cloned().unwrap_or_default())
    };
    let (aof, fsync) = (config(con, "appendonly")?, config(con, "appendfsync")?);
    if aof != "yes" || fsync != wanted {
        return Err(EngineError::Redis {
            store: store.into(),
            message: format!(
                "the server runs with appendonly {aof}, appendfsync {fsync}; this shard asks for \
                 appendonly yes, appendfsync {wanted} (set them in redis.conf, or choose another \
                 --redis-durability)"
            ),
        });
    }
    Ok(())
}

impl RedisStorage {
    /// Connects, checks the server's durability and takes the coordinator lease (waiting for
    /// it with `options.standby`).
    ///
    /// # Errors
    /// [`EngineError::Redis`] (unreachable, wrong AOF settings), [`EngineError::LeaseHeld`].
    pub fn open(options: &RedisOptions) -> Result<Self> {
        let store = redacted(&options.url);
        let client = redis::Client::open(options.url.as_str())
            .map_err(|e| EngineError::Usage(format!("invalid Redis URL {store}: {e}")))?;
        let mut con = connect(&client, &store)?;
        check_durability(&mut con, &store, options.durability)?;
        let ttl_ms = options.lease_ttl.as_millis().max(30) as u64;
        let lease = lease::acquire(&mut con, &store, ttl_ms, options.standby)?;
        tracing::info!(%store, fence = lease.fence, "holding the shard's coordinator lease");
        let heartbeat = lease::Heartbeat::start(client.clone(), lease.clone(), store.clone())?;
        let snapshots: Vec<String> = redis::cmd("HKEYS")
            .arg(keys::SNAPSHOTS)
            .query(&mut con)
            .map_err(|e| redis_error(&store, e))?;
        let snapshots = snapshots
            .iter()
            .map(|t| t.parse::<u64>())
            .collect::<std::result::Result<BTreeSet<u64>, _>>()
            .map_err(|_| EngineError::RedisDamaged {
                store: store.clone(),
                problem: "a snapshot field is not a tick number".into(),
            })?;
        Ok(RedisStorage {
            client,
            con: Mutex::new(Some(con)),
            store,
            lease,
            heartbeat,
            snapshots,
            keep_snapshots: Some(super::DEFAULT_KEEP_SNAPSHOTS),
        })
    }

    /// Keeps the newest `keep` snapshots (at least 1) and the ticks after the oldest;
    /// `None` keeps everything (as [`super::SledStorage::keep_snapshots`]).
    pub fn keep_snapshots(mut self, keep: Option<usize>) -> Self {
        self.keep_snapshots = keep.map(|k| k.max(1));
        self
    }

    /// This coordinator's fencing token.
    pub fn fence(&self) -> u64 {
        self.lease.fence
    }

    /// Runs `f` on the connection, reconnecting first after a failure.
    fn run<T>(&self, f: impl FnOnce(&mut redis::Connection) -> redis::RedisResult<T>) -> Result<T> {
        let mut guard = self.con.lock();
        if guard.is_none() {
            *guard = Some(connect(&self.client, &self.store)?);
        }
        let Some(con) = guard.as_mut() else {
            return Err(EngineError::Redis {
                store: self.store.clone(),
                message: "no connection".into(),
            });
        };
        f(con).map_err(|e| {
            if e.is_io_error() || e.is_connection_dropped() || e.is_unrecoverable_error() {
                *guard = None;
            }
            redis_error(&self.store, e)
        })
    }

    /// Runs one atomic write (committing `tick`, when given).
    fn write(&self, writes: &RedisWrites, tick: Option<u64>) -> Result<()> {
        if self.heartbeat.is_fenced() {
            return Err(self.fenced("the lease heartbeat saw another coordinator's token"));
        }
        if writes.is_empty() && tick.is_none() {
            return Ok(());
        }
        match self.run(|con| writes.commit(con, &self.lease, tick))? {
            Committed::Done => Ok(()),
            Committed::Fenced(current) => Err(self.fenced(&current)),
            Committed::TickGap(stored) => Err(self.damaged(format!(
                "Redis holds tick {stored} but this coordinator committed the tick before the \
                 one it commits now: Redis lost acknowledged writes (AOF everysec after a crash?)"
            ))),
        }
    }

    fn fenced(&self, current: &str) -> EngineError {
        EngineError::FencedOut {
            store: self.store.clone(),
            ours: self.lease.fence,
            current: current.to_string(),
        }
    }

    fn damaged(&self, problem: String) -> EngineError {
        EngineError::RedisDamaged {
            store: self.store.clone(),
            problem,
        }
    }

    fn decode<T: serde::de::DeserializeOwned>(&self, name: &str, bytes: &[u8]) -> Result<T> {
        decode(name.as_bytes(), bytes).map_err(|p| self.damaged(p))
    }

    /// Adds the pruning a snapshot at `newest` allows (as sled's `prune_before`): the
    /// snapshots beyond the newest `keep`, and the tick records up to the oldest kept.
    fn prune(&self, writes: &mut RedisWrites, newest: u64) -> Vec<u64> {
        let Some(keep) = self.keep_snapshots else {
            return Vec::new();
        };
        let older: Vec<u64> = self.snapshots.range(..newest).copied().collect();
        if older.len() < keep {
            return Vec::new();
        }
        let dropped = older.len() + 1 - keep;
        let oldest_kept = older.get(dropped).copied().unwrap_or(newest);
        for t in &older[..dropped] {
            writes.hdel(keys::SNAPSHOTS, t.to_string());
        }
        // The ticks stored start after the oldest snapshot.
        writes.hdel_range(keys::TICKS, older[0] + 1, oldest_kept);
        older[..dropped].to_vec()
    }

    fn add_snapshot(&self, writes: &mut RedisWrites, s: &WorldSnapshot) -> Result<Vec<u64>> {
        writes.hset(keys::SNAPSHOTS, s.time.to_string(), encode(s)?);
        Ok(self.prune(writes, s.time))
    }

    fn snapshot_written(&mut self, time: u64, dropped: Vec<u64>) {
        self.snapshots.insert(time);
        for t in dropped {
            self.snapshots.remove(&t);
        }
    }
}

fn add_player(writes: &mut RedisWrites, p: &PlayerRecord) -> Result<()> {
    let id = p.account.id.0 as u64;
    writes.hset(keys::ACCOUNTS, id.to_string(), encode(&p.account)?);
    writes.hset(keys::CODE, id.to_string(), encode(&p.code)?);
    writes.hset(keys::BUDGETS, id.to_string(), encode(&p.state.budget)?);
    writes.hset(keys::MEMORIES, id.to_string(), encode(&p.state.memory)?);
    Ok(())
}

fn add_player_data(writes: &mut RedisWrites, id: u64, data: &PlayerDataWrite) -> Result<()> {
    let key = keys::memory(id);
    for (field, sealed) in player_data_fields(data)? {
        match sealed {
            Some(v) => writes.hset(&key, field, v),
            None => writes.hdel(&key, field),
        }
    }
    Ok(())
}

mod reads;

impl ShardStorage for RedisStorage {
    fn create(
        &mut self,
        meta: &ShardMeta,
        snapshot: &WorldSnapshot,
        players: &[PlayerRecord],
    ) -> Result<()> {
        let exists: bool = self.run(|con| redis::cmd("EXISTS").arg(keys::FORMAT).query(con))?;
        if exists {
            return Err(EngineError::Usage(format!(
                "Redis at {} already holds a shard",
                self.store
            )));
        }
        let mut writes = RedisWrites::default();
        writes.set(
            keys::FORMAT,
            STORAGE_FORMAT_VERSION.to_string().into_bytes(),
        );
        writes.set(keys::META, encode(meta)?);
        writes.set(keys::TICK, snapshot.time.to_string().into_bytes());
        let dropped = self.add_snapshot(&mut writes, snapshot)?;
        for p in players {
            add_player(&mut writes, p)?;
        }
        self.write(&writes, None)?;
        self.snapshot_written(snapshot.time, dropped);
        Ok(())
    }

    fn load(&self) -> Result<Option<StoredShard>> {
        self.read_shard()
    }

    fn commit_tick(&mut self, commit: TickCommit<'_>) -> Result<()> {
        let mut writes = RedisWrites::default();
        let tick = commit.record.tick;
        writes.hset(
            keys::TICKS,
            tick.to_string(),
            encode_compact(commit.record)?,
        );
        let dropped = match commit.snapshot {
            Some(s) => Some((s.time, self.add_snapshot(&mut writes, s)?)),
            None => None,
        };
        // Hash by hash, so each is one HSET of many fields.
        for change in commit.states {
            writes.hset(
                keys::BUDGETS,
                change.id.0.to_string(),
                encode(&change.budget)?,
            );
        }
        for change in commit.states {
            if let Some(memory) = &change.memory {
                writes.hset(keys::MEMORIES, change.id.0.to_string(), encode(memory)?);
            }
        }
        for change in commit.states {
            add_player_data(&mut writes, change.id.0 as u64, &change.data)?;
        }
        self.write(&writes, Some(tick))?;
        if let Some((time, dropped)) = dropped {
            self.snapshot_written(time, dropped);
        }
        Ok(())
    }

    fn save_snapshot(&mut self, snapshot: &WorldSnapshot, added: &[PlayerRecord]) -> Result<()> {
        let mut writes = RedisWrites::default();
        let dropped = self.add_snapshot(&mut writes, snapshot)?;
        for p in added {
            add_player(&mut writes, p)?;
        }
        self.write(&writes, None)?;
        self.snapshot_written(snapshot.time, dropped);
        Ok(())
    }

    fn tick_record(&self, tick: u64) -> Result<Option<TickRecord>> {
        let raw: Option<Vec<u8>> = self.run(|con| {
            redis::cmd("HGET")
                .arg(keys::TICKS)
                .arg(tick.to_string())
                .query(con)
        })?;
        raw.map(|r| self.decode(&format!("ticks/{tick}"), &r))
            .transpose()
    }

    fn save_meta(&mut self, meta: &ShardMeta) -> Result<()> {
        let mut writes = RedisWrites::default();
        writes.set(keys::META, encode(meta)?);
        self.write(&writes, None)
    }

    fn backup_into(&mut self, to: &std::path::Path) -> Result<()> {
        let mut target = super::SledStorage::open(to, true)?;
        super::copy::copy_shard(self, &mut target).map(drop)
    }

    fn save_player(&mut self, player: &PlayerRecord) -> Result<()> {
        let mut writes = RedisWrites::default();
        add_player(&mut writes, player)?;
        self.write(&writes, None)
    }

    fn write_player_data(&mut self, player: PlayerId, data: &PlayerDataWrite) -> Result<()> {
        let mut writes = RedisWrites::default();
        add_player_data(&mut writes, player.0 as u64, data)?;
        self.write(&writes, None)
    }

    fn read_segment(&self, player: PlayerId, id: u8) -> Result<Option<String>> {
        self.read_memory_field(player.0 as u64, &segment_key(id))
    }

    fn branch_names(&self, player: PlayerId) -> Result<Vec<String>> {
        let fields: Vec<Vec<u8>> = self.run(|con| {
            redis::cmd("HKEYS")
                .arg(keys::memory(player.0 as u64))
                .query(con)
        })?;
        let mut names: Vec<String> = fields
            .iter()
            .filter_map(|f| f.strip_prefix(BRANCH_PREFIX))
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect();
        names.sort();
        Ok(names)
    }

    fn read_branch(&self, player: PlayerId, name: &str) -> Result<Option<CodeBundle>> {
        let field = [BRANCH_PREFIX, name.as_bytes()].concat();
        self.read_memory_field(player.0 as u64, &field)
    }

    fn write_branch(
        &mut self,
        player: PlayerId,
        name: &str,
        code: Option<&CodeBundle>,
    ) -> Result<()> {
        let mut writes = RedisWrites::default();
        let (key, field) = (
            keys::memory(player.0 as u64),
            [BRANCH_PREFIX, name.as_bytes()].concat(),
        );
        match code {
            Some(code) => writes.hset(&key, field, encode(code)?),
            None => writes.hdel(&key, field),
        }
        self.write(&writes, None)
    }
}
