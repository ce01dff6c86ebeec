//! What happens between two ticks of a recording (a player joining, an operator's edit),
//! re-applied the same way by verification and playback.

use std::path::Path;

use isoshard_world::GameWorld;

use crate::error::{ReplayError, Result};
use crate::record::Record;

/// Re-applies what happened between two ticks: a player joining, an operator's edit.
pub(crate) fn apply_between_ticks(
    world: &mut GameWorld,
    (path, offset): (&Path, u64),
    rec: &Record,
) -> Result<()> {
    let fail = |after_tick: u64, message: String| ReplayError::Decode {
        file: path.to_path_buf(),
        offset,
        after_tick,
        message,
    };
    match rec {
        Record::PlayerAdded {
            name,
            player,
            at_tick,
        }
        | Record::PlayerRegistered {
            name,
            player,
            at_tick,
        } => {
            let added = if matches!(rec, Record::PlayerAdded { .. }) {
                world.add_player(name)
            } else {
                world.register_player(name)
            }
            .map_err(|e| fail(*at_tick, e.to_string()))?;
            if added != *player {
                return Err(fail(
                    *at_tick,
                    format!("player {name} re-joined as {added:?}, recorded {player:?}"),
                ));
            }
        }
        Record::WorldEdited { at_tick, edit } => world
            .apply_edit(edit)
            .map_err(|e| fail(*at_tick, e.to_string()))?,
        Record::Snapshot(_) | Record::Tick(_) | Record::CodeChanged { .. } => {}
    }
    Ok(())
}
