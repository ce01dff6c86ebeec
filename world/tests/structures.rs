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
        Some(Store::energy_only(energy, LINK_CAPACITY)),
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

/// A scenario whose room is at RCL 5 (two links allowed) and a link of ours 2 tiles from
/// the controller, holding `energy`.
fn room_with_a_link(energy: u32) -> (Scenario, ObjectId, Position) {
    let mut s = scenario();
    let ctl = s.controller();
    s.edit_controller(ctl.id, |c| c.level = 5);
    let pos = s.free_at_range(ctl.pos, 2);
    let me = s.player;
    let link = add_link(&mut s, me, pos, energy);
    (s, link, pos)
}

fn cooldown(s: &Scenario, id: ObjectId) -> u32 {
    s.rec(id).cooldown.map_or(0, |c| c.ticks)
}

#[test]
fn a_link_sends_energy_less_3_percent_and_cools_down_by_distance() {
    let (mut s, a, a_pos) = room_with_a_link(400);
    let me = s.player;
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
        Some(Store::energy_only(300, SPAWN_ENERGY_CAPACITY)),
        ObjectKind::Spawn(StructureSpawn {
            name: "Spawn2".into(),
            spawning: None,
        }),
    );
    let spawn = |spawn, name: &str| Intent::SpawnCreep {
        spawn,
        body: vec![BodyPartKind::Move],
        name: name.into(),
        energy_structures: None,
    };
    assert_eq!(
        s.run(vec![spawn(second, "b"), spawn(s.spawn, "a")]),
        vec![R::RclNotEnough, R::Ok]
    );
}

fn add_rampart(s: &mut Scenario, owner: PlayerId, pos: Position, hits: u32) -> ObjectId {
    s.add(
        pos,
        Some(owner),
        Some(Hits {
            hits,
            max: RAMPART_HITS_MAX[2],
        }),
        None,
        ObjectKind::Rampart(Rampart { is_public: false }),
    )
}

fn step_to(from: Position, to: Position) -> u8 {
    Direction::ALL
        .iter()
        .find(|d| from.step(**d) == Some(to))
        .map(|d| *d as u8)
        .expect("adjacent")
}

#[test]
fn a_private_rampart_stops_other_players_creeps_until_made_public() {
    let mut s = scenario();
    let me = s.player;
    let (bob, _) = s.add_rival();
    let ctl = s.controller();
    s.edit_controller(ctl.id, |c| c.level = 2);
    let spot = s.free_at_range(ctl.pos, 4);
    let rampart = add_rampart(&mut s, me, spot, 5000);
    let bob_from = s.free_at_range(spot, 1);
    let intruder = s.add_creep_for(bob, bob_from, &[BodyPartKind::Move], 0);
    let dir = step_to(bob_from, spot);
    s.run_as(
        bob,
        vec![Intent::Move {
            creep: intruder,
            direction: dir,
        }],
    );
    assert_eq!(
        s.rec(intruder).pos,
        bob_from,
        "a private rampart is a wall to others"
    );
    assert_eq!(
        s.run_as(
            bob,
            vec![Intent::SetPublic {
                rampart,
                is_public: true
            }]
        ),
        vec![R::NotOwner]
    );
    assert_eq!(
        s.run(vec![
            Intent::SetPublic {
                rampart,
                is_public: true
            },
            Intent::SetPublic {
                rampart: s.spawn,
                is_public: true
            },
        ]),
        vec![R::Ok, R::InvalidArgs]
    );
    s.run_as(
        bob,
        vec![Intent::Move {
            creep: intruder,
            direction: dir,
        }],
    );
    assert_eq!(s.rec(intruder).pos, spot, "a public one lets everyone in");
    assert!(matches!(
        s.rec(rampart).kind,
        ObjectKind::Rampart(Rampart { is_public: true })
    ));
}

#[test]
fn attacks_on_what_a_rampart_covers_hit_the_rampart_and_melee_hits_back() {
    use BodyPartKind::*;
    let mut s = scenario();
    let me = s.player;
    let (bob, _) = s.add_rival();
    let ctl = s.controller();
    s.edit_controller(ctl.id, |c| {
        c.level = 2;
        c.safe_mode = 0;
    });
    let spot = s.free_at_range(ctl.pos, 4);
    let rampart = add_rampart(&mut s, me, spot, 5000);
    let guard = s.add_creep(spot, &[Attack, Attack, Move], 0);
    let raider = s.add_creep_for(bob, s.free_at_range(spot, 1), &[Attack, Tough, Move], 0);
    let attack = Intent::Attack {
        creep: raider,
        target: guard,
    };
    assert_eq!(s.run_as(bob, vec![attack.clone()]), vec![R::Ok]);
    assert_eq!(s.rec(rampart).hits.unwrap().hits, 5000 - ATTACK_POWER);
    assert_eq!(s.rec(guard).hits.unwrap().hits, 300, "the rampart took it");
    assert_eq!(
        s.rec(raider).hits.unwrap().hits,
        300,
        "no hit back through a rampart"
    );
    // In the open, a creep with ATTACK parts hits back: 2 × 30 to the raider.
    let open = s.free_at_range(ctl.pos, 6);
    let victim = s.add_creep(open, &[Attack, Attack, Move], 0);
    let brawler = s.add_creep_for(bob, s.free_at_range(open, 1), &[Attack, Tough, Move], 0);
    s.run_as(
        bob,
        vec![Intent::Attack {
            creep: brawler,
            target: victim,
        }],
    );
    assert_eq!(s.rec(victim).hits.unwrap().hits, 300 - ATTACK_POWER);
    assert_eq!(s.rec(brawler).hits.unwrap().hits, 300 - 2 * ATTACK_POWER);
    // Withdrawing from what another player's private rampart covers is refused.
    let spawn_pos = s.rec(s.spawn).pos;
    add_rampart(&mut s, me, spawn_pos, 5000);
    let thief = s.add_creep_for(bob, s.free_at_range(spawn_pos, 1), &[Carry, Move], 0);
    assert_eq!(
        s.run_as(
            bob,
            vec![Intent::Withdraw {
                creep: thief,
                target: s.spawn,
                resource: ResourceKind::Energy,
                amount: None
            }]
        ),
        vec![R::NotOwner]
    );
}

#[test]
fn ramparts_decay_and_their_maximum_follows_the_owners_level() {
    let mut s = scenario();
    let me = s.player;
    let ctl = s.controller();
    s.edit_controller(ctl.id, |c| c.level = 3);
    let spot = s.free_at_range(ctl.pos, 4);
    let rampart = add_rampart(&mut s, me, spot, 1000);
    s.run(vec![]);
    let h = s.rec(rampart).hits.unwrap();
    assert_eq!(h.max, RAMPART_HITS_MAX[3]);
    s.edit(|snap| {
        let r = snap.objects.iter_mut().find(|o| o.id == rampart).unwrap();
        r.decay = Some(Decay { ticks: 1 });
    });
    s.run(vec![]);
    let r = s.rec(rampart);
    assert_eq!(r.hits.unwrap().hits, 1000 - RAMPART_DECAY_AMOUNT);
    assert_eq!(r.decay.unwrap().ticks, RAMPART_DECAY_TIME);
    // Out of its owner's hands the maximum is 0, and the rampart still decays to nothing.
    s.world = {
        let mut snap = s.world.snapshot();
        for o in &mut snap.objects {
            if o.id == ctl.id {
                o.owner = None;
                o.kind = ObjectKind::Controller(Controller::neutral());
            }
            if o.id == rampart {
                o.hits = Some(Hits { hits: 200, max: 0 });
                o.decay = Some(Decay { ticks: 1 });
            }
        }
        GameWorld::restore(snap).unwrap()
    };
    s.run(vec![]);
    assert!(s.world.record(rampart).is_none(), "gone at 0 hits");
}

/// `spawns/_charge-energy.js` skips structures that are `off`: an extension the room's level
/// does not allow holds energy nobody can spawn with; spawning takes the spawn's energy
/// first, then the nearest extensions.
#[test]
fn a_switched_off_extension_does_not_pay_for_a_creep() {
    let mut s = scenario();
    let ctl = s.controller();
    s.edit_controller(ctl.id, |c| c.level = 1);
    let spawn_pos = s.rec(s.spawn).pos;
    let spawn_energy = s.energy(s.spawn);
    let spawn_id = s.spawn;
    s.edit(|snap| {
        if let Some(store) = snap
            .objects
            .iter_mut()
            .find(|o| o.id == spawn_id)
            .and_then(|o| o.store.as_mut())
        {
            store.take(ResourceKind::Energy, spawn_energy);
        }
    });
    let near = s.free_at_range(spawn_pos, 2);
    let far = s.free_at_range(spawn_pos, 4);
    let limit = StoreLimit::Energy(EXTENSION_ENERGY_CAPACITY[2]);
    let near_ext = s.add_store(near, Some(s.player), StructureKind::Extension, limit);
    let far_ext = s.add_store(far, Some(s.player), StructureKind::Extension, limit);
    s.give(near_ext, ResourceKind::Energy, 50);
    s.give(far_ext, ResourceKind::Energy, 50);
    let spawn = |name: &str| Intent::SpawnCreep {
        spawn: spawn_id,
        body: vec![BodyPartKind::Move],
        name: name.into(),
        energy_structures: None,
    };
    // RCL 1 allows no extension: both are off.
    assert_eq!(s.run(vec![spawn("a")]), vec![R::NotEnoughResources]);
    s.edit_controller(ctl.id, |c| c.level = 2);
    assert_eq!(s.run(vec![spawn("b")]), vec![R::Ok]);
    // The spawn regenerated a little since; the rest came from the nearest extension.
    assert!(s.energy(near_ext) < 50, "the nearest extension pays");
    assert_eq!(s.energy(far_ext), 50);
}

/// `spawnCreep`'s `energyStructures` (`newEnergyHandling`): the energy comes from the listed
/// structures in their order; listing too little is `ERR_NOT_ENOUGH_ENERGY`.
#[test]
fn energy_structures_say_where_a_creeps_energy_comes_from() {
    let mut s = scenario();
    let ctl = s.controller();
    s.edit_controller(ctl.id, |c| c.level = 2);
    let spawn_pos = s.rec(s.spawn).pos;
    let spawn_id = s.spawn;
    let limit = StoreLimit::Energy(EXTENSION_ENERGY_CAPACITY[2]);
    let near = s.add_store(
        s.free_at_range(spawn_pos, 2),
        Some(s.player),
        StructureKind::Extension,
        limit,
    );
    let far = s.add_store(
        s.free_at_range(spawn_pos, 4),
        Some(s.player),
        StructureKind::Extension,
        limit,
    );
    s.give(near, ResourceKind::Energy, 50);
    s.give(far, ResourceKind::Energy, 50);
    let spawn = |name: &str, from: Vec<ObjectId>| Intent::SpawnCreep {
        spawn: spawn_id,
        body: vec![BodyPartKind::Move, BodyPartKind::Move],
        name: name.into(),
        energy_structures: Some(from),
    };
    // 100 energy asked; the far extension alone (listed twice) holds 50.
    assert_eq!(
        s.run(vec![spawn("a", vec![far, far])]),
        vec![R::NotEnoughResources]
    );
    let spawn_before = s.energy(spawn_id);
    assert_eq!(s.run(vec![spawn("b", vec![far, near])]), vec![R::Ok]);
    assert_eq!(
        (s.energy(far), s.energy(near)),
        (0, 0),
        "the listed ones paid"
    );
    assert!(
        s.energy(spawn_id) >= spawn_before,
        "the unlisted spawn kept its energy"
    );
}

/// A cooldown that runs out removes its component and changes nothing else of the link: the
/// tick's incremental hash must still see it (`Scenario::run` compares it with the hash
/// encoded from scratch).
#[test]
fn a_cooldown_running_out_changes_the_hash_like_any_other_change() {
    let (mut s, link, _) = room_with_a_link(0);
    s.edit(|snap| {
        let rec = snap.objects.iter_mut().find(|o| o.id == link).unwrap();
        rec.cooldown = Some(Cooldown { ticks: 3 });
    });
    for left in [2, 1, 0] {
        s.run(vec![]);
        assert_eq!(cooldown(&s, link), left);
    }
    s.run(vec![]);
}
