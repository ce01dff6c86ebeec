//! Stores of every resource: transfers, withdrawals, drops, pickups, tombstones and ruins
//! with minerals, and the capacity rules of screeps/engine (`utils.capacityForResource`).

mod support;

use isoshard_world::BodyPartKind::*;
use isoshard_world::ReturnCode as R;
use isoshard_world::*;
use support::*;

use ResourceKind::{Energy, Hydrogen, Oxygen};

/// A scenario with a storage holding 500 H and a creep (2 CARRY) next to it.
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
    let piles: Vec<ObjectRecord> = s
        .world
        .records()
        .into_iter()
        .filter(|o| o.pos == at && matches!(o.kind, ObjectKind::Resource))
        .collect();
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
