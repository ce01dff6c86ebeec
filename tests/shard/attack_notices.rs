//! `notifyWhenAttacked` through the player API and the server: a creep under attack shows in
//! its owner's notifications (`utils.sendAttackingNotification`), once however long the fight;
//! a quiet one does not.

use isoshard_world::*;

use crate::support::*;

const VICTIM_BOT: &str = r#"
module.exports.loop = function () {
  const quiet = Game.creeps.quiet, loud = Game.creeps.loud;
  if (quiet && !Memory.set) {
    Memory.set = [quiet.notifyWhenAttacked(false), quiet.notifyWhenAttacked(false), quiet.notifyWhenAttacked('no'),
      loud.notifyWhenAttacked(true), Game.spawns.Spawn1.notifyWhenAttacked(true)];
  }
};
"#;

const ATTACKER_BOT: &str = r#"
module.exports.loop = function () {
  const a = Game.creeps.brute;
  if (!a || Game.time < 3) return;
  const targets = a.pos.findInRange(FIND_HOSTILE_CREEPS, 1);
  if (targets.length) a.attack(targets[Game.time % targets.length]);
};
"#;

#[test]
fn a_creep_under_attack_notifies_its_owner_once_unless_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let mut shard = shard(dir.path(), 5, |_| {});
    let victim = shard
        .add_player("victim", code(&[("main", VICTIM_BOT)]))
        .unwrap();
    let attacker = shard
        .add_player("attacker", code(&[("main", ATTACKER_BOT)]))
        .unwrap();
    shard.tick().unwrap();
    let home = shard.home_room(victim).unwrap();
    let world = shard.world();
    let taken: Vec<Position> = world.records().iter().map(|o| o.pos).collect();
    let free = |p: Position| !taken.contains(&p) && world.map().tile(p) == Tile::Plain;
    let spot = (10u8..40)
        .flat_map(|y| (10u8..40).map(move |x| (x, y)))
        .find(|(x, y)| (0..3).all(|dx| free(Position::new(home, x + dx, *y))))
        .unwrap();
    let room_name = world.map().get(home).name.clone();
    let shard = &mut reopen_with_world_edit(dir.path(), shard, |snap| {
        for o in &mut snap.objects {
            if let (true, ObjectKind::Controller(c)) = (o.pos.room == home, &mut o.kind) {
                c.safe_mode = 0;
            }
        }
        let creeps = [
            ("quiet", victim, 0, BodyPartKind::Move),
            ("brute", attacker, 1, BodyPartKind::Attack),
            ("loud", victim, 2, BodyPartKind::Move),
        ];
        for (name, owner, dx, part) in creeps {
            push_object(
                snap,
                Position::new(home, spot.0 + dx, spot.1),
                Some(owner),
                Some(Hits {
                    hits: 2000,
                    max: 2000,
                }),
                Some(Store::empty(StoreLimit::Total(0))),
                ObjectKind::Creep(Creep {
                    name: name.into(),
                    body: vec![BodyPart::new(part); 20],
                    fatigue: 0,
                    ticks_to_live: 1000,
                    spawning: false,
                    saying: None,
                }),
            );
        }
    });
    for _ in 0..12 {
        shard.tick().unwrap();
    }
    assert_eq!(
        memory_json(shard, victim)["set"],
        serde_json::json!([0, 0, -10, 0, 0])
    );
    let notices: Vec<String> = shard
        .notifications(victim)
        .into_iter()
        .map(|(_, m)| m)
        .collect();
    assert_eq!(
        notices,
        [format!(
            "Your creep loud in room {room_name} is under attack!"
        )],
        "the quiet one says nothing; the loud one once for the whole fight"
    );
}
