//! The `isoshard` command-line tool.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use isoshard_engine::demo::{run_demo, DemoOptions};
use isoshard_engine::sandbox::{run_sandbox, SandboxOptions};

#[derive(Parser)]
#[command(
    name = "isoshard",
    version,
    about = "A Screeps-style game shard on persistent V8 isolates"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum ReplayCommand {
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
        bind: std::net::SocketAddr,
    },
}

/// Where players' isolates run.
#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq, Eq)]
enum Isolation {
    /// Supervised runner processes: a V8 abort takes down one runner, not the shard.
    Process,
    /// Home threads in the shard's own process.
    Thread,
}

#[derive(Subcommand)]
enum Command {
    /// A runner process (started by the shard, not by users).
    Runner {
        /// Talk to a shard over TCP instead of stdin/stdout.
        #[arg(long)]
        connect: Option<std::net::SocketAddr>,
    },
    /// Run a shard continuously with the HTTP/WebSocket API and the web viewer.
    Serve {
        /// Data directory (sled database and recording); created if missing, resumed if not.
        #[arg(long)]
        data: PathBuf,
        #[arg(long, default_value = "127.0.0.1:21025")]
        bind: std::net::SocketAddr,
        /// Minimum tick duration in milliseconds.
        #[arg(long, default_value_t = 1000)]
        tick_ms: u64,
        /// A script evaluated in every player's context before player code. Repeatable.
        #[arg(long = "preload")]
        preloads: Vec<PathBuf>,
        /// File holding the admin token (registration when it is closed).
        #[arg(long)]
        admin_token_file: Option<PathBuf>,
        /// Anyone may register.
        #[arg(long)]
        open_registration: bool,
        /// World seed for a new shard.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Rooms per side for a new shard.
        #[arg(long, default_value_t = 5)]
        rooms: u32,
        /// Game.cpu.limit per player, in ms (new shards).
        #[arg(long, default_value_t = 100)]
        cpu_limit_ms: i64,
        /// Where players' isolates run.
        #[arg(long, value_enum, default_value_t = Isolation::Process)]
        isolation: Isolation,
        /// Runner processes with `--isolation process` (default: cores).
        #[arg(long)]
        runners: Option<usize>,
        /// Keep at least this many of the newest ticks in the recording (DATA/replay); older
        /// segments are deleted. Default: keep everything.
        #[arg(long)]
        replay_keep_ticks: Option<u64>,
        /// Serve the Chrome DevTools Protocol here (e.g. 127.0.0.1:9229): every player can
        /// debug their own bot with their API token. Needs `--isolation thread`; each player
        /// isolate then has an OS thread of its own.
        #[arg(long)]
        inspect: Option<std::net::SocketAddr>,
    },
    /// Inspect, verify and export recordings.
    Replay {
        #[command(subcommand)]
        command: ReplayCommand,
    },
    /// Run a shard on embedded storage with sample bots (or yours) and print a report.
    Demo {
        /// Ticks to run.
        #[arg(long, default_value_t = 1500)]
        ticks: u64,
        /// Sample-bot players (ignored with --bot).
        #[arg(long, default_value_t = 2)]
        players: usize,
        /// World seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A player from a directory of .js modules (main.js is the entry): NAME=DIR. Repeatable.
        #[arg(long = "bot", value_parser = parse_bot)]
        bots: Vec<(String, PathBuf)>,
        /// A script evaluated in every player's context before player code. Repeatable.
        #[arg(long = "preload")]
        preloads: Vec<PathBuf>,
        /// Keep the data here instead of a temporary directory.
        #[arg(long)]
        data: Option<PathBuf>,
        /// Game.cpu.limit per player, in ms.
        #[arg(long, default_value_t = 100)]
        cpu_limit_ms: i64,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
        /// Where players' isolates run.
        #[arg(long, value_enum, default_value_t = Isolation::Thread)]
        isolation: Isolation,
        /// Runner processes with `--isolation process` (default: cores).
        #[arg(long)]
        runners: Option<usize>,
    },
    /// Run JavaScript files in order in ONE isolate and ONE context; one report per file.
    Sandbox {
        /// Files to run, in order.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Memory limit of the isolate in MiB (at least 8).
        #[arg(long, default_value_t = 128)]
        memory_limit_mb: usize,
        /// CPU-time limit per file, in milliseconds.
        #[arg(long, default_value_t = 1000)]
        timeout_ms: u64,
        /// Wall-clock limit per file, in milliseconds (default: 2 × timeout).
        #[arg(long)]
        wall_timeout_ms: Option<u64>,
        /// Print one JSON object per file, one per line.
        #[arg(long)]
        json: bool,
        /// Serve the Chrome DevTools Protocol at this address (e.g. 127.0.0.1:9229), print the
        /// devtools:// URL, and wait for a debugger before running.
        #[arg(long)]
        inspect: Option<std::net::SocketAddr>,
    },
}

fn runner_options(runners: Option<usize>) -> isoshard_engine::runner::ProcessHostOptions {
    let mut o = isoshard_engine::runner::ProcessHostOptions::default();
    if let Some(n) = runners {
        o.runners = n.max(1);
    }
    o
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

#[allow(clippy::print_stdout)]
fn run_replay(command: ReplayCommand) -> ExitCode {
    use isoshard_engine::replay_cli;
    let fail = |e: isoshard_engine::EngineError| {
        eprintln!("isoshard replay: {e}");
        ExitCode::from(1)
    };
    match command {
        ReplayCommand::Info { data, json } => match replay_cli::info(&data) {
            Ok(i) if json => {
                println!("{}", serde_json::to_string(&i).unwrap_or_default());
                ExitCode::SUCCESS
            }
            Ok(i) => {
                println!(
                    "ticks {}..={}  segments {}  {:.1} KiB on disk",
                    i.first_tick,
                    i.last_tick,
                    i.segments,
                    i.bytes_on_disk as f64 / 1024.0
                );
                println!("players: {}", i.players.join(", "));
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
        ReplayCommand::Verify {
            data,
            from,
            to,
            threads,
            json,
        } => {
            let threads = threads.unwrap_or_else(|| {
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(2)
            });
            match replay_cli::verify(&data, from, to, threads, !json) {
                Ok(r) => {
                    if json {
                        println!("{}", serde_json::to_string(&r).unwrap_or_default());
                    } else if let Some(d) = &r.divergence {
                        println!(
                            "DIVERGED at tick {} ({}): expected {} got {}",
                            d.tick, d.file, d.expected_hash, d.actual_hash
                        );
                        println!("rooms: {}", d.rooms.join(", "));
                        println!("objects: {}", d.objects.join(", "));
                    } else {
                        let secs = r.elapsed.as_secs_f64().max(1e-9);
                        println!(
                            "ok: {} ticks in {} segments verified in {:.2}s ({:.0} ticks/s)",
                            r.ticks_verified,
                            r.segments,
                            secs,
                            r.ticks_verified as f64 / secs
                        );
                    }
                    if r.divergence.is_some() {
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(e) => fail(e),
            }
        }
        ReplayCommand::Serve { data, bind } => {
            let Some(runtime) = tokio_runtime("replay serve") else {
                return ExitCode::from(2);
            };
            let options = isoshard_engine::replay_viewer::ReplayViewerOptions { data, bind };
            match runtime.block_on(isoshard_engine::replay_viewer::serve(options)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e),
            }
        }
        ReplayCommand::Export { data, tick, room } => {
            match replay_cli::export(&data, tick, room.as_deref()) {
                Ok(v) => {
                    println!("{v}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
    }
}

/// The multi-threaded runtime of the HTTP subcommands; `None` after printing why not.
fn tokio_runtime(command: &str) -> Option<tokio::runtime::Runtime> {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => Some(r),
        Err(e) => {
            eprintln!("isoshard {command}: cannot start the runtime: {e}");
            None
        }
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ISOSHARD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

// Ticks allocate and free many small objects (views, JSON, frames) on several threads at
// once, and runners read megabyte frames every tick: glibc malloc showed up at ~10 % of the
// tick thread's samples (`perf`); figures with and without in BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[allow(clippy::print_stdout)]
fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    match cli.command {
        Command::Runner { connect } => {
            let result = match connect {
                None => isoshard_engine::runner::run_runner(std::io::stdin(), std::io::stdout()),
                Some(addr) => {
                    match std::net::TcpStream::connect(addr).and_then(|s| Ok((s.try_clone()?, s))) {
                        Ok((r, w)) => isoshard_engine::runner::run_runner(r, w),
                        Err(e) => {
                            eprintln!("isoshard runner: cannot connect to {addr}: {e}");
                            return ExitCode::from(2);
                        }
                    }
                }
            };
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("isoshard runner: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Serve {
            data,
            bind,
            tick_ms,
            preloads,
            admin_token_file,
            open_registration,
            seed,
            rooms,
            cpu_limit_ms,
            isolation,
            runners,
            replay_keep_ticks,
            inspect,
        } => {
            let options = isoshard_engine::server::ServeOptions {
                data,
                bind,
                tick: Duration::from_millis(tick_ms.max(1)),
                preloads,
                admin_token_file,
                open_registration,
                world: isoshard_world::WorldConfig {
                    seed,
                    width: rooms.max(1),
                    height: rooms.max(1),
                },
                cpu_limit_ms,
                runners: (isolation == Isolation::Process).then(|| runner_options(runners)),
                replay_keep_ticks,
                inspect,
            };
            let Some(runtime) = tokio_runtime("serve") else {
                return ExitCode::from(2);
            };
            match runtime.block_on(isoshard_engine::server::serve(options)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("isoshard serve: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Replay { command } => run_replay(command),
        Command::Demo {
            ticks,
            players,
            seed,
            bots,
            preloads,
            data,
            cpu_limit_ms,
            json,
            isolation,
            runners,
        } => {
            let options = DemoOptions {
                ticks,
                players,
                seed,
                bots,
                preloads,
                data,
                cpu_limit_ms,
                progress: !json,
                runners: (isolation == Isolation::Process).then(|| runner_options(runners)),
            };
            match run_demo(&options) {
                Ok(report) => {
                    if json {
                        println!("{}", serde_json::to_string(&report).unwrap_or_default());
                    } else {
                        print!("{}", report.table());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("isoshard demo: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Sandbox {
            files,
            memory_limit_mb,
            timeout_ms,
            wall_timeout_ms,
            json,
            inspect,
        } => {
            let options = SandboxOptions {
                memory_limit_mb,
                cpu_limit: Duration::from_millis(timeout_ms),
                wall_limit: wall_timeout_ms.map(Duration::from_millis),
                inspect,
            };
            match run_sandbox(&files, &options) {
                Ok(reports) => {
                    for r in reports {
                        if json {
                            println!("{}", serde_json::to_string(&r).unwrap_or_default());
                        } else {
                            println!("{}", r.human());
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("isoshard sandbox: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}
