use isoshard_world::{IntentBatch, PlayerId, StateHash, WorldEdit, WorldSnapshot};
use serde::{Deserialize, Serialize};

/// One tick as applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TickEntry {
    /// Game time after the tick.
    pub tick: u64,
    /// Every player's validated intents as the world received them.
    pub intents: IntentBatch,
    pub state_hash: StateHash,
    /// Per-room hashes in room order, so a divergence names its room.
    pub room_hashes: Vec<StateHash>,
    /// CPU each player who ran used this tick, in microseconds (empty in recordings made
    /// before it was kept, and for ticks the recording caught up on after a crash).
    #[serde(default)]
    pub cpu_us: Vec<(PlayerId, u64)>,
}

/// A record in a segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Record {
    /// The whole world at `snapshot.time`; first record of every segment.
    Snapshot(Box<WorldSnapshot>),
    Tick(TickEntry),
    /// A player joined between ticks (re-applied with `add_player` on verify).
    PlayerAdded {
        at_tick: u64,
        name: String,
        player: PlayerId,
    },
    /// A player's code changed (content hash); a global reset followed.
    CodeChanged {
        at_tick: u64,
        player: PlayerId,
        code_hash: String,
    },
    /// An operator changed the world between ticks (re-applied with `apply_edit` on
    /// verify and playback).
    WorldEdited {
        at_tick: u64,
        edit: WorldEdit,
    },
    /// A player registered without a room between ticks (re-applied with
    /// `register_player`; their spawn comes with a `WorldEdited` place-spawn).
    PlayerRegistered {
        at_tick: u64,
        name: String,
        player: PlayerId,
    },
}
