//! Copying a shard between stores (sled ↔ Redis): `isoshard storage copy`, and a Redis
//! shard's backup (`ShardStorage::backup_into` writes a sled directory).
//!
//! What is copied is what recovery needs: the newest snapshot, the ticks after it, and every
//! player with their Memory, segments, flags, other data and code branches. Older snapshots
//! (what `fsck --repair` could roll back to) stay behind.

use isoshard_player_api::SEGMENT_COUNT;

use super::{
    PlayerDataWrite, RedisDurability, RedisOptions, RedisStorage, ShardStorage, SledStorage,
    TickCommit,
};
use crate::error::{EngineError, Result};

/// A store named on the command line: a Redis URL (`redis://…`, `redis+unix://…`) or a data
/// directory (sled).
fn open_named(name: &str, durability: RedisDurability) -> Result<Box<dyn ShardStorage>> {
    if name.starts_with("redis") {
        Ok(Box::new(RedisStorage::open(&RedisOptions {
            durability,
            ..RedisOptions::new(name)
        })?))
    } else {
        Ok(Box::new(SledStorage::open(
            std::path::Path::new(name),
            true,
        )?))
    }
}

/// `isoshard copy-store`: copies the shard in `from` into the empty store `to` (each a data
/// directory or a Redis URL), e.g. to move a sled shard to Redis. A Redis store is opened
/// with its coordinator lease, so a shard that a coordinator is running is refused. Returns
/// the last tick copied.
///
/// # Errors
/// As [`copy_shard`], and a store that cannot be opened.
pub fn copy_store(from: &str, to: &str, durability: RedisDurability) -> Result<u64> {
    let source = open_named(from, RedisDurability::Unchecked)?;
    let mut target = open_named(to, durability)?;
    copy_shard(source.as_ref(), target.as_mut())
}

/// Copies the shard in `from` into the empty store `to`; returns its last tick.
///
/// # Errors
/// An empty `from`, a `to` that holds a shard, either store's failures.
pub fn copy_shard(from: &dyn ShardStorage, to: &mut dyn ShardStorage) -> Result<u64> {
    let stored = from
        .load()?
        .ok_or_else(|| EngineError::Usage("the source holds no shard to copy".into()))?;
    if to.load()?.is_some() {
        return Err(EngineError::Usage(
            "the target already holds a shard; copy into an empty store".into(),
        ));
    }
    to.create(&stored.meta, &stored.snapshot, &stored.players)?;
    for p in &stored.players {
        let id = p.account.id;
        let d = &p.state.data;
        let mut data = PlayerDataWrite {
            settings: Some(d.settings.clone()),
            inter_shard: Some(d.inter_shard.clone()),
            flags: d
                .flags
                .iter()
                .map(|(n, f)| (n.clone(), Some(f.clone())))
                .collect(),
            notifications: Some(d.notifications.clone()),
            resources: Some(d.resources.clone()),
            messages: Some(d.messages.clone()),
            ..Default::default()
        };
        for n in 0..SEGMENT_COUNT {
            if let Some(text) = from.read_segment(id, n)? {
                data.segments.insert(n, text);
            }
        }
        to.write_player_data(id, &data)?;
        for branch in from.branch_names(id)? {
            if let Some(code) = from.read_branch(id, &branch)? {
                to.write_branch(id, &branch, Some(&code))?;
            }
        }
    }
    for record in &stored.ticks {
        to.commit_tick(TickCommit {
            record,
            snapshot: None,
            states: &[],
        })?;
    }
    Ok(stored.last_tick)
}
