//! The command line: subcommands and the flags they share (`#[command(flatten)]`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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

/// Where players' isolates run.
#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq, Eq)]
pub enum Isolation {
    /// Supervised runner processes: a V8 abort takes down one runner, not the shard.
    Process,
    /// Home threads in the shard's own process.
    Thread,
}

/// How players' code is isolated (`serve` and `demo`).
#[derive(Args)]
pub struct IsolationArgs {
    /// Where players' isolates run [default: process for serve, thread for demo].
    #[arg(long, value_enum)]
    pub isolation: Option<Isolation>,
    /// Runner processes with `--isolation process` (default: cores).
    #[arg(long)]
    pub runners: Option<usize>,
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
    /// Run a shard continuously with the HTTP/WebSocket API and the web viewer.
    Serve(ServeArgs),
    /// Inspect, verify and export recordings.
    Replay {
        #[command(subcommand)]
        command: ReplayCommand,
    },
    /// Run a shard on embedded storage with sample bots (or yours) and print a report.
    Demo(DemoArgs),
    /// Run JavaScript files in order in ONE isolate and ONE context; one report per file.
    Sandbox(SandboxArgs),
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
pub struct ServeArgs {
    /// Data directory (sled database and recording); created if missing, resumed if not.
    #[arg(long)]
    pub data: PathBuf,
    #[arg(long, default_value = "127.0.0.1:21025")]
    pub bind: SocketAddr,
    /// Minimum tick duration in milliseconds.
    #[arg(long, default_value_t = 1000)]
    pub tick_ms: u64,
    /// File holding the admin token (registration when it is closed).
    #[arg(long)]
    pub admin_token_file: Option<PathBuf>,
    /// Anyone may register.
    #[arg(long)]
    pub open_registration: bool,
    /// Place each new player in a random free room at registration (the demo's way),
    /// instead of letting them choose one with `/api/game/place-spawn` (Screeps' way).
    #[arg(long)]
    pub auto_place: bool,
    #[command(flatten)]
    pub seed: SeedArgs,
    /// Rooms per side for a new shard.
    #[arg(long, default_value_t = 5)]
    pub rooms: u32,
    #[command(flatten)]
    pub code: PlayerCodeArgs,
    #[command(flatten)]
    pub isolation: IsolationArgs,
    /// Keep at least this many of the newest ticks in the recording (DATA/replay); older
    /// segments are deleted. Default: keep everything.
    #[arg(long)]
    pub replay_keep_ticks: Option<u64>,
    /// Serve the Chrome DevTools Protocol here (e.g. 127.0.0.1:9229): every player can
    /// debug their own bot with their API token. With `--isolation process` (the default)
    /// sessions are relayed to the runner hosting the player; each player isolate then has
    /// an OS thread of its own.
    #[arg(long)]
    pub inspect: Option<SocketAddr>,
    #[command(flatten)]
    pub limits: ServeLimitArgs,
}

/// What one client may do (`serve`); over a limit requests get 429 or the connection is
/// refused.
#[derive(Args)]
pub struct ServeLimitArgs {
    /// Open HTTP connections at most.
    #[arg(long, default_value_t = 512)]
    pub max_connections: usize,
    /// Open HTTP connections, and open streams, per client address at most.
    #[arg(long, default_value_t = 64)]
    pub max_connections_per_client: usize,
    /// Open `/api/stream` WebSockets at most.
    #[arg(long, default_value_t = 1024)]
    pub max_streams: usize,
    /// Seconds a client has to send a request head (and to start the next one on a kept-alive
    /// connection); also the idle timeout.
    #[arg(long, default_value_t = 10)]
    pub header_timeout_s: u64,
    /// Seconds a client has to send a request body.
    #[arg(long, default_value_t = 30)]
    pub body_timeout_s: u64,
    /// Sign-in attempts per client address per minute, and wrong passwords per account.
    #[arg(long, default_value_t = 20)]
    pub sign_ins_per_minute: u32,
    /// Registrations per client address per minute (admin-token registrations are exempt).
    #[arg(long, default_value_t = 5)]
    pub registrations_per_minute: u32,
    /// Code uploads per player per minute.
    #[arg(long, default_value_t = 30)]
    pub uploads_per_minute: u32,
    /// Memory, segment and console requests per player per minute.
    #[arg(long, default_value_t = 120)]
    pub memory_requests_per_minute: u32,
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
    /// The world (or one room) at a tick, as JSON.
    Export {
        data: PathBuf,
        #[arg(long)]
        tick: u64,
        #[arg(long)]
        room: Option<String>,
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

impl IsolationArgs {
    /// Runner-process options, or `None` for in-process home threads.
    pub fn runners(
        &self,
        default: Isolation,
    ) -> Option<isoshard_engine::runner::ProcessHostOptions> {
        if self.isolation.unwrap_or(default) != Isolation::Process {
            return None;
        }
        let mut o = isoshard_engine::runner::ProcessHostOptions::default();
        if let Some(n) = self.runners {
            o.runners = n.max(1);
        }
        Some(o)
    }
}
