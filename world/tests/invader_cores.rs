//! Lesser invader cores (screeps/engine `invader-core/*`, screeps/backend-local
//! `strongholds.js`): a sector's stronghold sends them to neutral rooms, they reserve the
//! controller or wear down a player's reservation, they collapse with their stronghold, and a
//! destroyed one leaves a ruin until then.

mod support;

use isoshard_world::npc::INVADER;
use isoshard_world::*;
use support::*;

use BodyPartKind::{Attack, Claim, Move};

fn add_core(s: &mut Scenario, near: Position, collapse_time: u64) -> ObjectId {
    let pos = s.free_at_range(near, 2);
    s.add(
        pos,
        Some(INVADER),
        Some(StructureKind::InvaderCore.initial_hits()),
        None,
        ObjectKind::InvaderCore(InvaderCore {
            level: 0,
            collapse_time,
        }),
    )
}

fn cores(world: &GameWorld) -> Vec<ObjectRecord> {
    world
        .records()
        .into_iter()
        .filter(|o| matches!(o.kind, ObjectKind::InvaderCore(_)))
        .collect()
}

fn reservation(s: &Scenario, ctl: ObjectId) -> Option<Reservation> {
    s.controller_state(ctl).reservation
}

#[test]
fn a_lesser_core_reserves_its_neutral_controller_two_ticks_a_tick_up_to_the_maximum() {
    let mut s = scenario();
    let ctl = s.neutral_controller();
    let core = add_core(&mut s, ctl.pos, 1_000_000);
    s.run(vec![]);
    // reserveController.js: a new reservation ends next tick, +2; the controller's tick takes 1.
    let expected = Reservation {
        player: INVADER,
        ticks_to_end: 2,
    };
    assert_eq!(reservation(&s, ctl.id), Some(expected));
    let reserved = s
        .world
        .events()
        .by_room
        .get(&ctl.pos.room)
        .is_some_and(|events| {
            events.iter().any(|e| {
                e.object == core && e.kind == events::EventKind::ReserveController { amount: 2 }
            })
        });
    assert!(reserved, "the core logs EVENT_RESERVE_CONTROLLER");
    for _ in 0..10 {
        s.run(vec![]);
    }
    assert_eq!(reservation(&s, ctl.id).unwrap().ticks_to_end, 12);
    // Past CONTROLLER_RESERVE_MAX the core does not add: only the timer runs.
    s.edit_controller(ctl.id, |c| {
        c.reservation.as_mut().unwrap().ticks_to_end = 4999
    });
    s.run(vec![]);
    assert_eq!(reservation(&s, ctl.id).unwrap().ticks_to_end, 4998);
    s.run(vec![]);
    assert_eq!(reservation(&s, ctl.id).unwrap().ticks_to_end, 4999);
}

#[test]
fn a_lesser_core_wears_down_a_players_reservation_who_cannot_reserve_over_its_own() {
    let mut s = scenario();
    let ctl = s.neutral_controller();
    add_core(&mut s, ctl.pos, 1_000_000);
    let alice = s.player;
    s.edit_controller(ctl.id, |c| {
        c.reservation = Some(Reservation {
            player: alice,
            ticks_to_end: 100,
        });
    });
    s.run(vec![]);
    // attackController.js: 2 ticks off, then the controller's own tick.
    assert_eq!(reservation(&s, ctl.id).unwrap().ticks_to_end, 97);
    assert_eq!(reservation(&s, ctl.id).unwrap().player, alice);

    s.edit_controller(ctl.id, |c| {
        c.reservation = Some(Reservation {
            player: INVADER,
            ticks_to_end: 300,
        });
    });
    let at = s.free_at_range(ctl.pos, 1);
    let claimer = s.add_creep(at, &[Claim, Claim, Move], 0);
    let codes = s.run(vec![Intent::ReserveController {
        creep: claimer,
        target: ctl.id,
    }]);
    assert_eq!(codes, vec![ReturnCode::InvalidTarget]);
    let codes = s.run(vec![Intent::AttackController {
        creep: claimer,
        target: ctl.id,
    }]);
    assert_eq!(codes, vec![ReturnCode::Ok]);
    // 300 → (+2 −1) = 301 → (+2 −2 claim parts −1) = 300.
    assert_eq!(reservation(&s, ctl.id).unwrap().ticks_to_end, 300);
}

#[test]
fn a_destroyed_core_leaves_a_ruin_that_lasts_until_its_collapse() {
    let mut s = scenario();
    let ctl = s.neutral_controller();
    let collapse = s.world.time() + 20_000;
    let core = add_core(&mut s, ctl.pos, collapse);
    let core_pos = s.rec(core).pos;
    s.edit(|snap| {
        let rec = snap.objects.iter_mut().find(|o| o.id == core).unwrap();
        rec.hits = Some(Hits {
            hits: 30,
            max: INVADER_CORE_HITS,
        });
    });
    let at = s.free_at_range(core_pos, 1);
    let fighter = s.add_creep(at, &[Attack, Move], 0);
    let before = s.world.time();
    let codes = s.run(vec![Intent::Attack {
        creep: fighter,
        target: core,
    }]);
    assert_eq!(codes, vec![ReturnCode::Ok]);
    assert!(s.world.record(core).is_none(), "30 damage destroys it");
    let ruin = s.find(|o| matches!(&o.kind, ObjectKind::Ruin(r) if r.structure == core));
    let ObjectKind::Ruin(r) = ruin.kind else {
        unreachable!()
    };
    assert_eq!(r.structure_kind, StructureKind::InvaderCore);
    assert_eq!(r.structure_owner, Some(INVADER));
    assert_eq!(u64::from(r.ticks_to_decay), collapse - before);
}

#[test]
fn a_core_collapses_at_its_collapse_time_and_leaves_nothing() {
    let mut s = scenario();
    let ctl = s.neutral_controller();
    let collapse = s.world.time() + 3;
    let core = add_core(&mut s, ctl.pos, collapse);
    for _ in 0..3 {
        s.run(vec![]);
    }
    assert!(s.world.record(core).is_some(), "standing until its time");
    let view = s
        .world
        .room_view(&s.world.map().get(ctl.pos.room).name.clone())
        .unwrap();
    let shown = view.objects.iter().find(|o| o.id == core.to_js()).unwrap();
    assert_eq!(shown.kind, "invaderCore");
    assert_eq!(shown.owner.as_deref(), Some("Invader"));
    assert_eq!(shown.level, Some(0));
    assert_eq!(shown.effects, Some(vec![(EFFECT_COLLAPSE_TIMER, 0)]));
    s.run(vec![]);
    assert!(s.world.record(core).is_none());
    assert!(
        !s.world
            .records()
            .iter()
            .any(|o| matches!(&o.kind, ObjectKind::Ruin(r) if r.structure == core)),
        "a collapse leaves no ruin"
    );
}

#[test]
fn stronghold_lives_follow_each_other_within_screeps_ranges() {
    let centre = RoomCoord { x: 5, y: 5 };
    let lives: Vec<StrongholdCycle> = stronghold_cycles(7, centre).take(30).collect();
    assert_eq!(lives[0].start, 0);
    for pair in lives.windows(2) {
        assert_eq!(pair[1].start, pair[0].collapse_time + 1);
    }
    for life in &lives {
        assert!((1..=5).contains(&life.level));
        assert_eq!(life.active_from, life.start + 5000);
        let active = life.collapse_time - life.active_from;
        assert!(
            (67_500..=82_500).contains(&active),
            "75 000 ±10 %: {active}"
        );
        let (dx, dy) = (life.room.x - centre.x, life.room.y - centre.y);
        assert!(
            dx.abs() <= 1 && dy.abs() <= 1 && (dx, dy) != (0, 0),
            "a keeper room"
        );
    }
    let levels: std::collections::BTreeSet<u8> = lives.iter().map(|l| l.level).collect();
    assert!(levels.len() >= 3, "levels vary: {levels:?}");
    let again: Vec<StrongholdCycle> = stronghold_cycles(7, centre).take(30).collect();
    assert_eq!(lives, again, "a pure function of the seed and the sector");
    assert_ne!(stronghold_cycles(8, centre).next(), lives.first().copied());
}

#[test]
fn a_stronghold_sends_lesser_cores_to_the_nearest_neutral_rooms_on_its_schedule() {
    let centre = RoomCoord { x: 5, y: 5 };
    let life = stronghold_cycles(7, centre).next().unwrap();
    let every = u64::from(INVADER_CORE_EXPAND_TIME[life.level as usize]);
    let due = life.active_from + every;

    let mut early = sector_world_at(due - 1);
    early.tick(&IntentBatch::new());
    assert!(cores(&early).is_empty(), "nothing before its time");

    let mut world = sector_world_at(due);
    world.tick(&IntentBatch::new());
    let first = cores(&world);
    assert_eq!(first.len(), 1, "one core at {due}");
    let core = &first[0];
    assert_eq!(core.owner, Some(INVADER));
    assert_eq!(core.hits.unwrap().hits, INVADER_CORE_HITS);
    let ObjectKind::InvaderCore(c) = core.kind else {
        unreachable!()
    };
    assert_eq!((c.level, c.collapse_time), (0, life.collapse_time));
    let map = world.map();
    let room = map.get(core.pos.room);
    assert_eq!(room.kind, RoomKind::Normal, "not a highway or keeper room");
    let ctl = world
        .records()
        .into_iter()
        .find(|o| o.pos.room == core.pos.room && matches!(o.kind, ObjectKind::Controller(_)))
        .unwrap();
    assert!(ctl.pos.range_to(core.pos) <= 5 && ctl.owner.is_none());
    // The walk starts at the stronghold's keeper room: the core's room borders the sector's
    // keeper ring.
    let (dx, dy) = (room.coord.x - centre.x, room.coord.y - centre.y);
    assert!(
        dx.abs() <= 2 && dy.abs() <= 2,
        "near the centre: {}",
        room.name
    );

    // The same world at the same tick sends it to the same place.
    let mut twin = sector_world_at(due);
    twin.tick(&IntentBatch::new());
    assert_eq!(cores(&twin)[0].pos, core.pos);

    // The next expansion goes to another room.
    let mut snap = world.snapshot();
    snap.time = due + every;
    let mut world = GameWorld::restore(snap).unwrap();
    world.tick(&IntentBatch::new());
    let rooms: std::collections::BTreeSet<RoomId> =
        cores(&world).iter().map(|c| c.pos.room).collect();
    assert_eq!(rooms.len(), 2, "two cores in two rooms");
}

#[test]
fn no_core_comes_into_a_world_without_a_sector_centre() {
    let mut s = scenario();
    s.edit(|snap| snap.time = 100_000);
    for _ in 0..3 {
        s.run(vec![]);
    }
    assert!(cores(&s.world).is_empty());
}
