//! [`SledStorage`]: the layout described in `storage/mod.rs`, checked as it is read.
//!
//! Reading refuses, with [`EngineError::Damaged`], anything short of the whole shard: a value
//! that fails its checksum, a tick missing between the snapshot and `meta/tick`, a tick the
//! marker says was committed but sled no longer has, a player the world knows without an
//! account. sled's own panics on damaged files are caught and reported the same way.

use std::panic::{catch_unwind, AssertUnwindSafe};

use sled::transaction::{TransactionError, Transactional};
use std::path::{Path, PathBuf};

use isoshard_world::WorldSnapshot;

use super::marker::{self, Marker};
use super::record::{decode, decode_u64, encode, encode_compact, encode_u64, seal, Problem};
use super::{
    PlayerAccount, PlayerDataWrite, PlayerRecord, PlayerTickState, ShardMeta, ShardStorage,
    StoredShard, TickCommit, TickRecord, STORAGE_FORMAT_VERSION,
};
use crate::code_bundle::CodeBundle;
use crate::error::{EngineError, Result};
use isoshard_world::PlayerId;

/// The sled backend.
pub struct SledStorage {
    tree: sled::Tree,
    db: sled::Db,
    durable: bool,
    dir: PathBuf,
    marker: Option<Marker>,
    /// Snapshots kept (`retention.rs`); `None`: all of them.
    keep_snapshots: Option<usize>,
    /// The size of sled's files that starts a compaction (`compaction.rs`).
    compact_at: u64,
    /// A write failed: sled 0.34 keeps the first I/O error of its log and answers every
    /// later write with it, so the next write reopens the database first.
    failed: bool,
}

/// Free space a write leaves on the data directory's filesystem. sled 0.34 does not return
/// ENOSPC: its log writer blocks inside `flush` once the disk is full, and the shard could
/// neither retry nor stop. So a write that would leave less than this much is refused before
/// sled sees it, as a typed [`EngineError::DiskFull`] the commit loop retries; sled's
/// segments (512 KiB) and the marker fit many times into what is left.
pub const DISK_RESERVE_BYTES: u64 = 8 << 20;

/// The keys of a player's Memory tree: Memory, `RawMemory` segment n (`segment/NN`), the
/// segment settings and InterShardMemory's local data.
pub(in crate::storage) const MEMORY_KEY: &[u8] = b"memory";
pub(in crate::storage) const SEGMENT_SETTINGS_KEY: &[u8] = b"segment-settings";
pub(in crate::storage) const INTER_SHARD_KEY: &[u8] = b"inter-shard";
pub(in crate::storage) const NOTIFICATIONS_KEY: &[u8] = b"notifications";
/// `Game.resources` (pixels) of the player.
pub(in crate::storage) const RESOURCES_KEY: &[u8] = b"resources";
/// The player's mailbox (messages between players).
pub(in crate::storage) const MESSAGES_KEY: &[u8] = b"messages";
pub(in crate::storage) fn segment_key(id: u8) -> Vec<u8> {
    format!("segment/{id:02}").into_bytes()
}
/// Flag `name` in its player's Memory tree (`flag/<name>`).
pub(in crate::storage) const FLAG_PREFIX: &[u8] = b"flag/";
/// A stored code branch (`branch/<name>`, see `branches`).
pub(in crate::storage) const BRANCH_PREFIX: &[u8] = b"branch/";

mod branches;
mod compaction;
mod player_reads;
pub(super) use compaction::settle;
mod retention;
pub use compaction::{Compaction, COMPACT_MIN_BYTES};
pub use retention::DEFAULT_KEEP_SNAPSHOTS;
fn flag_key(name: &str) -> Vec<u8> {
    [FLAG_PREFIX, name.as_bytes()].concat()
}

/// The name of player `id`'s Memory tree.
pub(super) fn memory_tree_name(id: u64) -> Vec<u8> {
    key("memory/", id)
}

/// The ids of the Memory trees the database holds (listing them creates none).
pub(super) fn memory_tree_ids(db: &sled::Db) -> std::collections::BTreeSet<u64> {
    db.tree_names()
        .iter()
        .filter(|n| n.starts_with(b"memory/") && n.len() == "memory/".len() + 8)
        .map(|n| u64::from_be_bytes(n[7..].try_into().unwrap_or([0xff; 8])))
        .collect()
}

/// One atomic write: a sled batch for `shard`, the Memory trees it sets, and the Memory trees
/// to drop once it landed. It knows how many bytes it carries, for the free-space check.
/// A key of a player's tree and its new sealed value, or `None` to remove it.
type TreeWrite = (Vec<u8>, Option<Vec<u8>>);

#[derive(Default)]
pub(super) struct Writes {
    pub(super) batch: sled::Batch,
    /// Per Memory tree, the keys to set (a sealed value) or remove (`None`).
    memories: std::collections::BTreeMap<u64, Vec<TreeWrite>>,
    dropped_memories: Vec<u64>,
    bytes: u64,
}

impl Writes {
    pub(super) fn insert(&mut self, k: Vec<u8>, v: Vec<u8>) {
        self.bytes += (k.len() + v.len()) as u64;
        self.batch.insert(k, v);
    }

    pub(super) fn remove(&mut self, k: Vec<u8>) {
        self.bytes += k.len() as u64;
        self.batch.remove(k);
    }

    /// Sets player `id`'s Memory (a sealed record) in its own tree.
    pub(super) fn set_memory(&mut self, id: u64, sealed: Vec<u8>) {
        self.set_in_memory_tree(id, MEMORY_KEY.to_vec(), sealed);
    }

    /// Sets `key` (a segment, the segment settings, InterShardMemory) in player `id`'s tree.
    pub(super) fn set_in_memory_tree(&mut self, id: u64, key: Vec<u8>, sealed: Vec<u8>) {
        self.bytes += (key.len() + sealed.len()) as u64;
        self.memories
            .entry(id)
            .or_default()
            .push((key, Some(sealed)));
    }

    /// Removes `key` from player `id`'s tree (a flag).
    pub(super) fn remove_in_memory_tree(&mut self, id: u64, key: Vec<u8>) {
        self.bytes += key.len() as u64;
        self.memories.entry(id).or_default().push((key, None));
    }

    /// Drops player `id`'s Memory tree after the rest is written (a leftover tree holds no
    /// player and is never read).
    pub(super) fn drop_memory(&mut self, id: u64) {
        self.dropped_memories.push(id);
    }

    /// Writes everything atomically: the batch alone when no Memory changes, else one sled
    /// transaction over `shard` and the Memory trees. Does not check the free space.
    pub(super) fn apply(self, dir: &Path, db: &sled::Db, tree: &sled::Tree) -> Result<()> {
        if self.memories.is_empty() {
            tree.apply_batch(self.batch)
                .map_err(|e| sled_error(dir, e))?;
        } else {
            let mut trees = Vec::with_capacity(self.memories.len() + 1);
            trees.push(tree.clone());
            for id in self.memories.keys() {
                trees.push(
                    db.open_tree(memory_tree_name(*id))
                        .map_err(|e| sled_error(dir, e))?,
                );
            }
            let (batch, memories) = (&self.batch, &self.memories);
            trees
                .as_slice()
                .transaction(|views| {
                    views[0].apply_batch(batch)?;
                    for (view, writes) in views[1..].iter().zip(memories.values()) {
                        for (k, sealed) in writes {
                            match sealed {
                                Some(v) => view.insert(k.as_slice(), v.as_slice())?,
                                None => view.remove(k.as_slice())?,
                            };
                        }
                    }
                    Ok(())
                })
                .map_err(|e: TransactionError<()>| match e {
                    TransactionError::Storage(e) => sled_error(dir, e),
                    TransactionError::Abort(()) => {
                        EngineError::Storage("a storage transaction aborted".into())
                    }
                })?;
        }
        // A tree this write also sets is kept: the new Memory replaced what was there.
        let set: std::collections::BTreeSet<u64> = self.memories.keys().copied().collect();
        for id in self
            .dropped_memories
            .into_iter()
            .filter(|id| !set.contains(id))
        {
            db.drop_tree(memory_tree_name(id))
                .map_err(|e| sled_error(dir, e))?;
        }
        Ok(())
    }

    /// Refuses the batch when the filesystem of `dir` cannot hold it plus the reserve.
    /// sled may write a value twice (log, then segment), hence the factor.
    pub(super) fn check_space(&self, dir: &Path) -> Result<()> {
        let available = fs2::available_space(dir).map_err(EngineError::io(format!(
            "cannot read the free space of {}",
            dir.display()
        )))?;
        let needed = DISK_RESERVE_BYTES + 2 * self.bytes;
        if available < needed {
            return Err(EngineError::DiskFull {
                dir: dir.to_path_buf(),
                available,
                needed,
            });
        }
        Ok(())
    }
}

pub(super) fn key(prefix: &str, n: u64) -> Vec<u8> {
    let mut k = prefix.as_bytes().to_vec();
    k.extend_from_slice(&n.to_be_bytes());
    k
}

pub(super) fn damaged(dir: &Path, problem: Problem) -> EngineError {
    EngineError::Damaged {
        dir: dir.to_path_buf(),
        problem,
    }
}

/// sled's corruption report as damage; other sled failures (I/O, a lock held) as storage.
pub(super) fn sled_error(dir: &Path, e: sled::Error) -> EngineError {
    match e {
        sled::Error::Corruption { .. } => damaged(dir, format!("sled: {e}")),
        e => EngineError::Storage(e.to_string()),
    }
}

/// Runs `f`, turning a panic inside sled into damage: sled panics on some damaged files.
pub(super) fn guarded<T>(dir: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let msg = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Err(damaged(
            dir,
            format!("sled failed reading its files: {msg}"),
        ))
    })
}

/// Opens the database and its tree without changing anything.
///
/// A lock held by this process is waited for up to five seconds: sled's I/O pool may still
/// hold the files of a database just dropped (`fsck` reopens what it checked), and on a loaded
/// host letting go takes over a second. Another process's lock stays an error.
pub(super) fn open_tree(dir: &Path) -> Result<(sled::Db, sled::Tree)> {
    let mut attempts = 0;
    let db = loop {
        let opened = guarded(dir, || {
            sled::Config::new()
                .path(dir.join("shard.sled"))
                .open()
                .map_err(|e| match e {
                    // sled reports a held lock as `Other` with this text (config.rs).
                    sled::Error::Io(io)
                        if io.kind() == std::io::ErrorKind::WouldBlock
                            || io.to_string().contains("could not acquire lock") =>
                    {
                        EngineError::io("the store is locked")(io)
                    }
                    e => sled_error(dir, e),
                })
        });
        match opened {
            Err(EngineError::Io { .. }) if attempts < 250 => {
                attempts += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(EngineError::Io { source, .. }) => {
                return Err(EngineError::Storage(format!(
                    "cannot lock {}: {source} (is another isoshard using it?)",
                    dir.join("shard.sled").display()
                )))
            }
            other => break other?,
        }
    };
    let tree = guarded(dir, || {
        db.open_tree("shard").map_err(|e| sled_error(dir, e))
    })?;
    Ok((db, tree))
}

/// The stored format version, if any.
pub(super) fn format_of(dir: &Path, tree: &sled::Tree) -> Result<Option<u32>> {
    let Some(raw) = tree.get(b"meta/format").map_err(|e| sled_error(dir, e))? else {
        return Ok(None);
    };
    let raw: [u8; 4] = raw
        .as_ref()
        .try_into()
        .map_err(|_| damaged(dir, "record meta/format is not a number".into()))?;
    Ok(Some(u32::from_be_bytes(raw)))
}

impl SledStorage {
    /// Opens (or creates) the database in `dir`. With `durable`, every commit is flushed and
    /// the marker follows it. A version-1 store is rewritten with checksums.
    ///
    /// # Errors
    /// sled failures (including another process holding the lock), [`EngineError::Damaged`]
    /// for a damaged marker or files sled cannot read.
    pub fn open(dir: &Path, durable: bool) -> Result<Self> {
        let marker = marker::read(dir).map_err(|p| damaged(dir, p))?;
        compaction::settle(dir)?;
        let (db, tree) = open_tree(dir)?;
        let storage = SledStorage {
            tree,
            db,
            durable,
            dir: dir.to_path_buf(),
            marker,
            keep_snapshots: Some(DEFAULT_KEEP_SNAPSHOTS),
            // Files already past the minimum are compacted at the first snapshot.
            compact_at: COMPACT_MIN_BYTES,
            failed: false,
        };
        guarded(dir, || storage.upgrade())?;
        Ok(storage)
    }

    fn damaged(&self, problem: Problem) -> EngineError {
        damaged(&self.dir, problem)
    }

    fn sled(&self, e: sled::Error) -> EngineError {
        sled_error(&self.dir, e)
    }

    fn get(&self, k: &[u8]) -> Result<Option<sled::IVec>> {
        self.tree.get(k).map_err(|e| self.sled(e))
    }

    fn required(&self, k: &[u8]) -> Result<sled::IVec> {
        self.get(k)?.ok_or_else(|| {
            self.damaged(format!("record {} is missing", super::record::key_name(k)))
        })
    }

    /// Upgrades an older format in place: 1 stored the records of 2 without checksums; 2 kept
    /// Memory and bucket together in `pstate/<id>`, inside `shard`.
    fn upgrade(&self) -> Result<()> {
        if format_of(&self.dir, &self.tree)? == Some(1) {
            self.upgrade_from_version_1()?;
        }
        if format_of(&self.dir, &self.tree)? == Some(2) {
            self.upgrade_from_version_2()?;
        }
        Ok(())
    }

    /// Seals every record in one batch.
    fn upgrade_from_version_1(&self) -> Result<()> {
        let mut batch = Writes::default();
        for item in self.tree.iter() {
            let (k, v) = item.map_err(|e| self.sled(e))?;
            if k.as_ref() != b"meta/format" {
                batch.insert(k.to_vec(), seal(&v));
            }
        }
        batch.insert(b"meta/format".to_vec(), 2u32.to_be_bytes().to_vec());
        self.write_upgrade(batch, 1)
    }

    /// Moves each player's `pstate/` into a Memory tree and `budget/`, one player per
    /// transaction (an upgrade cut short resumes with the players left), then bumps the format.
    fn upgrade_from_version_2(&self) -> Result<()> {
        for item in self.tree.scan_prefix(b"pstate/") {
            let (k, v) = item.map_err(|e| self.sled(e))?;
            let state: PlayerTickState = decode(&k, &v).map_err(|p| self.damaged(p))?;
            let id = u64::from_be_bytes(k[7..].try_into().map_err(|_| {
                self.damaged(format!(
                    "record {} is of no known kind",
                    super::record::key_name(&k)
                ))
            })?);
            let mut writes = Writes::default();
            writes.remove(k.to_vec());
            writes.insert(key("budget/", id), encode(&state.budget)?);
            writes.set_memory(id, encode(&state.memory)?);
            writes.check_space(&self.dir)?;
            writes.apply(&self.dir, &self.db, &self.tree)?;
        }
        let mut batch = Writes::default();
        batch.insert(
            b"meta/format".to_vec(),
            STORAGE_FORMAT_VERSION.to_be_bytes().to_vec(),
        );
        self.write_upgrade(batch, 2)
    }

    fn write_upgrade(&self, writes: Writes, from: u32) -> Result<()> {
        writes.check_space(&self.dir)?;
        writes.apply(&self.dir, &self.db, &self.tree)?;
        self.db.flush().map_err(|e| self.sled(e))?;
        tracing::info!(dir = %self.dir.display(), "storage upgraded from format {from} to {}", from + 1);
        Ok(())
    }

    /// Applies `batch` and flushes it (always with `flush`, else when durable). After a failed
    /// write the database is reopened first; a failure marks it for reopening.
    fn write(&mut self, writes: Writes, flush: bool) -> Result<()> {
        // Nothing is written when the disk is short: the retry finds sled as it was.
        writes.check_space(&self.dir)?;
        if self.failed {
            self.reopen()?;
        }
        let written = writes
            .apply(&self.dir, &self.db, &self.tree)
            .and_then(|()| {
                if flush || self.durable {
                    self.db.flush().map_err(|e| self.sled(e))?;
                }
                Ok(())
            });
        if written.is_err() {
            self.failed = true;
        }
        written
    }

    /// Drops the database and opens it again from its files: what a restart would read.
    /// Records written before a failed flush may or may not be there; every write here is
    /// idempotent (the same keys with the same values), so the retry decides.
    fn reopen(&mut self) -> Result<()> {
        self.release_files()?;
        compaction::settle(&self.dir)?;
        let (db, tree) = open_tree(&self.dir)?;
        self.db = db;
        self.tree = tree;
        self.failed = false;
        tracing::info!(dir = %self.dir.display(), "storage reopened after a failed write");
        Ok(())
    }

    /// Lets go of sled's files. sled holds a file lock until every handle is gone: a scratch
    /// in-memory database takes the handles' place so the old ones can drop.
    fn release_files(&mut self) -> Result<()> {
        let scratch = sled::Config::new()
            .temporary(true)
            .open()
            .map_err(|e| self.sled(e))?;
        let scratch_tree = scratch.open_tree("scratch").map_err(|e| self.sled(e))?;
        drop(std::mem::replace(&mut self.tree, scratch_tree));
        drop(std::mem::replace(&mut self.db, scratch));
        Ok(())
    }

    fn write_marker(&mut self, committed: u64) -> Result<()> {
        let marker = Marker { committed };
        marker::write(&self.dir, marker).map_err(EngineError::io(format!(
            "cannot write {}",
            marker::path(&self.dir).display()
        )))?;
        self.marker = Some(marker);
        Ok(())
    }

    /// Format, config and last tick; `None` for a store that holds no shard.
    fn read_head(&self) -> Result<Option<(ShardMeta, u64)>> {
        let Some(format) = format_of(&self.dir, &self.tree)? else {
            return match self.marker {
                Some(m) => Err(self.damaged(format!(
                    "shard.sled holds no shard, but {} says one committed tick {} here",
                    marker::MARKER_FILE,
                    m.committed
                ))),
                None => Ok(None),
            };
        };
        if format != STORAGE_FORMAT_VERSION {
            return Err(EngineError::Storage(format!(
                "storage format version {format} is not supported (this build reads version {STORAGE_FORMAT_VERSION})"
            )));
        }
        let meta: ShardMeta =
            decode(b"meta/config", &self.required(b"meta/config")?).map_err(|p| self.damaged(p))?;
        let last_tick =
            decode_u64(b"meta/tick", &self.required(b"meta/tick")?).map_err(|p| self.damaged(p))?;
        if let Some(m) = self.marker.filter(|m| m.committed > last_tick) {
            return Err(self.damaged(format!(
                "the store ends at tick {last_tick}, but {} says tick {} was committed: \
                 sled dropped records it could not read",
                marker::MARKER_FILE,
                m.committed
            )));
        }
        Ok(Some((meta, last_tick)))
    }

    /// The newest snapshot at or before `last_tick` and every tick after it, without gaps.
    fn read_history(&self, last_tick: u64) -> Result<(WorldSnapshot, Vec<TickRecord>)> {
        let (snap_key, snap_bytes) = self
            .tree
            .range(key("snap/", 0)..=key("snap/", last_tick))
            .next_back()
            .ok_or_else(|| self.damaged(format!("no snapshot at or before tick {last_tick}")))?
            .map_err(|e| self.sled(e))?;
        let snapshot: WorldSnapshot =
            decode(&snap_key, &snap_bytes).map_err(|p| self.damaged(p))?;
        let mut ticks = Vec::new();
        for item in self
            .tree
            .range(key("tick/", snapshot.time + 1)..=key("tick/", last_tick))
        {
            let (k, v) = item.map_err(|e| self.sled(e))?;
            let record: TickRecord = decode(&k, &v).map_err(|p| self.damaged(p))?;
            let expected = snapshot.time + 1 + ticks.len() as u64;
            if record.tick != expected {
                return Err(self.damaged(format!("tick record {expected} is missing")));
            }
            ticks.push(record);
        }
        let through = snapshot.time + ticks.len() as u64;
        if through != last_tick {
            return Err(self.damaged(format!("tick record {} is missing", through + 1)));
        }
        Ok((snapshot, ticks))
    }

    /// Every player with an account, checked against the players the world knows.
    fn read_players(&self, snapshot: &WorldSnapshot) -> Result<Vec<PlayerRecord>> {
        let mut players = Vec::new();
        let memories = memory_tree_ids(&self.db);
        for item in self.tree.scan_prefix(b"player/") {
            let (k, v) = item.map_err(|e| self.sled(e))?;
            let account: PlayerAccount = decode(&k, &v).map_err(|p| self.damaged(p))?;
            let id = account.id.0 as u64;
            let code_key = key("code/", id);
            let budget_key = key("budget/", id);
            players.push(PlayerRecord {
                account,
                code: decode(&code_key, &self.required(&code_key)?).map_err(|p| self.damaged(p))?,
                state: PlayerTickState {
                    memory: self.read_memory(id, memories.contains(&id))?,
                    budget: decode(&budget_key, &self.required(&budget_key)?)
                        .map_err(|p| self.damaged(p))?,
                    data: self.read_player_data(id, memories.contains(&id))?,
                },
            });
        }
        if let Some(problem) = crate::storage::unknown_player(snapshot, &players) {
            return Err(self.damaged(problem));
        }
        Ok(players)
    }
}

/// Adds a tick's segment, settings and InterShardMemory writes for player `id`.
fn insert_player_data(batch: &mut Writes, id: u64, data: &PlayerDataWrite) -> Result<()> {
    for (key, sealed) in player_data_fields(data)? {
        match sealed {
            Some(v) => batch.set_in_memory_tree(id, key, v),
            None => batch.remove_in_memory_tree(id, key),
        }
    }
    Ok(())
}

/// The fields of a player's Memory tree (the same in Redis' `mem:<id>` hash) that a write of
/// their segments, settings, InterShardMemory, notifications, resources and flags sets
/// (`Some(sealed value)`) or removes (`None`).
pub(in crate::storage) fn player_data_fields(data: &PlayerDataWrite) -> Result<Vec<TreeWrite>> {
    let mut fields = Vec::new();
    for (n, text) in &data.segments {
        fields.push((segment_key(*n), Some(encode(text)?)));
    }
    if let Some(settings) = &data.settings {
        fields.push((SEGMENT_SETTINGS_KEY.to_vec(), Some(encode(settings)?)));
    }
    if let Some(local) = &data.inter_shard {
        fields.push((INTER_SHARD_KEY.to_vec(), Some(encode(local)?)));
    }
    if let Some(kept) = &data.notifications {
        fields.push((NOTIFICATIONS_KEY.to_vec(), Some(encode(kept)?)));
    }
    if let Some(held) = &data.resources {
        fields.push((RESOURCES_KEY.to_vec(), Some(encode(held)?)));
    }
    if let Some(mailbox) = &data.messages {
        fields.push((MESSAGES_KEY.to_vec(), Some(encode(mailbox)?)));
    }
    for (name, flag) in &data.flags {
        let sealed = flag.as_ref().map(encode).transpose()?;
        fields.push((flag_key(name), sealed));
    }
    Ok(fields)
}

impl ShardStorage for SledStorage {
    fn create(
        &mut self,
        meta: &ShardMeta,
        snapshot: &WorldSnapshot,
        players: &[PlayerRecord],
    ) -> Result<()> {
        let mut batch = Writes::default();
        batch.insert(
            b"meta/format".to_vec(),
            STORAGE_FORMAT_VERSION.to_be_bytes().to_vec(),
        );
        batch.insert(b"meta/config".to_vec(), encode(meta)?);
        batch.insert(b"meta/tick".to_vec(), encode_u64(snapshot.time));
        batch.insert(key("snap/", snapshot.time), encode(snapshot)?);
        for p in players {
            insert_player(&mut batch, p)?;
        }
        self.write(batch, true)?;
        self.write_marker(snapshot.time)
    }

    fn load(&self) -> Result<Option<StoredShard>> {
        guarded(&self.dir, || {
            let Some((meta, last_tick)) = self.read_head()? else {
                return Ok(None);
            };
            let (snapshot, ticks) = self.read_history(last_tick)?;
            let players = self.read_players(&snapshot)?;
            Ok(Some(StoredShard {
                meta,
                last_tick,
                snapshot,
                ticks,
                players,
            }))
        })
    }

    fn commit_tick(&mut self, commit: TickCommit<'_>) -> Result<()> {
        let mut batch = Writes::default();
        batch.insert(
            key("tick/", commit.record.tick),
            encode_compact(commit.record)?,
        );
        if let Some(s) = commit.snapshot {
            batch.insert(key("snap/", s.time), encode(s)?);
            self.prune_before(&mut batch, s.time)?;
        }
        for change in commit.states {
            let id = change.id.0 as u64;
            batch.insert(key("budget/", id), encode(&change.budget)?);
            if let Some(memory) = &change.memory {
                batch.set_memory(id, encode(memory)?);
            }
            insert_player_data(&mut batch, id, &change.data)?;
        }
        batch.insert(b"meta/tick".to_vec(), encode_u64(commit.record.tick));
        self.write(batch, false)?;
        if self.durable || self.marker.is_none() {
            self.write_marker(commit.record.tick)?;
        }
        if commit.snapshot.is_some() {
            self.compact_if_due();
        }
        Ok(())
    }

    fn tick_record(&self, tick: u64) -> Result<Option<TickRecord>> {
        let k = key("tick/", tick);
        match self.get(&k)? {
            Some(v) => Ok(Some(decode(&k, &v).map_err(|p| self.damaged(p))?)),
            None => Ok(None),
        }
    }

    fn save_snapshot(&mut self, snapshot: &WorldSnapshot, added: &[PlayerRecord]) -> Result<()> {
        let mut batch = Writes::default();
        batch.insert(key("snap/", snapshot.time), encode(snapshot)?);
        self.prune_before(&mut batch, snapshot.time)?;
        for p in added {
            insert_player(&mut batch, p)?;
        }
        self.write(batch, false)?;
        self.compact_if_due();
        Ok(())
    }

    fn backup_into(&mut self, to: &Path) -> Result<()> {
        let committed = self
            .read_head()?
            .map(|(_, tick)| tick)
            .ok_or_else(|| EngineError::Storage("the store holds no shard to back up".into()))?;
        self.copy_into(&to.join("shard.sled"))?;
        marker::write(to, Marker { committed }).map_err(EngineError::io(format!(
            "cannot write {}",
            marker::path(to).display()
        )))
    }

    fn save_meta(&mut self, meta: &ShardMeta) -> Result<()> {
        let mut batch = Writes::default();
        batch.insert(b"meta/config".to_vec(), encode(meta)?);
        self.write(batch, true)
    }

    fn save_player(&mut self, player: &PlayerRecord) -> Result<()> {
        let mut batch = Writes::default();
        insert_player(&mut batch, player)?;
        self.write(batch, false)
    }

    fn write_player_data(&mut self, player: PlayerId, data: &PlayerDataWrite) -> Result<()> {
        let mut batch = Writes::default();
        insert_player_data(&mut batch, player.0 as u64, data)?;
        self.write(batch, true)
    }

    fn read_segment(&self, player: PlayerId, id: u8) -> Result<Option<String>> {
        guarded(&self.dir, || {
            // Only called for stored players, whose Memory tree always exists.
            self.read_in_memory_tree(player.0 as u64, &segment_key(id), true)
        })
    }

    fn branch_names(&self, player: PlayerId) -> Result<Vec<String>> {
        guarded(&self.dir, || self.stored_branch_names(player))
    }

    fn read_branch(&self, player: PlayerId, name: &str) -> Result<Option<CodeBundle>> {
        guarded(&self.dir, || self.stored_branch(player, name))
    }

    fn write_branch(
        &mut self,
        player: PlayerId,
        name: &str,
        code: Option<&CodeBundle>,
    ) -> Result<()> {
        self.store_branch(player, name, code)
    }
}

pub(super) fn insert_player(batch: &mut Writes, p: &PlayerRecord) -> Result<()> {
    let id = p.account.id.0 as u64;
    batch.insert(key("player/", id), encode(&p.account)?);
    batch.insert(key("code/", id), encode(&p.code)?);
    batch.insert(key("budget/", id), encode(&p.state.budget)?);
    batch.set_memory(id, encode(&p.state.memory)?);
    Ok(())
}
