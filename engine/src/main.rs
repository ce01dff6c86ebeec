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
enum Command {
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

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ISOSHARD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

#[allow(clippy::print_stdout)]
fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    match cli.command {
        Command::Demo {
            ticks,
            players,
            seed,
            bots,
            preloads,
            data,
            cpu_limit_ms,
            json,
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
        } => {
            let options = SandboxOptions {
                memory_limit_mb,
                cpu_limit: Duration::from_millis(timeout_ms),
                wall_limit: wall_timeout_ms.map(Duration::from_millis),
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
