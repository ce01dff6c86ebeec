//! Invaders a player summons into their own room to test its defence, and removes again
//! (screeps/backend-local `api/game.js`, `create-invader` and `remove-invader`). A summon is a
//! [`crate::WorldEdit`] between ticks, so shards record it and replays apply it.
//!
//! Where Screeps names the invader with `Math.random`, the name here counts the world's
//! objects, so a replay names it the same; Screeps does not check the tile, this refuses a
//! wall, an obstacle or an off-room coordinate.

use crate::error::{Result, WorldError};
use crate::game_world::GameWorld;
use crate::geometry::{Position, ROOM_SIZE};
use crate::npc::{InvaderKind, INVADER, INVADER_LIFE};
use crate::object::{ObjectId, ObjectKind, PlayerId};
use crate::state::{IdAllocator, Summoned};
use crate::terrain::Tile;

/// Invaders in a room at most for a summon to be allowed (Screeps: 5).
pub const SUMMONED_INVADERS_PER_ROOM: usize = 5;

fn refused(why: &str) -> WorldError {
    WorldError::Placement(why.to_string())
}

impl GameWorld {
    /// Screeps' `create-invader`: an invader of `kind` (boosted: heal LO, ranged KO, work
    /// ZH, attack UH) at `x, y` of `room`, where `player` owns or reserves the controller, no
    /// other player has a creep and fewer than five invaders are.
    ///
    /// # Errors
    /// [`WorldError::Placement`] naming the rule broken, with Screeps' messages.
    pub fn summon_invader(
        &mut self,
        player: PlayerId,
        room: &str,
        (x, y): (u8, u8),
        kind: InvaderKind,
        boosted: bool,
    ) -> Result<ObjectId> {
        let room_id = self
            .map()
            .by_name(room)
            .ok_or_else(|| refused("invalid room"))?;
        if x >= ROOM_SIZE || y >= ROOM_SIZE {
            return Err(refused("invalid params"));
        }
        let in_room: Vec<_> = self
            .records()
            .into_iter()
            .filter(|o| o.pos.room == room_id)
            .collect();
        let creeps = || {
            in_room
                .iter()
                .filter(|o| matches!(o.kind, ObjectKind::Creep(_)))
        };
        if creeps().filter(|o| o.owner == Some(INVADER)).count() >= SUMMONED_INVADERS_PER_ROOM {
            return Err(refused("too many invaders exist"));
        }
        if creeps().any(|o| o.owner != Some(INVADER) && o.owner != Some(player)) {
            return Err(refused("hostiles present"));
        }
        let held = in_room.iter().any(|o| match &o.kind {
            ObjectKind::Controller(c) => {
                o.owner == Some(player)
                    || c.reservation.as_ref().is_some_and(|r| r.player == player)
            }
            _ => false,
        });
        if !held {
            return Err(refused("not owned"));
        }
        let pos = Position::new(room_id, x, y);
        let blocked = in_room.iter().any(|o| {
            o.pos == pos && (o.kind.is_obstacle() || matches!(o.kind, ObjectKind::Creep(_)))
        });
        if blocked || self.map().tile(pos) == Tile::Wall {
            return Err(refused("invalid location"));
        }
        let name = format!(
            "invader_{room}_{}",
            self.world.resource::<IdAllocator>().next % 1000
        );
        let boost = boosted.then_some(summoned_boost as fn(_) -> _);
        let id = crate::rules::spawn_npc_creep(
            &mut self.world,
            pos,
            INVADER,
            name,
            &kind.body(),
            INVADER_LIFE,
            boost,
        );
        let live: std::collections::BTreeSet<ObjectId> =
            self.records().iter().map(|o| o.id).collect();
        let mut summoned = self.world.resource_mut::<Summoned>();
        summoned.0.retain(|id, _| live.contains(id));
        summoned.0.insert(id, player);
        Ok(id)
    }

    /// Screeps' `remove-invader`: takes an invader `player` summoned out of the world.
    ///
    /// # Errors
    /// [`WorldError::Placement`] (`invalid object`) for anything else.
    pub fn remove_invader(&mut self, player: PlayerId, id: ObjectId) -> Result<()> {
        let live = self.records().iter().any(|o| o.id == id);
        let mine = self.world.resource::<Summoned>().0.get(&id) == Some(&player);
        if !live || !mine {
            return Err(refused("invalid object"));
        }
        crate::state::despawn_object(&mut self.world, id);
        self.world.resource_mut::<Summoned>().0.remove(&id);
        Ok(())
    }
}

/// `create-invader`'s boosts (its tough parts stay unboosted, unlike a raid's).
fn summoned_boost(part: crate::object::BodyPartKind) -> Option<crate::resources::ResourceKind> {
    match part {
        crate::object::BodyPartKind::Tough => None,
        other => InvaderKind::boost_for(other),
    }
}
