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
//! Layers, each using only the ones above it (no module imports one below it):
//! 1. Leaves: `outcome`, `error`, `js_error` (thrown values to [`JsError`] without running
//!    their code), `platform` (process-wide V8 init, once), `thread_cpu_clock`, `v8_locker`
//!    (the shim's `v8::Locker`, parked per thread), `watchdog`
//!    (CPU and wall deadlines), `reply_slot`, `inspector_channel` (the host ends of an
//!    inspector).
//! 2. Core: `isolate_state` (the isolate's state, the limited call, isolate slots and
//!    teardowns for features), `isolate_cell` (where the state lives: queued work for the home
//!    thread, or a blocking caller inside), `home_thread` (the threads isolates are created on),
//!    `isolate` (the host handle, running work here or at home). The core names no feature.
//! 3. Values and plumbing: `external_copy` (structured clones), `call` ([`RunOptions`] and
//!    running code in a context), `array_buffer_budget` and `wasm_memory_guard` (bytes
//!    outside the heap counted against the memory limit), `callback`.
//! 4. The isolated-vm surface: `transfer` ([`Transferable`] and [`Reference`]; host-reaching
//!    kinds only into trusted contexts), `context`, `script`, `module`, `snapshot`,
//!    `call_batch` (many calls waited for together), `inspector` (the DevTools inspector on
//!    the home thread, limits still armed), `inspector_session`, `cpu_profile`.
//! 5. `create_isolate`: [`Isolate::new`], which installs every feature's per-isolate state.
//!
//! Each feature adds its methods to [`Isolate`] in its own module (`Isolate::create_context`
//! in `context.rs`, `Isolate::compile_script` in `script.rs`, …).
//!
//! # Threading
//! Every handle is `Send + Sync`. A blocking call runs on the calling thread itself, under the
//! isolate's `v8::Locker`, when nothing is queued for the isolate before it and the thread has
//! the stack for it; otherwise it parks the calling thread until the isolate's home thread has
//! done the work. Never make blocking calls from a tokio worker (use the `_async` variants,
//! which always run at home). A blocking call into an isolate the calling thread is already
//! running (from a sync callback), or from a home thread into an isolate on that home thread,
//! returns [`Error::WouldDeadlock`]. V8's background GC and compiler threads are not charged to
//! any isolate's CPU time; everything that runs on the calling thread during a call (JavaScript,
//! microtasks, platform tasks such as FinalizationRegistry callbacks, sync host callbacks) is.

mod array_buffer_budget;
mod call;
mod call_batch;
mod callback;
mod context;
mod cpu_profile;
mod create_isolate;
mod error;
mod external_copy;
mod home_thread;
mod inspector;
mod inspector_channel;
mod inspector_session;
mod isolate;
mod isolate_cell;
mod isolate_state;
mod js_error;
mod module;
mod outcome;
mod platform;
mod reply_slot;
mod script;
mod shared_source;
mod snapshot;
mod thread_cpu_clock;
mod transfer;
mod v8_locker;
mod wasm_memory_guard;
mod watchdog;

pub use call::RunOptions;
pub use call_batch::CallBatch;
pub use callback::{Callback, CallbackResult};
pub use context::{Context, ContextOptions};
pub use cpu_profile::{CallFrame, CpuProfile, CpuProfileNode};
pub use create_isolate::{IsolateOptions, MIN_MEMORY_LIMIT_MB};
pub use error::{Error, Result};
pub use external_copy::ExternalCopy;
pub use home_thread::set_home_thread_count;
pub use inspector_channel::{InspectorTrust, MAX_INSPECTOR_MESSAGE, MAX_PENDING_OUTGOING};
pub use inspector_session::InspectorSession;
pub use isolate::{HeapStatistics, Isolate};
pub use isolate_state::{call_cpu_time, terminate_current_call};
pub use module::{Module, ModuleOptions};
pub use outcome::{JsError, OutcomeKind, Run, RunOutcome};
pub use platform::{init, WASM_MAX_MEMORY_PAGES};
pub use script::{Script, ScriptOptions};
pub use shared_source::SharedSource;
pub use snapshot::{Snapshot, SnapshotOptions};
pub use transfer::{PendingValue, Reference, Transferable};
pub use watchdog::set_overrun_handler;
