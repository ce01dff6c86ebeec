// One function per role. Each creep alternates between gathering and working.
function gather(creep) {
  const source = creep.pos.findClosestByPath(FIND_SOURCES_ACTIVE) || creep.pos.findClosestByRange(FIND_SOURCES);
  if (source && creep.harvest(source) === ERR_NOT_IN_RANGE) creep.moveTo(source);
}

function toggle(creep) {
  if (creep.memory.working && creep.store[RESOURCE_ENERGY] === 0) creep.memory.working = false;
  if (!creep.memory.working && creep.store.getFreeCapacity() === 0) creep.memory.working = true;
  return creep.memory.working;
}

function upgrade(creep) {
  const ctl = creep.room.controller;
  if (creep.upgradeController(ctl) === ERR_NOT_IN_RANGE) creep.moveTo(ctl, { range: 3 });
}

module.exports.harvester = function (creep) {
  if (!toggle(creep)) return gather(creep);
  const target = creep.pos.findClosestByRange(FIND_MY_STRUCTURES, {
    filter: (s) => (s.structureType === STRUCTURE_SPAWN || s.structureType === STRUCTURE_EXTENSION) &&
      s.store.getFreeCapacity(RESOURCE_ENERGY) > 0,
  });
  if (target) {
    if (creep.transfer(target, RESOURCE_ENERGY) === ERR_NOT_IN_RANGE) creep.moveTo(target);
  } else {
    upgrade(creep);
  }
};

module.exports.upgrader = function (creep) {
  if (!toggle(creep)) return gather(creep);
  upgrade(creep);
};

module.exports.builder = function (creep) {
  if (!toggle(creep)) return gather(creep);
  const site = creep.pos.findClosestByRange(FIND_MY_CONSTRUCTION_SITES);
  if (site) {
    if (creep.build(site) === ERR_NOT_IN_RANGE) creep.moveTo(site, { range: 3 });
  } else {
    upgrade(creep);
  }
};
