//! The tick's per-room hashes without re-encoding what did not change: each object keeps its
//! encoded record ([`EncodedRecord`]) and is encoded again only when one of its components
//! changed since the last tick's hash (bevy's change ticks) or it gained or lost one (the
//! presence mask). A room's hash is then blake3 over the postcard sequence of its records,
//! sorted by id: the same bytes [`crate::snapshot::room_hashes_of`] encodes from scratch.
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
    let since = world.resource::<HashedAt>().0;
    let now = world.change_tick();
    let mut q = world.query::<(Tracked, &mut EncodedRecord)>();
    for (item, mut enc) in q.iter_mut(world) {
        let had = presence(&item);
        if enc.had == Some(had) && !changed_since(&item, since, now) {
            continue;
        }
        enc.bytes.clear();
        let _ = postcard::serialize_with_flavor(&record(&item), Appending(&mut enc.bytes));
        enc.had = Some(had);
    }
    let hashes = hash_rooms(world, rooms);
    world.resource_mut::<HashedAt>().0 = Some(now);
    // Whatever changes from here on is newer than this hash.
    world.increment_change_tick();
    hashes
}

/// Each room's records, grouped by a counting sort and sorted by id, as one postcard
/// sequence: its length as a varint, then the records.
fn hash_rooms(world: &mut World, rooms: usize) -> Vec<(RoomId, StateHash)> {
    let mut q = world.query::<(&ObjectId, &Position, &EncodedRecord)>();
    let mut starts = vec![0usize; rooms + 1];
    for (_, pos, _) in q.iter(world) {
        let room = pos.room.0 as usize;
        if room < rooms {
            starts[room + 1] += 1;
        }
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut slots: Vec<(ObjectId, &[u8])> = vec![(ObjectId(0), &[]); starts[rooms]];
    let mut next = starts.clone();
    for (id, pos, enc) in q.iter(world) {
        let room = pos.room.0 as usize;
        if room < rooms {
            slots[next[room]] = (*id, &enc.bytes);
            next[room] += 1;
        }
    }
    let mut buf = Vec::new();
    (0..rooms)
        .map(|room| {
            let objects = &mut slots[starts[room]..starts[room + 1]];
            objects.sort_unstable_by_key(|(id, _)| *id);
            buf.clear();
            push_varint(&mut buf, objects.len() as u64);
            for (_, bytes) in objects.iter() {
                buf.extend_from_slice(bytes);
            }
            (
                RoomId(room as u16),
                StateHash(*blake3::hash(&buf).as_bytes()),
            )
        })
        .collect()
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
