//! Where players' code runs. [`PlayerHost`] is the seam between the tick loop and isolation:
//! [`ThreadPlayerHost`] keeps every isolate in this process on the scripting crate's home
//! threads; a process-isolated host (runners) implements the same trait.

use std::collections::BTreeMap;
use std::sync::Arc;

use isoshard_player_api::{
    PlayerRuntime, PlayerRuntimeOptions, PlayerSetup, PlayerTickInput, PlayerTickOutput,
};
use isoshard_scripting::{CallBatch, ExternalCopy, Isolate, OutcomeKind};
use isoshard_world::PlayerId;
use tracing::{debug, info_span, warn};

use crate::code_bundle::CodeBundle;

/// One player's turn this tick.
#[derive(Debug, Clone)]
pub struct PlayerTurn {
    pub player: PlayerId,
    pub username: String,
    pub code: Arc<CodeBundle>,
    /// Changes when the code changes; a new version means a global reset.
    pub code_version: u64,
    /// The stored Memory string (installed at a global reset).
    pub memory: Arc<String>,
    /// Names of `input.rooms`, in the same order.
    pub room_names: Vec<String>,
    pub input: PlayerTickInput,
}

/// Runs players' ticks.
pub trait PlayerHost: Send {
    /// Runs every turn (in parallel where the host can); returns one output per turn, in order.
    fn run_tick(&mut self, turns: Vec<PlayerTurn>) -> Vec<PlayerTickOutput>;
    /// Drops a player's isolate: the next turn starts from a global reset.
    fn reset(&mut self, player: PlayerId);
    /// Isolates alive.
    fn live_isolates(&self) -> usize;
    /// Process ids of runner processes (empty for in-process hosts).
    fn runner_pids(&self) -> Vec<u32> {
        Vec::new()
    }
}

struct Slot {
    runtime: PlayerRuntime,
    code_version: u64,
}

/// Told about every player runtime that starts: (username, its isolate).
pub type RuntimeObserver = Arc<dyn Fn(&str, &Isolate) + Send + Sync>;

/// All isolates in this process, spread over the scripting crate's home threads.
pub struct ThreadPlayerHost {
    slots: BTreeMap<PlayerId, Slot>,
    map: ExternalCopy,
    options: PlayerRuntimeOptions,
    observer: Option<RuntimeObserver>,
}

impl ThreadPlayerHost {
    /// A host for a map described by `map` (terrain and exits, see [`PlayerSetup::map`]).
    pub fn new(map: ExternalCopy, options: PlayerRuntimeOptions) -> Self {
        ThreadPlayerHost {
            slots: BTreeMap::new(),
            map,
            options,
            observer: None,
        }
    }

    /// Calls `observer` after each runtime starts (e.g. to offer it to DevTools).
    pub fn observe_starts(mut self, observer: RuntimeObserver) -> Self {
        self.observer = Some(observer);
        self
    }

    /// Makes sure `turn.player` has a live runtime on its current code; `Err` carries the
    /// output to report when setup fails.
    fn ensure(&mut self, turn: &PlayerTurn) -> Result<(), PlayerTickOutput> {
        let fresh = matches!(self.slots.get(&turn.player), Some(s) if s.code_version == turn.code_version && !s.runtime.is_disposed());
        if fresh {
            return Ok(());
        }
        if let Some(old) = self.slots.remove(&turn.player) {
            old.runtime.dispose();
        }
        let _span = info_span!("global_reset", player = turn.player.0).entered();
        tracing::info!(
            player = turn.player.0,
            code_version = turn.code_version,
            "global reset"
        );
        let setup = PlayerSetup {
            username: turn.username.clone(),
            modules: turn.code.modules.clone(),
            memory: (*turn.memory).clone(),
            map: self.map.clone(),
        };
        match PlayerRuntime::start(setup, &self.options) {
            Ok(runtime) => {
                if let Some(observe) = &self.observer {
                    observe(&turn.username, runtime.isolate());
                }
                self.slots.insert(
                    turn.player,
                    Slot {
                        runtime,
                        code_version: turn.code_version,
                    },
                );
                Ok(())
            }
            Err(e) => {
                warn!(player = turn.player.0, error = %e, "global reset failed");
                Err(PlayerTickOutput {
                    outcome: Some(OutcomeKind::Exception),
                    error: Some(format!("global reset failed: {e}")),
                    console: vec![format!("global reset failed: {e}")],
                    ..PlayerTickOutput::default()
                })
            }
        }
    }
}

impl PlayerHost for ThreadPlayerHost {
    fn run_tick(&mut self, turns: Vec<PlayerTurn>) -> Vec<PlayerTickOutput> {
        let mut early: BTreeMap<usize, PlayerTickOutput> = BTreeMap::new();
        for (i, turn) in turns.iter().enumerate() {
            if let Err(out) = self.ensure(turn) {
                early.insert(i, out);
            }
        }
        // Every call is queued on its isolate's home thread before any is waited for, so
        // players on different home threads run in parallel, and this thread is woken once,
        // when the last one is done (not once per player, which on a machine with as many
        // home threads as cores preempts a home thread each time).
        let mut batch: CallBatch<PlayerTickOutput> = CallBatch::new();
        let mut queued: Vec<usize> = Vec::with_capacity(turns.len());
        for (i, turn) in turns.iter().enumerate() {
            if early.contains_key(&i) {
                continue;
            }
            let span = info_span!("player", id = turn.player.0);
            let runtime = &self.slots[&turn.player].runtime;
            let then = {
                let span = span.clone();
                move |o: PlayerTickOutput| {
                    let _span = span.enter();
                    debug!(outcome = ?o.outcome, cpu_us = o.cpu_time.as_micros() as u64, "turn ended");
                    o
                }
            };
            match runtime.queue_tick(&turn.input, &mut batch, || {}, then) {
                Ok(_) => queued.push(i),
                Err(e) => {
                    early.insert(
                        i,
                        PlayerTickOutput {
                            outcome: Some(OutcomeKind::Exception),
                            error: Some(e.to_string()),
                            ..PlayerTickOutput::default()
                        },
                    );
                }
            }
        }
        let ran = batch.wait();
        let mut out: Vec<Option<PlayerTickOutput>> = (0..turns.len()).map(|_| None).collect();
        for (i, o) in early {
            out[i] = Some(o);
        }
        for (i, o) in queued.into_iter().zip(ran) {
            out[i] = Some(o);
        }
        let outputs: Vec<PlayerTickOutput> =
            out.into_iter().map(Option::unwrap_or_default).collect();
        // A memory-limit kill disposes the isolate; the next turn resets it.
        for (turn, o) in turns.iter().zip(&outputs) {
            if o.outcome == Some(OutcomeKind::MemoryLimit) {
                self.reset(turn.player);
            }
        }
        outputs
    }

    fn reset(&mut self, player: PlayerId) {
        if let Some(slot) = self.slots.remove(&player) {
            slot.runtime.dispose();
        }
    }

    fn live_isolates(&self) -> usize {
        self.slots
            .values()
            .filter(|s| !s.runtime.is_disposed())
            .count()
    }
}
