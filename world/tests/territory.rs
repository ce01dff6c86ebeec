//! Scenario tests for territory: GCL, claiming, reserving, attacking and signing controllers,
//! unclaiming, safe mode, RCL 8's upgrade cap and losing a room to downgrade. Each rule's
//! success and its error codes, in Screeps' check order (screeps/engine `game/creeps.js`,
//! `game/structures.js`, `processor/intents/controllers/*.js`).

use isoshard_world::*;

mod support;
use support::*;

use BodyPartKind::*;
use ReturnCode as R;

fn claim(creep: ObjectId, target: ObjectId) -> Intent {
    Intent::ClaimController { creep, target }
}

fn reserve(creep: ObjectId, target: ObjectId) -> Intent {
    Intent::ReserveController { creep, target }
}

fn attack_controller(creep: ObjectId, target: ObjectId) -> Intent {
    Intent::AttackController { creep, target }
}

fn source_in(s: &Scenario, room: RoomId) -> ObjectRecord {
    s.find(|o| o.pos.room == room && matches!(o.kind, ObjectKind::Source(_)))
}

#[test]
fn claim_needs_the_gcl_for_one_more_room_then_owns_it_at_level_one() {
    let mut s = scenario();
    let target = s.neutral_controller();
    let claimer = s.add_creep(s.free_at_range(target.pos, 1), &[Claim, Move], 0);
    let no_claim = s.add_creep(s.free_at_range(target.pos, 1), &[Move], 0);
    let far = s.add_creep(s.free_at_range(target.pos, 2), &[Claim, Move], 0);
    let source = source_in(&s, target.pos.room).id;
    // One room owned and no GCL points: GCL is checked before anything else.
    assert_eq!(
        s.run(vec![claim(claimer, target.id), claim(no_claim, target.id)]),
        vec![R::GclNotEnough, R::GclNotEnough]
    );
    s.edit(|snap| snap.players[0].gcl = gcl_needed(2));
    assert_eq!(
        s.run(vec![
            claim(no_claim, target.id),
            claim(far, target.id),
            claim(claimer, source),
            claim(claimer, s.spawn),
        ]),
        vec![
            R::NoBodypart,
            R::NotInRange,
            R::InvalidTarget,
            R::NotInRange
        ]
    );
    // GCL 2 allows two rooms: the first claim of the tick takes the second slot.
    let home_ctl = s.controller().id;
    assert_eq!(
        s.run(vec![claim(claimer, target.id), claim(far, home_ctl)]),
        vec![R::Ok, R::GclNotEnough]
    );
    let rec = s.rec(target.id);
    assert_eq!(rec.owner, Some(s.player));
    let c = s.controller_state(target.id);
    assert_eq!(
        (c.level, c.ticks_to_downgrade),
        (1, CONTROLLER_DOWNGRADE[1])
    );
    // An owned controller cannot be claimed again.
    s.edit(|snap| snap.players[0].gcl = gcl_needed(3));
    assert_eq!(
        s.run(vec![claim(claimer, target.id)]),
        vec![R::InvalidTarget]
    );
}

#[test]
fn gcl_level_follows_upgraded_energy() {
    let mut s = scenario();
    let ctl = s.controller();
    let up = s.add_creep(
        s.free_at_range(ctl.pos, 2),
        &[Work, Work, Work, Carry, Move],
        50,
    );
    s.run(vec![Intent::UpgradeController {
        creep: up,
        target: ctl.id,
    }]);
    assert_eq!(s.gcl(), 3);
    assert_eq!(gcl_level(s.gcl()), 1);
    assert_eq!(gcl_level(gcl_needed(2)), 2);
}

#[test]
fn reservation_grows_per_claim_part_caps_at_5000_expires_and_raises_sources() {
    let mut s = scenario();
    let target = s.neutral_controller();
    let room = target.pos.room;
    let reserver = s.add_creep(s.free_at_range(target.pos, 1), &[Claim, Claim, Move], 0);
    assert_eq!(
        source_in(&s, room).kind,
        ObjectKind::Source(Source {
            energy: SOURCE_ENERGY_NEUTRAL_CAPACITY,
            capacity: SOURCE_ENERGY_NEUTRAL_CAPACITY,
            ticks_to_regeneration: None,
            invader_harvested: 0,
        })
    );
    assert_eq!(s.run(vec![reserve(reserver, target.id)]), vec![R::Ok]);
    // Screeps starts a reservation at endTime = now + 1 and adds one tick per CLAIM part.
    let r = s.controller_state(target.id).reservation.unwrap();
    assert_eq!((r.player, r.ticks_to_end), (s.player, 2));
    assert!(matches!(source_in(&s, room).kind,
        ObjectKind::Source(src) if src.capacity == SOURCE_ENERGY_CAPACITY));
    s.run(vec![reserve(reserver, target.id)]);
    assert_eq!(
        s.controller_state(target.id)
            .reservation
            .unwrap()
            .ticks_to_end,
        3
    );
    // Past CONTROLLER_RESERVE_MAX the intent is accepted and does nothing.
    s.edit_controller(target.id, |c| {
        c.reservation.as_mut().unwrap().ticks_to_end = CONTROLLER_RESERVE_MAX - 1
    });
    assert_eq!(s.run(vec![reserve(reserver, target.id)]), vec![R::Ok]);
    assert_eq!(
        s.controller_state(target.id)
            .reservation
            .unwrap()
            .ticks_to_end,
        CONTROLLER_RESERVE_MAX - 2
    );
    // Left alone, it runs out, and the room's sources fall back to the neutral capacity.
    s.edit_controller(target.id, |c| {
        c.reservation.as_mut().unwrap().ticks_to_end = 2
    });
    s.run(vec![]);
    assert!(s.controller_state(target.id).reservation.is_some());
    s.run(vec![]);
    assert!(s.controller_state(target.id).reservation.is_none());
    s.run(vec![]);
    assert!(matches!(source_in(&s, room).kind,
        ObjectKind::Source(src) if src.capacity == SOURCE_ENERGY_NEUTRAL_CAPACITY
            && src.energy <= SOURCE_ENERGY_NEUTRAL_CAPACITY));
}

#[test]
fn a_rivals_reservation_blocks_reserve_and_claim_and_owned_controllers_refuse_reserve() {
    let mut s = scenario();
    let (bob, bob_ctl) = s.add_rival();
    let target = s.neutral_controller();
    let mine = s.add_creep(s.free_at_range(target.pos, 1), &[Claim, Move], 0);
    let bobs = s.add_creep_for(bob, s.free_at_range(target.pos, 1), &[Claim, Move], 0);
    assert_eq!(s.run_as(bob, vec![reserve(bobs, target.id)]), vec![R::Ok]);
    s.edit(|snap| snap.players[0].gcl = gcl_needed(2));
    assert_eq!(
        s.run(vec![reserve(mine, target.id), claim(mine, target.id)]),
        vec![R::InvalidTarget, R::InvalidTarget]
    );
    let near_bob = s.add_creep(s.free_at_range(bob_ctl.pos, 1), &[Claim, Move], 0);
    assert_eq!(
        s.run(vec![reserve(near_bob, bob_ctl.id)]),
        vec![R::InvalidTarget]
    );
    assert_eq!(
        s.run(vec![reserve(mine, s.spawn)]),
        vec![R::NotInRange],
        "range comes before the controller check"
    );
}

#[test]
fn attack_controller_cuts_downgrade_and_reservations_and_blocks_upgrades() {
    let mut s = scenario();
    let (bob, bob_ctl) = s.add_rival();
    let raider = s.add_creep(s.free_at_range(bob_ctl.pos, 1), &[Claim, Claim, Move], 0);
    let far = s.add_creep(s.free_at_range(bob_ctl.pos, 2), &[Claim, Move], 0);
    let unarmed = s.add_creep(s.free_at_range(bob_ctl.pos, 2), &[Move], 0);
    // A new colony starts in safe mode: there, attackController answers ERR_NO_BODYPART.
    assert_eq!(
        s.run(vec![
            attack_controller(unarmed, bob_ctl.id),
            attack_controller(far, bob_ctl.id),
            attack_controller(raider, bob_ctl.id),
            attack_controller(raider, s.spawn),
        ]),
        vec![
            R::NoBodypart,
            R::NotInRange,
            R::NoBodypart,
            R::InvalidTarget
        ]
    );
    s.edit_controller(bob_ctl.id, |c| c.safe_mode = 0);
    let before = s.controller_state(bob_ctl.id).ticks_to_downgrade;
    assert_eq!(
        s.run(vec![attack_controller(raider, bob_ctl.id)]),
        vec![R::Ok]
    );
    let c = s.controller_state(bob_ctl.id);
    assert_eq!(
        c.ticks_to_downgrade,
        before - 2 * CONTROLLER_CLAIM_DOWNGRADE - 1
    );
    assert_eq!(c.upgrade_blocked, CONTROLLER_ATTACK_BLOCKED_UPGRADE);
    assert_eq!(
        s.run(vec![attack_controller(raider, bob_ctl.id)]),
        vec![R::Tired]
    );
    // Bob may not upgrade while blocked.
    let bob_up = s.add_creep_for(
        bob,
        s.free_at_range(bob_ctl.pos, 2),
        &[Work, Carry, Move],
        50,
    );
    assert_eq!(
        s.run_as(
            bob,
            vec![Intent::UpgradeController {
                creep: bob_up,
                target: bob_ctl.id
            }]
        ),
        vec![R::InvalidTarget]
    );
    // A neutral controller has nothing to attack; a reserved one loses reservation time.
    let neutral = s.neutral_controller();
    let near = s.add_creep(s.free_at_range(neutral.pos, 1), &[Claim, Move], 0);
    assert_eq!(
        s.run(vec![attack_controller(near, neutral.id)]),
        vec![R::InvalidTarget]
    );
    s.edit_controller(neutral.id, |c| {
        c.reservation = Some(Reservation {
            player: bob,
            ticks_to_end: 100,
        })
    });
    assert_eq!(
        s.run(vec![attack_controller(near, neutral.id)]),
        vec![R::Ok]
    );
    assert_eq!(
        s.controller_state(neutral.id)
            .reservation
            .unwrap()
            .ticks_to_end,
        100 - CONTROLLER_RESERVE - 1
    );
}

#[test]
fn safe_mode_activation_codes_and_what_it_forbids_hostiles() {
    let mut s = scenario();
    let (bob, _) = s.add_rival();
    let ctl = s.controller().id;
    let start = s.controller_state(ctl);
    assert!(start.safe_mode > 0, "a new colony starts in safe mode");
    // Bob's creeps in Alice's safe-moded room cannot attack, heal or withdraw.
    let spawn_pos = s.rec(s.spawn).pos;
    let alices = s.add_creep(s.free_at_range(spawn_pos, 3), &[Move], 0);
    let alice_pos = s.rec(alices).pos;
    let fighter = s.add_creep_for(
        bob,
        s.free_at_range(alice_pos, 1),
        &[Attack, Heal, Carry, Move],
        0,
    );
    let thief = s.add_creep_for(bob, s.free_at_range(spawn_pos, 1), &[Carry, Move], 0);
    assert_eq!(
        s.run_as(
            bob,
            vec![
                Intent::Attack {
                    creep: fighter,
                    target: alices
                },
                Intent::Heal {
                    creep: fighter,
                    target: fighter
                },
                Intent::Withdraw {
                    creep: thief,
                    target: s.spawn,
                    resource: ResourceKind::Energy,
                    amount: None
                },
                Intent::ActivateSafeMode { controller: ctl },
            ]
        ),
        vec![R::NoBodypart, R::NoBodypart, R::NotOwner, R::NotOwner]
    );
    // Alice: none in store, then busy (one safe mode at a time), then on.
    let activate = Intent::ActivateSafeMode { controller: ctl };
    assert_eq!(s.run(vec![activate.clone()]), vec![R::NotEnoughResources]);
    s.edit_controller(ctl, |c| c.safe_mode_available = 2);
    assert_eq!(s.run(vec![activate.clone()]), vec![R::Busy]);
    s.edit_controller(ctl, |c| c.safe_mode = 0);
    assert_eq!(s.run(vec![activate.clone()]), vec![R::Ok]);
    let c = s.controller_state(ctl);
    assert_eq!(
        (c.safe_mode, c.safe_mode_available, c.safe_mode_cooldown),
        (SAFE_MODE_DURATION, 1, SAFE_MODE_COOLDOWN)
    );
    // The cooldown, a blocked controller and a low downgrade timer all answer ERR_TIRED.
    s.edit_controller(ctl, |c| c.safe_mode = 0);
    assert_eq!(s.run(vec![activate.clone()]), vec![R::Tired]);
    s.edit_controller(ctl, |c| {
        c.safe_mode_cooldown = 0;
        c.ticks_to_downgrade =
            CONTROLLER_DOWNGRADE[1] / 2 - CONTROLLER_DOWNGRADE_SAFEMODE_THRESHOLD - 1;
    });
    assert_eq!(s.run(vec![activate.clone()]), vec![R::Tired]);
    // Out of safe mode, Bob's attack lands.
    let hits = s.rec(alices).hits.unwrap().hits;
    s.run_as(
        bob,
        vec![Intent::Attack {
            creep: fighter,
            target: alices,
        }],
    );
    assert_eq!(s.rec(alices).hits.unwrap().hits, hits - ATTACK_POWER);
}

#[test]
fn unclaim_gives_the_room_up_and_keeps_the_sign() {
    let mut s = scenario();
    let ctl = s.controller();
    let signer = s.add_creep(s.free_at_range(ctl.pos, 1), &[Move], 0);
    let long = "x".repeat(150);
    assert_eq!(
        s.run(vec![Intent::SignController {
            creep: signer,
            target: ctl.id,
            text: long
        }]),
        vec![R::Ok]
    );
    let sign = s.controller_state(ctl.id).sign.unwrap();
    assert_eq!((sign.player, sign.text.len()), (s.player, 100));
    let neutral = s.neutral_controller();
    assert_eq!(
        s.run(vec![
            Intent::Unclaim {
                controller: neutral.id
            },
            Intent::Unclaim {
                controller: s.spawn
            },
            Intent::Unclaim { controller: ctl.id },
        ]),
        vec![R::NotOwner, R::InvalidArgs, R::Ok]
    );
    let rec = s.rec(ctl.id);
    assert_eq!(rec.owner, None);
    let c = s.controller_state(ctl.id);
    assert_eq!(
        (c.level, c.safe_mode, c.safe_mode_cooldown),
        (0, 0, SAFE_MODE_COOLDOWN - 1)
    );
    assert!(c.sign.is_some());
    // Signing with an empty text removes the sign; a spawn is not a controller.
    let spawn_pos = s.rec(s.spawn).pos;
    let by_spawn = s.add_creep(s.free_at_range(spawn_pos, 1), &[Move], 0);
    assert_eq!(
        s.run(vec![
            Intent::SignController {
                creep: signer,
                target: ctl.id,
                text: String::new()
            },
            Intent::SignController {
                creep: by_spawn,
                target: s.spawn,
                text: "hi".into()
            },
        ]),
        vec![R::Ok, R::InvalidTarget]
    );
    assert!(s.controller_state(ctl.id).sign.is_none());
}

#[test]
fn rcl8_takes_at_most_15_energy_a_tick_and_all_of_it_counts_for_gcl() {
    let mut s = scenario();
    let ctl = s.controller();
    s.edit_controller(ctl.id, |c| c.level = 8);
    let mut body = vec![Work; 10];
    body.extend([Carry, Move]);
    let a = s.add_creep(s.free_at_range(ctl.pos, 1), &body, 50);
    let b = s.add_creep(s.free_at_range(ctl.pos, 2), &body, 50);
    let up = |creep| Intent::UpgradeController {
        creep,
        target: ctl.id,
    };
    assert_eq!(s.run(vec![up(a), up(b)]), vec![R::Ok, R::Ok]);
    let spent = (50 - s.energy(a)) + (50 - s.energy(b));
    assert_eq!(spent, CONTROLLER_MAX_UPGRADE_PER_TICK);
    assert_eq!(s.gcl(), u64::from(CONTROLLER_MAX_UPGRADE_PER_TICK));
    assert_eq!(s.controller_state(ctl.id).progress, 0);
}

#[test]
fn a_controller_downgraded_past_level_one_loses_its_owner() {
    let mut s = scenario();
    let ctl = s.controller().id;
    s.edit_controller(ctl, |c| c.ticks_to_downgrade = 1);
    s.run(vec![]);
    assert_eq!(s.rec(ctl).owner, None);
    let c = s.controller_state(ctl);
    assert_eq!((c.level, c.progress), (0, 0));
    // The spawn stays, but it is no longer in an owned room: it cannot spawn.
    assert_eq!(
        s.run(vec![Intent::SpawnCreep {
            spawn: s.spawn,
            body: vec![Move],
            name: "x".into(),
            energy_structures: None,
        }]),
        vec![R::RclNotEnough]
    );
}

#[test]
fn attack_and_ranged_attack_both_run_in_one_tick() {
    // Screeps' intents.js priorities: rangedAttack yields only to rangedMassAttack, build,
    // repair and rangedHeal; attack yields to build, repair, dismantle, attackController and
    // the heals.
    let mut s = scenario();
    let (bob, _) = s.add_rival();
    let spawn_pos = s.rec(s.spawn).pos;
    let victim = s.add_creep_for(bob, s.free_at_range(spawn_pos, 4), &[Tough, Tough, Move], 0);
    let vp = s.rec(victim).pos;
    let both = s.add_creep(s.free_at_range(vp, 1), &[Attack, RangedAttack, Move], 0);
    assert_eq!(
        s.run(vec![
            Intent::Attack {
                creep: both,
                target: victim
            },
            Intent::RangedAttack {
                creep: both,
                target: victim
            },
        ]),
        vec![R::Ok, R::Ok]
    );
    assert_eq!(
        s.rec(victim).hits.unwrap().hits,
        300 - ATTACK_POWER - RANGED_ATTACK_POWER
    );
}

#[test]
fn a_thousand_ghodium_generates_a_safe_mode_for_any_controller() {
    let mut s = scenario();
    let ctl = s.controller();
    let beside = s.free_at_range(ctl.pos, 1);
    let creep = s.add_creep(beside, &[BodyPartKind::Carry; 20], 0);
    let gift = Intent::GenerateSafeMode {
        creep,
        target: ctl.id,
    };
    assert_eq!(
        s.run(vec![gift.clone()]),
        vec![ReturnCode::NotEnoughResources]
    );
    s.give(creep, ResourceKind::Ghodium, SAFE_MODE_COST);
    let to_source = Intent::GenerateSafeMode {
        creep,
        target: s.source().id,
    };
    assert_eq!(s.run(vec![to_source]), vec![ReturnCode::InvalidTarget]);
    let before = s.controller_state(ctl.id).safe_mode_available;
    assert_eq!(s.run(vec![gift]), vec![ReturnCode::Ok]);
    assert_eq!(s.controller_state(ctl.id).safe_mode_available, before + 1);
    assert_eq!(s.amount(creep, ResourceKind::Ghodium), 0);
}
