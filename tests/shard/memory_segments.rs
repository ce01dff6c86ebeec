//! `RawMemory` segments, `InterShardMemory` and `Game.notify` as screeps/driver keeps them
//! (`lib/runtime/runtime.js`, `make.js`): a segment is readable the tick after
//! `setActiveSegments`, survives global resets and restarts, another player reads it only
//! while it is public, and the driver's limits throw its messages.

use isoshard_engine::{Shard, SledStorage};
use isoshard_player_api::PlayerRuntimeOptions;

use crate::support::*;

const SEGMENTS_BOT: &str = r#"
module.exports.loop = function () {
  const t = Game.time;
  Memory.seen = Memory.seen || {};
  Memory.seen[t] = Object.keys(RawMemory.segments).join(',') + '|' + (RawMemory.segments[7] || '') + '|' + InterShardMemory.getLocal();
  if (t === 0) { RawMemory.setActiveSegments([7, 8]); RawMemory.segments[7] = 'written at 0'; InterShardMemory.setLocal('isl at 0'); }
  if (t === 2) RawMemory.segments[7] = 'written at 2';
};
"#;

#[test]
fn a_segment_written_survives_a_global_reset_and_a_restart_and_is_read_the_tick_after_activation() {
    let dir = tempfile::tempdir().unwrap();
    let p;
    {
        let mut shard = shard(dir.path(), 5, |_| {});
        p = shard
            .add_player("segments", code(&[("main", SEGMENTS_BOT)]))
            .unwrap();
        for _ in 0..3 {
            shard.tick().unwrap();
        }
        let seen = &memory_json(&shard, p)["seen"];
        assert_eq!(seen["0"], "||", "nothing active on the first tick: {seen}");
        assert_eq!(seen["1"], "7,8|written at 0|isl at 0", "{seen}");
        assert_eq!(seen["2"], "7,8|written at 0|isl at 0", "{seen}");
        // A global reset (new code) keeps segments and InterShardMemory.
        shard
            .set_code(p, code(&[("main", SEGMENTS_BOT), ("x", "")]))
            .unwrap();
        shard.tick().unwrap();
        assert_eq!(
            memory_json(&shard, p)["seen"]["3"],
            "7,8|written at 2|isl at 0"
        );
    }
    let storage = SledStorage::open(dir.path(), false).unwrap();
    let mut shard = Shard::open(Box::new(storage), PlayerRuntimeOptions::default()).unwrap();
    shard.tick().unwrap();
    assert_eq!(
        memory_json(&shard, p)["seen"]["4"],
        "7,8|written at 2|isl at 0",
        "after a restart"
    );
}

#[test]
fn the_driver_limits_throw_its_messages_and_a_failed_save_keeps_the_old_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 6, |_| {});
    let main = r#"
module.exports.loop = function () {
  const errors = [];
  const tryIt = (f) => { try { f(); errors.push('ok'); } catch (e) { errors.push(e.message); } };
  tryIt(() => RawMemory.setActiveSegments([0,1,2,3,4,5,6,7,8,9,10]));
  tryIt(() => RawMemory.setActiveSegments([100]));
  tryIt(() => InterShardMemory.setLocal('x'.repeat(102401)));
  tryIt(() => InterShardMemory.getRemote('shard0'));
  Memory.errors = errors;
  if (Game.time === 0) { RawMemory.setActiveSegments([1]); RawMemory.segments[1] = 'kept'; }
  if (Game.time === 1) RawMemory.segments[1] = 'y'.repeat(100 * 1024 + 1);
  Memory.one = RawMemory.segments[1];
};
"#;
    let p = shard.add_player("limits", code(&[("main", main)])).unwrap();
    for _ in 0..3 {
        shard.tick().unwrap();
    }
    let m = memory_json(&shard, p);
    assert_eq!(
        m["errors"],
        serde_json::json!([
            "Only 10 memory segments can be active at the same time",
            "\"100\" is not a valid segment ID",
            "InterShardMemory size has exceeded 100 KB limit",
            "Invalid shard name 'shard0' (this server has one shard, 'isoshard')"
        ])
    );
    assert_eq!(
        m["one"], "kept",
        "the oversized write of tick 1 was refused"
    );
    let console = shard.drain_console(p).join("\n");
    assert!(
        console.contains("Memory segment #1 has exceeded 100 KB length limit"),
        "{console}"
    );
}

#[test]
fn another_player_reads_a_segment_only_while_it_is_public() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 7, |_| {});
    let owner = r#"
module.exports.loop = function () {
  if (Game.time === 0) { RawMemory.segments[3] = 'public news'; RawMemory.segments[4] = 'secret'; RawMemory.setPublicSegments([3]); RawMemory.setDefaultPublicSegment(3); }
};
"#;
    let reader = r#"
module.exports.loop = function () {
  Memory.got = Memory.got || [];
  const f = RawMemory.foreignSegment;
  Memory.got.push(f ? f.username + ':' + f.id + ':' + f.data : null);
  if (Game.time === 0) RawMemory.setActiveForeignSegment('owner');
  if (Game.time === 2) RawMemory.setActiveForeignSegment('owner', 4);
};
"#;
    shard.add_player("owner", code(&[("main", owner)])).unwrap();
    let r = shard
        .add_player("reader", code(&[("main", reader)]))
        .unwrap();
    for _ in 0..5 {
        shard.tick().unwrap();
    }
    let got = &memory_json(&shard, r)["got"];
    assert_eq!(got[0], serde_json::Value::Null);
    assert_eq!(got[1], "owner:3:public news", "{got}");
    assert_eq!(
        got[3],
        serde_json::Value::Null,
        "segment 4 is not public: {got}"
    );
}

#[test]
fn game_notify_is_kept_with_its_tick_and_capped_per_tick() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 8, |_| {});
    let main = r#"
module.exports.loop = function () {
  Memory.codes = [];
  for (let i = 0; i < 22; i++) Memory.codes.push(Game.notify('tick ' + Game.time + ' #' + i));
};
"#;
    let p = shard
        .add_player("notifier", code(&[("main", main)]))
        .unwrap();
    shard.tick().unwrap();
    let codes = &memory_json(&shard, p)["codes"];
    assert_eq!(codes[19], 0);
    assert_eq!(codes[20], -8, "ERR_FULL past 20 a tick: {codes}");
    let n = shard.notifications(p);
    assert_eq!(n.len(), 20);
    assert_eq!(n[0], (0, "tick 0 #0".to_string()));
    shard.tick().unwrap();
    shard.tick().unwrap();
    assert_eq!(shard.notifications(p).len(), 50, "the newest 50 are kept");
    assert_eq!(shard.notifications(p)[49], (2, "tick 2 #19".to_string()));
    drop(shard);
    let storage = SledStorage::open(dir.path(), false).unwrap();
    let reopened = Shard::open(Box::new(storage), PlayerRuntimeOptions::default()).unwrap();
    assert_eq!(
        reopened.notifications(p),
        n.iter()
            .skip(10)
            .cloned()
            .chain((0..20).map(|i| (1, format!("tick 1 #{i}"))))
            .chain((0..20).map(|i| (2, format!("tick 2 #{i}"))))
            .collect::<Vec<_>>(),
        "kept through a restart"
    );
}

#[test]
fn messages_and_a_badge_survive_a_restart_and_fsck_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let (alice, bob);
    {
        let mut shard = shard(dir.path(), 9, |_| {});
        alice = shard.add_player("alice", code(&[("main", "")])).unwrap();
        bob = shard.add_player("bob", code(&[("main", "")])).unwrap();
        let badge = isoshard_engine::Badge {
            pattern: 3,
            colors: ["#010203".into(), "#040506".into(), "#070809".into()],
            param: -5.5,
            flip: true,
        };
        shard.set_badge(alice, badge).unwrap();
        shard
            .send_message(alice, bob, "hi bob".into(), 1_000)
            .unwrap();
        let id = shard.messages(bob)[0].id.clone();
        assert!(
            shard
                .mark_message_read(alice, &shard.messages(alice)[0].id.clone())
                .is_err(),
            "the sender cannot mark its own copy read"
        );
        shard.mark_message_read(bob, &id).unwrap();
        shard.tick().unwrap();
    }
    let report = isoshard_engine::fsck(dir.path(), false).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let storage = SledStorage::open(dir.path(), false).unwrap();
    let shard = Shard::open(Box::new(storage), PlayerRuntimeOptions::default()).unwrap();
    let sent = shard.messages(alice);
    let received = shard.messages(bob);
    assert_eq!((sent.len(), received.len()), (1, 1));
    assert!(sent[0].outgoing && !received[0].outgoing);
    assert_eq!(received[0].text, "hi bob");
    assert_eq!(received[0].respondent, alice.0);
    assert_eq!(received[0].out_message.as_ref(), Some(&sent[0].id));
    assert!(!sent[0].unread && !received[0].unread, "read on both sides");
    assert_eq!(
        shard.account(alice).unwrap().badge.as_ref().unwrap().param,
        -5.5
    );
}
