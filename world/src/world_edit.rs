//! Changes to a running world made between ticks ([`WorldEdit`]): an operator growing the
//! map and granting credits, a player placing their first spawn or respawning. They are data, so a shard records them and replays apply
//! them at the same place between the same ticks, as they do for players joining.

use serde::{Deserialize, Serialize};

use crate::error::{Result, WorldError};
use crate::game_world::GameWorld;
use crate::object::PlayerId;
use crate::room_map::RoomSpec;

/// One change an operator makes to a running world.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum WorldEdit {
    /// New rooms at these places (places already on the map are skipped).
    AddRooms(Vec<RoomSpec>),
    /// Credits for a player's market account, in thousandths (besides deals with NPC traders,
    /// this is where credits come from).
    GrantCredits { player: PlayerId, milli: u64 },
    /// A registered player's first spawn (Screeps' place-spawn).
    PlaceSpawn {
        player: PlayerId,
        room: String,
        x: u8,
        y: u8,
        name: String,
    },
    /// A player starts over (Screeps' respawn).
    Respawn { player: PlayerId },
    /// A player summons an invader into a room they hold (Screeps' create-invader).
    SummonInvader {
        player: PlayerId,
        room: String,
        x: u8,
        y: u8,
        kind: crate::npc::InvaderKind,
        boosted: bool,
    },
    /// A player removes an invader they summoned (Screeps' remove-invader).
    RemoveInvader {
        player: PlayerId,
        object: crate::object::ObjectId,
    },
}

impl WorldEdit {
    /// The player whose own change this is (`None` for an operator's edit).
    pub fn by_player(&self) -> Option<PlayerId> {
        match self {
            WorldEdit::AddRooms(_) | WorldEdit::GrantCredits { .. } => None,
            WorldEdit::PlaceSpawn { player, .. }
            | WorldEdit::Respawn { player }
            | WorldEdit::SummonInvader { player, .. }
            | WorldEdit::RemoveInvader { player, .. } => Some(*player),
        }
    }
}

impl GameWorld {
    /// Applies an operator's edit.
    ///
    /// # Errors
    /// [`WorldError::InvalidConfig`] when the map would exceed its size, or the player is
    /// unknown.
    pub fn apply_edit(&mut self, edit: &WorldEdit) -> Result<()> {
        match edit {
            WorldEdit::AddRooms(specs) => self.add_rooms(specs).map(|_| ()),
            WorldEdit::GrantCredits { player, milli } => {
                if self.players().iter().all(|p| p.id != *player) {
                    return Err(WorldError::InvalidConfig(format!(
                        "no player {} to grant credits to",
                        player.0
                    )));
                }
                self.market_mut().grant(*player, *milli);
                Ok(())
            }
            WorldEdit::PlaceSpawn {
                player,
                room,
                x,
                y,
                name,
            } => self.place_player(*player, room, *x, *y, name),
            WorldEdit::Respawn { player } => self.respawn(*player),
            WorldEdit::SummonInvader {
                player,
                room,
                x,
                y,
                kind,
                boosted,
            } => self
                .summon_invader(*player, room, (*x, *y), *kind, *boosted)
                .map(|_| ()),
            WorldEdit::RemoveInvader { player, object } => self.remove_invader(*player, *object),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::RoomCoord;
    use crate::room_map::RoomStatus;
    use crate::world_config::WorldConfig;

    fn world() -> GameWorld {
        GameWorld::new(WorldConfig {
            seed: 3,
            width: 3,
            height: 3,
        })
        .unwrap()
    }

    #[test]
    fn edits_grow_the_map_and_grant_credits_and_refuse_strangers() {
        let mut w = world();
        let alice = w.add_player("alice").unwrap();
        let rooms = w.map().rooms.len();
        let far = RoomSpec {
            coord: RoomCoord { x: 40, y: 40 },
            status: RoomStatus::Novice,
        };
        w.apply_edit(&WorldEdit::AddRooms(vec![far])).unwrap();
        assert_eq!(w.map().rooms.len(), rooms + 1);
        let grant = WorldEdit::GrantCredits {
            player: alice,
            milli: 2500,
        };
        w.apply_edit(&grant).unwrap();
        w.apply_edit(&grant).unwrap();
        assert_eq!(w.market().credits[&alice], 5000);
        let stranger = WorldEdit::GrantCredits {
            player: PlayerId(77),
            milli: 1,
        };
        assert!(w.apply_edit(&stranger).is_err());
    }
}
