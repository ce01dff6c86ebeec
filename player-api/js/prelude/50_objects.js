  // js/prelude/50_objects.js: Store, RoomObject and the structures. A fragment of one function: the parts are joined in file-name order (player-api/src/lib.rs).
  // ---- store ----
  // Internal fields are symbol-keyed: invisible to for-in, Object.keys and JSON.stringify
  // like non-enumerable properties, but plain stores (defineProperty per object is slow).
  // A store is Screeps' `Store` (screeps/engine src/game/store.js): an own key per resource it
  // holds (none for an empty store), 0 for any other resource (there from the prototype, where
  // for-in and Object.keys do not see it), and the capacity rules of `utils.capacityForResource`:
  // `[CAP_RESOURCE]` is the object's `storeCapacityResource` (a spawn's energy, a lab's energy
  // and mineral), `[CAPACITY]` its `storeCapacity` (a creep's or a storage's total).
  const CAPACITY = Symbol('capacity'), CAP_RESOURCE = Symbol('capacityResource'), OBJECTS = Symbol('objects');
  function makeStore(d) {
    const s = ObjectCreate(Store.prototype);
    const held = d.store;
    if (held) for (const k of ObjectKeys(held)) if (held[k]) s[k] = held[k];
    if (d.storeCapacityResource) s[CAP_RESOURCE] = d.storeCapacityResource;
    if (d.storeCapacity) s[CAPACITY] = d.storeCapacity;
    return s;
  }
  function storeSum(s) { let n = 0; for (const k of ObjectKeys(s)) n += s[k] || 0; return n; }
  // utils.capacityForResource: what this store can hold of `r` in all.
  function capacityFor(s, r) {
    const per = s[CAP_RESOURCE];
    let reserved = 0;
    if (per) for (const k of ObjectKeys(per)) reserved += per[k];
    return (per && per[r]) || MathMax(0, (s[CAPACITY] || 0) - reserved);
  }
  // What counts against `r`'s capacity: the resource alone in a one-resource store, else all.
  function storedAgainst(s, r) { return s[CAP_RESOURCE] ? (s[r] || 0) : storeSum(s); }
  class Store {
    getCapacity(r) {
      if (!r) return this[CAP_RESOURCE] ? null : this[CAPACITY] || null;
      return capacityFor(this, r) || null;
    }
    getUsedCapacity(r) {
      if (!r) return this[CAP_RESOURCE] && capacityFor(this, r) === 0 ? null : storeSum(this);
      return this[r] || (this[CAP_RESOURCE] && capacityFor(this, r) === 0 ? null : 0);
    }
    getFreeCapacity(r) {
      if (capacityFor(this, r) === 0) return null;
      if (!this[CAPACITY]) return this.getCapacity(r) - this.getUsedCapacity(r);
      const cap = this.getCapacity(r);
      if (!cap) return null;
      return this[CAP_RESOURCE] ? cap - this.getUsedCapacity(r) : cap - storeSum(this);
    }
    toString() { return '[store]'; }
  }
  for (const r of C.RESOURCES_ALL) ObjectDefine(Store.prototype, r, { value: 0, writable: true, enumerable: false });
  global.Store = Store;

  // ---- room objects ----
  // Whether the owner hears of attacks (`notifyWhenAttacked`), kept off the enumerable keys
  // as Screeps keeps it in the object's data.
  const QUIET = Symbol('quiet');
  // The end of both `notifyWhenAttacked`s: an intent only when the setting changes.
  function setNotifyWhenAttacked(o, enabled) {
    if (typeof enabled !== 'boolean') return C.ERR_INVALID_ARGS;
    if (enabled === !o[QUIET]) return C.OK;
    addIntent({ type: 'notifyWhenAttacked', object: o.id, enabled });
    o[QUIET] = !enabled;
    return C.OK;
  }
  class RoomObject {
    constructor(d) {
      this.id = d.id;
      this.pos = new RoomPosition(d.x, d.y, d.room);
      if (d.effects) this.effects = d.effects;
      if (d.quiet) this[QUIET] = true;
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
    // screeps/engine utils.checkStructureAgainstController: an owned structure past its room's
    // CONTROLLER_STRUCTURES limit is off, the ones nearest the controller staying on.
    isActive() {
      if (!this.owner) return true;
      const room = this.room, ctl = room && room.controller;
      if (!ctl || ctl.level < 1 || !ctl.owner || ctl.owner.username !== this.owner.username) return false;
      const limits = C.CONTROLLER_STRUCTURES[this.structureType];
      if (!limits) return true;
      let left = limits[ctl.level];
      if (!left) return false;
      if (limits[8] === 1) return true;
      const dist = (o) => MathMax(MathAbs(o.pos.x - ctl.pos.x), MathAbs(o.pos.y - ctl.pos.y));
      const mine = dist(this);
      let foundSelf = false;
      for (const o of room.find(C.FIND_STRUCTURES)) {
        if (o.structureType !== this.structureType || !o.owner || o.owner.username !== this.owner.username) continue;
        const d = dist(o);
        if (d < mine) { if (--left === 0) return false; } else if (!foundSelf && d === mine) {
          if (o === this) foundSelf = true; else if (--left === 0) return false;
        }
      }
      return true;
    }
    destroy() {
      if (!this.room) return C.ERR_INVALID_TARGET;
      if (!this.room.controller || !this.room.controller.my) return C.ERR_NOT_OWNER;
      if (this.room.find(C.FIND_HOSTILE_CREEPS).length > 0) return C.ERR_BUSY;
      addIntent({ type: 'destroyStructure', structure: this.id });
      return C.OK;
    }
  }
  class OwnedStructure extends Structure {
    constructor(d) {
      super(d);
      this.my = d.owner === username;
      this.owner = d.owner === undefined ? undefined : { username: d.owner };
    }
  }
  // A structure that holds energy and shows it the pre-`store` way too (`energy`,
  // `energyCapacity`: spawns, extensions, towers, links, labs, power spawns, nukers).
  function energyProps(o, d) {
    o.store = makeStore(d);
    o.energy = o.store.energy;
    o.energyCapacity = o.store.getCapacity(C.RESOURCE_ENERGY) || 0;
  }
  // spawnCreep's `energyStructures`: the ids of what is listed (an array or an object's
  // values), each once; the energy they hold when switched on (game/structures.js).
  function energyStructureIds(list) {
    const items = ArrayIsArray(list) ? list : (list && typeof list === 'object' ? ObjectKeys(list).map((k) => list[k]) : []);
    const ids = [];
    for (const o of items) { const id = o == null ? undefined : o.id; if (ids.indexOf(id) < 0) ids.push(id); }
    return ids;
  }
  function listedEnergy(ids) {
    let e = 0;
    for (const id of ids) {
      const o = objectsById[id];
      if ((o instanceof StructureSpawn || o instanceof StructureExtension) && o.store && o.isActive()) e += o.store[C.RESOURCE_ENERGY];
    }
    return e;
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
      const directions = opts.directions === undefined ? undefined : spawnDirections(opts.directions);
      if (directions === null) return C.ERR_INVALID_ARGS;
      if (!this.my) return C.ERR_NOT_OWNER;
      if (this.spawning || this._busy) return C.ERR_BUSY;
      if (!this.isActive()) return C.ERR_RCL_NOT_ENOUGH;
      if (!ArrayIsArray(body) || body.length === 0 || body.length > C.MAX_CREEP_SIZE) return C.ERR_INVALID_ARGS;
      let cost = 0;
      for (const p of body) {
        if (!(p in C.BODYPART_COST)) return C.ERR_INVALID_ARGS;
        cost += C.BODYPART_COST[p];
      }
      const room = this.room;
      // `_.uniq(_.map(options.energyStructures, 'id'))`, then calcEnergyAvailable over them.
      const from = opts.energyStructures ? energyStructureIds(opts.energyStructures) : undefined;
      const available = from ? listedEnergy(from) : room.energyAvailable;
      if (available < cost) return C.ERR_NOT_ENOUGH_ENERGY;
      if (opts.dryRun) return C.OK;
      const intent = { type: 'spawnCreep', spawn: this.id, body: body.slice(), name };
      if (from) intent.energyStructures = from.filter((id) => typeof id === 'string').slice(0, 100);
      if (!addIntent(intent)) return C.ERR_BUSY;
      if (directions) addIntent({ type: 'setSpawnDirections', spawn: this.id, directions });
      this._busy = true;
      room._energySpent = (room._energySpent || 0) + cost;
      createdCreeps[name] = true;
      const m = Memory; if (!m.creeps || typeof m.creeps !== 'object') m.creeps = {};
      m.creeps[name] = opts.memory || m.creeps[name] || {};
      const creep = new Creep({ id: undefined, x: this.pos.x, y: this.pos.y, room: this.pos.roomName, owner: username,
        name, body: body.map((t) => ({ type: t, hits: 100 })), store: {},
        storeCapacity: body.filter((t) => t === 'carry').length * 50, fatigue: 0, ticksToLive: C.CREEP_LIFE_TIME,
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
    // game/structures.js, checks in its order.
    renewCreep(target) {
      if (this.spawning) return C.ERR_BUSY;
      if (!target || !target.id || !(target instanceof Creep) || target.spawning ||
        target.body.some((p) => p.type === C.CLAIM)) return C.ERR_INVALID_TARGET;
      if (!this.my || !target.my) return C.ERR_NOT_OWNER;
      if (!this.isActive()) return C.ERR_RCL_NOT_ENOUGH;
      if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
      const parts = target.body.length, cost = target.body.reduce((a, p) => a + C.BODYPART_COST[p.type], 0);
      if (this.room.energyAvailable < MathCeil(C.SPAWN_RENEW_RATIO * cost / C.CREEP_SPAWN_TIME / parts)) return C.ERR_NOT_ENOUGH_ENERGY;
      if (target.ticksToLive + MathFloor(C.SPAWN_RENEW_RATIO * C.CREEP_LIFE_TIME / C.CREEP_SPAWN_TIME / parts) > C.CREEP_LIFE_TIME) return C.ERR_FULL;
      addIntent({ type: 'renewCreep', spawn: this.id, target: target.id });
      return C.OK;
    }
    recycleCreep(target) {
      if (!this.my) return C.ERR_NOT_OWNER;
      if (!target || !target.id || !(target instanceof Creep) || target.spawning) return C.ERR_INVALID_TARGET;
      if (!this.isActive()) return C.ERR_RCL_NOT_ENOUGH;
      if (!target.my) return C.ERR_NOT_OWNER;
      if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
      addIntent({ type: 'recycleCreep', spawn: this.id, target: target.id });
      return C.OK;
    }
  }
  StructureSpawn.Spawning = class Spawning {
    constructor(spawn, j) {
      this.name = j.name; this.needTime = j.needTime; this.remainingTime = j.remainingTime;
      if (j.directions) this.directions = j.directions;
      ObjectDefine(this, 'spawn', { value: spawn, enumerable: false });
    }
    // game/structures.js, checks in its order.
    setDirections(directions) {
      if (!this.spawn.my) return C.ERR_NOT_OWNER;
      const dirs = spawnDirections(directions);
      if (!dirs) return C.ERR_INVALID_ARGS;
      addIntent({ type: 'setSpawnDirections', spawn: this.spawn.id, directions: dirs });
      return C.OK;
    }
    cancel() {
      if (!this.spawn.my) return C.ERR_NOT_OWNER;
      addIntent({ type: 'cancelSpawning', spawn: this.spawn.id });
      return C.OK;
    }
  };
  // spawnCreep's and setDirections' rule: an array of integers 1-8, duplicates dropped.
  function spawnDirections(directions) {
    if (!ArrayIsArray(directions)) return null;
    const out = [];
    for (const d of directions) { const n = +d; if (out.indexOf(n) < 0) out.push(n); }
    if (out.length === 0 || !out.every((n) => n >= 1 && n <= 8 && n === (n | 0))) return null;
    return out;
  }
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
      this.ticksToDowngrade = d.ticksToDowngrade; this.upgradeBlocked = d.upgradeBlocked; this.safeMode = d.safeMode;
      this.safeModeAvailable = d.safeModeAvailable || 0; this.safeModeCooldown = d.safeModeCooldown;
      this.reservation = d.reservation ? { username: d.reservation.username, ticksToEnd: d.reservation.ticksToEnd } : undefined;
      // Screeps' sign carries a wall-clock datetime; this world's clock is the tick's (Date.now()).
      this.sign = d.sign ? { username: d.sign.username, text: d.sign.text, time: d.sign.time,
        datetime: new Date(fakeNow - (Game.time - d.sign.time) * 1000) } : undefined;
      this.isPowerEnabled = false;
      if (this.owner === undefined) this.my = false;
    }
    // game/structures.js, checks in its order.
    unclaim() {
      if (!this.my) return C.ERR_NOT_OWNER;
      addIntent({ type: 'unclaim', controller: this.id });
      return C.OK;
    }
    activateSafeMode() {
      if (!this.my) return C.ERR_NOT_OWNER;
      if (this.safeModeAvailable <= 0) return C.ERR_NOT_ENOUGH_RESOURCES;
      if (this.safeModeCooldown || this.upgradeBlocked > 0 ||
        this.ticksToDowngrade < C.CONTROLLER_DOWNGRADE[this.level] / 2 - C.CONTROLLER_DOWNGRADE_SAFEMODE_THRESHOLD) return C.ERR_TIRED;
      for (const id in Game.structures) {
        const s = Game.structures[id];
        if (s instanceof StructureController && s.safeMode) return C.ERR_BUSY;
      }
      addIntent({ type: 'activateSafeMode', controller: this.id });
      return C.OK;
    }
  }
  class StructureLink extends OwnedStructure {
    constructor(d) { super(d); energyProps(this, d); this.cooldown = d.cooldown || 0; }
    // game/structures.js, checks in its order.
    transferEnergy(target, amount) {
      if (amount < 0) return C.ERR_INVALID_ARGS;
      if (!target || !target.id || !(target instanceof StructureLink) || target === this) return C.ERR_INVALID_TARGET;
      if (!target.my || !this.my) return C.ERR_NOT_OWNER;
      if (this.cooldown > 0) return C.ERR_TIRED;
      if (!this.room.controller || !this.isActive()) return C.ERR_RCL_NOT_ENOUGH;
      if (!this.store.energy) return C.ERR_NOT_ENOUGH_ENERGY;
      const free = target.store.getFreeCapacity(C.RESOURCE_ENERGY);
      if (!amount) amount = MathMin(this.store.energy, free);
      if (this.store.energy < amount) return C.ERR_NOT_ENOUGH_ENERGY;
      if (amount > free) return C.ERR_FULL;
      if (target.pos.roomName !== this.pos.roomName) return C.ERR_NOT_IN_RANGE;
      addIntent({ type: 'transferEnergy', link: this.id, target: target.id, amount });
      return C.OK;
    }
  }
  class StructureRampart extends OwnedStructure {
    constructor(d) { super(d); this.isPublic = !!d.isPublic; this.ticksToDecay = d.ticksToDecay; }
    setPublic(isPublic) {
      if (!this.my) return C.ERR_NOT_OWNER;
      addIntent({ type: 'setPublic', rampart: this.id, isPublic: !!isPublic });
      return C.OK;
    }
  }
  class StructureStorage extends OwnedStructure {
    constructor(d) { super(d); this.store = makeStore(d); this.storeCapacity = d.storeCapacity; }
  }
  class StructureRoad extends Structure { constructor(d) { super(d); this.ticksToDecay = d.ticksToDecay; } }
  class StructureWall extends Structure {}
  class StructureContainer extends Structure {
    constructor(d) { super(d); this.store = makeStore(d); this.ticksToDecay = d.ticksToDecay; this.storeCapacity = d.storeCapacity; }
  }
  Object.assign(global, { Structure, OwnedStructure, StructureSpawn, StructureExtension, StructureTower, StructureLink,
    StructureRampart,
    StructureController, StructureStorage, StructureRoad, StructureWall, StructureContainer });

  class Source extends RoomObject {
    constructor(d) { super(d); this.energy = d.energy; this.energyCapacity = d.energyCapacity; this.ticksToRegeneration = d.ticksToRegeneration; }
  }
  class Mineral extends RoomObject {
    constructor(d) {
      super(d); this.mineralType = d.mineralType; this.mineralAmount = d.mineralAmount; this.density = d.density;
      this.ticksToRegeneration = d.ticksToRegeneration;
    }
  }
  class StructureExtractor extends OwnedStructure { constructor(d) { super(d); this.cooldown = d.cooldown || 0; } }
  global.StructureExtractor = StructureExtractor;
  class ConstructionSite extends RoomObject {
    constructor(d) {
      super(d);
      this.structureType = d.structureType; this.progress = d.progress; this.progressTotal = d.progressTotal;
      this.my = d.owner === username; this.owner = d.owner === undefined ? undefined : { username: d.owner };
    }
    remove() {
      const ctl = this.room && this.room.controller;
      if (!this.my && !(ctl && ctl.my)) return C.ERR_NOT_OWNER;
      addIntent({ type: 'removeConstructionSite', site: this.id });
      return C.OK;
    }
  }
  class Resource extends RoomObject {
    constructor(d) {
      super(d); this.resourceType = d.resourceType || C.RESOURCE_ENERGY; this.amount = d.amount;
      if (this.resourceType === C.RESOURCE_ENERGY) this.energy = d.amount;
    }
  }
  class Tombstone extends RoomObject {
    constructor(d) {
      super(d);
      this.deathTime = d.deathTime; this.ticksToDecay = d.ticksToDecay; this.store = makeStore(d);
      this.creep = { name: d.creepName };
    }
  }
  Object.assign(global, { Source, Mineral, ConstructionSite, Resource, Energy: Resource, Tombstone });
