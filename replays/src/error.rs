use std::path::PathBuf;

/// What can be wrong with a recording. Every variant names the file and, where known, the tick.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("{file}: {source}")]
    Io {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("{file}: not a recording segment (bad magic)")]
    BadMagic { file: PathBuf },
    #[error(
        "{file}: format version {found} is not supported (this build reads version {supported})"
    )]
    UnsupportedVersion {
        file: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("{file}: checksum mismatch in the record at byte {offset} (after tick {after_tick})")]
    Checksum {
        file: PathBuf,
        offset: u64,
        after_tick: u64,
    },
    #[error("{file}: truncated record at byte {offset} (after tick {after_tick})")]
    Truncated {
        file: PathBuf,
        offset: u64,
        after_tick: u64,
    },
    #[error("{file}: undecodable record at byte {offset} (after tick {after_tick}): {message}")]
    Decode {
        file: PathBuf,
        offset: u64,
        after_tick: u64,
        message: String,
    },
    #[error("{file}: tick {expected} is missing (found tick {found})")]
    MissingTick {
        file: PathBuf,
        expected: u64,
        found: u64,
    },
    #[error("{file}: segment does not start with a snapshot")]
    NoSnapshot { file: PathBuf },
    #[error("{file}: snapshot at tick {tick} cannot be restored: {message}")]
    BadSnapshot {
        file: PathBuf,
        tick: u64,
        message: String,
    },
    #[error("no recording in {0}")]
    Empty(PathBuf),
    #[error("tick {tick} is outside the recording ({first}..={last})")]
    OutOfRange { tick: u64, first: u64, last: u64 },
    #[error("unknown room {0}")]
    UnknownRoom(String),
    #[error("cannot encode a record: {0}")]
    Encode(String),
}

/// Result alias for replays.
pub type Result<T, E = ReplayError> = std::result::Result<T, E>;
