//! Runner processes: players' isolates outside the shard's process, so that a V8 abort takes
//! down one runner, not the shard.
//!
//! - `protocol`: the versioned, length-prefixed rmp-serde protocol (pipes or TCP).
//! - `process`: `isoshard runner`, the child side.
//! - `host`: [`ProcessPlayerHost`], the supervising side.

mod host;
mod process;
pub mod protocol;

pub use host::{ProcessHostOptions, ProcessPlayerHost, DEADLINE_MARGIN, SETUP_TIMEOUT};
pub use process::run_runner;
