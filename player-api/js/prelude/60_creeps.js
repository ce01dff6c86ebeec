  // js/prelude/60_creeps.js: Creep. A fragment of one function: the parts are joined in file-name order (player-api/src/lib.rs).
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
      this.store = makeStore(d);
      this.carry = this.store;
      this.carryCapacity = d.storeCapacity || 0;
    }
    get memory() {
      const m = Memory; if (!m.creeps || typeof m.creeps !== 'object') m.creeps = {};
      if (!m.creeps[this.name]) m.creeps[this.name] = {};
      return m.creeps[this.name];
    }
    set memory(v) { const m = Memory; if (!m.creeps) m.creeps = {}; m.creeps[this.name] = v; }
    getActiveBodyparts(type) { return active(this, type); }
    _base() { if (!this.my) return C.ERR_NOT_OWNER; if (this.spawning) return C.ERR_BUSY; return C.OK; }
    // In another player's safe mode, hostile actions answer an error (game/creeps.js).
    _hostileSafeMode() { const c = this.room && this.room.controller; return !!(c && !c.my && c.safeMode); }
    // game/creeps.js: `move(creep)` (how a pulled creep follows) checks only adjacency.
    move(direction) {
      const b = this._base(); if (b) return b;
      if (direction && direction instanceof Creep) {
        if (!direction.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
        addIntent({ type: 'moveToCreep', creep: this.id, target: direction.id });
        return C.OK;
      }
      if (this.fatigue > 0) return C.ERR_TIRED;
      if (!active(this, C.MOVE)) return C.ERR_NO_BODYPART;
      direction = +direction;
      if (!(direction >= 1 && direction <= 8) || direction !== (direction | 0)) return C.ERR_INVALID_ARGS;
      addIntent({ type: 'move', creep: this.id, direction });
      return C.OK;
    }
    // creeps.js `moveTo`: the path kept in `memory._move` ({dest: {x, y, room}, time, path,
    // room}, the path serialized unless `serializeMemory: false`) is followed for
    // `reusePath` ticks (5), then searched again.
    moveTo(firstArg, secondArg, opts) {
      let visualized = false;
      if (!this.my) return C.ERR_NOT_OWNER;
      if (this.spawning) return C.ERR_BUSY;
      if (isObjectLike(firstArg)) opts = shallowClone(secondArg);
      opts = opts || {};
      if (this.fatigue > 0 && !opts.visualizePathStyle) return C.ERR_TIRED;
      if (!active(this, C.MOVE)) return C.ERR_NO_BODYPART;
      let [x, y, roomName] = fetchXY(firstArg, secondArg);
      roomName = roomName || this.pos.roomName;
      if (x === undefined || y === undefined) return C.ERR_INVALID_TARGET;
      const targetPos = new RoomPosition(x, y, roomName);
      if (opts.reusePath === undefined) opts.reusePath = 5;
      if (opts.serializeMemory === undefined) opts.serializeMemory = true;
      if (opts.visualizePathStyle) {
        const d = { fill: 'transparent', stroke: '#fff', lineStyle: 'dashed', strokeWidth: .15, opacity: .1 };
        for (const k of ObjectKeys(d)) if (opts.visualizePathStyle[k] === undefined) opts.visualizePathStyle[k] = d[k];
      }
      if (x == this.pos.x && y == this.pos.y && roomName == this.pos.roomName) return C.OK;
      const memory = this.memory;
      if (opts.reusePath && isObjectLike(memory) && memory._move) {
        const move = memory._move;
        if (Game.time > move.time + parseInt(opts.reusePath, 10) || move.room != this.pos.roomName) {
          delete memory._move;
        } else if (move.dest.room == roomName && move.dest.x == x && move.dest.y == y) {
          const path = typeof move.path === 'string' ? deserializePath(move.path) : move.path;
          const idx = path.findIndex((s) => s.x === this.pos.x && s.y === this.pos.y);
          if (idx != -1) {
            path.splice(0, idx + 1);
            move.path = opts.serializeMemory ? serializePath(path) : path;
          }
          if (path.length == 0) return this.pos.isNearTo(targetPos) ? C.OK : C.ERR_NO_PATH;
          if (opts.visualizePathStyle) { this.room.visual.poly(path, opts.visualizePathStyle); visualized = true; }
          if (this.moveByPath(path) == C.OK) return C.OK;
        }
      }
      if (opts.noPathFinding) return C.ERR_NOT_FOUND;
      const path = this.pos.findPathTo(targetPos, opts);
      if (opts.reusePath && isObjectLike(memory)) {
        memory._move = {
          dest: { x, y, room: roomName }, time: Game.time,
          path: opts.serializeMemory ? serializePath(path) : path.map(shallowClone), room: this.pos.roomName,
        };
      }
      if (path.length == 0) return C.ERR_NO_PATH;
      if (opts.visualizePathStyle && !visualized) this.room.visual.poly(path, opts.visualizePathStyle);
      return this.move(path[0].direction);
    }
    moveByPath(path) {
      if (ArrayIsArray(path) && path.length > 0 && path[0] instanceof RoomPosition) {
        let idx = path.findIndex((p) => p.isEqualTo(this.pos));
        if (idx === -1 && !path[0].isNearTo(this.pos)) return C.ERR_NOT_FOUND;
        idx++;
        if (idx >= path.length) return C.ERR_NOT_FOUND;
        return this.move(this.pos.getDirectionTo(path[idx]));
      }
      if (typeof path === 'string') path = deserializePath(path);
      if (!ArrayIsArray(path)) return C.ERR_INVALID_ARGS;
      const cur = path.find((s) => s.x - s.dx == this.pos.x && s.y - s.dy == this.pos.y);
      if (!cur) return C.ERR_NOT_FOUND;
      return this.move(cur.direction);
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
        if (ctl && ctl.reservation && ctl.reservation.username !== username) return C.ERR_NOT_OWNER;
      } else if (target instanceof Mineral) {
        if (!target.mineralAmount) return C.ERR_NOT_ENOUGH_RESOURCES;
        if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
        const extractor = target.pos.lookFor(C.LOOK_STRUCTURES).find((s) => s.structureType === C.STRUCTURE_EXTRACTOR);
        if (!extractor) return C.ERR_NOT_FOUND;
        if (extractor.owner && !extractor.my) return C.ERR_NOT_OWNER;
        if (!extractor.isActive()) return C.ERR_RCL_NOT_ENOUGH;
        if (extractor.cooldown) return C.ERR_TIRED;
      } else if (target instanceof Deposit) {
        if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
        if (target.cooldown) return C.ERR_TIRED;
      } else return C.ERR_INVALID_TARGET;
      addIntent({ type: 'harvest', creep: this.id, target: target.id });
      return C.OK;
    }
    transfer(target, resourceType, amount) {
      const b = this._base(); if (b) return b;
      if (amount < 0) return C.ERR_INVALID_ARGS;
      if (C.RESOURCES_ALL.indexOf(resourceType) < 0) return C.ERR_INVALID_ARGS;
      if (!target || !target.id || !(target instanceof Creep || target instanceof Structure) ||
        (!target.store && !(target instanceof StructureController)) || (target instanceof Creep && target.spawning)) return C.ERR_INVALID_TARGET;
      if (resourceType === C.RESOURCE_ENERGY && target instanceof StructureController) return this.upgradeController(target);
      if (!target.store || !capacityFor(target.store, resourceType)) return C.ERR_INVALID_TARGET;
      if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
      const have = this.store[resourceType];
      if (!have) return C.ERR_NOT_ENOUGH_RESOURCES;
      const used = storedAgainst(target.store, resourceType), cap = capacityFor(target.store, resourceType);
      if (used >= cap) return C.ERR_FULL;
      if (!amount) amount = MathMin(have, cap - used);
      if (have < amount) return C.ERR_NOT_ENOUGH_RESOURCES;
      if (!amount || used + amount > cap) return C.ERR_FULL;
      addIntent({ type: 'transfer', creep: this.id, target: target.id, resourceType, amount });
      return C.OK;
    }
    withdraw(target, resourceType, amount) {
      const b = this._base(); if (b) return b;
      if (amount < 0) return C.ERR_INVALID_ARGS;
      if (C.RESOURCES_ALL.indexOf(resourceType) < 0) return C.ERR_INVALID_ARGS;
      if (!target || !target.id || !(target instanceof Structure || target instanceof Tombstone || target instanceof Ruin) || !target.store) return C.ERR_INVALID_TARGET;
      if (target.my === false && target.pos.lookFor(C.LOOK_STRUCTURES).some((s) =>
        s.structureType === C.STRUCTURE_RAMPART && !s.my && !s.isPublic)) return C.ERR_NOT_OWNER;
      if (this._hostileSafeMode()) return C.ERR_NOT_OWNER;
      if (target instanceof StructureNuker || target instanceof StructurePowerBank) return C.ERR_INVALID_TARGET;
      const available = target.store[resourceType] || 0;
      if (!capacityFor(target.store, resourceType) && !available && !(target instanceof Tombstone)) return C.ERR_INVALID_TARGET;
      if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
      const empty = this.carryCapacity - storeSum(this.store);
      if (empty <= 0) return C.ERR_FULL;
      if (!amount) amount = MathMin(empty, available);
      if (amount > empty) return C.ERR_FULL;
      if (!amount || available < amount) return C.ERR_NOT_ENOUGH_RESOURCES;
      addIntent({ type: 'withdraw', creep: this.id, target: target.id, resourceType, amount });
      return C.OK;
    }
    pickup(target) {
      const b = this._base(); if (b) return b;
      if (!target || !target.id || !(target instanceof Resource)) return C.ERR_INVALID_TARGET;
      if (storeSum(this.store) >= this.carryCapacity) return C.ERR_FULL;
      if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
      addIntent({ type: 'pickup', creep: this.id, target: target.id });
      return C.OK;
    }
    drop(resourceType, amount) {
      const b = this._base(); if (b) return b;
      if (C.RESOURCES_ALL.indexOf(resourceType) < 0) return C.ERR_INVALID_ARGS;
      const have = this.store[resourceType];
      if (!have) return C.ERR_NOT_ENOUGH_RESOURCES;
      if (!amount) amount = have;
      if (have < amount) return C.ERR_NOT_ENOUGH_RESOURCES;
      addIntent({ type: 'drop', creep: this.id, resourceType, amount });
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
      if (target.upgradeBlocked > 0) return C.ERR_INVALID_TARGET;
      if (!target.pos.inRangeTo(this.pos, 3)) return C.ERR_NOT_IN_RANGE;
      if (!target.my) return C.ERR_NOT_OWNER;
      if (!target.level || !target.owner) return C.ERR_INVALID_TARGET;
      addIntent({ type: 'upgradeController', creep: this.id, target: target.id });
      return C.OK;
    }
    _attack(type, part, target, range) {
      const b = this._base(); if (b) return b;
      if (!active(this, part)) return C.ERR_NO_BODYPART;
      if (this._hostileSafeMode()) return C.ERR_NO_BODYPART;
      if (!target || !target.id || !(target instanceof Creep || target instanceof Structure) || target instanceof StructureController) return C.ERR_INVALID_TARGET;
      if (!this.pos.inRangeTo(target, range)) return C.ERR_NOT_IN_RANGE;
      addIntent({ type, creep: this.id, target: target.id });
      return C.OK;
    }
    attack(t) { return this._attack('attack', C.ATTACK, t, 1); }
    rangedMassAttack() {
      const b = this._base(); if (b) return b;
      if (!active(this, C.RANGED_ATTACK)) return C.ERR_NO_BODYPART;
      if (this._hostileSafeMode()) return C.ERR_NO_BODYPART;
      addIntent({ type: 'rangedMassAttack', creep: this.id });
      return C.OK;
    }
    rangedHeal(target) {
      const b = this._base(); if (b) return b;
      if (!active(this, C.HEAL)) return C.ERR_NO_BODYPART;
      if (!target || !target.id || !(target instanceof Creep)) return C.ERR_INVALID_TARGET;
      if (this._hostileSafeMode()) return C.ERR_NO_BODYPART;
      if (!this.pos.inRangeTo(target, 3)) return C.ERR_NOT_IN_RANGE;
      addIntent({ type: 'rangedHeal', creep: this.id, target: target.id });
      return C.OK;
    }
    dismantle(target) {
      const b = this._base(); if (b) return b;
      if (!active(this, C.WORK)) return C.ERR_NO_BODYPART;
      if (!target || !target.id || !(target instanceof Structure) || !C.CONSTRUCTION_COST[target.structureType]) return C.ERR_INVALID_TARGET;
      if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
      if (this._hostileSafeMode()) return C.ERR_NO_BODYPART;
      addIntent({ type: 'dismantle', creep: this.id, target: target.id });
      return C.OK;
    }
    rangedAttack(t) { return this._attack('rangedAttack', C.RANGED_ATTACK, t, 3); }
    heal(target) {
      const b = this._base(); if (b) return b;
      if (!active(this, C.HEAL)) return C.ERR_NO_BODYPART;
      if (!target || !target.id || !(target instanceof Creep)) return C.ERR_INVALID_TARGET;
      if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
      if (this._hostileSafeMode()) return C.ERR_NO_BODYPART;
      addIntent({ type: 'heal', creep: this.id, target: target.id });
      return C.OK;
    }
    // Territory: screeps/engine game/creeps.js, checks in its order.
    claimController(target) {
      const b = this._base(); if (b) return b;
      const claimed = ownedRoomCount() + controllersClaimedInTick;
      if (claimed && gclPoints < gclNeeded(claimed + 1)) return C.ERR_GCL_NOT_ENOUGH;
      if (!target || !target.id || !(target instanceof Structure)) return C.ERR_INVALID_TARGET;
      if (!active(this, C.CLAIM)) return C.ERR_NO_BODYPART;
      if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
      if (!(target instanceof StructureController) || target.level > 0) return C.ERR_INVALID_TARGET;
      if (target.reservation && target.reservation.username !== username) return C.ERR_INVALID_TARGET;
      if (this._hostileSafeMode()) return C.ERR_NO_BODYPART;
      controllersClaimedInTick++;
      addIntent({ type: 'claimController', creep: this.id, target: target.id });
      return C.OK;
    }
    reserveController(target) {
      const b = this._base(); if (b) return b;
      if (!target || !target.id || !(target instanceof Structure)) return C.ERR_INVALID_TARGET;
      if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
      if (!(target instanceof StructureController) || target.owner) return C.ERR_INVALID_TARGET;
      if (target.reservation && target.reservation.username !== username) return C.ERR_INVALID_TARGET;
      if (!active(this, C.CLAIM)) return C.ERR_NO_BODYPART;
      addIntent({ type: 'reserveController', creep: this.id, target: target.id });
      return C.OK;
    }
    attackController(target) {
      const b = this._base(); if (b) return b;
      if (!target || !target.id || !(target instanceof StructureController)) return C.ERR_INVALID_TARGET;
      if (!active(this, C.CLAIM)) return C.ERR_NO_BODYPART;
      if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
      if (!target.owner && !target.reservation) return C.ERR_INVALID_TARGET;
      if (target.upgradeBlocked > 0) return C.ERR_TIRED;
      if (this._hostileSafeMode()) return C.ERR_NO_BODYPART;
      addIntent({ type: 'attackController', creep: this.id, target: target.id });
      return C.OK;
    }
    signController(target, text) {
      const b = this._base(); if (b) return b;
      if (!target || !target.id || !(target instanceof Structure)) return C.ERR_INVALID_TARGET;
      if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
      if (!(target instanceof StructureController)) return C.ERR_INVALID_TARGET;
      addIntent({ type: 'signController', creep: this.id, target: target.id, text: StringCtor(text).slice(0, 100) });
      return C.OK;
    }
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
  // game/creeps.js `cancelOrder`: takes back what the creep asked for this tick under that
  // method's name (`move` covers a step onto another creep); the host drops those intents.
  ObjectDefine(Creep.prototype, 'cancelOrder', {
    value: function cancelOrder(methodName) {
      const kinds = intentKinds[this.id];
      const names = methodName === 'move' ? ['move', 'moveToCreep'] : [methodName];
      if (!kinds || !kinds.some((k) => names.indexOf(k) >= 0)) return C.ERR_NOT_FOUND;
      intentKinds[this.id] = kinds.filter((k) => names.indexOf(k) < 0);
      intentBuf.push({ type: '$cancel', creep: this.id, methods: names });
      if (intentBuf.length >= 256) flushIntents();
      return C.OK;
    },
    writable: true, configurable: true, enumerable: false,
  });
  ObjectDefine(Creep.prototype, 'pull', {
    value: function pull(target) {
      const b = this._base(); if (b) return b;
      if (!target || !target.id || !(target instanceof Creep) || target.spawning || target.id === this.id) return C.ERR_INVALID_TARGET;
      if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
      addIntent({ type: 'pull', creep: this.id, target: target.id });
      return C.OK;
    },
    writable: true, configurable: true, enumerable: false,
  });
  // game/creeps.js: 1 000 ghodium gives a controller one more safe mode.
  ObjectDefine(Creep.prototype, 'generateSafeMode', {
    value: function generateSafeMode(target) {
      const b = this._base(); if (b) return b;
      if (!(this.store[C.RESOURCE_GHODIUM] >= C.SAFE_MODE_COST)) return C.ERR_NOT_ENOUGH_RESOURCES;
      if (!target || !target.id || !(target instanceof StructureController)) return C.ERR_INVALID_TARGET;
      if (!target.pos.isNearTo(this.pos)) return C.ERR_NOT_IN_RANGE;
      addIntent({ type: 'generateSafeMode', creep: this.id, target: target.id });
      return C.OK;
    },
    writable: true, configurable: true, enumerable: false,
  });
  // game/creeps.js: an intent only when the setting changes.
  ObjectDefine(Creep.prototype, 'notifyWhenAttacked', {
    value: function notifyWhenAttacked(enabled) {
      const b = this._base(); if (b) return b;
      return setNotifyWhenAttacked(this, enabled);
    },
    writable: true, configurable: true, enumerable: false,
  });
