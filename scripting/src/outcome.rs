use std::time::Duration;

use serde::{Deserialize, Serialize};

/// A thrown JavaScript value, converted on the host without running any of its code
/// (no getters, no `toString`, no `Error.prepareStackTrace`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsError {
    /// `name` of the thrown error (`TypeError`, …), or empty for non-error throws.
    pub name: String,
    /// `message` of the thrown error, or the primitive that was thrown.
    pub message: String,
    /// Stack text built from V8's captured frames.
    pub stack: String,
}

impl JsError {
    pub(crate) fn host(name: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        JsError {
            name: name.to_string(),
            stack: format!("{name}: {message}"),
            message,
        }
    }
}

/// The closed set of outcome names, serialized exactly as the CLI, engine and replays use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    Ok,
    Exception,
    Syntax,
    CpuLimit,
    WallLimit,
    MemoryLimit,
    NotTransferable,
    Disposed,
    /// The process hosting the isolate died (a V8 fatal error, a CPU overrun in code V8 cannot
    /// interrupt). Never produced by this crate: hosts that run isolates in child processes
    /// report it.
    Crashed,
}

impl OutcomeKind {
    /// The serialized name (`"cpu_limit"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Ok => "ok",
            OutcomeKind::Exception => "exception",
            OutcomeKind::Syntax => "syntax",
            OutcomeKind::CpuLimit => "cpu_limit",
            OutcomeKind::WallLimit => "wall_limit",
            OutcomeKind::MemoryLimit => "memory_limit",
            OutcomeKind::NotTransferable => "not_transferable",
            OutcomeKind::Disposed => "disposed",
            OutcomeKind::Crashed => "crashed",
        }
    }
}

/// What running untrusted code came to. Data, not strings.
#[derive(Debug, Clone, PartialEq)]
pub enum RunOutcome<T> {
    Ok(T),
    Exception(JsError),
    Syntax(JsError),
    CpuLimit,
    WallLimit,
    MemoryLimit,
    NotTransferable(JsError),
    Disposed,
}

impl<T> RunOutcome<T> {
    /// The outcome's name.
    pub fn kind(&self) -> OutcomeKind {
        match self {
            RunOutcome::Ok(_) => OutcomeKind::Ok,
            RunOutcome::Exception(_) => OutcomeKind::Exception,
            RunOutcome::Syntax(_) => OutcomeKind::Syntax,
            RunOutcome::CpuLimit => OutcomeKind::CpuLimit,
            RunOutcome::WallLimit => OutcomeKind::WallLimit,
            RunOutcome::MemoryLimit => OutcomeKind::MemoryLimit,
            RunOutcome::NotTransferable(_) => OutcomeKind::NotTransferable,
            RunOutcome::Disposed => OutcomeKind::Disposed,
        }
    }

    /// The error carried by exception-like outcomes.
    pub fn error(&self) -> Option<&JsError> {
        match self {
            RunOutcome::Exception(e) | RunOutcome::Syntax(e) | RunOutcome::NotTransferable(e) => {
                Some(e)
            }
            _ => None,
        }
    }

    /// Maps the `Ok` payload.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> RunOutcome<U> {
        match self {
            RunOutcome::Ok(v) => RunOutcome::Ok(f(v)),
            RunOutcome::Exception(e) => RunOutcome::Exception(e),
            RunOutcome::Syntax(e) => RunOutcome::Syntax(e),
            RunOutcome::CpuLimit => RunOutcome::CpuLimit,
            RunOutcome::WallLimit => RunOutcome::WallLimit,
            RunOutcome::MemoryLimit => RunOutcome::MemoryLimit,
            RunOutcome::NotTransferable(e) => RunOutcome::NotTransferable(e),
            RunOutcome::Disposed => RunOutcome::Disposed,
        }
    }
}

/// An outcome plus what the call cost.
#[derive(Debug, Clone)]
pub struct Run<T> {
    /// What happened.
    pub outcome: RunOutcome<T>,
    /// CPU time of the isolate's thread during the call (includes microtasks and platform
    /// tasks), within 10 µs: the home thread reads its kernel CPU clock at most every 10 µs of
    /// wall time and extrapolates in between (a thread cannot use CPU faster than wall time).
    pub cpu_time: Duration,
    /// Wall-clock time of the call on the isolate's thread (excludes queueing).
    pub wall_time: Duration,
    /// V8 heap bytes in use after the call, when `RunOptions::heap_statistics` asked for it
    /// (0 otherwise, and when the isolate was disposed).
    pub heap_used_bytes: usize,
}
