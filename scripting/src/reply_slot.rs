//! Where a blocking call's result lands: a slot on the waiting caller's stack, filled once by
//! the job on the home thread.
//!
//! A channel per call cost an allocation, its free on the other thread and a disconnect
//! under a lock: a fifth of a `1 + 1` round trip in `perf`. The caller cannot return before
//! the slot is filled (by the job, or with `HomeThreadGone` by the job's drop if it never
//! runs), so the slot can live on its stack, as rayon's `StackJob` latches do.

use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicU8, Ordering};
use std::thread::Thread;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// The waiter is spinning: filling needs no wake-up.
const SPINNING: u8 = 0;
/// The waiter parks (or is about to) until filled: filling must unpark it.
const PARKING: u8 = 1;
const FILLED: u8 = 2;

pub(crate) struct ReplySlot<R> {
    state: AtomicU8,
    value: UnsafeCell<Option<Result<R>>>,
    waiter: Thread,
}

/// The job's end of a [`ReplySlot`]: fills it once, or with `HomeThreadGone` when dropped
/// unfilled (the job was dropped unrun, or unwound).
pub(crate) struct ReplyHandle<R> {
    slot: *const ReplySlot<R>,
}

// SAFETY: the handle only moves a `Result<R>` (R: Send) to the slot's thread; the slot outlives
// the handle because its owner waits in `ReplySlot::wait` until the handle has filled it.
unsafe impl<R: Send> Send for ReplyHandle<R> {}

impl<R> ReplySlot<R> {
    pub(crate) fn new() -> Self {
        ReplySlot {
            state: AtomicU8::new(SPINNING),
            value: UnsafeCell::new(None),
            waiter: std::thread::current(),
        }
    }

    /// The job's end.
    ///
    /// # Safety
    /// The caller must call [`ReplySlot::wait`] on this slot, and not move it, before the slot
    /// goes out of scope (unless the handle was dropped on this thread first, as happens when
    /// queueing the job fails).
    pub(crate) unsafe fn handle(&self) -> ReplyHandle<R> {
        ReplyHandle { slot: self }
    }

    /// Spins for `spin` (short calls answer within microseconds), then parks until filled.
    /// Takes `&self`: the handle points at the slot, which must not move.
    pub(crate) fn wait(&self, spin: Duration) -> Result<R> {
        let start = Instant::now();
        let mut polls = 0u32;
        while self.state.load(Ordering::Acquire) != FILLED {
            // The clock is read every 64th poll only: a read takes longer than the reply's
            // last hop between cores.
            polls = polls.wrapping_add(1);
            if !polls.is_multiple_of(64) || start.elapsed() < spin {
                std::hint::spin_loop();
                continue;
            }
            // From here the filler owes an unpark; if it filled meanwhile, nothing to wait for.
            if self
                .state
                .compare_exchange(SPINNING, PARKING, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                // Spurious wake-ups just loop; an unpark before the park makes it return.
                while self.state.load(Ordering::Acquire) != FILLED {
                    std::thread::park();
                }
            }
        }
        // SAFETY: the state is FILLED (Acquire pairs with the handle's Release) and the handle
        // writes nothing after setting it.
        unsafe { (*self.value.get()).take() }.unwrap_or(Err(Error::HomeThreadGone))
    }
}

impl<R> ReplyHandle<R> {
    pub(crate) fn fill(self, value: Result<R>) {
        self.put(value);
        std::mem::forget(self);
    }

    fn put(&self, value: Result<R>) {
        // SAFETY: the slot is alive (its owner waits for FILLED), and nothing reads `value`
        // before FILLED is set below, which happens once: `fill` forgets the handle, so its
        // drop does not put again.
        unsafe {
            let slot = &*self.slot;
            *slot.value.get() = Some(value);
            // A spinning owner sees FILLED by itself: no wake-up to pay for.
            if slot
                .state
                .compare_exchange(SPINNING, FILLED, Ordering::AcqRel, Ordering::Acquire)
                .is_err()
            {
                // PARKING: the owner cannot return before FILLED, so the slot is still there
                // to clone from; clone before publishing, since after it the slot may be gone.
                let waiter = slot.waiter.clone();
                slot.state.store(FILLED, Ordering::Release);
                waiter.unpark();
            }
        }
    }
}

impl<R> Drop for ReplyHandle<R> {
    fn drop(&mut self) {
        self.put(Err(Error::HomeThreadGone));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_filled_on_another_thread_reaches_the_waiter_spinning_or_parked() {
        for spin in [Duration::from_millis(100), Duration::ZERO] {
            let slot = ReplySlot::<u32>::new();
            // SAFETY: waited for below.
            let handle = unsafe { slot.handle() };
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(5));
                handle.fill(Ok(7));
            });
            assert_eq!(slot.wait(spin).ok(), Some(7));
        }
    }

    #[test]
    fn a_handle_dropped_unfilled_answers_home_thread_gone() {
        let slot = ReplySlot::<u32>::new();
        // SAFETY: waited for below.
        let handle = unsafe { slot.handle() };
        std::thread::spawn(move || drop(handle));
        assert!(matches!(
            slot.wait(Duration::ZERO),
            Err(Error::HomeThreadGone)
        ));
        let slot = ReplySlot::<u32>::new();
        // SAFETY: waited for below.
        let handle = unsafe { slot.handle() };
        let unwound = std::thread::spawn(move || {
            let _owned = handle;
            panic!("job unwound");
        })
        .join();
        assert!(unwound.is_err());
        assert!(matches!(
            slot.wait(Duration::ZERO),
            Err(Error::HomeThreadGone)
        ));
    }

    #[test]
    fn many_round_trips_each_get_their_own_value() {
        let (tx, rx) = crossbeam_channel::unbounded::<(u64, ReplyHandle<u64>)>();
        let worker = std::thread::spawn(move || {
            for (n, handle) in rx {
                handle.fill(Ok(n * 2));
            }
        });
        for n in 0..20_000u64 {
            let slot = ReplySlot::new();
            // SAFETY: waited for below.
            let handle = unsafe { slot.handle() };
            tx.send((n, handle)).ok();
            assert_eq!(slot.wait(Duration::from_micros(40)).ok(), Some(n * 2));
        }
        drop(tx);
        worker.join().ok();
    }
}
