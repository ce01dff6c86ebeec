//! Scenario tests for creep actions beyond the tutorial: dismantle, rangedMassAttack and
//! rangedHeal, each in Screeps' check order (screeps/engine `game/creeps.js`) and with the
//! processor's effect (`processor/intents/creeps/*.js`).

use isoshard_world::*;

mod support;
use support::*;

use BodyPartKind::*;
use ReturnCode as R;

/// Alice's room out of safe mode, and Bob.
fn open_scenario() -> (Scenario, PlayerId) {
    let mut s = scenario();
    let (bob, _) = s.add_rival();
    let ctl = s.controller().id;
    s.edit_controller(ctl, |c| {
        c.safe_mode = 0;
        c.level = 3;
    });
    (s, bob)
}

#[test]
fn dismantle_takes_50_hits_per_work_part_and_returns_a_two_hundredth_as_energy() {
    let (mut s, bob) = open_scenario();
    let ctl = s.controller();
    let wall_pos = s.free_at_range(ctl.pos, 5);
    let wall = s.add(
        wall_pos,
        None,
        Some(Hits {
            hits: 10_000,
            max: WALL_HITS_MAX,
        }),
        None,
        ObjectKind::Structure(StructureKind::ConstructedWall),
    );
    let wrecker = s.add_creep_for(
        bob,
        s.free_at_range(wall_pos, 1),
        &[Work, Work, Work, Work, Carry, Move],
        0,
    );
    let far = s.add_creep_for(bob, s.free_at_range(wall_pos, 2), &[Work, Move], 0);
    let idle = s.add_creep_for(bob, s.free_at_range(wall_pos, 1), &[Move], 0);
    let dismantle = |creep, target| Intent::Dismantle { creep, target };
    assert_eq!(
        s.run_as(
            bob,
            vec![
                dismantle(idle, wall),
                dismantle(far, wall),
                dismantle(wrecker, ctl.id),
                dismantle(wrecker, wall),
            ]
        ),
        vec![R::NoBodypart, R::NotInRange, R::InvalidTarget, R::Ok]
    );
    assert_eq!(s.rec(wall).hits.unwrap().hits, 10_000 - 4 * DISMANTLE_POWER);
    assert_eq!(s.energy(wrecker), 4 * DISMANTLE_POWER / 200);
    // In Alice's safe mode Bob's creeps cannot dismantle.
    let ctl_id = ctl.id;
    s.edit_controller(ctl_id, |c| c.safe_mode = 100);
    assert_eq!(
        s.run_as(bob, vec![dismantle(wrecker, wall)]),
        vec![R::NoBodypart]
    );
}

#[test]
fn ranged_mass_attack_hits_everything_hostile_within_3_by_distance() {
    let (mut s, bob) = open_scenario();
    let ctl = s.controller();
    let centre = s.free_at_range(ctl.pos, 6);
    let archer = s.add_creep(centre, &[RangedAttack, RangedAttack, Move], 0);
    let near = s.add_creep_for(bob, s.free_at_range(centre, 1), &[Tough, Move], 0);
    let mid = s.add_creep_for(bob, s.free_at_range(centre, 2), &[Tough, Move], 0);
    let edge = s.add_creep_for(bob, s.free_at_range(centre, 3), &[Tough, Move], 0);
    let friend = s.add_creep(s.free_at_range(centre, 1), &[Tough, Move], 0);
    let unarmed = s.add_creep(s.free_at_range(centre, 2), &[Move], 0);
    assert_eq!(
        s.run(vec![
            Intent::RangedMassAttack { creep: unarmed },
            Intent::RangedMassAttack { creep: archer },
        ]),
        vec![R::NoBodypart, R::Ok]
    );
    let lost = |s: &Scenario, id| 200 - s.rec(id).hits.unwrap().hits;
    assert_eq!(lost(&s, near), 20, "100 % at range 1");
    assert_eq!(lost(&s, mid), 8, "40 % at range 2");
    assert_eq!(lost(&s, edge), 2, "10 % at range 3");
    assert_eq!(lost(&s, friend), 0, "never one's own");
}

#[test]
fn ranged_heal_heals_4_per_part_within_3_and_heal_cancels_it() {
    let (mut s, bob) = open_scenario();
    let ctl = s.controller();
    let centre = s.free_at_range(ctl.pos, 6);
    let medic = s.add_creep(centre, &[Heal, Heal, Move], 0);
    let hurt_pos = s.free_at_range(centre, 3);
    let hurt = s.add_creep(hurt_pos, &[Tough, Tough, Move], 0);
    let far = s.add_creep(s.free_at_range(centre, 4), &[Tough, Move], 0);
    let bobs = s.add_creep_for(bob, s.free_at_range(centre, 2), &[Heal, Move], 0);
    s.edit(|snap| {
        for o in &mut snap.objects {
            if o.id == hurt {
                o.hits = Some(Hits {
                    hits: 100,
                    max: 300,
                });
            }
        }
    });
    assert_eq!(
        s.run(vec![
            Intent::RangedHeal {
                creep: medic,
                target: far
            },
            Intent::RangedHeal {
                creep: medic,
                target: s.spawn
            },
            Intent::RangedHeal {
                creep: bobs,
                target: hurt
            },
            Intent::RangedHeal {
                creep: medic,
                target: hurt
            },
        ]),
        vec![R::NotInRange, R::InvalidTarget, R::NotOwner, R::Ok]
    );
    assert_eq!(s.rec(hurt).hits.unwrap().hits, 100 + 2 * RANGED_HEAL_POWER);
    // heal and rangedHeal in one tick: heal wins (intents.js priorities).
    let next_to = s.free_at_range(centre, 1);
    let close = s.add_creep(next_to, &[Tough, Move], 0);
    s.edit(|snap| {
        for o in &mut snap.objects {
            if o.id == close {
                o.hits = Some(Hits {
                    hits: 100,
                    max: 200,
                });
            }
        }
    });
    s.run(vec![
        Intent::Heal {
            creep: medic,
            target: close,
        },
        Intent::RangedHeal {
            creep: medic,
            target: hurt,
        },
    ]);
    assert_eq!(s.rec(close).hits.unwrap().hits, 100 + 2 * HEAL_POWER);
    assert_eq!(
        s.rec(hurt).hits.unwrap().hits,
        100 + 2 * RANGED_HEAL_POWER,
        "cancelled"
    );
}
