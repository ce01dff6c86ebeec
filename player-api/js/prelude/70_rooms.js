  // js/prelude/70_rooms.js: Room, terrain, visuals, decoding the room wire. A fragment of one function: the parts are joined in file-name order (player-api/src/lib.rs).
  // ---- rooms ----
  const EXIT_SIDES = { 1: 'top', 3: 'right', 5: 'bottom', 7: 'left' };
  class RoomTerrain {
    constructor(name) { this._t = terrainOf(name); }
    get(x, y) { const c = this._t.charCodeAt(y * 50 + x) - 48; return c === 1 ? 1 : c === 2 ? 2 : 0; }
    getRawBuffer() { const b = new Uint8Array(2500); for (let i = 0; i < 2500; i++) b[i] = this.get(i % 50, (i / 50) | 0); return b; }
  }
  // ---- visuals: screeps/engine src/game/rooms.js RoomVisual, map.js Game.map.visual and
  // console.js addVisual: each draw call is a JSON line in the room's (or "map"'s) text for this
  // tick, at most 500 KB per room and 1 000 KB for the map, else the call throws as on Screeps.
  let visuals = ObjectCreate(null);
  function addVisual(roomName, data) {
    roomName = roomName || '';
    if (!data) return;
    const limit = roomName === 'map' ? 1000 : 500;
    const text = typeof data === 'string' ? data : JSONstringify(data) + '\n';
    const have = visuals[roomName] || '';
    if (have.length + text.length > limit * 1024) {
      if (roomName === 'map') throw new ErrorCtor(`MapVisual size has exceeded ${limit} KB limit`);
      throw new ErrorCtor(`RoomVisual size in room ${roomName} has exceeded ${limit} KB limit`);
    }
    // Screeps bounds each room but not their number; this server also bounds the tick's
    // visuals in all rooms together, so drawing in a thousand rooms cannot bloat the shard.
    if (visualBytes + text.length > MAX_VISUAL_BYTES) {
      throw new ErrorCtor(`RoomVisual size in all rooms together has exceeded ${MAX_VISUAL_BYTES / 1024} KB limit`);
    }
    visualBytes += text.length + (have ? 0 : roomName.length);
    visuals[roomName] = have + text;
  }
  function clearVisual(roomName) { visualBytes -= (visuals[roomName] || '').length; visuals[roomName] = ''; }
  const MAX_VISUAL_BYTES = 2048 * 1024;
  let visualBytes = 0;
  // This tick's visuals as [room, text, room, text, ...] (rooms drawn in, cleared ones left out),
  // and a fresh start for the next tick.
  function takeVisuals() {
    const out = [];
    for (const room of ObjectKeys(visuals)) if (visuals[room]) out.push(room, visuals[room]);
    visuals = ObjectCreate(null); visualBytes = 0;
    return out;
  }
  class RoomVisual {
    constructor(roomName) { this.roomName = roomName; }
    circle(x, y, style) {
      if (typeof x === 'object') { style = y; y = x.y; x = x.x; }
      addVisual(this.roomName, { t: 'c', x, y, s: style });
      return this;
    }
    line(x1, y1, x2, y2, style) {
      if (typeof x1 === 'object' && typeof y1 === 'object') { style = x2; x2 = y1.x; y2 = y1.y; y1 = x1.y; x1 = x1.x; }
      addVisual(this.roomName, { t: 'l', x1, y1, x2, y2, s: style });
      return this;
    }
    rect(x, y, w, h, style) {
      if (typeof x === 'object') { style = h; h = w; w = y; y = x.y; x = x.x; }
      addVisual(this.roomName, { t: 'r', x, y, w, h, s: style });
      return this;
    }
    poly(points, style) {
      if (ArrayIsArray(points) && points.some((p) => p)) {
        addVisual(this.roomName, { t: 'p', points: points.map((i) => (i.x !== undefined ? [i.x, i.y] : i)), s: style });
      }
      return this;
    }
    text(text, x, y, style) {
      if (typeof x === 'object') { style = y; y = x.y; x = x.x; }
      addVisual(this.roomName, { t: 't', text, x, y, s: style });
      return this;
    }
    getSize() { return (visuals[this.roomName || ''] || '').length; }
    clear() { clearVisual(this.roomName || ''); return this; }
    export() { return visuals[this.roomName || '']; }
    import(data) { addVisual(this.roomName, '' + data); return this; }
  }
  function mapPos(p, what) {
    if (!(p instanceof RoomPosition)) throw new ErrorCtor(`Invalid ${what}, RoomPosition expected`);
    return p;
  }
  const mapVisual = {
    circle(pos, style) { mapPos(pos, 'pos'); addVisual('map', { t: 'c', x: pos.x, y: pos.y, n: pos.roomName, s: style || {} }); return this; },
    line(p1, p2, style) {
      mapPos(p1, 'pos1'); mapPos(p2, 'pos2');
      addVisual('map', { t: 'l', x1: p1.x, y1: p1.y, n1: p1.roomName, x2: p2.x, y2: p2.y, n2: p2.roomName, s: style || {} });
      return this;
    },
    rect(pos, w, h, style) { mapPos(pos, 'pos'); addVisual('map', { t: 'r', x: pos.x, y: pos.y, n: pos.roomName, w, h, s: style || {} }); return this; },
    poly(points, style) {
      if (ArrayIsArray(points) && points.some((p) => p)) {
        addVisual('map', { t: 'p', points: points.map((i) => { const p = i.pos || i; return { x: p.x, y: p.y, n: p.roomName }; }), s: style || {} });
      }
      return this;
    },
    text(text, pos, style) { mapPos(pos, 'pos '); addVisual('map', { t: 't', text, x: pos.x, y: pos.y, n: pos.roomName, s: style || {} }); return this; },
    clear() { clearVisual('map'); return this; },
    getSize() { return (visuals.map || '').length; },
    export() { return visuals.map; },
    import(data) { addVisual('map', '' + data); return this; },
  };
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
    // game.js: the player's spawns and extensions that are not switched off (`isActive`),
    // counted once a tick per room.
    _energyHolders() {
      if (!this._holders) {
        this._holders = this[OBJECTS].filter((o) =>
          (o instanceof StructureSpawn || o instanceof StructureExtension) && o.my && o.isActive());
      }
      return this._holders;
    }
    get energyAvailable() {
      let e = 0;
      for (const o of this._energyHolders()) e += o.energy;
      return e - (this._energySpent || 0);
    }
    get energyCapacityAvailable() {
      let e = 0;
      for (const o of this._energyHolders()) e += o.energyCapacity;
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
        // rooms.js: structures with a user; a power bank has none (its owner is only shown).
        case C.FIND_HOSTILE_STRUCTURES:
          list = all.filter((o) => o instanceof OwnedStructure && o.owner && !o.my && !(o instanceof StructurePowerBank)); break;
        case C.FIND_CONSTRUCTION_SITES: list = all.filter((o) => o instanceof ConstructionSite); break;
        case C.FIND_MY_CONSTRUCTION_SITES: list = all.filter((o) => o instanceof ConstructionSite && o.my); break;
        case C.FIND_HOSTILE_CONSTRUCTION_SITES: list = all.filter((o) => o instanceof ConstructionSite && !o.my); break;
        case C.FIND_MY_SPAWNS: list = all.filter((o) => o instanceof StructureSpawn && o.my); break;
        case C.FIND_HOSTILE_SPAWNS: list = all.filter((o) => o instanceof StructureSpawn && !o.my); break;
        case C.FIND_MINERALS: list = all.filter((o) => o instanceof Mineral); break;
        case C.FIND_TOMBSTONES: list = all.filter((o) => o instanceof Tombstone); break;
        case C.FIND_RUINS: list = all.filter((o) => o instanceof Ruin); break;
        case C.FIND_NUKES: list = all.filter((o) => o instanceof Nuke); break;
        case C.FIND_DEPOSITS: list = all.filter((o) => o instanceof Deposit); break;
        case C.FIND_FLAGS: list = all.filter((o) => o instanceof Flag); break;
        case C.FIND_POWER_CREEPS: list = all.filter((o) => o instanceof PowerCreep); break;
        case C.FIND_MY_POWER_CREEPS: list = all.filter((o) => o instanceof PowerCreep && o.my); break;
        case C.FIND_HOSTILE_POWER_CREEPS: list = all.filter((o) => o instanceof PowerCreep && !o.my); break;
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
    findExitTo(room) { return mapMethods.findExit(this.name, room); }
    getPositionAt(x, y) { return x >= 0 && x < 50 && y >= 0 && y < 50 ? new RoomPosition(x, y, this.name) : null; }
    getTerrain() { return new RoomTerrain(this.name); }
    lookForAt(type, x, y) {
      const p = typeof x === 'object' ? toPos(x) : { x, y };
      if (type === C.LOOK_TERRAIN) { const v = new RoomTerrain(this.name).get(p.x, p.y); return [v === 1 ? 'wall' : v === 2 ? 'swamp' : 'plain']; }
      if (LOOK_TYPES.indexOf(type) < 0) return C.ERR_INVALID_ARGS;
      return this[OBJECTS].filter((o) => o.pos.x === p.x && o.pos.y === p.y && isLook(o, type));
    }
    lookAt(x, y) {
      const p = typeof x === 'object' ? toPos(x) : { x, y };
      const out = this[OBJECTS].filter((o) => o.pos.x === p.x && o.pos.y === p.y).map((o) => ({ type: lookType(o), [lookType(o)]: o }));
      const t = this.lookForAt(C.LOOK_TERRAIN, p.x, p.y)[0];
      out.push({ type: 'terrain', terrain: t });
      return out;
    }
    findPath(fromPos, toPos, opts) {
      if (fromPos.roomName != this.name) return opts && opts.serialize ? '' : [];
      return findPath2(this.name, fromPos, toPos, opts);
    }
    // screeps/engine src/game/rooms.js `createConstructionSite`, check for check; a structure
    // type this world does not build throws (55_unmodelled.js) rather than pretend.
    createConstructionSite(a, b, type, name) {
      const [x, y] = xyArgs(a, b);
      if (x === undefined || y === undefined || !(x >= 0 && x <= 49 && y >= 0 && y <= 49)) return C.ERR_INVALID_ARGS;
      if (typeof b === 'string' && type === undefined) type = b;
      if (!C.CONSTRUCTION_COST[type]) return C.ERR_INVALID_ARGS;
      if (MODELLED_STRUCTURES.indexOf(type) < 0) unsupported(`Building a '${type}'`);
      if (type === C.STRUCTURE_SPAWN && typeof name === 'string') {
        if (name.length > 100 || ObjectKeys(Game.spawns).indexOf(name) >= 0) return C.ERR_INVALID_ARGS;
      }
      const ctl = this.controller;
      if (ctl && ctl.level > 0 && !ctl.my) return C.ERR_NOT_OWNER;
      const level = ctl && ctl.level && ctl.owner ? ctl.level : 0;
      const have = this[OBJECTS].filter((o) => o.structureType === type).length;
      if (!(have < C.CONTROLLER_STRUCTURES[type][level])) return C.ERR_RCL_NOT_ENOUGH;
      if (!siteFits(this, type, x, y)) return C.ERR_INVALID_TARGET;
      if (ObjectKeys(Game.constructionSites).length + pendingSites.length >= C.MAX_CONSTRUCTION_SITES) return C.ERR_FULL;
      if (!addIntent({ type: 'createConstructionSite', room: this.name, x, y, structure: type })) return C.ERR_FULL;
      pendingSites.push({ room: this.name, type });
      return C.OK;
    }
    createFlag(firstArg, secondArg, name, color, secondaryColor) {
      return createFlagIn(this, firstArg, secondArg, name, color, secondaryColor);
    }
    lookAtArea(top, left, bottom, right, asArray) { return lookArea(this, null, top, left, bottom, right, asArray); }
    lookForAtArea(type, top, left, bottom, right, asArray) { return lookArea(this, type, top, left, bottom, right, asArray); }
    toString() { return `[room ${this.name}]`; }
  }
  Room.Terrain = RoomTerrain;
  Room.serializePath = serializePath;
  Room.deserializePath = deserializePath;
  global.Room = Room;
  // Room.getEventLog: what happened in the room during the last tick, as screeps/engine's
  // processor records it ({event, objectId, data}); `raw` gives the JSON text.
  const EVENTS = Symbol('events');
  ObjectDefine(Room.prototype, 'getEventLog', {
    value: function getEventLog(raw) {
      // As screeps/engine: the parsed log is one array for the tick, the raw one its text.
      const events = this[EVENTS] || [];
      return raw ? JSONstringify(events) : events;
    },
    writable: true, configurable: true, enumerable: false,
  });
  function lookType(o) {
    if (o instanceof Creep) return 'creep';
    if (o instanceof Structure) return 'structure';
    if (o instanceof Source) return 'source';
    if (o instanceof Mineral) return 'mineral';
    if (o instanceof ConstructionSite) return 'constructionSite';
    if (o instanceof Resource) return 'resource';
    if (o instanceof Tombstone) return 'tombstone';
    if (o instanceof Ruin) return 'ruin';
    if (o instanceof Flag) return 'flag';
    if (o instanceof Nuke) return 'nuke';
    if (o instanceof Deposit) return 'deposit';
    if (o instanceof PowerCreep) return 'powerCreep';
    return 'unknown';
  }
  // LOOK_ENERGY is Screeps' older name for dropped energy: the same objects as LOOK_RESOURCES.
  function isLook(o, type) { const t = lookType(o); return t === type || (type === C.LOOK_ENERGY && t === 'resource'); }
  const LOOK_TYPES = ['creep', 'energy', 'resource', 'source', 'mineral', 'deposit', 'structure', 'flag',
    'constructionSite', 'terrain', 'nuke', 'tombstone', 'ruin', 'powerCreep'];
  function terrainName(room, x, y) { const v = new RoomTerrain(room.name).get(x, y); return v & 1 ? 'wall' : v & 2 ? 'swamp' : 'plain'; }
  // utils.checkConstructionSite, over the room's objects and its terrain.
  function siteFits(room, type, x, y) {
    const t = new RoomTerrain(room.name);
    if (type !== 'road' && type !== 'container' && (x === 1 || x === 48 || y === 1 || y === 48)) {
      // utils.checkConstructionSite assigns for x === 1, x === 48, y === 1, y === 48 in turn:
      // the last that matches wins.
      const border = y === 48 ? [[x - 1, 49], [x, 49], [x + 1, 49]] : y === 1 ? [[x - 1, 0], [x, 0], [x + 1, 0]]
        : x === 48 ? [[49, y - 1], [49, y], [49, y + 1]] : [[0, y - 1], [0, y], [0, y + 1]];
      for (const [bx, by] of border) if (!(t.get(bx, by) & C.TERRAIN_MASK_WALL)) return false;
    }
    if (type !== 'road' && type !== 'extractor' && t.get(x, y) & C.TERRAIN_MASK_WALL) return false;
    const here = room[OBJECTS].filter((o) => o.pos.x === x && o.pos.y === y);
    if (here.some((o) => o.structureType === type && !(o instanceof ConstructionSite))) return false;
    if (here.some((o) => o instanceof ConstructionSite)) return false;
    if (type === 'extractor') return here.some((o) => o instanceof Mineral) && !here.some((o) => o.structureType === 'extractor');
    if (type !== 'rampart' && type !== 'road' && here.some((o) => o instanceof Structure && o.structureType !== 'rampart' &&
      o.structureType !== 'road' && C.CONSTRUCTION_COST[o.structureType])) return false;
    return x > 0 && y > 0 && x < 49 && y < 49;
  }
  // Room.lookAtArea (type null: every look type, entries `{type, [type]: o}`) and
  // Room.lookForAtArea (entries are the objects): `{y: {x: [...]}}`, or with `asArray` a flat
  // list of entries carrying x and y, as screeps/engine's `_lookAreaMixedRegister` builds them.
  function lookArea(room, only, top, left, bottom, right, asArray) {
    const result = asArray ? [] : {};
    if (!asArray) {
      for (let y = top; y <= bottom; y++) {
        result[y] = {};
        if (only === null) for (let x = left; x <= right; x++) result[y][x] = [];
      }
    }
    const inside = (p) => p.y >= top && p.y <= bottom && p.x >= left && p.x <= right;
    for (const type of only === null ? LOOK_TYPES : [only]) {
      if (type === 'terrain') {
        for (let y = top; y <= bottom; y++) {
          for (let x = left; x <= right; x++) {
            const terrain = terrainName(room, x, y);
            if (asArray) result.push(only === null ? { type, terrain, x, y } : { x, y, terrain });
            else if (only === null) result[y][x].push({ type, terrain });
            else result[y][x] = [terrain];
          }
        }
        continue;
      }
      for (const o of room[OBJECTS]) {
        if (!isLook(o, type) || !inside(o.pos)) continue;
        const { x, y } = o.pos;
        if (asArray) result.push(only === null ? { x, y, type, [type]: o } : { x, y, [type]: o });
        else if (only === null) result[y][x].push({ type, [type]: o });
        else (result[y][x] = result[y][x] || []).push(o);
      }
    }
    return result;
  }
  // utils.serializePath / deserializePath: the first step's x and y as two digits each, then
  // each step's direction.
  function serializePath(path) {
    if (!ArrayIsArray(path)) throw new ErrorCtor('path is not an array');
    if (!path.length) return '';
    if (path[0].x < 0 || path[0].y < 0) throw new ErrorCtor('path coordinates cannot be negative');
    let out = (path[0].x > 9 ? '' : '0') + path[0].x + (path[0].y > 9 ? '' : '0') + path[0].y;
    for (let i = 0; i < path.length; i++) out += path[i].direction;
    return out;
  }
  function deserializePath(str) {
    if (typeof str !== 'string') throw new ErrorCtor('`path` is not a string');
    const out = [];
    if (!str.length) return out;
    let x = parseInt(str.substring(0, 2), 10), y = parseInt(str.substring(2, 4), 10);
    if (x !== x || y !== y) throw new ErrorCtor('`path` is not a valid serialized path string');
    for (let i = 4; i < str.length; i++) {
      const direction = parseInt(str.charAt(i), 10);
      const d = DIRS[direction];
      if (!d) throw new ErrorCtor('`path` is not a valid serialized path string');
      if (i > 4) { x += d[0]; y += d[1]; }
      out.push({ x, y, dx: d[0], dy: d[1], direction });
    }
    return out;
  }

  // A room arrives as positional JSON (player-api/src/room_wire.rs: `[name, tick, [object...]]`,
  // an object's fields in FIELDS order, null when absent); each object becomes the plain
  // record the constructors read. Positions keep the room's text free of property names.
  // `[type, hits, ...]`, or for a boosted creep `[3, type, hits, boost, ...]` (room_wire.rs).
  function decodeBody(flat) {
    if (flat == null) return undefined;
    const parts = [];
    if (flat[0] === 3) {
      for (let i = 1; i + 2 < flat.length; i += 3) {
        const part = { type: flat[i], hits: flat[i + 1] };
        if (flat[i + 2] != null) part.boost = flat[i + 2];
        parts.push(part);
      }
      return parts;
    }
    for (let i = 0; i + 1 < flat.length; i += 2) parts.push({ type: flat[i], hits: flat[i + 1] });
    return parts;
  }
  // `[resource, amount, ...]` -> `{resource: amount}`.
  function decodeAmounts(flat) {
    if (flat == null) return undefined;
    const out = {};
    for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]] = flat[i + 1];
    return out;
  }
  function decodeSpawnJob(j) {
    return j == null ? undefined : { name: j[0], needTime: j[1], remainingTime: j[2], directions: j[3] };
  }
  // `[effect, ticksRemaining, ...]` -> RoomObject.effects (rooms.js keeps those with ticks left).
  function decodeEffects(flat) {
    if (flat == null) return undefined;
    const out = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      if (flat[i + 1] > 0) out.push({ effect: flat[i], power: flat[i], level: undefined, ticksRemaining: flat[i + 1] });
    }
    return out;
  }
  // `ageTime` and `downgradeTime` arrive as game times (a view that only aged is not sent
  // anew); the API shows them as ticks left at the room's `time`.
  function decodeObject(a, room, time) {
    return {
      id: a[0], type: a[1], x: a[2], y: a[3], room, owner: a[4] ?? undefined,
      hits: a[5] ?? undefined, hitsMax: a[6] ?? undefined,
      store: decodeAmounts(a[7]), storeCapacity: a[8] ?? undefined,
      storeCapacityResource: decodeAmounts(a[9]), name: a[10] ?? undefined, body: decodeBody(a[11]),
      fatigue: a[12] ?? undefined, ticksToLive: a[13] == null ? undefined : a[13] - time, spawning: a[14] ?? undefined,
      spawnJob: decodeSpawnJob(a[15]), saying: a[16] ?? undefined, sayingPublic: a[17] ?? undefined,
      structureType: a[18] ?? undefined, level: a[19] ?? undefined, progress: a[20] ?? undefined,
      progressTotal: a[21] ?? undefined, ticksToDowngrade: a[22] == null ? undefined : a[22] - time,
      ticksToRegeneration: a[23] ?? undefined, resourceType: a[24] ?? undefined,
      amount: a[25] ?? undefined, mineralType: a[26] ?? undefined, mineralAmount: a[27] ?? undefined,
      deathTime: a[28] ?? undefined, ticksToDecay: a[29] ?? undefined, creepName: a[30] ?? undefined,
      reservation: a[31] ? { username: a[31][0], ticksToEnd: a[31][1] } : undefined,
      safeMode: a[32] ?? undefined, safeModeAvailable: a[33] ?? undefined, safeModeCooldown: a[34] ?? undefined,
      upgradeBlocked: a[35] ?? undefined, sign: a[36] ? { username: a[36][0], text: a[36][1], time: a[36][2] } : undefined,
      cooldown: a[37] ?? undefined, isPublic: a[38] ?? undefined,
      ruinStructure: a[39] ? { id: a[39][0], structureType: a[39][1], hits: 0, hitsMax: a[39][2],
        owner: a[39][3] ? { username: a[39][3] } : undefined } : undefined, destroyTime: a[40] ?? undefined,
      energy: a[41] ?? undefined, energyCapacity: a[42] ?? undefined, density: a[43] ?? undefined,
      quiet: a[44] ?? undefined, timeToLand: a[45] ?? undefined, launchRoomName: a[46] ?? undefined,
      effects: decodeEffects(a[47]), depositType: a[48] ?? undefined, lastCooldown: a[49] ?? undefined,
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
      case 'link': return new StructureLink(d);
      case 'rampart': return new StructureRampart(d);
      case 'road': return new StructureRoad(d);
      case 'constructedWall': return new StructureWall(d);
      case 'container': return new StructureContainer(d);
      case 'source': return new Source(d);
      case 'mineral': return new Mineral(d);
      case 'constructionSite': return new ConstructionSite(d);
      case 'energy': return new Resource(d);
      case 'tombstone': return new Tombstone(d);
      case 'ruin': return new Ruin(d);
      case 'extractor': return new StructureExtractor(d);
      case 'lab': return new StructureLab(d);
      case 'terminal': return new StructureTerminal(d);
      case 'observer': return new StructureObserver(d);
      case 'powerSpawn': return new StructurePowerSpawn(d);
      case 'nuker': return new StructureNuker(d);
      case 'keeperLair': return new StructureKeeperLair(d);
      case 'invaderCore': return new StructureInvaderCore(d);
      case 'powerBank': return new StructurePowerBank(d);
      case 'deposit': return new Deposit(d);
      case 'factory': return new StructureFactory(d);
      case 'nuke': return new Nuke(d);
      default: return null;
    }
  }
