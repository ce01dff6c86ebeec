//! Scenario tests for the world's rules: every intent's success and error codes, movement
//! conflicts, spawning, regeneration, controller levels, decay, snapshots and determinism.

use isoshard_world::*;

mod support;
use support::*;

use BodyPartKind::*;
use ReturnCode as R;

#[test]
fn add_player_gives_own_room_spawn1_with_300_energy_and_level1_controller() {
    let s = scenario();
    let spawn = s.rec(s.spawn);
    assert!(matches!(&spawn.kind, ObjectKind::Spawn(sp) if sp.name == "Spawn1"));
    assert_eq!(spawn.store.unwrap().energy(), 300);
    let ctl = s.controller();
    assert_eq!(ctl.owner, Some(s.player));
    assert!(matches!(
        ctl.kind,
        ObjectKind::Controller(Controller { level: 1, .. })
    ));
    let sources = s
        .world
        .records()
        .into_iter()
        .filter(|o| o.pos.room == s.room && matches!(o.kind, ObjectKind::Source(_)))
        .count();
    assert_eq!(sources, 2);
    let mut w = s.world;
    assert!(matches!(
        w.add_player("alice"),
        Err(WorldError::NameTaken(_))
    ));
    let bob = w.add_player("bob").unwrap();
    assert_ne!(
        w.players()[1].home,
        w.players()[0].home,
        "each player gets a room of their own"
    );
    assert!(w
        .records()
        .iter()
        .any(|o| o.owner == Some(bob)
            && matches!(&o.kind, ObjectKind::Spawn(sp) if sp.name == "Spawn1")));
}

#[test]
fn harvest_success_and_error_codes_in_screeps_order() {
    let mut s = scenario();
    let src = s.source();
    let near = s.free_at_range(src.pos, 1);
    let far = s.free_at_range(src.pos, 3);
    let worker = s.add_creep(near, &[Work, Carry, Move], 0);
    let far_worker = s.add_creep(far, &[Work, Carry, Move], 0);
    let no_work = s.add_creep(s.free_at_range(src.pos, 2), &[Carry, Move], 0);
    let codes = s.run(vec![
        Intent::Harvest {
            creep: worker,
            target: src.id,
        },
        Intent::Harvest {
            creep: far_worker,
            target: src.id,
        },
        Intent::Harvest {
            creep: no_work,
            target: src.id,
        },
        Intent::Harvest {
            creep: worker,
            target: s.spawn,
        },
        Intent::Harvest {
            creep: ObjectId(999_999),
            target: src.id,
        },
    ]);
    assert_eq!(
        codes,
        vec![
            R::Ok,
            R::NotInRange,
            R::NoBodypart,
            R::InvalidTarget,
            R::NotFound
        ]
    );
    assert_eq!(s.energy(worker), 2, "one WORK part harvests 2");
    let ObjectKind::Source(source) = s.rec(src.id).kind else {
        panic!()
    };
    assert_eq!(source.energy, 3000 - 2);
    assert_eq!(
        source.ticks_to_regeneration,
        Some(299),
        "timer starts on first harvest"
    );
    // An empty source says NOT_ENOUGH_RESOURCES before range.
    let mut snap = s.world.snapshot();
    for o in &mut snap.objects {
        if o.id == src.id {
            if let ObjectKind::Source(src) = &mut o.kind {
                src.energy = 0;
            }
        }
    }
    s.world = GameWorld::restore(snap).unwrap();
    assert_eq!(
        s.run(vec![Intent::Harvest {
            creep: far_worker,
            target: src.id
        }]),
        vec![R::NotEnoughResources]
    );
}

#[test]
fn harvest_overflow_drops_on_the_ground_and_decays() {
    let mut s = scenario();
    let src = s.source();
    let pos = s.free_at_range(src.pos, 1);
    let w = s.add_creep(pos, &[Work, Work, Work, Carry, Move], 49);
    assert_eq!(
        s.run(vec![Intent::Harvest {
            creep: w,
            target: src.id
        }]),
        vec![R::Ok]
    );
    assert_eq!(s.energy(w), 50);
    let pile = s.find(|o| matches!(o.kind, ObjectKind::Resource) && o.pos == pos);
    // 6 harvested, 1 kept, 5 dropped, then decay ceil(5/1000) = 1 in the same tick.
    assert_eq!(pile.store.unwrap().energy(), 4);
    s.run(vec![]);
    assert_eq!(s.energy(pile.id), 3);
}

#[test]
fn source_regenerates_300_ticks_after_first_harvest() {
    let mut s = scenario();
    let src = s.source();
    let w = s.add_creep(s.free_at_range(src.pos, 1), &[Work, Carry, Move], 0);
    s.run(vec![Intent::Harvest {
        creep: w,
        target: src.id,
    }]);
    for _ in 0..298 {
        s.run(vec![]);
    }
    let ObjectKind::Source(before) = s.rec(src.id).kind else {
        panic!()
    };
    assert_eq!(
        (before.energy, before.ticks_to_regeneration),
        (2998, Some(1))
    );
    s.run(vec![]);
    let ObjectKind::Source(after) = s.rec(src.id).kind else {
        panic!()
    };
    assert_eq!((after.energy, after.ticks_to_regeneration), (3000, None));
}

#[test]
fn transfer_withdraw_pickup_drop_codes() {
    let mut s = scenario();
    let spawn = s.rec(s.spawn);
    let near = s.free_at_range(spawn.pos, 1);
    let far = s.free_at_range(spawn.pos, 4);
    let full = s.add_creep(near, &[Carry, Carry, Move], 100);
    let empty = s.add_creep(s.free_at_range(spawn.pos, 1), &[Carry, Move], 0);
    let distant = s.add_creep(far, &[Carry, Move], 20);
    // Spawn is full (300/300): transfer says FULL; withdraw works.
    assert_eq!(
        s.run(vec![
            Intent::Transfer {
                creep: full,
                target: s.spawn,
                resource: ResourceKind::Energy,
                amount: None
            },
            Intent::Transfer {
                creep: empty,
                target: s.spawn,
                resource: ResourceKind::Energy,
                amount: None
            },
            Intent::Transfer {
                creep: distant,
                target: s.spawn,
                resource: ResourceKind::Energy,
                amount: None
            },
            Intent::Transfer {
                creep: full,
                target: s.source().id,
                resource: ResourceKind::Energy,
                amount: None
            },
            Intent::Withdraw {
                creep: empty,
                target: s.spawn,
                resource: ResourceKind::Energy,
                amount: Some(30)
            },
            Intent::Withdraw {
                creep: full,
                target: s.spawn,
                resource: ResourceKind::Energy,
                amount: None
            },
            Intent::Withdraw {
                creep: distant,
                target: s.spawn,
                resource: ResourceKind::Energy,
                amount: None
            },
        ]),
        vec![
            R::Full,
            R::NotEnoughResources,
            R::NotInRange,
            R::InvalidTarget,
            R::Ok,
            R::Full,
            R::NotInRange
        ]
    );
    assert_eq!(s.energy(empty), 30);
    assert_eq!(
        s.energy(s.spawn),
        271,
        "270 left, +1 regeneration below 300"
    );
    // Now the spawn has room: transfer moves min(have, free).
    assert_eq!(
        s.run(vec![Intent::Transfer {
            creep: full,
            target: s.spawn,
            resource: ResourceKind::Energy,
            amount: None
        }]),
        vec![R::Ok]
    );
    assert_eq!(s.energy(s.spawn), 300);
    assert_eq!(s.energy(full), 71);
    assert_eq!(
        s.run(vec![Intent::Transfer {
            creep: empty,
            target: s.spawn,
            resource: ResourceKind::Energy,
            amount: Some(31)
        }]),
        vec![R::Full]
    );
    assert_eq!(
        s.run(vec![Intent::Transfer {
            creep: full,
            target: s.spawn,
            resource: ResourceKind::Energy,
            amount: None
        }]),
        vec![R::Full]
    );
    // Drop, then pick up.
    assert_eq!(
        s.run(vec![
            Intent::Drop {
                creep: full,
                resource: ResourceKind::Energy,
                amount: Some(72)
            },
            Intent::Drop {
                creep: full,
                resource: ResourceKind::Energy,
                amount: Some(20)
            }
        ]),
        vec![R::NotEnoughResources, R::Ok]
    );
    let pile = s.find(|o| matches!(o.kind, ObjectKind::Resource));
    assert_eq!(pile.store.unwrap().energy(), 19, "20 dropped, 1 decayed");
    let codes = s.run(vec![
        Intent::Pickup {
            creep: empty,
            target: pile.id,
        },
        Intent::Pickup {
            creep: distant,
            target: pile.id,
        },
        Intent::Pickup {
            creep: empty,
            target: s.spawn,
        },
    ]);
    let expect_range = if pile.pos.is_near_to(s.rec(distant).pos) {
        R::Ok
    } else {
        R::NotInRange
    };
    assert_eq!(codes, vec![R::Ok, expect_range, R::InvalidTarget]);
    assert_eq!(s.energy(empty), 49);
    assert_eq!(
        s.run(vec![Intent::Drop {
            creep: ObjectId(123_456),
            resource: ResourceKind::Energy,
            amount: None
        }]),
        vec![R::NotFound]
    );
}

#[test]
fn spawn_creep_codes_energy_order_and_spawning_time() {
    let mut s = scenario();
    let codes = s.run(vec![
        Intent::SpawnCreep {
            spawn: s.spawn,
            body: vec![],
            name: "a".into(),
            energy_structures: None,
        },
        Intent::SpawnCreep {
            spawn: s.spawn,
            body: vec![Work; 51],
            name: "a".into(),
            energy_structures: None,
        },
        Intent::SpawnCreep {
            spawn: s.spawn,
            body: vec![Claim],
            name: "a".into(),
            energy_structures: None,
        },
        Intent::SpawnCreep {
            spawn: s.spawn,
            body: vec![Work, Carry, Move],
            name: String::new(),
            energy_structures: None,
        },
        Intent::SpawnCreep {
            spawn: s.spawn,
            body: vec![Work, Carry, Move],
            name: "harv".into(),
            energy_structures: None,
        },
        Intent::SpawnCreep {
            spawn: s.spawn,
            body: vec![Move],
            name: "second".into(),
            energy_structures: None,
        },
    ]);
    assert_eq!(
        codes,
        vec![
            R::InvalidArgs,
            R::InvalidArgs,
            R::NotEnoughResources,
            R::InvalidArgs,
            R::Ok,
            R::Busy
        ]
    );
    let creep = s.find(|o| matches!(&o.kind, ObjectKind::Creep(c) if c.name == "harv"));
    assert!(matches!(&creep.kind, ObjectKind::Creep(c) if c.spawning));
    // 200 spent; +1 regen this tick since the room is below 300.
    assert_eq!(s.energy(s.spawn), 101);
    // The name is taken while spawning.
    assert_eq!(
        s.run(vec![Intent::SpawnCreep {
            spawn: s.spawn,
            body: vec![Move],
            name: "harv".into(),
            energy_structures: None,
        }]),
        vec![R::NameExists]
    );
    // 3 parts × 3 ticks = 9 ticks; it stepped out at the end of the 9th tick after the intent.
    for _ in 0..6 {
        s.run(vec![]);
    }
    assert!(matches!(&s.rec(creep.id).kind, ObjectKind::Creep(c) if c.spawning));
    s.run(vec![]);
    let out = s.rec(creep.id);
    assert!(matches!(&out.kind, ObjectKind::Creep(c) if !c.spawning && c.ticks_to_live == 1500));
    assert!(out.pos.is_near_to(s.rec(s.spawn).pos) && out.pos != s.rec(s.spawn).pos);
    // Another player's spawn.
    let mut w = s.world;
    let bob = w.add_player("bob").unwrap();
    let bob_spawn = w
        .records()
        .into_iter()
        .find(|o| o.owner == Some(bob) && matches!(o.kind, ObjectKind::Spawn(_)))
        .unwrap()
        .id;
    let mut batch = IntentBatch::new();
    batch.extend(
        s.player,
        vec![Intent::SpawnCreep {
            spawn: bob_spawn,
            body: vec![Move],
            name: "x".into(),
            energy_structures: None,
        }],
    );
    assert_eq!(w.tick(&batch).results[&s.player], vec![R::NotOwner]);
}

#[test]
fn spawn_energy_comes_from_spawns_then_extensions() {
    let mut s = scenario();
    // RCL 2: the room's level allows the extension (at RCL 1 it would be off).
    let ctl = s.controller().id;
    s.edit_controller(ctl, |c| c.level = 2);
    let spawn_pos = s.rec(s.spawn).pos;
    let p = s.free_at_range(spawn_pos, 2);
    let ext = s.add(
        p,
        Some(s.player),
        Some(Hits {
            hits: 1000,
            max: 1000,
        }),
        Some(Store::energy_only(50, 50)),
        ObjectKind::Structure(StructureKind::Extension),
    );
    assert_eq!(
        s.run(vec![Intent::SpawnCreep {
            spawn: s.spawn,
            body: vec![Work, Work, Work, Move],
            name: "big".into(),
            energy_structures: None,
        }]),
        vec![R::Ok]
    );
    // 350: all 300 from the spawn first, then 50 from the extension; the room is then below
    // 300, so the spawn regenerates 1 in the same tick.
    assert_eq!(s.energy(ext), 0);
    assert_eq!(s.energy(s.spawn), 1);
}

#[test]
fn build_repair_upgrade_codes_and_effects() {
    let mut s = scenario();
    let ctl = s.controller();
    let spawn_pos = s.rec(s.spawn).pos;
    let site_pos = s.free_at_range(spawn_pos, 3);
    assert_eq!(
        s.run(vec![
            Intent::CreateConstructionSite {
                room: "nowhere".into(),
                x: 10,
                y: 10,
                structure: StructureKind::Road
            },
            Intent::CreateConstructionSite {
                room: s.world.map().get(s.room).name.clone(),
                x: 0,
                y: 10,
                structure: StructureKind::Road
            },
            Intent::CreateConstructionSite {
                room: s.world.map().get(s.room).name.clone(),
                x: site_pos.x,
                y: site_pos.y,
                structure: StructureKind::Extension
            },
            Intent::CreateConstructionSite {
                room: s.world.map().get(s.room).name.clone(),
                x: site_pos.x,
                y: site_pos.y,
                structure: StructureKind::Road
            },
            Intent::CreateConstructionSite {
                room: s.world.map().get(s.room).name.clone(),
                x: site_pos.x,
                y: site_pos.y,
                structure: StructureKind::Controller
            },
        ]),
        vec![
            R::InvalidArgs,
            R::InvalidTarget,
            R::RclNotEnough,
            R::Ok,
            R::InvalidArgs
        ]
    );
    let site = s.find(|o| matches!(o.kind, ObjectKind::ConstructionSite(_)));
    let builder_pos = s.free_at_range(site.pos, 3);
    let builder = s.add_creep(builder_pos, &[Work, Work, Carry, Move], 50);
    let empty = s.add_creep(s.free_at_range(site.pos, 2), &[Work, Carry, Move], 0);
    let no_work = s.add_creep(s.free_at_range(site.pos, 1), &[Carry, Move], 50);
    let far = s.add_creep(s.free_at_range(site.pos, 5), &[Work, Carry, Move], 50);
    assert_eq!(
        s.run(vec![
            Intent::Build {
                creep: builder,
                target: site.id
            },
            Intent::Build {
                creep: empty,
                target: site.id
            },
            Intent::Build {
                creep: no_work,
                target: site.id
            },
            Intent::Build {
                creep: far,
                target: site.id
            },
            Intent::Build {
                creep: far,
                target: s.spawn
            },
        ]),
        vec![
            R::Ok,
            R::NotEnoughResources,
            R::NoBodypart,
            R::NotInRange,
            R::InvalidTarget
        ]
    );
    assert!(matches!(
        s.rec(site.id).kind,
        ObjectKind::ConstructionSite(ConstructionSite {
            progress: 10,
            total: 300,
            ..
        })
    ));
    assert_eq!(s.energy(builder), 40);
    // Finish the road: 290 more at 10 per tick with refills.
    for _ in 0..29 {
        let mut snap = s.world.snapshot();
        for o in &mut snap.objects {
            if o.id == builder {
                o.store = Some(Store::with(StoreLimit::Total(50), ResourceKind::Energy, 50));
            }
        }
        s.world = GameWorld::restore(snap).unwrap();
        assert_eq!(
            s.run(vec![Intent::Build {
                creep: builder,
                target: site.id
            }]),
            vec![R::Ok]
        );
    }
    let road = s.find(|o| {
        o.pos == site.pos && matches!(o.kind, ObjectKind::Structure(StructureKind::Road))
    });
    assert_eq!(
        road.hits,
        Some(Hits {
            hits: 5000,
            max: 5000
        })
    );
    assert!(s.world.record(site.id).is_none());
    // Repair: damage the spawn, then repair 200 hits (2 WORK) for 2 energy.
    let mut snap = s.world.snapshot();
    for o in &mut snap.objects {
        if o.id == s.spawn {
            o.hits = Some(Hits {
                hits: 4000,
                max: 5000,
            });
        }
    }
    s.world = GameWorld::restore(snap).unwrap();
    let repairer = s.add_creep(
        s.free_at_range(spawn_pos, 2),
        &[Work, Work, Carry, Move],
        10,
    );
    assert_eq!(
        s.run(vec![
            Intent::Repair {
                creep: repairer,
                target: s.spawn
            },
            Intent::Repair {
                creep: empty,
                target: s.spawn
            }
        ]),
        vec![R::Ok, R::NotEnoughResources]
    );
    assert_eq!(s.rec(s.spawn).hits.unwrap().hits, 4200);
    assert_eq!(s.energy(repairer), 8);
    assert_eq!(
        s.run(vec![Intent::Repair {
            creep: repairer,
            target: ctl.id
        }]),
        vec![R::InvalidTarget]
    );
    // Upgrade.
    let up = s.add_creep(s.free_at_range(ctl.pos, 2), &[Work, Work, Carry, Move], 50);
    let up_far = s.add_creep(s.free_at_range(ctl.pos, 4), &[Work, Carry, Move], 50);
    assert_eq!(
        s.run(vec![
            Intent::UpgradeController {
                creep: up,
                target: ctl.id
            },
            Intent::UpgradeController {
                creep: up_far,
                target: ctl.id
            },
            Intent::UpgradeController {
                creep: up,
                target: s.spawn
            },
        ]),
        vec![R::Ok, R::NotInRange, R::InvalidTarget]
    );
    assert!(matches!(
        s.controller().kind,
        ObjectKind::Controller(Controller {
            progress: 2,
            level: 1,
            ..
        })
    ));
}

#[test]
fn controller_levels_one_to_three() {
    let mut s = scenario();
    let ctl = s.controller();
    let pos = s.free_at_range(ctl.pos, 1);
    // A big upgrader refilled each tick: 40 WORK = 40 progress/tick.
    let mut body = vec![Work; 40];
    body.extend([Carry, Move]);
    let up = s.add_creep(pos, &body, 50);
    let mut levels = vec![];
    for _ in 0..(200 + 45_000) / 40 + 2 {
        let mut snap = s.world.snapshot();
        for o in &mut snap.objects {
            if o.id == up {
                o.store = Some(Store::with(StoreLimit::Total(50), ResourceKind::Energy, 50));
                if let ObjectKind::Creep(c) = &mut o.kind {
                    c.ticks_to_live = 1500;
                }
            }
        }
        s.world = GameWorld::restore(snap).unwrap();
        assert_eq!(
            s.run(vec![Intent::UpgradeController {
                creep: up,
                target: ctl.id
            }]),
            vec![R::Ok]
        );
        if let ObjectKind::Controller(c) = s.controller().kind {
            if levels.last().map(|(l, _)| *l) != Some(c.level) {
                levels.push((c.level, c.ticks_to_downgrade));
            }
        }
    }
    // Screeps: a level-up sets the timer to half the new level's, the tick's upgrade then
    // restores CONTROLLER_DOWNGRADE_RESTORE (+1, which upkeep's tick takes back).
    let half = |l: usize| CONTROLLER_DOWNGRADE[l] / 2 + CONTROLLER_DOWNGRADE_RESTORE;
    assert_eq!(
        levels,
        vec![(1, CONTROLLER_DOWNGRADE[1]), (2, half(2)), (3, half(3))]
    );
    let ObjectKind::Controller(c) = s.controller().kind else {
        panic!()
    };
    assert_eq!(c.level, 3);
    assert_eq!(c.safe_mode_available, 2, "one safe mode per level gained");
}

#[test]
fn controller_downgrades_without_upgrades() {
    let mut s = scenario();
    let mut snap = s.world.snapshot();
    for o in &mut snap.objects {
        if let ObjectKind::Controller(c) = &mut o.kind {
            if o.owner.is_some() {
                c.level = 2;
                c.ticks_to_downgrade = 2;
            }
        }
    }
    s.world = GameWorld::restore(snap).unwrap();
    s.run(vec![]);
    s.run(vec![]);
    let ObjectKind::Controller(c) = s.controller().kind else {
        panic!()
    };
    // Screeps' controllers/tick.js: half the lower level's timer, 90 % of its progress back,
    // no safe mode until the cooldown ends.
    assert_eq!(
        (c.level, c.ticks_to_downgrade, c.progress),
        (1, CONTROLLER_DOWNGRADE[1] / 2 + 1, 180)
    );
    assert_eq!(
        (c.safe_mode_available, c.safe_mode_cooldown),
        (0, SAFE_MODE_COOLDOWN)
    );
}

#[test]
fn move_codes_fatigue_and_walls() {
    let mut s = scenario();
    let spawn_pos = s.rec(s.spawn).pos;
    let p = s.free_at_range(spawn_pos, 3);
    let mover = s.add_creep(p, &[Work, Work, Move], 0);
    let no_move = s.add_creep(s.free_at_range(spawn_pos, 4), &[Work, Carry], 0);
    let dir = Direction::ALL
        .into_iter()
        .find(|d| p.step(*d).is_some_and(|q| s.walkable(q)))
        .unwrap();
    assert_eq!(
        s.run(vec![
            Intent::Move {
                creep: mover,
                direction: dir as u8
            },
            Intent::Move {
                creep: no_move,
                direction: 1
            },
            Intent::Move {
                creep: no_move,
                direction: 9
            },
        ]),
        vec![R::Ok, R::NoBodypart, R::NoBodypart]
    );
    let moved = s.rec(mover);
    assert_eq!(moved.pos, p.step(dir).unwrap());
    // 2 WORK on plain: 4 fatigue, 1 MOVE removes 2 at tick end.
    assert!(matches!(&moved.kind, ObjectKind::Creep(c) if c.fatigue == 2));
    assert_eq!(
        s.run(vec![Intent::Move {
            creep: mover,
            direction: dir as u8
        }]),
        vec![R::Tired]
    );
    s.run(vec![]);
    let fresh = s.add_creep(s.free_at_range(spawn_pos, 5), &[Move], 0);
    assert_eq!(
        s.run(vec![Intent::Move {
            creep: fresh,
            direction: 0
        }]),
        vec![R::InvalidArgs]
    );
    // Into an obstacle (the spawn): accepted, but the creep stays.
    let beside = s.free_at_range(spawn_pos, 1);
    let bumper = s.add_creep(beside, &[Move], 0);
    let into_spawn = beside.direction_to(spawn_pos).unwrap();
    assert_eq!(
        s.run(vec![Intent::Move {
            creep: bumper,
            direction: into_spawn as u8
        }]),
        vec![R::Ok]
    );
    assert_eq!(s.rec(bumper).pos, beside);
}

#[test]
fn movement_conflicts_one_winner_swaps_and_chains() {
    let mut s = scenario();
    // Find a 4x3 block of free plain tiles.
    let (x0, y0) = (|| {
        for y in 5..40u8 {
            for x in 5..40u8 {
                if (0..4)
                    .all(|dx| (0..3).all(|dy| s.walkable(Position::new(s.room, x + dx, y + dy))))
                {
                    return (x, y);
                }
            }
        }
        panic!("no free block")
    })();
    let room = s.room;
    let at = move |dx: u8, dy: u8| Position::new(room, x0 + dx, y0 + dy);
    // Two creeps into one tile: exactly one moves.
    let a = s.add_creep(at(0, 0), &[Move], 0);
    let b = s.add_creep(at(2, 0), &[Move], 0);
    s.run(vec![
        Intent::Move {
            creep: a,
            direction: Direction::Right as u8,
        },
        Intent::Move {
            creep: b,
            direction: Direction::Left as u8,
        },
    ]);
    let (pa, pb) = (s.rec(a).pos, s.rec(b).pos);
    assert!(
        (pa == at(1, 0)) ^ (pb == at(1, 0)),
        "exactly one creep wins the tile"
    );
    assert!(pa == at(0, 0) || pb == at(2, 0));
    // Swap: two adjacent creeps trade places.
    let c = s.add_creep(at(0, 2), &[Move], 0);
    let d = s.add_creep(at(1, 2), &[Move], 0);
    s.run(vec![
        Intent::Move {
            creep: c,
            direction: Direction::Right as u8,
        },
        Intent::Move {
            creep: d,
            direction: Direction::Left as u8,
        },
    ]);
    assert_eq!((s.rec(c).pos, s.rec(d).pos), (at(1, 2), at(0, 2)));
    // Chain: e follows f which moves into a free tile.
    let e = s.add_creep(at(2, 2), &[Move], 0);
    let f = s.add_creep(at(3, 2), &[Move], 0);
    s.run(vec![
        Intent::Move {
            creep: e,
            direction: Direction::Top as u8,
        },
        Intent::Move {
            creep: f,
            direction: Direction::Left as u8,
        },
    ]);
    // e moved up out of (2,2) and f moved into it.
    assert_eq!((s.rec(e).pos, s.rec(f).pos), (at(2, 1), at(2, 2)));
    // Blocked chain: g moves into a creep that stays.
    let g = s.add_creep(at(3, 1), &[Move], 0);
    s.run(vec![Intent::Move {
        creep: g,
        direction: Direction::Left as u8,
    }]);
    assert_eq!(s.rec(g).pos, at(3, 1));
}

#[test]
fn creep_crosses_room_border_to_the_mirrored_tile() {
    let mut s = scenario();
    let info = s.world.map().get(s.room).clone();
    let (side, neighbor) = info
        .neighbors
        .iter()
        .enumerate()
        .find_map(|(i, n)| n.map(|n| (i, n)))
        .unwrap();
    // A walkable exit tile on that side, and the tile inside next to it.
    let exit = (1..49u8)
        .map(|i| match side {
            0 => Position::new(s.room, i, 0),
            1 => Position::new(s.room, 49, i),
            2 => Position::new(s.room, i, 49),
            _ => Position::new(s.room, 0, i),
        })
        .find(|p| s.world.map().tile(*p) != Tile::Wall)
        .unwrap();
    let inward = match side {
        0 => Direction::Bottom,
        1 => Direction::Left,
        2 => Direction::Top,
        _ => Direction::Right,
    };
    let start = exit.step(inward).unwrap();
    let outward = start.direction_to(exit).unwrap();
    let c = s.add_creep(start, &[Move], 0);
    assert_eq!(
        s.run(vec![Intent::Move {
            creep: c,
            direction: outward as u8
        }]),
        vec![R::Ok]
    );
    let after = s.rec(c).pos;
    assert_eq!(after.room, neighbor);
    match side {
        0 => assert_eq!((after.x, after.y), (exit.x, 49)),
        1 => assert_eq!((after.x, after.y), (0, exit.y)),
        2 => assert_eq!((after.x, after.y), (exit.x, 0)),
        _ => assert_eq!((after.x, after.y), (49, exit.y)),
    }
}

#[test]
fn combat_codes_damage_heal_and_tombstones() {
    let mut s = scenario();
    let mut w = s.world;
    let bob = w.add_player("bob").unwrap();
    s.world = w;
    let spawn_pos = s.rec(s.spawn).pos;
    let target_pos = s.free_at_range(spawn_pos, 4);
    let victim = s.add_creep_for(bob, target_pos, &[Tough, Carry], 30);
    let fighter = s.add_creep(s.free_at_range(target_pos, 1), &[Attack, Move], 0);
    let archer = s.add_creep(s.free_at_range(target_pos, 3), &[RangedAttack, Move], 0);
    let pacifist = s.add_creep(s.free_at_range(target_pos, 2), &[Move], 0);
    let healer = s.add_creep(s.free_at_range(target_pos, 2), &[Heal, Move], 0);
    assert_eq!(
        s.run(vec![
            Intent::Attack {
                creep: fighter,
                target: victim
            },
            Intent::RangedAttack {
                creep: archer,
                target: victim
            },
            Intent::Attack {
                creep: pacifist,
                target: victim
            },
            Intent::Attack {
                creep: archer,
                target: victim
            },
            Intent::Heal {
                creep: healer,
                target: victim
            },
            Intent::Attack {
                creep: fighter,
                target: s.source().id
            },
        ]),
        vec![
            R::Ok,
            R::Ok,
            R::NoBodypart,
            R::NoBodypart,
            R::NotInRange,
            R::InvalidTarget
        ]
    );
    // Last attack intent of `fighter` was invalid, so the first (valid) one stands: 30 + 10.
    let v = s.rec(victim);
    assert_eq!(v.hits.unwrap().hits, 160);
    assert!(
        matches!(&v.kind, ObjectKind::Creep(c) if c.body[0].hits == 60 && c.body[1].hits == 100)
    );
    for _ in 0..4 {
        s.run(vec![
            Intent::Attack {
                creep: fighter,
                target: victim,
            },
            Intent::RangedAttack {
                creep: archer,
                target: victim,
            },
        ]);
    }
    assert!(s.world.record(victim).is_none(), "victim died");
    let tomb = s.find(|o| matches!(o.kind, ObjectKind::Tombstone(_)));
    assert_eq!(tomb.pos, target_pos);
    // What it carried, and a fifth of its body's cost by the life it had left (Screeps'
    // CREEP_CORPSE_RATE): 0.2 × (10 + 50) × ~1495/1500, floored.
    assert_eq!(
        tomb.store.unwrap().energy(),
        30 + 11,
        "a tombstone keeps the creep's energy and part of its body's"
    );
    assert!(
        matches!(&tomb.kind, ObjectKind::Tombstone(t) if t.ticks_to_decay == 2 * 5 && t.creep_owner == bob)
    );
    assert_eq!(
        s.run(vec![Intent::Withdraw {
            creep: fighter,
            target: tomb.id,
            resource: ResourceKind::Energy,
            amount: None
        }]),
        vec![R::Full]
    );
}

#[test]
fn claim_say_suicide_and_tower_codes() {
    let mut s = scenario();
    let ctl = s.controller();
    let claimer = s.add_creep(s.free_at_range(ctl.pos, 1), &[Claim, Move], 0);
    assert_eq!(
        s.run(vec![Intent::ClaimController {
            creep: claimer,
            target: ctl.id
        }]),
        vec![R::GclNotEnough]
    );
    let talker = s.add_creep(s.free_at_range(ctl.pos, 2), &[Move], 0);
    assert_eq!(
        s.run(vec![Intent::Say {
            creep: talker,
            message: "hello world, long".into(),
            public: true
        }]),
        vec![R::Ok]
    );
    assert!(
        matches!(&s.rec(talker).kind, ObjectKind::Creep(c) if c.saying.as_ref().is_some_and(|m| m.message == "hello worl"))
    );
    s.run(vec![]);
    assert!(
        matches!(&s.rec(talker).kind, ObjectKind::Creep(c) if c.saying.is_none()),
        "a say lasts one tick"
    );
    assert_eq!(s.run(vec![Intent::Suicide { creep: talker }]), vec![R::Ok]);
    assert!(s.world.record(talker).is_none());
    // Tower: needs RCL 3 and energy.
    let tp = s.free_at_range(s.rec(s.spawn).pos, 3);
    let tower = s.add(
        tp,
        Some(s.player),
        Some(Hits {
            hits: 3000,
            max: 3000,
        }),
        Some(Store::energy_only(5, 1000)),
        ObjectKind::Structure(StructureKind::Tower),
    );
    assert_eq!(
        s.run(vec![Intent::TowerRepair {
            tower,
            target: s.spawn
        }]),
        vec![R::NotEnoughResources]
    );
    let mut snap = s.world.snapshot();
    for o in &mut snap.objects {
        if o.id == tower {
            o.store = Some(Store::energy_only(500, 1000));
        }
    }
    s.world = GameWorld::restore(snap).unwrap();
    assert_eq!(
        s.run(vec![Intent::TowerRepair {
            tower,
            target: s.spawn
        }]),
        vec![R::RclNotEnough]
    );
    assert_eq!(
        s.run(vec![Intent::TowerHeal {
            tower,
            target: s.spawn
        }]),
        vec![R::InvalidTarget]
    );
}

#[test]
fn tower_at_rcl3_repairs_itself_attacks_with_falloff_and_pays_each_time() {
    let mut s = scenario();
    let tp = s.free_at_range(s.rec(s.spawn).pos, 3);
    let tower = s.add(
        tp,
        Some(s.player),
        Some(Hits {
            hits: 2000,
            max: 3000,
        }),
        Some(Store::energy_only(500, 1000)),
        ObjectKind::Structure(StructureKind::Tower),
    );
    let mut snap = s.world.snapshot();
    let ctl = s.controller().id;
    for o in &mut snap.objects {
        if let (true, ObjectKind::Controller(c)) = (o.id == ctl, &mut o.kind) {
            c.level = 3;
        }
    }
    s.world = GameWorld::restore(snap).unwrap();
    // A tower may repair itself: the same object spends energy and gains hits.
    assert_eq!(
        s.run(vec![Intent::TowerRepair {
            tower,
            target: tower
        }]),
        vec![R::Ok]
    );
    assert_eq!(s.energy(tower), 500 - TOWER_ENERGY_COST);
    assert_eq!(
        s.rec(tower).hits.unwrap().hits,
        2000 + TOWER_POWER_REPAIR,
        "range 0 is full power"
    );
    let far = s.free_at_range(tp, 10);
    let enemy = s.add_creep_for(
        PlayerId(99),
        far,
        &[Tough, Tough, Tough, Tough, Tough, Tough, Tough, Tough],
        0,
    );
    assert_eq!(
        s.run(vec![Intent::TowerAttack {
            tower,
            target: enemy
        }]),
        vec![R::Ok]
    );
    let dealt = 800 - s.rec(enemy).hits.unwrap().hits;
    // Screeps: 600 * (1 - 0.75 * (10 - 5) / (20 - 5)) at range 10.
    assert_eq!(dealt, 450);
    assert_eq!(s.energy(tower), 500 - 2 * TOWER_ENERGY_COST);
}

#[test]
fn unknown_player_intents_are_refused() {
    let mut s = scenario();
    let mut batch = IntentBatch::new();
    batch.extend(PlayerId(77), vec![Intent::Suicide { creep: ObjectId(1) }]);
    assert_eq!(
        s.world.tick(&batch).results[&PlayerId(77)],
        vec![R::NotOwner]
    );
}

#[test]
fn snapshot_restores_to_the_same_hash_and_refuses_unknown_versions() {
    let s = scenario();
    let snap = s.world.snapshot();
    let bytes = rmp_serde::to_vec(&snap).unwrap();
    let back: WorldSnapshot = rmp_serde::from_slice(&bytes).unwrap();
    let restored = GameWorld::restore(back).unwrap();
    assert_eq!(restored.state_hash(), s.world.state_hash());
    let mut bad = snap.clone();
    bad.format_version = 99;
    assert!(matches!(
        GameWorld::restore(bad),
        Err(WorldError::UnsupportedSnapshot(99))
    ));
    let mut dup = snap;
    let first = dup.objects[0].clone();
    dup.objects.push(first);
    assert!(matches!(
        GameWorld::restore(dup),
        Err(WorldError::CorruptSnapshot(_))
    ));
}

#[test]
fn views_show_each_room_once_and_what_each_player_sees() {
    let s = scenario();
    let views = s.world.views();
    assert_eq!(views.rooms.len(), 9);
    let pv = &views.players[&s.player];
    assert_eq!(pv.rooms, vec![s.world.map().get(s.room).name.clone()]);
    let room = &views.rooms[&pv.rooms[0]];
    let spawn = room.objects.iter().find(|o| o.kind == "spawn").unwrap();
    assert_eq!(spawn.name.as_deref(), Some("Spawn1"));
    assert_eq!(spawn.owner.as_deref(), Some("alice"));
    assert_eq!(spawn.store, Some(vec![(ResourceKind::Energy, 300)]));
    assert_eq!(spawn.store_capacity, None);
    assert_eq!(
        spawn.store_capacity_resource,
        Some(vec![(ResourceKind::Energy, SPAWN_ENERGY_CAPACITY)])
    );
    let json = serde_json::to_value(spawn).unwrap();
    assert_eq!(json["structureType"], "spawn");
    assert_eq!(
        json["storeCapacityResource"],
        serde_json::json!([["energy", 300]])
    );
}

#[test]
fn pathfinding_goes_around_walls() {
    let s = scenario();
    let grid = PathGrid::build(&s.world);
    let from = s.free_at_range(s.rec(s.spawn).pos, 2);
    let src = s.source();
    let path = find_path(&grid, from, src.pos, &PathOptions::default());
    assert!(!path.is_empty());
    assert!(path.last().unwrap().is_near_to(src.pos));
    for w in path.windows(2) {
        assert!(w[0].is_near_to(w[1]));
        assert_ne!(s.world.map().tile(w[1]), Tile::Wall);
    }
}
