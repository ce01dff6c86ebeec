//! `Game.cpu.getUsed()` and `Game.cpu.getHeapStatistics()` against what the host measured.

use serde_json::Value;

use crate::support::{code, shard, stats_of};

/// Reports getUsed() before and after a fixed amount of work, and the heap figures.
const CPU_REPORTER: &str = r#"
module.exports.loop = function () {
  const before = Game.cpu.getUsed();
  let x = 0;
  for (let i = 0; i < 3e6; i++) x = (x + i * 7) % 1000003;
  const after = Game.cpu.getUsed();
  const heap = Game.cpu.getHeapStatistics();
  console.log(JSON.stringify({ before, after, x, used: heap.used_heap_size, limit: heap.heap_size_limit }));
};
"#;

#[test]
fn get_used_counts_this_ticks_cpu_and_heap_statistics_report_the_heap() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 9, |_| {});
    let p = shard
        .add_player("counter", code(&[("main", CPU_REPORTER)]))
        .unwrap();
    for tick in 0..3 {
        shard.tick().unwrap();
        let lines = shard.drain_console(p);
        let r: Value = lines
            .iter()
            .find_map(|l| serde_json::from_str(l).ok())
            .unwrap_or_else(|| panic!("no report in {lines:?}"));
        let (before, after) = (r["before"].as_f64().unwrap(), r["after"].as_f64().unwrap());
        let stats = stats_of(&shard, p);
        // From the call's start: positive before the work, grown by the work, and never more
        // than the CPU the host measured for the whole call.
        assert!(before > 0.0, "tick {tick}: {r}");
        assert!(
            after - before > 0.5,
            "tick {tick}: the loop took no CPU? {r}"
        );
        assert!(
            after <= stats.last_cpu_ms,
            "tick {tick}: getUsed {after} ms > the call's {} ms",
            stats.last_cpu_ms
        );
        // Measured at the global reset, then every 16th tick.
        let (used, limit) = (r["used"].as_f64().unwrap(), r["limit"].as_f64().unwrap());
        assert!(used > 0.0 && used < limit, "tick {tick}: heap {r}");
        assert!(stats.last_heap_bytes > 0);
    }
}

/// Screeps' `Game.cpu.halt()` (screeps/driver `_halt`): the call ends at once, uncatchable,
/// nothing of the tick is kept, and the next tick starts from a global reset.
pub const HALTER: &str = r#"
module.exports.loop = function () {
  if (global.bornAt === undefined) global.bornAt = Game.time;
  Memory.log = (Memory.log || []).concat([[Game.time, global.bornAt]]);
  if (Game.time === 2) {
    try { Game.cpu.halt(); } catch (e) { Memory.caught = e.message; }
    Memory.after = true;
  }
};
"#;

#[test]
fn cpu_halt_ends_the_tick_uncatchably_and_the_next_tick_starts_fresh() {
    // In runner processes: `cli/tests/runners.rs`.
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 10, |_| {});
    let p = shard
        .add_player("halter", code(&[("main", HALTER)]))
        .unwrap();
    for _ in 0..4 {
        shard.tick().unwrap();
    }
    let m: Value = serde_json::from_str(&shard.memory(p).unwrap()).unwrap();
    assert_eq!(
        m["log"],
        serde_json::json!([[0, 0], [1, 0], [3, 3]]),
        "tick 2 kept nothing, tick 3 ran in a fresh global: {m}"
    );
    assert!(m.get("caught").is_none() && m.get("after").is_none(), "{m}");
    let stats = stats_of(&shard, p);
    assert_eq!(stats.errors, 1);
    assert_eq!(stats.last_error.as_deref(), Some("CPU halted"));
}

/// Screeps' pixels: `Game.cpu.generatePixel()` takes `PIXEL_CPU_COST` from a full bucket and
/// `Game.resources.pixel` counts them, kept through a restart.
const PIXEL_MAKER: &str = r#"
module.exports.loop = function () {
  const log = Memory.log = Memory.log || [];
  const e = { t: Game.time, bucket: Game.cpu.bucket, pixels: Game.resources.pixel || 0 };
  if (Game.cpu.bucket >= PIXEL_CPU_COST) { e.made = Game.cpu.generatePixel(); e.again = Game.cpu.generatePixel(); }
  else e.made = Game.cpu.generatePixel();
  if (log.length < 6) log.push(e);
};
"#;

#[test]
fn generate_pixel_spends_a_full_bucket_on_a_pixel_kept_in_game_resources() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 9, |_| {});
    let p = shard
        .add_player("pixels", code(&[("main", PIXEL_MAKER)]))
        .unwrap();
    for _ in 0..3 {
        shard.tick().unwrap();
    }
    let log = crate::support::memory_json(&shard, p)["log"].clone();
    let first = &log[0];
    assert_eq!(first["bucket"], 10_000, "{log}");
    assert_eq!(first["made"], 0, "OK: {log}");
    assert_eq!(first["again"], 0, "still OK in the same tick: {log}");
    assert_eq!(first["pixels"], 0);
    // One pixel (not two) for one bucket; the bucket starts over from what is left.
    let second = &log[1];
    assert_eq!(second["pixels"], 1, "{log}");
    assert!(second["bucket"].as_i64().unwrap() < 10_000, "{log}");
    assert_eq!(
        second["made"], -6,
        "ERR_NOT_ENOUGH_RESOURCES below the cost: {log}"
    );
    drop(shard);
    let storage = isoshard_engine::SledStorage::open(dir.path(), false).unwrap();
    let options = isoshard_player_api::PlayerRuntimeOptions::default();
    let shard = isoshard_engine::Shard::open(Box::new(storage), options).unwrap();
    assert_eq!(shard_resources(&shard, p), 1, "kept through a restart");
}

fn shard_resources(shard: &isoshard_engine::Shard, p: isoshard_world::PlayerId) -> u64 {
    shard.player_resources(p).get("pixel").copied().unwrap_or(0)
}
