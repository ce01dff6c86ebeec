//! Where an isolate's [`IsolateState`] lives: a cell that its home thread and, for blocking
//! calls, the calling thread itself can run work in, one at a time and in order.
//!
//! Work for an isolate is queued in its cell (`pending`) and its home thread is poked to run
//! it. A blocking call from another thread runs on that thread instead (under a `v8::Locker`,
//! as isolated-vm does) when nothing is queued and no one is inside: the round trip then costs
//! no wake-up of another thread, which on a loaded machine is most of its cost. When the
//! caller leaves and work arrived meanwhile, it pokes the home thread again. The home thread
//! never blocks on a cell: a poke that finds it busy leaves the work for that next poke.

use std::collections::VecDeque;
use std::sync::Arc;

use parking_lot::{Mutex, MutexGuard};

use crate::home_thread::{HomeThread, HomeThreadHandle};
use crate::isolate_state::IsolateState;

/// Work for an isolate, given its state (`None` once disposed); setting it to `None` disposes.
pub(crate) type CellJob = Box<dyn FnOnce(&mut Option<IsolateState>) + Send>;

/// How long a blocking call waits for the state before it queues for the home thread instead.
const INLINE_WAIT: std::time::Duration = std::time::Duration::from_millis(1);

pub(crate) struct IsolateCell {
    state: Mutex<Option<IsolateState>>,
    pending: Mutex<VecDeque<CellJob>>,
    /// Blocking calls may run on the caller's thread (not for isolates that may block for long
    /// on a thread of their own: an inspector pause holds whichever thread runs the call).
    pub(crate) inline: bool,
}

impl IsolateCell {
    pub(crate) fn new(state: IsolateState, inline: bool) -> Arc<IsolateCell> {
        Arc::new(IsolateCell {
            state: Mutex::new(Some(state)),
            pending: Mutex::new(VecDeque::new()),
            inline,
        })
    }

    /// Queues `job` and pokes the home thread; `false` if the home thread is gone.
    pub(crate) fn push(self: &Arc<Self>, home: &HomeThreadHandle, job: CellJob) -> bool {
        self.pending.lock().push_back(job);
        self.poke(home)
    }

    fn poke(self: &Arc<Self>, home: &HomeThreadHandle) -> bool {
        let cell = self.clone();
        home.send(Box::new(move |_: &mut HomeThread| cell.drain()))
    }

    /// Runs what is queued, in order, unless a caller is inside (it pokes again on leaving).
    fn drain(&self) {
        let Some(mut state) = self.state.try_lock() else {
            return;
        };
        loop {
            let next = self.pending.lock().pop_front();
            let Some(job) = next else { break };
            job(&mut state);
            let limit_hit = state.as_ref().is_some_and(IsolateState::memory_limit_hit);
            if limit_hit {
                // After a memory-limit hit the heap may be in any state: dispose now.
                *state = None;
            }
        }
    }

    /// The state, for a call on this thread, if no work is queued before it and no one is
    /// inside; release it with [`IsolateCell::leave`].
    pub(crate) fn enter_here(&self) -> Option<MutexGuard<'_, Option<IsolateState>>> {
        if !self.inline || !self.pending.lock().is_empty() {
            return None;
        }
        // The home thread may be just finishing a job (its result already sent): wait that
        // moment out rather than queue behind it and pay a wake-up. Bounded, since the holder
        // may be a long job, or this very thread (a callback calling back into its isolate).
        let state = self.state.try_lock_for(INLINE_WAIT)?;
        if !self.pending.lock().is_empty() || state.is_none() {
            return None;
        }
        Some(state)
    }

    /// Ends a call made on this thread: work queued meanwhile goes to the home thread, and a
    /// state whose memory limit was hit is disposed there.
    pub(crate) fn leave(
        self: &Arc<Self>,
        state: MutexGuard<'_, Option<IsolateState>>,
        home: &HomeThreadHandle,
    ) {
        let limit_hit = state.as_ref().is_some_and(IsolateState::memory_limit_hit);
        drop(state);
        if limit_hit {
            self.remove(home);
        } else if !self.pending.lock().is_empty() {
            self.poke(home);
        }
    }

    /// Disposes the state on the home thread after what is queued before it.
    pub(crate) fn remove(self: &Arc<Self>, home: &HomeThreadHandle) -> bool {
        self.push(home, Box::new(|state| *state = None))
    }

    /// Frees the calling thread's parked V8 state for this isolate (it ran calls here), while
    /// the isolate is certainly alive: before its disposal is queued. Skipped when the state is
    /// busy (a job is running, or this thread is inside it).
    pub(crate) fn release_parked_here(&self, id: u64) {
        if let Some(state) = self.state.try_lock() {
            if state.is_some() {
                // SAFETY: the state (and so the isolate) cannot go while its lock is held here,
                // and holding it means this thread is not inside the isolate.
                unsafe { crate::v8_locker::release_parked(id) };
            }
        }
    }
}
