/// Errors from creating, extending or restoring a world. Player mistakes are return codes,
/// never errors.
#[derive(Debug, thiserror::Error)]
pub enum WorldError {
    #[error("invalid world config: {0}")]
    InvalidConfig(String),
    #[error("player name {0:?} is taken")]
    NameTaken(String),
    #[error("invalid player name {0:?}")]
    InvalidName(String),
    #[error("no free room with two sources is left")]
    NoFreeRoom,
    #[error("snapshot format version {0} is not supported (this build reads version 1)")]
    UnsupportedSnapshot(u32),
    #[error("corrupt snapshot: {0}")]
    CorruptSnapshot(String),
    #[error("unknown room {0:?}")]
    UnknownRoom(String),
    /// A spawn placement (or respawn) refused, in Screeps' words.
    #[error("{0}")]
    Placement(String),
}

/// Result alias for the world crate.
pub type Result<T, E = WorldError> = std::result::Result<T, E>;
