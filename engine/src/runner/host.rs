//! [`ProcessPlayerHost`]: players' isolates in supervised runner processes.
//!
//! Supervision: each runner runs its players one at a time and says which player it starts.
//! The runner enforces each player's CPU limit on the player's thread, and ends itself when
//! a player keeps burning CPU [`OVERRUN_GRACE`](super::process::OVERRUN_GRACE) past it in code
//! V8 cannot interrupt. A runner that dies (that exit, a signal, an abort, a broken pipe) or
//! runs one player past the wall-clock backstop (`wall_backstop(tickLimit)` plus
//! [`DEADLINE_MARGIN`]; generous, so a loaded host does not end honest players) is replaced;
//! the player it was running is reported `crashed` (the shard charges and eventually suspends
//! it), the others it hosted get no intents this tick and a global reset next tick. Starting isolates (a global reset) is
//! bounded separately by [`SETUP_TIMEOUT`] and never counts against a player's deadline.

use std::collections::BTreeMap;
use std::io::{BufReader, BufWriter};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use isoshard_player_api::{PlayerRuntimeOptions, PlayerTickOutput};
use isoshard_scripting::{ExternalCopy, OutcomeKind};
use isoshard_world::PlayerId;
use tracing::{error, warn};

use super::doorbell::{widen_frame_pipe, Doorbell, DOORBELL_FD_ENV};
use super::protocol::{
    read_frame, write_frame, FromRunner, RuntimeSettings, ToRunner, PROTOCOL_VERSION,
};
use super::relay::{InspectorRelay, RelayObserver, SharedStdin};
use crate::error::{EngineError, Result};
use crate::player_host::{PlayerHost, PlayerTurn};

/// Added to a player's wall-clock backstop before its runner is killed (the runner's own
/// wall limit ends the call first, with a result).
pub const DEADLINE_MARGIN: Duration = Duration::from_millis(250);
/// Longest a runner may stay silent outside a player's run (start-up, global resets).
pub const SETUP_TIMEOUT: Duration = Duration::from_secs(30);
/// How often the supervisor looks at `Starting` and `Result` frames while runners work, and
/// how often a local runner's reader thread reads them. They queue up without waking either
/// (a wake-up per player preempted a home thread on a machine with as many busy threads as
/// cores; `doorbell.rs`); a runner's `TickDone` or exit wakes both at once. A player's
/// deadline counts from when its `Starting` frame was read, so this delays enforcement by at
/// most twice this, never shortens it.
pub(super) const EVENT_POLL: Duration = Duration::from_millis(10);

/// A runner's frame or end of stream, tagged with the runner's pid and when it arrived.
pub(super) type Arrival = (u32, Instant, Event);

pub(super) enum Event {
    Frame(FromRunner),
    Closed(String),
}

pub(super) struct RunnerProc {
    pub(super) child: Child,
    /// Shared with relayed DevTools sessions, which write between the tick's frames.
    pub(super) stdin: SharedStdin,
    pub(super) pid: u32,
    /// Code version each player has on this runner.
    pub(super) code: BTreeMap<PlayerId, u64>,
}

/// Options for [`ProcessPlayerHost`].
#[derive(Debug, Clone)]
pub struct ProcessHostOptions {
    pub runners: usize,
    /// The `isoshard` executable to start as `isoshard runner`.
    pub executable: PathBuf,
    /// Run players on runner hosts through this Redis (`isoshard runner-host`): each runner
    /// is then a bridge process relaying to a lane of a host (`remote.rs`).
    pub remote: Option<String>,
    /// RLIMIT_DATA per runner, bytes. Off by default: V8 reserves a code range and heap
    /// ranges per isolate that count against it (with 8 GiB a runner failed at about 50
    /// isolates: "Failed to reserve virtual memory for CodeRange"); RLIMIT_AS breaks V8
    /// outright. Each isolate's own memory limit is what bounds real usage.
    pub data_limit: Option<u64>,
}

impl Default for ProcessHostOptions {
    fn default() -> Self {
        ProcessHostOptions {
            runners: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            executable: std::env::current_exe().unwrap_or_else(|_| PathBuf::from("isoshard")),
            remote: None,
            data_limit: None,
        }
    }
}

/// Players' isolates in runner processes.
pub struct ProcessPlayerHost {
    pub(super) runners: Vec<Option<RunnerProc>>,
    assignment: BTreeMap<PlayerId, usize>,
    options: ProcessHostOptions,
    hello: ToRunner,
    /// Every runner's frames, tagged with its pid (frames from replaced runners are ignored).
    events_tx: Sender<Arrival>,
    pub(super) events: Receiver<Arrival>,
    /// Rung by reader threads for what ends a runner's tick (or a runner).
    urgent_tx: SyncSender<()>,
    pub(super) urgent: Receiver<()>,
    /// Restarts so far (for metrics and tests).
    pub restarts: u64,
    /// Events that arrived while a runner was being started; collected before the inbox.
    pub(super) deferred: std::collections::VecDeque<Arrival>,
    /// Relayed DevTools sessions (idle unless the runtime options enable the inspector).
    pub(super) relay: Arc<InspectorRelay>,
    pub(super) observer: Option<RelayObserver>,
}

/// `EXECUTABLE ARGS` with piped stdin and stdout, that dies with this process (even after a
/// SIGKILL of it), dumps no core of hostile heaps, and has RLIMIT_DATA `data_limit`. A
/// `doorbell` write end is inherited by the child (and by no other), its number in
/// [`DOORBELL_FD_ENV`].
pub(crate) fn runner_command(
    executable: &Path,
    args: &[&str],
    data_limit: Option<u64>,
    doorbell: Option<RawFd>,
) -> Command {
    let mut cmd = Command::new(executable);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if let Some(fd) = doorbell {
        cmd.env(DOORBELL_FD_ENV, fd.to_string());
    }
    // SAFETY: only async-signal-safe calls (prctl, setrlimit, fcntl) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            if let Some(fd) = doorbell {
                // The child's copy of the descriptor only: the parent's stays close-on-exec.
                if libc::fcntl(fd, libc::F_SETFD, 0) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            let zero = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            libc::setrlimit(libc::RLIMIT_CORE, &zero);
            if let Some(limit) = data_limit {
                let l = libc::rlimit {
                    rlim_cur: limit,
                    rlim_max: limit,
                };
                libc::setrlimit(libc::RLIMIT_DATA, &l);
            }
            Ok(())
        });
    }
    cmd
}

/// The thread that reads runner `pid`'s frames into the shard's inbox: DevTools frames to
/// their sessions, the rest tagged and queued; it rings `urgent` for all but `Starting` and
/// `Result`. With a `doorbell` it waits on that, not on the frames (`doorbell.rs`).
fn spawn_reader(
    pid: u32,
    stdout: std::process::ChildStdout,
    mut doorbell: Option<Doorbell>,
    (tx, ring, relay): (Sender<Arrival>, SyncSender<()>, Arc<InspectorRelay>),
) -> Result<()> {
    let stdout_fd = stdout.as_raw_fd();
    if doorbell.is_some() {
        widen_frame_pipe(stdout_fd);
    }
    std::thread::Builder::new()
        .name(format!("runner-{pid}-reader"))
        .spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                // Frames already here are read at once; otherwise wait for a ring or
                // EVENT_POLL. After a hang-up, read to the end.
                if let Some(bell) = doorbell.as_mut() {
                    if !bell.ready_to_read(&r, stdout_fd, EVENT_POLL) {
                        continue;
                    }
                }
                let event = match read_frame::<FromRunner>(&mut r) {
                    // DevTools traffic is not the tick's: straight to its session.
                    Ok(Some(FromRunner::Inspector { session, message })) => {
                        relay.deliver(session, message);
                        continue;
                    }
                    Ok(Some(f)) => Event::Frame(f),
                    Ok(None) => Event::Closed("end of stream".into()),
                    Err(e) => Event::Closed(e.to_string()),
                };
                let routine = matches!(
                    event,
                    Event::Frame(FromRunner::Starting { .. } | FromRunner::Result { .. })
                );
                let closed = matches!(event, Event::Closed(_));
                if tx.send((pid, Instant::now(), event)).is_err() {
                    return;
                }
                if !routine {
                    // Full means a wake-up is already pending.
                    let _ = ring.try_send(());
                }
                if closed {
                    return;
                }
            }
        })
        .map_err(EngineError::io("starting a runner reader thread"))?;
    Ok(())
}

fn spawn_runner(
    options: &ProcessHostOptions,
    hello: &ToRunner,
    events: &Sender<Arrival>,
    inbox: &Receiver<Arrival>,
    urgent: &SyncSender<()>,
    deferred: &mut std::collections::VecDeque<Arrival>,
    relay: &Arc<InspectorRelay>,
) -> Result<RunnerProc> {
    // A bridge's frames come from Redis at its pace: it is read as they come.
    let mut doorbell = match &options.remote {
        Some(_) => None,
        None => Some(Doorbell::create().map_err(EngineError::io("creating a runner's doorbell"))?),
    };
    let mut cmd = match &options.remote {
        Some(url) => runner_command(
            &options.executable,
            &["runner-bridge", "--redis", url],
            options.data_limit,
            None,
        ),
        None => runner_command(
            &options.executable,
            &["runner"],
            options.data_limit,
            doorbell.as_ref().and_then(Doorbell::child_end),
        ),
    };
    let mut child = cmd.spawn().map_err(EngineError::io(format!(
        "cannot start runner {}",
        options.executable.display()
    )))?;
    if let Some(bell) = doorbell.as_mut() {
        bell.child_started();
    }
    let pid = child.id();
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| EngineError::Protocol("runner has no stdout".into()))?;
    let stdin = child
        .stdin
        .take()
        .ok_or_else(|| EngineError::Protocol("runner has no stdin".into()))?;
    let to = (events.clone(), urgent.clone(), relay.clone());
    spawn_reader(pid, stdout, doorbell, to)?;
    let mut proc = RunnerProc {
        child,
        stdin: Arc::new(parking_lot::Mutex::new(BufWriter::new(stdin))),
        pid,
        code: BTreeMap::new(),
    };
    write_frame(&mut *proc.stdin.lock(), hello)
        .map_err(|e| EngineError::Protocol(format!("runner {pid}: {e}")))?;
    let deadline = Instant::now() + SETUP_TIMEOUT;
    loop {
        match inbox.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            // Another runner's event (a runner that died meanwhile, a late frame): kept for
            // the tick's collection, which knows which runners are live. Dropping it froze a
            // tick on a runner whose end went unseen.
            Ok(arrival) if arrival.0 != pid => deferred.push_back(arrival),
            Ok((_, _, Event::Frame(FromRunner::Ready { version, .. })))
                if version == PROTOCOL_VERSION =>
            {
                return Ok(proc)
            }
            Ok((_, _, Event::Frame(FromRunner::Refused { reason }))) => {
                return Err(EngineError::Protocol(format!("runner refused: {reason}")))
            }
            _ => {
                let _ = proc.child.kill();
                let _ = proc.child.wait();
                return Err(EngineError::Protocol(format!(
                    "runner {pid} did not answer Hello within {SETUP_TIMEOUT:?}"
                )));
            }
        }
    }
}

pub(super) fn crash_output(message: String, crashed: bool) -> PlayerTickOutput {
    PlayerTickOutput {
        outcome: Some(OutcomeKind::Disposed),
        error: Some(message.clone()),
        console: vec![message],
        crashed,
        ..PlayerTickOutput::default()
    }
}

impl ProcessPlayerHost {
    /// Starts `options.runners` runner processes for a map.
    ///
    /// # Errors
    /// Runners that cannot be started.
    pub fn new(
        map: &ExternalCopy,
        runtime: &PlayerRuntimeOptions,
        options: ProcessHostOptions,
    ) -> Result<Self> {
        let hello = ToRunner::Hello {
            version: PROTOCOL_VERSION,
            map: map.wire_bytes().to_vec(),
            settings: RuntimeSettings {
                memory_limit_mb: runtime.memory_limit_mb,
                setup_cpu_ms: runtime.setup_cpu_limit.as_millis() as u64,
                preloads: runtime
                    .preloads
                    .iter()
                    .map(|p| (p.name.clone(), p.source.to_string()))
                    .collect(),
                lodash: runtime.lodash,
                inspector: runtime.inspector,
            },
        };
        let relay = Arc::new(InspectorRelay::default());
        let (events_tx, events) = channel();
        let (urgent_tx, urgent) = sync_channel(1);
        let mut runners = Vec::new();
        let mut deferred = std::collections::VecDeque::new();
        for index in 0..options.runners.max(1) {
            let runner = spawn_runner(
                &options,
                &hello,
                &events_tx,
                &events,
                &urgent_tx,
                &mut deferred,
                &relay,
            )?;
            relay.runner_started(index, runner.stdin.clone());
            runners.push(Some(runner));
        }
        Ok(ProcessPlayerHost {
            runners,
            assignment: BTreeMap::new(),
            options,
            hello,
            events_tx,
            events,
            urgent_tx,
            urgent,
            restarts: 0,
            deferred,
            relay,
            observer: None,
        })
    }

    /// Calls `observer` whenever a player's isolate (re)starts in a runner, with the relay
    /// that opens DevTools sessions on it. The runtime options given to [`Self::new`] must
    /// have `inspector` set.
    pub fn observe_starts(mut self, observer: RelayObserver) -> Self {
        self.observer = Some(observer);
        self
    }

    /// Runner process ids, by runner index (for tests and operators).
    pub fn runner_pids(&self) -> Vec<Option<u32>> {
        self.runners
            .iter()
            .map(|r| r.as_ref().map(|r| r.pid))
            .collect()
    }

    pub(super) fn runner_for(&mut self, player: PlayerId) -> usize {
        if let Some(i) = self.assignment.get(&player) {
            return *i;
        }
        let mut load = vec![0usize; self.runners.len()];
        for i in self.assignment.values() {
            load[*i] += 1;
        }
        let i = (0..load.len()).min_by_key(|i| (load[*i], *i)).unwrap_or(0);
        self.assignment.insert(player, i);
        self.relay.assign(player, i);
        i
    }

    /// Kills and reaps runner `index`; the next tick starts a replacement.
    pub(super) fn retire(&mut self, index: usize) {
        self.relay.runner_gone(index);
        if let Some(mut old) = self.runners[index].take() {
            let _ = old.child.kill();
            let _ = old.child.wait();
        }
    }

    pub(super) fn replace(&mut self, index: usize) {
        self.relay.runner_gone(index);
        if let Some(mut old) = self.runners[index].take() {
            let _ = old.child.kill();
            let _ = old.child.wait();
        }
        self.restarts += 1;
        warn!(
            runner = index,
            restarts = self.restarts,
            "runner process lost (crashed, hung or killed); replacing it"
        );
        match spawn_runner(
            &self.options,
            &self.hello,
            &self.events_tx,
            &self.events,
            &self.urgent_tx,
            &mut self.deferred,
            &self.relay,
        ) {
            Ok(r) => {
                self.relay.runner_started(index, r.stdin.clone());
                self.runners[index] = Some(r);
            }
            Err(e) => error!(error = %e, "cannot replace runner; retrying next tick"),
        }
    }
}

impl PlayerHost for ProcessPlayerHost {
    fn run_tick(&mut self, turns: Vec<PlayerTurn>) -> Vec<PlayerTickOutput> {
        self.supervise_tick(&turns)
    }

    fn reset(&mut self, player: PlayerId) {
        if let Some(r) = self.assignment.get(&player).copied() {
            if let Some(proc) = self.runners[r].as_mut() {
                proc.code.remove(&player);
                let _ = write_frame(
                    &mut *proc.stdin.lock(),
                    &ToRunner::Reset { player: player.0 },
                );
            }
        }
    }

    fn live_isolates(&self) -> usize {
        self.runners.iter().flatten().map(|r| r.code.len()).sum()
    }

    fn runner_pids(&self) -> Vec<u32> {
        self.runners.iter().flatten().map(|r| r.pid).collect()
    }
}

impl Drop for ProcessPlayerHost {
    fn drop(&mut self) {
        for r in self.runners.iter_mut().flatten() {
            let _ = write_frame(&mut *r.stdin.lock(), &ToRunner::Shutdown);
            let _ = r.child.wait();
        }
    }
}
