  // js/prelude/80_game.js: Game, Memory and require. A fragment of one function: the parts are joined in file-name order (player-api/src/lib.rs).
  // ---- Game ----
  let Game = null;
  // Methods shared by every tick's Game (made once, not per tick).
  const cpuMethods = {
    // CPU since the tick call began (host-measured, so the copy of the tick's data counts too).
    getUsed() { return host.cpuNow() / 1e6; },
    getHeapStatistics() { return host.heap(); },
    halt() { unsupported('Game.cpu.halt'); },
    // Below the pixel's cost the answer is Screeps' own; above it this server has no pixels.
    generatePixel() {
      if (this.bucket < C.PIXEL_CPU_COST) return C.ERR_NOT_ENOUGH_RESOURCES;
      unsupported('Game.cpu.generatePixel');
    },
    setShardLimits() { return C.ERR_BUSY; }, unlock() { return C.ERR_NOT_ENOUGH_RESOURCES; },
  };
  const mapMethods = {
    getRoomTerrain(name) { return new RoomTerrain(name); },
    describeExits(name) { const e = exitsOf(name); return e ? Object.assign({}, e) : null; },
    getRoomLinearDistance(a, b) { const p = roomXY(a), q = roomXY(b); return p && q ? MathMax(MathAbs(p[0] - q[0]), MathAbs(p[1] - q[1])) : Infinity; },
    findExit(from, to, opts) {
      const route = findRoute(from, to, opts);
      if (!ArrayIsArray(route)) return route;
      return route.length ? route[0].exit : C.ERR_INVALID_ARGS;
    },
    isRoomAvailable(name) { return roomMap(name) !== null; },
    // Every room of this map is open to all; a name off the map is closed (screeps/engine
    // map.js: rooms it does not know are 'closed').
    getRoomStatus(name) {
      if (!/^(W|E)\d+(N|S)\d+$/.test(name)) return undefined;
      return { status: roomMap(name) !== null ? 'normal' : 'closed', timestamp: null };
    },
    findRoute,
    getWorldSize() { return 202; },
    get visual() { return mapVisual; },
  };
  // Game.map.findRoute as screeps/engine map.js: A* over rooms by their exits, Manhattan
  // distance as the heuristic, `routeCallback(room, fromRoom)` as the cost of entering a room
  // (Infinity: never), searched within 30 rooms of the start. Ties go to the room found first.
  function findRoute(fromRoom, toRoom, opts) {
    if (fromRoom && typeof fromRoom === 'object') fromRoom = fromRoom.name;
    if (toRoom && typeof toRoom === 'object') toRoom = toRoom.name;
    if (fromRoom === toRoom) return [];
    const from = roomXY(StringCtor(fromRoom)), to = roomXY(StringCtor(toRoom));
    if (!from || !to) return C.ERR_NO_PATH;
    const cb = (opts && opts.routeCallback) || (() => 1);
    const h = (x, y) => MathAbs(x - to[0]) + MathAbs(y - to[1]);
    const key = (x, y) => x + ',' + y;
    const open = [{ x: from[0], y: from[1], f: h(from[0], from[1]), n: 0 }];
    const best = { [key(from[0], from[1])]: 0 }, parent = {}, closed = {};
    let order = 1;
    while (open.length) {
      let bi = 0;
      for (let i = 1; i < open.length; i++) if (open[i].f < open[bi].f || (open[i].f === open[bi].f && open[i].n < open[bi].n)) bi = i;
      const cur = open.splice(bi, 1)[0];
      const ck = key(cur.x, cur.y);
      if (closed[ck]) continue;
      closed[ck] = true;
      const hc = h(cur.x, cur.y), g = cur.f - hc;
      if (hc === 0) {
        const route = [];
        let k = ck;
        while (parent[k]) { route.push(parent[k].step); k = parent[k].from; }
        return route.reverse();
      }
      const here = roomNameOf(cur.x, cur.y);
      const exits = exitsOf(here) || {};
      for (const dir of ObjectKeys(exits)) {
        const name = exits[dir], xy = roomXY(name);
        if (!xy || MathAbs(xy[0] - from[0]) >= 30 || MathAbs(xy[1] - from[1]) >= 30) continue;
        const nk = key(xy[0], xy[1]);
        if (closed[nk]) continue;
        const cost = NumberCtor(cb(name, here)) || 1;
        if (cost === Infinity) continue;
        const f = g + h(xy[0], xy[1]) + cost;
        if (best[nk] === undefined || f < best[nk]) {
          best[nk] = f;
          parent[nk] = { from: ck, step: { exit: NumberCtor(dir), room: name } };
          open.push({ x: xy[0], y: xy[1], f, n: order++ });
        }
      }
    }
    return C.ERR_NO_PATH;
  }
  function roomNameOf(x, y) { return (x < 0 ? 'W' + (-x - 1) : 'E' + x) + (y < 0 ? 'N' + (-y - 1) : 'S' + y); }
  // The market: no orders exist on this server, so the reads are true; a trade throws.
  const marketMethods = {
    getAllOrders() { return []; },
    getOrderById() { return null; },
    getHistory() { return []; },
    // screeps/engine market.js: the energy a terminal pays to send `amount` that far.
    calcTransactionCost(amount, roomName1, roomName2) {
      const distance = mapMethods.getRoomLinearDistance(roomName1, roomName2, true);
      return MathCeil(amount * (1 - Math.exp(-distance / 30)));
    },
  };
  unmodelledMethods({ name: 'Game.market', prototype: marketMethods },
    ['cancelOrder', 'changeOrderPrice', 'createOrder', 'deal', 'extendOrder']);
  function getObjectById(id) { return objectsById[id] || null; }
  function notify() { return C.OK; }

  function buildGame(meta, rooms) {
    objectsById = {};
    createdCreeps = {};
    pendingSites.length = 0;
    const cpu = ObjectCreate(cpuMethods);
    cpu.limit = meta.cpuLimit; cpu.tickLimit = meta.tickLimit; cpu.bucket = meta.bucket;
    cpu.shardLimits = { isoshard: meta.cpuLimit };
    const g = {
      time: meta.tick,
      creeps: {}, spawns: {}, rooms: {}, structures: {}, constructionSites: {}, flags: {}, powerCreeps: {},
      resources: {}, shard: { name: 'isoshard', type: 'normal', ptr: false },
      gcl: { level: 1, progress: 0, progressTotal: 1000000 }, gpl: { level: 0, progress: 0, progressTotal: 0 },
      cpu,
      market: Object.assign(ObjectCreate(marketMethods), { credits: 0, incomingTransactions: [], outgoingTransactions: [], orders: {} }),
      map: ObjectCreate(mapMethods),
      getObjectById,
      notify,
    };
    Game = g;
    global.Game = g;
    for (let r = 0; r < rooms.length; r++) {
      const wire = JSONparse(rooms[r]);
      const name = wire[0], objects = wire[2];
      const room = new Room(name);
      g.rooms[name] = room;
      for (let i = 0; i < objects.length; i++) {
        const o = makeObject(decodeObject(objects[i], name));
        if (!o) continue;
        room[OBJECTS].push(o);
        objectsById[o.id] = o;
        if (o instanceof StructureController) room.controller = o;
        if (o instanceof StructureStorage && o.my) room.storage = o;
        if (o instanceof Creep && o.my) g.creeps[o.name] = o;
        if (o instanceof StructureSpawn && o.my) g.spawns[o.name] = o;
        if (o instanceof OwnedStructure && o.my) g.structures[o.id] = o;
        if (o instanceof ConstructionSite && o.my) g.constructionSites[o.id] = o;
      }
    }
  }

  // ---- Memory ----
  ObjectDefine(global, 'Memory', {
    configurable: false, enumerable: true,
    get() { if (memoryParsed === undefined) { memoryParsed = memoryString ? JSONparse(memoryString) : {}; } return memoryParsed; },
    set(v) { memoryParsed = v; },
  });
  let rawMemorySet = false;
  global.RawMemory = {
    get() { return memoryString; },
    set(v) { memoryString = StringCtor(v); memoryParsed = undefined; rawMemorySet = true; },
    segments: {}, foreignSegment: undefined, interShardSegment: '',
    setActiveSegments() {}, setActiveForeignSegment() {}, setDefaultPublicSegment() {}, setPublicSegments() {},
  };
  global.InterShardMemory = { getLocal() { return ''; }, setLocal() {}, getRemote() { return ''; } };
  // screeps/engine src/game/path-finder.js: 2 500 bytes indexed x * 50 + y, values clamped to
  // 0..255, serialized as the buffer's 625 little-endian 32-bit words (so a matrix saved in
  // Memory on Screeps loads here and back).
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
  global.PathFinder = {
    search(origin, goal, opts) {
      const g = ArrayIsArray(goal) ? goal[0] : goal;
      const pos = g && g.pos ? g.pos : g;
      const range = g && g.range !== undefined ? g.range : 0;
      const flat = host.findPath(origin.roomName, origin.x, origin.y, pos.roomName, pos.x, pos.y, range, true);
      const path = [];
      for (let i = 0; i + 1 < flat.length; i += 2) path.push(new RoomPosition(flat[i], flat[i + 1], origin.roomName));
      return { path, ops: path.length, cost: path.length, incomplete: path.length === 0 };
    },
    CostMatrix,
    // Screeps' `use(false)` picks its older path finder for `Room.findPath`; this server has one
    // path finder, so both settings give the same paths, and `use(false)` logs Screeps' notice.
    use(isActive) {
      if (!isActive) consoleObj.log('`PathFinder.use` is considered deprecated and will be removed soon.');
    },
  };
  // ---- modules: Screeps' rules (screeps/engine src/game/game.js `requireFn`) ----
  // `require.cache` maps a module name to its exports (lodash's is `_`), -1 while the module
  // is evaluated: requiring it again then is "Circular reference to module", as on Screeps. A
  // module that throws is dropped from the cache, so the next `require` runs it again.
  let modules = {};
  function freshModuleCache() {
    const cache = {};
    if (global._ !== undefined) cache.lodash = global._;
    return cache;
  }
  function moduleNameOf(request) {
    let name = StringCtor(request).replace(/^\.\//, '');
    // `require('x.js')` for module `x` (Screeps names modules without the extension).
    if (!(name in modules) && !(name in require.cache) && name.endsWith('.js') && name.slice(0, -3) in modules) {
      name = name.slice(0, -3);
    }
    return name;
  }
  // The module's code is wrapped on its own first line, as Screeps' driver does, so stack
  // traces name the module and its own line numbers (`main:3:5`).
  function evaluateModule(name, module) {
    const wrapped = '(function __module(module,exports){ ' + modules[name] + '\n})\n//# sourceURL=' + name;
    const fn = globalEval(wrapped);
    fn(module, module.exports);
  }
  function require(request) {
    const name = moduleNameOf(request);
    const cache = require.cache;
    if (!(name in cache)) {
      if (!(name in modules)) throw new ErrorCtor(`Unknown module '${name}'`);
      cache[name] = -1;
      const module = { exports: {} };
      try {
        evaluateModule(name, module);
      } catch (e) {
        delete cache[name];
        throw e;
      }
      cache[name] = module.exports;
    } else if (cache[name] === -1) {
      throw new ErrorCtor(`Circular reference to module '${name}'`);
    }
    return cache[name];
  }
  require.cache = {};
  global.require = require;
