  // js/prelude/80_game.js: Game, Memory and require. A fragment of one function: the parts are joined in file-name order (player-api/src/lib.rs).
  // ---- Game ----
  let Game = null;
  // Methods shared by every tick's Game (made once, not per tick).
  const cpuMethods = {
    // CPU since the tick call began (host-measured, so the copy of the tick's data counts too).
    getUsed() { return host.cpuNow() / 1e6; },
    getHeapStatistics() { return host.heap(); },
    // screeps/driver runtime.js `cpuHalt`: the isolate is dropped at once; the next tick
    // starts from a global reset.
    halt() { host.halt(); throw new ErrorCtor('No one should ever see this message.'); },
    // One pixel for PIXEL_CPU_COST of bucket, taken after the tick (engine/src/shard/tick.rs);
    // it is in Game.resources from the next tick.
    generatePixel() {
      if (this.bucket < C.PIXEL_CPU_COST) return C.ERR_NOT_ENOUGH_RESOURCES;
      pixelAsked = true;
      return C.OK;
    },
    setShardLimits() { return C.ERR_BUSY; }, unlock() { return C.ERR_NOT_ENOUGH_RESOURCES; },
  };
  const mapMethods = {
    getRoomTerrain(name) { return new RoomTerrain(name); },
    // screeps/engine map.js: deprecated, with its notice; undefined off the room or the map.
    getTerrainAt(x, y, roomName) {
      deprecated('Method `Game.map.getTerrainAt` is deprecated and will be removed. Please use a faster method `Game.map.getRoomTerrain` instead.');
      if (isObjectLike(x)) { y = x.y; roomName = x.roomName; x = x.x; }
      if (x < 0 || x > 49 || y < 0 || y > 49) return undefined;
      const terrain = terrainOf(roomName);
      if (!terrain) return undefined;
      const t = NumberCtor(terrain[y * 50 + x]);
      return t & C.TERRAIN_MASK_WALL ? 'wall' : t & C.TERRAIN_MASK_SWAMP ? 'swamp' : 'plain';
    },
    describeExits(name) { const e = exitsOf(name); return e ? Object.assign({}, e) : null; },
    // utils.calcRoomsDistance: `continuous` wraps round the world's edges (not for names
    // farther apart than the world is wide, where Screeps' formula turns negative).
    getRoomLinearDistance(a, b, continuous) {
      const p = roomXY(a), q = roomXY(b);
      if (!p || !q) return Infinity;
      const wrap = (d) => (continuous && d <= worldSize ? MathMin(worldSize - d, d) : d);
      return MathMax(wrap(MathAbs(p[0] - q[0])), wrap(MathAbs(p[1] - q[1])));
    },
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
      const m = roomMap(name);
      return { status: m ? m[2] : 'closed', timestamp: null };
    },
    findRoute,
    getWorldSize() { return worldSize; },
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
  // Game.market's account: the tick's `market` text, parsed again only when it changes
  // (82_market.js builds Game.market from it).
  let marketText = null, marketParsed = null;
  // The account text ({credits, power, incoming, outgoing}), parsed again only on change.
  function accountOf(text) {
    if (text !== marketText) { marketParsed = typeof text === 'string' ? JSONparse(text) : {}; marketText = text; }
    return marketParsed;
  }
  // game.js: GPL from the power processed (POWER_LEVEL_MULTIPLY * level^POWER_LEVEL_POW).
  function gplOf(power) {
    const level = MathFloor(MathPow(power / C.POWER_LEVEL_MULTIPLY, 1 / C.POWER_LEVEL_POW));
    const base = MathPow(level, C.POWER_LEVEL_POW) * C.POWER_LEVEL_MULTIPLY;
    return { level, progress: power - base, progressTotal: MathPow(level + 1, 2) * 1000 - base };
  }
  function getObjectById(id) { return objectsById[id] || null; }
  // Screeps: at most 20 notifications a tick, 1 000 characters each (kept by the server and
  // listed on /api/me; this server sends no e-mail).
  function notify(message, groupInterval) {
    if (notifications.length >= 20) return C.ERR_FULL;
    notifications.push(StringCtor(message).slice(0, 1000));
    return C.OK;
  }

  // ---- GCL (game/game.js; utils.calcNeededGcl) ----
  let gclPoints = 0;
  let controllersClaimedInTick = 0;
  function gclNeeded(level) { return level <= 1 ? 0 : C.GCL_MULTIPLY * MathPow(level - 1, C.GCL_POW); }
  function gclOf(points) {
    const level = MathFloor(MathPow(points / C.GCL_MULTIPLY, 1 / C.GCL_POW)) + 1;
    const base = gclNeeded(level);
    return { level, progress: points - base, progressTotal: gclNeeded(level + 1) - base };
  }
  function ownedRoomCount() {
    let n = 0;
    for (const name in Game.rooms) { const c = Game.rooms[name].controller; if (c && c.my) n++; }
    return n;
  }
  function buildGame(meta, rooms) {
    objectsById = {};
    pfGrids = ObjectCreate(null);
    pfDepth = 0;
    createdCreeps = {};
    pendingSites.length = 0;
    controllersClaimedInTick = 0;
    gclPoints = meta.gcl || 0;
    const cpu = ObjectCreate(cpuMethods);
    cpu.limit = meta.cpuLimit; cpu.tickLimit = meta.tickLimit; cpu.bucket = meta.bucket;
    cpu.shardLimits = { isoshard: meta.cpuLimit };
    const account = accountOf(meta.market);
    const g = {
      time: meta.tick,
      creeps: {}, spawns: {}, rooms: {}, structures: {}, constructionSites: {}, flags: {}, powerCreeps: {},
      resources: resourcesOf(meta.resources), shard: { name: 'isoshard', type: 'normal', ptr: false },
      gcl: gclOf(meta.gcl), gpl: gplOf(account.power || 0),
      cpu,
      market: marketOf(account),
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
      ObjectDefine(room, EVENTS, { value: wire[3] || [], enumerable: false });
      g.rooms[name] = room;
      for (let i = 0; i < objects.length; i++) {
        const o = makeObject(decodeObject(objects[i], name, wire[1]));
        if (!o) continue;
        room[OBJECTS].push(o);
        objectsById[o.id] = o;
        if (o instanceof StructureController) room.controller = o;
        if (o instanceof StructureStorage && o.my) room.storage = o;
        if (o instanceof StructureTerminal && o.my) room.terminal = o;
        if (o instanceof Creep && o.my) g.creeps[o.name] = o;
        if (o instanceof StructureSpawn && o.my) g.spawns[o.name] = o;
        if (o instanceof OwnedStructure && o.my) g.structures[o.id] = o;
        if (o instanceof ConstructionSite && o.my) g.constructionSites[o.id] = o;
      }
    }
    placeFlags(meta.flags, g);
  }

  // ---- Memory ----
  ObjectDefine(global, 'Memory', {
    configurable: false, enumerable: true,
    get() { if (memoryParsed === undefined) { memoryParsed = memoryString ? JSONparse(memoryString) : {}; } return memoryParsed; },
    set(v) { memoryParsed = v; },
  });
  // ---- RawMemory, segments, InterShardMemory: screeps/driver lib/runtime/runtime.js ----
  // `segments` is a fresh object every tick holding the active segments (those a previous
  // tick asked for); whatever it holds at the tick's end is saved, at most 10, 100 KB each.
  let rawMemorySet = false;
  let segmentsIn = ObjectCreate(null), segmentAsks = {}, interShardLocal = '', interShardSet = false;
  let notifications = [];
  let pixelAsked = false;
  // Game.resources: the account's pixels (the tick's `resources` text, parsed on change).
  let resourcesText = null, resourcesParsed = {};
  function resourcesOf(text) {
    if (text !== resourcesText) { resourcesParsed = typeof text === 'string' ? JSONparse(text) : {}; resourcesText = text; }
    return Object.assign({}, resourcesParsed);
  }
  function segmentId(v) {
    const id = parseInt(v, 10);
    if (id !== id || id > 99 || id < 0) throw new ErrorCtor(`"${v}" is not a valid segment ID`);
    return id;
  }
  function segmentIds(ids) {
    if (!ArrayIsArray(ids)) throw new ErrorCtor(`"${ids}" is not an array`);
    return ids.map(segmentId);
  }
  const rawMemory = ObjectCreate(null, {
    get: { value: function get() { return memoryString; } },
    set: {
      value: function set(v) {
        if (typeof v !== 'string') throw new ErrorCtor('Raw memory value is not a string');
        if (v.length > MEMORY_LIMIT) throw new ErrorCtor('Raw memory length exceeded 2 MB limit');
        memoryString = v; memoryParsed = undefined; rawMemorySet = true;
      },
    },
    interShardSegment: { value: '', writable: true, enumerable: true },
    setActiveSegments: {
      value: function setActiveSegments(ids) {
        if (!ArrayIsArray(ids)) throw new ErrorCtor(`"${ids}" is not an array`);
        if (ids.length > 10) throw new ErrorCtor('Only 10 memory segments can be active at the same time');
        segmentAsks.active = segmentIds(ids);
      },
    },
    setPublicSegments: { value: function setPublicSegments(ids) { segmentAsks.public = segmentIds(ids); } },
    setDefaultPublicSegment: {
      value: function setDefaultPublicSegment(id) { segmentAsks.defaultPublic = id === null ? null : segmentId(id); },
    },
    setActiveForeignSegment: {
      value: function setActiveForeignSegment(username, id) {
        if (username === null) { segmentAsks.foreign = null; return; }
        segmentAsks.foreign = { username: StringCtor(username), id: id === undefined ? null : segmentId(id) };
      },
    },
  });
  global.RawMemory = rawMemory;
  function startSegments(meta) {
    const segments = ObjectCreate(null);
    const flat = meta.segments || [];
    segmentsIn = ObjectCreate(null);
    for (let i = 0; i + 1 < flat.length; i += 2) { segments[flat[i]] = flat[i + 1]; segmentsIn[flat[i]] = flat[i + 1]; }
    ObjectDefine(rawMemory, 'segments', { value: segments, configurable: true, enumerable: true });
    const f = meta.foreignSegment;
    ObjectDefine(rawMemory, 'foreignSegment', {
      value: f ? Object.assign(ObjectCreate(null), { username: f.username, id: f.id, data: f.data }) : undefined,
      configurable: true, enumerable: true,
    });
    rawMemory.interShardSegment = '';
    segmentAsks = {}; interShardSet = false; notifications = []; pixelAsked = false;
    interShardLocal = meta.interShard || '';
  }
  // The tick's segment writes and requests, checked as the driver checks them; a violation
  // fails the save (not the intents), with the driver's message.
  function finishSegments() {
    const data = {};
    const segments = rawMemory.segments, keys = ObjectKeys(segments), written = [];
    try {
      if (keys.length > 10) throw new ErrorCtor('Cannot save more than 10 memory segments on the same tick');
      for (const k of keys) {
        const id = parseInt(k, 10);
        if (id !== id || id < 0 || id > 99) throw new ErrorCtor(`"${k}" is not a valid memory segment ID`);
        if (typeof segments[k] !== 'string') throw new ErrorCtor(`Memory segment #${k} is not a string`);
        if (segments[k].length > 100 * 1024) throw new ErrorCtor(`Memory segment #${k} has exceeded 100 KB length limit`);
        if (segments[k] !== segmentsIn[k]) written.push(id, '' + segments[k]);
      }
      data.segments = written;
    } catch (e) {
      consoleBuf.push('Error: ' + e.message + ' (no segment was saved this tick)');
    }
    for (const k of ObjectKeys(segmentAsks)) data[k] = segmentAsks[k];
    if (interShardSet) data.interShard = interShardLocal;
    if (notifications.length) data.notify = notifications;
    if (pixelAsked) data.pixel = true;
    if (flagOps.length) data.flags = flagOps;
    return data;
  }
  global.InterShardMemory = ObjectCreate(null, {
    getLocal: { value: function getLocal() { return interShardLocal; } },
    setLocal: {
      value: function setLocal(value) {
        if (typeof value !== 'string') throw new ErrorCtor('InterShardMemory value is not a string');
        if (value.length > 100 * 1024) throw new ErrorCtor('InterShardMemory size has exceeded 100 KB limit');
        interShardLocal = value; interShardSet = true;
      },
    },
    // This server is one shard: its own name reads the local data, any other is unknown.
    getRemote: {
      value: function getRemote(shard) {
        if (shard === 'isoshard') return interShardLocal;
        throw new ErrorCtor(`Invalid shard name '${shard}' (this server has one shard, 'isoshard')`);
      },
    },
  });
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
