//! Opening the shard a data directory holds, or creating it. Settings fixed at creation (the
//! world's seed and size) are checked against what the operator gave; the others (CPU limit,
//! history kept) apply to an existing shard from this start on, and each change is logged.

use isoshard_replays::RecorderOptions;
use isoshard_world::WorldConfig;

use super::ServeOptions;
use crate::error::{EngineError, Result};
use crate::shard::{Shard, ShardOptions, Tunables};
use crate::storage::{RedisStorage, ShardMeta, ShardStorage, SledStorage};

/// Rooms per side and seed of a new shard when none are given.
pub const DEFAULT_ROOMS: u32 = 5;
pub const DEFAULT_SEED: u64 = 1;

/// How much history the data directory keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct History {
    /// A world snapshot every this many ticks (recovery re-applies up to this many ticks).
    pub snapshot_every: u64,
    /// Snapshots kept, with the ticks after the oldest (`None`: all).
    pub keep_snapshots: Option<usize>,
    /// The recording keeps at least this many of the newest ticks (`None`: no tick bound).
    pub replay_keep_ticks: Option<u64>,
    /// The recording's segments stay within this many bytes (`None`: no byte bound).
    pub replay_keep_bytes: Option<u64>,
}

impl Default for History {
    /// A snapshot every 100 ticks, 9 kept; a recording of at most 256 MiB.
    fn default() -> Self {
        History {
            snapshot_every: 100,
            keep_snapshots: Some(crate::storage::DEFAULT_KEEP_SNAPSHOTS),
            replay_keep_ticks: None,
            replay_keep_bytes: Some(256 << 20),
        }
    }
}

impl History {
    fn recorder(&self) -> RecorderOptions {
        RecorderOptions {
            retention_bytes: self.replay_keep_bytes,
            ..RecorderOptions::keep_ticks(self.replay_keep_ticks)
        }
    }
}

/// The shard in `options.data`, created if the directory holds none, with its recording
/// resumed; and whether it existed.
///
/// # Errors
/// [`EngineError::FixedSetting`] for a seed or size that differs from the stored one;
/// storage, usage and recording failures.
pub(super) fn open_or_create(options: &ServeOptions) -> Result<(Shard, bool)> {
    let runtime = super::runtime_options(&options.preloads, options.lodash)?;
    let storage: Box<dyn ShardStorage> = match &options.redis {
        Some(redis) => {
            Box::new(RedisStorage::open(redis)?.keep_snapshots(options.history.keep_snapshots))
        }
        None => Box::new(
            SledStorage::open(&options.data, true)?.keep_snapshots(options.history.keep_snapshots),
        ),
    };
    let stored_meta = storage.load()?.map(|s| s.meta);
    let tunables = Tunables {
        cpu_limit_ms: options.cpu_limit_ms,
        snapshot_every: options.history.snapshot_every,
    };
    let mut shard = match &stored_meta {
        Some(meta) => {
            check_fixed(meta, options)?;
            let mut shard = Shard::open(storage, runtime)?;
            for change in shard.retune(tunables)? {
                tracing::info!(%change, "setting changed since the last start");
            }
            shard
        }
        None => Shard::create(
            ShardOptions {
                world: WorldConfig {
                    seed: options.seed.unwrap_or(DEFAULT_SEED),
                    width: options.rooms.unwrap_or(DEFAULT_ROOMS).max(1),
                    height: options.rooms.unwrap_or(DEFAULT_ROOMS).max(1),
                },
                cpu_limit_ms: tunables.cpu_limit_ms,
                snapshot_every: tunables.snapshot_every,
                runtime,
            },
            storage,
        )?,
    };
    shard.resume_recording(&options.data.join("replay"), options.history.recorder())?;
    let meta = shard.meta();
    tracing::info!(
        data = %options.data.display(),
        storage = options.redis.as_ref().map_or("sled", |_| "redis"),
        seed = meta.world.seed,
        rooms = format!("{}x{}", meta.world.width, meta.world.height),
        cpu_limit_ms = meta.cpu_limit_ms,
        snapshot_every = meta.snapshot_every,
        // 0: no bound.
        keep_snapshots = options.history.keep_snapshots.unwrap_or(0),
        replay_keep_ticks = options.history.replay_keep_ticks.unwrap_or(0),
        replay_keep_bytes = options.history.replay_keep_bytes.unwrap_or(0),
        tick_ms = options.tick.as_millis() as u64,
        created = stored_meta.is_none(),
        "shard settings"
    );
    Ok((shard, stored_meta.is_some()))
}

/// Refuses a seed or a size given for an existing shard that differs from its own.
fn check_fixed(meta: &ShardMeta, options: &ServeOptions) -> Result<()> {
    if let Some(seed) = options.seed.filter(|&s| s != meta.world.seed) {
        return Err(EngineError::FixedSetting {
            setting: "world seed",
            stored: meta.world.seed.to_string(),
            given: seed.to_string(),
        });
    }
    let (w, h) = (meta.world.width, meta.world.height);
    if let Some(rooms) = options.rooms.filter(|&r| r != w || r != h) {
        return Err(EngineError::FixedSetting {
            setting: "world size (rooms per side; add rooms with `isoshard admin add-rooms`)",
            stored: format!("{w}x{h}"),
            given: format!("{rooms}x{rooms}"),
        });
    }
    Ok(())
}
