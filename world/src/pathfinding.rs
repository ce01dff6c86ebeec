//! A* over room terrain and objects, for `moveTo` and `findClosestByPath`.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use crate::game_world::GameWorld;
use crate::geometry::{Direction, Position, RoomId, ROOM_SIZE};
use crate::object::{ObjectKind, StructureKind};
use crate::terrain::Tile;

const N: usize = ROOM_SIZE as usize;

/// Costs and limits for one search.
#[derive(Debug, Clone, Copy)]
pub struct PathOptions {
    /// Stop within this range of the target.
    pub range: u32,
    /// Path through creeps as if they were not there.
    pub ignore_creeps: bool,
    /// Node expansions before giving up.
    pub max_ops: u32,
}

impl Default for PathOptions {
    fn default() -> Self {
        PathOptions {
            range: 1,
            ignore_creeps: false,
            max_ops: 4000,
        }
    }
}

/// Per-room movement costs at one tick: 0 impassable, road 1, plain 2, swamp 10; creeps kept
/// apart so searches can ignore them. Build once per tick and share.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PathGrid {
    costs: Vec<Vec<u8>>,
    creeps: Vec<Vec<bool>>,
    neighbors: Vec<[Option<RoomId>; 4]>,
}

/// One room of a [`PathGrid`]: what changed between two grids travels as these.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PathGridRoom {
    pub room: u32,
    #[serde(with = "serde_bytes")]
    pub costs: Vec<u8>,
    /// 1 where a creep stands.
    #[serde(with = "serde_bytes")]
    pub creeps: Vec<u8>,
}

impl PathGrid {
    /// Builds the grid from the world's current state.
    pub fn build(world: &GameWorld) -> PathGrid {
        let map = world.map();
        let mut costs = Vec::with_capacity(map.rooms.len());
        let mut creeps = Vec::with_capacity(map.rooms.len());
        for r in &map.rooms {
            let mut c = vec![0u8; N * N];
            for y in 0..N {
                for x in 0..N {
                    c[y * N + x] = match r.terrain.get(x as u8, y as u8) {
                        Tile::Plain => 2,
                        Tile::Swamp => 10,
                        Tile::Wall => 0,
                    };
                }
            }
            costs.push(c);
            creeps.push(vec![false; N * N]);
        }
        for rec in world.records() {
            let i = rec.pos.y as usize * N + rec.pos.x as usize;
            let room = rec.pos.room.0 as usize;
            match &rec.kind {
                ObjectKind::Creep(c) if !c.spawning => creeps[room][i] = true,
                ObjectKind::Structure(StructureKind::Road)
                    if (costs[room][i] != 0 || world.map().tile(rec.pos) == Tile::Wall) =>
                {
                    costs[room][i] = 1;
                }
                k if k.is_obstacle() && !matches!(k, ObjectKind::Creep(_)) => costs[room][i] = 0,
                _ => {}
            }
        }
        PathGrid {
            costs,
            creeps,
            neighbors: map.rooms.iter().map(|r| r.neighbors).collect(),
        }
    }

    /// The rooms whose costs or creeps differ from `previous` (every room when the shapes
    /// differ), for sending a grid as changes to a holder of `previous`.
    pub fn changed_rooms(&self, previous: &PathGrid) -> Vec<PathGridRoom> {
        let same_shape = previous.costs.len() == self.costs.len();
        (0..self.costs.len())
            .filter(|&i| {
                !same_shape
                    || previous.costs[i] != self.costs[i]
                    || previous.creeps[i] != self.creeps[i]
            })
            .map(|i| PathGridRoom {
                room: i as u32,
                costs: self.costs[i].clone(),
                creeps: self.creeps[i].iter().map(|&c| c as u8).collect(),
            })
            .collect()
    }

    /// Applies [`PathGrid::changed_rooms`] output.
    ///
    /// # Errors
    /// A room index or row length that does not fit this grid (nothing is applied then).
    pub fn apply_rooms(&mut self, rooms: Vec<PathGridRoom>) -> Result<(), String> {
        let fits = |r: &PathGridRoom| {
            (r.room as usize) < self.costs.len()
                && r.costs.len() == N * N
                && r.creeps.len() == N * N
        };
        if let Some(bad) = rooms.iter().find(|r| !fits(r)) {
            return Err(format!(
                "grid room {} does not fit a {}-room grid",
                bad.room,
                self.costs.len()
            ));
        }
        for r in rooms {
            let i = r.room as usize;
            self.creeps[i] = r.creeps.iter().map(|&c| c != 0).collect();
            self.costs[i] = r.costs;
        }
        Ok(())
    }

    fn cost(&self, p: Position, ignore_creeps: bool) -> u8 {
        let i = p.y as usize * N + p.x as usize;
        let c = self.costs[p.room.0 as usize][i];
        if !ignore_creeps && self.creeps[p.room.0 as usize][i] {
            return 0;
        }
        c
    }

    /// Rooms to cross from `from` to `to`, by breadth-first search over neighbours.
    fn next_room(&self, from: RoomId, to: RoomId) -> Option<(usize, RoomId)> {
        let mut prev: Vec<Option<(RoomId, usize)>> = vec![None; self.neighbors.len()];
        let mut queue = VecDeque::from([from]);
        let mut seen = vec![false; self.neighbors.len()];
        seen[from.0 as usize] = true;
        while let Some(r) = queue.pop_front() {
            if r == to {
                break;
            }
            for (side, n) in self.neighbors[r.0 as usize].iter().enumerate() {
                if let Some(n) = n {
                    if !seen[n.0 as usize] {
                        seen[n.0 as usize] = true;
                        prev[n.0 as usize] = Some((r, side));
                        queue.push_back(*n);
                    }
                }
            }
        }
        let mut cur = to;
        let mut step = None;
        while let Some((p, side)) = prev[cur.0 as usize] {
            step = Some((side, cur));
            if p == from {
                break;
            }
            cur = p;
        }
        step
    }
}

fn is_exit_on(p: Position, side: usize) -> bool {
    let last = ROOM_SIZE - 1;
    match side {
        0 => p.y == 0,
        1 => p.x == last,
        2 => p.y == last,
        _ => p.x == 0,
    }
}

/// The path from `from` towards `to` (excluding `from`). Across rooms it leads to the exit of
/// the first room on the route; callers re-plan after crossing. Empty when there is no path.
pub fn find_path(
    grid: &PathGrid,
    from: Position,
    to: Position,
    options: &PathOptions,
) -> Vec<Position> {
    let cross = if from.room != to.room {
        match grid.next_room(from.room, to.room) {
            Some((side, _)) => Some(side),
            None => return Vec::new(),
        }
    } else {
        None
    };
    let goal = |p: Position| match cross {
        Some(side) => is_exit_on(p, side),
        None => p.range_to(to) <= options.range,
    };
    if goal(from) {
        return Vec::new();
    }
    let h = |p: Position| -> u32 {
        match cross {
            // Dijkstra towards the exit side.
            Some(_) => 0,
            None => p.range_to(to).saturating_sub(options.range),
        }
    };
    let idx = |p: Position| p.y as usize * N + p.x as usize;
    let mut g = vec![u32::MAX; N * N];
    let mut came: Vec<u16> = vec![u16::MAX; N * N];
    let mut open = BinaryHeap::new();
    g[idx(from)] = 0;
    open.push(Reverse((h(from), 0u32, from.y, from.x)));
    let mut ops = 0;
    while let Some(Reverse((_, cost, y, x))) = open.pop() {
        let p = Position::new(from.room, x, y);
        if cost > g[idx(p)] {
            continue;
        }
        if goal(p) {
            let mut path = vec![p];
            let mut cur = idx(p);
            while came[cur] != u16::MAX && came[cur] as usize != idx(from) {
                cur = came[cur] as usize;
                path.push(Position::new(from.room, (cur % N) as u8, (cur / N) as u8));
            }
            path.reverse();
            return path;
        }
        ops += 1;
        if ops > options.max_ops {
            break;
        }
        for d in Direction::ALL {
            let Some(n) = p.step(d) else { continue };
            // The target tile itself may be an obstacle (moving next to a source, say).
            let c = if n == to && options.range == 0 {
                grid.cost(n, true).max(1)
            } else {
                grid.cost(n, options.ignore_creeps)
            };
            if c == 0 {
                continue;
            }
            // Only step onto border tiles that are the exit we want.
            if n.is_edge() && !cross.is_some_and(|side| is_exit_on(n, side)) && (n != to) {
                continue;
            }
            let ng = cost + c as u32;
            if ng < g[idx(n)] {
                g[idx(n)] = ng;
                came[idx(n)] = idx(p) as u16;
                open.push(Reverse((ng + h(n), ng, n.y, n.x)));
            }
        }
    }
    Vec::new()
}

impl GameWorld {
    /// Convenience: builds a [`PathGrid`] and searches once.
    pub fn find_path(&self, from: Position, to: Position, options: &PathOptions) -> Vec<Position> {
        find_path(&PathGrid::build(self), from, to, options)
    }
}

/// Index of the goal reached first by path from `from` (a goal is reached on any tile within
/// `range` of it), searching only `from`'s room. `None` when none is reachable within
/// `max_ops` expansions.
pub fn closest_by_path(
    grid: &PathGrid,
    from: Position,
    goals: &[Position],
    range: u32,
    max_ops: u32,
) -> Option<usize> {
    let reached = |p: Position| {
        goals
            .iter()
            .position(|g| g.room == p.room && p.range_to(*g) <= range)
    };
    if let Some(i) = reached(from) {
        return Some(i);
    }
    let idx = |p: Position| p.y as usize * N + p.x as usize;
    let mut dist = vec![u32::MAX; N * N];
    let mut open = BinaryHeap::new();
    dist[idx(from)] = 0;
    open.push(Reverse((0u32, from.y, from.x)));
    let mut ops = 0;
    while let Some(Reverse((d, y, x))) = open.pop() {
        let p = Position::new(from.room, x, y);
        if d > dist[idx(p)] {
            continue;
        }
        if let Some(i) = reached(p) {
            return Some(i);
        }
        ops += 1;
        if ops > max_ops {
            return None;
        }
        for dir in Direction::ALL {
            let Some(n) = p.step(dir) else { continue };
            let c = grid.cost(n, false);
            if c == 0 || n.is_edge() {
                continue;
            }
            let nd = d + c as u32;
            if nd < dist[idx(n)] {
                dist[idx(n)] = nd;
                open.push(Reverse((nd, n.y, n.x)));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_changes_rebuild_the_same_grid() {
        let mut world = GameWorld::new(crate::WorldConfig::default()).unwrap();
        let p = world.add_player("a").unwrap();
        let before = PathGrid::build(&world);
        let spawn = world
            .records()
            .into_iter()
            .find(|r| matches!(r.kind, ObjectKind::Spawn(_)))
            .unwrap();
        let mut batch = crate::IntentBatch::new();
        batch.extend(
            p,
            [crate::Intent::SpawnCreep {
                spawn: spawn.id,
                body: vec![crate::BodyPartKind::Move],
                name: "c".into(),
                energy_structures: None,
            }],
        );
        for _ in 0..5 {
            world.tick(&batch);
            batch = crate::IntentBatch::new();
        }
        let after = PathGrid::build(&world);
        let changed = after.changed_rooms(&before);
        assert!(!changed.is_empty() && changed.len() < world.map().rooms.len());
        let mut patched = before.clone();
        patched.apply_rooms(changed).unwrap();
        assert_eq!(
            rmp_serde::to_vec(&patched).unwrap(),
            rmp_serde::to_vec(&after).unwrap()
        );
        assert!(after.changed_rooms(&after).is_empty());
        let bad = vec![PathGridRoom {
            room: 9_999,
            costs: vec![0; N * N],
            creeps: vec![0; N * N],
        }];
        assert!(patched.apply_rooms(bad).is_err());
    }
}
