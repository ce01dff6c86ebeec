  // js/prelude/70_rooms.js: Room, terrain, visuals, decoding the room wire. A fragment of one function: the parts are joined in file-name order (player-api/src/lib.rs).
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
