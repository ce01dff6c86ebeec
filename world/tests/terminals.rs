//! Terminals and observers (screeps/engine `game/structures.js` `send`, `global-intents/market.js`): a
//! transfer between two players' rooms for the energy the distance costs, its cooldown, its
//! return codes in Screeps' order, and the transactions both sides see.

mod support;

use isoshard_world::ReturnCode as R;
use isoshard_world::*;
use support::*;

use ResourceKind::{Energy, Hydrogen};

fn send(terminal: ObjectId, resource: ResourceKind, amount: u32, to: &str) -> Intent {
    Intent::Send {
        terminal,
        resource,
        amount,
        destination: to.into(),
        description: Some("for <you>".into()),
    }
}

#[test]
fn a_send_moves_the_resource_for_the_distance_cost_and_cools_down() {
    let (mut s, bob, sender, receiver, bob_room) = two_terminals();
    let map = s.world.map();
    let (a, b) = (
        map.get(s.rec(sender).pos.room).coord,
        map.get(s.rec(receiver).pos.room).coord,
    );
    // calcRoomsDistance(…, true): the world wraps at its size.
    let size = map.world_size();
    let wrap = |d: u32| d.min(size - d);
    let range = wrap((a.x - b.x).unsigned_abs()).max(wrap((a.y - b.y).unsigned_abs()));
    let cost = market::terminal_energy_cost(300, range);
    assert!(cost > 0, "the rooms are apart");
    assert_eq!(
        s.run(vec![send(sender, Hydrogen, 300, &bob_room)]),
        vec![R::Ok]
    );
    assert_eq!(s.amount(receiver, Hydrogen), 300);
    assert_eq!(s.amount(sender, Hydrogen), 700);
    assert_eq!(s.energy(sender), 1000 - cost);
    assert_eq!(
        s.rec(sender).cooldown.map(|c| c.ticks),
        Some(TERMINAL_COOLDOWN - 1)
    );
    assert_eq!(
        s.run(vec![send(sender, Hydrogen, 1, &bob_room)]),
        vec![R::Tired]
    );
    // Both sides see it; the description is escaped as market.js does.
    let views = s.world.views();
    let out = &views.players[&s.player].market.outgoing;
    let inc = &views.players[&bob].market.incoming;
    assert_eq!(out.len(), 1);
    assert_eq!(out, inc);
    let t = &out[0];
    assert_eq!(
        (t.sender.as_deref(), t.recipient.as_deref()),
        (Some("alice"), Some("bob"))
    );
    assert_eq!((t.resource_type.as_str(), t.amount), ("H", 300));
    assert_eq!(t.to, bob_room);
    assert_eq!(t.description.as_deref(), Some("for &lt;you>"));
}

#[test]
fn send_answers_screeps_codes_in_order() {
    let (mut s, bob, sender, receiver, bob_room) = two_terminals();
    assert_eq!(
        s.run_as(bob, vec![send(sender, Hydrogen, 1, &bob_room)]),
        vec![R::NotOwner]
    );
    assert_eq!(
        s.run(vec![send(sender, Hydrogen, 1, "nowhere")]),
        vec![R::InvalidArgs]
    );
    assert_eq!(
        s.run(vec![send(sender, Hydrogen, 1001, &bob_room)]),
        vec![R::NotEnoughResources]
    );
    // Sending energy pays the cost on top.
    assert_eq!(
        s.run(vec![send(sender, Energy, 1000, &bob_room)]),
        vec![R::NotEnoughResources]
    );
    let long = Intent::Send {
        terminal: sender,
        resource: Hydrogen,
        amount: 1,
        destination: bob_room.clone(),
        description: Some("x".repeat(101)),
    };
    assert_eq!(s.run(vec![long]), vec![R::InvalidArgs]);
    let ctl = s.controller().id;
    s.edit_controller(ctl, |c| c.level = 5);
    assert_eq!(
        s.run(vec![send(sender, Hydrogen, 1, &bob_room)]),
        vec![R::RclNotEnough]
    );
    assert_eq!(s.amount(receiver, Hydrogen), 0);
}

#[test]
fn a_send_to_a_room_without_a_terminal_moves_nothing_and_costs_nothing() {
    let (mut s, _, sender, _, _) = two_terminals();
    let empty = s
        .world
        .map()
        .rooms
        .iter()
        .find(|r| r.coord.x > 5)
        .map_or("E9S9".to_string(), |r| r.name.clone());
    assert_eq!(s.run(vec![send(sender, Hydrogen, 10, &empty)]), vec![R::Ok]);
    assert_eq!(s.amount(sender, Hydrogen), 1000);
    assert_eq!(s.energy(sender), 1000);
    assert_eq!(s.rec(sender).cooldown, None, "no transfer, no cooldown");
}

#[test]
fn an_observer_shows_a_room_for_the_next_tick() {
    let mut s = scenario();
    let ctl = s.controller();
    s.edit_controller(ctl.id, |c| c.level = 8);
    let me = s.player;
    let at = s.free_at_range(ctl.pos, 3);
    let hits = Some(StructureKind::Observer.initial_hits());
    let kind = ObjectKind::Structure(StructureKind::Observer);
    let observer = s.add(at, Some(me), hits, None, kind);
    let far = s
        .world
        .map()
        .rooms
        .iter()
        .find(|r| r.id != s.room)
        .map(|r| r.name.clone())
        .unwrap();
    let sees = |s: &Scenario| s.world.views().players[&me].rooms.contains(&far);
    assert!(!sees(&s));
    let look = |room: &str| Intent::ObserveRoom {
        observer,
        room: room.into(),
    };
    assert_eq!(s.run(vec![look("W99N99")]), vec![R::NotInRange]);
    assert_eq!(s.run(vec![look("here")]), vec![R::InvalidArgs]);
    assert_eq!(s.run(vec![look(&far)]), vec![R::Ok]);
    assert!(sees(&s), "seen for the tick after the observation");
    s.run(vec![]);
    assert!(!sees(&s), "and only then");
    s.edit_controller(ctl.id, |c| c.level = 7);
    assert_eq!(s.run(vec![look(&far)]), vec![R::RclNotEnough]);
}

#[test]
fn a_nuke_lands_after_its_flight_and_wrecks_the_room() {
    let (mut s, bob, _, receiver, bob_room) = two_terminals();
    let mine = s.controller();
    s.edit_controller(mine.id, |c| c.level = 8);
    let me = s.player;
    let at = s.free_at_range(mine.pos, 4);
    let nuker = s.add_store(at, Some(me), StructureKind::Nuker, StoreLimit::Nuker);
    let target = s.rec(receiver).pos;
    let launch = Intent::LaunchNuke {
        nuker,
        room: bob_room.clone(),
        x: target.x,
        y: target.y,
    };
    assert_eq!(s.run(vec![launch.clone()]), vec![R::NotEnoughResources]);
    s.give(nuker, Energy, NUKER_ENERGY_CAPACITY);
    s.give(nuker, ResourceKind::Ghodium, NUKER_GHODIUM_CAPACITY);
    let far = Intent::LaunchNuke {
        nuker,
        room: "W40N40".into(),
        x: 1,
        y: 1,
    };
    assert_eq!(
        s.run(vec![far]),
        vec![R::InvalidTarget],
        "a room off the map"
    );
    assert_eq!(s.run(vec![launch.clone()]), vec![R::Ok]);
    assert!(s.rec(nuker).store.unwrap().is_empty());
    assert_eq!(
        s.rec(nuker).cooldown.map(|c| c.ticks),
        Some(NUKER_COOLDOWN - 1)
    );
    assert_eq!(s.run(vec![launch]), vec![R::Tired]);
    let nuke = s.find(|o| matches!(o.kind, ObjectKind::Nuke(_)));
    assert_eq!(nuke.pos, target);
    // Bob's creep in the room, and the terminal under the blast; the flight is cut short.
    let creep_at = s.free_at_range(target, 5);
    let victim = s.add_creep_for(bob, creep_at, &[BodyPartKind::Move], 0);
    s.edit(|snap| {
        for o in &mut snap.objects {
            if let ObjectKind::Nuke(n) = &mut o.kind {
                n.time_to_land = 2;
            }
        }
    });
    s.run(vec![]);
    assert!(s.world.record(nuke.id).is_some(), "one tick to go");
    s.run(vec![]);
    assert!(s.world.record(nuke.id).is_none(), "landed");
    assert!(
        s.world.record(victim).is_none(),
        "every creep in the room dies"
    );
    assert!(
        s.world.record(receiver).is_none(),
        "10 M on its tile destroys the terminal"
    );
    let ruin = s.find(|o| o.pos == target && matches!(o.kind, ObjectKind::Ruin(_)));
    assert_eq!(ruin.store.map_or(0, |st| st.used()), 0);
    let bob_ctl = s.find(|o| o.owner == Some(bob) && matches!(o.kind, ObjectKind::Controller(_)));
    let ObjectKind::Controller(c) = bob_ctl.kind else {
        unreachable!()
    };
    assert_eq!(c.safe_mode, 0, "safe mode ends");
    assert_eq!(c.upgrade_blocked, CONTROLLER_NUKE_BLOCKED_UPGRADE - 1);
}
