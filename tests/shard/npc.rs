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
