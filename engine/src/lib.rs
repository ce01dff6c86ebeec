//! The shard: tick loop, player scheduling, persistence and what the `isoshard` CLI's
//! subcommands run (the binary itself, its flags and the tracing subscriber are the `cli/`
//! crate). The only library crate that uses tokio and sled.
//!
//! It is not the game rules (`world`), the JavaScript API (`player-api`) or the isolate layer
//! (`scripting`); it wires them together.
//!
//! # Layout
//! - `shard`: [`Shard`], one tick end to end.
//! - `player_host`: [`PlayerHost`], where players' code runs ([`ThreadPlayerHost`]);
//!   `runner`: the same in supervised child processes (`ProcessPlayerHost`, `isoshard runner`).
//! - `storage`: [`ShardStorage`], [`SledStorage`], the on-disk layout, the marker and
//!   [`fsck`]; [`RedisStorage`], the shard in Redis with its coordinator lease;
//!   `local_redis`: [`LocalRedis`], a `redis-server` child for tests and benchmarks.
//! - `code_bundle`: [`CodeBundle`], validated module maps, and the sample bots.
//! - `server`: `isoshard serve` — HTTP/WebSocket API, auth, metrics, the web viewer.
//! - `demo`, `sandbox`, `replay_cli`: the `demo`, `sandbox` and `replay` subcommands;
//!   `replay_viewer`: `replay serve`, the web viewer playing a recording.
//! - `inspector_endpoint`: the Chrome DevTools Protocol over WebSocket (`sandbox --inspect`,
//!   `serve --inspect`).
//! - `http_serve`: the HTTP accept loop both servers use (connection caps, header timeouts,
//!   shutdown grace); `net`: binding listeners.
//! - `web`: the browser pages (live viewer, replay viewer) compiled into the binary.
//! - `error`: [`EngineError`].

mod code_bundle;
pub mod demo;
mod demo_console;
mod error;
mod http_serve;
pub mod inspector_endpoint;
mod local_redis;
mod net;
mod player_host;
pub mod replay_analysis;
pub mod replay_cli;
pub mod replay_viewer;
pub mod runner;
pub mod sandbox;
pub mod server;
mod shard;
mod storage;
mod web;

pub use code_bundle::{sample_bots, CodeBundle, MAX_CODE_BYTES, MAX_MODULES};
pub use error::{EngineError, Result};
pub use local_redis::LocalRedis;
pub use player_host::{PlayerHost, PlayerTurn, RuntimeObserver, ThreadPlayerHost};
pub use shard::{
    BranchList, PlayerStats, Shard, ShardOptions, TickSummary, TickTimings, Tunables,
    CRASHES_TO_SUSPEND, CRASH_PENALTY_MS, CRASH_WINDOW_TICKS, DEFAULT_BRANCH, MAX_BRANCHES,
    MAX_PENDING_COMMANDS,
};
pub use shard::{MAX_TOKENS, SIGN_IN_TOKEN_DAYS, STARTER_CODE};
pub use storage::{
    copy_shard, copy_store, dir_bytes, fsck, restore, ApiToken, Badge, Compaction, FsckReport,
    PlayerAccount, PlayerDataWrite, PlayerRecord, PlayerTickState, RedisDurability, RedisOptions,
    RedisStorage, Restored, ShardMeta, ShardStorage, SledStorage, StateChange, StoreSizes,
    StoredMessage, StoredPlayerData, StoredShard, TickCommit, TickRecord, DEFAULT_KEEP_SNAPSHOTS,
    MARKER_FILE, STORAGE_FORMAT_VERSION,
};
