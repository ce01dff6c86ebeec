//! Durable storage costs with the sample bots: time of a flushed sled tick commit, and how much
//! the database (and the replay recording) grow per 1,000 ticks.
//!
//! `cargo bench -p isoshard-engine --bench storage [-- --ticks N] [--hostile]`
//!
//! `--hostile` adds the two disk-amplification players of issue #15: one holding 1 MiB of
//! Memory it reads but never changes, and one replacing its tick's intent with 1 000
//! invalid maximum-size spawn intents (the `Array.prototype.push` hijack); `ONLY=big` or
//! `ONLY=flood` adds just one of them.

use std::path::Path;

use isoshard_engine::{sample_bots, CodeBundle, Shard, ShardOptions, SledStorage};
use isoshard_replays::RecorderOptions;
use isoshard_world::WorldConfig;

const BIG_UNCHANGED_MEMORY: &str =
    "module.exports.loop = function () { if (!Memory.big) Memory.big = 'x'.repeat(1 << 20); }";
const INVALID_INTENT_FLOOD: &str = r#"
const realPush = Array.prototype.push;
module.exports.loop = function () {
  Array.prototype.push = function (x) {
    if (x && x.type === 'spawnCreep') {
      const body = []; for (let j = 0; j < 50; j++) realPush.call(body, 'move');
      for (let i = 0; i < 1000; i++) realPush.call(this, { type: 'spawnCreep', spawn: x.spawn, body, name: ('n' + i).padEnd(100, 'n') });
      return this.length;
    }
    return realPush.apply(this, arguments);
  };
  try { Game.spawns.Spawn1.spawnCreep(['move'], 'f' + Game.time); } finally { Array.prototype.push = realPush; }
};
"#;

fn bot(src: &str) -> CodeBundle {
    CodeBundle::new(
        [("main".to_string(), src.to_string())]
            .into_iter()
            .collect(),
    )
    .unwrap()
}

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    let m = e.metadata().unwrap();
                    if m.is_dir() {
                        dir_size(&e.path())
                    } else {
                        m.len()
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

#[allow(clippy::print_stdout)]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let ticks: u64 = args
        .iter()
        .position(|a| a == "--ticks")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let hostile = args.iter().any(|a| a == "--hostile");
    let dir = tempfile::tempdir().unwrap();
    let mut shard = Shard::create(
        ShardOptions {
            world: WorldConfig {
                seed: 3,
                width: 3,
                height: 3,
            },
            ..ShardOptions::default()
        },
        Box::new(SledStorage::open(dir.path(), true).unwrap()),
    )
    .unwrap();
    shard
        .start_recording(&dir.path().join("replay"), RecorderOptions::default())
        .unwrap();
    for (i, (_, code)) in sample_bots().into_iter().enumerate() {
        shard.add_player(&format!("p{i}"), code).unwrap();
    }
    if hostile {
        let only = std::env::var("ONLY").unwrap_or_default();
        if only.is_empty() || only == "big" {
            shard
                .add_player("big-memory", bot(BIG_UNCHANGED_MEMORY))
                .unwrap();
        }
        if only.is_empty() || only == "flood" {
            shard
                .add_player("flood", bot(INVALID_INTENT_FLOOD))
                .unwrap();
        }
    }
    let sled_before = dir_size(&dir.path().join("shard.sled"));
    let replay_before = dir_size(&dir.path().join("replay"));
    let mut commits = Vec::new();
    for _ in 0..ticks {
        commits.push(shard.tick().unwrap().timings.commit_ns as f64 / 1e6);
    }
    commits.sort_by(|a, b| a.total_cmp(b));
    let sled_after = dir_size(&dir.path().join("shard.sled"));
    let replay_after = dir_size(&dir.path().join("replay"));
    let per_k =
        |a: u64, b: u64| (b.saturating_sub(a)) as f64 / ticks as f64 * 1000.0 / (1 << 20) as f64;
    println!("ticks: {ticks} hostile: {hostile}");
    println!("commit_ms_p50: {:.2}", commits[commits.len() / 2]);
    println!("commit_ms_p99: {:.2}", commits[commits.len() * 99 / 100]);
    println!(
        "sled_mib_per_1000_ticks: {:.2}",
        per_k(sled_before, sled_after)
    );
    println!(
        "recording_mib_per_1000_ticks: {:.2}",
        per_k(replay_before, replay_after)
    );
}
