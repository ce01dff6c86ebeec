/// Errors of the shard engine and its CLI.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// Bad command-line input: missing files, invalid flags.
    #[error("{0}")]
    Usage(String),
    /// The scripting layer failed on the host side.
    #[error(transparent)]
    Scripting(#[from] isoshard_scripting::Error),
}

/// Result alias for the engine.
pub type Result<T, E = EngineError> = std::result::Result<T, E>;
