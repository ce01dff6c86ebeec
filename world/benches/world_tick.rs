//! World benchmarks: one tick with 1,000 creeps across 25 rooms (move / harvest / transfer,
//! state hash included) and view building for 100 players.
//!
//! `cargo bench -p isoshard-world --bench world_tick`

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use isoshard_world::*;

/// A 5×5 world with as many players as fit and 40 creeps per room (1,000 in all).
fn populated() -> (WorldSnapshot, IntentBatch) {
    let mut w = GameWorld::new(WorldConfig {
        seed: 3,
        width: 5,
        height: 5,
    })
    .unwrap();
    let mut players = Vec::new();
    while let Ok(p) = w.add_player(&format!("p{}", players.len())) {
        players.push(p);
    }
    let map = w.map().clone();
    let mut snap = w.snapshot();
    let mut next = snap.next_object_id;
    let mut creeps_by_room: Vec<Vec<ObjectId>> = vec![Vec::new(); 25];
    let objects = snap.objects.clone();
    for room in 0..25u16 {
        let owner = snap
            .players
            .iter()
            .find(|p| p.home.is_some_and(|h| h.0 == room))
            .map(|p| p.id)
            .unwrap_or(players[room as usize % players.len()]);
        let terrain = &map.rooms[room as usize].terrain;
        let mut placed = 0;
        'fill: for y in 2..48u8 {
            for x in 2..48u8 {
                let pos = Position::new(RoomId(room), x, y);
                if terrain.get(x, y) != Tile::Plain
                    || objects.iter().any(|o| o.pos == pos)
                    || (x + y) % 3 != 0
                {
                    continue;
                }
                let id = ObjectId(next);
                next += 1;
                let body = vec![
                    BodyPart {
                        kind: BodyPartKind::Work,
                        hits: 100,
                        boost: None,
                    },
                    BodyPart {
                        kind: BodyPartKind::Carry,
                        hits: 100,
                        boost: None,
                    },
                    BodyPart {
                        kind: BodyPartKind::Move,
                        hits: 100,
                        boost: None,
                    },
                ];
                snap.objects.push(ObjectRecord {
                    id,
                    pos,
                    owner: Some(owner),
                    hits: Some(Hits {
                        hits: 300,
                        max: 300,
                    }),
                    store: Some(Store::with(StoreLimit::Total(50), ResourceKind::Energy, 25)),
                    decay: None,
                    cooldown: None,
                    kind: ObjectKind::Creep(Creep {
                        name: format!("c{}", id.0),
                        body,
                        fatigue: 0,
                        ticks_to_live: 1500,
                        spawning: false,
                        saying: None,
                    }),
                });
                creeps_by_room[room as usize].push(id);
                placed += 1;
                if placed == 40 {
                    break 'fill;
                }
            }
        }
    }
    snap.next_object_id = next;
    snap.objects.sort_by_key(|o| o.id);
    let w = GameWorld::restore(snap.clone()).unwrap();
    // Intents: each creep moves, harvests a source or transfers to another creep.
    let records = w.records();
    let mut batch = IntentBatch::new();
    for o in &records {
        let ObjectKind::Creep(_) = o.kind else {
            continue;
        };
        let owner = o.owner.unwrap();
        let source = records
            .iter()
            .find(|s| s.pos.room == o.pos.room && matches!(s.kind, ObjectKind::Source(_)));
        let intent = match o.id.0 % 3 {
            0 => Intent::Move {
                creep: o.id,
                direction: (o.id.0 % 8 + 1) as u8,
            },
            1 => match source {
                Some(s) => Intent::Harvest {
                    creep: o.id,
                    target: s.id,
                },
                None => Intent::Move {
                    creep: o.id,
                    direction: 3,
                },
            },
            _ => Intent::Transfer {
                creep: o.id,
                target: ObjectId(o.id.0 - 1),
                resource: ResourceKind::Energy,
                amount: Some(1),
            },
        };
        batch.extend(owner, [intent]);
    }
    (snap, batch)
}

fn bench(c: &mut Criterion) {
    let (snap, batch) = populated();
    let creeps = snap
        .objects
        .iter()
        .filter(|o| matches!(o.kind, ObjectKind::Creep(_)))
        .count();
    assert_eq!(creeps, 1000);
    c.bench_function("tick_1000_creeps_25_rooms_with_hash", |b| {
        b.iter_batched(
            || GameWorld::restore(snap.clone()).unwrap(),
            |mut w| w.tick(&batch).state_hash,
            BatchSize::LargeInput,
        )
    });
    let w = GameWorld::restore(snap.clone()).unwrap();
    c.bench_function("state_hash_1000_creeps", |b| b.iter(|| w.state_hash()));
    // Views for 100 players: rooms built once, plus each player's visible list.
    let mut w100 = GameWorld::new(WorldConfig {
        seed: 5,
        width: 15,
        height: 14,
    })
    .unwrap();
    for i in 0..100 {
        w100.add_player(&format!("v{i}")).unwrap();
    }
    c.bench_function("views_100_players", |b| b.iter(|| w100.views()));
}

criterion_group!(benches, bench);
criterion_main!(benches);
