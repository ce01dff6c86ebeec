//! Memory, global resets, modules, determinism inside isolates, and reopening from sled.

use isoshard_engine::{Shard, SledStorage};
use isoshard_player_api::PlayerRuntimeOptions;

use crate::support::*;

const COUNTER: &str = "globalThis.g = (globalThis.g || 0) + 1; module.exports.loop = function () { Memory.count = (Memory.count || 0) + 1; Memory.g = g; Memory.random = Math.random(); Memory.now = Date.now(); Memory.time = Game.time; }";

#[test]
fn memory_survives_a_global_reset_and_globals_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 1, |_| {});
    let p = shard
        .add_player("counter", code(&[("main", COUNTER)]))
        .unwrap();
    for _ in 0..10 {
        shard.tick().unwrap();
    }
    let m: serde_json::Value = serde_json::from_str(&shard.memory(p).unwrap()).unwrap();
    assert_eq!(
        (m["count"].as_i64(), m["g"].as_i64()),
        (Some(10), Some(1)),
        "module body ran once: globals persist"
    );
    shard
        .set_code(
            p,
            code(&[("main", COUNTER), ("extra", "module.exports = 1")]),
        )
        .unwrap();
    for _ in 0..5 {
        shard.tick().unwrap();
    }
    let m: serde_json::Value = serde_json::from_str(&shard.memory(p).unwrap()).unwrap();
    assert_eq!(
        (m["count"].as_i64(), m["g"].as_i64()),
        (Some(15), Some(1)),
        "Memory kept, globals reset"
    );
    assert_eq!(
        m["now"].as_f64(),
        Some(1_577_836_800_000.0 + 14.0 * 1000.0),
        "Date follows game time"
    );
}

#[test]
fn random_and_date_are_deterministic_per_seed_player_and_tick() {
    let run = |seed| {
        let dir = tempfile::tempdir().unwrap();
        let mut shard = shard(dir.path(), seed, |_| {});
        let p = shard.add_player("r", code(&[("main", COUNTER)])).unwrap();
        let mut seen = Vec::new();
        for _ in 0..5 {
            shard.tick().unwrap();
            let m: serde_json::Value = serde_json::from_str(&shard.memory(p).unwrap()).unwrap();
            seen.push(m["random"].as_f64().unwrap());
        }
        (seen, shard.world().state_hash())
    };
    let (a, ha) = run(4);
    let (b, hb) = run(4);
    let (c, _) = run(5);
    assert_eq!((a.clone(), ha), (b, hb));
    assert_ne!(a, c);
    assert!(
        a.windows(2).all(|w| w[0] != w[1]),
        "a new value each tick: {a:?}"
    );
}

#[test]
fn memory_over_two_megabytes_is_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 3, |_| {});
    let p = shard
        .add_player("hoarder", code(&[("main", "module.exports.loop = () => { Memory.small = Game.time; if (Game.time === 1) Memory.big = 'x'.repeat(3 << 20) }")]))
        .unwrap();
    shard.tick().unwrap();
    shard.tick().unwrap();
    assert_eq!(shard.memory(p).unwrap().as_str(), "{\"small\":0}");
    let console = shard.drain_console(p);
    assert!(
        console.iter().any(|l| l.contains("over the 2 MB limit")),
        "{console:?}"
    );
}

#[test]
fn reopening_from_sled_resumes_at_the_same_tick_and_state() {
    let dir = tempfile::tempdir().unwrap();
    let (tick, hash, memory) = {
        let mut shard = shard(dir.path(), 8, |o| o.snapshot_every = 7);
        let p = shard.add_player("a", sample("harvester-upgrader")).unwrap();
        for _ in 0..40 {
            shard.tick().unwrap();
        }
        (
            shard.time(),
            shard.world().state_hash(),
            shard.memory(p).unwrap(),
        )
    };
    let storage = Box::new(SledStorage::open(dir.path(), false).unwrap());
    let mut reopened = Shard::open(storage, PlayerRuntimeOptions::default()).unwrap();
    assert_eq!(reopened.time(), tick);
    assert_eq!(reopened.world().state_hash(), hash);
    let p = reopened.player_stats()[0].0;
    assert_eq!(reopened.memory(p).unwrap(), memory);
    // And it carries on exactly as an uninterrupted shard would.
    let straight = {
        let d2 = tempfile::tempdir().unwrap();
        let mut s = shard(d2.path(), 8, |o| o.snapshot_every = 7);
        s.add_player("a", sample("harvester-upgrader")).unwrap();
        for _ in 0..60 {
            s.tick().unwrap();
        }
        s.world().state_hash()
    };
    for _ in 0..20 {
        reopened.tick().unwrap();
    }
    assert_eq!(reopened.world().state_hash(), straight);
}
