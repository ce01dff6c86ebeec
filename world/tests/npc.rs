//! The world's own creeps (screeps/engine `keeper-lairs/tick.js`, `creeps/keepers/pretick.js`,
//! `creeps/invaders/*.js`, the backend's `genInvaders`): keepers appear on their lairs and
//! guard their sources, invaders raid a room once its sources gave their goal of energy, and
//! a tower repels a raid.

mod support;

use isoshard_world::npc::{INVADER, INVADERS_ENERGY_GOAL, SOURCE_KEEPER};
use isoshard_world::*;
use support::*;

use BodyPartKind::{Move, Tough, Work};

fn creeps_of(world: &GameWorld, owner: PlayerId) -> Vec<ObjectRecord> {
    world
        .records()
        .into_iter()
        .filter(|o| o.owner == Some(owner) && matches!(o.kind, ObjectKind::Creep(_)))
        .collect()
}

/// A world wide enough to hold a sector's source-keeper rooms.
fn sector_world() -> GameWorld {
    let mut world = GameWorld::new(WorldConfig {
        seed: 7,
        width: 11,
        height: 11,
    })
    .unwrap();
    world.add_player("alice").unwrap();
    world
}

fn lairs(world: &GameWorld) -> Vec<ObjectRecord> {
    world
        .records()
        .into_iter()
        .filter(|o| matches!(o.kind, ObjectKind::Structure(StructureKind::KeeperLair)))
        .collect()
}

#[test]
fn source_keeper_rooms_have_a_lair_by_each_source_and_mineral() {
    let world = sector_world();
    let map = world.map();
    let lairs = lairs(&world);
    assert!(!lairs.is_empty(), "the sector has keeper rooms");
    for lair in &lairs {
        assert_eq!(map.get(lair.pos.room).kind, RoomKind::SourceKeeper);
        let guarded = world.records().into_iter().filter(|o| {
            o.pos.room == lair.pos.room
                && o.pos.range_to(lair.pos) == 2
                && matches!(o.kind, ObjectKind::Source(_) | ObjectKind::Mineral(_))
        });
        assert!(guarded.count() >= 1, "a lair guards something");
        assert_eq!(lair.owner, None);
    }
    // Three sources and a mineral per keeper room.
    let rooms: std::collections::BTreeSet<_> = lairs.iter().map(|l| l.pos.room).collect();
    assert_eq!(lairs.len(), rooms.len() * 4);
}

#[test]
fn a_keeper_comes_300_ticks_after_its_lair_is_empty_and_does_not_age() {
    let mut world = sector_world();
    let lair = lairs(&world)[0].clone();
    world.tick(&IntentBatch::new());
    let timer = world.record(lair.id).unwrap().cooldown.map(|c| c.ticks);
    assert_eq!(
        timer,
        Some(ENERGY_REGEN_TIME - 1),
        "ticksToSpawn counts down"
    );
    for _ in 0..ENERGY_REGEN_TIME - 1 {
        world.tick(&IntentBatch::new());
    }
    let keepers = creeps_of(&world, SOURCE_KEEPER);
    let keeper = keepers
        .iter()
        .find(|k| k.pos == lair.pos)
        .expect("a keeper on the lair");
    let ObjectKind::Creep(c) = &keeper.kind else {
        unreachable!()
    };
    assert_eq!(c.name, format!("Keeper{}", lair.id.to_js()));
    assert_eq!(c.body.len(), 50);
    assert_eq!(keeper.hits.map(|h| h.hits), Some(5000));
    assert_eq!(world.record(lair.id).unwrap().cooldown, None);
    let life = c.ticks_to_live;
    world.tick(&IntentBatch::new());
    let again = world.record(keeper.id).expect("still there");
    let ObjectKind::Creep(c) = again.kind else {
        unreachable!()
    };
    assert_eq!(c.ticks_to_live, life, "keepers do not age");
    // Views show no ticksToLive and the keeper's owner by name.
    let view = world.views();
    let room = &view.rooms[&world.map().get(lair.pos.room).name];
    let seen = room
        .objects
        .iter()
        .find(|o| o.id == keeper.id.to_js())
        .unwrap();
    assert_eq!(seen.age_time, None);
    assert_eq!(seen.owner.as_deref(), Some("Source Keeper"));
}

#[test]
fn a_keeper_strikes_a_creep_beside_it() {
    let mut s = scenario();
    let home = s.controller();
    // A new colony starts in safe mode, where no hostile acts.
    s.edit_controller(home.id, |c| c.safe_mode = 0);
    let at = s.free_at_range(home.pos, 3);
    let next = s.free_at_range(at, 1);
    let keeper_body: Vec<BodyPart> = npc::keeper_body().into_iter().map(BodyPart::new).collect();
    let keeper = s.add(
        at,
        Some(SOURCE_KEEPER),
        Some(Hits {
            hits: 5000,
            max: 5000,
        }),
        Some(Store::empty(StoreLimit::Total(0))),
        ObjectKind::Creep(Creep {
            name: "Keeper1".into(),
            body: keeper_body,
            fatigue: 0,
            ticks_to_live: npc::KEEPER_LIFE,
            spawning: false,
            saying: None,
        }),
    );
    let victim = s.add_creep(next, &[Tough, Tough, Tough, Move], 0);
    s.run(vec![]);
    // 10 ATTACK × 30 and 10 RANGED_ATTACK × 10 at range 1: 400 hits, the creep's all.
    assert!(s.world.record(victim).is_none(), "the keeper killed it");
    assert!(s.world.record(keeper).is_some());
}

/// Marks `room`'s sources as having given the raid goal.
fn harvested_out(s: &mut Scenario, room: RoomId) {
    s.edit(|snap| {
        for o in &mut snap.objects {
            if let ObjectKind::Source(src) = &mut o.kind {
                if o.pos.room == room {
                    src.invader_harvested = INVADERS_ENERGY_GOAL;
                }
            }
        }
    });
}

#[test]
fn invaders_raid_a_room_whose_sources_gave_their_goal() {
    let mut s = scenario();
    let room = s.room;
    s.run(vec![]);
    assert!(
        creeps_of(&s.world, INVADER).is_empty(),
        "no raid before the goal"
    );
    harvested_out(&mut s, room);
    s.run(vec![]);
    let raiders = creeps_of(&s.world, INVADER);
    assert!(!raiders.is_empty(), "a raid");
    for r in &raiders {
        assert_eq!(r.pos.room, room);
        assert!(
            r.pos.is_edge(),
            "they come in at the room's edge: {:?}",
            r.pos
        );
        let ObjectKind::Creep(c) = &r.kind else {
            unreachable!()
        };
        // RCL 1: small invaders of ten parts, living 1 500 ticks.
        assert_eq!(c.body.len(), 10);
        assert!(c.name.starts_with("invader_"));
    }
    let counted: u32 = s
        .world
        .records()
        .iter()
        .filter_map(|o| match &o.kind {
            ObjectKind::Source(src) if o.pos.room == room => Some(src.invader_harvested),
            _ => None,
        })
        .sum();
    assert_eq!(counted, 0, "the count starts again");
    // Harvesting counts towards the next raid.
    let source = s.source();
    let miner = s.add_creep(s.free_at_range(source.pos, 1), &[Work, Work, Move], 0);
    s.run(vec![Intent::Harvest {
        creep: miner,
        target: source.id,
    }]);
    let ObjectKind::Source(src) = s.rec(source.id).kind else {
        unreachable!()
    };
    assert_eq!(src.invader_harvested, 4);
}

#[test]
fn a_tower_repels_a_raid() {
    let mut s = scenario();
    let room = s.room;
    let ctl = s.controller();
    s.edit_controller(ctl.id, |c| c.level = 3);
    let tower_at = s.free_at_range(ctl.pos, 2);
    let tower = s.add_store(
        tower_at,
        Some(s.player),
        StructureKind::Tower,
        StoreLimit::Energy(TOWER_CAPACITY),
    );
    s.give(tower, ResourceKind::Energy, TOWER_CAPACITY);
    harvested_out(&mut s, room);
    s.run(vec![]);
    let raiders = creeps_of(&s.world, INVADER);
    assert!(!raiders.is_empty());
    let mut ticks = 0;
    while !creeps_of(&s.world, INVADER).is_empty() {
        let target = creeps_of(&s.world, INVADER)[0].id;
        s.run(vec![Intent::TowerAttack { tower, target }]);
        ticks += 1;
        assert!(ticks < 50, "the tower keeps up");
    }
    let graves = s
        .world
        .records()
        .into_iter()
        .filter(|o| matches!(&o.kind, ObjectKind::Tombstone(t) if t.creep_owner == INVADER));
    assert_eq!(
        graves.count(),
        raiders.len(),
        "each invader left a tombstone"
    );
    // The raid was seeded from the world's RNG: the same world raids the same way.
    let again = {
        let mut t = scenario();
        let ctl = t.controller();
        t.edit_controller(ctl.id, |c| c.level = 3);
        let tower = t.add_store(
            tower_at,
            Some(t.player),
            StructureKind::Tower,
            StoreLimit::Energy(TOWER_CAPACITY),
        );
        t.give(tower, ResourceKind::Energy, TOWER_CAPACITY);
        harvested_out(&mut t, room);
        t.run(vec![]);
        creeps_of(&t.world, INVADER)
    };
    assert_eq!(again, raiders);
}

#[test]
fn a_player_summons_invaders_into_a_room_they_hold_and_only_they_remove_them() {
    use isoshard_world::npc::InvaderKind;
    let mut s = scenario();
    let alice = s.player;
    let (bob, bob_controller) = s.add_rival();
    let room = s.world.map().get(s.room).name.clone();
    let spawn = s.rec(s.spawn).pos;
    let spot = s.free_at_range(spawn, 3);
    let summon = |at: Position, player: PlayerId, kind: InvaderKind| WorldEdit::SummonInvader {
        player,
        room: room.clone(),
        x: at.x,
        y: at.y,
        kind,
        boosted: true,
    };
    let refusal = |w: &mut GameWorld, e: &WorldEdit| w.apply_edit(e).unwrap_err().to_string();
    // Bob holds no controller here.
    assert!(
        refusal(&mut s.world, &summon(spot, bob, InvaderKind::SmallMelee)).contains("not owned")
    );
    // On the spawn: refused.
    assert!(
        refusal(&mut s.world, &summon(spawn, alice, InvaderKind::SmallMelee))
            .contains("invalid location")
    );
    s.world
        .apply_edit(&summon(spot, alice, InvaderKind::BigHealer))
        .unwrap();
    let invader = creeps_of(&s.world, INVADER)[0].clone();
    let ObjectKind::Creep(c) = &invader.kind else {
        unreachable!()
    };
    assert_eq!(c.body.len(), 50);
    assert!(
        c.body
            .iter()
            .all(|p| (p.kind == BodyPartKind::Heal) == p.boost.is_some()),
        "heal parts boosted (LO)"
    );
    assert_eq!(invader.hits.map(|h| h.hits), Some(5000));
    // Only five at a time.
    for n in 1..5 {
        let at = s.free_at_range(spawn, 3 + n);
        s.world
            .apply_edit(&summon(at, alice, InvaderKind::SmallRanged))
            .unwrap();
    }
    let sixth = summon(s.free_at_range(spawn, 9), alice, InvaderKind::SmallRanged);
    assert!(refusal(&mut s.world, &sixth).contains("too many invaders exist"));
    // A summoned invader survives a snapshot with its summoner; Bob cannot remove it.
    let before = s.world.state_hash();
    s.world = GameWorld::restore(s.world.snapshot()).unwrap();
    assert_eq!(s.world.state_hash(), before);
    let remove = |player| WorldEdit::RemoveInvader {
        player,
        object: invader.id,
    };
    assert!(refusal(&mut s.world, &remove(bob)).contains("invalid object"));
    s.world.apply_edit(&remove(alice)).unwrap();
    assert!(s.world.record(invader.id).is_none());
    assert!(refusal(&mut s.world, &remove(alice)).contains("invalid object"));
    // A hostile creep in the room stops a summon.
    let near = s.free_at_range(spawn, 2);
    s.add_creep_for(bob, near, &[Move], 0);
    assert!(refusal(&mut s.world, &sixth).contains("hostiles present"));
    let _ = bob_controller;
}
