//! Giving disk space back. sled 0.34 keeps old versions of records in its files and does not
//! shrink them: measured (BENCHMARKS.md, "Bounded storage"), a 10-player shard's 2.6 MB of
//! records sat in 73 MB of files after 30 000 ticks, and the files kept growing. So when the
//! files pass a threshold the store is copied, record by record, into a fresh database beside
//! it, which then replaces the old one.
//!
//! The swap is two renames, and every crash point leaves one complete database
//! ([`settle`] runs before every open):
//! 1. copy into `shard.sled.compact`, flushed;
//! 2. rename `shard.sled` → `shard.sled.old`;
//! 3. rename `shard.sled.compact` → `shard.sled`;
//! 4. delete `shard.sled.old`.

use std::path::Path;
use std::time::Instant;

use super::{open_tree, sled_error, SledStorage, DISK_RESERVE_BYTES};
use crate::error::{EngineError, Result};
use crate::storage::fsck::dir_bytes;

/// sled's files are never rewritten below this size.
pub const COMPACT_MIN_BYTES: u64 = 64 << 20;
/// The files are rewritten once they are this many times their size after the last rewrite.
pub const COMPACT_GROWTH: u64 = 4;

const LIVE: &str = "shard.sled";
const FRESH: &str = "shard.sled.compact";
const OLD: &str = "shard.sled.old";
/// Records per batch while copying: bounds the memory a copy holds at once.
const COPY_BATCH: usize = 512;

/// What a compaction did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compaction {
    pub bytes_before: u64,
    pub bytes_after: u64,
    pub millis: u64,
}

/// Finishes or undoes a compaction that a crash interrupted, so that `shard.sled` is the
/// one complete database: a fresh copy is complete once the old files were moved aside
/// (step 2 follows a flushed step 1).
///
/// # Errors
/// I/O failures renaming or deleting.
pub(in crate::storage) fn settle(dir: &Path) -> Result<()> {
    let (live, fresh, old) = (dir.join(LIVE), dir.join(FRESH), dir.join(OLD));
    let io = |what: &str| EngineError::io(format!("{what} in {}", dir.display()));
    if !live.exists() && old.exists() {
        let from = if fresh.exists() { &fresh } else { &old };
        std::fs::rename(from, &live).map_err(io("finishing an interrupted compaction"))?;
        tracing::warn!(dir = %dir.display(), "finished a compaction a crash interrupted");
    }
    for leftover in [old, fresh] {
        if leftover.exists() {
            std::fs::remove_dir_all(&leftover).map_err(io("deleting what a compaction left"))?;
        }
    }
    Ok(())
}

impl SledStorage {
    /// Compacts when the files have grown past the threshold. The tick that called it is
    /// committed already, so a compaction that fails is logged, never the tick's failure: a
    /// short disk waits for a later snapshot, and after any other failure the next write
    /// reopens whichever database [`settle`] keeps.
    pub(super) fn compact_if_due(&mut self) {
        let files = dir_bytes(&self.dir.join(LIVE));
        if files < self.compact_at {
            return;
        }
        match self.compact() {
            Ok(_) => {}
            Err(EngineError::DiskFull { available, .. }) => {
                tracing::warn!(
                    files,
                    available,
                    "too little free space to compact the store"
                );
            }
            Err(e) => {
                tracing::error!(error = %e, "compacting the store failed");
                self.failed = true;
                // Not again before the files grow further.
                self.compact_at = compaction_threshold(files);
            }
        }
    }

    /// Rewrites the store into fresh files now (see the module docs).
    ///
    /// # Errors
    /// [`EngineError::DiskFull`] when the copy might not fit (nothing changed); sled and I/O
    /// failures (the store is then whichever database [`settle`] keeps).
    pub fn compact(&mut self) -> Result<Compaction> {
        let started = Instant::now();
        let live = self.dir.join(LIVE);
        let bytes_before = dir_bytes(&live);
        self.db.flush().map_err(|e| self.sled(e))?;
        let available = fs2::available_space(&self.dir).map_err(EngineError::io(format!(
            "cannot read the free space of {}",
            self.dir.display()
        )))?;
        // The records are at most the files' size.
        let needed = DISK_RESERVE_BYTES + bytes_before;
        if available < needed {
            return Err(EngineError::DiskFull {
                dir: self.dir.clone(),
                available,
                needed,
            });
        }
        settle(&self.dir)?;
        self.copy_into(&self.dir.join(FRESH))?;
        self.release_files()?;
        let io = |what: &str| EngineError::io(format!("{what} in {}", self.dir.display()));
        std::fs::rename(&live, self.dir.join(OLD)).map_err(io("moving the old store aside"))?;
        std::fs::rename(self.dir.join(FRESH), &live).map_err(io("moving the new store in"))?;
        settle(&self.dir)?;
        let (db, tree) = open_tree(&self.dir)?;
        self.db = db;
        self.tree = tree;
        let bytes_after = dir_bytes(&live);
        self.compact_at = compaction_threshold(bytes_after);
        let done = Compaction {
            bytes_before,
            bytes_after,
            millis: started.elapsed().as_millis() as u64,
        };
        tracing::info!(
            before = done.bytes_before,
            after = done.bytes_after,
            ms = done.millis,
            "store compacted"
        );
        Ok(done)
    }

    /// Copies every tree into a new database at `to`, flushed and closed.
    pub(super) fn copy_into(&self, to: &Path) -> Result<()> {
        let fresh = sled::Config::new()
            .path(to)
            .open()
            .map_err(|e| sled_error(&self.dir, e))?;
        for name in self.db.tree_names() {
            let from = self.db.open_tree(&name).map_err(|e| self.sled(e))?;
            let into = fresh.open_tree(&name).map_err(|e| self.sled(e))?;
            let mut batch = sled::Batch::default();
            let mut in_batch = 0;
            for item in from.iter() {
                let (k, v) = item.map_err(|e| self.sled(e))?;
                batch.insert(k, v);
                in_batch += 1;
                if in_batch == COPY_BATCH {
                    into.apply_batch(std::mem::take(&mut batch))
                        .map_err(|e| self.sled(e))?;
                    in_batch = 0;
                }
            }
            into.apply_batch(batch).map_err(|e| self.sled(e))?;
        }
        fresh.flush().map_err(|e| self.sled(e))?;
        Ok(())
    }
}

/// When to compact next, given the files' size after a compaction (or at opening).
pub(super) fn compaction_threshold(files: u64) -> u64 {
    COMPACT_MIN_BYTES.max(files.saturating_mul(COMPACT_GROWTH))
}
