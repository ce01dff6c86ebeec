  // js/prelude/80_game.js: Game, Memory and require. A fragment of one function: the parts are joined in file-name order (player-api/src/lib.rs).
  // ---- Game ----
  let Game = null;
  // Methods shared by every tick's Game (made once, not per tick).
  const cpuMethods = {
    // CPU since the tick call began (host-measured, so the copy of the tick's data counts too).
    getUsed() { return host.cpuNow() / 1e6; },
    getHeapStatistics() { return host.heap(); },
    halt() { throw new ErrorCtor('Game.cpu.halt is not supported'); },
    generatePixel() { return C.ERR_NOT_ENOUGH_RESOURCES; },
    setShardLimits() { return C.ERR_BUSY; }, unlock() { return C.ERR_NOT_ENOUGH_RESOURCES; },
  };
  const mapMethods = {
    getRoomTerrain(name) { return new RoomTerrain(name); },
    describeExits(name) { const e = exitsOf(name); return e ? Object.assign({}, e) : null; },
    getRoomLinearDistance(a, b) { const p = roomXY(a), q = roomXY(b); return p && q ? MathMax(MathAbs(p[0] - q[0]), MathAbs(p[1] - q[1])) : Infinity; },
    findExit(from, to) { const r = Game.rooms[typeof from === 'string' ? from : from.name]; return r ? r.findExitTo(to) : C.ERR_NO_PATH; },
    isRoomAvailable(name) { return roomMap(name) !== null; },
    getWorldSize() { return 202; },
  };
  function getAllOrders() { return []; }
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
      market: { credits: 0, incomingTransactions: [], outgoingTransactions: [], orders: {}, getAllOrders },
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
    CostMatrix: class CostMatrix {
      constructor() { this._bits = new Uint8Array(2500); }
      set(x, y, v) { this._bits[y * 50 + x] = v; } get(x, y) { return this._bits[y * 50 + x]; }
      clone() { const c = new PathFinder.CostMatrix(); c._bits.set(this._bits); return c; }
      serialize() { return Array.from(this._bits); }
      static deserialize(a) { const c = new PathFinder.CostMatrix(); c._bits.set(a); return c; }
    },
    use() {},
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
