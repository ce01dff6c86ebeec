//! A local runner's doorbell: how it wakes the shard's reader for the frames that cannot wait.
//!
//! A runner writes a `Starting` frame as each player begins (so that a crash names the
//! player) and its `Result` after. When the shard's reader thread waited in `read` on the
//! runner's pipe, every such write woke it, and on a machine with no idle core each wake-up
//! preempted a player's thread: at 2 000 trivial players that was ~20 % of the tick
//! (BENCHMARKS.md, "Waking the shard once a tick, not once a player"). Now the reader waits on
//! this pipe instead, for at most [`EVENT_POLL`](super::host::EVENT_POLL), and then reads
//! whatever the runner wrote; writes to the frame pipe find no reader waiting and wake no one.
//! The runner rings (writes a byte) after the frames that end something: `Ready`, `Refused`,
//! `TickDone`, DevTools messages. Its end of the stream is seen at once: the doorbell's write
//! end closes with it.
//!
//! Every frame still goes through the pipe, in order; the supervisor looked at `Starting` and
//! `Result` frames only every `EVENT_POLL` already, so deadlines and culprits are as before.
//! A runner host's lanes (`remote/runner_host.rs`) read their runners the same way, so a
//! tick's frames go to Redis in a few pushes instead of one per frame. Runner bridges (the
//! shard's end of a remote lane) have no doorbell: their frames come from Redis.

use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::OnceLock;
use std::time::Duration;

use super::protocol::{write_frame, FromRunner};

/// Set in a runner's environment to the descriptor number of its doorbell's write end.
pub(super) const DOORBELL_FD_ENV: &str = "ISOSHARD_RUNNER_DOORBELL_FD";

/// The shard's end of a runner's doorbell.
pub(super) struct Doorbell {
    read: OwnedFd,
    /// Closed once the runner has its copy: a runner's end must close the pipe.
    write: Option<OwnedFd>,
    /// The runner ended (the write end closed).
    hung_up: bool,
}

/// What [`Doorbell::wait`] saw.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Ring {
    /// Rung, or the time passed: read what is there.
    Look,
    /// The runner's end closed: it has exited (read its pipe to the end).
    HungUp,
}

impl Doorbell {
    pub(super) fn create() -> std::io::Result<Self> {
        let mut fds = [0; 2];
        // SAFETY: `fds` has room for the two descriptors; the result is checked.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: both were just created and are owned by nothing else.
        let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        Ok(Doorbell {
            read,
            write: Some(write),
            hung_up: false,
        })
    }

    /// The write end, for the child to inherit ([`super::host::runner_command`]).
    pub(super) fn child_end(&self) -> Option<RawFd> {
        self.write.as_ref().map(AsRawFd::as_raw_fd)
    }

    /// Closes this process's copy of the write end, once the child has its own.
    pub(super) fn child_started(&mut self) {
        self.write = None;
    }

    /// Whether to read `reader` (the runner's frame pipe `fd`) now: frames are there at once,
    /// or after a ring or `timeout`; or the runner hung up (read to the end).
    pub(super) fn ready_to_read<R>(
        &mut self,
        reader: &std::io::BufReader<R>,
        fd: RawFd,
        timeout: Duration,
    ) -> bool {
        frames_here(reader, fd) || self.wait(timeout) == Ring::HungUp || frames_here(reader, fd)
    }

    /// Waits until the runner rings, hangs up, or `timeout` passes; takes the rings.
    pub(super) fn wait(&mut self, timeout: Duration) -> Ring {
        if self.hung_up {
            return Ring::HungUp;
        }
        let mut poll = libc::pollfd {
            fd: self.read.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd; a signal's EINTR just means look now.
        unsafe { libc::poll(&mut poll, 1, ms) };
        let mut rings = [0u8; 64];
        loop {
            // SAFETY: reading into a local buffer from a non-blocking descriptor we own.
            let n = unsafe { libc::read(poll.fd, rings.as_mut_ptr().cast(), rings.len()) };
            if n == 0 {
                self.hung_up = true;
                return Ring::HungUp;
            }
            if n < 0 {
                return Ring::Look;
            }
        }
    }
}

/// Pipe buffer asked for a runner's frames: ~10 ms of a busy runner's output fits.
const FRAME_PIPE_BYTES: libc::c_int = 1 << 20;

/// Gives a runner's frame pipe room for what it writes between two looks (`EVENT_POLL`)
/// without blocking; best effort (the system's pipe-max-size may refuse it).
pub(super) fn widen_frame_pipe(fd: RawFd) {
    // SAFETY: F_SETPIPE_SZ on a pipe descriptor the caller owns; failure leaves it as it was.
    unsafe { libc::fcntl(fd, libc::F_SETPIPE_SZ, FRAME_PIPE_BYTES) };
}

/// Whether frames wait to be read: in `reader`'s buffer or still in its pipe `fd`.
pub(super) fn frames_here<R>(reader: &std::io::BufReader<R>, fd: RawFd) -> bool {
    !reader.buffer().is_empty() || pending_bytes(fd) > 0
}

/// Bytes waiting in a pipe (`FIONREAD`); 0 when they cannot be counted.
pub(super) fn pending_bytes(fd: RawFd) -> usize {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one int.
    if unsafe { libc::ioctl(fd, libc::FIONREAD, &mut n) } != 0 {
        return 0;
    }
    n.max(0) as usize
}

/// The runner's end, from its environment (`None`: no doorbell, the shard reads as frames
/// come).
fn runner_end() -> Option<&'static OwnedFd> {
    static END: OnceLock<Option<OwnedFd>> = OnceLock::new();
    END.get_or_init(|| {
        let fd: RawFd = std::env::var(DOORBELL_FD_ENV).ok()?.parse().ok()?;
        // SAFETY: the shard left this descriptor open in this process for the doorbell alone;
        // nothing else here uses it, and it is taken once.
        Some(unsafe { OwnedFd::from_raw_fd(fd) })
    })
    .as_ref()
}

/// Writes a frame the shard acts on at once (every frame but `Starting` and `Result`) and
/// rings the doorbell, if the shard gave this runner one.
pub(super) fn write_urgent_frame(out: &mut impl Write, msg: &FromRunner) -> std::io::Result<()> {
    write_frame(out, msg)?;
    ring();
    Ok(())
}

/// Rings this runner's doorbell. A full doorbell is already rung.
fn ring() {
    if let Some(fd) = runner_end() {
        // SAFETY: writing one byte from a local to a descriptor this process owns.
        unsafe { libc::write(fd.as_raw_fd(), [1u8].as_ptr().cast(), 1) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn a_doorbell_wakes_its_waiter_at_once_when_rung_and_reports_a_hang_up() {
        let mut bell = Doorbell::create().unwrap();
        let started = Instant::now();
        assert_eq!(bell.wait(Duration::from_millis(20)), Ring::Look);
        assert!(
            started.elapsed() >= Duration::from_millis(15),
            "unrung: the whole wait"
        );
        let write = bell.write.take().unwrap();
        for _ in 0..100 {
            // SAFETY: one byte to our own pipe.
            unsafe { libc::write(write.as_raw_fd(), [1u8].as_ptr().cast(), 1) };
        }
        let started = Instant::now();
        assert_eq!(bell.wait(Duration::from_secs(10)), Ring::Look);
        assert!(started.elapsed() < Duration::from_secs(5), "rung: at once");
        // Every ring was taken: the next wait sleeps again.
        let started = Instant::now();
        assert_eq!(bell.wait(Duration::from_millis(20)), Ring::Look);
        assert!(started.elapsed() >= Duration::from_millis(15));
        drop(write);
        assert_eq!(bell.wait(Duration::from_secs(10)), Ring::HungUp);
        assert_eq!(bell.wait(Duration::from_secs(10)), Ring::HungUp);
    }

    #[test]
    fn pending_bytes_counts_what_a_pipe_holds() {
        let bell = Doorbell::create().unwrap();
        let write = bell.child_end().unwrap();
        assert_eq!(pending_bytes(bell.read.as_raw_fd()), 0);
        // SAFETY: three bytes to our own pipe.
        unsafe { libc::write(write, b"abc".as_ptr().cast(), 3) };
        assert_eq!(pending_bytes(bell.read.as_raw_fd()), 3);
    }
}
