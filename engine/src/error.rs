/// Errors of the shard engine and its CLI.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// Bad command-line input: missing files, invalid flags.
    #[error("{0}")]
    Usage(String),
    /// A setting fixed when the shard was created was given a different value.
    #[error(
        "this shard's {setting} is {stored}, fixed when it was created; {given} was given. \
         Leave the setting out, or start a new shard in another data directory"
    )]
    FixedSetting {
        setting: &'static str,
        stored: String,
        given: String,
    },
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
    /// Stored data cannot be read in full: the shard refuses to start on it and changes nothing.
    #[error(
        "storage in {} is damaged: {problem}. Nothing was changed. `isoshard fsck {}` lists \
         what is readable, `isoshard fsck --repair {}` rolls back to the newest intact tick, \
         or restore the directory from a backup",
        dir.display(), dir.display(), dir.display()
    )]
    Damaged {
        dir: std::path::PathBuf,
        problem: String,
    },
    /// Tick `tick` ran but its commit failed and is being retried: nothing outside a tick
    /// is written until it lands. Transient: the same request later succeeds.
    #[error("storage is failing: tick {tick} is not committed yet and is being retried; try again shortly")]
    CommitPending { tick: u64 },
    /// The data directory's filesystem is too full for the next write; nothing was written.
    /// Transient: a commit is retried until space is freed.
    #[error(
        "disk full: {} has {available} bytes free, the write needs {needed} (including a reserve); \
         free space on that filesystem and the shard resumes by itself",
        dir.display()
    )]
    DiskFull {
        dir: std::path::PathBuf,
        available: u64,
        needed: u64,
    },
    /// The shard stored in Redis cannot be read in full: the shard refuses to start on it.
    #[error(
        "the shard in Redis at {store} is damaged: {problem}. Nothing was changed; restore \
         it from a backup (`isoshard storage copy`)"
    )]
    RedisDamaged { store: String, problem: String },
    /// Redis failed or refused a command. Transient for a tick commit, which is retried.
    #[error("redis at {store}: {message}")]
    Redis { store: String, message: String },
    /// Another coordinator holds this shard's lease: started without `--standby`.
    #[error(
        "another coordinator holds the shard in {store} ({holder}, lease ends in {ends_in_ms} \
         ms); start with --standby to take over when it stops"
    )]
    LeaseHeld {
        store: String,
        holder: String,
        ends_in_ms: u64,
    },
    /// A newer coordinator took the shard over (its fencing token is higher): this one
    /// commits nothing more and stops, so no tick is ever committed twice.
    #[error(
        "fenced out: coordinator token {ours} of {store} was replaced by {current}; this \
         process stops and commits nothing more"
    )]
    FencedOut {
        store: String,
        ours: u64,
        current: String,
    },
    /// A recording could not be written or read.
    #[error("recording: {0}")]
    Replay(#[from] isoshard_replays::ReplayError),
    /// The operating system refused something (a thread, a temporary directory, a socket).
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// A runner process sent a frame this build does not understand, or the pipe broke.
    #[error("runner protocol: {0}")]
    Protocol(String),
    /// A thread the engine owns panicked.
    #[error("the {0} thread panicked")]
    ThreadPanicked(&'static str),
    /// An unknown player.
    #[error("unknown player {0}")]
    UnknownPlayer(String),
}

impl From<sled::Error> for EngineError {
    fn from(e: sled::Error) -> Self {
        EngineError::Storage(e.to_string())
    }
}

impl EngineError {
    /// An [`EngineError::Io`] saying what was being done.
    pub fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> EngineError {
        let what = what.into();
        move |source| EngineError::Io { what, source }
    }
}

/// Result alias for the engine.
pub type Result<T, E = EngineError> = std::result::Result<T, E>;
