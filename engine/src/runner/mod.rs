//! Runner processes: players' isolates outside the shard's process, so that a V8 abort takes
//! down one runner, not the shard.
//!
//! - `protocol`: the versioned, length-prefixed rmp-serde protocol (pipes or TCP).
//! - `process`: `isoshard runner`, the child side.
//! - `host`: [`ProcessPlayerHost`], the supervising side: starting and replacing runners.
//! - `doorbell`: how a local runner wakes the shard's reader only for frames that end something.
//! - `supervise_tick`: one tick on the supervising side (frames out, results in, deadlines).
//! - `remote`: runner hosts on other machines, reached through Redis (`isoshard runner-host`,
//!   and the `isoshard runner-bridge` the shard starts in a runner's place).
//! - `relay` and `runner_inspector`: DevTools sessions relayed to players' isolates in
//!   runners, the shard's end and the runner's.

mod doorbell;
mod host;
mod process;
pub mod protocol;
mod relay;
pub mod remote;
mod runner_inspector;
mod supervise_tick;

pub use host::{ProcessHostOptions, ProcessPlayerHost, DEADLINE_MARGIN, SETUP_TIMEOUT};
pub use process::{install_overrun_exit, run_runner, EXIT_CPU_OVERRUN, OVERRUN_GRACE};
pub use relay::{InspectorRelay, RelayLink, RelayObserver};
