  // js/prelude/75_paths.js: PathFinder, CostMatrix and the paths of Room.findPath, findPathTo,
  // findClosestByPath and moveTo. A fragment of one function: the parts are joined in
  // file-name order (player-api/src/lib.rs).
  // Sources: screeps/engine src/game/path-finder.js (CostMatrix), src/game/rooms.js
  // (_findPath2, _findClosestByPath2, makePathfindingGrid2), src/game/creeps.js (moveTo,
  // moveByPath); screeps/driver lib/path-finder.js (options, goals, roomCallback). The search
  // is the host's port of screeps/driver native/src/pf.cc (player-api/src/path_finder/).

  // 2 500 bytes indexed x * 50 + y, values clamped to 0..255, serialized as the buffer's 625
  // little-endian 32-bit words (so a matrix saved in Memory on Screeps loads here and back).
  class CostMatrix {
    constructor() { this._bits = new Uint8Array(2500); }
    set(x, y, v) { this._bits[(x | 0) * 50 + (y | 0)] = MathMin(MathMax(0, v), 255); }
    get(x, y) { return this._bits[(x | 0) * 50 + (y | 0)]; }
    clone() { const m = new CostMatrix(); m._bits = new Uint8Array(this._bits); return m; }
    serialize() { return Array.prototype.slice.apply(new Uint32Array(this._bits.buffer)); }
    static deserialize(data) {
      const m = ObjectCreate(CostMatrix.prototype);
      m._bits = new Uint8Array(new Uint32Array(data).buffer);
      return m;
    }
  }

  // Room names on Screeps' 255x255 world map (lib/path-finder.js `parseRoomName`): the
  // canonical name the host reads, or Screeps' error.
  function pfRoomName(name) {
    const m = /^([WE])([0-9]+)([NS])([0-9]+)$/.exec(name);
    if (!m) throw new ErrorCtor('Invalid room name');
    const rx = 127 + (m[1] === 'W' ? -NumberCtor(m[2]) : NumberCtor(m[2]) + 1);
    const ry = 127 + (m[3] === 'N' ? -NumberCtor(m[4]) : NumberCtor(m[4]) + 1);
    if (!(rx >= 0 && rx <= 255 && ry >= 0 && ry <= 255)) throw new ErrorCtor('Invalid room name');
    return pfNameAt(rx, ry);
  }
  const pfNames = new Map();
  function pfNameAt(xx, yy) {
    const key = xx * 256 + yy;
    let name = pfNames.get(key);
    if (name === undefined) {
      name = (xx <= 127 ? 'W' + (127 - xx) : 'E' + (xx - 128)) + (yy <= 127 ? 'N' + (127 - yy) : 'S' + (yy - 128));
      pfNames.set(key, name);
    }
    return name;
  }
  // `toWorldPosition`'s checks, into the flat form the host reads.
  function pfPush(out, pos, range) {
    const x = pos.x | 0, y = pos.y | 0;
    if (!(x >= 0 && x < 50 && y >= 0 && y < 50)) throw new ErrorCtor('Invalid room position');
    out.push(pfRoomName(pos.roomName), x, y, range);
  }
  // How many searches of this tick wait on a roomCallback (a callback may search too).
  let pfDepth = 0;
  function pathFinderSearch(origin, goal, options) {
    if (!goal || ArrayIsArray(goal) && !goal.length) return { path: [], ops: 0 };
    options = options || {};
    const plainCost = MathMin(254, MathMax(1, (options.plainCost | 0) || 1));
    const swampCost = MathMin(254, MathMax(1, (options.swampCost | 0) || 5));
    const heuristicWeight = MathMin(9, MathMax(1, options.heuristicWeight || 1.2));
    const maxOps = MathMax(1, (options.maxOps | 0) || 2000);
    const maxCost = MathMax(1, (options.maxCost | 0) || 0xffffffff);
    const maxRooms = MathMin(64, MathMax(1, (options.maxRooms | 0) || 16));
    const flee = !!options.flee;
    const goals = [];
    for (const g of ArrayIsArray(goal) ? goal : [goal]) {
      if (g.x !== undefined && g.y !== undefined && g.roomName !== undefined) pfPush(goals, g, 0);
      else pfPush(goals, g.pos, MathMax(0, g.range | 0));
    }
    const start = [];
    pfPush(start, origin, 0);
    const cb = typeof options.roomCallback === 'function' ? options.roomCallback : undefined;
    const depth = pfDepth++;
    let r;
    try {
      r = host.pfSearch(depth, [start[0], start[1], start[2], plainCost, swampCost, maxRooms, maxOps, maxCost,
        flee, heuristicWeight, !!cb], goals);
      // A room name: the search waits for roomCallback's answer about that room.
      while (typeof r === 'string' && r.charCodeAt(0) !== 35) {
        const ret = cb(r);
        let answer;
        if (ret === false) answer = false;
        else if (ret) {
          // Screeps reads any typed array over 2 500 bytes as the matrix, and ignores the rest.
          const bits = ret._bits;
          if (ArrayBuffer.isView(bits) && bits.byteLength === 2500) answer = new Uint8Array(bits.buffer, bits.byteOffset, 2500);
        }
        r = host.pfRoom(depth, answer);
      }
    } finally {
      pfDepth = depth;
    }
    if (r === 0) return { path: [], ops: 0, cost: 0, incomplete: false };
    if (r === -1) return { path: [], ops: 0, cost: 0, incomplete: true };
    // `#ops,cost,incomplete;` then each step's world xx and yy as one character each.
    const head = r.indexOf(';');
    const [ops, cost, incomplete] = r.slice(1, head).split(',');
    const path = [];
    for (let i = head + 1; i + 1 < r.length; i += 2) {
      const xx = r.charCodeAt(i), yy = r.charCodeAt(i + 1);
      path.push(new RoomPosition(xx % 50, yy % 50, pfNameAt(MathFloor(xx / 50), MathFloor(yy / 50))));
    }
    return { path, ops: +ops, cost: +cost, incomplete: incomplete === '1' };
  }

  // ---- the room matrices Room.findPath searches with (rooms.js makePathfindingGrid2) ----
  let pfGrids = ObjectCreate(null);   // per tick: room + options -> CostMatrix
  function pfObjectType(o) {
    if (o instanceof Creep) return 'creep';
    if (o instanceof PowerCreep) return 'powerCreep';
    if (o instanceof ConstructionSite) return 'constructionSite';
    if (o instanceof Structure) return o.structureType;
    if (o instanceof Source) return 'source';
    if (o instanceof Mineral) return 'mineral';
    if (o instanceof Deposit) return 'deposit';
    return undefined;
  }
  const DESTRUCTIBLE_OBSTACLES = ['constructedWall', 'spawn', 'extension', 'link', 'storage', 'observer', 'tower',
    'powerBank', 'powerSpawn', 'lab', 'terminal'];
  function makeRoomMatrix(room, opts) {
    const costs = new CostMatrix();
    let obstacles = C.OBSTACLE_OBJECT_TYPES.concat(['portal']);
    if (opts.ignoreDestructibleStructures) obstacles = obstacles.filter((t) => DESTRUCTIBLE_OBSTACLES.indexOf(t) < 0);
    const ctl = room.controller, ownSafeMode = !!(ctl && ctl.safeMode && ctl.my);
    if (opts.ignoreCreeps || ownSafeMode) obstacles = obstacles.filter((t) => t !== 'creep' && t !== 'powerCreep');
    for (const o of room[OBJECTS]) {
      const type = pfObjectType(o);
      if (type === undefined) continue;
      const x = o.pos.x, y = o.pos.y;
      if (obstacles.indexOf(type) >= 0 ||
          !opts.ignoreCreeps && ownSafeMode && (type === 'creep' || type === 'powerCreep') && o.my ||
          !opts.ignoreDestructibleStructures && type === 'rampart' && !o.isPublic && !o.my ||
          !opts.ignoreDestructibleStructures && type === 'constructionSite' && o.my && C.OBSTACLE_OBJECT_TYPES.indexOf(o.structureType) >= 0) {
        costs.set(x, y, 0xff);
      }
      if (!opts.ignoreRoads && type === 'road' && costs.get(x, y) < 0xff) costs.set(x, y, 1);
    }
    return costs;
  }
  function roomMatrix(roomName, opts) {
    const room = Game.rooms[roomName];
    if (!room) return new CostMatrix();
    const key = roomName + (opts.ignoreCreeps ? '_ignoreCreeps' : '') +
      (opts.ignoreDestructibleStructures ? '_ignoreDestructibleStructures' : '') + (opts.ignoreRoads ? '_ignoreRoads' : '');
    return pfGrids[key] || (pfGrids[key] = makeRoomMatrix(room, opts));
  }
  function deprecated(message) { consoleObj.log(message); }
  function pathCallback(opts) {
    return function (roomName) {
      let costMatrix = roomMatrix(roomName, opts);
      if (typeof opts.costCallback === 'function') {
        costMatrix = costMatrix.clone();
        const result = opts.costCallback(roomName, costMatrix);
        if (result instanceof CostMatrix) costMatrix = result;
      }
      return costMatrix;
    };
  }
  function dropOldOptions(opts) {
    if (opts.avoid) { deprecated('`avoid` option cannot be used when `PathFinder.use()` is enabled. Use `costCallback` instead.'); opts.avoid = undefined; }
    if (opts.ignore) { deprecated('`ignore` option cannot be used when `PathFinder.use()` is enabled. Use `costCallback` instead.'); opts.ignore = undefined; }
  }
  // rooms.js `_findPath2`: steps in room `id` only, the goal itself added when the search
  // stopped next to it.
  function findPath2(id, fromPos, toPos, opts) {
    opts = opts || {};
    if (fromPos.isEqualTo(toPos)) return opts.serialize ? '' : [];
    dropOldOptions(opts);
    if (opts.maxOps === undefined && (opts.maxRooms === undefined || opts.maxRooms > 1) && fromPos.roomName != toPos.roomName) {
      opts.maxOps = 20000;
    }
    const searchOpts = { roomCallback: pathCallback(opts), maxOps: opts.maxOps, maxRooms: opts.maxRooms };
    if (!opts.ignoreRoads) { searchOpts.plainCost = 2; searchOpts.swampCost = 10; }
    if (opts.plainCost) searchOpts.plainCost = opts.plainCost;
    if (opts.swampCost) searchOpts.swampCost = opts.swampCost;
    const ret = pathFinderSearch(fromPos, { range: MathMax(1, opts.range || 0), pos: toPos }, searchOpts);
    const last = ret.path[ret.path.length - 1];
    if (!opts.range && (ret.path.length && last.isNearTo(toPos) && !last.isEqualTo(toPos) || !ret.path.length && fromPos.isNearTo(toPos))) {
      ret.path.push(toPos);
    }
    let curX = fromPos.x, curY = fromPos.y;
    const result = [];
    for (const pos of ret.path) {
      if (pos.roomName != id) break;
      result.push({ x: pos.x, y: pos.y, dx: pos.x - curX, dy: pos.y - curY, direction: dirTo(pos.x - curX, pos.y - curY) });
      curX = pos.x; curY = pos.y;
    }
    return opts.serialize ? serializePath(result) : result;
  }
  // rooms.js `_findClosestByPath2`: one search to every object at range 1 within the room; of
  // the objects next to where it ended, the last one listed.
  function findClosestByPath2(fromPos, objects, opts) {
    opts = opts || {};
    if (typeof objects === 'number') objects = Game.rooms[fromPos.roomName].find(objects, { filter: opts.filter });
    else if (opts.filter) objects = filterBy(objects, opts.filter);
    if (!objects.length) return null;
    const onSquare = objects.find((o) => fromPos.isEqualTo(o));
    if (onSquare) return onSquare;
    const goals = objects.map((o) => ({ range: 1, pos: o.pos ? o.pos : o }));
    dropOldOptions(opts);
    const searchOpts = {
      roomCallback(roomName) {
        if (!Game.rooms[roomName]) return undefined;
        return pathCallback(opts)(roomName);
      },
      maxOps: opts.maxOps, maxRooms: 1,
    };
    if (!opts.ignoreRoads) { searchOpts.plainCost = 2; searchOpts.swampCost = 10; }
    const ret = pathFinderSearch(fromPos, goals, searchOpts);
    const lastPos = ret.path.length ? ret.path[ret.path.length - 1] : fromPos;
    let result = null;
    for (const o of objects) if (lastPos.isNearTo(o)) result = o;
    return result;
  }
  // utils.fetchXYArguments: (x, y) numbers, or a RoomPosition, or an object with one as `pos`.
  function fetchXY(first, second) {
    if (second === undefined || typeof second !== 'number') {
      if (!first || typeof first !== 'object' && typeof first !== 'function') return [undefined, undefined, undefined];
      let x, y, roomName;
      if (first instanceof RoomPosition) { x = first.x; y = first.y; roomName = first.roomName; }
      if (first.pos && first.pos instanceof RoomPosition) { x = first.pos.x; y = first.pos.y; roomName = first.pos.roomName; }
      return [x, y, roomName];
    }
    return [first, second, undefined];
  }
  function isObjectLike(v) { return !!v && (typeof v === 'object' || typeof v === 'function'); }
  function shallowClone(v) { return isObjectLike(v) ? Object.assign({}, v) : v; }

  global.PathFinder = ObjectCreate(Object.prototype, {
    CostMatrix: { enumerable: true, value: CostMatrix },
    search: { enumerable: true, value: function search(origin, goal, options) { return pathFinderSearch(origin, goal, options); } },
    // Screeps' `use(false)` picks its older path finder for `Room.findPath`; this server has
    // only the new one, so both settings give its paths, and `use(false)` logs Screeps' notice.
    use: {
      enumerable: true,
      value: function use(isActive) {
        if (!isActive) deprecated('`PathFinder.use` is considered deprecated and will be removed soon.');
      },
    },
  });
