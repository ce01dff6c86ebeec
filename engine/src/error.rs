/// Errors of the shard engine and its CLI.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// Bad command-line input: missing files, invalid flags.
    #[error("{0}")]
    Usage(String),
    /// Uploaded code is not acceptable.
    #[error("invalid code: {0}")]
    InvalidCode(String),
    /// The scripting layer failed on the host side.
    #[error(transparent)]
    Scripting(#[from] isoshard_scripting::Error),
    /// The world refused an operation.
    #[error(transparent)]
    World(#[from] isoshard_world::WorldError),
    /// The player runtime failed on the host side.
    #[error(transparent)]
    PlayerApi(#[from] isoshard_player_api::PlayerApiError),
    /// Storage failed or holds something this build cannot read.
    #[error("storage: {0}")]
    Storage(String),
    /// An unknown player.
    #[error("unknown player {0}")]
    UnknownPlayer(String),
}

impl From<sled::Error> for EngineError {
    fn from(e: sled::Error) -> Self {
        EngineError::Storage(e.to_string())
    }
}

/// Result alias for the engine.
pub type Result<T, E = EngineError> = std::result::Result<T, E>;
