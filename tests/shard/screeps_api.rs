//! The player API against the real game's own sources: every constant of screeps/common with
//! its value, every global class and constant @types/screeps declares, and screeps/engine's
//! answers for positions, stores, look, paths, cost matrices, routes and visuals — run by bots
//! in a real shard. What the world does not model throws "not supported", never a made-up code.

use std::collections::BTreeMap;

use isoshard_player_api::{LODASH_JS, PRELUDE_JS, SCREEPS_CONSTANTS_JS};
use isoshard_scripting::{RunOptions, RunOutcome};
use serde_json::Value;

use crate::support::*;

/// Evaluates `scripts` in order in a fresh context and returns the last one's value as JSON.
fn eval_json(scripts: &[&str]) -> Value {
    let (iso, ctx) = prelude_context();
    let _keep = iso;
    let mut last = Value::Null;
    // The prelude and lodash ran in the context already.
    for script in scripts
        .iter()
        .filter(|s| **s != PRELUDE_JS && **s != LODASH_JS)
    {
        let run = ctx.eval(script, &RunOptions::default()).expect("eval");
        let RunOutcome::Ok(copy) = run.outcome else {
            panic!("script failed: {:?}", run.outcome.error());
        };
        last = copy.to_json().unwrap_or(Value::Null);
    }
    last
}

#[test]
fn the_bundled_constants_are_screeps_commons_file_unchanged() {
    let npm = npm_file("@screeps/common/lib/constants.js");
    assert!(
        npm == SCREEPS_CONSTANTS_JS,
        "player-api/js/vendor/screeps-common-2.16.1-constants.js differs from @screeps/common 2.16.1"
    );
}

#[test]
fn every_constant_of_screeps_common_is_a_global_with_the_real_games_value() {
    let npm = npm_file("@screeps/common/lib/constants.js");
    let want = eval_json(&[&format!(
        "(() => {{ const exports = {{}}; {npm}\n; return JSON.stringify(exports); }})()"
    )]);
    let want: BTreeMap<String, Value> = serde_json::from_str(want.as_str().unwrap()).unwrap();
    assert!(
        want.len() >= 423,
        "screeps/common has {} constants",
        want.len()
    );
    let names = serde_json::to_string(&want.keys().collect::<Vec<_>>()).unwrap();
    let got = eval_json(&[
        PRELUDE_JS,
        LODASH_JS,
        &format!("(() => {{ const o = {{}}; for (const k of {names}) o[k] = k in globalThis ? globalThis[k] : '<missing>'; return JSON.stringify(o); }})()"),
    ]);
    let got: BTreeMap<String, Value> = serde_json::from_str(got.as_str().unwrap()).unwrap();
    let drift: Vec<String> = want
        .iter()
        .filter(|(k, v)| got.get(*k) != Some(v))
        .map(|(k, v)| format!("{k}: screeps {v}, isoshard {}", got[k]))
        .collect();
    assert!(
        drift.is_empty(),
        "{} constants differ:\n{}",
        drift.len(),
        drift.join("\n")
    );
}

#[test]
fn every_global_class_and_constant_types_screeps_declares_exists_with_its_declared_value() {
    let (constants, classes) = types_screeps_globals();
    assert!(
        constants.len() >= 400 && classes.len() >= 40,
        "{} constants, {} classes",
        constants.len(),
        classes.len()
    );
    let names: Vec<&String> = constants.keys().chain(classes.iter()).collect();
    let names = serde_json::to_string(&names).unwrap();
    let got = eval_json(&[
        PRELUDE_JS,
        LODASH_JS,
        &format!("(() => {{ const o = {{}}; for (const k of {names}) {{ const v = globalThis[k]; o[k] = v === undefined ? '<missing>' : typeof v === 'function' ? '<function>' : typeof v === 'object' && !Array.isArray(v) && k !== k.toUpperCase() ? '<object>' : v; }} return JSON.stringify(o); }})()"),
    ]);
    let got: BTreeMap<String, Value> = serde_json::from_str(got.as_str().unwrap()).unwrap();
    let mut drift = Vec::new();
    for (name, want) in &constants {
        match (&got[name], want) {
            (Value::String(s), _) if s == "<missing>" => drift.push(format!("{name} missing")),
            (v, Some(want))
                if v.as_f64().is_some()
                    && want.as_f64().is_some()
                    && v.as_f64() != want.as_f64() =>
            {
                drift.push(format!("{name}: declared {want}, isoshard {v}"));
            }
            (v, Some(want)) if v.as_f64().is_some() && want.as_f64().is_some() => {}
            (v, Some(want)) if v != want => {
                drift.push(format!("{name}: declared {want}, isoshard {v}"))
            }
            _ => {}
        }
    }
    for class in &classes {
        // Game, Memory, RawMemory, PathFinder, InterShardMemory are objects; Memory needs a tick.
        let want_fn = !matches!(
            class.as_str(),
            "Game" | "Memory" | "RawMemory" | "PathFinder" | "InterShardMemory"
        );
        let v = &got[class];
        if want_fn && v != "<function>" {
            drift.push(format!("class {class}: {v}"));
        }
        if !want_fn && class != "Game" && class != "Memory" && v != "<object>" {
            drift.push(format!("{class}: {v}"));
        }
    }
    assert!(
        drift.is_empty(),
        "{} globals differ from @types/screeps:\n{}",
        drift.len(),
        drift.join("\n")
    );
}

fn memory_after(main: &str, ticks: usize) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 4, |_| {});
    let p = shard.add_player("asker", code(&[("main", main)])).unwrap();
    for _ in 0..ticks {
        shard.tick().unwrap();
    }
    serde_json::from_str(&shard.memory(p).unwrap()).unwrap()
}

#[test]
fn positions_and_stores_answer_as_screeps_engine_does() {
    let main = r#"module.exports.loop = function () {
      const spawn = Object.values(Game.spawns)[0], room = spawn.room, here = spawn.pos;
      const far = new RoomPosition(10, 10, room.name === 'W0N0' ? 'W1N0' : 'W0N0');
      const a = new RoomPosition(10, 10, room.name);
      let bad; try { new RoomPosition(50, 1, room.name); } catch (e) { bad = e.message; }
      Memory.r = {
        rangeOtherRoom: a.getRangeTo(far) === Infinity, inRangeOtherRoom: a.inRangeTo(far, 100),
        dir51: a.getDirectionTo(15, 11), dir13: a.getDirectionTo(11, 13), dir12: a.getDirectionTo(11, 12), dir00: a.getDirectionTo(10, 10) === undefined,
        badPos: bad,
        siteNull: room.createConstructionSite(null, STRUCTURE_ROAD),
        siteUnknown: room.createConstructionSite(20, 20, 'castle'),
        storeH: spawn.store.H, storeKeysSpawn: Object.keys(spawn.store),
        spawnCap: spawn.store.getCapacity(), spawnCapEnergy: spawn.store.getCapacity(RESOURCE_ENERGY),
        spawnCapH: spawn.store.getCapacity(RESOURCE_HYDROGEN), spawnUsed: spawn.store.getUsedCapacity(),
        spawnFree: spawn.store.getFreeCapacity(), spawnFreeEnergy: spawn.store.getFreeCapacity(RESOURCE_ENERGY),
        storeString: String(spawn.store), storeIsStore: spawn.store instanceof Store,
        serialized: Room.serializePath([{x: 5, y: 6, dx: 1, dy: 0, direction: RIGHT}, {x: 6, y: 7, dx: 1, dy: 1, direction: BOTTOM_RIGHT}]),
        deserialized: Room.deserializePath('05063 4'.replace(' ', '')),
        lookArea: Object.keys(room.lookForAtArea(LOOK_TERRAIN, 1, 2, 2, 3)),
        lookAreaRow: room.lookForAtArea(LOOK_TERRAIN, 1, 2, 2, 3)[1][2],
        lookAtAreaArray: room.lookAtArea(here.y, here.x, here.y, here.x, true).map((e) => e.type).sort(),
        lookForSpawn: room.lookForAtArea(LOOK_STRUCTURES, here.y - 1, here.x - 1, here.y + 1, here.x + 1, true)
          .map((e) => [e.x, e.y, e.structure.structureType]),
        route: Game.map.findRoute(room.name, room.name), routeBad: Game.map.findRoute(room.name, 'nowhere'),
        status: Game.map.getRoomStatus(room.name), statusOff: Game.map.getRoomStatus('W90N90'),
        worldSize: Game.map.getWorldSize(),
        txCost: Game.market.calcTransactionCost(1000, 'W0N0', 'W10N0'),
      };
      Memory.here = [here.x, here.y];
    };"#;
    let m = memory_after(main, 1);
    let r = &m["r"];
    assert_eq!(r["rangeOtherRoom"], true, "{r}");
    assert_eq!(r["inRangeOtherRoom"], false, "{r}");
    assert_eq!(
        (
            r["dir51"].as_i64(),
            r["dir13"].as_i64(),
            r["dir12"].as_i64()
        ),
        (Some(3), Some(5), Some(4)),
        "RIGHT, BOTTOM, BOTTOM_RIGHT: {r}"
    );
    assert_eq!(r["dir00"], true, "{r}");
    assert_eq!(r["badPos"], "Invalid arguments in RoomPosition constructor");
    assert_eq!(
        (r["siteNull"].as_i64(), r["siteUnknown"].as_i64()),
        (Some(-10), Some(-10)),
        "{r}"
    );
    assert_eq!(r["storeH"], 0, "{r}");
    assert_eq!(r["spawnCap"], Value::Null, "{r}");
    assert_eq!(r["spawnCapEnergy"], 300, "{r}");
    assert_eq!(r["spawnCapH"], Value::Null, "{r}");
    assert_eq!(r["spawnUsed"], Value::Null, "{r}");
    assert_eq!(r["spawnFree"], Value::Null, "{r}");
    assert_eq!(r["storeString"], "[store]");
    assert_eq!(r["storeIsStore"], true);
    assert_eq!(r["serialized"], "050634", "{r}");
    assert_eq!(
        r["deserialized"],
        serde_json::json!([{"x":5,"y":6,"dx":1,"dy":0,"direction":3},{"x":6,"y":7,"dx":1,"dy":1,"direction":4}])
    );
    assert_eq!(r["lookArea"], serde_json::json!(["1", "2"]), "{r}");
    assert!(r["lookAreaRow"].as_array().unwrap().len() == 1, "{r}");
    let types = r["lookAtAreaArray"].as_array().unwrap();
    assert!(
        types.contains(&Value::from("structure")) && types.contains(&Value::from("terrain")),
        "{r}"
    );
    let (x, y) = (
        m["here"][0].as_i64().unwrap(),
        m["here"][1].as_i64().unwrap(),
    );
    assert_eq!(
        r["lookForSpawn"],
        serde_json::json!([[x, y, "spawn"]]),
        "{r}"
    );
    assert_eq!(r["route"], serde_json::json!([]));
    assert_eq!(r["routeBad"], -2);
    assert_eq!(
        r["status"],
        serde_json::json!({"status": "normal", "timestamp": null})
    );
    assert_eq!(r["statusOff"]["status"], "closed");
    assert_eq!(r["worldSize"], 3, "the test world is 3×3 rooms");
    // 1000 * (1 - e^(-10/30)) = 283.46…, rounded up.
    assert_eq!(r["txCost"], 284);
    // The spawn's store has its energy and nothing else as keys.
    let keys = r["storeKeysSpawn"].as_array().unwrap();
    assert!(keys.iter().all(|k| k == "energy"), "{r}");
}

#[test]
fn cost_matrices_clamp_and_serialize_as_screeps_does() {
    let main = r#"module.exports.loop = function () {
      const m = new PathFinder.CostMatrix();
      m.set(1, 2, 300); m.set(2, 1, -1); m.set(3, 0, 7);
      const s = m.serialize();
      const back = PathFinder.CostMatrix.deserialize(s);
      const empty = PathFinder.CostMatrix.deserialize(undefined);
      Memory.r = { v300: m.get(1, 2), vNeg: m.get(2, 1), len: s.length, word37: s[37], back: back.get(3, 0),
        bitsIndex: m._bits[3 * 50 + 0], clone: m.clone().get(1, 2), emptyLen: empty._bits.length,
        isMatrix: back instanceof PathFinder.CostMatrix };
    };"#;
    let r = &memory_after(main, 1)["r"];
    assert_eq!(
        (r["v300"].as_i64(), r["vNeg"].as_i64()),
        (Some(255), Some(0)),
        "{r}"
    );
    assert_eq!(r["len"], 625, "{r}");
    // Index 3 * 50 + 0 = 150 is byte 2 of little-endian word 37: 7 << 16.
    assert_eq!(r["word37"], 7 << 16, "{r}");
    assert_eq!(
        (
            r["back"].as_i64(),
            r["bitsIndex"].as_i64(),
            r["clone"].as_i64()
        ),
        (Some(7), Some(7), Some(255))
    );
    assert_eq!(r["emptyLen"], 0);
    assert_eq!(r["isMatrix"], true);
}

#[test]
fn what_the_world_does_not_model_throws_not_supported_instead_of_pretending() {
    let main = r#"module.exports.loop = function () {
      const spawn = Object.values(Game.spawns)[0];
      const tries = {
        pixelOrder: () => Game.market.createOrder(ORDER_SELL, PIXEL, 1, 100, spawn.room.name),
        powerCreep: () => PowerCreep.create('p', 'operator'),
      };
      Memory.r = {};
      for (const k of Object.keys(tries)) { try { Memory.r[k] = tries[k](); } catch (e) { Memory.r[k] = e.message; } }
      // Links are modelled: their codes come in Screeps' order (an RCL 1 room keeps them off).
      const at = (x, owner) => ({ id: 'l' + x, type: 'link', structureType: 'link', x, y: spawn.pos.y,
        room: spawn.room.name, owner, energy: 100, energyCapacity: 800, hits: 1000, hitsMax: 1000 });
      const mine = new StructureLink(at(3, spawn.owner.username)), other = new StructureLink(at(4, spawn.owner.username));
      const theirs = new StructureLink(at(5, 'someone'));
      Memory.link = [mine.transferEnergy(spawn), mine.transferEnergy(mine), mine.transferEnergy(theirs),
        mine.transferEnergy(other, -1), mine.transferEnergy(other),
        spawn.room.createConstructionSite(spawn.pos.x + 3, spawn.pos.y, STRUCTURE_LINK)];
      const rampart = (owner) => new StructureRampart({ id: 'r1', type: 'rampart', structureType: 'rampart', x: 3,
        y: 3, room: spawn.room.name, owner, hits: 1, hitsMax: 0, isPublic: false });
      // Spawn upkeep, sites and destroy are modelled: codes in Screeps' order.
      const site = new ConstructionSite({ id: 's1', type: 'constructionSite', x: 3, y: 3, room: spawn.room.name,
        owner: 'someone', structureType: 'road', progress: 0, progressTotal: 300 });
      Memory.directions = [spawn.spawnCreep([MOVE], 'd1', { directions: [9] }),
        spawn.spawnCreep([MOVE], 'd2', { directions: 'x' }),
        new StructureSpawn.Spawning(spawn, { name: 'n', needTime: 3, remainingTime: 3 }).setDirections([2, 2])];
      Memory.upkeep = [spawn.recycleCreep({}), spawn.renewCreep({}), site.remove(), spawn.destroy()];
      Memory.rampart = [rampart('someone').setPublic(true), rampart(spawn.owner.username).setPublic(true),
        rampart('someone').isPublic, spawn.room.createConstructionSite(spawn.pos.x + 3, spawn.pos.y, STRUCTURE_RAMPART)];
      Memory.instances = [spawn instanceof StructureSpawn, spawn instanceof OwnedStructure, spawn instanceof Structure,
        spawn instanceof RoomObject, StructureLab.prototype instanceof OwnedStructure, Ruin.prototype instanceof RoomObject];
    };"#;
    let m = memory_after(main, 1);
    for (k, v) in m["r"].as_object().unwrap() {
        let text = v.as_str().unwrap_or_default();
        assert!(
            text.ends_with("is not supported on this server"),
            "{k}: {v}"
        );
    }
    assert_eq!(
        m["r"]["pixelOrder"],
        "Game.market.createOrder of intershard resources (Game.resources) is not supported on this server"
    );
    assert_eq!(m["link"], serde_json::json!([-7, -7, -1, -10, -14, -14]));
    assert_eq!(m["rampart"], serde_json::json!([-1, 0, false, -14]));
    // recycle/renew of no creep: ERR_INVALID_TARGET; another's site in one's own room: OK;
    // destroying one's own spawn: OK.
    assert_eq!(m["upkeep"], serde_json::json!([-7, -7, 0, 0]));
    assert_eq!(m["directions"], serde_json::json!([-10, -10, 0]));
    assert_eq!(
        m["instances"],
        serde_json::json!([true, true, true, true, true, true])
    );
}

#[test]
fn room_visuals_are_recorded_per_tick_with_screeps_size_limits_and_stay_the_drawers_own() {
    let main = r#"module.exports.loop = function () {
      const room = Object.values(Game.rooms)[0].name;
      const v = new RoomVisual(room);
      v.circle(10, 10, { fill: 'red' }).line(new RoomPosition(1, 1, room), new RoomPosition(2, 2, room)).text('hi', 5, 5);
      const size = v.getSize(), exported = v.export();
      Game.map.visual.circle(new RoomPosition(3, 3, room));
      new RoomVisual('W5N5').rect(1, 1, 2, 2).clear();
      let limit = null;
      try { const big = new RoomVisual('W3N3'); for (let i = 0; i < 6000; i++) big.text('x'.repeat(100), 1, 1); }
      catch (e) { limit = e.message; }
      let total = null;
      try { for (let r = 0; r < 6; r++) { const w = new RoomVisual('E' + r + 'S29'); for (let i = 0; i < 3000; i++) w.text('y'.repeat(100), 1, 1); } }
      catch (e) { total = e.message; }
      Memory.r = { size, exported, limit, total, badMap: (() => { try { Game.map.visual.circle({ x: 1, y: 1 }); } catch (e) { return e.message; } })() };
    };"#;
    let other = "module.exports.loop = function () { new RoomVisual('W9N9').circle(1, 1); };";
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 4, |_| {});
    let p = shard.add_player("drawer", code(&[("main", main)])).unwrap();
    let q = shard.add_player("other", code(&[("main", other)])).unwrap();
    shard.tick().unwrap();
    let m: Value = serde_json::from_str(&shard.memory(p).unwrap()).unwrap();
    let r = &m["r"];
    let exported = r["exported"].as_str().unwrap();
    assert_eq!(exported.lines().count(), 3, "{r}");
    assert_eq!(
        exported.lines().next().unwrap(),
        r#"{"t":"c","x":10,"y":10,"s":{"fill":"red"}}"#
    );
    assert_eq!(r["size"].as_u64().unwrap() as usize, exported.len());
    assert_eq!(
        r["limit"],
        "RoomVisual size in room W3N3 has exceeded 500 KB limit"
    );
    assert_eq!(
        r["total"],
        "RoomVisual size in all rooms together has exceeded 2048 KB limit"
    );
    assert_eq!(r["badMap"], "Invalid pos, RoomPosition expected");
    let visuals = shard.visuals(p);
    let rooms: Vec<&str> = visuals.iter().map(|(room, _)| room.as_str()).collect();
    assert!(
        rooms.contains(&"map") && !rooms.contains(&"W5N5") && !rooms.contains(&"W9N9"),
        "{rooms:?}"
    );
    assert!(
        visuals.iter().any(|(_, text)| text == exported),
        "what the host got is what the bot exported: {rooms:?}"
    );
    let total: usize = visuals.iter().map(|(_, t)| t.len()).sum();
    assert!(total <= 2048 * 1024, "{total}");
    assert_eq!(
        shard
            .visuals(q)
            .iter()
            .map(|(room, _)| room.as_str())
            .collect::<Vec<_>>(),
        ["W9N9"],
        "each player gets their own visuals only"
    );
    // The next tick replaces them.
    shard.tick().unwrap();
    assert_eq!(shard.visuals(q).len(), 1);
}

#[test]
fn cancel_order_takes_back_a_creeps_intents_of_that_tick() {
    let main = r#"module.exports.loop = function () {
      const spawn = Object.values(Game.spawns)[0];
      const c = Game.creeps.walker;
      if (!c) { spawn.spawnCreep([MOVE], 'walker'); return; }
      if (c.spawning) return;
      const log = Memory.log = Memory.log || [];
      if (log.length === 0) {
        const dirs = [TOP, RIGHT, BOTTOM, LEFT, TOP_RIGHT, BOTTOM_RIGHT, BOTTOM_LEFT, TOP_LEFT];
        const dir = dirs.find((d) => {
          const dx = [0, 0, 1, 1, 1, 0, -1, -1, -1][d], dy = [0, -1, -1, 0, 1, 1, 1, 0, -1][d];
          const x = c.pos.x + dx, y = c.pos.y + dy;
          return x > 1 && x < 48 && y > 1 && y < 48 && c.room.getTerrain().get(x, y) !== TERRAIN_MASK_WALL &&
            c.room.lookForAt(LOOK_STRUCTURES, x, y).length === 0 && c.room.lookForAt(LOOK_CREEPS, x, y).length === 0;
        });
        log.push({ at: [c.pos.x, c.pos.y], moved: c.move(dir), said: c.say('hi'),
          cancelMove: c.cancelOrder('move'), again: c.cancelOrder('move'), none: c.cancelOrder('attack') });
      } else if (log.length === 1) {
        log.push({ at: [c.pos.x, c.pos.y], saying: c.saying === undefined ? null : c.saying });
      }
    };"#;
    let m = memory_after(main, 14);
    let log = m["log"].as_array().expect("the creep lived");
    assert_eq!(log[0]["moved"], 0);
    assert_eq!(log[0]["cancelMove"], 0, "OK: {log:?}");
    assert_eq!(log[0]["again"], -5, "ERR_NOT_FOUND: nothing left to cancel");
    assert_eq!(log[0]["none"], -5);
    assert_eq!(
        log[1]["at"], log[0]["at"],
        "the cancelled move did not happen"
    );
    assert_eq!(log[1]["saying"], "hi", "the say was not cancelled");
}
