//! History retention: a store keeps its newest snapshots and the tick records after the
//! oldest of them, nothing older. Recovery needs only the newest snapshot and the ticks after
//! it; the older kept ones are what `fsck --repair` rolls back to when the newest is damaged.
//! The recording (`DATA/replay`) has its own retention; tick records are not the replay.
//!
//! Pruning rides in the batch that writes a snapshot, so it is as atomic as the snapshot
//! itself: a crash leaves either the old history or the new one, never a gap.

use super::{key, SledStorage, Writes};
use crate::error::Result;

/// Snapshots a store keeps unless told otherwise: with a snapshot every 100 ticks, a store
/// holds 800 to 900 ticks of history.
pub const DEFAULT_KEEP_SNAPSHOTS: usize = 9;

impl SledStorage {
    /// Keeps the newest `keep` snapshots (at least 1) and the ticks after the oldest of
    /// them; `None` keeps everything. Takes effect with the next snapshot written.
    pub fn keep_snapshots(mut self, keep: Option<usize>) -> Self {
        self.keep_snapshots = keep.map(|k| k.max(1));
        self
    }

    /// Adds to `writes` the removal of what a snapshot at tick `newest` makes unnecessary:
    /// the snapshots beyond the newest `keep` (counting `newest`), and every tick record at
    /// or before the oldest snapshot kept.
    pub(super) fn prune_before(&self, writes: &mut Writes, newest: u64) -> Result<()> {
        let Some(keep) = self.keep_snapshots else {
            return Ok(());
        };
        let mut older = Vec::new();
        for k in self
            .tree
            .range(key("snap/", 0)..key("snap/", newest))
            .keys()
        {
            older.push(k.map_err(|e| self.sled(e))?);
        }
        if older.len() < keep {
            return Ok(());
        }
        // `older` is oldest first; the newest `keep - 1` of them stay beside `newest`.
        let dropped = older.len() + 1 - keep;
        let oldest_kept = older
            .get(dropped)
            .and_then(|k| k.get(5..).and_then(|n| n.try_into().ok()))
            .map_or(newest, u64::from_be_bytes);
        for k in older.into_iter().take(dropped) {
            writes.remove(k.to_vec());
        }
        for k in self
            .tree
            .range(key("tick/", 0)..=key("tick/", oldest_kept))
            .keys()
        {
            writes.remove(k.map_err(|e| self.sled(e))?.to_vec());
        }
        Ok(())
    }
}
