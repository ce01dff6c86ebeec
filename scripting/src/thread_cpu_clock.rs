//! The CPU clock of one OS thread, readable from any thread.

/// `CLOCK_THREAD_CPUTIME_ID` of a specific thread, as a clock id usable from other threads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ThreadCpuClock(libc::clockid_t);

impl ThreadCpuClock {
    /// The clock of the calling thread.
    pub(crate) fn current() -> Self {
        let mut id: libc::clockid_t = 0;
        // SAFETY: pthread_self() is always a valid thread handle for the caller and `id` is a
        // valid out-pointer.
        let rc = unsafe { libc::pthread_getcpuclockid(libc::pthread_self(), &mut id) };
        if rc != 0 {
            // Falling back to the process clock would charge other threads' work; the thread
            // clock id cannot fail for the calling thread on Linux, so this is unreachable there.
            return ThreadCpuClock(libc::CLOCK_THREAD_CPUTIME_ID);
        }
        ThreadCpuClock(id)
    }

    /// CPU time of the calling thread: the same value as `now_ns` on this thread's clock,
    /// ~10 % cheaper (the kernel skips looking the thread up by id).
    pub(crate) fn own_now_ns() -> u64 {
        ThreadCpuClock(libc::CLOCK_THREAD_CPUTIME_ID).now_ns()
    }

    /// Nanoseconds of CPU time the thread has used.
    pub(crate) fn now_ns(self) -> u64 {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid out-pointer; the clock id belongs to a thread that lives as
        // long as any watch referring to it (home threads outlive their isolates' calls).
        let rc = unsafe { libc::clock_gettime(self.0, &mut ts) };
        if rc != 0 {
            return 0;
        }
        ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
    }
}
