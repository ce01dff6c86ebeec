//! Tick recordings: what the shard applied each tick, written to append-only segment files so
//! that tools can read a live shard's recording without touching its database, and verified
//! by re-simulating the world without running any JavaScript.
//!
//! Not the shard's durable state (that is sled, in `engine`); a recording can be deleted or
//! trimmed by retention without affecting the shard.
//!
//! # Format (version 1)
//! `DIR/segment-<first tick, 12 digits>.isr`, each starting with a 16-byte header
//! (`b"ISRPLAY\0"`, format version u32 LE, reserved u32) followed by records:
//! `[payload length u32 LE][crc32 of payload u32 LE][payload]`, the payload a [`Record`] in
//! rmp-serde. Every segment begins with a [`Record::Snapshot`], so segments verify on their
//! own (and in parallel). A new segment starts every `segment_ticks` ticks.
//!
//! # Layout
//! - `record`: [`Record`], [`TickEntry`].
//! - `segment`: reading and writing one segment file.
//! - `recorder`: [`Recorder`], appends as the shard runs, with retention.
//! - `recording`: [`Recording`], info, verify, export.
//! - `playback`: [`Playback`], the world at any recorded tick (the replay viewer's source).
//! - `error`: [`ReplayError`].

mod between_ticks;
mod error;
mod playback;
mod record;
mod recorder;
mod recording;
mod segment;

pub use error::{ReplayError, Result};
pub use playback::Playback;
pub use record::{
    Record, TickEntry, TickNotes, CONSOLE_BYTES_RECORDED, CONSOLE_LINES_RECORDED, REJECTED_RECORDED,
};
pub use recorder::{Recorder, RecorderOptions};
pub use recording::{Divergence, Recording, RecordingInfo, VerifyReport};
pub use segment::{FORMAT_VERSION, MAGIC};
