//! One player's persistent isolate: setup (a global reset) and tick calls.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use isoshard_scripting::{
    CallBatch, Context, ExternalCopy, HeapStatistics, Isolate, IsolateOptions, OutcomeKind,
    Reference, RunOptions, RunOutcome, ScriptOptions, SharedSource, Snapshot, SnapshotOptions,
    Transferable,
};
use isoshard_world::Intent;
use parking_lot::Mutex;
use serde_json::{json, Value};

use crate::error::{PlayerApiError, Result};
use crate::host_functions::{install_host_functions, Collected, HostEnv, MAX_CONSOLE_BYTES};
use crate::intent_wire::{MAX_INTENTS_PER_TICK, MAX_INTENT_BYTES_PER_TICK};
use crate::path_finder::host::Searches;
use crate::player_data::PlayerDataChanges;
use crate::room_map::RoomMapIndex;
use crate::tick_meta::{PlayerTickInput, TickMeta};
use crate::{LODASH_JS, PRELUDE_JS};

/// Bytes of an error's text kept (the stack of an uncaught error, a limit's message): beyond it
/// the text is cut, so that one `throw new Error('x'.repeat(3e7))` costs kilobytes, not
/// megabytes, in every place errors are kept or published.
pub const MAX_ERROR_BYTES: usize = 8 << 10;

/// Console bytes kept free for the shard's own notes (dropped intents, dropped lines).
const CONSOLE_NOTES_RESERVE: usize = 256;

/// Largest Memory string kept.
pub const MAX_MEMORY_BYTES: usize = 2 << 20;
/// Heap use is measured at a global reset and then every this many ticks: V8 walks
/// every heap space for it, a cost worth paying now and then, not in every player's tick.
const HEAP_SAMPLE_TICKS: u64 = 16;

/// Wall-clock time a tick's call may take before it ends as `wall_limit`. The limit that counts
/// is CPU time (the tick limit, on the isolate thread's clock); wall time only catches code that
/// stops without burning CPU. It is generous because a loaded host stretches wall time: with
/// twice as many busy threads as cores an honest player using 80 % of its limit takes 1.6× its
/// limit in wall time, and must not lose its tick for it.
pub fn wall_backstop(tick_limit: Duration) -> Duration {
    tick_limit.saturating_mul(4) + Duration::from_secs(1)
}

/// An operator script evaluated in every player's context before player code (e.g. lodash).
#[derive(Debug, Clone)]
pub struct Preload {
    pub name: String,
    pub source: Arc<str>,
}

/// How player runtimes are created.
#[derive(Debug, Clone)]
pub struct PlayerRuntimeOptions {
    /// Isolate memory limit in MiB.
    pub memory_limit_mb: usize,
    /// Evaluated after the prelude, before player code.
    pub preloads: Vec<Preload>,
    /// CPU limit for setting up a runtime (prelude and preloads), not charged to the player.
    pub setup_cpu_limit: Duration,
    /// Start isolates from a startup snapshot holding the prelude (made once per process)
    /// instead of running the prelude in every new isolate. Off by default: from the
    /// snapshot every isolate holds its own copy of the prelude's 190 KB of source, where
    /// run from the one shared copy it holds none, for ~1.5 ms more per start
    /// (`BENCHMARKS.md`, "Memory per player"). Preloads always run from source (with code
    /// cache): they are operator code, and a snapshot aborts the process on some of what a
    /// script may do at load time (an `Intl` object, for one).
    pub prelude_snapshot: bool,
    /// Give players lodash 3.10.1 as `_` (and `require('lodash')`), as Screeps does. It runs
    /// in every new isolate from one shared copy of its source (with code cache), not from
    /// the snapshot: an isolate then holds no copy of lodash's 400 KB of text.
    pub lodash: bool,
    /// Make isolates inspectable (DevTools sessions). Each then gets an OS thread of its own,
    /// so a player paused at a breakpoint stalls no other player's isolate.
    pub inspector: bool,
}

impl Default for PlayerRuntimeOptions {
    fn default() -> Self {
        PlayerRuntimeOptions {
            memory_limit_mb: 256,
            preloads: Vec::new(),
            setup_cpu_limit: Duration::from_secs(5),
            prelude_snapshot: false,
            lodash: true,
            inspector: false,
        }
    }
}

/// What a global reset needs.
#[derive(Debug, Clone)]
pub struct PlayerSetup {
    pub username: String,
    /// Module name → source; `main` is the entry point.
    pub modules: BTreeMap<String, String>,
    /// The stored Memory string.
    pub memory: String,
    /// `{terrain: {room: "0120…"}, exits: {room: {"1": "W0N1", …}}}`, built once per map and
    /// shared: runtimes started with clones of one copy share one host-side index of it, and
    /// each isolate receives a room's part only when player code first asks for it.
    pub map: ExternalCopy,
}

/// One tick's result.
#[derive(Debug, Clone, Default)]
pub struct PlayerTickOutput {
    pub outcome: Option<OutcomeKind>,
    /// Uncaught error of the loop (stack text), or the limit that ended the tick.
    pub error: Option<String>,
    pub intents: Vec<Intent>,
    /// Intents dropped as malformed or over the per-tick limit.
    pub rejected_intents: usize,
    pub console: Vec<String>,
    /// The printed results of the tick's console commands (see [`crate::ConsoleCommand`]),
    /// within the console's byte limit.
    pub command_results: Vec<String>,
    /// The new Memory string, when it changed.
    pub memory: Option<String>,
    /// This tick's `RoomVisual`/`Game.map.visual` drawings: (room name or `map`, Screeps'
    /// visual text, one JSON line per draw call), bounded in the runtime (500 KB a room,
    /// 1 000 KB the map, 2 MiB in all).
    pub visuals: Vec<(String, String)>,
    /// Segments, their settings, `InterShardMemory` and `Game.notify` of the tick.
    pub data: PlayerDataChanges,
    pub cpu_time: Duration,
    pub wall_time: Duration,
    /// V8 heap in use, as of the last measurement (at the global reset, then every 16th tick).
    pub heap_used_bytes: usize,
    pub marshal_ns: u64,
    pub run_ns: u64,
    pub collect_ns: u64,
    /// The player's code took its host process down (process isolation only).
    pub crashed: bool,
}

/// One player's persistent isolate.
pub struct PlayerRuntime {
    isolate: Isolate,
    _context: Context,
    tick_fn: Reference,
    collected: Arc<Mutex<Collected>>,
    heap: Arc<Mutex<HeapStatistics>>,
    /// `PathFinder.search`'s state between its host calls.
    searches: Arc<Searches>,
    /// `Game.cpu.halt()` was called: the runtime counts as disposed.
    halted: Arc<std::sync::atomic::AtomicBool>,
    market_book: Arc<Mutex<Arc<crate::MarketBook>>>,
}

/// Process-wide code cache for the prelude and preloads, keyed by source hash. Only our own
/// sources are cached: V8 trusts code cache, so player-supplied bytes are never accepted.
fn code_cache() -> &'static Mutex<HashMap<[u8; 32], Vec<u8>>> {
    static CACHE: OnceLock<Mutex<HashMap<[u8; 32], Vec<u8>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Compiles and runs `source` in `context` with the process-wide code cache; from `shared`
/// (the same text, one copy for every isolate) when given. The first isolate to run a script
/// makes its cache after running it, so the cache holds every function its top level called
/// and later isolates compile none of them.
fn run_cached(
    isolate: &Isolate,
    context: &Context,
    name: &str,
    source: &str,
    shared: Option<SharedSource>,
    run: &RunOptions,
) -> Result<()> {
    let key = *blake3::hash(source.as_bytes()).as_bytes();
    let cached = code_cache().lock().get(&key).cloned();
    let produce = cached.is_none();
    let options = ScriptOptions {
        filename: Some(name.to_string()),
        produce_cached_data: false,
        cached_data: cached,
    };
    let script = match shared {
        Some(text) => isolate.compile_shared_script(text, options)?,
        None => isolate.compile_script(source, options)?,
    };
    if script.cached_data_rejected() == Some(true) {
        // Made by an isolate of another kind (with or without the prelude snapshot): drop it
        // so the next start produces one that fits.
        tracing::info!(%name, "code cache rejected; recompiled");
        code_cache().lock().remove(&key);
    }
    script
        .run(context, run)?
        .outcome
        .into_result()
        .map_err(|e| PlayerApiError::Setup(format!("{name}: {e}")))?;
    if produce || script.cached_data_rejected() == Some(true) {
        if let Ok(data) = script.create_code_cache() {
            code_cache().lock().insert(key, data);
        }
    }
    script.release();
    Ok(())
}

/// One built-in script, its text shared by every isolate of the process.
struct BuiltIn {
    name: &'static str,
    text: &'static str,
    shared: SharedSource,
}

fn prelude_script() -> &'static BuiltIn {
    static PRELUDE: OnceLock<BuiltIn> = OnceLock::new();
    PRELUDE.get_or_init(|| BuiltIn {
        name: "isoshard:prelude.js",
        text: PRELUDE_JS,
        shared: SharedSource::new(PRELUDE_JS),
    })
}

fn lodash_script() -> &'static BuiltIn {
    static LODASH: OnceLock<BuiltIn> = OnceLock::new();
    LODASH.get_or_init(|| BuiltIn {
        name: "lodash.js",
        text: LODASH_JS,
        shared: SharedSource::new(LODASH_JS),
    })
}

/// The process-wide prelude snapshot, made on first use. A failure is kept and reported to
/// every caller (it would fail the same way again).
///
/// Code that evaluates JavaScript in the same process as players' isolates (tests, tools)
/// should start its isolates from this snapshot too: V8 (134) shares one read-only heap among
/// all live isolates of a process, set up from the first one's snapshot and never checked
/// against a later one's in release builds, and this snapshot's read-only part is not the
/// built-in one's. A plain isolate created beside players read the wrong read-only objects
/// (`vector[] index out of bounds` in `ReadReadOnlyHeapRef`, in tests that mixed them).
///
/// # Errors
/// The prelude failed to run in the snapshot creator.
pub fn prelude_snapshot() -> Result<Snapshot> {
    static SNAPSHOT: OnceLock<std::result::Result<Snapshot, String>> = OnceLock::new();
    SNAPSHOT
        .get_or_init(|| {
            let started = std::time::Instant::now();
            let prelude = prelude_script();
            let made = Snapshot::create(
                &[(prelude.name, prelude.text)],
                None,
                &SnapshotOptions::default(),
            )
            .map_err(|e| e.to_string());
            tracing::info!(
                ms = started.elapsed().as_millis() as u64,
                ok = made.is_ok(),
                "prelude snapshot"
            );
            made
        })
        .clone()
        .map_err(|e| PlayerApiError::Setup(format!("prelude snapshot: {e}")))
}

/// An isolate made as players' are (from [`prelude_snapshot`] when `snapshot`, else from
/// V8's own) and a context where the prelude and, with `lodash`, lodash ran: for code that
/// evaluates JavaScript in the same process as players' isolates (tests, tools). Pass the
/// `prelude_snapshot` the players of the process use: see [`prelude_snapshot`] on why
/// isolates of different snapshots must not live side by side.
///
/// # Errors
/// The prelude or lodash failed to run.
pub fn prelude_context(snapshot: bool, lodash: bool) -> Result<(Isolate, Context)> {
    let isolate = Isolate::new(IsolateOptions {
        snapshot: snapshot.then(prelude_snapshot).transpose()?,
        ..IsolateOptions::default()
    })?;
    let context = isolate.create_context()?;
    let run = RunOptions {
        copy_result: false,
        ..RunOptions::default()
    };
    let mut built_ins = Vec::new();
    if !snapshot {
        built_ins.push(prelude_script());
    }
    if lodash {
        built_ins.push(lodash_script());
    }
    for b in built_ins {
        run_cached(&isolate, &context, b.name, b.text, Some(b.shared), &run)?;
    }
    Ok((isolate, context))
}

impl PlayerRuntime {
    /// Creates the isolate and loads the prelude, preloads and the player's module map (a
    /// global reset). Player modules are evaluated lazily by `require`, inside the player's
    /// tick budget.
    ///
    /// # Errors
    /// [`PlayerApiError::Setup`] when the prelude or a preload fails;
    /// [`PlayerApiError::InvalidModules`] without a `main` module.
    pub fn start(setup: PlayerSetup, options: &PlayerRuntimeOptions) -> Result<Self> {
        if !setup.modules.contains_key("main") {
            return Err(PlayerApiError::InvalidModules("no `main` module".into()));
        }
        let snapshot = match options.prelude_snapshot {
            true => Some(prelude_snapshot()?),
            false => None,
        };
        let from_snapshot = snapshot.is_some();
        let isolate = Isolate::new(IsolateOptions {
            memory_limit_mb: options.memory_limit_mb,
            default_cpu_limit: options.setup_cpu_limit,
            snapshot,
            inspector: options.inspector,
            dedicated_thread: options.inspector,
            ..IsolateOptions::default()
        })?;
        let context = isolate.create_context()?;
        let collected = Arc::new(Mutex::new(Collected::default()));
        let heap = Arc::new(Mutex::new(HeapStatistics::default()));
        let rooms = RoomMapIndex::of(&setup.map)?;
        let world_size = rooms.world_size;
        let searches = Searches::new(rooms.clone());
        let halted = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let market_book = Arc::new(Mutex::new(Arc::default()));
        let env = HostEnv {
            collected: collected.clone(),
            heap: heap.clone(),
            rooms,
            searches: searches.clone(),
            halted: halted.clone(),
            market_book: market_book.clone(),
        };
        install_host_functions(&context, &env)?;
        let setup_run = RunOptions {
            cpu_limit: Some(options.setup_cpu_limit),
            copy_result: false,
            ..RunOptions::default()
        };
        let mut built_ins = Vec::new();
        if !from_snapshot {
            built_ins.push(prelude_script());
        }
        if options.lodash {
            built_ins.push(lodash_script());
        }
        for b in built_ins {
            run_cached(
                &isolate,
                &context,
                b.name,
                b.text,
                Some(b.shared),
                &setup_run,
            )?;
        }
        for p in &options.preloads {
            run_cached(&isolate, &context, &p.name, &p.source, None, &setup_run).map_err(|e| {
                match e {
                    PlayerApiError::Setup(m) => PlayerApiError::Setup(format!("preload {m}")),
                    e => e,
                }
            })?;
        }
        let global = context.global()?;
        let api = global.get("__isoshard_api")?;
        let setup_fn = api.get("setup")?;
        let tick_fn = api.get("tick")?;
        drop(api);
        context
            .eval("delete globalThis.__isoshard_api", &setup_run)?
            .outcome
            .into_result()
            .map_err(|e| PlayerApiError::Setup(format!("hiding the api: {e}")))?;
        let meta = json!({
            "username": setup.username,
            "modules": setup.modules,
            "memory": setup.memory,
            "worldSize": world_size,
        });
        let meta = ExternalCopy::from_json(&meta)?;
        setup_fn
            .apply(None, vec![Transferable::Copy(meta)], &setup_run)?
            .outcome
            .into_result()
            .map_err(|e| PlayerApiError::Setup(format!("setup: {e}")))?;
        // Setting up (lodash's top level above all) leaves garbage in the young generation,
        // which holds its pages until a collection: collect now, while it is cheap (~1 ms)
        // and before the player's first tick, so an idle player does not keep them.
        isolate.collect_garbage()?;
        // Every figure `Game.cpu.getHeapStatistics()` shows, as of the reset; ticks then
        // update the heap in use (every 16th tick, see HEAP_SAMPLE_TICKS).
        *heap.lock() = isolate.heap_statistics()?;
        Ok(PlayerRuntime {
            isolate,
            _context: context,
            tick_fn,
            collected,
            heap,
            searches,
            halted,
            market_book,
        })
    }

    /// Whether the isolate is gone (memory limit, disposal): the next tick needs a reset.
    pub fn is_disposed(&self) -> bool {
        self.isolate.is_disposed() || self.halted.load(std::sync::atomic::Ordering::Acquire)
    }

    /// The isolate (for heap statistics and tests).
    pub fn isolate(&self) -> &Isolate {
        &self.isolate
    }

    fn prepare(&self, input: &PlayerTickInput) -> (Vec<Transferable>, RunOptions) {
        *self.collected.lock() = Collected::default();
        *self.market_book.lock() = input.market_book.clone();
        let meta = TickMeta::of(input).to_json();
        let mut args = vec![Transferable::Copy(
            ExternalCopy::from_json(&meta).unwrap_or_else(|_| ExternalCopy::undefined()),
        )];
        args.extend(input.rooms.iter().cloned().map(Transferable::Copy));
        let tick_limit = Duration::from_millis(input.cpu.tick_limit().max(1) as u64);
        self.searches.set_cpu_limit(tick_limit);
        let options = RunOptions {
            cpu_limit: Some(tick_limit),
            wall_limit: Some(wall_backstop(tick_limit)),
            heap_statistics: input.tick.is_multiple_of(HEAP_SAMPLE_TICKS),
            ..RunOptions::default()
        };
        (args, options)
    }

    fn finisher(&self) -> TickFinisher {
        TickFinisher {
            collected: self.collected.clone(),
            heap: self.heap.clone(),
        }
    }

    /// Runs one tick (blocking). Never call from an async runtime's worker thread.
    pub fn run_tick(&self, input: &PlayerTickInput) -> PlayerTickOutput {
        let (args, options) = self.prepare(input);
        self.finisher()
            .finish(self.tick_fn.apply(None, args, &options))
    }

    /// Queues one tick in `batch` (many players' ticks, one wake-up for the waiter). On the
    /// isolate's home thread `on_start` runs just before the player's code and `then` gets
    /// the tick's output right after; its value is this tick's entry in the batch. Returns
    /// the entry's index.
    ///
    /// # Errors
    /// Never in practice: the tick's arguments are copies, never another isolate's handles.
    pub fn queue_tick<T: Send + 'static>(
        &self,
        input: &PlayerTickInput,
        batch: &mut CallBatch<T>,
        on_start: impl FnOnce() + Send + 'static,
        then: impl FnOnce(PlayerTickOutput) -> T + Send + 'static,
    ) -> Result<usize> {
        let (args, options) = self.prepare(input);
        let finisher = self.finisher();
        Ok(
            batch.apply(&self.tick_fn, None, args, &options, on_start, move |run| {
                then(finisher.finish(run))
            })?,
        )
    }

    /// Disposes the isolate.
    pub fn dispose(&self) {
        self.isolate.dispose();
    }
}

/// What turns a tick call's result into a [`PlayerTickOutput`]: the intents and console lines
/// the callbacks collected during the call, and the heap figures to remember. Cheap to clone,
/// so it can run on the home thread when the call ends.
#[derive(Clone)]
struct TickFinisher {
    collected: Arc<Mutex<Collected>>,
    heap: Arc<Mutex<HeapStatistics>>,
}

impl TickFinisher {
    fn finish(
        &self,
        run: isoshard_scripting::Result<isoshard_scripting::Run<ExternalCopy>>,
    ) -> PlayerTickOutput {
        let mut out = self.output(run);
        // 0: not measured this tick; report the last measurement.
        let mut heap = self.heap.lock();
        if out.heap_used_bytes > 0 {
            heap.used_heap_size = out.heap_used_bytes;
        }
        out.heap_used_bytes = heap.used_heap_size;
        out
    }

    fn output(
        &self,
        run: isoshard_scripting::Result<isoshard_scripting::Run<ExternalCopy>>,
    ) -> PlayerTickOutput {
        let collected = std::mem::take(&mut *self.collected.lock());
        let mut out = PlayerTickOutput::default();
        let run = match run {
            Ok(run) => run,
            Err(e) => {
                out.outcome = e.outcome_kind().or(Some(OutcomeKind::Disposed));
                out.error = Some(e.to_string());
                return out;
            }
        };
        out.cpu_time = run.cpu_time;
        out.wall_time = run.wall_time;
        out.heap_used_bytes = run.heap_used_bytes;
        out.outcome = Some(run.outcome.kind());
        match run.outcome {
            RunOutcome::Ok(copy) => {
                let v = copy.to_json().unwrap_or(Value::Null);
                out.memory = v.get("memory").and_then(Value::as_str).map(str::to_string);
                out.error = v.get("error").and_then(Value::as_str).map(str::to_string);
                out.command_results = command_results_of(&v);
                out.visuals = visuals_of(&v);
                out.data = PlayerDataChanges::from_result(v.get("data"));
                out.marshal_ns = v.get("marshalNs").and_then(Value::as_f64).unwrap_or(0.0) as u64;
                out.run_ns = v.get("runNs").and_then(Value::as_f64).unwrap_or(0.0) as u64;
                let ran = v.get("ranNs").and_then(Value::as_f64).unwrap_or(0.0) as u64;
                out.collect_ns = (out.cpu_time.as_nanos() as u64).saturating_sub(ran);
                out.intents = collected.intents;
                out.rejected_intents = collected.rejected;
            }
            other => {
                // A killed tick applies no intents and saves no Memory, as in Screeps.
                let kind = other.kind();
                out.error = Some(match other.error() {
                    Some(e) => e.stack.clone(),
                    // Screeps' driver reports a halt as this error.
                    None if collected.halted => "CPU halted".to_string(),
                    None => format!("tick ended: {}", kind.as_str()),
                });
            }
        }
        // The error line (an uncaught error, a limit) and our notes count within the
        // console's per-tick byte limit: the player's last lines make room for them.
        out.error = out.error.map(bounded_error);
        let error_line = out.error.clone();
        let reserve = error_line.as_ref().map_or(0, String::len) + CONSOLE_NOTES_RESERVE;
        let mut console = collected.console;
        let mut console_dropped = collected.console_dropped;
        let mut bytes: usize = console.iter().map(String::len).sum();
        while bytes + reserve > MAX_CONSOLE_BYTES {
            let Some(line) = console.pop() else { break };
            bytes -= line.len();
            console_dropped += 1;
        }
        out.console = console;
        if collected.over_limit > 0 {
            out.console.push(format!(
                "[isoshard] {} intents over the per-tick limit ({MAX_INTENTS_PER_TICK} intents, {} KiB) were dropped",
                collected.over_limit,
                MAX_INTENT_BYTES_PER_TICK / 1024
            ));
        }
        if console_dropped > 0 {
            out.console.push(format!(
                "[isoshard] {console_dropped} console lines over the per-tick limit were dropped"
            ));
        }
        out.console.extend(error_line);
        out
    }
}

/// The tick result's `results` (strings the runtime made; anything else is skipped), each
/// cut like an error text, all within the console's per-tick byte limit.
fn command_results_of(result: &Value) -> Vec<String> {
    let Some(list) = result.get("results").and_then(Value::as_array) else {
        return Vec::new();
    };
    let mut bytes = 0;
    let mut out = Vec::new();
    for text in list.iter().filter_map(Value::as_str) {
        let text = bounded_error(text.to_string());
        bytes += text.len();
        if bytes > MAX_CONSOLE_BYTES {
            out.push("[isoshard] console results over the per-tick limit were dropped".into());
            break;
        }
        out.push(text);
    }
    out
}

/// The tick result's `visuals`, `[room, text, room, text, …]`, as pairs; anything else in it
/// (the result object is the runtime's, but a player can reach the arrays it is built from) is
/// ignored.
fn visuals_of(result: &Value) -> Vec<(String, String)> {
    let Some(flat) = result.get("visuals").and_then(Value::as_array) else {
        return Vec::new();
    };
    flat.chunks_exact(2)
        .filter_map(|pair| Some((pair[0].as_str()?.to_string(), pair[1].as_str()?.to_string())))
        .collect()
}

/// An error's text cut to [`MAX_ERROR_BYTES`] (at a character boundary), saying so: the text is
/// the player's, and it is kept, published and logged beyond this tick.
pub(crate) fn bounded_error(text: String) -> String {
    if text.len() <= MAX_ERROR_BYTES {
        return text;
    }
    let mut cut = MAX_ERROR_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(
        "{}… [isoshard: error text cut at {MAX_ERROR_BYTES} of {} bytes]",
        &text[..cut],
        text.len()
    )
}

#[cfg(test)]
mod bounded_error_tests {
    use super::*;

    #[test]
    fn a_huge_error_is_cut_at_a_character_boundary_and_says_so() {
        let short = "Error: small".to_string();
        assert_eq!(bounded_error(short.clone()), short);
        let huge = "é".repeat(MAX_ERROR_BYTES);
        let cut = bounded_error(huge.clone());
        assert!(cut.len() < MAX_ERROR_BYTES + 80, "{}", cut.len());
        assert!(cut.ends_with(&format!(
            "cut at {MAX_ERROR_BYTES} of {} bytes]",
            huge.len()
        )));
    }
}
