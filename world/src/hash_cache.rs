//! The tick's per-room hashes without re-encoding what did not change: each object keeps its
//! encoded record ([`EncodedRecord`]) and is encoded again only when one of its components
//! changed since the last tick's hash (bevy's change ticks) or it gained or lost one (the
//! presence mask). A room's hash is then blake3 over the postcard sequence of its records,
//! sorted by id: the same bytes [`crate::snapshot::room_hashes_of`] encodes from scratch.
//! A room is hashed again only when one of its records was encoded again (an object there
//! changed or arrived) or its object count changed; the other rooms keep last tick's hash
//! ([`RoomHashes`]). That misses no change: an object that joins a room is encoded again (it
//! moved, or it is new), so a room whose objects differ from last tick's either gained one
//! (encoded there) or only lost some (its count fell).
//!
//! Only [`crate::GameWorld::tick`] uses it (it has the world mutably and advances the change
//! tick after hashing, so every later change is newer than the hash). Every other caller of
//! the hashes encodes the whole world, and a test compares the two every tick.

use bevy_ecs::component::Tick;
use bevy_ecs::prelude::*;

use crate::change_ticks::{changed_since, presence, record, Tracked};
use crate::geometry::{Position, RoomId};
use crate::object::*;
use crate::snapshot::{Appending, StateHash};
use crate::state::EncodedRecord;

/// The change tick of the last tick's hash; `None` until the first.
#[derive(Resource, Debug, Default)]
pub(crate) struct HashedAt(Option<Tick>);

/// The hashes of the last tick's rooms and how many objects each held; `None` until the
/// first, and after the map grew.
#[derive(Resource, Debug, Default)]
pub(crate) struct RoomHashes(Option<(Vec<StateHash>, Vec<u32>)>);

/// Per-room hashes in room order, re-encoding only the objects that changed.
pub(crate) fn room_hashes(world: &mut World, rooms: usize) -> Vec<(RoomId, StateHash)> {
    world.init_resource::<HashedAt>();
    // Every object gets its record where it is made (`state::insert_record`); one made
    // elsewhere would otherwise be left out of the hash.
    let mut bare = world.query_filtered::<Entity, (With<ObjectId>, Without<EncodedRecord>)>();
    let bare: Vec<Entity> = bare.iter(world).collect();
    for e in bare {
        world.entity_mut(e).insert(EncodedRecord::default());
    }
    world.init_resource::<RoomHashes>();
    let since = world.resource::<HashedAt>().0;
    let now = world.change_tick();
    let mut changed = vec![false; rooms];
    let mut mark = |room: RoomId| {
        if let Some(c) = changed.get_mut(room.0 as usize) {
            *c = true;
        }
    };
    let mut q = world.query::<(Tracked, &mut EncodedRecord)>();
    for (item, mut enc) in q.iter_mut(world) {
        let had = presence(&item);
        if enc.had == Some(had) && !changed_since(&item, since, now) {
            continue;
        }
        enc.bytes.clear();
        let _ = postcard::serialize_with_flavor(&record(&item), Appending(&mut enc.bytes));
        enc.had = Some(had);
        mark(item.1.room);
    }
    let hashes = hash_rooms(world, changed);
    world.resource_mut::<HashedAt>().0 = Some(now);
    // Whatever changes from here on is newer than this hash.
    world.increment_change_tick();
    hashes
}

/// Each room's records, grouped by a counting sort and sorted by id, as one postcard
/// sequence: its length as a varint, then the records. Only rooms `changed` or whose object
/// count changed are hashed; the others keep their last hash.
fn hash_rooms(world: &mut World, mut changed: Vec<bool>) -> Vec<(RoomId, StateHash)> {
    let rooms = changed.len();
    let kept = world.resource_mut::<RoomHashes>().0.take();
    let (mut hashes, old_counts) = match kept {
        Some((h, c)) if h.len() == rooms => (h, Some(c)),
        _ => (vec![StateHash::default(); rooms], None),
    };
    let mut q = world.query::<(&ObjectId, &Position, &EncodedRecord)>();
    let mut counts = vec![0u32; rooms];
    for (_, pos, _) in q.iter(world) {
        if let Some(n) = counts.get_mut(pos.room.0 as usize) {
            *n += 1;
        }
    }
    for (room, redo) in changed.iter_mut().enumerate() {
        *redo |= old_counts
            .as_ref()
            .is_none_or(|old| old[room] != counts[room]);
    }
    // Slots for the rooms hashed again only.
    let mut starts = vec![0usize; rooms + 1];
    for room in 0..rooms {
        let n = if changed[room] {
            counts[room] as usize
        } else {
            0
        };
        starts[room + 1] = starts[room] + n;
    }
    let mut slots: Vec<(ObjectId, &[u8])> = vec![(ObjectId(0), &[]); starts[rooms]];
    let mut next = starts.clone();
    for (id, pos, enc) in q.iter(world) {
        let room = pos.room.0 as usize;
        if changed.get(room) == Some(&true) {
            slots[next[room]] = (*id, &enc.bytes);
            next[room] += 1;
        }
    }
    let mut buf = Vec::new();
    for room in (0..rooms).filter(|&r| changed[r]) {
        let objects = &mut slots[starts[room]..starts[room + 1]];
        objects.sort_unstable_by_key(|(id, _)| *id);
        buf.clear();
        push_varint(&mut buf, objects.len() as u64);
        for (_, bytes) in objects.iter() {
            buf.extend_from_slice(bytes);
        }
        hashes[room] = StateHash(*blake3::hash(&buf).as_bytes());
    }
    let out = hashes
        .iter()
        .enumerate()
        .map(|(room, h)| (RoomId(room as u16), *h))
        .collect();
    world.resource_mut::<RoomHashes>().0 = Some((hashes, counts));
    out
}

/// postcard's varint (LEB128): seven bits a byte, low first.
fn push_varint(buf: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        buf.push((n as u8) | 0x80);
        n >>= 7;
    }
    buf.push(n as u8);
}

#[cfg(test)]
mod tests {
    use super::push_varint;
    use crate::{GameWorld, IntentBatch, WorldConfig};

    /// A room whose only change is an object gone (nothing of it encoded again) must be
    /// hashed again: its object count is what says so.
    #[test]
    fn an_object_removed_from_a_quiet_room_changes_that_rooms_hash() {
        let config = WorldConfig {
            seed: 3,
            width: 3,
            height: 3,
        };
        let mut world = GameWorld::new(config).expect("world");
        world.tick(&IntentBatch::new());
        let before = world.tick(&IntentBatch::new());
        // The rooms nothing changed in, and in one of them an object to take away.
        let quiet = world.tick(&IntentBatch::new());
        assert_eq!(
            quiet.room_hashes, before.room_hashes,
            "a world with no players is still"
        );
        let snapshot = world.snapshot();
        let gone = snapshot.objects.first().expect("an object");
        let room = gone.pos.room.0 as usize;
        crate::state::despawn_object(&mut world.world, gone.id);
        let after = world.tick(&IntentBatch::new());
        assert_ne!(after.room_hashes[room], before.room_hashes[room]);
        assert_eq!(
            (after.state_hash, after.room_hashes.clone()),
            world.hashes(),
            "the tick's hashes are the ones encoded from scratch"
        );
    }

    #[test]
    fn sequence_lengths_encode_as_postcard_does() {
        for n in [0usize, 1, 127, 128, 300, 16_383, 16_384, 1 << 21] {
            let mut ours = Vec::new();
            push_varint(&mut ours, n as u64);
            let theirs = postcard::to_stdvec(&vec![(); n]).expect("encodes");
            assert_eq!(ours, theirs, "length {n}");
        }
    }
}
