//! Home threads: every isolate is created on one OS thread, and queued work for it runs there.
//! Blocking calls may run on the caller's thread instead (`isolate_cell.rs`), under the
//! isolate's `v8::Locker` (bound through `shim/locker.cc`) with that thread's stack limit.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use crossbeam_channel::{unbounded, Receiver, Sender};

use crate::thread_cpu_clock::ThreadCpuClock;

/// Work for a home thread.
pub(crate) type Job = Box<dyn FnOnce(&mut HomeThread) + Send>;

/// State owned by one home thread.
pub(crate) struct HomeThread {
    pub(crate) cpu_clock: ThreadCpuClock,
}

/// A cloneable handle for sending work to one home thread.
#[derive(Clone)]
pub(crate) struct HomeThreadHandle {
    sender: Sender<Job>,
    pub(crate) index: usize,
    load: Arc<AtomicUsize>,
}

thread_local! {
    static CURRENT_HOME: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Home-thread stack size: deep JS recursion is bounded by V8's own stack limit (under 1 MiB),
/// the rest is room for host frames.
const STACK_SIZE: usize = 8 << 20;

static NEXT_INDEX: AtomicUsize = AtomicUsize::new(0);

/// How long a home thread, or a caller waiting for a short call, spins before parking.
pub(crate) const HOT_SPIN: std::time::Duration = std::time::Duration::from_micros(40);

/// Polls `receiver` for up to `spin`; `None` if nothing arrived (or it disconnected).
pub(crate) fn spin_recv<T>(receiver: &Receiver<T>, spin: std::time::Duration) -> Option<T> {
    let start = std::time::Instant::now();
    let mut polls = 0u32;
    loop {
        match receiver.try_recv() {
            Ok(v) => return Some(v),
            Err(crossbeam_channel::TryRecvError::Disconnected) => return None,
            Err(crossbeam_channel::TryRecvError::Empty) => {
                // The clock is read every 64th poll only: a read costs more than a poll.
                polls = polls.wrapping_add(1);
                if polls.is_multiple_of(64) && start.elapsed() >= spin {
                    return None;
                }
                std::hint::spin_loop();
            }
        }
    }
}
static POOL_SIZE: OnceLock<usize> = OnceLock::new();

/// Sets the number of shared home threads. Only effective before the first isolate is created.
pub fn set_home_thread_count(n: usize) -> bool {
    POOL_SIZE.set(n.max(1)).is_ok()
}

fn pool() -> &'static Vec<HomeThreadHandle> {
    static POOL: OnceLock<Vec<HomeThreadHandle>> = OnceLock::new();
    POOL.get_or_init(|| {
        let n = *POOL_SIZE.get_or_init(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
        });
        (0..n).map(|_| spawn("isoshard-home")).collect()
    })
}

fn spawn(name: &str) -> HomeThreadHandle {
    let (sender, receiver) = unbounded::<Job>();
    let index = NEXT_INDEX.fetch_add(1, Ordering::Relaxed);
    std::thread::Builder::new()
        .name(format!("{name}-{index}"))
        .stack_size(STACK_SIZE)
        .spawn(move || run(index, receiver))
        .expect("spawn home thread");
    HomeThreadHandle {
        sender,
        index,
        load: Arc::new(AtomicUsize::new(0)),
    }
}

fn run(index: usize, receiver: Receiver<Job>) {
    crate::platform::adopt_v8_thread_access();
    CURRENT_HOME.with(|c| c.set(Some(index)));
    let mut home = HomeThread {
        cpu_clock: ThreadCpuClock::current(),
    };
    loop {
        // Stay hot briefly after a job: callers often send the next one right away, and
        // parking and waking a thread costs far more than the job itself.
        let job = match spin_recv(&receiver, HOT_SPIN) {
            Some(job) => job,
            None => match receiver.recv() {
                Ok(job) => job,
                Err(_) => break,
            },
        };
        job(&mut home);
    }
    // All senders are gone. Each isolate's handle queued its disposal before letting go of
    // its sender, and those jobs ran above: nothing is left here.
}

/// The shared home thread with the fewest isolates.
pub(crate) fn assign() -> HomeThreadHandle {
    let handle = pool()
        .iter()
        .min_by_key(|h| h.load.load(Ordering::Relaxed))
        .expect("pool has at least one thread")
        .clone();
    handle.load.fetch_add(1, Ordering::Relaxed);
    handle
}

/// A new thread of its own, for isolates that may block for long.
pub(crate) fn dedicated() -> HomeThreadHandle {
    let handle = spawn("isoshard-dedicated");
    handle.load.fetch_add(1, Ordering::Relaxed);
    handle
}

/// The home-thread index of the calling thread, if it is one.
pub(crate) fn current_index() -> Option<usize> {
    CURRENT_HOME.with(|c| c.get())
}

impl HomeThreadHandle {
    /// Queues a job. Jobs for one thread run in the order they were sent.
    pub(crate) fn send(&self, job: Job) -> bool {
        self.sender.send(job).is_ok()
    }

    pub(crate) fn release(&self) {
        self.load.fetch_sub(1, Ordering::Relaxed);
    }
}
