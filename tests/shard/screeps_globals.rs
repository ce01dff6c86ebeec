//! The globals every Screeps bot assumes, with Screeps' answers: `global`, lodash as `_`,
//! `require` by screeps/engine's rules (`src/game/game.js` `requireFn`), stack traces that name
//! the module and its lines, and `console.log` text as `src/game/console.js` writes it.

use isoshard_engine::Shard;
use isoshard_player_api::PlayerRuntimeOptions;
use isoshard_world::{ObjectKind, PlayerId};
use serde_json::json;

use crate::support::*;

fn last_error(shard: &Shard, p: PlayerId) -> String {
    stats_of(shard, p).last_error.unwrap_or_default()
}

#[test]
fn global_is_the_global_object_and_keeps_what_bots_cache_until_a_global_reset() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 2, |_| {});
    let main = "global.cache = global.cache || { built: Game.time };\n\
        module.exports.loop = function () {\n\
          Memory.same = global === globalThis && typeof global.Game === 'object';\n\
          Memory.built = global.cache.built;\n\
          global.ticks = (global.ticks || 0) + 1; Memory.ticks = ticks;\n\
        };";
    let p = shard.add_player("cacher", code(&[("main", main)])).unwrap();
    for _ in 0..4 {
        shard.tick().unwrap();
    }
    let m = memory_json(&shard, p);
    assert_eq!(m["same"], true, "{m}");
    assert_eq!(m["built"], 0, "built once, on the first tick: {m}");
    assert_eq!(m["ticks"], 4, "{m}");
}

#[test]
fn lodash_3_10_1_is_there_as_underscore_and_as_require_lodash_unless_the_operator_turns_it_off() {
    let main = "module.exports.loop = function () {\n\
          Memory.version = typeof _ === 'function' ? _.VERSION : null;\n\
          Memory.same = typeof _ === 'function' && require('lodash') === _;\n\
          Memory.sum = typeof _ === 'function' ? _.sum(_.map([1, 2, 3], (x) => x * 2)) : null;\n\
          try { require('lodash'); } catch (e) { Memory.error = e.message; }\n\
        };";
    let dir = tempfile::tempdir().unwrap();
    let mut with = shard(dir.path(), 3, |_| {});
    let p = with.add_player("lodash", code(&[("main", main)])).unwrap();
    with.tick().unwrap();
    let m = memory_json(&with, p);
    assert_eq!(
        (
            m["version"].as_str(),
            m["same"].as_bool(),
            m["sum"].as_i64()
        ),
        (Some("3.10.1"), Some(true), Some(12)),
        "{m}"
    );
    let dir = tempfile::tempdir().unwrap();
    let mut without = shard(dir.path(), 3, |o| {
        o.runtime = PlayerRuntimeOptions {
            lodash: false,
            ..o.runtime.clone()
        }
    });
    let p = without
        .add_player("lodash", code(&[("main", main)]))
        .unwrap();
    without.tick().unwrap();
    let m = memory_json(&without, p);
    assert_eq!(m["version"], serde_json::Value::Null, "{m}");
    assert_eq!(m["error"], "Unknown module 'lodash'", "{m}");
}

#[test]
fn the_bundled_lodash_is_the_npm_package_file_unchanged() {
    let path = std::env::var("ISOSHARD_LODASH").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../target/npm/node_modules/lodash/index.js"
        )
        .to_string()
    });
    let npm = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("lodash 3.10.1 is not installed at {path} ({e}); run `bash scripts/test.sh`, which installs it with npm")
    });
    assert!(
        npm == isoshard_player_api::LODASH_JS,
        "player-api/js/vendor/lodash-3.10.1.js differs from {path}"
    );
}

#[test]
fn require_follows_screeps_rules_for_names_cycles_failures_and_a_main_without_loop() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 2, |_| {});
    let names = shard
        .add_player(
            "names",
            code(&[
                (
                    "main",
                    "const a = require('./role.harvester'), b = require('role.harvester.js'), c = require('role.harvester');\n\
                     module.exports.loop = () => { Memory.same = a === b && b === c; Memory.cached = require.cache['role.harvester'] === a; Memory.runs = a.runs; };",
                ),
                ("role.harvester", "module.exports = { runs: (global.runs = (global.runs || 0) + 1) };"),
            ]),
        )
        .unwrap();
    let cycle = shard
        .add_player(
            "cycle",
            code(&[
                ("main", "require('./a'); module.exports.loop = () => {}"),
                ("a", "require('b')"),
                ("b", "require('a')"),
            ]),
        )
        .unwrap();
    let missing = shard
        .add_player(
            "missing",
            code(&[(
                "main",
                "// line 1\nmodule.exports.loop = () => require('nope')",
            )]),
        )
        .unwrap();
    // No loop(): on Screeps the main module is then a script, run again every tick.
    let script = shard
        .add_player(
            "script",
            code(&[("main", "Memory.runs = (Memory.runs || 0) + 1;")]),
        )
        .unwrap();
    // A module that throws is not cached: the next require runs it again.
    let flaky = shard
        .add_player(
            "flaky",
            code(&[
                ("main", "module.exports.loop = () => { try { Memory.got = require('flaky').ok; } catch (e) { Memory.failed = e.message; } }"),
                ("flaky", "global.tries = (global.tries || 0) + 1; if (tries < 2) throw new Error('not yet'); module.exports = { ok: tries };"),
            ]),
        )
        .unwrap();
    for _ in 0..3 {
        shard.tick().unwrap();
    }
    let m = memory_json(&shard, names);
    assert_eq!(
        (
            m["same"].as_bool(),
            m["cached"].as_bool(),
            m["runs"].as_i64()
        ),
        (Some(true), Some(true), Some(1)),
        "{m}"
    );
    assert!(
        last_error(&shard, cycle).contains("Circular reference to module 'a'"),
        "{}",
        last_error(&shard, cycle)
    );
    let err = last_error(&shard, missing);
    assert!(err.contains("Unknown module 'nope'"), "{err}");
    assert!(
        err.contains("at module.exports.loop (main:2:29)"),
        "the module's own line 2: {err}"
    );
    assert!(!err.contains("prelude"), "no runtime frames: {err}");
    assert_eq!(memory_json(&shard, script)["runs"], 3);
    assert_eq!(last_error(&shard, script), "");
    let m = memory_json(&shard, flaky);
    assert_eq!(
        (m["failed"].as_str(), m["got"].as_i64()),
        (Some("not yet"), Some(2)),
        "{m}"
    );
}

#[test]
fn stack_traces_name_each_module_and_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 2, |_| {});
    let p = shard
        .add_player(
            "thrower",
            code(&[
                ("main", "const util = require('util');\n\nmodule.exports.loop = function () {\n  util.fail();\n};"),
                ("util", "module.exports.fail = function () {\n    throw new Error('boom');\n};"),
            ]),
        )
        .unwrap();
    shard.tick().unwrap();
    let err = last_error(&shard, p);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines[0], "Error: boom", "{err}");
    assert_eq!(
        lines[1].trim(),
        "at module.exports.fail (util:2:11)",
        "{err}"
    );
    assert_eq!(
        lines[2].trim(),
        "at module.exports.loop (main:4:8)",
        "{err}"
    );
    assert_eq!(lines.len(), 3, "no runtime frames: {err}");
}

#[test]
fn console_log_writes_each_argument_as_screeps_does() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 2, |_| {});
    let p = shard
        .add_player(
            "logger",
            code(&[(
                "main",
                "module.exports.loop = () => console.log({ a: 1 }, [1, [2, 3]], null, undefined, '', 0, false, 'text', Object.create(null), new Error('e'), { toString() { return 'mine'; } })",
            )]),
        )
        .unwrap();
    shard.tick().unwrap();
    let console = shard.drain_console(p);
    assert!(
        console.iter().any(
            |l| l == r#"[object Object] 1,2,3 null undefined "" 0 false text {} Error: e mine"#
        ),
        "{console:?}"
    );
}

/// Logs, each tick, the time, every creep's `ticksToLive` (and whether it is spawning) and
/// the controller's `ticksToDowngrade`; spawns a creep on the first tick.
const TIMER_BOT: &str = r#"
module.exports.loop = function () {
  const spawn = Game.spawns.Spawn1;
  if (!Memory.asked) Memory.asked = spawn.spawnCreep([MOVE], 'timer') === OK;
  const creeps = {};
  for (const name in Game.creeps) {
    const c = Game.creeps[name];
    creeps[name] = { ttl: c.ticksToLive === undefined ? 'undefined' : c.ticksToLive, spawning: c.spawning };
  }
  (Memory.log = Memory.log || []).push({ t: Game.time, creeps, downgrade: spawn.room.controller.ticksToDowngrade });
};
"#;

/// Views carry creeps' `ageTime` and controllers' `downgradeTime` as game times (an object
/// that only aged keeps its view: `world/src/view_cache.rs`); the prelude shows ticks left.
/// They must be the world's own timers, tick by tick, and undefined while a creep spawns.
#[test]
fn ticks_to_live_and_ticks_to_downgrade_are_the_worlds_timers_every_tick() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 5, |_| {});
    let p = shard
        .add_player("timer", code(&[("main", TIMER_BOT)]))
        .unwrap();
    let mut expected = Vec::new();
    for _ in 0..8 {
        let mut creeps = serde_json::Map::new();
        let mut downgrade = None;
        for o in shard.world().records() {
            match (&o.kind, o.owner == Some(p)) {
                (ObjectKind::Creep(c), true) => {
                    let ttl = match c.spawning {
                        true => json!("undefined"),
                        false => json!(c.ticks_to_live),
                    };
                    creeps.insert(c.name.clone(), json!({"ttl": ttl, "spawning": c.spawning}));
                }
                (ObjectKind::Controller(c), true) => downgrade = Some(c.ticks_to_downgrade),
                _ => {}
            }
        }
        let t = shard.world().time();
        expected.push(json!({"t": t, "creeps": creeps, "downgrade": downgrade}));
        shard.tick().unwrap();
    }
    let log = memory_json(&shard, p)["log"].clone();
    // On the tick that asked, `Game.creeps` already holds the new creep, spawning (as on
    // Screeps), before the world has it.
    let mut first = expected[0].clone();
    first["creeps"]["timer"] = json!({"ttl": "undefined", "spawning": true});
    expected[0] = first;
    assert_eq!(log, json!(expected));
    let last = &expected[expected.len() - 1]["creeps"]["timer"];
    assert_eq!(last["spawning"], false, "the creep was born: {log}");
}
