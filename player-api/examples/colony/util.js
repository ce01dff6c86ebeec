// Small helpers the other modules share.

// The largest body repeating `pattern` that `energy` pays for, at most `max` times.
function body(pattern, energy, max, prefix) {
  const head = prefix || [];
  const cost = (parts) => parts.reduce((s, p) => s + BODYPART_COST[p], 0);
  const unit = cost(pattern);
  let n = Math.floor((energy - cost(head)) / unit);
  n = Math.max(0, Math.min(n, max, Math.floor((50 - head.length) / pattern.length)));
  const out = head.slice();
  for (let i = 0; i < n; i++) out.push(...pattern);
  return out;
}

// Walks towards a room it is not in; true while travelling.
function travel(creep, roomName) {
  if (creep.room.name === roomName) {
    // Step off the exit tile, or the creep bounces back and forth between rooms.
    const p = creep.pos;
    if (p.x === 0 || p.y === 0 || p.x === 49 || p.y === 49) {
      creep.moveTo(new RoomPosition(25, 25, roomName));
      return true;
    }
    return false;
  }
  creep.moveTo(new RoomPosition(25, 25, roomName), { reusePath: 20 });
  return true;
}

// The container upgraders draw from: the one beside the controller.
function isControllerContainer(s) {
  const ctl = s.room.controller;
  return s.structureType === STRUCTURE_CONTAINER && ctl !== undefined && s.pos.inRangeTo(ctl, 3);
}

// Energy for a worker: storage, then containers, then what lies on the ground, then a
// source it harvests itself. Returns true while it is busy getting some.
function getEnergy(creep) {
  const room = creep.room;
  const need = creep.store.getFreeCapacity(RESOURCE_ENERGY);
  if (room.storage && room.storage.store[RESOURCE_ENERGY] >= need + 500) {
    if (creep.withdraw(room.storage, RESOURCE_ENERGY) === ERR_NOT_IN_RANGE) creep.moveTo(room.storage);
    return true;
  }
  const container = creep.pos.findClosestByRange(FIND_STRUCTURES, {
    filter: (s) => s.structureType === STRUCTURE_CONTAINER && s.store[RESOURCE_ENERGY] >= Math.min(need, 200),
  });
  if (container) {
    if (creep.withdraw(container, RESOURCE_ENERGY) === ERR_NOT_IN_RANGE) creep.moveTo(container);
    return true;
  }
  const pile = creep.pos.findClosestByRange(FIND_DROPPED_RESOURCES, {
    filter: (r) => r.resourceType === RESOURCE_ENERGY && r.amount >= 50,
  });
  if (pile) {
    if (creep.pickup(pile) === ERR_NOT_IN_RANGE) creep.moveTo(pile);
    return true;
  }
  if (creep.getActiveBodyparts(WORK) > 0) {
    const source = creep.pos.findClosestByRange(FIND_SOURCES_ACTIVE);
    if (source) {
      if (creep.harvest(source) === ERR_NOT_IN_RANGE) creep.moveTo(source);
      return true;
    }
  }
  return false;
}

// Flips a worker between gathering and working on a full or empty store.
function updateWorking(creep) {
  if (creep.memory.working && creep.store[RESOURCE_ENERGY] === 0) creep.memory.working = false;
  if (!creep.memory.working && creep.store.getFreeCapacity(RESOURCE_ENERGY) === 0) creep.memory.working = true;
  return creep.memory.working;
}

module.exports = { body, travel, getEnergy, updateWorking, isControllerContainer };
