/// Errors of the player runtime (host side). What player code does is never an error here: it
/// is a [`isoshard_scripting::RunOutcome`].
#[derive(Debug, thiserror::Error)]
pub enum PlayerApiError {
    /// The scripting layer failed on the host side.
    #[error(transparent)]
    Scripting(#[from] isoshard_scripting::Error),
    /// The runtime prelude or an operator preload failed to load.
    #[error("runtime setup failed: {0}")]
    Setup(String),
    /// The player's module map is not acceptable.
    #[error("invalid modules: {0}")]
    InvalidModules(String),
}

/// Result alias for the player API.
pub type Result<T, E = PlayerApiError> = std::result::Result<T, E>;
