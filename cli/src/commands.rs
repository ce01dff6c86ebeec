//! One function per subcommand: build the library's options from the arguments, run, print,
//! and turn the outcome into an exit code (0 ok, 1 a replay that does not verify, 2 an error).

use std::process::ExitCode;
use std::time::Duration;

use isoshard_engine::demo::{run_demo, DemoOptions};
use isoshard_engine::replay_cli;
use isoshard_engine::sandbox::{run_sandbox, run_sandbox_in_child, SandboxOptions, SandboxReport};
use isoshard_engine::EngineError;

use crate::args::{DemoArgs, Isolation, ReplayCommand, SandboxArgs};
use crate::serve_config::{LogFormat, ServeArgs};

pub(crate) use crate::exit::failed;

/// The multi-threaded runtime of the HTTP subcommands.
fn tokio_runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}

pub fn runner(connect: Option<std::net::SocketAddr>) -> ExitCode {
    let result = match connect {
        None => isoshard_engine::runner::run_runner(std::io::stdin(), std::io::stdout()),
        Some(addr) => {
            match std::net::TcpStream::connect(addr).and_then(|s| Ok((s.try_clone()?, s))) {
                Ok((r, w)) => isoshard_engine::runner::run_runner(r, w),
                Err(e) => return failed("runner", format!("cannot connect to {addr}: {e}"), 2),
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => failed("runner", e, 2),
    }
}

/// Set by SIGTERM or SIGINT: the runner host withdraws its lanes and leaves.
static STOP_HOST: std::sync::OnceLock<std::sync::Arc<std::sync::atomic::AtomicBool>> =
    std::sync::OnceLock::new();

extern "C" fn stop_host(_: libc::c_int) {
    if let Some(stop) = STOP_HOST.get() {
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

pub fn runner_host(redis: String, slots: usize, rebalance_secs: u64) -> ExitCode {
    let stop = STOP_HOST
        .get_or_init(|| std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)))
        .clone();
    // SAFETY: the handler only stores to an atomic that is initialised above.
    unsafe {
        libc::signal(libc::SIGTERM, stop_host as *const () as libc::sighandler_t);
        libc::signal(libc::SIGINT, stop_host as *const () as libc::sighandler_t);
    }
    let options = isoshard_engine::runner::remote::RunnerHostOptions {
        redis,
        slots: slots.max(1),
        executable: std::env::current_exe().unwrap_or_else(|_| "isoshard".into()),
        data_limit: None,
        rebalance_every: Duration::from_secs(rebalance_secs.max(1)),
    };
    match isoshard_engine::runner::remote::run_runner_host(&options, stop) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => failed("runner-host", e, 2),
    }
}

/// `serve` with its settings merged (`serve_config`); logging starts here, configured by them.
pub fn serve(args: ServeArgs) -> ExitCode {
    let settings = match crate::serve_config::resolve(args) {
        Ok(s) => s,
        Err(e) => {
            crate::init_tracing("warn", LogFormat::Text);
            return failed("serve", e, 2);
        }
    };
    crate::init_tracing(&settings.log, settings.log_format);
    if let Some(file) = &settings.config_file {
        tracing::info!(file = %file.display(), "settings read");
    }
    let options = settings.options;
    let runtime = match tokio_runtime() {
        Ok(r) => r,
        Err(e) => return failed("serve", format!("cannot start the runtime: {e}"), 2),
    };
    match runtime.block_on(isoshard_engine::server::serve(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => failed("serve", e, 2),
    }
}

#[allow(clippy::print_stdout)]
/// Exit 0 when the store reads in full (after a repair, if asked), 1 when damaged, 2 when it
/// cannot be repaired.
pub fn fsck(data: &std::path::Path, repair: bool) -> ExitCode {
    match isoshard_engine::fsck(data, repair) {
        Ok(report) => {
            print!("{report}");
            if report.unrepairable.is_some() {
                ExitCode::from(2)
            } else if report.is_clean() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => failed("fsck", e, 2),
    }
}

pub fn copy_store(from: &str, to: &str, durability: &str) -> ExitCode {
    let durability = match durability.parse() {
        Ok(d) => d,
        Err(e) => return failed("copy-store", e, 2),
    };
    match isoshard_engine::copy_store(from, to, durability) {
        Ok(tick) => {
            eprintln!("isoshard copy-store: copied the shard at tick {tick}");
            ExitCode::SUCCESS
        }
        Err(e) => failed("copy-store", e, 2),
    }
}

#[allow(clippy::print_stdout)]
pub fn demo(args: DemoArgs) -> ExitCode {
    let options = DemoOptions {
        ticks: args.ticks,
        players: args.players,
        seed: args.seed.seed,
        bots: args.bots,
        preloads: args.code.preloads,
        lodash: !args.code.no_lodash,
        data: args.data,
        cpu_limit_ms: args.code.cpu_limit_ms,
        progress: !args.json,
        console: args.console,
        runners: args.isolation.runners(Isolation::Thread),
    };
    match run_demo(&options) {
        Ok(report) if args.json => {
            println!("{}", serde_json::to_string(&report).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Ok(report) => {
            print!("{}", report.table());
            ExitCode::SUCCESS
        }
        Err(e) => failed("demo", e, 2),
    }
}

#[allow(clippy::print_stdout)]
pub fn sandbox(args: SandboxArgs) -> ExitCode {
    let options = SandboxOptions {
        memory_limit_mb: args.memory_limit_mb,
        cpu_limit: Duration::from_millis(args.timeout_ms),
        wall_limit: args.wall_timeout_ms.map(Duration::from_millis),
        inspect: args.inspect,
    };
    let json = args.json;
    let mut print = |r: &SandboxReport| {
        if json {
            println!("{}", serde_json::to_string(r).unwrap_or_default());
        } else {
            println!("{}", r.human());
        }
        // The parent reads a child's reports as they come: one that crashes keeps the rest.
        let _ = std::io::Write::flush(&mut std::io::stdout());
    };
    let ran = if args.in_process {
        isoshard_engine::runner::install_overrun_exit();
        run_sandbox(&args.files, &options, &mut print)
    } else {
        std::env::current_exe()
            .map_err(isoshard_engine::EngineError::io(
                "cannot find this executable",
            ))
            .and_then(|exe| run_sandbox_in_child(&exe, &args.files, &options, &mut print))
    };
    match ran {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => failed("sandbox", e, 2),
    }
}

pub fn replay(command: ReplayCommand) -> ExitCode {
    let result = match command {
        ReplayCommand::Info { data, json } => replay_info(&data, json),
        ReplayCommand::Verify {
            data,
            from,
            to,
            threads,
            json,
        } => replay_verify(&data, from, to, threads, json),
        ReplayCommand::Export {
            data,
            tick,
            room,
            from,
            to,
        } => replay_export(&data, tick, room, (from, to)),
        ReplayCommand::Stats { data, from, to } => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            isoshard_engine::replay_analysis::stats_csv(&data, from, to, &mut out)
                .map(|_| ExitCode::SUCCESS)
        }
        ReplayCommand::Serve { data, bind } => replay_serve(data, bind),
    };
    result.unwrap_or_else(|e| failed("replay", e, 1))
}

#[allow(clippy::print_stdout)]
fn replay_info(data: &std::path::Path, json: bool) -> Result<ExitCode, EngineError> {
    let i = replay_cli::info(data)?;
    if json {
        println!("{}", serde_json::to_string(&i).unwrap_or_default());
    } else {
        println!(
            "ticks {}..={}  segments {}  {:.1} KiB on disk",
            i.first_tick,
            i.last_tick,
            i.segments,
            i.bytes_on_disk as f64 / 1024.0
        );
        println!("players: {}", i.players.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
fn replay_verify(
    data: &std::path::Path,
    from: Option<u64>,
    to: Option<u64>,
    threads: Option<usize>,
    json: bool,
) -> Result<ExitCode, EngineError> {
    let threads = threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
    });
    let r = replay_cli::verify(data, from, to, threads, !json)?;
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
    Ok(if r.divergence.is_some() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[allow(clippy::print_stdout)]
fn replay_export(
    data: &std::path::Path,
    tick: Option<u64>,
    room: Option<String>,
    (from, to): (Option<u64>, Option<u64>),
) -> Result<ExitCode, EngineError> {
    match tick {
        Some(tick) => println!("{}", replay_cli::export(data, tick, room.as_deref())?),
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            isoshard_engine::replay_analysis::export_ticks(data, from, to, &mut out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn replay_serve(
    data: std::path::PathBuf,
    bind: std::net::SocketAddr,
) -> Result<ExitCode, EngineError> {
    let runtime = match tokio_runtime() {
        Ok(r) => r,
        Err(e) => {
            return Ok(failed(
                "replay serve",
                format!("cannot start the runtime: {e}"),
                2,
            ))
        }
    };
    let options = isoshard_engine::replay_viewer::ReplayViewerOptions { data, bind };
    runtime.block_on(isoshard_engine::replay_viewer::serve(options))?;
    Ok(ExitCode::SUCCESS)
}
