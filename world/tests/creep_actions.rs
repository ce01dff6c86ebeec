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

fn tombstone_energy_at(s: &Scenario, pos: Position) -> Option<u32> {
    s.world
        .records()
        .into_iter()
        .find(|o| o.pos == pos && matches!(o.kind, ObjectKind::Tombstone(_)))
        .map(|o| o.store.map_or(0, |st| st.energy()))
}

#[test]
fn renew_adds_600_over_parts_ticks_for_a_share_of_the_body_cost() {
    let (mut s, bob) = open_scenario();
    let spawn_pos = s.rec(s.spawn).pos;
    let worker = s.add_creep(s.free_at_range(spawn_pos, 1), &[Work, Carry, Move], 0);
    let claimer = s.add_creep(s.free_at_range(spawn_pos, 1), &[Claim, Move], 0);
    let far = s.add_creep(s.free_at_range(spawn_pos, 2), &[Move], 0);
    let bobs = s.add_creep_for(bob, s.free_at_range(spawn_pos, 1), &[Move], 0);
    s.edit(|snap| {
        for o in &mut snap.objects {
            if let ObjectKind::Creep(c) = &mut o.kind {
                c.ticks_to_live = 1000;
            }
        }
    });
    let spawn = s.spawn;
    let renew = move |target| Intent::RenewCreep { spawn, target };
    let energy_before = s.energy(s.spawn);
    assert_eq!(
        s.run(vec![renew(claimer), renew(bobs), renew(far), renew(worker)]),
        vec![R::InvalidTarget, R::NotOwner, R::NotInRange, R::Ok]
    );
    // floor(1.2 × 1500 / 3 / 3) = 200 ticks for ceil(1.2 × 200 / 3 / 3) = 27 energy.
    let ObjectKind::Creep(c) = s.rec(worker).kind else {
        panic!()
    };
    assert_eq!(c.ticks_to_live, 1000 + 200 - 1);
    assert_eq!(
        s.energy(s.spawn),
        energy_before - 27 + 1,
        "the charge, then a spawn's regeneration below 300"
    );
    s.edit(|snap| {
        for o in &mut snap.objects {
            if let (true, ObjectKind::Creep(c)) = (o.id == worker, &mut o.kind) {
                c.ticks_to_live = 1400;
            }
        }
    });
    assert_eq!(s.run(vec![renew(worker)]), vec![R::Full]);
}

#[test]
fn recycling_returns_the_body_and_death_returns_a_fifth_to_the_container_below() {
    let (mut s, _) = open_scenario();
    let spawn_pos = s.rec(s.spawn).pos;
    let at = s.free_at_range(spawn_pos, 1);
    let old = s.add_creep(at, &[Work, Carry, Move], 30);
    s.edit(|snap| {
        for o in &mut snap.objects {
            if let (true, ObjectKind::Creep(c)) = (o.id == old, &mut o.kind) {
                c.ticks_to_live = 750;
            }
        }
    });
    assert_eq!(
        s.run(vec![Intent::RecycleCreep {
            spawn: s.spawn,
            target: old
        }]),
        vec![R::Ok]
    );
    assert!(s.world.record(old).is_none());
    // 200 × 750/1500 at 100 %, plus the 30 it carried.
    assert_eq!(tombstone_energy_at(&s, at), Some(30 + 100));
    // A creep that dies on a container gives the container its body's share first.
    let ctl = s.controller();
    let spot = s.free_at_range(ctl.pos, 5);
    let container = s.add(
        spot,
        None,
        Some(Hits {
            hits: 1000,
            max: 250_000,
        }),
        Some(Store::with(
            StoreLimit::Total(CONTAINER_CAPACITY),
            ResourceKind::Energy,
            1990,
        )),
        ObjectKind::Structure(StructureKind::Container),
    );
    let doomed = s.add_creep(spot, &[Work, Carry, Move], 5);
    s.edit(|snap| {
        for o in &mut snap.objects {
            if let (true, ObjectKind::Creep(c)) = (o.id == doomed, &mut o.kind) {
                c.ticks_to_live = 1500;
            }
        }
    });
    s.run(vec![Intent::Suicide { creep: doomed }]);
    // 0.2 × 200 × 1500/1500 = 40: 10 fit in the container, 30 and the 5 carried lie in the
    // tombstone.
    assert_eq!(s.energy(container), CONTAINER_CAPACITY);
    assert_eq!(tombstone_energy_at(&s, spot), Some(35));
}

#[test]
fn sites_are_removed_with_half_their_progress_and_structures_destroyed_into_ruins() {
    let (mut s, bob) = open_scenario();
    let me = s.player;
    let ctl = s.controller();
    let site_pos = s.free_at_range(ctl.pos, 4);
    let site = s.add(
        site_pos,
        Some(me),
        None,
        None,
        ObjectKind::ConstructionSite(ConstructionSite {
            structure: StructureKind::Extension,
            progress: 101,
            total: 3000,
        }),
    );
    assert_eq!(
        s.run_as(bob, vec![Intent::RemoveConstructionSite { site }]),
        vec![R::NotOwner]
    );
    assert_eq!(
        s.run(vec![Intent::RemoveConstructionSite { site }]),
        vec![R::Ok]
    );
    assert!(s.world.record(site).is_none());
    let pile = s.find(|o| o.pos == site_pos && matches!(o.kind, ObjectKind::Resource));
    assert_eq!(
        pile.store.unwrap().energy(),
        50 - 1,
        "half the progress, then a tick of decay"
    );
    // Destroy: the structure goes, a ruin keeps its energy for 500 ticks.
    let tower_pos = s.free_at_range(ctl.pos, 6);
    let tower = s.add(
        tower_pos,
        Some(me),
        Some(StructureKind::Tower.initial_hits()),
        Some(Store::energy_only(700, TOWER_CAPACITY)),
        ObjectKind::Structure(StructureKind::Tower),
    );
    let intruder = s.add_creep_for(bob, s.free_at_range(ctl.pos, 8), &[Move], 0);
    assert_eq!(
        s.run(vec![
            Intent::DestroyStructure { structure: tower },
            Intent::DestroyStructure { structure: ctl.id },
        ]),
        vec![R::Busy, R::InvalidTarget],
        "not with another player's creep in the room; a controller is no structure to destroy"
    );
    assert_eq!(
        s.run_as(bob, vec![Intent::DestroyStructure { structure: tower }]),
        vec![R::NotOwner]
    );
    s.edit(|snap| snap.objects.retain(|o| o.id != intruder));
    assert_eq!(
        s.run(vec![Intent::DestroyStructure { structure: tower }]),
        vec![R::Ok]
    );
    assert!(s.world.record(tower).is_none());
    let ruin = s.find(|o| o.pos == tower_pos && matches!(o.kind, ObjectKind::Ruin(_)));
    let ObjectKind::Ruin(r) = &ruin.kind else {
        panic!()
    };
    assert_eq!(
        (r.structure, r.structure_kind, r.ticks_to_decay),
        (tower, StructureKind::Tower, RUIN_DECAY - 1)
    );
    assert_eq!(ruin.store.unwrap().energy(), 700);
    // A creep can withdraw from it.
    let taker = s.add_creep(s.free_at_range(tower_pos, 1), &[Carry, Move], 0);
    assert_eq!(
        s.run(vec![Intent::Withdraw {
            creep: taker,
            target: ruin.id,
            resource: ResourceKind::Energy,
            amount: None
        }]),
        vec![R::Ok]
    );
    assert_eq!(s.energy(taker), 50);
}

#[test]
fn a_road_wears_by_one_tick_per_body_part_that_steps_on_it() {
    let (mut s, _) = open_scenario();
    let ctl = s.controller();
    let road_pos = s.free_at_range(ctl.pos, 5);
    let road = s.add(
        road_pos,
        None,
        Some(Hits {
            hits: ROAD_HITS,
            max: ROAD_HITS,
        }),
        None,
        ObjectKind::Structure(StructureKind::Road),
    );
    s.edit(|snap| {
        let r = snap.objects.iter_mut().find(|o| o.id == road).unwrap();
        r.decay = Some(Decay { ticks: 100 });
    });
    let from = s.free_at_range(road_pos, 1);
    let walker = s.add_creep(from, &[Move, Move, Move, Carry, Carry], 0);
    let direction = Direction::ALL
        .iter()
        .find(|d| from.step(**d) == Some(road_pos))
        .map(|d| *d as u8)
        .unwrap();
    s.run(vec![Intent::Move {
        creep: walker,
        direction,
    }]);
    assert_eq!(s.rec(walker).pos, road_pos);
    assert_eq!(s.rec(road).decay.unwrap().ticks, 100 - 5 * ROAD_WEAROUT - 1);
}

#[test]
fn a_spawn_sends_its_creep_out_by_the_directions_asked_and_cancel_drops_it() {
    let (mut s, bob) = open_scenario();
    let spawn = s.spawn;
    let spawn_pos = s.rec(spawn).pos;
    let spawn_creep = |name: &str| Intent::SpawnCreep {
        spawn,
        body: vec![Move],
        name: name.into(),
        energy_structures: None,
    };
    // BOTTOM (5), then BOTTOM_LEFT (6): the first free one.
    assert_eq!(
        s.run(vec![
            spawn_creep("a"),
            Intent::SetSpawnDirections {
                spawn,
                directions: vec![5, 6, 5]
            },
            Intent::SetSpawnDirections {
                spawn: s.spawn,
                directions: vec![9]
            },
        ]),
        vec![R::Ok, R::Ok, R::InvalidArgs]
    );
    assert_eq!(
        s.run_as(
            bob,
            vec![Intent::SetSpawnDirections {
                spawn,
                directions: vec![1]
            }]
        ),
        vec![R::NotOwner]
    );
    for _ in 0..CREEP_SPAWN_TIME {
        s.run(vec![]);
    }
    let a = s.find(|o| matches!(&o.kind, ObjectKind::Creep(c) if c.name == "a"));
    assert_eq!(a.pos, spawn_pos.step(Direction::Bottom).unwrap(), "{a:?}");
    // Cancelled, the creep inside is gone and the spawn free again.
    assert_eq!(s.run(vec![spawn_creep("b")]), vec![R::Ok]);
    assert_eq!(s.run(vec![Intent::CancelSpawning { spawn }]), vec![R::Ok]);
    assert!(matches!(&s.rec(spawn).kind, ObjectKind::Spawn(sp) if sp.spawning.is_none()));
    assert!(!s
        .world
        .records()
        .iter()
        .any(|o| matches!(&o.kind, ObjectKind::Creep(c) if c.name == "b")));
}

#[test]
fn the_event_log_records_attacks_hit_backs_and_deaths_of_the_last_tick() {
    use isoshard_world::events::*;
    let (mut s, bob) = open_scenario();
    let ctl = s.controller();
    let open = s.free_at_range(ctl.pos, 6);
    let victim = s.add_creep(open, &[Attack, Move], 0);
    let brawler = s.add_creep_for(bob, s.free_at_range(open, 1), &[Attack, Attack, Move], 0);
    s.run_as(
        bob,
        vec![Intent::Attack {
            creep: brawler,
            target: victim,
        }],
    );
    let events = s.world.events().by_room[&open.room].clone();
    assert!(events.contains(&RoomEvent {
        object: brawler,
        kind: EventKind::Attack {
            target: victim,
            damage: 60,
            attack_type: ATTACK_MELEE
        },
    }));
    assert!(events.contains(&RoomEvent {
        object: victim,
        kind: EventKind::Attack {
            target: brawler,
            damage: 30,
            attack_type: ATTACK_HIT_BACK
        },
    }));
    // 60 a tick: the 200-hit victim falls in the fourth.
    while s.world.record(victim).is_some() {
        let attack = Intent::Attack {
            creep: brawler,
            target: victim,
        };
        s.run_as(bob, vec![attack]);
    }
    let events = s.world.events().by_room[&open.room].clone();
    assert!(
        events.contains(&RoomEvent {
            object: victim,
            kind: EventKind::ObjectDestroyed {
                object_type: "creep".into()
            },
        }),
        "{events:?}"
    );
    s.run(vec![]);
    assert!(
        !s.world.events().by_room.contains_key(&open.room),
        "only the last tick's"
    );
}

#[test]
fn attacked_objects_tell_their_owner_unless_told_not_to() {
    let (mut s, bob) = open_scenario();
    let me = s.player;
    let ctl = s.controller();
    let at = s.free_at_range(ctl.pos, 4);
    let victim = s.add_creep(at, &[Move, Move], 0);
    let brute_at = s.free_at_range(at, 1);
    let brute = s.add_creep_for(bob, brute_at, &[Attack, Move], 0);
    let hit = Intent::Attack {
        creep: brute,
        target: victim,
    };
    let mut batch = IntentBatch::new();
    batch.extend(bob, vec![hit.clone()]);
    let out = s.world.tick(&batch);
    let room = s.world.map().get(s.room).name.clone();
    let name = match s.rec(victim).kind {
        ObjectKind::Creep(c) => c.name,
        _ => String::new(),
    };
    assert_eq!(
        out.notifications,
        vec![(
            me,
            format!("Your creep {name} in room {room} is under attack!")
        )]
    );
    // Another's creep, and a bad argument, are refused; the owner turns it off.
    let quiet = |object, enabled| Intent::NotifyWhenAttacked { object, enabled };
    assert_eq!(s.run_as(bob, vec![quiet(victim, false)]), vec![R::NotOwner]);
    assert_eq!(s.run(vec![quiet(victim, false)]), vec![R::Ok]);
    let view = s.world.views();
    let shown = view.rooms[&room]
        .objects
        .iter()
        .find(|o| o.id == victim.to_js())
        .unwrap();
    assert_eq!(shown.quiet, Some(true));
    let mut batch = IntentBatch::new();
    batch.extend(bob, vec![hit]);
    assert!(s.world.tick(&batch).notifications.is_empty());
    // Structures too, in the owner's room only.
    assert_eq!(s.run(vec![quiet(s.spawn, false)]), vec![R::Ok]);
    assert_eq!(s.run_as(bob, vec![quiet(s.spawn, true)]), vec![R::NotOwner]);
    let source = s.source().id;
    assert_eq!(s.run(vec![quiet(source, false)]), vec![R::InvalidTarget]);
}

#[test]
fn a_pulled_creep_follows_its_puller_and_the_puller_takes_its_fatigue() {
    let mut s = scenario();
    let ctl = s.controller();
    let plain = |s: &Scenario, p: Position| {
        s.world.map().tile(p) == Tile::Plain && !s.occupied(p) && !p.is_edge()
    };
    // Three plain tiles in a row: the miner, the hauler, and where the hauler goes.
    let start = (5u8..44)
        .flat_map(|y| (5u8..44).map(move |x| (x, y)))
        .map(|(x, y)| Position::new(ctl.pos.room, x, y))
        .find(|p| (0..3).all(|dx| plain(&s, Position::new(p.room, p.x + dx, p.y))))
        .unwrap();
    let at = |dx: u8| Position::new(start.room, start.x + dx, start.y);
    let miner = s.add_creep(at(0), &[Work, Work, Work], 0);
    let hauler = s.add_creep(at(1), &[Move, Move], 0);
    let follow = Intent::MoveToCreep {
        creep: miner,
        target: hauler,
    };
    // Without a pull, a creep with no MOVE part stays (move(creep) itself is accepted).
    assert_eq!(s.run(vec![follow.clone()]), vec![R::Ok]);
    assert_eq!(s.rec(miner).pos, at(0));
    let pull = Intent::Pull {
        creep: hauler,
        target: miner,
    };
    let step = Intent::Move {
        creep: hauler,
        direction: Direction::Right as u8,
    };
    assert_eq!(s.run(vec![pull, step, follow]), vec![R::Ok, R::Ok, R::Ok]);
    assert_eq!(s.rec(hauler).pos, at(2));
    assert_eq!(s.rec(miner).pos, at(1));
    let fatigue = |s: &Scenario, id| match s.rec(id).kind {
        ObjectKind::Creep(c) => c.fatigue,
        _ => u32::MAX,
    };
    // The miner's 3 parts × 2 on plain go to the hauler, whose 2 MOVE parts take 4 off.
    assert_eq!((fatigue(&s, miner), fatigue(&s, hauler)), (0, 2));
    let self_pull = Intent::Pull {
        creep: hauler,
        target: hauler,
    };
    assert_eq!(s.run(vec![self_pull]), vec![R::InvalidTarget]);
}
