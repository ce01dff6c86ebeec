//! The world's own creeps through the player API: an invader raid reaches a player's room,
//! the bot sees it as `FIND_HOSTILE_CREEPS` owned by "Invader" (as bots test for), and its
//! tower shoots it down. The rules are `world/tests/npc.rs`.

use isoshard_world::npc::INVADERS_ENERGY_GOAL;
use isoshard_world::*;

use crate::support::*;

const DEFENDER_BOT: &str = r#"
module.exports.loop = function () {
  const room = Game.spawns.Spawn1.room;
  const log = Memory.log = Memory.log || [];
  const hostiles = room.find(FIND_HOSTILE_CREEPS);
  const tower = room.find(FIND_MY_STRUCTURES).find((s) => s.structureType === STRUCTURE_TOWER);
  const e = { t: Game.time, hostiles: hostiles.length };
  if (hostiles.length) {
    const h = hostiles[0];
    e.owner = h.owner.username; e.my = h.my; e.ttl = h.ticksToLive; e.parts = h.body.length;
    e.name = h.name.slice(0, 8); e.hits = h.hits;
    e.shot = tower.attack(tower.pos.findClosestByRange(FIND_HOSTILE_CREEPS));
  }
  if (log.length < 40) log.push(e);
};
"#;

#[test]
fn a_bot_sees_an_invader_raid_and_its_tower_shoots_it_down() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 21, |_| {});
    let p = shard
        .add_player("defender", code(&[("main", DEFENDER_BOT)]))
        .unwrap();
    shard.tick().unwrap();
    let home = shard.home_room(p).unwrap();
    let shard = &mut reopen_with_world_edit(dir.path(), shard, |snap| {
        let spawn = snap
            .objects
            .iter()
            .find(|o| o.owner == Some(p) && matches!(o.kind, ObjectKind::Spawn(_)))
            .map(|o| o.pos)
            .unwrap();
        let taken: Vec<Position> = snap.objects.iter().map(|o| o.pos).collect();
        let tower_at = [(2i32, 0i32), (0, 2), (-2, 0), (0, -2), (2, 2)]
            .iter()
            .map(|(dx, dy)| {
                Position::new(
                    home,
                    (spawn.x as i32 + dx) as u8,
                    (spawn.y as i32 + dy) as u8,
                )
            })
            .find(|t| !taken.contains(t))
            .unwrap();
        for o in &mut snap.objects {
            match &mut o.kind {
                ObjectKind::Controller(c) if o.pos.room == home => c.level = 3,
                ObjectKind::Source(s) if o.pos.room == home => {
                    s.invader_harvested = INVADERS_ENERGY_GOAL
                }
                _ => {}
            }
        }
        let tower = StructureKind::Tower;
        let mut store = Store::empty(StoreLimit::Energy(TOWER_CAPACITY));
        store.add(ResourceKind::Energy, TOWER_CAPACITY);
        let kind = ObjectKind::Structure(tower);
        push_object(
            snap,
            tower_at,
            Some(p),
            Some(tower.initial_hits()),
            Some(store),
            kind,
        );
        snap.objects.sort_by_key(|o| o.id);
    });
    for _ in 0..30 {
        shard.tick().unwrap();
    }
    let log = memory_json(shard, p)["log"].clone();
    let entries = log.as_array().unwrap();
    let seen = entries
        .iter()
        .find(|e| e["hostiles"].as_u64() > Some(0))
        .unwrap_or_else(|| panic!("the raid was seen: {log}"));
    assert_eq!(seen["owner"], "Invader", "{log}");
    assert_eq!(seen["my"], false);
    assert_eq!(seen["parts"], 10, "a small invader below RCL 4");
    assert_eq!(seen["name"], "invader_");
    assert_eq!(seen["shot"], 0, "OK: {log}");
    assert!(seen["ttl"].as_u64().is_some_and(|t| t < 1500));
    let last = entries.last().unwrap();
    assert_eq!(last["hostiles"], 0, "the tower won: {log}");
}

const CORE_WATCHER_BOT: &str = r#"
module.exports.loop = function () {
  const log = Memory.log = Memory.log || [];
  for (const name in Game.creeps) {
    const c = Game.creeps[name];
    const cores = c.room.find(FIND_HOSTILE_STRUCTURES)
      .filter((s) => s.structureType === STRUCTURE_INVADER_CORE);
    if (!cores.length || log.length >= 5) continue;
    const core = cores[0];
    const r = c.room.controller.reservation;
    log.push({
      t: Game.time, core: core instanceof StructureInvaderCore && core instanceof OwnedStructure,
      level: core.level, owner: core.owner.username, my: core.my, hits: core.hits,
      hitsMax: core.hitsMax, collapse: core.effects[0].effect === EFFECT_COLLAPSE_TIMER,
      left: core.effects[0].ticksRemaining, deploy: core.ticksToDeploy, spawning: core.spawning,
      res: r && r.username, resTicks: r && r.ticksToEnd,
      // Reserving over the core's own reservation is refused; a 1-CLAIM reservation would
      // only be worn down by the core (2 a tick), so the bot does not try before.
      reserve: r ? c.reserveController(c.room.controller) : null, hit: c.attack(core),
    });
  }
};
"#;

#[test]
fn a_bot_sees_a_lesser_invader_core_reserving_a_room_and_attacks_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 23, |_| {});
    let p = shard
        .add_player("corer", code(&[("main", CORE_WATCHER_BOT)]))
        .unwrap();
    shard.tick().unwrap();
    let core = InvaderCore {
        level: 0,
        collapse_time: shard.world().time() + 10_000,
    };
    let object = Placed {
        owner: Some(npc::INVADER),
        hits: Some(StructureKind::InvaderCore.initial_hits()),
        store: None,
        kind: ObjectKind::InvaderCore(core),
    };
    let body = [
        BodyPartKind::Attack,
        BodyPartKind::Claim,
        BodyPartKind::Move,
    ];
    let shard = &mut reopen_with_object_and_creep(dir.path(), shard, p, object, ("corer", body));
    for _ in 0..3 {
        shard.tick().unwrap();
    }
    let log = memory_json(shard, p)["log"].clone();
    let first = &log[0];
    assert_eq!(first["core"], true, "{log}");
    assert_eq!(
        first["res"],
        serde_json::Value::Null,
        "not reserved before its first tick"
    );
    assert_eq!(first["level"], 0);
    assert_eq!(first["owner"], "Invader");
    assert_eq!(first["my"], false);
    assert_eq!(first["hitsMax"], INVADER_CORE_HITS);
    assert_eq!(first["collapse"], true);
    assert!(
        first["left"]
            .as_u64()
            .is_some_and(|l| l > 9_000 && l <= 10_000),
        "{log}"
    );
    assert_eq!(first["spawning"], serde_json::Value::Null);
    assert_eq!(first["hit"], 0, "OK");
    // After its first tick the core holds the controller; the creep cannot reserve over it.
    let second = &log[1];
    assert_eq!(second["res"], "Invader", "{log}");
    assert_eq!(second["resTicks"], 2);
    assert_eq!(second["reserve"], -7, "ERR_INVALID_TARGET");
    assert_eq!(
        second["hits"].as_u64(),
        Some(u64::from(INVADER_CORE_HITS) - 30),
        "one ATTACK part: {log}"
    );
}

const BANK_BOT: &str = r#"
module.exports.loop = function () {
  const log = Memory.log = Memory.log || [];
  const c = Game.creeps.miner;
  if (!c || log.length >= 3) return;
  const bank = c.room.find(FIND_STRUCTURES).find((s) => s.structureType === STRUCTURE_POWER_BANK);
  if (!bank) return;
  log.push({
    bank: bank instanceof StructurePowerBank && bank instanceof OwnedStructure,
    power: bank.power, decay: bank.ticksToDecay, owner: bank.owner.username, my: bank.my,
    hostile: c.room.find(FIND_HOSTILE_STRUCTURES).length, hits: bank.hits, creepHits: c.hits,
    withdraw: c.withdraw(bank, RESOURCE_POWER), hit: c.attack(bank),
  });
};
"#;

#[test]
fn a_bot_sees_a_power_bank_and_takes_half_its_damage_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 29, |_| {});
    let p = shard
        .add_player("power", code(&[("main", BANK_BOT)]))
        .unwrap();
    shard.tick().unwrap();
    let mut store = Store::empty(StoreLimit::Unlimited);
    store.add(ResourceKind::Power, 1234);
    let decay_time = shard.world().time() + 3000;
    let object = Placed {
        owner: None,
        hits: Some(StructureKind::PowerBank.initial_hits()),
        store: Some(store),
        kind: ObjectKind::PowerBank(PowerBank { decay_time }),
    };
    let body = [
        BodyPartKind::Attack,
        BodyPartKind::Carry,
        BodyPartKind::Move,
    ];
    let shard = &mut reopen_with_object_and_creep(dir.path(), shard, p, object, ("miner", body));
    for _ in 0..2 {
        shard.tick().unwrap();
    }
    let log = memory_json(shard, p)["log"].clone();
    let first = &log[0];
    assert_eq!(first["bank"], true, "{log}");
    assert_eq!(first["power"], 1234);
    assert_eq!(first["owner"], "Power Bank");
    assert_eq!(first["my"], false);
    assert_eq!(
        first["hostile"], 0,
        "not a hostile structure: it has no user"
    );
    assert!(
        first["decay"]
            .as_u64()
            .is_some_and(|d| d > 2990 && d <= 3000),
        "{log}"
    );
    assert_eq!(first["withdraw"], -7, "ERR_INVALID_TARGET");
    assert_eq!(first["hit"], 0);
    let second = &log[1];
    assert_eq!(
        second["hits"].as_u64(),
        Some(u64::from(POWER_BANK_HITS) - 30)
    );
    assert_eq!(second["creepHits"], 300 - 15, "half of 30 back: {log}");
}

const DEPOSIT_BOT: &str = r#"
module.exports.loop = function () {
  const log = Memory.log = Memory.log || [];
  const c = Game.creeps.digger;
  if (!c || log.length >= 3) return;
  const d = c.room.find(FIND_DEPOSITS)[0];
  if (!d) return;
  log.push({
    deposit: d instanceof Deposit, type: d.depositType, cooldown: d.cooldown, last: d.lastCooldown,
    decay: d.ticksToDecay, looked: c.room.lookForAt(LOOK_DEPOSITS, d.pos).length,
    carried: c.store.getUsedCapacity(d.depositType), harvest: c.harvest(d),
  });
};
"#;

#[test]
fn a_bot_harvests_a_deposit_and_sees_its_cooldown_grow() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 31, |_| {});
    let p = shard
        .add_player("digger", code(&[("main", DEPOSIT_BOT)]))
        .unwrap();
    shard.tick().unwrap();
    let deposit = Deposit {
        deposit_type: ResourceKind::Silicon,
        harvested: 5000,
        decay_time: shard.world().time() + 40_000,
    };
    let object = Placed {
        owner: None,
        hits: None,
        store: None,
        kind: ObjectKind::Deposit(deposit),
    };
    let body = [BodyPartKind::Work, BodyPartKind::Carry, BodyPartKind::Move];
    let shard = &mut reopen_with_object_and_creep(dir.path(), shard, p, object, ("digger", body));
    for _ in 0..2 {
        shard.tick().unwrap();
    }
    let log = memory_json(shard, p)["log"].clone();
    let first = &log[0];
    assert_eq!(first["deposit"], true, "{log}");
    assert_eq!(first["type"], "silicon");
    assert_eq!(first["cooldown"], 0);
    assert_eq!(first["last"], deposit_cooldown(5000));
    assert_eq!(first["looked"], 1);
    assert!(first["decay"].as_u64().is_some_and(|d| d > 39_000), "{log}");
    assert_eq!(first["harvest"], 0);
    let second = &log[1];
    assert_eq!(second["carried"], 1, "{log}");
    assert_eq!(second["last"], deposit_cooldown(5001));
    assert_eq!(second["cooldown"], deposit_cooldown(5001) - 1);
    assert_eq!(second["harvest"], -11, "ERR_TIRED");
    assert_eq!(
        second["decay"],
        DEPOSIT_DECAY_TIME - 1,
        "a harvest puts off its decay"
    );
}

/// A free tile within 3 of `near` for an object, and a free tile next to that for a creep.
fn free_tiles_near(map: &RoomMap, near: Position, taken: &[Position]) -> (Position, Position) {
    let open = |p: Position| map.tile(p) != Tile::Wall && !taken.contains(&p);
    let around = |c: Position, r: i32| {
        let mut out = Vec::new();
        for dy in -r..=r {
            for dx in -r..=r {
                let (x, y) = (c.x as i32 + dx, c.y as i32 + dy);
                if (1..49).contains(&x) && (1..49).contains(&y) {
                    out.push(Position::new(c.room, x as u8, y as u8));
                }
            }
        }
        out
    };
    for core in around(near, 3)
        .into_iter()
        .filter(|p| open(*p) && *p != near)
    {
        if let Some(creep) = around(core, 1)
            .into_iter()
            .find(|p| open(*p) && *p != core && p.range_to(near) <= 1)
        {
            return (core, creep);
        }
    }
    panic!("no room for a core and a creep near {near:?}");
}

/// An object a test puts in the world.
struct Placed {
    owner: Option<PlayerId>,
    hits: Option<Hits>,
    store: Option<Store>,
    kind: ObjectKind,
}

/// Reopens `shard` with `object` within 3 of the first neutral controller outside `p`'s home
/// and `p`'s creep (`name`, `body`, carrying up to 50) next to both.
fn reopen_with_object_and_creep(
    dir: &std::path::Path,
    shard: isoshard_engine::Shard,
    p: PlayerId,
    object: Placed,
    (name, body): (&str, [BodyPartKind; 3]),
) -> isoshard_engine::Shard {
    let home = shard.home_room(p).unwrap();
    let map = shard.world().map().clone();
    reopen_with_world_edit(dir, shard, |snap| {
        let ctl = snap
            .objects
            .iter()
            .find(|o| {
                o.pos.room != home
                    && o.owner.is_none()
                    && matches!(o.kind, ObjectKind::Controller(_))
            })
            .map(|o| o.pos)
            .unwrap();
        let taken: Vec<Position> = snap.objects.iter().map(|o| o.pos).collect();
        let (object_at, creep_at) = free_tiles_near(&map, ctl, &taken);
        push_object(
            snap,
            object_at,
            object.owner,
            object.hits,
            object.store,
            object.kind,
        );
        let body = body.iter().map(|k| BodyPart::new(*k)).collect();
        let creep = Creep {
            name: name.into(),
            body,
            fatigue: 0,
            ticks_to_live: 1000,
            spawning: false,
            saying: None,
        };
        let hits = Some(Hits {
            hits: 300,
            max: 300,
        });
        let store = Some(Store::empty(StoreLimit::Total(50)));
        push_object(
            snap,
            creep_at,
            Some(p),
            hits,
            store,
            ObjectKind::Creep(creep),
        );
        snap.objects.sort_by_key(|o| o.id);
    })
}
