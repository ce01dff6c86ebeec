//! Deposits (screeps/backend-local `genDeposits`, screeps/engine `creeps/harvest.js`,
//! `deposits/tick.js`): each sector gets one in its border highways, harvesting it yields its
//! resource and lengthens its cooldown, a spent sector gets another, an untouched one decays.

mod support;

use isoshard_world::*;
use support::*;

use BodyPartKind::{Carry, Move, Work};

fn deposits(world: &GameWorld) -> Vec<ObjectRecord> {
    world
        .records()
        .into_iter()
        .filter(|o| matches!(o.kind, ObjectKind::Deposit(_)))
        .collect()
}

fn deposit(rec: &ObjectRecord) -> Deposit {
    match rec.kind {
        ObjectKind::Deposit(d) => d,
        _ => panic!("not a deposit"),
    }
}

#[test]
fn a_sector_gets_a_deposit_in_its_border_highways_and_it_decays_unharvested() {
    let mut world = sector_world_at(0);
    world.tick(&IntentBatch::new());
    let found = deposits(&world);
    assert_eq!(found.len(), 1, "one for the one sector");
    let d = &found[0];
    let room = world.map().get(d.pos.room).clone();
    assert!(
        matches!(room.kind, RoomKind::Highway | RoomKind::Crossroads),
        "{} is a highway",
        room.name
    );
    // On the sector's side of the highway: E10 from the west half, S10 from the north half.
    if room.coord.x == 10 {
        assert!(d.pos.x < 25, "{:?}", d.pos);
    }
    if room.coord.y == 10 {
        assert!(d.pos.y < 25, "{:?}", d.pos);
    }
    let dep = deposit(d);
    assert_eq!(dep.deposit_type, deposit_type_of(7, room.coord));
    assert_eq!(
        (dep.harvested, dep.decay_time),
        (0, u64::from(DEPOSIT_DECAY_TIME))
    );
    let view = world.room_view(&room.name).unwrap();
    let shown = view.objects.iter().find(|o| o.id == d.id.to_js()).unwrap();
    assert_eq!(shown.kind, "deposit");
    assert_eq!(
        shown.deposit_type.as_deref(),
        Some(dep.deposit_type.as_str())
    );
    assert_eq!(shown.last_cooldown, Some(0));
    assert_eq!(shown.ticks_to_decay, Some(DEPOSIT_DECAY_TIME - 1));

    // A fresh deposit gives a throughput of 20: the next passes add none.
    for _ in 0..DEPOSIT_CRON_TICKS {
        world.tick(&IntentBatch::new());
    }
    assert_eq!(deposits(&world).len(), 1);

    let mut snap = world.snapshot();
    snap.time = dep.decay_time - 1;
    let mut world = GameWorld::restore(snap).unwrap();
    world.tick(&IntentBatch::new());
    assert!(world.record(d.id).is_some(), "there until its decay time");
    world.tick(&IntentBatch::new());
    assert!(world.record(d.id).is_none(), "decayed");
}

#[test]
fn a_spent_sector_gets_another_deposit_at_the_next_pass() {
    let mut world = sector_world_at(0);
    world.tick(&IntentBatch::new());
    let first = deposits(&world)[0].clone();
    let mut snap = world.snapshot();
    for o in &mut snap.objects {
        if let ObjectKind::Deposit(d) = &mut o.kind {
            // 20 / (0.001 × 100 000^1.2) = 0.02 < 2.5.
            d.harvested = 100_000;
        }
    }
    snap.time = DEPOSIT_CRON_TICKS;
    let mut world = GameWorld::restore(snap).unwrap();
    world.tick(&IntentBatch::new());
    let now = deposits(&world);
    assert_eq!(now.len(), 2);
    let other = now.iter().find(|d| d.id != first.id).unwrap();
    assert_ne!(other.pos.room, first.pos.room, "a room without one");
}

#[test]
fn harvesting_yields_the_resource_and_lengthens_the_cooldown() {
    let mut s = scenario();
    let ctl = s.neutral_controller();
    let at = s.free_at_range(ctl.pos, 3);
    let id = s.add(
        at,
        None,
        None,
        None,
        ObjectKind::Deposit(Deposit {
            deposit_type: ResourceKind::Mist,
            harvested: 1000,
            decay_time: 100,
        }),
    );
    let miner = s.add_creep(s.free_at_range(at, 1), &[Work, Work, Carry, Move], 0);
    let codes = s.run(vec![Intent::Harvest {
        creep: miner,
        target: id,
    }]);
    assert_eq!(codes, vec![ReturnCode::Ok]);
    assert_eq!(s.amount(miner, ResourceKind::Mist), 2);
    let rec = s.rec(id);
    let d = deposit(&rec);
    assert_eq!(d.harvested, 1002);
    assert_eq!(
        d.decay_time,
        s.world.time() - 1 + u64::from(DEPOSIT_DECAY_TIME)
    );
    // ceil(0.001 × 1002^1.2) = ceil(3.99) = 4, shown one less the next tick.
    assert_eq!(deposit_cooldown(1002), 4);
    assert_eq!(rec.cooldown.map(|c| c.ticks), Some(3));
    let codes = s.run(vec![Intent::Harvest {
        creep: miner,
        target: id,
    }]);
    assert_eq!(codes, vec![ReturnCode::Tired]);
    // cooldownTime = T + 4: T+1 was refused, T+2 and T+3 wait, T+4 harvests.
    for _ in 0..2 {
        s.run(vec![]);
    }
    let codes = s.run(vec![Intent::Harvest {
        creep: miner,
        target: id,
    }]);
    assert_eq!(codes, vec![ReturnCode::Ok], "cooled down");
    assert_eq!(s.amount(miner, ResourceKind::Mist), 4);
}

#[test]
fn a_source_in_a_room_reserved_by_another_cannot_be_harvested() {
    let mut s = scenario();
    let ctl = s.neutral_controller();
    let source = s.find(|o| o.pos.room == ctl.pos.room && matches!(o.kind, ObjectKind::Source(_)));
    let miner = s.add_creep(s.free_at_range(source.pos, 1), &[Work, Carry, Move], 0);
    s.edit_controller(ctl.id, |c| {
        c.reservation = Some(Reservation {
            player: npc::INVADER,
            ticks_to_end: 100,
        });
    });
    let codes = s.run(vec![Intent::Harvest {
        creep: miner,
        target: source.id,
    }]);
    assert_eq!(
        codes,
        vec![ReturnCode::NotOwner],
        "harvest.js: reserved by another"
    );
}
