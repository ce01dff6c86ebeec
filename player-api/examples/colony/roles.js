// What each kind of creep does in a tick.
const { travel, getEnergy, updateWorking, isControllerContainer } = require('util');

function miner(creep) {
  if (travel(creep, creep.memory.home)) return;
  const source = Game.getObjectById(creep.memory.source);
  if (!source) return;
  const container = source.pos.findInRange(FIND_STRUCTURES, 1, { filter: (s) => s.structureType === STRUCTURE_CONTAINER })[0];
  if (container && !creep.pos.isEqualTo(container.pos)) {
    // Someone else on the spot: harvest from beside it, the energy still drops there.
    if (creep.pos.isNearTo(source) && container.pos.lookFor(LOOK_CREEPS).length) creep.harvest(source);
    else creep.moveTo(container);
    return;
  }
  if (creep.harvest(source) === ERR_NOT_IN_RANGE) creep.moveTo(source);
}

// The next thing a hauler fills: spawns and extensions, then towers, then the storage.
function sinkFor(creep) {
  const room = creep.room;
  const spawnish = creep.pos.findClosestByRange(FIND_MY_STRUCTURES, {
    filter: (s) => (s.structureType === STRUCTURE_SPAWN || s.structureType === STRUCTURE_EXTENSION) &&
      s.store.getFreeCapacity(RESOURCE_ENERGY) > 0,
  });
  if (spawnish) return spawnish;
  const tower = creep.pos.findClosestByRange(FIND_MY_STRUCTURES, {
    filter: (s) => s.structureType === STRUCTURE_TOWER && s.store.getFreeCapacity(RESOURCE_ENERGY) > 200,
  });
  if (tower) return tower;
  const upgraders = creep.pos.findClosestByRange(FIND_STRUCTURES, {
    filter: (s) => isControllerContainer(s) && s.store.getFreeCapacity(RESOURCE_ENERGY) >= 100,
  });
  if (upgraders) return upgraders;
  if (room.storage && room.storage.store.getFreeCapacity() > 0) return room.storage;
  return creep.pos.findClosestByRange(FIND_MY_CREEPS, {
    filter: (c) => (c.memory.role === 'upgrader' || c.memory.role === 'builder') && c.store.getFreeCapacity(RESOURCE_ENERGY) > 20,
  });
}

// Where a hauler loads: the emptied link hub, else the pile, tombstone or source container
// with the most energy for the walk (big piles decay fastest: a thousandth a tick).
function pickupFor(creep) {
  const hub = creep.room.memory.emptyHub && Game.getObjectById(creep.room.memory.emptyHub);
  if (hub && hub.store[RESOURCE_ENERGY] > 0) return hub;
  const room = creep.room;
  const options = room.find(FIND_DROPPED_RESOURCES, { filter: (r) => r.resourceType === RESOURCE_ENERGY && r.amount >= 40 })
    .concat(room.find(FIND_TOMBSTONES, { filter: (t) => t.store[RESOURCE_ENERGY] > 0 }))
    .concat(room.find(FIND_STRUCTURES, {
      filter: (s) => s.structureType === STRUCTURE_CONTAINER && !isControllerContainer(s) && s.store[RESOURCE_ENERGY] >= 100,
    }));
  let best = null, bestScore = 0;
  for (const o of options) {
    const amount = Math.min(o.amount !== undefined ? o.amount : o.store[RESOURCE_ENERGY], creep.store.getFreeCapacity());
    const score = amount / (creep.pos.getRangeTo(o) + 5);
    if (score > bestScore) { best = o; bestScore = score; }
  }
  return best;
}

function hauler(creep) {
  if (travel(creep, creep.memory.home)) return;
  if (!updateWorking(creep)) {
    const from = pickupFor(creep);
    if (from) {
      const code = from.resourceType ? creep.pickup(from) : creep.withdraw(from, RESOURCE_ENERGY);
      if (code === ERR_NOT_IN_RANGE) creep.moveTo(from);
    } else if (creep.memory.harvests || creep.getActiveBodyparts(WORK)) {
      const source = creep.pos.findClosestByRange(FIND_SOURCES_ACTIVE);
      if (source && creep.harvest(source) === ERR_NOT_IN_RANGE) creep.moveTo(source);
    } else if (creep.store[RESOURCE_ENERGY] > 0) {
      creep.memory.working = true;
    }
    return;
  }
  const sink = sinkFor(creep);
  if (!sink) return;
  if (creep.transfer(sink, RESOURCE_ENERGY) === ERR_NOT_IN_RANGE) creep.moveTo(sink);
}

function upgrader(creep) {
  if (travel(creep, creep.memory.home)) return;
  const ctl = creep.room.controller;
  const box = ctl.pos.findInRange(FIND_STRUCTURES, 3, { filter: isControllerContainer })[0];
  if (box) {
    // Static upgrading: stand by the container and never walk for energy.
    if (!creep.pos.isNearTo(box) || !creep.pos.inRangeTo(ctl, 3)) { creep.moveTo(box); return; }
    if (creep.store[RESOURCE_ENERGY] < creep.getActiveBodyparts(WORK) * 2) creep.withdraw(box, RESOURCE_ENERGY);
    creep.upgradeController(ctl);
    return;
  }
  if (!updateWorking(creep)) {
    const link = creep.room.controller.pos.findInRange(FIND_MY_STRUCTURES, 3, {
      filter: (s) => s.structureType === STRUCTURE_LINK && s.store[RESOURCE_ENERGY] > 0,
    })[0];
    if (link) {
      if (creep.withdraw(link, RESOURCE_ENERGY) === ERR_NOT_IN_RANGE) creep.moveTo(link);
      return;
    }
    if (!getEnergy(creep) && creep.store[RESOURCE_ENERGY] > 0) creep.memory.working = true;
    return;
  }
  if (creep.upgradeController(creep.room.controller) === ERR_NOT_IN_RANGE) {
    creep.moveTo(creep.room.controller, { range: 3 });
  }
}

// Something worth repairing: roads and containers below half, ramparts below 20 000 hits.
function repairTarget(creep) {
  return creep.pos.findClosestByRange(FIND_STRUCTURES, {
    filter: (s) => (s.structureType === STRUCTURE_ROAD || s.structureType === STRUCTURE_CONTAINER ? s.hits < s.hitsMax / 2 :
      s.structureType === STRUCTURE_RAMPART ? s.my && s.hits < 20000 : false),
  });
}

// What builders finish first: a spawn, then the storage (where every surplus goes from
// RCL 4), towers, extensions, and anything else nearest first.
const BUILD_ORDER = [STRUCTURE_SPAWN, STRUCTURE_STORAGE, STRUCTURE_TOWER, STRUCTURE_EXTENSION];

function build(creep) {
  const sites = creep.room.find(FIND_MY_CONSTRUCTION_SITES);
  let site = null;
  for (const type of BUILD_ORDER) {
    const of = sites.filter((s) => s.structureType === type);
    if (of.length) { site = creep.pos.findClosestByRange(of); break; }
  }
  site = site || creep.pos.findClosestByRange(sites);
  if (site) {
    if (creep.build(site) === ERR_NOT_IN_RANGE) creep.moveTo(site);
    return true;
  }
  const broken = repairTarget(creep);
  if (broken) {
    if (creep.repair(broken) === ERR_NOT_IN_RANGE) creep.moveTo(broken);
    return true;
  }
  return false;
}

function builder(creep) {
  if (travel(creep, creep.memory.home)) return;
  if (!updateWorking(creep)) {
    if (!getEnergy(creep) && creep.store[RESOURCE_ENERGY] > 0) creep.memory.working = true;
    return;
  }
  if (!build(creep) && creep.upgradeController(creep.room.controller) === ERR_NOT_IN_RANGE) {
    creep.moveTo(creep.room.controller, { range: 3 });
  }
}

// Goes to the new room, harvests there and builds its spawn; then upgrades it.
function pioneer(creep) {
  if (travel(creep, creep.memory.target)) return;
  if (!updateWorking(creep)) {
    getEnergy(creep);
    return;
  }
  const ctl = creep.room.controller;
  if (ctl && ctl.my && ctl.ticksToDowngrade < 3000) {
    if (creep.upgradeController(ctl) === ERR_NOT_IN_RANGE) creep.moveTo(ctl, { range: 3 });
    return;
  }
  const spawn = creep.room.find(FIND_MY_SPAWNS)[0];
  if (spawn && spawn.store.getFreeCapacity(RESOURCE_ENERGY) > 0 && creep.room.energyAvailable < 300) {
    if (creep.transfer(spawn, RESOURCE_ENERGY) === ERR_NOT_IN_RANGE) creep.moveTo(spawn);
    return;
  }
  if (!build(creep) && ctl && creep.upgradeController(ctl) === ERR_NOT_IN_RANGE) creep.moveTo(ctl, { range: 3 });
}

// Walks the neighbours the expansion plan lists and claims the first free controller.
function claimer(creep) {
  const plan = Memory.expansion;
  if (!plan || plan.state !== 'claim') { creep.suicide(); return; }
  const target = plan.candidates[0];
  if (!target) return;
  if (travel(creep, target)) return;
  const ctl = creep.room.controller;
  if (!ctl || ctl.owner || (ctl.reservation && ctl.reservation.username !== creep.owner.username)) {
    plan.candidates.shift();
    return;
  }
  const code = creep.claimController(ctl);
  if (code === ERR_NOT_IN_RANGE) creep.moveTo(ctl);
  else if (code === OK) { plan.target = target; plan.state = 'build'; }
  else if (code === ERR_GCL_NOT_ENOUGH || code === ERR_INVALID_TARGET) plan.candidates.shift();
}

function defender(creep) {
  const hostile = creep.pos.findClosestByRange(FIND_HOSTILE_CREEPS);
  if (hostile) {
    if (creep.attack(hostile) === ERR_NOT_IN_RANGE) creep.moveTo(hostile);
    return;
  }
  const spawn = creep.room.find(FIND_MY_SPAWNS)[0];
  if (spawn && !creep.pos.inRangeTo(spawn, 4)) creep.moveTo(spawn, { range: 3 });
}

const ROLES = Object.assign({ miner, hauler, upgrader, builder, pioneer, claimer, defender }, require('remote').roles);

function run(creep) {
  const role = ROLES[creep.memory.role];
  if (role) role(creep);
}

module.exports = { run };
