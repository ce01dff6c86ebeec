//! `Room.getEventLog` (screeps/engine `game/rooms.js`, the processor's `eventLog.push`): what
//! happened in a room during the last tick, with Screeps' event numbers and field names.

use crate::support::*;

const EVENT_BOT: &str = r#"
module.exports.loop = function () {
  const spawn = Game.spawns.Spawn1, room = spawn.room;
  const seen = Memory.seen = Memory.seen || { kinds: {} };
  if (Game.time === 0) spawn.spawnCreep([WORK, CARRY, MOVE], 'h');
  const h = Game.creeps.h;
  if (h && !h.spawning) {
    const s = h.pos.findClosestByPath(FIND_SOURCES_ACTIVE);
    if (h.store.getFreeCapacity() > 0) { if (h.harvest(s) === ERR_NOT_IN_RANGE) h.moveTo(s); }
    else if (h.upgradeController(room.controller) === ERR_NOT_IN_RANGE) h.moveTo(room.controller);
  }
  const log = room.getEventLog();
  for (const e of log) {
    if (!seen.kinds[e.event]) seen.kinds[e.event] = { objectId: e.objectId === (h && h.id), data: e.data };
  }
  seen.raw = typeof room.getEventLog(true) === 'string' && JSON.parse(room.getEventLog(true)).length === log.length;
  seen.same = room.getEventLog() === log;
};
"#;

#[test]
fn the_event_log_shows_the_last_ticks_harvests_and_upgrades_with_screeps_fields() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 5, |_| {});
    let p = shard
        .add_player("chronicler", code(&[("main", EVENT_BOT)]))
        .unwrap();
    for _ in 0..250 {
        shard.tick().unwrap();
        if memory_json(&shard, p)["seen"]["kinds"]["9"].is_object() {
            break;
        }
    }
    let seen = memory_json(&shard, p)["seen"].clone();
    // EVENT_HARVEST (5): the harvester, its source and what it took.
    let harvest = &seen["kinds"]["5"];
    assert_eq!(harvest["objectId"], true, "{seen}");
    assert_eq!(harvest["data"]["amount"], 2, "{seen}");
    assert!(harvest["data"]["targetId"].is_string());
    // EVENT_UPGRADE_CONTROLLER (9): amount and energy spent.
    let upgrade = &seen["kinds"]["9"];
    assert_eq!(
        upgrade["data"],
        serde_json::json!({"amount": 1, "energySpent": 1}),
        "{seen}"
    );
    assert_eq!(seen["raw"], true);
    assert_eq!(seen["same"], true, "one array a tick, as on Screeps");
}
