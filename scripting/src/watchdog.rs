//! One watchdog thread that terminates calls past their CPU or wall-clock deadline.
//!
//! A call arms a watch before it enters JavaScript and disarms it after. Firing and disarming
//! happen under one lock, so the thread that ran the call always knows whether a termination
//! was requested for *its* call and cancels it before the next call starts: a late watchdog
//! never kills the next call.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// What a process does when a call keeps burning CPU after its termination was requested
/// (a builtin V8 cannot interrupt, such as `new Array(2 ** 27).fill(0)`): see
/// [`set_overrun_handler`].
struct Overrun {
    grace: Duration,
    handler: fn(Duration),
}

static OVERRUN: OnceLock<Overrun> = OnceLock::new();

/// Installs, once per process, what happens when a call has used `grace` more CPU time than
/// its limit and is still running despite termination requests. `handler` gets the CPU time
/// past the limit and runs on the watchdog thread; it should end the process (a runner process
/// does, so the limit holds in CPU time however loaded the host is). Without a handler the
/// watchdog keeps requesting termination until the call returns. Returns `false` if a handler
/// was already installed.
pub fn set_overrun_handler(grace: Duration, handler: fn(Duration)) -> bool {
    OVERRUN.set(Overrun { grace, handler }).is_ok()
}

use parking_lot::{Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::thread_cpu_clock::ThreadCpuClock;

/// Which limit a watch fired for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LimitKind {
    Cpu,
    Wall,
}

struct Watch {
    id: u64,
    terminator: v8::IsolateHandle,
    /// Set when the watch fires; the call's drain loop stops on it.
    fired_flag: Arc<AtomicBool>,
    clock: ThreadCpuClock,
    cpu_deadline_ns: u64,
    wall_deadline: Instant,
    fired: Option<LimitKind>,
    /// The call's CPU clock when the watch fired.
    fired_cpu_ns: u64,
}

#[derive(Default)]
struct Watches {
    list: Vec<Watch>,
    next_id: u64,
    /// When the watchdog will next look (`None`: asleep until notified). Arming only wakes it
    /// when the new watch could be due earlier, so back-to-back calls cost no context switch.
    scheduled: Option<Instant>,
}

struct Watchdog {
    watches: Mutex<Watches>,
    wake: Condvar,
}

fn watchdog() -> &'static Arc<Watchdog> {
    static DOG: OnceLock<Arc<Watchdog>> = OnceLock::new();
    DOG.get_or_init(|| {
        let dog = Arc::new(Watchdog {
            watches: Mutex::new(Watches::default()),
            wake: Condvar::new(),
        });
        let d = dog.clone();
        std::thread::Builder::new()
            .name("isoshard-watchdog".into())
            .spawn(move || d.run())
            .expect("spawn watchdog thread");
        dog
    })
}

/// Shortest sleep between checks of a running call's CPU clock.
const MIN_POLL: Duration = Duration::from_micros(200);
/// How often a fired watch repeats its termination request until the call returns.
const RETERMINATE_EVERY: Duration = Duration::from_millis(1);
/// How long the watchdog keeps a timed wait after the last watch ends before sleeping until
/// notified (so bursts of calls do not each have to wake it).
const IDLE_LINGER: Duration = Duration::from_millis(50);

impl Watchdog {
    fn run(&self) {
        let mut watches = self.watches.lock();
        loop {
            let now = Instant::now();
            let mut next: Option<Instant> = None;
            for w in watches.list.iter_mut() {
                if w.fired.is_some() {
                    // V8 clears a termination once it unwinds to the top of a platform task
                    // (a FinalizationRegistry cleanup, say), so keep terminating until the
                    // call returns and disarms.
                    w.terminator.terminate_execution();
                    if let Some(overrun) = OVERRUN.get() {
                        let past = w.clock.now_ns().saturating_sub(w.fired_cpu_ns);
                        if past >= overrun.grace.as_nanos() as u64 {
                            (overrun.handler)(Duration::from_nanos(past));
                        }
                    }
                    let again = now + RETERMINATE_EVERY;
                    next = Some(next.map_or(again, |n| n.min(again)));
                    continue;
                }
                let cpu = w.clock.now_ns();
                if cpu >= w.cpu_deadline_ns || now >= w.wall_deadline {
                    let kind = if cpu >= w.cpu_deadline_ns {
                        LimitKind::Cpu
                    } else {
                        LimitKind::Wall
                    };
                    w.fired = Some(kind);
                    w.fired_cpu_ns = cpu;
                    w.fired_flag.store(true, Ordering::Release);
                    w.terminator.terminate_execution();
                    let again = now + RETERMINATE_EVERY;
                    next = Some(next.map_or(again, |n| n.min(again)));
                } else {
                    // CPU time cannot advance faster than wall time, so the CPU deadline is
                    // not reached before `now + remaining`.
                    let cpu_due = now + Duration::from_nanos(w.cpu_deadline_ns - cpu);
                    let due = cpu_due.min(w.wall_deadline).max(now + MIN_POLL);
                    next = Some(next.map_or(due, |n| n.min(due)));
                }
            }
            let next = match next {
                Some(at) => Some(at),
                // Linger once with a timed wait, then sleep until notified.
                None if watches.scheduled.is_some_and(|s| s > now - IDLE_LINGER) => {
                    Some(now + IDLE_LINGER)
                }
                None => None,
            };
            watches.scheduled = next;
            match next {
                None => self.wake.wait(&mut watches),
                Some(at) => {
                    let _ = self.wake.wait_until(&mut watches, at);
                }
            }
        }
    }
}

/// An armed watch; disarm it when the call returns.
pub(crate) struct ArmedWatch {
    id: u64,
}

/// Arms a watch for a call on the current thread; `start_cpu` is `clock` read by the caller
/// just before (a thread CPU clock read is a system call, ~0.5 µs here: one per call start).
pub(crate) fn arm(
    terminator: v8::IsolateHandle,
    fired_flag: Arc<AtomicBool>,
    clock: ThreadCpuClock,
    start_cpu: u64,
    cpu_limit: Duration,
    wall_limit: Duration,
) -> ArmedWatch {
    let dog = watchdog();
    let mut watches = dog.watches.lock();
    let id = watches.next_id;
    watches.next_id += 1;
    // The earliest this watch can be due: CPU time cannot outrun wall time.
    let due = Instant::now() + cpu_limit.min(wall_limit);
    let notify = watches.scheduled.is_none_or(|s| due < s);
    watches.list.push(Watch {
        id,
        terminator,
        fired_flag,
        clock,
        cpu_deadline_ns: start_cpu
            .saturating_add(cpu_limit.as_nanos().min(u64::MAX as u128) as u64),
        wall_deadline: Instant::now() + wall_limit,
        fired: None,
        fired_cpu_ns: 0,
    });
    drop(watches);
    if notify {
        dog.wake.notify_one();
    }
    ArmedWatch { id }
}

impl ArmedWatch {
    /// Removes the watch; returns the limit it fired for, if it did.
    pub(crate) fn disarm(self) -> Option<LimitKind> {
        let dog = watchdog();
        let mut watches = dog.watches.lock();
        let pos = watches.list.iter().position(|w| w.id == self.id)?;
        watches.list.swap_remove(pos).fired
    }
}
