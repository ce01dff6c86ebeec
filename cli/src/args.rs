//! The command line: subcommands and the flags they share (`#[command(flatten)]`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use crate::isolation::{Isolation, IsolationArgs};

#[derive(Parser)]
#[command(
    name = "isoshard",
    version,
    about = "A Screeps-style game shard on persistent V8 isolates"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// What every player's code runs with (`serve` and `demo`).
#[derive(Args)]
pub struct PlayerCodeArgs {
    /// A script evaluated in every player's context before player code. Repeatable.
    #[arg(long = "preload")]
    pub preloads: Vec<PathBuf>,
    /// Do not give players lodash 3.10.1 as `_` (Screeps does; on by default).
    #[arg(long)]
    pub no_lodash: bool,
    /// Game.cpu.limit per player, in ms (for `serve`: of new shards).
    #[arg(long, default_value_t = 100)]
    pub cpu_limit_ms: i64,
}

/// World generation (`serve` and `demo`).
#[derive(Args)]
pub struct SeedArgs {
    /// World seed (for `serve`: of a new shard).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Subcommand)]
pub enum Command {
    /// A runner process (started by the shard, not by users).
    Runner {
        /// Talk to a shard over TCP instead of stdin/stdout.
        #[arg(long)]
        connect: Option<SocketAddr>,
    },
    /// Run players' code for shards on this machine: offer SLOTS lanes through Redis, each an
    /// `isoshard runner` process (serve with --runner-hosts on the same Redis). Stops on
    /// SIGTERM or Ctrl-C, handing its players back.
    RunnerHost {
        /// The Redis the shard's coordinator names with --runner-hosts.
        #[arg(long)]
        redis: String,
        /// Runner processes at most at once.
        #[arg(long, default_value_t = 2)]
        slots: usize,
        /// Running more than its share of the shard's runners, hand one back (its players
        /// start over on another host) at most this often.
        #[arg(long, default_value_t = 60)]
        rebalance_secs: u64,
    },
    /// Relays a runner's protocol to a runner host's lane (started by the shard, not by users).
    #[command(hide = true)]
    RunnerBridge {
        #[arg(long)]
        redis: String,
    },
    /// Run a shard continuously with the HTTP/WebSocket API and the web viewer.
    Serve(Box<crate::serve_config::ServeArgs>),
    /// Inspect, verify and export recordings.
    Replay {
        #[command(subcommand)]
        command: ReplayCommand,
    },
    /// Run a shard on embedded storage with sample bots (or yours) and print a report.
    Demo(DemoArgs),
    /// Run JavaScript files in order in ONE isolate and ONE context; one report per file.
    Sandbox(SandboxArgs),
    /// Operate a running shard through its admin API (players, bans, pause, bots, backup),
    /// or restore a backup offline.
    Admin(crate::admin_cli::AdminArgs),
    /// Copy a stopped shard between stores (a data directory or a Redis URL each), e.g. from
    /// sled to Redis. The target must be empty; the newest snapshot, the ticks after it and
    /// every player (Memory, segments, flags, branches) are copied.
    CopyStore {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// The AOF a Redis target must run with: always, everysec or unchecked.
        #[arg(long, default_value = "always")]
        redis_durability: String,
    },
    /// Check a shard's data directory record by record; with --repair, roll it back to its
    /// newest intact tick (printing every change). Exit 0 clean, 1 damaged, 2 unrepairable.
    Fsck {
        /// The data directory `serve --data` uses.
        data: PathBuf,
        /// Roll back to the newest intact snapshot and the intact ticks after it.
        #[arg(long)]
        repair: bool,
    },
}

#[derive(Args)]
pub struct DemoArgs {
    /// Ticks to run.
    #[arg(long, default_value_t = 1500)]
    pub ticks: u64,
    /// Sample-bot players (ignored with --bot).
    #[arg(long, default_value_t = 2)]
    pub players: usize,
    #[command(flatten)]
    pub seed: SeedArgs,
    /// A player from a directory of .js modules (main.js is the entry): NAME=DIR. Repeatable.
    #[arg(long = "bot", value_parser = parse_bot)]
    pub bots: Vec<(String, PathBuf)>,
    #[command(flatten)]
    pub code: PlayerCodeArgs,
    /// Keep the data here instead of a temporary directory.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Print every console line of every player as it comes ([tick] player: line; to stderr
    /// with --json).
    #[arg(long)]
    pub console: bool,
    #[command(flatten)]
    pub isolation: IsolationArgs,
}

#[derive(Args)]
pub struct SandboxArgs {
    /// Files to run, in order.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Memory limit of the isolate in MiB (at least 8).
    #[arg(long, default_value_t = 128)]
    pub memory_limit_mb: usize,
    /// CPU-time limit per file, in milliseconds.
    #[arg(long, default_value_t = 1000)]
    pub timeout_ms: u64,
    /// Wall-clock limit per file, in milliseconds (default: 2 × timeout).
    #[arg(long)]
    pub wall_timeout_ms: Option<u64>,
    /// Print one JSON object per file, one per line.
    #[arg(long)]
    pub json: bool,
    /// Serve the Chrome DevTools Protocol at this address (e.g. 127.0.0.1:9229), print the
    /// devtools:// URL, and wait for a debugger before running.
    #[arg(long)]
    pub inspect: Option<SocketAddr>,
    /// Run the isolate in this process instead of a child process (what the child runs; a
    /// V8 abort then ends this process).
    #[arg(long, hide = true)]
    pub in_process: bool,
}

#[derive(Subcommand)]
pub enum ReplayCommand {
    /// Tick range, players and size on disk of a recording.
    Info {
        /// Data directory (its `replay/` recording) or a recording directory.
        data: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Re-simulate from snapshots and recorded intents (no JavaScript) and check every hash.
    /// Exits 1 on divergence or corruption.
    Verify {
        data: PathBuf,
        #[arg(long)]
        from: Option<u64>,
        #[arg(long)]
        to: Option<u64>,
        /// Threads verifying segments in parallel (default: cores).
        #[arg(long)]
        threads: Option<usize>,
        #[arg(long)]
        json: bool,
    },
    /// With --tick: the world (or one room) at that tick, as JSON. Otherwise every tick of
    /// --from..=--to (default: all) as JSON Lines: each player's CPU, applied and refused
    /// intents with their return codes, console lines.
    Export {
        data: PathBuf,
        #[arg(long, conflicts_with_all = ["from", "to"])]
        tick: Option<u64>,
        #[arg(long, requires = "tick")]
        room: Option<String>,
        #[arg(long)]
        from: Option<u64>,
        #[arg(long)]
        to: Option<u64>,
    },
    /// A CSV row per tick and player: tick,player,cpu_ms,creeps,energy,rcl.
    Stats {
        data: PathBuf,
        #[arg(long)]
        from: Option<u64>,
        #[arg(long)]
        to: Option<u64>,
    },
    /// A web viewer that plays the recording: play/pause, step, seek to a tick. Read-only;
    /// works on a live shard's recording too.
    Serve {
        data: PathBuf,
        #[arg(long, default_value = "127.0.0.1:21026")]
        bind: SocketAddr,
    },
}

fn parse_bot(s: &str) -> Result<(String, PathBuf), String> {
    let (name, dir) = s
        .split_once('=')
        .ok_or_else(|| format!("expected NAME=DIR, got {s:?}"))?;
    if name.is_empty() || dir.is_empty() {
        return Err(format!("expected NAME=DIR, got {s:?}"));
    }
    Ok((name.to_string(), PathBuf::from(dir)))
}
