//! Territory through the player API (screeps/engine `game/creeps.js`, `game/structures.js`,
//! `game/game.js`): `Game.gcl` grows with upgrading, the controller shows safe mode, its
//! reservation and sign, `signController` and `unclaim` act, `activateSafeMode` answers in
//! Screeps' order. The rules themselves are `world/tests/territory.rs`.

use crate::support::*;

const TERRITORY_BOT: &str = r#"
module.exports.loop = function () {
  const spawn = Game.spawns.Spawn1, room = spawn.room, ctl = room.controller;
  const seen = Memory.seen = Memory.seen || {};
  if (Game.time === 0) {
    seen.first = {
      gcl: Game.gcl, safeMode: ctl.safeMode > 0, available: ctl.safeModeAvailable,
      reservation: ctl.reservation === undefined, sign: ctl.sign === undefined,
      activate: ctl.activateSafeMode(), instance: ctl instanceof StructureController,
    };
    spawn.spawnCreep([WORK, CARRY, MOVE], 'u');
  }
  const u = Game.creeps.u;
  if (u && !u.spawning && !seen.gained) {
    if (u.store.getFreeCapacity() > 0 && !u.memory.full) {
      const s = u.pos.findClosestByPath(FIND_SOURCES_ACTIVE);
      if (u.harvest(s) === ERR_NOT_IN_RANGE) u.moveTo(s);
    } else {
      u.memory.full = u.store.energy > 0;
      if (!u.pos.isNearTo(ctl)) u.moveTo(ctl);
      if (u.upgradeController(ctl) === OK) seen.upgraded = Game.time;
      if (!ctl.sign && u.signController(ctl, 'isoshard was here') === OK) seen.signedAt = Game.time;
    }
  }
  if (Game.gcl.progress > 0 && ctl.sign && !seen.gained) {
    seen.gained = { gcl: Game.gcl, sign: [ctl.sign.username, ctl.sign.text, ctl.sign.time === seen.signedAt] };
    seen.unclaim = ctl.unclaim();
    seen.foreignUnclaim = typeof StructureController.prototype.unclaim;
  } else if (seen.gained && !seen.after) {
    seen.after = { my: ctl.my, level: ctl.level, cooldown: ctl.safeModeCooldown, progress: ctl.progress,
      safeMode: ctl.safeMode === undefined, spawn: spawn.spawnCreep([MOVE], 'v') };
  }
};
"#;

#[test]
fn gcl_grows_with_upgrades_a_sign_shows_and_unclaim_gives_the_room_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 5, |_| {});
    let p = shard
        .add_player("territorial", code(&[("main", TERRITORY_BOT)]))
        .unwrap();
    for _ in 0..300 {
        shard.tick().unwrap();
        if memory_json(&shard, p)["seen"]["after"].is_object() {
            break;
        }
    }
    let seen = memory_json(&shard, p)["seen"].clone();
    let first = &seen["first"];
    assert_eq!(
        first["gcl"],
        serde_json::json!({"level": 1, "progress": 0, "progressTotal": 1_000_000}),
        "{seen}"
    );
    assert_eq!(first["safeMode"], true, "a new colony starts in safe mode");
    assert_eq!(first["available"], 0);
    assert_eq!(first["reservation"], true);
    assert_eq!(first["sign"], true);
    assert_eq!(
        first["activate"], -6,
        "ERR_NOT_ENOUGH_RESOURCES: none in store"
    );
    assert_eq!(first["instance"], true);
    let gained = &seen["gained"];
    assert_eq!(gained["gcl"]["level"], 1, "{seen}");
    assert!(gained["gcl"]["progress"].as_f64().unwrap() >= 1.0, "{seen}");
    assert_eq!(
        gained["sign"],
        serde_json::json!(["territorial", "isoshard was here", true])
    );
    assert_eq!(seen["unclaim"], 0, "{seen}");
    let after = &seen["after"];
    assert_eq!(after["my"], false, "{seen}");
    assert_eq!(after["level"], 0);
    assert_eq!(after["progress"], serde_json::Value::Null);
    assert_eq!(after["safeMode"], true, "safe mode ends with the room");
    assert!(after["cooldown"].as_u64().unwrap() > 49_000);
    assert_eq!(
        after["spawn"], -14,
        "ERR_RCL_NOT_ENOUGH: a spawn in a room not owned"
    );
}
