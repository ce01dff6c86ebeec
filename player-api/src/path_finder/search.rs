//! The search itself: screeps/driver `native/src/pf.cc`, function for function (`look`,
//! `heuristic`, `astar`, `jump_x/y/xy`, `jps`, `jump_neighbor`, `search`). Every room read
//! goes through [`PathSearch::look`], which stops the search with [`Halt::NeedRoom`] the first
//! time a room needs the player's `roomCallback` (see the module above for why that is exact).

use std::sync::Arc;

use super::heap::{OpenClosed, OpenList};
use super::{
    Goal, MapPos, Outcome, RoomAnswer, RoomTerrains, SearchOptions, Step, WorldPos, MAX_ROOMS,
    OBSTACLE,
};

/// Why a search stopped before its end.
enum Halt {
    NeedRoom(MapPos),
    Failed(&'static str),
}

type Flow<T> = Result<T, Halt>;

/// One room of a search: its place and the cost of each tile (`x * 50 + y`), terrain and
/// CostMatrix folded together when the room is added.
struct SearchRoom {
    pos: MapPos,
    /// 255 is an obstacle (costs are 1..=254: Screeps clamps terrain costs and a matrix's
    /// 255 is its obstacle).
    costs: Arc<[u8; 2500]>,
}

/// Cost tables of recent searches, by room, (plain, swamp) cost and CostMatrix: a bot
/// searches the same rooms with the same matrices (most keep theirs for the tick), and
/// folding 2 500 tiles again is a tenth of a search.
const COST_TABLES_KEPT: usize = 8;

/// A cost table and what it was folded from.
struct CostTable {
    key: (MapPos, u32, u32),
    matrix: Option<Box<[u8; 2500]>>,
    costs: Arc<[u8; 2500]>,
}

enum Phase {
    Origin,
    FirstExpansion,
    /// `Some`: a node popped and waiting for (or in the middle of) its expansion.
    Expanding(Option<(u32, WorldPos, u32)>),
}

/// A search in progress, and the buffers it keeps for the next one.
pub(crate) struct PathSearch {
    terrains: Arc<dyn RoomTerrains>,
    rooms: Vec<SearchRoom>,
    /// Map position id → index in `rooms` + 1 (0: not loaded).
    room_index: Box<[u8]>,
    blocked: Vec<MapPos>,
    parents: Vec<u32>,
    open_closed: OpenClosed,
    heap: OpenList,
    goals: Vec<Goal>,
    look_table: [u32; 4],
    options: SearchOptions,
    origin: WorldPos,
    ops_remaining: u32,
    min_node: u32,
    min_h: u32,
    min_g: u32,
    phase: Phase,
    /// The room the last step stopped at, waiting for `roomCallback`'s answer.
    awaiting: Option<MapPos>,
    cost_tables: Vec<CostTable>,
}

/// Screeps' direction order, TOP first, clockwise: the order A* looks at neighbours in.
pub(super) const DIRECTIONS: [(i32, i32); 8] = [
    (0, -1),
    (1, -1),
    (1, 0),
    (1, 1),
    (0, 1),
    (-1, 1),
    (-1, 0),
    (-1, -1),
];

#[inline(always)]
fn cost_of(c: u8) -> u32 {
    if c == 255 {
        OBSTACLE
    } else {
        c as u32
    }
}

fn is_border(v: u32) -> bool {
    (v + 1) % 50 < 2
}

fn is_near_border(v: u32) -> bool {
    (v + 2) % 50 < 4
}

/// Whether A* may step from `pos` to its neighbour `n`: from a border tile only straight
/// across into the next room, or on into its own room (not along the border).
pub(super) fn border_allows(pos: WorldPos, n: WorldPos) -> bool {
    let (x, y) = (pos.xx % 50, pos.yy % 50);
    if x == 0 || x == 49 {
        let across = if x == 0 { 49 } else { 0 };
        !((n.xx % 50 == across && pos.yy != n.yy) || pos.xx == n.xx)
    } else if y == 0 || y == 49 {
        let across = if y == 0 { 49 } else { 0 };
        !((n.yy % 50 == across && pos.xx != n.xx) || pos.yy == n.yy)
    } else {
        true
    }
}

impl PathSearch {
    pub(crate) fn new(terrains: Arc<dyn RoomTerrains>) -> PathSearch {
        PathSearch {
            terrains,
            rooms: Vec::new(),
            room_index: vec![0u8; 1 << 16].into_boxed_slice(),
            blocked: Vec::new(),
            parents: Vec::new(),
            open_closed: OpenClosed::new(),
            heap: OpenList::new(),
            goals: Vec::new(),
            look_table: [OBSTACLE; 4],
            options: SearchOptions::default(),
            origin: WorldPos::NULL,
            ops_remaining: 0,
            min_node: 0,
            min_h: u32::MAX,
            min_g: u32::MAX,
            phase: Phase::Origin,
            awaiting: None,
            cost_tables: Vec::new(),
        }
    }

    /// Starts a search; `stop` is asked now and then whether the caller's CPU time is up.
    /// What the next search searches: the runtime starting it may see another map than the
    /// last one to use these buffers.
    pub(crate) fn set_terrains(&mut self, terrains: &Arc<dyn RoomTerrains>) {
        if !Arc::ptr_eq(&self.terrains, terrains) {
            self.terrains = terrains.clone();
        }
    }

    pub(crate) fn start(
        &mut self,
        origin: WorldPos,
        goals: Vec<Goal>,
        options: SearchOptions,
        stop: &dyn Fn() -> bool,
    ) -> Result<Step, &'static str> {
        for r in &self.rooms {
            self.room_index[r.pos.id()] = 0;
        }
        self.rooms.clear();
        self.blocked.clear();
        self.open_closed.clear();
        self.heap.clear();
        self.goals = goals;
        self.options = SearchOptions {
            max_rooms: options.max_rooms.clamp(1, MAX_ROOMS),
            ..options
        };
        self.look_table = [options.plain_cost, OBSTACLE, options.swamp_cost, OBSTACLE];
        self.ops_remaining = options.max_ops;
        self.origin = origin;
        self.min_node = 0;
        self.min_h = u32::MAX;
        self.min_g = u32::MAX;
        self.phase = Phase::Origin;
        self.awaiting = None;
        // Screeps' special case: searching to where one stands would search everywhere.
        if self.heuristic(origin) == 0 {
            return Ok(Step::Done(Outcome::AtGoal));
        }
        self.run(stop)
    }

    /// Goes on with `answer` for the room the last step asked about.
    ///
    /// # Errors
    /// No room was asked about (the search ended, or never started).
    pub(crate) fn resume(
        &mut self,
        answer: RoomAnswer,
        stop: &dyn Fn() -> bool,
    ) -> Result<Step, &'static str> {
        let room = self
            .awaiting
            .take()
            .ok_or("no PathFinder.search is waiting for a room")?;
        match answer {
            RoomAnswer::Blocked => self.blocked.push(room),
            RoomAnswer::Matrix(matrix) => self.add_room(room, matrix.as_deref()),
        }
        self.run(stop)
    }

    fn run(&mut self, stop: &dyn Fn() -> bool) -> Result<Step, &'static str> {
        match self.advance(stop) {
            Ok(outcome) => Ok(Step::Done(outcome)),
            Err(Halt::NeedRoom(room)) => {
                self.awaiting = Some(room);
                Ok(Step::NeedRoom(room))
            }
            Err(Halt::Failed(why)) => Err(why),
        }
    }

    /// The main loop of `path_finder_t::search`, resumable at any room read.
    fn advance(&mut self, stop: &dyn Fn() -> bool) -> Flow<Outcome> {
        if let Phase::Origin = self.phase {
            let Some(room) = self.origin.map_pos() else {
                return Ok(Outcome::StartBlocked);
            };
            if self.room_of(room)? == 0 {
                return Ok(Outcome::StartBlocked);
            }
            self.phase = Phase::FirstExpansion;
        }
        if let Phase::FirstExpansion = self.phase {
            self.min_node = self.index_of(self.origin)?;
            self.astar(self.min_node, self.origin, 0)?;
            self.phase = Phase::Expanding(None);
        }
        loop {
            if let Phase::Expanding(Some((index, pos, g))) = self.phase {
                self.jps(index, pos, g)?;
                self.ops_remaining -= 1;
                self.phase = Phase::Expanding(None);
                if self.ops_remaining.is_multiple_of(256) && stop() {
                    return Err(Halt::Failed(
                        "the tick's CPU time ran out during PathFinder.search",
                    ));
                }
            }
            if self.heap.is_empty() || self.ops_remaining == 0 {
                break;
            }
            let (index, f) = self.heap.pop();
            self.open_closed.close(index);
            let pos = self.pos_of(index);
            let h = self.heuristic(pos);
            let g = f.wrapping_sub(self.weighted(h));
            if h == 0 {
                self.min_node = index;
                self.min_h = 0;
                self.min_g = g;
                break;
            } else if h < self.min_h {
                self.min_node = index;
                self.min_h = h;
                self.min_g = g;
            }
            if g.wrapping_add(h) > self.options.max_cost {
                break;
            }
            self.phase = Phase::Expanding(Some((index, pos, g)));
        }
        Ok(Outcome::Found {
            path: self.path(),
            ops: self.options.max_ops - self.ops_remaining,
            cost: self.min_g,
            incomplete: self.min_h != 0,
        })
    }

    /// From the best node back to the origin, jumps filled in tile by tile; then reversed.
    fn path(&self) -> Vec<WorldPos> {
        let mut path = Vec::new();
        let mut index = self.min_node;
        let mut pos = self.pos_of(index);
        while pos != self.origin {
            path.push(pos);
            index = self.parents[index as usize];
            let next = self.pos_of(index);
            if next.range_to(pos) > 1 {
                let (dx, dy) = (
                    (next.xx as i64 - pos.xx as i64).signum() as i32,
                    (next.yy as i64 - pos.yy as i64).signum() as i32,
                );
                loop {
                    pos = pos.offset(dx, dy);
                    path.push(pos);
                    if pos.range_to(next) <= 1 {
                        break;
                    }
                }
            }
            pos = next;
        }
        path.reverse();
        path
    }

    fn weighted(&self, h: u32) -> u32 {
        (h as f64 * self.options.heuristic_weight) as u32
    }

    /// `room_index_from_pos`: the room's index + 1, 0 when it cannot be entered (over
    /// `maxRooms`, blocked, off the map), loading it on first use.
    fn room_of(&mut self, room: MapPos) -> Flow<usize> {
        let index = self.room_index[room.id()] as usize;
        if index != 0 {
            return Ok(index);
        }
        if self.rooms.len() >= self.options.max_rooms || self.blocked.contains(&room) {
            return Ok(0);
        }
        // Screeps throws "Could not load terrain data" here; its maps have no holes, ours
        // end at their edge, which is a wall to walk into.
        if self.terrains.tiles(room).is_none() {
            return Ok(0);
        }
        if self.options.room_callback {
            return Err(Halt::NeedRoom(room));
        }
        self.add_room(room, None);
        Ok(self.rooms.len())
    }

    fn add_room(&mut self, room: MapPos, matrix: Option<&[u8; 2500]>) {
        let Some(tiles) = self.terrains.tiles(room) else {
            return;
        };
        let key = (room, self.options.plain_cost, self.options.swamp_cost);
        let cached = self
            .cost_tables
            .iter()
            .find(|t| t.key == key && t.matrix.as_deref() == matrix)
            .map(|t| t.costs.clone());
        let costs = cached.unwrap_or_else(|| {
            let mut costs = Box::new([0u8; 2500]);
            let table = self.look_table.map(|c| c.min(255) as u8);
            for (i, cost) in costs.iter_mut().enumerate() {
                *cost = match matrix.map_or(0, |m| m[i]) {
                    0 => table[(tiles[i] & 3) as usize],
                    v => v,
                };
            }
            let costs: Arc<[u8; 2500]> = Arc::from(costs);
            if self.cost_tables.len() >= COST_TABLES_KEPT {
                self.cost_tables.remove(0);
            }
            self.cost_tables.push(CostTable {
                key,
                matrix: matrix.map(|m| Box::new(*m)),
                costs: costs.clone(),
            });
            costs
        });
        self.rooms.push(SearchRoom { pos: room, costs });
        self.room_index[room.id()] = self.rooms.len() as u8;
        let nodes = self.rooms.len() * 2500;
        self.parents.resize(nodes.max(self.parents.len()), 0);
        self.open_closed.grow(nodes);
        self.heap.grow(nodes);
    }

    fn index_of(&mut self, pos: WorldPos) -> Flow<u32> {
        let room = pos
            .map_pos()
            .ok_or(Halt::Failed("Invalid invocation of index_from_pos"))?;
        match self.room_of(room)? {
            0 => Err(Halt::Failed("Invalid invocation of index_from_pos")),
            r => Ok(((r - 1) * 2500) as u32 + pos.xx % 50 * 50 + pos.yy % 50),
        }
    }

    fn pos_of(&self, index: u32) -> WorldPos {
        let room = &self.rooms[(index / 2500) as usize];
        let coord = index % 2500;
        WorldPos {
            xx: coord / 50 + room.pos.xx as u32 * 50,
            yy: coord % 50 + room.pos.yy as u32 * 50,
        }
    }

    /// The cost of entering `pos` (the hot path of every search: a loaded room is two
    /// lookups; anything else goes the slow way).
    #[inline(always)]
    fn look(&mut self, pos: WorldPos) -> Flow<u32> {
        let (rx, ry) = (pos.xx / 50, pos.yy / 50);
        if rx < 256 && ry < 256 {
            let index = self.room_index[(rx | ry << 8) as usize];
            if index != 0 {
                let tile = (pos.xx - rx * 50) * 50 + (pos.yy - ry * 50);
                return Ok(cost_of(self.rooms[index as usize - 1].costs[tile as usize]));
            }
        }
        self.look_unloaded(pos)
    }

    #[cold]
    #[inline(never)]
    fn look_unloaded(&mut self, pos: WorldPos) -> Flow<u32> {
        let Some(room) = pos.map_pos() else {
            return Ok(OBSTACLE);
        };
        match self.room_of(room)? {
            0 => Ok(OBSTACLE),
            r => Ok(cost_of(
                self.rooms[r - 1].costs[(pos.xx % 50 * 50 + pos.yy % 50) as usize],
            )),
        }
    }

    fn heuristic(&self, pos: WorldPos) -> u32 {
        if self.options.flee {
            self.goals
                .iter()
                .map(|g| g.range.saturating_sub(pos.range_to(g.pos)))
                .max()
                .unwrap_or(0)
        } else {
            let mut best = u32::MAX;
            for g in &self.goals {
                let dist = pos.range_to(g.pos);
                best = best.min(dist.saturating_sub(g.range));
            }
            best
        }
    }

    fn push_node(&mut self, parent: u32, node: WorldPos, g: u32) -> Flow<()> {
        let index = self.index_of(node)?;
        if self.open_closed.is_closed(index) {
            return Ok(());
        }
        let f = self.weighted(self.heuristic(node)).wrapping_add(g);
        if self.open_closed.is_open(index) {
            if self.heap.priority(index) > f {
                self.heap.update(index, f);
                self.parents[index as usize] = parent;
            }
        } else {
            self.heap.insert(index, f).map_err(Halt::Failed)?;
            self.open_closed.open(index);
            self.parents[index as usize] = parent;
        }
        Ok(())
    }

    /// Plain A* from the origin (Screeps' first iteration).
    fn astar(&mut self, index: u32, pos: WorldPos, g: u32) -> Flow<()> {
        for (dx, dy) in DIRECTIONS {
            let n = pos.offset(dx, dy);
            if !border_allows(pos, n) {
                continue;
            }
            let cost = self.look(n)?;
            if cost == OBSTACLE {
                continue;
            }
            self.push_node(index, n, g + cost)?;
        }
        Ok(())
    }

    fn jump_x(&mut self, cost: u32, mut pos: WorldPos, dx: i32) -> Flow<WorldPos> {
        let mut prev_u = self.look(pos.offset(0, -1))?;
        let mut prev_d = self.look(pos.offset(0, 1))?;
        loop {
            if self.heuristic(pos) == 0 || is_near_border(pos.xx) {
                break;
            }
            let cost_u = self.look(pos.offset(dx, -1))?;
            let cost_d = self.look(pos.offset(dx, 1))?;
            if (cost_u != OBSTACLE && prev_u != cost) || (cost_d != OBSTACLE && prev_d != cost) {
                break;
            }
            prev_u = cost_u;
            prev_d = cost_d;
            pos = pos.offset(dx, 0);
            let jump_cost = self.look(pos)?;
            if jump_cost == OBSTACLE {
                return Ok(WorldPos::NULL);
            } else if jump_cost != cost {
                break;
            }
        }
        Ok(pos)
    }

    fn jump_y(&mut self, cost: u32, mut pos: WorldPos, dy: i32) -> Flow<WorldPos> {
        let mut prev_l = self.look(pos.offset(-1, 0))?;
        let mut prev_r = self.look(pos.offset(1, 0))?;
        loop {
            if self.heuristic(pos) == 0 || is_near_border(pos.yy) {
                break;
            }
            let cost_l = self.look(pos.offset(-1, dy))?;
            let cost_r = self.look(pos.offset(1, dy))?;
            if (cost_l != OBSTACLE && prev_l != cost) || (cost_r != OBSTACLE && prev_r != cost) {
                break;
            }
            prev_l = cost_l;
            prev_r = cost_r;
            pos = pos.offset(0, dy);
            let jump_cost = self.look(pos)?;
            if jump_cost == OBSTACLE {
                return Ok(WorldPos::NULL);
            } else if jump_cost != cost {
                break;
            }
        }
        Ok(pos)
    }

    fn jump_xy(&mut self, cost: u32, mut pos: WorldPos, dx: i32, dy: i32) -> Flow<WorldPos> {
        let mut prev_x = self.look(pos.offset(-dx, 0))?;
        let mut prev_y = self.look(pos.offset(0, -dy))?;
        loop {
            if self.heuristic(pos) == 0 || is_near_border(pos.xx) || is_near_border(pos.yy) {
                break;
            }
            if (self.look(pos.offset(-dx, dy))? != OBSTACLE && prev_x != cost)
                || (self.look(pos.offset(dx, -dy))? != OBSTACLE && prev_y != cost)
            {
                break;
            }
            prev_x = self.look(pos.offset(0, dy))?;
            prev_y = self.look(pos.offset(dx, 0))?;
            if (prev_y != OBSTACLE && self.jump_x(cost, pos.offset(dx, 0), dx)? != WorldPos::NULL)
                || (prev_x != OBSTACLE
                    && self.jump_y(cost, pos.offset(0, dy), dy)? != WorldPos::NULL)
            {
                break;
            }
            pos = pos.offset(dx, dy);
            let jump_cost = self.look(pos)?;
            if jump_cost == OBSTACLE {
                return Ok(WorldPos::NULL);
            } else if jump_cost != cost {
                break;
            }
        }
        Ok(pos)
    }

    fn jump(&mut self, cost: u32, pos: WorldPos, dx: i32, dy: i32) -> Flow<WorldPos> {
        match (dx, dy) {
            (0, _) => self.jump_y(cost, pos, dy),
            (_, 0) => self.jump_x(cost, pos, dx),
            _ => self.jump_xy(cost, pos, dx, dy),
        }
    }

    /// One jump point search expansion (`path_finder_t::jps`).
    fn jps(&mut self, index: u32, pos: WorldPos, g: u32) -> Flow<()> {
        let parent = self.pos_of(self.parents[index as usize]);
        let dx = (pos.xx as i64 - parent.xx as i64).signum() as i32;
        let dy = (pos.yy as i64 - parent.yy as i64).signum() as i32;

        // To or from a border the moves are few: across, or on into the room.
        let (x, y) = (pos.xx % 50, pos.yy % 50);
        let special: &[(i32, i32)] = match (x, y) {
            (0, _) if dx == -1 => &[(-1, 0)],
            (0, _) if dx == 1 => &[(1, -1), (1, 0), (1, 1)],
            (0, _) => &[],
            (49, _) if dx == 1 => &[(1, 0)],
            (49, _) if dx == -1 => &[(-1, -1), (-1, 0), (-1, 1)],
            (49, _) => &[],
            (_, 0) if dy == -1 => &[(0, -1)],
            (_, 0) if dy == 1 => &[(-1, 1), (0, 1), (1, 1)],
            (_, 0) => &[],
            (_, 49) if dy == 1 => &[(0, 1)],
            (_, 49) if dy == -1 => &[(-1, -1), (0, -1), (1, -1)],
            _ => &[],
        };
        // Only a border tile has special moves; an empty list goes on as plain JPS.
        if !special.is_empty() {
            for &(ox, oy) in special {
                let n = pos.offset(ox, oy);
                let cost = self.look(n)?;
                if cost != OBSTACLE {
                    self.push_node(index, n, g + cost)?;
                }
            }
            return Ok(());
        }

        let border_dx = match x {
            1 => -1,
            48 => 1,
            _ => 0,
        };
        let border_dy = match y {
            1 => -1,
            48 => 1,
            _ => 0,
        };
        let cost = self.look(pos)?;
        if dx != 0 {
            let n = pos.offset(dx, 0);
            let n_cost = self.look(n)?;
            if n_cost != OBSTACLE {
                if border_dy == 0 {
                    self.jump_neighbor(pos, index, n, g, cost, n_cost)?;
                } else {
                    self.push_node(index, n, g + n_cost)?;
                }
            }
        }
        if dy != 0 {
            let n = pos.offset(0, dy);
            let n_cost = self.look(n)?;
            if n_cost != OBSTACLE {
                if border_dx == 0 {
                    self.jump_neighbor(pos, index, n, g, cost, n_cost)?;
                } else {
                    self.push_node(index, n, g + n_cost)?;
                }
            }
        }
        self.forced_neighbors(index, pos, g, cost, (dx, dy), (border_dx, border_dy))
    }

    /// JPS's forced-neighbour rules, the second half of `jps`.
    fn forced_neighbors(
        &mut self,
        index: u32,
        pos: WorldPos,
        g: u32,
        cost: u32,
        (dx, dy): (i32, i32),
        (border_dx, border_dy): (i32, i32),
    ) -> Flow<()> {
        if dx != 0 && dy != 0 {
            let n = pos.offset(dx, dy);
            let n_cost = self.look(n)?;
            if n_cost != OBSTACLE {
                self.jump_neighbor(pos, index, n, g, cost, n_cost)?;
            }
            if self.look(pos.offset(-dx, 0))? != cost {
                let n = pos.offset(-dx, dy);
                let n_cost = self.look(n)?;
                self.jump_neighbor(pos, index, n, g, cost, n_cost)?;
            }
            if self.look(pos.offset(0, -dy))? != cost {
                let n = pos.offset(dx, -dy);
                let n_cost = self.look(n)?;
                self.jump_neighbor(pos, index, n, g, cost, n_cost)?;
            }
        } else if dx != 0 {
            for side in [1, -1] {
                if border_dy == side || self.look(pos.offset(0, side))? != cost {
                    let n = pos.offset(dx, side);
                    let n_cost = self.look(n)?;
                    self.jump_neighbor(pos, index, n, g, cost, n_cost)?;
                }
            }
        } else {
            for side in [1, -1] {
                if border_dx == side || self.look(pos.offset(side, 0))? != cost {
                    let n = pos.offset(side, dy);
                    let n_cost = self.look(n)?;
                    self.jump_neighbor(pos, index, n, g, cost, n_cost)?;
                }
            }
        }
        Ok(())
    }

    fn jump_neighbor(
        &mut self,
        pos: WorldPos,
        index: u32,
        mut neighbor: WorldPos,
        mut g: u32,
        cost: u32,
        n_cost: u32,
    ) -> Flow<()> {
        if n_cost != cost || is_border(neighbor.xx) || is_border(neighbor.yy) {
            if n_cost == OBSTACLE {
                return Ok(());
            }
            g = g.wrapping_add(n_cost);
        } else {
            let (dx, dy) = (
                (neighbor.xx as i64 - pos.xx as i64) as i32,
                (neighbor.yy as i64 - pos.yy as i64) as i32,
            );
            neighbor = self.jump(n_cost, neighbor, dx, dy)?;
            if neighbor == WorldPos::NULL {
                return Ok(());
            }
            let tail = self.look(neighbor)?;
            g = g
                .wrapping_add(n_cost.wrapping_mul(pos.range_to(neighbor) - 1))
                .wrapping_add(tail);
        }
        self.push_node(index, neighbor, g)
    }
}
