//! Power banks (screeps/backend-local `genPowerBanks`, screeps/engine `_damage.js`,
//! `processor.js`, `ruins/tick.js`): highway rooms get them on their schedule, attackers take
//! half the damage back, a destroyed bank's power falls to the ground, an untouched one decays.

mod support;

use isoshard_world::*;
use support::*;

use BodyPartKind::{Attack, Carry, Move, RangedAttack};

fn banks(world: &GameWorld) -> Vec<ObjectRecord> {
    world
        .records()
        .into_iter()
        .filter(|o| matches!(o.kind, ObjectKind::PowerBank(_)))
        .collect()
}

#[test]
fn a_highway_rooms_banks_come_every_three_quarters_to_five_quarters_of_the_respawn_time() {
    let coord = RoomCoord { x: 10, y: 3 };
    let spawns: Vec<PowerBankSpawn> = power_bank_spawns(7, coord).take(200).collect();
    let mut last = 0;
    let mut crits = 0;
    for s in &spawns {
        let gap = s.tick - last;
        assert!((37_500..=62_500).contains(&gap), "respawn {gap}");
        last = s.tick;
        let base = if s.power > POWER_BANK_CAPACITY_MAX {
            crits += 1;
            s.power - POWER_BANK_CAPACITY_MAX
        } else {
            s.power
        };
        assert!((POWER_BANK_CAPACITY_MIN..POWER_BANK_CAPACITY_MAX).contains(&base));
    }
    assert!(
        (30..=90).contains(&crits),
        "about 30 % crits: {crits} of 200"
    );
    let again: Vec<PowerBankSpawn> = power_bank_spawns(7, coord).take(200).collect();
    assert_eq!(spawns, again, "a pure function of the seed and the room");
}

#[test]
fn a_bank_appears_on_a_highway_wall_when_due_and_decays_after_5000_ticks() {
    let world = sector_world_at(0);
    let room = world
        .map()
        .rooms
        .iter()
        .find(|r| r.kind == RoomKind::Highway)
        .unwrap()
        .clone();
    let first = power_bank_spawns(7, room.coord).next().unwrap();
    let mut world = sector_world_at(first.tick);
    world.tick(&IntentBatch::new());
    let here: Vec<ObjectRecord> = banks(&world)
        .into_iter()
        .filter(|b| b.pos.room == room.id)
        .collect();
    assert_eq!(here.len(), 1, "one bank in {} at {}", room.name, first.tick);
    let bank = &here[0];
    // Banks stand in walls, where the highway has any (this world's highways are open).
    let map = world.map();
    let walls =
        (5u8..45).any(|x| (5u8..45).any(|y| map.tile(Position::new(room.id, x, y)) == Tile::Wall));
    assert_eq!(map.tile(bank.pos) == Tile::Wall, walls, "{walls}");
    assert!((5..45).contains(&bank.pos.x) && (5..45).contains(&bank.pos.y));
    assert_eq!(bank.owner, None);
    assert_eq!(bank.hits.unwrap().hits, POWER_BANK_HITS);
    assert_eq!(
        bank.store.as_ref().unwrap().get(ResourceKind::Power),
        first.power
    );
    let ObjectKind::PowerBank(b) = bank.kind else {
        unreachable!()
    };
    assert_eq!(b.decay_time, first.tick + u64::from(POWER_BANK_DECAY));
    let view = world.room_view(&room.name).unwrap();
    let shown = view
        .objects
        .iter()
        .find(|o| o.id == bank.id.to_js())
        .unwrap();
    assert_eq!(shown.kind, "powerBank");
    assert_eq!(shown.ticks_to_decay, Some(POWER_BANK_DECAY - 1));

    // processor.js removes it while processing `decayTime - 1`.
    let mut snap = world.snapshot();
    snap.time = b.decay_time - 2;
    let mut world = GameWorld::restore(snap).unwrap();
    world.tick(&IntentBatch::new());
    assert!(
        world.record(bank.id).is_some(),
        "shown with 1 tick to decay"
    );
    world.tick(&IntentBatch::new());
    assert!(world.record(bank.id).is_none(), "decayed");
    assert!(
        !world
            .records()
            .iter()
            .any(|o| matches!(&o.kind, ObjectKind::Ruin(r) if r.structure == bank.id)),
        "a decayed bank leaves nothing"
    );
}

fn add_bank(s: &mut Scenario, power: u32, hits: u32) -> ObjectId {
    let ctl = s.neutral_controller();
    let at = s.free_at_range(ctl.pos, 3);
    let mut store = Store::empty(StoreLimit::Unlimited);
    store.add(ResourceKind::Power, power);
    s.add(
        at,
        None,
        Some(Hits {
            hits,
            max: POWER_BANK_HITS,
        }),
        Some(store),
        ObjectKind::PowerBank(PowerBank {
            decay_time: s.world.time() + 5000,
        }),
    )
}

fn hits(s: &Scenario, id: ObjectId) -> u32 {
    s.rec(id).hits.unwrap().hits
}

#[test]
fn attackers_take_half_their_damage_back_melee_ranged_and_mass() {
    let mut s = scenario();
    let bank = add_bank(&mut s, 1000, POWER_BANK_HITS);
    let at = s.rec(bank).pos;
    let melee = s.add_creep(s.free_at_range(at, 1), &[Attack, Attack, Move], 0);
    let ranged = s.add_creep(
        s.free_at_range(at, 3),
        &[RangedAttack, RangedAttack, Move],
        0,
    );
    let codes = s.run(vec![
        Intent::Attack {
            creep: melee,
            target: bank,
        },
        Intent::RangedAttack {
            creep: ranged,
            target: bank,
        },
    ]);
    assert_eq!(codes, vec![ReturnCode::Ok, ReturnCode::Ok]);
    assert_eq!(hits(&s, bank), POWER_BANK_HITS - 60 - 20);
    assert_eq!(hits(&s, melee), 300 - 30, "half of 60 back");
    assert_eq!(hits(&s, ranged), 300 - 10, "half of 20 back");
    let codes = s.run(vec![Intent::RangedMassAttack { creep: ranged }]);
    assert_eq!(codes, vec![ReturnCode::Ok]);
    // rangedMassAttack.js hits power banks though they have no owner: 20 at range 3 is 2.
    assert_eq!(hits(&s, bank), POWER_BANK_HITS - 80 - 2);
    assert_eq!(hits(&s, ranged), 290 - 1);
}

#[test]
fn a_destroyed_bank_drops_its_power_after_ten_ticks_and_cannot_be_withdrawn_from() {
    let mut s = scenario();
    let bank = add_bank(&mut s, 2345, 60);
    let at = s.rec(bank).pos;
    let hauler = s.add_creep(s.free_at_range(at, 1), &[Carry, Move], 0);
    let codes = s.run(vec![Intent::Withdraw {
        creep: hauler,
        target: bank,
        resource: ResourceKind::Power,
        amount: None,
    }]);
    assert_eq!(codes, vec![ReturnCode::InvalidTarget]);
    let fighter = s.add_creep(s.free_at_range(at, 1), &[Attack, Attack, Move], 0);
    s.run(vec![Intent::Attack {
        creep: fighter,
        target: bank,
    }]);
    assert!(s.world.record(bank).is_none(), "60 damage destroys it");
    let ruin = s.find(|o| matches!(&o.kind, ObjectKind::Ruin(r) if r.structure == bank));
    assert_eq!(ruin.store.as_ref().unwrap().get(ResourceKind::Power), 2345);
    let ObjectKind::Ruin(r) = &ruin.kind else {
        unreachable!()
    };
    assert_eq!(r.ticks_to_decay, RUIN_DECAY_POWER_BANK);
    for _ in 0..RUIN_DECAY_POWER_BANK {
        s.run(vec![]);
    }
    assert!(s.world.record(ruin.id).is_none(), "the ruin is gone");
    let pile = s.find(|o| o.pos == at && matches!(o.kind, ObjectKind::Resource));
    let dropped = pile.store.as_ref().unwrap().get(ResourceKind::Power);
    assert!(
        dropped > 2300 && dropped <= 2345,
        "the power lies on the ground, a tick's decay off: {dropped}"
    );
}
