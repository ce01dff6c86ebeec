//! The home-thread side of an isolate: the `OwnedIsolate`, its handle tables, and the limited
//! call wrapper every piece of work goes through.

use rustc_hash::FxHashMap;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;
use std::time::{Duration, Instant};

use crate::js_error;
use crate::outcome::{JsError, Run, RunOutcome};
use crate::platform;
use crate::thread_cpu_clock::ThreadCpuClock;
use crate::v8_locker;
use crate::watchdog::{self, LimitKind};

/// Proof that the current thread entered an isolate under its lock; not Send.
pub(crate) struct Entered(PhantomData<*mut ()>);

/// Data shared between the host handles, the home thread and V8 callbacks.
pub(crate) struct IsolateShared {
    pub(crate) id: u64,
    pub(crate) memory_limit_bytes: usize,
    pub(crate) memory_limit_hit: AtomicBool,
    pub(crate) disposed: AtomicBool,
    pub(crate) terminator: OnceLock<v8::IsolateHandle>,
    /// ArrayBuffer bytes currently allocated through the limiting allocator.
    pub(crate) external_bytes: AtomicUsize,
    pub(crate) cpu: Mutex<CpuAccount>,
    pub(crate) wall_ns: AtomicU64,
    pub(crate) references: AtomicUsize,
    /// Set by the watchdog when the current call passed a deadline; reset when a call starts.
    pub(crate) limit_fired: Arc<AtomicBool>,
    /// The V8 isolate was disposed (threads' parked locks for it are then dropped unused).
    pub(crate) torn_down: Arc<AtomicBool>,
}

/// CPU time charged to an isolate. Reported values never go backwards.
#[derive(Default)]
pub(crate) struct CpuAccount {
    total_ns: u64,
    running: Option<(ThreadCpuClock, u64)>,
    last_reported_ns: u64,
}

impl IsolateShared {
    pub(crate) fn new(id: u64, memory_limit_bytes: usize) -> Self {
        IsolateShared {
            id,
            memory_limit_bytes,
            memory_limit_hit: AtomicBool::new(false),
            disposed: AtomicBool::new(false),
            terminator: OnceLock::new(),
            external_bytes: AtomicUsize::new(0),
            cpu: Mutex::new(CpuAccount::default()),
            wall_ns: AtomicU64::new(0),
            references: AtomicUsize::new(0),
            limit_fired: Arc::new(AtomicBool::new(false)),
            torn_down: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Called from V8 callbacks (near-heap-limit, allocator): terminate, never abort.
    pub(crate) fn hit_memory_limit(&self) {
        if !self.memory_limit_hit.swap(true, Ordering::AcqRel) {
            tracing::warn!(isolate = self.id, "memory limit hit; terminating");
        }
        if let Some(t) = self.terminator.get() {
            t.terminate_execution();
        }
    }

    pub(crate) fn cpu_time_ns(&self) -> u64 {
        let mut acct = self.cpu.lock();
        let running = acct
            .running
            .map(|(clock, start)| clock.now_ns().saturating_sub(start))
            .unwrap_or(0);
        let now = (acct.total_ns + running).max(acct.last_reported_ns);
        acct.last_reported_ns = now;
        now
    }

    fn start_cpu(&self, clock: ThreadCpuClock, start: u64) {
        self.cpu.lock().running = Some((clock, start));
    }

    fn stop_cpu(&self, used: u64) {
        let mut acct = self.cpu.lock();
        acct.running = None;
        acct.total_ns += used;
    }
}

thread_local! {
    /// CPU clock reading (ns) at the start of the limited call running on this thread, if any.
    static CALL_START_CPU: std::cell::Cell<Option<u64>> = const { std::cell::Cell::new(None) };
    /// The isolate of the limited call running on this thread, to end that call from a
    /// callback ([`terminate_current_call`]).
    static CALL_ISOLATE: std::cell::RefCell<Option<v8::IsolateHandle>> =
        const { std::cell::RefCell::new(None) };
}

/// Ends the limited call running on this thread as soon as the callback that asks returns:
/// nothing the script does can catch it, and the call reports `disposed` (what Screeps'
/// `Game.cpu.halt` needs). Returns false outside a limited call.
pub fn terminate_current_call() -> bool {
    CALL_ISOLATE.with(|c| {
        c.borrow()
            .as_ref()
            .map(v8::IsolateHandle::terminate_execution)
            .is_some()
    })
}

/// CPU time the calling thread has spent in the limited call it is running, counted from the
/// call's start (copying its arguments in included): what a callback reports as "CPU used so
/// far" (Screeps' `Game.cpu.getUsed()`). One clock read, against the two of timing the span
/// in JavaScript. `None` outside a limited call (e.g. on a thread that is no home thread).
pub fn call_cpu_time() -> Option<Duration> {
    let start = CALL_START_CPU.with(std::cell::Cell::get)?;
    Some(Duration::from_nanos(
        ThreadCpuClock::own_now_ns().saturating_sub(start),
    ))
}

/// Default limits applied to work that has none of its own (copies, property access).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) cpu: Duration,
    pub(crate) wall: Duration,
    /// Fill in `Run::heap_used_bytes`.
    pub(crate) measure_heap: bool,
}

/// Why a limited call did not produce its value.
pub(crate) enum Interrupted {
    Threw(JsError),
    Syntax(JsError),
    NotTransferable(JsError),
    Terminated,
    Host(crate::Error),
}

impl From<crate::Error> for Interrupted {
    fn from(e: crate::Error) -> Self {
        Interrupted::Host(e)
    }
}

/// Handles the host holds into the isolate, by id.
#[derive(Default)]
pub(crate) struct Tables {
    pub(crate) contexts: FxHashMap<u32, v8::Global<v8::Context>>,
    pub(crate) scripts: FxHashMap<u32, v8::Global<v8::UnboundScript>>,
    pub(crate) modules: FxHashMap<u32, v8::Global<v8::Module>>,
    pub(crate) references: FxHashMap<u32, v8::Global<v8::Value>>,
    pub(crate) functions: FxHashMap<String, v8::Global<v8::Function>>,
    /// Contexts created as trusted (host code): never shown to the inspector, and the only
    /// ones that may hand out references and promises.
    pub(crate) trusted_contexts: std::collections::HashSet<u32>,
    pub(crate) evaluated: EvaluatedScripts,
    next_id: u32,
}

/// Small sources `Context::eval` ran recently in each context, compiled and bound to it.
/// Evaluating the same code again (a host polling a value, a REPL line) runs the script
/// object again instead of compiling and binding: V8's own compilation cache would find the
/// code too, but only after making the source a V8 string and hashing it, and binding makes a
/// new function each time; together most of a short eval's cost.
///
/// A script object whose top level declares `let`, `const` or `class` bindings must not run
/// twice: V8 gives the function its script context on the first run, and a second run
/// crashed the process (the scripting test
/// `evaluating_the_same_code_again_runs_it_again_in_its_own_context` finds it). Such sources
/// are bound anew on every run, like a fresh compile; see [`EvaluatedScripts::may_run_again`].
#[derive(Default)]
pub(crate) struct EvaluatedScripts {
    entries: FxHashMap<u64, EvaluatedScript>,
}

struct EvaluatedScript {
    context: u32,
    filename: Option<String>,
    code: String,
    script: v8::Global<v8::Script>,
    bind_each_run: bool,
}

impl EvaluatedScripts {
    /// Longer sources compile for long enough that the lookup would not matter.
    const MAX_SOURCE_BYTES: usize = 1024;
    const MAX_ENTRIES: usize = 256;

    fn key(context: u32, filename: Option<&str>, code: &str) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        context.hash(&mut h);
        filename.hash(&mut h);
        code.hash(&mut h);
        h.finish()
    }

    /// Whether the same script object may run again: no top-level lexical declaration is
    /// possible without one of these words (a keyword cannot be spelled with escapes, but a
    /// backslash is refused too). Words inside other words or strings only cost a rebind.
    pub(crate) fn may_run_again(code: &str) -> bool {
        !["let", "const", "class", "using", "\\"]
            .iter()
            .any(|word| code.contains(word))
    }

    /// The script to run for this source in this context, if compiled before.
    pub(crate) fn get<'s>(
        &self,
        scope: &mut v8::HandleScope<'s>,
        context: u32,
        filename: Option<&str>,
        code: &str,
    ) -> Option<v8::Local<'s, v8::Script>> {
        let entry = self
            .entries
            .get(&Self::key(context, filename, code))
            .filter(|e| {
                e.context == context && e.code == code && e.filename.as_deref() == filename
            })?;
        let script = v8::Local::new(scope, &entry.script);
        Some(if entry.bind_each_run {
            script
                .get_unbound_script(scope)
                .bind_to_current_context(scope)
        } else {
            script
        })
    }

    /// Keeps `script` for later runs of `code`, if the source is small enough to be worth it.
    pub(crate) fn insert(
        &mut self,
        scope: &mut v8::HandleScope,
        context: u32,
        filename: Option<&str>,
        code: &str,
        script: v8::Local<v8::Script>,
    ) {
        if code.len() > Self::MAX_SOURCE_BYTES {
            return;
        }
        let script = v8::Global::new(scope, script);
        if self.entries.len() >= Self::MAX_ENTRIES {
            self.entries.clear();
        }
        self.entries.insert(
            Self::key(context, filename, code),
            EvaluatedScript {
                context,
                filename: filename.map(str::to_string),
                code: code.to_string(),
                script,
                bind_each_run: !Self::may_run_again(code),
            },
        );
    }

    /// A released context's scripts go with it (they would keep it alive).
    pub(crate) fn forget_context(&mut self, context: u32) {
        self.entries.retain(|_, e| e.context != context);
    }

    fn clear(&mut self) {
        self.entries.clear();
    }
}

impl Tables {
    pub(crate) fn next_id(&mut self) -> u32 {
        self.next_id = self.next_id.wrapping_add(1);
        self.next_id
    }

    pub(crate) fn clear(&mut self) {
        self.contexts.clear();
        self.scripts.clear();
        self.modules.clear();
        self.references.clear();
        self.functions.clear();
        self.trusted_contexts.clear();
        self.evaluated.clear();
    }
}

/// Isolate slot holding the isolate's [`IsolateShared`], for V8 callbacks that only have a
/// scope (the WebAssembly guard, sync-promise callbacks, [`drain_jobs`]).
pub(crate) struct SharedSlot(pub(crate) Arc<IsolateShared>);

/// Work a feature left in the isolate (an isolate slot, an inspector) that must go before
/// the isolate does. Runs on the home thread with the isolate entered, in the order added.
pub(crate) type Teardown = fn(&mut v8::OwnedIsolate);

/// An isolate's state: used on its home thread, or on the thread of a blocking call, always
/// inside [`IsolateState::enter`]. It knows no feature by name: features keep their
/// per-isolate data in isolate slots and register a [`Teardown`] for it.
pub(crate) struct IsolateState {
    isolate: ManuallyDrop<v8::OwnedIsolate>,
    pub(crate) tables: Tables,
    pub(crate) shared: Arc<IsolateShared>,
    pub(crate) clock: ThreadCpuClock,
    pub(crate) defaults: Limits,
    teardown: Vec<Teardown>,
}

// SAFETY: the state moves between threads only inside its cell's mutex (`isolate_cell.rs`),
// and every use of the V8 isolate in it holds the isolate's v8::Locker (`enter`), which is how
// V8 allows an isolate to be used from more than one thread.
unsafe impl Send for IsolateState {}

impl IsolateState {
    /// Takes a freshly created isolate (entered by rusty_v8 on creation) and leaves it exited,
    /// so that several isolates can share the thread.
    pub(crate) fn new(
        mut isolate: v8::OwnedIsolate,
        shared: Arc<IsolateShared>,
        clock: ThreadCpuClock,
        defaults: Limits,
    ) -> Self {
        // SAFETY: rusty_v8 entered the isolate in `Isolate::new` on this thread; we balance that
        // enter here and re-enter around every use and before drop.
        unsafe { isolate.exit() };
        isolate.set_slot(SharedSlot(shared.clone()));
        IsolateState {
            isolate: ManuallyDrop::new(isolate),
            tables: Tables::default(),
            shared,
            clock,
            defaults,
            teardown: Vec::new(),
        }
    }

    /// Runs `teardown` when the isolate is disposed, before its handle tables are cleared.
    pub(crate) fn on_dispose(&mut self, teardown: Teardown) {
        self.teardown.push(teardown);
    }

    /// Takes the isolate's `v8::Locker` for this thread and enters the isolate; pair with
    /// [`IsolateState::exit`] on the same thread. Every use of the isolate is inside one: more
    /// than one thread runs it (its home thread, and callers of blocking calls).
    pub(crate) fn enter(&mut self) -> Entered {
        // SAFETY: the isolate is alive while `self` is; `exit` parks the lock again. Work for
        // one isolate never nests on a thread (refused as WouldDeadlock), so it is not held.
        unsafe { v8_locker::lock(&mut self.isolate, self.shared.id, &self.shared.torn_down) };
        // SAFETY: paired with `exit`, on the same thread, under the lock just taken.
        unsafe { self.isolate.enter() };
        Entered(PhantomData)
    }

    pub(crate) fn exit(&mut self, _entered: Entered) {
        // SAFETY: paired with the `enter` above, on the same thread, with no scopes alive.
        unsafe { self.isolate.exit() };
        // SAFETY: locked by `enter` on this thread (`Entered` is not Send), exited above.
        unsafe { v8_locker::park(&mut self.isolate, self.shared.id) };
    }

    /// Whether the memory limit was hit (the state is then disposed after the current work).
    pub(crate) fn memory_limit_hit(&self) -> bool {
        self.shared.memory_limit_hit.load(Ordering::Acquire)
    }

    pub(crate) fn isolate(&mut self) -> &mut v8::OwnedIsolate {
        &mut self.isolate
    }

    pub(crate) fn split(&mut self) -> (&mut v8::OwnedIsolate, &mut Tables) {
        (&mut self.isolate, &mut self.tables)
    }

    pub(crate) fn heap_used(&mut self) -> usize {
        let mut s = v8::HeapStatistics::default();
        self.isolate.get_heap_statistics(&mut s);
        s.used_heap_size()
    }

    /// Runs `f` under CPU and wall limits; the memory limit is always armed.
    pub(crate) fn limited<T>(
        &mut self,
        limits: Limits,
        f: impl FnOnce(&mut v8::OwnedIsolate, &mut Tables) -> Result<T, Interrupted>,
    ) -> Result<Run<T>, crate::Error> {
        if self.shared.memory_limit_hit.load(Ordering::Acquire) {
            return Ok(Run {
                outcome: RunOutcome::Disposed,
                cpu_time: Duration::ZERO,
                wall_time: Duration::ZERO,
                heap_used_bytes: 0,
            });
        }
        let terminator = self.isolate.thread_safe_handle();
        let start_wall = Instant::now();
        // `self.clock` is the clock of the thread running the call (the home thread's, or a
        // blocking caller's while it runs the call itself).
        let start_cpu = ThreadCpuClock::own_now_ns_at(start_wall);
        self.shared.start_cpu(self.clock, start_cpu);
        self.shared.limit_fired.store(false, Ordering::Release);
        let watch = watchdog::arm(
            terminator,
            self.shared.limit_fired.clone(),
            self.clock,
            start_cpu,
            limits.cpu,
            limits.wall,
        );
        // Calls never nest on one thread (a nested call would deadlock and is refused), but
        // restoring the outer value keeps this right even if one ever did.
        let outer_start = CALL_START_CPU.with(|c| c.replace(Some(start_cpu)));
        let outer_isolate =
            CALL_ISOLATE.with(|c| c.replace(Some(self.isolate.thread_safe_handle())));
        let result = f(&mut self.isolate, &mut self.tables);
        CALL_START_CPU.with(|c| c.set(outer_start));
        CALL_ISOLATE.with(|c| *c.borrow_mut() = outer_isolate);
        let fired = watch.disarm();
        let memory = self.shared.memory_limit_hit.load(Ordering::Acquire);
        // Whatever requested termination for this call, it must not leak into the next one.
        self.isolate.cancel_terminate_execution();
        let end_wall = Instant::now();
        let cpu_used = ThreadCpuClock::own_now_ns_at(end_wall).saturating_sub(start_cpu);
        self.shared.stop_cpu(cpu_used);
        let wall_used = end_wall.saturating_duration_since(start_wall);
        self.shared
            .wall_ns
            .fetch_add(wall_used.as_nanos() as u64, Ordering::Relaxed);
        let outcome = if memory {
            RunOutcome::MemoryLimit
        } else {
            match result {
                Ok(v) => RunOutcome::Ok(v),
                Err(Interrupted::Threw(e)) => RunOutcome::Exception(e),
                Err(Interrupted::Syntax(e)) => RunOutcome::Syntax(e),
                Err(Interrupted::NotTransferable(e)) => RunOutcome::NotTransferable(e),
                Err(Interrupted::Host(e)) => return Err(e),
                Err(Interrupted::Terminated) => match fired {
                    Some(LimitKind::Cpu) => RunOutcome::CpuLimit,
                    Some(LimitKind::Wall) => RunOutcome::WallLimit,
                    // Terminated by the host (`Isolate::dispose` racing a call, or `terminate`).
                    None => RunOutcome::Disposed,
                },
            }
        };
        let heap_used_bytes = if memory || !limits.measure_heap {
            0
        } else {
            self.heap_used()
        };
        Ok(Run {
            outcome,
            cpu_time: Duration::from_nanos(cpu_used),
            wall_time: wall_used,
            heap_used_bytes,
        })
    }
}

impl Drop for IsolateState {
    fn drop(&mut self) {
        // SAFETY: locked for this thread and no scope is alive; it stays entered until
        // rusty_v8's OwnedIsolate::drop, which asserts it is the current isolate and exits
        // it. Nothing else uses the isolate after this.
        unsafe { v8_locker::lock(&mut self.isolate, self.shared.id, &self.shared.torn_down) };
        unsafe { self.isolate.enter() };
        // Features first (inspector sessions, host handles), while the isolate is whole.
        for teardown in std::mem::take(&mut self.teardown) {
            teardown(&mut self.isolate);
        }
        self.tables.clear();
        let _ = self.isolate.remove_slot::<SharedSlot>();
        self.shared.disposed.store(true, Ordering::Release);
        // V8 disposes an isolate that no thread has locked: leave and unlock (which frees this
        // thread's handle blocks; skipping it leaked 8 KiB per isolate), then enter again
        // unlocked, as rusty_v8's drop asserts the isolate is current. No other thread can
        // reach the isolate any more.
        // SAFETY: entered above, no scope alive.
        unsafe { self.isolate.exit() };
        unsafe { v8_locker::release(self.shared.id) };
        unsafe { self.isolate.enter() };
        // SAFETY: entered just above; see there.
        unsafe { ManuallyDrop::drop(&mut self.isolate) };
        // Other threads' parked locks for it are dead now: they drop them unused.
        self.shared.torn_down.store(true, Ordering::Release);
    }
}

/// Runs queued microtasks and platform tasks (FinalizationRegistry cleanups, …) inside the
/// current limited call; they are player code too.
pub(crate) fn drain_jobs(tc: &mut v8::TryCatch<v8::HandleScope>) -> Result<(), Interrupted> {
    let fired = tc.get_slot::<SharedSlot>().map(|b| b.0.limit_fired.clone());
    let stop = |tc: &mut v8::TryCatch<v8::HandleScope>| {
        tc.has_terminated()
            || tc.is_execution_terminating()
            || fired.as_ref().is_some_and(|f| f.load(Ordering::Acquire))
    };
    tc.perform_microtask_checkpoint();
    let platform = platform::platform();
    // Platform tasks can re-post themselves (a FinalizationRegistry with work left does), and
    // V8 clears a termination at the top of each task, so the limit flag is what stops this.
    while !stop(tc) && v8::Platform::pump_message_loop(platform, tc, false) {
        tc.perform_microtask_checkpoint();
    }
    if stop(tc) {
        return Err(Interrupted::Terminated);
    }
    Ok(())
}

/// Turns the state of a TryCatch after a failed V8 call into an [`Interrupted`].
pub(crate) fn interrupted(tc: &mut v8::TryCatch<v8::HandleScope>) -> Interrupted {
    if tc.has_terminated() || tc.is_execution_terminating() {
        return Interrupted::Terminated;
    }
    match tc.exception() {
        Some(exception) => {
            let message = tc.message();
            Interrupted::Threw(js_error::from_exception(tc, exception, message))
        }
        None => Interrupted::Threw(JsError::host(
            "Error",
            "operation failed without an exception",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::EvaluatedScripts;

    #[test]
    fn sources_that_could_declare_lexical_bindings_are_not_run_twice() {
        for code in [
            "let a = 1",
            "const b = 2",
            "class C {}",
            "l\\u0065t d = 4",
            "{ using e = f() }",
            "1; let\nx = 1",
        ] {
            assert!(!EvaluatedScripts::may_run_again(code), "{code}");
        }
        for code in ["1 + 1", "var a = 1; a", "function f() {} f()", "this.n = 1"] {
            assert!(EvaluatedScripts::may_run_again(code), "{code}");
        }
    }
}
