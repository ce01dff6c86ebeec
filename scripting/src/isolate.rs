//! `Isolate`: the host's handle to one V8 isolate living on its home thread.

use std::ffi::c_void;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::array_buffer_budget;
use crate::context::{Context, ContextOptions};
use crate::error::{Error, Result};
use crate::home_thread::{self, HomeThread, HomeThreadHandle};
use crate::isolate_state::{IsolateShared, IsolateState, Limits};
use crate::platform;
use crate::reply_slot::ReplySlot;
use crate::script::{Script, ScriptOptions};

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

/// V8 heap statistics plus bytes allocated outside the heap for ArrayBuffers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HeapStatistics {
    pub total_heap_size: usize,
    pub total_heap_size_executable: usize,
    pub total_physical_size: usize,
    pub total_available_size: usize,
    pub used_heap_size: usize,
    pub heap_size_limit: usize,
    pub malloced_memory: usize,
    pub peak_malloced_memory: usize,
    pub external_memory: usize,
    /// ArrayBuffer bytes charged to the isolate by the limiting allocator.
    pub externally_allocated_size: usize,
}

pub(crate) struct IsolateInner {
    pub(crate) id: u64,
    pub(crate) home: HomeThreadHandle,
    pub(crate) shared: Arc<IsolateShared>,
    pub(crate) terminator: v8::IsolateHandle,
    pub(crate) inspector_enabled: bool,
    /// The limits of work without limits of its own (as on the home thread).
    pub(crate) defaults: Limits,
    pub(crate) inspector_inbox: crossbeam_channel::Sender<crate::inspector::Inbound>,
    pub(crate) profilers: crate::inspector::Profilers,
}

impl Drop for IsolateInner {
    fn drop(&mut self) {
        let id = self.id;
        self.home.send(Box::new(move |home: &mut HomeThread| {
            home.isolates.remove(&id);
        }));
        self.home.release();
    }
}

/// A handle to an isolate. Cheap to clone, `Send + Sync`; the isolate is disposed when
/// [`Isolate::dispose`] is called or the last handle (including contexts, scripts and
/// references) is dropped.
#[derive(Clone)]
pub struct Isolate {
    pub(crate) inner: Arc<IsolateInner>,
}

impl std::fmt::Debug for Isolate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Isolate")
            .field("id", &self.inner.id)
            .finish()
    }
}

static NEXT_ISOLATE_ID: AtomicU64 = AtomicU64::new(1);

extern "C" fn near_heap_limit(data: *mut c_void, current: usize, _initial: usize) -> usize {
    // SAFETY: `data` is the IsolateShared pointer registered in `create_on_home`; the Arc it
    // came from is owned by the IsolateState, which outlives the isolate.
    let shared = unsafe { &*(data as *const IsolateShared) };
    shared.hit_memory_limit();
    // Give V8 room to unwind to the termination point instead of aborting.
    current + current.max(32 << 20)
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
        let defaults = Limits {
            cpu: options.default_cpu_limit,
            wall: options
                .default_wall_limit
                .unwrap_or(options.default_cpu_limit * 2),
            measure_heap: false,
        };
        let (inbox_tx, inbox_rx) = crossbeam_channel::unbounded();
        let sent = home.send(Box::new(move |home: &mut HomeThread| {
            let handle = create_on_home(home, job_shared, &options, inbox_rx);
            let _ = tx.send(handle);
        }));
        if !sent {
            return Err(Error::HomeThreadGone);
        }
        let terminator = rx.recv().map_err(|_| Error::HomeThreadGone)?;
        let isolate = Isolate {
            inner: Arc::new(IsolateInner {
                id,
                home,
                shared,
                terminator,
                inspector_enabled,
                defaults,
                inspector_inbox: inbox_tx,
                profilers: crate::inspector::Profilers::default(),
            }),
        };
        if inspector_enabled {
            // Before any context or script exists: V8 only shows a debugger the scripts
            // compiled after their context was announced to the inspector.
            isolate.exec(|state| {
                state.ensure_inspector();
                Ok(())
            })?;
        }
        Ok(isolate)
    }

    /// Process-unique id.
    pub fn id(&self) -> u64 {
        self.inner.id
    }

    /// Disposes the isolate now; every handle into it becomes `disposed`.
    pub fn dispose(&self) {
        self.inner.shared.disposed.store(true, Ordering::Release);
        // A running call ends with `disposed` rather than finishing first.
        self.inner.terminator.terminate_execution();
        let id = self.inner.id;
        self.inner.home.send(Box::new(move |home: &mut HomeThread| {
            home.isolates.remove(&id);
        }));
    }

    /// Whether the isolate was disposed (explicitly or by its memory limit).
    pub fn is_disposed(&self) -> bool {
        self.inner.shared.disposed.load(Ordering::Acquire)
            || self.inner.shared.memory_limit_hit.load(Ordering::Acquire)
    }

    /// Whether the isolate hit its memory limit.
    pub fn memory_limit_hit(&self) -> bool {
        self.inner.shared.memory_limit_hit.load(Ordering::Acquire)
    }

    /// Total CPU time spent in this isolate's calls; never goes backwards, includes the call in
    /// progress.
    pub fn cpu_time(&self) -> Duration {
        Duration::from_nanos(self.inner.shared.cpu_time_ns())
    }

    /// Total wall-clock time of finished calls.
    pub fn wall_time(&self) -> Duration {
        Duration::from_nanos(self.inner.shared.wall_ns.load(Ordering::Relaxed))
    }

    /// Live [`crate::Reference`] handles into this isolate.
    pub fn reference_count(&self) -> usize {
        self.inner.shared.references.load(Ordering::Relaxed)
    }

    /// Interrupts whatever is running; that call ends as `disposed` if the isolate is being
    /// disposed, otherwise as `wall_limit`-free termination reported `disposed`.
    pub fn terminate(&self) {
        self.inner.terminator.terminate_execution();
    }

    /// Heap statistics, read on the home thread.
    ///
    /// # Errors
    /// [`Error::Disposed`] after disposal.
    pub fn heap_statistics(&self) -> Result<HeapStatistics> {
        self.exec(heap_statistics_of)
    }

    /// Async [`Isolate::heap_statistics`].
    ///
    /// # Errors
    /// As for the blocking variant.
    pub async fn heap_statistics_async(&self) -> Result<HeapStatistics> {
        self.exec_async(heap_statistics_of).await
    }

    /// Asks V8 for a full, memory-reducing garbage collection.
    ///
    /// # Errors
    /// [`Error::Disposed`] after disposal.
    pub fn collect_garbage(&self) -> Result<()> {
        self.exec(|state| {
            state.isolate().low_memory_notification();
            Ok(())
        })
    }

    /// Creates a new context (a fresh global object).
    ///
    /// # Errors
    /// [`Error::Disposed`] after disposal.
    pub fn create_context(&self) -> Result<Context> {
        self.create_context_with(ContextOptions::default())
    }

    /// Creates a context with `options` (e.g. a trusted one for host code).
    ///
    /// # Errors
    /// [`Error::Disposed`] after disposal.
    pub fn create_context_with(&self, options: ContextOptions) -> Result<Context> {
        let this = self.clone();
        self.exec(move |state| Context::create_on_home(this, state, options))
    }

    /// Async [`Isolate::create_context`].
    ///
    /// # Errors
    /// As for the blocking variant.
    pub async fn create_context_async(&self) -> Result<Context> {
        let this = self.clone();
        self.exec_async(move |state| {
            Context::create_on_home(this, state, ContextOptions::default())
        })
        .await
    }

    /// Compiles a script (context-independent), optionally producing or consuming code cache.
    ///
    /// # Errors
    /// [`Error::Syntax`] when it does not parse; limit errors while compiling.
    pub fn compile_script(&self, code: &str, options: ScriptOptions) -> Result<Script> {
        let this = self.clone();
        let code = code.to_string();
        self.exec(move |state| Script::compile_on_home(this, state, &code, options))
    }

    /// Async [`Isolate::compile_script`].
    ///
    /// # Errors
    /// As for the blocking variant.
    pub async fn compile_script_async(&self, code: &str, options: ScriptOptions) -> Result<Script> {
        let this = self.clone();
        let code = code.to_string();
        self.exec_async(move |state| Script::compile_on_home(this, state, &code, options))
            .await
    }

    pub(crate) fn job<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut IsolateState) -> Result<R> + Send + 'static,
        reply: impl FnOnce(Result<R>) + Send + 'static,
    ) -> bool {
        queue_job(&self.inner.home, self.inner.id, f, reply)
    }

    /// Runs `f` on the home thread and waits for it.
    pub(crate) fn exec<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut IsolateState) -> Result<R> + Send + 'static,
    ) -> Result<R> {
        if home_thread::current_index() == Some(self.inner.home.index) {
            return Err(Error::WouldDeadlock);
        }
        let slot = ReplySlot::new();
        // SAFETY: `slot` stays in place until `wait` below has seen it filled; if queueing
        // fails the job, and the handle in it, were dropped here already.
        let handle = unsafe { slot.handle() };
        if !self.job(f, move |r| handle.fill(r)) {
            return Err(Error::HomeThreadGone);
        }
        slot.wait(home_thread::HOT_SPIN)
    }

    /// Runs `f` on the home thread; the future completes when it has.
    pub(crate) async fn exec_async<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut IsolateState) -> Result<R> + Send + 'static,
    ) -> Result<R> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        if !self.job(f, move |r| {
            let _ = tx.send(r);
        }) {
            return Err(Error::HomeThreadGone);
        }
        rx.await.map_err(|_| Error::HomeThreadGone)?
    }

    /// Queues `f` without waiting; jobs for one isolate run in the order queued.
    pub(crate) fn exec_ignored<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut IsolateState) -> Result<R> + Send + 'static,
    ) {
        self.job(f, |_| {});
    }

    pub(crate) fn same_isolate(&self, other: &Isolate) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

/// Queues `f` for isolate `id` on `home`, entered; `reply` gets its result (or `Disposed`).
pub(crate) fn queue_job<R: Send + 'static>(
    home: &HomeThreadHandle,
    id: u64,
    f: impl FnOnce(&mut IsolateState) -> Result<R> + Send + 'static,
    reply: impl FnOnce(Result<R>) + Send + 'static,
) -> bool {
    home.send(Box::new(move |home: &mut HomeThread| {
        let result = match home.isolates.get_mut(&id) {
            None => Err(Error::Disposed),
            Some(state) if state.shared.disposed.load(Ordering::Acquire) => Err(Error::Disposed),
            Some(state) => {
                state.enter();
                let r = f(state);
                state.exit();
                r
            }
        };
        if home
            .isolates
            .get(&id)
            .is_some_and(|s| s.shared.memory_limit_hit.load(Ordering::Acquire))
        {
            // After a memory-limit hit the heap may be in any state: dispose now.
            home.isolates.remove(&id);
        }
        reply(result);
    }))
}

fn heap_statistics_of(state: &mut IsolateState) -> Result<HeapStatistics> {
    let mut s = v8::HeapStatistics::default();
    state.isolate().get_heap_statistics(&mut s);
    Ok(HeapStatistics {
        total_heap_size: s.total_heap_size(),
        total_heap_size_executable: s.total_heap_size_executable(),
        total_physical_size: s.total_physical_size(),
        total_available_size: s.total_available_size(),
        used_heap_size: s.used_heap_size(),
        heap_size_limit: s.heap_size_limit(),
        malloced_memory: s.malloced_memory(),
        peak_malloced_memory: s.peak_malloced_memory(),
        external_memory: s.external_memory(),
        externally_allocated_size: state.shared.external_bytes.load(Ordering::Relaxed),
    })
}

fn create_on_home(
    home: &mut HomeThread,
    shared: Arc<IsolateShared>,
    options: &IsolateOptions,
    inspector_inbox: crossbeam_channel::Receiver<crate::inspector::Inbound>,
) -> v8::IsolateHandle {
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
    isolate.set_slot(crate::wasm_memory_guard::WasmBudget(shared.clone()));
    isolate.set_slot(crate::module::ImportMetaSlot::default());
    isolate.set_host_initialize_import_meta_object_callback(crate::module::initialize_import_meta);
    let terminator = isolate.thread_safe_handle();
    let _ = shared.terminator.set(terminator.clone());
    let cpu = options.default_cpu_limit;
    let defaults = Limits {
        cpu,
        wall: options.default_wall_limit.unwrap_or(cpu * 2),
        measure_heap: false,
    };
    let state = IsolateState::new(
        isolate,
        shared.clone(),
        home.cpu_clock,
        defaults,
        inspector_inbox,
    );
    home.isolates.insert(shared.id, state);
    terminator
}
