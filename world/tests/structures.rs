//! Scenario tests for structures beyond the tutorial: links (screeps/engine
//! `processor/intents/links/transfer.js`, `game/structures.js`) and structures switched off
//! past their room's `CONTROLLER_STRUCTURES` limit (`utils.checkStructureAgainstController`).

use isoshard_world::*;

mod support;
use support::*;

use ReturnCode as R;

fn add_link(s: &mut Scenario, owner: PlayerId, pos: Position, energy: u32) -> ObjectId {
    s.add(
        pos,
        Some(owner),
        Some(StructureKind::Link.initial_hits()),
        Some(Store::new(energy, LINK_CAPACITY)),
        ObjectKind::Structure(StructureKind::Link),
    )
}

fn send(link: ObjectId, target: ObjectId, amount: Option<u32>) -> Intent {
    Intent::TransferEnergy {
        link,
        target,
        amount,
    }
}

fn cooldown(s: &Scenario, id: ObjectId) -> u32 {
    s.rec(id).cooldown.map_or(0, |c| c.ticks)
}

#[test]
fn a_link_sends_energy_less_3_percent_and_cools_down_by_distance() {
    let mut s = scenario();
    let me = s.player;
    let ctl = s.controller();
    s.edit_controller(ctl.id, |c| c.level = 5);
    let a_pos = s.free_at_range(ctl.pos, 2);
    let a = add_link(&mut s, me, a_pos, 400);
    let b_pos = s.free_at_range(a_pos, 6);
    let b = add_link(&mut s, me, b_pos, 0);
    let distance = a_pos.range_to(b_pos);
    assert_eq!(s.run(vec![send(a, b, None)]), vec![R::Ok]);
    assert_eq!(s.energy(a), 0);
    assert_eq!(s.energy(b), 400 - 12, "ceil(400 * 0.03) lost");
    assert_eq!(
        cooldown(&s, a),
        distance - 1,
        "one tick per tile, one already passed"
    );
    // Cooling down comes before being empty; then both wait their turn.
    assert_eq!(s.run(vec![send(a, b, None)]), vec![R::Tired]);
    for _ in 0..distance {
        s.run(vec![]);
    }
    assert_eq!(cooldown(&s, a), 0);
    assert_eq!(s.run(vec![send(a, b, None)]), vec![R::NotEnoughResources]);
    assert_eq!(
        s.run(vec![send(b, a, Some(389)), send(b, a, Some(100))]),
        vec![R::NotEnoughResources, R::Ok],
        "the last intent of a link stands"
    );
    assert_eq!(s.energy(a), 97);
}

#[test]
fn link_codes_in_screeps_order() {
    let mut s = scenario();
    let me = s.player;
    let (bob, _) = s.add_rival();
    let ctl = s.controller();
    s.edit_controller(ctl.id, |c| c.level = 5);
    let a_pos = s.free_at_range(ctl.pos, 2);
    let a = add_link(&mut s, me, a_pos, 100);
    let full_pos = s.free_at_range(ctl.pos, 3);
    let full = add_link(&mut s, me, full_pos, LINK_CAPACITY);
    let bobs_pos = s.free_at_range(ctl.pos, 4);
    let bobs = add_link(&mut s, bob, bobs_pos, 0);
    assert_eq!(
        s.run(vec![
            send(a, s.spawn, None),
            send(a, a, None),
            send(a, bobs, None),
            send(s.spawn, a, None),
            send(a, full, None),
        ]),
        vec![
            R::InvalidTarget,
            R::InvalidTarget,
            R::NotOwner,
            R::InvalidArgs,
            R::Ok
        ],
        "into a full link Screeps' default amount is 0, which fits: OK, and nothing moves"
    );
    assert_eq!(s.energy(full), LINK_CAPACITY);
    assert_eq!(
        s.run(vec![send(full, a, Some(LINK_CAPACITY))]),
        vec![R::Full],
        "100 + 800 does not fit"
    );
}

#[test]
fn structures_past_the_rooms_limit_are_off_nearest_the_controller_stay_on() {
    let mut s = scenario();
    let me = s.player;
    let ctl = s.controller();
    s.edit_controller(ctl.id, |c| c.level = 5);
    // RCL 5 allows two links: the one farthest from the controller is off.
    let near = s.free_at_range(ctl.pos, 1);
    let l1 = add_link(&mut s, me, near, 100);
    let mid = s.free_at_range(ctl.pos, 2);
    let l2 = add_link(&mut s, me, mid, 100);
    let far = s.free_at_range(ctl.pos, 5);
    let l3 = add_link(&mut s, me, far, 100);
    assert_eq!(s.run(vec![send(l3, l1, Some(10))]), vec![R::RclNotEnough]);
    assert_eq!(s.run(vec![send(l1, l3, Some(10))]), vec![R::Ok]);
    // At RCL 4 no link works.
    s.edit_controller(ctl.id, |c| c.level = 4);
    assert_eq!(s.run(vec![send(l2, l1, Some(10))]), vec![R::RclNotEnough]);
    // A second spawn at RCL 1 is off (one spawn allowed); the first still spawns.
    s.edit_controller(ctl.id, |c| c.level = 1);
    let spawn_pos = s.rec(s.spawn).pos;
    let other = s.free_at_range(ctl.pos, spawn_pos.range_to(ctl.pos) as i32 + 3);
    let second = s.add(
        other,
        Some(me),
        Some(StructureKind::Spawn.initial_hits()),
        Some(Store::new(300, SPAWN_ENERGY_CAPACITY)),
        ObjectKind::Spawn(StructureSpawn {
            name: "Spawn2".into(),
            spawning: None,
        }),
    );
    let spawn = |spawn, name: &str| Intent::SpawnCreep {
        spawn,
        body: vec![BodyPartKind::Move],
        name: name.into(),
    };
    assert_eq!(
        s.run(vec![spawn(second, "b"), spawn(s.spawn, "a")]),
        vec![R::RclNotEnough, R::Ok]
    );
}
