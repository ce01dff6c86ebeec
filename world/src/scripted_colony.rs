//! A reference colony bot written in Rust, for the `tick_sim` example, tests and benchmarks:
//! harvesters that fill spawns and extensions, then build, then upgrade. It plays through the
//! same intents JavaScript bots use.

use std::collections::BTreeMap;

use crate::game_world::GameWorld;
use crate::geometry::{Position, ROOM_SIZE};
use crate::intent::Intent;
use crate::object::*;
use crate::pathfinding::{find_path, PathGrid, PathOptions};

/// Per-player bot state (which creeps are delivering).
#[derive(Debug, Default, Clone)]
pub struct ScriptedColony {
    delivering: BTreeMap<ObjectId, bool>,
    /// Creeps to keep alive.
    pub target_creeps: usize,
}

impl ScriptedColony {
    pub fn new(target_creeps: usize) -> Self {
        ScriptedColony {
            delivering: BTreeMap::new(),
            target_creeps,
        }
    }

    /// This tick's intents for `player`: spawn, maybe a construction site, then one action
    /// or move per creep.
    pub fn intents(
        &mut self,
        world: &GameWorld,
        grid: &PathGrid,
        records: &[ObjectRecord],
        player: PlayerId,
    ) -> Vec<Intent> {
        let mut out = Vec::new();
        let Some(colony) = Colony::of(records, player) else {
            return out;
        };
        out.extend(self.spawn_intent(&colony, world.time()));
        out.extend(extension_site(&colony, world));
        for c in &colony.creeps {
            out.extend(self.creep_intent(&colony, grid, c));
        }
        out
    }

    fn spawn_intent(&self, colony: &Colony, time: u64) -> Option<Intent> {
        let ObjectKind::Spawn(s) = &colony.spawn.kind else {
            return None;
        };
        if s.spawning.is_some() || colony.creeps.len() >= self.target_creeps {
            return None;
        }
        let energy = colony.room_energy;
        let body = if energy >= 400 {
            vec![
                BodyPartKind::Work,
                BodyPartKind::Work,
                BodyPartKind::Carry,
                BodyPartKind::Carry,
                BodyPartKind::Move,
                BodyPartKind::Move,
            ]
        } else {
            vec![BodyPartKind::Work, BodyPartKind::Carry, BodyPartKind::Move]
        };
        let cost: u32 = body.iter().map(|b| b.cost()).sum();
        let worth_it = colony.creeps.len() < 2 || energy >= 400 || colony.level == Some(1);
        (energy >= cost && worth_it).then(|| Intent::SpawnCreep {
            spawn: colony.spawn.id,
            body,
            name: format!("c{time}"),
            energy_structures: None,
        })
    }

    /// Harvest until full, then fill spawns and extensions, else build, else upgrade; walk
    /// when out of range.
    fn creep_intent(
        &mut self,
        colony: &Colony,
        grid: &PathGrid,
        c: &ObjectRecord,
    ) -> Option<Intent> {
        let ObjectKind::Creep(creep) = &c.kind else {
            return None;
        };
        if creep.spawning {
            return None;
        }
        let energy = c.store.as_ref().map_or(0, |s| s.energy());
        let delivering = self.delivering.entry(c.id).or_insert(false);
        if *delivering && energy == 0 {
            *delivering = false;
        }
        if !*delivering && energy >= creep.carry_capacity() {
            *delivering = true;
        }
        let nearest = |list: &[&'_ ObjectRecord]| -> Option<(Position, ObjectId)> {
            list.iter()
                .min_by_key(|s| (s.pos.range_to(c.pos), s.id))
                .map(|o| (o.pos, o.id))
        };
        let (target, range, action) = if !*delivering {
            let (pos, id) = nearest(&colony.sources)?;
            let harvest = Intent::Harvest {
                creep: c.id,
                target: id,
            };
            (pos, 1, harvest)
        } else if let Some((pos, id)) = nearest(&colony.sinks) {
            let transfer = Intent::Transfer {
                creep: c.id,
                target: id,
                resource: ResourceKind::Energy,
                amount: None,
            };
            (pos, 1, transfer)
        } else if let Some((pos, id)) = nearest(&colony.sites) {
            let build = Intent::Build {
                creep: c.id,
                target: id,
            };
            (pos, 3, build)
        } else {
            let ctl = colony.controller?;
            let upgrade = Intent::UpgradeController {
                creep: c.id,
                target: ctl.id,
            };
            (ctl.pos, 3, upgrade)
        };
        if c.pos.range_to(target) <= range {
            return Some(action);
        }
        if creep.fatigue > 0 {
            return None;
        }
        let options = PathOptions {
            range,
            ..PathOptions::default()
        };
        let next = *find_path(grid, c.pos, target, &options).first()?;
        let dir = c.pos.direction_to(next)?;
        Some(Intent::Move {
            creep: c.id,
            direction: dir as u8,
        })
    }
}

/// What the bot looks at in its home room (the room of its first spawn).
struct Colony<'a> {
    spawn: &'a ObjectRecord,
    in_room: Vec<&'a ObjectRecord>,
    controller: Option<&'a ObjectRecord>,
    level: Option<u8>,
    creeps: Vec<&'a ObjectRecord>,
    /// Own spawns and extensions with room for energy.
    sinks: Vec<&'a ObjectRecord>,
    sites: Vec<&'a ObjectRecord>,
    /// Sources with energy left.
    sources: Vec<&'a ObjectRecord>,
    room_energy: u32,
}

impl<'a> Colony<'a> {
    fn of(records: &'a [ObjectRecord], player: PlayerId) -> Option<Colony<'a>> {
        let mine: Vec<&ObjectRecord> = records.iter().filter(|o| o.owner == Some(player)).collect();
        let spawn = *mine
            .iter()
            .find(|o| matches!(o.kind, ObjectKind::Spawn(_)))?;
        let room = spawn.pos.room;
        let in_room: Vec<&ObjectRecord> = records.iter().filter(|o| o.pos.room == room).collect();
        let controller = in_room
            .iter()
            .copied()
            .find(|o| matches!(o.kind, ObjectKind::Controller(_)));
        let level = controller.and_then(|c| match &c.kind {
            ObjectKind::Controller(c) => Some(c.level),
            _ => None,
        });
        let creeps = mine
            .iter()
            .copied()
            .filter(|o| matches!(o.kind, ObjectKind::Creep(_)))
            .collect();
        let own_in_room = || in_room.iter().copied().filter(|o| o.owner == Some(player));
        let holds_room_energy = |o: &&ObjectRecord| {
            matches!(
                o.kind,
                ObjectKind::Spawn(_) | ObjectKind::Structure(StructureKind::Extension)
            )
        };
        let sinks = own_in_room()
            .filter(holds_room_energy)
            .filter(|o| {
                o.store
                    .as_ref()
                    .is_some_and(|s| s.free_for(ResourceKind::Energy) > 0)
            })
            .collect();
        let sites = own_in_room()
            .filter(|o| matches!(o.kind, ObjectKind::ConstructionSite(_)))
            .collect();
        let sources = in_room
            .iter()
            .copied()
            .filter(|o| matches!(&o.kind, ObjectKind::Source(s) if s.energy > 0))
            .collect();
        let room_energy = own_in_room()
            .filter(holds_room_energy)
            .map(|o| o.store.as_ref().map_or(0, |s| s.energy()))
            .sum();
        Some(Colony {
            spawn,
            in_room,
            controller,
            level,
            creeps,
            sinks,
            sites,
            sources,
            room_energy,
        })
    }
}

/// Up to five extensions once level 2 allows them, one site every 20 ticks, on a
/// checkerboard ring around the spawn away from sources and the controller.
fn extension_site(colony: &Colony, world: &GameWorld) -> Option<Intent> {
    if colony.level.unwrap_or(0) < 2 || !colony.sites.is_empty() || !world.time().is_multiple_of(20)
    {
        return None;
    }
    let existing = colony
        .in_room
        .iter()
        .filter(|o| matches!(o.kind, ObjectKind::Structure(StructureKind::Extension)))
        .count();
    if existing >= 5 {
        return None;
    }
    let spawn = colony.spawn.pos;
    let info = world.map().get(spawn.room);
    for r in 2..8i32 {
        for dy in -r..=r {
            for dx in -r..=r {
                if dx.abs() != r && dy.abs() != r || (dx + dy) % 2 != 0 {
                    continue;
                }
                let (x, y) = (spawn.x as i32 + dx, spawn.y as i32 + dy);
                let inner = 2..ROOM_SIZE as i32 - 2;
                if !inner.contains(&x) || !inner.contains(&y) {
                    continue;
                }
                let p = Position::new(spawn.room, x as u8, y as u8);
                if info.terrain.get(p.x, p.y) == crate::terrain::Tile::Wall
                    || colony.in_room.iter().any(|o| o.pos == p)
                {
                    continue;
                }
                let crowded = colony
                    .sources
                    .iter()
                    .copied()
                    .chain(colony.controller)
                    .any(|o| o.pos.range_to(p) <= 1);
                if crowded {
                    continue;
                }
                return Some(Intent::CreateConstructionSite {
                    room: info.name.clone(),
                    x: p.x,
                    y: p.y,
                    structure: StructureKind::Extension,
                });
            }
        }
    }
    None
}
