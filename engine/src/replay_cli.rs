//! `isoshard replay info|verify|export`: read a recording without touching the shard's
//! database (segments are plain files; sled is never opened).

use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use isoshard_replays::{Recording, RecordingInfo, VerifyReport};

use crate::error::{EngineError, Result};

/// The recording directory for a data directory (`DATA/replay`), or DATA itself.
pub fn recording_dir(data: &Path) -> PathBuf {
    let nested = data.join("replay");
    if nested.is_dir() {
        nested
    } else {
        data.to_path_buf()
    }
}

fn open(data: &Path) -> Result<Recording> {
    Recording::open(&recording_dir(data)).map_err(EngineError::from)
}

/// `replay info`.
///
/// # Errors
/// Missing or corrupt recordings, with the file named.
pub fn info(data: &Path) -> Result<RecordingInfo> {
    open(data)?.info().map_err(EngineError::from)
}

/// `replay verify`, with a progress bar when `progress`.
///
/// # Errors
/// Missing, corrupt, truncated or non-contiguous recordings (a divergence is in the report).
pub fn verify(
    data: &Path,
    from: Option<u64>,
    to: Option<u64>,
    threads: usize,
    progress: bool,
) -> Result<VerifyReport> {
    let rec = open(data)?;
    let bar = if progress {
        let info = rec.info().map_err(EngineError::from)?;
        let bar = ProgressBar::new(info.last_tick.saturating_sub(info.first_tick));
        bar.set_style(
            ProgressStyle::with_template("verify {bar:40} {pos}/{len} ticks  {per_sec}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let report = rec.verify(from, to, threads, &|n| bar.set_position(n));
    bar.finish_and_clear();
    report.map_err(EngineError::from)
}

/// `replay export`: the world (or one room) at `tick` as JSON.
///
/// # Errors
/// Ticks outside the recording, unknown rooms, corrupt segments.
pub fn export(data: &Path, tick: u64, room: Option<&str>) -> Result<serde_json::Value> {
    let rooms = open(data)?.export(tick, room).map_err(EngineError::from)?;
    Ok(serde_json::json!({ "tick": tick, "rooms": rooms }))
}
