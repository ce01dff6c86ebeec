  // js/prelude/52_labs.js: labs, terminals, observers, factories, power spawns and nukers. A fragment of one function: the parts are joined in file-name order (player-api/src/lib.rs).
  // ---- labs: screeps/engine src/game/structures.js (StructureLab), checks in its order ----
  function labMineralType(store) {
    for (const k of ObjectKeys(store)) if (k !== C.RESOURCE_ENERGY && store[k]) return k;
    return undefined;
  }
  // utils.getReactionVariants: every [reagent1, reagent2] pair that makes `compound`.
  function reactionVariants(compound) {
    const out = [];
    for (const r1 of ObjectKeys(C.REACTIONS)) for (const r2 of ObjectKeys(C.REACTIONS[r1])) {
      if (C.REACTIONS[r1][r2] === compound) out.push([r1, r2]);
    }
    return out;
  }
  function isOtherLab(self, lab) { return !!lab && !!lab.id && lab instanceof StructureLab && lab.id !== self.id; }
  class StructureLab extends OwnedStructure {
    constructor(d) {
      super(d); energyProps(this, d); this.cooldown = d.cooldown || 0;
      this.mineralType = labMineralType(this.store);
      this.mineralAmount = storeSum(this.store) - (this.store.energy || 0);
      this.mineralCapacity = C.LAB_MINERAL_CAPACITY;
    }
    _reactionBase(lab1, lab2) {
      if (!this.my) return C.ERR_NOT_OWNER;
      if (this.cooldown > 0) return C.ERR_TIRED;
      if (!this.room.controller || !this.isActive()) return C.ERR_RCL_NOT_ENOUGH;
      if (!isOtherLab(this, lab1) || !isOtherLab(this, lab2)) return C.ERR_INVALID_TARGET;
      if (this.pos.getRangeTo(lab1) > 2 || this.pos.getRangeTo(lab2) > 2) return C.ERR_NOT_IN_RANGE;
      return C.OK;
    }
    runReaction(lab1, lab2) {
      const b = this._reactionBase(lab1, lab2); if (b) return b;
      const amount = C.LAB_REACTION_AMOUNT;
      if (this.mineralAmount > this.mineralCapacity - amount) return C.ERR_FULL;
      if (lab1.mineralAmount < amount || lab2.mineralAmount < amount) return C.ERR_NOT_ENOUGH_RESOURCES;
      const product = C.REACTIONS[lab1.mineralType] && C.REACTIONS[lab1.mineralType][lab2.mineralType];
      if (!product || (this.mineralType && this.mineralType !== product)) return C.ERR_INVALID_ARGS;
      addIntent({ type: 'runReaction', lab: this.id, lab1: lab1.id, lab2: lab2.id });
      return C.OK;
    }
    reverseReaction(lab1, lab2) {
      const b = this._reactionBase(lab1, lab2); if (b) return b;
      if (lab1 === lab2 || lab1.id === lab2.id) return C.ERR_INVALID_ARGS;
      const amount = C.LAB_REACTION_AMOUNT;
      if (!this.mineralType || this.mineralAmount < amount) return C.ERR_NOT_ENOUGH_RESOURCES;
      const variant = reactionVariants(this.mineralType).find((v) =>
        (!lab1.mineralType || lab1.mineralType === v[0]) && (!lab2.mineralType || lab2.mineralType === v[1]));
      if (!variant) return C.ERR_INVALID_ARGS;
      if (lab1.mineralAmount + amount > lab1.mineralCapacity || lab2.mineralAmount + amount > lab2.mineralCapacity) return C.ERR_FULL;
      addIntent({ type: 'reverseReaction', lab: this.id, lab1: lab1.id, lab2: lab2.id });
      return C.OK;
    }
    boostCreep(creep, bodyPartsCount) {
      if (!this.my) return C.ERR_NOT_OWNER;
      if (!this.room.controller || !this.isActive()) return C.ERR_RCL_NOT_ENOUGH;
      if (!creep || !creep.id || !(creep instanceof Creep) || creep.spawning) return C.ERR_INVALID_TARGET;
      if (!this.pos.isNearTo(creep)) return C.ERR_NOT_IN_RANGE;
      if ((this.store.energy || 0) < C.LAB_BOOST_ENERGY) return C.ERR_NOT_ENOUGH_RESOURCES;
      if (this.mineralAmount < C.LAB_BOOST_MINERAL) return C.ERR_NOT_ENOUGH_RESOURCES;
      bodyPartsCount = bodyPartsCount || 0;
      const type = this.mineralType;
      const open = creep.body.filter((p) => !p.boost && C.BOOSTS[p.type] && C.BOOSTS[p.type][type]).length;
      if (!open || (bodyPartsCount && bodyPartsCount > open)) return C.ERR_NOT_FOUND;
      addIntent({ type: 'boostCreep', lab: this.id, creep: creep.id, bodyPartsCount: bodyPartsCount || null });
      return C.OK;
    }
    unboostCreep(creep) {
      if (!creep || !creep.id || !(creep instanceof Creep)) return C.ERR_INVALID_TARGET;
      if (!this.my || !creep.my) return C.ERR_NOT_OWNER;
      if (!this.room.controller || !this.isActive()) return C.ERR_RCL_NOT_ENOUGH;
      if (this.cooldown > 0) return C.ERR_TIRED;
      if (!creep.body.some((p) => !!p.boost)) return C.ERR_NOT_FOUND;
      if (!this.pos.isNearTo(creep)) return C.ERR_NOT_IN_RANGE;
      addIntent({ type: 'unboostCreep', lab: this.id, creep: creep.id });
      return C.OK;
    }
  }
  global.StructureLab = StructureLab;

  // ---- terminals: StructureTerminal.send, checks in game/structures.js's order ----
  class StructureTerminal extends OwnedStructure {
    constructor(d) { super(d); this.store = makeStore(d); this.storeCapacity = d.storeCapacity; this.cooldown = d.cooldown || 0; }
    send(resourceType, amount, destination, description) {
      if (!this.my) return C.ERR_NOT_OWNER;
      if (!this.room.controller || !this.isActive()) return C.ERR_RCL_NOT_ENOUGH;
      if (!/^(W|E)\d+(N|S)\d+$/.test(destination)) return C.ERR_INVALID_ARGS;
      if (C.RESOURCES_ALL.indexOf(resourceType) < 0) return C.ERR_INVALID_ARGS;
      if (!this.store[resourceType] || this.store[resourceType] < amount) return C.ERR_NOT_ENOUGH_RESOURCES;
      if (this.cooldown > 0) return C.ERR_TIRED;
      const cost = Game.market.calcTransactionCost(amount, this.room.name, destination);
      if (resourceType !== C.RESOURCE_ENERGY && (this.store.energy || 0) < cost ||
        resourceType === C.RESOURCE_ENERGY && (this.store.energy || 0) < amount + cost) return C.ERR_NOT_ENOUGH_RESOURCES;
      if (description && (typeof description !== 'string' || description.length > 100)) return C.ERR_INVALID_ARGS;
      addIntent({ type: 'send', terminal: this.id, resourceType, amount, targetRoomName: destination,
        description: description || null });
      return C.OK;
    }
  }
  global.StructureTerminal = StructureTerminal;

  // ---- observers: StructureObserver.observeRoom (the room shows next tick) ----
  class StructureObserver extends OwnedStructure {
    observeRoom(roomName) {
      if (!this.my) return C.ERR_NOT_OWNER;
      if (typeof roomName !== 'string' || !/^(W|E)\d+(S|N)\d+$/.test(roomName)) return C.ERR_INVALID_ARGS;
      if (!this.room.controller || !this.isActive()) return C.ERR_RCL_NOT_ENOUGH;
      const there = roomXY(roomName), here = roomXY(this.pos.roomName);
      if (MathAbs(there[0] - here[0]) > C.OBSERVER_RANGE || MathAbs(there[1] - here[1]) > C.OBSERVER_RANGE) return C.ERR_NOT_IN_RANGE;
      addIntent({ type: 'observeRoom', observer: this.id, roomName });
      return C.OK;
    }
  }
  global.StructureObserver = StructureObserver;

  // ---- factories: StructureFactory.produce (level-0 commodities: nothing sets a level) ----
  class StructureFactory extends OwnedStructure {
    constructor(d) { super(d); this.store = makeStore(d); this.storeCapacity = d.storeCapacity; this.cooldown = d.cooldown || 0; }
    produce(resourceType) {
      if (!this.my) return C.ERR_NOT_OWNER;
      if (this.cooldown > 0) return C.ERR_TIRED;
      const recipe = C.COMMODITIES[resourceType];
      if (!recipe) return C.ERR_INVALID_ARGS;
      if (recipe.level && recipe.level !== this.level) return C.ERR_INVALID_TARGET;
      if (!this.room.controller || !this.isActive()) return C.ERR_RCL_NOT_ENOUGH;
      const parts = ObjectKeys(recipe.components);
      if (parts.some((p) => (this.store[p] || 0) < recipe.components[p])) return C.ERR_NOT_ENOUGH_RESOURCES;
      let used = 0; for (const p of parts) used += recipe.components[p];
      if (!this.storeCapacity || storeSum(this.store) - used + (recipe.amount || 1) > this.storeCapacity) return C.ERR_FULL;
      addIntent({ type: 'produce', factory: this.id, resourceType });
      return C.OK;
    }
  }
  global.StructureFactory = StructureFactory;

  // ---- power spawns: StructurePowerSpawn.processPower (1 power, 50 energy: one GPL point) ----
  class StructurePowerSpawn extends OwnedStructure {
    constructor(d) { super(d); energyProps(this, d); this.power = this.store.power; this.powerCapacity = C.POWER_SPAWN_POWER_CAPACITY; }
    processPower() {
      if (!this.my) return C.ERR_NOT_OWNER;
      if (!this.room.controller || !this.isActive()) return C.ERR_RCL_NOT_ENOUGH;
      if (this.power < 1 || this.energy < C.POWER_SPAWN_ENERGY_RATIO) return C.ERR_NOT_ENOUGH_RESOURCES;
      addIntent({ type: 'processPower', powerSpawn: this.id });
      return C.OK;
    }
  }
  global.StructurePowerSpawn = StructurePowerSpawn;

  // ---- nukers: StructureNuker.launchNuke, checks in game/structures.js's order ----
  class StructureNuker extends OwnedStructure {
    constructor(d) {
      super(d); energyProps(this, d); this.cooldown = d.cooldown || 0;
      this.ghodium = this.store.G; this.ghodiumCapacity = C.NUKER_GHODIUM_CAPACITY;
    }
    launchNuke(pos) {
      if (!this.my) return C.ERR_NOT_OWNER;
      if (!(pos instanceof RoomPosition)) return C.ERR_INVALID_ARGS;
      if (this.cooldown > 0) return C.ERR_TIRED;
      if (!this.room.controller || !this.isActive()) return C.ERR_RCL_NOT_ENOUGH;
      const there = roomXY(pos.roomName), here = roomXY(this.pos.roomName);
      if (MathAbs(there[0] - here[0]) > C.NUKE_RANGE || MathAbs(there[1] - here[1]) > C.NUKE_RANGE) return C.ERR_NOT_IN_RANGE;
      if (this.energy < this.energyCapacity || this.ghodium < this.ghodiumCapacity) return C.ERR_NOT_ENOUGH_RESOURCES;
      addIntent({ type: 'launchNuke', nuker: this.id, roomName: pos.roomName, x: pos.x, y: pos.y });
      return C.OK;
    }
  }
  global.StructureNuker = StructureNuker;

