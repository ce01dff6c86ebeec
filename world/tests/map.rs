//! The map: Screeps' layout (highways every tenth row and column, source-keeper rooms around
//! sector centres), terrain that is a function of the seed and a room's place (so snapshots
//! leave it out and operators can add rooms), borders that agree from both sides, room
//! status, and a 10 000-room world that loads, snapshots small and ticks.

use isoshard_world::*;

fn world(seed: u64, width: u32, height: u32) -> GameWorld {
    GameWorld::new(WorldConfig {
        seed,
        width,
        height,
    })
    .unwrap()
}

fn objects_in(w: &GameWorld, room: RoomId) -> Vec<(u8, u8, String)> {
    let mut v: Vec<_> = w
        .records()
        .into_iter()
        .filter(|o| o.pos.room == room)
        .map(|o| (o.pos.x, o.pos.y, format!("{:?}", o.kind)))
        .collect();
    v.sort();
    v
}

#[test]
fn rooms_follow_screeps_layout_highways_keepers_and_centres() {
    let c = |x, y| RoomKind::of(RoomCoord { x, y });
    assert_eq!(c(0, 0), RoomKind::Crossroads, "E0S0");
    assert_eq!(c(-1, 3), RoomKind::Highway, "W0S3");
    assert_eq!(c(10, 7), RoomKind::Highway, "E10S7");
    assert_eq!(c(5, 5), RoomKind::SectorCentre, "E5S5");
    assert_eq!(c(-6, -6), RoomKind::SectorCentre, "W5N5");
    assert_eq!(c(4, 6), RoomKind::SourceKeeper, "E4S6");
    assert_eq!(c(3, 6), RoomKind::Normal, "E3S6");
    assert_eq!(c(-11, -11), RoomKind::Crossroads, "W10N10");
    assert_eq!(c(-16, 15), RoomKind::SectorCentre, "W15S15");
    assert_eq!(c(-16, 14), RoomKind::SourceKeeper, "W15S14");
    assert_eq!(c(-21, 33), RoomKind::Highway, "W20S33");
    let w = world(3, 30, 30);
    let map = w.map();
    for room in &map.rooms {
        let objects = objects_in(&w, room.id);
        let count = |what: &str| objects.iter().filter(|o| o.2.starts_with(what)).count();
        match room.kind {
            RoomKind::Highway | RoomKind::Crossroads => {
                assert!(objects.is_empty(), "{}", room.name)
            }
            RoomKind::SourceKeeper | RoomKind::SectorCentre => {
                assert_eq!(
                    (count("Source"), count("Controller")),
                    (3, 0),
                    "{}",
                    room.name
                );
                assert_eq!(count("Mineral"), 1);
            }
            RoomKind::Normal => {
                assert_eq!(count("Controller"), 1, "{}", room.name);
                assert!((1..=2).contains(&count("Source")), "{}", room.name);
                assert_eq!(count("Mineral"), 1);
            }
        }
    }
    assert!(map.by_name("E0S0").is_some() && map.by_name("W14N14").is_some());
}

#[test]
fn a_room_is_the_same_whatever_map_it_is_in_and_added_rooms_fit_their_neighbours() {
    let small = world(9, 2, 2);
    let big = world(9, 3, 2);
    let e1s1 = |w: &GameWorld| w.map().get(w.map().by_name("E1S1").unwrap()).clone();
    assert_eq!(e1s1(&small).terrain, e1s1(&big).terrain);
    // An operator grows the 2×2 map by E3S1 and E3S2: they come out as in the 3×2 map.
    let mut grown = world(9, 2, 2);
    let added = grown
        .add_rooms(&[
            RoomSpec {
                coord: RoomCoord { x: 3, y: 1 },
                status: RoomStatus::Normal,
            },
            RoomSpec {
                coord: RoomCoord { x: 3, y: 1 },
                status: RoomStatus::Normal,
            },
        ])
        .unwrap();
    assert_eq!(added.len(), 1, "a place already on the map is skipped");
    let id = added[0];
    let twin = big.map().by_name("E3S1").unwrap();
    assert_eq!(grown.map().get(id).terrain, big.map().get(twin).terrain);
    assert_eq!(objects_in(&grown, id), objects_in(&big, twin));
    let west = grown.map().by_name("E2S1").unwrap();
    assert_eq!(grown.map().get(id).neighbors[3], Some(west));
    assert_eq!(grown.map().get(west).neighbors[1], Some(id));
    // Every border is open at the same tiles from both sides.
    for room in &big.map().rooms {
        if let Some(right) = room.neighbors[1] {
            let other = &big.map().get(right).terrain;
            for y in 0..50 {
                assert_eq!(
                    room.terrain.get(49, y) == Tile::Wall,
                    other.get(0, y) == Tile::Wall,
                    "{} / {} at y {y}",
                    room.name,
                    big.map().get(right).name
                );
            }
        }
        if let Some(below) = room.neighbors[2] {
            let other = &big.map().get(below).terrain;
            for x in 0..50 {
                assert_eq!(
                    room.terrain.get(x, 49) == Tile::Wall,
                    other.get(x, 0) == Tile::Wall
                );
            }
        }
    }
    // The grown world survives a snapshot: rooms, status and objects.
    grown.set_room_status("E3S1", RoomStatus::Novice).unwrap();
    let back = GameWorld::restore(grown.snapshot()).unwrap();
    assert_eq!(back.state_hash(), grown.state_hash());
    assert_eq!(back.map().get(id).status, RoomStatus::Novice);
    assert_eq!(back.map().get(id).terrain, grown.map().get(id).terrain);
    assert!(grown.set_room_status("E9S9", RoomStatus::Closed).is_err());
}

#[test]
fn a_10_000_room_world_loads_snapshots_without_terrain_and_ticks() {
    let mut w = world(17, 100, 100);
    assert_eq!(w.map().rooms.len(), 10_000);
    let players: Vec<PlayerId> = (0..20)
        .map(|i| w.add_player(&format!("p{i}")).unwrap())
        .collect();
    let snapshot = w.snapshot();
    let bytes = postcard::to_stdvec(&snapshot).unwrap();
    // Rooms' objects and places only: about 40 000 objects, no terrain (25 MB as digits).
    assert!(bytes.len() < 4 << 20, "snapshot is {} bytes", bytes.len());
    let back = GameWorld::restore(snapshot).unwrap();
    assert_eq!(back.state_hash(), w.state_hash());
    let mut batch = IntentBatch::new();
    for p in &players {
        let spawn = w
            .records()
            .into_iter()
            .find(|o| o.owner == Some(*p) && matches!(o.kind, ObjectKind::Spawn(_)))
            .unwrap();
        batch.extend(
            *p,
            [Intent::SpawnCreep {
                spawn: spawn.id,
                body: vec![BodyPartKind::Work, BodyPartKind::Carry, BodyPartKind::Move],
                name: "first".into(),
                energy_structures: None,
            }],
        );
    }
    let out = w.tick(&batch);
    assert!(out
        .results
        .values()
        .all(|codes| codes == &vec![ReturnCode::Ok]));
    assert_eq!(w.time(), 1);
}

#[test]
fn player_views_are_the_views_of_the_rooms_players_see() {
    let mut w = world(5, 12, 12);
    for i in 0..3 {
        w.add_player(&format!("p{i}")).unwrap();
    }
    let all = w.views();
    let seen = w.player_views();
    assert_eq!(all.players, seen.players);
    let visible: std::collections::BTreeSet<&String> =
        all.players.values().flat_map(|p| &p.rooms).collect();
    assert_eq!(
        seen.rooms.keys().collect::<std::collections::BTreeSet<_>>(),
        visible
    );
    for (name, room) in &seen.rooms {
        assert_eq!(room, &all.rooms[name]);
    }
    assert_eq!(all.rooms.len(), 144);
    assert!(seen.rooms.len() >= 3 && seen.rooms.len() < 144);
}

#[test]
fn restoring_onto_a_known_map_gives_the_same_world_and_a_foreign_map_is_not_used() {
    let mut w = world(5, 12, 12);
    w.add_player("alice").unwrap();
    w.tick(&IntentBatch::new());
    let snap = w.snapshot();
    let fresh = GameWorld::restore(snap.clone()).unwrap();
    let reused = GameWorld::restore_with_map(snap.clone(), w.map()).unwrap();
    assert_eq!(reused.state_hash(), fresh.state_hash());
    assert_eq!(reused.map(), fresh.map());
    // Another seed's map does not fit: the terrain is generated for this snapshot instead.
    let other = world(6, 12, 12);
    let rebuilt = GameWorld::restore_with_map(snap, other.map()).unwrap();
    assert_eq!(rebuilt.map(), fresh.map());
    assert_ne!(other.map(), fresh.map());
}
