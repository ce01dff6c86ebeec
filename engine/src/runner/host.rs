//! [`ProcessPlayerHost`]: players' isolates in supervised runner processes.
//!
//! Supervision: each runner runs its players one at a time and says which player it starts.
//! A runner that dies (signal, abort, broken pipe) or runs one player past that player's
//! tickLimit plus [`DEADLINE_MARGIN`] is killed and replaced; the player it was running is
//! reported `crashed` (the shard charges and eventually suspends it), the others it hosted get
//! no intents this tick and a global reset next tick. Starting isolates (a global reset) is
//! bounded separately by [`SETUP_TIMEOUT`] and never counts against a player's deadline.

use std::collections::BTreeMap;
use std::io::{BufReader, BufWriter};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender, TryRecvError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use isoshard_player_api::{PlayerRuntimeOptions, PlayerTickOutput, TickShared};
use isoshard_scripting::{ExternalCopy, OutcomeKind};
use isoshard_world::{PathGrid, PlayerId};
use tracing::{error, warn};

use super::protocol::{
    read_frame, write_frame, FromRunner, GridUpdate, RuntimeSettings, ToRunner, WireTurn,
    PROTOCOL_VERSION,
};
use crate::error::{EngineError, Result};
use crate::player_host::{PlayerHost, PlayerTurn};

/// Added to a player's tickLimit before its runner is killed.
pub const DEADLINE_MARGIN: Duration = Duration::from_millis(250);
/// Longest a runner may stay silent outside a player's run (start-up, global resets).
pub const SETUP_TIMEOUT: Duration = Duration::from_secs(30);
/// How often the supervisor looks at `Starting` and `Result` frames while runners work. They
/// queue up without waking it (a wake-up per player preempted a home thread on a machine with
/// as many busy threads as cores); a runner's `TickDone` or exit wakes it at once. A player's
/// deadline counts from when its `Starting` frame arrived, so this delays enforcement by at
/// most this much, never shortens it.
const EVENT_POLL: Duration = Duration::from_millis(10);

/// A runner's frame or end of stream, tagged with the runner's pid and when it arrived.
type Arrival = (u32, Instant, Event);

enum Event {
    Frame(FromRunner),
    Closed(String),
}

struct RunnerProc {
    child: Child,
    stdin: BufWriter<ChildStdin>,
    pid: u32,
    /// Code version each player has on this runner.
    code: BTreeMap<PlayerId, u64>,
    /// The path grid this runner holds (what the next update is relative to).
    grid: Option<Arc<PathGrid>>,
}

impl RunnerProc {
    /// What brings this runner's grid to `current`.
    fn grid_update(&mut self, current: &Arc<PathGrid>) -> GridUpdate {
        let update = match &self.grid {
            Some(held) if Arc::ptr_eq(held, current) => GridUpdate::Rooms(Vec::new()),
            Some(held) => GridUpdate::Rooms(current.changed_rooms(held)),
            None => GridUpdate::Full(rmp_serde::to_vec(&**current).unwrap_or_default()),
        };
        self.grid = Some(current.clone());
        update
    }
}

/// Options for [`ProcessPlayerHost`].
#[derive(Debug, Clone)]
pub struct ProcessHostOptions {
    pub runners: usize,
    /// The `isoshard` executable to start as `isoshard runner`.
    pub executable: PathBuf,
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
            data_limit: None,
        }
    }
}

/// Players' isolates in runner processes.
pub struct ProcessPlayerHost {
    runners: Vec<Option<RunnerProc>>,
    assignment: BTreeMap<PlayerId, usize>,
    options: ProcessHostOptions,
    hello: ToRunner,
    shared: Arc<TickShared>,
    /// Every runner's frames, tagged with its pid (frames from replaced runners are ignored).
    events_tx: Sender<Arrival>,
    events: Receiver<Arrival>,
    /// Rung by reader threads for what ends a runner's tick (or a runner).
    urgent_tx: SyncSender<()>,
    urgent: Receiver<()>,
    /// Restarts so far (for metrics and tests).
    pub restarts: u64,
}

fn spawn_runner(
    options: &ProcessHostOptions,
    hello: &ToRunner,
    events: &Sender<Arrival>,
    inbox: &Receiver<Arrival>,
    urgent: &SyncSender<()>,
) -> Result<RunnerProc> {
    let mut cmd = Command::new(&options.executable);
    cmd.arg("runner")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let data_limit = options.data_limit;
    // SAFETY: only async-signal-safe calls (prctl, setrlimit, getppid) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            // Die with the shard, even after a SIGKILL of the shard.
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            // No core dumps of hostile heaps.
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
    let mut child = cmd.spawn().map_err(|e| {
        EngineError::Usage(format!(
            "cannot start runner {}: {e}",
            options.executable.display()
        ))
    })?;
    let pid = child.id();
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| EngineError::Usage("runner has no stdout".into()))?;
    let stdin = child
        .stdin
        .take()
        .ok_or_else(|| EngineError::Usage("runner has no stdin".into()))?;
    let tx = events.clone();
    let ring = urgent.clone();
    std::thread::Builder::new()
        .name(format!("runner-{pid}-reader"))
        .spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let event = match read_frame::<FromRunner>(&mut r) {
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
        .map_err(|e| EngineError::Usage(e.to_string()))?;
    let mut proc = RunnerProc {
        child,
        stdin: BufWriter::new(stdin),
        pid,
        code: BTreeMap::new(),
        grid: None,
    };
    write_frame(&mut proc.stdin, hello)
        .map_err(|e| EngineError::Usage(format!("runner {pid}: {e}")))?;
    let deadline = Instant::now() + SETUP_TIMEOUT;
    loop {
        match inbox.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            // Leftovers from runners that are gone.
            Ok((from, _, _)) if from != pid => continue,
            Ok((_, _, Event::Frame(FromRunner::Ready { version, .. })))
                if version == PROTOCOL_VERSION =>
            {
                return Ok(proc)
            }
            Ok((_, _, Event::Frame(FromRunner::Refused { reason }))) => {
                return Err(EngineError::Usage(format!("runner refused: {reason}")))
            }
            _ => {
                let _ = proc.child.kill();
                let _ = proc.child.wait();
                return Err(EngineError::Usage(format!("runner {pid} did not start")));
            }
        }
    }
}

fn crash_output(message: String, crashed: bool) -> PlayerTickOutput {
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
        shared: Arc<TickShared>,
        map: &ExternalCopy,
        room_names: Vec<String>,
        runtime: &PlayerRuntimeOptions,
        options: ProcessHostOptions,
    ) -> Result<Self> {
        let hello = ToRunner::Hello {
            version: PROTOCOL_VERSION,
            map: map.wire_bytes().to_vec(),
            room_names,
            settings: RuntimeSettings {
                memory_limit_mb: runtime.memory_limit_mb,
                setup_cpu_ms: runtime.setup_cpu_limit.as_millis() as u64,
                preloads: runtime
                    .preloads
                    .iter()
                    .map(|p| (p.name.clone(), p.source.to_string()))
                    .collect(),
            },
        };
        let (events_tx, events) = channel();
        let (urgent_tx, urgent) = sync_channel(1);
        let mut runners = Vec::new();
        for _ in 0..options.runners.max(1) {
            runners.push(Some(spawn_runner(
                &options, &hello, &events_tx, &events, &urgent_tx,
            )?));
        }
        Ok(ProcessPlayerHost {
            runners,
            assignment: BTreeMap::new(),
            options,
            hello,
            shared,
            events_tx,
            events,
            urgent_tx,
            urgent,
            restarts: 0,
        })
    }

    /// Runner process ids, by runner index (for tests and operators).
    pub fn runner_pids(&self) -> Vec<Option<u32>> {
        self.runners
            .iter()
            .map(|r| r.as_ref().map(|r| r.pid))
            .collect()
    }

    fn runner_for(&mut self, player: PlayerId) -> usize {
        if let Some(i) = self.assignment.get(&player) {
            return *i;
        }
        let mut load = vec![0usize; self.runners.len()];
        for i in self.assignment.values() {
            load[*i] += 1;
        }
        let i = (0..load.len()).min_by_key(|i| (load[*i], *i)).unwrap_or(0);
        self.assignment.insert(player, i);
        i
    }

    /// Kills and reaps runner `index`; the next tick starts a replacement.
    fn retire(&mut self, index: usize) {
        if let Some(mut old) = self.runners[index].take() {
            let _ = old.child.kill();
            let _ = old.child.wait();
        }
    }

    fn replace(&mut self, index: usize) {
        if let Some(mut old) = self.runners[index].take() {
            let _ = old.child.kill();
            let _ = old.child.wait();
        }
        self.restarts += 1;
        match spawn_runner(
            &self.options,
            &self.hello,
            &self.events_tx,
            &self.events,
            &self.urgent_tx,
        ) {
            Ok(r) => self.runners[index] = Some(r),
            Err(e) => error!(error = %e, "cannot replace runner; retrying next tick"),
        }
    }
}

impl PlayerHost for ProcessPlayerHost {
    fn run_tick(&mut self, turns: Vec<PlayerTurn>) -> Vec<PlayerTickOutput> {
        let mut outputs: Vec<Option<PlayerTickOutput>> = (0..turns.len()).map(|_| None).collect();
        let grid = self.shared.grid();
        // Per runner: its turns (indices) and the rooms they see, each once.
        let mut per: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, t) in turns.iter().enumerate() {
            let r = self.runner_for(t.player);
            per.entry(r).or_default().push(i);
        }
        for r in 0..self.runners.len() {
            if self.runners[r].is_none() {
                self.replace(r);
            }
        }
        let mut limits: BTreeMap<u32, Duration> = BTreeMap::new();
        let mut active: BTreeMap<usize, (Option<(PlayerId, Instant)>, Instant)> = BTreeMap::new();
        let mut frames: BTreeMap<usize, ToRunner> = BTreeMap::new();
        for (r, idxs) in &per {
            let Some(proc) = self.runners[*r].as_mut() else {
                for i in idxs {
                    outputs[*i] = Some(crash_output(
                        "no runner available; retrying next tick".into(),
                        false,
                    ));
                }
                continue;
            };
            let mut rooms: BTreeMap<String, Vec<u8>> = BTreeMap::new();
            let mut wire = Vec::new();
            for i in idxs {
                let t = &turns[*i];
                for (name, copy) in t.room_names.iter().zip(&t.input.rooms) {
                    rooms
                        .entry(name.clone())
                        .or_insert_with(|| copy.wire_bytes().to_vec());
                }
                let fresh = proc.code.get(&t.player) != Some(&t.code_version);
                limits.insert(
                    t.player.0,
                    Duration::from_millis(t.input.cpu.tick_limit().max(1) as u64),
                );
                wire.push(WireTurn {
                    player: t.player.0,
                    username: t.username.clone(),
                    code_version: t.code_version,
                    code: fresh.then(|| (t.code.modules.clone(), (*t.memory).clone())),
                    tick: t.input.tick,
                    cpu_limit: t.input.cpu.limit,
                    bucket: t.input.cpu.bucket,
                    seed: t.input.seed,
                    rooms: t.room_names.clone(),
                });
                proc.code.insert(t.player, t.code_version);
            }
            let frame = ToRunner::Tick {
                tick: turns[idxs[0]].input.tick,
                rooms: rooms
                    .into_iter()
                    .map(|(name, bytes)| super::protocol::RoomBytes { name, bytes })
                    .collect(),
                grid: match &grid {
                    Some(g) => proc.grid_update(g),
                    None => GridUpdate::Rooms(Vec::new()),
                },
                turns: wire,
            };
            frames.insert(*r, frame);
            active.insert(*r, (None, Instant::now() + SETUP_TIMEOUT));
        }
        // A frame is megabytes at a few hundred players and a pipe holds 64 KiB: written one
        // after another, the last runner would start only once the others had read theirs.
        let mut sends: Vec<(&mut RunnerProc, ToRunner)> = self
            .runners
            .iter_mut()
            .enumerate()
            .filter_map(|(r, p)| Some((p.as_mut()?, frames.remove(&r)?)))
            .collect();
        let send = |proc: &mut RunnerProc, frame: &ToRunner| {
            if let Err(e) = write_frame(&mut proc.stdin, frame) {
                warn!(runner = proc.pid, error = %e, "runner pipe broken");
            }
        };
        match sends.as_mut_slice() {
            [(proc, frame)] => send(proc, frame),
            many => std::thread::scope(|s| {
                for (proc, frame) in many.iter_mut() {
                    s.spawn(|| send(proc, frame));
                }
            }),
        }
        let started = Instant::now();
        for (_, quiet) in active.values_mut() {
            *quiet = started + SETUP_TIMEOUT;
        }
        // Collect from every runner at once; each works in parallel.
        let positions: BTreeMap<u32, usize> = turns
            .iter()
            .enumerate()
            .map(|(i, t)| (t.player.0, i))
            .collect();
        let index_of = |p: u32| positions.get(&p).copied();
        while !active.is_empty() {
            let pid_of =
                |runners: &Vec<Option<RunnerProc>>, r: usize| runners[r].as_ref().map(|p| p.pid);
            let next_deadline = active
                .values()
                .map(|(f, q)| f.map(|(_, d)| d).unwrap_or(*q))
                .min()
                .unwrap_or_else(Instant::now);
            let mut finished: Vec<(usize, Option<String>)> = Vec::new();
            let received = match self.events.try_recv() {
                Ok(arrival) => Some(arrival),
                Err(TryRecvError::Disconnected) => break,
                Err(TryRecvError::Empty) => {
                    let wait = next_deadline
                        .saturating_duration_since(Instant::now())
                        .min(EVENT_POLL);
                    // Woken early only by a TickDone or a runner's end (see EVENT_POLL).
                    let _ = self.urgent.recv_timeout(wait);
                    None
                }
            };
            if let Some((pid, arrived, event)) = received {
                let Some(r) = active
                    .keys()
                    .copied()
                    .find(|r| pid_of(&self.runners, *r) == Some(pid))
                else {
                    // A runner that already finished this tick died: the next tick starts a
                    // new one (its end of stream will not be reported again).
                    if matches!(event, Event::Closed(_)) {
                        if let Some(r) =
                            (0..self.runners.len()).find(|r| pid_of(&self.runners, *r) == Some(pid))
                        {
                            warn!(
                                runner = pid,
                                "runner exited between ticks; replacing it next tick"
                            );
                            self.retire(r);
                        }
                    }
                    continue;
                };
                let Some((in_flight, quiet)) = active.get_mut(&r) else {
                    continue;
                };
                match event {
                    Event::Frame(FromRunner::Starting { player }) => {
                        let limit = limits
                            .get(&player)
                            .copied()
                            .unwrap_or(Duration::from_millis(500));
                        *in_flight = Some((PlayerId(player), arrived + limit + DEADLINE_MARGIN));
                    }
                    Event::Frame(FromRunner::Result { player, output }) => {
                        *in_flight = None;
                        *quiet = arrived + SETUP_TIMEOUT;
                        if let Some(i) = index_of(player) {
                            outputs[i] = Some(PlayerTickOutput {
                                outcome: output.outcome.as_deref().and_then(|o| {
                                    serde_json::from_value(serde_json::Value::String(o.to_string()))
                                        .ok()
                                }),
                                error: output.error,
                                intents: output.intents,
                                rejected_intents: output.rejected_intents,
                                console: output.console,
                                memory: output.memory,
                                cpu_time: Duration::from_nanos(output.cpu_ns),
                                wall_time: Duration::from_nanos(output.wall_ns),
                                heap_used_bytes: output.heap_used_bytes,
                                marshal_ns: output.marshal_ns,
                                run_ns: output.run_ns,
                                collect_ns: output.collect_ns,
                                crashed: false,
                            });
                        }
                    }
                    Event::Frame(FromRunner::TickDone) => finished.push((r, None)),
                    Event::Frame(other) => {
                        finished.push((r, Some(format!("unexpected frame {other:?}"))))
                    }
                    Event::Closed(why) => {
                        let status = self.runners[r].as_mut().and_then(|p| p.child.wait().ok());
                        if status.and_then(|s| s.signal()) == Some(libc::SIGKILL) {
                            // Killed from outside (an operator, the OOM killer): not
                            // something the running player's code did.
                            if let Some((in_flight, _)) = active.get_mut(&r) {
                                *in_flight = None;
                            }
                        }
                        finished.push((r, Some(format!("runner exited ({why}; {status:?})"))))
                    }
                }
            }
            let now = Instant::now();
            for (r, (in_flight, quiet)) in &active {
                let deadline = in_flight.map(|(_, d)| d).unwrap_or(*quiet);
                if now >= deadline && !finished.iter().any(|(f, _)| f == r) {
                    let why = match in_flight {
                        Some((p, _)) => format!(
                            "player {} ran past its tickLimit + {} ms",
                            p.0,
                            DEADLINE_MARGIN.as_millis()
                        ),
                        None => "runner stopped responding".to_string(),
                    };
                    finished.push((*r, Some(why)));
                }
            }
            for (r, failure) in finished {
                let Some((in_flight, _)) = active.remove(&r) else {
                    continue;
                };
                if let Some(why) = failure {
                    let pid = self.runners[r].as_ref().map(|p| p.pid).unwrap_or(0);
                    warn!(runner = pid, culprit = ?in_flight.map(|c| c.0 .0), %why, "runner lost; replacing it");
                    for i in per.get(&r).into_iter().flatten() {
                        if outputs[*i].is_some() {
                            continue;
                        }
                        let culprit = in_flight.is_some_and(|(p, _)| p == turns[*i].player);
                        outputs[*i] = Some(if culprit {
                            crash_output(format!("your code took down its runner process: {why}; global reset next tick"), true)
                        } else {
                            crash_output("the runner hosting your code was restarted; no intents this tick, global reset next tick".into(), false)
                        });
                    }
                    // Started at the next tick: spawning now would wait for the new runner's
                    // Ready while other runners' frames for this tick arrive, and drop them.
                    self.retire(r);
                }
            }
        }
        outputs
            .into_iter()
            .map(|o| o.unwrap_or_else(|| crash_output("no result from runner".into(), false)))
            .collect()
    }

    fn reset(&mut self, player: PlayerId) {
        if let Some(r) = self.assignment.get(&player).copied() {
            if let Some(proc) = self.runners[r].as_mut() {
                proc.code.remove(&player);
                let _ = write_frame(&mut proc.stdin, &ToRunner::Reset { player: player.0 });
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
            let _ = write_frame(&mut r.stdin, &ToRunner::Shutdown);
            let _ = r.child.wait();
        }
    }
}
