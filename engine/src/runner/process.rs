//! The runner process: `isoshard runner`. Hosts many player isolates (one at a time, so the
//! player running when the process dies is known) and talks to the shard over the protocol.

use std::collections::BTreeMap;
use std::io::{BufReader, BufWriter, Read, Write};
use std::sync::Arc;

use parking_lot::Mutex;

use isoshard_player_api::{
    CpuBudget, PlayerRuntime, PlayerRuntimeOptions, PlayerSetup, PlayerTickInput, Preload,
};
use isoshard_scripting::{CallBatch, ExternalCopy};

use super::doorbell::write_urgent_frame;
use super::protocol::{
    read_frame, write_frame, write_frame_buffered, FromRunner, RoomBytes, ToRunner, WireOutput,
    WireTurn, PROTOCOL_VERSION,
};
use super::runner_inspector::RunnerInspector;
use crate::error::{EngineError, Result};

pub(super) type SharedOut = Arc<Mutex<BufWriter<Box<dyn Write + Send>>>>;

/// What the home thread hands back for one turn once its Result frame is written.
struct TurnDone {
    player: u32,
    memory: Option<String>,
    write_error: Option<String>,
}

/// Waits for the queued turns; their new Memory strings by player.
fn finish_batch(batch: &mut CallBatch<TurnDone>) -> Result<Vec<(u32, Option<String>)>> {
    if batch.is_empty() {
        return Ok(Vec::new());
    }
    let mut done = Vec::new();
    for turn in std::mem::take(batch).wait() {
        if let Some(e) = turn.write_error {
            return Err(EngineError::Protocol(e.to_string()));
        }
        done.push((turn.player, turn.memory));
    }
    Ok(done)
}

fn wire_output(o: isoshard_player_api::PlayerTickOutput) -> WireOutput {
    WireOutput {
        outcome: o.outcome.map(|k| k.as_str().to_string()),
        error: o.error,
        intents: o.intents,
        rejected_intents: o.rejected_intents,
        console: o.console,
        command_results: o.command_results,
        memory: o.memory,
        visuals: o.visuals,
        data: o.data,
        cpu_ns: o.cpu_time.as_nanos() as u64,
        wall_ns: o.wall_time.as_nanos() as u64,
        heap_used_bytes: o.heap_used_bytes,
        marshal_ns: o.marshal_ns,
        run_ns: o.run_ns,
        collect_ns: o.collect_ns,
    }
}

struct Hosted {
    runtime: Option<PlayerRuntime>,
    code_version: u64,
    username: String,
    modules: BTreeMap<String, String>,
    memory: String,
}

/// Runs a runner over `input`/`output` until Shutdown or end of stream.
///
/// # Errors
/// Protocol violations and I/O failures.
pub fn run_runner(
    input: impl Read + Send + 'static,
    output: impl Write + Send + 'static,
) -> Result<()> {
    isoshard_scripting::set_home_thread_count(1);
    install_overrun_exit();
    let mut input = BufReader::new(input);
    // Shared with the home thread, which writes each turn's frames.
    let out: SharedOut = Arc::new(Mutex::new(BufWriter::new(Box::new(output))));
    let mut runner = Runner::handshake(&mut input, out)?;
    let frames = read_frames(input, runner.inspector.clone())?;
    let mut waiting = None;
    loop {
        let msg = match waiting.take() {
            Some(msg) => msg,
            None => match frames.recv() {
                Ok(msg) => msg,
                Err(_) => break,
            },
        };
        match msg? {
            ToRunner::Hello { .. } => return Err(EngineError::Protocol("a second Hello".into())),
            ToRunner::Shutdown => break,
            ToRunner::Reset { player } => runner.reset(player),
            ToRunner::Inspector { .. } => {}
            ToRunner::Tick {
                tick,
                rooms,
                market_book,
                turns,
            } => {
                runner.run_tick(tick, rooms, Arc::new(market_book), turns)?;
                waiting = runner.compact_until_next_frame(&frames);
            }
        }
    }
    for h in runner.hosted.values() {
        if let Some(rt) = &h.runtime {
            rt.dispose();
        }
    }
    Ok(())
}

/// Reads frames on a thread of its own: DevTools steps are handled there at once (a paused
/// player waits on them while the tick loop waits on the player), everything else is passed
/// on in order. The channel ends after the last frame or the first read error.
fn read_frames(
    mut input: impl Read + Send + 'static,
    inspector: Arc<RunnerInspector>,
) -> Result<std::sync::mpsc::Receiver<Result<ToRunner>>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("isoshard-runner-in".into())
        .spawn(move || loop {
            let frame = match read_frame::<ToRunner>(&mut input) {
                Ok(Some(frame)) => frame,
                Ok(None) => return,
                Err(e) => {
                    let _ = tx.send(Err(io(e)));
                    return;
                }
            };
            if let ToRunner::Inspector {
                player,
                session,
                op,
            } = frame
            {
                inspector.handle(player, session, op);
            } else if tx.send(Ok(frame)).is_err() {
                return;
            }
        })
        .map_err(EngineError::io("starting the runner's reader thread"))?;
    Ok(rx)
}

/// How long a runner keeps compacting isolates between two ticks, one at least
/// (`ISOSHARD_COMPACT_MS`; 0, the default, compacts one a tick). More memory comes back for
/// more CPU taken from the shard's own work in the gap: at 1 000 tutorial players, 20 ms gave
/// −16 % memory for +7 % time a tick (BENCHMARKS.md, "Memory per player, third pass").
static COMPACT_BUDGET_MS: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| {
    std::env::var("ISOSHARD_COMPACT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
});

/// CPU time a player may keep running after its limit fired, in code V8 cannot interrupt,
/// before the runner ends itself. Counted on the player's thread clock, so a loaded host (which
/// only stretches wall time) never triggers it.
pub const OVERRUN_GRACE: std::time::Duration = std::time::Duration::from_millis(250);

/// The runner's exit status when a player overran [`OVERRUN_GRACE`]: the supervisor charges
/// the player it was running.
pub const EXIT_CPU_OVERRUN: i32 = 75;

/// Makes this process end itself with [`EXIT_CPU_OVERRUN`] when a call runs
/// [`OVERRUN_GRACE`] of CPU past its limit: for processes that exist to host untrusted code
/// (runners, the sandbox's child).
pub fn install_overrun_exit() {
    isoshard_scripting::set_overrun_handler(OVERRUN_GRACE, exit_on_overrun);
}

fn exit_on_overrun(past: std::time::Duration) {
    eprintln!(
        "isoshard: JavaScript ran {} ms of CPU past its limit in code that cannot be \
         interrupted; exiting",
        past.as_millis()
    );
    // SAFETY: _exit(2) ends the process without running destructors or atexit handlers, which
    // is what is wanted while V8 is mid-call on another thread.
    unsafe { libc::_exit(EXIT_CPU_OVERRUN) }
}

fn io(e: std::io::Error) -> EngineError {
    EngineError::Protocol(e.to_string())
}

/// A runner's state between frames.
struct Runner {
    out: SharedOut,
    map: ExternalCopy,
    options: PlayerRuntimeOptions,
    /// `ISOSHARD_RUNNER_TEST_HOOKS`: lets tests make a player abort the process.
    test_hooks: bool,
    hosted: BTreeMap<u32, Hosted>,
    /// The player whose isolate gives back memory after the next tick (round robin).
    next_to_compact: u32,
    /// Players' isolates for relayed DevTools sessions (used when `options.inspector`).
    inspector: Arc<RunnerInspector>,
}

impl Runner {
    /// Reads `Hello`, refuses another protocol version, answers `Ready`.
    fn handshake(input: &mut impl Read, out: SharedOut) -> Result<Runner> {
        let Some(ToRunner::Hello {
            version,
            map,
            settings,
        }) = read_frame::<ToRunner>(input).map_err(io)?
        else {
            return Err(EngineError::Protocol("expected Hello".into()));
        };
        if version != PROTOCOL_VERSION {
            write_urgent_frame(
                &mut *out.lock(),
                &FromRunner::Refused {
                    reason: format!("protocol {version}, this runner speaks {PROTOCOL_VERSION}"),
                },
            )
            .map_err(io)?;
            return Err(EngineError::Protocol(format!(
                "the shard speaks protocol {version}, this runner {PROTOCOL_VERSION}"
            )));
        }
        let map = ExternalCopy::from_wire_bytes(map)?;
        let options = PlayerRuntimeOptions {
            memory_limit_mb: settings.memory_limit_mb,
            setup_cpu_limit: std::time::Duration::from_millis(settings.setup_cpu_ms),
            preloads: settings
                .preloads
                .into_iter()
                .map(|(name, source)| Preload {
                    name,
                    source: source.into(),
                })
                .collect(),
            lodash: settings.lodash,
            inspector: settings.inspector,
            ..PlayerRuntimeOptions::default()
        };
        write_urgent_frame(
            &mut *out.lock(),
            &FromRunner::Ready {
                version: PROTOCOL_VERSION,
                pid: std::process::id(),
            },
        )
        .map_err(io)?;
        Ok(Runner {
            inspector: RunnerInspector::new(out.clone()),
            out,
            map,
            options,
            test_hooks: std::env::var_os("ISOSHARD_RUNNER_TEST_HOOKS").is_some(),
            hosted: BTreeMap::new(),
            next_to_compact: 0,
        })
    }

    fn reset(&mut self, player: u32) {
        if let Some(rt) = self.hosted.get_mut(&player).and_then(|h| h.runtime.take()) {
            rt.dispose();
            self.inspector.set_isolate(player, None);
        }
    }

    /// Turns are queued on the home thread together and this thread waits once; the home
    /// thread writes each player's Starting and Result frames itself, so a turn costs no hop
    /// back to this thread. A global reset first finishes what is queued: setup time is never
    /// inside a player's deadline.
    fn run_tick(
        &mut self,
        tick: u64,
        rooms: Vec<RoomBytes>,
        market_book: Arc<isoshard_player_api::MarketBook>,
        turns: Vec<WireTurn>,
    ) -> Result<()> {
        let mut copies = BTreeMap::new();
        for room in rooms {
            copies.insert(room.name, ExternalCopy::from_wire_bytes(room.bytes)?);
        }
        let mut batch: CallBatch<TurnDone> = CallBatch::new();
        let mut memories: Vec<(u32, Option<String>)> = Vec::new();
        for turn in turns {
            self.ready_runtime(&turn, &mut batch, &mut memories)?;
            let hosted = &self.hosted[&turn.player];
            let Some(rt) = &hosted.runtime else {
                self.report_failed_reset(turn.player)?;
                continue;
            };
            let input = PlayerTickInput {
                tick,
                cpu: CpuBudget {
                    limit: turn.cpu_limit,
                    bucket: turn.bucket,
                },
                seed: turn.seed,
                memory: None,
                rooms: turn
                    .rooms
                    .iter()
                    .filter_map(|r| copies.get(r).cloned())
                    .collect(),
                segments: turn
                    .segments
                    .iter()
                    .map(|(id, text)| (*id, Arc::from(text.as_str())))
                    .collect(),
                foreign_segment: turn.foreign_segment.clone(),
                inter_shard: Arc::from(turn.inter_shard.as_str()),
                flags: Arc::from(turn.flags.as_str()),
                gcl: turn.gcl,
                market: Arc::from(turn.market.as_str()),
                resources: Arc::from(turn.resources.as_str()),
                market_book: market_book.clone(),
                commands: turn.commands.clone(),
            };
            let abort_here = self.test_hooks && hosted.username.starts_with("test-abort");
            queue_turn(rt, turn.player, &input, &mut batch, &self.out, abort_here)?;
            if self.options.inspector {
                // Inspectable isolates have threads of their own: one at a time still, so
                // that a crash names the player that was running.
                memories.extend(finish_batch(&mut batch)?);
            }
        }
        memories.extend(finish_batch(&mut batch)?);
        for (player, memory) in memories {
            if let (Some(h), Some(m)) = (self.hosted.get_mut(&player), memory) {
                h.memory = m;
            }
        }
        write_urgent_frame(&mut *self.out.lock(), &FromRunner::TickDone).map_err(io)?;
        Ok(())
    }

    /// Compacts players' isolates in turn ([`Runner::compact_one`]) in the gap after this
    /// runner's tick, while the shard applies intents: until the next frame arrives (returned,
    /// to be handled next), [`COMPACT_BUDGET_MS`] has passed (one at least), or every player
    /// had its turn. A frame arriving mid-collection waits for that one collection only.
    fn compact_until_next_frame(
        &mut self,
        frames: &std::sync::mpsc::Receiver<Result<ToRunner>>,
    ) -> Option<Result<ToRunner>> {
        let started = std::time::Instant::now();
        for _ in 0..self.hosted.len() {
            match frames.try_recv() {
                Ok(msg) => return Some(msg),
                Err(std::sync::mpsc::TryRecvError::Disconnected) => return None,
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
            }
            let budget = std::time::Duration::from_millis(*COMPACT_BUDGET_MS);
            if !self.compact_one() || started.elapsed() >= budget {
                return None;
            }
        }
        None
    }

    /// Has V8 collect the next player's garbage (players in turn) and give back its spare heap
    /// pages and unused compiled code, in the gap between this runner's tick and the next
    /// (while the shard applies intents). An isolate that only ticks never
    /// compacts: its resident memory grew ~4 MiB over 300 ticks of a tutorial bot while its
    /// heap in use stayed at ~2 MiB (BENCHMARKS.md, "Memory per player").
    ///
    /// Not with the inspector: a player paused at a breakpoint holds its isolate's thread, and
    /// waiting for it would stall every player of the runner. `ISOSHARD_NO_COMPACT` turns it
    /// off (for the side-by-side benchmark).
    /// Returns whether it compacted one.
    fn compact_one(&mut self) -> bool {
        static OFF: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        let off = *OFF.get_or_init(|| std::env::var_os("ISOSHARD_NO_COMPACT").is_some());
        if off || self.options.inspector {
            return false;
        }
        let next = self
            .hosted
            .range(self.next_to_compact..)
            .chain(self.hosted.range(..self.next_to_compact))
            .find(|(_, h)| h.runtime.is_some())
            .map(|(id, h)| (*id, h));
        let Some((id, hosted)) = next else {
            return false;
        };
        if let Some(rt) = &hosted.runtime {
            // A disposed isolate has nothing to give back; its next tick resets it.
            let _ = rt.isolate().collect_garbage();
        }
        self.next_to_compact = id.wrapping_add(1);
        true
    }

    /// Gives the player's entry new code and a global reset where needed (its runtime stays
    /// `None` when the reset failed). Finishes `batch` first when it resets.
    fn ready_runtime(
        &mut self,
        turn: &WireTurn,
        batch: &mut CallBatch<TurnDone>,
        memories: &mut Vec<(u32, Option<String>)>,
    ) -> Result<()> {
        let h = self.hosted.entry(turn.player).or_insert_with(|| Hosted {
            runtime: None,
            code_version: 0,
            username: turn.username.clone(),
            modules: BTreeMap::new(),
            memory: String::new(),
        });
        if let Some((modules, memory)) = &turn.code {
            if let Some(rt) = h.runtime.take() {
                rt.dispose();
                self.inspector.set_isolate(turn.player, None);
            }
            h.modules = modules.clone();
            h.memory = memory.clone();
            h.code_version = turn.code_version;
            h.username = turn.username.clone();
        }
        let needs_reset =
            h.runtime.as_ref().is_none_or(|r| r.is_disposed()) && !h.modules.is_empty();
        if needs_reset || h.modules.is_empty() {
            memories.extend(finish_batch(batch)?);
        }
        if needs_reset {
            let setup = PlayerSetup {
                username: h.username.clone(),
                modules: h.modules.clone(),
                memory: h.memory.clone(),
                map: self.map.clone(),
            };
            h.runtime = PlayerRuntime::start(setup, &self.options).ok();
            if self.options.inspector {
                let isolate = h.runtime.as_ref().map(|rt| rt.isolate().clone());
                self.inspector.set_isolate(turn.player, isolate);
            }
        }
        Ok(())
    }

    fn report_failed_reset(&self, player: u32) -> Result<()> {
        let mut w = self.out.lock();
        write_frame(&mut *w, &FromRunner::Starting { player }).map_err(io)?;
        let output = WireOutput {
            outcome: Some("exception".into()),
            error: Some("global reset failed".into()),
            ..WireOutput::default()
        };
        write_frame_buffered(&mut *w, &FromRunner::Result { player, output }).map_err(io)
    }
}

/// Queues one player's tick on the home thread, which writes its Starting frame as the run
/// begins and its Result frame when it ends.
fn queue_turn(
    rt: &PlayerRuntime,
    player: u32,
    input: &PlayerTickInput,
    batch: &mut CallBatch<TurnDone>,
    out: &SharedOut,
    abort_here: bool,
) -> Result<()> {
    let (start_out, result_out) = (out.clone(), out.clone());
    rt.queue_tick(
        input,
        batch,
        move || {
            // From here on a crash is this player's.
            let _ = write_frame(&mut *start_out.lock(), &FromRunner::Starting { player });
            if abort_here {
                std::process::abort();
            }
        },
        move |o| {
            let memory = o.memory.clone();
            // Buffered: it goes out together with the next Starting (or TickDone).
            let written = write_frame_buffered(
                &mut *result_out.lock(),
                &FromRunner::Result {
                    player,
                    output: wire_output(o),
                },
            );
            TurnDone {
                player,
                memory,
                write_error: written.err().map(|e| e.to_string()),
            }
        },
    )?;
    Ok(())
}
