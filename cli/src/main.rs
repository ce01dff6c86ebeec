//! The `isoshard` command-line tool: parses the command line ([`args`]) and hands each
//! subcommand to its function in [`commands`]; everything it runs lives in the
//! `isoshard-engine` library.

mod admin_cli;
mod args;
mod commands;
mod exit;
mod isolation;
mod serve_config;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

// Ticks allocate and free many small objects (views, JSON, frames) on several threads at
// once, and runners read megabyte frames every tick: glibc malloc showed up at ~10 % of the
// tick thread's samples (`perf`); figures with and without in BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Logs to stderr: `filter` as `RUST_LOG` takes it, as text (coloured only on a terminal) or
/// JSON lines. An invalid filter falls back to `warn` and says so.
pub(crate) fn init_tracing(filter: &str, format: serve_config::LogFormat) {
    use std::io::IsTerminal;
    let (filter, invalid) = match tracing_subscriber::EnvFilter::try_new(filter) {
        Ok(f) => (f, None),
        Err(e) => (tracing_subscriber::EnvFilter::new("warn"), Some(e)),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        serve_config::LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
        serve_config::LogFormat::Json => builder.json().try_init(),
    };
    if let Some(e) = invalid {
        tracing::warn!(error = %e, "invalid log filter; logging warnings only");
    }
}

/// The log filter of the commands other than `serve`: `RUST_LOG` (or its old name
/// `ISOSHARD_LOG`), warnings by default.
fn command_log_filter() -> String {
    std::env::var("RUST_LOG")
        .or_else(|_| std::env::var("ISOSHARD_LOG"))
        .unwrap_or_else(|_| "warn".into())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve(_)) {
        init_tracing(&command_log_filter(), serve_config::LogFormat::Text);
    }
    match cli.command {
        Command::Runner { connect } => commands::runner(connect),
        Command::RunnerHost {
            redis,
            slots,
            rebalance_secs,
        } => commands::runner_host(redis, slots, rebalance_secs),
        Command::RunnerBridge { redis } => isoshard_engine::runner::remote::run_bridge(&redis),
        Command::Serve(args) => commands::serve(*args),
        Command::Replay { command } => commands::replay(command),
        Command::Demo(args) => commands::demo(args),
        Command::Sandbox(args) => commands::sandbox(args),
        Command::Fsck { data, repair } => commands::fsck(&data, repair),
        Command::CopyStore {
            from,
            to,
            redis_durability,
        } => commands::copy_store(&from, &to, &redis_durability),
        Command::Admin(args) => admin_cli::admin(args),
    }
}
