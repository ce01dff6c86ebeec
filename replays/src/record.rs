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
    /// What each player did besides the applied intents, for analysis (empty in older
    /// recordings): see [`TickNotes`].
    #[serde(default)]
    pub notes: TickNotes,
}

/// Intents the world refused, at most this many per player and tick.
pub const REJECTED_RECORDED: usize = 100;
/// Console lines recorded per player and tick, and their bytes.
pub const CONSOLE_LINES_RECORDED: usize = 50;
pub const CONSOLE_BYTES_RECORDED: usize = 8 * 1024;

/// A tick's analysis data: not needed to re-simulate, bounded so a player cannot bloat the
/// recording through it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TickNotes {
    /// Intents the world refused, with their Screeps return codes, per player (the first
    /// [`REJECTED_RECORDED`]; `rejected_omitted` counts the rest).
    pub rejected: Vec<(PlayerId, Vec<(isoshard_world::Intent, i32)>)>,
    pub rejected_omitted: Vec<(PlayerId, u64)>,
    /// Console lines per player (the first [`CONSOLE_LINES_RECORDED`] lines within
    /// [`CONSOLE_BYTES_RECORDED`]; `console_omitted` counts the rest).
    pub console: Vec<(PlayerId, Vec<String>)>,
    pub console_omitted: Vec<(PlayerId, u64)>,
}

impl TickNotes {
    /// Adds a player's refused intents, keeping the first [`REJECTED_RECORDED`].
    pub fn add_rejected(
        &mut self,
        player: PlayerId,
        refused: impl IntoIterator<Item = (isoshard_world::Intent, i32)>,
    ) {
        let mut kept = Vec::new();
        let mut omitted = 0u64;
        for r in refused {
            if kept.len() < REJECTED_RECORDED {
                kept.push(r);
            } else {
                omitted += 1;
            }
        }
        if !kept.is_empty() {
            self.rejected.push((player, kept));
        }
        if omitted > 0 {
            self.rejected_omitted.push((player, omitted));
        }
    }

    /// Adds a player's console lines within the bounds.
    pub fn add_console<'a>(
        &mut self,
        player: PlayerId,
        lines: impl IntoIterator<Item = &'a String>,
    ) {
        let (mut kept, mut bytes, mut omitted) = (Vec::new(), 0usize, 0u64);
        for line in lines {
            if kept.len() < CONSOLE_LINES_RECORDED && bytes + line.len() <= CONSOLE_BYTES_RECORDED {
                bytes += line.len();
                kept.push(line.clone());
            } else {
                omitted += 1;
            }
        }
        if !kept.is_empty() {
            self.console.push((player, kept));
        }
        if omitted > 0 {
            self.console_omitted.push((player, omitted));
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_console_flood_or_an_intent_flood_is_cut_and_counted_not_recorded_whole() {
        let mut notes = TickNotes::default();
        let lines: Vec<String> = (0..10_000).map(|i| format!("line {i}")).collect();
        notes.add_console(PlayerId(1), &lines);
        let big = vec!["x".repeat(5000); 3];
        notes.add_console(PlayerId(2), &big);
        assert_eq!(notes.console[0].1.len(), CONSOLE_LINES_RECORDED);
        assert_eq!(notes.console_omitted[0], (PlayerId(1), 10_000 - 50));
        // One 5000-byte line fits in 8 KiB, a second does not.
        assert_eq!(notes.console[1].1.len(), 1);
        assert_eq!(notes.console_omitted[1], (PlayerId(2), 2));
        let refused = (0..1000).map(|_| {
            (
                isoshard_world::Intent::Suicide {
                    creep: isoshard_world::ObjectId(7),
                },
                -7,
            )
        });
        notes.add_rejected(PlayerId(1), refused);
        assert_eq!(notes.rejected[0].1.len(), REJECTED_RECORDED);
        assert_eq!(notes.rejected_omitted[0], (PlayerId(1), 900));
    }
}
