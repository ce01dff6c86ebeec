// Where a room's structures go. Extensions, towers and storage fill a checkerboard around
// the first spawn (every free tile stays reachable); each source gets a container beside it;
// roads join the spawn to the sources and the controller; links (RCL 5+) pair the storage
// with the farthest source. Runs every few ticks and only adds what the level allows.
const MAX_SITES = 8;

function key(x, y) { return x * 50 + y; }

// Tiles no building may take: around sources, minerals and the controller, and the roads.
function reservedTiles(room) {
  const out = new Set();
  const around = (pos, r) => {
    for (let dx = -r; dx <= r; dx++) for (let dy = -r; dy <= r; dy++) out.add(key(pos.x + dx, pos.y + dy));
  };
  for (const s of room.find(FIND_SOURCES)) around(s.pos, 1);
  for (const m of room.find(FIND_MINERALS)) around(m.pos, 1);
  if (room.controller) around(room.controller.pos, 2);
  for (const k of room.memory.roads || []) out.add(k);
  return out;
}

function occupiedTiles(room) {
  const out = new Set();
  for (const s of room.find(FIND_STRUCTURES)) if (s.structureType !== STRUCTURE_ROAD) out.add(key(s.pos.x, s.pos.y));
  for (const s of room.find(FIND_CONSTRUCTION_SITES)) out.add(key(s.pos.x, s.pos.y));
  return out;
}

// Free checkerboard tiles around `anchor`, nearest first (ring by ring, in a fixed order).
function* ringTiles(anchor, from, to) {
  for (let r = from; r <= to; r++) {
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== r) continue;
        const x = anchor.x + dx, y = anchor.y + dy;
        if (x < 3 || y < 3 || x > 46 || y > 46) continue;
        yield [x, y];
      }
    }
  }
}

function countOf(room, type) {
  const built = room.find(FIND_STRUCTURES, { filter: (s) => s.structureType === type }).length;
  const sites = room.find(FIND_CONSTRUCTION_SITES, { filter: (s) => s.structureType === type }).length;
  return built + sites;
}

function placeAround(room, ctx, type, anchor, from, to, wanted, checker) {
  let placed = 0;
  const parity = (anchor.x + anchor.y) % 2;
  for (const [x, y] of ringTiles(anchor, from, to)) {
    if (placed >= wanted || ctx.budget <= 0) break;
    if (checker && (x + y) % 2 !== parity) continue;
    const k = key(x, y);
    if (ctx.terrain.get(x, y) === TERRAIN_MASK_WALL || ctx.reserved.has(k) || ctx.occupied.has(k)) continue;
    if (room.createConstructionSite(x, y, type) === OK) {
      ctx.occupied.add(k);
      ctx.budget--;
      placed++;
    }
  }
}

// Where a new room's first spawn goes: a tile with no wall around it, near the middle of
// the sources and the controller.
function placeFirstSpawn(room, ctx) {
  if (countOf(room, STRUCTURE_SPAWN) > 0) return;
  const points = room.find(FIND_SOURCES).map((s) => s.pos).concat([room.controller.pos]);
  const cx = Math.round(points.reduce((s, p) => s + p.x, 0) / points.length);
  const cy = Math.round(points.reduce((s, p) => s + p.y, 0) / points.length);
  for (const [x, y] of ringTiles({ x: cx, y: cy }, 0, 20)) {
    let open = true;
    for (let dx = -1; dx <= 1 && open; dx++) for (let dy = -1; dy <= 1 && open; dy++) {
      if (ctx.terrain.get(x + dx, y + dy) === TERRAIN_MASK_WALL || ctx.reserved.has(key(x + dx, y + dy))) open = false;
    }
    if (open && room.createConstructionSite(x, y, STRUCTURE_SPAWN) === OK) return;
  }
}

function sourceContainerSpot(room, source, anchor, terrain) {
  let best = null;
  for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
    const x = source.pos.x + dx, y = source.pos.y + dy;
    if ((dx === 0 && dy === 0) || terrain.get(x, y) === TERRAIN_MASK_WALL) continue;
    const d = Math.max(Math.abs(x - anchor.x), Math.abs(y - anchor.y));
    if (!best || d < best.d) best = { x, y, d };
  }
  return best;
}

function placeContainers(room, ctx, anchor) {
  for (const source of room.find(FIND_SOURCES)) {
    const near = source.pos.findInRange(FIND_STRUCTURES, 1, { filter: (s) => s.structureType === STRUCTURE_CONTAINER });
    const sites = source.pos.findInRange(FIND_CONSTRUCTION_SITES, 1, { filter: (s) => s.structureType === STRUCTURE_CONTAINER });
    if (near.length || sites.length || ctx.budget <= 0) continue;
    const spot = sourceContainerSpot(room, source, anchor, ctx.terrain);
    if (spot && room.createConstructionSite(spot.x, spot.y, STRUCTURE_CONTAINER) === OK) ctx.budget--;
  }
}

// Roads along the paths a hauler walks, found once and kept in the room's memory.
function planRoads(room, anchor) {
  if (room.memory.roads) return;
  const tiles = new Set();
  const goals = room.find(FIND_SOURCES).map((s) => s.pos).concat([room.controller.pos]);
  for (const goal of goals) {
    const path = room.findPath(anchor, goal, { ignoreCreeps: true, range: 1 });
    for (const step of path) tiles.add(key(step.x, step.y));
  }
  room.memory.roads = Array.from(tiles);
}

function placeRoads(room, ctx) {
  for (const k of room.memory.roads || []) {
    if (ctx.budget <= 0) return;
    const x = Math.floor(k / 50), y = k % 50;
    if (x < 1 || y < 1 || x > 48 || y > 48) continue;
    const there = room.lookForAt(LOOK_STRUCTURES, x, y).concat(room.lookForAt(LOOK_CONSTRUCTION_SITES, x, y));
    if (there.length) continue;
    if (room.createConstructionSite(x, y, STRUCTURE_ROAD) === OK) ctx.budget--;
  }
}

// The upgraders' container: two tiles from the controller, on the side nearest the spawn.
function placeControllerContainer(room, ctx, anchor) {
  const ctl = room.controller;
  const have = ctl.pos.findInRange(FIND_STRUCTURES, 3, { filter: (s) => s.structureType === STRUCTURE_CONTAINER }).length +
    ctl.pos.findInRange(FIND_CONSTRUCTION_SITES, 3, { filter: (s) => s.structureType === STRUCTURE_CONTAINER }).length;
  if (have || ctx.budget <= 0) return;
  let best = null;
  for (let dx = -2; dx <= 2; dx++) for (let dy = -2; dy <= 2; dy++) {
    const x = ctl.pos.x + dx, y = ctl.pos.y + dy;
    if (Math.max(Math.abs(dx), Math.abs(dy)) !== 2 || x < 2 || y < 2 || x > 47 || y > 47) continue;
    if (ctx.terrain.get(x, y) === TERRAIN_MASK_WALL || ctx.occupied.has(key(x, y))) continue;
    let open = 0;
    for (let ex = -1; ex <= 1; ex++) for (let ey = -1; ey <= 1; ey++) {
      if ((ex || ey) && ctx.terrain.get(x + ex, y + ey) !== TERRAIN_MASK_WALL) open++;
    }
    const score = open * 100 - Math.max(Math.abs(x - anchor.x), Math.abs(y - anchor.y));
    if (!best || score > best.score) best = { x, y, score };
  }
  if (best && room.createConstructionSite(best.x, best.y, STRUCTURE_CONTAINER) === OK) {
    ctx.occupied.add(key(best.x, best.y));
    ctx.budget--;
  }
}

function placeLinks(room, ctx) {
  const level = room.controller.level;
  let wanted = CONTROLLER_STRUCTURES[STRUCTURE_LINK][level] - countOf(room, STRUCTURE_LINK);
  if (wanted <= 0 || !room.storage) return;
  const hasLinkNear = (pos, r) => pos.findInRange(FIND_STRUCTURES, r, { filter: (s) => s.structureType === STRUCTURE_LINK }).length +
    pos.findInRange(FIND_CONSTRUCTION_SITES, r, { filter: (s) => s.structureType === STRUCTURE_LINK }).length > 0;
  if (!hasLinkNear(room.storage.pos, 2)) {
    placeAround(room, ctx, STRUCTURE_LINK, room.storage.pos, 1, 2, 1, false);
    wanted--;
  }
  const sources = room.find(FIND_SOURCES).sort((a, b) => b.pos.getRangeTo(room.storage) - a.pos.getRangeTo(room.storage));
  for (const source of sources) {
    if (wanted <= 0) return;
    const container = source.pos.findInRange(FIND_STRUCTURES, 1, { filter: (s) => s.structureType === STRUCTURE_CONTAINER })[0];
    if (!container || hasLinkNear(container.pos, 1)) continue;
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
      const x = container.pos.x + dx, y = container.pos.y + dy;
      if (wanted <= 0 || (dx === 0 && dy === 0) || ctx.terrain.get(x, y) === TERRAIN_MASK_WALL) continue;
      if (source.pos.getRangeTo(x, y) <= 1 || ctx.occupied.has(key(x, y))) continue;
      if (room.createConstructionSite(x, y, STRUCTURE_LINK) === OK) { ctx.occupied.add(key(x, y)); wanted--; }
    }
  }
}

function plan(room) {
  const ctx = {
    terrain: room.getTerrain(),
    reserved: reservedTiles(room),
    occupied: occupiedTiles(room),
    budget: MAX_SITES - room.find(FIND_MY_CONSTRUCTION_SITES).length,
  };
  const spawn = room.find(FIND_MY_SPAWNS)[0];
  if (!spawn) {
    placeFirstSpawn(room, ctx);
    return;
  }
  const anchor = spawn.pos;
  const level = room.controller.level;
  const want = (type) => CONTROLLER_STRUCTURES[type][level] - countOf(room, type);
  placeAround(room, ctx, STRUCTURE_SPAWN, anchor, 2, 8, want(STRUCTURE_SPAWN), true);
  placeAround(room, ctx, STRUCTURE_STORAGE, anchor, 2, 8, want(STRUCTURE_STORAGE), true);
  placeAround(room, ctx, STRUCTURE_TOWER, anchor, 2, 8, want(STRUCTURE_TOWER), true);
  placeAround(room, ctx, STRUCTURE_EXTENSION, anchor, 2, 10, want(STRUCTURE_EXTENSION), true);
  // Containers cost 5 000 energy each: not before the extensions of level 2 stand.
  // The upgraders' container first: before the storage it is where surplus energy turns
  // into progress. Source containers (5 000 energy each) once the extensions stand.
  if (level >= 2) placeControllerContainer(room, ctx, anchor);
  if (level >= 3 || (level === 2 && want(STRUCTURE_EXTENSION) <= 0)) placeContainers(room, ctx, anchor);
  placeLinks(room, ctx);
  if (level >= 3) {
    planRoads(room, anchor);
    placeRoads(room, ctx);
  }
}

module.exports = { plan };
