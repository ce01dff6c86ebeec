//! What reaches a player between ticks from outside their code: console commands typed
//! for their next tick, and `RawMemory` segments read and written through the API.

use isoshard_world::PlayerId;

use super::{Shard, MAX_PENDING_COMMANDS};
use crate::error::{EngineError, Result};

impl Shard {
    /// Queues a console expression for `player`'s next tick (see
    /// [`isoshard_player_api::ConsoleCommand`]).
    ///
    /// # Errors
    /// [`EngineError::UnknownPlayer`]; [`EngineError::Usage`] when
    /// [`MAX_PENDING_COMMANDS`] are already waiting.
    pub fn queue_console_command(
        &mut self,
        player: PlayerId,
        expression: String,
        hidden: bool,
    ) -> Result<()> {
        let p = self
            .players
            .get_mut(&player)
            .ok_or_else(|| EngineError::UnknownPlayer(player.0.to_string()))?;
        if p.commands.len() >= MAX_PENDING_COMMANDS {
            return Err(EngineError::Usage(format!(
                "{MAX_PENDING_COMMANDS} console commands are already waiting for the next tick"
            )));
        }
        p.commands
            .push(isoshard_player_api::ConsoleCommand { expression, hidden });
        Ok(())
    }

    /// A player's `RawMemory` segment as stored (`None`: never written), including a write
    /// not committed yet.
    ///
    /// # Errors
    /// [`EngineError::UnknownPlayer`], [`EngineError::Usage`] for an id over 99, or a
    /// storage read error.
    pub fn segment(&self, player: PlayerId, id: u8) -> Result<Option<String>> {
        let p = self
            .players
            .get(&player)
            .ok_or_else(|| EngineError::UnknownPlayer(player.0.to_string()))?;
        check_segment_id(id)?;
        if let Some(text) = p.data.unsaved.segments.get(&id) {
            return Ok(Some(text.clone()));
        }
        self.storage.read_segment(player, id)
    }

    /// Writes a player's segment from outside their code (`POST /api/user/memory-segment`),
    /// as a tick's `RawMemory.segments[id] = text` is written: the next commit stores it, and
    /// the player reads it while it is active.
    ///
    /// # Errors
    /// [`EngineError::UnknownPlayer`]; [`EngineError::Usage`] for an id over 99 or a text
    /// over Screeps' 100 KB.
    pub fn write_segment(&mut self, player: PlayerId, id: u8, text: String) -> Result<()> {
        check_segment_id(id)?;
        // Screeps counts the string's length (UTF-16 units), as `RawMemory` does.
        let length = text.encode_utf16().count();
        if length > isoshard_player_api::MAX_SEGMENT_BYTES {
            return Err(EngineError::Usage(format!(
                "segment {id} is {length} characters long, over the {} limit",
                isoshard_player_api::MAX_SEGMENT_BYTES
            )));
        }
        let p = self
            .players
            .get_mut(&player)
            .ok_or_else(|| EngineError::UnknownPlayer(player.0.to_string()))?;
        let changes = isoshard_player_api::PlayerDataChanges {
            segments: vec![(id, text)],
            ..Default::default()
        };
        p.data.absorb(self.world.time(), changes);
        Ok(())
    }

    /// Takes the console-command results buffered for a player.
    pub fn drain_command_results(&mut self, player: PlayerId) -> Vec<String> {
        self.players
            .get_mut(&player)
            .map(|p| p.results.drain(..).collect())
            .unwrap_or_default()
    }
}

fn check_segment_id(id: u8) -> Result<()> {
    if id > 99 {
        return Err(EngineError::Usage(format!(
            "segment id {id} is not in 0..=99"
        )));
    }
    Ok(())
}
