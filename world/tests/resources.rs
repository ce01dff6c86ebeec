//! Stores of every resource: transfers, withdrawals, drops, pickups, tombstones and ruins
//! with minerals, and the capacity rules of screeps/engine (`utils.capacityForResource`).

mod support;

use isoshard_world::BodyPartKind::*;
use isoshard_world::ReturnCode as R;
use isoshard_world::*;
use support::*;

use ResourceKind::{Energy, Hydrogen, Oxygen};

/// A scenario with a storage holding 500 H and a creep (2 CARRY) next to it.
/// The dropped-resource piles on one tile.
fn piles_at(s: &Scenario, at: Position) -> Vec<ObjectRecord> {
    s.world
        .records()
        .into_iter()
        .filter(|o| o.pos == at && matches!(o.kind, ObjectKind::Resource))
        .collect()
}

fn storage_and_hauler() -> (Scenario, ObjectId, ObjectId) {
    let mut s = scenario();
    let ctl = s.controller();
    let at = s.free_at_range(ctl.pos, 4);
    let me = s.player;
    let storage = s.add_store(
        at,
        Some(me),
        StructureKind::Storage,
        StoreLimit::Total(1000),
    );
    s.give(storage, Hydrogen, 500);
    let beside = s.free_at_range(at, 1);
    let hauler = s.add_creep(beside, &[Carry, Carry, Move], 30);
    (s, storage, hauler)
}

#[test]
fn a_creep_carries_minerals_and_energy_together_up_to_its_capacity() {
    let (mut s, storage, hauler) = storage_and_hauler();
    let withdraw = |amount| Intent::Withdraw {
        creep: hauler,
        target: storage,
        resource: Hydrogen,
        amount,
    };
    // 30 energy aboard: 70 of the 100 left for hydrogen.
    assert_eq!(s.run(vec![withdraw(Some(71))]), vec![R::Full]);
    assert_eq!(s.run(vec![withdraw(None)]), vec![R::Ok]);
    assert_eq!(s.amount(hauler, Hydrogen), 70);
    assert_eq!(s.amount(storage, Hydrogen), 430);
    assert_eq!(s.run(vec![withdraw(None)]), vec![R::Full]);
    let store = s.rec(hauler).store.unwrap();
    assert_eq!(store.contents(), &[(Energy, 30), (Hydrogen, 70)]);
    // Nothing of a resource the target lacks.
    let oxygen = Intent::Transfer {
        creep: hauler,
        target: storage,
        resource: Oxygen,
        amount: None,
    };
    assert_eq!(s.run(vec![oxygen]), vec![R::NotEnoughResources]);
    let back = Intent::Transfer {
        creep: hauler,
        target: storage,
        resource: Hydrogen,
        amount: Some(20),
    };
    assert_eq!(s.run(vec![back]), vec![R::Ok]);
    assert_eq!(s.amount(storage, Hydrogen), 450);
    assert_eq!(s.amount(hauler, Hydrogen), 50);
}

#[test]
fn energy_only_structures_refuse_minerals_as_an_invalid_target() {
    let (mut s, _, hauler) = storage_and_hauler();
    s.give(hauler, Hydrogen, 10);
    let spawn = s.spawn;
    let spawn_pos = s.rec(spawn).pos;
    let beside = s.free_at_range(spawn_pos, 1);
    s.edit(|snap| {
        let creep = snap.objects.iter_mut().find(|o| o.id == hauler);
        if let Some(o) = creep {
            o.pos = beside;
        }
    });
    let give = |resource| Intent::Transfer {
        creep: hauler,
        target: spawn,
        resource,
        amount: None,
    };
    // game/creeps.js: `capacityForResource` is 0 for hydrogen in a spawn.
    assert_eq!(s.run(vec![give(Hydrogen)]), vec![R::InvalidTarget]);
    s.edit(|snap| {
        for o in &mut snap.objects {
            if o.id == spawn {
                o.store = Some(Store::energy_only(100, SPAWN_ENERGY_CAPACITY));
            }
        }
    });
    assert_eq!(s.run(vec![give(Energy)]), vec![R::Ok]);
    assert_eq!(s.energy(hauler), 0);
}

#[test]
fn dropped_minerals_lie_in_their_own_pile_decay_and_are_picked_up() {
    let (mut s, _, hauler) = storage_and_hauler();
    s.give(hauler, Hydrogen, 40);
    let at = s.rec(hauler).pos;
    let drop = |resource, amount| Intent::Drop {
        creep: hauler,
        resource,
        amount,
    };
    assert_eq!(s.run(vec![drop(Oxygen, None)]), vec![R::NotEnoughResources]);
    assert_eq!(
        s.run(vec![drop(Hydrogen, Some(41))]),
        vec![R::NotEnoughResources]
    );
    assert_eq!(s.run(vec![drop(Hydrogen, None)]), vec![R::Ok]);
    assert_eq!(s.run(vec![drop(Energy, Some(30))]), vec![R::Ok]);
    let piles = piles_at(&s, at);
    assert_eq!(piles.len(), 2, "one pile per resource on a tile");
    // energy/tick.js: ceil(amount / 1000) a tick, whatever the resource.
    let hydrogen = piles
        .iter()
        .find(|p| p.store.as_ref().unwrap().get(Hydrogen) > 0);
    let hydrogen = hydrogen.expect("a hydrogen pile").id;
    assert_eq!(
        s.amount(hydrogen, Hydrogen),
        38,
        "dropped two ticks ago, decayed twice"
    );
    let view = s.world.views();
    let room = &view.rooms[&s.world.map().get(s.room).name];
    let shown = room
        .objects
        .iter()
        .find(|o| o.id == hydrogen.to_js())
        .unwrap();
    assert_eq!(shown.resource_type.as_deref(), Some("H"));
    assert_eq!(shown.amount, Some(38));
    let pick = Intent::Pickup {
        creep: hauler,
        target: hydrogen,
    };
    assert_eq!(s.run(vec![pick]), vec![R::Ok]);
    assert_eq!(s.amount(hauler, Hydrogen), 38);
    assert!(s.world.record(hydrogen).is_none());
}

#[test]
fn tombstones_and_ruins_keep_what_their_creep_or_structure_held() {
    let (mut s, storage, hauler) = storage_and_hauler();
    s.give(hauler, Oxygen, 20);
    let at = s.rec(hauler).pos;
    s.run(vec![Intent::Suicide { creep: hauler }]);
    let tomb = s.find(|o| o.pos == at && matches!(o.kind, ObjectKind::Tombstone(_)));
    assert_eq!(tomb.store.as_ref().unwrap().get(Oxygen), 20);
    // The 30 carried and 20 % of the body's 150 (`die.js`).
    assert_eq!(tomb.store.as_ref().unwrap().get(Energy), 60);
    let storage_pos = s.rec(storage).pos;
    s.run(vec![Intent::DestroyStructure { structure: storage }]);
    let ruin = s.find(|o| o.pos == storage_pos && matches!(o.kind, ObjectKind::Ruin(_)));
    assert_eq!(ruin.store.as_ref().unwrap().get(Hydrogen), 500);
    // A new hauler takes the hydrogen back out of the ruin.
    let beside = s.free_at_range(storage_pos, 1);
    let taker = s.add_creep(beside, &[Carry, Move], 0);
    let take = Intent::Withdraw {
        creep: taker,
        target: ruin.id,
        resource: Hydrogen,
        amount: None,
    };
    assert_eq!(s.run(vec![take]), vec![R::Ok]);
    assert_eq!(s.amount(taker, Hydrogen), 50);
    assert_eq!(s.amount(ruin.id, Hydrogen), 450);
}

/// The home room's mineral, the controller at `level`, and a miner (`work` WORK parts, one
/// CARRY) next to the mineral.
fn mine(level: u8, work: usize) -> (Scenario, ObjectRecord, ObjectId) {
    let mut s = scenario();
    let ctl = s.controller().id;
    s.edit_controller(ctl, |c| c.level = level);
    let room = s.room;
    let mineral = s.find(|o| o.pos.room == room && matches!(o.kind, ObjectKind::Mineral(_)));
    let beside = s.free_at_range(mineral.pos, 1);
    let mut body = vec![Work; work];
    body.extend([Carry, Move]);
    let miner = s.add_creep(beside, &body, 0);
    (s, mineral, miner)
}

fn site(s: &Scenario, pos: Position, structure: StructureKind) -> Intent {
    Intent::CreateConstructionSite {
        room: s.world.map().get(pos.room).name.clone(),
        x: pos.x,
        y: pos.y,
        structure,
    }
}

#[test]
fn extractors_are_built_on_minerals_from_level_6() {
    let (mut s, mineral, miner) = mine(5, 1);
    let on = site(&s, mineral.pos, StructureKind::Extractor);
    assert_eq!(s.run(vec![on.clone()]), vec![R::RclNotEnough]);
    let ctl = s.controller().id;
    s.edit_controller(ctl, |c| c.level = 6);
    let off = site(&s, s.rec(miner).pos, StructureKind::Extractor);
    assert_eq!(s.run(vec![off]), vec![R::InvalidTarget], "not on a mineral");
    assert_eq!(s.run(vec![on.clone()]), vec![R::Ok]);
    assert_eq!(s.run(vec![on]), vec![R::InvalidTarget], "a site is there");
}

/// Puts a finished extractor of `owner` on the mineral.
fn add_extractor(s: &mut Scenario, mineral: &ObjectRecord, owner: PlayerId) -> ObjectId {
    let hits = Some(StructureKind::Extractor.initial_hits());
    let kind = ObjectKind::Structure(StructureKind::Extractor);
    s.add(mineral.pos, Some(owner), hits, None, kind)
}

#[test]
fn harvesting_a_mineral_needs_an_owned_active_extractor_off_cooldown() {
    let (mut s, mineral, miner) = mine(6, 3);
    let me = s.player;
    let harvest = Intent::Harvest {
        creep: miner,
        target: mineral.id,
    };
    assert_eq!(s.run(vec![harvest.clone()]), vec![R::NotFound]);
    let extractor = add_extractor(&mut s, &mineral, me);
    let ctl = s.controller().id;
    s.edit_controller(ctl, |c| c.level = 5);
    assert_eq!(s.run(vec![harvest.clone()]), vec![R::RclNotEnough]);
    s.edit_controller(ctl, |c| c.level = 6);
    assert_eq!(s.run(vec![harvest.clone()]), vec![R::Ok]);
    let ObjectKind::Mineral(m) = &mineral.kind else {
        unreachable!()
    };
    let kind = m.mineral_type;
    // HARVEST_MINERAL_POWER per WORK part.
    assert_eq!(s.amount(miner, kind), 3);
    assert_eq!(
        s.rec(extractor).cooldown.map(|c| c.ticks),
        Some(EXTRACTOR_COOLDOWN)
    );
    for left in (1..EXTRACTOR_COOLDOWN).rev() {
        assert_eq!(s.run(vec![harvest.clone()]), vec![R::Tired]);
        assert_eq!(s.rec(extractor).cooldown.map(|c| c.ticks), Some(left));
    }
    assert_eq!(s.run(vec![harvest.clone()]), vec![R::Tired]);
    assert_eq!(
        s.run(vec![harvest]),
        vec![R::Ok],
        "one harvest in six ticks"
    );
    assert_eq!(s.amount(miner, kind), 6);
}

#[test]
fn several_miners_share_one_extractor_tick_and_overflow_drops() {
    let (mut s, mineral, miner) = mine(6, 3);
    let me = s.player;
    add_extractor(&mut s, &mineral, me);
    let second_spot = s.free_at_range(mineral.pos, 1);
    let second = s.add_creep(second_spot, &[Work, Work, Move], 0);
    let harvest = |creep| Intent::Harvest {
        creep,
        target: mineral.id,
    };
    assert_eq!(
        s.run(vec![harvest(miner), harvest(second)]),
        vec![R::Ok, R::Ok]
    );
    let ObjectKind::Mineral(m) = &mineral.kind else {
        unreachable!()
    };
    assert_eq!(s.amount(miner, m.mineral_type), 3);
    // No CARRY: both units drop under the second miner, and the pile decays by one at once.
    let pile = s.find(|o| o.pos == second_spot && matches!(o.kind, ObjectKind::Resource));
    assert_eq!(pile.store.unwrap().get(m.mineral_type), 1);
    let left = match s.rec(mineral.id).kind {
        ObjectKind::Mineral(m) => m.amount,
        _ => 0,
    };
    assert_eq!(left, m.amount - 5);
}

#[test]
fn a_rivals_extractor_is_not_yours_to_use() {
    let (mut s, mineral, miner) = mine(6, 1);
    let (bob, _) = s.add_rival();
    add_extractor(&mut s, &mineral, bob);
    let harvest = Intent::Harvest {
        creep: miner,
        target: mineral.id,
    };
    assert_eq!(s.run(vec![harvest]), vec![R::NotOwner]);
}

#[test]
fn an_exhausted_mineral_shows_its_regeneration_timer() {
    let (mut s, mineral, miner) = mine(6, 5);
    let me = s.player;
    add_extractor(&mut s, &mineral, me);
    s.edit(|snap| {
        for o in &mut snap.objects {
            if let (true, ObjectKind::Mineral(m)) = (o.id == mineral.id, &mut o.kind) {
                m.amount = 4;
            }
        }
    });
    let harvest = Intent::Harvest {
        creep: miner,
        target: mineral.id,
    };
    assert_eq!(s.run(vec![harvest]), vec![R::Ok]);
    let ObjectKind::Mineral(m) = s.rec(mineral.id).kind else {
        unreachable!()
    };
    assert_eq!(
        (m.amount, m.ticks_to_regeneration),
        (0, Some(MINERAL_REGEN_TIME - 1))
    );
    let harvest = Intent::Harvest {
        creep: miner,
        target: mineral.id,
    };
    assert_eq!(s.run(vec![harvest]), vec![R::NotEnoughResources]);
    let view = s.world.views();
    let room = &view.rooms[&s.world.map().get(s.room).name];
    let shown = room
        .objects
        .iter()
        .find(|o| o.id == mineral.id.to_js())
        .unwrap();
    assert_eq!(shown.ticks_to_regeneration, Some(MINERAL_REGEN_TIME - 2));
    assert_eq!(shown.density, Some(DENSITY_MODERATE));
}

/// `_create-energy.js`: one pile per resource per tile. A pile a pickup empties stays until
/// the tick's end, and what is dropped on its tile later in the same tick (here a full
/// harvester's overflow) goes into it, not into a second pile.
#[test]
fn a_drop_after_a_pickup_emptied_the_pile_goes_into_that_pile() {
    let mut s = scenario();
    let source = s.source();
    let at = s.free_at_range(source.pos, 1);
    let harvester = s.add_creep(at, &[Work, Work, Carry, Move], 50);
    let pile = s.add(
        at,
        None,
        None,
        Some(Store::with(StoreLimit::Unlimited, Energy, 20)),
        ObjectKind::Resource,
    );
    let picker_at = s.free_at_range(at, 1);
    let picker = s.add_creep(picker_at, &[Carry, Carry, Move], 0);
    let codes = s.run(vec![
        Intent::Pickup {
            creep: picker,
            target: pile,
        },
        Intent::Harvest {
            creep: harvester,
            target: source.id,
        },
    ]);
    assert_eq!(codes, vec![R::Ok, R::Ok]);
    assert_eq!(s.energy(picker), 20);
    let piles = piles_at(&s, at);
    assert_eq!(piles.len(), 1, "one pile on the tile: {piles:?}");
    assert_eq!(piles[0].id, pile, "the emptied pile took the drop");
    // 4 harvested, none kept, then ceil(4 / 1000) decayed.
    assert_eq!(s.energy(pile), 3);
}
