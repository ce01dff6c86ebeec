//! TypeScript bots: every method @types/screeps (the npm package players compile against)
//! declares exists in the runtime where a bot looks for it, and a sample bot written in
//! TypeScript compiles with `tsc` against @types/screeps and `isoshard.d.ts` and grows a colony.
//! (Every constant and global class of @types/screeps: `screeps_api.rs`.)

use std::path::Path;
use std::process::Command;

use crate::support::*;

/// `[[where, method], …]` read from @types/screeps by TypeScript's parser.
fn declared_methods() -> Vec<(String, String)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("shard/js/types_screeps_methods.js");
    let out = Command::new("node")
        .arg(&script)
        .arg(npm_dir())
        .output()
        .expect("node (installed by scripts/test.sh's npm)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("a JSON list")
}

#[test]
fn every_method_types_screeps_declares_exists_where_bots_call_it() {
    let methods = declared_methods();
    assert!(methods.len() > 150, "{} methods", methods.len());
    let list = serde_json::to_string(&methods).unwrap();
    let main = format!(
        "module.exports.loop = function () {{\n\
           const missing = [];\n\
           for (const [where, name] of {list}) {{\n\
             const owner = where.split('.').reduce((o, k) => (o == null ? o : o[k]), globalThis);\n\
             if (owner == null || typeof owner[name] !== 'function') missing.push(where + '.' + name);\n\
           }}\n\
           Memory.missing = missing;\n\
         }};"
    );
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 31, |_| {});
    let p = shard.add_player("typed", code(&[("main", &main)])).unwrap();
    shard.tick().unwrap();
    let m: serde_json::Value = serde_json::from_str(&shard.memory(p).unwrap()).unwrap();
    assert_eq!(
        m["missing"],
        serde_json::json!([]),
        "declared by @types/screeps, missing here"
    );
}

#[test]
fn the_sample_typescript_bot_compiles_with_tsc_against_types_screeps_and_grows_a_colony() {
    let out = tempfile::tempdir().unwrap();
    let project = example_dir("typescript");
    let npm = npm_dir();
    let tsc = Command::new("node")
        .arg(format!("{npm}/typescript/bin/tsc"))
        .args(["-p", project.to_str().unwrap()])
        .args(["--typeRoots", &format!("{npm}/@types")])
        .args(["--outDir", out.path().to_str().unwrap()])
        .output()
        .expect("node");
    assert!(
        tsc.status.success(),
        "tsc failed:\n{}{}",
        String::from_utf8_lossy(&tsc.stdout),
        String::from_utf8_lossy(&tsc.stderr)
    );
    let code = isoshard_engine::CodeBundle::from_dir(out.path()).unwrap();
    assert_eq!(
        code.modules.keys().collect::<Vec<_>>(),
        ["main", "roles"],
        "tsc's output is the bot"
    );
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 33, |_| {});
    let p = shard.add_player("typed", code).unwrap();
    for _ in 0..1000 {
        shard.tick().unwrap();
    }
    let (creeps, level, _) = shard.colony(p);
    let stats = stats_of(&shard, p);
    assert_eq!(stats.errors, 0, "{:?}", stats.last_error);
    assert!(creeps >= 4, "{creeps} creeps");
    assert!(level >= 2, "RCL {level}");
    let m: serde_json::Value = serde_json::from_str(&shard.memory(p).unwrap()).unwrap();
    assert_eq!(m["stats"]["time"], 999, "{m}");
}
