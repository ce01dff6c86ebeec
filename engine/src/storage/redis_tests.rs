//! The Redis store against a real `redis-server` (Debian's package; the tests fail naming it
//! when it is missing): it loads what sled loads after the same writes, a coordinator that
//! lost its lease commits nothing, a standby takes over, and damage is refused.

use std::time::Duration;

use isoshard_player_api::{CpuBudget, FlagRecord};
use isoshard_world::{GameWorld, IntentBatch, PlayerId, TickOutcome};

use super::*;
use crate::error::EngineError;
use crate::LocalRedis;

fn options(redis: &LocalRedis) -> RedisOptions {
    RedisOptions {
        lease_ttl: Duration::from_millis(600),
        ..RedisOptions::new(redis.url())
    }
}

fn raw(redis: &LocalRedis) -> redis::Connection {
    redis::Client::open(redis.url().as_str())
        .unwrap()
        .get_connection()
        .unwrap()
}

/// A shard with one player whose Memory, segments, flags and branches change, `ticks` ticks
/// and a snapshot every 5, written to `storage`; returns the world's last tick.
fn drive(storage: &mut dyn ShardStorage, ticks: u64) -> (GameWorld, PlayerId) {
    let (mut world, meta) = test_shard(9);
    storage.create(&meta, &world.snapshot(), &[]).unwrap();
    let id = world.add_player("alice").unwrap();
    let record = test_player(id, "alice", "{}");
    storage.save_snapshot(&world.snapshot(), &[record]).unwrap();
    storage
        .write_branch(id, "sim", Some(&crate::sample_bots()[1].1))
        .unwrap();
    for _ in 0..ticks {
        commit_next(storage, &mut world, id);
    }
    (world, id)
}

fn commit_next(storage: &mut dyn ShardStorage, world: &mut GameWorld, id: PlayerId) {
    let out = world.tick(&IntentBatch::new());
    let snapshot = out.tick.is_multiple_of(5).then(|| world.snapshot());
    let mut data = PlayerDataWrite::default();
    data.segments
        .insert((out.tick % 3) as u8, format!("seg {}", out.tick));
    data.flags.insert(
        format!("f{}", out.tick % 2),
        Some(FlagRecord {
            name: format!("f{}", out.tick % 2),
            room: "W1N1".into(),
            x: (out.tick % 50) as u8,
            y: 7,
            color: 1,
            secondary_color: 2,
        }),
    );
    data.notifications = Some(vec![(out.tick, "hi".into())]);
    data.messages = Some(vec![crate::storage::StoredMessage {
        id: format!("{:024x}", out.tick),
        respondent: 9,
        date_ms: out.tick,
        outgoing: out.tick.is_multiple_of(2),
        text: format!("message {}", out.tick),
        unread: true,
        out_message: None,
    }]);
    commit_outcome(
        storage,
        &out,
        snapshot.as_ref(),
        &[StateChange {
            id,
            memory: Some(format!("{{\"t\":{}}}", out.tick)),
            budget: CpuBudget::new(100),
            data,
        }],
    )
    .unwrap();
}

/// Commits `out` with no player changes.
fn bare_commit(store: &mut dyn ShardStorage, out: &TickOutcome) -> crate::error::Result<()> {
    commit_outcome(store, out, None, &[])
}

fn same_shard(a: &StoredShard, b: &StoredShard) {
    assert_eq!(a.meta, b.meta);
    assert_eq!(a.last_tick, b.last_tick);
    assert_eq!(a.snapshot, b.snapshot);
    assert_eq!(a.ticks, b.ticks);
    assert_eq!(a.players, b.players);
}

#[test]
fn redis_loads_what_sled_loads_after_the_same_writes() {
    let redis = LocalRedis::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut sled = SledStorage::open(dir.path(), false)
        .unwrap()
        .keep_snapshots(Some(2));
    let mut store = RedisStorage::open(&options(&redis))
        .unwrap()
        .keep_snapshots(Some(2));
    let (world, id) = drive(&mut sled, 23);
    drive(&mut store, 23);
    let (from_sled, from_redis) = (
        sled.load().unwrap().unwrap(),
        store.load().unwrap().unwrap(),
    );
    same_shard(&from_sled, &from_redis);
    assert_eq!(from_redis.last_tick, 23);
    // Two snapshots kept (15 and 20), so the ticks after 15 only.
    assert_eq!(from_redis.ticks.first().map(|t| t.tick), Some(21));
    assert_eq!(store.tick_record(15).unwrap(), None);
    assert_eq!(store.tick_record(16).unwrap().map(|t| t.tick), Some(16));
    let (replayed, mismatch) = resimulate(from_redis.snapshot, &from_redis.ticks).unwrap();
    assert_eq!(mismatch, None);
    assert_eq!(replayed.state_hash(), world.state_hash());
    assert_eq!(
        store.read_segment(id, 2).unwrap().as_deref(),
        Some("seg 23")
    );
    assert_eq!(store.branch_names(id).unwrap(), vec!["sim".to_string()]);
    assert_eq!(
        store.read_branch(id, "sim").unwrap(),
        sled.read_branch(id, "sim").unwrap()
    );
    let flags = &from_redis.players[0].state.data.flags;
    assert_eq!(flags.len(), 2);
    assert_eq!(flags["f1"].x, 23);
}

#[test]
fn a_coordinator_whose_lease_passed_on_commits_nothing_more() {
    let redis = LocalRedis::start().unwrap();
    let mut first = RedisStorage::open(&options(&redis)).unwrap();
    let (mut world, id) = drive(&mut first, 3);
    // The first coordinator stalls past its lease (simulated: the lease is gone) and a
    // standby takes the shard over with a higher fencing token.
    let _: () = redis::cmd("DEL")
        .arg("isoshard:lease")
        .query(&mut raw(&redis))
        .unwrap();
    let mut second = RedisStorage::open(&options(&redis)).unwrap();
    assert!(second.fence() > first.fence());
    let mut stale = GameWorld::restore(world.snapshot()).unwrap();
    let out = stale.tick(&IntentBatch::new());
    let refused = bare_commit(&mut first, &out);
    assert!(
        matches!(refused, Err(EngineError::FencedOut { ours, .. }) if ours == first.fence()),
        "{refused:?}"
    );
    let data_write = PlayerDataWrite {
        inter_shard: Some("stale".into()),
        ..Default::default()
    };
    assert!(matches!(
        first.write_player_data(id, &data_write),
        Err(EngineError::FencedOut { .. })
    ));
    // The new holder continues from tick 3, exactly once.
    commit_next(&mut second, &mut world, id);
    let stored = second.load().unwrap().unwrap();
    assert_eq!(stored.last_tick, 4);
    assert_eq!(stored.players[0].state.data.inter_shard, "");
}

#[test]
fn a_standby_waits_for_the_lease_and_takes_over_when_the_holder_stops() {
    let redis = LocalRedis::start().unwrap();
    let mut first = RedisStorage::open(&options(&redis)).unwrap();
    drive(&mut first, 2);
    // Without --standby, a second coordinator is refused while the lease is renewed.
    std::thread::sleep(Duration::from_millis(900));
    let refused = RedisStorage::open(&options(&redis));
    assert!(
        matches!(refused, Err(EngineError::LeaseHeld { .. })),
        "{:?}",
        refused.err()
    );
    let standby = RedisOptions {
        standby: true,
        ..options(&redis)
    };
    let waiting = std::thread::spawn(move || RedisStorage::open(&standby));
    std::thread::sleep(Duration::from_millis(900));
    assert!(
        !waiting.is_finished(),
        "the standby took a lease still renewed"
    );
    let fence = first.fence();
    drop(first);
    let second = waiting.join().unwrap().unwrap();
    assert_eq!(second.fence(), fence + 1);
    assert_eq!(second.load().unwrap().unwrap().last_tick, 2);
}

#[test]
fn a_commit_that_skips_a_tick_is_refused_as_lost_writes() {
    let redis = LocalRedis::start().unwrap();
    let mut store = RedisStorage::open(&options(&redis)).unwrap();
    let (mut world, _) = drive(&mut store, 2);
    world.tick(&IntentBatch::new());
    let out = world.tick(&IntentBatch::new());
    let skipped = bare_commit(&mut store, &out);
    assert!(
        matches!(&skipped, Err(EngineError::RedisDamaged { problem, .. }) if problem.contains("holds tick 2")),
        "{skipped:?}"
    );
    assert_eq!(store.load().unwrap().unwrap().last_tick, 2);
}

#[test]
fn damaged_or_missing_records_are_refused_never_loaded_short() {
    let redis = LocalRedis::start().unwrap();
    let mut store = RedisStorage::open(&options(&redis)).unwrap();
    drive(&mut store, 7);
    let mut con = raw(&redis);
    let mut record: Vec<u8> = redis::cmd("HGET")
        .arg("isoshard:ticks")
        .arg("7")
        .query(&mut con)
        .unwrap();
    let last = record.len() - 1;
    record[last] ^= 1;
    let _: () = redis::cmd("HSET")
        .arg("isoshard:ticks")
        .arg("7")
        .arg(record)
        .query(&mut con)
        .unwrap();
    let err = store.load().unwrap_err();
    assert!(
        err.to_string().contains("ticks/7 fails its checksum"),
        "{err}"
    );
    let _: () = redis::cmd("HDEL")
        .arg("isoshard:ticks")
        .arg("6")
        .query(&mut con)
        .unwrap();
    let err = store.load().unwrap_err();
    assert!(
        err.to_string().contains("tick record 6 is missing"),
        "{err}"
    );
}

#[test]
fn a_server_without_the_chosen_durability_is_refused() {
    let redis = LocalRedis::start().unwrap();
    let everysec = RedisOptions {
        durability: RedisDurability::Everysec,
        ..options(&redis)
    };
    let err = RedisStorage::open(&everysec).err().unwrap();
    assert!(
        err.to_string().contains("appendfsync always")
            && err.to_string().contains("appendfsync everysec"),
        "{err}"
    );
}

#[test]
fn committed_ticks_survive_a_killed_redis_and_a_commit_retries_through_the_outage() {
    let mut redis = LocalRedis::start().unwrap();
    let mut store = RedisStorage::open(&options(&redis)).unwrap();
    let (mut world, id) = drive(&mut store, 4);
    redis.kill();
    let out = world.tick(&IntentBatch::new());
    let record = TickRecord {
        tick: out.tick,
        intents: IntentBatch::new(),
        state_hash: out.state_hash,
    };
    let commit = |store: &mut RedisStorage| {
        store.commit_tick(TickCommit {
            record: &record,
            snapshot: None,
            states: &[],
        })
    };
    assert!(matches!(commit(&mut store), Err(EngineError::Redis { .. })));
    redis.restart().unwrap();
    commit(&mut store).unwrap();
    let stored = store.load().unwrap().unwrap();
    assert_eq!(stored.last_tick, 5);
    assert_eq!(stored.players[0].account.id, id);
    assert_eq!(stored.players[0].state.memory, "{\"t\":4}");
}

#[test]
fn a_shard_copies_from_sled_to_redis_and_back_whole() {
    let redis = LocalRedis::start().unwrap();
    let (from, back) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut sled = SledStorage::open(from.path(), false).unwrap();
    let (_, id) = drive(&mut sled, 12);
    let mut store = RedisStorage::open(&options(&redis)).unwrap();
    assert_eq!(copy_shard(&sled, &mut store).unwrap(), 12);
    same_shard(
        &sled.load().unwrap().unwrap(),
        &store.load().unwrap().unwrap(),
    );
    assert_eq!(
        store.read_segment(id, 0).unwrap().as_deref(),
        Some("seg 12")
    );
    assert!(
        copy_shard(&sled, &mut store).is_err(),
        "copied over a shard"
    );
    store.backup_into(back.path()).unwrap();
    let restored = SledStorage::open(back.path(), false).unwrap();
    same_shard(
        &sled.load().unwrap().unwrap(),
        &restored.load().unwrap().unwrap(),
    );
    assert_eq!(
        restored.read_branch(id, "sim").unwrap(),
        sled.read_branch(id, "sim").unwrap()
    );
}
