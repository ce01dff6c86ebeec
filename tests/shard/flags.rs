//! Flags as screeps/engine keeps them (`src/game/flags.js`, `Room.createFlag`, the room
//! processor's `createFlag`/`removeFlag`): the player's own, shown from the next tick in
//! `Game.flags`, `FIND_FLAGS` and `LOOK_FLAGS`, kept with the tick's commit and through a
//! restart, at most `FLAGS_LIMIT` of them.

use isoshard_engine::{Shard, SledStorage};
use isoshard_player_api::PlayerRuntimeOptions;

use crate::support::*;

const FLAG_BOT: &str = r#"
module.exports.loop = function () {
  const spawn = Object.values(Game.spawns)[0], room = spawn.room, t = Game.time;
  const seen = Memory.seen = Memory.seen || {};
  const describe = (f) => `${f.name}@${f.pos.x},${f.pos.y}:${f.color}/${f.secondaryColor}`;
  seen[t] = {
    flags: Object.keys(Game.flags).sort().map((n) => describe(Game.flags[n])),
    found: room.find(FIND_FLAGS).map((f) => f.name).sort(),
    looked: room.lookForAt(LOOK_FLAGS, 10, 10).map((f) => f.name),
    isFlag: Object.values(Game.flags).every((f) => f instanceof Flag && f.room === room),
  };
  if (t === 0) {
    seen.codes = [
      room.createFlag(10, 10, 'home', COLOR_RED),
      new RoomPosition(11, 11, room.name).createFlag(),
      room.createFlag(12, 12, 'home'),
      room.createFlag(12, 12, 'bad', 99),
      room.createFlag(50, 1, 'off'),
      room.createFlag(13, 13, 'x'.repeat(101)),
    ];
    seen.sameTick = Object.keys(Game.flags).sort();
    Game.flags.home.memory.role = 'base';
  }
  if (t === 1) {
    Game.flags.home.setColor(COLOR_BLUE, COLOR_GREEN);
    Game.flags.Flag1.setPosition(20, 21);
  }
  if (t === 2) Game.flags.Flag1.remove();
};
"#;

#[test]
fn a_flag_is_created_changed_and_removed_as_on_screeps_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let p;
    {
        let mut shard = shard(dir.path(), 21, |_| {});
        p = shard
            .add_player("flagger", code(&[("main", FLAG_BOT)]))
            .unwrap();
        for _ in 0..4 {
            shard.tick().unwrap();
        }
        let seen = memory_json(&shard, p)["seen"].clone();
        assert_eq!(
            seen["codes"],
            serde_json::json!(["home", "Flag1", -3, -10, -10, -10]),
            "{seen}"
        );
        assert_eq!(seen["sameTick"], serde_json::json!(["Flag1", "home"]));
        assert_eq!(
            seen["0"]["flags"],
            serde_json::json!([]),
            "from the next tick"
        );
        assert_eq!(
            seen["1"]["flags"],
            serde_json::json!(["Flag1@11,11:10/10", "home@10,10:1/1"]),
            "{seen}"
        );
        assert_eq!(seen["1"]["found"], serde_json::json!(["Flag1", "home"]));
        assert_eq!(seen["1"]["looked"], serde_json::json!(["home"]));
        assert_eq!(seen["1"]["isFlag"], true);
        assert_eq!(
            seen["2"]["flags"],
            serde_json::json!(["Flag1@20,21:10/10", "home@10,10:3/5"]),
            "{seen}"
        );
        assert_eq!(seen["3"]["flags"], serde_json::json!(["home@10,10:3/5"]));
        assert_eq!(memory_json(&shard, p)["flags"]["home"]["role"], "base");
    }
    let storage = SledStorage::open(dir.path(), false).unwrap();
    let mut shard = Shard::open(Box::new(storage), PlayerRuntimeOptions::default()).unwrap();
    shard.tick().unwrap();
    assert_eq!(
        memory_json(&shard, p)["seen"]["4"]["flags"],
        serde_json::json!(["home@10,10:3/5"]),
        "after a restart"
    );
}

#[test]
fn a_flood_of_flags_stops_at_flags_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 22, |_| {});
    let main = r#"
module.exports.loop = function () {
  const room = Object.values(Game.spawns)[0].room;
  if (Game.time === 0) {
    let last;
    for (let i = 0; i <= FLAGS_LIMIT; i++) last = room.createFlag(i % 50, (i / 50 | 0) % 50, 'f' + i);
    Memory.last = last;
  }
  Memory.count = Object.keys(Game.flags).length;
  if (Game.time === 1) Memory.another = room.createFlag(1, 1, 'one more');
};
"#;
    let p = shard
        .add_player("flooder", code(&[("main", main)]))
        .unwrap();
    shard.tick().unwrap();
    shard.tick().unwrap();
    let m = memory_json(&shard, p);
    assert_eq!(m["last"], -8, "ERR_FULL for the 10 001st");
    assert_eq!(m["count"], 10_000);
    assert_eq!(m["another"], -8);
}
