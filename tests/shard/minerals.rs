//! Minerals through the player API: `Mineral.density` and `ticksToRegeneration`, harvesting
//! through an extractor with screeps/engine's codes (`game/creeps.js`), and stores holding
//! minerals as `Store` shows them (`game/store.js`). The rules are `world/tests/resources.rs`.

use isoshard_world::*;

use crate::support::*;

const MINER_BOT: &str = r#"
module.exports.loop = function () {
  const room = Game.spawns.Spawn1.room, m = Game.creeps.miner;
  const mineral = room.find(FIND_MINERALS)[0], type = mineral.mineralType;
  const extractor = room.find(FIND_STRUCTURES).find((s) => s.structureType === STRUCTURE_EXTRACTOR);
  const seen = Memory.seen = Memory.seen || { ticks: [] };
  if (!m) return;
  if (!seen.first) {
    seen.first = {
      density: mineral.density, amount: mineral.mineralAmount, regen: mineral.ticksToRegeneration === undefined,
      extractor: extractor instanceof StructureExtractor && extractor.pos.isEqualTo(mineral.pos),
      spawnH: Game.spawns.Spawn1.store.getCapacity(type), storageCap: room.storage.store.getCapacity(type),
      spawnTake: m.transfer(Game.spawns.Spawn1, type),
    };
  }
  const t = { harvest: m.harvest(mineral), cooldown: extractor.cooldown, carried: m.store[type],
    used: m.store.getUsedCapacity(), free: m.store.getFreeCapacity(type), stored: room.storage.store[type] };
  if (m.store[type] >= 4) t.transfer = m.transfer(room.storage, type, 4);
  if (seen.ticks.length === 8) t.withdraw = m.withdraw(room.storage, type, 1);
  if (seen.ticks.length < 10) seen.ticks.push(t);
};
"#;

#[test]
fn a_miner_harvests_through_its_extractor_and_stores_the_mineral() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 5, |_| {});
    let p = shard
        .add_player("miner", code(&[("main", MINER_BOT)]))
        .unwrap();
    shard.tick().unwrap();
    let home = shard.home_room(p).unwrap();
    let shard = &mut reopen_with_world_edit(dir.path(), shard, |snap| {
        let mineral = snap
            .objects
            .iter()
            .find(|o| o.pos.room == home && matches!(o.kind, ObjectKind::Mineral(_)))
            .map(|o| o.pos)
            .unwrap();
        let taken: Vec<Position> = snap.objects.iter().map(|o| o.pos).collect();
        let free: Vec<Position> = (-2i32..=2)
            .flat_map(|dx| (-2i32..=2).map(move |dy| (dx, dy)))
            .filter_map(|(dx, dy)| {
                let (x, y) = (mineral.x as i32 + dx, mineral.y as i32 + dy);
                (2..48).contains(&x).then_some(())?;
                (2..48).contains(&y).then_some(())?;
                Some(Position::new(home, x as u8, y as u8))
            })
            .filter(|p| !taken.contains(p))
            .collect();
        let miner_at = *free.iter().find(|p| p.is_near_to(mineral)).unwrap();
        let storage_at = *free
            .iter()
            .find(|p| p.is_near_to(miner_at) && **p != miner_at && !p.is_near_to(mineral))
            .or_else(|| {
                free.iter()
                    .find(|p| p.is_near_to(miner_at) && **p != miner_at)
            })
            .unwrap();
        let mut next = || {
            snap.next_object_id += 1;
            ObjectId(snap.next_object_id - 1)
        };
        let (miner, extractor, storage) = (next(), next(), next());
        for o in &mut snap.objects {
            if let ObjectKind::Controller(c) = &mut o.kind {
                if o.pos.room == home {
                    c.level = 6;
                }
            }
        }
        let owner = Some(p);
        let creep = Creep {
            name: "miner".into(),
            body: [
                BodyPartKind::Work,
                BodyPartKind::Work,
                BodyPartKind::Carry,
                BodyPartKind::Move,
            ]
            .iter()
            .map(|k| BodyPart {
                kind: *k,
                hits: 100,
            })
            .collect(),
            fatigue: 0,
            ticks_to_live: 1000,
            spawning: false,
            saying: None,
        };
        let record = |id, pos, hits: Option<Hits>, store, kind| ObjectRecord {
            id,
            pos,
            owner,
            hits,
            store,
            decay: None,
            cooldown: None,
            kind,
        };
        snap.objects.push(record(
            miner,
            miner_at,
            Some(Hits {
                hits: 400,
                max: 400,
            }),
            Some(Store::empty(StoreLimit::Total(50))),
            ObjectKind::Creep(creep),
        ));
        snap.objects.push(record(
            extractor,
            mineral,
            Some(StructureKind::Extractor.initial_hits()),
            None,
            ObjectKind::Structure(StructureKind::Extractor),
        ));
        snap.objects.push(record(
            storage,
            storage_at,
            Some(StructureKind::Storage.initial_hits()),
            Some(Store::empty(StoreLimit::Total(STORAGE_CAPACITY))),
            ObjectKind::Structure(StructureKind::Storage),
        ));
        snap.objects.sort_by_key(|o| o.id);
    });
    for _ in 0..12 {
        shard.tick().unwrap();
    }
    let seen = memory_json(shard, p)["seen"].clone();
    let first = &seen["first"];
    assert_eq!(first["density"], DENSITY_MODERATE, "{seen}");
    assert_eq!(first["amount"], 35_000);
    assert_eq!(first["regen"], true, "{seen}");
    assert_eq!(first["extractor"], true);
    assert_eq!(
        first["spawnH"],
        serde_json::Value::Null,
        "a spawn holds energy alone"
    );
    assert_eq!(first["storageCap"], STORAGE_CAPACITY);
    assert_eq!(
        first["spawnTake"], -7,
        "ERR_INVALID_TARGET: no capacity for it"
    );
    let ticks = seen["ticks"].as_array().unwrap();
    let codes: Vec<i64> = ticks
        .iter()
        .map(|t| t["harvest"].as_i64().unwrap())
        .collect();
    // One harvest in six ticks: the extractor cools down for five (ERR_TIRED, -11).
    assert_eq!(
        codes,
        [0, -11, -11, -11, -11, -11, 0, -11, -11, -11],
        "{seen}"
    );
    let cooldowns: Vec<i64> = ticks
        .iter()
        .map(|t| t["cooldown"].as_i64().unwrap())
        .collect();
    assert_eq!(cooldowns, [0, 5, 4, 3, 2, 1, 0, 5, 4, 3]);
    assert_eq!(ticks[1]["carried"], 2);
    assert_eq!(ticks[1]["used"], 2);
    assert_eq!(ticks[1]["free"], 48);
    // 4 carried at tick 7 go into the storage; tick 8 takes one back.
    assert_eq!(ticks[7]["transfer"], 0, "{seen}");
    assert_eq!(ticks[8]["stored"], 4, "{seen}");
    assert_eq!(ticks[8]["withdraw"], 0, "{seen}");
    assert_eq!(ticks[9]["stored"], 3, "{seen}");
    assert_eq!(ticks[9]["carried"], 1, "{seen}");
}
