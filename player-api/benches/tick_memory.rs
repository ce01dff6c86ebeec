//! What players cost in memory and CPU once they tick for a while, with V8's flags as isoshard
//! sets them (`scripting/src/platform.rs`, `MANY_ISOLATES_FLAGS`) against V8's own defaults.
//!
//! `cargo bench -p isoshard-player-api --bench tick_memory [-- --players N --ticks T]`
//!
//! Each configuration and bot runs in a child process of its own (V8's flags belong to the
//! process, and each process's resident memory is then that configuration's alone). A child
//! starts N players on one room (a new player's room: spawn, sources, controller), runs T
//! ticks of each in turn on this thread, as a runner's home thread does, and reports:
//! - CPU per player tick: the whole process's user + system time over the ticks (V8's own
//!   threads included), per player and tick;
//! - the players' CPU: what their calls measured (what a player is charged);
//! - resident memory per player, before the ticks and after them, less what the process held
//!   before the first player started.
//!
//! The world does not tick: the room is the same every tick and no intent is applied. The
//! shard-level figures (runners, the world, 1 000 players) are `cli/benches/tick.rs`.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use isoshard_player_api::{
    room_copy, CpuBudget, PlayerRuntime, PlayerRuntimeOptions, PlayerSetup, PlayerTickInput,
};
use isoshard_scripting::ExternalCopy;
use isoshard_world::{GameWorld, IntentBatch, WorldConfig};
use serde_json::json;

// The allocator the `isoshard` binary (and so every runner) uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The configurations compared: a name and the `ISOSHARD_V8_FLAGS` its child runs with
/// (appended after isoshard's own, so they override them).
const CONFIGS: [(&str, &str); 2] = [
    ("isoshard's flags (the default)", ""),
    (
        "V8's own defaults",
        "--no-single-threaded --maglev --minor-gc-task-trigger=80 --no-always-sparkplug",
    ),
];

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4)
}

/// This process's user + system CPU time, in clock ticks (1/100 s).
fn process_cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let field = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    field(11).unwrap_or(0) + field(12).unwrap_or(0)
}

/// A new player's room as the shard hands it over, and the map part its runtime gets.
fn new_players_room() -> (ExternalCopy, ExternalCopy) {
    let mut world = GameWorld::new(WorldConfig {
        seed: 7,
        width: 3,
        height: 3,
    })
    .expect("world");
    world.add_player("p0").expect("a home");
    for _ in 0..5 {
        world.tick(&IntentBatch::default());
    }
    let views = world.views();
    let name = views.players.values().next().expect("p0").rooms[0].clone();
    let terrain = world
        .map()
        .rooms
        .iter()
        .find(|r| r.name == name)
        .expect("the room")
        .terrain
        .encode();
    let map =
        ExternalCopy::from_json(&json!({ "terrain": { name.clone(): terrain }, "exits": {} }))
            .expect("map");
    (room_copy(&views.rooms[&name]).expect("copy"), map)
}

const TERRAIN_PASS: &str = "module.exports.loop = function () {
  const name = Object.keys(Game.rooms)[0];
  const terrain = Game.map.getRoomTerrain(name);
  const costs = new Uint8Array(2500);
  let sum = 0;
  for (let y = 0; y < 50; y++) for (let x = 0; x < 50; x++) {
    const t = terrain.get(x, y);
    costs[y * 50 + x] = t === TERRAIN_MASK_WALL ? 255 : t === TERRAIN_MASK_SWAMP ? 5 : 1;
    sum += costs[y * 50 + x];
  }
  Memory.sum = sum;
};";

fn bot_modules(bot: &str) -> BTreeMap<String, String> {
    let main = match bot {
        "trivial" => "module.exports.loop = function () {};",
        // Hot code: a cost-matrix pass over the room's terrain each tick, as path and layout
        // code does (what the optimizing compilers are for).
        "terrain-pass" => TERRAIN_PASS,
        _ => "",
    };
    if !main.is_empty() {
        return [("main".to_string(), main.to_string())].into();
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/tutorial-lodash");
    std::fs::read_dir(&dir)
        .expect("the tutorial bot")
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let module = name.strip_suffix(".js")?.to_string();
            Some((module, std::fs::read_to_string(e.path()).ok()?))
        })
        .collect()
}

/// One child's run: prints its table row.
#[allow(clippy::print_stdout)]
fn run(config: &str, bot: &str, players: usize, ticks: u64) {
    let (room, map) = new_players_room();
    let modules = bot_modules(bot);
    let options = PlayerRuntimeOptions::default();
    let before = rss_kib();
    let runtimes: Vec<PlayerRuntime> = (0..players)
        .map(|_| {
            PlayerRuntime::start(
                PlayerSetup {
                    username: "p0".into(),
                    modules: modules.clone(),
                    memory: String::new(),
                    map: map.clone(),
                },
                &options,
            )
            .expect("a player starts")
        })
        .collect();
    let started = rss_kib();
    let input =
        |tick: u64| PlayerTickInput::rooms_only(tick, CpuBudget::new(100), vec![room.clone()]);
    let (cpu_before, wall) = (process_cpu_ticks(), Instant::now());
    let mut charged = std::time::Duration::ZERO;
    for tick in 1..=ticks {
        for runtime in &runtimes {
            let out = runtime.run_tick(&input(tick));
            assert!(out.error.is_none(), "the bot runs: {:?}", out.error);
            charged += out.cpu_time;
        }
    }
    let player_ticks = (players as u64 * ticks) as f64;
    let process_us = (process_cpu_ticks() - cpu_before) as f64 * 1e4 / player_ticks;
    let per_player = |kib: u64| kib.saturating_sub(before) as f64 / players as f64 / 1024.0;
    println!(
        "| {config} | {bot} | {process_us:.1} µs | {:.1} µs | {:.1} µs | {:.2} MiB | {:.2} MiB |",
        charged.as_secs_f64() * 1e6 / player_ticks,
        wall.elapsed().as_secs_f64() * 1e6 / player_ticks,
        per_player(started),
        per_player(rss_kib()),
    );
}

#[allow(clippy::print_stdout)]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str, default: u64| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1)?.parse().ok())
            .unwrap_or(default)
    };
    let (players, ticks) = (arg("--players", 200) as usize, arg("--ticks", 200));
    if let (Ok(config), Ok(bot)) = (
        std::env::var("TICK_MEMORY_CONFIG"),
        std::env::var("TICK_MEMORY_BOT"),
    ) {
        run(&config, &bot, players, ticks);
        return;
    }
    println!("{players} players, {ticks} ticks each, one thread:\n");
    println!("| V8 flags | bot | process CPU per player tick | players' CPU | wall | RSS per player at start | after the ticks |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    for bot in ["trivial", "tutorial-lodash", "terrain-pass"] {
        for (name, flags) in CONFIGS {
            let status = std::process::Command::new(&args[0])
                .args(&args[1..])
                .env("TICK_MEMORY_CONFIG", name)
                .env("TICK_MEMORY_BOT", bot)
                .env("ISOSHARD_V8_FLAGS", flags)
                .status()
                .expect("the bench runs itself");
            assert!(status.success(), "{name} / {bot} failed");
        }
    }
}
