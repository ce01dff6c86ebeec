//! isolated-vm in Rust: V8 isolates with limits that hold.
//!
//! This crate is the security boundary and hot path for untrusted JavaScript: an [`Isolate`]
//! with a memory limit, [`Context`]s inside it, [`Script`]s, [`ExternalCopy`] values that cross
//! between isolates and the host by structured clone, [`Callback`]s (host functions JavaScript
//! may call) and [`Reference`]s (host-held handles). Every call runs under a CPU-time limit (the
//! isolate thread's CPU clock), a wall-clock limit and the memory limit, and ends in a
//! [`RunOutcome`]. It knows nothing about games.
//!
//! It is not a JavaScript runtime: no timers, no I/O, no `process`, and no module loader of
//! its own: [`Module::instantiate`] asks the host to resolve every specifier.
//!
//! # Layout
//! - `platform`: process-wide V8 init (ICU data, flags), once.
//! - `home_thread`: the threads isolates live on; work is sent to them.
//! - `watchdog`, `thread_cpu_clock`: CPU and wall deadlines.
//! - `array_buffer_budget`: ArrayBuffer bytes counted against the memory limit.
//! - `isolate`, `isolate_state`: the host handle and the home-thread state + limited calls.
//! - `transfer`: [`Transferable`], isolated-vm's TransferOptions; host-reaching kinds only into
//!   trusted contexts.
//! - `context`, `script`, `module`, `snapshot`, `reference`, `callback`, `external_copy`: the isolated-vm surface.
//! - `call_batch`: many calls queued at once and waited for together (one wake-up per batch).
//! - `inspector`: DevTools (CDP) sessions and CPU profiles, limits still armed.
//! - `js_error`: thrown values to [`JsError`] without running their code.
//!
//! # Threading
//! Every handle is `Send + Sync`. Blocking calls park the calling thread until the isolate's
//! home thread has done the work; never make them from a tokio worker (use the `_async`
//! variants). A blocking call from a home thread into another isolate on the same home thread
//! returns [`Error::WouldDeadlock`]. V8's background GC and compiler threads are not charged to
//! any isolate's CPU time; everything that runs on the home thread during a call (JavaScript,
//! microtasks, platform tasks such as FinalizationRegistry callbacks, sync host callbacks) is.

mod array_buffer_budget;
mod call_batch;
mod callback;
mod context;
mod error;
mod external_copy;
mod home_thread;
mod inspector;
mod isolate;
mod isolate_state;
mod js_error;
mod module;
mod outcome;
mod platform;
mod reference;
mod reply_slot;
mod script;
mod snapshot;
mod thread_cpu_clock;
mod transfer;
mod wasm_memory_guard;
mod watchdog;

pub use call_batch::CallBatch;
pub use callback::{Callback, CallbackResult};
pub use context::{Context, ContextOptions, RunOptions};
pub use error::{Error, Result};
pub use external_copy::ExternalCopy;
pub use home_thread::set_home_thread_count;
pub use inspector::{
    CallFrame, CpuProfile, CpuProfileNode, InspectorSession, InspectorTrust, MAX_INSPECTOR_MESSAGE,
    MAX_PENDING_OUTGOING,
};
pub use isolate::{HeapStatistics, Isolate, IsolateOptions, MIN_MEMORY_LIMIT_MB};
pub use isolate_state::call_cpu_time;
pub use module::{Module, ModuleOptions};
pub use outcome::{JsError, OutcomeKind, Run, RunOutcome};
pub use platform::{init, WASM_MAX_MEMORY_PAGES};
pub use reference::Reference;
pub use script::{Script, ScriptOptions};
pub use snapshot::{Snapshot, SnapshotOptions};
pub use transfer::{PendingValue, Transferable};
