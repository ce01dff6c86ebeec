//! A reference colony bot written in Rust, for the `tick_sim` example, tests and benchmarks:
//! harvesters that fill spawns and extensions, then build, then upgrade. It plays through the
//! same intents JavaScript bots use.

use std::collections::BTreeMap;

use crate::geometry::{Position, ROOM_SIZE};
use crate::intent::Intent;
use crate::object::*;
use crate::pathfinding::{find_path, PathGrid, PathOptions};
use crate::world_state::GameWorld;

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

    /// This tick's intents for `player`.
    pub fn intents(
        &mut self,
        world: &GameWorld,
        grid: &PathGrid,
        records: &[ObjectRecord],
        player: PlayerId,
    ) -> Vec<Intent> {
        let mut out = Vec::new();
        let mine: Vec<&ObjectRecord> = records.iter().filter(|o| o.owner == Some(player)).collect();
        let Some(spawn) = mine.iter().find(|o| matches!(o.kind, ObjectKind::Spawn(_))) else {
            return out;
        };
        let room = spawn.pos.room;
        let in_room: Vec<&ObjectRecord> = records.iter().filter(|o| o.pos.room == room).collect();
        let controller = in_room
            .iter()
            .find(|o| matches!(o.kind, ObjectKind::Controller(_)));
        let level = controller.and_then(|c| match &c.kind {
            ObjectKind::Controller(c) => Some(c.level),
            _ => None,
        });
        let creeps: Vec<&ObjectRecord> = mine
            .iter()
            .copied()
            .filter(|o| matches!(o.kind, ObjectKind::Creep(_)))
            .collect();
        let sinks: Vec<&ObjectRecord> = in_room
            .iter()
            .copied()
            .filter(|o| o.owner == Some(player))
            .filter(|o| {
                matches!(
                    o.kind,
                    ObjectKind::Spawn(_) | ObjectKind::Structure(StructureKind::Extension)
                )
            })
            .filter(|o| o.store.is_some_and(|s| s.energy < s.capacity))
            .collect();
        let sites: Vec<&ObjectRecord> = in_room
            .iter()
            .copied()
            .filter(|o| {
                o.owner == Some(player) && matches!(o.kind, ObjectKind::ConstructionSite(_))
            })
            .collect();
        let sources: Vec<&ObjectRecord> = in_room
            .iter()
            .copied()
            .filter(|o| matches!(&o.kind, ObjectKind::Source(s) if s.energy > 0))
            .collect();
        // Spawn.
        let room_energy: u32 = in_room
            .iter()
            .filter(|o| o.owner == Some(player))
            .filter(|o| {
                matches!(
                    o.kind,
                    ObjectKind::Spawn(_) | ObjectKind::Structure(StructureKind::Extension)
                )
            })
            .map(|o| o.store.map_or(0, |s| s.energy))
            .sum();
        if let ObjectKind::Spawn(s) = &spawn.kind {
            if s.spawning.is_none() && creeps.len() < self.target_creeps {
                let body = if room_energy >= 400 {
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
                if room_energy >= cost
                    && (creeps.len() < 2 || room_energy >= 400 || level == Some(1))
                {
                    out.push(Intent::SpawnCreep {
                        spawn: spawn.id,
                        body,
                        name: format!("c{}", world.time()),
                    });
                }
            }
        }
        // Extensions once level 2 allows them.
        if level.unwrap_or(0) >= 2 && sites.is_empty() && world.time().is_multiple_of(20) {
            let existing = in_room
                .iter()
                .filter(|o| matches!(o.kind, ObjectKind::Structure(StructureKind::Extension)))
                .count();
            if existing < 5 {
                let terrain = &world.map().get(room).terrain;
                'search: for r in 2..8i32 {
                    for dy in -r..=r {
                        for dx in -r..=r {
                            if dx.abs() != r && dy.abs() != r || (dx + dy) % 2 != 0 {
                                continue;
                            }
                            let (x, y) = (spawn.pos.x as i32 + dx, spawn.pos.y as i32 + dy);
                            if x < 2
                                || y < 2
                                || x >= ROOM_SIZE as i32 - 2
                                || y >= ROOM_SIZE as i32 - 2
                            {
                                continue;
                            }
                            let p = Position::new(room, x as u8, y as u8);
                            if terrain.get(p.x, p.y) == crate::terrain::Tile::Wall
                                || in_room.iter().any(|o| o.pos == p)
                            {
                                continue;
                            }
                            if sources
                                .iter()
                                .copied()
                                .chain(controller.copied())
                                .any(|o| o.pos.range_to(p) <= 1)
                            {
                                continue;
                            }
                            out.push(Intent::CreateConstructionSite {
                                room: world.map().get(room).name.clone(),
                                x: p.x,
                                y: p.y,
                                structure: StructureKind::Extension,
                            });
                            break 'search;
                        }
                    }
                }
            }
        }
        for c in creeps {
            let ObjectKind::Creep(creep) = &c.kind else {
                continue;
            };
            if creep.spawning {
                continue;
            }
            let energy = c.store.map_or(0, |s| s.energy);
            let delivering = self.delivering.entry(c.id).or_insert(false);
            if *delivering && energy == 0 {
                *delivering = false;
            }
            if !*delivering && energy >= creep.carry_capacity() {
                *delivering = true;
            }
            let (target, range, action) = if !*delivering {
                let Some(src) = sources.iter().min_by_key(|s| (s.pos.range_to(c.pos), s.id)) else {
                    continue;
                };
                (
                    src.pos,
                    1,
                    Intent::Harvest {
                        creep: c.id,
                        target: src.id,
                    },
                )
            } else if let Some(sink) = sinks.iter().min_by_key(|s| (s.pos.range_to(c.pos), s.id)) {
                (
                    sink.pos,
                    1,
                    Intent::Transfer {
                        creep: c.id,
                        target: sink.id,
                        amount: None,
                    },
                )
            } else if let Some(site) = sites.iter().min_by_key(|s| (s.pos.range_to(c.pos), s.id)) {
                (
                    site.pos,
                    3,
                    Intent::Build {
                        creep: c.id,
                        target: site.id,
                    },
                )
            } else if let Some(ctl) = controller {
                (
                    ctl.pos,
                    3,
                    Intent::UpgradeController {
                        creep: c.id,
                        target: ctl.id,
                    },
                )
            } else {
                continue;
            };
            if c.pos.range_to(target) <= range {
                out.push(action);
            } else if creep.fatigue == 0 {
                let path = find_path(
                    grid,
                    c.pos,
                    target,
                    &PathOptions {
                        range,
                        ..PathOptions::default()
                    },
                );
                if let Some(next) = path.first() {
                    if let Some(dir) = c.pos.direction_to(*next) {
                        out.push(Intent::Move {
                            creep: c.id,
                            direction: dir as u8,
                        });
                    }
                }
            }
        }
        out
    }
}
