//! The world as data ([`WorldSnapshot`]) and its hashes ([`StateHash`]): blake3 over the
//! canonical postcard encoding, per room and overall.

use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::geometry::RoomId;
use crate::object::{ObjectId, ObjectRecord};
use crate::room_map::RoomSpec;
use crate::state::PlayerInfo;
use crate::world_config::WorldConfig;

/// A 32-byte blake3 state hash.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct StateHash(pub [u8; 32]);

impl StateHash {
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl std::fmt::Display for StateHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// Snapshot format version; bump when the snapshot layout changes.
pub const SNAPSHOT_FORMAT_VERSION: u32 = 5;

/// The whole world as data: restores to the same state hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorldSnapshot {
    pub format_version: u32,
    pub config: WorldConfig,
    pub time: u64,
    pub next_object_id: u64,
    pub rng: ChaCha8Rng,
    pub players: Vec<PlayerInfo>,
    /// The rooms, by id; terrain is regenerated from the seed ([`RoomSpec`]).
    pub rooms: Vec<RoomSpec>,
    /// Sorted by id.
    pub objects: Vec<ObjectRecord>,
    pub market: crate::market::Market,
    /// Objects that do not notify their owner when attacked.
    pub quiet: Vec<ObjectId>,
    /// Each room's energy goal before its next invader raid, where a raid has set one.
    #[serde(default)]
    pub invader_goals: std::collections::BTreeMap<crate::geometry::RoomId, u32>,
    /// Who summoned each summoned invader still in the world (left out while empty, so
    /// worlds without any keep their recorded encodings; last, so a positional encoding reads
    /// its absence as empty).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub summoned: std::collections::BTreeMap<crate::object::ObjectId, crate::object::PlayerId>,
}

/// Each room's hash over its objects (`records` sorted by id), in room order.
/// Each room's hash, in room order, from its objects sorted by id (what
/// [`crate::state::records_by_room`] gives). One encoding buffer serves every room.
pub(crate) fn room_hashes_of(per_room: &crate::state::RoomRecords<'_>) -> Vec<(RoomId, StateHash)> {
    let mut buf = Vec::new();
    (0..per_room.rooms())
        .map(|i| {
            let objs = per_room.room(i);
            buf.clear();
            // The same bytes as `to_stdvec(objs)`: a length, then each record.
            let _ = postcard::serialize_with_flavor(objs, Appending(&mut buf));
            (RoomId(i as u16), StateHash(*blake3::hash(&buf).as_bytes()))
        })
        .collect()
}

/// A postcard output that appends to a buffer the caller keeps (`to_extend` pushes byte
/// by byte through `Extend`, which costs more than the encoding).
pub(crate) struct Appending<'a>(pub(crate) &'a mut Vec<u8>);

impl postcard::ser_flavors::Flavor for Appending<'_> {
    type Output = ();

    fn try_push(&mut self, data: u8) -> postcard::Result<()> {
        self.0.push(data);
        Ok(())
    }

    fn try_extend(&mut self, data: &[u8]) -> postcard::Result<()> {
        // Almost every piece is a varint of 1–5 bytes: a call to memcpy costs more than
        // copying them one by one.
        if data.len() <= 8 {
            self.0.reserve(data.len());
            for b in data {
                self.0.push(*b);
            }
        } else {
            self.0.extend_from_slice(data);
        }
        Ok(())
    }

    fn finalize(self) -> postcard::Result<()> {
        Ok(())
    }
}

pub(crate) fn hash_records<T: Serialize>(objects: &[T]) -> StateHash {
    // postcard is a canonical, order-preserving encoding of the serde data model.
    let bytes = postcard::to_stdvec(objects).unwrap_or_default();
    StateHash(*blake3::hash(&bytes).as_bytes())
}
