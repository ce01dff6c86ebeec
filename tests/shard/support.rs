use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

use isoshard_engine::{CodeBundle, PlayerStats, Shard, ShardOptions, SledStorage};
use isoshard_world::PlayerId;
use isoshard_world::WorldConfig;

pub fn code(files: &[(&str, &str)]) -> CodeBundle {
    CodeBundle::new(
        files
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect::<BTreeMap<_, _>>(),
    )
    .unwrap()
}

pub fn sample(name: &str) -> CodeBundle {
    isoshard_engine::sample_bots()
        .into_iter()
        .find(|(n, _)| *n == name)
        .unwrap()
        .1
}

pub fn shard(dir: &Path, seed: u64, options: impl FnOnce(&mut ShardOptions)) -> Shard {
    let mut o = ShardOptions {
        world: WorldConfig {
            seed,
            width: 3,
            height: 3,
        },
        ..ShardOptions::default()
    };
    options(&mut o);
    Shard::create(o, Box::new(SledStorage::open(dir, false).unwrap())).unwrap()
}

pub fn example_dir(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../player-api/examples")
        .join(name)
}

/// Where `scripts/test.sh` installed the npm packages the tests read (`ISOSHARD_NPM`).
pub fn npm_dir() -> String {
    std::env::var("ISOSHARD_NPM").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../target/npm/node_modules").to_string()
    })
}

/// The npm packages `scripts/test.sh` installs (`@screeps/common`, `@types/screeps`).
pub fn npm_file(rel: &str) -> String {
    let dir = npm_dir();
    let path = format!("{dir}/{rel}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{path} is not installed ({e}); run `bash scripts/test.sh`, which installs it with npm"
        )
    })
}

/// `declare const NAME: TYPE;` and `declare class NAME` at the top level of @types/screeps,
/// with `type NAME = literal;` resolved.
pub fn types_screeps_globals() -> (BTreeMap<String, Option<Value>>, Vec<String>) {
    let dts = npm_file("@types/screeps/index.d.ts");
    let mut aliases = BTreeMap::new();
    for line in dts.lines() {
        if let Some(rest) = line.strip_prefix("type ") {
            if let Some((name, ty)) = rest.split_once(" = ") {
                aliases.insert(
                    name.trim().to_string(),
                    ty.trim_end_matches(';').trim().to_string(),
                );
            }
        }
    }
    let literal = |t: &str| -> Option<Value> {
        if let Ok(n) = t.parse::<f64>() {
            return Some(serde_json::json!(n));
        }
        t.strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .map(|s| Value::String(s.to_string()))
    };
    let mut constants = BTreeMap::new();
    let mut classes = Vec::new();
    for line in dts.lines() {
        if let Some(rest) = line.strip_prefix("declare const ") {
            let Some((name, ty)) = rest.split_once(':') else {
                continue;
            };
            let ty = ty.trim().trim_end_matches(';').trim();
            let upper = name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            if upper {
                let resolved = aliases.get(ty).map(String::as_str).unwrap_or(ty);
                constants.insert(name.to_string(), literal(resolved));
            } else {
                classes.push(name.to_string());
            }
        } else if let Some(rest) = line.strip_prefix("declare class ") {
            classes.push(rest.split([' ', '{']).next().unwrap().to_string());
        }
    }
    (constants, classes)
}

/// Player `p`'s stats (errors, CPU, last error).
pub fn stats_of(shard: &Shard, p: PlayerId) -> PlayerStats {
    shard
        .player_stats()
        .into_iter()
        .find(|s| s.0 == p)
        .expect("a player of this shard")
        .2
}

/// Player `p`'s Memory, parsed.
pub fn memory_json(shard: &Shard, p: PlayerId) -> serde_json::Value {
    serde_json::from_str(&shard.memory(p).unwrap_or_default()).unwrap_or_default()
}

/// A context holding the prelude and lodash, made as players' isolates are (never a plain
/// isolate of another snapshot beside players: see `isoshard_player_api::prelude_snapshot`).
pub fn prelude_context() -> (isoshard_scripting::Isolate, isoshard_scripting::Context) {
    let snapshot = isoshard_player_api::PlayerRuntimeOptions::default().prelude_snapshot;
    isoshard_player_api::prelude_context(snapshot, true).expect("prelude context")
}

/// Stops `shard`, edits its world as of the last tick (as an operator's tool editing the
/// stored snapshot would) and opens it again: how tests reach states a young colony has not.
pub fn reopen_with_world_edit(
    dir: &Path,
    shard: Shard,
    edit: impl FnOnce(&mut isoshard_world::WorldSnapshot),
) -> Shard {
    use isoshard_engine::ShardStorage;
    let mut snap = shard.world().snapshot();
    drop(shard);
    edit(&mut snap);
    let mut storage = SledStorage::open(dir, false).unwrap();
    storage.save_snapshot(&snap, &[]).unwrap();
    Shard::open(
        Box::new(storage),
        isoshard_player_api::PlayerRuntimeOptions::default(),
    )
    .unwrap()
}

/// Adds an object to a world snapshot under the next id (for [`reopen_with_world_edit`]).
pub fn push_object(
    snap: &mut isoshard_world::WorldSnapshot,
    pos: isoshard_world::Position,
    owner: Option<PlayerId>,
    hits: Option<isoshard_world::Hits>,
    store: Option<isoshard_world::Store>,
    kind: isoshard_world::ObjectKind,
) -> isoshard_world::ObjectId {
    let id = isoshard_world::ObjectId(snap.next_object_id);
    snap.next_object_id += 1;
    snap.objects.push(isoshard_world::ObjectRecord {
        id,
        pos,
        owner,
        hits,
        store,
        decay: None,
        cooldown: None,
        kind,
    });
    id
}
