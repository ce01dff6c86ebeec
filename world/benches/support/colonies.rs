//! The bench world of issue #17: 1 000 players in a 100×100 (10 000-room) world, each home
//! built out as a developed colony, and ~20 intents a player for a tick. Shared by the world's
//! bench (`world_10k_rooms.rs`) and the player API's (`player-api/benches/views_wire.rs`,
//! through `#[path]`).

use std::collections::BTreeSet;

use isoshard_world::*;

pub const PLAYERS: usize = 1_000;
const SIDE: u32 = 100;

/// Free plain tiles of a room, nearest `around` first.
struct Tiles<'a> {
    map: &'a RoomMap,
    taken: BTreeSet<Position>,
}

impl Tiles<'_> {
    fn near(&mut self, around: Position, min: u32) -> Position {
        for r in min..25 {
            for y in 2..48u8 {
                for x in 2..48u8 {
                    let p = Position::new(around.room, x, y);
                    if p.range_to(around) == r
                        && self.map.tile(p) == Tile::Plain
                        && self.taken.insert(p)
                    {
                        return p;
                    }
                }
            }
        }
        panic!("room full");
    }
}

fn record(id: &mut u64, pos: Position, owner: PlayerId, kind: ObjectKind) -> ObjectRecord {
    *id += 1;
    ObjectRecord {
        id: ObjectId(*id - 1),
        pos,
        owner: Some(owner),
        hits: None,
        store: None,
        decay: None,
        cooldown: None,
        kind,
    }
}

fn creep(name: String, body: &[BodyPartKind]) -> ObjectKind {
    ObjectKind::Creep(Creep {
        name,
        body: body.iter().map(|k| BodyPart::new(*k)).collect(),
        fatigue: 0,
        ticks_to_live: 1_000,
        spawning: false,
        saying: None,
    })
}

fn structure(rec: &mut ObjectRecord, kind: StructureKind, energy: u32, capacity: u32) {
    rec.kind = match kind {
        StructureKind::Rampart => ObjectKind::Rampart(Rampart { is_public: false }),
        k => ObjectKind::Structure(k),
    };
    let mut hits = kind.initial_hits();
    if kind == StructureKind::Rampart {
        hits = Hits {
            hits: 100_000,
            max: 10_000_000,
        };
    }
    if kind == StructureKind::Road {
        hits.hits = 2_000;
    }
    rec.hits = Some(hits);
    if capacity > 0 {
        let limit = match kind {
            StructureKind::Storage | StructureKind::Container => StoreLimit::Total(capacity),
            _ => StoreLimit::Energy(capacity),
        };
        rec.store = Some(Store::with(limit, ResourceKind::Energy, energy));
    }
}

/// Builds the colonies into the snapshot and returns the tick's intents.
pub fn develop(snap: &mut WorldSnapshot, map: &RoomMap) -> IntentBatch {
    use BodyPartKind::*;
    let mut batch = IntentBatch::new();
    let mut next = snap.next_object_id;
    let mut added = Vec::new();
    let homes: Vec<(PlayerId, RoomId)> = snap
        .players
        .iter()
        .filter_map(|p| Some((p.id, p.home?)))
        .collect();
    for (player, room) in homes {
        let mut tiles = Tiles {
            map,
            taken: snap
                .objects
                .iter()
                .filter(|o| o.pos.room == room)
                .map(|o| o.pos)
                .collect(),
        };
        let mut intents = Vec::new();
        let (mut spawn, mut ctl, mut sources) = (None, None, Vec::new());
        for o in snap.objects.iter_mut().filter(|o| o.pos.room == room) {
            match &mut o.kind {
                ObjectKind::Spawn(_) => spawn = Some((o.id, o.pos)),
                ObjectKind::Controller(c) => {
                    c.level = 5;
                    ctl = Some((o.id, o.pos));
                }
                ObjectKind::Source(_) => sources.push((o.id, o.pos)),
                _ => {}
            }
        }
        let ((spawn_id, spawn_pos), (ctl_id, ctl_pos)) = (spawn.unwrap(), ctl.unwrap());
        let mut put = |tiles: &mut Tiles, at: Position, min: u32, kind: StructureKind, e, cap| {
            let mut rec = record(&mut next, tiles.near(at, min), player, ObjectKind::Resource);
            structure(&mut rec, kind, e, cap);
            let id = rec.id;
            added.push(rec);
            id
        };
        let mut extensions = Vec::new();
        for _ in 0..30 {
            extensions.push(put(
                &mut tiles,
                spawn_pos,
                2,
                StructureKind::Extension,
                0,
                50,
            ));
        }
        let towers = [0, 1].map(|_| put(&mut tiles, spawn_pos, 3, StructureKind::Tower, 800, 1000));
        let links = [800, 0].map(|e| put(&mut tiles, ctl_pos, 2, StructureKind::Link, e, 800));
        put(
            &mut tiles,
            spawn_pos,
            2,
            StructureKind::Storage,
            50_000,
            1_000_000,
        );
        let roads: Vec<ObjectId> = (0..10)
            .map(|_| put(&mut tiles, spawn_pos, 4, StructureKind::Road, 0, 0))
            .collect();
        for _ in 0..5 {
            put(&mut tiles, spawn_pos, 1, StructureKind::Rampart, 0, 0);
        }
        for &(_, at) in sources.iter().take(2) {
            put(&mut tiles, at, 2, StructureKind::Container, 0, 2000);
        }
        let ext_positions: Vec<Position> = extensions
            .iter()
            .take(3)
            .map(|id| added.iter().find(|o| o.id == *id).map(|o| o.pos).unwrap())
            .collect();
        // Creeps: harvesters on the sources, upgraders by the controller, haulers by the
        // extensions.
        let mut add_creep =
            |tiles: &mut Tiles, at: Position, min, name: String, body: &[BodyPartKind], e| {
                let mut rec = record(&mut next, tiles.near(at, min), player, creep(name, body));
                let hits = body.len() as u32 * 100;
                rec.hits = Some(Hits { hits, max: hits });
                let carry = body.iter().filter(|k| **k == Carry).count() as u32 * 50;
                rec.store = Some(Store::with(
                    StoreLimit::Total(carry),
                    ResourceKind::Energy,
                    e,
                ));
                let id = rec.id;
                added.push(rec);
                id
            };
        for (i, &(source, at)) in sources.iter().cycle().take(4).enumerate() {
            let c = add_creep(
                &mut tiles,
                at,
                1,
                format!("h{i}"),
                &[Work, Work, Carry, Move],
                0,
            );
            intents.push(Intent::Harvest {
                creep: c,
                target: source,
            });
        }
        for i in 0..3 {
            let c = add_creep(
                &mut tiles,
                ctl_pos,
                1,
                format!("u{i}"),
                &[Work, Work, Work, Carry, Move],
                50,
            );
            intents.push(Intent::UpgradeController {
                creep: c,
                target: ctl_id,
            });
            intents.push(Intent::Say {
                creep: c,
                message: "up".into(),
                public: false,
            });
        }
        for i in 0..3 {
            let (ext, ext_pos) = (extensions[i], ext_positions[i]);
            let c = add_creep(&mut tiles, ext_pos, 1, format!("c{i}"), &[Carry, Move], 50);
            intents.push(Intent::Transfer {
                creep: c,
                target: ext,
                resource: ResourceKind::Energy,
                amount: None,
            });
            intents.push(Intent::Move {
                creep: c,
                direction: 1 + (i as u8) * 2,
            });
        }
        for (t, r) in towers.iter().zip(&roads) {
            intents.push(Intent::TowerRepair {
                tower: *t,
                target: *r,
            });
        }
        intents.push(Intent::TransferEnergy {
            link: links[0],
            target: links[1],
            amount: None,
        });
        intents.push(Intent::SpawnCreep {
            spawn: spawn_id,
            body: vec![Work, Carry, Move],
            name: "next".into(),
            energy_structures: None,
        });
        batch.extend(player, intents);
    }
    snap.objects.extend(added);
    snap.objects.sort_by_key(|o| o.id);
    snap.next_object_id = next;
    batch
}

pub fn resident_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// A fresh world (seed 11) with [`PLAYERS`] developed colonies, as a snapshot, and the tick's
/// intents.
pub fn developed_colonies() -> (WorldSnapshot, IntentBatch) {
    let mut w = GameWorld::new(WorldConfig {
        seed: 11,
        width: SIDE,
        height: SIDE,
    })
    .expect("world");
    for i in 0..PLAYERS {
        w.add_player(&format!("p{i}")).expect("a home per player");
    }
    let map = w.map().clone();
    let mut snap = w.snapshot();
    let batch = develop(&mut snap, &map);
    (snap, batch)
}
