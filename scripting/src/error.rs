use crate::outcome::{JsError, OutcomeKind, RunOutcome};

/// Everything that can go wrong when the host drives an isolate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The isolate was disposed (explicitly, or after hitting its memory limit).
    #[error("isolate is disposed")]
    Disposed,
    /// Untrusted code threw; the thrown value was converted without running any of its code.
    #[error("uncaught {}: {}", .0.name, .0.message)]
    Exception(JsError),
    /// The source did not parse.
    #[error("syntax error: {}", .0.message)]
    Syntax(JsError),
    /// The call used up its CPU-time limit and was terminated.
    #[error("CPU time limit exceeded")]
    CpuLimit,
    /// The call ran past its wall-clock limit and was terminated.
    #[error("wall-clock limit exceeded")]
    WallLimit,
    /// The isolate exceeded its memory limit; it has been disposed.
    #[error("memory limit exceeded; isolate disposed")]
    MemoryLimit,
    /// A value could not be copied across the boundary (functions, symbols, proxies, cycles…).
    #[error("value is not transferable: {}", .0.message)]
    NotTransferable(JsError),
    /// A blocking call from an isolate's home thread into another isolate on the same thread.
    #[error("blocking call into an isolate on the caller's own home thread would deadlock")]
    WouldDeadlock,
    /// The handle (context, script, reference) was released or belongs to another isolate.
    #[error("invalid handle: {0}")]
    InvalidHandle(&'static str),
    /// A host-side argument was rejected before anything ran.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// Option values out of range.
    #[error("invalid options: {0}")]
    InvalidOptions(String),
    /// A module specifier could not be resolved (the resolver's reason is kept).
    #[error("cannot resolve {specifier:?} imported by {referrer}: {reason}")]
    ModuleResolution {
        /// The import specifier as written.
        specifier: String,
        /// The importing module's filename.
        referrer: String,
        /// Why the resolver refused it.
        reason: String,
    },
    /// A module call in the wrong state (evaluated twice, namespace before instantiation…).
    #[error("module {0}")]
    ModuleState(String),
    /// A `reference`, `externalCopy` or `promise` transfer into a context that was not created
    /// as trusted: those give JavaScript a way to reach the host.
    #[error("a {0} transfer is only allowed into a trusted context")]
    UntrustedContext(&'static str),
    /// The isolate's home thread is gone (a bug, or the process is shutting down).
    #[error("isolate home thread is gone")]
    HomeThreadGone,
}

impl Error {
    /// The outcome name this error corresponds to, when it is one of the run outcomes.
    pub fn outcome_kind(&self) -> Option<OutcomeKind> {
        Some(match self {
            Error::Disposed => OutcomeKind::Disposed,
            Error::Exception(_) => OutcomeKind::Exception,
            Error::Syntax(_) => OutcomeKind::Syntax,
            Error::CpuLimit => OutcomeKind::CpuLimit,
            Error::WallLimit => OutcomeKind::WallLimit,
            Error::MemoryLimit => OutcomeKind::MemoryLimit,
            Error::NotTransferable(_) => OutcomeKind::NotTransferable,
            _ => return None,
        })
    }
}

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

// Here rather than in `outcome.rs`: outcomes know nothing of errors, errors build on outcomes.
impl<T> RunOutcome<T> {
    /// Converts into a `Result`, turning every non-`Ok` outcome into the matching [`Error`].
    ///
    /// # Errors
    /// The [`Error`] variant named like the outcome.
    pub fn into_result(self) -> Result<T, Error> {
        match self {
            RunOutcome::Ok(v) => Ok(v),
            RunOutcome::Exception(e) => Err(Error::Exception(e)),
            RunOutcome::Syntax(e) => Err(Error::Syntax(e)),
            RunOutcome::CpuLimit => Err(Error::CpuLimit),
            RunOutcome::WallLimit => Err(Error::WallLimit),
            RunOutcome::MemoryLimit => Err(Error::MemoryLimit),
            RunOutcome::NotTransferable(e) => Err(Error::NotTransferable(e)),
            RunOutcome::Disposed => Err(Error::Disposed),
        }
    }
}
