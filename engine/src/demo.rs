//! `isoshard demo`: a shard on embedded storage, sample bots (or yours), a progress bar, and a
//! report at the end.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use isoshard_player_api::{PlayerRuntimeOptions, Preload};
use isoshard_world::{PlayerId, StateHash, WorldConfig};
use serde::Serialize;

use crate::code_bundle::{sample_bots, CodeBundle};
pub use crate::demo_console::ConsoleSummary;
use crate::error::{EngineError, Result};
use crate::shard::{Shard, ShardOptions};
use crate::storage::SledStorage;

/// Options for [`run_demo`].
#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub ticks: u64,
    /// Sample-bot players when no `bots` are given.
    pub players: usize,
    pub seed: u64,
    /// `(name, directory)` pairs; replaces the sample bots.
    pub bots: Vec<(String, PathBuf)>,
    pub preloads: Vec<PathBuf>,
    /// Players get lodash as `_`.
    pub lodash: bool,
    /// Where sled lives; a temporary directory when `None`.
    pub data: Option<PathBuf>,
    pub cpu_limit_ms: i64,
    pub progress: bool,
    /// Print every console line as it comes (to stdout above the progress bar, or to stderr
    /// when `progress` is off, so that stdout stays one JSON object).
    pub console: bool,
    /// Run players in runner processes (`None`: home threads in this process).
    pub runners: Option<crate::runner::ProcessHostOptions>,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            ticks: 1500,
            players: 2,
            seed: 1,
            bots: Vec::new(),
            preloads: Vec::new(),
            lodash: true,
            data: None,
            cpu_limit_ms: 100,
            progress: true,
            console: false,
            runners: None,
        }
    }
}

/// CPU figures per player.
#[derive(Debug, Clone, Serialize)]
pub struct CpuFigures {
    pub avg: f64,
    pub max: f64,
}

/// One player's line in the report.
#[derive(Debug, Clone, Serialize)]
pub struct PlayerReport {
    pub name: String,
    pub creeps_alive: usize,
    pub creeps_spawned: u64,
    pub energy_harvested: u64,
    pub controller_level: u8,
    pub controller_progress: u32,
    pub cpu_ms: CpuFigures,
    pub errors: u64,
    pub last_error: Option<String>,
    /// What the player logged, with the errors it caught and logged itself.
    pub console: ConsoleSummary,
}

/// Tick duration percentiles.
#[derive(Debug, Clone, Serialize)]
pub struct TickTimes {
    pub p50: f64,
    pub p99: f64,
}

/// The demo's result.
#[derive(Debug, Clone, Serialize)]
pub struct DemoReport {
    pub ticks: u64,
    pub seed: u64,
    pub state_hash: String,
    pub ms_per_tick: TickTimes,
    pub data_dir: Option<String>,
    pub players: Vec<PlayerReport>,
}

impl DemoReport {
    /// The human-readable table.
    pub fn table(&self) -> String {
        let mut s = format!(
            "ticks {}  seed {}  state_hash {}\nms/tick p50 {:.2}  p99 {:.2}\n\n",
            self.ticks, self.seed, self.state_hash, self.ms_per_tick.p50, self.ms_per_tick.p99
        );
        s.push_str(&format!(
            "{:<20} {:>6} {:>8} {:>9} {:>4} {:>8} {:>8} {:>8} {:>6} {:>6}  {}\n",
            "player",
            "creeps",
            "spawned",
            "harvested",
            "rcl",
            "progress",
            "cpu avg",
            "cpu max",
            "errors",
            "logged",
            "last error"
        ));
        for p in &self.players {
            s.push_str(&format!(
                "{:<20} {:>6} {:>8} {:>9} {:>4} {:>8} {:>8.2} {:>8.2} {:>6} {:>6}  {}\n",
                p.name,
                p.creeps_alive,
                p.creeps_spawned,
                p.energy_harvested,
                p.controller_level,
                p.controller_progress,
                p.cpu_ms.avg,
                p.cpu_ms.max,
                p.errors,
                p.console.error_lines,
                p.last_error
                    .as_deref()
                    .or(p.console.last_error_line.as_deref())
                    .and_then(|e| e.lines().next())
                    .unwrap_or("-")
            ));
        }
        if let Some(d) = &self.data_dir {
            s.push_str(&format!("\ndata kept in {d}\n"));
        }
        s
    }
}

/// A room grid with enough two-source rooms for `players` (every even-numbered room has two).
pub fn grid_for(players: usize) -> (u32, u32) {
    let mut side = 3u32;
    while ((side * side) as usize).div_ceil(2) < players {
        side += 1;
    }
    (side, side)
}

/// Runs the demo.
///
/// # Errors
/// Usage errors (unreadable bots or preloads), storage or world failures.
pub fn run_demo(options: &DemoOptions) -> Result<DemoReport> {
    let preloads = read_preloads(&options.preloads)?;
    let bots = demo_bots(options)?;
    let (temp, dir) = match &options.data {
        Some(d) => {
            std::fs::create_dir_all(d)
                .map_err(EngineError::io(format!("cannot create {}", d.display())))?;
            (None, d.clone())
        }
        None => {
            let t = tempfile::tempdir()
                .map_err(EngineError::io("cannot create a temporary directory"))?;
            let p = t.path().to_path_buf();
            (Some(t), p)
        }
    };
    let storage = Box::new(SledStorage::open(&dir, false)?);
    let (width, height) = grid_for(bots.len());
    let mut shard = Shard::create(
        ShardOptions {
            world: WorldConfig {
                seed: options.seed,
                width,
                height,
            },
            cpu_limit_ms: options.cpu_limit_ms,
            snapshot_every: 100,
            runtime: PlayerRuntimeOptions {
                preloads,
                lodash: options.lodash,
                ..PlayerRuntimeOptions::default()
            },
        },
        storage,
    )?;
    shard.start_recording(
        &dir.join("replay"),
        isoshard_replays::RecorderOptions::default(),
    )?;
    if let Some(r) = &options.runners {
        shard.use_runner_processes(r.clone())?;
    }
    shard.add_players(bots)?;
    let (durations, last_hash, consoles) = run_ticks(&mut shard, options)?;
    let report = DemoReport {
        ticks: options.ticks,
        seed: options.seed,
        state_hash: last_hash.to_hex(),
        ms_per_tick: tick_times(durations),
        data_dir: options.data.as_ref().map(|d| d.display().to_string()),
        players: player_reports(&shard, consoles),
    };
    drop(shard);
    drop(temp);
    Ok(report)
}

/// Reads the operator's `--preload` files (shared with `serve`).
pub(crate) fn read_preloads(paths: &[PathBuf]) -> Result<Vec<Preload>> {
    let mut preloads = Vec::new();
    for p in paths {
        let source = std::fs::read_to_string(p).map_err(EngineError::io(format!(
            "cannot read preload {}",
            p.display()
        )))?;
        preloads.push(Preload {
            name: p.display().to_string(),
            source: source.into(),
        });
    }
    Ok(preloads)
}

/// The `--bot` directories, or that many sample bots taking turns.
fn demo_bots(options: &DemoOptions) -> Result<Vec<(String, CodeBundle)>> {
    let mut bots: Vec<(String, CodeBundle)> = Vec::new();
    for (name, dir) in &options.bots {
        bots.push((name.clone(), CodeBundle::from_dir(dir)?));
    }
    if bots.is_empty() {
        let samples = sample_bots();
        for i in 0..options.players.max(1) {
            let (kind, code) = &samples[i % samples.len()];
            bots.push((format!("{kind}-{}", i + 1), code.clone()));
        }
    }
    Ok(bots)
}

/// Runs the ticks with a progress bar; every tick's duration and the last state hash.
/// Every tick's duration, the last hash, and each player's console summary.
type TickRun = (Vec<Duration>, StateHash, BTreeMap<PlayerId, ConsoleSummary>);

fn run_ticks(shard: &mut Shard, options: &DemoOptions) -> Result<TickRun> {
    let bar = if options.progress {
        let bar = ProgressBar::new(options.ticks);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} ticks  {per_sec}  eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut durations = Vec::with_capacity(options.ticks as usize);
    let mut last_hash = shard.world().state_hash();
    let players: Vec<(PlayerId, String)> = shard
        .player_stats()
        .into_iter()
        .map(|(id, name, _)| (id, name))
        .collect();
    let mut consoles: BTreeMap<PlayerId, ConsoleSummary> = BTreeMap::new();
    for _ in 0..options.ticks {
        let summary = shard.tick()?;
        durations.push(summary.duration);
        last_hash = summary.state_hash;
        for (id, name) in &players {
            let console = consoles.entry(*id).or_default();
            let mut lines = shard.drain_console(*id);
            lines.extend(shard.drain_command_results(*id));
            for line in lines {
                if options.console {
                    let shown = format!("[{}] {name}: {line}", summary.tick);
                    // A bar drawn nowhere (output piped) would swallow the line.
                    if options.progress && !bar.is_hidden() {
                        bar.println(shown);
                    } else {
                        eprintln!("{shown}");
                    }
                }
                console.absorb(&line);
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok((durations, last_hash, consoles))
}

fn tick_times(mut durations: Vec<Duration>) -> TickTimes {
    durations.sort();
    let pct = |q: f64| -> f64 {
        if durations.is_empty() {
            return 0.0;
        }
        let i = ((durations.len() as f64 - 1.0) * q).round() as usize;
        durations[i].as_secs_f64() * 1000.0
    };
    TickTimes {
        p50: pct(0.5),
        p99: pct(0.99),
    }
}

fn player_reports(
    shard: &Shard,
    mut consoles: BTreeMap<PlayerId, ConsoleSummary>,
) -> Vec<PlayerReport> {
    shard
        .player_stats()
        .into_iter()
        .map(|(id, name, s)| {
            let (creeps, level, progress) = shard.colony(id);
            PlayerReport {
                name,
                creeps_alive: creeps,
                creeps_spawned: s.creeps_spawned,
                energy_harvested: s.energy_harvested,
                controller_level: level,
                controller_progress: progress,
                cpu_ms: CpuFigures {
                    avg: if s.ticks_run > 0 {
                        s.cpu_total_ms / s.ticks_run as f64
                    } else {
                        0.0
                    },
                    max: s.cpu_max_ms,
                },
                errors: s.errors,
                last_error: s.last_error,
                console: consoles.remove(&id).unwrap_or_default(),
            }
        })
        .collect()
}
