//! Who holds which room, read from the world's objects once per published tick: what the
//! Screeps API's map and user routes answer (`world-status`, `user/rooms`, `map-stats`,
//! `room-status`) without touching the shard thread.

use std::collections::BTreeMap;

use isoshard_world::{GameWorld, ObjectKind, StructureKind};

/// A room's controller: its owner and level, or who reserves it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RoomHold {
    pub owner: Option<u32>,
    pub level: u8,
    pub reserved_by: Option<u32>,
}

/// What one player holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlayerHold {
    /// Owned rooms and their levels, highest level first (then by name), as Screeps'
    /// `/api/user/rooms` sorts them.
    pub rooms: Vec<(String, u8)>,
    /// A spawn stands in a room whose controller the player owns (Screeps' world status
    /// "normal"; objects without one are "lost").
    pub has_spawn: bool,
    pub objects: usize,
    pub creeps: usize,
}

impl PlayerHold {
    /// The highest controller level the player has.
    pub fn level(&self) -> u8 {
        self.rooms.first().map_or(0, |(_, l)| *l)
    }

    /// Screeps' `/api/user/world-status`: `empty` (nothing in the world), `normal` (a spawn
    /// in an owned room) or `lost`.
    pub fn world_status(&self) -> &'static str {
        match (self.objects, self.has_spawn) {
            (0, _) => "empty",
            (_, true) => "normal",
            _ => "lost",
        }
    }
}

/// Rooms held and what each player holds.
#[derive(Debug, Clone, Default)]
pub struct Holdings {
    /// By room name; rooms whose controller nobody holds are absent.
    pub rooms: BTreeMap<String, RoomHold>,
    /// By player id.
    pub players: BTreeMap<u32, PlayerHold>,
}

impl Holdings {
    pub fn of(world: &GameWorld) -> Holdings {
        let map = world.map();
        let mut h = Holdings::default();
        let mut spawn_rooms: Vec<(u32, String)> = Vec::new();
        for o in world.records() {
            let room = &map.get(o.pos.room).name;
            if let ObjectKind::Controller(c) = &o.kind {
                let hold = RoomHold {
                    owner: o.owner.map(|p| p.0),
                    level: c.level,
                    reserved_by: c.reservation.as_ref().map(|r| r.player.0),
                };
                if hold != RoomHold::default() {
                    h.rooms.insert(room.clone(), hold);
                }
            }
            let Some(owner) = o.owner else { continue };
            let p = h.players.entry(owner.0).or_default();
            p.objects += 1;
            match &o.kind {
                ObjectKind::Creep(_) => p.creeps += 1,
                ObjectKind::Controller(c) => p.rooms.push((room.clone(), c.level)),
                kind if kind.structure() == Some(StructureKind::Spawn) => {
                    spawn_rooms.push((owner.0, room.clone()));
                }
                _ => {}
            }
        }
        for (owner, room) in spawn_rooms {
            let owns = h.rooms.get(&room).and_then(|r| r.owner) == Some(owner);
            if let Some(p) = h.players.get_mut(&owner) {
                p.has_spawn |= owns;
            }
        }
        for p in h.players.values_mut() {
            p.rooms
                .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use isoshard_world::WorldConfig;

    #[test]
    fn a_new_player_holds_its_home_with_a_spawn_and_others_hold_nothing() {
        let mut w = GameWorld::new(WorldConfig::default()).unwrap();
        let alice = w.add_player("alice").unwrap();
        let h = Holdings::of(&w);
        let home = &w.map().get(w.players()[0].home.unwrap()).name;
        let mine = &h.players[&alice.0];
        assert_eq!(mine.rooms, vec![(home.clone(), 1)]);
        assert!(mine.has_spawn);
        assert_eq!(mine.world_status(), "normal");
        assert_eq!(h.rooms[home].owner, Some(alice.0));
        assert_eq!(PlayerHold::default().world_status(), "empty");
        let lost = PlayerHold {
            objects: 3,
            ..PlayerHold::default()
        };
        assert_eq!(lost.world_status(), "lost");
    }
}
