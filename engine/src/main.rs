//! The `isoshard` command-line tool.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
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
        /// Wall-clock limit per file, in milliseconds (default: 4 × timeout).
        #[arg(long)]
        wall_timeout_ms: Option<u64>,
        /// Print one JSON object per file, one per line.
        #[arg(long)]
        json: bool,
    },
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
