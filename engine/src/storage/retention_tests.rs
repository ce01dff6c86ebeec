//! Bounded history: old snapshots and tick records are pruned as new snapshots land, sled's
//! files are rewritten when they bloat, and a rewrite cut short at any step opens whole.

use std::path::Path;

use isoshard_player_api::CpuBudget;
use isoshard_world::{GameWorld, IntentBatch, StateHash, WorldConfig};

use super::sled_store::settle;
use super::*;

/// A store with one player whose Memory (`memory_bytes` long) changes every tick, and a
/// snapshot every 5 ticks; returns the world's last tick and hash.
fn build(dir: &Path, keep: Option<usize>, ticks: u64, memory_bytes: usize) -> (u64, StateHash) {
    let config = WorldConfig {
        seed: 3,
        width: 2,
        height: 2,
    };
    let mut world = GameWorld::new(config).unwrap();
    let meta = ShardMeta {
        world: config,
        cpu_limit_ms: 100,
        snapshot_every: 5,
    };
    let mut storage = SledStorage::open(dir, false).unwrap().keep_snapshots(keep);
    storage.create(&meta, &world.snapshot(), &[]).unwrap();
    let id = world.add_player("alice").unwrap();
    let record = PlayerRecord {
        account: PlayerAccount::new(id, "alice"),
        code: crate::sample_bots()[0].1.clone(),
        state: PlayerTickState {
            memory: String::new(),
            budget: CpuBudget::new(100),
            data: Default::default(),
        },
    };
    storage.save_snapshot(&world.snapshot(), &[record]).unwrap();
    for _ in 0..ticks {
        let out = world.tick(&IntentBatch::new());
        let snapshot = out.tick.is_multiple_of(5).then(|| world.snapshot());
        let memory = format!("{}{}", out.tick, "m".repeat(memory_bytes));
        commit_outcome(
            &mut storage,
            &out,
            snapshot.as_ref(),
            &[StateChange {
                id,
                memory: Some(memory),
                budget: CpuBudget::new(100),
                data: PlayerDataWrite::default(),
            }],
        )
        .unwrap();
    }
    (world.time(), world.state_hash())
}

/// What the store opens as: tick, re-simulated hash, Alice's Memory.
fn opened(dir: &Path) -> (u64, StateHash, String) {
    let stored = SledStorage::open(dir, false)
        .unwrap()
        .load()
        .unwrap()
        .unwrap();
    let memory = stored.players[0].state.memory.clone();
    let (world, mismatch) = resimulate(stored.snapshot, &stored.ticks).unwrap();
    assert_eq!(mismatch, None);
    (world.time(), world.state_hash(), memory)
}

#[test]
fn history_keeps_the_newest_snapshots_and_the_ticks_after_the_oldest() {
    let dir = tempfile::tempdir().unwrap();
    let (tick, hash) = build(dir.path(), Some(3), 42, 10);
    let (t, h, memory) = opened(dir.path());
    assert_eq!((t, h), (tick, hash));
    assert!(memory.starts_with("42"));
    let report = fsck(dir.path(), false).unwrap();
    assert!(report.is_clean(), "{report}");
    let sizes = report.sizes.unwrap();
    // Snapshots at 30, 35 and 40; the ticks after 30.
    assert_eq!(sizes.snapshots, 3);
    assert_eq!(sizes.oldest_snapshot, Some(30));
    assert_eq!(sizes.tick_records, 12);
}

#[test]
fn without_retention_every_snapshot_and_tick_stays() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path(), None, 42, 10);
    let sizes = fsck(dir.path(), false).unwrap().sizes.unwrap();
    // 0 (at creation, then with Alice) and every 5th tick.
    assert_eq!(sizes.snapshots, 9);
    assert_eq!(sizes.tick_records, 42);
}

#[test]
fn a_compacted_store_reads_back_the_same_in_smaller_files_and_keeps_committing() {
    let dir = tempfile::tempdir().unwrap();
    // 300 rewrites of a 64 KiB Memory: ~19 MiB written for ~70 KiB kept.
    build(dir.path(), Some(2), 300, 64 << 10);
    let before = opened(dir.path());
    let mut storage = SledStorage::open(dir.path(), false).unwrap();
    let done = storage.compact().unwrap();
    assert!(
        done.bytes_after * 4 < done.bytes_before,
        "compaction gave back too little: {done:?}"
    );
    assert_eq!(dir_bytes(&dir.path().join("shard.sled")), done.bytes_after);
    // The same handle goes on committing into the new files.
    let stored = storage.load().unwrap().unwrap();
    let (mut world, _) = resimulate(stored.snapshot, &stored.ticks).unwrap();
    let out = world.tick(&IntentBatch::new());
    storage
        .commit_tick(TickCommit {
            record: &TickRecord {
                tick: out.tick,
                intents: IntentBatch::new(),
                state_hash: out.state_hash,
            },
            snapshot: None,
            states: &[],
        })
        .unwrap();
    drop(storage);
    let after = opened(dir.path());
    assert_eq!(
        (after.0, after.2.as_str()),
        (before.0 + 1, before.2.as_str())
    );
    assert_eq!(after.1, out.state_hash);
    assert!(fsck(dir.path(), false).unwrap().is_clean());
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_compaction_killed_at_any_step_opens_as_one_whole_store() {
    let root = tempfile::tempdir().unwrap();
    let (old, new) = (root.path().join("old"), root.path().join("new"));
    build(&old, Some(2), 60, 4 << 10);
    copy_dir(&old, &new);
    SledStorage::open(&new, false).unwrap().compact().unwrap();
    let expected = opened(&old);
    let old_files = old.join("shard.sled");
    let new_files = new.join("shard.sled");
    // (what the data directory holds when the process dies, which copy must win)
    let cases: [(&str, &[(&str, &Path)]); 4] = [
        (
            "killed while copying",
            &[
                ("shard.sled", &old_files),
                ("shard.sled.compact", &old_files),
            ],
        ),
        (
            "killed after moving the old files aside",
            &[
                ("shard.sled.old", &old_files),
                ("shard.sled.compact", &new_files),
            ],
        ),
        (
            "killed after moving the new files in",
            &[("shard.sled", &new_files), ("shard.sled.old", &old_files)],
        ),
        (
            "killed after deleting the old files",
            &[("shard.sled", &new_files)],
        ),
    ];
    for (what, layout) in cases {
        let case = root.path().join("case");
        let _ = std::fs::remove_dir_all(&case);
        std::fs::create_dir_all(&case).unwrap();
        std::fs::copy(old.join(MARKER_FILE), case.join(MARKER_FILE)).unwrap();
        for (name, from) in layout {
            copy_dir(from, &case.join(name));
        }
        assert_eq!(opened(&case), expected, "{what}");
        for leftover in ["shard.sled.old", "shard.sled.compact"] {
            assert!(!case.join(leftover).exists(), "{what}: {leftover} left");
        }
        settle(&case).unwrap();
        assert!(fsck(&case, false).unwrap().is_clean(), "{what}");
    }
}
