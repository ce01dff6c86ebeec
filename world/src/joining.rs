//! Players joining the world and starting over, as Screeps' backend does it
//! (`lib/game/api/game.js` place-spawn, `lib/utils.js` respawnUser): a player registers,
//! then places their first spawn in a free room of their choice ([`GameWorld::place_player`]),
//! or is placed in a random free room at once ([`GameWorld::add_player`], the demo's way).
//! A respawn turns their structures into ruins, removes their creeps and sites and frees
//! their controllers.

use std::collections::{BTreeMap, BTreeSet};

use rand::Rng;

use crate::constants::*;
use crate::error::{Result, WorldError};
use crate::game_world::GameWorld;
use crate::geometry::{Direction, Position, RoomId, ROOM_SIZE};
use crate::object::*;
use crate::room_map::RoomStatus;
use crate::state::*;
use crate::terrain::Tile;

/// Screeps' ruin decay for a respawned player's structures.
const RESPAWN_RUIN_DECAY: u32 = 500_000;

/// Why a spawn cannot be placed, in Screeps' words.
fn refused(why: &str) -> WorldError {
    WorldError::Placement(why.to_string())
}

impl GameWorld {
    /// Registers a player who has no room yet (`place_player` gives them one).
    ///
    /// # Errors
    /// [`WorldError::NameTaken`], [`WorldError::InvalidName`].
    pub fn register_player(&mut self, name: &str) -> Result<PlayerId> {
        self.check_new_name(name)?;
        let id = PlayerId(self.players().len() as u32 + 1);
        self.world.resource_mut::<Players>().list.push(PlayerInfo {
            id,
            name: name.to_string(),
            home: None,
            gcl: 0,
        });
        Ok(id)
    }

    /// Registers a player and places them in a random free room with two sources, the spawn
    /// `Spawn1` on a free tile near the controller.
    ///
    /// # Errors
    /// [`WorldError::NameTaken`], [`WorldError::InvalidName`], [`WorldError::NoFreeRoom`].
    pub fn add_player(&mut self, name: &str) -> Result<PlayerId> {
        self.check_new_name(name)?;
        let records = self.records();
        let candidates = self.free_homes(&records);
        if candidates.is_empty() {
            return Err(WorldError::NoFreeRoom);
        }
        let room = {
            let mut rng = self.world.resource_mut::<WorldRng>();
            candidates[rng.0.gen_range(0..candidates.len())]
        };
        let in_room: Vec<ObjectRecord> =
            records.into_iter().filter(|o| o.pos.room == room).collect();
        let controller_pos = in_room
            .iter()
            .find(|o| matches!(o.kind, ObjectKind::Controller(_)))
            .map(|o| o.pos)
            .ok_or(WorldError::NoFreeRoom)?;
        let spawn_pos = self
            .spawn_site(room, controller_pos, &in_room)
            .ok_or(WorldError::NoFreeRoom)?;
        let id = self.register_player(name)?;
        self.settle(id, spawn_pos, "Spawn1", in_room);
        Ok(id)
    }

    fn check_new_name(&self, name: &str) -> Result<()> {
        if name.is_empty() || name.len() > 64 || name.chars().any(|c| c.is_control()) {
            return Err(WorldError::InvalidName(name.to_string()));
        }
        if self.players().iter().any(|p| p.name == name) {
            return Err(WorldError::NameTaken(name.to_string()));
        }
        Ok(())
    }

    /// Normal rooms with two sources whose controller nobody holds.
    fn free_homes(&self, records: &[ObjectRecord]) -> Vec<RoomId> {
        let mut sources: BTreeMap<RoomId, usize> = BTreeMap::new();
        let mut free_controller: BTreeSet<RoomId> = BTreeSet::new();
        for o in records {
            match &o.kind {
                ObjectKind::Source(_) => *sources.entry(o.pos.room).or_default() += 1,
                ObjectKind::Controller(c) if o.owner.is_none() && c.reservation.is_none() => {
                    free_controller.insert(o.pos.room);
                }
                _ => {}
            }
        }
        self.map()
            .rooms
            .iter()
            .filter(|r| r.status == RoomStatus::Normal)
            .map(|r| r.id)
            .filter(|id| free_controller.contains(id) && sources.get(id) == Some(&2))
            .collect()
    }

    /// Screeps' place-spawn: a registered player without objects puts their first spawn at
    /// (`x`, `y`) of `room`, whose controller nobody holds; the controller becomes theirs at
    /// level 1 in safe mode.
    ///
    /// # Errors
    /// [`WorldError::Placement`]: "invalid params", "already playing", "invalid room",
    /// "not a free controller", "invalid location".
    pub fn place_player(
        &mut self,
        player: PlayerId,
        room: &str,
        x: u8,
        y: u8,
        spawn_name: &str,
    ) -> Result<()> {
        let name_ok = !spawn_name.is_empty()
            && spawn_name.chars().count() <= 50
            && !spawn_name.chars().any(char::is_control);
        if x >= ROOM_SIZE || y >= ROOM_SIZE || !name_ok {
            return Err(refused("invalid params"));
        }
        let known = self.players().iter().any(|p| p.id == player);
        if !known {
            return Err(refused("invalid params"));
        }
        let records = self.records();
        if records.iter().any(|o| o.owner == Some(player)) {
            return Err(refused("already playing"));
        }
        let room_id = self
            .map()
            .by_name(room)
            .filter(|r| self.map().get(*r).status != RoomStatus::Closed)
            .ok_or_else(|| refused("invalid room"))?;
        let in_room: Vec<ObjectRecord> = records
            .into_iter()
            .filter(|o| o.pos.room == room_id)
            .collect();
        let free = in_room.iter().any(|o| {
            matches!(&o.kind, ObjectKind::Controller(c)
                if o.owner.is_none() && c.level == 0
                    && c.reservation.as_ref().is_none_or(|r| r.player == player))
        });
        if !free {
            return Err(refused("not a free controller"));
        }
        let pos = Position::new(room_id, x, y);
        let blocked = in_room.iter().any(|o| {
            o.pos == pos
                && (o.kind.is_obstacle() || matches!(o.kind, ObjectKind::ConstructionSite(_)))
        });
        let near_exit = crate::rules::next_to_open_exit(self.map(), pos);
        if pos.is_edge() || self.map().tile(pos) == Tile::Wall || blocked || near_exit {
            return Err(refused("invalid location"));
        }
        self.settle(player, pos, spawn_name, in_room);
        Ok(())
    }

    /// Gives `player` the room of `spawn_pos`: its controller (level 1, safe mode), full
    /// sources, and the spawn.
    fn settle(
        &mut self,
        player: PlayerId,
        spawn_pos: Position,
        spawn_name: &str,
        in_room: Vec<ObjectRecord>,
    ) {
        for rec in in_room {
            let entity = self.world.resource::<ObjectIndex>().by_id[&rec.id];
            match rec.kind {
                ObjectKind::Controller(_) => {
                    self.world.entity_mut(entity).insert((
                        Owner(player),
                        // Screeps' placeSpawn: a new colony starts in safe mode.
                        ObjectKind::Controller(Controller {
                            safe_mode: SAFE_MODE_DURATION,
                            ..Controller::claimed(&Controller::neutral())
                        }),
                    ));
                }
                ObjectKind::Source(_) => {
                    self.world
                        .entity_mut(entity)
                        .insert(ObjectKind::Source(Source {
                            energy: SOURCE_ENERGY_CAPACITY,
                            capacity: SOURCE_ENERGY_CAPACITY,
                            ticks_to_regeneration: None,
                            invader_harvested: 0,
                        }));
                }
                _ => {}
            }
        }
        spawn_object(
            &mut self.world,
            spawn_pos,
            Some(player),
            Some(StructureKind::Spawn.initial_hits()),
            Some(Store::energy_only(
                SPAWN_ENERGY_START,
                SPAWN_ENERGY_CAPACITY,
            )),
            None,
            ObjectKind::Spawn(StructureSpawn {
                name: spawn_name.into(),
                spawning: None,
            }),
        );
        let mut players = self.world.resource_mut::<Players>();
        if let Some(p) = players.list.iter_mut().find(|p| p.id == player) {
            p.home = Some(spawn_pos.room);
        }
    }

    /// Screeps' respawn: the player's creeps and construction sites go, each structure
    /// becomes a ruin holding its store, and their controllers return to nobody. They keep
    /// their GCL and may place a spawn again.
    ///
    /// # Errors
    /// [`WorldError::Placement`] "invalid params" for an unknown player.
    pub fn respawn(&mut self, player: PlayerId) -> Result<()> {
        if !self.players().iter().any(|p| p.id == player) {
            return Err(refused("invalid params"));
        }
        let tick = self.time();
        let mine: Vec<ObjectRecord> = self
            .records()
            .into_iter()
            .filter(|o| o.owner == Some(player))
            .collect();
        for o in mine {
            match &o.kind {
                ObjectKind::Controller(_) => {
                    let entity = self.world.resource::<ObjectIndex>().by_id[&o.id];
                    let mut e = self.world.entity_mut(entity);
                    e.remove::<Owner>();
                    e.insert(ObjectKind::Controller(Controller::neutral()));
                }
                kind if kind.structure().is_some() => {
                    let ruin = Ruin {
                        structure: o.id,
                        structure_kind: kind.structure().unwrap_or(StructureKind::Road),
                        structure_owner: Some(player),
                        hits_max: o.hits.map_or(0, |h| h.max),
                        destroy_time: tick,
                        ticks_to_decay: RESPAWN_RUIN_DECAY,
                    };
                    despawn_object(&mut self.world, o.id);
                    let store = o.store.map(|s| {
                        let mut kept = Store::empty(crate::resources::StoreLimit::Unlimited);
                        for (r, n) in s.contents() {
                            kept.add(*r, *n);
                        }
                        kept
                    });
                    spawn_object(
                        &mut self.world,
                        o.pos,
                        None,
                        None,
                        store,
                        None,
                        ObjectKind::Ruin(ruin),
                    );
                }
                _ => despawn_object(&mut self.world, o.id),
            }
        }
        let mut players = self.world.resource_mut::<Players>();
        if let Some(p) = players.list.iter_mut().find(|p| p.id == player) {
            p.home = None;
        }
        Ok(())
    }

    /// A plain tile 3–6 from the controller, away from sources, with all eight neighbours
    /// walkable; the first in scan order.
    fn spawn_site(
        &self,
        room: RoomId,
        controller: Position,
        records: &[ObjectRecord],
    ) -> Option<Position> {
        let terrain = &self.map().get(room).terrain;
        let blocked = |x: u8, y: u8| {
            records
                .iter()
                .any(|o| o.pos.room == room && o.pos.range_to(Position::new(room, x, y)) <= 1)
        };
        for r in 3..=6u32 {
            for y in 3..ROOM_SIZE - 3 {
                for x in 3..ROOM_SIZE - 3 {
                    let p = Position::new(room, x, y);
                    if p.range_to(controller) != r || terrain.get(x, y) != Tile::Plain {
                        continue;
                    }
                    let open = Direction::ALL
                        .iter()
                        .filter_map(|d| p.step(*d))
                        .all(|n| terrain.get(n.x, n.y) == Tile::Plain);
                    if open && !blocked(x, y) {
                        return Some(p);
                    }
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world_config::WorldConfig;

    fn world() -> GameWorld {
        GameWorld::new(WorldConfig {
            seed: 4,
            width: 3,
            height: 3,
        })
        .unwrap()
    }

    fn owned(w: &GameWorld, p: PlayerId) -> Vec<ObjectRecord> {
        w.records()
            .into_iter()
            .filter(|o| o.owner == Some(p))
            .collect()
    }

    /// A free room with a free plain tile five steps from its controller.
    fn free_spot(w: &GameWorld) -> (String, u8, u8) {
        let records = w.records();
        let room = w.free_homes(&records)[0];
        let ctl = records
            .iter()
            .find(|o| o.pos.room == room && matches!(o.kind, ObjectKind::Controller(_)))
            .unwrap()
            .pos;
        let spot = w.spawn_site(room, ctl, &records).unwrap();
        (w.map().get(room).name.clone(), spot.x, spot.y)
    }

    #[test]
    fn a_registered_player_places_a_spawn_where_they_choose_once() {
        let mut w = world();
        let p = w.register_player("alice").unwrap();
        assert!(owned(&w, p).is_empty());
        assert_eq!(w.players()[0].home, None);
        let (room, x, y) = free_spot(&w);
        w.place_player(p, &room, x, y, "First").unwrap();
        let mine = owned(&w, p);
        let spawn = mine
            .iter()
            .find(|o| matches!(&o.kind, ObjectKind::Spawn(s) if s.name == "First"))
            .unwrap();
        assert_eq!((spawn.pos.x, spawn.pos.y), (x, y));
        assert!(mine.iter().any(
            |o| matches!(&o.kind, ObjectKind::Controller(c) if c.level == 1 && c.safe_mode > 0)
        ));
        assert!(w.players()[0].home.is_some());
        let again = w.place_player(p, &room, x, y, "Second").unwrap_err();
        assert_eq!(again.to_string(), "already playing");
    }

    #[test]
    fn placement_is_refused_on_walls_edges_taken_rooms_and_unknown_rooms() {
        let mut w = world();
        let alice = w.add_player("alice").unwrap();
        let bob = w.register_player("bob").unwrap();
        let taken = w.map().get(w.players()[0].home.unwrap()).name.clone();
        let err = |w: &mut GameWorld, room: &str, x, y| {
            w.place_player(bob, room, x, y, "S")
                .unwrap_err()
                .to_string()
        };
        assert_eq!(err(&mut w, &taken, 25, 25), "not a free controller");
        assert_eq!(err(&mut w, "W99N99", 25, 25), "invalid room");
        let (room, _, _) = free_spot(&w);
        assert_eq!(err(&mut w, &room, 0, 25), "invalid location");
        assert_eq!(err(&mut w, &room, 50, 25), "invalid params");
        let rid = w.map().by_name(&room).unwrap();
        let wall = (2..48u8)
            .flat_map(|y| (2..48u8).map(move |x| (x, y)))
            .find(|(x, y)| w.map().get(rid).terrain.get(*x, *y) == Tile::Wall)
            .unwrap();
        assert_eq!(err(&mut w, &room, wall.0, wall.1), "invalid location");
        assert!(owned(&w, bob).is_empty());
        assert!(!owned(&w, alice).is_empty());
    }

    #[test]
    fn a_respawn_leaves_ruins_frees_the_controller_and_allows_a_new_start() {
        let mut w = world();
        let p = w.add_player("alice").unwrap();
        let home = w.players()[0].home.unwrap();
        w.respawn(p).unwrap();
        assert!(owned(&w, p).is_empty());
        assert_eq!(w.players()[0].home, None);
        let records = w.records();
        assert!(records.iter().any(|o| o.pos.room == home
            && matches!(&o.kind, ObjectKind::Ruin(r) if r.structure_kind == StructureKind::Spawn)));
        assert!(records.iter().any(|o| o.pos.room == home
            && matches!(&o.kind, ObjectKind::Controller(c) if c.level == 0)
            && o.owner.is_none()));
        let (room, x, y) = free_spot(&w);
        w.place_player(p, &room, x, y, "Again").unwrap();
        assert!(!owned(&w, p).is_empty());
    }
}
