//! [`Isolate::new`]: a V8 isolate created on its home thread, with the limits armed and each
//! feature's per-isolate state installed. The one module that knows every feature by name.

use std::ffi::c_void;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::array_buffer_budget;
use crate::error::{Error, Result};
use crate::home_thread::{self, HomeThread};
use crate::inspector_channel::{Inbound, InspectorLink};
use crate::isolate::{Isolate, IsolateInner};
use crate::isolate_cell::IsolateCell;
use crate::isolate_state::{IsolateShared, IsolateState, Limits};
use crate::platform;

/// Smallest memory limit accepted, in MiB.
pub const MIN_MEMORY_LIMIT_MB: usize = 8;

/// How an isolate is created.
#[derive(Debug, Clone)]
pub struct IsolateOptions {
    /// V8 heap plus ArrayBuffer bytes, in MiB (default 128, at least 8).
    pub memory_limit_mb: usize,
    /// Give the isolate an OS thread of its own instead of a shared home thread (for isolates
    /// that may block for long, e.g. under a debugger).
    pub dedicated_thread: bool,
    /// CPU limit for work that carries no limit of its own: copies, property access, async
    /// callback settlement, calls with `cpu_limit: None`.
    pub default_cpu_limit: Duration,
    /// Wall limit for the same work; `None` means twice the CPU limit.
    pub default_wall_limit: Option<Duration>,
    /// Allow compiling WebAssembly modules. Off by default: memories declared inside a module
    /// are not charged to the memory limit (each is still capped at
    /// [`crate::WASM_MAX_MEMORY_PAGES`]). `WebAssembly.Memory` objects are always charged.
    pub allow_wasm_modules: bool,
    /// Start from this snapshot: every context begins with the state its setup scripts left.
    pub snapshot: Option<crate::Snapshot>,
    /// Allow DevTools sessions ([`Isolate::inspector_session`]). Off by default. A breakpoint
    /// holds the home thread until the call's wall limit: combine with `dedicated_thread`
    /// so a paused isolate stalls no other isolate.
    pub inspector: bool,
}

impl Default for IsolateOptions {
    fn default() -> Self {
        IsolateOptions {
            memory_limit_mb: 128,
            dedicated_thread: false,
            default_cpu_limit: Duration::from_secs(1),
            default_wall_limit: None,
            allow_wasm_modules: false,
            snapshot: None,
            inspector: false,
        }
    }
}

static NEXT_ISOLATE_ID: AtomicU64 = AtomicU64::new(1);

/// Most the heap limit is raised to, past the isolate's own limit, while a call that hit it
/// unwinds: `raised_heap_limit`.
const RAISE_HEADROOM: usize = 64 << 20;

/// The heap limit V8 gets back from the near-heap-limit callback. JavaScript reaches the
/// termination point within a little headroom; a builtin V8 cannot interrupt
/// (`new Array(1e8).fill(0)`, a huge `JSON.parse`) keeps allocating whatever it is given, so the
/// raise stops at twice the initial limit plus [`RAISE_HEADROOM`]. Past that V8 fails with a
/// fatal out-of-memory error: contained in a runner process (its supervisor charges the
/// player), an abort in thread mode, which is for trusted code only. Unbounded, the same line
/// reached 30× the limit.
pub(crate) fn raised_heap_limit(current: usize, initial: usize) -> usize {
    let cap = initial.saturating_mul(2).saturating_add(RAISE_HEADROOM);
    current
        .saturating_add(current.max(32 << 20))
        .min(cap)
        .max(current)
}

extern "C" fn near_heap_limit(data: *mut c_void, current: usize, initial: usize) -> usize {
    // SAFETY: `data` is the IsolateShared pointer registered in `create_on_home`; the Arc it
    // came from is owned by the IsolateState, which outlives the isolate.
    let shared = unsafe { &*(data as *const IsolateShared) };
    shared.hit_memory_limit();
    // Give V8 room to unwind to the termination point instead of aborting, within a bound.
    raised_heap_limit(current, initial)
}

extern "C" fn oom_error(location: *const std::ffi::c_char, details: &v8::OomDetails) {
    // V8 aborts the process after this returns; leave a trace for the supervisor.
    let location = if location.is_null() {
        String::new()
    } else {
        // SAFETY: V8 passes a NUL-terminated C string.
        unsafe { std::ffi::CStr::from_ptr(location) }
            .to_string_lossy()
            .into_owned()
    };
    tracing::error!(%location, heap = details.is_heap_oom, "V8 fatal out-of-memory");
}

impl Isolate {
    /// Creates an isolate on a home thread.
    ///
    /// # Errors
    /// [`Error::InvalidOptions`] for a memory limit under 8 MiB.
    pub fn new(options: IsolateOptions) -> Result<Isolate> {
        if options.memory_limit_mb < MIN_MEMORY_LIMIT_MB {
            return Err(Error::InvalidOptions(format!(
                "memory_limit_mb must be at least {MIN_MEMORY_LIMIT_MB}, got {}",
                options.memory_limit_mb
            )));
        }
        platform::init();
        let id = NEXT_ISOLATE_ID.fetch_add(1, Ordering::Relaxed);
        let shared = Arc::new(IsolateShared::new(id, options.memory_limit_mb << 20));
        let home = if options.dedicated_thread {
            home_thread::dedicated()
        } else {
            home_thread::assign()
        };
        if home_thread::current_index() == Some(home.index) {
            // Creating on our own thread would deadlock waiting for ourselves.
            home.release();
            return Err(Error::WouldDeadlock);
        }
        let (tx, rx) = crossbeam_channel::bounded(1);
        let job_shared = shared.clone();
        let inspector_enabled = options.inspector;
        let (inspector, inbox) = InspectorLink::new(inspector_enabled);
        let defaults = Limits {
            cpu: options.default_cpu_limit,
            wall: options
                .default_wall_limit
                .unwrap_or(options.default_cpu_limit * 2),
            measure_heap: false,
        };
        let sent = home.send(Box::new(move |home: &mut HomeThread| {
            let created = create_on_home(home, job_shared, &options, inbox);
            let _ = tx.send(created);
        }));
        if !sent {
            return Err(Error::HomeThreadGone);
        }
        let (terminator, cell) = rx.recv().map_err(|_| Error::HomeThreadGone)?;
        let isolate = Isolate {
            inner: Arc::new(IsolateInner {
                id,
                home,
                cell,
                shared,
                terminator,
                defaults,
                inspector,
            }),
        };
        if inspector_enabled {
            isolate.exec(|state| {
                crate::inspector::create(state);
                Ok(())
            })?;
        }
        Ok(isolate)
    }
}

fn create_on_home(
    home: &mut HomeThread,
    shared: Arc<IsolateShared>,
    options: &IsolateOptions,
    inspector_inbox: crossbeam_channel::Receiver<Inbound>,
) -> (v8::IsolateHandle, Arc<IsolateCell>) {
    let limit = shared.memory_limit_bytes;
    let params = v8::CreateParams::default()
        .heap_limits(0, limit)
        .array_buffer_allocator(array_buffer_budget::new_allocator(shared.clone()))
        // Atomics.wait would block the home thread (and every isolate on it) outside JS.
        .allow_atomics_wait(false);
    let params = match &options.snapshot {
        Some(snapshot) => params.snapshot_blob(snapshot.blob()),
        None => params,
    };
    let mut isolate = v8::Isolate::new(params);
    isolate.set_microtasks_policy(v8::MicrotasksPolicy::Explicit);
    isolate.set_capture_stack_trace_for_uncaught_exceptions(true, 16);
    isolate.add_near_heap_limit_callback(near_heap_limit, Arc::as_ptr(&shared) as *mut c_void);
    isolate.set_oom_error_handler(oom_error);
    if !options.allow_wasm_modules {
        isolate.set_allow_wasm_code_generation_callback(
            crate::wasm_memory_guard::deny_wasm_code_generation,
        );
    }
    let terminator = isolate.thread_safe_handle();
    let _ = shared.terminator.set(terminator.clone());
    let cpu = options.default_cpu_limit;
    let defaults = Limits {
        cpu,
        wall: options.default_wall_limit.unwrap_or(cpu * 2),
        measure_heap: false,
    };
    let mut state = IsolateState::new(isolate, shared.clone(), home.cpu_clock, defaults);
    // Teardowns run in this order: inspector sessions first, while everything they may
    // look at is still there.
    crate::inspector::install(&mut state, inspector_inbox);
    crate::module::install(&mut state);
    state.on_dispose(crate::callback::teardown);
    state.on_dispose(crate::transfer::teardown);
    // Isolates on a thread of their own may block it for long (an inspector pause): their
    // calls stay there.
    let cell = IsolateCell::new(state, !options.dedicated_thread);
    (terminator, cell)
}

#[cfg(test)]
mod tests {
    use super::raised_heap_limit;

    #[test]
    fn the_heap_limit_raise_is_bounded_however_often_v8_asks() {
        let initial = 256 << 20;
        let mut limit = initial;
        for _ in 0..50 {
            limit = raised_heap_limit(limit, initial);
        }
        assert_eq!(limit, 2 * initial + (64 << 20));
        // The first raise still gives a small isolate room to unwind.
        let small = 16 << 20;
        assert_eq!(raised_heap_limit(small, small), small + (32 << 20));
        // Never lowered.
        assert_eq!(raised_heap_limit(1 << 40, small), 1 << 40);
    }
}
