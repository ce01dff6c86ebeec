//! The world's state beside its objects: time, RNG, id allocation, players, and the id →
//! entity index; and the only two ways an object enters or leaves the world
//! ([`spawn_object`], [`despawn_object`]), which keep that index in step.

use std::collections::{BTreeMap, BTreeSet};

use bevy_ecs::prelude::*;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::geometry::{Position, RoomId};
use crate::object::*;

/// Game time: the number of ticks processed.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GameTime(pub u64);

/// The world's RNG; all randomness comes from here, so it is part of the state.
#[derive(Resource, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorldRng(pub ChaCha8Rng);

/// Next object id.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdAllocator {
    pub next: u64,
}

/// A registered player.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerInfo {
    pub id: PlayerId,
    pub name: String,
    /// The room of the player's first spawn; `None` until they place one (and after a
    /// respawn).
    pub home: Option<RoomId>,
    /// Global control points: every energy unit upgraded into the player's controllers.
    pub gcl: u64,
}

/// All players, in join order.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Players {
    pub list: Vec<PlayerInfo>,
}

impl Players {
    pub fn get(&self, id: PlayerId) -> Option<&PlayerInfo> {
        self.list.iter().find(|p| p.id == id)
    }
}

/// One object's record as postcard encoded it at the last tick's hash, and which optional
/// components it had then (`hash_cache.rs`). Not state: not in snapshots, not hashed itself.
#[derive(Component, Debug, Default)]
pub(crate) struct EncodedRecord {
    pub bytes: Vec<u8>,
    /// Bit per optional component present when encoded; `None` until first encoded.
    pub had: Option<u8>,
}

/// ObjectId → entity. Kept in step by `spawn_object` / `despawn_object`.
#[derive(Resource, Debug, Default)]
pub struct ObjectIndex {
    /// Looked up by every rule (a hashed map: an ordered tree's search was a visible share
    /// of the tick at 100 000 objects); never iterated where order could reach the state.
    pub by_id: rustc_hash::FxHashMap<ObjectId, Entity>,
}

pub(crate) fn records_of(world: &World) -> Vec<ObjectRecord> {
    record_refs(world)
        .into_iter()
        .map(RecordRef::to_record)
        .collect()
}

/// One object's components, borrowed from the world. It serializes exactly as the
/// [`ObjectRecord`] it stands for (the same fields in the same order), so hashing an object
/// needs no copy of it.
#[derive(Serialize)]
pub(crate) struct RecordRef<'a> {
    pub id: &'a ObjectId,
    pub pos: &'a Position,
    pub owner: Option<PlayerId>,
    pub hits: Option<&'a Hits>,
    pub store: Option<&'a Store>,
    pub decay: Option<&'a Decay>,
    pub cooldown: Option<&'a Cooldown>,
    pub kind: &'a ObjectKind,
}

impl<'a> RecordRef<'a> {
    /// The record of one [`RecordData`] query item.
    fn of_item(
        (id, pos, owner, hits, store, decay, cooldown, kind): <RecordData as bevy_ecs::query::QueryData>::Item<'a>,
    ) -> Self {
        RecordRef {
            id,
            pos,
            owner: owner.map(|o| o.0),
            hits,
            store,
            decay,
            cooldown,
            kind,
        }
    }

    pub fn to_record(self) -> ObjectRecord {
        ObjectRecord {
            id: *self.id,
            pos: *self.pos,
            owner: self.owner,
            hits: self.hits.copied(),
            store: self.store.cloned(),
            decay: self.decay.copied(),
            cooldown: self.cooldown.copied(),
            kind: self.kind.clone(),
        }
    }
}

type RecordData = (
    &'static ObjectId,
    &'static Position,
    Option<&'static Owner>,
    Option<&'static Hits>,
    Option<&'static Store>,
    Option<&'static Decay>,
    Option<&'static Cooldown>,
    &'static ObjectKind,
);

/// Registers every component of an [`ObjectRecord`], so that [`record_refs`] can query them
/// before any object holds one (a fresh world has no owner, hits or cooldown yet).
pub(crate) fn register_object_components(world: &mut World) {
    world.register_component::<ObjectId>();
    world.register_component::<Position>();
    world.register_component::<Owner>();
    world.register_component::<Hits>();
    world.register_component::<Store>();
    world.register_component::<Decay>();
    world.register_component::<Cooldown>();
    world.register_component::<ObjectKind>();
}

/// Every object, borrowed, sorted by id: one pass over the archetypes, where looking each
/// entity's components up one by one costs a type lookup per component.
pub(crate) fn record_refs(world: &World) -> Vec<RecordRef<'_>> {
    let Some(mut state) = world.try_query::<RecordData>() else {
        return Vec::new();
    };
    let mut refs: Vec<RecordRef<'_>> = state.iter(world).map(RecordRef::of_item).collect();
    refs.sort_unstable_by_key(|r| *r.id);
    refs
}

/// Every object, borrowed, grouped by room and sorted by id within each room: see
/// [`records_by_room`].
pub(crate) struct RoomRecords<'a> {
    records: Vec<RecordRef<'a>>,
    /// Where each room's records start in `records`, one entry per room and one past the end.
    starts: Vec<usize>,
}

impl<'a> RoomRecords<'a> {
    /// The records of room number `room` (none past the map).
    pub fn room(&self, room: usize) -> &[RecordRef<'a>] {
        match (self.starts.get(room), self.starts.get(room + 1)) {
            (Some(a), Some(b)) => &self.records[*a..*b],
            _ => &[],
        }
    }

    pub fn rooms(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }
}

/// Every object, borrowed, grouped by room (objects of rooms past `rooms` are left out) and
/// sorted by id within each room: a counting sort by room into one list, then ~10 objects
/// a room to sort, where sorting 100 000 in one list cost several times more.
pub(crate) fn records_by_room(world: &World, rooms: usize) -> RoomRecords<'_> {
    let Some(mut state) = world.try_query::<RecordData>() else {
        return RoomRecords {
            records: Vec::new(),
            starts: vec![0; rooms + 1],
        };
    };
    let mut starts = vec![0usize; rooms + 1];
    for (_, pos, ..) in state.iter(world) {
        let room = pos.room.0 as usize;
        if room < rooms {
            starts[room + 1] += 1;
        }
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut slots: Vec<Option<RecordRef<'_>>> = Vec::new();
    slots.resize_with(starts[rooms], || None);
    let mut next = starts.clone();
    for item in state.iter(world) {
        let room = item.1.room.0 as usize;
        if room >= rooms {
            continue;
        }
        slots[next[room]] = Some(RecordRef::of_item(item));
        next[room] += 1;
    }
    let mut records: Vec<RecordRef<'_>> = slots.into_iter().flatten().collect();
    for room in 0..rooms {
        records[starts[room]..starts[room + 1]].sort_unstable_by_key(|r| *r.id);
    }
    RoomRecords { records, starts }
}

pub(crate) fn record_of(world: &World, e: Entity) -> Option<ObjectRecord> {
    let entity = world.get_entity(e).ok()?;
    Some(ObjectRecord {
        id: *entity.get::<ObjectId>()?,
        pos: *entity.get::<Position>()?,
        owner: entity.get::<Owner>().map(|o| o.0),
        hits: entity.get::<Hits>().copied(),
        store: entity.get::<Store>().cloned(),
        decay: entity.get::<Decay>().copied(),
        cooldown: entity.get::<Cooldown>().copied(),
        kind: entity.get::<ObjectKind>()?.clone(),
    })
}

pub(crate) fn insert_record(world: &mut World, rec: ObjectRecord) -> Entity {
    let mut e = world.spawn((rec.id, rec.pos, rec.kind, EncodedRecord::default()));
    if let Some(o) = rec.owner {
        e.insert(Owner(o));
    }
    if let Some(h) = rec.hits {
        e.insert(h);
    }
    if let Some(s) = rec.store {
        e.insert(s);
    }
    if let Some(d) = rec.decay {
        e.insert(d);
    }
    if let Some(c) = rec.cooldown {
        e.insert(c);
    }
    let entity = e.id();
    world
        .resource_mut::<ObjectIndex>()
        .by_id
        .insert(rec.id, entity);
    entity
}

/// Creates an object with a fresh id.
pub(crate) fn spawn_object(
    world: &mut World,
    pos: Position,
    owner: Option<PlayerId>,
    hits: Option<Hits>,
    store: Option<Store>,
    decay: Option<Decay>,
    kind: ObjectKind,
) -> ObjectId {
    let id = {
        let mut alloc = world.resource_mut::<IdAllocator>();
        let id = ObjectId(alloc.next);
        alloc.next += 1;
        id
    };
    insert_record(
        world,
        ObjectRecord {
            id,
            pos,
            owner,
            hits,
            store,
            decay,
            cooldown: None,
            kind,
        },
    );
    id
}

/// Removes an object.
pub(crate) fn despawn_object(world: &mut World, id: ObjectId) {
    if let Some(e) = world.resource_mut::<ObjectIndex>().by_id.remove(&id) {
        world.despawn(e);
    }
    if let Some(mut quiet) = world.get_resource_mut::<Quiet>() {
        if quiet.0.contains(&id) {
            quiet.0.remove(&id);
        }
    }
}

/// Rooms each player's observers looked into this tick: seen in the views built after it
/// (`observeRoom` shows the room on the next tick). Reset every tick and not part of the
/// state: a restart between a tick and the next drops one tick's observation.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub struct Observations(pub BTreeMap<PlayerId, BTreeSet<RoomId>>);

/// Objects whose owner asked not to be told when they are attacked
/// (`notifyWhenAttacked(false)`; Screeps' default is to tell).
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quiet(pub BTreeSet<ObjectId>);

/// Who summoned each summoned invader still in the world (only they may remove it; see
/// `GameWorld::summon_invader`).
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summoned(pub std::collections::BTreeMap<ObjectId, PlayerId>);

#[cfg(test)]
mod tests {
    use super::*;

    /// A player as snapshots stored them before homes became optional.
    #[derive(Serialize)]
    struct PlayerInfoBeforeOptionalHome {
        id: PlayerId,
        name: String,
        home: RoomId,
        gcl: u64,
    }

    #[test]
    fn snapshots_from_before_optional_homes_still_read() {
        let old = PlayerInfoBeforeOptionalHome {
            id: PlayerId(2),
            name: "old".into(),
            home: RoomId(7),
            gcl: 5,
        };
        for bytes in [
            rmp_serde::to_vec_named(&old).unwrap(),
            rmp_serde::to_vec(&old).unwrap(),
        ] {
            let now: PlayerInfo = rmp_serde::from_slice(&bytes).unwrap();
            assert_eq!(now.home, Some(RoomId(7)));
            assert_eq!((now.id, now.gcl), (PlayerId(2), 5));
        }
    }
}
