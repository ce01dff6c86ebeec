//! `PathFinder.search`, `CostMatrix`, `Room.findPath`, `findPathTo` and `moveTo` on the real
//! world, as screeps/engine and screeps/driver define them: a matrix that forces a detour, a
//! `roomCallback` that blocks a room, Screeps' `_move` cache, serialized paths, nested
//! searches. The search itself is checked against hand-worked grids and Dijkstra in
//! `player-api/src/path_finder/tests.rs`.

use crate::support::*;

/// Runs `body` (with `spawn` and `room` in scope) on the first tick and returns `Memory.r`.
fn run_checks(body: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 11, |_| {});
    let main = format!(
        "module.exports.loop = function () {{\n\
           const spawn = Object.values(Game.spawns)[0], room = spawn.room;\n\
           const r = Memory.r = {{}};\n\
           try {{ {body} }} catch (e) {{ r.error = e.stack; }}\n\
         }};"
    );
    let p = shard.add_player("paths", code(&[("main", &main)])).unwrap();
    shard.tick().unwrap();
    let r = memory_json(&shard, p)["r"].clone();
    assert!(r.get("error").is_none(), "{}", r["error"]);
    r
}

/// A walkable tile of `name` near its middle, as JS.
const PLAIN_NEAR_MIDDLE: &str = "function plainNear(name) {\n\
    const t = new Room.Terrain(name);\n\
    for (let d = 0; d < 20; d++) for (let x = 25 - d; x <= 25 + d; x++) for (let y = 25 - d; y <= 25 + d; y++)\n\
      if (t.get(x, y) === 0) return new RoomPosition(x, y, name);\n\
  }";

#[test]
fn a_cost_matrix_that_blocks_the_path_forces_a_detour() {
    let r = run_checks(&format!(
        "{PLAIN_NEAR_MIDDLE}\n\
         const from = spawn.pos, to = room.controller.pos;\n\
         const direct = PathFinder.search(from, {{ pos: to, range: 1 }});\n\
         const mid = direct.path[Math.floor(direct.path.length / 2)];\n\
         let asked = [];\n\
         const detour = PathFinder.search(from, {{ pos: to, range: 1 }}, {{ roomCallback(name) {{\n\
           asked.push(name); const m = new PathFinder.CostMatrix(); m.set(mid.x, mid.y, 255); return m; }} }});\n\
         r.direct = [direct.path.length, direct.cost, direct.incomplete];\n\
         r.detour = [detour.path.length, detour.cost, detour.incomplete];\n\
         r.avoided = !detour.path.some((p) => p.isEqualTo(mid));\n\
         r.asked = asked; r.room = room.name;\n\
         r.steps = detour.path.every((p, i) => (i === 0 ? from : detour.path[i - 1]).isNearTo(p));"
    ));
    assert_eq!(r["direct"][2], false, "{r}");
    assert_eq!(r["detour"][2], false, "{r}");
    assert_eq!(r["avoided"], true, "{r}");
    assert_eq!(r["steps"], true, "{r}");
    assert_eq!(r["asked"], serde_json::json!([r["room"]]), "{r}");
    assert!(r["detour"][1].as_u64() >= r["direct"][1].as_u64(), "{r}");
}

#[test]
fn a_room_callback_returning_false_keeps_the_search_out_of_that_room() {
    let r = run_checks(&format!(
        "{PLAIN_NEAR_MIDDLE}\n\
         const exits = Game.map.describeExits(room.name);\n\
         const next = exits[Object.keys(exits)[0]];\n\
         const goal = plainNear(next);\n\
         const open = PathFinder.search(spawn.pos, goal, {{ maxOps: 20000 }});\n\
         const blocked = PathFinder.search(spawn.pos, goal, {{ maxOps: 20000, roomCallback: (n) => n === next ? false : undefined }});\n\
         r.open = [open.incomplete, open.path.length > 0 && open.path[open.path.length - 1].isEqualTo(goal)];\n\
         r.blocked = [blocked.incomplete, blocked.path.filter((p) => p.roomName === next).length];\n\
         r.names = open.path.map((p) => p.roomName).filter((n, i, a) => a.indexOf(n) === i);\n\
         r.next = next; r.room = room.name;"
    ));
    assert_eq!(r["open"], serde_json::json!([false, true]), "{r}");
    assert_eq!(r["names"][0], r["room"], "{r}");
    assert!(
        r["names"].as_array().unwrap().contains(&r["next"]),
        "each step carries its own room's name: {r}"
    );
    assert_eq!(r["blocked"], serde_json::json!([true, 0]), "{r}");
}

#[test]
fn find_path_serializes_and_find_path_to_matches_room_find_path() {
    let r = run_checks(
        "const to = room.controller.pos;\n\
         const steps = room.findPath(spawn.pos, to);\n\
         const text = room.findPath(spawn.pos, to, { serialize: true });\n\
         r.type = typeof text;\n\
         r.roundTrip = JSON.stringify(Room.deserializePath(text)) === JSON.stringify(steps);\n\
         r.same = JSON.stringify(spawn.pos.findPathTo(to)) === JSON.stringify(steps);\n\
         r.last = steps.length && steps[steps.length - 1].x === to.x && steps[steps.length - 1].y === to.y;\n\
         r.empty = room.findPath(spawn.pos, spawn.pos);\n\
         r.elsewhere = room.findPath(new RoomPosition(1, 1, 'W9N9'), to, { serialize: true });",
    );
    assert_eq!(r["type"], "string", "{r}");
    assert_eq!(r["roundTrip"], true, "{r}");
    assert_eq!(r["same"], true, "{r}");
    assert_eq!(
        r["last"], true,
        "a path without range ends on the target: {r}"
    );
    assert_eq!(r["empty"], serde_json::json!([]));
    assert_eq!(r["elsewhere"], "");
}

#[test]
fn a_room_callback_may_search_itself_and_bad_positions_throw_screeps_errors() {
    let r = run_checks(
        "const to = room.controller.pos;\n\
         let inner = null;\n\
         const outer = PathFinder.search(spawn.pos, { pos: to, range: 1 }, { roomCallback(name) {\n\
           if (!inner) inner = PathFinder.search(spawn.pos, { pos: to, range: 2 }); } });\n\
         r.outer = outer.incomplete; r.inner = inner && inner.incomplete;\n\
         r.shorter = inner.path.length <= outer.path.length;\n\
         try { PathFinder.search(spawn.pos, { pos: { x: 60, y: 1, roomName: room.name } }); } catch (e) { r.bad = e.message; }\n\
         try { PathFinder.search(spawn.pos, { pos: { x: 1, y: 1, roomName: 'nowhere' } }); } catch (e) { r.name = e.message; }\n\
         r.none = PathFinder.search(spawn.pos, []);\n\
         const m = new PathFinder.CostMatrix(); m.set(3, 4, 300); m.set(5, 6, -1);\n\
         r.clamped = [m.get(3, 4), m.get(5, 6), m.serialize().length];",
    );
    assert_eq!(r["outer"], false, "{r}");
    assert_eq!(r["inner"], false, "{r}");
    assert_eq!(r["shorter"], true, "{r}");
    assert_eq!(r["bad"], "Invalid room position");
    assert_eq!(r["name"], "Invalid room name");
    assert_eq!(r["none"], serde_json::json!({"path": [], "ops": 0}));
    assert_eq!(r["clamped"], serde_json::json!([255, 0, 625]));
}

#[test]
fn move_to_keeps_screeps_move_cache_and_follows_it_on_later_ticks() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 12, |_| {});
    let main = "module.exports.loop = function () {\n\
        const spawn = Object.values(Game.spawns)[0];\n\
        if (!Memory.spawned) { Memory.spawned = spawn.spawnCreep([MOVE], 'mover') === OK; }\n\
        const c = Game.creeps.mover;\n\
        if (!c || c.spawning) return;\n\
        Memory.log = Memory.log || [];\n\
        const target = spawn.room.controller.pos;\n\
        const code = c.moveTo(target);\n\
        Memory.log.push([Game.time, code, c.memory._move && JSON.stringify(c.memory._move)]);\n\
      };";
    let p = shard.add_player("mover", code(&[("main", main)])).unwrap();
    for _ in 0..12 {
        shard.tick().unwrap();
    }
    let log = memory_json(&shard, p)["log"].clone();
    let entries = log.as_array().expect("the creep moved");
    assert!(entries.len() >= 3, "{log}");
    let first: serde_json::Value = serde_json::from_str(entries[0][2].as_str().unwrap()).unwrap();
    assert_eq!(entries[0][1], 0, "{log}");
    assert!(
        first["dest"]["x"].is_number() && first["dest"]["room"].is_string(),
        "{first}"
    );
    assert!(first["path"].is_string(), "serialized by default: {first}");
    assert_eq!(first["time"], entries[0][0]);
    let second: serde_json::Value = serde_json::from_str(entries[1][2].as_str().unwrap()).unwrap();
    assert_eq!(
        second["time"], first["time"],
        "the cached path is followed, not searched again"
    );
    assert!(
        second["path"].as_str().unwrap().len() < first["path"].as_str().unwrap().len(),
        "and consumed as the creep walks: {first} {second}"
    );
}
