// isoshard player runtime: a Screeps-compatible API over host-provided world data.
// Loaded once per isolate (global reset), before any player code; it may also be loaded into
// a startup snapshot, where no host function exists yet. Everything the player can reach is
// plain JavaScript; the host functions it needs are captured by `setup` (before any player
// code runs) and removed from the global object.
(function (global) {
  'use strict';
  const host = {};
  const HOST_FUNCTIONS = {
    intents: '__isoshard_intents', console: '__isoshard_console', cpuNow: '__isoshard_cpu_now',
    findPath: '__isoshard_find_path', closestByPath: '__isoshard_closest_by_path', heap: '__isoshard_heap',
    roomMap: '__isoshard_room_map',
  };
  function bindHost() {
    for (const k of Object.keys(HOST_FUNCTIONS)) {
      const name = HOST_FUNCTIONS[k];
      if (typeof global[name] !== 'function') throw new Error('host function ' + name + ' is missing');
      host[k] = global[name];
      delete global[name];
    }
  }
  // Builtins the runtime relies on, captured before player code can replace them.
  const JSONparse = JSON.parse, JSONstringify = JSON.stringify, ObjectKeys = Object.keys,
    ObjectDefine = Object.defineProperty, ObjectCreate = Object.create, ArrayIsArray = Array.isArray,
    MathMax = Math.max, MathMin = Math.min, MathAbs = Math.abs, MathFloor = Math.floor, MathCeil = Math.ceil,
    StringCtor = String, NumberCtor = Number, ErrorCtor = Error, FunctionCtor = Function;

  // ---- constants (screeps/common constants.js subset) ----
  const C = {
    OK: 0, ERR_NOT_OWNER: -1, ERR_NO_PATH: -2, ERR_NAME_EXISTS: -3, ERR_BUSY: -4, ERR_NOT_FOUND: -5,
    ERR_NOT_ENOUGH_ENERGY: -6, ERR_NOT_ENOUGH_RESOURCES: -6, ERR_INVALID_TARGET: -7, ERR_FULL: -8,
    ERR_NOT_IN_RANGE: -9, ERR_INVALID_ARGS: -10, ERR_TIRED: -11, ERR_NO_BODYPART: -12,
    ERR_NOT_ENOUGH_EXTENSIONS: -6, ERR_RCL_NOT_ENOUGH: -14, ERR_GCL_NOT_ENOUGH: -15,
    FIND_EXIT_TOP: 1, FIND_EXIT_RIGHT: 3, FIND_EXIT_BOTTOM: 5, FIND_EXIT_LEFT: 7, FIND_EXIT: 10,
    FIND_CREEPS: 101, FIND_MY_CREEPS: 102, FIND_HOSTILE_CREEPS: 103, FIND_SOURCES_ACTIVE: 104,
    FIND_SOURCES: 105, FIND_DROPPED_RESOURCES: 106, FIND_STRUCTURES: 107, FIND_MY_STRUCTURES: 108,
    FIND_HOSTILE_STRUCTURES: 109, FIND_FLAGS: 110, FIND_CONSTRUCTION_SITES: 111, FIND_MY_SPAWNS: 112,
    FIND_HOSTILE_SPAWNS: 113, FIND_MY_CONSTRUCTION_SITES: 114, FIND_HOSTILE_CONSTRUCTION_SITES: 115,
    FIND_MINERALS: 116, FIND_NUKES: 117, FIND_TOMBSTONES: 118, FIND_POWER_CREEPS: 119,
    FIND_MY_POWER_CREEPS: 120, FIND_HOSTILE_POWER_CREEPS: 121, FIND_DEPOSITS: 122, FIND_RUINS: 123,
    TOP: 1, TOP_RIGHT: 2, RIGHT: 3, BOTTOM_RIGHT: 4, BOTTOM: 5, BOTTOM_LEFT: 6, LEFT: 7, TOP_LEFT: 8,
    COLOR_RED: 1, COLOR_PURPLE: 2, COLOR_BLUE: 3, COLOR_CYAN: 4, COLOR_GREEN: 5, COLOR_YELLOW: 6,
    COLOR_ORANGE: 7, COLOR_BROWN: 8, COLOR_GREY: 9, COLOR_WHITE: 10,
    LOOK_CREEPS: 'creep', LOOK_ENERGY: 'energy', LOOK_RESOURCES: 'resource', LOOK_SOURCES: 'source',
    LOOK_MINERALS: 'mineral', LOOK_DEPOSITS: 'deposit', LOOK_STRUCTURES: 'structure', LOOK_FLAGS: 'flag',
    LOOK_CONSTRUCTION_SITES: 'constructionSite', LOOK_NUKES: 'nuke', LOOK_TERRAIN: 'terrain',
    LOOK_TOMBSTONES: 'tombstone', LOOK_POWER_CREEPS: 'powerCreep', LOOK_RUINS: 'ruin',
    OBSTACLE_OBJECT_TYPES: ['spawn', 'creep', 'powerCreep', 'source', 'mineral', 'deposit', 'controller',
      'constructedWall', 'extension', 'link', 'storage', 'tower', 'observer', 'powerSpawn', 'powerBank', 'lab',
      'terminal', 'nuker', 'factory', 'invaderCore'],
    MOVE: 'move', WORK: 'work', CARRY: 'carry', ATTACK: 'attack', RANGED_ATTACK: 'ranged_attack',
    TOUGH: 'tough', HEAL: 'heal', CLAIM: 'claim',
    BODYPART_COST: { move: 50, work: 100, attack: 80, carry: 50, heal: 250, ranged_attack: 150, tough: 10, claim: 600 },
    BODYPARTS_ALL: ['move', 'work', 'carry', 'attack', 'ranged_attack', 'tough', 'heal', 'claim'],
    WORLD_WIDTH: 202, WORLD_HEIGHT: 202,
    CREEP_LIFE_TIME: 1500, CREEP_CLAIM_LIFE_TIME: 600, CREEP_CORPSE_RATE: 0.2, CREEP_PART_MAX_ENERGY: 125,
    CARRY_CAPACITY: 50, HARVEST_POWER: 2, HARVEST_MINERAL_POWER: 1, REPAIR_POWER: 100, DISMANTLE_POWER: 50,
    BUILD_POWER: 5, ATTACK_POWER: 30, UPGRADE_CONTROLLER_POWER: 1, RANGED_ATTACK_POWER: 10, HEAL_POWER: 12,
    RANGED_HEAL_POWER: 4, REPAIR_COST: 0.01, DISMANTLE_COST: 0.005,
    RAMPART_DECAY_AMOUNT: 300, RAMPART_DECAY_TIME: 100, RAMPART_HITS: 1,
    ENERGY_REGEN_TIME: 300, ENERGY_DECAY: 1000,
    SPAWN_HITS: 5000, SPAWN_ENERGY_START: 300, SPAWN_ENERGY_CAPACITY: 300, CREEP_SPAWN_TIME: 3,
    SPAWN_RENEW_RATIO: 1.2, SOURCE_ENERGY_CAPACITY: 3000, SOURCE_ENERGY_NEUTRAL_CAPACITY: 1500,
    SOURCE_ENERGY_KEEPER_CAPACITY: 4000, WALL_HITS: 1, WALL_HITS_MAX: 300000000, EXTENSION_HITS: 1000,
    EXTENSION_ENERGY_CAPACITY: { 0: 50, 1: 50, 2: 50, 3: 50, 4: 50, 5: 50, 6: 50, 7: 100, 8: 200 },
    ROAD_HITS: 5000, ROAD_WEAROUT: 1, ROAD_DECAY_AMOUNT: 100, ROAD_DECAY_TIME: 1000,
    LINK_HITS: 1000, LINK_CAPACITY: 800, STORAGE_CAPACITY: 1000000, STORAGE_HITS: 10000,
    CONTAINER_HITS: 250000, CONTAINER_CAPACITY: 2000, CONTAINER_DECAY: 5000, CONTAINER_DECAY_TIME: 100,
    CONTAINER_DECAY_TIME_OWNED: 500, TOWER_HITS: 3000, TOWER_CAPACITY: 1000, TOWER_ENERGY_COST: 10,
    TOWER_POWER_ATTACK: 600, TOWER_POWER_HEAL: 400, TOWER_POWER_REPAIR: 800, TOWER_OPTIMAL_RANGE: 5,
    TOWER_FALLOFF_RANGE: 20, TOWER_FALLOFF: 0.75, MAX_CONSTRUCTION_SITES: 100, MAX_CREEP_SIZE: 50,
    CONSTRUCTION_COST: { spawn: 15000, extension: 3000, road: 300, constructedWall: 1, rampart: 1, link: 5000,
      storage: 30000, tower: 5000, observer: 8000, powerSpawn: 100000, extractor: 5000, lab: 50000,
      terminal: 100000, container: 5000, nuker: 100000, factory: 100000 },
    CONSTRUCTION_COST_ROAD_SWAMP_RATIO: 5, CONSTRUCTION_COST_ROAD_WALL_RATIO: 150,
    CONTROLLER_LEVELS: { 1: 200, 2: 45000, 3: 135000, 4: 405000, 5: 1215000, 6: 3645000, 7: 10935000 },
    CONTROLLER_STRUCTURES: {
      spawn: { 0: 0, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 2, 8: 3 },
      extension: { 0: 0, 1: 0, 2: 5, 3: 10, 4: 20, 5: 30, 6: 40, 7: 50, 8: 60 },
      link: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 2, 6: 3, 7: 4, 8: 6 },
      road: { 0: 2500, 1: 2500, 2: 2500, 3: 2500, 4: 2500, 5: 2500, 6: 2500, 7: 2500, 8: 2500 },
      constructedWall: { 1: 0, 2: 2500, 3: 2500, 4: 2500, 5: 2500, 6: 2500, 7: 2500, 8: 2500 },
      rampart: { 1: 0, 2: 2500, 3: 2500, 4: 2500, 5: 2500, 6: 2500, 7: 2500, 8: 2500 },
      storage: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1 },
      tower: { 1: 0, 2: 0, 3: 1, 4: 1, 5: 2, 6: 2, 7: 3, 8: 6 },
      container: { 0: 5, 1: 5, 2: 5, 3: 5, 4: 5, 5: 5, 6: 5, 7: 5, 8: 5 },
    },
    CONTROLLER_DOWNGRADE: { 1: 20000, 2: 10000, 3: 20000, 4: 40000, 5: 80000, 6: 120000, 7: 150000, 8: 200000 },
    CONTROLLER_DOWNGRADE_RESTORE: 100, CONTROLLER_MAX_UPGRADE_PER_TICK: 15, CONTROLLER_CLAIM_DOWNGRADE: 300,
    STRUCTURE_SPAWN: 'spawn', STRUCTURE_EXTENSION: 'extension', STRUCTURE_ROAD: 'road',
    STRUCTURE_WALL: 'constructedWall', STRUCTURE_RAMPART: 'rampart', STRUCTURE_KEEPER_LAIR: 'keeperLair',
    STRUCTURE_PORTAL: 'portal', STRUCTURE_CONTROLLER: 'controller', STRUCTURE_LINK: 'link',
    STRUCTURE_STORAGE: 'storage', STRUCTURE_TOWER: 'tower', STRUCTURE_OBSERVER: 'observer',
    STRUCTURE_POWER_BANK: 'powerBank', STRUCTURE_POWER_SPAWN: 'powerSpawn', STRUCTURE_EXTRACTOR: 'extractor',
    STRUCTURE_LAB: 'lab', STRUCTURE_TERMINAL: 'terminal', STRUCTURE_CONTAINER: 'container',
    STRUCTURE_NUKER: 'nuker', STRUCTURE_FACTORY: 'factory', STRUCTURE_INVADER_CORE: 'invaderCore',
    RESOURCE_ENERGY: 'energy', RESOURCE_POWER: 'power', RESOURCE_HYDROGEN: 'H', RESOURCE_OXYGEN: 'O',
    RESOURCE_UTRIUM: 'U', RESOURCE_LEMERGIUM: 'L', RESOURCE_KEANIUM: 'K', RESOURCE_ZYNTHIUM: 'Z',
    RESOURCE_CATALYST: 'X', RESOURCE_GHODIUM: 'G',
    TERRAIN_MASK_WALL: 1, TERRAIN_MASK_SWAMP: 2, TERRAIN_MASK_LAVA: 4,
    TOMBSTONE_DECAY_PER_PART: 5, GCL_POW: 2.4, GCL_MULTIPLY: 1000000, GCL_NOVICE: 3,
  };
  C.RESOURCES_ALL = ['energy', 'power', 'H', 'O', 'U', 'L', 'K', 'Z', 'X', 'G'];
  for (const k of ObjectKeys(C)) global[k] = C[k];

  // ---- deterministic Math.random and Date ----
  let rngA = 1, rngB = 2;
  function seedRandom(hi, lo) { rngA = (hi | 0) || 0x9e3779b9; rngB = (lo | 0) || 0x7f4a7c15; }
  Math.random = function random() {
    // xorshift64 over two 32-bit halves
    let a = rngA, b = rngB;
    a ^= a << 23; a ^= a >>> 17; a ^= b; a ^= b >>> 26;
    rngA = b; rngB = a;
    return ((rngA + rngB) >>> 0) / 4294967296;
  };
  const RealDate = Date;
  let fakeNow = 0;
  class GameDate extends RealDate {
    constructor(...args) { if (args.length === 0) super(fakeNow); else super(...args); }
    static now() { return fakeNow; }
  }
  global.Date = GameDate;

  // ---- per-tick state ----
  let tick = null;            // host meta for this tick
  let rawRooms = {};          // roomName -> raw room data
  // Terrain and exits come from the host a room at a time, on first use, and stay until the
  // next global reset: bots look at a few rooms, and the whole map would cost every isolate
  // megabytes. roomName -> [terrain string, {1: name, 3: name, ...}], or null (no such room).
  let roomMaps = ObjectCreate(null);
  function roomMap(name) {
    name = StringCtor(name);
    let m = roomMaps[name];
    if (m === undefined) { m = host.roomMap(name); roomMaps[name] = m; }
    return m;
  }
  function terrainOf(name) { const m = roomMap(name); return m ? m[0] : ''; }
  function exitsOf(name) { const m = roomMap(name); return m ? m[1] : null; }
  let objectsById = {};
  let intentBuf = [];
  let intentCount = 0;
  let intentsDropped = 0;
  const MAX_INTENTS = 10000;
  let consoleBuf = [];
  let username = '';
  let createdCreeps = {};
  const pendingSites = [];
  let memoryString = '';
  let memoryParsed = undefined;
  const MEMORY_LIMIT = 2 * 1024 * 1024;

  function flushIntents() {
    if (intentBuf.length) { const b = intentBuf; intentBuf = []; host.intents(b); }
  }
  function addIntent(i) {
    if (intentCount >= MAX_INTENTS) { intentsDropped++; return false; }
    intentCount++;
    intentBuf.push(i);
    if (intentBuf.length >= 256) flushIntents();
    return true;
  }
  function flushConsole() {
    if (consoleBuf.length) { const b = consoleBuf; consoleBuf = []; host.console(b); }
  }

  // ---- console ----
  function fmt(v) {
    if (typeof v === 'string') return v;
    if (v instanceof ErrorCtor) return v.stack || StringCtor(v);
    if (v && typeof v === 'object') { try { return JSONstringify(v); } catch (e) { return StringCtor(v); } }
    return StringCtor(v);
  }
  const consoleObj = {
    log(...args) { consoleBuf.push(args.map(fmt).join(' ')); if (consoleBuf.length >= 100) flushConsole(); },
  };
  consoleObj.info = consoleObj.log; consoleObj.warn = consoleObj.log; consoleObj.error = consoleObj.log;
  consoleObj.debug = consoleObj.log;
  global.console = consoleObj;

  // ---- positions ----
  const DIRS = { 1: [0, -1], 2: [1, -1], 3: [1, 0], 4: [1, 1], 5: [0, 1], 6: [-1, 1], 7: [-1, 0], 8: [-1, -1] };
  function roomXY(name) {
    const m = /^([WE])(\d+)([NS])(\d+)$/.exec(name);
    if (!m) return null;
    const x = m[1] === 'W' ? -NumberCtor(m[2]) - 1 : NumberCtor(m[2]);
    const y = m[3] === 'N' ? -NumberCtor(m[4]) - 1 : NumberCtor(m[4]);
    return [x, y];
  }
  function worldXY(pos) {
    const r = roomXY(pos.roomName) || [0, 0];
    return [r[0] * 50 + pos.x, r[1] * 50 + pos.y];
  }
  function toPos(t) { return t && t.pos instanceof RoomPosition ? t.pos : t; }
  function dirTo(dx, dy) {
    const sx = dx > 0 ? 1 : dx < 0 ? -1 : 0, sy = dy > 0 ? 1 : dy < 0 ? -1 : 0;
    for (const d in DIRS) if (DIRS[d][0] === sx && DIRS[d][1] === sy) return NumberCtor(d);
    return 0;
  }

  class RoomPosition {
    constructor(x, y, roomName) {
      this.x = x | 0; this.y = y | 0; this.roomName = roomName;
    }
    toString() { return `[room ${this.roomName} pos ${this.x},${this.y}]`; }
    toJSON() { return { x: this.x, y: this.y, roomName: this.roomName }; }
    isEqualTo(a, b) {
      if (typeof a === 'number') return this.x === a && this.y === b;
      const p = toPos(a);
      return !!p && this.x === p.x && this.y === p.y && this.roomName === p.roomName;
    }
    getRangeTo(a, b) {
      const p = typeof a === 'number' ? { x: a, y: b, roomName: this.roomName } : toPos(a);
      if (!p) return Infinity;
      if (p.roomName !== this.roomName) {
        const w1 = worldXY(this), w2 = worldXY(p);
        return MathMax(MathAbs(w1[0] - w2[0]), MathAbs(w1[1] - w2[1]));
      }
      return MathMax(MathAbs(this.x - p.x), MathAbs(this.y - p.y));
    }
    inRangeTo(a, b, c) {
      if (typeof a === 'number') return this.getRangeTo(a, b) <= c;
      const p = toPos(a);
      return !!p && p.roomName === this.roomName && this.getRangeTo(p) <= b;
    }
    isNearTo(a, b) { return typeof a === 'number' ? this.inRangeTo(a, b, 1) : this.inRangeTo(a, 1); }
    getDirectionTo(a, b) {
      const p = typeof a === 'number' ? { x: a, y: b, roomName: this.roomName } : toPos(a);
      if (!p) return undefined;
      if (p.roomName === this.roomName) return dirTo(p.x - this.x, p.y - this.y);
      const w1 = worldXY(this), w2 = worldXY(p);
      return dirTo(w2[0] - w1[0], w2[1] - w1[1]);
    }
    _candidates(type, opts) {
      let list = ArrayIsArray(type) ? type : (Game.rooms[this.roomName] ? Game.rooms[this.roomName].find(type) : []);
      if (opts && opts.filter) list = filterBy(list, opts.filter);
      return list;
    }
    findClosestByRange(type, opts) {
      let best = null, bestR = Infinity;
      for (const o of this._candidates(type, opts)) {
        const r = this.getRangeTo(o);
        if (r < bestR) { best = o; bestR = r; }
      }
      return best;
    }
    findInRange(type, range, opts) {
      return this._candidates(type, opts).filter((o) => this.getRangeTo(o) <= range);
    }
    findClosestByPath(type, opts) {
      const list = this._candidates(type, opts).filter((o) => toPos(o) && toPos(o).roomName === this.roomName);
      if (list.length === 0) return null;
      const flat = [];
      for (const o of list) { const p = toPos(o); flat.push(p.x, p.y); }
      const i = host.closestByPath(this.roomName, this.x, this.y, flat);
      return i >= 0 ? list[i] : null;
    }
    findPathTo(a, b, c) {
      const target = typeof a === 'number' ? new RoomPosition(a, b, this.roomName) : toPos(a);
      const opts = (typeof a === 'number' ? c : b) || {};
      return pathSteps(this, target, opts);
    }
    lookFor(type) { return Game.rooms[this.roomName] ? Game.rooms[this.roomName].lookForAt(type, this.x, this.y) : []; }
    look() { return Game.rooms[this.roomName] ? Game.rooms[this.roomName].lookAt(this.x, this.y) : []; }
    createConstructionSite(type) {
      const room = Game.rooms[this.roomName];
      return room ? room.createConstructionSite(this.x, this.y, type) : C.ERR_INVALID_TARGET;
    }
  }
  global.RoomPosition = RoomPosition;

  function filterBy(list, filter) {
    if (typeof filter === 'function') return list.filter(filter);
    if (filter && typeof filter === 'object') {
      const keys = ObjectKeys(filter);
      return list.filter((o) => keys.every((k) => matches(o[k], filter[k])));
    }
    if (typeof filter === 'string') return list.filter((o) => !!o[filter]);
    return list;
  }
  function matches(v, want) {
    if (want && typeof want === 'object') return !!v && ObjectKeys(want).every((k) => matches(v[k], want[k]));
    return v === want;
  }

  function pathSteps(from, to, opts) {
    if (!to) return [];
    const range = opts.range === undefined ? 1 : opts.range;
    const flat = host.findPath(from.roomName, from.x, from.y, to.roomName, to.x, to.y, range, !!opts.ignoreCreeps);
    const steps = [];
    let px = from.x, py = from.y;
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const x = flat[i], y = flat[i + 1];
      steps.push({ x, y, dx: x - px, dy: y - py, direction: dirTo(x - px, y - py) });
      px = x; py = y;
    }
    return steps;
  }

  // ---- store ----
  // Internal fields are symbol-keyed: invisible to for-in, Object.keys and JSON.stringify
  // like non-enumerable properties, but plain stores (defineProperty per object is slow).
  const CAPACITY = Symbol('capacity'), OBJECTS = Symbol('objects');
  function makeStore(energy, capacity) {
    const s = ObjectCreate(Store.prototype);
    s.energy = energy || 0;
    s[CAPACITY] = capacity || 0;
    return s;
  }
  class Store {
    getCapacity(r) { return r === undefined || r === C.RESOURCE_ENERGY ? this[CAPACITY] : null; }
    getUsedCapacity(r) { return r === undefined || r === C.RESOURCE_ENERGY ? (this.energy || 0) : 0; }
    getFreeCapacity(r) { return r === undefined || r === C.RESOURCE_ENERGY ? this[CAPACITY] - (this.energy || 0) : 0; }
  }
  global.Store = Store;

  // ---- room objects ----
  class RoomObject {
    constructor(d) {
      this.id = d.id;
      this.pos = new RoomPosition(d.x, d.y, d.room);
    }
    get room() { return Game.rooms[this.pos.roomName]; }
  }
  global.RoomObject = RoomObject;

  class Structure extends RoomObject {
    constructor(d) {
      super(d);
      this.structureType = d.structureType;
      this.hits = d.hits; this.hitsMax = d.hitsMax;
    }
    isActive() { return true; }
    destroy() { return C.ERR_INVALID_TARGET; }
    notifyWhenAttacked() { return C.OK; }
  }
  class OwnedStructure extends Structure {
    constructor(d) {
      super(d);
      this.my = d.owner === username;
      this.owner = d.owner === undefined ? undefined : { username: d.owner };
    }
  }
  function energyProps(o, d) {
    o.store = makeStore(d.energy, d.energyCapacity);
    o.energy = d.energy || 0;
    o.energyCapacity = d.energyCapacity || 0;
  }
  class StructureSpawn extends OwnedStructure {
    constructor(d) {
      super(d);
      this.name = d.name;
      energyProps(this, d);
      this.spawning = d.spawnJob ? new StructureSpawn.Spawning(this, d.spawnJob) : null;
    }
    get memory() {
      const m = Memory; if (!m.spawns || typeof m.spawns !== 'object') m.spawns = {};
      if (!m.spawns[this.name]) m.spawns[this.name] = {};
      return m.spawns[this.name];
    }
    set memory(v) { const m = Memory; if (!m.spawns) m.spawns = {}; m.spawns[this.name] = v; }
    spawnCreep(body, name, opts) {
      opts = opts || {};
      if (!name || typeof name !== 'string' || typeof opts !== 'object') return C.ERR_INVALID_ARGS;
      if (Game.creeps[name] || createdCreeps[name]) return C.ERR_NAME_EXISTS;
      if (!this.my) return C.ERR_NOT_OWNER;
      if (this.spawning || this._busy) return C.ERR_BUSY;
      if (!ArrayIsArray(body) || body.length === 0 || body.length > C.MAX_CREEP_SIZE) return C.ERR_INVALID_ARGS;
      let cost = 0;
      for (const p of body) {
        if (!(p in C.BODYPART_COST)) return C.ERR_INVALID_ARGS;
        cost += C.BODYPART_COST[p];
      }
      const room = this.room;
      if (room.energyAvailable < cost) return C.ERR_NOT_ENOUGH_ENERGY;
      if (opts.dryRun) return C.OK;
      if (!addIntent({ type: 'spawnCreep', spawn: this.id, body: body.slice(), name })) return C.ERR_BUSY;
      this._busy = true;
      room._energySpent = (room._energySpent || 0) + cost;
      createdCreeps[name] = true;
      const m = Memory; if (!m.creeps || typeof m.creeps !== 'object') m.creeps = {};
      m.creeps[name] = opts.memory || m.creeps[name] || {};
      const creep = new Creep({ id: undefined, x: this.pos.x, y: this.pos.y, room: this.pos.roomName, owner: username,
        name, body: body.map((t) => ({ type: t, hits: 100 })), energy: 0,
        energyCapacity: body.filter((t) => t === 'carry').length * 50, fatigue: 0, ticksToLive: C.CREEP_LIFE_TIME,
        spawning: true, hits: body.length * 100, hitsMax: body.length * 100 });
      Game.creeps[name] = creep;
      return C.OK;
    }
    createCreep(body, name, memory) {
      if (!name) { name = 'creep' + Game.time + '_' + MathFloor(Math.random() * 1e6); }
      const r = this.spawnCreep(body, name, { memory });
      return r === C.OK ? name : r;
    }
    canCreateCreep(body, name) { return this.spawnCreep(body, name || ('probe' + Game.time), { dryRun: true }); }
    renewCreep() { return C.ERR_INVALID_TARGET; }
    recycleCreep() { return C.ERR_INVALID_TARGET; }
  }
  StructureSpawn.Spawning = class Spawning {
    constructor(spawn, j) {
      this.name = j.name; this.needTime = j.needTime; this.remainingTime = j.remainingTime;
      ObjectDefine(this, 'spawn', { value: spawn, enumerable: false });
    }
    setDirections() { return C.OK; }
    cancel() { return C.ERR_INVALID_TARGET; }
  };
  global.Spawn = StructureSpawn;
  class StructureExtension extends OwnedStructure { constructor(d) { super(d); energyProps(this, d); } }
  class StructureTower extends OwnedStructure {
    constructor(d) { super(d); energyProps(this, d); }
    _act(type, target, valid) {
      if (!this.my) return C.ERR_NOT_OWNER;
      if (this.energy < C.TOWER_ENERGY_COST) return C.ERR_NOT_ENOUGH_ENERGY;
      if (!target || !target.id || !valid(target)) return C.ERR_INVALID_TARGET;
      const ctl = this.room && this.room.controller;
      if (!ctl || ctl.level < 3) return C.ERR_RCL_NOT_ENOUGH;
      addIntent({ type, tower: this.id, target: target.id });
      return C.OK;
    }
    attack(t) { return this._act('towerAttack', t, (o) => o instanceof Creep || o instanceof Structure); }
    heal(t) { return this._act('towerHeal', t, (o) => o instanceof Creep); }
    repair(t) { return this._act('towerRepair', t, (o) => o instanceof Structure && !(o instanceof StructureController)); }
  }
  class StructureController extends OwnedStructure {
    constructor(d) {
      super(d);
      this.level = d.level || 0; this.progress = d.progress; this.progressTotal = d.progressTotal;
      this.ticksToDowngrade = d.ticksToDowngrade; this.upgradeBlocked = undefined; this.safeMode = undefined;
      this.safeModeAvailable = 0; this.reservation = undefined; this.sign = undefined;
      if (this.owner === undefined) this.my = false;
    }
    activateSafeMode() { return C.ERR_NOT_ENOUGH_RESOURCES; }
    unclaim() { return C.ERR_INVALID_TARGET; }
  }
  class StructureStorage extends OwnedStructure { constructor(d) { super(d); energyProps(this, d); } }
  class StructureRoad extends Structure { constructor(d) { super(d); this.ticksToDecay = d.ticksToDecay; } }
  class StructureWall extends Structure {}
  class StructureContainer extends Structure {
    constructor(d) { super(d); energyProps(this, d); this.ticksToDecay = d.ticksToDecay; this.storeCapacity = d.energyCapacity; }
  }
  Object.assign(global, { Structure, OwnedStructure, StructureSpawn, StructureExtension, StructureTower,
    StructureController, StructureStorage, StructureRoad, StructureWall, StructureContainer });

  class Source extends RoomObject {
    constructor(d) { super(d); this.energy = d.energy; this.energyCapacity = d.energyCapacity; this.ticksToRegeneration = d.ticksToRegeneration; }
  }
  class Mineral extends RoomObject {
    constructor(d) { super(d); this.mineralType = d.mineralType; this.mineralAmount = d.mineralAmount; this.density = 3; }
  }
  class ConstructionSite extends RoomObject {
    constructor(d) {
      super(d);
      this.structureType = d.structureType; this.progress = d.progress; this.progressTotal = d.progressTotal;
      this.my = d.owner === username; this.owner = d.owner === undefined ? undefined : { username: d.owner };
    }
    remove() { return C.ERR_INVALID_TARGET; }
  }
  class Resource extends RoomObject {
    constructor(d) { super(d); this.resourceType = 'energy'; this.amount = d.amount; this.energy = d.amount; }
  }
  class Tombstone extends RoomObject {
    constructor(d) {
      super(d);
      this.deathTime = d.deathTime; this.ticksToDecay = d.ticksToDecay; this.store = makeStore(d.energy, d.energyCapacity);
      this.creep = { name: d.creepName };
    }
  }
  Object.assign(global, { Source, Mineral, ConstructionSite, Resource, Energy: Resource, Tombstone });

  // ---- creeps ----
  function active(creep, type) { let n = 0; for (const p of creep.body) if (p.type === type && p.hits > 0) n++; return n; }
  class Creep extends RoomObject {
    constructor(d) {
      super(d);
      this.name = d.name;
      this.body = d.body || [];
      this.my = d.owner === username;
      this.owner = { username: d.owner };
      this.fatigue = d.fatigue; this.hits = d.hits; this.hitsMax = d.hitsMax;
      this.ticksToLive = d.spawning ? undefined : d.ticksToLive;
      this.spawning = !!d.spawning;
      this.saying = d.saying;
      this.store = makeStore(d.energy, d.energyCapacity);
      this.carry = this.store;
      this.carryCapacity = d.energyCapacity || 0;
    }
    get memory() {
      const m = Memory; if (!m.creeps || typeof m.creeps !== 'object') m.creeps = {};
      if (!m.creeps[this.name]) m.creeps[this.name] = {};
      return m.creeps[this.name];
    }
    set memory(v) { const m = Memory; if (!m.creeps) m.creeps = {}; m.creeps[this.name] = v; }
    getActiveBodyparts(type) { return active(this, type); }
    _base() { if (!this.my) return C.ERR_NOT_OWNER; if (this.spawning) return C.ERR_BUSY; return C.OK; }
    move(direction) {
      const b = this._base(); if (b) return b;
      if (this.fatigue > 0) return C.ERR_TIRED;
      if (!active(this, C.MOVE)) return C.ERR_NO_BODYPART;
      if (direction instanceof Creep) direction = this.pos.getDirectionTo(direction);
      direction = +direction;
      if (!(direction >= 1 && direction <= 8) || direction !== (direction | 0)) return C.ERR_INVALID_ARGS;
      addIntent({ type: 'move', creep: this.id, direction });
      return C.OK;
    }
    moveTo(a, b, c) {
      const target = typeof a === 'number' ? new RoomPosition(a, b, this.pos.roomName) : toPos(a);
      const opts = (typeof a === 'number' ? c : b) || {};
      const base = this._base(); if (base) return base;
      if (this.fatigue > 0) return C.ERR_TIRED;
      if (!active(this, C.MOVE)) return C.ERR_NO_BODYPART;
      if (!target || target.x === undefined) return C.ERR_INVALID_TARGET;
      const range = opts.range === undefined ? (target.roomName === this.pos.roomName ? 0 : 1) : opts.range;
      if (this.pos.inRangeTo(target, range)) return C.OK;
      const reuse = opts.reusePath === undefined ? 5 : opts.reusePath;
      const destKey = `${target.x},${target.y},${target.roomName}`;
      let mem = reuse > 0 && !opts.noPathFinding ? this.memory._move : undefined;
      let next = null;
      if (mem && mem.dest === destKey && mem.room === this.pos.roomName && Game.time - mem.time <= reuse && ArrayIsArray(mem.path)) {
        const path = mem.path;
        let i = -1;
        for (let k = 0; k + 1 < path.length; k += 2) if (path[k] === this.pos.x && path[k + 1] === this.pos.y) { i = k; break; }
        if (i >= 0 && i + 3 < path.length + 1 && path[i + 2] !== undefined) next = [path[i + 2], path[i + 3]];
        else if (i < 0 && path.length >= 2 && this.pos.isNearTo(path[0], path[1])) next = [path[0], path[1]];
        const stuck = mem.last && mem.last[0] === this.pos.x && mem.last[1] === this.pos.y && mem.lastTime === Game.time - 1;
        if (stuck) next = null;
      }
      if (!next) {
        if (opts.noPathFinding) return C.ERR_NOT_FOUND;
        const flat = host.findPath(this.pos.roomName, this.pos.x, this.pos.y, target.roomName, target.x, target.y,
          range, !!opts.ignoreCreeps);
        if (flat.length < 2) return C.ERR_NO_PATH;
        next = [flat[0], flat[1]];
        if (reuse > 0) this.memory._move = { dest: destKey, time: Game.time, room: this.pos.roomName, path: [this.pos.x, this.pos.y].concat(flat) };
      }
      if (reuse > 0 && this.memory._move) { this.memory._move.last = [this.pos.x, this.pos.y]; this.memory._move.lastTime = Game.time; }
      return this.move(dirTo(next[0] - this.pos.x, next[1] - this.pos.y));
    }
    moveByPath(path) {
      if (!ArrayIsArray(path)) return C.ERR_INVALID_ARGS;
      const i = path.findIndex((s) => s.x - s.dx === this.pos.x && s.y - s.dy === this.pos.y);
      if (i < 0) return C.ERR_NOT_FOUND;
      return this.move(path[i].direction);
    }
    harvest(target) {
      const b = this._base(); if (b) return b;
      if (!active(this, C.WORK)) return C.ERR_NO_BODYPART;
      if (!target || !target.id) return C.ERR_INVALID_TARGET;
      if (target instanceof Source) {
        if (!target.energy) return C.ERR_NOT_ENOUGH_RESOURCES;
        if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
        const ctl = this.room && this.room.controller;
        if (ctl && ctl.owner && ctl.owner.username !== username) return C.ERR_NOT_OWNER;
      } else if (target instanceof Mineral) {
        if (!target.mineralAmount) return C.ERR_NOT_ENOUGH_RESOURCES;
        if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
        return C.ERR_NOT_FOUND;
      } else return C.ERR_INVALID_TARGET;
      addIntent({ type: 'harvest', creep: this.id, target: target.id });
      return C.OK;
    }
    transfer(target, resourceType, amount) {
      const b = this._base(); if (b) return b;
      if (amount < 0) return C.ERR_INVALID_ARGS;
      if (C.RESOURCES_ALL.indexOf(resourceType) < 0) return C.ERR_INVALID_ARGS;
      if (!target || !target.id || !(target instanceof Creep || target instanceof Structure)) return C.ERR_INVALID_TARGET;
      if (resourceType !== C.RESOURCE_ENERGY) return C.ERR_INVALID_TARGET;
      if (target instanceof StructureController) return this.upgradeController(target);
      if (!target.store) return C.ERR_INVALID_TARGET;
      if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
      const have = this.store.energy;
      if (!have) return C.ERR_NOT_ENOUGH_RESOURCES;
      const used = target.store.getUsedCapacity(), cap = target.store.getCapacity();
      if (used >= cap) return C.ERR_FULL;
      if (!amount) amount = MathMin(have, cap - used);
      if (have < amount) return C.ERR_NOT_ENOUGH_RESOURCES;
      if (!amount || used + amount > cap) return C.ERR_FULL;
      addIntent({ type: 'transfer', creep: this.id, target: target.id, amount });
      return C.OK;
    }
    withdraw(target, resourceType, amount) {
      const b = this._base(); if (b) return b;
      if (amount < 0) return C.ERR_INVALID_ARGS;
      if (C.RESOURCES_ALL.indexOf(resourceType) < 0) return C.ERR_INVALID_ARGS;
      if (!target || !target.id || !(target instanceof Structure || target instanceof Tombstone) || !target.store) return C.ERR_INVALID_TARGET;
      if (resourceType !== C.RESOURCE_ENERGY) return C.ERR_INVALID_TARGET;
      if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
      const empty = this.carryCapacity - this.store.energy;
      if (empty <= 0) return C.ERR_FULL;
      const available = target.store.energy || 0;
      if (!amount) amount = MathMin(available, empty);
      if (!available || available < amount) return C.ERR_NOT_ENOUGH_RESOURCES;
      if (amount > empty) return C.ERR_FULL;
      addIntent({ type: 'withdraw', creep: this.id, target: target.id, amount });
      return C.OK;
    }
    pickup(target) {
      const b = this._base(); if (b) return b;
      if (!target || !target.id || !(target instanceof Resource)) return C.ERR_INVALID_TARGET;
      if (this.store.energy >= this.carryCapacity) return C.ERR_FULL;
      if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
      addIntent({ type: 'pickup', creep: this.id, target: target.id });
      return C.OK;
    }
    drop(resourceType, amount) {
      const b = this._base(); if (b) return b;
      if (C.RESOURCES_ALL.indexOf(resourceType) < 0) return C.ERR_INVALID_ARGS;
      const have = resourceType === C.RESOURCE_ENERGY ? this.store.energy : 0;
      if (!have) return C.ERR_NOT_ENOUGH_RESOURCES;
      if (!amount) amount = have;
      if (have < amount) return C.ERR_NOT_ENOUGH_RESOURCES;
      addIntent({ type: 'drop', creep: this.id, amount });
      return C.OK;
    }
    build(target) {
      const b = this._base(); if (b) return b;
      if (!active(this, C.WORK)) return C.ERR_NO_BODYPART;
      if (!this.store.energy) return C.ERR_NOT_ENOUGH_RESOURCES;
      if (!target || !target.id || !(target instanceof ConstructionSite) || !target.my) return C.ERR_INVALID_TARGET;
      if (!this.pos.inRangeTo(target, 3)) return C.ERR_NOT_IN_RANGE;
      if (C.OBSTACLE_OBJECT_TYPES.indexOf(target.structureType) >= 0 && target.pos.lookFor(C.LOOK_CREEPS).length > 0) return C.ERR_INVALID_TARGET;
      addIntent({ type: 'build', creep: this.id, target: target.id });
      return C.OK;
    }
    repair(target) {
      const b = this._base(); if (b) return b;
      if (!active(this, C.WORK)) return C.ERR_NO_BODYPART;
      if (!this.store.energy) return C.ERR_NOT_ENOUGH_RESOURCES;
      if (!target || !target.id || !(target instanceof Structure) || target instanceof StructureController) return C.ERR_INVALID_TARGET;
      if (!this.pos.inRangeTo(target, 3)) return C.ERR_NOT_IN_RANGE;
      addIntent({ type: 'repair', creep: this.id, target: target.id });
      return C.OK;
    }
    upgradeController(target) {
      const b = this._base(); if (b) return b;
      if (!active(this, C.WORK)) return C.ERR_NO_BODYPART;
      if (!this.store.energy) return C.ERR_NOT_ENOUGH_RESOURCES;
      if (!target || !target.id || !(target instanceof StructureController)) return C.ERR_INVALID_TARGET;
      if (!target.pos.inRangeTo(this.pos, 3)) return C.ERR_NOT_IN_RANGE;
      if (!target.my) return C.ERR_NOT_OWNER;
      if (!target.level || !target.owner) return C.ERR_INVALID_TARGET;
      addIntent({ type: 'upgradeController', creep: this.id, target: target.id });
      return C.OK;
    }
    _attack(type, part, target, range) {
      const b = this._base(); if (b) return b;
      if (!active(this, part)) return C.ERR_NO_BODYPART;
      if (!target || !target.id || !(target instanceof Creep || target instanceof Structure) || target instanceof StructureController) return C.ERR_INVALID_TARGET;
      if (!this.pos.inRangeTo(target, range)) return C.ERR_NOT_IN_RANGE;
      addIntent({ type, creep: this.id, target: target.id });
      return C.OK;
    }
    attack(t) { return this._attack('attack', C.ATTACK, t, 1); }
    rangedAttack(t) { return this._attack('rangedAttack', C.RANGED_ATTACK, t, 3); }
    heal(target) {
      const b = this._base(); if (b) return b;
      if (!active(this, C.HEAL)) return C.ERR_NO_BODYPART;
      if (!target || !target.id || !(target instanceof Creep)) return C.ERR_INVALID_TARGET;
      if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
      addIntent({ type: 'heal', creep: this.id, target: target.id });
      return C.OK;
    }
    claimController(target) {
      const b = this._base(); if (b) return b;
      const owned = ObjectKeys(Game.rooms).filter((n) => Game.rooms[n].controller && Game.rooms[n].controller.my).length;
      if (owned >= 1) return C.ERR_GCL_NOT_ENOUGH;
      if (!target || !target.id || !(target instanceof Structure)) return C.ERR_INVALID_TARGET;
      if (!active(this, C.CLAIM)) return C.ERR_NO_BODYPART;
      if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
      if (!(target instanceof StructureController) || target.level > 0) return C.ERR_INVALID_TARGET;
      addIntent({ type: 'claimController', creep: this.id, target: target.id });
      return C.OK;
    }
    reserveController() { return C.ERR_INVALID_TARGET; }
    attackController() { return C.ERR_INVALID_TARGET; }
    dismantle() { return C.ERR_INVALID_TARGET; }
    rangedMassAttack() { return C.ERR_INVALID_TARGET; }
    rangedHeal() { return C.ERR_INVALID_TARGET; }
    signController() { return C.OK; }
    notifyWhenAttacked() { return C.OK; }
    cancelOrder() { return C.ERR_NOT_FOUND; }
    say(message, isPublic) {
      const b = this._base(); if (b) return b;
      addIntent({ type: 'say', creep: this.id, message: StringCtor(message).slice(0, 10), public: !!isPublic });
      return C.OK;
    }
    suicide() {
      const b = this._base(); if (b) return b;
      addIntent({ type: 'suicide', creep: this.id });
      return C.OK;
    }
    toString() { return `[creep ${this.name}]`; }
  }
  global.Creep = Creep;

  // ---- rooms ----
  const EXIT_SIDES = { 1: 'top', 3: 'right', 5: 'bottom', 7: 'left' };
  class RoomTerrain {
    constructor(name) { this._t = terrainOf(name); }
    get(x, y) { const c = this._t.charCodeAt(y * 50 + x) - 48; return c === 1 ? 1 : c === 2 ? 2 : 0; }
    getRawBuffer() { const b = new Uint8Array(2500); for (let i = 0; i < 2500; i++) b[i] = this.get(i % 50, (i / 50) | 0); return b; }
  }
  class RoomVisual {
    constructor(roomName) { this.roomName = roomName; }
    line() { return this; } circle() { return this; } rect() { return this; } poly() { return this; }
    text() { return this; } clear() { return this; } getSize() { return 0; } export() { return ''; } import() { return this; }
  }
  global.RoomVisual = RoomVisual;
  class Room {
    constructor(name) {
      this.name = name;
      this.visual = new RoomVisual(name);
      this[OBJECTS] = [];
    }
    get memory() {
      const m = Memory; if (!m.rooms || typeof m.rooms !== 'object') m.rooms = {};
      if (!m.rooms[this.name]) m.rooms[this.name] = {};
      return m.rooms[this.name];
    }
    set memory(v) { const m = Memory; if (!m.rooms) m.rooms = {}; m.rooms[this.name] = v; }
    get energyAvailable() {
      let e = 0;
      for (const o of this[OBJECTS]) if ((o instanceof StructureSpawn || o instanceof StructureExtension) && o.my) e += o.energy;
      return e - (this._energySpent || 0);
    }
    get energyCapacityAvailable() {
      let e = 0;
      for (const o of this[OBJECTS]) if ((o instanceof StructureSpawn || o instanceof StructureExtension) && o.my) e += o.energyCapacity;
      return e;
    }
    find(type, opts) {
      let list;
      const all = this[OBJECTS];
      switch (type) {
        case C.FIND_CREEPS: list = all.filter((o) => o instanceof Creep); break;
        case C.FIND_MY_CREEPS: list = all.filter((o) => o instanceof Creep && o.my); break;
        case C.FIND_HOSTILE_CREEPS: list = all.filter((o) => o instanceof Creep && !o.my); break;
        case C.FIND_SOURCES: list = all.filter((o) => o instanceof Source); break;
        case C.FIND_SOURCES_ACTIVE: list = all.filter((o) => o instanceof Source && o.energy > 0); break;
        case C.FIND_DROPPED_RESOURCES: list = all.filter((o) => o instanceof Resource); break;
        case C.FIND_STRUCTURES: list = all.filter((o) => o instanceof Structure); break;
        case C.FIND_MY_STRUCTURES: list = all.filter((o) => o instanceof OwnedStructure && o.my); break;
        case C.FIND_HOSTILE_STRUCTURES: list = all.filter((o) => o instanceof OwnedStructure && o.owner && !o.my); break;
        case C.FIND_CONSTRUCTION_SITES: list = all.filter((o) => o instanceof ConstructionSite); break;
        case C.FIND_MY_CONSTRUCTION_SITES: list = all.filter((o) => o instanceof ConstructionSite && o.my); break;
        case C.FIND_HOSTILE_CONSTRUCTION_SITES: list = all.filter((o) => o instanceof ConstructionSite && !o.my); break;
        case C.FIND_MY_SPAWNS: list = all.filter((o) => o instanceof StructureSpawn && o.my); break;
        case C.FIND_HOSTILE_SPAWNS: list = all.filter((o) => o instanceof StructureSpawn && !o.my); break;
        case C.FIND_MINERALS: list = all.filter((o) => o instanceof Mineral); break;
        case C.FIND_TOMBSTONES: list = all.filter((o) => o instanceof Tombstone); break;
        case C.FIND_EXIT_TOP: case C.FIND_EXIT_RIGHT: case C.FIND_EXIT_BOTTOM: case C.FIND_EXIT_LEFT:
        case C.FIND_EXIT: list = this._exits(type); break;
        default: list = [];
      }
      return opts && opts.filter ? filterBy(list, opts.filter) : list;
    }
    _exits(type) {
      const t = new RoomTerrain(this.name), out = [];
      const add = (x, y) => { if (t.get(x, y) !== 1) out.push(new RoomPosition(x, y, this.name)); };
      for (let i = 0; i < 50; i++) {
        if (type === C.FIND_EXIT || type === C.FIND_EXIT_TOP) add(i, 0);
        if (type === C.FIND_EXIT || type === C.FIND_EXIT_RIGHT) add(49, i);
        if (type === C.FIND_EXIT || type === C.FIND_EXIT_BOTTOM) add(i, 49);
        if (type === C.FIND_EXIT || type === C.FIND_EXIT_LEFT) add(0, i);
      }
      return out;
    }
    findExitTo(room) {
      const name = typeof room === 'string' ? room : room && room.name;
      const exits = exitsOf(this.name) || {};
      for (const d in exits) if (exits[d] === name) return NumberCtor(d);
      const a = roomXY(this.name), b = roomXY(name || '');
      if (!a || !b) return C.ERR_INVALID_ARGS;
      const dx = b[0] - a[0], dy = b[1] - a[1];
      if (dx === 0 && dy === 0) return C.ERR_INVALID_ARGS;
      if (MathAbs(dx) >= MathAbs(dy)) return dx > 0 ? C.FIND_EXIT_RIGHT : C.FIND_EXIT_LEFT;
      return dy > 0 ? C.FIND_EXIT_BOTTOM : C.FIND_EXIT_TOP;
    }
    getPositionAt(x, y) { return x >= 0 && x < 50 && y >= 0 && y < 50 ? new RoomPosition(x, y, this.name) : null; }
    getTerrain() { return new RoomTerrain(this.name); }
    lookForAt(type, x, y) {
      const p = typeof x === 'object' ? toPos(x) : { x, y };
      if (type === C.LOOK_TERRAIN) { const v = new RoomTerrain(this.name).get(p.x, p.y); return [v === 1 ? 'wall' : v === 2 ? 'swamp' : 'plain']; }
      return this[OBJECTS].filter((o) => o.pos.x === p.x && o.pos.y === p.y && lookType(o) === type);
    }
    lookAt(x, y) {
      const p = typeof x === 'object' ? toPos(x) : { x, y };
      const out = this[OBJECTS].filter((o) => o.pos.x === p.x && o.pos.y === p.y).map((o) => ({ type: lookType(o), [lookType(o)]: o }));
      const t = this.lookForAt(C.LOOK_TERRAIN, p.x, p.y)[0];
      out.push({ type: 'terrain', terrain: t });
      return out;
    }
    findPath(from, to, opts) { return pathSteps(from, to, opts || {}); }
    createConstructionSite(x, y, type) {
      if (typeof x === 'object') { const p = toPos(x); type = y; y = p.y; x = p.x; }
      if (!(type in C.CONSTRUCTION_COST)) return C.ERR_INVALID_ARGS;
      if (x <= 0 || y <= 0 || x >= 49 || y >= 49) return C.ERR_INVALID_TARGET;
      if (new RoomTerrain(this.name).get(x, y) === 1 && type !== C.STRUCTURE_ROAD) return C.ERR_INVALID_TARGET;
      const ctl = this.controller;
      if (ctl && ctl.owner && !ctl.my) return C.ERR_NOT_OWNER;
      if (ObjectKeys(Game.constructionSites).length + pendingSites.length >= C.MAX_CONSTRUCTION_SITES) return C.ERR_FULL;
      const level = ctl && ctl.my ? ctl.level : 0;
      const limits = C.CONTROLLER_STRUCTURES[type];
      const have = this[OBJECTS].filter((o) => o.structureType === type).length + pendingSites.filter((s) => s.room === this.name && s.type === type).length;
      if (!limits || have >= (limits[level] || 0)) return C.ERR_RCL_NOT_ENOUGH;
      if (!addIntent({ type: 'createConstructionSite', room: this.name, x, y, structure: type })) return C.ERR_FULL;
      pendingSites.push({ room: this.name, type });
      return C.OK;
    }
    toString() { return `[room ${this.name}]`; }
  }
  Room.Terrain = RoomTerrain;
  global.Room = Room;
  function lookType(o) {
    if (o instanceof Creep) return 'creep';
    if (o instanceof Structure) return 'structure';
    if (o instanceof Source) return 'source';
    if (o instanceof Mineral) return 'mineral';
    if (o instanceof ConstructionSite) return 'constructionSite';
    if (o instanceof Resource) return 'resource';
    if (o instanceof Tombstone) return 'tombstone';
    return 'unknown';
  }

  // A room arrives as positional JSON (player-api/src/room_wire.rs: `[name, tick, [object…]]`,
  // an object's fields in FIELDS order, null when absent); each object becomes the plain
  // record the constructors read. Positions keep the room's text free of property names.
  function decodeBody(flat) {
    if (flat == null) return undefined;
    const parts = [];
    for (let i = 0; i + 1 < flat.length; i += 2) parts.push({ type: flat[i], hits: flat[i + 1] });
    return parts;
  }
  function decodeSpawnJob(j) {
    return j == null ? undefined : { name: j[0], needTime: j[1], remainingTime: j[2] };
  }
  function decodeObject(a, room) {
    return {
      id: a[0], type: a[1], x: a[2], y: a[3], room, owner: a[4] ?? undefined,
      hits: a[5] ?? undefined, hitsMax: a[6] ?? undefined, energy: a[7] ?? undefined,
      energyCapacity: a[8] ?? undefined, name: a[9] ?? undefined, body: decodeBody(a[10]),
      fatigue: a[11] ?? undefined, ticksToLive: a[12] ?? undefined, spawning: a[13] ?? undefined,
      spawnJob: decodeSpawnJob(a[14]), saying: a[15] ?? undefined, sayingPublic: a[16] ?? undefined,
      structureType: a[17] ?? undefined, level: a[18] ?? undefined, progress: a[19] ?? undefined,
      progressTotal: a[20] ?? undefined, ticksToDowngrade: a[21] ?? undefined,
      ticksToRegeneration: a[22] ?? undefined, resourceType: a[23] ?? undefined,
      amount: a[24] ?? undefined, mineralType: a[25] ?? undefined, mineralAmount: a[26] ?? undefined,
      deathTime: a[27] ?? undefined, ticksToDecay: a[28] ?? undefined, creepName: a[29] ?? undefined,
    };
  }
  function makeObject(d) {
    switch (d.type) {
      case 'creep': return new Creep(d);
      case 'spawn': return new StructureSpawn(d);
      case 'extension': return new StructureExtension(d);
      case 'tower': return new StructureTower(d);
      case 'controller': return new StructureController(d);
      case 'storage': return new StructureStorage(d);
      case 'road': return new StructureRoad(d);
      case 'constructedWall': return new StructureWall(d);
      case 'container': return new StructureContainer(d);
      case 'source': return new Source(d);
      case 'mineral': return new Mineral(d);
      case 'constructionSite': return new ConstructionSite(d);
      case 'energy': return new Resource(d);
      case 'tombstone': return new Tombstone(d);
      default: return null;
    }
  }

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

  // ---- modules ----
  let modules = {};
  let moduleCache = {};
  let loading = [];
  function normalize(name) {
    name = StringCtor(name);
    if (name.startsWith('./')) name = name.slice(2);
    if (name.endsWith('.js')) name = name.slice(0, -3);
    return name;
  }
  function require(request) {
    const name = normalize(request);
    if (name === 'lodash' && global._) return global._;
    if (moduleCache[name]) return moduleCache[name].exports;
    if (!(name in modules)) throw new ErrorCtor(`Unknown module '${request}'`);
    if (loading.indexOf(name) >= 0) {
      throw new ErrorCtor(`require cycle: ${loading.concat([name]).join(' -> ')}`);
    }
    const module = { exports: {}, id: name, loaded: false };
    loading.push(name);
    try {
      const fn = new FunctionCtor('module', 'exports', 'require', modules[name] + `\n//# sourceURL=${name}.js`);
      fn.call(module.exports, module, module.exports, require);
    } finally {
      loading.pop();
    }
    module.loaded = true;
    moduleCache[name] = module;
    return module.exports;
  }
  global.require = require;

  // ---- host entry points (captured by the host before player code runs, then removed) ----
  const api = {
    // Called once per global reset.
    setup(meta) {
      bindHost();
      username = meta.username;
      roomMaps = ObjectCreate(null);
      modules = meta.modules;
      moduleCache = {};
      memoryString = meta.memory || '';
      memoryParsed = undefined;
    },
    // Called every tick with the tick's metadata and the visible rooms.
    tick(m, ...rooms) {
      // The metadata arrives as a dense array: cheaper to copy into the isolate than an object.
      const meta = { tick: m[0], cpuLimit: m[1], tickLimit: m[2], bucket: m[3], seedHi: m[4], seedLo: m[5], now: m[6], memory: m[7] };
      intentBuf = []; intentCount = 0; intentsDropped = 0; consoleBuf = []; rawMemorySet = false;
      seedRandom(meta.seedHi, meta.seedLo);
      fakeNow = meta.now;
      if (typeof meta.memory === 'string') memoryString = meta.memory;
      memoryParsed = undefined;
      buildGame(meta, rooms);
      const marshalled = host.cpuNow();
      let error = null;
      try {
        const main = require('main');
        if (!main || typeof main.loop !== 'function') throw new ErrorCtor('main module does not export a loop() function');
        main.loop();
      } catch (e) {
        error = e instanceof ErrorCtor ? (e.stack || StringCtor(e)) : ('Uncaught ' + fmt(e));
        consoleBuf.push(error);
      }
      const ran = host.cpuNow();
      flushIntents();
      if (intentsDropped) consoleBuf.push(`[isoshard] ${intentsDropped} intents over the ${MAX_INTENTS} per-tick limit were dropped`);
      let memoryOut = null;
      if (memoryParsed !== undefined && !rawMemorySet) {
        let s;
        try { s = JSONstringify(memoryParsed); } catch (e) { consoleBuf.push('Memory could not be serialized: ' + fmt(e)); }
        if (typeof s === 'string') {
          if (s.length > MEMORY_LIMIT) consoleBuf.push(`Memory is ${s.length} bytes, over the 2 MB limit; not saved`);
          else if (s !== memoryString) { memoryString = s; memoryOut = s; }
        }
      } else if (rawMemorySet) {
        if (memoryString.length > MEMORY_LIMIT) consoleBuf.push(`RawMemory is over the 2 MB limit; not saved`);
        else memoryOut = memoryString;
      }
      flushConsole();
      // The host has the call's total CPU time: collecting is what follows `ran`.
      return { memory: memoryOut, error, marshalNs: marshalled, runNs: ran - marshalled, ranNs: ran };
    },
  };
  ObjectDefine(global, '__isoshard_api', { value: api, configurable: true, enumerable: false, writable: false });
})(globalThis);
