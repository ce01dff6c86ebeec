//! `Isolate`: the host's handle to one V8 isolate living on its home thread, and how work is
//! sent there ([`Isolate::exec`], [`Isolate::exec_async`], [`queue_job`]).
//!
//! This is the core the features build on; it names none of them. Each feature adds its own
//! methods to `Isolate` in its module: creation in `create_isolate.rs`, contexts in
//! `context.rs`, scripts in `script.rs`, modules in `module.rs`, sessions in
//! `inspector_session.rs`, profiles in `cpu_profile.rs`.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::home_thread::{self, HomeThreadHandle};
use crate::inspector_channel::InspectorLink;
use crate::isolate_cell::IsolateCell;
use crate::isolate_state::{IsolateShared, IsolateState, Limits};
use crate::reply_slot::ReplySlot;

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
    /// Where the isolate's state lives (shared with the home thread).
    pub(crate) cell: Arc<IsolateCell>,
    pub(crate) shared: Arc<IsolateShared>,
    pub(crate) terminator: v8::IsolateHandle,
    /// The limits of work without limits of its own (as on the home thread).
    pub(crate) defaults: Limits,
    pub(crate) inspector: InspectorLink,
}

impl Drop for IsolateInner {
    fn drop(&mut self) {
        self.cell.release_parked_here(self.id);
        self.cell.remove(&self.home);
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

impl Isolate {
    /// Process-unique id.
    pub fn id(&self) -> u64 {
        self.inner.id
    }

    /// Disposes the isolate now; every handle into it becomes `disposed`.
    pub fn dispose(&self) {
        self.inner.shared.disposed.store(true, Ordering::Release);
        // A running call ends with `disposed` rather than finishing first.
        self.inner.terminator.terminate_execution();
        self.inner.cell.release_parked_here(self.inner.id);
        self.inner.cell.remove(&self.inner.home);
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

    pub(crate) fn job<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut IsolateState) -> Result<R> + Send + 'static,
        reply: impl FnOnce(Result<R>) + Send + 'static,
    ) -> bool {
        queue_job(&self.inner.home, &self.inner.cell, f, reply)
    }

    /// Runs `f` and waits for it: on this thread when nothing is queued for the isolate and no
    /// one is inside it (as isolated-vm does under a Locker), else on the home thread.
    pub(crate) fn exec<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut IsolateState) -> Result<R> + Send + 'static,
    ) -> Result<R> {
        if home_thread::current_index() == Some(self.inner.home.index)
            || calling_thread::is_inside(self.inner.id)
        {
            return Err(Error::WouldDeadlock);
        }
        // V8's CPU profiler samples the thread it was started on: profiled calls stay home.
        let profiling = !self.inner.inspector.profiles.lock().is_empty();
        if let Some(limit) = calling_thread::may_run_here().filter(|_| !profiling) {
            if let Some(mut state) = self.inner.cell.enter_here() {
                let result = match state.as_mut() {
                    Some(s) if !s.shared.disposed.load(Ordering::Acquire) => {
                        calling_thread::run(s, limit, f)
                    }
                    _ => Err(Error::Disposed),
                };
                self.inner.cell.leave(state, &self.inner.home);
                return result;
            }
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

/// Queues `f` for the isolate in `cell`, entered, on `home`; `reply` gets its result (or
/// `Disposed`).
pub(crate) fn queue_job<R: Send + 'static>(
    home: &HomeThreadHandle,
    cell: &Arc<IsolateCell>,
    f: impl FnOnce(&mut IsolateState) -> Result<R> + Send + 'static,
    reply: impl FnOnce(Result<R>) + Send + 'static,
) -> bool {
    cell.push(
        home,
        Box::new(move |slot: &mut Option<IsolateState>| {
            let result = match slot {
                None => Err(Error::Disposed),
                Some(state) if state.shared.disposed.load(Ordering::Acquire) => {
                    Err(Error::Disposed)
                }
                Some(state) => {
                    let entered = state.enter();
                    let r = f(state);
                    state.exit(entered);
                    r
                }
            };
            reply(result);
        }),
    )
}

/// Blocking calls run by the calling thread itself.
mod calling_thread {
    use std::cell::RefCell;

    use crate::error::Result;
    use crate::isolate_state::IsolateState;
    use crate::thread_cpu_clock::ThreadCpuClock;

    thread_local! {
        /// Isolates this thread is running a call in (a callback may call into another).
        static INSIDE: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
        /// Whether this thread may touch V8's protected memory yet (`adopt_v8_thread_access`).
        static ADOPTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        static CLOCK: ThreadCpuClock = ThreadCpuClock::current();
    }

    pub(super) fn is_inside(id: u64) -> bool {
        INSIDE.with(|i| i.borrow().contains(&id))
    }

    /// The stack limit to run JavaScript with from here, if this thread has the stack for it.
    pub(super) fn may_run_here() -> Option<usize> {
        crate::v8_locker::stack_limit_here()
    }

    /// Runs `f` in the isolate on this thread, with this thread's CPU clock for its limits.
    pub(super) fn run<R>(
        state: &mut IsolateState,
        stack_limit: usize,
        f: impl FnOnce(&mut IsolateState) -> Result<R>,
    ) -> Result<R> {
        if !ADOPTED.with(|a| a.replace(true)) {
            crate::platform::adopt_v8_thread_access();
        }
        INSIDE.with(|i| i.borrow_mut().push(state.shared.id));
        let home_clock = std::mem::replace(&mut state.clock, CLOCK.with(|c| *c));
        let entered = state.enter();
        crate::v8_locker::set_stack_limit(state.isolate(), stack_limit);
        let result = f(state);
        state.exit(entered);
        state.clock = home_clock;
        INSIDE.with(|i| i.borrow_mut().pop());
        result
    }
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
