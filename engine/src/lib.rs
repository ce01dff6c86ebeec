//! The shard: tick loop, player scheduling, persistence, servers and the `isoshard` CLI's
//! subcommands. The only crate that owns a tokio runtime, sled and the tracing subscriber.
//!
//! # Layout
//! - `sandbox`: `isoshard sandbox`, files run in one isolate.
//! - `error`: [`EngineError`].

mod error;
pub mod sandbox;

pub use error::{EngineError, Result};
