//! Minerals and labs through the player API: `Mineral.density` and `ticksToRegeneration`,
//! harvesting through an extractor with screeps/engine's codes (`game/creeps.js`), stores
//! holding minerals as `Store` shows them (`game/store.js`), and a lab chain reacting and
//! boosting a creep (`StructureLab`). The rules are `world/tests/{resources,labs}.rs`.

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
            .into_iter()
            .map(BodyPart::new)
            .collect(),
            fatigue: 0,
            ticks_to_live: 1000,
            spawning: false,
            saying: None,
        };
        let hits = Some(Hits {
            hits: 400,
            max: 400,
        });
        let carry = Some(Store::empty(StoreLimit::Total(50)));
        push_object(snap, miner_at, owner, hits, carry, ObjectKind::Creep(creep));
        let extractor = StructureKind::Extractor;
        let kind = ObjectKind::Structure(extractor);
        push_object(
            snap,
            mineral,
            owner,
            Some(extractor.initial_hits()),
            None,
            kind,
        );
        let storage = StructureKind::Storage;
        let store = Some(Store::empty(StoreLimit::Total(STORAGE_CAPACITY)));
        let kind = ObjectKind::Structure(storage);
        push_object(
            snap,
            storage_at,
            owner,
            Some(storage.initial_hits()),
            store,
            kind,
        );
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

const LAB_BOT: &str = r#"
module.exports.loop = function () {
  const room = Game.spawns.Spawn1.room, c = Game.creeps.brute;
  const labs = room.find(FIND_MY_STRUCTURES, { filter: { structureType: STRUCTURE_LAB } });
  const by = (t) => labs.find((l) => l.mineralType === t);
  const seen = Memory.seen = Memory.seen || { ticks: [] };
  const h = by(RESOURCE_HYDROGEN), o = by(RESOURCE_OXYGEN), uh = by(RESOURCE_UTRIUM_HYDRIDE);
  const out = labs.find((l) => l !== h && l !== o && l !== uh);
  const t = { time: Game.time };
  if (seen.ticks.length === 0) {
    t.first = { labs: labs.length, instance: h instanceof StructureLab, amount: h.mineralAmount,
      capacity: h.mineralCapacity, energy: uh.energy, energyCapacity: uh.energyCapacity,
      storeH: h.store.getCapacity(RESOURCE_HYDROGEN), storeO: h.store.getCapacity(RESOURCE_OXYGEN),
      wrong: out.runReaction(h, h), far: out.reverseReaction(h, o) };
    t.run = out.runReaction(h, o);
    t.boost = uh.boostCreep(c);
  } else {
    t.product = [out.mineralType, out.mineralAmount, out.cooldown];
    t.again = out.runReaction(h, o);
    t.body = c.body.map((p) => p.type + ':' + (p.boost || '-'));
  }
  if (seen.ticks.length < 3) seen.ticks.push(t);
};
"#;

#[test]
fn a_lab_chain_reacts_and_boosts_through_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 5, |_| {});
    let p = shard
        .add_player("chemist", code(&[("main", LAB_BOT)]))
        .unwrap();
    shard.tick().unwrap();
    let home = shard.home_room(p).unwrap();
    // A 3×2 block of free plain tiles away from the edges.
    let world = shard.world();
    let taken: Vec<Position> = world.records().iter().map(|o| o.pos).collect();
    let free = |p: Position| !taken.contains(&p) && world.map().tile(p) == Tile::Plain;
    let spot = (5u8..40)
        .flat_map(|y| (5u8..40).map(move |x| (x, y)))
        .find(|(x, y)| (0..3).all(|dx| (0..2).all(|dy| free(Position::new(home, x + dx, y + dy)))))
        .unwrap();
    let shard = &mut reopen_with_world_edit(dir.path(), shard, |snap| {
        for o in &mut snap.objects {
            if let (true, ObjectKind::Controller(c)) = (o.pos.room == home, &mut o.kind) {
                c.level = 7;
                c.safe_mode = 0;
            }
        }
        let at = |dx: u8, dy: u8| Position::new(home, spot.0 + dx, spot.1 + dy);
        let labs = [
            (at(0, 0), ResourceKind::Hydrogen),
            (at(2, 0), ResourceKind::Oxygen),
            (at(0, 1), ResourceKind::UtriumHydride),
            (at(1, 0), ResourceKind::Energy),
        ];
        for (pos, held) in labs {
            snap.next_object_id += 1;
            let mut store = Store::with(StoreLimit::Lab, ResourceKind::Energy, 100);
            store.add(held, 60);
            snap.objects.push(ObjectRecord {
                id: ObjectId(snap.next_object_id - 1),
                pos,
                owner: Some(p),
                hits: Some(StructureKind::Lab.initial_hits()),
                store: Some(store),
                decay: None,
                cooldown: None,
                kind: ObjectKind::Structure(StructureKind::Lab),
            });
        }
        push_object(
            snap,
            at(1, 1),
            Some(p),
            Some(Hits {
                hits: 200,
                max: 200,
            }),
            Some(Store::empty(StoreLimit::Total(0))),
            ObjectKind::Creep(Creep {
                name: "brute".into(),
                body: vec![
                    BodyPart::new(BodyPartKind::Move),
                    BodyPart::new(BodyPartKind::Attack),
                ],
                fatigue: 0,
                ticks_to_live: 1000,
                spawning: false,
                saying: None,
            }),
        );
    });
    for _ in 0..3 {
        shard.tick().unwrap();
    }
    let seen = memory_json(shard, p)["seen"].clone();
    let first = &seen["ticks"][0]["first"];
    assert_eq!(first["labs"], 4, "{seen}");
    assert_eq!(first["instance"], true);
    assert_eq!(first["amount"], 60);
    assert_eq!(first["capacity"], LAB_MINERAL_CAPACITY);
    assert_eq!(first["energy"], 100);
    assert_eq!(first["energyCapacity"], LAB_ENERGY_CAPACITY);
    assert_eq!(first["storeH"], LAB_MINERAL_CAPACITY);
    assert_eq!(
        first["storeO"],
        serde_json::Value::Null,
        "a lab holding H has no room for O"
    );
    assert_eq!(first["wrong"], -10, "ERR_INVALID_ARGS: H + H");
    assert_eq!(
        first["far"], -6,
        "ERR_NOT_ENOUGH_RESOURCES: nothing to reverse"
    );
    assert_eq!(seen["ticks"][0]["run"], 0, "{seen}");
    assert_eq!(seen["ticks"][0]["boost"], 0, "{seen}");
    let next = &seen["ticks"][1];
    assert_eq!(next["product"], serde_json::json!(["OH", 5, 19]), "{seen}");
    assert_eq!(next["again"], -11, "ERR_TIRED");
    assert_eq!(next["body"], serde_json::json!(["move:-", "attack:UH"]));
}

const SENDER_BOT: &str = r#"
module.exports.loop = function () {
  const room = Game.spawns.Spawn1.room, t = room.terminal;
  const seen = Memory.seen = Memory.seen || {};
  if (!t) return;
  if (!seen.sent) {
    const to = DESTINATION;
    seen.sent = { code: t.send(RESOURCE_HYDROGEN, 200, to, 'hello'), bad: t.send(RESOURCE_HYDROGEN, 1, 'nowhere'),
      cost: Game.market.calcTransactionCost(200, room.name, to), instance: t instanceof StructureTerminal,
      credits: Game.market.credits, gpl: Game.gpl };
  } else if (!seen.after) {
    seen.after = { out: Game.market.outgoingTransactions, cooldown: t.cooldown, tired: t.send(RESOURCE_HYDROGEN, 1, DESTINATION) };
  }
};
"#;

const RECEIVER_BOT: &str = r#"
module.exports.loop = function () {
  const t = Game.spawns.Spawn1.room.terminal;
  if (t && t.store[RESOURCE_HYDROGEN] && !Memory.got) {
    Memory.got = { amount: t.store[RESOURCE_HYDROGEN], incoming: Game.market.incomingTransactions };
  }
};
"#;

#[test]
fn a_terminal_sends_to_another_players_room_and_both_see_the_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 5, |_| {});
    let a = shard
        .add_player("sender", code(&[("main", SENDER_BOT)]))
        .unwrap();
    let b = shard
        .add_player("receiver", code(&[("main", RECEIVER_BOT)]))
        .unwrap();
    shard.tick().unwrap();
    let homes = [shard.home_room(a).unwrap(), shard.home_room(b).unwrap()];
    let world = shard.world();
    let taken: Vec<Position> = world.records().iter().map(|o| o.pos).collect();
    let spots: Vec<Position> = homes
        .iter()
        .map(|home| {
            (10u8..40)
                .flat_map(|y| (10u8..40).map(move |x| Position::new(*home, x, y)))
                .find(|p| !taken.contains(p) && world.map().tile(*p) == Tile::Plain)
                .unwrap()
        })
        .collect();
    let to = world.map().get(homes[1]).name.clone();
    let shard = &mut reopen_with_world_edit(dir.path(), shard, |snap| {
        for o in &mut snap.objects {
            if let (true, ObjectKind::Controller(c)) = (homes.contains(&o.pos.room), &mut o.kind) {
                c.level = 6;
            }
        }
        for (owner, pos) in [(a, spots[0]), (b, spots[1])] {
            let mut store = Store::empty(StoreLimit::Total(TERMINAL_CAPACITY));
            if owner == a {
                store.add(ResourceKind::Hydrogen, 500);
                store.add(ResourceKind::Energy, 500);
            }
            push_object(
                snap,
                pos,
                Some(owner),
                Some(StructureKind::Terminal.initial_hits()),
                Some(store),
                ObjectKind::Structure(StructureKind::Terminal),
            );
        }
    });
    // The sender's code names the receiver's room, as a player would write it.
    let sender = SENDER_BOT.replace("DESTINATION", &format!("'{to}'"));
    shard.set_code(a, code(&[("main", &sender)])).unwrap();
    for _ in 0..3 {
        shard.tick().unwrap();
    }
    let seen = memory_json(shard, a)["seen"].clone();
    assert_eq!(seen["sent"]["code"], 0, "{seen}");
    assert_eq!(seen["sent"]["bad"], -10, "ERR_INVALID_ARGS");
    assert_eq!(seen["sent"]["instance"], true);
    assert_eq!(seen["sent"]["credits"], 0);
    assert_eq!(
        seen["sent"]["gpl"],
        serde_json::json!({"level": 0, "progress": 0, "progressTotal": 1000}),
        "GPL from no power processed"
    );
    let after = &seen["after"];
    assert_eq!(after["cooldown"], TERMINAL_COOLDOWN - 1, "{seen}");
    assert_eq!(after["tired"], -11);
    let out = &after["out"][0];
    assert_eq!(out["sender"]["username"], "sender", "{seen}");
    assert_eq!(out["recipient"]["username"], "receiver");
    assert_eq!(out["amount"], 200);
    assert_eq!(out["resourceType"], "H");
    assert_eq!(out["to"], to);
    assert_eq!(out["description"], "hello");
    let got = memory_json(shard, b)["got"].clone();
    assert_eq!(got["amount"], 200, "{got}");
    assert_eq!(got["incoming"][0], *out);
}
