//! Shard tick benchmark (`-- --players 1,10 --ticks N`): mean and median ms/tick for 1, 10,
//! 100 and 500 players running a trivial bot and a sample bot, with the per-player split into
//! marshal / run / collect. Isolate start-up is excluded (warm-up ticks). Also writes a room view to `target/bench/room_view.json` for the
//! isolated-vm harness in `bench/isolated-vm/tick.js`.
//!
//! `cargo bench -p isoshard-cli --bench tick [-- --quick] [-- --players 1,10] [-- --process]
//! [-- --remote] [-- --bot trivial|sample] [-- --bot-dir DIR] [-- --no-lodash] [-- --warmup N]`
//!
//! `--remote` runs every case twice, side by side: in local runner processes, then on two
//! runner hosts (`isoshard runner-host`, one lane each) reached through a `redis-server` on a
//! Unix socket, with as many runners: the difference is what a remote host costs.

use std::time::Instant;

use isoshard_engine::{sample_bots, CodeBundle, Shard, ShardOptions, SledStorage};
use isoshard_world::WorldConfig;

fn grid_for(players: usize) -> u32 {
    let mut side = 3u32;
    while ((side * side) as usize).div_ceil(2) < players {
        side += 1;
    }
    side
}

// The allocator the `isoshard` binary (and so every runner) uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// CPU time so far of this process's isolate home threads (`/proc/self/task/*/schedstat`): the
/// per-player cost without this VM's scheduling noise in it. Zero in process mode (the home
/// threads are in the runners).
fn home_thread_cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .flatten()
        .filter(|t| {
            std::fs::read_to_string(t.path().join("comm"))
                .is_ok_and(|c| c.starts_with("isoshard-home"))
        })
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// Resident bytes of process `pid` (`VmRSS`), 0 when it is gone.
fn rss_bytes(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// Bytes Redis has received and sent so far (`INFO stats`).
fn redis_net_bytes(url: &str) -> (u64, u64) {
    let mut con = redis::Client::open(url)
        .and_then(|c| c.get_connection())
        .expect("the bench's Redis");
    let info: String = redis::cmd("INFO").arg("stats").query(&mut con).unwrap();
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0)
    };
    (
        field("total_net_input_bytes:"),
        field("total_net_output_bytes:"),
    )
}

#[allow(clippy::print_stdout)]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let counts: Vec<usize> = args
        .iter()
        .position(|a| a == "--players")
        .and_then(|i| args.get(i + 1))
        .map(|s| s.split(',').filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 10, 100, 500]);
    let measured: usize = args
        .iter()
        .position(|a| a == "--ticks")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(if quick { 5 } else { 20 });
    let remote = args.iter().any(|a| a == "--remote");
    // `--no-lodash`: players without lodash (what lodash costs per isolate).
    let no_lodash = args.iter().any(|a| a == "--no-lodash");
    let process = remote || args.iter().any(|a| a == "--process");
    // Two runner hosts of one lane each (the default runner count on this 2-core machine).
    let hosts = remote.then(|| {
        let redis = isoshard_engine::LocalRedis::start().unwrap();
        let children: Vec<_> = (0..2)
            .map(|_| {
                std::process::Command::new(env!("CARGO_BIN_EXE_isoshard"))
                    .args(["runner-host", "--redis", &redis.url(), "--slots", "1"])
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        (redis, children)
    });
    let modes: Vec<Option<String>> = match &hosts {
        Some((redis, _)) => vec![None, Some(redis.url())],
        None => vec![None],
    };
    // Ticks before measuring. The first 5 include every isolate's start-up; more of them let
    // V8 finish optimizing the prelude in each isolate (the steady state of a long-lived shard).
    let warmup: usize = args
        .iter()
        .position(|a| a == "--warmup")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let only_bot: Option<&str> = args
        .iter()
        .position(|a| a == "--bot")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str);
    let trivial = CodeBundle::new(
        [(
            "main".to_string(),
            "module.exports.loop = function () {}".to_string(),
        )]
        .into(),
    )
    .unwrap();
    let sample = sample_bots()[0].1.clone();
    // `--bot-dir DIR`: that bot instead of the trivial and sample ones (lodash is preloaded,
    // as on Screeps), e.g. player-api/examples/tutorial-lodash.
    let from_dir = args
        .iter()
        .position(|a| a == "--bot-dir")
        .and_then(|i| args.get(i + 1))
        .map(|dir| {
            let path = std::path::Path::new(dir);
            let name = path
                .file_name()
                .map_or("bot".into(), |n| n.to_string_lossy().into_owned());
            (name, CodeBundle::from_dir(path).expect("a bot directory"))
        });
    println!(
        "{:>8} {:>8} {:>10} {:>8} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12}",
        "players",
        "bot",
        "ms/tick",
        "p50 ms",
        "player ms",
        "marshal us",
        "run us",
        "collect us",
        "world ms",
        "home cpu us"
    );
    for &n in &counts {
        let bots: Vec<(&str, &CodeBundle)> = match &from_dir {
            Some((name, code)) => vec![(name.as_str(), code)],
            None => vec![("trivial", &trivial), ("sample", &sample)],
        };
        for ((label, code), via) in bots
            .into_iter()
            .flat_map(|bot| modes.iter().map(move |m| (bot, m)))
        {
            if only_bot.is_some_and(|b| b != label) {
                continue;
            }
            let label = match via {
                Some(_) => format!("{label}/remote"),
                None => label.to_string(),
            };
            let dir = tempfile::tempdir().unwrap();
            let side = grid_for(n);
            let mut shard = Shard::create(
                ShardOptions {
                    world: WorldConfig {
                        seed: 7,
                        width: side,
                        height: side,
                    },
                    runtime: isoshard_player_api::PlayerRuntimeOptions {
                        lodash: !no_lodash,
                        ..Default::default()
                    },
                    ..ShardOptions::default()
                },
                Box::new(SledStorage::open(dir.path(), false).unwrap()),
            )
            .unwrap();
            shard
                .add_players((0..n).map(|i| (format!("p{i}"), code.clone())).collect())
                .unwrap();
            if process {
                shard
                    .use_runner_processes(isoshard_engine::runner::ProcessHostOptions {
                        executable: env!("CARGO_BIN_EXE_isoshard").into(),
                        remote: via.clone(),
                        ..Default::default()
                    })
                    .unwrap();
            }
            if n == counts[0] && label == "trivial" {
                let views = shard.world().views();
                let room = views
                    .players
                    .values()
                    .next()
                    .map(|p| p.rooms[0].clone())
                    .unwrap();
                let out = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/bench");
                std::fs::create_dir_all(out).unwrap();
                std::fs::write(
                    format!("{out}/room_view.json"),
                    serde_json::to_string(&views.rooms[&room]).unwrap(),
                )
                .unwrap();
            }
            // Warm-up: global resets (isolate start-up) happen here, and colonies get creeps.
            for _ in 0..warmup {
                shard.tick().unwrap();
            }
            let redis_before = via.as_deref().map(redis_net_bytes);
            let home_cpu_before = home_thread_cpu_ns();
            let start = Instant::now();
            let (mut marshal, mut run, mut collect, mut world, mut players) =
                (0u64, 0u64, 0u64, 0u64, 0u64);
            let mut each = Vec::with_capacity(measured);
            for _ in 0..measured {
                let one = Instant::now();
                let s = shard.tick().unwrap();
                each.push(one.elapsed().as_secs_f64() * 1000.0);
                marshal += s.timings.marshal_ns;
                run += s.timings.run_ns;
                collect += s.timings.collect_ns;
                world += s.timings.world_ns;
                players += s.timings.players_ns;
            }
            let per_tick = start.elapsed().as_secs_f64() * 1000.0 / measured as f64;
            let mib = |b: u64| b as f64 / (1 << 20) as f64;
            let own_mb = mib(rss_bytes(std::process::id()));
            let runners_mb = mib(shard.runner_pids().into_iter().map(rss_bytes).sum::<u64>());
            let rss_mb = own_mb + runners_mb;
            let heap_mb = shard
                .player_stats()
                .iter()
                .map(|(_, _, s)| s.last_heap_bytes)
                .sum::<u64>() as f64
                / (1 << 20) as f64;
            println!(
                "         RSS (this process and its runners): {rss_mb:.0} MiB ({own_mb:.0} + {runners_mb:.0}), {:.2} MiB per player; V8 heap in use {:.2} MiB per player",
                rss_mb / n as f64,
                heap_mb / n as f64
            );
            if let (Some(url), Some(before)) = (via.as_deref(), redis_before) {
                let after = redis_net_bytes(url);
                println!(
                    "         through Redis: {:.0} KiB in, {:.0} KiB out per tick",
                    (after.0 - before.0) as f64 / 1024.0 / measured as f64,
                    (after.1 - before.1) as f64 / 1024.0 / measured as f64
                );
            }
            let home_cpu = home_thread_cpu_ns().saturating_sub(home_cpu_before);
            each.sort_by(f64::total_cmp);
            let p50 = each[each.len() / 2];
            let per_player = |ns: u64| ns as f64 / 1000.0 / (measured * n) as f64;
            println!(
                "{:>8} {:>8} {:>10.2} {:>8.2} {:>12.2} {:>12.1} {:>12.1} {:>12.1} {:>12.2} {:>12.1}",
                n,
                label,
                per_tick,
                p50,
                players as f64 / 1e6 / measured as f64,
                per_player(marshal),
                per_player(run),
                per_player(collect),
                world as f64 / 1e6 / measured as f64,
                per_player(home_cpu)
            );
        }
    }
    if let Some((_redis, mut children)) = hosts {
        for c in &mut children {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}
