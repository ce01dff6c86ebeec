//! Many calls queued at once, on any number of isolates, and waited for together.
//!
//! A tick runs one call per player. Awaiting each call on its own wakes the waiting thread
//! once per call; on a machine with as many home threads as cores, every such wake-up
//! preempts a home thread in the middle of another player's call. A [`CallBatch`] wakes the
//! waiting thread once, when the last call has finished, and lets each call's result be
//! turned into its final form on the home thread that produced it.

use std::sync::Arc;

use parking_lot::{Condvar, Mutex, MutexGuard};

use crate::error::{Error, Result};
use crate::external_copy::ExternalCopy;
use crate::outcome::Run;
use crate::transfer::Reference;
use crate::transfer::Transferable;
use crate::RunOptions;

/// Calls queued together; [`CallBatch::wait`] returns their results in the order queued.
pub struct CallBatch<T> {
    shared: Arc<BatchShared<T>>,
}

struct BatchShared<T> {
    state: Mutex<BatchState<T>>,
    all_done: Condvar,
}

struct BatchState<T> {
    results: Vec<Option<T>>,
    pending: usize,
    /// The first panic of a hook. Hooks run on home threads, where an unwinding panic would
    /// take down every isolate of the thread; it is caught there and resumed in `wait`.
    panic: Option<Box<dyn std::any::Any + Send>>,
}

impl<T> BatchShared<T> {
    fn lock(&self) -> MutexGuard<'_, BatchState<T>> {
        self.state.lock()
    }

    fn complete(&self, index: usize, value: std::thread::Result<T>) {
        let mut state = self.lock();
        match value {
            Ok(v) => state.results[index] = Some(v),
            Err(p) => self.record_panic(&mut state, p),
        }
        state.pending -= 1;
        if state.pending == 0 {
            self.all_done.notify_one();
        }
    }

    fn record_panic(&self, state: &mut BatchState<T>, payload: Box<dyn std::any::Any + Send>) {
        if state.panic.is_none() {
            state.panic = Some(payload);
        }
    }
}

fn catching<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
}

/// Turns a call's result into the batch's `T` exactly once: when the call ends, or, if its
/// job is dropped unrun (its home thread went away), with the `Disposed` outcome, so a waiter
/// is never left hanging.
struct Completion<T, F: FnOnce(Result<Run<ExternalCopy>>) -> T> {
    shared: Arc<BatchShared<T>>,
    index: usize,
    finish: Option<F>,
}

impl<T, F: FnOnce(Result<Run<ExternalCopy>>) -> T> Completion<T, F> {
    fn run(mut self, result: Result<Run<ExternalCopy>>) {
        if let Some(finish) = self.finish.take() {
            let value = catching(|| finish(result));
            self.shared.complete(self.index, value);
        }
    }
}

impl<T, F: FnOnce(Result<Run<ExternalCopy>>) -> T> Drop for Completion<T, F> {
    fn drop(&mut self) {
        if let Some(finish) = self.finish.take() {
            // What Reference::apply returns when the home thread is gone.
            let value =
                catching(|| finish(crate::call::disposed_as_outcome(Err(Error::HomeThreadGone))));
            self.shared.complete(self.index, value);
        }
    }
}

impl<T: Send + 'static> Default for CallBatch<T> {
    fn default() -> Self {
        CallBatch::new()
    }
}

impl<T: Send + 'static> CallBatch<T> {
    pub fn new() -> Self {
        CallBatch {
            shared: Arc::new(BatchShared {
                state: Mutex::new(BatchState {
                    results: Vec::new(),
                    pending: 0,
                    panic: None,
                }),
                all_done: Condvar::new(),
            }),
        }
    }

    /// Queues [`Reference::apply`]. On the isolate's home thread, `on_start` runs just before
    /// the call (not at all if the isolate is gone by then) and `finish` just after it, with
    /// the result [`Reference::apply`] would have returned; `finish`'s value is this call's
    /// entry in [`CallBatch::wait`]. Both hooks are host code: they are not charged to the
    /// isolate and must not block on this batch. A panic in either is caught on the home
    /// thread (an `on_start` panic also skips the call) and resumed by [`CallBatch::wait`].
    /// Returns the entry's index.
    ///
    /// # Errors
    /// A Reference argument from another isolate ([`Error::InvalidArgument`]); nothing is
    /// queued then.
    pub fn apply<S, F>(
        &mut self,
        reference: &Reference,
        receiver: Option<Transferable>,
        args: Vec<Transferable>,
        options: &RunOptions,
        on_start: S,
        finish: F,
    ) -> Result<usize>
    where
        S: FnOnce() + Send + 'static,
        F: FnOnce(Result<Run<ExternalCopy>>) -> T + Send + 'static,
    {
        reference.check_args(&receiver, &args)?;
        let index = {
            let mut state = self.shared.lock();
            state.results.push(None);
            state.pending += 1;
            state.results.len() - 1
        };
        let completion = Completion {
            shared: self.shared.clone(),
            index,
            finish: Some(finish),
        };
        // If the home thread is gone the job is dropped unrun, and with it the completion,
        // which fills the entry with HomeThreadGone.
        let shared = self.shared.clone();
        let start = move || match catching(on_start) {
            Ok(()) => true,
            Err(p) => {
                let mut state = shared.lock();
                shared.record_panic(&mut state, p);
                false
            }
        };
        reference.queue_apply(receiver, args, options, start, move |r| completion.run(r));
        Ok(index)
    }

    /// Number of calls queued.
    pub fn len(&self) -> usize {
        self.shared.lock().results.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Blocks until every queued call has finished; their `finish` values in queue order.
    /// Never call from a home thread whose isolates are in the batch.
    ///
    /// # Panics
    /// Resumes the first panic of an `on_start` or `finish` hook.
    pub fn wait(self) -> Vec<T> {
        let mut state = self.shared.lock();
        while state.pending > 0 {
            self.shared.all_done.wait(&mut state);
        }
        if let Some(p) = state.panic.take() {
            drop(state);
            std::panic::resume_unwind(p);
        }
        // Every entry is filled once nothing is pending and no hook panicked.
        let results: Vec<T> = std::mem::take(&mut state.results)
            .into_iter()
            .flatten()
            .collect();
        results
    }
}
