//! One tick on the supervising side: plan which runner runs which turn, send every runner its
//! frame at once, then collect `Starting` / `Result` / `TickDone` frames while enforcing each
//! running player's deadline. A runner that fails is retired; its turns get crash outputs.

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::sync::mpsc::TryRecvError;
use std::time::{Duration, Instant};

use isoshard_player_api::{wall_backstop, PlayerTickOutput};
use isoshard_world::PlayerId;
use tracing::warn;

use super::host::{
    crash_output, Arrival, Event, ProcessPlayerHost, RunnerProc, DEADLINE_MARGIN, EVENT_POLL,
    SETUP_TIMEOUT,
};
use super::process::{EXIT_CPU_OVERRUN, OVERRUN_GRACE};
use super::protocol::{write_frame, FromRunner, RoomBytes, ToRunner, WireOutput, WireTurn};
use crate::player_host::PlayerTurn;

/// Where one runner is in this tick.
struct RunnerWait {
    /// The player it said it started, and when that player's time is up.
    running: Option<(PlayerId, Instant)>,
    /// When a runner that starts no player counts as unresponsive.
    quiet_until: Instant,
}

impl RunnerWait {
    fn deadline(&self) -> Instant {
        self.running.map(|(_, d)| d).unwrap_or(self.quiet_until)
    }
}

/// One tick's bookkeeping, filled in as runners answer.
struct TickCollection {
    /// Output per turn (by index into the tick's turns); `None` until its runner answers.
    outputs: Vec<Option<PlayerTickOutput>>,
    /// Each runner's turns, as indices into the tick's turns.
    turns_of: BTreeMap<usize, Vec<usize>>,
    /// Turn index by player id.
    position: BTreeMap<u32, usize>,
    /// Each player's tickLimit, which its runner's deadline is built from.
    tick_limit: BTreeMap<u32, Duration>,
    /// Runners still working on this tick.
    waiting: BTreeMap<usize, RunnerWait>,
}

/// Why a runner stopped counting for this tick: `None` when it finished cleanly.
type Finished = (usize, Option<String>);

impl TickCollection {
    fn new(turns: &[PlayerTurn]) -> Self {
        TickCollection {
            outputs: (0..turns.len()).map(|_| None).collect(),
            turns_of: BTreeMap::new(),
            position: turns
                .iter()
                .enumerate()
                .map(|(i, t)| (t.player.0, i))
                .collect(),
            tick_limit: turns
                .iter()
                .map(|t| {
                    let ms = t.input.cpu.tick_limit().max(1) as u64;
                    (t.player.0, Duration::from_millis(ms))
                })
                .collect(),
            waiting: BTreeMap::new(),
        }
    }

    fn next_deadline(&self) -> Instant {
        self.waiting
            .values()
            .map(RunnerWait::deadline)
            .min()
            .unwrap_or_else(Instant::now)
    }

    /// Runners whose deadline passed at `now` and that have not finished otherwise.
    fn expired(&self, now: Instant, finished: &mut Vec<Finished>) {
        for (r, wait) in &self.waiting {
            if now < wait.deadline() || finished.iter().any(|(f, _)| f == r) {
                continue;
            }
            let why = match wait.running {
                Some((p, _)) => format!(
                    "player {} ran past the wall-clock backstop (4 × tickLimit + {} ms)",
                    p.0,
                    (Duration::from_secs(1) + DEADLINE_MARGIN).as_millis()
                ),
                None => "runner stopped responding".to_string(),
            };
            finished.push((*r, Some(why)));
        }
    }

    fn into_outputs(self) -> Vec<PlayerTickOutput> {
        self.outputs
            .into_iter()
            .map(|o| o.unwrap_or_else(|| crash_output("no result from runner".into(), false)))
            .collect()
    }
}

fn output_from_wire(output: WireOutput) -> PlayerTickOutput {
    PlayerTickOutput {
        outcome: output
            .outcome
            .as_deref()
            .and_then(|o| serde_json::from_value(serde_json::Value::String(o.to_string())).ok()),
        error: output.error,
        intents: output.intents,
        rejected_intents: output.rejected_intents,
        console: output.console,
        command_results: output.command_results,
        memory: output.memory,
        visuals: output.visuals,
        data: output.data,
        cpu_time: Duration::from_nanos(output.cpu_ns),
        wall_time: Duration::from_nanos(output.wall_ns),
        heap_used_bytes: output.heap_used_bytes,
        marshal_ns: output.marshal_ns,
        run_ns: output.run_ns,
        collect_ns: output.collect_ns,
        crashed: false,
    }
}

impl ProcessPlayerHost {
    pub(super) fn supervise_tick(&mut self, turns: &[PlayerTurn]) -> Vec<PlayerTickOutput> {
        let mut tick = TickCollection::new(turns);
        for (i, t) in turns.iter().enumerate() {
            let r = self.runner_for(t.player);
            tick.turns_of.entry(r).or_default().push(i);
        }
        for r in 0..self.runners.len() {
            if self.runners[r].is_none() {
                self.replace(r);
            }
        }
        let frames = self.build_frames(turns, &mut tick);
        self.send_frames(frames);
        let started = Instant::now();
        for wait in tick.waiting.values_mut() {
            wait.quiet_until = started + SETUP_TIMEOUT;
        }
        self.collect(turns, &mut tick);
        tick.into_outputs()
    }

    /// Each runner's `Tick` frame: its turns and the rooms they see, each room once.
    fn build_frames(
        &mut self,
        turns: &[PlayerTurn],
        tick: &mut TickCollection,
    ) -> BTreeMap<usize, ToRunner> {
        let mut frames = BTreeMap::new();
        for (r, idxs) in &tick.turns_of {
            let Some(proc) = self.runners[*r].as_mut() else {
                for i in idxs {
                    tick.outputs[*i] = Some(crash_output(
                        "no runner available; retrying next tick".into(),
                        false,
                    ));
                }
                continue;
            };
            let mut rooms: BTreeMap<String, Vec<u8>> = BTreeMap::new();
            let mut wire = Vec::new();
            for t in idxs.iter().map(|i| &turns[*i]) {
                for (name, copy) in t.room_names.iter().zip(&t.input.rooms) {
                    rooms
                        .entry(name.clone())
                        .or_insert_with(|| copy.wire_bytes().to_vec());
                }
                let fresh = proc.code.get(&t.player) != Some(&t.code_version);
                if fresh {
                    // A global reset: the player's isolate is new, DevTools targets follow.
                    if let Some(observe) = &self.observer {
                        observe(&t.username, t.player, &self.relay);
                    }
                }
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
                    segments: t
                        .input
                        .segments
                        .iter()
                        .map(|(id, text)| (*id, text.to_string()))
                        .collect(),
                    foreign_segment: t.input.foreign_segment.clone(),
                    inter_shard: t.input.inter_shard.to_string(),
                    flags: t.input.flags.to_string(),
                    gcl: t.input.gcl,
                    market: t.input.market.to_string(),
                    resources: t.input.resources.to_string(),
                    commands: t.input.commands.clone(),
                });
                proc.code.insert(t.player, t.code_version);
            }
            let frame = ToRunner::Tick {
                tick: turns[idxs[0]].input.tick,
                rooms: rooms
                    .into_iter()
                    .map(|(name, bytes)| RoomBytes { name, bytes })
                    .collect(),
                market_book: (*turns[idxs[0]].input.market_book).clone(),
                turns: wire,
            };
            frames.insert(*r, frame);
            let wait = RunnerWait {
                running: None,
                quiet_until: Instant::now() + SETUP_TIMEOUT,
            };
            tick.waiting.insert(*r, wait);
        }
        frames
    }

    /// Writes every runner's frame at once. A frame is megabytes at a few hundred players and
    /// a pipe holds 64 KiB: written one after another, the last runner would start only once
    /// the others had read theirs.
    fn send_frames(&mut self, mut frames: BTreeMap<usize, ToRunner>) {
        let mut sends: Vec<(&mut RunnerProc, ToRunner)> = self
            .runners
            .iter_mut()
            .enumerate()
            .filter_map(|(r, p)| Some((p.as_mut()?, frames.remove(&r)?)))
            .collect();
        let send = |proc: &mut RunnerProc, frame: &ToRunner| {
            if let Err(e) = write_frame(&mut *proc.stdin.lock(), frame) {
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
    }

    /// Collects from every runner at once (each works in parallel) until all have finished
    /// or failed.
    fn collect(&mut self, turns: &[PlayerTurn], tick: &mut TickCollection) {
        while !tick.waiting.is_empty() {
            let mut finished: Vec<Finished> = Vec::new();
            let next = match self.deferred.pop_front() {
                Some(arrival) => Ok(arrival),
                None => self.events.try_recv(),
            };
            match next {
                Ok(arrival) => self.on_arrival(tick, arrival, &mut finished),
                Err(TryRecvError::Disconnected) => break,
                Err(TryRecvError::Empty) => {
                    let wait = tick
                        .next_deadline()
                        .saturating_duration_since(Instant::now())
                        .min(EVENT_POLL);
                    // Woken early only by a TickDone or a runner's end (see EVENT_POLL).
                    let _ = self.urgent.recv_timeout(wait);
                }
            }
            tick.expired(Instant::now(), &mut finished);
            for (r, failure) in finished {
                self.settle(turns, tick, r, failure);
            }
        }
    }

    fn pid_of(&self, r: usize) -> Option<u32> {
        self.runners[r].as_ref().map(|p| p.pid)
    }

    fn on_arrival(
        &mut self,
        tick: &mut TickCollection,
        (pid, arrived, event): Arrival,
        finished: &mut Vec<Finished>,
    ) {
        let Some(r) = tick
            .waiting
            .keys()
            .copied()
            .find(|r| self.pid_of(*r) == Some(pid))
        else {
            // A runner that already finished this tick died: the next tick starts a new one
            // (its end of stream will not be reported again).
            if matches!(event, Event::Closed(_)) {
                if let Some(r) = (0..self.runners.len()).find(|r| self.pid_of(*r) == Some(pid)) {
                    warn!(
                        runner = pid,
                        "runner exited between ticks; replacing it next tick"
                    );
                    self.retire(r);
                }
            }
            return;
        };
        let Some(wait) = tick.waiting.get_mut(&r) else {
            return;
        };
        match event {
            Event::Frame(FromRunner::Starting { player }) => {
                let limit = tick
                    .tick_limit
                    .get(&player)
                    .copied()
                    .unwrap_or(Duration::from_millis(500));
                // A backstop only: the runner enforces the CPU limit itself and ends itself on
                // an overrun (EXIT_CPU_OVERRUN), so wall time here is for a hung runner.
                let backstop = wall_backstop(limit) + DEADLINE_MARGIN;
                wait.running = Some((PlayerId(player), arrived + backstop));
            }
            Event::Frame(FromRunner::Result { player, output }) => {
                wait.running = None;
                wait.quiet_until = arrived + SETUP_TIMEOUT;
                if let Some(i) = tick.position.get(&player).copied() {
                    tick.outputs[i] = Some(output_from_wire(output));
                }
            }
            Event::Frame(FromRunner::TickDone) => finished.push((r, None)),
            Event::Frame(other) => finished.push((r, Some(format!("unexpected frame {other:?}")))),
            Event::Closed(why) => {
                let status = self.runners[r].as_mut().and_then(|p| p.child.wait().ok());
                if status.and_then(|s| s.signal()) == Some(libc::SIGKILL) {
                    // Killed from outside (an operator, the OOM killer): not something the
                    // running player's code did.
                    wait.running = None;
                }
                let why = if status.and_then(|s| s.code()) == Some(EXIT_CPU_OVERRUN) {
                    format!(
                        "ran {} ms of CPU past its limit in code that cannot be interrupted",
                        OVERRUN_GRACE.as_millis()
                    )
                } else if let Some(sig) = status.and_then(|s| s.signal()) {
                    // V8's fatal errors (out of memory past the bounded raise, a failed check)
                    // end the process with SIGTRAP or SIGABRT.
                    format!("runner killed by signal {sig} ({})", signal_name(sig))
                } else {
                    format!("runner exited ({why}; {status:?})")
                };
                finished.push((r, Some(why)))
            }
        }
    }

    /// Takes runner `r` out of this tick; on failure, crash outputs for its unanswered turns
    /// (the player it was running is the culprit) and the runner is retired.
    fn settle(
        &mut self,
        turns: &[PlayerTurn],
        tick: &mut TickCollection,
        r: usize,
        failure: Option<String>,
    ) {
        let Some(wait) = tick.waiting.remove(&r) else {
            return;
        };
        let Some(why) = failure else {
            return;
        };
        let pid = self.pid_of(r).unwrap_or(0);
        let culprit = wait.running.map(|(p, _)| p);
        warn!(runner = pid, culprit = ?culprit.map(|p| p.0), %why, "runner lost; replacing it");
        for i in tick.turns_of.get(&r).into_iter().flatten() {
            if tick.outputs[*i].is_some() {
                continue;
            }
            tick.outputs[*i] = Some(if culprit == Some(turns[*i].player) {
                crash_output(
                    format!(
                        "your code took down its runner process: {why}; global reset next tick"
                    ),
                    true,
                )
            } else {
                crash_output(
                    "the runner hosting your code was restarted; no intents this tick, global reset next tick".into(),
                    false,
                )
            });
        }
        // Started at the next tick: spawning now would wait for the new runner's Ready while
        // other runners' frames for this tick arrive, and drop them.
        self.retire(r);
    }
}

/// The conventional name of the signals a runner dies of.
fn signal_name(sig: i32) -> &'static str {
    match sig {
        libc::SIGTRAP => "SIGTRAP, a V8 fatal error",
        libc::SIGABRT => "SIGABRT, an abort",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGBUS => "SIGBUS",
        libc::SIGILL => "SIGILL",
        libc::SIGKILL => "SIGKILL, killed from outside",
        _ => "another signal",
    }
}
