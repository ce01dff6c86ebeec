//! Player isolate start and memory: `PlayerRuntime::start` (isolate, context, callbacks,
//! prelude, bundled lodash, setup) with the prelude from the startup snapshot or run from its
//! shared source, with and without lodash; then the heap in use after a full GC and the
//! resident memory per player, with all of them alive.
//!
//! `cargo bench -p isoshard-player-api --bench runtime_start [-- --players N]`
//!
//! Each configuration runs in a child process of its own: isolates of different snapshots
//! must not live side by side in one process (see `prelude_snapshot`), and each process's
//! resident memory is then that configuration's alone.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use isoshard_player_api::{PlayerRuntime, PlayerRuntimeOptions, PlayerSetup};
use isoshard_scripting::ExternalCopy;
use serde_json::json;

// The allocator the `isoshard` binary (and so every runner) uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4)
}

/// Starts `n` players and keeps them: mean start time, mean heap in use after a full GC
/// (bytes), resident KiB per player.
fn start_many(options: &PlayerRuntimeOptions, n: usize) -> (Duration, usize, f64) {
    let map = ExternalCopy::from_json(&json!({ "terrain": {}, "exits": {} })).unwrap();
    let modules: BTreeMap<String, String> = [(
        "main".to_string(),
        "module.exports.loop = function () {};".to_string(),
    )]
    .into();
    let setup = || PlayerSetup {
        username: "bench".into(),
        modules: modules.clone(),
        memory: String::new(),
        map: map.clone(),
    };
    // Warm up: code cache, snapshot creation, home threads.
    for _ in 0..3 {
        PlayerRuntime::start(setup(), options).unwrap().dispose();
    }
    let before = rss_kib();
    let (mut total, mut heap) = (Duration::ZERO, 0);
    let mut alive = Vec::new();
    for _ in 0..n {
        let t = Instant::now();
        let runtime = PlayerRuntime::start(setup(), options).unwrap();
        total += t.elapsed();
        runtime.isolate().collect_garbage().unwrap();
        heap += runtime.isolate().heap_statistics().unwrap().used_heap_size;
        alive.push(runtime);
    }
    let per_player = rss_kib().saturating_sub(before) as f64 / n as f64;
    (total / n as u32, heap / n, per_player)
}

#[allow(clippy::print_stdout)]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let players = args
        .iter()
        .position(|a| a == "--players")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(100usize);
    if let Ok(config) = std::env::var("RUNTIME_START_CONFIG") {
        let (snapshot, lodash) = (config.contains("snapshot"), config.contains("lodash"));
        let options = PlayerRuntimeOptions {
            lodash,
            prelude_snapshot: snapshot,
            ..PlayerRuntimeOptions::default()
        };
        let (start, heap, rss) = start_many(&options, players);
        println!(
            "| {} | {} | {:.0} µs | {:.0} KiB | {:.0} KiB |",
            if snapshot {
                "from the snapshot"
            } else {
                "from its shared source"
            },
            if lodash { "yes" } else { "no" },
            start.as_secs_f64() * 1e6,
            heap as f64 / 1024.0,
            rss
        );
        return;
    }
    println!("{players} players kept alive per configuration:\n");
    println!("| prelude | lodash | start | heap in use after GC | RSS per player |");
    println!("|---|---|---:|---:|---:|");
    for config in ["source", "source lodash", "snapshot", "snapshot lodash"] {
        let status = std::process::Command::new(&args[0])
            .args(&args[1..])
            .env("RUNTIME_START_CONFIG", config)
            .status()
            .expect("the bench re-runs itself");
        assert!(status.success(), "{config} failed");
    }
}
