//! The JavaScript contract has one source, the Rust in `world`: constants, return codes, part
//! and structure names and costs, and controller tables. This test evaluates the real prelude
//! (`player-api/js/prelude/*.js`, as players get it) and reads @types/screeps (the
//! declarations players compile against; every one of its constants is checked against the
//! prelude in `screeps_api.rs`), and fails on any value that drifted from Rust. (A test rather than generation: the prelude and the
//! declarations stay readable source files, and a drift names the constant.)

use std::collections::BTreeMap;

use isoshard_player_api::{PRELUDE_JS, PRELUDE_PARTS};
use isoshard_scripting::{RunOptions, RunOutcome};
use isoshard_world::orders::{OrderId, OrderType};
use isoshard_world::*;
use serde_json::{json, Value};

/// The globals named in `names`, read in a plain context after the prelude and the bundled
/// lodash ran (what players get by default).
fn prelude_globals(names: &[String]) -> BTreeMap<String, Value> {
    // The prelude and lodash, as players start with them.
    let (_iso, ctx) = crate::support::prelude_context();
    let list = serde_json::to_string(names).expect("names");
    let code = format!(
        "(() => {{ const o = {{}}; for (const k of {list}) o[k] = typeof globalThis[k] === 'undefined' ? '<missing>' : typeof globalThis[k] === 'function' ? '<function>' : globalThis[k]; return o }})()"
    );
    let run = ctx.eval(&code, &RunOptions::default()).expect("eval");
    let RunOutcome::Ok(copy) = run.outcome else {
        panic!("reading constants failed: {:?}", run.outcome.error());
    };
    serde_json::from_value(copy.to_json().expect("json")).expect("object")
}

/// Screeps' tables keyed by level: index i of `values` is level i; levels below `from` are
/// absent from Screeps' object.
fn by_level(values: &[u32], from: usize) -> Value {
    let map: serde_json::Map<String, Value> = values
        .iter()
        .enumerate()
        .skip(from)
        .map(|(level, v)| (level.to_string(), json!(v)))
        .collect();
    Value::Object(map)
}

/// Everything Rust defines that the prelude must define identically.
fn rust_contract() -> BTreeMap<String, Value> {
    let mut want: BTreeMap<String, Value> = BTreeMap::new();
    for (name, value) in JS_NUMERIC_CONSTANTS {
        want.insert(name.to_string(), json!(value));
    }
    for code in ReturnCode::ALL {
        want.insert(code.js_name().to_string(), json!(code.code()));
    }
    let costs: serde_json::Map<String, Value> = BodyPartKind::ALL
        .iter()
        .map(|p| (p.as_str().to_string(), json!(p.cost())))
        .collect();
    want.insert("BODYPART_COST".into(), Value::Object(costs));
    want.insert(
        "BODYPARTS_ALL".into(),
        json!(BodyPartKind::ALL.map(|p| p.as_str())),
    );
    // Level 8 has no "next level" entry in Screeps' table.
    want.insert("CONTROLLER_LEVELS".into(), by_level(&CONTROLLER_LEVELS, 1));
    want.insert(
        "CONTROLLER_DOWNGRADE".into(),
        by_level(&CONTROLLER_DOWNGRADE, 1),
    );
    want.insert(
        "EXTENSION_ENERGY_CAPACITY".into(),
        by_level(&EXTENSION_ENERGY_CAPACITY, 0),
    );
    want
}

#[test]
fn prelude_parts_are_the_files_in_order_and_each_is_small() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../player-api/js/prelude");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("prelude dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".js"))
        .collect();
    files.sort();
    let own_parts: Vec<String> = PRELUDE_PARTS
        .iter()
        .filter_map(|p| p.strip_prefix("prelude/"))
        .map(str::to_string)
        .collect();
    assert_eq!(
        files, own_parts,
        "every js/prelude file is joined, in file-name order"
    );
    // The one vendored part sits between the two files that wrap it.
    let vendored: Vec<&str> = PRELUDE_PARTS
        .iter()
        .copied()
        .filter(|p| !p.starts_with("prelude/"))
        .collect();
    assert_eq!(vendored, ["vendor/screeps-common-2.16.1-constants.js"]);
    for f in &files {
        let lines = std::fs::read_to_string(dir.join(f))
            .expect("part")
            .lines()
            .count();
        assert!(lines <= 600, "{f} has {lines} lines (at most 600)");
    }
}

#[test]
fn prelude_and_declarations_agree_with_the_rust_constants() {
    let want = rust_contract();
    let mut names: Vec<String> = want.keys().cloned().collect();
    names.extend(
        StructureKind::ALL
            .iter()
            .map(|k| format!("STRUCTURE_{}", structure_const(*k))),
    );
    names.extend([
        "CONSTRUCTION_COST".to_string(),
        "CONTROLLER_STRUCTURES".to_string(),
    ]);
    names.sort();
    names.dedup();
    let js = prelude_globals(&names);
    let mut drift = Vec::new();
    for (name, value) in &want {
        if js.get(name) != Some(value) {
            drift.push(format!("{name}: rust {value}, prelude {}", js[name]));
        }
    }
    // Structure names, build costs and per-level limits.
    for kind in StructureKind::ALL {
        let name = format!("STRUCTURE_{}", structure_const(kind));
        if js[&name] != json!(kind.as_str()) {
            drift.push(format!(
                "{name}: rust {:?}, prelude {}",
                kind.as_str(),
                js[&name]
            ));
        }
        let cost = js["CONSTRUCTION_COST"].get(kind.as_str()).cloned();
        if cost != kind.construction_cost().map(|c| json!(c)) {
            drift.push(format!(
                "CONSTRUCTION_COST.{}: rust {:?}, prelude {cost:?}",
                kind.as_str(),
                kind.construction_cost()
            ));
        }
        if let Some(limits) = js["CONTROLLER_STRUCTURES"].get(kind.as_str()) {
            for level in 1..=8u8 {
                let js_limit = limits.get(level.to_string()).and_then(Value::as_u64);
                if js_limit != Some(kind.allowed_at(level) as u64) {
                    drift.push(format!(
                        "CONTROLLER_STRUCTURES.{}[{level}]: rust {}, prelude {js_limit:?}",
                        kind.as_str(),
                        kind.allowed_at(level)
                    ));
                }
            }
        } else if !matches!(
            kind,
            StructureKind::Controller
                | StructureKind::KeeperLair
                | StructureKind::InvaderCore
                | StructureKind::PowerBank
        ) {
            drift.push(format!("CONTROLLER_STRUCTURES.{} missing", kind.as_str()));
        }
    }
    // Declarations: every return code is declared by @types/screeps with Rust's value.
    let (declared, _) = crate::support::types_screeps_globals();
    for code in ReturnCode::ALL {
        let want = json!(code.code() as f64);
        match declared.get(code.js_name()) {
            Some(Some(v)) if *v == want => {}
            other => drift.push(format!(
                "{}: rust {}, @types/screeps {other:?}",
                code.js_name(),
                code.code()
            )),
        }
    }
    assert!(
        drift.is_empty(),
        "the JS contract drifted from Rust:\n{}",
        drift.join("\n")
    );
}

/// `STRUCTURE_*` suffix Screeps uses for a structure kind.
fn structure_const(kind: StructureKind) -> &'static str {
    match kind {
        StructureKind::Spawn => "SPAWN",
        StructureKind::Extension => "EXTENSION",
        StructureKind::Road => "ROAD",
        StructureKind::ConstructedWall => "WALL",
        StructureKind::Container => "CONTAINER",
        StructureKind::Tower => "TOWER",
        StructureKind::Storage => "STORAGE",
        StructureKind::Link => "LINK",
        StructureKind::Rampart => "RAMPART",
        StructureKind::Controller => "CONTROLLER",
        StructureKind::Extractor => "EXTRACTOR",
        StructureKind::Lab => "LAB",
        StructureKind::Terminal => "TERMINAL",
        StructureKind::Observer => "OBSERVER",
        StructureKind::Factory => "FACTORY",
        StructureKind::PowerSpawn => "POWER_SPAWN",
        StructureKind::Nuker => "NUKER",
        StructureKind::KeeperLair => "KEEPER_LAIR",
        StructureKind::InvaderCore => "INVADER_CORE",
        StructureKind::PowerBank => "POWER_BANK",
    }
}

/// One of every [`Intent`], with the ids JavaScript would use.
fn one_of_each_intent() -> Vec<Intent> {
    let (a, b) = (ObjectId(0x2a), ObjectId(0x2b));
    let all = vec![
        Intent::Move {
            creep: a,
            direction: 3,
        },
        Intent::Harvest {
            creep: a,
            target: b,
        },
        Intent::Transfer {
            creep: a,
            target: b,
            resource: ResourceKind::Energy,
            amount: Some(7),
        },
        Intent::Withdraw {
            creep: a,
            target: b,
            resource: ResourceKind::Hydrogen,
            amount: None,
        },
        Intent::Pickup {
            creep: a,
            target: b,
        },
        Intent::Drop {
            creep: a,
            resource: ResourceKind::CatalyzedGhodiumAlkalide,
            amount: Some(1),
        },
        Intent::Build {
            creep: a,
            target: b,
        },
        Intent::Repair {
            creep: a,
            target: b,
        },
        Intent::UpgradeController {
            creep: a,
            target: b,
        },
        Intent::Attack {
            creep: a,
            target: b,
        },
        Intent::RangedAttack {
            creep: a,
            target: b,
        },
        Intent::Heal {
            creep: a,
            target: b,
        },
        Intent::RangedHeal {
            creep: a,
            target: b,
        },
        Intent::RangedMassAttack { creep: a },
        Intent::Dismantle {
            creep: a,
            target: b,
        },
        Intent::ClaimController {
            creep: a,
            target: b,
        },
        Intent::ReserveController {
            creep: a,
            target: b,
        },
        Intent::AttackController {
            creep: a,
            target: b,
        },
        Intent::SignController {
            creep: a,
            target: b,
            text: "mine".into(),
        },
        Intent::Unclaim { controller: a },
        Intent::ActivateSafeMode { controller: a },
        Intent::SpawnCreep {
            spawn: a,
            body: vec![BodyPartKind::Work, BodyPartKind::Move],
            name: "w1".into(),
            energy_structures: Some(vec![a, b]),
        },
        Intent::CreateConstructionSite {
            room: "W1N1".into(),
            x: 10,
            y: 49,
            structure: StructureKind::Road,
        },
        Intent::Say {
            creep: a,
            message: "hi".into(),
            public: true,
        },
        Intent::Suicide { creep: a },
        Intent::SetSpawnDirections {
            spawn: a,
            directions: vec![1, 3],
        },
        Intent::CancelSpawning { spawn: a },
        Intent::RenewCreep {
            spawn: a,
            target: b,
        },
        Intent::RecycleCreep {
            spawn: a,
            target: b,
        },
        Intent::RemoveConstructionSite { site: a },
        Intent::DestroyStructure { structure: a },
        Intent::SetPublic {
            rampart: a,
            is_public: true,
        },
        Intent::TransferEnergy {
            link: a,
            target: b,
            amount: Some(100),
        },
        Intent::TowerAttack {
            tower: a,
            target: b,
        },
        Intent::TowerHeal {
            tower: a,
            target: b,
        },
        Intent::TowerRepair {
            tower: a,
            target: b,
        },
        Intent::RunReaction {
            lab: a,
            lab1: b,
            lab2: ObjectId(0x2c),
        },
        Intent::ReverseReaction {
            lab: a,
            lab1: b,
            lab2: ObjectId(0x2c),
        },
        Intent::BoostCreep {
            lab: a,
            creep: b,
            body_parts_count: Some(2),
        },
        Intent::UnboostCreep { lab: a, creep: b },
        Intent::NotifyWhenAttacked {
            object: a,
            enabled: false,
        },
        Intent::GenerateSafeMode {
            creep: a,
            target: b,
        },
        Intent::ObserveRoom {
            observer: a,
            room: "E5S5".into(),
        },
        Intent::MoveToCreep {
            creep: a,
            target: b,
        },
        Intent::Produce {
            factory: a,
            resource: ResourceKind::Battery,
        },
        Intent::ProcessPower { power_spawn: a },
        Intent::LaunchNuke {
            nuker: a,
            room: "W1N1".into(),
            x: 10,
            y: 20,
        },
        Intent::Pull {
            creep: a,
            target: b,
        },
        Intent::Send {
            terminal: a,
            resource: ResourceKind::Hydrogen,
            amount: 100,
            destination: "W1N1".into(),
            description: Some("hello".into()),
        },
        Intent::CreateOrder {
            order_type: OrderType::Sell,
            resource: ResourceKind::Hydrogen,
            price_milli: 1500,
            total_amount: 100,
            room: "W1N1".into(),
        },
        Intent::CancelOrder { order: OrderId(7) },
        Intent::ChangeOrderPrice {
            order: OrderId(7),
            new_price_milli: 2000,
        },
        Intent::ExtendOrder {
            order: OrderId(7),
            add_amount: 50,
        },
        Intent::Deal {
            order: OrderId(7),
            amount: 10,
            room: "W1N1".into(),
        },
    ];
    // No wildcard: a new intent does not compile here until it is added to the list above.
    for intent in &all {
        match intent {
            Intent::Move { .. }
            | Intent::Harvest { .. }
            | Intent::Transfer { .. }
            | Intent::Withdraw { .. }
            | Intent::Pickup { .. }
            | Intent::Drop { .. }
            | Intent::Build { .. }
            | Intent::Repair { .. }
            | Intent::UpgradeController { .. }
            | Intent::Attack { .. }
            | Intent::RangedAttack { .. }
            | Intent::Heal { .. }
            | Intent::RangedHeal { .. }
            | Intent::RangedMassAttack { .. }
            | Intent::Dismantle { .. }
            | Intent::ClaimController { .. }
            | Intent::ReserveController { .. }
            | Intent::AttackController { .. }
            | Intent::SignController { .. }
            | Intent::Unclaim { .. }
            | Intent::ActivateSafeMode { .. }
            | Intent::SpawnCreep { .. }
            | Intent::CreateConstructionSite { .. }
            | Intent::Say { .. }
            | Intent::Suicide { .. }
            | Intent::SetSpawnDirections { .. }
            | Intent::CancelSpawning { .. }
            | Intent::RenewCreep { .. }
            | Intent::RecycleCreep { .. }
            | Intent::RemoveConstructionSite { .. }
            | Intent::DestroyStructure { .. }
            | Intent::SetPublic { .. }
            | Intent::TransferEnergy { .. }
            | Intent::TowerAttack { .. }
            | Intent::TowerHeal { .. }
            | Intent::TowerRepair { .. }
            | Intent::RunReaction { .. }
            | Intent::ReverseReaction { .. }
            | Intent::BoostCreep { .. }
            | Intent::UnboostCreep { .. }
            | Intent::Send { .. }
            | Intent::NotifyWhenAttacked { .. }
            | Intent::GenerateSafeMode { .. }
            | Intent::ObserveRoom { .. }
            | Intent::MoveToCreep { .. }
            | Intent::Pull { .. }
            | Intent::Produce { .. }
            | Intent::ProcessPower { .. }
            | Intent::LaunchNuke { .. }
            | Intent::CreateOrder { .. }
            | Intent::CancelOrder { .. }
            | Intent::ChangeOrderPrice { .. }
            | Intent::ExtendOrder { .. }
            | Intent::Deal { .. } => {}
        }
    }
    all
}

/// `intent` as the prelude writes it: Rust's tagged form with ids as JS id strings.
fn as_javascript_writes_it(intent: &Intent) -> Value {
    let mut v = serde_json::to_value(intent).expect("intent");
    if let Intent::CreateConstructionSite { structure, .. } = intent {
        // Rust's serde name is the variant's; JavaScript uses STRUCTURE_* values.
        v["structure"] = json!(structure.as_str());
    }
    for key in [
        "creep",
        "target",
        "spawn",
        "tower",
        "controller",
        "link",
        "rampart",
        "site",
        "structure",
        "lab",
        "lab1",
        "lab2",
        "terminal",
        "object",
        "observer",
        "factory",
        "powerSpawn",
        "nuker",
    ] {
        if let Some(n) = v.get(key).and_then(Value::as_u64) {
            v[key] = json!(ObjectId(n).to_js());
        }
    }
    if let Some(ids) = v.get("energyStructures").and_then(Value::as_array) {
        let js: Vec<Value> = ids
            .iter()
            .filter_map(Value::as_u64)
            .map(|n| json!(ObjectId(n).to_js()))
            .collect();
        v["energyStructures"] = json!(js);
    }
    if let Some(n) = v.get("orderId").and_then(Value::as_u64) {
        v["orderId"] = json!(OrderId(n).to_js());
    }
    v
}

#[test]
fn every_intent_is_named_in_the_prelude_and_parses_from_its_javascript_form() {
    let mut drift = Vec::new();
    let mut rust_names = Vec::new();
    for intent in one_of_each_intent() {
        let js = as_javascript_writes_it(&intent);
        let name = js["type"].as_str().expect("tagged").to_string();
        if !PRELUDE_JS.contains(&format!("'{name}'")) {
            drift.push(format!("intent {name} is never written by the prelude"));
        }
        if isoshard_player_api::parse_intent(&js).as_ref() != Some(&intent) {
            drift.push(format!("intent {name} does not parse back from {js}"));
        }
        // What replay exports write is this same JavaScript form.
        let exported = isoshard_player_api::intent_js(&intent);
        if exported != js {
            drift.push(format!("intent {name} exports as {exported}, not {js}"));
        }
        rust_names.push(name);
    }
    // The other way: every `type: '…'` the prelude writes is an intent Rust knows.
    for piece in PRELUDE_JS.split("addIntent({ type: '").skip(1) {
        let name = piece.split('\'').next().unwrap_or("");
        if !rust_names.iter().any(|n| n == name) {
            drift.push(format!(
                "the prelude writes intent {name:?}, unknown to Rust"
            ));
        }
    }
    assert!(drift.is_empty(), "{drift:#?}");
}

/// Tick records are stored with fields by position (`record::encode_compact`): every intent
/// must come back from both stores as it went in, or recovery would re-simulate other intents.
#[test]
fn every_intent_comes_back_from_a_stored_tick_record_in_sled_and_redis() {
    use isoshard_engine::{
        LocalRedis, RedisOptions, RedisStorage, ShardMeta, ShardStorage, SledStorage, TickCommit,
        TickRecord,
    };
    let config = WorldConfig {
        seed: 4,
        width: 2,
        height: 2,
    };
    let world = GameWorld::new(config).expect("world");
    let meta = ShardMeta {
        world: config,
        cpu_limit_ms: 100,
        snapshot_every: 100,
    };
    let mut intents = IntentBatch::new();
    intents.extend(PlayerId(1), one_of_each_intent());
    let record = TickRecord {
        tick: world.time() + 1,
        intents,
        state_hash: world.state_hash(),
    };
    let dir = tempfile::tempdir().expect("dir");
    let redis = LocalRedis::start().expect("redis-server (Debian's package redis-server)");
    let stores: Vec<Box<dyn ShardStorage>> = vec![
        Box::new(SledStorage::open(dir.path(), true).expect("sled")),
        Box::new(RedisStorage::open(&RedisOptions::new(redis.url())).expect("redis")),
    ];
    for mut store in stores {
        store.create(&meta, &world.snapshot(), &[]).expect("create");
        store
            .commit_tick(TickCommit {
                record: &record,
                snapshot: None,
                states: &[],
            })
            .expect("commit");
        let back = store
            .tick_record(record.tick)
            .expect("read")
            .expect("stored");
        assert_eq!(back.intents, record.intents);
        assert_eq!(back.state_hash, record.state_hash);
    }
}

#[test]
fn the_prelude_unpacks_tick_metadata_in_the_rust_order() {
    // `const meta = { tick: m[0], cpuLimit: m[1], … }` in 90_entry.js.
    let line = PRELUDE_JS
        .lines()
        .find(|l| l.trim_start().starts_with("const meta = { tick: m[0]"))
        .expect("the prelude unpacks the tick metadata array");
    let body = line.split_once('{').expect("object").1;
    let body = body.rsplit_once('}').expect("object").0;
    let unpacked: Vec<(String, String)> = body
        .split(',')
        .map(|entry| {
            let (name, index) = entry.split_once(':').expect("name: m[i]");
            (name.trim().to_string(), index.trim().to_string())
        })
        .collect();
    let expected: Vec<(String, String)> = isoshard_player_api::TickMeta::FIELDS
        .iter()
        .enumerate()
        .map(|(i, name)| (name.to_string(), format!("m[{i}]")))
        .collect();
    assert_eq!(unpacked, expected);
}
