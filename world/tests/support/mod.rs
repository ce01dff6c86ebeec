//! The scenario harness shared by the world's rule tests: a 3×3 world with one player,
//! objects added through snapshot round trips, intents run one tick at a time.

#![allow(dead_code)] // each test binary uses a different part of it

use isoshard_world::*;

pub struct Scenario {
    pub world: GameWorld,
    pub player: PlayerId,
    pub room: RoomId,
    pub spawn: ObjectId,
}

pub fn scenario() -> Scenario {
    let mut world = GameWorld::new(WorldConfig {
        seed: 42,
        width: 3,
        height: 3,
    })
    .unwrap();
    let player = world.add_player("alice").unwrap();
    let room = world.players()[0].home.expect("placed");
    let spawn = world
        .records()
        .into_iter()
        .find(|o| matches!(o.kind, ObjectKind::Spawn(_)) && o.owner == Some(player))
        .unwrap()
        .id;
    Scenario {
        world,
        player,
        room,
        spawn,
    }
}

/// An 11×11 world (E1S1…E11S11, seed 7) at game time `time`: one whole sector, centred on
/// E5S5, with its border highways E10 and S10 and the crossroads E10S10.
pub fn sector_world_at(time: u64) -> GameWorld {
    let world = GameWorld::new(WorldConfig {
        seed: 7,
        width: 11,
        height: 11,
    })
    .unwrap();
    let mut snap = world.snapshot();
    snap.time = time;
    GameWorld::restore(snap).unwrap()
}

impl Scenario {
    pub fn rec(&self, id: ObjectId) -> ObjectRecord {
        self.world.record(id).expect("object exists")
    }

    pub fn find(&self, f: impl Fn(&ObjectRecord) -> bool) -> ObjectRecord {
        self.world
            .records()
            .into_iter()
            .find(|o| f(o))
            .expect("object found")
    }

    pub fn source(&self) -> ObjectRecord {
        self.find(|o| o.pos.room == self.room && matches!(o.kind, ObjectKind::Source(_)))
    }

    pub fn controller(&self) -> ObjectRecord {
        self.find(|o| o.pos.room == self.room && matches!(o.kind, ObjectKind::Controller(_)))
    }

    /// Adds an object through a snapshot round trip (the public way to edit a world).
    pub fn add(
        &mut self,
        pos: Position,
        owner: Option<PlayerId>,
        hits: Option<Hits>,
        store: Option<Store>,
        kind: ObjectKind,
    ) -> ObjectId {
        let mut snap = self.world.snapshot();
        let id = ObjectId(snap.next_object_id);
        snap.next_object_id += 1;
        snap.objects.push(ObjectRecord {
            id,
            pos,
            owner,
            hits,
            store,
            decay: None,
            cooldown: None,
            kind,
        });
        snap.objects.sort_by_key(|o| o.id);
        self.world = GameWorld::restore(snap).unwrap();
        id
    }

    pub fn add_creep(&mut self, pos: Position, body: &[BodyPartKind], energy: u32) -> ObjectId {
        let owner = self.player;
        self.add_creep_for(owner, pos, body, energy)
    }

    pub fn add_creep_for(
        &mut self,
        owner: PlayerId,
        pos: Position,
        body: &[BodyPartKind],
        energy: u32,
    ) -> ObjectId {
        let parts: Vec<BodyPart> = body
            .iter()
            .map(|k| BodyPart {
                kind: *k,
                hits: 100,
                boost: None,
            })
            .collect();
        let carry = body.iter().filter(|k| **k == BodyPartKind::Carry).count() as u32 * 50;
        let hits = body.len() as u32 * 100;
        self.add(
            pos,
            Some(owner),
            Some(Hits { hits, max: hits }),
            Some(Store::with(
                StoreLimit::Total(carry),
                ResourceKind::Energy,
                energy,
            )),
            ObjectKind::Creep(Creep {
                name: format!("c{}", pos.x as u32 * 100 + pos.y as u32),
                body: parts,
                fatigue: 0,
                ticks_to_live: 1500,
                spawning: false,
                saying: None,
            }),
        )
    }

    pub fn occupied(&self, p: Position) -> bool {
        self.world.records().iter().any(|o| o.pos == p)
    }

    pub fn walkable(&self, p: Position) -> bool {
        !p.is_edge() && self.world.map().tile(p) == Tile::Plain && !self.occupied(p)
    }

    /// A free plain tile at exactly range `r` from `p`, scanning in a fixed order.
    pub fn free_at_range(&self, p: Position, r: i32) -> Position {
        for dy in -r..=r {
            for dx in -r..=r {
                if dx.abs().max(dy.abs()) != r {
                    continue;
                }
                let (x, y) = (p.x as i32 + dx, p.y as i32 + dy);
                if !(1..49).contains(&x) || !(1..49).contains(&y) {
                    continue;
                }
                let q = Position::new(p.room, x as u8, y as u8);
                if self.walkable(q) {
                    return q;
                }
            }
        }
        panic!("no free tile at range {r} of {p:?}");
    }

    pub fn run(&mut self, intents: Vec<Intent>) -> Vec<ReturnCode> {
        let mut batch = IntentBatch::new();
        batch.extend(self.player, intents);
        let out = self.world.tick(&batch);
        check_incremental_hashes(&self.world, &out);
        check_kept_views(&mut self.world);
        out.results.get(&self.player).cloned().unwrap_or_default()
    }

    pub fn energy(&self, id: ObjectId) -> u32 {
        self.rec(id).store.map_or(0, |s| s.energy())
    }

    /// How much of `resource` an object holds.
    pub fn amount(&self, id: ObjectId, resource: ResourceKind) -> u32 {
        self.rec(id).store.map_or(0, |s| s.get(resource))
    }

    /// Puts `amount` of `resource` into an object's store (through a snapshot round trip).
    pub fn give(&mut self, id: ObjectId, resource: ResourceKind, amount: u32) {
        self.edit(|snap| {
            let found = snap.objects.iter_mut().find(|o| o.id == id);
            if let Some(store) = found.and_then(|o| o.store.as_mut()) {
                store.add(resource, amount);
            }
        });
    }

    /// Adds a structure of `kind` with an empty store of `limit`.
    pub fn add_store(
        &mut self,
        pos: Position,
        owner: Option<PlayerId>,
        kind: StructureKind,
        limit: StoreLimit,
    ) -> ObjectId {
        let hits = Some(kind.initial_hits());
        let store = Some(Store::empty(limit));
        self.add(pos, owner, hits, store, ObjectKind::Structure(kind))
    }
}

impl Scenario {
    /// Edits the world through a snapshot round trip.
    pub fn edit(&mut self, f: impl FnOnce(&mut WorldSnapshot)) {
        let mut snap = self.world.snapshot();
        f(&mut snap);
        self.world = GameWorld::restore(snap).unwrap();
    }

    /// Changes one controller's state.
    pub fn edit_controller(&mut self, id: ObjectId, f: impl FnOnce(&mut Controller)) {
        self.edit(|snap| {
            let found = snap.objects.iter_mut().find(|o| o.id == id);
            if let Some(ObjectKind::Controller(c)) = found.map(|o| &mut o.kind) {
                f(c);
            }
        });
    }

    /// The first unowned controller outside the player's home room, in id order, with room
    /// for three creeps around it.
    pub fn neutral_controller(&self) -> ObjectRecord {
        let roomy = |p: Position| {
            Direction::ALL
                .iter()
                .filter_map(|d| p.step(*d))
                .filter(|n| self.walkable(*n))
                .count()
                >= 3
        };
        self.find(|o| {
            o.pos.room != self.room
                && o.owner.is_none()
                && matches!(o.kind, ObjectKind::Controller(_))
                && roomy(o.pos)
        })
    }

    pub fn controller_state(&self, id: ObjectId) -> Controller {
        match self.rec(id).kind {
            ObjectKind::Controller(c) => c,
            other => panic!("not a controller: {other:?}"),
        }
    }

    pub fn gcl(&self) -> u64 {
        self.world.players()[0].gcl
    }
}

impl Scenario {
    /// Runs one tick with intents from another player.
    pub fn run_as(&mut self, player: PlayerId, intents: Vec<Intent>) -> Vec<ReturnCode> {
        let mut batch = IntentBatch::new();
        batch.extend(player, intents);
        let out = self.world.tick(&batch);
        check_incremental_hashes(&self.world, &out);
        check_kept_views(&mut self.world);
        out.results.get(&player).cloned().unwrap_or_default()
    }

    /// Adds a second player ("bob") and returns it with its controller.
    pub fn add_rival(&mut self) -> (PlayerId, ObjectRecord) {
        let bob = self.world.add_player("bob").unwrap();
        let home = self.world.players()[1].home.expect("placed");
        let ctl = self.find(|o| o.pos.room == home && matches!(o.kind, ObjectKind::Controller(_)));
        (bob, ctl)
    }
}

/// Alice and Bob at level 6, each with a terminal; Alice's holds 1 000 H and 1 000 energy.
pub fn two_terminals() -> (Scenario, PlayerId, ObjectId, ObjectId, String) {
    let mut s = scenario();
    let (bob, bob_ctl) = s.add_rival();
    let mine = s.controller();
    for ctl in [mine.id, bob_ctl.id] {
        s.edit_controller(ctl, |c| c.level = 6);
    }
    let me = s.player;
    let here = s.free_at_range(mine.pos, 3);
    let there = s.free_at_range(bob_ctl.pos, 3);
    let limit = StoreLimit::Total(TERMINAL_CAPACITY);
    let sender = s.add_store(here, Some(me), StructureKind::Terminal, limit);
    let receiver = s.add_store(there, Some(bob), StructureKind::Terminal, limit);
    s.give(sender, ResourceKind::Hydrogen, 1000);
    s.give(sender, ResourceKind::Energy, 1000);
    let bob_room = s.world.map().get(bob_ctl.pos.room).name.clone();
    (s, bob, sender, receiver, bob_room)
}

/// The tick hashes only the objects that changed (`world/src/hash_cache.rs`): every scenario
/// tick checks that against the hashes encoded from scratch.
pub fn check_incremental_hashes(world: &GameWorld, out: &TickOutcome) {
    assert_eq!(
        (out.state_hash, out.room_hashes.clone()),
        world.hashes(),
        "the tick's incremental hashes differ from the hashes encoded from scratch"
    );
}

/// The views a running world keeps between ticks (`world/src/view_cache.rs`): every scenario
/// tick checks them against views built from scratch.
pub fn check_kept_views(world: &mut GameWorld) {
    let kept = world.player_views();
    let fresh = world.views();
    assert_eq!(kept.players, fresh.players);
    for (name, room) in &kept.rooms {
        assert_eq!(
            Some(room),
            fresh.rooms.get(name),
            "room {name}: the kept views differ from views built from scratch"
        );
    }
    let seen: std::collections::BTreeSet<&String> =
        fresh.players.values().flat_map(|p| &p.rooms).collect();
    assert_eq!(
        kept.rooms.keys().collect::<std::collections::BTreeSet<_>>(),
        seen,
        "player_views shows exactly the rooms some player sees"
    );
}
