//! The `isoshard` command-line tool: parses the command line ([`args`]) and hands each
//! subcommand to its function in [`commands`]; everything it runs lives in the
//! `isoshard-engine` library.

mod args;
mod commands;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

// Ticks allocate and free many small objects (views, JSON, frames) on several threads at
// once, and runners read megabyte frames every tick: glibc malloc showed up at ~10 % of the
// tick thread's samples (`perf`); figures with and without in BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ISOSHARD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn main() -> ExitCode {
    init_tracing();
    match Cli::parse().command {
        Command::Runner { connect } => commands::runner(connect),
        Command::Serve(args) => commands::serve(args),
        Command::Replay { command } => commands::replay(command),
        Command::Demo(args) => commands::demo(args),
        Command::Sandbox(args) => commands::sandbox(args),
        Command::Fsck { data, repair } => commands::fsck(&data, repair),
    }
}
