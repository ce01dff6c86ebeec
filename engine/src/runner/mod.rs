//! Runner processes: players' isolates outside the shard's process, so that a V8 abort takes
//! down one runner, not the shard.
//!
//! - `protocol`: the versioned, length-prefixed rmp-serde protocol (pipes or TCP).
//! - `process`: `isoshard runner`, the child side.
//! - `host`: [`ProcessPlayerHost`], the supervising side: starting and replacing runners.
//! - `supervise_tick`: one tick on the supervising side (frames out, results in, deadlines).

mod host;
mod process;
pub mod protocol;
mod supervise_tick;

pub use host::{ProcessHostOptions, ProcessPlayerHost, DEADLINE_MARGIN, SETUP_TIMEOUT};
pub use process::{install_overrun_exit, run_runner, EXIT_CPU_OVERRUN, OVERRUN_GRACE};
