//! Hostile players cannot change what other players see or do, and cannot stall the tick
//! beyond their own tickLimit.

use std::time::Duration;

use isoshard_world::PlayerId;

use crate::support::*;

const INFINITE_LOOP: &str = "module.exports.loop = function () { for (;;) {} }";
const MEMORY_BOMB: &str = "module.exports.loop = function () { const a = []; for (;;) a.push(new Array(1e6).fill(a.length)) }";
const THROWS: &str = "module.exports.loop = function () { throw new Error('every tick') }";
const SPAMMER: &str = "module.exports.loop = function () { const s = Game.spawns.Spawn1; for (let i = 0; i < 1e6; i++) s.spawnCreep([MOVE], 'spam' + i, { dryRun: false }); }";
const VANDAL: &str = "module.exports.loop = function () { Object.prototype.vandal = 1; JSON.stringify = () => { throw new Error('no') }; JSON.parse = () => ({}); Array.prototype.push = function () { return 0 }; Memory.count = (Memory.count || 0) + 1; }";
const HUGE_ERROR: &str = "module.exports.loop = function () { throw new Error('x'.repeat(1e7)) }";
const IDLE: &str = "module.exports.loop = function () {}";

/// Runs `ticks` with two sample-bot players plus `others`; returns the sample players' room
/// hashes after each tick, the longest tick, and the shard.
fn run(
    others: &[&str],
    ticks: usize,
) -> (
    Vec<Vec<String>>,
    Duration,
    isoshard_engine::Shard,
    Vec<PlayerId>,
) {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 33, |o| {
        o.world.width = 4;
        o.world.height = 4;
        o.cpu_limit_ms = 20;
        o.runtime.memory_limit_mb = 64;
    });
    let good = [
        shard
            .add_player("good-a", sample("harvester-upgrader"))
            .unwrap(),
        shard.add_player("good-b", sample("miner-hauler")).unwrap(),
    ];
    let mut ids = Vec::new();
    for (i, src) in others.iter().enumerate() {
        ids.push(
            shard
                .add_player(&format!("other-{i}"), code(&[("main", src)]))
                .unwrap(),
        );
    }
    let mut hashes = Vec::new();
    let mut longest = Duration::ZERO;
    for _ in 0..ticks {
        let s = shard.tick().unwrap();
        longest = longest.max(s.duration);
        hashes.push(
            good.iter()
                .map(|p| {
                    shard
                        .world()
                        .room_hash(shard.home_room(*p).unwrap())
                        .to_hex()
                })
                .collect(),
        );
    }
    std::mem::forget(dir);
    (hashes, longest, shard, ids)
}

#[test]
fn hostile_players_do_not_change_what_other_players_see_or_do() {
    let ticks = 12;
    let hostile = [
        INFINITE_LOOP,
        MEMORY_BOMB,
        THROWS,
        SPAMMER,
        VANDAL,
        HUGE_ERROR,
    ];
    let (baseline, _, _, _) = run(&[IDLE; 6], ticks);
    let (with_hostile, longest, shard, ids) = run(&hostile, ticks);
    assert_eq!(
        baseline, with_hostile,
        "the good players' rooms evolved identically"
    );
    // The tick never waited much longer than one hostile tickLimit (500 ms) plus everyone
    // else's CPU; the factor is generous, exact figures are in the benchmarks.
    assert!(
        longest < Duration::from_millis(2500),
        "longest tick {longest:?}"
    );
    let stats: Vec<_> = shard.player_stats();
    let of = |id: PlayerId| stats.iter().find(|s| s.0 == id).unwrap().2.clone();
    for good in stats.iter().filter(|s| s.1.starts_with("good")) {
        assert_eq!(good.2.errors, 0, "{}: {:?}", good.1, good.2.last_error);
    }
    assert_eq!(
        of(ids[0]).last_error.as_deref(),
        Some("tick ended: cpu_limit")
    );
    assert!(of(ids[0]).errors > 0);
    assert_eq!(
        of(ids[1]).last_error.as_deref(),
        Some("tick ended: memory_limit")
    );
    assert!(of(ids[2])
        .last_error
        .as_deref()
        .unwrap_or_default()
        .contains("every tick"));
    assert_eq!(of(ids[2]).errors, ticks as u64);
    // The spammer issued at most one real spawn per tick; the rest never left its isolate.
    assert!(
        of(ids[3]).intents_applied <= ticks as u64,
        "{:?}",
        of(ids[3])
    );
    // The vandal broke only its own globals; the runtime's captured JSON still saves Memory.
    assert_eq!(of(ids[4]).errors, 0, "{:?}", of(ids[4]).last_error);
    assert_eq!(
        shard.memory(ids[4]).unwrap().as_str(),
        format!("{{\"count\":{ticks}}}")
    );
    // A 10 MB error message is kept (stats, console, /api/me) as its first 8 KiB.
    let huge = of(ids[5]).last_error.unwrap_or_default();
    assert!(
        huge.len() < isoshard_player_api::MAX_ERROR_BYTES + 100 && huge.contains("cut at"),
        "{} bytes",
        huge.len()
    );
}

#[test]
fn a_thrown_error_cannot_push_the_console_past_its_byte_limit() {
    // 64 lines of 1 000 bytes fill the console's per-tick limit; then a 1 MB error is thrown.
    const FILL_THEN_THROW: &str = "module.exports.loop = function () {
        for (let i = 0; i < 64; i++) console.log(String(i).padEnd(1000, 'y'));
        throw new Error('x'.repeat(1e6));
    }";
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 34, |o| {
        o.world.width = 2;
        o.world.height = 2;
    });
    let p = shard
        .add_player("loud", code(&[("main", FILL_THEN_THROW)]))
        .unwrap();
    shard.tick().unwrap();
    let lines = shard.drain_console(p);
    let bytes: usize = lines.iter().map(String::len).sum();
    assert!(
        bytes <= isoshard_player_api::MAX_CONSOLE_BYTES,
        "{bytes} bytes in {} lines",
        lines.len()
    );
    assert!(lines[0].starts_with("0yyy"), "{:?}", &lines[0][..10]);
    let last = lines.last().unwrap();
    assert!(
        last.contains("Error: xxx") && last.contains("cut at"),
        "{last:.80}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("console lines over the per-tick limit")),
        "the player is told lines were dropped"
    );
}
